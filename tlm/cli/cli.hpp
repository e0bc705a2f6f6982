// The command-line conventions every Trimode tool shares (trimode, trimode-sweep,
// trimode-memmap-example): exit codes, one-line errors with a suggestion for a
// mistyped command or option, sizes with units. No SystemC.
//
//   CLI::App app{"..."};                       // options and subcommands as usual
//   if (int rc = trimode::cli::parse(app, argc, argv); rc >= 0) return rc;
//   // parsed: every argument was known and valid
//
// Errors look like
//   trimode: error: unknown option '--vcdd' for 'run' (did you mean '--vcd'?); see 'trimode run --help'
// and exit with kExitBadInput.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tlm/cli/size.hpp"     // parse_size: sizes with units
#include "tlm/cli/suggest.hpp"  // edit_distance, closest

namespace trimode::cli {

// Exit codes of every Trimode command (docs/overview.md). 0..200 are the guest's own.
constexpr int kMaxGuestCode = 200;  // a guest's exit codes 0..200 are its own; above, a note says whose
constexpr int kExitBadInput = 201;  // usage error, bad option value, unreadable/invalid file
constexpr int kExitLimit = 202;     // --max-instructions reached
constexpr int kExitSimError = 203;  // the simulation cannot go on
constexpr int kExitMismatch = 204;  // the RTL and the reference disagree (--cosim, sweep)
constexpr int kExitVmFailed = 205;  // a scenario VM was not created, was stopped, or exited non-zero

constexpr int kGuestCodes = -1;     // in exit_codes_help(codes): the row of the guest's own 0..200

// The exit-code table, as printed at the end of --help: every row (what
// `trimode --help` and `trimode run --help` list), or only the rows of `codes`
// (kGuestCodes and kExit* values), in the table's order, for a command that
// can give only those (`trimode demo`: no --max-instructions, no --cosim).
std::string exit_codes_help();
std::string exit_codes_help(const std::vector<int>& codes);

// The names word likely meant: the candidates it is the start of (a truncated
// option, "--trace-dis"; a one-letter "-v" is taken as "--v"), if there are
// 1 to 5 such and word has at least 2 letters (or is such a one-letter option,
// or a command's first letter: "r" is "run");
// otherwise closest(word) if there is one; otherwise none.
std::vector<std::string> likely_meant(const std::string& word, const std::vector<std::string>& candidates);

// text as a whole number into *value: decimal or 0x hex, digits only (no sign,
// no spaces: "-5" is not one, where std::stoull would wrap it). False when it
// is not one or does not fit in 64 bits (*value then unspecified).
bool whole_number(const std::string& text, uint64_t* value);

// A CLI11 check: the value is a whole number >= 0 (decimal or 0x hex).
extern const CLI::Validator kCount;

// A CLI11 check: the value is a whole number from lo to hi (decimal or 0x hex;
// no sign: "-5" is refused, not wrapped). Its error:
// "want a whole number from 1 to 1024, got '0'". For an option whose variable
// is unsigned, where CLI11 alone would wrap "-5" or overflow a large value.
CLI::Validator count_in(uint64_t lo, uint64_t hi);

// A CLI11 check made of a parser that throws std::invalid_argument on a bad
// value: its message becomes the error, after the option's name
// ("--quantum: unknown time unit in '5' ..."). type_name is shown in --help.
CLI::Validator checked_by(std::function<void(const std::string&)> parser, const std::string& type_name);

// Runs body and returns its exit code; an exception that escapes it (a bug
// such as the Platform's "region without a model", or std::bad_alloc) becomes
// one line "WHO: error: internal error: WHAT" (newlines in WHAT made spaces)
// and kExitSimError, instead of std::terminate's abort or SystemC's report.
// Each tool wraps its main in it. SIGXFSZ is ignored from then on: under a
// file-size limit (ulimit -f) a write past it fails with EFBIG, which every
// output reports as one line and exit 203, instead of the signal killing the
// process without a word (exit 153) and leaving scratch files behind.
int guarded(const std::string& who, const std::function<int()>& body);

// One "WHO: error: MESSAGE; see 'HELP_OF --help'" line on stderr (how parse()
// words every error; a tool's own checks after it use this too); returns kExitBadInput.
int usage_error(const std::string& who, const std::string& message, const std::string& help_of);

// Parses argv into app (which must not yet allow extras: parse() sets that up
// itself to report unknown arguments). Returns -1 when the command line is
// valid; otherwise the exit code to return: 0 after --help/--version (printed on
// stdout), kExitBadInput after one "NAME: error: ..." line on stderr.
int parse(CLI::App& app, int argc, const char* const* argv);

}  // namespace trimode::cli

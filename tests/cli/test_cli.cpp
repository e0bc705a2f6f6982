// The shared command-line helpers (tlm/cli): typo suggestions, sizes with
// units, and parse()'s verdicts on whole command lines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "tlm/cli/cli.hpp"

namespace trimode::cli {
namespace {

TEST(Cli, EditDistanceCountsASwapOnce) {
  EXPECT_EQ(edit_distance("run", "run"), 0u);
  EXPECT_EQ(edit_distance("rnu", "run"), 1u);
  EXPECT_EQ(edit_distance("--alll", "--all"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Cli, SuggestsOnlyLikelyTypos) {
  const std::vector<std::string> commands{"run", "demo", "sweep"};
  EXPECT_EQ(closest("rnu", commands), "run");
  EXPECT_EQ(closest("swep", commands), "sweep");
  EXPECT_EQ(closest("xyz", commands), "");  // 3 edits from everything
  EXPECT_EQ(closest("rn", commands), "run");  // one edit in two letters
  EXPECT_EQ(closest("r", commands), "");    // too short to guess (a cut-short name: likely_meant)
  EXPECT_EQ(closest("RUN", commands), "run");  // case ignored
  EXPECT_EQ(closest("VMS", {"vms", "files"}), "vms");
  EXPECT_EQ(closest("timeslice", {"vms", "timeslice_us"}), "timeslice_us");  // the start of one key
  EXPECT_EQ(closest("timeslice", {"timeslice_min_us", "timeslice_max_us"}), "");  // of two: no guess
  EXPECT_EQ(closest("tim", {"timeslice_us"}), "");                           // too short to be a start
}

TEST(Cli, SizesTakeBinaryUnits) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("0x1000"), 4096u);
  EXPECT_EQ(parse_size("010KiB"), 10240u);  // decimal: a leading 0 is not octal (it read 8 KiB)
  EXPECT_EQ(parse_size("4KiB"), 4096u);
  EXPECT_EQ(parse_size("4 K"), 4096u);
  EXPECT_EQ(parse_size("64MiB"), 64u << 20);
  EXPECT_EQ(parse_size("64M"), 64u << 20);
  EXPECT_EQ(parse_size("1GiB"), 1u << 30);
  EXPECT_THROW(parse_size("64XB"), std::invalid_argument);
  EXPECT_THROW(parse_size("-1"), std::invalid_argument);
  EXPECT_THROW(parse_size("MiB"), std::invalid_argument);
  EXPECT_THROW(parse_size("99999999999999999999GiB"), std::invalid_argument);
  EXPECT_THROW(parse_size("17179869184GiB"), std::invalid_argument);  // 2^34 GiB overflows
}

// Why a size is refused, in words (a fraction was "unknown unit '.5MiB'", a number past 2^64
// "e.g. 64MiB, 4096, 0x10000").
TEST(Cli, SizeErrorsSayWhy) {
  const auto why = [](const char* text) {
    try {
      parse_size(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(why("64.5MiB"), "not a size: '64.5MiB' (a whole number of bytes or of a unit, e.g. 66048KiB for 64.5MiB)");
  EXPECT_EQ(why("99999999999999999999GiB"), "not a size: '99999999999999999999GiB' (too large)");
  EXPECT_EQ(why("17179869184GiB"), "not a size: '17179869184GiB' (too large)");
}

int parse_line(std::vector<const char*> argv) {
  CLI::App app{"t", "tool"};
  uint64_t n = 0;
  CLI::App* run = app.add_subcommand("run", "");
  run->add_option("--count", n)->check(kCount);
  run->add_flag("--verbose");
  app.require_subcommand(1);
  argv.insert(argv.begin(), "tool");
  return parse(app, static_cast<int>(argv.size()), argv.data());
}

TEST(Cli, ParseReturnsMinusOneOnlyForAValidLine) {
  EXPECT_EQ(parse_line({"run", "--count", "3"}), -1);
  EXPECT_EQ(parse_line({"run", "--verbose"}), -1);
  EXPECT_EQ(parse_line({"run", "--help"}), 0);
  EXPECT_EQ(parse_line({}), kExitBadInput);
  EXPECT_EQ(parse_line({"rnu"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "--cuont", "3"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "--count", "-1"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "--count", "3x"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "stray"}), kExitBadInput);
}

TEST(Cli, WholeNumbersHaveNoSignAndFitIn64Bits) {
  uint64_t v = 0;
  EXPECT_TRUE(whole_number("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(whole_number("0x10", &v));
  EXPECT_EQ(v, 16u);
  EXPECT_TRUE(whole_number("18446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_FALSE(whole_number("18446744073709551616", &v));  // does not fit
  EXPECT_FALSE(whole_number("-5", &v));                    // std::stoull wraps it to 2^64 - 5
  EXPECT_FALSE(whole_number("+5", &v));
  EXPECT_FALSE(whole_number(" 5", &v));
  EXPECT_FALSE(whole_number("5 ", &v));
  EXPECT_FALSE(whole_number("", &v));
  EXPECT_FALSE(whole_number("0x", &v));
}

// A tool with an unsigned --n checked by count_in(1, 1024).
int parse_bounded(const char* value) {
  CLI::App app{"t", "tool"};
  unsigned n = 0;
  app.add_option("--n", n)->check(count_in(1, 1024));
  const char* argv[] = {"tool", "--n", value};
  testing::internal::CaptureStderr();
  const int rc = parse(app, 3, argv);
  testing::internal::GetCapturedStderr();
  return rc;
}

TEST(Cli, CountInRefusesZeroNegativeAndTooLarge) {
  EXPECT_EQ(parse_bounded("1"), -1);
  EXPECT_EQ(parse_bounded("1024"), -1);
  EXPECT_EQ(parse_bounded("0"), kExitBadInput);
  EXPECT_EQ(parse_bounded("1025"), kExitBadInput);
  EXPECT_EQ(parse_bounded("-1"), kExitBadInput);
  EXPECT_EQ(parse_bounded("4294967297"), kExitBadInput);  // 2^32 + 1: 1 once cut to 32 bits
  EXPECT_EQ(parse_bounded("18446744073709551617"), kExitBadInput);
}

TEST(Cli, ExitCodesHelpListsTheRowsAsked) {
  const std::string all = exit_codes_help();
  for (const char* row : {"0..200", "201 ", "202 ", "203 ", "204 ", "205 "}) EXPECT_NE(all.find(row), std::string::npos) << row;
  const std::string some = exit_codes_help({kGuestCodes, kExitBadInput, kExitSimError, kExitVmFailed});
  EXPECT_EQ(some.rfind("Exit codes:\n", 0), 0u);
  for (const char* row : {"0..200", "201 ", "203 ", "205 "}) EXPECT_NE(some.find(row), std::string::npos) << row;
  for (const char* row : {"202 ", "204 "}) EXPECT_EQ(some.find(row), std::string::npos) << row;
  EXPECT_LT(some.find("203 "), some.find("205 "));  // the table's order
  EXPECT_EQ(exit_codes_help({}), "Exit codes:\n");
}

TEST(Cli, GuardedTurnsAnEscapingExceptionIntoOneLineAnd203) {
  EXPECT_EQ(guarded("tool", [] { return 7; }), 7);
  testing::internal::CaptureStderr();
  const int rc = guarded("tool", []() -> int {
    throw std::logic_error("spec/memory_map.txt region without a model: rng\nIn file: platform.cpp");
  });
  EXPECT_EQ(rc, kExitSimError);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "tool: error: internal error: spec/memory_map.txt region without a model: rng In file: platform.cpp\n");
  testing::internal::CaptureStderr();
  EXPECT_EQ(guarded("tool", []() -> int { throw 5; }), kExitSimError);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "tool: error: internal error: an exception that is not a std::exception\n");
}

TEST(Cli, ATruncatedOptionSuggestsTheOptionsItStarts) {
  const std::vector<std::string> options{"--trace-insn", "--trace-disasm", "--max-instructions", "--vcd", "--version"};
  EXPECT_EQ(likely_meant("--trace-dis", options), std::vector<std::string>{"--trace-disasm"});
  EXPECT_EQ(likely_meant("--max-instr", options), std::vector<std::string>{"--max-instructions"});
  EXPECT_EQ(likely_meant("--trace", options), (std::vector<std::string>{"--trace-insn", "--trace-disasm"}));
  EXPECT_EQ(likely_meant("-v", options), (std::vector<std::string>{"--vcd", "--version"}));
  EXPECT_EQ(likely_meant("--vcdd", options), std::vector<std::string>{"--vcd"});  // a typo: closest()
  EXPECT_EQ(likely_meant("--v", options), std::vector<std::string>{});             // one letter of a long name
  EXPECT_EQ(likely_meant("ru", {"run", "demo"}), std::vector<std::string>{"run"});
  EXPECT_EQ(likely_meant("r", {"run", "demo", "sweep"}), std::vector<std::string>{"run"});  // a command's first letter
}

// A tool shaped like trimode: --version at the top, options of each kind under "run".
struct Tool {
  CLI::App app{"t", "tool"};
  uint64_t count = 0;
  int port = -1;
  std::string mode = "trap", text, time;
  std::vector<std::string> save;
  Tool() {
    app.require_subcommand(1);
    app.set_version_flag("--version", "tool 1");
    CLI::App* run = app.add_subcommand("run", "");
    run->add_option("--count", count)->check(kCount);
    run->add_option("--port", port)->check(CLI::Range(0, 65535));
    run->add_option("--threads", port);
    run->add_option("--mode", mode)->check(CLI::IsMember({"trap", "emulate"}));
    run->add_option("--text", text);
    run->add_option("--save-at", save)->expected(2)->type_name("N FILE");
    run->add_option("--quantum", time)->check(checked_by([](const std::string& t) {
      if (t != "10ns") throw std::invalid_argument("unknown time unit in '" + t + "' (ps, ns, us, ms, s)");
    }, "TIME"));
    run->add_flag("--trace-disasm");
    run->add_flag("--max-instructions");
  }
};

// parse()'s stderr for a command line, after checking that it is one line and exit code 201.
std::string error_of(std::vector<const char*> argv) {
  Tool tool;
  argv.insert(argv.begin(), "tool");
  testing::internal::CaptureStderr();
  const int rc = parse(tool.app, static_cast<int>(argv.size()), argv.data());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, kExitBadInput) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  return err;
}

TEST(Cli, BadValuesAreReportedInOurWordsNamingTheOption) {
  EXPECT_EQ(error_of({"run", "--port", "99999"}),
            "tool: error: --port: want a whole number from 0 to 65535, got '99999'; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--port", "abc"}),
            "tool: error: --port: want a whole number from 0 to 65535, got 'abc'; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--threads", "x"}), "tool: error: --threads: want a whole number, got 'x'; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--mode", "foo"}), "tool: error: --mode: want trap or emulate, got 'foo'; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--count", "-5"}), "tool: error: --count: want a whole number from 0 to 18446744073709551615 (decimal or 0x hex), got '-5'; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--quantum", "5"}),
            "tool: error: --quantum: unknown time unit in '5' (ps, ns, us, ms, s); see 'tool run --help'\n");
}

TEST(Cli, AMissingValueIsReportedInOurWords) {
  EXPECT_EQ(error_of({"run", "--text"}), "tool: error: --text needs a value; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--count"}), "tool: error: --count needs a value; see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--save-at"}), "tool: error: --save-at needs 2 values (N FILE); see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--save-at", "5"}), "tool: error: --save-at needs 2 values (N FILE), got 1; see 'tool run --help'\n");
}

TEST(Cli, AnUnknownTopLevelOptionIsNamedNotTheMissingCommand) {
  EXPECT_EQ(error_of({"-v"}), "tool: error: unknown option '-v' (did you mean '--version'?); see 'tool --help'\n");
  EXPECT_EQ(error_of({"--verison"}), "tool: error: unknown option '--verison' (did you mean '--version'?); see 'tool --help'\n");
  EXPECT_EQ(error_of({"--bogus", "run"}), "tool: error: unknown option '--bogus'; see 'tool --help'\n");
  EXPECT_EQ(error_of({}), "tool: error: a command is required; see 'tool --help'\n");
}

TEST(Cli, ATruncatedOptionGetsASuggestion) {
  EXPECT_EQ(error_of({"run", "--trace-dis"}),
            "tool: error: unknown option '--trace-dis' for 'run' (did you mean '--trace-disasm'?); see 'tool run --help'\n");
  EXPECT_EQ(error_of({"run", "--max-instr"}),
            "tool: error: unknown option '--max-instr' for 'run' (did you mean '--max-instructions'?); see 'tool run --help'\n");
}

}  // namespace
}  // namespace trimode::cli

#include "tlm/cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace trimode::cli {

namespace {

// The rows of the exit-code table: a code (kGuestCodes stands for 0..200) and its lines.
struct ExitCodeRow {
  int code;
  const char* text;
};
constexpr ExitCodeRow kExitCodeRows[] = {
    {kGuestCodes,
     "  0..200  the guest's own exit code (finisher or tohost); 0 = success (a guest code\n"
     "          above 200 exits with its low 8 bits, as on QEMU, and a note on stderr)\n"},
    {kExitBadInput, "  201     bad input: usage error, bad option value, unreadable or invalid file\n"},
    {kExitLimit, "  202     --max-instructions reached\n"},
    {kExitSimError,
     "  203     the simulation cannot go on (fatal guest state, wfi with nothing to wake it),\n"
     "          or an output (trace, memory map, checkpoint, saved image) could not be\n"
     "          written whole (disk full), or an internal error (a bug: an exception\n"
     "          nothing handled, one line 'error: internal error: ...')\n"},
    {kExitMismatch, "  204     the RTL and the reference disagree (--cosim, sweep)\n"},
    {kExitVmFailed, "  205     a scenario VM was not created, was stopped, or exited non-zero\n"},
};

}  // namespace

std::string exit_codes_help() {
  std::vector<int> all;
  for (const ExitCodeRow& row : kExitCodeRows) all.push_back(row.code);
  return exit_codes_help(all);
}

std::string exit_codes_help(const std::vector<int>& codes) {
  std::string text = "Exit codes:\n";
  for (const ExitCodeRow& row : kExitCodeRows) {
    if (std::find(codes.begin(), codes.end(), row.code) != codes.end()) text += row.text;
  }
  return text;
}

std::vector<std::string> likely_meant(const std::string& word, const std::vector<std::string>& candidates) {
  const bool short_option = word.size() == 2 && word[0] == '-' && word[1] != '-';
  const std::string stem = short_option ? "--" + word.substr(1) : word;
  std::vector<std::string> prefixed;
  const size_t letters = stem.size() - std::min(stem.size(), stem.find_first_not_of('-'));
  const bool command = word[0] != '-';  // (a command's first letter names it: few commands, many options)
  if (letters >= (short_option || command ? 1u : 2u)) {
    for (const std::string& c : candidates) {
      if (c.size() > stem.size() && c.compare(0, stem.size(), stem) == 0) prefixed.push_back(c);
    }
  }
  if (!prefixed.empty() && prefixed.size() <= 5) return prefixed;
  const std::string typo = closest(word, candidates);
  if (!typo.empty()) return {typo};
  return {};
}

bool whole_number(const std::string& text, uint64_t* value) {
  size_t used = 0;
  try {
    if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) *value = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  return used && used == text.size();
}

const CLI::Validator kCount(
    [](std::string& text) -> std::string {
      uint64_t value = 0;
      return whole_number(text, &value) ? "" : "want a whole number from 0 to 18446744073709551615 (decimal or 0x hex), got '" + text + "'";
    },
    "COUNT");

CLI::Validator count_in(uint64_t lo, uint64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        uint64_t value = 0;
        if (whole_number(text, &value) && value >= lo && value <= hi) return "";
        return "want a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + text + "'";
      },
      "COUNT");
}

CLI::Validator checked_by(std::function<void(const std::string&)> parser, const std::string& type_name) {
  return CLI::Validator(
      [parser](std::string& text) -> std::string {
        try {
          parser(text);
        } catch (const std::invalid_argument& e) {
          return e.what();
        }
        return "";
      },
      type_name);
}

namespace {

bool is_option(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Lets app and its subcommands collect unknown arguments in remaining(), so
// that parse() can report them with a suggestion. Prefix commands already pass
// everything after them through.
void allow_extras_everywhere(CLI::App& app) {
  if (!app.get_prefix_command()) app.allow_extras();
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) allow_extras_everywhere(*sub);
}

// The innermost subcommand the command line selected (app itself if none), and
// its full name, e.g. "trimode run".
CLI::App* selected(CLI::App& app, std::string* name) {
  CLI::App* at = &app;
  *name = app.get_name();
  for (;;) {
    const auto subs = at->get_subcommands();
    if (subs.empty()) return at;
    at = subs.front();
    *name += " " + at->get_name();
  }
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  const std::vector<std::string> meant = likely_meant(word, candidates);
  std::string hint;
  for (size_t i = 0; i < meant.size(); ++i) {
    hint += std::string(i == 0 ? " (did you mean '" : i + 1 == meant.size() ? " or '" : ", '") + meant[i] + "'";
  }
  return hint.empty() ? "" : hint + "?)";
}

// The full name of a command, e.g. "trimode run".
std::string full_name(const CLI::App& app) {
  return app.get_parent() ? full_name(*app.get_parent()) + " " + app.get_name() : app.get_name();
}

// What a value of this CLI11 type name is, in words: "UINT:COUNT" -> "a whole number".
std::string value_words(const std::string& type) {
  if (type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0) return "a whole number";
  if (type.rfind("FLOAT", 0) == 0) return "a number";
  return "a value";
}

// Parts of a CLI11 message: `text` is `head` + part + `mid` + part ... + `tail`,
// each part non-empty (split on the first `mid` after the part before; the
// last part ends at `tail`, which ends the text). False when it is not.
bool split_message(const std::string& text, const std::vector<std::string>& marks, std::vector<std::string>* parts) {
  parts->clear();
  if (text.compare(0, marks.front().size(), marks.front()) != 0) return false;
  size_t at = marks.front().size();
  for (size_t k = 1; k < marks.size(); ++k) {
    const bool last = k + 1 == marks.size();
    const size_t end = last ? text.size() - marks[k].size() : text.find(marks[k], at + 1);
    if (end == std::string::npos || end <= at || end > text.size() ||
        (last && text.compare(end, marks[k].size(), marks[k]) != 0)) {
      return false;
    }
    parts->push_back(text.substr(at, end - at));
    at = end + marks[k].size();
  }
  return true;
}

// CLI11's message for a bad or missing value, in Trimode's words (the option
// named first, then what it wants and what it got); other messages unchanged.
std::string reworded(const std::string& message, const CLI::App& at) {
  const auto type_of = [&at](const std::string& name) {
    const CLI::Option* o = at.get_option_no_throw(name);
    return o ? o->get_type_name() : std::string();
  };
  const auto needs = [&](const std::string& name, const std::string& got) {
    const CLI::Option* o = at.get_option_no_throw(name);
    const int want = o ? o->get_items_expected_min() : 1;
    return name + " needs " + (want > 1 ? std::to_string(want) + " values (" + type_of(name) + ")" : "a value") + got;
  };
  std::vector<std::string> p;
  // "NAME: N required TYPE missing", "NAME: At least N required but received M"
  if (split_message(message, {"", ": ", " required ", " missing"}, &p)) return needs(p[0], "");
  if (split_message(message, {"", ": At least ", " required but received ", ""}, &p)) return needs(p[0], ", got " + p[2]);
  // "NAME: At Most N required but received M" (an option given twice)
  // (counts of values: an option of k values per use, --save-at N FILE, counts k a use)
  if (split_message(message, {"", ": At Most ", " required but received ", ""}, &p)) {
    const CLI::Option* o = at.get_option_no_throw(p[0]);
    const int per = o ? std::max(1, o->get_items_expected_min()) : 1;
    const auto uses = [per](const std::string& values) {
      try {
        return std::to_string(std::stoi(values) / per);
      } catch (const std::exception&) {
        return values;
      }
    };
    const std::string most = uses(p[1]), given = uses(p[2]);
    return p[0] + " given " + given + " times; give it " + (most == "1" ? std::string("once") : "at most " + most + " times");
  }
  // "NAME: Value V not in range LO to HI"
  if (split_message(message, {"", ": Value ", " not in range ", " to ", ""}, &p)) {
    return p[0] + ": want a whole number from " + p[2] + " to " + p[3] + ", got '" + p[1] + "'";
  }
  // "Could not convert: NAME = V"
  if (split_message(message, {"Could not convert: ", " = ", ""}, &p)) {
    return p[0] + ": want " + value_words(type_of(p[0])) + ", got '" + p[1] + "'";
  }
  // "A excludes B" (a positional named as "the ELF argument", not by its key "elf")
  if (split_message(message, {"", " excludes ", ""}, &p)) {
    const auto shown = [&at](const std::string& name) {
      const CLI::Option* o = at.get_option_no_throw(name);
      if (!o || !o->get_lnames().empty() || !o->get_snames().empty()) return name;
      std::string upper = name;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return "the " + upper + " argument";
    };
    return shown(p[0]) + " and " + shown(p[1]) + " cannot be given together";
  }
  // "NAME: V not in {A,B}"
  if (split_message(message, {"", ": ", " not in {", "}"}, &p)) {
    std::string choices = p[2];
    for (size_t at_comma = choices.find(','); at_comma != std::string::npos; at_comma = choices.find(',', at_comma)) {
      choices.replace(at_comma, 1, choices.find(',', at_comma + 1) == std::string::npos ? " or " : ", ");
    }
    return p[0] + ": want " + choices + ", got '" + p[1] + "'";
  }
  return message;
}

// The first argument that is neither an option nor a subcommand, where the
// app expects a subcommand first (it has subcommands and no positionals).
std::string unknown_command(CLI::App& app, int argc, const char* const* argv) {
  if (subcommand_names(app).empty() || !app.get_options([](const CLI::Option* o) { return o->get_lnames().empty() && o->get_snames().empty(); }).empty()) {
    return "";
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (is_option(arg)) continue;
    const auto names = subcommand_names(app);
    return std::find(names.begin(), names.end(), arg) == names.end() ? arg : "";
  }
  return "";
}

// Unknown arguments stay with the command they followed ("trimode --bogus run"
// leaves --bogus with trimode), or with the innermost command that allows
// extras: reports the first, with that command's options and help. -1 if none.
int unknown_argument(CLI::App& innermost, const std::string& who) {
  for (CLI::App* level = &innermost; level; level = level->get_parent()) {
    for (const std::string& arg : level->remaining()) {
      const std::string where = full_name(*level);
      if (!is_option(arg)) return usage_error(who, "unexpected argument '" + arg + "'", where);
      const std::string opt = arg.substr(0, arg.find('='));
      const std::string in = level->get_parent() ? " for '" + level->get_name() + "'" : "";
      return usage_error(who, "unknown option '" + opt + "'" + in + suggestion(opt, option_names(*level)), where);
    }
  }
  return -1;
}

}  // namespace

int usage_error(const std::string& who, const std::string& message, const std::string& help_of) {
  std::fprintf(stderr, "%s: error: %s; see '%s --help'\n", who.c_str(), message.c_str(), help_of.c_str());
  return kExitBadInput;
}

int guarded(const std::string& who, const std::function<int()>& body) {
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: internal error: %s\n", who.c_str(), one_line(e.what()).c_str());
  } catch (...) {
    std::fprintf(stderr, "%s: error: internal error: an exception that is not a std::exception\n", who.c_str());
  }
  return kExitSimError;
}

int parse(CLI::App& app, int argc, const char* const* argv) {
  if (app.get_name().empty() && argc > 0) {
    const std::string self = argv[0];
    app.name(self.substr(self.find_last_of('/') + 1));
  }
  const std::string who = app.get_name();
  if (const std::string cmd = unknown_command(app, argc, argv); !cmd.empty()) {
    std::string hint = suggestion(cmd, subcommand_names(app));
    if (hint.empty()) {
      for (const std::string& n : subcommand_names(app)) hint += (hint.empty() ? " (commands: " : ", ") + n;
      hint += ")";
    }
    return usage_error(who, "unknown command '" + cmd + "'" + hint, who);
  }
  allow_extras_everywhere(app);
  std::string where;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: on stdout
    CLI::App* at = selected(app, &where);
    if (dynamic_cast<const CLI::RequiredError*>(&e) && at == &app && !subcommand_names(app).empty()) {
      // "trimode --verison": the unknown option, not the missing command, is the mistake.
      if (const int rc = unknown_argument(app, who); rc >= 0) return rc;
      return usage_error(who, "a command is required", who);
    }
    return usage_error(who, reworded(one_line(e.what()), *at), where);
  }
  CLI::App* at = selected(app, &where);
  if (at->get_prefix_command()) return -1;
  return unknown_argument(*at, who);
}

}  // namespace trimode::cli

#include "tlm/cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace trimode::cli {

std::string exit_codes_help() {
  return "Exit codes:\n"
         "  0..200  the guest's own exit code (finisher or tohost); 0 = success\n"
         "  201     bad input: usage error, bad option value, unreadable or invalid file\n"
         "  202     --max-instructions reached\n"
         "  203     the simulation cannot go on (fatal guest state, wfi with nothing to wake it),\n"
         "          or a trace or saved image could not be written whole (disk full)\n"
         "  204     the RTL and the reference disagree (--cosim, sweep)\n"
         "  205     a scenario VM was not created, was stopped, or exited non-zero\n";
}

size_t edit_distance(const std::string& a, const std::string& b) {
  // d[i][j]: distance between the first i chars of a and the first j of b.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = 3;  // a likely typo: at most 2 edits
  for (const std::string& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d && 2 * d < word.size()) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

uint64_t parse_size(const std::string& text) {
  const auto bad = [&text](const std::string& why) {
    return std::invalid_argument("not a size: '" + text + "' (" + why + ")");
  };
  if (text.empty() || text[0] == '-' || text[0] == '+') throw bad("e.g. 64MiB, 4096, 0x10000");
  size_t used = 0;
  uint64_t value = 0;
  try {
    value = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    throw bad("e.g. 64MiB, 4096, 0x10000");
  }
  std::string unit = text.substr(used);
  unit.erase(0, unit.find_first_not_of(' '));
  static const std::pair<const char*, unsigned> kUnits[] = {
      {"", 0},   {"B", 0},   {"K", 10},   {"KiB", 10}, {"k", 10},
      {"M", 20}, {"MiB", 20}, {"G", 30},  {"GiB", 30}};
  for (const auto& [name, shift] : kUnits) {
    if (unit != name) continue;
    if (shift && value > (UINT64_MAX >> shift)) throw bad("too large");
    return value << shift;
  }
  throw bad("unknown unit '" + unit + "': B, KiB, MiB, GiB (or K, M, G), all 1024-based");
}

const CLI::Validator kCount(
    [](std::string& text) -> std::string {
      size_t used = 0;
      try {
        if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) std::stoull(text, &used, 0);
      } catch (const std::exception&) {
        used = 0;
      }
      return used && used == text.size() ? "" : "want a whole number >= 0, got '" + text + "'";
    },
    "COUNT");

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
  const std::string c = closest(word, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

int usage_error(const std::string& who, const std::string& message, const std::string& help_of) {
  std::fprintf(stderr, "%s: error: %s; see '%s --help'\n", who.c_str(), message.c_str(), help_of.c_str());
  return kExitBadInput;
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

}  // namespace

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
      return usage_error(who, "a command is required", who);
    }
    return usage_error(who, one_line(e.what()), where);
  }
  CLI::App* at = selected(app, &where);
  if (at->get_prefix_command()) return -1;
  // Unknown arguments stay with the innermost command that allows extras, or
  // fall back to its parents: report the first, with that command's options.
  for (CLI::App* level = at; level; level = level->get_parent()) {
    for (const std::string& arg : level->remaining()) {
      if (!is_option(arg)) return usage_error(who, "unexpected argument '" + arg + "'", where);
      const std::string opt = arg.substr(0, arg.find('='));
      const std::string in = at == &app ? "" : " for '" + at->get_name() + "'";
      return usage_error(who, "unknown option '" + opt + "'" + in + suggestion(opt, option_names(*at)), where);
    }
  }
  return -1;
}

}  // namespace trimode::cli

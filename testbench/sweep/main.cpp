// trimode-sweep: the trap-decode RTL against the C++ reference classifier.
// All the work is in sweep.cpp (trimode_sweep_lib); this is options and output.
// See docs/validation.md.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <limits>
#include <string>
#include <thread>
#include <unistd.h>

#include "testbench/sweep/sweep.hpp"
#include "tlm/cli/cli.hpp"

namespace {

using trimode::sweep::Progress;

std::string human(double v) {
  char buf[32];
  if (v >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
  } else if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  } else if (v >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

std::string clock_time(double s) {
  const long t = static_cast<long>(s + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  return buf;
}

// A progress bar on stderr: redrawn in place on a terminal, a line every 10 s otherwise.
class Bar {
 public:
  Bar() : tty_(isatty(STDERR_FILENO)) {}
  void operator()(const Progress& p) {
    if (p.total == 0) return;  // (a shard with nothing to check: the usage error alone, no "0/0" bar)
    const bool last = p.done == p.total;
    if (!tty_ && !last && p.seconds < next_line_) return;
    next_line_ = p.seconds + 10;
    const double frac = p.total ? static_cast<double>(p.done) / p.total : 1.0;
    const double rate = p.seconds > 0 ? p.done / p.seconds : 0;
    const double eta = rate > 0 ? (p.total - p.done) / rate : 0;
    constexpr int kWidth = 30;
    const int fill = static_cast<int>(frac * kWidth);
    std::string bar(fill, '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "%s[%s] %5.1f%% %s/%s %s/s ETA %s mismatches %llu%s", tty_ ? "\r" : "", bar.c_str(),
                 100 * frac, human(p.done).c_str(), human(p.total).c_str(), human(rate).c_str(),
                 clock_time(eta).c_str(), static_cast<unsigned long long>(p.mismatches),
                 tty_ && !last ? "" : "\n");
    std::fflush(stderr);
  }

 private:
  bool tty_;
  double next_line_ = 0;
};

// Limits of the counts the options take (docs/validation.md, the sweep: "Counts are"). Each
// keeps the stimulus arithmetic far from 64-bit overflow; values past them,
// negative values and 0 are usage errors, never a silently empty sweep.
constexpr uint64_t kMaxRandom = uint64_t{1} << 48;  // about 100 days at 30 M stimuli/s
constexpr uint64_t kMaxShards = std::numeric_limits<unsigned>::max();
constexpr uint64_t kMaxThreads = 1024;  // each thread builds its own model

// "i/n" with 0 <= i < n <= kMaxShards into *i and *n; false when it is not.
bool parse_shard(const std::string& text, unsigned* i, unsigned* n) {
  const auto slash = text.find('/');
  uint64_t index = 0, count = 0;
  if (slash == std::string::npos || !trimode::cli::whole_number(text.substr(0, slash), &index) ||
      !trimode::cli::whole_number(text.substr(slash + 1), &count) || count == 0 || count > kMaxShards ||
      index >= count) {
    return false;
  }
  *i = static_cast<unsigned>(index);
  *n = static_cast<unsigned>(count);
  return true;
}

// "A:B" into *lo and *hi (whole numbers, see cli::whole_number); false when it is not.
bool parse_range(const std::string& text, uint64_t* lo, uint64_t* hi) {
  const auto colon = text.find(':');
  return colon != std::string::npos && trimode::cli::whole_number(text.substr(0, colon), lo) &&
         trimode::cli::whole_number(text.substr(colon + 1), hi);
}

// cli::usage_error's line for the --range and --shard values, checked here after cli::parse.
int usage_error(const CLI::App& app, const std::string& message) {
  return trimode::cli::usage_error(app.get_name(), message, app.get_name());
}

// The whole command: options, the sweep, its report. Returns the exit code.
int sweep_main(int argc, char** argv) {
  trimode::sweep::SweepOptions opt;
  std::string range, shard;
  bool quiet = false;

  CLI::App app{"Compare the trap-decode RTL (Verilated) with trimode::classify over the instruction space."};
  app.add_flag("--all", opt.all, "every 32-bit word x 4 mode values (irq lines idle)");
  app.add_flag("--directed", opt.directed,
               "table rows' match and match|~mask words, fields at their boundaries, x 3 modes x 16 irq states");
  app.add_flag("--system", opt.system,
               "every SYSTEM-opcode word x 4 mode values x (irq idle, a pending state rotating over all twelve)");
  app.add_flag("--pairs", opt.pairs,
               "every row with pairs of fields (rd rs1 rs2 funct3 fm pred succ) varied together, every 12-bit and "
               "U/J 20-bit immediate, x 4 mode values");
  app.add_option("--range", range, "words A:B (half-open, A < B <= 0x100000000) x 4 mode values");
  app.add_option("--random", opt.random, "N random (word, mode, irq state) triples, 1 <= N <= 2^48")
      ->check(trimode::cli::count_in(1, kMaxRandom));
  app.add_option("--seed", opt.seed, "seed of --random")
      ->check(trimode::cli::count_in(0, std::numeric_limits<uint64_t>::max()))
      ->needs("--random")  // the other sources are fixed sets: a seed there would be silently ignored
      ->capture_default_str();
  app.add_option("--shard", shard, "i/n: check only the i-th of n equal slices (0-based, n <= 2^32-1)");
  unsigned rotate = 0;
  app.add_option("--shard-of-the-day", rotate,
                 "n: check slice (days since 1970-01-01 UTC) mod n of n, so n daily runs cover everything")
      ->check(trimode::cli::count_in(1, kMaxShards))
      ->excludes("--shard");
  app.add_option("--threads", opt.threads,
                 "worker threads, each with its own model, 1 to 1024 (default: hardware threads)")
      ->check(trimode::cli::count_in(1, kMaxThreads));
  app.add_option("--max-failures", opt.max_mismatches, "mismatches printed")
      ->check(trimode::cli::count_in(0, std::numeric_limits<unsigned>::max()))
      ->capture_default_str();
  app.add_flag("-q,--quiet", quiet, "no progress bar");
  app.footer("Exit codes: 0 no mismatch, 201 usage error, 203 internal error (a bug), 204 mismatches found.");
  if (const int rc = trimode::cli::parse(app, argc, argv); rc >= 0) return rc;

  if (!range.empty()) {
    if (!parse_range(range, &opt.range_lo, &opt.range_hi)) {
      return usage_error(app, "--range wants A:B, got '" + range + "'");
    }
    if (opt.range_hi > (uint64_t{1} << 32)) {
      return usage_error(app, "--range: B is at most 0x100000000 (the words are 32 bits), got '" + range + "'");
    }
    if (opt.range_lo >= opt.range_hi) {  // ([A, B): A:A holds no word)
      return usage_error(app, "--range needs A < B (the range is [A, B)), got '" + range + "'");
    }
    opt.range = true;
  }
  if (!shard.empty()) {
    if (!parse_shard(shard, &opt.shard_index, &opt.shard_count)) {
      return usage_error(app, "--shard wants i/n with 0 <= i < n <= " + std::to_string(kMaxShards) + ", got '" +
                                  shard + "'");
    }
  }
  if (rotate) {
    opt.shard_count = rotate;
    opt.shard_index = static_cast<unsigned>(std::time(nullptr) / 86400 % rotate);
    std::printf("shard %u/%u of the day (UTC); rerun it with --shard %u/%u\n", opt.shard_index, rotate,
                opt.shard_index, rotate);
    std::fflush(stdout);
  }
  if (!opt.all && !opt.directed && !opt.system && !opt.pairs && !opt.range && opt.random == 0) {
    return usage_error(app, "choose at least one of --all, --directed, --system, --pairs, --range, --random");
  }

  Bar bar;
  trimode::sweep::ProgressFn progress;
  if (!quiet) progress = [&bar](const Progress& p) { bar(p); };
  const auto result = trimode::sweep::run_sweep(opt, progress);

  if (result.checked == 0) {
    // Every source above is non-empty, so only a shard with more slices than
    // stimuli gets here: checking nothing is not a pass.
    return usage_error(app, "shard " + std::to_string(opt.shard_index) + "/" + std::to_string(opt.shard_count) +
                                " holds none of these stimuli (fewer stimuli than shards): nothing was checked");
  }
  for (const auto& m : result.first) std::printf("%s\n", trimode::sweep::format_mismatch(m).c_str());
  if (result.mismatches > result.first.size()) {
    std::printf("... %llu more mismatches not shown\n",
                static_cast<unsigned long long>(result.mismatches - result.first.size()));
  }
  std::printf("checked %llu, mismatches %llu, rate %.0f/s\n", static_cast<unsigned long long>(result.checked),
              static_cast<unsigned long long>(result.mismatches), result.rate());
  return result.mismatches ? trimode::cli::kExitMismatch : 0;
}

}  // namespace

// An exception nothing caught (a thread that cannot be started, std::bad_alloc)
// is one line and 203 (internal error), not std::terminate's abort.
int main(int argc, char** argv) {
  const std::string self = argc > 0 ? argv[0] : "trimode-sweep";  // ("trimode sweep" through trimode)
  return trimode::cli::guarded(self.substr(self.find_last_of('/') + 1), [&] { return sweep_main(argc, argv); });
}

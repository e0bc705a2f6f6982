// trimode: the command line of the Trimode virtual platform.
//
//   trimode run ELF [options]   run a bare-metal ELF from its entry point in V
//   trimode run --scenario FILE a scenario under the hypervisor
//   trimode run --restore FILE  continue from a --save-at checkpoint
//   trimode demo                the built-in default job
//   trimode sweep ...           the RTL-vs-reference sweep (trimode-sweep)
//
// Exit codes: tlm/cli/cli.hpp (the guest's own 0..200, then 201..205).
#include <cstdlib>

// SystemC prints its banner from a static initializer; this one, ahead of the
// SystemC headers in this file, silences it (stdout and stderr are the user's).
static const int kQuietBanner = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <systemc>

#include "default_scenario.hpp"
#include "models/core/disasm.hpp"
#include "tlm/cli/cli.hpp"
#include "tlm/debug/gdb_server.hpp"
#include "tlm/kernel_stack.hpp"
#include "tools/memmap/memory_map.hpp"
#include "tlm/platform/checkpoint.hpp"
#include "tlm/platform/timing_report.hpp"
#include "tlm/platform/platform.hpp"
#include "tools/output_file/output_file.hpp"
#include "tools/scenario_loader/scenario.hpp"
#include "tlm/platform/waves.hpp"

namespace trimode {
namespace {

using cli::kExitBadInput;
using cli::kExitLimit;
using cli::kExitMismatch;
using cli::kExitSimError;
using cli::kExitVmFailed;
using cli::kMaxGuestCode;
constexpr const char* kBuiltIn = "@default";  // --scenario value naming the built-in default

struct RunOptions {
  std::string elf;
  std::string scenario;
  std::string sw_dir;
  std::string memmap_svg;
  uint64_t max_instructions = 0;
  std::string quantum = "10us";
  bool sync_every_quantum = false;
  std::string clock = "10ns";
  std::string ram_size = std::to_string(spec::kRamSize / (1024 * 1024)) + "MiB";
  bool stats = false;
  bool cosim = false;
  bool timing_report = false;
  bool no_dmi = false;
  bool strict_fence_i = false;
  std::string misaligned = "trap";
  unsigned segments = spec::kLimitSegments;
  std::string trace_insn;
  bool trace_disasm = false;
  bool trace_modes = false;
  std::string vcd;
  std::string fst;
  std::string trace_from, trace_to;  // the trace window: an instruction count or a time
  std::string rtl_fst;
  std::vector<std::string> save_at;  // N FILE: --save-at
  std::string restore;               // --restore FILE
  int gdb_port = -1;  // -1: no GDB server
  bool gdb_wait = false;
  std::string gdb_stop_on_trap;
};

// Output files are checked before the run, so a bad path is one line and exit
// 201 up front rather than an error after a long run (outputs_ok).

// A window's bounds for the core with no trace to write (--rtl-fst alone):
// inside it the RTL's FST is dumped, the records are dropped.
struct NoWaves : WaveSink {
  void slice(std::vector<Retired>& records, std::vector<DecisionAt>& decisions, RunRecords& runs) override {
    records.clear(), decisions.clear(), runs.clear();
  }
};

// A file the run reads or writes, and what names it (an option, "the ELF").
struct NamedFile {
  std::string path;
  std::string by;
};

// Where writing `path` lands: symbolic links followed, a dangling one's target
// included (weakly_canonical leaves a link to a file not yet made as it is).
std::filesystem::path write_target(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  for (int hops = 0; hops < 40 && fs::is_symlink(p, ec); ++hops) {  // (40: the kernel's own limit)
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) break;
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return fs::weakly_canonical(p, ec);
}

// a and b are one file (the same inode, or the same path once links are
// followed: "--vcd s.x --trace-insn sl.x" with sl.x a link to s.x, not yet made).
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (std::filesystem::exists(a, ec) && std::filesystem::exists(b, ec)) return std::filesystem::equivalent(a, b, ec);
  return write_target(a) == write_target(b);
}

// The outputs can be written (checked without opening them: can_write), no
// regular file is named by two outputs or is an input too: else one line, false.
bool outputs_ok(const std::vector<NamedFile>& outputs, const std::vector<NamedFile>& inputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const NamedFile& out = outputs[i];
    if (out.path.empty()) {
      std::fprintf(stderr, "trimode: error: %s: empty file name\n", out.by.c_str());
      return false;
    }
    if (const std::string why = can_write(out.path); !why.empty()) {
      std::fprintf(stderr, "trimode: error: cannot write %s (%s): %s\n", out.path.c_str(), out.by.c_str(), why.c_str());
      return false;
    }
    struct stat st {};
    if (stat(out.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) continue;  // (/dev/null, a pipe: shared alike)
    for (size_t j = 0; j < i; ++j) {
      if (!same_file(out.path, outputs[j].path)) continue;
      std::fprintf(stderr, "trimode: error: %s and %s name the same file %s; give each output a file of its own\n",
                   outputs[j].by.c_str(), out.by.c_str(), out.path.c_str());
      return false;
    }
    for (const NamedFile& in : inputs) {
      if (in.path.empty() || !same_file(out.path, in.path)) continue;
      std::fprintf(stderr, "trimode: error: %s would overwrite %s %s\n", out.by.c_str(), in.by.c_str(), in.path.c_str());
      return false;
    }
  }
  return true;
}

// An output file that was opened before the run but not written whole: one
// line naming it, and exit 203 in place of 0 or the limit's 202 (and so of a
// scenario's 205, decided later); a guest's own code (1..200), a 203 or a 204
// stays (docs/overview.md's exit codes). `what`: "trace", "memory map", ...
void report_incomplete(const std::string& path, const std::string& why, const char* what, int* rc) {
  std::fprintf(stderr, "trimode: error: writing %s failed (%s): the %s is incomplete\n", path.c_str(), why.c_str(), what);
  // (the limit's 202 yields too: a bounded run is the usual way to trace a long program, and a
  // script that takes 202 as "done" must not take an incomplete trace for a whole one)
  if (*rc == 0 || *rc == kExitLimit) *rc = kExitSimError;
}

// A bound of the trace window (--trace-from, --trace-to) given as an
// instruction count: a whole number ("100000"); anything else is a time.
bool is_count_bound(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// A bound of the trace window (--trace-from, --trace-to) into `window`: a
// whole number is an instruction count, anything else a time ("50us"),
// counted in clock periods (an instruction at cycle c is at c * period).
sc_core::sc_time parse_time(const std::string& text, double min_s, double max_s);
void parse_window_bound(const std::string& text, bool from, const sc_core::sc_time& period, WaveWindow* window) {
  if (is_count_bound(text)) {
    uint64_t n = 0;
    try {
      n = std::stoull(text);
    } catch (const std::exception&) {
      throw std::invalid_argument("instruction count out of range: '" + text + "'");
    }
    (from ? window->from_insn : window->to_insn) = n;
    return;
  }
  const sc_core::sc_time t = parse_time(text, 0, 1e6);  // (from 0: a window from the run's start)
  const uint64_t p = period.value(), v = t.value();
  (from ? window->from_cycle : window->to_cycle) = v / p + (v % p != 0);  // the first cycle at or after t
}

// "10ns", "1 us", "2.5ms" -> sc_time; throws std::invalid_argument.
// A time such as "10ns" within [min_s, max_s] seconds: checked on the number
// before sc_time sees it (0.4ps would round to 0, 1e300s overflow).
sc_core::sc_time parse_time(const std::string& text, double min_s, double max_s) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("not a time: '" + text + "' (e.g. 10ns, 1us)");
  }
  if (value < 0 || (value == 0 && min_s > 0)) {  // (before the unit: "-5" is refused for its sign, not its unit)
    throw std::invalid_argument(std::string(min_s > 0 ? "time must be positive" : "time must not be negative") + ": '" +
                                text + "'");
  }
  std::string unit = text.substr(used);
  unit.erase(0, unit.find_first_not_of(' '));
  if (unit.empty()) {  // ("--clock 10 ns": the unit became an argument of its own)
    throw std::invalid_argument("no time unit in '" + text + "': give one, written with the number (e.g. " + text +
                                "ns; ps, ns, us, ms, s)");
  }
  static const struct { const char* name; sc_core::sc_time_unit unit; double seconds; } kUnits[] = {
      {"ps", sc_core::SC_PS, 1e-12}, {"ns", sc_core::SC_NS, 1e-9}, {"us", sc_core::SC_US, 1e-6},
      {"ms", sc_core::SC_MS, 1e-3}, {"s", sc_core::SC_SEC, 1.0}};
  for (const auto& u : kUnits) {
    if (unit == u.name) {
      const double s = value * u.seconds;
      if (!(s >= min_s * (1 - 1e-9) && s <= max_s * (1 + 1e-9))) {
        char range[96];
        std::snprintf(range, sizeof range, "between %gs and %gs", min_s, max_s);
        throw std::invalid_argument("time out of range: '" + text + "' (" + range + ")");
      }
      const double ps = s * 1e12;  // (SystemC's resolution: 1 ps; a fraction would be rounded away)
      if (std::fabs(ps - std::round(ps)) > 1e-6 * std::max(1.0, ps)) {
        throw std::invalid_argument("not a whole number of picoseconds: '" + text + "' (the resolution is 1 ps)");
      }
      return sc_core::sc_time(value, u.unit);
    }
  }
  throw std::invalid_argument("unknown time unit in '" + text + "' (ps, ns, us, ms, s)");
}

// A RAM size with units ("64MiB"): a non-zero multiple of 4 KiB up to the
// address map's RAM; throws std::invalid_argument.
uint64_t parse_ram_size(const std::string& text) {
  const uint64_t size = cli::parse_size(text);
  if (size == 0 || size > spec::kRamSize || size % 4096) {
    throw std::invalid_argument("want a non-zero multiple of 4 KiB up to " + std::to_string(spec::kRamSize >> 20) +
                                " MiB, got '" + text + "'");
  }
  return size;
}

// A trace window that starts where the run never got: the trace files hold
// no step (the run's exit code stays its own), which a note says.
void note_window_after_end(const RunOptions& o, const WaveWindow& window, const Hart& hart) {
  if (hart.instret() > window.from_insn && hart.cycle() > window.from_cycle) return;
  std::string files;
  for (const std::string* f : {&o.vcd, &o.fst, &o.rtl_fst}) files += f->empty() ? "" : (files.empty() ? "" : ", ") + *f;
  std::fprintf(stderr,
               "trimode: note: the run ended after %llu instructions (%llu cycles), before the trace window's start "
               "(--trace-from %s): %s hold%s no step\n",
               static_cast<unsigned long long>(hart.instret()), static_cast<unsigned long long>(hart.cycle()),
               o.trace_from.c_str(), files.c_str(), files.find(',') == std::string::npos ? "s" : "");
}

// SystemC's own reports go to stderr, so stdout carries only the guest's console.
void report_to_stderr(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (actions & sc_core::SC_DISPLAY) {
    std::fprintf(stderr, "trimode: %s\n", sc_core::sc_report_compose_message(report).c_str());
  }
  if (actions & (sc_core::SC_THROW | sc_core::SC_ABORT)) sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

void quiet_systemc() {
  sc_core::sc_report_handler::set_handler(report_to_stderr);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
}

// Calls fn(from, to, count) for every mode pair with at least one transition.
template <typename Fn>
void for_each_transition(const ModeState& m, Fn fn) {
  const spec::Mode modes[] = {spec::Mode::U, spec::Mode::G, spec::Mode::V};
  for (spec::Mode from : modes) {
    for (spec::Mode to : modes) {
      if (const uint64_t n = m.transitions(from, to)) fn(from, to, n);
    }
  }
}

void print_mode_stats(const ModeState& m) {
  std::fprintf(stderr, "traps by kind         k1 %llu  k2 %llu  k3 %llu  none %llu\n",
               static_cast<unsigned long long>(m.traps_of_kind(1)), static_cast<unsigned long long>(m.traps_of_kind(2)),
               static_cast<unsigned long long>(m.traps_of_kind(3)), static_cast<unsigned long long>(m.traps_of_kind(0)));
  std::fprintf(stderr, "exits                 %llu\n", static_cast<unsigned long long>(m.exits()));
  for_each_transition(m, [](spec::Mode from, spec::Mode to, uint64_t n) {
    std::fprintf(stderr, "transitions %s -> %s      %llu\n", mode_name(from), mode_name(to),
                 static_cast<unsigned long long>(n));
  });
}

// A traced run's threads (docs/debugging.md, "Where a traced run's time goes").
void print_trace_times(const TraceTimes& t) {
  std::fprintf(stderr, "trace writer          %.3f s cpu, waited %.3f s for the run", t.writer_cpu, t.writer_waited);
  if (t.compression) std::fprintf(stderr, ", %.3f s for compression", t.writer_waited_compression);
  std::fprintf(stderr, "\n");
  if (t.compression) {
    std::fprintf(stderr, "trace compression     %.3f s cpu, waited %.3f s for the writer\n", t.compression_cpu,
                 t.compression_waited);
  }
  std::fprintf(stderr, "trace run             waited %.3f s for the writer\n", t.run_waited);
}

// ran: the instructions this run retired in host_seconds (after --restore,
// fewer than instret); with_modes: also traps and transitions (a scenario's
// summary already has them); trace: the trace threads' times, when a
// waveform was written.
void print_stats(Platform& p, double host_seconds, uint64_t ran, bool with_modes, const TraceTimes* trace) {
  Hart& hart = p.core.hart();
  const ModeState& m = p.modereg.state();
  const double sim_s = p.core.local_time().to_seconds();
  std::fprintf(stderr, "--- trimode stats ---\n");
  std::fprintf(stderr, "instructions retired  %llu\n", static_cast<unsigned long long>(hart.instret()));
  std::fprintf(stderr, "cycles                %llu\n", static_cast<unsigned long long>(hart.cycle()));
  std::fprintf(stderr, "simulated time        %.6f s\n", sim_s);
  std::fprintf(stderr, "host time             %.3f s\n", host_seconds);
  std::fprintf(stderr, "speed                 %.1f MIPS\n",
               host_seconds > 0 ? static_cast<double>(ran) / host_seconds / 1e6 : 0.0);
  if (with_modes) print_mode_stats(m);
  const auto& ms = p.memctl.stats();
  std::fprintf(stderr, "memctl                checks %llu  faults %llu  dmi grants %llu\n",
               static_cast<unsigned long long>(ms.checks), static_cast<unsigned long long>(ms.faults),
               static_cast<unsigned long long>(ms.dmi_grants));
  if (trace) print_trace_times(*trace);
}

void print_transition(const Transition& t, const Platform& p) {
  const double ns = p.core.local_time().to_seconds() * 1e9;
  if (t.is_exit) {
    std::fprintf(stderr, "[%14.0f ns] pc 0x%08x  %s -> %s  exit (kind %u)\n", ns, t.pc, mode_name(t.from),
                 mode_name(t.to), t.kind);
  } else {
    std::fprintf(stderr, "[%14.0f ns] pc 0x%08x  %s -> %s  trap kind %u cause %s (0x%x)\n", ns, t.pc,
                 mode_name(t.from), mode_name(t.to), t.kind, cause_name(t.cause), t.cause);
  }
}

// For an ELF built for RVC: the first illegal-instruction trap on a 16-bit
// (compressed) encoding says why, once, on stderr.
void explain_compressed_traps(Platform& p) {
  auto said = std::make_shared<bool>(false);
  Platform* at = &p;
  p.modereg.add_observer([at, said](const Transition& t) {
    uint32_t word = 0;  // (the word the core fetched: the trap's tval; its low half at the end of memory)
    if (*said || t.is_exit || t.cause != spec::kCauseIllegalInsn) return;
    if (!at->read_memory(t.pc, &word, 4) && !at->read_memory(t.pc, &word, 2)) return;
    const auto half = static_cast<uint16_t>(word);
    if ((half & 3) == 3) return;  // a 32-bit encoding: illegal for another reason
    *said = true;
    std::fprintf(stderr,
                 "trimode: note: illegal instruction 0x%08x at pc 0x%08x starts with the compressed (RVC)"
                 " instruction 0x%04x; the core is RV32IM without the C extension\n",
                 word, t.pc, half);
  });
}

// A bare-metal program's first illegal-instruction trap on a CSR instruction
// whose CSR trimode does not have (a crt0 for QEMU or Spike writes mtvec, reads
// mhartid) says why, once, on stderr: V has its own CSRs instead of M's.
void explain_missing_csr_traps(Platform& p) {
  auto said = std::make_shared<bool>(false);
  Platform* at = &p;
  p.modereg.add_observer([at, said](const Transition& t) {
    uint32_t word = 0;
    if (*said || t.is_exit || t.cause != spec::kCauseIllegalInsn) return;
    if (!at->read_memory(t.pc, &word, 4) || !is_csr_instruction(word)) return;
    const uint32_t csr = word >> 20;
    if (spec::csr_block(static_cast<uint16_t>(csr)) != spec::CsrBlock::kNone) return;  // one of trimode's
    *said = true;
    const char* name = standard_csr_name(csr);
    const bool machine = (csr >> 8 & 3) == 3;  // (the address's privilege field: an M-mode CSR)
    std::fprintf(stderr,
                 "trimode: note: illegal instruction 0x%08x at pc 0x%08x accesses CSR 0x%03x%s%s%s, which trimode"
                 " does not have: V, where a bare-metal program starts, has vtvec, vepc, vcause, vtval, vscratch,"
                 " vstatus%s (docs/generated/csrs.md)\n",
                 word, t.pc, csr, name ? " (" : "", name ? name : "", name ? ")" : "",
                 machine ? " instead of M-mode's" : "");
  });
}

// One snapshot of the hypervisor's memory queue as a picture step; with
// drop_ended, the ranges of VMs that have ended are left out (the hypervisor
// frees a VM's memory when it ends, so they are free at the end).
memmap::Step map_step(const tm_map& map, const tm_report& report, const std::string& title, bool drop_ended) {
  memmap::Step step{title, {}};
  for (uint32_t i = 0; i < std::min<uint32_t>(map.n, TM_MAX_MAP); ++i) {
    const auto& seg = map.seg[i];
    const bool ended = seg.owner != 0 && seg.owner <= TM_MAX_VMS && report.vm_state[seg.owner] != TM_VM_RUNNING;
    if (drop_ended && ended) continue;
    step.ranges.push_back({seg.base, seg.size, seg.owner, ""});
  }
  return step;
}

// True when the snapshot lists memory of a VM that has ended since: it was
// taken at a vm_grow, not at the end.
bool lists_ended_vm(const tm_map& map, const tm_report& report) {
  return map_step(map, report, "", true).ranges.size() != map_step(map, report, "", false).ranges.size();
}

// The memory steps of the summary, in time order: when the VMs were created,
// after the last grow (only if a VM grew), and at the end: the run's one
// memory map (the hypervisor's log prints none but after a resume).
std::vector<memmap::Step> memory_steps(const tm_report& report) {
  std::vector<memmap::Step> steps;
  if (report.map_steps == 0) return steps;
  steps.push_back(map_step(report.map[0], report, "when the VMs were created", false));
  const tm_map& last = report.map[report.map_steps >= 2 ? 1 : 0];
  if (report.map_steps >= 2 && lists_ended_vm(last, report)) {
    steps.push_back(map_step(last, report, "after the last grow (every VM listed was running then)", false));
  }
  steps.push_back(map_step(last, report, "at the end (memory of the VMs that ended is free again)", true));
  return steps;
}

void print_traps(const ModeState& m) {
  const auto n = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("traps up to a higher mode: %llu (instructions of kind 1: %llu, kind 2: %llu, kind 3: %llu;"
              " interrupts, faults and illegal instructions: %llu)\n",
              n(m.traps_of_kind(1) + m.traps_of_kind(2) + m.traps_of_kind(3) + m.traps_of_kind(0)), n(m.traps_of_kind(1)),
              n(m.traps_of_kind(2)), n(m.traps_of_kind(3)), n(m.traps_of_kind(0)));
  std::printf("exits back down: %llu\n", n(m.exits()));
  std::string pairs;  // " V->G 12 ...", or none when the run stopped before any transition
  for_each_transition(m, [&n, &pairs](spec::Mode from, spec::Mode to, uint64_t count) {
    char pair[64];
    std::snprintf(pair, sizeof pair, " %s->%s %llu", mode_name(from), mode_name(to), n(count));
    pairs += pair;
  });
  std::printf("transitions by mode pair:%s\n", pairs.empty() ? " none" : pairs.c_str());
}

// The terms of the summary, printed under it (README "Reading the summary").
void print_terms() {
  std::printf("terms: U user, G guest kernel, V hypervisor. An instruction's kind says which modes may run it:\n"
              "  kind 1 (sensitive) only V, kind 2 (privileged) G and V, kind 3 any mode; elsewhere it traps up\n"
              "  to the mode that owns it. An exit (xret) returns down. ticks: timer (mtime) ticks a VM ran.\n"
              "  code: an exited VM's exit code; a stopped VM's trap cause (17 sensitive_insn, 7 store_access_fault, ...)\n"
              "  or 4097, 4098, 4099 (0x1001 CPU budget, 0x1002 wall-time budget, 0x1003 resume failed).\n");
}

// One VM's line of the summary: how it ended, its weight and cpu share
// (`ticks`: every VM's). Returns how it failed ("exited (code 3)", "was not
// created", "not started", ...), or "" when it ended well. Before the
// hypervisor's first memory snapshot (map_steps 0: it snapshots once every VM
// is created) no VM has started: the run stopped during its boot
// (--max-instructions), and the report's states are still all zero.
std::string print_vm_end(const tm_vm& vm, const tm_report& report, uint64_t ticks) {
  if (tm_vm_not_created(&report, vm.id)) {
    std::printf("VM %u (%s): not created (the hypervisor's line above says why)\n", vm.id, vm.name);
    return "was not created";
  }
  if (report.map_steps == 0 && report.vm_state[vm.id] == TM_VM_RUNNING) {
    std::printf("VM %u (%s): not started (the run stopped while the hypervisor was booting), weight %u\n", vm.id,
                vm.name, vm.weight);
    return "not started";
  }
  const char* states[] = {"still running", "exited", "stopped by the hypervisor", "saved for another run"};
  const uint32_t st = report.vm_state[vm.id] < 4 ? report.vm_state[vm.id] : 0;
  const uint32_t code = report.vm_code[vm.id], cpu = report.vm_cpu_ticks[vm.id];
  const unsigned permille = ticks ? static_cast<unsigned>(uint64_t{cpu} * 1000 / ticks) : 0;
  // (a running VM has no code yet; its CPU is charged at the hypervisor's timer interrupts and switches)
  const std::string coded = st == TM_VM_RUNNING ? "" : ", code " + std::to_string(code);
  std::printf("VM %u (%s): %s%s, weight %u, cpu %u ticks (%u.%u%%)%s\n", vm.id, vm.name, states[st], coded.c_str(),
              vm.weight, cpu, permille / 10, permille % 10,
              st == TM_VM_RUNNING && cpu == 0 ? ": no CPU charged to it yet" : "");
  if ((st == TM_VM_EXITED || st == TM_VM_SAVED) && code == 0) return "";
  return st == TM_VM_RUNNING ? states[st] : std::string(states[st]) + " (code " + std::to_string(code) + ")";
}

// The end of a scenario run: how each VM ended, traps and transitions, and
// the physical memory the hypervisor reported (also as SVG if asked: why it
// could not be written whole goes to *svg_failed).
// Returns the VMs that did not end well ("vm3 stopped (code 17)", ...), or "".
std::string print_scenario_summary(Platform& p, const ScenarioImage& img, const std::string& svg, std::string* svg_failed) {
  tm_report report{};
  const uint32_t at = img.bootinfo_addr + offsetof(tm_bootinfo, report);
  if (!p.read_memory(at, &report, sizeof report)) return "the hypervisor's report cannot be read";
  std::string failed;
  std::printf("\n=== summary ===\n");
  memmap::MapSpec spec{img.bootinfo.ram_base, img.bootinfo.ram_size, "Physical memory, as the hypervisor's allocator held it",
                        memmap::Radix::kHex, {}};
  spec.owner_names[0] = "hypervisor";
  uint64_t ticks = 0;  // every VM's, for the shares
  for (uint32_t i = 0; i < img.bootinfo.n_vms; ++i) ticks += report.vm_cpu_ticks[img.bootinfo.vms[i].id];
  for (uint32_t i = 0; i < img.bootinfo.n_vms; ++i) {
    const tm_vm& vm = img.bootinfo.vms[i];
    const std::string ended = print_vm_end(vm, report, ticks);
    if (!ended.empty()) failed += std::string(failed.empty() ? "" : ", ") + vm.name + " " + ended;
    spec.owner_names[vm.id] = vm.name;
    spec.owner_names[TM_IMAGE_OWNER(vm.id)] = std::string(vm.name) + " (image)";  // as the hypervisor's log names it
  }
  print_traps(p.modereg.state());
  const std::vector<memmap::Step> steps = memory_steps(report);
  if (!steps.empty()) {
    try {
      std::printf("%s", memmap::render_table(spec, steps).c_str());
      if (!svg.empty()) *svg_failed = write_output_file(svg, memmap::render_svg(spec, steps));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "trimode: the hypervisor's memory report is not valid: %s\n", e.what());
      if (!svg.empty()) std::fprintf(stderr, "trimode: no memory map written to %s\n", svg.c_str());
    }
  } else if (!svg.empty()) {
    std::fprintf(stderr, "trimode: no memory map written to %s: the hypervisor had not reported its memory yet\n",
                 svg.c_str());
  }
  print_terms();
  return failed;
}

// The VM images the hypervisor kept for another run (scenario checkpoints with
// "save"): read from RAM, checked, written to their host files. 0, or why not.
std::string write_saved_images(Platform& p, const ScenarioImage& img) {
  tm_saved saved[TM_MAX_CHECKPOINTS]{};
  if (!p.read_memory(img.bootinfo_addr + offsetof(tm_bootinfo, saved), saved, sizeof saved)) return "the hypervisor's list of saved images cannot be read";
  for (size_t i = 0; i < img.saves.size() && i < TM_MAX_CHECKPOINTS; ++i) {
    if (img.saves[i].empty()) continue;
    const tm_saved& sv = saved[i];
    if (sv.vm == 0) {
      std::fprintf(stderr, "trimode: checkpoints[%zu] was not taken: no image written to %s\n", i, img.saves[i].c_str());
      continue;
    }
    std::vector<uint8_t> bytes;
    for (uint32_t c = 0; c < sv.n_chunks && c < TM_LIMIT_SEGMENTS && bytes.size() < sv.length; ++c) {
      const size_t at = bytes.size();
      bytes.resize(at + sv.chunk[c].size);
      if (!p.read_memory(sv.chunk[c].base, bytes.data() + at, sv.chunk[c].size)) return "a saved image lies outside RAM";
    }
    if (sv.length < TM_VMIMAGE_HEADER_BYTES || bytes.size() < sv.length) return "a saved image is shorter than its length";
    bytes.resize(sv.length);
    const std::string why = write_output_file(img.saves[i], bytes.data(), bytes.size());
    if (!why.empty()) return "writing " + img.saves[i] + " failed (" + why + "): the saved image is incomplete";
    std::fprintf(stderr, "trimode: the image of VM %u (%u bytes) written to %s\n", sv.vm, sv.length, img.saves[i].c_str());
  }
  return "";
}

int exit_code_of(const RunResult& r) {
  switch (r.how) {
    case RunResult::How::kGuestExit:
      if (r.guest_code > kMaxGuestCode || r.guest_code < 0) {  // (beside trimode's own codes: say whose it is)
        if ((r.guest_code & 0xFF) == r.guest_code) {
          std::fprintf(stderr, "trimode: note: exit status %d is the program's own exit code, not trimode's\n", r.guest_code);
        } else {
          std::fprintf(stderr, "trimode: note: the program's own exit code %d ends the run with exit status %d (its low 8 bits, as on QEMU), the program's, not trimode's\n",
                       r.guest_code, r.guest_code & 0xFF);
        }
      }
      return r.guest_code & 0xFF;
    case RunResult::How::kInstructionLimit:
      std::fprintf(stderr, "trimode: %s\n", r.message.c_str());
      return kExitLimit;
    case RunResult::How::kFatal:
      if (r.message.rfind("FAILURE:", 0) == 0) {
        std::fprintf(stderr, "%s\n%s", r.message.c_str(), r.report.c_str());
        return kExitMismatch;
      }
      [[fallthrough]];
    case RunResult::How::kStalled:
      std::fprintf(stderr, "trimode: error: %s\n%s", r.message.c_str(), r.report.c_str());
      return kExitSimError;
    case RunResult::How::kNoExit:
      std::fprintf(stderr, "trimode: error: the simulation ended without a guest exit\n%s", r.report.c_str());
      return kExitSimError;
  }
  return kExitSimError;
}

// ---- checkpoints (docs/checkpoint.md) ------------------------------------------

// What the run was, so --restore rebuilds the same platform: the options that
// shape the netlist and the program, and a fingerprint of the loaded bytes.
void save_identity(StateWriter& w, const RunOptions& o, uint64_t fingerprint) {
  w.begin("RUN ");
  const auto absolute = [](const std::string& p) { return p.empty() ? p : std::filesystem::absolute(p).string(); };
  w.str(absolute(o.elf));
  w.str(o.scenario == kBuiltIn ? o.scenario : absolute(o.scenario));
  w.str(absolute(o.sw_dir));
  for (const std::string* s : {&o.quantum, &o.clock, &o.ram_size}) w.str(*s);
  w.u32(o.segments);
  w.b(o.no_dmi);
  w.b(o.cosim);
  w.str(o.misaligned);
  w.b(o.strict_fence_i);
  w.u64(fingerprint);
  w.end();
}

uint64_t restore_identity(StateReader& r, RunOptions* o) {
  r.begin("RUN ");
  for (std::string* s : {&o->elf, &o->scenario, &o->sw_dir, &o->quantum, &o->clock, &o->ram_size}) *s = r.str();
  o->segments = r.u32();
  if (o->segments < 1 || o->segments > spec::kLimitSegments) r.fail("segment count out of range");
  o->no_dmi = r.b();
  o->cosim = r.b();
  o->misaligned = r.str();
  if (o->misaligned != "trap" && o->misaligned != "emulate") r.fail("unknown --misaligned value");
  o->strict_fence_i = r.b();
  const uint64_t fingerprint = r.u64();
  r.end();
  return fingerprint;
}

uint64_t fingerprint_of(const ElfImage& image, const std::vector<Blob>& blobs, const tm_bootinfo* bootinfo) {
  StateWriter w;
  w.u32(image.entry);
  for (const ElfSegment& s : image.segments) {
    w.u32(s.paddr);
    w.u32(s.memsz);
    w.raw(s.bytes.data(), s.bytes.size());
  }
  for (const Blob& b : blobs) {
    w.u32(b.addr);
    w.raw(b.bytes.data(), b.bytes.size());
  }
  if (bootinfo) w.raw(bootinfo, sizeof *bootinfo);
  return fnv1a64(w.bytes().data(), w.bytes().size());
}

// The checkpoint's payload; its reader, positioned after the identity section.
struct Restore {
  std::vector<uint8_t> payload;
  StateReader reader{nullptr, 0};
  uint64_t fingerprint = 0;
};

// The trace window of --trace-from/--trace-to into *window (the whole run
// when neither is given); 0, or a usage error's exit code (no trace file to
// window, a count and a time mixed, a bound that does not parse, an empty window).
int trace_window_of(const RunOptions& o, const sc_core::sc_time& clock, WaveWindow* window) {
  if ((!o.trace_from.empty() || !o.trace_to.empty()) && o.vcd.empty() && o.fst.empty() && o.rtl_fst.empty()) {
    return cli::usage_error("trimode", "--trace-from/--trace-to require --vcd, --fst or --rtl-fst", "trimode run");
  }
  if (!o.trace_from.empty() && !o.trace_to.empty() && is_count_bound(o.trace_from) != is_count_bound(o.trace_to)) {
    // A count and a time cannot be compared before the run: "--trace-from 10us --trace-to 5"
    // traced nothing (5 instructions retire long before 10us) and exited 0.
    return cli::usage_error("trimode",
                            "--trace-from " + o.trace_from + " --trace-to " + o.trace_to +
                                ": give both bounds as instruction counts or both as times",
                            "trimode run");
  }
  try {
    if (!o.trace_from.empty()) parse_window_bound(o.trace_from, true, clock, window);
    if (!o.trace_to.empty()) parse_window_bound(o.trace_to, false, clock, window);
  } catch (const std::invalid_argument& e) {
    return cli::usage_error("trimode", std::string("--trace-from/--trace-to: ") + e.what(), "trimode run");
  }
  if (window->from_insn >= window->to_insn || window->from_cycle >= window->to_cycle) {
    // Name only the bounds given: "--trace-to 0" alone printed an empty "--trace-from  --trace-to 0".
    std::string bounds;
    if (!o.trace_from.empty()) bounds += " --trace-from " + o.trace_from;
    if (!o.trace_to.empty()) bounds += " --trace-to " + o.trace_to;
    // (two times less than a clock period apart, or between two cycles' starts: no instruction can start in it)
    const bool between_cycles = !o.trace_from.empty() && !o.trace_to.empty() && !is_count_bound(o.trace_from) &&
                                parse_time(o.trace_from, 0, 1e6) < parse_time(o.trace_to, 0, 1e6);
    if (between_cycles) bounds += " (no clock cycle starts in it: the clock period is " + clock.to_string() + ")";
    return cli::usage_error("trimode", "the trace window is empty:" + bounds, "trimode run");
  }
  return 0;
}

// A restored run's limits against its checkpoint (hart: as restored): 0, or a
// usage error's exit code for a --max-instructions or a trace window that ends
// before the checkpoint; a note for a window that starts before it.
int check_restored_bounds(const RunOptions& o, const Hart& hart, const WaveWindow& window) {
  // The limit counts the whole run's instructions, as --save-at's N does: one
  // not past the checkpoint's would stop before the first (it said "limit reached").
  const uint64_t saved = hart.instret();
  if (o.max_instructions && o.max_instructions <= saved) {
    return cli::usage_error("trimode",
                            "--max-instructions " + std::to_string(o.max_instructions) + " is not past the " +
                                std::to_string(saved) + " instructions of checkpoint " + o.restore +
                                " (the limit counts the whole run's)",
                            "trimode run");
  }
  // The same for the trace window: one that ends before the checkpoint holds nothing (it
  // wrote an empty trace and said nothing); one that starts before it starts at it.
  const uint64_t saved_cycle = hart.cycle();
  const bool windowed = !o.trace_from.empty() || !o.trace_to.empty();
  if (windowed && (window.to_insn <= saved || window.to_cycle <= saved_cycle)) {
    return cli::usage_error("trimode",
                            "the trace window ends before checkpoint " + o.restore + " (" + std::to_string(saved) +
                                " instructions, " + std::to_string(saved_cycle) + " cycles): nothing of this run is in it",
                            "trimode run");
  }
  if ((window.from_insn && window.from_insn < saved) || (window.from_cycle && window.from_cycle < saved_cycle)) {
    std::fprintf(stderr,
                 "trimode: note: the trace window starts before checkpoint %s (%llu instructions, %llu cycles): the "
                 "trace starts there\n",
                 o.restore.c_str(), static_cast<unsigned long long>(saved), static_cast<unsigned long long>(saved_cycle));
  }
  return 0;
}

int run_elf(const RunOptions& o, Restore* restore = nullptr) {
  PlatformConfig config;
  try {
    config.core.quantum = parse_time(o.quantum, 1e-12, 1.0);
    config.core.sync_every_quantum = o.sync_every_quantum;
    config.core.clock_period = parse_time(o.clock, 1e-12, 1.0);  // 1 ps (SystemC's resolution) to 1 s
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "trimode: error: %s\n", e.what());
    return kExitBadInput;
  }
  try {
    config.ram_size = parse_ram_size(o.ram_size);  // (checked when parsed; a checkpoint's own is checked here)
  } catch (const std::invalid_argument& e) {
    return cli::usage_error("trimode", std::string("--ram-size: ") + e.what(), "trimode run");
  }
  config.core.max_instructions = o.max_instructions;
  uint64_t save_at = 0;
  if (!o.save_at.empty()) {
    if (!cli::whole_number(o.save_at[0], &save_at) || save_at == 0) {
      return cli::usage_error("trimode", "--save-at needs a positive instruction count, got '" + o.save_at[0] + "'",
                              "trimode run");
    }
    config.core.max_instructions = save_at;
  }
  // The Verilated trap unit's state and the timing report's counters are not
  // in a checkpoint (docs/checkpoint.md): refused rather than resumed wrong.
  if (o.cosim && (save_at || restore)) {
    std::fprintf(stderr, "trimode: error: --cosim runs cannot be checkpointed (%s): the trap unit's RTL state is not "
                 "saved; run without --cosim or without --save-at/--restore\n", save_at ? "--save-at" : "--restore");
    return kExitBadInput;
  }
  config.memctl.dmi = !o.no_dmi;
  config.core.hart.strict_fence_i = o.strict_fence_i;
  config.core.hart.emulate_misaligned = o.misaligned == "emulate";
  config.memctl.entries_per_vm = o.segments;
  config.memctl.vms = spec::kLimitVms + 1;  // a segment table for VM ids 0 .. kLimitVms (spec/limits.txt)

  ElfImage image;
  ScenarioImage scenario;
  const bool is_scenario = !o.scenario.empty();
  if (!o.memmap_svg.empty() && !is_scenario) {
    std::fprintf(stderr, "trimode: error: --memmap-svg requires --scenario%s\n",
                 restore ? " (this checkpoint is of a bare-metal run)" : "; see 'trimode run --help'");
    return kExitBadInput;
  }
  try {
    if (is_scenario) {
      const Scenario parsed = o.scenario == kBuiltIn ? parse_scenario_text(kDefaultScenario, "(built-in default)")
                                                      : parse_scenario(o.scenario);
      scenario = build_scenario_image(parsed, o.sw_dir, spec::kRamBase, config.ram_size);
      scenario.bootinfo.n_segments = o.segments;  // the hypervisor uses the table the hardware has
      image = scenario.hypervisor;
    } else {
      image = load_elf(o.elf, {{spec::kRamBase, config.ram_size}});
      for (const std::string& note : image.notes) std::fprintf(stderr, "trimode: %s\n", note.c_str());
      if (image.entry != spec::kRamBase && !restore) {  // (a restore starts at the checkpoint's pc)
        // QEMU virt with -bios none jumps to the start of RAM whatever e_entry says
        // (docs/elf-loading.md); trimode starts at the entry, as its --help says.
        std::fprintf(stderr,
                     "trimode: %s: note: entry point 0x%08x is not the start of RAM; trimode starts there, but "
                     "QEMU virt with -bios none starts at 0x%08x whatever the entry (put _start first)\n",
                     o.elf.c_str(), static_cast<unsigned>(image.entry), static_cast<unsigned>(spec::kRamBase));
      }
    }
  } catch (const std::runtime_error& e) {  // ElfError, ScenarioError
    std::fprintf(stderr, "trimode: error: %s%s%s\n", e.what(), restore ? ": the program of checkpoint " : "",
                 restore ? o.restore.c_str() : "");
    return kExitBadInput;
  }
  const uint64_t fingerprint = fingerprint_of(image, scenario.blobs, is_scenario ? &scenario.bootinfo : nullptr);
  if (restore && restore->fingerprint != fingerprint) {
    std::fprintf(stderr, "trimode: error: %s: the program or scenario changed since the checkpoint was written\n",
                 o.restore.c_str());
    return kExitBadInput;
  }
  const std::string save_file = o.save_at.empty() ? "" : o.save_at[1];

  WaveWindow window;
  if (const int rc = trace_window_of(o, config.core.clock_period, &window)) return rc;

  std::vector<NamedFile> outputs;
  for (const NamedFile& f : std::initializer_list<NamedFile>{{o.vcd, "--vcd"}, {o.fst, "--fst"},
                                                            {o.trace_insn, "--trace-insn"},
                                                            {o.memmap_svg, "--memmap-svg"}, {o.rtl_fst, "--rtl-fst"}}) {
    if (!f.path.empty()) outputs.push_back(f);
  }
  if (!o.save_at.empty()) outputs.push_back({save_file, "--save-at"});  // ("" refused: empty file name)
  for (const std::string& out : scenario.saves) {
    if (!out.empty()) outputs.push_back({out, "a scenario's \"save\" checkpoint"});
  }
  std::vector<NamedFile> inputs = {{o.elf, "the ELF"}, {o.scenario == kBuiltIn ? "" : o.scenario, "the scenario"},
                                   {o.restore, "the checkpoint"}};
  for (const ScenarioImage::Input& in : scenario.inputs) inputs.push_back({in.path, "the scenario's " + in.what});
  if (!outputs_ok(outputs, inputs)) return kExitBadInput;

  quiet_systemc();
  // --cosim is a netlist choice: the RTL checked in lockstep against the reference.
  if (o.cosim) config.classifier = Classifier::kLockstep;
  auto platform = std::make_unique<Platform>("platform", config);
  if (platform->rtl() && !o.rtl_fst.empty()) {
    try {
      platform->rtl()->open_fst(o.rtl_fst);
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "trimode: error: %s\n", e.what());
      return kExitBadInput;
    }
  }
  platform->load(image);
  if (is_scenario) {
    for (Blob& b : scenario.blobs) platform->add_blob(b.addr, std::move(b.bytes));
    const auto* raw = reinterpret_cast<const uint8_t*>(&scenario.bootinfo);
    platform->add_blob(scenario.bootinfo_addr, std::vector<uint8_t>(raw, raw + sizeof(tm_bootinfo)));
  }
  if (restore) {
    try {
      platform->restore(restore->reader);
      if (!restore->reader.at_end()) restore->reader.fail("unexpected bytes after the last section");
    } catch (const StateError& e) {
      std::fprintf(stderr, "trimode: error: checkpoint %s does not fit this platform: %s\n", o.restore.c_str(), e.what());
      return kExitBadInput;
    }
    if (const int rc = check_restored_bounds(o, platform->core.hart(), window)) return rc;
  }

  OutputFile trace;  // --trace-insn; closed (checked) when the run ends
  if (!o.trace_insn.empty()) {
    const std::string why = trace.open(o.trace_insn);
    if (!why.empty()) {
      std::fprintf(stderr, "trimode: error: cannot write %s: %s\n", o.trace_insn.c_str(), why.c_str());
      return kExitBadInput;
    }
    platform->core.set_insn_trace(trace.stream(), o.trace_disasm);
  }
  if (image.rvc && !is_scenario) explain_compressed_traps(*platform);
  if (!is_scenario) explain_missing_csr_traps(*platform);
  if (o.trace_modes) {
    Platform* p = platform.get();
    platform->modereg.add_observer([p](const Transition& t) { print_transition(t, *p); });
  }
  std::unique_ptr<WaveWriter> waves;
  if (!o.vcd.empty() || !o.fst.empty()) {
    waves = std::make_unique<WaveWriter>(config.core.clock_period.value());
    try {
      if (!o.vcd.empty()) waves->add_vcd(o.vcd);
      if (!o.fst.empty()) waves->add_fst(o.fst);
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "trimode: error: %s\n", e.what());
      return kExitBadInput;
    }
    platform->core.set_waves(waves.get(), window);
    if (platform->rtl()) {  // the RTL's clock and handshake
      platform->rtl()->set_pin_sink(waves.get());
      waves->expect_rtl_pins();
    }
  }
  NoWaves rtl_window_only;  // --rtl-fst's window without a platform trace: the core still marks its bounds
  if (!waves && !o.rtl_fst.empty() && (!o.trace_from.empty() || !o.trace_to.empty())) {
    platform->core.set_waves(&rtl_window_only, window);
  }

  std::unique_ptr<GdbServer> gdb;
  if (o.gdb_port >= 0) {
    try {
      GdbOptions g{o.gdb_port, o.gdb_wait, o.gdb_stop_on_trap.empty() ? uint8_t{0} : parse_trap_modes(o.gdb_stop_on_trap)};
      gdb = std::make_unique<GdbServer>(platform->core, platform->modereg, g);
    } catch (const std::exception& e) {  // bad mode list, port in use
      std::fprintf(stderr, "trimode: error: %s\n", e.what());
      return kExitBadInput;
    }
    std::fprintf(stderr, "trimode: gdb: listening on 127.0.0.1:%d\n", gdb->port());
  }

  const uint64_t instret_before = platform->core.hart().instret();  // (a restored run's)
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult result = platform->run();
  const double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // A wfi that nothing can wake ends the simulation itself (no event left):
  // the debugger sees it as the other fatal stops, before the report.
  if (gdb && result.how == RunResult::How::kStalled) gdb->fatal_stop();
  std::cout.flush();
  const WaveWriter::Failure waves_failed = waves ? waves->close() : WaveWriter::Failure{};
  const std::string rtl_fst_failed = platform->rtl() ? platform->rtl()->close_fst() : "";
  const std::string trace_failed = trace.is_open() ? trace.close() : "";  // (the run no longer writes it)
  if ((waves || !o.rtl_fst.empty()) && !o.trace_from.empty()) {
    note_window_after_end(o, window, platform->core.hart());
  }
  const auto report_traces = [&](int* rc) {  // a line each for the trace files not written whole
    if (!waves_failed.path.empty()) report_incomplete(waves_failed.path, waves_failed.why, "trace", rc);
    if (!rtl_fst_failed.empty()) report_incomplete(o.rtl_fst, rtl_fst_failed, "RTL trace", rc);
    if (!trace_failed.empty()) report_incomplete(o.trace_insn, trace_failed, "instruction trace", rc);
  };
  if (save_at && result.how == RunResult::How::kInstructionLimit) {
    StateWriter w;
    save_identity(w, o, fingerprint);
    platform->save(w);
    // (A failure is returned, not thrown: after the run, a throw makes a
    // sanitizer build note SystemC's switched stacks on stderr.)
    const std::string failed = write_checkpoint(save_file, w.bytes());
    if (!failed.empty()) {  // opened before the run, not written whole: 203
      std::fprintf(stderr, "trimode: error: %s: the checkpoint is incomplete\n", failed.c_str());
      return kExitSimError;
    }
    if (o.stats) print_stats(*platform, host_s, platform->core.hart().instret() - instret_before, !is_scenario,
                            waves ? &waves->times() : nullptr);
    std::fprintf(stderr, "trimode: checkpoint after %llu instructions written to %s\n",
                 static_cast<unsigned long long>(save_at), save_file.c_str());
    if (!o.memmap_svg.empty()) {  // (the summary, and its map, come at the end of the restored run)
      std::fprintf(stderr, "trimode: no memory map written to %s: the run stopped at the checkpoint\n",
                   o.memmap_svg.c_str());
    }
    int saved_rc = 0;
    report_traces(&saved_rc);
    return saved_rc;
  }
  if (save_at) {  // (it ended by itself, at N at the latest: "before N" was wrong when the last was the Nth)
    std::fprintf(stderr, "trimode: the run ended by itself after %llu instructions (--save-at %llu): no checkpoint written\n",
                 static_cast<unsigned long long>(platform->core.hart().instret()), static_cast<unsigned long long>(save_at));
  }
  const std::string saves_failed = is_scenario ? write_saved_images(*platform, scenario) : "";
  std::string svg_failed;
  const std::string vms_failed = is_scenario ? print_scenario_summary(*platform, scenario, o.memmap_svg, &svg_failed) : "";
  std::fflush(stdout);
  if (o.stats) print_stats(*platform, host_s, platform->core.hart().instret() - instret_before, !is_scenario,
                            waves ? &waves->times() : nullptr);
  if (o.stats && platform->lockstep()) {
    std::fprintf(stderr, "cosim                 %llu RTL decodes (%llu batched), %llu mismatches\n",
                 static_cast<unsigned long long>(platform->rtl()->decodes()),
                 static_cast<unsigned long long>(platform->rtl()->lane_decodes()),
                 static_cast<unsigned long long>(platform->lockstep()->mismatches()));
  }
  if (o.timing_report) std::fputs(timing_report(platform->core.hart().timing()).c_str(), stderr);
  int rc = exit_code_of(result);
  report_traces(&rc);
  if (!svg_failed.empty()) report_incomplete(o.memmap_svg, svg_failed, "memory map", &rc);
  if (!saves_failed.empty()) {
    std::fprintf(stderr, "trimode: error: %s\n", saves_failed.c_str());
    if (rc == 0) rc = kExitSimError;
  }
  if (rc == 0 && !vms_failed.empty()) {
    std::fprintf(stderr, "trimode: error: not every VM ended with code 0: %s\n", vms_failed.c_str());
    rc = kExitVmFailed;
  }
  if (gdb) gdb->finish(rc);
  return rc;
}

std::filesystem::path exe_dir(const char* argv0) {
  std::error_code ec;
  const auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  return ec ? std::filesystem::path(argv0).parent_path() : exe.parent_path();
}

// `trimode sweep ARGS` runs trimode-sweep ARGS (built next to trimode): the
// sweep evaluates the Verilated model directly, without SystemC. Its argv[0]
// is "trimode sweep", the name its messages and --help use.
int run_sweep_tool(const char* argv0, const std::vector<std::string>& args) {
  const std::string tool = (exe_dir(argv0) / "trimode-sweep").string();
  std::string name = "trimode sweep";
  std::vector<char*> argv;
  argv.push_back(name.data());
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(tool.c_str(), argv.data());
  // Why (errno of execv): a missing tool and one that is not executable are fixed differently.
  std::fprintf(stderr, "trimode: error: cannot run %s (%s): 'trimode sweep' runs the trimode-sweep built next to trimode\n",
               tool.c_str(), std::strerror(errno));
  return kExitBadInput;
}

std::string default_sw_dir(const char* argv0) {
  if (const char* env = std::getenv("TRIMODE_SW_DIR")) return env;
  return (exe_dir(argv0) / "sw").string();
}

}  // namespace
}  // namespace trimode

namespace {

// The whole command: parse, then run, demo or sweep. Returns the exit code.
int trimode_main(int argc, char* argv[]) {
  using namespace trimode;
  const RestoreThreadStackOnReturn restore_stack;  // for LeakSanitizer (tlm/kernel_stack.hpp)
  (void)kQuietBanner;
  // A write to a pipe whose reader has gone fails (EPIPE) instead of killing
  // the process: a trace file's then reports itself (exit 203); the console's
  // ends the run as a pipeline's writer ends (Uart16550::transmit).
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"Trimode: a SystemC/TLM-2.0 virtual platform of a three-mode RV32IM core", "trimode"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trimode " TRIMODE_VERSION);
  app.footer(cli::exit_codes_help());

  RunOptions run;
  // A file name given empty is an error naming its option (an empty one means "not given" below).
  // "-" is not standard input or output here: stdout is the guest's console,
  // which a trace there would interleave with (it named a file "-").
  const CLI::Validator file_name = cli::checked_by([](const std::string& t) {
    if (t.empty()) throw std::invalid_argument("empty file name");
    if (t == "-") throw std::invalid_argument("'-' names no file here (stdout is the guest's console): give a file name (/dev/stderr for an output to the terminal)");
  }, "FILE");
  CLI::App* run_cmd = app.add_subcommand(
      "run", "Run a bare-metal RV32IM ELF from its entry point in V, a scenario (--scenario) or a checkpoint (--restore)");
  CLI::Option* elf_opt = run_cmd->add_option("elf", run.elf, "ELF32 RISC-V executable")->check(file_name);
  CLI::Option* scen_opt = run_cmd->add_option("--scenario", run.scenario,
                                               "Run a scenario (JSON) under the hypervisor; @default: the built-in one")
                                ->check(cli::checked_by([](const std::string& t) {
                                  std::error_code ec;
                                  if (t.empty()) throw std::invalid_argument("empty file name");
                                  if (t[0] == '@' && t != kBuiltIn && !std::filesystem::exists(t, ec)) {
                                    throw std::invalid_argument("no built-in scenario '" + t + "' (the built-in one is " +
                                                                kBuiltIn + ")");
                                  }
                                }, "FILE|@default"));
  elf_opt->excludes(scen_opt);
  // (--sw-dir needs --scenario: checked after parsing, so that with --restore the error is that
  // the checkpoint sets it, not that it needs a scenario.)
  CLI::Option* sw_dir_opt = run_cmd->add_option("--sw-dir", run.sw_dir, "Where the scenario's ELF images are (default: next to trimode)")
      ->check(file_name);
  // (--memmap-svg needs a scenario: --scenario, or --restore of a scenario's checkpoint; run_elf checks.)
  run_cmd->add_option("--memmap-svg", run.memmap_svg, "Write the scenario's physical memory map as SVG")
      ->check(file_name);
  run_cmd->add_option("--max-instructions", run.max_instructions, "Stop after N retired instructions (exit 202); 0: no limit")
      ->check(cli::kCount);
  // Times, mode lists and trace bounds are checked here, so a bad one is an error naming its option.
  const CLI::Validator time_check = cli::checked_by([](const std::string& t) { parse_time(t, 1e-12, 1.0); }, "TIME");
  const CLI::Validator bound_check = cli::checked_by([](const std::string& t) {
    WaveWindow ignored;
    parse_window_bound(t, true, sc_core::sc_time(1, sc_core::SC_PS), &ignored);
  }, "N|TIME");
  run_cmd->add_option("--quantum", run.quantum, "Temporal-decoupling quantum (e.g. 1us)")->check(time_check)->capture_default_str();
  run_cmd->add_flag("--sync-every-quantum", run.sync_every_quantum,
                    "Yield to the SystemC kernel at every quantum's end, idle ones too (same results, slower; "
                    "docs/performance.md)");
  run_cmd->add_option("--clock", run.clock, "Core clock period (e.g. 10ns)")->check(time_check)->capture_default_str();
  run_cmd->add_option("--ram-size", run.ram_size, "RAM size: bytes or with a unit, e.g. 64MiB, 512KiB (multiple of 4 KiB)")
      ->check(cli::checked_by([](const std::string& t) { parse_ram_size(t); }, "SIZE"))
      ->capture_default_str();
  run_cmd->add_flag("--stats", run.stats, "Print statistics to stderr at the end");
  run_cmd->add_flag("--cosim", run.cosim, "Decode every instruction with the Verilated RTL, checked against the C++ reference");
  run_cmd->add_flag("--timing-report", run.timing_report,
                    "Print per trap-unit event: count, TLM estimate, the RTL's cycles (with --cosim), difference");
  run_cmd->add_option("--misaligned", run.misaligned,
                      "Misaligned loads and stores: trap (address-misaligned exception) or emulate (performed, as QEMU does)")
      ->check(CLI::IsMember({"trap", "emulate"}))
      ->capture_default_str();
  run_cmd->add_flag("--no-dmi", run.no_dmi, "Grant no DMI: every access takes the checked TLM path");
  run_cmd->add_flag("--strict-fence-i", run.strict_fence_i,
                    "Stop with an error when code stored to after it ran runs again without a fence.i in between");
  run_cmd->add_option("--segments", run.segments, "Segment-table entries per VM (at most the spec's limit)")
      ->check(CLI::Range(1u, spec::kLimitSegments))->capture_default_str();
  run_cmd->add_option("--trace-insn", run.trace_insn, "Write one line per retired instruction to FILE")->check(file_name);
  run_cmd->add_flag("--trace-disasm", run.trace_disasm, "With --trace-insn: add a disassembly column")
      ->needs(run_cmd->get_option("--trace-insn"));
  CLI::Option* gdb_opt = run_cmd->add_option("--gdb", run.gdb_port,
      "Serve GDB on 127.0.0.1:PORT (0: any free port, printed); docs/debugging.md")->check(CLI::Range(0, 65535));
  run_cmd->add_flag("--gdb-wait", run.gdb_wait, "With --gdb: halt at the entry until a debugger attaches")->needs(gdb_opt);
  run_cmd->add_option("--gdb-stop-on-trap", run.gdb_stop_on_trap,
      "With --gdb: stop on every trap into these modes (e.g. V, G,U)")
      ->check(cli::checked_by([](const std::string& t) { parse_trap_modes(t); }, "MODES"))->needs(gdb_opt);
  run_cmd->add_flag("--trace-modes", run.trace_modes, "Print every mode transition to stderr");
  run_cmd->add_option("--vcd", run.vcd,
      "Write the platform trace to FILE as VCD (text); docs/debugging.md")->check(file_name);
  run_cmd->add_option("--fst", run.fst, "Write the platform trace to FILE as FST (compact)")->check(file_name);
  run_cmd->add_option("--trace-from", run.trace_from,
      "With --vcd/--fst/--rtl-fst: trace from this instruction count (e.g. 100000) or time (e.g. 50us)")->check(bound_check);
  run_cmd->add_option("--trace-to", run.trace_to,
      "With --vcd/--fst/--rtl-fst: trace up to (not including) this instruction count or time (the kind of --trace-from)")->check(bound_check);
  CLI::Option* save_opt = run_cmd->add_option("--save-at", run.save_at,
                                              "Stop after N retired instructions and write the whole platform's state to FILE")
                              ->expected(2)->type_name("N FILE");
  CLI::Option* restore_opt = run_cmd->add_option("--restore", run.restore,
                                                 "Continue from a --save-at checkpoint (same program, options)")->check(file_name);
  restore_opt->excludes(elf_opt)->excludes(scen_opt)->excludes(save_opt);
  // The checkpoint sets these (save_identity): given with --restore, they would be ignored.
  for (const char* fixed : {"--quantum", "--clock", "--ram-size", "--segments", "--no-dmi", "--cosim", "--misaligned",
                            "--strict-fence-i", "--sw-dir"}) {
    restore_opt->excludes(run_cmd->get_option(fixed));
  }
  save_opt->excludes(run_cmd->get_option("--max-instructions"));
  run_cmd->add_option("--rtl-fst", run.rtl_fst, "With --cosim: write every signal inside the RTL to FILE (FST; within --trace-from/--trace-to if given)")
      ->check(file_name)->needs(run_cmd->get_option("--cosim"));

  CLI::App* demo_cmd = app.add_subcommand("demo", "Run the built-in default job (run --scenario @default --stats)");
  // demo sets neither --max-instructions (202) nor --cosim (204).
  demo_cmd->footer(cli::exit_codes_help({cli::kGuestCodes, cli::kExitBadInput, cli::kExitSimError, cli::kExitVmFailed}));
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "Compare the trap-decode RTL with the reference over the instruction space (trimode sweep --help)");
  sweep_cmd->prefix_command();
  sweep_cmd->set_help_flag();

  run_cmd->footer(cli::exit_codes_help());
  if (const int rc = cli::parse(app, argc, argv); rc >= 0) return rc;
  if (*sweep_cmd) return run_sweep_tool(argv[0], sweep_cmd->remaining());
  if (sw_dir_opt->count() && run.scenario.empty() && run.restore.empty()) {
    return cli::usage_error("trimode", "--sw-dir requires --scenario", "trimode run");
  }
  if (run.sw_dir.empty()) run.sw_dir = default_sw_dir(argv[0]);
  if (*demo_cmd) {
    run.scenario = kBuiltIn;
    run.stats = true;
  } else if (!run.restore.empty()) {
    Restore restore;
    try {
      restore.payload = read_checkpoint(run.restore);
      restore.reader = StateReader(restore.payload.data(), restore.payload.size());
      restore.fingerprint = restore_identity(restore.reader, &run);
    } catch (const StateError& e) {  // (the identity section, whose checksum held: a corrupt or foreign file)
      std::fprintf(stderr, "trimode: error: checkpoint %s is corrupt: %s\n", run.restore.c_str(), e.what());
      return kExitBadInput;
    } catch (const std::runtime_error& e) {  // CheckpointError: names the file
      std::fprintf(stderr, "trimode: error: %s\n", e.what());
      return kExitBadInput;
    }
    return run_elf(run, &restore);
  } else if (run.elf.empty() && run.scenario.empty()) {
    std::fprintf(stderr, "trimode: error: run needs an ELF, --scenario FILE or --restore FILE; see 'trimode run --help'\n");
    return kExitBadInput;
  }
  return run_elf(run);
}

}  // namespace

// An exception nothing else caught (the Platform's logic_error for a region
// without a model, a SystemC report thrown out of sc_start) is one line and
// exit 203, not SystemC's multi-line report and exit 1 (a guest's code).
int sc_main(int argc, char* argv[]) {
  return trimode::cli::guarded("trimode", [&] { return trimode_main(argc, argv); });
}

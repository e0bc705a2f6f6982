// Pin-level testbench of the trap-decode RTL: Verilator's SystemC model of
// trimode_trap_decode, driven through sc_signals by a clocked stimulus/checker
// module that compares every answer with trimode::classify.
//
// Protocol checked (docs/rtl.md): the checker drives a word on the falling
// edge; the rising edge registers its decode; on the next falling edge the
// outputs carry it (latency 1 cycle) with valid_o high. Idle cycles (valid_i
// low, junk on the other inputs) are mixed in: the cycle after one, valid_o is
// low and the result outputs hold the last valid answer. Reset drives valid_o
// low and the outputs to zero.
//
//   trap_decode_tb [--directed] [--random N] [--seed S] [--vcd FILE]
// prints "PASS" or "FAILURE: ..." lines. Exit codes as every Trimode tool's
// (docs/overview.md): 0 pass, 201 usage error (a bad count, an unwritable
// --vcd file: one line), 203 internal error, 204 mismatches or protocol errors.
#include <verilated.h>
#include <verilated_vcd_sc.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <systemc>

#include "Vtrimode_trap_decode.h"
#include "testbench/sweep/sweep.hpp"
#include "tlm/cli/cli.hpp"
#include "tlm/kernel_stack.hpp"
#include "tools/output_file/output_file.hpp"

// No SystemC banner on stderr: errors are one line (as trimode does, tlm/platform/main.cpp).
static const int kQuietBanner = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);

namespace {

using trimode::sweep::Mismatch;
using trimode::sweep::Outcome;
using trimode::sweep::Stimulus;

SC_MODULE(TrapDecodeChecker) {
  sc_core::sc_in<bool> clk{"clk"};
  sc_core::sc_out<bool> rst_n{"rst_n"};
  sc_core::sc_out<bool> valid{"valid"};
  sc_core::sc_out<uint32_t> insn{"insn"};
  sc_core::sc_out<uint32_t> mode{"mode"};
  sc_core::sc_out<uint32_t> irq_pending{"irq_pending"};
  sc_core::sc_out<uint32_t> irq_enable{"irq_enable"};
  sc_core::sc_in<bool> valid_o{"valid_o"};
  sc_core::sc_in<uint32_t> kind_o{"kind_o"};
  sc_core::sc_in<uint32_t> action_o{"action_o"};
  sc_core::sc_in<uint32_t> target_o{"target_o"};
  sc_core::sc_in<uint32_t> cause_o{"cause_o"};

  uint64_t checked = 0;
  uint64_t mismatches = 0;
  uint64_t protocol_errors = 0;

  SC_HAS_PROCESS(TrapDecodeChecker);
  TrapDecodeChecker(sc_core::sc_module_name name, const trimode::sweep::Stimuli& stimuli)
      : sc_module(name), stimuli_(stimuli) {
    SC_CTHREAD(run, clk.neg());
  }

 private:
  static constexpr unsigned kBatch = 4096;
  static constexpr unsigned kMaxPrinted = 20;

  Outcome read_outputs() const {
    return {static_cast<uint8_t>(kind_o.read()), static_cast<uint8_t>(action_o.read()),
            static_cast<uint8_t>(target_o.read()), cause_o.read()};
  }

  void protocol_error(const std::string& what) {
    if (protocol_errors++ < kMaxPrinted) {
      std::printf("FAILURE: at %s: %s\n", sc_core::sc_time_stamp().to_string().c_str(), what.c_str());
    }
  }

  void drive(const Stimulus& s, bool v) {
    valid.write(v);
    insn.write(s.insn);
    mode.write(s.mode);
    irq_pending.write(s.irq & 3);
    irq_enable.write(s.irq >> 2 & 3);
  }

  // Runs on every falling edge.
  void run() {
    // Reset: two cycles with rst_n low; outputs must be at their reset values.
    rst_n.write(false);
    drive({0xFFFFFFFFu, 3, 0xF}, true);
    wait();
    wait();
    const Outcome zero{0, 0, 0, 0};
    if (valid_o.read() || !same(read_outputs(), zero)) protocol_error("outputs not at reset values during reset");
    rst_n.write(true);

    const uint64_t total = stimuli_.count();
    Stimulus batch[kBatch];
    uint64_t lcg = 0x1234567;  // schedules idle cycles, deterministic
    uint64_t next = 0;         // the next stimulus to drive
    bool in_flight = false;    // a valid word was driven on the previous falling edge
    Stimulus last{};
    Outcome held = zero;       // the last valid answer, held over idle cycles
    for (;;) {
      // Check the answer to what was driven on the previous falling edge.
      if (in_flight) {
        const Outcome rtl = read_outputs();
        const Outcome ref = trimode::sweep::reference(last);
        ++checked;
        if (!valid_o.read()) protocol_error("valid_o low one cycle after a valid word");
        if (!same(rtl, ref) && mismatches++ < kMaxPrinted) {
          std::printf("%s\n", trimode::sweep::format_mismatch(Mismatch{last, rtl, ref}).c_str());
        }
        held = rtl;
      } else {
        if (valid_o.read()) protocol_error("valid_o high one cycle after an idle cycle");
        if (!same(read_outputs(), held)) protocol_error("outputs changed over an idle cycle");
      }
      if (next == total) break;
      // Roughly one cycle in eight is idle, with junk on the inputs.
      lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
      if ((lcg >> 61) == 0) {
        drive({static_cast<uint32_t>(lcg >> 16), static_cast<uint8_t>(lcg >> 8 & 3), static_cast<uint8_t>(lcg & 0xF)},
              false);
        in_flight = false;
      } else {
        if (next % kBatch == 0) {
          stimuli_.fill(next, static_cast<unsigned>(std::min<uint64_t>(kBatch, total - next)), batch);
        }
        last = batch[next % kBatch];
        ++next;
        drive(last, true);
        in_flight = true;
      }
      wait();
    }
    drive({0, 0, 0}, false);
    wait();
    sc_core::sc_stop();
  }

  static bool same(const Outcome& a, const Outcome& b) {
    return a.kind == b.kind && a.action == b.action && a.target == b.target && a.cause == b.cause;
  }

  const trimode::sweep::Stimuli& stimuli_;
};

// Limit of --random: the sweep's (testbench/sweep/main.cpp); at ~2 M decodes/s
// the pin-level path would take years to reach it, but a count past it, a
// negative one or 0 is a usage error, never a wrapped or silently replaced value.
constexpr uint64_t kMaxRandom = uint64_t{1} << 48;

int tb_main(int argc, char** argv) {
  trimode::sweep::SweepOptions opt;
  std::string vcd;
  CLI::App app{"Pin-level testbench: the Verilated SystemC trap-decode unit against trimode::classify."};
  app.add_flag("--directed", opt.directed, "the sweep's directed set (the default without --random)");
  app.add_option("--random", opt.random, "N random (word, mode, irq state) triples, 1 <= N <= 2^48")
      ->check(trimode::cli::count_in(1, kMaxRandom));
  app.add_option("--seed", opt.seed, "seed of --random")
      ->check(trimode::cli::count_in(0, std::numeric_limits<uint64_t>::max()))
      ->needs("--random")
      ->capture_default_str();
  app.add_option("--vcd", vcd, "write a VCD of every signal of the unit to FILE");
  app.footer("Exit codes: 0 pass, 201 usage error, 203 internal error (a bug), 204 mismatches or protocol errors.");
  if (const int rc = trimode::cli::parse(app, argc, argv); rc >= 0) return rc;
  if (!vcd.empty()) {
    // Verilator's VCD writer does not report a file it cannot open: it would trace nothing and pass.
    if (const std::string why = trimode::can_write(vcd); !why.empty()) {
      std::fprintf(stderr, "%s: error: cannot write %s (--vcd): %s\n", app.get_name().c_str(), vcd.c_str(),
                   why.c_str());
      return trimode::cli::kExitBadInput;
    }
  }
  if (!opt.directed && opt.random == 0) opt.directed = true;
  Verilated::commandArgs(argc, argv);
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);  // "Simulation stopped by user"

  const trimode::sweep::Stimuli stimuli(opt);
  sc_core::sc_clock clk("clk", 10, sc_core::SC_NS);
  sc_core::sc_signal<bool> rst_n("rst_n"), valid("valid"), valid_o("valid_o");
  sc_core::sc_signal<uint32_t> insn("insn"), mode("mode"), irq_pending("irq_pending"), irq_enable("irq_enable");
  sc_core::sc_signal<uint32_t> kind_o("kind_o"), action_o("action_o"), target_o("target_o"), cause_o("cause_o");

  Vtrimode_trap_decode dut("u_trap_decode");
  dut.clk_i(clk);
  dut.rst_ni(rst_n);
  dut.valid_i(valid);
  dut.insn_i(insn);
  dut.mode_i(mode);
  dut.irq_pending_i(irq_pending);
  dut.irq_enable_i(irq_enable);
  dut.valid_o(valid_o);
  dut.kind_o(kind_o);
  dut.action_o(action_o);
  dut.target_o(target_o);
  dut.cause_o(cause_o);

  TrapDecodeChecker checker("u_checker", stimuli);
  checker.clk(clk);
  checker.rst_n(rst_n);
  checker.valid(valid);
  checker.insn(insn);
  checker.mode(mode);
  checker.irq_pending(irq_pending);
  checker.irq_enable(irq_enable);
  checker.valid_o(valid_o);
  checker.kind_o(kind_o);
  checker.action_o(action_o);
  checker.target_o(target_o);
  checker.cause_o(cause_o);

  std::unique_ptr<VerilatedVcdSc> trace;
  if (!vcd.empty()) {
    Verilated::traceEverOn(true);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate before opening the trace
    trace = std::make_unique<VerilatedVcdSc>();
    dut.trace(trace.get(), 99);
    trace->open(vcd.c_str());
  }

  const auto start = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (trace) trace->close();
  dut.final();

  const double rate = seconds > 0 ? checker.checked / seconds : 0;
  std::printf("pin-level: %llu decodes in %.2f s, %.0f decodes/s (%s)\n",
              static_cast<unsigned long long>(checker.checked), seconds, rate,
              vcd.empty() ? "no trace" : "tracing to VCD");
  if (checker.checked != stimuli.count()) {
    std::printf("FAILURE: checked %llu of %llu stimuli\n", static_cast<unsigned long long>(checker.checked),
                static_cast<unsigned long long>(stimuli.count()));
    return trimode::cli::kExitSimError;
  }
  if (checker.mismatches || checker.protocol_errors) {
    std::printf("FAILURE: %llu mismatches, %llu protocol errors\n",
                static_cast<unsigned long long>(checker.mismatches),
                static_cast<unsigned long long>(checker.protocol_errors));
    return trimode::cli::kExitMismatch;
  }
  std::printf("PASS\n");
  return 0;
}

}  // namespace

// An exception nothing caught is one line and 203 (internal error), not SystemC's report.
int sc_main(int argc, char** argv) {
  const trimode::RestoreThreadStackOnReturn restore_stack;  // for LeakSanitizer (tlm/kernel_stack.hpp)
  const std::string self = argc > 0 ? argv[0] : "trap_decode_tb";
  return trimode::cli::guarded(self.substr(self.find_last_of('/') + 1), [&] { return tb_main(argc, argv); });
}

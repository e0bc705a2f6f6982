// Co-simulation of the trap-decode RTL inside the platform.
//
// RtlCosim is a DecisionSource: the hart asks it for every instruction's
// decision. It presents (insn, mode, interrupt lines) to the Verilated RTL
// (Verilator's C++ model, evaluated directly from the core's thread: no
// SystemC scheduler round trip per instruction), clocks it until valid_o (the
// RTL's latency), checks the RTL's answer against the C++ reference and
// returns the RTL's answer, which drives the core. The first mismatch stops the
// run with a one-line FAILURE naming time, pc, instruction, mode and both
// decisions.
//
// Its ports are mirrored to sc_signals (rtl.*) so the platform VCD shows them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <systemc>

#include "models/core/hart.hpp"

namespace trimode {

class RtlCosim : public sc_core::sc_module, public DecisionSource {
 public:
  explicit RtlCosim(sc_core::sc_module_name name);
  ~RtlCosim() override;

  bool decide(uint32_t insn, spec::Mode mode, IrqLines irq, uint32_t pc, Decision* decision,
              std::string* failure) override;

  // Clock edges from valid_i to valid_o, measured on the RTL at construction.
  unsigned latency() const { return latency_; }
  uint64_t decodes() const { return decodes_; }
  // Simulated time for FAILURE lines.
  void set_clock(std::function<sc_core::sc_time()> now) { now_ = std::move(now); }
  void enable_trace(sc_core::sc_trace_file* tf);
  // Dumps every signal inside the RTL (Verilator's FST writer) to `path`;
  // times are the core's simulated time in ns. Throws on an unwritable path.
  void open_fst(const std::string& path);

 private:
  struct Model;
  Decision step(uint32_t insn, spec::Mode mode, IrqLines irq, unsigned* edges);

  std::unique_ptr<Model> model_;
  unsigned latency_ = 0;
  uint64_t decodes_ = 0;
  bool tracing_ = false;
  std::function<sc_core::sc_time()> now_;
  sc_core::sc_signal<uint32_t> insn_sig_{"insn_i"};
  sc_core::sc_signal<uint32_t> mode_sig_{"mode_i"};
  sc_core::sc_signal<uint32_t> irq_sig_{"irq_i"};
  sc_core::sc_signal<uint32_t> kind_sig_{"kind_o"};
  sc_core::sc_signal<uint32_t> action_sig_{"action_o"};
  sc_core::sc_signal<uint32_t> target_sig_{"target_o"};
  sc_core::sc_signal<uint32_t> cause_sig_{"cause_o"};
  sc_core::sc_signal<bool> mismatch_sig_{"mismatch"};
};

// "kind 2 trap -> G (ecall_u)"
std::string describe(const Decision& d);

}  // namespace trimode

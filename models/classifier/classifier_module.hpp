// The trap classifier as a SystemC block, for tracing: a thin wrapper around
// the pure classify() that shows each decision it is asked for on signals
// (insn, mode, kind, action, target, cause), so a VCD shows what the hardware
// decided for the instruction at hand. The core's execute path does not go
// through it (it uses the decision memoized with the decode); the core asks it
// once per traced cycle.
#pragma once

#include <systemc>

#include "models/classifier/classifier.hpp"

namespace trimode {

class TrapClassifier : public sc_core::sc_module {
 public:
  explicit TrapClassifier(sc_core::sc_module_name name) : sc_module(name) {}

  Decision decide(uint32_t insn, spec::Mode mode, IrqLines irq) {
    const Decision d = classify(insn, mode, irq);
    if (tracing_) {
      insn_.write(insn);
      mode_.write(static_cast<uint32_t>(mode));
      kind_.write(d.kind);
      action_.write(static_cast<uint32_t>(d.action));
      target_.write(static_cast<uint32_t>(d.target));
      cause_.write(d.cause);
    }
    return d;
  }

  void enable_trace(sc_core::sc_trace_file* tf) {
    tracing_ = true;
    const std::string p = std::string(name()) + ".";
    sc_core::sc_trace(tf, insn_, p + "insn");
    sc_core::sc_trace(tf, mode_, p + "mode");
    sc_core::sc_trace(tf, kind_, p + "kind");
    sc_core::sc_trace(tf, action_, p + "action");
    sc_core::sc_trace(tf, target_, p + "target");
    sc_core::sc_trace(tf, cause_, p + "cause");
  }

 private:
  bool tracing_ = false;
  sc_core::sc_signal<uint32_t> insn_{"insn"};
  sc_core::sc_signal<uint32_t> mode_{"mode"};
  sc_core::sc_signal<uint32_t> kind_{"kind"};
  sc_core::sc_signal<uint32_t> action_{"action"};
  sc_core::sc_signal<uint32_t> target_{"target"};
  sc_core::sc_signal<uint32_t> cause_{"cause"};
};

}  // namespace trimode

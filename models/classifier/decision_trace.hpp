// A classifier implementation's last request and answer as sc_signals, for
// VCD: <module>.{insn, mode, irq, kind, action, target, cause}. irq packs the
// lines as the RTL's pins do: bit 0 timer pending, 1 virtual pending, 2 v_ie,
// 3 g_ie. Written only after enable(); the writes take effect at the next delta.
#pragma once

#include <string>

#include <systemc>

#include "models/classifier/classifier.hpp"

namespace trimode {

class DecisionTrace {
 public:
  void enable(sc_core::sc_trace_file* tf, const std::string& prefix) {
    on_ = true;
    sc_core::sc_trace(tf, insn_, prefix + "insn");
    sc_core::sc_trace(tf, mode_, prefix + "mode");
    sc_core::sc_trace(tf, irq_, prefix + "irq");
    sc_core::sc_trace(tf, kind_, prefix + "kind");
    sc_core::sc_trace(tf, action_, prefix + "action");
    sc_core::sc_trace(tf, target_, prefix + "target");
    sc_core::sc_trace(tf, cause_, prefix + "cause");
  }
  bool on() const { return on_; }
  void show(const DecodeRequest& r, const Decision& d) {
    if (!on_) return;
    insn_.write(r.insn);
    mode_.write(static_cast<uint32_t>(r.mode));
    irq_.write((r.irq.timer_pending ? 1u : 0u) | (r.irq.virtual_pending ? 2u : 0u) | (r.irq.v_ie ? 4u : 0u) |
               (r.irq.g_ie ? 8u : 0u));
    kind_.write(d.kind);
    action_.write(static_cast<uint32_t>(d.action));
    target_.write(static_cast<uint32_t>(d.target));
    cause_.write(d.cause);
  }

 private:
  bool on_ = false;
  sc_core::sc_signal<uint32_t> insn_{"insn"};
  sc_core::sc_signal<uint32_t> mode_{"mode"};
  sc_core::sc_signal<uint32_t> irq_{"irq"};
  sc_core::sc_signal<uint32_t> kind_{"kind"};
  sc_core::sc_signal<uint32_t> action_{"action"};
  sc_core::sc_signal<uint32_t> target_{"target"};
  sc_core::sc_signal<uint32_t> cause_{"cause"};
};

}  // namespace trimode

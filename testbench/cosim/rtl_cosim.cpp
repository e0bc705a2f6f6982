#include "testbench/cosim/rtl_cosim.hpp"

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

// verilated.h sees SystemC's headers and calls sc_time_stamp() unqualified.
using sc_core::sc_time_stamp;
#include "Vtrimode_trap_decode_c.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace trimode {

struct RtlCosim::Model {
  VerilatedContext context;
  Vtrimode_trap_decode_c top{&context, "trap_decode"};
  std::unique_ptr<VerilatedFstC> fst;
  uint64_t last_dump = 0;

  // One clock cycle; with a trace, the low phase is dumped at `ns` and the
  // rising edge half a cycle later (kept strictly increasing).
  void edge(uint64_t ns) {
    top.clk_i = 0;
    top.eval();
    dump(ns * 2);
    top.clk_i = 1;
    top.eval();
    dump(ns * 2 + 1);
  }
  void dump(uint64_t t) {
    if (!fst) return;
    if (t <= last_dump) t = last_dump + 1;
    fst->dump(t);
    last_dump = t;
  }
  ~Model() {
    if (fst) fst->close();
  }
};

std::string describe(const Decision& d) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "kind %u %s -> %s (%s)", d.kind, action_name(d.action), mode_name(d.target),
                d.action == spec::Action::kExec ? "-" : cause_name(d.cause));
  return buf;
}

RtlCosim::RtlCosim(sc_core::sc_module_name name) : sc_module(name), model_(std::make_unique<Model>()) {
  Vtrimode_trap_decode_c& t = model_->top;
  t.rst_ni = 0;
  t.valid_i = 0;
  model_->edge(0);
  t.rst_ni = 1;
  model_->edge(0);
  // Measure the latency the RTL really has, on a nop.
  step(0x00000013, spec::Mode::V, {}, &latency_);
}

RtlCosim::~RtlCosim() { model_->top.final(); }

Decision RtlCosim::step(uint32_t insn, spec::Mode mode, IrqLines irq, unsigned* edges) {
  Vtrimode_trap_decode_c& t = model_->top;
  t.valid_i = 1;
  t.insn_i = insn;
  t.mode_i = static_cast<uint8_t>(mode);
  t.irq_pending_i = static_cast<uint8_t>((irq.virtual_pending ? 2 : 0) | (irq.timer_pending ? 1 : 0));
  t.irq_enable_i = static_cast<uint8_t>((irq.g_ie ? 2 : 0) | (irq.v_ie ? 1 : 0));
  unsigned n = 0;
  const uint64_t ns = model_->fst ? static_cast<uint64_t>((now_ ? now_() : sc_core::sc_time_stamp()).to_seconds() * 1e9) : 0;
  do {
    model_->edge(ns + 5 * n);
    ++n;
    t.valid_i = 0;
  } while (!t.valid_o && n < 16);
  *edges = n;
  Decision d;
  d.kind = t.kind_o;
  d.action = static_cast<spec::Action>(t.action_o);
  d.target = static_cast<spec::Mode>(t.target_o);
  d.cause = t.cause_o;
  return d;
}

bool RtlCosim::decide(uint32_t insn, spec::Mode mode, IrqLines irq, uint32_t pc, Decision* decision,
                      std::string* failure) {
  unsigned edges = 0;
  const Decision rtl = step(insn, mode, irq, &edges);
  ++decodes_;
  const Decision ref = *decision;
  const bool same = rtl == ref && edges == latency_;
  if (tracing_) {
    insn_sig_.write(insn);
    mode_sig_.write(static_cast<uint32_t>(mode));
    irq_sig_.write(model_->top.irq_pending_i | model_->top.irq_enable_i << 2);
    kind_sig_.write(rtl.kind);
    action_sig_.write(static_cast<uint32_t>(rtl.action));
    target_sig_.write(static_cast<uint32_t>(rtl.target));
    cause_sig_.write(rtl.cause);
    mismatch_sig_.write(!same);
  }
  if (!same) {
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "FAILURE: cosim mismatch at %s, pc 0x%08" PRIx32 ", insn 0x%08" PRIx32
                  ", mode %s: rtl {%s, latency %u} ref {%s, latency %u}",
                  (now_ ? now_() : sc_core::sc_time_stamp()).to_string().c_str(), pc, insn, mode_name(mode),
                  describe(rtl).c_str(), edges, describe(ref).c_str(), latency_);
    *failure = buf;
    return false;
  }
  decision->kind = rtl.kind;
  decision->action = rtl.action;
  decision->target = rtl.target;
  decision->cause = rtl.cause;
  return true;
}

void RtlCosim::open_fst(const std::string& path) {
  Verilated::traceEverOn(true);
  model_->fst = std::make_unique<VerilatedFstC>();
  model_->top.trace(model_->fst.get(), 99);
  model_->fst->set_time_unit("500ps");
  model_->fst->set_time_resolution("500ps");
  model_->fst->open(path.c_str());
  if (!model_->fst->isOpen()) throw std::runtime_error("cannot write " + path);
}

void RtlCosim::enable_trace(sc_core::sc_trace_file* tf) {
  tracing_ = true;
  const std::string p = std::string(name()) + ".";
  sc_core::sc_trace(tf, insn_sig_, p + "insn_i");
  sc_core::sc_trace(tf, mode_sig_, p + "mode_i");
  sc_core::sc_trace(tf, irq_sig_, p + "irq_i");
  sc_core::sc_trace(tf, kind_sig_, p + "kind_o");
  sc_core::sc_trace(tf, action_sig_, p + "action_o");
  sc_core::sc_trace(tf, target_sig_, p + "target_o");
  sc_core::sc_trace(tf, cause_sig_, p + "cause_o");
  sc_core::sc_trace(tf, mismatch_sig_, p + "mismatch");
}

}  // namespace trimode

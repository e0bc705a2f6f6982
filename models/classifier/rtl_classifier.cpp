#include "models/classifier/rtl_classifier.hpp"

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

// verilated.h sees SystemC's headers and calls sc_time_stamp() unqualified.
using sc_core::sc_time_stamp;
#include "Vtrimode_trap_unit_c.h"
#include "Vtrimode_trap_unit_c___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include "models/classifier/verilated_edge.hpp"

namespace trimode {

// Each RTL clock cycle of a decode is drawn 5 ns long in the FST, from the decode's simulated time.
constexpr uint64_t kEdgePs = 5000;

struct RtlClassifier::Model {
  VerilatedContext context;
  Vtrimode_trap_unit_c top{&context, "trap_unit"};
  std::unique_ptr<VerilatedFstC> fst;
  RtlPinSink* pins = nullptr;
  uint64_t decode_ps = 0;  // the current decode's time (for pins)
  uint64_t last_dump = 0;

  // One clock cycle (kEdgePs long). Without a trace: clock low recorded, then
  // the rising edge evaluated (one eval()). With a trace, the low phase is
  // evaluated and dumped at `ps` and the rising edge half a cycle later (kept
  // strictly increasing). Times in ps: the platform trace's time base.
  void edge(uint64_t ps) {
    top.clk_i = 0;
    if (fst || pins || !forget_rising(top.rootp, 0)) {
      top.eval();
      dump(ps);
    }
    top.clk_i = 1;
    top.eval();
    dump(ps + kEdgePs / 2);
  }
  void dump(uint64_t t) {
    if (!fst && !pins) return;
    if (t <= last_dump) t = last_dump + 1;
    if (fst) fst->dump(t);
    if (pins) pins->rtl_pins({t, decode_ps, top.clk_i != 0, top.req_valid_i != 0, top.req_ready_o != 0, top.rsp_valid_o != 0});
    last_dump = t;
  }
  ~Model() {
    if (fst) fst->close();
  }
};

RtlClassifier::RtlClassifier(sc_core::sc_module_name name)
    : sc_module(name), decode("decode"), model_(std::make_unique<Model>()) {
  decode.bind(*this);
  Vtrimode_trap_unit_c& t = model_->top;
  t.rst_ni = 0;
  t.req_valid_i = 0;
  t.mr_ready_i = 1;  // the mode register takes one write beat per cycle
  model_->edge(0);
  t.rst_ni = 1;
  model_->edge(0);
}

RtlClassifier::~RtlClassifier() { model_->top.final(); }

// One request through the handshake: offered while the unit is idle (it is
// between requests: the core waits for each answer), accepted on the first
// edge, then clocked until rsp_valid_o. *edges: the cycles from the accepting
// edge to the answer (the latency the core is charged), kMaxCycles if none.
Decision RtlClassifier::step(const DecodeRequest& r, uint64_t ps, unsigned* edges) {
  Vtrimode_trap_unit_c& t = model_->top;
  t.req_valid_i = 1;
  t.req_insn_i = r.insn;
  t.req_pc_i = r.pc;
  t.req_tval_i = r.insn;  // a decided trap's tval is the word (hart.cpp apply_decision)
  t.req_mode_i = static_cast<uint8_t>(r.mode);
  t.irq_pending_i = static_cast<uint8_t>((r.irq.virtual_pending ? 2 : 0) | (r.irq.timer_pending ? 1 : 0));
  t.irq_enable_i = static_cast<uint8_t>((r.irq.g_ie ? 2 : 0) | (r.irq.v_ie ? 1 : 0));
  unsigned n = 0;
  model_->decode_ps = ps;
  do {
    model_->edge(ps + kEdgePs * n);
    ++n;
    t.req_valid_i = 0;
  } while (!t.rsp_valid_o && n < kMaxCycles);
  *edges = t.rsp_valid_o ? n : kMaxCycles;
  Decision d;
  d.kind = t.rsp_kind_o;
  d.action = static_cast<spec::Action>(t.rsp_action_o);
  d.target = static_cast<spec::Mode>(t.rsp_target_o);
  d.cause = t.rsp_cause_o;
  d.cycles = static_cast<uint8_t>(n);
  return d;
}

namespace {

// Kept out of decide(): its buffer would cost every decode a stack frame.
[[gnu::cold, gnu::noinline]] std::string no_answer_failure(const DecodeRequest& r, const sc_core::sc_time& at) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "FAILURE: the trap unit did not answer within %u cycles at %s, pc 0x%08" PRIx32 ", insn 0x%08" PRIx32,
                RtlClassifier::kMaxCycles, at.to_string().c_str(), r.pc, r.insn);
  return buf;
}

}  // namespace

bool RtlClassifier::decide(const DecodeRequest& r, const sc_core::sc_time& at, Decision* out,
                           std::string* failure) {
  unsigned edges = 0;
  const uint64_t ps = model_->fst || model_->pins ? static_cast<uint64_t>(at.to_seconds() * 1e12 + 0.5) : 0;
  *out = step(r, ps, &edges);
  ++decodes_;
  if (__builtin_expect(edges < kMaxCycles, 1)) return true;
  *failure = no_answer_failure(r, at);
  return false;
}

// Unbatched while the single unit is watched (its FST, or its pins in the platform trace).
unsigned RtlClassifier::batch_lanes() const { return model_->fst || model_->pins ? 0 : RtlLanes::kLanes; }

bool RtlClassifier::decide_batch(const DecodeRequest* r, Decision* out, unsigned n, std::string*) {
  if (!lanes_) lanes_ = std::make_unique<RtlLanes>();
  lanes_->decide(r, out, n);
  decodes_ += n;
  return true;
}

void RtlClassifier::open_fst(const std::string& path) {
  Verilated::traceEverOn(true);
  model_->fst = std::make_unique<VerilatedFstC>();
  model_->top.trace(model_->fst.get(), 99);
  model_->fst->set_time_unit("1ps");  // the platform trace's (tlm/platform/waves.hpp)
  model_->fst->set_time_resolution("1ps");
  model_->fst->open(path.c_str());
  if (!model_->fst->isOpen()) throw std::runtime_error("cannot write " + path);
}

void RtlClassifier::set_pin_sink(RtlPinSink* sink) { model_->pins = sink; }

}  // namespace trimode

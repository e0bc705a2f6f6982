#include "models/classifier/rtl_lanes.hpp"

#include <cstring>
#include <type_traits>

#include <systemc>

// verilated.h sees SystemC's headers and calls sc_time_stamp() unqualified.
using sc_core::sc_time_stamp;
#include "Vtrimode_cosim_slices.h"
#include "verilated.h"

namespace trimode {

namespace {

using Top = Vtrimode_cosim_slices;
// The ports' sizes in bytes: the slices of trimode_cosim_slices with W = 64.
static_assert(sizeof(Top::insn_s) == 32 * 8 && sizeof(Top::cause_s) == 32 * 8, "32 slices of 64 lanes");
static_assert(sizeof(Top::ctl_s) == 6 * 8 && sizeof(Top::dec_s) == 6 * 8, "6 slices of 64 lanes");

// No lane's cause set: every lane executes in place (the usual batch).
constexpr uint32_t kNoCause[RtlLanes::kLanes] = {};

}  // namespace

struct RtlLanes::Model {
  VerilatedContext context;
  Top top{&context, "cosim_slices"};
  ~Model() { top.final(); }
};

RtlLanes::RtlLanes() : model_(std::make_unique<Model>()) {
  avx2_ = slices::use_avx2();
}
RtlLanes::~RtlLanes() = default;

void RtlLanes::decide(const LaneBatch& b, unsigned n, LaneAnswers* out) {
  uint32_t insn[kLanes] = {};
  uint8_t ctl[kLanes] = {};
  std::memcpy(insn, b.insn, n * sizeof b.insn[0]);
  std::memcpy(ctl, b.ctl, n);
  SliceBatch sliced;
  slices::slice_words(insn, sliced.insn);
  slices::slice_bytes<6>(ctl, sliced.ctl);
  SliceAnswers got;
  decide_slices(sliced, &got);
  slices::unslice_bytes<6>(got.dec, dec_);
  out->dec = dec_;
  if (got.cause) {
    slices::unslice_words(got.cause, cause_);
    out->cause = cause_;
  } else {
    out->cause = kNoCause;
  }
  out->cycles = 1;
}

// The ports' copies and the causes' OR are vector instructions: with AVX2
// when the host has it (half as many).
void RtlLanes::decide_slices(const SliceBatch& b, SliceAnswers* out) {
#if defined(__x86_64__)
  if (avx2_) return decide_slices_avx2(b, out);
#endif
  answer(b, out);
}

#if defined(__x86_64__)
[[gnu::target("avx2")]] void RtlLanes::decide_slices_avx2(const SliceBatch& b, SliceAnswers* out) { answer(b, out); }
#endif

[[gnu::always_inline]] inline void RtlLanes::answer(const SliceBatch& b, SliceAnswers* out) {
  Top& t = model_->top;
  std::memcpy(&t.insn_s[0], b.insn, sizeof t.insn_s);
  std::memcpy(&t.ctl_s[0], b.ctl, sizeof t.ctl_s);
  t.eval();
  std::memcpy(dec_s_, &t.dec_s[0], sizeof dec_s_);
  uint32_t any = 0;  // the causes copied out only when one is set (not in the usual batch)
  for (unsigned w = 0; w < sizeof t.cause_s / 4; ++w) any |= t.cause_s[w];
  if (any) std::memcpy(cause_s_, &t.cause_s[0], sizeof cause_s_);
  out->dec = dec_s_;
  out->cause = any ? cause_s_ : nullptr;
  out->cycles = 1;
}

}  // namespace trimode

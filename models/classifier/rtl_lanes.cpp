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

RtlLanes::RtlLanes() : model_(std::make_unique<Model>()) {}
RtlLanes::~RtlLanes() = default;

void RtlLanes::decide(const LaneBatch& b, unsigned n, LaneAnswers* out) {
  Top& t = model_->top;
  std::memcpy(insn_, b.insn, n * sizeof b.insn[0]);
  std::memcpy(ctl_, b.ctl, n);
  uint64_t s[32];
  slices::slice_words(insn_, s);
  std::memcpy(&t.insn_s[0], s, sizeof t.insn_s);
  slices::slice_bytes<6>(ctl_, s);
  std::memcpy(&t.ctl_s[0], s, sizeof t.ctl_s);
  t.eval();
  std::memcpy(s, &t.dec_s[0], sizeof t.dec_s);
  slices::unslice_bytes<6>(s, dec_);
  out->dec = dec_;
  std::memcpy(s, &t.cause_s[0], sizeof t.cause_s);
  uint64_t any = 0;
  for (unsigned b = 0; b < 32; ++b) any |= s[b];
  if (any) {
    slices::unslice_words(s, cause_);
    out->cause = cause_;
  } else {
    out->cause = kNoCause;
  }
  out->cycles = 1;
}

}  // namespace trimode

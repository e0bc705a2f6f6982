#include "models/classifier/rtl_lanes.hpp"

#include <cstring>
#include <type_traits>

#include <systemc>

// verilated.h sees SystemC's headers and calls sc_time_stamp() unqualified.
using sc_core::sc_time_stamp;
#include "Vtrimode_cosim_lanes.h"
#include "verilated.h"

namespace trimode {

namespace {

template <typename T>
struct Words;
template <std::size_t W>
struct Words<VlWide<W>> {
  static constexpr unsigned value = W;
};
// The harness's Lanes parameter, read off the width of its insn_i port.
static_assert(Words<std::remove_reference_t<decltype(Vtrimode_cosim_lanes::insn_i)>>::value == RtlLanes::kLanes,
              "the lanes harness is Verilated with -GLanes=TRIMODE_COSIM_LANES");
static_assert(RtlLanes::kLanes <= LaneBatch::kMax, "a batch fills the lanes");

}  // namespace

struct RtlLanes::Model {
  VerilatedContext context;
  Vtrimode_cosim_lanes top{&context, "cosim_lanes"};
  ~Model() { top.final(); }
};

RtlLanes::RtlLanes() : model_(std::make_unique<Model>()) {}
RtlLanes::~RtlLanes() = default;

void RtlLanes::decide(const LaneBatch& b, unsigned n, LaneAnswers* out) {
  Vtrimode_cosim_lanes& t = model_->top;
  // The packed ports as arrays (Verilator's words are little-endian, so byte k
  // of ctl_i/dec_o is lane k's). Lanes n.. keep their previous inputs.
  std::memcpy(&t.insn_i[0], b.insn, n * sizeof b.insn[0]);
  std::memcpy(&t.ctl_i[0], b.ctl, n);
  t.eval();
  out->dec = reinterpret_cast<const uint8_t*>(&t.dec_o[0]);
  out->cause = &t.cause_o[0];
  out->cycles = 1;
}

}  // namespace trimode

#include "models/classifier/rtl_lanes.hpp"

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

}  // namespace

struct RtlLanes::Model {
  VerilatedContext context;
  Vtrimode_cosim_lanes top{&context, "cosim_lanes"};
  ~Model() { top.final(); }
};

RtlLanes::RtlLanes() : model_(std::make_unique<Model>()) {}
RtlLanes::~RtlLanes() = default;

void RtlLanes::decide(const DecodeRequest* r, Decision* out, unsigned n) {
  Vtrimode_cosim_lanes& t = model_->top;
  // The packed ports as arrays (Verilator's words are little-endian, so byte k
  // of ctl_i/dec_o is lane k's). Lanes n.. keep their previous inputs.
  EData* const insn = &t.insn_i[0];
  uint8_t* const ctl = reinterpret_cast<uint8_t*>(&t.ctl_i[0]);
  const uint8_t* const dec = reinterpret_cast<const uint8_t*>(&t.dec_o[0]);
  const EData* const cause = &t.cause_o[0];
  for (unsigned k = 0; k < n; ++k) {
    const DecodeRequest& q = r[k];
    insn[k] = q.insn;
    ctl[k] = static_cast<uint8_t>(unsigned{q.irq.g_ie} << 5 | unsigned{q.irq.v_ie} << 4 |
                                  unsigned{q.irq.virtual_pending} << 3 | unsigned{q.irq.timer_pending} << 2 |
                                  static_cast<unsigned>(q.mode));
  }
  t.eval();
  for (unsigned k = 0; k < n; ++k) {
    const unsigned d = dec[k];
    Decision o;
    o.kind = static_cast<spec::Kind>(d & 3);
    o.action = static_cast<spec::Action>(d >> 2 & 3);
    o.target = static_cast<spec::Mode>(d >> 4 & 3);
    o.cause = cause[k];
    o.cycles = 1;
    out[k] = o;
  }
}

}  // namespace trimode

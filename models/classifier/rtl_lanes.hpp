// The trap unit in lanes: TRIMODE_COSIM_LANES copies of rtl/trimode_trap_unit.sv
// side by side (trimode_cosim_lanes.sv, Verilated without trace), one clock
// edge answering up to that many requests. RtlClassifier::decide_batch() uses
// it for the batched lockstep check of --cosim (lockstep_classifier.hpp):
// only requests whose answer is "execute in place" without a write slot reach
// it, so each is answered one edge after it is offered.
#pragma once

#include <memory>
#include <string>

#include "models/classifier/classifier.hpp"

namespace trimode {

class RtlLanes {
 public:
  static constexpr unsigned kLanes = TRIMODE_COSIM_LANES;

  RtlLanes();
  ~RtlLanes();

  // Offers requests[0..n) (n <= kLanes) to lanes 0..n-1 in one rising edge;
  // out[k] is lane k's decision after that edge, with cycles = 1 when the lane
  // answered (rsp_valid_o) on that edge and 0 when it did not (its result
  // register is then still read: the decision it accepted; the lanes are
  // then reset, so the next call finds every unit idle).
  void decide(const DecodeRequest* requests, Decision* out, unsigned n);

 private:
  struct Model;
  std::unique_ptr<Model> model_;
};

}  // namespace trimode

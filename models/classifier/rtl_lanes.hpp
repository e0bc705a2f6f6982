// The trap unit's decision logic in lanes: TRIMODE_COSIM_LANES copies of
// rtl/trimode_trap_decide.sv side by side (trimode_cosim_lanes.sv, Verilated
// without trace), one eval() deciding up to that many requests.
// RtlClassifier::decide_lanes() uses it for the batched lockstep check of
// --cosim (lockstep_classifier.hpp): only instructions that execute in place
// and are not SYSTEM words reach it, and for those the trap unit answers with
// its decision logic's output one edge after accepting them, in every state
// (rtl.bmc proves it: trimode_trap_unit.sv), so each lane's answer is the
// unit's, with cycles = 1.
#pragma once

#include <memory>

#include "models/classifier/decode_if.hpp"

namespace trimode {

class RtlLanes {
 public:
  static constexpr unsigned kLanes = TRIMODE_COSIM_LANES;

  RtlLanes();
  ~RtlLanes();

  // Decides batch[0..n) (n <= kLanes) in lanes 0..n-1 with one eval(); the
  // answers point into the model's output ports, with cycles = 1 (the unit's
  // proved latency for the requests batched: see above).
  void decide(const LaneBatch& batch, unsigned n, LaneAnswers* out);

 private:
  struct Model;
  std::unique_ptr<Model> model_;
};

}  // namespace trimode

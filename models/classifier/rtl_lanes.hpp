// The trap unit's decision logic in lanes: TRIMODE_COSIM_LANES copies of
// rtl/trimode_trap_decide.sv side by side (trimode_cosim_lanes.sv, Verilated
// without trace), one eval() deciding up to that many requests.
// RtlClassifier::decide_batch() uses it for the batched lockstep check of
// --cosim (lockstep_classifier.hpp): only instructions that execute in place
// and are not SYSTEM words reach it, and for those the trap unit answers with
// its decision logic's output one edge after accepting them, in every state
// (rtl.bmc proves it: trimode_trap_unit.sv), so each lane's answer is the
// unit's, with cycles = 1.
#pragma once

#include <memory>

#include "models/classifier/classifier.hpp"

namespace trimode {

class RtlLanes {
 public:
  static constexpr unsigned kLanes = TRIMODE_COSIM_LANES;

  RtlLanes();
  ~RtlLanes();

  // Decides requests[0..n) (n <= kLanes, each an instruction) in lanes
  // 0..n-1 with one eval(); out[k] is lane k's decision, with cycles = 1 (the
  // unit's proved latency for the requests batched: see above).
  void decide(const DecodeRequest* requests, Decision* out, unsigned n);

 private:
  struct Model;
  std::unique_ptr<Model> model_;
};

}  // namespace trimode

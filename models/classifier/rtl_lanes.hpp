// The trap unit's decision logic in 64 bit-sliced lanes: the gate netlist of
// rtl/trimode_trap_decide.sv (yosys), bit-sliced (slice_lanes.py generates
// trimode_cosim_slices.sv: every net a 64-bit vector, bit k = lane k, every
// gate one bitwise operation) and Verilated without trace; one eval() decides
// up to 64 requests. rtl.proof_slices proves the generated module equal to
// trimode_trap_decide for every input (docs/rtl.md, decision lanes).
// RtlClassifier::decide_lanes() uses it for the batched lockstep check of
// --cosim (lockstep_classifier.hpp): only instructions that execute in place
// and are not SYSTEM words reach it, and for those the trap unit answers with
// its decision logic's output one edge after accepting them, in every state
// (rtl.bmc proves it: trimode_trap_unit.sv), so each lane's answer is the
// unit's, with cycles = 1.
#pragma once

#include <cstdint>
#include <memory>

#include "models/classifier/bit_slices.hpp"
#include "models/classifier/decode_if.hpp"

namespace trimode {

class RtlLanes {
 public:
  static constexpr unsigned kLanes = slices::kLanes;
  static_assert(kLanes <= LaneBatch::kMax, "a batch fills the lanes");

  RtlLanes();
  ~RtlLanes();

  // Decides batch[0..n) (n <= kLanes) in lanes 0..n-1 with one eval(): the
  // batch sliced into the model's ports, the answers unsliced into this
  // object's arrays (valid until the next call), with cycles = 1 (the unit's
  // proved latency for the requests batched: see above).
  void decide(const LaneBatch& batch, unsigned n, LaneAnswers* out);
  // The same on a bit-sliced batch, answers sliced (decode_if.hpp's
  // SliceBatch: the model's own form, nothing transposed; cause nullptr when
  // no lane has one). Lanes from n on are evaluated too and ignored.
  void decide_slices(const SliceBatch& batch, SliceAnswers* out);

 private:
  // decide_slices()' body, compiled twice: for any x86-64 (answer) and for AVX2.
  void answer(const SliceBatch& batch, SliceAnswers* out);
  void decide_slices_avx2(const SliceBatch& batch, SliceAnswers* out);
  struct Model;
  std::unique_ptr<Model> model_;
  bool avx2_ = false;  // the host has AVX2
  // The answers, unsliced (decide) and sliced.
  uint8_t dec_[kLanes] = {};
  uint32_t cause_[kLanes] = {};
  uint64_t dec_s_[6] = {};
  uint64_t cause_s_[32] = {};
};

}  // namespace trimode

// The classifier's decode interface: what the core asks the trap classifier,
// as a SystemC interface. The core holds an sc_port<DecodeIf> (Core::decode);
// each implementation offers it on an sc_export named `decode`, and the
// platform binds one of them in the netlist (tlm/platform/platform.cpp):
//
//   RefClassifier       the C++ reference classify()                (default)
//   RtlClassifier       the Verilated trap-decode RTL
//   LockstepClassifier  asks a reference and a device under test on every
//                       decode, compares, counts mismatches    (trimode --cosim)
//
// Contract: decide() answers one DecodeRequest with the Decision the hardware
// takes (interrupts first, then the instruction). It returns false, with a
// one-line `failure` starting "FAILURE:", when the run must stop (a lockstep
// mismatch); the core then stops with that message. A memoizable()
// implementation is a pure function of (insn, mode) when no interrupt line is
// set, of (mode, lines) for an interrupt query, and never fails, so the core
// may fill a per-word memo from it and skip it on the hot path (and ask an
// interrupt query once per mode and lines when no decision is recorded);
// otherwise the core asks it for every instruction.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include <systemc>

#include "models/classifier/bit_slices.hpp"
#include "models/classifier/classifier.hpp"

namespace trimode {

// A batch of instruction requests (DecodeRequest::What::kInsn) in the packed
// form the lanes take (models/classifier/rtl_lanes.hpp): per
// request its word and one control byte, pack_ctl(mode, irq) =
// {2'b0, g_ie, v_ie, virtual_pending, timer_pending, mode[1:0]}.
struct LaneBatch {
  static constexpr unsigned kMax = 64;
  uint32_t insn[kMax];
  uint8_t ctl[kMax];
};
// A device's answers to a LaneBatch: per request one decision byte,
// pack_dec(d) = {2'b0, target[1:0], action[1:0], kind[1:0]}, and the cause;
// cycles: the device's latency for these requests (the trap unit's is 1 for
// the instructions a lockstep checker batches: rtl.bmc proves it).
struct LaneAnswers {
  const uint8_t* dec = nullptr;
  const uint32_t* cause = nullptr;
  unsigned cycles = 1;
};

// The same batch bit-sliced (models/classifier/bit_slices.hpp): bit k of
// insn[b] is bit b of request k's word, of ctl[t] bit t of its control byte;
// and the answers so: bit k of dec[t] is bit t of request k's decision byte,
// of cause[b] bit b of its cause (nullptr: every cause 0). Lanes from n on
// are ignored.
struct SliceBatch {
  uint64_t insn[32];
  uint64_t ctl[6];
};
struct SliceAnswers {
  const uint64_t* dec = nullptr;    // 6 slices
  const uint64_t* cause = nullptr;  // 32 slices, or nullptr
  unsigned cycles = 1;
};

static_assert(sizeof(IrqLines) == 4, "pack_ctl reads the four interrupt bools as one word");
inline uint8_t pack_ctl(spec::Mode mode, const IrqLines& irq) {
  // The four bools (0 or 1, bytes 0..3) to bits 24..27 by one multiply: every
  // other partial product lands on a bit of its own, below 24 or above 31.
  uint32_t v;
  std::memcpy(&v, &irq, sizeof v);
  return static_cast<uint8_t>(((v * 0x01020408u) >> 24 & 0xFu) << 2 | static_cast<unsigned>(mode));
}
// The instruction request a lane holds (pc 0: the batch does not carry it).
inline DecodeRequest unpack_request(uint32_t insn, uint8_t ctl) {
  return DecodeRequest{insn, static_cast<spec::Mode>(ctl & 3),
                       {bool(ctl >> 2 & 1), bool(ctl >> 3 & 1), bool(ctl >> 4 & 1), bool(ctl >> 5 & 1)}};
}
class DecodeIf : public virtual sc_core::sc_interface {
 public:
  // `at` is the simulated time of the decode (the core's local time), for
  // reports and waveforms; the core passes SC_ZERO_TIME to a memoizable
  // implementation, whose answers may not depend on it.
  virtual bool decide(const DecodeRequest& request, const sc_core::sc_time& at, Decision* out,
                      std::string* failure) = 0;
  virtual bool memoizable() const = 0;

  // Batched evaluation (a device with lanes: RtlClassifier). batch_lanes() is
  // how many instruction requests one decide_lanes() answers at most (0: none;
  // then only decide() is used). decide_lanes() answers batch[0..n) (LaneBatch
  // above: instructions only) exactly as n decide() calls would, in the packed
  // form of LaneAnswers (valid until the next call), except that it may not
  // fail on a difference from a reference (it has none); it returns false with
  // a FAILURE line only when the device itself breaks its contract.
  virtual unsigned batch_lanes() const { return 0; }
  virtual bool decide_lanes(const LaneBatch& /*batch*/, unsigned /*n*/, LaneAnswers* /*out*/,
                            std::string* /*failure*/) {
    return false;
  }
  // decide_lanes() on a bit-sliced batch (SliceBatch above), for
  // batch_lanes() <= 64 lanes: what a lockstep checker calls. By default the
  // batch is unsliced, answered by decide_lanes() and the answers sliced; a
  // bit-sliced device (RtlClassifier's lanes) takes it as it is.
  virtual bool decide_slices(const SliceBatch& batch, unsigned n, SliceAnswers* out, std::string* failure) {
    LaneBatch lanes;
    slices::unslice_words(batch.insn, lanes.insn);
    slices::unslice_bytes<6>(batch.ctl, lanes.ctl);
    LaneAnswers got;
    if (!decide_lanes(lanes, n, &got, failure)) return false;
    uint8_t dec[slices::kLanes] = {};
    uint32_t cause[slices::kLanes] = {};
    std::memcpy(dec, got.dec, n);
    std::memcpy(cause, got.cause, n * sizeof cause[0]);
    slices::slice_bytes<6>(dec, sliced_dec_);
    slices::slice_words(cause, sliced_cause_);
    out->dec = sliced_dec_;
    out->cause = sliced_cause_;
    out->cycles = got.cycles;
    return true;
  }
  // Finishes every check still pending (a batched lockstep checker's batch)
  // and returns false with the FAILURE line when one fails. The core calls it
  // after every slice of instructions it ran, before the run may end.
  virtual bool settle(std::string* /*failure*/) { return true; }
  // Whether a waveform watches the decodes now (the core says so at a
  // window's bounds, between slices, nothing pending): a device whose pins
  // are traced shows them, and answers every decode itself, only while
  // watched; outside, it may batch (docs/debugging.md, "Waveforms").
  virtual void set_watched(bool /*on*/) {}

  // The block engine's entry (block records, models/core/hart.hpp: the core
  // ran instructions in place without asking; docs/performance.md,
  // co-simulation). in_place_room(): how many such instructions the core may
  // run before handing them over (0: none; the core then asks decide() about
  // the next instruction). in_place(): `count` runs (classifier.hpp's
  // InPlaceRun; in all at most that room), back to back in retirement order
  // from time `at`, one `period` per instruction, in first.mode with the
  // interrupt lines first.irq; the core executed each on the reference's
  // decision for (insn, mode): classify_row(row, mode), execute in place, no
  // interrupt taken. To be treated as that many decide() calls answered so
  // (a checker still checks each against its device, and may do so later:
  // at the latest by settle()); false with a FAILURE line when a check
  // failed. reference_decision(): the decision of the model that is right
  // by definition, for the core's decode memo (no interrupt line up): a
  // memoizable implementation's own; false when there is none.
  virtual unsigned in_place_room() { return 0; }
  virtual bool in_place(const DecodeRequest& /*first*/, const InPlaceRun* /*runs*/, unsigned /*count*/,
                        const sc_core::sc_time& /*at*/, const sc_core::sc_time& /*period*/,
                        std::string* /*failure*/) {
    return true;
  }
  virtual bool reference_decision(const DecodeRequest& request, Decision* out) {
    std::string failure;
    return memoizable() && decide(request, sc_core::SC_ZERO_TIME, out, &failure);
  }

 private:
  uint64_t sliced_dec_[6] = {};  // decide_slices()' answers by default
  uint64_t sliced_cause_[32] = {};
};

// "kind 2 trap -> G (ecall_u)"
std::string describe(const Decision& d);

}  // namespace trimode

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
// set and never fails, so the core may fill a per-word memo from it and skip
// it on the hot path; otherwise the core asks it for every instruction.
#pragma once

#include <string>

#include <systemc>

#include "models/classifier/classifier.hpp"

namespace trimode {

class DecodeIf : public virtual sc_core::sc_interface {
 public:
  // `at` is the simulated time of the decode (the core's local time), for
  // reports and waveforms; the core passes SC_ZERO_TIME to a memoizable
  // implementation, whose answers may not depend on it.
  virtual bool decide(const DecodeRequest& request, const sc_core::sc_time& at, Decision* out,
                      std::string* failure) = 0;
  virtual bool memoizable() const = 0;

  // Batched evaluation (a device with lanes: RtlClassifier). batch_lanes() is
  // how many requests one decide_batch() answers at most (0: none; then only
  // decide() is used). decide_batch() answers requests[0..n) with out[0..n)
  // exactly as n decide() calls would, except that it may not fail on a
  // difference from a reference (it has none); it returns false with a
  // FAILURE line only when the device itself breaks its contract.
  virtual unsigned batch_lanes() const { return 0; }
  virtual bool decide_batch(const DecodeRequest* /*requests*/, Decision* /*out*/, unsigned /*n*/,
                            std::string* /*failure*/) {
    return false;
  }
  // Finishes every check still pending (a batched lockstep checker's batch)
  // and returns false with the FAILURE line when one fails. The core calls it
  // after every slice of instructions it ran, before the run may end.
  virtual bool settle(std::string* /*failure*/) { return true; }

  // The block engine's entry (block records, models/core/hart.hpp: the core
  // ran instructions in place without asking; docs/performance.md,
  // co-simulation). in_place_room(): how many such instructions the
  // implementation takes now without a check falling due (0: none; the core
  // then asks decide() about the next instruction). in_place(): n (<= that
  // room) consecutive instructions in retirement order: request k is `first`
  // with insn[k] at first.pc + 4k, at time at + k x period; the core executed
  // each on the reference's decision for (insn, mode): classify_row(rows[k],
  // mode), execute in place, no interrupt taken. To be treated as n decide()
  // calls answered so (a checker still checks each against its device). reference_decision(): the decision of the model that is right
  // by definition, for the core's decode memo (no interrupt line up): a
  // memoizable implementation's own; false when there is none.
  virtual unsigned in_place_room() { return 0; }
  virtual void in_place(const DecodeRequest& /*first*/, const uint32_t* /*insn*/, const uint16_t* /*rows*/,
                        unsigned /*n*/, const sc_core::sc_time& /*at*/, const sc_core::sc_time& /*period*/) {}
  virtual bool reference_decision(const DecodeRequest& request, Decision* out) {
    std::string failure;
    return memoizable() && decide(request, sc_core::SC_ZERO_TIME, out, &failure);
  }
};

// "kind 2 trap -> G (ecall_u)"
std::string describe(const Decision& d);

}  // namespace trimode

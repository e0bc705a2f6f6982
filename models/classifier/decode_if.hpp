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
};

// "kind 2 trap -> G (ecall_u)"
std::string describe(const Decision& d);

}  // namespace trimode

// A lockstep checker behind the decode interface (decode_if.hpp): every
// decide() is asked of the device under test (port `dut`, the RTL in
// trimode --cosim) and of the reference (port `reference`); the DUT's answer
// drives the core. A disagreement is counted and, with stop_on_mismatch (the
// default), fails the run with one line naming time, pc, instruction, mode and
// both decisions:
//   FAILURE: cosim mismatch at 127880 ns, pc 0x800000a0, insn 0x5c429073, mode U:
//     rtl {kind 2 trap -> G (priv_insn)} ref {kind 2 trap -> G (sensitive_insn)}
// (one line). Never memoizable: the DUT sees every instruction.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>

#include "models/classifier/decode_if.hpp"

namespace trimode {

class LockstepClassifier : public sc_core::sc_module, public DecodeIf {
 public:
  sc_core::sc_export<DecodeIf> decode;   // to the core's decode port
  sc_core::sc_port<DecodeIf> reference;  // the model that is right by definition
  sc_core::sc_port<DecodeIf> dut;        // the model under check; its answers drive the core

  explicit LockstepClassifier(sc_core::sc_module_name name, bool stop_on_mismatch = true);

  bool decide(const DecodeRequest& request, const sc_core::sc_time& at, Decision* out,
              std::string* failure) override;
  bool memoizable() const override { return false; }

  uint64_t decodes() const { return decodes_; }
  uint64_t mismatches() const { return mismatches_; }
  // The first mismatch's FAILURE line ("" while there is none).
  const std::string& first_mismatch() const { return first_; }

 private:
  bool stop_;
  uint64_t decodes_ = 0;
  uint64_t mismatches_ = 0;
  std::string first_;
};

}  // namespace trimode

// The Verilated trap-decode RTL (rtl/trimode_trap_decode.sv) as a classifier
// implementation behind the decode interface (decode_if.hpp).
//
// Each decide() presents (insn, mode, interrupt lines) on the RTL's pins and
// clocks Verilator's C++ model, evaluated directly from the caller's thread
// (no SystemC scheduler round trip per instruction), until valid_o; the RTL's
// outputs are the answer. The latency (clock edges from valid_i to valid_o) is
// measured on a nop at construction; a decode taking another number of edges
// fails the run, since the core's trap timing was set from it. Not
// memoizable: the core asks it for every instruction it executes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <systemc>

#include "models/classifier/decode_if.hpp"

namespace trimode {

class RtlClassifier : public sc_core::sc_module, public DecodeIf {
 public:
  sc_core::sc_export<DecodeIf> decode;  // to the core's decode port (or a lockstep checker's)

  explicit RtlClassifier(sc_core::sc_module_name name);
  ~RtlClassifier() override;

  bool decide(const DecodeRequest& request, const sc_core::sc_time& at, Decision* out,
              std::string* failure) override;
  bool memoizable() const override { return false; }

  // Clock edges from valid_i to valid_o, measured on the RTL at construction.
  unsigned latency() const { return latency_; }
  uint64_t decodes() const { return decodes_; }
  // Dumps every signal inside the RTL (Verilator's FST writer) to `path`;
  // times in ps, the decodes' simulated times (the platform trace's time base).
  // Throws on an unwritable path.
  void open_fst(const std::string& path);

 private:
  struct Model;
  Decision step(const DecodeRequest& r, uint64_t ps, unsigned* edges);

  std::unique_ptr<Model> model_;
  unsigned latency_ = 0;
  uint64_t decodes_ = 0;
};

}  // namespace trimode

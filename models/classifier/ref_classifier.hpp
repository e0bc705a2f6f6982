// The C++ reference classifier as a SystemC block: classify() behind the
// decode interface (decode_if.hpp). Memoizable: the core fills its per-word
// decode memo from it and asks it again only for instructions that do not
// execute in place (traps), or for every instruction while tracing.
#pragma once

#include <array>
#include <cstdint>

#include <systemc>

#include "models/classifier/decode_if.hpp"

namespace trimode {

class RefClassifier : public sc_core::sc_module, public DecodeIf {
 public:
  sc_core::sc_export<DecodeIf> decode;  // to the core's decode port (or a lockstep checker's)

  explicit RefClassifier(sc_core::sc_module_name name) : sc_module(name), decode("decode") { decode.bind(*this); }

  bool decide(const DecodeRequest& r, const sc_core::sc_time&, Decision* out, std::string*) override {
    ++decodes_;
    if (__builtin_expect(r.what == DecodeRequest::What::kFault, 0)) {
      *out = fault_decision(r);
      return true;
    }
    // The core asks about a new word in U, G and V in a row, and a lockstep
    // checker about every instruction: the words' rows are kept.
    RowSlot& slot = rows_[(r.insn * 0x9E3779B1u) >> (32 - kRowSlotBits)];
    if (r.insn != slot.insn || slot.row == kUnknown) slot = {r.insn, match_row(r.insn)};
    const bool line_up = r.irq.timer_pending || r.irq.virtual_pending;  // no call while both are low
    if (!line_up || !pending_interrupt(r.mode, r.irq, out)) *out = classify_row(slot.row, r.mode);
    return true;
  }
  bool memoizable() const override { return true; }

  uint64_t decodes() const { return decodes_; }

 private:
  static constexpr uint32_t kUnknown = 0xFFFFFFFEu;  // not a row index
  static constexpr unsigned kRowSlotBits = 10;        // a direct-mapped cache of 1,024 words' rows
  struct RowSlot {
    uint32_t insn = 0;
    uint32_t row = kUnknown;
  };
  std::array<RowSlot, 1u << kRowSlotBits> rows_{};
  uint64_t decodes_ = 0;
};

}  // namespace trimode

// The narrow interface between the sweep and a model of the trap-decode unit.
//
// The sweep (sweep.hpp) only sees DecodeModel; verilated_model.cpp implements
// it over the Verilated RTL (one instance per thread). The mutation check
// compiles the same adapter against mutated RTL (tests/rtl/mutation.py).
#pragma once

#include <cstdint>
#include <memory>

namespace trimode::sweep {

// One decode request, in the RTL's pin encoding.
//   irq bit 0  irq_pending_i[0]  timer pending
//       bit 1  irq_pending_i[1]  virtual interrupt pending
//       bit 2  irq_enable_i[0]   v_ie (vstatus.ie)
//       bit 3  irq_enable_i[1]   g_ie (gstatus.ie)
struct Stimulus {
  uint32_t insn;
  uint8_t mode;  // 0 U, 1 G, 2 V
  uint8_t irq;
};

// The unit's answer, as on its output pins.
struct Outcome {
  uint8_t kind;
  uint8_t action;  // 0 exec, 1 trap, 2 illegal
  uint8_t target;  // mode
  uint32_t cause;
};

class DecodeModel {
 public:
  virtual ~DecodeModel() = default;
  // Decodes n stimuli. Clocks the model as many times as it needs; the result
  // for in[i] lands in out[i].
  virtual void decode(const Stimulus* in, Outcome* out, unsigned n) = 0;
  // Clock cycles (rising edges) run so far.
  virtual uint64_t cycles() const = 0;
};

// The Verilated trap-decode RTL; each call returns an independent instance
// (its own VerilatedContext), so one per thread is safe.
std::unique_ptr<DecodeModel> make_rtl_model();

}  // namespace trimode::sweep

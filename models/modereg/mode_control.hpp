// What the core needs from the mode register, in plain C++ (the hart is
// SystemC-free): the current mode, the interrupt lines, and the two
// operations that change the mode. The mode register is the only block that
// applies them to architectural state; the SystemC face of this interface is
// ModeIf (mode_if.hpp), which the core reaches through its mode port.
#pragma once

#include <cstdint>

#include "models/classifier/classifier.hpp"
#include "trimode/spec.hpp"

namespace trimode {

class ModeControl {
 public:
  virtual ~ModeControl() = default;
  virtual spec::Mode mode() const = 0;
  // The interrupt lines as the classifier sees them (timer gated by vtimectl.te).
  virtual IrqLines irq_lines() const = 0;
  // Where the implementation keeps irq_lines()' value current, updated on
  // every change (read in place of calling irq_lines(), as a signal's value
  // is read by reference); nullptr: ask irq_lines() every time.
  virtual const IrqLines* irq_lines_source() const { return nullptr; }
  // Likewise for mode(): where it is kept current (nullptr: ask mode()).
  virtual const spec::Mode* mode_source() const { return nullptr; }
  // Applies a trap decision: into `target` from the current mode, for the
  // instruction (or interrupt) at `pc`. Returns the new pc (target's trap vector).
  virtual uint32_t enter(spec::Mode target, spec::Kind kind, uint32_t cause, uint32_t tval, uint32_t pc) = 0;
  // Applies exit in the current mode (G or V) at `pc`. Returns the new pc.
  virtual uint32_t exit(uint32_t pc) = 0;
  // The trap vector of G or V.
  virtual uint32_t trap_vector(spec::Mode m) const = 0;
};

}  // namespace trimode

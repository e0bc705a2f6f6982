// What a debugger (tlm/debug/gdb_server.hpp) plugs into the core. The core
// calls it only when one is set, and only at slow points: between run slices,
// on TLM (non-DMI) data accesses and when granting DMI, so a run without a
// debugger pays nothing on the interpreter's hot path.
#pragma once

#include <cstdint>

#include "models/core/hart.hpp"

namespace trimode {

class CoreDebugHook {
 public:
  virtual ~CoreDebugHook() = default;
  // Before each slice of hart execution, with the cycles the core would run.
  // May block (the whole machine is halted while it does). Returns the
  // cycles to run (1: single instructions, so stops are exact), or 0 to end
  // the run (the debugger killed it).
  virtual uint64_t before_slice(uint64_t budget) = 0;
  // After each slice, with why it ended (kFatal: before the run stops).
  virtual void after_slice(StopReason reason) = 0;
  // Every TLM data access of the hart, before it is made (DMI accesses are
  // never seen: see allow_dmi; fetches are not asked). True: a watchpoint
  // hit: the access is not made, and the hart stops before the instruction
  // that makes it, with nothing of it done (StopReason::kWatch: after_slice
  // follows). Asked again for the same instruction when it runs again.
  virtual bool watch_hit(spec::Mode mode, bool write, uint32_t addr, unsigned size) = 0;
  // Whether the hart may use `window` (in `mode`'s space) for `addr`; it may
  // be narrowed. False: `addr` takes the TLM path.
  virtual bool allow_dmi(spec::Mode mode, uint32_t addr, DmiWindow* window) = 0;
};

}  // namespace trimode

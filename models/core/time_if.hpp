// Real time as the core reads it (the time/timeh CSRs): the CLINT offers this
// interface on its sc_export `time`; the core's sc_port `time` is bound to it.
#pragma once

#include <cstdint>

#include <systemc>

namespace trimode {

class TimeIf : public virtual sc_core::sc_interface {
 public:
  // The mtime counter's value at simulated time `t` (t may be ahead of
  // sc_time_stamp(): the core's local time). No transaction, no side effect.
  virtual uint64_t mtime_at(const sc_core::sc_time& t) const = 0;
};

}  // namespace trimode

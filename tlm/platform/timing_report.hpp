// trimode run --timing-report: per event class of spec/timing.txt, how often
// it happened, the cycles the TLM estimate gives for those events, the
// cycles the trap unit's RTL took (under --cosim) and the difference.
//
//   --- trimode timing report (cycles per event; spec/timing.txt) ---
//   event          count  TLM est   RTL min    mean  max   charged - TLM
//   trap_g            12        2         5    5.00    5             +36
//   ...
//   total difference: +52 cycles (charged by the RTL's timing - TLM estimate)
//
// "charged - TLM" is what the run's cycle count gained over the TLM-only
// estimate for the same events; events the RTL did not time count 0. The RTL
// columns read "-" when the run timed none of the class, "core" for a class
// the unit never sees (spec/timing.txt's rtl column: faults).
#pragma once

#include <cstdint>
#include <string>

#include "models/core/hart.hpp"

namespace trimode {

std::string timing_report(const EventTimings& t);
// Sum over the classes of (charged - TLM estimate): the cycles the RTL's timing added.
int64_t timing_difference(const EventTimings& t);

}  // namespace trimode

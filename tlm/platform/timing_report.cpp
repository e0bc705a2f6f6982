#include "tlm/platform/timing_report.hpp"

#include <cinttypes>
#include <cstdio>

namespace trimode {

int64_t timing_difference(const EventTimings& t) {
  int64_t d = 0;
  for (const EventTiming& e : t) d += static_cast<int64_t>(e.charged) - static_cast<int64_t>(e.tlm_cycles);
  return d;
}

std::string timing_report(const EventTimings& t) {
  std::string out = "--- trimode timing report (cycles per event; spec/timing.txt) ---\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-11s %10s %8s %8s %8s %5s %15s\n", "event", "count", "TLM est", "RTL min", "mean",
                "max", "charged - TLM");
  out += line;
  for (unsigned i = 0; i < spec::kNumEvents; ++i) {
    const EventTiming& e = t[i];
    const int64_t diff = static_cast<int64_t>(e.charged) - static_cast<int64_t>(e.tlm_cycles);
    if (e.rtl_count) {
      std::snprintf(line, sizeof line, "%-11s %10" PRIu64 " %8u %8u %8.2f %5u %+15" PRId64 "\n", spec::kEvents[i].name,
                    e.count, unsigned{spec::kEvents[i].tlm_cycles}, e.rtl_min,
                    static_cast<double>(e.rtl_cycles) / static_cast<double>(e.rtl_count), e.rtl_max, diff);
    } else {  // not timed in this run; "core": the unit never sees this event (spec/timing.txt)
      const char* none = spec::kEvents[i].rtl ? "-" : "core";
      std::snprintf(line, sizeof line, "%-11s %10" PRIu64 " %8u %8s %8s %5s %+15" PRId64 "\n", spec::kEvents[i].name,
                    e.count, unsigned{spec::kEvents[i].tlm_cycles}, none, none, none, diff);
    }
    out += line;
  }
  std::snprintf(line, sizeof line, "total difference: %+" PRId64 " cycles (charged by the RTL's timing - TLM estimate)\n",
                timing_difference(t));
  out += line;
  return out;
}

}  // namespace trimode

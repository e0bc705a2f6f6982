#include "models/core/flow_history.hpp"

#include <algorithm>

namespace trimode {

std::vector<FlowHistory::Line> FlowHistory::reconstruct(uint32_t pc, spec::Mode mode, unsigned count) const {
  std::vector<Line> lines;  // newest first while collecting
  uint32_t end = pc;        // the straight-line run being walked ends before `end`
  const uint64_t oldest = std::max(valid_from_, next_ > kSize ? next_ - kSize : 0);
  for (uint64_t i = next_; i-- > oldest && lines.size() < count;) {
    const uint64_t entry = flow_[i & (kSlots - 1)];
    const auto from = static_cast<uint32_t>(entry >> 32);
    const auto to = static_cast<uint32_t>(entry);
    if (end < to) break;  // the pc was not reached from this entry: the history ends here
    for (uint32_t a = end; a > to && lines.size() < count; a -= 4) lines.push_back({a - 4, mode, true, false, Event::kJump});
    if (lines.size() >= count || i == start_) break;  // (the start: nothing ran before it)
    const EventRecord& e = events_[i & (kSlots - 1)];
    Line at{from, mode, true, false, Event::kJump};
    if (e.index == i) {
      at = {from, e.before, e.event != Event::kTrap && e.event != Event::kInterrupt, true, e.event, e.cause, e.tval,
            e.times};
      mode = e.before;
    }
    lines.push_back(at);  // an interrupt's line marks the instruction it came before
    end = from;
  }
  std::reverse(lines.begin(), lines.end());
  return lines;
}

bool FlowHistory::repeats_newest(uint32_t from, uint32_t to, spec::Mode before, spec::Mode after, uint32_t cause,
                                 uint32_t tval) const {
  if (from != to || next_ <= valid_from_) return false;
  const uint64_t newest = next_ - 1;
  const EventRecord& e = events_[newest & (kSlots - 1)];
  return e.index == newest && e.event == Event::kTrap && flow_[newest & (kSlots - 1)] == entry(from, to) &&
         e.before == before && e.after == after && e.cause == cause && e.tval == tval;
}

}  // namespace trimode

// The hart's control-flow history: the last few non-sequential pc changes,
// from which the last retired instructions are reconstructed after a failure.
//
// Cost on the hot path: one 8-byte store and one increment per taken branch or
// jump; nothing per straight-line instruction. Trap entries, interrupts and
// exits (slow path) add an entry with the modes and the cause.
//
// Reconstruction (only when asked): between two entries the hart ran straight
// line, so the instructions retired after entry i are to_i, to_i + 4, ...,
// from_{i+1}; after the newest entry they run up to the current pc (not yet
// executed). Walking backwards from the current mode, a trap or exit entry
// gives the mode that ran before it.
//
// A trap storm (a vector whose first instruction traps into that same vector,
// again and again, retiring nothing) is one entry, not thousands: a trap that
// repeats the newest entry exactly is counted on it (Line::times), so the ring
// still reaches back to the instructions that led to the storm.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "trimode/spec.hpp"

namespace trimode {

class FlowHistory {
 public:
  static constexpr unsigned kSize = 32;  // entries kept (power of two)
  // Ring slots: twice kSize, so a writer may store one slot beyond its last
  // entry (the slot of an entry kSlots back, older than any kept) and fill
  // runs of entries two at a time (fill()).
  static constexpr unsigned kSlots = 2 * kSize;

  enum class Event : uint8_t {
    kJump,       // a taken branch or jump at `from` retired
    kTrap,       // the instruction at `from` trapped (it did not retire)
    kInterrupt,  // an interrupt was taken before the instruction at `from`
    kExit,       // the exit instruction at `from` retired
  };

  // Hot path: a taken branch or jump from `from` to `to`.
  void jump(uint32_t from, uint32_t to) { flow_[next_++ & (kSlots - 1)] = entry(from, to); }
  // For a loop that keeps the write position in a register (the block
  // engine): the ring (kSlots), its position, and the entry jump() would store.
  uint64_t* ring() { return flow_.data(); }
  // `n` (1..kSize) entries `e` from position `at` into `ring`, as n jump()s
  // would store them; returns the position after them. Two slots per store:
  // may also write the slot of position at + n (an entry kSlots back: not kept).
  static uint64_t fill(uint64_t* ring, uint64_t at, uint64_t n, uint64_t e) {
    const uint64_t end = at + n;
    if (at & 1) ring[at++ & (kSlots - 1)] = e;
    const uint64_t pair[2] = {e, e};
    for (; at < end; at += 2) std::memcpy(&ring[at & (kSlots - 1)], pair, sizeof pair);  // at even: slots adjacent
    return end;
  }
  uint64_t position() const { return next_; }
  void set_position(uint64_t next) { next_ = next; }
  static uint64_t entry(uint32_t from, uint32_t to) { return uint64_t{from} << 32 | to; }
  // Slow path: a trap, interrupt or exit, with the modes before and after. A
  // trap the newest entry already records, taken again at once (repeats_newest()),
  // only counts one more time on that entry.
  void event(Event e, uint32_t from, uint32_t to, spec::Mode before, spec::Mode after, uint32_t cause,
             uint32_t tval) {
    if (e == Event::kTrap && repeats_newest(from, to, before, after, cause, tval)) {
      ++events_[(next_ - 1) & (kSlots - 1)].times;
      return;
    }
    events_[next_ & (kSlots - 1)] = {next_, e, before, after, cause, tval, 1};
    if (e == Event::kTrap || e == Event::kInterrupt) last_trap_ = {true, e == Event::kInterrupt, before, after, from, to, cause, tval};
    jump(from, to);
  }
  // The last trap or interrupt taken (kept when the history has moved on).
  struct LastTrap {
    bool valid = false;
    bool interrupt = false;
    spec::Mode from = spec::Mode::V;
    spec::Mode to = spec::Mode::V;
    uint32_t pc = 0;      // the trapping instruction (an interrupt: the instruction it came before)
    uint32_t vector = 0;
    uint32_t cause = 0;
    uint32_t tval = 0;
  };
  const LastTrap& last_trap() const { return last_trap_; }
  // A checkpoint's (Hart::restore): the last trap before it, the history's
  // instructions starting again at the restored pc.
  void set_last_trap(const LastTrap& t) { last_trap_ = t; }
  // Forgets everything and starts again at pc (the pc was set from outside: a
  // load, a debugger): the history then reaches back to pc, not before.
  void start_at(uint32_t pc) {
    valid_from_ = start_ = next_;
    jump(pc, pc);
  }

  // One reconstructed instruction, oldest first.
  struct Line {
    uint32_t pc;
    spec::Mode mode;
    bool retired;       // false: it trapped (the trap follows in `event`)
    bool has_event;     // a trap, interrupt or exit happened at this point
    Event event;
    uint32_t cause = 0;
    uint32_t tval = 0;
    uint64_t times = 1;  // a trap: how many times in a row it trapped (more than 1: a trap storm)
  };
  // The last `count` instructions before `pc` (in `mode`), oldest first; fewer
  // when the history does not reach that far.
  std::vector<Line> reconstruct(uint32_t pc, spec::Mode mode, unsigned count) const;

 private:
  struct EventRecord {
    uint64_t index = ~uint64_t{0};  // the flow_ entry it belongs to
    Event event = Event::kJump;
    spec::Mode before = spec::Mode::V;
    spec::Mode after = spec::Mode::V;
    uint32_t cause = 0;
    uint32_t tval = 0;
    uint64_t times = 1;  // a trap: taken this many times in a row (see repeats_newest())
  };
  // True when the newest entry is a trap at `from` into `to` == `from` with the same
  // modes, cause and tval: taking it again means the trapping instruction was the
  // first at its own vector, so nothing ran in between and the entry says it all.
  bool repeats_newest(uint32_t from, uint32_t to, spec::Mode before, spec::Mode after, uint32_t cause,
                      uint32_t tval) const;

  std::array<uint64_t, kSlots> flow_{};
  std::array<EventRecord, kSlots> events_{};
  LastTrap last_trap_;
  uint64_t next_ = 0;        // index of the next entry (entries below next_ - kSize are overwritten)
  uint64_t valid_from_ = 0;  // entries below this index are stale (see start_at())
  uint64_t start_ = ~uint64_t{0};  // the entry start_at() wrote: no instruction of its own
};

}  // namespace trimode

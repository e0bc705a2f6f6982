// What the core tells a waveform writer (tlm/platform/waves.hpp): the
// classifier's decision for each instruction and each retired instruction or
// trap (models/core/hart.hpp's Retired, with its cycle), in cycle order, and
// only inside the window. Outside it the core runs its untraced fast path.
// Inside it, instructions a block ran in place (block records,
// Hart::set_block_records) come as kRun records, one per chain of block
// runs, whose runs, blocks' code (words, memo rows: once per translation) and
// loads' and stores' addresses and values are in the slice's RunRecords
// (Hart::set_run_records): no register values; an instruction's decision is
// classify_row(row, mode), at its cycle, and is not among the decisions.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "models/classifier/decode_if.hpp"
#include "models/core/hart.hpp"

namespace trimode {

// Traced: instructions with from_insn <= instret < to_insn (instret counted
// before the instruction retires) at cycles from_cycle <= cycle < to_cycle.
// Both bounds hold at once (a count window and a time window may be combined).
struct WaveWindow {
  static constexpr uint64_t kEnd = std::numeric_limits<uint64_t>::max();
  uint64_t from_insn = 0, to_insn = kEnd;
  uint64_t from_cycle = 0, to_cycle = kEnd;
};

// The classifier's decision for the instruction at `cycle`.
struct DecisionAt {
  uint64_t cycle;
  Decision decision;
};

class WaveSink {
 public:
  virtual ~WaveSink() = default;
  // A slice inside the window: its records (retired instructions, traps and
  // interrupts, r.cycle) and the decisions of its instructions (but those a
  // block ran: Retired::row), each in cycle order; a decision comes before the
  // record of its cycle. One call per
  // slice, so the per-record work stays in the sink (which may do it on a
  // thread of its own): the sink may take the vectors' contents, and leaves
  // them empty (their capacity kept or swapped for another's). `runs`: the
  // kRun records' words, rows and accesses (taken the same way).
  virtual void slice(std::vector<Retired>& records, std::vector<DecisionAt>& decisions, RunRecords& runs) = 0;
  // The end of every slice, inside the window or not (after slice()).
  virtual void slice_done() {}
  // After slice(): the slice's traced cycles end before `cycle` (the hart's
  // cycle at its end), where the trace ends unless a later slice goes on.
  virtual void traced_until(uint64_t /*cycle*/) {}
};

}  // namespace trimode

// The instruction-space sweep: the trap-decode RTL against trimode::classify.
//
// Each source below is a sequence of stimuli (word, mode, irq state) with a
// fixed order, so a run is reproducible and can be split: --shard i/n takes the
// i-th of n contiguous slices of every selected source, whatever the thread
// count. Threads take chunks of their shard dynamically, each with its own
// model instance.
//
// Example: with opt.all = true, run_sweep(opt, progress) checks 2^32 words x 4
// mode values with no interrupt pending against the Verilated RTL; each mismatch
// is counted, the first opt.max_mismatches come back in SweepResult::first.
//
// Mode values: 0 U, 1 G, 2 V and the unused encoding 3, which the RTL decides
// like V (reference() says what that means).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "testbench/sweep/decode_model.hpp"

namespace trimode::sweep {

struct SweepOptions {
  bool all = false;            // every 32-bit word x 4 mode values, irq lines idle
  bool directed = false;       // table rows at their boundaries x 3 modes x 16 irq states
  bool system = false;         // every SYSTEM-opcode word x 4 mode values x (idle, pending)
  bool pairs = false;          // pairs of fields varied together, x 4 mode values
  bool range = false;          // words [range_lo, range_hi) x 4 mode values, irq lines idle
  uint64_t range_lo = 0;
  uint64_t range_hi = 0;       // exclusive, up to 2^32
  uint64_t random = 0;         // this many random (word, mode, irq) triples
  uint64_t seed = 1;
  unsigned shard_index = 0;    // this machine's slice ...
  unsigned shard_count = 1;    // ... of this many
  unsigned threads = 0;        // 0: hardware threads
  unsigned max_mismatches = 20;  // mismatches kept in the result (all are counted)
};

// Makes one model instance; called once per worker thread.
using ModelFactory = std::function<std::unique_ptr<DecodeModel>()>;

struct Mismatch {
  Stimulus stim;
  Outcome rtl;
  Outcome ref;
};

struct SweepResult {
  uint64_t checked = 0;
  uint64_t mismatches = 0;
  uint64_t cycles = 0;      // RTL clock cycles run, all threads
  double seconds = 0;
  std::vector<Mismatch> first;  // up to max_mismatches, in no particular order
  double rate() const { return seconds > 0 ? checked / seconds : 0; }
};

struct Progress {
  uint64_t done = 0;
  uint64_t total = 0;
  uint64_t mismatches = 0;
  double seconds = 0;
};
// Called from the calling thread about five times a second, and once at the end.
using ProgressFn = std::function<void(const Progress&)>;

class Source;

// The stimuli the options select, before sharding, in sweep order: directed,
// system, pairs, range, all, random. Other drivers (the pin-level testbench) reuse them.
class Stimuli {
 public:
  explicit Stimuli(const SweepOptions& opt);
  ~Stimuli();
  uint64_t count() const;
  // Stimuli [first, first + n) of the sequence; first + n <= count().
  void fill(uint64_t first, unsigned n, Stimulus* out) const;

 private:
  std::vector<std::unique_ptr<Source>> sources_;
};

// The sweep over the Verilated RTL (make_rtl_model). Defined next to the
// Verilated adapter, in trimode_sweep_lib.
SweepResult run_sweep(const SweepOptions& opt, const ProgressFn& progress = {});

// The sweep over any model (trimode_sweep_core).
SweepResult run_sweep_on(const ModelFactory& make_model, const SweepOptions& opt, const ProgressFn& progress = {});

// The reference answer for one stimulus (trimode::classify in pin encoding).
// Mode value 3 is not a mode: the unit decides it with V's rules, and an
// instruction executing in place reports target 3 (its mode, unchanged).
Outcome reference(const Stimulus& s);

// The directed set (rows' match and match|~mask words, fields at their
// boundaries, every fixed bit flipped; deduplicated) before modes and irq states.
std::vector<uint32_t> directed_words();

// The field-pair set: for every table row, every value of each pair of
// (rd, rs1, rs2, funct3, fence fm, pred, succ) with the rest of the row as
// matched, every 12-bit immediate (bits 31:20), and for the U/J-type rows every
// 20-bit immediate (bits 31:12). Sorted, no duplicates.
std::vector<uint32_t> pair_words();

// "FAILURE: insn=0x00000073 mode=G irq=t.:V.  rtl={...} ref={...}"
std::string format_mismatch(const Mismatch& m);
std::string format_outcome(const Outcome& o);
// irq state as four flags: timer pending, virtual pending ':' v_ie, g_ie;
// a '.' for each clear one ("t.:V." = timer pending, v_ie set).
std::string format_irq(uint8_t irq);

}  // namespace trimode::sweep

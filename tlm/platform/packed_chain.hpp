// One signal's change chain for an FST value-change block, written straight
// into its LZ4-compressed form (lz4_stream.hpp) from the signal's value at
// each of the block's time steps: a change that repeats, with the changes
// after it, what the signal did some steps before (a loop's pc and word,
// round after round) goes in as an LZ4 match found from the values, never
// searched for in bytes; the rest as literal changes. No uncompressed chain
// is built and no LZ4 pass runs over one: the platform trace's core.pc and
// core.insn (FstEncoder::pack), encoded on the encoder's compression thread.
//
// The chain's bytes are those FstEncoder writes for a 32-bit signal (per
// change: varint (time-index delta << 1), then the value's four bytes, most
// significant first). A repeat starts at a change whose value and delta equal
// those of an earlier literal change (the last one of that value: a table by
// value) and goes on while the value at each step equals the value k steps
// before: the bytes from there on are the same, d bytes back. Four steps are
// compared at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tlm/platform/lz4_stream.hpp"

namespace trimode {

class PackedChain {
 public:
  // Blocks of at most block_steps time steps.
  explicit PackedChain(uint32_t block_steps);

  // The block whose value at time index t is v[t] (t < n; the signal has no
  // value before first_known, kNone when it has none in the block; the value
  // before step 0: `before`, if known) appended to out as an LZ4-compressed
  // chain; returns the chain's uncompressed size (0: no change, nothing appended).
  uint32_t encode(const uint32_t* v, uint32_t n, uint32_t first_known, bool known, uint32_t before, ByteBuf& out);

  static constexpr uint32_t kNone = ~uint32_t{0};

 private:
  bool is_change(uint32_t t) const {
    return t < known_after_ ? t == first_known_ : v_[t] != (t ? v_[t - 1] : before_);
  }
  void step(uint32_t t);
  void end_repeat(uint32_t e);
  void emit_repeat(uint32_t e);
  bool starts_repeat(uint32_t t, uint32_t x, uint32_t delta);
  static uint32_t slot(uint32_t x) { return (x * 0x9E3779B1u) >> (32 - kTableBits); }

  static constexpr unsigned kTableBits = 12;
  static constexpr size_t kRing = 64;
  std::array<uint32_t, kRing + 3> ring_{};  // a repeat's positions a round before (encode)
  Lz4Stream lz_;
  std::vector<uint32_t> pos_;  // by time index: the chain's size before its change
  struct Seen {
    uint32_t t;      // the last step that wrote the value as a literal change (kNone: none)
    uint32_t delta;  // that change's time-index delta
  };
  std::vector<Seen> table_;  // by slot of a value
  // This block's: the values, the first one known, the steps t >= known_after_
  // whose value before is known, the value before step 0.
  const uint32_t* v_ = nullptr;
  uint32_t first_known_ = 0, known_after_ = 0, before_ = 0;
  uint32_t vpos_ = 0;         // the chain's size (outside a repeat)
  uint32_t last_change_ = 0;  // the time index of the last change (outside a repeat)
  // The repeat: from its start, each step is the step k_ before, d_ bytes
  // back (k_ 0: none); emitted_ is the chain's size up to which it went to lz_.
  uint32_t k_ = 0, d_ = 0, emitted_ = 0;
};

}  // namespace trimode

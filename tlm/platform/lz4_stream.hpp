// An LZ4 block (the format LZ4_decompress_safe and GTKWave's FST reader read)
// written as its bytes come, from what the caller knows: literal bytes, and
// matches it has found itself (the next `length` bytes repeat those `offset`
// back, as a loop's trace repeats its last round). Nothing is searched and no
// uncompressed copy is kept: the platform trace's pc and word chains
// (packed_chain.hpp) go straight into their compressed form.
//
// Contract: match() with 1 <= offset <= 65535 and offset <= size(), length
// >= 4 (fewer repeated bytes go as literals); finish() ends the block and
// starts the next, empty one.
#pragma once

#include <cstdint>
#include <vector>

#include "tlm/platform/fst_encoder.hpp"

namespace trimode {

class Lz4Stream {
 public:
  void literals(const uint8_t* p, size_t n) {
    (m_len_ ? after_ : before_).bytes(p, n);
    pos_ += static_cast<uint32_t>(n);
  }
  void match(uint32_t offset, uint32_t length) {
    pos_ += length;
    if (m_len_ && after_.empty() && offset == m_off_) {  // it goes on from the pending one
      m_len_ += length;
      return;
    }
    new_match(offset, length);
  }
  // Uncompressed bytes so far in this block.
  uint32_t size() const { return pos_; }
  // Appends the block (the format's end rules kept: the last 5 bytes are
  // literals, the last match starts 12 or more before the end) to out;
  // returns its uncompressed size. The stream starts again empty.
  uint32_t finish(ByteBuf& out);

  static constexpr uint32_t kMaxOffset = 65535, kMinMatch = 4;
  // The format's end rule, kept by ending with this many literal bytes at least.
  static constexpr uint32_t kLastLiterals = 12;

 private:
  // Pending: literals `before_`, the match (m_len_ > 0), literals `after_`;
  // everything earlier is sequences in out_.
  void new_match(uint32_t offset, uint32_t length);
  void flush();
  void unflush();  // the last sequence in out_ pending again
  void put_sequence(const ByteBuf& lits, uint32_t offset, uint32_t length);
  static uint8_t* put_length(uint8_t* p, uint32_t n);
  uint8_t byte_at(uint32_t q) const;  // the uncompressed byte at q (< pos_)
  struct Parsed {  // a sequence in out_
    const uint8_t* lits;
    uint32_t n_lits, offset, length;
  };
  static Parsed parse(const uint8_t* p);
  // Turns the pending match's last n bytes into literals at the front of
  // after_ (all of it when fewer than kMinMatch would be left).
  void unmatch_tail(uint32_t n);
  uint32_t m_start() const { return b_upos_ + static_cast<uint32_t>(before_.size()); }

  ByteBuf out_;
  struct Seq {
    uint32_t upos;  // its literals' first uncompressed position
    uint32_t at;    // its token's offset in out_
  };
  std::vector<Seq> seqs_;
  ByteBuf before_, after_;
  uint32_t m_off_ = 0, m_len_ = 0;
  uint32_t b_upos_ = 0;  // before_'s first uncompressed position
  uint32_t pos_ = 0;
};

}  // namespace trimode

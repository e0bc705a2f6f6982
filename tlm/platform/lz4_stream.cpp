#include "tlm/platform/lz4_stream.hpp"

#include <algorithm>
#include <cstring>

// LZ4's block format (lz4_Block_format.md of the LZ4 sources): sequences of
// a token (literal count << 4 | match length - 4, each 15 = "more follows"),
// the literal count's further bytes (255 each, then the rest), the literals,
// the match's offset (2 bytes, little endian) and the match length's further
// bytes; the last sequence is literals only.

namespace trimode {

void Lz4Stream::new_match(uint32_t offset, uint32_t length) {
  if (m_len_) flush();
  m_off_ = offset, m_len_ = length;
}

// The pending literals and match as a sequence; the literals after it pending.
void Lz4Stream::flush() {
  seqs_.push_back({b_upos_, static_cast<uint32_t>(out_.size())});
  put_sequence(before_, m_off_, m_len_);
  b_upos_ = m_start() + m_len_;
  std::swap(before_, after_);
  after_.clear();
  m_len_ = 0;
}

// The sequence whose token is at p.
Lz4Stream::Parsed Lz4Stream::parse(const uint8_t* p) {
  const uint8_t token = *p++;
  Parsed q{nullptr, uint32_t{token} >> 4, 0, (uint32_t{token} & 15) + kMinMatch};
  if (q.n_lits == 15)
    for (uint8_t b = 255; b == 255; q.n_lits += b) b = *p++;
  q.lits = p;
  p += q.n_lits;
  q.offset = p[0] | p[1] << 8;
  p += 2;
  if ((token & 15) == 15)
    for (uint8_t b = 255; b == 255; q.length += b) b = *p++;
  return q;
}

void Lz4Stream::unflush() {
  const Seq s = seqs_.back();
  seqs_.pop_back();
  const Parsed q = parse(out_.data() + s.at);
  std::swap(before_, after_);  // (m_len_ is 0: the pending literals come after that match)
  before_.clear();
  before_.bytes(q.lits, q.n_lits);
  m_off_ = q.offset, m_len_ = q.length;
  b_upos_ = s.upos;
  out_.truncate(s.at);
}

uint8_t* Lz4Stream::put_length(uint8_t* p, uint32_t n) {
  for (; n >= 255; n -= 255) *p++ = 255;
  *p++ = static_cast<uint8_t>(n);
  return p;
}

// A sequence of lits and a match (length 0: none, the block's last).
void Lz4Stream::put_sequence(const ByteBuf& lits, uint32_t offset, uint32_t length) {
  const auto n = static_cast<uint32_t>(lits.size());
  uint8_t* p = out_.reserve(1 + n / 255 + 1 + n + 2 + length / 255 + 1);
  const uint32_t ml = length ? length - kMinMatch : 0;
  *p++ = static_cast<uint8_t>(std::min(n, 15u) << 4 | std::min(ml, 15u));
  if (n >= 15) p = put_length(p, n - 15);
  if (n) std::memcpy(p, lits.data(), n);
  p += n;
  if (length) {
    *p++ = static_cast<uint8_t>(offset);
    *p++ = static_cast<uint8_t>(offset >> 8);
    if (ml >= 15) p = put_length(p, ml - 15);
  }
  out_.commit(p);
}

// Through the matches back to the literal that holds it (a match of offset
// d repeats its d bytes before it: one step back per match).
uint8_t Lz4Stream::byte_at(uint32_t q) const {
  for (;;) {
    if (q >= b_upos_) {
      const uint32_t m = m_start();
      if (q < m) return before_.data()[q - b_upos_];
      if (q < m + m_len_) {
        q = m - m_off_ + (q - m) % m_off_;
        continue;
      }
      return after_.data()[q - m - m_len_];
    }
    const auto it = std::upper_bound(seqs_.begin(), seqs_.end(), q, [](uint32_t v, const Seq& s) { return v < s.upos; }) - 1;
    const Parsed seq = parse(out_.data() + it->at);
    if (q < it->upos + seq.n_lits) return seq.lits[q - it->upos];
    const uint32_t m = it->upos + seq.n_lits;
    q = m - seq.offset + (q - m) % seq.offset;
  }
}

void Lz4Stream::unmatch_tail(uint32_t n) {
  if (m_len_ - n < kMinMatch) n = m_len_;
  const uint32_t end = m_start() + m_len_;
  ByteBuf lits;
  uint8_t* p = lits.reserve(n + after_.size());
  for (uint32_t q = end - n; q != end; ++q) *p++ = byte_at(q);
  if (!after_.empty()) std::memcpy(p, after_.data(), after_.size());
  lits.commit(p + after_.size());
  m_len_ -= n;
  if (m_len_) {
    after_ = std::move(lits);
  } else {  // no match pending: every literal in before_
    before_.bytes(lits.data(), lits.size());
    after_.clear();
  }
}

uint32_t Lz4Stream::finish(ByteBuf& out) {
  for (;;) {  // the last kLastLiterals bytes (or all) made literals
    if (m_len_) {
      if (after_.size() >= kLastLiterals) {
        flush();
        break;
      }
      unmatch_tail(std::min<uint32_t>(m_len_, kLastLiterals - static_cast<uint32_t>(after_.size())));
    } else if (before_.size() >= kLastLiterals || seqs_.empty()) {
      break;
    } else {
      unflush();
    }
  }
  put_sequence(before_, 0, 0);
  out.bytes(out_.data(), out_.size());
  const uint32_t size = pos_;
  out_.clear(), seqs_.clear(), before_.clear(), after_.clear();
  m_len_ = b_upos_ = pos_ = 0;
  return size;
}

}  // namespace trimode

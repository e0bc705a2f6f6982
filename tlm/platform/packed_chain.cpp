#include "tlm/platform/packed_chain.hpp"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace trimode {

namespace {

// v[0..4) == w[0..4).
bool same4(const uint32_t* v, const uint32_t* w) {
#if defined(__SSE2__)
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w));
  return _mm_movemask_epi8(_mm_cmpeq_epi32(a, b)) == 0xFFFF;
#else
  using Four = uint32_t __attribute__((vector_size(16)));
  Four a, b;
  std::memcpy(&a, v, 16);
  std::memcpy(&b, w, 16);
  const Four ne = a != b;
  uint64_t half[2];
  std::memcpy(half, &ne, 16);
  return (half[0] | half[1]) == 0;
#endif
}

// to[0..4) = from[0..4) + d.
void add4(uint32_t* to, const uint32_t* from, uint32_t d) {
  using Four = uint32_t __attribute__((vector_size(16)));
  Four a;
  std::memcpy(&a, from, 16);
  a += d;
  std::memcpy(to, &a, 16);
}

}  // namespace

PackedChain::PackedChain(uint32_t block_steps) : pos_(block_steps + 4), table_(uint32_t{1} << kTableBits) {}

uint32_t PackedChain::encode(const uint32_t* v, uint32_t n, uint32_t first_known, bool known, uint32_t before,
                             ByteBuf& out) {
  std::fill(table_.begin(), table_.end(), Seen{kNone, 0});
  v_ = v, first_known_ = known ? 0 : first_known, before_ = before;
  known_after_ = known ? 0 : first_known == kNone ? kNone : first_known + 1;
  vpos_ = last_change_ = 0;
  k_ = d_ = emitted_ = 0;
  if (first_known_ >= n) return 0;
  std::fill(pos_.begin(), pos_.begin() + first_known_, 0);
  uint32_t* const pos = pos_.data();
  for (uint32_t t = first_known_; t < n;) {
    // Four steps at a time while they repeat the steps k_ before (k_ < 4:
    // their positions one by one, each from one just set), or, outside a
    // repeat, while the value stays (no change: the chain's size stays).
    const uint32_t* x = v + t;
    uint32_t* p = pos + t;
    const uint32_t* const end = x + (n - t) / 4 * 4;
    if (k_ >= 4 && k_ <= kRing) {
      // (from the positions a round before, copied: a position just stored
      // is never read back, which stalls when k_ is not a multiple of 4)
      const size_t k = k_;
      const uint32_t d = d_;
      if (x != end && same4(x, x - k)) {
        uint32_t* const ring = ring_.data();
        std::memcpy(ring, p - k, k * sizeof *ring);
        for (size_t i = 0; i < 3; ++i) ring[k + i] = ring[i] + d;
        size_t j = 0;
        uint32_t rounds = d;
        do {
          add4(p, ring + j, rounds);
          x += 4, p += 4, j += 4;
          if (j >= k) j -= k, rounds += d;
        } while (x != end && same4(x, x - k));
      }
    } else if (k_ >= 4) {
      const uint32_t d = d_;  // (locals: the stores below may alias the members)
      const size_t k = k_;
      for (; x != end && same4(x, x - k); x += 4, p += 4) add4(p, p - k, d);
    } else if (k_) {
      const uint32_t d = d_;
      const size_t k = k_;
      for (; x != end && same4(x, x - k); x += 4, p += 4) {
        for (unsigned i = 0; i < 4; ++i) p[i] = p[i - k] + d;
      }
    } else if (t > known_after_) {  // (t - 1 known: a step equal to it is no change)
      const uint32_t size = vpos_;
      for (; x != end && same4(x, x - 1); x += 4, p += 4) {
        for (unsigned i = 0; i < 4; ++i) p[i] = size;
      }
    }
    t = static_cast<uint32_t>(x - v);
    if (t == n) break;
    step(t++);
  }
  if (k_) emit_repeat(n);
  return vpos_ ? lz_.finish(out) : 0;
}

void PackedChain::step(uint32_t t) {
  const uint32_t x = v_[t];
  if (k_) {
    if (v_[t - k_] == x) {  // the repeat goes on
      pos_[t] = pos_[t - k_] + d_;
      return;
    }
    end_repeat(t);
  }
  pos_[t] = vpos_;
  if (!is_change(t)) return;
  const uint32_t delta = t - last_change_;
  if (starts_repeat(t, x, delta)) return;
  uint8_t bytes[5 + 4];
  uint8_t* p = ByteBuf::put_varint(bytes, uint64_t{delta} << 1);
  const uint32_t be = __builtin_bswap32(x);
  std::memcpy(p, &be, 4);
  p += 4;
  lz_.literals(bytes, static_cast<size_t>(p - bytes));
  vpos_ += static_cast<uint32_t>(p - bytes);
  last_change_ = t;
  table_[slot(x)] = {t, delta};
}

// The change x at t (pos_ set, `delta` after the last change) starts a
// repeat of the steps from c, the last step that wrote x as a literal change
// with the same delta: its bytes are those at c, and every step after t that
// equals the one k before it keeps them the same.
bool PackedChain::starts_repeat(uint32_t t, uint32_t x, uint32_t delta) {
  const Seen seen = table_[slot(x)];
  const uint32_t c = seen.t;
  if (c >= t || seen.delta != delta || v_[c] != x) return false;  // (kNone >= t)
  const uint32_t d = vpos_ - pos_[c];
  if (d > Lz4Stream::kMaxOffset) return false;
  k_ = t - c, d_ = d, emitted_ = vpos_;
  return true;
}

// The repeat ends before step e: its bytes to lz_, the last change found.
void PackedChain::end_repeat(uint32_t e) {
  emit_repeat(e);
  uint32_t j = e - 1;  // (a repeat starts at a change: one is found at its start at the latest)
  while (!is_change(j)) --j;
  last_change_ = j;
  k_ = 0;
}

// The repeat's bytes up to step e (the steps before it) to lz_.
void PackedChain::emit_repeat(uint32_t e) {
  const uint32_t end = pos_[e - k_] + d_;
  if (end > emitted_) lz_.match(d_, end - emitted_);
  emitted_ = vpos_ = end;
}

}  // namespace trimode

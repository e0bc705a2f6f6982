#include "tlm/platform/zlib_repeats.hpp"

#include <cstring>

namespace trimode {

namespace {

// A deflate symbol's code as written to the stream: the Huffman code's bits
// reversed (deflate packs codes most significant bit first into a stream
// filled from the least significant bit), and how many.
struct Code {
  uint16_t bits;
  uint8_t count;
};

constexpr uint16_t reversed(uint16_t code, unsigned count) {
  uint16_t r = 0;
  for (unsigned i = 0; i < count; ++i) r = static_cast<uint16_t>(r << 1 | (code >> i & 1));
  return r;
}

// Deflate's fixed codes (RFC 1951 3.2.6): literals and lengths (0..287),
// distances (5 bits, 0..29); and each match length's symbol with its extra
// bits (3.2.5).
struct FixedCodes {
  Code lit[288];
  Code dist[30];
  uint16_t len_symbol[259];  // length 3..258 -> 257..285
  uint8_t len_extra[259];    // its extra bits' count
  uint16_t len_base[259];    // the symbol's first length
  constexpr FixedCodes() : lit(), dist(), len_symbol(), len_extra(), len_base() {
    for (unsigned s = 0; s < 288; ++s) {
      if (s < 144) lit[s] = {reversed(static_cast<uint16_t>(0x30 + s), 8), 8};
      else if (s < 256) lit[s] = {reversed(static_cast<uint16_t>(0x190 + s - 144), 9), 9};
      else if (s < 280) lit[s] = {reversed(static_cast<uint16_t>(s - 256), 7), 7};
      else lit[s] = {reversed(static_cast<uint16_t>(0xC0 + s - 280), 8), 8};
    }
    for (unsigned d = 0; d < 30; ++d) dist[d] = {reversed(static_cast<uint16_t>(d), 5), 5};
    // Symbols 257..284: four lengths per extra-bit count from 265 on.
    unsigned base = 3;
    for (unsigned sym = 257; sym < 285; ++sym) {
      const unsigned extra = sym < 265 ? 0 : (sym - 261) / 4;
      for (unsigned l = base; l < base + (1u << extra) && l < 258; ++l) {
        len_symbol[l] = static_cast<uint16_t>(sym);
        len_extra[l] = static_cast<uint8_t>(extra);
        len_base[l] = static_cast<uint16_t>(base);
      }
      base += 1u << extra;
    }
    len_symbol[258] = 285, len_extra[258] = 0, len_base[258] = 258;
  }
};
constexpr FixedCodes kFixed;

// Distances 1..8 (the only ones tried): symbol, extra bits, base.
constexpr unsigned kMaxDistance = 8;
constexpr uint8_t kDistSymbol[kMaxDistance + 1] = {0, 0, 1, 2, 3, 4, 4, 5, 5};
constexpr uint8_t kDistExtra[kMaxDistance + 1] = {0, 0, 0, 0, 0, 1, 1, 1, 1};
constexpr uint8_t kDistBase[kMaxDistance + 1] = {0, 1, 2, 3, 4, 5, 5, 7, 7};

// Bits into bytes, least significant first.
class BitOut {
 public:
  explicit BitOut(uint8_t* p) : p_(p) {}
  void put(uint32_t bits, unsigned count) {
    acc_ |= uint64_t{bits} << used_;
    used_ += count;
    if (used_ >= 32) {
      const uint32_t low = static_cast<uint32_t>(acc_);
      std::memcpy(p_, &low, 4);  // (little-endian hosts only: static_assert below)
      p_ += 4;
      acc_ >>= 32;
      used_ -= 32;
    }
  }
  void put(const Code& c) { put(c.bits, c.count); }
  uint8_t* finish() {  // the last partial byte, zero-padded
    for (; used_ > 0; used_ = used_ > 8 ? used_ - 8 : 0, acc_ >>= 8) *p_++ = static_cast<uint8_t>(acc_);
    return p_;
  }

 private:
  uint8_t* p_;
  uint64_t acc_ = 0;
  unsigned used_ = 0;
};
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "BitOut stores 32 bits at a time, little endian");

// How many bytes from in[i] (at most max) equal those d bytes before them.
size_t match_length(const uint8_t* in, size_t i, size_t d, size_t max) {
  size_t k = 0;
  for (; k + 8 <= max; k += 8) {
    uint64_t a, b;
    std::memcpy(&a, in + i + k, 8);
    std::memcpy(&b, in + i + k - d, 8);
    if (a != b) return k + static_cast<size_t>(__builtin_ctzll(a ^ b) / 8);
  }
  while (k < max && in[i + k] == in[i + k - d]) ++k;
  return k;
}

// Adler-32 (RFC 1950) of the bytes as the stream takes them: a literal
// at a time, a match at once from its pattern (its distance's bytes before
// it, repeated): the sums of c copies in closed form.
class Adler32 {
 public:
  // (64 bits, reduced at matches and the end: exact for inputs under 2^28 bytes)
  void literal(uint8_t x) { a_ += x, b_ += a_; }
  // The `len` bytes at p, which repeat the d bytes before them.
  void match(const uint8_t* p, size_t d, size_t len) {
    const uint8_t* const copy = p - d;
    uint64_t sum = 0, weighted = 0;  // one copy: its bytes' sum, and sum of (d - j) * byte j
    for (size_t j = 0; j < d; ++j) sum += copy[j], weighted += (d - j) * copy[j];
    const uint64_t c = len / d;
    a_ %= kMod, b_ %= kMod;
    b_ += c * d * a_ + d * sum * (c * (c - 1) / 2) + c * weighted;
    a_ += c * sum;
    for (size_t j = c * d; j < len; ++j) literal(p[j]);
  }
  uint32_t value() const { return static_cast<uint32_t>(b_ % kMod << 16 | a_ % kMod); }

 private:
  static constexpr uint64_t kMod = 65521;
  uint64_t a_ = 1, b_ = 0;
};

}  // namespace

size_t zlib_repeats(const uint8_t* in, size_t n, uint8_t* out) {
  out[0] = 0x78, out[1] = 0x01;  // deflate, 32 KiB window; (0x7801 % 31 == 0)
  BitOut bits(out + 2);
  bits.put(1, 1);  // the final block,
  bits.put(1, 2);  // fixed codes
  size_t last = 1;  // the last match's distance: tried first
  Adler32 adler;
  for (size_t i = 0; i < n;) {
    const size_t max = n - i < 258 ? n - i : 258;
    size_t best = 0, best_d = 0;
    for (size_t k = 0; k <= kMaxDistance && best < max; ++k) {
      const size_t d = k == 0 ? last : k;  // (k == last again: a quick second miss)
      if (d > i) continue;
      const size_t len = match_length(in, i, d, max);
      if (len > best) best = len, best_d = d;
    }
    if (best < 3) {
      adler.literal(in[i]);
      bits.put(kFixed.lit[in[i++]]);
      continue;
    }
    adler.match(in + i, best_d, best);
    bits.put(kFixed.lit[kFixed.len_symbol[best]]);
    if (kFixed.len_extra[best]) bits.put(static_cast<uint32_t>(best - kFixed.len_base[best]), kFixed.len_extra[best]);
    bits.put(kFixed.dist[kDistSymbol[best_d]]);
    if (kDistExtra[best_d]) bits.put(static_cast<uint32_t>(best_d - kDistBase[best_d]), kDistExtra[best_d]);
    last = best_d;
    i += best;
  }
  bits.put(kFixed.lit[256]);  // the block's end
  uint8_t* p = bits.finish();
  for (int s = 24; s >= 0; s -= 8) *p++ = static_cast<uint8_t>(adler.value() >> s);
  return static_cast<size_t>(p - out);
}

}  // namespace trimode

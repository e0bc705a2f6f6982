// Bit-slicing of the decision lanes (models/classifier/bit_slices.hpp) against
// a bit-by-bit transpose, on random values and on single bits; the SSE2 and
// the portable forms agree.
#include "models/classifier/bit_slices.hpp"

#include <cstdint>
#include <random>

#include <gtest/gtest.h>

namespace trimode::slices {
namespace {

TEST(BitSlices, WordsToSlicesAndBack) {
  std::mt19937_64 rng(20261203);
  for (int round = 0; round < 200; ++round) {
    uint32_t words[kLanes];
    for (uint32_t& w : words) w = static_cast<uint32_t>(rng());
    if (round == 0) {  // one bit per lane, a different bit each: every (lane, bit) pair meets
      for (unsigned k = 0; k < kLanes; ++k) words[k] = 1u << (k % 32);
    }
    uint64_t s[32], portable[32];
    slice_words(words, s);  // the SSE2 form on x86-64
    slice_words_portable(words, portable);
    for (unsigned b = 0; b < 32; ++b) {
      for (unsigned k = 0; k < kLanes; ++k)
        ASSERT_EQ(s[b] >> k & 1, words[k] >> b & 1) << "slice " << b << " lane " << k << " round " << round;
      ASSERT_EQ(portable[b], s[b]) << "slice " << b;
    }
    uint32_t back[kLanes];
    unslice_words(s, back);
    for (unsigned k = 0; k < kLanes; ++k) ASSERT_EQ(back[k], words[k]) << "lane " << k;
  }
}

TEST(BitSlices, BytesToSlicesAndBack) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    uint8_t bytes[kLanes];
    for (uint8_t& x : bytes) x = static_cast<uint8_t>(rng() & 0x3F);  // 6 bits, as the lanes' ctl and dec
    if (round == 0) {
      for (unsigned k = 0; k < kLanes; ++k) bytes[k] = static_cast<uint8_t>(1u << (k % 6));
    }
    if (round == 1) {
      for (uint8_t& x : bytes) x = 0x3F;
    }
    uint64_t s[6], portable[6];
    slice_bytes<6>(bytes, s);
    slice_bytes_portable<6>(bytes, portable);
    for (unsigned j = 0; j < 6; ++j) {
      for (unsigned k = 0; k < kLanes; ++k)
        ASSERT_EQ(s[j] >> k & 1, bytes[k] >> j & 1u) << "slice " << j << " lane " << k << " round " << round;
      ASSERT_EQ(portable[j], s[j]) << "slice " << j;
    }
    uint8_t back[kLanes];
    unslice_bytes<6>(s, back);
    for (unsigned k = 0; k < kLanes; ++k) ASSERT_EQ(back[k], bytes[k]) << "lane " << k;
  }
}

}  // namespace
}  // namespace trimode::slices

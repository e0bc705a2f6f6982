// Lz4Stream (tlm/platform/lz4_stream.hpp) read back by LZ4's own decoder: random
// literals, matches (short and long, overlapping, continuing the last one),
// blocks of every small size, each block against the bytes
// the operations describe. And PackedChain (packed_chain.hpp): blocks of
// loop-like values (a signal known before them or not, from some step or
// never), decoded against the chain FstEncoder writes raw for them.
#include <gtest/gtest.h>

#include <lz4.h>

#include <algorithm>
#include <random>
#include <vector>

#include "tlm/platform/lz4_stream.hpp"
#include "tlm/platform/packed_chain.hpp"

namespace trimode {
namespace {

// The block in out, decoded: its bytes, or a failure message in *error.
std::vector<uint8_t> decode(const ByteBuf& out, uint32_t size, std::string* error) {
  std::vector<uint8_t> got(size + 1);
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(out.data()), reinterpret_cast<char*>(got.data()),
                                    static_cast<int>(out.size()), static_cast<int>(got.size()));
  if (n < 0) *error = "LZ4_decompress_safe refused the block";
  got.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return got;
}

// One block of random operations, mirrored in `want`.
void random_block(std::mt19937& rng, Lz4Stream& s, std::vector<uint8_t>& want, unsigned ops) {
  std::uniform_int_distribution<int> pick(0, 8);
  for (unsigned i = 0; i < ops; ++i) {
    const int what = pick(rng);
    if (what < 4 || want.size() < 8) {
      std::vector<uint8_t> lit(1 + rng() % (rng() % 4 ? 6 : 300));
      for (auto& b : lit) b = static_cast<uint8_t>(rng() % 3);  // (a small alphabet: matches are true repeats too)
      s.literals(lit.data(), lit.size());
      want.insert(want.end(), lit.begin(), lit.end());
    } else {
      const auto most = static_cast<uint32_t>(std::min<size_t>(want.size(), Lz4Stream::kMaxOffset));
      const uint32_t off = what == 8 && want.size() >= 5 ? 5 : 1 + rng() % most;  // (8: a loop's period again)
      const uint32_t len = Lz4Stream::kMinMatch + rng() % (rng() % 8 ? 12 : 2000);
      s.match(off, len);
      for (uint32_t k = 0; k < len; ++k) want.push_back(want[want.size() - off]);
    }
  }
}

TEST(Lz4Stream, RandomBlocksDecodeToTheirBytes) {
  std::mt19937 rng(7);
  Lz4Stream s;
  for (unsigned block = 0; block < 3000; ++block) {
    std::vector<uint8_t> want;
    random_block(rng, s, want, block < 100 ? block % 6 : 1 + rng() % 60);
    ASSERT_EQ(s.size(), want.size());
    ByteBuf out;
    const uint32_t size = s.finish(out);
    ASSERT_EQ(size, want.size());
    std::string error;
    const std::vector<uint8_t> got = decode(out, size, &error);
    ASSERT_EQ(error, "") << "block " << block;
    ASSERT_EQ(got, want) << "block " << block;
    EXPECT_EQ(s.size(), 0u);
  }
}

TEST(Lz4Stream, ALoopsRoundsMergeIntoOneMatch) {
  Lz4Stream s;
  std::vector<uint8_t> round = {2, 0x80, 0, 0, 4, 2, 0x80, 0, 0, 8};
  s.literals(round.data(), round.size());
  for (int i = 0; i < 10000; ++i) s.match(static_cast<uint32_t>(round.size()), static_cast<uint32_t>(round.size()));
  ByteBuf out;
  const uint32_t size = s.finish(out);
  EXPECT_EQ(size, 10001u * round.size());
  EXPECT_LT(out.size(), 10 + 10 + 10001 * 10 / 255 + 10);  // one sequence, its length in 255s, the last literals
  std::string error;
  const std::vector<uint8_t> got = decode(out, size, &error);
  ASSERT_EQ(error, "");
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], round[i % round.size()]) << i;
}

// The raw chain of a 32-bit signal whose value at each time index is vals[t]
// (known: given or carried; before 0: `before`, known or not): a change where
// the value differs from the one before, FstEncoder's bytes.
std::vector<uint8_t> raw_chain(const std::vector<int64_t>& vals, bool known, uint32_t before) {
  std::vector<uint8_t> out;
  uint32_t last = 0;
  int64_t prev = known ? int64_t{before} : -1;
  for (uint32_t t = 0; t < vals.size(); ++t) {
    if (vals[t] < 0 || vals[t] == prev) continue;  // (-1: no value yet)
    uint8_t b[16];
    uint8_t* p = ByteBuf::put_varint(b, uint64_t{t - last} << 1);
    for (int k = 3; k >= 0; --k) *p++ = static_cast<uint8_t>(vals[t] >> (8 * k));
    out.insert(out.end(), b, p);
    last = t, prev = vals[t];
  }
  return out;
}

TEST(PackedChain, LoopsWithBranchesDecodeToTheRawChain) {
  std::mt19937 rng(11);
  constexpr uint32_t kSteps = 1 << 12;
  PackedChain c(kSteps);
  for (unsigned block = 0; block < 600; ++block) {
    const bool known = block % 3 != 0;
    const uint32_t before = rng() % 4;
    const uint32_t n = block < 20 ? block : kSteps - rng() % 100;
    // A loop body of a few "pcs" with a branch taken now and then (pc-like
    // values: each in one place of the body; word-like: a few values
    // repeated), stretches of one value (long deltas) and of random ones.
    std::vector<uint32_t> body(1 + rng() % 12);
    for (auto& v : body) v = rng() % (block % 2 ? 6 : 1000000);
    const uint32_t first_known = known ? 0 : block % 4 == 0 ? PackedChain::kNone : rng() % (n + 1);
    std::vector<uint32_t> vals(n);
    std::vector<int64_t> want_vals(n, -1);
    uint32_t pc = 0, x = before;
    for (uint32_t t = 0; t < n;) {
      const int what = static_cast<int>(rng() % 8);
      const uint32_t len = std::min<uint32_t>(n - t, 1 + rng() % (what < 6 ? 400 : 100));
      for (uint32_t j = 0; j < len; ++j, ++t) {
        if (what < 6) {
          pc = rng() % 23 == 0 ? static_cast<uint32_t>(rng() % body.size()) : (pc + 1) % static_cast<uint32_t>(body.size());
          x = body[pc];
        } else if (what == 7) {
          x = static_cast<uint32_t>(rng());
        }
        vals[t] = x;
        if (first_known != PackedChain::kNone && t >= first_known) want_vals[t] = x;
      }
    }
    const std::vector<uint8_t> want = raw_chain(want_vals, known, before);
    ByteBuf out;
    const uint32_t size = c.encode(vals.data(), n, first_known, known, before, out);
    ASSERT_EQ(size, want.size()) << "block " << block;
    if (!size) {
      EXPECT_TRUE(out.empty());
      continue;
    }
    std::string error;
    ASSERT_EQ(decode(out, size, &error), want) << "block " << block;
    ASSERT_EQ(error, "");
    if (block % 2 == 0 && want.size() > 2000) {  // (pc-like values)
      EXPECT_LT(out.size(), want.size() / 4) << "block " << block << ": the loop's repeats not found";
    }
  }
}

}  // namespace
}  // namespace trimode

// The project's FST encoder (tlm/platform/fst_encoder.hpp) read back by
// GTKWave's own reader (fst2vcd, Debian's gtkwave): every width from 1 to 64,
// random values at random increasing times over several blocks, nested scopes,
// a file with no time at all, bursts of steps (FstEncoder::Burst) writing
// the same file as single steps, and chains compressed on the caller's thread
// writing the same file as on the compression thread; and its time tables' zlib streams
// (zlib_repeats.hpp) read back by zlib's inflate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>
#include <zlib.h>

#include "tlm/platform/fst_encoder.hpp"
#include "tlm/platform/zlib_repeats.hpp"

namespace trimode {
namespace {

struct Change {
  uint64_t t;
  std::string v;  // VCD's value: '0'/'1'/'x' per bit, most significant first
};

// fst2vcd's output: {"scope.name": [changes]} (vectors as all their bits).
std::map<std::string, std::vector<Change>> read_back(const std::string& path) {
  std::string text;
  FILE* p = popen(("fst2vcd " + path + " 2>&1").c_str(), "r");
  EXPECT_NE(p, nullptr);
  char buf[65536];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << text.substr(0, 400);
  std::istringstream in(text);
  std::map<std::string, std::string> names;  // id -> full name
  std::map<std::string, std::vector<Change>> out;
  std::vector<std::string> scope;
  uint64_t t = 0;
  for (std::string tok; in >> tok;) {
    if (tok == "$scope") {
      std::string kind, name;
      in >> kind >> name;
      scope.push_back(name);
    } else if (tok == "$upscope") {
      scope.pop_back();
    } else if (tok == "$var") {
      std::string kind, width, id, name;
      in >> kind >> width >> id;
      for (std::string part; in >> part && part != "$end";) name += part;  // "pc [31:0]" -> "pc[31:0]"
      std::string full;
      for (const auto& s : scope) full += s + ".";
      names[id] = full + name;
      out[full + name];
    } else if (tok[0] == '$') {
      if (tok != "$dumpvars" && tok != "$end" && tok != "$enddefinitions")
        while (in >> tok && tok != "$end") {
        }
    } else if (tok[0] == '#') {
      t = std::stoull(tok.substr(1));
    } else if (tok[0] == 'b') {
      std::string id;
      in >> id;
      out[names.at(id)].push_back({t, tok.substr(1)});
    } else {
      out[names.at(tok.substr(1))].push_back({t, tok.substr(0, 1)});
    }
  }
  return out;
}

std::string bits(uint64_t v, unsigned width) {
  std::string s;
  for (unsigned b = width; b-- > 0;) s += static_cast<char>('0' + (v >> b & 1));
  return s;
}

std::string temp_path(const char* name) { return std::string(::testing::TempDir()) + name; }

using Wanted = std::map<std::string, std::vector<Change>>;
using Signals = std::vector<std::pair<std::string, unsigned>>;

// Every width 1..64 in nested scopes, random values at random increasing
// times over four blocks, into path; what was written into want and sigs.
// Some values are written two or three times at one time: the last one
// counts. here: the chains compressed on this thread (compress_chains_here).
void write_widths(const std::string& path, bool here, Wanted& want, Signals& sigs) {
  uint64_t t = 5;
  {
    FstEncoder enc(path, -12);
    if (here) enc.compress_chains_here();
    enc.scope("top");
    for (unsigned w = 1; w <= 64; ++w) {
      if (w == 33) enc.scope("upper");  // a nested scope for the wider half
      const std::string name = w == 1 ? "s1" : "s" + std::to_string(w) + " [" + std::to_string(w - 1) + ":0]";
      enc.var(name, w);
      sigs.push_back({(w > 32 ? "top.upper." : "top.") + (w == 1 ? name : name.substr(0, name.find(' ')) + name.substr(name.find(' ') + 1)), w});
    }
    enc.upscope();
    enc.upscope();
    std::mt19937_64 rng(13);
    const unsigned steps = FstEncoder::kBlockSteps * 3 + 1234;  // four blocks
    for (unsigned step = 0; step < steps; ++step) {
      enc.time(t);
      for (unsigned i = 0; i < sigs.size(); ++i) {
        if (step && rng() % 32) continue;  // every signal at the first time, then some
        const unsigned w = sigs[i].second;
        for (unsigned again = rng() % 8 == 0 ? 1 + rng() % 2 : 0; again; --again) enc.value(i, rng());  // replaced
        const uint64_t v = rng() >> (64 - w);
        enc.value(i, v);
        want[sigs[i].first].push_back({t, bits(v, w)});
      }
      t += rng() % 4 == 0 ? (uint64_t{1} << (rng() % 40)) : 1 + rng() % 3;
    }
  }
}

std::vector<uint8_t> file_bytes(const std::string& path) {
  std::vector<uint8_t> b;
  FILE* f = std::fopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr) << path;
  for (int c; f && (c = std::fgetc(f)) != EOF;) b.push_back(static_cast<uint8_t>(c));
  if (f) std::fclose(f);
  return b;
}

TEST(FstEncoder, EveryWidthOverSeveralBlocksReadsBackAsWritten) {
  const std::string path = temp_path("fst_encoder_widths.fst");
  Wanted want;
  Signals sigs;
  write_widths(path, false, want, sigs);
  const auto got = read_back(path);
  ASSERT_EQ(got.size(), sigs.size());
  for (const auto& [name, width] : sigs) {
    ASSERT_TRUE(got.count(name)) << name;
    const auto& g = got.at(name);
    const auto& e = want[name];
    ASSERT_EQ(g.size(), e.size()) << name;
    for (size_t k = 0; k < e.size(); ++k) {
      ASSERT_EQ(g[k].t, e[k].t) << name << " change " << k;
      ASSERT_EQ(g[k].v, e[k].v) << name << " change " << k << " at " << e[k].t;
    }
  }
  std::remove(path.c_str());
}

// The chains compressed on the caller's thread (as when the compression
// thread is behind) give the file the compression thread gives.
TEST(FstEncoder, ChainsCompressedOnTheCallersThreadGiveTheSameFile) {
  const std::string there = temp_path("fst_encoder_there.fst"), here = temp_path("fst_encoder_here.fst");
  Wanted want, want_here;
  Signals sigs, sigs_here;
  write_widths(there, false, want, sigs);
  write_widths(here, true, want_here, sigs_here);
  const auto a = file_bytes(there), b = file_bytes(here);
  ASSERT_GT(a.size(), 100000u);
  EXPECT_TRUE(a == b) << "sizes " << a.size() << " and " << b.size();
  std::remove(there.c_str());
  std::remove(here.c_str());
}

TEST(FstEncoder, AFileWithNoTimeHasEverySignalUnknownAtZero) {
  const std::string path = temp_path("fst_encoder_empty.fst");
  {
    FstEncoder enc(path, -12);
    enc.scope("top");
    enc.var("bit", 1);
    enc.var("word [31:0]", 32);
    enc.upscope();
  }
  const auto got = read_back(path);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got.at("top.bit").size(), 1u);
  EXPECT_EQ(got.at("top.bit")[0].t, 0u);
  EXPECT_EQ(got.at("top.bit")[0].v, "x");
  ASSERT_EQ(got.at("top.word[31:0]").size(), 1u);
  EXPECT_EQ(got.at("top.word[31:0]")[0].v, std::string(32, 'x'));
  std::remove(path.c_str());
}

// The same steps written one by one and in bursts of random lengths (steps
// one period apart; two signals as lanes, two through the burst, a block's
// last step through the encoder, as the waveform writer does) give the same
// file, read back as written.
TEST(FstEncoder, BurstsWriteTheFileSingleStepsWrite) {
  const std::string single = temp_path("fst_encoder_single.fst"), burst = temp_path("fst_encoder_burst.fst");
  const unsigned widths[4] = {32, 32, 1, 8};
  struct Step {
    uint64_t t;
    uint64_t v[4];
    bool changed[4];
  };
  std::vector<Step> steps;
  std::mt19937_64 rng(29);
  uint64_t t = 0;
  for (unsigned k = 0; k < FstEncoder::kBlockSteps * 2 + 777; ++k) {  // three blocks
    Step s{t += rng() % 300 == 0 ? 1 + rng() % 100000 : 10000, {}, {}};
    for (unsigned i = 0; i < 4; ++i) {
      s.changed[i] = k == 0 || rng() % (i < 2 ? 2 : 9) == 0;
      s.v[i] = rng() >> (64 - widths[i]);
    }
    steps.push_back(s);
  }
  auto declare = [&](FstEncoder& e) {
    e.scope("top");
    for (unsigned i = 0; i < 4; ++i) e.var("s" + std::to_string(i), widths[i]);
    e.upscope();
  };
  {
    FstEncoder e(single, -12);
    declare(e);
    for (const Step& s : steps) {
      e.time(s.t);
      for (unsigned i = 0; i < 4; ++i)
        if (s.changed[i]) e.value(i, s.v[i]);
    }
  }
  size_t bursts = 0;
  {
    FstEncoder e(burst, -12);
    declare(e);
    auto plain = [&](const Step& s) {
      e.time(s.t);
      for (unsigned i = 0; i < 4; ++i)
        if (s.changed[i]) e.value(i, s.v[i]);
    };
    plain(steps[0]);
    for (size_t k = 1; k < steps.size();) {
      bool full;
      {
        FstEncoder::Burst b(e);
        // Steps one period apart from k, at most a random length and the room.
        size_t n = 1;
        const size_t most = std::min<size_t>(1 + rng() % 5000, b.room());
        const uint64_t period = k + 1 < steps.size() ? steps[k + 1].t - steps[k].t : 1;
        while (n < most && k + n < steps.size() && steps[k + n].t - steps[k + n - 1].t == period) ++n;
        full = b.room() == 0;
        if (!full) {
          const uint32_t first = b.steps(steps[k].t, period, static_cast<uint32_t>(n));
          FstEncoder::Burst::Lane l0 = b.lane(0), l1 = b.lane(1);
          for (size_t j = 0; j < n; ++j) {
            const Step& s = steps[k + j];
            const auto idx = static_cast<uint32_t>(first + j);
            if (s.changed[0]) l0.value(idx, s.v[0], 32);
            if (s.changed[1]) l1.value(idx, s.v[1], 32);
            for (unsigned i = 2; i < 4; ++i)
              if (s.changed[i]) b.value(i, idx, s.v[i], widths[i]);
          }
          b.done(l0), b.done(l1);
          k += n;
          ++bursts;
        }
      }
      if (full) plain(steps[k++]);  // the block's last step
    }
  }
  EXPECT_GT(bursts, 100u);
  const auto a = file_bytes(single), b = file_bytes(burst);
  ASSERT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == b) << "sizes " << a.size() << " and " << b.size();
  const auto got = read_back(burst);
  const auto& s0 = got.at("top.s0");
  size_t changes = 0;
  for (const Step& s : steps) changes += s.changed[0];
  ASSERT_EQ(s0.size(), changes);
  for (size_t k = 0, c = 0; k < steps.size(); ++k) {
    if (!steps[k].changed[0]) continue;
    EXPECT_EQ(s0[c].t, steps[k].t);
    EXPECT_EQ(s0[c++].v, bits(steps[k].v[0], 32));
  }
  std::remove(single.c_str());
  std::remove(burst.c_str());
}

// Packed signals (FstEncoder::pack, packed_chain.hpp): a loop's values
// (repeats of a few periods, a branch now and then), stretches of random
// changes, of none (past 64 steps) and of some, over three blocks. Bursts
// (Burst::values32) write the file value() writes for each change (now and
// then a value replaced at its time), and both read back as the same
// signals written unpacked.
TEST(FstEncoder, PackedValues32ReadBackAsWritten) {
  const std::string single = temp_path("fst_encoder_v32_single.fst"), burst = temp_path("fst_encoder_v32_burst.fst"),
                    plain = temp_path("fst_encoder_v32_plain.fst"), here = temp_path("fst_encoder_v32_here.fst");
  std::mt19937_64 rng(31);
  const size_t count = FstEncoder::kBlockSteps * 2 + 555;  // three blocks
  std::vector<uint32_t> v[2];
  for (auto& values : v) {
    uint32_t x = static_cast<uint32_t>(rng());
    std::vector<uint32_t> body(3 + rng() % 20);
    for (auto& b : body) b = static_cast<uint32_t>(rng());
    while (values.size() < count) {  // stretches: a loop, every step a change, none (past 64 steps), some
      const unsigned kind = rng() % 5, len = 1 + rng() % (kind == 1 ? 300 : kind >= 3 ? 3000 : 40);
      for (unsigned k = 0, pc = 0; k < len; ++k) {
        if (kind >= 3) {
          pc = rng() % 31 == 0 ? static_cast<unsigned>(rng() % body.size()) : (pc + 1) % static_cast<unsigned>(body.size());
          x = body[pc];
        } else if (kind == 0 || (kind == 2 && rng() % 2)) {
          x = static_cast<uint32_t>(rng());
        }
        values.push_back(x);
      }
    }
    values.resize(count);
  }
  const uint64_t period = 10000;
  auto declare = [&](FstEncoder& e, bool packed) {
    e.scope("top");
    e.var("a", 32), e.var("b", 32);
    e.upscope();
    if (packed) e.pack(0), e.pack(1);
  };
  auto single_steps = [&](const std::string& path, bool packed, bool here = false) {
    FstEncoder e(path, -12);
    declare(e, packed);
    if (here) e.compress_chains_here();
    for (size_t k = 0; k < count; ++k) {
      e.time(period * (k + 1));
      for (unsigned i = 0; i < 2; ++i) {
        const bool replaced = packed && k % 97 == 5;
        if (replaced) e.value(i, ~v[i][k]);  // (replaced by the next value at this time)
        if (k == 0 || replaced || v[i][k] != v[i][k - 1]) e.value(i, v[i][k]);
      }
    }
  };
  single_steps(single, true);
  single_steps(plain, false);
  single_steps(here, true, true);  // (packed on this thread: the same file)
  size_t bursts = 0;
  {
    FstEncoder e(burst, -12);
    declare(e, true);
    e.time(period);
    e.value(0, v[0][0]), e.value(1, v[1][0]);
    for (size_t k = 1; k < count;) {
      bool full;
      {
        FstEncoder::Burst b(e);
        full = b.room() == 0;
        if (!full) {
          const auto n = static_cast<uint32_t>(std::min<size_t>({1 + rng() % 3000, b.room(), count - k}));
          const uint32_t first = b.steps(period * (k + 1), period, n);
          for (unsigned i = 0; i < 2; ++i) b.values32(i, &v[i][k], n, first);
          k += n;
          ++bursts;
        }
      }
      if (full) {  // the block's last step
        e.time(period * (k + 1));
        for (unsigned i = 0; i < 2; ++i)
          if (v[i][k] != v[i][k - 1]) e.value(i, v[i][k]);
        ++k;
      }
    }
  }
  EXPECT_GT(bursts, 40u);
  const auto a = file_bytes(single), b = file_bytes(burst), c = file_bytes(plain), d = file_bytes(here);
  ASSERT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == b) << "sizes " << a.size() << " and " << b.size();
  EXPECT_TRUE(a == d) << "sizes " << a.size() << " and " << d.size() << " (packed on the caller's thread)";
  EXPECT_LT(a.size(), c.size() * 5 / 4) << "the loops' repeats not found (LZ4 over the raw chains: " << c.size() << ")";
  const auto got = read_back(single), want = read_back(plain);
  for (const char* name : {"top.a", "top.b"}) {
    ASSERT_EQ(got.count(name), 1u) << name;
    const auto &g = got.at(name), &w = want.at(name);
    ASSERT_EQ(g.size(), w.size()) << name;
    ASSERT_GT(g.size(), count / 3) << name;
    for (size_t k = 0; k < g.size(); ++k) {
      ASSERT_EQ(g[k].t, w[k].t) << name << " change " << k;
      ASSERT_EQ(g[k].v, w[k].v) << name << " change " << k;
    }
  }
  std::remove(single.c_str());
  std::remove(burst.c_str());
  std::remove(plain.c_str());
  std::remove(here.c_str());
}

// zlib_repeats' stream of `in`, inflated by zlib.
std::vector<uint8_t> repeats_round_trip(const std::vector<uint8_t>& in, size_t* packed = nullptr) {
  std::vector<uint8_t> z(zlib_repeats_bound(in.size()));
  const size_t n = zlib_repeats(in.data(), in.size(), z.data());
  EXPECT_LE(n, z.size());
  if (packed) *packed = n;
  std::vector<uint8_t> out(in.size() + 1);
  uLongf len = static_cast<uLongf>(out.size());
  EXPECT_EQ(uncompress(out.data(), &len, z.data(), static_cast<uLong>(n)), Z_OK);
  out.resize(len);
  return out;
}

TEST(ZlibRepeats, InflatesToItsInput) {
  std::mt19937_64 rng(41);
  std::vector<std::vector<uint8_t>> inputs = {{}, {7}, {1, 2}, {0x90, 0x4E, 0x90}};
  for (unsigned period = 1; period <= 11; ++period)  // periods tried (1..8) and not
    for (size_t len : {3u, 257u, 258u, 259u, 260u, 516u, 517u, 5000u}) {
      std::vector<uint8_t> v(len);
      for (size_t i = 0; i < len; ++i) v[i] = i < period ? static_cast<uint8_t>(rng()) : v[i - period];
      inputs.push_back(v);
    }
  std::vector<uint8_t> noise(100000), table;
  for (auto& b : noise) b = static_cast<uint8_t>(rng());
  inputs.push_back(noise);
  for (unsigned k = 0; k < 200000; ++k) {  // a time table: mostly one delta, sometimes others
    uint64_t d = rng() % 50 == 0 ? rng() >> (rng() % 60) : 10000;
    for (; d >= 0x80; d >>= 7) table.push_back(static_cast<uint8_t>(d | 0x80));
    table.push_back(static_cast<uint8_t>(d));
  }
  inputs.push_back(table);
  for (const auto& in : inputs) {
    size_t packed = 0;
    EXPECT_TRUE(repeats_round_trip(in, &packed) == in) << "input of " << in.size() << " bytes";
  }
}

TEST(ZlibRepeats, ARepeatedDeltaPacksToAFewBytes) {
  std::vector<uint8_t> in;
  for (unsigned k = 0; k < 65536; ++k) in.push_back(0x90), in.push_back(0x4E);  // 10000, a clock period in ps
  size_t packed = 0;
  ASSERT_TRUE(repeats_round_trip(in, &packed) == in);
  EXPECT_LT(packed, 1100u);  // 131,072 bytes: 508 matches of 258 bytes, 13 bits each
}

TEST(FstEncoder, AnUnwritablePathThrows) {
  EXPECT_THROW(FstEncoder("/nonexistent-dir/x.fst", -12), std::runtime_error);
}

// close() says whether every byte reached the file: false on a full disk
// (/dev/full: every write fails, ENOSPC), and the same when asked again.
TEST(FstEncoder, CloseSaysWhetherTheFileWasWrittenWhole) {
  const auto write = [](FstEncoder& enc) {
    enc.scope("top");
    enc.var("word [31:0]", 32);
    enc.upscope();
    for (uint64_t t = 1; t <= 1000; ++t) {
      enc.time(t);
      enc.value(0, t * 0x9E3779B9u);
    }
  };
  const std::string path = temp_path("fst_encoder_close.fst");
  FstEncoder whole(path, -12);
  write(whole);
  EXPECT_TRUE(whole.close());
  EXPECT_TRUE(whole.close());
  EXPECT_EQ(read_back(path).at("top.word[31:0]").size(), 1000u);
  std::remove(path.c_str());
  FstEncoder full("/dev/full", -12);
  write(full);
  EXPECT_FALSE(full.close());
  EXPECT_FALSE(full.close());
}

// The header's totals are patched in place at the end, so a pipe is refused
// when the file is opened (its header would otherwise end up appended).
TEST(FstEncoder, APipeIsRefusedAsNotSeekable) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  try {
    FstEncoder enc(path, -12);
    ADD_FAILURE() << "a pipe was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("must be seekable"), std::string::npos) << e.what();
  }
  close(fds[0]), close(fds[1]);
}

}  // namespace
}  // namespace trimode

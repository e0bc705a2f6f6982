// The project's FST encoder (tlm/platform/fst_encoder.hpp) read back by
// GTKWave's own reader (fst2vcd, Debian's gtkwave): every width from 1 to 64,
// random values at random increasing times over several blocks, nested scopes,
// and a file with no time at all.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tlm/platform/fst_encoder.hpp"

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

// Some values are written two or three times at one time: the last one counts.
TEST(FstEncoder, EveryWidthOverSeveralBlocksReadsBackAsWritten) {
  const std::string path = temp_path("fst_encoder_widths.fst");
  std::map<std::string, std::vector<Change>> want;
  std::vector<std::pair<std::string, unsigned>> sigs;
  uint64_t t = 5;
  {
    FstEncoder enc(path, -12);
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

TEST(FstEncoder, AnUnwritablePathThrows) {
  EXPECT_THROW(FstEncoder("/nonexistent-dir/x.fst", -12), std::runtime_error);
}

}  // namespace
}  // namespace trimode

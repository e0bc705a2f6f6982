// The complete check of the kind table: every word of the 2^32 space is matched
// by the classifier's fast lookup exactly as by a scan of the table (or is
// illegal). A benchmark, not a test: it takes minutes. Prints progress.
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <thread>
#include <vector>

#include "models/classifier/classifier.hpp"

namespace {

// Every row fixes the major opcode (bits 6:0; checked below), so the scan
// only visits the rows of the word's opcode: still a plain linear scan of the
// table, independent of the classifier's bucketing.
std::vector<std::vector<uint16_t>> rows_by_opcode() {
  std::vector<std::vector<uint16_t>> by(128);
  for (uint16_t r = 0; r < trimode::spec::kNumRows; ++r) {
    if ((trimode::spec::kRows[r].mask & 0x7F) != 0x7F) {
      std::fprintf(stderr, "row %s leaves the opcode free\n", trimode::spec::kRows[r].name);
      std::exit(2);
    }
    by[trimode::spec::kRows[r].match & 0x7F].push_back(r);
  }
  return by;
}

const std::vector<std::vector<uint16_t>> kByOpcode = rows_by_opcode();

uint16_t scan(uint32_t insn) {
  for (uint16_t r : kByOpcode[insn & 0x7F]) {
    if ((insn & trimode::spec::kRows[r].mask) == trimode::spec::kRows[r].match) return r;
  }
  return trimode::kNoRow;
}

}  // namespace

int main() {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr uint64_t kSpace = 1ull << 32;
  std::vector<uint64_t> bad(threads), legal(threads);
  std::vector<std::thread> pool;
  const auto t0 = std::chrono::steady_clock::now();
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (uint64_t w = t; w < kSpace; w += threads) {
        const uint16_t r = trimode::match_row(static_cast<uint32_t>(w));
        if (r != scan(static_cast<uint32_t>(w))) ++bad[t];
        if (r != trimode::kNoRow) ++legal[t];
        if (t == 0 && (w & 0x0FFFFFFF) == 0) std::fprintf(stderr, "\r%3.0f%%", 100.0 * w / kSpace);
      }
    });
  }
  for (auto& th : pool) th.join();
  uint64_t mismatches = 0, in_table = 0;
  for (unsigned t = 0; t < threads; ++t) mismatches += bad[t], in_table += legal[t];
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("\nchecked %llu words, in table %llu, mismatches %llu, %.1f s\n",
              static_cast<unsigned long long>(kSpace), static_cast<unsigned long long>(in_table),
              static_cast<unsigned long long>(mismatches), s);
  return mismatches ? 1 : 0;
}

// The disassembler (models/core/disasm.hpp) against binutils' own: every row
// of the instruction table, its free fields random (registers, immediates,
// CSR numbers of spec/csrs.txt and of the standard names it knows), written
// as a raw image that riscv64-unknown-elf-objdump -M no-aliases disassembles;
// each line must say what disassemble() says, up to spacing. Trimode's own
// encodings objdump cannot name (exit in mret's slot, vcall in uret's) and
// Trimode's CSRs, which objdump prints by number, are compared accordingly.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "models/core/disasm.hpp"
#include "trimode/spec.hpp"

#ifndef TRIMODE_OBJDUMP
#error "TRIMODE_OBJDUMP: the RISC-V objdump (tests/core/CMakeLists.txt)"
#endif

namespace trimode {
namespace {

constexpr uint32_t kBase = 0x80000000;

// objdump's text for one of its lines ("addr:\tword\tmnemonic\toperands"),
// and ours, both as "mnemonic op,op,op": spacing dropped (objdump's notes
// of the values it tracks, " # 0x...", are cut off when its lines are read).
std::string squeeze(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space && c != ',' && out.back() != ',') out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Our text with Trimode's CSR names as objdump prints them: by number.
std::string csr_numbers(std::string text) {
  for (const spec::CsrInfo& c : spec::kCsrs) {
    const std::string name = c.name;
    for (size_t at; (at = text.find(", " + name + ",")) != std::string::npos;) {
      char number[16];
      std::snprintf(number, sizeof number, "0x%x", c.number);
      text.replace(at + 2, name.size(), number);
    }
  }
  return text;
}

std::vector<std::string> objdump(const std::vector<uint32_t>& words) {
  // (a file per test and process: ctest runs the tests of this file at once)
  const std::string path = std::string(::testing::TempDir()) + "disasm_objdump_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                           std::to_string(::getpid()) + ".bin";
  FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  for (uint32_t w : words) {
    const unsigned char b[4] = {static_cast<unsigned char>(w), static_cast<unsigned char>(w >> 8),
                                static_cast<unsigned char>(w >> 16), static_cast<unsigned char>(w >> 24)};
    std::fwrite(b, 1, 4, f);
  }
  std::fclose(f);
  char vma[32];
  std::snprintf(vma, sizeof vma, "0x%x", kBase);
  const std::string cmd = std::string(TRIMODE_OBJDUMP) + " -D -b binary -m riscv:rv32 -M no-aliases --adjust-vma=" +
                          vma + " " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::string text;
  char buf[65536];
  for (size_t n; p && (n = std::fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  EXPECT_EQ(p ? pclose(p) : -1, 0) << text.substr(0, 400);
  std::remove(path.c_str());
  std::vector<std::string> lines;  // by word: the text after the address and the word
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t tab1 = line.find(":\t");
    if (tab1 == std::string::npos || line.find("<.data>") != std::string::npos) continue;
    const size_t tab2 = line.find('\t', tab1 + 2);
    if (tab2 == std::string::npos) continue;
    std::string insn = line.substr(tab2 + 1);
    insn = insn.substr(0, insn.find(" # "));  // (objdump's note of a register's known value)
    lines.push_back(insn);
  }
  return lines;
}

TEST(DisasmObjdump, EveryRowWithRandomFieldsReadsAsBinutilsReadsIt) {
  std::mt19937 rng(2026);
  std::vector<uint32_t> words;
  std::vector<unsigned> rows;
  for (unsigned r = 0; r < spec::kNumRows; ++r) {
    const spec::Row& row = spec::kRows[r];
    const unsigned free_bits = static_cast<unsigned>(__builtin_popcount(~row.mask));
    const unsigned count = free_bits == 0 ? 1 : 24;
    // fence's fm, rs1 and rd and fence.i's imm12, rs1 and rd are reserved:
    // objdump prints such a word as data (.4byte); the table runs it as
    // the fence (RISC-V lets an implementation), and the disassembler says so.
    // Here they stay 0 (but fence's fm 1000 of fence.tso).
    const std::string name = row.name;
    const uint32_t free = name == "fence" ? 0x0FF00000u : name == "fence.i" ? 0 : ~row.mask;
    for (unsigned k = 0; k < count; ++k) {
      uint32_t w = row.match | (static_cast<uint32_t>(rng()) & free);
      if (name == "fence" && k == 0) w = row.match | 0x83300000u;  // fence.tso
      words.push_back(w);
      rows.push_back(r);
    }
  }
  const auto theirs = objdump(words);
  ASSERT_EQ(theirs.size(), words.size());
  // Trimode's encodings in slots objdump names otherwise.
  const std::map<std::string, std::string> renamed = {{"exit", "mret"}, {"vcall", "uret"}};
  unsigned compared = 0, mismatches = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string name = spec::kRows[rows[i]].name;
    const auto as = renamed.find(name);
    std::string ours = disassemble(words[i], kBase + 4 * static_cast<uint32_t>(i));
    if (as != renamed.end()) ours = as->second;
    // (a Trimode CSR objdump does not know it prints by number; those it knows, by name)
    const std::string a = squeeze(ours), numbered = squeeze(csr_numbers(ours)), b = squeeze(theirs[i]);
    ++compared;
    if (a != b && numbered != b && ++mismatches <= 40) {
      ADD_FAILURE() << "row " << name << ", word 0x" << std::hex << words[i] << ": ours '" << a << "', objdump '" << b
                    << "'";
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << compared;
  EXPECT_GT(compared, 2000u);
}

// Every CSR number outside the table (which traps as illegal): a name the
// disassembler gives is the one objdump gives, and a CSR objdump prints by
// number it prints by number too (it names only the CSRs an M-mode program
// reaches for first: standard_csr_name; objdump names every standard one).
TEST(DisasmObjdump, CsrsOutsideTheTableAreNamedAsBinutilsNamesThem) {
  std::vector<uint32_t> words;
  for (uint32_t csr = 0; csr < 4096; ++csr) {
    bool in_table = false;
    for (const spec::CsrInfo& c : spec::kCsrs) in_table = in_table || c.number == csr;
    if (!in_table) words.push_back(csr << 20 | 0x2 << 12 | 5 << 7 | 0x73);  // csrrs t0, CSR, zero
  }
  const auto theirs = objdump(words);
  ASSERT_EQ(theirs.size(), words.size());
  unsigned named = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const uint32_t csr = words[i] >> 20;
    const std::string ours = squeeze(disassemble(words[i], kBase)), b = squeeze(theirs[i]);
    char number[48];
    std::snprintf(number, sizeof number, "csrrs t0,0x%x,zero", csr);
    if (standard_csr_name(csr)) {
      ++named;
      EXPECT_EQ(ours, b) << "csr 0x" << std::hex << csr;
    } else if (b == number) {
      EXPECT_EQ(ours, b) << "csr 0x" << std::hex << csr;
    }
  }
  EXPECT_GT(named, 10u);
}

}  // namespace
}  // namespace trimode

// The kind table itself and the classifier against it.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "models/classifier/classifier.hpp"
#include "tests/core/rv_asm.hpp"

namespace trimode {
namespace {

using spec::Mode;
constexpr Mode kModes[] = {Mode::U, Mode::G, Mode::V};

// The slow, obviously right classifier: scan every row.
uint16_t scan(uint32_t insn) {
  uint16_t found = kNoRow;
  for (uint16_t r = 0; r < spec::kNumRows; ++r) {
    if ((insn & spec::kRows[r].mask) == spec::kRows[r].match) {
      EXPECT_EQ(found, kNoRow) << "two rows match 0x" << std::hex << insn;
      found = r;
    }
  }
  return found;
}

TEST(KindTable, NoTwoRowsOverlap) {
  for (unsigned a = 0; a < spec::kNumRows; ++a) {
    for (unsigned b = a + 1; b < spec::kNumRows; ++b) {
      const uint32_t common = spec::kRows[a].mask & spec::kRows[b].mask;
      EXPECT_NE(spec::kRows[a].match & common, spec::kRows[b].match & common)
          << spec::kRows[a].name << " overlaps " << spec::kRows[b].name;
    }
  }
}

TEST(KindTable, EveryRv32imInstructionIsClassifiedInEveryMode) {
  const std::set<std::string> rv32im = {
      "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu", "lb", "lh", "lw", "lbu",
      "lhu", "sb", "sh", "sw", "addi", "slti", "sltiu", "xori", "ori", "andi", "slli", "srli", "srai", "add",
      "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "fence", "fence.i", "mul", "mulh",
      "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
  std::set<std::string> seen;
  for (const spec::Row& row : spec::kRows) {
    if (!rv32im.count(row.base)) continue;
    seen.insert(row.base);
    for (Mode m : kModes) {
      EXPECT_EQ(row.cell[static_cast<unsigned>(m)].kind, 3) << row.name;
      EXPECT_EQ(row.cell[static_cast<unsigned>(m)].action, spec::Action::kExec) << row.name;
    }
  }
  EXPECT_EQ(seen, rv32im);
}

TEST(KindTable, MatchBitsLieInsideTheMask) {
  for (const spec::Row& row : spec::kRows) EXPECT_EQ(row.match & ~row.mask, 0u) << row.name;
}

TEST(Classifier, AgreesWithTheTableOnEveryRowInEveryMode) {
  std::mt19937 rng(7);
  for (uint16_t r = 0; r < spec::kNumRows; ++r) {
    const spec::Row& row = spec::kRows[r];
    for (int k = 0; k < 8; ++k) {
      const uint32_t word = row.match | (rng() & ~row.mask);  // free fields at random
      for (Mode m : kModes) {
        const Decision d = classify(word, m);
        const spec::Cell& c = row.cell[static_cast<unsigned>(m)];
        EXPECT_EQ(d.row, r) << row.name;
        EXPECT_EQ(d.kind, c.kind) << row.name;
        EXPECT_EQ(d.action, c.action) << row.name;
        EXPECT_EQ(d.cause, c.cause) << row.name;
        EXPECT_EQ(d.target, c.target) << row.name;
      }
    }
  }
}

// Every word of the 2^32 space is either in the table or illegal (sampled here;
// bench_classifier checks all of it).
TEST(Classifier, SampledSpaceIsInTheTableOrIllegal) {
  std::mt19937 rng(2026);
  for (int n = 0; n < 2'000'000; ++n) {
    const uint32_t word = rng();
    const uint16_t expected = scan(word);
    ASSERT_EQ(match_row(word), expected) << std::hex << word;
    if (expected == kNoRow) {
      for (Mode m : kModes) {
        const Decision d = classify(word, m);
        ASSERT_EQ(d.action, spec::Action::kIllegal);
        ASSERT_EQ(d.cause, spec::kCauseIllegalInsn);
        ASSERT_EQ(d.target, exception_owner(m));
      }
    }
  }
}

TEST(Classifier, GatesAndTheSeedsExamples) {
  using test::rv::kEcall, test::rv::kVcall, test::rv::kExit, test::rv::kWfi;
  EXPECT_EQ(classify(kEcall, Mode::U), (Decision{2, spec::Action::kTrap, Mode::G, spec::kCauseEcallU}));
  EXPECT_EQ(classify(kEcall, Mode::G).action, spec::Action::kIllegal);
  EXPECT_EQ(classify(kEcall, Mode::G).target, Mode::V);
  EXPECT_EQ(classify(kVcall, Mode::U), (Decision{1, spec::Action::kTrap, Mode::V, spec::kCauseVcallU}));
  EXPECT_EQ(classify(kVcall, Mode::G), (Decision{1, spec::Action::kTrap, Mode::V, spec::kCauseVcallG}));
  EXPECT_EQ(classify(kExit, Mode::U).action, spec::Action::kIllegal);
  EXPECT_EQ(classify(kExit, Mode::U).target, Mode::G);
  EXPECT_EQ(classify(kExit, Mode::G), (Decision{2, spec::Action::kExec, Mode::G, 0}));
  EXPECT_EQ(classify(kExit, Mode::V), (Decision{1, spec::Action::kExec, Mode::V, 0}));
  EXPECT_EQ(classify(kWfi, Mode::G), (Decision{1, spec::Action::kTrap, Mode::V, spec::kCauseSensitiveInsn}));
  // time is kind 1, cycle kind 3; writing a counter is illegal.
  const uint32_t rdtime = test::rv::csrrs(1, spec::kCsrTime, 0);
  const uint32_t rdcycle = test::rv::csrrs(1, spec::kCsrCycle, 0);
  EXPECT_EQ(classify(rdtime, Mode::U), (Decision{1, spec::Action::kTrap, Mode::V, spec::kCauseSensitiveInsn}));
  EXPECT_EQ(classify(rdcycle, Mode::U), (Decision{3, spec::Action::kExec, Mode::U, 0}));
  EXPECT_EQ(classify(test::rv::csrrw(0, spec::kCsrCycle, 1), Mode::V).action, spec::Action::kIllegal);
  EXPECT_EQ(classify(test::rv::csrrs(0, spec::kCsrCycle, 1), Mode::V).action, spec::Action::kIllegal);
  // G's registers from U go to G, V's from G go to V.
  EXPECT_EQ(classify(test::rv::csrrw(0, spec::kCsrGbase, 1), Mode::U).target, Mode::G);
  EXPECT_EQ(classify(test::rv::csrrw(0, spec::kCsrVmid, 1), Mode::G).target, Mode::V);
  EXPECT_EQ(classify(test::rv::csrrw(0, spec::kCsrVmid, 1), Mode::U).target, Mode::V);
}

TEST(Classifier, InterruptsFollowTheOwnerRule) {
  const uint32_t nop = test::rv::kNop;
  IrqLines timer{true, false, false, false};
  EXPECT_EQ(classify(nop, Mode::U, timer).cause, spec::kCauseIrqTimer);
  EXPECT_EQ(classify(nop, Mode::G, timer).target, Mode::V);
  EXPECT_EQ(classify(nop, Mode::V, timer).action, spec::Action::kExec) << "masked in V without vstatus.ie";
  timer.v_ie = true;
  EXPECT_EQ(classify(nop, Mode::V, timer).cause, spec::kCauseIrqTimer);
  IrqLines virt{false, true, false, false};
  EXPECT_EQ(classify(nop, Mode::U, virt).target, Mode::G);
  EXPECT_EQ(classify(nop, Mode::G, virt).action, spec::Action::kExec);
  virt.g_ie = true;
  EXPECT_EQ(classify(nop, Mode::G, virt).cause, spec::kCauseIrqVirtual);
  EXPECT_EQ(classify(nop, Mode::V, virt).action, spec::Action::kExec) << "never taken in V";
  IrqLines both{true, true, true, true};
  EXPECT_EQ(classify(nop, Mode::U, both).cause, spec::kCauseIrqTimer) << "the timer (V's) comes first";
}

}  // namespace
}  // namespace trimode

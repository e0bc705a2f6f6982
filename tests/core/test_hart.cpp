// Per-instruction tests of the hart, without SystemC: a flat RAM bus, programs
// encoded by rv_asm.hpp, results checked in registers, memory, counters and
// the mode register.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <climits>
#include <functional>
#include <map>
#include <memory>

#include "tests/core/flat_bus.hpp"
#include "tests/core/rv_asm.hpp"

namespace trimode::test {
namespace {

using spec::Mode;
constexpr uint32_t kBase = 0x80000000;

class HartTest : public ::testing::Test {
 protected:
  HartTest() : bus(modes, kBase, 0x10000), hart(bus, modes) { hart.set_pc(kBase); }

  // Loads `program` at kBase (as a loader: the hart is told, flush_decode) and
  // runs it from V, one cycle budget per instruction given.
  void run(const std::vector<uint32_t>& program, uint64_t cycles) {
    bus.put_program(kBase, program);
    hart.flush_decode();
    hart.run(cycles);
  }
  uint32_t x(unsigned r) const { return hart.reg(r); }

  ModeState modes;
  FlatBus bus;
  Hart hart;
};

struct AluCase {
  const char* name;
  uint32_t insn;  // rd=3, rs1=1, rs2=2
  uint32_t a, b, expected;
};

class AluTest : public HartTest, public ::testing::WithParamInterface<AluCase> {};

TEST_P(AluTest, ComputesExpectedValue) {
  const AluCase& c = GetParam();
  hart.set_reg(1, c.a);
  hart.set_reg(2, c.b);
  run({c.insn}, 1);
  EXPECT_EQ(x(3), c.expected) << c.name;
  EXPECT_EQ(hart.pc(), kBase + 4);
  EXPECT_EQ(hart.instret(), 1u);
}

constexpr uint32_t R(uint32_t f7, uint32_t f3) { return rv::r(f7, 2, 1, f3, 3, 0x33); }
constexpr uint32_t I(int32_t imm, uint32_t f3) { return rv::i(imm, 1, f3, 3, 0x13); }
constexpr uint32_t kMin = 0x80000000u;

INSTANTIATE_TEST_SUITE_P(
    Rv32im, AluTest,
    ::testing::Values(
        AluCase{"add wraps", R(0, 0), 0xFFFFFFFF, 2, 1}, AluCase{"sub", R(0x20, 0), 5, 7, 0xFFFFFFFE},
        AluCase{"sll by 31", R(0, 1), 1, 31, kMin}, AluCase{"sll uses 5 bits", R(0, 1), 1, 33, 2},
        AluCase{"slt signed", R(0, 2), 0xFFFFFFFF, 1, 1}, AluCase{"sltu unsigned", R(0, 3), 0xFFFFFFFF, 1, 0},
        AluCase{"xor", R(0, 4), 0xF0F0, 0xFF00, 0x0FF0}, AluCase{"srl by 31", R(0, 5), kMin, 31, 1},
        AluCase{"sra by 31", R(0x20, 5), kMin, 31, 0xFFFFFFFF}, AluCase{"or", R(0, 6), 0xF0, 0x0F, 0xFF},
        AluCase{"and", R(0, 7), 0xF0, 0x3C, 0x30},
        AluCase{"mul low", R(1, 0), 0xFFFFFFFF, 0xFFFFFFFF, 1},
        AluCase{"mulh signed", R(1, 1), 0xFFFFFFFF, 0xFFFFFFFF, 0},
        AluCase{"mulh min*min", R(1, 1), kMin, kMin, 0x40000000},
        AluCase{"mulhsu", R(1, 2), 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF},
        AluCase{"mulhu", R(1, 3), 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE},
        AluCase{"div", R(1, 4), static_cast<uint32_t>(-7), 2, static_cast<uint32_t>(-3)},
        AluCase{"div by zero", R(1, 4), 7, 0, 0xFFFFFFFF}, AluCase{"div overflow", R(1, 4), kMin, 0xFFFFFFFF, kMin},
        AluCase{"divu", R(1, 5), 0xFFFFFFFF, 2, 0x7FFFFFFF}, AluCase{"divu by zero", R(1, 5), 7, 0, 0xFFFFFFFF},
        AluCase{"rem sign of dividend", R(1, 6), static_cast<uint32_t>(-7), 2, static_cast<uint32_t>(-1)},
        AluCase{"rem by zero", R(1, 6), 7, 0, 7}, AluCase{"rem overflow", R(1, 6), kMin, 0xFFFFFFFF, 0},
        AluCase{"remu", R(1, 7), 7, 3, 1}, AluCase{"remu by zero", R(1, 7), 9, 0, 9},
        AluCase{"addi negative", I(-1, 0), 0, 0, 0xFFFFFFFF}, AluCase{"slti", I(-1, 2), static_cast<uint32_t>(-2), 0, 1},
        AluCase{"sltiu sign-extended imm", I(-1, 3), 5, 0, 1}, AluCase{"xori -1 is not", I(-1, 4), 0x0F, 0, 0xFFFFFFF0},
        AluCase{"ori", I(0x0F0, 6), 0x00F, 0, 0x0FF}, AluCase{"andi", I(0x0F0, 7), 0x0FF, 0, 0x0F0},
        AluCase{"slli 31", I(31, 1), 1, 0, kMin}, AluCase{"srli 31", I(31, 5), kMin, 0, 1},
        AluCase{"srai 31", I(0x400 | 31, 5), kMin, 0, 0xFFFFFFFF}, AluCase{"srai 0", I(0x400, 5), kMin, 0, kMin}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST_F(HartTest, WritesToX0AreIgnored) {
  run({rv::addi(0, 0, 5), rv::add(1, 0, 0)}, 2);
  EXPECT_EQ(x(0), 0u);
  EXPECT_EQ(x(1), 0u);
}

TEST_F(HartTest, LuiAuipc) {
  run({rv::lui(1, 0xABCDE), rv::u(0x1, 2, 0x17)}, 2);
  EXPECT_EQ(x(1), 0xABCDE000u);
  EXPECT_EQ(x(2), kBase + 4 + 0x1000);
}

TEST_F(HartTest, LoadsSignAndZeroExtend) {
  bus.put32(kBase + 0x100, 0x8081F0FF);
  hart.set_reg(1, kBase + 0x100);
  run({rv::i(0, 1, 0, 2, 0x03), rv::i(0, 1, 4, 3, 0x03), rv::i(2, 1, 1, 4, 0x03), rv::i(2, 1, 5, 5, 0x03),
       rv::lw(6, 1, 0)},
      5);
  EXPECT_EQ(x(2), 0xFFFFFFFFu);  // lb
  EXPECT_EQ(x(3), 0x000000FFu);  // lbu
  EXPECT_EQ(x(4), 0xFFFF8081u);  // lh
  EXPECT_EQ(x(5), 0x00008081u);  // lhu
  EXPECT_EQ(x(6), 0x8081F0FFu);  // lw
}

TEST_F(HartTest, StoresWriteTheirWidth) {
  bus.put32(kBase + 0x100, 0);
  hart.set_reg(1, kBase + 0x100);
  hart.set_reg(2, 0x11223344);
  run({rv::s(0, 2, 1, 0, 0x23), rv::s(2, 2, 1, 1, 0x23)}, 2);
  EXPECT_EQ(bus.get32(kBase + 0x100), 0x33440044u);
}

TEST_F(HartTest, BranchesSignedAndUnsigned) {
  hart.set_reg(1, 0xFFFFFFFF);  // -1
  hart.set_reg(2, 1);
  // blt -1 < 1 taken (+8); bltu 0xFFFFFFFF < 1 not taken.
  run({rv::b(8, 2, 1, 4), rv::kNop, rv::b(8, 2, 1, 6), rv::addi(5, 0, 1)}, 3);
  EXPECT_EQ(x(5), 1u);
  EXPECT_EQ(hart.pc(), kBase + 16);
}

TEST_F(HartTest, JalAndJalrLinkAndClearBitZero) {
  hart.set_reg(1, kBase + 13);  // jalr target 13 -> 12
  run({rv::j(8, 5), rv::kNop, rv::i(0, 1, 0, 6, 0x67), rv::kNop}, 2);
  EXPECT_EQ(x(5), kBase + 4);
  EXPECT_EQ(x(6), kBase + 12);
  EXPECT_EQ(hart.pc(), kBase + 12);
}

TEST_F(HartTest, MisalignedLoadTrapsWithAddressInTval) {
  modes.csr_write(spec::kCsrVtvec, kBase + 0x200);
  hart.set_reg(1, kBase + 0x101);
  run({rv::lw(2, 1, 0)}, 1);
  EXPECT_EQ(hart.pc(), kBase + 0x200);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseLoadMisaligned);
  EXPECT_EQ(modes.frame(Mode::V).tval, kBase + 0x101);
  EXPECT_EQ(modes.frame(Mode::V).epc, kBase);
  EXPECT_EQ(hart.instret(), 0u);
}

TEST_F(HartTest, MisalignedJumpTargetTraps) {
  modes.csr_write(spec::kCsrVtvec, kBase + 0x200);
  run({rv::j(6, 0)}, 1);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseInsnMisaligned);
  EXPECT_EQ(modes.frame(Mode::V).tval, kBase + 6);
}

TEST_F(HartTest, FenceIMakesStoredCodeVisible) {
  // Store "addi x5, x0, 42" over the nop at +12, fence.i, run into it.
  hart.set_reg(1, kBase);
  hart.set_reg(2, rv::addi(5, 0, 42));
  run({rv::sw(2, 1, 12), rv::kFenceI, rv::kNop, rv::addi(5, 0, 1)}, 4);
  EXPECT_EQ(x(5), 42u);
}

TEST_F(HartTest, ProgramReloadedOverRunCodeRunsTheNewCode) {
  run({rv::addi(5, 0, 1)}, 1);
  hart.set_pc(kBase);
  run({rv::addi(5, 0, 2)}, 1);
  EXPECT_EQ(x(5), 2u);
}

// A loop whose second instruction is patched by the loop itself, after it ran
// once (so it sits decoded in a block): "addi x5, x0, 1" becomes "addi x5, x5, 42".
std::vector<uint32_t> patching_loop(bool fence_i) {
  return {rv::addi(6, 0, 2),                    // 0: two passes
          rv::addi(5, 0, 1),                    // 4: patched
          rv::sw(2, 1, 4),                      // 8: patch it (x1 = kBase, x2 = the new word)
          fence_i ? rv::kFenceI : rv::kNop,     // 12
          rv::addi(6, 6, -1),                   // 16
          rv::b(-16, 0, 6, 1),                  // 20: bne x6, x0, 4
          rv::kNop};
}

TEST_F(HartTest, StoredCodeIsSeenWithFenceI) {
  hart.set_reg(1, kBase);
  hart.set_reg(2, rv::addi(5, 5, 42));
  run(patching_loop(true), 1 + 2 * 5);
  EXPECT_EQ(x(5), 43u);  // 1, then 1 + 42
  EXPECT_EQ(hart.pc(), kBase + 24);
}

TEST_F(HartTest, StoredCodeIsSeenEvenWithoutFenceI) {
  // A store into a page holding decoded code drops the blocks: never stale.
  hart.set_reg(1, kBase);
  hart.set_reg(2, rv::addi(5, 5, 42));
  run(patching_loop(false), 1 + 2 * 5);
  EXPECT_EQ(x(5), 43u);
  EXPECT_EQ(hart.pc(), kBase + 24);
}

TEST_F(HartTest, StoreIntoTheRunningBlockIsSeenAtTheNextInstruction) {
  // The store patches the instruction right after it, inside the same straight line.
  hart.set_reg(1, kBase);
  hart.set_reg(2, rv::addi(5, 0, 7));
  run({rv::sw(2, 1, 4), rv::addi(5, 0, 1), rv::kNop}, 2);
  EXPECT_EQ(x(5), 7u);
  EXPECT_EQ(hart.instret(), 2u);
}

TEST(HartStrictFenceI, ReportsCodeRunStaleWithoutFenceI) {
  // The block engine (untraced) and the interpreter (traced: --trace-insn) alike.
  for (const bool traced : {false, true})
  for (const bool fence_i : {false, true}) {
    SCOPED_TRACE(traced ? "interpreter" : "blocks");
    ModeState modes;
    FlatBus bus(modes, kBase, 0x10000);
    HartConfig config;
    config.strict_fence_i = true;
    Hart hart(bus, modes, config);
    std::vector<Retired> trace;
    if (traced) hart.set_trace(&trace);
    bus.put_program(kBase, patching_loop(fence_i));
    hart.set_pc(kBase);
    hart.set_reg(1, kBase);
    hart.set_reg(2, rv::addi(5, 5, 42));
    const StopReason r = hart.run(1 + 2 * 5);
    if (fence_i) {
      EXPECT_EQ(r, StopReason::kBudget) << hart.fatal_message();
      EXPECT_EQ(hart.reg(5), 43u);
    } else {
      EXPECT_EQ(r, StopReason::kFatal);
      EXPECT_NE(hart.fatal_message().find("stale code"), std::string::npos) << hart.fatal_message();
    }
  }
}

TEST_F(HartTest, BlocksGiveTheSameResultsAsTheTracedInterpreter) {
  // A loop with loads, stores, calls and branches: the block engine (untraced)
  // and the interpreter (traced) agree on registers, memory, pc and counters.
  const std::vector<uint32_t> program = {
      rv::lui(1, 0x80001),    // 0: x1 = kBase + 0x1000 (data)
      rv::addi(2, 0, 10),     // 4: count
      rv::addi(3, 0, 0),      // 8: sum
      rv::sw(2, 1, 0),        // 12: loop: store the count
      rv::lw(4, 1, 0),        // 16: load it back
      rv::add(3, 3, 4),       // 20
      rv::j(8, 7),            // 24: jal x7, +8 (a call)
      rv::kNop,               // 28: never runs
      rv::addi(2, 2, -1),     // 32
      rv::b(-24, 0, 2, 1),    // 36: bne x2, x0, loop
      rv::sw(3, 1, 4),        // 40
      rv::kNop};
  const uint64_t budget = 3 + 10 * 6 + 1;
  run(program, budget);

  ModeState modes2;
  FlatBus bus2(modes2, kBase, 0x10000);
  Hart hart2(bus2, modes2);
  std::vector<Retired> trace;
  hart2.set_trace(&trace);
  hart2.set_pc(kBase);
  bus2.put_program(kBase, program);
  hart2.run(budget);
  for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(hart.reg(r), hart2.reg(r)) << "x" << r;
  EXPECT_EQ(hart.pc(), hart2.pc());
  EXPECT_EQ(hart.cycle(), hart2.cycle());
  EXPECT_EQ(bus.get32(kBase + 0x1004), bus2.get32(kBase + 0x1004));
  EXPECT_EQ(bus.get32(kBase + 0x1004), 55u);
  EXPECT_EQ(trace.size(), budget);
  EXPECT_GT(hart.blocks_translated(), 0u);
}

// One engine's run for the budget sweeps below: its own mode state, bus and hart.
struct EngineRun {
  ModeState modes;
  FlatBus bus{modes, kBase, 0x10000};
  std::unique_ptr<Hart> hart;
};

// Sets up a run (memory, CSRs, pc; `traced` says which engine) before it starts.
using SetUpRun = std::function<void(EngineRun&, bool traced)>;
// A test's own comparisons of the two runs stopped at `budget`.
using CheckRuns = std::function<void(EngineRun& blocks, EngineRun& interp, uint64_t budget)>;

// Runs the program `set_up` prepares with the block engine (untraced) and the
// traced interpreter, for every cycle budget 1..total, each over as many run()
// calls as it takes (traps and exits end a call), and expects the same
// registers, pc, counters and mode; `check` adds the test's own.
void expect_engines_agree_at_every_budget(const SetUpRun& set_up, uint64_t total, const CheckRuns& check) {
  const auto run = [&](bool traced, uint64_t budget, EngineRun& r) {
    r.hart = std::make_unique<Hart>(r.bus, r.modes);
    set_up(r, traced);
    std::vector<Retired> trace;
    if (traced) r.hart->set_trace(&trace);
    for (int calls = 0; calls < 100 && r.hart->cycle() < budget; ++calls) {
      if (r.hart->run(budget - r.hart->cycle()) != StopReason::kBudget) break;
    }
    r.hart->set_trace(nullptr);
  };
  for (uint64_t budget = 1; budget <= total; ++budget) {
    EngineRun blocks, interp;
    run(false, budget, blocks);
    run(true, budget, interp);
    const Hart &b = *blocks.hart, &i = *interp.hart;
    for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(b.reg(r), i.reg(r)) << "x" << r << " budget " << budget;
    EXPECT_EQ(b.pc(), i.pc()) << budget;
    EXPECT_EQ(b.cycle(), i.cycle()) << budget;
    EXPECT_EQ(b.instret(), i.instret()) << budget;
    EXPECT_EQ(blocks.modes.mode(), interp.modes.mode()) << budget;
    check(blocks, interp, budget);
    if (budget == total) {
      EXPECT_GT(b.blocks_translated(), 0u);
    }
  }
}

TEST(HartBlocks, SideExitsAndCsrMicroOpsMatchTheInterpreterAtEveryBudget) {
  // Branches inside a block (side exits, taken and not), CSR reads of the
  // counters inside a block, a CSR write ending one, and a refused CSR access
  // (the interpreter traps): for every budget the block engine stops with the
  // same registers, pc, counters, mode and trap frame as the traced interpreter.
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 7),                        // 0: count
      rv::addi(3, 0, 0),                        // 4: sum
      rv::i(1, 2, 7, 5, 0x13),                  // 8: loop: andi x5, x2, 1
      rv::b(12, 0, 5, 0),                       // 12: beq x5, x0, +12 (even: side exit)
      rv::addi(3, 3, 3),                        // 16
      rv::j(8, 0),                              // 20: j +8
      rv::addi(3, 3, 5),                        // 24
      rv::csrrs(6, spec::kCsrInstret, 0),       // 28: read inside the block
      rv::add(3, 3, 6),                         // 32
      rv::csrrs(7, spec::kCsrCycle, 0),         // 36
      rv::add(3, 3, 7),                         // 40
      rv::csrrw(8, spec::kCsrVscratch, 3),      // 44: a write ends the block
      rv::addi(2, 2, -1),                       // 48
      rv::b(-44, 0, 2, 1),                      // 52: bne x2, x0, loop
      rv::csrrs(9, 0x8FF, 0),                   // 56: no such CSR: illegal instruction
      rv::kNop};
  constexpr uint32_t kVector = kBase + 0x400;
  const auto set_up = [&](EngineRun& r, bool) {
    r.modes.csr_write(spec::kCsrVtvec, kVector);
    r.bus.put_program(kBase, program);
    r.bus.put_program(kVector, {rv::kNop, rv::kNop, rv::kNop, rv::kNop});
    r.hart->set_pc(kBase);
  };
  const uint64_t total = 2 + 7 * 11 + 1 + 1 + 4;  // through the trap and into the vector
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    EXPECT_EQ(blocks.modes.frame(Mode::V).cause, interp.modes.frame(Mode::V).cause) << budget;
    uint32_t s1 = 0, s2 = 0;
    blocks.modes.csr_read(spec::kCsrVscratch, &s1);
    interp.modes.csr_read(spec::kCsrVscratch, &s2);
    EXPECT_EQ(s1, s2) << budget;
    if (budget == total) {
      EXPECT_EQ(blocks.hart->reg(2), 0u);
      EXPECT_EQ(blocks.modes.frame(Mode::V).cause, spec::kCauseIllegalInsn) << "the refused CSR access trapped";
      EXPECT_GE(blocks.hart->pc(), kVector);
    }
  });
}

// Block records (Hart::set_block_records): a bus that keeps, in order, every
// instruction the hart asks the classifier about (decide(), kInsn) or reports
// as run in place by a block (in_place()), as the lockstep checker and the
// waveform writer see them.
struct RecordingBus : FlatBus {
  using FlatBus::FlatBus;
  struct Seen {
    uint32_t pc, insn;
    Mode mode;
    bool operator==(const Seen& o) const { return pc == o.pc && insn == o.insn && mode == o.mode; }
  };
  std::vector<Seen> seen;
  unsigned room = ~0u;      // in_place_room()
  uint64_t in_place_runs = 0, next_cycle = 0, round_runs = 0;  // round_runs: runs with repeat > 1
  bool decide(const DecodeRequest& r, Decision* out, std::string* failure) override {
    if (r.what == DecodeRequest::What::kInsn) seen.push_back({r.pc, r.insn, r.mode});
    return FlatBus::decide(r, out, failure);
  }
  bool reference_decision(const DecodeRequest& r, Decision* out) override { return FlatBus::decide(r, out, nullptr); }
  unsigned in_place_room() override { return room; }
  bool in_place(Mode mode, const IrqLines&, uint64_t, const InPlaceRun* runs, unsigned count,
                std::string*) override {
    EXPECT_GE(count, 1u);
    uint64_t n = 0;
    for (const InPlaceRun* run = runs; run != runs + count; ++run) {
      EXPECT_GE(run->n, 1u);
      EXPECT_GE(run->repeat, 1u);
      ++in_place_runs;
      if (run->repeat > 1) ++round_runs;
      n += uint64_t{run->n} * run->repeat;
      for (unsigned r = 0; r < run->repeat; ++r) {
        for (unsigned k = 0; k < run->n; ++k) {
          seen.push_back({run->pc + 4 * k, run->insn[k], mode});
          EXPECT_EQ(run->row[k], match_row(run->insn[k]));
        }
      }
      EXPECT_NE(run->slices, nullptr) << "the block's slices, made at translation";
      if (run->slices) expect_slices(*run, mode);
    }
    EXPECT_LE(n, room) << "within the room";
    return true;
  }
  // The block's slices (made at translation, for the lockstep checker) hold
  // the run's words and reference decisions, and for a loop's rounds the run's
  // n instructions over and over (a loop branch inside the block: n < len).
  static void expect_slices(const InPlaceRun& run, Mode mode) {
    const RunSlices& s = *run.slices;
    const auto value = [](const uint64_t* slices, unsigned bits, unsigned j) {
      uint32_t v = 0;
      for (unsigned b = 0; b < bits; ++b) v |= static_cast<uint32_t>(slices[b] >> (j % 64) & 1) << b;
      return v;
    };
    for (unsigned k = 0; k < run.n; ++k) {
      ASSERT_EQ(value(s.once, 32, k), run.insn[k]) << "pc " << std::hex << run.pc << " instruction " << k;
      const Decision d = classify_row(run.row[k], mode);
      ASSERT_EQ(value(s.once + 32, RunSlices::kDecBits, k), d.kind);
      // The rest of the decision, which the checker compares with constants: execute, in the block's mode.
      ASSERT_EQ(d.action, spec::Action::kExec);
      ASSERT_EQ(d.target, mode);
    }
    if (run.repeat == 1) return;
    ASSERT_EQ(s.period, run.n);
    for (unsigned j = 0; j < 128; ++j) {
      const uint64_t* half = j < 64 ? s.round[0] : s.round[1];
      ASSERT_EQ(value(half, 32, j), run.insn[j % run.n]) << "pc " << std::hex << run.pc << " round bit " << j;
      ASSERT_EQ(value(half + 32, RunSlices::kDecBits, j), classify_row(run.row[j % run.n], mode).kind);
    }
  }
};

// Runs a program with loops, side exits (one into a block short enough to be
// chained were a pass not stopped at its exit), a load and a store, CSR reads and
// writes and a trap at the end on a traced or co-simulated hart (`traced`: a
// trace, the waveform writer's case; else decide_every_instruction, --cosim's,
// with a batch room of `room`), for every cycle budget 1..total (each over as
// many run() calls as it takes), with block records and with the interpreter
// alone: the same registers, pc, counters, mode, trap frame, the same
// instructions reaching the classifier in the same order, and the same trace
// (block records carry no register values: compared where the interpreter's
// would be used by a waveform, loads and stores, which blocks leave to it).
void expect_records_match_interpreter_at_every_budget(bool traced, unsigned room) {
  constexpr uint32_t kVector = kBase + 0x400, kData = kBase + 0x1000;
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 7),                        // 0: count
      rv::addi(3, 0, 0),                        // 4: sum
      rv::lui(10, kData >> 12),                 // 8
      rv::i(1, 2, 7, 5, 0x13),                  // 12: loop: andi x5, x2, 1
      rv::b(12, 0, 5, 0),                       // 16: beq x5, x0, +12 (even: side exit)
      rv::addi(3, 3, 3),                        // 20
      rv::j(8, 0),                              // 24: j +8
      rv::j(4, 0),                              // 28: a block of one instruction after a side exit
      rv::sw(3, 10, 0),                         // 32
      rv::lw(11, 10, 0),                        // 36
      rv::add(3, 3, 11),                        // 40
      rv::csrrs(6, spec::kCsrInstret, 0),       // 44: a CSR read
      rv::add(3, 3, 6),                         // 48
      rv::csrrw(8, spec::kCsrVscratch, 3),      // 52: a CSR write
      rv::addi(2, 2, -1),                       // 56
      rv::b(-48, 0, 2, 1),                      // 60: bne x2, x0, loop
      rv::csrrs(9, 0x8FF, 0),                   // 64: no such CSR: illegal instruction
      rv::kNop};
  struct Run {
    ModeState modes;
    RecordingBus bus{modes, kBase, 0x10000};
    std::unique_ptr<Hart> hart;
    std::vector<Retired> trace;
  };
  const auto run = [&](bool records, uint64_t budget, Run& r) {
    r.hart = std::make_unique<Hart>(r.bus, r.modes);
    r.bus.room = room;
    r.modes.csr_write(spec::kCsrVtvec, kVector);
    r.bus.put_program(kBase, program);
    r.bus.put_program(kVector, {rv::kNop, rv::kNop, rv::kNop, rv::kNop});
    r.hart->set_pc(kBase);
    r.hart->set_block_records(records);
    if (traced) r.hart->set_trace(&r.trace);
    else r.hart->set_decide_every_instruction(true);
    for (int calls = 0; calls < 100 && r.hart->cycle() < budget; ++calls) {
      if (r.hart->run(budget - r.hart->cycle()) != StopReason::kBudget) break;
    }
  };
  constexpr uint64_t kTotal = 3 + 4 * 12 + 3 * 11 + 1 + 1 + 4;  // through the trap and into the vector
  uint64_t passes = 0;
  for (uint64_t budget = 1; budget <= kTotal; ++budget) {
    Run b, i;
    run(true, budget, b);
    run(false, budget, i);
    const Hart &hb = *b.hart, &hi = *i.hart;
    for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(hb.reg(r), hi.reg(r)) << "x" << r << " budget " << budget;
    EXPECT_EQ(hb.pc(), hi.pc()) << budget;
    EXPECT_EQ(hb.cycle(), hi.cycle()) << budget;
    EXPECT_EQ(hb.instret(), hi.instret()) << budget;
    EXPECT_EQ(b.modes.mode(), i.modes.mode()) << budget;
    EXPECT_EQ(b.modes.frame(Mode::V).cause, i.modes.frame(Mode::V).cause) << budget;
    EXPECT_EQ(b.bus.get32(kData), i.bus.get32(kData)) << budget;
    EXPECT_EQ(hb.history().position(), hi.history().position()) << budget;
    EXPECT_TRUE(b.bus.seen == i.bus.seen) << "the classifier's stream differs at budget " << budget;
    ASSERT_EQ(b.trace.size(), i.trace.size()) << budget;
    for (size_t k = 0; k < b.trace.size(); ++k) {
      const Retired &x = b.trace[k], &y = i.trace[k];
      EXPECT_TRUE(x.what == y.what && x.mode == y.mode && x.pc == y.pc && x.insn == y.insn && x.cycle == y.cycle &&
                  x.access == y.access && x.addr == y.addr && x.cause == y.cause && x.vector == y.vector &&
                  (!x.access || x.value == y.value))
          << "trace record " << k << " budget " << budget;
    }
    passes += b.bus.in_place_runs;
    EXPECT_EQ(i.bus.in_place_runs, 0u);
    if (budget == kTotal) {
      EXPECT_EQ(hb.reg(2), 0u);
      EXPECT_EQ(b.modes.frame(Mode::V).cause, spec::kCauseIllegalInsn) << "the refused CSR access trapped";
      EXPECT_GE(hb.pc(), kVector);
      EXPECT_GT(hb.blocks_translated(), 0u);
    }
  }
  EXPECT_GT(passes, kTotal) << "blocks ran (and reported) instructions";
}

// A jump whose target's block is translated into the slot of the block it
// leaves (the slots are direct-mapped: kBase + 0x100 and kBase + 0x8104 share
// one): the block left is gone, so no link is made from it. run_blocks used to
// link the new block's own taken exit to itself there, and the new block's
// always-taken branch then ran the block again and again instead of going on
// (found as a hypervisor re-entering hv_trap on hostile.json, 2026-12-06).
TEST(HartBlocks, AJumpIntoItsOwnSlotLinksNothingStale) {
  constexpr uint32_t kA = kBase + 0x100, kB = kBase + 0x8104, kC = kB + 0x20;
  const auto set_up = [&](EngineRun& r, bool) {
    r.bus.put_program(kA, {rv::addi(1, 1, 1), rv::j(static_cast<int32_t>(kB - (kA + 4)), 0)});
    // two untaken branches take the side exits, so the third, taken, is the block's taken exit (as in hv_trap)
    r.bus.put_program(kB, {rv::addi(2, 2, 1), rv::b(0x40, 0, 0, 1), rv::b(0x40, 0, 0, 1),
                           rv::b(static_cast<int32_t>(kC - (kB + 12)), 0, 0, 0)});  // bne x0, x0 twice; beq x0, x0, kC
    r.bus.put_program(kC, {rv::addi(3, 3, 1), rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop});
    r.hart->set_pc(kA);
  };
  const uint64_t total = 2 + 4 + 6;
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun&, uint64_t budget) {
    if (budget == total) {
      EXPECT_EQ(blocks.hart->reg(2), 1u) << "kB's block ran once";
      EXPECT_EQ(blocks.hart->reg(3), 1u) << "and its branch went on to kC";
      EXPECT_EQ(blocks.hart->pc(), kC + 4 * 6);
    }
  });
}

TEST(HartBlocks, RecordsMatchTheInterpreterUnderATraceAtEveryBudget) {
  expect_records_match_interpreter_at_every_budget(/*traced=*/true, ~0u);
}

// A check that failed outside an instruction (Hart::fail: a classifier
// failing an interrupt query or a fault's timing) stops a co-simulated run
// before anything else retires, with block records as with the interpreter.
TEST(HartBlocks, RecordsStopAtAFailureSetBetweenInstructions) {
  for (bool records : {false, true}) {
    ModeState modes;
    RecordingBus bus(modes, kBase, 0x10000);
    Hart hart(bus, modes);
    bus.put_program(kBase, {rv::addi(2, 0, 50), rv::addi(3, 3, 1), rv::addi(2, 2, -1), rv::b(-8, 0, 2, 1)});
    hart.set_pc(kBase);
    hart.set_block_records(records);
    hart.set_decide_every_instruction(true);
    ASSERT_EQ(hart.run(20), StopReason::kBudget);
    hart.fail("FAILURE: a check outside an instruction");
    const uint64_t retired = hart.instret();
    EXPECT_EQ(hart.run(20), StopReason::kFatal) << records;
    EXPECT_EQ(hart.instret(), retired) << "nothing retired after the failure; records " << records;
    if (records) {
      EXPECT_GT(bus.in_place_runs, 0u);
    }
  }
}

// A loop whose branch back is a side exit (its block goes on after it): the
// runs of its rounds are shorter than the block, and the block's slices
// (RecordingBus::expect_slices) hold the rounds of those instructions.
TEST(HartBlocks, BlockSlicesHoldTheRoundsOfALoopInsideItsBlock) {
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 9),    // 0: count
      rv::addi(3, 3, 1),    // 4: loop
      rv::addi(2, 2, -1),   // 8
      rv::b(-8, 0, 2, 1),   // 12: bne x2, x0, loop (a side exit: the block goes on)
      rv::addi(4, 0, 1),    // 16
      rv::addi(5, 0, 2)};   // 20
  ModeState modes;
  RecordingBus bus(modes, kBase, 0x10000);
  Hart hart(bus, modes);
  bus.room = 127;
  bus.put_program(kBase, program);
  hart.set_pc(kBase);
  hart.set_block_records(true);
  hart.set_decide_every_instruction(true);
  constexpr uint64_t kTotal = 1 + 9 * 3 + 2;
  EXPECT_EQ(hart.run(kTotal), StopReason::kBudget) << hart.fatal_message();
  EXPECT_EQ(hart.reg(3), 9u);
  EXPECT_EQ(bus.seen.size(), kTotal);
  EXPECT_GE(bus.round_runs, 1u) << "the loop's rounds in one run";
}

TEST(HartBlocks, RecordsMatchTheInterpreterUnderCosimAtEveryBudget) {
  for (unsigned room : {1u, 3u, 15u}) {
    SCOPED_TRACE(room);
    expect_records_match_interpreter_at_every_budget(/*traced=*/false, room);
  }
}

// Runs `program` from kBase with the block engine (untraced) and with the
// traced interpreter, for every cycle budget 1..total, and expects the same
// registers, pc, counters, mode and flow history (the last instructions a
// failure report reconstructs). Returns the block engine's registers at `total`.
// A bus that hands the hart its next slices itself (HartBus::next_slice, as
// the core does at idle quanta's ends): `slice` cycles each, `total` in all.
class SlicingBus : public FlatBus {
 public:
  using FlatBus::FlatBus;
  uint64_t slice = 1, total = 0, granted = 0, grants = 0;
  std::vector<bool> quiet;  // next_slice's `quiet`, by call
  const Hart* hart = nullptr;
  std::vector<std::pair<uint64_t, uint32_t>> seen;  // with `hart`: its cycle and pc, by call
  bool next_slice(uint64_t* cycles, bool was_quiet) override {
    quiet.push_back(was_quiet);
    if (hart) seen.emplace_back(hart->cycle(), hart->pc());
    if (granted >= total) return false;
    *cycles = std::min(slice, total - granted);
    granted += *cycles;
    ++grants;
    return true;
  }
};

// `program` run for `budget` cycles by the block engine and by the
// interpreter: registers, pc, counters and the flow history match. With a
// `slice` (0: none), the block engine's run() gets that many cycles and the
// bus hands it the rest, a slice at a time. Returns the registers.
std::array<uint32_t, 32> expect_blocks_match_interpreter(const std::vector<uint32_t>& program, uint64_t budget,
                                                         uint64_t slice = 0) {
  ModeState m1, m2;
  SlicingBus b1(m1, kBase, 0x10000);
  FlatBus b2(m2, kBase, 0x10000);
  Hart blocks(b1, m1), interp(b2, m2);
  std::vector<Retired> trace;
  interp.set_trace(&trace);
  for (Hart* h : {&blocks, &interp}) h->set_pc(kBase);
  b1.put_program(kBase, program);
  b2.put_program(kBase, program);
  const uint64_t first = slice ? std::min(slice, budget) : budget;
  b1.slice = slice;
  b1.total = budget - first;  // after the first slice, run() asks for the rest
  EXPECT_EQ(blocks.run(first), StopReason::kBudget) << blocks.fatal_message();
  EXPECT_EQ(interp.run(budget), StopReason::kBudget) << interp.fatal_message();
  if (slice) {
    EXPECT_EQ(b1.grants, (budget - 1) / slice) << "one grant per slice's end, slice " << slice;
  }
  const std::string at = " budget " + std::to_string(budget) + " slice " + std::to_string(slice);
  std::array<uint32_t, 32> regs{};
  for (unsigned r = 0; r < 32; ++r) {
    EXPECT_EQ(blocks.reg(r), interp.reg(r)) << "x" << r << at;
    regs[r] = blocks.reg(r);
  }
  EXPECT_EQ(blocks.pc(), interp.pc()) << at;
  EXPECT_EQ(blocks.cycle(), interp.cycle()) << at;
  EXPECT_EQ(blocks.instret(), interp.instret()) << at;
  const auto h1 = blocks.history().reconstruct(blocks.pc(), m1.mode(), 48);
  const auto h2 = interp.history().reconstruct(interp.pc(), m2.mode(), 48);
  EXPECT_EQ(blocks.history().position(), interp.history().position()) << at;
  EXPECT_EQ(h1.size(), h2.size()) << at;
  for (size_t i = 0; i < std::min(h1.size(), h2.size()); ++i) EXPECT_EQ(h1[i].pc, h2[i].pc) << "history line " << i << at;
  EXPECT_GT(blocks.blocks_translated(), 0u);
  return regs;
}

std::array<uint32_t, 32> expect_blocks_match_interpreter_at_every_budget(const std::vector<uint32_t>& program,
                                                                         uint64_t total) {
  std::array<uint32_t, 32> regs{};
  for (uint64_t budget = 1; budget <= total; ++budget) regs = expect_blocks_match_interpreter(program, budget);
  return regs;
}

// The set-up the fused-run and register-copy cases share: DMI up to
// window_end only (when set), V's trap vector at vector_at holding `vector`,
// `program` at kBase.
void put_program_and_vector(EngineRun& r, uint32_t window_end, const std::vector<uint32_t>& program,
                            uint32_t vector_at, const std::vector<uint32_t>& vector) {
  if (window_end) r.bus.dmi_ranges = {{kBase, window_end}};
  r.modes.csr_write(spec::kCsrVtvec, vector_at);
  r.bus.put_program(kBase, program);
  r.bus.put_program(vector_at, vector);
}

// Both engines left the same words in each [from, to) and the same trap frame in V.
void expect_same_memory_and_frame(const EngineRun& blocks, const EngineRun& interp, uint64_t budget,
                                  std::initializer_list<std::pair<uint32_t, uint32_t>> ranges) {
  for (const auto& [from, to] : ranges) {
    for (uint32_t at = from; at < to; at += 4) EXPECT_EQ(blocks.bus.get32(at), interp.bus.get32(at)) << budget;
  }
  EXPECT_EQ(blocks.modes.frame(Mode::V).cause, interp.modes.frame(Mode::V).cause) << budget;
  EXPECT_EQ(blocks.modes.frame(Mode::V).tval, interp.modes.frame(Mode::V).tval) << budget;
  EXPECT_EQ(blocks.modes.frame(Mode::V).epc, interp.modes.frame(Mode::V).epc) << budget;
}

// Runs of sw and lw off one base register (fused in blocks when 10 or more
// long): a store run with a gap in its offsets, a descending load run whose
// last load overwrites its base, a store run that leaves RAM at its third
// store (an access fault there, the first two done), and in the trap's
// vector a store run into the code right after it (self-modifying: each
// patched nop runs patched). `window_end`: the last byte DMI grants (the
// rest over the bus), when set.
void expect_fused_runs_match_the_interpreter(uint32_t window_end) {
  constexpr unsigned kRun = 12;
  std::vector<uint32_t> program = {rv::lui(1, 0x80002)};  // x1 = kBase + 0x2000
  for (unsigned i = 0; i < kRun; ++i) program.push_back(rv::sw(10 + i, 1, 4 * i + (i >= 2 ? 4 : 0)));  // a gap at 8
  for (unsigned i = kRun; i-- > 1;) program.push_back(rv::lw(i == 1 ? 1 : 19 + i, 1, 4 * i + (i >= 2 ? 4 : 0)));  // descending
  program.push_back(rv::lui(2, 0x80010));  // x2 = the end of RAM
  program.push_back(rv::addi(2, 2, -8));
  const uint32_t faulting = kBase + 4 * static_cast<uint32_t>(program.size() + 2);
  for (unsigned i = 0; i < kRun; ++i) program.push_back(rv::sw(10 + i, 2, 4 * i));  // the third: outside RAM
  std::vector<uint32_t> vector = {rv::u(0, 3, 0x17)};  // auipc x3, 0
  for (unsigned i = 0; i < kRun; ++i) vector.push_back(rv::sw(31, 3, 4 * (kRun + 1 + i)));  // patch the nops after it
  vector.resize(vector.size() + kRun + 2, rv::kNop);
  constexpr uint32_t kVector = kBase + 0x400;
  const auto set_up = [&](EngineRun& r, bool) {
    put_program_and_vector(r, window_end, program, kVector, vector);
    for (unsigned i = 10; i < 10 + kRun; ++i) r.hart->set_reg(i, 0x1000u * i + i);
    r.hart->set_reg(31, rv::addi(5, 5, 1));
    r.hart->set_pc(kBase);
  };
  const uint64_t total = (faulting - kBase) / 4 + vector.size();  // the fault, then the vector to its end
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    const auto vector_end = static_cast<uint32_t>(kVector + 4 * vector.size());
    expect_same_memory_and_frame(blocks, interp, budget,
                                 {{kBase + 0x2000, kBase + 0x2000 + 4 * (kRun + 1)}, {kBase + 0xFFF8, kBase + 0x10000}, {kVector, vector_end}});
    if (budget == total) {
      const Hart& h = *blocks.hart;
      EXPECT_EQ(h.reg(19 + kRun - 1), 0x1000u * (10 + kRun - 1) + 10 + kRun - 1);
      EXPECT_EQ(h.reg(21), 0xC00Cu);
      EXPECT_EQ(h.reg(1), 0xB00Bu) << "the last load of the run overwrote its base";
      EXPECT_EQ(blocks.bus.get32(kBase + 0x2008), 0u) << "the gap in the store run's offsets";
      EXPECT_EQ(blocks.bus.get32(kBase + 0xFFFC), 0xB00Bu) << "the stores before the faulting one are done";
      EXPECT_EQ(blocks.modes.frame(Mode::V).cause, spec::kCauseStoreAccessFault);
      EXPECT_EQ(blocks.modes.frame(Mode::V).tval, kBase + 0x10000);
      EXPECT_EQ(blocks.modes.frame(Mode::V).epc, faulting);
      EXPECT_GE(h.reg(5), 1u) << "a patched nop ran patched";
      EXPECT_EQ(h.reg(5), interp.hart->reg(5));
    }
  });
}

TEST(HartBlocks, FusedLoadAndStoreRunsMatchTheInterpreterAtEveryBudget) { expect_fused_runs_match_the_interpreter(0); }

TEST(HartBlocks, FusedRunsStraddlingTheDmiWindowMatchTheInterpreterAtEveryBudget) {
  expect_fused_runs_match_the_interpreter(kBase + 0x201B);  // the store run's last few and the load run's first few over the bus
}

// Register-file copies (a stretch of sw or lw off one base whose registers
// and offsets both step by one word, as a trap frame's save and restore: one
// copy between the registers and memory in blocks): x1 then x3..x31 saved at
// 4r(x2) and restored after x4 and x30 are changed, x2 last from its own slot; a
// load stretch whose last load overwrites its base (x20..x31 off x31, shifted
// by a word); two store runs that are no stretch (a register skipped, an
// offset skipped); a store stretch that leaves RAM at its 17th store (an access
// fault there, the 16 before it done); and in the trap's vector a store
// stretch into the code right after it (self-modifying: each patched nop runs
// patched). `window_end`: the last byte DMI grants (the rest over the bus), when set.
void expect_register_copies_match_the_interpreter(uint32_t window_end) {
  std::vector<uint32_t> program = {rv::lui(2, 0x80002)};  // x2 = kBase + 0x2000
  program.push_back(rv::sw(1, 2, 4));
  for (unsigned r = 3; r < 32; ++r) program.push_back(rv::sw(r, 2, 4 * r));
  program.push_back(rv::sw(2, 2, 8));
  program.push_back(rv::addi(4, 4, 1));
  program.push_back(rv::addi(30, 30, 1));
  program.push_back(rv::lw(1, 2, 4));
  for (unsigned r = 3; r < 32; ++r) program.push_back(rv::lw(r, 2, 4 * r));
  program.push_back(rv::lw(2, 2, 8));
  for (unsigned i = 0; i < 12; ++i) program.push_back(rv::sw(6 + i + (i >= 6), 2, 0x80 + 4 * i));  // no x12: no stretch
  for (unsigned i = 0; i < 12; ++i) program.push_back(rv::sw(6 + i, 2, 0xC0 + 4 * i + (i >= 6 ? 4 : 0)));  // a gap: idem
  program.push_back(rv::lui(31, 0x80002));
  for (unsigned r = 20; r < 32; ++r) program.push_back(rv::lw(r, 31, 4 * r - 4));  // the last overwrites the base
  program.push_back(rv::lui(2, 0x80010));  // x2 = the end of RAM - 64
  program.push_back(rv::addi(2, 2, -64));
  const uint32_t faulting = kBase + 4 * static_cast<uint32_t>(program.size() + 16);
  for (unsigned r = 3; r < 32; ++r) program.push_back(rv::sw(r, 2, 4 * r - 12));  // x19's: outside RAM
  constexpr unsigned kPatches = 12;  // x6..x17
  std::vector<uint32_t> vector = {rv::u(0, 3, 0x17)};  // auipc x3, 0
  for (unsigned r = 6; r < 6 + kPatches; ++r) vector.push_back(rv::sw(r, 3, 4 * (kPatches + 1 + r - 6)));
  vector.resize(vector.size() + kPatches + 2, rv::kNop);
  constexpr uint32_t kVector = kBase + 0x400;
  const auto set_up = [&](EngineRun& r, bool) {
    put_program_and_vector(r, window_end, program, kVector, vector);
    r.hart->set_reg(1, 0x1111u);
    for (unsigned i = 3; i < 32; ++i) r.hart->set_reg(i, rv::addi(5, 5, static_cast<int32_t>(i)));
    r.hart->set_pc(kBase);
  };
  const uint64_t total = (faulting - kBase) / 4 + vector.size();  // the fault, then the vector to its end
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    const auto vector_end = static_cast<uint32_t>(kVector + 4 * vector.size());
    expect_same_memory_and_frame(blocks, interp, budget,
                                 {{kBase + 0x2000, kBase + 0x2100}, {kBase + 0xFFC0, kBase + 0x10000}, {kVector, vector_end}});
    if (budget == total) {
      const Hart& h = *blocks.hart;
      EXPECT_EQ(h.reg(1), 0x1111u);
      EXPECT_EQ(h.reg(4), rv::addi(5, 5, 4)) << "restored: its change after the save undone";
      EXPECT_EQ(h.reg(19), rv::addi(5, 5, 19));
      EXPECT_EQ(h.reg(20), rv::addi(5, 5, 19)) << "the shifted stretch";
      EXPECT_EQ(h.reg(31), rv::addi(5, 5, 30)) << "the last load of the stretch (x30's slot) overwrote its base";
      EXPECT_EQ(blocks.bus.get32(kBase + 0x2008), kBase + 0x2000u) << "x2's own slot";
      EXPECT_EQ(blocks.bus.get32(kBase + 0x207C), rv::addi(5, 5, 31)) << "x31's slot";
      EXPECT_EQ(blocks.bus.get32(kBase + 0xFFFC), rv::addi(5, 5, 18)) << "the stores before the faulting one are done";
      EXPECT_EQ(blocks.modes.frame(Mode::V).cause, spec::kCauseStoreAccessFault);
      EXPECT_EQ(blocks.modes.frame(Mode::V).tval, kBase + 0x10000);
      EXPECT_EQ(blocks.modes.frame(Mode::V).epc, faulting);
      EXPECT_GE(h.reg(5), rv::addi(5, 5, 5) + 6) << "a patched nop ran patched";
      EXPECT_EQ(h.reg(5), interp.hart->reg(5));
    }
  });
}

TEST(HartBlocks, RegisterFileCopiesMatchTheInterpreterAtEveryBudget) { expect_register_copies_match_the_interpreter(0); }

TEST(HartBlocks, RegisterFileCopiesStraddlingTheDmiWindowMatchTheInterpreterAtEveryBudget) {
  expect_register_copies_match_the_interpreter(kBase + 0x2043);  // the save's and restore's x17.. over the bus
}

// Copy loops (a round of one load, a store of what it loaded and additions
// to pointers and counters, closed by a bne back to the round's start: the
// block engine does the rounds after a taken branch at once): words up, bytes
// counted down (sign-extended loads), halves down, a copy onto itself one word
// on (each round stores what the one before loaded: in order), and a copy that
// runs off RAM's end (a fault at its fifth load: the register holds the fourth's).
// `window_end`: the last byte DMI grants (the rest over the bus), when set.
void expect_copy_loops_match_the_interpreter(uint32_t window_end) {
  const auto lb = [](uint32_t rd, uint32_t rs1, int32_t imm) { return rv::i(imm, rs1, 0, rd, 0x03); };
  const auto lhu = [](uint32_t rd, uint32_t rs1, int32_t imm) { return rv::i(imm, rs1, 5, rd, 0x03); };
  const auto sb = [](uint32_t rs2, uint32_t rs1, int32_t imm) { return rv::s(imm, rs2, rs1, 0, 0x23); };
  const auto sh = [](uint32_t rs2, uint32_t rs1, int32_t imm) { return rv::s(imm, rs2, rs1, 1, 0x23); };
  const auto bne = [](uint32_t rs1, uint32_t rs2, int32_t imm) { return rv::b(imm, rs2, rs1, 1); };
  const std::vector<uint32_t> program = {
      rv::lui(10, 0x80002),     // 0: words: x10 = source
      rv::lui(11, 0x80003),     // 4: x11 = destination
      rv::addi(12, 10, 48),     // 8: x12 = the source's end (12 words)
      rv::lw(13, 10, 0),        // 12: loop1
      rv::addi(10, 10, 4),      // 16
      rv::addi(11, 11, 4),      // 20
      rv::sw(13, 11, -4),       // 24: (its base stepped before it)
      bne(10, 12, -16),         // 28: bne x10, x12, loop1 (a side exit: the block goes on)
      rv::lui(16, 0x80002),     // 32: bytes: x16 = source
      rv::lui(17, 0x80004),     // 36: x17 = destination
      rv::addi(18, 0, 23),      // 40: x18 = count
      lb(19, 16, 0),            // 44: loop2
      sb(19, 17, 0),            // 48
      rv::addi(18, 18, -1),     // 52
      rv::addi(17, 17, 1),      // 56
      rv::addi(16, 16, 1),      // 60
      bne(18, 0, -20),          // 64: bne x18, x0, loop2
      rv::lui(20, 0x80002),     // 68: onto itself: x20 = source
      rv::addi(21, 20, 4),      // 72: x21 = destination, a word on
      rv::addi(22, 20, 40),     // 76: x22 = the source's end
      rv::lw(23, 20, 0),        // 80: loop3
      rv::sw(23, 21, 0),        // 84
      rv::addi(20, 20, 4),      // 88
      rv::addi(21, 21, 4),      // 92
      bne(20, 22, -16),         // 96: bne x20, x22, loop3
      rv::lui(24, 0x80002),     // 100: halves down: x24 = source's last
      rv::addi(24, 24, 0x7E),   // 104
      rv::addi(27, 24, -18),    // 108: x27 = the end (9 halves)
      rv::lui(26, 0x80005),     // 112: x26 = destination's last
      lhu(25, 24, 0),           // 116: loop4
      rv::addi(24, 24, -2),     // 120
      sh(25, 26, 0),            // 124
      rv::addi(26, 26, -2),     // 128
      bne(24, 27, -16),         // 132: bne x24, x27, loop4
      rv::lui(29, 0x80010),     // 136: off RAM's end: x29 = source, 4 words before it
      rv::addi(29, 29, -16),    // 140
      rv::lui(28, 0x80006),     // 144: x28 = destination
      rv::addi(30, 29, 32),     // 148: x30 = the source's end (8 words)
      rv::lw(31, 29, 0),        // 152: loop5: the fifth outside RAM
      rv::sw(31, 28, 0),        // 156
      rv::addi(29, 29, 4),      // 160
      rv::addi(28, 28, 4),      // 164
      bne(29, 30, -16),         // 168: bne x29, x30, loop5
      rv::kNop};
  constexpr uint32_t kVector = kBase + 0x400;
  const auto set_up = [&](EngineRun& r, bool) {
    if (window_end) r.bus.dmi_ranges = {{kBase, window_end}};
    r.modes.csr_write(spec::kCsrVtvec, kVector);
    r.bus.put_program(kBase, program);
    r.bus.put_program(kVector, std::vector<uint32_t>(64, rv::kNop));  // (the budget left when the last loop runs)
    for (uint32_t i = 0; i < 64; ++i) r.bus.put32(kBase + 0x2000 + 4 * i, 0x01020304u * (i + 1) ^ (i & 1 ? 0x80808080u : 0));
    for (uint32_t i = 0; i < 4; ++i) r.bus.put32(kBase + 0xFFF0 + 4 * i, 0xA0A0A0A0u + i);
    r.hart->set_pc(kBase);
  };
  const uint64_t total = 3 + 12 * 5 + 3 + 23 * 6 + 3 + 10 * 5 + 4 + 9 * 5 + 4 + 4 * 5 + 2 + 48;  // into the vector
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    for (uint32_t page : {0x2000u, 0x3000u, 0x4000u, 0x5000u - 0x20u, 0x6000u}) {
      for (uint32_t at = kBase + page; at < kBase + page + 0x80 && at < kBase + 0x10000; at += 4) {
        EXPECT_EQ(blocks.bus.get32(at), interp.bus.get32(at)) << std::hex << at << std::dec << " budget " << budget;
      }
    }
    EXPECT_EQ(blocks.modes.frame(Mode::V).cause, interp.modes.frame(Mode::V).cause) << budget;
    EXPECT_EQ(blocks.modes.frame(Mode::V).epc, interp.modes.frame(Mode::V).epc) << budget;
    // The flow history: every loop branch taken, fast-forwarded or not.
    const FlowHistory &f1 = blocks.hart->history(), &f2 = interp.hart->history();
    EXPECT_EQ(f1.position(), f2.position()) << budget;
    const auto h1 = f1.reconstruct(blocks.hart->pc(), blocks.modes.mode(), 48);
    const auto h2 = f2.reconstruct(interp.hart->pc(), interp.modes.mode(), 48);
    EXPECT_EQ(h1.size(), h2.size()) << budget;
    for (size_t i = 0; i < std::min(h1.size(), h2.size()); ++i) EXPECT_EQ(h1[i].pc, h2[i].pc) << "history line " << i << " budget " << budget;
    if (budget == total) {
      const Hart& h = *blocks.hart;
      EXPECT_EQ(blocks.bus.get32(kBase + 0x302C), interp.bus.get32(kBase + 0x202C)) << "the words' last";
      const uint32_t last = (0x01020304u * 6 ^ 0x80808080u) >> 16 & 0xFF;  // byte 22: the sixth word's third
      EXPECT_EQ(h.reg(19), static_cast<uint32_t>(static_cast<int8_t>(last))) << "the bytes' last, sign-extended";
      EXPECT_GE(last, 0x80u);
      EXPECT_EQ(blocks.bus.get32(kBase + 0x2024), 0x01020304u) << "onto itself: the first word everywhere";
      EXPECT_EQ(h.reg(25), interp.hart->reg(25));
      EXPECT_EQ(blocks.bus.get32(kBase + 0x600C), 0xA0A0A0A3u) << "the rounds before the fault are done";
      EXPECT_EQ(h.reg(31), 0xA0A0A0A3u) << "the last load before the fault";
      EXPECT_EQ(blocks.modes.frame(Mode::V).cause, spec::kCauseLoadAccessFault);
      EXPECT_EQ(blocks.modes.frame(Mode::V).epc, kBase + 152);
    }
  });
}

TEST(HartBlocks, CopyLoopsMatchTheInterpreterAtEveryBudget) { expect_copy_loops_match_the_interpreter(0); }

TEST(HartBlocks, CopyLoopsStraddlingTheDmiWindowMatchTheInterpreterAtEveryBudget) {
  expect_copy_loops_match_the_interpreter(kBase + 0x3017);  // the words' destination leaves the window after 6 of them
}

TEST(HartBlocks, LoopBranchesMatchTheInterpreterAtEveryBudget) {
  // One loop per branch kind, each a branch back to its own first instruction
  // (the block engine's loop micro-ops, taken without leaving the block); the
  // first one is a side exit (its block goes on after it), the others close
  // their block.
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 5),          // 0: count
      rv::addi(3, 3, 1),          // 4: loop1 (bne, side exit)
      rv::addi(2, 2, -1),         // 8
      rv::b(-8, 0, 2, 1),         // 12: bne x2, x0, loop1
      rv::addi(8, 0, 1),          // 16
      rv::addi(6, 6, 1),          // 20: loop2 (beq)
      rv::i(4, 6, 2, 7, 0x13),    // 24: slti x7, x6, 4
      rv::b(-8, 8, 7, 0),         // 28: beq x7, x8, loop2
      rv::addi(10, 0, 5),         // 32
      rv::addi(9, 9, 1),          // 36: loop3 (blt)
      rv::b(-4, 10, 9, 4),        // 40: blt x9, x10, loop3
      rv::addi(11, 0, 3),         // 44
      rv::addi(11, 11, -1),       // 48: loop4 (bge, to -1)
      rv::b(-4, 0, 11, 5),        // 52: bge x11, x0, loop4
      rv::addi(13, 0, 4),         // 56
      rv::addi(12, 12, 1),        // 60: loop5 (bltu)
      rv::b(-4, 13, 12, 6),       // 64: bltu x12, x13, loop5
      rv::addi(14, 0, 6),         // 68
      rv::addi(15, 0, 2),         // 72
      rv::addi(14, 14, -1),       // 76: loop6 (bgeu)
      rv::add(16, 16, 14),        // 80
      rv::b(-8, 15, 14, 7),       // 84: bgeu x14, x15, loop6
      rv::lui(20, 0x80000),       // 88: x20 = kBase
      rv::addi(21, 0, 40),        // 92
      rv::addi(21, 21, -1),       // 96: loop7: more turns than the flow history holds
      rv::b(-4, 0, 21, 1),        // 100: bne x21, x0, loop7
      rv::sw(21, 20, 0x200),      // 104: a store into the code's page: the block is left before it
      rv::j(8, 0),                // 108: j +8 (ends the block, so it fits in the budget at the end)
      rv::kNop,                   // 112: never runs
      rv::kNop,                   // 116
      rv::kNop};
  const uint64_t total = 1 + 5 * 3 + 1 + 4 * 3 + 1 + 5 * 2 + 1 + 4 * 2 + 1 + 4 * 2 + 2 + 5 * 3 + 2 + 40 * 2 + 3;
  const auto x = expect_blocks_match_interpreter_at_every_budget(program, total);
  EXPECT_EQ(x[3], 5u);
  EXPECT_EQ(x[6], 4u);
  EXPECT_EQ(x[9], 5u);
  EXPECT_EQ(x[11], ~0u);
  EXPECT_EQ(x[12], 4u);
  EXPECT_EQ(x[14], 1u);
  EXPECT_EQ(x[16], 5u + 4 + 3 + 2 + 1);
  EXPECT_EQ(x[21], 0u);
}

// direct: the bus offers plain storage and direct writes (as the core's
// register buses do), so the block engine's CSR micro-ops write through the
// owner's direct write, side effects (the virtual line) included.
void csr_writes_leave_the_block_only_while_no_line_is_up(bool direct) {
  // A CSR write with no interrupt line up goes on in its block; one that
  // raises a line (vinject), one made while a line is up, and one that lets
  // the pending interrupt in (gstatus.ie in G) leave it for the interrupt
  // check: at every budget the block engine stops where the traced
  // interpreter does, and the interrupt is taken right after the write.
  constexpr uint32_t kG = kBase + 0x100, kGVector = kBase + 0x300, kVVector = kBase + 0x400;
  const std::vector<uint32_t> v_code = {
      rv::addi(1, 0, 1),                    // 0
      rv::csrrw(0, spec::kCsrVscratch, 1),  // 4: no line up: the block goes on
      rv::addi(4, 0, 2),                    // 8
      rv::csrrw(0, spec::kCsrVinject, 1),   // 12: raises the virtual line
      rv::addi(2, 0, 5),                    // 16
      rv::csrrw(0, spec::kCsrVscratch, 2),  // 20: a line is up
      rv::addi(5, 0, 6),                    // 24
      rv::kExit};                           // 28: to G at vepc
  const std::vector<uint32_t> g_code = {
      rv::addi(3, 0, 3),                    // kG
      rv::csrrs(0, spec::kCsrGstatus, 1),   // +4: ie: the virtual interrupt is taken after it
      rv::addi(3, 3, 1),                    // +8: runs only after the handler's exit
      rv::kNop, rv::kNop};
  const auto set_up = [&](EngineRun& r, bool traced) {
    r.modes.csr_write(spec::kCsrVtvec, kVVector);
    r.modes.csr_write(spec::kCsrGtvec, kGVector);
    r.modes.csr_write(spec::kCsrVepc, kG);
    r.modes.csr_write(spec::kCsrVstatus, static_cast<uint32_t>(Mode::G) << spec::kGstatusPmShift);
    r.bus.put_program(kBase, v_code);
    r.bus.put_program(kG, g_code);
    r.bus.put_program(kGVector, std::vector<uint32_t>(8, rv::kNop));
    r.bus.put_program(kVVector, {rv::kNop, rv::kNop, rv::kNop, rv::kNop});
    r.bus.plain_csrs = r.bus.direct_writes = direct;
    if (!traced) r.hart->connect_mode_state();  // the block engine reads the lines in place, the interpreter asks
    r.hart->set_pc(kBase);
  };
  const uint64_t total = 8 + 2 + 8;  // V's code, G's two, the G vector's
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    const ModeState &m1 = blocks.modes, &m2 = interp.modes;
    EXPECT_EQ(m1.frame(Mode::G).cause, m2.frame(Mode::G).cause) << budget;
    EXPECT_EQ(m1.frame(Mode::G).epc, m2.frame(Mode::G).epc) << budget;
    if (budget == total) {
      EXPECT_EQ(m1.mode(), Mode::G);
      EXPECT_EQ(m1.frame(Mode::G).cause >> 31, 1u) << "an interrupt";
      EXPECT_EQ(m1.frame(Mode::G).epc, kG + 8) << "taken right after the gstatus write";
      EXPECT_EQ(blocks.hart->reg(3), 3u);
      EXPECT_GE(blocks.hart->pc(), kGVector);

      EXPECT_EQ(blocks.bus.direct_writes_done > 0, direct);
    }
  });
}

TEST(HartBlocks, CsrWritesStayInTheBlockOnlyWhileNoInterruptLineIsUp) { csr_writes_leave_the_block_only_while_no_line_is_up(false); }

TEST(HartBlocks, DirectCsrWritesLeaveTheBlockAsTransactionsDo) { csr_writes_leave_the_block_only_while_no_line_is_up(true); }


TEST(HartBlocks, PlainCsrsAreAccessedInPlaceAsByTheirBus) {
  // CSRs the bus offers as plain storage (scratch, cause, tval: read and
  // write; epc: reads) are read and written in place by the block engine's
  // CSR micro-ops, every csrr* form: the same registers, CSR values, counters
  // and CSR-write events as the traced interpreter (which goes through
  // csr_read / csr_write) at every budget, with fewer accesses on the bus.
  const std::vector<uint32_t> program = {
      rv::addi(1, 0, 0x55),                  // 0
      rv::addi(2, 0, 3),                     // 4: count
      rv::csrrw(5, spec::kCsrVscratch, 1),   // 8: loop: read and write in place
      rv::csrrs(6, spec::kCsrVscratch, 0),   // 12: a read
      rv::csrrs(7, spec::kCsrVscratch, 2),   // 16: set bits
      rv::csrrc(8, spec::kCsrVcause, 1),     // 20: clear bits
      rv::csrrwi(0, spec::kCsrVtval, 9),     // 24: rd x0: no read
      rv::csrrs(9, spec::kCsrVtval, 0),      // 28
      rv::csrrs(10, spec::kCsrVepc, 0),      // 32: a read in place
      rv::csrrw(11, spec::kCsrVepc, 1),      // 36: a write by csr_write (it aligns)
      rv::csrrsi(12, spec::kCsrVcause, 6),   // 40
      rv::add(3, 3, 7),                      // 44
      rv::addi(1, 1, 7),                     // 48
      rv::addi(2, 2, -1),                    // 52
      rv::b(-48, 0, 2, 1),                   // 56: bne x2, x0, loop
      rv::kNop, rv::kNop, rv::kNop};
  const auto set_up = [&](EngineRun& r, bool) {
    r.bus.plain_csrs = true;
    r.modes.csr_write(spec::kCsrVcause, 0xF0F);
    r.bus.put_program(kBase, program);
    r.hart->set_pc(kBase);
  };
  const uint64_t total = 2 + 3 * 13 + 3;
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    for (uint16_t csr : {spec::kCsrVscratch, spec::kCsrVcause, spec::kCsrVtval, spec::kCsrVepc}) {
      uint32_t v1 = 0, v2 = 0;
      blocks.modes.csr_read(csr, &v1);
      interp.modes.csr_read(csr, &v2);
      EXPECT_EQ(v1, v2) << "csr 0x" << std::hex << csr << std::dec << " budget " << budget;
    }
    const auto writes = [](const EngineRun& r) { return r.hart->timing()[static_cast<unsigned>(spec::Event::kCsrWrite)].count; };
    EXPECT_EQ(writes(blocks), writes(interp)) << budget;
    if (budget == total) {
      EXPECT_EQ(blocks.hart->reg(2), 0u);
      EXPECT_EQ(writes(blocks), 3u * 6);
      EXPECT_GT(blocks.bus.csr_accesses, 0u) << "epc's writes go by csr_write";
      EXPECT_LT(blocks.bus.csr_accesses, interp.bus.csr_accesses / 4) << "the rest in place";
    }
  });
}

// lw of a device register outside every DMI window whose read the bus
// knows (HartBus::known_load, the core's direct reads): the block goes on
// after it, and the read sees the cycle the interpreter's load() sees (the
// device answers address ^ cycle), at every budget. With `readers`, the bus
// also gives the reads as plain functions (HartBus::known_reader) that read
// at the cycle the hart passes, which the hart asks once per address and then calls.
void expect_known_device_loads_match_the_interpreter(bool readers) {
  constexpr uint32_t kDev = kBase + 0x8000;
  const std::vector<uint32_t> program = {
      rv::lui(5, kDev >> 12),   // 0
      rv::addi(2, 0, 4),        // 4: count
      rv::lw(6, 5, 0),          // 8: loop
      rv::add(7, 7, 6),         // 12
      rv::lw(8, 5, 4),          // 16
      rv::add(9, 9, 8),         // 20
      rv::addi(2, 2, -1),       // 24
      rv::b(-20, 0, 2, 1),      // 28: bne x2, x0, loop
      rv::kNop, rv::kNop, rv::kNop};
  const auto set_up = [&](EngineRun& r, bool) {
    r.bus.dmi_ranges = {{kBase, kBase + 0xFFF}};  // the device is reached by the bus only
    const Hart* hart = r.hart.get();
    r.bus.device = [hart](uint32_t addr, unsigned size, uint32_t* v) {
      if (addr < kDev || addr >= kDev + 0x100 || size != 4) return false;
      *v = addr ^ static_cast<uint32_t>(hart->cycle());
      return true;
    };
    r.bus.known_device_loads = true;
    if (readers) r.bus.device_at = [](uint32_t addr, uint64_t cycle) { return addr ^ static_cast<uint32_t>(cycle); };
    r.bus.put_program(kBase, program);
    r.hart->set_pc(kBase);
  };
  const uint64_t total = 2 + 4 * 6 + 3;
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    EXPECT_EQ(interp.bus.known_loads, 0u) << "the interpreter loads by load()";
    if (budget == total) {
      EXPECT_EQ(blocks.hart->reg(2), 0u);
      EXPECT_GE(blocks.bus.known_loads + blocks.bus.reader_reads, 6u) << "the loads after the first pass stay in their block";
      EXPECT_LT(blocks.bus.slow_accesses, interp.bus.slow_accesses);
      if (readers) {
        EXPECT_EQ(blocks.bus.known_loads, 0u) << "by the readers";
        EXPECT_EQ(blocks.bus.reader_asks, 2u) << "one per address";
      }
    }
  });
}

TEST(HartBlocks, KnownDeviceLoadsStayInTheBlockAsTheInterpreterRunsThem) {
  expect_known_device_loads_match_the_interpreter(false);
}

TEST(HartBlocks, KnownDeviceLoadsByTheBusReadersStayInTheBlockAsTheInterpreterRunsThem) {
  expect_known_device_loads_match_the_interpreter(true);
}

TEST(HartBlocks, KnownReadersAreAskedAgainAfterTheyChange) {
  // The readers the hart kept are forgotten when the bus says they changed
  // (known_readers_changed) and when DMI is invalidated: asked again.
  constexpr uint32_t kDev = kBase + 0x8000;
  ModeState modes;
  FlatBus bus(modes, kBase, 0x10000);
  Hart hart(bus, modes);
  bus.dmi_ranges = {{kBase, kBase + 0xFFF}};
  bus.device = [](uint32_t addr, unsigned size, uint32_t* v) {
    if (addr < kDev || addr >= kDev + 0x100 || size != 4) return false;
    *v = addr;
    return true;
  };
  bus.device_at = [](uint32_t addr, uint64_t) { return addr; };
  bus.known_device_loads = true;
  bus.put_program(kBase, {rv::lui(5, kDev >> 12), rv::addi(2, 0, 100), rv::lw(6, 5, 0), rv::addi(2, 2, -1),
                          rv::b(-8, 0, 2, 1), rv::kNop});
  hart.set_pc(kBase);
  hart.run(40);
  EXPECT_EQ(bus.reader_asks, 1u);
  EXPECT_GT(bus.reader_reads, 5u);
  hart.known_readers_changed();
  hart.run(40);
  EXPECT_EQ(bus.reader_asks, 2u) << "asked again after a change";
  hart.invalidate_dmi();
  hart.run(40);
  EXPECT_EQ(bus.reader_asks, 3u) << "asked again after DMI was invalidated";
  EXPECT_EQ(hart.reg(6), kDev);
}

TEST(HartBlocks, InterruptQueriesAreAskedOncePerModeAndLinesUntraced) {
  // V runs with the timer line up and its interrupts off: every CSR write
  // leaves its block for an interrupt check that takes nothing. Untraced
  // (a memoizable classifier, no decision recorded) the query is asked once
  // for the mode and lines; traced, at every check; both end alike.
  struct CountingBus : FlatBus {
    using FlatBus::FlatBus;
    uint64_t irq_queries = 0;
    bool decide(const DecodeRequest& r, Decision* out, std::string* failure) override {
      if (r.what == DecodeRequest::What::kIrqQuery) ++irq_queries;
      return FlatBus::decide(r, out, failure);
    }
  };
  const std::vector<uint32_t> program = {
      rv::addi(1, 0, 5),                   // 0
      rv::csrrw(0, spec::kCsrVscratch, 1),  // 4: loop
      rv::addi(1, 1, -1),                  // 8
      rv::b(-8, 0, 1, 1),                  // 12: bne x1, x0, loop
      rv::kNop, rv::kNop};
  uint64_t queries[2] = {};
  uint32_t pcs[2] = {};
  for (bool traced : {false, true}) {
    ModeState modes;
    CountingBus bus(modes, kBase, 0x10000);
    Hart hart(bus, modes);
    modes.csr_write(spec::kCsrVtimectl, spec::kVtimectlTeMask);
    modes.set_timer_line(true);
    ASSERT_TRUE(modes.irq_lines().timer_pending);
    bus.put_program(kBase, program);
    hart.set_pc(kBase);
    std::vector<Retired> trace;
    if (traced) hart.set_trace(&trace);
    hart.run(1 + 5 * 3 + 2);
    EXPECT_EQ(hart.reg(1), 0u);
    queries[traced] = bus.irq_queries;
    pcs[traced] = hart.pc();
  }
  EXPECT_EQ(pcs[0], pcs[1]);
  EXPECT_EQ(queries[0], 1u) << "untraced: one query for V with these lines";
  EXPECT_GE(queries[1], 6u) << "traced: one per check";
}

TEST(HartBlocks, TrapsAndExitsEndingBlocksMatchTheInterpreterAtEveryBudget) {
  // A block that ends with a word its mode traps (ecall, vcall) and a
  // handler's block that ends with exit: the block engine runs them as system
  // steps with their decode kept and the trap's decision asked once; at every
  // budget it stops with the registers, pc, counters, mode and trap frame of
  // the traced interpreter (which asks the classifier every time).
  constexpr uint32_t kVector = kBase + 0x400;
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 3),         // 0: count
      rv::addi(3, 3, 1),         // 4: loop
      rv::kEcall,                // 8: to V's vector, back at 12
      rv::addi(4, 4, 1),         // 12
      rv::kVcall,                // 16: again, back at 20
      rv::addi(2, 2, -1),        // 20
      rv::b(-20, 0, 2, 1),       // 24: bne x2, x0, loop
      rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop};
  const std::vector<uint32_t> vector = {
      rv::csrrs(5, spec::kCsrVepc, 0),   // the trapping word's pc
      rv::addi(5, 5, 4),
      rv::csrrw(0, spec::kCsrVepc, 5),   // returns past it
      rv::add(6, 6, 5),
      rv::kExit};
  const auto set_up = [&](EngineRun& r, bool) {
    r.modes.csr_write(spec::kCsrVtvec, kVector);
    r.bus.put_program(kBase, program);
    r.bus.put_program(kVector, vector);
    r.hart->set_pc(kBase);
  };
  // Per turn: 4 instructions, two traps (2 cycles each), two handlers (5 instructions, 1 more for exit); then the nops.
  const uint64_t turn = 4 + 2 * (2 + 5 + 1), total = 1 + 3 * turn + 8;
  std::map<uint64_t, uint64_t> decides;  // the block engine's classifier calls, at the end of the second and last turn
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    if (budget == 1 + 2 * turn || budget == 1 + 3 * turn) decides[budget] = blocks.bus.decides;
    EXPECT_EQ(blocks.modes.frame(Mode::V).cause, interp.modes.frame(Mode::V).cause) << budget;
    EXPECT_EQ(blocks.modes.frame(Mode::V).epc, interp.modes.frame(Mode::V).epc) << budget;
    EXPECT_EQ(blocks.modes.exits(), interp.modes.exits()) << budget;
    const auto traps = [](const EngineRun& r) { return r.hart->timing()[static_cast<unsigned>(spec::Event::kTrapV)].count; };
    EXPECT_EQ(traps(blocks), traps(interp)) << budget;
    if (budget == total) {
      EXPECT_EQ(blocks.hart->reg(2), 0u);
      EXPECT_EQ(blocks.hart->reg(4), 3u);
      EXPECT_EQ(traps(blocks), 6u);
      EXPECT_EQ(blocks.modes.exits(), 6u);
      EXPECT_EQ(blocks.hart->reg(6), 3 * ((kBase + 12) + (kBase + 20)));
    }
  });
  EXPECT_EQ(decides[1 + 3 * turn], decides[1 + 2 * turn]) << "the last turn's traps were decided before (the loop's blocks are decoded by then)";
}

TEST(HartBlocks, TrapsAndExitsBetweenModesMatchTheInterpreterAtEveryBudget) {
  // U code in a loop traps to V (vcall) and to G (ecall), each handler
  // returning past the trapping word by exit: the block engine's system steps
  // change the mode both ways (after the first turn, with their decisions
  // kept), and the next block must be the new mode's. At every budget it stops
  // with the traced interpreter's registers, pc, counters, mode and frames.
  constexpr uint32_t kUser = kBase + 0x1000, kVVector = kBase + 0x400, kGVector = kBase + 0x600;
  const std::vector<uint32_t> start = {
      rv::lui(5, kUser >> 12),
      rv::csrrw(0, spec::kCsrVepc, 5),
      rv::csrrw(0, spec::kCsrVstatus, 0),  // pm: U
      rv::kExit};                          // to U at kUser
  const std::vector<uint32_t> user = {
      rv::addi(2, 0, 3),     // 0: count
      rv::addi(3, 3, 1),     // 4: loop
      rv::kVcall,            // 8: to V, back at 12
      rv::addi(4, 4, 1),     // 12
      rv::kEcall,            // 16: to G, back at 20
      rv::addi(2, 2, -1),    // 20
      rv::b(-20, 0, 2, 1),   // 24: bne x2, x0, loop
      rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop};
  const auto handler = [](uint16_t epc, uint32_t counter) {
    return std::vector<uint32_t>{rv::csrrs(5, epc, 0), rv::addi(5, 5, 4), rv::csrrw(0, epc, 5),
                                 rv::addi(counter, counter, 1), rv::kExit};
  };
  const auto set_up = [&](EngineRun& r, bool) {
    r.modes.csr_write(spec::kCsrVtvec, kVVector);
    r.modes.csr_write(spec::kCsrGtvec, kGVector);
    r.bus.put_program(kBase, start);
    r.bus.put_program(kUser, user);
    r.bus.put_program(kVVector, handler(spec::kCsrVepc, 6));
    r.bus.put_program(kGVector, handler(spec::kCsrGepc, 7));
    r.hart->set_pc(kBase);
  };
  uint64_t total = 0;  // the traced interpreter's cycles to the first nop after the loop
  {
    EngineRun r;
    r.hart = std::make_unique<Hart>(r.bus, r.modes);
    set_up(r, true);
    std::vector<Retired> trace;
    r.hart->set_trace(&trace);
    while (r.hart->pc() != kUser + 28 && r.hart->cycle() < 1000) r.hart->run(1);
    total = r.hart->cycle();
    r.hart->set_trace(nullptr);
  }
  ASSERT_LT(total, 1000u);
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    for (Mode m : {Mode::G, Mode::V}) {
      EXPECT_EQ(blocks.modes.frame(m).epc, interp.modes.frame(m).epc) << budget;
      EXPECT_EQ(blocks.modes.frame(m).cause, interp.modes.frame(m).cause) << budget;
    }
    EXPECT_EQ(blocks.modes.exits(), interp.modes.exits()) << budget;
    if (budget == total) {
      EXPECT_EQ(blocks.modes.mode(), Mode::U);
      EXPECT_EQ(blocks.hart->reg(2), 0u);
      EXPECT_EQ(blocks.hart->reg(6), 3u) << "V's handler ran three times";
      EXPECT_EQ(blocks.hart->reg(7), 3u) << "G's handler ran three times";
      EXPECT_EQ(blocks.modes.exits(), 7u);
    }
  });
}

TEST(HartBlocks, TrapEntriesFollowTheVectorWhenItMovesBetweenTraps) {
  // The same ecall traps to a vector each handler moves to the other one:
  // the block engine's link from the trap's system micro-op to the
  // handler's block (kept for the pc it led to) must not take the ecall to
  // the handler it ran last time. At every budget the block engine stops
  // with the interpreter's registers, pc, counters and trap frame.
  constexpr uint32_t kVectorA = kBase + 0x400, kVectorB = kBase + 0x600;
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 4),    // 0: count
      rv::kEcall,           // 4: loop; to vtvec, back at 8
      rv::addi(2, 2, -1),   // 8
      rv::b(-8, 0, 2, 1),   // 12: bne x2, x0, loop
      rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop, rv::kNop,
      rv::kNop, rv::kNop, rv::kNop, rv::kNop};
  const auto handler = [](uint32_t other, uint32_t counter) {
    return std::vector<uint32_t>{
        rv::csrrs(5, spec::kCsrVepc, 0),
        rv::addi(5, 5, 4),
        rv::csrrw(0, spec::kCsrVepc, 5),  // returns past the ecall
        rv::lui(8, other >> 12),
        rv::addi(8, 8, static_cast<int32_t>(other & 0xFFF)),
        rv::csrrw(0, spec::kCsrVtvec, 8),  // the next trap goes to the other handler
        rv::addi(counter, counter, 1),
        rv::kExit};
  };
  const auto set_up = [&](EngineRun& r, bool) {
    r.modes.csr_write(spec::kCsrVtvec, kVectorA);
    r.bus.put_program(kBase, program);
    r.bus.put_program(kVectorA, handler(kVectorB, 6));
    r.bus.put_program(kVectorB, handler(kVectorA, 7));
    r.hart->set_pc(kBase);
  };
  // Per turn: 2 instructions, the trap (2 cycles), the handler (8 instructions, 1 more for exit); then nops.
  const uint64_t turn = 2 + 2 + 8 + 1, total = 1 + 4 * turn + 8;
  expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
    EXPECT_EQ(blocks.modes.frame(Mode::V).epc, interp.modes.frame(Mode::V).epc) << budget;
    EXPECT_EQ(blocks.modes.frame(Mode::V).tvec, interp.modes.frame(Mode::V).tvec) << budget;
    EXPECT_EQ(blocks.modes.exits(), interp.modes.exits()) << budget;
    if (budget == total) {
      EXPECT_EQ(blocks.hart->reg(2), 0u);
      EXPECT_EQ(blocks.hart->reg(6), 2u) << "handler A ran for the first and third traps";
      EXPECT_EQ(blocks.hart->reg(7), 2u) << "handler B for the second and fourth";
      EXPECT_EQ(blocks.modes.exits(), 4u);
    }
  });
}

TEST(HartBlocks, AddiFusedWithItsBranchMatchesTheInterpreterAtEveryBudget) {
  // An addi followed by a branch comparing its result (rs1): one fused
  // micro-op, for every branch kind, as a loop branch (the block runs again)
  // and as a branch to elsewhere (the first pass of each loop, the side exits
  // at the end), taken and not.
  const std::vector<uint32_t> program = {
      rv::addi(3, 0, 5),          // 0
      rv::addi(2, 2, 1),          // 4: L1
      rv::b(-4, 3, 2, 1),         // 8: bne x2, x3, L1
      rv::addi(4, 4, 1),          // 12: L2
      rv::b(-4, 3, 4, 4),         // 16: blt x4, x3, L2
      rv::addi(5, 0, 10),         // 20
      rv::addi(5, 5, -2),         // 24: L3
      rv::b(-4, 0, 5, 5),         // 28: bge x5, x0, L3
      rv::addi(7, 0, 3),          // 32
      rv::addi(6, 6, 1),          // 36: L4
      rv::b(-4, 7, 6, 6),         // 40: bltu x6, x7, L4
      rv::addi(8, 0, 9),          // 44
      rv::addi(8, 8, -3),         // 48: L5
      rv::b(-4, 7, 8, 7),         // 52: bgeu x8, x7, L5
      rv::addi(13, 0, 1),         // 56
      rv::addi(9, 9, 1),          // 60: L6
      rv::i(4, 9, 3, 10, 0x13),   // 64: sltiu x10, x9, 4
      rv::addi(11, 10, 0),        // 68: mv x11, x10
      rv::b(-12, 13, 11, 0),      // 72: beq x11, x13, L6
      rv::addi(14, 0, 1),         // 76
      rv::b(8, 0, 14, 0),         // 80: beq x14, x0, +8 (not taken)
      rv::addi(15, 14, 1),        // 84
      rv::b(8, 14, 15, 1),        // 88: bne x15, x14, +8 (taken)
      rv::addi(16, 0, 99),        // 92: skipped
      rv::addi(17, 7, 0),         // 96: x17 = x7
      rv::b(8, 7, 17, 6),         // 100: bltu x17, x7, +8 (not taken: equal)
      rv::addi(18, 17, 0),        // 104
      rv::j(0, 0),                // 108: spins here
  };
  const auto x = expect_blocks_match_interpreter_at_every_budget(program, 120);
  EXPECT_EQ(x[2], 5u);
  EXPECT_EQ(x[4], 5u);
  EXPECT_EQ(x[5], static_cast<uint32_t>(-2));
  EXPECT_EQ(x[6], 3u);
  EXPECT_EQ(x[8], 0u);
  EXPECT_EQ(x[9], 4u);
  EXPECT_EQ(x[16], 0u);
  EXPECT_EQ(x[18], 3u);
}

TEST(HartBlocks, CallsAndReturnsMatchTheInterpreterAtEveryBudget) {
  // Block exits: direct calls (jal), returns (jalr) to a different caller
  // each time (the exit's one linked target misses and is relinked), a
  // return reached by a jump into the middle of a function (another block
  // ending in the same jalr), an indirect call, side exits not taken and
  // the fall-through after a block's third branch: registers, counters and
  // the flow history (jalr's entries carry their run-time target) match the
  // interpreter at every budget.
  std::vector<uint32_t> program(32, rv::kNop);
  const auto at = [&](uint32_t offset, uint32_t insn) { program[offset / 4] = insn; };
  at(0, rv::addi(10, 0, 3));               // count
  at(4, rv::lui(12, kBase >> 12));         // x12 = kBase
  at(8, rv::j(56, 1));                     // loop: jal ra, f
  at(12, rv::j(52, 1));                    // jal ra, f (another return site)
  at(16, rv::j(64, 1));                    // jal ra, g
  at(20, rv::addi(10, 10, -1));
  at(24, rv::b(-16, 0, 10, 1));            // bne x10, x0, loop
  at(28, rv::i(100, 12, 0, 1, 0x67));      // jalr ra, 100(x12): h
  at(32, rv::addi(14, 0, 7));
  at(36, rv::b(8, 0, 0, 1));               // bne x0, x0: not taken (a side exit)
  at(40, rv::b(8, 0, 14, 0));              // beq x14, x0: not taken (the other side exit)
  at(44, rv::b(8, 0, 14, 4));              // blt x14, x0: not taken, the third branch closes the block
  at(48, rv::addi(15, 0, 1));              // the fall-through's block
  at(52, rv::j(0, 0));                     // spins here
  at(64, rv::addi(11, 11, 1));             // f
  at(68, rv::i(0, 1, 0, 0, 0x67));         // ret
  at(80, rv::addi(11, 11, 2));             // g
  at(84, rv::j(-16, 0));                   // j f's ret
  at(100, rv::addi(13, 13, 5));            // h
  at(104, rv::addi(16, 1, -3));            // x16 = ra - 3
  at(108, rv::i(4, 16, 0, 0, 0x67));       // jalr x0, 4(x16): back to ra + 1, bit 0 cleared
  const uint64_t total = 2 + 3 * (1 + 2 + 1 + 2 + 1 + 1 + 2 + 2) + 1 + 3 + 4 + 1 + 4;
  const auto x = expect_blocks_match_interpreter_at_every_budget(program, total);
  EXPECT_EQ(x[11], 3u * (1 + 1 + 2));
  EXPECT_EQ(x[13], 5u);
  EXPECT_EQ(x[14], 7u);
  EXPECT_EQ(x[15], 1u);
  EXPECT_EQ(x[1], kBase + 32);
}

TEST(HartBlocks, InPlaceOperationsMatchTheInterpreterAtEveryBudget) {
  // Every operation with a two-address micro-op (rd == rs1: written in
  // place), its three-address form beside it, x0 as rd and rs1, and the
  // addi in place fused with the loop branch after it: registers and
  // counters match the interpreter at every budget, over two turns.
  const std::vector<uint32_t> program = {
      rv::lui(1, 0x87654),             // 0
      rv::addi(1, 1, 0x321),           // 4: x1 = 0x87654321
      rv::addi(2, 0, 0x5A5),           // 8
      rv::addi(9, 0, 2),               // 12: two turns
      rv::addi(3, 3, 0x123),           // 16: loop: addi in place
      rv::i(0x0F0, 3, 4, 3, 0x13),     // 20: xori x3, x3, 0xF0
      rv::i(0x700, 3, 6, 3, 0x13),     // 24: ori x3, x3, 0x700
      rv::i(0x7F7, 3, 7, 3, 0x13),     // 28: andi x3, x3, 0x7F7
      rv::addi(4, 1, 0),               // 32: x4 = x1
      rv::i(3, 4, 1, 4, 0x13),         // 36: slli x4, x4, 3
      rv::addi(5, 1, 0),               // 40
      rv::i(5, 5, 5, 5, 0x13),         // 44: srli x5, x5, 5
      rv::addi(6, 1, 0),               // 48
      rv::i(0x400 | 7, 6, 5, 6, 0x13), // 52: srai x6, x6, 7
      rv::add(7, 7, 1),                // 56: add in place
      rv::r(0x20, 2, 7, 0, 7, 0x33),   // 60: sub x7, x7, x2
      rv::r(0, 1, 7, 4, 7, 0x33),      // 64: xor x7, x7, x1
      rv::r(0, 2, 8, 6, 8, 0x33),      // 68: or x8, x8, x2
      rv::r(0, 1, 8, 7, 8, 0x33),      // 72: and x8, x8, x1
      rv::r(0x20, 1, 10, 0, 10, 0x33), // 76: sub x10, x10, x1
      rv::i(4, 1, 5, 11, 0x13),        // 80: srli x11, x1, 4 (three-address)
      rv::r(0, 5, 11, 4, 11, 0x33),    // 84: xor x11, x11, x5
      rv::addi(0, 0, 5),               // 88: addi x0, x0, 5 (x0 stays 0)
      rv::add(12, 0, 0),               // 92: x12 = x0 + x0
      rv::addi(9, 9, -1),              // 96: in place, fused with the branch
      rv::b(-84, 0, 9, 1),             // 100: bne x9, x0, loop
      rv::j(0, 0)};                    // 104: spins here
  const uint64_t total = 4 + 2 * 22 + 3;
  const auto x = expect_blocks_match_interpreter_at_every_budget(program, total);
  EXPECT_EQ(x[4], 0x87654321u << 3);
  EXPECT_EQ(x[5], 0x87654321u >> 5);
  EXPECT_EQ(x[6], static_cast<uint32_t>(static_cast<int32_t>(0x87654321u) >> 7));
  EXPECT_EQ(x[9], 0u);
  EXPECT_EQ(x[12], 0u);
  uint32_t x3 = 0, x7 = 0, x8 = 0, x10 = 0;
  for (int turn = 0; turn < 2; ++turn) {
    x3 = ((((x3 + 0x123) ^ 0xF0) | 0x700) & 0x7F7);
    x7 = ((x7 + 0x87654321u) - 0x5A5) ^ 0x87654321u;
    x8 = (x8 | 0x5A5) & 0x87654321u;
    x10 -= 0x87654321u;
  }
  EXPECT_EQ(x[3], x3);
  EXPECT_EQ(x[7], x7);
  EXPECT_EQ(x[8], x8);
  EXPECT_EQ(x[10], x10);
  EXPECT_EQ(x[11], (0x87654321u >> 4) ^ (0x87654321u >> 5));
}

TEST(HartBlocks, ConstantPairsMatchTheInterpreterAtEveryBudget) {
  // lui or auipc then addi rd, rd, imm (one constant micro-op; the budget can
  // end between the two), pairs that do not fuse (another rd, x0), and a pair
  // whose addi also fuses with the branch after it: registers and counters
  // match the interpreter at every budget, over two turns.
  const std::vector<uint32_t> program = {
      rv::addi(9, 0, 2),               // 0: two turns
      rv::lui(1, 0x12345),             // 4: loop
      rv::addi(1, 1, -0x7FF),          // 8: x1 = 0x12345000 - 0x7FF
      rv::u(0x1, 2, 0x17),             // 12: auipc x2, 1
      rv::addi(2, 2, 0x10),            // 16: x2 = pc + 0x1010
      rv::lui(3, 0xFFFFF),             // 20
      rv::addi(4, 3, 1),               // 24: another rd: not fused
      rv::lui(0, 0x1),                 // 28: lui x0
      rv::addi(0, 0, 1),               // 32: addi x0, x0, 1
      rv::lui(5, 0x80000),             // 36
      rv::addi(5, 5, 5),               // 40: fused with the lui and with the branch
      rv::b(8, 0, 5, 0),               // 44: beq x5, x0, +8 (not taken)
      rv::add(6, 6, 1),                // 48
      rv::lui(7, 0x11111),             // 52
      rv::addi(8, 8, 3),               // 56: in place, but not the lui's rd: not fused
      rv::lui(10, 0x22222),            // 60
      rv::addi(10, 11, 4),             // 64: the lui's rd from another register: not fused
      rv::addi(9, 9, -1),              // 68
      rv::b(-68, 0, 9, 1),             // 72: bne x9, x0, loop
      rv::j(0, 0)};                    // 76: spins here
  const uint64_t total = 1 + 2 * 18 + 3;
  const auto x = expect_blocks_match_interpreter_at_every_budget(program, total);
  EXPECT_EQ(x[1], 0x12345000u - 0x7FFu);
  EXPECT_EQ(x[2], kBase + 12 + 0x1010);
  EXPECT_EQ(x[4], 0xFFFFF001u);
  EXPECT_EQ(x[5], 0x80000005u);
  EXPECT_EQ(x[6], 2 * (0x12345000u - 0x7FFu));
  EXPECT_EQ(x[7], 0x11111000u);
  EXPECT_EQ(x[8], 6u);
  EXPECT_EQ(x[10], 4u);
}

TEST(HartBlocks, SlicesGoOnInsideBlocksAsTheInterpreterRuns) {
  // Slices of every length from 1 to 13 cycles, handed over by the bus where
  // each one ends (mostly inside a block: the block is cut there and goes on
  // when the next slice is granted), against the interpreter running the
  // same cycles at once: loops (fused addi + branch, side exits, more rounds
  // than the flow history keeps), constant pairs cut between their two
  // instructions, chained blocks, loads and stores.
  const std::vector<uint32_t> program = {
      rv::addi(2, 0, 9),          // 0: outer count
      rv::lui(20, 0x80008),       // 4: x20 = kBase + 0x8000 (data)
      rv::lui(5, 0x12345),        // 8: outer: a constant pair
      rv::addi(5, 5, 0x678),      // 12
      rv::addi(6, 0, 7),          // 16
      rv::addi(3, 3, 1),          // 20: inner: x3 counts
      rv::r(0, 3, 4, 4, 4, 0x33), // 24: xor x4, x4, x3
      rv::addi(6, 6, -1),         // 28: fused with its loop branch
      rv::b(-12, 0, 6, 1),        // 32: bne x6, x0, inner
      rv::sw(3, 20, 0),           // 36
      rv::lw(7, 20, 0),           // 40
      rv::add(8, 8, 7),           // 44
      rv::b(8, 0, 4, 0),          // 48: beq x4, x0, +8 (a side exit, rarely taken)
      rv::add(9, 9, 5),           // 52
      rv::addi(2, 2, -1),         // 56
      rv::b(-52, 0, 2, 1),        // 60: bne x2, x0, outer
      rv::addi(10, 0, 40),        // 64
      rv::addi(10, 10, -1),       // 68: more rounds than the flow history keeps
      rv::b(-4, 0, 10, 1),        // 72: bne x10, x0, -4
      rv::j(0, 0)};               // 76: spins here
  const uint64_t total = 2 + 9 * (3 + 7 * 4 + 7) + 1 + 40 * 2 + 15;  // into the spin at the end
  for (uint64_t slice = 1; slice <= 13; ++slice) expect_blocks_match_interpreter(program, total, slice);
}

TEST(HartBlocks, NextSliceIsQuietOnlyWhenTheBlocksTouchedNothingElse) {
  // HartBus::next_slice's `quiet`: a loop of register operations is quiet
  // from its second slice on (its translation came first); the same loop with
  // a CSR access in every round (a counter read, by the bus) never is.
  for (const bool csr : {false, true}) {
    SCOPED_TRACE(csr);
    ModeState m;
    SlicingBus bus(m, kBase, 0x10000);
    Hart hart(bus, m);
    std::vector<uint32_t> program = {rv::addi(3, 3, 1), rv::b(-4, 0, 0, 0)};  // beq x0, x0, -4
    if (csr) program = {rv::addi(3, 3, 1), rv::csrrs(6, spec::kCsrInstret, 0), rv::b(-8, 0, 0, 0)};
    bus.put_program(kBase, program);
    hart.set_pc(kBase);
    bus.slice = 10;
    bus.total = 200;
    EXPECT_EQ(hart.run(10), StopReason::kBudget) << hart.fatal_message();
    ASSERT_EQ(bus.quiet.size(), 21u);  // 20 grants, then the refusal
    EXPECT_FALSE(bus.quiet[0]);        // the blocks were translated in the first slice
    for (size_t i = 1; i < bus.quiet.size(); ++i) EXPECT_EQ(bus.quiet[i], !csr) << "slice " << i;
    EXPECT_EQ(hart.cycle(), 210u);
  }
}

TEST(HartBlocks, NextSliceSeesWhereTheHartIs) {
  // The system's next slice is decided where the hart stands (Core::next_slice
  // reads pc() for its spin check): at each slice's end pc() is the next
  // instruction's, not the one the run began at.
  ModeState m;
  SlicingBus bus(m, kBase, 0x10000);
  Hart hart(bus, m);
  bus.put_program(kBase, {rv::addi(3, 3, 1), rv::addi(4, 4, 1), rv::b(-8, 0, 0, 0)});  // beq x0, x0, -8
  hart.set_pc(kBase);
  bus.hart = &hart;
  bus.slice = 7;
  bus.total = 70;
  EXPECT_EQ(hart.run(7), StopReason::kBudget) << hart.fatal_message();
  ASSERT_GE(bus.seen.size(), 11u);  // 10 grants, then the refusal (inside a block, and again where it leaves)
  EXPECT_EQ(bus.grants, 10u);
  for (const auto& [cycle, pc] : bus.seen) EXPECT_EQ(pc, kBase + 4 * (cycle % 3)) << "at cycle " << cycle;
}

TEST(HartBlocks, LoadsAndStoresMatchTheInterpreterAtEveryBudget) {
  // Every load and store size inside a DMI window whose bounds are not
  // 4-byte aligned (the block engine rounds its start up: the bytes below go
  // through the interpreter), at its ends and just past them (over the bus),
  // and misaligned (emulated as byte accesses, or the first one traps): at
  // every budget the block engine stops with the same registers, counters,
  // memory and number of bus accesses as the traced interpreter, so it never
  // took an access in place that the interpreter takes over the bus.
  static constexpr uint32_t kData = kBase + 0x1000, kLo = kData + 2, kHi = kData + 0xFFD;
  const std::vector<uint32_t> program = {
      rv::lui(1, kData >> 12),       // 0: x1 = kData
      rv::addi(15, 1, 0x7FF),        // 4: x15 = kData + 0x7FF (the window's top end)
      rv::lui(2, 0x12345),           // 8
      rv::addi(2, 2, 0x678),         // 12: x2 = 0x12345678
      rv::addi(20, 0, 2),            // 16: two turns
      rv::sw(2, 1, 4),               // 20: loop: the window's first word
      rv::s(6, 2, 1, 1, 0x23),       // 24: sh x2, 6(x1)
      rv::s(3, 2, 1, 0, 0x23),       // 28: sb x2, 3(x1): below the rounded start
      rv::lw(3, 1, 4),               // 32
      rv::i(6, 1, 1, 4, 0x03),       // 36: lh x4, 6(x1)
      rv::i(2, 1, 5, 5, 0x03),       // 40: lhu x5, 2(x1): the window's first bytes
      rv::i(3, 1, 0, 6, 0x03),       // 44: lb x6, 3(x1)
      rv::i(7, 1, 4, 7, 0x03),       // 48: lbu x7, 7(x1)
      rv::sw(2, 15, 0x7F9),          // 52: 0xFF8(x1): the window's last word
      rv::sw(3, 15, 0x7FD),          // 56: 0xFFC(x1): past its end: over the bus
      rv::lw(8, 15, 0x7FD),          // 60
      rv::i(0x7FB, 15, 5, 9, 0x03),  // 64: lhu x9, 0xFFA(x1): its last halfword
      rv::i(0x7FE, 15, 4, 10, 0x03), // 68: lbu x10, 0xFFD(x1): its last byte
      rv::s(0x7FC, 2, 15, 0, 0x23),  // 72: sb x2, 0xFFB(x1)
      rv::i(0x7FF, 15, 5, 16, 0x03), // 76: lhu x16, 0xFFE(x1): past the end: over the bus
      rv::i(0x7FF, 15, 4, 17, 0x03), // 80: lbu x17, 0xFFE(x1): over the bus
      rv::i(0x10, 1, 0, 14, 0x03),   // 84: lb x14, 0x10(x1)
      rv::s(0x12, 2, 1, 1, 0x23),    // 88: sh x2, 0x12(x1)
      rv::s(0x7FB, 2, 15, 1, 0x23),  // 92: sh x2, 0xFFA(x1)
      rv::lw(11, 1, 6),              // 96: misaligned from here
      rv::i(7, 1, 1, 12, 0x03),      // 100: lh x12, 7(x1)
      rv::sw(2, 1, 0x11),            // 104
      rv::s(0x13, 2, 1, 1, 0x23),    // 108: sh x2, 0x13(x1)
      rv::i(0x13, 1, 5, 13, 0x03),   // 112: lhu x13, 0x13(x1)
      rv::add(2, 2, 3),              // 116
      rv::addi(20, 20, -1),          // 120
      rv::b(-104, 0, 20, 1),         // 124: bne x20, x0, loop
      rv::j(0, 0)};                  // 128: spins here
  constexpr uint32_t kVector = kBase + 0x400;
  for (const bool emulate : {true, false}) {
    const auto set_up = [&](EngineRun& r, bool) {
      HartConfig config;
      config.emulate_misaligned = emulate;
      r.hart = std::make_unique<Hart>(r.bus, r.modes, config);
      r.bus.dmi_ranges = {{kBase, kBase + 0xFFF}, {kLo, kHi}};
      r.modes.csr_write(spec::kCsrVtvec, kVector);
      r.bus.put_program(kBase, program);
      r.bus.put_program(kVector, {rv::j(0, 0)});
      r.hart->set_pc(kBase);
    };
    const uint64_t total = emulate ? 5 + 2 * 27 + 3 : 5 + 19 + 3;
    expect_engines_agree_at_every_budget(set_up, total, [&](EngineRun& blocks, EngineRun& interp, uint64_t budget) {
      EXPECT_EQ(blocks.bus.slow_accesses, interp.bus.slow_accesses) << budget;
      EXPECT_EQ(blocks.modes.frame(Mode::V).cause, interp.modes.frame(Mode::V).cause) << budget;
      for (uint32_t a = kData; a < kData + 0x1000; a += 4) {
        if (blocks.bus.get32(a) != interp.bus.get32(a)) {
          ADD_FAILURE() << "memory at 0x" << std::hex << a << " differs, budget " << std::dec << budget;
          break;
        }
      }
      if (budget == total && emulate) {
        EXPECT_EQ(blocks.hart->reg(20), 0u);
        const uint32_t word = blocks.hart->reg(3);  // the window's first word: the sh wrote its upper half
        EXPECT_EQ(word, blocks.bus.get32(kData + 4));
        EXPECT_EQ(word >> 16, word & 0xFFFF);
        EXPECT_EQ(blocks.hart->reg(11), word & 0xFFFF) << "the misaligned word at 6: bytes 6..9";
      }
      if (budget == total && !emulate) {
        EXPECT_EQ(blocks.modes.frame(Mode::V).cause, spec::kCauseLoadMisaligned);
        EXPECT_EQ(blocks.hart->pc(), kVector);
      }
    });
  }
}

TEST_F(HartTest, BudgetEndsInsideABlockExactly) {
  // Seven straight-line instructions, budgets of 1..7: exactly that many retire.
  for (uint64_t n = 1; n <= 7; ++n) {
    ModeState m;
    FlatBus b(m, kBase, 0x10000);
    Hart h(b, m);
    b.put_program(kBase, {rv::addi(1, 1, 1), rv::addi(1, 1, 1), rv::addi(1, 1, 1), rv::addi(1, 1, 1),
                          rv::addi(1, 1, 1), rv::addi(1, 1, 1), rv::addi(1, 1, 1), rv::kNop});
    h.set_pc(kBase);
    EXPECT_EQ(h.run(n), StopReason::kBudget);
    EXPECT_EQ(h.reg(1), n);
    EXPECT_EQ(h.instret(), n);
    EXPECT_EQ(h.pc(), kBase + 4 * n);
  }
}

TEST_F(HartTest, DeniedDmiIsAskedOncePerPage) {
  // Without DMI every access takes the bus; the denial is remembered, so a
  // device-like access costs one transaction, until the next invalidation.
  bus.dmi_enabled = false;
  run({rv::lui(1, 0x80001), rv::lw(2, 1, 0), rv::lw(3, 1, 4), rv::sw(3, 1, 8), rv::lw(4, 1, 12)}, 5);
  const uint64_t asked = bus.dmi_requests;
  EXPECT_LE(asked, 2u);  // the code's page and the data's page
  hart.invalidate_dmi();
  hart.set_pc(kBase + 4);
  hart.run(1);
  EXPECT_EQ(bus.dmi_requests, asked + 2);  // asked again after the invalidation (fetch, load)
}

TEST(HartTable, EveryRowThatExecutesHasAHandler) {
  // A row that executes in some mode reaches the interpreter's execute(); one
  // without a handler would stop the run as fatal (never fall into CSR handling).
  for (unsigned row = 0; row < spec::kNumRows; ++row) {
    for (unsigned m = 0; m < 3; ++m) {
      if (spec::kRows[row].cell[m].action != spec::Action::kExec) continue;
      EXPECT_TRUE(Hart::has_handler(spec::kRowOp[row])) << spec::kRows[row].name;
    }
  }
  EXPECT_FALSE(Hart::has_handler(spec::Op::kEcall));  // always a trap: no handler, and none needed
}

TEST_F(HartTest, SameResultsWithAndWithoutDmi) {
  const std::vector<uint32_t> program = {rv::lui(1, 0x80000), rv::addi(2, 0, 100), rv::sw(2, 1, 0x400),
                                         rv::lw(3, 1, 0x400), rv::add(4, 3, 3)};
  run(program, program.size());
  const uint32_t with_dmi = x(4);
  EXPECT_GT(hart.dmi_grants(), 0u);
  EXPECT_EQ(bus.slow_accesses, 0u);

  ModeState modes2;
  FlatBus bus2(modes2, kBase, 0x10000);
  bus2.dmi_enabled = false;
  Hart hart2(bus2, modes2);
  hart2.set_pc(kBase);
  bus2.put_program(kBase, program);
  hart2.run(program.size());
  EXPECT_EQ(hart2.reg(4), with_dmi);
  EXPECT_EQ(with_dmi, 200u);
  EXPECT_GT(bus2.slow_accesses, program.size());
}

TEST_F(HartTest, CountersCountCyclesAndRetiredInstructions) {
  run({rv::kNop, rv::kNop, rv::csrrs(1, spec::kCsrInstret, 0), rv::csrrs(2, spec::kCsrCycle, 0)}, 4);
  EXPECT_EQ(x(1), 2u);
  EXPECT_EQ(x(2), 3u);
  bus.time = 0x123456789ull;
  hart.set_pc(kBase);
  run({rv::csrrs(3, spec::kCsrTime, 0), rv::csrrs(4, spec::kCsrTimeh, 0)}, 2);
  EXPECT_EQ(x(3), 0x23456789u);
  EXPECT_EQ(x(4), 1u);
}

TEST_F(HartTest, IllegalInstructionInVTrapsToVInPlace) {
  modes.csr_write(spec::kCsrVtvec, kBase + 0x200);
  run({0xFFFFFFFF}, 1);
  EXPECT_EQ(modes.mode(), Mode::V);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseIllegalInsn);
  EXPECT_EQ(modes.frame(Mode::V).tval, 0xFFFFFFFFu);
}

// A flat bus whose data accesses touching [watch, watch + 4) answer
// Access::kWatch (a debugger's watchpoint), except while `passing`;
// `refused` counts the refusals. Fetches are never watched.
class WatchBus : public FlatBus {
 public:
  using FlatBus::FlatBus;
  uint32_t watch = 0;
  bool passing = false;
  unsigned refused = 0;
  bool watched(Mode, bool, uint32_t addr, unsigned size) override {
    if (passing || !(addr < watch + 4 && watch < addr + size)) return false;
    ++refused;
    return true;
  }
  Access load(Mode m, uint32_t addr, unsigned size, uint32_t* value) override {
    return watched(m, false, addr, size) ? Access::kWatch : FlatBus::load(m, addr, size, value);
  }
  Access store(Mode m, uint32_t addr, unsigned size, uint32_t value) override {
    return watched(m, true, addr, size) ? Access::kWatch : FlatBus::store(m, addr, size, value);
  }
  Access fetch(Mode m, uint32_t pc, uint32_t* insn) override { return FlatBus::load(m, pc, 4, insn); }
};

TEST(HartWatch, AWatchedAccessStopsBeforeItsInstructionInBothEngines) {
  // lw then sw of a watched word (its page over the bus, the code in DMI):
  // each stops the run before the instruction (pc there, its rd or memory
  // untouched, not retired, no cycle, no trace record), and one cycle with
  // the watch passed runs it; the run then goes on. Also misaligned and
  // emulated: a watched byte stops before the first byte is stored.
  constexpr uint32_t kData = kBase + 0x1000;
  const std::vector<uint32_t> program = {
      rv::lui(1, kData >> 12),  // 0: x1 = kData
      rv::addi(2, 0, 7),        // 4
      rv::lw(3, 1, 0),          // 8: watched
      rv::sw(2, 1, 0),          // 12: watched
      rv::addi(4, 0, 1),        // 16
      rv::sw(2, 1, 6),          // 20: misaligned, bytes 6..9: byte 8 is watched
      rv::addi(5, 0, 1),        // 24
      rv::j(0, 0)};             // 28: spins here
  for (const bool traced : {false, true}) {
    SCOPED_TRACE(traced ? "traced interpreter" : "block engine");
    ModeState modes;
    WatchBus bus(modes, kBase, 0x10000);
    bus.dmi_ranges = {{kBase, kBase + 0xFFF}};
    HartConfig config;
    config.emulate_misaligned = true;
    Hart hart(bus, modes, config);
    std::vector<Retired> trace;
    if (traced) hart.set_trace(&trace);
    bus.put_program(kBase, program);
    bus.put32(kData, 0x55);
    bus.put32(kData + 4, 0x11111111);
    bus.put32(kData + 8, 0x22222222);
    hart.set_pc(kBase);
    hart.set_reg(3, 0x33);
    const auto stops_before = [&](uint32_t pc, uint64_t retired) {
      EXPECT_EQ(hart.run(100), StopReason::kWatch) << hart.fatal_message();
      EXPECT_EQ(hart.pc(), pc);
      EXPECT_EQ(hart.instret(), retired);
      EXPECT_EQ(hart.cycle(), retired) << "no cycle charged";
      if (traced) {
        EXPECT_EQ(trace.size(), retired) << "no record";
      }
      EXPECT_EQ(hart.run(100), StopReason::kWatch) << "it stops there again";
      EXPECT_EQ(hart.pc(), pc);
      bus.passing = true;  // as the debugger lets the resumed instruction through
      EXPECT_EQ(hart.run(1), StopReason::kBudget);
      bus.passing = false;
      EXPECT_EQ(hart.pc(), pc + 4);
      EXPECT_EQ(hart.instret(), retired + 1);
    };
    bus.watch = kData;
    stops_before(kBase + 8, 2);
    EXPECT_EQ(hart.reg(3), 0x55u) << "the load ran once resumed";
    EXPECT_EQ(bus.get32(kData), 0x55u);
    stops_before(kBase + 12, 3);
    EXPECT_EQ(bus.get32(kData), 7u) << "the store ran once resumed";
    bus.watch = kData + 8;
    EXPECT_EQ(hart.run(100), StopReason::kWatch);
    EXPECT_EQ(hart.pc(), kBase + 20);
    EXPECT_EQ(hart.reg(4), 1u);
    EXPECT_EQ(bus.get32(kData + 4), 0x11111111u) << "no byte stored before the watched one";
    EXPECT_EQ(bus.get32(kData + 8), 0x22222222u);
    bus.passing = true;
    EXPECT_EQ(hart.run(1), StopReason::kBudget);
    bus.passing = false;
    EXPECT_EQ(bus.get32(kData + 4), 0x00071111u);
    EXPECT_EQ(bus.get32(kData + 8), 0x22220000u);
    EXPECT_EQ(hart.run(1), StopReason::kBudget);
    EXPECT_EQ(hart.reg(5), 1u);
    EXPECT_EQ(hart.pc(), kBase + 28);
    EXPECT_EQ(hart.instret(), 7u);
    EXPECT_EQ(bus.refused, 5u);
    EXPECT_TRUE(hart.fatal_message().empty()) << hart.fatal_message();
  }
}

TEST_F(HartTest, UnreachableVTrapVectorIsFatalNotAHang) {
  modes.csr_write(spec::kCsrVtvec, 0x1000);  // outside RAM
  bus.put_program(kBase, {0xFFFFFFFF});
  hart.set_pc(kBase);
  EXPECT_EQ(hart.run(100), StopReason::kFatal);
  EXPECT_FALSE(hart.fatal_message().empty());
}

}  // namespace
}  // namespace trimode::test

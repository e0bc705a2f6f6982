// What a user reads when something goes wrong: the disassembler generated from
// spec/opcodes.txt, the control-flow history the hart keeps at no cost per
// straight-line instruction, the failure report built from it, and the
// --trace-insn line format.
#include <gtest/gtest.h>

#include "models/core/disasm.hpp"
#include "models/core/report.hpp"
#include "models/state/state_io.hpp"
#include "tests/core/flat_bus.hpp"
#include "tests/core/rv_asm.hpp"

namespace trimode::test {
namespace {

using spec::Mode;
constexpr uint32_t kBase = 0x80000000;
constexpr uint32_t kVVec = kBase + 0x3000;

// Expected texts checked against riscv64-unknown-elf-objdump -M no-aliases
// (which names custom CSRs by number and `exit` as mret).
TEST(Disasm, PrintsLikeObjdumpWithAbiNames) {
  EXPECT_EQ(disassemble(0x00052503, 0), "lw a0, 0(a0)");
  EXPECT_EQ(disassemble(0xfcf72823, 0), "sw a5, -48(a4)");
  EXPECT_EQ(disassemble(0x0062f863, 0x80000028), "bgeu t0, t1, 0x80000038");
  EXPECT_EQ(disassemble(0x00c000ef, 0x80000040), "jal ra, 0x8000004c");
  EXPECT_EQ(disassemble(0x400007b7, 0), "lui a5, 0x40000");
  EXPECT_EQ(disassemble(0xfe010113, 0), "addi sp, sp, -32");
  EXPECT_EQ(disassemble(0x0007c703, 0), "lbu a4, 0(a5)");
  EXPECT_EQ(disassemble(0x5c411173, 0), "csrrw sp, gscratch, sp");
  EXPECT_EQ(disassemble(0x30200073, 0), "exit");
  EXPECT_EQ(disassemble(rv::kEcall, 0), "ecall");
  EXPECT_EQ(disassemble(rv::kVcall, 0), "vcall");
  EXPECT_EQ(disassemble(rv::kFenceI, 0), "fence.i");
  EXPECT_EQ(disassemble(0x0ff0000f, 0), "fence iorw, iorw");  // (the sets were left out)
  EXPECT_EQ(disassemble(0x0330000f, 0), "fence rw, rw");
  EXPECT_EQ(disassemble(0x0120000f, 0), "fence w, r");
  EXPECT_EQ(disassemble(0x0840000f, 0), "fence i, o");
  EXPECT_EQ(disassemble(0x8330000f, 0), "fence.tso");
  EXPECT_EQ(disassemble(0x0000000f, 0), "fence unknown, unknown");
  EXPECT_EQ(disassemble(rv::r(1, 2, 1, 0, 3, 0x33), 0), "mul gp, ra, sp");
  EXPECT_EQ(disassemble(rv::i(0x400 | 31, 1, 5, 3, 0x13), 0), "srai gp, ra, 0x1f");
  EXPECT_EQ(disassemble(rv::i(-4, 1, 0, 0, 0x67), 0), "jalr zero, -4(ra)");
  EXPECT_EQ(disassemble(0xffffffff, 0), "unknown 0xffffffff");
  // CSR instructions on CSRs Trimode lacks (they trap as illegal): named as objdump does
  // (it printed "unknown 0xf14022f3" for a crt0's read of mhartid).
  EXPECT_EQ(disassemble(0xf14022f3, 0), "csrrs t0, mhartid, zero");
  EXPECT_EQ(disassemble(0x3057b073, 0), "csrrc zero, mtvec, a5");
  EXPECT_EQ(disassemble(0x8ff2d573, 0), "csrrwi a0, 0x8ff, 5");
  EXPECT_EQ(disassemble(0x00004073, 0), "unknown 0x4073");  // (funct3 4: no CSR instruction)
  EXPECT_TRUE(is_csr_instruction(0xf14022f3));
  EXPECT_FALSE(is_csr_instruction(rv::kEcall));
  EXPECT_FALSE(is_csr_instruction(0x00004073));
}

TEST(FlowHistory, ReconstructsStraightLineRunsBetweenJumps) {
  FlowHistory h;
  h.jump(0x100, 0x200);  // ... 0x100 jumps to 0x200, runs 0x200..0x208, jumps to 0x300
  h.jump(0x208, 0x300);
  const auto lines = h.reconstruct(0x308, Mode::V, 6);  // 0x300, 0x304 retired; 0x308 next
  std::vector<uint32_t> pcs;
  for (const auto& l : lines) pcs.push_back(l.pc);
  EXPECT_EQ(pcs, (std::vector<uint32_t>{0x100, 0x200, 0x204, 0x208, 0x300, 0x304}));
  EXPECT_EQ(h.reconstruct(0x308, Mode::V, 2).size(), 2u);
  EXPECT_EQ(h.reconstruct(0x308, Mode::V, 2)[0].pc, 0x300u);
  h.start_at(0x300);  // the pc was set from outside: nothing before it is known
  pcs.clear();
  for (const auto& l : h.reconstruct(0x308, Mode::V, 6)) pcs.push_back(l.pc);
  EXPECT_EQ(pcs, (std::vector<uint32_t>{0x300, 0x304})) << "back to where it started, not before";
  EXPECT_TRUE(h.reconstruct(0x2F0, Mode::V, 6).empty());
}

TEST(FlowHistory, StopsWhereThePcWasNotReachedFromTheHistory) {
  FlowHistory h;
  h.jump(0x100, 0x200);
  EXPECT_TRUE(h.reconstruct(0x1F0, Mode::V, 4).empty());  // below the jump's target
}

TEST(FlowHistory, TrapsCarryTheModeThatRanBeforeThem) {
  FlowHistory h;
  h.jump(0x10, 0x20);
  h.event(FlowHistory::Event::kTrap, 0x24, 0x9000, Mode::U, Mode::G, spec::kCauseEcallU, 0x73);
  const auto lines = h.reconstruct(0x9004, Mode::G, 8);
  ASSERT_EQ(lines.size(), 4u);  // 0x10 (jump), 0x20, 0x24 (trapped), 0x9000
  EXPECT_EQ(lines[0].mode, Mode::U);
  EXPECT_EQ(lines[2].pc, 0x24u);
  EXPECT_FALSE(lines[2].retired);
  EXPECT_EQ(lines[2].cause, spec::kCauseEcallU);
  EXPECT_EQ(lines[3].mode, Mode::G);
  EXPECT_TRUE(h.last_trap().valid);
  EXPECT_EQ(h.last_trap().to, Mode::G);
}

// A trap storm (the vector's first instruction traps into the same vector, nothing retiring)
// is one entry with a count: the ring still reaches back to what led to it.
TEST(FlowHistory, ATrapStormIsOneEntryWithItsCount) {
  FlowHistory h;
  h.jump(0x10, 0x20);  // 0x10 jumps to 0x20; 0x20..0x28 run; 0x2c traps into the vector at 0x9000
  h.event(FlowHistory::Event::kTrap, 0x2c, 0x9000, Mode::V, Mode::V, spec::kCauseIllegalInsn, 0);
  for (int i = 0; i < 1000; ++i) {
    h.event(FlowHistory::Event::kTrap, 0x9000, 0x9000, Mode::V, Mode::V, spec::kCauseIllegalInsn, 0);
  }
  EXPECT_EQ(h.position(), 3u) << "the jump, the trap at 0x2c, the vector's trap once";
  const auto lines = h.reconstruct(0x9000, Mode::V, 8);
  std::vector<uint32_t> pcs;
  for (const auto& l : lines) pcs.push_back(l.pc);
  EXPECT_EQ(pcs, (std::vector<uint32_t>{0x10, 0x20, 0x24, 0x28, 0x2c, 0x9000}));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[4].times, 1u);
  EXPECT_FALSE(lines[5].retired);
  EXPECT_EQ(lines[5].times, 1000u);
  // A trap that is not taken at its own vector is an entry of its own, however alike.
  h.event(FlowHistory::Event::kTrap, 0x9000, 0xA000, Mode::V, Mode::V, spec::kCauseIllegalInsn, 0);
  h.event(FlowHistory::Event::kTrap, 0x9000, 0xA000, Mode::V, Mode::V, spec::kCauseIllegalInsn, 0);
  EXPECT_EQ(h.position(), 5u);
  // A different cause at the same vector is, too.
  h.event(FlowHistory::Event::kTrap, 0xA000, 0xA000, Mode::V, Mode::V, spec::kCauseIllegalInsn, 0);
  h.event(FlowHistory::Event::kTrap, 0xA000, 0xA000, Mode::V, Mode::V, spec::kCauseLoadAccessFault, 0);
  EXPECT_EQ(h.position(), 7u);
}

class ReportTest : public ::testing::Test {
 protected:
  ReportTest() : bus(modes, kBase, 0x10000), hart(bus, modes) {
    modes.csr_write(spec::kCsrVtvec, kVVec);
    hart.set_pc(kBase);
  }
  InsnReader reader() {
    return [this](Mode, uint32_t pc, uint32_t* insn) {
      *insn = bus.get32(pc);
      return true;
    };
  }
  ModeState modes;
  FlatBus bus;
  Hart hart;
};

TEST_F(ReportTest, FailureReportShowsTheTrapAndTheInstructionsBeforeIt) {
  bus.put_program(kBase, {rv::addi(1, 0, 1), rv::j(8, 0), rv::kNop, rv::addi(2, 0, 2), 0xffffffff});
  bus.put_program(kVVec, {rv::kNop, rv::kNop});
  hart.run(3 + 2 + 1);  // addi, j, addi; the illegal word (trap entry: 2 cycles); one nop at the vector
  ASSERT_EQ(hart.pc(), kVVec + 4);
  const std::string report = failure_report(hart, reader(), 8);
  EXPECT_NE(report.find("stopped at pc 0x80003004 in V"), std::string::npos) << report;
  EXPECT_NE(report.find("last trap V -> V cause illegal_insn (0x2) at pc 0x80000010 tval 0xffffffff"),
            std::string::npos) << report;
  EXPECT_NE(report.find("V 0x80000004 (0x0080006f)  jal zero, 0x8000000c"), std::string::npos) << report;
  EXPECT_EQ(report.find("0x80000008"), std::string::npos) << "the jumped-over word is not listed\n" << report;
  EXPECT_NE(report.find("unknown 0xffffffff   <- trapped: illegal_insn"), std::string::npos) << report;
  EXPECT_NE(report.find("V 0x80003000 (0x00000013)  addi zero, zero, 0"), std::string::npos) << report;
  EXPECT_NE(report.find("V 0x80000000 (0x00100093)  addi ra, zero, 1"), std::string::npos)
      << "the list reaches back to the entry (set_pc)\n" << report;
}

// A checkpoint keeps the last trap (format version 3): a report after a restore
// names the trap taken before the checkpoint, and lists instructions only from
// the restored pc on (the history before it is not saved).
TEST_F(ReportTest, ARestoredHartReportsTheTrapTakenBeforeItsCheckpoint) {
  bus.put_program(kBase, {rv::addi(1, 0, 1), rv::j(8, 0), rv::kNop, rv::addi(2, 0, 2), 0xffffffff});
  bus.put_program(kVVec, {rv::kNop, rv::kNop, rv::kNop});
  hart.run(3 + 2 + 1);
  StateWriter w;
  hart.save(w);
  const std::vector<uint8_t> saved = w.bytes();
  ModeState modes2;
  FlatBus bus2(modes2, kBase, 0x10000);
  bus2.put_program(kVVec, {rv::kNop, rv::kNop, rv::kNop});
  Hart restored(bus2, modes2);
  restored.set_pc(kBase);  // (as a load does: the history then starts at the entry)
  StateReader r(saved.data(), saved.size());
  restored.restore(r);
  restored.run(1);
  const auto report_of = [](const Hart& h, FlatBus& b) {
    return failure_report(h, [&b](Mode, uint32_t pc, uint32_t* insn) { return *insn = b.get32(pc), true; }, 8);
  };
  const std::string report = report_of(restored, bus2);
  EXPECT_NE(report.find("last trap V -> V cause illegal_insn (0x2) at pc 0x80000010 tval 0xffffffff vector 0x80003000"),
            std::string::npos) << report;
  EXPECT_NE(report.find("last instructions, oldest first:\n    V 0x80003004 (0x00000013)  addi zero, zero, 0\n"),
            std::string::npos) << "from the restored pc on, not from the entry\n" << report;
  EXPECT_EQ(report.find("0x80000000"), std::string::npos) << report;
  // a damaged last-trap field is refused, not shown
  std::vector<uint8_t> bad = saved;
  const size_t flags_at = bad.size() - 5 * 4;  // (the section's last five words: flags, pc, vector, cause, tval)
  bad[flags_at] = 0xFF;
  Hart other(bus2, modes2);
  StateReader rb(bad.data(), bad.size());
  EXPECT_THROW(other.restore(rb), std::exception);
}

// A trap storm's report: the instructions that led to it, then the vector's trapping
// instruction once, with how many times it trapped (the detector's count: the run stops there).
TEST_F(ReportTest, TrapStormReportShowsWhatLedToIt) {
  bus.put_program(kBase, {rv::addi(1, 0, 1), rv::addi(2, 0, 2), 0xffffffff});
  bus.put_program(kVVec, {0xffffffff});  // the vector traps into itself
  EXPECT_EQ(hart.run(1000000), StopReason::kFatal);
  EXPECT_EQ(hart.fatal_message().rfind("trap storm: 10000 traps in a row", 0), 0u) << hart.fatal_message();
  const std::string report = failure_report(hart, reader(), 8);
  EXPECT_NE(report.find("    V 0x80000000 (0x00100093)  addi ra, zero, 1\n"
                        "    V 0x80000004 (0x00200113)  addi sp, zero, 2\n"
                        "    V 0x80000008 (0xffffffff)  unknown 0xffffffff   <- trapped: illegal_insn (0x2) tval 0xffffffff\n"
                        "    V 0x80003000 (0xffffffff)  unknown 0xffffffff   <- trapped: illegal_insn (0x2) tval 0xffffffff, "
                        "10000 times in a row\n"),
            std::string::npos) << report;
  size_t trapped = 0;
  for (size_t at = report.find("<- trapped"); at != std::string::npos; at = report.find("<- trapped", at + 1)) ++trapped;
  EXPECT_EQ(trapped, 2u) << "each trapping instruction once\n" << report;
}

TEST_F(ReportTest, TraceLinesFollowTheDocumentedFormat) {
  Retired r;
  r.mode = Mode::G;
  r.pc = 0x80000010;
  r.insn = 0x00052503;
  r.rd = 10;
  r.value = 5;
  r.access = 'l';
  r.addr = 0x80001000;
  EXPECT_EQ(trace_line(r, false), "G 0x80000010 (0x00052503) x10 0x00000005 load 0x80001000");
  EXPECT_EQ(trace_line(r, true), "G 0x80000010 (0x00052503) x10 0x00000005 load 0x80001000  # lw a0, 0(a0)");
  Retired t;
  t.what = Retired::What::kTrap;
  t.mode = Mode::U;
  t.target = Mode::G;
  t.pc = 0x10;
  t.cause = spec::kCauseEcallU;
  t.tval = 0x73;
  t.vector = 0x80400100;
  EXPECT_EQ(trace_line(t, true),
            "-- trap U -> G cause ecall_u (0x8) at pc 0x00000010 tval 0x00000073 vector 0x80400100");
}

}  // namespace
}  // namespace trimode::test

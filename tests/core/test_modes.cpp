// The three-mode flow on the hart: the seed's chain U -> G -> V -> G -> U,
// kind-1 and kind-2 instructions that never take effect below their owner,
// exit in U, interrupts and the interrupt-enable stack.
#include <gtest/gtest.h>

#include "tests/core/flat_bus.hpp"
#include "tests/core/rv_asm.hpp"

namespace trimode::test {
namespace {

using spec::Mode;
constexpr uint32_t kBase = 0x80000000;
constexpr uint32_t kUCode = kBase + 0x1000;
constexpr uint32_t kGVec = kBase + 0x2000;
constexpr uint32_t kVVec = kBase + 0x3000;

class ModesTest : public ::testing::Test {
 protected:
  ModesTest() : bus(modes, kBase, 0x10000), hart(bus, modes) {
    modes.csr_write(spec::kCsrGtvec, kGVec);
    modes.csr_write(spec::kCsrVtvec, kVVec);
    bus.other_csrs[spec::kCsrVmid] = 0;
    transitions_.clear();
    modes.set_observer([this](const Transition& t) { transitions_.push_back(t); });
  }
  // Enters `mode` at `pc` the way software does: set the saved state, exit.
  void enter(Mode mode, uint32_t pc) {
    modes.csr_write(spec::kCsrVstatus, static_cast<uint32_t>(mode) << spec::kVstatusPmShift);
    modes.csr_write(spec::kCsrVepc, pc);
    bus.put32(kBase, rv::kExit);
    hart.set_pc(kBase);
    hart.run(1);
    ASSERT_EQ(modes.mode(), mode);
    transitions_.clear();
  }

  ModeState modes;
  FlatBus bus;
  Hart hart;
  std::vector<Transition> transitions_;
};

TEST_F(ModesTest, SeedChainUToGToVToGToU) {
  bus.put_program(kUCode, {rv::kEcall, rv::addi(10, 0, 7), rv::j(0, 0)});
  bus.put_program(kGVec, {rv::csrrw(0, spec::kCsrVmid, 5), rv::kExit});  // kind 1 in G: to V
  bus.put_program(kVVec, {rv::csrrs(6, spec::kCsrVepc, 0), rv::addi(6, 6, 4), rv::csrrw(0, spec::kCsrVepc, 6),
                          rv::kExit});
  // G's exit must return after the ecall.
  modes.csr_write(spec::kCsrGstatus, 0);
  enter(Mode::G, kBase + 0x100);
  modes.csr_write(spec::kCsrGstatus, 0);  // pm = U
  bus.put32(kBase + 0x100, rv::kExit);
  modes.csr_write(spec::kCsrGepc, kUCode);
  hart.set_pc(kBase + 0x100);
  hart.run(1);
  ASSERT_EQ(modes.mode(), Mode::U);
  transitions_.clear();

  // Make G's handler advance gepc past the ecall before exiting.
  bus.put_program(kGVec, {rv::csrrw(0, spec::kCsrVmid, 5), rv::csrrs(7, spec::kCsrGepc, 0), rv::addi(7, 7, 4),
                          rv::csrrw(0, spec::kCsrGepc, 7), rv::kExit});
  hart.set_pc(kUCode);
  hart.run(40);

  ASSERT_EQ(transitions_.size(), 4u);
  const Mode expected[4][2] = {{Mode::U, Mode::G}, {Mode::G, Mode::V}, {Mode::V, Mode::G}, {Mode::G, Mode::U}};
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(transitions_[k].from, expected[k][0]) << k;
    EXPECT_EQ(transitions_[k].to, expected[k][1]) << k;
  }
  EXPECT_EQ(transitions_[0].cause, spec::kCauseEcallU);
  EXPECT_EQ(transitions_[0].kind, 2);
  EXPECT_EQ(transitions_[1].cause, spec::kCauseSensitiveInsn);
  EXPECT_EQ(transitions_[1].kind, 1);
  EXPECT_EQ(hart.reg(10), 7u);
  EXPECT_EQ(modes.mode(), Mode::U);
  EXPECT_EQ(bus.other_csrs[spec::kCsrVmid], 0u) << "a kind-1 write from G must not take effect";
}

TEST_F(ModesTest, KindOneInUNeverTakesEffect) {
  bus.other_csrs[spec::kCsrVmid] = 3;
  enter(Mode::U, kUCode);
  hart.set_reg(5, 99);
  bus.put_program(kUCode, {rv::csrrw(6, spec::kCsrVmid, 5)});
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::V);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseSensitiveInsn);
  EXPECT_EQ(modes.frame(Mode::V).tval, rv::csrrw(6, spec::kCsrVmid, 5));
  EXPECT_EQ(modes.frame(Mode::V).pm, Mode::U);
  EXPECT_EQ(bus.other_csrs[spec::kCsrVmid], 3u);
  EXPECT_EQ(hart.reg(6), 0u);
}

TEST_F(ModesTest, KindTwoInUTrapsToGAndNeverTakesEffect) {
  enter(Mode::U, kUCode);
  hart.set_reg(5, 0x1234);
  bus.put_program(kUCode, {rv::csrrw(0, spec::kCsrGscratch, 5)});
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::G);
  EXPECT_EQ(modes.frame(Mode::G).cause, spec::kCausePrivInsn);
  EXPECT_EQ(modes.frame(Mode::G).scratch, 0u);
  EXPECT_EQ(hart.pc(), kGVec);
}

TEST_F(ModesTest, ExitInUIsIllegalAndOwnedByG) {
  enter(Mode::U, kUCode);
  bus.put_program(kUCode, {rv::kExit});
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::G);
  EXPECT_EQ(modes.frame(Mode::G).cause, spec::kCauseIllegalInsn);
}

TEST_F(ModesTest, EcallInGIsIllegalAndOwnedByV) {
  enter(Mode::G, kBase + 0x100);
  bus.put_program(kBase + 0x100, {rv::kEcall});
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::V);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseIllegalInsn);
}

TEST_F(ModesTest, VcallFromUAndGGoesStraightToV) {
  enter(Mode::U, kUCode);
  bus.put_program(kUCode, {rv::kVcall});
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::V);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseVcallU);
  EXPECT_EQ(modes.transitions(Mode::U, Mode::G), 0u);
  enter(Mode::G, kBase + 0x100);
  bus.put_program(kBase + 0x100, {rv::kVcall});
  hart.run(1);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseVcallG);
}

TEST_F(ModesTest, GStatusCannotNameVAsPreviousMode) {
  modes.csr_write(spec::kCsrGstatus, 2u << spec::kGstatusPmShift);
  EXPECT_EQ(modes.frame(Mode::G).pm, Mode::G);
}

TEST_F(ModesTest, VirtualInterruptTakenInUAndInGOnlyWhenEnabled) {
  enter(Mode::U, kUCode);
  bus.put_program(kUCode, {rv::kNop, rv::kNop});
  modes.csr_write(spec::kCsrVinject, 1);
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::G);
  EXPECT_EQ(modes.frame(Mode::G).cause, spec::kCauseIrqVirtual);
  EXPECT_EQ(modes.frame(Mode::G).epc, kUCode);
  // In G with gstatus.ie clear (trap entry cleared it) the interrupt waits.
  bus.put_program(kGVec, {rv::kNop, rv::kNop});
  hart.run(2);
  EXPECT_EQ(hart.pc(), kGVec + 8);
  EXPECT_EQ(modes.transitions(Mode::G, Mode::G), 0u);
}

TEST_F(ModesTest, TimerInterruptDuringNestedTrapAndTheEnableStack) {
  // V enables its interrupts, enters G; G traps to V (vstatus.ie saved into pie, cleared).
  enter(Mode::G, kBase + 0x100);
  modes.csr_write(spec::kCsrVstatus, spec::kVstatusIeMask | (1u << spec::kVstatusPmShift));
  modes.csr_write(spec::kCsrVtimectl, spec::kVtimectlTeMask);
  bus.put_program(kBase + 0x100, {rv::kVcall});
  bus.put_program(kVVec, {rv::kNop, rv::kNop, rv::kExit});
  hart.run(1);
  ASSERT_EQ(modes.mode(), Mode::V);
  EXPECT_FALSE(modes.frame(Mode::V).ie);
  EXPECT_TRUE(modes.frame(Mode::V).pie);
  // The timer fires while V handles the hypercall: masked in V (ie = 0) ...
  modes.set_timer_line(true);
  hart.run(2);
  EXPECT_EQ(hart.pc(), kVVec + 8);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseVcallG);
  // ... exit restores ie from pie and returns to G, where the timer is taken at once
  // (exit costs 1 + exit_cycles, the interrupt entry trap_entry_cycles).
  hart.run(3);
  EXPECT_EQ(modes.mode(), Mode::V);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseIrqTimer);
  EXPECT_EQ(modes.frame(Mode::V).pm, Mode::G);
  EXPECT_EQ(modes.frame(Mode::V).epc, kBase + 0x100);
}

TEST_F(ModesTest, WfiInVWaitsAndInUTrapsToV) {
  bus.put_program(kBase, {rv::kWfi});
  hart.set_pc(kBase);
  EXPECT_EQ(hart.run(5), StopReason::kWfi);
  EXPECT_EQ(hart.pc(), kBase + 4);
  enter(Mode::U, kUCode);
  bus.put_program(kUCode, {rv::kWfi});
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::V);
  EXPECT_EQ(modes.frame(Mode::V).cause, spec::kCauseSensitiveInsn);
}

TEST_F(ModesTest, URelocationFaultIsOwnedByG) {
  enter(Mode::U, 0x100);
  bus.u_base = kBase + 0x4000;
  bus.u_bound = 0x1000;
  bus.put_program(kBase + 0x4100, {rv::lw(1, 0, 0x7FC), rv::i(0x800, 0, 2, 2, 0x03)});
  bus.put32(kBase + 0x47FC, 77);
  hart.set_pc(0x100);
  hart.run(1);
  EXPECT_EQ(hart.reg(1), 77u);
  hart.set_reg(3, 0x1000);
  bus.put32(kBase + 0x4104, rv::lw(2, 3, 0));  // one past the bound
  hart.run(1);
  EXPECT_EQ(modes.mode(), Mode::G);
  EXPECT_EQ(modes.frame(Mode::G).cause, spec::kCauseLoadAccessFault);
  EXPECT_EQ(modes.frame(Mode::G).tval, 0x1000u);
}

}  // namespace
}  // namespace trimode::test

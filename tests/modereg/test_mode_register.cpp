// The ModeRegister block alone, in one SystemC elaboration: a probe's
// sc_port<ModeIf> on its `control` export (the core's side), a test initiator
// on its CSR socket, and a signal on its timer line. Test bodies run inside a
// SystemC thread (tests/tlm/harness.hpp); each sets up what it relies on, so
// it passes alone (ctest runs one per process) or after the others.
#include <gtest/gtest.h>

#include <cstring>

#include "models/modereg/mode_register.hpp"
#include "tests/tlm/harness.hpp"

namespace trimode {
namespace {

using spec::Mode;
using sc_core::sc_time;
using sc_core::SC_NS;
using tlm_::test::Initiator;

constexpr uint32_t kGVec = 0x80002000;
constexpr uint32_t kVVec = 0x80003000;

struct Probe : sc_core::sc_module {
  sc_core::sc_port<ModeIf> modes{"modes"};
  explicit Probe(sc_core::sc_module_name n) : sc_module(n) {}
};

struct Bench {
  ModeRegister modereg{"modereg"};
  Probe core{"core"};
  Initiator csr{"csr"};
  sc_core::sc_signal<bool> timer{"timer"};
  std::vector<Transition> seen;
  Bench() {
    core.modes.bind(modereg.control);
    csr.out.bind(modereg.csr);
    modereg.timer_irq.bind(timer);
    modereg.add_observer([this](const Transition& t) { seen.push_back(t); });
  }
};
Bench* b;

uint32_t read_csr(uint16_t n) {
  sc_time d = sc_core::SC_ZERO_TIME;
  return b->csr.read32(n, d);
}
tlm::tlm_response_status write_csr(uint16_t n, uint32_t v) {
  sc_time d = sc_core::SC_ZERO_TIME;
  return b->csr.write32(n, v, d);
}

TEST(ModeRegister, ResetsInVWithNoInterruptLine) {
  EXPECT_EQ(b->core.modes->mode(), Mode::V);
  const IrqLines l = b->core.modes->irq_lines();
  EXPECT_FALSE(l.timer_pending || l.virtual_pending || l.v_ie || l.g_ie);
}

TEST(ModeRegister, TrapVectorsAreWrittenThroughTheCsrSocket) {
  ASSERT_EQ(write_csr(spec::kCsrGtvec, kGVec), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(write_csr(spec::kCsrVtvec, kVVec | 3), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b->core.modes->trap_vector(Mode::G), kGVec);
  EXPECT_EQ(b->core.modes->trap_vector(Mode::V), kVVec) << "aligned";
}

void set_vectors() {
  ASSERT_EQ(write_csr(spec::kCsrGtvec, kGVec), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(write_csr(spec::kCsrVtvec, kVVec), tlm::TLM_OK_RESPONSE);
}

TEST(ModeRegister, TrapEntryAndExitThroughTheControlPortSaveAndRestore) {
  set_vectors();
  ASSERT_EQ(b->core.modes->mode(), Mode::V);
  b->seen.clear();
  const uint64_t g_to_v = b->modereg.state().transitions(Mode::G, Mode::V);
  const uint64_t exits = b->modereg.state().exits();
  // V -> G (as a guest entry would), then an ecall-like trap G -> V, then back.
  EXPECT_EQ(b->core.modes->enter(Mode::G, 2, spec::kCauseEcallU, 0x73, 0x80000100), kGVec);
  EXPECT_EQ(b->core.modes->mode(), Mode::G);
  EXPECT_EQ(read_csr(spec::kCsrGepc), 0x80000100u);
  EXPECT_EQ(read_csr(spec::kCsrGcause), spec::kCauseEcallU);
  EXPECT_EQ(read_csr(spec::kCsrGtval), 0x73u);
  EXPECT_EQ(b->core.modes->enter(Mode::V, 1, spec::kCauseSensitiveInsn, 0x1234, kGVec + 8), kVVec);
  EXPECT_EQ(read_csr(spec::kCsrVepc), kGVec + 8);
  EXPECT_EQ(b->core.modes->exit(kVVec + 4), kGVec + 8);
  EXPECT_EQ(b->core.modes->mode(), Mode::G);
  EXPECT_EQ(b->core.modes->exit(kGVec + 12), 0x80000100u);
  EXPECT_EQ(b->core.modes->mode(), Mode::V);
  ASSERT_EQ(b->seen.size(), 4u) << "observers see every transition";
  EXPECT_FALSE(b->seen[0].is_exit);
  EXPECT_EQ(b->seen[1].from, Mode::G);
  EXPECT_EQ(b->seen[1].to, Mode::V);
  EXPECT_TRUE(b->seen[3].is_exit);
  EXPECT_EQ(b->modereg.state().transitions(Mode::G, Mode::V) - g_to_v, 2u) << "the trap and G's exit";
  EXPECT_EQ(b->modereg.state().exits() - exits, 2u);
}

TEST(ModeRegister, TheTimerLineIsAnInputGatedByTimerEnable) {
  b->timer.write(true);
  sc_core::wait(sc_core::SC_ZERO_TIME);
  EXPECT_FALSE(b->core.modes->irq_lines().timer_pending) << "vtimectl.te is 0";
  EXPECT_EQ(read_csr(spec::kCsrVtimectl), spec::kVtimectlTpMask);
  ASSERT_EQ(write_csr(spec::kCsrVtimectl, spec::kVtimectlTeMask), tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(b->core.modes->irq_lines().timer_pending);
  b->timer.write(false);
  sc_core::wait(sc_core::SC_ZERO_TIME);
  EXPECT_FALSE(b->core.modes->irq_lines().timer_pending);
}

TEST(ModeRegister, TheWakeEventFiresWhenTheTimerLineRises) {
  ASSERT_EQ(write_csr(spec::kCsrVtimectl, spec::kVtimectlTeMask), tlm::TLM_OK_RESPONSE);
  const sc_time start = sc_core::sc_time_stamp();
  sc_core::sc_event raise;
  raise.notify(sc_time(50, SC_NS));
  sc_core::wait(raise);
  b->timer.write(true);
  sc_core::wait(b->core.modes->wake_event());
  EXPECT_EQ(sc_core::sc_time_stamp() - start, sc_time(50, SC_NS));
  sc_core::wait(sc_core::SC_ZERO_TIME);  // the line's own process runs in the same delta
  EXPECT_TRUE(b->core.modes->irq_lines().timer_pending);
  b->timer.write(false);
  sc_core::wait(sc_core::SC_ZERO_TIME);
}

TEST(ModeRegister, InjectionAndInterruptEnablesShowOnTheLines) {
  ASSERT_EQ(write_csr(spec::kCsrVinject, spec::kVinjectViMask), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(write_csr(spec::kCsrGstatus, spec::kGstatusIeMask), tlm::TLM_OK_RESPONSE);
  const IrqLines l = b->core.modes->irq_lines();
  EXPECT_TRUE(l.virtual_pending);
  EXPECT_TRUE(l.g_ie);
  EXPECT_FALSE(l.v_ie);
  ASSERT_EQ(write_csr(spec::kCsrGip, 0), tlm::TLM_OK_RESPONSE);
  EXPECT_FALSE(b->core.modes->irq_lines().virtual_pending);
}

TEST(ModeRegister, TheCsrSocketRefusesWhatIsNotAFourByteCsrAccess) {
  set_vectors();
  uint32_t v = 0;
  sc_time d = sc_core::SC_ZERO_TIME;
  EXPECT_EQ(b->csr.transport(tlm::TLM_READ_COMMAND, spec::kCsrVmid, &v, 4, d), tlm::TLM_ADDRESS_ERROR_RESPONSE)
      << "the memory controller's CSR";
  EXPECT_EQ(b->csr.transport(tlm::TLM_READ_COMMAND, spec::kCsrGepc, &v, 2, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b->csr.transport(tlm::TLM_READ_COMMAND, 0x1000, &v, 4, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b->csr.debug(tlm::TLM_READ_COMMAND, spec::kCsrVtvec, &v, 4), 4u);
  EXPECT_EQ(v, kVVec);
}

// Direct access on the CSR socket: the plain registers are the ModeState's
// own storage (what trap entry writes, a direct read sees; what a direct write
// stores, a transaction reads), status, epc and tvec for reads; the others are
// denied and keep their effects.
TEST(ModeRegister, DirectAccessReachesTheTrapStateAndOnlyPlainRegisters) {
  set_vectors();
  tlm::tlm_dmi d;
  ASSERT_TRUE(b->csr.dmi(spec::kCsrGscratch, d));
  EXPECT_TRUE(d.is_read_write_allowed());
  const uint32_t v = 0x12345678;
  std::memcpy(d.get_dmi_ptr(), &v, 4);
  EXPECT_EQ(read_csr(spec::kCsrGscratch), v);
  EXPECT_EQ(b->modereg.state().frame(Mode::G).scratch, v);
  ASSERT_TRUE(b->csr.dmi(spec::kCsrGepc, d));
  EXPECT_TRUE(d.is_read_allowed());
  EXPECT_FALSE(d.is_write_allowed()) << "epc writes are aligned: by transaction";
  ASSERT_EQ(b->core.modes->mode(), Mode::V);
  b->core.modes->exit(0);  // V -> V's pm (reset: U)
  const uint32_t vector = b->core.modes->enter(Mode::G, 3, 8, 0, 0x1234);
  EXPECT_EQ(vector, kGVec);
  uint32_t epc = 0;
  std::memcpy(&epc, d.get_dmi_ptr(), 4);
  EXPECT_EQ(epc, 0x1234u) << "trap entry's epc, seen through the pointer";
  ASSERT_TRUE(b->csr.dmi(spec::kCsrGstatus, d));
  EXPECT_TRUE(d.is_read_allowed());
  EXPECT_FALSE(d.is_write_allowed()) << "status writes are WARL: by transaction";
  uint32_t status = 0;
  std::memcpy(&status, d.get_dmi_ptr(), 4);
  EXPECT_EQ(status, read_csr(spec::kCsrGstatus)) << "trap entry's status, seen through the pointer";
  EXPECT_EQ((status & spec::kGstatusPmMask) >> spec::kGstatusPmShift,
            static_cast<uint32_t>(b->modereg.state().frame(Mode::G).pm));
  EXPECT_EQ(status & spec::kGstatusIeMask, 0u) << "interrupts off after the entry";
  for (uint16_t csr : {spec::kCsrGip, spec::kCsrVtimectl, spec::kCsrVinject}) {
    EXPECT_FALSE(b->csr.dmi(csr, d)) << "csr 0x" << std::hex << csr << " has side effects";
  }
  b->core.modes->exit(0);  // back to U
  b->core.modes->enter(Mode::V, 0, 0, 0, 0);  // and to V, where the other tests start
}

}  // namespace
}  // namespace trimode

int sc_main(int argc, char** argv) {
  return trimode::tlm_::test::run_tests_in_systemc(argc, argv, [] { trimode::b = new trimode::Bench(); });
}

#include <gtest/gtest.h>

#include "tests/tlm/harness.hpp"
#include "tlm/devices/clint.hpp"

namespace trimode::tlm_ {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::wait;
using test::Initiator;

const sc_time kTick(100, SC_NS);
const sc_time kLatency(2, SC_NS);

struct Bench {
  Initiator init{"init"};
  Clint clint{"clint", ClintConfig{kLatency, kTick}};
  sc_core::sc_signal<bool> irq{"irq"};
  sc_core::sc_signal<bool> soft_irq{"soft_irq"};
  // Never written by any test, for the reset state; soft_irq left unbound.
  Initiator fresh_init{"fresh_init"};
  Clint fresh{"fresh", ClintConfig{kLatency, kTick}};
  sc_core::sc_signal<bool> fresh_irq{"fresh_irq"};
  Bench() {
    init.out.bind(clint.in);
    clint.irq.bind(irq);
    clint.soft_irq.bind(soft_irq);
    fresh_init.out.bind(fresh.in);
    fresh.irq.bind(fresh_irq);
  }
};
Bench* bench = nullptr;

uint64_t read64(uint64_t addr, sc_time& delay) {
  uint64_t value = 0;
  EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, addr, &value, 8, delay),
            tlm::TLM_OK_RESPONSE);
  return value;
}

tlm::tlm_response_status write64(uint64_t addr, uint64_t value, sc_time& delay) {
  return bench->init.transport(tlm::TLM_WRITE_COMMAND, addr, &value, 8, delay);
}

// Sets mtimecmp far away and lets irq settle low.
void disarm() {
  sc_time delay;
  write64(Clint::kMtimecmp, ~uint64_t{0}, delay);
  wait(sc_time(1, SC_NS));
  ASSERT_FALSE(bench->irq.read());
}

// The simulated time (a tick edge) at which mtime reaches `value`, value > mtime now.
sc_time time_of_mtime(uint64_t value) {
  const uint64_t ticks = sc_time_stamp().value() / kTick.value();
  return sc_time::from_value((ticks + value - bench->clint.mtime_at(sc_time_stamp())) *
                             kTick.value());
}

void align_to_tick() {
  const uint64_t rest = sc_time_stamp().value() % kTick.value();
  if (rest != 0) wait(sc_time::from_value(kTick.value() - rest));
}

TEST(Clint, ResetState) {
  sc_time delay;
  uint64_t cmp = 0;
  EXPECT_EQ(bench->fresh_init.transport(tlm::TLM_READ_COMMAND, Clint::kMtimecmp, &cmp, 8, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(cmp, ~uint64_t{0});
  EXPECT_EQ(bench->fresh_init.read32(Clint::kMsip, delay), 0u);
  wait(sc_time(1, SC_NS));
  EXPECT_FALSE(bench->fresh_irq.read());
  EXPECT_EQ(bench->fresh.mtime_at(sc_time_stamp()), sc_time_stamp().value() / kTick.value());
}

TEST(Clint, MtimeFollowsSimulatedTimeIncludingTheAnnotatedDelay) {
  align_to_tick();
  const uint64_t start = bench->clint.mtime_at(sc_time_stamp());
  sc_time delay(250, SC_NS);
  EXPECT_EQ(read64(Clint::kMtime, delay), start + 2);  // floor(250 ns / 100 ns)
  EXPECT_EQ(delay, sc_time(252, SC_NS));
  wait(sc_time(1, sc_core::SC_US));
  delay = sc_core::SC_ZERO_TIME;
  const uint32_t low = bench->init.read32(Clint::kMtime, delay);
  const uint32_t high = bench->init.read32(Clint::kMtime + 4, delay);
  EXPECT_EQ((uint64_t{high} << 32) | low, start + 10);
  EXPECT_EQ(bench->clint.mtime_at(sc_time_stamp() + sc_time(99, SC_NS)), start + 10);
  EXPECT_EQ(bench->clint.mtime_at(sc_time_stamp() + kTick), start + 11);
}

TEST(Clint, IrqRisesExactlyWhenMtimeReachesMtimecmp) {
  disarm();
  align_to_tick();
  const uint64_t cmp = bench->clint.mtime_at(sc_time_stamp()) + 37;
  const sc_time expected = time_of_mtime(cmp);
  sc_time delay;
  // The RV32 sequence: high word to all ones first, then low, then high.
  EXPECT_EQ(bench->init.write32(Clint::kMtimecmp + 4, 0xFFFFFFFF, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->init.write32(Clint::kMtimecmp, static_cast<uint32_t>(cmp), delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->init.write32(Clint::kMtimecmp + 4, static_cast<uint32_t>(cmp >> 32), delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, 3 * kLatency);
  EXPECT_EQ(bench->clint.mtimecmp(), cmp);
  wait(bench->irq.posedge_event());
  EXPECT_EQ(sc_time_stamp(), expected);
  EXPECT_GE(bench->clint.mtime_at(sc_time_stamp()), cmp);
  EXPECT_LT(bench->clint.mtime_at(sc_time_stamp() - sc_time(1, SC_NS)), cmp);
}

TEST(Clint, IrqFallsWhenTheWriteTakesEffect) {
  sc_time delay;
  write64(Clint::kMtimecmp, 0, delay);  // matches at once
  wait(sc_time(1, SC_NS));
  ASSERT_TRUE(bench->irq.read());
  const sc_time start = sc_time_stamp();
  delay = sc_time(30, SC_NS);
  EXPECT_EQ(write64(Clint::kMtimecmp, ~uint64_t{0}, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(30, SC_NS) + kLatency);
  wait(bench->irq.negedge_event());
  EXPECT_EQ(sc_time_stamp(), start + sc_time(30, SC_NS));
}

TEST(Clint, RearmingMovesTheMatch) {
  disarm();
  align_to_tick();
  const uint64_t now = bench->clint.mtime_at(sc_time_stamp());
  sc_time delay;
  write64(Clint::kMtimecmp, now + 100, delay);
  wait(sc_time(1, SC_NS));
  write64(Clint::kMtimecmp, now + 20, delay);  // earlier
  wait(bench->irq.posedge_event());
  EXPECT_EQ(sc_time_stamp(), time_of_mtime(now + 20));
  disarm();
  const uint64_t later = bench->clint.mtime_at(sc_time_stamp()) + 5;
  write64(Clint::kMtimecmp, later, delay = sc_core::SC_ZERO_TIME);
  const sc_time expected = time_of_mtime(later);  // now is between ticks: still the tick edge
  wait(bench->irq.posedge_event());
  EXPECT_EQ(sc_time_stamp(), expected);
}

TEST(Clint, MtimeIsWritable) {
  disarm();
  align_to_tick();
  sc_time delay;
  EXPECT_EQ(write64(Clint::kMtime, 1000, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read64(Clint::kMtime, delay = sc_core::SC_ZERO_TIME), 1000u);
  const sc_time start = sc_time_stamp();
  write64(Clint::kMtimecmp, 1010, delay);
  wait(bench->irq.posedge_event());
  EXPECT_EQ(sc_time_stamp(), start + 10 * kTick);
  EXPECT_EQ(bench->init.write32(Clint::kMtime + 4, 1, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->clint.mtime_at(sc_time_stamp()), (uint64_t{1} << 32) + 1010);
  disarm();
}

TEST(Clint, MsipDrivesSoftIrq) {
  sc_time delay;
  EXPECT_EQ(bench->init.write32(Clint::kMsip, 0xFFFFFFFF, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->init.read32(Clint::kMsip, delay), 1u);
  wait(sc_core::SC_ZERO_TIME);
  wait(sc_core::SC_ZERO_TIME);
  EXPECT_TRUE(bench->soft_irq.read());
  EXPECT_EQ(bench->init.write32(Clint::kMsip, 0, delay = sc_core::SC_ZERO_TIME),
            tlm::TLM_OK_RESPONSE);
  wait(bench->soft_irq.negedge_event());
}

TEST(Clint, RejectsBadTransactions) {
  sc_time delay;
  uint64_t value = 0;
  auto& init = bench->init;
  EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, Clint::kMtime, &value, 2, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, Clint::kMtimecmp + 4, &value, 8, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(init.transport(tlm::TLM_WRITE_COMMAND, Clint::kMsip, &value, 8, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, 0x100, &value, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, Clint::kSize, &value, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // 3: no TLM command, yet in tlm_command's range (a value beyond it is undefined behaviour: UBSan)
  EXPECT_EQ(init.transport(static_cast<tlm::tlm_command>(3), Clint::kMsip, &value, 4, delay),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
}

// Byte enables (models/regs): a write merges the enabled bytes into the
// register's value; only mtimecmp's top byte changes here.
TEST(Clint, ByteEnablesMergeIntoTheRegister) {
  disarm();
  sc_time delay;
  uint64_t value = 0;
  unsigned char top_byte[8] = {0, 0, 0, 0, 0, 0, 0, TLM_BYTE_ENABLED};
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, Clint::kMtimecmp, &value, 8, delay,
                                  Initiator::Options{top_byte, 8, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->clint.mtimecmp(), 0x00FFFFFFFFFFFFFFu);
  EXPECT_EQ(delay, kLatency);
  disarm();
}

// A debug write is a write (re-evaluates irq at the current time); the spec's
// offsets are the device's.
TEST(Clint, DebugWritesTakeEffect) {
  EXPECT_EQ(Clint::kMtime, spec::kClintMtimeOffset);
  EXPECT_EQ(Clint::kMtimecmp, spec::kClintMtimecmpOffset);
  disarm();
  uint64_t now = 0;
  ASSERT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, Clint::kMtime, &now, 8), 8u);
  ASSERT_EQ(bench->init.debug(tlm::TLM_WRITE_COMMAND, Clint::kMtimecmp, &now, 8), 8u);
  wait(sc_core::SC_ZERO_TIME);
  wait(sc_core::SC_ZERO_TIME);
  EXPECT_TRUE(bench->irq.read());
  disarm();
}

TEST(Clint, DebugAccessReadsRegisters) {
  uint64_t value = 0;
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, Clint::kMtime, &value, 8), 8u);
  EXPECT_EQ(value, bench->clint.mtime_at(sc_time_stamp()));
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, 0x10, &value, 4), 0u);
}

}  // namespace
}  // namespace trimode::tlm_

int sc_main(int argc, char** argv) {
  using namespace trimode::tlm_;
  return test::run_tests_in_systemc(argc, argv, [] { bench = new Bench; });
}

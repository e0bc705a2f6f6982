#include <gtest/gtest.h>

#include <vector>

#include "tests/tlm/harness.hpp"
#include "tlm/devices/finisher.hpp"

// No test here calls wait(): the default finisher stops the simulation, after
// which a waiting test thread would never resume.

namespace trimode::tlm_ {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::Initiator;

struct Probe {
  Initiator init;
  std::vector<int> calls;
  Finisher finisher;
  explicit Probe(const char* name)
      : init((std::string(name) + "_init").c_str()),
        finisher(name, FinisherConfig{sc_time(3, SC_NS), [this](int code) { calls.push_back(code); }}) {
    init.out.bind(finisher.in);
  }
};

struct Bench {
  Probe pass{"pass"};
  Probe fail{"fail"};
  Probe reset{"reset"};
  Probe other{"other"};
  Probe bytes{"bytes"};
  Initiator default_init{"default_init"};
  Finisher default_finisher{"default_finisher"};
  Bench() { default_init.out.bind(default_finisher.in); }
};
Bench* bench = nullptr;

TEST(Finisher, PassRecordsZeroOnceWithLatency) {
  Probe& p = bench->pass;
  sc_time delay;
  EXPECT_FALSE(p.finisher.exit_code().has_value());
  EXPECT_EQ(p.init.write32(0, 0x5555, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(3, SC_NS));
  EXPECT_EQ(p.finisher.exit_code(), 0);
  EXPECT_EQ(p.calls, std::vector<int>{0});
  EXPECT_EQ(p.init.write32(0, (7 << 16) | 0x3333, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(p.finisher.exit_code(), 0);
  EXPECT_EQ(p.calls.size(), 1u);
  EXPECT_EQ(p.finisher.ignored_writes(), 1u);
}

TEST(Finisher, FailCarriesTheCode) {
  Probe& p = bench->fail;
  sc_time delay;
  EXPECT_EQ(p.init.write32(0, (42u << 16) | 0x3333, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(p.finisher.exit_code(), 42);
  EXPECT_EQ(p.calls, std::vector<int>{42});
}

TEST(Finisher, ResetEndsAsPass) {
  Probe& p = bench->reset;
  sc_time delay;
  EXPECT_EQ(p.init.write32(0, 0x7777, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(p.finisher.reset_requested());
  EXPECT_EQ(p.finisher.exit_code(), 0);
  EXPECT_EQ(p.calls, std::vector<int>{0});
}

TEST(Finisher, OtherValuesAreCountedAndReadsReturnZero) {
  Probe& p = bench->other;
  sc_time delay;
  EXPECT_EQ(p.init.write32(0, 0x1234, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(p.init.write32(0, 0x5554, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(p.finisher.ignored_writes(), 2u);
  EXPECT_FALSE(p.finisher.exit_code().has_value());
  EXPECT_EQ(p.init.read32(0, delay), 0u);
  EXPECT_TRUE(p.calls.empty());
}

TEST(Finisher, RejectsBadTransactions) {
  Probe& p = bench->other;
  sc_time delay;
  uint64_t value = 0x5555;
  EXPECT_EQ(p.init.transport(tlm::TLM_WRITE_COMMAND, 0, &value, 8, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(p.init.transport(tlm::TLM_WRITE_COMMAND, 0, &value, 2, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(p.init.transport(tlm::TLM_WRITE_COMMAND, 4, &value, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // 3: no TLM command, yet in tlm_command's range (a value beyond it is undefined behaviour: UBSan)
  EXPECT_EQ(p.init.transport(static_cast<tlm::tlm_command>(3), 0, &value, 4, delay),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  // Byte enables are honoured (models/regs): with every byte disabled nothing is written.
  unsigned char disabled[4] = {0, 0, 0, 0};
  EXPECT_EQ(p.init.transport(tlm::TLM_WRITE_COMMAND, 0, &value, 4, delay,
                             Initiator::Options{disabled, 4, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_FALSE(p.finisher.exit_code().has_value());
}

// A write with byte enables merges the enabled bytes into the register's read
// value, 0 (write-only, spec/devices.txt): 0x1234_3333 with only the low two
// bytes enabled is a fail with code 0.
TEST(Finisher, ByteEnablesMergeIntoZero) {
  Probe& p = bench->bytes;
  sc_time delay;
  uint32_t value = 0x12343333;
  unsigned char low_half[2] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED};
  unsigned char enables[4] = {TLM_BYTE_ENABLED, TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED};
  EXPECT_EQ(p.init.transport(tlm::TLM_WRITE_COMMAND, 0, &value, 4, delay, Initiator::Options{enables, 4, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(p.finisher.exit_code(), 0);
  EXPECT_EQ(p.calls, std::vector<int>{0});
  // A read with byte enables fills only the enabled bytes (0 and 2 here; a 2-byte pattern repeats).
  uint32_t read = 0xAABBCCDD;
  EXPECT_EQ(p.init.transport(tlm::TLM_READ_COMMAND, 0, &read, 4, delay, Initiator::Options{low_half, 2, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read, 0xAA00CC00u);
}

// The register's spec row: offset 0, 4 bytes, write-only, reset 0.
TEST(Finisher, RegisterComesFromTheSpec) {
  EXPECT_EQ(spec::kFinisherTestOffset, 0u);
  uint32_t value = 0xFFFFFFFF;
  EXPECT_EQ(bench->default_init.debug(tlm::TLM_READ_COMMAND, spec::kFinisherTestOffset, &value, 4), 4u);
  EXPECT_EQ(value, 0u);  // write-only: reads 0 whatever was written
}

TEST(Finisher, DebugWritesDoNotFinish) {
  Probe& p = bench->other;
  uint32_t value = 0x5555;
  EXPECT_EQ(p.init.debug(tlm::TLM_WRITE_COMMAND, 0, &value, 4), 0u);
  EXPECT_EQ(p.init.debug(tlm::TLM_READ_COMMAND, 0, &value, 4), 4u);
  EXPECT_EQ(value, 0u);
  EXPECT_FALSE(p.finisher.exit_code().has_value());
}

TEST(Finisher, DefaultActionStopsTheSimulation) {
  sc_time delay;
  EXPECT_EQ(sc_core::sc_get_simulator_status(), sc_core::SC_SIM_OK);
  EXPECT_EQ(bench->default_init.write32(0, (3u << 16) | 0x3333, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->default_finisher.exit_code(), 3);
  EXPECT_EQ(sc_core::sc_get_simulator_status(), sc_core::SC_SIM_USER_STOP);
}

}  // namespace
}  // namespace trimode::tlm_

int sc_main(int argc, char** argv) {
  using namespace trimode::tlm_;
  return test::run_tests_in_systemc(argc, argv, [] { bench = new Bench; });
}

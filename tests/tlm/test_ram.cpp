#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "tests/tlm/harness.hpp"
#include "tlm/devices/ram.hpp"

namespace trimode::tlm_ {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::Initiator;

constexpr uint64_t kSmall = 64 * 1024;
constexpr uint64_t kHuge = uint64_t{1} << 30;
constexpr uint64_t kPage = 4096;

uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * kPage;
}

struct Bench {
  Initiator init{"init"};
  Ram ram{"ram", kSmall, RamConfig{sc_time(10, SC_NS), sc_time(20, SC_NS)}};
  uint64_t rss_before_huge = resident_bytes();
  Ram huge{"huge", kHuge};
  uint64_t rss_after_huge = resident_bytes();
  Initiator huge_init{"huge_init"};
  Bench() {
    init.out.bind(ram.in);
    huge_init.out.bind(huge.in);
  }
};
Bench* bench = nullptr;

TEST(Ram, UntouchedGibibyteCostsNoResidentMemory) {
  EXPECT_LT(bench->rss_after_huge - bench->rss_before_huge, 1u << 20);
}

TEST(Ram, ResidentMemoryTracksTouchedPages) {
  const uint64_t before = resident_bytes();
  constexpr uint64_t kPages = 256;  // 1 MiB in the middle of the GiB
  uint8_t* middle = bench->huge.data() + kHuge / 2;
  for (uint64_t i = 0; i < kPages; ++i) middle[i * kPage] = 1;
  const uint64_t grown = resident_bytes() - before;
  EXPECT_GE(grown, kPages * kPage / 2);
  EXPECT_LT(grown, 8u << 20);  // at most two 2 MiB transparent huge pages and some slack
}

TEST(Ram, StartsZeroedAndWritesReadBackWithLatency) {
  sc_time delay = sc_core::SC_ZERO_TIME;
  EXPECT_EQ(bench->init.read32(0x100, delay), 0u);
  EXPECT_EQ(delay, sc_time(10, SC_NS));
  EXPECT_TRUE(bench->init.last_dmi_allowed);
  EXPECT_EQ(bench->init.write32(0x100, 0x12345678, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(30, SC_NS));
  EXPECT_EQ(bench->init.read32(0x100, delay), 0x12345678u);
  EXPECT_EQ(delay, sc_time(40, SC_NS));
  EXPECT_EQ(bench->ram.data()[0x100], 0x78);  // little endian host
}

TEST(Ram, LongAccessesAtTheEdgeWork) {
  sc_time delay;
  uint8_t block[64];
  for (int i = 0; i < 64; ++i) block[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, kSmall - 64, block, 64, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(std::memcmp(bench->ram.data() + kSmall - 64, block, 64), 0);
}

TEST(Ram, DmiAndTransportSeeTheSameBytes) {
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(bench->init.dmi(0x200, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0u);
  EXPECT_EQ(dmi.get_end_address(), kSmall - 1);
  EXPECT_TRUE(dmi.is_read_write_allowed());
  EXPECT_EQ(dmi.get_read_latency(), sc_time(10, SC_NS));
  EXPECT_EQ(dmi.get_write_latency(), sc_time(20, SC_NS));
  EXPECT_EQ(dmi.get_dmi_ptr(), bench->ram.data());

  const uint32_t via_dmi = 0xCAFEF00D;
  std::memcpy(dmi.get_dmi_ptr() + 0x200, &via_dmi, 4);
  sc_time delay;
  EXPECT_EQ(bench->init.read32(0x200, delay), via_dmi);
  EXPECT_EQ(bench->init.write32(0x204, 0xA5A5A5A5, delay), tlm::TLM_OK_RESPONSE);
  uint32_t seen = 0;
  std::memcpy(&seen, dmi.get_dmi_ptr() + 0x204, 4);
  EXPECT_EQ(seen, 0xA5A5A5A5u);
}

TEST(Ram, DebugTransportIsClippedAndTakesNoTime) {
  uint8_t buf[16] = {};
  bench->ram.data()[kSmall - 1] = 0x42;
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, kSmall - 4, buf, 16), 4u);
  EXPECT_EQ(buf[3], 0x42);
  EXPECT_EQ(bench->init.debug(tlm::TLM_WRITE_COMMAND, kSmall, buf, 16), 0u);
  const uint8_t word[4] = {1, 2, 3, 4};
  EXPECT_EQ(bench->init.debug(tlm::TLM_WRITE_COMMAND, 8, const_cast<uint8_t*>(word), 4), 4u);
  EXPECT_EQ(bench->ram.data()[11], 4);
}

TEST(Ram, RejectsBadTransactions) {
  sc_time delay;
  uint32_t value = 0;
  EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, kSmall, &value, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, kSmall - 2, &value, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  unsigned char enables[4] = {0xFF, 0, 0xFF, 0};
  Initiator::Options be{enables, 4, 0};
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, 0, &value, 4, delay, be),
            tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  Initiator::Options streaming{nullptr, 0, 1};
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, 0, &value, 4, delay, streaming),
            tlm::TLM_BURST_ERROR_RESPONSE);
  // 3: no TLM command, yet in tlm_command's range (a value beyond it is undefined behaviour: UBSan)
  EXPECT_EQ(bench->init.transport(static_cast<tlm::tlm_command>(3), 0, &value, 4, delay),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(bench->init.transport(tlm::TLM_IGNORE_COMMAND, 0, &value, 4, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
  EXPECT_FALSE(bench->init.last_dmi_allowed);
}

}  // namespace
}  // namespace trimode::tlm_

int sc_main(int argc, char** argv) {
  using namespace trimode::tlm_;
  return test::run_tests_in_systemc(argc, argv, [] { bench = new Bench; });
}

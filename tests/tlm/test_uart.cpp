#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "tests/tlm/harness.hpp"
#include "tlm/devices/uart.hpp"

namespace trimode::tlm_ {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::Initiator;

struct Bench {
  std::ostringstream console;
  std::ostringstream wide_console;
  Initiator init{"init"};
  Initiator wide_init{"wide_init"};
  Uart16550 uart{"uart", UartConfig{sc_time(5, SC_NS), &console, 0}};
  Uart16550 wide{"wide", UartConfig{sc_time(5, SC_NS), &wide_console, 2}};
  std::ostringstream fresh_console;
  Initiator fresh_init{"fresh_init"};
  Uart16550 fresh{"fresh", UartConfig{sc_time(5, SC_NS), &fresh_console, 0}};  // for reset values
  Bench() {
    init.out.bind(uart.in);
    wide_init.out.bind(wide.in);
    fresh_init.out.bind(fresh.in);
  }
};
Bench* bench = nullptr;

uint8_t read8(Initiator& init, uint64_t addr, sc_time& delay) {
  uint8_t value = 0xEE;
  EXPECT_EQ(init.transport(tlm::TLM_READ_COMMAND, addr, &value, 1, delay), tlm::TLM_OK_RESPONSE);
  return value;
}

tlm::tlm_response_status write8(Initiator& init, uint64_t addr, uint8_t value, sc_time& delay) {
  return init.transport(tlm::TLM_WRITE_COMMAND, addr, &value, 1, delay);
}

void reset(Bench& b) {
  b.console.str("");
  sc_time delay;
  write8(b.init, Uart16550::kLcr, 0x03, delay);
}

TEST(Uart, ThrWritesReachTheStreamWithLatency) {
  reset(*bench);
  const uint64_t before = bench->uart.bytes_written();
  sc_time delay;
  for (char c : std::string("hi\n")) {
    EXPECT_EQ(write8(bench->init, Uart16550::kRbrThr, static_cast<uint8_t>(c), delay),
              tlm::TLM_OK_RESPONSE);
  }
  EXPECT_EQ(bench->console.str(), "hi\n");
  EXPECT_EQ(bench->uart.bytes_written() - before, 3u);
  EXPECT_EQ(delay, sc_time(15, SC_NS));
}

TEST(Uart, LineStatusSaysTransmitterEmptyAndNoData) {
  reset(*bench);
  sc_time delay;
  EXPECT_EQ(read8(bench->init, Uart16550::kLsr, delay), 0x60);
  EXPECT_EQ(read8(bench->init, Uart16550::kRbrThr, delay), 0);
  EXPECT_EQ(write8(bench->init, Uart16550::kLsr, 0x00, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read8(bench->init, Uart16550::kLsr, delay), 0x60);
}

TEST(Uart, DivisorLatchesDoNotTransmit) {
  reset(*bench);
  const uint64_t before = bench->uart.bytes_written();
  sc_time delay;
  write8(bench->init, Uart16550::kIer, 0x05, delay);
  write8(bench->init, Uart16550::kLcr, 0x83, delay);  // DLAB
  write8(bench->init, Uart16550::kRbrThr, 0x01, delay);
  write8(bench->init, Uart16550::kIer, 0x02, delay);
  EXPECT_EQ(read8(bench->init, Uart16550::kRbrThr, delay), 0x01);
  EXPECT_EQ(read8(bench->init, Uart16550::kIer, delay), 0x02);
  write8(bench->init, Uart16550::kLcr, 0x03, delay);
  EXPECT_EQ(bench->uart.divisor(), 0x0201);
  EXPECT_EQ(read8(bench->init, Uart16550::kIer, delay), 0x05);
  EXPECT_EQ(bench->uart.bytes_written(), before);
  EXPECT_EQ(bench->console.str(), "");
}

TEST(Uart, PlainRegistersAndFifoIdentification) {
  reset(*bench);
  sc_time delay;
  for (auto reg : {Uart16550::kMcr, Uart16550::kMsr, Uart16550::kScr}) {
    write8(bench->init, reg, 0x5A, delay);
    EXPECT_EQ(read8(bench->init, reg, delay), 0x5A) << "register " << reg;
  }
  write8(bench->init, Uart16550::kIirFcr, 0x00, delay);
  EXPECT_EQ(read8(bench->init, Uart16550::kIirFcr, delay), 0x01);
  write8(bench->init, Uart16550::kIirFcr, 0x07, delay);
  EXPECT_EQ(read8(bench->init, Uart16550::kIirFcr, delay), 0xC1);
}

TEST(Uart, WordAccessUsesTheLowByte) {
  reset(*bench);
  sc_time delay;
  EXPECT_EQ(bench->init.write32(Uart16550::kRbrThr, 0xFFFFFF41, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->console.str(), "A");
  EXPECT_EQ(bench->init.read32(Uart16550::kLsr, delay), 0x60u);
}

TEST(Uart, RegShiftSpacesTheRegisters) {
  sc_time delay;
  EXPECT_EQ(bench->wide_init.write32(0 << 2, 'Z', delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(write8(bench->wide_init, 0, 'z', delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->wide_console.str(), "Zz");
  EXPECT_EQ(bench->wide_init.read32(Uart16550::kLsr << 2, delay), 0x60u);
  uint8_t value = 0;
  EXPECT_EQ(bench->wide_init.transport(tlm::TLM_READ_COMMAND, 1, &value, 1, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bench->wide_init.transport(tlm::TLM_READ_COMMAND, 8 << 2, &value, 1, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(Uart, RejectsBadTransactions) {
  reset(*bench);
  sc_time delay;
  uint16_t half = 0;
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, 0, &half, 2, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  uint8_t byte = 'x';
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, 8, &byte, 1, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // 3: no TLM command, yet in tlm_command's range (a value beyond it is undefined behaviour: UBSan)
  EXPECT_EQ(bench->init.transport(static_cast<tlm::tlm_command>(3), 0, &byte, 1, delay),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(bench->console.str(), "");
  EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
}

// Byte enables (models/regs): a disabled byte is neither written nor read.
TEST(Uart, ByteEnablesAreHonoured) {
  reset(*bench);
  sc_time delay;
  uint8_t byte = 'x';
  unsigned char disabled = TLM_BYTE_DISABLED;
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, Uart16550::kRbrThr, &byte, 1, delay,
                                  Initiator::Options{&disabled, 1, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->console.str(), "");
  unsigned char enabled = TLM_BYTE_ENABLED;
  EXPECT_EQ(bench->init.transport(tlm::TLM_WRITE_COMMAND, Uart16550::kRbrThr, &byte, 1, delay,
                                  Initiator::Options{&enabled, 1, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->console.str(), "x");
  uint32_t word = 0xAAAAAAAA;  // LSR as a word, only byte 1 enabled: byte 0 (0x60) is not written
  unsigned char enables[4] = {TLM_BYTE_DISABLED, TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED};
  EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, Uart16550::kLsr, &word, 4, delay,
                                  Initiator::Options{enables, 4, 0}),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(word, 0xAAAA00AAu);
}

// Reset values and the read-only LSR come from spec/devices.txt.
TEST(Uart, RegistersComeFromTheSpec) {
  for (const spec::RegInfo& r : spec::kRegs) {
    if (std::string(r.block) != "uart" || std::string(r.name) == "iir_fcr") continue;  // IIR reads are computed
    uint8_t value = 0xEE;
    ASSERT_EQ(bench->fresh_init.debug(tlm::TLM_READ_COMMAND, r.offset, &value, 1), 1u) << r.name;
    EXPECT_EQ(value, r.reset) << r.name;
  }
  uint8_t iir = 0;
  ASSERT_EQ(bench->fresh_init.debug(tlm::TLM_READ_COMMAND, spec::kUartIirFcrOffset, &iir, 1), 1u);
  EXPECT_EQ(iir, 0x01);  // no interrupt, FIFOs off (FCR resets to 0)
  // ro: the write is answered OK (as on a 16550) and changes nothing.
  sc_time delay;
  EXPECT_EQ(write8(bench->fresh_init, spec::kUartLsrOffset, 0x00, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read8(bench->fresh_init, spec::kUartLsrOffset, delay), 0x60);
}

TEST(Uart, DebugReadsWorkAndDebugWritesAreRefused) {
  reset(*bench);
  uint8_t value = 0;
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, Uart16550::kLsr, &value, 1), 1u);
  EXPECT_EQ(value, 0x60);
  value = 'x';
  EXPECT_EQ(bench->init.debug(tlm::TLM_WRITE_COMMAND, Uart16550::kRbrThr, &value, 1), 0u);
  EXPECT_EQ(bench->console.str(), "");
}

}  // namespace
}  // namespace trimode::tlm_

int sc_main(int argc, char** argv) {
  using namespace trimode::tlm_;
  return test::run_tests_in_systemc(argc, argv, [] { bench = new Bench; });
}

// The register bank (models/regs) on its own, against the contract in
// register_bank.hpp, with the real spec rows of the UART, CLINT, finisher and
// mode register: reset values, decode errors, widths, byte enables, field and
// read-only masks, callbacks, debug accesses, latency and checkpoint.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/regs/register_bank.hpp"
#include "tests/tlm/harness.hpp"

namespace trimode::regs {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

// One access on a fresh payload: returns the response status; data holds len bytes.
struct Access {
  tlm::tlm_command cmd = tlm::TLM_READ_COMMAND;
  uint64_t address = 0;
  unsigned len = 4;
  std::vector<unsigned char> be;  // empty: no byte enables
  unsigned streaming_width = 0;   // 0: equal to len
};

tlm::tlm_response_status transport(Bank& bank, const Access& a, uint64_t& value,
                                   sc_time& delay) {
  unsigned char data[16] = {};
  std::memcpy(data, &value, sizeof value);
  tlm::tlm_generic_payload gp;
  gp.set_command(a.cmd);
  gp.set_address(a.address);
  gp.set_data_ptr(data);
  gp.set_data_length(a.len);
  gp.set_streaming_width(a.streaming_width ? a.streaming_width : a.len);
  if (!a.be.empty()) {
    gp.set_byte_enable_ptr(const_cast<unsigned char*>(a.be.data()));
    gp.set_byte_enable_length(static_cast<unsigned>(a.be.size()));
  }
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  bank.b_transport(gp, delay);
  value = 0;
  std::memcpy(&value, data, sizeof value);
  return gp.get_response_status();
}

uint64_t read(Bank& bank, uint64_t address, unsigned len) {
  uint64_t v = 0xA5A5A5A5A5A5A5A5ull;  // bytes not read stay visible
  sc_time delay;
  EXPECT_EQ(transport(bank, {tlm::TLM_READ_COMMAND, address, len, {}, 0}, v, delay),
            tlm::TLM_OK_RESPONSE);
  return len >= 8 ? v : v & ((uint64_t{1} << (8 * len)) - 1);
}

tlm::tlm_response_status write(Bank& bank, uint64_t address, unsigned len, uint64_t v) {
  sc_time delay;
  return transport(bank, {tlm::TLM_WRITE_COMMAND, address, len, {}, 0}, v, delay);
}

unsigned debug(Bank& bank, tlm::tlm_command cmd, uint64_t address, unsigned len, uint64_t& v) {
  tlm::tlm_generic_payload gp;
  gp.set_command(cmd);
  gp.set_address(address);
  gp.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
  gp.set_data_length(len);
  gp.set_streaming_width(len);
  return bank.transport_dbg(gp);
}

TEST(RegisterBank, BuildsEveryRowOfItsBlockAtTheSpecReset) {
  Bank clint("clint", {});
  ASSERT_EQ(clint.registers().size(), 3u);
  EXPECT_EQ(clint["mtimecmp"].offset(), 0x4000u);
  EXPECT_EQ(clint["mtimecmp"].width(), 8u);
  EXPECT_EQ(read(clint, 0x4000, 8), ~uint64_t{0});
  clint["mtimecmp"].set(5);
  clint.reset();
  EXPECT_EQ(clint["mtimecmp"].value(), ~uint64_t{0});
  Bank uart("uart", {});
  EXPECT_EQ(read(uart, 5, 1), 0x60u);  // lsr: THRE|TEMT
}

TEST(RegisterBank, UnknownBlockAndNameAreProgrammingErrors) {
  EXPECT_THROW(Bank("no_such_block", {}), std::logic_error);
  Bank clint("clint", {});
  EXPECT_THROW(clint["mtime_typo"], std::logic_error);
}

TEST(RegisterBank, DecodeErrors) {
  Bank clint("clint", {});
  uint64_t v = 0;
  sc_time delay;
  // No register there.
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x10, 4, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // Inside mtimecmp but not at a multiple of its smallest access (8: no 4-byte access allowed).
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x4004, 4, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // A width the register does not accept.
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x4000, 4, {}, 0}, v, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  clint["mtimecmp"].allow_widths({4});
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x4004, 4, {}, 0}, v, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(v & 0xFFFFFFFFu, 0xFFFFFFFFu);
  // Length 0, and a streaming width below the length.
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x4000, 0, {}, 0}, v, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x4000, 8, {}, 4}, v, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(delay, sc_time(0, SC_NS));  // latency only on success (none configured here)
}

TEST(RegisterBank, CommandsOtherThanReadAndWrite) {
  Bank clint("clint", {});
  uint64_t v = 7;
  sc_time delay;
  EXPECT_EQ(transport(clint, {tlm::TLM_IGNORE_COMMAND, 0x0, 4, {}, 0}, v, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(transport(clint, {tlm::TLM_IGNORE_COMMAND, 0x10, 4, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(clint["msip"].value(), 0u);  // ignore moves nothing
}

TEST(RegisterBank, FieldsMaskWrites) {
  Bank clint("clint", {});
  EXPECT_EQ(write(clint, 0, 4, 0xFFFFFFFF), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read(clint, 0, 4), 1u);  // msip[0] only
  Bank finisher("finisher", {});
  EXPECT_EQ(write(finisher, 0, 4, 0x12345555), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(finisher["test"].value(), 0x12345555u);
  EXPECT_EQ(read(finisher, 0, 4), 0u);  // wo: reads return 0
}

TEST(RegisterBank, ReadOnlyRegistersAndFields) {
  Bank uart("uart", {});
  EXPECT_EQ(write(uart, 5, 1, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(read(uart, 5, 1), 0x60u);
  Bank lenient("uart", BankConfig{false, true, true, sc_core::SC_ZERO_TIME, 0});
  EXPECT_EQ(write(lenient, 5, 1, 0), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read(lenient, 5, 1), 0x60u);
  // vtimectl: te[0] writable, tp[1] read-only; register-addressed (address = CSR number).
  Bank modereg("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  Register& ctl = modereg["vtimectl"];
  EXPECT_EQ(ctl.writable_bits(), 1u);
  ctl.set(2);  // the model sets the pending bit
  EXPECT_EQ(write(modereg, 0x7C6, 4, 0xFFFFFFFD), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read(modereg, 0x7C6, 4), 3u);  // te written, tp kept
  EXPECT_EQ(write(modereg, 0x7C6, 4, 0), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(read(modereg, 0x7C6, 4), 2u);
}

TEST(RegisterBank, RegisterAddressedBanksNameWholeRegisters) {
  Bank modereg("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  uint64_t v = 0;
  sc_time delay;
  EXPECT_EQ(write(modereg, 0x5C4, 4, 0xCAFEF00D), tlm::TLM_OK_RESPONSE);  // gscratch
  EXPECT_EQ(read(modereg, 0x5C4, 4), 0xCAFEF00Du);
  EXPECT_EQ(transport(modereg, {tlm::TLM_READ_COMMAND, 0x5C4, 2, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(transport(modereg, {tlm::TLM_READ_COMMAND, 0x5C8, 4, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);  // gpid is memctl's
  EXPECT_EQ(transport(modereg, {tlm::TLM_READ_COMMAND, 0xFFFF, 4, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(RegisterBank, ByteEnablesMergeIntoTheCurrentValue) {
  Bank modereg("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  modereg["gscratch"].set(0x11223344);
  uint64_t v = 0xAABBCCDD;
  sc_time delay;
  EXPECT_EQ(transport(modereg, {tlm::TLM_WRITE_COMMAND, 0x5C4, 4, {0xFF, 0x00, 0xFF, 0x00}, 0}, v, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(modereg["gscratch"].value(), 0x11BB33DDu);
  v = 0;
  EXPECT_EQ(transport(modereg, {tlm::TLM_READ_COMMAND, 0x5C4, 4, {0x00, 0xFF, 0x00, 0x00}, 0}, v, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(v, 0x3300u);  // only the enabled byte is filled
}

TEST(RegisterBank, NarrowAccessesReachTheirBytes) {
  Bank clint("clint", {});
  clint["mtimecmp"].allow_widths({4});
  EXPECT_EQ(write(clint, 0x4004, 4, 0x00000001), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(clint["mtimecmp"].value(), 0x00000001FFFFFFFFull);
  EXPECT_EQ(read(clint, 0x4004, 4), 1u);
  // UART: 1-byte registers accept 4-byte accesses when allowed; extra bytes read 0.
  Bank uart("uart", BankConfig{false, false, true, sc_core::SC_ZERO_TIME, 2});
  for (const Register& r : uart.registers()) uart[r.name()].allow_widths({4});
  EXPECT_EQ(uart["lsr"].offset(), 5u << 2);  // reg-shift 2
  EXPECT_EQ(read(uart, 5 << 2, 4), 0x60u);
  EXPECT_EQ(write(uart, 7 << 2, 4, 0x12345678), tlm::TLM_OK_RESPONSE);  // scr
  EXPECT_EQ(uart["scr"].value(), 0x78u);
}

TEST(RegisterBank, NarrowReadsOfAWideRegisterReadItsBytes) {
  // Every 1-, 2- and 4-byte read inside the 8-byte mtime reads the bytes at its offset.
  Bank clint("clint", {});
  const uint64_t source = 0x1122334455667788ull;
  clint["mtime"].on_read([&] { return source; }).allow_widths({1, 2, 4});
  for (unsigned len : {1u, 2u, 4u}) {
    for (unsigned inside = 0; inside + len <= 8; inside += len) {
      const uint64_t mask = (uint64_t{1} << (8 * len)) - 1;
      EXPECT_EQ(read(clint, 0xBFF8 + inside, len), (source >> (8 * inside)) & mask) << len << " at " << inside;
    }
  }
}

TEST(RegisterBank, CallbacksServeReadsAndWrites) {
  Bank clint("clint", {});
  uint64_t source = 0x1234;
  std::vector<uint64_t> writes;
  clint["mtime"].on_read([&] { return source; });
  clint["mtime"].on_write([&](uint64_t v) { writes.push_back(v); });
  EXPECT_EQ(read(clint, 0xBFF8, 8), 0x1234u);
  EXPECT_EQ(write(clint, 0xBFF8, 8, 99), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(writes, std::vector<uint64_t>{99});
  EXPECT_EQ(clint["mtime"].value(), 0u);  // the callback did not set() it
}

// Direct access (the register bus's DMI) on a CSR bank: granted only where a
// pointer does what a transaction does.
tlm::tlm_dmi direct(Bank& bank, uint64_t address, bool* granted) {
  tlm::tlm_generic_payload gp;
  gp.set_address(address);
  gp.set_command(tlm::TLM_READ_COMMAND);
  tlm::tlm_dmi dmi;
  *granted = bank.get_direct_mem_ptr(gp, dmi);
  return dmi;
}

TEST(RegisterBank, DirectAccessOnlyWherePlainStorageDoesWhatATransactionDoes) {
  Bank memctl("memctl", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  std::vector<uint64_t> writes;
  memctl["gbase"].on_write([&](uint64_t v) { writes.push_back(v); });
  bool granted = false;
  // gpid: no callback, every bit writable: read and write through its 4 bytes.
  tlm::tlm_dmi d = direct(memctl, spec::kCsrGpid, &granted);
  ASSERT_TRUE(granted);
  EXPECT_TRUE(d.is_read_write_allowed());
  EXPECT_EQ(d.get_start_address(), spec::kCsrGpid);
  EXPECT_EQ(d.get_end_address(), spec::kCsrGpid);
  const uint32_t seven = 7;
  std::memcpy(d.get_dmi_ptr(), &seven, 4);
  EXPECT_EQ(read(memctl, spec::kCsrGpid, 4), 7u) << "a direct write is what a transaction reads";
  EXPECT_EQ(write(memctl, spec::kCsrGpid, 4, 9), tlm::TLM_OK_RESPONSE);
  uint32_t v = 0;
  std::memcpy(&v, d.get_dmi_ptr(), 4);
  EXPECT_EQ(v, 9u) << "a transaction's write is what a direct read sees";
  // gbase: its writes have a side effect (the callback): reads only.
  d = direct(memctl, spec::kCsrGbase, &granted);
  ASSERT_TRUE(granted);
  EXPECT_TRUE(d.is_read_allowed());
  EXPECT_FALSE(d.is_write_allowed());
  EXPECT_EQ(write(memctl, spec::kCsrGbase, 4, 0x1000), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(writes, std::vector<uint64_t>{0x1000}) << "the write still reaches its callback";
  // vsegsel has fields (bits outside them are not writable): reads only.
  d = direct(memctl, spec::kCsrVsegsel, &granted);
  ASSERT_TRUE(granted);
  EXPECT_FALSE(d.is_write_allowed());
  // vsegbase: callbacks for both and no declared storage: denied, for that address only.
  memctl["vsegbase"].on_read([] { return uint64_t{5}; }).on_write([](uint64_t) {});
  d = direct(memctl, spec::kCsrVsegbase, &granted);
  EXPECT_FALSE(granted);
  EXPECT_TRUE(d.is_none_allowed());
  EXPECT_EQ(d.get_start_address(), spec::kCsrVsegbase);
  EXPECT_EQ(d.get_end_address(), spec::kCsrVsegbase);
  EXPECT_FALSE(direct(memctl, 0x123, &granted).is_read_allowed() || granted) << "no register there";
  // vsegsize: a read callback only: a write is a plain store (write only).
  memctl["vsegsize"].on_read([] { return uint64_t{6}; });
  d = direct(memctl, spec::kCsrVsegsize, &granted);
  ASSERT_TRUE(granted);
  EXPECT_FALSE(d.is_read_allowed());
  EXPECT_TRUE(d.is_write_allowed());
  // Callbacks may not change under a grant.
  EXPECT_THROW(memctl["gpid"].on_write([](uint64_t) {}), std::logic_error);
  EXPECT_THROW(memctl["gbase"].on_read([] { return uint64_t{0}; }), std::logic_error);
  memctl["vmid"].on_read([] { return uint64_t{1}; });  // not granted: allowed
}

TEST(RegisterBank, DirectAccessToStorageItsOwnerDeclares) {
  Bank modereg("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  uint32_t scratch = 0, epc = 0;
  modereg["gscratch"].on_read([&] { return uint64_t{scratch}; }).on_write([&](uint64_t v) { scratch = uint32_t(v); });
  modereg["gscratch"].direct(&scratch, true);
  modereg["gepc"].on_read([&] { return uint64_t{epc}; }).on_write([&](uint64_t v) { epc = uint32_t(v) & ~3u; });
  modereg["gepc"].direct(&epc, false);  // writes align: not plain
  modereg["gstatus"].on_read([] { return uint64_t{0}; });
  bool granted = false;
  tlm::tlm_dmi d = direct(modereg, spec::kCsrGscratch, &granted);
  ASSERT_TRUE(granted);
  EXPECT_TRUE(d.is_read_write_allowed());
  EXPECT_EQ(d.get_dmi_ptr(), reinterpret_cast<unsigned char*>(&scratch));
  d = direct(modereg, spec::kCsrGepc, &granted);
  ASSERT_TRUE(granted);
  EXPECT_TRUE(d.is_read_allowed());
  EXPECT_FALSE(d.is_write_allowed());
  EXPECT_EQ(d.get_dmi_ptr(), reinterpret_cast<unsigned char*>(&epc));
  direct(modereg, spec::kCsrGstatus, &granted);
  EXPECT_FALSE(granted) << "a read callback with no declared storage";
  EXPECT_THROW(modereg["gscratch"].direct(&epc, true), std::logic_error);
  Bank uart("uart", {});
  direct(uart, 0, &granted);
  EXPECT_FALSE(granted) << "byte-addressed banks grant nothing";
}

// A direct-access request carrying a DirectWrite extension learns a
// function that writes a register as a whole-register write transaction
// does (mask, callback), where a write pointer would not be exact.
regs::DirectWrite direct_write(Bank& bank, uint64_t address, bool* granted) {
  tlm::tlm_generic_payload gp;
  gp.set_address(address);
  gp.set_command(tlm::TLM_READ_COMMAND);
  regs::DirectWrite w;
  gp.set_extension(&w);
  tlm::tlm_dmi dmi;
  *granted = bank.get_direct_mem_ptr(gp, dmi);
  gp.clear_extension(&w);
  return w;
}

TEST(RegisterBank, DirectWritesAreWhatAWriteTransactionDoes) {
  Bank modereg("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  std::vector<uint64_t> writes;
  modereg["gstatus"].on_read([] { return uint64_t{0}; }).on_write([&](uint64_t v) { writes.push_back(v); });
  bool granted = true;
  // gstatus: callbacks for both: no DMI, but a direct write.
  regs::DirectWrite w = direct_write(modereg, spec::kCsrGstatus, &granted);
  EXPECT_FALSE(granted);
  ASSERT_NE(w.write, nullptr);
  w.write(w.reg, 0xFFFFFFFFu);
  EXPECT_EQ(write(modereg, spec::kCsrGstatus, 4, 0xFFFFFFFFu), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0], writes[1]) << "the same value reaches the callback (read-only bits and bits outside the fields cleared)";
  EXPECT_NE(writes[0], 0xFFFFFFFFu) << "gstatus has bits outside its fields";
  EXPECT_THROW(modereg["gstatus"].on_write([](uint64_t) {}), std::logic_error) << "its write is granted";
  // A register without callbacks: the direct write stores, as a transaction would.
  w = direct_write(modereg, spec::kCsrGcause, &granted);
  EXPECT_TRUE(granted);
  ASSERT_NE(w.write, nullptr);
  w.write(w.reg, 0x8000000Bu);
  EXPECT_EQ(read(modereg, spec::kCsrGcause, 4), 0x8000000Bu);
  // Without the extension nothing is filled; no register, no direct write.
  EXPECT_EQ(direct_write(modereg, 0x123, &granted).write, nullptr);
  EXPECT_FALSE(granted);
  Bank uart("uart", {});
  EXPECT_EQ(direct_write(uart, 0, &granted).write, nullptr) << "byte-addressed banks grant nothing";
}

// A direct read (regs::DirectRead) of `len` bytes at `address`, as the core asks it.
regs::DirectRead direct_read(Bank& bank, uint64_t address, unsigned len) {
  tlm::tlm_generic_payload gp;
  gp.set_address(address);
  gp.set_command(tlm::TLM_READ_COMMAND);
  gp.set_data_length(len);
  gp.set_streaming_width(len);
  regs::DirectRead reader;
  gp.set_extension(&reader);
  tlm::tlm_dmi dmi;
  bank.get_direct_mem_ptr(gp, dmi);
  gp.clear_extension(&reader);
  return reader;
}

// Each (address, length) read directly (direct_read) at several annotated
// delays returns what a read transaction at the same delay returns (and so
// does its time form, when it has one, at the read's time); after_read, if
// given, runs after each direct read.
void expect_direct_reads_match(Bank& bank, const std::vector<std::pair<uint64_t, unsigned>>& accesses,
                               const std::function<void()>& after_read = {}) {
  for (const auto& [address, len] : accesses) {
    const regs::DirectRead r = direct_read(bank, address, len);
    ASSERT_NE(r.read, nullptr) << std::hex << address << " " << len;
    for (const sc_time& delay : {sc_time(0, SC_NS), sc_time(12345, SC_NS), sc_time(1, sc_core::SC_SEC)}) {
      uint64_t v = 0;
      sc_time d = delay;
      ASSERT_EQ(transport(bank, {tlm::TLM_READ_COMMAND, address, len, {}, 0}, v, d), tlm::TLM_OK_RESPONSE);
      EXPECT_EQ(r.read(r.target, delay), v) << std::hex << address << " " << len << " at " << delay;
      if (after_read) after_read();
      if (r.read_at) {
        EXPECT_EQ(r.read_at(r.target, (sc_core::sc_time_stamp() + delay).value()), v)
            << std::hex << address << " " << len << " at " << delay << " (time form)";
        if (after_read) after_read();
      }
    }
  }
}

TEST(RegisterBank, DirectReadsReturnWhatAReadTransactionReturnsAtTheSameTime) {
  // mtime as the CLINT computes it, from the access's time (now()): every
  // granted read returns the transaction's value at the same annotated delay.
  Bank clint("clint", {});
  clint["mtime"].on_read([&] { return 0x1122334400000000ull + clint.now().value(); }).allow_widths({4});
  clint["mtimecmp"].allow_widths({4});
  clint["mtimecmp"].set(0x0102030405060708ull);
  expect_direct_reads_match(clint, {{0xBFF8, 4}, {0xBFFC, 4}, {0xBFF8, 8}, {0x4000, 4}, {0x4004, 4}, {0, 4}});
  EXPECT_THROW(clint["mtime"].on_read([] { return uint64_t{0}; }), std::logic_error) << "its read is granted";
  EXPECT_EQ(direct_read(clint, 0xBFF8, 4).read_at, nullptr) << "no on_read_at: no time form";
  // Asking again gives the same reader; reads a transaction refuses get none.
  EXPECT_EQ(direct_read(clint, 0xBFFC, 4).target, direct_read(clint, 0xBFFC, 4).target);
  EXPECT_EQ(direct_read(clint, 0xBFFA, 4).read, nullptr) << "misaligned";
  EXPECT_EQ(direct_read(clint, 0xBFF8, 2).read, nullptr) << "a width mtime does not take";
  EXPECT_EQ(direct_read(clint, 0x10, 4).read, nullptr) << "no register";
  Bank slow("clint", BankConfig{false, false, true, sc_time(5, SC_NS), 0});
  EXPECT_EQ(direct_read(slow, 0xBFF8, 4).read, nullptr) << "a bank with latency: the read would add it";
  // A register-addressed bank: its read callback.
  Bank modereg("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  modereg["gstatus"].on_read([] { return uint64_t{0x1A}; });
  const regs::DirectRead g = direct_read(modereg, spec::kCsrGstatus, 4);
  ASSERT_NE(g.read, nullptr);
  EXPECT_EQ(g.read(g.target, sc_time(0, SC_NS)), read(modereg, spec::kCsrGstatus, 4));
}

TEST(RegisterBank, DirectReadsOfARegisterWithAReadAtCallbackCallItAtTheReadsTime) {
  // mtime as the CLINT gives it: on_read for transactions, on_read_at (the
  // same value from the read's time) for direct reads, which call only it.
  Bank clint("clint", {});
  static unsigned calls;  // on_read_at's callback's calls (a plain function: no capture)
  calls = 0;
  clint["mtime"].on_read([&] { return 0x1122334400000000ull + clint.now().value(); }).allow_widths({4});
  clint["mtime"].on_read_at(
      [](const void*, uint64_t at) -> uint64_t {
        ++calls;
        return 0x1122334400000000ull + at;
      },
      nullptr);
  unsigned reads = 0;  // direct reads so far, both forms (transactions call on_read, not on_read_at)
  expect_direct_reads_match(clint, {{0xBFF8, 4}, {0xBFFC, 4}, {0xBFF8, 8}},
                            [&] { EXPECT_EQ(calls, ++reads) << "the direct read calls on_read_at's callback"; });
  EXPECT_EQ(reads, 18u) << "each read by both forms";
  EXPECT_THROW(clint["mtime"].on_read_at(nullptr, nullptr), std::logic_error) << "its read is granted";
}

TEST(RegisterBank, LatencyIsAddedOnSuccessOnly) {
  Bank clint("clint", BankConfig{false, false, true, sc_time(5, SC_NS), 0});
  uint64_t v = 0;
  sc_time delay(1, SC_NS);
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0, 4, {}, 0}, v, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(6, SC_NS));
  EXPECT_EQ(transport(clint, {tlm::TLM_READ_COMMAND, 0x10, 4, {}, 0}, v, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(delay, sc_time(6, SC_NS));
}

TEST(RegisterBank, DebugAccesses) {
  Bank finisher("finisher", BankConfig{false, false, false, sc_core::SC_ZERO_TIME, 0});
  uint64_t v = 0x5555;
  EXPECT_EQ(debug(finisher, tlm::TLM_WRITE_COMMAND, 0, 4, v), 0u);  // refused: a debugger must not end the run
  EXPECT_EQ(finisher["test"].value(), 0u);
  Bank clint("clint", {});
  bool debug_seen = false;
  clint["mtime"].on_read([&] { debug_seen = clint.debug(); return uint64_t{42}; });
  v = 0;
  EXPECT_EQ(debug(clint, tlm::TLM_READ_COMMAND, 0xBFF8, 8, v), 8u);
  EXPECT_EQ(v, 42u);
  EXPECT_TRUE(debug_seen);
  v = 1;
  EXPECT_EQ(debug(clint, tlm::TLM_WRITE_COMMAND, 0, 4, v), 4u);
  EXPECT_EQ(clint["msip"].value(), 1u);
  EXPECT_EQ(debug(clint, tlm::TLM_READ_COMMAND, 0x10, 4, v), 0u);  // no register
}

TEST(RegisterBank, CheckpointRestoresStoredValuesWithoutCallbacks) {
  Bank a("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  a["gscratch"].set(0xDEADBEEF);
  a["gepc"].set(0x80001000);
  StateWriter w;
  a.save(w);
  Bank b("modereg", BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0});
  int writes = 0;
  b["gscratch"].on_write([&](uint64_t) { ++writes; });
  StateReader r(w.bytes().data(), w.bytes().size());
  b.restore(r);
  EXPECT_EQ(b["gscratch"].value(), 0xDEADBEEFu);
  EXPECT_EQ(b["gepc"].value(), 0x80001000u);
  EXPECT_EQ(writes, 0);
  Bank other("clint", {});
  StateReader r2(w.bytes().data(), w.bytes().size());
  EXPECT_THROW(other.restore(r2), StateError);  // a different register count
}

}  // namespace
}  // namespace trimode::regs

int sc_main(int argc, char** argv) {
  return trimode::tlm_::test::run_tests_in_systemc(argc, argv, [] {});
}

// The memory controller alone: an initiator that speaks as U, G or V, the
// memory controller, and a RAM behind it.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "models/memctl/memory_controller.hpp"
#include "models/regs/direct_read.hpp"
#include "tests/tlm/harness.hpp"
#include "tlm/devices/clint.hpp"
#include "tlm/devices/ram.hpp"

namespace trimode {
namespace {

using spec::Mode;
constexpr uint64_t kRam = 0x10000;

struct Bench : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Bench> mem{"mem"};
  tlm_utils::simple_initiator_socket<Bench> csr{"csr"};
  int invalidations = 0;

  explicit Bench(sc_core::sc_module_name n) : sc_module(n) {
    mem.register_invalidate_direct_mem_ptr(this, &Bench::invalidate);
  }
  void invalidate(sc_dt::uint64, sc_dt::uint64) { ++invalidations; }

  // One access as `mode`; returns the response and whether V owns the fault.
  tlm::tlm_response_status access(Mode mode, tlm::tlm_command cmd, uint64_t addr, uint32_t* data, unsigned len,
                                  bool* to_v = nullptr) {
    tlm::tlm_generic_payload gp;
    AccessExtension ext;
    ext.mode = mode;
    gp.set_extension(&ext);
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(data));
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    mem->b_transport(gp, delay);
    gp.clear_extension(&ext);
    if (to_v) *to_v = ext.fault_to_v;
    return gp.get_response_status();
  }
  bool dmi(Mode mode, uint64_t addr, tlm::tlm_dmi* d) {
    tlm::tlm_generic_payload gp;
    AccessExtension ext;
    ext.mode = mode;
    gp.set_extension(&ext);
    gp.set_address(addr);
    const bool ok = mem->get_direct_mem_ptr(gp, *d);
    gp.clear_extension(&ext);
    return ok;
  }
  // A direct read (regs::DirectRead) of 4 bytes at addr as `mode`.
  regs::DirectRead direct_read(Mode mode, uint64_t addr) {
    tlm::tlm_generic_payload gp;
    AccessExtension ext;
    ext.mode = mode;
    regs::DirectRead reader;
    gp.set_extension(&ext);
    gp.set_extension(&reader);
    gp.set_address(addr);
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_data_length(4);
    gp.set_streaming_width(4);
    tlm::tlm_dmi d;
    mem->get_direct_mem_ptr(gp, d);
    gp.clear_extension(&reader);
    gp.clear_extension(&ext);
    return reader;
  }
  void write_csr(uint16_t number, uint32_t value) {
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_WRITE_COMMAND);
    gp.set_address(number);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    gp.set_data_length(4);
    sc_core::sc_time delay;
    csr->b_transport(gp, delay);
    ASSERT_TRUE(gp.is_response_ok());
  }
  uint32_t read_csr(uint16_t number) {
    uint32_t value = 0;
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(number);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    gp.set_data_length(4);
    sc_core::sc_time delay;
    csr->b_transport(gp, delay);
    return value;
  }
  // One CSR access with optional byte enables; returns the response.
  tlm::tlm_response_status csr_access(tlm::tlm_command cmd, uint16_t number, uint32_t* value,
                                      unsigned char* enables = nullptr, unsigned length = 4) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(number);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(value));
    gp.set_data_length(length);
    gp.set_streaming_width(length);
    gp.set_byte_enable_ptr(enables);
    gp.set_byte_enable_length(enables ? 4 : 0);
    sc_core::sc_time delay;
    csr->b_transport(gp, delay);
    return gp.get_response_status();
  }
  // A debug CSR access (what a debugger does); returns the bytes moved.
  unsigned csr_debug(tlm::tlm_command cmd, uint16_t number, uint32_t* value) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(number);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(value));
    gp.set_data_length(4);
    return csr->transport_dbg(gp);
  }
  void set_segment(unsigned vm, unsigned entry, uint32_t base, uint32_t size) {
    write_csr(spec::kCsrVsegsel, vm << spec::kVsegselVmShift | entry);
    write_csr(spec::kCsrVsegbase, base);
    write_csr(spec::kCsrVsegsize, size);
  }
};

Bench* bench;
MemoryController* memctl;
tlm_::Ram* ram;
Bench* fresh_bench;  // a memory controller no test writes: reset values
MemoryController* fresh;
tlm_::Ram* fresh_ram;

class MemctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (unsigned vm = 0; vm < 4; ++vm)
      for (unsigned e = 0; e < 4; ++e) bench->set_segment(vm, e, 0, 0);
    bench->write_csr(spec::kCsrVmid, 1);
    bench->set_segment(1, 0, 0x1000, 0x1000);
    bench->set_segment(1, 1, 0x4000, 0x2000);
    bench->set_segment(2, 0, 0x8000, 0x1000);
    bench->write_csr(spec::kCsrGbase, 0x4000);
    bench->write_csr(spec::kCsrGbound, 0x3000);
  }
  using R = tlm::tlm_response_status;
  static constexpr R kOk = tlm::TLM_OK_RESPONSE;
  static constexpr R kErr = tlm::TLM_ADDRESS_ERROR_RESPONSE;
};

TEST_F(MemctlTest, VIsUnchecked) {
  uint32_t v = 7;
  EXPECT_EQ(bench->access(Mode::V, tlm::TLM_WRITE_COMMAND, 0xF000, &v, 4), kOk);
}

TEST_F(MemctlTest, GReachesOnlyTheRunningVmsSegments) {
  uint32_t v = 0x1234;
  bool to_v = false;
  EXPECT_EQ(bench->access(Mode::G, tlm::TLM_WRITE_COMMAND, 0x1FFC, &v, 4), kOk);
  EXPECT_EQ(bench->access(Mode::G, tlm::TLM_WRITE_COMMAND, 0x1FFE, &v, 4, &to_v), kErr) << "straddles the end";
  EXPECT_TRUE(to_v);
  EXPECT_EQ(bench->access(Mode::G, tlm::TLM_READ_COMMAND, 0x3000, &v, 4, &to_v), kErr) << "a gap";
  EXPECT_TRUE(to_v);
  EXPECT_EQ(bench->access(Mode::G, tlm::TLM_READ_COMMAND, 0x8000, &v, 4), kErr) << "VM 2's segment";
  bench->write_csr(spec::kCsrVmid, 2);
  EXPECT_EQ(bench->access(Mode::G, tlm::TLM_READ_COMMAND, 0x8000, &v, 4), kOk);
  EXPECT_EQ(bench->access(Mode::G, tlm::TLM_READ_COMMAND, 0x1000, &v, 4), kErr);
}

TEST_F(MemctlTest, UIsRelocatedBoundedThenChecked) {
  uint32_t v = 0xCAFE;
  bool to_v = true;
  EXPECT_EQ(bench->access(Mode::U, tlm::TLM_WRITE_COMMAND, 0x10, &v, 4), kOk);
  uint32_t back = 0;
  EXPECT_EQ(bench->access(Mode::V, tlm::TLM_READ_COMMAND, 0x4010, &back, 4), kOk);
  EXPECT_EQ(back, 0xCAFEu) << "U address 0x10 is physical gbase + 0x10";
  EXPECT_EQ(bench->access(Mode::U, tlm::TLM_READ_COMMAND, 0x2FFF, &v, 1), kErr) << "inside the bound, past the segment";
  EXPECT_TRUE(to_v) << "a broken segment is V's";
  EXPECT_EQ(bench->access(Mode::U, tlm::TLM_READ_COMMAND, 0x3000, &v, 1, &to_v), kErr);
  EXPECT_FALSE(to_v) << "a broken bound is G's";
  EXPECT_EQ(bench->access(Mode::U, tlm::TLM_READ_COMMAND, 0x1FFF, &v, 1), kOk);
}

TEST_F(MemctlTest, DmiWindowsNeverExceedASegment) {
  tlm::tlm_dmi d;
  ASSERT_TRUE(bench->dmi(Mode::G, 0x4800, &d));
  EXPECT_EQ(d.get_start_address(), 0x4000u);
  EXPECT_EQ(d.get_end_address(), 0x5FFFu);
  EXPECT_EQ(d.get_dmi_ptr(), ram->data() + 0x4000);
  EXPECT_FALSE(bench->dmi(Mode::G, 0x3000, &d));
  ASSERT_TRUE(bench->dmi(Mode::U, 0x100, &d));
  EXPECT_EQ(d.get_start_address(), 0x0u) << "in U's address space";
  EXPECT_EQ(d.get_end_address(), 0x1FFFu) << "the segment ends before the bound";
  EXPECT_EQ(d.get_dmi_ptr(), ram->data() + 0x4000);
  ASSERT_TRUE(bench->dmi(Mode::V, 0x100, &d));
  EXPECT_EQ(d.get_end_address(), kRam - 1);
}

TEST_F(MemctlTest, EveryTableOrModeRegisterChangeInvalidatesDmi) {
  const int before = bench->invalidations;
  bench->write_csr(spec::kCsrVmid, 2);
  bench->set_segment(2, 1, 0x9000, 0x100);
  bench->write_csr(spec::kCsrGbound, 0x100);
  EXPECT_EQ(bench->invalidations - before, 4);  // vmid, vsegbase, vsegsize, gbound
  bench->write_csr(spec::kCsrGpid, 9);
  EXPECT_EQ(bench->invalidations - before, 4) << "the PID does not change what anyone reaches";
  // Rewriting the same values changes nothing anyone reaches: the windows stay.
  bench->write_csr(spec::kCsrVmid, 2);
  bench->set_segment(2, 1, 0x9000, 0x100);
  bench->write_csr(spec::kCsrGbound, 0x100);
  EXPECT_EQ(bench->invalidations - before, 4) << "a write of the same value invalidated DMI";
  bench->write_csr(spec::kCsrGbase, 0x40);
  EXPECT_EQ(bench->invalidations - before, 5);
}

TEST_F(MemctlTest, EntriesBeyondTheTableAreIgnored) {
  bench->write_csr(spec::kCsrVsegsel, 1u << spec::kVsegselVmShift | 200);
  bench->write_csr(spec::kCsrVsegbase, 0x123);
  EXPECT_EQ(bench->read_csr(spec::kCsrVsegbase), 0u);
  bench->write_csr(spec::kCsrVsegsel, 1u << spec::kVsegselVmShift | 1);
  EXPECT_EQ(bench->read_csr(spec::kCsrVsegbase), 0x4000u);
}

TEST_F(MemctlTest, StatisticsCountChecksAndFaults) {
  const auto before = memctl->stats();
  uint32_t v;
  bench->access(Mode::G, tlm::TLM_READ_COMMAND, 0x1000, &v, 4);
  bench->access(Mode::G, tlm::TLM_READ_COMMAND, 0x3000, &v, 4);
  bench->access(Mode::V, tlm::TLM_READ_COMMAND, 0x3000, &v, 4);
  EXPECT_EQ(memctl->stats().checks - before.checks, 2u);
  EXPECT_EQ(memctl->stats().faults - before.faults, 1u);
}

// ---- the register bank (models/regs) on the csr socket

TEST(MemctlRegisters, ResetValuesComeFromTheSpec) {
  for (const spec::RegInfo& r : spec::kRegs) {
    if (std::string(r.block) != "memctl") continue;
    uint32_t value = 0xDEADBEEF;
    ASSERT_EQ(fresh_bench->csr_debug(tlm::TLM_READ_COMMAND, static_cast<uint16_t>(r.offset), &value), 4u) << r.name;
    EXPECT_EQ(value, r.reset) << r.name;
  }
}

TEST_F(MemctlTest, ADebuggerReadsVmidAndWalksTheSegmentTables) {
  uint32_t value = 0;
  EXPECT_EQ(bench->csr_debug(tlm::TLM_READ_COMMAND, spec::kCsrVmid, &value), 4u);
  EXPECT_EQ(value, 1u);
  uint32_t sel = 1u << spec::kVsegselVmShift | 1;
  EXPECT_EQ(bench->csr_debug(tlm::TLM_WRITE_COMMAND, spec::kCsrVsegsel, &sel), 4u);
  EXPECT_EQ(bench->csr_debug(tlm::TLM_READ_COMMAND, spec::kCsrVsegbase, &value), 4u);
  EXPECT_EQ(value, 0x4000u);
  EXPECT_EQ(bench->csr_debug(tlm::TLM_READ_COMMAND, spec::kCsrVsegsize, &value), 4u);
  EXPECT_EQ(value, 0x2000u);
  // A debug write is a write: it changes the check and invalidates DMI.
  const int before = bench->invalidations;
  uint32_t vm2 = 2;
  EXPECT_EQ(bench->csr_debug(tlm::TLM_WRITE_COMMAND, spec::kCsrVmid, &vm2), 4u);
  EXPECT_EQ(memctl->vmid(), 2u);
  EXPECT_EQ(bench->invalidations - before, 1);
  // Not a memctl CSR (the mode register's gtvec), or not 4 bytes: nothing moves.
  EXPECT_EQ(bench->csr_debug(tlm::TLM_READ_COMMAND, spec::kCsrGtvec, &value), 0u);
}

TEST_F(MemctlTest, ByteEnablesWriteOnlyTheEnabledBytes) {
  uint32_t value = 0x11223344;
  unsigned char low_byte[4] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED};
  EXPECT_EQ(bench->csr_access(tlm::TLM_WRITE_COMMAND, spec::kCsrGbase, &value, low_byte), kOk);
  EXPECT_EQ(bench->read_csr(spec::kCsrGbase), 0x4044u);  // 0x4000 with byte 0 replaced
  uint32_t read = 0xAAAAAAAA;
  unsigned char high_bytes[4] = {TLM_BYTE_DISABLED, TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED};
  EXPECT_EQ(bench->csr_access(tlm::TLM_READ_COMMAND, spec::kCsrGbase, &read, high_bytes), kOk);
  EXPECT_EQ(read, 0xAAAA40AAu);
}

TEST_F(MemctlTest, FieldsBoundWhatAWriteStores) {
  bench->write_csr(spec::kCsrVsegsel, 0xFFFFFFFF);
  EXPECT_EQ(bench->read_csr(spec::kCsrVsegsel), spec::kVsegselEntryMask | spec::kVsegselVmMask);
}

TEST_F(MemctlTest, OnlyItsOwnCsrsAnswer) {
  uint32_t value = 0;
  EXPECT_EQ(bench->csr_access(tlm::TLM_READ_COMMAND, spec::kCsrVstatus, &value), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bench->csr_access(tlm::TLM_READ_COMMAND, 0xFFF, &value), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bench->csr_access(tlm::TLM_READ_COMMAND, spec::kCsrVmid, &value, nullptr, 2),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

// A CLINT behind a memory controller: V's direct reads pass (its accesses
// are neither checked nor counted), G's and U's do not (theirs are); without
// DMI there are none.
Bench* clint_bench;
Bench* clint_nodmi_bench;

TEST(MemctlDirectReads, OnlyVsPass) {
  clint_bench->write_csr(spec::kCsrVsegsel, 0);
  clint_bench->write_csr(spec::kCsrVsegbase, 0);
  clint_bench->write_csr(spec::kCsrVsegsize, 0x10000);  // G may reach the whole CLINT
  clint_bench->write_csr(spec::kCsrGbound, 0x10000);     // and U too
  for (Mode mode : {Mode::U, Mode::G}) {
    uint32_t v = 0;
    ASSERT_EQ(clint_bench->access(mode, tlm::TLM_READ_COMMAND, tlm_::Clint::kMtime, &v, 4), tlm::TLM_OK_RESPONSE)
        << "the transaction reaches it";
    EXPECT_EQ(clint_bench->direct_read(mode, tlm_::Clint::kMtime).read, nullptr) << static_cast<int>(mode);
  }
  const regs::DirectRead r = clint_bench->direct_read(Mode::V, tlm_::Clint::kMtime + 4);
  ASSERT_NE(r.read, nullptr);
  EXPECT_EQ(r.read(r.target, sc_core::sc_time(1, sc_core::SC_SEC)), 0u) << "mtime's high half after a second";
  EXPECT_EQ(r.read(r.target, sc_core::sc_time(100, sc_core::SC_NS) * (uint64_t{1} << 32)), 1u);
  EXPECT_EQ(clint_nodmi_bench->direct_read(Mode::V, tlm_::Clint::kMtime).read, nullptr) << "--no-dmi";
}

}  // namespace
}  // namespace trimode

int sc_main(int argc, char** argv) {
  using namespace trimode;
  return tlm_::test::run_tests_in_systemc(argc, argv, [] {
    // An initiator, a memory controller and a RAM behind it.
    auto build = [](const std::string& name, Bench** b, MemoryController** m, tlm_::Ram** r) {
      *b = new Bench((name + "_bench").c_str());
      *m = new MemoryController(name.c_str(), MemoryControllerConfig{4, 4, true});
      *r = new tlm_::Ram((name + "_ram").c_str(), kRam);
      (*b)->mem.bind((*m)->in);
      (*b)->csr.bind((*m)->csr);
      (*m)->out.bind((*r)->in);
    };
    build("memctl", &bench, &memctl, &ram);
    build("fresh", &fresh_bench, &fresh, &fresh_ram);
    for (bool dmi : {true, false}) {
      const std::string name = dmi ? "clint_memctl" : "clint_nodmi_memctl";
      auto* b = new Bench((name + "_bench").c_str());
      auto* m = new MemoryController(name.c_str(), MemoryControllerConfig{4, 4, dmi});
      auto* c = new tlm_::Clint((name + "_clint").c_str());
      b->mem.bind(m->in);
      b->csr.bind(m->csr);
      m->out.bind(c->in);
      c->irq.bind(*new sc_core::sc_signal<bool>((name + "_irq").c_str()));
      (dmi ? clint_bench : clint_nodmi_bench) = b;
    }
  });
}

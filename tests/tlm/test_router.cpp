#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "models/regs/direct_read.hpp"
#include "tests/tlm/harness.hpp"
#include "tlm/bus/router.hpp"
#include "tlm/devices/ram.hpp"
#include "trimode/spec.hpp"

namespace trimode::tlm_ {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::Initiator;

// A target that records what reaches it, grants DMI over local [0, 0xFFFF]
// (wider than any region mapped to it, so the router must clip) and can send
// invalidations back.
class Probe : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Probe> in;
  uint64_t last_address = ~uint64_t{0};
  int calls = 0;
  uint8_t memory[0x10000] = {};

  explicit Probe(sc_core::sc_module_name name) : sc_module(name), in("in") {
    in.register_b_transport(this, &Probe::b_transport);
    in.register_transport_dbg(this, &Probe::transport_dbg);
    in.register_get_direct_mem_ptr(this, &Probe::get_direct_mem_ptr);
  }
  void invalidate(uint64_t start, uint64_t end) { in->invalidate_direct_mem_ptr(start, end); }
  // A direct read (regs::DirectRead) is granted for any address: the reader returns it.
  static uint64_t read_address(const void* target, const sc_time&) { return static_cast<const Probe*>(target)->read_at; }
  uint64_t read_at = 0;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
    last_address = trans.get_address();
    ++calls;
    delay += sc_time(10, SC_NS);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans) {
    last_address = trans.get_address();
    return trans.get_data_length();
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
    if (regs::DirectRead* reader = trans.get_extension<regs::DirectRead>()) {
      read_at = trans.get_address();
      reader->read = &Probe::read_address;
      reader->target = this;
    }
    dmi.set_dmi_ptr(memory);
    dmi.set_start_address(0);
    dmi.set_end_address(sizeof memory - 1);
    dmi.allow_read_write();
    return true;
  }
};

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 0x10000;

struct Bench {
  Initiator init{"init"};
  Router router{"router", RouterConfig{sc_time(1, SC_NS)}};
  Probe probe{"probe"};
  Ram ram{"ram", kRamSize, RamConfig{sc_time(4, SC_NS), sc_time(4, SC_NS)}};

  Initiator spec_init{"spec_init"};
  Router spec_router{"spec_router"};
  std::vector<std::unique_ptr<Probe>> spec_targets;

  Bench() {
    init.out.bind(router.in);
    router.out.bind(probe.in);  // out[0]
    router.out.bind(ram.in);    // out[1]
    router.map(0, 0x1000, 0x1000, "probe_a", true);
    router.map(0, 0x3000, 0x100, "probe_b", true);
    router.map(1, kRamBase, kRamSize, "ram", true);

    spec_init.out.bind(spec_router.in);
    unsigned index = 0;
    for (const auto& region : spec::kRegions) {
      spec_targets.push_back(std::make_unique<Probe>((std::string("spec_") + region.name).c_str()));
      spec_router.out.bind(spec_targets.back()->in);
      spec_router.map(index++, region.base, region.size, region.name, region.dmi);
    }
  }
};
Bench* bench = nullptr;

TEST(Router, ForwardsWithTheLocalAddressAndAddsLatency) {
  sc_time delay;
  EXPECT_EQ(bench->init.write32(0x1010, 1, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->probe.last_address, 0x10u);
  EXPECT_EQ(delay, sc_time(11, SC_NS));
  EXPECT_EQ(bench->init.write32(0x3004, 1, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bench->probe.last_address, 0x4u);
  EXPECT_EQ(delay, sc_time(22, SC_NS));
}

TEST(Router, RamThroughTheRouter) {
  sc_time delay;
  EXPECT_EQ(bench->init.write32(kRamBase + 0x40, 0xFEEDBEEF, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(bench->init.last_dmi_allowed);
  EXPECT_EQ(bench->init.read32(kRamBase + 0x40, delay), 0xFEEDBEEFu);
  EXPECT_EQ(delay, sc_time(10, SC_NS));
  EXPECT_EQ(bench->ram.data()[0x40], 0xEF);
  uint32_t value = 0;  // a zero-length access is the target's to reject
  EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, kRamBase, &value, 0, delay),
            tlm::TLM_BURST_ERROR_RESPONSE);
}

TEST(Router, UnmappedAndCrossingAccessesAreAddressErrors) {
  const int calls = bench->probe.calls;
  sc_time delay;
  uint32_t value = 0;
  for (uint64_t addr : {uint64_t{0}, uint64_t{0x2000}, uint64_t{0x30FE}, uint64_t{0x1FFD},
                        kRamBase + kRamSize, ~uint64_t{0} - 1}) {
    EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, addr, &value, 4, delay),
              tlm::TLM_ADDRESS_ERROR_RESPONSE)
        << std::hex << addr;
  }
  EXPECT_EQ(bench->probe.calls, calls);
  EXPECT_EQ(delay, sc_core::SC_ZERO_TIME);
}

TEST(Router, TheLastRegionFoundAnswersOnlyForItsOwnAddresses) {
  // find() keeps its last answer: right after an access to a region, an
  // address just outside it is still an error, and other regions still decode.
  sc_time delay;
  uint32_t value = 0;
  const auto hit = [&](uint64_t addr, uint64_t local) {
    EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, addr, &value, 4, delay), tlm::TLM_OK_RESPONSE) << std::hex << addr;
    EXPECT_EQ(bench->probe.last_address, local) << std::hex << addr;
  };
  const auto miss = [&](uint64_t addr) {
    EXPECT_EQ(bench->init.transport(tlm::TLM_READ_COMMAND, addr, &value, 4, delay), tlm::TLM_ADDRESS_ERROR_RESPONSE)
        << std::hex << addr;
  };
  hit(0x1FFC, 0xFFC);
  miss(0x2000);
  hit(0x1000, 0);
  miss(0x0FFC);
  hit(0x3000, 0);
  hit(0x1004, 4);
  hit(0x30FC, 0xFC);
  miss(0x3100);
}

// A direct read of len bytes at addr through init's router: the target's
// reader (it returns the local address it was asked for), or none.
regs::DirectRead direct_read(Initiator& init, uint64_t addr, unsigned len, bool* dmi_granted) {
  tlm::tlm_generic_payload gp;
  gp.set_address(addr);
  gp.set_command(tlm::TLM_READ_COMMAND);
  gp.set_data_length(len);
  regs::DirectRead reader;
  reader.read = &Probe::read_address;  // stale values must not survive a denial
  gp.set_extension(&reader);
  tlm::tlm_dmi dmi;
  *dmi_granted = init.out->get_direct_mem_ptr(gp, dmi);
  gp.clear_extension(&reader);
  EXPECT_EQ(gp.get_address(), addr) << "the global address is restored";
  return reader;
}

TEST(Router, DirectReadsReachTargetsWithoutDmiWhenRoutingAddsNothing) {
  bool granted = true;
  const spec::Region* clint = nullptr;
  for (const spec::Region& r : spec::kRegions) {
    if (std::string(r.name) == "clint") clint = &r;
  }
  ASSERT_NE(clint, nullptr);
  ASSERT_FALSE(clint->dmi);
  // No latency (spec_router): the no-DMI region's target is asked, with the local address.
  regs::DirectRead r = direct_read(bench->spec_init, clint->base + 0xBFFC, 4, &granted);
  EXPECT_FALSE(granted) << "DMI stays denied";
  ASSERT_NE(r.read, nullptr);
  EXPECT_EQ(r.read(r.target, sc_time(0, SC_NS)), 0xBFFCu);
  EXPECT_EQ(direct_read(bench->spec_init, clint->base + clint->size - 2, 4, &granted).read, nullptr)
      << "a read past the region's end is an address error";
  // Into a DMI region the request goes to the target as before, reader included.
  r = direct_read(bench->spec_init, kRamBase + 0x10, 4, &granted);
  EXPECT_TRUE(granted);
  ASSERT_NE(r.read, nullptr);
  EXPECT_EQ(r.read(r.target, sc_time(0, SC_NS)), 0x10u);
  // A router with latency adds it to the read: no reader, whatever the target says.
  EXPECT_EQ(direct_read(bench->init, 0x1010, 4, &granted).read, nullptr);
  EXPECT_TRUE(granted) << "its DMI answer is as before";
  EXPECT_EQ(direct_read(bench->init, 0x3010, 4, &granted).read, nullptr);
}

TEST(Router, DmiRangesAreGlobalAndClippedToTheRegion) {
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(bench->init.dmi(kRamBase + 0x100, dmi));
  EXPECT_EQ(dmi.get_start_address(), kRamBase);
  EXPECT_EQ(dmi.get_end_address(), kRamBase + kRamSize - 1);
  EXPECT_EQ(dmi.get_dmi_ptr(), bench->ram.data());

  ASSERT_TRUE(bench->init.dmi(0x1800, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0x1000u);
  EXPECT_EQ(dmi.get_end_address(), 0x1FFFu);
  ASSERT_TRUE(bench->init.dmi(0x3000, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0x3000u);
  EXPECT_EQ(dmi.get_end_address(), 0x30FFu);
  EXPECT_EQ(dmi.get_dmi_ptr(), bench->probe.memory);
}

TEST(Router, DmiIsDeniedOverTheWholeGap) {
  tlm::tlm_dmi dmi;
  EXPECT_FALSE(bench->init.dmi(0x2800, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0x2000u);
  EXPECT_EQ(dmi.get_end_address(), 0x2FFFu);
  EXPECT_FALSE(bench->init.dmi(0x10, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0u);
  EXPECT_EQ(dmi.get_end_address(), 0xFFFu);
  EXPECT_FALSE(bench->init.dmi(kRamBase + kRamSize, dmi));
  EXPECT_EQ(dmi.get_start_address(), kRamBase + kRamSize);
  EXPECT_EQ(dmi.get_end_address(), ~sc_dt::uint64{0});
}

// spec/memory_map.txt's dmi column: a region marked "no" is never asked for
// DMI, and the denial covers the whole region.
TEST(Router, TheSpecDmiColumnDecidesWhereDmiIsGranted) {
  for (const auto& region : spec::kRegions) {
    tlm::tlm_dmi dmi;
    EXPECT_EQ(bench->spec_init.dmi(region.base + 4, dmi), region.dmi) << region.name;
    if (!region.dmi) {
      EXPECT_EQ(dmi.get_start_address(), region.base) << region.name;
      EXPECT_EQ(dmi.get_end_address(), region.base + region.size - 1) << region.name;
    }
  }
}

TEST(Router, InvalidationsGoUpInGlobalAddresses) {
  Initiator& init = bench->init;
  const int before = init.invalidations;
  bench->probe.invalidate(0x10, 0x20);  // probe is mapped twice
  EXPECT_EQ(init.invalidations - before, 2);
  EXPECT_EQ(init.invalidated_start, 0x3010u);  // the last one, probe_b
  EXPECT_EQ(init.invalidated_end, 0x3020u);
  bench->probe.invalidate(0x200, 0x300);  // beyond probe_b: only probe_a
  EXPECT_EQ(init.invalidations - before, 3);
  EXPECT_EQ(init.invalidated_start, 0x1200u);
  EXPECT_EQ(init.invalidated_end, 0x1300u);
  bench->probe.invalidate(0, ~sc_dt::uint64{0});
  EXPECT_EQ(init.invalidations - before, 5);
  EXPECT_EQ(init.invalidated_start, 0x3000u);
  EXPECT_EQ(init.invalidated_end, 0x30FFu);
}

TEST(Router, DebugAccessesAreClippedToTheRegion) {
  uint8_t buf[16] = {};
  bench->ram.data()[kRamSize - 1] = 0x77;
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, kRamBase + kRamSize - 4, buf, 16), 4u);
  EXPECT_EQ(buf[3], 0x77);
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, 0x2000, buf, 4), 0u);
  EXPECT_EQ(bench->init.debug(tlm::TLM_READ_COMMAND, 0x1FF8, buf, 16), 8u);
  EXPECT_EQ(bench->probe.last_address, 0xFF8u);
}

TEST(Router, MapRejectsOverlapsAndEmptyRegions) {
  Router& r = bench->router;
  EXPECT_THROW(r.map(0, 0x1FFF, 0x10, "tail", true), std::invalid_argument);
  EXPECT_THROW(r.map(0, 0x0, 0x1001, "head", true), std::invalid_argument);
  EXPECT_THROW(r.map(0, 0x0, 0x100000, "cover", true), std::invalid_argument);
  EXPECT_THROW(r.map(0, 0x1100, 0x10, "inside", true), std::invalid_argument);
  EXPECT_THROW(r.map(0, 0x5000, 0, "empty", true), std::invalid_argument);
  EXPECT_THROW(r.map(0, ~uint64_t{0}, 2, "wraps", true), std::invalid_argument);
  EXPECT_EQ(r.describe(),
            "0x00001000-0x00001fff out[0] probe_a\n"
            "0x00003000-0x000030ff out[0] probe_b\n"
            "0x80000000-0x8000ffff out[1] ram\n");
}

TEST(Router, TheSpecMapDecodes) {
  const std::string text = bench->spec_router.describe();
  unsigned index = 0;
  for (const auto& region : spec::kRegions) {
    EXPECT_NE(text.find(region.name), std::string::npos) << text;
    sc_time delay;
    uint32_t value = 0;
    EXPECT_EQ(bench->spec_init.transport(tlm::TLM_READ_COMMAND, region.base + region.size - 4,
                                         &value, 4, delay),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bench->spec_targets[index++]->last_address, region.size - 4) << region.name;
  }
  sc_time delay;
  uint32_t value = 0;
  EXPECT_EQ(bench->spec_init.transport(tlm::TLM_READ_COMMAND, spec::kUartBase + spec::kUartSize,
                                       &value, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

}  // namespace
}  // namespace trimode::tlm_

int sc_main(int argc, char** argv) {
  using namespace trimode::tlm_;
  return test::run_tests_in_systemc(argc, argv, [] { bench = new Bench; });
}

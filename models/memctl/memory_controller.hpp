// The memory controller: sits between the core and the router and decides what
// each access may reach. No second level of translation: the hardware checks.
//
//   V: physical, unchecked.
//   G: physical; the whole access must lie inside one segment of the running
//      VM's segment table. Outside: an access fault owned by V.
//   U: first relocated and bounded by G's process registers: U address a is
//      valid when a + size <= gbound and reaches physical gbase + a (outside the
//      bound: a fault owned by G); then checked like G (outside the VM's
//      segments: a fault owned by V).
//
// Registers on the `csr` socket (address = CSR number; block "memctl" in
// spec/csrs.txt): gpid, gbase, gbound (G's), vmid and the segment-table window
// vsegsel / vsegbase / vsegsize (V's), in a register bank (models/regs: names,
// reset values and fields from the spec; byte enables; transport_dbg, so a
// debugger reads vmid and walks the segment tables through vsegsel; direct
// access, the register bus's DMI, to what is plain storage: gpid, and reads of
// gbase, gbound, vmid and vsegsel). Any write
// but gpid and vsegsel invalidates every DMI window, because windows are
// granted per mode, in that mode's address space, and never extend beyond one
// segment of the running VM. A direct read (models/regs/direct_read.hpp: a
// device register's reader, the core's mtime loads) passes for V only.
#pragma once

#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/state/state_io.hpp"
#include "models/memctl/access_extension.hpp"
#include "models/regs/register_bank.hpp"

namespace trimode {

struct MemoryControllerConfig {
  unsigned vms = 16;              // segment tables (VM ids 0 .. vms-1)
  unsigned entries_per_vm = 32;   // segments per table
  bool dmi = true;                // grant DMI windows at all
};

struct Segment {
  uint32_t base = 0;
  uint32_t size = 0;  // 0: unused entry
  bool contains(uint64_t addr, uint64_t len) const {
    return size != 0 && addr >= base && addr + len <= uint64_t{base} + size;
  }
};

class MemoryController : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MemoryController> in;      // from the core
  tlm_utils::simple_initiator_socket<MemoryController> out;  // to the router
  tlm_utils::simple_target_socket<regs::Bank> csr;           // from the core's csr_memctl socket (register bank)

  MemoryController(sc_core::sc_module_name name, MemoryControllerConfig config = {});

  struct Stats {
    uint64_t checks = 0;       // accesses checked on the slow path (G and U)
    uint64_t faults = 0;       // accesses refused
    uint64_t dmi_grants = 0;   // DMI windows granted
  };
  const Stats& stats() const { return stats_; }
  uint32_t vmid() const { return static_cast<uint32_t>(vmid_.value()); }
  const Segment& segment(unsigned vm, unsigned entry) const { return table_[vm * config_.entries_per_vm + entry]; }

 private:
  enum class Verdict { kOk, kFaultG, kFaultV };
  // Maps a `len`-byte access at `addr` from `mode` to a physical address.
  Verdict translate(spec::Mode mode, uint64_t addr, uint64_t len, uint64_t* physical, const Segment** seg) const;
  // Applies translate() to a payload; on a fault sets the response and the extension's owner.
  bool admit(tlm::tlm_generic_payload& gp, uint64_t* physical, const Segment** seg);
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
  bool grant_dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);  // get_direct_mem_ptr with DMI enabled
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
  // The register bank's behaviour beyond storage (see the constructor).
  void define_registers();
  Segment* selected();  // vsegsel's entry, nullptr when beyond the table
  void invalidate_all();

  MemoryControllerConfig config_;
  std::vector<Segment> table_;
  regs::Bank regs_{"memctl", regs::BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0}};
  regs::Register& gbase_ = regs_["gbase"];
  regs::Register& gbound_ = regs_["gbound"];
  regs::Register& vmid_ = regs_["vmid"];
  regs::Register& segsel_ = regs_["vsegsel"];
  Stats stats_;

 public:
  // Checkpoint (docs/checkpoint.md): every segment table, the process and VM registers, statistics.
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode

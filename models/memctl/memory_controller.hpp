// The memory controller: sits between the core and the router and decides what
// each access may reach.
//
//   V: physical, unchecked.
//   G: physical.
//   U: relocated and bounded by G's process registers: U address a is valid when
//      a + size <= gbound, and reaches physical gbase + a. Outside: an access
//      fault owned by G (the exception owner rule).
//
// Its own registers (gpid, gbase, gbound, vmid; block "memctl" in spec/csrs.txt)
// are on the `csr` socket (address = CSR number). Writing any of them
// invalidates every DMI window the core holds, since windows are granted per
// mode in that mode's address space.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/memctl/access_extension.hpp"

namespace trimode {

class MemoryController : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MemoryController> in;      // from the core
  tlm_utils::simple_initiator_socket<MemoryController> out;  // to the router
  tlm_utils::simple_target_socket<MemoryController> csr;     // from the core's csr_memctl socket

  explicit MemoryController(sc_core::sc_module_name name);

  struct Stats {
    uint64_t checks = 0;       // accesses checked (slow path)
    uint64_t faults = 0;       // accesses refused
    uint64_t dmi_grants = 0;   // DMI windows granted
  };
  const Stats& stats() const { return stats_; }
  uint32_t vmid() const { return vmid_; }

 private:
  // Maps `gp`'s address for its initiator's mode; false (and the payload's
  // response set) when the access may not proceed.
  bool translate(tlm::tlm_generic_payload& gp, uint64_t* physical);
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
  void csr_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void invalidate_all();

  uint32_t gpid_ = 0;
  uint32_t gbase_ = 0;
  uint32_t gbound_ = 0;
  uint32_t vmid_ = 0;
  Stats stats_;
};

}  // namespace trimode

// Router: the platform's address decoder (one initiator in, N targets out).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace trimode::tlm_ {

struct RouterConfig {
  sc_core::sc_time latency{sc_core::SC_ZERO_TIME};  // added to every routed b_transport
};

// Decodes global addresses to (output, local address = global - region base).
//
// map(out_index, base, size, name, dmi) adds the region [base, base + size) routed
// to out[out_index] (with `dmi` false, DMI requests into it are denied for the
// whole region without asking the target; no default: every region says, as
// spec/memory_map.txt's dmi column does, so a new device cannot forget it); a region that overlaps an existing one, or is empty or
// wraps around 2^64, throws std::invalid_argument. The platform maps before
// sc_start; end_of_elaboration checks every mapped index is bound.
//
// b_transport: forwards with the local address (the global one is restored on
//   return) and adds the router latency. An access that is not entirely inside
//   one region answers TLM_ADDRESS_ERROR_RESPONSE and is not forwarded.
// transport_dbg: as b_transport, but a debug access crossing the region end is
//   clipped to the region (the return value tells how much was moved).
// get_direct_mem_ptr: forwards (regions mapped with dmi = false: denied); the granted range comes back in global
//   addresses, clipped to the region. Unmapped: denied, range = the gap. A
//   request with a direct read (models/regs/direct_read.hpp) into a region
//   mapped with dmi = false still asks the target for the reader (DMI stays
//   denied); any reader comes back empty unless the router has no latency
//   and the read lies inside the region.
// invalidate_direct_mem_ptr from out[i]: passed up on `in` in global addresses.
//
// Example: map(2, 0x80000000, 0x1000, "ram", true); a read at 0x80000010 reaches
// out[2] at 0x10; a DMI grant of local [0, 0xFFF] is seen as [0x80000000, 0x80000FFF].
class Router : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Router> in;
  tlm_utils::multi_passthrough_initiator_socket<Router> out;

  Router(sc_core::sc_module_name name, RouterConfig config = {});

  void map(unsigned out_index, uint64_t base, uint64_t size, const std::string& name, bool dmi);
  // One line per region, in address order: "0x80000000-0x87ffffff out[3] ram\n".
  std::string describe() const;

 private:
  struct Region {
    uint64_t base;
    uint64_t size;
    unsigned out_index;
    std::string name;
    bool dmi;
    uint64_t last() const { return base + (size - 1); }
  };

  // The region holding `addr`, or nullptr.
  const Region* find(uint64_t addr) const;
  void end_of_elaboration() override;
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  void invalidate_direct_mem_ptr(int out_index, sc_dt::uint64 start, sc_dt::uint64 end);
  void deny_gap(uint64_t addr, tlm::tlm_dmi& dmi) const;
  bool direct_read_passes(const Region& r, const tlm::tlm_generic_payload& trans) const;
  void forward_direct_read(const Region& r, tlm::tlm_generic_payload& trans);

  RouterConfig config_;
  std::map<uint64_t, Region> regions_;  // keyed by base (map nodes never move)
  mutable const Region* last_found_ = nullptr;  // find()'s last answer
};

}  // namespace trimode::tlm_

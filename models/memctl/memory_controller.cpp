#include "models/memctl/memory_controller.hpp"

#include <algorithm>
#include <cstring>

namespace trimode {

using spec::Mode;

MemoryController::MemoryController(sc_core::sc_module_name name)
    : sc_module(name), in("in"), out("out"), csr("csr") {
  in.register_b_transport(this, &MemoryController::b_transport);
  in.register_transport_dbg(this, &MemoryController::transport_dbg);
  in.register_get_direct_mem_ptr(this, &MemoryController::get_direct_mem_ptr);
  out.register_invalidate_direct_mem_ptr(this, &MemoryController::invalidate_direct_mem_ptr);
  csr.register_b_transport(this, &MemoryController::csr_transport);
}

bool MemoryController::translate(tlm::tlm_generic_payload& gp, uint64_t* physical) {
  const uint64_t addr = gp.get_address();
  if (initiator_mode(gp) != Mode::U) {
    *physical = addr;
    return true;
  }
  ++stats_.checks;
  if (addr + gp.get_data_length() > gbound_) {
    ++stats_.faults;
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  *physical = addr + gbase_;
  return true;
}

void MemoryController::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const uint64_t original = gp.get_address();
  uint64_t physical;
  if (!translate(gp, &physical)) return;
  if (AccessExtension* ext = gp.get_extension<AccessExtension>()) ext->vmid = vmid_;
  gp.set_address(physical);
  out->b_transport(gp, delay);
  gp.set_address(original);
}

unsigned int MemoryController::transport_dbg(tlm::tlm_generic_payload& gp) {
  const uint64_t original = gp.get_address();
  uint64_t physical;
  if (!translate(gp, &physical)) return 0;
  gp.set_address(physical);
  const unsigned int n = out->transport_dbg(gp);
  gp.set_address(original);
  return n;
}

// A window is granted in the requesting mode's address space; for U it is the
// router's window moved down by gbase and clipped to [0, gbound).
bool MemoryController::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  const Mode mode = initiator_mode(gp);
  const uint64_t original = gp.get_address();
  uint64_t physical;
  if (!translate(gp, &physical)) return false;
  gp.set_address(physical);
  const bool granted = out->get_direct_mem_ptr(gp, dmi);
  gp.set_address(original);
  if (!granted) return false;
  if (mode == Mode::U) {
    const uint64_t lo = std::max<uint64_t>(dmi.get_start_address(), gbase_);
    const uint64_t hi = std::min<uint64_t>(dmi.get_end_address(), uint64_t{gbase_} + gbound_ - 1);
    if (lo > hi) return false;
    dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (lo - dmi.get_start_address()));
    dmi.set_start_address(lo - gbase_);
    dmi.set_end_address(hi - gbase_);
  }
  ++stats_.dmi_grants;
  return true;
}

void MemoryController::invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) { invalidate_all(); }

void MemoryController::invalidate_all() { in->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0}); }

void MemoryController::csr_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  uint32_t* reg = nullptr;
  switch (gp.get_address()) {
    case spec::kCsrGpid: reg = &gpid_; break;
    case spec::kCsrGbase: reg = &gbase_; break;
    case spec::kCsrGbound: reg = &gbound_; break;
    case spec::kCsrVmid: reg = &vmid_; break;
    default: break;
  }
  if (!reg || gp.get_data_length() != 4) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.is_read()) {
    std::memcpy(gp.get_data_ptr(), reg, 4);
  } else {
    std::memcpy(reg, gp.get_data_ptr(), 4);
    if (reg != &gpid_) invalidate_all();
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace trimode

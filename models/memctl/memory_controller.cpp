#include "models/memctl/memory_controller.hpp"

#include <algorithm>
#include <cstring>

namespace trimode {

using spec::Mode;

MemoryController::MemoryController(sc_core::sc_module_name name, MemoryControllerConfig config)
    : sc_module(name), in("in"), out("out"), csr("csr"), config_(config),
      table_(size_t{config.vms} * config.entries_per_vm) {
  in.register_b_transport(this, &MemoryController::b_transport);
  in.register_transport_dbg(this, &MemoryController::transport_dbg);
  in.register_get_direct_mem_ptr(this, &MemoryController::get_direct_mem_ptr);
  out.register_invalidate_direct_mem_ptr(this, &MemoryController::invalidate_direct_mem_ptr);
  csr.register_b_transport(this, &MemoryController::csr_transport);
}

MemoryController::Verdict MemoryController::translate(Mode mode, uint64_t addr, uint64_t len, uint64_t* physical,
                                                      const Segment** seg) const {
  *seg = nullptr;
  *physical = addr;
  if (mode == Mode::V) return Verdict::kOk;
  if (mode == Mode::U) {
    if (addr + len > gbound_) return Verdict::kFaultG;
    *physical = addr + gbase_;
  }
  if (vmid_ >= config_.vms) return Verdict::kFaultV;
  for (unsigned e = 0; e < config_.entries_per_vm; ++e) {
    const Segment& s = segment(vmid_, e);
    if (s.contains(*physical, len)) {
      *seg = &s;
      return Verdict::kOk;
    }
  }
  return Verdict::kFaultV;
}

bool MemoryController::admit(tlm::tlm_generic_payload& gp, uint64_t* physical, const Segment** seg) {
  const Mode mode = initiator_mode(gp);
  if (mode != Mode::V) ++stats_.checks;
  const Verdict v = translate(mode, gp.get_address(), std::max(1u, gp.get_data_length()), physical, seg);
  if (v == Verdict::kOk) return true;
  ++stats_.faults;
  if (AccessExtension* ext = gp.get_extension<AccessExtension>()) ext->fault_to_v = v == Verdict::kFaultV;
  gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  return false;
}

void MemoryController::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const uint64_t original = gp.get_address();
  uint64_t physical;
  const Segment* seg;
  if (!admit(gp, &physical, &seg)) return;
  if (AccessExtension* ext = gp.get_extension<AccessExtension>()) ext->vmid = vmid_;
  gp.set_address(physical);
  out->b_transport(gp, delay);
  gp.set_address(original);
}

// Debug accesses see what the initiator's mode may reach, and count nowhere.
unsigned int MemoryController::transport_dbg(tlm::tlm_generic_payload& gp) {
  const uint64_t original = gp.get_address();
  uint64_t physical;
  const Segment* seg;
  if (translate(initiator_mode(gp), original, std::max(1u, gp.get_data_length()), &physical, &seg) != Verdict::kOk) {
    return 0;
  }
  gp.set_address(physical);
  const unsigned int n = out->transport_dbg(gp);
  gp.set_address(original);
  return n;
}

// A window is granted in the requesting mode's address space and covers only
// what that mode may reach: for G the router's window clipped to the segment
// holding the address; for U that, clipped to [gbase, gbase + gbound) and moved
// down by gbase. V's window is the router's.
bool MemoryController::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  if (!config_.dmi) return false;
  const Mode mode = initiator_mode(gp);
  const uint64_t original = gp.get_address();
  uint64_t physical;
  const Segment* seg;
  if (translate(mode, original, 1, &physical, &seg) != Verdict::kOk) return false;
  gp.set_address(physical);
  const bool granted = out->get_direct_mem_ptr(gp, dmi);
  gp.set_address(original);
  if (!granted) return false;
  uint64_t lo = dmi.get_start_address(), hi = dmi.get_end_address();
  if (seg) {
    lo = std::max<uint64_t>(lo, seg->base);
    hi = std::min<uint64_t>(hi, uint64_t{seg->base} + seg->size - 1);
  }
  uint64_t shift = 0;
  if (mode == Mode::U) {
    lo = std::max<uint64_t>(lo, gbase_);
    hi = std::min<uint64_t>(hi, uint64_t{gbase_} + gbound_ - 1);
    shift = gbase_;
  }
  if (lo > hi) return false;
  dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (lo - dmi.get_start_address()));
  dmi.set_start_address(lo - shift);
  dmi.set_end_address(hi - shift);
  ++stats_.dmi_grants;
  return true;
}

void MemoryController::invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) { invalidate_all(); }

void MemoryController::invalidate_all() { in->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0}); }

int MemoryController::selected_index() const {
  const unsigned entry = (segsel_ & spec::kVsegselEntryMask) >> spec::kVsegselEntryShift;
  const unsigned vm = (segsel_ & spec::kVsegselVmMask) >> spec::kVsegselVmShift;
  if (vm >= config_.vms || entry >= config_.entries_per_vm) return -1;
  return static_cast<int>(vm * config_.entries_per_vm + entry);
}

bool MemoryController::csr_read(uint16_t number, uint32_t* value) const {
  const int i = selected_index();
  const Segment* s = i < 0 ? nullptr : &table_[i];
  switch (number) {
    case spec::kCsrGpid: *value = gpid_; return true;
    case spec::kCsrGbase: *value = gbase_; return true;
    case spec::kCsrGbound: *value = gbound_; return true;
    case spec::kCsrVmid: *value = vmid_; return true;
    case spec::kCsrVsegsel: *value = segsel_; return true;
    case spec::kCsrVsegbase: *value = s ? s->base : 0; return true;
    case spec::kCsrVsegsize: *value = s ? s->size : 0; return true;
    default: return false;
  }
}

// An entry beyond the configured table reads as 0 and ignores writes (WARL),
// so V can probe the table size.
bool MemoryController::csr_write(uint16_t number, uint32_t value) {
  const int i = selected_index();
  Segment* s = i < 0 ? nullptr : &table_[i];
  switch (number) {
    case spec::kCsrGpid: gpid_ = value; return true;
    case spec::kCsrGbase: gbase_ = value; break;
    case spec::kCsrGbound: gbound_ = value; break;
    case spec::kCsrVmid: vmid_ = value; break;
    case spec::kCsrVsegsel: segsel_ = value & (spec::kVsegselEntryMask | spec::kVsegselVmMask); return true;
    case spec::kCsrVsegbase: if (s) s->base = value; break;
    case spec::kCsrVsegsize: if (s) s->size = value; break;
    default: return false;
  }
  invalidate_all();
  return true;
}

void MemoryController::csr_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
  uint32_t value = 0;
  bool ok = gp.get_data_length() == 4 && gp.get_address() <= 0xFFF;
  const auto number = static_cast<uint16_t>(gp.get_address());
  if (ok && gp.is_read()) {
    ok = csr_read(number, &value);
    if (ok) std::memcpy(gp.get_data_ptr(), &value, 4);
  } else if (ok) {
    std::memcpy(&value, gp.get_data_ptr(), 4);
    ok = csr_write(number, value);
  }
  gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

}  // namespace trimode

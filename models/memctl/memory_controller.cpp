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
  csr.register_b_transport(&regs_, &regs::Bank::b_transport);
  csr.register_transport_dbg(&regs_, &regs::Bank::transport_dbg);
  csr.register_get_direct_mem_ptr(&regs_, &regs::Bank::get_direct_mem_ptr);
  define_registers();
}

MemoryController::Verdict MemoryController::translate(Mode mode, uint64_t addr, uint64_t len, uint64_t* physical,
                                                      const Segment** seg) const {
  *seg = nullptr;
  *physical = addr;
  if (mode == Mode::V) return Verdict::kOk;
  if (mode == Mode::U) {
    if (addr + len > gbound_.value()) return Verdict::kFaultG;
    *physical = addr + gbase_.value();
  }
  const uint64_t vmid = vmid_.value();
  if (vmid >= config_.vms) return Verdict::kFaultV;
  for (unsigned e = 0; e < config_.entries_per_vm; ++e) {
    const Segment& s = segment(static_cast<unsigned>(vmid), e);
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
  if (AccessExtension* ext = gp.get_extension<AccessExtension>()) ext->vmid = vmid();
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
// A direct read (models/regs/direct_read.hpp) passes for V only: V's
// accesses are neither checked nor counted (G's and U's are), and its
// addresses are physical. Without DMI (--no-dmi) there is none either.
bool MemoryController::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  regs::DirectRead* reader = gp.get_extension<regs::DirectRead>();
  if (reader) reader->clear();
  const bool granted = config_.dmi && grant_dmi(gp, dmi);
  if (reader && initiator_mode(gp) != Mode::V) reader->clear();
  return granted;
}

bool MemoryController::grant_dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
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
    lo = std::max<uint64_t>(lo, gbase_.value());
    hi = std::min<uint64_t>(hi, gbase_.value() + gbound_.value() - 1);
    shift = gbase_.value();
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

Segment* MemoryController::selected() {
  const uint64_t sel = segsel_.value();
  const unsigned entry = (sel & spec::kVsegselEntryMask) >> spec::kVsegselEntryShift;
  const unsigned vm = (sel & spec::kVsegselVmMask) >> spec::kVsegselVmShift;
  if (vm >= config_.vms || entry >= config_.entries_per_vm) return nullptr;
  return &table_[vm * config_.entries_per_vm + entry];
}

// gpid and vsegsel are plain storage. gbase, gbound and vmid store, then
// invalidate DMI when the value changed (a kernel rewrites gbase and gbound
// on every return to its process: granted windows stay right when they do not
// change). vsegbase / vsegsize are windows on the selected entry: an entry
// beyond the configured table reads as 0 and ignores writes (WARL), so V can
// probe the table size.
void MemoryController::define_registers() {
  for (regs::Register* r : {&gbase_, &gbound_, &vmid_}) {
    r->on_write([this, r](uint64_t v) {
      const uint64_t old = r->value();
      r->set(v);
      if (r->value() != old) invalidate_all();
    });
  }
  auto window = [this](const char* name, uint32_t Segment::*field) {
    regs_[name].on_read([this, field] {
      const Segment* s = selected();
      return s ? s->*field : 0;
    });
    regs_[name].on_write([this, field](uint64_t v) {
      Segment* s = selected();
      if (!s || s->*field == static_cast<uint32_t>(v)) return;
      s->*field = static_cast<uint32_t>(v);
      invalidate_all();
    });
  };
  window("vsegbase", &Segment::base);
  window("vsegsize", &Segment::size);
}


// ---- checkpoint ----------------------------------------------------------------

void MemoryController::save(StateWriter& w) const {
  w.begin("MCTL");
  w.u32(static_cast<uint32_t>(table_.size()));
  for (const Segment& s : table_) {
    w.u32(s.base);
    w.u32(s.size);
  }
  regs_.save(w);
  for (uint64_t v : {stats_.checks, stats_.faults, stats_.dmi_grants}) w.u64(v);
  w.end();
}

void MemoryController::restore(StateReader& r) {
  r.begin("MCTL");
  if (r.u32() != table_.size()) r.fail("segment table size differs from this run's --segments");
  for (Segment& s : table_) {
    s.base = r.u32();
    s.size = r.u32();
  }
  regs_.restore(r);
  for (uint64_t* v : {&stats_.checks, &stats_.faults, &stats_.dmi_grants}) *v = r.u64();
  r.end();
}
}  // namespace trimode

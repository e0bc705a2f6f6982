#include "tlm/bus/router.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "models/regs/direct_read.hpp"

namespace trimode::tlm_ {

Router::Router(sc_core::sc_module_name name, RouterConfig config)
    : sc_module(name), in("in"), out("out"), config_(config) {
  in.register_b_transport(this, &Router::b_transport);
  in.register_transport_dbg(this, &Router::transport_dbg);
  in.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
  out.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
}

void Router::map(unsigned out_index, uint64_t base, uint64_t size, const std::string& name, bool dmi) {
  if (size == 0 || base + (size - 1) < base) {
    throw std::invalid_argument("router: region '" + name + "' is empty or wraps");
  }
  const Region region{base, size, out_index, name, dmi};
  auto next = regions_.lower_bound(base);
  if (next != regions_.end() && next->second.base <= region.last()) {
    throw std::invalid_argument("router: region '" + name + "' overlaps '" + next->second.name + "'");
  }
  if (next != regions_.begin() && std::prev(next)->second.last() >= base) {
    throw std::invalid_argument("router: region '" + name + "' overlaps '" +
                                std::prev(next)->second.name + "'");
  }
  regions_.emplace(base, region);
}

std::string Router::describe() const {
  std::string text;
  for (const auto& [base, r] : regions_) {
    char line[128];
    std::snprintf(line, sizeof line, "0x%08llx-0x%08llx out[%u] ", static_cast<unsigned long long>(base),
                  static_cast<unsigned long long>(r.last()), r.out_index);
    text += line + r.name + "\n";
  }
  return text;
}

// The region holding addr: the last one found when it does (a device's
// registers are accessed in runs), else a lookup.
const Router::Region* Router::find(uint64_t addr) const {
  if (last_found_ && addr - last_found_->base <= last_found_->size - 1) return last_found_;
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return nullptr;
  const Region& r = std::prev(it)->second;
  if (addr > r.last()) return nullptr;
  last_found_ = &r;
  return &r;
}

void Router::end_of_elaboration() {
  for (const auto& [base, r] : regions_) {
    if (r.out_index >= out.size()) {
      SC_REPORT_ERROR("trimode/router", ("region '" + r.name + "' maps to an unbound output").c_str());
    }
  }
}

void Router::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  const uint64_t len = trans.get_data_length();
  const Region* r = find(addr);
  if (r == nullptr || (len > 0 && len - 1 > r->last() - addr)) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  delay += config_.latency;
  trans.set_address(addr - r->base);
  out[r->out_index]->b_transport(trans, delay);
  trans.set_address(addr);
}

unsigned int Router::transport_dbg(tlm::tlm_generic_payload& trans) {
  const uint64_t addr = trans.get_address();
  const unsigned int len = trans.get_data_length();
  const Region* r = find(addr);
  if (r == nullptr) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return 0;
  }
  const uint64_t room = r->last() - addr;  // bytes after addr inside the region
  trans.set_data_length(static_cast<unsigned int>(std::min<uint64_t>(len, room + 1)));
  trans.set_address(addr - r->base);
  const unsigned int moved = out[r->out_index]->transport_dbg(trans);
  trans.set_address(addr);
  trans.set_data_length(len);
  return moved;
}

// Denies DMI over the unmapped gap that holds addr.
void Router::deny_gap(uint64_t addr, tlm::tlm_dmi& dmi) const {
  dmi.init();
  auto next = regions_.upper_bound(addr);
  dmi.set_start_address(next == regions_.begin() ? 0 : std::prev(next)->second.last() + 1);
  dmi.set_end_address(next == regions_.end() ? ~sc_dt::uint64{0} : next->second.base - 1);
}

bool Router::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  const uint64_t addr = trans.get_address();
  const Region* r = find(addr);
  if (r == nullptr) {
    deny_gap(addr, dmi);
    return false;
  }
  if (!r->dmi) {  // never asks the target for DMI: denied for the whole region
    forward_direct_read(*r, trans);
    dmi.init();
    dmi.set_start_address(r->base);
    dmi.set_end_address(r->last());
    return false;
  }
  trans.set_address(addr - r->base);
  const bool granted = out[r->out_index]->get_direct_mem_ptr(trans, dmi);
  trans.set_address(addr);
  regs::DirectRead* reader = trans.get_extension<regs::DirectRead>();
  if (reader && !direct_read_passes(*r, trans)) reader->clear();
  const uint64_t local_end = std::min<uint64_t>(dmi.get_end_address(), r->size - 1);
  const uint64_t local_start = std::min<uint64_t>(dmi.get_start_address(), local_end);
  dmi.set_start_address(r->base + local_start);
  dmi.set_end_address(r->base + local_end);
  return granted;
}

// A direct read (models/regs/direct_read.hpp) may pass when routing the
// read adds nothing to it (no latency) and it lies inside the region, as
// b_transport requires.
bool Router::direct_read_passes(const Region& r, const tlm::tlm_generic_payload& trans) const {
  const uint64_t addr = trans.get_address();
  const uint64_t len = trans.get_data_length();
  return config_.latency == sc_core::SC_ZERO_TIME && len > 0 && len - 1 <= r.last() - addr;
}

// Into a region without DMI: only the reader is asked from the target.
void Router::forward_direct_read(const Region& r, tlm::tlm_generic_payload& trans) {
  regs::DirectRead* reader = trans.get_extension<regs::DirectRead>();
  if (!reader) return;
  reader->clear();
  if (!direct_read_passes(r, trans)) return;
  const uint64_t addr = trans.get_address();
  tlm::tlm_dmi ignored;
  trans.set_address(addr - r.base);
  out[r.out_index]->get_direct_mem_ptr(trans, ignored);
  trans.set_address(addr);
}

void Router::invalidate_direct_mem_ptr(int out_index, sc_dt::uint64 start, sc_dt::uint64 end) {
  for (const auto& [base, r] : regions_) {
    if (r.out_index != static_cast<unsigned>(out_index) || start > r.size - 1) continue;
    in->invalidate_direct_mem_ptr(base + start, base + std::min<sc_dt::uint64>(end, r.size - 1));
  }
}

}  // namespace trimode::tlm_

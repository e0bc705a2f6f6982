#include "tlm/devices/clint.hpp"

#include <cstring>

#include "tlm/devices/target_checks.hpp"

namespace trimode::tlm_ {

Clint::Clint(sc_core::sc_module_name name, ClintConfig config)
    : sc_module(name), in("in"), irq("irq"), time("time"), soft_irq("soft_irq"), config_(config) {
  time.bind(*this);
  if (config_.tick == sc_core::SC_ZERO_TIME) SC_REPORT_FATAL("trimode/clint", "tick must be > 0");
  in.register_b_transport(this, &Clint::b_transport);
  in.register_transport_dbg(this, &Clint::transport_dbg);
  SC_METHOD(update);
  sensitive << update_event_;
}

uint64_t Clint::ticks_at(const sc_core::sc_time& t) const {
  return t.value() / config_.tick.value();
}

uint64_t Clint::mtime_at(const sc_core::sc_time& t) const { return ticks_at(t) + offset_; }

tlm::tlm_response_status Clint::decode(const tlm::tlm_generic_payload& trans, uint64_t& reg,
                                       unsigned& shift, bool debug) const {
  tlm::tlm_response_status status = check_common(trans, kSize, debug);
  if (status != tlm::TLM_OK_RESPONSE) return status;
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (addr == kMsip) {
    reg = kMsip;
  } else if ((addr & ~uint64_t{4}) == kMtimecmp || (addr & ~uint64_t{4}) == kMtime) {
    reg = addr & ~uint64_t{4};
  } else {
    return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  }
  shift = static_cast<unsigned>(addr - reg) * 8;
  const bool ok = reg == kMsip ? len == 4 : (len == 4 || (len == 8 && shift == 0));
  return ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_BURST_ERROR_RESPONSE;
}

uint64_t Clint::read_reg(uint64_t reg, const sc_core::sc_time& t) const {
  switch (reg) {
    case kMsip: return msip_ ? 1 : 0;
    case kMtimecmp: return mtimecmp_;
    default: return mtime_at(t);
  }
}

void Clint::write_reg(uint64_t reg, uint64_t value, const sc_core::sc_time& t) {
  switch (reg) {
    case kMsip: msip_ = value & 1; break;
    case kMtimecmp: mtimecmp_ = value; break;
    default: offset_ = value - ticks_at(t); break;
  }
}

// Reads and writes the accessed bytes [shift/8, shift/8 + len) of the register.
void Clint::access(tlm::tlm_generic_payload& trans, uint64_t reg, unsigned shift,
                   const sc_core::sc_time& t) {
  const unsigned len = trans.get_data_length();
  const uint64_t mask = len == 8 ? ~uint64_t{0} : ((uint64_t{1} << (8 * len)) - 1) << shift;
  uint64_t value = read_reg(reg, t);
  if (trans.is_read()) {
    const uint64_t part = (value & mask) >> shift;
    std::memcpy(trans.get_data_ptr(), &part, len);  // host is little endian
    return;
  }
  uint64_t part = 0;
  std::memcpy(&part, trans.get_data_ptr(), len);
  value = (value & ~mask) | ((part << shift) & mask);
  write_reg(reg, value, t);
}

void Clint::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  uint64_t reg = 0;
  unsigned shift = 0;
  tlm::tlm_response_status status = decode(trans, reg, shift);
  const tlm::tlm_command cmd = trans.get_command();
  if (status == tlm::TLM_OK_RESPONSE && !is_data_command(cmd) && cmd != tlm::TLM_IGNORE_COMMAND) {
    status = tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  if (status == tlm::TLM_OK_RESPONSE && is_data_command(cmd)) {
    access(trans, reg, shift, sc_core::sc_time_stamp() + delay);
    if (trans.is_write()) update_event_.notify(delay);
    delay += config_.latency;
  }
  trans.set_response_status(status);
}

// Debug access at the current simulated time; debug writes re-evaluate irq too.
unsigned int Clint::transport_dbg(tlm::tlm_generic_payload& trans) {
  uint64_t reg = 0;
  unsigned shift = 0;
  if (!is_data_command(trans.get_command()) || decode(trans, reg, shift, true) != tlm::TLM_OK_RESPONSE) {
    return 0;
  }
  access(trans, reg, shift, sc_core::sc_time_stamp());
  if (trans.is_write()) update_event_.notify(sc_core::SC_ZERO_TIME);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return trans.get_data_length();
}

// Drives irq and soft_irq from the registers and schedules the next match.
// update_event_ keeps its earliest pending notification, so a write never
// delays an already scheduled match; this method always recomputes from state.
void Clint::update() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const uint64_t mtime = mtime_at(now);
  const bool timer = mtime >= mtimecmp_;
  irq.write(timer);
  if (soft_irq.size() > 0) soft_irq->write(msip_);
  if (timer) return;
  const uint64_t ticks_left = mtimecmp_ - mtime;
  const uint64_t max_ticks = sc_core::sc_max_time().value() / config_.tick.value();
  const uint64_t now_ticks = ticks_at(now);
  if (ticks_left > max_ticks - now_ticks) return;  // beyond the end of simulated time
  const sc_core::sc_time match =
      sc_core::sc_time::from_value((now_ticks + ticks_left) * config_.tick.value());
  update_event_.notify(match - now);
}

}  // namespace trimode::tlm_

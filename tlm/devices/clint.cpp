#include "tlm/devices/clint.hpp"

namespace trimode::tlm_ {

Clint::Clint(sc_core::sc_module_name name, ClintConfig config)
    : sc_module(name), in("in"), irq("irq"), time("time"), soft_irq("soft_irq"), config_(config),
      regs_("clint", regs::BankConfig{false, false, true, config.latency, 0}) {
  time.bind(*this);
  if (config_.tick == sc_core::SC_ZERO_TIME) SC_REPORT_FATAL("trimode/clint", "tick must be > 0");
  regs_["mtimecmp"].allow_widths({4});
  regs_["mtime"].allow_widths({4});
  regs_["mtime"].on_read([this] { return mtime_at(regs_.now()); });
  regs_["mtime"].on_read_at([](const void* c, uint64_t at) { return static_cast<const Clint*>(c)->mtime_at_value(at); },
                            this);  // the same, for direct reads (the hypervisor's)
  regs_["mtime"].on_write([this](uint64_t v) {
    offset_ = v - ticks_at(regs_.now());
    written();
  });
  for (regs::Register* r : {&msip_, &mtimecmp_}) {
    r->on_write([this, r](uint64_t v) {
      r->set(v);
      written();
    });
  }
  in.register_b_transport(&regs_, &regs::Bank::b_transport);
  in.register_transport_dbg(&regs_, &regs::Bank::transport_dbg);
  in.register_get_direct_mem_ptr(&regs_, &regs::Bank::get_direct_mem_ptr);  // no DMI; direct reads (mtime)
  SC_METHOD(update);
  sensitive << update_event_;
}

void Clint::written() { update_event_.notify(regs_.now() - sc_core::sc_time_stamp()); }

uint64_t Clint::ticks_at(const sc_core::sc_time& t) const {
  return t.value() / config_.tick.value();
}

uint64_t Clint::mtime_at(const sc_core::sc_time& t) const { return mtime_at_value(t.value()); }

uint64_t Clint::mtime_at_value(uint64_t t) const { return t / config_.tick.value() + offset_; }

// Drives irq and soft_irq from the registers and schedules the next match.
// update_event_ keeps its earliest pending notification, so a write never
// delays an already scheduled match; this method always recomputes from state.
void Clint::update() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const uint64_t mtime = mtime_at(now);
  const uint64_t mtimecmp = mtimecmp_.value();
  const bool timer = mtime >= mtimecmp;
  irq.write(timer);
  if (soft_irq.size() > 0) soft_irq->write(msip_.value() & spec::kClintMsipMsipMask);
  if (timer) return;
  const uint64_t ticks_left = mtimecmp - mtime;
  const uint64_t max_ticks = sc_core::sc_max_time().value() / config_.tick.value();
  const uint64_t now_ticks = ticks_at(now);
  if (ticks_left > max_ticks - now_ticks) return;  // beyond the end of simulated time
  const sc_core::sc_time match =
      sc_core::sc_time::from_value((now_ticks + ticks_left) * config_.tick.value());
  update_event_.notify(match - now);
}


void Clint::save(StateWriter& w) const {
  w.begin("CLNT");
  regs_.save(w);
  w.u64(offset_);
  w.end();
}

// Before the simulation starts: update() runs at initialisation, drives irq from
// the restored registers and schedules the next match.
void Clint::restore(StateReader& r) {
  r.begin("CLNT");
  regs_.restore(r);
  offset_ = r.u64();
  r.end();
}
}  // namespace trimode::tlm_

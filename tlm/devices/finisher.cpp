#include "tlm/devices/finisher.hpp"

#include <utility>

namespace trimode::tlm_ {

Finisher::Finisher(sc_core::sc_module_name name, FinisherConfig config)
    : sc_module(name), in("in"), config_(std::move(config)),
      regs_("finisher", regs::BankConfig{false, false, false, config_.latency, 0}) {
  regs_["test"].on_write([this](uint64_t v) { write(static_cast<uint32_t>(v)); });
  in.register_b_transport(&regs_, &regs::Bank::b_transport);
  in.register_transport_dbg(&regs_, &regs::Bank::transport_dbg);
}

void Finisher::finish(int code) {
  exit_code_ = code;
  config_.on_exit(code);
}

void Finisher::write(uint32_t value) {
  const uint32_t status = value & 0xFFFF;
  if (exit_code_.has_value()) {
    ++ignored_writes_;
  } else if (status == kPass) {
    finish(0);
  } else if (status == kFail) {
    finish(static_cast<int>(value >> 16));
  } else if (status == kReset) {
    reset_requested_ = true;
    SC_REPORT_INFO("trimode/finisher", "reset requested; the platform has no reset, ending as pass");
    finish(0);
  } else {
    ++ignored_writes_;
  }
}

void Finisher::save(StateWriter& w) const {
  w.begin("FINI");
  w.u64(ignored_writes_);
  w.end();
}

void Finisher::restore(StateReader& r) {
  r.begin("FINI");
  ignored_writes_ = r.u64();
  r.end();
}
}  // namespace trimode::tlm_

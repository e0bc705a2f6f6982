#include "tlm/devices/finisher.hpp"

#include <cstring>
#include <utility>

#include "tlm/devices/target_checks.hpp"

namespace trimode::tlm_ {

Finisher::Finisher(sc_core::sc_module_name name, FinisherConfig config)
    : sc_module(name), in("in"), config_(std::move(config)) {
  in.register_b_transport(this, &Finisher::b_transport);
  in.register_transport_dbg(this, &Finisher::transport_dbg);
}

tlm::tlm_response_status Finisher::decode(const tlm::tlm_generic_payload& trans, bool debug) const {
  tlm::tlm_response_status status = check_common(trans, 4, debug);
  if (status == tlm::TLM_ADDRESS_ERROR_RESPONSE && trans.get_address() == 0) {
    return tlm::TLM_BURST_ERROR_RESPONSE;  // register hit, but wider than 4 bytes
  }
  if (status != tlm::TLM_OK_RESPONSE) return status;
  if (trans.get_address() != 0) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  return trans.get_data_length() == 4 ? tlm::TLM_OK_RESPONSE : tlm::TLM_BURST_ERROR_RESPONSE;
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

void Finisher::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  tlm::tlm_response_status status = decode(trans);
  const tlm::tlm_command cmd = trans.get_command();
  if (status == tlm::TLM_OK_RESPONSE && !is_data_command(cmd) && cmd != tlm::TLM_IGNORE_COMMAND) {
    status = tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  if (status == tlm::TLM_OK_RESPONSE && is_data_command(cmd)) {
    delay += config_.latency;
    if (trans.is_read()) {
      std::memset(trans.get_data_ptr(), 0, 4);
    } else {
      uint32_t value = 0;
      std::memcpy(&value, trans.get_data_ptr(), 4);
      write(value);
    }
  }
  trans.set_response_status(status);
}

// Debug reads return 0; debug writes are refused (a debugger must not end the run).
unsigned int Finisher::transport_dbg(tlm::tlm_generic_payload& trans) {
  if (!trans.is_read() || decode(trans, true) != tlm::TLM_OK_RESPONSE) return 0;
  std::memset(trans.get_data_ptr(), 0, 4);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return 4;
}

}  // namespace trimode::tlm_

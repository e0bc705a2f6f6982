#include "models/modereg/mode_register.hpp"

#include <cstring>

namespace trimode {

ModeRegister::ModeRegister(sc_core::sc_module_name name) : sc_module(name), control("control"), csr("csr"), timer_irq("timer_irq") {
  control.bind(*this);
  csr.register_b_transport(this, &ModeRegister::b_transport);
  csr.register_transport_dbg(this, &ModeRegister::transport_dbg);
  SC_HAS_PROCESS(ModeRegister);
  SC_METHOD(on_timer);
  sensitive << timer_irq;
  dont_initialize();
  state_.set_observer([this](const Transition& t) { on_transition(t); });
}

void ModeRegister::on_timer() { state_.set_timer_line(timer_irq.read()); }

void ModeRegister::on_transition(const Transition& t) {
  if (tracing_) {
    mode_sig.write(static_cast<uint32_t>(t.to));
    (t.is_exit ? exit_sig : trap_sig).write(true);
    if (!t.is_exit) cause_sig.write(t.cause);
  }
  for (auto& o : observers_) o(t);
}

void ModeRegister::enable_trace(sc_core::sc_trace_file* tf) {
  tracing_ = true;
  mode_sig.write(static_cast<uint32_t>(state_.mode()));
  sc_core::sc_trace(tf, mode_sig, std::string(name()) + ".mode");
  sc_core::sc_trace(tf, trap_sig, std::string(name()) + ".trap_taken");
  sc_core::sc_trace(tf, exit_sig, std::string(name()) + ".exit_taken");
  sc_core::sc_trace(tf, cause_sig, std::string(name()) + ".cause");
}

void ModeRegister::end_cycle() {
  if (!tracing_) return;
  trap_sig.write(false);
  exit_sig.write(false);
}

// One 4-byte register per CSR number; anything else is an address error.
bool ModeRegister::access(tlm::tlm_generic_payload& gp) {
  if (gp.get_data_length() != 4 || gp.get_byte_enable_ptr() || gp.get_address() > 0xFFF) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  const auto number = static_cast<uint16_t>(gp.get_address());
  uint32_t value = 0;
  bool ok = false;
  if (gp.is_read()) {
    ok = state_.csr_read(number, &value);
    if (ok) std::memcpy(gp.get_data_ptr(), &value, 4);
  } else if (gp.is_write()) {
    std::memcpy(&value, gp.get_data_ptr(), 4);
    ok = state_.csr_write(number, value);
  }
  gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  return ok;
}

void ModeRegister::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) { access(gp); }

unsigned int ModeRegister::transport_dbg(tlm::tlm_generic_payload& gp) { return access(gp) ? 4 : 0; }

}  // namespace trimode

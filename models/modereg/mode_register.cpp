#include "models/modereg/mode_register.hpp"

namespace trimode {

ModeRegister::ModeRegister(sc_core::sc_module_name name) : sc_module(name), control("control"), csr("csr"), timer_irq("timer_irq") {
  control.bind(*this);
  csr.register_b_transport(this, &ModeRegister::b_transport);
  csr.register_transport_dbg(this, &ModeRegister::transport_dbg);
  csr.register_get_direct_mem_ptr(this, &ModeRegister::get_direct_mem_ptr);
  define_registers();
  SC_HAS_PROCESS(ModeRegister);
  SC_METHOD(on_timer);
  sensitive << timer_irq;
  dont_initialize();
  state_.set_observer([this](const Transition& t) { on_transition(t); });
}

void ModeRegister::on_timer() { state_.set_timer_line(timer_irq.read()); }

void ModeRegister::on_transition(const Transition& t) {
  for (auto& o : observers_) o(t);
}

// The CSR bank (models/regs): every "modereg" row of spec/csrs.txt, each read
// and written through ModeState, which holds the state the trap path uses.
// The spec's reset values are written once at construction. The registers
// that are plain storage in ModeState (scratch, cause, tval; tvec and epc for
// reads) are declared so: the bank grants direct access to them.
void ModeRegister::define_registers() {
  for (const regs::Register& info : csrs_.registers()) {
    const auto number = static_cast<uint16_t>(info.offset());
    regs::Register& r = csrs_[info.name()];
    r.on_read([this, number] {
      uint32_t value = 0;
      state_.csr_read(number, &value);
      return value;
    });
    r.on_write([this, number](uint64_t v) { state_.csr_write(number, static_cast<uint32_t>(v)); });
    bool plain_writes = false;
    if (uint32_t* storage = state_.storage(number, &plain_writes)) r.direct(storage, plain_writes);
    r.write(r.reset_value());
  }
}

void ModeRegister::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) { csrs_.b_transport(gp, delay); }

unsigned int ModeRegister::transport_dbg(tlm::tlm_generic_payload& gp) { return csrs_.transport_dbg(gp); }

bool ModeRegister::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  return csrs_.get_direct_mem_ptr(gp, dmi);
}


void ModeRegister::save(StateWriter& w) const { state_.save(w); }
void ModeRegister::restore(StateReader& r) { state_.restore(r); }
}  // namespace trimode

#include "tlm/devices/uart.hpp"

#include <cstring>

#include "tlm/devices/target_checks.hpp"

namespace trimode::tlm_ {

Uart16550::Uart16550(sc_core::sc_module_name name, UartConfig config)
    : sc_module(name), in("in"), config_(config) {
  in.register_b_transport(this, &Uart16550::b_transport);
  in.register_transport_dbg(this, &Uart16550::transport_dbg);
}

tlm::tlm_response_status Uart16550::decode(const tlm::tlm_generic_payload& trans,
                                           unsigned& reg, bool debug) const {
  const uint64_t stride = uint64_t{1} << config_.reg_shift;
  const uint64_t window = (kNumRegs - 1) * stride + 4;  // last register may be read as 4 bytes
  tlm::tlm_response_status status = check_common(trans, window, debug);
  if (status != tlm::TLM_OK_RESPONSE) return status;
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (addr % stride != 0 || addr / stride >= kNumRegs) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  if (len != 1 && len != 4) return tlm::TLM_BURST_ERROR_RESPONSE;
  reg = static_cast<unsigned>(addr / stride);
  return tlm::TLM_OK_RESPONSE;
}

uint8_t Uart16550::read_reg(unsigned reg) const {
  const bool dlab = regs_[kLcr] & kLcrDlab;
  switch (reg) {
    case kRbrThr: return dlab ? dll_ : 0;
    case kIer: return dlab ? dlm_ : regs_[kIer];
    case kIirFcr: return (regs_[kIirFcr] & 0x01) ? 0xC1 : 0x01;
    case kLsr: return kLsrIdle;
    default: return regs_[reg];
  }
}

void Uart16550::write_reg(unsigned reg, uint8_t value) {
  const bool dlab = regs_[kLcr] & kLcrDlab;
  if (reg == kRbrThr && dlab) {
    dll_ = value;
  } else if (reg == kRbrThr) {
    config_.out->put(static_cast<char>(value));
    config_.out->flush();
    ++bytes_written_;
  } else if (reg == kIer && dlab) {
    dlm_ = value;
  } else if (reg != kLsr) {
    regs_[reg] = value;
  }
}

void Uart16550::access(tlm::tlm_generic_payload& trans, unsigned reg) {
  uint8_t* data = trans.get_data_ptr();
  if (trans.is_write()) {
    write_reg(reg, data[0]);
  } else {
    std::memset(data, 0, trans.get_data_length());
    data[0] = read_reg(reg);
  }
}

void Uart16550::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  unsigned reg = 0;
  tlm::tlm_response_status status = decode(trans, reg);
  const tlm::tlm_command cmd = trans.get_command();
  if (status == tlm::TLM_OK_RESPONSE && !is_data_command(cmd) && cmd != tlm::TLM_IGNORE_COMMAND) {
    status = tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  if (status == tlm::TLM_OK_RESPONSE && is_data_command(cmd)) {
    access(trans, reg);
    delay += config_.latency;
  }
  trans.set_response_status(status);
}

// Debug reads have no side effects (none exist on reads here); debug writes
// are refused so that a debugger cannot emit console bytes by accident.
unsigned int Uart16550::transport_dbg(tlm::tlm_generic_payload& trans) {
  unsigned reg = 0;
  if (!trans.is_read() || decode(trans, reg, true) != tlm::TLM_OK_RESPONSE) return 0;
  access(trans, reg);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return trans.get_data_length();
}

}  // namespace trimode::tlm_

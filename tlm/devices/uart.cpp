#include "tlm/devices/uart.hpp"

#include <cerrno>
#include <csignal>

namespace trimode::tlm_ {

// Behaviour beyond plain storage: DLAB banking of offsets 0 and 1, THR
// transmitting, IIR computed from FCR; LSR is the spec's ro reset value.
Uart16550::Uart16550(sc_core::sc_module_name name, UartConfig config)
    : sc_module(name), in("in"), config_(config),
      regs_("uart", regs::BankConfig{false, true, false, config_.latency, config_.reg_shift}) {
  for (const regs::Register& r : regs_.registers()) regs_[r.name()].allow_widths({4});
  regs::Register& rbr_thr = regs_["rbr_thr"];
  rbr_thr.on_read([this] { return dlab() ? dll_ : 0; });
  rbr_thr.on_write([this](uint64_t v) {
    if (dlab()) {
      dll_ = static_cast<uint8_t>(v);
    } else {
      transmit(static_cast<uint8_t>(v));
    }
  });
  regs::Register& ier = regs_["ier"];
  ier.on_read([this, &ier] { return dlab() ? dlm_ : ier.value(); });
  ier.on_write([this, &ier](uint64_t v) {
    if (dlab()) {
      dlm_ = static_cast<uint8_t>(v);
    } else {
      ier.set(v);
    }
  });
  regs::Register& iir_fcr = regs_["iir_fcr"];
  iir_fcr.on_read([&iir_fcr] { return (iir_fcr.value() & 0x01) ? 0xC1 : 0x01; });
  in.register_b_transport(&regs_, &regs::Bank::b_transport);
  in.register_transport_dbg(&regs_, &regs::Bank::transport_dbg);
}

void Uart16550::transmit(uint8_t byte) {
  errno = 0;
  config_.out->put(static_cast<char>(byte));
  config_.out->flush();
  ++bytes_written_;
  if (!*config_.out && errno == EPIPE) {  // the console's reader has gone: end as a pipeline's writer does
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
  }
}


void Uart16550::save(StateWriter& w) const {
  w.begin("UART");
  regs_.save(w);
  w.u8(dll_);
  w.u8(dlm_);
  w.u64(bytes_written_);
  w.end();
}

void Uart16550::restore(StateReader& r) {
  r.begin("UART");
  regs_.restore(r);
  dll_ = r.u8();
  dlm_ = r.u8();
  bytes_written_ = r.u64();
  r.end();
}
}  // namespace trimode::tlm_

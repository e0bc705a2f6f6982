// Uart16550: the transmit side of a 16550A UART, enough for console output.
#pragma once

#include <array>
#include <cstdint>
#include <iostream>
#include <ostream>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/regs/register_bank.hpp"
#include "trimode/spec.hpp"
#include "models/state/state_io.hpp"

namespace trimode::tlm_ {

struct UartConfig {
  sc_core::sc_time latency{sc_core::SC_ZERO_TIME};  // per register access
  std::ostream* out = &std::cout;                   // transmitted bytes go here
  unsigned reg_shift = 0;  // register i lives at offset i << reg_shift (DT "reg-shift")
};

// 16550 register file at offsets (i << reg_shift), i = 0..7 (spec/devices.txt,
// served by a register bank, models/regs):
//   0 RBR (read, always 0) / THR (write, transmits) / DLL when LCR.DLAB
//   1 IER / DLM when LCR.DLAB
//   2 IIR (read: 0x01 "no interrupt", | 0xC0 when FCR.FIFOEN) / FCR (write)
//   3 LCR   4 MCR   5 LSR (ro: reads 0x60 = THRE|TEMT, DR=0; writes ignored)
//   6 MSR   7 SCR   -- LCR, MCR, MSR, SCR, IER, DLL, DLM are plain storage.
// Access widths: 1 byte at a register offset, or 4 bytes at a register offset
// (the register is the low byte; reads zero-extend, the upper write bytes are
// ignored), as Linux 8250 drivers with reg-io-width = 4 do. Anything else:
// TLM_BURST_ERROR_RESPONSE; offsets past register 7 or between registers:
// TLM_ADDRESS_ERROR_RESPONSE. Byte enables are honoured. No receive path and
// no interrupt line. Each THR write is written to config.out and flushed, so
// the output is complete whenever the simulation stops. Debug reads have no
// side effects; debug writes are refused (a debugger must not print).
class Uart16550 : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<regs::Bank> in;  // served by the register bank

  // Register indices (offsets for reg_shift 0), from spec/devices.txt.
  enum Reg : unsigned {
    kRbrThr = spec::kUartRbrThrOffset, kIer = spec::kUartIerOffset, kIirFcr = spec::kUartIirFcrOffset,
    kLcr = spec::kUartLcrOffset, kMcr = spec::kUartMcrOffset, kLsr = spec::kUartLsrOffset,
    kMsr = spec::kUartMsrOffset, kScr = spec::kUartScrOffset, kNumRegs
  };
  static constexpr uint8_t kLcrDlab = spec::kUartLcrDlabMask;

  Uart16550(sc_core::sc_module_name name, UartConfig config = {});

  uint64_t bytes_written() const { return bytes_written_; }
  uint16_t divisor() const { return static_cast<uint16_t>(dll_ | (dlm_ << 8)); }

 private:
  bool dlab() { return regs_["lcr"].value() & kLcrDlab; }
  void transmit(uint8_t byte);

  UartConfig config_;
  regs::Bank regs_;
  uint8_t dll_ = 0;
  uint8_t dlm_ = 0;
  uint64_t bytes_written_ = 0;

 public:
  // Checkpoint (docs/checkpoint.md): registers, divisor latch, bytes written (not the output already written).
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode::tlm_

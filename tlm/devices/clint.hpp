// Clint: the SiFive core-local interruptor for one hart (msip, mtimecmp, mtime).
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/state/state_io.hpp"
#include "models/core/time_if.hpp"
#include "models/regs/register_bank.hpp"
#include "trimode/spec.hpp"

namespace trimode::tlm_ {

struct ClintConfig {
  sc_core::sc_time latency{sc_core::SC_ZERO_TIME};  // per register access
  sc_core::sc_time tick{100, sc_core::SC_NS};       // mtime period: 10 MHz
};

// Register map (local offsets, little endian; spec/devices.txt, served by a
// register bank, models/regs):
//   0x0000 msip      32-bit; bit 0 drives soft_irq, other bits read 0
//   0x4000 mtimecmp  64-bit, as one 8-byte access or 4-byte halves at +0/+4;
//                    resets to all ones (never matches)
//   0xBFF8 mtime     64-bit, same widths; writable (sets the counter's value)
// Other widths: TLM_BURST_ERROR_RESPONSE; other offsets: TLM_ADDRESS_ERROR_RESPONSE;
// byte enables are honoured. Debug accesses act at the current simulated time;
// debug writes re-evaluate irq too. Direct-access requests get no DMI, but
// a direct read (models/regs/direct_read.hpp: the core's mtime loads) when
// the latency is zero.
//
// mtime = floor(t / tick) + offset, where t is the simulated time at which the
// access arrives: sc_time_stamp() + the incoming annotated delay (loosely
// timed); the latency is added to the delay after the access.
// irq (machine timer interrupt) = mtime >= mtimecmp. It is driven by update(),
// an SC_METHOD that runs whenever a register write takes effect and at the exact
// time the next compare match is due, so irq rises at time mtimecmp * tick
// (for offset 0). soft_irq may be left unbound.
class Clint : public sc_core::sc_module, public TimeIf {
 public:
  tlm_utils::simple_target_socket<regs::Bank> in;  // served by the register bank
  sc_core::sc_out<bool> irq;
  sc_core::sc_export<TimeIf> time;  // mtime for the core's time port
  sc_core::sc_port<sc_core::sc_signal_inout_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> soft_irq;

  static constexpr uint64_t kMsip = spec::kClintMsipOffset;
  static constexpr uint64_t kMtimecmp = spec::kClintMtimecmpOffset;
  static constexpr uint64_t kMtime = spec::kClintMtimeOffset;
  static constexpr uint64_t kSize = spec::kClintSize;

  SC_HAS_PROCESS(Clint);
  Clint(sc_core::sc_module_name name, ClintConfig config = {});

  // The value mtime has at simulated time t (TimeIf: the core's time CSRs).
  uint64_t mtime_at(const sc_core::sc_time& t) const override;
  uint64_t mtimecmp() const { return mtimecmp_.value(); }

 private:
  // A register write takes effect: re-evaluate the lines at the access's time.
  void written();
  void update();
  uint64_t ticks_at(const sc_core::sc_time& t) const;
  uint64_t mtime_at_value(uint64_t t) const;  // mtime_at(t) for t's sc_time value

  ClintConfig config_;
  regs::Bank regs_;
  regs::Register& msip_ = regs_["msip"];
  regs::Register& mtimecmp_ = regs_["mtimecmp"];
  uint64_t offset_ = 0;  // mtime - ticks since time 0, modulo 2^64
  sc_core::sc_event update_event_;

 public:
  // Checkpoint (docs/checkpoint.md): msip, mtimecmp and the mtime offset; restore() re-evaluates irq.
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode::tlm_

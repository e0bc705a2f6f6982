// Finisher: QEMU virt's "sifive,test" device; software ends the simulation with it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/regs/register_bank.hpp"
#include "models/state/state_io.hpp"

namespace trimode::tlm_ {

struct FinisherConfig {
  sc_core::sc_time latency{sc_core::SC_ZERO_TIME};  // per register access
  // Called once, on the first pass/fail/reset write, with the exit code.
  std::function<void(int)> on_exit = [](int) { sc_core::sc_stop(); };
};

// One 32-bit write-only register, `test` at offset 0 (spec/devices.txt), in a
// register bank (models/regs: other offsets TLM_ADDRESS_ERROR_RESPONSE, other
// widths TLM_BURST_ERROR_RESPONSE, byte enables merge into 0). Written value v, as in QEMU:
//   v & 0xFFFF == 0x5555 -> pass, exit code 0
//   v & 0xFFFF == 0x3333 -> fail, exit code v >> 16 (QEMU: code 0 exits 0 too)
//   v & 0xFFFF == 0x7777 -> reset: the platform has no reset, so this ends the
//                           run as a pass (exit code 0) with an info report and
//                           reset_requested() set
//   anything else        -> ignored, counted in ignored_writes()
// Only the first pass/fail/reset is recorded and calls on_exit; later ones are
// ignored and counted. Reads return 0.
class Finisher : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<regs::Bank> in;  // served by the register bank

  static constexpr uint32_t kPass = 0x5555;
  static constexpr uint32_t kFail = 0x3333;
  static constexpr uint32_t kReset = 0x7777;

  Finisher(sc_core::sc_module_name name, FinisherConfig config = {});

  std::optional<int> exit_code() const { return exit_code_; }
  bool reset_requested() const { return reset_requested_; }
  uint64_t ignored_writes() const { return ignored_writes_; }

 private:
  void write(uint32_t value);
  void finish(int code);

  FinisherConfig config_;
  regs::Bank regs_;
  std::optional<int> exit_code_;
  bool reset_requested_ = false;
  uint64_t ignored_writes_ = 0;

 public:
  // Checkpoint (docs/checkpoint.md): ignored writes (a checkpoint is never taken after an exit or reset).
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode::tlm_

// The mode register as a SystemC block: the ModeState, its CSRs on a register
// socket (address = CSR number, 4-byte accesses), the CLINT timer line, and
// trace signals for VCD (mode, trap and exit strobes, last cause).
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/modereg/mode_state.hpp"

namespace trimode {

class ModeRegister : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ModeRegister> csr;  // from the core's csr_modereg socket
  sc_core::sc_in<bool> timer_irq;                      // from the CLINT

  // Trace signals (written only when tracing is on; see enable_trace()).
  sc_core::sc_signal<uint32_t> mode_sig{"mode"};
  sc_core::sc_signal<bool> trap_sig{"trap_taken"};
  sc_core::sc_signal<bool> exit_sig{"exit_taken"};
  sc_core::sc_signal<uint32_t> cause_sig{"cause"};

  explicit ModeRegister(sc_core::sc_module_name name);

  ModeState& state() { return state_; }
  // Adds the trace signals to `tf` and starts driving them on every transition.
  void enable_trace(sc_core::sc_trace_file* tf);
  // Clears the one-cycle trap/exit strobes (called by the core once per traced cycle).
  void end_cycle();
  // Extra observers of transitions (--trace-modes, statistics).
  void add_observer(ModeState::Observer o) { observers_.push_back(std::move(o)); }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  bool access(tlm::tlm_generic_payload& gp);
  void on_timer();
  void on_transition(const Transition& t);

  ModeState state_;
  bool tracing_ = false;
  std::vector<ModeState::Observer> observers_;
};

}  // namespace trimode

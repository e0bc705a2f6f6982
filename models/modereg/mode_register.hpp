// The mode register as a SystemC block: the ModeState, its control interface
// (ModeIf: mode, interrupt lines, trap entry, exit) on the export `control`,
// its CSRs on a register socket (address = CSR number; a register bank,
// models/regs, which grants direct access to the plain-storage ones) and the
// CLINT timer line.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/modereg/mode_if.hpp"
#include "models/modereg/mode_state.hpp"
#include "models/regs/register_bank.hpp"

namespace trimode {

class ModeRegister : public sc_core::sc_module, public ModeIf {
 public:
  sc_core::sc_export<ModeIf> control;                  // to the core's modes port
  tlm_utils::simple_target_socket<ModeRegister> csr;  // from the core's csr_modereg socket
  sc_core::sc_in<bool> timer_irq;                      // from the CLINT

  explicit ModeRegister(sc_core::sc_module_name name);

  // Read-only view for statistics and reports; everything that changes the
  // mode goes through `control` or `csr`.
  const ModeState& state() const { return state_; }

  // ModeIf
  spec::Mode mode() const override { return state_.mode(); }
  IrqLines irq_lines() const override { return state_.irq_lines(); }
  const IrqLines* irq_lines_source() const override { return state_.irq_lines_source(); }
  const spec::Mode* mode_source() const override { return state_.mode_source(); }
  uint32_t enter(spec::Mode target, spec::Kind kind, uint32_t cause, uint32_t tval, uint32_t pc) override {
    return state_.enter(target, kind, cause, tval, pc);
  }
  uint32_t exit(uint32_t pc) override { return state_.exit(pc); }
  uint32_t trap_vector(spec::Mode m) const override { return state_.trap_vector(m); }
  const sc_core::sc_event& wake_event() const override { return timer_irq.posedge_event(); }
  // Extra observers of transitions (--trace-modes, statistics).
  void add_observer(ModeState::Observer o) { observers_.push_back(std::move(o)); }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
  void define_registers();
  void on_timer();
  void on_transition(const Transition& t);

  ModeState state_;
  regs::Bank csrs_{"modereg", regs::BankConfig{true, false, true, sc_core::SC_ZERO_TIME, 0}};
  std::vector<ModeState::Observer> observers_;

 public:
  // Checkpoint (docs/checkpoint.md): the ModeState (the timer line is re-driven by the CLINT).
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode

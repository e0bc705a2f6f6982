// Co-simulation harness: Lanes copies of the trap unit's decision logic
// (rtl/trimode_trap_decide.sv, the unmodified module trimode_trap_unit
// instantiates) side by side, for the batched lockstep check of
// `trimode run --cosim` (models/classifier/lockstep_classifier.hpp). One eval()
// of the Verilated model decides Lanes requests; the harness is combinational
// (no clock, no registers), so an eval() is the decision logic and nothing else.
//
// Only instructions (OpInsn) that execute in place and are not SYSTEM words
// are batched (the core's checker decides that from the reference). For those,
// the trap unit's answer is its decision logic's, one rising edge after the
// request is accepted, in every state of its sequencer: proved by rtl.bmc
// (tests/rtl/bmc.py, trimode_trap_unit.sv's FORMAL block, "an in-place
// request is answered on the next edge with its decision"). So each lane's
// output is the unit's answer, and its latency is 1 cycle. Every SYSTEM word,
// trap, interrupt, fault, exit and CSR access goes through the single timed
// unit (rtl_classifier.cpp), whose sequencer and cycles drive the core.
//
// Per lane k, packed into bytes and words so the C++ side reads them directly:
//   insn_i[k]  the instruction word
//   ctl_i[k]   {2'b0, irq_enable[1:0], irq_pending[1:0], mode[1:0]}
//   dec_o[k]   {2'b0, target[1:0], action[1:0], kind[1:0]}
//   cause_o[k] the cause
module trimode_cosim_lanes #(
  parameter int unsigned Lanes = 64
) (
  input  logic [Lanes-1:0][31:0]      insn_i,
  input  logic [Lanes-1:0][7:0]       ctl_i,
  output logic [Lanes-1:0][7:0]       dec_o,
  output logic [Lanes-1:0][31:0]      cause_o
);

  for (genvar k = 0; k < Lanes; k++) begin : g_lane
    trimode_spec_pkg::kind_e   kind;
    trimode_spec_pkg::action_e action;
    trimode_spec_pkg::mode_e   target;

    trimode_trap_decide u_decide (
      .insn_i        (insn_i[k]),
      .mode_i        (trimode_spec_pkg::mode_e'(ctl_i[k][1:0])),
      .irq_pending_i (ctl_i[k][3:2]),
      .irq_enable_i  (ctl_i[k][5:4]),
      .kind_o        (kind),
      .action_o      (action),
      .target_o      (target),
      .cause_o       (cause_o[k])
    );

    assign dec_o[k] = {2'b0, target, action, kind};

    logic unused;
    assign unused = ^ctl_i[k][7:6];
  end

endmodule

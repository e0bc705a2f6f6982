// Co-simulation harness: Lanes independent copies of the unmodified trap unit
// (rtl/trimode_trap_unit.sv) side by side, one clock, for the batched
// lockstep check of `trimode run --cosim` (models/classifier/lockstep_classifier.hpp).
// One eval() of the Verilated model offers Lanes requests, one per unit, and
// clocks the accepting edge, so the scheduler's cost is paid once per Lanes
// decodes while every lane still runs the whole unit (its decision logic, its
// handshake and its result register).
//
// Only instructions whose answer is "execute in place" with no write slot are
// batched (the core's checker decides that from the reference), so each
// accepted request is answered one edge later (the unit's latency of 1):
// after the edge a lane shows rsp_valid_o and the accepted word's decision.
// The trap frame's values (pc, tval) and the mode-register port are not used
// here: pc/tval are 0 and the port is always ready.
//
// Per lane k, packed into bytes and words so the C++ side reads them directly:
//   insn_i[k]  the instruction word
//   ctl_i[k]   {req_valid, 1'b0, irq_enable[1:0], irq_pending[1:0], mode[1:0]}
//   dec_o[k]   {rsp_valid, 1'b0, target[1:0], action[1:0], kind[1:0]}
//   cause_o[k] the cause
module trimode_cosim_lanes #(
  parameter int unsigned Lanes = 16
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic [Lanes-1:0][31:0]      insn_i,
  input  logic [Lanes-1:0][7:0]       ctl_i,
  output logic [Lanes-1:0][7:0]       dec_o,
  output logic [Lanes-1:0][31:0]      cause_o
);

  for (genvar k = 0; k < Lanes; k++) begin : g_lane
    logic                      rsp_valid;
    trimode_spec_pkg::kind_e   kind;
    trimode_spec_pkg::action_e action;
    trimode_spec_pkg::mode_e   target;
    logic                      unused_ready, unused_mr_valid;
    trimode_spec_pkg::mode_e   unused_mr_mode;
    logic [2:0]                unused_mr_field;
    logic [31:0]               unused_mr_data;

    trimode_trap_unit u_trap_unit (
      .clk_i         (clk_i),
      .rst_ni        (rst_ni),
      .req_valid_i   (ctl_i[k][7]),
      .req_ready_o   (unused_ready),
      .req_op_i      (2'd0),  // OpInsn: batched requests are instructions
      .req_insn_i    (insn_i[k]),
      .req_pc_i      (32'd0),
      .req_tval_i    (32'd0),
      .req_mode_i    (trimode_spec_pkg::mode_e'(ctl_i[k][1:0])),
      .irq_pending_i (ctl_i[k][3:2]),
      .irq_enable_i  (ctl_i[k][5:4]),
      .req_fault_target_i (trimode_spec_pkg::ModeU),  // no faults in a batch
      .req_fault_cause_i  (32'd0),
      .rsp_valid_o   (rsp_valid),
      .rsp_kind_o    (kind),
      .rsp_action_o  (action),
      .rsp_target_o  (target),
      .rsp_cause_o   (cause_o[k]),
      .mr_valid_o    (unused_mr_valid),
      .mr_ready_i    (1'b1),
      .mr_mode_o     (unused_mr_mode),
      .mr_field_o    (unused_mr_field),
      .mr_data_o     (unused_mr_data)
    );

    assign dec_o[k] = {rsp_valid, 1'b0, target, action, kind};

    logic unused;
    assign unused = ^{ctl_i[k][6], unused_ready, unused_mr_valid, unused_mr_mode, unused_mr_field, unused_mr_data};
  end

endmodule

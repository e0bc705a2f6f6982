// Sweep harness: Lanes independent copies of trimode_trap_decode side by side,
// one clock. Used only by the instruction-space sweep (testbench/sweep/) so that
// one eval() of the Verilated model decodes Lanes words: the eval and clocking
// overhead is paid once per Lanes decodes. Each lane is the unmodified unit.
//
// The harness registers its inputs (insn_q, ctl_q) before the units, so the
// units' combinational decode depends on flops only: the Verilated model then
// evaluates it once per rising edge, not on every eval() call. Harness latency
// is therefore 2 cycles (input register + the unit's own output register); the
// sweep feeds a new set of words every cycle and reads the answers to the set
// fed one cycle earlier.
//
// Per lane k, packed into bytes and words so the C++ side reads them directly:
//   insn_i[k]  the instruction word
//   ctl_i[k]   {valid, 1'b0, irq_enable[1:0], irq_pending[1:0], mode[1:0]}
//   dec_o[k]   {valid, 1'b0, target[1:0], action[1:0], kind[1:0]}
//   cause_o[k] the cause
module trimode_sweep_lanes
  import trimode_spec_pkg::*;
#(
  parameter int unsigned Lanes = 8
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic [Lanes-1:0][31:0]      insn_i,
  input  logic [Lanes-1:0][7:0]       ctl_i,
  output logic [Lanes-1:0][7:0]       dec_o,
  output logic [Lanes-1:0][31:0]      cause_o
);

  logic [Lanes-1:0][31:0] insn_q;
  logic [Lanes-1:0][7:0]  ctl_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      insn_q <= '0;
      ctl_q  <= '0;
    end else begin
      insn_q <= insn_i;
      ctl_q  <= ctl_i;
    end
  end

  for (genvar k = 0; k < Lanes; k++) begin : g_lane
    logic    valid;
    kind_e   kind;
    action_e action;
    mode_e   target;

    trimode_trap_decode u_trap_decode (
      .clk_i         (clk_i),
      .rst_ni        (rst_ni),
      .valid_i       (ctl_q[k][7]),
      .insn_i        (insn_q[k]),
      .mode_i        (mode_e'(ctl_q[k][1:0])),
      .irq_pending_i (ctl_q[k][3:2]),
      .irq_enable_i  (ctl_q[k][5:4]),
      .valid_o       (valid),
      .kind_o        (kind),
      .action_o      (action),
      .target_o      (target),
      .cause_o       (cause_o[k])
    );

    assign dec_o[k] = {valid, 1'b0, target, action, kind};

    logic unused_ctl;
    assign unused_ctl = ctl_q[k][6];
  end

endmodule

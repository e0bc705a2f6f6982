// Trimode trap-decode unit.
//
// Classifies one instruction word in the current mode, after the pending
// interrupts: its kind, whether it executes, traps (to which mode, with which
// cause) or is illegal. The decision itself is trimode_trap_decide
// (combinational, hand-written, proved equal to the spec table by
// tests/formal/); this unit registers it.
//
// Timing: the decode is combinational, the outputs are registered. A word
// presented with valid_i before a rising clk_i edge is answered on the outputs
// right after that edge (latency 1 cycle, throughput 1 word per cycle). The
// result registers load only when valid_i is high and hold otherwise; valid_o
// follows valid_i one cycle later. See docs/rtl.md for the waveform.

module trimode_trap_decode (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  input  logic                      valid_i,
  input  logic [31:0]               insn_i,
  input  trimode_spec_pkg::mode_e   mode_i,
  input  logic [1:0]                irq_pending_i,  // [1] virtual interrupt (gip.vi), [0] timer
  input  logic [1:0]                irq_enable_i,   // [1] g_ie (gstatus.ie), [0] v_ie (vstatus.ie)

  output logic                      valid_o,
  output trimode_spec_pkg::kind_e   kind_o,
  output trimode_spec_pkg::action_e action_o,
  output trimode_spec_pkg::mode_e   target_o,
  output logic [31:0]               cause_o
);

  logic                      valid_q;
  trimode_spec_pkg::kind_e   kind_d, kind_q;
  trimode_spec_pkg::action_e action_d, action_q;
  trimode_spec_pkg::mode_e   target_d, target_q;
  logic [31:0]               cause_d, cause_q;

  trimode_trap_decide u_decide (
    .insn_i        (insn_i),
    .mode_i        (mode_i),
    .irq_pending_i (irq_pending_i),
    .irq_enable_i  (irq_enable_i),
    .kind_o        (kind_d),
    .action_o      (action_d),
    .target_o      (target_d),
    .cause_o       (cause_d)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
    end else begin
      valid_q <= valid_i;
    end
  end

  // Result registers: load on a valid word, hold otherwise (no toggling while idle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      kind_q   <= trimode_spec_pkg::KindNone;
      action_q <= trimode_spec_pkg::ActExec;
      target_q <= trimode_spec_pkg::ModeU;
      cause_q  <= '0;
    end else if (valid_i) begin
      kind_q   <= kind_d;
      action_q <= action_d;
      target_q <= target_d;
      cause_q  <= cause_d;
    end
  end

  ////////////////
  // Assertions //
  ////////////////

  // Checked in simulation builds with assertions on (the pin-level testbench);
  // the sweep builds with --noassert for speed.
`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && valid_i) begin
      // The core never presents the unused mode encoding.
      assert (mode_i inside {trimode_spec_pkg::ModeU, trimode_spec_pkg::ModeG, trimode_spec_pkg::ModeV})
        else $error("trap_decode: mode_i = 2'b11 is not a mode");
      // The chain's invariants: exec stays in place with no cause; kind 0 never executes.
      assert (action_d != trimode_spec_pkg::ActExec || (target_d == mode_i && cause_d == '0))
        else $error("trap_decode: exec with a target or cause");
      assert (kind_d != trimode_spec_pkg::KindNone || action_d != trimode_spec_pkg::ActExec)
        else $error("trap_decode: kind 0 executes");
    end
  end
`endif

  assign valid_o  = valid_q;
  assign kind_o   = kind_q;
  assign action_o = action_q;
  assign target_o = target_q;
  assign cause_o  = cause_q;

endmodule

// Trimode trap-decode unit.
//
// Classifies one instruction word in the current mode, after the pending
// interrupts: its kind, whether it executes, traps (to which mode, with which
// cause) or is illegal. The decision itself is trimode_trap_decide
// (combinational, hand-written, proved equal to the spec table by
// tests/rtl/prove.py); this unit registers it in trimode_trap_result. The
// register stage is checked by bounded model checking (tests/rtl/bmc.py
// --top trimode_trap_decode, CTest rtl.bmc_decode): under FORMAL, valid_o
// and the outputs are asserted to be the decision of the word presented the
// cycle before, and held while no word is presented.
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
  trimode_spec_pkg::kind_e   kind_d;
  trimode_spec_pkg::action_e action_d;
  trimode_spec_pkg::mode_e   target_d;
  logic [31:0]               cause_d;

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
  trimode_trap_result u_result (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .load_i   (valid_i),
    .kind_i   (kind_d),
    .action_i (action_d),
    .target_i (target_d),
    .cause_i  (cause_d),
    .kind_o   (kind_o),
    .action_o (action_o),
    .target_o (target_o),
    .cause_o  (cause_o)
  );

  ////////////////
  // Assertions //
  ////////////////

  // Checked in simulation builds with assertions on (the pin-level testbench);
  // the sweep builds with --noassert for speed. Not under FORMAL: the bounded
  // model leaves mode_i free and checks the register stage (below).
`ifndef SYNTHESIS
`ifndef FORMAL
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
`endif

  assign valid_o = valid_q;

  //////////////////////////////////////
  // Register stage (bounded model)   //
  //////////////////////////////////////

`ifdef FORMAL
  // The decision of the last word presented, and whether one was presented
  // in the previous cycle, recomputed beside the design.
  logic                      f_past_valid = 1'b0;
  logic                      f_loaded = 1'b0;
  logic                      f_valid_prev = 1'b0;
  trimode_spec_pkg::kind_e   f_kind;
  trimode_spec_pkg::action_e f_action;
  trimode_spec_pkg::mode_e   f_target;
  logic [31:0]               f_cause;

  always_ff @(posedge clk_i) begin
    f_past_valid <= 1'b1;
    f_valid_prev <= rst_ni && valid_i;
    if (!rst_ni) begin
      f_loaded <= 1'b0;
    end else if (valid_i) begin
      f_loaded <= 1'b1;
      f_kind   <= kind_d;
      f_action <= action_d;
      f_target <= target_d;
      f_cause  <= cause_d;
    end
  end

  always_comb begin
    // The environment: reset in the first cycle only.
    if (!f_past_valid) assume (!rst_ni);
    else assume (rst_ni);
    if (f_past_valid && rst_ni) begin
      // valid_o says a word was presented the cycle before, and only then.
      assert (valid_o == f_valid_prev);
      // The outputs are the decision of the last word presented (on valid_o:
      // the previous cycle's word), held while none is presented.
      if (f_loaded) begin
        assert (kind_o == f_kind && action_o == f_action);
        assert (target_o == f_target && cause_o == f_cause);
      end else begin
        assert (kind_o == trimode_spec_pkg::KindNone && action_o == trimode_spec_pkg::ActExec);
      end
    end
  end
`endif

endmodule

// Trimode trap unit: the trap decision behind a valid/ready handshake, with a
// trap-entry sequencer whose latency depends on state.
//
// The core offers one instruction at a time (req_valid_i, req_ready_o); the
// unit answers it exactly once on rsp_valid_o (one cycle high, the core always
// takes it). The decision is trimode_trap_decide (proved equal to the spec
// table). What happens between request and answer depends on the decision:
//
//   class       what the unit does after accepting                 latency
//   exec        nothing: the registered decision is the answer     1
//   csr write   a write slot: one beat on the mode-register port   2 (+ port stalls)
//               (a kind 1/2 CSR written: mode register / memctl)
//   exit        restores the status of the mode returned from:     2 (+ port stalls)
//               one beat (status) on the mode-register port
//   trap        saves the trap frame of the target mode: four      5 (+ port stalls)
//   (incl.      beats epc, cause, tval, status on the mode-
//   illegal,    register port, in that order
//   interrupt)
//
// Latency is counted in rising edges from the edge that accepts the request to
// the edge after which rsp_valid_o is high. The mode-register write port is
// valid/ready too (mr_valid_o, mr_ready_i): a stalled port stretches the
// sequence, so a back-to-back trap waits for the previous frame to be written
// (req_ready_o is low until the answer). Response and next request may share
// a cycle: req_ready_o is high again in the cycle rsp_valid_o is.
//
// Handshake properties (every request answered within MaxLatency cycles given
// a port that stalls at most MaxPortStall cycles, no answer without a request,
// the answer is the accepted request's decision, a trap writes its whole frame
// before it is answered) are checked by bounded model checking under FORMAL
// (tests/rtl/bmc.py, CTest rtl.bmc); see docs/rtl.md.

module trimode_trap_unit (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  // Request from the core.
  input  logic                      req_valid_i,
  output logic                      req_ready_o,
  input  logic [31:0]               req_insn_i,
  input  logic [31:0]               req_pc_i,
  input  logic [31:0]               req_tval_i,     // trap value (the word, or a fault address)
  input  trimode_spec_pkg::mode_e   req_mode_i,
  input  logic [1:0]                irq_pending_i,  // sampled with the request
  input  logic [1:0]                irq_enable_i,

  // Answer to the core.
  output logic                      rsp_valid_o,
  output trimode_spec_pkg::kind_e   rsp_kind_o,
  output trimode_spec_pkg::action_e rsp_action_o,
  output trimode_spec_pkg::mode_e   rsp_target_o,
  output logic [31:0]               rsp_cause_o,

  // Mode-register write port: trap frame of mr_mode_o, one field per beat.
  output logic                      mr_valid_o,
  input  logic                      mr_ready_i,
  output trimode_spec_pkg::mode_e   mr_mode_o,
  output logic [1:0]                mr_field_o,     // 0 epc, 1 cause, 2 tval, 3 status
  output logic [31:0]               mr_data_o
);

  localparam logic [1:0] FieldEpc    = 2'd0;
  localparam logic [1:0] FieldCause  = 2'd1;
  localparam logic [1:0] FieldTval   = 2'd2;
  localparam logic [1:0] FieldStatus = 2'd3;

  typedef enum logic [1:0] {
    StIdle,   // ready for a request
    StFrame,  // writing a trap frame: epc, cause, tval, status
    StSlot    // one status / CSR write beat (exit, csr write)
  } state_e;

  ////////////////
  // Decision   //
  ////////////////

  trimode_spec_pkg::kind_e   kind_d;
  trimode_spec_pkg::action_e action_d;
  trimode_spec_pkg::mode_e   target_d;
  logic [31:0]               cause_d;

  trimode_trap_decide u_decide (
    .insn_i        (req_insn_i),
    .mode_i        (req_mode_i),
    .irq_pending_i (irq_pending_i),
    .irq_enable_i  (irq_enable_i),
    .kind_o        (kind_d),
    .action_o      (action_d),
    .target_o      (target_d),
    .cause_o       (cause_d)
  );

  // What the answer costs: a trap frame, one write slot, or nothing.
  logic is_system, is_exit, is_csr_write, needs_frame, needs_slot;
  assign is_system    = (req_insn_i[6:0] == trimode_spec_pkg::OpcSystem);
  assign is_exit      = is_system && (req_insn_i[14:7] == 8'd0) && (req_insn_i[19:15] == 5'd0) &&
                        (req_insn_i[31:20] == trimode_spec_pkg::Funct12Exit);
  // csrrw/csrrwi always write; the set/clear forms only with rs1/zimm != 0.
  assign is_csr_write = is_system && (req_insn_i[13:12] != 2'd0) &&
                        (!req_insn_i[13] || (req_insn_i[19:15] != 5'd0));
  assign needs_frame  = (action_d != trimode_spec_pkg::ActExec);
  assign needs_slot   = (action_d == trimode_spec_pkg::ActExec) &&
                        (is_exit || (is_csr_write && (kind_d != trimode_spec_pkg::KindAny)));

  ////////////////
  // Sequencer  //
  ////////////////

  state_e                    state_q;
  logic [1:0]                field_q;
  logic                      rsp_valid_q;
  trimode_spec_pkg::kind_e   kind_q;
  trimode_spec_pkg::action_e action_q;
  trimode_spec_pkg::mode_e   target_q;
  logic [31:0]               cause_q, pc_q, tval_q;
  trimode_spec_pkg::mode_e   mode_q;

  logic accept, beat, last_beat;
  assign req_ready_o = (state_q == StIdle);
  assign accept      = req_valid_i && req_ready_o;
  assign mr_valid_o  = (state_q != StIdle);
  assign beat        = mr_valid_o && mr_ready_i;
  assign last_beat   = beat && ((state_q == StSlot) || (field_q == FieldStatus));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StIdle;
      field_q     <= FieldEpc;
      rsp_valid_q <= 1'b0;
    end else begin
      rsp_valid_q <= 1'b0;
      unique case (state_q)
        StIdle: begin
          if (accept) begin
            field_q <= FieldEpc;
            if (needs_frame) begin
              state_q <= StFrame;
            end else if (needs_slot) begin
              state_q <= StSlot;
            end else begin
              rsp_valid_q <= 1'b1;
            end
          end
        end
        StFrame, StSlot: begin
          if (last_beat) begin
            state_q     <= StIdle;
            rsp_valid_q <= 1'b1;
          end else if (beat) begin
            field_q <= field_q + 2'd1;
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // The accepted request and its decision, held until the answer: the
  // decision in the shared result register, the frame's values beside it.
  trimode_trap_result u_result (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .load_i   (accept),
    .kind_i   (kind_d),
    .action_i (action_d),
    .target_i (target_d),
    .cause_i  (cause_d),
    .kind_o   (kind_q),
    .action_o (action_q),
    .target_o (target_q),
    .cause_o  (cause_q)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pc_q     <= '0;
      tval_q   <= '0;
      mode_q   <= trimode_spec_pkg::ModeU;
    end else if (accept) begin
      pc_q     <= req_pc_i;
      tval_q   <= req_tval_i;
      mode_q   <= req_mode_i;
    end
  end

  // Write port: a frame goes to the target mode's registers; a slot (exit,
  // csr write) to the current mode's status.
  always_comb begin
    mr_mode_o  = (state_q == StFrame) ? target_q : mode_q;
    mr_field_o = (state_q == StFrame) ? field_q : FieldStatus;
    unique case (mr_field_o)
      FieldEpc:   mr_data_o = pc_q;
      FieldCause: mr_data_o = cause_q;
      FieldTval:  mr_data_o = tval_q;
      default:    mr_data_o = {28'd0, mode_q, 2'd0};  // status: pm = the mode trapped from
    endcase
  end

  assign rsp_valid_o  = rsp_valid_q;
  assign rsp_kind_o   = kind_q;
  assign rsp_action_o = action_q;
  assign rsp_target_o = target_q;
  assign rsp_cause_o  = cause_q;

  ///////////////////////////////////////////
  // Handshake properties (bounded model)  //
  ///////////////////////////////////////////

`ifdef FORMAL
  localparam int unsigned MaxPortStall = 2;
  localparam int unsigned MaxLatency   = 1 + 4 * (1 + MaxPortStall);

  logic       f_past_valid = 1'b0;
  logic [1:0] f_pending = 2'd0;   // accepted, not yet answered
  logic [4:0] f_wait = 5'd0;      // cycles the pending request has waited
  logic [1:0] f_stall = 2'd0;     // consecutive cycles the port has stalled
  logic [2:0] f_beats = 3'd0;     // port beats since the accept
  trimode_spec_pkg::kind_e   f_kind;
  trimode_spec_pkg::action_e f_action;
  trimode_spec_pkg::mode_e   f_target;
  logic [31:0]               f_cause;
  logic                      f_frame, f_slot;

  always_ff @(posedge clk_i) begin
    f_past_valid <= 1'b1;
    f_pending    <= !rst_ni ? 2'd0 : f_pending + {1'b0, accept} - {1'b0, rsp_valid_o};
    f_wait       <= (accept || rsp_valid_o || f_pending == 2'd0) ? 5'd0 : f_wait + 5'd1;
    f_stall      <= (mr_valid_o && !mr_ready_i) ? f_stall + 2'd1 : 2'd0;
    f_beats      <= accept ? 3'd0 : f_beats + {2'd0, mr_valid_o && mr_ready_i};
    if (accept) begin
      f_kind   <= kind_d;
      f_action <= action_d;
      f_target <= target_d;
      f_cause  <= cause_d;
      f_frame  <= needs_frame;
      f_slot   <= needs_slot;
    end
  end

  always_comb begin
    // The environment: reset in the first cycle; the mode register stalls
    // its port at most MaxPortStall cycles in a row.
    if (!f_past_valid) assume (!rst_ni);
    else assume (rst_ni);
    if (f_stall >= MaxPortStall[1:0]) assume (mr_ready_i);

    if (f_past_valid && rst_ni) begin
      // At most one request in flight; no answer without one.
      assert (f_pending <= 2'd1);
      if (rsp_valid_o) assert (f_pending == 2'd1);
      // Busy means not ready: a request waits for the previous answer.
      if (f_pending == 2'd1 && !rsp_valid_o) assert (!req_ready_o);
      // Every request is answered within MaxLatency cycles.
      if (f_pending != 2'd0) assert (f_wait < MaxLatency[4:0]);
      // The port is used only for a pending request; a frame is written in
      // the order epc, cause, tval, status, each field once.
      if (mr_valid_o) assert (f_pending == 2'd1);
      if (mr_valid_o && f_frame) assert (mr_field_o == f_beats[1:0] && f_beats < 3'd4);
      // The answer is the accepted request's decision; a trap is never lost,
      // and it is answered only after its whole frame (4 beats) is written.
      if (rsp_valid_o) begin
        assert (rsp_kind_o == f_kind && rsp_action_o == f_action);
        assert (rsp_target_o == f_target && rsp_cause_o == f_cause);
        if (f_frame) assert (f_beats == 3'd4);
        else if (f_slot) assert (f_beats == 3'd1);
        else assert (f_beats == 3'd0);
        if (f_action != trimode_spec_pkg::ActExec) assert (f_frame);
      end
    end
  end
`endif

endmodule

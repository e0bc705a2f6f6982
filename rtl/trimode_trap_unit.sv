// Trimode trap unit: the trap decision behind a valid/ready handshake, with a
// trap-entry sequencer and a write buffer whose latency depends on state.
//
// The core offers one request at a time (req_valid_i, req_ready_o); the unit
// answers it exactly once on rsp_valid_o (one cycle high, the core always
// takes it). A request is one of (req_op_i):
//   OpInsn      an instruction about to execute: the decision is
//               trimode_trap_decide's (proved equal to the spec table)
//   OpIrqQuery  "is an interrupt taken at this boundary?" (req_insn_i = 0):
//               decided like an instruction; only a taken interrupt (an
//               interrupt cause) is sequenced, anything else is answered
//               at once and writes nothing
//   OpFault     a fault the core raised (access fault, misaligned jump):
//               the decision is the core's (kind 0, trap to req_fault_target_i,
//               cause req_fault_cause_i); the unit writes its frame
//
// What happens between request and answer depends on the decision and on
// what the unit is still doing:
//
//   class       what the unit does after accepting                    latency
//   exec        nothing: the registered decision is the answer        1
//   csr write   one slot beat on the mode-register port (field csr)   2 + stalls
//   exit        one beat: the status of the mode returned from        2 + stalls
//   trap        the critical beats epc, status (the core can          3 + stalls
//   (decided,   redirect once they are written); then the answer,
//   interrupt,  and cause, tval go to the write buffer, which drains
//   fault)      them on the port in the background
//
// Stalls: the write buffer drains before any later beat (the port writes in
// request order), so an exit, a CSR write or a trap that comes while the
// previous frame's cause and tval are still draining waits for them (the
// back-to-back stall); exec requests do not (a read sees the buffer through
// its bypass). The mode register's port is valid/ready (mr_valid_o,
// mr_ready_i): a stalled port stretches every beat. Latency is counted in
// rising edges from the edge that accepts the request to the edge after which
// rsp_valid_o is high. Response and next request may share a cycle:
// req_ready_o is high again in the cycle rsp_valid_o is.
//
// Handshake properties (every request answered within MaxLatency cycles given
// a port that stalls at most MaxPortStall cycles in a row, no answer without
// a request, the answer is the accepted request's decision, an instruction
// that is not a SYSTEM word and executes in place answered on the next edge
// in every state, a trap is never lost: answered only after its critical
// beats, its whole frame written in the order epc, status, cause, tval, the
// buffer drained within MaxDrain cycles and before the next frame or slot
// starts, an untaken interrupt query writes nothing) are checked by bounded
// model checking under FORMAL
// (tests/rtl/bmc.py, CTest rtl.bmc); see docs/rtl.md.

module trimode_trap_unit (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  // Request from the core.
  input  logic                      req_valid_i,
  output logic                      req_ready_o,
  input  logic [1:0]                req_op_i,       // OpInsn, OpIrqQuery, OpFault
  input  logic [31:0]               req_insn_i,
  input  logic [31:0]               req_pc_i,
  input  logic [31:0]               req_tval_i,     // trap value (the word, or a fault address)
  input  trimode_spec_pkg::mode_e   req_mode_i,
  input  logic [1:0]                irq_pending_i,  // sampled with the request
  input  logic [1:0]                irq_enable_i,
  input  trimode_spec_pkg::mode_e   req_fault_target_i,  // OpFault: the mode the core traps to
  input  logic [31:0]               req_fault_cause_i,   // OpFault: its cause

  // Answer to the core.
  output logic                      rsp_valid_o,
  output trimode_spec_pkg::kind_e   rsp_kind_o,
  output trimode_spec_pkg::action_e rsp_action_o,
  output trimode_spec_pkg::mode_e   rsp_target_o,
  output logic [31:0]               rsp_cause_o,

  // Mode-register write port: one field of mr_mode_o's registers per beat.
  output logic                      mr_valid_o,
  input  logic                      mr_ready_i,
  output trimode_spec_pkg::mode_e   mr_mode_o,
  output logic [2:0]                mr_field_o,     // 0 epc, 1 cause, 2 tval, 3 status, 4 csr slot
  output logic [31:0]               mr_data_o
);

  localparam logic [1:0] OpInsn     = 2'd0;
  localparam logic [1:0] OpIrqQuery = 2'd1;
  localparam logic [1:0] OpFault    = 2'd2;

  localparam logic [2:0] FieldEpc    = 3'd0;
  localparam logic [2:0] FieldCause  = 3'd1;
  localparam logic [2:0] FieldTval   = 3'd2;
  localparam logic [2:0] FieldStatus = 3'd3;
  localparam logic [2:0] FieldCsr    = 3'd4;  // the core's CSR write: its value goes over the CSR bus

  typedef enum logic [1:0] {
    StIdle,   // ready for a request
    StFrame,  // writing a trap frame's critical beats: epc, status
    StSlot    // one beat: exit's status, or a CSR write's slot
  } state_e;

  ////////////////
  // Decision   //
  ////////////////

  trimode_spec_pkg::kind_e   dec_kind;
  trimode_spec_pkg::action_e dec_action;
  trimode_spec_pkg::mode_e   dec_target;
  logic [31:0]               dec_cause;

  trimode_trap_decide u_decide (
    .insn_i        (req_insn_i),
    .mode_i        (req_mode_i),
    .irq_pending_i (irq_pending_i),
    .irq_enable_i  (irq_enable_i),
    .kind_o        (dec_kind),
    .action_o      (dec_action),
    .target_o      (dec_target),
    .cause_o       (dec_cause)
  );

  // The answer: the decision, or the core's own for a fault it raised.
  logic is_fault, is_query;
  assign is_fault = (req_op_i == OpFault);
  assign is_query = (req_op_i == OpIrqQuery);

  trimode_spec_pkg::kind_e   kind_d;
  trimode_spec_pkg::action_e action_d;
  trimode_spec_pkg::mode_e   target_d;
  logic [31:0]               cause_d;
  assign kind_d   = is_fault ? trimode_spec_pkg::KindNone : dec_kind;
  assign action_d = is_fault ? trimode_spec_pkg::ActTrap : dec_action;
  assign target_d = is_fault ? req_fault_target_i : dec_target;
  assign cause_d  = is_fault ? req_fault_cause_i : dec_cause;

  // What the answer costs: a trap frame, one write slot, or nothing.
  logic is_system, is_exit, is_csr_write, is_irq, needs_frame, needs_slot;
  assign is_system    = (req_insn_i[6:0] == trimode_spec_pkg::OpcSystem);
  assign is_exit      = is_system && (req_insn_i[14:7] == 8'd0) && (req_insn_i[19:15] == 5'd0) &&
                        (req_insn_i[31:20] == trimode_spec_pkg::Funct12Exit);
  // csrrw/csrrwi always write; the set/clear forms only with rs1/zimm != 0.
  assign is_csr_write = is_system && (req_insn_i[13:12] != 2'd0) &&
                        (!req_insn_i[13] || (req_insn_i[19:15] != 5'd0));
  assign is_irq       = (dec_action == trimode_spec_pkg::ActTrap) && dec_cause[31];  // interrupt causes set bit 31
  assign needs_frame  = (action_d != trimode_spec_pkg::ActExec) && (!is_query || is_irq);
  assign needs_slot   = (req_op_i == OpInsn) && (action_d == trimode_spec_pkg::ActExec) &&
                        (is_exit || (is_csr_write && (kind_d != trimode_spec_pkg::KindAny)));

  ////////////////
  // Sequencer  //
  ////////////////

  state_e                    state_q;
  logic                      status_next_q;  // StFrame: epc written, status next
  logic                      slot_csr_q;     // StSlot: a CSR write's slot (else exit's status)
  logic                      rsp_valid_q;
  trimode_spec_pkg::kind_e   kind_q;
  trimode_spec_pkg::action_e action_q;
  trimode_spec_pkg::mode_e   target_q;
  logic [31:0]               cause_q, pc_q, tval_q;
  logic [11:0]               csr_q;          // a CSR write's CSR number
  trimode_spec_pkg::mode_e   mode_q;

  // Write buffer: the last frame's cause and tval, written after its answer.
  logic [1:0]                buf_left_q;     // beats left: 2 cause next, 1 tval next, 0 empty
  trimode_spec_pkg::mode_e   buf_mode_q;
  logic [31:0]               buf_cause_q, buf_tval_q;

  logic accept, buf_valid, front_valid, front_beat, buf_beat, last_beat;
  assign req_ready_o = (state_q == StIdle);
  assign accept      = req_valid_i && req_ready_o;
  assign buf_valid   = (buf_left_q != 2'd0);
  assign front_valid = (state_q != StIdle);
  assign mr_valid_o  = buf_valid || front_valid;
  // The buffer goes first: later beats wait until it has drained.
  assign buf_beat    = buf_valid && mr_ready_i;
  assign front_beat  = front_valid && !buf_valid && mr_ready_i;
  assign last_beat   = front_beat && ((state_q == StSlot) || status_next_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= StIdle;
      status_next_q <= 1'b0;
      slot_csr_q    <= 1'b0;
      rsp_valid_q   <= 1'b0;
      buf_left_q    <= 2'd0;
    end else begin
      rsp_valid_q <= 1'b0;
      if (buf_beat) buf_left_q <= buf_left_q - 2'd1;
      unique case (state_q)
        StIdle: begin
          if (accept) begin
            status_next_q <= 1'b0;
            slot_csr_q    <= !is_exit;
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
            // The frame's rest to the buffer (empty: front beats wait for it).
            if (state_q == StFrame) buf_left_q <= 2'd2;
          end else if (front_beat) begin
            status_next_q <= 1'b1;
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
      pc_q   <= '0;
      tval_q <= '0;
      csr_q  <= '0;
      mode_q <= trimode_spec_pkg::ModeU;
    end else if (accept) begin
      pc_q   <= req_pc_i;
      tval_q <= req_tval_i;
      csr_q  <= req_insn_i[31:20];
      mode_q <= req_mode_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      buf_mode_q  <= trimode_spec_pkg::ModeU;
      buf_cause_q <= '0;
      buf_tval_q  <= '0;
    end else if (last_beat && (state_q == StFrame)) begin
      buf_mode_q  <= target_q;
      buf_cause_q <= cause_q;
      buf_tval_q  <= tval_q;
    end
  end

  // Write port: the buffer's beats to the last frame's mode; a frame's to its
  // target mode; a slot (exit, csr write) to the current mode.
  logic [31:0] status;
  assign status = {28'd0, mode_q, 2'd0};  // pm = the mode trapped from (exit: returned from)
  always_comb begin
    if (buf_valid) begin
      mr_mode_o  = buf_mode_q;
      mr_field_o = (buf_left_q == 2'd2) ? FieldCause : FieldTval;
      mr_data_o  = (buf_left_q == 2'd2) ? buf_cause_q : buf_tval_q;
    end else if (state_q == StFrame) begin
      mr_mode_o  = target_q;
      mr_field_o = status_next_q ? FieldStatus : FieldEpc;
      mr_data_o  = status_next_q ? status : pc_q;
    end else begin
      mr_mode_o  = mode_q;
      mr_field_o = slot_csr_q ? FieldCsr : FieldStatus;
      mr_data_o  = slot_csr_q ? {20'd0, csr_q} : status;  // the slot names the CSR
    end
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
  localparam int unsigned Beat         = 1 + MaxPortStall;  // cycles per port beat, at most
  // Accept, the buffer's two beats, then the request's own two.
  localparam int unsigned MaxLatency   = 1 + 4 * Beat;
  // From the status beat to the buffer's last beat: the answer's cycle, two beats.
  localparam int unsigned MaxDrain     = 1 + 2 * Beat;

  logic       f_past_valid = 1'b0;
  logic [1:0] f_pending = 2'd0;   // accepted, not yet answered
  logic [4:0] f_wait = 5'd0;      // cycles the pending request has waited
  logic [1:0] f_stall = 2'd0;     // consecutive cycles the port has stalled
  logic [2:0] f_frame_beats = 3'd4;  // beats written of the last frame (4: whole, or none yet)
  logic [3:0] f_drain = 4'd0;     // cycles since the last frame's status beat, while its rest drains
  logic [1:0] f_req_beats = 2'd0; // beats of the pending request itself (not the buffer's)
  trimode_spec_pkg::kind_e   f_kind;
  trimode_spec_pkg::action_e f_action;
  trimode_spec_pkg::mode_e   f_target;
  logic [31:0]               f_cause, f_pc, f_tval;
  logic                      f_frame, f_slot, f_fault, f_query;
  logic                      f_in_place;  // an instruction, not a SYSTEM word, decided "execute in place"
  // The last frame's values, for its buffered beats (a later request may have been accepted).
  trimode_spec_pkg::mode_e   f_fr_target;
  logic [31:0]               f_fr_cause, f_fr_tval;
  // The request's inputs, to check a fault's answer against them (not the decision mux).
  trimode_spec_pkg::mode_e   f_in_target;
  logic [31:0]               f_in_cause;

  logic f_beat;
  assign f_beat = mr_valid_o && mr_ready_i;

  always_ff @(posedge clk_i) begin
    f_past_valid <= 1'b1;
    f_pending    <= !rst_ni ? 2'd0 : f_pending + {1'b0, accept} - {1'b0, rsp_valid_o};
    f_wait       <= (accept || rsp_valid_o || f_pending == 2'd0) ? 5'd0 : f_wait + 5'd1;
    f_stall      <= (mr_valid_o && !mr_ready_i) ? f_stall + 2'd1 : 2'd0;
    // epc, status and csr beats are the pending request's; cause and tval the buffer's.
    f_req_beats  <= accept ? 2'd0 : f_req_beats + {1'b0, f_beat && (mr_field_o == FieldEpc ||
                    mr_field_o == FieldStatus || mr_field_o == FieldCsr)};
    if (f_beat) begin
      unique case (mr_field_o)
        FieldEpc:    f_frame_beats <= 3'd1;
        FieldStatus: if (f_frame_beats == 3'd1) f_frame_beats <= 3'd2;
        FieldCause:  f_frame_beats <= 3'd3;
        FieldTval:   f_frame_beats <= 3'd4;
        default:     ;
      endcase
    end
    f_drain      <= (f_beat && mr_field_o == FieldStatus && f_frame_beats == 3'd1) ? 4'd1 :
                    (f_frame_beats == 3'd2 || f_frame_beats == 3'd3) ? f_drain + 4'd1 : 4'd0;
    if (accept) begin
      f_kind      <= kind_d;
      f_action    <= action_d;
      f_target    <= target_d;
      f_cause     <= cause_d;
      f_pc        <= req_pc_i;
      f_frame     <= needs_frame;
      f_slot      <= needs_slot;
      f_fault     <= is_fault;
      f_query     <= is_query;
      f_in_place  <= (req_op_i == OpInsn) && (req_insn_i[6:0] != trimode_spec_pkg::OpcSystem) &&
                     (dec_action == trimode_spec_pkg::ActExec);
      f_in_target <= req_fault_target_i;
      f_in_cause  <= req_fault_cause_i;
    end
    if (accept) f_tval <= req_tval_i;
    // The frame's status beat: its cause and tval go to the buffer.
    if (f_beat && mr_field_o == FieldStatus && f_frame_beats == 3'd1) begin
      f_fr_target <= f_target;
      f_fr_cause  <= f_cause;
      f_fr_tval   <= f_tval;
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
      // A frame is written epc, status (before its answer), cause, tval (after),
      // each field once, to the frame's mode, with the frame's values; the
      // buffer drains within MaxDrain cycles of the status beat; nothing else
      // is written before the frame is whole (background writes finish before
      // the next frame or slot starts).
      if (f_frame_beats == 3'd2 || f_frame_beats == 3'd3) assert (f_drain < MaxDrain[3:0]);
      if (mr_valid_o) begin
        assert (f_pending == 2'd1 || f_frame_beats == 3'd2 || f_frame_beats == 3'd3);
        unique case (mr_field_o)
          FieldEpc: assert (f_frame_beats == 3'd4 && f_frame && f_pending == 2'd1 && mr_data_o == f_pc &&
                            mr_mode_o == f_target);
          FieldStatus: assert ((f_frame_beats == 3'd1 && f_frame) || (f_frame_beats == 3'd4 && f_slot));
          FieldCause: assert (f_frame_beats == 3'd2 && mr_data_o == f_fr_cause && mr_mode_o == f_fr_target);
          FieldTval: assert (f_frame_beats == 3'd3 && mr_data_o == f_fr_tval && mr_mode_o == f_fr_target);
          FieldCsr: assert (f_frame_beats == 3'd4 && f_slot);
          default: assert (1'b0);
        endcase
      end
      // The answer is the accepted request's decision (a fault's: the core's
      // cause and target); a trap is never lost: it is answered only after
      // its critical beats, a slot after its beat, anything else with none.
      // An interrupt query that takes nothing writes nothing.
      if (rsp_valid_o) begin
        assert (rsp_kind_o == f_kind && rsp_action_o == f_action);
        assert (rsp_target_o == f_target && rsp_cause_o == f_cause);
        if (f_fault) assert (rsp_kind_o == trimode_spec_pkg::KindNone &&
                             rsp_action_o == trimode_spec_pkg::ActTrap &&
                             rsp_target_o == f_in_target && rsp_cause_o == f_in_cause);
        if (f_frame) assert (f_frame_beats == 3'd2 && f_req_beats == 2'd2);
        else if (f_slot) assert (f_req_beats == 2'd1);
        else assert (f_req_beats == 2'd0);
        if (f_action != trimode_spec_pkg::ActExec && !f_query) assert (f_frame);
        if (f_query) assert (f_frame == (f_action == trimode_spec_pkg::ActTrap && f_cause[31]));
      end
      // An instruction that is not a SYSTEM word and executes in place is
      // answered on the edge after the one that accepted it, whatever the
      // unit was still doing (its buffer draining, the port stalled): the
      // batched lockstep check (the bit-sliced lanes, models/classifier/rtl_lanes.hpp)
      // takes its decision logic's output as the unit's answer, in 1 cycle.
      if (f_pending == 2'd1 && f_in_place) assert (rsp_valid_o);
    end
  end
`endif

endmodule

// Trimode trap-decode unit.
//
// Classifies one instruction word in the current mode, after the pending
// interrupts: its kind, whether it executes, traps (to which mode, with which
// cause) or is illegal. This is the hardware twin of the C++ reference
// trimode::classify (models/classifier/); its decode logic is written here by
// hand from the architecture, not generated from spec/opcodes.txt, so that
// comparing the two means something (docs/validation.md). Only constants come
// from the generated package trimode_spec_pkg.
//
// Timing: the decode is combinational, the outputs are registered. A word
// presented with valid_i before a rising clk_i edge is answered on the outputs
// right after that edge (latency 1 cycle, throughput 1 word per cycle). The
// result registers load only when valid_i is high and hold otherwise; valid_o
// follows valid_i one cycle later. See docs/rtl.md for the waveform.
//
// Priority (highest first), as an ordered chain:
//   1. timer interrupt   irq_pending_i[0] && (mode != V || v_ie)  -> trap V, irq_timer
//   2. virtual interrupt irq_pending_i[1] && (mode == U || (mode == G && g_ie))
//                                                                -> trap G, irq_virtual
//   3. the instruction   illegal -> owner rule (U -> G, G/V -> V), illegal_insn;
//                        kind K below its owner -> trap to the owner;
//                        otherwise execute in place (target = mode, cause 0).
// Interrupts report kind KindNone, like illegal encodings.
//
// mode_i = 2'b11 is not a mode; the unit treats it like V (the highest mode).

module trimode_trap_decode
  import trimode_spec_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,

  input  logic        valid_i,
  input  logic [31:0] insn_i,
  input  mode_e       mode_i,
  input  logic [1:0]  irq_pending_i,  // [1] virtual interrupt (gip.vi), [0] timer
  input  logic [1:0]  irq_enable_i,   // [1] g_ie (gstatus.ie),         [0] v_ie (vstatus.ie)

  output logic        valid_o,
  output kind_e       kind_o,
  output action_e     action_o,
  output mode_e       target_o,
  output logic [31:0] cause_o
);

  // RV32 funct3 / funct7 values the decode needs (not in the package: they are
  // ISA facts, not Trimode table entries).
  localparam logic [6:0] Funct7Zero = 7'h00;
  localparam logic [6:0] Funct7Alt  = 7'h20;  // sub, sra, srai
  localparam logic [6:0] Funct7MulDiv = 7'h01;

  localparam logic [2:0] F3Priv   = 3'd0;  // SYSTEM: ecall, ebreak, vcall, exit, wfi
  localparam logic [2:0] F3Csrrw  = 3'd1;
  localparam logic [2:0] F3Csrrs  = 3'd2;
  localparam logic [2:0] F3Csrrc  = 3'd3;
  localparam logic [2:0] F3Csrrwi = 3'd5;
  localparam logic [2:0] F3Csrrsi = 3'd6;
  localparam logic [2:0] F3Csrrci = 3'd7;

  ////////////////////
  // Field decode   //
  ////////////////////

  logic [6:0]  opcode;
  logic [4:0]  rd;
  logic [2:0]  funct3;
  logic [4:0]  rs1;     // also zimm of the immediate CSR forms
  logic [6:0]  funct7;
  logic [11:0] funct12; // also the CSR number

  assign opcode  = insn_i[6:0];
  assign rd      = insn_i[11:7];
  assign funct3  = insn_i[14:12];
  assign rs1     = insn_i[19:15];
  assign funct7  = insn_i[31:25];
  assign funct12 = insn_i[31:20];

  logic mode_is_u, mode_is_v;
  assign mode_is_u = (mode_i == ModeU);
  assign mode_is_v = (mode_i != ModeU) && (mode_i != ModeG);  // V, and the unused 2'b11

  logic irq_timer_pending, irq_virtual_pending, v_ie, g_ie;
  assign irq_timer_pending   = irq_pending_i[0];
  assign irq_virtual_pending = irq_pending_i[1];
  assign v_ie                = irq_enable_i[0];
  assign g_ie                = irq_enable_i[1];

  ////////////////////////////
  // Instruction decode     //
  ////////////////////////////

  // Per instruction: its kind in this mode and, for the few instructions whose
  // trap is not the kind's default one, the target and cause.
  //   insn_illegal  not an encoding of the table, or illegal in this mode
  //   insn_kind     kind of a legal instruction
  //   insn_special  the trap below is fixed (gates, ebreak) rather than derived
  //                 from the kind by the owner rule
  logic        insn_illegal;
  kind_e       insn_kind;
  logic        insn_special;
  mode_e       special_target;
  logic [31:0] special_cause;

  // CSR number decode: kind and read-only attribute.
  logic  csr_exists;
  kind_e csr_kind;
  logic  csr_ro;

  always_comb begin
    csr_exists = 1'b1;
    csr_kind   = KindAny;
    csr_ro     = 1'b0;

    unique case (funct12)
      // Counters: readable everywhere.
      CsrCycle, CsrInstret, CsrCycleh, CsrInstreth: begin
        csr_kind = KindAny;
        csr_ro   = 1'b1;
      end
      // Real time reveals the machine: sensitive.
      CsrTime, CsrTimeh: begin
        csr_kind = KindSensitive;
        csr_ro   = 1'b1;
      end
      // G's trap state, status and process registers.
      CsrGtvec, CsrGepc, CsrGcause, CsrGtval, CsrGscratch, CsrGstatus, CsrGip,
      CsrGpid, CsrGbase, CsrGbound: begin
        csr_kind = KindPriv;
      end
      // V's trap state, timer, injection, VM id and segment-table window.
      CsrVtvec, CsrVepc, CsrVcause, CsrVtval, CsrVscratch, CsrVstatus, CsrVtimectl,
      CsrVinject, CsrVmid, CsrVsegsel, CsrVsegbase, CsrVsegsize: begin
        csr_kind = KindSensitive;
      end
      default: begin
        csr_exists = 1'b0;
      end
    endcase
  end

  // A read-only CSR exists only as a pure read: csrrs/csrrc with rs1 = x0,
  // csrrsi/csrrci with zimm = 0. csrrw/csrrwi always write.
  logic csr_write;
  always_comb begin
    csr_write = 1'b1;
    unique case (funct3)
      F3Csrrs, F3Csrrc, F3Csrrsi, F3Csrrci: csr_write = (rs1 != 5'd0);
      default:                              csr_write = 1'b1;
    endcase
  end

  always_comb begin
    insn_illegal   = 1'b0;
    insn_kind      = KindAny;
    insn_special   = 1'b0;
    special_target = ModeV;
    special_cause  = CauseIllegalInsn;

    unique case (opcode)
      // U-type and J-type: every word is an instruction.
      OpcLui, OpcAuipc, OpcJal: begin
        insn_kind = KindAny;
      end

      OpcJalr: begin
        insn_illegal = (funct3 != 3'd0);
      end

      // beq bne - - blt bge bltu bgeu
      OpcBranch: begin
        insn_illegal = (funct3 == 3'd2) || (funct3 == 3'd3);
      end

      // lb lh lw - lbu lhu - -
      OpcLoad: begin
        insn_illegal = (funct3 == 3'd3) || (funct3 == 3'd6) || (funct3 == 3'd7);
      end

      // sb sh sw
      OpcStore: begin
        insn_illegal = (funct3 > 3'd2);
      end

      // fence, fence.i: every other field is ignored.
      OpcMiscMem: begin
        insn_illegal = (funct3 > 3'd1);
      end

      OpcOpImm: begin
        unique case (funct3)
          3'd1:    insn_illegal = (funct7 != Funct7Zero);                            // slli
          3'd5:    insn_illegal = (funct7 != Funct7Zero) && (funct7 != Funct7Alt);   // srli, srai
          default: insn_illegal = 1'b0;                         // addi slti sltiu xori ori andi
        endcase
      end

      OpcOp: begin
        unique case (funct7)
          Funct7Zero:   insn_illegal = 1'b0;                                   // add .. and
          Funct7MulDiv: insn_illegal = 1'b0;                                   // mul .. remu
          Funct7Alt:    insn_illegal = (funct3 != 3'd0) && (funct3 != 3'd5);  // sub, sra
          default:      insn_illegal = 1'b1;
        endcase
      end

      OpcSystem: begin
        unique case (funct3)
          F3Priv: begin
            // All privileged instructions have rd = rs1 = 0.
            if ((rd != 5'd0) || (rs1 != 5'd0)) begin
              insn_illegal = 1'b1;
            end else begin
              unique case (funct12)
                // System-call gate to G; at or above G nothing to climb to.
                Funct12Ecall: begin
                  insn_kind      = KindPriv;
                  insn_illegal   = !mode_is_u;
                  insn_special   = 1'b1;
                  special_target = ModeG;
                  special_cause  = CauseEcallU;
                end
                // Breakpoint: an exception, taken by the owner rule even in V.
                Funct12Ebreak: begin
                  insn_kind      = KindAny;
                  insn_special   = 1'b1;
                  special_target = mode_is_u ? ModeG : ModeV;
                  special_cause  = CauseBreakpoint;
                end
                // Hypercall gate to V, from U or G; nothing to climb to in V.
                Funct12Vcall: begin
                  insn_kind      = KindSensitive;
                  insn_illegal   = mode_is_v;
                  insn_special   = 1'b1;
                  special_target = ModeV;
                  special_cause  = mode_is_u ? CauseVcallU : CauseVcallG;
                end
                // exit: kind 2 in G, kind 1 in V, nothing to return to in U.
                Funct12Exit: begin
                  insn_kind    = mode_is_v ? KindSensitive : KindPriv;
                  insn_illegal = mode_is_u;
                end
                // wfi stops the real machine: sensitive.
                Funct12Wfi: begin
                  insn_kind = KindSensitive;
                end
                default: begin
                  insn_illegal = 1'b1;
                end
              endcase
            end
          end

          F3Csrrw, F3Csrrs, F3Csrrc, F3Csrrwi, F3Csrrsi, F3Csrrci: begin
            insn_kind    = csr_kind;
            insn_illegal = !csr_exists || (csr_ro && csr_write);
          end

          default: begin  // funct3 = 4
            insn_illegal = 1'b1;
          end
        endcase
      end

      default: begin
        insn_illegal = 1'b1;
      end
    endcase
  end

  ////////////////////////////
  // Decision               //
  ////////////////////////////

  logic        valid_d, valid_q;
  kind_e       kind_d, kind_q;
  action_e     action_d, action_q;
  mode_e       target_d, target_q;
  logic [31:0] cause_d, cause_q;

  always_comb begin
    // Default: execute in place.
    kind_d   = insn_kind;
    action_d = ActExec;
    target_d = mode_i;
    cause_d  = '0;

    if (irq_timer_pending && (!mode_is_v || v_ie)) begin
      kind_d   = KindNone;
      action_d = ActTrap;
      target_d = ModeV;
      cause_d  = CauseIrqTimer;
    end else if (irq_virtual_pending && (mode_is_u || ((mode_i == ModeG) && g_ie))) begin
      kind_d   = KindNone;
      action_d = ActTrap;
      target_d = ModeG;
      cause_d  = CauseIrqVirtual;
    end else if (insn_illegal) begin
      kind_d   = KindNone;
      action_d = ActIllegal;
      target_d = mode_is_u ? ModeG : ModeV;
      cause_d  = CauseIllegalInsn;
    end else if (insn_special) begin
      action_d = ActTrap;
      target_d = special_target;
      cause_d  = special_cause;
    end else begin
      // The owner rule by kind: kind 2 belongs to G, kind 1 to V.
      unique case (insn_kind)
        KindPriv: begin
          if (mode_is_u) begin
            action_d = ActTrap;
            target_d = ModeG;
            cause_d  = CausePrivInsn;
          end
        end
        KindSensitive: begin
          if (!mode_is_v) begin
            action_d = ActTrap;
            target_d = ModeV;
            cause_d  = CauseSensitiveInsn;
          end
        end
        default: ;  // KindAny executes everywhere.
      endcase
    end
  end

  assign valid_d = valid_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= 1'b0;
    end else begin
      valid_q <= valid_d;
    end
  end

  // Result registers: load on a valid word, hold otherwise (no toggling while idle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      kind_q   <= KindNone;
      action_q <= ActExec;
      target_q <= ModeU;
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
      assert (mode_i inside {ModeU, ModeG, ModeV})
        else $error("trap_decode: mode_i = 2'b11 is not a mode");
      // The chain's invariants: exec stays in place with no cause; kind 0 never executes.
      assert (action_d != ActExec || (target_d == mode_i && cause_d == '0))
        else $error("trap_decode: exec with a target or cause");
      assert (kind_d != KindNone || action_d != ActExec)
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

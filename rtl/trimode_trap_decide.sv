// Trimode trap-decision logic: the combinational heart of the trap-decode unit.
//
// Classifies one instruction word in the current mode, after the pending
// interrupts: its kind, whether it executes, traps (to which mode, with which
// cause) or is illegal. This is the hardware twin of the C++ reference
// trimode::classify (models/classifier/); its decode logic is written here by
// hand from the architecture, not generated from spec/opcodes.txt, so that
// comparing the two means something (docs/validation.md). Only constants come
// from the generated package trimode_spec_pkg, by qualified name (no import:
// yosys 0.23, which proves this module equal to the table, does not read
// `import pkg::*`; tests/rtl/prove.py, rtl.proof).
//
// Purely combinational; trimode_trap_decode registers its outputs.
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
// mode_i = 2'b11 is not a mode; the unit treats it like V (the highest mode),
// except that an instruction executing in place reports target = mode_i.

module trimode_trap_decide (
  input  logic [31:0]              insn_i,
  input  trimode_spec_pkg::mode_e  mode_i,
  input  logic [1:0]               irq_pending_i,  // [1] virtual interrupt (gip.vi), [0] timer
  input  logic [1:0]               irq_enable_i,   // [1] g_ie (gstatus.ie), [0] v_ie (vstatus.ie)

  output trimode_spec_pkg::kind_e   kind_o,
  output trimode_spec_pkg::action_e action_o,
  output trimode_spec_pkg::mode_e   target_o,
  output logic [31:0]               cause_o
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
  assign mode_is_u = (mode_i == trimode_spec_pkg::ModeU);
  // V, and the unused 2'b11
  assign mode_is_v = (mode_i != trimode_spec_pkg::ModeU) && (mode_i != trimode_spec_pkg::ModeG);

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
  logic                    insn_illegal;
  trimode_spec_pkg::kind_e insn_kind;
  logic                    insn_special;
  trimode_spec_pkg::mode_e special_target;
  logic [31:0]             special_cause;

  // CSR number decode: kind and read-only attribute.
  logic                    csr_exists;
  trimode_spec_pkg::kind_e csr_kind;
  logic                    csr_ro;

  always_comb begin
    csr_exists = 1'b1;
    csr_kind   = trimode_spec_pkg::KindAny;
    csr_ro     = 1'b0;

    unique case (funct12)
      // Counters: readable everywhere.
      trimode_spec_pkg::CsrCycle,
      trimode_spec_pkg::CsrInstret,
      trimode_spec_pkg::CsrCycleh,
      trimode_spec_pkg::CsrInstreth: begin
        csr_kind = trimode_spec_pkg::KindAny;
        csr_ro   = 1'b1;
      end
      // Real time reveals the machine: sensitive.
      trimode_spec_pkg::CsrTime,
      trimode_spec_pkg::CsrTimeh: begin
        csr_kind = trimode_spec_pkg::KindSensitive;
        csr_ro   = 1'b1;
      end
      // G's trap state, status and process registers.
      trimode_spec_pkg::CsrGtvec,
      trimode_spec_pkg::CsrGepc,
      trimode_spec_pkg::CsrGcause,
      trimode_spec_pkg::CsrGtval,
      trimode_spec_pkg::CsrGscratch,
      trimode_spec_pkg::CsrGstatus,
      trimode_spec_pkg::CsrGip,
      trimode_spec_pkg::CsrGpid,
      trimode_spec_pkg::CsrGbase,
      trimode_spec_pkg::CsrGbound: begin
        csr_kind = trimode_spec_pkg::KindPriv;
      end
      // V's trap state, timer, injection, VM id and segment-table window.
      trimode_spec_pkg::CsrVtvec,
      trimode_spec_pkg::CsrVepc,
      trimode_spec_pkg::CsrVcause,
      trimode_spec_pkg::CsrVtval,
      trimode_spec_pkg::CsrVscratch,
      trimode_spec_pkg::CsrVstatus,
      trimode_spec_pkg::CsrVtimectl,
      trimode_spec_pkg::CsrVinject,
      trimode_spec_pkg::CsrVmid,
      trimode_spec_pkg::CsrVsegsel,
      trimode_spec_pkg::CsrVsegbase,
      trimode_spec_pkg::CsrVsegsize: begin
        csr_kind = trimode_spec_pkg::KindSensitive;
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
    insn_kind      = trimode_spec_pkg::KindAny;
    insn_special   = 1'b0;
    special_target = trimode_spec_pkg::ModeV;
    special_cause  = trimode_spec_pkg::CauseIllegalInsn;

    unique case (opcode)
      // U-type and J-type: every word is an instruction.
      trimode_spec_pkg::OpcLui, trimode_spec_pkg::OpcAuipc, trimode_spec_pkg::OpcJal: begin
        insn_kind = trimode_spec_pkg::KindAny;
      end

      trimode_spec_pkg::OpcJalr: begin
        insn_illegal = (funct3 != 3'd0);
      end

      // beq bne - - blt bge bltu bgeu
      trimode_spec_pkg::OpcBranch: begin
        insn_illegal = (funct3 == 3'd2) || (funct3 == 3'd3);
      end

      // lb lh lw - lbu lhu - -
      trimode_spec_pkg::OpcLoad: begin
        insn_illegal = (funct3 == 3'd3) || (funct3 == 3'd6) || (funct3 == 3'd7);
      end

      // sb sh sw
      trimode_spec_pkg::OpcStore: begin
        insn_illegal = (funct3 > 3'd2);
      end

      // fence, fence.i: every other field is ignored.
      trimode_spec_pkg::OpcMiscMem: begin
        insn_illegal = (funct3 > 3'd1);
      end

      trimode_spec_pkg::OpcOpImm: begin
        unique case (funct3)
          3'd1:    insn_illegal = (funct7 != Funct7Zero);                            // slli
          3'd5:    insn_illegal = (funct7 != Funct7Zero) && (funct7 != Funct7Alt);   // srli, srai
          default: insn_illegal = 1'b0;                         // addi slti sltiu xori ori andi
        endcase
      end

      trimode_spec_pkg::OpcOp: begin
        unique case (funct7)
          Funct7Zero:   insn_illegal = 1'b0;                                   // add .. and
          Funct7MulDiv: insn_illegal = 1'b0;                                   // mul .. remu
          Funct7Alt:    insn_illegal = (funct3 != 3'd0) && (funct3 != 3'd5);  // sub, sra
          default:      insn_illegal = 1'b1;
        endcase
      end

      trimode_spec_pkg::OpcSystem: begin
        unique case (funct3)
          F3Priv: begin
            // All privileged instructions have rd = rs1 = 0.
            if ((rd != 5'd0) || (rs1 != 5'd0)) begin
              insn_illegal = 1'b1;
            end else begin
              unique case (funct12)
                // System-call gate to G; at or above G nothing to climb to.
                trimode_spec_pkg::Funct12Ecall: begin
                  insn_kind      = trimode_spec_pkg::KindPriv;
                  insn_illegal   = !mode_is_u;
                  insn_special   = 1'b1;
                  special_target = trimode_spec_pkg::ModeG;
                  special_cause  = trimode_spec_pkg::CauseEcallU;
                end
                // Breakpoint: an exception, taken by the owner rule even in V.
                trimode_spec_pkg::Funct12Ebreak: begin
                  insn_kind      = trimode_spec_pkg::KindAny;
                  insn_special   = 1'b1;
                  special_target = mode_is_u ? trimode_spec_pkg::ModeG : trimode_spec_pkg::ModeV;
                  special_cause  = trimode_spec_pkg::CauseBreakpoint;
                end
                // Hypercall gate to V, from U or G; nothing to climb to in V.
                trimode_spec_pkg::Funct12Vcall: begin
                  insn_kind      = trimode_spec_pkg::KindSensitive;
                  insn_illegal   = mode_is_v;
                  insn_special   = 1'b1;
                  special_target = trimode_spec_pkg::ModeV;
                  special_cause  = mode_is_u ? trimode_spec_pkg::CauseVcallU : trimode_spec_pkg::CauseVcallG;
                end
                // exit: kind 2 in G, kind 1 in V, nothing to return to in U.
                trimode_spec_pkg::Funct12Exit: begin
                  insn_kind    = mode_is_v ? trimode_spec_pkg::KindSensitive : trimode_spec_pkg::KindPriv;
                  insn_illegal = mode_is_u;
                end
                // wfi stops the real machine: sensitive.
                trimode_spec_pkg::Funct12Wfi: begin
                  insn_kind = trimode_spec_pkg::KindSensitive;
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

  always_comb begin
    // Default: execute in place.
    kind_o   = insn_kind;
    action_o = trimode_spec_pkg::ActExec;
    target_o = mode_i;
    cause_o  = '0;

    if (irq_timer_pending && (!mode_is_v || v_ie)) begin
      kind_o   = trimode_spec_pkg::KindNone;
      action_o = trimode_spec_pkg::ActTrap;
      target_o = trimode_spec_pkg::ModeV;
      cause_o  = trimode_spec_pkg::CauseIrqTimer;
    end else if (irq_virtual_pending && (mode_is_u || ((mode_i == trimode_spec_pkg::ModeG) && g_ie))) begin
      kind_o   = trimode_spec_pkg::KindNone;
      action_o = trimode_spec_pkg::ActTrap;
      target_o = trimode_spec_pkg::ModeG;
      cause_o  = trimode_spec_pkg::CauseIrqVirtual;
    end else if (insn_illegal) begin
      kind_o   = trimode_spec_pkg::KindNone;
      action_o = trimode_spec_pkg::ActIllegal;
      target_o = mode_is_u ? trimode_spec_pkg::ModeG : trimode_spec_pkg::ModeV;
      cause_o  = trimode_spec_pkg::CauseIllegalInsn;
    end else if (insn_special) begin
      action_o = trimode_spec_pkg::ActTrap;
      target_o = special_target;
      cause_o  = special_cause;
    end else begin
      // The owner rule by kind: kind 2 belongs to G, kind 1 to V.
      unique case (insn_kind)
        trimode_spec_pkg::KindPriv: begin
          if (mode_is_u) begin
            action_o = trimode_spec_pkg::ActTrap;
            target_o = trimode_spec_pkg::ModeG;
            cause_o  = trimode_spec_pkg::CausePrivInsn;
          end
        end
        trimode_spec_pkg::KindSensitive: begin
          if (!mode_is_v) begin
            action_o = trimode_spec_pkg::ActTrap;
            target_o = trimode_spec_pkg::ModeV;
            cause_o  = trimode_spec_pkg::CauseSensitiveInsn;
          end
        end
        default: ;  // trimode_spec_pkg::KindAny executes everywhere.
      endcase
    end
  end

endmodule

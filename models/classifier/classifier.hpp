// The trap classifier: the TLM reference for the trap-decode RTL.
//
// A pure function of (instruction word, current mode, interrupt lines) that says
// what the hardware does with the instruction: its kind, whether it executes,
// traps (and to which mode, with which cause) or is illegal. It is derived from
// the generated table spec::kRows (spec/opcodes.txt) and nothing else.
//
// Example: classify(0x00000073 /* ecall */, Mode::U) ->
//   {kind 2, kTrap, target G, cause ecall_u}; the same word in G -> illegal, to V.
#pragma once

#include <cstdint>

#include "trimode/spec.hpp"

namespace trimode {

// Interrupt lines as the mode register presents them (bit positions are the
// classifier's and the RTL's interface; see docs/architecture.md).
struct IrqLines {
  bool timer_pending = false;    // CLINT timer, gated by vtimectl.te
  bool virtual_pending = false;  // injected by V (gip.vi)
  bool v_ie = false;             // vstatus.ie
  bool g_ie = false;             // gstatus.ie
};

inline constexpr uint16_t kNoRow = 0xFFFF;

struct Decision {
  spec::Kind kind = 0;
  spec::Action action = spec::Action::kIllegal;
  spec::Mode target = spec::Mode::V;  // the mode that runs next (current mode on kExec)
  uint32_t cause = 0;                 // 0 on kExec
  uint16_t row = kNoRow;              // index into spec::kRows, kNoRow when none matched
  // Timing, not part of the decision (never compared): the cycles the trap
  // unit's RTL took to answer through its handshake (rtl/trimode_trap_unit.sv),
  // which the core charges for the event; 0 when not timed (the reference):
  // the core charges the TLM estimate of spec/timing.txt.
  uint8_t cycles = 0;

  bool operator==(const Decision& o) const {
    return kind == o.kind && action == o.action && target == o.target && cause == o.cause;
  }
  bool operator!=(const Decision& o) const { return !(*this == o); }
};

// One question to the classifier: an instruction about to execute at `pc` in
// `mode`, with the interrupt lines as the mode register presents them. The
// classifier's SystemC interface (decode_if.hpp) and the hart's bus take it.
struct DecodeRequest {
  // What is asked (the trap unit's req_op_i: rtl/trimode_trap_unit.sv):
  //   kInsn      the instruction `insn` about to execute (interrupts first)
  //   kIrqQuery  whether an interrupt is taken at this instruction boundary:
  //              insn is 0 ("no instruction"), the decision is classify(0,
  //              mode, irq); only an interrupt cause is acted on, and a timed
  //              classifier does nothing for anything else (and spends no
  //              clock cycle on it: the core charges none)
  //   kFault     a fault the core raised (access fault, misaligned access or
  //              jump, a CSR the register refused): the decision is the core's,
  //              fault_decision(); a timed classifier writes its trap frame
  enum class What : uint8_t { kInsn, kIrqQuery, kFault };

  uint32_t insn = 0;
  spec::Mode mode = spec::Mode::V;
  IrqLines irq{};
  uint32_t pc = 0;  // for reports and the trap frame: the decision never depends on it
  What what = What::kInsn;
  spec::Mode fault_target = spec::Mode::V;  // kFault: the mode the core traps to
  uint32_t fault_cause = 0;                 // kFault: its cause
  uint32_t tval = 0;                        // kFault: its trap value (the faulting address)
};

// One block run the core executed in place without asking the classifier
// (block records, models/core/hart.hpp): n instructions from pc on, word
// insn[k] at pc + 4k matching row[k] of spec::kRows, each retiring in one
// cycle on its reference decision (classify_row(row[k], mode): execute in
// place), `repeat` times in a row (a loop's rounds: n x repeat instructions).
// Runs are handed over in sequences, back to back in time, in one mode with
// constant interrupt lines (DecodeIf::in_place, HartBus::in_place).
// A decision in one byte, as the trap unit's lanes give it (decode_if.hpp):
// {2'b0, target[1:0], action[1:0], kind[1:0]}; the cause apart.
inline uint8_t pack_dec(const Decision& d) {
  return static_cast<uint8_t>(unsigned{d.kind} | static_cast<unsigned>(d.action) << 2 |
                              static_cast<unsigned>(d.target) << 4);
}
inline Decision unpack_dec(uint8_t dec, uint32_t cause) {
  Decision d;
  d.kind = static_cast<spec::Kind>(dec & 3);
  d.action = static_cast<spec::Action>(dec >> 2 & 3);
  d.target = static_cast<spec::Mode>(dec >> 4 & 3);
  d.cause = cause;
  return d;
}

// A block's instructions bit-sliced once, when the core translates it for
// block records (models/core/hart.hpp), so that a lockstep checker packs a
// run of them into its bit-sliced batch with a few shifts per slice instead
// of a copy and a transpose per instruction (lockstep_classifier.hpp).
// Slice b < 32: bit j = bit b of instruction j's word; slice 32 + t: bit j =
// bit t of the kind of classify_row(row_j, mode), the reference's decision the
// core executed it on (the rest of that decision is the same for every
// instruction a block runs in place: action execute, target the block's mode,
// cause 0; a checker compares it with constants and the lanes' mode). `once`: instructions 0..len-1 (0 above); `round`: a
// loop's rounds, 128 bits (round[0] bits 0..63, round[1] 64..127), bit j
// for instruction j mod period (period: the loop's length).
struct RunSlices {
  static constexpr unsigned kWordBits = 32, kDecBits = 2, kBits = kWordBits + kDecBits;
  uint64_t once[kBits];
  uint64_t round[2][kBits];
  unsigned period;  // (no initialiser: the core keeps a block slot's slices unzeroed, slice_block fills them)
};
// Fills *out for the len (1..64) instructions words[]/rows[] in `mode`,
// rounds of `period` (1..len) instructions.
void slice_block(const uint32_t* words, const uint16_t* rows, unsigned len, unsigned period, spec::Mode mode,
                 RunSlices* out);

struct InPlaceRun {
  uint32_t pc = 0;
  unsigned n = 0;
  unsigned repeat = 1;
  const uint32_t* insn = nullptr;
  const uint16_t* row = nullptr;
  // The block's slices (its instructions from the first, rounds of n), or
  // nullptr: a checker then slices insn/row itself.
  const RunSlices* slices = nullptr;
};

// Calls f(run, k) for every instruction of runs[0..count), in retirement
// order: instruction k of `run` (pc + 4k, insn[k], row[k]), each round of it.
template <typename F>
void each_instruction(const InPlaceRun* runs, unsigned count, F f) {
  for (const InPlaceRun* run = runs; run != runs + count; ++run) {
    for (unsigned r = 0; r < run->repeat; ++r) {
      for (unsigned k = 0; k < run->n; ++k) f(*run, k);
    }
  }
}

// The decision for a fault the core raised: kind 0, trap to the core's target with its cause.
inline Decision fault_decision(const DecodeRequest& r) {
  Decision d;
  d.kind = 0;
  d.action = spec::Action::kTrap;
  d.target = r.fault_target;
  d.cause = r.fault_cause;
  return d;
}

// The row of spec::kRows matching `insn`, or kNoRow. O(1): see classifier.cpp.
uint16_t match_row(uint32_t insn);

// The interrupt the hardware takes before executing anything in `mode`, if any.
// Timer (owned by V) first: taken below V always, in V when vstatus.ie. Then the
// virtual interrupt (owned by G): taken in U always, in G when gstatus.ie, never in V.
bool pending_interrupt(spec::Mode mode, IrqLines irq, Decision* out);

// The decision for an instruction with no interrupt pending.
Decision classify_insn(uint32_t insn, spec::Mode mode);
// The same, for a word whose row (match_row(insn)) is known.
Decision classify_row(uint16_t row, spec::Mode mode);

// The full classifier: interrupts first, then the instruction.
Decision classify(uint32_t insn, spec::Mode mode, IrqLines irq = {});

// The owner rule for exceptions: raised in U -> G, raised in G or V -> V.
constexpr spec::Mode exception_owner(spec::Mode raised_in) {
  return raised_in == spec::Mode::U ? spec::Mode::G : spec::Mode::V;
}

const char* mode_name(spec::Mode m);
const char* cause_name(uint32_t cause);
const char* action_name(spec::Action a);

}  // namespace trimode

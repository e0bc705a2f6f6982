// Text the hart's user reads: --trace-insn lines and the report printed when
// a run stops on a failure. Pure C++ (no SystemC), so both are unit-testable.
//
// --trace-insn format (docs/debugging.md), one line per retired instruction:
//   MODE PC (WORD) [xN VALUE] [load|store ADDR] [# DISASSEMBLY]
//   V 0x80000010 (0x00052503) x10 0x00000005 load 0x80001000  # lw a0, 0(a0)
// and one per trap or interrupt taken, starting with "--":
//   -- trap U -> G cause ecall_u (0x8) at pc 0x00000010 tval 0x00000000 vector 0x80400100
//   -- interrupt G -> V cause irq_timer (0x80000007) before pc 0x80400120 vector 0x80000100
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "models/core/hart.hpp"

namespace trimode {

// One --trace-insn line (no newline); `disasm` adds the disassembly column.
std::string trace_line(const Retired& r, bool disasm);

// Reads the instruction word at `pc` as `mode` sees memory; false if unreadable.
using InsnReader = std::function<bool(spec::Mode mode, uint32_t pc, uint32_t* insn)>;

// Where the hart stopped and how it got there, for a failure: the mode and pc,
// the last trap (cause, tval, from where) and the last `count` instructions,
// reconstructed from the hart's flow history, each with its disassembly; one
// that trapped is marked "<- trapped: CAUSE (CODE) tval TVAL", and ", N times
// in a row" follows when it trapped again and again at its own vector (a storm).
// Several lines, each starting with two spaces and ending with a newline.
std::string failure_report(const Hart& hart, const InsnReader& read, unsigned count = 8);

// "pc 0x80000010 in V" (for one-line messages).
std::string where(const Hart& hart);

}  // namespace trimode

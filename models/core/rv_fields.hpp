// RV32 instruction fields and immediates, shared by the hart's decoder and the
// disassembler.
#pragma once

#include <cstdint>

namespace trimode::rv {

inline uint32_t bits(uint32_t insn, unsigned hi, unsigned lo) { return (insn >> lo) & ((1u << (hi - lo + 1)) - 1); }
inline int32_t sext(uint32_t value, unsigned width) {
  const uint32_t m = 1u << (width - 1);
  return static_cast<int32_t>((value ^ m) - m);
}
inline int32_t i_imm(uint32_t insn) { return static_cast<int32_t>(insn) >> 20; }
inline int32_t s_imm(uint32_t insn) { return sext(bits(insn, 31, 25) << 5 | bits(insn, 11, 7), 12); }
inline int32_t b_imm(uint32_t insn) {
  return sext(bits(insn, 31, 31) << 12 | bits(insn, 7, 7) << 11 | bits(insn, 30, 25) << 5 | bits(insn, 11, 8) << 1, 13);
}
inline int32_t u_imm(uint32_t insn) { return static_cast<int32_t>(insn & 0xFFFFF000u); }
inline int32_t j_imm(uint32_t insn) {
  return sext(bits(insn, 31, 31) << 20 | bits(insn, 19, 12) << 12 | bits(insn, 20, 20) << 11 | bits(insn, 30, 21) << 1, 21);
}

}  // namespace trimode::rv

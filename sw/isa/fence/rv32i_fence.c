/*
 * rv32i_fence: fence and fence.i.
 *
 * fence: every pred/succ combination GCC spells, fence.tso, and a fence with
 * nonzero reserved fields (rd, rs1), which RV32I says to execute as a fence;
 * memory written before a fence is read back after it.
 *
 * fence.i: self-modifying code. An instruction word is written into a RAM
 * buffer followed by `ret`, fence.i, and the buffer is called; it is called
 * many times so a decoded-instruction cache would hold it. Then the word is
 * overwritten with a different instruction (another opcode), fence.i, and the
 * call must see the new instruction; then a third time, back to the first
 * opcode with another immediate.
 */
#include <stdint.h>

#include "check.h"

#define REG_A0 10u

/* addi rd, rs1, imm */
static uint32_t enc_addi(uint32_t rd, uint32_t rs1, int32_t imm) {
  return ((uint32_t)imm & 0xfffu) << 20 | rs1 << 15 | 0u << 12 | rd << 7 | 0x13u;
}

/* lui rd, imm20 */
static uint32_t enc_lui(uint32_t rd, uint32_t imm20) {
  return (imm20 & 0xfffffu) << 12 | rd << 7 | 0x37u;
}

#define INSN_RET 0x00008067u /* jalr x0, 0(ra) */

static volatile uint32_t code[4] __attribute__((aligned(16)));

typedef uint32_t (*code_fn)(void);

static void patch(uint32_t insn) {
  code[0] = insn;
  code[1] = INSN_RET;
  __asm__ volatile("fence.i" ::: "memory");
}

/* Calls the buffer n times; returns the last result, or 0xbad if the
   results differ (the buffer must behave the same on every call). */
static uint32_t call_code(unsigned n) {
  code_fn fn = (code_fn)(uintptr_t)code;
  uint32_t first = fn();
  for (unsigned i = 1; i < n; ++i) {
    if (fn() != first) return 0xbad;
  }
  return first;
}

static volatile uint32_t shared;

int main(void) {
  check_group("encodings");
  /* The hand encoders agree with the assembler. */
  CHECK(enc_addi(REG_A0, 0, 42), 0x02a00513);
  CHECK(enc_addi(REG_A0, 0, -1), 0xfff00513);
  CHECK(enc_lui(REG_A0, 0x12345), 0x12345537);

  check_group("fence");
  shared = 1;
  __asm__ volatile("fence" ::: "memory");
  CHECK(shared, 1);
  shared = 2;
  __asm__ volatile("fence rw, rw" ::: "memory");
  CHECK(shared, 2);
  shared = 3;
  __asm__ volatile("fence w, r" ::: "memory");
  CHECK(shared, 3);
  __asm__ volatile("fence r, rw\n\t fence rw, w\n\t fence i, o\n\t fence iorw, iorw" ::: "memory");
  CHECK(shared, 3);
  /* fence.tso: fm = 1000, pred = succ = rw. */
  __asm__ volatile(".word 0x8330000f" ::: "memory");
  /* fence with rd = x5, rs1 = x6: reserved fields, executed as a fence. */
  __asm__ volatile(".insn i 0x0f, 0, x5, x6, 0x0ff" ::: "memory", "t0");
  shared = 4;
  CHECK(shared, 4);

  check_group("fence.i");
  patch(enc_addi(REG_A0, 0, 42));
  CHECK(call_code(1000), 42);
  patch(enc_lui(REG_A0, 0x12345));
  CHECK(call_code(1000), 0x12345000);
  patch(enc_addi(REG_A0, 0, -7));
  CHECK(call_code(3), 0xfffffff9);
  /* Patch the second word too: addi then a different return path. */
  code[0] = enc_addi(REG_A0, 0, 5);
  code[1] = enc_addi(REG_A0, REG_A0, 100);
  code[2] = INSN_RET;
  __asm__ volatile("fence.i" ::: "memory");
  CHECK(call_code(10), 105);

  return check_done();
}

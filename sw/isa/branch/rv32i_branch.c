/*
 * rv32i_branch: control transfer. Every branch (beq bne blt bge bltu bgeu)
 * taken and not taken, forwards and backwards, signed vs unsigned on the same
 * operands, equal operands and rs1 == rs2; jal and jalr: the link register
 * (pc + 4), rd = x0 (a plain jump), jalr's 12-bit signed offset and the
 * clearing of bit 0 of the target, rd == rs1 (target computed from the old
 * rs1), calls and returns through the ABI registers.
 */
#include <stdint.h>

#include "check.h"

/* 1 if `op rs1, rs2` branches forwards, else 0. */
#define BR(op, a, b)                                                     \
  ({                                                                     \
    uint32_t t_;                                                         \
    __asm__ volatile("li %0, 1\n\t" #op " %1, %2, 1f\n\t"                \
                     "li %0, 0\n"                                        \
                     "1:"                                                \
                     : "=&r"(t_)                                         \
                     : "r"((uint32_t)(a)), "r"((uint32_t)(b)));          \
    t_;                                                                  \
  })

/* 1 if `op rs1, rs2` branches backwards, else 0. The backward target is
   placed before the branch and jumped over on entry. */
#define BR_BACK(op, a, b)                                                \
  ({                                                                     \
    uint32_t t_;                                                         \
    __asm__ volatile("li %0, 0\n\t"                                      \
                     "j 2f\n"                                            \
                     "1: li %0, 1\n\t"                                   \
                     "j 3f\n"                                            \
                     "2: " #op " %1, %2, 1b\n"                           \
                     "3:"                                                \
                     : "=&r"(t_)                                         \
                     : "r"((uint32_t)(a)), "r"((uint32_t)(b)));          \
    t_;                                                                  \
  })

/* 1 if `op rs1, rs1` branches. */
#define BR_SAME(op, a)                                                   \
  ({                                                                     \
    uint32_t t_;                                                         \
    __asm__ volatile("li %0, 1\n\t" #op " %1, %1, 1f\n\t"                \
                     "li %0, 0\n"                                        \
                     "1:"                                                \
                     : "=&r"(t_)                                         \
                     : "r"((uint32_t)(a)));                              \
    t_;                                                                  \
  })

/* Runs a countdown loop closed by a backward bne; returns the trip count. */
static uint32_t backward_loop(uint32_t n) {
  uint32_t trips = 0;
  __asm__ volatile(
      "1: addi %0, %0, 1\n\t"
      "addi %1, %1, -1\n\t"
      "bne %1, x0, 1b"
      : "+r"(trips), "+r"(n));
  return trips;
}

static uint32_t __attribute__((noinline)) add_one(uint32_t x) { return x + 1; }

int main(void) {
  const uint32_t neg = 0xffffffffu;  /* -1 signed, max unsigned */
  const uint32_t min = 0x80000000u;  /* INT_MIN signed, 2^31 unsigned */

  check_group("beq/bne");
  CHECK(BR(beq, 0, 0), 1);
  CHECK(BR(beq, 1, 0), 0);
  CHECK(BR(beq, neg, neg), 1);
  CHECK(BR(beq, neg, 1), 0);
  CHECK(BR(bne, 0, 0), 0);
  CHECK(BR(bne, 1, 0), 1);
  CHECK(BR(bne, neg, neg), 0);
  CHECK(BR(bne, min, 0), 1);
  CHECK(BR_BACK(beq, 5, 5), 1);
  CHECK(BR_BACK(beq, 5, 6), 0);
  CHECK(BR_BACK(bne, 5, 6), 1);
  CHECK(BR_BACK(bne, 5, 5), 0);
  CHECK(BR_SAME(beq, 7), 1);
  CHECK(BR_SAME(bne, 7), 0);

  check_group("blt/bge (signed)");
  CHECK(BR(blt, 0, 1), 1);
  CHECK(BR(blt, 1, 0), 0);
  CHECK(BR(blt, 1, 1), 0);
  CHECK(BR(blt, neg, 1), 1);   /* -1 < 1 */
  CHECK(BR(blt, 1, neg), 0);
  CHECK(BR(blt, min, 0x7fffffff), 1);
  CHECK(BR(blt, 0x7fffffff, min), 0);
  CHECK(BR(blt, min, neg), 1);
  CHECK(BR(bge, 0, 1), 0);
  CHECK(BR(bge, 1, 0), 1);
  CHECK(BR(bge, 1, 1), 1);
  CHECK(BR(bge, neg, 1), 0);
  CHECK(BR(bge, 1, neg), 1);
  CHECK(BR(bge, min, 0x7fffffff), 0);
  CHECK(BR(bge, neg, neg), 1);
  CHECK(BR_BACK(blt, neg, 0), 1);
  CHECK(BR_BACK(blt, 0, neg), 0);
  CHECK(BR_BACK(bge, 0, neg), 1);
  CHECK(BR_BACK(bge, neg, 0), 0);
  CHECK(BR_SAME(blt, neg), 0);
  CHECK(BR_SAME(bge, neg), 1);

  check_group("bltu/bgeu (unsigned)");
  CHECK(BR(bltu, 0, 1), 1);
  CHECK(BR(bltu, 1, 0), 0);
  CHECK(BR(bltu, 1, 1), 0);
  CHECK(BR(bltu, neg, 1), 0);  /* 0xffffffff > 1 */
  CHECK(BR(bltu, 1, neg), 1);
  CHECK(BR(bltu, min, 0x7fffffff), 0);
  CHECK(BR(bltu, 0x7fffffff, min), 1);
  CHECK(BR(bltu, 0xfffffffe, neg), 1);
  CHECK(BR(bgeu, 0, 1), 0);
  CHECK(BR(bgeu, 1, 0), 1);
  CHECK(BR(bgeu, 1, 1), 1);
  CHECK(BR(bgeu, neg, 1), 1);
  CHECK(BR(bgeu, 1, neg), 0);
  CHECK(BR(bgeu, min, 0x7fffffff), 1);
  CHECK(BR(bgeu, 0, 0), 1);
  CHECK(BR_BACK(bltu, 0, neg), 1);
  CHECK(BR_BACK(bltu, neg, 0), 0);
  CHECK(BR_BACK(bgeu, neg, 0), 1);
  CHECK(BR_BACK(bgeu, 0, neg), 0);
  CHECK(BR_SAME(bltu, 3), 0);
  CHECK(BR_SAME(bgeu, 3), 1);

  check_group("loop");
  CHECK(backward_loop(1), 1);
  CHECK(backward_loop(100), 100);

  check_group("jal");
  /* The link register holds the address of the instruction after jal. */
  CHECK(({
          uint32_t link, after;
          __asm__ volatile("jal %0, 1f\n"
                           "1: la %1, 1b"
                           : "=&r"(link), "=r"(after));
          link - after;
        }),
        0);
  /* jal skips the instructions between it and its target. */
  CHECK(({
          uint32_t r = 0;
          __asm__ volatile("jal t0, 1f\n\t"
                           "addi %0, %0, 1\n\t"
                           "addi %0, %0, 2\n"
                           "1: addi %0, %0, 4"
                           : "+r"(r)
                           :
                           : "t0");
          r;
        }),
        4);
  /* rd = x0: a plain jump, x0 stays 0. */
  CHECK(({
          uint32_t r = 0;
          __asm__ volatile("jal x0, 1f\n\t"
                           "addi %0, %0, 1\n"
                           "1: add %0, %0, x0"
                           : "+r"(r));
          r;
        }),
        0);
  /* Backward jal. */
  CHECK(({
          uint32_t r = 0;
          __asm__ volatile("j 2f\n"
                           "1: addi %0, %0, 8\n\t"
                           "j 3f\n"
                           "2: jal x0, 1b\n\t"
                           "addi %0, %0, 1\n"
                           "3:"
                           : "+r"(r));
          r;
        }),
        8);

  check_group("jalr");
  /* Link = pc + 4, target = rs1 + imm. */
  CHECK(({
          uint32_t link, base, after;
          __asm__ volatile("la %1, 1f\n\t"
                           "jalr %0, 0(%1)\n"
                           "1: la %2, 1b"
                           : "=&r"(link), "=&r"(base), "=r"(after));
          link - after;
        }),
        0);
  /* Positive offset skips an instruction. */
  CHECK(({
          uint32_t r = 0, base;
          __asm__ volatile("la %1, 1f\n\t"
                           "jalr x0, 4(%1)\n"
                           "1: addi %0, %0, 1\n\t"
                           "addi %0, %0, 2"
                           : "+r"(r), "=&r"(base));
          r;
        }),
        2);
  /* Negative offset. */
  CHECK(({
          uint32_t r = 0, base;
          __asm__ volatile("la %1, 1f\n\t"
                           "addi %1, %1, 16\n\t"
                           "jalr x0, -16(%1)\n\t"
                           "addi %0, %0, 1\n"
                           "1: addi %0, %0, 2"
                           : "+r"(r), "=&r"(base));
          r;
        }),
        2);
  /* Bit 0 of rs1 + imm is cleared: an odd register... */
  CHECK(({
          uint32_t r = 0, base;
          __asm__ volatile("la %1, 1f\n\t"
                           "addi %1, %1, 1\n\t"
                           "jalr x0, 0(%1)\n\t"
                           "addi %0, %0, 1\n"
                           "1: addi %0, %0, 2"
                           : "+r"(r), "=&r"(base));
          r;
        }),
        2);
  /* ...or an odd immediate. */
  CHECK(({
          uint32_t r = 0, base;
          __asm__ volatile("la %1, 1f\n\t"
                           "jalr x0, 1(%1)\n\t"
                           "addi %0, %0, 1\n"
                           "1: addi %0, %0, 2"
                           : "+r"(r), "=&r"(base));
          r;
        }),
        2);
  /* rd == rs1: the target uses the old rs1, rd gets the link. */
  CHECK(({
          uint32_t reg, after;
          __asm__ volatile("la %0, 1f\n\t"
                           "jalr %0, 0(%0)\n"
                           "1: la %1, 1b"
                           : "=&r"(reg), "=r"(after));
          reg - after;
        }),
        0);
  /* An ABI call and return (jal ra / jalr x0, 0(ra)). */
  CHECK(add_one(41), 42);
  CHECK(({
          uint32_t (*volatile fn)(uint32_t) = add_one;
          fn(99);
        }),
        100);

  return check_done();
}

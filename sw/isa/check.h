/*
 * check.h: the self-checking harness of the sw/isa programs.
 *
 * A program is a sequence of groups, each a sequence of checks:
 *
 *   check_group("add");
 *   CHECK(RR(add, 3, 7), 10);     // check #1
 *   CHECK(RR(add, -1, 1), 0);     // check #2
 *   return check_done();          // prints the last group, returns 0
 *
 * Checks are numbered from 1 in program order. The first failing check
 * prints "FAIL #<n> [<group>] <expression>: got 0x.. want 0x.." and ends the
 * run with exit code <n> (through the finisher), so the exit code alone names
 * the check; keep a program under 255 checks. Each finished group prints one
 * line "<group>: <k> checks ok". The output does not depend on timing, so it
 * is identical on QEMU and on trimode.
 */
#ifndef TRIMODE_ISA_CHECK_H
#define TRIMODE_ISA_CHECK_H

#include <stdint.h>

void check_group(const char *name);
void check_eq(uint32_t got, uint32_t want, const char *what);
int check_done(void);

#define CHECK(got, want) check_eq((uint32_t)(got), (uint32_t)(want), #got)

/* One instruction under test, operands in registers: rd = op(rs1, rs2). */
#define RR(op, a, b)                                                     \
  ({                                                                     \
    uint32_t r_;                                                         \
    __asm__ volatile(#op " %0, %1, %2"                                   \
                     : "=r"(r_)                                          \
                     : "r"((uint32_t)(a)), "r"((uint32_t)(b)));          \
    r_;                                                                  \
  })

/* rd = op(rs1, imm); imm is a compile-time constant in the encoding. */
#define RI(op, a, imm)                                                   \
  ({                                                                     \
    uint32_t r_;                                                         \
    __asm__ volatile(#op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "i"(imm)); \
    r_;                                                                  \
  })

/* rd == rs1 == rs2: rd = op(x, x) in one register. */
#define RR_SAME(op, a)                                                   \
  ({                                                                     \
    uint32_t r_ = (uint32_t)(a);                                         \
    __asm__ volatile(#op " %0, %0, %0" : "+r"(r_));                      \
    r_;                                                                  \
  })

#endif /* TRIMODE_ISA_CHECK_H */

/*
 * rv32i_counters: the unprivileged counters rdcycle[h], rdinstret[h] and
 * rdtime[h] (csrrs rd, csr, x0), also read with csrrsi zimm = 0, the other
 * read-only form. These programs run in the highest mode (V on trimode,
 * M on QEMU), where the kind-1 `time` CSR is legal.
 *
 * Only relations that hold on every implementation are checked, so the
 * output is the same on trimode (counts retired instructions) and QEMU
 * without -icount (counts host ticks): each counter moves forwards across
 * work, the 64-bit value read with the hi/lo/hi idiom is monotonic, and
 * time advances across a long loop.
 */
#include <stdint.h>

#include "check.h"
#include "trimode/spec.h"

#define READ_CSR(insn)                                                   \
  ({                                                                     \
    uint32_t r_;                                                         \
    __asm__ volatile(insn " %0" : "=r"(r_)::"memory");                   \
    r_;                                                                  \
  })

#define READ64(lo_insn, hi_insn)                                         \
  ({                                                                     \
    uint32_t hi_, lo_, hi2_;                                             \
    do {                                                                 \
      hi_ = READ_CSR(hi_insn);                                           \
      lo_ = READ_CSR(lo_insn);                                           \
      hi2_ = READ_CSR(hi_insn);                                          \
    } while (hi_ != hi2_);                                               \
    ((uint64_t)hi_ << 32) | lo_;                                         \
  })

static void __attribute__((noinline)) work(uint32_t n) {
  __asm__ volatile(
      "1: addi %0, %0, -1\n\t"
      "bnez %0, 1b"
      : "+r"(n));
}

/* 1 if b is after a on a wrapping 32-bit counter (0 < b - a < 2^31). */
static uint32_t advanced(uint32_t a, uint32_t b) {
  uint32_t d = b - a;
  return d != 0 && d < 0x80000000u;
}

int main(void) {
  check_group("cycle");
  {
    uint32_t a = READ_CSR("rdcycle");
    work(1000);
    uint32_t b = READ_CSR("rdcycle");
    CHECK(advanced(a, b), 1);
    uint32_t c;
    __asm__ volatile("csrrsi %0, cycle, 0" : "=r"(c)::"memory");
    CHECK(advanced(b, c) || b == c, 1);
    uint64_t w0 = READ64("rdcycle", "rdcycleh");
    work(1000);
    uint64_t w1 = READ64("rdcycle", "rdcycleh");
    CHECK(w1 > w0, 1);
    uint32_t d = TM_CSR_READ(TM_CSR_CYCLE);
    CHECK(advanced(b, d), 1);
  }

  check_group("instret");
  {
    uint32_t a = READ_CSR("rdinstret");
    work(1000);
    uint32_t b = READ_CSR("rdinstret");
    CHECK(advanced(a, b), 1);
    uint32_t c;
    __asm__ volatile("csrrsi %0, instret, 0" : "=r"(c)::"memory");
    CHECK(advanced(b, c), 1);
    uint64_t w0 = READ64("rdinstret", "rdinstreth");
    work(1000);
    uint64_t w1 = READ64("rdinstret", "rdinstreth");
    CHECK(w1 > w0, 1);
    uint32_t d = TM_CSR_READ(TM_CSR_INSTRET);
    CHECK(advanced(b, d), 1);
  }

  check_group("time");
  {
    uint32_t a = READ_CSR("rdtime");
    uint64_t w0 = READ64("rdtime", "rdtimeh");
    /* ~3 million instructions: 0.3 s of mtime at 1 GIPS, far more at
       simulator speeds; time (10 MHz) must have moved. */
    work(1000000);
    uint32_t b = READ_CSR("rdtime");
    uint64_t w1 = READ64("rdtime", "rdtimeh");
    CHECK(advanced(a, b), 1);
    CHECK(w1 > w0, 1);
    uint32_t c = TM_CSR_READ(TM_CSR_TIME);
    CHECK(advanced(a, c), 1);
  }

  return check_done();
}

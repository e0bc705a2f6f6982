/*
 * rv32i_loadstore: lb lh lw lbu lhu sb sh sw, all naturally aligned (Trimode
 * traps misaligned accesses; that is tested elsewhere). Sign vs zero extension
 * at each byte and halfword lane with the top bit set and clear, positive and
 * negative 12-bit offsets (including -2048 and 2047), stores that change only
 * their own bytes (little-endian lanes), store-then-load of the same address,
 * loads into x0 (the access happens, the value is dropped).
 */
#include <stdint.h>

#include "check.h"

#define LOAD(op, base, off)                                              \
  ({                                                                     \
    uint32_t r_;                                                         \
    __asm__ volatile(#op " %0, %2(%1)"                                   \
                     : "=r"(r_)                                          \
                     : "r"(base), "i"(off)                               \
                     : "memory");                                        \
    r_;                                                                  \
  })

#define STORE(op, value, base, off)                                      \
  __asm__ volatile(#op " %0, %2(%1)"                                     \
                   :                                                     \
                   : "r"((uint32_t)(value)), "r"(base), "i"(off)         \
                   : "memory")

/* 8 KiB so that offsets -2048..2047 from its middle stay inside. */
static volatile uint32_t area[2048] __attribute__((aligned(16)));

/* Bytes in memory order: 80 7f ff 01 | 34 12 cd ab | 00 80 ff 7f | 78 56 34 12 */
static const uint32_t pattern[4] = {0x01ff7f80u, 0xabcd1234u, 0x7fff8000u, 0x12345678u};

static void fill(void) {
  for (uint32_t i = 0; i < 2048; ++i) area[i] = 0xdeadbeefu;
  for (uint32_t i = 0; i < 4; ++i) area[i] = pattern[i];
}

int main(void) {
  volatile uint8_t *p = (volatile uint8_t *)area;
  volatile uint8_t *mid = p + 4096;

  fill();
  check_group("lb");
  CHECK(LOAD(lb, p, 0), 0xffffff80);
  CHECK(LOAD(lb, p, 1), 0x0000007f);
  CHECK(LOAD(lb, p, 2), 0xffffffff);
  CHECK(LOAD(lb, p, 3), 0x00000001);
  CHECK(LOAD(lb, p + 4, -1), 0x00000001);
  CHECK(LOAD(lb, p + 8, -4), 0x00000034);
  CHECK(LOAD(lb, p + 8, -1), 0xffffffab);

  check_group("lbu");
  CHECK(LOAD(lbu, p, 0), 0x80);
  CHECK(LOAD(lbu, p, 1), 0x7f);
  CHECK(LOAD(lbu, p, 2), 0xff);
  CHECK(LOAD(lbu, p, 3), 0x01);
  CHECK(LOAD(lbu, p + 8, -1), 0xab);

  check_group("lh");
  CHECK(LOAD(lh, p, 0), 0x00007f80);
  CHECK(LOAD(lh, p, 2), 0x000001ff);
  CHECK(LOAD(lh, p, 4), 0x00001234);
  CHECK(LOAD(lh, p, 6), 0xffffabcd);
  CHECK(LOAD(lh, p, 8), 0xffff8000);
  CHECK(LOAD(lh, p, 10), 0x00007fff);
  CHECK(LOAD(lh, p + 16, -2), 0x00001234);
  CHECK(LOAD(lh, p + 16, -10), 0xffffabcd);

  check_group("lhu");
  CHECK(LOAD(lhu, p, 0), 0x7f80);
  CHECK(LOAD(lhu, p, 6), 0xabcd);
  CHECK(LOAD(lhu, p, 8), 0x8000);
  CHECK(LOAD(lhu, p, 10), 0x7fff);
  CHECK(LOAD(lhu, p + 12, -6), 0xabcd);

  check_group("lw");
  CHECK(LOAD(lw, p, 0), 0x01ff7f80);
  CHECK(LOAD(lw, p, 4), 0xabcd1234);
  CHECK(LOAD(lw, p, 8), 0x7fff8000);
  CHECK(LOAD(lw, p, 12), 0x12345678);
  CHECK(LOAD(lw, p + 16, -16), 0x01ff7f80);
  CHECK(LOAD(lw, p + 16, -8), 0x7fff8000);

  check_group("offsets +-2048");
  area[0] = 0x11111111u;
  area[1024 + 511] = 0x22222222u;  /* mid + 2044 */
  CHECK(LOAD(lw, mid, -2048), 0xdeadbeef);  /* area[512] */
  area[512] = 0x33333333u;
  CHECK(LOAD(lw, mid, -2048), 0x33333333);
  CHECK(LOAD(lw, mid, 2044), 0x22222222);
  CHECK(LOAD(lbu, mid, 2047), 0x22);
  CHECK(LOAD(lb, mid, -2048), 0x33);
  STORE(sw, 0x44444444u, mid, -2048);
  CHECK(area[512], 0x44444444);
  STORE(sb, 0x55, mid, 2047);
  CHECK(area[1024 + 511], 0x55222222);

  fill();
  check_group("sb");
  STORE(sb, 0xaa, p, 0);
  CHECK(area[0], 0x01ff7faa);
  STORE(sb, 0xbb, p, 1);
  CHECK(area[0], 0x01ffbbaa);
  STORE(sb, 0xcc, p, 2);
  CHECK(area[0], 0x01ccbbaa);
  STORE(sb, 0x123456dd, p, 3);  /* only the low byte is stored */
  CHECK(area[0], 0xddccbbaa);
  STORE(sb, 0xee, p + 8, -1);
  CHECK(area[1], 0xeecd1234);
  CHECK(area[2], 0x7fff8000);  /* neighbours untouched */

  check_group("sh");
  STORE(sh, 0x1122, p, 8);
  CHECK(area[2], 0x7fff1122);
  STORE(sh, 0xfedc3344, p, 10);  /* only the low halfword is stored */
  CHECK(area[2], 0x33441122);
  STORE(sh, 0x5566, p + 16, -2);
  CHECK(area[3], 0x55665678);
  CHECK(area[4], 0xdeadbeef);

  check_group("sw");
  STORE(sw, 0x89abcdef, p, 16);
  CHECK(area[4], 0x89abcdef);
  CHECK(LOAD(lbu, p, 16), 0xef);  /* little-endian */
  CHECK(LOAD(lbu, p, 19), 0x89);
  CHECK(LOAD(lh, p, 18), 0xffff89ab);
  STORE(sw, 0, p + 24, -4);
  CHECK(area[5], 0);
  CHECK(area[4], 0x89abcdef);
  CHECK(area[6], 0xdeadbeef);

  check_group("store-load");
  /* A load right after a store to the same address sees the store. */
  CHECK(({
          uint32_t r;
          __asm__ volatile("sw %1, 0(%2)\n\t lw %0, 0(%2)"
                           : "=&r"(r)
                           : "r"(0x0badf00d), "r"(p)
                           : "memory");
          r;
        }),
        0x0badf00d);
  CHECK(({
          uint32_t r;
          __asm__ volatile("sb %1, 1(%2)\n\t lw %0, 0(%2)"
                           : "=&r"(r)
                           : "r"(0x77), "r"(p)
                           : "memory");
          r;
        }),
        0x0bad770d);
  /* A load into x0 does not change x0. */
  CHECK(({
          uint32_t r;
          __asm__ volatile("lw x0, 0(%1)\n\t mv %0, x0" : "=r"(r) : "r"(p) : "memory");
          r;
        }),
        0);
  /* rd == rs1: the loaded value replaces the base. */
  area[7] = (uint32_t)(uintptr_t)&area[8];
  area[8] = 0x600dcafe;
  CHECK(({
          uint32_t r = (uint32_t)(uintptr_t)&area[7];
          __asm__ volatile("lw %0, 0(%0)\n\t lw %0, 0(%0)" : "+r"(r) : : "memory");
          r;
        }),
        0x600dcafe);

  return check_done();
}

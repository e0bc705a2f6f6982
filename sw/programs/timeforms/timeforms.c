/* timeforms: every legal read form of the read-only CSRs time and timeh
 * (spec/csrs.txt: csrrs/csrrc with rs1 = x0, csrrsi/csrrci with zimm = 0),
 * one by one. Each is kind 1 from U (it traps to V, which emulates it); a
 * form V does not emulate kills this process. Each value must lie between
 * two readings of the time vcall. Verdict: "time forms: 8 of 8 ok". */
#include <stdio.h>

#include "trimode/user.h"

#define READ(insn)                                 \
  ({                                               \
    uint32_t v_;                                   \
    __asm__ volatile(insn : "=r"(v_) : : "memory"); \
    v_;                                            \
  })

int main(void) {
  int ok = 0, n = 0;
  const uint32_t hi0 = READ("csrrs %0, 0xC81, x0");
  struct { const char *name; uint32_t lo_before, value, lo_after; int high; } r[8];
#define FORM(i, text, is_hi)          \
  r[i].name = text;                    \
  r[i].high = is_hi;                   \
  r[i].lo_before = tm_time();          \
  r[i].value = READ(text);             \
  r[i].lo_after = tm_time();
  FORM(0, "csrrs %0, 0xC01, x0", 0)
  FORM(1, "csrrc %0, 0xC01, x0", 0)
  FORM(2, "csrrsi %0, 0xC01, 0", 0)
  FORM(3, "csrrci %0, 0xC01, 0", 0)
  FORM(4, "csrrs %0, 0xC81, x0", 1)
  FORM(5, "csrrc %0, 0xC81, x0", 1)
  FORM(6, "csrrsi %0, 0xC81, 0", 1)
  FORM(7, "csrrci %0, 0xC81, 0", 1)
  for (int i = 0; i < 8; i++, n++) {
    const int good = r[i].high ? r[i].value == hi0 || r[i].value == hi0 + 1
                               : r[i].value - r[i].lo_before <= r[i].lo_after - r[i].lo_before;
    ok += good;
    printf("%-22s %s\n", r[i].name, good ? "ok" : "WRONG");
  }
  printf("time forms: %d of %d ok\n", ok, n);
  return ok == n ? 0 : 1;
}

/*
 * misaligned: Trimode's documented behaviour for misaligned accesses. A load,
 * store or jump target that is not aligned to its size traps (load_misaligned,
 * store_misaligned, insn_misaligned) with the address in tval, and the access
 * does not happen. Runs in V with a V trap handler that records and skips.
 */
#include <stdint.h>
#include <stdio.h>

#include "trimode/finisher.h"
#include "trimode/spec.h"

extern char v_vector[];
static uint32_t v_stack[512] __attribute__((aligned(16)));
static volatile uint32_t word[2] = {0x11223344, 0x55667788};
static volatile uint32_t last_cause, last_tval, traps;

void v_trap(uint32_t *frame) {
  (void)frame;
  last_cause = TM_CSR_READ(TM_CSR_VCAUSE);
  last_tval = TM_CSR_READ(TM_CSR_VTVAL);
  ++traps;
  /* Skip the faulting instruction; for a jump, return to its link address. */
  uint32_t epc = TM_CSR_READ(TM_CSR_VEPC);
  TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
}
void g_trap(uint32_t *frame) { (void)frame; tm_finish(90); }

static int expect(int code, uint32_t cause, uint32_t tval, uint32_t n) {
  if (last_cause != cause || last_tval != tval || traps != n) {
    printf("check %d: cause 0x%lx tval 0x%lx traps %lu\n", code, (unsigned long)last_cause,
           (unsigned long)last_tval, (unsigned long)traps);
    return code;
  }
  return 0;
}

int main(void) {
  TM_CSR_WRITE(TM_CSR_VTVEC, (uint32_t)v_vector);
  TM_CSR_WRITE(TM_CSR_VSCRATCH, (uint32_t)&v_stack[512]);
  const uintptr_t base = (uintptr_t)word;
  uint32_t v = 0xAAAAAAAA;
  int rc;

  __asm__ volatile("lw %0, 1(%1)" : "+r"(v) : "r"(base));
  if ((rc = expect(1, TM_CAUSE_LOAD_MISALIGNED, base + 1, 1))) return rc;
  if (v != 0xAAAAAAAA) return 2;                       /* rd not written */
  __asm__ volatile("lh %0, 3(%1)" : "+r"(v) : "r"(base));
  if ((rc = expect(3, TM_CAUSE_LOAD_MISALIGNED, base + 3, 2))) return rc;
  __asm__ volatile("lhu %0, 2(%1)" : "=r"(v) : "r"(base));  /* aligned halfword: fine */
  if (v != 0x1122 || traps != 2) return 4;
  __asm__ volatile("sw %0, 2(%1)" ::"r"(0xDEADBEEF), "r"(base) : "memory");
  if ((rc = expect(5, TM_CAUSE_STORE_MISALIGNED, base + 2, 3))) return rc;
  if (word[0] != 0x11223344 || word[1] != 0x55667788) return 6;  /* nothing written */
  __asm__ volatile("sh %0, 1(%1)" ::"r"(0xBEEF), "r"(base) : "memory");
  if ((rc = expect(7, TM_CAUSE_STORE_MISALIGNED, base + 1, 4))) return rc;
  /* jalr to a 2-byte aligned target: the jump traps, the link is not written. */
  uint32_t link = 0x5A5A5A5A, target = (uint32_t)(uintptr_t)&&after + 2;
  __asm__ volatile("jalr %0, 0(%1)" : "+r"(link) : "r"(target));
  if ((rc = expect(8, TM_CAUSE_INSN_MISALIGNED, target, 5))) return rc;
  if (link != 0x5A5A5A5A) return 9;
after:
  printf("misaligned: loads, stores and jumps trap as documented\n");
  return 0;
}

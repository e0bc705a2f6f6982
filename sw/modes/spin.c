/*
 * spin: V ends in `j .` (a jump to itself), as picolibc's _exit does on a
 * target without semihosting. With V's interrupts off nothing can end the
 * loop: the simulator must stop and say so instead of running for ever
 * (tests/platform). With SPIN_WAKEABLE defined, V's timer interrupt is
 * enabled (vstatus.ie, vtimectl.te) with mtimecmp far ahead: the loop could
 * end when it fires, so the run goes on (bounded by --max-instructions).
 */
#include <stdint.h>

#include "trimode/mmio.h"
#include "trimode/spec.h"

int main(void) {
#ifdef SPIN_WAKEABLE
  const uint32_t mtimecmp = TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET;
  mmio_write32(mtimecmp, 0);
  mmio_write32(mtimecmp + 4, 1); /* 2^32 ticks ahead */
  TM_CSR_WRITE(TM_CSR_VTIMECTL, TM_VTIMECTL_TE);
  TM_CSR_WRITE(TM_CSR_VSTATUS, TM_VSTATUS_IE);
#endif
  __asm__ volatile("1: j 1b");
  return 0;
}

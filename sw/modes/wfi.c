/*
 * wfi: V sleeps until the CLINT timer fires. Sets mtimecmp 1000 ticks (100 us
 * at 10 MHz) ahead, enables the timer line (vtimectl.te) with V's interrupts
 * off, executes wfi and checks that it woke no earlier than the deadline and
 * that the cycle counter counted the idle time. With argument-free variant
 * WFI_STALL defined, it sleeps with no timer set: the simulator must stop
 * with an error instead of hanging.
 */
#include <stdint.h>
#include <stdio.h>

#include "trimode/mmio.h"
#include "trimode/spec.h"

#define MTIMECMP (TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET)
#define MTIME (TM_CLINT_BASE + TM_CLINT_MTIME_OFFSET)

int main(void) {
#ifdef WFI_STALL
  TM_WFI();
  return 1;
#else
  const uint32_t start = mmio_read32(MTIME);
  const uint32_t cycles0 = TM_CSR_READ(TM_CSR_CYCLE);
  mmio_write32(MTIMECMP + 4, 0);
  mmio_write32(MTIMECMP, start + 1000);
  TM_CSR_WRITE(TM_CSR_VTIMECTL, TM_VTIMECTL_TE);
  TM_WFI();
  const uint32_t now = mmio_read32(MTIME);
  const uint32_t cycles = TM_CSR_READ(TM_CSR_CYCLE) - cycles0;
  if (now - start < 1000) return 2;
  if (cycles < 9900) return 3;  /* ~100 us at 100 MHz, read a few cycles after start */
  if (!(TM_CSR_READ(TM_CSR_VTIMECTL) & TM_VTIMECTL_TP)) return 4;
  printf("wfi: woke after %lu ticks, %lu cycles\n", (unsigned long)(now - start), (unsigned long)cycles);
  return 0;
#endif
}

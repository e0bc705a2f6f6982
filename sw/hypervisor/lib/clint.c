/* The CLINT as the hypervisor uses it: mtime read consistently across its two
 * halves, and mtimecmp written so no half-written value can fire early. */
#include "hvlib.h"
#include "trimode/mmio.h"

uint64_t hv_now(void) {
  uint32_t hi, lo;
  do {
    hi = mmio_read32(TM_CLINT_BASE + TM_CLINT_MTIME_OFFSET + 4);
    lo = mmio_read32(TM_CLINT_BASE + TM_CLINT_MTIME_OFFSET);
  } while (hi != mmio_read32(TM_CLINT_BASE + TM_CLINT_MTIME_OFFSET + 4));
  return (uint64_t)hi << 32 | lo;
}

void hv_set_timecmp(uint64_t t) {
  mmio_write32(TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET + 4, 0xffffffffu);
  mmio_write32(TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET, (uint32_t)t);
  mmio_write32(TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET + 4, (uint32_t)(t >> 32));
}

/*
 * hvlib.h: the hypervisor's library layer -- what every other layer uses and
 * which uses none of them: the boot info, the console (formatted [hv] lines
 * and guest-byte escaping), the CLINT (the clock and the one timer compare),
 * word copies. The allocator (memq/) belongs to this layer too.
 *
 * Layers (tests/hypervisor/layers.py checks the #include lines):
 *   library (lib/, memq/)  <-  VM (vm), namespaces (ns), I/O (io),
 *   scheduler (sched)  <-  trap dispatch and boot (main.c).
 */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stdint.h>
#include <string.h>

#include "trimode/bootinfo.h"
#include "trimode/spec.h"
#include "trimode/sys.h"

#define HV_MAX_VMS TM_MAX_VMS
#define HV_TICKS_PER_MS 10000u /* mtime runs at 10 MHz */

/* Filled by trimode before the hypervisor starts (lib/bootinfo.c). */
extern struct tm_bootinfo tm_bootinfo;

/* ---- console (lib/console.c) ---- */
void hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_puts_raw(const char *s);                       /* to the UART as is */
uint32_t hv_escape_char(char c, char *out);            /* out: 4 bytes; returns how many used */
const char *hv_escaped(const char *s, uint32_t max);   /* a guest string for an [hv] line (static buffer) */

/* ---- CLINT (lib/clint.c) ---- */
uint64_t hv_now(void);               /* mtime */
void hv_set_timecmp(uint64_t t);     /* the one timer compare V programs */

/* Word-at-a-time copy and clear (picolibc's memcpy/memset are bytewise;
 * built with -fno-tree-loop-distribute-patterns so GCC keeps these loops). */
static inline void hv_wcopy(uint32_t *d, const uint32_t *s, uint32_t words) {
  for (uint32_t i = 0; i < words; i++) d[i] = s[i];
}
static inline void hv_wzero(uint32_t addr, uint32_t bytes) { /* addr, bytes: multiples of 4 */
  for (uint32_t *p = (uint32_t *)(uintptr_t)addr, *e = p + bytes / 4; p < e; p++) *p = 0;
}
/* memcpy for a guest's buffer or a boot image, either of which may be at
 * address 0 when empty: no byte moved, nothing called (memcpy's pointers must
 * not be null even for 0 bytes; found by fuzz_hv, corpus/hv/crash_empty_send_at_0). */
static inline void hv_copy(void *d, const void *s, uint32_t n) {
  if (n) memcpy(d, s, n);
}

#endif /* HV_LIB_H */

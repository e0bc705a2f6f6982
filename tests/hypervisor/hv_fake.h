/*
 * hv_fake.h: the hardware under the hypervisor's host build, for its unit
 * tests. The hypervisor's C files are compiled unchanged with the shim of
 * tests/fuzz/hv_host (trimode/spec.h routes CSR instructions here,
 * trimode/mmio.h routes device accesses here); this file plays the CSR file,
 * the CLINT (a clock the test sets), the UART (output kept), RAM at
 * TM_HOST_RAM_BASE, and the entry/exit glue of trap.S and the finisher.
 */
#ifndef HV_FAKE_H
#define HV_FAKE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Maps the fake RAM (once) and clears every fake register and the UART log. */
void fake_reset(void);
uint32_t fake_csr(unsigned csr);
void fake_set_csr(unsigned csr, uint32_t value);
void fake_set_time(uint64_t mtime);
uint64_t fake_timecmp(void);
const char *fake_uart(void);            /* every byte written to the UART since the reset */
uint8_t *fake_ram(uint32_t phys);       /* the host address of a guest-physical one */
int fake_finished(void);                /* tm_finish was called (the run ended), -1 if not */

/* hv_main (main.c's main): boots from tm_bootinfo and enters the first VM.
 * Returns the trap frame (0 when the hypervisor returned or finished). */
uint32_t *fake_boot(void);
/* One trap of the running VM from mode pm. 0 when the run finished. */
int fake_trap(uint32_t *frame, uint32_t cause, uint32_t tval, uint32_t pm);

void hv_host_io_reset(void); /* tests/fuzz/hv_io_peer.c: io.c's tables emptied */

#ifdef __cplusplus
}
#endif

#endif /* HV_FAKE_H */

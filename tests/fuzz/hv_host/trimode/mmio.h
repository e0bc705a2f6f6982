/*
 * Host build of hypervisor code (tests/fuzz/fuzz_hv.c): the fake of
 * sw/common/include/trimode/mmio.h. Device accesses go to the harness, which
 * plays the CLINT (a clock that advances as it is read), the UART (output
 * captured) and the finisher; fence.i is nothing.
 */
#ifndef TRIMODE_MMIO_H
#define TRIMODE_MMIO_H

#include <stdint.h>

uint32_t hv_host_mmio_read(uintptr_t addr, unsigned width);
void hv_host_mmio_write(uintptr_t addr, unsigned width, uint32_t value);

static inline uint8_t mmio_read8(uintptr_t addr) { return (uint8_t)hv_host_mmio_read(addr, 1); }
static inline void mmio_write8(uintptr_t addr, uint8_t value) { hv_host_mmio_write(addr, 1, value); }
static inline uint32_t mmio_read32(uintptr_t addr) { return hv_host_mmio_read(addr, 4); }
static inline void mmio_write32(uintptr_t addr, uint32_t value) { hv_host_mmio_write(addr, 4, value); }
static inline void mmio_fence_i(void) {}

#endif /* TRIMODE_MMIO_H */

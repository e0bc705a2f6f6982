/*
 * mmio.h: the one way sw/ code touches device registers.
 *
 * Every access is a single volatile load or store of exactly the given width,
 * so the bus sees one transaction per call, in program order. Drivers take a
 * base address and add register offsets; nothing else dereferences device
 * addresses, so a host build can replace this header with a fake to unit-test
 * drivers.
 */
#ifndef TRIMODE_MMIO_H
#define TRIMODE_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(uintptr_t addr) {
  return *(volatile const uint8_t *)addr;
}

static inline void mmio_write8(uintptr_t addr, uint8_t value) {
  *(volatile uint8_t *)addr = value;
}

static inline uint32_t mmio_read32(uintptr_t addr) {
  return *(volatile const uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value) {
  *(volatile uint32_t *)addr = value;
}

/* Makes earlier stores visible to instruction fetch: after copying code into
 * RAM (a guest kernel, a program). Here so that a host build's fake of this
 * header (tests/fuzz/hv_host) leaves no RISC-V instruction in the code. */
static inline void mmio_fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }

#endif /* TRIMODE_MMIO_H */

/* The fake RAM of the hypervisor's host builds (fuzz_hv, tests/hypervisor):
 * TM_HOST_RAM_SIZE bytes mapped at TM_HOST_RAM_BASE, the 32-bit addresses the
 * hypervisor's code computes. `who` names the caller in the one-line error
 * (exit 1) when the address is taken. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <trimode/spec.h> /* through the include path: the shim's spec.h first */

static inline uint8_t *hv_host_ram_map(const char *who) {
  void *want = (void *)(uintptr_t)TM_HOST_RAM_BASE;
  void *got = mmap(want, TM_HOST_RAM_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (got != want) {
    fprintf(stderr, "%s: cannot map the fake RAM at 0x%08x\n", who, TM_HOST_RAM_BASE);
    exit(1);
  }
  return got;
}

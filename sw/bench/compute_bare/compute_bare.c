/* compute_bare: the `compute` loop (sw/programs/compute/compute_kernel.h) on
 * bare metal, in V with no hypervisor: the baseline of the VM overhead figure
 * (docs/performance.md). */
#include <stdio.h>

#include "../../programs/compute/compute_kernel.h"

int main(void) {
  const uint32_t c0 = read_cycle();
  uint32_t x;
  const uint32_t primes = compute_kernel(&x);
  const uint32_t cycles = read_cycle() - c0;
  printf("compute_bare: %lu primes, mix 0x%08lx\n", (unsigned long)primes, (unsigned long)x);
  printf("compute_bare: loop cycles %lu\n", (unsigned long)cycles);
  return primes == 5 * 2262 ? 0 : 1;
}

/* compute_x2: `compute` with its loop run twice (scripts/bench.sh, section 4,
 * differences the two runs: start-up, the program's load included, cancels
 * out). Prints and checks the same way. */
#include <stdio.h>

#include "compute_kernel.h"
#include "trimode/user.h"

int main(void) {
  const uint32_t t0 = tm_time();
  const uint32_t c0 = read_cycle();
  uint32_t x, y;
  const uint32_t primes = compute_kernel(&x) + compute_kernel(&y);
  const uint32_t cycles = read_cycle() - c0;
  const uint32_t dt = tm_time() - t0;
  printf("compute: %lu primes, mix 0x%08lx, %lu us\n", (unsigned long)primes, (unsigned long)x,
         (unsigned long)(dt / 10));
  printf("compute: loop cycles %lu\n", (unsigned long)cycles);
  return primes == 2 * 5 * 2262 && x == y ? 0 : 1;
}

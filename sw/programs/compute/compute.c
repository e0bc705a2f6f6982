/* compute: a CPU-bound benchmark (no system calls in the loop): a sieve and
 * a multiply/xor mix; prints its checksum, the elapsed real time and the
 * cycles the loop took (rdcycle counts every cycle, including time spent in
 * G and V while the loop was interrupted). */
#include <stdio.h>

#include "compute_kernel.h"
#include "trimode/user.h"

int main(void) {
  const uint32_t t0 = tm_time();
  const uint32_t c0 = read_cycle();
  uint32_t x;
  const uint32_t primes = compute_kernel(&x);
  const uint32_t cycles = read_cycle() - c0;
  const uint32_t dt = tm_time() - t0;
  printf("compute: %lu primes, mix 0x%08lx, %lu us\n", (unsigned long)primes, (unsigned long)x,
         (unsigned long)(dt / 10));
  printf("compute: loop cycles %lu\n", (unsigned long)cycles);
  return primes == 5 * 2262 ? 0 : 1;
}

/* compute: a CPU-bound benchmark (no system calls in the loop): a sieve and
 * a multiply/xor mix; prints its checksum and the elapsed real time. */
#include <stdio.h>

#include "trimode/user.h"

static unsigned char sieve[20000];

int main(void) {
  const uint32_t t0 = tm_time();
  uint32_t primes = 0, x = 12345;
  for (int round = 0; round < 5; round++) {
    for (unsigned i = 0; i < sizeof sieve; i++) sieve[i] = 1;
    for (unsigned i = 2; i < sizeof sieve; i++) {
      if (!sieve[i]) continue;
      primes++;
      for (unsigned j = i * 2; j < sizeof sieve; j += i) sieve[j] = 0;
    }
    for (int i = 0; i < 20000; i++) x = x * 1103515245u + 12345u, x ^= x >> 7;
  }
  const uint32_t dt = tm_time() - t0;
  printf("compute: %lu primes, mix 0x%08lx, %lu us\n", (unsigned long)primes, (unsigned long)x,
         (unsigned long)(dt / 10));
  return primes == 5 * 2262 ? 0 : 1;
}

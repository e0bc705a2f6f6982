/* compute_kernel.h: the CPU-bound loop of `compute`, shared with the bare-metal
 * twin sw/bench/compute_bare so the VM-versus-bare-metal overhead compares the
 * very same instructions. No system calls, no I/O. Returns the prime count;
 * *mix receives the multiply/xor checksum. */
#ifndef TRIMODE_COMPUTE_KERNEL_H
#define TRIMODE_COMPUTE_KERNEL_H

#include <stdint.h>

static unsigned char compute_sieve[20000];

static inline uint32_t compute_kernel(uint32_t *mix) {
  uint32_t primes = 0, x = 12345;
  for (int round = 0; round < 5; round++) {
    for (unsigned i = 0; i < sizeof compute_sieve; i++) compute_sieve[i] = 1;
    for (unsigned i = 2; i < sizeof compute_sieve; i++) {
      if (!compute_sieve[i]) continue;
      primes++;
      for (unsigned j = i * 2; j < sizeof compute_sieve; j += i) compute_sieve[j] = 0;
    }
    for (int i = 0; i < 20000; i++) x = x * 1103515245u + 12345u, x ^= x >> 7;
  }
  *mix = x;
  return primes;
}

static inline uint32_t read_cycle(void) {
  uint32_t c;
  __asm__ volatile("rdcycle %0" : "=r"(c));
  return c;
}

#endif

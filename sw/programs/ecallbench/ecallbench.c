/* ecallbench: the round trip U -> G -> U (getpid through ecall). */
#include <stdio.h>

#include "trimode/user.h"
#ifndef N  /* ecallbench_x2: twice the calls (scripts/bench.sh, section 4) */
#define N 2000
#endif
int main(void) {
  const uint32_t t0 = tm_time();
  long s = 0;
  for (int i = 0; i < N; i++) s += tm_getpid();
  const uint32_t dt = tm_time() - t0;
  printf("ecall round trip: %d calls in %lu us, %lu ns each\n", N, (unsigned long)(dt / 10),
         (unsigned long)(dt * 100u / N));
  return s == N * tm_getpid() ? 0 : 1;
}

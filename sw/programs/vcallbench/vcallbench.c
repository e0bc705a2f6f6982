/* vcallbench: the round trip U -> V -> U (time through vcall) and a
 * 64-byte file write/read through the hypervisor's file server. */
#include <stdio.h>

#include "trimode/user.h"
#ifndef N  /* vcallbench_x2: twice the calls (scripts/bench.sh, section 4) */
#define N 2000
#endif
int main(void) {
  uint32_t t0 = tm_time(), last = 0;
  for (int i = 0; i < N; i++) last = tm_time();
  uint32_t dt = last - t0;
  printf("vcall round trip: %d calls in %lu us, %lu ns each\n", N, (unsigned long)(dt / 10),
         (unsigned long)(dt * 100u / N));
  long fd = tm_open("bench.dat", TM_O_READ | TM_O_WRITE | TM_O_CREATE);
  if (fd < 0) return 1;
  char buf[64] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";
  t0 = tm_time();
  for (int i = 0; i < N / 10; i++) {
    tm_close((int)fd);
    fd = tm_open("bench.dat", TM_O_READ | TM_O_WRITE);
    if (tm_write((int)fd, buf, 64) != 64) return 2;
  }
  dt = tm_time() - t0;
  printf("file open+write+close: %d in %lu us\n", N / 10, (unsigned long)(dt / 10));
  return 0;
}

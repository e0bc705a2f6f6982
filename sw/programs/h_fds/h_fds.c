/* h_fds: leaks descriptors. As pid 1 it spawns itself twice: the first
 * child opens every descriptor it can and exits without closing them, the
 * second does the same and is then killed by a fault. Then pid 1 must still
 * be able to open a file: the hypervisor closed the children's descriptors
 * when they ended. Verdict: "fds: released (...)". */
#include <stdio.h>

#include "trimode/user.h"

static long hog(void) {
  long n = 0;
  while (tm_open("leak", TM_O_CREATE | TM_O_READ | TM_O_WRITE) >= 0) n++;
  return n;
}

int main(void) {
  const long pid = tm_getpid();
  if (pid == 2) {
    printf("child %ld holds %ld descriptors and exits\n", pid, hog());
    return 0;
  }
  if (pid == 3) {
    printf("child %ld holds %ld descriptors and faults\n", pid, hog());
    tm_flush();
    *(volatile uint32_t *)0x7ffffff0 = 1; /* killed by its kernel */
    return 0;
  }
  for (int i = 0; i < 2; i++) tm_wait(tm_spawn(0));
  const long fd = tm_open("leak", TM_O_READ);
  printf("fds: %s (open after the children ended: %ld)\n", fd >= 0 ? "released" : "NOT RELEASED", fd);
  return fd >= 0 ? 0 : 1;
}

/* runner: program 0 of a VM; spawns programs 1 .. n-1 of the VM one after
 * the other, waits for each and prints its exit code (128 + cause when its
 * kernel killed it). Ends when spawn refuses the next index. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  for (int i = 1; i < 8; i++) {
    long pid = tm_spawn(i);
    if (pid < 0) break;
    long code = tm_wait(pid);
    printf("runner: program %d (pid %ld) ended with %ld\n", i, pid, code);
  }
  return 0;
}

/* h_jump: jumps to the hypervisor's entry address (0x80000000). As a U
 * address that is far beyond the process bound: an instruction access fault
 * to the guest kernel, which kills the process. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("jumping to 0x80000000\n");
  tm_flush();
  ((void (*)(void))0x80000000u)();
  printf("FAILED: came back\n");
  return 1;
}

/* h_spin: spins forever without a system call. The guest kernel preempts it
 * on the virtual timer (other processes run) and kills it at its CPU limit;
 * the hypervisor preempts its VM on the real timer (other VMs run). */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("spinning forever\n");
  tm_flush();
  for (volatile uint32_t i = 0;; i++) {
  }
  return 1;
}

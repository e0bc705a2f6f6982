/* h_memhog: grows its heap 64 KiB at a time until refused. The kernel moves
 * the process to larger ranges and asks the hypervisor for more memory
 * (vm_grow) until the VM's quota or the segment table stops it; then sbrk
 * fails cleanly with -TM_ENOMEM and the process (and VM) go on. */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

int main(void) {
  long total = 0;
  for (;;) {
    long old = tm_sbrk(64 * 1024);
    if (old < 0) {
      printf("sbrk refused after %ld KiB: %ld\n", total >> 10, old);
      break;
    }
    memset((void *)old, 0xa5, 64 * 1024); /* really use it */
    total += 64 * 1024;
  }
  return total > 0 ? 0 : 1;
}

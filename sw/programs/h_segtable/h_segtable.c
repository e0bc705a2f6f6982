/* h_segtable: writes the segment table from U (vsegsel/vsegbase/vsegsize are
 * kind 1): the instruction traps to V, which hands it to the guest kernel,
 * which kills the process. Nothing is written. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("writing vsegsel from U\n");
  tm_flush();
  TM_CSR_WRITE(TM_CSR_VSEGSEL, 0x100);
  TM_CSR_WRITE(TM_CSR_VSEGBASE, TM_RAM_BASE);
  TM_CSR_WRITE(TM_CSR_VSEGSIZE, TM_RAM_SIZE);
  printf("FAILED: still running\n");
  return 1;
}

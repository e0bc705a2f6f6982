/* h_exit: executes `exit` in U (illegal there): the guest kernel kills it. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("executing exit in U\n");
  tm_flush();
  TM_EXIT();
  printf("FAILED: still running\n");
  return 1;
}

/* h_hook: calls the guest kernel's fault-injection hook (TM_KSYS_EVIL_G), which
 * the shipped kernel must not offer: the scenario does not open it, so the
 * call must fail like any unknown call (-TM_ENOSYS) and nothing else happens.
 * Verdict: "test hook: refused (-38)". */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  long r = tm_ecall1(TM_KSYS_EVIL_G, TM_EVIL_SEGTABLE);
  printf("test hook: %s (%ld)\n", r == -TM_ENOSYS ? "refused" : "NOT REFUSED", r);
  r = tm_ecall1(TM_KSYS_EVIL_G, 0); /* op 0: would print "isolation FAILED" */
  printf("test hook op 0: %s (%ld)\n", r == -TM_ENOSYS ? "refused" : "NOT REFUSED", r);
  return r == -TM_ENOSYS ? 0 : 1;
}

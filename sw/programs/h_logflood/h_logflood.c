/* h_logflood: tries to flood the hypervisor's log. Each send to vm2's port 9
 * (no filter allows it) is refused and would log a "[hv] denied:" line; it
 * sends FLOOD of them, spread over ~50 ms so the victim runs beside it. Every
 * call must still be refused (-TM_EPERM), while the hypervisor logs only its
 * first TM_LIMIT_DENIED_LOG refusals and counts the rest.
 * Verdict: "log flood: FLOOD of FLOOD refused (-1)". */
#include <stdio.h>

#include "trimode/user.h"

#define FLOOD 200

int main(void) {
  long refused = 0, r = 0;
  for (int i = 0; i < FLOOD; i++) {
    const long s = tm_send(2, 9, "junk", 4);
    if (s == -TM_EPERM) refused++;
    else r = s;
    if (i % 40 == 39)
      for (uint32_t t0 = tm_time(); tm_time() - t0 < 100000;) tm_yield();
  }
  printf("log flood: %ld of %d %s (%ld)\n", refused, FLOOD, refused == FLOOD ? "refused" : "NOT REFUSED",
         refused == FLOOD ? (long)-TM_EPERM : r);
  return refused == FLOOD ? 0 : 1;
}

/* h_queue: allowed to send to port 7 of vm2, it sends until refused, to fill
 * vm2's message queue and block its other ports. The per-sender share must
 * stop it with -TM_EAGAIN after a few messages while vm2's own ports keep
 * working; it keeps sending for ~50 ms so the victim runs beside it.
 * Verdict: "queue: refused after N messages (-11)". */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  long n = 0, r = 0;
  for (; n < 64; n++) {
    r = tm_send(2, 7, "junk", 4);
    if (r < 0) break;
  }
  const int ok = r == -TM_EAGAIN && n < 8;
  printf("queue: %s after %ld messages (%ld)\n", ok ? "refused" : "NOT REFUSED", n, r);
  for (uint32_t t0 = tm_time(); tm_time() - t0 < 500000;) {
    tm_send(2, 7, "junk", 4); /* keep the share full */
    tm_yield();
  }
  return ok ? 0 : 1;
}

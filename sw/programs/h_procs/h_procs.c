/* h_procs: fills its guest kernel's process table. As pid 1 it spawns
 * itself until refused; each child stays alive ~20 ms (so all are live at
 * once) and exits 0. Its kernel must refuse the spawn beyond the table
 * (TM_LIMIT_PROCESSES live processes, pid 1 included) with -TM_ENOMEM; when
 * the children have ended, a spawn works again. Other VMs' kernels have their
 * own tables. Verdict: "procs: refused after N children (-12), freed". */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  if (tm_getpid() != 1) {
    for (uint32_t t0 = tm_time(); tm_time() - t0 < 200000;) tm_yield();
    return 0;
  }
  long pids[64], n = 0, r = 0;
  for (; n < 64; n++) {
    if ((r = tm_spawn(0)) < 0) break;
    pids[n] = r;
  }
  const int refused = r == -TM_ENOMEM && n == (long)TM_LIMIT_PROCESSES - 1;
  int ended = 1;
  for (long i = 0; i < n; i++) ended &= tm_wait(pids[i]) == 0;
  const long again = tm_spawn(0);
  const int freed = again > 0 && tm_wait(again) == 0;
  printf("procs: %s after %ld children (%ld), %s\n", refused ? "refused" : "NOT REFUSED", n, r,
         ended && freed ? "freed" : "NOT FREED");
  return refused && ended && freed ? 0 : 1;
}

/* h_files: creates files (and grows one past its byte quota) until refused,
 * to fill the hypervisor's shared file table. Its VM's quota must stop it
 * with -TM_EDQUOT while every other VM can still create its own files; it
 * then keeps its files (and its VM) alive for a while (~50 ms) so the victim
 * runs beside it. Verdict: "files: refused after N files (-122)". */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

int main(void) {
  char name[16];
  long n = 0, r = 0;
  for (; n < 64; n++) {
    snprintf(name, sizeof name, "hog%ld", n);
    r = tm_open(name, TM_O_CREATE | TM_O_WRITE);
    if (r < 0) break;
    tm_close((int)r);
  }
  const int quota = r == -TM_EDQUOT && n < 16;
  printf("files: %s after %ld files (%ld)\n", quota ? "refused" : "NOT REFUSED", n, r);
  /* bytes: its files written until refused (the byte quota is below 4 full files) */
  static char block[1024];
  long total = 0, w = 0;
  for (long i = 0; i < n && w != -TM_EDQUOT; i++) {
    snprintf(name, sizeof name, "hog%ld", i);
    const long fd = tm_open(name, TM_O_WRITE);
    while (fd >= 0 && (w = tm_write((int)fd, block, sizeof block)) > 0) total += w;
    if (fd >= 0) tm_close((int)fd);
  }
  const int bytes = w == -TM_EDQUOT;
  printf("file bytes: %s after %ld bytes (%ld)\n", bytes ? "refused" : "NOT REFUSED", total, w);
  for (uint32_t t0 = tm_time(); tm_time() - t0 < 500000;) tm_yield(); /* hold them 50 ms */
  return quota && bytes ? 0 : 1;
}

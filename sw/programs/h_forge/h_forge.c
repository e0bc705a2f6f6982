/* h_forge: tries to forge console lines that pass for another VM's or the
 * hypervisor's:
 *  1. a denied open whose path holds a newline and "[vm2] ..." (the
 *     hypervisor's "denied" line must show it escaped, on one line);
 *  2. a "\r" and an escape sequence inside a line, a line that starts with
 *     "[hv] " and one longer than the hypervisor's line bound;
 *  3. an unfinished line left open while the other VM prints (it must not
 *     swallow the other VM's line);
 *  4. one write of 5000 bytes, to hold the (non-preemptible) hypervisor: it
 *     must be cut short at 4096.
 * Verdict: "forge: refused" when the open was denied and the write cut; the
 * test checks the console itself (no raw control byte, no forged line at a
 * line start). */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

static void say(const char *s) { tm_write(1, s, strlen(s)); }

int main(void) {
  long r = tm_open("vm2:\n[vm2] FORGED by vm1\n", TM_O_READ);
  say("carriage\r[vm2] FORGED by vm1 (cr)\n");
  say("escape \033[2K\033[1G[vm2] FORGED by vm1 (esc)\n");
  say("\n[hv] FORGED by vm1 (hv)\n");
  char long_line[400];
  memset(long_line, 'x', sizeof long_line);
  tm_write(1, long_line, sizeof long_line);
  say("\n");
  say("unfinished line, then a pause: ");
  for (uint32_t t0 = tm_time(); tm_time() - t0 < 20000;) tm_yield(); /* 2 ms: vm2 prints meanwhile */
  say("...finished\n");
  static char big[5000];
  memset(big, 'y', sizeof big);
  const long w = tm_write(1, big, sizeof big);
  say("\n");
  const int ok = r == -TM_EPERM && w == 4096;
  printf("forge: %s (open %ld, a 5000-byte write took %ld)\n", ok ? "refused" : "NOT REFUSED", r, w);
  return ok ? 0 : 1;
}

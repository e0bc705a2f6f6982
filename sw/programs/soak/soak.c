/* soak: program 0 of each VM of scenarios/soak.json (scripts/soak.sh). One
 * round: run programs 1 .. n-1 of the VM one after the other, print one line
 * (how many ran, the last one's code), then start a fresh copy of itself for
 * the next round and end (so no process outlives the guest kernel's CPU
 * limit). The round number and the first round's count live in the VM's file
 * "soak.state". The run ends at trimode's --max-instructions. A round that
 * runs fewer programs than the first one means the guest kernel or the
 * hypervisor lost a resource (a process slot, memory, a file): the line says
 * so and scripts/soak.sh fails on it. */
#include <stdio.h>
#include <stdlib.h>

#include "trimode/user.h"

static const char kState[] = "soak.state";

int main(void) {
  unsigned long round = 0;
  long first = -1;
  char buf[48];
  long fd = tm_open(kState, TM_O_READ);
  if (fd >= 0) {
    const long n = tm_read((int)fd, buf, sizeof buf - 1);
    tm_close((int)fd);
    if (n > 0) {
      buf[n] = 0;
      char *end;
      round = strtoul(buf, &end, 10);
      first = strtol(end, 0, 10);
    }
  }
  round++;
  int ran = 0;
  long code = 0;
  for (int i = 1; i < 8; i++) {
    const long pid = tm_spawn(i);
    if (pid < 0) break;
    code = tm_wait(pid);
    ran++;
  }
  if (first < 0) first = ran;
  printf("soak: round %lu ran %d programs, last code %ld%s\n", round, ran, code,
         ran < first ? " LOST A RESOURCE" : "");
  fd = tm_open(kState, TM_O_WRITE | TM_O_CREATE);
  const int len = snprintf(buf, sizeof buf, "%lu %ld\n", round, first);
  if (fd < 0 || tm_write((int)fd, buf, (uint32_t)len) != len) {
    printf("soak: cannot write %s: %ld\n", kState, fd);
    return 1;
  }
  tm_close((int)fd);
  const long next = tm_spawn(0);
  if (next < 0) {
    printf("soak: cannot start round %lu: %ld\n", round + 1, next);
    return 1;
  }
  return 0;
}

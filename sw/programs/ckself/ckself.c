/* ckself: has its own VM checkpointed and resumed (ecall checkpoint -> the
 * kernel's hcall vm_checkpoint) in the middle of its work, holding an open
 * file across it, and prints what it sees on both sides: its pid, the
 * checkpoint's result, the file written half before and half after, and a
 * checksum computed across the gap. The same lines come out with or without
 * the checkpoint (tests/scenarios/vm_checkpoint.sh). */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

static uint32_t mix(uint32_t x, uint32_t rounds) {
  for (uint32_t i = 0; i < rounds; i++) x = x * 1103515245u + 12345u + (x >> 7);
  return x;
}

int main(void) {
  const long pid = tm_getpid();
  printf("ckself: pid %ld before\n", pid);
  long fd = tm_open("log.txt", TM_O_WRITE | TM_O_CREATE);
  tm_write((int)fd, "before;", 7);
  uint32_t x = mix(1, 20000);
  const long r = tm_checkpoint(2);
  x = mix(x, 20000);
  tm_write((int)fd, "after", 5);
  tm_close((int)fd);
  char buf[32] = {0};
  fd = tm_open("log.txt", TM_O_READ);
  const long n = tm_read((int)fd, buf, sizeof buf - 1);
  printf("ckself: pid %ld after, checkpoint returned %ld, getpid %ld\n", pid, r, tm_getpid());
  printf("ckself: log.txt (%ld bytes): %s, mix 0x%08lx\n", n, buf, (unsigned long)x);
  return r == 0 && tm_getpid() == pid && strcmp(buf, "before;after") == 0 ? 0 : 1;
}

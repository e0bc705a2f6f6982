/* receiver (vm1 in the default scenario): waits for a message on its port 7,
 * reads VM 2's shared.txt (allowed read-only by a filter), is refused writing
 * it, and checks that its own "shared.txt" is a different object. */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

int main(void) {
  char buf[TM_MSG_MAX + 1];
  long n = -TM_EAGAIN;
  const uint32_t start = tm_time();
  while (n == -TM_EAGAIN && tm_time() - start < 10000000u) { /* 1 s of real time */
    n = tm_recv(7, buf, TM_MSG_MAX);
    if (n == -TM_EAGAIN) tm_yield();
  }
  if (n < 0) {
    printf("no message: %ld\n", n);
    return 1;
  }
  buf[n] = 0;
  printf("port 7: \"%s\"\n", buf);

  long fd = tm_open("vm2:/shared.txt", TM_O_READ);
  if (fd < 0) {
    printf("open vm2:/shared.txt: %ld\n", fd);
    return 2;
  }
  n = tm_read((int)fd, buf, TM_MSG_MAX);
  tm_close((int)fd);
  if (n < 0) return 3;
  buf[n] = 0;
  printf("vm2:/shared.txt: \"%s\"\n", buf);
  printf("open vm2:/shared.txt for writing: %ld (expect %d)\n", tm_open("vm2:/shared.txt", TM_O_WRITE), -TM_EPERM);
  printf("own shared.txt: %ld (expect %d: another namespace)\n", tm_open("shared.txt", TM_O_READ), -TM_ENOENT);
  return 0;
}

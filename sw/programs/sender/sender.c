/* sender (vm2 in the default scenario): writes its own shared.txt, sends a
 * message to port 7 of VM 1 (allowed by a filter), and tries two things no
 * filter allows: port 8 of VM 1 and VM 1's file "secret". */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

int main(void) {
  char msg[64];
  int n = snprintf(msg, sizeof msg, "greetings from vm2 pid %ld", tm_getpid());
  long fd = tm_open("notes.txt", TM_O_WRITE | TM_O_CREATE);
  if (fd >= 0) {
    tm_write((int)fd, msg, (uint32_t)n);
    tm_close((int)fd);
  }
  long r = tm_send(1, 7, msg, (uint32_t)n + 1);
  printf("send to vm1 port 7: %ld\n", r);
  printf("send to vm1 port 8: %ld (expect %d)\n", tm_send(1, 8, msg, 4), -TM_EPERM);
  printf("open vm1:/secret: %ld (expect %d)\n", tm_open("vm1:/secret", TM_O_READ), -TM_EPERM);
  return r == n + 1 ? 0 : 1;
}

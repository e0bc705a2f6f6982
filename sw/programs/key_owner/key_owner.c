/* key_owner: makes IPC keys 42 and 43 in its VM's namespace (the scenario
 * shares 42 with one VM through a filter, 43 with none), then serves key 42:
 * waits (up to 200 ms of real time) for one message and prints it. Exit 0
 * when the message came, 1 otherwise. Runs in vm1 of tests/scenarios/keys.json. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("key_owner: create 42: %ld, create 43: %ld\n", tm_keyget(0, 42, 1), tm_keyget(0, 43, 1));
  printf("key_owner: look up 44 (never made): %ld\n", tm_keyget(0, 44, 0));
  tm_flush();
  char buf[TM_MSG_MAX + 1];
  const uint32_t t0 = tm_time();
  long n;
  while ((n = tm_keyrecv(0, 42, buf, TM_MSG_MAX)) == -TM_EAGAIN && tm_time() - t0 < 2000000u) tm_yield();
  if (n < 0) {
    printf("key_owner: nothing on key 42: %ld\n", n);
    return 1;
  }
  buf[n] = 0;
  printf("key_owner: key 42 got \"%s\"\n", buf);
  printf("key_owner: key 43 is empty: %ld\n", tm_keyrecv(0, 43, buf, TM_MSG_MAX));
  return 0;
}

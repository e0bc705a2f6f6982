/* key_user: uses IPC keys of VM 1 (tests/scenarios/keys.json): looks up
 * key 42 (retrying up to 200 ms of real time until vm1 has made it), sends
 * one message on it, and tries key 43 and making a key in vm1's namespace.
 * Prints every result: the VM a filter lets reach vm1's key 42 succeeds
 * there; every other attempt is refused (-1 EPERM). Exit 0: the test reads
 * the printed results (a VM without the filter must see the refusals). */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

int main(void) {
  const uint32_t t0 = tm_time();
  long r;
  while ((r = tm_keyget(1, 42, 0)) == -TM_ENOENT && tm_time() - t0 < 2000000u) tm_yield();
  printf("key_user: look up vm1 key 42: %ld\n", r);
  static const char msg[] = "hello through key 42";
  const long sent = tm_keysend(1, 42, msg, sizeof msg - 1);
  printf("key_user: send on vm1 key 42: %ld\n", sent);
  char buf[16];
  printf("key_user: receive on vm1 key 43: %ld\n", tm_keyrecv(1, 43, buf, sizeof buf));
  printf("key_user: make vm1 key 50: %ld\n", tm_keyget(1, 50, 1));
  printf("key_user: own key 42 is another object: %ld\n", tm_keyget(0, 42, 0));
  return 0;
}

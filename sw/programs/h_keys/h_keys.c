/* h_keys: attacks the IPC keys (sw/hypervisor/keys.c) from vm1 while vm2's
 * victim uses its own key 5:
 *   quota      makes keys in its own namespace until refused: its VM's key
 *              quota must stop it with -TM_EDQUOT (vm2's quota is its own);
 *   queue      fills one of its keys until refused (-TM_EAGAIN): the earlier
 *              messages must all come back, in order, and another key of its
 *              must still carry messages;
 *   namespace  for ~50 ms (the victim runs beside it), makes, looks up, sends
 *              on and receives from vm2's key 5 with no filter for it: every
 *              call must be -TM_EPERM (vm2's messages neither stolen nor forged).
 * Verdict: "keys: refused (quota after N keys -122, queue after M messages
 * -11, vm2's key -1)", or names what was not refused. */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

static int failed;
static void check(int ok, const char *what, long r) {
  if (ok) return;
  printf("keys: NOT REFUSED: %s (%ld)\n", what, r);
  failed++;
}

/* Its own keys until refused: the number made (1000, 1001, ...). */
static long quota(long *r) {
  long n = 0;
  for (; n < 64; n++)
    if ((*r = tm_keyget(0, 1000u + (uint32_t)n, 1)) < 0) break;
  check(*r == -TM_EDQUOT && n > 1 && n < 64, "key quota", *r);
  return n;
}

/* Key 1000 filled until refused; key 1001 still works; 1000 gives back every message in order. */
static long queue(long *r) {
  char msg[8], buf[TM_MSG_MAX];
  long n = 0;
  for (; n < 64; n++) {
    snprintf(msg, sizeof msg, "m%ld", n);
    if ((*r = tm_keysend(0, 1000, msg, (uint32_t)strlen(msg))) < 0) break;
  }
  check(*r == -TM_EAGAIN && n > 0 && n < 64, "key queue", *r);
  long o = tm_keysend(0, 1001, "other", 5);
  long g = o == 5 ? tm_keyrecv(0, 1001, buf, sizeof buf) : o;
  check(g == 5 && memcmp(buf, "other", 5) == 0, "another key beside the full one", g);
  for (long i = 0; i < n; i++) {
    snprintf(msg, sizeof msg, "m%ld", i);
    g = tm_keyrecv(0, 1000, buf, sizeof buf);
    check(g == (long)strlen(msg) && memcmp(buf, msg, (size_t)g) == 0, "an earlier message lost", g);
  }
  check(tm_keyrecv(0, 1000, buf, sizeof buf) == -TM_EAGAIN, "more messages than sent", 0);
  return n;
}

/* vm2's key 5, with no filter: every call refused, every 10 ms for 50 ms
 * while vm2 uses it (the hypervisor logs the first denied_log refusals of a
 * VM and counts the rest). */
static long namespace(void) {
  char buf[TM_MSG_MAX];
  long r = 0;
  for (int round = 0; round < 5 && !failed; round++) {
    r = tm_keyget(2, 5, 1);
    check(r == -TM_EPERM, "make vm2 key 5", r);
    r = tm_keyget(2, 5, 0);
    check(r == -TM_EPERM, "look up vm2 key 5", r);
    r = tm_keysend(2, 5, "FORGED", 6);
    check(r == -TM_EPERM, "send on vm2 key 5", r);
    r = tm_keyrecv(2, 5, buf, sizeof buf);
    check(r == -TM_EPERM, "take vm2 key 5's message", r);
    for (uint32_t t0 = tm_time(); tm_time() - t0 < 100000;) tm_yield();
  }
  return r;
}

int main(void) {
  long rq, rm;
  const long keys = quota(&rq);
  const long msgs = queue(&rm);
  const long rn = namespace();
  if (failed) return 1;
  printf("keys: refused (quota after %ld keys %ld, queue after %ld messages %ld, vm2's key %ld)\n", keys, rq, msgs, rm, rn);
  return 0;
}

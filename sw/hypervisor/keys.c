/* IPC keys (keys.h). */
#include <string.h>

#include "keys.h"
#include "ns.h"

struct hv_key {
  uint32_t used, key;
  uint32_t head, count;                 /* a ring of count messages from head */
  uint32_t len[TM_LIMIT_KEY_QUEUE];
  uint8_t data[TM_LIMIT_KEY_QUEUE][TM_MSG_MAX];
};

static struct hv_key keys[HV_MAX_VMS + 1][TM_LIMIT_KEYS]; /* [owner VM id]: its namespace */

static struct hv_key *find(uint32_t owner, uint32_t key) {
  for (uint32_t i = 0; i < TM_LIMIT_KEYS; i++)
    if (keys[owner][i].used && keys[owner][i].key == key) return &keys[owner][i];
  return 0;
}

/* The owner of the key named by (vm, key) for the caller, when the caller may
 * use it; an error (negative) otherwise. */
static long owner_of(struct vm *v, uint32_t vm, uint32_t key, const char *what) {
  const uint32_t owner = vm ? vm : v->id;
  if (owner > HV_MAX_VMS || !hv_vms[owner].cfg || hv_vms[owner].status == VM_DONE || hv_vms[owner].status == VM_SAVED)
    return -TM_ENOENT;
  if (!ns_allowed(v->id, owner, TM_FILTER_KEY, key, 0)) {
    vm_denied(v, "%s %s:%lu", what, vm_name(owner), (unsigned long)key);
    return -TM_EPERM;
  }
  return (long)owner;
}

long keys_get(struct vm *v, uint32_t vm, uint32_t key, uint32_t create) {
  const long owner = owner_of(v, vm, key, "key");
  if (owner < 0) return owner;
  if (find((uint32_t)owner, key)) return 0;
  if (!create) return -TM_ENOENT;
  if ((uint32_t)owner != v->id) {
    vm_denied(v, "make key %s:%lu", vm_name((uint32_t)owner), (unsigned long)key);
    return -TM_EPERM;
  }
  for (uint32_t i = 0; i < TM_LIMIT_KEYS; i++) {
    struct hv_key *k = &keys[owner][i];
    if (k->used) continue;
    memset(k, 0, sizeof *k);
    k->used = 1;
    k->key = key;
    return 0;
  }
  return -TM_EDQUOT;
}

long keys_send(struct vm *v, uint32_t vm, uint32_t key, const void *p, uint32_t len) {
  if (len > TM_MSG_MAX) return -TM_EINVAL;
  const long owner = owner_of(v, vm, key, "key");
  if (owner < 0) return owner;
  struct hv_key *k = find((uint32_t)owner, key);
  if (!k) return -TM_ENOENT;
  if (k->count == TM_LIMIT_KEY_QUEUE) return -TM_EAGAIN;
  const uint32_t slot = (k->head + k->count++) % TM_LIMIT_KEY_QUEUE;
  k->len[slot] = len;
  hv_copy(k->data[slot], p, len);
  return (long)len;
}

long keys_recv(struct vm *v, uint32_t vm, uint32_t key, void *p, uint32_t len) {
  const long owner = owner_of(v, vm, key, "key");
  if (owner < 0) return owner;
  struct hv_key *k = find((uint32_t)owner, key);
  if (!k) return -TM_ENOENT;
  if (k->count == 0) return -TM_EAGAIN;
  if (len < k->len[k->head]) return -TM_EINVAL; /* never cut: it stays queued */
  const uint32_t n = k->len[k->head];
  hv_copy(p, k->data[k->head], n);
  k->head = (k->head + 1) % TM_LIMIT_KEY_QUEUE;
  k->count--;
  return (long)n;
}

void keys_vm_ended(const struct vm *v) { memset(keys[v->id], 0, sizeof keys[v->id]); }

void keys_reset(void) { memset(keys, 0, sizeof keys); }

void keys_save(const struct vm *v, struct hv_stream *s) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < TM_LIMIT_KEYS; i++) n += keys[v->id][i].used ? 1 : 0;
  hv_stream_put32(s, n);
  for (uint32_t i = 0; i < TM_LIMIT_KEYS; i++) {
    const struct hv_key *k = &keys[v->id][i];
    if (!k->used) continue;
    hv_stream_put32(s, k->key);
    hv_stream_put32(s, k->count);
    for (uint32_t m = 0; m < k->count; m++) { /* oldest first */
      const uint32_t slot = (k->head + m) % TM_LIMIT_KEY_QUEUE;
      hv_stream_put32(s, k->len[slot]);
      hv_stream_put(s, k->data[slot], k->len[slot]);
    }
  }
}

const char *keys_restore(const struct vm *v, struct hv_stream *s, int other_run) {
  static struct hv_key read[TM_LIMIT_KEYS];
  memset(read, 0, sizeof read);
  const uint32_t n = hv_stream_get32(s);
  if (s->overflow || n > TM_LIMIT_KEYS) return "bad key count";
  for (uint32_t i = 0; i < n; i++) {
    struct hv_key *k = &read[i];
    k->used = 1;
    k->key = hv_stream_get32(s);
    k->count = hv_stream_get32(s);
    if (s->overflow || k->count > TM_LIMIT_KEY_QUEUE) return "bad key";
    for (uint32_t m = 0; m < k->count; m++) {
      k->len[m] = hv_stream_get32(s);
      if (s->overflow || k->len[m] > TM_MSG_MAX) return "bad key message";
      hv_stream_get(s, k->data[m], k->len[m]);
    }
  }
  if (s->overflow) return "truncated";
  if (other_run) memcpy(keys[v->id], read, sizeof read); /* in the same run they stayed in the table */
  return 0;
}

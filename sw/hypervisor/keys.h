/*
 * keys.h: IPC keys, the brief's third namespace beside files and ports.
 *
 * Each VM has its own key namespace: key 42 of vm1 and key 42 of vm2 are two
 * objects. An object is a message queue of up to TM_LIMIT_KEY_QUEUE messages
 * of at most TM_MSG_MAX bytes. A VM makes keys only in its own namespace (at
 * most TM_LIMIT_KEYS); it reaches another VM's key only through a scenario
 * filter {"from", "to", "key": K} (TM_FILTER_KEY): look up, send, receive,
 * never create. Anything else is -TM_EPERM and logged "[hv] denied: ...".
 * The keys of a VM that ended are gone (-TM_ENOENT). The I/O layer: io.c
 * checks U buffers and passes physical pointers.
 *
 *   owner (vm1): tm_keyget(0, 42, 1); tm_keyrecv(0, 42, buf, n);
 *   user  (vm2): tm_keyget(1, 42, 0); tm_keysend(1, 42, "hi", 2);
 */
#ifndef HV_KEYS_H
#define HV_KEYS_H

#include <stdint.h>

#include "stream.h"
#include "vm.h"

/* `vm` 0 means the caller's own namespace. 0, or -TM_ENOENT (no such VM or
 * key), -TM_EPERM (no filter; create in another VM's namespace), -TM_EDQUOT
 * (the owner's keys are all in use). */
long keys_get(struct vm *v, uint32_t vm, uint32_t key, uint32_t create);
/* `p`: len bytes the caller may read (physical). len, or -TM_EINVAL (len >
 * TM_MSG_MAX), -TM_EAGAIN (queue full), or keys_get's errors. */
long keys_send(struct vm *v, uint32_t vm, uint32_t key, const void *p, uint32_t len);
/* The oldest message. Its length, -TM_EAGAIN (empty), -TM_EINVAL (longer
 * than len: never cut, it stays queued), or keys_get's errors. */
long keys_recv(struct vm *v, uint32_t vm, uint32_t key, void *p, uint32_t len);
void keys_vm_ended(const struct vm *v);  /* its keys and their messages go */
/* A VM's image (io_save): its keys and their queued messages (they stay in
 * the table: a suspended VM's keys keep working). keys_restore reads them
 * back: 0, or why not (the table unchanged); `other_run`: an image from
 * another run, whose keys replace the (empty) namespace. */
void keys_save(const struct vm *v, struct hv_stream *s);
const char *keys_restore(const struct vm *v, struct hv_stream *s, int other_run);
void keys_reset(void);                   /* every key gone (host tests between boots; crt0 on the machine) */

#endif /* HV_KEYS_H */

/*
 * user.h: the system calls of a Trimode user program (U). Process calls go
 * through ecall to the guest kernel, I/O calls through vcall straight to the
 * hypervisor (spec/abi.txt). Results: >= 0, or -TM_E* on an error.
 * stdout/stderr (printf) are line-buffered and written with tm_write(1, ...).
 *
 *   int fd = tm_open("vm2:/shared.txt", TM_O_READ);
 *   long n = tm_read(fd, buf, sizeof buf);
 */
#ifndef TRIMODE_USER_H
#define TRIMODE_USER_H

#include <stdint.h>

#include "trimode/sys.h"

#define TM_O_READ 1
#define TM_O_WRITE 2
#define TM_O_CREATE 4

long tm_getpid(void);
long tm_yield(void);
void tm_exit(int code) __attribute__((noreturn));
long tm_sbrk(long increment);      /* old break, or -TM_ENOMEM */
long tm_spawn(int program_index);  /* pid */
long tm_wait(long pid);            /* the child's exit code */
long tm_checkpoint(uint32_t resume_ms); /* the whole VM saved and resumed: 0 after the resume */
long tm_write(int fd, const void *buf, uint32_t len);
long tm_open(const char *path, int flags);
long tm_read(int fd, void *buf, uint32_t len);
long tm_close(int fd);
long tm_send(int vm, int port, const void *buf, uint32_t len);
long tm_recv(int port, void *buf, uint32_t len); /* the oldest message; TM_EINVAL if longer than len (kept) */
long tm_recvfrom(int port, void *buf, uint32_t len, uint32_t *from); /* tm_recv, and the sender's VM id (the hypervisor's) */
uint32_t tm_time(void);            /* mtime ticks (10 MHz), low word */
/* IPC keys: a per-VM namespace of key -> message queue (vm 0: the caller's;
 * another VM's key needs a scenario filter {"from", "to", "key"}). */
long tm_keyget(int vm, uint32_t key, int create);
long tm_keysend(int vm, uint32_t key, const void *buf, uint32_t len);
long tm_keyrecv(int vm, uint32_t key, void *buf, uint32_t len);
void tm_flush(void);               /* flush stdout's line buffer */

#endif /* TRIMODE_USER_H */

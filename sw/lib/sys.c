/* sys.c: the user library: gates, picolibc glue (stdout, sbrk, _exit). */
#include <stddef.h>
#include <stdio.h>

#include "trimode/user.h"

long tm_getpid(void) { return tm_ecall0(TM_SYS_GETPID); }
long tm_yield(void) { return tm_ecall0(TM_SYS_YIELD); }
long tm_sbrk(long increment) { return tm_ecall1(TM_SYS_SBRK, increment); }
long tm_spawn(int program_index) { return tm_ecall1(TM_SYS_SPAWN, program_index); }
long tm_wait(long pid) { return tm_ecall1(TM_SYS_WAIT, pid); }
long tm_checkpoint(uint32_t resume_ms) { return tm_ecall1(TM_SYS_CHECKPOINT, (long)resume_ms); }
long tm_write(int fd, const void *buf, uint32_t len) { return tm_vcall3(TM_SYS_WRITE, fd, (long)buf, (long)len); }
long tm_open(const char *path, int flags) { return tm_vcall2(TM_SYS_OPEN, (long)path, flags); }
long tm_read(int fd, void *buf, uint32_t len) { return tm_vcall3(TM_SYS_READ, fd, (long)buf, (long)len); }
long tm_close(int fd) { return tm_vcall1(TM_SYS_CLOSE, fd); }
long tm_send(int vm, int port, const void *buf, uint32_t len) {
  return tm_vcall4(TM_SYS_SEND, vm, port, (long)buf, (long)len);
}
long tm_recv(int port, void *buf, uint32_t len) { return tm_vcall3(TM_SYS_RECV, port, (long)buf, (long)len); }
long tm_recvfrom(int port, void *buf, uint32_t len, uint32_t *from) {
  return tm_vcall4(TM_SYS_RECVFROM, port, (long)buf, (long)len, (long)from);
}
uint32_t tm_time(void) { return (uint32_t)tm_vcall0(TM_SYS_TIME); }
long tm_keyget(int vm, uint32_t key, int create) { return tm_vcall3(TM_SYS_KEYGET, vm, (long)key, create); }
long tm_keysend(int vm, uint32_t key, const void *buf, uint32_t len) {
  return tm_vcall4(TM_SYS_KEYSEND, vm, (long)key, (long)buf, (long)len);
}
long tm_keyrecv(int vm, uint32_t key, void *buf, uint32_t len) {
  return tm_vcall4(TM_SYS_KEYRECV, vm, (long)key, (long)buf, (long)len);
}

/* ---- stdout: a line buffer flushed with one vcall write per line ---------- */
static char line[128];
static uint32_t line_len;

void tm_flush(void) {
  if (line_len) tm_write(1, line, line_len);
  line_len = 0;
}

static int put(char c, FILE *f) {
  (void)f;
  line[line_len++] = c;
  if (c == '\n' || line_len == sizeof line) tm_flush();
  return (unsigned char)c;
}

static int get(FILE *f) {
  (void)f;
  return EOF;
}

static FILE tm_stdio = FDEV_SETUP_STREAM(put, get, NULL, _FDEV_SETUP_RW);
FILE *const stdin = &tm_stdio;
FILE *const stdout = &tm_stdio;
FILE *const stderr = &tm_stdio;

/* ---- picolibc hooks ------------------------------------------------------ */
void *sbrk(ptrdiff_t increment) {
  long old = tm_sbrk(increment);
  return old < 0 ? (void *)-1 : (void *)old;
}

void tm_exit(int code) {
  tm_flush();
  tm_ecall1(TM_SYS_EXIT, code);
  for (;;) {
  }
}

void _exit(int code) { tm_exit(code); }

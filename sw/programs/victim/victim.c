/* victim: asserts that every shared service of the hypervisor still works
 * for its VM while another VM attacks it. After 20 ms (the attackers
 * get there first) it checks, one line each:
 *   files   create, write, read back a file of its own namespace
 *   port    send to its own port 9 and receive it back
 *   keys    make its own IPC key 5, send on it and receive it back
 *   console a line that must appear whole, at a line start, after "[vm2] "
 *   memory  grow its heap by 128 KiB and use it (within the VM's own memory)
 *   cpu     a fixed loop finishes within 4x its fair-share time
 * and ends with "victim: all services ok" (exit 0) or names what failed. */
#include <stdio.h>
#include <string.h>

#include "trimode/user.h"

static int failed;
static void report(const char *service, int ok, long detail) {
  printf("victim: %s %s (%ld)\n", service, ok ? "ok" : "FAILED", detail);
  if (!ok) failed++;
}

static int files(long *detail) {
  long fd = tm_open("victim.txt", TM_O_CREATE | TM_O_WRITE);
  *detail = fd;
  if (fd < 0) return 0;
  long w = tm_write((int)fd, "mine", 4);
  tm_close((int)fd);
  char buf[8] = {0};
  fd = tm_open("victim.txt", TM_O_READ);
  long r = fd >= 0 ? tm_read((int)fd, buf, sizeof buf) : fd;
  if (fd >= 0) tm_close((int)fd);
  *detail = w == 4 ? r : w;
  return w == 4 && r == 4 && memcmp(buf, "mine", 4) == 0;
}

static int port(long *detail) {
  long s = tm_send(2, 9, "ping", 4);
  char buf[8] = {0};
  long r = s == 4 ? tm_recv(9, buf, sizeof buf) : s;
  *detail = r;
  return r == 4 && memcmp(buf, "ping", 4) == 0;
}

static int key(long *detail) {
  long r = tm_keyget(0, 5, 1);
  if (r == 0) r = tm_keysend(0, 5, "pong", 4);
  char buf[8] = {0};
  if (r == 4) r = tm_keyrecv(0, 5, buf, sizeof buf);
  *detail = r;
  return r == 4 && memcmp(buf, "pong", 4) == 0 && tm_keyrecv(0, 5, buf, sizeof buf) == -TM_EAGAIN;
}

static int memory(long *detail) {
  long old = tm_sbrk(128 * 1024);
  *detail = old;
  if (old < 0) return 0;
  memset((void *)old, 0x5a, 128 * 1024);
  return ((volatile char *)old)[128 * 1024 - 1] == 0x5a;
}

/* 2 VMs of weight 1: the loop gets half the CPU; 4x that is generous. */
static int cpu(long *detail) {
  volatile uint32_t x = 0;
  const uint32_t t0 = tm_time();
  for (uint32_t i = 0; i < 200000; i++) x += i;
  const uint32_t ticks = tm_time() - t0;
  *detail = (long)(ticks / 10); /* us */
  return ticks < 4u * 2u * 200000u * 6u / 10u; /* ~6 cycles an iteration at 10 ns, in 0.1 us ticks */
}

int main(void) {
  for (uint32_t t0 = tm_time(); tm_time() - t0 < 200000;) tm_yield(); /* 20 ms: the attackers start first */
  long d;
  int ok;
  ok = files(&d);
  report("files", ok, d);
  ok = port(&d);
  report("port", ok, d);
  ok = key(&d);
  report("keys", ok, d);
  printf("victim: console line intact\n");
  ok = memory(&d);
  report("memory", ok, d);
  ok = cpu(&d);
  report("cpu", ok, d);
  printf("victim: %s\n", failed ? "SOME SERVICES FAILED" : "all services ok");
  return failed ? 1 : 0;
}

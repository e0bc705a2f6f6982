/* h_memory: tries to reach memory that is not its own.
 *  1. passes the hypervisor buffers outside its bound (a confused deputy
 *     attack): write, read, recv and open must fail with -TM_EFAULT;
 *  2. a hypercall from U must fail with -TM_EPERM;
 *  3. stores beyond its bound, where another process or VM may live: the
 *     hardware faults to the guest kernel, which kills the process. */
#include <stdio.h>

#include "trimode/user.h"

static int fails;
static void expect(const char *what, long got, long want) {
  printf("%s: %ld %s\n", what, got, got == want ? "ok" : "WRONG");
  if (got != want) fails++;
}

int main(void) {
  expect("write from 0x00f00000", tm_write(1, (const void *)0x00f00000, 16), -TM_EFAULT);
  expect("write from 0x80000000", tm_write(1, (const void *)0x80000000, 16), -TM_EFAULT);
  expect("write wrapping", tm_write(1, (const void *)0x100, 0xffffff80u), -TM_EFAULT);
  expect("read into 0x00f00000", tm_read(0, (void *)0x00f00000, 16), -TM_EFAULT);
  expect("recv into 0x7ffff000", tm_recv(1, (void *)0x7ffff000, 16), -TM_EFAULT);
  expect("open path at 0x00f00000", tm_open((const char *)0x00f00000, TM_O_READ), -TM_EFAULT);
  expect("vm_grow from U", tm_vcall1(TM_SYS_VM_GROW, 1 << 20), -TM_EPERM);
  printf("%s; now storing beyond my bound\n", fails ? "SOME CHECKS FAILED" : "all refused");
  tm_flush();
  *(volatile uint32_t *)0x00800000 = 0xdeadbeef;
  printf("FAILED: the store went through\n");
  return 1;
}

/* h_k*: ask the guest kernel to act as a compromised kernel (TM_KSYS_EVIL_G):
 * write the segment table, read or write another VM's memory, jump into the
 * hypervisor, or touch the UART, from G, or never end (spin in G, or idle in
 * wfi with a timer set: the VM's CPU or wall budget). The hypervisor must stop this VM and
 * only this VM; this program never gets an answer. */
#include <stdio.h>

#include "trimode/user.h"

#define H_SEG TM_EVIL_SEGTABLE
#define H_PEEK TM_EVIL_PEEK
#define H_POKE TM_EVIL_POKE
#define H_JUMP TM_EVIL_JUMP_HV
#define H_UART TM_EVIL_UART
#define H_SPIN TM_EVIL_SPIN
#define H_IDLE TM_EVIL_IDLE

int main(void) {
  printf("asking my kernel to misbehave (op %d)\n", EVIL_OP);
  tm_flush();
  long r = tm_ecall1(TM_KSYS_EVIL_G, EVIL_OP);
  printf("FAILED: the kernel survived (%ld)\n", r);
  return 1;
}

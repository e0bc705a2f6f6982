/* h_devices: stores to the UART's and the finisher's addresses from U. Those
 * are U addresses beyond the process bound: the fault goes to the guest
 * kernel, which kills the process; no device register is touched. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("storing to the finisher at 0x%08lx\n", (unsigned long)TM_FINISHER_BASE);
  tm_flush();
  *(volatile uint32_t *)TM_FINISHER_BASE = 0x5555; /* would end the whole run */
  *(volatile uint8_t *)TM_UART_BASE = '!';
  printf("FAILED: still running\n");
  return 1;
}

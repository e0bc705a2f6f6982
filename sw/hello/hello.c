/* hello: the smallest complete sw/ program. Prints a greeting, exits 0
 * (HELLO_EXIT: exit_high's code). */
#include <stdio.h>

#ifndef HELLO_EXIT
#define HELLO_EXIT 0
#endif

int main(void) {
  printf("Hello from Trimode sw/ (RV32IM, %d-bit)\n", (int)(8 * sizeof(void *)));
  return HELLO_EXIT;
}

/* hello: the smallest complete sw/ program. Prints a greeting, exits 0. */
#include <stdio.h>

int main(void) {
  printf("Hello from Trimode sw/ (RV32IM, %d-bit)\n", (int)(8 * sizeof(void *)));
  return 0;
}

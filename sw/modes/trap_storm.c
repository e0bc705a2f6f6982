/* trap_storm: a bare-metal program whose trap vector holds a faulting
 * instruction (an all-zero word, illegal): the first trap enters a vector
 * that traps again, forever, retiring nothing. trimode's trap-storm detector
 * must end the run (exit 203), with or without --max-instructions. */
#include <stdint.h>

#include "trimode/spec.h"

__asm__(".section .text.storm_vector, \"ax\", @progbits\n"
        ".balign 4\n"
        ".globl storm_vector\n"
        "storm_vector: .word 0\n"
        ".text\n");
extern char storm_vector[];

int main(void) {
  TM_CSR_WRITE(TM_CSR_VTVEC, (uint32_t)(uintptr_t)storm_vector);
  __asm__ volatile(".word 0"); /* illegal: enters the vector */
  return 0;
}

/*
 * fault_novec: a load from an address nothing answers, in V, with no trap
 * vector set (vtvec = 0): the simulator must stop and say which trap it was,
 * at which pc, with the instructions that led there (tests/platform).
 */
#include <stdint.h>

int main(void) {
  volatile uint32_t *nowhere = (volatile uint32_t *)0x40000000u;
  return (int)*nowhere;
}

#include "tohost.h"

volatile uint32_t tohost __attribute__((section(".tohost"), aligned(8), used)) = 0;
volatile uint32_t fromhost __attribute__((section(".tohost"), aligned(8), used)) = 0;

void tohost_exit(uint32_t code) {
  tohost = (code << 1) | 1u;
  for (;;) {
  }
}

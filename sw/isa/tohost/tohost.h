/*
 * tohost.h: the riscv-tests/HTIF end-of-test word. Writing (code << 1) | 1
 * to `tohost` ends the run: code 0 passes, any other code fails with that
 * exit status. The simulator finds `tohost` through the ELF symbol table;
 * trimode.ld places the .tohost section.
 */
#ifndef TRIMODE_TOHOST_H
#define TRIMODE_TOHOST_H

#include <stdint.h>

extern volatile uint32_t tohost;
extern volatile uint32_t fromhost;

void tohost_exit(uint32_t code) __attribute__((noreturn));

#endif /* TRIMODE_TOHOST_H */

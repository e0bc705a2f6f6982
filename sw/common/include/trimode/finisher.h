/*
 * finisher.h: ending a run through the test finisher at TM_FINISHER_BASE
 * (QEMU's sifive_test device; trimode models the same register).
 *
 * One 32-bit write ends the simulation: 0x5555 = pass (exit status 0),
 * (code << 16) | 0x3333 = fail with `code`. QEMU exits with `code` as its
 * process status, so only the low 8 bits of the code survive a shell; keep
 * program exit codes in 1..255. exit(n) from <stdlib.h> ends here too.
 * Example: tm_finish(0) passes, tm_finish(3) makes `qemu ...; echo $?` print 3.
 */
#ifndef TRIMODE_FINISHER_H
#define TRIMODE_FINISHER_H

#define TM_FINISHER_PASS 0x5555u
#define TM_FINISHER_FAIL 0x3333u

void tm_finish(int code) __attribute__((noreturn));

#endif /* TRIMODE_FINISHER_H */

/* tohost_pass: ends with tohost = 1 (pass). Expected exit status: 0. */
#include "tohost.h"

int main(void) { tohost_exit(0); }

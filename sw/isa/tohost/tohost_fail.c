/* tohost_fail: ends with tohost = (3 << 1) | 1. Expected exit status: 3. */
#include "tohost.h"

int main(void) { tohost_exit(3); }

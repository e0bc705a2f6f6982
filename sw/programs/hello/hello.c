/* hello: the smallest user program: printf through the vcall write gate. */
#include <stdio.h>

#include "trimode/user.h"

int main(void) {
  printf("hello from pid %ld\n", tm_getpid());
  return 0;
}

#include "check.h"

#include <stdio.h>
#include <stdlib.h>

static const char *group_name;
static unsigned group_checks;
static unsigned check_number;

static void group_end(void) {
  if (group_name != NULL) printf("%s: %u checks ok\n", group_name, group_checks);
}

void check_group(const char *name) {
  group_end();
  group_name = name;
  group_checks = 0;
}

void check_eq(uint32_t got, uint32_t want, const char *what) {
  ++check_number;
  ++group_checks;
  if (got != want) {
    printf("FAIL #%u [%s] %s: got 0x%08lx want 0x%08lx\n", check_number,
           group_name != NULL ? group_name : "-", what, (unsigned long)got,
           (unsigned long)want);
    exit(check_number < 255 ? (int)check_number : 255);
  }
}

int check_done(void) {
  group_end();
  group_name = NULL;
  printf("all %u checks passed\n", check_number);
  return 0;
}

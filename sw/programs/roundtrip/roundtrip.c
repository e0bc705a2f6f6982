/* roundtrip: privilege round trips in cycles, from the model's cycle counter
 * (rdcycle, kind 3, readable in U). For each gate, 1000 calls; prints the
 * minimum and the median:
 *   ecall  U -> G -> U   getpid, served by the guest kernel
 *   vcall  U -> V -> U   time, served by the hypervisor straight from U
 * A timer interrupt landing inside one call only moves the upper tail. */
#include <stdio.h>

#include "../compute/compute_kernel.h"
#include "trimode/user.h"

#define N 1000
static uint32_t samples[N];

static void sort(uint32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    const uint32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) a[j + 1] = a[j], j--;
    a[j + 1] = v;
  }
}

static void report(const char *what) {
  sort(samples, N);
  printf("roundtrip: %s min %lu median %lu cycles\n", what, (unsigned long)samples[0], (unsigned long)samples[N / 2]);
}

int main(void) {
  for (int i = 0; i < N; i++) {
    const uint32_t c0 = read_cycle();
    tm_getpid();
    samples[i] = read_cycle() - c0;
  }
  report("ecall U->G->U (getpid)");
  for (int i = 0; i < N; i++) {
    const uint32_t c0 = read_cycle();
    tm_time();
    samples[i] = read_cycle() - c0;
  }
  report("vcall U->V->U (time)");
  return 0;
}

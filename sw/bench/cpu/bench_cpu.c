/*
 * bench_cpu: a deterministic CPU-bound benchmark for measuring the
 * simulator's speed (MIPS). About 407 million RV32IM instructions (crc32 87M,
 * matmul 81M, sort 136M, divmul 104M; measured on QEMU with -icount shift=0),
 * no I/O until each kernel ends, no counters or time, so the output is the
 * same on every correct implementation:
 *
 *   crc32    bitwise and table-driven CRC-32 over a pseudo-random buffer
 *   matmul   integer matrix multiply (mul-heavy, strided loads)
 *   sort     insertion sort and quicksort of pseudo-random arrays (branchy)
 *   divmul   a mixed div/rem/mul/mulhu recurrence
 *
 * Each kernel prints its checksum; the last line is the combined one:
 *   bench_cpu: checksum 0xe15877c0
 * Build with -DBENCH_CPU_COUNT to print each kernel's rdinstret delta too
 * (on QEMU, add -icount shift=0 so instret counts instructions).
 */
#include <stdint.h>
#include <stdio.h>

#define BUF_BYTES 16384u
#define CRC_BIT_PASSES 8u
#define CRC_TABLE_PASSES 480u
#define MAT_N 40u
#define MAT_REPS 170u
#define SORT_N 1000u
#define SORT_REPS 20u
#define QSORT_N 20000u
#define QSORT_REPS 36u
#define DIVMUL_ITERS 8000000u

static uint32_t rng_state;

static uint32_t rng_next(void) {
  /* xorshift32 */
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng_state = x;
  return x;
}

static uint8_t buf[BUF_BYTES];
static uint32_t crc_table[256];

static uint32_t crc32_bitwise(const uint8_t *p, uint32_t n) {
  uint32_t crc = 0xffffffffu;
  for (uint32_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void crc32_init_table(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    crc_table[i] = c;
  }
}

static uint32_t crc32_table(const uint8_t *p, uint32_t n) {
  uint32_t crc = 0xffffffffu;
  for (uint32_t i = 0; i < n; ++i) crc = crc_table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
  return ~crc;
}

static uint32_t bench_crc32(void) {
  rng_state = 0x12345678u;
  for (uint32_t i = 0; i < BUF_BYTES; ++i) buf[i] = (uint8_t)rng_next();
  crc32_init_table();
  uint32_t sum = 0;
  for (uint32_t pass = 0; pass < CRC_BIT_PASSES; ++pass) {
    buf[pass] ^= (uint8_t)pass;
    sum = sum * 31u + crc32_bitwise(buf, BUF_BYTES);
  }
  for (uint32_t pass = 0; pass < CRC_TABLE_PASSES; ++pass) {
    buf[pass % BUF_BYTES] += 1;
    sum = sum * 31u + crc32_table(buf, BUF_BYTES);
  }
  /* Both implementations agree on the same data. */
  if (crc32_bitwise(buf, 1024) != crc32_table(buf, 1024)) sum ^= 0xdeadbeefu;
  return sum;
}

static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static uint32_t bench_matmul(void) {
  rng_state = 0x9e3779b9u;
  for (uint32_t i = 0; i < MAT_N; ++i) {
    for (uint32_t j = 0; j < MAT_N; ++j) {
      mat_a[i][j] = (int32_t)(rng_next() % 2001u) - 1000;
      mat_b[i][j] = (int32_t)(rng_next() % 2001u) - 1000;
    }
  }
  uint32_t sum = 0;
  for (uint32_t rep = 0; rep < MAT_REPS; ++rep) {
    for (uint32_t i = 0; i < MAT_N; ++i) {
      for (uint32_t j = 0; j < MAT_N; ++j) {
        int32_t acc = 0;
        for (uint32_t k = 0; k < MAT_N; ++k) acc += mat_a[i][k] * mat_b[k][j];
        mat_c[i][j] = acc;
      }
    }
    /* Feed the result back so every repetition computes something new. */
    for (uint32_t i = 0; i < MAT_N; ++i) {
      for (uint32_t j = 0; j < MAT_N; ++j) {
        sum = sum * 33u + (uint32_t)mat_c[i][j];
        mat_a[i][j] = mat_c[i][j] % 1009;
      }
    }
  }
  return sum;
}

static uint32_t sort_buf[QSORT_N];

static void insertion_sort(uint32_t *a, uint32_t n) {
  for (uint32_t i = 1; i < n; ++i) {
    uint32_t v = a[i];
    uint32_t j = i;
    while (j > 0 && a[j - 1] > v) {
      a[j] = a[j - 1];
      --j;
    }
    a[j] = v;
  }
}

static void quick_sort(uint32_t *a, int32_t lo, int32_t hi) {
  while (lo < hi) {
    if (hi - lo < 16) {
      insertion_sort(a + lo, (uint32_t)(hi - lo + 1));
      return;
    }
    uint32_t pivot = a[lo + (hi - lo) / 2];
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) {
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        ++i;
        --j;
      }
    }
    /* Recurse into the smaller half, loop on the larger: O(log n) stack. */
    if (j - lo < hi - i) {
      quick_sort(a, lo, j);
      lo = i;
    } else {
      quick_sort(a, i, hi);
      hi = j;
    }
  }
}

static uint32_t sorted_checksum(const uint32_t *a, uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0 && a[i - 1] > a[i]) return 0xbadbad;
    sum = sum * 31u + a[i];
  }
  return sum;
}

static uint32_t bench_sort(void) {
  uint32_t sum = 0;
  rng_state = 0x2545f491u;
  for (uint32_t rep = 0; rep < SORT_REPS; ++rep) {
    for (uint32_t i = 0; i < SORT_N; ++i) sort_buf[i] = rng_next() % 100000u;
    insertion_sort(sort_buf, SORT_N);
    sum = sum * 7u + sorted_checksum(sort_buf, SORT_N);
  }
  for (uint32_t rep = 0; rep < QSORT_REPS; ++rep) {
    for (uint32_t i = 0; i < QSORT_N; ++i) sort_buf[i] = rng_next();
    quick_sort(sort_buf, 0, (int32_t)QSORT_N - 1);
    sum = sum * 7u + sorted_checksum(sort_buf, QSORT_N);
  }
  return sum;
}

static uint32_t bench_divmul(void) {
  uint32_t x = 0x13579bdfu, sum = 0;
  int32_t s = 1;
  for (uint32_t i = 0; i < DIVMUL_ITERS; ++i) {
    x = x * 1664525u + 1013904223u;
    uint32_t d = (x >> 16) | 1u;
    s += (int32_t)x / (int32_t)d - (int32_t)(x % d);
    sum += (uint32_t)(((uint64_t)x * d) >> 32) ^ (uint32_t)s;
  }
  return sum;
}

#ifdef BENCH_CPU_COUNT
static uint32_t instret(void) {
  uint32_t n;
  __asm__ volatile("rdinstret %0" : "=r"(n));
  return n;
}
#define COUNT_BEGIN() uint32_t count_start_ = instret()
#define COUNT_END(name) printf("  %s: %lu instructions\n", name, (unsigned long)(instret() - count_start_))
#else
#define COUNT_BEGIN() ((void)0)
#define COUNT_END(name) ((void)0)
#endif

static uint32_t run(const char *name, uint32_t (*kernel)(void)) {
  COUNT_BEGIN();
  uint32_t sum = kernel();
  COUNT_END(name);
  printf("%-7s 0x%08lx\n", name, (unsigned long)sum);
  return sum;
}

int main(void) {
  uint32_t crc = run("crc32", bench_crc32);
  uint32_t mat = run("matmul", bench_matmul);
  uint32_t sort = run("sort", bench_sort);
  uint32_t dm = run("divmul", bench_divmul);
  printf("bench_cpu: checksum 0x%08lx\n", (unsigned long)(crc ^ (mat * 3u) ^ (sort * 5u) ^ (dm * 7u)));
  return 0;
}

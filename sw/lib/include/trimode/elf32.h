/*
 * elf32.h: a bounds-checked parser for the ELF32 RISC-V executables the
 * hypervisor (guest kernels) and the guest kernel (user programs) load.
 * Freestanding: no libc beyond memcpy. Every offset and size is checked
 * against the file length in 64-bit arithmetic before it is used.
 *
 *   struct elf32_info info;
 *   if (elf32_parse(file, size, &info) != 0) refuse;
 *   if (info.lo < region_lo || info.hi > region_hi) refuse;
 *   elf32_copy(file, &info, dst_base - region_lo);   // dst = vaddr + delta
 */
#ifndef TRIMODE_ELF32_H
#define TRIMODE_ELF32_H

#include <stdint.h>

#define ELF32_MAX_SEGS 8u

struct elf32_seg {
  uint32_t vaddr, off, filesz, memsz;
};

struct elf32_info {
  uint32_t entry;
  uint32_t n;                             /* PT_LOAD segments with memsz > 0 */
  struct elf32_seg seg[ELF32_MAX_SEGS];
  uint32_t lo, hi;                        /* lowest vaddr, highest vaddr + memsz */
  uint32_t prefix;                        /* file bytes a loader needs: headers + segment data */
};

/* 0 when `file` (size bytes) is a little-endian ELF32 RISC-V ET_EXEC whose
 * program headers and PT_LOAD data lie inside the file, with 1..8 PT_LOAD
 * segments that do not overlap or wrap and an entry inside one of them.
 * Otherwise a negative code (see elf32.c), and *out is unspecified. */
int elf32_parse(const void *file, uint32_t size, struct elf32_info *out);

/* Copies each segment to vaddr + delta and zeroes its memsz tail. */
void elf32_copy(const void *file, const struct elf32_info *info, uint32_t delta);

/* A short reason for an elf32_parse code. */
const char *elf32_error(int code);

#endif /* TRIMODE_ELF32_H */

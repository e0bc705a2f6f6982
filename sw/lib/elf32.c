/* elf32.c: see trimode/elf32.h. */
#include "trimode/elf32.h"

#include <string.h>

enum {
  E_SHORT = -1, E_MAGIC = -2, E_CLASS = -3, E_MACHINE = -4, E_TYPE = -5, E_PHDRS = -6,
  E_SEGDATA = -7, E_SEGWRAP = -8, E_TOOMANY = -9, E_OVERLAP = -10, E_ENTRY = -11, E_NONE = -12,
};

const char *elf32_error(int code) {
  switch (code) {
    case 0: return "ok";
    case E_SHORT: return "shorter than an ELF header";
    case E_MAGIC: return "not an ELF file";
    case E_CLASS: return "not ELF32 little-endian";
    case E_MACHINE: return "not RISC-V";
    case E_TYPE: return "not an executable";
    case E_PHDRS: return "program headers outside the file";
    case E_SEGDATA: return "segment data outside the file, or filesz > memsz";
    case E_SEGWRAP: return "segment wraps the address space";
    case E_TOOMANY: return "too many loadable segments";
    case E_OVERLAP: return "loadable segments overlap";
    case E_ENTRY: return "entry point outside the loadable segments";
    case E_NONE: return "no loadable segment";
    default: return "bad ELF";
  }
}

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

int elf32_parse(const void *file, uint32_t size, struct elf32_info *out) {
  const uint8_t *f = file;
  if (size < 52) return E_SHORT;
  if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F') return E_MAGIC;
  if (f[4] != 1 || f[5] != 1) return E_CLASS;
  if (rd16(f + 18) != 243) return E_MACHINE;
  if (rd16(f + 16) != 2) return E_TYPE;
  const uint32_t phoff = rd32(f + 28), phentsize = rd16(f + 42), phnum = rd16(f + 44);
  if (phnum == 0 || phentsize != 32) return E_PHDRS;
  if ((uint64_t)phoff + (uint64_t)phnum * 32u > size) return E_PHDRS;
  out->entry = rd32(f + 24);
  out->n = 0;
  out->lo = 0xffffffffu;
  out->hi = 0;
  uint64_t prefix = (uint64_t)phoff + phnum * 32u;
  for (uint32_t i = 0; i < phnum; i++) {
    const uint8_t *ph = f + phoff + 32u * i;
    if (rd32(ph) != 1 /* PT_LOAD */) continue;
    struct elf32_seg s = {rd32(ph + 8), rd32(ph + 4), rd32(ph + 16), rd32(ph + 20)};
    if (s.memsz == 0) continue;
    if (s.filesz > s.memsz || (uint64_t)s.off + s.filesz > size) return E_SEGDATA;
    if ((uint64_t)s.vaddr + s.memsz > 0xffffffffu) return E_SEGWRAP;
    if (out->n == ELF32_MAX_SEGS) return E_TOOMANY;
    for (uint32_t j = 0; j < out->n; j++) {
      const struct elf32_seg *t = &out->seg[j];
      if ((uint64_t)s.vaddr < (uint64_t)t->vaddr + t->memsz && (uint64_t)t->vaddr < (uint64_t)s.vaddr + s.memsz)
        return E_OVERLAP;
    }
    out->seg[out->n++] = s;
    if (s.vaddr < out->lo) out->lo = s.vaddr;
    if (s.vaddr + s.memsz > out->hi) out->hi = s.vaddr + s.memsz;
    if (s.filesz && (uint64_t)s.off + s.filesz > prefix) prefix = (uint64_t)s.off + s.filesz;
  }
  if (out->n == 0) return E_NONE;
  int entry_ok = 0;
  for (uint32_t j = 0; j < out->n; j++)
    if (out->entry >= out->seg[j].vaddr && out->entry - out->seg[j].vaddr < out->seg[j].memsz) entry_ok = 1;
  if (!entry_ok) return E_ENTRY;
  out->prefix = (uint32_t)prefix;
  return 0;
}

void elf32_copy(const void *file, const struct elf32_info *info, uint32_t delta) {
  const uint8_t *f = file;
  for (uint32_t j = 0; j < info->n; j++) {
    const struct elf32_seg *s = &info->seg[j];
    uint8_t *dst = (uint8_t *)(uintptr_t)(s->vaddr + delta);
    memcpy(dst, f + s->off, s->filesz);
    memset(dst + s->filesz, 0, s->memsz - s->filesz);
  }
}

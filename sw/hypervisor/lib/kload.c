/* kload.c: placing and relocating guest kernels; contracts in kload.h. */
#include "kload.h"

#include "trimode/sys.h"

uint32_t kload_place(struct memq *q, uint32_t id, uint32_t ram_base, uint32_t ram_size) {
  /* the gaps from the top of RAM down: the highest one that fits */
  uint64_t gap_end = (uint64_t)ram_base + ram_size;
  for (uint32_t i = memq_global_count(q) + 1; i-- > 0;) {
    const struct memq_seg *s = i > 0 ? memq_global_at(q, i - 1) : 0;
    const uint64_t gap_start = s ? (uint64_t)s->base + s->size : ram_base;
    if (gap_end >= gap_start + TM_KSLOT_SIZE) {
      const uint32_t base = (uint32_t)(gap_end - TM_KSLOT_SIZE);
      if (memq_alloc_at(q, id, base, TM_KSLOT_SIZE) == MEMQ_OK) return base;
    }
    if (s) gap_end = s->base;
  }
  return 0;
}

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

enum { SHT_RELA = 4, SHF_WRITE = 1, SHF_ALLOC = 2, SHN_ABS = 0xfff1 };
enum { R_NONE = 0, R_32 = 1, R_HI20 = 26, R_LO12_I = 27, R_LO12_S = 28 };

/* Relocation types whose result does not change when the whole image moves:
 * PC-relative (branches, jumps, calls, auipc pairs, 32_PCREL), gp- and
 * tp-relative (gp and tp are set PC-relatively), label differences
 * (ADD/SUB pairs, e.g. switch tables), and linker hints (ALIGN, RELAX). */
static int position_independent(uint32_t type) {
  switch (type) {
    case 0: case 16: case 17: case 18: case 19: case 23: case 24: case 25:   /* NONE BRANCH JAL CALL CALL_PLT PCREL_* */
    case 29: case 30: case 31: case 32:                                       /* TPREL_* */
    case 33: case 34: case 35: case 36: case 37: case 38: case 39: case 40:   /* ADD8..64 SUB8..64 */
    case 43: case 47: case 48: case 51: case 57:                              /* ALIGN GPREL_I/S RELAX 32_PCREL */
      return 1;
    default: return 0;
  }
}

/* Section header i (40 bytes), or 0 when it lies outside the file. */
static const uint8_t *section(const uint8_t *f, uint32_t size, uint32_t i) {
  const uint32_t shoff = rd32(f + 32), shnum = rd16(f + 48);
  if (i >= shnum || rd16(f + 46) != 40 || (uint64_t)shoff + (uint64_t)(i + 1) * 40u > size) return 0;
  return f + shoff + 40u * i;
}

static int fail(const char **why, const char *what) {
  *why = what;
  return -1;
}

/* One RELA section whose target is loaded: apply it to the copy at `base`,
 * adding `add` to each absolute word (at load: add = base). */
static int apply(const uint8_t *f, uint32_t size, const uint8_t *rela, uint32_t base, uint32_t add, uint32_t span,
                 const char **why) {
  const uint32_t off = rd32(rela + 16), bytes = rd32(rela + 20);
  const uint8_t *symtab = section(f, size, rd32(rela + 24));
  if ((uint64_t)off + bytes > size || rd32(rela + 36) != 12 || !symtab) return fail(why, "malformed relocation section");
  const uint32_t sym_off = rd32(symtab + 16), sym_bytes = rd32(symtab + 20);
  if ((uint64_t)sym_off + sym_bytes > size) return fail(why, "malformed symbol table");
  for (uint32_t r = 0; r + 12 <= bytes; r += 12) {
    const uint8_t *e = f + off + r;
    const uint32_t where = rd32(e), info = rd32(e + 4), type = info & 0xff, sym = info >> 8;
    if (position_independent(type)) continue;
    if (type == R_HI20 || type == R_LO12_I || type == R_LO12_S)
      return fail(why, "absolute code address (lui/addi): build the kernel with -mcmodel=medany");
    if (type != R_32) return fail(why, "a relocation type that cannot be applied at load time");
    if ((uint64_t)sym * 16u + 16u > sym_bytes) return fail(why, "relocation names no symbol");
    if (sym && rd16(f + sym_off + sym * 16u + 14) == SHN_ABS) continue; /* an absolute value: stays */
    if ((where & 3) || (uint64_t)where + 4 > span) return fail(why, "relocation outside the kernel image");
    uint32_t *word = (uint32_t *)(uintptr_t)(base + where);
    *word += add;
  }
  return 0;
}

/* Does this RELA section hold a relocation that is not position-independent? */
static int has_absolute_words(const uint8_t *f, uint32_t size, const uint8_t *rela) {
  const uint32_t off = rd32(rela + 16), bytes = rd32(rela + 20);
  if ((uint64_t)off + bytes > size) return 1;
  for (uint32_t r = 0; r + 12 <= bytes; r += 12)
    if (!position_independent(rd32(f + off + r + 4) & 0xff)) return 1;
  return 0;
}

/* Every RELA section whose target is loaded; `moved`: only the read-only
 * targets (a writable one with an absolute word refuses the move). */
static int relocate(const void *file, uint32_t size, uint32_t base, uint32_t add, int moved, uint32_t span,
                    const char **why) {
  const uint8_t *f = file;
  if (size < 52) return fail(why, "not an ELF file");
  const uint32_t shnum = rd16(f + 48);
  if (shnum == 0 || !section(f, size, shnum - 1)) return fail(why, "no section headers (relocations are needed)");
  uint32_t applied = 0;
  for (int pass = moved ? 0 : 1; pass < 2; pass++) { /* a move: first check, then apply */
    for (uint32_t i = 0; i < shnum; i++) {
      const uint8_t *sh = section(f, size, i);
      if (rd32(sh + 4) != SHT_RELA) continue;
      const uint8_t *target = section(f, size, rd32(sh + 28));
      if (!target || !(rd32(target + 8) & SHF_ALLOC)) continue; /* debug sections */
      if (moved && (rd32(target + 8) & SHF_WRITE)) {
        if (has_absolute_words(f, size, sh)) return fail(why, "its writable data holds link-time addresses");
        continue;
      }
      if (pass == 0) continue;
      if (apply(f, size, sh, base, add, span, why)) return -1;
      applied++;
    }
  }
  /* linked with -q, the kernel's .text always carries relocations */
  return applied ? 0 : fail(why, "no relocations kept: link the kernel with -Wl,-q");
}

int kload_relocate(const void *file, uint32_t size, uint32_t base, uint32_t span, const char **why) {
  return relocate(file, size, base, base, 0, span, why);
}

int kload_rebase(const void *file, uint32_t size, uint32_t base, uint32_t delta, uint32_t span, const char **why) {
  return relocate(file, size, base, delta, 1, span, why);
}

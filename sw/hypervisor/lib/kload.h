/*
 * kload.h: guest kernels load anywhere (docs/software.md, "Guest kernels
 * load anywhere").
 *
 * One kernel ELF serves every VM: it is linked at 0 with its relocations kept
 * (ld -q) and its code is PC-relative (-mcmodel=medany). At boot the
 * hypervisor gives each VM a contiguous kernel region of TM_KSLOT_SIZE bytes
 * wherever RAM is free (kload_place), copies the kernel to the region's start
 * and adds the region's address to every absolute data word the relocations
 * name (kload_relocate). Example: a pointer table in .rodata holding 0x1a40
 * holds 0x80541a40 once the kernel is loaded at 0x80540000.
 */
#ifndef HV_KLOAD_H
#define HV_KLOAD_H

#include <stdint.h>

#include "memq.h"

/* Gives VM `id` the highest free range of TM_KSLOT_SIZE bytes in q (in RAM
 * [ram_base, ram_base + ram_size)), so that the VM's scattered memory, taken
 * from the lowest gaps, lies below its kernel region and vm_shrink can give
 * back from below it (memq_shrink_below). Returns the range's base, or 0 when
 * no free range is that large (q unchanged). Called for every VM before any
 * scattered memory is placed: the regions lie side by side at the top of RAM,
 * vm1's highest. */
uint32_t kload_place(struct memq *q, uint32_t id, uint32_t ram_base, uint32_t ram_size);

/* Applies the kernel ELF's kept relocations (file, size bytes) to the copy of
 * its image (linked at 0, `span` bytes) at physical `base`: R_RISCV_32 words
 * in loaded sections get `base` added (not those of absolute symbols);
 * PC-relative, gp-relative, tp-relative and label-difference relocations need
 * nothing. 0 on success; otherwise -1 and *why says what the image holds that
 * cannot be moved (e.g. "absolute code address (lui): build with
 * -mcmodel=medany") or what is malformed; nothing is guaranteed about the copy. */
int kload_relocate(const void *file, uint32_t size, uint32_t base, uint32_t span, const char **why);

/* A loaded kernel copy moved whole to `base` (from base - delta, a resume:
 * ckpt.c): adds delta to the absolute words of its read-only sections (text,
 * rodata: they hold what kload_relocate wrote, exactly). Its writable data is
 * the running kernel's to rebase (sys.h, TM_KENTRY_RESUME): a writable section
 * with an absolute relocation makes this fail ("its writable data holds
 * link-time addresses") before anything is changed in it. */
int kload_rebase(const void *file, uint32_t size, uint32_t base, uint32_t delta, uint32_t span, const char **why);

#endif /* HV_KLOAD_H */

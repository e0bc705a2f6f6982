/*
 * ckpt.h: VM checkpoint and resume. A VM is suspended into its image -- one
 * blob in the hypervisor's image store (memory V takes from the allocator
 * under owner HV_MAX_VMS + id) -- holding everything it is: registers, V's
 * mode stack and G's CSRs, scheduling and budget state, its console's
 * partial lines, its segment list and every byte of its segments (its guest
 * kernel, the kernel's processes and their PIDs), its open descriptors and
 * the messages queued for it. Its memory is then scrubbed and freed. A
 * checkpoint is taken only where the guest kernel holds no live frame (the
 * VM interrupted in U, or the kernel's own vm_checkpoint hypercall). Resume
 * checks the image, takes memory for each of its old segments whole -- at
 * the same place when that is free, else wherever it is -- copies everything
 * back, rebases the kernel's text and read-only data (kload_rebase) and
 * enters the kernel at its resume entry, which rebases the rest and
 * continues (trimode/sys.h, TM_KENTRY_RESUME; docs/software.md, "VM
 * checkpoint and resume").
 *
 * Image: the header of trimode/vmimage.h (magic "TMVI", version, length,
 * FNV-1a 32 checksum of the body), then the body (ckpt.c: put_state). The
 * checkpoint layer: uses the I/O, namespace and VM layers and the library.
 */
#ifndef HV_CKPT_H
#define HV_CKPT_H

#include <stdint.h>

#include "stream.h"
#include "trimode/vmimage.h"
#include "vm.h"

#define CKPT_MAGIC TM_VMIMAGE_MAGIC
#define CKPT_VERSION TM_VMIMAGE_VERSION
#define CKPT_HEADER_BYTES TM_VMIMAGE_HEADER_BYTES
#define CKPT_STORE_OWNER(id) TM_IMAGE_OWNER(id) /* the allocator owner of VM id's image (bootinfo.h: trimode names it too) */

/* v (its context saved in *v, READY or IDLE) goes into its image and becomes
 * VM_SUSPENDED until `resume_at`. 0, or why not (nothing changed). */
const char *ckpt_suspend(struct vm *v, uint64_t now, uint64_t resume_at);
/* v (VM_SUSPENDED) from its image: READY again, at its kernel's resume entry;
 * `move`: never where it was (the scenario's "move"). 0, or why not (v stays
 * suspended, its image kept). */
const char *ckpt_resume(struct vm *v, uint64_t now, int move);
/* v was just suspended by checkpoint `index` of the boot info, which says
 * "save": its image stays in the store to the end of the run, listed in the
 * boot info's saved[index] for trimode to write out; v is VM_SAVED. */
void ckpt_save_for_host(struct vm *v, uint32_t index);
/* At boot, after io_init: the VM cfg starts from its saved image (boot info
 * vm_image; vm_create left it suspended), anywhere in free memory, at its
 * kernel's resume entry. 0 (READY), -1 (it cannot: reported, the VM is
 * counted as not created), 1 (cfg does not start from an image). */
int ckpt_start(const struct tm_vm *cfg, uint64_t now);
/* Frees (scrubbed) the image of VM id, if any. */
void ckpt_drop(uint32_t id);
/* The image in these chunks: magic, version, length, checksum. 0 or why not;
 * *id = the VM it holds. */
const char *ckpt_check(const struct memq_seg *chunks, uint32_t n, uint32_t *id);

#endif /* HV_CKPT_H */

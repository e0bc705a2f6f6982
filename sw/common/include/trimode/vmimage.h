/*
 * vmimage.h: the header of a VM image (a checkpointed VM: sw/hypervisor/ckpt.h,
 * docs/software.md "VM checkpoint and resume"), shared by the hypervisor,
 * which writes and reads images, and trimode, which writes a saved one to a
 * host file and checks a file before starting a VM from it.
 *
 * Four u32 words, little-endian: magic "TMVI", version, length (bytes of the
 * whole image, this header included), checksum (FNV-1a 32 over the body's
 * little-endian u32 words, h = (h ^ word) * prime, a last partial word
 * zero-padded); then the body, whose layout only the hypervisor knows
 * (sw/hypervisor/ckpt.c, put_state) but for its first fields, which trimode
 * reads to check an image is the VM's it is given to (tools/scenario_loader):
 * at TM_VMIMAGE_ID_AT the VM's id (u32), at TM_VMIMAGE_NAME_AT its name
 * (TM_NAME_LEN bytes of bootinfo.h, NUL-padded), at TM_VMIMAGE_LIMITS_AT its
 * quotas and budgets (struct tm_limits of bootinfo.h, defaults filled in:
 * TM_VMIMAGE_LIMITS_WORDS u32 words), which a VM started from the image keeps
 * (its initial files are checked against them). Example: the image of VM 1
 * "vm1" holds 01 00 00 00 at byte 16, "vm1\0..." at byte 20 and its file
 * quota (limits.files) at byte 52.
 */
#ifndef TRIMODE_VMIMAGE_H
#define TRIMODE_VMIMAGE_H

#define TM_VMIMAGE_MAGIC 0x49564D54u   /* "TMVI" */
#define TM_VMIMAGE_VERSION 5u          /* 2: the kernel ELF's hash, resume anywhere, its own files; 3: its IPC keys; 4: checksum by words; 5: the limits after the name */
#define TM_VMIMAGE_HEADER_BYTES 16u
#define TM_VMIMAGE_FNV_BASIS 2166136261u
#define TM_VMIMAGE_FNV_PRIME 16777619u
#define TM_VMIMAGE_ID_AT TM_VMIMAGE_HEADER_BYTES /* the body's first field: the VM's id */
#define TM_VMIMAGE_NAME_AT (TM_VMIMAGE_ID_AT + 4u) /* then its name, TM_NAME_LEN bytes */
#define TM_VMIMAGE_LIMITS_AT (TM_VMIMAGE_NAME_AT + TM_NAME_LEN) /* then its struct tm_limits */
#define TM_VMIMAGE_LIMITS_WORDS 7u

#endif /* TRIMODE_VMIMAGE_H */

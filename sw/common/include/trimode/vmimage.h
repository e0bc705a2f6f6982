/*
 * vmimage.h: the header of a VM image (a checkpointed VM: sw/hypervisor/ckpt.h,
 * docs/software.md "VM checkpoint and resume"), shared by the hypervisor,
 * which writes and reads images, and trimode, which writes a saved one to a
 * host file and checks a file before starting a VM from it.
 *
 * Four u32 words, little-endian: magic "TMVI", version, length (bytes of the
 * whole image, this header included), checksum (FNV-1a 32 over the body's
 * little-endian u32 words, h = (h ^ word) * prime, a last partial word
 * zero-padded); then the body, whose layout only the hypervisor knows.
 */
#ifndef TRIMODE_VMIMAGE_H
#define TRIMODE_VMIMAGE_H

#define TM_VMIMAGE_MAGIC 0x49564D54u   /* "TMVI" */
#define TM_VMIMAGE_VERSION 4u          /* 2: the kernel ELF's hash, resume anywhere, its own files; 3: its IPC keys; 4: checksum by words */
#define TM_VMIMAGE_HEADER_BYTES 16u
#define TM_VMIMAGE_FNV_BASIS 2166136261u
#define TM_VMIMAGE_FNV_PRIME 16777619u

#endif /* TRIMODE_VMIMAGE_H */

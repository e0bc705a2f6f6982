/*
 * sys.h: the Trimode gates as C calls, for user programs (sw/lib), the guest
 * kernel (sw/kernel, hypercalls) and the layout contracts they share with the
 * hypervisor (sw/hypervisor). ABI: spec/abi.txt, docs/generated/abi.md —
 * number in a7, arguments in a0..a3, result in a0 (negative: -TM_E*).
 *
 *   long n = tm_vcall3(TM_SYS_WRITE, 1, (long)"hi\n", 3);   // U -> V
 *   long pid = tm_ecall0(TM_SYS_GETPID);                     // U -> G
 *   tm_vcall2(TM_SYS_CONSOLE, (long)buf, len);               // G -> V (hcall)
 */
#ifndef TRIMODE_SYS_H
#define TRIMODE_SYS_H

#include <stdint.h>

#include "trimode/limits.h"
#include "trimode/spec.h"

#define TM_GATE_ASM_ECALL ".insn i 0x73, 0, x0, x0, 0x000"
#define TM_GATE_ASM_VCALL ".insn i 0x73, 0, x0, x0, 0x002"

#define TM_DEFINE_GATE(gate, insn)                                                       \
  static inline long tm_##gate##4(long n, long a, long b, long c, long d) {             \
    register long a0 __asm__("a0") = a;                                                 \
    register long a1 __asm__("a1") = b;                                                 \
    register long a2 __asm__("a2") = c;                                                 \
    register long a3 __asm__("a3") = d;                                                 \
    register long a7 __asm__("a7") = n;                                                 \
    __asm__ volatile(insn : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory"); \
    return a0;                                                                          \
  }                                                                                     \
  static inline long tm_##gate##0(long n) { return tm_##gate##4(n, 0, 0, 0, 0); }       \
  static inline long tm_##gate##1(long n, long a) { return tm_##gate##4(n, a, 0, 0, 0); } \
  static inline long tm_##gate##2(long n, long a, long b) { return tm_##gate##4(n, a, b, 0, 0); } \
  static inline long tm_##gate##3(long n, long a, long b, long c) { return tm_##gate##4(n, a, b, c, 0); }

#ifdef __riscv /* a host build of hypervisor code (tests/fuzz) sees only the contracts */
TM_DEFINE_GATE(ecall, TM_GATE_ASM_ECALL)
TM_DEFINE_GATE(vcall, TM_GATE_ASM_VCALL)
#endif

/* ---- contracts between the hypervisor and the guest kernel ---------------- */

/* The kernel region: one guest kernel ELF (kernel.elf, linked at 0 with its
 * relocations kept) serves every VM. The hypervisor gives each VM one
 * contiguous region of TM_KSLOT_SIZE bytes wherever RAM is free, copies the
 * kernel to its start, relocates it there and copies the VM's program ELFs
 * after it; the kernel finds its region's start as the address of _kstart
 * (PC-relative). See docs/software.md, "Guest kernels load anywhere". */
#define TM_KSLOT_SIZE TM_LIMIT_KERNEL_BYTES

/* vm_info(buf) fills buf (physical, in the VM's segments, TM_VM_INFO_WORDS
 * words) with:
 *   [0] VM id   [1] nseg   [2 + 2i] base_i  [3 + 2i] size_i   (i < nseg)
 *   then at p = 2 + 2*nseg:  [p] nprog, [p+1+2j] addr_j, [p+2+2j] size_j
 *   (program j's ELF, its loadable prefix, copied by V into the kernel slot),
 *   then [p+1+2*nprog] n_start: how many programs to start at boot,
 *   then [p+2+2*nprog] flags: TM_VM_FLAG_TEST_HOOKS when the scenario opens the test hook.
 * Returns nseg. */
#define TM_VM_INFO_MAX_SEGS TM_LIMIT_SEGMENTS
#define TM_VM_INFO_MAX_PROGS TM_LIMIT_PROGRAMS
#define TM_VM_INFO_WORDS (2u + 2u * TM_VM_INFO_MAX_SEGS + 1u + 2u * TM_VM_INFO_MAX_PROGS + 1u + 1u)
#define TM_VM_FLAG_TEST_HOOKS 1u

/* Resume after a checkpoint (docs/software.md, "VM checkpoint and resume"):
 * the hypervisor may put a resumed VM's memory anywhere (each segment the VM
 * held moves whole to a new place, maybe the same one). It never continues
 * the old context directly: it enters the kernel at kernel-region offset
 * TM_KENTRY_RESUME (the region's second word; the first is the boot entry),
 * in G, a0 = VM id, text and read-only data already relocated. The kernel
 * then calls vm_moved(buf), rebases what it holds in writable memory (its
 * own pointers, its processes' bases, gtvec, gscratch) and continues the
 * interrupted context. A checkpoint is only taken where the kernel holds no
 * live frame: the VM interrupted in U (mode U: pc and x0..x31 are that
 * process's, U addresses, unchanged), or the kernel's own vm_checkpoint
 * hypercall (mode G: the call returns 0, nothing else is pending). Writable
 * kernel data must hold no link-time addresses (relocations): the
 * hypervisor refuses to move a kernel that has them.
 * vm_moved(buf) fills buf (physical, in the VM's segments, TM_MOVED_WORDS):
 *   [0] mode (TM_MODE_U or TM_MODE_G)  [1] pc  [2 + r] x_r (r < 32)
 *   [34] n  [35 + 3i] old base_i  [36 + 3i] new base_i  [37 + 3i] size_i
 * Every address of the VM's old memory lies in exactly one old range. */
#define TM_KENTRY_RESUME 4u
#define TM_MOVED_MAX TM_LIMIT_SEGMENTS
#define TM_MOVED_WORDS (35u + 3u * TM_MOVED_MAX)

/* A guest-kernel test hook (fault injection, not part of the ABI proper): a
 * U program asks its kernel to misbehave in G as a compromised kernel would,
 * to show that the hypervisor contains it. ecall(TM_KSYS_EVIL_G, op).
 * Closed (-TM_ENOSYS, like any unknown call) unless the scenario sets
 * "test_hooks": true, which only the containment tests do. */
#define TM_KSYS_EVIL_G 100
#define TM_EVIL_SEGTABLE 1  /* csrw vsegsel/vsegbase/vsegsize from G */
#define TM_EVIL_PEEK 2      /* load from a neighbouring VM's kernel region */
#define TM_EVIL_JUMP_HV 3   /* jump into the hypervisor's memory */
#define TM_EVIL_UART 4      /* store to the UART */
#define TM_EVIL_POKE 5      /* store into a neighbouring VM's kernel region */
#define TM_EVIL_SPIN 6      /* loop forever in G (never yields, never ends) */
#define TM_EVIL_IDLE 7      /* wait for interrupts forever with a virtual timer set (never ends) */

/* Messages: at most this many bytes each (longer sends: -TM_EINVAL). */
#define TM_MSG_MAX TM_LIMIT_MESSAGE_BYTES
/* Files: at most this many bytes each. */
#define TM_FILE_MAX TM_LIMIT_FILE_BYTES

#endif /* TRIMODE_SYS_H */

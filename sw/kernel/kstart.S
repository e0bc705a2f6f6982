/*
 * kstart.S: the guest kernel's entry and trap vector (G).
 *
 * _kstart: entered by the hypervisor in G with a0 = VM id; sets gp, tp and
 * the boot stack, zeroes .bss, calls kmain(id). _kstart + 4 (TM_KENTRY_RESUME):
 * entered after a resume from a checkpoint; calls kresume(id).
 * k_vector: gscratch holds the top of the kernel's trap stack while U runs.
 * Swaps sp with gscratch, saves x1..x31 in a 32-word frame (frame[2] = the
 * interrupted sp), calls k_trap(frame), restores the frame (which may now
 * hold another process) and leaves by exit. k_enter(frame) starts the first
 * process through the same restore path.
 */
#include "trimode/spec.h"
#include "trimode/trap_frame.inc"

/* gp, tp and the boot stack from where the kernel runs now (a0 kept). */
.macro kernel_regs
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	la	sp, __kboot_stack_top
.endm

	.section .text.kstart, "ax", @progbits
	.globl _kstart
_kstart:
	j	k_boot		/* +0: boot */
	j	k_resume	/* +4 = TM_KENTRY_RESUME (sys.h): after a resume */
k_boot:
	kernel_regs
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sw	zero, 0(t0)
	addi	t0, t0, 4
	j	1b
2:	call	kmain
3:	j	3b

/* V resumed this VM, maybe elsewhere: a0 = VM id, the trap stack holds no
 * frame (a checkpoint is taken only then); gp, tp and the boot stack from
 * where the kernel runs now, then kresume(id), which never returns. */
k_resume:
	kernel_regs
	call	kresume
4:	j	4b

	.text
	.balign 4
	.globl k_vector
k_vector:
	TM_SAVE_FRAME TM_CSR_GSCRATCH
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	mv	a0, sp
	call	k_trap
k_restore:
	TM_RESTORE_FRAME_AND_EXIT

	.globl k_enter
k_enter:
	mv	sp, a0
	j	k_restore

/*
 * kstart.S: the guest kernel's entry and trap vector (G).
 *
 * _kstart: entered by the hypervisor in G with a0 = VM id; sets gp, tp and
 * the boot stack, zeroes .bss, calls kmain(id).
 * k_vector: gscratch holds the top of the kernel's trap stack while U runs.
 * Swaps sp with gscratch, saves x1..x31 in a 32-word frame (frame[2] = the
 * interrupted sp), calls k_trap(frame), restores the frame (which may now
 * hold another process) and leaves by exit. k_enter(frame) starts the first
 * process through the same restore path.
 */
#include "trimode/spec.h"
#include "trimode/trap_frame.inc"

	.section .text.kstart, "ax", @progbits
	.globl _kstart
_kstart:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	la	sp, __kboot_stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sw	zero, 0(t0)
	addi	t0, t0, 4
	j	1b
2:	call	kmain
3:	j	3b

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

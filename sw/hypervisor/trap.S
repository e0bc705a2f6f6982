/*
 * trap.S: the hypervisor's trap vector.
 *
 * vscratch holds the top of V's trap stack while a VM runs. Entry swaps sp
 * with vscratch, saves x1..x31 in a 32-word frame at top - 128 (frame[2] =
 * the interrupted sp), calls hv_trap(frame) — which may replace the whole
 * frame with another VM's registers on a switch — restores every register
 * from the frame and leaves by exit (to vepc, in vstatus.pm).
 * hv_enter(frame) starts the first VM through the same restore path.
 */
#include "trimode/spec.h"

	.section .text.hv_vector, "ax", @progbits
	.balign 4
	.globl hv_vector
hv_vector:
	csrrw	sp, TM_CSR_VSCRATCH, sp
	addi	sp, sp, -128
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sw	x\r, (\r*4)(sp)
	.endr
	csrr	t0, TM_CSR_VSCRATCH
	sw	t0, 8(sp)
	addi	t0, sp, 128
	csrw	TM_CSR_VSCRATCH, t0
	.option push
	.option norelax
	la	gp, __global_pointer$    /* the guest's gp and tp are not ours */
	.option pop
	la	tp, __tls_base           /* picolibc's errno lives at tp */
	mv	a0, sp
	call	hv_trap
hv_restore:
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	lw	x\r, (\r*4)(sp)
	.endr
	lw	sp, 8(sp)
	.insn i 0x73, 0, x0, x0, 0x302   /* exit */

	.globl hv_enter
hv_enter:                            /* a0 = frame = vscratch - 128 */
	mv	sp, a0
	j	hv_restore

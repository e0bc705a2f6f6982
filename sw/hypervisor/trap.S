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
#include "trimode/trap_frame.inc"

	.section .text.hv_vector, "ax", @progbits
	.balign 4
	.globl hv_vector
hv_vector:
	TM_SAVE_FRAME TM_CSR_VSCRATCH
	.option push
	.option norelax
	la	gp, __global_pointer$    /* the guest's gp and tp are not ours */
	.option pop
	la	tp, __tls_base           /* picolibc's errno lives at tp */
	mv	a0, sp
	call	hv_trap
hv_restore:
	TM_RESTORE_FRAME_AND_EXIT

	.globl hv_enter
hv_enter:                            /* a0 = frame = vscratch - 128 */
	mv	sp, a0
	j	hv_restore

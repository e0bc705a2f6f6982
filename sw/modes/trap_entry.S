/*
 * trap_entry.S: trap vectors for V and G in bare-metal three-mode programs.
 *
 * Contract: <mode>scratch holds the top of that mode's handler stack while the
 * mode is not handling a trap. Entry swaps sp with scratch, saves x1..x31 in a
 * 32-word frame (frame[2] = the interrupted sp), calls
 * v_trap(uint32_t *frame) / g_trap(uint32_t *frame), restores the frame (the
 * handler may change it, e.g. to emulate an instruction) and leaves by exit.
 */
#include "trimode/spec.h"

#define EXIT .insn i 0x73, 0, x0, x0, 0x302

.macro TRAP_ENTRY scratch, handler
	csrrw	sp, \scratch, sp
	addi	sp, sp, -128
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sw	x\r, (\r*4)(sp)
	.endr
	csrr	t0, \scratch          /* the interrupted sp */
	sw	t0, 8(sp)
	addi	t0, sp, 128
	csrw	\scratch, t0          /* scratch = stack top again */
	mv	a0, sp
	call	\handler
	.irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	lw	x\r, (\r*4)(sp)
	.endr
	lw	sp, 8(sp)
	EXIT
.endm

	.section .text.trap, "ax", @progbits
	.balign 4
	.globl v_vector
v_vector:
	TRAP_ENTRY TM_CSR_VSCRATCH, v_trap

	.balign 4
	.globl g_vector
g_vector:
	TRAP_ENTRY TM_CSR_GSCRATCH, g_trap

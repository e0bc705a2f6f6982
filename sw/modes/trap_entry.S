/*
 * trap_entry.S: trap vectors for V and G in bare-metal three-mode programs.
 *
 * Contract (trimode/trap_frame.inc): <mode>scratch holds the top of that
 * mode's handler stack while the mode is not handling a trap. Entry saves
 * x1..x31 in a 32-word frame, calls v_trap(uint32_t *frame) /
 * g_trap(uint32_t *frame), restores the frame (the handler may change it, e.g.
 * to emulate an instruction) and leaves by exit.
 */
#include "trimode/spec.h"
#include "trimode/trap_frame.inc"

.macro TRAP_ENTRY scratch, handler
	TM_SAVE_FRAME \scratch
	mv	a0, sp
	call	\handler
	TM_RESTORE_FRAME_AND_EXIT
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

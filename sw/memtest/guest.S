/*
 * guest.S: position-independent guest code that V copies into a VM's segments.
 *
 * g_touch (runs in G):  a0/a1 = base/size of data segment 1, a2/a3 = data
 *   segment 2, a4/a5 = the code segment, a6 = an address outside the VM, a7 = a
 *   pattern byte. Writes pattern ^ (addr & 0xff) to every byte of both data
 *   segments, reads them back (vcall with a0 = 1 on a mismatch), reads every
 *   byte of the code segment, then loads the byte at a6, which must fault to V.
 *
 * g_user (runs in G): a0 = physical base for the U process, a1 = its bound.
 *   Copies nothing: u_touch has already been placed at a0 by V. Sets gtvec to
 *   its own handler, gbase/gbound, enters U at U address 0. The handler
 *   reports gcause/gtval to V with vcall (a0 = cause, a1 = tval, a2 = 2).
 *
 * u_touch (runs in U, at U address 0): a1 = bound; loads the last byte below
 *   the bound (fine), then the byte at the bound (faults to G).
 */
#include "trimode/spec.h"

#define EXIT .insn i 0x73, 0, x0, x0, 0x302
#define VCALL .insn i 0x73, 0, x0, x0, 0x002

	.section .rodata.guest, "a", @progbits
	.balign 4
	.globl g_touch_start, g_touch_end
g_touch_start:
	mv	t0, a0
	add	t1, a0, a1
1:	bgeu	t0, t1, 2f
	andi	t2, t0, 0xff
	xor	t2, t2, a7
	sb	t2, 0(t0)
	addi	t0, t0, 1
	j	1b
2:	mv	t0, a2
	add	t1, a2, a3
3:	bgeu	t0, t1, 4f
	andi	t2, t0, 0xff
	xor	t2, t2, a7
	sb	t2, 0(t0)
	addi	t0, t0, 1
	j	3b
4:	mv	t0, a0                  /* read back segment 1 */
	add	t1, a0, a1
5:	bgeu	t0, t1, 6f
	lbu	t2, 0(t0)
	andi	t3, t0, 0xff
	xor	t3, t3, a7
	bne	t2, t3, 9f
	addi	t0, t0, 1
	j	5b
6:	mv	t0, a2                  /* read back segment 2 */
	add	t1, a2, a3
7:	bgeu	t0, t1, 8f
	lbu	t2, 0(t0)
	andi	t3, t0, 0xff
	xor	t3, t3, a7
	bne	t2, t3, 9f
	addi	t0, t0, 1
	j	7b
8:	mv	t0, a4                  /* read every byte of the code segment */
	add	t1, a4, a5
10:	bgeu	t0, t1, 11f
	lbu	t2, 0(t0)
	addi	t0, t0, 1
	j	10b
11:	lbu	t2, 0(a6)               /* one byte outside: faults to V */
	li	a0, 3
	VCALL
9:	li	a0, 1
	VCALL
g_touch_end:

	.balign 4
	.globl g_user_start, g_user_end
g_user_start:
	lla	t0, g_handler           /* pc-relative: still right once copied */
	csrw	TM_CSR_GTVEC, t0
	csrw	TM_CSR_GBASE, a0
	csrw	TM_CSR_GBOUND, a1
	csrw	TM_CSR_GSTATUS, zero    /* previous mode U */
	csrw	TM_CSR_GEPC, zero       /* U address 0 */
	EXIT
	.balign 4
g_handler:
	csrr	a0, TM_CSR_GCAUSE
	csrr	a1, TM_CSR_GTVAL
	li	a2, 2
	VCALL
g_user_end:

	.balign 4
	.globl u_touch_start, u_touch_end
u_touch_start:
	addi	t0, a1, -1
	lbu	t1, 0(t0)               /* last byte inside the bound */
	lbu	t1, 0(a1)               /* one past: faults to G */
	j	.
u_touch_end:

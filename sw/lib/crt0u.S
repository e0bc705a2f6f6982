/*
 * crt0u.S: entry of a U program. The kernel starts it at _start with sp at
 * the top of its stack (U addresses); this sets gp and tp (picolibc's errno
 * is thread-local), zeroes .bss, runs main(0, NULL) and exit()s with its value.
 */
	.section .text.init.enter, "ax", @progbits
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sw	zero, 0(t0)
	addi	t0, t0, 4
	j	1b
2:	li	a0, 0
	li	a1, 0
	call	main
	call	exit
3:	j	3b

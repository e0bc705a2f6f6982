/*
 * crt0.S: the entry of every sw/ program.
 *
 * Contract: the loader (trimode, or QEMU virt with -bios none) places the ELF
 * in RAM and starts the hart at _start = 0x80000000 in its highest mode, with
 * no other state assumed. _start sets gp (for linker relaxation), sp (top of
 * the image's own stack, see trimode.ld), tp (the single thread's TLS block,
 * which picolibc's errno lives in), zeroes .tbss and .bss, calls
 * main(0, NULL) and passes its return value to exit(), which flushes stdio
 * and ends in _exit() -> the finisher (finisher.c).
 * .data needs no copy: the ELF is loaded straight into RAM (VMA == LMA).
 */
	.section .text.init.enter, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax          /* gp is not set yet: do not relax this la */
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack_top
	la	tp, __tls_base

	la	t0, __bss_start      /* .tbss and .bss, word aligned by trimode.ld */
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sw	zero, 0(t0)
	addi	t0, t0, 4
	j	1b
2:
	li	a0, 0                /* argc */
	li	a1, 0                /* argv */
	call	main
	call	exit
3:	j	3b                   /* exit() does not return */
	.size _start, . - _start

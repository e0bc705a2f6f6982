# A minimal bare-metal RV32IM program for the loader test: code at _start,
# HTIF-style tohost/fromhost words, one initialized and one zeroed object.
  .text
  .globl _start
  .type _start, @function
_start:
  la t0, counter
  lw t1, 0(t0)
  addi t1, t1, 1
  sw t1, 0(t0)
  la t0, tohost
  li t1, 1
  sw t1, 0(t0)
1: j 1b
  .size _start, . - _start

  .data
  .globl counter
  .type counter, @object
counter: .word 41
  .size counter, 4

  .section .tohost, "aw", @progbits
  .balign 8
  .globl tohost
  .type tohost, @object
tohost: .dword 0
  .size tohost, 8
  .globl fromhost
  .type fromhost, @object
fromhost: .dword 0
  .size fromhost, 8

  .bss
  .globl scratch
  .type scratch, @object
scratch: .zero 256
  .size scratch, 256

# One bare-metal program, built and linked several ways for the ELF cases of
# docs/elf-loading.md (tests/tools/elf_loader/CMakeLists.txt). Prints "elf case ok" on
# the UART and passes through the finisher, as on QEMU virt.
#   -DMISALIGNED  first stores and loads words and halves at odd addresses and
#                 checks the values (fails with code 1 if one is wrong)
#   -DREAL_RVC    starts with two compressed instructions (c.nop)
#   -DNO_RVC      with -march=rv32imc: the file is flagged RVC (EF_RISCV_RVC),
#                 but the assembler emits no compressed instruction
#   -DM_CSR       first reads mhartid, an M-mode CSR QEMU has and trimode has not
#   -DU_CSR       first reads CSR 0x8ff, a user-level custom number neither has
#   -DLATE_ENTRY  code before _start at the RAM base that fails with code 2: the
#                 entry point is after it (QEMU virt starts at the RAM base anyway)
#ifdef NO_RVC
  .option norvc
#endif
  .text
#ifdef LATE_ENTRY
early:
  li t1, 0x100000         # finisher
  li t2, 0x23333          # fail, code 2
  sw t2, 0(t1)
  j early
#endif
  .globl _start
  .type _start, @function
_start:
#ifdef M_CSR
  csrr t0, mhartid
#endif
#ifdef U_CSR
  csrr t0, 0x8ff
#endif
#ifdef REAL_RVC
  .option push
  .option rvc
  c.nop
  c.nop
  .option pop
#endif
#ifdef MISALIGNED
  la t0, buf
  li t1, 0x11223344
  sw t1, 1(t0)            # word at an odd address
  lw t2, 1(t0)
  bne t1, t2, fail
  lbu t3, 1(t0)           # little-endian: the low byte first
  li t4, 0x44
  bne t3, t4, fail
  li t1, -2               # 0xfffe
  sh t1, 7(t0)            # half at an odd address
  lh t2, 7(t0)            # sign-extended
  bne t1, t2, fail
  lhu t2, 7(t0)           # zero-extended
  li t4, 0xfffe
  bne t2, t4, fail
  lw t2, 6(t0)            # word at 2 mod 4, spanning the half and its neighbours
  li t4, 0x00fffe00
  bne t2, t4, fail
#endif
  la t0, msg
  li t1, 0x10000000       # UART THR
1:
  lbu t2, 0(t0)
  beqz t2, 2f
  sb t2, 0(t1)
  addi t0, t0, 1
  j 1b
2:
  li t1, 0x100000         # finisher
  li t2, 0x5555           # pass
  sw t2, 0(t1)
3:
  j 3b
fail:
  li t1, 0x100000
  li t2, 0x13333          # fail, code 1
  sw t2, 0(t1)
  j fail
  .size _start, . - _start
msg:
  .asciz "elf case ok\n"

  .data
  .balign 4
buf:
  .zero 16

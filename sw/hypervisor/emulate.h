/*
 * emulate.h: which trapped instructions the hypervisor emulates, as pure
 * functions of the instruction word. Shared by the hypervisor (main.c) and
 * its host test against the spec table (tests/classifier/test_time_forms.cpp),
 * which checks that these are exactly the kind-1 forms the classifier sends
 * to V from U and G.
 */
#ifndef HV_EMULATE_H
#define HV_EMULATE_H

#include <stdint.h>

#include "trimode/spec.h"

/* The CSR (TM_CSR_TIME or TM_CSR_TIMEH) when insn reads it by a read form of
 * a read-only CSR (spec/csrs.txt, access ro): csrrs and csrrc with rs1 = x0,
 * csrrsi and csrrci with zimm = 0 (funct3 2, 3, 6, 7; bits 19..15 zero).
 * 0 otherwise: the write forms are illegal and never reach V as kind 1. */
static inline uint32_t hv_time_read(uint32_t insn) {
  /* Fields and funct3 values generated from spec/opcodes.txt (spec.h). */
  const uint32_t csr = TM_INSN_CSR(insn), f3 = TM_INSN_FUNCT3(insn), rs1 = TM_INSN_RS1(insn);
  if (TM_INSN_OPCODE(insn) != TM_OPCODE_SYSTEM ||
      (f3 != TM_FUNCT3_CSRRS && f3 != TM_FUNCT3_CSRRC && f3 != TM_FUNCT3_CSRRSI && f3 != TM_FUNCT3_CSRRCI) || rs1 != 0)
    return 0;
  return csr == TM_CSR_TIME || csr == TM_CSR_TIMEH ? csr : 0;
}

#endif /* HV_EMULATE_H */

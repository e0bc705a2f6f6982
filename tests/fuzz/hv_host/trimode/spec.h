/*
 * Host build of hypervisor code (tests/fuzz/fuzz_hv.c): the generated
 * trimode/spec.h, then its CSR instructions routed to the harness's CSR file
 * and RAM moved to a host address below ASan's shadow (a 64-bit host cannot
 * map 0x80000000 under ASan). Nothing else differs from the RV32 build.
 */
#ifndef TRIMODE_HOST_SPEC_H
#define TRIMODE_HOST_SPEC_H

#include_next <trimode/spec.h>

#include <stdint.h>

uint32_t hv_host_csr_read(unsigned csr);
void hv_host_csr_write(unsigned csr, uint32_t value);
void hv_host_insn(uint32_t insn); /* ecall, wfi, ...: the harness records them */

#undef TM_CSR_READ
#undef TM_CSR_WRITE
#undef TM_CSR_SET
#undef TM_CSR_CLEAR
#define TM_CSR_READ(csr) hv_host_csr_read(csr)
#define TM_CSR_WRITE(csr, val) hv_host_csr_write(csr, (uint32_t)(val))
#define TM_CSR_SET(csr, val) hv_host_csr_write(csr, hv_host_csr_read(csr) | (uint32_t)(val))
#define TM_CSR_CLEAR(csr, val) hv_host_csr_write(csr, hv_host_csr_read(csr) & ~(uint32_t)(val))

#undef TM_ECALL
#undef TM_EBREAK
#undef TM_VCALL
#undef TM_EXIT
#undef TM_WFI
#define TM_ECALL() hv_host_insn(TM_INSN_ECALL)
#define TM_EBREAK() hv_host_insn(TM_INSN_EBREAK)
#define TM_VCALL() hv_host_insn(TM_INSN_VCALL)
#define TM_EXIT() hv_host_insn(TM_INSN_EXIT)
#define TM_WFI() hv_host_insn(TM_INSN_WFI)

#ifndef TM_HOST_RAM_BASE /* from hv_host.cmake */
#error "TM_HOST_RAM_BASE: build through tests/fuzz/hv_host/hv_host.cmake"
#endif
#define TM_HOST_RAM_SIZE 0x02000000u /* 32 MiB: kernel slots 1..4 and room to grow */
#undef TM_RAM_BASE
#define TM_RAM_BASE TM_HOST_RAM_BASE

#endif /* TRIMODE_HOST_SPEC_H */

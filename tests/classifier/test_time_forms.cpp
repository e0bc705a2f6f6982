// The hypervisor emulates exactly the kind-1 reads of time/timeh: for every
// CSR instruction form on time and timeh (funct3, rs1/zimm, rd), the classifier
// (spec table) sends it to V as a sensitive instruction from U and from G if
// and only if sw/hypervisor/emulate.h's hv_time_read() accepts it.
#include <gtest/gtest.h>

#include "models/classifier/classifier.hpp"

extern "C" {
#include "emulate.h"
}

namespace trimode {
namespace {

bool sent_to_v_as_sensitive(uint32_t insn, spec::Mode mode) {
  const Decision d = classify_insn(insn, mode);
  return d.kind == 1 && d.action == spec::Action::kTrap && d.target == spec::Mode::V &&
         d.cause == spec::kCauseSensitiveInsn;
}

TEST(TimeForms, HypervisorEmulatesExactlyTheKind1Reads) {
  int emulated = 0;
  for (uint32_t csr : {uint32_t{TM_CSR_TIME}, uint32_t{TM_CSR_TIMEH}}) {
    for (uint32_t f3 : {1u, 2u, 3u, 5u, 6u, 7u}) {  // csrrw csrrs csrrc csrrwi csrrsi csrrci
      for (uint32_t rs1 = 0; rs1 < 32; ++rs1) {
        for (uint32_t rd : {0u, 10u}) {
          const uint32_t insn = csr << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x73;
          const bool hv = hv_time_read(insn) == csr;
          for (spec::Mode mode : {spec::Mode::U, spec::Mode::G}) {
            EXPECT_EQ(sent_to_v_as_sensitive(insn, mode), hv)
                << std::hex << "insn 0x" << insn << " in " << mode_name(mode);
          }
          emulated += hv;
        }
      }
    }
  }
  EXPECT_EQ(emulated, 2 * 4 * 2) << "2 CSRs x 4 read forms (csrrs, csrrc, csrrsi, csrrci) x 2 rd";
}

}  // namespace
}  // namespace trimode

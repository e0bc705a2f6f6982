// The co-simulation wrapper alone: the Verilated RTL answers like the
// reference, reports its latency, and a disagreement becomes one FAILURE line.
#include <gtest/gtest.h>

#include "testbench/cosim/rtl_cosim.hpp"
#include "tests/core/rv_asm.hpp"
#include "tests/tlm/harness.hpp"

namespace trimode {
namespace {

using spec::Mode;
RtlCosim* cosim;

TEST(RtlCosim, LatencyIsOneCycle) { EXPECT_EQ(cosim->latency(), 1u); }

TEST(RtlCosim, AgreesWithTheReferenceOnTheGatesInEveryMode) {
  const uint32_t words[] = {test::rv::kEcall, test::rv::kVcall, test::rv::kExit, test::rv::kWfi, test::rv::kNop,
                            test::rv::csrrw(1, spec::kCsrVmid, 2), 0xFFFFFFFF};
  for (uint32_t w : words) {
    for (Mode m : {Mode::U, Mode::G, Mode::V}) {
      Decision d = classify(w, m);
      const Decision ref = d;
      std::string failure;
      ASSERT_TRUE(cosim->decide(w, m, {}, 0x80000000, &d, &failure)) << failure;
      EXPECT_EQ(d, ref);
    }
  }
}

TEST(RtlCosim, AgreesOnInterrupts) {
  IrqLines irq{true, true, false, true};
  Decision d = classify(test::rv::kNop, Mode::G, irq);
  std::string failure;
  ASSERT_TRUE(cosim->decide(test::rv::kNop, Mode::G, irq, 0x80000000, &d, &failure)) << failure;
  EXPECT_EQ(d.cause, spec::kCauseIrqTimer);
}

TEST(RtlCosim, ADisagreementIsOneFailureLineWithBothDecisions) {
  Decision wrong = classify(test::rv::kEcall, Mode::U);
  wrong.cause = spec::kCauseVcallU;  // not what the RTL (or the table) says
  std::string failure;
  EXPECT_FALSE(cosim->decide(test::rv::kEcall, Mode::U, {}, 0x80001234, &wrong, &failure));
  EXPECT_EQ(failure.rfind("FAILURE:", 0), 0u) << failure;
  EXPECT_NE(failure.find("pc 0x80001234"), std::string::npos) << failure;
  EXPECT_NE(failure.find("insn 0x00000073"), std::string::npos) << failure;
  EXPECT_NE(failure.find("mode U"), std::string::npos) << failure;
  EXPECT_NE(failure.find("rtl {kind 2 trap -> G (ecall_u)"), std::string::npos) << failure;
  EXPECT_NE(failure.find("ref {kind 2 trap -> G (vcall_u)"), std::string::npos) << failure;
  EXPECT_EQ(failure.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace trimode

int sc_main(int argc, char** argv) {
  return trimode::tlm_::test::run_tests_in_systemc(argc, argv, [] { trimode::cosim = new trimode::RtlCosim("rtl"); });
}

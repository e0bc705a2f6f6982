// The mode register's state alone: entry, exit, the enable stack, WARL fields.
#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "models/modereg/mode_state.hpp"

namespace trimode {
namespace {

using spec::Mode;

TEST(ModeState, ResetsInVWithInterruptsOff) {
  ModeState s;
  EXPECT_EQ(s.mode(), Mode::V);
  EXPECT_FALSE(s.frame(Mode::V).ie);
}

TEST(ModeState, SeedChainSavesAndRestoresEachLevel) {
  ModeState s;
  s.csr_write(spec::kCsrGtvec, 0x100);
  s.csr_write(spec::kCsrVtvec, 0x200);
  s.csr_write(spec::kCsrVstatus, 0);  // pm = U
  s.csr_write(spec::kCsrVepc, 0x1000);
  EXPECT_EQ(s.exit(0x0), 0x1000u);
  EXPECT_EQ(s.mode(), Mode::U);
  EXPECT_EQ(s.enter(Mode::G, 2, spec::kCauseEcallU, 0, 0x1004), 0x100u);  // U -> G
  EXPECT_EQ(s.enter(Mode::V, 1, spec::kCauseSensitiveInsn, 0, 0x108), 0x200u);  // G -> V
  EXPECT_EQ(s.frame(Mode::V).pm, Mode::G);
  EXPECT_EQ(s.frame(Mode::G).pm, Mode::U);
  EXPECT_EQ(s.exit(0x204), 0x108u);  // V -> G
  EXPECT_EQ(s.mode(), Mode::G);
  EXPECT_EQ(s.exit(0x10C), 0x1004u);  // G -> U
  EXPECT_EQ(s.mode(), Mode::U);
  EXPECT_EQ(s.transitions(Mode::U, Mode::G), 1u);
  EXPECT_EQ(s.transitions(Mode::G, Mode::V), 1u);
  EXPECT_EQ(s.transitions(Mode::V, Mode::G), 1u);
  EXPECT_EQ(s.transitions(Mode::G, Mode::U), 1u);
  EXPECT_EQ(s.traps_of_kind(2), 1u);
  EXPECT_EQ(s.traps_of_kind(1), 1u);
}

TEST(ModeState, InterruptEnableStack) {
  ModeState s;
  s.csr_write(spec::kCsrGstatus, spec::kGstatusIeMask);
  // exit sets ie from pie: V keeps its interrupts on across the exit to G.
  s.csr_write(spec::kCsrVstatus, spec::kVstatusPieMask | (1u << spec::kVstatusPmShift));
  s.exit(0);
  EXPECT_TRUE(s.frame(Mode::V).ie);
  s.enter(Mode::V, 0, spec::kCauseIrqTimer, 0, 0x40);
  EXPECT_FALSE(s.frame(Mode::V).ie);
  EXPECT_TRUE(s.frame(Mode::V).pie);
  EXPECT_TRUE(s.frame(Mode::G).ie) << "a trap to V leaves G's enable alone";
  s.exit(0);
  EXPECT_TRUE(s.frame(Mode::V).ie);
  EXPECT_TRUE(s.frame(Mode::V).pie);
}

TEST(ModeState, StatusPreviousModeIsWarl) {
  ModeState s;
  s.csr_write(spec::kCsrGstatus, 3u << spec::kGstatusPmShift);
  EXPECT_EQ(s.frame(Mode::G).pm, Mode::G);
  s.csr_write(spec::kCsrVstatus, 3u << spec::kVstatusPmShift);
  EXPECT_EQ(s.frame(Mode::V).pm, Mode::V);
}

TEST(ModeState, TrapVectorsAndEpcsAreWordAligned) {
  ModeState s;
  s.csr_write(spec::kCsrGtvec, 0x103);
  s.csr_write(spec::kCsrVepc, 0x207);
  uint32_t v;
  s.csr_read(spec::kCsrGtvec, &v);
  EXPECT_EQ(v, 0x100u);
  s.csr_read(spec::kCsrVepc, &v);
  EXPECT_EQ(v, 0x204u);
}

TEST(ModeState, TimerLineIsGatedByTimerEnable) {
  ModeState s;
  s.set_timer_line(true);
  EXPECT_FALSE(s.irq_lines().timer_pending);
  s.csr_write(spec::kCsrVtimectl, spec::kVtimectlTeMask);
  EXPECT_TRUE(s.irq_lines().timer_pending);
  uint32_t v;
  s.csr_read(spec::kCsrVtimectl, &v);
  EXPECT_EQ(v, spec::kVtimectlTeMask | spec::kVtimectlTpMask);
}

TEST(ModeState, InjectionSetsAndGAcknowledges) {
  ModeState s;
  s.csr_write(spec::kCsrVinject, 1);
  EXPECT_TRUE(s.irq_lines().virtual_pending);
  s.csr_write(spec::kCsrGip, 0);
  EXPECT_FALSE(s.irq_lines().virtual_pending);
}

TEST(ModeState, ForeignCsrsAreRefused) {
  ModeState s;
  uint32_t v;
  EXPECT_FALSE(s.csr_read(spec::kCsrVmid, &v));
  EXPECT_FALSE(s.csr_write(spec::kCsrGbase, 1));
}

// The lines and the mode the core reads in place (irq_lines_source(),
// mode_source(), the status words storage() gives) follow every
// operation that changes them: random CSR writes, timer line changes, trap
// entries, exits, checkpoint restores and resets, each checked against the
// lines computed from the state's visible registers.
TEST(ModeState, TheLinesReadInPlaceFollowEveryChange) {
  ModeState s;
  const IrqLines* lines = s.irq_lines_source();
  ASSERT_NE(lines, nullptr);
  const Mode* mode = s.mode_source();
  ASSERT_NE(mode, nullptr);
  const auto expect_current = [&](const char* after, int step) {
    uint32_t timectl = 0, gip = 0;
    ASSERT_TRUE(s.csr_read(spec::kCsrVtimectl, &timectl));
    ASSERT_TRUE(s.csr_read(spec::kCsrGip, &gip));
    EXPECT_EQ(lines->timer_pending, s.timer_line() && (timectl & spec::kVtimectlTeMask)) << after << " " << step;
    EXPECT_EQ(lines->virtual_pending, (gip & spec::kGipViMask) != 0) << after << " " << step;
    EXPECT_EQ(lines->v_ie, s.frame(Mode::V).ie) << after << " " << step;
    EXPECT_EQ(lines->g_ie, s.frame(Mode::G).ie) << after << " " << step;
    EXPECT_EQ(s.irq_lines_source(), lines) << "the source never moves";
    EXPECT_EQ(*s.mode_source(), s.mode()) << after << " " << step << ": the mode read in place";
    EXPECT_EQ(s.mode_source(), mode) << "the source never moves";
    for (const uint16_t csr : {spec::kCsrGstatus, spec::kCsrVstatus}) {  // the status words read in place
      bool plain_writes = true;
      const uint32_t* status = s.storage(csr, &plain_writes);
      uint32_t value = 0;
      ASSERT_TRUE(status && s.csr_read(csr, &value));
      EXPECT_FALSE(plain_writes) << "status writes are WARL: by csr_write";
      const TrapFrame& f = s.frame(csr == spec::kCsrGstatus ? Mode::G : Mode::V);
      const uint32_t expected = (f.ie ? spec::kGstatusIeMask : 0) | (f.pie ? spec::kGstatusPieMask : 0) |
                                static_cast<uint32_t>(f.pm) << spec::kGstatusPmShift;
      EXPECT_EQ(value, expected) << after << " " << step;
      EXPECT_EQ(*status, expected) << after << " " << step << ": csr 0x" << std::hex << csr << " read in place";
    }
  };
  const uint16_t csrs[] = {spec::kCsrGstatus, spec::kCsrVstatus, spec::kCsrGip, spec::kCsrVinject,
                           spec::kCsrVtimectl, spec::kCsrGscratch};
  uint32_t rng = 12345;
  const auto next = [&rng] { return rng = rng * 1103515245u + 12345u, rng >> 8; };
  std::vector<uint8_t> saved;
  for (int step = 0; step < 2000; ++step) {
    switch (next() % 6) {
      case 0: s.csr_write(csrs[next() % 6], next()); expect_current("csr write", step); break;
      case 1: s.set_timer_line(next() & 1); expect_current("timer line", step); break;
      case 2: s.enter(next() & 1 ? Mode::G : Mode::V, 0, 3, 0, 0x100); expect_current("trap entry", step); break;
      case 3:
        if (s.mode() != Mode::U) s.exit(0x200);
        expect_current("exit", step);
        break;
      case 4: {
        StateWriter w;
        s.save(w);
        if (saved.empty() || next() & 1) {
          saved = w.bytes();
        } else {
          StateReader r(saved.data(), saved.size());
          s.restore(r);
          expect_current("restore", step);
        }
        break;
      }
      default:
        if (next() % 50 == 0) s.reset();
        expect_current("reset", step);
        break;
    }
  }
}

// A "modereg" row the trap path does not know (a CSR a user adds to
// spec/csrs.txt) is plain storage: it holds what is written, from its reset
// value, and goes through a checkpoint (a new row read 0 and dropped writes,
// and nothing failed: docs/adding-an-instruction-or-csr.md).
TEST(ModeState, ARowWithoutBehaviourIsStorage) {
  std::vector<spec::CsrInfo> table(std::begin(spec::kCsrs), std::end(spec::kCsrs));
  table.push_back({0x5CB, "gscratch2", 2, false, 0x55u, "modereg"});
  table.push_back({0x5CC, "elsewhere", 2, false, 0x0u, "memctl"});
  ModeState s(table.data(), table.size());
  uint32_t v = 0;
  ASSERT_TRUE(s.csr_read(0x5CB, &v));
  EXPECT_EQ(v, 0x55u);
  EXPECT_TRUE(s.csr_write(0x5CB, 0x12345678));
  ASSERT_TRUE(s.csr_read(0x5CB, &v));
  EXPECT_EQ(v, 0x12345678u);
  bool plain_writes = false;
  ASSERT_NE(s.storage(0x5CB, &plain_writes), nullptr);
  EXPECT_TRUE(plain_writes);
  EXPECT_FALSE(s.csr_read(0x5CC, &v)) << "another block's row is not this block's";
  EXPECT_FALSE(s.csr_write(0x5CC, 1));

  StateWriter w;
  s.save(w);
  ModeState t(table.data(), table.size());
  StateReader r(w.bytes().data(), w.bytes().size());
  t.restore(r);
  ASSERT_TRUE(t.csr_read(0x5CB, &v));
  EXPECT_EQ(v, 0x12345678u);
  t.reset();
  ASSERT_TRUE(t.csr_read(0x5CB, &v));
  EXPECT_EQ(v, 0x55u);
}

// Every "modereg" row of today's spec is the block's, by behaviour or as storage.
TEST(ModeState, OwnsEveryModeregRow) {
  ModeState s;
  for (const spec::CsrInfo& c : spec::kCsrs) {
    uint32_t v = 0;
    EXPECT_EQ(s.csr_read(c.number, &v), std::string(c.block) == "modereg") << c.name;
  }
}

}  // namespace
}  // namespace trimode

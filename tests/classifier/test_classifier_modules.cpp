// The classifier blocks through their decode interface, in one SystemC
// elaboration: a probe's sc_port (the core's side) bound to the reference, the
// Verilated RTL, a lockstep checker of the two, and lockstep checkers of the
// reference against a deliberately wrong fake (stopping and counting).
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "models/classifier/lockstep_classifier.hpp"
#include "models/classifier/ref_classifier.hpp"
#include "models/classifier/rtl_classifier.hpp"
#include "tests/core/rv_asm.hpp"
#include "tests/tlm/harness.hpp"

namespace trimode {
namespace {

using spec::Mode;
using sc_core::sc_time;
using sc_core::SC_NS;

// The core's side of the interface.
struct Probe : sc_core::sc_module {
  sc_core::sc_port<DecodeIf> decode{"decode"};
  explicit Probe(sc_core::sc_module_name n) : sc_module(n) {}
  bool ask(const DecodeRequest& r, Decision* d, std::string* failure, sc_time at = sc_time(10, SC_NS)) {
    return decode->decide(r, at, d, failure);
  }
};

// Right except for one word: ecall in U names vcall_u's cause.
struct WrongClassifier : sc_core::sc_module, DecodeIf {
  sc_core::sc_export<DecodeIf> decode{"decode"};
  explicit WrongClassifier(sc_core::sc_module_name n) : sc_module(n) { decode.bind(*this); }
  bool decide(const DecodeRequest& r, const sc_time&, Decision* out, std::string*) override {
    *out = classify(r.insn, r.mode, r.irq);
    if (r.insn == test::rv::kEcall && r.mode == Mode::U) out->cause = spec::kCauseVcallU;
    return true;
  }
  bool memoizable() const override { return true; }
};

// A device with lanes (as RtlClassifier under --cosim), right except for two
// words the reference executes in place: nop in G is called illegal, and nop
// in V with gstatus.ie set executes with a cause (only its cause differs). Counts its batches and
// the requests they carried.
struct WrongLanes : sc_core::sc_module, DecodeIf {
  sc_core::sc_export<DecodeIf> decode{"decode"};
  unsigned batches = 0, requests = 0, singles = 0;  // singles: decide() (the timed unit)
  bool late = false;                                  // batched answers take more than 1 cycle
  uint8_t dec[LaneBatch::kMax] = {};
  uint32_t cause[LaneBatch::kMax] = {};
  explicit WrongLanes(sc_core::sc_module_name n) : sc_module(n) { decode.bind(*this); }
  Decision answer(const DecodeRequest& r) const {
    Decision d = classify(r.insn, r.mode, r.irq);
    if (r.insn == test::rv::kNop && r.mode == Mode::G && d.action == spec::Action::kExec) {
      d = {1, spec::Action::kIllegal, Mode::V, spec::kCauseIllegalInsn};
    }
    if (r.insn == test::rv::kNop && r.mode == Mode::V && r.irq.g_ie && d.action == spec::Action::kExec) d.cause = 1;
    return d;
  }
  bool decide(const DecodeRequest& r, const sc_time&, Decision* out, std::string*) override {
    ++singles;
    *out = answer(r);
    return true;
  }
  bool memoizable() const override { return false; }
  unsigned batch_lanes() const override { return 4; }
  bool decide_lanes(const LaneBatch& b, unsigned n, LaneAnswers* out, std::string*) override {
    ++batches;
    requests += n;
    for (unsigned k = 0; k < n; ++k) {
      const Decision d = answer(unpack_request(b.insn[k], b.ctl[k]));
      dec[k] = pack_dec(d);
      cause[k] = d.cause;
    }
    *out = {dec, cause, late ? 2u : 1u};
    return true;
  }
};

// A device with 64 lanes that answers as the reference executing in place
// (classify_insn, interrupt lines ignored) and keeps every request its lanes
// evaluated, in lane order (word and control byte); wrong (illegal) on the
// wrong_at-th request.
struct RecordingLanes : sc_core::sc_module, DecodeIf {
  sc_core::sc_export<DecodeIf> decode{"decode"};
  std::vector<std::pair<uint32_t, uint8_t>> seen;
  uint64_t wrong_at = ~uint64_t{0};
  uint8_t dec[LaneBatch::kMax] = {};
  uint32_t cause[LaneBatch::kMax] = {};
  explicit RecordingLanes(sc_core::sc_module_name n) : sc_module(n) { decode.bind(*this); }
  bool decide(const DecodeRequest& r, const sc_time&, Decision* out, std::string*) override {
    *out = classify(r.insn, r.mode, r.irq);
    return true;
  }
  bool memoizable() const override { return false; }
  unsigned batch_lanes() const override { return 64; }
  bool decide_lanes(const LaneBatch& b, unsigned n, LaneAnswers* out, std::string*) override {
    for (unsigned k = 0; k < n; ++k) {
      Decision d = classify_insn(b.insn[k], static_cast<Mode>(b.ctl[k] & 3));
      if (seen.size() == wrong_at) d = {1, spec::Action::kIllegal, Mode::V, spec::kCauseIllegalInsn};
      seen.emplace_back(b.insn[k], b.ctl[k]);
      dec[k] = pack_dec(d);
      cause[k] = d.cause;
    }
    *out = {dec, cause, 1};
    return true;
  }
};

struct Bench {
  RefClassifier ref{"ref"};
  RtlClassifier rtl{"rtl"};
  WrongClassifier wrong{"wrong"};
  LockstepClassifier checked{"checked"};                       // ref against rtl
  LockstepClassifier caught{"caught"};                         // ref against wrong, stops
  LockstepClassifier counting{"counting", /*stop_on_mismatch=*/false};  // ref against wrong, counts
  WrongLanes lanes{"lanes"};
  LockstepClassifier batched{"batched"};                       // ref against lanes, stops
  RecordingLanes recorder{"recorder"};
  LockstepClassifier recorded{"recorded"};                     // ref against recorder, stops
  Probe to_ref{"to_ref"}, to_rtl{"to_rtl"}, to_checked{"to_checked"}, to_caught{"to_caught"},
      to_counting{"to_counting"}, to_batched{"to_batched"};
  Bench() {
    to_ref.decode.bind(ref.decode);
    to_rtl.decode.bind(rtl.decode);
    checked.reference.bind(ref.decode);
    checked.dut.bind(rtl.decode);
    to_checked.decode.bind(checked.decode);
    caught.reference.bind(ref.decode);
    caught.dut.bind(wrong.decode);
    to_caught.decode.bind(caught.decode);
    counting.reference.bind(ref.decode);
    counting.dut.bind(wrong.decode);
    to_counting.decode.bind(counting.decode);
    batched.reference.bind(ref.decode);
    batched.dut.bind(lanes.decode);
    to_batched.decode.bind(batched.decode);
    recorded.reference.bind(ref.decode);
    recorded.dut.bind(recorder.decode);
  }
};
Bench* bench;

const uint32_t kWords[] = {test::rv::kEcall, test::rv::kVcall, test::rv::kExit, test::rv::kWfi, test::rv::kNop,
                           test::rv::csrrw(1, spec::kCsrVmid, 2), test::rv::csrrs(1, spec::kCsrTime, 0), 0xFFFFFFFF};
const Mode kModes[] = {Mode::U, Mode::G, Mode::V};

TEST(RefClassifier, AnswersAsClassifyAndIsMemoizable) {
  EXPECT_TRUE(bench->ref.memoizable());
  for (uint32_t w : kWords) {
    for (Mode m : kModes) {
      Decision d;
      std::string failure;
      ASSERT_TRUE(bench->to_ref.ask({w, m, {}, 0}, &d, &failure));
      EXPECT_EQ(d, classify(w, m)) << std::hex << w;
      EXPECT_EQ(d.row, classify(w, m).row);
    }
  }
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_ref.ask({test::rv::kNop, Mode::U, {false, true, false, false}, 0}, &d, &failure));
  EXPECT_EQ(d.cause, spec::kCauseIrqVirtual) << "interrupts come first";
}

TEST(RtlClassifier, EveryDecodeIsAsked) { EXPECT_FALSE(bench->rtl.memoizable()); }

// The time of a request `gap` core cycles after the trap unit's last edge (the
// core's clock: 10 ns). gap 0 is back to back: the core charged the previous
// answer's cycles and asks again at once.
sc_time after(uint64_t gap) { return sc_time(10.0 * static_cast<double>(bench->rtl.cycle() + gap), SC_NS); }

// The cycles one request takes through the RTL, `gap` cycles after the previous one.
unsigned cycles_of(const DecodeRequest& r, uint64_t gap, Decision* d = nullptr) {
  Decision local;
  Decision* out = d ? d : &local;
  std::string failure;
  EXPECT_TRUE(bench->to_rtl.ask(r, out, &failure, after(gap))) << failure;
  return out->cycles;
}

DecodeRequest fault(Mode mode, Mode target, uint32_t cause, uint32_t tval) {
  DecodeRequest r;
  r.what = DecodeRequest::What::kFault;
  r.mode = mode;
  r.pc = 0x80000100;
  r.fault_target = target;
  r.fault_cause = cause;
  r.tval = tval;
  return r;
}

DecodeRequest irq_query(Mode mode, IrqLines irq) {
  DecodeRequest r{0, mode, irq, 0x80000200};
  r.what = DecodeRequest::What::kIrqQuery;
  return r;
}

const IrqLines kTimer{true, false, false, false};          // pending, taken below V
const IrqLines kTimerMaskedInV{true, false, false, false};  // in V with vstatus.ie = 0: not taken
constexpr uint64_t kFar = 100;                              // cycles: the unit has long been idle

// The cycles the trap unit takes per event class when nothing else is going
// on (rtl/trimode_trap_unit.sv, docs/rtl.md): exec 1; exit and a mode-register
// or memctl CSR write 2 (one beat); a trap, interrupt or fault 3 (the critical
// beats epc, status; cause and tval are written after the answer); an
// interrupt query that takes nothing 0 (no edge: the core asks the next
// instruction in the same cycle). These are the RTL cycles
// --timing-report shows and the core charges.
TEST(RtlClassifier, CyclesPerEventAreTheTrapUnitsHandshake) {
  struct Case {
    DecodeRequest request;
    unsigned cycles;
    const char* what;
  };
  const Case cases[] = {
      {{test::rv::kNop, Mode::U, {}, 0x80000000}, 1, "exec"},
      {{test::rv::csrrs(1, spec::kCsrTime, 0), Mode::V, {}, 0x80000000}, 1, "CSR read: no write beat"},
      {{test::rv::csrrw(1, spec::kCsrGscratch, 2), Mode::G, {}, 0x80000000}, 2, "CSR write (mode register)"},
      {{test::rv::csrrw(1, spec::kCsrVmid, 2), Mode::V, {}, 0x80000000}, 2, "CSR write (memctl)"},
      {{test::rv::csrrs(1, spec::kCsrGstatus, 0), Mode::G, {}, 0x80000000}, 1, "csrrs with rs1 = 0 writes nothing"},
      {{test::rv::kExit, Mode::G, {}, 0x80000000}, 2, "exit: status restored, one beat"},
      {{test::rv::kEcall, Mode::U, {}, 0x80000000}, 3, "trap to G: epc, status, then the answer"},
      {{test::rv::kVcall, Mode::G, {}, 0x80000000}, 3, "trap to V"},
      {{0xFFFFFFFF, Mode::V, {}, 0x80000000}, 3, "illegal"},
      {{test::rv::kNop, Mode::G, kTimer, 0x80000000}, 3, "interrupt decided on an instruction"},
      {irq_query(Mode::G, kTimer), 3, "interrupt query, taken"},
      {irq_query(Mode::V, kTimerMaskedInV), 0, "interrupt query, masked: decided without an edge"},
      {fault(Mode::U, Mode::G, spec::kCauseLoadAccessFault, 0x12345678), 3, "fault raised by the core"},
  };
  for (const Case& c : cases) {
    Decision d;
    EXPECT_EQ(cycles_of(c.request, kFar, &d), c.cycles) << c.what;
    const Decision want =
        c.request.what == DecodeRequest::What::kFault ? fault_decision(c.request) : classify(c.request.insn, c.request.mode, c.request.irq);
    EXPECT_EQ(d, want) << c.what;
  }
  // The reference does not time anything: the core charges the TLM estimate.
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_ref.ask({test::rv::kEcall, Mode::U, {}, 0}, &d, &failure));
  EXPECT_EQ(d.cycles, 0u);
  // A lockstep checker (batched: the RTL has lanes) passes the timed unit's
  // cycles on to the core for every event the core charges: everything but a
  // plain in-place word, which it batches (its cycles are never charged).
  ASSERT_GT(bench->rtl.batch_lanes(), 1u);
  for (const Case& c : cases) {
    const DecodeRequest& r = c.request;
    if (r.what == DecodeRequest::What::kInsn && r.insn == test::rv::kNop && !r.irq.timer_pending) continue;
    ASSERT_TRUE(bench->to_checked.ask(r, &d, &failure, after(kFar))) << failure;
    const Decision want = r.what == DecodeRequest::What::kFault ? fault_decision(r) : classify(r.insn, r.mode, r.irq);
    EXPECT_EQ(d, want) << "through the checker: " << c.what;
    EXPECT_EQ(unsigned{d.cycles}, c.cycles) << "through the checker: " << c.what;
  }
}

// The stall rules: a request that writes the mode-register port (exit, CSR
// write, a trap's frame) waits for the previous frame's cause and tval to
// drain and for the port to be ready again (busy 2 cycles after a status or
// CSR write); exec requests never wait. So the same event costs more when it
// comes right after another than when it comes later.
TEST(RtlClassifier, LatencyDependsOnTheGapBetweenRequests) {
  const DecodeRequest ecall{test::rv::kEcall, Mode::U, {}, 0x80000000};
  const DecodeRequest exit_g{test::rv::kExit, Mode::G, {}, 0x80000400};
  const DecodeRequest nop_g{test::rv::kNop, Mode::G, {}, 0x80000404};
  const DecodeRequest csrw{test::rv::csrrw(1, spec::kCsrGscratch, 2), Mode::G, {}, 0x80000408};

  // Exit right after a trap (the handler returns at once): the frame's status
  // beat busies the port 2 cycles, then cause and tval drain, then exit's beat.
  EXPECT_EQ(cycles_of(ecall, kFar), 3u);
  EXPECT_EQ(cycles_of(exit_g, 0), 5u) << "back-to-back exit after a trap stalls";
  EXPECT_EQ(cycles_of(ecall, kFar), 3u);
  EXPECT_EQ(cycles_of(exit_g, 10), 2u) << "an exit 10 cycles after the trap does not";
  // In between: the stall shrinks by the cycles that passed; exec never waits.
  EXPECT_EQ(cycles_of(ecall, kFar), 3u);
  EXPECT_EQ(cycles_of(nop_g, 0), 1u) << "exec during the drain";
  EXPECT_EQ(cycles_of(exit_g, 0), 4u) << "one cycle later, one cycle less";
  EXPECT_EQ(cycles_of(ecall, kFar), 3u);
  EXPECT_EQ(cycles_of(exit_g, 3), 2u) << "drained by then";

  // A trap right after a trap: the second frame waits for the first's.
  EXPECT_EQ(cycles_of(ecall, kFar), 3u);
  EXPECT_EQ(cycles_of(ecall, 0), 6u) << "back-to-back trap";
  // A trap right after an exit, a CSR write right after a CSR write: the port is busy.
  EXPECT_EQ(cycles_of(exit_g, kFar), 2u);
  EXPECT_EQ(cycles_of(ecall, 0), 4u) << "back-to-back trap after exit stalls";
  EXPECT_EQ(cycles_of(exit_g, kFar), 2u);
  EXPECT_EQ(cycles_of(ecall, 10), 3u) << "a far-apart one does not";
  EXPECT_EQ(cycles_of(csrw, kFar), 2u);
  EXPECT_EQ(cycles_of(csrw, 0), 3u) << "CSR write right after a CSR write";
  EXPECT_EQ(cycles_of(csrw, kFar), 2u);
  EXPECT_EQ(cycles_of(csrw, 2), 2u) << "two cycles later: no stall";
}

// The interrupt query: only a taken interrupt starts the sequencer. A masked
// one is answered by the decision logic without a clock edge (the unit's
// clock stays where it was: the core charges the query nothing) and leaves
// nothing to drain; the same word 0 as an instruction (illegal: a real trap)
// writes a frame that a following exit waits for.
TEST(RtlClassifier, AnUntakenInterruptQueryWritesNothing) {
  const DecodeRequest exit_v{test::rv::kExit, Mode::V, {}, 0x80000400};
  Decision d;
  std::string failure;
  const uint64_t clock = bench->rtl.cycle();
  ASSERT_TRUE(bench->to_rtl.ask(irq_query(Mode::V, kTimerMaskedInV), &d, &failure, after(0))) << failure;
  EXPECT_EQ(d.cycles, 0u);
  EXPECT_EQ(bench->rtl.cycle(), clock) << "no edge for an untaken query";
  EXPECT_EQ(d, classify(0, Mode::V, kTimerMaskedInV)) << "the decision is still the RTL's, compared in lockstep";
  EXPECT_EQ(cycles_of(exit_v, 0), 2u) << "nothing was sequenced";
  EXPECT_EQ(cycles_of({0, Mode::V, kTimerMaskedInV, 0x80000200}, kFar), 3u) << "word 0 as an instruction traps";
  EXPECT_EQ(cycles_of(exit_v, 0), 5u);
  EXPECT_EQ(cycles_of(irq_query(Mode::G, kTimer), kFar), 3u) << "a taken interrupt is a frame";
  EXPECT_EQ(cycles_of(exit_v, 0), 5u);
}

// A fault the core raised: the unit answers the core's decision (compared in
// lockstep with the reference's fault_decision) and writes its frame.
TEST(RtlClassifier, AFaultWritesAFrame) {
  const DecodeRequest f = fault(Mode::G, Mode::V, spec::kCauseInsnAccessFault, 0x9000);
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_checked.ask(f, &d, &failure, after(kFar))) << failure;
  EXPECT_EQ(d, fault_decision(f));
  EXPECT_EQ(d.cycles, 3u);
  EXPECT_EQ(cycles_of({test::rv::kExit, Mode::V, {}, 0x80000400}, 0), 5u) << "its cause and tval drain";
}

TEST(RtlClassifier, AgreesWithTheReferenceOnTheGatesInEveryMode) {
  for (uint32_t w : kWords) {
    for (Mode m : kModes) {
      Decision d;
      std::string failure;
      ASSERT_TRUE(bench->to_rtl.ask({w, m, {}, 0x80000000}, &d, &failure)) << failure;
      EXPECT_EQ(d, classify(w, m)) << std::hex << w;
    }
  }
}

TEST(RtlClassifier, AgreesOnInterrupts) {
  const IrqLines irq{true, true, false, true};
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_rtl.ask({test::rv::kNop, Mode::G, irq, 0}, &d, &failure)) << failure;
  EXPECT_EQ(d, classify(test::rv::kNop, Mode::G, irq));
  EXPECT_EQ(d.cause, spec::kCauseIrqTimer);
}

TEST(LockstepClassifier, RtlAgainstReferenceAgreesAndCountsEveryDecode) {
  EXPECT_FALSE(bench->checked.memoizable());
  const uint64_t rtl_before = bench->rtl.decodes();
  const uint64_t checked_before = bench->checked.decodes();
  for (uint32_t w : kWords) {
    for (Mode m : kModes) {
      Decision d;
      std::string failure;
      ASSERT_TRUE(bench->to_checked.ask({w, m, {}, 0}, &d, &failure)) << failure;
      EXPECT_EQ(d, classify(w, m));
    }
  }
  // Batched (the RTL has lanes): the requests still in the batch reach the RTL at settle().
  EXPECT_GT(bench->rtl.batch_lanes(), 1u);
  std::string failure;
  ASSERT_TRUE(bench->to_checked.decode->settle(&failure)) << failure;
  const uint64_t n = std::size(kWords) * std::size(kModes);
  EXPECT_EQ(bench->checked.decodes() - checked_before, n);
  EXPECT_EQ(bench->rtl.decodes() - rtl_before, n) << "the RTL sees every decode";
  EXPECT_EQ(bench->checked.mismatches(), 0u);
}

TEST(LockstepClassifier, AWrongDeviceIsCaughtWithOneFailureLine) {
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_caught.ask({test::rv::kNop, Mode::U, {}, 0}, &d, &failure)) << failure;
  EXPECT_EQ(bench->caught.mismatches(), 0u);
  EXPECT_FALSE(bench->to_caught.ask({test::rv::kEcall, Mode::U, {}, 0x80001234}, &d, &failure,
                                    sc_time(127880, SC_NS)));
  EXPECT_EQ(bench->caught.mismatches(), 1u);
  EXPECT_EQ(d.cause, spec::kCauseVcallU) << "the device's answer is the one returned";
  EXPECT_EQ(failure.rfind("FAILURE: cosim mismatch at 127880 ns", 0), 0u) << failure;
  EXPECT_NE(failure.find("pc 0x80001234"), std::string::npos) << failure;
  EXPECT_NE(failure.find("insn 0x00000073"), std::string::npos) << failure;
  EXPECT_NE(failure.find("mode U"), std::string::npos) << failure;
  EXPECT_NE(failure.find("rtl {kind 2 trap -> G (vcall_u)}"), std::string::npos) << failure;
  EXPECT_NE(failure.find("ref {kind 2 trap -> G (ecall_u)}"), std::string::npos) << failure;
  EXPECT_EQ(failure.find('\n'), std::string::npos);
  EXPECT_EQ(bench->caught.first_mismatch(), failure);
}

TEST(LockstepClassifier, WithoutStoppingEveryMismatchIsCounted) {
  for (int k = 0; k < 3; ++k) {
    for (uint32_t w : kWords) {
      Decision d;
      std::string failure;
      EXPECT_TRUE(bench->to_counting.ask({w, Mode::U, {}, 0}, &d, &failure));
      EXPECT_TRUE(failure.empty());
    }
  }
  EXPECT_EQ(bench->counting.mismatches(), 3u) << "one wrong word, asked three times";
  EXPECT_EQ(bench->counting.decodes(), 3u * std::size(kWords));
  EXPECT_EQ(bench->counting.first_mismatch().rfind("FAILURE: cosim mismatch", 0), 0u);
}

TEST(RtlClassifier, LanesAnswerAsClassifyForEveryIrqState) {
  std::vector<DecodeRequest> requests;
  for (uint32_t w : kWords) {
    for (Mode m : {Mode::U, Mode::G, Mode::V}) {
      for (unsigned irq = 0; irq < 16; ++irq) {
        requests.push_back({w, m, {bool(irq & 1), bool(irq & 2), bool(irq & 4), bool(irq & 8)}, 0});
      }
    }
  }
  const unsigned lanes = bench->rtl.batch_lanes();
  ASSERT_GT(lanes, 1u);
  const uint64_t before = bench->rtl.decodes();
  for (size_t i = 0; i < requests.size(); i += lanes) {
    const unsigned n = static_cast<unsigned>(std::min<size_t>(lanes, requests.size() - i));
    LaneBatch batch;
    for (unsigned k = 0; k < n; ++k) {
      batch.insn[k] = requests[i + k].insn;
      batch.ctl[k] = pack_ctl(requests[i + k].mode, requests[i + k].irq);
    }
    std::string failure;
    LaneAnswers got;
    ASSERT_TRUE(bench->rtl.decide_lanes(batch, n, &got, &failure)) << failure;
    // The lanes are the unit's decision logic: their latency is the unit's
    // for the words the checker batches, 1 cycle (proved by rtl.bmc).
    EXPECT_EQ(got.cycles, 1u);
    for (unsigned k = 0; k < n; ++k) {
      const DecodeRequest& r = requests[i + k];
      const Decision want = classify(r.insn, r.mode, r.irq);
      EXPECT_EQ(unpack_dec(got.dec[k], got.cause[k]), want) << std::hex << r.insn << " lane " << k;
    }
  }
  EXPECT_EQ(bench->rtl.decodes() - before, requests.size()) << "every lane used is a decode";
}

// The bit-sliced lanes (rtl_lanes.hpp) on random words, all four mode values,
// every interrupt state and batches of every size: each lane answers as
// classify() (mode 3, not a mode, decides as V but executes in place with
// target 3, as the RTL documents; testbench/sweep does the same).
TEST(RtlClassifier, LanesAnswerAsClassifyForRandomWordsAndPartialBatches) {
  std::mt19937_64 rng(20261203);
  const unsigned lanes = bench->rtl.batch_lanes();
  ASSERT_EQ(lanes, LaneBatch::kMax);
  for (unsigned round = 0; round < 2000; ++round) {
    const unsigned n = 1 + round % lanes;
    LaneBatch batch;
    for (unsigned k = 0; k < n; ++k) {
      const uint64_t r = rng();
      // Half the words SYSTEM or a legal major opcode with random fields, half any word.
      uint32_t w = static_cast<uint32_t>(r);
      if (r >> 32 & 1) w = (w & ~0x7Fu) | (r >> 33 & 1 ? 0x73u : (r >> 34 & 1 ? 0x33u : 0x13u));
      batch.insn[k] = w;
      batch.ctl[k] = static_cast<uint8_t>(r >> 40 & 0x3F);
    }
    std::string failure;
    LaneAnswers got;
    ASSERT_TRUE(bench->rtl.decide_lanes(batch, n, &got, &failure)) << failure;
    for (unsigned k = 0; k < n; ++k) {
      const DecodeRequest r = unpack_request(batch.insn[k], batch.ctl[k]);
      const bool mode3 = (batch.ctl[k] & 3) == 3;
      Decision want = classify(r.insn, mode3 ? Mode::V : r.mode, r.irq);
      if (mode3 && want.action == spec::Action::kExec) want.target = static_cast<Mode>(3);
      ASSERT_EQ(unpack_dec(got.dec[k], got.cause[k]), want)
          << std::hex << "insn 0x" << r.insn << " ctl 0x" << unsigned{batch.ctl[k]} << std::dec << " lane " << k
          << " of " << n;
    }
  }
}

// The batched lockstep: the core runs ahead on the reference's "executes", and
// a wrong answer for such an instruction is still caught, naming that
// instruction (not the one where the check ran).
TEST(LockstepClassifier, BatchedAWrongExecIsCaughtAtSettleNamingItsInstruction) {
  WrongLanes& dut = bench->lanes;
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {}, 0x100}, &d, &failure));
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::G, {}, 0x104}, &d, &failure, sc_time(200, SC_NS)));
  EXPECT_EQ(d.action, spec::Action::kExec) << "speculative: the reference's answer";
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {}, 0x108}, &d, &failure, sc_time(210, SC_NS)));
  EXPECT_EQ(dut.requests, 0u) << "nothing checked yet";
  EXPECT_FALSE(bench->to_batched.decode->settle(&failure));
  EXPECT_EQ(dut.batches, 1u);
  EXPECT_EQ(dut.requests, 3u);
  EXPECT_EQ(bench->batched.mismatches(), 1u);
  EXPECT_EQ(failure.rfind("FAILURE: cosim mismatch at 200 ns", 0), 0u) << failure;
  EXPECT_NE(failure.find("pc 0x00000104"), std::string::npos) << failure;
  EXPECT_NE(failure.find("insn 0x00000013"), std::string::npos) << failure;
  EXPECT_NE(failure.find("mode G"), std::string::npos) << failure;
  const Decision ref = classify(test::rv::kNop, Mode::G);
  EXPECT_NE(failure.find("rtl {" + describe(dut.answer({test::rv::kNop, Mode::G, {}, 0})) + "}"), std::string::npos)
      << failure;
  EXPECT_NE(failure.find("ref {" + describe(ref) + "}"), std::string::npos) << failure;
}

TEST(LockstepClassifier, BatchedChecksAtOnceAFullBatchATrapAndATakenInterrupt) {
  WrongLanes& dut = bench->lanes;
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_batched.decode->settle(&failure)) << "empty batch";
  const uint64_t asked_before = bench->batched.decodes();
  const unsigned requests_before = dut.requests;
  const unsigned singles_before = dut.singles;
  // A full batch (4 lanes) is checked at its last request, whose answer is the device's.
  const unsigned b0 = dut.batches;
  for (int k = 0; k < 3; ++k) ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {}, 0}, &d, &failure));
  EXPECT_EQ(dut.batches, b0);
  EXPECT_FALSE(bench->to_batched.ask({test::rv::kNop, Mode::G, {}, 0x200}, &d, &failure));
  EXPECT_EQ(dut.batches, b0 + 1);
  EXPECT_NE(failure.find("pc 0x00000200"), std::string::npos) << failure;
  // A trap is decided by the device at once (with what waited before it).
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {}, 0}, &d, &failure));
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kEcall, Mode::U, {}, 0}, &d, &failure)) << failure;
  EXPECT_EQ(dut.batches, b0 + 2);
  EXPECT_EQ(d, classify(test::rv::kEcall, Mode::U));
  // A masked interrupt line (timer pending in V, vstatus.ie clear): the word executes, speculatively.
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::V, {true, false, false, false}, 0}, &d, &failure));
  EXPECT_EQ(dut.batches, b0 + 2);
  // An interrupt the reference takes is decided by the device at once.
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {true, false, false, false}, 0}, &d, &failure));
  EXPECT_EQ(dut.batches, b0 + 3);
  EXPECT_EQ(dut.singles - singles_before, 2u) << "the trap and the interrupt through decide() (the timed unit)";
  EXPECT_EQ(dut.requests - requests_before + dut.singles - singles_before, 4u + 2 + 2)
      << "each request reaches the device once";
  EXPECT_EQ(d.cause, spec::kCauseIrqTimer);
  EXPECT_EQ(bench->batched.decodes() - asked_before, 4u + 2 + 2) << "every request counted once";
}

// The packed form round-trips every mode, interrupt state and decision.
TEST(LaneBatch, PackedControlAndDecisionBytes) {
  for (Mode m : {Mode::U, Mode::G, Mode::V}) {
    for (unsigned irq = 0; irq < 16; ++irq) {
      const IrqLines lines{bool(irq & 1), bool(irq & 2), bool(irq & 4), bool(irq & 8)};
      EXPECT_EQ(pack_ctl(m, lines), irq << 2 | static_cast<unsigned>(m)) << irq;
      const DecodeRequest back = unpack_request(0x13, pack_ctl(m, lines));
      EXPECT_EQ(back.mode, m);
      EXPECT_EQ(pack_ctl(back.mode, back.irq), pack_ctl(m, lines)) << irq;
      for (uint32_t w : kWords) {
        const Decision d = classify(w, m, lines);
        EXPECT_EQ(unpack_dec(pack_dec(d), d.cause), d) << std::hex << w;
      }
    }
  }
}

// A batched word whose answer differs from the reference's in its cause only
// (both execute in place) is caught, naming that word.
TEST(LockstepClassifier, BatchedACauseOnlyDifferenceIsCaught) {
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_batched.decode->settle(&failure)) << "empty batch";
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {}, 0x400}, &d, &failure));
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::V, {false, false, false, true}, 0x404}, &d, &failure,
                                    sc_time(404, SC_NS)));
  EXPECT_FALSE(bench->to_batched.decode->settle(&failure));
  EXPECT_EQ(failure.rfind("FAILURE: cosim mismatch at 404 ns, pc 0x00000404, insn 0x00000013, mode V", 0), 0u)
      << failure;
}

// A batched word the unit answers right but not in its 1 cycle fails too (its
// timing would no longer be the one the core was not charged for).
TEST(LockstepClassifier, BatchedALateAnswerFailsNamingItsInstruction) {
  WrongLanes& dut = bench->lanes;
  Decision d;
  std::string failure;
  ASSERT_TRUE(bench->to_batched.decode->settle(&failure)) << "empty batch";
  dut.late = true;
  ASSERT_TRUE(bench->to_batched.ask({test::rv::kNop, Mode::U, {}, 0x300}, &d, &failure, sc_time(300, SC_NS)));
  EXPECT_FALSE(bench->to_batched.decode->settle(&failure));
  dut.late = false;
  EXPECT_EQ(failure,
            "FAILURE: cosim: the trap unit did not answer an in-place instruction in 1 cycle at 300 ns, pc 0x00000300, "
            "insn 0x00000013, mode U");
}

// Block runs as the core hands them over (InPlaceRun: a block's first n
// instructions, `repeat` rounds), with the slices the core makes at
// translation (RunSlices) or without (the checker slices them itself).
struct RandomRuns {
  std::mt19937 rng{20261204};
  struct Block {
    std::vector<uint32_t> words;
    std::vector<uint16_t> rows;
    RunSlices once, rounds;  // rounds: sliced with the run's n as the period
  };
  std::vector<Block> blocks;
  std::vector<InPlaceRun> runs;
  // A word that executes in place in `mode` and is not a SYSTEM one.
  uint32_t executing_word(Mode mode) {
    static const uint32_t kOps[] = {0x13, 0x33, 0x03, 0x23, 0x37, 0x17, 0x63, 0x6F, 0x67, 0x0F};
    for (;;) {
      const uint32_t w = (static_cast<uint32_t>(rng()) & ~0x7Fu) | kOps[rng() % std::size(kOps)];
      if (classify_insn(w, mode).action == spec::Action::kExec) return w;
    }
  }
  // `count` runs in `mode`; every other one without slices.
  void make(unsigned count, Mode mode) {
    blocks.clear();
    blocks.reserve(count);
    runs.clear();
    for (unsigned r = 0; r < count; ++r) {
      Block& b = blocks.emplace_back();
      const unsigned len = 1 + rng() % 64;
      for (unsigned k = 0; k < len; ++k) {
        b.words.push_back(executing_word(mode));
        b.rows.push_back(match_row(b.words.back()));
      }
      InPlaceRun run;
      run.pc = 0x80000000u + 0x1000u * r;
      run.n = 1 + rng() % len;
      run.repeat = rng() % 3 == 0 ? 2 + rng() % 5 : 1;
      run.insn = b.words.data();
      run.row = b.rows.data();
      slice_block(b.words.data(), b.rows.data(), len, len, mode, &b.once);
      slice_block(b.words.data(), b.rows.data(), len, run.n, mode, &b.rounds);
      if (r % 2 == 0) run.slices = run.repeat > 1 ? &b.rounds : &b.once;
      runs.push_back(run);
    }
  }
};

// Every instruction of the runs reaches the lanes once, in retirement order,
// with its own word and the runs' control byte, however the runs fall into
// batches (split at any offset, rounds across batches), from slices or not.
TEST(LockstepClassifier, InPlaceRunsReachTheLanesOnceEachInRetirementOrder) {
  RandomRuns random;
  RecordingLanes& dut = bench->recorder;
  dut.seen.clear();
  std::vector<std::pair<uint32_t, uint8_t>> expected;
  std::string failure;
  for (unsigned call = 0; call < 300; ++call) {
    const Mode mode = kModes[call % 3];
    const IrqLines irq{call % 5 == 0, call % 7 == 0, false, call % 2 == 0};
    random.make(1 + random.rng() % 6, mode);
    // As the core does: as many runs as fit in the checker's room.
    const unsigned room = bench->recorded.in_place_room();
    unsigned count = 0;
    uint64_t total = 0;
    for (const InPlaceRun& run : random.runs) {
      if (total + uint64_t{run.n} * run.repeat > room) break;
      total += uint64_t{run.n} * run.repeat;
      ++count;
    }
    if (count == 0) continue;
    each_instruction(random.runs.data(), count, [&](const InPlaceRun& run, unsigned k) {
      expected.emplace_back(run.insn[k], pack_ctl(mode, irq));
    });
    ASSERT_TRUE(bench->recorded.in_place({0, mode, irq, random.runs[0].pc}, random.runs.data(), count,
                                         sc_time(10, SC_NS), sc_time(10, SC_NS), &failure))
        << failure;
  }
  ASSERT_TRUE(bench->recorded.settle(&failure)) << failure;
  EXPECT_GT(expected.size(), 10000u);
  ASSERT_EQ(dut.seen.size(), expected.size());
  for (size_t g = 0; g < expected.size(); ++g) {
    ASSERT_EQ(dut.seen[g], expected[g]) << "request " << g;
  }
  EXPECT_EQ(bench->recorded.decodes(), expected.size());
  EXPECT_EQ(bench->recorded.mismatches(), 0u);
}

// A wrong answer anywhere in the runs is named with its own pc, word, mode and
// time; the same runs pass the Verilated lanes (the RTL against the reference).
TEST(LockstepClassifier, InPlaceRunsAreCheckedLaneByLane) {
  RandomRuns random;
  std::string failure;
  for (unsigned trial = 0; trial < 40; ++trial) {
    const Mode mode = kModes[trial % 3];
    random.make(2 + random.rng() % 3, mode);
    unsigned count = 0;
    uint64_t total = 0;
    for (const InPlaceRun& run : random.runs) {
      if (total + uint64_t{run.n} * run.repeat > bench->checked.in_place_room()) break;
      total += uint64_t{run.n} * run.repeat;
      ++count;
    }
    if (count == 0) continue;
    const uint64_t before = bench->checked.decodes();
    ASSERT_TRUE(bench->checked.in_place({0, mode, {}, random.runs[0].pc}, random.runs.data(), count,
                                        sc_time(100, SC_NS), sc_time(10, SC_NS), &failure))
        << failure;
    ASSERT_TRUE(bench->checked.settle(&failure)) << failure;
    EXPECT_EQ(bench->checked.decodes() - before, total);
    EXPECT_EQ(bench->checked.mismatches(), 0u);

    // The recorder wrong on one of them (its g-th), from an empty batch.
    ASSERT_TRUE(bench->recorded.settle(&failure)) << failure;
    RecordingLanes& dut = bench->recorder;
    dut.seen.clear();
    const uint64_t g = random.rng() % total;
    dut.wrong_at = g;
    uint32_t pc = 0, insn = 0;
    uint64_t i = 0;
    each_instruction(random.runs.data(), count, [&](const InPlaceRun& run, unsigned k) {
      if (i++ == g) {
        pc = run.pc + 4 * k;
        insn = run.insn[k];
      }
    });
    const bool ok = bench->recorded.in_place({0, mode, {}, random.runs[0].pc}, random.runs.data(), count,
                                             sc_time(100, SC_NS), sc_time(10, SC_NS), &failure) &&
                    bench->recorded.settle(&failure);
    dut.wrong_at = ~uint64_t{0};
    ASSERT_FALSE(ok) << "request " << g << " of " << total;
    char where[96];
    std::snprintf(where, sizeof where, ", pc 0x%08x, insn 0x%08x, mode %s: rtl {", pc, insn, mode_name(mode));
    const std::string at = "at " + sc_time(100.0 + 10.0 * static_cast<double>(g), SC_NS).to_string() + ",";
    EXPECT_NE(failure.find(where), std::string::npos) << failure << " (request " << g << ")";
    EXPECT_NE(failure.find(at), std::string::npos) << failure << " (want " << at << ")";
    ASSERT_TRUE(bench->recorded.settle(&failure)) << "the failed batch is gone";
  }
}

}  // namespace
}  // namespace trimode

int sc_main(int argc, char** argv) {
  return trimode::tlm_::test::run_tests_in_systemc(argc, argv, [] { trimode::bench = new trimode::Bench(); });
}

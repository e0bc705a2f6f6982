#include "models/classifier/lockstep_classifier.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <utility>

#include "models/classifier/ref_classifier.hpp"
#include "trimode/spec.h"

namespace trimode {

std::string describe(const Decision& d) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "kind %u %s -> %s (%s)", d.kind, action_name(d.action), mode_name(d.target),
                d.action == spec::Action::kExec ? "-" : cause_name(d.cause));
  return buf;
}

LockstepClassifier::LockstepClassifier(sc_core::sc_module_name name, bool stop_on_mismatch)
    : sc_module(name), decode("decode"), reference("reference"), dut("dut"), stop_(stop_on_mismatch) {
  decode.bind(*this);
}

namespace {

// Kept out of decide(): its buffer would cost every decode a stack frame.
[[gnu::cold, gnu::noinline]] std::string mismatch_line(const DecodeRequest& r, const sc_core::sc_time& at,
                                                        const Decision& dut, const Decision& ref) {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "FAILURE: cosim mismatch at %s, pc 0x%08" PRIx32 ", insn 0x%08" PRIx32 ", mode %s: rtl {%s} ref {%s}",
                at.to_string().c_str(), r.pc, r.insn, mode_name(r.mode), describe(dut).c_str(),
                describe(ref).c_str());
  return buf;
}

// A batched instruction the unit did not answer in one cycle (its latency
// for an in-place instruction without a write slot).
[[gnu::cold, gnu::noinline]] std::string late_line(const DecodeRequest& r, const sc_core::sc_time& at) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "FAILURE: cosim: the trap unit did not answer an in-place instruction in 1 cycle at %s, pc 0x%08" PRIx32
                ", insn 0x%08" PRIx32 ", mode %s",
                at.to_string().c_str(), r.pc, r.insn, mode_name(r.mode));
  return buf;
}

}  // namespace

// The ports' interfaces, once (the ports' operator-> checks the binding on
// every call). Batched when the checker stops on a mismatch and the DUT has
// lanes.
void LockstepClassifier::connect() {
  dut_ = dut.operator->();
  ref_ = reference.operator->();
  ref_block_ = dynamic_cast<RefClassifier*>(ref_);
  lanes_ = stop_ ? std::min(dut_->batch_lanes(), kMaxLanes) : 0;
  for (unsigned m = 0; m < 3; ++m) {
    expect_of_row_[m].resize(spec::kNumRows);
    for (uint16_t row = 0; row < spec::kNumRows; ++row) {
      expect_of_row_[m][row] = pack_dec(classify_row(row, static_cast<spec::Mode>(m)));
    }
  }
}

// Batched (see the header): while the reference says "executes in place" and
// the word is not a SYSTEM one (an exit or a CSR write needs a write slot of
// the unit: its cycles are the RTL's), the reference's answer drives the core
// at once and the request waits in the batch (an RTL that would trap there is
// a mismatch, caught at the check). Anything else goes through the timed unit
// at once, after the batch is checked, so the DUT's own answer and cycles
// drive the core there exactly as unbatched.
bool LockstepClassifier::decide(const DecodeRequest& r, const sc_core::sc_time& at, Decision* out,
                                std::string* failure) {
  if (__builtin_expect(!dut_, 0)) connect();
  ++decodes_;
  Decision ref;
  if (__builtin_expect(lanes_ != 0, 1)) {
    // The platform's reference is a RefClassifier: called directly (inlined), not through its interface.
    if (!(ref_block_ ? ref_block_->RefClassifier::decide(r, at, &ref, failure) : ref_->decide(r, at, &ref, failure))) {
      return false;
    }
    if (__builtin_expect(ref.action == spec::Action::kExec && TM_INSN_OPCODE(r.insn) != TM_OPCODE_SYSTEM, 1)) {
      add_to_batch(r, at, ref);
      *out = ref;
      return pending_ < lanes_ || check_batch(failure);
    }
    if (pending_ != 0 && !check_batch(failure)) return false;
    return dut_->decide(r, at, out, failure) && compare(r, at, *out, ref, failure);
  }
  if (!dut_->decide(r, at, out, failure) || !ref_->decide(r, at, &ref, failure)) return false;
  return compare(r, at, *out, ref, failure);
}

void LockstepClassifier::add_to_batch(const DecodeRequest& r, const sc_core::sc_time& at, const Decision& ref) {
  const unsigned k = pending_;
  batch_.insn[k] = r.insn;
  batch_.ctl[k] = pack_ctl(r.mode, r.irq);
  expect_[k] = pack_dec(ref);
  segments_[segment_count_++] = {static_cast<uint8_t>(k), 0, 0, r.pc, at.value()};
  pending_ = k + 1;
}

// A mismatch is counted and, when stopping, fails the run with its line.
bool LockstepClassifier::compare(const DecodeRequest& r, const sc_core::sc_time& at, const Decision& dut,
                                 const Decision& ref, std::string* failure) {
  const bool same = dut == ref;
  if (__builtin_expect(same, 1)) return true;
  ++mismatches_;
  std::string line = mismatch_line(r, at, dut, ref);
  if (first_.empty()) first_ = line;
  if (!stop_) return true;
  *failure = std::move(line);
  return false;
}

// The RTL answers the whole batch in one evaluation, compared packed: every
// lane's decision byte with the reference's and its cause with 0 (the
// reference's: it executes in place).
bool LockstepClassifier::check_batch(std::string* failure) {
  const unsigned n = pending_, segments = segment_count_;
  pending_ = 0;
  segment_count_ = 0;
  LaneAnswers got;
  if (!dut_->decide_lanes(batch_, n, &got, failure)) return false;
  unsigned differ = 0;
  for (unsigned k = 0; k < n; ++k) differ |= (got.dec[k] ^ expect_[k]) | got.cause[k];
  if (__builtin_expect(differ != 0 || got.cycles != 1, 0)) return fail_batch(got, n, segments, failure);
  return true;
}

// The first difference (in retirement order) fails the run with its own time,
// pc, word and mode; with none, the batch's latency was not the 1 cycle of an
// in-place instruction: the first request is named.
bool LockstepClassifier::fail_batch(const LaneAnswers& got, unsigned n, unsigned count, std::string* failure) {
  const Segment* const segments = segments_.data();
  const auto segment = [&](unsigned k) {
    const Segment* s = segments;
    while (s + 1 != segments + count && s[1].first <= k) ++s;
    return *s;
  };
  const auto request = [&](unsigned k) {
    DecodeRequest r = unpack_request(batch_.insn[k], batch_.ctl[k]);
    const Segment s = segment(k);
    r.pc = s.pc + (s.n ? 4 * ((s.offset + k - s.first) % s.n) : 0);
    return r;
  };
  const auto at = [&](unsigned k) {
    const Segment s = segment(k);
    return sc_core::sc_time::from_value(s.at + step_ * (k - s.first));
  };
  for (unsigned k = 0; k < n; ++k) {
    if (got.dec[k] != expect_[k] || got.cause[k] != 0) {
      return compare(request(k), at(k), unpack_dec(got.dec[k], got.cause[k]), unpack_dec(expect_[k], 0), failure);
    }
  }
  *failure = late_line(request(0), at(0));
  return false;
}

bool LockstepClassifier::settle(std::string* failure) { return pending_ == 0 || check_batch(failure); }

unsigned LockstepClassifier::in_place_room() {
  if (__builtin_expect(!dut_, 0)) connect();
  return lanes_ && ref_block_ ? 2 * lanes_ - 1 - pending_ : 0;
}

// Per instruction: its word, the runs' one control byte and the packed
// decision of its row; per run (with its rounds) and batch, one segment
// (where they retired); checked as each batch fills.
bool LockstepClassifier::in_place(const DecodeRequest& first, const InPlaceRun* runs, unsigned count,
                                  const sc_core::sc_time& at, const sc_core::sc_time& period, std::string* failure) {
  const uint8_t ctl = pack_ctl(first.mode, first.irq);
  const uint8_t* const expect_of = expect_of_row_[static_cast<unsigned>(first.mode)].data();
  const uint64_t step = period.value();
  step_ = step;
  const unsigned lanes = lanes_;
  uint64_t t = at.value();
  unsigned k = pending_;
  for (const InPlaceRun* run = runs; run != runs + count; ++run) {
    const unsigned n = run->n;
    uint64_t left = uint64_t{n} * run->repeat;  // instructions of this run still to hand over
    decodes_ += left;
    unsigned i = 0;  // the next one's offset in the run
    segments_[segment_count_++] = {static_cast<uint8_t>(k), 0, static_cast<uint8_t>(n), run->pc, t};
    while (left != 0) {
      const unsigned m = static_cast<unsigned>(std::min<uint64_t>(lanes - k, left));
      i = fill(k, *run, i, m, ctl, expect_of);
      k += m;
      left -= m;
      t += step * m;
      if (k == lanes) {
        pending_ = k;
        if (!check_batch(failure)) return false;
        k = 0;
        if (left != 0) segments_[segment_count_++] = {0, static_cast<uint8_t>(i), static_cast<uint8_t>(n), run->pc, t};
      }
    }
  }
  pending_ = k;
  return true;
}

unsigned LockstepClassifier::fill(unsigned k, const InPlaceRun& run, unsigned i, unsigned count, uint8_t ctl,
                                  const uint8_t* expect_of) {
  uint32_t* const insn = batch_.insn + k;
  uint8_t* const ctls = batch_.ctl + k;
  uint8_t* const expect = expect_.data() + k;
  const uint32_t* const words = run.insn;
  const uint16_t* const rows = run.row;
  const unsigned n = run.n;
  for (unsigned j = 0; j < count; ++j) {
    insn[j] = words[i];
    ctls[j] = ctl;
    expect[j] = expect_of[rows[i]];
    i = i + 1 == n ? 0 : i + 1;
  }
  return i;
}

bool LockstepClassifier::reference_decision(const DecodeRequest& request, Decision* out) {
  if (__builtin_expect(!dut_, 0)) connect();
  std::string failure;
  return ref_->decide(request, sc_core::SC_ZERO_TIME, out, &failure);
}

}  // namespace trimode

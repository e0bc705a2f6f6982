#include "models/classifier/lockstep_classifier.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
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
  avx2_ = slices::use_avx2();
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
    if (__builtin_expect(ref.action == spec::Action::kExec && ref.target == r.mode &&
                             TM_INSN_OPCODE(r.insn) != TM_OPCODE_SYSTEM,
                         1)) {
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

namespace {

// By control byte (6 bits): its 6 slices with every lane set to it.
constexpr std::array<std::array<uint64_t, 6>, 64> kCtlSlices = [] {
  std::array<std::array<uint64_t, 6>, 64> t{};
  for (unsigned c = 0; c < 64; ++c)
    for (unsigned b = 0; b < 6; ++b) t[c][b] = (c >> b & 1) ? ~uint64_t{0} : 0;
  return t;
}();

// Slice t (0, 1) of the action "execute in place", the same in every lane.
constexpr uint64_t exec_bit(unsigned t) { return (static_cast<unsigned>(spec::Action::kExec) >> t & 1) ? ~uint64_t{0} : 0; }

// Bit k of slices[0..bits) as a value (one lane of a sliced batch).
inline uint32_t lane_value(const uint64_t* slices, unsigned bits, unsigned k) {
  uint32_t v = 0;
  for (unsigned b = 0; b < bits; ++b) v |= static_cast<uint32_t>(slices[b] >> k & 1) << b;
  return v;
}
// value's bits into lane k of slices[0..bits) (lane k all 0 before).
inline void set_lane(uint64_t* slices, unsigned bits, unsigned k, uint32_t value) {
  for (unsigned b = 0; b < bits; ++b) slices[b] |= uint64_t{value >> b & 1} << k;
}

}  // namespace

void LockstepClassifier::add_to_batch(const DecodeRequest& r, const sc_core::sc_time& at, const Decision& ref) {
  const unsigned k = pending_;
  set_lane(batch_.insn, 32, k, r.insn);
  const uint8_t ctl = pack_ctl(r.mode, r.irq);
  if (batch_ctl_ == kNoCtl) batch_ctl_ = ctl;
  if (batch_ctl_ != ctl) {
    mixed_ctl();
    set_lane(batch_.ctl, 6, k, ctl);
  }
  set_lane(expect_, RunSlices::kDecBits, k, ref.kind);
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

// The RTL answers the whole batch in one evaluation, compared sliced: every
// lane's decision bits with the reference's and its cause bits with 0 (the
// reference's: it executes in place), OR-reduced over the batch's lanes.
bool LockstepClassifier::check_batch(std::string* failure) { return check<false>(failure); }

// check_batch()'s body, inlined into in_place()'s packing (so compiled with AVX2 there too).
template <bool kAvx2>
[[gnu::always_inline]] inline bool LockstepClassifier::check(std::string* failure) {
  const unsigned n = pending_, segments = segment_count_;
  pending_ = 0;
  segment_count_ = 0;
  if (batch_ctl_ < kNoCtl) {  // every lane's control byte the same: its slices
    const uint64_t* const all = kCtlSlices[batch_ctl_].data();
    for (unsigned t = 0; t < 6; ++t) batch_.ctl[t] = all[t];
  }
  SliceAnswers got;
  if (!dut_->decide_slices(batch_, n, &got, failure)) return false;
  uint64_t differ = (got.dec[0] ^ expect_[0]) | (got.dec[1] ^ expect_[1]);  // the kind
  differ |= got.dec[2] ^ exec_bit(0);                                       // action: execute in place
  differ |= got.dec[3] ^ exec_bit(1);
  differ |= (got.dec[4] ^ batch_.ctl[0]) | (got.dec[5] ^ batch_.ctl[1]);      // target: the lane's mode
  if (got.cause) {
    for (unsigned b = 0; b < 32; ++b) differ |= got.cause[b];
  }
  differ &= slices::lanes_below(n);
  if (__builtin_expect(differ != 0 || got.cycles != 1, 0)) return fail_batch(got, differ, segments, failure);
  clear_batch<kAvx2>();
  return true;
}

namespace {
// n slices from p on set to 0, sizeof(V) bytes per store (an AVX2 or an SSE2
// vector). The empty asm keeps the stores apart: the compiler would merge
// them into a memset (rep stos: an instruction per 8 bytes).
template <typename V>
[[gnu::always_inline]] inline void zero_slices(uint64_t* p, unsigned n) {
  const V zero{};
#pragma GCC unroll 16
  for (unsigned i = 0; i < n; i += sizeof(V) / 8) {
    std::memcpy(p + i, &zero, sizeof zero);
    asm("" : : "r"(p + i) : "memory");
  }
}
typedef uint64_t Slices4 __attribute__((vector_size(32)));
typedef uint64_t Slices2 __attribute__((vector_size(16)));
}  // namespace

template <bool kAvx2>
[[gnu::always_inline]] inline void LockstepClassifier::clear_batch() {
  static_assert(sizeof batch_.insn == 32 * 8 && sizeof batch_.ctl == 6 * 8 && RunSlices::kDecBits == 2,
                "the batch's slices");
  if constexpr (kAvx2) {
    zero_slices<Slices4>(batch_.insn, 32);
  } else {
    zero_slices<Slices2>(batch_.insn, 32);
  }
  zero_slices<Slices2>(batch_.ctl, 6);
  batch_ctl_ = kNoCtl;
  zero_slices<Slices2>(expect_, 2);
}

// The first difference (the lowest lane: retirement order) fails the run with
// its own time, pc, word and mode; with none, the batch's latency was not the
// 1 cycle of an in-place instruction: the first request is named.
bool LockstepClassifier::fail_batch(const SliceAnswers& got, uint64_t differ, unsigned count, std::string* failure) {
  const Segment* const segments = segments_.data();
  const auto segment = [&](unsigned k) {
    const Segment* s = segments;
    while (s + 1 != segments + count && s[1].first <= k) ++s;
    return *s;
  };
  const auto request = [&](unsigned k) {
    DecodeRequest r = unpack_request(lane_value(batch_.insn, 32, k), static_cast<uint8_t>(lane_value(batch_.ctl, 6, k)));
    const Segment s = segment(k);
    r.pc = s.pc + (s.n ? 4 * ((s.offset + k - s.first) % s.n) : 0);
    return r;
  };
  const auto at = [&](unsigned k) {
    const Segment s = segment(k);
    return sc_core::sc_time::from_value(s.at + step_ * (k - s.first));
  };
  bool ok;
  if (differ != 0) {
    const unsigned k = static_cast<unsigned>(__builtin_ctzll(differ));
    const uint32_t cause = got.cause ? lane_value(got.cause, 32, k) : 0;
    const auto dec = static_cast<uint8_t>(lane_value(got.dec, 6, k));
    const auto expect = static_cast<uint8_t>(lane_value(expect_, RunSlices::kDecBits, k) |
                                             static_cast<unsigned>(spec::Action::kExec) << 2 |
                                             lane_value(batch_.ctl, 2, k) << 4);
    ok = compare(request(k), at(k), unpack_dec(dec, cause), unpack_dec(expect, 0), failure);
  } else {
    *failure = late_line(request(0), at(0));
    ok = false;
  }
  clear_batch<false>();
  return ok;
}

bool LockstepClassifier::settle(std::string* failure) { return pending_ == 0 || check_batch(failure); }

void LockstepClassifier::set_watched(bool on) {
  if (__builtin_expect(!dut_, 0)) connect();
  dut_->set_watched(on);
  lanes_ = stop_ ? std::min(dut_->batch_lanes(), kMaxLanes) : 0;  // (as connect(); the batch is empty: settled)
}

unsigned LockstepClassifier::in_place_room() {
  if (__builtin_expect(!dut_, 0)) connect();
  return lanes_ && ref_block_ ? kBatchesAhead * lanes_ - 1 - pending_ : 0;
}

// Per run and batch: its slices shifted into the batch's lanes (the word's
// and the reference's decision's) and one segment (where they retired);
// per call and batch: the control slices. Checked as each batch fills.
// The packing's shifts are vector instructions: with AVX2 (when the host has
// it; x86-64's SSE2 otherwise) 4 slices per instruction, half as many.
bool LockstepClassifier::in_place(const DecodeRequest& first, const InPlaceRun* runs, unsigned count,
                                  const sc_core::sc_time& at, const sc_core::sc_time& period, std::string* failure) {
  if (__builtin_expect(!dut_, 0)) connect();
#if defined(__x86_64__)
  if (avx2_) return pack_avx2(first, runs, count, at, period, failure);
#endif
  return pack<false>(first, runs, count, at, period, failure);
}

#if defined(__x86_64__)
[[gnu::target("avx2")]] bool LockstepClassifier::pack_avx2(const DecodeRequest& first, const InPlaceRun* runs,
                                                           unsigned count, const sc_core::sc_time& at,
                                                           const sc_core::sc_time& period, std::string* failure) {
  return pack<true>(first, runs, count, at, period, failure);
}
#endif

template <bool kAvx2>
[[gnu::always_inline]] inline bool LockstepClassifier::pack(const DecodeRequest& first, const InPlaceRun* runs,
                                                            unsigned count, const sc_core::sc_time& at,
                                                            const sc_core::sc_time& period, std::string* failure) {
  const uint8_t ctl = pack_ctl(first.mode, first.irq);
  const uint64_t step = period.value();
  step_ = step;
  const unsigned lanes = lanes_;
  uint64_t t = at.value();
  unsigned k = pending_;
  unsigned from = k;  // this call's first lane in the batch
  Segment* segment = segments_.data() + segment_count_;
  // The requests this call put in batches: lanes k0.. of the first, all of each one checked, then lanes ..k.
  const unsigned k0 = k;
  uint64_t checked = 0;
  // The control slices: at the check while every lane has the same byte (batch_ctl_), else by call.
  if (batch_ctl_ == kNoCtl) batch_ctl_ = ctl;
  if (batch_ctl_ != ctl) mixed_ctl();
  // The batch is full (k == lanes): checked, and a new one begun (this call's lanes: its control byte).
  const auto check_full = [&]() {
    if (batch_ctl_ == kMixedCtl) fill_ctl(from, lanes, ctl);
    pending_ = lanes;
    segment_count_ = static_cast<unsigned>(segment - segments_.data());
    segment = segments_.data();
    checked += lanes;
    k = 0;
    from = 0;
    const bool ok = check<kAvx2>(failure);
    batch_ctl_ = ctl;
    return ok;
  };
  for (const InPlaceRun* run = runs; run != runs + count; ++run) {
    const unsigned n = run->n;
    const bool rounds = run->repeat > 1;
    const RunSlices* s = run->slices;
    if (__builtin_expect(!s || (rounds && s->period != n), 0)) {
      slice_block(run->insn, run->row, n, n, first.mode, &scratch_);
      s = &scratch_;
    }
    const uint64_t total = uint64_t{n} * run->repeat;
    const uint64_t* const src = rounds ? s->round[0] : s->once;
    *segment++ = {static_cast<uint8_t>(k), 0, static_cast<uint8_t>(n), run->pc, t};
    const unsigned room = lanes - k;
    if (__builtin_expect(total < room, 1)) {  // the whole run fits in the batch, with room left
      fill_short(k, src, static_cast<unsigned>(total));
      k += static_cast<unsigned>(total);
      t += step * total;
      continue;
    }
    if (!rounds && total - room < lanes) {  // one pass: it fills the batch, its rest begins the next
      fill(k, src, lanes);
      const unsigned rest = n - room;
      if (!check_full()) {
        decodes_ += checked - k0;
        return false;
      }
      if (rest != 0) {
        *segment++ = {0, static_cast<uint8_t>(room), static_cast<uint8_t>(n), run->pc, t + step * room};
        fill_rest(src, room, rest);
        k = rest;
      }
      t += step * total;
      continue;
    }
    // A loop's rounds filling the batch (and maybe further ones), or lanes
    // fewer than a run: from the run's offset i on.
    uint64_t left = total;
    unsigned i = 0;
    while (true) {
      if (k == lanes) {
        if (!check_full()) {
          decodes_ += checked - k0;
          return false;
        }
        if (left == 0) break;
        *segment++ = {0, static_cast<uint8_t>(i), static_cast<uint8_t>(n), run->pc, t};
      }
      const unsigned m = static_cast<unsigned>(std::min<uint64_t>(lanes - k, left));
      if (i == 0) {
        fill(k, src, k + m);
      } else {
        fill_from(k, *s, rounds, i, m);
      }
      i = static_cast<unsigned>((i + m) % n);
      k += m;
      left -= m;
      t += step * m;
      if (k < lanes) break;  // left is 0
    }
  }
  decodes_ += checked + k - k0;
  segment_count_ = static_cast<unsigned>(segment - segments_.data());
  if (batch_ctl_ == kMixedCtl) fill_ctl(from, k, ctl);
  pending_ = k;
  return true;
}

// The lanes so far get their control slices (every one batch_ctl_'s), and
// from now on each call or request fills its own.
void LockstepClassifier::mixed_ctl() {
  if (batch_ctl_ < kNoCtl) fill_ctl(0, pending_, static_cast<uint8_t>(batch_ctl_));
  batch_ctl_ = kMixedCtl;
}

// Lanes k..k+m from slices src[] bits 0.. (m < 64: no test for a whole word's mask).
[[gnu::always_inline]] inline void LockstepClassifier::fill_short(unsigned k, const uint64_t* __restrict src,
                                                                  unsigned m) {
  const uint64_t keep = (uint64_t{1} << (m & 63)) - 1;
  constexpr unsigned kWord = RunSlices::kWordBits;
  uint64_t* __restrict insn = batch_.insn;
  uint64_t* __restrict expect = expect_;
  for (unsigned b = 0; b < kWord; ++b) insn[b] |= (src[b] & keep) << k;
  for (unsigned t = 0; t < RunSlices::kDecBits; ++t) expect[t] |= (src[kWord + t] & keep) << k;
}

// Lanes k..to from slices src[] bits 0.. (src: RunSlices::kBits slices).
[[gnu::always_inline]] inline void LockstepClassifier::fill(unsigned k, const uint64_t* __restrict src, unsigned to) {
  const uint64_t keep = slices::lanes_below(to - k);
  constexpr unsigned kWord = RunSlices::kWordBits;
  uint64_t* __restrict insn = batch_.insn;
  uint64_t* __restrict expect = expect_;
  for (unsigned b = 0; b < kWord; ++b) insn[b] |= (src[b] & keep) << k;
  for (unsigned t = 0; t < RunSlices::kDecBits; ++t) expect[t] |= (src[kWord + t] & keep) << k;
}

// Lanes 0..m of a batch just begun from bits i.. of a run's one pass (src: RunSlices::once; i + m <= 64).
[[gnu::always_inline]] inline void LockstepClassifier::fill_rest(const uint64_t* __restrict src, unsigned i,
                                                                 unsigned m) {
  const uint64_t keep = slices::lanes_below(m);
  constexpr unsigned kWord = RunSlices::kWordBits;
  uint64_t* __restrict insn = batch_.insn;
  uint64_t* __restrict expect = expect_;
  for (unsigned b = 0; b < kWord; ++b) insn[b] |= src[b] >> i & keep;
  for (unsigned t = 0; t < RunSlices::kDecBits; ++t) expect[t] |= src[kWord + t] >> i & keep;
}

// The same from bit i (1..63) on: of a run's rounds (i + m may pass its end)
// or of its one pass.
[[gnu::always_inline]] inline void LockstepClassifier::fill_from(unsigned k, const RunSlices& s, bool rounds, unsigned i, unsigned m) {
  const uint64_t keep = slices::lanes_below(m);
  constexpr unsigned kWord = RunSlices::kWordBits;
  const uint64_t* __restrict lo = rounds ? s.round[0] : s.once;
  const uint64_t* __restrict hi = s.round[1];
  const unsigned up = rounds ? 64 - i : 64;  // hi's bits above lo's (none for one pass: shifted out whole)
  uint64_t* __restrict insn = batch_.insn;
  uint64_t* __restrict expect = expect_;
  for (unsigned b = 0; b < kWord; ++b) insn[b] |= ((lo[b] >> i | hi[b] << (up - 1) << 1) & keep) << k;
  for (unsigned t = 0; t < RunSlices::kDecBits; ++t)
    expect[t] |= ((lo[kWord + t] >> i | hi[kWord + t] << (up - 1) << 1) & keep) << k;
}


[[gnu::always_inline]] inline void LockstepClassifier::fill_ctl(unsigned from, unsigned to, uint8_t ctl) {
  const uint64_t range = slices::lanes_below(to) & ~slices::lanes_below(from);
  const uint64_t* const all = kCtlSlices[ctl & 63].data();
  for (unsigned t = 0; t < 6; ++t) batch_.ctl[t] |= all[t] & range;
}

bool LockstepClassifier::reference_decision(const DecodeRequest& request, Decision* out) {
  if (__builtin_expect(!dut_, 0)) connect();
  std::string failure;
  return ref_->decide(request, sc_core::SC_ZERO_TIME, out, &failure);
}

}  // namespace trimode

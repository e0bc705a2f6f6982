#include "models/classifier/classifier.hpp"

#include <array>
#include <vector>

#include "models/classifier/bit_slices.hpp"

namespace trimode {
namespace {

// Rows are bucketed by the two fields every RV32 format fixes first: the major
// opcode (bits 6:0) and funct3 (bits 14:12). A row that leaves funct3 free
// (lui, auipc, jal) is placed in all eight funct3 buckets of its opcode. A
// bucket whose rows all fix bits 31:20 (the SYSTEM buckets: funct12 or a CSR
// number) gets a second level indexed by those bits, so the ~100 CSR rows cost
// one lookup. Everything is built from spec::kRows at start-up; no mask is
// typed here.
constexpr uint32_t kMajorMask = 0x0000707Fu;
constexpr uint32_t kHighMask = 0xFFF00000u;

struct Bucket {
  std::vector<uint16_t> rows;
  std::vector<std::vector<uint16_t>> by_high;  // 4096 entries when used
};

uint32_t bucket_index(uint32_t insn) { return (insn & 0x7F) | ((insn >> 12 & 7) << 7); }

std::array<Bucket, 1024> build_buckets() {
  std::array<Bucket, 1024> buckets;
  for (uint16_t r = 0; r < spec::kNumRows; ++r) {
    const spec::Row& row = spec::kRows[r];
    const bool funct3_fixed = (row.mask & 0x7000u) == 0x7000u;
    for (uint32_t f3 = 0; f3 < 8; ++f3) {
      if (funct3_fixed && f3 != (row.match >> 12 & 7)) continue;
      buckets[(row.match & 0x7F) | (f3 << 7)].rows.push_back(r);
    }
  }
  for (Bucket& b : buckets) {
    bool all_high = b.rows.size() > 4;
    for (uint16_t r : b.rows) all_high = all_high && (spec::kRows[r].mask & kHighMask) == kHighMask;
    if (!all_high) continue;
    b.by_high.resize(4096);
    for (uint16_t r : b.rows) b.by_high[spec::kRows[r].match >> 20].push_back(r);
  }
  return buckets;
}

const std::array<Bucket, 1024>& buckets() {
  static const std::array<Bucket, 1024> table = build_buckets();
  return table;
}

uint16_t first_match(const std::vector<uint16_t>& rows, uint32_t insn) {
  for (uint16_t r : rows) {
    if ((insn & spec::kRows[r].mask) == spec::kRows[r].match) return r;
  }
  return kNoRow;
}

}  // namespace

uint16_t match_row(uint32_t insn) {
  static_assert((kMajorMask & kHighMask) == 0);
  const Bucket& b = buckets()[bucket_index(insn)];
  if (!b.by_high.empty()) return first_match(b.by_high[insn >> 20], insn);
  return first_match(b.rows, insn);
}

bool pending_interrupt(spec::Mode mode, IrqLines irq, Decision* out) {
  if (irq.timer_pending && (mode != spec::Mode::V || irq.v_ie)) {
    *out = {0, spec::Action::kTrap, spec::Mode::V, spec::kCauseIrqTimer, kNoRow};
    return true;
  }
  const bool virtual_enabled = mode == spec::Mode::U || (mode == spec::Mode::G && irq.g_ie);
  if (irq.virtual_pending && virtual_enabled) {
    *out = {0, spec::Action::kTrap, spec::Mode::G, spec::kCauseIrqVirtual, kNoRow};
    return true;
  }
  return false;
}

Decision classify_insn(uint32_t insn, spec::Mode mode) { return classify_row(match_row(insn), mode); }

Decision classify_row(uint16_t r, spec::Mode mode) {
  if (r == kNoRow) {
    return {0, spec::Action::kIllegal, exception_owner(mode), spec::kCauseIllegalInsn, kNoRow};
  }
  const spec::Cell& c = spec::kRows[r].cell[static_cast<unsigned>(mode)];
  return {c.kind, c.action, c.target, c.cause, r};
}

void slice_block(const uint32_t* words, const uint16_t* rows, unsigned len, unsigned period, spec::Mode mode,
                 RunSlices* out) {
  uint32_t w[slices::kLanes] = {};
  uint8_t dec[slices::kLanes] = {};
  for (unsigned j = 0; j < len; ++j) {
    w[j] = words[j];
    dec[j] = classify_row(rows[j], mode).kind;
  }
  slices::slice_words(w, out->once);
  slices::slice_bytes<RunSlices::kDecBits>(dec, out->once + RunSlices::kWordBits);
  // The rounds: the first `period` bits repeated, doubling the pattern's length up to 128 bits.
  const uint64_t keep = slices::lanes_below(period);
  for (unsigned b = 0; b < RunSlices::kBits; ++b) {
    uint64_t lo = out->once[b] & keep, hi = 0;
    for (unsigned have = period; have < 128; have *= 2) {
      if (have >= 64) {
        hi |= lo << (have - 64);
      } else {
        hi |= hi << have | lo >> (64 - have);
        lo |= lo << have;
      }
    }
    out->round[0][b] = lo;
    out->round[1][b] = hi;
  }
  out->period = period;
}

Decision classify(uint32_t insn, spec::Mode mode, IrqLines irq) {
  Decision d;
  if (pending_interrupt(mode, irq, &d)) return d;
  return classify_insn(insn, mode);
}

const char* mode_name(spec::Mode m) {
  switch (m) {
    case spec::Mode::U: return "U";
    case spec::Mode::G: return "G";
    case spec::Mode::V: return "V";
  }
  return "?";
}

const char* cause_name(uint32_t cause) {
  for (const spec::CauseInfo& c : spec::kCauses) {
    if (c.code == cause) return c.name;
  }
  return "unknown";
}

const char* action_name(spec::Action a) {
  switch (a) {
    case spec::Action::kExec: return "exec";
    case spec::Action::kTrap: return "trap";
    case spec::Action::kIllegal: return "illegal";
  }
  return "?";
}

}  // namespace trimode

// Property test: long random sequences of reserve / alloc (grow) / shrink /
// free_all on the C allocator and on the C++ reference model, from a fixed
// seed. After every operation: both agree exactly (status, whole global
// queue), the invariants hold, failures changed nothing, and the per-VM
// totals match an independent running count.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <random>

#include "tests/alloc/memq_testing.hpp"

namespace trimode {
namespace {

struct PropertyConfig {
  const char* name;
  uint32_t ram_base;
  uint32_t granules;
  uint32_t granule;
  uint32_t max_segs;
  uint32_t vms;  // VM ids used: 1..vms (plus out-of-range ones, rarely)
  uint32_t ops;
  uint32_t seed;
  uint32_t min_etable;  // ETABLE outcomes of alloc the run must produce
};

void PrintTo(const PropertyConfig& c, std::ostream* os) { *os << c.name; }

enum class Op { kReserve, kAlloc, kShrink, kShrinkBelow, kFreeAll };

// Independent checks of one state: sorted, disjoint, inside RAM, aligned,
// totals add up, no VM over its table.
void check_state(const memq& q, const PropertyConfig& c) {
  ASSERT_EQ(memq_check(&q), MEMQ_OK);
  const auto g = global_of(q);
  const uint64_t ram_end = uint64_t{c.ram_base} + uint64_t{c.granules} * c.granule;
  uint64_t at = c.ram_base, used = 0;
  std::map<uint32_t, uint64_t> per_owner;
  std::map<uint32_t, uint32_t> tuples;
  for (const auto& t : g) {
    ASSERT_GE(t.base, at) << "overlap or unsorted at " << t;
    ASSERT_GT(t.size, 0u);
    ASSERT_LE(uint64_t{t.base} + t.size, ram_end) << "outside RAM: " << t;
    ASSERT_EQ((t.base | t.size) % c.granule, 0u);
    at = uint64_t{t.base} + t.size;
    used += t.size;
    per_owner[t.owner] += t.size;
    tuples[t.owner]++;
  }
  ASSERT_EQ(used + memq_free_total(&q), uint64_t{c.granules} * c.granule);
  for (uint32_t vm = 0; vm <= MEMQ_MAX_VMS; vm++) {
    ASSERT_EQ(memq_vm_total(&q, vm), per_owner[vm]);
    ASSERT_EQ(segments_of(q, vm).size(), tuples[vm]);
    if (vm != 0) {
      ASSERT_LE(tuples[vm], c.max_segs);
    }
  }
}

class MemqProperty : public ::testing::TestWithParam<PropertyConfig> {};

TEST_P(MemqProperty, MatchesReferenceAndKeepsInvariants) {
  const PropertyConfig c = GetParam();
  const uint32_t ram_size = c.granules * c.granule;
  auto q = std::make_unique<memq>();
  ASSERT_EQ(memq_init(q.get(), c.ram_base, ram_size, c.granule, c.max_segs), MEMQ_OK);
  AllocRef ref(c.ram_base, ram_size, c.granule, AllocLimits{MEMQ_MAX_VMS, c.max_segs, MEMQ_MAX_RESERVED});

  std::mt19937 rng(c.seed);
  auto pick = [&rng](uint32_t lo, uint32_t hi) {
    return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
  };
  std::array<uint64_t, MEMQ_MAX_VMS + 1> expect_total{};  // running count per owner
  std::map<std::pair<Op, int>, uint64_t> outcomes;         // (op, status) -> times

  for (uint32_t step = 0; step < c.ops; step++) {
    const uint32_t roll = pick(0, 99);
    const Op op = roll < 2    ? Op::kReserve
                  : roll < 55 ? Op::kAlloc
                  : roll < 80 ? Op::kShrink
                  : roll < 94 ? Op::kShrinkBelow
                              : Op::kFreeAll;
    uint32_t vm = pick(1, c.vms);
    if (pick(0, 199) == 0) vm = pick(0, 1) ? 0 : MEMQ_MAX_VMS + 1;  // invalid ids, rarely
    // Sizes: mostly a few granules, sometimes unaligned, sometimes huge or 0.
    uint32_t n = pick(1, 6) * c.granule - (pick(0, 3) == 0 ? pick(0, c.granule - 1) : 0);
    if (pick(0, 49) == 0) n = pick(0, ram_size);
    if (op == Op::kShrink && pick(0, 3) == 0) n = static_cast<uint32_t>(ref.total(vm > MEMQ_MAX_VMS ? 1 : vm));
    const uint32_t rbase = c.ram_base + pick(0, ram_size - 1);
    const uint64_t limit = uint64_t{c.ram_base} + uint64_t{pick(0, c.granules)} * c.granule;

    const auto before = global_of(*q);
    int st = 0;
    AllocStatus rs = AllocStatus::kOk;
    switch (op) {
      case Op::kReserve: st = memq_reserve(q.get(), rbase, n); rs = ref.reserve(rbase, n); break;
      case Op::kAlloc: st = memq_alloc(q.get(), vm, n); rs = ref.alloc(vm, n); break;
      case Op::kShrink: st = memq_shrink(q.get(), vm, n); rs = ref.shrink(vm, n); break;
      case Op::kShrinkBelow: st = memq_shrink_below(q.get(), vm, n, limit); rs = ref.shrink_below(vm, n, limit); break;
      case Op::kFreeAll: st = memq_free_all(q.get(), vm); rs = ref.free_all(vm); break;
    }
    outcomes[{op, st}]++;
    SCOPED_TRACE(::testing::Message() << c.name << " step " << step << " op " << static_cast<int>(op)
                                      << " vm " << vm << " n " << n << " base " << rbase);
    ASSERT_EQ(st, static_cast<int>(rs));
    ASSERT_EQ(global_of(*q), ref.global());
    if (st != MEMQ_OK) {
      ASSERT_EQ(global_of(*q), before) << "a failed request changed the state";
    } else {
      const uint64_t r = memq_round(q.get(), n);  // no overflow: the call succeeded
      if (op == Op::kAlloc) expect_total[vm] += r;
      if (op == Op::kShrink || op == Op::kShrinkBelow) expect_total[vm] -= r;
      if (op == Op::kFreeAll) expect_total[vm] = 0;
      if (op == Op::kReserve) expect_total[0] = memq_vm_total(q.get(), 0);  // widening: see unit tests
    }
    for (uint32_t o = 1; o <= MEMQ_MAX_VMS; o++) ASSERT_EQ(memq_vm_total(q.get(), o), expect_total[o]);
    check_state(*q, c);
    if (HasFatalFailure()) return;
  }
  // The run must have exercised every outcome of the allocation paths.
  EXPECT_GT((outcomes[{Op::kAlloc, MEMQ_OK}]), c.ops / 20);
  EXPECT_GT((outcomes[{Op::kAlloc, MEMQ_ENOMEM}]), 100u);
  EXPECT_GE((outcomes[{Op::kAlloc, MEMQ_ETABLE}]), c.min_etable);
  EXPECT_GT((outcomes[{Op::kShrink, MEMQ_OK}]), c.ops / 20);
  EXPECT_GT((outcomes[{Op::kShrinkBelow, MEMQ_OK}]), c.ops / 40);
  EXPECT_GT((outcomes[{Op::kReserve, MEMQ_OK}]), 0u);
  for (const auto& [k, v] : outcomes) {
    std::printf("%s op %d status %d: %llu\n", c.name, static_cast<int>(k.first), k.second,
                static_cast<unsigned long long>(v));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, MemqProperty,
    ::testing::Values(
        // Pages over 1 MiB at the platform's RAM base, a small segment table.
        PropertyConfig{"pages", 0x80000000u, 256, 4096, 8, 6, 100000, 20240601u, 1000},
        // Unit granule, small RAM: many exact fits and merges.
        PropertyConfig{"units", 0, 96, 1, 4, 5, 100000, 7u, 1000},
        // Table at the default 32: ENOMEM rather than ETABLE dominates.
        PropertyConfig{"table32", 0x1000, 512, 64, 32, 12, 100000, 99u, 1}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace trimode

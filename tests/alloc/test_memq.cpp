// Unit tests of the hypervisor's memory allocator (sw/hypervisor/memq) and
// its C++ reference model (models/alloc): the seed's example, the brief's
// corrections, limits and errors.
#include <gtest/gtest.h>

#include <memory>

#include "tests/alloc/memq_testing.hpp"

namespace trimode {
namespace {

constexpr uint32_t kV = MEMQ_OWNER_V;

// A heap-held memq (the struct is ~12 KiB with its scratch queue).
std::unique_ptr<memq> make(uint32_t base, uint32_t size, uint32_t granule, uint32_t segs) {
  auto q = std::make_unique<memq>();
  EXPECT_EQ(memq_init(q.get(), base, size, granule, segs), MEMQ_OK);
  return q;
}

// The seed's memory before its request of 12 (RAM [0,32), granule 1),
// reached through a history: V holds (0,4); VM1 held (4,4) and (10,5) and
// shut down; VM2 holds (8,2), VM3 holds (15,9); [24,32) was never used.
void seed_history(memq* q) {
  ASSERT_EQ(memq_reserve(q, 0, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc(q, 1, 4), MEMQ_OK);   // VM1 (4,4)
  ASSERT_EQ(memq_alloc(q, 2, 2), MEMQ_OK);   // VM2 (8,2)
  ASSERT_EQ(memq_alloc(q, 1, 5), MEMQ_OK);   // VM1 grows: (10,5)
  ASSERT_EQ(memq_alloc(q, 3, 9), MEMQ_OK);   // VM3 (15,9)
  ASSERT_EQ(memq_free_all(q, 1), MEMQ_OK);   // VM1 shuts down
}

TEST(Memq, SeedExample) {
  auto q = make(0, 32, 1, 32);
  seed_history(q.get());
  const std::vector<AllocTuple> before = {{0, 4, kV}, {8, 2, 2}, {15, 9, 3}};
  ASSERT_EQ(global_of(*q), before);
  ASSERT_EQ(memq_free_total(q.get()), 32u - 15u);

  ASSERT_EQ(memq_alloc(q.get(), 4, 12), MEMQ_OK);
  EXPECT_EQ(segments_of(*q, 4), T(4, {{4, 4}, {10, 5}, {24, 3}}));
  const std::vector<AllocTuple> after = {{0, 4, kV}, {4, 4, 4},  {8, 2, 2},
                                         {10, 5, 4}, {15, 9, 3}, {24, 3, 4}};
  EXPECT_EQ(global_of(*q), after);
  EXPECT_EQ(memq_free_total(q.get()), 5u);
  EXPECT_EQ(memq_vm_total(q.get(), 4), 12u);
  EXPECT_EQ(memq_check(q.get()), MEMQ_OK);
}

TEST(AllocRef, SeedExample) {
  AllocRef r(0, 32, 1, AllocLimits{});
  ASSERT_EQ(r.reserve(0, 4), AllocStatus::kOk);
  ASSERT_EQ(r.alloc(1, 4), AllocStatus::kOk);
  ASSERT_EQ(r.alloc(2, 2), AllocStatus::kOk);
  ASSERT_EQ(r.alloc(1, 5), AllocStatus::kOk);
  ASSERT_EQ(r.alloc(3, 9), AllocStatus::kOk);
  ASSERT_EQ(r.free_all(1), AllocStatus::kOk);
  ASSERT_EQ(r.alloc(4, 12), AllocStatus::kOk);
  EXPECT_EQ(r.segments(4), T(4, {{4, 4}, {10, 5}, {24, 3}}));
  EXPECT_EQ(r.free_total(), 5u);
}

// The seed's test is "gap > sz", which skips a gap of exactly sz: corrected.
TEST(Memq, ExactFitGapIsUsed) {
  auto q = make(0, 16, 1, 32);
  ASSERT_EQ(memq_alloc(q.get(), 1, 4), MEMQ_OK);  // (0,4)
  ASSERT_EQ(memq_alloc(q.get(), 2, 4), MEMQ_OK);  // (4,4)
  ASSERT_EQ(memq_alloc(q.get(), 3, 4), MEMQ_OK);  // (8,4); [12,16) stays free
  ASSERT_EQ(memq_free_all(q.get(), 2), MEMQ_OK);
  ASSERT_EQ(memq_alloc(q.get(), 4, 4), MEMQ_OK);
  EXPECT_EQ(segments_of(*q, 4), T(4, {{4, 4}}));
}

// The seed's new base is glb_mem_q[i].size; it is .base + .size.
TEST(Memq, NewBaseIsEndOfPreviousTuple) {
  auto q = make(0x1000, 0x100, 1, 32);
  ASSERT_EQ(memq_alloc(q.get(), 1, 0x10), MEMQ_OK);
  ASSERT_EQ(memq_alloc(q.get(), 2, 0x10), MEMQ_OK);
  EXPECT_EQ(segments_of(*q, 2), T(2, {{0x1010, 0x10}}));
}

TEST(Memq, AdjacentTuplesOfOneVmMerge) {
  auto q = make(0, 64, 1, 32);
  ASSERT_EQ(memq_alloc(q.get(), 1, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc(q.get(), 1, 4), MEMQ_OK);  // grows upward: merges
  EXPECT_EQ(segments_of(*q, 1), T(1, {{0, 8}}));

  ASSERT_EQ(memq_alloc(q.get(), 2, 4), MEMQ_OK);  // (8,4)
  ASSERT_EQ(memq_alloc(q.get(), 1, 4), MEMQ_OK);  // (12,4): VM1 = (0,8) (12,4)
  EXPECT_EQ(segments_of(*q, 1), T(1, {{0, 8}, {12, 4}}));
  ASSERT_EQ(memq_free_all(q.get(), 2), MEMQ_OK);
  ASSERT_EQ(memq_alloc(q.get(), 1, 4), MEMQ_OK);  // fills [8,12): three become one
  EXPECT_EQ(segments_of(*q, 1), T(1, {{0, 16}}));
  EXPECT_EQ(memq_global_count(q.get()), 1u);

  ASSERT_EQ(memq_reserve(q.get(), 32, 4), MEMQ_OK);
  ASSERT_EQ(memq_reserve(q.get(), 36, 4), MEMQ_OK);  // V's tuples merge too
  EXPECT_EQ(segments_of(*q, kV), T(kV, {{32, 8}}));
  EXPECT_EQ(memq_check(q.get()), MEMQ_OK);
}

TEST(Memq, ShrinkGivesBackHighestAddresses) {
  auto q = make(0, 32, 1, 32);
  seed_history(q.get());
  ASSERT_EQ(memq_alloc(q.get(), 4, 12), MEMQ_OK);  // (4,4) (10,5) (24,3)
  ASSERT_EQ(memq_shrink(q.get(), 4, 5), MEMQ_OK);  // drops (24,3), trims (10,5)
  EXPECT_EQ(segments_of(*q, 4), T(4, {{4, 4}, {10, 3}}));
  ASSERT_EQ(memq_shrink(q.get(), 4, 3), MEMQ_OK);  // exactly one tuple
  EXPECT_EQ(segments_of(*q, 4), T(4, {{4, 4}}));
  EXPECT_EQ(memq_shrink(q.get(), 4, 5), MEMQ_EINVAL);  // more than it holds
  ASSERT_EQ(memq_shrink(q.get(), 4, 4), MEMQ_OK);      // all of it
  EXPECT_TRUE(segments_of(*q, 4).empty());
  EXPECT_EQ(global_of(*q), (std::vector<AllocTuple>{{0, 4, kV}, {8, 2, 2}, {15, 9, 3}}));
}

TEST(Memq, FreeAllLeavesOthers) {
  auto q = make(0, 32, 1, 32);
  seed_history(q.get());
  ASSERT_EQ(memq_alloc(q.get(), 4, 12), MEMQ_OK);
  ASSERT_EQ(memq_free_all(q.get(), 4), MEMQ_OK);
  EXPECT_EQ(global_of(*q), (std::vector<AllocTuple>{{0, 4, kV}, {8, 2, 2}, {15, 9, 3}}));
  EXPECT_EQ(memq_free_total(q.get()), 17u);
  EXPECT_EQ(memq_free_all(q.get(), 4), MEMQ_OK);  // nothing held: fine
  EXPECT_EQ(memq_free_all(q.get(), 0), MEMQ_EINVAL);
  EXPECT_EQ(memq_free_all(q.get(), MEMQ_MAX_VMS + 1), MEMQ_EINVAL);
}

TEST(Memq, GranularityRoundsUp) {
  const uint32_t kBase = 0x80000000u, kPage = 4096;
  auto q = make(kBase, 16 * kPage, kPage, 32);
  ASSERT_EQ(memq_alloc(q.get(), 1, 1), MEMQ_OK);
  EXPECT_EQ(memq_vm_total(q.get(), 1), kPage);
  ASSERT_EQ(memq_alloc(q.get(), 2, kPage + 1), MEMQ_OK);
  EXPECT_EQ(segments_of(*q, 2), T(2, {{kBase + kPage, 2 * kPage}}));
  ASSERT_EQ(memq_shrink(q.get(), 2, 1), MEMQ_OK);  // one whole page back
  EXPECT_EQ(segments_of(*q, 2), T(2, {{kBase + kPage, kPage}}));
  ASSERT_EQ(memq_reserve(q.get(), kBase + 8 * kPage + 0x10, 0x20), MEMQ_OK);  // widened
  EXPECT_EQ(segments_of(*q, kV), T(kV, {{kBase + 8 * kPage, kPage}}));
  EXPECT_EQ(memq_round(q.get(), 1), kPage);
  EXPECT_EQ(memq_round(q.get(), 0xFFFFFFFFu), 0u);  // overflows 32 bits
  EXPECT_EQ(memq_alloc(q.get(), 3, 0xFFFFFFFFu), MEMQ_ENOMEM);
  EXPECT_EQ(memq_check(q.get()), MEMQ_OK);
}

TEST(Memq, InitRejectsBadGeometry) {
  memq q{};
  EXPECT_EQ(memq_init(&q, 0, 4096, 3000, 32), MEMQ_EINVAL);   // not a power of two
  EXPECT_EQ(memq_init(&q, 0, 4096, 0, 32), MEMQ_EINVAL);
  EXPECT_EQ(memq_init(&q, 0x10, 4096, 4096, 32), MEMQ_EINVAL);  // misaligned base
  EXPECT_EQ(memq_init(&q, 0, 4000, 4096, 32), MEMQ_EINVAL);     // misaligned size
  EXPECT_EQ(memq_init(&q, 0, 0, 1, 32), MEMQ_EINVAL);
  EXPECT_EQ(memq_init(&q, 0xFFFFF000u, 0x2000, 4096, 32), MEMQ_EINVAL);  // past 2^32
  EXPECT_EQ(memq_init(&q, 0, 4096, 1, 0), MEMQ_EINVAL);
  EXPECT_EQ(memq_init(&q, 0, 4096, 1, MEMQ_MAX_SEGS_PER_VM + 1), MEMQ_EINVAL);
  EXPECT_EQ(memq_init(&q, 0x80000000u, 0x80000000u, 4096, 32), MEMQ_OK);  // up to 2^32
  EXPECT_EQ(memq_alloc(&q, 1, 0x80000000u), MEMQ_OK);
  EXPECT_EQ(memq_free_total(&q), 0u);
}

// Every failing call must leave the whole state as it was.
class MemqFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    q_ = make(0, 32, 1, 3);
    seed_history(q_.get());
    before_ = global_of(*q_);
  }
  void expect_unchanged() {
    EXPECT_EQ(global_of(*q_), before_);
    EXPECT_EQ(memq_free_total(q_.get()), 17u);
    EXPECT_EQ(memq_check(q_.get()), MEMQ_OK);
  }
  std::unique_ptr<memq> q_;
  std::vector<AllocTuple> before_;
};

TEST_F(MemqFailure, ExhaustedMemory) {
  EXPECT_EQ(memq_alloc(q_.get(), 4, 18), MEMQ_ENOMEM);
  expect_unchanged();
  ASSERT_EQ(memq_alloc(q_.get(), 2, 17 - 4), MEMQ_OK);  // VM2: (4,11) (24,4)
  EXPECT_EQ(memq_alloc(q_.get(), 5, 4), MEMQ_OK);
  EXPECT_EQ(memq_free_total(q_.get()), 0u);
  const auto full = global_of(*q_);
  EXPECT_EQ(memq_alloc(q_.get(), 5, 1), MEMQ_ENOMEM);
  EXPECT_EQ(global_of(*q_), full);
}

TEST_F(MemqFailure, SegmentTableFull) {
  // Limit 3 per VM. Fragment the free space into four gaps first.
  ASSERT_EQ(memq_alloc(q_.get(), 5, 1), MEMQ_OK);  // (4,1)
  ASSERT_EQ(memq_alloc(q_.get(), 6, 1), MEMQ_OK);  // (5,1)
  ASSERT_EQ(memq_free_all(q_.get(), 5), MEMQ_OK);  // gaps: [4,5) [6,8) [10,15) [24,32)
  before_ = global_of(*q_);
  EXPECT_EQ(memq_alloc(q_.get(), 7, 1 + 2 + 5 + 1), MEMQ_ETABLE);  // 4 pieces > 3
  EXPECT_EQ(global_of(*q_), before_);
  EXPECT_EQ(memq_alloc(q_.get(), 7, 1 + 2 + 5), MEMQ_OK);  // 3 pieces: at the limit
  EXPECT_EQ(memq_alloc(q_.get(), 7, 1), MEMQ_ETABLE);      // growing needs a 4th
  EXPECT_EQ(memq_vm_total(q_.get(), 7), 8u);
  EXPECT_EQ(memq_check(q_.get()), MEMQ_OK);
}

TEST(Memq, ReservedTableFull) {
  auto q = make(0, 64, 1, 32);
  for (uint32_t i = 0; i < MEMQ_MAX_RESERVED; i++) ASSERT_EQ(memq_reserve(q.get(), 2 * i, 1), MEMQ_OK);
  const auto full = global_of(*q);
  EXPECT_EQ(memq_reserve(q.get(), 40, 1), MEMQ_ETABLE);
  EXPECT_EQ(global_of(*q), full);
  EXPECT_EQ(memq_reserve(q.get(), 1, 1), MEMQ_OK);  // merges two: fewer tuples
}

TEST_F(MemqFailure, InvalidArguments) {
  EXPECT_EQ(memq_alloc(q_.get(), 0, 4), MEMQ_EINVAL);                 // V does not alloc
  EXPECT_EQ(memq_alloc(q_.get(), MEMQ_MAX_VMS + 1, 4), MEMQ_EINVAL);
  EXPECT_EQ(memq_alloc(q_.get(), 4, 0), MEMQ_EINVAL);
  EXPECT_EQ(memq_shrink(q_.get(), 3, 10), MEMQ_EINVAL);  // holds 9
  EXPECT_EQ(memq_shrink(q_.get(), 3, 0), MEMQ_EINVAL);
  EXPECT_EQ(memq_shrink(q_.get(), 0, 1), MEMQ_EINVAL);
  EXPECT_EQ(memq_reserve(q_.get(), 6, 4), MEMQ_EINVAL);   // overlaps VM2's (8,2)
  EXPECT_EQ(memq_reserve(q_.get(), 30, 4), MEMQ_EINVAL);  // past the end of RAM
  EXPECT_EQ(memq_reserve(q_.get(), 5, 0), MEMQ_EINVAL);
  expect_unchanged();
}

TEST(Memq, SegmentsQueryCountsBeyondMax) {
  auto q = make(0, 32, 1, 32);
  seed_history(q.get());
  ASSERT_EQ(memq_alloc(q.get(), 4, 12), MEMQ_OK);
  memq_seg one{};
  EXPECT_EQ(memq_vm_segments(q.get(), 4, &one, 1), 3u);
  EXPECT_EQ(one.base, 4u);
  EXPECT_EQ(memq_vm_segments(q.get(), 4, nullptr, 0), 3u);
  EXPECT_EQ(memq_global_at(q.get(), 6), nullptr);
}

// memq_alloc_at: an exact range (a guest kernel linked at a fixed address),
// merging with the VM's touching tuples; taken, misaligned or outside ranges
// are refused and change nothing.
TEST(Memq, AllocAtExactRange) {
  auto q = make(0, 64, 4, 4);
  ASSERT_EQ(memq_reserve(q.get(), 0, 8), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 1, 32, 8), MEMQ_OK);
  EXPECT_EQ(segments_of(*q, 1), T(1, {{32, 8}}));
  ASSERT_EQ(memq_alloc(q.get(), 1, 8), MEMQ_OK);  // scattered rest: the first gap
  EXPECT_EQ(segments_of(*q, 1), T(1, {{8, 8}, {32, 8}}));
  ASSERT_EQ(memq_alloc_at(q.get(), 1, 40, 3), MEMQ_OK);  // rounded, merges below
  EXPECT_EQ(segments_of(*q, 1), T(1, {{8, 8}, {32, 12}}));
  ASSERT_EQ(memq_alloc_at(q.get(), 1, 28, 4), MEMQ_OK);  // merges above
  EXPECT_EQ(segments_of(*q, 1), T(1, {{8, 8}, {28, 16}}));
  EXPECT_EQ(memq_check(q.get()), MEMQ_OK);

  const auto before = global_of(*q);
  EXPECT_EQ(memq_alloc_at(q.get(), 2, 4, 4), MEMQ_EINVAL);    // V's
  EXPECT_EQ(memq_alloc_at(q.get(), 2, 40, 8), MEMQ_EINVAL);   // VM 1's
  EXPECT_EQ(memq_alloc_at(q.get(), 2, 50, 4), MEMQ_EINVAL);   // misaligned base
  EXPECT_EQ(memq_alloc_at(q.get(), 2, 60, 8), MEMQ_EINVAL);   // past RAM
  EXPECT_EQ(memq_alloc_at(q.get(), 2, 48, 0), MEMQ_EINVAL);   // size 0
  EXPECT_EQ(memq_alloc_at(q.get(), 0, 48, 4), MEMQ_EINVAL);   // owner V
  EXPECT_EQ(global_of(*q), before);

  // Filling holes next to a VM's tuples merges them.
  ASSERT_EQ(memq_alloc_at(q.get(), 3, 48, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 3, 56, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 3, 20, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 3, 16, 1), MEMQ_OK);  // merges with (20,4)
  ASSERT_EQ(segments_of(*q, 3), T(3, {{16, 8}, {48, 4}, {56, 4}}));
  ASSERT_EQ(memq_alloc_at(q.get(), 3, 24, 4), MEMQ_OK);  // merges: (16,12)
  ASSERT_EQ(memq_alloc_at(q.get(), 3, 60, 4), MEMQ_OK);  // merges: (56,8)
  EXPECT_EQ(segments_of(*q, 3), T(3, {{16, 12}, {48, 4}, {56, 8}}));
  EXPECT_EQ(memq_check(q.get()), MEMQ_OK);
}

TEST(Memq, AllocAtTableFull) {
  auto q = make(0, 64, 4, 2);
  ASSERT_EQ(memq_alloc_at(q.get(), 1, 0, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 1, 16, 4), MEMQ_OK);
  const auto before = global_of(*q);
  EXPECT_EQ(memq_alloc_at(q.get(), 1, 32, 4), MEMQ_ETABLE);
  EXPECT_EQ(global_of(*q), before);
  EXPECT_EQ(memq_alloc_at(q.get(), 1, 4, 12), MEMQ_OK);  // fills the hole: one tuple
  EXPECT_EQ(segments_of(*q, 1), T(1, {{0, 20}}));
}

}  // namespace

TEST(MemqShrinkBelow, GivesBackOnlyBelowTheLimitAndSplitsACrossingTuple) {
  auto q = std::make_unique<memq>();
  ASSERT_EQ(memq_init(q.get(), 0, 32, 1, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 4, 4, 4), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 4, 10, 5), MEMQ_OK);
  ASSERT_EQ(memq_alloc_at(q.get(), 4, 24, 3), MEMQ_OK);
  ASSERT_EQ(memq_shrink_below(q.get(), 4, 6, 20), MEMQ_OK);  // the header's example
  memq_seg segs[4];
  ASSERT_EQ(memq_vm_segments(q.get(), 4, segs, 4), 2u);
  EXPECT_EQ(segs[0].base, 4u);
  EXPECT_EQ(segs[0].size, 3u);
  EXPECT_EQ(segs[1].base, 24u);
  EXPECT_EQ(segs[1].size, 3u);
  EXPECT_EQ(memq_shrink_below(q.get(), 4, 4, 20), MEMQ_EINVAL) << "only 3 below 20";
  // A tuple crossing the limit keeps its part above it.
  ASSERT_EQ(memq_shrink_below(q.get(), 4, 2, 26), MEMQ_OK);
  ASSERT_EQ(memq_vm_segments(q.get(), 4, segs, 4), 2u);
  EXPECT_EQ(segs[0].base, 4u);
  EXPECT_EQ(segs[0].size, 3u);
  EXPECT_EQ(segs[1].base, 26u);
  EXPECT_EQ(segs[1].size, 1u);
}

}  // namespace trimode

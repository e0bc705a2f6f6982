// The stride scheduler (sw/hypervisor/scheduler.c): its policy alone (pick,
// charge, wake) and driven through hv_trap by timer interrupts, wfi and the
// virtual-timer hypercall on the fake hardware.
#include <gtest/gtest.h>

#include <vector>

#include "boot.hpp"

namespace {

using hvtest::Boot;

// VMs 1..n, READY, the given weights, no memory: the policy only.
void policy_vms(const std::vector<uint32_t>& weights) {
  std::memset(hv_vms, 0, sizeof hv_vms);
  for (uint32_t i = 0; i < weights.size(); i++) {
    hv_vms[i + 1].id = i + 1;
    hv_vms[i + 1].status = VM_READY;
    hv_vms[i + 1].weight = weights[i];
  }
}

TEST(Stride, PicksTheLowestPassLowestIdOnATie) {
  policy_vms({1, 1, 1});
  hv_vms[1].pass = 30, hv_vms[2].pass = 10, hv_vms[3].pass = 10;
  EXPECT_EQ(sched_pick(0), &hv_vms[2]);
  hv_vms[2].status = VM_DONE;
  EXPECT_EQ(sched_pick(0), &hv_vms[3]);
  hv_vms[3].status = VM_IDLE;  // no timer: not runnable
  EXPECT_EQ(sched_pick(0), &hv_vms[1]);
  hv_vms[1].status = VM_EMPTY;
  EXPECT_EQ(sched_pick(0), nullptr);
}

TEST(Stride, ChargeAdvancesPassInverselyToWeight) {
  policy_vms({1, 4});
  sched_charge(&hv_vms[1], 1000);
  sched_charge(&hv_vms[2], 1000);
  EXPECT_EQ(hv_vms[1].cpu_ticks, 1000u);
  EXPECT_EQ(hv_vms[1].pass, 1000ull * SCHED_STRIDE_ONE);
  EXPECT_EQ(hv_vms[2].pass, 1000ull * SCHED_STRIDE_ONE / 4);
}

// The charge's pass advance is ticks * SCHED_STRIDE_ONE / weight exactly, whether
// it takes the 32-bit divisions (the usual ticks and weights) or the 64-bit one.
TEST(Stride, ChargeIsExactOnEveryPath) {
  std::vector<uint64_t> ticks{0, 1, 7, 999, 65535, 65536, 100000, 123456789, 0xFFFFFFFFull, 0x100000000ull, 0x123456789ABull};
  std::vector<uint32_t> weights{1, 2, 3, 7, 1000, 65535, 65536, 70000, 0xFFFFFFFFu};
  for (uint64_t t : ticks) {
    for (uint32_t w : weights) {
      policy_vms({w});
      hv_vms[1].pass = 5;
      sched_charge(&hv_vms[1], t);
      EXPECT_EQ(hv_vms[1].pass, 5 + t * SCHED_STRIDE_ONE / w) << t << " ticks at weight " << w;
    }
  }
}

TEST(Stride, SharesFollowWeights) {
  policy_vms({1, 3, 6});
  uint32_t slices[4] = {};
  for (int i = 0; i < 1000; i++) {
    struct vm* v = sched_pick(0);
    ASSERT_NE(v, nullptr);
    slices[v->id]++;
    sched_charge(v, 1000);
  }
  EXPECT_NEAR(slices[1], 100, 1);
  EXPECT_NEAR(slices[2], 300, 1);
  EXPECT_NEAR(slices[3], 600, 1);
}

// A VM that slept through 100 of another's slices, then wakes: without a
// re-base its pass is 100 slices behind and it runs 100 slices in a row.
TEST(Stride, AWakingVmIsRebasedAndTakesNoBurst) {
  policy_vms({1, 1});
  hv_vms[1].status = VM_IDLE;
  hv_vms[1].vt_period = 1000;
  hv_vms[1].vt_next = 100000;
  for (int i = 0; i < 100; i++) {
    struct vm* v = sched_pick(i * 1000);
    ASSERT_EQ(v, &hv_vms[2]) << "the sleeping VM is not runnable before its timer";
    sched_charge(v, 1000);
  }
  std::vector<uint32_t> order;
  for (int i = 0; i < 10; i++) {
    struct vm* v = sched_pick(100000 + i * 1000);
    ASSERT_NE(v, nullptr);
    if (i == 0) {
      EXPECT_EQ(hv_vms[1].pass, hv_vms[2].pass) << "re-based to the least-advanced runnable VM";
    }
    order.push_back(v->id);
    sched_charge(v, 1000);
  }
  EXPECT_EQ(order, (std::vector<uint32_t>{1, 2, 1, 2, 1, 2, 1, 2, 1, 2}));
}

TEST(Stride, WakeNeverLowersAPass) {
  policy_vms({1, 1});
  hv_vms[1].status = VM_IDLE;
  hv_vms[1].pass = 500;
  hv_vms[2].pass = 100;
  sched_wake(&hv_vms[1]);
  EXPECT_EQ(hv_vms[1].status, VM_READY);
  EXPECT_EQ(hv_vms[1].pass, 500u);
  policy_vms({1});
  hv_vms[1].status = VM_IDLE;
  hv_vms[1].pass = 7;
  sched_wake(&hv_vms[1]);  // nothing else runnable: nothing to re-base on
  EXPECT_EQ(hv_vms[1].pass, 7u);
}

// The same through the trap layer: vm1 sets a virtual timer and sleeps in
// wfi; vm2 runs slice after slice (timer interrupts); when vm1's timer falls
// due, the two alternate.
TEST(Stride, ThroughTimerInterruptsAndWfi) {
  Boot b;
  b.vm(1);
  b.vm(2);
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  ASSERT_EQ(hv_cur->id, 1u);
  uint64_t now = 0;
  fake_set_time(now);
  frame[17] = TM_SYS_VTIMER;
  frame[10] = 50000;  // 5 ms
  ASSERT_EQ(fake_trap(frame, TM_CAUSE_VCALL_G, 0, TM_MODE_G), 1);
  ASSERT_EQ(fake_trap(frame, TM_CAUSE_SENSITIVE_INSN, TM_INSN_WFI, TM_MODE_G), 1);
  ASSERT_EQ(hv_cur->id, 2u);
  std::vector<uint32_t> order;
  for (int i = 0; i < 60; i++) {
    now += 1000;  // one timeslice
    fake_set_time(now);
    ASSERT_EQ(fake_trap(frame, TM_CAUSE_IRQ_TIMER, 0, TM_MODE_G), 1);
    order.push_back(hv_cur->id);
  }
  size_t first1 = 0;
  while (first1 < order.size() && order[first1] == 2) first1++;
  ASSERT_GE(first1, 40u) << "vm1 slept until its timer";
  ASSERT_LT(first1, order.size()) << "vm1 woke";
  for (size_t i = first1; i + 1 < order.size(); i++)
    EXPECT_NE(order[i], order[i + 1]) << "slice " << i << ": a woken VM takes no burst";
}

}  // namespace

// IPC keys (sw/hypervisor/keys.c): each VM's key namespace, its quotas
// (TM_LIMIT_KEYS keys, TM_LIMIT_KEY_QUEUE messages a key), sharing through a
// {"from", "to", "key"} filter, and a VM's end. The calls go to keys.c as the
// I/O layer makes them (buffers already checked and physical: host pointers
// here), and once through hv_trap (the vcall numbers and the U buffer check).
#include <gtest/gtest.h>

#include <string>

#include "boot.hpp"

extern "C" {
#include "keys.h"
}

namespace {

using hvtest::Boot;
using hvtest::Process;

// The calls of VM `id` (any VM, running or not: keys.c does not care).
struct Caller {
  struct vm* v;
  explicit Caller(uint32_t id) : v(&hv_vms[id]) {}
  long make(uint32_t key) { return keys_get(v, 0, key, 1); }
  long get(uint32_t owner, uint32_t key, uint32_t create = 0) { return keys_get(v, owner, key, create); }
  long send(uint32_t owner, uint32_t key, const std::string& m) {
    return keys_send(v, owner, key, m.data(), static_cast<uint32_t>(m.size()));
  }
  // The oldest message ("" and the error in *rc when there is none).
  std::string recv(uint32_t owner, uint32_t key, long* rc = nullptr, uint32_t len = TM_MSG_MAX) {
    char buf[TM_MSG_MAX] = {};
    const long n = keys_recv(v, owner, key, buf, len);
    if (rc) *rc = n;
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
};

// vm1, vm2 and vm3 booted, with `filters` applied before the boot.
class Keys : public ::testing::Test {
 protected:
  Boot b;
  Caller vm1{1}, vm2{2}, vm3{3};
  uint32_t* frame = nullptr;
  void boot() {
    b.vm(1);
    b.vm(2);
    b.vm(3);
    frame = b.start();
    ASSERT_NE(frame, nullptr);
  }
  // The hypervisor's own lines (hv_printf: the host's stdout here) while f runs.
  template <class F>
  static std::string log_of(F f) {
    ::testing::internal::CaptureStdout();
    f();
    return ::testing::internal::GetCapturedStdout();
  }
};

TEST_F(Keys, MakeLookUpSendReceiveInOrder) {
  boot();
  EXPECT_EQ(vm1.get(0, 42), -TM_ENOENT) << "no key before it is made";
  EXPECT_EQ(vm1.make(42), 0);
  EXPECT_EQ(vm1.make(42), 0) << "making an existing key opens it";
  EXPECT_EQ(vm1.get(0, 42), 0);
  EXPECT_EQ(vm1.get(1, 42), 0) << "vm 1 names the caller's own namespace too";
  long rc = 0;
  EXPECT_EQ(vm1.recv(0, 42, &rc), "");
  EXPECT_EQ(rc, -TM_EAGAIN) << "empty queue";
  EXPECT_EQ(vm1.send(0, 42, "first"), 5);
  EXPECT_EQ(vm1.send(0, 42, "second"), 6);
  EXPECT_EQ(vm1.recv(0, 42), "first");
  EXPECT_EQ(vm1.recv(0, 42), "second");
  EXPECT_EQ(vm1.recv(0, 42, &rc), "");
  EXPECT_EQ(rc, -TM_EAGAIN);
  EXPECT_EQ(vm1.send(0, 43, "x"), -TM_ENOENT) << "a key never made";
  EXPECT_EQ(vm1.get(9, 42), -TM_ENOENT) << "no vm9";
}

TEST_F(Keys, MessageSizeLimit) {
  boot();
  ASSERT_EQ(vm1.make(1), 0);
  EXPECT_EQ(vm1.send(0, 1, std::string(TM_MSG_MAX, 'm')), static_cast<long>(TM_MSG_MAX)) << "at the limit";
  EXPECT_EQ(vm1.send(0, 1, std::string(TM_MSG_MAX + 1, 'm')), -TM_EINVAL) << "over it";
  long short_rc = 0;
  EXPECT_EQ(vm1.recv(0, 1, &short_rc, TM_MSG_MAX - 1), "");
  EXPECT_EQ(short_rc, -TM_EINVAL) << "a buffer shorter than the message: refused, never cut";
  EXPECT_EQ(vm1.recv(0, 1), std::string(TM_MSG_MAX, 'm')) << "it stayed queued; the refused send was not queued";
  long rc = 0;
  vm1.recv(0, 1, &rc);
  EXPECT_EQ(rc, -TM_EAGAIN);
}

TEST_F(Keys, KeyQuotaIsPerVmNamespace) {
  boot();
  for (uint32_t k = 0; k < TM_LIMIT_KEYS; k++) ASSERT_EQ(vm1.make(100 + k), 0) << "key " << k << " of the quota";
  EXPECT_EQ(vm1.make(999), -TM_EDQUOT) << "one over the quota";
  EXPECT_EQ(vm1.get(0, 999), -TM_ENOENT) << "the refused key was not made";
  EXPECT_EQ(vm1.make(100), 0) << "an existing key still opens";
  EXPECT_EQ(vm1.send(0, 100, "still"), 5);
  EXPECT_EQ(vm1.recv(0, 100), "still") << "its keys still work";
  for (uint32_t k = 0; k < TM_LIMIT_KEYS; k++) ASSERT_EQ(vm2.make(100 + k), 0) << "vm2's quota is its own";
  EXPECT_EQ(vm2.make(999), -TM_EDQUOT);
  EXPECT_EQ(vm3.make(999), 0) << "vm3 unaffected by both";
}

TEST_F(Keys, FullQueueRefusesTheSenderKeepsTheMessages) {
  b.filter(2, 1, TM_FILTER_KEY, 7, "");
  boot();
  ASSERT_EQ(vm1.make(7), 0);
  ASSERT_EQ(vm1.make(8), 0);
  // vm2 fills vm1's shared key 7 through the filter.
  for (uint32_t i = 0; i < TM_LIMIT_KEY_QUEUE; i++) ASSERT_EQ(vm2.send(1, 7, "m" + std::to_string(i)), 2);
  EXPECT_EQ(vm2.send(1, 7, "over"), -TM_EAGAIN) << "the queue is full: the sender sees it";
  EXPECT_EQ(vm1.send(0, 7, "over"), -TM_EAGAIN) << "for every sender";
  EXPECT_EQ(vm1.send(0, 8, "other"), 5) << "another key is not affected";
  ASSERT_EQ(vm3.make(7), 0);
  EXPECT_EQ(vm3.send(0, 7, "vm3's"), 5) << "nor another VM's key of the same number";
  EXPECT_EQ(vm1.recv(0, 7), "m0") << "the oldest first, none lost";
  EXPECT_EQ(vm2.send(1, 7, "again"), 5) << "a free slot again after one is received";
  for (uint32_t i = 1; i < TM_LIMIT_KEY_QUEUE; i++) EXPECT_EQ(vm1.recv(0, 7), "m" + std::to_string(i));
  EXPECT_EQ(vm1.recv(0, 7), "again");
  EXPECT_EQ(vm1.recv(0, 8), "other");
  EXPECT_EQ(vm3.recv(0, 7), "vm3's");
}

TEST_F(Keys, NamespacesAreSeparateAndClosedWithoutAFilter) {
  boot();
  ASSERT_EQ(vm1.make(42), 0);
  ASSERT_EQ(vm2.make(42), 0);
  EXPECT_EQ(vm1.send(0, 42, "one's"), 5);
  EXPECT_EQ(vm2.send(0, 42, "two's"), 5);
  EXPECT_EQ(vm2.recv(0, 42), "two's") << "key 42 of vm2 is not key 42 of vm1";
  // vm3 has no filter: every call on vm1's key is refused and logged.
  EXPECT_EQ(log_of([&] { EXPECT_EQ(vm3.get(1, 42), -TM_EPERM); }), "[hv] denied: vm3 key vm1:42\n");
  EXPECT_EQ(vm3.send(1, 42, "forged"), -TM_EPERM);
  long rc = 0;
  vm3.recv(1, 42, &rc);
  EXPECT_EQ(rc, -TM_EPERM) << "vm3 cannot take vm1's message";
  EXPECT_EQ(vm3.get(1, 77, 1), -TM_EPERM) << "nor make a key in vm1's namespace";
  EXPECT_EQ(vm1.get(0, 77), -TM_ENOENT) << "the refused key was not made";
  EXPECT_EQ(vm1.recv(0, 42), "one's") << "the owner is still served, its message intact";
  EXPECT_EQ(vm1.recv(0, 42, &rc), "");
  EXPECT_EQ(rc, -TM_EAGAIN) << "and nothing forged was queued";
}

TEST_F(Keys, AFilterSharesOneKeyOneWayButNeverCreates) {
  b.filter(2, 1, TM_FILTER_KEY, 42, "");
  boot();
  EXPECT_EQ(vm2.get(1, 42), -TM_ENOENT) << "allowed, but vm1 has not made it yet";
  EXPECT_EQ(log_of([&] { EXPECT_EQ(vm2.get(1, 42, 1), -TM_EPERM) << "a filter never lets another VM make the key"; }),
            "[hv] denied: vm2 make key vm1:42\n");
  ASSERT_EQ(vm1.make(42), 0);
  ASSERT_EQ(vm1.make(43), 0);
  EXPECT_EQ(vm2.get(1, 42), 0);
  EXPECT_EQ(vm2.get(1, 42, 1), 0) << "making an existing shared key opens it";
  EXPECT_EQ(vm2.send(1, 42, "via filter"), 10);
  EXPECT_EQ(vm1.recv(0, 42), "via filter");
  EXPECT_EQ(vm1.send(0, 42, "back"), 4);
  EXPECT_EQ(vm2.recv(1, 42), "back") << "the filter grants receiving too";
  EXPECT_EQ(vm2.get(1, 43), -TM_EPERM) << "another key of vm1";
  EXPECT_EQ(vm3.get(1, 42), -TM_EPERM) << "another VM";
  ASSERT_EQ(vm2.make(42), 0);
  EXPECT_EQ(vm1.get(2, 42), -TM_EPERM) << "filters have a direction";
}

TEST_F(Keys, AnEndedVmsKeysAreGone) {
  b.filter(2, 1, TM_FILTER_KEY, 42, "");
  boot();
  for (uint32_t k = 0; k < TM_LIMIT_KEYS; k++) ASSERT_EQ(vm1.make(40 + k), 0);
  ASSERT_EQ(vm1.send(0, 42, "left behind"), 11);
  ASSERT_EQ(vm2.make(42), 0);
  ASSERT_EQ(vm2.send(0, 42, "mine"), 4);
  sched_end(vm1.v, TM_VM_EXITED, 0);
  EXPECT_EQ(vm2.get(1, 42), -TM_ENOENT) << "vm1's key went with it";
  EXPECT_EQ(vm2.send(1, 42, "late"), -TM_ENOENT);
  EXPECT_EQ(vm2.recv(0, 42), "mine") << "vm2's own key of the same number stays";
  vm1.v->status = VM_READY;  // as if a VM with vm1's id started again: its whole quota is free
  for (uint32_t k = 0; k < TM_LIMIT_KEYS; k++) EXPECT_EQ(vm1.make(200 + k), 0) << "the ended VM's slots were freed";
  EXPECT_EQ(vm1.get(0, 42), -TM_ENOENT) << "and hold none of the old keys";
}

TEST_F(Keys, VcallsCheckTheUserBuffer) {
  boot();
  ASSERT_EQ(hv_cur->id, 1u);
  Process p(frame);
  EXPECT_EQ(p.call(TM_SYS_KEYGET, 0, 5, 1), 0);
  EXPECT_EQ(p.call(TM_SYS_KEYSEND, 0, 5, p.put(0, "through U"), 9), 9);
  EXPECT_EQ(p.call(TM_SYS_KEYSEND, 0, 5, Process::kWindow - 4, 8), -TM_EFAULT) << "a buffer past the bound";
  EXPECT_EQ(p.call(TM_SYS_KEYRECV, 0, 5, Process::kWindow - 4, 16), -TM_EFAULT);
  EXPECT_EQ(p.call(TM_SYS_KEYRECV, 0, 5, 0x100, 16), 9) << "the refused calls took nothing";
  EXPECT_EQ(p.get(0x100, 9), "through U");
}

}  // namespace

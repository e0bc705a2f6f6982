// Namespaces and filters (sw/hypervisor/ns.c), alone and as the I/O layer
// applies them to files and ports (io.c through hv_trap, on the fake hardware).
#include <gtest/gtest.h>

#include "boot.hpp"

extern "C" {
#include "ns.h"
}

namespace {

using hvtest::Boot;
using hvtest::Process;

TEST(Namespaces, ResolveOwnAndOtherVms) {
  Boot b;
  b.vm(1);
  b.vm(2);
  ASSERT_NE(b.start(), nullptr);
  uint32_t vm = 0;
  const char* name = nullptr;
  char p1[] = "a.txt";
  EXPECT_EQ(ns_resolve(1, p1, &vm, &name), 0);
  EXPECT_EQ(vm, 1u);
  EXPECT_STREQ(name, "a.txt");
  char p2[] = "/a.txt";
  EXPECT_EQ(ns_resolve(2, p2, &vm, &name), 0);
  EXPECT_EQ(vm, 2u);
  EXPECT_STREQ(name, "a.txt");
  char p3[] = "vm2:/b";
  EXPECT_EQ(ns_resolve(1, p3, &vm, &name), 0);
  EXPECT_EQ(vm, 2u);
  EXPECT_STREQ(name, "b");
  EXPECT_STREQ(p3, "vm2:/b") << "the path is given back unchanged";
  char p4[] = "vm1:c";
  EXPECT_EQ(ns_resolve(2, p4, &vm, &name), 0);
  EXPECT_EQ(vm, 1u);
  EXPECT_STREQ(name, "c");
}

TEST(Namespaces, ResolveRefusesUnknownVmAndEmptyName) {
  Boot b;
  b.vm(1);
  ASSERT_NE(b.start(), nullptr);
  uint32_t vm = 0;
  const char* name = nullptr;
  char p1[] = "vm9:/x";
  EXPECT_EQ(ns_resolve(1, p1, &vm, &name), -TM_ENOENT);
  char p2[] = "vm1:/";
  EXPECT_EQ(ns_resolve(1, p2, &vm, &name), -TM_EINVAL);
  char p3[] = "";
  EXPECT_EQ(ns_resolve(1, p3, &vm, &name), -TM_EINVAL);
}

TEST(Filters, OwnObjectsAlwaysOthersOnlyThroughAFilter) {
  Boot b;
  b.filter(2, 1, TM_FILTER_READ, 0, "/shared.txt");
  b.filter(1, 2, TM_FILTER_SEND, 7, "");
  EXPECT_TRUE(ns_allowed(1, 1, TM_FILTER_READ | TM_FILTER_WRITE, 0, "x"));
  EXPECT_TRUE(ns_allowed(2, 1, TM_FILTER_READ, 0, "shared.txt")) << "the filter's leading '/' is dropped";
  EXPECT_FALSE(ns_allowed(2, 1, TM_FILTER_WRITE, 0, "shared.txt")) << "read does not grant write";
  EXPECT_FALSE(ns_allowed(2, 1, TM_FILTER_READ | TM_FILTER_WRITE, 0, "shared.txt"));
  EXPECT_FALSE(ns_allowed(2, 1, TM_FILTER_READ, 0, "secret")) << "another path";
  EXPECT_FALSE(ns_allowed(1, 2, TM_FILTER_READ, 0, "shared.txt")) << "filters have a direction";
  EXPECT_TRUE(ns_allowed(1, 2, TM_FILTER_SEND, 7, nullptr));
  EXPECT_FALSE(ns_allowed(1, 2, TM_FILTER_SEND, 8, nullptr)) << "another port";
  EXPECT_FALSE(ns_allowed(2, 1, TM_FILTER_SEND, 7, nullptr)) << "no filter back";
  EXPECT_FALSE(ns_allowed(3, 2, TM_FILTER_SEND, 7, nullptr)) << "another sender";
}

TEST(Filters, FilesAreKeyedByVmAndSharedOnlyAsTheFilterSays) {
  Boot b;
  b.vm(1);
  b.vm(2);
  b.file(1, "shared.txt", "one's");
  b.file(2, "shared.txt", "two's");
  b.filter(1, 2, TM_FILTER_READ, 0, "shared.txt");
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  ASSERT_EQ(hv_cur->id, 1u);
  Process p(frame);
  long fd = p.call(TM_SYS_OPEN, p.put(0, "shared.txt"), 1);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(p.call(TM_SYS_READ, fd, 0x100, 16), 5);
  EXPECT_EQ(p.get(0x100, 5), "one's") << "a bare name is the caller's own file";
  fd = p.call(TM_SYS_OPEN, p.put(0, "vm2:/shared.txt"), 1);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(p.call(TM_SYS_READ, fd, 0x100, 16), 5);
  EXPECT_EQ(p.get(0x100, 5), "two's") << "vm2:/ names vm2's file, readable through the filter";
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "vm2:/shared.txt"), 2), -TM_EPERM) << "the filter grants no write";
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "vm9:/shared.txt"), 1), -TM_ENOENT);
}

TEST(Filters, PortsNeedASendFilter) {
  Boot b;
  b.vm(1);
  b.vm(2);
  b.filter(1, 2, TM_FILTER_SEND, 7, "");
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Process p(frame);
  p.put(0, "ping");
  EXPECT_EQ(p.call(TM_SYS_SEND, 2, 7, 0, 4), 4);
  EXPECT_EQ(p.call(TM_SYS_SEND, 2, 8, 0, 4), -TM_EPERM) << "no filter for port 8";
  EXPECT_EQ(p.call(TM_SYS_RECV, 7, 0x100, 16), -TM_EAGAIN) << "vm1's own port 7 is another queue";
}

}  // namespace

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

// A port is 0..TM_LIMIT_PORT (spec/limits.txt, "port"): a filter names no
// other. A port of -1 (0xffffffff as the u32 it is passed as) is refused with
// EINVAL before any filter is looked at; it was denied by the filters and
// logged as "denied: send vm2:4294967295".
TEST(Filters, APortAboveTheLimitIsInvalidNotDenied) {
  Boot b;
  b.vm(1);
  b.vm(2);
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Process p(frame);
  p.put(0, "ping");
  testing::internal::CaptureStdout();
  EXPECT_EQ(p.call(TM_SYS_SEND, 2, 0xffffffffu, 0, 4), -TM_EINVAL) << "port -1";
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, TM_LIMIT_PORT + 1, 0, 4), -TM_EINVAL) << "to itself too";
  EXPECT_EQ(p.call(TM_SYS_RECV, 0xffffffffu, 0x100, 16), -TM_EINVAL);
  EXPECT_EQ(p.call(TM_SYS_RECVFROM, TM_LIMIT_PORT + 1, 0x100, 16, 0x200), -TM_EINVAL);
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, TM_LIMIT_PORT, 0, 4), 4) << "the highest port is one";
  EXPECT_EQ(p.call(TM_SYS_RECV, TM_LIMIT_PORT, 0x100, 16), 4);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.find("denied"), std::string::npos) << out;
}

// Two VMs may send to vm1's port 7: recvfrom tells them apart by the VM id the
// hypervisor stamped at each send, so one cannot pass for the other (whatever
// its message says); a bad `from` is refused and the message stays queued for
// the receiver, which then gets it.
TEST(Filters, RecvfromNamesTheSenderTheHypervisorStamped) {
  Boot b;
  b.vm(1);
  b.vm(2);
  b.vm(3);
  b.filter(2, 1, TM_FILTER_SEND, 7, "");
  b.filter(3, 1, TM_FILTER_SEND, 7, "");
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  uint64_t now = 0;
  for (uint32_t id : {3u, 2u}) {  // evil (vm3) first, claiming to be vm2; then vm2 itself
    hvtest::run_until(frame, &now, id);
    ASSERT_EQ(hv_cur->id, id);
    Process p(frame);
    p.put(0, "I am vm2");
    EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0, 8), 8);
  }
  hvtest::run_until(frame, &now, 1);
  ASSERT_EQ(hv_cur->id, 1u);
  Process r(frame);
  EXPECT_EQ(r.call(TM_SYS_RECVFROM, 7, 0x100, 16, Process::kWindow), -TM_EFAULT) << "from outside the process";
  for (uint32_t sender : {3u, 2u}) {
    r.put(0x200, "xxxx");
    EXPECT_EQ(r.call(TM_SYS_RECVFROM, 7, 0x100, 16, 0x200), 8);
    EXPECT_EQ(r.get(0x100, 8), "I am vm2");
    uint32_t from = 0;
    std::memcpy(&from, r.get(0x200, 4).data(), 4);
    EXPECT_EQ(from, sender) << "the sender as the hypervisor saw it, in send order";
  }
  EXPECT_EQ(r.call(TM_SYS_RECVFROM, 7, 0x100, 16, 0x200), -TM_EAGAIN);
}

// The initial files of the boot info (io_init): trimode's loader refuses a
// file over a limit up front; the hypervisor, given one anyway, drops it and
// says so -- never cuts it.
TEST(InitialFiles, AtTheLimitWholeOverItDroppedAndSaid) {
  Boot b;
  b.vm(1);
  b.file(1, "full", std::string(TM_FILE_MAX, 'a'));
  b.file(1, "over", std::string(TM_FILE_MAX + 1, 'b'));
  b.file(1, "noimage", "x");
  tm_bootinfo.files[2].image = 99;
  ::testing::internal::CaptureStdout();
  uint32_t* frame = b.start();
  const std::string log = ::testing::internal::GetCapturedStdout();
  ASSERT_NE(frame, nullptr);
  EXPECT_NE(log.find("[hv] initial file over of VM 1 (" + std::to_string(TM_FILE_MAX + 1) +
                     " bytes): more than the file_bytes limit, dropped\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[hv] initial file noimage of VM 1 (0 bytes): no such image, dropped\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("initial file full"), std::string::npos) << "the file at the limit is not refused";
  Process p(frame);
  long fd = p.call(TM_SYS_OPEN, p.put(0, "full"), 1);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(p.call(TM_SYS_READ, fd, 0x100, TM_FILE_MAX + 16), static_cast<long>(TM_FILE_MAX)) << "whole";
  EXPECT_EQ(p.get(0x100, TM_FILE_MAX), std::string(TM_FILE_MAX, 'a'));
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "over"), 1), -TM_ENOENT) << "dropped, not cut";
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "noimage"), 1), -TM_ENOENT);
}

TEST(InitialFiles, OverTheVmsQuotasDroppedAndSaid) {
  Boot b;
  b.vm(1);
  b.vm(2);
  tm_bootinfo.limits[1].files = 1;
  tm_bootinfo.limits[2].file_bytes = 100;
  b.file(1, "one", "1");
  b.file(1, "two", "2");
  b.file(2, "big", std::string(101, 'c'));
  b.file(2, "small", std::string(100, 'd'));
  ::testing::internal::CaptureStdout();
  uint32_t* frame = b.start();
  const std::string log = ::testing::internal::GetCapturedStdout();
  ASSERT_NE(frame, nullptr);
  EXPECT_NE(log.find("[hv] initial file two of VM 1 (1 bytes): over its quota, dropped\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[hv] initial file big of VM 2 (101 bytes): over its quota, dropped\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("initial file small"), std::string::npos) << "at the byte quota: kept";
  Process p(frame);
  EXPECT_GE(p.call(TM_SYS_OPEN, p.put(0, "one"), 1), 3);
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "two"), 1), -TM_ENOENT);
}

// The run-time limits of spec/limits.txt that io.c enforces, each at the limit
// and one over it: descriptors (fds, vm.fds), file size (file_bytes), message
// size (message_bytes), a console write (console_write).
TEST(Limits, DescriptorsAtAndOverTheLimit) {
  Boot b;
  b.vm(1);
  b.file(1, "f", "x");
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  ASSERT_EQ(TM_DEFAULT_FDS, TM_FD_SLOTS) << "the default quota is the whole table";
  Process p(frame);
  for (uint32_t i = 0; i < TM_FD_SLOTS; i++) ASSERT_GE(p.call(TM_SYS_OPEN, p.put(0, "f"), 1), 3) << "fd " << i;
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "f"), 1), -TM_EDQUOT) << "one over";
  EXPECT_EQ(p.call(TM_SYS_CLOSE, 3), 0);
  EXPECT_EQ(p.call(TM_SYS_OPEN, p.put(0, "f"), 1), 3) << "a closed one is free again";
}

TEST(Limits, ABootInfoQuotaOverItsTableIsSaid) {
  Boot b;
  b.vm(1);
  tm_bootinfo.limits[1].fds = TM_FD_SLOTS + 1;
  tm_bootinfo.limits[1].queue_per_sender = TM_QUEUE_SLOTS_MAX;
  ::testing::internal::CaptureStdout();
  uint32_t* frame = b.start();
  const std::string log = ::testing::internal::GetCapturedStdout();
  ASSERT_NE(frame, nullptr);
  const std::string fds = std::to_string(TM_FD_SLOTS);
  EXPECT_NE(log.find("[hv] vm1: limits.fds " + std::to_string(TM_FD_SLOTS + 1) + " over the limit " + fds + ": " + fds +
                     " used\n"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("limits.queue_per_sender"), std::string::npos) << "at the limit: taken as is";
  EXPECT_EQ(hv_vms[1].lim.fds, TM_FD_SLOTS);
  EXPECT_EQ(hv_vms[1].lim.queue_per_sender, TM_QUEUE_SLOTS_MAX);
}

TEST(Limits, AFileStopsAtFileBytes) {
  Boot b;
  b.vm(1);
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Process p(frame);
  const long fd = p.call(TM_SYS_OPEN, p.put(0, "big"), 6);  // create + write
  ASSERT_GE(fd, 3);
  EXPECT_EQ(p.call(TM_SYS_WRITE, fd, 0x100, TM_FILE_MAX + 100), static_cast<long>(TM_FILE_MAX)) << "a short write";
  EXPECT_EQ(p.call(TM_SYS_WRITE, fd, 0x100, 1), -TM_ENOMEM) << "then refused, not cut";
}

TEST(Limits, MessagesAtAndOverMessageBytes) {
  Boot b;
  b.vm(1);
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Process p(frame);
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0x100, TM_MSG_MAX), static_cast<long>(TM_MSG_MAX)) << "at the limit";
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0x100, TM_MSG_MAX + 1), -TM_EINVAL) << "over it";
  EXPECT_EQ(p.call(TM_SYS_RECV, 7, 0x1000, TM_MSG_MAX - 1), -TM_EINVAL) << "a shorter buffer: refused, never cut";
  EXPECT_EQ(p.call(TM_SYS_RECV, 7, 0x1000, TM_MSG_MAX), static_cast<long>(TM_MSG_MAX)) << "it stayed queued";
  EXPECT_EQ(p.call(TM_SYS_RECV, 7, 0x1000, TM_MSG_MAX), -TM_EAGAIN) << "the refused send was not queued";
}

TEST(Limits, APortHoldsQueuePerPort) {
  Boot b;
  b.vm(1);
  tm_bootinfo.limits[1].queue_per_port = 2;
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Process p(frame);
  p.put(0x100, "m");
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0x100, 1), 1);
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0x100, 1), 1) << "at the port's limit";
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0x100, 1), -TM_EAGAIN) << "one over";
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 8, 0x100, 1), 1) << "another port is not affected";
  EXPECT_EQ(p.call(TM_SYS_RECV, 7, 0x200, TM_MSG_MAX), 1);
  EXPECT_EQ(p.call(TM_SYS_SEND, 1, 7, 0x100, 1), 1) << "room again";
}

TEST(Limits, AConsoleWriteTakesConsoleWriteBytes) {
  Boot b;
  b.vm(1);
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Process p(frame);
  std::memset(fake_ram(hv_cur->kslot + 0x20000 + 0x100), 'x', TM_LIMIT_CONSOLE_WRITE + 10);
  EXPECT_EQ(p.call(TM_SYS_WRITE, 1, 0x100, TM_LIMIT_CONSOLE_WRITE), static_cast<long>(TM_LIMIT_CONSOLE_WRITE));
  EXPECT_EQ(p.call(TM_SYS_WRITE, 1, 0x100, TM_LIMIT_CONSOLE_WRITE + 10), static_cast<long>(TM_LIMIT_CONSOLE_WRITE))
      << "a short write: the caller writes the rest";
}

}  // namespace

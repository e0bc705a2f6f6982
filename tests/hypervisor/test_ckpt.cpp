// VM checkpoint and resume (sw/hypervisor/ckpt.c): the image round trip
// through the guest's hypercall and the scheduler's resume on the fake
// hardware, and every way a resume is refused.
#include <gtest/gtest.h>

#include <vector>

#include "boot.hpp"

extern "C" {
#include "ckpt.h"
#include "hv_fake.h"
#include "lib/stream.h"
}

namespace {

using hvtest::Boot;

constexpr uint32_t kMarker = 0x1234abcd;

// A process of the running VM (pid 3), its window in the kernel slot.
struct Guest {
  uint32_t* frame;
  uint32_t base = 0;
  explicit Guest(uint32_t* f) : frame(f) { window(); }
  void window() {
    base = hv_cur->kslot + 0x20000;
    fake_set_csr(TM_CSR_GBASE, base);
    fake_set_csr(TM_CSR_GBOUND, 0x10000);
    fake_set_csr(TM_CSR_GPID, 3);
  }
  long call(uint32_t cause, uint32_t pm, uint32_t number, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0,
            uint32_t a3 = 0) {
    frame[17] = number;
    frame[10] = a0, frame[11] = a1, frame[12] = a2, frame[13] = a3;
    EXPECT_EQ(fake_trap(frame, cause, 0, pm), 1);
    return static_cast<int32_t>(frame[10]);
  }
  long io(uint32_t n, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0, uint32_t a3 = 0) {
    return call(TM_CAUSE_VCALL_U, TM_MODE_U, n, a0, a1, a2, a3);
  }
  long hcall(uint32_t n, uint32_t a0 = 0) { return call(TM_CAUSE_VCALL_G, TM_MODE_G, n, a0); }
  uint32_t put(uint32_t at, const std::string& s) {
    std::memcpy(fake_ram(base + at), s.c_str(), s.size() + 1);
    return at;
  }
  std::string get(uint32_t at, uint32_t n) { return std::string(reinterpret_cast<char*>(fake_ram(base + at)), n); }
};

// Every word of VM id's memory: a pattern of its address (the window's
// first bytes excepted: the test's buffers live there).
std::vector<memq_seg> segments(uint32_t owner) {
  std::vector<memq_seg> s(HV_SEGS);
  s.resize(std::min<uint32_t>(memq_vm_segments(&hv_mem, owner, s.data(), HV_SEGS), HV_SEGS));
  return s;
}
uint32_t pattern(uint32_t addr) { return addr * 2654435761u ^ 0x5a5a5a5au; }
void fill(uint32_t id, uint32_t skip_from, uint32_t skip_to) {
  for (const memq_seg& s : segments(id))
    for (uint32_t a = s.base; a < s.base + s.size; a += 4)
      if (a < skip_from || a >= skip_to) std::memcpy(fake_ram(a), &(const uint32_t&)pattern(a), 4);
}
int mismatches(const std::vector<memq_seg>& segs, uint32_t skip_from, uint32_t skip_to, bool zero) {
  int bad = 0;
  for (const memq_seg& s : segs)
    for (uint32_t a = s.base; a < s.base + s.size; a += 4) {
      if (a >= skip_from && a < skip_to) continue;
      uint32_t w;
      std::memcpy(&w, fake_ram(a), 4);
      bad += w != (zero ? 0 : pattern(a));
    }
  return bad;
}

using hvtest::run_until;

class Checkpoint : public ::testing::Test {
 protected:
  Boot b;
  uint32_t* frame = nullptr;
  uint64_t now = 0;
  void SetUp() override {
    b.vm(1);
    b.vm(2);
    b.file(1, "log", "abc");
    frame = b.start();
    ASSERT_NE(frame, nullptr);
    ASSERT_EQ(hv_cur->id, 1u);
  }
  // vm1 asks for a checkpoint, resumed `ms` later; vm2 runs meanwhile (the
  // frame holds vm2's registers now).
  void checkpoint(Guest& g, uint32_t ms) {
    g.hcall(TM_SYS_VM_CHECKPOINT, ms);
    ASSERT_EQ(hv_vms[1].status, VM_SUSPENDED);
    ASSERT_EQ(hv_cur->id, 2u);
  }
  std::vector<memq_seg> image() { return segments(CKPT_STORE_OWNER(1)); }
  // hcall vm_moved into the window (physical g.base + 0x800): the record.
  std::vector<uint32_t> moved(Guest& g) {
    EXPECT_EQ(g.hcall(TM_SYS_VM_MOVED, g.base + 0x800), static_cast<long>(hv_vms[1].n_mv));
    std::vector<uint32_t> rec(TM_MOVED_WORDS);
    std::memcpy(rec.data(), fake_ram(g.base + 0x800), rec.size() * 4);
    return rec;
  }
};

TEST_F(Checkpoint, RoundTripRestoresMemoryRegistersFilesAndMessages) {
  Guest g(frame);
  const long fd = g.io(TM_SYS_OPEN, g.put(0, "log"), 3);  // read + write
  ASSERT_GE(fd, 3);
  EXPECT_EQ(g.io(TM_SYS_READ, fd, 0x100, 2), 2) << "the descriptor's position (2) goes into the image";
  g.put(0x200, "ping");
  EXPECT_EQ(g.io(TM_SYS_SEND, 1, 5, 0x200, 5), 5) << "a message queued for vm1 itself";
  EXPECT_EQ(g.io(TM_SYS_KEYGET, 0, 7, 1), 0);
  EXPECT_EQ(g.io(TM_SYS_KEYSEND, 0, 7, 0x200, 5), 5) << "a message on its own IPC key";
  fill(1, g.base, g.base + 0x1000);
  const std::vector<memq_seg> before = segments(1);
  frame[5] = kMarker;
  fake_set_csr(TM_CSR_GSCRATCH, kMarker + 1);

  checkpoint(g, 1);
  EXPECT_EQ(memq_vm_total(&hv_mem, 1), 0u) << "a suspended VM holds no memory";
  EXPECT_EQ(mismatches(before, 0, 0, true), 0) << "its memory was scrubbed when freed";
  EXPECT_GT(image().size(), 0u) << "its image is in the store";

  run_until(frame, &now, 1);
  ASSERT_EQ(hv_cur->id, 1u) << "resumed";
  EXPECT_EQ(hv_vms[1].status, VM_READY);
  EXPECT_EQ(segments(1).size(), before.size());
  for (size_t i = 0; i < before.size(); i++) {
    EXPECT_EQ(segments(1)[i].base, before[i].base) << "the same physical segments";
    EXPECT_EQ(segments(1)[i].size, before[i].size);
  }
  EXPECT_EQ(mismatches(before, g.base, g.base + 0x1000, false), 0) << "every byte of its memory came back";
  EXPECT_EQ(memq_vm_total(&hv_mem, CKPT_STORE_OWNER(1)), 0u) << "the image was freed";
  EXPECT_EQ(fake_csr(TM_CSR_VEPC), hv_vms[1].kslot + TM_KENTRY_RESUME) << "entered at its kernel's resume entry";
  EXPECT_EQ(frame[10], 1u) << "a0 = the VM id";
  EXPECT_EQ(fake_csr(TM_CSR_GSCRATCH), kMarker + 1) << "G's CSRs";
  EXPECT_EQ(fake_csr(TM_CSR_GPID), 3u);
  g.window();
  // the kernel asks what it was doing and where its memory is now
  const std::vector<uint32_t> rec = moved(g);
  EXPECT_EQ(rec[0], TM_MODE_G) << "it was making its vm_checkpoint call";
  EXPECT_EQ(rec[2 + 5], kMarker) << "x5 as it was";
  EXPECT_EQ(rec[2 + 10], 0u) << "vm_checkpoint returns 0 in the resumed VM";
  ASSERT_EQ(rec[34], before.size());
  for (size_t i = 0; i < before.size(); i++) {
    EXPECT_EQ(rec[35 + 3 * i], before[i].base);
    EXPECT_EQ(rec[36 + 3 * i], before[i].base) << "nothing moved: its memory was free";
    EXPECT_EQ(rec[37 + 3 * i], before[i].size);
  }
  EXPECT_EQ(g.hcall(TM_SYS_VM_MOVED, g.base + 0x800), -TM_EINVAL) << "told once";
  EXPECT_EQ(g.io(TM_SYS_READ, fd, 0x100, 8), 1) << "the descriptor, at its position";
  EXPECT_EQ(g.get(0x100, 1), "c");
  EXPECT_EQ(g.io(TM_SYS_RECV, 5, 0x300, 16), 5) << "the queued message";
  EXPECT_EQ(g.get(0x300, 4), "ping");
  EXPECT_EQ(g.io(TM_SYS_KEYRECV, 0, 7, 0x380, 16), 5) << "its IPC key, once, still there";
  EXPECT_EQ(g.get(0x380, 4), "ping");
  EXPECT_EQ(g.io(TM_SYS_KEYRECV, 0, 7, 0x380, 16), -TM_EAGAIN);
}

// The image's checksum (trimode/vmimage.h, version 4): FNV-1a 32 over the
// little-endian words at stream positions 4k, the last partial word
// zero-padded, whatever the pieces' sizes and alignments and the chunks'
// boundaries; the same read back; any byte changed changes it.
uint32_t fnv_words(const std::vector<uint8_t>& b) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < b.size(); i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4 && i + k < b.size(); ++k) w |= uint32_t{b[i + k]} << (8 * k);
    h = (h ^ w) * 16777619u;
  }
  return h;
}

TEST(Stream, ItsChecksumIsFnvOverWordsAtAnyAlignment) {
  fake_reset();
  const memq_seg chunks[3] = {{TM_HOST_RAM_BASE + 0x1000, 0x1000, 0}, {TM_HOST_RAM_BASE + 0x4001, 0x403, 0},
                              {TM_HOST_RAM_BASE + 0x8000, 0x2000, 0}};
  std::vector<uint8_t> src(0x3000 + 8);
  for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<uint8_t>(i * 131 + 7);
  std::vector<uint8_t> sent;
  hv_stream s;
  hv_stream_init(&s, chunks, 3);
  size_t from = 0;
  for (uint32_t n : {1u, 3u, 4u, 7u, 16u, 2u, 1500u, 2048u, 5u, 4096u, 33u}) {
    from += n % 2;  // (odd pieces from odd host addresses)
    hv_stream_put(&s, &src[from], n);
    sent.insert(sent.end(), &src[from], &src[from] + n);
    from += n;
    ASSERT_EQ(hv_stream_sum(&s), fnv_words(sent)) << "after " << sent.size() << " bytes";
  }
  ASSERT_FALSE(s.overflow);
  std::vector<uint8_t> back(sent.size());
  hv_stream_init(&s, chunks, 3);
  size_t got = 0;
  for (uint32_t n : {5u, 4u, 8u, 1000u}) hv_stream_get(&s, &back[got], n), got += n;
  hv_stream_get(&s, &back[got], static_cast<uint32_t>(back.size() - got));
  EXPECT_EQ(back, sent);
  EXPECT_EQ(hv_stream_sum(&s), fnv_words(sent));
  for (size_t at : {size_t{0}, size_t{6}, sent.size() - 1}) {
    std::vector<uint8_t> changed = sent;
    changed[at] ^= 0x40;
    EXPECT_NE(fnv_words(changed), fnv_words(sent)) << at;
  }
}

TEST_F(Checkpoint, ACorruptImageIsRefusedAndTheVmStopped) {
  Guest g(frame);
  checkpoint(g, 1);
  const std::vector<memq_seg> im = image();
  ASSERT_FALSE(im.empty());
  fake_ram(im[0].base)[100] ^= 1;
  testing::internal::CaptureStdout();
  run_until(frame, &now, 1);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("[hv] vm1: resume failed: checksum mismatch (corrupt image)"), std::string::npos) << out;
  EXPECT_EQ(hv_vms[1].status, VM_DONE);
  EXPECT_EQ(tm_bootinfo.report.vm_state[1], TM_VM_STOPPED);
  EXPECT_EQ(tm_bootinfo.report.vm_code[1], 0x1003u);
  EXPECT_EQ(memq_vm_total(&hv_mem, CKPT_STORE_OWNER(1)), 0u) << "the bad image is dropped";
}

TEST_F(Checkpoint, TheImageHeaderIsChecked) {
  Guest g(frame);
  checkpoint(g, 1000);
  std::vector<memq_seg> im = image();
  uint32_t id = 0;
  ASSERT_EQ(ckpt_check(im.data(), static_cast<uint32_t>(im.size()), &id), nullptr);
  EXPECT_EQ(id, 1u);
  uint8_t* head = fake_ram(im[0].base);
  head[4] ^= 2;  // version
  EXPECT_STREQ(ckpt_check(im.data(), static_cast<uint32_t>(im.size()), &id), "an image of another version");
  head[4] ^= 2;
  head[0] ^= 1;  // magic
  EXPECT_STREQ(ckpt_check(im.data(), static_cast<uint32_t>(im.size()), &id), "not a VM image");
  head[0] ^= 1;
  std::vector<memq_seg> cut = im;
  cut.back().size /= 2;  // the stream ends early
  uint32_t length;
  std::memcpy(&length, head + 8, 4);
  uint32_t held = 0;
  for (const memq_seg& s : cut) held += s.size;
  ASSERT_LT(held, length);
  EXPECT_STREQ(ckpt_check(cut.data(), static_cast<uint32_t>(cut.size()), &id), "truncated");
  EXPECT_EQ(ckpt_check(im.data(), static_cast<uint32_t>(im.size()), &id), nullptr);
}

TEST_F(Checkpoint, AResumeIntoMemoryTakenMeanwhileGoesElsewhere) {
  Guest g(frame);
  fill(1, 0, 0);
  const std::vector<memq_seg> before = segments(1);
  const uint32_t old_kslot = hv_vms[1].kslot;
  checkpoint(g, 1);
  // vm2 grows into everything that is free, vm1's old memory included
  Guest g2(frame);
  EXPECT_GT(g2.hcall(TM_SYS_VM_GROW, 512u << 10), 0) << "within its quota";
  bool overlaps = false;
  for (const memq_seg& o : before)
    for (const memq_seg& n : segments(2)) overlaps |= n.base < o.base + o.size && o.base < n.base + n.size;
  ASSERT_TRUE(overlaps) << "vm2 now holds some of vm1's old memory";
  testing::internal::CaptureStdout();
  run_until(frame, &now, 1);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("[hv] vm1 resumed into other memory"), std::string::npos) << out;
  EXPECT_NE(out.find("[hv] memory map (after the resume):"), std::string::npos) << out;
  ASSERT_EQ(hv_cur->id, 1u);
  const vm& v = hv_vms[1];
  ASSERT_EQ(v.n_mv, before.size());
  for (uint32_t i = 0; i < v.n_mv; i++) {
    EXPECT_EQ(v.mv_old[i], before[i].base);
    EXPECT_EQ(v.mv_size[i], before[i].size) << "each segment moves whole";
    for (uint32_t a = 0; a < v.mv_size[i]; a += 4) {  // every byte, at its new place
      uint32_t w;
      std::memcpy(&w, fake_ram(v.mv_new[i] + a), 4);
      if (w != pattern(v.mv_old[i] + a)) ADD_FAILURE() << "word " << a << " of segment " << i << " moved wrong";
      if (w != pattern(v.mv_old[i] + a)) break;
    }
  }
  for (const memq_seg& n1 : segments(1))
    for (const memq_seg& n2 : segments(2)) EXPECT_FALSE(n1.base < n2.base + n2.size && n2.base < n1.base + n1.size);
  EXPECT_NE(v.kslot, old_kslot) << "its kernel region moved (it was vm2's now)";
  EXPECT_EQ(fake_csr(TM_CSR_VEPC), v.kslot + TM_KENTRY_RESUME) << "the resume entry of the kernel at its new place";
  Guest g1(frame);
  const std::vector<uint32_t> rec = moved(g1);
  EXPECT_EQ(rec[34], v.n_mv);
  bool kslot_mapped = false;
  for (uint32_t i = 0; i < rec[34]; i++)
    kslot_mapped |= old_kslot >= rec[35 + 3 * i] && old_kslot - rec[35 + 3 * i] < rec[37 + 3 * i] &&
                    rec[36 + 3 * i] + (old_kslot - rec[35 + 3 * i]) == v.kslot;
  EXPECT_TRUE(kslot_mapped) << "the record maps the old kernel region onto the new one";
}

TEST_F(Checkpoint, AResumeWithNoRoomAnywhereIsRefused) {
  Guest g(frame);
  checkpoint(g, 1);
  Guest g2(frame);
  tm_bootinfo.report.vm_state[2] = TM_VM_RUNNING;
  hv_vms[2].quota = 0xffffffffu;  // vm2 takes all the RAM there is
  while (g2.hcall(TM_SYS_VM_GROW, 1u << 20) > 0) {
  }
  while (g2.hcall(TM_SYS_VM_GROW, 64u << 10) > 0) {
  }
  testing::internal::CaptureStdout();
  run_until(frame, &now, 1);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("[hv] vm1: resume failed: not enough free memory"), std::string::npos) << out;
  EXPECT_EQ(hv_vms[1].status, VM_DONE);
  EXPECT_EQ(tm_bootinfo.report.vm_code[1], 0x1003u);
  EXPECT_EQ(memq_vm_total(&hv_mem, 1), 0u) << "nothing of vm1 was left allocated";
}

// The image of VM 1 (vm1) saved by a boot's "save" checkpoint, with a file,
// a queued message and an IPC key queue in it.
std::vector<uint8_t> saved_image_of_vm1() {
  std::vector<uint8_t> bytes;
  Boot b;
  b.vm(1);
  b.vm(2);
  b.file(1, "log", "abc");
  tm_bootinfo.checkpoints[0] = tm_checkpoint{1, 1000, 0, TM_CK_SAVE};
  tm_bootinfo.n_checkpoints = 1;
  uint32_t* frame = b.start();
  EXPECT_NE(frame, nullptr);
  if (!frame) return bytes;
  Guest g(frame);
  const long fd = g.io(TM_SYS_OPEN, g.put(0, "log"), 3);
  EXPECT_GE(fd, 3);
  EXPECT_EQ(g.io(TM_SYS_WRITE, fd, g.put(0x100, "xy"), 2), 2);
  EXPECT_EQ(g.io(TM_SYS_SEND, 1, 5, g.put(0x200, "ping"), 5), 5);
  EXPECT_EQ(g.io(TM_SYS_KEYGET, 0, 42, 1), 0);
  EXPECT_EQ(g.io(TM_SYS_KEYSEND, 0, 42, g.put(0x280, "k1"), 3), 3);
  EXPECT_EQ(g.io(TM_SYS_KEYSEND, 0, 42, g.put(0x280, "k2"), 3), 3);
  uint64_t now = 0;
  for (int i = 0; i < 50 && hv_vms[1].status != VM_SAVED; i++) {  // interrupted in U: a clean point
    now += 1000;
    fake_set_time(now);
    fake_trap(frame, TM_CAUSE_IRQ_TIMER, 0, TM_MODE_U);
  }
  EXPECT_EQ(hv_vms[1].status, VM_SAVED);
  EXPECT_EQ(tm_bootinfo.report.vm_state[1], TM_VM_SAVED);
  const tm_saved& sv = tm_bootinfo.saved[0];
  EXPECT_EQ(sv.vm, 1u);
  for (uint32_t c = 0; c < sv.n_chunks; c++)
    bytes.insert(bytes.end(), fake_ram(sv.chunk[c].base), fake_ram(sv.chunk[c].base) + sv.chunk[c].size);
  EXPECT_GE(bytes.size(), sv.length);
  bytes.resize(sv.length);
  return bytes;
}

// trimode reads the id and the name from a saved image (check_image_owner in
// tools/scenario_loader) where trimode/vmimage.h places them: put_state
// writes them there.
TEST(CheckpointAcrossRuns, TheImageHoldsTheIdAndNameWhereVmimageHPlacesThem) {
  const std::vector<uint8_t> bytes = saved_image_of_vm1();
  ASSERT_GE(bytes.size(), TM_VMIMAGE_NAME_AT + TM_NAME_LEN);
  uint32_t id = 0;
  std::memcpy(&id, &bytes[TM_VMIMAGE_ID_AT], 4);
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(&bytes[TM_VMIMAGE_NAME_AT]), 4), std::string("vm1\0", 4));
}

// Across runs: a scenario checkpoint with "save" leaves the image in the
// store, listed in the boot info's saved[]; a second boot starts the VM from
// those bytes: its own file as it wrote it (not the new run's initial file),
// its descriptor at its position, its queued message, its IPC key with its
// queue, its kernel's resume entry.
TEST(CheckpointAcrossRuns, ASavedImageStartsTheVmInAnotherBoot) {
  const std::vector<uint8_t> bytes = saved_image_of_vm1();
  ASSERT_FALSE(bytes.empty());
  Boot b;
  b.vm(1);
  b.vm(2);
  b.file(1, "log", "new run");
  b.vm_image(1, bytes);
  testing::internal::CaptureStdout();
  uint32_t* frame = b.start();
  const std::string out = testing::internal::GetCapturedStdout();
  ASSERT_NE(frame, nullptr);
  EXPECT_NE(out.find("[hv] vm1: VM 1, started from its image saved: "), std::string::npos) << out;
  uint64_t now = 0;
  run_until(frame, &now, 1);
  ASSERT_EQ(hv_cur->id, 1u);
  EXPECT_EQ(fake_csr(TM_CSR_VEPC), hv_vms[1].kslot + TM_KENTRY_RESUME) << "at its kernel's resume entry";
  Guest g(frame);
  const std::vector<uint32_t> rec = [&] {
    EXPECT_GE(g.hcall(TM_SYS_VM_MOVED, g.base + 0x800), 1);
    std::vector<uint32_t> r(TM_MOVED_WORDS);
    std::memcpy(r.data(), fake_ram(g.base + 0x800), r.size() * 4);
    return r;
  }();
  EXPECT_EQ(rec[0], TM_MODE_U) << "it was interrupted in U";
  EXPECT_EQ(g.io(TM_SYS_READ, 3, 0x300, 8), 1) << "the descriptor, at its position (2)";
  EXPECT_EQ(g.get(0x300, 1), "c");
  const long fd = g.io(TM_SYS_OPEN, g.put(0, "log"), 1);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(g.io(TM_SYS_READ, fd, 0x400, 16), 3);
  EXPECT_EQ(g.get(0x400, 3), "xyc") << "its own file as it wrote it, over the new run's initial one";
  EXPECT_EQ(g.io(TM_SYS_RECV, 5, 0x500, 16), 5) << "the queued message";
  EXPECT_EQ(g.get(0x500, 4), "ping");
  EXPECT_EQ(g.io(TM_SYS_KEYRECV, 0, 42, 0x600, 16), 3) << "its IPC key and its queue, oldest first";
  EXPECT_EQ(g.get(0x600, 2), "k1");
  EXPECT_EQ(g.io(TM_SYS_KEYRECV, 0, 42, 0x600, 16), 3);
  EXPECT_EQ(g.get(0x600, 2), "k2");
  EXPECT_EQ(g.io(TM_SYS_KEYRECV, 0, 42, 0x600, 16), -TM_EAGAIN);
}

// A guest that suspends itself for a long time cannot hold the run open: its
// wall budget runs on while it is suspended.
TEST(CheckpointBudget, ASuspendedVmIsStoppedAtItsWallBudget) {
  Boot b;
  b.vm(1);
  b.vm(2);
  tm_bootinfo.limits[1].wall_ms = 5;
  uint32_t* frame = b.start();
  ASSERT_NE(frame, nullptr);
  Guest g(frame);
  g.hcall(TM_SYS_VM_CHECKPOINT, 100000);  // 100 s
  ASSERT_EQ(hv_vms[1].status, VM_SUSPENDED);
  ASSERT_EQ(hv_cur->id, 2u);
  testing::internal::CaptureStdout();
  frame[17] = TM_SYS_VM_SHUTDOWN;
  frame[10] = 0;
  EXPECT_EQ(fake_trap(frame, TM_CAUSE_VCALL_G, 0, TM_MODE_G), 0) << "the run ends";
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("[hv] vm1 stopped: wall-time budget of 5 ms used up"), std::string::npos) << out;
  EXPECT_EQ(tm_bootinfo.report.vm_code[1], 0x1002u);
  EXPECT_EQ(memq_vm_total(&hv_mem, CKPT_STORE_OWNER(1)), 0u) << "its image was dropped";
  EXPECT_LT(fake_timecmp(), 1000000u) << "V did not sleep until the resume time";
}

TEST_F(Checkpoint, OnlyTheGuestKernelMayAskForIt) {
  Guest g(frame);
  EXPECT_EQ(g.io(TM_SYS_VM_CHECKPOINT, 1), -TM_EPERM);
  EXPECT_EQ(hv_vms[1].status, VM_READY);
}

}  // namespace

// A boot info for the hypervisor's host tests: minimal RV32 kernel and
// program ELFs and initial files placed in the fake RAM below reserved_end,
// like trimode's loader does (tools/scenario_loader).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "hv_fake.h"
#include "io.h"
#include "scheduler.h"
}

namespace hvtest {

constexpr uint32_t kReserved = 1u << 20;  // images live in V's first MiB

class Boot {
 public:
  Boot() {
    fake_reset();
    std::memset(hv_vms, 0, sizeof hv_vms);
    std::memset(&hv_mem, 0, sizeof hv_mem);
    hv_cur = nullptr;
    hv_host_io_reset();
    tm_bootinfo_reset();
  }

  // A VM with a kernel (linked at 0, relocated into its region), one program, `weight`.
  void vm(uint32_t id, uint32_t weight = 1, uint32_t mem = TM_KSLOT_SIZE + (64u << 10)) {
    struct tm_bootinfo& bi = tm_bootinfo;
    tm_vm& v = bi.vms[bi.n_vms++];
    v.id = id;
    v.mem_bytes = mem;
    v.weight = weight;
    v.kernel = image("kernel", 0, 0x8000, true);
    v.n_programs = 1;
    v.programs[0] = image("prog", 0x1000, 0x2000);
    v.n_start = 1;
    std::snprintf(v.name, TM_NAME_LEN, "vm%u", id);
  }

  void file(uint32_t vm, const char* path, const std::string& content) {
    struct tm_bootinfo& bi = tm_bootinfo;
    const uint32_t index = raw(path, content.data(), static_cast<uint32_t>(content.size()));
    tm_file& f = bi.files[bi.n_files++];
    f.vm = vm;
    f.image = index;
    std::snprintf(f.path, TM_NAME_LEN, "%s", path);
  }

  void filter(uint32_t from, uint32_t to, uint32_t rights, uint32_t port, const char* path) {
    tm_filter& f = tm_bootinfo.filters[tm_bootinfo.n_filters++];
    f = tm_filter{};
    f.from_vm = from;
    f.to_vm = to;
    f.rights = rights;
    f.port = port;
    std::snprintf(f.path, TM_NAME_LEN, "%s", path);
  }

  // VM id (declared by vm()) starts from this saved image (boot info vm_image).
  void vm_image(uint32_t id, const std::vector<uint8_t>& bytes) {
    const uint32_t index = raw("saved", bytes.data(), static_cast<uint32_t>(bytes.size()));
    tm_bootinfo.vm_image[id] = index + 1;
  }

  // Boots: the frame of the first VM (nullptr when the boot failed).
  uint32_t* start() { return fake_boot(); }

 private:
  uint32_t at_ = TM_HOST_RAM_BASE + 0x10000;  // above "the hypervisor image"

  static void tm_bootinfo_reset() {
    struct tm_bootinfo& bi = tm_bootinfo;
    std::memset(&bi, 0, sizeof bi);
    bi.magic = TM_BOOTINFO_MAGIC;
    bi.version = TM_BOOTINFO_VERSION;
    bi.ram_base = TM_HOST_RAM_BASE;
    bi.ram_size = TM_HOST_RAM_SIZE;
    bi.timeslice_ticks = 1000;
    bi.reserved_end = TM_HOST_RAM_BASE + kReserved;
  }

  static void put32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
  }

  uint32_t raw(const char* name, const void* bytes, uint32_t size) {
    struct tm_bootinfo& bi = tm_bootinfo;
    std::memcpy(fake_ram(at_), bytes, size);
    const uint32_t index = bi.n_images++;
    bi.images[index].addr = at_;
    bi.images[index].size = size;
    std::snprintf(bi.images[index].name, TM_NAME_LEN, "%s", name);
    at_ += (size + 4095u) & ~4095u;  // 4 KiB aligned, like the loader's
    return index;
  }

  // A minimal RV32 ET_EXEC: one PT_LOAD of `memsz` bytes at vaddr. A kernel
  // also gets section headers with an (empty) kept relocation section, as the
  // hypervisor's loader requires (sw/hypervisor/lib/kload.h).
  uint32_t image(const char* name, uint32_t vaddr, uint32_t memsz, bool kernel = false) {
    uint8_t f[52 + 32 + 16 + 4 * 40] = {};
    f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 1, f[5] = 1, f[6] = 1;
    f[16] = 2, f[18] = 243, f[20] = 1;
    put32(f + 24, vaddr + 84);
    put32(f + 28, 52);
    f[40] = 52, f[42] = 32, f[44] = 1;
    uint8_t* ph = f + 52;
    put32(ph, 1);
    put32(ph + 8, vaddr);
    put32(ph + 12, vaddr);
    const uint32_t filesz = 52 + 32 + 16;
    put32(ph + 16, filesz);
    put32(ph + 20, memsz);
    put32(ph + 24, 5);
    if (!kernel) return raw(name, f, filesz);
    uint8_t* sh = f + filesz;  // [0] null, [1] .text, [2] .rela.text (empty, symbols in [3]), [3] .symtab
    put32(sh + 40 + 4, 1), put32(sh + 40 + 8, 6), put32(sh + 40 + 16, 84);
    put32(sh + 80 + 4, 4), put32(sh + 80 + 24, 3), put32(sh + 80 + 28, 1), put32(sh + 80 + 36, 12);
    put32(sh + 120 + 4, 2), put32(sh + 120 + 36, 16);
    put32(f + 32, filesz);
    f[46] = 40, f[48] = 4;
    return raw(name, f, sizeof f);
  }
};

// A process of the running VM (pid 1): its window in the kernel slot. Its
// vcalls go through hv_trap like a U ecall would.
class Process {
 public:
  explicit Process(uint32_t* f) : frame_(f), base_(hv_cur->kslot + 0x20000) {
    fake_set_csr(TM_CSR_GBASE, base_);
    fake_set_csr(TM_CSR_GBOUND, kWindow);
    fake_set_csr(TM_CSR_GPID, 1);
  }
  static constexpr uint32_t kWindow = 0x10000;  // the process bound
  long call(uint32_t number, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0, uint32_t a3 = 0) {
    frame_[17] = number;
    frame_[10] = a0, frame_[11] = a1, frame_[12] = a2, frame_[13] = a3;
    EXPECT_EQ(fake_trap(frame_, TM_CAUSE_VCALL_U, 0, TM_MODE_U), 1);
    return static_cast<int32_t>(frame_[10]);
  }
  uint32_t put(uint32_t at, const std::string& s) {  // bytes (and a NUL) at window offset `at`
    std::memcpy(fake_ram(base_ + at), s.c_str(), s.size() + 1);
    return at;
  }
  std::string get(uint32_t at, uint32_t n) { return std::string(reinterpret_cast<char*>(fake_ram(base_ + at)), n); }

 private:
  uint32_t* frame_;
  uint32_t base_;
};

// Ticks the scheduler (timer interrupts, *now advanced 1000 ticks each) until
// VM id runs, or `slices` pass.
inline void run_until(uint32_t* frame, uint64_t* now, uint32_t id, int slices = 50) {
  for (int i = 0; i < slices && !(hv_cur && hv_cur->id == id); i++) {
    *now += 1000;
    fake_set_time(*now);
    if (!fake_trap(frame, TM_CAUSE_IRQ_TIMER, 0, TM_MODE_G)) return;
  }
}

}  // namespace hvtest

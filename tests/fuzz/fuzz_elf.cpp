// fuzz_elf: the two ELF parsers on the same bytes.
//  - the platform's loader (tools/elf_loader, load_elf_memory): every input either
//    loads or throws ElfError; an accepted image obeys the documented contract
//    (segments sorted, disjoint, inside the allowed region, entry in a
//    loaded segment, as QEMU allows an entry in a segment without PF_X);
//  - the hypervisor's and guest kernel's elf32_parse (sw/lib/elf32.c): a
//    result code with a name; an accepted image's segments and entry agree
//    with lo/hi and lie inside the input.
// Anything else (another exception, a sanitizer report) is a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "tools/elf_loader/elf_loader.hpp"

extern "C" {
#include "trimode/elf32.h"
}

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_elf: FAILURE: %s\n", what);
    std::abort();
  }
}

void check_loader(const std::vector<uint8_t>& file) {
  const trimode::LoadRegion ram{0x80000000u, 0x08000000u};
  trimode::ElfImage img;
  try {
    img = trimode::load_elf_memory(file, "fuzz.elf", {ram});
  } catch (const trimode::ElfError&) {
    return;
  }
  bool entry_ok = false;
  uint64_t prev_end = 0;
  for (const auto& s : img.segments) {
    require(s.bytes.size() <= s.memsz, "segment with more file bytes than memsz");
    require(s.paddr >= prev_end, "segments unsorted or overlapping");
    require(s.paddr >= ram.base && uint64_t{s.paddr} + s.memsz <= ram.base + ram.size, "segment outside RAM");
    prev_end = uint64_t{s.paddr} + s.memsz;
    entry_ok |= img.entry >= s.paddr && img.entry - s.paddr < s.memsz;
  }
  require(entry_ok, "entry outside every loaded segment");
}

void check_elf32(const std::vector<uint8_t>& file) {
  elf32_info info{};
  const int rc = elf32_parse(file.data(), static_cast<uint32_t>(file.size()), &info);
  require(elf32_error(rc) != nullptr, "no message for a result code");
  if (rc != 0) return;
  require(info.n >= 1 && info.n <= ELF32_MAX_SEGS, "segment count out of range");
  require(info.prefix <= file.size(), "prefix beyond the file");
  for (uint32_t i = 0; i < info.n; i++) {
    const elf32_seg& s = info.seg[i];
    require(uint64_t{s.off} + s.filesz <= file.size(), "segment data beyond the file");
    require(s.filesz <= s.memsz, "filesz > memsz accepted");
    require(s.vaddr >= info.lo && uint64_t{s.vaddr} + s.memsz <= info.hi, "segment outside [lo, hi)");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> file(data, data + size);
  check_loader(file);
  check_elf32(file);
  return 0;
}

// ELF loader for Trimode program images (RV32, little-endian, ET_EXEC).
//
// Parses with libelf, but checks every size and offset against the file itself
// before trusting it, so a truncated, corrupt or hostile file gives one ElfError
// and never a crash, an out-of-bounds read or an absurd allocation. What is
// accepted and every message: docs/elf-loading.md.
//
// Example:
//   auto img = trimode::load_elf("hello.elf", {{spec::kRamBase, spec::kRamSize}});
//   for (auto& s : img.segments) { copy s.bytes to s.paddr; zero up to s.memsz; }
//   core.set_pc(img.entry);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace trimode {

// One PT_LOAD segment with memsz > 0. bytes holds the p_filesz bytes from the
// file; the range [paddr + bytes.size(), paddr + memsz) is to be zero-filled.
struct ElfSegment {
  uint32_t paddr;
  std::vector<uint8_t> bytes;
  uint32_t memsz;
  bool executable;
};

// A validated image: segments sorted by paddr, pairwise disjoint, each inside
// one allowed region; entry inside a loaded segment. symbols holds the
// defined FUNC and OBJECT symbols (empty for a stripped file). notes: one line
// each, "<file>: ...", for what was accepted leniently, as QEMU would (headers
// below RAM left out, RVC flag, entry in a segment without PF_X).
struct ElfImage {
  uint32_t entry;
  std::vector<ElfSegment> segments;
  std::optional<uint32_t> tohost;
  std::optional<uint32_t> fromhost;
  std::map<std::string, uint32_t> symbols;
  std::vector<std::string> notes;
  bool rvc = false;  // e_flags has EF_RISCV_RVC: the file was built for compressed instructions
};

// A physical range [base, base + size) where segments may be loaded (RAM).
struct LoadRegion {
  uint64_t base;
  uint64_t size;
};

// Any rejected input. what() is one line: "<file>: <problem>", or
// "cannot open <file>: <reason>" when the file cannot be read.
class ElfError : public std::runtime_error {
 public:
  explicit ElfError(const std::string& message) : std::runtime_error(message) {}
};

// Reads and validates the ELF file at path. Throws ElfError.
ElfImage load_elf(const std::string& path, const std::vector<LoadRegion>& allowed);

// Validates an ELF image already in memory; name is used in messages only.
// Throws ElfError.
ElfImage load_elf_memory(const std::vector<uint8_t>& file, const std::string& name,
                         const std::vector<LoadRegion>& allowed);

}  // namespace trimode

// ELF loader: a hand-built minimal RV32 image, one mutation per rejection
// rule, a seeded fuzz loop, and (when the cross compiler is present) real
// linker output.
#include <elf.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>

#include "tools/elf_loader/elf_loader.hpp"
#include "trimode/spec.hpp"

namespace trimode {
namespace {

using Bytes = std::vector<uint8_t>;

const std::vector<LoadRegion> kRam = {{spec::kRamBase, spec::kRamSize}};

// Layout of the minimal image (host is little-endian, so <elf.h> structs are
// written with memcpy): header, 2 program headers, code, data, strtab, symtab,
// 5 section headers (null, .text, .data, .symtab, .strtab).
constexpr uint32_t kCodeAddr = 0x80000000, kDataAddr = 0x80001000;
constexpr size_t kPhOff = sizeof(Elf32_Ehdr);
constexpr size_t kCodeOff = 0x80, kCodeSize = 16;
constexpr size_t kDataOff = 0x90, kDataSize = 16, kDataMemsz = 0x100;
constexpr size_t kStrOff = 0xa0;
constexpr char kStrtab[] = "\0_start\0tohost\0fromhost\0buf";  // offsets 1, 8, 15, 24
constexpr size_t kSymOff = 0xc0, kNumSyms = 5;
constexpr size_t kShOff = kSymOff + kNumSyms * sizeof(Elf32_Sym), kNumSections = 5;
constexpr size_t kFileSize = kShOff + kNumSections * sizeof(Elf32_Shdr);

template <class T>
T get(const Bytes& f, size_t off) {
  T v;
  std::memcpy(&v, f.data() + off, sizeof v);
  return v;
}

template <class T>
void put(Bytes& f, size_t off, const T& v) {
  std::memcpy(f.data() + off, &v, sizeof v);
}

size_t ph_at(int i) { return kPhOff + i * sizeof(Elf32_Phdr); }
size_t sym_at(int i) { return kSymOff + i * sizeof(Elf32_Sym); }
size_t sh_at(int i) { return kShOff + i * sizeof(Elf32_Shdr); }

Elf32_Ehdr make_ehdr() {
  Elf32_Ehdr h{};
  std::memcpy(h.e_ident, ELFMAG, SELFMAG);
  h.e_ident[EI_CLASS] = ELFCLASS32;
  h.e_ident[EI_DATA] = ELFDATA2LSB;
  h.e_ident[EI_VERSION] = EV_CURRENT;
  h.e_type = ET_EXEC;
  h.e_machine = EM_RISCV;
  h.e_version = EV_CURRENT;
  h.e_entry = kCodeAddr;
  h.e_phoff = kPhOff;
  h.e_shoff = kShOff;
  h.e_ehsize = sizeof(Elf32_Ehdr);
  h.e_phentsize = sizeof(Elf32_Phdr);
  h.e_phnum = 2;
  h.e_shentsize = sizeof(Elf32_Shdr);
  h.e_shnum = kNumSections;
  h.e_shstrndx = SHN_UNDEF;
  return h;
}

Elf32_Phdr make_phdr(uint32_t off, uint32_t addr, uint32_t filesz, uint32_t memsz, uint32_t flags) {
  return Elf32_Phdr{PT_LOAD, off, addr, addr, filesz, memsz, flags, 4};
}

Elf32_Shdr make_shdr(uint32_t type, uint32_t off, uint32_t size, uint32_t link, uint32_t entsize) {
  Elf32_Shdr s{};
  s.sh_type = type;
  s.sh_offset = off;
  s.sh_size = size;
  s.sh_link = link;
  s.sh_entsize = entsize;
  return s;
}

Elf32_Sym make_sym(uint32_t name, uint32_t value, int type, uint16_t shndx) {
  Elf32_Sym s{};
  s.st_name = name;
  s.st_value = value;
  s.st_info = ELF32_ST_INFO(STB_GLOBAL, type);
  s.st_shndx = shndx;
  return s;
}

// addi x0,x0,0 ×3 then j . — real RV32I words, though nothing executes them.
Bytes valid_elf() {
  Bytes f(kFileSize, 0);
  put(f, 0, make_ehdr());
  put(f, ph_at(0), make_phdr(kCodeOff, kCodeAddr, kCodeSize, kCodeSize, PF_R | PF_X));
  put(f, ph_at(1), make_phdr(kDataOff, kDataAddr, kDataSize, kDataMemsz, PF_R | PF_W));
  const uint32_t code[] = {0x00000013, 0x00000013, 0x00000013, 0x0000006f};
  std::memcpy(f.data() + kCodeOff, code, sizeof code);
  for (size_t i = 0; i < kDataSize; ++i) f[kDataOff + i] = uint8_t(0xa0 + i);
  std::memcpy(f.data() + kStrOff, kStrtab, sizeof kStrtab);
  put(f, sym_at(1), make_sym(1, kCodeAddr, STT_FUNC, 1));
  put(f, sym_at(2), make_sym(8, kDataAddr, STT_OBJECT, 2));
  put(f, sym_at(3), make_sym(15, kDataAddr + 8, STT_NOTYPE, 2));
  put(f, sym_at(4), make_sym(24, kDataAddr + 0x20, STT_OBJECT, 2));
  put(f, sh_at(1), make_shdr(SHT_PROGBITS, kCodeOff, kCodeSize, 0, 0));
  put(f, sh_at(2), make_shdr(SHT_PROGBITS, kDataOff, kDataSize, 0, 0));
  put(f, sh_at(3),
      make_shdr(SHT_SYMTAB, kSymOff, kNumSyms * sizeof(Elf32_Sym), 4, sizeof(Elf32_Sym)));
  put(f, sh_at(4), make_shdr(SHT_STRTAB, kStrOff, sizeof kStrtab, 0, 0));
  return f;
}

Bytes with_ehdr(std::function<void(Elf32_Ehdr&)> edit) {
  Bytes f = valid_elf();
  auto h = get<Elf32_Ehdr>(f, 0);
  edit(h);
  put(f, 0, h);
  return f;
}

Bytes with_phdr(int i, std::function<void(Elf32_Phdr&)> edit) {
  Bytes f = valid_elf();
  auto p = get<Elf32_Phdr>(f, ph_at(i));
  edit(p);
  put(f, ph_at(i), p);
  return f;
}

// The ElfError message for f, or "" when f loads.
std::string error_of(const Bytes& f, const std::vector<LoadRegion>& allowed = kRam) {
  try {
    load_elf_memory(f, "t.elf", allowed);
  } catch (const ElfError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_REJECTED(bytes, ...)                                                             \
  do {                                                                                          \
    const std::string msg = error_of(bytes);                                                    \
    ASSERT_FALSE(msg.empty()) << "accepted";                                                    \
    EXPECT_EQ(msg.rfind("t.elf: ", 0), 0u) << msg;                                              \
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;                                        \
    for (const char* word : {__VA_ARGS__}) EXPECT_NE(msg.find(word), std::string::npos) << msg; \
  } while (0)

TEST(ElfLoader, LoadsValidImage) {
  const ElfImage img = load_elf_memory(valid_elf(), "t.elf", kRam);
  EXPECT_EQ(img.entry, kCodeAddr);
  ASSERT_EQ(img.segments.size(), 2u);
  EXPECT_EQ(img.segments[0].paddr, kCodeAddr);
  EXPECT_EQ(img.segments[0].memsz, kCodeSize);
  EXPECT_TRUE(img.segments[0].executable);
  EXPECT_EQ(img.segments[0].bytes[0], 0x13);
  EXPECT_EQ(img.segments[1].paddr, kDataAddr);
  EXPECT_EQ(img.segments[1].bytes.size(), kDataSize);
  EXPECT_EQ(img.segments[1].bytes[3], 0xa3);
  EXPECT_EQ(img.segments[1].memsz, kDataMemsz);
  EXPECT_FALSE(img.segments[1].executable);
  EXPECT_EQ(img.tohost, kDataAddr);
  EXPECT_EQ(img.fromhost, kDataAddr + 8);
  const std::map<std::string, uint32_t> want = {
      {"_start", kCodeAddr}, {"tohost", kDataAddr}, {"buf", kDataAddr + 0x20}};
  EXPECT_EQ(img.symbols, want);  // fromhost is NOTYPE: recorded as fromhost only
}

TEST(ElfLoader, AcceptsStrippedImageAndSortsSegments) {
  Bytes f = with_ehdr([](Elf32_Ehdr& h) {
    h.e_shoff = 0;
    h.e_shnum = 0;
  });
  const auto code = get<Elf32_Phdr>(f, ph_at(0));
  put(f, ph_at(0), get<Elf32_Phdr>(f, ph_at(1)));
  put(f, ph_at(1), code);
  const ElfImage img = load_elf_memory(f, "t.elf", kRam);
  EXPECT_TRUE(img.symbols.empty());
  EXPECT_FALSE(img.tohost);
  ASSERT_EQ(img.segments.size(), 2u);
  EXPECT_EQ(img.segments[0].paddr, kCodeAddr);
}

TEST(ElfLoader, SkipsEmptyAndNonLoadSegments) {
  Bytes f = with_ehdr([](Elf32_Ehdr& h) {
    h.e_shoff = 0;
    h.e_shnum = 0;
  });
  put(f, ph_at(1), make_phdr(0, 0, 0, 0, PF_R));  // memsz 0: nothing to place
  EXPECT_EQ(load_elf_memory(f, "t.elf", kRam).segments.size(), 1u);
  auto note = make_phdr(0, 0x1000, 4, 4, PF_R);
  note.p_type = PT_NOTE;
  put(f, ph_at(1), note);
  EXPECT_EQ(load_elf_memory(f, "t.elf", kRam).segments.size(), 1u);
}

TEST(ElfLoader, RejectsBadIdent) {
  EXPECT_REJECTED(Bytes{}, "empty file");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_ident[1] = 'X'; }), "not an ELF file",
                  "bad magic");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_ident[EI_CLASS] = ELFCLASS64; }),
                  "64-bit ELF, need ELF32");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_ident[EI_CLASS] = 7; }), "invalid ELF class 7");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_ident[EI_DATA] = ELFDATA2MSB; }), "big-endian");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_ident[EI_DATA] = 0; }), "data encoding");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_ident[EI_VERSION] = 2; }), "ELF version 2");
}

TEST(ElfLoader, RejectsTruncatedHeader) {
  const Bytes f = valid_elf();
  EXPECT_REJECTED(Bytes(f.begin(), f.begin() + 3), "truncated ELF header", "3 bytes");
  EXPECT_REJECTED(Bytes(f.begin(), f.begin() + 10), "truncated ELF header");
  EXPECT_REJECTED(Bytes(f.begin(), f.begin() + 30), "truncated ELF header", "30 bytes, need 52");
  EXPECT_REJECTED(Bytes(f.begin(), f.begin() + 60), "program header table", "beyond end of file");
}

TEST(ElfLoader, RejectsWrongMachineTypeOrFlags) {
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_machine = EM_386; }),
                  "not a RISC-V ELF (machine 3)");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_machine = EM_X86_64; }),
                  "not a RISC-V ELF (machine 62)");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_type = ET_DYN; }), "not an executable",
                  "type 3");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_type = ET_REL; }), "not an executable");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_version = 0; }), "ELF version 0");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_flags = EF_RISCV_FLOAT_ABI_DOUBLE; }),
                  "hard-float");
}

TEST(ElfLoader, RejectsBadProgramHeaderTable) {
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phnum = 0; }), "no program headers");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phoff = 0; }), "no program headers");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phoff = 0x10000; }), "program header table",
                  "beyond end of file");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phoff = 0xfffffff0; }), "program header table",
                  "beyond end of file");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phnum = 100; }), "program header table",
                  "100 entries");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phnum = PN_XNUM; }),
                  "too many program headers");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_phentsize = 56; }), "program header size 56");
}

TEST(ElfLoader, RejectsBadSectionHeaderTable) {
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_shoff = 0xfffff000; }), "section header table",
                  "1 entry)", "beyond end of file");  // (one entry checked first: "1 entries" until 2026-12-05)
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_shnum = 60; }), "section header table",
                  "60 entries");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_shentsize = 64; }), "section header size 64");
  // e_shnum 0 with a table: the count is section 0's sh_size (extended numbering).
  Bytes f = with_ehdr([](Elf32_Ehdr& h) { h.e_shnum = 0; });
  put(f, sh_at(0) + offsetof(Elf32_Shdr, sh_size), uint32_t{0x10000000});
  EXPECT_REJECTED(f, "section header table", "268435456 entries");
}

TEST(ElfLoader, RejectsBadSegmentSizes) {
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_filesz = p.p_memsz + 1; }), "segment 1",
                  "filesz 0x00000101 > memsz 0x00000100");
  EXPECT_REJECTED(with_phdr(0, [](Elf32_Phdr& p) { p.p_offset = kFileSize - 4; }), "segment 0",
                  "file range", "beyond end of file");
  EXPECT_REJECTED(with_phdr(0, [](Elf32_Phdr& p) { p.p_offset = 0xfffffff8; }), "file range",
                  "beyond end of file");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_filesz = p.p_memsz = 0x7fffffff; }),
                  "file range", "beyond end of file");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_memsz = 0xffffffff; }),
                  "not inside one allowed region");
}

TEST(ElfLoader, RejectsSegmentsOutsideRam) {
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = 0x00100000; }),
                  "segment [0x00100000, 0x00100100)", "not inside one allowed region",
                  "[0x80000000, 0x88000000)");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = 0x10000000; }),
                  "outside the allowed");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = 0x87ffff80; }),
                  "segment [0x87ffff80, 0x88000080)",
                  "crosses the boundary of [0x80000000, 0x88000000)");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = 0x7fffff80; }),
                  "crosses the boundary");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = 0xffffff80; }),
                  "outside the allowed");
}

TEST(ElfLoader, SegmentMustFitOneRegionEvenIfRegionsTouch) {
  const std::vector<LoadRegion> split = {{0x80000000, 0x1000}, {0x80001000, 0x1000}};
  EXPECT_EQ(error_of(valid_elf(), split), "");
  const Bytes f = with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = 0x80000f80; });
  EXPECT_NE(error_of(f, split).find("crosses the boundary"), std::string::npos)
      << error_of(f, split);
  EXPECT_NE(error_of(valid_elf(), {}).find("allowed (none)"), std::string::npos);
}

TEST(ElfLoader, RejectsOverlappingSegments) {
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = kCodeAddr + 8; }),
                  "segments [0x80000000, 0x80000010) and [0x80000008, 0x80000108) overlap");
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = kCodeAddr; }), "overlap");
}

TEST(ElfLoader, RejectsBadEntryPoint) {
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_entry = kDataAddr - 0x100; }),
                  "entry point 0x80000f00 outside loaded segments");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_entry = kDataAddr + kDataMemsz; }),
                  "outside loaded segments");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_entry = kCodeAddr + kCodeSize + 4; }),
                  "outside loaded segments");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_entry = 0; }),
                  "entry point 0x00000000 outside loaded segments");
  EXPECT_REJECTED(with_ehdr([](Elf32_Ehdr& h) { h.e_entry = kCodeAddr + 2; }),
                  "not 4-byte aligned");
  EXPECT_REJECTED(with_phdr(0, [](Elf32_Phdr& p) { p.p_type = PT_NULL; }), "outside loaded segments");
  Bytes none = with_phdr(0, [](Elf32_Phdr& p) { p.p_type = PT_NULL; });
  put(none, ph_at(1) + offsetof(Elf32_Phdr, p_type), uint32_t{PT_NOTE});
  EXPECT_REJECTED(none, "no loadable segments");
}

// QEMU's leniency (docs/elf-loading.md): each accepted with one note.
TEST(ElfLoader, AcceptsRvcFlagWithANote) {
  const ElfImage img = load_elf_memory(with_ehdr([](Elf32_Ehdr& h) { h.e_flags = EF_RISCV_RVC; }), "t.elf", kRam);
  EXPECT_TRUE(img.rvc);
  ASSERT_EQ(img.notes.size(), 1u);
  EXPECT_NE(img.notes[0].find("t.elf: note: built for compressed instructions"), std::string::npos) << img.notes[0];
  EXPECT_FALSE(load_elf_memory(valid_elf(), "t.elf", kRam).rvc);
  EXPECT_TRUE(load_elf_memory(valid_elf(), "t.elf", kRam).notes.empty());
}

TEST(ElfLoader, EntryInASegmentWithoutExecuteFlagRunsWithANote) {
  const ElfImage img = load_elf_memory(with_phdr(0, [](Elf32_Phdr& p) { p.p_flags = PF_R; }), "t.elf", kRam);
  EXPECT_EQ(img.entry, kCodeAddr);
  ASSERT_EQ(img.notes.size(), 1u);
  EXPECT_NE(img.notes[0].find("without the execute flag (PF_X)"), std::string::npos) << img.notes[0];
  EXPECT_FALSE(img.segments[0].executable);
}

// The code segment starts at file offset 0, 0x80 bytes below RAM: the headers
// and their zero padding lie outside memory, the code at kCodeAddr inside.
Bytes headers_below_ram() {
  return with_phdr(0, [](Elf32_Phdr& p) {
    p.p_offset = 0;
    p.p_paddr = p.p_vaddr = kCodeAddr - kCodeOff;
    p.p_filesz = p.p_memsz = kCodeOff + kCodeSize;
  });
}

TEST(ElfLoader, LoadsTheInMemoryPartWhenOnlyHeadersAreOutside) {
  const ElfImage img = load_elf_memory(headers_below_ram(), "t.elf", kRam);
  ASSERT_EQ(img.segments.size(), 2u);
  EXPECT_EQ(img.segments[0].paddr, kCodeAddr);
  EXPECT_EQ(img.segments[0].memsz, kCodeSize);
  ASSERT_EQ(img.segments[0].bytes.size(), kCodeSize);
  EXPECT_EQ(img.segments[0].bytes[0], 0x13);  // the first addi, not a header byte
  ASSERT_EQ(img.notes.size(), 1u);
  EXPECT_NE(img.notes[0].find("starts with the ELF headers at [0x7fffff80, 0x80000000), outside memory"),
            std::string::npos) << img.notes[0];
}

TEST(ElfLoader, RefusesASegmentWhosePartOutsideMemoryHoldsMoreThanHeaders) {
  Bytes f = headers_below_ram();
  f[kCodeOff - 4] = 0x5a;  // a non-zero byte between the headers and the code
  EXPECT_REJECTED(f, "crosses the boundary", "maps the ELF headers");
  // Past the end of RAM nothing is dropped.
  EXPECT_REJECTED(with_phdr(1, [](Elf32_Phdr& p) { p.p_paddr = spec::kRamBase + spec::kRamSize - 8; }),
                  "crosses the boundary");
}

TEST(ElfLoader, RejectsCorruptSymbolTable) {
  Bytes f = valid_elf();
  put(f, sh_at(3) + offsetof(Elf32_Shdr, sh_link), uint32_t{9});
  EXPECT_REJECTED(f, "symbol table", "string table index 9");
  f = valid_elf();
  put(f, sh_at(3) + offsetof(Elf32_Shdr, sh_link), uint32_t{1});
  EXPECT_REJECTED(f, "symbol table", "string table");
  f = valid_elf();
  put(f, sh_at(3) + offsetof(Elf32_Shdr, sh_offset), uint32_t{0xfffffff0});
  EXPECT_REJECTED(f, "symbol table beyond end of file");
  f = valid_elf();
  put(f, sh_at(3) + offsetof(Elf32_Shdr, sh_entsize), uint32_t{24});
  EXPECT_REJECTED(f, "symbol table: bad entry size 24");
  f = valid_elf();
  put(f, sym_at(4) + offsetof(Elf32_Sym, st_name), uint32_t{5000});
  EXPECT_REJECTED(f, "symbol 4", "out of range");
}

TEST(ElfLoader, RejectsHostWordsOutsideLoadedMemory) {
  Bytes f = valid_elf();
  put(f, sym_at(2) + offsetof(Elf32_Sym, st_value), uint32_t{0x80100000});
  EXPECT_REJECTED(f, "tohost 0x80100000 outside loaded segments");
  f = valid_elf();
  put(f, sym_at(3) + offsetof(Elf32_Sym, st_value), uint32_t{kDataAddr + kDataMemsz - 2});
  EXPECT_REJECTED(f, "fromhost", "outside loaded segments");
}

TEST(ElfLoader, RejectsRandomGarbage) {
  std::mt19937 rng(7);
  for (size_t size : {1u, 4u, 52u, 1000u, 65536u}) {
    Bytes f(size);
    for (auto& b : f) b = uint8_t(rng());
    EXPECT_REJECTED(f, "bad magic");
    std::memcpy(f.data(), ELFMAG, std::min<size_t>(size, SELFMAG));
    EXPECT_FALSE(error_of(f).empty());
  }
}

// Invariants every accepted image must satisfy, whatever the input was.
void expect_sound(const ElfImage& img) {
  bool entry_in_code = false;
  uint64_t prev_end = 0;
  for (const auto& s : img.segments) {
    ASSERT_GT(s.memsz, 0u);
    ASSERT_LE(s.bytes.size(), s.memsz);
    ASSERT_GE(s.paddr, prev_end);
    ASSERT_GE(s.paddr, spec::kRamBase);
    ASSERT_LE(uint64_t{s.paddr} + s.memsz, spec::kRamBase + spec::kRamSize);
    prev_end = uint64_t{s.paddr} + s.memsz;
    entry_in_code |= img.entry >= s.paddr && img.entry - s.paddr < s.memsz;
  }
  ASSERT_TRUE(entry_in_code);
}

TEST(ElfLoader, SurvivesTwentyThousandMutations) {
  const Bytes good = valid_elf();
  std::mt19937 rng(0x7a1b0de);
  int loaded = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes f = good;
    if (rng() % 4 == 0) {
      f.resize(rng() % good.size());
    } else {
      // Bias towards the headers, where a byte changes the most.
      const size_t span = rng() % 2 ? kCodeOff : good.size();
      f[rng() % span] = uint8_t(rng());
    }
    try {
      expect_sound(load_elf_memory(f, "fuzz.elf", kRam));
      ++loaded;
    } catch (const ElfError&) {
    } catch (const std::exception& e) {
      FAIL() << "mutation " << i << " threw a non-ElfError: " << e.what();
    }
    if (HasFatalFailure()) FAIL() << "mutation " << i << " produced an unsound image";
  }
  EXPECT_GT(loaded, 1000);  // many single-byte changes are harmless
}

TEST(ElfLoader, LoadsFromFile) {
  const std::string path = ::testing::TempDir() + "trimode_elf_loader_test.elf";
  const Bytes f = valid_elf();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(f.data()), std::streamsize(f.size()));
  EXPECT_EQ(load_elf(path, kRam).entry, kCodeAddr);
  std::remove(path.c_str());
}

TEST(ElfLoader, ReportsUnreadableFiles) {
  try {
    load_elf("/nonexistent/prog.elf", kRam);
    FAIL() << "accepted";
  } catch (const ElfError& e) {
    EXPECT_STREQ(e.what(), "cannot open /nonexistent/prog.elf: No such file or directory");
  }
  try {
    load_elf("/", kRam);
    FAIL() << "accepted";
  } catch (const ElfError& e) {
    EXPECT_STREQ(e.what(), "cannot open /: not a regular file");
  }
}

#ifdef TRIMODE_SAMPLE_ELF
TEST(ElfLoader, LoadsCrossCompiledProgram) {
  const ElfImage img = load_elf(TRIMODE_SAMPLE_ELF, kRam);
  EXPECT_EQ(img.entry, 0x80000000u);
  EXPECT_EQ(img.symbols.at("_start"), 0x80000000u);
  ASSERT_TRUE(img.tohost && img.fromhost);
  EXPECT_EQ(img.symbols.at("tohost"), *img.tohost);
  EXPECT_EQ(*img.fromhost, *img.tohost + 8);
  ASSERT_EQ(img.segments.size(), 2u);
  EXPECT_TRUE(img.segments[0].executable);
  EXPECT_FALSE(img.segments[1].executable);
  EXPECT_GT(img.segments[1].memsz, img.segments[1].bytes.size());  // .bss
  expect_sound(img);
}

TEST(ElfLoader, LoadsDefaultLinkerLayoutLikeQemu) {
  // Plain -Ttext=0x80000000 maps the ELF headers into a segment at 0x7ffff000:
  // the part in RAM loads, from 0x80000000, with a note.
  const ElfImage img = load_elf(TRIMODE_DEFAULT_LAYOUT_ELF, kRam);
  ASSERT_FALSE(img.segments.empty());
  EXPECT_EQ(img.segments[0].paddr, spec::kRamBase);
  EXPECT_EQ(img.entry, spec::kRamBase);
  ASSERT_EQ(img.notes.size(), 1u);
  EXPECT_NE(img.notes[0].find("segment [0x7ffff000,"), std::string::npos) << img.notes[0];
  EXPECT_NE(img.notes[0].find("outside memory"), std::string::npos) << img.notes[0];
}
#endif

}  // namespace
}  // namespace trimode

#include "tools/elf_loader/elf_loader.hpp"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>

namespace trimode {
namespace {

// Larger than any image that fits in RAM plus debug info; bounds the read.
constexpr uint64_t kMaxFileSize = uint64_t{1} << 30;
// The core polls tohost/fromhost as 32-bit words.
constexpr uint64_t kHostWordSize = 4;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}

// Half-open range as "[0x80000000, 0x80001000)".
std::string range(uint64_t base, uint64_t size) {
  return "[" + hex(base) + ", " + hex(base + size) + ")";
}

// True when [base, base + size) lies in [0, file_size), without overflow.
bool fits(uint64_t base, uint64_t size, uint64_t file_size) {
  return base <= file_size && size <= file_size - base;
}

bool contains(const LoadRegion& r, uint64_t addr, uint64_t size) {
  return addr >= r.base && addr - r.base <= r.size && size <= r.size - (addr - r.base);
}

bool overlaps(const LoadRegion& r, uint64_t addr, uint64_t size) {
  return addr >= r.base ? addr - r.base < r.size : r.base - addr < size;
}

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};
using ElfPtr = std::unique_ptr<Elf, ElfCloser>;

void init_libelf() {
  static const bool ok = elf_version(EV_CURRENT) != EV_NONE;
  if (!ok) throw ElfError(std::string("libelf: ") + elf_errmsg(-1));
}

// The ELF32 header fields the pre-checks need, decoded little-endian from the
// raw bytes so nothing is trusted before its bounds are known.
struct RawHeader {
  uint16_t type, machine, phentsize, phnum, shentsize, shnum;
  uint32_t version, entry, phoff, shoff, flags;
};

// One validation pass over one file. Checks run cheapest-first and throw on
// the first problem; bytes are copied only after every check passed.
class Parser {
 public:
  Parser(const std::vector<uint8_t>& file, const std::string& name,
         const std::vector<LoadRegion>& allowed)
      : buf_(file), name_(name), allowed_(allowed) {}

  ElfImage run() {
    check_ident();
    const RawHeader h = decode_header();
    check_header(h);
    check_tables(h);
    open_libelf();
    ElfImage img;
    img.entry = h.entry;
    if (h.flags & EF_RISCV_RVC) {
      img.rvc = true;
      img.notes.push_back(name_ + ": note: built for compressed instructions (EF_RISCV_RVC) but the core is RV32IM;"
                                  " a compressed instruction, if any runs, traps as illegal");
    }
    headers_end_ = std::max<uint64_t>(sizeof(Elf32_Ehdr), uint64_t{h.phoff} + uint64_t{h.phnum} * sizeof(Elf32_Phdr));
    auto phdrs = loadable_segments(h.phnum, img.notes);
    check_overlap(phdrs);
    check_entry(phdrs, h.entry, img.notes);
    read_symbols(img);
    check_host_symbol(phdrs, "tohost", img.tohost);
    check_host_symbol(phdrs, "fromhost", img.fromhost);
    for (const auto& p : phdrs) img.segments.push_back(copy_segment(p));
    return img;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw ElfError(name_ + ": " + problem);
  }

  uint16_t rd16(size_t off) const { return uint16_t(buf_[off] | buf_[off + 1] << 8); }
  uint32_t rd32(size_t off) const { return uint32_t(rd16(off)) | uint32_t(rd16(off + 2)) << 16; }

  void check_ident() const {
    if (buf_.empty()) fail("empty file");
    const size_t n = std::min(buf_.size(), size_t{SELFMAG});
    if (std::memcmp(buf_.data(), ELFMAG, n) != 0) fail("not an ELF file (bad magic)");
    if (buf_.size() < EI_NIDENT) fail(truncated_header());
    const uint8_t cls = buf_[EI_CLASS], data = buf_[EI_DATA];
    if (cls == ELFCLASS64) fail("64-bit ELF, need ELF32");
    if (cls != ELFCLASS32) fail("invalid ELF class " + std::to_string(cls) + ", need ELF32");
    if (data == ELFDATA2MSB) fail("big-endian ELF, need little-endian");
    if (data != ELFDATA2LSB)
      fail("invalid ELF data encoding " + std::to_string(data) + ", need little-endian");
    if (buf_[EI_VERSION] != EV_CURRENT)
      fail("unsupported ELF version " + std::to_string(buf_[EI_VERSION]));
    if (buf_.size() < sizeof(Elf32_Ehdr)) fail(truncated_header());
  }

  std::string truncated_header() const {
    return "truncated ELF header (" + std::to_string(buf_.size()) + " bytes, need " +
           std::to_string(sizeof(Elf32_Ehdr)) + ")";
  }

  RawHeader decode_header() const {
    RawHeader h;
    h.type = rd16(offsetof(Elf32_Ehdr, e_type));
    h.machine = rd16(offsetof(Elf32_Ehdr, e_machine));
    h.version = rd32(offsetof(Elf32_Ehdr, e_version));
    h.entry = rd32(offsetof(Elf32_Ehdr, e_entry));
    h.phoff = rd32(offsetof(Elf32_Ehdr, e_phoff));
    h.shoff = rd32(offsetof(Elf32_Ehdr, e_shoff));
    h.flags = rd32(offsetof(Elf32_Ehdr, e_flags));
    h.phentsize = rd16(offsetof(Elf32_Ehdr, e_phentsize));
    h.phnum = rd16(offsetof(Elf32_Ehdr, e_phnum));
    h.shentsize = rd16(offsetof(Elf32_Ehdr, e_shentsize));
    h.shnum = rd16(offsetof(Elf32_Ehdr, e_shnum));
    return h;
  }

  void check_header(const RawHeader& h) const {
    if (h.machine != EM_RISCV) fail("not a RISC-V ELF (machine " + std::to_string(h.machine) + ")");
    if (h.type != ET_EXEC)
      fail("not an executable (ELF type " + std::to_string(h.type) + ", need ET_EXEC)");
    if (h.version != EV_CURRENT) fail("unsupported ELF version " + std::to_string(h.version));
    if (h.flags & EF_RISCV_FLOAT_ABI)
      fail("hard-float ABI in e_flags, the core is RV32IM (use -mabi=ilp32)");
  }

  // Program and section header tables: entry size as ELF32 defines it, table
  // inside the file. Sections are optional; a corrupt table is still an error.
  void check_tables(const RawHeader& h) const {
    if (h.phnum == 0 || h.phoff == 0) fail("no program headers");
    if (h.phnum == PN_XNUM) fail("too many program headers (PN_XNUM)");
    if (h.phentsize != sizeof(Elf32_Phdr))
      fail("bad program header size " + std::to_string(h.phentsize));
    check_table("program header table", h.phoff, h.phnum, sizeof(Elf32_Phdr));
    if (h.shoff == 0) return;
    if (h.shentsize != sizeof(Elf32_Shdr))
      fail("bad section header size " + std::to_string(h.shentsize));
    check_table("section header table", h.shoff, 1, sizeof(Elf32_Shdr));
    const uint64_t shnum = h.shnum != 0 ? h.shnum : rd32(h.shoff + offsetof(Elf32_Shdr, sh_size));
    check_table("section header table", h.shoff, shnum, sizeof(Elf32_Shdr));
  }

  void check_table(const char* what, uint64_t off, uint64_t count, uint64_t entsize) const {
    if (!fits(off, count * entsize, buf_.size()))
      fail(std::string(what) + " (offset " + hex(off) + ", " + std::to_string(count) +
           (count == 1 ? " entry" : " entries") + ") beyond end of file (" + std::to_string(buf_.size()) + " bytes)");
  }

  void open_libelf() {
    init_libelf();
    elf_.reset(elf_memory(reinterpret_cast<char*>(buf_.data()), buf_.size()));
    if (!elf_ || elf_kind(elf_.get()) != ELF_K_ELF) fail(libelf_problem("cannot parse"));
  }

  std::string libelf_problem(const std::string& what) const {
    return what + " (libelf: " + elf_errmsg(-1) + ")";
  }

  // PT_LOAD headers with memsz > 0, each checked on its own, sorted by paddr.
  std::vector<GElf_Phdr> loadable_segments(size_t phnum, std::vector<std::string>& notes) const {
    std::vector<GElf_Phdr> out;
    for (size_t i = 0; i < phnum; ++i) {
      GElf_Phdr p;
      if (!gelf_getphdr(elf_.get(), int(i), &p))
        fail(libelf_problem("cannot read program header " + std::to_string(i)));
      if (p.p_type != PT_LOAD) continue;
      if (const uint64_t skip = headers_below_region(p)) {
        notes.push_back(name_ + ": note: segment " + range(p.p_paddr, p.p_memsz) + " starts with the ELF headers at " +
                        range(p.p_paddr, skip) + ", outside memory; loading " + range(p.p_paddr + skip, p.p_memsz - skip) +
                        " (as QEMU does)");
        p.p_paddr += skip;
        p.p_vaddr += skip;
        p.p_offset += skip;
        p.p_filesz -= skip;
        p.p_memsz -= skip;
      }
      check_segment(i, p);
      if (p.p_memsz > 0) out.push_back(p);
    }
    if (out.empty()) fail("no loadable segments");
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.p_paddr < b.p_paddr; });
    return out;
  }

  void check_segment(size_t i, const GElf_Phdr& p) const {
    const std::string seg = "segment " + std::to_string(i) + ": ";
    if (p.p_filesz > p.p_memsz)
      fail(seg + "filesz " + hex(p.p_filesz) + " > memsz " + hex(p.p_memsz));
    if (!fits(p.p_offset, p.p_filesz, buf_.size()))
      fail(seg + "file range " + range(p.p_offset, p.p_filesz) + " beyond end of file (" +
           std::to_string(buf_.size()) + " bytes)");
    if (p.p_memsz > 0) check_placement(p.p_paddr, p.p_memsz, p.p_offset == 0);
  }

  // The length of the part of p below an allowed region when that part holds
  // only the ELF headers and the zero padding after them (the default linker
  // layout with -Ttext at the start of RAM), and the rest lies inside the
  // region; else 0. QEMU loads such a segment's part in RAM and drops the rest.
  uint64_t headers_below_region(const GElf_Phdr& p) const {
    if (p.p_offset != 0) return 0;
    for (const auto& r : allowed_) {
      if (p.p_paddr >= r.base || r.base - p.p_paddr >= p.p_memsz) continue;
      const uint64_t skip = r.base - p.p_paddr;
      if (skip > p.p_filesz || !fits(0, skip, buf_.size()) || !contains(r, r.base, p.p_memsz - skip)) return 0;
      const auto first = buf_.begin() + std::ptrdiff_t(std::min(headers_end_, skip));
      const bool padding_only = std::all_of(first, buf_.begin() + std::ptrdiff_t(skip), [](uint8_t b) { return b == 0; });
      return padding_only ? skip : 0;
    }
    return 0;
  }

  // The whole segment must sit in one allowed region: a segment spanning two
  // adjacent regions, or RAM and a device, is rejected. maps_headers: the
  // segment starts at file offset 0, the usual cause of a region crossing.
  void check_placement(uint64_t addr, uint64_t size, bool maps_headers) const {
    const std::string seg = "segment " + range(addr, size) + " is not inside one allowed region: ";
    const std::string hint = maps_headers ? " (it maps the ELF headers below the code: link with a"
                                            " linker script whose PHDRS leave them out)"
                                          : "";
    for (const auto& r : allowed_)
      if (contains(r, addr, size)) return;
    for (const auto& r : allowed_)
      if (overlaps(r, addr, size))
        fail(seg + "it crosses the boundary of " + range(r.base, r.size) + hint);
    std::string list;
    for (const auto& r : allowed_) list += (list.empty() ? "" : ", ") + range(r.base, r.size);
    fail(seg + "it is outside the allowed " + (list.empty() ? std::string("(none)") : list));
  }

  void check_overlap(const std::vector<GElf_Phdr>& sorted) const {
    for (size_t i = 1; i < sorted.size(); ++i) {
      const auto &a = sorted[i - 1], &b = sorted[i];
      if (a.p_paddr + a.p_memsz > b.p_paddr)
        fail("segments " + range(a.p_paddr, a.p_memsz) + " and " + range(b.p_paddr, b.p_memsz) +
             " overlap");
    }
  }

  // As QEMU: the entry point must be loaded, but segment flags are not
  // permissions (V, like M-mode without PMP, may execute any RAM).
  void check_entry(const std::vector<GElf_Phdr>& segs, uint32_t entry, std::vector<std::string>& notes) const {
    const auto in = std::find_if(segs.begin(), segs.end(), [&](const GElf_Phdr& p) {
      return entry >= p.p_paddr && entry - p.p_paddr < p.p_memsz;
    });
    if (in == segs.end()) fail("entry point " + hex(entry) + " outside loaded segments");
    if (entry % 4 != 0) fail("entry point " + hex(entry) + " not 4-byte aligned");
    if (!(in->p_flags & PF_X)) {
      notes.push_back(name_ + ": note: entry point " + hex(entry) + " is in segment " + range(in->p_paddr, in->p_memsz) +
                      " without the execute flag (PF_X); running it anyway, as QEMU does");
    }
  }

  void check_host_symbol(const std::vector<GElf_Phdr>& segs, const char* sym,
                         const std::optional<uint32_t>& addr) const {
    if (!addr) return;
    const bool loaded = std::any_of(segs.begin(), segs.end(), [&](const GElf_Phdr& p) {
      return *addr >= p.p_paddr && *addr - p.p_paddr <= p.p_memsz &&
             kHostWordSize <= p.p_memsz - (*addr - p.p_paddr);
    });
    if (!loaded) fail(std::string(sym) + " " + hex(*addr) + " outside loaded segments");
  }

  void read_symbols(ElfImage& img) const {
    size_t shnum = 0;
    if (elf_getshdrnum(elf_.get(), &shnum) != 0) fail(libelf_problem("cannot count sections"));
    for (Elf_Scn* scn = elf_nextscn(elf_.get(), nullptr); scn; scn = elf_nextscn(elf_.get(), scn)) {
      GElf_Shdr sh;
      if (!gelf_getshdr(scn, &sh)) fail(libelf_problem("cannot read section header"));
      if (sh.sh_type == SHT_SYMTAB) read_symtab(scn, sh, shnum, img);
    }
  }

  void check_symtab(const GElf_Shdr& sh, size_t shnum) const {
    if (sh.sh_entsize != sizeof(Elf32_Sym))
      fail("symbol table: bad entry size " + std::to_string(sh.sh_entsize));
    if (!fits(sh.sh_offset, sh.sh_size, buf_.size())) fail("symbol table beyond end of file");
    if (sh.sh_link == 0 || sh.sh_link >= shnum)
      fail("symbol table: bad string table index " + std::to_string(sh.sh_link));
    GElf_Shdr str;
    if (!gelf_getshdr(elf_getscn(elf_.get(), sh.sh_link), &str) || str.sh_type != SHT_STRTAB ||
        !fits(str.sh_offset, str.sh_size, buf_.size()))
      fail("symbol table: string table missing or beyond end of file");
  }

  void read_symtab(Elf_Scn* scn, const GElf_Shdr& sh, size_t shnum, ElfImage& img) const {
    check_symtab(sh, shnum);
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data) fail(libelf_problem("cannot read symbol table"));
    const size_t count = sh.sh_size / sizeof(Elf32_Sym);
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym s;
      if (!gelf_getsym(data, int(i), &s))
        fail(libelf_problem("cannot read symbol " + std::to_string(i)));
      if (s.st_shndx == SHN_UNDEF || s.st_name == 0) continue;
      const char* name = elf_strptr(elf_.get(), sh.sh_link, s.st_name);
      if (!name)
        fail("symbol " + std::to_string(i) + ": name offset " + std::to_string(s.st_name) +
             " out of range");
      record_symbol(name, s, img);
    }
  }

  // Globals win over locals of the same name; otherwise the first one wins.
  static void record_symbol(const std::string& name, const GElf_Sym& s, ElfImage& img) {
    const uint32_t value = uint32_t(s.st_value);
    if (name == "tohost") img.tohost = value;
    if (name == "fromhost") img.fromhost = value;
    const int type = GELF_ST_TYPE(s.st_info);
    if (type != STT_FUNC && type != STT_OBJECT) return;
    if (GELF_ST_BIND(s.st_info) == STB_LOCAL) {
      img.symbols.emplace(name, value);
    } else {
      img.symbols[name] = value;
    }
  }

  ElfSegment copy_segment(const GElf_Phdr& p) const {
    const auto first = buf_.begin() + std::ptrdiff_t(p.p_offset);
    return ElfSegment{uint32_t(p.p_paddr),
                      std::vector<uint8_t>(first, first + std::ptrdiff_t(p.p_filesz)),
                      uint32_t(p.p_memsz), (p.p_flags & PF_X) != 0};
  }

  std::vector<uint8_t> buf_;  // libelf parses this private copy; outlives elf_
  std::string name_;
  const std::vector<LoadRegion>& allowed_;
  uint64_t headers_end_ = 0;  // end of the ELF header and program header table in the file
  ElfPtr elf_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

[[noreturn]] void cannot_open(const std::string& path, const std::string& reason) {
  throw ElfError("cannot open " + path + ": " + reason);
}

std::vector<uint8_t> read_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer, for ever;
  // it has no effect on a regular file, the only kind read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) cannot_open(path, std::strerror(errno));
  std::unique_ptr<std::FILE, FileCloser> f(::fdopen(fd, "rb"));
  if (!f) {
    const int err = errno;
    ::close(fd);
    cannot_open(path, std::strerror(err));
  }
  struct stat st;
  if (fstat(fileno(f.get()), &st) != 0) cannot_open(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) cannot_open(path, "not a regular file");
  if (uint64_t(st.st_size) > kMaxFileSize)
    throw ElfError(path + ": file too large (" + std::to_string(st.st_size) +
                   " bytes, limit 1 GiB)");
  std::vector<uint8_t> bytes(size_t(st.st_size));
  if (std::fread(bytes.data(), 1, bytes.size(), f.get()) != bytes.size())
    cannot_open(path, std::string("read failed: ") + std::strerror(errno));
  return bytes;
}

}  // namespace

ElfImage load_elf(const std::string& path, const std::vector<LoadRegion>& allowed) {
  return load_elf_memory(read_file(path), path, allowed);
}

ElfImage load_elf_memory(const std::vector<uint8_t>& file, const std::string& name,
                         const std::vector<LoadRegion>& allowed) {
  return Parser(file, name, allowed).run();
}

}  // namespace trimode

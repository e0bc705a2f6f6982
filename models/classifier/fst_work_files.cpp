#include "models/classifier/fst_work_files.hpp"

#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" std::FILE* __real_tmpfile(void);
extern "C" std::FILE* __wrap_tmpfile(void);
extern "C" void* __real_mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off);
extern "C" void* __wrap_mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off);

namespace trimode {
namespace {

struct WorkFiles {
  bool active = false;
  std::string dir;
  std::vector<std::FILE*> files;
  std::string failed;  // a working file that could not be made
};

WorkFiles& work() {
  static WorkFiles w;
  return w;
}

// The mapping guard: from begin_fst_work_files() until end_fst_mappings().
struct MapGuard {
  bool active = false;
  std::string cut;  // the first mapping of a file cut short
};

MapGuard& guard() {
  static MapGuard g;
  return g;
}

std::string reason(int err) { return err ? std::strerror(err) : "disk full?"; }

// A new file in `dir`, open for update, its name removed at once.
std::FILE* make_in(const std::string& dir, std::string* failed) {
  std::string name = dir + "/work-XXXXXX";
  const int fd = mkstemp(name.data());
  if (fd < 0) {
    *failed = "cannot make a working file in " + dir + ": " + std::strerror(errno);
    return nullptr;
  }
  unlink(name.c_str());
  std::FILE* f = fdopen(fd, "w+b");
  if (!f) {
    *failed = "cannot make a working file in " + dir + ": " + std::strerror(errno);
    close(fd);
  }
  return f;
}

}  // namespace

void begin_fst_work_files(const std::string& dir) {
  work() = WorkFiles{true, dir, {}, ""};
  guard() = MapGuard{true, ""};
}

std::string end_fst_work_files() {
  WorkFiles& w = work();
  std::string why = w.failed;
  for (std::FILE* f : w.files) {
    errno = 0;
    if ((std::fflush(f) != 0 || std::ferror(f)) && why.empty()) why = reason(errno);
  }
  w = WorkFiles{};
  return why;
}

void drop_fst_work_files() { work() = WorkFiles{}; }

std::string end_fst_mappings() {
  std::string cut = guard().cut;
  guard() = MapGuard{};
  return cut;
}

}  // namespace trimode

// tmpfile() of every object linked with --wrap=tmpfile (see the header).
extern "C" std::FILE* __wrap_tmpfile(void) {
  trimode::WorkFiles& w = trimode::work();
  if (!w.active) return __real_tmpfile();
  std::string failed;
  std::FILE* f = trimode::make_in(w.dir, &failed);
  if (f) {
    w.files.push_back(f);
  } else if (w.failed.empty()) {
    w.failed = failed;
  }
  return f;
}

// mmap() of every object linked with --wrap=mmap (see the header): while the
// guard is on, a file shorter than the range asked for (its write was cut)
// gets anonymous memory of that length instead, and the cut is remembered;
// every other call is the C library's.
extern "C" void* __wrap_mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  trimode::MapGuard& g = trimode::guard();
  struct stat st;
  if (g.active && fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) < static_cast<uint64_t>(off) + len) {
    if (g.cut.empty()) {
      g.cut = "a file cut at " + std::to_string(st.st_size) + " of " + std::to_string(off + len) + " bytes";
    }
    return __real_mmap(nullptr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  }
  return __real_mmap(addr, len, prot, flags, fd, off);
}

#include "models/classifier/fst_work_files.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

extern "C" std::FILE* __real_tmpfile(void);
extern "C" std::FILE* __wrap_tmpfile(void);

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

void begin_fst_work_files(const std::string& dir) { work() = WorkFiles{true, dir, {}, ""}; }

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

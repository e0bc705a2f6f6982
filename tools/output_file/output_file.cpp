#include "tools/output_file/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace trimode {
namespace {

// The reason of a failure the C library just reported (errno, cleared before
// the call), or the one a disk full gives when it set none.
std::string reason(int err) { return err ? std::strerror(err) : "disk full?"; }

// The directory a new file named `path` would be made in.
std::string parent_of(const std::string& path) {
  const size_t slash = path.find_last_not_of('/') == std::string::npos ? 0 : path.rfind('/', path.find_last_not_of('/'));
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A dangling symlink's target (fopen creates it), relative to the link's directory.
std::string link_target(const std::string& path) {
  char buf[4096];
  const ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
  if (n <= 0) return path;
  const std::string target(buf, static_cast<size_t>(n));
  return target[0] == '/' ? target : parent_of(path) + "/" + target;
}

}  // namespace

std::string can_write(const std::string& path) {
  if (path.empty()) return "empty file name";
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::strerror(EISDIR);
    if (!S_ISREG(st.st_mode)) return access(path.c_str(), W_OK) == 0 ? "" : std::strerror(errno);  // (a FIFO, a device: not opened)
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);  // (no O_TRUNC: the file stays as it is)
    if (fd < 0) return std::strerror(errno);
    ::close(fd);
    return "";
  }
  if (errno != ENOENT) return std::strerror(errno);
  struct stat link {};
  const std::string made = lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode) ? link_target(path) : path;
  const std::string dir = parent_of(made);
  if (stat(dir.c_str(), &st) != 0) return std::strerror(errno);
  if (!S_ISDIR(st.st_mode)) return std::strerror(ENOTDIR);
  if (access(dir.c_str(), W_OK | X_OK) != 0) return std::strerror(errno);
  // Made and removed at once: only creating it tells what permissions do not
  // (root passes access() everywhere, /proc and /sys take no new files).
  const int fd = ::open(made.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  ::unlink(made.c_str());
  return "";
}

OutputFile::~OutputFile() {
  if (!f_) return;
  if (over_) std::fflush(f_), cut();
  std::fclose(f_);
}

std::string OutputFile::open(const std::string& path) {
  if (f_) close();
  failed_.clear();
  over_ = false;
  errno = 0;
  f_ = std::fopen(path.c_str(), "w");
  return f_ ? "" : reason(errno);
}

std::string OutputFile::open_over(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return open(path);
  if (f_) close();
  failed_.clear();
  errno = 0;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);  // (no O_TRUNC)
  if (fd < 0) return errno == ENOENT ? open(path) : reason(errno);  // (removed since the stat)
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(f_ = fdopen(fd, "w"))) {
    const int err = errno;
    ::close(fd);
    return reason(err);
  }
  over_ = true, end_ = 0;
  return "";
}

void OutputFile::write(const void* data, size_t size) {
  if (!f_ || !failed_.empty()) return;
  errno = 0;
  if (std::fwrite(data, 1, size, f_) != size) failed_ = reason(errno);
  if (over_) end_ = std::max<long long>(end_, ftello(f_));
}

void OutputFile::cut() {
  end_ = std::max<long long>(end_, ftello(f_));
  if (ftruncate(fileno(f_), static_cast<off_t>(end_)) != 0 && failed_.empty()) failed_ = reason(errno);
}

std::string OutputFile::close() {
  if (!f_) return failed_;
  std::string why = failed_;
  errno = 0;
  // A failed write of stream() leaves the error flag; the flush retries what
  // is still buffered and gives the reason again.
  if ((std::fflush(f_) != 0 || std::ferror(f_)) && why.empty()) why = reason(errno);
  errno = 0;
  if (over_) {
    cut();
    if (why.empty()) why = failed_;  // (a failed cut)
  }
  errno = 0;
  if (std::fclose(f_) != 0 && why.empty()) why = reason(errno);
  f_ = nullptr;
  failed_.clear();
  return why;
}

std::string write_output_file(const std::string& path, const void* data, size_t size) {
  OutputFile out;
  const std::string why = out.open(path);
  if (!why.empty()) return why;
  out.write(data, size);
  return out.close();
}

std::string copy_into_output_file(const std::string& from, const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(from.c_str(), "rb"), std::fclose);
  if (!in) return "cannot read " + from + ": " + std::strerror(errno);
  OutputFile out;
  const std::string why = out.open(path);
  if (!why.empty()) return why;
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, in.get())) > 0) out.write(buf, n);
  const bool read_failed = std::ferror(in.get());
  const std::string written = out.close();
  if (read_failed && written.empty()) return "cannot read " + from;
  return written;
}

}  // namespace trimode

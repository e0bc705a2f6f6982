#include "tools/output_file/output_file.hpp"

#include <cerrno>
#include <cstring>
#include <memory>

namespace trimode {
namespace {

// The reason of a failure the C library just reported (errno, cleared before
// the call), or the one a disk full gives when it set none.
std::string reason(int err) { return err ? std::strerror(err) : "disk full?"; }

}  // namespace

OutputFile::~OutputFile() {
  if (f_) std::fclose(f_);
}

std::string OutputFile::open(const std::string& path) {
  if (f_) close();
  failed_.clear();
  errno = 0;
  f_ = std::fopen(path.c_str(), "w");
  return f_ ? "" : reason(errno);
}

void OutputFile::write(const void* data, size_t size) {
  if (!f_ || !failed_.empty()) return;
  errno = 0;
  if (std::fwrite(data, 1, size, f_) != size) failed_ = reason(errno);
}

std::string OutputFile::close() {
  if (!f_) return failed_;
  std::string why = failed_;
  errno = 0;
  // A failed write of stream() leaves the error flag; the flush retries what
  // is still buffered and gives the reason again.
  if ((std::fflush(f_) != 0 || std::ferror(f_)) && why.empty()) why = reason(errno);
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

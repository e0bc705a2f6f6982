// The one way an output file of a run is written: opened for writing as any
// output is, every write and the close checked, a failure returned as text.
//
// A file is opened with fopen(path, "w"): created, or truncated in place
// (open_over(): written over in place, cut at the close). It is never
// replaced (no write-to-temporary-and-rename): a symlink is written through,
// a device (/dev/null) or a FIFO written to, as `-o` of a compiler does. A failure is a short reason, the C library's text for errno ("File
// too large", "No space left on device"), or "disk full?" when a write failed
// without one; callers put it in their own line (docs/overview.md, exit 203):
//   trimode: error: writing FILE failed (REASON): the ... is incomplete
//
// Example:
//   if (std::string why = write_output_file("map.svg", svg); !why.empty()) fail(why);
//
//   OutputFile trace;                     // a stream written during the run
//   if (std::string why = trace.open(path); !why.empty()) return fail(why);
//   std::fprintf(trace.stream(), "...");  // any number of writes, unchecked here
//   std::string why = trace.close();      // "" only if every byte reached the file
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace trimode {

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();  // closes (unchecked) a file that close() was not called for
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Opens `path` for writing (created or truncated): "" or why not.
  std::string open(const std::string& path);
  // Opens `path` for writing over what it holds: an existing regular file is
  // not truncated but written from its start, and cut to the bytes written
  // when it is closed (close() or the destructor); anything else as open().
  // For a large output written again by each run (a waveform): truncating
  // frees the old file's pages and blocks and the new one allocates them
  // again, a tenth of a traced run's time. Until the close the old file's
  // bytes follow the new ones, so the caller's format must tell a file cut
  // short from a whole one (FstEncoder tags its header "being written").
  std::string open_over(const std::string& path);
  bool is_open() const { return f_ != nullptr; }
  // The open stream, for code that prints into a FILE*. Its failed writes are
  // reported by close() as well.
  std::FILE* stream() const { return f_; }
  // Appends `size` bytes. The first failure is kept for close(); nothing more
  // is written after it.
  void write(const void* data, size_t size);
  // Flushes and closes: "" when every byte written reached the file, else the
  // first failure. The file is closed either way.
  std::string close();

 private:
  void cut();  // an open_over() file: cut to the bytes written

  std::FILE* f_ = nullptr;
  std::string failed_;  // the first failed write's reason
  bool over_ = false;   // opened by open_over() over an existing file
  long long end_ = 0;   // then: the end of the bytes written (write(); the stream's position at the close)
};

// Whether open(path) can be expected to succeed: "" or why not ("empty file
// name", "Is a directory", the C library's text for the failed check). Nothing
// is truncated or left behind: an existing regular file is opened for writing
// without truncation and closed, a new one is created and removed at once
// (only that tells what permissions do not: root passes every access() check,
// and /proc or /sys take no new file), and a FIFO or a device is not opened
// (a FIFO's reader would see an end of file before the real open). A run
// checks its outputs with it before it starts, and an output it never writes
// (a checkpoint the run ended before) keeps what it held.
std::string can_write(const std::string& path);

// Writes `size` bytes at `data` as the whole of `path`: "" or why not.
std::string write_output_file(const std::string& path, const void* data, size_t size);
inline std::string write_output_file(const std::string& path, const std::string& text) {
  return write_output_file(path, text.data(), text.size());
}

// Copies the file `from` as the whole of `path` (opened as above, so a symlink
// at `path` is written through): "" or why not ("cannot read FROM: why" when
// `from` cannot be read).
std::string copy_into_output_file(const std::string& from, const std::string& path);

}  // namespace trimode

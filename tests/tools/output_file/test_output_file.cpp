// OutputFile and its two shortcuts: what reaches the file, what a failure
// returns, and that whatever is at the path is written to, never replaced.
#include "tools/output_file/output_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir_test.hpp"

namespace trimode {
namespace {

namespace fs = std::filesystem;

class OutputFileTest : public TempDirTest {
 protected:
  std::string path(const char* name) const { return (dir_ / name).string(); }
  static std::string contents(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  static void put(const std::string& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
};

// Runs `write` in a child process whose files may not grow past `limit`
// bytes (RLIMIT_FSIZE, SIGXFSZ ignored: a write past it fails with EFBIG as
// on a full disk), and returns what `write` returned there.
std::string under_file_size_limit(rlim_t limit, const std::function<std::string()>& write) {
  int fds[2];
  if (pipe(fds) != 0) return "test setup: pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit rl{limit, limit};
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(2);
    const std::string why = write();
    const bool sent = ::write(fds[1], why.data(), why.size()) == static_cast<ssize_t>(why.size());
    _exit(sent ? 0 : 3);
  }
  close(fds[1]);
  std::string why;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) why.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "test setup: the child failed";
  return why;
}

TEST_F(OutputFileTest, WritesTheBytesAndTruncatesWhatWasThere) {
  put(path("out"), std::string(5000, 'x'));
  const std::string bytes("a\0b\nc", 5);
  EXPECT_EQ(write_output_file(path("out"), bytes), "");
  EXPECT_EQ(contents(path("out")), bytes);
}

TEST_F(OutputFileTest, AStreamAndWritesTogether) {
  OutputFile out;
  ASSERT_EQ(out.open(path("s")), "");
  std::fprintf(out.stream(), "pc %08x\n", 0x80000000u);
  out.write("end\n", 4);
  EXPECT_EQ(out.close(), "");
  EXPECT_FALSE(out.is_open());
  EXPECT_EQ(contents(path("s")), "pc 80000000\nend\n");
}

TEST_F(OutputFileTest, AMissingDirectoryIsWhyNot) {
  EXPECT_EQ(write_output_file(path("no-such-dir/out"), "x"), "No such file or directory");
  OutputFile out;
  EXPECT_EQ(out.open(path("no-such-dir/out")), "No such file or directory");
  EXPECT_FALSE(out.is_open());
}

TEST_F(OutputFileTest, ASymlinkIsWrittenThroughNotReplaced) {
  put(path("target"), "old contents, longer than the new");
  fs::create_symlink("target", path("link"));
  EXPECT_EQ(write_output_file(path("link"), "new"), "");
  EXPECT_TRUE(fs::is_symlink(path("link")));
  EXPECT_EQ(contents(path("target")), "new");
}

TEST_F(OutputFileTest, AFifoIsWrittenToNotReplaced) {
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  const int reader = open(path("fifo").c_str(), O_RDONLY | O_NONBLOCK);  // so opening for writing does not block
  ASSERT_GE(reader, 0);
  EXPECT_EQ(write_output_file(path("fifo"), "through the fifo"), "");
  char buf[64] = {};
  EXPECT_EQ(read(reader, buf, sizeof buf), 16);
  close(reader);
  EXPECT_EQ(std::string(buf), "through the fifo");
  struct stat st {};
  ASSERT_EQ(lstat(path("fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

// open_over(): an existing file is written over from its start, not
// truncated (its older bytes after the new ones until the close), then cut to
// what was written; the same inode, so a hard link sees it.
TEST_F(OutputFileTest, OpenOverWritesInPlaceAndCutsAtTheClose) {
  const std::string p = path("trace.fst");
  put(p, std::string(10000, 'o'));
  ASSERT_EQ(link(p.c_str(), path("hard").c_str()), 0);
  struct stat before {};
  ASSERT_EQ(stat(p.c_str(), &before), 0);
  OutputFile out;
  ASSERT_EQ(out.open_over(p), "");
  out.write("new header", 10);
  out.write(std::string(3000, 'n').data(), 3000);
  std::fflush(out.stream());
  EXPECT_EQ(fs::file_size(p), 10000u);  // not truncated: the older bytes follow
  EXPECT_EQ(contents(p).substr(3010, 3), "ooo");
  // A patch at the start (as FstEncoder's header) does not move the end.
  ASSERT_EQ(std::fseek(out.stream(), 0, SEEK_SET), 0);
  out.write("N", 1);
  EXPECT_EQ(out.close(), "");
  EXPECT_EQ(contents(p), "New header" + std::string(3000, 'n'));
  EXPECT_EQ(contents(path("hard")), contents(p));
  struct stat after {};
  ASSERT_EQ(stat(p.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
}

TEST_F(OutputFileTest, OpenOverCutsWhenDestroyedAndGrowsAShorterFile) {
  const std::string p = path("t");
  put(p, std::string(500, 'o'));
  {
    OutputFile out;
    ASSERT_EQ(out.open_over(p), "");
    std::fprintf(out.stream(), "by the stream");  // (written through stream(): the close's position counts)
  }
  EXPECT_EQ(contents(p), "by the stream");
  OutputFile out;
  ASSERT_EQ(out.open_over(p), "");
  out.write(std::string(2000, 'g').data(), 2000);
  EXPECT_EQ(out.close(), "");
  EXPECT_EQ(contents(p), std::string(2000, 'g'));
}

TEST_F(OutputFileTest, OpenOverANewPathOrASymlinkAsOpen) {
  OutputFile out;
  ASSERT_EQ(out.open_over(path("new")), "");
  out.write("n", 1);
  EXPECT_EQ(out.close(), "");
  EXPECT_EQ(contents(path("new")), "n");
  put(path("target"), "old contents, longer than the new");
  fs::create_symlink("target", path("link"));
  ASSERT_EQ(out.open_over(path("link")), "");
  out.write("new", 3);
  EXPECT_EQ(out.close(), "");
  EXPECT_TRUE(fs::is_symlink(path("link")));
  EXPECT_EQ(contents(path("target")), "new");
  EXPECT_EQ(out.open_over(path("no-such-dir/out")), "No such file or directory");
}

// A write past the size limit over a longer file: the failure reported, and
// the file cut to what was written (not the older bytes after it).
TEST_F(OutputFileTest, OpenOverAFailedWriteStillCuts) {
  const std::string p = path("over");
  put(p, std::string(20000, 'o'));
  EXPECT_EQ(under_file_size_limit(4096, [&] {
              OutputFile out;
              if (std::string why = out.open_over(p); !why.empty()) return why;
              out.write(std::string(8192, 'n').data(), 8192);
              return out.close();
            }),
            "File too large");
  EXPECT_EQ(contents(p), std::string(4096, 'n'));
}

TEST_F(OutputFileTest, AWritePastTheSizeLimitFails) {
  const std::string p = path("big");
  EXPECT_EQ(under_file_size_limit(4096, [&] { return write_output_file(p, std::string(100000, 'x')); }),
            "File too large");
  EXPECT_EQ(fs::file_size(p), 4096u);  // the cut file is left as written: the caller reports it
  // The same bytes fit without the limit: the failure is the limit's.
  EXPECT_EQ(under_file_size_limit(RLIM_INFINITY, [&] { return write_output_file(p, std::string(100000, 'x')); }),
            "");
  EXPECT_EQ(fs::file_size(p), 100000u);
}

TEST_F(OutputFileTest, AFailedStreamWriteIsReportedByClose) {
  const std::string p = path("trace");
  EXPECT_EQ(under_file_size_limit(4096, [&] {
              OutputFile out;
              if (!out.open(p).empty()) return std::string("open failed");
              for (int i = 0; i < 10000; ++i) std::fprintf(out.stream(), "line %d\n", i);
              return out.close();
            }),
            "File too large");
}

TEST_F(OutputFileTest, ATailThatFitsTheBufferStillFailsAtClose) {
  // 4,097 bytes under a 4,096-byte limit: the byte past it is only written
  // when the stream is flushed at close().
  const std::string p = path("tail");
  EXPECT_EQ(under_file_size_limit(4096, [&] {
              OutputFile out;
              if (!out.open(p).empty()) return std::string("open failed");
              out.write(std::string(4097, 'y').data(), 4097);
              return out.close();
            }),
            "File too large");
}

TEST_F(OutputFileTest, CopiesAFileIntoThePath) {
  std::string big;
  for (int i = 0; i < 50000; ++i) big += std::to_string(i) + ",";  // several copy buffers
  put(path("from"), big);
  put(path("target"), "stale");
  fs::create_symlink("target", path("to"));
  EXPECT_EQ(copy_into_output_file(path("from"), path("to")), "");
  EXPECT_TRUE(fs::is_symlink(path("to")));
  EXPECT_EQ(contents(path("target")), big);
}

TEST_F(OutputFileTest, ACopyPastTheSizeLimitFails) {
  put(path("from"), std::string(100000, 'z'));
  const std::string from = path("from"), to = path("to");
  EXPECT_EQ(under_file_size_limit(8192, [&] { return copy_into_output_file(from, to); }), "File too large");
}

TEST_F(OutputFileTest, ACopyFromAMissingFileSaysWhichAndLeavesThePathAlone) {
  put(path("to"), "kept");
  EXPECT_EQ(copy_into_output_file(path("missing"), path("to")),
            "cannot read " + path("missing") + ": No such file or directory");
  EXPECT_EQ(contents(path("to")), "kept");
}

// can_write: what open() would say, found without touching the file.
TEST_F(OutputFileTest, CanWriteNeitherCreatesNorTruncates) {
  EXPECT_EQ(can_write(path("new")), "");
  EXPECT_FALSE(fs::exists(path("new")));
  put(path("old"), "kept");
  EXPECT_EQ(can_write(path("old")), "");
  EXPECT_EQ(contents(path("old")), "kept");
}

// A directory that takes no new file even from root (/proc): what creating
// one says, before the run (a checkpoint or an SVG there failed only after it).
TEST_F(OutputFileTest, CanWriteSaysWhatCreatingWouldSay) {
  EXPECT_NE(can_write("/proc/trimode-can-write-test"), "");
  EXPECT_FALSE(fs::exists("/proc/trimode-can-write-test"));
}

TEST_F(OutputFileTest, CanWriteSaysWhyNot) {
  EXPECT_EQ(can_write(""), "empty file name");
  EXPECT_EQ(can_write(dir_.string()), "Is a directory");
  EXPECT_EQ(can_write(path("missing/x")), "No such file or directory");
  put(path("file"), "");
  EXPECT_EQ(can_write(path("file") + "/x"), "Not a directory");
}

// A FIFO is not opened by the check (an open for writing would wait for a
// reader, and closing it would end that reader's input before the real open).
TEST_F(OutputFileTest, CanWriteLeavesAFifoUnopened) {
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  EXPECT_EQ(can_write(path("fifo")), "");  // (returns at once: no reader)
}

// A dangling symlink: open() creates its target, so the target's directory counts.
TEST_F(OutputFileTest, CanWriteFollowsADanglingSymlink) {
  fs::create_symlink(path("target"), path("link"));
  EXPECT_EQ(can_write(path("link")), "");
  EXPECT_FALSE(fs::exists(path("target")));
  fs::create_symlink(path("nowhere/target"), path("bad"));
  EXPECT_EQ(can_write(path("bad")), "No such file or directory");
}

}  // namespace
}  // namespace trimode

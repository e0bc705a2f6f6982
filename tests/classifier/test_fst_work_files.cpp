// tmpfile() in an executable linked as trimode is (--wrap=tmpfile): the C
// library's outside an FST, a checked file in the scratch directory inside.
#include "models/classifier/fst_work_files.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir_test.hpp"

namespace trimode {
namespace {

namespace fs = std::filesystem;

class FstWorkFilesTest : public TempDirTest {
 protected:
  void TearDown() override {
    drop_fst_work_files();
    TempDirTest::TearDown();
  }
  // Where the open file `f` is, as the kernel names it ("... (deleted)" once unlinked).
  static std::string where(std::FILE* f) {
    return fs::read_symlink("/proc/self/fd/" + std::to_string(fileno(f))).string();
  }
};

TEST_F(FstWorkFilesTest, OutsideAnFstTmpfileIsTheCLibrarys) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(where(f).rfind(dir_.string(), 0), std::string::npos);
  std::fclose(f);
  EXPECT_EQ(end_fst_work_files(), "");
}

TEST_F(FstWorkFilesTest, InsideTheyAreMadeInTheDirectoryAndUnlinked) {
  begin_fst_work_files(dir_.string());
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  const std::string at = where(f);
  EXPECT_EQ(at.rfind((dir_ / "work-").string(), 0), 0u) << at;
  EXPECT_NE(at.find("(deleted)"), std::string::npos) << at;
  EXPECT_TRUE(fs::is_empty(dir_));
  ASSERT_GE(std::fputs("a time table", f), 0);
  EXPECT_EQ(end_fst_work_files(), "");
  std::fclose(f);  // the writer closes its files after the check
  std::FILE* after = std::tmpfile();  // the end: the C library's again
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(where(after).rfind(dir_.string(), 0), std::string::npos);
  std::fclose(after);
}

TEST_F(FstWorkFilesTest, AFileThatCannotBeMadeIsTheFailure) {
  const std::string missing = (dir_ / "gone").string();
  begin_fst_work_files(missing);
  EXPECT_EQ(std::tmpfile(), nullptr);
  EXPECT_EQ(end_fst_work_files(), "cannot make a working file in " + missing + ": No such file or directory");
}

// A working file that grows past a file-size limit (RLIMIT_FSIZE in a forked
// child, SIGXFSZ ignored: as a full disk) is reported by the end, as the
// writer itself never checks: the exit status of the child says what the
// end returned (0 "File too large", 1 "", 2 anything else).
TEST_F(FstWorkFilesTest, AWritePastTheLimitIsReportedByTheEnd) {
  const std::string dir = dir_.string();
  for (const bool limited : {true, false}) {
    const pid_t pid = fork();
    if (pid == 0) {
      std::signal(SIGXFSZ, SIG_IGN);
      const rlim_t limit = limited ? 4096 : RLIM_INFINITY;
      const rlimit rl{limit, limit};
      if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(3);
      begin_fst_work_files(dir);
      std::FILE* f = std::tmpfile();
      if (!f) _exit(3);
      for (int i = 0; i < 20000; ++i) std::fputc(i & 0x7f, f);  // unchecked, as the writer's
      const std::string why = end_fst_work_files();
      _exit(why == "File too large" ? 0 : why.empty() ? 1 : 2);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), limited ? 0 : 1) << (limited ? "with" : "without") << " the limit";
  }
}

}  // namespace
}  // namespace trimode

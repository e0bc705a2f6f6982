// A GoogleTest fixture that gives each test a fresh empty directory of its own
// (dir_), made under the system's temporary directory before the test and
// removed with all it holds after it. Header-only: a test that includes it
// links nothing more than it did.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace trimode {

class TempDirTest : public ::testing::Test {
 protected:
  // The directory is named after the test (`<suite>.<test>-XXXXXX`), so a
  // left-over one tells whose it is.
  void SetUp() override {
    const ::testing::TestInfo& test = *::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test.test_suite_name()) + "." + test.name() + "-XXXXXX";
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests' names hold '/'
    std::string templ = (std::filesystem::temp_directory_path() / name).string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

}  // namespace trimode

// The shared command-line helpers (tlm/cli): typo suggestions, sizes with
// units, and parse()'s verdicts on whole command lines.
#include <gtest/gtest.h>

#include "tlm/cli/cli.hpp"

namespace trimode::cli {
namespace {

TEST(Cli, EditDistanceCountsASwapOnce) {
  EXPECT_EQ(edit_distance("run", "run"), 0u);
  EXPECT_EQ(edit_distance("rnu", "run"), 1u);
  EXPECT_EQ(edit_distance("--alll", "--all"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Cli, SuggestsOnlyLikelyTypos) {
  const std::vector<std::string> commands{"run", "demo", "sweep"};
  EXPECT_EQ(closest("rnu", commands), "run");
  EXPECT_EQ(closest("swep", commands), "sweep");
  EXPECT_EQ(closest("xyz", commands), "");  // 3 edits from everything
  EXPECT_EQ(closest("r", commands), "");    // too short to guess
}

TEST(Cli, SizesTakeBinaryUnits) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("0x1000"), 4096u);
  EXPECT_EQ(parse_size("4KiB"), 4096u);
  EXPECT_EQ(parse_size("4 K"), 4096u);
  EXPECT_EQ(parse_size("64MiB"), 64u << 20);
  EXPECT_EQ(parse_size("64M"), 64u << 20);
  EXPECT_EQ(parse_size("1GiB"), 1u << 30);
  EXPECT_THROW(parse_size("64XB"), std::invalid_argument);
  EXPECT_THROW(parse_size("-1"), std::invalid_argument);
  EXPECT_THROW(parse_size("MiB"), std::invalid_argument);
  EXPECT_THROW(parse_size("99999999999999999999GiB"), std::invalid_argument);
  EXPECT_THROW(parse_size("17179869184GiB"), std::invalid_argument);  // 2^34 GiB overflows
}

int parse_line(std::vector<const char*> argv) {
  CLI::App app{"t", "tool"};
  uint64_t n = 0;
  CLI::App* run = app.add_subcommand("run", "");
  run->add_option("--count", n)->check(kCount);
  run->add_flag("--verbose");
  app.require_subcommand(1);
  argv.insert(argv.begin(), "tool");
  return parse(app, static_cast<int>(argv.size()), argv.data());
}

TEST(Cli, ParseReturnsMinusOneOnlyForAValidLine) {
  EXPECT_EQ(parse_line({"run", "--count", "3"}), -1);
  EXPECT_EQ(parse_line({"run", "--verbose"}), -1);
  EXPECT_EQ(parse_line({"run", "--help"}), 0);
  EXPECT_EQ(parse_line({}), kExitBadInput);
  EXPECT_EQ(parse_line({"rnu"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "--cuont", "3"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "--count", "-1"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "--count", "3x"}), kExitBadInput);
  EXPECT_EQ(parse_line({"run", "stray"}), kExitBadInput);
}

}  // namespace
}  // namespace trimode::cli

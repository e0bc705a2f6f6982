// Scenario files: what is accepted, and a clear error for everything else.
#include <gtest/gtest.h>

#include "tlm/cli/size.hpp"
#include "tools/scenario_loader/scenario.hpp"

namespace trimode {
namespace {

constexpr const char* kGood = R"({
  "vms": [{"name": "vm1", "memory": "1MiB", "weight": 1, "programs": ["hello", "sender"], "start": 1},
          {"name": "vm2", "memory": 524288, "weight": 2, "programs": ["reader"]}],
  "files": [{"vm": "vm2", "path": "shared.txt", "content": "hi\n"}],
  "filters": [{"from": "vm1", "to": "vm2", "read": "shared.txt"}, {"from": "vm2", "to": "vm1", "send": 7}],
  "timeslice_us": 100})";

TEST(Scenario, ParsesTheDocumentedFormat) {
  const Scenario s = parse_scenario_text(kGood, "good.json");
  ASSERT_EQ(s.vms.size(), 2u);
  EXPECT_EQ(s.vms[0].id, 1u);
  EXPECT_EQ(s.vms[0].memory, 1u << 20);
  EXPECT_EQ(s.vms[0].start, 1u);
  EXPECT_EQ(s.vms[1].start, 1u) << "all programs start by default";
  EXPECT_EQ(s.vms[1].weight, 2u);
  ASSERT_EQ(s.filters.size(), 2u);
  EXPECT_EQ(s.filters[0].rights, TM_FILTER_READ);
  EXPECT_EQ(s.filters[0].from, 1u);
  EXPECT_EQ(s.filters[0].to, 2u);
  EXPECT_EQ(s.filters[1].port, 7u);
  EXPECT_EQ(s.files[0].vm, 2u);
  EXPECT_EQ(s.timeslice_ticks, 1000u);
}

struct Bad {
  const char* json;
  const char* expect;  // a piece of the one-line message
};

class BadScenario : public ::testing::TestWithParam<Bad> {};

TEST_P(BadScenario, IsRejectedWithAClearMessage) {
  try {
    parse_scenario_text(GetParam().json, "bad.json");
    FAIL() << "accepted: " << GetParam().json;
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("scenario bad.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find(GetParam().expect), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    EXPECT_EQ(msg.find("json.exception"), std::string::npos) << "in our words: " << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadScenario,
    ::testing::Values(
        Bad{"", "not valid JSON at line 1, column 1: found the end of the file; expected a value"},
        Bad{"{\n  x", "not valid JSON at line 2, column 3: text that is not a JSON value; expected a key in double quotes"}, Bad{"[1, 2]", "must be an object"}, Bad{"{}", "missing 'vms'"},
        Bad{R"({"vms": []})", "1 to 64 VMs"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "extra": 1})", "unknown key 'extra'"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "wieght": 2}]})", "vms[0]: unknown key 'wieght' (did you mean 'weight'?)"},
        Bad{R"({"VMS": []})", "unknown key 'VMS' (did you mean 'vms'?)"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "timeslice": 5})",
            "unknown key 'timeslice' (did you mean 'timeslice_us'?)"},
        Bad{R"({"vms": [{"name": "a", "programs": []}]})", "vms[0]: missing 'memory'"},
        Bad{R"({"vms": [{"name": "a", "memory": "1 parsec", "programs": []}]})",
            "vms[0].memory: not a size: '1 parsec' (unknown unit 'parsec'"},
        Bad{R"({"vms": [{"name": "a", "memory": "3GiB", "programs": []}]})", "vms[0].memory: '3GiB' is out of range"},
        Bad{R"({"vms": [{"name": "a", "memory": "0KiB", "programs": []}]})", "out of range"},
        Bad{R"({"vms": [{"name": "a", "memory": -5, "programs": []}]})", "vms[0].memory"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "weight": 0}]})", "vms[0].weight: must be between 1"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": ["../etc/passwd"]}]})", "may hold only"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": ["x"], "start": 2}]})", "vms[0].start"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}, {"name": "a", "memory": "1MiB", "programs": []}]})",
            "vms[1].name: 'a' is used twice"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "filters": [{"from": "a", "to": "b", "send": 1}]})",
            "filters[0].to: no VM named 'b'"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}, {"name": "b", "memory": "1MiB", "programs": []}],
               "filters": [{"from": "a", "to": "b", "send": 1, "read": "x"}]})", "exactly one of"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}, {"name": "b", "memory": "1MiB", "programs": []}],
               "filters": [{"from": "a", "to": "b", "send": 70000}]})", "filters[0].send"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "files": [{"vm": "a", "path": "x", "content": 5}]})",
            "files[0].content: must be a string"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "timeslice_us": 0})", "timeslice_us"},
        // issue 14: names that pass for the hypervisor, limits, quotas, numbers out of range
        Bad{R"({"vms": [{"name": "hv", "memory": "1MiB", "programs": []}]})", "must not start with 'hv'"},
        Bad{R"({"vms": [{"name": "Hv.2", "memory": "1MiB", "programs": []}]})", "must not start with 'hv'"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "weight": 1e400}]})", "not valid JSON"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "weight": 2.5}]})", "whole number"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "limits": {"fds": 9}}]})", "limits.fds"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "limits": {"cpus": 1}}]})", "unknown key 'cpus'"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "limits": {"files": 200}},
                        {"name": "b", "memory": "1MiB", "programs": [], "limits": {"files": 100}}]})", "add up to 300"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "limits": {"files": 1}}],
               "files": [{"vm": "a", "path": "x", "content": ""}, {"vm": "a", "path": "y", "content": ""}]})", "quota of 1"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "test_hooks": 1})", "test_hooks"},
        Bad{"{\"vms\": [{\"name\": \"a\\u001b[2J\", \"memory\": \"1MiB\", \"programs\": []}]}", "\\x1b[2J"},
        // a key given twice, wherever it is: named by its JSON path (nlohmann would keep the last)
        Bad{R"({"vms": [{"name": "a", "name": "b", "memory": "1MiB", "programs": []}]})", "vms[0].name: the key is given twice"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "vms": []})", "bad.json: vms: the key is given twice"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}, {"name": "b", "memory": "1MiB", "programs": []}],
               "filters": [{"from": "a", "to": "b", "send": 1}, {"from": "b", "to": "a", "send": 1, "send": 2}]})",
            "filters[1].send: the key is given twice"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}], "description": [[1, {"x": 1, "x": 2}]]})",
            "description[0][1].x: the key is given twice"},
        // the same initial file or filter rule twice
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}],
               "files": [{"vm": "a", "path": "x", "content": "1"}, {"vm": "a", "path": "x", "content": "2"}]})",
            "files[1]: the same file as files[0] (VM 'a', path 'x')"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}, {"name": "b", "memory": "1MiB", "programs": []}],
               "filters": [{"from": "a", "to": "b", "read": "x"}, {"from": "a", "to": "b", "read": "x"}]})",
            "filters[1]: the same rule as filters[0]"},
        // memory: as --ram-size takes it (multiple of 4 KiB, at most the largest RAM), at least the kernel region
        Bad{R"({"vms": [{"name": "a", "memory": 300001, "programs": []}]})", "vms[0].memory: '300001' is not a multiple of 4 KiB"},
        Bad{R"({"vms": [{"name": "a", "memory": "300001", "programs": []}]})", "'300001' is not a multiple of 4 KiB"},
        Bad{R"({"vms": [{"name": "a", "memory": 0, "programs": []}]})", "'0' is out of range: want a multiple of 4 KiB from 256 KiB"},
        Bad{R"({"vms": [{"name": "a", "memory": "255KiB", "programs": []}]})", "from 256 KiB (the guest kernel's region"},
        Bad{R"({"vms": [{"name": "a", "memory": "3GiB", "programs": []}]})", "to 128 MiB (the largest --ram-size)"},
        // VM ids: which one was a default (position + 1)
        Bad{R"({"vms": [{"id": 2, "name": "a", "memory": "1MiB", "programs": []}, {"name": "b", "memory": "1MiB", "programs": []}]})",
            "vms[1]: its default id 2 (its position + 1) is vms[0].id too; give vms[1] an 'id'"},
        Bad{R"({"vms": [{"name": "a", "memory": "1MiB", "programs": []}, {"id": 1, "name": "b", "memory": "1MiB", "programs": []}]})",
            "vms[1].id: VM id 1 is vms[0]'s default id too (its position + 1)"},
        Bad{R"({"vms": [{"id": 3, "name": "a", "memory": "1MiB", "programs": []}, {"id": 3, "name": "b", "memory": "1MiB", "programs": []}]})",
            "vms[1].id: VM id 3 is vms[0].id too"}));

TEST(Scenario, LimitsAndTestHooks) {
  const Scenario s = parse_scenario_text(
      R"({"vms": [{"name": "a", "memory": "1MiB", "programs": [], "limits": {"cpu_ms": 50, "file_bytes": "1KiB"}}],
          "test_hooks": true})", "x.json");
  EXPECT_EQ(s.vms[0].limits.cpu_ms, 50u);
  EXPECT_EQ(s.vms[0].limits.file_bytes, 1024u);
  EXPECT_EQ(s.vms[0].limits.files, TM_DEFAULT_FILES);
  EXPECT_TRUE(s.test_hooks);
  EXPECT_FALSE(parse_scenario_text(kGood, "good.json").test_hooks) << "closed by default";
}

// A scenario's sizes are spelled as --ram-size takes them: the same parser, the same bytes.
TEST(Scenario, SizesAreSpelledAsOnTheCommandLine) {
  for (const char* size : {"1M", "1MiB", "1 MiB", "1024K", "1024k", "1024KiB", "0x100000", "1048576", "1048576B"}) {
    const std::string text = std::string(R"({"vms": [{"name": "a", "memory": ")") + size + R"(", "programs": []}]})";
    const Scenario s = parse_scenario_text(text, "sizes.json");
    EXPECT_EQ(s.vms[0].memory, 1u << 20) << size;
    EXPECT_EQ(s.vms[0].memory, cli::parse_size(size)) << size;
  }
  for (const char* size : {"4K", "4 KiB", "0x1000", "4096"}) {
    const std::string text = std::string(R"({"vms": [{"name": "a", "memory": "1M", "programs": [], )") +
                             R"("limits": {"file_bytes": ")" + size + R"("}}]})";
    EXPECT_EQ(parse_scenario_text(text, "sizes.json").vms[0].limits.file_bytes, 4096u) << size;
  }
}

// A scenario that cannot be opened says why, as the ELF loader does.
TEST(Scenario, MissingFileIsAClearError) {
  try {
    parse_scenario("/nonexistent/scenario.json");
    FAIL() << "accepted a missing file";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "scenario: cannot open '/nonexistent/scenario.json': No such file or directory");
  }
}

TEST(Scenario, MissingProgramImageIsAClearError) {
  const Scenario s = parse_scenario_text(kGood, "good.json");
  try {
    build_scenario_image(s, "/nonexistent", 0x80000000, 0x8000000);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("hypervisor.elf"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace trimode

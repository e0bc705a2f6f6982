// fuzz_scenario: the scenario parser (tools/scenario_loader/scenario.cpp,
// parse_scenario_text). Every input either parses or throws ScenarioError
// whose message is one line naming the file; a parsed scenario
// obeys the limits of the boot info it becomes, and its VM names are safe
// console labels, all different. Files named by "source" are
// looked up in an empty folder made once per run.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <unistd.h>

#include "tools/scenario_loader/scenario.hpp"

namespace {

void require(bool ok, const char* what, const std::string& detail = "") {
  if (!ok) {
    std::fprintf(stderr, "fuzz_scenario: FAILURE: %s %s\n", what, detail.c_str());
    std::abort();
  }
}

char dir_name[] = "/tmp/fuzz_scenario.XXXXXX";

std::string empty_dir() {
  require(mkdtemp(dir_name) != nullptr, "cannot make a temporary folder");
  std::atexit([] { rmdir(dir_name); });
  return dir_name;
}

// A VM name is its console label "[name] " (issue 14 item 1): letters, digits,
// '_', '-', '.' only (no space, bracket or control character), never starting
// with "hv" in any case (the hypervisor's "[hv]").
bool label_ok(const std::string& n) {
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return !(n.size() >= 2 && std::tolower(static_cast<unsigned char>(n[0])) == 'h' &&
           std::tolower(static_cast<unsigned char>(n[1])) == 'v');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string dir = empty_dir();
  const std::string text(reinterpret_cast<const char*>(data), size);
  trimode::Scenario s;
  try {
    s = trimode::parse_scenario_text(text, "fuzz.json", dir);
  } catch (const trimode::ScenarioError& e) {
    const std::string msg = e.what();
    require(msg.find("fuzz.json") != std::string::npos, "error message does not name the file:", msg);
    require(msg.find('\n') == std::string::npos, "error message of several lines:", msg);
    return 0;
  }
  require(!s.vms.empty() && s.vms.size() <= TM_MAX_VMS, "VM count out of range");
  require(s.files.size() <= TM_MAX_FILES, "too many files");
  require(s.filters.size() <= TM_MAX_FILTERS, "too many filters");
  for (const auto& vm : s.vms) {
    require(vm.id >= 1 && vm.id <= TM_MAX_VMS, "VM id out of range");
    require(vm.weight >= 1, "weight 0");
    require(!vm.name.empty() && vm.name.size() < TM_NAME_LEN, "VM name empty or too long");
    require(label_ok(vm.name), "VM name that is no safe console label:", vm.name);
    require(vm.programs.size() <= TM_MAX_PROGRAMS && vm.start <= vm.programs.size(), "program list out of range");
  }
  std::set<std::string> names;
  for (const auto& vm : s.vms) require(names.insert(vm.name).second, "two VMs named", vm.name);
  auto is_vm = [&s](uint32_t id) {
    for (const auto& vm : s.vms)
      if (vm.id == id) return true;
    return false;
  };
  for (const auto& f : s.filters) require(is_vm(f.from) && is_vm(f.to) && f.from != f.to, "filter between no two VMs");
  for (const auto& f : s.files) require(is_vm(f.vm), "file of no VM");
  for (const auto& f : s.files) require(f.path.size() < TM_NAME_LEN, "file path too long");
  return 0;
}

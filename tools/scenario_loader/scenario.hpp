// Scenarios: a JSON file describing VMs, their programs, files and filters,
// turned into what the hypervisor boots from (sw/common/include/trimode/bootinfo.h).
//
// Example (scenarios/default.json):
//   {"vms": [{"name": "vm1", "memory": "1MiB", "weight": 1, "programs": ["hello", "sender"], "start": 2}],
//    "files": [{"vm": "vm1", "path": "shared.txt", "content": "hello\n"}],
//    "filters": [{"from": "vm2", "to": "vm1", "read": "shared.txt"}, {"from": "vm1", "to": "vm2", "send": 7}],
//    "timeslice_us": 100}
// Every key is checked; anything unknown, missing or out of range is a
// ScenarioError naming the file and the JSON path ("vms[1].memory: ..."),
// one line with control characters escaped, raised before any large read
// (files named by "source" must be regular files of at most TM_LIMIT_FILE_BYTES bytes).
// Every count and size is bounded by spec/limits.txt (trimode/limits.h).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/elf_loader/elf_loader.hpp"

extern "C" {
#include "trimode/bootinfo.h"
#include "trimode/vmimage.h"
}

namespace trimode {

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ScenarioVm {
  std::string name;
  uint32_t id = 0;
  uint32_t memory = 0;
  uint32_t weight = 1;
  std::vector<std::string> programs;
  uint32_t start = 0;
  // Quotas and budgets ("limits" in the file), defaults from bootinfo.h.
  // "image": a VM saved by another run starts from it (no memory/programs).
  std::string image_name;
  std::string image_file;      // image_name on the host (relative to the scenario)
  std::vector<uint8_t> image;  // the file, its header and checksum checked
  tm_limits limits{TM_DEFAULT_FILES,           TM_DEFAULT_FILE_BYTES, TM_DEFAULT_FDS,    TM_DEFAULT_QUEUE_PER_SENDER,
                   TM_DEFAULT_QUEUE_PER_PORT, TM_DEFAULT_CPU_MS,     TM_DEFAULT_WALL_MS};
};

struct ScenarioFile {
  uint32_t vm = 0;
  std::string path;
  std::string content;
  std::string source;  // the host file content was read from ("source"); "" for "content"
};

struct ScenarioFilter {
  uint32_t from = 0;
  uint32_t to = 0;
  uint32_t rights = 0;
  uint32_t port = 0;
  std::string path;
};

// "checkpoints": [{"vm": "vm1", "at_us": 2000, "resume_us": 5000}]: VM vm1 is
// saved whole into its image 2 ms into the run and resumed from it at 5 ms
// ("move": true: into memory other than it held).
struct ScenarioCheckpoint {
  uint32_t vm = 0;
  uint32_t at_ticks = 0;      // mtime ticks (10 MHz)
  uint32_t resume_ticks = 0;  // > at_ticks
  bool move = false;          // "move": true: resumed into other memory than it held
  std::string save;           // "save": FILE: not resumed; its image is written to FILE (relative to the scenario) at the end
};

struct Scenario {
  std::string file;  // the name errors give ("scenario FILE: vms[0]...")
  std::vector<ScenarioVm> vms;
  std::vector<ScenarioFile> files;
  std::vector<ScenarioFilter> filters;
  std::vector<ScenarioCheckpoint> checkpoints;
  uint32_t timeslice_ticks = 1000;  // mtime ticks (10 MHz): 100 us
  bool test_hooks = false;          // the guest kernels' fault-injection call is open (tests only)
};

// Parses and validates a scenario file.
Scenario parse_scenario(const std::string& path);
// `base_dir`: where "source" file names are relative to.
Scenario parse_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir = ".");

// A blob of bytes to place in RAM before the hypervisor starts.
struct Blob {
  uint32_t addr;
  std::vector<uint8_t> bytes;
};

// Everything to load for a scenario run: the hypervisor image, the images
// (kernels, programs, file contents) placed after it, and the boot info at
// the hypervisor's `tm_bootinfo` symbol.
struct ScenarioImage {
  ElfImage hypervisor;
  std::vector<Blob> blobs;
  uint32_t bootinfo_addr = 0;
  tm_bootinfo bootinfo{};
  std::vector<std::string> saves;  // by checkpoint index: the host file of a "save" checkpoint, or ""
  // Every host file the scenario's image was made from, and what it is
  // ("hypervisor", "vms[0].programs[1]", "files[2].source"): no output
  // of the run may be one of them.
  struct Input {
    std::string path, what;
  };
  std::vector<Input> inputs;
};

// Resolves the scenario's images in `sw_dir` (programs as user/<name>.elf,
// the guest kernel as kernel.elf, hypervisor.elf) and lays everything out in RAM.
ScenarioImage build_scenario_image(const Scenario& s, const std::string& sw_dir, uint64_t ram_base, uint64_t ram_size);

}  // namespace trimode

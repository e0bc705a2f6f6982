// trimode-memmap-example [out.svg]: replays the seed's allocation example
// through the hypervisor's allocator (sw/hypervisor/memq/memq.c, built for
// the host) and draws it: the memory before and after a new VM asks for 12
// units, as stacked bars in out.svg (default seed_example.svg), plus the
// table on stdout. Exit code 0 when the result is the seed's (4,4) (10,5)
// (24,3), 1 otherwise, 201 for a usage error or an output it cannot write
// (checked before the work, as trimode checks its outputs), 203 when the SVG
// could not be written whole (disk full) or an internal error stopped it.
// Every error is one line, "trimode-memmap-example: error: ...".
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "memq.h"
#include "tlm/cli/cli.hpp"
#include "tools/memmap/memory_map.hpp"
#include "tools/output_file/output_file.hpp"

namespace {

using trimode::memmap::Range;
using trimode::memmap::Step;

// The global memory queue of q as one step, each range labelled "(base,size)".
Step snapshot(const memq& q, const std::string& title) {
  Step s{title, {}};
  for (uint32_t i = 0; i < memq_global_count(&q); i++) {
    const memq_seg* g = memq_global_at(&q, i);
    s.ranges.push_back(Range{g->base, g->size, g->owner,
                             "(" + std::to_string(g->base) + "," + std::to_string(g->size) + ")"});
  }
  return s;
}

// The seed's memory (RAM [0,32), granule 1) through a plausible history:
// V keeps (0,4); VM1 held (4,4) and (10,5) and has shut down; VM2 holds
// (8,2), VM3 (15,9). Returns false if any call fails.
bool seed_history(memq* q) {
  return memq_reserve(q, 0, 4) == MEMQ_OK && memq_alloc(q, 1, 4) == MEMQ_OK &&
         memq_alloc(q, 2, 2) == MEMQ_OK && memq_alloc(q, 1, 5) == MEMQ_OK &&
         memq_alloc(q, 3, 9) == MEMQ_OK && memq_free_all(q, 1) == MEMQ_OK;
}

// One error line on stderr; returns rc.
int error(int rc, const std::string& message) {
  std::fprintf(stderr, "trimode-memmap-example: error: %s\n", message.c_str());
  return rc;
}

// The example after the command line: replays, draws into out, prints the
// table. Returns the exit code (0 the seed's result, 1 another, 203 the SVG
// incomplete); throws only what the renderers throw (a bug: std::invalid_argument).
int replay(const std::string& out) {
  static memq q;  // ~12 KiB: static, as in the hypervisor
  if (memq_init(&q, 0, 32, 1, 32) != MEMQ_OK || !seed_history(&q)) return error(1, "the seed's history failed in memq");
  std::vector<Step> steps{snapshot(q, "Before: V, VM2 and VM3 hold memory; free gaps [4,8) [10,15) [24,32)")};
  if (memq_alloc(&q, 4, 12) != MEMQ_OK) return error(1, "memq refused the allocation of 12");
  steps.push_back(snapshot(q, "After: VM4 asks for 12 and gets (4,4) (10,5) (24,3)"));

  trimode::memmap::MapSpec spec;
  spec.ram_base = 0;
  spec.ram_size = 32;
  spec.title = "Aggressive allocation, the seed's example (memq, granule 1)";
  spec.radix = trimode::memmap::Radix::kDecimal;
  if (const std::string why = trimode::write_output_file(out, trimode::memmap::render_svg(spec, steps)); !why.empty()) {
    return error(trimode::cli::kExitSimError, "writing " + out + " failed (" + why + "): the SVG is incomplete");
  }
  std::cout << trimode::memmap::render_table(spec, steps) << "wrote " << out << "\n";

  memq_seg segs[4];
  const uint32_t n = memq_vm_segments(&q, 4, segs, 4);
  const bool seed = n == 3 && segs[0].base == 4 && segs[0].size == 4 && segs[1].base == 10 &&
                    segs[1].size == 5 && segs[2].base == 24 && segs[2].size == 3;
  return seed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = "seed_example.svg";
  CLI::App app{"Replays the seed's allocation example through the hypervisor's allocator and draws it as SVG."};
  app.add_option("out", out, "SVG file to write")->capture_default_str();
  app.footer(
      "Exit codes: 0 the seed's result, 1 another result, 201 usage error or an SVG file that cannot be\n"
      "written, 203 the SVG could not be written whole (disk full) or an internal error.");
  if (const int rc = trimode::cli::parse(app, argc, argv); rc >= 0) return rc;
  if (const std::string why = trimode::can_write(out); !why.empty()) {
    return error(trimode::cli::kExitBadInput, out.empty() ? why : "cannot write " + out + ": " + why);
  }
  return trimode::cli::guarded("trimode-memmap-example", [&] { return replay(out); });
}

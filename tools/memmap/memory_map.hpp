// Pictures of physical memory: who holds which range, as an SVG figure and as
// a text table. No SystemC; used by tools, tests and docs.
//
// A figure is a sequence of steps (e.g. before / after an allocation), each
// drawn as one horizontal bar of RAM [ram_base, ram_base + ram_size): one
// rectangle per range in its owner's colour with its name and size written
// inside when they fit, the free space in light grey, an address axis under
// the bar (a tick at every boundary), and one legend of owners at the bottom.
// Every rectangle also carries a <title> (a tooltip in a browser). The scale is
// shared by the steps and readable at any RAM size: used memory is to scale,
// free space that no step uses is shortened (marked //, said in the legend),
// and every range is at least a few pixels wide.
//
// Example:
//   MapSpec spec{0, 32, "The seed's example", Radix::kDecimal, {}};
//   Step before{"before", {{0, 4, 0, "(0,4)"}, {8, 2, 2, "(8,2)"}}};
//   write_output_file("map.svg", render_svg(spec, {before}));  // tools/output_file
//   std::cout << render_table(spec, {before});
//     == before ==
//     range      size  owner           label
//     [0, 4)     4     V (hypervisor)  (0,4)
//     [4, 8)     4     free
//     ...
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trimode::memmap {

struct Range {
  uint64_t base = 0;
  uint64_t size = 0;
  uint32_t owner = 0;  // 0 = V, n = VM n (names: MapSpec::owner_names)
  std::string label;   // drawn inside the range when it fits; may be empty
};

struct Step {
  std::string title;
  std::vector<Range> ranges;  // any order; disjoint and inside RAM
};

enum class Radix { kHex, kDecimal };  // how addresses and sizes are written

struct MapSpec {
  uint64_t ram_base = 0;
  uint64_t ram_size = 0;
  std::string title;
  Radix radix = Radix::kHex;
  std::map<uint32_t, std::string> owner_names;  // overrides owner_name()'s default
};

// "V (hypervisor)" for 0, "VM n" otherwise, unless spec.owner_names says else.
std::string owner_name(const MapSpec& spec, uint32_t owner);

// The fill colour of an owner, "#rrggbb": fixed per owner id, the same in
// every figure, each owner its own (V grey-violet, the first ten VMs from a
// 10-colour qualitative palette, the others from their id).
std::string owner_colour(uint32_t owner);

inline constexpr const char* kFreeColour = "#f2f2f2";

// The figure. Throws std::invalid_argument when a range is empty, leaves RAM
// or overlaps another range of its step.
std::string render_svg(const MapSpec& spec, const std::vector<Step>& steps);

// The same content as aligned text: per step, every range and every free gap
// in address order with its size, owner and label. Same checks.
std::string render_table(const MapSpec& spec, const std::vector<Step>& steps);

}  // namespace trimode::memmap

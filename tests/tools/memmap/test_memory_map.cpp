// Tests of the memory-map picture and table (tools/memmap).
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/memmap/memory_map.hpp"

namespace trimode::memmap {
namespace {

// True when every element is closed in order (a minimal well-formedness
// check: tags, self-closing tags, the XML declaration; no '<' in text).
bool balanced(const std::string& xml, std::string* why) {
  std::vector<std::string> open;
  for (size_t at = xml.find('<'); at != std::string::npos; at = xml.find('<', at + 1)) {
    const size_t end = xml.find('>', at);
    if (end == std::string::npos) return *why = "unterminated tag", false;
    const std::string tag = xml.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '?') continue;
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return *why = "stray </" + tag.substr(1) + ">", false;
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
  }
  if (!open.empty()) return *why = "unclosed <" + open.back() + ">", false;
  return true;
}

bool is_colour(const std::string& c) {
  return c.size() == 7 && c[0] == '#' &&
         c.find_first_not_of("0123456789abcdef", 1) == std::string::npos;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) n++;
  return n;
}

MapSpec seed_spec() {
  MapSpec spec;
  spec.ram_size = 32;
  spec.title = "seed <example> & co";
  spec.radix = Radix::kDecimal;
  return spec;
}

const Step kBefore{"before", {{8, 2, 2, "(8,2)"}, {0, 4, 0, "(0,4)"}, {15, 9, 3, "(15,9)"}}};
const Step kAfter{"after",
                  {{0, 4, 0, "(0,4)"}, {4, 4, 4, "(4,4)"}, {8, 2, 2, "(8,2)"},
                   {10, 5, 4, "(10,5)"}, {15, 9, 3, "(15,9)"}, {24, 3, 4, "(24,3)"}}};

TEST(MemoryMap, SvgIsWellFormed) {
  const std::string svg = render_svg(seed_spec(), {kBefore, kAfter});
  std::string why;
  EXPECT_TRUE(balanced(svg, &why)) << why;
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(svg.find("seed &lt;example&gt; &amp; co"), std::string::npos);  // escaped title
  EXPECT_EQ(count(svg, "<g class=\"step\">"), 2u);
}

TEST(MemoryMap, EveryRangeAndGapAppears) {
  const std::string svg = render_svg(seed_spec(), {kBefore, kAfter});
  EXPECT_EQ(count(svg, "class=\"range\""), kBefore.ranges.size() + kAfter.ranges.size());
  for (const Step* s : {&kBefore, &kAfter}) {
    for (const Range& r : s->ranges) {
      const std::string tip = ": [" + std::to_string(r.base) + ", " + std::to_string(r.base + r.size) +
                              ") size " + std::to_string(r.size) + " " + r.label;
      EXPECT_NE(svg.find(tip), std::string::npos) << tip;
    }
  }
  // Gaps: before [4,8) [10,15) [24,32); after [27,32).
  EXPECT_EQ(count(svg, "class=\"free\""), 4u);
  EXPECT_NE(svg.find("free: [27, 32) size 5"), std::string::npos);
  // Axis labels at the step's boundaries.
  EXPECT_NE(svg.find(">24</text>"), std::string::npos);
  EXPECT_NE(svg.find(">32</text>"), std::string::npos);
}

TEST(MemoryMap, ColoursPerOwnerAreStable) {
  std::set<std::string> distinct;
  // Each owner its own colour: V, a scenario's 64 VMs and their 64 images' owners (65..128).
  for (uint32_t o = 0; o <= 128; o++) {
    EXPECT_EQ(owner_colour(o), owner_colour(o));
    EXPECT_TRUE(is_colour(owner_colour(o))) << owner_colour(o);
    distinct.insert(owner_colour(o));
  }
  EXPECT_EQ(distinct.size(), 129u);
  EXPECT_EQ(distinct.count(kFreeColour), 0u);
  // Every rectangle of owner n is filled with owner_colour(n), in every step.
  const std::string svg = render_svg(seed_spec(), {kBefore, kAfter});
  size_t seen = 0;
  const std::string owner_attr = "data-owner=\"", fill_attr = "fill=\"";
  for (size_t at = svg.find(owner_attr); at != std::string::npos; at = svg.find(owner_attr, at + 1)) {
    const size_t o = at + owner_attr.size();
    if (svg.compare(o, 4, "free") == 0) continue;
    const uint32_t owner = static_cast<uint32_t>(std::stoul(svg.substr(o)));
    const size_t fill = svg.find(fill_attr, o) + fill_attr.size();
    EXPECT_EQ(svg.substr(fill, 7), owner_colour(owner));
    seen++;
  }
  EXPECT_EQ(seen, 9u);
}

TEST(MemoryMap, LegendNamesEveryOwner) {
  MapSpec spec = seed_spec();
  spec.owner_names[3] = "VM 3 (files)";
  const std::string svg = render_svg(spec, {kBefore, kAfter});
  const size_t legend = svg.find("<g class=\"legend\">");
  ASSERT_NE(legend, std::string::npos);
  for (const char* name : {"V (hypervisor)", "VM 2", "VM 3 (files)", "VM 4", "free"}) {
    EXPECT_NE(svg.find(std::string(">") + name + "</text>", legend), std::string::npos) << name;
  }
}

TEST(MemoryMap, TableListsRangesAndGaps) {
  const std::string table = render_table(seed_spec(), {kBefore});
  EXPECT_NE(table.find("== before =="), std::string::npos);
  EXPECT_NE(table.find("[0, 4)    4     V (hypervisor)  (0,4)"), std::string::npos) << table;
  EXPECT_NE(table.find("[4, 8)    4     free"), std::string::npos) << table;
  EXPECT_NE(table.find("[15, 24)  9     VM 3            (15,9)"), std::string::npos) << table;
  EXPECT_NE(table.find("[24, 32)  8     free"), std::string::npos) << table;
}

TEST(MemoryMap, HexAddressesAndSizes) {
  MapSpec spec;
  spec.ram_base = 0x80000000u;
  spec.ram_size = 128u << 20;
  const Step s{"boot", {{0x80000000u, 64u << 10, 0, "hypervisor"}, {0x80100000u, 4u << 20, 1, ""}}};
  const std::string table = render_table(spec, {s});
  EXPECT_NE(table.find("[0x80000000, 0x80010000)  64 KiB   V (hypervisor)  hypervisor"), std::string::npos)
      << table;
  EXPECT_NE(table.find("[0x80100000, 0x80500000)  4 MiB    VM 1"), std::string::npos) << table;
  std::string why;
  EXPECT_TRUE(balanced(render_svg(spec, {s}), &why)) << why;
}

TEST(MemoryMap, RejectsBadRanges) {
  const MapSpec spec = seed_spec();
  EXPECT_THROW(render_svg(spec, {Step{"x", {{0, 4, 1, ""}, {3, 2, 2, ""}}}}), std::invalid_argument);
  EXPECT_THROW(render_svg(spec, {Step{"x", {{30, 4, 1, ""}}}}), std::invalid_argument);
  EXPECT_THROW(render_table(spec, {Step{"x", {{3, 0, 1, ""}}}}), std::invalid_argument);
}

}  // namespace
}  // namespace trimode::memmap

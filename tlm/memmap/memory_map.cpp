#include "tlm/memmap/memory_map.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace trimode::memmap {
namespace {

constexpr uint32_t kFree = 0xFFFFFFFFu;  // owner of the gaps layout() inserts

// Figure geometry, in SVG user units (pixels).
constexpr double kWidth = 1000;
constexpr double kMarginX = 24;
constexpr double kBarWidth = kWidth - 2 * kMarginX;
constexpr double kTop = 48;         // below the figure title
constexpr double kStepHeight = 118; // step title, bar, two rows of tick labels
constexpr double kBarHeight = 44;
constexpr double kCharWidth = 7.0;  // estimate for 11-12 px sans-serif

// The step's ranges in address order with the free gaps between them.
std::vector<Range> layout(const MapSpec& spec, const Step& step) {
  std::vector<Range> sorted = step.ranges;
  std::sort(sorted.begin(), sorted.end(),
            [](const Range& a, const Range& b) { return a.base < b.base; });
  const uint64_t end = spec.ram_base + spec.ram_size;
  std::vector<Range> out;
  uint64_t at = spec.ram_base;
  for (const Range& r : sorted) {
    if (r.size == 0 || r.base < spec.ram_base || r.base + r.size > end)
      throw std::invalid_argument("memory map: range outside RAM or empty in step '" + step.title + "'");
    if (r.base < at) throw std::invalid_argument("memory map: overlapping ranges in step '" + step.title + "'");
    if (r.base > at) out.push_back(Range{at, r.base - at, kFree, ""});
    out.push_back(r);
    at = r.base + r.size;
  }
  if (at < end) out.push_back(Range{at, end - at, kFree, ""});
  return out;
}

std::string address(const MapSpec& spec, uint64_t a) {
  char buf[32];
  if (spec.radix == Radix::kHex) {
    std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(a));
  } else {
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(a));
  }
  return buf;
}

// Hex maps: "12 KiB", "3 MiB", "100 B" (exact units only); decimal: the number.
std::string size_text(const MapSpec& spec, uint64_t n) {
  if (spec.radix == Radix::kDecimal) return std::to_string(n);
  if (n != 0 && n % (1u << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n != 0 && n % (1u << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " B";
}

std::string name_of(const MapSpec& spec, uint32_t owner) {
  return owner == kFree ? "free" : owner_name(spec, owner);
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Black or white text, whichever reads better on fill "#rrggbb".
const char* text_colour(const std::string& fill) {
  const unsigned v = static_cast<unsigned>(std::stoul(fill.substr(1), nullptr, 16));
  const double lum = 0.299 * (v >> 16) + 0.587 * ((v >> 8) & 0xFF) + 0.114 * (v & 0xFF);
  return lum > 150 ? "#111" : "#fff";
}

double x_of(const MapSpec& spec, uint64_t a) {
  return kMarginX + kBarWidth * static_cast<double>(a - spec.ram_base) /
                        static_cast<double>(spec.ram_size);
}

// One rectangle with its tooltip and, when it fits, its label.
void draw_range(std::ostream& os, const MapSpec& spec, const Range& r, double y) {
  const double x0 = x_of(spec, r.base);
  const double w = std::max(1.0, x_of(spec, r.base + r.size) - x0);
  const bool free = r.owner == kFree;
  const std::string fill = free ? kFreeColour : owner_colour(r.owner);
  const std::string tip = name_of(spec, r.owner) + ": [" + address(spec, r.base) + ", " +
                          address(spec, r.base + r.size) + ") size " + size_text(spec, r.size) +
                          (r.label.empty() ? "" : " " + r.label);
  os << "    <rect class=\"" << (free ? "free" : "range") << "\" data-owner=\""
     << (free ? std::string("free") : std::to_string(r.owner)) << "\" x=\"" << x0 << "\" y=\"" << y
     << "\" width=\"" << w << "\" height=\"" << kBarHeight << "\" fill=\"" << fill
     << "\" stroke=\"" << (free ? "#bbbbbb" : "#333333") << "\" stroke-width=\"1\""
     << (free ? " stroke-dasharray=\"3,2\"" : "") << "><title>" << xml_escape(tip)
     << "</title></rect>\n";
  const std::string text = free ? "" : (r.label.empty() ? name_of(spec, r.owner) : r.label);
  if (!text.empty() && text.size() * kCharWidth + 6 < w) {
    os << "    <text x=\"" << x0 + w / 2 << "\" y=\"" << y + kBarHeight / 2 + 4
       << "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" << text_colour(fill) << "\">"
       << xml_escape(text) << "</text>\n";
  }
}

// Ticks at every boundary; labels on two rows, dropped where they would collide.
void draw_axis(std::ostream& os, const MapSpec& spec, const std::vector<Range>& ranges, double y) {
  std::set<uint64_t> marks{spec.ram_base, spec.ram_base + spec.ram_size};
  for (const Range& r : ranges) marks.insert(r.base);
  double right[2] = {-1e9, -1e9};
  os << "    <line x1=\"" << kMarginX << "\" y1=\"" << y << "\" x2=\"" << kMarginX + kBarWidth
     << "\" y2=\"" << y << "\" stroke=\"#333333\"/>\n";
  for (uint64_t m : marks) {
    const double x = x_of(spec, m);
    os << "    <line x1=\"" << x << "\" y1=\"" << y << "\" x2=\"" << x << "\" y2=\"" << y + 5
       << "\" stroke=\"#333333\"/>\n";
    const std::string text = address(spec, m);
    // Centred under the tick, or flush against it at the figure's edges.
    const double w = text.size() * kCharWidth * (11.0 / 12.0);
    const char* anchor = "middle";
    double left = x - w / 2;
    if (left < 2) {
      anchor = "start";
      left = x;
    } else if (x + w / 2 > kWidth - 2) {
      anchor = "end";
      left = x - w;
    }
    for (int row = 0; row < 2; row++) {
      if (left < right[row] + 6) continue;
      os << "    <text x=\"" << x << "\" y=\"" << y + 17 + 13 * row << "\" text-anchor=\"" << anchor
         << "\" font-size=\"11\" fill=\"#333333\">" << text << "</text>\n";
      right[row] = left + w;
      break;
    }
  }
}

// Swatch and name of every owner that appears, then "free"; wraps lines.
double draw_legend(std::ostream& os, const MapSpec& spec, const std::vector<Step>& steps, double y) {
  std::set<uint32_t> owners;
  for (const Step& s : steps)
    for (const Range& r : s.ranges) owners.insert(r.owner);
  std::vector<uint32_t> entries(owners.begin(), owners.end());
  entries.push_back(kFree);
  double x = kMarginX;
  os << "  <g class=\"legend\">\n";
  for (uint32_t o : entries) {
    const std::string name = name_of(spec, o);
    const double w = 22 + name.size() * kCharWidth + 18;
    if (x + w > kWidth - kMarginX) {
      x = kMarginX;
      y += 22;
    }
    const bool free = o == kFree;
    os << "    <rect x=\"" << x << "\" y=\"" << y << "\" width=\"14\" height=\"14\" fill=\""
       << (free ? kFreeColour : owner_colour(o)) << "\" stroke=\"" << (free ? "#bbbbbb" : "#333333")
       << "\"/>\n    <text x=\"" << x + 20 << "\" y=\"" << y + 12 << "\" font-size=\"12\">"
       << xml_escape(name) << "</text>\n";
    x += w;
  }
  os << "  </g>\n";
  return y + 22;
}

}  // namespace

std::string owner_name(const MapSpec& spec, uint32_t owner) {
  auto it = spec.owner_names.find(owner);
  if (it != spec.owner_names.end()) return it->second;
  return owner == 0 ? "V (hypervisor)" : "VM " + std::to_string(owner);
}

std::string owner_colour(uint32_t owner) {
  // Tableau 10: distinct, colour-blind tolerable, readable with labels.
  static const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                                         "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  if (owner == 0) return "#5b4e6e";
  return kPalette[(owner - 1) % (sizeof kPalette / sizeof kPalette[0])];
}

std::string render_svg(const MapSpec& spec, const std::vector<Step>& steps) {
  std::vector<std::vector<Range>> laid;
  for (const Step& s : steps) laid.push_back(layout(spec, s));

  std::ostringstream body;
  body << "  <text x=\"" << kMarginX << "\" y=\"28\" font-size=\"18\" font-weight=\"bold\">"
       << xml_escape(spec.title) << "</text>\n";
  double y = kTop;
  for (size_t i = 0; i < steps.size(); i++) {
    body << "  <g class=\"step\">\n    <text x=\"" << kMarginX << "\" y=\"" << y + 14
         << "\" font-size=\"13\" font-weight=\"bold\">" << xml_escape(steps[i].title) << "</text>\n";
    for (const Range& r : laid[i]) draw_range(body, spec, r, y + 22);
    draw_axis(body, spec, laid[i], y + 22 + kBarHeight);
    body << "  </g>\n";
    y += kStepHeight;
  }
  const double height = draw_legend(body, spec, steps, y) + 12;

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << kWidth << " " << height
      << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      << "  <rect x=\"0\" y=\"0\" width=\"" << kWidth << "\" height=\"" << height
      << "\" fill=\"#ffffff\"/>\n"
      << body.str() << "</svg>\n";
  return svg.str();
}

std::string render_table(const MapSpec& spec, const std::vector<Step>& steps) {
  std::ostringstream os;
  if (!spec.title.empty()) os << spec.title << "\n";
  for (const Step& s : steps) {
    std::vector<std::vector<std::string>> rows = {{"range", "size", "owner", "label"}};
    for (const Range& r : layout(spec, s)) {
      rows.push_back({"[" + address(spec, r.base) + ", " + address(spec, r.base + r.size) + ")",
                      size_text(spec, r.size), name_of(spec, r.owner), r.label});
    }
    size_t w[3] = {0, 0, 0};
    for (const auto& row : rows)
      for (int c = 0; c < 3; c++) w[c] = std::max(w[c], row[c].size());
    os << "== " << s.title << " ==\n";
    for (const auto& row : rows) {
      std::string line;
      for (int c = 0; c < 3; c++) line += row[c] + std::string(w[c] - row[c].size() + 2, ' ');
      line += row[3];
      line.erase(line.find_last_not_of(' ') + 1);
      os << line << "\n";
    }
  }
  return os.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace trimode::memmap

#include "tools/memmap/memory_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
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
constexpr double kMinCell = 10;     // narrowest drawn cell (see Scale)

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

// The horizontal scale every step shares (so the bars line up): address -> x,
// piecewise linear over the cells between consecutive range boundaries of all
// steps. A cell some step uses is drawn in proportion to its size; a cell free
// in every step is shortened to at most the largest used cell (and marked), so
// a few MiB used in a large RAM are not a sliver; every cell is at least
// kMinCell wide while that leaves room, so the smallest range can be labelled.
class Scale {
 public:
  Scale(const MapSpec& spec, const std::vector<std::vector<Range>>& laid) {
    std::set<uint64_t> edges{spec.ram_base, spec.ram_base + spec.ram_size};
    for (const auto& step : laid)
      for (const Range& r : step) edges.insert(r.base);
    edges_.assign(edges.begin(), edges.end());
    const size_t n = edges_.size() - 1;
    std::vector<double> weight(n);
    uint64_t largest_used = 0;
    for (size_t i = 0; i < n; ++i) {
      if (used(laid, edges_[i])) largest_used = std::max(largest_used, edges_[i + 1] - edges_[i]);
    }
    double total = 0;
    short_.assign(n, false);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t size = edges_[i + 1] - edges_[i];
      short_[i] = largest_used && !used(laid, edges_[i]) && size > largest_used;
      weight[i] = static_cast<double>(short_[i] ? largest_used : size);
      total += weight[i];
    }
    const double min_cell = std::min(kMinCell, kBarWidth / (2.0 * static_cast<double>(n)));
    const double spread = kBarWidth - min_cell * static_cast<double>(n);
    xs_.push_back(kMarginX);
    for (size_t i = 0; i < n; ++i) xs_.push_back(xs_.back() + min_cell + spread * weight[i] / total);
  }

  double x(uint64_t a) const {
    const size_t i = cell(a);
    if (i + 1 >= edges_.size()) return xs_.back();
    const double f = static_cast<double>(a - edges_[i]) / static_cast<double>(edges_[i + 1] - edges_[i]);
    return xs_[i] + f * (xs_[i + 1] - xs_[i]);
  }

  // True when r includes a shortened cell (its width is not to scale).
  bool shortened(const Range& r) const {
    for (size_t i = cell(r.base); i + 1 < edges_.size() && edges_[i] < r.base + r.size; ++i)
      if (short_[i]) return true;
    return false;
  }

  bool any_shortened() const { return std::find(short_.begin(), short_.end(), true) != short_.end(); }

 private:
  static bool used(const std::vector<std::vector<Range>>& laid, uint64_t cell_base) {
    for (const auto& step : laid)
      for (const Range& r : step)
        if (r.owner != kFree && r.base <= cell_base && cell_base - r.base < r.size) return true;
    return false;
  }

  size_t cell(uint64_t a) const {
    return static_cast<size_t>(std::upper_bound(edges_.begin(), edges_.end(), a) - edges_.begin()) - 1;
  }

  std::vector<uint64_t> edges_;  // sorted boundaries, ram_base .. ram end
  std::vector<double> xs_;       // x of each boundary
  std::vector<bool> short_;      // per cell: drawn shortened
};

void draw_text(std::ostream& os, double x, double y, int size, const char* colour, const std::string& text) {
  os << "    <text x=\"" << x << "\" y=\"" << y << "\" text-anchor=\"middle\" font-size=\"" << size << "\" fill=\""
     << colour << "\">" << xml_escape(text) << "</text>\n";
}

// A break mark (two slanted strokes) at xm across [y, y + h).
void draw_break(std::ostream& os, double xm, double y, double h = kBarHeight) {
  for (double dx : {-3.0, 3.0}) {
    os << "    <line x1=\"" << xm + dx - 4 << "\" y1=\"" << y + h - 6 << "\" x2=\"" << xm + dx + 4
       << "\" y2=\"" << y + 6 << "\" stroke=\"#888888\" stroke-width=\"1.5\"/>\n";
  }
}

// One rectangle with its tooltip and, in the picture, its owner (or label)
// and size on two lines, or just the name, whichever fits.
void draw_range(std::ostream& os, const MapSpec& spec, const Scale& scale, const Range& r, double y) {
  const double x0 = scale.x(r.base);
  const double w = std::max(1.0, scale.x(r.base + r.size) - x0);
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
  const bool cut = free && scale.shortened(r);
  if (cut) draw_break(os, x0 + w / 2, y);
  const std::string text = free ? "free" : (r.label.empty() ? name_of(spec, r.owner) : r.label);
  const std::string size = size_text(spec, r.size);
  const auto fits = [w](const std::string& t) { return t.size() * kCharWidth + 6 < w; };
  const char* colour = free ? "#666666" : text_colour(fill);
  if (cut) {  // left of the break mark, in the left half
    if (size.size() * kCharWidth + 12 < w / 2) {
      draw_text(os, x0 + w / 4, y + kBarHeight / 2 - 3, 12, colour, "free");
      draw_text(os, x0 + w / 4, y + kBarHeight / 2 + 12, 10, colour, size);
    }
  } else if (fits(text) && fits(size)) {
    draw_text(os, x0 + w / 2, y + kBarHeight / 2 - 3, 12, colour, text);
    draw_text(os, x0 + w / 2, y + kBarHeight / 2 + 12, 10, colour, size);
  } else if (fits(text)) {
    draw_text(os, x0 + w / 2, y + kBarHeight / 2 + 4, 12, colour, text);
  }
}

// Ticks at every boundary; labels on two rows, dropped where they would
// collide, except the end of RAM's, which always shows (first row, flush right).
void draw_axis(std::ostream& os, const MapSpec& spec, const Scale& scale, const std::vector<Range>& ranges, double y) {
  const uint64_t end = spec.ram_base + spec.ram_size;
  std::set<uint64_t> marks{spec.ram_base, end};
  for (const Range& r : ranges) marks.insert(r.base);
  double right[2] = {-1e9, -1e9};
  const double end_left = scale.x(end) - address(spec, end).size() * 7.2;  // (anchored at its end)
  os << "    <line x1=\"" << kMarginX << "\" y1=\"" << y << "\" x2=\"" << kMarginX + kBarWidth
     << "\" y2=\"" << y << "\" stroke=\"#333333\"/>\n";
  for (uint64_t m : marks) {
    const double x = scale.x(m);
    os << "    <line x1=\"" << x << "\" y1=\"" << y << "\" x2=\"" << x << "\" y2=\"" << y + 5
       << "\" stroke=\"#333333\"/>\n";
    const std::string text = address(spec, m);
    // Centred under the tick, or flush against it at the figure's edges.
    const double w = text.size() * 7.2;  // 11 px DejaVu Sans digits, with a margin
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
      if (left < right[row] + 6 && m != end) continue;
      if (row == 0 && m != end && left + w > end_left - 6) continue;  // (the end's place)
      os << "    <text x=\"" << x << "\" y=\"" << y + 17 + 13 * row << "\" text-anchor=\"" << anchor
         << "\" font-size=\"11\" fill=\"#333333\">" << text << "</text>\n";
      right[row] = left + w;
      break;
    }
  }
}

// Swatch and name of every owner that appears, then "free"; wraps lines.
double draw_legend(std::ostream& os, const MapSpec& spec, const std::vector<Step>& steps, bool shortened, double y) {
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
  if (shortened) {
    const std::string note = "free space marked // is drawn shortened; the rest in proportion (each range a little wider)";
    if (x + 40 + note.size() * kCharWidth > kWidth - kMarginX) {
      x = kMarginX;
      y += 22;
    }
    draw_break(os, x + 7, y - 4, 22);
    os << "    <text x=\"" << x + 20 << "\" y=\"" << y + 12 << "\" font-size=\"12\">" << xml_escape(note) << "</text>\n";
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

namespace {

// "#rrggbb" of hue h (degrees), saturation s and lightness l (0..1).
std::string hsl_colour(double h, double s, double l) {
  const double c = (1 - std::fabs(2 * l - 1)) * s, hp = std::fmod(h, 360.0) / 60.0;
  const double x = c * (1 - std::fabs(std::fmod(hp, 2.0) - 1)), m = l - c / 2;
  double rgb[3] = {0, 0, 0};
  const int sector = static_cast<int>(hp) % 6;
  static const int kOrder[6][3] = {{0, 1, 2}, {1, 0, 2}, {2, 0, 1}, {2, 1, 0}, {1, 2, 0}, {0, 2, 1}};  // c, x, 0 into r, g, b
  rgb[kOrder[sector][0]] = c, rgb[kOrder[sector][1]] = x;
  char out[8];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", static_cast<unsigned>(std::lround((rgb[0] + m) * 255)),
                static_cast<unsigned>(std::lround((rgb[1] + m) * 255)), static_cast<unsigned>(std::lround((rgb[2] + m) * 255)));
  return out;
}

}  // namespace

std::string owner_colour(uint32_t owner) {
  // Tableau 10 for the first ten VMs: distinct, colour-blind tolerable,
  // readable with labels. Beyond them (a scenario of up to 64 VMs, and the
  // images' owners) each id its own colour: hues a golden angle apart, in
  // three lightness bands, so that no two owners share one.
  static const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                                         "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  constexpr uint32_t kNamed = sizeof kPalette / sizeof kPalette[0];
  if (owner == 0) return "#5b4e6e";
  if (owner <= kNamed) return kPalette[owner - 1];
  const uint32_t k = owner - kNamed;
  static const double kLightness[] = {0.42, 0.58, 0.72};
  return hsl_colour(k * 137.50776, 0.55, kLightness[k % 3]);
}

std::string render_svg(const MapSpec& spec, const std::vector<Step>& steps) {
  std::vector<std::vector<Range>> laid;
  for (const Step& s : steps) laid.push_back(layout(spec, s));
  const Scale scale(spec, laid);

  std::ostringstream body;
  body << "  <text x=\"" << kMarginX << "\" y=\"28\" font-size=\"18\" font-weight=\"bold\">"
       << xml_escape(spec.title) << "</text>\n";
  double y = kTop;
  for (size_t i = 0; i < steps.size(); i++) {
    body << "  <g class=\"step\">\n    <text x=\"" << kMarginX << "\" y=\"" << y + 14
         << "\" font-size=\"13\" font-weight=\"bold\">" << xml_escape(steps[i].title) << "</text>\n";
    for (const Range& r : laid[i]) draw_range(body, spec, scale, r, y + 22);
    draw_axis(body, spec, scale, laid[i], y + 22 + kBarHeight);
    body << "  </g>\n";
    y += kStepHeight;
  }
  const double height = draw_legend(body, spec, steps, scale.any_shortened(), y) + 12;

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

}  // namespace trimode::memmap

#include "tlm/cli/size.hpp"

#include <stdexcept>
#include <utility>

namespace trimode::cli {

uint64_t parse_size(const std::string& text) {
  const auto bad = [&text](const std::string& why) {
    return std::invalid_argument("not a size: '" + text + "' (" + why + ")");
  };
  if (text.empty() || text[0] == '-' || text[0] == '+') throw bad("e.g. 64MiB, 4096, 0x10000");
  size_t used = 0;
  uint64_t value = 0;
  try {
    const bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    value = std::stoull(text, &used, hex ? 16 : 10);  // (decimal otherwise: a leading 0 is not octal)
  } catch (const std::out_of_range&) {
    throw bad("too large");
  } catch (const std::exception&) {
    throw bad("e.g. 64MiB, 4096, 0x10000");
  }
  if (text[used] == '.') throw bad("a whole number of bytes or of a unit, e.g. 66048KiB for 64.5MiB");
  std::string unit = text.substr(used);
  unit.erase(0, unit.find_first_not_of(' '));
  static const std::pair<const char*, unsigned> kUnits[] = {
      {"", 0},   {"B", 0},   {"K", 10},   {"KiB", 10}, {"k", 10},
      {"M", 20}, {"MiB", 20}, {"G", 30},  {"GiB", 30}};
  for (const auto& [name, shift] : kUnits) {
    if (unit != name) continue;
    if (shift && value > (UINT64_MAX >> shift)) throw bad("too large");
    return value << shift;
  }
  throw bad("unknown unit '" + unit + "': B, KiB, MiB, GiB (or K, M, G), all 1024-based");
}

}  // namespace trimode::cli

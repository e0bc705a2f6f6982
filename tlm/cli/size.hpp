// Sizes with units, as every Trimode input spells them: --ram-size on the
// command line and the sizes of a scenario file (tools/scenario_loader) use
// this one parser. No SystemC, no CLI11: a leaf that tools/ may link.
#pragma once

#include <cstdint>
#include <string>

namespace trimode::cli {

// "64MiB", "64M", "4 KiB", "0x1000", "4096" -> bytes. K/M/G and KiB/MiB/GiB are
// all binary (1024-based); a bare number is bytes. Throws std::invalid_argument
// with a one-line message naming the text. The caller checks the range.
uint64_t parse_size(const std::string& text);

}  // namespace trimode::cli

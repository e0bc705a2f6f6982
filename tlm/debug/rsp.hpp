// GDB Remote Serial Protocol framing: packets "$data#cs", hex encodings and
// the binary escape of the X packet. Pure functions (unit-tested alone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trimode::rsp {

// "$data#cs" with the modulo-256 checksum as two hex digits.
std::string frame(const std::string& data);
uint8_t checksum(const std::string& data);

// Bytes as lowercase hex pairs, and back (nullopt on a bad digit or odd length).
std::string to_hex(const uint8_t* bytes, size_t n);
std::string to_hex(const std::string& text);
std::optional<std::vector<uint8_t>> from_hex(const std::string& hex);

// A 32-bit register value as GDB's 'g'/'p' packets carry it: little-endian hex.
std::string reg_hex(uint32_t value);
std::optional<uint32_t> parse_reg_hex(const std::string& hex);

// A plain hex number ("80000000"); nullopt if empty, too long or not hex.
std::optional<uint32_t> parse_number(const std::string& hex);

// The X packet's binary data: '}' escapes the next byte (xor 0x20).
std::vector<uint8_t> unescape(const std::string& data);

// Splits "a,b:c" style arguments at any of `separators`.
std::vector<std::string> split(const std::string& text, const std::string& separators);

}  // namespace trimode::rsp

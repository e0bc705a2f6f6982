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

// vCont, for a target with one thread (thread 1 of process 1). The reply to
// "vCont?" lists the actions it takes: continue and step, each with or without
// a signal (two hex digits, accepted and not delivered: there is nothing to
// deliver it to).
inline constexpr const char* kVContActions = "vCont;c;C;s;S";
enum class VContAction : uint8_t { kContinue, kStep };

// `actions` is what follows "vCont" (";s:1;c"). The result is the action of the
// thread: the leftmost one whose thread-id is absent or names it (1, -1 all, 0
// any, p1.1, p1.-1, p1, p-1.-1). nullopt, which the stub answers with an error,
// when the packet is malformed (no action, an action other than c, Cxx, s, Sxx,
// a thread-id that is not one) or no action names the thread.
std::optional<VContAction> vcont_action(const std::string& actions);

}  // namespace trimode::rsp

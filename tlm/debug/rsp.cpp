#include "tlm/debug/rsp.hpp"

#include <cstdio>

namespace trimode::rsp {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A thread-id ("1", "-1", "p1.-1", ...) as a number of the sole thread's: -1 all,
// 0 any, else the id itself; nullopt if it is not one.
std::optional<int64_t> thread_number(const std::string& text) {
  if (text == "-1") return -1;
  const auto n = parse_number(text);
  if (!n) return std::nullopt;
  return int64_t{*n};
}

// Whether `id` (after the action's ':') names thread 1 of process 1, or all or any threads.
std::optional<bool> names_the_thread(const std::string& id) {
  auto matches = [](std::optional<int64_t> n) { return n && (*n == -1 || *n == 0 || *n == 1); };
  if (id.empty() || id[0] != 'p') {
    const auto tid = thread_number(id);
    if (!tid) return std::nullopt;
    return matches(tid);
  }
  const size_t dot = id.find('.');
  const auto pid = thread_number(id.substr(1, dot == std::string::npos ? std::string::npos : dot - 1));
  const auto tid = dot == std::string::npos ? std::optional<int64_t>(-1) : thread_number(id.substr(dot + 1));
  if (!pid || !tid) return std::nullopt;
  return matches(pid) && matches(tid);
}

}  // namespace

uint8_t checksum(const std::string& data) {
  uint8_t sum = 0;
  for (char c : data) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
  return sum;
}

std::string frame(const std::string& data) {
  char cs[3];
  std::snprintf(cs, sizeof cs, "%02x", checksum(data));
  return "$" + data + "#" + cs;
}

std::string to_hex(const uint8_t* bytes, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string to_hex(const std::string& text) {
  return to_hex(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

std::optional<std::vector<uint8_t>> from_hex(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  std::vector<uint8_t> out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string reg_hex(uint32_t value) {
  const uint8_t b[4] = {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
                        static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)};
  return to_hex(b, 4);
}

std::optional<uint32_t> parse_reg_hex(const std::string& hex) {
  const auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != 4) return std::nullopt;
  return uint32_t{(*bytes)[0]} | uint32_t{(*bytes)[1]} << 8 | uint32_t{(*bytes)[2]} << 16 | uint32_t{(*bytes)[3]} << 24;
}

std::optional<uint32_t> parse_number(const std::string& hex) {
  if (hex.empty() || hex.size() > 8) return std::nullopt;
  uint32_t v = 0;
  for (char c : hex) {
    const int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<uint32_t>(d);
  }
  return v;
}

std::vector<uint8_t> unescape(const std::string& data) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '}' && i + 1 < data.size()) {
      out.push_back(static_cast<uint8_t>(data[++i] ^ 0x20));
    } else {
      out.push_back(static_cast<uint8_t>(data[i]));
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& text, const std::string& separators) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (separators.find(c) != std::string::npos) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::optional<VContAction> vcont_action(const std::string& actions) {
  if (actions.empty() || actions[0] != ';') return std::nullopt;  // no action at all
  std::optional<VContAction> chosen;
  for (const std::string& field : split(actions.substr(1), ";")) {
    const size_t colon = field.find(':');
    const std::string verb = field.substr(0, colon);
    std::optional<VContAction> action;
    if (verb == "c" || verb == "s") {
      action = verb == "c" ? VContAction::kContinue : VContAction::kStep;
    } else if (verb.size() == 3 && (verb[0] == 'C' || verb[0] == 'S') && parse_number(verb.substr(1))) {
      action = verb[0] == 'C' ? VContAction::kContinue : VContAction::kStep;
    } else {
      return std::nullopt;  // unknown or malformed action (t and r are not offered)
    }
    bool applies = true;
    if (colon != std::string::npos) {
      const auto named = names_the_thread(field.substr(colon + 1));
      if (!named) return std::nullopt;
      applies = *named;
    }
    if (applies && !chosen) chosen = action;
  }
  return chosen;
}

}  // namespace trimode::rsp

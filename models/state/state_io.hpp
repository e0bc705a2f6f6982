// StateWriter / StateReader: the byte streams every model's save()/restore()
// writes and reads for a whole-platform checkpoint (docs/checkpoint.md).
//
// Values are little endian and fixed width. Each model writes one section:
// begin(tag) ... end(); the reader checks the tag and that the section is
// consumed exactly, so a model that reads a different layout fails with the
// section's name instead of silently misreading the next one. Every read is
// bounds-checked: a short or damaged stream throws StateError, never reads
// past the end. Header-only, no SystemC: any model can include it.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace trimode {

struct StateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StateWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void b(bool v) { u8(v ? 1 : 0); }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  void raw(const void* p, size_t n) {
    const auto* c = static_cast<const uint8_t*>(p);
    bytes_.insert(bytes_.end(), c, c + n);
  }
  // A section: 4-character tag, then its length (patched by end()).
  void begin(const char (&tag)[5]) {
    raw(tag, 4);
    open_ = bytes_.size();
    u32(0);
  }
  void end() {
    const uint32_t len = static_cast<uint32_t>(bytes_.size() - open_ - 4);
    for (unsigned i = 0; i < 4; ++i) bytes_[open_ + i] = static_cast<uint8_t>(len >> (8 * i));
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  void put(uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
  size_t open_ = 0;
};

class StateReader {
 public:
  StateReader(const uint8_t* data, size_t size) : p_(data), end_(data + size), limit_(end_) {}
  uint8_t u8() { return static_cast<uint8_t>(get(1)); }
  bool b() {
    const uint8_t v = u8();
    if (v > 1) fail("a flag is neither 0 nor 1");
    return v == 1;
  }
  uint32_t u32() { return static_cast<uint32_t>(get(4)); }
  uint64_t u64() { return get(8); }
  std::string str() {
    const uint32_t n = u32();
    need(n);
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  void raw(void* out, size_t n) {
    need(n);
    std::memcpy(out, p_, n);
    p_ += n;
  }
  // Opens the section `tag`; its bytes are all that can be read until end().
  void begin(const char (&tag)[5]) {
    section_ = tag;
    limit_ = end_;
    char got[4];
    raw(got, 4);
    if (std::memcmp(got, tag, 4) != 0) fail("expected section here");
    const uint32_t len = u32();
    need(len);
    limit_ = p_ + len;
  }
  void end() {
    if (p_ != limit_) fail("section is longer than this version reads");
    limit_ = end_;
  }
  bool at_end() const { return p_ == end_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw StateError("section '" + section_ + "': " + what);
  }

 private:
  void need(size_t n) const {
    if (static_cast<size_t>(limit_ - p_) < n) fail("truncated");
  }
  uint64_t get(unsigned n) {
    need(n);
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t{p_[i]} << (8 * i);
    p_ += n;
    return v;
  }
  const uint8_t* p_;
  const uint8_t* end_;
  const uint8_t* limit_;
  std::string section_ = "header";
};

}  // namespace trimode

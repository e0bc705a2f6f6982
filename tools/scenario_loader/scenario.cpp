#include "tools/scenario_loader/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "tlm/cli/size.hpp"
#include "tlm/cli/suggest.hpp"
#include "trimode/spec.hpp"

namespace trimode {
namespace {

using json = nlohmann::json;

// Every limit below comes from spec/limits.txt. One guest kernel image
// (kernel.elf) serves every VM: the hypervisor places each VM's kernel region
// (kKernelRegion bytes) wherever RAM is free and relocates the kernel there.
constexpr uint32_t kMaxVmId = spec::kLimitVms;
constexpr uint32_t kKernelRegion = spec::kLimitKernelBytes;
constexpr uint64_t kMaxScenarioBytes = spec::kLimitScenarioBytes;  // a scenario file
constexpr uint64_t kMaxImageBytes = 16u << 20;    // an ELF named by a scenario
constexpr size_t kMaxMessage = 300;               // characters of host input quoted in an error
constexpr uint64_t kMaxVmImageBytes = 64u << 20;  // a saved VM image (its memory, its files): RAM bounds it

// Host input quoted in a message: one line, no terminal escapes, bounded.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() >= kMaxMessage) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

// A size in words: "256 KiB", "128 MiB", "300001 bytes".
std::string size_words(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

// A regular file of at most `max` bytes, checked before it is opened for reading
// (a FIFO would block, /dev/zero never ends). A file that cannot be reached or
// sized fails with the system's reason ("cannot open 'x.json': No such file or
// directory"), as the ELF loader's errors do.
void check_regular(const std::filesystem::path& path, uint64_t max, const std::function<void(const std::string&)>& fail) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (!ec && !std::filesystem::exists(st)) ec = std::make_error_code(std::errc::no_such_file_or_directory);
  if (ec) fail("cannot open '" + path.string() + "': " + ec.message());
  if (!std::filesystem::is_regular_file(st)) fail("'" + path.string() + "' is not a regular file");
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) fail("cannot read '" + path.string() + "': " + ec.message());
  if (size > max) fail("'" + path.string() + "' is larger than " + std::to_string(max) + " bytes");
}

// A JSON token as nlohmann names it ("string literal", "end of input"), in words.
std::string json_token_words(const std::string& token, bool key) {
  static const std::pair<const char*, const char*> kWords[] = {
      {"string literal", "a string in double quotes"}, {"number literal", "a number"},
      {"end of input", "the end of the file"},        {"'[', '{', or a literal", "a value"},
      {"true literal", "true"}, {"false literal", "false"}, {"null literal", "null"},
      {"invalid literal", "text that is not a JSON value"}};
  if (key && token == "string literal") return "a key in double quotes";
  for (const auto& [name, words] : kWords) {
    if (token == name) return words;
  }
  return token;
}

// A parse error as "at line L, column C: PROBLEM; expected WHAT", the position
// counted in text. nlohmann's message is "... while parsing CONTEXT - PROBLEM
// [; last read: 'TOKEN'][; expected WHAT]"; its prefix and "last read" go.
std::string json_error_words(const json::parse_error& e, const std::string& text) {
  const size_t at = std::min<size_t>(e.byte ? e.byte - 1 : 0, text.size());
  const size_t line_start = at == 0 ? 0 : text.rfind('\n', at - 1) + 1;  // npos + 1 == 0
  const size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  std::string where = "at line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1);
  const std::string what = e.what();
  const size_t dash = what.find(" - ");
  if (dash == std::string::npos) return where;
  const bool key = what.rfind("object key", dash) != std::string::npos;
  std::string body = what.substr(dash + 3), problem, expected;
  const size_t last_read = body.find("; last read: '");
  const size_t outer = body.find("; expected ", last_read == std::string::npos ? 0 : body.find("'; ", last_read + 14));
  problem = body.substr(0, std::min(last_read, outer));
  if (outer != std::string::npos) expected = body.substr(outer + 11);
  if (problem.rfind("unexpected ", 0) == 0) problem = "found " + json_token_words(problem.substr(11), false);
  problem = json_token_words(problem, false);
  for (size_t p = problem.find("; "); p != std::string::npos; p = problem.find("; ", p)) problem.replace(p, 2, ", ");
  return where + ": " + problem + (expected.empty() ? "" : "; expected " + json_token_words(expected, key));
}

// Any other nlohmann exception's message without its "[json.exception...] " tag.
std::string json_error_words(const json::exception& e) {
  const std::string what = e.what();
  const size_t tag_end = what.find("] ");
  return tag_end == std::string::npos ? what : what.substr(tag_end + 2);
}

class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw ScenarioError(printable("scenario " + file_ + ": " + (where.empty() ? "" : where + ": ") + what));
  }
  // " (did you mean 'K'?)" for a likely typo of one of keys, else "".
  static std::string suggestion(const std::string& key, const std::vector<std::string>& keys) {
    const std::string meant = cli::closest(key, keys);
    return meant.empty() ? "" : " (did you mean '" + meant + "'?)";
  }
  void only_keys(const json& j, const std::string& where, std::initializer_list<const char*> keys) const {
    only_keys(j, where, std::vector<std::string>(keys.begin(), keys.end()));
  }
  void only_keys(const json& j, const std::string& where, const std::vector<std::string>& keys) const {
    if (!j.is_object()) fail(where, "must be an object");
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
        fail(where, "unknown key '" + it.key() + "'" + suggestion(it.key(), keys));
      }
    }
  }
  const json& need(const json& j, const std::string& where, const char* key) const {
    if (!j.contains(key)) fail(where, std::string("missing '") + key + "'");
    return j.at(key);
  }
  std::string name(const json& j, const std::string& where, size_t max_len) const {
    if (!j.is_string()) fail(where, "must be a string");
    const std::string s = j.get<std::string>();
    if (s.empty() || s.size() > max_len) fail(where, "must be 1 to " + std::to_string(max_len) + " characters");
    for (char c : s) {
      if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
        fail(where, "'" + s + "' may hold only letters, digits, '_', '-' and '.'");
      }
    }
    return s;
  }
  // j itself when it is a list of at most `max` entries (`noun`), else a one-line error at `where`.
  const json& list(const json& j, const std::string& where, size_t max, const char* noun) const {
    if (!j.is_array() || j.size() > max) fail(where, "must be a list of at most " + std::to_string(max) + " " + noun);
    return j;
  }
  uint64_t number(const json& j, const std::string& where, uint64_t lo, uint64_t hi) const {
    if (!j.is_number_unsigned() && !j.is_number_integer()) {
      fail(where, j.is_number() ? "must be a whole number between " + std::to_string(lo) + " and " + std::to_string(hi)
                                : "must be a whole number");
    }
    if (j.is_number_integer() && j.get<int64_t>() < 0) fail(where, "must not be negative");
    const uint64_t v = j.get<uint64_t>();
    if (v < lo || v > hi) fail(where, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
  }
  // A size: a JSON number of bytes (4096), or a string spelled as --ram-size takes it
  // ("1MiB", "1M", "64 KiB", "0x100000": cli::parse_size); from lo to hi bytes, else
  // "'TEXT' is out of range: " + range (the range in words, with why).
  uint64_t size(const json& j, const std::string& where, uint64_t lo, uint64_t hi, const std::string& range) const {
    const std::string text = j.is_string() ? j.get<std::string>() : j.dump();
    if (j.is_number() && !j.is_number_unsigned()) fail(where, "'" + text + "' is not a size: " + range);
    if (j.is_string() && text.size() > 20) fail(where, "not a size: too long");
    if (!j.is_string() && !j.is_number()) fail(where, "must be a size such as \"1MiB\"");
    uint64_t v = 0;
    try {
      v = j.is_number() ? j.get<uint64_t>() : cli::parse_size(text);
    } catch (const std::invalid_argument& e) {
      fail(where, e.what());
    }
    if (v < lo || v > hi) fail(where, "'" + text + "' is out of range: " + range);
    return v;
  }

 private:
  std::string file_;
};

// A parser callback that refuses a key given twice in one object (JSON
// allows it and nlohmann keeps the last one without a word), naming the
// duplicate by its JSON path ("vms[0].name"). It follows the path as the
// parser goes: one frame per open object (its keys so far, the current one)
// or list (the index of its current element).
class DuplicateKeys {
 public:
  explicit DuplicateKeys(const Checker& c) : c_(&c) {}
  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        element();
        frames_.push_back({event == json::parse_event_t::object_start, {}, "", 0, 0});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        break;
      case json::parse_event_t::key:
        frames_.back().key = parsed.get<std::string>();
        if (!frames_.back().keys.insert(frames_.back().key).second) {
          c_->fail(path(), "the key is given twice (a key appears once in an object)");
        }
        break;
      case json::parse_event_t::value:
        element();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;    // an object's current key
    size_t index, next; // a list's current element, and the next one's index
  };
  // A value begins: in a list, it is the next element.
  void element() {
    if (!frames_.empty() && !frames_.back().object) frames_.back().index = frames_.back().next++;
  }
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.object && !f.key.empty()) p += (p.empty() ? "" : ".") + f.key;
      if (!f.object) p += "[" + std::to_string(f.index) + "]";
    }
    return p;
  }
  const Checker* c_;
  std::vector<Frame> frames_;
};

// A VM's name appears as "[name] " before its console lines: it must not pass
// for the hypervisor's "[hv]" (any case, any suffix: "hv", "HV", "hv-1", "hv.x").
std::string vm_name(const Checker& c, const json& j, const std::string& where) {
  const std::string n = c.name(j, where, TM_NAME_LEN - 1);
  if (n.size() >= 2 && tolower(static_cast<unsigned char>(n[0])) == 'h' && tolower(static_cast<unsigned char>(n[1])) == 'v') {
    c.fail(where, "'" + n + "' could pass for the hypervisor's console prefix [hv]: VM names must not start with 'hv'");
  }
  return n;
}

// Each key of "limits", the field it sets and the most it may be (the least
// is 1): what a scenario may set and what a saved image may hold.
struct LimitRange {
  const char* key;
  uint32_t tm_limits::*field;
  uint64_t max;
};
constexpr LimitRange kLimitRanges[] = {
    {"files", &tm_limits::files, TM_FILE_SLOTS},
    {"file_bytes", &tm_limits::file_bytes, uint64_t{TM_FILE_SLOTS} * TM_LIMIT_FILE_BYTES},
    {"fds", &tm_limits::fds, TM_FD_SLOTS},
    {"queue_per_sender", &tm_limits::queue_per_sender, TM_QUEUE_SLOTS_MAX},
    {"queue_per_port", &tm_limits::queue_per_port, TM_QUEUE_SLOTS_MAX * (TM_MAX_FILTERS + 1)},
    {"cpu_ms", &tm_limits::cpu_ms, TM_LIMIT_BUDGET_MS},
    {"wall_ms", &tm_limits::wall_ms, TM_LIMIT_BUDGET_MS}};

// "limits": {"files": 4, "file_bytes": "16KiB", "fds": 8, "queue_per_sender": 4,
//            "queue_per_port": 8, "cpu_ms": 10000, "wall_ms": 60000}
void parse_limits(const Checker& c, const json& j, const std::string& w, tm_limits* l) {
  std::vector<std::string> keys;
  for (const LimitRange& r : kLimitRanges) keys.emplace_back(r.key);
  c.only_keys(j, w, keys);
  for (const LimitRange& r : kLimitRanges) {
    if (!j.contains(r.key)) continue;
    const std::string where = w + "." + r.key;
    l->*r.field = static_cast<uint32_t>(
        r.field == &tm_limits::file_bytes
            ? c.size(j[r.key], where, 1, r.max,
                     "at least 1 byte, at most " + std::to_string(r.max) + " bytes (files x file_bytes of spec/limits.txt)")
            : c.number(j[r.key], where, 1, r.max));
  }
}

uint32_t vm_id(const Checker& c, const Scenario& s, const json& j, const std::string& where) {
  const std::string n = c.name(j, where, TM_NAME_LEN - 1);
  for (const ScenarioVm& vm : s.vms) {
    if (vm.name == n) return vm.id;
  }
  c.fail(where, "no VM named '" + n + "'");
}

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

// A saved VM image (trimode/vmimage.h) from a host file: its header and
// checksum, before anything is placed; one line naming what is wrong.
std::vector<uint8_t> read_vm_image(const Checker& c, const std::string& w, const std::filesystem::path& path) {
  check_regular(path, kMaxVmImageBytes, [&](const std::string& why) { c.fail(w, why); });
  std::ifstream in(path, std::ios::binary);
  if (!in) c.fail(w, "cannot read '" + path.string() + "'");
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (b.size() < TM_VMIMAGE_HEADER_BYTES || le32(b, 0) != TM_VMIMAGE_MAGIC) c.fail(w, "'" + path.string() + "' is not a VM image");
  if (le32(b, 4) != TM_VMIMAGE_VERSION) {
    c.fail(w, "'" + path.string() + "' is a VM image of version " + std::to_string(le32(b, 4)) + ", this trimode reads version " +
                  std::to_string(TM_VMIMAGE_VERSION));
  }
  const uint32_t length = le32(b, 8);
  if (b.size() < length) c.fail(w, "'" + path.string() + "' is truncated (" + std::to_string(b.size()) + " of " + std::to_string(length) + " bytes)");
  if (b.size() > length || length < TM_VMIMAGE_HEADER_BYTES) c.fail(w, "'" + path.string() + "' has bytes after the image's end");
  uint32_t h = TM_VMIMAGE_FNV_BASIS;  // (by words, a last partial one zero-padded)
  for (size_t i = TM_VMIMAGE_HEADER_BYTES; i < b.size(); i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4 && i + k < b.size(); ++k) w |= uint32_t{b[i + k]} << (8 * k);
    h = (h ^ w) * TM_VMIMAGE_FNV_PRIME;
  }
  if (h != le32(b, 12)) c.fail(w, "'" + path.string() + "': checksum mismatch (corrupt image)");
  return b;
}

// The VM a checked image was saved from (its id and name, where
// trimode/vmimage.h places them: TM_VMIMAGE_ID_AT, TM_VMIMAGE_NAME_AT) must be
// the VM it is given to; the hypervisor would refuse it only at run time (the
// VM not created, 205).
void check_image_owner(const Checker& c, const std::string& w, const std::string& file, const ScenarioVm& vm, bool id_given) {
  const std::vector<uint8_t>& b = vm.image;
  if (b.size() < TM_VMIMAGE_NAME_AT + TM_NAME_LEN) c.fail(w, "'" + file + "' is truncated (no VM state)");
  const uint32_t id = le32(b, TM_VMIMAGE_ID_AT);
  const char* name = reinterpret_cast<const char*>(b.data() + TM_VMIMAGE_NAME_AT);
  const std::string saved(name, strnlen(name, TM_NAME_LEN));
  if (saved != vm.name) {
    c.fail(w, "'" + file + "' is the image of VM '" + printable(saved) + "', not of '" + vm.name + "' (the names must match)");
  }
  if (id != vm.id) {
    c.fail(w, "'" + file + "' is the image of VM " + std::to_string(id) + ", this VM's id is " + std::to_string(vm.id) +
                  (id_given ? "" : " (its position + 1)") + ": give it \"id\": " + std::to_string(id));
  }
}

// The quotas and budgets a checked image's VM keeps (TM_VMIMAGE_LIMITS_AT, in
// the order of struct tm_limits), each within what a scenario's "limits" may
// set: its initial files are checked against these, and the hypervisor gets
// them in the boot info, not the defaults (the image's VM had its own).
tm_limits image_limits(const Checker& c, const std::string& w, const std::string& file, const std::vector<uint8_t>& b) {
  static_assert(sizeof(tm_limits) == 4 * TM_VMIMAGE_LIMITS_WORDS, "trimode/vmimage.h's limit words are tm_limits");
  if (b.size() < TM_VMIMAGE_LIMITS_AT + 4 * TM_VMIMAGE_LIMITS_WORDS) c.fail(w, "'" + file + "' is truncated (no VM state)");
  uint32_t v[TM_VMIMAGE_LIMITS_WORDS];
  for (uint32_t i = 0; i < TM_VMIMAGE_LIMITS_WORDS; ++i) v[i] = le32(b, TM_VMIMAGE_LIMITS_AT + 4 * i);
  tm_limits l;
  std::memcpy(&l, v, sizeof l);
  for (const LimitRange& r : kLimitRanges) {
    if (l.*r.field < 1 || l.*r.field > r.max) {
      c.fail(w, "'" + file + "' holds limits." + r.key + " " + std::to_string(l.*r.field) +
                    ", out of its range (not an image this trimode's hypervisor wrote)");
    }
  }
  return l;
}

// A VM's declared memory: a size as --ram-size takes it and within its bounds
// (a multiple of 4 KiB, at most the largest RAM; the VMs together must fit the
// RAM given, checked by build_scenario_image), and at least its kernel region.
uint32_t vm_memory(const Checker& c, const json& j, const std::string& where) {
  const std::string range = "want a multiple of 4 KiB from " + size_words(kKernelRegion) +
                            " (the guest kernel's region, kernel_bytes) to " + size_words(spec::kRamSize) +
                            " (the largest --ram-size)";
  const uint64_t v = c.size(j, where, kKernelRegion, spec::kRamSize, range);
  if (v % 4096) c.fail(where, "'" + (j.is_string() ? j.get<std::string>() : j.dump()) + "' is not a multiple of 4 KiB: " + range);
  return static_cast<uint32_t>(v);
}

// vms[i]'s id (`explicit_id`: from its "id", else its position + 1) against the
// VMs before it; a clash names both and says which id was a default.
void check_vm_id(const Checker& c, const Scenario& s, const std::vector<bool>& explicit_ids, size_t i, uint32_t id,
                 bool explicit_id) {
  const std::string w = "vms[" + std::to_string(i) + "]", n = std::to_string(id);
  for (size_t k = 0; k < s.vms.size(); ++k) {
    if (s.vms[k].id != id) continue;
    const std::string other = "vms[" + std::to_string(k) + "]";
    if (!explicit_id) {
      c.fail(w, "its default id " + n + " (its position + 1) is " + other + ".id too; give " + w + " an 'id'");
    }
    c.fail(w + ".id", "VM id " + n + " is " + other + (explicit_ids[k] ? ".id too" : "'s default id too (its position + 1)"));
  }
}

void parse_vms(const Checker& c, const json& root, const std::string& base_dir, Scenario* s) {
  const json& vms = c.need(root, "", "vms");
  if (!vms.is_array() || vms.empty() || vms.size() > kMaxVmId) {
    c.fail("vms", "must be a list of 1 to " + std::to_string(kMaxVmId) + " VMs (the limit 'vms' of spec/limits.txt)");
  }
  std::set<std::string> names;
  std::vector<bool> explicit_ids;  // by index: the VM's id was given
  for (size_t i = 0; i < vms.size(); ++i) {
    const std::string w = "vms[" + std::to_string(i) + "]";
    const json& v = vms[i];
    c.only_keys(v, w, {"name", "id", "memory", "weight", "programs", "start", "limits", "image"});
    ScenarioVm vm;
    vm.id = static_cast<uint32_t>(i + 1);
    if (v.contains("id")) vm.id = static_cast<uint32_t>(c.number(v["id"], w + ".id", 1, kMaxVmId));
    check_vm_id(c, *s, explicit_ids, i, vm.id, v.contains("id"));
    explicit_ids.push_back(v.contains("id"));
    vm.name = vm_name(c, c.need(v, w, "name"), w + ".name");
    if (!names.insert(vm.name).second) c.fail(w + ".name", "'" + vm.name + "' is used twice");
    if (v.contains("weight")) vm.weight = static_cast<uint32_t>(c.number(v["weight"], w + ".weight", 1, 1000));
    if (v.contains("limits")) parse_limits(c, v["limits"], w + ".limits", &vm.limits);
    if (v.contains("image")) {  // a VM saved by another run: the image holds its memory and programs
      for (const char* k : {"memory", "programs", "start"}) {
        if (v.contains(k)) c.fail(w + "." + k, "not with 'image': the saved image holds the VM's memory and programs");
      }
      // the VM keeps every quota and budget of its image (image_limits; get_state in ckpt.c): a 'limits' here did nothing
      if (v.contains("limits")) c.fail(w + ".limits", "not with 'image': the saved image holds the VM's limits and budgets");
      if (!v["image"].is_string()) c.fail(w + ".image", "must be a file name");
      vm.image_name = v["image"].get<std::string>();
      const std::filesystem::path file = std::filesystem::path(base_dir) / vm.image_name;
      vm.image_file = file.string();
      vm.image = read_vm_image(c, w + ".image", file);
      check_image_owner(c, w + ".image", file.string(), vm, v.contains("id"));
      vm.limits = image_limits(c, w + ".image", file.string(), vm.image);
      s->vms.push_back(vm);
      continue;
    }
    vm.memory = vm_memory(c, c.need(v, w, "memory"), w + ".memory");
    const json& progs = c.list(c.need(v, w, "programs"), w + ".programs", TM_MAX_PROGRAMS, "program names");
    for (size_t p = 0; p < progs.size(); ++p) {
      vm.programs.push_back(c.name(progs[p], w + ".programs[" + std::to_string(p) + "]", TM_NAME_LEN - 1));
    }
    vm.start = static_cast<uint32_t>(vm.programs.size());
    if (v.contains("start")) vm.start = static_cast<uint32_t>(c.number(v["start"], w + ".start", 0, vm.programs.size()));
    s->vms.push_back(vm);
  }
  uint32_t files = 0;
  for (const ScenarioVm& vm : s->vms) files += vm.limits.files;
  if (files > TM_FILE_SLOTS) {
    c.fail("vms", "the VMs' file quotas (limits.files, default " + std::to_string(TM_DEFAULT_FILES) + ") add up to " +
                      std::to_string(files) + ", more than the hypervisor's " + std::to_string(TM_FILE_SLOTS) + " files");
  }
}

// Initial files count against their VM's quotas.
void check_file_quotas(const Checker& c, const Scenario& s) {
  for (const ScenarioVm& vm : s.vms) {
    uint32_t n = 0;
    uint64_t bytes = 0;
    for (const ScenarioFile& f : s.files) {
      if (f.vm != vm.id) continue;
      ++n;
      bytes += f.content.size();
    }
    if (n > vm.limits.files) {
      c.fail("files", "VM '" + vm.name + "' has " + std::to_string(n) + " initial files, more than its quota of " +
                          std::to_string(vm.limits.files));
    }
    if (bytes > vm.limits.file_bytes) {
      c.fail("files", "VM '" + vm.name + "' has " + std::to_string(bytes) + " bytes of initial files, more than its quota of " +
                          std::to_string(vm.limits.file_bytes));
    }
  }
}

void parse_files(const Checker& c, const json& root, const std::string& base_dir, Scenario* s) {
  if (!root.contains("files")) return;
  const json& files = c.list(root["files"], "files", TM_MAX_FILES, "files");
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string w = "files[" + std::to_string(i) + "]";
    c.only_keys(files[i], w, {"vm", "path", "content", "source"});
    ScenarioFile f;
    f.vm = vm_id(c, *s, c.need(files[i], w, "vm"), w + ".vm");
    f.path = c.name(c.need(files[i], w, "path"), w + ".path", TM_NAME_LEN - 1);
    for (size_t k = 0; k < s->files.size(); ++k) {
      if (s->files[k].vm == f.vm && s->files[k].path == f.path) {
        c.fail(w, "the same file as files[" + std::to_string(k) + "] (VM '" + files[i]["vm"].get<std::string>() + "', path '" +
                      f.path + "'): a VM's initial file is given once");
      }
    }
    if (files[i].contains("content") == files[i].contains("source")) {
      c.fail(w, "needs exactly one of 'content', 'source'");
    }
    if (files[i].contains("content")) {
      const json& content = files[i]["content"];
      if (!content.is_string()) c.fail(w + ".content", "must be a string");
      f.content = content.get<std::string>();
    } else {
      const json& source = files[i]["source"];
      if (!source.is_string()) c.fail(w + ".source", "must be a file name");
      const std::filesystem::path path = std::filesystem::path(base_dir) / source.get<std::string>();
      check_regular(path, TM_LIMIT_FILE_BYTES, [&](const std::string& why) { c.fail(w + ".source", why); });
      std::ifstream in(path, std::ios::binary);
      if (!in) c.fail(w + ".source", "cannot read '" + source.get<std::string>() + "'");
      f.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      f.source = path.string();
    }
    if (f.content.size() > TM_LIMIT_FILE_BYTES) {
      c.fail(w + ".content", "at most " + std::to_string(TM_LIMIT_FILE_BYTES) + " bytes");
    }
    s->files.push_back(f);
  }
}

void parse_filters(const Checker& c, const json& root, Scenario* s) {
  if (!root.contains("filters")) return;
  const json& filters = c.list(root["filters"], "filters", TM_MAX_FILTERS, "rules");
  for (size_t i = 0; i < filters.size(); ++i) {
    const std::string w = "filters[" + std::to_string(i) + "]";
    const json& j = filters[i];
    c.only_keys(j, w, {"from", "to", "send", "read", "write", "key"});
    ScenarioFilter f;
    f.from = vm_id(c, *s, c.need(j, w, "from"), w + ".from");
    f.to = vm_id(c, *s, c.need(j, w, "to"), w + ".to");
    if (f.from == f.to) c.fail(w, "a VM needs no filter to reach its own objects");
    const int kinds = j.contains("send") + j.contains("read") + j.contains("write") + j.contains("key");
    if (kinds != 1) c.fail(w, "needs exactly one of 'send', 'read', 'write', 'key'");
    if (j.contains("send")) {
      f.rights = TM_FILTER_SEND;
      f.port = static_cast<uint32_t>(c.number(j["send"], w + ".send", 0, spec::kLimitPort));
    } else if (j.contains("key")) {
      f.rights = TM_FILTER_KEY;
      f.port = static_cast<uint32_t>(c.number(j["key"], w + ".key", 0, 0xffffffffu));
    } else {
      const char* key = j.contains("read") ? "read" : "write";
      f.rights = j.contains("read") ? TM_FILTER_READ : TM_FILTER_WRITE;
      f.path = c.name(j[key], w + "." + key, TM_NAME_LEN - 1);
    }
    for (size_t k = 0; k < s->filters.size(); ++k) {
      const ScenarioFilter& o = s->filters[k];
      if (o.from == f.from && o.to == f.to && o.rights == f.rights && o.port == f.port && o.path == f.path) {
        c.fail(w, "the same rule as filters[" + std::to_string(k) + "]: a rule is given once");
      }
    }
    s->filters.push_back(f);
  }
}

std::vector<uint8_t> read_file(const std::string& path) {
  check_regular(path, kMaxImageBytes, [](const std::string& why) { throw ScenarioError(printable(why)); });
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError("cannot open " + path);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void copy_name(char* dst, const std::string& src) {
  std::memset(dst, 0, TM_NAME_LEN);
  std::memcpy(dst, src.data(), std::min<size_t>(src.size(), TM_NAME_LEN - 1));
}

}  // namespace

void parse_checkpoints(const Checker& c, const json& root, const std::string& base_dir, Scenario* s) {
  if (!root.contains("checkpoints")) return;
  const json& list = c.list(root["checkpoints"], "checkpoints", TM_MAX_CHECKPOINTS, "checkpoints");
  constexpr uint64_t kMaxUs = 400000000;  // mtime ticks (10 per us) stay 32-bit
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string w = "checkpoints[" + std::to_string(i) + "]";
    const json& j = list[i];
    c.only_keys(j, w, {"vm", "at_us", "resume_us", "move", "save"});
    ScenarioCheckpoint k;
    k.vm = vm_id(c, *s, c.need(j, w, "vm"), w + ".vm");
    const uint64_t at = c.number(c.need(j, w, "at_us"), w + ".at_us", 1, kMaxUs);
    k.at_ticks = static_cast<uint32_t>(at * 10);
    if (j.contains("save")) {  // kept for another run: written to a host file at the end
      if (j.contains("resume_us") || j.contains("move")) c.fail(w, "'save' takes neither 'resume_us' nor 'move' (the VM is resumed by another run)");
      if (!j["save"].is_string() || j["save"].get<std::string>().empty()) c.fail(w + ".save", "must be a file name");
      k.save = (std::filesystem::path(base_dir) / j["save"].get<std::string>()).string();
      for (const ScenarioCheckpoint& o : s->checkpoints) {
        if (o.vm == k.vm && (!o.save.empty() || o.at_ticks >= k.at_ticks)) c.fail(w, "a VM saved for another run has no later checkpoint");
      }
      s->checkpoints.push_back(k);
      continue;
    }
    for (const ScenarioCheckpoint& o : s->checkpoints) {
      if (o.vm == k.vm && !o.save.empty()) c.fail(w, "a VM saved for another run has no later checkpoint");
    }
    const uint64_t resume = c.number(c.need(j, w, "resume_us"), w + ".resume_us", 1, kMaxUs);
    if (resume <= at) c.fail(w + ".resume_us", "must be later than at_us (" + std::to_string(at) + ")");
    k.resume_ticks = static_cast<uint32_t>(resume * 10);
    if (j.contains("move")) {
      if (!j["move"].is_boolean()) c.fail(w + ".move", "must be true or false");
      k.move = j["move"].get<bool>();
    }
    s->checkpoints.push_back(k);
  }
}

Scenario parse_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir) {
  const Checker c(name);
  json root;
  try {
    root = json::parse(text, DuplicateKeys(c));
  } catch (const json::parse_error& e) {
    c.fail("", "not valid JSON " + json_error_words(e, text));
  } catch (const json::exception& e) {  // out_of_range: a number such as 1e400
    c.fail("", "not valid JSON: " + json_error_words(e));
  }
  c.only_keys(root, "", {"vms", "files", "filters", "checkpoints", "timeslice_us", "description", "test_hooks"});
  Scenario s;
  s.file = name;
  parse_vms(c, root, base_dir, &s);
  parse_files(c, root, base_dir, &s);
  check_file_quotas(c, s);
  parse_filters(c, root, &s);
  parse_checkpoints(c, root, base_dir, &s);
  if (root.contains("description") && !root["description"].is_string()) c.fail("description", "must be a string (free text)");
  if (root.contains("test_hooks")) {
    if (!root["test_hooks"].is_boolean()) c.fail("test_hooks", "must be true or false");
    s.test_hooks = root["test_hooks"].get<bool>();
  }
  if (root.contains("timeslice_us")) {
    s.timeslice_ticks = static_cast<uint32_t>(c.number(root["timeslice_us"], "timeslice_us", 10, 1000000) * 10);
  }
  return s;
}

Scenario parse_scenario(const std::string& path) {
  check_regular(path, kMaxScenarioBytes,
                [&](const std::string& why) { throw ScenarioError(printable("scenario: " + why)); });
  errno = 0;
  std::ifstream in(path);
  if (!in) throw ScenarioError(printable("cannot open scenario " + path + ": " + std::strerror(errno ? errno : EIO)));
  std::stringstream text;
  text << in.rdbuf();
  return parse_scenario_text(text.str(), path, std::filesystem::path(path).parent_path().string());
}

// The end of an image's loaded segments (their highest paddr + memsz).
uint64_t segments_end(const ElfImage& image) {
  uint64_t end = 0;
  for (const ElfSegment& seg : image.segments) end = std::max<uint64_t>(end, uint64_t{seg.paddr} + seg.memsz);
  return end;
}

// The hypervisor's ELF loaded into RAM. One that is valid but larger than the
// RAM (--ram-size 2MiB) says so in the scenario's words, not the loader's
// ("segment ... crosses the boundary of [0x80000000, 0x80200000)").
ElfImage load_hypervisor(const Checker& c, const std::string& path, uint64_t ram_base, uint64_t ram_size) {
  try {
    return load_elf(path, {{ram_base, ram_size}});
  } catch (const ElfError&) {
    uint64_t end = 0;
    try {
      end = segments_end(load_elf(path, {{0, 1ull << 32}}));
    } catch (const ElfError&) {
      end = 0;  // (the file itself is wrong: the error about RAM, rethrown below, is the one to give)
    }
    if (end <= ram_base + ram_size) throw;
    c.fail("vms", "the hypervisor alone (" + size_words((end - ram_base + 4095) / 4096 * 4096) + " from the start of RAM) does not fit in the RAM (" +
                      size_words(ram_size) + ", --ram-size)");
  }
}

ScenarioImage build_scenario_image(const Scenario& s, const std::string& sw_dir, uint64_t ram_base,
                                   uint64_t ram_size) {
  ScenarioImage img;
  const Checker c(s.file);  // errors about the scenario name it and the JSON path
  const std::vector<LoadRegion> ram = {{ram_base, ram_size}};
  img.hypervisor = load_hypervisor(c, sw_dir + "/hypervisor.elf", ram_base, ram_size);
  img.inputs.push_back({sw_dir + "/hypervisor.elf", "hypervisor"});
  const auto sym = img.hypervisor.symbols.find("tm_bootinfo");
  if (sym == img.hypervisor.symbols.end()) throw ScenarioError("hypervisor.elf has no tm_bootinfo symbol");
  img.bootinfo_addr = sym->second;

  uint64_t next = segments_end(img.hypervisor);
  const auto image_end = img.hypervisor.symbols.find("__image_end");
  if (image_end != img.hypervisor.symbols.end()) next = std::max<uint64_t>(next, image_end->second);
  tm_bootinfo& bi = img.bootinfo;
  std::map<std::string, uint32_t> placed;  // one image per distinct kernel, program and file
  // `where`: the JSON path of what needs the image.
  auto place = [&](const std::vector<uint8_t>& bytes, const std::string& name, const std::string& where) -> uint32_t {
    if (placed.count(name)) return placed[name];
    if (bi.n_images >= TM_MAX_IMAGES) {
      c.fail(where, "too many distinct images (kernel, programs, files): at most " + std::to_string(TM_MAX_IMAGES) +
                        " (the limit 'images' of spec/limits.txt)");
    }
    placed[name] = bi.n_images;
    next = (next + 4095) & ~uint64_t{4095};
    if (next + bytes.size() > ram_base + ram_size) {
      c.fail(where, "its image does not fit in the RAM (" + size_words(ram_size) + ", --ram-size) after the hypervisor and the images before it");
    }
    tm_image& im = bi.images[bi.n_images];
    im.addr = static_cast<uint32_t>(next);
    im.size = static_cast<uint32_t>(bytes.size());
    copy_name(im.name, name);
    img.blobs.push_back({im.addr, bytes});
    next += bytes.size();
    return bi.n_images++;
  };
  // A program's ELF that cannot be read or is not valid names the scenario and
  // `where`; the kernel's (where == "") is the software directory's, not the scenario's.
  // An image already placed (the kernel of every VM, a program two VMs run) is
  // neither read again nor listed again among the inputs.
  auto place_elf = [&](const std::string& path, const std::string& name, const std::string& where) {
    if (placed.count(name)) return placed[name];
    img.inputs.push_back({path, where.empty() ? "guest kernel" : where});
    std::vector<uint8_t> bytes;
    try {
      load_elf(path, {{0, 1ull << 32}});  // a valid RV32 ELF, wherever it is linked
      bytes = read_file(path);
    } catch (const std::runtime_error& e) {  // ElfError, ScenarioError
      if (where.empty()) throw;
      c.fail(where, e.what());
    }
    return place(bytes, name, where.empty() ? "vms" : where);
  };

  bi.magic = TM_BOOTINFO_MAGIC;
  bi.version = TM_BOOTINFO_VERSION;
  bi.ram_base = static_cast<uint32_t>(ram_base);
  bi.ram_size = static_cast<uint32_t>(ram_size);
  bi.timeslice_ticks = s.timeslice_ticks;
  for (const ScenarioVm& vm : s.vms) {
    const std::string w = "vms[" + std::to_string(bi.n_vms) + "]";
    if (vm.memory > ram_size) {
      c.fail(w + ".memory", size_words(vm.memory) + " is more than the RAM (" + size_words(ram_size) + ", --ram-size)");
    }
    tm_vm& v = bi.vms[bi.n_vms++];
    v.id = vm.id;
    v.mem_bytes = vm.memory;
    v.weight = vm.weight;
    v.kernel = place_elf(sw_dir + "/kernel.elf", "kernel", "");  // a VM from an image: its kernel is rebased with it
    if (!vm.image.empty()) {
      bi.vm_image[vm.id] = place(vm.image, "image:" + vm.image_name, w + ".image") + 1;
      img.inputs.push_back({vm.image_file, w + ".image"});
    }
    for (const std::string& p : vm.programs) {
      const std::string wp = w + ".programs[" + std::to_string(v.n_programs) + "]";
      v.programs[v.n_programs++] = place_elf(sw_dir + "/user/" + p + ".elf", p, wp);
    }
    v.n_start = vm.start;
    copy_name(v.name, vm.name);
    bi.limits[vm.id] = vm.limits;
  }
  if (s.test_hooks) bi.flags |= TM_BOOT_TEST_HOOKS;
  for (const ScenarioCheckpoint& k : s.checkpoints) {
    const uint32_t flags = (k.move ? TM_CK_MOVE : 0u) | (k.save.empty() ? 0u : TM_CK_SAVE);
    bi.checkpoints[bi.n_checkpoints++] = {k.vm, k.at_ticks, k.resume_ticks, flags};
    img.saves.push_back(k.save);
  }
  for (const ScenarioFile& f : s.files) {
    const std::string w = "files[" + std::to_string(bi.n_files) + "]";
    tm_file& tf = bi.files[bi.n_files++];
    tf.vm = f.vm;
    tf.image = place(std::vector<uint8_t>(f.content.begin(), f.content.end()),
                     "vm" + std::to_string(f.vm) + ":" + f.path, w);
    copy_name(tf.path, f.path);
    if (!f.source.empty()) img.inputs.push_back({f.source, w + ".source"});
  }
  for (const ScenarioFilter& f : s.filters) {
    tm_filter& tf = bi.filters[bi.n_filters++];
    tf.from_vm = f.from;
    tf.to_vm = f.to;
    tf.rights = f.rights;
    tf.port = f.port;
    copy_name(tf.path, f.path);
  }
  bi.reserved_end = static_cast<uint32_t>((next + 4095) & ~uint64_t{4095});
  // Every VM's start is guaranteed its declared memory: all of it must fit
  // beside the hypervisor (growth beyond it is best-effort, at run time).
  uint64_t declared = 0;
  for (const ScenarioVm& vm : s.vms) declared += (std::max<uint64_t>(vm.memory, kKernelRegion) + 4095) & ~uint64_t{4095};
  if (bi.reserved_end - ram_base + declared > ram_size) {
    c.fail("vms", "the VMs' declared memory (" + std::to_string(declared >> 10) + " KiB) and the hypervisor's (" +
                      std::to_string((bi.reserved_end - ram_base) >> 10) + " KiB) exceed the RAM (" +
                      std::to_string(ram_size >> 10) + " KiB, --ram-size)");
  }
  return img;
}

}  // namespace trimode

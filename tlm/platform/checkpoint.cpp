#include "tlm/platform/checkpoint.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tools/output_file/output_file.hpp"

namespace trimode {
namespace {

constexpr size_t kHeader = sizeof kCheckpointMagic + 4 + 8;
constexpr size_t kTrailer = 8;

uint64_t le(const uint8_t* p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

void put(std::vector<uint8_t>* out, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

uint64_t fnv1a64(const uint8_t* data, size_t size, uint64_t hash) {
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 0x100000001b3ull;
  return hash;
}

std::string write_checkpoint(const std::string& path, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> file(kCheckpointMagic, kCheckpointMagic + sizeof kCheckpointMagic);
  put(&file, kCheckpointVersion, 4);
  put(&file, payload.size(), 8);
  file.insert(file.end(), payload.begin(), payload.end());
  put(&file, fnv1a64(payload.data(), payload.size()), 8);
  const std::string why = write_output_file(path, file.data(), file.size());
  return why.empty() ? "" : "writing " + path + " failed (" + why + ")";
}

std::vector<uint8_t> read_checkpoint(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw CheckpointError("cannot read checkpoint " + path + ": Is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError("cannot read checkpoint " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> file;
  try {
    file.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {  // (a read error: libstdc++ throws from the stream buffer)
    throw CheckpointError("cannot read checkpoint " + path + ": " + std::strerror(errno));
  }
  const std::string what = path + " is not a trimode checkpoint";
  if (file.size() < sizeof kCheckpointMagic || std::memcmp(file.data(), kCheckpointMagic, sizeof kCheckpointMagic) != 0) {
    throw CheckpointError(what + " (no TRIMCKPT magic)");
  }
  if (file.size() < kHeader) throw CheckpointError(what + " (truncated header)");
  const uint64_t version = le(file.data() + 8, 4);
  if (version != kCheckpointVersion) {
    throw CheckpointError("checkpoint " + path + " has format version " + std::to_string(version) +
                          "; this trimode reads version " + std::to_string(kCheckpointVersion));
  }
  const uint64_t length = le(file.data() + 12, 8);
  if (file.size() - kHeader < kTrailer || length != file.size() - kHeader - kTrailer) {
    throw CheckpointError("checkpoint " + path + " is truncated or has trailing bytes (" +
                          std::to_string(file.size()) + " bytes, header says " +
                          std::to_string(length + kHeader + kTrailer) + ")");
  }
  const uint8_t* payload = file.data() + kHeader;
  if (fnv1a64(payload, length) != le(payload + length, 8)) {
    throw CheckpointError("checkpoint " + path + " is corrupt (checksum mismatch)");
  }
  return std::vector<uint8_t>(payload, payload + length);
}

}  // namespace trimode

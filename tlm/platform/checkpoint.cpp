#include "tlm/platform/checkpoint.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tools/output_file/output_file.hpp"

namespace trimode {
namespace {

constexpr size_t kHeader = sizeof kCheckpointMagic + 4 + 8;
constexpr size_t kTrailer = 8;
// Far above any checkpoint (RAM is at most 128 MiB), so the size check only stops a wrong file.
constexpr uint64_t kMaxCheckpointBytes = uint64_t{1} << 30;

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
  const std::string cannot = "cannot read checkpoint " + path + ": ";
  // A regular file only, its size known before reading: a FIFO waited for a writer for ever
  // (O_NONBLOCK: the open does not wait) and /dev/zero was read until the host's memory ran out.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw CheckpointError(cannot + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) throw CheckpointError(cannot + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw CheckpointError(cannot + "Is a directory");
  if (!S_ISREG(st.st_mode)) throw CheckpointError(cannot + "not a regular file");
  if (uint64_t(st.st_size) > kMaxCheckpointBytes) {
    throw CheckpointError(path + " is not a trimode checkpoint (" + std::to_string(st.st_size) +
                          " bytes, limit 1 GiB)");
  }
  std::vector<uint8_t> file(size_t(st.st_size));
  for (size_t got = 0; got < file.size();) {
    const ssize_t n = ::read(fd, file.data() + got, file.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw CheckpointError(cannot + std::strerror(errno));
    if (n == 0) throw CheckpointError(cannot + "the file shrank while it was read");
    got += size_t(n);
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
    const uint64_t most = ~uint64_t{0} - kHeader - kTrailer;  // (a corrupt length near 2^64 is said as read, not wrapped)
    const std::string says = length <= most ? std::to_string(length + kHeader + kTrailer) + " bytes"
                                            : "a payload of " + std::to_string(length) + " bytes";
    throw CheckpointError("checkpoint " + path + " is truncated or has trailing bytes (" +
                          std::to_string(file.size()) + " bytes, header says " + says + ")");
  }
  const uint8_t* payload = file.data() + kHeader;
  if (fnv1a64(payload, length) != le(payload + length, 8)) {
    throw CheckpointError("checkpoint " + path + " is corrupt (checksum mismatch)");
  }
  return std::vector<uint8_t>(payload, payload + length);
}

}  // namespace trimode

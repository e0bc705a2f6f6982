// The checkpoint file of `trimode run --save-at N FILE` / `--restore FILE`
// (the byte layout is docs/checkpoint.md):
//
//   magic "TRIMCKPT" (8 bytes) | version u32 | payload length u64 | payload | FNV-1a 64 of payload
//
// The payload is a StateWriter stream: the run's identity section, then every
// model's section (Platform::save). A file of another version, a truncated
// one or one whose checksum does not match is refused with one line
// (CheckpointError), before anything of it is used.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace trimode {

constexpr char kCheckpointMagic[8] = {'T', 'R', 'I', 'M', 'C', 'K', 'P', 'T'};
// 2 (2026-12-05): the identity holds --misaligned and --strict-fence-i too.
// 4 (2026-12-06): the devices' sections in the address map's order
// (Platform::attach: finisher, CLINT, UART, RAM; they were RAM, UART, CLINT, finisher).
constexpr uint32_t kCheckpointVersion = 4;

struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

uint64_t fnv1a64(const uint8_t* data, size_t size, uint64_t hash = 0xcbf29ce484222325ull);

// Writes the framed payload to `path`; returns "", or "writing PATH failed
// (why)" if it cannot write it whole.
std::string write_checkpoint(const std::string& path, const std::vector<uint8_t>& payload);
// Reads and checks `path`; returns the payload. Throws CheckpointError.
std::vector<uint8_t> read_checkpoint(const std::string& path);

}  // namespace trimode

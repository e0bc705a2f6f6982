// Ram: a lazily backed TLM-2.0 memory with DMI.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/state/state_io.hpp"

namespace trimode::tlm_ {

struct RamConfig {
  sc_core::sc_time read_latency{sc_core::SC_ZERO_TIME};   // per access, any length
  sc_core::sc_time write_latency{sc_core::SC_ZERO_TIME};  // per access, any length
};

// Byte-addressed memory of `size` bytes at local addresses [0, size).
//
// Storage is one anonymous private mmap with MAP_NORESERVE: untouched pages
// cost neither RSS nor swap reservation, so a 2 GiB RAM that a program uses
// 64 KiB of costs 64 KiB. Contents start as zero.
//
// b_transport: READ/WRITE of any length (no byte enables, no streaming),
//   delay += read_latency or write_latency, DMI-allowed hint set on success.
// transport_dbg: READ/WRITE, clipped at the end of the RAM; returns bytes moved.
// get_direct_mem_ptr: grants read+write DMI to the whole RAM with the latencies.
// data(): the storage itself, for loaders that bypass TLM.
class Ram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Ram> in;

  Ram(sc_core::sc_module_name name, uint64_t size, RamConfig config = {});
  ~Ram() override;
  Ram(const Ram&) = delete;
  Ram& operator=(const Ram&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  void copy(tlm::tlm_generic_payload& trans, uint64_t len);

  uint64_t size_;
  RamConfig config_;
  uint8_t* data_ = nullptr;

 public:
  // Checkpoint (docs/checkpoint.md): the resident pages that are not all zero (storage is lazy).
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode::tlm_

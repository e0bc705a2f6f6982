// Shared payload checks for Trimode TLM targets (base protocol, loosely timed).
#pragma once

#include <cstdint>

#include <tlm>

namespace trimode::tlm_ {

// Checks what every Trimode target rejects the same way, in this order:
//   byte enables set                      -> TLM_BYTE_ENABLE_ERROR_RESPONSE
//   streaming width < data length, or 0   -> TLM_BURST_ERROR_RESPONSE
//   [address, address + length) not inside [0, size)
//                                         -> TLM_ADDRESS_ERROR_RESPONSE
// Returns TLM_OK_RESPONSE when the access may proceed. The command is left to
// the caller: each model decides which commands it supports. A debug access
// (transport_dbg) only defines command, address, data and length, so with
// `debug` set only the length and range are checked.
// Example: check_common(trans, 0x100) for a 4-byte read at 0xFE -> address error.
inline tlm::tlm_response_status check_common(const tlm::tlm_generic_payload& trans,
                                             uint64_t size, bool debug = false) {
  const uint64_t addr = trans.get_address();
  const uint64_t len = trans.get_data_length();
  if (!debug && trans.get_byte_enable_ptr() != nullptr) {
    return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  }
  if (len == 0 || (!debug && trans.get_streaming_width() < len)) {
    return tlm::TLM_BURST_ERROR_RESPONSE;
  }
  if (addr >= size || len > size - addr) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  return tlm::TLM_OK_RESPONSE;
}

// True for the commands that move data. TLM_IGNORE_COMMAND is answered by the
// models as an address check only (OK or address error, no side effect).
inline bool is_data_command(tlm::tlm_command cmd) {
  return cmd == tlm::TLM_READ_COMMAND || cmd == tlm::TLM_WRITE_COMMAND;
}

}  // namespace trimode::tlm_

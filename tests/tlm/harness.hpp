// Test harness shared by the TLM model tests: an initiator module and a runner
// that executes all GoogleTest cases inside one SystemC thread, so that test
// bodies may call sc_core::wait() and observe simulated time.
#pragma once

#include <cstdint>
#include <functional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace trimode::tlm_::test {

// A bare initiator. transport() runs one b_transport on a fresh payload and
// returns its response status; options let a test set byte enables or a
// streaming width to provoke errors. Invalidations arriving on the backward
// path are recorded.
class Initiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Initiator> out;

  struct Options {
    unsigned char* byte_enable = nullptr;
    unsigned byte_enable_length = 0;
    unsigned streaming_width = 0;  // 0: equal to the length
  };

  explicit Initiator(sc_core::sc_module_name name);

  tlm::tlm_response_status transport(tlm::tlm_command cmd, uint64_t addr, void* data,
                                     unsigned len, sc_core::sc_time& delay,
                                     const Options& options);
  tlm::tlm_response_status transport(tlm::tlm_command cmd, uint64_t addr, void* data,
                                     unsigned len, sc_core::sc_time& delay) {
    return transport(cmd, addr, data, len, delay, Options{});
  }
  // Writes then reads a 32-bit value; delay accumulates the annotations.
  tlm::tlm_response_status write32(uint64_t addr, uint32_t value, sc_core::sc_time& delay);
  uint32_t read32(uint64_t addr, sc_core::sc_time& delay);
  unsigned debug(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len);
  bool dmi(uint64_t addr, tlm::tlm_dmi& dmi);

  bool last_dmi_allowed = false;
  int invalidations = 0;
  sc_dt::uint64 invalidated_start = 0;
  sc_dt::uint64 invalidated_end = 0;

 private:
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
};

// Call from sc_main. Parses gtest flags; when only listing tests, lists them
// without starting SystemC. Otherwise calls `build` (elaborate the testbench),
// runs RUN_ALL_TESTS() in an SC_THREAD, and returns its result.
int run_tests_in_systemc(int argc, char** argv, const std::function<void()>& build);

}  // namespace trimode::tlm_::test

#include "tests/tlm/harness.hpp"
#include "tlm/kernel_stack.hpp"

#include <gtest/gtest.h>

namespace trimode::tlm_::test {

Initiator::Initiator(sc_core::sc_module_name name) : sc_module(name), out("out") {
  out.register_invalidate_direct_mem_ptr(this, &Initiator::invalidate_direct_mem_ptr);
}

tlm::tlm_response_status Initiator::transport(tlm::tlm_command cmd, uint64_t addr, void* data,
                                              unsigned len, sc_core::sc_time& delay,
                                              const Options& options) {
  tlm::tlm_generic_payload trans;
  trans.set_command(cmd);
  trans.set_address(addr);
  trans.set_data_ptr(static_cast<unsigned char*>(data));
  trans.set_data_length(len);
  trans.set_streaming_width(options.streaming_width ? options.streaming_width : len);
  trans.set_byte_enable_ptr(options.byte_enable);
  trans.set_byte_enable_length(options.byte_enable_length);
  trans.set_dmi_allowed(false);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  out->b_transport(trans, delay);
  last_dmi_allowed = trans.is_dmi_allowed();
  EXPECT_EQ(trans.get_address(), addr) << "address not restored";
  return trans.get_response_status();
}

tlm::tlm_response_status Initiator::write32(uint64_t addr, uint32_t value, sc_core::sc_time& delay) {
  return transport(tlm::TLM_WRITE_COMMAND, addr, &value, 4, delay);
}

uint32_t Initiator::read32(uint64_t addr, sc_core::sc_time& delay) {
  uint32_t value = 0xDEADBEEF;
  EXPECT_EQ(transport(tlm::TLM_READ_COMMAND, addr, &value, 4, delay), tlm::TLM_OK_RESPONSE);
  return value;
}

unsigned Initiator::debug(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
  tlm::tlm_generic_payload trans;
  trans.set_command(cmd);
  trans.set_address(addr);
  trans.set_data_ptr(static_cast<unsigned char*>(data));
  trans.set_data_length(len);
  return out->transport_dbg(trans);
}

bool Initiator::dmi(uint64_t addr, tlm::tlm_dmi& dmi) {
  tlm::tlm_generic_payload trans;
  trans.set_command(tlm::TLM_READ_COMMAND);
  trans.set_address(addr);
  return out->get_direct_mem_ptr(trans, dmi);
}

void Initiator::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
  ++invalidations;
  invalidated_start = start;
  invalidated_end = end;
}

namespace {

class Runner : public sc_core::sc_module {
 public:
  int result = 1;
  SC_HAS_PROCESS(Runner);
  explicit Runner(sc_core::sc_module_name name) : sc_module(name) { SC_THREAD(run); }

 private:
  void run() {
    result = RUN_ALL_TESTS();
    if (sc_core::sc_get_simulator_status() != sc_core::SC_SIM_USER_STOP) sc_core::sc_stop();
  }
};

}  // namespace

int run_tests_in_systemc(int argc, char** argv, const std::function<void()>& build) {
  const RestoreThreadStackOnReturn restore_stack;  // for LeakSanitizer (tlm/kernel_stack.hpp)
  testing::InitGoogleTest(&argc, argv);
  if (testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
  build();
  Runner runner("runner");
  sc_core::sc_start();
  return runner.result;
}

}  // namespace trimode::tlm_::test

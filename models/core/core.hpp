// The core as a SystemC block: a Hart driven by one SC_THREAD with a
// tlm_quantumkeeper (no wait() per instruction), TLM-2.0 sockets named by role,
// DMI used whenever granted.
//
// Time: every cycle is `clock_period`; the hart's cycle counter and SystemC
// time agree: sc_time_stamp() + local offset == cycle * clock_period (wfi idle
// time counts as cycles too). Interrupt lines are sampled when the core
// synchronises, so an interrupt is seen at most one quantum late.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/classifier/classifier_module.hpp"
#include "models/core/hart.hpp"
#include "models/memctl/access_extension.hpp"
#include "models/modereg/mode_register.hpp"

namespace trimode {

struct CoreConfig {
  sc_core::sc_time clock_period{10, sc_core::SC_NS};  // 100 MHz
  sc_core::sc_time quantum{10, sc_core::SC_US};
  HartConfig hart;
  uint64_t max_instructions = 0;  // 0: no limit
};

enum class CoreExit : uint8_t {
  kRunning,
  kInstructionLimit,  // max_instructions retired
  kFatal,             // see Core::fatal_message()
};

class Core : public sc_core::sc_module, private HartBus {
 public:
  tlm_utils::simple_initiator_socket<Core> mem;          // to the memory controller
  tlm_utils::simple_initiator_socket<Core> csr_modereg;  // CSR register bus to the mode register
  tlm_utils::simple_initiator_socket<Core> csr_memctl;   // CSR register bus to the memory controller

  Core(sc_core::sc_module_name name, ModeRegister& modereg, CoreConfig config);

  Hart& hart() { return hart_; }
  CoreExit exit_reason() const { return exit_; }
  const std::string& fatal_message() const { return hart_.fatal_message(); }
  // Simulated time at the core's current instruction (ahead of sc_time_stamp by the local offset).
  sc_core::sc_time local_time() const;

  void set_time_source(std::function<uint64_t(sc_core::sc_time)> mtime_at) { mtime_at_ = std::move(mtime_at); }
  // Called after every synchronisation; returning true stops the run (e.g. tohost).
  void set_sync_hook(std::function<bool()> hook) { sync_hook_ = std::move(hook); }
  // Writes one line per retired instruction to `out`.
  void set_insn_trace(std::FILE* out);
  void set_decision_source(DecisionSource* s) { hart_.set_decision_source(s); }
  // Adds the pc, the bus and the classifier's decision for the next
  // instruction to `tf`, and synchronises every cycle.
  void enable_trace(sc_core::sc_trace_file* tf);
  // Debug access through the core's memory path, by default as V (loaders,
  // inspection); as another mode it sees that mode's address space. Returns
  // the bytes moved; counts nowhere.
  unsigned debug_access(tlm::tlm_command cmd, uint32_t addr, uint8_t* data, unsigned length,
                        spec::Mode mode = spec::Mode::V);
  // Stops the core after the current instruction (and SystemC with it).
  void request_stop() { hart_.request_stop(); }
  // True while waiting in wfi: if the simulation runs out of events then, nothing can wake it.
  bool in_wfi() const { return in_wfi_; }

 private:
  void thread();
  void sync();
  void wait_for_interrupt();
  uint64_t budget() const;
  void flush_trace();
  void trace_cycle();

  // HartBus
  Access load(spec::Mode mode, uint32_t addr, unsigned size, uint32_t* value) override;
  Access store(spec::Mode mode, uint32_t addr, unsigned size, uint32_t value) override;
  bool dmi(spec::Mode mode, uint32_t addr, DmiWindow* window) override;
  bool csr_read(uint16_t csr, uint32_t* value) override;
  bool csr_write(uint16_t csr, uint32_t value) override;
  uint64_t mtime() override;

  Access transport(spec::Mode mode, tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t* data);
  bool csr_transport(tlm::tlm_command cmd, uint16_t csr, uint32_t* data);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

  ModeRegister& modereg_;
  CoreConfig config_;
  Hart hart_;
  tlm_utils::tlm_quantumkeeper qk_;
  uint64_t synced_cycle_ = 0;
  CoreExit exit_ = CoreExit::kRunning;
  bool in_wfi_ = false;
  std::function<uint64_t(sc_core::sc_time)> mtime_at_;
  std::function<bool()> sync_hook_;
  std::FILE* insn_trace_ = nullptr;
  std::vector<Retired> retired_;
  bool tracing_ = false;
  TrapClassifier classifier_{"classifier"};  // shows the decision at hand in traces
  sc_core::sc_signal<uint32_t> pc_sig_{"pc"};
  sc_core::sc_signal<uint32_t> bus_addr_sig_{"bus_addr"};  // last slow-path (TLM) access this cycle
  sc_core::sc_signal<uint32_t> bus_cmd_sig_{"bus_cmd"};    // 0 none, 1 read, 2 write
};

}  // namespace trimode

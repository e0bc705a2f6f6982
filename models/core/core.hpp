// The core as a SystemC block: a Hart driven by one SC_THREAD with
// tlm_quantumkeeper's quanta (no wait() per instruction), TLM-2.0 sockets and SystemC
// ports named by role, DMI used whenever granted. Everything the hart needs
// from another block goes through one of them:
//   mem          TLM initiator to the memory controller (fetch, load, store,
//                DMI; V's loads of device registers use their direct read,
//                models/regs/direct_read.hpp, when the path grants one)
//   csr_modereg  TLM register bus to the mode register's CSRs
//   csr_memctl   TLM register bus to the memory controller's CSRs; on both
//                buses a CSR's direct access (DMI: a pointer to its storage,
//                or for a write with side effects the bank's direct write,
//                models/regs/direct_write.hpp, for a computed read its direct
//                read, direct_read.hpp) is asked once and used while granted
//   decode       sc_port<DecodeIf> to the trap classifier (decode_if.hpp)
//   modes        sc_port<ModeIf> to the mode register: mode, interrupt lines,
//                trap entry, exit (mode_if.hpp)
//   time         sc_port<TimeIf> to the CLINT's mtime (time_if.hpp)
//   sync_hook    optional sc_port<SyncHookIf>: asked after every synchronisation
//                whether the run is over (the platform's tohost check)
//
// Time: every cycle is `clock_period`; the hart's cycle counter and SystemC
// time agree: sc_time_stamp() + local offset == cycle * clock_period (wfi idle
// time counts as cycles too). Interrupt lines are sampled when the core
// synchronises, so an interrupt is seen at most one quantum late.
//
// Quanta are those of a tlm_quantumkeeper (each ends at the next multiple of
// the global quantum after it began), but an idle one ends without wait():
// when no process of the kernel has anything to do up to the core's local
// time, yielding would only advance sc_time_stamp(), so the core goes on and
// its local offset grows instead (docs/performance.md, "Idle quanta"). The
// run is exactly the same (same quanta, same instructions between them);
// before anything that reads the kernel's time outside a transport (wfi, a
// debugger, the end of the run, a checkpoint) the core catches up with one
// wait(). An untraced hart goes through such ends without returning to the
// core's thread (HartBus::next_slice, asked exactly where its budget ends).
#pragma once

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/state/state_io.hpp"
#include "models/classifier/decode_if.hpp"
#include "models/regs/direct_read.hpp"
#include "models/core/debug_hook.hpp"
#include "models/core/hart.hpp"
#include "models/core/wave_sink.hpp"
#include "models/core/time_if.hpp"
#include "models/memctl/access_extension.hpp"
#include "models/modereg/mode_if.hpp"

namespace trimode {

struct CoreConfig {
  sc_core::sc_time clock_period{10, sc_core::SC_NS};  // 100 MHz
  sc_core::sc_time quantum{10, sc_core::SC_US};
  bool sync_every_quantum = false;  // wait() at idle quanta's ends too (results identical; see Core)
  HartConfig hart;
  uint64_t max_instructions = 0;  // 0: no limit
};

enum class CoreExit : uint8_t {
  kRunning,
  kInstructionLimit,  // max_instructions retired
  kFatal,             // see Core::fatal_message()
  kKilled,            // the debugger ended the run
};

// The run is over when this says so (asked after every synchronisation).
class SyncHookIf : public virtual sc_core::sc_interface {
 public:
  virtual bool stop_after_sync() = 0;
  // Whether stop_after_sync() must be asked at every quantum's end, idle
  // ones too (see Core: idle quanta); false lets the core skip the kernel.
  virtual bool wants_every_sync() const { return true; }
};

class Core : public sc_core::sc_module, private HartBus, private ModeControl {
 public:
  tlm_utils::simple_initiator_socket<Core> mem;          // to the memory controller
  tlm_utils::simple_initiator_socket<Core> csr_modereg;  // CSR register bus to the mode register
  tlm_utils::simple_initiator_socket<Core> csr_memctl;   // CSR register bus to the memory controller
  sc_core::sc_port<DecodeIf> decode;                      // to the trap classifier
  sc_core::sc_port<ModeIf> modes;                         // to the mode register's control export
  sc_core::sc_port<TimeIf> time;                          // to the CLINT's time export
  sc_core::sc_port<SyncHookIf, 1, sc_core::SC_ZERO_OR_MORE_BOUND> sync_hook;

  Core(sc_core::sc_module_name name, CoreConfig config);

  Hart& hart() { return hart_; }
  CoreExit exit_reason() const { return exit_; }
  // The hart's runs thread() started: one per slice, but for the slices the
  // hart went on to by itself (next_slice).
  uint64_t runs_from_thread() const { return runs_from_thread_; }
  const std::string& fatal_message() const { return hart_.fatal_message(); }
  // Simulated time at the core's current instruction (ahead of sc_time_stamp by the local offset).
  sc_core::sc_time local_time() const { return time_of(hart_.cycle()); }
  // Simulated time at the start of `cycle`, one at or after the last synchronisation.
  sc_core::sc_time time_of(uint64_t cycle) const;

  // Writes one line per retired instruction and per trap to `out`
  // (format: models/core/report.hpp), with disassembly when `disasm`.
  void set_insn_trace(std::FILE* out, bool disasm = false);
  // Where the core stopped and the trap and instructions that led there (several lines).
  std::string failure_report();
  // Reports decisions and retired instructions inside `window` to `sink`
  // (models/core/wave_sink.hpp); the slices run on the hart's traced path
  // inside the window only, and end at its bounds.
  void set_waves(WaveSink* sink, const WaveWindow& window) {
    waves_ = sink;
    window_ = window;
    hart_.set_run_records(sink ? &runs_ : nullptr);
  }
  // Debug access through the core's memory path, by default as V (loaders,
  // inspection); as another mode it sees that mode's address space. Returns
  // the bytes moved; counts nowhere.
  unsigned debug_access(tlm::tlm_command cmd, uint32_t addr, uint8_t* data, unsigned length,
                        spec::Mode mode = spec::Mode::V);
  // A debugger (models/core/debug_hook.hpp); nullptr: none, at no cost.
  void set_debug_hook(CoreDebugHook* hook) {
    debug_hook_ = hook;
    hart_.known_readers_changed();  // known_reader's answers depend on it
  }
  // Reads or writes a CSR of the mode register or the memory controller by
  // debug transport (no time, no side effect on the run's counters).
  bool debug_csr(tlm::tlm_command cmd, uint16_t csr, uint32_t* value);
  // Stops the core after the current instruction (and SystemC with it).
  void request_stop() { hart_.request_stop(); }
  // True while waiting in wfi: if the simulation runs out of events then, nothing can wake it.
  bool in_wfi() const { return in_wfi_; }

 private:
  void start_of_simulation() override;
  void thread();
  // End of a quantum (need_sync, a device write, wfi): waits for the kernel
  // unless the quantum was idle and `may_skip`; then the next quantum begins.
  void sync(bool may_skip);
  bool idle_until_now() const;
  bool idle_until_now_kept();
  void catch_up();
  void wait_until(uint64_t cycle);
  sc_core::sc_time span(uint64_t cycles) const;  // `cycles` of the clock
  void start_quantum(uint64_t cycle);
  bool need_sync() const { return time_value(hart_.cycle()) >= next_sync_; }
  uint64_t time_value(uint64_t cycle) const;
  void wait_for_interrupt();
  // At a slice's end: the hart spins on `j .` in V with V's timer interrupt
  // off, so that only a debugger could end the loop (none is attached).
  bool spins_for_ever();
  uint64_t runs_from_thread_ = 0;
  uint32_t spin_pc_ = 1;  // the pc at the last slice's end (1: none yet)
  uint32_t not_spin_pc_ = 1, not_spin_epoch_ = 0;  // a pc whose word is not `j .`, in that code epoch (spins_for_ever)
  uint64_t budget() const;
  void flush_trace();
  uint64_t wave_budget(uint64_t cycles);

  // HartBus
  Access load(spec::Mode mode, uint32_t addr, unsigned size, uint32_t* value) override;
  Access store(spec::Mode mode, uint32_t addr, unsigned size, uint32_t value) override;
  Access fetch(spec::Mode mode, uint32_t pc, uint32_t* insn) override;
  bool watched(spec::Mode mode, bool write, uint32_t addr, unsigned size) override;
  bool dmi(spec::Mode mode, uint32_t addr, DmiWindow* window) override;
  bool csr_read(uint16_t csr, uint32_t* value) override;
  bool csr_write(uint16_t csr, uint32_t value) override;
  void csr_storage(uint16_t csr, uint8_t** read, uint8_t** write) override;
  CsrWriter csr_writer(uint16_t csr) override;
  bool known_load(spec::Mode mode, uint32_t addr, unsigned size, uint32_t* value) override;
  KnownReader known_reader(spec::Mode mode, uint32_t addr, unsigned size) override;
  uint64_t mtime() override;
  bool decide(const DecodeRequest& request, Decision* out, std::string* failure) override;
  unsigned in_place_room() override;
  bool in_place(spec::Mode mode, const IrqLines& irq, uint64_t cycle, const InPlaceRun* runs, unsigned count,
                std::string* failure) override;
  bool reference_decision(const DecodeRequest& request, Decision* out) override;
  bool next_slice(uint64_t* cycles, bool quiet) override;
  void update_block_records();

  // ModeControl, for the hart: forwarded to the modes port.
  spec::Mode mode() const override { return modes->mode(); }
  IrqLines irq_lines() const override { return modes->irq_lines(); }
  const IrqLines* irq_lines_source() const override { return modes->irq_lines_source(); }
  const spec::Mode* mode_source() const override { return modes->mode_source(); }
  uint32_t enter(spec::Mode target, spec::Kind kind, uint32_t cause, uint32_t tval, uint32_t pc) override {
    return modes->enter(target, kind, cause, tval, pc);
  }
  uint32_t exit(uint32_t pc) override { return modes->exit(pc); }
  uint32_t trap_vector(spec::Mode m) const override { return modes->trap_vector(m); }

  // `watch`: the debugger may refuse it (Access::kWatch); a fetch is never watched.
  Access transport(spec::Mode mode, tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t* data,
                   bool watch = true);
  bool csr_transport(tlm::tlm_command cmd, uint16_t csr, uint32_t* data);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
  void invalidate_csr_direct(sc_dt::uint64 start, sc_dt::uint64 end);

  // A CSR's direct access on its register bus (DMI of one address): the
  // storage a read or a write may use instead of a transaction (nullptr:
  // by transaction); asked on the CSR's first access, dropped when the target
  // invalidates it.
  struct CsrDirect {
    unsigned char* read = nullptr;
    unsigned char* write = nullptr;
    CsrWriter writer;  // when write is nullptr: the bus's direct write (regs::DirectWrite), if any
    regs::Reader reader;  // when read is nullptr: the bus's direct read (regs::DirectRead), if any
    bool asked = false;
  };
  const CsrDirect& csr_direct(uint16_t csr, tlm_utils::simple_initiator_socket<Core>& socket);
  // V's loads where no DMI is (device registers): the direct read of the
  // load at (addr, size) when the path granted one (regs::DirectRead), a
  // few kept at a time, dropped when DMI is invalidated.
  struct DirectLoad {
    uint32_t addr = 0;
    unsigned size = 0;  // 0: an empty entry
    regs::Reader reader;  // empty: by transaction
    const Core* core = nullptr;
  };
  static uint32_t read_known(const void* direct_load, uint64_t cycle);  // known_reader's read
  const DirectLoad* direct_load(uint32_t addr, unsigned size);
  const DirectLoad* known_direct_load(uint32_t addr, unsigned size) const;
  uint32_t read_now(const regs::Reader& reader) const;
  std::array<DirectLoad, 8> direct_loads_{};
  unsigned direct_load_next_ = 0;
  tlm_utils::simple_initiator_socket<Core>* csr_socket(uint16_t csr);

  CoreConfig config_;
  tlm::tlm_generic_payload mem_gp_;  // memory path: slow-path accesses and DMI requests
  tlm::tlm_generic_payload csr_gp_;  // CSR register buses
  std::vector<CsrDirect> csr_direct_ = std::vector<CsrDirect>(4096);  // by CSR number
  Hart hart_;
  uint64_t synced_cycle_ = 0;   // the last wait(): sc_time_stamp() is time_of(synced_cycle_)
  uint64_t quantum_cycle_ = 0;  // the current quantum began here (a wait() or an idle end)
  uint64_t next_sync_ = 0;      // and ends here (tlm_quantumkeeper's next sync point; a time value)
  uint64_t stamp_ = 0;          // sc_time_stamp().value() at the last wait(): its value while the core runs
  CoreExit exit_ = CoreExit::kRunning;
  bool in_wfi_ = false;
  bool chain_slices_ = false;  // next_slice() may go on without thread(): set by thread()
  bool widen_traced_ = false;  // a traced slice may span idle quanta (thread(): more_quanta up front)
  bool idle_known_ = false;     // idle_until_now_kept(): idle_horizon_ holds the kernel's answer
  uint64_t idle_horizon_ = 0;   // the kernel's time to its next activity (a time value), nothing due now
  uint64_t quantum_cycles_ = 0;  // a quantum in whole cycles, for more_quanta (0: not whole)
  uint64_t more_quanta(uint64_t cycles, uint64_t limit = ~uint64_t{0});
  void settle_quanta();
  bool memoizable_ = true;  // the bound classifier's, read at the start of simulation
  bool in_place_ok_ = false;  // the bound classifier takes block records (memoizable, or a batch entry)
  std::FILE* insn_trace_ = nullptr;
  bool trace_disasm_ = false;
  CoreDebugHook* debug_hook_ = nullptr;
  std::vector<Retired> retired_;
  WaveSink* waves_ = nullptr;
  WaveWindow window_;
  bool in_window_ = false;  // this slice is inside the window (its records go to waves_)
  std::vector<DecisionAt> decisions_;  // this slice's, for waves_
  RunRecords runs_;                    // this slice's kRun records' side data, for waves_

 public:
  // Checkpoint (docs/checkpoint.md): the hart, the last synchronised cycle and
  // simulated time. Restore before sc_start(): the core's thread first waits
  // until the saved time (the CLINT's events on the way fire as they did), then
  // resumes with the saved local offset, so quanta end where they did.
  void save(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  sc_core::sc_time resume_at_ = sc_core::SC_ZERO_TIME;
};

}  // namespace trimode

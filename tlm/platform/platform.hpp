// The Trimode platform: the netlist of the virtual platform (docs/overview.md
// draws it).
//
//   core.mem ──> memctl.in   memctl.out ──> router.in ──> ram | uart | clint | finisher
//   core.csr_modereg ──> modereg.csr       core.csr_memctl ──> memctl.csr
//   core.modes ──> modereg.control         core.time ──> clint.time
//   clint.irq ──> timer_irq ──> modereg.timer_irq
//   core.sync_hook ──> platform (tohost)
//   core.decode ──> classifier.decode                         (Classifier::kReference)
//   core.decode ──> rtl.decode                                (Classifier::kRtl)
//   core.decode ──> lockstep.decode, lockstep.reference ──> classifier.decode,
//                   lockstep.dut ──> rtl.decode               (Classifier::kLockstep, --cosim)
//
// The address map is spec/memory_map.txt (spec::kRegions); RAM is allocated
// lazily, so its size costs nothing until touched.
#pragma once

#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <systemc>

#include "models/classifier/lockstep_classifier.hpp"
#include "models/classifier/ref_classifier.hpp"
#include "models/classifier/rtl_classifier.hpp"
#include "models/core/core.hpp"
#include "models/memctl/memory_controller.hpp"
#include "models/modereg/mode_register.hpp"
#include "tlm/bus/router.hpp"
#include "tlm/devices/clint.hpp"
#include "tlm/devices/finisher.hpp"
#include "tlm/devices/ram.hpp"
#include "tlm/devices/uart.hpp"
#include "tools/elf_loader/elf_loader.hpp"

namespace trimode {

// Which trap classifier the core's decode port is bound to.
enum class Classifier : uint8_t {
  kReference,  // the C++ reference (memoized by the core)
  kRtl,        // the Verilated RTL alone
  kLockstep,   // the RTL checked against the reference on every instruction
};

struct PlatformConfig {
  uint64_t ram_size = spec::kRamSize;
  Classifier classifier = Classifier::kReference;
  CoreConfig core;
  MemoryControllerConfig memctl;
  std::ostream* console = &std::cout;
};

// How a run ended.
struct RunResult {
  enum class How { kGuestExit, kInstructionLimit, kFatal, kStalled, kNoExit } how = How::kNoExit;
  int guest_code = 0;     // kGuestExit: the finisher's or tohost's code
  std::string message;    // kFatal / kStalled / kInstructionLimit: one line
  std::string report;     // kFatal / kStalled: where the core stopped and how it got there (lines)
};

class Platform : public sc_core::sc_module, private SyncHookIf {
 private:
  // The trap unit's RTL (under --cosim); its answers time the core's traps (Decision::cycles).
  std::unique_ptr<RtlClassifier> rtl_;

 public:
  ModeRegister modereg;
  Core core;
  MemoryController memctl;
  tlm_::Router router;
  tlm_::Ram ram;
  tlm_::Uart16550 uart;
  tlm_::Clint clint;
  tlm_::Finisher finisher;
  RefClassifier classifier;

  // The RTL classifier and the lockstep checker, when the netlist has them.
  RtlClassifier* rtl() { return rtl_.get(); }
  LockstepClassifier* lockstep() { return lockstep_.get(); }

  Platform(sc_core::sc_module_name name, PlatformConfig config);

  // Copies the image into memory by debug transport when the simulation starts
  // (sockets are bound only after elaboration) and starts the core at its entry, in V.
  void load(const ElfImage& image) { image_ = image; }
  // Bytes to place in memory at the same time (scenario images, boot info).
  void add_blob(uint32_t addr, std::vector<uint8_t> bytes) { blobs_.push_back({addr, std::move(bytes)}); }
  // Reads memory by debug transport (after or between runs); false if not all bytes could be read.
  bool read_memory(uint32_t addr, void* out, unsigned length);
  // Runs to the end (sc_start) and says how it ended.
  RunResult run();

  // Checkpoint (docs/checkpoint.md): every model's state: the core, the mode
  // register, the memory controller, then each device in the address map's
  // order (attach()). restore() is called before run(), after load(): the
  // image is then not copied (the checkpoint's RAM pages hold it) and the
  // hart keeps its pc.
  void save(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  bool stop_after_sync() override;  // SyncHookIf: tohost
  bool wants_every_sync() const override { return tohost_.has_value(); }
  void stop();  // the guest ended the run: stop the core at once and SystemC with it
  void start_of_simulation() override;
  void bind_classifier(Classifier which);
  // The device behind region r of spec/memory_map.txt (size bytes of it
  // mapped, the router's index-th target), and its state in every checkpoint:
  // a device without save(StateWriter&) const and restore(StateReader&)
  // does not compile here, so none can be left out of a checkpoint.
  template <class Device>
  void attach(Device& device, const spec::Region& r, uint64_t size, unsigned index);
  struct Checkpointed {
    std::function<void(StateWriter&)> save;
    std::function<void(StateReader&)> restore;
  };
  std::vector<Checkpointed> devices_;  // in the address map's order
  ElfImage image_;
  struct PendingBlob {
    uint32_t addr;
    std::vector<uint8_t> bytes;
  };
  std::vector<PendingBlob> blobs_;
  void write_memory(uint32_t addr, std::vector<uint8_t> bytes);

  std::unique_ptr<LockstepClassifier> lockstep_;
  PlatformConfig config_;
  sc_core::sc_signal<bool> timer_irq_{"timer_irq"};
  sc_core::sc_signal<bool> soft_irq_{"soft_irq"};
  std::optional<uint32_t> tohost_;
  std::optional<int> tohost_code_;
  bool restored_ = false;
};

}  // namespace trimode

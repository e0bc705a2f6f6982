#include "tlm/platform/platform.hpp"

#include <stdexcept>

#include "models/core/report.hpp"

namespace trimode {

Platform::Platform(sc_core::sc_module_name name, PlatformConfig config)
    : sc_module(name),
      rtl_(config.classifier == Classifier::kReference ? nullptr : std::make_unique<RtlClassifier>("rtl", config.core.clock_period)),
      modereg("modereg"),
      core("core", config.core),
      memctl("memctl", config.memctl),
      router("router"),
      ram("ram", config.ram_size),
      uart("uart", tlm_::UartConfig{sc_core::SC_ZERO_TIME, config.console, 0}),
      clint("clint"),
      finisher("finisher", tlm_::FinisherConfig{sc_core::SC_ZERO_TIME, [this](int) { stop(); }}),
      classifier("classifier"),
      config_(config) {
  if (config.ram_size == 0 || config.ram_size > spec::kRamSize) {
    throw std::invalid_argument("RAM size must be between 1 byte and " + std::to_string(spec::kRamSize));
  }
  core.mem.bind(memctl.in);
  core.csr_modereg.bind(modereg.csr);
  core.csr_memctl.bind(memctl.csr);
  core.modes.bind(modereg.control);
  core.time.bind(clint.time);
  core.sync_hook.bind(*this);
  bind_classifier(config.classifier);
  memctl.out.bind(router.in);
  unsigned index = 0;
  for (const spec::Region& r : spec::kRegions) {
    const std::string region = r.name;
    if (region == "ram") {
      attach(ram, r, config.ram_size, index++);
    } else if (region == "uart") {
      attach(uart, r, r.size, index++);
    } else if (region == "clint") {
      attach(clint, r, r.size, index++);
    } else if (region == "finisher") {
      attach(finisher, r, r.size, index++);
    } else {
      throw std::logic_error("spec/memory_map.txt region without a model: " + region);
    }
  }
  clint.irq.bind(timer_irq_);
  clint.soft_irq.bind(soft_irq_);
  modereg.timer_irq.bind(timer_irq_);
}

template <class Device>
void Platform::attach(Device& device, const spec::Region& r, uint64_t size, unsigned index) {
  router.out.bind(device.in);
  router.map(index, r.base, size, r.name, r.dmi);
  devices_.push_back({[&device](StateWriter& w) { device.save(w); }, [&device](StateReader& in) { device.restore(in); }});
}

void Platform::bind_classifier(Classifier which) {
  switch (which) {
    case Classifier::kReference: core.decode.bind(classifier.decode); break;
    case Classifier::kRtl: core.decode.bind(rtl_->decode); break;
    case Classifier::kLockstep:
      lockstep_ = std::make_unique<LockstepClassifier>("lockstep");
      core.decode.bind(lockstep_->decode);
      lockstep_->reference.bind(classifier.decode);
      lockstep_->dut.bind(rtl_->decode);
      break;
  }
}

void Platform::write_memory(uint32_t addr, std::vector<uint8_t> bytes) {
  if (bytes.empty()) return;
  const unsigned n = core.debug_access(tlm::TLM_WRITE_COMMAND, addr, bytes.data(), bytes.size());
  if (n != bytes.size()) throw std::runtime_error("debug transport could not load an image");
}

bool Platform::read_memory(uint32_t addr, void* out, unsigned length) {
  return core.debug_access(tlm::TLM_READ_COMMAND, addr, static_cast<uint8_t*>(out), length) == length;
}

void Platform::start_of_simulation() {
  const ElfImage& image = image_;
  tohost_ = image.tohost;
  if (restored_) return;
  for (const ElfSegment& s : image.segments) {
    std::vector<uint8_t> bytes = s.bytes;
    bytes.resize(s.memsz, 0);
    write_memory(s.paddr, std::move(bytes));
  }
  for (PendingBlob& b : blobs_) write_memory(b.addr, std::move(b.bytes));
  blobs_.clear();
  core.hart().flush_decode();
  core.hart().set_pc(image.entry);
}

// The riscv-tests/HTIF convention: tohost = 1 passes, (n << 1) | 1 fails case n.
bool Platform::stop_after_sync() {
  if (!tohost_) return false;
  uint32_t value = 0;
  core.debug_access(tlm::TLM_READ_COMMAND, *tohost_, reinterpret_cast<uint8_t*>(&value), 4);
  if ((value & 1) == 0) return false;
  tohost_code_ = static_cast<int>(value >> 1);
  stop();
  return true;
}

void Platform::stop() {
  core.request_stop();
  sc_core::sc_stop();
}

RunResult Platform::run() {
  sc_core::sc_start();
  RunResult r;
  if (core.exit_reason() == CoreExit::kFatal) {  // also a lockstep check failing as the guest exits
    r.how = RunResult::How::kFatal;
    r.message = core.fatal_message();
    r.report = core.failure_report();
  } else if (finisher.exit_code()) {
    r.how = RunResult::How::kGuestExit;
    r.guest_code = *finisher.exit_code();
  } else if (tohost_code_) {
    r.how = RunResult::How::kGuestExit;
    r.guest_code = *tohost_code_;
  } else if (core.exit_reason() == CoreExit::kInstructionLimit) {
    r.how = RunResult::How::kInstructionLimit;
    r.message = "instruction limit reached at " + where(core.hart());
  } else if (core.exit_reason() == CoreExit::kKilled) {
    r.how = RunResult::How::kFatal;
    r.message = "the debugger ended the run at " + where(core.hart());
  } else if (core.in_wfi()) {
    r.how = RunResult::How::kStalled;
    r.message = "the core waits for an interrupt (wfi) and no timer is set to wake it";
    r.report = core.failure_report();
  } else {
    r.report = core.failure_report();
  }
  return r;
}


// ---- checkpoint ----------------------------------------------------------------

void Platform::save(StateWriter& w) const {
  core.save(w);
  modereg.save(w);
  memctl.save(w);
  for (const Checkpointed& d : devices_) d.save(w);
}

void Platform::restore(StateReader& r) {
  core.restore(r);
  modereg.restore(r);
  memctl.restore(r);
  for (const Checkpointed& d : devices_) d.restore(r);
  restored_ = true;
}
}  // namespace trimode

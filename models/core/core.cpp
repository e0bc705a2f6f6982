#include "models/core/core.hpp"

#include <cinttypes>
#include <cstring>

#include "models/core/report.hpp"
#include "models/regs/direct_write.hpp"

namespace trimode {

using spec::Mode;

namespace {

// A payload for one access of `length` bytes at `addr` (data owned by the caller).
// Payloads are reused (one per path), so every field a target may set is reset.
void prepare(tlm::tlm_generic_payload* gp, tlm::tlm_command cmd, uint64_t addr, void* data, unsigned length) {
  gp->set_dmi_allowed(false);
  gp->set_byte_enable_ptr(nullptr);
  gp->set_byte_enable_length(0);
  gp->set_command(cmd);
  gp->set_address(addr);
  gp->set_data_ptr(static_cast<unsigned char*>(data));
  gp->set_data_length(length);
  gp->set_streaming_width(length);
  gp->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace

Core::Core(sc_core::sc_module_name name, CoreConfig config)
    : sc_module(name),
      mem("mem"),
      csr_modereg("csr_modereg"),
      csr_memctl("csr_memctl"),
      decode("decode"),
      modes("modes"),
      time("time"),
      sync_hook("sync_hook"),
      config_(config),
      hart_(*this, *this, config.hart) {
  mem.register_invalidate_direct_mem_ptr(this, &Core::invalidate_direct_mem_ptr);
  csr_modereg.register_invalidate_direct_mem_ptr(this, &Core::invalidate_csr_direct);
  csr_memctl.register_invalidate_direct_mem_ptr(this, &Core::invalidate_csr_direct);
  tlm_utils::tlm_quantumkeeper::set_global_quantum(config_.quantum);
  SC_HAS_PROCESS(Core);
  SC_THREAD(thread);
}

// In integer steps of the time resolution: the same value as clock_period *
// double(cycles) (exact below 2^53 steps), without the double rounding.
sc_core::sc_time Core::span(uint64_t cycles) const {
  return sc_core::sc_time::from_value(config_.clock_period.value() * cycles);
}

sc_core::sc_time Core::time_of(uint64_t cycle) const { return sc_core::sc_time_stamp() + span(cycle - synced_cycle_); }

void Core::set_insn_trace(std::FILE* out, bool disasm) {
  insn_trace_ = out;
  trace_disasm_ = disasm;
  hart_.set_trace(out ? &retired_ : nullptr);
  update_block_records();
}

// Block records (Hart::set_block_records) on traced and co-simulated runs
// when the classifier can take them and no --trace-insn wants register
// values (that one keeps the interpreter). Traced chains (loads and stores
// recorded by the blocks) when no decode is timed (a memoizable classifier:
// its decisions are the memo's rows, as decide() would answer).
void Core::update_block_records() {
  hart_.set_block_records(in_place_ok_ && !insn_trace_);
  hart_.set_traced_chains(memoizable_);
}

// Cycles the hart may run before the next synchronisation.
// (In the time resolution's integers, as sc_time computes: the quantum minus
// the time since the quantum began, divided as sc_time's operator/ divides.)
uint64_t Core::budget() const {
  const uint64_t period = config_.clock_period.value();
  const uint64_t left = tlm::tlm_global_quantum::instance().get().value() - period * (hart_.cycle() - quantum_cycle_);
  uint64_t cycles = static_cast<uint64_t>(sc_dt::uint64_to_double(left) / sc_dt::uint64_to_double(period));
  if (cycles == 0) cycles = 1;
  if (config_.max_instructions) {
    const uint64_t remaining = config_.max_instructions - hart_.instret();
    if (remaining < cycles) cycles = remaining;
  }
  return cycles;
}

// A quantum begins at `cycle` and ends at the next multiple of the global
// quantum after it, as tlm_quantumkeeper::reset() computes.
void Core::start_quantum(uint64_t cycle) {
  quantum_cycle_ = cycle;
  const uint64_t now = time_value(cycle);
  const uint64_t q = tlm::tlm_global_quantum::instance().get().value();
  next_sync_ = q ? now + (q - now % q) : now;
}

// time_of(cycle).value() while the core runs (stamp_ is sc_time_stamp() then).
uint64_t Core::time_value(uint64_t cycle) const { return stamp_ + config_.clock_period.value() * (cycle - synced_cycle_); }

// Nothing in the kernel (a timed or delta notification, a runnable process,
// a channel update) is due at or before the core's current time: a wait()
// now would resume the core with nothing else having run.
bool Core::idle_until_now() const {
  return !sc_core::sc_pending_activity_at_current_time() &&
         sc_core::sc_time_to_pending_activity().value() > config_.clock_period.value() * (hart_.cycle() - synced_cycle_);
}

// idle_until_now() for next_slice(): the kernel's two answers (nothing due
// now; the time to its next activity) are kept while the hart reports
// (next_slice's `quiet`) that nothing it did since could have changed them.
// Within one run() of the hart no other process runs and the kernel's time
// stands still, so only the hart's own calls could: the same answers again.
bool Core::idle_until_now_kept() {
  if (!idle_known_) {
    if (sc_core::sc_pending_activity_at_current_time()) return false;
    idle_horizon_ = sc_core::sc_time_to_pending_activity().value();
    idle_known_ = true;
  }
  return idle_horizon_ > config_.clock_period.value() * (hart_.cycle() - synced_cycle_);
}

void Core::sync(bool may_skip) {
  const uint64_t now = hart_.cycle();
  if (!(may_skip && idle_until_now())) wait_until(now);
  start_quantum(now);
}

// The kernel's time to the current quantum's start, as if every idle quantum
// had waited (nothing is due before it: idle_until_now() said so then, and
// only the core's device writes could have added something, each of which
// ended a quantum).
void Core::catch_up() {
  if (quantum_cycle_ != synced_cycle_) wait_until(quantum_cycle_);
}

// The kernel's time to `cycle`'s: one wait() for the local offset there.
void Core::wait_until(uint64_t cycle) {
  wait(span(cycle - synced_cycle_));
  stamp_ = sc_core::sc_time_stamp().value();
  synced_cycle_ = cycle;
}

// With a waveform writer: whether this slice is inside the window (the hart
// records it) and the slice cut at the window's next bound, so a slice is
// either wholly inside or wholly outside. A budget in cycles never retires
// more instructions than cycles, so an instruction bound is never overshot.
uint64_t Core::wave_budget(uint64_t cycles) {
  const uint64_t insn = hart_.instret(), cycle = hart_.cycle();
  const auto cut = [&cycles](uint64_t now, uint64_t bound) {
    if (now < bound && bound - now < cycles) cycles = bound - now;
  };
  const bool inside = insn >= window_.from_insn && insn < window_.to_insn && cycle >= window_.from_cycle &&
                     cycle < window_.to_cycle;
  if (inside != in_window_) decode->set_watched(inside);  // (an RTL's pins: traced inside only)
  in_window_ = inside;
  cut(insn, in_window_ ? window_.to_insn : window_.from_insn);
  cut(cycle, in_window_ ? window_.to_cycle : window_.from_cycle);
  hart_.set_trace(insn_trace_ || in_window_ ? &retired_ : nullptr);
  return cycles;
}

// Bound ports are known now: a classifier that is not memoizable (an RTL under
// check) makes the hart ask the classifier about every instruction (a traced
// slice, --trace-insn or inside the waveform window, asks anyway); the hart
// reads the mode register's mode and interrupt lines in place when it keeps them.
void Core::start_of_simulation() {
  memoizable_ = decode->memoizable();
  if (waves_) decode->set_watched(false);  // until wave_budget() finds a slice inside the window
  in_place_ok_ = memoizable_ || decode->in_place_room() != 0;
  update_block_records();
  hart_.set_decide_every_instruction(!memoizable_);
  hart_.connect_mode_state();
}

void Core::thread() {
  if (resume_at_ != sc_core::SC_ZERO_TIME) wait(resume_at_);  // a restored checkpoint
  stamp_ = sc_core::sc_time_stamp().value();
  start_quantum(synced_cycle_);
  // Idle quanta end without the kernel unless something must see each end.
  const bool may_skip =
      !config_.sync_every_quantum && !debug_hook_ && !(sync_hook.size() && sync_hook->wants_every_sync());
  // The hart goes on through such ends itself (next_slice) unless a slice's
  // hand-over has work here: waveforms, a lockstep's settle.
  chain_slices_ = may_skip && !waves_ && memoizable_;
  // A waveform's slices cannot chain (each is handed over here), but one may
  // span the idle quanta ahead, granted before the run as next_slice grants
  // them: a quantum's end that would find the kernel idle is no reason to
  // hand the records over (1,000-instruction slices cost a tenth of a traced
  // bench_cpu's cpu; docs/waves-internals.md, eighteenth round).
  // (Only the block engine keeps a grant, ending it at whatever is not quiet;
  // --trace-insn runs the interpreter alone.)
  widen_traced_ = may_skip && waves_ && memoizable_ && !insn_trace_;
  const uint64_t q = tlm::tlm_global_quantum::instance().get().value(), period = config_.clock_period.value();
  quantum_cycles_ = q && q % period == 0 ? q / period : 0;
  while (exit_ == CoreExit::kRunning) {
    if (config_.max_instructions && hart_.instret() >= config_.max_instructions) {
      exit_ = CoreExit::kInstructionLimit;
      break;
    }
    uint64_t slice = budget();
    idle_known_ = false;  // (the kernel's answers are kept within one slice's grants only)
    if (waves_) {  // cut at the window's next bound, or widened up to it over idle quanta
      const uint64_t to_bound = wave_budget(~uint64_t{0});
      if (to_bound < slice) {
        slice = to_bound;
      } else if (widen_traced_ && idle_until_now_kept()) {
        slice = more_quanta(slice, to_bound);
      }
    }
    if (debug_hook_ && (slice = debug_hook_->before_slice(slice)) == 0) {
      exit_ = CoreExit::kKilled;
      break;
    }
    ++runs_from_thread_;
    StopReason reason = hart_.run(slice);
    settle_quanta();
    // A batched lockstep checker finishes its checks before anything may end the run.
    std::string failure;
    if (!memoizable_ && !decode->settle(&failure)) {
      hart_.fail(std::move(failure));
      reason = StopReason::kFatal;
    }
    flush_trace();
    if (debug_hook_) debug_hook_->after_slice(reason);
    if (reason == StopReason::kStopped) return;
    if (reason == StopReason::kFatal || !hart_.fatal_message().empty()) {  // incl. a trap storm
      exit_ = CoreExit::kFatal;
      break;
    }
    if (reason == StopReason::kBudget && spins_for_ever()) {
      hart_.fail("the program spins for ever at " + where(hart_) +
                 ": `j .` jumps to itself and V takes no interrupt (vstatus.ie or vtimectl.te is off), so "
                 "nothing can end the loop (picolibc's _exit without semihosting: docs/elf-loading.md, "
                 "\"When main returns\")");
      exit_ = CoreExit::kFatal;
      break;
    }
    if (need_sync() || reason == StopReason::kWfi || reason == StopReason::kSync) {
      sync(may_skip && reason != StopReason::kWfi);
      if (sync_hook.size() && sync_hook->stop_after_sync()) return;
    }
    if (reason == StopReason::kWfi) wait_for_interrupt();
  }
  catch_up();
  sc_core::sc_stop();
}

// The hart's untraced run spent its budget (it would return kBudget): what
// thread() would do next, without returning to it, when that is only to run
// the hart again. The instruction limit, and an end of the quantum that is not
// idle (the kernel has something due), return to thread(), which finds the
// same (nothing here changed anything before that). Otherwise, as thread() and
// sync(true): the next quantum begins here, and the next slice is its budget.
// (Under chain_slices_ there is no trace to flush, no waveform or debugger
// slice, no lockstep to settle, and the sync hook need not see idle ends.)
bool Core::next_slice(uint64_t* cycles, bool quiet) {
  if (!chain_slices_) return false;
  settle_quanta();
  if (config_.max_instructions && hart_.instret() >= config_.max_instructions) return false;
  const uint32_t pc = hart_.pc();
  if (pc == spin_pc_ && !(pc == not_spin_pc_ && hart_.code_epoch() == not_spin_epoch_)) {
    return false;  // (spinning, perhaps: thread() looks, spins_for_ever)
  }
  spin_pc_ = pc;
  if (!quiet) idle_known_ = false;
  if (need_sync()) {
    if (!idle_until_now_kept()) return false;
    start_quantum(hart_.cycle());
  }
  *cycles = budget();
  if (quiet) *cycles = more_quanta(*cycles);
  return true;
}

// next_slice's grant of `cycles` (to the current quantum's end), widened to
// the quanta after it whose ends would each find the kernel idle, as
// next_slice there would with the answers kept (idle_until_now_kept): the
// hart goes past those ends while it stays quiet (Hart::grant_quanta). With
// quanta of whole cycles each later one is quantum_cycles_ long and each end
// is a sync point (need_sync). Bounded, so a grant stays a few ms of host time,
// and to `limit` cycles from now (a trace window's next bound: the grant's
// quanta end at or before it, as the hart may stop at any of their ends).
uint64_t Core::more_quanta(uint64_t cycles, uint64_t limit) {
  constexpr uint64_t kMaxQuanta = 64;
  const uint64_t q = quantum_cycles_;
  if (!q || !idle_known_ || idle_horizon_ == 0) return cycles;
  const uint64_t first = hart_.cycle() + cycles;
  // The latest end, from synced_cycle_, that finds the kernel idle: period * it < idle_horizon_.
  const uint64_t room = (idle_horizon_ - 1) / config_.clock_period.value();
  if (first - synced_cycle_ > room) return cycles;
  uint64_t passable = std::min<uint64_t>(1 + (room - (first - synced_cycle_)) / q, kMaxQuanta);
  if (config_.max_instructions) {  // the limit stays beyond the grant: no end short of it is cut by it (budget())
    const uint64_t remaining = config_.max_instructions - hart_.instret();
    if (remaining < cycles + q) return cycles;
    passable = std::min(passable, (remaining - cycles) / q);
  }
  if (limit != ~uint64_t{0}) passable = std::min(passable, (limit - cycles) / q);  // (cycles <= limit)
  if (passable == 0) return cycles;
  const uint64_t end = first + passable * q;
  hart_.grant_quanta(first, q, end);
  return end - hart_.cycle();
}

// After a grant of several quanta (more_quanta): the quantum the hart is in
// began at the last of their ends it went past, as next_slice there would have begun it.
void Core::settle_quanta() {
  if (const uint64_t at = hart_.take_quanta_passed()) start_quantum(at);
}

// Once the pc is the same at two slice ends in a row (cheap: a spinning
// program's is), the word there and V's interrupt enables are read by debug
// transport. A timer interrupt V could still take may end the loop: not for
// ever. A word that is not `j .` is remembered with the hart's code epoch, so
// that a loop whose length divides the slices' keeps chaining them (next_slice).
bool Core::spins_for_ever() {
  constexpr uint32_t kJumpToSelf = 0x0000006F;  // jal x0, 0
  const uint32_t pc = hart_.pc();
  const bool again = pc == spin_pc_;
  spin_pc_ = pc;
  if (!again || debug_hook_ || hart_.modes().mode() != Mode::V) return false;
  uint32_t word = 0, vstatus = 0, vtimectl = 0;
  if (debug_access(tlm::TLM_READ_COMMAND, pc, reinterpret_cast<uint8_t*>(&word), 4) != 4) return false;
  if (word != kJumpToSelf) {
    not_spin_pc_ = pc, not_spin_epoch_ = hart_.code_epoch();
    return false;
  }
  if (!debug_csr(tlm::TLM_READ_COMMAND, spec::kCsrVstatus, &vstatus) ||
      !debug_csr(tlm::TLM_READ_COMMAND, spec::kCsrVtimectl, &vtimectl))
    return false;
  return !(vstatus & spec::kVstatusIeMask) || !(vtimectl & spec::kVtimectlTeMask);
}

// wfi in V: sleep until the timer line rises, counting the idle time as cycles.
void Core::wait_for_interrupt() {
  if (modes->irq_lines().timer_pending) return;
  in_wfi_ = true;
  const sc_core::sc_time before = sc_core::sc_time_stamp();
  wait(modes->wake_event());
  in_wfi_ = false;
  stamp_ = sc_core::sc_time_stamp().value();
  const uint64_t idle = static_cast<uint64_t>((sc_core::sc_time_stamp() - before) / config_.clock_period);
  hart_.add_cycles(idle);
  synced_cycle_ = hart_.cycle();
  quantum_cycle_ = synced_cycle_;  // local time restarts, the quantum's end stays (as tlm_quantumkeeper)
}

// The slice's records: text lines, and (inside the window) the waveform
// writer's events, each decision before the record of its cycle.
void Core::flush_trace() {
  if (insn_trace_) {
    for (const Retired& r : retired_) std::fprintf(insn_trace_, "%s\n", trace_line(r, trace_disasm_).c_str());
  }
  if (in_window_) {
    waves_->slice(retired_, decisions_, runs_);
    waves_->traced_until(hart_.cycle());
  } else if (runs_.code.size()) {
    hart_.forget_code_log();  // (the blocks' code logged here is dropped with the records)
  }
  if (waves_) waves_->slice_done();
  decisions_.clear();
  retired_.clear();
  runs_.clear();
}

std::string Core::failure_report() {
  return trimode::failure_report(hart_, [this](Mode mode, uint32_t pc, uint32_t* insn) {
    return debug_access(tlm::TLM_READ_COMMAND, pc, reinterpret_cast<uint8_t*>(insn), 4, mode) == 4;
  });
}

// ---- HartBus ----------------------------------------------------------------

Access Core::transport(Mode mode, tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t* data, bool watch) {
  if (watch && debug_hook_ && debug_hook_->watch_hit(mode, cmd == tlm::TLM_WRITE_COMMAND, addr, size)) {
    return Access::kWatch;  // not made: the hart stops before this access's instruction
  }
  tlm::tlm_generic_payload& gp = mem_gp_;  // reused: no allocation per access
  AccessExtension ext;
  ext.mode = mode;
  gp.set_extension(&ext);
  prepare(&gp, cmd, addr, data, size);
  const sc_core::sc_time offset = span(hart_.cycle() - synced_cycle_);
  sc_core::sc_time delay = offset;
  mem->b_transport(gp, delay);
  gp.clear_extension(&ext);
  if (delay > offset) hart_.add_cycles(static_cast<uint64_t>((delay - offset) / config_.clock_period));
  if (!gp.is_response_ok()) return ext.fault_to_v ? Access::kFaultToV : Access::kFault;
  // A write to a device (no DMI hint: not memory) may change interrupt lines
  // at this very time: synchronise before the next instruction.
  return cmd == tlm::TLM_WRITE_COMMAND && !gp.is_dmi_allowed() ? Access::kOkSync : Access::kOk;
}

Access Core::load(Mode mode, uint32_t addr, unsigned size, uint32_t* value) {
  // (No DMI granted so far, --no-dmi: the memory path grants no direct
  // reads either, and RAM's loads come here: none is asked for.)
  if (mode == Mode::V && !debug_hook_ && hart_.dmi_grants() != 0) {
    if (const DirectLoad* d = direct_load(addr, size); d->reader) {  // what the transaction would return, now
      *value = read_now(d->reader);
      return Access::kOk;
    }
  }
  *value = 0;
  return transport(mode, tlm::TLM_READ_COMMAND, addr, size, value);
}

// A fetch: load()'s, never refused by a debugger's watchpoint.
Access Core::fetch(Mode mode, uint32_t pc, uint32_t* insn) {
  // Not one transport(): without a debugger load() may answer by a direct read (V, DMI), no transaction, no latency.
  if (!debug_hook_) return load(mode, pc, 4, insn);
  *insn = 0;
  return transport(mode, tlm::TLM_READ_COMMAND, pc, 4, insn, false);
}

bool Core::watched(Mode mode, bool write, uint32_t addr, unsigned size) {
  return debug_hook_ && debug_hook_->watch_hit(mode, write, addr, size);
}

// A direct read load() asked for before: the block engine's device loads
// (HartBus::known_load), without the interpreter.
bool Core::known_load(Mode mode, uint32_t addr, unsigned size, uint32_t* value) {
  if (mode != Mode::V || debug_hook_) return false;
  const DirectLoad* d = known_direct_load(addr, size);
  if (!d || !d->reader) return false;
  *value = read_now(d->reader);
  return true;
}

// known_load's read as a plain function (HartBus::known_reader) when the
// direct read has a time form: the entry kept, read at the cycle's time.
HartBus::KnownReader Core::known_reader(Mode mode, uint32_t addr, unsigned size) {
  if (mode != Mode::V || debug_hook_) return {};
  const DirectLoad* d = known_direct_load(addr, size);
  if (!d || !d->reader.has_time()) return {};
  return {&Core::read_known, d};
}

uint32_t Core::read_known(const void* direct_load, uint64_t cycle) {
  const DirectLoad& d = *static_cast<const DirectLoad*>(direct_load);
  return static_cast<uint32_t>(d.reader.at_time(d.core->time_value(cycle)));
}

// The entry direct_load() keeps for (addr, size), or nullptr.
const Core::DirectLoad* Core::known_direct_load(uint32_t addr, unsigned size) const {
  for (const DirectLoad& d : direct_loads_) {
    if (d.addr == addr && d.size == size) return &d;
  }
  return nullptr;
}

// A direct read at the core's local time (the annotated delay of a load now;
// by the reader's time form, when it has one, at that time's value).
uint32_t Core::read_now(const regs::Reader& reader) const {
  if (reader.has_time()) return static_cast<uint32_t>(reader.at_time(time_value(hart_.cycle())));
  return static_cast<uint32_t>(reader(span(hart_.cycle() - synced_cycle_)));
}

// V's load of `size` bytes at addr: its direct read (regs::DirectRead), asked
// on first use and kept until DMI is invalidated; a denial is kept too
// (an empty reader: by transaction).
const Core::DirectLoad* Core::direct_load(uint32_t addr, unsigned size) {
  if (const DirectLoad* known = known_direct_load(addr, size)) return known;
  DirectLoad& d = direct_loads_[direct_load_next_++ % direct_loads_.size()];
  d = {addr, size, {}, this};
  hart_.known_readers_changed();  // a reader the hart kept may be this entry's
  tlm::tlm_generic_payload& gp = mem_gp_;
  AccessExtension ext;
  ext.mode = Mode::V;
  regs::DirectRead reader;
  gp.set_extension(&ext);
  gp.set_extension(&reader);
  prepare(&gp, tlm::TLM_READ_COMMAND, addr, nullptr, size);
  tlm::tlm_dmi dmi;
  if (!mem->get_direct_mem_ptr(gp, dmi)) d.reader = reader.reader();  // memory has DMI: its loads never come here but to refill it
  gp.clear_extension(&reader);
  gp.clear_extension(&ext);
  return &d;
}

Access Core::store(Mode mode, uint32_t addr, unsigned size, uint32_t value) {
  return transport(mode, tlm::TLM_WRITE_COMMAND, addr, size, &value);
}

bool Core::dmi(Mode mode, uint32_t addr, DmiWindow* window) {
  tlm::tlm_generic_payload& gp = mem_gp_;
  AccessExtension ext;
  ext.mode = mode;
  gp.set_extension(&ext);
  gp.set_address(addr);
  gp.set_command(tlm::TLM_READ_COMMAND);
  tlm::tlm_dmi dmi;
  const bool granted = mem->get_direct_mem_ptr(gp, dmi);
  gp.clear_extension(&ext);
  if (!granted || dmi.get_start_address() > 0xFFFFFFFFu) return false;
  window->start = static_cast<uint32_t>(dmi.get_start_address());
  window->end = static_cast<uint32_t>(std::min<sc_dt::uint64>(dmi.get_end_address(), 0xFFFFFFFFu));
  window->host = dmi.get_dmi_ptr();
  window->read = dmi.is_read_allowed();
  window->write = dmi.is_write_allowed();
  return !debug_hook_ || debug_hook_->allow_dmi(mode, addr, window);
}

// The CSR's direct access, asked from its bus on first use (a denial is
// remembered too: the register needs transactions).
const Core::CsrDirect& Core::csr_direct(uint16_t csr, tlm_utils::simple_initiator_socket<Core>& socket) {
  CsrDirect& d = csr_direct_[csr];
  if (d.asked) return d;
  d = CsrDirect{};
  d.asked = true;
  tlm::tlm_generic_payload& gp = csr_gp_;
  prepare(&gp, tlm::TLM_READ_COMMAND, csr, nullptr, 4);
  regs::DirectWrite writer;
  regs::DirectRead reader;
  gp.set_extension(&writer);
  gp.set_extension(&reader);
  tlm::tlm_dmi dmi;
  if (socket->get_direct_mem_ptr(gp, dmi) && dmi.get_start_address() <= csr && dmi.get_end_address() >= csr) {
    unsigned char* p = dmi.get_dmi_ptr() + (csr - dmi.get_start_address());
    if (dmi.is_read_allowed()) d.read = p;
    if (dmi.is_write_allowed()) d.write = p;
  }
  gp.clear_extension(&reader);
  gp.clear_extension(&writer);
  if (!d.write) d.writer = {writer.write, writer.reg};
  if (!d.read) d.reader = reader.reader();
  return d;
}

void Core::invalidate_csr_direct(sc_dt::uint64 start, sc_dt::uint64 end) {
  for (sc_dt::uint64 n = start; n <= end && n < csr_direct_.size(); ++n) csr_direct_[n] = CsrDirect{};
  hart_.csr_storage_changed();
}

// The register bus that serves the CSR (spec::kCsrBlockOf, generated from
// csrs.txt's block column); nullptr when no block behind a socket does.
tlm_utils::simple_initiator_socket<Core>* Core::csr_socket(uint16_t csr) {
  const spec::CsrBlock block = spec::csr_block(csr);
  if (block == spec::CsrBlock::kModereg) return &csr_modereg;
  if (block == spec::CsrBlock::kMemctl) return &csr_memctl;
  return nullptr;
}

void Core::csr_storage(uint16_t csr, uint8_t** read, uint8_t** write) {
  *read = *write = nullptr;
  if (tlm_utils::simple_initiator_socket<Core>* socket = csr_socket(csr)) {
    const CsrDirect& d = csr_direct(csr, *socket);
    *read = d.read;
    *write = d.write;
  }
}

CsrWriter Core::csr_writer(uint16_t csr) {
  tlm_utils::simple_initiator_socket<Core>* socket = csr_socket(csr);
  return socket ? csr_direct(csr, *socket).writer : CsrWriter{};
}

bool Core::csr_transport(tlm::tlm_command cmd, uint16_t csr, uint32_t* data) {
  tlm_utils::simple_initiator_socket<Core>* const socket = csr_socket(csr);
  if (!socket) return false;
  const CsrDirect& d = csr_direct(csr, *socket);
  if (unsigned char* p = cmd == tlm::TLM_READ_COMMAND ? d.read : d.write) {  // plain storage: no transaction
    cmd == tlm::TLM_READ_COMMAND ? std::memcpy(data, p, 4) : std::memcpy(p, data, 4);
    return true;
  }
  if (cmd == tlm::TLM_WRITE_COMMAND && d.writer.write) {  // the bank's direct write: no transaction
    d.writer.write(d.writer.owner, *data);
    return true;
  }
  if (cmd == tlm::TLM_READ_COMMAND && d.reader) {  // the bank's direct read: no transaction (zero delay, as below)
    *data = static_cast<uint32_t>(d.reader(sc_core::SC_ZERO_TIME));
    return true;
  }
  tlm::tlm_generic_payload& gp = csr_gp_;  // reused: no allocation per access
  prepare(&gp, cmd, csr, data, 4);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  (*socket)->b_transport(gp, delay);
  return gp.is_response_ok();
}

bool Core::debug_csr(tlm::tlm_command cmd, uint16_t csr, uint32_t* value) {
  tlm_utils::simple_initiator_socket<Core>* const socket = csr_socket(csr);
  if (!socket) return false;
  tlm::tlm_generic_payload gp;
  prepare(&gp, cmd, csr, value, 4);
  return (*socket)->transport_dbg(gp) == 4;
}

bool Core::csr_read(uint16_t csr, uint32_t* value) { return csr_transport(tlm::TLM_READ_COMMAND, csr, value); }

bool Core::csr_write(uint16_t csr, uint32_t value) { return csr_transport(tlm::TLM_WRITE_COMMAND, csr, &value); }

uint64_t Core::mtime() { return time->mtime_at(local_time()); }

// A memoizable classifier's answer does not depend on time (decode_if.hpp):
// it is spared the local-time arithmetic on every memo fill.
bool Core::decide(const DecodeRequest& request, Decision* out, std::string* failure) {
  const bool ok = decode->decide(request, memoizable_ ? sc_core::SC_ZERO_TIME : local_time(), out, failure);
  if (in_window_) decisions_.push_back({hart_.cycle(), *out});
  return ok;
}

// Block records: a memoizable classifier takes any number (its decisions
// are the memo's); a lockstep checker as many as its batch has room for.
unsigned Core::in_place_room() { return memoizable_ ? ~0u : decode->in_place_room(); }

// Instructions blocks ran in place: to the lockstep checker's batch (one
// time for the whole sequence, the first instruction's: time_value, as the
// hart runs inside the core's thread). Inside the waveform
// window their decisions (the reference's) go with their records (Retired::row).
bool Core::in_place(Mode mode, const IrqLines& irq, uint64_t cycle, const InPlaceRun* runs, unsigned count,
                    std::string* failure) {
  return memoizable_ ||
         decode->in_place({0, mode, irq, runs[0].pc}, runs, count, sc_core::sc_time::from_value(time_value(cycle)),
                          config_.clock_period, failure);
}

bool Core::reference_decision(const DecodeRequest& request, Decision* out) { return decode->reference_decision(request, out); }

unsigned Core::debug_access(tlm::tlm_command cmd, uint32_t addr, uint8_t* data, unsigned length, Mode mode) {
  tlm::tlm_generic_payload gp;
  AccessExtension ext;
  ext.mode = mode;
  gp.set_extension(&ext);
  prepare(&gp, cmd, addr, data, length);
  const unsigned n = mem->transport_dbg(gp);
  gp.clear_extension(&ext);
  if (cmd == tlm::TLM_WRITE_COMMAND && n) hart_.flush_decode();  // the bytes may be code
  return n;
}

void Core::invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) {
  direct_loads_.fill(DirectLoad{});
  hart_.invalidate_dmi();
}


// ---- checkpoint ----------------------------------------------------------------

void Core::save(StateWriter& w) const {
  w.begin("CORE");
  w.u64(synced_cycle_);
  w.u64(sc_core::sc_time_stamp().value());
  w.end();
  hart_.save(w);
}

void Core::restore(StateReader& r) {
  r.begin("CORE");
  synced_cycle_ = r.u64();
  resume_at_ = sc_core::sc_time::from_value(r.u64());
  r.end();
  hart_.restore(r);
  if (synced_cycle_ > hart_.cycle()) r.fail("synchronised beyond the current cycle");
}
}  // namespace trimode

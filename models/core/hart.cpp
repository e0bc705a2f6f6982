#include "models/core/hart.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <limits>

#include "models/core/rv_fields.hpp"

namespace trimode {

using spec::Mode;
using spec::Op;

namespace {

using rv::bits;
using rv::b_imm;
using rv::i_imm;
using rv::j_imm;
using rv::s_imm;
using rv::u_imm;

unsigned mode_index(Mode m) { return static_cast<unsigned>(m); }

// The operations that are more than one C++ operator, shared by the
// interpreter and the block engine.
int32_t s32(uint32_t v) { return static_cast<int32_t>(v); }
uint32_t slt(uint32_t a, uint32_t b) { return s32(a) < s32(b); }
uint32_t sra(uint32_t a, uint32_t b) { return static_cast<uint32_t>(s32(a) >> (b & 31)); }
uint32_t mulh(uint32_t a, uint32_t b) { return static_cast<uint32_t>((int64_t{s32(a)} * int64_t{s32(b)}) >> 32); }
uint32_t mulhsu(uint32_t a, uint32_t b) { return static_cast<uint32_t>((int64_t{s32(a)} * static_cast<int64_t>(b)) >> 32); }
uint32_t mulhu(uint32_t a, uint32_t b) { return static_cast<uint32_t>((uint64_t{a} * uint64_t{b}) >> 32); }
bool div_overflow(uint32_t a, uint32_t b) { return s32(a) == std::numeric_limits<int32_t>::min() && s32(b) == -1; }
uint32_t div(uint32_t a, uint32_t b) { return b == 0 ? ~0u : div_overflow(a, b) ? a : static_cast<uint32_t>(s32(a) / s32(b)); }
uint32_t divu(uint32_t a, uint32_t b) { return b == 0 ? ~0u : a / b; }
uint32_t rem(uint32_t a, uint32_t b) { return b == 0 ? a : div_overflow(a, b) ? 0 : static_cast<uint32_t>(s32(a) % s32(b)); }
uint32_t remu(uint32_t a, uint32_t b) { return b == 0 ? a : a % b; }
template <typename T>
uint32_t read_as(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return static_cast<uint32_t>(v);
}
template <typename T>
void write_as(uint8_t* p, uint32_t value) {
  const T v = static_cast<T>(value);
  std::memcpy(p, &v, sizeof(T));
}

// x rotated right by n (0 < n < 32): for an offset, its low n bits (the
// misalignment of an access of 2^n bytes) move to the top, so one unsigned
// compare tests alignment and range together.
uint32_t rotr(uint32_t x, unsigned n) { return x >> n | x << (32 - n); }

constexpr unsigned kPageShift = 12;
uintptr_t host_page(const uint8_t* p) { return reinterpret_cast<uintptr_t>(p) >> kPageShift; }

constexpr uint32_t kOpcodeLoad = 0x03, kOpcodeStore = 0x23;  // the major opcodes of loads and stores
// A load into x0: it writes nothing (its traced value is 0).
bool load_into_x0(uint32_t word) { return (word & 0x7F) == kOpcodeLoad && (word >> 7 & 31) == 0; }
// By major opcode: 'l' a load, 's' a store, else 0.
struct AccessKinds {
  char of[128];
  constexpr AccessKinds() : of() {
    of[kOpcodeLoad] = 'l';
    of[kOpcodeStore] = 's';
  }
};
constexpr AccessKinds kAccessKinds;

}  // namespace

RunRecords::AccessMask RunRecords::access_mask(const uint32_t* words, unsigned n) {
  AccessMask m{0, 0};
  for (unsigned k = 0; k < n; ++k) {
    m.all |= uint64_t{kAccessKinds.of[words[k] & 0x7F] != 0} << k;
    m.to_x0 |= uint64_t{load_into_x0(words[k])} << k;
  }
  return m;
}

namespace {

// 'l' for a load, 's' for a store, 0 otherwise (for the trace).
char memory_access(Op op) {
  switch (op) {
    case Op::kLb: case Op::kLh: case Op::kLw: case Op::kLbu: case Op::kLhu: return 'l';
    case Op::kSb: case Op::kSh: case Op::kSw: return 's';
    default: return 0;
  }
}

}  // namespace

Hart::Hart(HartBus& bus, ModeControl& modes, HartConfig config)
    : blocks_(kBlocks),
      bus_(bus),
      modes_(modes),
      config_(config),
      memo_storage_(kMemoSize, blank()),
      memo_(memo_storage_.data()) {
  uops_.reserve(kMaxUops);
  if (!handlers_[0]) {
    Block* none = nullptr;
    unsigned exit = 0;
    uint32_t pc = 0;
    run_block<false>(none, nullptr, exit, pc, 0);
    run_block<true>(none, nullptr, exit, pc, 0);
  }
}

const void* const* Hart::handlers_[2] = {nullptr, nullptr};

// Word 0 (illegal) with no mode known to execute it: a correct entry for any
// slot, since a word outside exec_modes has its decision asked for.
Hart::Decoded Hart::blank() { return Decoded{}; }

Hart::Decoded Hart::decode(uint32_t insn) {
  Decoded d;
  d.insn = insn;
  d.row = match_row(insn);
  d.op = d.row == kNoRow ? Op::kIllegal : spec::kRowOp[d.row];
  d.rd = bits(insn, 11, 7);
  d.rs1 = bits(insn, 19, 15);
  d.rs2 = bits(insn, 24, 20);
  // Which modes execute the word in place, from the classifier's reference
  // (a memoizable classifier itself; a lockstep checker's reference, never
  // its device under check; none: nothing is known, the decision is asked).
  // Not a decision of an instruction: a trace does not show it. With
  // every_insn_ and no block records the memo's answer is never used.
  for (unsigned m = 0; m < 3 && (!every_insn_ || block_records_); ++m) {
    Decision r;
    if (bus_.reference_decision({insn, static_cast<Mode>(m), {}, 0}, &r) && r.action == spec::Action::kExec) d.exec_modes |= 1u << m;
  }
  switch (d.op) {
    case Op::kBeq: case Op::kBne: case Op::kBlt: case Op::kBge: case Op::kBltu: case Op::kBgeu:
    case Op::kSb: case Op::kSh: case Op::kSw: case Op::kFence: case Op::kFenceI:
    case Op::kEcall: case Op::kEbreak: case Op::kVcall: case Op::kExit: case Op::kWfi: case Op::kIllegal:
      d.writes_rd = false; break;
    default: d.writes_rd = true; break;
  }
  switch (d.op) {
    case Op::kLui: case Op::kAuipc: d.imm = u_imm(insn); break;
    case Op::kJal: d.imm = j_imm(insn); break;
    case Op::kBeq: case Op::kBne: case Op::kBlt: case Op::kBge: case Op::kBltu: case Op::kBgeu:
      d.imm = b_imm(insn); break;
    case Op::kSb: case Op::kSh: case Op::kSw: d.imm = s_imm(insn); break;
    case Op::kCsrrw: case Op::kCsrrs: case Op::kCsrrc: case Op::kCsrrwi: case Op::kCsrrsi: case Op::kCsrrci:
      d.imm = static_cast<int32_t>(insn >> 20); break;
    default: d.imm = i_imm(insn); break;
  }
  return d;
}

const Hart::Decoded& Hart::lookup(uint32_t pc, uint32_t insn) {
  // High pc bits folded in: U code (from 0) and G/V code (from 0x80000000) at
  // the same offsets do not evict each other's entries on every trap.
  Decoded& e = memo_[((pc >> 2) ^ (pc >> 18)) & (kMemoSize - 1)];
  if (e.insn != insn) e = decode(insn);
  return e;
}

void Hart::flush_decode() {
  std::fill(memo_storage_.begin(), memo_storage_.end(), blank());
  fence_i();
}

// fence.i: code may have changed, so every block is dropped (and strict
// fence.i's record of stored-to code); the decode memo stays: each entry is
// tagged by its word and decodes it for any code (a program load's fence.i
// no longer decodes the kernel's and the hypervisor's code again).
void Hart::fence_i() {
  flush_blocks();
  code_pages_.clear();
  unfenced_.clear();
}

void Hart::invalidate_dmi() {
  for (auto& ws : dmi_) ws.fill(DmiWindow{});
  for (auto& d : denied_) d.fill(0);
  drop_hot();
  ++link_gen_;  // a link may lead to code now mapped elsewhere
  known_readers_changed();
}

// ---- memory -------------------------------------------------------------------

DmiWindow* Hart::window(uint32_t addr, unsigned size, bool write) {
  for (DmiWindow& w : dmi_[mode_index(current_mode())]) {
    if (addr >= w.start && addr <= w.end && w.end - addr >= size - 1 && (write ? w.write : w.read)) return &w;
  }
  return nullptr;
}

// A DMI denial holds until the next invalidation: the memory controller
// invalidates on every change of the map (segment tables, vmid, gbase,
// gbound), and devices never grant DMI.
bool Hart::refill(uint32_t addr, unsigned size, bool write, DmiWindow** out) {
  quiet_ = false;  // a DMI request
  const unsigned m = mode_index(current_mode());
  const uint32_t page = (addr >> kPageShift) + 1;
  for (uint32_t d : denied_[m]) {
    if (d == page) return false;
  }
  DmiWindow w;
  if (!bus_.dmi(current_mode(), addr, &w)) {
    denied_[m][denied_next_[m]] = page;
    denied_next_[m] = (denied_next_[m] + 1) % kDenials;
    return false;
  }
  if (!(addr >= w.start && addr <= w.end && w.end - addr >= size - 1 && (write ? w.write : w.read))) return false;
  if (w.end - w.start < 3 || !w.host) return false;  // too small for the hot path's arithmetic
  ++dmi_grants_;
  DmiWindow& slot = dmi_[m][dmi_next_[m]];
  dmi_next_[m] = (dmi_next_[m] + 1) % kWindows;
  slot = w;
  *out = &slot;
  return true;
}

// An access answered Access::kWatch: the instruction fails as a trapping
// one would, and step() stops before it instead of entering a trap. False.
bool Hart::watch_stop() {
  watch_hit_ = true;
  return false;
}

void Hart::access_fault(Access a, uint32_t cause, uint32_t addr) {
  if (a == Access::kFaultToV) {
    raise_to(Mode::V, 0, cause, addr);
  } else {
    raise(cause, addr);
  }
}

inline bool Hart::fetch(uint32_t pc, uint32_t* insn) {
  if (uint8_t* p = hot(kHotFetch, pc)) {
    std::memcpy(insn, p, 4);
    return true;
  }
  return fetch_slow(pc, insn);
}

bool Hart::refill_fetch(uint32_t pc) {
  switch_hot();
  DmiWindow* w = window(pc, 4, false);
  if (!w && !refill(pc, 4, false, &w)) return false;
  set_hot(kHotFetch, *w);
  return true;
}

bool Hart::fetch_slow(uint32_t pc, uint32_t* insn) {
  if (refill_fetch(pc)) {
    std::memcpy(insn, hot(kHotFetch, pc), 4);
    return true;
  }
  const Access a = bus_.fetch(current_mode(), pc, insn);
  if (a == Access::kOk || a == Access::kOkSync) return true;
  access_fault(a, spec::kCauseInsnAccessFault, pc);
  return false;
}

template <typename T>
inline bool Hart::load(uint32_t addr, uint32_t* value) {
  if (addr & (sizeof(T) - 1)) {
    if (config_.emulate_misaligned) return load_misaligned<T>(addr, value);
    raise(spec::kCauseLoadMisaligned, addr);
    return false;
  }
  if (uint8_t* p = hot(kHotLoad, addr)) {
    *value = read_as<T>(p);
    return true;
  }
  return load_slow<T>(addr, value);
}

template <typename T>
bool Hart::load_slow(uint32_t addr, uint32_t* value) {
  switch_hot();
  DmiWindow* w = window(addr, sizeof(T), false);
  if (w || refill(addr, sizeof(T), false, &w)) {
    set_hot(kHotLoad, *w);
    *value = read_as<T>(w->host + (addr - w->start));
    return true;
  }
  uint32_t raw = 0;
  const Access a = bus_.load(current_mode(), addr, sizeof(T), &raw);
  if (a == Access::kWatch) return watch_stop();
  if (stop_requested_) return false;
  if (a != Access::kOk && a != Access::kOkSync) {
    access_fault(a, spec::kCauseLoadAccessFault, addr);
    return false;
  }
  *value = static_cast<uint32_t>(static_cast<T>(raw));
  return true;
}

// HartConfig::emulate_misaligned: one byte access per byte, lowest address
// first, each checked like any other access. A fault part-way leaves the
// bytes before it stored, which the privileged spec allows for misaligned
// accesses; tval is the faulting byte's address. A watchpoint on any of the
// bytes stops before the first (HartBus::watched).
template <typename T>
bool Hart::load_misaligned(uint32_t addr, uint32_t* value) {
  if (bus_.watched(current_mode(), false, addr, sizeof(T))) return watch_stop();
  uint32_t v = 0;
  for (uint32_t i = 0; i < sizeof(T); ++i) {
    uint32_t byte = 0;
    if (!load_slow<uint8_t>(addr + i, &byte)) return false;
    v |= byte << (8 * i);
  }
  *value = static_cast<uint32_t>(static_cast<T>(v));
  return true;
}

template <typename T>
Hart::Step Hart::store_misaligned(uint32_t addr, uint32_t value) {
  if (bus_.watched(current_mode(), true, addr, sizeof(T))) return watch_stop(), Step::kTrap;
  Step step = Step::kNext;
  for (uint32_t i = 0; i < sizeof(T); ++i) {
    const Step s = store_slow<uint8_t>(addr + i, value >> (8 * i));
    if (s == Step::kTrap) return s;
    if (s == Step::kSync) step = s;
  }
  return step;
}

template <typename T>
inline Hart::Step Hart::store(uint32_t addr, uint32_t value) {
  if (addr & (sizeof(T) - 1)) {
    if (config_.emulate_misaligned) return store_misaligned<T>(addr, value);
    raise(spec::kCauseStoreMisaligned, addr);
    return Step::kTrap;
  }
  if (uint8_t* p = hot(kHotStore, addr)) {  // never a page holding decoded code
    write_as<T>(p, value);
    return Step::kNext;
  }
  return store_slow<T>(addr, value);
}

template <typename T>
Hart::Step Hart::store_slow(uint32_t addr, uint32_t value) {
  switch_hot();
  DmiWindow* w = window(addr, sizeof(T), true);
  if (w || refill(addr, sizeof(T), true, &w)) {
    uint8_t* p = w->host + (addr - w->start);
    if (is_code(p)) code_written(p);
    write_as<T>(p, value);
    set_hot_store(*w, addr);
    return Step::kNext;
  }
  const Access a = bus_.store(current_mode(), addr, sizeof(T), value);
  if (a == Access::kWatch) return watch_stop(), Step::kTrap;
  if (stop_requested_) return Step::kTrap;
  if (a == Access::kOkSync) return Step::kSync;
  if (a != Access::kOk) {
    access_fault(a, spec::kCauseStoreAccessFault, addr);
    return Step::kTrap;
  }
  // Memory written without a host pointer: it may hold decoded code.
  if (!code_pages_.empty()) flush_blocks();
  return Step::kNext;
}

// The hot store window: w around addr, less every page holding decoded code,
// so the fast store path needs no code check.
void Hart::set_hot_store(const DmiWindow& w, uint32_t addr) {
  const uintptr_t page = host_page(w.host + (addr - w.start));
  int64_t lo = w.start, hi = int64_t{w.end} + 1;  // guest addresses, [lo, hi)
  const auto guest = [&](uintptr_t host_page_number) {
    return int64_t{w.start} + static_cast<int64_t>((host_page_number << kPageShift) - reinterpret_cast<uintptr_t>(w.host));
  };
  auto above = code_pages_.upper_bound(page);
  if (above != code_pages_.end()) hi = std::min(hi, guest(*above));
  if (above != code_pages_.begin()) {
    const uintptr_t below = *std::prev(above);
    if (below == page) return;  // a code page: stores there take this path
    lo = std::max(lo, guest(below + 1));
  }
  if (hi - lo < 4) return;
  (*hot_)[kHotStore] = {static_cast<uint64_t>(lo), static_cast<uint64_t>(hi - lo - 4), w.host + (lo - w.start)};
}

// ---- traps ----------------------------------------------------------------------

// The fetch at V's vector failed: the trap that led there, or that none did.
std::string Hart::no_vector_message(uint32_t vector) const {
  const FlowHistory::LastTrap& t = history_.last_trap();
  char buf[256];
  if (!t.valid) {
    std::snprintf(buf, sizeof buf, "V's trap vector (vtvec 0x%08x) is not executable", vector);
  } else {
    std::snprintf(buf, sizeof buf,
                  "a trap into V found no executable trap vector (vtvec 0x%08x): %s (0x%x) from %s at pc 0x%08x, "
                  "tval 0x%08x (set vtvec to a handler; see docs/debugging.md)",
                  vector, cause_name(t.cause), t.cause, mode_name(t.from), t.pc, t.tval);
  }
  return buf;
}

void Hart::raise(uint32_t cause, uint32_t tval) { raise_to(exception_owner(current_mode()), 0, cause, tval); }

void Hart::raise_to(Mode target, spec::Kind kind, uint32_t cause, uint32_t tval) { trap_ = {target, kind, cause, tval}; }

uint32_t Hart::apply_trap(uint32_t pc, unsigned decoded) {
  // Trap-storm detector: a trap vector that itself traps would loop forever
  // without retiring anything (and so without reaching --max-instructions).
  if (instret() != storm_instret_) {
    storm_instret_ = instret();
    storm_traps_ = 0;
  } else if (++storm_traps_ >= config_.trap_storm && fatal_.empty()) {
    char at[16];
    std::snprintf(at, sizeof at, "0x%08x", static_cast<unsigned>(pc));
    fatal_ = "trap storm: " + std::to_string(storm_traps_) + " traps in a row without a retired instruction (last: " +
             cause_name(trap_.cause) + " at " + at + ")";
  }
  if (every_insn_ && trap_.event == spec::Event::kFault) time_fault(pc, decoded);
  const uint64_t taken = cycle_;
  charge(trap_.event, trap_.cycles, 0);
  const Mode from = current_mode();
  const uint32_t vector = modes_.enter(trap_.target, trap_.kind, trap_.cause, trap_.tval, pc);
  switch_hot();
  record_trap(Retired::What::kTrap, from, pc, vector, trap_.cause, trap_.tval, taken);
  return vector;
}

// A fault the core raised, through the classifier (under --cosim: the trap
// unit writes its frame, and its cycles are charged). A classifier that stops
// the run leaves fatal_ set; the next instruction's ask stops it. An
// instruction that was decoded and then faulted (a load, a store, a jump, a
// CSR the register refused) had its own request answered first, `decoded`
// cycles from this one: the fault is asked when that answer is in (the unit
// takes one request per edge, and its clock is the core's), and the event is
// charged both (the core waited for both answers).
void Hart::time_fault(uint32_t pc, unsigned decoded) {
  DecodeRequest r;
  r.what = DecodeRequest::What::kFault;
  r.mode = current_mode();
  r.pc = pc;
  r.fault_target = trap_.target;
  r.fault_cause = trap_.cause;
  r.tval = trap_.tval;
  Decision d;
  cycle_ += decoded;  // (the request's time)
  const bool answered = bus_.decide(r, &d, &fatal_);
  cycle_ -= decoded;
  if (answered) trap_.cycles = static_cast<uint8_t>(decoded + d.cycles);
}

void Hart::charge(spec::Event e, uint32_t rtl, unsigned retires) {
  EventTiming& t = timing_[static_cast<unsigned>(e)];
  const uint32_t estimate = spec::kEvents[static_cast<unsigned>(e)].tlm_cycles;
  const uint32_t cycles = std::max<uint32_t>(rtl ? rtl : estimate, retires);
  ++t.count;
  t.tlm_cycles += estimate;
  t.charged += cycles;
  if (rtl) {
    t.rtl_min = t.rtl_count ? std::min(t.rtl_min, rtl) : rtl;
    t.rtl_max = std::max(t.rtl_max, rtl);
    ++t.rtl_count;
    t.rtl_cycles += rtl;
  }
  stall(cycles - retires);
}

void Hart::record_trap(Retired::What what, Mode from, uint32_t pc, uint32_t vector, uint32_t cause, uint32_t tval,
                       uint64_t taken) {
  const Mode to = current_mode();
  history_.event(what == Retired::What::kTrap ? FlowHistory::Event::kTrap : FlowHistory::Event::kInterrupt, pc,
                 vector, from, to, cause, tval);
  if (trace_) {
    Retired r;
    r.what = what;
    r.mode = from;
    r.pc = pc;
    r.target = to;
    r.cause = cause;
    r.tval = tval;
    r.vector = vector;
    r.cycle = cycle_;
    r.value = static_cast<uint32_t>(cycle_ - taken);
    trace_->push_back(r);
  }
}

Hart::Step Hart::apply_decision(const Decision& d, uint32_t insn) {
  if (d.action == spec::Action::kExec) return Step::kNext;
  // A trapping instruction's tval is the instruction word (as RISC-V's
  // illegal-instruction tval), so the owner can emulate it.
  raise_to(d.target, d.kind, d.cause, insn);
  trap_.event = d.target == Mode::G ? spec::Event::kTrapG : spec::Event::kTrapV;
  trap_.cycles = d.cycles;
  return Step::kTrap;
}

// The classifier's decision for a word with no interrupt pending (the memo's
// question; a memoizable classifier never fails, see decode_if.hpp).
Decision Hart::decision(uint32_t insn, Mode mode, uint32_t pc) {
  Decision d;
  bus_.decide({insn, mode, {}, pc}, &d, &fatal_);
  return d;
}

// The interrupt the classifier takes before any instruction in `mode`, asked
// through the bus only while a line is up, as an interrupt query (a timed
// classifier acts only on a taken interrupt). Word 0 stands for "no instruction"
// (interrupts come first in the classifier's priority chain, and 0 executes
// nowhere). A classifier that stops the run (only one asked about every
// instruction can) leaves fatal_ set, and the next instruction's ask stops it.
// Untraced (a memoizable classifier, and no decision is recorded), the
// answer is asked once per (mode, lines): a memoizable classifier's
// interrupt query is a pure function of them (decode_if.hpp).
bool Hart::interrupt(Mode mode, uint32_t pc, Decision* irq) {
  const IrqLines lines = irq_lines();
  if (!lines.timer_pending && !lines.virtual_pending) return false;
  IrqMemo* memo = nullptr;
  if (!traced_) {
    memo = &irq_memo_[mode_index(mode) << 4 | lines.timer_pending | lines.virtual_pending << 1 | lines.v_ie << 2 |
                      lines.g_ie << 3];
    if (memo->known) {
      *irq = memo->decision;
      return memo->taken;
    }
  }
  if (!bus_.decide({0, mode, lines, pc, DecodeRequest::What::kIrqQuery}, irq, &fatal_)) return false;
  const bool taken = irq->action == spec::Action::kTrap && (irq->cause >> 31) != 0;  // interrupts set bit 31 (spec/causes.txt)
  if (memo) *memo = {true, taken, *irq};
  return taken;
}

// ---- execution -------------------------------------------------------------------

Hart::Step Hart::branch(const Decoded& d, bool taken, uint32_t pc, uint32_t& next_pc) {
  if (!taken) return Step::kNext;
  return jump(pc + d.imm, 0, pc, next_pc);
}

Hart::Step Hart::jump(uint32_t target, unsigned rd, uint32_t pc, uint32_t& next_pc) {
  if (target & 3) {
    raise(spec::kCauseInsnMisaligned, target);
    return Step::kTrap;
  }
  x_[rd] = pc + 4;
  next_pc = target;
  history_.jump(pc, target);
  return Step::kNext;
}

bool Hart::csr_read(uint16_t csr, uint32_t* value) {
  switch (csr) {
    case spec::kCsrCycle: *value = static_cast<uint32_t>(cycle_); return true;
    case spec::kCsrCycleh: *value = static_cast<uint32_t>(cycle_ >> 32); return true;
    case spec::kCsrInstret: *value = static_cast<uint32_t>(instret()); return true;
    case spec::kCsrInstreth: *value = static_cast<uint32_t>(instret() >> 32); return true;
    case spec::kCsrTime: *value = static_cast<uint32_t>(bus_.mtime()); return true;
    case spec::kCsrTimeh: *value = static_cast<uint32_t>(bus_.mtime() >> 32); return true;
    default: return bus_.csr_read(csr, value);
  }
}

bool Hart::csr_write(uint16_t csr, uint32_t value) { return bus_.csr_write(csr, value); }

namespace {
bool csr_imm_form(Op op) { return op == Op::kCsrrwi || op == Op::kCsrrsi || op == Op::kCsrrci; }
// Does the csrr* instruction write its CSR? (csrrs/csrrc with x0 or 0 only read it.)
bool csr_writes(Op op, unsigned rs1) { return op == Op::kCsrrw || op == Op::kCsrrwi || rs1 != 0; }
// Does it read its CSR? csrrw/csrrwi with rd x0 (`to_x0`) do not (RISC-V).
bool csr_reads(Op op, bool to_x0) { return !(to_x0 && (op == Op::kCsrrw || op == Op::kCsrrwi)); }
// The value a writing csrr* instruction stores: src, or old with src's bits set or cleared.
uint32_t csr_new_value(Op op, uint32_t old, uint32_t src) {
  switch (op) {
    case Op::kCsrrs: case Op::kCsrrsi: return old | src;
    case Op::kCsrrc: case Op::kCsrrci: return old & ~src;
    default: return src;
  }
}
// A CSR micro-op's imm: csr | op << 16, and kCsrPlain when the CSR is plain storage (Hart::to_plain_csr).
constexpr uint32_t kCsrPlain = 1u << 31;
Op csr_uop_op(uint32_t imm) { return static_cast<Op>((imm & ~kCsrPlain) >> 16); }
}  // namespace

// The access of a csrr* instruction (op) to csr with source value src: reads
// it into old, then writes it when `write`. False when the CSR refused either
// (the caller raises illegal instruction). csrrw/csrrwi with rd x0 (`to_x0`)
// do not read (as RISC-V says): no read here has an effect, and a CSR that
// refuses a read refuses the write too, so only the time it takes changes.
bool Hart::csr_access(Op op, uint16_t csr, uint32_t src, bool write, uint32_t* old, bool to_x0) {
  if (csr_reads(op, to_x0) && !csr_read(csr, old)) return false;
  if (!write) return true;
  return csr_write(csr, csr_new_value(op, *old, src));
}

Hart::Step Hart::csr_op(const Decoded& d) {
  const uint16_t csr = static_cast<uint16_t>(d.imm & 0xFFF);
  const uint32_t src = csr_imm_form(d.op) ? d.rs1 : x_[d.rs1];
  const bool write = csr_writes(d.op, d.rs1);
  uint32_t old = 0;
  if (!csr_access(d.op, csr, src, write, &old, d.rd == 0)) {
    raise(spec::kCauseIllegalInsn, d.insn);
    return Step::kTrap;
  }
  x_[d.rd] = old;
  if (write) charge(spec::Event::kCsrWrite, take_insn_cycles(), 1);
  // A CSR write may change interrupt enables, the memory map or the mode's windows.
  return write ? Step::kBreak : Step::kNext;
}

// A CSR micro-op (kUCsrRead, kUCsrWrite): the access and rd, as csr_op;
// false, with nothing changed but a refused access, when the CSR refused it
// (the interpreter then runs the instruction again and traps). A CSR that is
// plain storage (kCsrPlain) is read and written in place, or written by its
// owner's direct write.
bool Hart::csr_uop(const Uop& u) {
  if (!(u.imm & kCsrPlain)) return csr_uop_by_bus(u);
  // Its storage, or its owner's direct write.
  const CsrStorage& c = csr_storage_[u.imm & 0xFFF];
  const Op op = csr_uop_op(u.imm);
  uint32_t old = 0;
  if (c.read) std::memcpy(&old, c.read, 4);  // no read has an effect: read even when csrrw's rd is x0
  if (!csr_writes(op, u.rs1)) {
    x_[u.rd] = old;
    return true;
  }
  const uint32_t value = csr_new_value(op, old, csr_imm_form(op) ? u.rs1 : x_[u.rs1]);
  if (c.write) {
    std::memcpy(c.write, &value, 4);
  } else {
    c.writer.write(c.writer.owner, value);  // its owner's write, side effects included
  }
  x_[u.rd] = old;
  charge(spec::Event::kCsrWrite, take_insn_cycles(), 1);  // as csr_op: its stalls go to cycle_
  return true;
}

// csr_uop through the bus (csr_read / csr_write): a CSR that is not plain.
bool Hart::csr_uop_by_bus(const Uop& u) {
  const Op op = csr_uop_op(u.imm);
  uint32_t old = 0;
  const uint32_t src = csr_imm_form(op) ? u.rs1 : x_[u.rs1];
  const bool write = csr_writes(op, u.rs1);
  if (!csr_access(op, static_cast<uint16_t>(u.imm & 0xFFF), src, write, &old, u.rd == 32)) return false;
  x_[u.rd] = old;
  if (write) charge(spec::Event::kCsrWrite, take_insn_cycles(), 1);  // as csr_op: its stalls go to cycle_
  return true;
}

Hart::Step Hart::execute_system(const Decoded& d, uint32_t pc, uint32_t& next_pc) {
  switch (d.op) {
    case Op::kExit: {
      charge(spec::Event::kExit, take_insn_cycles(), 1);
      const Mode from = current_mode();
      next_pc = modes_.exit(pc);
      history_.event(FlowHistory::Event::kExit, pc, next_pc, from, current_mode(), 0, 0);
      switch_hot();
      return Step::kBreak;
    }
    case Op::kWfi: {
      const IrqLines l = modes_.irq_lines();
      return (l.timer_pending || l.virtual_pending) ? Step::kNext : Step::kWfi;
    }
    case Op::kFence: return Step::kNext;
    case Op::kFenceI: fence_i(); return Step::kNext;
    case Op::kCsrrw: case Op::kCsrrs: case Op::kCsrrc: case Op::kCsrrwi: case Op::kCsrrsi: case Op::kCsrrci:
      return csr_op(d);
    default: return Step::kUnknown;  // ecall, ebreak, vcall always trap (the classifier); the rest are execute()'s
  }
}

inline Hart::Step Hart::execute(const Decoded& d, uint32_t pc, uint32_t& next_pc) {
  uint32_t* x = x_.data();
  const uint32_t a = x[d.rs1];
  const uint32_t b = x[d.rs2];
  const uint32_t imm = static_cast<uint32_t>(d.imm);
  uint32_t& rd = x[d.rd];
  switch (d.op) {
    case Op::kLui: rd = imm; break;
    case Op::kAuipc: rd = pc + imm; break;
    case Op::kJal: return jump(pc + imm, d.rd, pc, next_pc);
    case Op::kJalr: return jump((a + imm) & ~1u, d.rd, pc, next_pc);
    case Op::kBeq: return branch(d, a == b, pc, next_pc);
    case Op::kBne: return branch(d, a != b, pc, next_pc);
    case Op::kBlt: return branch(d, slt(a, b), pc, next_pc);
    case Op::kBge: return branch(d, !slt(a, b), pc, next_pc);
    case Op::kBltu: return branch(d, a < b, pc, next_pc);
    case Op::kBgeu: return branch(d, a >= b, pc, next_pc);
    case Op::kLb: { uint32_t v; if (!load<int8_t>(a + imm, &v)) return Step::kTrap; rd = v; break; }
    case Op::kLh: { uint32_t v; if (!load<int16_t>(a + imm, &v)) return Step::kTrap; rd = v; break; }
    case Op::kLw: { uint32_t v; if (!load<uint32_t>(a + imm, &v)) return Step::kTrap; rd = v; break; }
    case Op::kLbu: { uint32_t v; if (!load<uint8_t>(a + imm, &v)) return Step::kTrap; rd = v; break; }
    case Op::kLhu: { uint32_t v; if (!load<uint16_t>(a + imm, &v)) return Step::kTrap; rd = v; break; }
    case Op::kSb: return store<uint8_t>(a + imm, b);
    case Op::kSh: return store<uint16_t>(a + imm, b);
    case Op::kSw: return store<uint32_t>(a + imm, b);
    case Op::kAddi: rd = a + imm; break;
    case Op::kSlti: rd = slt(a, imm); break;
    case Op::kSltiu: rd = a < imm; break;
    case Op::kXori: rd = a ^ imm; break;
    case Op::kOri: rd = a | imm; break;
    case Op::kAndi: rd = a & imm; break;
    case Op::kSlli: rd = a << d.rs2; break;
    case Op::kSrli: rd = a >> d.rs2; break;
    case Op::kSrai: rd = sra(a, d.rs2); break;
    case Op::kAdd: rd = a + b; break;
    case Op::kSub: rd = a - b; break;
    case Op::kSll: rd = a << (b & 31); break;
    case Op::kSlt: rd = slt(a, b); break;
    case Op::kSltu: rd = a < b; break;
    case Op::kXor: rd = a ^ b; break;
    case Op::kSrl: rd = a >> (b & 31); break;
    case Op::kSra: rd = sra(a, b); break;
    case Op::kOr: rd = a | b; break;
    case Op::kAnd: rd = a & b; break;
    case Op::kMul: rd = a * b; break;
    case Op::kMulh: rd = mulh(a, b); break;
    case Op::kMulhsu: rd = mulhsu(a, b); break;
    case Op::kMulhu: rd = mulhu(a, b); break;
    case Op::kDiv: rd = div(a, b); break;
    case Op::kDivu: rd = divu(a, b); break;
    case Op::kRem: rd = rem(a, b); break;
    case Op::kRemu: rd = remu(a, b); break;
    default: return execute_system(d, pc, next_pc);
  }
  return Step::kNext;
}

bool Hart::has_handler(Op op) {
  // Run it on a scratch hart: the interpreter answers kUnknown for an op it does not know.
  struct Modes : ModeControl {
    Mode mode() const override { return Mode::V; }
    IrqLines irq_lines() const override { return {}; }
    uint32_t enter(Mode, spec::Kind, uint32_t, uint32_t, uint32_t) override { return 0; }
    uint32_t exit(uint32_t) override { return 0; }
    uint32_t trap_vector(Mode) const override { return 0; }
  } modes;
  struct NoBus : HartBus {
    Access load(Mode, uint32_t, unsigned, uint32_t* v) override { *v = 0; return Access::kOk; }
    Access store(Mode, uint32_t, unsigned, uint32_t) override { return Access::kOk; }
    bool dmi(Mode, uint32_t, DmiWindow*) override { return false; }
    bool csr_read(uint16_t, uint32_t* v) override { *v = 0; return true; }
    bool csr_write(uint16_t, uint32_t) override { return true; }
    uint64_t mtime() override { return 0; }
    bool decide(const DecodeRequest& r, Decision* out, std::string*) override {
      *out = classify(r.insn, r.mode, r.irq);
      return true;
    }
  } bus;
  Hart h(bus, modes);
  Decoded d;
  d.op = op;
  uint32_t next_pc = 4;
  return h.execute(d, 0, next_pc) != Step::kUnknown;
}

// ---- the interpreter loop --------------------------------------------------------

// Takes a pending interrupt (the mode register applies it); true when one was.
bool Hart::take_interrupt(Mode mode, uint32_t& pc) {
  Decision irq;
  if (!interrupt(mode, pc, &irq)) return false;
  const uint64_t taken = cycle_;
  charge(spec::Event::kInterrupt, irq.cycles, 0);
  const uint32_t at = pc;
  pc = modes_.enter(irq.target, 0, irq.cause, 0, at);
  switch_hot();
  record_trap(Retired::What::kInterrupt, mode, at, pc, irq.cause, 0, taken);
  return true;
}

template <bool kTraced>
bool Hart::step(uint32_t& pc, Mode& mode, bool& check_irq, StopReason& reason, SystemOp* sys) {
  uint32_t insn;
  if (!kTraced && sys) {
    insn = sys->d.insn;
  } else if (!fetch(pc, &insn)) {
    if (mode == Mode::V && pc == modes_.trap_vector(Mode::V)) {
      fatal_ = no_vector_message(pc);
      reason = StopReason::kFatal;
      return false;
    }
    pc = apply_trap(pc);
    check_irq = true;
    return true;
  }
  const Decoded& d = !kTraced && sys ? sys->d : lookup(pc, insn);
  uint32_t next_pc = pc + 4;
  Step step;
  uint32_t ea = 0;     // traced: the effective address of a load or store
  uint64_t start = 0;  // traced: the cycle the instruction starts in (its decision's)
  if constexpr (kTraced) {
    ea = x_[d.rs1] + static_cast<uint32_t>(d.imm);
    start = cycle_;
    Decision decision;
    if (!fatal_.empty() || !bus_.decide({insn, mode, modes_.irq_lines(), pc}, &decision, &fatal_)) {
      reason = StopReason::kFatal;
      return false;
    }
    insn_cycles_ = decision.cycles;
    step = decision.action == spec::Action::kExec ? execute(d, pc, next_pc) : apply_decision(decision, insn);
  } else {
    if (__builtin_expect(executes(d, mode), 1)) {
      step = execute(d, pc, next_pc);
    } else if (sys) {
      if (!sys->decided) sys->decision = decision(insn, mode, pc);
      sys->decided = true;
      step = apply_decision(sys->decision, insn);
    } else {
      step = apply_decision(decision(insn, mode, pc), insn);
    }
  }
  x_[0] = 0;
  if (__builtin_expect(step == Step::kTrap, 0) && !stop_requested_) {
    if (watch_hit_) return stop_before_watched(reason);
    // (decoded: at least the edge that took its request; a batched lockstep check answers an
    // instruction that executes in place with the reference's decision, which times nothing)
    pc = apply_trap(pc, kTraced ? std::max<unsigned>(take_insn_cycles(), 1) : 0);
    check_irq = true;
    return true;
  }
  if (__builtin_expect(step == Step::kUnknown, 0)) {
    fatal_ = "the interpreter has no handler for " + std::string(spec::kRows[d.row].name);
    reason = StopReason::kFatal;
    return false;
  }
  // The instruction retired: one cycle. A trapping step here is an access
  // that completed and told the system to stop.
  if constexpr (kTraced) {
    if (trace_) {
      const bool wrote = step != Step::kTrap && d.writes_rd && d.rd;
      Retired r;
      r.mode = mode;
      r.pc = pc;
      r.insn = insn;
      r.rd = wrote ? d.rd : -1;
      r.access = memory_access(d.op);
      r.value = wrote ? x_[d.rd] : r.access == 's' ? x_[d.rs2] : 0;
      r.addr = r.access ? ea : 0;
      r.cycle = start;
      trace_->push_back(r);
    }
  }
  ++cycle_;
  if (__builtin_expect(step == Step::kNext, 1)) {
    pc = next_pc;
    return true;
  }
  if (step == Step::kTrap) {
    reason = StopReason::kStopped;
    return false;
  }
  // kBreak, kWfi, kSync: the system wants a look.
  pc = next_pc;
  if (step == Step::kWfi) {
    reason = StopReason::kWfi;
    return false;
  }
  if (step == Step::kSync) {
    reason = StopReason::kSync;
    return false;
  }
  check_irq = true;
  return true;
}

// The instruction at pc failed with Access::kWatch (a debugger's watchpoint):
// the run stops before it (pc stays, nothing retired or charged). False.
bool Hart::stop_before_watched(StopReason& reason) {
  watch_hit_ = false;
  insn_cycles_ = 0;
  reason = StopReason::kWatch;
  return false;
}

template <bool kTraced>
StopReason Hart::run(uint64_t cycle_budget) {
  if constexpr (!kTraced) return run_blocks<false>(cycle_budget);
  if (block_records_) return run_blocks<true>(cycle_budget);
  // The interpreter alone (--trace-insn; traces and co-simulation without block records). pc lives in a register here; pc_ is written back before anything that
  // reads it (trap entry, interrupts) and when run() returns.
  const uint64_t end_cycle = cycle_ + cycle_budget;
  bool check_irq = true;  // after anything that may change the mode or the interrupt lines
  Mode mode = current_mode();
  uint32_t pc = pc_;
  StopReason reason = StopReason::kBudget;
  while (cycle_ < end_cycle) {
    if (check_irq) {
      check_irq = false;
      mode = current_mode();
      if (irq_line_up() && take_interrupt(mode, pc)) {  // (no line up: no interrupt, see interrupt())
        check_irq = true;  // the mode changed
        continue;
      }
    }
    if (config_.strict_fence_i && stale_fetch(pc)) {
      reason = StopReason::kFatal;
      break;
    }
    if (!step<true>(pc, mode, check_irq, reason)) break;
  }
  pc_ = pc;
  return reason;
}

template StopReason Hart::run<true>(uint64_t);
template StopReason Hart::run<false>(uint64_t);

// ---- the block engine ------------------------------------------------------------

namespace {

// Micro-op kinds: one handler each in Hart::run_block (same order as its table).
enum UopKind : uint8_t {
  kULi, kUAddi, kUSlti, kUSltiu, kUXori, kUOri, kUAndi, kUSlli, kUSrli, kUSrai,
  kUAdd, kUSub, kUSll, kUSlt, kUSltu, kUXor, kUSrl, kUSra, kUOr, kUAnd,
  kUMul, kUMulh, kUMulhsu, kUMulhu, kUDiv, kUDivu, kURem, kURemu,
  kULb, kULh, kULw, kULbu, kULhu, kUSb, kUSh, kUSw,
  kUBeq, kUBne, kUBlt, kUBge, kUBltu, kUBgeu, kUJal, kUJalr,
  // A branch back to its own block's first instruction (a loop): taken, it
  // starts the block again without leaving it while the budget allows (imm:
  // the instructions retired up to and including it; same order as kUBeq..).
  kUBeqLoop, kUBneLoop, kUBltLoop, kUBgeLoop, kUBltuLoop, kUBgeuLoop,
  // addi rd, rs1, imm fused with the branch right after it when that branch
  // compares rd (its rs1) with something: the addi's micro-op runs both (the
  // branch's stays in place for its operands and exit; same order as kUBeq..).
  kUAddiBeq, kUAddiBne, kUAddiBlt, kUAddiBge, kUAddiBltu, kUAddiBgeu,
  kUAddiBeqLoop, kUAddiBneLoop, kUAddiBltLoop, kUAddiBgeLoop, kUAddiBltuLoop, kUAddiBgeuLoop,
  kUCsrRead,   // a CSR access that only reads (imm: csr | op << 16 | kCsrPlain when in place; rs2: its index in the block)
  kUCsrWrite,  // one that writes: the block ends after it, and interrupts are checked
  kUNop,
  kUExit,  // the block ends here: continue at imm
  kUBail,  // the interpreter runs this instruction
  kUSystem,  // the same, a system step (exit, a trap; imm: its Hart::SystemOp)
  kUCut,     // the budget ends here (cut_in's mark, untraced): extend() or leave as kUBail
  // Two-address forms (rd == rs1: the operation writes its first operand in
  // place, one host instruction with a memory destination).
  kUAddiTo, kUXoriTo, kUOriTo, kUAndiTo, kUSlliTo, kUSrliTo, kUSraiTo,
  kUAddTo, kUSubTo, kUXorTo, kUOrTo, kUAndTo,
  kUJ,    // jal x0 (a plain jump: no link register)
  kURet,  // jalr x0, 0(rs1) (a return: no link register, no offset)
  // lui or auipc fused with the addi rd, rd, imm right after it: one constant
  // (imm: the sum), the addi's micro-op stays in place and is skipped.
  kULiPair,
  // A kUCsrRead of plain storage (kCsrPlain): the value read in place (imm: csr).
  kUCsrLoad,
  // The first sw (lw) of a run of them off one base register (fuse_runs): rd
  // (lw: rs2) holds the run's length. When every access of the run falls in
  // the hot window, it does them all and skips the run; else it runs as its
  // own instruction alone (a lw's index in the block: the next one's minus 1).
  kUSwRun, kULwRun,
  // A fused run of sw (lw) whose registers and offsets both step by one word
  // (register r at base + 4r + c: a trap frame's save or restore): as kUSwRun
  // (kULwRun), its accesses done by one copy between the registers and memory.
  kUSwRegs, kULwRegs,
  // The loop branch (bne) of a copy loop (Hart::fuse_copy_loop): as
  // kUBneLoop, and taken, it does the whole rounds after it at once (copy_rounds).
  kUBneCopy,
  kUCount
};

// The fewest accesses fuse_runs fuses (measured: docs/performance.md, ninth round).
constexpr unsigned kMinRun = 10;
// The fewest accesses it fuses as a register-file copy (kUSwRegs, kULwRegs; eleventh round).
constexpr unsigned kMinRegs = 8;

// The two-address form of kind (rd == rs1), or kind itself.
uint8_t in_place(uint8_t kind) {
  switch (kind) {
    case kUAddi: return kUAddiTo;
    case kUXori: return kUXoriTo;
    case kUOri: return kUOriTo;
    case kUAndi: return kUAndiTo;
    case kUSlli: return kUSlliTo;
    case kUSrli: return kUSrliTo;
    case kUSrai: return kUSraiTo;
    case kUAdd: return kUAddTo;
    case kUSub: return kUSubTo;
    case kUXor: return kUXorTo;
    case kUOr: return kUOrTo;
    case kUAnd: return kUAndTo;
    default: return kind;
  }
}

bool is_branch(uint8_t kind) { return (kind >= kUBeq && kind <= kUBgeu) || (kind >= kUBeqLoop && kind <= kUBgeuLoop); }
bool ends_block(uint8_t kind) { return kind == kUJal || kind == kUJalr || kind == kUJ || kind == kURet; }

}  // namespace

// The branch u is about to be emitted: when the micro-op before it (in this
// block) is an addi whose result it compares as rs1, that one becomes the
// fused kind.
void Hart::fuse_with_branch(const Uop& u) {
  Uop& prev = uops_.back();
  if ((prev.kind != kUAddi && prev.kind != kUAddiTo) || prev.rd != u.rs1 || prev.rd == 32) return;
  prev.kind = static_cast<uint8_t>(u.kind >= kUBeqLoop ? kUAddiBeqLoop + (u.kind - kUBeqLoop) : kUAddiBeq + (u.kind - kUBeq));
  prev.handler = handler(prev.kind);
}

// f, the first of a fused run of m stores (kUSwRun, kUSwRegs: the count in
// rd) or loads (kULwRun, kULwRegs: in rs2), becomes its head.
void Hart::head_run(Uop& f, uint8_t run_kind, unsigned m) {
  f.kind = run_kind;
  (run_kind == kUSwRun || run_kind == kUSwRegs ? f.rd : f.rs2) = static_cast<uint8_t>(m);
  f.handler = handler(f.kind);
}

// The runs of sw (lw) off one base register in ops[0, n) become fused: first
// the stretches of kMinRegs or more whose registers and offsets step by one
// word (kUSwRegs, kULwRegs at their first), then, between them, the runs of
// kMinRun or more whose offsets all lie between the first's and the last's,
// aligned alike (kUSwRun, kULwRun; store_run's contract). For loads, only the
// run's last load overwrites its base, and no load into x0 is copied.
bool Hart::fuse_runs(Uop* ops, unsigned n) {
  bool fused = false;
  for (unsigned i = 0; i < n;) {
    const uint8_t kind = ops[i].kind, base = ops[i].rs1;
    if (kind != kUSw && kind != kULw) {
      ++i;
      continue;
    }
    unsigned j = i;
    while (j < n && ops[j].kind == kind && ops[j].rs1 == base) {
      if (ops[j++].rd == base && kind == kULw) break;
    }
    unsigned from = i;  // the part before the next stretch
    for (unsigned t = i; t < j;) {
      const unsigned m = register_stretch(ops, t, j);
      if (m < kMinRegs) {
        ++t;
        continue;
      }
      fused |= fuse_offset_runs(ops, from, t);
      head_run(ops[t], kind == kUSw ? kUSwRegs : kULwRegs, m);
      fused = true;
      t += m;
      from = t;
    }
    fused |= fuse_offset_runs(ops, from, j);
    i = j;
  }
  return fused;
}

// How many of the same-base sw (lw) ops[t, end) from t step their register
// (sw: rs2, lw: rd, never x0's sink) and their offset by one word each.
unsigned Hart::register_stretch(const Uop* ops, unsigned t, unsigned end) {
  const auto reg = [&](const Uop& u) { return ops[t].kind == kUSw ? u.rs2 : u.rd; };
  if (reg(ops[t]) >= 32) return 1;
  unsigned m = 1;
  while (t + m < end && reg(ops[t + m]) == reg(ops[t]) + m && reg(ops[t + m]) < 32 &&
         ops[t + m].imm == ops[t].imm + 4 * m) {
    ++m;
  }
  return m;
}

// In a run of same-base sw (lw) ops[i, end) (fuse_runs' contract): the
// runs of kMinRun or more whose offsets all lie between the first's and the
// last's, aligned alike, fused (kUSwRun, kULwRun) from i on, each the longest
// such prefix of the rest. True when one was.
bool Hart::fuse_offset_runs(Uop* ops, unsigned i, unsigned end) {
  bool fused = false;
  while (i < end) {
    const uint8_t kind = ops[i].kind;
    unsigned m = end - i;
    // The longest prefix whose offsets fit between its ends.
    for (; m >= kMinRun; --m) {
      const int32_t first = static_cast<int32_t>(ops[i].imm), last = static_cast<int32_t>(ops[i + m - 1].imm);
      bool fits = true;
      for (unsigned t = i; t < i + m && fits; ++t) {
        const int32_t at = static_cast<int32_t>(ops[t].imm);
        fits = ((at - first) & 3) == 0 && at >= std::min(first, last) && at <= std::max(first, last);
      }
      if (fits) break;
    }
    if (m >= kMinRun) {
      head_run(ops[i], kind == kUSw ? kUSwRun : kULwRun, m);
      fused = true;
    }
    i += std::max(m, 1u);
  }
  return fused;
}

// The run fused at ops[at] as its own instruction alone again (index: at).
void Hart::unfuse(Uop* op, unsigned at) {
  if (op->kind == kUSwRun || op->kind == kUSwRegs) *op = {handler(kUSw), op->imm, kUSw, 0, op->rs1, op->rs2};
  if (op->kind == kULwRun || op->kind == kULwRegs) {
    *op = {handler(kULw), op->imm, kULw, op->rd, op->rs1, static_cast<uint8_t>(at)};
  }
}

size_t Hart::block_cache_bytes() {
  return kBlocks * (sizeof(Block) + sizeof(CopyLoop)) + kMaxUops * sizeof(Uop) + kMaxSystemOps * sizeof(SystemOp);
}

// The micro-op of an instruction the block engine runs; false for the ones it
// leaves to the interpreter (system, CSR, fence.i, a jump to a misaligned target).
bool Hart::to_uop(const Decoded& d, uint32_t pc, Uop* u) {
  const uint8_t rd = d.rd ? d.rd : 32;  // writes to x0 go to the sink
  const uint32_t imm = static_cast<uint32_t>(d.imm);
  const auto op = [&](UopKind k, uint8_t dest, uint32_t value) {
    *u = {nullptr, value, k, dest, d.rs1, d.rs2};
    return true;
  };
  const auto branch = [&](UopKind k) { return ((pc + imm) & 3) == 0 && op(k, 0, pc + imm); };
  switch (d.op) {
    case Op::kLui: return op(kULi, rd, imm);
    case Op::kAuipc: return op(kULi, rd, pc + imm);
    case Op::kJal: return ((pc + imm) & 3) == 0 && op(kUJal, rd, pc + imm);
    case Op::kJalr: return op(kUJalr, rd, imm);
    case Op::kBeq: return branch(kUBeq);
    case Op::kBne: return branch(kUBne);
    case Op::kBlt: return branch(kUBlt);
    case Op::kBge: return branch(kUBge);
    case Op::kBltu: return branch(kUBltu);
    case Op::kBgeu: return branch(kUBgeu);
    case Op::kLb: return op(kULb, rd, imm);
    case Op::kLh: return op(kULh, rd, imm);
    case Op::kLw: return op(kULw, rd, imm);
    case Op::kLbu: return op(kULbu, rd, imm);
    case Op::kLhu: return op(kULhu, rd, imm);
    case Op::kSb: return op(kUSb, 0, imm);
    case Op::kSh: return op(kUSh, 0, imm);
    case Op::kSw: return op(kUSw, 0, imm);
    case Op::kAddi: return op(kUAddi, rd, imm);
    case Op::kSlti: return op(kUSlti, rd, imm);
    case Op::kSltiu: return op(kUSltiu, rd, imm);
    case Op::kXori: return op(kUXori, rd, imm);
    case Op::kOri: return op(kUOri, rd, imm);
    case Op::kAndi: return op(kUAndi, rd, imm);
    case Op::kSlli: return op(kUSlli, rd, d.rs2);
    case Op::kSrli: return op(kUSrli, rd, d.rs2);
    case Op::kSrai: return op(kUSrai, rd, d.rs2);
    case Op::kAdd: return op(kUAdd, rd, 0);
    case Op::kSub: return op(kUSub, rd, 0);
    case Op::kSll: return op(kUSll, rd, 0);
    case Op::kSlt: return op(kUSlt, rd, 0);
    case Op::kSltu: return op(kUSltu, rd, 0);
    case Op::kXor: return op(kUXor, rd, 0);
    case Op::kSrl: return op(kUSrl, rd, 0);
    case Op::kSra: return op(kUSra, rd, 0);
    case Op::kOr: return op(kUOr, rd, 0);
    case Op::kAnd: return op(kUAnd, rd, 0);
    case Op::kMul: return op(kUMul, rd, 0);
    case Op::kMulh: return op(kUMulh, rd, 0);
    case Op::kMulhsu: return op(kUMulhsu, rd, 0);
    case Op::kMulhu: return op(kUMulhu, rd, 0);
    case Op::kDiv: return op(kUDiv, rd, 0);
    case Op::kDivu: return op(kUDivu, rd, 0);
    case Op::kRem: return op(kURem, rd, 0);
    case Op::kRemu: return op(kURemu, rd, 0);
    case Op::kFence: return op(kUNop, 32, 0);
    case Op::kCsrrw: case Op::kCsrrs: case Op::kCsrrc: case Op::kCsrrwi: case Op::kCsrrsi: case Op::kCsrrci:
      return op(csr_writes(d.op, d.rs1) ? kUCsrWrite : kUCsrRead, rd,
                (imm & 0xFFF) | static_cast<uint32_t>(d.op) << 16);
    default: return false;  // the interpreter's: system instructions
  }
}

// Marks a CSR micro-op kCsrPlain when its CSR's value is plain storage on
// its bus for what it does: a read that may read it in place, a write that
// may write it or call its owner's direct write (and read it in place,
// unless csrrw's rd is x0). The core's own CSRs (counters, time) are never
// plain.
void Hart::to_plain_csr(Uop* u) {
  const uint16_t csr = static_cast<uint16_t>(u->imm & 0xFFF);
  if (spec::csr_block(csr) == spec::CsrBlock::kCore) return;
  CsrStorage& c = csr_storage_[csr];
  if (!c.asked) {
    bus_.csr_storage(csr, &c.read, &c.write);
    if (!c.write) c.writer = bus_.csr_writer(csr);
    c.asked = true;
  }
  const Op op = csr_uop_op(u->imm);
  const bool writes = c.write || c.writer.write;
  const bool plain = u->kind == kUCsrRead ? c.read != nullptr : writes && (c.read || !csr_reads(op, u->rd == 32));
  if (plain) u->imm |= kCsrPlain;
}

void Hart::csr_storage_changed() {
  csr_storage_.assign(csr_storage_.size(), CsrStorage{});
  flush_blocks();
}

void Hart::flush_blocks() {
  ++flush_epoch_;
  ++link_gen_;
  uops_.clear();
  system_ops_.clear();
  // strict_fence_i: pages keep counting as code (every store there is
  // recorded) until fence.i, as a real instruction cache keeps its lines.
  if (!config_.strict_fence_i) code_pages_.clear();
}

bool Hart::is_code(const uint8_t* host) const { return !code_pages_.empty() && code_pages_.count(host_page(host)); }

// A page starts holding decoded code: the hot store window must not cover it.
void Hart::note_code(const uint8_t* host) {
  if (code_pages_.insert(host_page(host)).second) {
    for (auto& h : hots_) h[kHotStore] = {};
  }
}

// A store into a page holding decoded code: every block is dropped (rare:
// code and data live on pages apart; program loads, self-modifying code).
void Hart::code_written(const uint8_t* host) {
  if (config_.strict_fence_i) unfenced_.insert(reinterpret_cast<uintptr_t>(host) & ~uintptr_t{3});
  flush_blocks();
}

// strict_fence_i: the word at host was stored to, on a page whose code had
// run, with no fence.i since.
bool Hart::unfenced(const uint8_t* host) const {
  return !unfenced_.empty() && unfenced_.count(reinterpret_cast<uintptr_t>(host) & ~uintptr_t{3});
}

// strict_fence_i: stops the run (fatal) when the instruction at pc is unfenced.
bool Hart::stale_code(uint32_t pc) {
  const uint8_t* p = hot(kHotFetch, pc);
  if (!p || !unfenced(p)) return false;
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "stale code (--strict-fence-i): %s runs 0x%08x, stored to after code on its page ran, "
                "with no fence.i in between",
                mode_name(current_mode()), pc);
  fatal_ = buf;
  return true;
}

// strict_fence_i on the interpreter, which fetches every word afresh: as an
// instruction cache would, a page holds code from its first instruction run
// on (stores there are recorded), and the instruction at pc stops the run
// when it was stored to since, with no fence.i. A fetch that faults: false
// (the fetch raises it).
bool Hart::stale_fetch(uint32_t pc) {
  if (!hot(kHotFetch, pc) && !refill_fetch(pc)) return false;
  if (stale_code(pc)) return true;
  note_code(hot(kHotFetch, pc));
  return false;
}

void Hart::translate(Block& b, uint32_t pc, Mode mode, const uint8_t* host, uint64_t room) {
  quiet_ = false;  // decodes may ask the classifier
  if (uops_.size() + kMaxBlockLen + 1 > kMaxUops) flush_blocks();
  ++link_gen_;  // links into this slot's previous block are stale
  ++blocks_translated_;
  b = Block{};
  b.pc = pc;
  b.mode = mode;
  b.host = host;
  b.epoch = flush_epoch_;
  b.ops = uops_.data() + uops_.size();  // uops_ never reallocates (reserved in full)
  // A conditional branch is a side exit (its rd: the exit whose link it
  // takes) and the block goes on after it; the one that takes kExitTaken, a
  // jump, or any other end closes it.
  unsigned n = 0;
  unsigned side = kExitFall + 1;  // the next side exit
  bool closed = false;            // the last branch was decoded: the block ends after it
  for (;; ++n) {
    const uint32_t a = pc + 4 * n;
    Uop u;
    if (closed || n == kMaxBlockLen || 4 * n > room || (n > 0 && (a & ((1u << kPageShift) - 1)) == 0)) {
      emit({nullptr, a, kUExit, kExitFall, 0, 0});
      break;
    }
    uint32_t word;
    std::memcpy(&word, host + 4 * n, 4);
    const Decoded& d = lookup(a, word);
    // Block records: a CSR access is left to the interpreter, which asks the
    // classifier (a SYSTEM word: the trap unit times it).
    if (!executes(d, mode) || !to_uop(d, a, &u) || unfenced(host + 4 * n) ||
        (record_blocks_ && (u.kind == kUCsrRead || u.kind == kUCsrWrite))) {
      if ((!executes(d, mode) || d.op == Op::kExit) && !unfenced(host + 4 * n) && system_ops_.size() < kMaxSystemOps) {
        system_ops_.push_back({d, false, {}});
        emit({nullptr, static_cast<uint32_t>(system_ops_.size() - 1), kUSystem, 0, 0, 0});
      } else {
        emit({nullptr, a, kUBail, 0, 0, 0});
      }
      break;
    }
    if (u.kind == kUCsrRead || u.kind == kUCsrWrite) {
      to_plain_csr(&u);
      u.rs2 = static_cast<uint8_t>(n);  // its index in the block (run_block's cycle count at it)
      if (u.kind == kUCsrRead && (u.imm & kCsrPlain)) u.kind = kUCsrLoad;
    }
    if (u.kind == kULw) u.rs2 = static_cast<uint8_t>(n);  // its index in the block (known_load's cycle count)
    if (record_blocks_) {  // one micro-op per instruction: its index is the instruction's
      record_words_[uops_.size()] = word;
      record_rows_[uops_.size()] = d.row;
    }
    unsigned k = kExits;  // the exit it leaves by, if any
    if (is_branch(u.kind)) {
      k = side < kExits ? side++ : kExitTaken;
      closed = k == kExitTaken;
      u.rd = exit_offset(k);
    } else if (u.kind == kUJal || u.kind == kUJalr) {
      k = kExitTaken;
    }
    if (k < kExits) {
      const bool jalr = u.kind == kUJalr;  // its target is known when it runs (or-ed into the flow entry)
      b.exits[k].pc = jalr ? 1 : u.imm;
      b.exits[k].flow = FlowHistory::entry(a, jalr ? 0 : u.imm);
      b.exits[k].retired = n + 1;
    }
    if (is_branch(u.kind) && u.imm == pc && b.loop_exit == kExits) {  // back to this block's start: a loop
      b.loop_exit = static_cast<uint8_t>(k);
      u.kind = static_cast<uint8_t>(u.kind - kUBeq + kUBeqLoop);
      u.imm = n + 1;
    }
    if (n > 0 && is_branch(u.kind)) fuse_with_branch(u);
    if (n > 0 && u.kind == kUAddi && u.rd == u.rs1 && uops_.back().kind == kULi &&
        uops_.back().rd == u.rd) {
      Uop& li = uops_.back();
      li = {handler(kULiPair), li.imm + u.imm, kULiPair, li.rd, li.rs1, li.rs2};
    }
    if (u.rd == u.rs1) u.kind = in_place(u.kind);
    if (u.kind == kUJal && u.rd == 32) u.kind = kUJ;
    if (u.kind == kUJalr && u.rd == 32 && u.imm == 0) u.kind = kURet;
    emit(u);
    if (ends_block(u.kind)) {
      ++n;
      break;
    }
  }
  if (!record_blocks_) {  // (records need each access)
    Uop* const ops = uops_.data() + (b.ops - uops_.data());
    b.runs = fuse_runs(ops, n);
    if (b.loop_exit < kExits) fuse_copy_loop(b, ops);
  }
  b.len = static_cast<uint16_t>(n);
  b.span = n ? 4 * (n - 1) : 0;
  b.fall = pc + 4 * n;
  b.exits[kExitFall].pc = b.fall;
  b.exits[kExitFall].retired = n;
  if (record_blocks_ && n) {  // its runs' hand-over, and sliced once for a lockstep checker (InPlaceRun::slices)
    const size_t at = static_cast<size_t>(b.ops - uops_.data());
    const size_t slot = static_cast<size_t>(&b - blocks_.data());
    RunSlices* slices = nullptr;
    if (!traced_chains_) {
      const unsigned period = b.loop_exit < kExits ? static_cast<unsigned>(b.exits[b.loop_exit].retired) : n;
      slices = &record_slices_[slot];
      slice_block(&record_words_[at], &record_rows_[at], n, period, mode, slices);
    }
    record_runs_[slot] = {b.pc, 0, 1, &record_words_[at], &record_rows_[at], slices};
    record_logged_[slot] = 0;
  }
  if (n || b.ops[n].kind == kUSystem) {  // a system micro-op's word is code too (kept decoded; on the block's page)
    note_code(host);
    note_code(host + b.span);
  }
}

// The block for (pc, mode), decoded if needed; nullptr when pc has no DMI
// window (the interpreter then fetches over the bus).
Hart::Block* Hart::find_block(uint32_t pc, Mode mode) {
  if (Block* b = cached_block(pc, mode)) return b;
  const uint8_t* p = hot(kHotFetch, pc);
  if (!p) {
    if (!refill_fetch(pc)) return nullptr;
    p = hot(kHotFetch, pc);
  }
  const uint64_t room = (*hot_)[kHotFetch].last - (uint64_t{pc} - (*hot_)[kHotFetch].start);  // bytes past pc in the window
  Block& b = blocks_[block_slot(pc, mode)];
  if (b.pc == pc && b.mode == mode && b.epoch == flush_epoch_ && b.host == p && b.span <= room) return &b;
  translate(b, pc, mode, p, room);
  return &b;
}

// The block decoded for (pc, mode) from the code the hot fetch window shows
// at pc, or nullptr (nothing is decoded or refilled here).
inline Hart::Block* Hart::cached_block(uint32_t pc, Mode mode) {
  const uint8_t* p = hot(kHotFetch, pc);
  if (!p) return nullptr;
  const uint64_t room = (*hot_)[kHotFetch].last - (uint64_t{pc} - (*hot_)[kHotFetch].start);  // bytes past pc in the window
  Block& b = blocks_[block_slot(pc, mode)];
  return b.pc == pc && b.mode == mode && b.epoch == flush_epoch_ && b.host == p && b.span <= room ? &b : nullptr;
}

// The block engine's link miss: the block already decoded for pc, linked
// as b's successor by exit k; nullptr when there is none.
Hart::Block* Hart::relink(Block* b, unsigned k, uint32_t pc) {
  if (link_gen_ == 0) return nullptr;  // a recorded pass (run_recorded) ends at its exit
  Block* next = cached_block(pc, b->mode);
  if (next) link(b, k, pc, next);
  return next;
}

// Remembers next as the successor of prev by exit k at pc.
inline void Hart::link(Block* prev, unsigned k, uint32_t pc, Block* next) {
  Exit& e = prev->exits[k];
  e.next = next;
  e.pc = pc;  // a direct exit's own target (run_block follows its link by gen alone)
  e.gen = link_gen_;
}

// The block to run at pc after prev left by exit k: prev's link when still
// good, else a lookup (which then links).
Hart::Block* Hart::next_block(Block* prev, unsigned k, uint32_t pc, Mode mode) {
  if (!prev) return find_block(pc, mode);
  const Exit& e = prev->exits[k];
  if (e.gen == link_gen_ && e.pc == pc) return e.next;
  const uint64_t translated = blocks_translated_;
  Block* next = find_block(pc, mode);
  // (a lookup that decodes pc into prev's own slot, direct-mapped, replaces
  // prev: its exit k is then the new block's, and linking it would send that
  // exit back to the block's start: HartBlocks.AJumpIntoItsOwnSlotLinksNothingStale)
  const bool replaced = next == prev && blocks_translated_ != translated;
  if (next && prev->epoch == flush_epoch_ && !replaced) link(prev, k, pc, next);
  return next;
}

// The block to run at pc after the system micro-op s ran (the interpreter's
// trap entry or exit): s's link when still good, else a lookup (which then
// links s, unless the lookup dropped every block, s with them). By index:
// a lookup that translates may add system micro-ops (system_ops_ grows).
inline Hart::Block* Hart::after_system_op(unsigned i, uint32_t pc, Mode mode) {
  const SystemOp& s = system_ops_[i];
  if (s.gen == link_gen_ && s.next_pc == pc && s.next_mode == mode) return s.next;
  return relink_system_op(i, pc, mode);
}

// after_system_op's miss: the lookup, and the link kept (its own call, so the
// hit stays a few instructions in run_blocks).
Hart::Block* Hart::relink_system_op(unsigned i, uint32_t pc, Mode mode) {
  const uint32_t epoch = flush_epoch_;
  Block* next = find_block(pc, mode);
  if (next && flush_epoch_ == epoch) {
    SystemOp& s = system_ops_[i];
    s.next = next;
    s.next_pc = pc;
    s.next_mode = mode;
    s.gen = link_gen_;
  }
  return next;
}

// kRecord (block records, traced or co-simulated): blocks are translated
// for run_block<true> (switching drops them: a translation-time choice, so
// the untraced engine pays nothing); with a trace they run one pass at a time
// through run_recorded(), without one chained (run_chained()), and the
// interpreter's instructions are traced.
template <bool kRecord>
StopReason Hart::run_blocks(uint64_t cycle_budget) {
  if (__builtin_expect(record_blocks_ != kRecord, 0)) {
    flush_blocks();
    record_blocks_ = kRecord;
    if (kRecord && record_words_.size() == 0) record_words_.resize(kMaxUops), record_rows_.resize(kMaxUops);
    if (kRecord && record_runs_.empty()) {
      record_runs_.resize(kBlocks), record_logged_.resize(kBlocks);
    }
    if (kRecord && !traced_chains_ && record_slices_.size() == 0) record_slices_.resize(kBlocks);
  }
  uint64_t end_cycle = cycle_ + cycle_budget;
  quiet_ = quanta_granted_ && quanta_.q;  // (a grant of several quanta just before run(): the system's thread, traced)
  bool check_irq = true;  // after anything that may change the mode or the interrupt lines
  Mode mode = current_mode();
  uint32_t pc = pc_;
  StopReason reason = StopReason::kBudget;
  Block* prev = nullptr;  // the block that just ran to one of its exits
  unsigned exit = kExitFall;  // that exit
  // Untraced: the system micro-op the interpreter just ran (trap entry, exit),
  // by index in system_ops_, while flush_epoch_ is still sys_epoch: its
  // target's block is looked up through its link (SystemOp::next).
  constexpr unsigned kNoSys = ~0u;
  unsigned sys_ran = kNoSys;
  uint32_t sys_epoch = 0;
  for (;;) {
    if (cycle_ >= end_cycle) {
      // Budget spent: the system's next slice, when it would only run() again
      // (untraced, no failure). The system sees where the hart is (pc()).
      if (kRecord || !fatal_.empty()) break;
      pc_ = pc;
      if (!bus_.next_slice(&cycle_budget, quiet_)) break;
      quiet_ = true;
      end_cycle = cycle_ + cycle_budget;
      check_irq = true;  // as run() begins
    }
    if (check_irq) {
      check_irq = false;
      mode = current_mode();
      prev = nullptr;
      if (irq_line_up()) {  // (no line up: no interrupt, see interrupt())
        end_cycle = end_quiet(end_cycle);  // the query asks the classifier
        if (take_interrupt(mode, pc)) {
          check_irq = true;  // the mode changed
          continue;
        }
      }
    }
    if (kRecord && !fatal_.empty()) {  // a check failed outside an instruction (as step<true>'s ask)
      reason = StopReason::kFatal;
      break;
    }
    Block* b = sys_ran != kNoSys && sys_epoch == flush_epoch_ ? after_system_op(sys_ran, pc, mode)
                                                               : next_block(prev, exit, pc, mode);
    prev = nullptr;
    sys_ran = kNoSys;
    if (!quiet_) end_cycle = end_quiet(end_cycle);  // a translation
    if (b && b->len) {
      bool left;
      if constexpr (kRecord) {
        left = trace_ && !traced_chains_ ? run_recorded(b, exit, pc, end_cycle) : run_chained(b, exit, pc, end_cycle);
      } else {
        // When the budget ends inside b, b runs cut where it ends (cut_in). The
        // next slices may go on inside run_block (extend): slice_end_ follows.
        if (cycle_ + b->len > end_cycle) cut_in(b, end_cycle - cycle_);
        slice_end_ = end_cycle;
        left = run_block<false>(b, b->ops, exit, pc, end_cycle);
        end_cycle = slice_end_;
        if (cut_.at) uncut();
      }
      if (left) {
        prev = b;
        if (exit == kExitSync) {  // after a CSR write, as the interpreter
          prev = nullptr;
          check_irq = true;
        }
        continue;
      }
      if (cycle_ >= end_cycle) continue;
    }
    // The interpreter's instruction: not in a block, or left by one.
    if (config_.strict_fence_i && stale_code(pc)) {
      reason = StopReason::kFatal;
      break;
    }
    SystemOp* const sys = !kRecord && b ? system_op(*b, pc) : nullptr;
    sys_epoch = flush_epoch_;
    end_cycle = end_quiet(end_cycle);
    if (sys && system_step(*sys, pc, mode)) {
      check_irq = true;
    } else if (!step<kRecord>(pc, mode, check_irq, reason, sys)) {
      break;
    }
    if (!fatal_.empty()) {  // the instruction's trap ended the run (a trap storm): stop here, not at the budget's end
      reason = StopReason::kFatal;
      break;
    }
    if (sys) sys_ran = static_cast<unsigned>(sys - system_ops_.data());
  }
  pc_ = pc;
  return reason;
}

template StopReason Hart::run_blocks<false>(uint64_t);
template StopReason Hart::run_blocks<true>(uint64_t);

namespace {

// A micro-op a traced pass stops before: a load or store (its record needs
// the address and the data). CSR accesses are not in blocks translated for
// records at all.
bool ends_pass(uint8_t kind) { return kind >= kULb && kind <= kUSw; }

}  // namespace

// Block records with a trace: one pass of b (no further block, no second
// round of its loop), up to its first load or store (ends_pass) and within
// the bus's room and the budget. It runs with link_gen_ 0, a generation no
// link has (translate() never makes one), so run_block follows no link and
// relink() makes none: the pass leaves at its exit; and with an end cycle
// that leaves no room for a second round. Its instructions go to the bus and
// the trace (report_runs). Like run_block: true when the pass left by an
// exit (b: the block, for its links), false when the interpreter runs pc
// next (nothing ran when nothing fits).
bool Hart::run_recorded(Block*& b, unsigned& exit, uint32_t& pc, uint64_t end_cycle) {
  const uint64_t room = std::min<uint64_t>(end_cycle - cycle_, bus_.in_place_room());
  unsigned m = 0;
  while (m < b->len && m < room && !ends_pass(b->ops[m].kind)) ++m;
  if (m == 0) return false;
  const Uop* ops = m == b->len ? b->ops : budget_tail(*b, m);
  const uint64_t start = cycle_;
  const IrqLines irq = irq_lines();
  const uint32_t gen = link_gen_;  // nothing in a pass changes it (no CSR access, no store into code)
  link_gen_ = 0;
  Block* ran = b;
  const bool left = run_block<true>(ran, ops, exit, pc, start + m);
  link_gen_ = gen;
  report_runs(start, irq);
  return left;
}

// Block records without a trace (co-simulation): b and the blocks chained
// after it run as untraced (links, loops) for up to the bus's room (at most
// kMaxChain instructions) and the budget, then their runs go to the bus at
// once. Like run_block's result.
bool Hart::run_chained(Block*& b, unsigned& exit, uint32_t& pc, uint64_t end_cycle) {
  const uint64_t room = std::min<uint64_t>({end_cycle - cycle_, bus_.in_place_room(), trace_ ? kMaxTracedChain : kMaxChain});
  if (room == 0) return false;
  const Uop* ops = b->len <= room ? b->ops : budget_tail(*b, room);
  const uint64_t start = cycle_;
  const IrqLines irq = irq_lines();  // constant: whatever changes a line leaves the blocks first
  const bool left = run_block<true>(b, ops, exit, pc, start + room);
  report_runs(start, irq);
  return left;
}

// The runs run_block<true> noted (block_runs_) to the bus, and with a trace
// their records; a failure the bus reports stops the run (fatal_).
void Hart::report_runs(uint64_t start, const IrqLines& irq) {
  const unsigned count = block_run_count_;
  if (count == 0) return;
  block_run_count_ = 0;
  InPlaceRun* const runs = in_place_runs_.data();
  const InPlaceRun* const of_block = record_runs_.data();
  for (unsigned i = 0; i < count; ++i) {
    const BlockRun& r = block_runs_[i];
    runs[i] = of_block[r.block - blocks_.data()];
    runs[i].n = r.n;
    runs[i].repeat = r.repeat;
  }
  const Mode mode = block_runs_[0].block->mode;
  if (!bus_.in_place(mode, irq, start, runs, count, &fatal_) && fatal_.empty()) {
    fatal_ = "FAILURE: the classifier refused a block's instructions";
  }
  if (!trace_) return;
  if (run_records_) return trace_runs(runs, count, mode, start);
  uint64_t cycle = start;
  const MemRecord* mem = mem_records_.data();  // the loads' and stores' (traced chains), in order
  each_instruction(runs, count, [&](const InPlaceRun& run, unsigned k) {
    Retired t;
    t.mode = mode;
    t.pc = run.pc + 4 * k;
    t.insn = run.insn[k];
    t.row = run.row[k];
    t.cycle = cycle++;
    const uint32_t opcode = t.insn & 0x7F;
    if (opcode == kOpcodeLoad || opcode == kOpcodeStore) {  // (only traced chains run them in blocks)
      t.access = opcode == kOpcodeLoad ? 'l' : 's';
      t.addr = mem->addr;
      t.value = load_into_x0(t.insn) ? 0 : mem->value;
      ++mem;
    }
    trace_->push_back(t);
  });
}

// The chain's runs as one kRun record (set_run_records): an entry per
// run, the code of blocks not yet logged in this generation, the chain's
// loads and stores as they ran.
void Hart::trace_runs(const InPlaceRun* runs, unsigned count, spec::Mode mode, uint64_t start) {
  RunRecords& out = *run_records_;
  const auto first_run = static_cast<uint32_t>(out.runs.size());
  const auto first_mem = static_cast<uint32_t>(out.mems.size());
  out.runs.resize(first_run + count);
  RunRecords::Run* entry = out.runs.data() + first_run;
  uint32_t total = 0;
  for (unsigned i = 0; i < count; ++i) {
    const InPlaceRun& run = runs[i];
    const size_t slot = static_cast<size_t>(block_runs_[i].block - blocks_.data());
    const auto at = static_cast<uint32_t>(run.insn - record_words_.data());
    if (record_logged_[slot] != code_log_gen_) log_code(*block_runs_[i].block, slot, at);
    *entry++ = {at, run.n, run.repeat};
    total += run.n * run.repeat;
  }
  const unsigned mems = mem_record_count_;
  trace_->push_back(Retired::run(mode, start, total, out.count, first_mem, first_run,
                                 static_cast<uint32_t>(out.code.size())));
  out.count += total;
  out.mems.resize(first_mem + mems);
  if (mems) std::memcpy(out.mems.data() + first_mem, mem_records_.data(), mems * sizeof(MemRecord));
}

// Block b's code (its slot, code space index at) to the run records, once per generation.
void Hart::log_code(const Block& b, size_t slot, size_t at) {
  RunRecords& out = *run_records_;
  const auto first = static_cast<uint32_t>(out.code_words.size());
  out.code.resize(out.code.size() + 1);
  out.code[out.code.size() - 1] = {static_cast<uint32_t>(at), b.pc, b.len, first};
  out.code_words.resize(first + b.len), out.code_rows.resize(first + b.len);
  std::memcpy(&out.code_words[first], &record_words_[at], b.len * sizeof(uint32_t));
  std::memcpy(&out.code_rows[first], &record_rows_[at], b.len * sizeof(uint16_t));
  record_logged_[slot] = code_log_gen_;
}

// A block's lw at u (outside the hot load window) when the bus knows its
// read (HartBus::known_load: a device register's direct read): done at its
// instruction's cycle (`start`: the block's first instruction's; u->rs2: its
// index in the block), as the interpreter would, and true; false, with
// nothing done: the interpreter runs it.
bool Hart::known_load(const Block& b, const Uop* u, uint64_t start) {
  quiet_ = false;
  if (dmi_grants_ == 0) return false;  // no DMI (--no-dmi): no direct reads either (every RAM lw comes here)
  cycle_ = start + u->rs2;  // the time the read sees
  const uint32_t addr = x_[u->rs1] + u->imm;
  KnownRead& k = known_reads_[addr >> 2 & (known_reads_.size() - 1)];
  if (k.addr != addr || k.mode != b.mode) k = {addr, b.mode, bus_.known_reader(b.mode, addr, 4)};
  uint32_t value;
  if (k.reader.read) {
    value = k.reader.read(k.reader.ctx, cycle_);
  } else if (!bus_.known_load(b.mode, addr, 4, &value)) {
    return false;
  }
  x_[u->rd] = value;
  return true;
}

// The system micro-op b stopped before at pc (its last), or nullptr. A
// block dropped meanwhile (its epoch passed: its code may have changed) has
// none.
Hart::SystemOp* Hart::system_op(const Block& b, uint32_t pc) {
  if (b.epoch != flush_epoch_ || pc != b.pc + 4 * b.len) return nullptr;
  const Uop& u = b.ops[b.len];
  return u.kind == kUSystem ? &system_ops_[u.imm] : nullptr;
}

// The system micro-op s at pc (untraced, its block's last, in `mode`): an
// exit, or a trap whose decision it already holds, done as step() does them
// (the exit retires and leaves, the trap is entered), without step()'s
// fetch, decode and dispatch; the interrupt check follows either. False, with
// nothing done, for anything else (step() runs it).
bool Hart::system_step(SystemOp& s, uint32_t& pc, Mode mode) {
  if (stop_requested_) return false;
  if (executes(s.d, mode)) {
    if (s.d.op != Op::kExit) return false;
    uint32_t next_pc = pc + 4;
    execute_system(s.d, pc, next_pc);  // (kBreak)
    ++cycle_;
    pc = next_pc;
    return true;
  }
  if (!s.decided || s.decision.action == spec::Action::kExec) return false;
  apply_decision(s.decision, s.d.insn);  // (kTrap)
  pc = apply_trap(pc);
  return true;
}

// b's first `room` micro-ops (room < b.len), then one that leaves the block
// (the interpreter's instruction: the budget ends before it). An addi fused
// with the branch the budget cuts off runs alone.
// u's position in b: in b's micro-ops or budget_tail's copy of them (slow paths).
uint32_t Hart::uop_index(const Block& b, const Uop* u) const {
  const auto at = reinterpret_cast<uintptr_t>(u), tail = reinterpret_cast<uintptr_t>(tail_.data());
  return static_cast<uint32_t>(u - (at >= tail && at < tail + sizeof tail_ ? tail_.data() : b.ops));
}

const Hart::Uop* Hart::budget_tail(const Block& b, uint64_t room) {
  std::copy(b.ops, b.ops + room + 1, tail_.begin());
  cut(tail_.data(), room, kUBail, b.runs);
  return tail_.data();
}

// fuse_runs chose the run: every offset lies between the first's and the
// last's and is aligned like the first's, so both ends in the window put
// every access there (the ends' word indices differing by the offsets'
// difference: the window does not wrap around).
bool Hart::run_in_window(const Window& w, uint32_t base_value, const Uop* u, unsigned n, uint32_t* base) {
  *base = base_value - w.start;
  const uint32_t a = rotr(*base + u->imm, 2), z = rotr(*base + u[n - 1].imm, 2);
  return a < w.words && z < w.words && static_cast<int32_t>(z - a) == static_cast<int32_t>(u[n - 1].imm - u->imm) >> 2;
}

// The run of word accesses fused at u (u->rd stores, u->rs2 loads: u[i].imm,
// and for stores u[i].rs2, for loads u[i].rd) when all of them fall in the
// hot window: done in order (kUSwRegs, kULwRegs: by one copy, the
// registers' and the words' order being the same), and true; false, with
// nothing done, when one does not.
bool Hart::store_run(const Uop* u) {
  const Window& w = (*hot_)[kHotStore].blocks;
  const unsigned n = u->rd;
  uint32_t base;
  if (!run_in_window(w, x_[u->rs1], u, n, &base)) return false;
  if (u->kind == kUSwRegs) {
    std::memcpy(w.host + (base + u->imm), &x_[u->rs2], 4 * n);
    return true;
  }
#pragma GCC unroll 4
  for (unsigned i = 0; i < n; ++i) write_as<uint32_t>(w.host + (base + u[i].imm), x_[u[i].rs2]);
  return true;
}

bool Hart::load_run(const Uop* u) {
  const Window& w = (*hot_)[kHotLoad].blocks;
  const unsigned n = u->rs2;
  uint32_t base;
  if (!run_in_window(w, x_[u->rs1], u, n, &base)) return false;
  if (u->kind == kULwRegs) {  // (the base, read above, may be the last register loaded)
    std::memcpy(&x_[u->rd], w.host + (base + u->imm), 4 * n);
    return true;
  }
#pragma GCC unroll 4
  for (unsigned i = 0; i < n; ++i) x_[u[i].rd] = read_as<uint32_t>(w.host + (base + u[i].imm));
  return true;
}

// A fused run of loads at u (b's, run from cycle `start`) whose accesses are
// not all in the hot load window: its first lw alone, as run_block's lw
// (untraced) would do it (its index in the block: the next lw's minus 1). False,
// with nothing done, when the interpreter must run it.
bool Hart::load_alone(const Block& b, const Uop* u, uint64_t start) {
  const Window& w = (*hot_)[kHotLoad].blocks;
  const uint32_t a = rotr(x_[u->rs1] + u->imm - w.start, 2);
  if (a < w.words) {
    x_[u->rd] = read_as<uint32_t>(w.host + uint64_t{a} * 4);
    return true;
  }
  Uop one = *u;
  one.rs2 = static_cast<uint8_t>(u[1].rs2 - 1);
  return !quanta_.q && known_load(b, &one, start);
}

namespace {

unsigned load_size(uint8_t kind) { return kind == kULw ? 4 : kind == kULh || kind == kULhu ? 2 : 1; }
unsigned store_size(uint8_t kind) { return kind == kUSw ? 4 : kind == kUSh ? 2 : 1; }

// n rounds of a copy loop's load (L) and store (S), in order, from and to
// host addresses stepping by the accesses' steps; the last value loaded (as
// the load writes it to its register).
template <typename L, typename S>
uint32_t copy_each(const uint8_t* from, int64_t from_step, uint8_t* to, int64_t to_step, uint64_t n) {
  uint32_t v = 0;
  for (uint64_t i = 0; i < n; ++i, from += from_step, to += to_step) {
    v = read_as<L>(from);
    write_as<S>(to, v);
  }
  return v;
}

template <typename L>
uint32_t copy_each_to(uint8_t store_kind, const uint8_t* from, int64_t from_step, uint8_t* to, int64_t to_step,
                      uint64_t n) {
  if (store_kind == kUSw) return copy_each<L, uint32_t>(from, from_step, to, to_step, n);
  if (store_kind == kUSh) return copy_each<L, uint16_t>(from, from_step, to, to_step, n);
  return copy_each<L, uint8_t>(from, from_step, to, to_step, n);
}

// copy_each for the loop's load and store kinds.
uint32_t copy_in_order(uint8_t load_kind, uint8_t store_kind, const uint8_t* from, int64_t from_step, uint8_t* to,
                       int64_t to_step, uint64_t n) {
  switch (load_kind) {
    case kULw: return copy_each_to<uint32_t>(store_kind, from, from_step, to, to_step, n);
    case kULh: return copy_each_to<int16_t>(store_kind, from, from_step, to, to_step, n);
    case kULhu: return copy_each_to<uint16_t>(store_kind, from, from_step, to, to_step, n);
    case kULb: return copy_each_to<int8_t>(store_kind, from, from_step, to, to_step, n);
    default: return copy_each_to<uint8_t>(store_kind, from, from_step, to, to_step, n);
  }
}

// What a load of `kind` at p writes to its register.
uint32_t loaded(uint8_t kind, const uint8_t* p) {
  switch (kind) {
    case kULw: return read_as<uint32_t>(p);
    case kULh: return read_as<int16_t>(p);
    case kULhu: return read_as<uint16_t>(p);
    case kULb: return read_as<int8_t>(p);
    default: return read_as<uint8_t>(p);
  }
}

}  // namespace

// n rounds of c's load and store, from src and to dst (both rounds' first
// accesses, in the hot windows): at once, with *last the value the last load
// writes, when the rounds move whole bytes alike (same width, both stepping by
// it, both up or both down) between ranges apart, where their order does not
// matter; else false, with nothing done.
bool Hart::copy_apart(const CopyLoop& c, const uint8_t* src, uint8_t* dst, uint64_t n, uint32_t* last) {
  const int64_t size = load_size(c.load.kind);
  if (size != store_size(c.store.kind) || c.load.step != c.store.step || (c.load.step != size && c.load.step != -size)) {
    return false;
  }
  const int64_t bytes = static_cast<int64_t>(n) * size;
  const int64_t below = c.load.step > 0 ? 0 : bytes - size;  // the ranges start this far below the first accesses
  const uintptr_t from = reinterpret_cast<uintptr_t>(src) - static_cast<uintptr_t>(below);
  const uintptr_t to = reinterpret_cast<uintptr_t>(dst) - static_cast<uintptr_t>(below);
  if (from < to + static_cast<uintptr_t>(bytes) && to < from + static_cast<uintptr_t>(bytes)) return false;  // they overlap
  std::memcpy(dst - below, src - below, static_cast<size_t>(bytes));
  *last = loaded(c.load.kind, src + static_cast<int64_t>(n - 1) * c.load.step);
  return true;
}

// A loop block (b, its micro-ops ops) whose round fits CopyLoop's contract
// becomes a copy loop: its loop branch kUBneCopy, its round described in
// copy_loops_ by b's slot. False when it does not fit (nothing changed).
bool Hart::fuse_copy_loop(const Block& b, Uop* ops) {
  const unsigned m = static_cast<unsigned>(b.exits[b.loop_exit].retired - 1);  // the loop branch's index
  Uop& br = ops[m];
  if (br.kind != kUBneLoop) return false;
  CopyLoop c;
  int load = -1, store = -1;
  std::array<unsigned, 4> at{};  // where each stepped register is added to
  for (unsigned i = 0; i < m; ++i) {
    const Uop& u = ops[i];
    if (u.kind == kULw || u.kind == kULh || u.kind == kULhu || u.kind == kULb || u.kind == kULbu) {
      if (load >= 0) return false;
      load = static_cast<int>(i);
    } else if (u.kind == kUSw || u.kind == kUSh || u.kind == kUSb) {
      if (store >= 0) return false;
      store = static_cast<int>(i);
    } else if (u.kind == kUAddiTo && u.rd != 32) {
      for (unsigned r = 0; r < c.n_steps; ++r) {
        if (c.reg[r] == u.rd) return false;  // one addition per register
      }
      if (c.n_steps == c.reg.size()) return false;
      at[c.n_steps] = i;
      c.reg[c.n_steps] = u.rd;
      c.step[c.n_steps++] = static_cast<int32_t>(u.imm);
    } else {
      return false;
    }
  }
  if (load < 0 || store < load) return false;  // the store stores what the round loaded
  const Uop& l = ops[load];
  const Uop& s = ops[store];
  const auto stepped = [&](uint8_t reg, unsigned before, int32_t* step) {  // its step, and the part added before `before`
    for (unsigned r = 0; r < c.n_steps; ++r) {
      if (c.reg[r] == reg) {
        *step = c.step[r];
        return at[r] < before ? c.step[r] : 0;
      }
    }
    *step = 0;
    return 0;
  };
  int32_t data_step;
  stepped(l.rd, m, &data_step);
  if (l.rd == 32 || data_step || s.rs2 != l.rd || l.rs1 == l.rd || s.rs1 == l.rd || br.rs1 == l.rd || br.rs2 == l.rd) {
    return false;
  }
  c.data = l.rd;
  const auto access = [&](const Uop& u, unsigned i, unsigned size, CopyLoop::Access* a) {
    a->kind = u.kind;
    a->base = u.rs1;
    a->offset = static_cast<int32_t>(u.imm) + stepped(u.rs1, i, &a->step);
    return a->step % static_cast<int32_t>(size) == 0;  // aligned like the next round's, or not
  };
  if (!access(l, static_cast<unsigned>(load), load_size(l.kind), &c.load) ||
      !access(s, static_cast<unsigned>(store), store_size(s.kind), &c.store)) {
    return false;
  }
  int32_t step1, step2;
  stepped(br.rs1, m, &step1);
  stepped(br.rs2, m, &step2);
  if ((step1 == 0) == (step2 == 0)) return false;  // one register steps, the other is the limit
  c.counter = step1 ? br.rs1 : br.rs2;
  c.limit = step1 ? br.rs2 : br.rs1;
  c.counter_step = step1 ? step1 : step2;
  const uint32_t size = c.counter_step < 0 ? 0u - static_cast<uint32_t>(c.counter_step) : static_cast<uint32_t>(c.counter_step);
  if (size & (size - 1)) return false;  // rounds to the limit: by a shift
  if (copy_loops_.empty()) copy_loops_.resize(kBlocks);
  copy_loops_[static_cast<size_t>(&b - blocks_.data())] = c;
  br.kind = kUBneCopy;
  br.handler = handler(br.kind);
  return true;
}

// The rounds after this one (b's copy loop, its branch br just taken, `left`
// cycles left before this round's count) that run_block would run through
// whole and back to back: each starts within the budget (left minus the
// rounds before it, this one included, at least b's length: no cut), its
// branch is taken, and its load and store fall in the hot windows (both
// ends of their arithmetic progressions). Done in order, the registers
// left as the last of them leaves them; their count (0: nothing done).
uint64_t Hart::copy_rounds(const Block& b, const Uop* br, int64_t left) { return rounds_copied(b, br, left); }

uint64_t Hart::rounds_copied(const Block& b, const Uop* br, int64_t left) {
  const int64_t round = br->imm;  // instructions per round
  if (left - round < b.len || (cut_.at && cut_.block == &b)) return 0;
  uint64_t n = static_cast<uint64_t>((left - b.len) / round);  // rounds that start within the budget
  const CopyLoop& c = copy_loops_[static_cast<size_t>(&b - blocks_.data())];
  // The round whose branch falls through: the first k >= 1 with counter + k * step == limit.
  uint32_t gap = x_[c.limit] - x_[c.counter];  // (never 0: this round's branch was taken)
  uint32_t by = static_cast<uint32_t>(c.counter_step);
  if (c.counter_step < 0) {
    gap = 0u - gap;
    by = 0u - by;
  }
  if ((gap & (by - 1)) == 0) n = std::min<uint64_t>(n, gap / by - 1);  // (else it never falls through)
  n = std::min<uint64_t>(n, uint64_t{1} << 32);
  if (n == 0) return 0;
  // Both ends of each access in its window (aligned, in range: every access between is).
  const auto in_window = [&](const Window& w, const CopyLoop::Access& a, unsigned size, int64_t* first) {
    const int64_t lo = static_cast<int64_t>(static_cast<uint32_t>(x_[a.base] + static_cast<uint32_t>(a.offset)));
    const int64_t hi = lo + static_cast<int64_t>(n - 1) * a.step;
    const int64_t count = size == 4 ? w.words : size == 2 ? w.halves : w.bytes;
    const auto inside = [&](int64_t at) {
      const int64_t off = at - int64_t{w.start};
      return off >= 0 && off % size == 0 && off / size < count;
    };
    *first = lo - int64_t{w.start};
    return inside(lo) && inside(hi);
  };
  const Window& ld = (*hot_)[kHotLoad].blocks;
  const Window& st = (*hot_)[kHotStore].blocks;
  int64_t from, to;
  if (!in_window(ld, c.load, load_size(c.load.kind), &from) || !in_window(st, c.store, store_size(c.store.kind), &to)) {
    return 0;
  }
  const uint8_t* const src = ld.host + from;
  uint8_t* const dst = st.host + to;
  uint32_t v;
  if (!copy_apart(c, src, dst, n, &v)) v = copy_in_order(c.load.kind, c.store.kind, src, c.load.step, dst, c.store.step, n);
  x_[c.data] = v;
  for (unsigned r = 0; r < c.n_steps; ++r) x_[c.reg[r]] += static_cast<uint32_t>(n) * static_cast<uint32_t>(c.step[r]);
  return n;
}

// Micro-ops that leave at `room` (0 < room < the block's length; for
// budget_tail and cut_in): the one there becomes `mark` (kUBail, kUCut), and
// the one before it, if fused with it, runs alone.
void Hart::cut(Uop* ops, uint64_t room, uint8_t mark, bool runs) {
  Uop& last = ops[room - 1];
  if (Uop* run = runs ? fused_across(ops, room) : nullptr) {
    if (run != &last && ops != tail_.data()) cut_.run = {run, *run};  // (cut_in's: uncut puts it back)
    unfuse(run, static_cast<unsigned>(run - ops));
  }
  if (last.kind >= kUAddiBeq && last.kind <= kUAddiBgeuLoop) last = {handler(kUAddi), last.imm, kUAddi, last.rd, last.rs1, last.rs2};
  if (last.kind == kULiPair) last = {handler(kULi), last.imm - ops[room].imm, kULi, last.rd, last.rs1, last.rs2};
  ops[room] = {handler(mark), 0, mark, 0, 0, 0};
}

// Untraced: the budget ends `room` instructions into b (0 < room < b's
// length), which run_block is about to run from its start: b's own micro-ops
// are cut there (kUCut) until uncut() puts them back (budget_tail without the
// copy; one cut at a time). The cut runs at most once: b is entered with less
// budget left than its length, so no link or loop enters it again before the
// cut, which extend()s the budget (cutting b again further on when the next
// slice ends inside it too) or leaves. (A block dropped meanwhile keeps
// its memory until translate() reuses it, which run_block never does.)
void Hart::cut_in(const Block* b, uint64_t room) {
  if (cut_.at) uncut();
  Uop* const ops = uops_.data() + (b->ops - uops_.data());
  cut_ = {b, ops + room - 1, {ops[room - 1], ops[room]}, {}};
  cut(ops, room, kUCut, b->runs);
}

void Hart::uncut() {
  if (cut_.block->epoch == flush_epoch_) {  // (two stores each: std::copy calls memmove)
    cut_.at[0] = cut_.kept[0];
    cut_.at[1] = cut_.kept[1];
    if (cut_.run.at) *cut_.run.at = cut_.run.kept;
  }
  cut_.at = nullptr;
  cut_.run.at = nullptr;
}

// The fused run in ops that runs past `room` (holds ops[room]), or nullptr.
Hart::Uop* Hart::fused_across(Uop* ops, uint64_t room) {
  for (uint64_t i = room; i-- > 0 && room - i < kMaxBlockLen;) {
    const unsigned fused = static_cast<unsigned>(ops[i].kind) - kUSwRun;  // kUSwRun, kULwRun, kUSwRegs, kULwRegs: 0..3
    const unsigned n = fused >= 4 ? 0 : fused & 1 ? ops[i].rs2 : ops[i].rd;
    if (n) return i + n > room ? &ops[i] : nullptr;  // (runs never overlap: the one before ends before this one)
  }
  return nullptr;
}

// At a cut (kUCut): run_block's budget ends here, at cycle `end`. True, with
// the next slice's budget in *more, when run_blocks, returning here, would
// only ask the system for it (HartBus::next_slice) and go on: no failure and
// no interrupt line up (its check at a slice's start would find nothing).
// The system sees the hart at `end`, about to run the instruction at `pc`
// (a cut is only reached on a block's straight run); run_block sets cycle_
// and pc_ again wherever it leaves.
bool Hart::extend(uint64_t end, uint32_t pc, uint64_t* more) {
  if (!fatal_.empty() || irq_line_up()) return false;
  const uint64_t at = cycle_;
  const uint32_t was = pc_;
  cycle_ = end, pc_ = pc;
  if (!bus_.next_slice(more, quiet_)) {
    cycle_ = at, pc_ = was;
    return false;
  }
  quiet_ = true;
  slice_end_ = end + *more;
  return true;
}

// The latest of the granted quanta's ends at or before `at`, short of the
// last (the hart went past it before anything at `at`), or 0 when none.
uint64_t Hart::quanta_passed(uint64_t at) const {
  if (at < quanta_.first) return 0;
  const uint64_t k = std::min((at - quanta_.first) / quanta_.q, (quanta_.end - quanta_.first) / quanta_.q - 1);
  return quanta_.first + k * quanta_.q;
}

// The hart is no longer quiet at cycle_ (before what it does there): the
// grant of several quanta ends with the quantum it is in (the end returned).
uint64_t Hart::close_quanta() {
  quanta_passed_ = quanta_passed(cycle_);
  const uint64_t end = quanta_passed_ ? quanta_passed_ + quanta_.q : quanta_.first;
  quanta_.q = 0;
  return end;
}

uint64_t Hart::take_quanta_passed() {
  if (!quanta_granted_) return 0;
  quanta_granted_ = false;
  if (quanta_.q) {  // still quiet: it went past every end it reached
    quanta_passed_ = quanta_passed(cycle_);
    quanta_.q = 0;
  }
  return quanta_passed_;
}

// Runs b from ops (its micro-ops, or budget_tail's copy), then the blocks linked after it while they
// fit in the budget (end_cycle). True when the last block (b on return) left
// by one of its exits (exit; pc: where control goes next), false when it
// stopped before an instruction the interpreter must run (pc: that
// instruction). The cycle count and the flow history's position live in
// registers and are flushed on return. The hot windows and the links cannot
// change meanwhile: every path that changes them leaves first.
template <bool kRecord>
bool Hart::run_block(Block*& block, const Uop* ops, unsigned& exit_out, uint32_t& pc_out, uint64_t end_cycle) {
  static const void* const kHandler[kUCount] = {
      &&li, &&addi, &&slti, &&sltiu, &&xori, &&ori, &&andi, &&slli, &&srli, &&srai,
      &&add, &&sub, &&sll, &&slt_, &&sltu, &&xor_, &&srl, &&sra_, &&or_, &&and_,
      &&mul, &&mulh_, &&mulhsu_, &&mulhu_, &&div_, &&divu_, &&rem_, &&remu_,
      &&lb, &&lh, &&lw, &&lbu, &&lhu, &&sb, &&sh, &&sw,
      &&beq, &&bne, &&blt, &&bge, &&bltu, &&bgeu, &&jal, &&jalr,
      &&beq_loop, &&bne_loop, &&blt_loop, &&bge_loop, &&bltu_loop, &&bgeu_loop,
      &&addi_beq, &&addi_bne, &&addi_blt, &&addi_bge, &&addi_bltu, &&addi_bgeu,
      &&addi_beq_loop, &&addi_bne_loop, &&addi_blt_loop, &&addi_bge_loop, &&addi_bltu_loop, &&addi_bgeu_loop,
      &&csr_read, &&csr_write, &&nop, &&exit, &&bail, &&bail, &&cut,
      &&addi_to, &&xori_to, &&ori_to, &&andi_to, &&slli_to, &&srli_to, &&srai_to,
      &&add_to, &&sub_to, &&xor_to, &&or_to, &&and_to, &&j, &&ret, &&li_pair, &&csr_load,
      &&sw_run, &&lw_run, &&sw_run, &&lw_run, &&bne_copy};
  if (!block) {  // the first call (the constructor's): the labels for emit()
    handlers_[kRecord] = kHandler;
    return false;
  }
  // kRecord: each block run (from its block's first instruction, n of them) is noted.
  BlockRun* noted = block_runs_.data() + block_run_count_;
  const auto note = [&noted](const Block* run, uint64_t n) {
    if constexpr (kRecord) *noted++ = {run, static_cast<unsigned>(n), 1};
  };
  BlockRun* const first_noted = noted;
  // kRecord: each load and store that ran (address, value) is recorded (traced chains' records).
  MemRecord* mem = mem_records_.data();
  const bool keep_mem = traced_chains_ && trace_;  // only a trace reads them (report_runs)
  const auto mem_record = [&mem, keep_mem](uint32_t addr, uint32_t value) {
    if constexpr (kRecord) {
      if (keep_mem) *mem++ = {addr, value};
    }
  };
  uint32_t* const x = x_.data();
  const Window ld = (*hot_)[kHotLoad].blocks;
  const Window st = (*hot_)[kHotStore].blocks;
  const uint32_t gen = link_gen_;
  uint64_t* const flow = history_.ring();
  uint64_t flow_at = history_.position();
  Block* b = block;
  const Uop* u = ops;
  // Loop branches taken (all b's loop exit) whose flow-history entries are
  // not written yet: written before b is left or another entry is (the same
  // ring contents and position as writing each at once).
  // kRecord: the rounds are noted here too, as one run (joining b's run
  // just before when it is the same n instructions of b).
  uint64_t loops = 0;
  const auto write_loops = [&] {
    if constexpr (kRecord) {
      const auto n = static_cast<unsigned>(b->exits[b->loop_exit].retired);
      if (noted != first_noted && noted[-1].block == b && noted[-1].n == n) {
        noted[-1].repeat += static_cast<unsigned>(loops);
      } else {
        *noted++ = {b, n, static_cast<unsigned>(loops)};
      }
    }
    const uint64_t entry = b->exits[b->loop_exit].flow;
    const uint64_t last = std::min<uint64_t>(loops, FlowHistory::kSize);  // older ones would be overwritten
    flow_at = FlowHistory::fill(flow, flow_at + (loops - last), last, entry);
    loops = 0;
  };
  // The cycle count is kept as the budget left: cycle = end - left. A block
  // fits when its length is at most left; any block does while left >= kMaxBlockLen.
  uint64_t end = cycle_ + std::min<uint64_t>(end_cycle - cycle_, uint64_t{1} << 62);
  uint64_t more;   // a cut's next slice (extend)
  int64_t left = static_cast<int64_t>(end - cycle_);
  const auto cycle = [&] { return end - static_cast<uint64_t>(left); };
  uint32_t pc;     // where control goes (set where the block is left)
  unsigned k;      // the exit it leaves by (idem)
  const Exit* e;   // the exit taken
  Block* next;     // the block linked after it
  uint32_t a;    // a load's or store's offset in its hot window (rotated); jalr's target
  goto *u->handler;

li: x[u->rd] = u->imm; goto *(++u)->handler;
li_pair: x[u->rd] = u->imm; u += 2; goto *u->handler;
addi: x[u->rd] = x[u->rs1] + u->imm; goto *(++u)->handler;
slti: x[u->rd] = slt(x[u->rs1], u->imm); goto *(++u)->handler;
sltiu: x[u->rd] = x[u->rs1] < u->imm; goto *(++u)->handler;
xori: x[u->rd] = x[u->rs1] ^ u->imm; goto *(++u)->handler;
ori: x[u->rd] = x[u->rs1] | u->imm; goto *(++u)->handler;
andi: x[u->rd] = x[u->rs1] & u->imm; goto *(++u)->handler;
slli: x[u->rd] = x[u->rs1] << u->imm; goto *(++u)->handler;
srli: x[u->rd] = x[u->rs1] >> u->imm; goto *(++u)->handler;
srai: x[u->rd] = sra(x[u->rs1], u->imm); goto *(++u)->handler;
add: x[u->rd] = x[u->rs1] + x[u->rs2]; goto *(++u)->handler;
sub: x[u->rd] = x[u->rs1] - x[u->rs2]; goto *(++u)->handler;
sll: x[u->rd] = x[u->rs1] << (x[u->rs2] & 31); goto *(++u)->handler;
slt_: x[u->rd] = slt(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
sltu: x[u->rd] = x[u->rs1] < x[u->rs2]; goto *(++u)->handler;
xor_: x[u->rd] = x[u->rs1] ^ x[u->rs2]; goto *(++u)->handler;
srl: x[u->rd] = x[u->rs1] >> (x[u->rs2] & 31); goto *(++u)->handler;
sra_: x[u->rd] = sra(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
or_: x[u->rd] = x[u->rs1] | x[u->rs2]; goto *(++u)->handler;
and_: x[u->rd] = x[u->rs1] & x[u->rs2]; goto *(++u)->handler;
mul: x[u->rd] = x[u->rs1] * x[u->rs2]; goto *(++u)->handler;
mulh_: x[u->rd] = mulh(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
mulhsu_: x[u->rd] = mulhsu(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
mulhu_: x[u->rd] = mulhu(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
div_: x[u->rd] = div(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
divu_: x[u->rd] = divu(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
rem_: x[u->rd] = rem(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
remu_: x[u->rd] = remu(x[u->rs1], x[u->rs2]); goto *(++u)->handler;
addi_to: x[u->rd] += u->imm; goto *(++u)->handler;
xori_to: x[u->rd] ^= u->imm; goto *(++u)->handler;
ori_to: x[u->rd] |= u->imm; goto *(++u)->handler;
andi_to: x[u->rd] &= u->imm; goto *(++u)->handler;
slli_to: x[u->rd] <<= u->imm; goto *(++u)->handler;
srli_to: x[u->rd] >>= u->imm; goto *(++u)->handler;
srai_to: x[u->rd] = sra(x[u->rd], u->imm); goto *(++u)->handler;
add_to: x[u->rd] += x[u->rs2]; goto *(++u)->handler;
sub_to: x[u->rd] -= x[u->rs2]; goto *(++u)->handler;
xor_to: x[u->rd] ^= x[u->rs2]; goto *(++u)->handler;
or_to: x[u->rd] |= x[u->rs2]; goto *(++u)->handler;
and_to: x[u->rd] &= x[u->rs2]; goto *(++u)->handler;
// Loads and stores: the hot window or leave the block (misaligned, elsewhere).
// The offset rotated by the access's size's log tests alignment and range in
// one compare, and scales back in the address (see Window).
lb: a = x[u->rs1] + u->imm - ld.start;
  if (a >= ld.bytes) goto bail;
  x[u->rd] = read_as<int8_t>(ld.host + a); mem_record(ld.start + a, x[u->rd]); goto *(++u)->handler;
lh: a = rotr(x[u->rs1] + u->imm - ld.start, 1);
  if (a >= ld.halves) goto bail;
  x[u->rd] = read_as<int16_t>(ld.host + uint64_t{a} * 2); mem_record(ld.start + a * 2, x[u->rd]); goto *(++u)->handler;
lw: a = rotr(x[u->rs1] + u->imm - ld.start, 2);
  if (a >= ld.words) goto lw_known;
  x[u->rd] = read_as<uint32_t>(ld.host + uint64_t{a} * 4); mem_record(ld.start + a * 4, x[u->rd]); goto *(++u)->handler;
lw_known:  // outside the hot window: a device register whose read the bus knows stays in the block (untraced)
  if constexpr (!kRecord) {
    if (!quanta_.q && known_load(*b, u, cycle())) goto *(++u)->handler;  // (as csr_read)
  }
  goto bail;
lbu: a = x[u->rs1] + u->imm - ld.start;
  if (a >= ld.bytes) goto bail;
  x[u->rd] = read_as<uint8_t>(ld.host + a); mem_record(ld.start + a, x[u->rd]); goto *(++u)->handler;
lhu: a = rotr(x[u->rs1] + u->imm - ld.start, 1);
  if (a >= ld.halves) goto bail;
  x[u->rd] = read_as<uint16_t>(ld.host + uint64_t{a} * 2); mem_record(ld.start + a * 2, x[u->rd]); goto *(++u)->handler;
sb: a = x[u->rs1] + u->imm - st.start;
  if (a >= st.bytes) goto bail;
  write_as<uint8_t>(st.host + a, x[u->rs2]); mem_record(st.start + a, x[u->rs2]); goto *(++u)->handler;
sh: a = rotr(x[u->rs1] + u->imm - st.start, 1);
  if (a >= st.halves) goto bail;
  write_as<uint16_t>(st.host + uint64_t{a} * 2, x[u->rs2]); mem_record(st.start + a * 2, x[u->rs2]); goto *(++u)->handler;
sw: a = rotr(x[u->rs1] + u->imm - st.start, 2);
  if (a >= st.words) goto bail;
  write_as<uint32_t>(st.host + uint64_t{a} * 4, x[u->rs2]); mem_record(st.start + a * 4, x[u->rs2]); goto *(++u)->handler;
// Fused runs (never in blocks translated for kRecord): all in the window at
// once, or the first alone.
sw_run:
  if (store_run(u)) {
    u += u->rd;
    goto *u->handler;
  }
  goto sw;
lw_run:
  if (load_run(u)) {
    u += u->rs2;
    goto *u->handler;
  }
  if (!kRecord && load_alone(*b, u, cycle())) goto *(++u)->handler;
  goto bail;
// Branches: taken leaves by the exit in rd, not taken goes on (targets were
// checked for alignment when decoded). Jumps end the block.
beq: if (x[u->rs1] == x[u->rs2]) goto taken; goto *(++u)->handler;
bne: if (x[u->rs1] != x[u->rs2]) goto taken; goto *(++u)->handler;
blt: if (slt(x[u->rs1], x[u->rs2])) goto taken; goto *(++u)->handler;
bge: if (!slt(x[u->rs1], x[u->rs2])) goto taken; goto *(++u)->handler;
bltu: if (x[u->rs1] < x[u->rs2]) goto taken; goto *(++u)->handler;
bgeu: if (x[u->rs1] >= x[u->rs2]) goto taken; goto *(++u)->handler;
taken: e = reinterpret_cast<const Exit*>(reinterpret_cast<const char*>(b->exits.data()) + u->rd); goto direct;
beq_loop: if (x[u->rs1] == x[u->rs2]) goto again; goto *(++u)->handler;
bne_loop: if (x[u->rs1] != x[u->rs2]) goto again; goto *(++u)->handler;
blt_loop: if (slt(x[u->rs1], x[u->rs2])) goto again; goto *(++u)->handler;
bge_loop: if (!slt(x[u->rs1], x[u->rs2])) goto again; goto *(++u)->handler;
bltu_loop: if (x[u->rs1] < x[u->rs2]) goto again; goto *(++u)->handler;
bgeu_loop: if (x[u->rs1] >= x[u->rs2]) goto again; goto *(++u)->handler;
// addi + branch: a is the addi's result (the branch's rs1); u moves to the branch.
addi_beq: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a == x[u->rs2]) goto taken; goto *(++u)->handler;
addi_bne: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a != x[u->rs2]) goto taken; goto *(++u)->handler;
addi_blt: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (slt(a, x[u->rs2])) goto taken; goto *(++u)->handler;
addi_bge: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (!slt(a, x[u->rs2])) goto taken; goto *(++u)->handler;
addi_bltu: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a < x[u->rs2]) goto taken; goto *(++u)->handler;
addi_bgeu: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a >= x[u->rs2]) goto taken; goto *(++u)->handler;
addi_beq_loop: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a == x[u->rs2]) goto again; goto *(++u)->handler;
addi_bne_loop: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a != x[u->rs2]) goto again; goto *(++u)->handler;
addi_blt_loop: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (slt(a, x[u->rs2])) goto again; goto *(++u)->handler;
addi_bge_loop: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (!slt(a, x[u->rs2])) goto again; goto *(++u)->handler;
addi_bltu_loop: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a < x[u->rs2]) goto again; goto *(++u)->handler;
addi_bgeu_loop: a = x[u->rd] = x[u->rs1] + u->imm; ++u; if (a >= x[u->rs2]) goto again; goto *(++u)->handler;
bne_copy:  // a copy loop's branch: taken, the whole rounds after it that run alike are done at once
  if (x[u->rs1] == x[u->rs2]) goto *(++u)->handler;
  if constexpr (!kRecord) {
    const uint64_t rounds = copy_rounds(*b, u, left);
    if (__builtin_expect(rounds != 0, 1)) {
      left -= static_cast<int64_t>(rounds * u->imm);
      loops += rounds;
    }
  }
  goto again;
again:  // a loop branch retired, taken: run the block again if it fits (no link to follow)
  left -= u->imm;
  ++loops;  // (kRecord: noted with the others by write_loops)
  if (left >= kMaxBlockLen || left >= b->len) {
    u = b->ops;
    goto *u->handler;
  }
  if (!kRecord && left > 0) {  // the budget ends inside this round: run it cut there
    cut_in(b, static_cast<uint64_t>(left));
    u = b->ops;
    goto *u->handler;
  }
  pc = b->pc;
  k = exit_index(u->rd);
  goto leave;
jal: x[u->rd] = b->fall; e = &b->exits[kExitTaken]; goto direct;
j: e = &b->exits[kExitTaken]; goto direct;
ret: a = x[u->rs1] & ~1u;
  if (a & 3) goto bail;
  e = &b->exits[kExitTaken];
  goto jumped;
jalr: a = (x[u->rs1] + u->imm) & ~1u;
  if (a & 3) goto bail;
  x[u->rd] = b->fall;
  e = &b->exits[kExitTaken];
jumped:  // jalr or ret at u retired, to a (its flow entry's from part was decoded)
  if (loops) write_loops();
  left -= e->retired;
  note(b, e->retired);
  flow[flow_at++ & (FlowHistory::kSlots - 1)] = e->flow | a;
  if (e->gen == gen && e->pc == a) {  // its link is for the pc it last went to
    next = e->next;
    goto enter;
  }
  pc = a;
  goto unlinked;
// CSR accesses: the system sees the cycle count up to this instruction
// (cycle, instret, time). A write may change interrupt lines, the mode's
// windows or the memory map: the block is left after it, unlinked, when it
// may have (below).
csr_load:  // csr_uop's plain read, in place
  std::memcpy(&x[u->rd], csr_storage_[u->imm & 0xFFF].read, 4);
  goto *(++u)->handler;
csr_read:
  if (quanta_.q) goto bail;  // the interpreter runs it, and the grant of several quanta ends (close_quanta)
  if (!(u->imm & kCsrPlain)) cycle_ = cycle() + u->rs2;  // (its index: rs2) plain storage needs no count
  quiet_ = false;
  if (!csr_uop(*u)) goto bail;
  goto *(++u)->handler;
csr_write: {
  if (quanta_.q) goto bail;  // (as csr_read)
  const uint64_t n = u->rs2;  // its index in the block
  cycle_ = cycle() + n;
  quiet_ = false;
  if (!csr_uop(*u)) goto bail;
  // The interpreter checks interrupts after a CSR write. The block goes on
  // when that check would ask nothing (no interrupt line up) and the write
  // left DMI and the blocks alone, if the rest of the block still fits in the
  // budget after the write's stalls; else it leaves for the check.
  if (link_gen_ == gen && !irq_line_up() && cycle_ - n + b->len <= end) {
    left = static_cast<int64_t>(end - (cycle_ - n));  // the block's start, moved by the stalls
    goto *(++u)->handler;
  }
  left = static_cast<int64_t>(end - (cycle_ + 1));  // the write retires, after the stalls it was charged
  note(b, n + 1);  // (never with kRecord: its blocks hold no CSR access)
  pc = b->pc + 4 * static_cast<uint32_t>(n + 1);
  k = kExitSync;
  goto leave;
}
nop: goto *(++u)->handler;
direct:  // a direct branch or jump retired, taken (its entry and count were decoded)
  if (loops) write_loops();
  left -= e->retired;
  note(b, e->retired);
  flow[flow_at++ & (FlowHistory::kSlots - 1)] = e->flow;
  goto fixed;
exit:  // run to its end (no flow entry: not a jump)
  e = &b->exits[kExitFall];
  if (loops) write_loops();
  left -= e->retired;
  note(b, e->retired);
// The successor linked for this exit (else decoded already: linked now), if it fits in the budget.
fixed:  // an exit with a fixed pc (a direct jump or branch, the fall-through): its link is for that pc
  if (e->gen == gen) {
    next = e->next;
    goto enter;
  }
  pc = e->pc;
unlinked:
  k = static_cast<unsigned>(e - b->exits.data());
  next = relink(b, k, pc);
  if (!next) goto leave;
enter:
  if (left >= kMaxBlockLen || left >= next->len) {
    b = next;
    u = b->ops;
    goto *u->handler;
  }
  if (!kRecord && left > 0) {  // the budget ends inside next: run it cut there
    cut_in(next, static_cast<uint64_t>(left));
    b = next;
    u = b->ops;
    goto *u->handler;
  }
  pc = next->pc;
  k = static_cast<unsigned>(e - b->exits.data());
leave:
  if (loops) write_loops();
  cycle_ = cycle();
  history_.set_position(flow_at);
  pc_out = pc;
  exit_out = k;
  block = b;
  if constexpr (kRecord) {
    block_run_count_ = static_cast<unsigned>(noted - block_runs_.data());
    mem_record_count_ = static_cast<unsigned>(mem - mem_records_.data());
  }
  return true;
cut:  // the budget ends here (cut_in): the next slice goes on here when the system would only start it
  if (!kRecord && extend(end, b->pc + 4 * uop_index(*b, u), &more)) {
    end += more;
    left += static_cast<int64_t>(more);
    if (left >= kMaxBlockLen || left >= b->len) {
      uncut();  // u's own micro-op again
    } else {
      cut_in(b, static_cast<uint64_t>(left));  // the next slice ends inside b too: cut further on
    }
    goto *u->handler;
  }
bail:
  if (loops) write_loops();
  pc_out = b->pc + 4 * uop_index(*b, u);
  cycle_ = cycle() + uop_index(*b, u);
  history_.set_position(flow_at);
  block = b;
  if constexpr (kRecord) {
    if (const uint32_t n = uop_index(*b, u)) note(b, n);
    block_run_count_ = static_cast<unsigned>(noted - block_runs_.data());
    mem_record_count_ = static_cast<unsigned>(mem - mem_records_.data());
  }
  return false;
}

template bool Hart::run_block<false>(Block*&, const Uop*, unsigned&, uint32_t&, uint64_t);
template bool Hart::run_block<true>(Block*&, const Uop*, unsigned&, uint32_t&, uint64_t);

// ---- checkpoint ----------------------------------------------------------------

void Hart::save(StateWriter& w) const {
  w.begin("HART");
  for (unsigned i = 0; i < 32; ++i) w.u32(x_[i]);
  w.u32(pc_);
  w.u64(cycle_);
  w.u64(stalls_);
  w.u64(storm_instret_);
  w.u32(storm_traps_);
  const FlowHistory::LastTrap& t = history_.last_trap();  // (what a failure report after a restore shows)
  w.u32(uint32_t{t.valid} | uint32_t{t.interrupt} << 1 | static_cast<uint32_t>(t.from) << 2 |
        static_cast<uint32_t>(t.to) << 4);
  w.u32(t.pc), w.u32(t.vector), w.u32(t.cause), w.u32(t.tval);
  w.end();
}

void Hart::restore(StateReader& r) {
  r.begin("HART");
  for (unsigned i = 0; i < 32; ++i) x_[i] = r.u32();
  x_[0] = 0;
  pc_ = r.u32();
  cycle_ = r.u64();
  stalls_ = r.u64();
  storm_instret_ = r.u64();
  storm_traps_ = r.u32();
  FlowHistory::LastTrap t;
  const uint32_t flags = r.u32();
  t.pc = r.u32(), t.vector = r.u32(), t.cause = r.u32(), t.tval = r.u32();
  r.end();
  if (stalls_ > cycle_) r.fail("more stall cycles than cycles");
  if (flags >> 6 || (flags >> 2 & 3) == 3 || (flags >> 4 & 3) == 3) r.fail("the last trap's flags are not valid");
  t.valid = flags & 1, t.interrupt = flags >> 1 & 1;
  t.from = static_cast<spec::Mode>(flags >> 2 & 3), t.to = static_cast<spec::Mode>(flags >> 4 & 3);
  history_.start_at(pc_);
  history_.set_last_trap(t);
  stop_requested_ = false;
  fatal_.clear();
  flush_decode();
  invalidate_dmi();
}

}  // namespace trimode

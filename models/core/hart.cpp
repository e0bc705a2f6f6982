#include "models/core/hart.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <limits>

namespace trimode {

using spec::Mode;
using spec::Op;

namespace {

uint32_t bits(uint32_t insn, unsigned hi, unsigned lo) { return (insn >> lo) & ((1u << (hi - lo + 1)) - 1); }
int32_t sext(uint32_t value, unsigned width) {
  const uint32_t m = 1u << (width - 1);
  return static_cast<int32_t>((value ^ m) - m);
}
int32_t i_imm(uint32_t insn) { return static_cast<int32_t>(insn) >> 20; }
int32_t s_imm(uint32_t insn) { return sext(bits(insn, 31, 25) << 5 | bits(insn, 11, 7), 12); }
int32_t b_imm(uint32_t insn) {
  return sext(bits(insn, 31, 31) << 12 | bits(insn, 7, 7) << 11 | bits(insn, 30, 25) << 5 | bits(insn, 11, 8) << 1, 13);
}
int32_t u_imm(uint32_t insn) { return static_cast<int32_t>(insn & 0xFFFFF000u); }
int32_t j_imm(uint32_t insn) {
  return sext(bits(insn, 31, 31) << 20 | bits(insn, 19, 12) << 12 | bits(insn, 20, 20) << 11 | bits(insn, 30, 21) << 1, 21);
}

unsigned mode_index(Mode m) { return static_cast<unsigned>(m); }

}  // namespace

Hart::Hart(HartBus& bus, ModeControl& modes, HartConfig config)
    : bus_(bus), modes_(modes), config_(config), memo_storage_(kMemoSize, blank()), memo_(memo_storage_.data()) {}

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
  // Which modes execute the word in place, from the classifier itself (a
  // memoizable one: with every_insn_ the memo's answer is never used).
  for (unsigned m = 0; m < 3 && !every_insn_; ++m) {
    if (decision(insn, static_cast<Mode>(m), 0).action == spec::Action::kExec) d.exec_modes |= 1u << m;
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
  Decoded& e = memo_[(pc >> 2) & (kMemoSize - 1)];
  if (e.insn != insn) e = decode(insn);
  return e;
}

void Hart::flush_decode() { std::fill(memo_storage_.begin(), memo_storage_.end(), blank()); }

void Hart::invalidate_dmi() {
  for (auto& ws : dmi_) ws.fill(DmiWindow{});
  reset_hot();
}

// ---- memory -------------------------------------------------------------------

DmiWindow* Hart::window(uint32_t addr, unsigned size, bool write) {
  for (DmiWindow& w : dmi_[mode_index(modes_.mode())]) {
    if (addr >= w.start && addr <= w.end && w.end - addr >= size - 1 && (write ? w.write : w.read)) return &w;
  }
  return nullptr;
}

bool Hart::refill(uint32_t addr, unsigned size, bool write, DmiWindow** out) {
  const unsigned m = mode_index(modes_.mode());
  DmiWindow w;
  if (!bus_.dmi(modes_.mode(), addr, &w)) return false;
  if (!(addr >= w.start && addr <= w.end && w.end - addr >= size - 1 && (write ? w.write : w.read))) return false;
  if (w.end - w.start < 3 || !w.host) return false;  // too small for the hot path's arithmetic
  ++dmi_grants_;
  DmiWindow& slot = dmi_[m][dmi_next_[m]];
  dmi_next_[m] = (dmi_next_[m] + 1) % kWindows;
  slot = w;
  *out = &slot;
  return true;
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

bool Hart::fetch_slow(uint32_t pc, uint32_t* insn) {
  if (hot_mode_ != modes_.mode()) reset_hot();
  DmiWindow* w = window(pc, 4, false);
  if (w || refill(pc, 4, false, &w)) {
    set_hot(kHotFetch, *w);
    std::memcpy(insn, w->host + (pc - w->start), 4);
    return true;
  }
  const Access a = bus_.load(modes_.mode(), pc, 4, insn);
  if (a == Access::kOk || a == Access::kOkSync) return true;
  access_fault(a, spec::kCauseInsnAccessFault, pc);
  return false;
}

template <typename T>
inline bool Hart::load(uint32_t addr, uint32_t* value) {
  if (addr & (sizeof(T) - 1)) {
    raise(spec::kCauseLoadMisaligned, addr);
    return false;
  }
  if (uint8_t* p = hot(kHotLoad, addr)) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    *value = static_cast<uint32_t>(v);
    return true;
  }
  return load_slow<T>(addr, value);
}

template <typename T>
bool Hart::load_slow(uint32_t addr, uint32_t* value) {
  if (hot_mode_ != modes_.mode()) reset_hot();
  DmiWindow* w = window(addr, sizeof(T), false);
  if (w || refill(addr, sizeof(T), false, &w)) {
    set_hot(kHotLoad, *w);
    T v;
    std::memcpy(&v, w->host + (addr - w->start), sizeof(T));
    *value = static_cast<uint32_t>(v);
    return true;
  }
  uint32_t raw = 0;
  const Access a = bus_.load(modes_.mode(), addr, sizeof(T), &raw);
  if (stop_requested_) return false;
  if (a != Access::kOk && a != Access::kOkSync) {
    access_fault(a, spec::kCauseLoadAccessFault, addr);
    return false;
  }
  *value = static_cast<uint32_t>(static_cast<T>(raw));
  return true;
}

template <typename T>
inline Hart::Step Hart::store(uint32_t addr, uint32_t value) {
  if (addr & (sizeof(T) - 1)) {
    raise(spec::kCauseStoreMisaligned, addr);
    return Step::kTrap;
  }
  if (uint8_t* p = hot(kHotStore, addr)) {
    const T v = static_cast<T>(value);
    std::memcpy(p, &v, sizeof(T));
    return Step::kNext;
  }
  return store_slow<T>(addr, value);
}

template <typename T>
Hart::Step Hart::store_slow(uint32_t addr, uint32_t value) {
  if (hot_mode_ != modes_.mode()) reset_hot();
  DmiWindow* w = window(addr, sizeof(T), true);
  if (w || refill(addr, sizeof(T), true, &w)) {
    set_hot(kHotStore, *w);
    const T v = static_cast<T>(value);
    std::memcpy(w->host + (addr - w->start), &v, sizeof(T));
    return Step::kNext;
  }
  const Access a = bus_.store(modes_.mode(), addr, sizeof(T), value);
  if (stop_requested_) return Step::kTrap;
  if (a == Access::kOkSync) return Step::kSync;
  if (a != Access::kOk) {
    access_fault(a, spec::kCauseStoreAccessFault, addr);
    return Step::kTrap;
  }
  return Step::kNext;
}

// ---- traps ----------------------------------------------------------------------

void Hart::raise(uint32_t cause, uint32_t tval) { raise_to(exception_owner(modes_.mode()), 0, cause, tval); }

void Hart::raise_to(Mode target, spec::Kind kind, uint32_t cause, uint32_t tval) { trap_ = {target, kind, cause, tval}; }

uint32_t Hart::apply_trap(uint32_t pc) {
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
  stall(1 + config_.trap_entry_cycles);
  reset_hot();
  return modes_.enter(trap_.target, trap_.kind, trap_.cause, trap_.tval, pc);
}

Hart::Step Hart::apply_decision(const Decision& d, uint32_t insn) {
  if (d.action == spec::Action::kExec) return Step::kNext;
  // A trapping instruction's tval is the instruction word (as RISC-V's
  // illegal-instruction tval), so the owner can emulate it.
  raise_to(d.target, d.kind, d.cause, insn);
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
// through the bus only while a line is up. Word 0 stands for "no instruction"
// (interrupts come first in the classifier's priority chain, and 0 executes
// nowhere). A classifier that stops the run (only one asked about every
// instruction can) leaves fatal_ set, and the next instruction's ask stops it.
bool Hart::interrupt(Mode mode, uint32_t pc, Decision* irq) {
  const IrqLines lines = modes_.irq_lines();
  if (!lines.timer_pending && !lines.virtual_pending) return false;
  if (!bus_.decide({0, mode, lines, pc}, irq, &fatal_)) return false;
  return irq->action == spec::Action::kTrap && (irq->cause >> 31) != 0;  // interrupts set bit 31 (spec/causes.txt)
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

Hart::Step Hart::csr_op(const Decoded& d) {
  const uint16_t csr = static_cast<uint16_t>(d.imm & 0xFFF);
  const bool imm_form = d.op == Op::kCsrrwi || d.op == Op::kCsrrsi || d.op == Op::kCsrrci;
  const uint32_t src = imm_form ? d.rs1 : x_[d.rs1];
  uint32_t old = 0;
  if (!csr_read(csr, &old)) {
    raise(spec::kCauseIllegalInsn, d.insn);
    return Step::kTrap;
  }
  bool write = true;
  uint32_t value = src;
  switch (d.op) {
    case Op::kCsrrs: case Op::kCsrrsi: value = old | src; write = d.rs1 != 0; break;
    case Op::kCsrrc: case Op::kCsrrci: value = old & ~src; write = d.rs1 != 0; break;
    default: break;
  }
  if (write && !csr_write(csr, value)) {
    raise(spec::kCauseIllegalInsn, d.insn);
    return Step::kTrap;
  }
  x_[d.rd] = old;
  // A CSR write may change interrupt enables, the memory map or the mode's windows.
  return write ? Step::kBreak : Step::kNext;
}

Hart::Step Hart::execute_system(const Decoded& d, uint32_t pc, uint32_t& next_pc) {
  switch (d.op) {
    case Op::kExit:
      stall(config_.exit_cycles);
      next_pc = modes_.exit(pc);
      reset_hot();
      return Step::kBreak;
    case Op::kWfi: {
      const IrqLines l = modes_.irq_lines();
      return (l.timer_pending || l.virtual_pending) ? Step::kNext : Step::kWfi;
    }
    case Op::kFence: return Step::kNext;
    case Op::kFenceI: flush_decode(); return Step::kNext;
    default: return csr_op(d);
  }
}

inline Hart::Step Hart::execute(const Decoded& d, uint32_t pc, uint32_t& next_pc) {
  uint32_t* x = x_.data();
  const uint32_t a = x[d.rs1];
  const uint32_t b = x[d.rs2];
  const uint32_t imm = static_cast<uint32_t>(d.imm);
  const auto sa = static_cast<int32_t>(a);
  const auto sb = static_cast<int32_t>(b);
  uint32_t& rd = x[d.rd];
  switch (d.op) {
    case Op::kLui: rd = imm; break;
    case Op::kAuipc: rd = pc + imm; break;
    case Op::kJal: return jump(pc + imm, d.rd, pc, next_pc);
    case Op::kJalr: return jump((a + imm) & ~1u, d.rd, pc, next_pc);
    case Op::kBeq: return branch(d, a == b, pc, next_pc);
    case Op::kBne: return branch(d, a != b, pc, next_pc);
    case Op::kBlt: return branch(d, sa < sb, pc, next_pc);
    case Op::kBge: return branch(d, sa >= sb, pc, next_pc);
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
    case Op::kSlti: rd = sa < d.imm; break;
    case Op::kSltiu: rd = a < imm; break;
    case Op::kXori: rd = a ^ imm; break;
    case Op::kOri: rd = a | imm; break;
    case Op::kAndi: rd = a & imm; break;
    case Op::kSlli: rd = a << d.rs2; break;
    case Op::kSrli: rd = a >> d.rs2; break;
    case Op::kSrai: rd = static_cast<uint32_t>(sa >> d.rs2); break;
    case Op::kAdd: rd = a + b; break;
    case Op::kSub: rd = a - b; break;
    case Op::kSll: rd = a << (b & 31); break;
    case Op::kSlt: rd = sa < sb; break;
    case Op::kSltu: rd = a < b; break;
    case Op::kXor: rd = a ^ b; break;
    case Op::kSrl: rd = a >> (b & 31); break;
    case Op::kSra: rd = static_cast<uint32_t>(sa >> (b & 31)); break;
    case Op::kOr: rd = a | b; break;
    case Op::kAnd: rd = a & b; break;
    case Op::kMul: rd = a * b; break;
    case Op::kMulh: rd = static_cast<uint32_t>((int64_t{sa} * int64_t{sb}) >> 32); break;
    case Op::kMulhsu: rd = static_cast<uint32_t>((int64_t{sa} * static_cast<int64_t>(b)) >> 32); break;
    case Op::kMulhu: rd = static_cast<uint32_t>((uint64_t{a} * uint64_t{b}) >> 32); break;
    case Op::kDiv:
      rd = b == 0 ? ~0u : (sa == std::numeric_limits<int32_t>::min() && sb == -1) ? a : static_cast<uint32_t>(sa / sb);
      break;
    case Op::kDivu: rd = b == 0 ? ~0u : a / b; break;
    case Op::kRem:
      rd = b == 0 ? a : (sa == std::numeric_limits<int32_t>::min() && sb == -1) ? 0 : static_cast<uint32_t>(sa % sb);
      break;
    case Op::kRemu: rd = b == 0 ? a : a % b; break;
    default: return execute_system(d, pc, next_pc);
  }
  return Step::kNext;
}

template <bool kTraced>
StopReason Hart::run(uint64_t cycle_budget) {
  // pc lives in a register here; pc_ is written back before anything that
  // reads it (trap entry, interrupts) and when run() returns.
  const uint64_t end_cycle = cycle_ + cycle_budget;
  bool check_irq = true;
  Mode mode = modes_.mode();
  uint32_t pc = pc_;
  StopReason reason = StopReason::kBudget;
  while (cycle_ < end_cycle) {
    if (check_irq) {  // after anything that may change the mode or the interrupt lines
      check_irq = false;
      mode = modes_.mode();
      Decision irq;
      if (interrupt(mode, pc, &irq)) {
        stall(config_.trap_entry_cycles);
        pc = modes_.enter(irq.target, 0, irq.cause, 0, pc);
        reset_hot();
        check_irq = true;  // the mode changed
        continue;
      }
    }
    uint32_t insn;
    if (!fetch(pc, &insn)) {
      if (mode == Mode::V && pc == modes_.trap_vector(Mode::V)) {
        fatal_ = "V's trap vector is not executable";
        reason = StopReason::kFatal;
        break;
      }
      pc = apply_trap(pc);
      check_irq = true;
      continue;
    }
    const Decoded& d = lookup(pc, insn);
    uint32_t next_pc = pc + 4;
    Step step;
    if constexpr (kTraced) {
      Decision decision;
      if (!fatal_.empty() || !bus_.decide({insn, mode, modes_.irq_lines(), pc}, &decision, &fatal_)) {
        reason = StopReason::kFatal;
        break;
      }
      step = decision.action == spec::Action::kExec ? execute(d, pc, next_pc) : apply_decision(decision, insn);
    } else {
      step = __builtin_expect(d.exec_modes >> mode_index(mode) & 1, 1)
                 ? execute(d, pc, next_pc)
                 : apply_decision(decision(insn, mode, pc), insn);
    }
    x_[0] = 0;
    if (__builtin_expect(step == Step::kTrap, 0) && !stop_requested_) {
      pc = apply_trap(pc);
      check_irq = true;
      continue;
    }
    // The instruction retired: one cycle. A trapping step here is an access
    // that completed and told the system to stop.
    if constexpr (kTraced) {
      const bool wrote = step != Step::kTrap && d.writes_rd && d.rd;
      if (trace_) trace_->push_back({mode, pc, insn, wrote ? d.rd : -1, wrote ? x_[d.rd] : 0});
    }
    ++cycle_;
    if (__builtin_expect(step == Step::kNext, 1)) {
      pc = next_pc;
      continue;
    }
    if (step == Step::kTrap) {
      reason = StopReason::kStopped;
      break;
    }
    // kBreak, kWfi, kSync: the system wants a look.
    pc = next_pc;
    if (step == Step::kWfi) {
      reason = StopReason::kWfi;
      break;
    }
    if (step == Step::kSync) {
      reason = StopReason::kSync;
      break;
    }
    check_irq = true;
  }
  pc_ = pc;
  return reason;
}

template StopReason Hart::run<true>(uint64_t);
template StopReason Hart::run<false>(uint64_t);

}  // namespace trimode

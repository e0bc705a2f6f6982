// The RV32IM hart: a pre-decoded block engine over a one-instruction
// interpreter, DMI fast paths and the three-mode trap flow. Pure C++: the
// SystemC core (models/core/core.hpp) supplies the bus, time and the quantum;
// tests supply a plain memory.
//
// The interpreter (step): fetch the word (DMI pointer or bus), look its decode
// up in a memo tagged by the word itself, take the classifier's decision (which
// modes execute the word in place is memoized with the decode, filled through
// the bus's decide(); every other decision is asked for), execute or trap.
// Traps are values (Trap) raised where they are detected and applied in one
// place, apply_trap(), by the mode register (ModeControl). It runs every
// instruction under --trace-insn, and otherwise whatever the block engine
// leaves to it.
//
// Traced and co-simulated runs (inside a waveform window; --cosim) use block
// records when the system offers them (set_block_records): blocks, translated
// to end before CSR accesses, run chained as untraced (with a trace: one pass
// at a time, unless set_traced_chains) and their instructions are reported
// (HartBus::in_place) instead of asked about one by one; the interpreter,
// asking the classifier, runs the rest (CSR accesses, traps, and under a
// trace without traced chains loads and stores).
//
// The block engine (docs/performance.md): a straight line of
// instructions up to the first jump, the third conditional branch (the others
// are side exits) or an instruction it does not take (system
// instructions, anything the classifier does not let execute in the mode) is
// decoded once into micro-ops (handler address and pre-extracted operands, the
// decision folded in) and run by threaded dispatch with the cycle count added
// where the block is left. Loads and stores take only the
// DMI hot windows there; anything else (device access, misalignment, a fault, a
// store into a page holding decoded code) leaves the block just before that
// instruction and the interpreter runs it. Blocks are looked up by (pc, mode,
// host address of the code), so a DMI invalidation or a mode change never
// runs code from the wrong memory; chained blocks skip the lookup; interrupts
// and the quantum are checked between blocks, which end at every event that
// can change either (traps, exit, device writes; a CSR write when an
// interrupt line is up or it invalidated DMI: otherwise the check after it
// would ask nothing), exactly where the interpreter would check them. Stores into a page holding decoded code, fence.i
// and program loads drop every block, so self-modifying code stays correct with
// or without fence.i; HartConfig::strict_fence_i reports code run stale instead.
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <set>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "models/classifier/classifier.hpp"
#include "models/core/flow_history.hpp"
#include "models/modereg/mode_control.hpp"
#include "models/state/state_io.hpp"
#include "trimode/spec.hpp"

#if defined(__clang__)
#define TRIMODE_HANDLER_TAILS
#else
#define TRIMODE_HANDLER_TAILS __attribute__((optimize("no-crossjumping")))
#endif

namespace trimode {

// A direct-memory window, in the address space of one mode (U addresses are
// process-relative; G and V addresses are physical).
struct DmiWindow {
  uint32_t start = 1;  // empty when start > end
  uint32_t end = 0;
  uint8_t* host = nullptr;  // host address of `start`
  bool read = false;
  bool write = false;
};

// Outcome of a slow-path access.
enum class Access : uint8_t {
  kOk,
  kOkSync,      // done, and the system must synchronise before the next instruction
                // (a device register was written: its effects, e.g. an interrupt line, are due now)
  kFault,       // access fault, owned by the exception owner rule
  kFaultToV,    // access fault owned by V whatever the mode (a VM's segment broken)
  kWatch,       // not done: a debugger's watchpoint stops the run before the instruction
                // that makes it (Hart::run returns StopReason::kWatch)
};

// A CSR write its owner performs when called (HartBus::csr_writer).
struct CsrWriter {
  void (*write)(void* owner, uint32_t value) = nullptr;  // nullptr: none
  void* owner = nullptr;
};

// What the hart needs from the system.
class HartBus {
 public:
  virtual ~HartBus() = default;
  // Slow path: one access of `size` bytes (1, 2, 4) at `addr` in `mode`'s space.
  virtual Access load(spec::Mode mode, uint32_t addr, unsigned size, uint32_t* value) = 0;
  virtual Access store(spec::Mode mode, uint32_t addr, unsigned size, uint32_t value) = 0;
  // Slow path of an instruction fetch: load()'s, except that no watchpoint
  // ever stops it (kWatch is for data accesses). Default: load().
  virtual Access fetch(spec::Mode mode, uint32_t pc, uint32_t* insn) { return load(mode, pc, 4, insn); }
  // Whether load() / store() of that access would answer kWatch, asked
  // before the first byte of an emulated misaligned access (none of its bytes
  // is made when one of them would stop). Default: never.
  virtual bool watched(spec::Mode mode, bool write, uint32_t addr, unsigned size) {
    (void)mode, (void)write, (void)addr, (void)size;
    return false;
  }
  // A DMI window covering `addr` for `mode`, when the system grants one.
  virtual bool dmi(spec::Mode mode, uint32_t addr, DmiWindow* window) = 0;
  // CSRs not owned by the hart itself (the mode register's and the memory controller's).
  virtual bool csr_read(uint16_t csr, uint32_t* value) = 0;
  virtual bool csr_write(uint16_t csr, uint32_t value) = 0;
  // Where such a CSR's value lives when an access through the pointer is
  // exactly what csr_read / csr_write do (its register bus's direct access):
  // *read, *write (nullptr: by csr_read / csr_write). The pointers stay good
  // until Hart::csr_storage_changed() says otherwise. Default: none.
  virtual void csr_storage(uint16_t csr, uint8_t** read, uint8_t** write) {
    (void)csr;
    *read = *write = nullptr;
  }
  // A CSR write with side effects its owner performs when called, exactly
  // as csr_write() would (its register bus's direct write), good as long as
  // csr_storage's pointers. Default: none (by csr_write).
  virtual CsrWriter csr_writer(uint16_t csr) {
    (void)csr;
    return {};
  }
  // A load whose read the system already knows to be side-effect free and
  // sure to succeed (a device register's direct read, asked on an earlier
  // load(); never asked here): performs it at the hart's current cycle, as
  // load() would (no stall, no sync, no fault), and returns true; false: by
  // load(). Default: none.
  virtual bool known_load(spec::Mode mode, uint32_t addr, unsigned size, uint32_t* value) {
    (void)mode, (void)addr, (void)size, (void)value;
    return false;
  }
  // known_load's read of (mode, addr, size) as a plain function, when the
  // system has one: read(ctx, cycle) returns what known_load would with the
  // hart at `cycle` (and performs it as that would). Good until the hart's DMI
  // is invalidated (Hart::invalidate_dmi) or Hart::known_readers_changed();
  // empty (read nullptr): by known_load. Default: none.
  struct KnownReader {
    uint32_t (*read)(const void* ctx, uint64_t cycle) = nullptr;
    const void* ctx = nullptr;
  };
  virtual KnownReader known_reader(spec::Mode mode, uint32_t addr, unsigned size) {
    (void)mode, (void)addr, (void)size;
    return {};
  }
  // Real time (mtime ticks) at the hart's current local time.
  virtual uint64_t mtime() = 0;
  // The trap classifier's decision (models/classifier/decode_if.hpp's
  // contract). Returns false, with a one-line `failure`, when the run must stop.
  virtual bool decide(const DecodeRequest& request, Decision* out, std::string* failure) = 0;
  // Block records (Hart::set_block_records). in_place_room(): how many
  // instructions blocks may run in place before they are handed over (a
  // lockstep batch's room; 0: ask decide() about the next one). in_place():
  // such instructions, reported instead of decide(): `count` block runs
  // (classifier.hpp's InPlaceRun) back to back from `cycle` in `mode`, all
  // with the interrupt lines `irq` (they cannot change inside a chain of
  // blocks); false, with a one-line `failure`, when the run must stop (a
  // lockstep check failed).
  // reference_decision(): the decision of the classifier's reference for the decode
  // memo (no interrupt line up): decide()'s when the classifier is
  // memoizable, a lockstep checker's reference's (never its device under
  // check's), false when there is none (the memo then knows nothing).
  virtual unsigned in_place_room() { return 0; }
  virtual bool in_place(spec::Mode /*mode*/, const IrqLines& /*irq*/, uint64_t /*cycle*/, const InPlaceRun* /*runs*/,
                        unsigned /*count*/, std::string* /*failure*/) {
    return true;
  }
  virtual bool reference_decision(const DecodeRequest& request, Decision* out) {
    std::string failure;
    return decide(request, out, &failure);
  }
  // The untraced run's budget is spent: true, with the budget of the next
  // slice in *cycles, when the system would only call run() again with it
  // (nothing in it has to see this point: an idle quantum's end); the hart
  // then goes on as a new run() would, without returning. Default: false
  // (run() returns kBudget). `quiet`: since the last grant of this run(),
  // the hart touched nothing but its registers and its DMI memory (no bus
  // call, no CSR access other than a plain storage read, no interpreter
  // step, no interrupt, no translation): whatever the system found then
  // about itself still holds. The hart's pc() and cycle() are where it stands.
  virtual bool next_slice(uint64_t* cycles, bool quiet) {
    (void)cycles, (void)quiet;
    return false;
  }
};

// One line of --trace-insn (recorded only on the traced path): a retired
// instruction, or a trap or interrupt taken; or (kRun, with run records:
// Hart::set_run_records) the instructions of one block run, whose words,
// rows and accesses are in the RunRecords beside the records.
struct Retired {
  enum class What : uint8_t { kInsn, kTrap, kInterrupt, kRun };
  What what = What::kInsn;
  spec::Mode mode = spec::Mode::V;  // the mode it ran in (a trap: the mode it left)
  spec::Mode target = spec::Mode::V;  // traps: the mode entered (and cause, tval, the vector below)
  uint32_t pc = 0;                  // a trap: the trapping instruction; an interrupt: the next pc
  uint32_t insn = 0;
  int rd = -1;                      // -1 when no register was written
  uint32_t value = 0;               // the value written to rd; a store: the register stored; a trap
                                    // or interrupt: its entry's cycles (taken at cycle - value)
  char access = 0;                  // 'l' load, 's' store, 0 none
  // An instruction a block ran (block records): its memo row, its decision
  // being the reference's for it (classify_row(row, mode)), not reported
  // separately; kNoRow for the interpreter's records.
  uint16_t row = kNoRow;
  uint32_t addr = 0;                // the load's or store's address
  uint32_t cause = 0;
  uint32_t tval = 0;
  uint32_t vector = 0;
  uint64_t cycle = 0;               // the cycle it started in (a trap: after its entry cycles)
  // kRun: `count` instructions that blocks ran in `mode`, one cycle each
  // from `cycle`, numbered from `first` among the slice's kRun instructions:
  // the block runs RunRecords::runs holds from `run` on, whose blocks' code
  // is in RunRecords::code's first `code_end` entries, their loads and stores
  // RunRecords::mems from `access`.
  static Retired run(spec::Mode mode, uint64_t cycle, uint32_t count, uint32_t first, uint32_t access, uint32_t run,
                     uint32_t code_end) {
    Retired r;
    r.what = What::kRun, r.mode = mode, r.cycle = cycle;
    r.insn = count, r.addr = first, r.cause = access, r.tval = run, r.vector = code_end;
    return r;
  }
  bool is_trap() const { return what == What::kTrap || what == What::kInterrupt; }
  // When it was taken: a trap's or interrupt's, before its entry's cycles; else `cycle`.
  uint64_t taken() const { return is_trap() ? cycle - value : cycle; }
  uint32_t run_count() const { return insn; }
  uint32_t run_first() const { return addr; }
  uint32_t run_access() const { return cause; }
  uint32_t run_entry() const { return tval; }
  uint32_t run_code_end() const { return vector; }
};
static_assert(sizeof(Retired) == 48, "one record per traced instruction: kept small (fields ordered by size)");

// A growable array of plain data whose growth leaves the new entries
// uninitialised (they are written right after) and costs nothing while the
// capacity lasts: a trace's column.
template <typename T>
class Column {
  static_assert(std::is_trivially_copyable<T>::value && std::is_trivially_default_constructible<T>::value,
                "plain data");

 public:
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  void resize(size_t n) {
    if (n > capacity_) grow(n);
    size_ = n;
  }
  void clear() { size_ = 0; }
  void assign(const Column& o) {
    resize(o.size_);
    if (size_) std::memcpy(data_.get(), o.data_.get(), size_ * sizeof(T));
  }
  void swap(Column& o) noexcept {
    data_.swap(o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }

 private:
  void grow(size_t n) {
    const size_t cap = std::max(n, 2 * capacity_);
    std::unique_ptr<T[]> bigger(new T[cap]);  // (default-initialised: not zeroed)
    if (size_) std::memcpy(bigger.get(), data_.get(), size_ * sizeof(T));
    data_ = std::move(bigger);
    capacity_ = cap;
  }
  std::unique_ptr<T[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

// The side data of kRun records: block runs, not instructions (the
// waveform writer expands them). Each block's code once per code-log
// generation (Hart::forget_code_log), before the first kRun record that runs
// it (code: where it sits in the code space, a micro-op index that a later
// translation may take again once every block was dropped; its first pc;
// its n words and memo rows in code_words and code_rows from `first`); an
// entry per run of a block (runs: its code space index, n instructions from
// the block's first, `repeat` rounds of them); the loads' and stores'
// addresses and values in retirement order (mems: a load's as loaded, also
// into x0; a store's rs2), which the block's words tell apart.
struct RunRecords {
  static constexpr uint32_t kCodeSpace = 1u << 18;  // code space indexes are below this
  struct Code {
    uint32_t at;
    uint32_t pc;
    uint32_t n;
    uint32_t first;
  };
  struct Run {
    uint32_t at;
    uint32_t n;
    uint32_t repeat;
  };
  struct Mem {
    uint32_t addr;
    uint32_t value;
  };
  Column<Code> code;
  Column<uint32_t> code_words;
  Column<uint16_t> code_rows;
  Column<Run> runs;
  Column<Mem> mems;
  // Bit k set: words[k] (of n <= 64) is a load or a store (all), a load into x0 (to_x0: its value is traced as 0).
  struct AccessMask {
    uint64_t all, to_x0;
  };
  static AccessMask access_mask(const uint32_t* words, unsigned n);
  uint32_t count = 0;  // the kRun records' instructions so far
  size_t size() const { return count; }
  void clear() { code.clear(), code_words.clear(), code_rows.clear(), runs.clear(), mems.clear(), count = 0; }
  void assign(const RunRecords& o) {
    code.assign(o.code), code_words.assign(o.code_words), code_rows.assign(o.code_rows), runs.assign(o.runs);
    mems.assign(o.mems), count = o.count;
  }
};

// Per event class of spec/timing.txt (trimode run --timing-report): how often
// it happened, the cycles the TLM estimate gives for those events, and what
// the core was charged: the RTL's cycles for the events the trap unit timed
// (Decision::cycles, under --cosim), the estimate for the others.
struct EventTiming {
  uint64_t count = 0;
  uint64_t tlm_cycles = 0;  // count x the spec's estimate
  uint64_t charged = 0;     // cycles charged to the core (== tlm_cycles in a TLM-only run)
  uint64_t rtl_count = 0;   // events the RTL timed
  uint64_t rtl_cycles = 0;  // their cycles, in total
  uint32_t rtl_min = 0, rtl_max = 0;
};
using EventTimings = std::array<EventTiming, spec::kNumEvents>;

struct HartConfig {
  uint32_t trap_storm = 10000;     // this many traps in a row without a retired instruction: fatal
  // Stop (fatal) when an instruction runs from a page that was stored to after
  // the page's code last ran, with no fence.i in between: where a real hart's
  // instruction cache could have run the old code.
  bool strict_fence_i = false;
  bool emulate_misaligned = false; // misaligned loads/stores as byte accesses instead of a trap (QEMU's way)
};

// kWatch: a data access of the instruction at pc() was refused with
// Access::kWatch; nothing of that instruction happened (no register or memory
// written, not retired, no cycle charged): the next run() starts with it.
enum class StopReason : uint8_t { kNone, kBudget, kWfi, kFatal, kStopped, kSync, kWatch };

class Hart {
 public:
  Hart(HartBus& bus, ModeControl& modes, HartConfig config = {});
  Hart(const Hart&) = delete;  // hot_ points into the hart itself
  Hart& operator=(const Hart&) = delete;

  // Runs for at most `cycle_budget` cycles (each instruction costs at least
  // one, so at most that many retire), or until wfi finds nothing pending or a
  // fatal condition. Interrupt lines are sampled from the mode register at the start
  // and after every trap, exit and CSR write.
  template <bool kTraced>
  StopReason run(uint64_t cycle_budget);
  StopReason run(uint64_t cycle_budget) { return traced_ ? run<true>(cycle_budget) : run<false>(cycle_budget); }

  // Ends run() after the current instruction (the system was told to stop,
  // e.g. by the finisher during one of this instruction's accesses).
  void request_stop() { stop_requested_ = true; }

  void set_pc(uint32_t pc) {
    pc_ = pc;
    history_.start_at(pc);
  }
  uint32_t pc() const { return pc_; }
  // Changes whenever the translated code is dropped (a store to code, fence.i, a CSR's storage moved, a full cache).
  uint32_t code_epoch() const { return flush_epoch_; }
  uint32_t reg(unsigned i) const { return i < 32 ? x_[i] : 0; }
  void set_reg(unsigned i, uint32_t v) { if (i) x_[i] = v; }
  // Every cycle either retires an instruction or is a stall (trap entry, the
  // extra cycles of exit, bus delays, wfi idle time), so instret is derived.
  uint64_t instret() const { return cycle_ - stalls_; }
  uint64_t cycle() const { return cycle_; }
  void add_cycles(uint64_t n) { stall(n); }
  ModeControl& modes() { return modes_; }
  const ModeControl& modes() const { return modes_; }

  // Drops every DMI window (the system's invalidate_direct_mem_ptr), and the known loads' readers.
  void invalidate_dmi();
  // HartBus::known_reader's answers asked so far are no longer good (forgotten).
  void known_readers_changed() { known_reads_.fill(KnownRead{}); }
  // The pointers HartBus::csr_storage gave are no longer good: forgotten, and
  // the blocks that use them dropped.
  void csr_storage_changed();
  // Flushes the decode memo and the block cache (a program load; a debugger's write).
  void flush_decode();

  // True when the interpreter has a handler for `op` (every row of the
  // instruction table must have one; unknown ops stop the run as fatal).
  static bool has_handler(spec::Op op);
  // Block-cache figures: blocks decoded so far, and its fixed capacity in bytes.
  uint64_t blocks_translated() const { return blocks_translated_; }
  static size_t block_cache_bytes();

  void set_trace(std::vector<Retired>* sink) {
    trace_ = sink;
    traced_ = sink || every_insn_;
    insn_cycles_ = 0;
  }
  // With a trace: the instructions of a chain of block runs are recorded as
  // one kRun record with its block runs in *runs (each block's code once),
  // not one record per instruction; null: one record each (the default).
  void set_run_records(RunRecords* runs) { run_records_ = runs; }
  // The run records made so far did not all reach their reader: each
  // block's code goes to the next ones again.
  void forget_code_log() { ++code_log_gen_; }
  // On: the classifier is asked about every instruction (an RTL under check,
  // tracing). Off: the memo answers for words that execute in place.
  void set_decide_every_instruction(bool on) {
    every_insn_ = on;
    traced_ = trace_ || on;
    insn_cycles_ = 0;
  }
  // Block records: a traced or co-simulated run (run<true>) lets the block
  // engine run what it can (co-simulated: chained as untraced, up to the
  // bus's room; with a trace: one block pass at a time, without links or
  // loops, unless set_traced_chains) and reports those instructions through
  // HartBus::in_place() instead of asking decide() about each; loads and
  // stores (with a trace and no traced chains), CSR accesses and everything
  // else the interpreter runs go through decide() as before. Block records carry no
  // register values: --trace-insn keeps the interpreter. Off by default.
  void set_block_records(bool on) { block_records_ = on; }
  // With a trace and block records: blocks run chained (as without a
  // trace, up to kMaxChain instructions at a time) and record their loads
  // and stores (address and data) themselves, instead of one pass at a time
  // stopping before each load or store for the interpreter. Only for a
  // classifier whose decisions the memo gives (no decode is timed): under a
  // lockstep checker the traced loads and stores keep their own decodes
  // (their RTL pins and latency are traced). Off by default. Blocks are
  // bit-sliced for the checker (InPlaceRun::slices) only without traced
  // chains: a memoizable classifier reads no slices.
  void set_traced_chains(bool on) {
    if (on != traced_chains_ && record_blocks_) flush_blocks();  // their slices follow the choice
    traced_chains_ = on;
  }
  // Reads the mode and the interrupt lines in place from here on when the
  // mode register keeps them (ModeControl::mode_source(), irq_lines_source());
  // call once its port is bound.
  void connect_mode_state() {
    irq_lines_ = modes_.irq_lines_source();
    mode_ = modes_.mode_source();
  }
  const std::string& fatal_message() const { return fatal_; }
  // Per event class: counts, TLM estimate and charged (RTL) cycles.
  const EventTimings& timing() const { return timing_; }
  // Stops the run as fatal with `message` (a check that failed outside the hart).
  void fail(std::string message) { fatal_ = std::move(message); }
  // Where control went recently (for failure reports; see flow_history.hpp).
  const FlowHistory& history() const { return history_; }
  uint64_t dmi_grants() const { return dmi_grants_; }
  // From HartBus::next_slice, with its grant of first - cycle() cycles
  // widened to end: the quanta ending at first, first + q, ..., end, all but
  // the last known idle as long as the hart stays quiet. The untraced run
  // goes past their ends without asking, and ends its slice at the end of
  // the quantum it is in as soon as it does anything else (a CSR access, a
  // known load, an interpreter step, an interrupt query, a translation):
  // there, as at every end with grants of one quantum, next_slice is asked.
  void grant_quanta(uint64_t first, uint64_t q, uint64_t end) {
    quanta_ = {first, q, end};
    quanta_granted_ = true;
  }
  // For the system, after run() and in next_slice: the latest of the granted
  // quanta's ends the hart went past (so where the quantum it is in began),
  // or 0 when none or nothing was granted since the last call.
  uint64_t take_quanta_passed();

 private:
  struct Decoded {
    uint32_t insn = 0;
    spec::Op op = spec::Op::kIllegal;
    uint8_t rd = 0, rs1 = 0, rs2 = 0;
    uint8_t exec_modes = 0;  // bit m: executes in mode m
    bool writes_rd = false;
    uint16_t row = kNoRow;
    int32_t imm = 0;
  };
  struct Trap {
    spec::Mode target;
    spec::Kind kind;
    uint32_t cause;
    uint32_t tval;
    spec::Event event = spec::Event::kFault;  // a decided trap: kTrapG / kTrapV
    uint8_t cycles = 0;                        // the RTL's cycles for the trap, a fault too under --cosim (0: not timed)
  };
  enum class Step : uint8_t { kNext, kTrap, kBreak, kWfi, kSync, kUnknown };

  Decoded decode(uint32_t insn);
  static Decoded blank();  // a memo entry that knows nothing: every decision is asked for
  Decision decision(uint32_t insn, spec::Mode mode, uint32_t pc);
  // The current mode: read in place when the mode register keeps it (connect_mode_state()).
  spec::Mode current_mode() const { return mode_ ? *mode_ : modes_.mode(); }
  // The interrupt lines: read in place when the mode register keeps them (connect_mode_state()).
  IrqLines irq_lines() const { return irq_lines_ ? *irq_lines_ : modes_.irq_lines(); }
  // An interrupt line is up (timer or virtual): only then can a check find an interrupt.
  bool irq_line_up() const {
    const IrqLines l = irq_lines();
    return l.timer_pending || l.virtual_pending;
  }
  bool interrupt(spec::Mode mode, uint32_t pc, Decision* irq);
  struct IrqMemo {  // an interrupt query's answer (untraced), by mode and the four lines
    bool known = false;
    bool taken = false;
    Decision decision;
  };
  std::array<IrqMemo, 3 * 16> irq_memo_{};
  // The memoized decision's one bit the block engine needs: does d execute in mode?
  static bool executes(const Decoded& d, spec::Mode mode) { return d.exec_modes >> static_cast<unsigned>(mode) & 1; }
  const Decoded& lookup(uint32_t pc, uint32_t insn);

  // A hot load or store window as run_block tests it: start rounded up to a
  // multiple of 4 (an offset's low bits are then the address's), and per
  // access size the count of aligned slots where such an access fits (0: an
  // empty window). run_block compares the offset rotated right by the size's
  // log2 with that count: a misaligned offset rotates to 2^30 (words) or 2^31
  // (halves) or more, beyond any count, so one compare tests both.
  struct Window {
    uint32_t start = 0;
    uint32_t words = 0, halves = 0, bytes = 0;
    uint8_t* host = nullptr;  // host address of start
    Window() = default;
    // From a window [start, start + last + 3] at host.
    Window(uint64_t first, uint64_t last, uint8_t* at) {
      const uint64_t skip = (4 - (first & 3)) & 3;  // bytes below the rounded start: the interpreter's
      if (skip > last) return;
      last -= skip;
      start = static_cast<uint32_t>(first + skip);
      host = at + skip;
      words = static_cast<uint32_t>(last / 4 + 1);
      halves = static_cast<uint32_t>(last / 2 + 1);
      bytes = static_cast<uint32_t>(last + 1);
    }
  };
  // The last window used for each access kind in the current mode: one
  // subtraction and one compare per access on the fast path. Each mode keeps
  // its own (hot_ points at the current mode's, moved by switch_hot() on mode
  // changes: a trap round trip finds them again, nothing copied); all are
  // dropped on DMI invalidation.
  struct Hot {
    uint64_t start = kEmpty;   // kEmpty: no address is inside
    uint64_t last = 0;         // largest offset at which a 4-byte access fits
    uint8_t* host = nullptr;
    Window blocks;             // the same window as run_block tests it
    static constexpr uint64_t kEmpty = uint64_t{1} << 40;  // beyond any 32-bit address
    Hot() = default;
    Hot(uint64_t first, uint64_t l, uint8_t* at) : start(first), last(l), host(at), blocks(first, l, at) {}
  };
  enum HotKind { kHotFetch, kHotLoad, kHotStore };
  void switch_hot() { hot_ = &hots_[static_cast<unsigned>(current_mode())]; }  // after the mode may have changed
  void drop_hot() {
    hots_ = {};
    switch_hot();
  }
  uint8_t* hot(HotKind k, uint32_t addr) {
    const Hot& h = (*hot_)[k];
    const uint64_t off = uint64_t{addr} - h.start;  // wraps to huge below start and when empty
    return off <= h.last ? h.host + off : nullptr;
  }
  void set_hot(HotKind k, const DmiWindow& w) { (*hot_)[k] = {w.start, w.end - w.start - 3, w.host}; }

  bool fetch(uint32_t pc, uint32_t* insn);
  bool fetch_slow(uint32_t pc, uint32_t* insn);
  bool refill_fetch(uint32_t pc);  // makes the hot fetch window cover pc, when DMI allows
  template <typename T> bool load(uint32_t addr, uint32_t* value);
  template <typename T> Step store(uint32_t addr, uint32_t value);
  template <typename T> bool load_slow(uint32_t addr, uint32_t* value);
  template <typename T> Step store_slow(uint32_t addr, uint32_t value);
  template <typename T> bool load_misaligned(uint32_t addr, uint32_t* value);
  template <typename T> Step store_misaligned(uint32_t addr, uint32_t value);
  DmiWindow* window(uint32_t addr, unsigned size, bool write);
  bool refill(uint32_t addr, unsigned size, bool write, DmiWindow** out);
  void set_hot_store(const DmiWindow& w, uint32_t addr);
  void access_fault(Access a, uint32_t cause, uint32_t addr);
  bool watch_stop();  // slow path
  bool stop_before_watched(StopReason& reason);  // slow path
  void raise(uint32_t cause, uint32_t tval);
  void raise_to(spec::Mode target, spec::Kind kind, uint32_t cause, uint32_t tval);

  // A block's last instruction when the interpreter runs it as a system step
  // (kUSystem): exit, or a word the classifier traps in the block's mode. Its
  // decode is kept, and the trap's decision is asked once, the first time it
  // runs (a memoizable classifier's answer for the word and mode).
  struct Block;
  struct SystemOp {
    Decoded d;
    bool decided = false;
    Decision decision;
    // Untraced: the block run after it last time (trap entry: the handler's;
    // exit: the return target's), for (next_pc, next_mode) while gen ==
    // link_gen_: run_blocks follows it as a link, without a lookup.
    Block* next = nullptr;
    uint32_t next_pc = 1;
    spec::Mode next_mode = spec::Mode::V;
    uint32_t gen = ~0u;
  };
  inline Block* after_system_op(unsigned i, uint32_t pc, spec::Mode mode);  // i: system_ops_'s index
  Block* relink_system_op(unsigned i, uint32_t pc, spec::Mode mode) __attribute__((noinline));
  bool system_step(SystemOp& s, uint32_t& pc, spec::Mode mode) __attribute__((noinline));
  std::vector<SystemOp> system_ops_;  // by kUSystem's imm; dropped with the blocks

  // One instruction through the interpreter; false when run() must return
  // `reason`. sys (untraced): the block's system micro-op at pc, run without
  // fetching and decoding it again.
  template <bool kTraced>
  bool step(uint32_t& pc, spec::Mode& mode, bool& check_irq, StopReason& reason, SystemOp* sys = nullptr);
  bool take_interrupt(spec::Mode mode, uint32_t& pc);
  inline Step execute(const Decoded& d, uint32_t pc, uint32_t& next_pc) __attribute__((always_inline));
  Step execute_system(const Decoded& d, uint32_t pc, uint32_t& next_pc);
  Step csr_op(const Decoded& d);
  bool csr_access(spec::Op op, uint16_t csr, uint32_t src, bool write, uint32_t* old, bool to_x0);
  bool csr_read(uint16_t csr, uint32_t* value);
  bool csr_write(uint16_t csr, uint32_t value);
  Step branch(const Decoded& d, bool taken, uint32_t pc, uint32_t& next_pc);
  Step jump(uint32_t target, unsigned rd, uint32_t pc, uint32_t& next_pc);
  // A fault the core raised, timed by the classifier (every_insn_), after the
  // faulting instruction's own decode (`decoded`: its answer's cycles).
  void time_fault(uint32_t pc, unsigned decoded);
  // Enters the pending trap_ for the instruction at pc; the new pc. decoded: the
  // cycles of the instruction's decode when it was decoded and then faulted
  // (traced), 0 when nothing was decoded (its fetch faulted) or not timed.
  uint32_t apply_trap(uint32_t pc, unsigned decoded = 0);
  std::string no_vector_message(uint32_t vector) const;
  Step apply_decision(const Decision& d, uint32_t insn);

  // ---- the block engine --------------------------------------------------------
  // One pre-decoded instruction: its handler's address and operands. rd 32
  // is a sink register standing for x0, so no handler tests for it.
  struct Uop {
    const void* handler;  // the label of kind's handler in run_block (set by emit())
    uint32_t imm;  // immediate; the value for lui/auipc; the target for jal and branches
    uint8_t kind;  // UopKind (hart.cpp)
    uint8_t rd, rs1, rs2;
  };
  // Exits of a block, each with its own link: taken, fall-through, and two
  // side exits (conditional branches inside it; the third one ends it).
  static constexpr unsigned kExits = 4;
  struct Block;
  // One exit: everything leaving by it needs, together (one base address).
  struct Exit {
    Block* next = nullptr;  // the successor linked (valid while gen == link_gen_)
    // The flow history entry it records: a direct jump or branch's whole
    // entry; jalr's from part (its target is or-ed in); none for the fall-through.
    uint64_t flow = 0;
    uint64_t retired = 0;   // instructions retired up to and including its instruction
    uint32_t pc = 1;        // where it goes: a direct exit's target, jalr's last linked one
    uint32_t gen = ~0u;     // link_gen_ when linked (~0: never; not 0 either, a recorded pass's)
  };
  struct Block {
    uint32_t pc = 1;               // of the first instruction; 1: an empty slot
    spec::Mode mode = spec::Mode::V;
    uint8_t loop_exit = kExits;    // the exit of its loop branch (back to pc), if it has one
    bool runs = false;             // it holds fused runs of loads or stores (fuse_runs)
    uint16_t len = 0;              // instructions it retires when run to its end
    uint32_t span = 0;             // offset of its last instruction from pc
    uint32_t fall = 0;             // pc after its last instruction (link of jal/jalr)
    uint32_t epoch = 0;            // flush_epoch_ when decoded
    const uint8_t* host = nullptr; // host address of the first instruction
    const Uop* ops = nullptr;      // its micro-ops, in uops_
    // By exit: kExitTaken (the last jump or branch taken, jalr), kExitFall
    // (run to its end), kExitSide.. (a branch inside the block taken).
    std::array<Exit, kExits> exits{};
  };
  // A branch micro-op's rd: its exit's byte offset in Block::exits (one
  // addressing mode away in run_block); exit_index() gives the exit back.
  static uint8_t exit_offset(unsigned k) { return static_cast<uint8_t>(k * sizeof(Exit)); }
  static unsigned exit_index(uint8_t offset) { return offset / sizeof(Exit); }
  static constexpr unsigned kExitTaken = 0, kExitFall = 1;
  static constexpr unsigned kExitSync = kExits;  // left after a CSR write: no link, interrupts are checked
  static constexpr unsigned kBlocks = 1u << 13;    // direct-mapped slots
  static constexpr unsigned kMaxBlockLen = 64;     // instructions per block
  static constexpr unsigned kMaxUops = RunRecords::kCodeSpace;  // micro-op arena; full: every block is dropped
  static constexpr unsigned kMaxSystemOps = 1u << 14;  // system micro-ops until the blocks are dropped (then: kUBail)

  template <bool kRecord>
  StopReason run_blocks(uint64_t cycle_budget);
  bool run_recorded(Block*& b, unsigned& exit, uint32_t& pc, uint64_t end_cycle);
  bool run_chained(Block*& b, unsigned& exit, uint32_t& pc, uint64_t end_cycle);
  void report_runs(uint64_t start, const IrqLines& irq);
  void trace_runs(const InPlaceRun* runs, unsigned count, spec::Mode mode, uint64_t start);
  // Block records: the block runs run_block<true> made (each from its block's
  // first instruction; its words and rows are kept beside its micro-ops at
  // translation, record_words_ / record_rows_ by micro-op index), reported
  // by report_runs() when it returns. A chain hands over at most kMaxChain
  // instructions (so at most as many runs).
  static constexpr unsigned kMaxChain = 256;  // the lockstep checker's room: 4 batches (LaneBatch::kMax)
  static constexpr unsigned kMaxTracedChain = 128;  // a traced chain's (its records' figures: docs/waves-internals.md, "Traced chains")
  struct BlockRun {
    const Block* block;
    unsigned n;
    unsigned repeat;  // the same n instructions of block, this many times in a row (a loop's rounds)
  };
  std::array<BlockRun, kMaxChain> block_runs_;
  std::array<InPlaceRun, kMaxChain> in_place_runs_;  // report_runs()' hand-over (no set-up per call)
  // run_block<true>'s loads and stores, in retirement order: the address and
  // the value (a load's: loaded, as written to rd; a store's: rs2), for the
  // trace's records (report_runs).
  using MemRecord = RunRecords::Mem;
  std::array<MemRecord, kMaxChain> mem_records_;
  unsigned mem_record_count_ = 0;  // those of run_block<true>'s last call
  bool traced_chains_ = false;  // set_traced_chains()
  unsigned block_run_count_ = 0;
  // (Columns: sized once, never zeroed: a page is touched when a block's
  // translation first writes it, so the resident size follows the code run.)
  Column<uint32_t> record_words_;
  Column<uint16_t> record_rows_;
  Column<RunSlices> record_slices_;  // by block slot: its instructions bit-sliced at translation (without traced chains)
  std::vector<InPlaceRun> record_runs_;   // by block slot: its runs' InPlaceRun but n and repeat (set at translation)
  // By block slot: the code-log generation in which its code went to the
  // run records (RunRecords::code); 0 after each translation, so a block is
  // logged before its first traced run (a code space index taken again after
  // the blocks were dropped is logged again with the new block). A new
  // generation when records were not handed over (forget_code_log()).
  std::vector<uint32_t> record_logged_;
  uint32_t code_log_gen_ = 1;
  void log_code(const Block& b, size_t slot, size_t at);
  static_assert(kMaxBlockLen <= 64, "RunRecords::AccessMask: a bit per instruction");
  bool record_blocks_ = false;  // the blocks are translated for run_block<true> (block records)
  SystemOp* system_op(const Block& b, uint32_t pc);
  Block* find_block(uint32_t pc, spec::Mode mode);
  inline Block* cached_block(uint32_t pc, spec::Mode mode);
  static unsigned block_slot(uint32_t pc, spec::Mode mode) {
    return ((pc >> 2) ^ (pc >> 15) ^ (static_cast<unsigned>(mode) << 11)) & (kBlocks - 1);
  }
  inline void link(Block* prev, unsigned k, uint32_t pc, Block* next);
  Block* relink(Block* b, unsigned k, uint32_t pc) __attribute__((noinline));
  Block* next_block(Block* prev, unsigned exit, uint32_t pc, spec::Mode mode);
  void translate(Block& b, uint32_t pc, spec::Mode mode, const uint8_t* host, uint64_t room);
  static bool to_uop(const Decoded& d, uint32_t pc, Uop* u);
  // Handlers keep their own tails (no cross-jumping: a shared tail costs a jump per micro-op).
  // kRecord (block records): blocks translated for it end before CSR
  // accesses, and each block run is noted in block_runs_.
  template <bool kRecord>
  bool run_block(Block*& b, const Uop* ops, unsigned& exit, uint32_t& pc, uint64_t end_cycle) TRIMODE_HANDLER_TAILS;
  const Uop* budget_tail(const Block& b, uint64_t room);
  void cut(Uop* ops, uint64_t room, uint8_t mark, bool runs);
  void cut_in(const Block* b, uint64_t room) __attribute__((noinline));
  void uncut();
  bool extend(uint64_t end, uint32_t pc, uint64_t* more) __attribute__((noinline));
  struct Cut {
    const Block* block = nullptr;
    Uop* at = nullptr;  // the two micro-ops changed (nullptr: no cut)
    Uop kept[2];
    struct {
      Uop* at = nullptr;  // a fused run the cut split, run alone (nullptr: none)
      Uop kept;
    } run;
  };
  Cut cut_;
  uint64_t slice_end_ = 0;  // run_blocks<false>'s end cycle, moved by extend()
  // Nothing outside the blocks' registers and DMI memory since the last
  // next_slice grant (HartBus::next_slice's `quiet`); cleared wherever the
  // untraced run does anything else.
  bool quiet_ = false;
  // A grant of several quanta at once (grant_quanta): the first ends at
  // `first`, each next one q cycles later, the last at `end`; q = 0 once the
  // hart did anything but stay quiet (close_quanta) or the system took it.
  struct Quanta {
    uint64_t first = 0, q = 0, end = 0;
  };
  Quanta quanta_;
  bool quanta_granted_ = false;  // a grant of several quanta not taken by the system yet
  uint64_t quanta_passed_ = 0;   // close_quanta's quanta_passed (0: none)
  uint64_t quanta_passed(uint64_t at) const;
  uint64_t close_quanta() __attribute__((noinline));
  // The run stops being quiet here (a classifier query, a translation, an
  // interpreter step): a grant of several quanta ends with the quantum the
  // hart is in. Returns the budget's end cycle, end_cycle when nothing closed.
  uint64_t end_quiet(uint64_t end_cycle) {
    quiet_ = false;
    return quanta_.q ? close_quanta() : end_cycle;
  }
  uint32_t uop_index(const Block& b, const Uop* u) const __attribute__((noinline));
  std::array<Uop, kMaxBlockLen + 1> tail_{};  // budget_tail's copy
  static const void* const* handlers_[2];  // run_block<kRecord>'s handler labels, by UopKind
  const void* handler(uint8_t kind) const { return handlers_[record_blocks_][kind]; }
  void emit(Uop u) {
    u.handler = handler(u.kind);
    uops_.push_back(u);
  }
  bool csr_uop(const Uop& u) __attribute__((noinline));
  bool known_load(const Block& b, const Uop* u, uint64_t start) __attribute__((noinline));
  // HartBus::known_reader's answers, by word address (a few: mtime's two halves).
  struct KnownRead {
    uint32_t addr = 1;  // 1: none asked
    spec::Mode mode = spec::Mode::V;
    HartBus::KnownReader reader;
  };
  std::array<KnownRead, 4> known_reads_{};
  // The run of n word accesses at u (fuse_runs' contract) off base register
  // value base_value: true, with *base its offset from w's start, when every
  // access falls in w.
  static bool run_in_window(const Window& w, uint32_t base_value, const Uop* u, unsigned n, uint32_t* base);
  bool store_run(const Uop* u) __attribute__((noinline));
  bool load_run(const Uop* u) __attribute__((noinline));
  bool load_alone(const Block& b, const Uop* u, uint64_t start) __attribute__((noinline));
  // A copy loop (fuse_copy_loop): a loop block whose round, up to its loop
  // branch (bne), is one load, then one store of the loaded register, and
  // additions of constants to registers (pointers, counters), the branch
  // comparing one such register with one the round leaves alone. When its
  // branch is taken, the rounds after it that would run as a whole (they
  // start within the budget, their branch is taken, their accesses fall in
  // the hot windows) are done at once (copy_rounds). By block slot.
  struct CopyLoop {
    struct Access {
      uint8_t kind = 0;     // its UopKind
      uint8_t base = 0;     // base register
      int32_t offset = 0;   // the address in the next round: the base's value now plus offset
      int32_t step = 0;     // the address's step per round (the base's)
    };
    Access load, store;
    uint8_t data = 0;       // the load's rd, the store's rs2
    uint8_t counter = 0;    // the branch's register that steps
    uint8_t limit = 0;      // its other register
    uint8_t n_steps = 0;    // registers stepped by the round
    int32_t counter_step = 0;  // plus or minus a power of two
    std::array<uint8_t, 4> reg{};
    std::array<int32_t, 4> step{};
  };
  bool fuse_copy_loop(const Block& b, Uop* ops);
  // b's copy loop, its branch br taken with `left` cycles of budget left (run_block's, before
  // that round's count): the whole rounds done at once after it (0: none, nothing done).
  // Declared cold for run_block's sake (its handler's path then stays out of the
  // hot handlers' register allocation and layout: bench_cpu +1.2 % otherwise);
  // the work is rounds_copied's, optimized as usual.
  uint64_t copy_rounds(const Block& b, const Uop* br, int64_t left) __attribute__((noinline, cold));
  uint64_t rounds_copied(const Block& b, const Uop* br, int64_t left) __attribute__((noinline));
  static bool copy_apart(const CopyLoop& c, const uint8_t* src, uint8_t* dst, uint64_t n, uint32_t* last);
  bool csr_uop_by_bus(const Uop& u) __attribute__((noinline));
  // CSRs whose value is plain storage on their bus (HartBus::csr_storage),
  // asked once each when a block first uses one: their micro-ops read and
  // write it in place (csr_uop).
  struct CsrStorage {
    uint8_t* read = nullptr;
    uint8_t* write = nullptr;
    CsrWriter writer;  // writes when write is nullptr (HartBus::csr_writer)
    bool asked = false;
  };
  std::vector<CsrStorage> csr_storage_ = std::vector<CsrStorage>(4096);  // by CSR number
  void to_plain_csr(Uop* u);
  void fuse_with_branch(const Uop& branch);
  bool fuse_runs(Uop* ops, unsigned n);
  void head_run(Uop& f, uint8_t run_kind, unsigned m);
  static unsigned register_stretch(const Uop* ops, unsigned t, unsigned end);
  bool fuse_offset_runs(Uop* ops, unsigned i, unsigned end);
  void unfuse(Uop* op, unsigned at);
  Uop* fused_across(Uop* ops, uint64_t room);
  void flush_blocks();
  void fence_i();  // drops the blocks (not the decode memo)
  void note_code(const uint8_t* host);
  bool is_code(const uint8_t* host) const;
  void code_written(const uint8_t* host);
  bool unfenced(const uint8_t* host) const;
  bool stale_code(uint32_t pc);
  bool stale_fetch(uint32_t pc);

  std::vector<Block> blocks_;
  std::vector<Uop> uops_;
  uint32_t flush_epoch_ = 1;  // blocks of an older epoch are dropped
  uint32_t link_gen_ = 1;     // links of an older generation are stale (a slot was reused, DMI changed); 0: in a recorded pass
  uint64_t blocks_translated_ = 0;
  std::set<uintptr_t> code_pages_;      // host pages (address >> 12) holding decoded blocks
  std::set<uintptr_t> unfenced_;        // strict_fence_i: words (host address) stored to on code pages since fence.i

  // DMI denials, per mode: pages (number + 1; 0 empty) whose request was
  // refused since the last invalidation, so a device access is one transaction.
  static constexpr unsigned kDenials = 4;
  std::array<std::array<uint32_t, kDenials>, 3> denied_{};
  std::array<unsigned, 3> denied_next_{};

  HartBus& bus_;
  ModeControl& modes_;
  const IrqLines* irq_lines_ = nullptr;  // connect_mode_state(): the mode register's, read in place
  const spec::Mode* mode_ = nullptr;     // connect_mode_state(): likewise
  HartConfig config_;
  std::array<uint32_t, 33> x_{};  // x0..x31, then the sink for writes to x0
  uint32_t pc_ = 0;
  uint64_t stalls_ = 0;  // cycles that retired nothing
  uint64_t storm_instret_ = ~uint64_t{0};  // instret at the last trap entry
  uint32_t storm_traps_ = 0;               // traps since an instruction last retired
  void stall(uint64_t n) {
    cycle_ += n;
    stalls_ += n;
  }
  // Charges event e: the RTL's `rtl` cycles when it timed the event (not 0),
  // the spec's TLM estimate otherwise; `retires` of them retire the
  // instruction (counted by the caller), the rest are stalls.
  void charge(spec::Event e, uint32_t rtl, unsigned retires);
  uint8_t take_insn_cycles() {  // the RTL's cycles for the instruction executing now (0: not timed)
    const uint8_t c = insn_cycles_;
    insn_cycles_ = 0;
    return c;
  }
  EventTimings timing_{};
  uint8_t insn_cycles_ = 0;  // set on the traced path from the decision of the instruction being executed
  uint64_t cycle_ = 0;
  bool stop_requested_ = false;
  bool watch_hit_ = false;  // an access of the executing instruction answered Access::kWatch
  Trap trap_{};
  std::string fatal_;
  FlowHistory history_;
  // (taken: the cycle it was taken at, before its entry's cycles were charged)
  void record_trap(Retired::What what, spec::Mode from, uint32_t pc, uint32_t vector, uint32_t cause, uint32_t tval,
                   uint64_t taken);  // slow path

  static constexpr unsigned kWindows = 4;
  std::array<std::array<DmiWindow, kWindows>, 3> dmi_{};
  std::array<unsigned, 3> dmi_next_{};
  std::array<std::array<Hot, 3>, 3> hots_{};  // by mode, by HotKind
  std::array<Hot, 3>* hot_ = &hots_[static_cast<unsigned>(spec::Mode::V)];  // the mode's switch_hot() last saw
  uint64_t dmi_grants_ = 0;

  static constexpr unsigned kMemoSize = 1u << 14;
  std::vector<Decoded> memo_storage_;
  Decoded* memo_;  // memo_storage_.data(), kMemoSize entries

  bool traced_ = false;
  std::vector<Retired>* trace_ = nullptr;
  RunRecords* run_records_ = nullptr;  // set_run_records()
  bool every_insn_ = false;
  bool block_records_ = false;
  std::vector<CopyLoop> copy_loops_;  // by block slot (fuse_copy_loop; kBlocks of them from the first)

 public:
  // Checkpoint (docs/checkpoint.md): registers, pc and counters. restore()
  // drops the decode memo and every DMI window (the memory behind them changed).
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode

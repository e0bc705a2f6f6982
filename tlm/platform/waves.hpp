// The platform trace (trimode run --vcd FILE, --fst FILE; docs/debugging.md
// "Waveforms"): the signals of spec/waves.txt, written only when something
// happens (a retired instruction, its decision, a trap, a load or store), never
// sampled per cycle. The core feeds it inside the trace window
// (models/core/wave_sink.hpp); VCD is written as text, FST by the project's
// encoder (fst_encoder.hpp; the RTL FST stays Verilator's bundled fstapi).
//
// Time base, shared with --rtl-fst: 1 ps; an event of the hart's cycle c is at
// c * clock period. The strobes trap.taken and mem.valid are high for the
// clock cycle of their event (one period from its time; back-to-back events
// keep them high), so they fall at the next instruction's time and add no
// time step of their own when the next instruction follows in the next
// cycle. Under --cosim the trap unit's clock
// and handshake pins (rtl.clk, req_valid, req_ready, rsp_valid) come from the
// RTL itself (RtlPinSink) at the times --rtl-fst dumps them: kept for the
// decodes whose decision is traced, merged in time order with the core's events.
//
// Threads: the run's thread only hands the slices' records over (slice():
// appended to a batch, no per-record work); a writer thread turns batches of
// records into changes and encodes them (VCD text, FST chains; the FST
// encoder compresses its blocks on a third thread). At most kQueued batches
// wait, so memory stays bounded and the run waits for a slow writer. With one
// FST file and no RTL pins (the usual long trace) the writer appends each
// change to the encoder as it finds it (direct); otherwise it collects a
// time step's changes in a mask and hands each step to every file.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "models/classifier/rtl_classifier.hpp"
#include "models/core/wave_sink.hpp"
#include "tlm/platform/fst_encoder.hpp"
#include "tlm/platform/work_queue.hpp"
#include "trimode/waves.hpp"

namespace trimode {

// Where a traced run's time went, in seconds (trimode run --stats): what
// bounded it is the thread that waited least.
struct TraceTimes {
  double run_waited = 0;                               // the run's thread, for room in the writer's queue
  double writer_cpu = 0, writer_waited = 0;            // the writer thread: its cpu; waiting for records
  double writer_waited_compression = 0;                // the writer, for room in the compression queue
  double compression_cpu = 0, compression_waited = 0;  // the FST compression thread; waiting for blocks
  bool compression = false;                            // an FST file was written (that thread ran)
};

// One output file (VCD or FST) of the writer.
class WaveFile {
 public:
  explicit WaveFile(std::string path) : path_(std::move(path)) {}
  virtual ~WaveFile() = default;
  // Writes what is pending and closes the file: "", or why a write failed
  // (the C library's text, or "disk full?"), the file then incomplete.
  virtual std::string finish() = 0;
  const std::string& path() const { return path_; }
  // At time ps, the signals of the bits of `changed` took values[i] (one call
  // per time step: the per-value work stays inside the file's own loop).
  virtual void step(uint64_t ps, uint64_t changed, const uint64_t* values) = 0;
  // Adds its own threads' times (after finish()).
  virtual void add_times(TraceTimes&) {}

 private:
  std::string path_;
};

class WaveWriter : public WaveSink, public RtlPinSink {
 public:
  explicit WaveWriter(uint64_t clock_period_ps);
  ~WaveWriter() override;

  // Adds an output file; throws std::runtime_error("cannot write PATH") on failure.
  void add_vcd(const std::string& path);
  void add_fst(const std::string& path);
  // A value known before the first event (rtl.latency).
  void set(spec::Wave w, uint64_t v) { initial_[static_cast<unsigned>(w)] = v; }
  // The RTL's pins will come (rtl_pins(); --cosim): the writer keeps its
  // time-ordered queue of changes (call before the run).
  void expect_rtl_pins() { pins_expected_ = true; }
  // Writes what is pending and closes the files; returns the first one a
  // write to which failed ("" when every file was written whole).
  struct Failure {
    std::string path, why;  // (path "": every file written whole)
  };
  Failure close();

  void slice(std::vector<Retired>& records, std::vector<DecisionAt>& decisions, RunRecords& runs) override;
  void slice_done() override { pins_.clear(); }  // drops the pins of decodes outside the window
  void traced_until(uint64_t cycle) override { end_cycle_ = cycle; }
  void rtl_pins(const RtlPins& p) override { pins_.push_back(p); }

  // Where the traced run's time went (--stats), complete after close().
  const TraceTimes& times() const { return times_; }

  // Records and decisions per batch handed to the writer thread, and batches that may wait.
  static constexpr size_t kBatchEvents = 1 << 15;
  static constexpr size_t kQueued = 2;

 private:
  // Slices' records and decisions (copied from the core's: slice()), and
  // their RTL pins, in time order; reused once written.
  struct Slice {
    std::vector<Retired> records;
    std::vector<DecisionAt> decisions;
    RunRecords runs;
  };
  struct Batch {
    std::vector<Slice> slices;  // [0, used) hold this batch's
    size_t used = 0;
    size_t events = 0;  // records and decisions in them
    std::vector<RtlPins> pins;
  };
  // A change scheduled for a later time (a strobe's fall, an RTL pin).
  struct Due {
    uint64_t ps;
    spec::Wave w;
    uint64_t v;
  };
  // The run's thread.
  void hand_over();
  // The writer thread (and close(), after it has ended). kDirect: the
  // changes go straight to the one FST file's encoder (fst_); otherwise
  // into changed_, written per time step to every file.
  void write_and_recycle(std::unique_ptr<Batch> b);
  template <bool kDirect> void write_batch(const Batch& b);
  // The instructions of a slice's kRun records, expanded from its block runs
  // (expand_runs): pc, word and memo row per instruction, and the loads and
  // stores among them in retirement order (address, value: a load's as
  // written to rd, 0 for x0; a store's rs2; the instruction's index).
  struct RunColumns {
    struct Access {
      uint32_t addr;
      uint32_t value;
      uint32_t at;
    };
    // A column whose decision may differ from the column before's (each
    // record's first, and where the decision changes within a record): the
    // decision there (RowDecision::packed).
    struct Switch {
      uint32_t at;
      uint32_t packed;
    };
    Column<uint32_t> pc, insn;
    Column<uint16_t> row;
    Column<Access> accesses;
    Column<Switch> switches;
  };
  // The blocks' code as the run records logged it (RunRecords::code), by
  // code space index: words, rows, pcs; the loads and stores of the block
  // starting there.
  struct CodeSpace {
    Column<uint32_t> words, pcs;
    Column<uint16_t> rows;
    Column<RunRecords::AccessMask> accesses;
    Column<std::array<uint32_t, 3>> uniform;  // by mode: the decision of every instruction of the block, or 0 (they differ)
  };
  static constexpr unsigned kCopyChunk = 8;  // expand_runs copies this many at a time (room past the ends)
  static constexpr unsigned kDoubleFrom = 64;  // a run's rounds after its first copied from those before it from this many instructions on
  void expand_runs(const Slice& s);
  void expand_run(const RunRecords& in, const Retired& r);
  template <bool kDirect> void decision(uint64_t cycle, const Decision& d);
  template <bool kDirect> void retired(const Retired& r);
  // The instructions of a slice's kRun records from r on, in retirement
  // order, through the records that continue the run (RunCursor::advance):
  // one range of the slice's columns.
  class RunCursor {
   public:
    RunCursor(const Retired* rec, const Retired* records_end, const RunColumns& run_records, uint64_t cycle_limit)
        : r_(rec), end_(records_end), runs_(run_records), limit_(cycle_limit), access_(rec->run_access()) {}
    bool more() const { return done_ == nullptr; }
    const Retired* next_record() const { return done_; }
    const RunColumns& runs() const { return runs_; }
    size_t& access() { return access_; }  // the next load's or store's index in runs().accesses
    void next(Retired* out);
    uint32_t take(uint32_t most, uint32_t* first);

   private:
    void advance();
    const Retired* r_;
    const Retired* end_;
    const RunColumns& runs_;
    uint64_t limit_;
    uint32_t k_ = 0;  // r_'s next instruction
    size_t access_;
    const Retired* done_ = nullptr;  // the first record after the cursor's, once at its end
  };
  template <bool kDirect> void block_runs(RunCursor& c);
  void write_columns(FstEncoder::Burst& burst, const RunColumns& runs, uint32_t first, uint32_t n, size_t& access);
  void lane_pass(FstEncoder::Burst& burst, spec::Wave w, const uint32_t* v, uint32_t n, uint32_t first);
  void decision_pass(FstEncoder::Burst& burst, const RunColumns& runs, uint32_t at, uint32_t n, uint32_t first);
  void access_pass(FstEncoder::Burst& burst, const uint32_t* insn, const RunColumns::Access*& acc,
                   const RunColumns::Access* acc_end, uint32_t at, uint32_t n, uint32_t first);
  const RunColumns::Access* strobe_pass(FstEncoder::Burst& burst, const RunColumns::Access* begin,
                                       const RunColumns::Access* acc_end, uint32_t at, uint32_t n, uint32_t first);
  template <bool kDirect> void block_insn(const Retired& r);
  template <bool kDirect> void at(uint64_t ps) {
    if (ps != now_ || !started_) move_to<kDirect>(ps);
  }
  template <bool kDirect> void move_to(uint64_t ps);
  template <bool kDirect> void move_slow(uint64_t ps);
  template <bool kDirect> void run_due(uint64_t before);
  template <bool kDirect> void end_step();
  template <bool kDirect> void change(spec::Wave w, uint64_t v);
  template <bool kDirect> void strobe(spec::Wave w, uint64_t ps);
  void schedule(uint64_t ps, spec::Wave w, uint64_t v);
  uint64_t next_due() const;
  template <bool kDirect> void apply_due();
  template <bool kDirect> void take_pins(uint64_t decode_ps);

  uint64_t period_ps_;
  // The reference's decision for a block's instruction (Retired::row), by row
  // and mode: kind, action, target (classify_row's, precomputed).
  struct RowDecision {
    uint8_t kind, action, target;
    uint32_t packed;  // the three, as decision_ holds them
    static uint32_t pack(uint8_t kind, uint8_t action, uint8_t target) {
      return 1u << 24 | uint32_t{kind} << 16 | uint32_t{action} << 8 | target;
    }
  };
  uint32_t decision_ = 0;  // the decision signals' values (RowDecision::pack; 0: not yet written)
  std::array<std::array<RowDecision, 3>, spec::kNumRows> row_decisions_;
  std::array<std::array<uint32_t, spec::kNumRows>, 3> row_packed_;  // by mode and row: RowDecision::packed
  std::vector<std::unique_ptr<WaveFile>> files_;
  FstEncoder* fst_ = nullptr;  // the one FST file's encoder (direct writing), or null
  bool pins_expected_ = false;
  // Run's thread: the batch being filled, this slice's pins.
  std::unique_ptr<Batch> filling_ = std::make_unique<Batch>();
  std::vector<RtlPins> pins_;
  // Shared (spare_mu_): written batches to reuse.
  std::mutex spare_mu_;
  std::deque<std::unique_ptr<Batch>> spare_;
  // Writer thread: the signals' values and what is pending. Until the first
  // time step ends, a signal not yet written holds kUnset: every signal is
  // written in the first step (its initial_ value unless it changed).
  static constexpr uint64_t kUnset = uint64_t{1} << 63;
  uint64_t value_[spec::kWaveCount];
  uint64_t initial_[spec::kWaveCount] = {};
  uint64_t changed_ = 0;  // bit i: signal i changed in this step (not kDirect)
  bool started_ = false;  // an event came
  bool first_step_ = true;
  bool slow_steps_ = true;  // first_step_ or changes queued (due_): move_to's slow path
  uint64_t now_ = 0;
  uint64_t end_cycle_ = 0;  // traced_until(): the trace's last step is at its time at the latest
  std::deque<Due> due_;  // in time order
  static constexpr uint64_t kNever = ~uint64_t{0};
  uint64_t strobe_ps_ = 0;  // when the strobes_ fall
  uint64_t strobes_ = 0;    // bit i: signal i (a strobe) falls at strobe_ps_
  uint64_t falling_ = 0;    // strobes that fall at now_ unless raised again in this step
  const RtlPins* pin_ = nullptr;  // the batch's pins not yet taken or dropped: [pin_, pin_end_)
  const RtlPins* pin_end_ = nullptr;
  TraceTimes times_;
  RunColumns columns_;  // the slice being written's (expand_runs)
  CodeSpace code_;
  // The writer thread: at most kQueued batches wait (last: destroyed, so joined, first).
  WorkQueue<Batch> writer_{kQueued, [this](std::unique_ptr<Batch> b) { write_and_recycle(std::move(b)); }};
};

}  // namespace trimode

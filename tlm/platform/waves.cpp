#include "tlm/platform/waves.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "tlm/platform/fst_encoder.hpp"
#include "tools/output_file/output_file.hpp"

namespace trimode {

using spec::Wave;
using spec::kWaveSignals;
using spec::kWaveCount;

static_assert(kWaveCount <= 64, "WaveWriter::changed_ is one 64-bit mask");  // (VCD ids: 94)

// The strobes: high for the clock cycle of their event (WaveWriter::strobe).
constexpr uint64_t kStrobes = uint64_t{1} << static_cast<unsigned>(Wave::kTrapTaken) |
                              uint64_t{1} << static_cast<unsigned>(Wave::kMemValid);

namespace {

// "pc [31:0]" for a vector, "taken" for a bit: how VCD writers name signals.
std::string declared_name(const spec::WaveSignal& s) {
  return s.width > 1 ? std::string(s.name) + " [" + std::to_string(s.width - 1) + ":0]" : s.name;
}

// Calls scope(group) when the group changes, then var(signal index), in spec order.
template <typename Scope, typename Var, typename Up>
void declare_all(Scope scope, Var var, Up up) {
  const char* group = nullptr;
  for (unsigned i = 0; i < kWaveCount; ++i) {
    if (!group || std::string(group) != kWaveSignals[i].group) {
      if (group) up();
      group = kWaveSignals[i].group;
      scope(group);
    }
    var(i);
  }
  if (group) up();
}

// f(i, values[i]) for each signal i whose bit is set in `changed`, lowest first.
template <typename F>
inline void each_change(uint64_t changed, const uint64_t* values, F f) {
  for (; changed; changed &= changed - 1) {
    const auto i = static_cast<unsigned>(__builtin_ctzll(changed));
    f(i, values[i]);
  }
}

// Each byte's eight binary digits, most significant first (VCD values).
// (One row more: an 8-byte read from inside the last row stays in the table.)
struct BitDigits {
  char d[257][8];
  constexpr BitDigits() : d() {
    for (unsigned b = 0; b < 256; ++b)
      for (unsigned k = 0; k < 8; ++k) d[b][k] = static_cast<char>('0' + (b >> (7 - k) & 1));
  }
};
constexpr BitDigits kBits;

// The decimal digits of 0..99, two by two (VCD times).
struct DecimalPairs {
  char d[100][2];
  constexpr DecimalPairs() : d() {
    for (unsigned n = 0; n < 100; ++n) d[n][0] = static_cast<char>('0' + n / 10), d[n][1] = static_cast<char>('0' + n % 10);
  }
};
constexpr DecimalPairs kPairs;

class VcdFile : public WaveFile {
 public:
  explicit VcdFile(const std::string& path) : WaveFile(path) {
    if (const std::string why = file_.open(path); !why.empty()) throw std::runtime_error("cannot write " + path + ": " + why);
    std::FILE* f = file_.stream();  // the declarations printed, their failures kept for close()
    std::fputs("$version trimode platform trace $end\n$timescale 1ps $end\n$scope module trimode $end\n", f);
    declare_all([f](const char* g) { std::fprintf(f, "$scope module %s $end\n", g); },
                [f](unsigned i) {
                  std::fprintf(f, "$var wire %u %c %s $end\n", kWaveSignals[i].width, id(i),
                               declared_name(kWaveSignals[i]).c_str());
                },
                [f] { std::fputs("$upscope $end\n", f); });
    std::fputs("$upscope $end\n$enddefinitions $end\n", f);
  }
  std::string finish() override {
    drain();
    return file_.close();
  }
  void step(uint64_t ps, uint64_t changed, const uint64_t* values) override {
    // A step's text at most: a time line and 64 values of "b" + 64 bits + " " + id + "\n".
    if (used_ + 24 + 64 * 68 > sizeof buf_) drain();
    time(ps);
    each_change(changed, values, [this](unsigned i, uint64_t v) { value(i, v); });
  }

 private:
  // Formatted by hand into a buffer written in large pieces (fprintf, then
  // an fwrite per line, were most of the VCD's cost).
  void drain() {
    file_.write(buf_, used_);
    used_ = 0;
  }
  void time(uint64_t ps) {
    char tmp[24];
    char* p = tmp + sizeof tmp;
    *--p = '\n';
    for (; ps >= 100; ps /= 100) std::memcpy(p -= 2, kPairs.d[ps % 100], 2);
    if (ps >= 10) {
      std::memcpy(p -= 2, kPairs.d[ps], 2);
    } else {
      *--p = static_cast<char>('0' + ps);
    }
    *--p = '#';
    const auto n = static_cast<size_t>(tmp + sizeof tmp - p);
    std::memcpy(buf_ + used_, p, n);
    used_ += n;
  }
  void value(unsigned i, uint64_t v) {
    char* p = buf_ + used_;
    if (kWaveSignals[i].width == 1) {
      *p++ = v ? '1' : '0';
    } else {
      // The bits from the highest set one (one digit for 0), eight per table entry.
      *p++ = 'b';
      const unsigned digits = 64 - static_cast<unsigned>(__builtin_clzll(v | 1));
      unsigned byte = (digits - 1) / 8;
      const unsigned lead = digits - 8 * byte;  // digits of the top byte: 1..8
      std::memcpy(p, kBits.d[(v >> (8 * byte)) & 0xFF] + 8 - lead, 8);  // (the buffer has room for 8)
      p += lead;
      while (byte--) {
        std::memcpy(p, kBits.d[(v >> (8 * byte)) & 0xFF], 8);
        p += 8;
      }
      *p++ = ' ';
    }
    *p++ = id(i);
    *p++ = '\n';
    used_ = static_cast<size_t>(p - buf_);
  }
  static char id(unsigned i) { return static_cast<char>('!' + i); }  // one character: at most 94 signals
  OutputFile file_;  // every write and the close checked (tools/output_file)
  char buf_[1 << 16];
  size_t used_ = 0;
};

// FST through the project's encoder (fst_encoder.hpp): values go in as
// numbers, packed as they come; blocks are compressed on a second thread,
// the pc's and the word's chains written there straight into LZ4 from their
// values (FstEncoder::pack).
class FstFile : public WaveFile {
 public:
  explicit FstFile(const std::string& path) : WaveFile(path), enc_(path, -12) {  // 1 ps
    enc_.scope("trimode");
    declare_all([this](const char* g) { enc_.scope(g); },
                [this](unsigned i) { enc_.var(declared_name(kWaveSignals[i]), kWaveSignals[i].width); },
                [this] { enc_.upscope(); });
    enc_.upscope();
    enc_.pack(static_cast<unsigned>(Wave::kCorePc));
    enc_.pack(static_cast<unsigned>(Wave::kCoreInsn));
  }
  void step(uint64_t ps, uint64_t changed, const uint64_t* values) override {
    enc_.time(ps);
    each_change(changed, values, [this](unsigned i, uint64_t v) { enc_.value(i, v); });
  }
  std::string finish() override { return enc_.close() ? "" : enc_.failure(); }
  void add_times(TraceTimes& t) override {
    const auto q = enc_.compression_times();
    t.compression = true;
    t.compression_cpu += q.worker_cpu, t.compression_waited += q.worker_waited;
    t.writer_waited_compression += q.producer_waited;
  }
  FstEncoder& encoder() { return enc_; }

 private:
  FstEncoder enc_;
};

// Bytes moved by a load or store (funct3: 0 byte, 1 half, 2 word; 4, 5 unsigned).
unsigned access_size(uint32_t insn) { return 1u << ((insn >> 12) & 3); }
// The bytes a load or store of `bytes` moved, of `value` (the register's).
uint32_t access_bits(uint32_t value, unsigned bytes) { return bytes == 4 ? value : value & ((1u << (8 * bytes)) - 1); }
// A load's word (else a store's: a block run's access).
bool is_load(uint32_t insn) { return (insn & 0x7F) == 0x03; }

}  // namespace

WaveWriter::WaveWriter(uint64_t clock_period_ps) : period_ps_(clock_period_ps ? clock_period_ps : 1) {
  for (uint64_t& v : value_) v = kUnset;
  for (unsigned r = 0; r < spec::kNumRows; ++r) {
    for (unsigned m = 0; m < 3; ++m) {
      const Decision d = classify_row(static_cast<uint16_t>(r), static_cast<spec::Mode>(m));
      const auto action = static_cast<uint8_t>(d.action), target = static_cast<uint8_t>(d.target);
      row_decisions_[r][m] = {d.kind, action, target, RowDecision::pack(d.kind, action, target)};
      row_packed_[m][r] = row_decisions_[r][m].packed;
    }
  }
}

WaveWriter::~WaveWriter() { close(); }

void WaveWriter::add_vcd(const std::string& path) {
  files_.push_back(std::make_unique<VcdFile>(path));
  fst_ = nullptr;
}

void WaveWriter::add_fst(const std::string& path) {
  auto f = std::make_unique<FstFile>(path);
  fst_ = files_.empty() ? &f->encoder() : nullptr;
  files_.push_back(std::move(f));
}

// The run's thread: the slice is copied into the batch being filled, which
// goes to the writer thread once full. Copied, not swapped: the core keeps
// writing its own vectors, which only its thread touches. A written slice's
// vectors come back from the writer thread's core, whose cache still holds
// them, and each of the core's small writes to them had to take a line back
// from there first (swapping cost a quarter more cpu for a whole traced
// bench_mix than one copy per slice: docs/waves-internals.md, eleventh round).
void WaveWriter::slice(std::vector<Retired>& records, std::vector<DecisionAt>& decisions, RunRecords& runs) {
  Batch& b = *filling_;
  if (b.used == b.slices.size()) b.slices.emplace_back();
  Slice& s = b.slices[b.used++];
  s.records.assign(records.begin(), records.end());
  s.decisions.assign(decisions.begin(), decisions.end());
  s.runs.assign(runs);
  records.clear(), decisions.clear(), runs.clear();
  b.events += s.records.size() + s.decisions.size() + s.runs.size();
  if (b.pins.empty()) {
    b.pins.swap(pins_);
  } else {
    b.pins.insert(b.pins.end(), pins_.begin(), pins_.end());
    pins_.clear();
  }
  if (b.events >= kBatchEvents) hand_over();
}

// Queues the filled batch (waits while kQueued are queued) and starts a new
// one from a written batch's vectors (their capacity reused).
void WaveWriter::hand_over() {
  if (filling_->used == 0) return;
  writer_.push(std::move(filling_));
  std::lock_guard<std::mutex> lock(spare_mu_);
  if (spare_.empty()) {
    filling_ = std::make_unique<Batch>();
  } else {
    filling_ = std::move(spare_.front());
    spare_.pop_front();
  }
}

namespace {

// Empties v; frees its memory when it grew beyond a batch (a long slice's),
// so that the vectors going round between the core and the batches stay small.
template <typename V>
void release_if_large(V& v) {
  if (v.capacity() > 2 * WaveWriter::kBatchEvents) {
    V().swap(v);
  } else {
    v.clear();
  }
}

}  // namespace

// The writer thread's work: a batch written, then emptied for reuse.
void WaveWriter::write_and_recycle(std::unique_ptr<Batch> b) {
  if (fst_ && !pins_expected_) {
    write_batch<true>(*b);
  } else {
    write_batch<false>(*b);
  }
  for (size_t i = 0; i < b->used; ++i) {
    Slice& s = b->slices[i];
    release_if_large(s.records);
    release_if_large(s.decisions);
    release_if_large(s.runs.runs);
    release_if_large(s.runs.mems);
    s.runs.clear();
  }
  b->used = b->events = 0;
  b->pins.clear();
  std::lock_guard<std::mutex> lock(spare_mu_);
  spare_.push_back(std::move(b));
}

// The batch's events in time order: each decision (a block's instruction's:
// the reference's for its row) before the record of its cycle.
template <bool kDirect>
void WaveWriter::write_batch(const Batch& b) {
  pin_ = b.pins.data();
  pin_end_ = pin_ + b.pins.size();
  for (size_t i = 0; i < b.used; ++i) {
    const Slice& s = b.slices[i];
    expand_runs(s);
    auto d = s.decisions.begin();
    const Retired* const end = s.records.data() + s.records.size();
    for (const Retired* r = s.records.data(); r != end;) {
      // (the decisions up to the record's; a trap's up to when it was taken: the
      // handler's first instruction's, at the trap's cycle, comes after it)
      for (const uint64_t due = r->taken(); d != s.decisions.end() && d->cycle <= due; ++d) {
        decision<kDirect>(d->cycle, d->decision);
      }
      if (r->what == Retired::What::kRun) {
        RunCursor c{r, end, columns_, d != s.decisions.end() ? d->cycle : kNever};
        block_runs<kDirect>(c);
        r = c.next_record();
      } else if (r->row != kNoRow) {
        block_insn<kDirect>(*r++);
      } else {
        retired<kDirect>(*r++);
      }
    }
    for (; d != s.decisions.end(); ++d) decision<kDirect>(d->cycle, d->decision);
  }
  pin_ = pin_end_ = nullptr;
}

WaveWriter::Failure WaveWriter::close() {
  hand_over();
  writer_.finish();
  const auto q = writer_.times();
  times_.run_waited = q.producer_waited, times_.writer_cpu = q.worker_cpu, times_.writer_waited = q.worker_waited;
  if (started_) {  // the last step, and the strobe falls and pins after it
    if (fst_ && !pins_expected_) {
      end_step<true>();
      run_due<true>(kNever);
    } else {
      end_step<false>();
      run_due<false>(kNever);
    }
    // A step at the end of the last traced cycle, if none came there: the last
    // instruction's values then last a cycle in a viewer, in every trace (a
    // window's ended at its last instruction unless a strobe fell after it).
    const uint64_t end = end_cycle_ * period_ps_;
    if (end > now_) {
      now_ = end;
      if (fst_ && !pins_expected_) {
        fst_->time(end);
      } else {
        for (auto& f : files_) f->step(end, 0, value_);
      }
    }
    started_ = false;
  }
  Failure failed;
  for (const auto& f : files_) {
    const std::string why = f->finish();
    if (!why.empty() && failed.path.empty()) failed = {f->path(), why};
    f->add_times(times_);
  }
  files_.clear();
  fst_ = nullptr;
  return failed;
}

template <bool kDirect>
[[gnu::always_inline]] inline void WaveWriter::change(Wave w, uint64_t v) {
  const auto i = static_cast<unsigned>(w);
  if (value_[i] == v) return;
  value_[i] = v;
  if (kDirect) {
    fst_->value(i, v, kWaveSignals[i].width);
  } else {
    changed_ |= uint64_t{1} << i;
  }
}

// A strobe (trap.taken, mem.valid) rises at ps (now_) for a clock period: it
// stays high if it was to fall now, and falls a period later unless raised
// again by then.
template <bool kDirect>
inline void WaveWriter::strobe(Wave w, uint64_t ps) {
  const uint64_t bit = uint64_t{1} << static_cast<unsigned>(w);
  falling_ &= ~bit;
  change<kDirect>(w, 1);
  const uint64_t fall = ps + period_ps_;
  if (strobes_ && strobe_ps_ != fall) return schedule(fall, w, 0);  // (not at one time: queued)
  strobe_ps_ = fall;
  strobes_ |= bit;
}

void WaveWriter::schedule(uint64_t ps, Wave w, uint64_t v) {
  auto pos = due_.end();
  while (pos != due_.begin() && std::prev(pos)->ps > ps) --pos;
  due_.insert(pos, {ps, w, v});
  slow_steps_ = true;
}

// The time of the next scheduled change (kNever: none).
uint64_t WaveWriter::next_due() const {
  uint64_t n = strobes_ ? strobe_ps_ : kNever;
  return !due_.empty() && due_.front().ps < n ? due_.front().ps : n;
}

// The scheduled changes due by now_: strobes falling join falling_ (they
// fall at the end of the step unless raised in it), the RTL pins change now.
template <bool kDirect>
void WaveWriter::apply_due() {
  if (strobes_ && strobe_ps_ <= now_) {
    falling_ |= strobes_;
    strobes_ = 0;
  }
  for (; !due_.empty() && due_.front().ps <= now_; due_.pop_front()) {
    const Due& d = due_.front();
    if (kStrobes >> static_cast<unsigned>(d.w) & 1) {
      falling_ |= uint64_t{1} << static_cast<unsigned>(d.w);  // a queued strobe fall (v 0)
    } else {
      change<kDirect>(d.w, d.v);
    }
  }
  slow_steps_ = first_step_ || !due_.empty();
}

// The end of the step at now_: the strobes not raised again fall; the first
// step writes every signal; the mask's changes go to every file.
template <bool kDirect>
void WaveWriter::end_step() {
  for (uint64_t m = falling_; m; m &= m - 1) change<kDirect>(static_cast<Wave>(__builtin_ctzll(m)), 0);
  falling_ = 0;
  if (first_step_) {  // the signals it did not change, at their initial values
    for (unsigned i = 0; i < kWaveCount; ++i)
      if (value_[i] == kUnset) change<kDirect>(static_cast<Wave>(i), initial_[i]);
    first_step_ = false;
    slow_steps_ = !due_.empty();
  }
  if (!kDirect && changed_) {
    for (auto& f : files_) f->step(now_, changed_, value_);
    changed_ = 0;
  }
}

// Each scheduled change before `before` at its own time step.
template <bool kDirect>
void WaveWriter::run_due(uint64_t before) {
  for (uint64_t n; (n = next_due()) < before;) {
    now_ = n;
    if (kDirect) fst_->time(n);
    apply_due<kDirect>();
    end_step<kDirect>();
  }
}

// Moves to time `ps` (at(): a later one, or the first): ends the step at
// now_, writes the scheduled changes that come before `ps` at their times,
// and starts the step at `ps` with those due then.
template <bool kDirect>
[[gnu::always_inline]] inline void WaveWriter::move_to(uint64_t ps) {
  if (kDirect && !slow_steps_ && (!strobes_ || strobe_ps_ >= ps)) {
    // The usual step (direct): the strobes not raised again fall, those
    // raised in it fall at ps (a period later) or later, no queue to walk.
    for (uint64_t m = falling_; m; m &= m - 1) change<true>(static_cast<Wave>(__builtin_ctzll(m)), 0);
    falling_ = 0;
    if (strobes_ && strobe_ps_ == ps) falling_ = strobes_, strobes_ = 0;
    now_ = ps;
    fst_->time(ps);
    return;
  }
  move_slow<kDirect>(ps);
}

template <bool kDirect>
void WaveWriter::move_slow(uint64_t ps) {
  if (!started_) {  // the first event (its step writes every signal: end_step)
    started_ = true;
    now_ = ps;
    if (kDirect) fst_->time(ps);
    return;
  }
  end_step<kDirect>();
  run_due<kDirect>(ps);
  now_ = ps;
  if (kDirect) fst_->time(ps);
  apply_due<kDirect>();
}

// The RTL pins of the decode at decode_ps (the decision being traced), as
// scheduled changes; pins of earlier decodes (outside the window) are dropped.
template <bool kDirect>
void WaveWriter::take_pins(uint64_t decode_ps) {
  for (; pin_ != pin_end_ && pin_->decode_ps <= decode_ps; ++pin_) {
    const RtlPins& p = *pin_;
    if (p.decode_ps != decode_ps) continue;
    schedule(p.ps, Wave::kRtlClk, p.clk);
    schedule(p.ps, Wave::kRtlReqValid, p.req_valid);
    schedule(p.ps, Wave::kRtlReqReady, p.req_ready);
    schedule(p.ps, Wave::kRtlRspValid, p.rsp_valid);
  }
  apply_due<kDirect>();
}

template <bool kDirect>
void WaveWriter::decision(uint64_t cycle, const Decision& d) {
  at<kDirect>(cycle * period_ps_);
  change<kDirect>(Wave::kDecisionKind, d.kind);
  change<kDirect>(Wave::kDecisionAction, static_cast<uint64_t>(d.action));
  change<kDirect>(Wave::kDecisionTarget, static_cast<uint64_t>(d.target));
  decision_ = RowDecision::pack(d.kind, static_cast<uint8_t>(d.action), static_cast<uint8_t>(d.target));
  if (d.cycles) change<kDirect>(Wave::kRtlLatency, d.cycles);  // the trap unit's cycles for it (--cosim)
  if (pin_ != pin_end_) take_pins<kDirect>(now_);
}

// A block's instruction: its decision (the reference's for its row, no
// RTL cycles), then its record, at one time.
template <bool kDirect>
[[gnu::always_inline]] inline void WaveWriter::block_insn(const Retired& r) {
  at<kDirect>(r.cycle * period_ps_);
  const RowDecision& d = row_decisions_[r.row][static_cast<unsigned>(r.mode)];
  if (d.packed != decision_) {  // (mostly the same as the last instruction's)
    change<kDirect>(Wave::kDecisionKind, d.kind);
    change<kDirect>(Wave::kDecisionAction, d.action);
    change<kDirect>(Wave::kDecisionTarget, d.target);
    decision_ = d.packed;
  }
  if (pin_ != pin_end_) take_pins<kDirect>(now_);
  retired<kDirect>(r);
}

// A kRun record's instructions and those of the kRun records that follow it
// in the next cycles (same mode, before the next decision's cycle): each as
// block_insn() writes it. Direct: after the first, those the writer can
// take without queued changes (all but after a trap's strobe, mostly) in
// bursts up to the FST block's last step, written from the columns signal
// by signal (write_columns).
template <bool kDirect>
void WaveWriter::block_runs(RunCursor& c) {
  Retired one;
  c.next(&one);
  block_insn<kDirect>(one);
  while (c.more()) {
    if (!kDirect || slow_steps_ || (strobes_ && strobe_ps_ != now_ + period_ps_)) {
      c.next(&one);
      block_insn<kDirect>(one);
      continue;
    }
    bool full = false;
    if constexpr (kDirect) {
      FstEncoder::Burst burst(*fst_);
      const uint32_t room = burst.room();
      uint32_t first = 0;
      const uint32_t n = c.take(room, &first);
      if (n) write_columns(burst, c.runs(), first, n, c.access());
      full = n == room;
    }
    if (full && c.more()) {  // the block's last step (the encoder starts the next block)
      c.next(&one);
      block_insn<kDirect>(one);
    }
  }
}

// The slice's kRun records' instructions into columns_, each record's
// blocks' code into code_ first (the code log in record order: a code space
// index may hold another block later in the slice).
void WaveWriter::expand_runs(const Slice& s) {
  const RunRecords& in = s.runs;
  if (in.count == 0) return;
  RunColumns& out = columns_;
  out.pc.resize(in.count + kCopyChunk), out.insn.resize(in.count + kCopyChunk), out.row.resize(in.count + kCopyChunk);
  out.accesses.resize(in.mems.size());
  if (code_.words.size() == 0) {  // (sized once, never zeroed: pages touched as code is logged)
    code_.words.resize(RunRecords::kCodeSpace + kCopyChunk), code_.pcs.resize(RunRecords::kCodeSpace + kCopyChunk);
    code_.rows.resize(RunRecords::kCodeSpace + kCopyChunk), code_.accesses.resize(RunRecords::kCodeSpace);
    code_.uniform.resize(RunRecords::kCodeSpace);
  }
  out.switches.clear();
  uint32_t logged = 0;
  for (const Retired& r : s.records) {
    if (r.what != Retired::What::kRun) continue;
    for (; logged < r.run_code_end(); ++logged) {
      const RunRecords::Code& c = in.code[logged];
      std::memcpy(&code_.words[c.at], &in.code_words[c.first], c.n * sizeof(uint32_t));
      std::memcpy(&code_.rows[c.at], &in.code_rows[c.first], c.n * sizeof(uint16_t));
      for (uint32_t k = 0; k < c.n; ++k) code_.pcs[c.at + k] = c.pc + 4 * k;
      code_.accesses[c.at] = RunRecords::access_mask(&in.code_words[c.first], c.n);
      for (unsigned m = 0; m < 3; ++m) {
        const uint32_t* const packed = row_packed_[m].data();
        const uint16_t* const rows = &in.code_rows[c.first];
        uint32_t u = c.n ? packed[rows[0]] : 0;
        for (uint32_t k = 1; k < c.n && u; ++k) u = packed[rows[k]] == u ? u : 0;
        code_.uniform[c.at][m] = u;
      }
    }
    expand_run(in, r);
  }
}

// kRun record r's block runs into columns_ (from r.run_first(), its loads
// and stores from r.run_access()): each round's words, rows and pcs copied
// from the code space a chunk at a time.
void WaveWriter::expand_run(const RunRecords& in, const Retired& r) {
  RunColumns& out = columns_;
  uint32_t* pc = out.pc.data() + r.run_first();
  uint32_t* insn = out.insn.data() + r.run_first();
  uint16_t* row = out.row.data() + r.run_first();
  RunColumns::Access* access = out.accesses.data() + r.run_access();
  const RunRecords::Mem* mem = in.mems.data() + r.run_access();
  uint32_t at = r.run_first();
  const uint32_t end = at + r.run_count();
  const unsigned mode = static_cast<unsigned>(r.mode);
  const uint32_t* const packed = row_packed_[mode].data();
  uint32_t decision = 0;  // the last column's (0: none yet: the record's first column is a switch)
  const auto switch_to = [&out, &decision](uint32_t col, uint32_t d) {
    const size_t i = out.switches.size();
    out.switches.resize(i + 1);
    out.switches[i] = {col, d};
    decision = d;
  };
  for (const RunRecords::Run* run = in.runs.data() + r.run_entry(); at != end; ++run) {
    const unsigned n = run->n;
    if (const uint32_t u = code_.uniform[run->at][mode]) {
      if (u != decision) switch_to(at, u);
    } else {  // (each instruction's, round by round)
      const uint16_t* const rows = &code_.rows[run->at];
      for (uint32_t round = 0, col = at; round < run->repeat; ++round)
        for (unsigned k = 0; k < n; ++k, ++col)
          if (packed[rows[k]] != decision) switch_to(col, packed[rows[k]]);
    }
    const uint64_t first_n = n < 64 ? (uint64_t{1} << n) - 1 : ~uint64_t{0};
    const RunRecords::AccessMask& of_block = code_.accesses[run->at];
    const uint64_t accesses = of_block.all & first_n;
    const uint32_t total = n * run->repeat;
    // The rounds' words, rows and pcs: a chunk at a time from the code space,
    // or, for many rounds, the first so and the others copied from the
    // rounds before them, doubling (a tight loop's in a few large copies).
    const unsigned copied = total - n >= kDoubleFrom ? 1 : run->repeat;
    const uint32_t* const words = &code_.words[run->at];
    const uint16_t* const rows = &code_.rows[run->at];
    const uint32_t* const pcs = &code_.pcs[run->at];
    for (unsigned round = 0; round < copied; ++round) {
      for (unsigned k = 0; k < n; k += kCopyChunk) {  // (past n: overwritten next, or past the columns' end)
        std::memcpy(insn + round * n + k, words + k, kCopyChunk * sizeof *insn);
        std::memcpy(row + round * n + k, rows + k, kCopyChunk * sizeof *row);
        std::memcpy(pc + round * n + k, pcs + k, kCopyChunk * sizeof *pc);
      }
    }
    for (uint32_t have = n * copied; have < total;) {
      const uint32_t more = std::min(have, total - have);
      std::memcpy(insn + have, insn, more * sizeof *insn);
      std::memcpy(row + have, row, more * sizeof *row);
      std::memcpy(pc + have, pc, more * sizeof *pc);
      have += more;
    }
    for (unsigned round = accesses ? 0 : run->repeat; round < run->repeat; ++round) {
      for (uint64_t m = accesses; m; m &= m - 1) {
        const auto k = static_cast<unsigned>(__builtin_ctzll(m));
        *access++ = {mem->addr, of_block.to_x0 >> k & 1 ? 0 : mem->value, at + round * n + k};  // (a load into x0 wrote nothing)
        ++mem;
      }
    }
    pc += total, insn += total, row += total, at += total;
  }
}

// Up to `most` next instructions: their first column index (*first) and how many.
uint32_t WaveWriter::RunCursor::take(uint32_t most, uint32_t* first) {
  *first = r_->run_first() + k_;
  uint32_t m = 0;
  while (m < most && more()) {
    const uint32_t n = std::min(most - m, r_->run_count() - k_);
    m += n, k_ += n;
    if (k_ == r_->run_count()) advance();
  }
  return m;
}

// The next instruction as a block's record (row set).
void WaveWriter::RunCursor::next(Retired* out) {
  const uint32_t i = r_->run_first() + k_;
  Retired& t = *out;
  t = Retired();
  t.mode = r_->mode;
  t.pc = runs_.pc[i];
  t.insn = runs_.insn[i];
  t.row = runs_.row[i];
  t.cycle = r_->cycle + k_;
  if (access_ < runs_.accesses.size() && runs_.accesses[access_].at == i) {
    t.access = is_load(t.insn) ? 'l' : 's';
    t.addr = runs_.accesses[access_].addr;
    t.value = runs_.accesses[access_++].value;
  }
  if (++k_ == r_->run_count()) advance();
}

// Past the record: on to the next when it continues the run (kRun, same
// mode, the next cycle, before the limit, its columns next); else the cursor ends.
void WaveWriter::RunCursor::advance() {
  const Retired* n = r_ + 1;
  const uint64_t cycle = r_->cycle + r_->run_count();
  if (n != end_ && n->what == Retired::What::kRun && n->mode == r_->mode && n->cycle == cycle && cycle < limit_ &&
      n->run_first() == r_->run_first() + r_->run_count()) {
    r_ = n, k_ = 0;
  } else {
    done_ = n;
  }
}

// n instructions from the columns, one clock period apart after the last
// one written: their time steps at once, the pc's and the word's changes
// each in a loop of its own, then the decisions, strobes and accesses step
// by step (what block_insn() and retired() write for each).
void WaveWriter::write_columns(FstEncoder::Burst& burst, const RunColumns& runs, uint32_t at, uint32_t n,
                               size_t& access) {
  const uint32_t* const pc = runs.pc.data() + at;
  const uint32_t* const insn = runs.insn.data() + at;
  const RunColumns::Access* acc = runs.accesses.data() + access;
  const RunColumns::Access* const acc_end = runs.accesses.data() + runs.accesses.size();
  const uint64_t period = period_ps_;
  const uint32_t first = burst.steps(now_ + period, period, n);
  lane_pass(burst, Wave::kCorePc, pc, n, first);
  lane_pass(burst, Wave::kCoreInsn, insn, n, first);

  decision_pass(burst, runs, at, n, first);
  access_pass(burst, runs.insn.data(), acc, acc_end, at, n, first);
  access = static_cast<size_t>(acc - runs.accesses.data());
  now_ += n * period;
  strobe_ps_ = now_ + period;
}

// The decision signals over the n steps of columns [at, at + n) from time
// index `first`: the reference's decision for each column's row, changing
// at most at the columns' switches.
void WaveWriter::decision_pass(FstEncoder::Burst& burst, const RunColumns& runs, uint32_t at, uint32_t n,
                               uint32_t first) {
  using Switch = RunColumns::Switch;
  const Switch* const end = runs.switches.data() + runs.switches.size();
  const Switch* w = std::lower_bound(runs.switches.data(), end, at, [](const Switch& x, uint32_t col) { return x.at < col; });
  for (; w != end && w->at < at + n; ++w) {
    if (w->packed == decision_) continue;
    const auto change = [&](Wave s, uint64_t v) {
      const auto i = static_cast<unsigned>(s);
      if (value_[i] == v) return;
      value_[i] = v;
      burst.value(i, first + (w->at - at), v, kWaveSignals[i].width);
    };
    change(Wave::kDecisionKind, w->packed >> 16 & 0xFF);
    change(Wave::kDecisionAction, w->packed >> 8 & 0xFF);
    change(Wave::kDecisionTarget, w->packed & 0xFF);
    decision_ = w->packed;
  }
}

// The strobes and the memory signals over the n steps of columns
// [at, at + n) from time index `first` (insn: the words, by column index;
// acc..acc_end: the loads and stores from the first step's on, acc advanced
// past the n steps'): what move_to's usual step and retired() write, a
// group of signals per pass over the steps' accesses.
void WaveWriter::access_pass(FstEncoder::Burst& burst, const uint32_t* insn, const RunColumns::Access*& acc,
                             const RunColumns::Access* acc_end, uint32_t at, uint32_t n, uint32_t first) {
  const RunColumns::Access* const begin = acc;
  acc = strobe_pass(burst, begin, acc_end, at, n, first);
  constexpr auto kWrite = static_cast<unsigned>(Wave::kMemWrite), kSize = static_cast<unsigned>(Wave::kMemSize),
                 kAddr = static_cast<unsigned>(Wave::kMemAddr), kData = static_cast<unsigned>(Wave::kMemData);
  static_assert(kWaveSignals[kAddr].width == 32 && kWaveSignals[kData].width == 32, "mem.addr and mem.data: 32 bits");
  FstEncoder::Burst::Lane addr_lane = burst.lane(kAddr), data_lane = burst.lane(kData);  // (a change at most per step)
  uint64_t addr = value_[kAddr], data = value_[kData];  // (in registers: the chains' stores may alias value_)
  uint32_t word = 0, bytes = 4;                         // (bytes: a load's or store's, from the word)
  for (const RunColumns::Access* x = begin; x != acc; ++x) {
    const uint32_t idx = first + (x->at - at), w = insn[x->at];
    if ((w ^ word) & 0x707F) {  // (another opcode or width: mem.write and mem.size may change)
      word = w, bytes = access_size(w);
      if (!is_load(w) != value_[kWrite]) burst.value(kWrite, idx, value_[kWrite] = !is_load(w), kWaveSignals[kWrite].width);
      if (bytes != value_[kSize]) burst.value(kSize, idx, value_[kSize] = bytes, kWaveSignals[kSize].width);
    }
    const uint32_t value = access_bits(x->value, bytes);
    if (x->addr != addr) addr_lane.value(idx, addr = x->addr, 32);
    if (value != data) data_lane.value(idx, data = value, 32);
  }
  burst.done(addr_lane), burst.done(data_lane);
  value_[kAddr] = addr, value_[kData] = data;
}

// The strobes over the burst's steps (as access_pass): those from before it
// (falling_: raised two steps before, falling at the step before; strobes_:
// raised at the step before, falling at the first unless raised again), and
// mem.valid, high at the steps of the accesses from begin that fall in the
// n steps (returns the end of them), falling at the first step after each
// without one. At the end falling_ and strobes_ hold what move_to's steps
// would: raised at the last step, or at the one before and falling at the last.
const WaveWriter::RunColumns::Access* WaveWriter::strobe_pass(FstEncoder::Burst& burst, const RunColumns::Access* begin,
                                                  const RunColumns::Access* acc_end, uint32_t at, uint32_t n,
                                                  uint32_t first) {
  constexpr auto kValid = static_cast<unsigned>(Wave::kMemValid);
  constexpr uint64_t kValidBit = uint64_t{1} << kValid;
  const auto fall = [&](uint64_t strobes, uint32_t idx) {
    for (; strobes; strobes &= strobes - 1) {
      const auto i = static_cast<unsigned>(__builtin_ctzll(strobes));
      if (value_[i] == 0) continue;
      value_[i] = 0;
      burst.value(i, idx, 0, kWaveSignals[i].width);
    }
  };
  fall(falling_, first - 1);
  uint64_t falling = strobes_ & ~kValidBit;  // (only mem.valid rises in a burst)
  if (n >= 2) fall(falling, first), falling = 0;
  constexpr int64_t kNone = -2;
  int64_t raised = strobes_ & kValidBit ? -1 : kNone;  // the last step mem.valid rose at or stayed high
  uint64_t valid = value_[kValid];
  FstEncoder::Burst::Lane lane = burst.lane(kValid);
  const RunColumns::Access* x = begin;
  for (; x != acc_end && x->at - at < n; ++x) {
    const int64_t k = x->at - at;
    if (raised != kNone && raised + 1 < k) lane.value(first + static_cast<uint32_t>(raised + 1), valid = 0, 1);
    if (!valid) lane.value(first + static_cast<uint32_t>(k), valid = 1, 1);
    raised = k;
  }
  uint64_t strobes = 0;
  const int64_t last = int64_t{n} - 1;
  if (raised == last) {
    strobes = kValidBit;
  } else if (raised == last - 1) {
    falling |= kValidBit;
  } else if (raised != kNone) {
    lane.value(first + static_cast<uint32_t>(raised + 1), valid = 0, 1);
  }
  burst.done(lane);
  value_[kValid] = valid;
  falling_ = falling, strobes_ = strobes;
  return x;
}

// A packed 32-bit signal's (FstFile packs core.pc and core.insn) values over
// n steps from time index `first` (v[0..n)): copied for the compression
// thread, which finds the loop's repeats in them.
void WaveWriter::lane_pass(FstEncoder::Burst& burst, Wave w, const uint32_t* v, uint32_t n, uint32_t first) {
  const auto i = static_cast<unsigned>(w);
  static_assert(kWaveSignals[static_cast<unsigned>(Wave::kCorePc)].width == 32 &&
                    kWaveSignals[static_cast<unsigned>(Wave::kCoreInsn)].width == 32,
                "the lanes: 32 bits");
  burst.values32(i, v, n, first);
  value_[i] = v[n - 1];
}

template <bool kDirect>
[[gnu::always_inline]] inline void WaveWriter::retired(const Retired& r) {
  const uint64_t t = r.cycle * period_ps_;
  if (r.what != Retired::What::kInsn) {
    // The mode it left, from when it was taken (an instruction that trapped
    // right after an exit into its mode shows that mode for the entry's cycles).
    if (value_[static_cast<unsigned>(Wave::kCoreMode)] != static_cast<uint64_t>(r.mode)) {
      at<kDirect>(std::max(r.taken() * period_ps_, now_));
      change<kDirect>(Wave::kCoreMode, static_cast<uint64_t>(r.mode));
    }
    at<kDirect>(t);
    change<kDirect>(Wave::kCoreMode, static_cast<uint64_t>(r.target));
    strobe<kDirect>(Wave::kTrapTaken, t);
    change<kDirect>(Wave::kTrapCause, r.cause);
    change<kDirect>(Wave::kTrapTval, r.tval);
    change<kDirect>(Wave::kTrapVector, r.vector);
    return;
  }
  at<kDirect>(t);
  change<kDirect>(Wave::kCorePc, r.pc);
  change<kDirect>(Wave::kCoreInsn, r.insn);
  change<kDirect>(Wave::kCoreMode, static_cast<uint64_t>(r.mode));
  if (r.access) {
    const unsigned size = access_size(r.insn);
    strobe<kDirect>(Wave::kMemValid, t);
    change<kDirect>(Wave::kMemWrite, r.access == 's');
    change<kDirect>(Wave::kMemAddr, r.addr);
    change<kDirect>(Wave::kMemData, access_bits(r.value, size));
    change<kDirect>(Wave::kMemSize, size);
  }
}

}  // namespace trimode

#include "testbench/sweep/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "models/classifier/classifier.hpp"

namespace trimode::sweep {
namespace {

constexpr unsigned kModes = 4;       // U G V and the unused encoding 3
constexpr unsigned kTableModes = 3;  // the directed set: the table's modes
constexpr unsigned kIrqStates = 16;
constexpr uint64_t kWords = uint64_t{1} << 32;
constexpr uint64_t kChunk = 1u << 14;  // stimuli per work item (fits L1/L2 with the outcomes)

}  // namespace

// A stimulus source: a fixed sequence, filled in slices.
class Source {
 public:
  virtual ~Source() = default;
  virtual uint64_t count() const = 0;
  virtual void fill(uint64_t first, unsigned n, Stimulus* out) const = 0;
};

namespace {

// Words [lo, hi) x mode values 0..3, word-major, irq lines idle.
class WordRange : public Source {
 public:
  WordRange(uint64_t lo, uint64_t hi) : lo_(lo), hi_(hi) {}
  uint64_t count() const override { return (hi_ - lo_) * kModes; }
  void fill(uint64_t first, unsigned n, Stimulus* out) const override {
    uint64_t word = lo_ + first / kModes;
    unsigned mode = static_cast<unsigned>(first % kModes);
    for (unsigned i = 0; i < n; ++i) {
      out[i] = {static_cast<uint32_t>(word), static_cast<uint8_t>(mode), 0};
      if (++mode == kModes) {
        mode = 0;
        ++word;
      }
    }
  }

 private:
  uint64_t lo_, hi_;
};

// A list of words x modes U G V x all 16 irq states.
class WordList : public Source {
 public:
  explicit WordList(std::vector<uint32_t> words) : words_(std::move(words)) {}
  uint64_t count() const override { return words_.size() * kTableModes * kIrqStates; }
  void fill(uint64_t first, unsigned n, Stimulus* out) const override {
    for (unsigned i = 0; i < n; ++i) {
      const uint64_t k = first + i;
      out[i] = {words_[k / (kTableModes * kIrqStates)], static_cast<uint8_t>(k / kIrqStates % kTableModes),
                static_cast<uint8_t>(k % kIrqStates)};
    }
  }

 private:
  std::vector<uint32_t> words_;
};

// The twelve irq states with at least one interrupt pending (taken or masked,
// depending on the enables and the mode).
constexpr uint8_t kPendingStates[] = {1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15};
constexpr unsigned kNumPending = sizeof kPendingStates;

// The pending state paired with stimulus group k: rotates through all twelve.
uint8_t pending_state(uint64_t k) { return kPendingStates[k % kNumPending]; }

// Every SYSTEM-opcode word (bits 31:7 free, 2^25 words) x mode values 0..3 x
// two irq states: idle, and a pending state rotating with the word and mode.
class SystemWords : public Source {
 public:
  static constexpr uint64_t kWords = uint64_t{1} << 25;
  uint64_t count() const override { return kWords * kModes * 2; }
  void fill(uint64_t first, unsigned n, Stimulus* out) const override {
    for (unsigned i = 0; i < n; ++i) {
      const uint64_t k = first + i;
      const uint64_t group = k / 2;  // (word, mode)
      const uint32_t word = static_cast<uint32_t>(group / kModes) << 7 | 0x73u;
      const uint8_t irq = (k & 1) ? pending_state(group) : 0;
      out[i] = {word, static_cast<uint8_t>(group % kModes), irq};
    }
  }
};

// A list of words x mode values 0..3; even words with idle irq lines, odd
// words with a pending state rotating with the word and mode.
class PairList : public Source {
 public:
  explicit PairList(std::vector<uint32_t> words) : words_(std::move(words)) {}
  uint64_t count() const override { return words_.size() * kModes; }
  void fill(uint64_t first, unsigned n, Stimulus* out) const override {
    for (unsigned i = 0; i < n; ++i) {
      const uint64_t k = first + i;
      const uint64_t w = k / kModes;
      out[i] = {words_[w], static_cast<uint8_t>(k % kModes), (w & 1) ? pending_state(k / 2) : uint8_t{0}};
    }
  }

 private:
  std::vector<uint32_t> words_;
};

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Counter-based random stimuli: stimulus k depends only on (seed, k), so shards
// and threads see the same sequence. A quarter of the words are a random table
// row with random free bits (uniform words would almost never hit a CSR row);
// half the stimuli have random irq lines, the rest idle lines.
class Random : public Source {
 public:
  Random(uint64_t n, uint64_t seed) : n_(n), seed_(splitmix64(seed)) {}
  uint64_t count() const override { return n_; }
  void fill(uint64_t first, unsigned n, Stimulus* out) const override {
    for (unsigned i = 0; i < n; ++i) {
      const uint64_t r = splitmix64(seed_ ^ ((first + i) * 0xD1B54A32D192ED03ull));
      uint32_t word = static_cast<uint32_t>(r);
      if (((r >> 53) & 3) == 0) {
        const spec::Row& row = spec::kRows[(r >> 55) % spec::kNumRows];
        word = row.match | (word & ~row.mask);
      }
      const uint8_t mode = static_cast<uint8_t>(((r >> 32) & 0xFFFF) % kTableModes);
      const uint8_t irq = ((r >> 52) & 1) ? static_cast<uint8_t>((r >> 48) & 0xF) : 0;
      out[i] = {word, mode, irq};
    }
  }

 private:
  uint64_t n_, seed_;
};

}  // namespace

static std::vector<std::unique_ptr<Source>> sources_of(const SweepOptions& opt) {
  std::vector<std::unique_ptr<Source>> s;
  if (opt.directed) s.push_back(std::make_unique<WordList>(directed_words()));
  if (opt.system) s.push_back(std::make_unique<SystemWords>());
  if (opt.pairs) s.push_back(std::make_unique<PairList>(pair_words()));
  if (opt.range) s.push_back(std::make_unique<WordRange>(opt.range_lo, opt.range_hi));
  if (opt.all) s.push_back(std::make_unique<WordRange>(0, kWords));
  if (opt.random) s.push_back(std::make_unique<Random>(opt.random, opt.seed));
  return s;
}

namespace {

// This shard's slice [begin, end) of a source of `count` stimuli.
struct Slice {
  const Source* source;
  uint64_t begin, end;
};

bool same(const Outcome& a, const Outcome& b) {
  return a.kind == b.kind && a.action == b.action && a.target == b.target && a.cause == b.cause;
}

const char* mode_letter(unsigned m) { return m == 0 ? "U" : m == 1 ? "G" : m == 2 ? "V" : "3"; }

}  // namespace

Outcome reference(const Stimulus& s) {
  IrqLines irq;
  irq.timer_pending = s.irq & 1;
  irq.virtual_pending = s.irq & 2;
  irq.v_ie = s.irq & 4;
  irq.g_ie = s.irq & 8;
  const bool unused_mode = s.mode == 3;
  const auto mode = unused_mode ? spec::Mode::V : static_cast<spec::Mode>(s.mode);
  const Decision d = classify(s.insn, mode, irq);
  const bool in_place = d.action == spec::Action::kExec;
  const uint8_t target = unused_mode && in_place ? 3 : static_cast<uint8_t>(d.target);
  return {d.kind, static_cast<uint8_t>(d.action), target, d.cause};
}

std::vector<uint32_t> pair_words() {
  struct Field {
    unsigned hi, lo;
  };
  // rd, rs1, rs2, funct3, and the fence sub-fields fm, pred, succ.
  static constexpr Field kFields[] = {{11, 7}, {19, 15}, {24, 20}, {14, 12}, {31, 28}, {27, 24}, {23, 20}};
  auto field_mask = [](Field f) { return ((1u << (f.hi - f.lo + 1)) - 1) << f.lo; };
  std::vector<uint32_t> words;
  for (unsigned r = 0; r < spec::kNumRows; ++r) {
    const uint32_t match = spec::kRows[r].match;
    for (unsigned a = 0; a < std::size(kFields); ++a) {
      for (unsigned b = a + 1; b < std::size(kFields); ++b) {
        const Field fa = kFields[a], fb = kFields[b];
        if (field_mask(fa) & field_mask(fb)) continue;  // overlapping views of the same bits
        const uint32_t base = match & ~field_mask(fa) & ~field_mask(fb);
        for (uint32_t va = 0; va <= field_mask(fa) >> fa.lo; ++va) {
          for (uint32_t vb = 0; vb <= field_mask(fb) >> fb.lo; ++vb) words.push_back(base | va << fa.lo | vb << fb.lo);
        }
      }
    }
    // Every 12-bit immediate (I-type imm, CSR number, funct12).
    for (uint32_t imm = 0; imm < 4096; ++imm) words.push_back((match & 0x000FFFFFu) | imm << 20);
    // U/J-type rows (no funct3 in the mask): every 20-bit immediate.
    if ((spec::kRows[r].mask & 0x7000u) == 0) {
      for (uint32_t imm = 0; imm < (1u << 20); ++imm) words.push_back((match & 0xFFFu) | imm << 12);
    }
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

std::vector<uint32_t> directed_words() {
  // The standard RV32 fields, for "field at its boundary" variants.
  struct Field {
    unsigned hi, lo;
  };
  static constexpr Field kFields[] = {{6, 0},   {11, 7},  {14, 12}, {19, 15},
                                      {24, 20}, {31, 25}, {31, 20}};
  std::set<uint32_t> words;
  for (unsigned r = 0; r < spec::kNumRows; ++r) {
    const uint32_t match = spec::kRows[r].match;
    const uint32_t mask = spec::kRows[r].mask;
    words.insert(match);
    words.insert(match | ~mask);
    // Every fixed bit flipped: the nearest words outside the row.
    for (unsigned b = 0; b < 32; ++b) {
      if (mask >> b & 1) words.insert(match ^ (1u << b));
    }
    for (const Field& f : kFields) {
      const uint32_t width = f.hi - f.lo + 1;
      const uint32_t fmask = (width == 32 ? ~0u : ((1u << width) - 1)) << f.lo;
      const uint32_t value = (match & fmask) >> f.lo;
      const uint32_t max = fmask >> f.lo;
      if ((mask & fmask) == 0) {
        // A free field: its extreme and near-extreme values, rest of the row as matched.
        for (uint32_t v : {0u, 1u, max - 1, max}) words.insert((match & ~fmask) | (v << f.lo));
      } else if ((mask & fmask) == fmask) {
        // A fixed field: its neighbours value +- 1 (off-by-one decodes).
        for (uint32_t v : {value - 1, value + 1}) {
          words.insert((match & ~fmask) | ((v & max) << f.lo));
        }
      }
    }
  }
  // Every major opcode x funct3 with the other bits clear and set.
  for (uint32_t op = 0; op < 128; ++op) {
    for (uint32_t f3 = 0; f3 < 8; ++f3) {
      words.insert(op | f3 << 12);
      words.insert(op | f3 << 12 | 0xFFF00000u | 0x000F8F80u);
    }
  }
  return {words.begin(), words.end()};
}

Stimuli::Stimuli(const SweepOptions& opt) : sources_(sources_of(opt)) {}
Stimuli::~Stimuli() = default;

uint64_t Stimuli::count() const {
  uint64_t n = 0;
  for (const auto& s : sources_) n += s->count();
  return n;
}

void Stimuli::fill(uint64_t first, unsigned n, Stimulus* out) const {
  for (const auto& s : sources_) {
    const uint64_t len = s->count();
    if (first >= len) {
      first -= len;
      continue;
    }
    const unsigned k = static_cast<unsigned>(std::min<uint64_t>(n, len - first));
    s->fill(first, k, out);
    out += k;
    n -= k;
    first = 0;
    if (n == 0) break;
  }
}

SweepResult run_sweep_on(const ModelFactory& make_model, const SweepOptions& opt, const ProgressFn& progress) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto sources = sources_of(opt);
  const unsigned shards = std::max(1u, opt.shard_count);

  std::vector<Slice> slices;
  uint64_t total = 0;
  for (const auto& s : sources) {
    const unsigned __int128 c = s->count();
    const uint64_t b = static_cast<uint64_t>(c * opt.shard_index / shards);
    const uint64_t e = static_cast<uint64_t>(c * (opt.shard_index + 1) / shards);
    slices.push_back({s.get(), b, e});
    total += e - b;
  }

  unsigned threads = opt.threads ? opt.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, threads);
  const uint64_t chunks = total / kChunk + (total % kChunk != 0);  // (total + kChunk - 1 could wrap)
  threads = static_cast<unsigned>(std::min<uint64_t>(threads, std::max<uint64_t>(chunks, 1)));

  std::atomic<uint64_t> next_chunk{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> mismatches{0};
  std::atomic<uint64_t> cycles{0};
  std::atomic<unsigned> running{threads};
  std::mutex mu;
  std::condition_variable finished;
  SweepResult result;

  auto worker = [&] {
    auto model = make_model();
    std::vector<Stimulus> in(kChunk);
    std::vector<Outcome> out(kChunk);
    for (;;) {
      const uint64_t c = next_chunk.fetch_add(1);
      if (c >= chunks) break;
      // Map the chunk [c*kChunk, ...) of the shard onto the slices.
      uint64_t pos = c * kChunk;
      uint64_t left = std::min(kChunk, total - pos);
      uint64_t local_mismatches = 0;
      for (const Slice& s : slices) {
        const uint64_t len = s.end - s.begin;
        if (pos >= len) {
          pos -= len;
          continue;
        }
        const unsigned n = static_cast<unsigned>(std::min(left, len - pos));
        s.source->fill(s.begin + pos, n, in.data());
        model->decode(in.data(), out.data(), n);
        for (unsigned i = 0; i < n; ++i) {
          const Outcome ref = reference(in[i]);
          if (same(out[i], ref)) continue;
          ++local_mismatches;
          std::lock_guard<std::mutex> lock(mu);
          if (result.first.size() < opt.max_mismatches) result.first.push_back({in[i], out[i], ref});
        }
        done.fetch_add(n, std::memory_order_relaxed);
        left -= n;
        pos = 0;
        if (left == 0) break;
      }
      mismatches.fetch_add(local_mismatches, std::memory_order_relaxed);
    }
    cycles.fetch_add(model->cycles());
    std::lock_guard<std::mutex> lock(mu);
    if (--running == 0) finished.notify_all();
  };

  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);

  auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  {
    std::unique_lock<std::mutex> lock(mu);
    while (running > 0) {
      finished.wait_for(lock, std::chrono::milliseconds(200));
      if (progress && running > 0) {
        const Progress p{done.load(), total, mismatches.load(), seconds()};
        lock.unlock();
        progress(p);
        lock.lock();
      }
    }
  }
  for (auto& t : pool) t.join();

  result.checked = done.load();
  result.mismatches = mismatches.load();
  result.cycles = cycles.load();
  result.seconds = seconds();
  if (progress) progress({result.checked, total, result.mismatches, result.seconds});
  return result;
}

std::string format_irq(uint8_t irq) {
  std::string s = "..:..";
  if (irq & 1) s[0] = 't';
  if (irq & 2) s[1] = 'v';
  if (irq & 4) s[3] = 'V';
  if (irq & 8) s[4] = 'G';
  return s;
}

std::string format_outcome(const Outcome& o) {
  static const char* const kActions[] = {"exec", "trap", "illegal", "?"};
  char buf[96];
  // Cause 0 on exec is "no cause", not insn_misaligned.
  const char* name = o.action == 0 && o.cause == 0 ? "none" : cause_name(o.cause);
  std::snprintf(buf, sizeof buf, "{kind=%u %s->%s cause=0x%x %s}", o.kind, kActions[std::min<unsigned>(o.action, 3)],
                mode_letter(o.target), o.cause, name);
  return buf;
}

std::string format_mismatch(const Mismatch& m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "FAILURE: insn=0x%08x mode=%s irq=%s  ", m.stim.insn, mode_letter(m.stim.mode),
                format_irq(m.stim.irq).c_str());
  return buf + std::string("rtl=") + format_outcome(m.rtl) + " ref=" + format_outcome(m.ref);
}

}  // namespace trimode::sweep

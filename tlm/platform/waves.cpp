#include "tlm/platform/waves.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "gtkwave/fstapi.h"

namespace trimode {

using spec::Wave;
using spec::kWaveSignals;
using spec::kWaveCount;

static_assert(kWaveCount <= 64, "WaveWriter::changed_ is one 64-bit mask");  // (VCD ids: 94)

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

class VcdFile : public WaveFile {
 public:
  explicit VcdFile(const std::string& path) : f_(std::fopen(path.c_str(), "w")) {
    if (!f_) throw std::runtime_error("cannot write " + path);
    std::fputs("$version trimode platform trace $end\n$timescale 1ps $end\n$scope module trimode $end\n", f_);
    declare_all([this](const char* g) { std::fprintf(f_, "$scope module %s $end\n", g); },
                [this](unsigned i) {
                  std::fprintf(f_, "$var wire %u %c %s $end\n", kWaveSignals[i].width, id(i),
                               declared_name(kWaveSignals[i]).c_str());
                },
                [this] { std::fputs("$upscope $end\n", f_); });
    std::fputs("$upscope $end\n$enddefinitions $end\n", f_);
  }
  ~VcdFile() override { std::fclose(f_); }
  // Formatted by hand and written unlocked: fprintf was most of the VCD's cost.
  void time(uint64_t ps) override {
    char buf[24];
    char* p = buf + sizeof buf;
    *--p = '\n';
    do *--p = static_cast<char>('0' + ps % 10); while (ps /= 10);
    *--p = '#';
    fwrite_unlocked(p, 1, static_cast<size_t>(buf + sizeof buf - p), f_);
  }
  void value(unsigned i, uint64_t v) override {
    char buf[72];  // "b" + up to 64 bits + " " + id + "\n"
    size_t n = 0;
    if (kWaveSignals[i].width == 1) {
      buf[n++] = v ? '1' : '0';
    } else {
      buf[n++] = 'b';
      for (int b = 63 - __builtin_clzll(v | 1); b >= 0; --b) buf[n++] = (v >> b) & 1 ? '1' : '0';
      buf[n++] = ' ';
    }
    buf[n++] = id(i);
    buf[n++] = '\n';
    fwrite_unlocked(buf, 1, n, f_);
  }

 private:
  static char id(unsigned i) { return static_cast<char>('!' + i); }  // one character: at most 94 signals
  std::FILE* f_;
};

// kByteChars[b]: the 8 characters '0'/'1' of byte b, most significant first.
const std::array<uint64_t, 256> kByteChars = [] {
  std::array<uint64_t, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    char c[8];
    for (unsigned k = 0; k < 8; ++k) c[k] = '0' + (b >> (7 - k) & 1);
    std::memcpy(&t[b], c, 8);
  }
  return t;
}();

class FstFile : public WaveFile {
 public:
  explicit FstFile(const std::string& path) : ctx_(fstWriterCreate(path.c_str(), 1)) {
    if (!ctx_) throw std::runtime_error("cannot write " + path);
    fstWriterSetPackType(ctx_, FST_WR_PT_ZLIB);
    // Each block of kBlockSteps times is packed and compressed on a second
    // thread while the run goes on (the file is the same as the serial
    // writer's: blocks are cut at the same times and written in order).
    fstWriterSetParallelMode(ctx_, 1);
    fstWriterSetTimescale(ctx_, -12);  // 1 ps
    fstWriterSetScope(ctx_, FST_ST_VCD_MODULE, "trimode", nullptr);
    declare_all([this](const char* g) { fstWriterSetScope(ctx_, FST_ST_VCD_MODULE, g, nullptr); },
                [this](unsigned i) {
                  handle_[i] = fstWriterCreateVar(ctx_, FST_VT_VCD_WIRE, FST_VD_IMPLICIT, kWaveSignals[i].width,
                                                  declared_name(kWaveSignals[i]).c_str(), 0);
                },
                [this] { fstWriterSetUpscope(ctx_); });
    fstWriterSetUpscope(ctx_);
  }
  ~FstFile() override { fstWriterClose(ctx_); }
  void time(uint64_t ps) override {
    if (++steps_ % kBlockSteps == 0) fstWriterFlushContext(ctx_);  // a block ends at the next time
    fstWriterEmitTimeChange(ctx_, ps);
  }
  void value(unsigned i, uint64_t v) override {
    char bits[64];
    const unsigned width = kWaveSignals[i].width;
    // 8 bits at a time, most significant first, as '0'/'1' (fstapi's value format).
    unsigned n = 0;
    for (; n < (width & 7); ++n) bits[n] = static_cast<char>('0' + (v >> (width - 1 - n) & 1));
    for (; n < width; n += 8) std::memcpy(bits + n, &kByteChars[v >> (width - 8 - n) & 0xFF], 8);
    fstWriterEmitValueChange(ctx_, handle_[i], bits);
  }

 private:
  void* ctx_;
  fstHandle handle_[kWaveCount] = {};
  // A block per 64 Ki times (a few MB): the second thread gets work while the
  // run goes on and memory stays bounded, where fstapi's own limit (128 MB and
  // up) would pack a short run's whole trace at the end, on the main thread.
  // Smaller blocks cost more (4 Ki: 2.5 times the cpu, 1 Ki: 9 times).
  static constexpr uint64_t kBlockSteps = 1 << 16;
  uint64_t steps_ = 0;
};

// Bytes moved by a load or store (funct3: 0 byte, 1 half, 2 word; 4, 5 unsigned).
unsigned access_size(uint32_t insn) { return 1u << ((insn >> 12) & 3); }

}  // namespace

WaveWriter::WaveWriter(uint64_t clock_period_ps) : period_ps_(clock_period_ps ? clock_period_ps : 1) {}

WaveWriter::~WaveWriter() { close(); }

void WaveWriter::add_vcd(const std::string& path) { files_.push_back(std::make_unique<VcdFile>(path)); }
void WaveWriter::add_fst(const std::string& path) { files_.push_back(std::make_unique<FstFile>(path)); }

void WaveWriter::close() {
  if (started_) at((due_.empty() ? now_ : due_.back().ps) + 1);  // the last changes, what falls after
  files_.clear();
}

void WaveWriter::change(Wave w, uint64_t v) {
  const auto i = static_cast<unsigned>(w);
  if (value_[i] == v) return;
  value_[i] = v;
  changed_ |= uint64_t{1} << i;
}

void WaveWriter::schedule(uint64_t ps, Wave w, uint64_t v) {
  auto pos = due_.end();
  while (pos != due_.begin() && std::prev(pos)->ps > ps) --pos;
  due_.insert(pos, {ps, w, v});
}

// The scheduled changes due by now_.
void WaveWriter::apply_due() {
  for (; !due_.empty() && due_.front().ps <= now_; due_.pop_front()) change(due_.front().w, due_.front().v);
}

void WaveWriter::flush() {
  if (!changed_) return;
  for (auto& f : files_) {
    f->time(now_);
    for (uint64_t m = changed_; m; m &= m - 1) {
      const auto i = static_cast<unsigned>(__builtin_ctzll(m));
      f->value(i, value_[i]);
    }
  }
  changed_ = 0;
}

// Moves to time `ps`: writes what changed at the previous time and every
// scheduled change that comes before `ps`, each at its own time.
void WaveWriter::at(uint64_t ps) {
  if (!started_) {  // the first event: every signal is written at its time
    started_ = true;
    now_ = ps;
    changed_ = ~uint64_t{0} >> (64 - kWaveCount);
    return;
  }
  if (ps == now_) return;
  flush();
  while (!due_.empty() && due_.front().ps < ps) {
    now_ = due_.front().ps;
    apply_due();
    flush();
  }
  now_ = ps;
  apply_due();
}

// The RTL pins of the decode at decode_ps (the decision being traced), as
// scheduled changes; pins of earlier decodes (outside the window) are dropped.
void WaveWriter::take_pins(uint64_t decode_ps) {
  for (; pins_taken_ < rtl_pins_.size() && rtl_pins_[pins_taken_].decode_ps <= decode_ps; ++pins_taken_) {
    const RtlPins& p = rtl_pins_[pins_taken_];
    if (p.decode_ps != decode_ps) continue;
    schedule(p.ps, Wave::kRtlClk, p.clk);
    schedule(p.ps, Wave::kRtlReqValid, p.req_valid);
    schedule(p.ps, Wave::kRtlReqReady, p.req_ready);
    schedule(p.ps, Wave::kRtlRspValid, p.rsp_valid);
  }
  apply_due();
}

void WaveWriter::decision(uint64_t cycle, const Decision& d) {
  at(cycle * period_ps_);
  change(Wave::kDecisionKind, d.kind);
  change(Wave::kDecisionAction, static_cast<uint64_t>(d.action));
  change(Wave::kDecisionTarget, static_cast<uint64_t>(d.target));
  if (d.cycles) change(Wave::kRtlLatency, d.cycles);  // the trap unit's cycles for it (--cosim)
  if (pins_taken_ < rtl_pins_.size()) take_pins(now_);
}

void WaveWriter::retired(const Retired& r) {
  const uint64_t t = r.cycle * period_ps_;
  at(t);
  ++events_;
  const uint64_t strobe_end = t + (period_ps_ > 1 ? period_ps_ / 2 : 1);
  if (r.what != Retired::What::kInsn) {
    change(Wave::kCoreMode, static_cast<uint64_t>(r.target));
    change(Wave::kTrapTaken, 1);
    change(Wave::kTrapCause, r.cause);
    change(Wave::kTrapTval, r.tval);
    change(Wave::kTrapVector, r.vector);
    schedule(strobe_end, Wave::kTrapTaken, 0);
    return;
  }
  change(Wave::kCorePc, r.pc);
  change(Wave::kCoreInsn, r.insn);
  change(Wave::kCoreMode, static_cast<uint64_t>(r.mode));
  if (r.access) {
    const unsigned size = access_size(r.insn);
    const uint64_t mask = size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    change(Wave::kMemValid, 1);
    change(Wave::kMemWrite, r.access == 's');
    change(Wave::kMemAddr, r.addr);
    change(Wave::kMemData, r.value & mask);
    change(Wave::kMemSize, size);
    schedule(strobe_end, Wave::kMemValid, 0);
  }
}

}  // namespace trimode

#include "tlm/platform/waves.hpp"

#include <cstdio>
#include <stdexcept>

#include "gtkwave/fstapi.h"

namespace trimode {

using spec::Wave;
using spec::kWaveSignals;
using spec::kWaveCount;

static_assert(kWaveCount <= 64, "WaveWriter::changed_ is one 64-bit mask");

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
                  std::fprintf(f_, "$var wire %u %s %s $end\n", kWaveSignals[i].width, id(i).c_str(),
                               declared_name(kWaveSignals[i]).c_str());
                },
                [this] { std::fputs("$upscope $end\n", f_); });
    std::fputs("$upscope $end\n$enddefinitions $end\n", f_);
  }
  ~VcdFile() override { std::fclose(f_); }
  void time(uint64_t ps) override { std::fprintf(f_, "#%llu\n", static_cast<unsigned long long>(ps)); }
  void value(unsigned i, uint64_t v) override {
    const unsigned width = kWaveSignals[i].width;
    if (width == 1) {
      std::fprintf(f_, "%c%s\n", v ? '1' : '0', id(i).c_str());
      return;
    }
    char bits[66];
    unsigned n = 0;
    for (int b = 63 - __builtin_clzll(v | 1); b >= 0; --b) bits[n++] = (v >> b) & 1 ? '1' : '0';
    bits[n] = 0;
    std::fprintf(f_, "b%s %s\n", bits, id(i).c_str());
  }

 private:
  static std::string id(unsigned i) { return std::string(1, static_cast<char>('!' + i)); }
  std::FILE* f_;
};

class FstFile : public WaveFile {
 public:
  explicit FstFile(const std::string& path) : ctx_(fstWriterCreate(path.c_str(), 1)) {
    if (!ctx_) throw std::runtime_error("cannot write " + path);
    fstWriterSetPackType(ctx_, FST_WR_PT_ZLIB);
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
  void time(uint64_t ps) override { fstWriterEmitTimeChange(ctx_, ps); }
  void value(unsigned i, uint64_t v) override { fstWriterEmitValueChange64(ctx_, handle_[i], kWaveSignals[i].width, v); }

 private:
  void* ctx_;
  fstHandle handle_[kWaveCount] = {};
};

// Bytes moved by a load or store (funct3: 0 byte, 1 half, 2 word; 4, 5 unsigned).
unsigned access_size(uint32_t insn) { return 1u << ((insn >> 12) & 3); }

}  // namespace

WaveWriter::WaveWriter(uint64_t clock_period_ps) : period_ps_(clock_period_ps ? clock_period_ps : 1) {}

WaveWriter::~WaveWriter() { close(); }

void WaveWriter::add_vcd(const std::string& path) { files_.push_back(std::make_unique<VcdFile>(path)); }
void WaveWriter::add_fst(const std::string& path) { files_.push_back(std::make_unique<FstFile>(path)); }

void WaveWriter::close() {
  if (started_) at((strobe_end_ ? strobe_end_ : now_) + 1);  // the last changes, the strobes' fall
  files_.clear();
}

void WaveWriter::change(Wave w, uint64_t v) {
  const auto i = static_cast<unsigned>(w);
  if (value_[i] == v) return;
  value_[i] = v;
  changed_ |= uint64_t{1} << i;
}

void WaveWriter::flush() {
  if (!changed_) return;
  for (auto& f : files_) {
    f->time(now_);
    for (unsigned i = 0; i < kWaveCount; ++i) {
      if (changed_ >> i & 1) f->value(i, value_[i]);
    }
  }
  changed_ = 0;
}

// Moves to time `ps`: writes what changed at the previous time, then the
// strobes' fall if it comes first.
void WaveWriter::at(uint64_t ps) {
  if (!started_) {  // the first event: every signal is written at its time
    started_ = true;
    now_ = ps;
    changed_ = ~uint64_t{0};
    return;
  }
  if (ps == now_) return;
  flush();
  if (strobe_end_ && strobe_end_ < ps) {
    now_ = strobe_end_;
    change(Wave::kTrapTaken, 0);
    change(Wave::kMemValid, 0);
    flush();
    strobe_end_ = 0;
  }
  now_ = ps;
}

void WaveWriter::decision(uint64_t cycle, const Decision& d) {
  at(cycle * period_ps_);
  change(Wave::kDecisionKind, d.kind);
  change(Wave::kDecisionAction, static_cast<uint64_t>(d.action));
  change(Wave::kDecisionTarget, static_cast<uint64_t>(d.target));
  if (d.cycles) change(Wave::kRtlLatency, d.cycles);  // the trap unit's cycles for it (--cosim)
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
    strobe_end_ = strobe_end;
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
    strobe_end_ = strobe_end;
  }
}

}  // namespace trimode

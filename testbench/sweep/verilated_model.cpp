// DecodeModel over the Verilated sweep harness (trimode_sweep_lanes.sv): Lanes
// copies of the trap-decode unit share a clock, so one cycle decodes Lanes words.
//
// Per cycle: the inputs change while clk_i is low (eval), the rising edge
// registers them (eval); the harness answers two edges later (its input
// register, then the unit's one-cycle latency), so the sweep is pipelined.
//
// The model class is TRIMODE_SWEEP_TOP (header TRIMODE_SWEEP_TOP_H), so the
// mutation check compiles this file against mutated RTL under another prefix.
#include <verilated.h>

#include <algorithm>
#include <memory>
#include <type_traits>

#include "testbench/sweep/sweep.hpp"

#ifndef TRIMODE_SWEEP_TOP
#define TRIMODE_SWEEP_TOP Vtrimode_sweep_lanes
#define TRIMODE_SWEEP_TOP_H "Vtrimode_sweep_lanes.h"
#endif
#include TRIMODE_SWEEP_TOP_H

namespace trimode::sweep {
namespace {

template <typename T>
struct WideWords;
template <std::size_t W>
struct WideWords<VlWide<W>> {
  static constexpr unsigned value = W;
};

// Byte k of a packed array of bytes: IData up to 4 lanes, QData up to 8, VlWide beyond.
inline uint8_t get_byte(QData v, unsigned k) { return static_cast<uint8_t>(v >> (8 * k)); }
inline uint8_t get_byte(IData v, unsigned k) { return static_cast<uint8_t>(v >> (8 * k)); }
template <std::size_t W>
inline uint8_t get_byte(const VlWide<W>& v, unsigned k) {
  return static_cast<uint8_t>(v[k / 4] >> (8 * (k % 4)));
}
inline void set_bytes(QData& v, const uint8_t* b, unsigned n) {
  v = 0;
  for (unsigned k = 0; k < n; ++k) v |= QData{b[k]} << (8 * k);
}
inline void set_bytes(IData& v, const uint8_t* b, unsigned n) {
  v = 0;
  for (unsigned k = 0; k < n; ++k) v |= IData{b[k]} << (8 * k);
}
template <std::size_t W>
inline void set_bytes(VlWide<W>& v, const uint8_t* b, unsigned n) {
  for (unsigned w = 0; w < W; ++w) v[w] = 0;
  for (unsigned k = 0; k < n; ++k) v[k / 4] |= static_cast<EData>(b[k]) << (8 * (k % 4));
}

class VerilatedDecoder final : public DecodeModel {
 public:
  VerilatedDecoder() : context_(std::make_unique<VerilatedContext>()) {
    top_ = std::make_unique<TRIMODE_SWEEP_TOP>(context_.get(), "sweep");
    // Asynchronous reset (a falling rst_ni), released while the clock is low.
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
    top_->rst_ni = 0;
    top_->eval();
    top_->rst_ni = 1;
    top_->eval();
  }
  ~VerilatedDecoder() override { top_->final(); }

  // Pipelined: cycle c presents lane set c and reads the answers to set c - 1
  // (the harness's input register plus the unit's output register), so each
  // rising edge evaluates the decode logic once. One extra cycle drains the pipe.
  void decode(const Stimulus* in, Outcome* out, unsigned n) override {
    uint8_t ctl[kLanes];
    const unsigned sets = (n + kLanes - 1) / kLanes;
    for (unsigned set = 0; set <= sets; ++set) {
      const unsigned base = set * kLanes;
      const unsigned m = set < sets ? std::min(kLanes, n - base) : 0;
      for (unsigned k = 0; k < kLanes; ++k) {
        if (k < m) {
          const Stimulus& s = in[base + k];
          top_->insn_i[k] = s.insn;
          ctl[k] = static_cast<uint8_t>(0x80 | (s.irq & 0xF) << 2 | (s.mode & 3));
        } else {
          ctl[k] = 0;  // idle lane
        }
      }
      set_bytes(top_->ctl_i, ctl, kLanes);
      tick();
      if (set > 0) read(out + base - kLanes, std::min(kLanes, n - (base - kLanes)));
    }
  }

  uint64_t cycles() const override { return cycles_; }

 private:
  void tick() {
    top_->clk_i = 0;
    top_->eval();
    top_->clk_i = 1;
    top_->eval();
    ++cycles_;
  }

  void read(Outcome* out, unsigned m) const {
    for (unsigned k = 0; k < m; ++k) {
      const uint8_t d = get_byte(top_->dec_o, k);
      // A lane whose valid_o stays low reports action 3, which never matches.
      out[k] = {static_cast<uint8_t>(d & 3), static_cast<uint8_t>(d & 0x80 ? d >> 2 & 3 : 3),
                static_cast<uint8_t>(d >> 4 & 3), top_->cause_o[k]};
    }
  }

  // The harness's Lanes parameter (at least 3, so insn_i is a VlWide), read off
  // the width of its insn_i port (the port members are references).
  static constexpr unsigned kLanes = WideWords<std::remove_reference_t<decltype(TRIMODE_SWEEP_TOP::insn_i)>>::value;

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<TRIMODE_SWEEP_TOP> top_;
  uint64_t cycles_ = 0;
};

}  // namespace

std::unique_ptr<DecodeModel> make_rtl_model() { return std::make_unique<VerilatedDecoder>(); }

SweepResult run_sweep(const SweepOptions& opt, const ProgressFn& progress) {
  return run_sweep_on(make_rtl_model, opt, progress);
}

}  // namespace trimode::sweep

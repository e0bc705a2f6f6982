// The mode register's state and its two operations, trap entry and exit.
//
// Pure C++ (no SystemC) so it is testable alone; models/modereg/mode_register.hpp
// wraps it in a SystemC module with its CSR socket and trace signals. This is the
// only code that applies a classifier decision to architectural state.
//
// Trap entry into T (T is G or V) from mode M at pc, cause c, value t:
//   T.epc = pc; T.cause = c; T.tval = t; T.pm = M; T.pie = T.ie; T.ie = 0;
//   mode = T; pc = T.tvec.
// exit in mode T (G or V; illegal in U, which the classifier decides):
//   mode = T.pm; pc = T.epc; T.ie = T.pie; T.pie = 1.
// Example, the seed's chain: U --ecall--> G --csrw vmid--> V --exit--> G --exit--> U.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <utility>
#include <vector>

#include "models/state/state_io.hpp"
#include "models/classifier/classifier.hpp"
#include "models/modereg/mode_control.hpp"
#include "trimode/spec.hpp"

namespace trimode {

// What a trap into G or V saved, plus that mode's own registers.
struct TrapFrame {
  uint32_t tvec = 0;
  uint32_t epc = 0;
  uint32_t cause = 0;
  uint32_t tval = 0;
  uint32_t scratch = 0;
  bool ie = false;
  bool pie = false;
  spec::Mode pm = spec::Mode::U;
  uint32_t status = 0;  // the status CSR's value from ie, pie and pm, kept current (read in place)
};

// One mode transition, reported to observers (traces, VCD, statistics).
struct Transition {
  spec::Mode from;
  spec::Mode to;
  bool is_exit;       // exit instruction (else a trap entry)
  spec::Kind kind;    // kind of the trapping instruction (0 for interrupts, illegal)
  uint32_t cause;     // 0 for exit
  uint32_t pc;        // pc of the trapping instruction / of the exit
  uint32_t target_pc; // where execution continues
};

class ModeState final : public ModeControl {
 public:
  using Observer = std::function<void(const Transition&)>;

  // The CSRs of `table` whose block is "modereg" are this block's: those the
  // trap path knows (tvec, epc, cause, tval, scratch, status, the interrupt
  // registers) live in the trap frames; any other row is plain storage, read,
  // written and checkpointed as it is (a row added to spec/csrs.txt works
  // without code here unless it needs behaviour).
  explicit ModeState(const spec::CsrInfo* table = spec::kCsrs, size_t rows = std::size(spec::kCsrs));

  spec::Mode mode() const override { return mode_; }
  const spec::Mode* mode_source() const override { return &mode_; }
  const TrapFrame& frame(spec::Mode m) const { return m == spec::Mode::G ? g_ : v_; }

  // Applies a trap decision. Returns the new pc (the target's trap vector).
  uint32_t enter(spec::Mode target, spec::Kind kind, uint32_t cause, uint32_t tval, uint32_t pc) override;
  // Applies exit in the current mode (G or V). Returns the new pc.
  uint32_t exit(uint32_t pc) override;
  uint32_t trap_vector(spec::Mode m) const override { return frame(m).tvec; }

  // The interrupt lines the classifier sees, kept current by every operation
  // that changes them (irq_lines_source() points at them).
  IrqLines irq_lines() const override { return lines_; }
  const IrqLines* irq_lines_source() const override { return &lines_; }
  void set_timer_line(bool level) {
    timer_line_ = level;
    update_lines();
  }
  bool timer_line() const { return timer_line_; }

  // CSR access for the registers this block owns (block "modereg" in spec/csrs.txt).
  // Privilege was already checked by the classifier. Returns false for a CSR
  // number this block does not own.
  bool csr_read(uint16_t csr, uint32_t* value) const;
  bool csr_write(uint16_t csr, uint32_t value);
  // Where a CSR of this block that is plain storage lives (the mode register
  // grants direct access to it): nullptr for the others (interrupt
  // registers). *plain_writes: a write stores the value unchanged (false for
  // the 4-byte-aligned tvec and epc, and for status, kept from ie, pie and pm:
  // read in place, written through csr_write).
  uint32_t* storage(uint16_t csr, bool* plain_writes);

  void set_observer(Observer o) { observer_ = std::move(o); }
  void reset();

  // Transition counts: [from][to], and trap entries by kind (0..3).
  uint64_t transitions(spec::Mode from, spec::Mode to) const {
    return pair_count_[static_cast<unsigned>(from)][static_cast<unsigned>(to)];
  }
  uint64_t traps_of_kind(spec::Kind k) const { return kind_count_[k & 3]; }
  uint64_t exits() const { return exit_count_; }

 private:
  TrapFrame& frame_of(spec::Mode m) { return m == spec::Mode::G ? g_ : v_; }
  static uint32_t status_of(const TrapFrame& f);
  static void sync_status(TrapFrame& f) { f.status = status_of(f); }  // after ie, pie or pm changed
  static void set_status(TrapFrame* f, uint32_t value, spec::Mode highest_pm);
  void notify(const Transition& t);
  bool write_csr(uint16_t csr, uint32_t value);
  void update_lines() { lines_ = {timer_line_ && timer_enable_, virtual_pending_, v_.ie, g_.ie}; }

  spec::Mode mode_ = spec::Mode::V;
  TrapFrame g_;
  TrapFrame v_;
  bool virtual_pending_ = false;  // gip.vi
  bool timer_enable_ = false;     // vtimectl.te
  bool timer_line_ = false;       // CLINT irq level (vtimectl.tp)
  IrqLines lines_{false, false, false, false};  // from the above (update_lines())
  Observer observer_;
  struct Plain {
    uint16_t csr;
    uint32_t value, reset;
  };
  std::vector<Plain> plain_;  // the rows without behaviour (sized at construction: pointers stay)
  const uint32_t* plain(uint16_t csr) const;  // a plain-storage row's value, or null
  uint32_t* plain(uint16_t csr) { return const_cast<uint32_t*>(std::as_const(*this).plain(csr)); }
  std::array<std::array<uint64_t, 3>, 3> pair_count_{};
  std::array<uint64_t, 4> kind_count_{};
  uint64_t exit_count_ = 0;

 public:
  // Checkpoint (docs/checkpoint.md): mode, both trap frames, interrupt state,
  // counters, then the plain-storage CSRs' values (none in today's spec).
  void save(StateWriter& w) const;
  void restore(StateReader& r);
};

}  // namespace trimode

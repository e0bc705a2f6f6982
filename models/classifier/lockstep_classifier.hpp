// A lockstep checker behind the decode interface (decode_if.hpp): every
// decide() is asked of the device under test (port `dut`, the RTL in
// trimode --cosim) and of the reference (port `reference`); the DUT's answer
// drives the core. A disagreement is counted and, with stop_on_mismatch (the
// default), fails the run with one line naming time, pc, instruction, mode and
// both decisions:
//   FAILURE: cosim mismatch at 127880 ns, pc 0x800000a0, insn 0x5c429073, mode U:
//     rtl {kind 2 trap -> G (priv_insn)} ref {kind 2 trap -> G (sensitive_insn)}
// (one line). Never memoizable: the DUT sees every instruction.
//
// Batched lockstep (a DUT with lanes and stop_on_mismatch: what trimode
// --cosim runs unless it writes --rtl-fst or a platform trace with the RTL's pins): while the reference says an
// instruction executes in place and it is not a SYSTEM word, the core goes on
// with the reference's answer and the request (word, mode, interrupt lines as
// they were) joins a batch, bit-sliced (DecodeIf::decide_slices: the
// lanes' own form; block runs shifted in from the slices the core made at
// translation, RunSlices); the DUT evaluates the batch (one eval() of its
// lanes: the trap unit's decision logic, whose output is the unit's answer
// in 1 cycle for these words, proved by rtl.bmc), compared sliced against
// the reference's sliced decisions (only a batch with a difference is looked
// at lane by lane), when it is full, before any other request, and when the core calls settle() after
// each slice of instructions (so before the run can end). Any other request
// (a trap, an illegal word, an interrupt taken, an exit, a CSR write: every
// SYSTEM word) goes through the DUT's single timed unit at once, after the
// batch: its decision and cycles drive the core as unbatched, so cycle counts
// and the timing report are the same. Every request still reaches the DUT,
// once, with its own (word, mode, interrupt lines); nothing of the DUT's is
// cached. A mismatch fails the run with the same line, naming the first
// differing request's time, pc, word and mode; the core has then run fewer
// than kBatchesAhead batches of instructions past it (docs/performance.md, co-simulation).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>

#include "models/classifier/decode_if.hpp"

namespace trimode {

class RefClassifier;

class LockstepClassifier : public sc_core::sc_module, public DecodeIf {
 public:
  sc_core::sc_export<DecodeIf> decode;   // to the core's decode port
  sc_core::sc_port<DecodeIf> reference;  // the model that is right by definition
  sc_core::sc_port<DecodeIf> dut;        // the model under check; its answers drive the core

  explicit LockstepClassifier(sc_core::sc_module_name name, bool stop_on_mismatch = true);

  bool decide(const DecodeRequest& request, const sc_core::sc_time& at, Decision* out,
              std::string* failure) override;
  bool memoizable() const override { return false; }
  // Checks the requests still waiting in the batch (see below).
  bool settle(std::string* failure) override;
  // Passed on to the DUT; batched again (when it has lanes) while not watched.
  void set_watched(bool on) override;
  // The block engine's entry (decode_if.hpp): instructions the core ran in
  // place join the batch as decide() would have put them there, with the
  // reference's decision from the core's memo (classify_row of the row the
  // reference matched, bit-sliced by the core once per block: RunSlices);
  // the batch is checked whenever it fills. Room: what fills the batch and
  // almost kBatchesAhead - 1 more (kBatchesAhead x lanes - 1 - pending), so
  // the core hands over long chains of blocks (their hand-over costs per
  // chain) and has run fewer than kBatchesAhead batches of instructions past
  // a mismatch when it stops. Batched runs with a RefClassifier as the
  // reference only (0 otherwise).
  static constexpr unsigned kBatchesAhead = 4;
  unsigned in_place_room() override;
  bool in_place(const DecodeRequest& first, const InPlaceRun* runs, unsigned count, const sc_core::sc_time& at,
                const sc_core::sc_time& period, std::string* failure) override;
  bool reference_decision(const DecodeRequest& request, Decision* out) override;

  uint64_t decodes() const { return decodes_; }
  uint64_t mismatches() const { return mismatches_; }
  // The first mismatch's FAILURE line ("" while there is none).
  const std::string& first_mismatch() const { return first_; }

 private:
  static constexpr unsigned kMaxLanes = LaneBatch::kMax;
  void connect();
  bool compare(const DecodeRequest& r, const sc_core::sc_time& at, const Decision& dut, const Decision& ref,
               std::string* failure);
  // Appends a request the reference executes in place (ref: its decision,
  // kExec, so cause 0) to the batch; the caller checks the batch when full.
  void add_to_batch(const DecodeRequest& r, const sc_core::sc_time& at, const Decision& ref);
  bool check_batch(std::string* failure);
  template <bool kAvx2>
  bool check(std::string* failure);
  [[gnu::cold, gnu::noinline]] bool fail_batch(const SliceAnswers& got, uint64_t differ, unsigned segments,
                                               std::string* failure);
  // in_place()'s body, compiled twice: for any x86-64 (pack) and for AVX2 (pack_avx2).
  template <bool kAvx2>
  bool pack(const DecodeRequest& first, const InPlaceRun* runs, unsigned count, const sc_core::sc_time& at,
            const sc_core::sc_time& period, std::string* failure);
  bool pack_avx2(const DecodeRequest& first, const InPlaceRun* runs, unsigned count, const sc_core::sc_time& at,
                 const sc_core::sc_time& period, std::string* failure);
  // in_place()'s packing: lanes k..to of the batch from bits 0.. of a run's
  // slices src[] (RunSlices::once, or round[0] for its rounds), each slice
  // shifted into place; fill_rest() lanes 0..m of a batch just begun from
  // bits i.. of a run's one pass (its part past the previous batch);
  // fill_from() lanes k..k+m from the run's instruction i (1..63) on (its
  // rounds' slices when `rounds`: i + m may pass its end); fill_ctl() the
  // control slices of lanes from..to, one control byte for all.
  void fill(unsigned k, const uint64_t* src, unsigned to);
  void fill_short(unsigned k, const uint64_t* src, unsigned m);
  void fill_rest(const uint64_t* src, unsigned i, unsigned m);
  void fill_from(unsigned k, const RunSlices& s, bool rounds, unsigned i, unsigned m);
  void fill_ctl(unsigned from, unsigned to, uint8_t ctl);
  void mixed_ctl();
  template <bool kAvx2>
  void clear_batch();

  bool stop_;
  DecodeIf* dut_ = nullptr;  // the ports' interfaces, from the first decide()
  DecodeIf* ref_ = nullptr;
  RefClassifier* ref_block_ = nullptr;  // ref_, when it is one
  unsigned lanes_ = 0;       // batch size; 0: every decide() asks the DUT at once
  bool avx2_ = false;        // the host has AVX2: in_place() packs with it
  unsigned pending_ = 0;     // requests in the batch, not yet checked by the DUT
  // The batch, bit-sliced as the DUT's lanes read it (SliceBatch: words and
  // pack_ctl bytes; lanes from pending_ on all 0), with what the reference
  // answered for each, sliced likewise (pack_dec; "execute in place", so
  // cause 0), and, for a FAILURE line, where its requests retired: by
  // segment, lanes from `first` on, one clock period (step_) of time apart
  // from `at` (an sc_time value), at pcs pc + 4 x ((offset + lane - first)
  // mod n): the rounds of a run of n instructions from pc, entered at its
  // offset-th; so a run (with its rounds) costs one entry per batch.
  SliceBatch batch_{};
  // The control byte of every lane so far (0..63: their slices are made at
  // the check), kNoCtl (no lane yet) or kMixedCtl (the slices hold them).
  static constexpr unsigned kNoCtl = 64, kMixedCtl = 65;
  unsigned batch_ctl_ = kNoCtl;
  uint64_t expect_[RunSlices::kDecBits] = {};
  struct Segment {
    uint8_t first, offset, n;  // n 0: a single request (decide())
    uint32_t pc;
    uint64_t at;
  };
  uint64_t step_ = 0;
  std::array<Segment, kMaxLanes> segments_;
  unsigned segment_count_ = 0;
  RunSlices scratch_;  // a run's slices when the core gave none
  uint64_t decodes_ = 0;
  uint64_t mismatches_ = 0;
  std::string first_;
};

}  // namespace trimode

// The Verilated trap unit (rtl/trimode_trap_unit.sv: the trap decision behind
// a valid/ready handshake, with its trap-entry sequencer and write buffer) as
// a classifier implementation behind the decode interface (decode_if.hpp).
//
// Each decide() offers one request (an instruction, an interrupt query that
// an interrupt answers, or a fault the core raised: DecodeRequest::what) on
// the unit's request port and clocks Verilator's C++ model, evaluated
// directly from the caller's thread (no SystemC scheduler round trip per
// instruction), until rsp_valid_o; the
// response is the answer, and the clock edges from the accepting edge to the
// answer are Decision::cycles, which the core charges for the event (a trap,
// an exit, a CSR write, an interrupt, a fault: spec/timing.txt). An interrupt
// query that no interrupt answers is decided by the unit's decision logic
// (its lanes, rtl_lanes.hpp) without an edge, cycles 0: the core charges it
// nothing and asks the next instruction in the same cycle, and one request
// per core cycle keeps the unit's clock the core's (docs/rtl.md).
//
// The unit runs on the core's clock. Before a request, it is clocked through
// the core cycles that elapsed since its last edge (from the request's time
// `at`), but only while it has work left (its write buffer draining, the port
// busy): an idle unit's extra edges change nothing and are skipped. So the
// stall a request sees depends on how soon after the previous event it comes.
// The mode register's write port is modelled here: ready, except for two
// cycles after a beat that changes its configuration (a status write, a core
// CSR write), which it spends recomputing its interrupt lines and windows.
// A unit that does not answer within kMaxCycles fails the run. Not
// memoizable: the core asks it for every instruction it executes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <systemc>

#include "models/classifier/decode_if.hpp"
#include "models/classifier/rtl_lanes.hpp"

namespace trimode {

// Whether `path` is an FST file that Verilator's writer closed whole: its
// blocks (a tag byte, then a big-endian u64 length counting itself and the
// block's bytes) begin with the header and chain exactly to the end of the
// file, none is left unfinished (tag 255), the geometry and hierarchy blocks
// the writer adds when it closes are there, and fstapi's reader opens the file
// and unpacks its hierarchy. A write that failed (disk full) leaves a block cut
// short or the closing blocks missing; the writer measures the last block (the
// hierarchy) from the file's end, so one cut there still chains, but no
// longer unpacks to its recorded length.
bool rtl_fst_whole(const std::string& path);

// The unit's clock and handshake pins at one phase of its clock (the times
// of --rtl-fst: 1 ps, each rising edge at its core cycle + half a period),
// for the platform trace (tlm/platform/waves.hpp). decode_ps: the simulated
// time of the decode they belong to (edges that drain the unit between two
// decodes: the earlier one's).
struct RtlPins {
  uint64_t ps = 0, decode_ps = 0;
  bool clk = false, req_valid = false, req_ready = false, rsp_valid = false;
};
class RtlPinSink {
 public:
  virtual ~RtlPinSink() = default;
  virtual void rtl_pins(const RtlPins& p) = 0;
};

class RtlClassifier : public sc_core::sc_module, public DecodeIf {
 public:
  sc_core::sc_export<DecodeIf> decode;  // to the core's decode port (or a lockstep checker's)

  // clock_period: the core's (CoreConfig::clock_period), to read request times as core cycles.
  explicit RtlClassifier(sc_core::sc_module_name name,
                         const sc_core::sc_time& clock_period = sc_core::sc_time(10, sc_core::SC_NS));
  ~RtlClassifier() override;

  bool decide(const DecodeRequest& request, const sc_core::sc_time& at, Decision* out,
              std::string* failure) override;
  bool memoizable() const override { return false; }
  // Batched decodes (rtl_lanes.hpp): the unit's decision logic in
  // RtlLanes::kLanes copies per eval(), for instructions that are not SYSTEM
  // words and execute in place (the lockstep checker batches only those; for
  // them the logic's output is the unit's answer in 1 cycle, proved by
  // rtl.bmc). 0 lanes while watched with an FST or the pins to write (they
  // show the single unit, every decode). decodes() counts every lane used.
  unsigned batch_lanes() const override;
  bool decide_lanes(const LaneBatch& batch, unsigned n, LaneAnswers* out, std::string* failure) override;
  bool decide_slices(const SliceBatch& batch, unsigned n, SliceAnswers* out, std::string* failure) override;

  static constexpr unsigned kMaxCycles = 32;  // no answer by then: the run fails
  uint64_t decodes() const { return decodes_; }
  uint64_t lane_decodes() const { return lane_decodes_; }  // those of them the lanes answered (batched)
  // The unit's clock: the core cycle of its last rising edge + 1.
  uint64_t cycle() const;
  // Dumps every signal inside the RTL (Verilator's FST writer) for `path`;
  // times in ps, each edge at its core cycle's time (the platform trace's time
  // base); while watched only (set_watched: the trace window), the whole run
  // when no window is set.
  // Verilator's writer removes the file name it is given before creating it (a
  // symlink or a device node there would be replaced) and never reports a failed
  // write, so it writes a scratch file in a private directory under the temporary
  // directory ($TMPDIR, else /tmp) and close_fst() puts the result into `path`.
  // Throws when the scratch directory cannot be made.
  void open_fst(const std::string& path);
  // Ends the FST of open_fst(): closes Verilator's writer, checks that its file
  // is whole (rtl_fst_whole) and copies it into the path (opened for writing as
  // any output is: a symlink is written through, a device written to; every
  // write checked), then removes the scratch directory. Returns "" (also with
  // no FST open), or why the file at the path is not whole ("No space left on
  // device", "disk full?" when Verilator's own writes were cut short, "in a
  // working file of Verilator's writer: File too large": fst_work_files.hpp).
  std::string close_fst();
  // Reports the pins at both phases of every clock cycle to `sink` while
  // watched (from the first decode after set_watched(true); watched until
  // told otherwise).
  void set_pin_sink(RtlPinSink* sink);
  void set_watched(bool on) override;

 private:
  struct Model;
  Decision step(const DecodeRequest& r, uint64_t now, unsigned* edges);
  bool query_decision(const DecodeRequest& r, Decision* out);

  std::unique_ptr<Model> model_;
  std::unique_ptr<RtlLanes> lanes_;  // made at the first decide_lanes() or interrupt query
  RtlPinSink* pin_sink_ = nullptr;   // set_pin_sink()
  bool watched_ = true;              // set_watched()
  bool arm_pins_ = false;            // watched again: the pins go to pin_sink_ from the next decode on
  uint64_t decodes_ = 0;
  uint64_t lane_decodes_ = 0;
};

}  // namespace trimode

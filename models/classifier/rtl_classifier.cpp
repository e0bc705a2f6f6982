#include "models/classifier/rtl_classifier.hpp"

#include <cinttypes>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

// verilated.h sees SystemC's headers and calls sc_time_stamp() unqualified.
using sc_core::sc_time_stamp;
#include "Vtrimode_trap_unit_c.h"
#include "Vtrimode_trap_unit_c___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#include "gtkwave/fstapi.h"  // the reader, compiled into Verilator's FST writer

#include "models/classifier/fst_work_files.hpp"
#include "models/classifier/verilated_edge.hpp"
#include "tools/output_file/output_file.hpp"

namespace trimode {

// The mode register's write port (the harness's model of it): after a beat
// that changes its configuration, a status write (trap entry, exit: mode and
// interrupt enables) or a core CSR write (field csr), the mode register
// recomputes its interrupt lines and windows and its port is not ready for
// this many cycles. Within the unit's proved stall bound (MaxPortStall, rtl.bmc).
constexpr unsigned kPortBusyAfterWrite = 2;
constexpr uint8_t kFieldStatus = 3;  // mr_field_o (trimode_trap_unit.sv): 3 status, 4 a CSR write's slot

struct RtlClassifier::Model {
  VerilatedContext context;
  Vtrimode_trap_unit_c top{&context, "trap_unit"};
  std::unique_ptr<VerilatedFstC> fst;
  std::string fst_path;               // where the FST goes (open_fst's path)
  std::filesystem::path fst_scratch;  // the private directory Verilator's writer writes in
  RtlPinSink* pins = nullptr;
  bool watched = true;     // inside the trace window (RtlClassifier::set_watched): the FST dumped
  uint64_t decode_ps = 0;  // the time of the decode the edges belong to (for pins)
  uint64_t next_dump = 0;  // the earliest time the next dump may have (one after the last's)
  uint64_t period = 1;     // the core's clock period, in SystemC time units
  uint64_t period_ps = 1;  // the same in ps (the FST's time unit)
  uint64_t cycle = 0;      // the unit's rising edges so far: its clock, in core cycles
  unsigned port_busy = 0;  // cycles the port stays not ready

  // One clock cycle: clock low, then the rising edge, drawn at the core cycle
  // `cycle` (low phase at its start, rising edge half a period later). Without
  // a trace: clock low recorded, the rising edge evaluated (one eval()). Then
  // the port model reacts to the beat the edge took.
  void edge() {
    const bool config_beat = top.mr_valid_o && top.mr_ready_i && top.mr_field_o >= kFieldStatus;
    top.clk_i = 0;
    if (fst || pins || !forget_rising(top.rootp, 0)) {
      top.eval();
      dump(cycle * period_ps);
    }
    top.clk_i = 1;
    top.eval();
    dump(cycle * period_ps + period_ps / 2);
    ++cycle;
    if (config_beat) {
      port_busy = kPortBusyAfterWrite;
    } else if (port_busy) {
      --port_busy;
    }
    top.mr_ready_i = port_busy == 0;
  }
  // The core's cycles that elapsed since the unit's last edge, up to core
  // cycle `now`: the unit is clocked while it has anything to do (buffered
  // beats, a busy port), at most until `now`; then it is idle and further
  // edges change nothing, so they are skipped.
  void catch_up(uint64_t now) {
    while (cycle < now && (top.mr_valid_o || port_busy)) edge();
    if (cycle < now) cycle = now;
  }
  void dump(uint64_t t) {
    if (!(fst && watched) && !pins) return;
    if (t < next_dump) t = next_dump;  // a 1 ps clock period: its two phases apart (the first dump at 0 stays at 0)
    if (fst && watched) fst->dump(t);
    if (pins) pins->rtl_pins({t, decode_ps, top.clk_i != 0, top.req_valid_i != 0, top.req_ready_o != 0, top.rsp_valid_o != 0});
    next_dump = t + 1;
  }
  std::string scratch_file() const { return (fst_scratch / "rtl.fst").string(); }
  // Closes Verilator's writer and removes its scratch directory (with whatever
  // the writer left in it); `before_removing` sees the finished scratch file
  // and the failure of the writer's working files ("" if none).
  template <typename F>
  void close_fst(F before_removing) {
    std::string work_failed;
    if (fst->isOpen()) {
      work_failed = end_fst_work_files();  // before the writer closes them
    } else {
      drop_fst_work_files();
    }
    fst->close();
    fst.reset();
    const std::string cut = end_fst_mappings();
    if (work_failed.empty() && !cut.empty()) work_failed = cut;
    before_removing(scratch_file(), work_failed);
    std::error_code ignored;
    std::filesystem::remove_all(fst_scratch, ignored);
  }
  ~Model() {  // an FST never finished (the run did not get to close_fst): nothing is copied
    if (fst) close_fst([](const std::string&, const std::string&) {});
  }
};

RtlClassifier::RtlClassifier(sc_core::sc_module_name name, const sc_core::sc_time& clock_period)
    : sc_module(name), decode("decode"), model_(std::make_unique<Model>()) {
  decode.bind(*this);
  const sc_core::sc_time one_ps(1, sc_core::SC_PS);
  model_->period = std::max<uint64_t>(clock_period.value(), 1);
  model_->period_ps = std::max<uint64_t>(static_cast<uint64_t>(clock_period / one_ps + 0.5), 1);
  Vtrimode_trap_unit_c& t = model_->top;
  t.rst_ni = 0;
  t.req_valid_i = 0;
  t.mr_ready_i = 1;
  model_->edge();
  t.rst_ni = 1;
  model_->edge();
  model_->cycle = 0;  // the core's cycle 0
}

RtlClassifier::~RtlClassifier() { model_->top.final(); }

// One request through the handshake, at core cycle `now`: the unit is first
// clocked through the core's cycles since its last edge (catch_up), then the
// request is offered while the unit is idle (it is between requests: the
// core waits for each answer), accepted on the first edge, and clocked until
// rsp_valid_o. *edges: the cycles from the accepting edge to the answer (the
// latency the core is charged), kMaxCycles if none.
Decision RtlClassifier::step(const DecodeRequest& r, uint64_t now, unsigned* edges) {
  Vtrimode_trap_unit_c& t = model_->top;
  // Edges that drain the unit before the request belong, for the platform
  // trace's pins, to the previous decode (they come after it in time).
  model_->catch_up(now);
  if (arm_pins_) {  // (after the drain: its edges came before the watch began)
    model_->pins = pin_sink_;
    arm_pins_ = false;
  }
  // The FST the same way: the drain's edges are the unit's owed cycles from its
  // last decode, long before the window (memtest from instruction 100,000 drew
  // four steps at 54.78 us, the first exit's, when the watch began before it).
  model_->watched = watched_;
  model_->decode_ps = now * model_->period_ps;
  t.req_valid_i = 1;
  t.req_op_i = static_cast<uint8_t>(r.what);
  t.req_insn_i = r.insn;
  t.req_pc_i = r.pc;
  // A decided trap's tval is the word (hart.cpp apply_decision), a fault's the core's.
  t.req_tval_i = r.what == DecodeRequest::What::kFault ? r.tval : r.insn;
  t.req_mode_i = static_cast<uint8_t>(r.mode);
  t.irq_pending_i = static_cast<uint8_t>((r.irq.virtual_pending ? 2 : 0) | (r.irq.timer_pending ? 1 : 0));
  t.irq_enable_i = static_cast<uint8_t>((r.irq.g_ie ? 2 : 0) | (r.irq.v_ie ? 1 : 0));
  t.req_fault_target_i = static_cast<uint8_t>(r.fault_target);
  t.req_fault_cause_i = r.fault_cause;
  unsigned n = 0;
  do {
    model_->edge();
    ++n;
    t.req_valid_i = 0;
  } while (!t.rsp_valid_o && n < kMaxCycles);
  *edges = t.rsp_valid_o ? n : kMaxCycles;
  Decision d;
  d.kind = t.rsp_kind_o;
  d.action = static_cast<spec::Action>(t.rsp_action_o);
  d.target = static_cast<spec::Mode>(t.rsp_target_o);
  d.cause = t.rsp_cause_o;
  d.cycles = static_cast<uint8_t>(n);
  return d;
}

namespace {

// Kept out of decide(): its buffer would cost every decode a stack frame.
[[gnu::cold, gnu::noinline]] std::string no_answer_failure(const DecodeRequest& r, const sc_core::sc_time& at) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "FAILURE: the trap unit did not answer within %u cycles at %s, pc 0x%08" PRIx32 ", insn 0x%08" PRIx32,
                RtlClassifier::kMaxCycles, at.to_string().c_str(), r.pc, r.insn);
  return buf;
}

}  // namespace

// An interrupt query's decision from the unit's decision logic (the lanes:
// trimode_trap_decide, rtl.proof_slices), without a clock edge. True when it
// is an interrupt: only then is the query the unit's to sequence.
bool RtlClassifier::query_decision(const DecodeRequest& r, Decision* out) {
  if (!lanes_) lanes_ = std::make_unique<RtlLanes>();
  LaneBatch one;
  one.insn[0] = r.insn;
  one.ctl[0] = pack_ctl(r.mode, r.irq);
  LaneAnswers got;
  lanes_->decide(one, 1, &got);
  *out = unpack_dec(got.dec[0], got.cause[0]);
  return out->action == spec::Action::kTrap && (out->cause >> 31) != 0;  // interrupts set bit 31 (spec/causes.txt)
}

bool RtlClassifier::decide(const DecodeRequest& r, const sc_core::sc_time& at, Decision* out,
                           std::string* failure) {
  ++decodes_;
  // An untaken interrupt query is answered by the decision logic alone, in
  // the cycle it is asked and without an edge: the core charges it nothing
  // and decodes the next instruction in the same cycle, and the unit takes
  // one request per edge (an edge here would set its clock ahead of the core's).
  if (r.what == DecodeRequest::What::kIrqQuery && !query_decision(r, out)) return true;
  unsigned edges = 0;
  // The core cycle of the request (its local time on the core's clock).
  const uint64_t now = (at.value() + model_->period / 2) / model_->period;
  *out = step(r, now, &edges);
  if (__builtin_expect(edges < kMaxCycles, 1)) return true;
  *failure = no_answer_failure(r, at);
  return false;
}

// Unbatched while the single unit is watched (its FST, or its pins in the platform trace).
unsigned RtlClassifier::batch_lanes() const { return (model_->fst || pin_sink_) && watched_ ? 0 : RtlLanes::kLanes; }

bool RtlClassifier::decide_lanes(const LaneBatch& batch, unsigned n, LaneAnswers* out, std::string*) {
  if (!lanes_) lanes_ = std::make_unique<RtlLanes>();
  lanes_->decide(batch, n, out);
  decodes_ += n;
  lane_decodes_ += n;
  return true;
}

bool RtlClassifier::decide_slices(const SliceBatch& batch, unsigned n, SliceAnswers* out, std::string*) {
  if (!lanes_) lanes_ = std::make_unique<RtlLanes>();
  lanes_->decide_slices(batch, out);
  decodes_ += n;
  lane_decodes_ += n;
  return true;
}

uint64_t RtlClassifier::cycle() const { return model_->cycle; }

void RtlClassifier::set_pin_sink(RtlPinSink* sink) {
  pin_sink_ = sink;
  model_->pins = watched_ ? sink : nullptr;
}

void RtlClassifier::set_watched(bool on) {
  if (on == watched_) return;
  watched_ = on;
  if (!on) model_->watched = false;  // (on: from the next request's first edge, step())
  arm_pins_ = on && pin_sink_;
  if (!on) model_->pins = nullptr;
}

void RtlClassifier::open_fst(const std::string& path) {
  std::string dir;
  try {
    dir = (std::filesystem::temp_directory_path() / "trimode-rtl-fst-XXXXXX").string();
  } catch (const std::filesystem::filesystem_error& e) {
    const char* tmpdir = std::getenv("TMPDIR");
    throw std::runtime_error("cannot write " + path + ": no temporary directory for the RTL's FST (" +
                             (tmpdir ? "TMPDIR=" + std::string(tmpdir) + ": " : std::string()) + e.what() + ")");
  }
  if (!mkdtemp(dir.data())) {
    throw std::runtime_error("cannot write " + path + ": cannot make a scratch directory " + dir + ": " +
                             std::strerror(errno));
  }
  model_->fst_path = path;
  model_->fst_scratch = dir;
  Verilated::traceEverOn(true);
  model_->fst = std::make_unique<VerilatedFstC>();
  model_->top.trace(model_->fst.get(), 99);
  model_->fst->set_time_unit("1ps");  // the platform trace's (tlm/platform/waves.hpp)
  model_->fst->set_time_resolution("1ps");
  begin_fst_work_files(dir);  // its working files beside it (fst_work_files.hpp)
  model_->fst->open(model_->scratch_file().c_str());
  if (!model_->fst->isOpen()) {
    model_->close_fst([](const std::string&, const std::string&) {});
    throw std::runtime_error("cannot write " + path + ": cannot create a scratch file in " + dir);
  }
}

namespace {

uint64_t big_endian64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

// The walk of rtl_fst_whole's blocks.
bool blocks_chain_to_the_end(const std::string& path) {
  enum : int { kHeader = 0, kGeometry = 3, kHierarchy = 4, kHierarchyLz4 = 6, kHierarchyLz4Duo = 7, kUnfinished = 255 };
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  bool geometry = false, hierarchy = false;
  uint64_t at = 0;
  while (at < size) {
    unsigned char head[9];
    in.seekg(static_cast<std::streamoff>(at));
    if (size - at < sizeof head || !in.read(reinterpret_cast<char*>(head), sizeof head)) return false;
    const uint64_t length = big_endian64(head + 1);
    if ((at == 0) != (head[0] == kHeader) || head[0] == kUnfinished || length < 8 || length > size - at - 1) return false;
    geometry |= head[0] == kGeometry;
    hierarchy |= head[0] == kHierarchy || head[0] == kHierarchyLz4 || head[0] == kHierarchyLz4Duo;
    at += 1 + length;
  }
  return at == size && geometry && hierarchy;
}

}  // namespace

bool rtl_fst_whole(const std::string& path) {
  if (!blocks_chain_to_the_end(path)) return false;
  void* reader = fstReaderOpen(path.c_str());
  const bool hierarchy_reads = reader && fstReaderIterateHierRewind(reader);
  if (reader) fstReaderClose(reader);
  return hierarchy_reads;
}

std::string RtlClassifier::close_fst() {
  if (!model_->fst) return "";
  std::string why;
  model_->close_fst([&](const std::string& scratch, const std::string& work_failed) {
    if (!rtl_fst_whole(scratch)) {
      why = "disk full?";
    } else if (!work_failed.empty()) {  // whole, but short of what was cut from a working file
      why = "in a working file of Verilator's writer: " + work_failed;
    } else {
      why = copy_into_output_file(scratch, model_->fst_path);
    }
  });
  return why;
}

}  // namespace trimode

#include "models/modereg/mode_state.hpp"

#include <cstring>

namespace trimode {

using spec::Mode;

ModeState::ModeState(const spec::CsrInfo* table, size_t rows) {
  for (size_t i = 0; i < rows; ++i) {
    uint32_t value = 0;
    if (std::strcmp(table[i].block, "modereg") == 0 && !csr_read(table[i].number, &value)) {
      plain_.push_back({table[i].number, table[i].reset, table[i].reset});
    }
  }
}

const uint32_t* ModeState::plain(uint16_t csr) const {
  for (const Plain& p : plain_) {
    if (p.csr == csr) return &p.value;
  }
  return nullptr;
}

uint32_t ModeState::enter(Mode target, spec::Kind kind, uint32_t cause, uint32_t tval, uint32_t pc) {
  TrapFrame& f = frame_of(target);
  const Mode from = mode_;
  f.epc = pc;
  f.cause = cause;
  f.tval = tval;
  f.pm = from;
  f.pie = f.ie;
  f.ie = false;
  sync_status(f);
  mode_ = target;
  update_lines();
  pair_count_[static_cast<unsigned>(from)][static_cast<unsigned>(target)]++;
  kind_count_[kind & 3]++;
  notify({from, target, false, kind, cause, pc, f.tvec});
  return f.tvec;
}

uint32_t ModeState::exit(uint32_t pc) {
  TrapFrame& f = frame_of(mode_);
  const Mode from = mode_;
  mode_ = f.pm;
  f.ie = f.pie;
  f.pie = true;
  sync_status(f);
  update_lines();
  pair_count_[static_cast<unsigned>(from)][static_cast<unsigned>(mode_)]++;
  exit_count_++;
  notify({from, mode_, true, from == Mode::V ? spec::Kind{1} : spec::Kind{2}, 0, pc, f.epc});
  return f.epc;
}

void ModeState::notify(const Transition& t) {
  if (observer_) observer_(t);
}

void ModeState::reset() {
  mode_ = Mode::V;
  g_ = {};
  v_ = {};
  for (Plain& p : plain_) p.value = p.reset;
  virtual_pending_ = timer_enable_ = timer_line_ = false;
  update_lines();
}

uint32_t ModeState::status_of(const TrapFrame& f) {
  return (f.ie ? spec::kGstatusIeMask : 0) | (f.pie ? spec::kGstatusPieMask : 0) |
         (static_cast<uint32_t>(f.pm) << spec::kGstatusPmShift);
}

// status.pm is WARL: G can only ever return to U or G, so a G status write
// naming V stores G; this is what keeps exit in G from climbing to V.
void ModeState::set_status(TrapFrame* f, uint32_t value, Mode highest_pm) {
  f->ie = value & spec::kGstatusIeMask;
  f->pie = value & spec::kGstatusPieMask;
  uint32_t pm = (value & spec::kGstatusPmMask) >> spec::kGstatusPmShift;
  if (pm > static_cast<uint32_t>(highest_pm)) pm = static_cast<uint32_t>(highest_pm);
  f->pm = static_cast<Mode>(pm);
  sync_status(*f);
}

bool ModeState::csr_read(uint16_t csr, uint32_t* value) const {
  switch (csr) {
    case spec::kCsrGtvec: *value = g_.tvec; return true;
    case spec::kCsrGepc: *value = g_.epc; return true;
    case spec::kCsrGcause: *value = g_.cause; return true;
    case spec::kCsrGtval: *value = g_.tval; return true;
    case spec::kCsrGscratch: *value = g_.scratch; return true;
    case spec::kCsrGstatus: *value = g_.status; return true;
    case spec::kCsrGip: *value = virtual_pending_ ? spec::kGipViMask : 0; return true;
    case spec::kCsrVtvec: *value = v_.tvec; return true;
    case spec::kCsrVepc: *value = v_.epc; return true;
    case spec::kCsrVcause: *value = v_.cause; return true;
    case spec::kCsrVtval: *value = v_.tval; return true;
    case spec::kCsrVscratch: *value = v_.scratch; return true;
    case spec::kCsrVstatus: *value = v_.status; return true;
    case spec::kCsrVtimectl:
      *value = (timer_enable_ ? spec::kVtimectlTeMask : 0) | (timer_line_ ? spec::kVtimectlTpMask : 0);
      return true;
    case spec::kCsrVinject: *value = virtual_pending_ ? spec::kVinjectViMask : 0; return true;
    default:
      if (const uint32_t* p = plain(csr)) return *value = *p, true;
      return false;
  }
}

bool ModeState::csr_write(uint16_t csr, uint32_t value) {
  const bool ok = write_csr(csr, value);
  update_lines();
  return ok;
}

bool ModeState::write_csr(uint16_t csr, uint32_t value) {
  constexpr uint32_t kAlign = ~3u;
  switch (csr) {
    case spec::kCsrGtvec: g_.tvec = value & kAlign; return true;
    case spec::kCsrGepc: g_.epc = value & kAlign; return true;
    case spec::kCsrGcause: g_.cause = value; return true;
    case spec::kCsrGtval: g_.tval = value; return true;
    case spec::kCsrGscratch: g_.scratch = value; return true;
    case spec::kCsrGstatus: set_status(&g_, value, Mode::G); return true;
    case spec::kCsrGip: virtual_pending_ = value & spec::kGipViMask; return true;
    case spec::kCsrVtvec: v_.tvec = value & kAlign; return true;
    case spec::kCsrVepc: v_.epc = value & kAlign; return true;
    case spec::kCsrVcause: v_.cause = value; return true;
    case spec::kCsrVtval: v_.tval = value; return true;
    case spec::kCsrVscratch: v_.scratch = value; return true;
    case spec::kCsrVstatus: set_status(&v_, value, Mode::V); return true;
    case spec::kCsrVtimectl: timer_enable_ = value & spec::kVtimectlTeMask; return true;
    case spec::kCsrVinject: virtual_pending_ = value & spec::kVinjectViMask; return true;
    default:
      if (uint32_t* p = plain(csr)) return *p = value, true;
      return false;
  }
}

uint32_t* ModeState::storage(uint16_t csr, bool* plain_writes) {
  *plain_writes = true;
  switch (csr) {
    case spec::kCsrGcause: return &g_.cause;
    case spec::kCsrGtval: return &g_.tval;
    case spec::kCsrGscratch: return &g_.scratch;
    case spec::kCsrVcause: return &v_.cause;
    case spec::kCsrVtval: return &v_.tval;
    case spec::kCsrVscratch: return &v_.scratch;
    default:
      if (uint32_t* p = plain(csr)) return p;
      break;
  }
  *plain_writes = false;
  switch (csr) {
    case spec::kCsrGtvec: return &g_.tvec;
    case spec::kCsrGepc: return &g_.epc;
    case spec::kCsrVtvec: return &v_.tvec;
    case spec::kCsrVepc: return &v_.epc;
    case spec::kCsrGstatus: return &g_.status;
    case spec::kCsrVstatus: return &v_.status;
    default: return nullptr;
  }
}

// ---- checkpoint ----------------------------------------------------------------

namespace {
void save_frame(StateWriter& w, const TrapFrame& f) {
  for (uint32_t v : {f.tvec, f.epc, f.cause, f.tval, f.scratch}) w.u32(v);
  w.b(f.ie);
  w.b(f.pie);
  w.u8(static_cast<uint8_t>(f.pm));
}
spec::Mode read_mode(StateReader& r) {
  const uint8_t m = r.u8();
  if (m > static_cast<uint8_t>(spec::Mode::V)) r.fail("not a mode");
  return static_cast<spec::Mode>(m);
}
void restore_frame(StateReader& r, TrapFrame* f) {
  for (uint32_t* v : {&f->tvec, &f->epc, &f->cause, &f->tval, &f->scratch}) *v = r.u32();
  f->ie = r.b();
  f->pie = r.b();
  f->pm = read_mode(r);
}
}  // namespace

void ModeState::save(StateWriter& w) const {
  w.begin("MODE");
  w.u8(static_cast<uint8_t>(mode_));
  save_frame(w, g_);
  save_frame(w, v_);
  w.b(virtual_pending_);
  w.b(timer_enable_);
  w.b(timer_line_);
  for (const auto& row : pair_count_) for (uint64_t n : row) w.u64(n);
  for (uint64_t n : kind_count_) w.u64(n);
  w.u64(exit_count_);
  for (const Plain& p : plain_) w.u32(p.value);  // (in the table's order; nothing with today's spec)
  w.end();
}

void ModeState::restore(StateReader& r) {
  r.begin("MODE");
  mode_ = read_mode(r);
  restore_frame(r, &g_);
  restore_frame(r, &v_);
  sync_status(g_);
  sync_status(v_);
  virtual_pending_ = r.b();
  timer_enable_ = r.b();
  timer_line_ = r.b();
  update_lines();
  for (auto& row : pair_count_) for (uint64_t& n : row) n = r.u64();
  for (uint64_t& n : kind_count_) n = r.u64();
  exit_count_ = r.u64();
  for (Plain& p : plain_) p.value = r.u32();
  r.end();
}
}  // namespace trimode

// The Core block alone, through its sockets and ports (VCML style): a test
// memory on `mem` (RAM with DMI at kBase, a finisher word at kFinish), fake
// CSR targets, a fake mode register (ModeIf over a ModeState, recording trap
// entries and exits), a fake real-time source and a counting classifier.
// SystemC elaborates once per process, so three rigs run the same program in
// one simulation; the tests check what each one recorded:
//   memo     a memoizable classifier: the core fills its memo through the port
//   every    a classifier that is not memoizable: asked for every instruction
//   hooked   a sync hook that ends the run at the first synchronisation (wfi)
//   cosim_*  a lockstep checker against a device wrong on one word in a loop,
//            with block records and with the interpreter (the run stops at the
//            mismatch; the others have ended by then)
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "models/classifier/lockstep_classifier.hpp"
#include "models/classifier/ref_classifier.hpp"
#include "models/core/core.hpp"
#include "models/memctl/access_extension.hpp"
#include "models/modereg/mode_state.hpp"
#include "tlm/kernel_stack.hpp"
#include "tests/core/rv_asm.hpp"

namespace trimode {
namespace {

using spec::Mode;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;
namespace rv = test::rv;

constexpr uint32_t kBase = 0x80000000;
constexpr uint32_t kHandler = 0x80001000;
constexpr uint32_t kFinish = 0x10000000;
constexpr uint32_t kIllegal = 0xFFFFFFFF;
constexpr uint32_t kIllegalPc = kBase + 24;
const sc_time kWake(2, SC_US);

// V mode: read time, write a mode-register CSR and a memory-controller CSR,
// trap on an illegal word (handler skips it and exits), wait for the timer,
// then end through the finisher word.
const std::vector<uint32_t> kProgram = {
    rv::csrrs(10, spec::kCsrTime, 0), rv::csrrw(0, spec::kCsrVscratch, 10), rv::addi(6, 0, 7),
    rv::csrrw(0, spec::kCsrVmid, 6),  rv::lui(5, kHandler >> 12),          rv::csrrw(0, spec::kCsrVtvec, 5),
    kIllegal,                         rv::kWfi,                             rv::lui(7, kFinish >> 12),
    rv::sw(0, 7, 0)};
const std::vector<uint32_t> kHandlerCode = {rv::csrrs(6, spec::kCsrVepc, 0), rv::addi(6, 6, 4),
                                            rv::csrrw(0, spec::kCsrVepc, 6), rv::kExit};
constexpr uint64_t kRetired = 13;        // 6 + handler 4 + wfi, lui, sw (the illegal word traps)
constexpr uint64_t kDistinctPcs = 14;    // every word above, once each
constexpr uint64_t kIrqChecks = 1;       // after the wake, the timer line is up: the classifier is asked
                                         // whether it interrupts V (it does not: vstatus.ie is 0)

struct Memory : sc_core::sc_module {
  tlm_utils::simple_target_socket<Memory> in{"in"};
  std::vector<uint8_t> ram = std::vector<uint8_t>(0x2000);
  Core* core = nullptr;
  int finishes = 0;
  Mode finish_mode = Mode::U;

  explicit Memory(sc_core::sc_module_name n) : sc_module(n) {
    in.register_b_transport(this, &Memory::b_transport);
    in.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
    in.register_transport_dbg(this, &Memory::transport_dbg);
    put(kBase, kProgram);
    put(kHandler, kHandlerCode);
  }
  void put(uint32_t at, const std::vector<uint32_t>& words) { std::memcpy(&ram[at - kBase], words.data(), 4 * words.size()); }
  bool in_ram(uint64_t a, unsigned n) const { return a >= kBase && a + n <= kBase + ram.size(); }
  void b_transport(tlm::tlm_generic_payload& gp, sc_time&) {
    const uint64_t a = gp.get_address();
    const unsigned n = gp.get_data_length();
    if (a == kFinish && gp.is_write()) {
      ++finishes;
      if (auto* ext = gp.get_extension<AccessExtension>()) finish_mode = ext->mode;
      core->request_stop();
      gp.set_response_status(tlm::TLM_OK_RESPONSE);
      return;
    }
    if (!in_ram(a, n)) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    transport_dbg(gp);
    gp.set_dmi_allowed(true);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& gp) {
    const uint64_t a = gp.get_address();
    const unsigned n = gp.get_data_length();
    if (!in_ram(a, n)) return 0;
    uint8_t* p = &ram[a - kBase];
    gp.is_write() ? std::memcpy(p, gp.get_data_ptr(), n) : std::memcpy(gp.get_data_ptr(), p, n);
    return n;
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    if (!in_ram(gp.get_address(), 1)) return false;
    dmi.set_dmi_ptr(ram.data());
    dmi.set_start_address(kBase);
    dmi.set_end_address(kBase + ram.size() - 1);
    dmi.allow_read_write();
    return true;
  }
};

// CSRs by number on a register socket, 4-byte accesses.
struct CsrTarget : sc_core::sc_module {
  tlm_utils::simple_target_socket<CsrTarget> csr{"csr"};
  std::function<bool(tlm::tlm_command, uint16_t, uint32_t*)> serve;
  explicit CsrTarget(sc_core::sc_module_name n) : sc_module(n) {
    csr.register_b_transport(this, &CsrTarget::b_transport);
  }
  void b_transport(tlm::tlm_generic_payload& gp, sc_time&) {
    uint32_t v = 0;
    std::memcpy(&v, gp.get_data_ptr(), 4);
    const bool ok = serve(gp.get_command(), static_cast<uint16_t>(gp.get_address()), &v);
    if (ok && gp.is_read()) std::memcpy(gp.get_data_ptr(), &v, 4);
    gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
};

struct FakeModes : sc_core::sc_module, ModeIf {
  sc_core::sc_export<ModeIf> control{"control"};
  ModeState state;
  bool timer_line = false;
  sc_core::sc_event wake;
  struct Entry { Mode target; spec::Kind kind; uint32_t cause, tval, pc; };
  std::vector<Entry> entries;
  std::vector<uint32_t> exits;

  explicit FakeModes(sc_core::sc_module_name n) : sc_module(n) { control.bind(*this); }
  Mode mode() const override { return state.mode(); }
  IrqLines irq_lines() const override { return {timer_line, false, false, false}; }
  uint32_t enter(Mode target, spec::Kind kind, uint32_t cause, uint32_t tval, uint32_t pc) override {
    entries.push_back({target, kind, cause, tval, pc});
    return state.enter(target, kind, cause, tval, pc);
  }
  uint32_t exit(uint32_t pc) override {
    exits.push_back(pc);
    return state.exit(pc);
  }
  uint32_t trap_vector(Mode m) const override { return state.trap_vector(m); }
  const sc_core::sc_event& wake_event() const override { return wake; }
};

struct FakeTime : sc_core::sc_module, TimeIf {
  sc_core::sc_export<TimeIf> time{"time"};
  mutable std::vector<sc_time> asked;
  explicit FakeTime(sc_core::sc_module_name n) : sc_module(n) { time.bind(*this); }
  uint64_t mtime_at(const sc_time& t) const override {
    asked.push_back(t);
    return 1000 + t.value() / sc_time(100, SC_NS).value();
  }
};

struct CountingClassifier : sc_core::sc_module, DecodeIf {
  sc_core::sc_export<DecodeIf> decode{"decode"};
  bool memo;
  uint64_t decides = 0;
  std::vector<uint32_t> words;
  CountingClassifier(sc_core::sc_module_name n, bool memoizable) : sc_module(n), memo(memoizable) {
    decode.bind(*this);
  }
  bool decide(const DecodeRequest& r, const sc_time&, Decision* out, std::string*) override {
    ++decides;
    words.push_back(r.insn);
    *out = classify(r.insn, r.mode, r.irq);
    return true;
  }
  bool memoizable() const override { return memo; }
};

struct Hook : sc_core::sc_module, SyncHookIf {
  sc_core::sc_export<SyncHookIf> hook{"hook"};
  int calls = 0;
  explicit Hook(sc_core::sc_module_name n) : sc_module(n) { hook.bind(*this); }
  bool stop_after_sync() override { return ++calls > 0; }
};

// A core with fake memory, CSR targets, mode register and time, everything
// bound but its classifier (the rig binds that); the mode register's CSRs are
// served from `modes`, the memory controller's by nothing unless set.
struct CoreBench : sc_core::sc_module {
  Core core;
  Memory memory{"memory"};
  CsrTarget modereg_csrs{"modereg_csrs"};
  CsrTarget memctl_csrs{"memctl_csrs"};
  FakeModes modes{"modes"};
  FakeTime time{"time"};

  explicit CoreBench(sc_core::sc_module_name n, const CoreConfig& config = CoreConfig{})
      : sc_module(n), core("core", config) {
    core.mem.bind(memory.in);
    core.csr_modereg.bind(modereg_csrs.csr);
    core.csr_memctl.bind(memctl_csrs.csr);
    core.modes.bind(modes.control);
    core.time.bind(time.time);
    memory.core = &core;
    modereg_csrs.serve = [this](tlm::tlm_command c, uint16_t r, uint32_t* v) {
      return c == tlm::TLM_READ_COMMAND ? modes.state.csr_read(r, v) : modes.state.csr_write(r, *v);
    };
    memctl_csrs.serve = [](tlm::tlm_command, uint16_t, uint32_t*) { return false; };
    core.hart().set_pc(kBase);
  }
};

struct Rig : CoreBench {
  CountingClassifier classifier;
  std::map<uint16_t, uint32_t> memctl_regs{{spec::kCsrVmid, 0}};

  Rig(sc_core::sc_module_name n, bool memoizable) : CoreBench(n), classifier("classifier", memoizable) {
    core.decode.bind(classifier.decode);
    memctl_csrs.serve = [this](tlm::tlm_command c, uint16_t r, uint32_t* v) {
      auto it = memctl_regs.find(r);
      if (it == memctl_regs.end()) return false;
      c == tlm::TLM_READ_COMMAND ? void(*v = it->second) : void(it->second = *v);
      return true;
    };
  }
};

// Co-simulation with the block engine (block records, docs/performance.md):
// a lockstep checker of the reference against a fake device with lanes that
// is right except for one word inside a loop, from its kWrongAt-th request
// on. The rig runs kLoop; `interpreted` forces the interpreter (as
// --trace-insn does) for the same run without blocks.
constexpr uint32_t kWrongWord = rv::i(0x55, 9, 4, 9, 0x13);  // xori x9, x9, 0x55
constexpr uint32_t kWrongPc = kBase + 8;
constexpr unsigned kWrongAt = 700;
const std::vector<uint32_t> kLoop = {
    rv::addi(2, 0, 1000),         // 0: count
    rv::addi(3, 3, 1),            // 4: loop
    kWrongWord,                   // 8
    rv::addi(2, 2, -1),           // 12
    rv::b(-12, 0, 2, 1),          // 16: bne x2, x0, loop
    rv::lui(7, kFinish >> 12),    // 20
    rv::sw(0, 7, 0)};             // 24: the finisher (not reached: the mismatch stops the run)
// The same wrong word deep inside a loop of chained blocks (a jump, a side
// exit, a loop branch to another block), where it sometimes starts a block;
// wrong from its kChainWrongAt-th request on (7.5 instructions a round: the
// run stops in the same quantum as kLoop's rigs, as every rig's failure stops
// the simulation).
constexpr uint32_t kChainWrongPc = kBase + 28;
constexpr unsigned kChainWrongAt = 330;
const std::vector<uint32_t> kChainLoop = {
    rv::addi(2, 0, 1000),         // 0: count
    rv::addi(3, 3, 1),            // 4: loop
    rv::j(8, 0),                  // 8: j +8
    rv::kNop,                     // 12 (jumped over)
    rv::i(1, 2, 7, 5, 0x13),      // 16: andi x5, x2, 1
    rv::b(8, 0, 5, 0),            // 20: beq x5, x0, +8 (even: side exit to 28)
    rv::addi(4, 4, 1),            // 24
    kWrongWord,                   // 28
    rv::addi(2, 2, -1),           // 32
    rv::b(-32, 0, 2, 1),          // 36: bne x2, x0, loop
    rv::lui(7, kFinish >> 12),    // 40
    rv::sw(0, 7, 0)};             // 44: the finisher (not reached)

struct WrongLanes : sc_core::sc_module, DecodeIf {
  sc_core::sc_export<DecodeIf> decode{"decode"};
  unsigned seen = 0;  // requests for kWrongWord so far
  unsigned wrong_at = kWrongAt;
  explicit WrongLanes(sc_core::sc_module_name n) : sc_module(n) { decode.bind(*this); }
  Decision answer(const DecodeRequest& r) {
    Decision d = classify(r.insn, r.mode, r.irq);
    if (r.insn == kWrongWord && ++seen >= wrong_at) d = {1, spec::Action::kIllegal, Mode::V, spec::kCauseIllegalInsn};
    return d;
  }
  bool decide(const DecodeRequest& r, const sc_time&, Decision* out, std::string*) override {
    *out = answer(r);
    return true;
  }
  bool memoizable() const override { return false; }
  unsigned batch_lanes() const override { return 16; }
  uint8_t dec[LaneBatch::kMax] = {};
  uint32_t cause[LaneBatch::kMax] = {};
  bool decide_lanes(const LaneBatch& b, unsigned n, LaneAnswers* out, std::string*) override {
    for (unsigned k = 0; k < n; ++k) {
      const Decision d = answer(unpack_request(b.insn[k], b.ctl[k]));
      dec[k] = pack_dec(d);
      cause[k] = d.cause;
    }
    *out = {dec, cause, 1};
    return true;
  }
};

struct CosimRig : CoreBench {
  RefClassifier ref{"ref"};
  WrongLanes dut{"dut"};
  LockstepClassifier lockstep{"lockstep"};

  CosimRig(sc_core::sc_module_name n, bool interpreted, const std::vector<uint32_t>& program = kLoop,
           unsigned wrong_at = kWrongAt)
      : CoreBench(n) {
    dut.wrong_at = wrong_at;
    lockstep.reference.bind(ref.decode);
    lockstep.dut.bind(dut.decode);
    core.decode.bind(lockstep.decode);
    memory.put(kBase, program);
    if (interpreted) core.set_insn_trace(std::tmpfile());
  }
};

// Raises every rig's timer line at kWake.
struct Waker : sc_core::sc_module {
  std::vector<Rig*> rigs;
  SC_HAS_PROCESS(Waker);
  explicit Waker(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void run() {
    wait(kWake);
    for (Rig* r : rigs) {
      r->modes.timer_line = true;
      r->modes.wake.notify();
    }
  }
};

// Several idle quanta granted at once (Core::more_quanta): two passes of a
// register loop over some 16 quanta and a read of a memory-controller CSR
// (its blocks all translated in the short first pass); the second read's
// target then has something due 1.5 quanta later: a process that notes the
// hart's cycle when it runs. Where the core synchronises, and so the cycle
// the process sees, must be the same as when it waits at every quantum's end
// (--sync-every-quantum): the grant ends with the quantum of the read, so
// the kernel is asked again at its end.
const std::vector<uint32_t> kQuietLoops = {
    rv::lui(7, kFinish >> 12),         // 0
    rv::addi(3, 0, 2),                 // 4: passes
    rv::addi(2, 0, 10),                // 8: the first pass's rounds
    rv::lui(4, 2),                     // 12: the others': 8192
    rv::addi(2, 2, -1),                // 16: loop
    rv::b(-4, 0, 2, 1),                // 20: bne x2, x0, loop
    rv::csrrs(10, spec::kCsrVmid, 0),  // 24: the read
    rv::addi(2, 4, 0),                 // 28
    rv::addi(2, 2, -1),                // 32: loop2
    rv::b(-4, 0, 2, 1),                // 36: bne x2, x0, loop2
    rv::addi(2, 4, 0),                 // 40
    rv::addi(3, 3, -1),                // 44
    rv::b(-32, 0, 3, 1),               // 48: bne x3, x0, loop
    rv::sw(0, 7, 0)};                  // 52: the finisher
const sc_time kDueAfterRead(15, SC_US);

struct QuantaSeen {
  uint64_t read_cycle = 0, seen_cycle = 0, seen_time = 0, end_cycle = 0, instret = 0, runs_from_thread = 0;
  bool operator==(const QuantaSeen& o) const {
    return read_cycle == o.read_cycle && seen_cycle == o.seen_cycle && seen_time == o.seen_time &&
           end_cycle == o.end_cycle && instret == o.instret;
  }
};

struct QuantaRig : CoreBench {
  CountingClassifier classifier{"classifier", true};
  sc_core::sc_event due;
  QuantaSeen seen;
  int reads = 0;
  SC_HAS_PROCESS(QuantaRig);
  QuantaRig(sc_core::sc_module_name n, const CoreConfig& config) : CoreBench(n, config) {
    core.decode.bind(classifier.decode);
    memory.put(kBase, kQuietLoops);
    memctl_csrs.serve = [this](tlm::tlm_command c, uint16_t r, uint32_t* v) {
      if (c != tlm::TLM_READ_COMMAND || r != spec::kCsrVmid) return false;
      *v = 0;
      if (++reads < 2) return true;
      seen.read_cycle = core.hart().cycle();
      due.notify(core.local_time() - sc_core::sc_time_stamp() + kDueAfterRead);
      return true;
    };
    SC_THREAD(watch);
  }
  void watch() {
    wait(due);
    seen.seen_cycle = core.hart().cycle();
    seen.seen_time = sc_core::sc_time_stamp().value();
  }
};

// Runs a QuantaRig alone in a child process (SystemC elaborates once per
// process): what it saw, through a pipe.
bool run_quanta_rig(bool sync_every_quantum, QuantaSeen* out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    CoreConfig config;
    config.sync_every_quantum = sync_every_quantum;
    QuantaRig rig("quanta", config);
    sc_core::sc_start();
    rig.seen.end_cycle = rig.core.hart().cycle();
    rig.seen.instret = rig.core.hart().instret();
    rig.seen.runs_from_thread = rig.core.runs_from_thread();
    const bool ok = write(fds[1], &rig.seen, sizeof rig.seen) == static_cast<ssize_t>(sizeof rig.seen);
    _exit(ok && rig.memory.finishes == 1 ? 0 : 1);
  }
  close(fds[1]);
  const bool got = pid > 0 && read(fds[0], out, sizeof *out) == static_cast<ssize_t>(sizeof *out);
  close(fds[0]);
  int status = 1;
  if (pid > 0) waitpid(pid, &status, 0);
  return got && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

QuantaSeen quanta_granted, quanta_every;
bool quanta_ran = false;

TEST(CoreQuanta, AnAccessAfterSeveralQuietQuantaEndsTheGrantWhereEveryQuantumWouldSynchronise) {
  ASSERT_TRUE(quanta_ran) << "a child run failed";
  const uint64_t quantum = CoreConfig{}.quantum.value() / CoreConfig{}.clock_period.value();
  EXPECT_GT(quanta_every.read_cycle, 30 * quantum) << "the second read comes after many quiet quanta";
  EXPECT_GT(quanta_every.seen_cycle, quanta_every.read_cycle + kDueAfterRead.value() / CoreConfig{}.clock_period.value());
  EXPECT_EQ(quanta_every.seen_cycle % quantum, 0u) << "the core waited at a quantum's end";
  EXPECT_EQ(quanta_granted.read_cycle, quanta_every.read_cycle);
  EXPECT_EQ(quanta_granted.seen_cycle, quanta_every.seen_cycle) << "the same synchronisation";
  EXPECT_EQ(quanta_granted.seen_time, quanta_every.seen_time);
  EXPECT_EQ(quanta_granted.end_cycle, quanta_every.end_cycle);
  EXPECT_EQ(quanta_granted.instret, quanta_every.instret);
  // The loops (two instructions: every quantum's end finds the same pc, which
  // is not a `j .`) go through the quanta's ends without thread().
  EXPECT_GT(quanta_every.runs_from_thread, 30u);
  EXPECT_LT(quanta_granted.runs_from_thread * 4, quanta_every.runs_from_thread)
      << "the hart chained the quiet quanta (next_slice)";
}

Rig* memo;
Rig* every;
Rig* hooked;
Hook* hook;
CosimRig* cosim_blocks;
CosimRig* cosim_interpreted;
CosimRig* chain_blocks;
CosimRig* chain_interpreted;

TEST(Core, TimeComesThroughTheTimePortAtTheLocalTime) {
  ASSERT_FALSE(memo->time.asked.empty());
  EXPECT_EQ(memo->time.asked.front(), sc_core::SC_ZERO_TIME) << "the first instruction runs at time 0";
  EXPECT_EQ(memo->core.hart().reg(10), 1000u);
}

TEST(Core, CsrsReachTheirBlocksThroughTheRegisterSockets) {
  uint32_t v = 0;
  ASSERT_TRUE(memo->modes.state.csr_read(spec::kCsrVscratch, &v));
  EXPECT_EQ(v, 1000u);
  EXPECT_EQ(memo->memctl_regs[spec::kCsrVmid], 7u);
}

TEST(Core, TrapEntryAndExitGoThroughTheModesPort) {
  for (Rig* r : {memo, every}) {
    ASSERT_EQ(r->modes.entries.size(), 1u);
    const FakeModes::Entry& e = r->modes.entries[0];
    EXPECT_EQ(e.target, Mode::V);
    EXPECT_EQ(e.cause, spec::kCauseIllegalInsn);
    EXPECT_EQ(e.tval, kIllegal);
    EXPECT_EQ(e.pc, kIllegalPc);
    ASSERT_EQ(r->modes.exits.size(), 1u);
    EXPECT_EQ(r->modes.exits[0], kHandler + 12);
  }
}

TEST(Core, WfiWaitsForTheModeRegistersWakeEventAndCountsIdleCycles) {
  EXPECT_EQ(memo->memory.finishes, 1);
  EXPECT_EQ(memo->memory.finish_mode, Mode::V);
  EXPECT_EQ(memo->core.hart().instret(), kRetired);
  const uint64_t wake_cycle = kWake.value() / sc_time(10, SC_NS).value();
  EXPECT_GE(memo->core.hart().cycle(), wake_cycle);
  EXPECT_LT(memo->core.hart().cycle(), wake_cycle + 20);
}

TEST(Core, AMemoizableClassifierFillsTheMemoThroughThePort) {
  // Three modes per word the first time it is seen, plus the one word that
  // does not execute in place (the illegal one), asked when it traps, plus
  // the interrupt check while a line is up.
  EXPECT_EQ(memo->classifier.decides, 3 * kDistinctPcs + 1 + kIrqChecks);
}

TEST(Core, AClassifierThatIsNotMemoizableSeesEveryInstruction) {
  EXPECT_EQ(every->core.hart().instret(), kRetired);
  EXPECT_EQ(every->classifier.decides, kRetired + 1 + kIrqChecks)
      << "every retired word, the trapping one and the interrupt check";
  ASSERT_GE(every->classifier.words.size(), 7u);
  EXPECT_EQ(every->classifier.words[6], kIllegal);
  EXPECT_EQ(every->classifier.words.back(), kProgram.back());
  const auto& w = every->classifier.words;
  EXPECT_EQ(std::count(w.begin(), w.end(), 0u), 1) << "the interrupt check asks with word 0";
}

TEST(Core, TheSyncHookEndsTheRunAtTheFirstSynchronisation) {
  EXPECT_EQ(hook->calls, 1);
  EXPECT_EQ(hooked->memory.finishes, 0);
  EXPECT_EQ(hooked->core.hart().instret(), kRetired - 2) << "stopped after wfi";
  EXPECT_EQ(memo->memory.finishes, 1) << "unbound hook: runs to the end";
}

// A mismatch on a word inside a block (the blocks chained and looping as
// untraced, their instructions handed to the checker's batch by the chain):
// the run stops with the same FAILURE line naming that word's time, pc and
// mode as when the interpreter asks about every instruction, fewer than
// LockstepClassifier::kBatchesAhead batches (the device's 16 lanes) of
// instructions later than it; the blocks
// ran (the reference was asked about a fraction of the instructions only:
// the rest came from the memo).
void expect_blocks_stop_as_the_interpreter(CosimRig& b, CosimRig& i, uint32_t wrong_pc, unsigned wrong_at) {
  char where[64];
  std::snprintf(where, sizeof where, "pc 0x%08x, insn 0x%08x, mode V", wrong_pc, kWrongWord);
  for (const CosimRig* r : {&b, &i}) {
    EXPECT_EQ(r->core.exit_reason(), CoreExit::kFatal);
    EXPECT_EQ(r->core.fatal_message().rfind("FAILURE: cosim mismatch at ", 0), 0u) << r->core.fatal_message();
    EXPECT_NE(r->core.fatal_message().find(where), std::string::npos) << r->core.fatal_message();
    EXPECT_EQ(r->lockstep.mismatches(), 1u);
    EXPECT_EQ(r->memory.finishes, 0);
  }
  EXPECT_EQ(b.core.fatal_message(), i.core.fatal_message()) << "the same instruction, at the same time";
  const Hart &hb = b.core.hart(), &hi = i.core.hart();
  constexpr uint64_t kAhead = LockstepClassifier::kBatchesAhead * 16;
  EXPECT_GE(hb.instret(), hi.instret());
  EXPECT_LT(hb.instret(), hi.instret() + kAhead) << "stopped fewer than kBatchesAhead batches past the mismatch";
  EXPECT_GE(b.lockstep.decodes(), i.lockstep.decodes());
  EXPECT_LT(b.lockstep.decodes(), i.lockstep.decodes() + kAhead);
  EXPECT_LE(b.lockstep.decodes(), hb.instret()) << "each retired instruction reached the checker at most once";
  EXPECT_GT(hi.instret(), 4u * (wrong_at - 1)) << "stopped in the loop, at the wrong answer";
  EXPECT_GT(hb.blocks_translated(), 0u);
  EXPECT_GE(i.ref.decodes(), hi.instret()) << "the interpreter asks the reference about each instruction";
  EXPECT_LT(b.ref.decodes(), hb.instret() / 4) << "blocks: the reference's decisions come from the memo";
}

TEST(CoreCosim, AMismatchInsideABlockStopsTheRunAsTheInterpreterDoes) {
  expect_blocks_stop_as_the_interpreter(*cosim_blocks, *cosim_interpreted, kWrongPc, kWrongAt);
}

TEST(CoreCosim, AMismatchDeepInsideALoopOfChainedBlocksIsCaught) {
  expect_blocks_stop_as_the_interpreter(*chain_blocks, *chain_interpreted, kChainWrongPc, kChainWrongAt);
}

}  // namespace
}  // namespace trimode

int sc_main(int argc, char** argv) {
  using namespace trimode;
  const RestoreThreadStackOnReturn restore_stack;  // for LeakSanitizer (tlm/kernel_stack.hpp)
  testing::InitGoogleTest(&argc, argv);
  if (testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
  quanta_ran = run_quanta_rig(false, &quanta_granted) && run_quanta_rig(true, &quanta_every);
  memo = new Rig("memo", true);
  every = new Rig("every", false);
  hooked = new Rig("hooked", true);
  hook = new Hook("hook");
  cosim_blocks = new CosimRig("cosim_blocks", false);
  cosim_interpreted = new CosimRig("cosim_interpreted", true);
  chain_blocks = new CosimRig("chain_blocks", false, kChainLoop, kChainWrongAt);
  chain_interpreted = new CosimRig("chain_interpreted", true, kChainLoop, kChainWrongAt);
  hooked->core.sync_hook.bind(hook->hook);
  Waker waker("waker");
  waker.rigs = {memo, every, hooked};
  sc_core::sc_start();
  return RUN_ALL_TESTS();
}

// A GDB remote (RSP) server for the whole machine: `trimode run ... --gdb PORT`.
//
// It listens on 127.0.0.1 (plain POSIX sockets) and serves one debugger at a
// time. It runs inside the core's SystemC thread (models/core/debug_hook.hpp):
// while the debugger has the machine halted, simulated time stands still.
//
//   registers   x0..x31 and pc (org.gnu.gdb.riscv.cpu), then the feature
//               org.trimode.modes: `mode` (0 U, 1 G, 2 V; read-only) and every
//               CSR of the mode register and the memory controller (gtvec ...
//               vsegsize), read and written by debug transport
//   memory      m/M/X by debug transport, in the current mode's address space
//               (U addresses are process-relative) unless `monitor mem` says
//   breakpoints Z0/Z1 by pc (checked between single instructions while any is set)
//   watchpoints Z2/Z3/Z4 on the hart's data accesses: DMI is refused for watched
//               pages, so every access to them is seen. The stop comes before the
//               access (RISC-V's triggers, as GDB expects): pc at the accessing
//               instruction, nothing of it done. Resumed there (step or continue,
//               pc unchanged), that instruction's own accesses are not checked:
//               it runs, and a watchpoint left inserted fires again at the next access
//   stops       single step (vCont;s or s: one instruction, so a trap steps to its
//               vector), continue (vCont;c or c), Ctrl-C, a fatal stop (SIGSEGV), and with
//               `--gdb-stop-on-trap MODES` or `monitor stop-on-trap` every trap
//               into the chosen modes
//
// Without --gdb nothing of this exists; with it, the run goes at full speed
// until a breakpoint, watchpoint or trap stop is set (then one instruction per
// slice). docs/debugging.md has the walk-through.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "models/core/core.hpp"
#include "models/modereg/mode_register.hpp"

namespace trimode {

struct GdbOptions {
  int port = 0;              // 0: any free port (printed)
  bool wait = false;         // halt at the entry until a debugger attaches
  uint8_t stop_on_trap = 0;  // bit m: stop on every trap into mode m (U 0, G 1, V 2)
};

// "V", "G,U", "UGV", "off" -> a stop_on_trap mask; throws std::invalid_argument.
uint8_t parse_trap_modes(const std::string& text);

class GdbServer : public CoreDebugHook {
 public:
  // Listens at once (throws std::runtime_error when it cannot) and plugs into the core.
  GdbServer(Core& core, ModeRegister& modereg, GdbOptions options);
  ~GdbServer() override;
  GdbServer(const GdbServer&) = delete;
  GdbServer& operator=(const GdbServer&) = delete;

  int port() const { return port_; }
  // The run ended with exit code `code`: tells the debugger (W packet) and hangs up.
  void finish(int code);
  // The machine cannot go on (a fatal stop found after the run, a wfi nothing
  // wakes): the debugger sees SIGSEGV and looks around; any resume returns.
  void fatal_stop();

  // CoreDebugHook
  uint64_t before_slice(uint64_t budget) override;
  void after_slice(StopReason reason) override;
  bool watch_hit(spec::Mode mode, bool write, uint32_t addr, unsigned size) override;
  bool allow_dmi(spec::Mode mode, uint32_t addr, DmiWindow* window) override;

 private:
  // The largest packet either side sends (qSupported's PacketSize), and the
  // longest memory read one reply holds ('$', two hex digits a byte, '#xx').
  static constexpr unsigned kPacketSize = 0x4000;
  static constexpr unsigned kMaxRead = (kPacketSize - 4) / 2;
  enum class WatchKind : uint8_t { kWrite = 2, kRead = 3, kAccess = 4 };  // Z2, Z3, Z4
  struct Watch {
    uint32_t addr;
    uint32_t len;
    WatchKind kind;
  };
  enum class Resume : uint8_t { kNone, kContinue, kStep, kDetach, kKill };

  // connection
  bool accept_debugger(bool block);
  void refuse_others();
  void hang_up();
  // Blocking; false when the debugger is gone. A packet whose data is longer
  // than kPacketSize (qSupported's PacketSize, which GDB keeps to) or whose
  // checksum is wrong is answered '-' and dropped; a '$' starts a new packet.
  bool read_packet(std::string* packet);
  void send(const std::string& data);
  bool interrupt_requested();             // non-blocking look for Ctrl-C (0x03)

  // session
  void halt(const std::string& stop_reply, bool notify);
  Resume handle(const std::string& packet);
  bool armed() const;
  bool poll_due();

  std::string read_registers();
  bool read_register(unsigned n, uint32_t* value);
  bool write_register(unsigned n, uint32_t value);
  std::string read_memory(const std::string& args);
  std::string write_memory(uint32_t addr, const std::vector<uint8_t>& bytes);
  std::string breakpoint(const std::string& packet);
  std::string monitor(const std::string& command);
  std::string monitor_command(const std::string& verb, const std::string& arg);
  std::string target_xml() const;
  std::string xfer(const std::string& args) const;
  spec::Mode memory_mode() const;

  Core& core_;
  ModeRegister& modereg_;
  GdbOptions options_;
  int listen_fd_ = -1;
  int fd_ = -1;
  int port_ = 0;
  std::string inbuf_;  // received, not yet read: from inpos_ on
  size_t inpos_ = 0;
  std::vector<uint16_t> csrs_;  // register 34 + i is CSR csrs_[i]

  bool waited_ = false;     // --gdb-wait's first attach done
  bool stepping_ = false;
  bool killed_ = false;
  bool trap_hit_ = false;
  bool passing_ = false;    // the slice resumed at a watch stop: its accesses are not checked
  std::string watch_stop_;  // "watch:ADDR;" etc.
  std::string last_stop_ = "S05";
  std::set<uint32_t> breakpoints_;
  std::vector<Watch> watches_;
  int mem_mode_ = -1;       // -1: the current mode; else a spec::Mode
  uint64_t next_poll_ = 0;  // cycle of the next look at the socket while running
};

}  // namespace trimode

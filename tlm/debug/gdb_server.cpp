#include "tlm/debug/gdb_server.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "models/core/disasm.hpp"
#include "models/core/report.hpp"
#include "tlm/debug/rsp.hpp"

namespace trimode {

namespace {

constexpr unsigned kPcReg = 32;
constexpr unsigned kModeReg = 33;
constexpr unsigned kFirstCsrReg = 34;
constexpr uint64_t kPollCycles = 200000;  // while running: look for Ctrl-C / a debugger this often
constexpr uint32_t kPage = 4096;

std::string hex32(uint32_t v) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "%x", v);
  return buf;
}

bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen) {
  return uint64_t{a} < uint64_t{b} + blen && uint64_t{b} < uint64_t{a} + alen;
}

}  // namespace

uint8_t parse_trap_modes(const std::string& text) {
  if (text == "off" || text == "none") return 0;
  uint8_t mask = 0;
  for (char c : text) {
    switch (c) {
      case 'U': case 'u': mask |= 1u << 0; break;
      case 'G': case 'g': mask |= 1u << 1; break;
      case 'V': case 'v': mask |= 1u << 2; break;
      case ',': case ' ': break;
      default: throw std::invalid_argument("not a mode list: '" + text + "' (e.g. V, G,V, off)");
    }
  }
  if (!mask) throw std::invalid_argument("not a mode list: '" + text + "' (e.g. V, G,V, off)");
  return mask;
}

GdbServer::GdbServer(Core& core, ModeRegister& modereg, GdbOptions options)
    : core_(core), modereg_(modereg), options_(options) {
  for (const spec::CsrInfo& c : spec::kCsrs) {
    const std::string block = c.block;
    if (block == "modereg" || block == "memctl") csrs_.push_back(c.number);
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error(std::string("gdb: cannot open a socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(options.port));
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 1) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error("gdb: cannot listen on 127.0.0.1:" + std::to_string(options.port) + ": " + why);
  }
  port_ = ntohs(addr.sin_port);
  core_.set_debug_hook(this);
  modereg_.add_observer([this](const Transition& t) {
    if (!t.is_exit && (options_.stop_on_trap >> static_cast<unsigned>(t.to) & 1)) trap_hit_ = true;
  });
}

GdbServer::~GdbServer() {
  core_.set_debug_hook(nullptr);
  hang_up();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

// ---- connection -------------------------------------------------------------

bool GdbServer::accept_debugger(bool block) {
  const int flags = ::fcntl(listen_fd_, F_GETFL);
  ::fcntl(listen_fd_, F_SETFL, block ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
  const int fd = ::accept(listen_fd_, nullptr, nullptr);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
  inbuf_.clear(), inpos_ = 0;
  trap_hit_ = false;  // from before it attached
  std::fprintf(stderr, "trimode: gdb: debugger attached\n");
  return true;
}

// One debugger at a time: a second one that connects meanwhile is closed at
// once, with a line saying so (it waited, unanswered, until the first left).
void GdbServer::refuse_others() {
  pollfd p{listen_fd_, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return;
  const int fd = ::accept(listen_fd_, nullptr, nullptr);
  if (fd < 0) return;
  ::close(fd);
  std::fprintf(stderr, "trimode: gdb: a second debugger was refused: one is attached\n");
}

void GdbServer::hang_up() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  stepping_ = passing_ = false;
  breakpoints_.clear();
  if (!watches_.empty()) {
    watches_.clear();
    core_.hart().invalidate_dmi();
  }
}

bool GdbServer::read_packet(std::string* packet) {
  enum { kIdle, kData, kSum1, kSum2 } state = kIdle;
  std::string data, sum;
  bool too_long = false;  // the packet's data passed kPacketSize: dropped
  for (;;) {
    if (inpos_ == inbuf_.size()) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
      if (::poll(p, 2, -1) < 0 && errno != EINTR) return false;
      if (p[1].revents & POLLIN) refuse_others();
      if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        return false;
      }
      inbuf_.assign(buf, static_cast<size_t>(n));
      inpos_ = 0;
    }
    const char c = inbuf_[inpos_++];
    if (c == '$') {  // a packet starts (anywhere: one cut short is given up)
      state = kData, data.clear(), too_long = false;
      continue;
    }
    switch (state) {
      case kIdle: break;  // '+', '-' and Ctrl-C while halted: nothing to do
      case kData:
        if (c == '#') {
          state = kSum1;
        } else if (data.size() < kPacketSize) {
          data += c;
        } else {
          too_long = true;
        }
        break;
      case kSum1: sum = c; state = kSum2; break;
      case kSum2: {
        sum += c;
        const auto got = rsp::parse_number(sum);
        const bool ok = !too_long && got && *got == rsp::checksum(data);
        ::send(fd_, ok ? "+" : "-", 1, MSG_NOSIGNAL);
        if (ok) {
          *packet = data;
          return true;
        }
        if (too_long) std::fprintf(stderr, "trimode: gdb: a packet longer than %u bytes was refused\n", kPacketSize);
        state = kIdle;
        break;
      }
    }
  }
}

void GdbServer::send(const std::string& data) {
  const std::string f = rsp::frame(data);
  ::send(fd_, f.data(), f.size(), MSG_NOSIGNAL);
}

bool GdbServer::interrupt_requested() {
  refuse_others();
  char buf[256];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
  if (n == 0) {  // the debugger went away: run on without it
    std::fprintf(stderr, "trimode: gdb: debugger gone, running on\n");
    hang_up();
    return false;
  }
  return n > 0 && std::memchr(buf, 0x03, static_cast<size_t>(n)) != nullptr;
}

bool GdbServer::poll_due() {
  if (core_.hart().cycle() < next_poll_) return false;
  next_poll_ = core_.hart().cycle() + kPollCycles;
  return true;
}

// ---- the core's hook ----------------------------------------------------------

bool GdbServer::armed() const {
  return fd_ >= 0 && (stepping_ || !breakpoints_.empty() || !watches_.empty() || options_.stop_on_trap);
}

uint64_t GdbServer::before_slice(uint64_t budget) {
  if (killed_) return 0;
  if (fd_ < 0) {
    if (options_.wait && !waited_) {
      waited_ = true;
      std::fprintf(stderr, "trimode: gdb: waiting for a debugger on 127.0.0.1:%d\n", port_);
      if (accept_debugger(true)) halt("S05", false);
    } else if (poll_due() && accept_debugger(false)) {
      halt("S02", false);  // attached to a running machine: it stops where it is
    }
  }
  if (killed_) return 0;
  return armed() ? 1 : budget;
}

void GdbServer::after_slice(StopReason reason) {
  if (fd_ < 0 || reason == StopReason::kStopped) return;  // kStopped: the guest ended; finish() tells
  std::string stop;
  if (reason == StopReason::kFatal) {
    stop = "T0b";  // SIGSEGV: the run cannot go on; look around, then continue ends it
  } else if (reason == StopReason::kWatch) {
    stop = "T05" + watch_stop_;  // pc: the instruction whose access watch_hit() refused
  } else if (stepping_ || trap_hit_ || breakpoints_.count(core_.hart().pc())) {
    stop = "T05";
  } else if (poll_due() && interrupt_requested()) {
    stop = "T02";
  }
  trap_hit_ = passing_ = false;  // (the slice resumed at a watch stop is over)
  if (!stop.empty() && fd_ >= 0) halt(stop, true);
}

// The first watchpoint the access touches stops the hart before it (and names
// itself in the stop reply), except in the slice resumed at a watch stop.
bool GdbServer::watch_hit(spec::Mode, bool write, uint32_t addr, unsigned size) {
  if (passing_) return false;
  for (const Watch& w : watches_) {
    const bool kind_matches = w.kind == WatchKind::kAccess || (w.kind == WatchKind::kWrite) == write;
    if (!kind_matches || !overlaps(addr, size, w.addr, w.len)) continue;
    const char* name = w.kind == WatchKind::kWrite ? "watch" : w.kind == WatchKind::kRead ? "rwatch" : "awatch";
    watch_stop_ = std::string(name) + ":" + hex32(w.addr) + ";";
    return true;
  }
  return false;
}

// Watched pages never get DMI: the window is cut short of them, or refused.
bool GdbServer::allow_dmi(spec::Mode, uint32_t addr, DmiWindow* window) {
  for (const Watch& w : watches_) {
    const uint32_t first = w.addr & ~(kPage - 1);
    const uint64_t end = std::min<uint64_t>(uint64_t{w.addr} + std::max(w.len, 1u) - 1, ~uint32_t{0});  // (past 4 GiB: to the top)
    const uint32_t last = static_cast<uint32_t>(end) | (kPage - 1);
    if (addr >= first && addr <= last) return false;
    if (window->end < first || window->start > last) continue;
    if (addr < first) {
      window->end = first - 1;
    } else {
      window->host += last + 1 - window->start;
      window->start = last + 1;
    }
  }
  return window->end - window->start >= 3;
}

void GdbServer::halt(const std::string& stop_reply, bool notify) {
  last_stop_ = stop_reply;
  if (notify) send(stop_reply);
  // At a watch stop the machine stands before the access. Resumed there, the
  // instruction runs (its accesses unchecked for that one slice: budget 1, as
  // a watchpoint is set), so neither GDB's step over it (its watchpoints
  // removed) nor a raw client's continue with them inserted stops there again.
  const bool at_watch = stop_reply.find("watch:") != std::string::npos;
  const uint32_t stop_pc = core_.hart().pc();
  const auto resume = [&](bool step) {
    stepping_ = step;
    passing_ = at_watch && core_.hart().pc() == stop_pc;
  };
  for (;;) {
    std::string packet;
    if (!read_packet(&packet)) {
      std::fprintf(stderr, "trimode: gdb: debugger gone, running on\n");
      hang_up();
      return;
    }
    switch (handle(packet)) {
      case Resume::kNone: break;
      case Resume::kContinue: resume(false); return;
      case Resume::kStep: resume(true); return;
      case Resume::kDetach:
        std::fprintf(stderr, "trimode: gdb: debugger detached, running on\n");
        hang_up();
        return;
      case Resume::kKill:
        std::fprintf(stderr, "trimode: gdb: killed by the debugger\n");
        hang_up();
        killed_ = true;
        core_.request_stop();
        return;
    }
  }
}

void GdbServer::fatal_stop() {
  if (fd_ >= 0 && !killed_) halt("T0b", true);
}

void GdbServer::finish(int code) {
  if (fd_ < 0) return;
  char reply[8];
  std::snprintf(reply, sizeof reply, "W%02x", code & 0xFF);
  send(reply);
  hang_up();
}

// ---- packets ----------------------------------------------------------------------

GdbServer::Resume GdbServer::handle(const std::string& p) {
  const char cmd = p.empty() ? 0 : p[0];
  const std::string args = p.size() > 1 ? p.substr(1) : "";
  switch (cmd) {
    case '?': send(last_stop_); return Resume::kNone;
    case 'g': send(read_registers()); return Resume::kNone;
    case 'G': {
      for (unsigned i = 0; i <= kPcReg && 8 * (i + 1) <= args.size(); ++i) {
        if (const auto v = rsp::parse_reg_hex(args.substr(8 * i, 8))) write_register(i, *v);
      }
      send("OK");
      return Resume::kNone;
    }
    case 'p': {
      uint32_t v = 0;
      const auto n = rsp::parse_number(args);
      send(n && read_register(*n, &v) ? rsp::reg_hex(v) : "E01");
      return Resume::kNone;
    }
    case 'P': {
      const auto parts = rsp::split(args, "=");
      const auto n = rsp::parse_number(parts[0]);
      const auto v = parts.size() == 2 ? rsp::parse_reg_hex(parts[1]) : std::nullopt;
      send(n && v && write_register(*n, *v) ? "OK" : "E01");
      return Resume::kNone;
    }
    case 'm': send(read_memory(args)); return Resume::kNone;
    case 'M': case 'X': {
      const size_t colon = args.find(':');
      const auto parts = rsp::split(args.substr(0, colon), ",");
      const auto addr = rsp::parse_number(parts[0]);
      if (colon == std::string::npos || parts.size() != 2 || !addr) {
        send("E01");
        return Resume::kNone;
      }
      const std::string data = args.substr(colon + 1);
      const auto bytes = cmd == 'X' ? std::optional(rsp::unescape(data)) : rsp::from_hex(data);
      send(bytes ? write_memory(*addr, *bytes) : "E01");
      return Resume::kNone;
    }
    case 'c': case 's': case 'C': case 'S': {  // C/S carry a signal first ("0b;addr"): nothing to deliver it to
      std::string at = args;
      if (cmd == 'C' || cmd == 'S') {
        const size_t semi = args.find(';');
        at = semi == std::string::npos ? "" : args.substr(semi + 1);
      }
      if (const auto addr = rsp::parse_number(at)) core_.hart().set_pc(*addr);
      return cmd == 'c' || cmd == 'C' ? Resume::kContinue : Resume::kStep;
    }
    case 'D': send("OK"); return Resume::kDetach;
    case 'k': return Resume::kKill;
    case 'Z': case 'z': send(breakpoint(p)); return Resume::kNone;
    case 'H': send("OK"); return Resume::kNone;
    case 'T': send("OK"); return Resume::kNone;
    case 'q':
      if (p.rfind("qSupported", 0) == 0) {
        char features[80];
        std::snprintf(features, sizeof features, "PacketSize=%x;qXfer:features:read+;vContSupported+", kPacketSize);
        send(features);
      } else if (p.rfind("qXfer:features:read:", 0) == 0) {
        send(xfer(p.substr(std::strlen("qXfer:features:read:"))));
      } else if (p == "qAttached") {
        send("1");
      } else if (p == "qC") {
        send("QC1");
      } else if (p == "qfThreadInfo") {
        send("m1");
      } else if (p == "qsThreadInfo") {
        send("l");
      } else if (p.rfind("qRcmd,", 0) == 0) {
        const auto text = rsp::from_hex(p.substr(6));
        send(text ? monitor(std::string(text->begin(), text->end())) : "E01");
      } else {
        send("");
      }
      return Resume::kNone;
    case 'v':
      if (p.rfind("vKill", 0) == 0) {
        send("OK");
        return Resume::kKill;
      }
      if (p == "vCont?") {
        send(rsp::kVContActions);
        return Resume::kNone;
      }
      if (p == "vCont" || p.rfind("vCont;", 0) == 0) {  // the stop reply comes when the machine stops
        const auto action = rsp::vcont_action(p.substr(5));
        if (!action) send("E01");
        return !action ? Resume::kNone : *action == rsp::VContAction::kStep ? Resume::kStep : Resume::kContinue;
      }
      send("");  // any other v packet: not supported
      return Resume::kNone;
    default: send(""); return Resume::kNone;
  }
}

// ---- registers --------------------------------------------------------------------

bool GdbServer::read_register(unsigned n, uint32_t* value) {
  Hart& hart = core_.hart();
  if (n < 32) {
    *value = hart.reg(n);
  } else if (n == kPcReg) {
    *value = hart.pc();
  } else if (n == kModeReg) {
    *value = static_cast<uint32_t>(hart.modes().mode());
  } else if (n - kFirstCsrReg < csrs_.size()) {
    return core_.debug_csr(tlm::TLM_READ_COMMAND, csrs_[n - kFirstCsrReg], value);
  } else {
    return false;
  }
  return true;
}

bool GdbServer::write_register(unsigned n, uint32_t value) {
  Hart& hart = core_.hart();
  if (n < 32) {
    hart.set_reg(n, value);
  } else if (n == kPcReg) {
    hart.set_pc(value);
  } else if (n - kFirstCsrReg < csrs_.size()) {
    const bool ok = core_.debug_csr(tlm::TLM_WRITE_COMMAND, csrs_[n - kFirstCsrReg], &value);
    hart.invalidate_dmi();  // a segment or process bound may have moved
    return ok;
  } else {
    return false;  // `mode` changes only by trap entry and exit
  }
  return true;
}

std::string GdbServer::read_registers() {
  std::string out;
  for (unsigned n = 0; n < kFirstCsrReg + csrs_.size(); ++n) {
    uint32_t v = 0;
    out += read_register(n, &v) ? rsp::reg_hex(v) : "xxxxxxxx";
  }
  return out;
}

// ---- memory -------------------------------------------------------------------------

spec::Mode GdbServer::memory_mode() const {
  return mem_mode_ < 0 ? core_.hart().modes().mode() : static_cast<spec::Mode>(mem_mode_);
}

std::string GdbServer::read_memory(const std::string& args) {
  const auto parts = rsp::split(args, ",");
  const auto addr = rsp::parse_number(parts[0]);
  const auto len = parts.size() == 2 ? rsp::parse_number(parts[1]) : std::nullopt;
  if (!addr || !len) return "E01";
  // At most what one reply packet holds (two hex digits a byte): a longer
  // read is answered short, and GDB asks for the rest (the protocol's rule).
  const auto want = static_cast<unsigned>(std::min<uint64_t>(*len, kMaxRead));
  std::vector<uint8_t> buf(want);
  unsigned done = 0;
  while (done < want) {  // byte by byte past the first failure: a read may straddle a region's end
    const unsigned n = core_.debug_access(tlm::TLM_READ_COMMAND, *addr + done, buf.data() + done, want - done,
                                          memory_mode());
    if (n == 0) break;
    done += n;
  }
  return done || want == 0 ? rsp::to_hex(buf.data(), done) : "E14";
}

std::string GdbServer::write_memory(uint32_t addr, const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> copy = bytes;
  if (copy.empty()) return "OK";
  const unsigned n = core_.debug_access(tlm::TLM_WRITE_COMMAND, addr, copy.data(), copy.size(), memory_mode());
  core_.hart().flush_decode();  // new code, if it was code
  return n == copy.size() ? "OK" : "E14";
}

// ---- breakpoints and watchpoints ------------------------------------------------------

std::string GdbServer::breakpoint(const std::string& p) {
  const bool insert = p[0] == 'Z';
  const auto parts = rsp::split(p.substr(1), ",;");
  if (parts.size() < 3) return "E01";
  const auto type = rsp::parse_number(parts[0]);
  const auto addr = rsp::parse_number(parts[1]);
  const auto len = rsp::parse_number(parts[2]);
  if (!type || !addr || !len) return "E01";
  if (*type == 0 || *type == 1) {  // software and hardware breakpoints alike: by pc
    if (insert && (*addr & 3)) return "E01";  // no pc is ever there (no compressed instructions): GDB says it cannot insert it
    if (insert) {
      breakpoints_.insert(*addr);
    } else {
      breakpoints_.erase(*addr);
    }
    return "OK";
  }
  if (*type > 4) return "";
  const Watch w{*addr, *len, static_cast<WatchKind>(*type)};
  auto same = [&](const Watch& o) { return o.addr == w.addr && o.len == w.len && o.kind == w.kind; };
  if (insert) {
    watches_.push_back(w);
  } else {
    watches_.erase(std::remove_if(watches_.begin(), watches_.end(), same), watches_.end());
  }
  core_.hart().invalidate_dmi();  // windows are granted again, cut around the watched pages
  return "OK";
}

// ---- monitor commands -------------------------------------------------------------------

namespace {

constexpr char kMonitorHelp[] =
    "trimode monitor commands:\n"
    "  stop-on-trap MODES   stop on every trap into MODES (e.g. V, G,U) or 'off'\n"
    "  mem current|U|G|V    the address space of memory reads and writes (default: current mode)\n"
    "  report               the last trap and the last instructions, as a failure report prints them\n"
    "  help                 this list\n";

// A monitor line's words: runs of spaces separate them, and leading or trailing spaces make none.
std::vector<std::string> monitor_words(const std::string& command) {
  std::vector<std::string> words;
  for (std::string& word : rsp::split(command, " ")) {
    if (!word.empty()) words.push_back(std::move(word));
  }
  return words;
}

// The words after the verb, joined by one space ("" when there are none).
std::string monitor_argument(const std::vector<std::string>& words) {
  std::string arg;
  for (size_t i = 1; i < words.size(); ++i) arg += (i > 1 ? " " : "") + words[i];
  return arg;
}

// A command that takes no argument got ARG: throws unless ARG is empty.
void refuse_argument(const std::string& verb, const std::string& arg) {
  if (!arg.empty()) throw std::invalid_argument(verb + ": takes no argument, got '" + arg + "'");
}

}  // namespace

// The reply to `monitor COMMAND` is console output: the command's result; for `help` or an
// empty line, the command list; for an unknown command or a bad, missing or extra argument,
// an "error: " line saying what was wrong, then the list (the command has no effect).
std::string GdbServer::monitor(const std::string& command) {
  const auto words = monitor_words(command);
  std::string out;
  if (words.empty()) {
    out = kMonitorHelp;
  } else {
    try {
      out = monitor_command(words[0], monitor_argument(words));
    } catch (const std::invalid_argument& e) {
      out = std::string("error: ") + e.what() + "\n" + kMonitorHelp;
    }
  }
  send("O" + rsp::to_hex(out));
  return "OK";
}

// One command, VERB with ARG (its words after the verb, "" for none): its output, or
// std::invalid_argument("VERB: what is wrong") without any effect.
std::string GdbServer::monitor_command(const std::string& verb, const std::string& arg) {
  if (verb == "stop-on-trap") {
    if (arg.empty()) throw std::invalid_argument("stop-on-trap: want a mode list (e.g. V, G,U) or 'off'");
    try {
      options_.stop_on_trap = parse_trap_modes(arg);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("stop-on-trap: ") + e.what());
    }
    std::string modes;  // (as parsed, not as typed: "g,,v" says "G, V")
    for (unsigned m = 0; m < 3; ++m)
      if (options_.stop_on_trap >> m & 1) modes += std::string(modes.empty() ? "" : ", ") + "UGV"[m];
    return "stop on traps into: " + (modes.empty() ? std::string("(none)") : modes) + "\n";
  }
  if (verb == "mem") {  // (a mode's letter in either case, as stop-on-trap takes them)
    const std::string a = arg.size() == 1 ? std::string(1, static_cast<char>(std::toupper(arg[0]))) : arg;
    if (a != "current" && a != "U" && a != "G" && a != "V") {
      throw std::invalid_argument("mem: want current, U, G or V, got '" + arg + "'");
    }
    mem_mode_ = a == "current" ? -1 : a == "U" ? 0 : a == "G" ? 1 : 2;
    return "memory accesses as: " + a + "\n";
  }
  if (verb == "report" || verb == "help") {
    refuse_argument(verb, arg);
    return verb == "report" ? core_.failure_report() : kMonitorHelp;
  }
  throw std::invalid_argument("unknown monitor command '" + verb + "'");
}

// ---- target description -------------------------------------------------------------------

std::string GdbServer::target_xml() const {
  std::string x =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
      "<architecture>riscv:rv32</architecture>\n"
      // Bare metal. Without this a GDB whose default OS ABI is GNU/Linux (Debian's
      // gdb-multiarch) single-steps RISC-V in software: a breakpoint at the next pc
      // and a continue, which runs a whole trap handler instead of stopping at the vector.
      "<osabi>none</osabi>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
  for (unsigned i = 0; i < 32; ++i) {
    const std::string name = i == 8 ? "fp" : abi_reg_name(i);
    const char* type = i == 1 ? "code_ptr" : (i >= 2 && i <= 4) ? "data_ptr" : "int";
    x += "  <reg name=\"" + name + "\" bitsize=\"32\" type=\"" + type + "\" regnum=\"" + std::to_string(i) + "\"/>\n";
  }
  x += "  <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"32\"/>\n</feature>\n";
  x += "<feature name=\"org.trimode.modes\">\n";
  x += "  <reg name=\"mode\" bitsize=\"32\" type=\"uint32\" regnum=\"33\" group=\"trimode\"/>\n";
  for (size_t i = 0; i < csrs_.size(); ++i) {
    const char* name = "";
    for (const spec::CsrInfo& c : spec::kCsrs) {
      if (c.number == csrs_[i]) name = c.name;
    }
    x += std::string("  <reg name=\"") + name + "\" bitsize=\"32\" type=\"uint32\" regnum=\"" +
         std::to_string(kFirstCsrReg + i) + "\" group=\"trimode\"/>\n";
  }
  return x + "</feature>\n</target>\n";
}

// "target.xml:OFFSET,LENGTH" -> "m<chunk>" (more follows) or "l<chunk>" (last).
std::string GdbServer::xfer(const std::string& args) const {
  const size_t colon = args.find(':');
  if (colon == std::string::npos || args.substr(0, colon) != "target.xml") return "E00";
  const auto parts = rsp::split(args.substr(colon + 1), ",");
  const auto offset = rsp::parse_number(parts[0]);
  const auto length = parts.size() == 2 ? rsp::parse_number(parts[1]) : std::nullopt;
  if (!offset || !length) return "E00";
  const std::string xml = target_xml();
  if (*offset >= xml.size()) return "l";
  const std::string chunk = xml.substr(*offset, *length);
  return (*offset + chunk.size() < xml.size() ? "m" : "l") + chunk;
}

}  // namespace trimode

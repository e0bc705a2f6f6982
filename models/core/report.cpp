#include "models/core/report.hpp"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "models/core/disasm.hpp"

namespace trimode {

namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

std::string trap_text(bool interrupt, spec::Mode from, spec::Mode to, uint32_t cause, uint32_t pc, uint32_t tval) {
  if (interrupt) {
    return format("interrupt %s -> %s cause %s (0x%x) before pc 0x%08x", mode_name(from), mode_name(to),
                  cause_name(cause), cause, pc);
  }
  return format("trap %s -> %s cause %s (0x%x) at pc 0x%08x tval 0x%08x", mode_name(from), mode_name(to),
                cause_name(cause), cause, pc, tval);
}

}  // namespace

std::string trace_line(const Retired& r, bool disasm) {
  if (r.what != Retired::What::kInsn) {
    std::string line = "-- " + trap_text(r.what == Retired::What::kInterrupt, r.mode, r.target, r.cause, r.pc, r.tval);
    return line + format(" vector 0x%08x", r.vector);
  }
  std::string line = format("%s 0x%08x (0x%08x)", mode_name(r.mode), r.pc, r.insn);
  if (r.rd >= 0) line += format(" x%-2d 0x%08x", r.rd, r.value);
  if (r.access) line += format(" %s 0x%08x", r.access == 's' ? "store" : "load", r.addr);
  if (disasm) line += "  # " + disassemble(r.insn, r.pc);
  return line;
}

std::string where(const Hart& hart) {
  return format("pc 0x%08x in %s", hart.pc(), mode_name(hart.modes().mode()));
}

std::string failure_report(const Hart& hart, const InsnReader& read, unsigned count) {
  const spec::Mode mode = hart.modes().mode();
  std::string out = format("  stopped at pc 0x%08x in %s after %" PRIu64 " instructions\n", hart.pc(),
                           mode_name(mode), hart.instret());
  const FlowHistory::LastTrap& t = hart.history().last_trap();
  if (t.valid) {
    out += "  last " + trap_text(t.interrupt, t.from, t.to, t.cause, t.pc, t.tval) + format(" vector 0x%08x\n", t.vector);
  } else {
    out += "  no trap was taken\n";
  }
  const auto lines = hart.history().reconstruct(hart.pc(), mode, count);
  if (lines.empty()) return out + "  (no instruction history)\n";
  out += "  last instructions, oldest first:\n";
  for (const FlowHistory::Line& l : lines) {
    uint32_t insn = 0;
    const bool known = read && read(l.mode, l.pc, &insn);
    std::string line = format("    %s 0x%08x ", mode_name(l.mode), l.pc);
    if (l.has_event && l.event == FlowHistory::Event::kInterrupt) {
      out += line + format("(interrupt %s (0x%x) taken before it)\n", cause_name(l.cause), l.cause);
      continue;
    }
    line += known ? format("(0x%08x)  %s", insn, disassemble(insn, l.pc).c_str()) : std::string("(unreadable)");
    if (l.has_event && l.event == FlowHistory::Event::kTrap) {
      line += format("   <- trapped: %s (0x%x) tval 0x%08x", cause_name(l.cause), l.cause, l.tval);
      if (l.times > 1) line += format(", %" PRIu64 " times in a row", l.times);
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace trimode

#include "models/core/disasm.hpp"

#include <cstdio>
#include <cstring>
#include <sstream>
#include <vector>

#include "models/classifier/classifier.hpp"
#include "models/core/rv_fields.hpp"
#include "trimode/spec.hpp"

namespace trimode {

namespace {

constexpr const char* kAbiNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
                                       "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                       "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

// One operand of the table's operand list, printed; empty for operands the
// assembler syntax leaves out (fence.i's fields; fence: fence_text).
std::string operand(const std::string& kind, uint32_t insn, uint32_t pc, const char* csr) {
  if (kind == "rd") return abi_reg_name(rv::bits(insn, 11, 7));
  if (kind == "rs1") return abi_reg_name(rv::bits(insn, 19, 15));
  if (kind == "rs2") return abi_reg_name(rv::bits(insn, 24, 20));
  if (kind == "imm12") return std::to_string(rv::i_imm(insn));
  if (kind == "simm12") return std::to_string(rv::s_imm(insn));
  if (kind == "bimm12") return hex(pc + static_cast<uint32_t>(rv::b_imm(insn)));
  if (kind == "jimm20") return hex(pc + static_cast<uint32_t>(rv::j_imm(insn)));
  if (kind == "imm20") return hex(static_cast<uint32_t>(rv::u_imm(insn)) >> 12);
  if (kind == "shamt") return hex(rv::bits(insn, 24, 20));  // (objdump prints a shift amount in hex)
  if (kind == "zimm") return std::to_string(rv::bits(insn, 19, 15));
  if (kind == "csr") return csr ? csr : hex(insn >> 20);
  return "";
}

// A fence's ordering set as objdump prints it: i, o, r, w (bits 3..0), "unknown" for none.
std::string fence_set(uint32_t bits) {
  std::string set;
  for (unsigned b = 4; b-- > 0;)
    if (bits >> b & 1) set += "iorw"[3 - b];
  return set.empty() ? "unknown" : set;
}

// fence as objdump -M no-aliases prints it: its predecessor and successor
// sets, or fence.tso (fm 1000 with rw,rw).
std::string fence_text(uint32_t insn) {
  const uint32_t fm = rv::bits(insn, 31, 28), pred = rv::bits(insn, 27, 24), succ = rv::bits(insn, 23, 20);
  if (fm == 0x8 && pred == 0x3 && succ == 0x3) return "fence.tso";
  return "fence " + fence_set(pred) + ", " + fence_set(succ);
}

// A Zicsr instruction on a CSR outside the table (a program written for
// M-mode: mtvec, mhartid), as objdump -M no-aliases prints it.
std::string csr_text(uint32_t insn) {
  static constexpr const char* kNames[8] = {"", "csrrw", "csrrs", "csrrc", "", "csrrwi", "csrrsi", "csrrci"};
  const uint32_t funct3 = rv::bits(insn, 14, 12), src = rv::bits(insn, 19, 15);
  const char* csr = standard_csr_name(insn >> 20);
  return std::string(kNames[funct3]) + " " + abi_reg_name(rv::bits(insn, 11, 7)) + ", " + (csr ? csr : hex(insn >> 20)) +
         ", " + (funct3 >= 5 ? std::to_string(src) : abi_reg_name(src));
}

}  // namespace

// The standard CSRs a program written for QEMU or Spike (M-mode) reaches for first.
const char* standard_csr_name(uint32_t number) {
  switch (number) {
    case 0x100: return "sstatus";
    case 0x105: return "stvec";
    case 0x180: return "satp";
    case 0x300: return "mstatus";
    case 0x301: return "misa";
    case 0x302: return "medeleg";
    case 0x303: return "mideleg";
    case 0x304: return "mie";
    case 0x305: return "mtvec";
    case 0x340: return "mscratch";
    case 0x341: return "mepc";
    case 0x342: return "mcause";
    case 0x343: return "mtval";
    case 0x344: return "mip";
    case 0x3A0: return "pmpcfg0";
    case 0x3B0: return "pmpaddr0";
    case 0xF11: return "mvendorid";
    case 0xF12: return "marchid";
    case 0xF13: return "mimpid";
    case 0xF14: return "mhartid";
    default: return nullptr;
  }
}

bool is_csr_instruction(uint32_t insn) {
  const uint32_t funct3 = rv::bits(insn, 14, 12);
  return rv::bits(insn, 6, 0) == 0x73 && funct3 != 0 && funct3 != 4;
}

const char* abi_reg_name(unsigned i) { return kAbiNames[i & 31]; }

std::string disassemble(uint32_t insn, uint32_t pc) {
  const uint16_t row = match_row(insn);
  if (row == kNoRow) return is_csr_instruction(insn) ? csr_text(insn) : "unknown " + hex(insn);
  const spec::Row& r = spec::kRows[row];
  std::vector<std::string> kinds;
  std::istringstream in(spec::kRowOperands[row]);
  for (std::string k; in >> k;) kinds.push_back(k);
  if (std::strcmp(r.base, "fence") == 0) return fence_text(insn);
  if (std::strncmp(r.base, "fence", 5) == 0) kinds.clear();  // fence.i: its fields are ignored (see spec/opcodes.txt)
  std::vector<std::string> ops;
  for (const std::string& k : kinds) ops.push_back(operand(k, insn, pc, spec::kRowCsr[row]));
  const bool has_offset = kinds.size() == 3 && (kinds[2] == "imm12" || kinds[2] == "simm12");
  const uint32_t major = rv::bits(insn, 6, 0);
  std::string text = r.base;
  if (has_offset && (major == 0x03 || major == 0x23 || major == 0x67)) {
    // loads, stores, jalr: "rd, imm(rs1)" / "rs2, imm(rs1)"
    const std::string& data = major == 0x23 ? ops[1] : ops[0];
    const std::string& base = major == 0x23 ? ops[0] : ops[1];
    return text + " " + data + ", " + ops[2] + "(" + base + ")";
  }
  if (kinds.size() == 3 && kinds[2] == "csr") std::swap(ops[1], ops[2]);  // csrrw rd, csr, rs1
  for (size_t i = 0; i < ops.size(); ++i) text += (i ? ", " : " ") + ops[i];
  return text;
}

}  // namespace trimode

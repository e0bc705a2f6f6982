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
  if (kind == "shamt") return std::to_string(rv::bits(insn, 24, 20));
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

}  // namespace

const char* abi_reg_name(unsigned i) { return kAbiNames[i & 31]; }

std::string disassemble(uint32_t insn, uint32_t pc) {
  const uint16_t row = match_row(insn);
  if (row == kNoRow) return "unknown " + hex(insn);
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

// A tiny RV32 encoder for tests, written from the ISA manual's formats
// independently of spec/opcodes.txt, so the tests also check the table.
#pragma once

#include <cstdint>

namespace trimode::test::rv {

constexpr uint32_t r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr uint32_t i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  return (static_cast<uint32_t>(imm) & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
constexpr uint32_t s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t op) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (u >> 5 & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1F) << 7 | op;
}
constexpr uint32_t b(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (u >> 12 & 1) << 31 | (u >> 5 & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u >> 1 & 0xF) << 8 |
         (u >> 11 & 1) << 7 | 0x63;
}
constexpr uint32_t u(uint32_t imm20, uint32_t rd, uint32_t op) { return imm20 << 12 | rd << 7 | op; }
constexpr uint32_t j(int32_t imm, uint32_t rd) {
  const uint32_t v = static_cast<uint32_t>(imm);
  return (v >> 20 & 1) << 31 | (v >> 1 & 0x3FF) << 21 | (v >> 11 & 1) << 20 | (v >> 12 & 0xFF) << 12 | rd << 7 | 0x6F;
}

constexpr uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm) { return i(imm, rs1, 0, rd, 0x13); }
constexpr uint32_t lui(uint32_t rd, uint32_t imm20) { return u(imm20, rd, 0x37); }
constexpr uint32_t add(uint32_t rd, uint32_t rs1, uint32_t rs2) { return r(0, rs2, rs1, 0, rd, 0x33); }
constexpr uint32_t lw(uint32_t rd, uint32_t rs1, int32_t imm) { return i(imm, rs1, 2, rd, 0x03); }
constexpr uint32_t sw(uint32_t rs2, uint32_t rs1, int32_t imm) { return s(imm, rs2, rs1, 2, 0x23); }
constexpr uint32_t csrrw(uint32_t rd, uint32_t csr, uint32_t rs1) { return i(static_cast<int32_t>(csr), rs1, 1, rd, 0x73); }
constexpr uint32_t csrrs(uint32_t rd, uint32_t csr, uint32_t rs1) { return i(static_cast<int32_t>(csr), rs1, 2, rd, 0x73); }
constexpr uint32_t csrrc(uint32_t rd, uint32_t csr, uint32_t rs1) { return i(static_cast<int32_t>(csr), rs1, 3, rd, 0x73); }
// The immediate forms: uimm (0..31) in the rs1 field.
constexpr uint32_t csrrwi(uint32_t rd, uint32_t csr, uint32_t uimm) { return i(static_cast<int32_t>(csr), uimm, 5, rd, 0x73); }
constexpr uint32_t csrrsi(uint32_t rd, uint32_t csr, uint32_t uimm) { return i(static_cast<int32_t>(csr), uimm, 6, rd, 0x73); }
constexpr uint32_t kEcall = 0x00000073;
constexpr uint32_t kEbreak = 0x00100073;
constexpr uint32_t kVcall = 0x00200073;
constexpr uint32_t kExit = 0x30200073;
constexpr uint32_t kWfi = 0x10500073;
constexpr uint32_t kFenceI = 0x0000100F;
constexpr uint32_t kNop = 0x00000013;

}  // namespace trimode::test::rv

/*
 * rv32i_alu: lui, auipc, every RV32I register-register and register-immediate
 * ALU instruction (add addi sub xor xori or ori and andi sll slli srl srli
 * sra srai slt slti sltu sltiu) with their edge cases: carries and signed
 * overflow wrap, 12-bit immediates at both ends and sign-extended, shifts by
 * 0 and 31 and by register amounts whose upper bits must be ignored, signed
 * vs unsigned compares with negatives, rd == rs1 == rs2, writes to x0.
 * Expected values were computed by a reference model of the ISA manual.
 */
#include <stdint.h>

#include "check.h"

static uint32_t lui_value(void) {
  uint32_t a, b, c, d;
  __asm__ volatile(
      "lui %0, 0\n\t"
      "lui %1, 0xfffff\n\t"
      "lui %2, 0x80000\n\t"
      "lui %3, 0x12345\n\t"
      : "=r"(a), "=r"(b), "=r"(c), "=r"(d));
  return a ^ (b >> 12) ^ c ^ d;  /* 0 ^ 0xfffff ^ 0x80000000 ^ 0x12345000 */
}

int main(void) {
  check_group("lui");
  CHECK(({ uint32_t r; __asm__ volatile("lui %0, 0" : "=r"(r)); r; }), 0);
  CHECK(({ uint32_t r; __asm__ volatile("lui %0, 0xfffff" : "=r"(r)); r; }), 0xfffff000);
  CHECK(({ uint32_t r; __asm__ volatile("lui %0, 0x80000" : "=r"(r)); r; }), 0x80000000);
  CHECK(({ uint32_t r; __asm__ volatile("lui %0, 0x12345" : "=r"(r)); r; }), 0x12345000);
  CHECK(lui_value(), 0x000fffffu ^ 0x80000000u ^ 0x12345000u);

  check_group("auipc");
  /* auipc 0 gives its own address; auipc 1 four bytes later gives pc+0x1000. */
  CHECK(({
          uint32_t r, here;
          __asm__ volatile("1: auipc %0, 0\n\t la %1, 1b" : "=r"(r), "=r"(here));
          r - here;
        }),
        0);
  CHECK(({
          uint32_t a, b;
          __asm__ volatile("auipc %0, 0\n\t auipc %1, 1" : "=r"(a), "=r"(b));
          b - a;
        }),
        0x1004);
  CHECK(({
          uint32_t a, b;
          __asm__ volatile("auipc %0, 0\n\t auipc %1, 0xfffff" : "=r"(a), "=r"(b));
          b - a;
        }),
        0xfffff004);
  CHECK(({ uint32_t r; __asm__ volatile("auipc %0, 0" : "=r"(r)); r >> 28; }), 0x8);

  check_group("add/addi");
  CHECK(RR(add, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(add, 0x00000001, 0x00000001), 0x00000002);
  CHECK(RR(add, 0x00000003, 0x00000007), 0x0000000a);
  CHECK(RR(add, 0xffffffff, 0x00000001), 0x00000000);
  CHECK(RR(add, 0x7fffffff, 0x00000001), 0x80000000);
  CHECK(RR(add, 0x80000000, 0x80000000), 0x00000000);
  CHECK(RR(add, 0xffff8000, 0x00007fff), 0xffffffff);
  CHECK(RI(addi, 0x00000000, 0), 0x00000000);
  CHECK(RI(addi, 0x00000001, 1), 0x00000002);
  CHECK(RI(addi, 0x00000003, 7), 0x0000000a);
  CHECK(RI(addi, 0x00000000, -1), 0xffffffff);
  CHECK(RI(addi, 0x7fffffff, 1), 0x80000000);
  CHECK(RI(addi, 0x80000000, -1), 0x7fffffff);
  CHECK(RI(addi, 0x00000000, 2047), 0x000007ff);
  CHECK(RI(addi, 0x00000000, -2048), 0xfffff800);
  CHECK(RI(addi, 0x7ffff800, -2048), 0x7ffff000);

  check_group("sub");
  CHECK(RR(sub, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(sub, 0x00000001, 0x00000001), 0x00000000);
  CHECK(RR(sub, 0x00000003, 0x00000007), 0xfffffffc);
  CHECK(RR(sub, 0x00000000, 0x00000001), 0xffffffff);
  CHECK(RR(sub, 0x80000000, 0x00000001), 0x7fffffff);
  CHECK(RR(sub, 0x7fffffff, 0xffffffff), 0x80000000);
  CHECK(RR(sub, 0xffff8000, 0x00007fff), 0xffff0001);

  check_group("logic");
  CHECK(RR(xor, 0xff00ff00, 0x0ff00ff0), 0xf0f0f0f0);
  CHECK(RR(xor, 0x00ff00ff, 0xf00ff00f), 0xf0f0f0f0);
  CHECK(RR(xor, 0x00000000, 0xffffffff), 0xffffffff);
  CHECK(RR(xor, 0xffffffff, 0xffffffff), 0x00000000);
  CHECK(RR(or, 0xff00ff00, 0x0ff00ff0), 0xfff0fff0);
  CHECK(RR(or, 0x00ff00ff, 0xf00ff00f), 0xf0fff0ff);
  CHECK(RR(or, 0x00000000, 0xffffffff), 0xffffffff);
  CHECK(RR(or, 0xffffffff, 0xffffffff), 0xffffffff);
  CHECK(RR(and, 0xff00ff00, 0x0ff00ff0), 0x0f000f00);
  CHECK(RR(and, 0x00ff00ff, 0xf00ff00f), 0x000f000f);
  CHECK(RR(and, 0x00000000, 0xffffffff), 0x00000000);
  CHECK(RR(and, 0xffffffff, 0xffffffff), 0xffffffff);
  CHECK(RI(xori, 0xff00ff00, 240), 0xff00fff0);
  CHECK(RI(xori, 0x00ff00ff, -241), 0xff00fff0);
  CHECK(RI(xori, 0x12345678, -1), 0xedcba987);
  CHECK(RI(xori, 0x12345678, 0), 0x12345678);
  CHECK(RI(xori, 0x12345678, 2047), 0x12345187);
  CHECK(RI(xori, 0x12345678, -2048), 0xedcbae78);
  CHECK(RI(ori, 0xff00ff00, 240), 0xff00fff0);
  CHECK(RI(ori, 0x00ff00ff, -241), 0xffffffff);
  CHECK(RI(ori, 0x12345678, -1), 0xffffffff);
  CHECK(RI(ori, 0x12345678, 0), 0x12345678);
  CHECK(RI(ori, 0x12345678, 2047), 0x123457ff);
  CHECK(RI(ori, 0x12345678, -2048), 0xfffffe78);
  CHECK(RI(andi, 0xff00ff00, 240), 0x00000000);
  CHECK(RI(andi, 0x00ff00ff, -241), 0x00ff000f);
  CHECK(RI(andi, 0x12345678, -1), 0x12345678);
  CHECK(RI(andi, 0x12345678, 0), 0x00000000);
  CHECK(RI(andi, 0x12345678, 2047), 0x00000678);
  CHECK(RI(andi, 0x12345678, -2048), 0x12345000);

  check_group("shifts");
  CHECK(RR(sll, 0x80000001, 0x00000000), 0x80000001);
  CHECK(RR(sll, 0x80000001, 0x00000001), 0x00000002);
  CHECK(RR(sll, 0x80000001, 0x0000001f), 0x80000000);
  CHECK(RR(sll, 0x21212121, 0x0000000e), 0x48484000);
  CHECK(RR(sll, 0x81818181, 0x00000007), 0xc0c0c080);
  CHECK(RR(sll, 0x81818181, 0x00000020), 0x81818181);
  CHECK(RR(sll, 0x81818181, 0x00000021), 0x03030302);
  CHECK(RR(sll, 0x81818181, 0xffffffe1), 0x03030302);
  CHECK(RR(srl, 0x80000001, 0x00000000), 0x80000001);
  CHECK(RR(srl, 0x80000001, 0x00000001), 0x40000000);
  CHECK(RR(srl, 0x80000001, 0x0000001f), 0x00000001);
  CHECK(RR(srl, 0x21212121, 0x0000000e), 0x00008484);
  CHECK(RR(srl, 0x81818181, 0x00000007), 0x01030303);
  CHECK(RR(srl, 0x81818181, 0x00000020), 0x81818181);
  CHECK(RR(srl, 0x81818181, 0x00000021), 0x40c0c0c0);
  CHECK(RR(srl, 0x81818181, 0xffffffe1), 0x40c0c0c0);
  CHECK(RR(sra, 0x80000001, 0x00000000), 0x80000001);
  CHECK(RR(sra, 0x80000001, 0x00000001), 0xc0000000);
  CHECK(RR(sra, 0x80000001, 0x0000001f), 0xffffffff);
  CHECK(RR(sra, 0x21212121, 0x0000000e), 0x00008484);
  CHECK(RR(sra, 0x81818181, 0x00000007), 0xff030303);
  CHECK(RR(sra, 0x81818181, 0x00000020), 0x81818181);
  CHECK(RR(sra, 0x81818181, 0x00000021), 0xc0c0c0c0);
  CHECK(RR(sra, 0x81818181, 0xffffffe1), 0xc0c0c0c0);
  CHECK(RI(slli, 0x80000001, 0), 0x80000001);
  CHECK(RI(slli, 0x80000001, 1), 0x00000002);
  CHECK(RI(slli, 0x80000001, 31), 0x80000000);
  CHECK(RI(slli, 0x21212121, 14), 0x48484000);
  CHECK(RI(slli, 0x81818181, 7), 0xc0c0c080);
  CHECK(RI(srli, 0x80000001, 0), 0x80000001);
  CHECK(RI(srli, 0x80000001, 1), 0x40000000);
  CHECK(RI(srli, 0x80000001, 31), 0x00000001);
  CHECK(RI(srli, 0x21212121, 14), 0x00008484);
  CHECK(RI(srli, 0x81818181, 7), 0x01030303);
  CHECK(RI(srai, 0x80000001, 0), 0x80000001);
  CHECK(RI(srai, 0x80000001, 1), 0xc0000000);
  CHECK(RI(srai, 0x80000001, 31), 0xffffffff);
  CHECK(RI(srai, 0x21212121, 14), 0x00008484);
  CHECK(RI(srai, 0x81818181, 7), 0xff030303);

  check_group("compare");
  CHECK(RR(slt, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(slt, 0x00000000, 0x00000001), 0x00000001);
  CHECK(RR(slt, 0x00000001, 0x00000000), 0x00000000);
  CHECK(RR(slt, 0xffffffff, 0x00000001), 0x00000001);
  CHECK(RR(slt, 0x00000001, 0xffffffff), 0x00000000);
  CHECK(RR(slt, 0x80000000, 0x7fffffff), 0x00000001);
  CHECK(RR(slt, 0x7fffffff, 0x80000000), 0x00000000);
  CHECK(RR(slt, 0x80000000, 0x80000000), 0x00000000);
  CHECK(RR(slt, 0xffffffff, 0xfffffffe), 0x00000000);
  CHECK(RR(sltu, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(sltu, 0x00000000, 0x00000001), 0x00000001);
  CHECK(RR(sltu, 0x00000001, 0x00000000), 0x00000000);
  CHECK(RR(sltu, 0xffffffff, 0x00000001), 0x00000000);
  CHECK(RR(sltu, 0x00000001, 0xffffffff), 0x00000001);
  CHECK(RR(sltu, 0x80000000, 0x7fffffff), 0x00000000);
  CHECK(RR(sltu, 0x7fffffff, 0x80000000), 0x00000001);
  CHECK(RR(sltu, 0x80000000, 0x80000000), 0x00000000);
  CHECK(RR(sltu, 0xffffffff, 0xfffffffe), 0x00000000);
  CHECK(RI(slti, 0x00000000, 0), 0x00000000);
  CHECK(RI(slti, 0x00000000, 1), 0x00000001);
  CHECK(RI(slti, 0x00000001, 0), 0x00000000);
  CHECK(RI(slti, 0xffffffff, 1), 0x00000001);
  CHECK(RI(slti, 0x00000001, -1), 0x00000000);
  CHECK(RI(slti, 0x00000000, -1), 0x00000000);
  CHECK(RI(slti, 0xffffffff, -1), 0x00000000);
  CHECK(RI(slti, 0x80000000, -2048), 0x00000001);
  CHECK(RI(slti, 0x7fffffff, 2047), 0x00000000);
  CHECK(RI(slti, 0xfffff800, -2048), 0x00000000);
  CHECK(RI(sltiu, 0x00000000, 0), 0x00000000);
  CHECK(RI(sltiu, 0x00000000, 1), 0x00000001);
  CHECK(RI(sltiu, 0x00000001, 0), 0x00000000);
  CHECK(RI(sltiu, 0xffffffff, 1), 0x00000000);
  CHECK(RI(sltiu, 0x00000001, -1), 0x00000001);
  CHECK(RI(sltiu, 0x00000000, -1), 0x00000001);
  CHECK(RI(sltiu, 0xffffffff, -1), 0x00000000);
  CHECK(RI(sltiu, 0x80000000, -2048), 0x00000001);
  CHECK(RI(sltiu, 0x7fffffff, 2047), 0x00000000);
  CHECK(RI(sltiu, 0xfffff800, -2048), 0x00000000);

  check_group("rd=rs1=rs2");
  CHECK(RR_SAME(add, 0x40000001), 0x80000002);
  CHECK(RR_SAME(sub, 0x12345678), 0);
  CHECK(RR_SAME(xor, 0x12345678), 0);
  CHECK(RR_SAME(and, 0x12345678), 0x12345678);
  CHECK(RR_SAME(sll, 0x00000003), 0x00000018);
  CHECK(RR_SAME(slt, 0xffffffff), 0);
  CHECK(RR_SAME(sltu, 0x00000001), 0);

  check_group("x0");
  /* Writes to x0 are dropped; x0 reads as 0 even right after one. */
  CHECK(({
          uint32_t r;
          __asm__ volatile("addi x0, x0, 5\n\t mv %0, x0" : "=r"(r));
          r;
        }),
        0);
  CHECK(({
          uint32_t r;
          __asm__ volatile("lui x0, 0xfffff\n\t addi %0, x0, 0" : "=r"(r));
          r;
        }),
        0);
  CHECK(({
          uint32_t r;
          __asm__ volatile("auipc x0, 1\n\t add %0, x0, x0" : "=r"(r));
          r;
        }),
        0);
  CHECK(({
          uint32_t r, v = 0x11111111;
          __asm__ volatile("add x0, %1, %1\n\t or %0, x0, x0" : "=r"(r) : "r"(v));
          r;
        }),
        0);
  CHECK(({
          uint32_t r, v = 0x11111111;
          __asm__ volatile("sltiu x0, %1, -1\n\t xor %0, x0, x0" : "=r"(r) : "r"(v));
          r;
        }),
        0);
  CHECK(RR(add, 0, 0), 0);
  CHECK(({
          uint32_t r;
          __asm__ volatile("addi %0, x0, -1" : "=r"(r));
          r;
        }),
        0xffffffff);

  return check_done();
}

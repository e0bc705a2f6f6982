/*
 * rv32m_muldiv: every RV32M instruction. mul (low word) and the three upper
 * halves (mulh signed x signed, mulhsu signed x unsigned, mulhu unsigned x
 * unsigned) on operands with each sign combination and INT_MIN; div divu rem
 * remu rounding towards zero with every sign combination, division by zero
 * (quotient all ones, remainder = dividend, no trap) and the one signed
 * overflow INT_MIN / -1 (quotient INT_MIN, remainder 0). Also the fused
 * sequence GCC emits (div then rem of the same operands) and rd == rs1 == rs2.
 * Expected values were computed by a reference model of the ISA manual.
 */
#include <stdint.h>

#include "check.h"

int main(void) {

  check_group("mul");
  CHECK(RR(mul, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(mul, 0x00000001, 0x00000001), 0x00000001);
  CHECK(RR(mul, 0x00000003, 0x00000007), 0x00000015);
  CHECK(RR(mul, 0x00000007, 0xffffffff), 0xfffffff9);
  CHECK(RR(mul, 0xffffffff, 0xffffffff), 0x00000001);
  CHECK(RR(mul, 0x80000000, 0x80000000), 0x00000000);
  CHECK(RR(mul, 0x80000000, 0xffffffff), 0x80000000);
  CHECK(RR(mul, 0x80000000, 0x00000001), 0x80000000);
  CHECK(RR(mul, 0x7fffffff, 0x7fffffff), 0x00000001);
  CHECK(RR(mul, 0x7fffffff, 0x80000000), 0x80000000);
  CHECK(RR(mul, 0xaaaaaaab, 0x0002fe7d), 0x0000ff7f);
  CHECK(RR(mul, 0xffff0000, 0x00010000), 0x00000000);

  check_group("mulh");
  CHECK(RR(mulh, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(mulh, 0x00000001, 0x00000001), 0x00000000);
  CHECK(RR(mulh, 0x00000003, 0x00000007), 0x00000000);
  CHECK(RR(mulh, 0x00000007, 0xffffffff), 0xffffffff);
  CHECK(RR(mulh, 0xffffffff, 0xffffffff), 0x00000000);
  CHECK(RR(mulh, 0x80000000, 0x80000000), 0x40000000);
  CHECK(RR(mulh, 0x80000000, 0xffffffff), 0x00000000);
  CHECK(RR(mulh, 0x80000000, 0x00000001), 0xffffffff);
  CHECK(RR(mulh, 0x7fffffff, 0x7fffffff), 0x3fffffff);
  CHECK(RR(mulh, 0x7fffffff, 0x80000000), 0xc0000000);
  CHECK(RR(mulh, 0xaaaaaaab, 0x0002fe7d), 0xffff0081);
  CHECK(RR(mulh, 0xffff0000, 0x00010000), 0xffffffff);

  check_group("mulhsu");
  CHECK(RR(mulhsu, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(mulhsu, 0x00000001, 0x00000001), 0x00000000);
  CHECK(RR(mulhsu, 0x00000003, 0x00000007), 0x00000000);
  CHECK(RR(mulhsu, 0x00000007, 0xffffffff), 0x00000006);
  CHECK(RR(mulhsu, 0xffffffff, 0xffffffff), 0xffffffff);
  CHECK(RR(mulhsu, 0x80000000, 0x80000000), 0xc0000000);
  CHECK(RR(mulhsu, 0x80000000, 0xffffffff), 0x80000000);
  CHECK(RR(mulhsu, 0x80000000, 0x00000001), 0xffffffff);
  CHECK(RR(mulhsu, 0x7fffffff, 0x7fffffff), 0x3fffffff);
  CHECK(RR(mulhsu, 0x7fffffff, 0x80000000), 0x3fffffff);
  CHECK(RR(mulhsu, 0xaaaaaaab, 0x0002fe7d), 0xffff0081);
  CHECK(RR(mulhsu, 0xffff0000, 0x00010000), 0xffffffff);

  check_group("mulhu");
  CHECK(RR(mulhu, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(mulhu, 0x00000001, 0x00000001), 0x00000000);
  CHECK(RR(mulhu, 0x00000003, 0x00000007), 0x00000000);
  CHECK(RR(mulhu, 0x00000007, 0xffffffff), 0x00000006);
  CHECK(RR(mulhu, 0xffffffff, 0xffffffff), 0xfffffffe);
  CHECK(RR(mulhu, 0x80000000, 0x80000000), 0x40000000);
  CHECK(RR(mulhu, 0x80000000, 0xffffffff), 0x7fffffff);
  CHECK(RR(mulhu, 0x80000000, 0x00000001), 0x00000000);
  CHECK(RR(mulhu, 0x7fffffff, 0x7fffffff), 0x3fffffff);
  CHECK(RR(mulhu, 0x7fffffff, 0x80000000), 0x3fffffff);
  CHECK(RR(mulhu, 0xaaaaaaab, 0x0002fe7d), 0x0001fefe);
  CHECK(RR(mulhu, 0xffff0000, 0x00010000), 0x0000ffff);

  check_group("div");
  CHECK(RR(div, 0x00000014, 0x00000006), 0x00000003);
  CHECK(RR(div, 0xffffffec, 0x00000006), 0xfffffffd);
  CHECK(RR(div, 0x00000014, 0xfffffffa), 0xfffffffd);
  CHECK(RR(div, 0xffffffec, 0xfffffffa), 0x00000003);
  CHECK(RR(div, 0x00000007, 0x00000002), 0x00000003);
  CHECK(RR(div, 0xfffffff9, 0x00000002), 0xfffffffd);
  CHECK(RR(div, 0x00000007, 0xfffffffe), 0xfffffffd);
  CHECK(RR(div, 0x00000000, 0x00000005), 0x00000000);
  CHECK(RR(div, 0x00000005, 0x00000005), 0x00000001);
  CHECK(RR(div, 0x00000001, 0xffffffff), 0xffffffff);
  CHECK(RR(div, 0x80000000, 0x00000001), 0x80000000);
  CHECK(RR(div, 0x80000000, 0xffffffff), 0x80000000);
  CHECK(RR(div, 0x80000000, 0x00000002), 0xc0000000);
  CHECK(RR(div, 0xffffffff, 0x80000000), 0x00000000);
  CHECK(RR(div, 0x00000000, 0x00000000), 0xffffffff);
  CHECK(RR(div, 0x00000001, 0x00000000), 0xffffffff);
  CHECK(RR(div, 0xffffffff, 0x00000000), 0xffffffff);
  CHECK(RR(div, 0x80000000, 0x00000000), 0xffffffff);
  CHECK(RR(div, 0x7fffffff, 0x00000000), 0xffffffff);

  check_group("divu");
  CHECK(RR(divu, 0x00000014, 0x00000006), 0x00000003);
  CHECK(RR(divu, 0xffffffec, 0x00000006), 0x2aaaaaa7);
  CHECK(RR(divu, 0x00000014, 0xfffffffa), 0x00000000);
  CHECK(RR(divu, 0xffffffec, 0xfffffffa), 0x00000000);
  CHECK(RR(divu, 0x00000007, 0x00000002), 0x00000003);
  CHECK(RR(divu, 0xfffffff9, 0x00000002), 0x7ffffffc);
  CHECK(RR(divu, 0x00000007, 0xfffffffe), 0x00000000);
  CHECK(RR(divu, 0x00000000, 0x00000005), 0x00000000);
  CHECK(RR(divu, 0x00000005, 0x00000005), 0x00000001);
  CHECK(RR(divu, 0x00000001, 0xffffffff), 0x00000000);
  CHECK(RR(divu, 0x80000000, 0x00000001), 0x80000000);
  CHECK(RR(divu, 0x80000000, 0xffffffff), 0x00000000);
  CHECK(RR(divu, 0x80000000, 0x00000002), 0x40000000);
  CHECK(RR(divu, 0xffffffff, 0x80000000), 0x00000001);
  CHECK(RR(divu, 0x00000000, 0x00000000), 0xffffffff);
  CHECK(RR(divu, 0x00000001, 0x00000000), 0xffffffff);
  CHECK(RR(divu, 0xffffffff, 0x00000000), 0xffffffff);
  CHECK(RR(divu, 0x80000000, 0x00000000), 0xffffffff);
  CHECK(RR(divu, 0x7fffffff, 0x00000000), 0xffffffff);

  check_group("rem");
  CHECK(RR(rem, 0x00000014, 0x00000006), 0x00000002);
  CHECK(RR(rem, 0xffffffec, 0x00000006), 0xfffffffe);
  CHECK(RR(rem, 0x00000014, 0xfffffffa), 0x00000002);
  CHECK(RR(rem, 0xffffffec, 0xfffffffa), 0xfffffffe);
  CHECK(RR(rem, 0x00000007, 0x00000002), 0x00000001);
  CHECK(RR(rem, 0xfffffff9, 0x00000002), 0xffffffff);
  CHECK(RR(rem, 0x00000007, 0xfffffffe), 0x00000001);
  CHECK(RR(rem, 0x00000000, 0x00000005), 0x00000000);
  CHECK(RR(rem, 0x00000005, 0x00000005), 0x00000000);
  CHECK(RR(rem, 0x00000001, 0xffffffff), 0x00000000);
  CHECK(RR(rem, 0x80000000, 0x00000001), 0x00000000);
  CHECK(RR(rem, 0x80000000, 0xffffffff), 0x00000000);
  CHECK(RR(rem, 0x80000000, 0x00000002), 0x00000000);
  CHECK(RR(rem, 0xffffffff, 0x80000000), 0xffffffff);
  CHECK(RR(rem, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(rem, 0x00000001, 0x00000000), 0x00000001);
  CHECK(RR(rem, 0xffffffff, 0x00000000), 0xffffffff);
  CHECK(RR(rem, 0x80000000, 0x00000000), 0x80000000);
  CHECK(RR(rem, 0x7fffffff, 0x00000000), 0x7fffffff);

  check_group("remu");
  CHECK(RR(remu, 0x00000014, 0x00000006), 0x00000002);
  CHECK(RR(remu, 0xffffffec, 0x00000006), 0x00000002);
  CHECK(RR(remu, 0x00000014, 0xfffffffa), 0x00000014);
  CHECK(RR(remu, 0xffffffec, 0xfffffffa), 0xffffffec);
  CHECK(RR(remu, 0x00000007, 0x00000002), 0x00000001);
  CHECK(RR(remu, 0xfffffff9, 0x00000002), 0x00000001);
  CHECK(RR(remu, 0x00000007, 0xfffffffe), 0x00000007);
  CHECK(RR(remu, 0x00000000, 0x00000005), 0x00000000);
  CHECK(RR(remu, 0x00000005, 0x00000005), 0x00000000);
  CHECK(RR(remu, 0x00000001, 0xffffffff), 0x00000001);
  CHECK(RR(remu, 0x80000000, 0x00000001), 0x00000000);
  CHECK(RR(remu, 0x80000000, 0xffffffff), 0x80000000);
  CHECK(RR(remu, 0x80000000, 0x00000002), 0x00000000);
  CHECK(RR(remu, 0xffffffff, 0x80000000), 0x7fffffff);
  CHECK(RR(remu, 0x00000000, 0x00000000), 0x00000000);
  CHECK(RR(remu, 0x00000001, 0x00000000), 0x00000001);
  CHECK(RR(remu, 0xffffffff, 0x00000000), 0xffffffff);
  CHECK(RR(remu, 0x80000000, 0x00000000), 0x80000000);
  CHECK(RR(remu, 0x7fffffff, 0x00000000), 0x7fffffff);

  check_group("div+rem pair");
  CHECK(({
          uint32_t q, r;
          __asm__ volatile("div %0, %2, %3\n\t rem %1, %2, %3"
                           : "=&r"(q), "=&r"(r)
                           : "r"(-7), "r"(2));
          q * 2 + r;
        }),
        0xfffffff9);

  check_group("rd=rs1=rs2");
  CHECK(RR_SAME(mul, 0x00010001), 0x00020001);
  CHECK(RR_SAME(mulhu, 0xffffffff), 0xfffffffe);
  CHECK(RR_SAME(div, 0x80000000), 1);
  CHECK(RR_SAME(remu, 0x12345678), 0);
  CHECK(RR_SAME(divu, 0), 0xffffffff);

  return check_done();
}

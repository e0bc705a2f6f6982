// The GDB remote protocol's framing and encodings (tlm/debug/rsp.hpp).
#include <gtest/gtest.h>

#include "tlm/debug/rsp.hpp"

namespace trimode::rsp {
namespace {

TEST(Rsp, FramesWithTheModulo256Checksum) {
  EXPECT_EQ(frame("OK"), "$OK#9a");  // 'O' 0x4f + 'K' 0x4b = 0x9a
  EXPECT_EQ(frame(""), "$#00");
  EXPECT_EQ(checksum("qSupported"), 0x37);
}

TEST(Rsp, RegistersAreLittleEndianHex) {
  EXPECT_EQ(reg_hex(0x80000050), "50000080");
  EXPECT_EQ(parse_reg_hex("50000080"), 0x80000050u);
  EXPECT_FALSE(parse_reg_hex("5000008"));
  EXPECT_FALSE(parse_reg_hex("5000008g"));
}

TEST(Rsp, HexAndNumbers) {
  EXPECT_EQ(to_hex(std::string("hi\n")), "68690a");
  EXPECT_EQ(from_hex("68690A"), (std::vector<uint8_t>{'h', 'i', '\n'}));
  EXPECT_FALSE(from_hex("686"));
  EXPECT_EQ(parse_number("80000000"), 0x80000000u);
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("100000000"));  // more than 32 bits
}

TEST(Rsp, BinaryDataUnescapes) {
  // '}' followed by c ^ 0x20: '#' (0x23) travels as "}\x03".
  EXPECT_EQ(unescape(std::string("a}\x03z", 4)), (std::vector<uint8_t>{'a', '#', 'z'}));
  EXPECT_EQ(split("Z2,80001000,4", ","), (std::vector<std::string>{"Z2", "80001000", "4"}));
}

}  // namespace
}  // namespace trimode::rsp

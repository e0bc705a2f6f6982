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

// What GDB 13 sends for one thread, and the forms the protocol allows besides.
TEST(Rsp, VContTakesTheLeftmostActionForThreadOne) {
  EXPECT_EQ(vcont_action(";s:1"), VContAction::kStep);
  EXPECT_EQ(vcont_action(";c:1"), VContAction::kContinue);
  EXPECT_EQ(vcont_action(";c"), VContAction::kContinue);        // no thread-id: every thread
  EXPECT_EQ(vcont_action(";s:1;c"), VContAction::kStep);        // step 1, continue the others
  EXPECT_EQ(vcont_action(";c:2;s"), VContAction::kStep);        // thread 2 is not ours: the default applies
  EXPECT_EQ(vcont_action(";S0b:1"), VContAction::kStep);        // a signal is accepted (not delivered)
  EXPECT_EQ(vcont_action(";C05"), VContAction::kContinue);
  EXPECT_EQ(vcont_action(";s:-1"), VContAction::kStep);         // all threads
  EXPECT_EQ(vcont_action(";s:0"), VContAction::kStep);          // any thread
  EXPECT_EQ(vcont_action(";s:p1.1"), VContAction::kStep);       // multiprocess forms
  EXPECT_EQ(vcont_action(";s:p1.-1"), VContAction::kStep);
  EXPECT_EQ(vcont_action(";c:p-1"), VContAction::kContinue);
}

TEST(Rsp, VContRefusesWhatItCannotDo) {
  EXPECT_FALSE(vcont_action(""));           // "vCont": no action is an error
  EXPECT_FALSE(vcont_action(";"));
  EXPECT_FALSE(vcont_action(";t:1"));       // stop (non-stop mode only): not offered
  EXPECT_FALSE(vcont_action(";r80000000,80000010:1"));  // range stepping: not offered
  EXPECT_FALSE(vcont_action(";C:1"));       // a signal needs two hex digits
  EXPECT_FALSE(vcont_action(";S5"));
  EXPECT_FALSE(vcont_action(";s:x"));       // not a thread-id
  EXPECT_FALSE(vcont_action(";s:1;q"));     // a bad action anywhere makes the packet bad
  EXPECT_FALSE(vcont_action(";s:2"));       // no action for thread 1: nothing would run
  EXPECT_FALSE(vcont_action(";c:p2.1"));
  EXPECT_EQ(std::string(kVContActions), "vCont;c;C;s;S");  // what "vCont?" answers
}

}  // namespace
}  // namespace trimode::rsp

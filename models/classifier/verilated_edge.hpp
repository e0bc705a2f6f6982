// A Verilated model's clock cycle in one eval() (rtl_classifier.cpp).
//
// Verilator 5 runs a posedge process when clk_i is high at an eval() and was
// low at the previous one (it keeps that previous value in the model's root,
// __Vtrigrprev__TOP__clk_i). The RTL has no logic on the falling edge or on
// clk_i's level (rtl/: posedge flops, asynchronous active-low reset), so the
// eval() of the low phase only records "clock low": forget_rising() records it
// directly and each clock cycle costs one eval(). Where a Verilator version
// names that member otherwise, the overload below is chosen (it returns
// false) and the caller evaluates the low phase as usual.
#pragma once

namespace trimode {

template <typename Root>
auto forget_rising(Root* root, int) -> decltype(root->__Vtrigrprev__TOP__clk_i = 0, true) {
  root->__Vtrigrprev__TOP__clk_i = 0;
  return true;
}
template <typename Root>
bool forget_rising(Root*, long) {
  return false;
}

}  // namespace trimode

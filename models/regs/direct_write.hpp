// A register bus's direct writes: the extension an initiator puts on a
// direct-access request (get_direct_mem_ptr) to a register-addressed bank to
// learn how to write a register whose writes have side effects without a
// transaction (see "Direct writes" in register_bank.hpp). Header-only, so an
// initiator needs no more than TLM to use it.
#pragma once

#include <cstdint>

#include <tlm>

namespace trimode::regs {

struct DirectWrite : tlm::tlm_extension<DirectWrite> {
  void (*write)(void* reg, uint32_t value) = nullptr;  // nullptr: by transaction
  void* reg = nullptr;                                  // write's first argument
  tlm::tlm_extension_base* clone() const override { return new DirectWrite(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const DirectWrite&>(e); }
};

}  // namespace trimode::regs

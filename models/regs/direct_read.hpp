// A device's direct reads: the extension an initiator puts on a
// direct-access request (get_direct_mem_ptr) for one load it makes often
// where no DMI is granted (a device register whose value is computed, the
// CLINT's mtime), to learn a function that reads it exactly as that read
// transaction would (see "Direct reads" in register_bank.hpp). Each block on
// the way that would do more for the transaction than pass it on (add a
// latency, count it, translate it by state that can change without a DMI
// invalidation) leaves it empty, and the initiator uses transactions; a
// target that does not know the extension leaves it empty too. A reader is
// good until the path invalidates DMI (the initiator drops it then).
// Header-only, so an initiator needs no more than TLM to use it.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>

namespace trimode::regs {

// A direct read as an initiator keeps it (DirectRead's answer): reader(delay)
// is what the read transaction would return with that annotated delay;
// at_time(t), when the target offers it (has_time()), the same for the
// read's time t (sc_time_stamp() plus the delay) as an sc_time value, without
// sc_time arithmetic.
struct Reader {
  uint64_t (*read)(const void* target, const sc_core::sc_time& delay) = nullptr;  // nullptr: by transaction
  uint64_t (*read_at)(const void* target, uint64_t time) = nullptr;               // nullptr: by read only
  const void* target = nullptr;
  explicit operator bool() const { return read != nullptr; }
  uint64_t operator()(const sc_core::sc_time& delay) const { return read(target, delay); }
  bool has_time() const { return read_at != nullptr; }
  uint64_t at_time(uint64_t time) const { return read_at(target, time); }
};

struct DirectRead : tlm::tlm_extension<DirectRead> {
  // The value the read transaction (the request's address and data length,
  // no byte enables) would return with annotated delay `delay` (its time:
  // sc_time_stamp() + delay), in its low bytes; nullptr: by transaction.
  uint64_t (*read)(const void* target, const sc_core::sc_time& delay) = nullptr;
  // The same read at time `time` (sc_time_stamp() plus the delay, as an
  // sc_time value), when the target offers it; nullptr: read only. Left
  // empty with read.
  uint64_t (*read_at)(const void* target, uint64_t time) = nullptr;
  const void* target = nullptr;  // read's (and read_at's) first argument
  void clear() {
    read = nullptr;
    read_at = nullptr;
    target = nullptr;
  }
  Reader reader() const { return {read, read_at, target}; }
  tlm::tlm_extension_base* clone() const override { return new DirectRead(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const DirectRead&>(e); }
};

}  // namespace trimode::regs

// Registers modeled once, in the VCML style: a block's registers are the rows
// of spec::kRegs (spec/csrs.txt and spec/devices.txt) for that block, built
// into a Bank that serves the block's target socket.
//
//   Bank regs("clint", {});                     // every register of block "clint"
//   regs["mtime"].on_read([this] { return mtime_at(regs.now()); });
//   regs["msip"].on_write([this](uint64_t v) { regs["msip"].set(v); update(); });
//   socket.register_b_transport(&regs, &Bank::b_transport);  (or forward to it)
//
// From the spec row: the name, the offset, the width, the access (rw/ro/wo),
// the reset value, the field bits and the read-only field bits.
//
// One access (b_transport or transport_dbg) at `address` of `len` bytes:
//   * the register holding `address` (byte-addressed banks: offset <= address <
//     offset + width; register-addressed banks, the CSR banks: address ==
//     offset, the CSR number). None: TLM_ADDRESS_ERROR_RESPONSE.
//   * address must sit at a multiple of the register's smallest access width
//     inside it (else TLM_ADDRESS_ERROR_RESPONSE); len must be one of the
//     register's access widths (its width, plus allow_widths()), and the access
//     must not run past the register unless len is wider than the register
//     (the UART's 4-byte accesses of 1-byte registers: the extra bytes read 0
//     and ignore writes); else TLM_BURST_ERROR_RESPONSE (register-addressed
//     banks: TLM_ADDRESS_ERROR_RESPONSE, an address names one whole register). len 0 or a streaming
//     width below len (byte-addressed banks; CSR banks ignore it):
//     TLM_BURST_ERROR_RESPONSE.
//   * byte enables are honoured: a read fills only the enabled bytes; a write
//     merges the enabled bytes into the register's current (read) value.
//   * a write to an `ro` register: TLM_COMMAND_ERROR_RESPONSE, or ignored with
//     TLM_OK_RESPONSE when the bank is configured so (the 16550's LSR); bits of
//     `ro` fields and bits outside the fields are never written. A read of a
//     `wo` register returns 0.
//   * commands other than read, write and ignore: TLM_COMMAND_ERROR_RESPONSE;
//     ignore answers the address check only.
// transport_dbg follows the same rules (no streaming-width check, byte enables
// ignored as the TLM-2.0 standard says for debug accesses) and returns
// the bytes moved (0 on any error); debug reads go through the read callbacks,
// which must have no side effects; debug writes are refused when the bank is
// configured so (the finisher, the UART: a debugger must not end the run or
// print). The time of the access in progress is now() (sc_time_stamp() plus
// the incoming delay; sc_time_stamp() for debug accesses).
//
// Direct access (register-addressed banks, the CSR buses): the register bus's
// DMI. get_direct_mem_ptr at a register's address grants a pointer to its
// 4 bytes of storage (host order; the range is that one address) when an
// access through the pointer is exactly what a transaction would do:
//   * read, when the register is not `wo` and its reads have no callback, or
//     its owner declared with direct() where the value lives;
//   * write, when the register is `rw`, every bit is writable (no read-only
//     field, no bits outside the fields) and its writes have no callback, or
//     its owner declared them plain stores with direct().
// Anything else (side effects, WARL masks, byte-addressed banks) is denied and
// goes by transaction.
//
// Direct writes: a direct-access request that carries a DirectWrite extension
// also learns, for a 4-byte register that is not `ro`, a function that writes
// the whole register exactly as a bus write transaction would (writable-bit
// mask, write callback and its side effects; now() is sc_time_stamp() then,
// as for a transaction with no delay). An initiator that writes such a
// register often (the core's CSR writes with side effects) calls it instead
// of building a transaction; a target that does not know the extension
// leaves it empty, and the initiator uses transactions.
//
// Direct reads (any bank with no latency): a direct-access request that
// carries a DirectRead extension (models/regs/direct_read.hpp) for a read of
// the request's data length at its address (streaming width = length, no
// byte enables) that decodes to a register, inside its first 8 bytes, also
// learns a function that returns what that read transaction returns at a
// given annotated delay (the read callback with now() = sc_time_stamp() +
// delay: read callbacks have no side effects). The CLINT's mtime is read so
// by the core. Nothing else changes: the request's DMI answer is as before.
//
// Grants are for the bank's lifetime (the storage never
// moves; checkpoints restore into it), so a register's callbacks and direct()
// must be set before its first grant (after: std::logic_error).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "models/regs/direct_read.hpp"
#include "models/regs/direct_write.hpp"
#include "models/state/state_io.hpp"
#include "trimode/spec.hpp"

namespace trimode::regs {

class Register {
 public:
  using ReadFn = std::function<uint64_t()>;
  using WriteFn = std::function<void(uint64_t)>;

  Register(const spec::RegInfo& info, uint32_t offset);

  const char* name() const { return info_.name; }
  uint32_t offset() const { return offset_; }
  unsigned width() const { return info_.width; }
  spec::RegAccess access() const { return info_.access; }
  uint64_t reset_value() const { return info_.reset; }
  // Bits a write may change: the fields' bits (all bits when no fields) but the read-only ones.
  uint64_t writable_bits() const { return writable_; }

  // The stored value, without callbacks.
  uint64_t value() const { return value_; }
  void set(uint64_t v) { value_ = v & width_bits_; }
  void reset() { value_ = info_.reset & width_bits_; }

  // Reads return f() instead of the stored value. f must have no side effects.
  Register& on_read(ReadFn f) {
    not_granted();
    read_ = std::move(f);
    return *this;
  }
  // Beside on_read: f(owner, at) returns what on_read's callback returns for
  // a read at time `at` (sc_time_stamp() plus its annotated delay, the bank's
  // now(), as an sc_time value). Direct reads (DirectRead) of a register with
  // both call it, without the bank's bookkeeping and the std::function (and
  // by DirectRead::read_at without sc_time arithmetic).
  using ReadAtFn = uint64_t (*)(const void* owner, uint64_t at);
  Register& on_read_at(ReadAtFn f, const void* owner) {
    not_granted();
    read_at_ = f;
    read_at_owner_ = owner;
    return *this;
  }
  // Writes call f(value) instead of storing value; f may set() it. The value
  // has the read-only bits and the bits outside the fields cleared.
  Register& on_write(WriteFn f) {
    not_granted();
    write_ = std::move(f);
    return *this;
  }
  // The owner keeps the value at *storage (what the read callback returns);
  // `plain_writes`: a write stores its value there and does nothing else.
  // Lets the bank grant direct access (see the top of this file).
  Register& direct(uint32_t* storage, bool plain_writes) {
    not_granted();
    storage_ = storage;
    plain_writes_ = plain_writes;
    return *this;
  }
  // Access sizes accepted besides the register's width.
  Register& allow_widths(std::initializer_list<unsigned> widths);

  // The value a bus read sees, and a bus write of a whole-register value.
  uint64_t read() const;
  void write(uint64_t v);

 private:
  friend class Bank;
  bool width_allowed(unsigned len) const { return len < 16 && (widths_ >> len & 1); }
  unsigned smallest_width() const { return smallest_; }
  void not_granted() const;
  // Direct access: where the value lives, and whether reads / writes may use it.
  unsigned char* direct_storage();
  bool direct_read() const;
  bool direct_write() const;

  spec::RegInfo info_;
  uint32_t offset_;
  uint64_t width_bits_;
  uint64_t writable_;
  uint64_t value_ = 0;
  uint32_t widths_;  // bit n set: an n-byte access is accepted
  unsigned smallest_;  // the smallest accepted access
  ReadFn read_;
  ReadAtFn read_at_ = nullptr;
  const void* read_at_owner_ = nullptr;
  WriteFn write_;
  uint32_t* storage_ = nullptr;  // direct(): the owner's storage
  bool plain_writes_ = false;
  bool granted_ = false;  // direct access was granted
};

struct BankConfig {
  bool register_addressed = false;  // one address per register (address = CSR number)
  bool ignore_ro_writes = false;    // a write to an ro register is answered OK and ignored
  bool debug_writes = true;         // transport_dbg may write
  sc_core::sc_time latency = sc_core::SC_ZERO_TIME;  // added to the delay of each b_transport that succeeds
  // Register i of a byte-addressed bank sits at spec offset << offset_shift (the UART's reg-shift).
  unsigned offset_shift = 0;
};

class Bank {
 public:
  // Builds every row of spec::kRegs whose block is `block`, at its reset value.
  Bank(const std::string& block, BankConfig config);
  Bank(const Bank&) = delete;
  Bank& operator=(const Bank&) = delete;

  // The register named `name`; a name not in the spec is a programming error (std::logic_error).
  Register& operator[](const std::string& name);
  const std::vector<Register>& registers() const { return regs_; }
  // Every register back to its spec reset value (stored values; no callbacks).
  void reset();
  // Checkpoint (docs/checkpoint.md): the stored values, restored without callbacks.
  void save(StateWriter& w) const {
    w.u32(static_cast<uint32_t>(regs_.size()));
    for (const Register& reg : regs_) w.u64(reg.value());
  }
  void restore(StateReader& r) {
    if (r.u32() != regs_.size()) r.fail("register count differs");
    for (Register& reg : regs_) reg.set(r.u64());
  }

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  // Direct access to one register (see the top of this file); false: denied.
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);

  // During a callback: the time of the access in progress, and whether it is a debug access.
  // (Computed when asked: most callbacks never need it.)
  sc_core::sc_time now() const { return delay_ ? sc_core::sc_time_stamp() + *delay_ : sc_core::sc_time_stamp(); }
  bool debug() const { return debug_; }

 private:
  // The register an access at `address` of `len` bytes reaches, or an error status.
  tlm::tlm_response_status decode(uint64_t address, unsigned len, Register** reg) const;
  Register* find(uint64_t address) const;
  bool whole_register(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  // Direct reads: one per (register, offset, length) granted, kept for the bank's lifetime.
  struct ReadGrant {
    Bank* bank;
    Register* reg;
    unsigned shift;  // bits below the read's first byte
    uint64_t mask;   // the read's bytes
  };
  void grant_read(const tlm::tlm_generic_payload& gp, DirectRead* reader);
  static uint64_t read_granted(const void* grant, const sc_core::sc_time& delay);
  static uint64_t read_granted_at(const void* grant, const sc_core::sc_time& delay);
  static uint64_t read_granted_at_time(const void* grant, uint64_t time);
  std::deque<ReadGrant> read_grants_;
  // Moves the data of a decoded access; returns the response.
  tlm::tlm_response_status apply(tlm::tlm_generic_payload& gp, Register& reg);

  std::string block_;
  BankConfig config_;
  std::vector<Register> regs_;
  std::vector<int16_t> by_address_;  // register-addressed banks: address -> index into regs_, -1 for none
  const sc_core::sc_time* delay_ = nullptr;  // the b_transport in progress's delay (nullptr: a debug access)
  bool debug_ = false;
};

}  // namespace trimode::regs

#include "models/regs/register_bank.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace trimode::regs {

namespace {

uint64_t bits_of(unsigned bytes) { return bytes >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1; }

}  // namespace

Register::Register(const spec::RegInfo& info, uint32_t offset)
    : info_(info), offset_(offset), width_bits_(bits_of(info.width)),
      writable_((info.field_bits ? info.field_bits : bits_of(info.width)) & ~info.ro_bits),
      widths_(1u << info.width), smallest_(info.width) {
  reset();
}

Register& Register::allow_widths(std::initializer_list<unsigned> widths) {
  for (unsigned w : widths) {
    widths_ |= 1u << w;
    smallest_ = std::min(smallest_, w);
  }
  return *this;
}

uint64_t Register::read() const {
  if (info_.access == spec::RegAccess::kWO) return 0;
  return read_ ? read_() & width_bits_ : value_;
}

void Register::write(uint64_t v) {
  const uint64_t kept = value_ & ~writable_;
  v &= writable_;
  if (write_) {
    write_(v);
  } else {
    value_ = kept | v;
  }
}

void Register::not_granted() const {
  if (granted_) throw std::logic_error(std::string("regs: register '") + name() + "' changed after a direct grant");
}

unsigned char* Register::direct_storage() {
  return storage_ ? reinterpret_cast<unsigned char*>(storage_) : reinterpret_cast<unsigned char*>(&value_);  // low bytes: host little endian
}

bool Register::direct_read() const { return info_.access != spec::RegAccess::kWO && (storage_ || !read_); }

bool Register::direct_write() const {
  return info_.access == spec::RegAccess::kRW && writable_ == width_bits_ && (storage_ ? plain_writes_ : !write_);
}

Bank::Bank(const std::string& block, BankConfig config) : block_(block), config_(config) {
  for (const spec::RegInfo& info : spec::kRegs) {
    if (block_ != info.block) continue;
    regs_.emplace_back(info, config_.register_addressed ? info.offset : info.offset << config_.offset_shift);
  }
  if (regs_.empty()) throw std::logic_error("regs: no register of block '" + block_ + "' in the spec");
  if (config_.register_addressed) {
    uint32_t top = 0;
    for (const Register& r : regs_) top = std::max(top, r.offset());
    by_address_.assign(top + 1, -1);
    for (size_t i = 0; i < regs_.size(); ++i) by_address_[regs_[i].offset()] = static_cast<int16_t>(i);
  }
}

Register& Bank::operator[](const std::string& name) {
  for (Register& r : regs_) {
    if (name == r.name()) return r;
  }
  throw std::logic_error("regs: block '" + block_ + "' has no register '" + name + "'");
}

void Bank::reset() {
  for (Register& r : regs_) r.reset();
}

Register* Bank::find(uint64_t address) const {
  if (config_.register_addressed) {
    if (address >= by_address_.size() || by_address_[address] < 0) return nullptr;
    return const_cast<Register*>(&regs_[by_address_[address]]);
  }
  for (const Register& r : regs_) {
    if (address >= r.offset() && address < uint64_t{r.offset()} + r.width()) return const_cast<Register*>(&r);
  }
  return nullptr;
}

tlm::tlm_response_status Bank::decode(uint64_t address, unsigned len, Register** reg) const {
  Register* r = find(address);
  if (!r) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  if (config_.register_addressed) {  // one whole register per address: any other length names nothing
    if (!r->width_allowed(len)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    *reg = r;
    return tlm::TLM_OK_RESPONSE;
  }
  const unsigned inside = static_cast<unsigned>(address - r->offset());
  if (inside % r->smallest_width() != 0) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  if (!r->width_allowed(len) || inside % len != 0) return tlm::TLM_BURST_ERROR_RESPONSE;
  if (inside + len > r->width() && len <= r->width()) return tlm::TLM_BURST_ERROR_RESPONSE;
  *reg = r;
  return tlm::TLM_OK_RESPONSE;
}

// The accessed bytes are [inside, inside + len) of the register's value (host
// and target little endian); bytes beyond the register read 0, ignore writes.
tlm::tlm_response_status Bank::apply(tlm::tlm_generic_payload& gp, Register& reg) {
  const unsigned len = gp.get_data_length();
  const unsigned inside = config_.register_addressed ? 0 : static_cast<unsigned>(gp.get_address() - reg.offset());
  const unsigned char* be = debug_ ? nullptr : gp.get_byte_enable_ptr();  // debug: ignored, as TLM-2.0 says
  const unsigned be_len = gp.get_byte_enable_length();
  auto enabled = [&](unsigned i) { return !be || be_len == 0 || be[i % be_len] == TLM_BYTE_ENABLED; };
  unsigned char* data = gp.get_data_ptr();
  if (!be && inside == 0 && len == reg.width()) {  // the whole register: the common case
    if (gp.is_read()) {
      const uint64_t v = reg.read();
      std::memcpy(data, &v, len);  // host little endian, as the target
      return tlm::TLM_OK_RESPONSE;
    }
    if (reg.access() != spec::RegAccess::kRO) {
      uint64_t v = 0;
      std::memcpy(&v, data, len);
      reg.write(v);
      return tlm::TLM_OK_RESPONSE;
    }
  }
  if (!be && gp.is_read() && inside + len <= 8) {  // part of the register's value (the rest reads 0): at once
    const uint64_t v = reg.read() >> (8 * inside);
    std::memcpy(data, &v, len);  // host little endian, as the target
    return tlm::TLM_OK_RESPONSE;
  }
  if (gp.is_read()) {
    const uint64_t v = reg.read();
    for (unsigned i = 0; i < len; ++i) {
      const unsigned byte = inside + i;
      if (enabled(i)) data[i] = byte < 8 ? static_cast<unsigned char>(v >> (8 * byte)) : 0;
    }
    return tlm::TLM_OK_RESPONSE;
  }
  if (reg.access() == spec::RegAccess::kRO) {
    return config_.ignore_ro_writes ? tlm::TLM_OK_RESPONSE : tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  const bool whole = !be && inside == 0 && len >= reg.width();
  uint64_t v = whole ? 0 : reg.read();
  bool any = false;
  for (unsigned i = 0; i < len; ++i) {
    const unsigned byte = inside + i;
    if (byte >= reg.width() || !enabled(i)) continue;
    v = (v & ~(uint64_t{0xFF} << (8 * byte))) | (uint64_t{data[i]} << (8 * byte));
    any = true;
  }
  if (any) reg.write(v);
  return tlm::TLM_OK_RESPONSE;
}

void Bank::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const unsigned len = gp.get_data_length();
  if (config_.register_addressed && whole_register(gp, delay)) return;
  tlm::tlm_response_status status = tlm::TLM_BURST_ERROR_RESPONSE;
  Register* reg = nullptr;
  const bool streaming_ok = config_.register_addressed || gp.get_streaming_width() >= len;
  if (len != 0 && streaming_ok) status = decode(gp.get_address(), len, &reg);
  const tlm::tlm_command cmd = gp.get_command();
  if (status == tlm::TLM_OK_RESPONSE && cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND) {
    if (cmd != tlm::TLM_IGNORE_COMMAND) status = tlm::TLM_COMMAND_ERROR_RESPONSE;
    gp.set_response_status(status);
    return;
  }
  if (status == tlm::TLM_OK_RESPONSE) {
    delay_ = &delay;
    debug_ = false;
    status = apply(gp, *reg);
    delay_ = nullptr;
    if (status == tlm::TLM_OK_RESPONSE) delay += config_.latency;
  }
  gp.set_response_status(status);
}

bool Bank::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  if (DirectRead* reader = gp.get_extension<DirectRead>()) grant_read(gp, reader);
  const uint64_t address = gp.get_address();
  dmi.set_start_address(address);  // granted or denied: this one address
  dmi.set_end_address(address);
  dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
  Register* r = config_.register_addressed ? find(address) : nullptr;
  if (!r || r->width() != 4) return false;
  DirectWrite* writer = gp.get_extension<DirectWrite>();
  if (writer && r->access() != spec::RegAccess::kRO) {  // what whole_register() does for a write
    r->granted_ = true;
    writer->write = [](void* reg, uint32_t value) { static_cast<Register*>(reg)->write(value); };
    writer->reg = r;
  }
  const bool read = r->direct_read(), write = r->direct_write();
  if (!read && !write) return false;
  r->granted_ = true;
  dmi.set_dmi_ptr(r->direct_storage());
  if (read) dmi.allow_read();
  if (write) read ? dmi.allow_read_write() : dmi.allow_write();
  dmi.set_read_latency(config_.latency);
  dmi.set_write_latency(config_.latency);
  return true;
}

// A direct read (see the top of register_bank.hpp): what b_transport's
// decode() and apply() do for a read of the request's length at its address
// without byte enables, when the bank adds no latency.
void Bank::grant_read(const tlm::tlm_generic_payload& gp, DirectRead* reader) {
  const unsigned len = gp.get_data_length();
  Register* reg = nullptr;
  if (config_.latency != sc_core::SC_ZERO_TIME || len == 0 || len > 8 ||
      decode(gp.get_address(), len, &reg) != tlm::TLM_OK_RESPONSE) {
    return;
  }
  const unsigned inside = config_.register_addressed ? 0 : static_cast<unsigned>(gp.get_address() - reg->offset());
  if (inside + len > 8) return;
  reg->granted_ = true;  // its read callback stays the one granted
  const ReadGrant grant{this, reg, 8 * inside, bits_of(len)};
  const ReadGrant* kept = nullptr;
  for (const ReadGrant& g : read_grants_) {
    if (g.reg == grant.reg && g.shift == grant.shift && g.mask == grant.mask) kept = &g;
  }
  if (!kept) kept = &read_grants_.emplace_back(grant);
  // (A write-only register reads 0 through read(): only read_granted knows.)
  const bool at = reg->read_ && reg->read_at_ && reg->access() != spec::RegAccess::kWO;
  reader->read = at ? &Bank::read_granted_at : &Bank::read_granted;
  reader->read_at = at ? &Bank::read_granted_at_time : nullptr;
  reader->target = kept;
}

// read_granted for a register with on_read_at: the same value, its callback
// called with the read's time.
uint64_t Bank::read_granted_at(const void* grant, const sc_core::sc_time& delay) {
  return read_granted_at_time(grant, (sc_core::sc_time_stamp() + delay).value());
}

// read_granted_at for the read's time as an sc_time value (DirectRead::read_at).
uint64_t Bank::read_granted_at_time(const void* grant, uint64_t time) {
  const ReadGrant& g = *static_cast<const ReadGrant*>(grant);
  const Register& r = *g.reg;
  const uint64_t v = r.read_at_(r.read_at_owner_, time) & r.width_bits_;
  return v >> g.shift & g.mask;
}

uint64_t Bank::read_granted(const void* grant, const sc_core::sc_time& delay) {
  const ReadGrant& g = *static_cast<const ReadGrant*>(grant);
  g.bank->delay_ = &delay;
  g.bank->debug_ = false;
  const uint64_t v = g.reg->read();
  g.bank->delay_ = nullptr;
  return v >> g.shift & g.mask;
}

// A register bus's usual access, decided at once: a whole register read, or
// written when it is not `ro`, without byte enables (what decode() and
// apply() would do for it). False, with nothing done, for anything else.
bool Bank::whole_register(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const tlm::tlm_command cmd = gp.get_command();
  Register* reg = find(gp.get_address());
  if (!reg || gp.get_data_length() != reg->width() || gp.get_byte_enable_ptr()) return false;
  const bool read = cmd == tlm::TLM_READ_COMMAND;
  if (!read && (cmd != tlm::TLM_WRITE_COMMAND || reg->access() == spec::RegAccess::kRO)) return false;
  delay_ = &delay;
  debug_ = false;
  uint64_t v = 0;
  if (read) {
    v = reg->read();
    std::memcpy(gp.get_data_ptr(), &v, reg->width());  // host little endian, as the target
  } else {
    std::memcpy(&v, gp.get_data_ptr(), reg->width());
    reg->write(v);
  }
  delay_ = nullptr;
  delay += config_.latency;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

unsigned int Bank::transport_dbg(tlm::tlm_generic_payload& gp) {
  const unsigned len = gp.get_data_length();
  const tlm::tlm_command cmd = gp.get_command();
  Register* reg = nullptr;
  if (len == 0 || (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND)) return 0;
  if (cmd == tlm::TLM_WRITE_COMMAND && !config_.debug_writes) return 0;
  if (decode(gp.get_address(), len, &reg) != tlm::TLM_OK_RESPONSE) return 0;
  delay_ = nullptr;
  debug_ = true;
  const tlm::tlm_response_status status = apply(gp, *reg);
  debug_ = false;
  if (status != tlm::TLM_OK_RESPONSE) return 0;
  gp.set_response_status(status);
  return len;
}

}  // namespace trimode::regs

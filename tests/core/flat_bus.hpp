// A HartBus over a flat byte array for tests without SystemC: RAM at `base`,
// DMI optional, U addresses relocated by a fixed base/bound, CSRs served by the
// ModeState (modereg) or a small map (memctl's), decisions by the reference
// classify() (counted in `decides`).
#pragma once

#include <cstring>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "models/core/hart.hpp"
#include "models/modereg/mode_state.hpp"

namespace trimode::test {

class FlatBus : public HartBus {
 public:
  FlatBus(ModeState& modes, uint32_t base, uint32_t size) : modes_(modes), base_(base), ram_(size) {}

  void put32(uint32_t addr, uint32_t v) { std::memcpy(&ram_[addr - base_], &v, 4); }
  uint32_t get32(uint32_t addr) const { uint32_t v; std::memcpy(&v, &ram_[addr - base_], 4); return v; }
  void put_program(uint32_t addr, const std::vector<uint32_t>& words) {
    for (size_t i = 0; i < words.size(); ++i) put32(addr + 4 * i, words[i]);
  }

  bool dmi_enabled = true;
  // When not empty, DMI is granted only inside these [first, last] ranges
  // (each one window), the rest of RAM over the bus.
  std::vector<std::pair<uint32_t, uint32_t>> dmi_ranges;
  uint32_t u_base = 0;
  uint32_t u_bound = 0xFFFFFFFF;
  uint64_t slow_accesses = 0;
  uint64_t dmi_requests = 0;
  std::map<uint16_t, uint32_t> other_csrs;
  uint64_t time = 0;

  // A device: the loads it answers (true) read it instead of RAM; with
  // known_device_loads, V's also by known_load() (counted in known_loads),
  // as the core's direct reads of device registers.
  std::function<bool(uint32_t addr, unsigned size, uint32_t* value)> device;
  bool known_device_loads = false;
  uint64_t known_loads = 0;
  bool known_load(spec::Mode m, uint32_t addr, unsigned size, uint32_t* value) override {
    if (!known_device_loads || !device || m != spec::Mode::V || !device(addr, size, value)) return false;
    ++known_loads;
    return true;
  }
  // With known_device_loads and device_at: V's known loads also as plain
  // functions (known_reader), reading device_at(addr, cycle) at the cycle
  // the hart passes (counted: reader_asks, reader_reads).
  std::function<uint32_t(uint32_t addr, uint64_t cycle)> device_at;
  uint64_t reader_asks = 0, reader_reads = 0;
  KnownReader known_reader(spec::Mode m, uint32_t addr, unsigned size) override {
    uint32_t v;
    if (!known_device_loads || !device_at || m != spec::Mode::V || size != 4 || !device || !device(addr, size, &v)) return {};
    ++reader_asks;
    Reading& r = readings_[addr];
    r = {this, addr};
    return {[](const void* ctx, uint64_t cycle) {
              const Reading& at = *static_cast<const Reading*>(ctx);
              ++at.bus->reader_reads;
              return at.bus->device_at(at.addr, cycle);
            },
            &r};
  }

  Access load(spec::Mode m, uint32_t addr, unsigned size, uint32_t* value) override {
    ++slow_accesses;
    if (device && device(addr, size, value)) return Access::kOk;
    uint32_t p;
    if (!map(m, addr, size, &p)) return Access::kFault;
    *value = 0;
    std::memcpy(value, &ram_[p - base_], size);
    return Access::kOk;
  }
  Access store(spec::Mode m, uint32_t addr, unsigned size, uint32_t value) override {
    ++slow_accesses;
    uint32_t p;
    if (!map(m, addr, size, &p)) return Access::kFault;
    std::memcpy(&ram_[p - base_], &value, size);
    return Access::kOk;
  }
  bool dmi(spec::Mode m, uint32_t addr, DmiWindow* w) override {
    ++dmi_requests;
    if (!dmi_enabled || m == spec::Mode::U) return false;
    if (addr < base_ || addr - base_ >= ram_.size()) return false;
    for (const auto& [first, last] : dmi_ranges) {
      if (addr >= first && addr <= last) {
        *w = {first, last, &ram_[first - base_], true, true};
        return true;
      }
    }
    if (!dmi_ranges.empty()) return false;
    *w = {base_, static_cast<uint32_t>(base_ + ram_.size() - 1), ram_.data(), true, true};
    return true;
  }
  bool csr_read(uint16_t csr, uint32_t* v) override {
    ++csr_accesses;
    if (modes_.csr_read(csr, v)) return true;
    auto it = other_csrs.find(csr);
    if (it == other_csrs.end()) return false;
    *v = it->second;
    return true;
  }
  bool csr_write(uint16_t csr, uint32_t v) override {
    ++csr_accesses;
    if (modes_.csr_write(csr, v)) return true;
    auto it = other_csrs.find(csr);
    if (it == other_csrs.end()) return false;
    it->second = v;
    return true;
  }
  // plain_csrs: the mode state's plain registers are offered as storage, as
  // the core offers its register buses' direct access (csr_accesses counts
  // the accesses that came through csr_read / csr_write instead).
  bool plain_csrs = false;
  uint64_t csr_accesses = 0;
  void csr_storage(uint16_t csr, uint8_t** read, uint8_t** write) override {
    bool plain_writes = false;
    uint32_t* p = plain_csrs ? modes_.storage(csr, &plain_writes) : nullptr;
    *read = reinterpret_cast<uint8_t*>(p);
    *write = plain_writes ? *read : nullptr;
  }
  // direct_writes: every mode state CSR's write is offered as a direct write
  // (HartBus::csr_writer), as the core offers its register buses' direct
  // writes; direct_writes_done counts the writes that came that way.
  bool direct_writes = false;
  uint64_t direct_writes_done = 0;
  CsrWriter csr_writer(uint16_t csr) override {
    uint32_t v = 0;
    if (!direct_writes || !modes_.csr_read(csr, &v)) return {};
    Writer& w = writers_[csr];
    w = {this, csr};
    return {[](void* owner, uint32_t value) {
              Writer* w = static_cast<Writer*>(owner);
              ++w->bus->direct_writes_done;
              w->bus->modes_.csr_write(w->csr, value);
            },
            &w};
  }
  uint64_t mtime() override { return time; }
  uint64_t decides = 0;
  bool decide(const DecodeRequest& r, Decision* out, std::string*) override {
    ++decides;
    *out = classify(r.insn, r.mode, r.irq);
    return true;
  }

 private:
  bool map(spec::Mode m, uint32_t addr, unsigned size, uint32_t* p) const {
    uint64_t a = addr;
    if (m == spec::Mode::U) {
      if (a + size > u_bound) return false;
      a += u_base;
    }
    if (a < base_ || a + size > base_ + ram_.size()) return false;
    *p = static_cast<uint32_t>(a);
    return true;
  }

  struct Reading {  // a known reader's context: the bus and the address
    FlatBus* bus;
    uint32_t addr;
  };
  std::map<uint32_t, Reading> readings_;  // by address (nodes stay put)
  struct Writer {  // a direct write's owner: the bus and the CSR
    FlatBus* bus;
    uint16_t csr;
  };
  std::map<uint16_t, Writer> writers_;  // by CSR (nodes stay put)
  ModeState& modes_;
  uint32_t base_;
  std::vector<uint8_t> ram_;
};

}  // namespace trimode::test

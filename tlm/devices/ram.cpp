#include "tlm/devices/ram.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "tlm/devices/target_checks.hpp"

namespace trimode::tlm_ {

Ram::Ram(sc_core::sc_module_name name, uint64_t size, RamConfig config)
    : sc_module(name), in("in"), size_(size), config_(config) {
  if (size_ == 0) SC_REPORT_FATAL("trimode/ram", "RAM size must not be zero");
  void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    SC_REPORT_FATAL("trimode/ram", ("mmap of " + std::to_string(size_) + " bytes failed").c_str());
  }
  data_ = static_cast<uint8_t*>(p);
  in.register_b_transport(this, &Ram::b_transport);
  in.register_transport_dbg(this, &Ram::transport_dbg);
  in.register_get_direct_mem_ptr(this, &Ram::get_direct_mem_ptr);
}

Ram::~Ram() { munmap(data_, size_); }

void Ram::copy(tlm::tlm_generic_payload& trans, uint64_t len) {
  uint8_t* mem = data_ + trans.get_address();
  if (trans.is_read()) {
    std::memcpy(trans.get_data_ptr(), mem, len);
  } else {
    std::memcpy(mem, trans.get_data_ptr(), len);
  }
}

void Ram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  tlm::tlm_response_status status = check_common(trans, size_);
  const tlm::tlm_command cmd = trans.get_command();
  if (status == tlm::TLM_OK_RESPONSE && !is_data_command(cmd) && cmd != tlm::TLM_IGNORE_COMMAND) {
    status = tlm::TLM_COMMAND_ERROR_RESPONSE;
  }
  if (status == tlm::TLM_OK_RESPONSE && is_data_command(cmd)) {
    copy(trans, trans.get_data_length());
    delay += trans.is_read() ? config_.read_latency : config_.write_latency;
    trans.set_dmi_allowed(true);
  }
  trans.set_response_status(status);
}

unsigned int Ram::transport_dbg(tlm::tlm_generic_payload& trans) {
  const uint64_t addr = trans.get_address();
  if (!is_data_command(trans.get_command()) || addr >= size_) return 0;
  const uint64_t len = std::min<uint64_t>(trans.get_data_length(), size_ - addr);
  copy(trans, len);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return static_cast<unsigned int>(len);
}

bool Ram::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
  dmi.set_dmi_ptr(data_);
  dmi.set_start_address(0);
  dmi.set_end_address(size_ - 1);
  dmi.allow_read_write();
  dmi.set_read_latency(config_.read_latency);
  dmi.set_write_latency(config_.write_latency);
  return true;
}


// ---- checkpoint ----------------------------------------------------------------

// Pages never touched are not resident (mincore) and read as zero; resident
// pages that are all zero are skipped too.
void Ram::save(StateWriter& w) const {
  w.begin("RAM ");
  w.u64(size_);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t pages = (size_ + page - 1) / page;
  std::vector<unsigned char> resident(pages);
  if (mincore(data_, size_, resident.data()) != 0) std::fill(resident.begin(), resident.end(), 1);
  for (size_t i = 0; i < pages; ++i) {
    if (!(resident[i] & 1)) continue;
    const uint8_t* p = data_ + i * page;
    const size_t len = std::min<uint64_t>(page, size_ - i * page);
    if (std::all_of(p, p + len, [](uint8_t b) { return b == 0; })) continue;
    w.u64(i * page);
    w.u32(static_cast<uint32_t>(len));
    w.raw(p, len);
  }
  w.u64(~uint64_t{0});  // end of pages
  w.end();
}

void Ram::restore(StateReader& r) {
  r.begin("RAM ");
  if (r.u64() != size_) r.fail("RAM size differs from this run's --ram-size");
  for (uint64_t at = r.u64(); at != ~uint64_t{0}; at = r.u64()) {
    const uint32_t len = r.u32();
    if (at > size_ || len > size_ - at) r.fail("page outside the RAM");
    r.raw(data_ + at, len);
  }
  r.end();
}
}  // namespace trimode::tlm_

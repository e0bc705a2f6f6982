// The TLM extension every core access carries: who is asking (mode, VM) and,
// on a failed access, which mode owns the fault.
#pragma once

#include <cstdint>

#include <tlm>

#include "trimode/spec.hpp"

namespace trimode {

struct AccessExtension : tlm::tlm_extension<AccessExtension> {
  spec::Mode mode = spec::Mode::V;  // set by the initiator (the core)
  uint32_t vmid = 0;                // set by the memory controller from vmid
  bool fault_to_v = false;          // set by the memory controller: a VM's segment was broken

  tlm_extension_base* clone() const override { return new AccessExtension(*this); }
  void copy_from(const tlm_extension_base& other) override {
    *this = static_cast<const AccessExtension&>(other);
  }
};

// The mode of a payload's initiator; V when the payload has no extension
// (loaders, debuggers and other initiators that are not the core).
inline spec::Mode initiator_mode(const tlm::tlm_generic_payload& gp) {
  const AccessExtension* ext = gp.get_extension<AccessExtension>();
  return ext ? ext->mode : spec::Mode::V;
}

}  // namespace trimode

// The mode register's control interface as a SystemC interface: ModeControl
// (mode, interrupt lines, trap entry, exit) plus what the core's thread needs
// from it in simulated time. The mode register offers it on its sc_export
// `control`; the core's sc_port `modes` is bound to it in the netlist.
#pragma once

#include <systemc>

#include "models/modereg/mode_control.hpp"

namespace trimode {

class ModeIf : public virtual sc_core::sc_interface, public ModeControl {
 public:
  // Notified when an interrupt line rises (the core waits on it in wfi).
  virtual const sc_core::sc_event& wake_event() const = 0;
};

}  // namespace trimode

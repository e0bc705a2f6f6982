// The C++ reference model of the hypervisor's memory allocator
// (sw/hypervisor/memq/memq.h), written independently of it: same semantics,
// the plainest algorithm. The property test in tests/alloc runs both on the
// same operations and requires identical tuples and status codes.
//
// State: a std::map from base to tuple (the seed's global memory queue; a VM's
// local memory queue is segments(vm)). Every mutation works on a copy of the
// map, normalises it (touching tuples of one owner merged) and checks limits;
// the copy replaces the state only when all checks pass.
//
// Example (the seed's): RAM [0,32), granule 1, tuples (0,4,V) (8,2,VM2)
// (15,9,VM3); alloc(4, 12) -> kOk, segments(4) = (4,4) (10,5) (24,3).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace trimode {

// Same numbers as enum memq_status.
enum class AllocStatus : int { kOk = 0, kNoMem = 1, kTable = 2, kInval = 3 };

struct AllocTuple {
  uint32_t base = 0;
  uint32_t size = 0;
  uint32_t owner = 0;  // 0 = V, 1..max_vms = a VM
  bool operator==(const AllocTuple& o) const {
    return base == o.base && size == o.size && owner == o.owner;
  }
};

struct AllocLimits {
  uint32_t max_vms = 16;       // MEMQ_MAX_VMS
  uint32_t max_segs = 32;      // per VM (the segment-table size)
  uint32_t max_reserved = 8;   // MEMQ_MAX_RESERVED, tuples of V
};

class AllocRef {
 public:
  // Throws std::invalid_argument on the geometries memq_init rejects.
  AllocRef(uint32_t ram_base, uint32_t ram_size, uint32_t granule, AllocLimits limits);

  AllocStatus reserve(uint32_t base, uint32_t size);  // owner V, widened to the granule
  AllocStatus alloc(uint32_t vm, uint32_t n);         // also "grow"
  AllocStatus shrink(uint32_t vm, uint32_t n);        // from the VM's highest addresses
  AllocStatus shrink_below(uint32_t vm, uint32_t n, uint64_t limit);  // ... counting only bytes below limit
  AllocStatus free_all(uint32_t vm);

  std::vector<AllocTuple> global() const;               // in base order
  std::vector<AllocTuple> segments(uint32_t owner) const;
  uint64_t total(uint32_t owner) const;
  uint64_t free_total() const;

 private:
  using Queue = std::map<uint64_t, AllocTuple>;  // base -> tuple

  bool valid_vm(uint32_t vm) const { return vm >= 1 && vm <= limits_.max_vms; }
  uint64_t round(uint64_t n) const;
  // Free ranges [first, second) of q in address order.
  std::vector<std::pair<uint64_t, uint64_t>> gaps(const Queue& q) const;
  // Merges touching tuples of one owner.
  static void normalise(Queue* q);
  // Installs q when `owner` stays within its tuple limit.
  AllocStatus commit(Queue q, uint32_t owner);

  uint64_t ram_base_;
  uint64_t ram_end_;
  uint64_t granule_;
  AllocLimits limits_;
  Queue q_;
};

}  // namespace trimode

// Helpers shared by the memq tests: the allocator state as comparable values.
#pragma once

#include <ostream>
#include <vector>

#include "memq.h"
#include "models/alloc/alloc_ref.hpp"

namespace trimode {

inline std::ostream& operator<<(std::ostream& os, const AllocTuple& t) {
  return os << "(" << t.base << "," << t.size << ",owner " << t.owner << ")";
}

inline AllocTuple to_tuple(const memq_seg& s) { return AllocTuple{s.base, s.size, s.owner}; }

// The global memory queue of q, in base order.
inline std::vector<AllocTuple> global_of(const memq& q) {
  std::vector<AllocTuple> out;
  for (uint32_t i = 0; i < memq_global_count(&q); i++) out.push_back(to_tuple(*memq_global_at(&q, i)));
  return out;
}

// The local memory queue of `vm` in q.
inline std::vector<AllocTuple> segments_of(const memq& q, uint32_t vm) {
  std::vector<memq_seg> segs(MEMQ_CAPACITY);
  const uint32_t n = memq_vm_segments(&q, vm, segs.data(), MEMQ_CAPACITY);
  std::vector<AllocTuple> out;
  for (uint32_t i = 0; i < n; i++) out.push_back(to_tuple(segs[i]));
  return out;
}

// Shorthand for expected tuples of one owner: T(vm, {{4,4},{10,5}}).
inline std::vector<AllocTuple> T(uint32_t owner, std::vector<std::pair<uint32_t, uint32_t>> bs) {
  std::vector<AllocTuple> out;
  for (auto [b, s] : bs) out.push_back(AllocTuple{b, s, owner});
  return out;
}

}  // namespace trimode

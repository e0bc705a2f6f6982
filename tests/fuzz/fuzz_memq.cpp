// fuzz_memq: the hypervisor's allocator (sw/hypervisor/memq/memq.c) against
// its C++ reference model (models/alloc), on operation sequences decoded from
// the input: geometry first (RAM base and size, granule, table size), then
// reserve / alloc / alloc_at / shrink / shrink_below / free_all with chosen
// VM ids and sizes. After every operation both agree on the status and the
// whole global queue, memq_check holds, and a failed call changed nothing.
// (alloc_at has no reference counterpart: it is checked by the invariants
// and by "a failure changes nothing"; after a successful one the reference
// cannot follow, so the input ends there.)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

#include "memq.h"
#include "models/alloc/alloc_ref.hpp"

namespace {

using trimode::AllocRef;
using trimode::AllocStatus;
using trimode::AllocTuple;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_memq: FAILURE: %s\n", what);
    std::abort();
  }
}

struct Input {
  const uint8_t* p;
  size_t left;
  uint32_t take(unsigned bytes) {
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes && left; i++, left--) v |= uint32_t{*p++} << (8 * i);
    return v;
  }
};

std::vector<AllocTuple> global_of(const memq& q) {
  std::vector<AllocTuple> out;
  for (uint32_t i = 0; i < memq_global_count(&q); i++) {
    const memq_seg* s = memq_global_at(&q, i);
    out.push_back(AllocTuple{s->base, s->size, s->owner});
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  const uint32_t granule = 1u << (in.take(1) % 13);
  const uint32_t granules = in.take(1) % 200 + 1;
  const uint32_t ram_base = (in.take(1) % 2 ? 0x80000000u : in.take(2) * granule);
  const uint32_t max_segs = in.take(1) % MEMQ_MAX_SEGS_PER_VM + 1;
  const uint32_t ram_size = granules * granule;
  auto q = std::make_unique<memq>();
  if (memq_init(q.get(), ram_base, ram_size, granule, max_segs) != MEMQ_OK) return 0;
  std::unique_ptr<AllocRef> ref;
  try {
    ref = std::make_unique<AllocRef>(ram_base, ram_size, granule,
                                     trimode::AllocLimits{MEMQ_MAX_VMS, max_segs, MEMQ_MAX_RESERVED});
  } catch (const std::invalid_argument&) {
    require(false, "memq_init accepted a geometry the reference rejects");
  }
  while (in.left) {
    const uint32_t op = in.take(1) % 6;
    uint32_t vm = in.take(1) % (MEMQ_MAX_VMS + 2);
    uint32_t n = in.take(1) % 2 ? (in.take(1) % 8 + 1) * granule - in.take(1) % 3 : in.take(4);
    const uint32_t base = ram_base + in.take(2) * granule / (in.take(1) % 4 + 1);
    const uint64_t limit = uint64_t{ram_base} + uint64_t{in.take(2) % (granules + 1)} * granule;
    const auto before = global_of(*q);
    int st = 0;
    int rs = -1;
    switch (op) {
      case 0: st = memq_reserve(q.get(), base, n); rs = static_cast<int>(ref->reserve(base, n)); break;
      case 1: st = memq_alloc(q.get(), vm, n); rs = static_cast<int>(ref->alloc(vm, n)); break;
      case 2: st = memq_shrink(q.get(), vm, n); rs = static_cast<int>(ref->shrink(vm, n)); break;
      case 3: st = memq_shrink_below(q.get(), vm, n, limit); rs = static_cast<int>(ref->shrink_below(vm, n, limit)); break;
      case 4: st = memq_free_all(q.get(), vm); rs = static_cast<int>(ref->free_all(vm)); break;
      default: st = memq_alloc_at(q.get(), vm, base, n); break;
    }
    require(memq_check(q.get()) == MEMQ_OK, "memq_check fails");
    if (st != MEMQ_OK) require(global_of(*q) == before, "a failed call changed the state");
    if (rs >= 0) {
      require(st == rs, "status differs from the reference");
      require(global_of(*q) == ref->global(), "state differs from the reference");
    } else if (st == MEMQ_OK) {
      return 0;  // alloc_at succeeded: the reference cannot follow, stop here
    }
  }
  return 0;
}

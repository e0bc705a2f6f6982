/* The hypervisor's physical-memory allocator: the seed's global and local
 * memory queues, with "aggressive" scattered allocation.
 *
 * Physical RAM [ram_base, ram_base + ram_size) is handed out as (base, size)
 * tuples. The GLOBAL memory queue holds every allocated tuple ordered by base,
 * each with its owner (0 = V, the hypervisor itself; 1..MEMQ_MAX_VMS = a VM).
 * A VM's LOCAL memory queue is its own tuples in base order: here it is the
 * owner-filtered view of the global queue (one store, nothing to keep in
 * sync); memq_vm_segments() materialises it, which is what V writes into the
 * VM's hardware segment table and hands to the guest kernel.
 *
 * Allocation, memq_alloc(q, vm, n): n is rounded up to the granule; the free
 * gaps are walked in address order and each gives as much as is still needed,
 * always from its low end, until n is met. A gap that fits exactly is used.
 * Worked example (the seed's, granule 1, RAM [0,32)): with (0,4) (8,2) (15,9)
 * allocated, the gaps are [4,8) [10,15) [24,32); a request of 12 by a new VM
 * yields (4,4), (10,5), (24,3) and leaves [27,32) free.
 *
 * Invariants (memq_check): tuples are sorted by base, non-empty, inside RAM,
 * granule-aligned and disjoint; two tuples of one owner never touch (adjacent
 * tuples of one owner are merged into one); each VM holds at most
 * max_segs_per_vm tuples, V at most MEMQ_MAX_RESERVED.
 *
 * Every call is all-or-nothing: a call that returns anything but MEMQ_OK has
 * changed nothing. The new state is built in q->scratch and committed only
 * when every check passed.
 *
 * Freestanding C11: <stdint.h>, <stddef.h>, <string.h> only, no heap; the
 * same source builds for the RISC-V hypervisor and for host tests.
 */
#ifndef TRIMODE_MEMQ_H
#define TRIMODE_MEMQ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Highest VM id; VM ids are 1..MEMQ_MAX_VMS, owner 0 is V. */
#ifndef MEMQ_MAX_VMS
#define MEMQ_MAX_VMS 16
#endif

/* Upper bound for max_segs_per_vm (the hardware segment-table size). */
#ifndef MEMQ_MAX_SEGS_PER_VM
#define MEMQ_MAX_SEGS_PER_VM 32
#endif

/* Most tuples V may hold through memq_reserve(). */
#ifndef MEMQ_MAX_RESERVED
#define MEMQ_MAX_RESERVED 8
#endif

/* Global-queue capacity: every VM at its table limit plus V's reservations,
 * so the global queue itself can never be the reason a request fails. */
#define MEMQ_CAPACITY (MEMQ_MAX_VMS * MEMQ_MAX_SEGS_PER_VM + MEMQ_MAX_RESERVED)

#define MEMQ_OWNER_V 0u

enum memq_status {
  MEMQ_OK = 0,
  MEMQ_ENOMEM = 1, /* not enough free memory for the (rounded) request */
  MEMQ_ETABLE = 2, /* the result would exceed the owner's tuple limit */
  MEMQ_EINVAL = 3  /* bad argument: VM id, size 0, misaligned or
                      overlapping range, shrink beyond what the VM holds */
};

/* One tuple: [base, base + size), held by `owner`. */
struct memq_seg {
  uint32_t base;
  uint32_t size;
  uint32_t owner;
};

/* The allocator state. Treat the fields as private: use the functions. */
struct memq {
  uint32_t ram_base;
  uint32_t ram_size;
  uint32_t granule;
  uint32_t max_segs;          /* per VM */
  uint32_t count;             /* tuples in glb */
  uint32_t scratch_count;
  struct memq_seg glb[MEMQ_CAPACITY];     /* the global memory queue */
  struct memq_seg scratch[MEMQ_CAPACITY]; /* the next state, being built */
};

/* Empties q and sets its geometry. granule must be a power of two; ram_base
 * and ram_size multiples of it; ram_size > 0 and ram_base + ram_size <= 2^32;
 * 1 <= max_segs_per_vm <= MEMQ_MAX_SEGS_PER_VM. Otherwise MEMQ_EINVAL and q
 * is left untouched. Example: memq_init(q, 0x80000000, 128 << 20, 4096, 32). */
enum memq_status memq_init(struct memq *q, uint32_t ram_base, uint32_t ram_size,
                           uint32_t granule, uint32_t max_segs_per_vm);

/* Gives [base, base + size), widened outward to the granule, to V (owner 0):
 * the hypervisor's own image, stack and device-visible buffers. The range must
 * lie in RAM and be free (MEMQ_EINVAL otherwise); it merges with touching V
 * tuples; more than MEMQ_MAX_RESERVED V tuples: MEMQ_ETABLE. */
enum memq_status memq_reserve(struct memq *q, uint32_t base, uint32_t size);

/* Gives VM `vm` (1..MEMQ_MAX_VMS) n more bytes, rounded up to the granule, by
 * the aggressive gap walk above (this is also "grow"). MEMQ_EINVAL for a bad
 * vm or n == 0; MEMQ_ENOMEM when less than the rounded n is free; MEMQ_ETABLE
 * when the VM would then hold more than max_segs_per_vm tuples. */
enum memq_status memq_alloc(struct memq *q, uint32_t vm, uint32_t n);

/* Gives VM `vm` exactly [base, base + n): base must be a multiple of the
 * granule, n is rounded up to it, and the whole range must lie in RAM and be
 * free (MEMQ_EINVAL otherwise, also for a bad vm or n == 0). Merges with
 * touching tuples of the VM; MEMQ_ETABLE when the VM would then hold more
 * than max_segs_per_vm tuples. Used for a guest kernel linked at a fixed
 * physical address: memq_alloc_at(q, 1, 0x80400000, 256 << 10). */
enum memq_status memq_alloc_at(struct memq *q, uint32_t vm, uint32_t base, uint32_t n);

/* "Shred": takes n bytes (rounded up to the granule) back from the VM's
 * HIGHEST addresses, dropping whole top tuples and trimming the next one from
 * its top. Example: VM holds (4,4) (10,5) (24,3); shrink 5 -> (4,4) (10,3).
 * MEMQ_EINVAL for a bad vm, n == 0 or n larger than the VM holds. */
enum memq_status memq_shrink(struct memq *q, uint32_t vm, uint32_t n);

/* memq_shrink, counting only the VM's memory below `limit`: what lies at or
 * above it stays (a tuple crossing `limit` is split there, which can need a
 * table entry: MEMQ_ETABLE). The hypervisor gives memory back this way below a
 * guest kernel's fixed slot. Example: VM holds (4,4) (10,5) (24,3); shrink 6
 * below 20 -> (4,3) (24,3). memq_shrink(q, vm, n) is memq_shrink_below(q, vm,
 * n, RAM end). */
enum memq_status memq_shrink_below(struct memq *q, uint32_t vm, uint32_t n, uint64_t limit);

/* VM shutdown: frees every tuple of `vm` (none held is fine). MEMQ_EINVAL
 * for a bad vm. */
enum memq_status memq_free_all(struct memq *q, uint32_t vm);

/* The VM's local memory queue: copies up to `max` of its tuples, in base
 * order, to out (out may be NULL when max is 0); returns how many it holds
 * (which may exceed max). 0 for an unknown vm. */
uint32_t memq_vm_segments(const struct memq *q, uint32_t vm, struct memq_seg *out,
                          uint32_t max);

/* Bytes held by `owner` (0 = V). */
uint32_t memq_vm_total(const struct memq *q, uint32_t owner);

/* Bytes in no tuple. */
uint32_t memq_free_total(const struct memq *q);

/* The global memory queue: memq_global_count() tuples, memq_global_at(q, i)
 * for i below that, in base order. */
uint32_t memq_global_count(const struct memq *q);
const struct memq_seg *memq_global_at(const struct memq *q, uint32_t i);

/* MEMQ_OK when every invariant above holds, MEMQ_EINVAL otherwise (for
 * tests and hypervisor self-checks). */
enum memq_status memq_check(const struct memq *q);

/* Round n up to the granule, as every request is. 0 when that overflows. */
uint32_t memq_round(const struct memq *q, uint32_t n);

#ifdef __cplusplus
}
#endif

#endif /* TRIMODE_MEMQ_H */

/* The hypervisor's physical-memory allocator; contracts in memq.h.
 *
 * Every mutating call builds the next global queue in q->scratch through
 * emit() (which merges touching tuples of one owner), checks the result, and
 * only then copies it over q->glb: a failed call leaves q as it was. */
#include "memq.h"

#include <string.h>

static uint64_t seg_end(const struct memq_seg *s) {
  return (uint64_t)s->base + s->size;
}

static uint64_t ram_end(const struct memq *q) {
  return (uint64_t)q->ram_base + q->ram_size;
}

static int is_vm(uint32_t vm) { return vm >= 1 && vm <= MEMQ_MAX_VMS; }

/* n rounded up to the granule, in 64 bits (never overflows). */
static uint64_t round_up(const struct memq *q, uint64_t n) {
  return (n + q->granule - 1) & ~(uint64_t)(q->granule - 1);
}

uint32_t memq_round(const struct memq *q, uint32_t n) {
  uint64_t r = round_up(q, n);
  return r > UINT32_MAX ? 0 : (uint32_t)r;
}

static void scratch_begin(struct memq *q) { q->scratch_count = 0; }

/* Appends [base, base + size) of `owner` to the scratch queue, merging it
 * into the last tuple when that one has the same owner and ends at base.
 * Callers emit in base order. 0 when the scratch queue is full. */
static int emit(struct memq *q, uint32_t base, uint32_t size, uint32_t owner) {
  if (q->scratch_count > 0) {
    struct memq_seg *last = &q->scratch[q->scratch_count - 1];
    if (last->owner == owner && seg_end(last) == base) {
      last->size += size;
      return 1;
    }
  }
  if (q->scratch_count == MEMQ_CAPACITY) return 0;
  q->scratch[q->scratch_count].base = base;
  q->scratch[q->scratch_count].size = size;
  q->scratch[q->scratch_count].owner = owner;
  q->scratch_count++;
  return 1;
}

static uint32_t count_owner(const struct memq_seg *segs, uint32_t n, uint32_t owner) {
  uint32_t c = 0;
  for (uint32_t i = 0; i < n; i++) c += segs[i].owner == owner;
  return c;
}

/* The tuple limit of `owner`: the segment table for a VM, the reserve for V. */
static uint32_t owner_limit(const struct memq *q, uint32_t owner) {
  return owner == MEMQ_OWNER_V ? MEMQ_MAX_RESERVED : q->max_segs;
}

/* Commits the scratch queue when `owner` stays within its tuple limit. */
static enum memq_status scratch_commit(struct memq *q, uint32_t owner) {
  if (count_owner(q->scratch, q->scratch_count, owner) > owner_limit(q, owner))
    return MEMQ_ETABLE;
  memcpy(q->glb, q->scratch, q->scratch_count * sizeof q->glb[0]);
  q->count = q->scratch_count;
  return MEMQ_OK;
}

enum memq_status memq_init(struct memq *q, uint32_t ram_base, uint32_t ram_size,
                           uint32_t granule, uint32_t max_segs_per_vm) {
  if (granule == 0 || (granule & (granule - 1)) != 0) return MEMQ_EINVAL;
  if (ram_size == 0 || (ram_base & (granule - 1)) || (ram_size & (granule - 1)))
    return MEMQ_EINVAL;
  if ((uint64_t)ram_base + ram_size > ((uint64_t)1 << 32)) return MEMQ_EINVAL;
  if (max_segs_per_vm == 0 || max_segs_per_vm > MEMQ_MAX_SEGS_PER_VM) return MEMQ_EINVAL;
  q->ram_base = ram_base;
  q->ram_size = ram_size;
  q->granule = granule;
  q->max_segs = max_segs_per_vm;
  q->count = 0;
  q->scratch_count = 0;
  return MEMQ_OK;
}

/* Gives [lo, hi) to `owner` when nothing holds any of it (else MEMQ_EINVAL). */
static enum memq_status place_range(struct memq *q, uint64_t lo, uint64_t hi, uint32_t owner) {
  if (lo < q->ram_base || hi > ram_end(q)) return MEMQ_EINVAL;
  for (uint32_t i = 0; i < q->count; i++)
    if (q->glb[i].base < hi && seg_end(&q->glb[i]) > lo) return MEMQ_EINVAL;
  scratch_begin(q);
  int placed = 0;
  for (uint32_t i = 0; i < q->count; i++) {
    if (!placed && q->glb[i].base >= hi) {
      if (!emit(q, (uint32_t)lo, (uint32_t)(hi - lo), owner)) return MEMQ_ETABLE;
      placed = 1;
    }
    if (!emit(q, q->glb[i].base, q->glb[i].size, q->glb[i].owner)) return MEMQ_ETABLE;
  }
  if (!placed && !emit(q, (uint32_t)lo, (uint32_t)(hi - lo), owner)) return MEMQ_ETABLE;
  return scratch_commit(q, owner);
}

enum memq_status memq_reserve(struct memq *q, uint32_t base, uint32_t size) {
  if (size == 0) return MEMQ_EINVAL;
  return place_range(q, base & ~(uint64_t)(q->granule - 1), round_up(q, (uint64_t)base + size), MEMQ_OWNER_V);
}

enum memq_status memq_alloc(struct memq *q, uint32_t vm, uint32_t n) {
  if (!is_vm(vm) || n == 0) return MEMQ_EINVAL;
  uint64_t need = round_up(q, n);
  if (need > memq_free_total(q)) return MEMQ_ENOMEM;

  /* Walk gap, tuple, gap, tuple, ..., last gap; fill gaps from their start. */
  scratch_begin(q);
  uint64_t cursor = q->ram_base;
  for (uint32_t i = 0; i <= q->count; i++) {
    uint64_t gap_end = i < q->count ? q->glb[i].base : ram_end(q);
    if (need > 0 && gap_end > cursor) {
      uint64_t take = gap_end - cursor < need ? gap_end - cursor : need;
      if (!emit(q, (uint32_t)cursor, (uint32_t)take, vm)) return MEMQ_ETABLE;
      need -= take;
    }
    if (i < q->count) {
      if (!emit(q, q->glb[i].base, q->glb[i].size, q->glb[i].owner)) return MEMQ_ETABLE;
      cursor = seg_end(&q->glb[i]);
    }
  }
  return scratch_commit(q, vm);
}

enum memq_status memq_alloc_at(struct memq *q, uint32_t vm, uint32_t base, uint32_t n) {
  if (!is_vm(vm) || n == 0 || (base & (q->granule - 1))) return MEMQ_EINVAL;
  return place_range(q, base, round_up(q, (uint64_t)base + n), vm);
}

enum memq_status memq_shrink(struct memq *q, uint32_t vm, uint32_t n) {
  return memq_shrink_below(q, vm, n, ram_end(q));
}

/* The bytes of `vm` below `limit` in tuple s. */
static uint64_t part_below(const struct memq_seg *s, uint64_t limit) {
  if (s->base >= limit) return 0;
  return (seg_end(s) < limit ? seg_end(s) : limit) - s->base;
}

enum memq_status memq_shrink_below(struct memq *q, uint32_t vm, uint32_t n, uint64_t limit) {
  if (!is_vm(vm) || n == 0) return MEMQ_EINVAL;
  uint64_t give = round_up(q, n);
  uint64_t below = 0;
  for (uint32_t i = 0; i < q->count; i++)
    if (q->glb[i].owner == vm) below += part_below(&q->glb[i], limit);
  if (give > below) return MEMQ_EINVAL;

  /* Top down, the parts below limit are given whole until the one that
   * covers the rest, tuple `stop`, which loses `stop_cut` from its top; what
   * lies at or above limit stays (a crossing tuple is split at limit). */
  uint32_t stop = 0;
  uint64_t stop_cut = 0;
  for (uint32_t i = q->count; i-- > 0;) {
    if (q->glb[i].owner != vm) continue;
    const uint64_t part = part_below(&q->glb[i], limit);
    if (part >= give) {
      stop = i;
      stop_cut = give;
      break;
    }
    give -= part;
  }
  scratch_begin(q);
  for (uint32_t i = 0; i < q->count; i++) {
    const struct memq_seg *s = &q->glb[i];
    const uint64_t part = part_below(s, limit);
    const uint64_t cut = s->owner != vm || i < stop ? 0 : i == stop ? stop_cut : part;
    if (cut == 0) {
      if (!emit(q, s->base, s->size, s->owner)) return MEMQ_ETABLE;
      continue;
    }
    if (part > cut && !emit(q, s->base, (uint32_t)(part - cut), vm)) return MEMQ_ETABLE;
    if (seg_end(s) > limit && !emit(q, (uint32_t)limit, (uint32_t)(seg_end(s) - limit), vm)) return MEMQ_ETABLE;
  }
  return scratch_commit(q, vm);
}

enum memq_status memq_free_all(struct memq *q, uint32_t vm) {
  if (!is_vm(vm)) return MEMQ_EINVAL;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < q->count; i++)
    if (q->glb[i].owner != vm) q->glb[kept++] = q->glb[i];
  q->count = kept;
  return MEMQ_OK;
}

uint32_t memq_vm_segments(const struct memq *q, uint32_t vm, struct memq_seg *out,
                          uint32_t max) {
  uint32_t found = 0;
  for (uint32_t i = 0; i < q->count; i++) {
    if (q->glb[i].owner != vm) continue;
    if (found < max) out[found] = q->glb[i];
    found++;
  }
  return found;
}

uint32_t memq_vm_total(const struct memq *q, uint32_t owner) {
  uint32_t total = 0;
  for (uint32_t i = 0; i < q->count; i++)
    if (q->glb[i].owner == owner) total += q->glb[i].size;
  return total;
}

uint32_t memq_free_total(const struct memq *q) {
  uint32_t used = 0;
  for (uint32_t i = 0; i < q->count; i++) used += q->glb[i].size;
  return q->ram_size - used;
}

uint32_t memq_global_count(const struct memq *q) { return q->count; }

const struct memq_seg *memq_global_at(const struct memq *q, uint32_t i) {
  return i < q->count ? &q->glb[i] : NULL;
}

enum memq_status memq_check(const struct memq *q) {
  uint64_t prev_end = q->ram_base;
  for (uint32_t i = 0; i < q->count; i++) {
    const struct memq_seg *s = &q->glb[i];
    if (s->size == 0 || s->base < prev_end || seg_end(s) > ram_end(q)) return MEMQ_EINVAL;
    if ((s->base | s->size) & (q->granule - 1)) return MEMQ_EINVAL;
    if (s->owner > MEMQ_MAX_VMS) return MEMQ_EINVAL;
    if (i > 0 && q->glb[i - 1].owner == s->owner && seg_end(&q->glb[i - 1]) == s->base)
      return MEMQ_EINVAL;
    prev_end = seg_end(s);
  }
  for (uint32_t owner = 0; owner <= MEMQ_MAX_VMS; owner++)
    if (count_owner(q->glb, q->count, owner) > owner_limit(q, owner)) return MEMQ_EINVAL;
  return MEMQ_OK;
}

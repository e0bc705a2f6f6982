/*
 * vm.c: VM creation, memory (allocation, segment list and table, grow/shrink,
 * scrubbing), context save/load, the memory side of a VM's end, and the VM
 * hypercalls. The VM layer: uses only the library (vm.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kload.h"
#include "vm.h"
#include "trimode/elf32.h"
#include "trimode/mmio.h"

struct memq hv_mem;
struct vm hv_vms[HV_MAX_VMS + 1];
uint32_t hv_segs = HV_SEGS;

static struct memq trial; /* shrink is tried on a copy first */

const char *vm_name(uint32_t id) {
  return id <= HV_MAX_VMS && hv_vms[id].cfg ? hv_vms[id].cfg->name : "?";
}

static uint32_t segments_in(const struct memq *q, uint32_t id, struct memq_seg *out) {
  uint32_t n = memq_vm_segments(q, id, out, HV_SEGS);
  return n > HV_SEGS ? HV_SEGS : n;
}

/* After every allocator change for v: its segment list from the allocator. */
static void vm_sync_segments(struct vm *v) { v->n_seg = segments_in(&hv_mem, v->id, v->seg); }

/* The VM's hardware segment table from its segment list. */
static void vm_program_table(const struct vm *v) {
  for (uint32_t e = 0; e < hv_segs; e++) {
    TM_CSR_WRITE(TM_CSR_VSEGSEL, (v->id << TM_VSEGSEL_VM_SHIFT) | e);
    TM_CSR_WRITE(TM_CSR_VSEGBASE, e < v->n_seg ? v->seg[e].base : 0);
    TM_CSR_WRITE(TM_CSR_VSEGSIZE, e < v->n_seg ? v->seg[e].size : 0);
  }
}

/* Zeroes what `now` holds and `before` did not (before's tuples each lie
 * inside one of now's: tuples of one owner only grow and merge). */
static void zero_added(const struct memq_seg *before, uint32_t nb, const struct memq_seg *now, uint32_t nn) {
  for (uint32_t i = 0; i < nn; i++) {
    uint32_t cursor = now[i].base;
    const uint32_t end = now[i].base + now[i].size;
    for (uint32_t j = 0; j < nb; j++) {
      if (before[j].base < cursor || before[j].base >= end) continue;
      hv_wzero(cursor, before[j].base - cursor);
      cursor = before[j].base + before[j].size;
    }
    if (end > cursor) hv_wzero(cursor, end - cursor);
  }
}

int vm_phys_ok(const struct vm *v, uint32_t addr, uint32_t len) {
  for (uint32_t i = 0; i < v->n_seg; i++)
    if (addr >= v->seg[i].base && (uint64_t)addr + len <= (uint64_t)v->seg[i].base + v->seg[i].size) return 1;
  return 0;
}

static int kslot_in(const struct memq_seg *s, uint32_t n, const struct vm *v) {
  for (uint32_t i = 0; i < n; i++)
    if (s[i].base <= v->kslot && (uint64_t)s[i].base + s[i].size >= (uint64_t)v->kslot + TM_KSLOT_SIZE) return 1;
  return 0;
}

static int image_ok(uint32_t index, const struct tm_image **out) {
  if (index >= tm_bootinfo.n_images) return 0;
  const struct tm_image *im = &tm_bootinfo.images[index];
  /* images lie in V's reserved memory, below reserved_end */
  if (im->addr < tm_bootinfo.ram_base || (uint64_t)im->addr + im->size > tm_bootinfo.reserved_end) return 0;
  *out = im;
  return 1;
}

static int fail(struct vm *v, const char *why) {
  hv_printf("[hv] %s: not created: %s\n", v->cfg->name, why);
  if (v->id) memq_free_all(&hv_mem, v->id);
  v->n_seg = 0; /* its table was never programmed */
  v->status = VM_EMPTY;
  tm_bootinfo.report.vm_state[v->id] = TM_VM_STOPPED;
  tm_bootinfo.report.vm_code[v->id] = TM_VM_CODE_NOT_CREATED;
  return -1;
}

/* Pass 1 of the boot: every VM's kernel region (contiguous, at the top of
 * RAM, side by side in VM order: kload.h), before any VM's scattered memory
 * is placed (which then lies below every region). */
void vm_reserve_slot(const struct tm_vm *cfg) {
  if (cfg->id >= 1 && cfg->id <= HV_MAX_VMS && !hv_vms[cfg->id].kslot && !tm_bootinfo.vm_image[cfg->id])
    hv_vms[cfg->id].kslot = kload_place(&hv_mem, cfg->id, tm_bootinfo.ram_base, tm_bootinfo.ram_size);
}

/* A per-VM limit over its table's size (trimode's loader refuses one; another
 * boot-info writer might not): the table's size, and said so. */
static uint32_t within(uint32_t id, const char *key, uint32_t value, uint32_t max) {
  if (value <= max) return value;
  hv_printf("[hv] %s: limits.%s %lu over the limit %lu: %lu used\n", vm_name(id), key, (unsigned long)value,
            (unsigned long)max, (unsigned long)max);
  return max;
}

/* The scenario's limits, defaults for fields left 0, within the tables. */
static void limits_of(uint32_t id, struct tm_limits *l) {
  *l = tm_bootinfo.limits[id];
  if (!l->files) l->files = TM_DEFAULT_FILES;
  if (!l->file_bytes) l->file_bytes = TM_DEFAULT_FILE_BYTES;
  l->fds = l->fds ? within(id, "fds", l->fds, TM_FD_SLOTS) : TM_DEFAULT_FDS;
  l->queue_per_sender = l->queue_per_sender ? within(id, "queue_per_sender", l->queue_per_sender, TM_QUEUE_SLOTS_MAX)
                                            : TM_DEFAULT_QUEUE_PER_SENDER;
  if (!l->queue_per_port) l->queue_per_port = TM_DEFAULT_QUEUE_PER_PORT;
  if (!l->cpu_ms) l->cpu_ms = TM_DEFAULT_CPU_MS;
  if (!l->wall_ms) l->wall_ms = TM_DEFAULT_WALL_MS;
}

int vm_create(const struct tm_vm *cfg) {
  const uint32_t id = cfg->id;
  if (id < 1 || id > HV_MAX_VMS || hv_vms[id].cfg) {
    hv_printf("[hv] VM id %lu: not created: bad or duplicate id\n", (unsigned long)id);
    return -1;
  }
  struct vm *v = &hv_vms[id];
  const uint32_t kslot = v->kslot; /* placed in pass 1 */
  memset(v, 0, sizeof *v);
  v->id = id;
  v->cfg = cfg;
  v->kslot = kslot;
  v->weight = cfg->weight ? cfg->weight : 1;
  limits_of(id, &v->lim); /* (the initial files' quotas: io_init) */
  if (tm_bootinfo.vm_image[id]) {
    v->status = VM_SUSPENDED;
    return 1;
  }
  const struct tm_image *kim;
  if (!image_ok(cfg->kernel, &kim)) return fail(v, "no kernel image");
  if (cfg->n_programs > TM_VM_INFO_MAX_PROGS || cfg->n_start > cfg->n_programs) return fail(v, "bad program list");
  uint32_t mem = cfg->mem_bytes < TM_KSLOT_SIZE ? TM_KSLOT_SIZE : cfg->mem_bytes;
  mem = memq_round(&hv_mem, mem);
  if (mem == 0) return fail(v, "bad memory size");

  /* The kernel region (placed in pass 1), then the rest scattered over
   * whatever gaps exist. */
  vm_sync_segments(v);
  if (!kslot || !kslot_in(v->seg, v->n_seg, v)) return fail(v, "no free range for the kernel region");
  if (mem > TM_KSLOT_SIZE && memq_alloc(&hv_mem, id, mem - TM_KSLOT_SIZE) != MEMQ_OK)
    return fail(v, "not enough memory or segment-table entries");
  vm_sync_segments(v);
  zero_added(NULL, 0, v->seg, v->n_seg);

  struct elf32_info info;
  int rc = elf32_parse((const void *)(uintptr_t)kim->addr, kim->size, &info);
  if (rc) return fail(v, elf32_error(rc));
  if (info.hi > TM_KSLOT_SIZE) return fail(v, "kernel image larger than the kernel region (linked at 0?)");
  elf32_copy((const void *)(uintptr_t)kim->addr, &info, v->kslot);
  const char *why;
  if (kload_relocate((const void *)(uintptr_t)kim->addr, kim->size, v->kslot, info.hi, &why)) {
    hv_printf("[hv] %s: kernel %s: %s\n", cfg->name, kim->name, why);
    return fail(v, "kernel cannot be relocated");
  }

  /* Program ELFs (their loadable prefix) go into the kernel slot after the
   * kernel image; the kernel learns where from vm_info. */
  uint32_t dst = (v->kslot + info.hi + 15u) & ~15u;
  for (uint32_t j = 0; j < cfg->n_programs; j++) {
    const struct tm_image *pim;
    struct elf32_info pinfo;
    if (!image_ok(cfg->programs[j], &pim)) return fail(v, "bad program image index");
    rc = elf32_parse((const void *)(uintptr_t)pim->addr, pim->size, &pinfo);
    if (rc) {
      hv_printf("[hv] %s: program %s: %s\n", cfg->name, pim->name, elf32_error(rc));
      return fail(v, "bad program ELF");
    }
    if ((uint64_t)dst + pinfo.prefix > (uint64_t)v->kslot + TM_KSLOT_SIZE) return fail(v, "programs do not fit the kernel region");
    memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)pim->addr, pinfo.prefix);
    v->info_progs[j][0] = dst;
    v->info_progs[j][1] = pinfo.prefix;
    dst = (dst + pinfo.prefix + 15u) & ~15u;
  }
  v->n_progs = cfg->n_programs;
  v->n_start = cfg->n_start;
  mmio_fence_i();

  vm_program_table(v);
  v->regs[10] = id;
  v->vepc = v->kslot + info.entry;
  v->vstatus = TM_MODE_G << TM_VSTATUS_PM_SHIFT;
  v->quota = mem * HV_QUOTA_FACTOR;
  v->cpu_max = (uint64_t)v->lim.cpu_ms * HV_TICKS_PER_MS;
  v->wall_end = hv_now() + (uint64_t)v->lim.wall_ms * HV_TICKS_PER_MS;
  v->status = VM_READY;
  tm_bootinfo.report.vm_state[id] = TM_VM_RUNNING;
  hv_printf("[hv] %s: VM %lu, %lu KiB in %lu segment%s, kernel image \"%s\" at 0x%08lx, weight %lu, %lu program%s\n",
            cfg->name, (unsigned long)id, (unsigned long)(mem >> 10), (unsigned long)v->n_seg, v->n_seg == 1 ? "" : "s",
            kim->name, (unsigned long)v->vepc, (unsigned long)v->weight, (unsigned long)v->n_progs,
            v->n_progs == 1 ? "" : "s");
  return 0;
}

/* Every read-write CSR of G is switched per VM: a G CSR added to spec/csrs.txt
 * without a place here would be shared by every VM (docs/adding-an-instruction-or-csr.md). */
_Static_assert(G_NCSR == TM_NUM_G_RW_CSRS, "spec/csrs.txt has a G CSR that vm_save/vm_load do not switch");

static const uint16_t g_csr[G_NCSR] = {TM_CSR_GTVEC,    TM_CSR_GEPC,   TM_CSR_GCAUSE, TM_CSR_GTVAL,
                                       TM_CSR_GSCRATCH, TM_CSR_GSTATUS, TM_CSR_GIP,    TM_CSR_GPID,
                                       TM_CSR_GBASE,    TM_CSR_GBOUND};

void vm_save(struct vm *v, const uint32_t *frame) {
  hv_wcopy(v->regs, frame, 32);
  v->vepc = TM_CSR_READ(TM_CSR_VEPC);
  v->vstatus = TM_CSR_READ(TM_CSR_VSTATUS);
  v->g[G_TVEC] = TM_CSR_READ(TM_CSR_GTVEC);
  v->g[G_EPC] = TM_CSR_READ(TM_CSR_GEPC);
  v->g[G_CAUSE] = TM_CSR_READ(TM_CSR_GCAUSE);
  v->g[G_TVAL] = TM_CSR_READ(TM_CSR_GTVAL);
  v->g[G_SCRATCH] = TM_CSR_READ(TM_CSR_GSCRATCH);
  v->g[G_STATUS] = TM_CSR_READ(TM_CSR_GSTATUS);
  v->g[G_IP] = TM_CSR_READ(TM_CSR_GIP);
  v->g[G_PID] = TM_CSR_READ(TM_CSR_GPID);
  v->g[G_BASE] = TM_CSR_READ(TM_CSR_GBASE);
  v->g[G_BOUND] = TM_CSR_READ(TM_CSR_GBOUND);
  (void)g_csr;
}

void vm_load(struct vm *v, uint32_t *frame) {
  TM_CSR_WRITE(TM_CSR_VMID, v->id);
  TM_CSR_WRITE(TM_CSR_GTVEC, v->g[G_TVEC]);
  TM_CSR_WRITE(TM_CSR_GEPC, v->g[G_EPC]);
  TM_CSR_WRITE(TM_CSR_GCAUSE, v->g[G_CAUSE]);
  TM_CSR_WRITE(TM_CSR_GTVAL, v->g[G_TVAL]);
  TM_CSR_WRITE(TM_CSR_GSCRATCH, v->g[G_SCRATCH]);
  TM_CSR_WRITE(TM_CSR_GSTATUS, v->g[G_STATUS]);
  TM_CSR_WRITE(TM_CSR_GIP, v->g[G_IP]);
  TM_CSR_WRITE(TM_CSR_GPID, v->g[G_PID]);
  TM_CSR_WRITE(TM_CSR_GBASE, v->g[G_BASE]);
  TM_CSR_WRITE(TM_CSR_GBOUND, v->g[G_BOUND]);
  TM_CSR_WRITE(TM_CSR_VEPC, v->vepc);
  TM_CSR_WRITE(TM_CSR_VSTATUS, v->vstatus);
  hv_wcopy(frame, v->regs, 32);
  frame[0] = 0;
}

void vm_end(struct vm *v, uint32_t state, uint32_t code) {
  if (v->status == VM_DONE) return;
  v->status = VM_DONE;
  tm_bootinfo.report.vm_state[v->id] = state;
  tm_bootinfo.report.vm_code[v->id] = code;
  /* scrub, then free: the next owner of this memory sees zeroes */
  vm_release_memory(v);
}

void vm_denied(struct vm *v, const char *fmt, ...) {
  if (v->n_denied++ >= TM_LIMIT_DENIED_LOG) return;
  va_list ap;
  va_start(ap, fmt);
  hv_printf("[hv] denied: %s ", v->cfg->name);
  vprintf(fmt, ap);
  hv_printf("\n");
  va_end(ap);
  if (v->n_denied == TM_LIMIT_DENIED_LOG)
    hv_printf("[hv] %s: %lu refusals logged; later ones are counted, not logged\n", v->cfg->name,
              (unsigned long)TM_LIMIT_DENIED_LOG);
}

void vm_print_denied(const struct vm *v) {
  if (v->n_denied > TM_LIMIT_DENIED_LOG)
    hv_printf("[hv] %s: %lu more refusals not logged\n", v->cfg->name,
              (unsigned long)(v->n_denied - TM_LIMIT_DENIED_LOG));
}

void vm_release_memory(struct vm *v) {
  for (uint32_t i = 0; i < v->n_seg; i++) hv_wzero(v->seg[i].base, v->seg[i].size);
  memq_free_all(&hv_mem, v->id);
  vm_set_segments(v); /* all entries unused */
}

void vm_set_segments(struct vm *v) {
  vm_sync_segments(v);
  vm_program_table(v);
}

static long hc_vm_info(struct vm *v, uint32_t buf) {
  const uint32_t n = v->n_seg;
  const uint32_t words = 2 + 2 * n + 1 + 2 * v->n_progs + 1 + 1;
  if ((buf & 3) || !vm_phys_ok(v, buf, words * 4)) return -TM_EFAULT;
  uint32_t *w = (uint32_t *)(uintptr_t)buf;
  uint32_t p = 0;
  w[p++] = v->id;
  w[p++] = n;
  for (uint32_t i = 0; i < n; i++) {
    w[p++] = v->seg[i].base;
    w[p++] = v->seg[i].size;
  }
  w[p++] = v->n_progs;
  for (uint32_t j = 0; j < v->n_progs; j++) {
    w[p++] = v->info_progs[j][0];
    w[p++] = v->info_progs[j][1];
  }
  w[p++] = v->n_start;
  w[p++] = tm_bootinfo.flags & TM_BOOT_TEST_HOOKS;
  return (long)n;
}

static long hc_vm_grow(struct vm *v, uint32_t bytes) {
  const uint32_t r = memq_round(&hv_mem, bytes);
  if (bytes == 0 || r == 0) return -TM_EINVAL;
  const uint32_t held = memq_vm_total(&hv_mem, v->id);
  if ((uint64_t)held + r > v->quota) {
    vm_denied(v, "vm_grow %lu KiB: quota %lu KiB reached (it holds %lu KiB)", (unsigned long)(r >> 10),
              (unsigned long)(v->quota >> 10), (unsigned long)(held >> 10));
    return -TM_ENOMEM;
  }
  struct memq_seg before[HV_SEGS];
  const uint32_t nb = v->n_seg;
  memcpy(before, v->seg, sizeof before);
  enum memq_status st = memq_alloc(&hv_mem, v->id, r);
  if (st != MEMQ_OK) {
    vm_denied(v, "vm_grow %lu KiB: %s", (unsigned long)(r >> 10),
              st == MEMQ_ETABLE ? "segment table full" : "no free memory");
    return -TM_ENOMEM;
  }
  vm_sync_segments(v);
  zero_added(before, nb, v->seg, v->n_seg);
  vm_program_table(v);
  vm_snapshot_map(1);  /* the report's second picture: after the last grow */
  return (long)v->n_seg;
}

static long hc_vm_shrink(struct vm *v, uint32_t bytes) {
  if (bytes == 0) return -TM_EINVAL;
  hv_wcopy((uint32_t *)&trial, (const uint32_t *)&hv_mem, sizeof trial / 4);
  /* From the VM's highest addresses below its kernel slot: the slot stays. */
  struct memq_seg after[HV_SEGS];
  if (memq_shrink_below(&trial, v->id, bytes, v->kslot) != MEMQ_OK) return -TM_EINVAL;
  const uint32_t na = segments_in(&trial, v->id, after);
  if (!kslot_in(after, na, v)) return -TM_EINVAL;
  /* scrub what goes back */
  zero_added(after, na, v->seg, v->n_seg);
  hv_wcopy((uint32_t *)&hv_mem, (const uint32_t *)&trial, sizeof trial / 4);
  vm_sync_segments(v);
  vm_program_table(v);
  return (long)v->n_seg;
}

/* vm_moved: the resume record (sys.h, TM_MOVED_WORDS), once. */
static long hc_vm_moved(struct vm *v, uint32_t buf) {
  if (!v->mv_pending) return -TM_EINVAL;
  if ((buf & 3) || !vm_phys_ok(v, buf, TM_MOVED_WORDS * 4)) return -TM_EFAULT;
  uint32_t *w = (uint32_t *)(uintptr_t)buf;
  w[0] = v->mv_mode;
  w[1] = v->mv_pc;
  hv_wcopy(w + 2, v->mv_regs, 32);
  w[34] = v->n_mv;
  for (uint32_t i = 0; i < v->n_mv; i++) {
    w[35 + 3 * i] = v->mv_old[i];
    w[36 + 3 * i] = v->mv_new[i];
    w[37 + 3 * i] = v->mv_size[i];
  }
  v->mv_pending = 0;
  return (long)v->n_mv;
}

enum hc_result vm_hcall(struct vm *v, uint32_t *frame, uint32_t *code) {
  const uint32_t a0 = frame[10];
  long r;
  switch (frame[17]) {
    case TM_SYS_VM_INFO: r = hc_vm_info(v, a0); break;
    case TM_SYS_VM_GROW: r = hc_vm_grow(v, a0); break;
    case TM_SYS_VM_SHRINK: r = hc_vm_shrink(v, a0); break;
    case TM_SYS_VM_MOVED: r = hc_vm_moved(v, a0); break;
    case TM_SYS_VM_SHUTDOWN:
      hv_printf("[hv] %s shut down, code %ld\n", v->cfg->name, (long)(int32_t)a0);
      *code = a0;
      return HC_END_VM;
    case TM_SYS_VM_CHECKPOINT:
      *code = a0;
      return HC_CHECKPOINT;
    default: r = -TM_ENOSYS; break;
  }
  frame[10] = (uint32_t)r;
  return HC_DONE;
}

/* The report's memory-map pictures: step 0 after boot, step 1 after the last
 * grow (or at the end when no VM grew). */
void vm_snapshot_map(uint32_t step) {
  if (step >= 2) return;
  struct tm_map *m = &tm_bootinfo.report.map[step];
  uint32_t n = memq_global_count(&hv_mem);
  if (n > TM_MAX_MAP) n = TM_MAX_MAP;
  m->n = n;
  for (uint32_t i = 0; i < n; i++) {
    const struct memq_seg *s = memq_global_at(&hv_mem, i);
    m->seg[i].base = s->base;
    m->seg[i].size = s->size;
    m->seg[i].owner = s->owner;
  }
  if (tm_bootinfo.report.map_steps < step + 1) tm_bootinfo.report.map_steps = step + 1;
}

void vm_print_map(const char *title) {
  hv_printf("[hv] memory map (%s):\n", title);
  for (uint32_t i = 0; i < memq_global_count(&hv_mem); i++) {
    const struct memq_seg *s = memq_global_at(&hv_mem, i);
    if (s->owner == MEMQ_OWNER_V)
      hv_printf("[hv]   0x%08lx %6lu KiB  hypervisor\n", (unsigned long)s->base, (unsigned long)(s->size >> 10));
    else
      hv_printf("[hv]   0x%08lx %6lu KiB  %s%s\n", (unsigned long)s->base, (unsigned long)(s->size >> 10),
                vm_name(s->owner <= HV_MAX_VMS ? s->owner : s->owner - HV_MAX_VMS),
                s->owner <= HV_MAX_VMS ? "" : " (image)");
  }
}

/* VM checkpoint and resume (ckpt.h). */
#include <string.h>

#include "ckpt.h"
#include "io.h"
#include "kload.h"
#include "trimode/mmio.h"

_Static_assert(CKPT_STORE_OWNER(HV_MAX_VMS) <= MEMQ_MAX_VMS, "the allocator has an owner for every VM's image");
/* put_state writes the body from its start: the id, then the name, where trimode reads them */
_Static_assert(TM_VMIMAGE_ID_AT == CKPT_HEADER_BYTES && TM_VMIMAGE_NAME_AT == TM_VMIMAGE_ID_AT + 4 &&
                   TM_VMIMAGE_LIMITS_AT == TM_VMIMAGE_NAME_AT + TM_NAME_LEN &&
                   sizeof(struct tm_limits) == 4 * TM_VMIMAGE_LIMITS_WORDS,
               "put_state's first fields are where trimode/vmimage.h places them");

static struct memq_seg chunks[HV_SEGS];

static uint32_t image_chunks(uint32_t id) {
  const uint32_t n = memq_vm_segments(&hv_mem, CKPT_STORE_OWNER(id), chunks, HV_SEGS);
  return n > HV_SEGS ? HV_SEGS : n;
}

static void put64(struct hv_stream *s, uint64_t x) {
  hv_stream_put32(s, (uint32_t)x);
  hv_stream_put32(s, (uint32_t)(x >> 32));
}
static uint64_t get64(struct hv_stream *s) {
  const uint64_t lo = hv_stream_get32(s);
  return lo | (uint64_t)hv_stream_get32(s) << 32;
}
static uint64_t ahead(uint64_t t, uint64_t now) { return t > now ? t - now : 0; }

/* The VM's kernel ELF (boot info image), or 0. */
static const struct tm_image *kernel_of(const struct vm *v) {
  if (v->cfg->kernel >= tm_bootinfo.n_images) return 0;
  const struct tm_image *im = &tm_bootinfo.images[v->cfg->kernel];
  if (im->addr < tm_bootinfo.ram_base || (uint64_t)im->addr + im->size > tm_bootinfo.reserved_end) return 0;
  return im;
}

/* FNV-1a 32 of the kernel ELF, kept in the image: a resume relocates the
 * kernel's copy with this ELF's relocations, so it must be the same ELF. */
static uint32_t kernel_hash(const struct vm *v) {
  const struct tm_image *im = kernel_of(v);
  uint32_t h = 2166136261u;
  if (!im) return 0;
  for (const uint8_t *p = (const uint8_t *)(uintptr_t)im->addr, *e = p + im->size; p < e; p++) h = (h ^ *p) * 16777619u;
  return h;
}

/* The body: the VM's state (times relative to `now`) and its segment list
 * (put_state), then every byte of its segments, then its descriptors and
 * queued messages (io_save). Read back in the same order. */
static void put_state(struct hv_stream *s, struct vm *v, uint64_t now) {
  hv_stream_put32(s, v->id);                   /* at TM_VMIMAGE_ID_AT */
  hv_stream_put(s, v->cfg->name, TM_NAME_LEN); /* at TM_VMIMAGE_NAME_AT */
  hv_stream_put(s, &v->lim, sizeof v->lim);    /* at TM_VMIMAGE_LIMITS_AT */
  hv_stream_put32(s, kernel_hash(v));
  hv_stream_put(s, v->regs, sizeof v->regs);
  hv_stream_put32(s, v->vepc);
  hv_stream_put32(s, v->vstatus);
  hv_stream_put(s, v->g, sizeof v->g);
  put64(s, v->cpu_ticks);
  hv_stream_put32(s, v->vt_period);
  put64(s, ahead(v->vt_next, now));
  hv_stream_put32(s, v->kslot);
  hv_stream_put32(s, v->quota);
  hv_stream_put(s, v->info_progs, sizeof v->info_progs);
  hv_stream_put32(s, v->n_progs);
  hv_stream_put32(s, v->n_start);
  put64(s, v->cpu_max);
  put64(s, ahead(v->wall_end, now));
  hv_stream_put(s, v->line, sizeof v->line);
  hv_stream_put(s, v->line_len, sizeof v->line_len);
  hv_stream_put(s, v->line_pid, sizeof v->line_pid);
  hv_stream_put32(s, v->n_vcall);
  hv_stream_put32(s, v->n_hcall);
  hv_stream_put32(s, v->n_seg);
  for (uint32_t i = 0; i < v->n_seg; i++) {
    hv_stream_put32(s, v->seg[i].base);
    hv_stream_put32(s, v->seg[i].size);
  }
}

static const char *get_state(struct hv_stream *s, struct vm *t, uint64_t now) {
  char name[TM_NAME_LEN];
  if (hv_stream_get32(s) != t->id) return "the image is of another VM";
  hv_stream_get(s, name, TM_NAME_LEN);
  if (strncmp(name, t->cfg->name, TM_NAME_LEN) != 0) return "the image is of a VM of another name";
  hv_stream_get(s, &t->lim, sizeof t->lim);
  if (hv_stream_get32(s) != kernel_hash(t)) return "the image was made with another guest kernel";
  hv_stream_get(s, t->regs, sizeof t->regs);
  t->vepc = hv_stream_get32(s);
  t->vstatus = hv_stream_get32(s);
  hv_stream_get(s, t->g, sizeof t->g);
  t->cpu_ticks = get64(s);
  t->vt_period = hv_stream_get32(s);
  t->vt_next = now + get64(s);
  t->kslot = hv_stream_get32(s);
  t->quota = hv_stream_get32(s);
  hv_stream_get(s, t->info_progs, sizeof t->info_progs);
  t->n_progs = hv_stream_get32(s);
  t->n_start = hv_stream_get32(s);
  t->cpu_max = get64(s);
  t->wall_end = now + get64(s);
  hv_stream_get(s, t->line, sizeof t->line);
  hv_stream_get(s, t->line_len, sizeof t->line_len);
  hv_stream_get(s, t->line_pid, sizeof t->line_pid);
  t->n_vcall = hv_stream_get32(s);
  t->n_hcall = hv_stream_get32(s);
  t->n_seg = hv_stream_get32(s);
  if (s->overflow || t->n_seg == 0 || t->n_seg > HV_SEGS || t->n_progs > TM_VM_INFO_MAX_PROGS ||
      t->line_len[0] > HV_LINE_MAX || t->line_len[1] > HV_LINE_MAX)
    return "bad VM state";
  for (uint32_t i = 0; i < t->n_seg; i++) {
    t->seg[i].base = hv_stream_get32(s);
    t->seg[i].size = hv_stream_get32(s);
    t->seg[i].owner = t->id;
  }
  return s->overflow ? "truncated" : 0;
}

/* The most bytes an image of v can take. */
static uint32_t image_bound(const struct vm *v) {
  uint32_t b = CKPT_HEADER_BYTES + sizeof(struct vm) + 64 + v->n_seg * 8;
  b += 4 + v->lim.files * (8 + TM_NAME_LEN + TM_FILE_MAX);
  b += 4 + TM_LIMIT_KEYS * (8 + TM_LIMIT_KEY_QUEUE * (4 + TM_MSG_MAX));
  b += 4 + TM_FD_SLOTS * (20 + TM_NAME_LEN) + 4 + (TM_MAX_FILTERS + TM_MAX_VMS) * TM_QUEUE_SLOTS_MAX * (16 + TM_MSG_MAX);
  for (uint32_t i = 0; i < v->n_seg; i++) b += v->seg[i].size;
  return b;
}

void ckpt_drop(uint32_t id) {
  const uint32_t n = image_chunks(id);
  for (uint32_t i = 0; i < n; i++) hv_wzero(chunks[i].base, chunks[i].size);
  memq_free_all(&hv_mem, CKPT_STORE_OWNER(id));
}

const char *ckpt_suspend(struct vm *v, uint64_t now, uint64_t resume_at) {
  if (v->status != VM_READY && v->status != VM_IDLE) return "not running";
  const uint32_t bytes = memq_round(&hv_mem, image_bound(v));
  if (bytes == 0 || memq_alloc(&hv_mem, CKPT_STORE_OWNER(v->id), bytes) != MEMQ_OK) return "no memory for its image";
  const uint32_t n = image_chunks(v->id);
  struct hv_stream s;
  hv_stream_init(&s, chunks, n);
  for (uint32_t i = 0; i < CKPT_HEADER_BYTES / 4; i++) hv_stream_put32(&s, 0);
  hv_stream_rehash(&s); /* the checksum covers the body only */
  put_state(&s, v, now);
  for (uint32_t i = 0; i < v->n_seg; i++)
    hv_stream_put(&s, (const void *)(uintptr_t)v->seg[i].base, v->seg[i].size);
  io_save(v, &s);
  if (s.overflow) { /* cannot happen (image_bound): refuse rather than lose the VM */
    ckpt_drop(v->id);
    return "image larger than its bound";
  }
  const uint32_t length = s.pos, sum = hv_stream_sum(&s);
  hv_stream_init(&s, chunks, n);
  hv_stream_put32(&s, CKPT_MAGIC);
  hv_stream_put32(&s, CKPT_VERSION);
  hv_stream_put32(&s, length);
  hv_stream_put32(&s, sum);
  vm_release_memory(v);
  v->status = VM_SUSPENDED;
  v->ck_resume = resume_at;
  return 0;
}

const char *ckpt_check(const struct memq_seg *c, uint32_t n, uint32_t *id) {
  struct hv_stream s;
  hv_stream_init(&s, c, n);
  const uint32_t magic = hv_stream_get32(&s), version = hv_stream_get32(&s);
  const uint32_t length = hv_stream_get32(&s), sum = hv_stream_get32(&s);
  if (s.overflow || magic != CKPT_MAGIC) return "not a VM image";
  if (version != CKPT_VERSION) return "an image of another version";
  if (length < CKPT_HEADER_BYTES + 8) return "truncated";
  hv_stream_rehash(&s);
  hv_stream_get(&s, 0, length - CKPT_HEADER_BYTES);
  if (s.overflow) return "truncated";
  if (hv_stream_sum(&s) != sum) return "checksum mismatch (corrupt image)";
  hv_stream_init(&s, c, n);
  hv_stream_get(&s, 0, TM_VMIMAGE_ID_AT);
  *id = hv_stream_get32(&s);
  return 0;
}

/* Where old address a of t's memory lies now (t->mv_*). */
static uint32_t moved_to(const struct vm *t, uint32_t a) {
  for (uint32_t i = 0; i < t->n_mv; i++)
    if (a >= t->mv_old[i] && a - t->mv_old[i] < t->mv_size[i]) return t->mv_new[i] + (a - t->mv_old[i]);
  return a;
}

/* The lowest free range of `size` bytes overlapping none of avoid[], or 0. */
static uint32_t free_range(uint32_t size, const uint32_t *avoid_base, const uint32_t *avoid_size, uint32_t n_avoid) {
  const uint32_t count = memq_global_count(&hv_mem);
  uint64_t gap_start = tm_bootinfo.ram_base;
  for (uint32_t i = 0; i <= count; i++) {
    const struct memq_seg *s = i < count ? memq_global_at(&hv_mem, i) : 0;
    const uint64_t gap_end = s ? s->base : (uint64_t)tm_bootinfo.ram_base + tm_bootinfo.ram_size;
    uint64_t cand = gap_start;
    for (int moved = 1; moved;) {
      moved = 0;
      for (uint32_t k = 0; k < n_avoid; k++)
        if (cand < (uint64_t)avoid_base[k] + avoid_size[k] && avoid_base[k] < cand + size) {
          cand = (uint64_t)avoid_base[k] + avoid_size[k];
          moved = 1;
        }
    }
    if (cand + size <= gap_end) return (uint32_t)cand;
    if (s) gap_start = (uint64_t)s->base + s->size;
  }
  return 0;
}

/* Memory for t's image: each old segment (t->seg, now in t->mv_old/size)
 * whole, at its old place if all of them are free there and `move` is not
 * asked, else wherever free (with `move`: nowhere it was). Fills t->mv_new. */
static const char *take_segments(struct vm *t, int move) {
  int same = !move;
  for (uint32_t i = 0; i < t->n_mv && same; i++)
    same = memq_alloc_at(&hv_mem, t->id, t->mv_old[i], t->mv_size[i]) == MEMQ_OK;
  for (uint32_t i = 0; i < t->n_mv; i++) t->mv_new[i] = t->mv_old[i];
  if (same) return 0;
  memq_free_all(&hv_mem, t->id);
  for (uint32_t i = 0; i < t->n_mv; i++) {
    const uint32_t at = free_range(t->mv_size[i], t->mv_old, t->mv_size, move ? t->n_mv : 0);
    if (!at || memq_alloc_at(&hv_mem, t->id, at, t->mv_size[i]) != MEMQ_OK) {
      memq_free_all(&hv_mem, t->id);
      return "not enough free memory (or segment-table entries) for it";
    }
    t->mv_new[i] = at;
  }
  return 0;
}

static void give_back(const struct vm *t) {
  for (uint32_t i = 0; i < t->n_mv; i++) hv_wzero(t->mv_new[i], t->mv_size[i]);
  memq_free_all(&hv_mem, t->id);
}

/* t's kernel copy, now at its new place: its text and read-only data
 * rebased; what V keeps of addresses in its region follows. */
static const char *rebase_kernel(struct vm *t) {
  const uint32_t old = t->kslot, now = moved_to(t, old);
  const struct tm_image *im = kernel_of(t);
  const char *why = 0;
  if (!im) return "no kernel image";
  if (now != old && kload_rebase((const void *)(uintptr_t)im->addr, im->size, now, now - old, TM_KSLOT_SIZE, &why))
    return why;
  t->kslot = now;
  for (uint32_t j = 0; j < t->n_progs; j++) t->info_progs[j][0] = moved_to(t, t->info_progs[j][0]);
  return 0;
}

/* The VM re-enters at its kernel's resume entry (sys.h, TM_KENTRY_RESUME);
 * the interrupted context waits for vm_moved. */
static void enter_at_resume(struct vm *t) {
  t->mv_pending = 1;
  t->mv_mode = (t->vstatus & TM_VSTATUS_PM) >> TM_VSTATUS_PM_SHIFT;
  t->mv_pc = t->vepc;
  hv_wcopy(t->mv_regs, t->regs, 32);
  for (uint32_t r = 0; r < 32; r++) t->regs[r] = 0;
  t->regs[10] = t->id;
  t->vepc = t->kslot + TM_KENTRY_RESUME;
  t->vstatus = TM_MODE_G << TM_VSTATUS_PM_SHIFT;
  t->g[G_STATUS] &= ~TM_GSTATUS_IE; /* no virtual interrupt before the kernel has rebased gtvec */
}

/* v (VM_SUSPENDED, or new at boot) from the image in chunks c[0..n). */
static const char *resume_from(struct vm *v, const struct memq_seg *c, uint32_t n, uint64_t now, int move, int other_run) {
  static struct vm t; /* the state being read: v changes only when all is well */
  uint32_t id = 0;
  const char *why = ckpt_check(c, n, &id);
  if (why) return why;
  struct hv_stream s;
  hv_stream_init(&s, c, n);
  hv_stream_get(&s, 0, CKPT_HEADER_BYTES);
  hv_wcopy((uint32_t *)&t, (const uint32_t *)v, sizeof t / 4);
  if ((why = get_state(&s, &t, now))) return why;
  t.n_mv = t.n_seg;
  for (uint32_t i = 0; i < t.n_seg; i++) {
    t.mv_old[i] = t.seg[i].base;
    t.mv_size[i] = t.seg[i].size;
  }
  if ((why = take_segments(&t, move))) return why;
  for (uint32_t i = 0; i < t.n_mv; i++) hv_stream_get(&s, (void *)(uintptr_t)t.mv_new[i], t.mv_size[i]);
  why = s.overflow ? "truncated" : rebase_kernel(&t);
  if (!why) why = io_restore(&t, &s, other_run);
  if (why) {
    give_back(&t);
    return why;
  }
  enter_at_resume(&t);
  mmio_fence_i(); /* the kernel's and processes' code came back as data */
  hv_wcopy((uint32_t *)v, (const uint32_t *)&t, sizeof t / 4);
  vm_set_segments(v);
  return 0;
}

const char *ckpt_resume(struct vm *v, uint64_t now, int move) {
  if (v->status != VM_SUSPENDED) return "not suspended";
  const uint32_t n = image_chunks(v->id);
  const uint64_t wall_end = v->wall_end; /* in the same run the wall budget ran on while it was suspended */
  const char *why = n ? resume_from(v, chunks, n, now, move, 0) : "no image";
  if (why) return why;
  v->wall_end = wall_end;
  ckpt_drop(v->id);
  return 0;
}

void ckpt_save_for_host(struct vm *v, uint32_t index) {
  struct tm_saved *out = &tm_bootinfo.saved[index];
  const uint32_t n = image_chunks(v->id);
  struct hv_stream s;
  hv_stream_init(&s, chunks, n);
  hv_stream_get32(&s);
  hv_stream_get32(&s);
  out->length = hv_stream_get32(&s);
  out->n_chunks = n;
  for (uint32_t i = 0; i < n; i++) {
    out->chunk[i].base = chunks[i].base;
    out->chunk[i].size = chunks[i].size;
  }
  out->vm = v->id;
  v->status = VM_SAVED;
  tm_bootinfo.report.vm_state[v->id] = TM_VM_SAVED;
  tm_bootinfo.report.vm_code[v->id] = 0;
}

int ckpt_start(const struct tm_vm *cfg, uint64_t now) {
  const uint32_t id = cfg->id;
  if (id < 1 || id > HV_MAX_VMS || !tm_bootinfo.vm_image[id] || hv_vms[id].cfg != cfg) return 1;
  struct vm *v = &hv_vms[id];
  const uint32_t index = tm_bootinfo.vm_image[id] - 1;
  const struct tm_image *im = index < tm_bootinfo.n_images ? &tm_bootinfo.images[index] : 0;
  const char *why = "no image";
  if (im && im->addr >= tm_bootinfo.ram_base && (uint64_t)im->addr + im->size <= tm_bootinfo.reserved_end) {
    const struct memq_seg c = {im->addr, im->size, MEMQ_OWNER_V};
    why = resume_from(v, &c, 1, now, 0, 1);
  }
  if (why) {
    hv_printf("[hv] %s: not started from its image %s: %s\n", cfg->name, im ? hv_escaped(im->name, TM_NAME_LEN) : "?", why);
    v->status = VM_DONE;
    tm_bootinfo.report.vm_state[id] = TM_VM_STOPPED;
    tm_bootinfo.report.vm_code[id] = TM_VM_CODE_NOT_CREATED;
    return -1;
  }
  v->status = VM_READY;
  tm_bootinfo.report.vm_state[id] = TM_VM_RUNNING;
  uint32_t bytes = 0;
  for (uint32_t i = 0; i < v->n_seg; i++) bytes += v->seg[i].size;
  hv_printf("[hv] %s: VM %lu, started from its image %s: %lu KiB in %lu segment%s, kernel region at 0x%08lx, weight %lu\n",
            cfg->name, (unsigned long)id, hv_escaped(im->name, TM_NAME_LEN), (unsigned long)(bytes >> 10),
            (unsigned long)v->n_seg, v->n_seg == 1 ? "" : "s", (unsigned long)v->kslot, (unsigned long)v->weight);
  return 0;
}

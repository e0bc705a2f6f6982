/* VM checkpoint and resume (ckpt.h). */
#include <string.h>

#include "ckpt.h"
#include "io.h"
#include "trimode/mmio.h"

_Static_assert(CKPT_STORE_OWNER(HV_MAX_VMS) <= MEMQ_MAX_VMS, "the allocator has an owner for every VM's image");

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

/* The body: the VM's state (times relative to `now`) and its segment list
 * (put_state), then every byte of its segments, then its descriptors and
 * queued messages (io_save). Read back in the same order. */
static void put_state(struct hv_stream *s, struct vm *v, uint64_t now) {
  hv_stream_put32(s, v->id);
  hv_stream_put(s, v->cfg->name, TM_NAME_LEN);
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
  hv_stream_put(s, &v->lim, sizeof v->lim);
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
  hv_stream_get(s, &t->lim, sizeof t->lim);
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
  s.hash = 2166136261u; /* the checksum covers the body only */
  put_state(&s, v, now);
  for (uint32_t i = 0; i < v->n_seg; i++)
    hv_stream_put(&s, (const void *)(uintptr_t)v->seg[i].base, v->seg[i].size);
  io_save(v, &s);
  if (s.overflow) { /* cannot happen (image_bound): refuse rather than lose the VM */
    ckpt_drop(v->id);
    return "image larger than its bound";
  }
  const uint32_t length = s.pos, sum = s.hash;
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
  s.hash = 2166136261u;
  hv_stream_get(&s, 0, length - CKPT_HEADER_BYTES);
  if (s.overflow) return "truncated";
  if (s.hash != sum) return "checksum mismatch (corrupt image)";
  hv_stream_init(&s, c, n);
  hv_stream_get(&s, 0, CKPT_HEADER_BYTES);
  *id = hv_stream_get32(&s);
  return 0;
}

/* Takes the image's segments for VM t->id again, at the same physical addresses. */
static const char *take_segments(const struct vm *t) {
  for (uint32_t i = 0; i < t->n_seg; i++) {
    if (memq_alloc_at(&hv_mem, t->id, t->seg[i].base, t->seg[i].size) == MEMQ_OK) continue;
    memq_free_all(&hv_mem, t->id);
    return "its memory is no longer free";
  }
  return 0;
}

static void give_back(const struct vm *t) {
  for (uint32_t i = 0; i < t->n_seg; i++) hv_wzero(t->seg[i].base, t->seg[i].size);
  memq_free_all(&hv_mem, t->id);
}

const char *ckpt_resume(struct vm *v, uint64_t now) {
  static struct vm t; /* the state being read: v changes only when all is well */
  if (v->status != VM_SUSPENDED) return "not suspended";
  const uint32_t n = image_chunks(v->id);
  uint32_t id = 0;
  const char *why = n ? ckpt_check(chunks, n, &id) : "no image";
  if (why) return why;
  struct hv_stream s;
  hv_stream_init(&s, chunks, n);
  hv_stream_get(&s, 0, CKPT_HEADER_BYTES);
  hv_wcopy((uint32_t *)&t, (const uint32_t *)v, sizeof t / 4);
  if ((why = get_state(&s, &t, now)) || (why = take_segments(&t))) return why;
  t.wall_end = v->wall_end; /* in the same run the wall budget ran on while it was suspended */
  for (uint32_t i = 0; i < t.n_seg; i++) hv_stream_get(&s, (void *)(uintptr_t)t.seg[i].base, t.seg[i].size);
  why = s.overflow ? "truncated" : io_restore(&t, &s);
  if (why) {
    give_back(&t);
    return why;
  }
  mmio_fence_i(); /* the kernel's and processes' code came back as data */
  hv_wcopy((uint32_t *)v, (const uint32_t *)&t, sizeof t / 4);
  vm_set_segments(v);
  ckpt_drop(v->id);
  return 0;
}

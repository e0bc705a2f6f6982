/*
 * vm.h: the VM layer -- each VM's state (context, memory, quotas, console
 * lines), its creation from the boot info, its segment list and hardware
 * segment table, context save/load, the memory side of its end, and the
 * hypercalls about its own memory. Uses only the library layer.
 */
#ifndef HV_VM_H
#define HV_VM_H

#include <stdint.h>

#include "hvlib.h"
#include "memq.h"

#define HV_SEGS TM_LIMIT_SEGMENTS /* most segment-table entries per VM (spec/limits.txt); hv_segs: the real count */
#define HV_GRANULE 4096u
#define HV_QUOTA_FACTOR TM_LIMIT_VM_MEMORY_GROWTH /* a VM may grow to this many times its initial memory */
#define HV_LINE_MAX TM_LIMIT_CONSOLE_LINE      /* console: a VM's partial line is cut (marked) at this many bytes */
#define HV_CONSOLE_CHUNK TM_LIMIT_CONSOLE_WRITE /* console: bytes taken per write call (more: a short write) */

/* VM_SUSPENDED: checkpointed -- its whole state is in its image (ckpt.c),
 * its memory is free, it waits for its resume time (ck_resume); also a VM
 * that starts from a saved image, until ckpt_start. VM_SAVED: checkpointed
 * for another run: its image stays in the store to the end (bootinfo saved[]). */
enum vm_status { VM_EMPTY = 0, VM_READY, VM_IDLE, VM_DONE, VM_SUSPENDED, VM_SAVED };

/* Indices of the G CSRs saved per VM. */
enum { G_TVEC, G_EPC, G_CAUSE, G_TVAL, G_SCRATCH, G_STATUS, G_IP, G_PID, G_BASE, G_BOUND, G_NCSR };

struct vm {
  uint32_t id;
  enum vm_status status;
  const struct tm_vm *cfg;
  /* saved context while not running (x0..x31, V's mode stack, G's CSRs) */
  uint32_t regs[32];
  uint32_t vepc, vstatus;
  uint32_t g[G_NCSR];
  /* scheduling */
  uint32_t weight;
  uint64_t pass;
  uint64_t cpu_ticks;
  uint32_t vt_period;  /* virtual timer period in ticks, 0 = off */
  uint64_t vt_next;
  /* memory: its segments (its local memory queue), base order, kept in step
   * with the allocator by every change (vm_sync_segments) */
  struct memq_seg seg[HV_SEGS];
  uint32_t n_seg;
  uint32_t kslot;      /* physical base of the kernel region (kload.h) */
  uint32_t quota;      /* most bytes the VM may hold */
  uint32_t info_progs[TM_VM_INFO_MAX_PROGS][2]; /* program copies (addr, size) */
  uint32_t n_progs, n_start;
  /* quotas and budgets (bootinfo limits, defaults filled in) */
  struct tm_limits lim;
  uint64_t cpu_max, wall_end; /* mtime ticks */
  /* console: the partial line of its U processes [0] and of its kernel [1] */
  char line[2][HV_LINE_MAX];
  uint32_t line_len[2], line_pid[2];
  /* counters */
  uint32_t n_vcall, n_hcall;
  uint32_t n_denied; /* refused calls (vm_denied): the first TM_LIMIT_DENIED_LOG logged */
  /* checkpoint: when a suspended VM resumes (mtime ticks) */
  uint64_t ck_resume;
  uint32_t ck_move; /* ... somewhere else than where it was (TM_CK_MOVE) */
  /* the guest asked for it (hcall vm_checkpoint): V's time for the suspend
   * (ck_charged, ticks, charged then: the image's CPU count lacks it) and
   * the resume is its own; a scenario's is no VM's */
  uint32_t ck_guest;
  uint64_t ck_charged;
  /* after a resume, until the kernel's vm_moved (sys.h, TM_KENTRY_RESUME):
   * the interrupted context and each old segment's new place */
  uint32_t mv_pending, mv_mode, mv_pc, mv_regs[32];
  uint32_t n_mv, mv_old[HV_SEGS], mv_new[HV_SEGS], mv_size[HV_SEGS];
};

extern struct memq hv_mem;
extern struct vm hv_vms[HV_MAX_VMS + 1]; /* indexed by id */
extern uint32_t hv_segs;                 /* the hardware's segment-table entries per VM (boot info n_segments, trimode --segments) */

const char *vm_name(uint32_t id);              /* "?" for no such VM */
void vm_reserve_slot(const struct tm_vm *cfg); /* boot pass 1: the kernel region */
/* boot pass 2: the rest, the images. 0, -1 (not created), or 1: the VM
 * starts from a saved image (boot info vm_image): only its id, name, weight
 * and limits are set (suspended), ckpt_start does the rest after io_init. */
int vm_create(const struct tm_vm *cfg);
void vm_save(struct vm *v, const uint32_t *frame);
void vm_load(struct vm *v, uint32_t *frame);
/* The memory side of a VM's end (exited or stopped): report, scrub, free,
 * empty table. Its I/O side is io_vm_ended(); sched_end() does both. */
void vm_end(struct vm *v, uint32_t state, uint32_t code);
int vm_phys_ok(const struct vm *v, uint32_t addr, uint32_t len); /* inside one of its segments */
void vm_set_segments(struct vm *v);   /* after the allocator changed v's memory: its list, its table */
void vm_release_memory(struct vm *v); /* scrub, free, empty list and table */

/* The VM hypercalls (info, grow, shrink, shutdown, moved): a0 in the frame gets the
 * result. HC_END_VM: the VM asked to end (shutdown, code in *code); the trap
 * layer ends it and reschedules -- the VM layer never calls the scheduler. */
enum hc_result { HC_DONE = 0, HC_END_VM, HC_CHECKPOINT /* *code: resume delay in ms */ };
enum hc_result vm_hcall(struct vm *v, uint32_t *frame, uint32_t *code);

/* The memory map for the report (steps 0 and 1) and the console. */
/* Log "[hv] denied: <vm name> <what>" for a call of v's that was refused,
 * while v has had fewer than TM_LIMIT_DENIED_LOG refusals; later ones are
 * only counted (vm_print_denied reports them). */
void vm_denied(struct vm *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vm_print_denied(const struct vm *v); /* the refusals not logged, if any */
void vm_snapshot_map(uint32_t step);
void vm_print_map(const char *title);

#endif /* HV_VM_H */

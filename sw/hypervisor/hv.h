/*
 * hv.h: the hypervisor's shared state and internal interfaces.
 *
 * Files: main.c (boot, trap dispatch, summary), vm.c (VM creation, memory,
 * segment tables, context switch, stop), sched.c (stride scheduler on the V
 * timer, virtual timers), io.c (console, files, ports, time, filters).
 */
#ifndef HV_H
#define HV_H

#include <stdint.h>

#include "memq.h"
#include "trimode/bootinfo.h"
#include "trimode/spec.h"
#include "trimode/sys.h"

#define HV_MAX_VMS TM_MAX_VMS
#define HV_SEGS 32u          /* hardware segment-table entries per VM (trimode --segments) */
#define HV_GRANULE 4096u
#define HV_QUOTA_FACTOR 4u   /* a VM may grow to this many times its initial memory */
#define HV_LINE_MAX 160u     /* console: a VM's partial line is cut (marked) at this many bytes */
#define HV_CONSOLE_CHUNK 4096u /* console: bytes taken per write call (more: a short write) */

enum vm_status { VM_EMPTY = 0, VM_READY, VM_IDLE, VM_DONE };

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
  /* memory */
  uint32_t kslot;      /* physical base of the kernel slot */
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
};

extern struct tm_bootinfo tm_bootinfo;
extern struct memq hv_mem;
extern struct vm hv_vms[HV_MAX_VMS + 1]; /* indexed by id */
extern struct vm *hv_cur;                /* the VM whose state is live in the CPU */

/* Word-at-a-time copy and clear (picolibc's memcpy/memset are bytewise;
 * built with -fno-tree-loop-distribute-patterns so GCC keeps these loops). */
static inline void hv_wcopy(uint32_t *d, const uint32_t *s, uint32_t words) {
  for (uint32_t i = 0; i < words; i++) d[i] = s[i];
}
static inline void hv_wzero(uint32_t addr, uint32_t bytes) { /* addr, bytes: multiples of 4 */
  for (uint32_t *p = (uint32_t *)(uintptr_t)addr, *e = p + bytes / 4; p < e; p++) *p = 0;
}

/* main.c */
void hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_snapshot_map(uint32_t step);
void hv_finish(void) __attribute__((noreturn));

/* vm.c */
void vm_reserve_slot(const struct tm_vm *cfg); /* boot pass 1: the kernel slot */
int vm_create(const struct tm_vm *cfg);        /* boot pass 2: the rest, the images */
void vm_program_segments(struct vm *v);
void vm_save(struct vm *v, const uint32_t *frame);
void vm_load(struct vm *v, uint32_t *frame);
void vm_end(struct vm *v, uint32_t state, uint32_t code); /* exited or stopped: free, report */
int vm_phys_ok(const struct vm *v, uint32_t addr, uint32_t len);  /* inside one of its segments */
long vm_hcall(struct vm *v, uint32_t *frame);             /* a G hypercall */

/* sched.c */
uint64_t hv_now(void);
void sched_init(void);
void sched_start(void) __attribute__((noreturn)); /* enters the first VM */
void sched_tick(uint32_t *frame);        /* the V timer fired */
void sched_switch(uint32_t *frame);      /* hv_cur stopped or yields: pick another */
void sched_vtimer(struct vm *v, uint32_t period);
void sched_idle(uint32_t *frame);        /* hv_cur executed wfi */
void sched_budgets(struct vm *v);        /* sets the VM's CPU and wall budgets from its limits */

/* io.c */
void io_init(void);
long io_call(struct vm *v, uint32_t *frame);   /* a vcall from U */
long io_console(struct vm *v, const char *p, uint32_t len, int kernel);
const char *io_escaped(const char *s, uint32_t max); /* a guest string for an [hv] line */
long io_proc_ended(struct vm *v, uint32_t pid);      /* closes the process's descriptors */
void io_vm_ended(struct vm *v);

#endif /* HV_H */

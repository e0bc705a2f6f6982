/*
 * kernel.c: Trimode's guest kernel (runs in G, physical addresses).
 *
 * Boot: vm_info tells the kernel its VM id, its segments and where V copied
 * its program ELFs (inside the kernel slot); it starts the first n_start
 * programs, asks V for a virtual timer and enters the first process in U.
 *
 * Processes: up to NPROC, each in one contiguous range [base, base + size)
 * carved from the VM's segments outside the kernel slot, run in U with
 * gbase = base, gbound = size (U address 0 = base). Layout in U addresses:
 * the program image from 0, a 16 KiB stack above it, then the heap (sbrk)
 * up to the end of the range. A heap that outgrows its range is moved to a
 * larger one (copy + new gbase: U addresses do not change); when the VM has
 * no room, the kernel asks V for more (vm_grow) until V refuses.
 *
 * Traps: ecall system calls (getpid yield exit sbrk spawn wait), the virtual
 * timer (round-robin preemption, a CPU limit per process), and any
 * exception from U (the process is killed, the VM goes on). gpid is set on
 * every switch so V knows (vm, pid) on I/O calls.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "trimode/elf32.h"
#include "trimode/spec.h"
#include "trimode/sys.h"

#define NPROC ((int)TM_LIMIT_PROCESSES)
#define USTACK 0x4000u
#define UHEAP0 0x4000u
#define PAGE 0x1000u
#define VTIMER_TICKS 10000u      /* 1 ms of the VM's running time per process slice */
#define CPU_LIMIT_SLICES 1000u   /* a process is killed after this many slices (~1 s) */

enum pstate { P_FREE = 0, P_READY, P_WAIT, P_ZOMBIE };

struct proc {
  enum pstate state;
  uint32_t pid, parent, wait_for;
  uint32_t regs[32], epc;
  uint32_t base, size, brk, brk0;
  int32_t code;
  uint32_t prog, slices;
};

static struct proc procs[NPROC];
static struct proc *cur;
static uint32_t next_pid = 1;
static uint32_t n_failed; /* processes that ended with a non-zero code: the VM's exit code */
static uint32_t vm_id;
static uint32_t info[TM_VM_INFO_WORDS];
static uint32_t nseg, nprog, nstart, vm_flags;
static const uint32_t *segs, *progs;
static uint32_t kslot; /* start of this VM's kernel region (wherever V placed it) */

extern char _kstart[], k_vector[], __ktrap_stack_top[], __kernel_end[];
extern void k_enter(uint32_t *frame) __attribute__((noreturn));

/* Word-at-a-time copy and clear: picolibc's memcpy/memset are bytewise. */
static void wcopy(uint32_t *d, const uint32_t *s, uint32_t words) {
  for (uint32_t i = 0; i < words; i++) d[i] = s[i];
}
static void wzero(uint32_t addr, uint32_t bytes) {
  for (uint32_t *p = (uint32_t *)(uintptr_t)addr, *e = p + bytes / 4; p < e; p++) *p = 0;
}

/* ---- console ------------------------------------------------------------ */

static char kbuf[160];
static uint32_t klen;

static void kput(char c) {
  if (klen < sizeof kbuf) kbuf[klen++] = c;
}
static void kputs(const char *s) {
  while (*s) kput(*s++);
}
static void kputu(uint32_t v, uint32_t radix, int width) {
  char t[12];
  int n = 0;
  do {
    t[n++] = "0123456789abcdef"[v % radix];
    v /= radix;
  } while (v);
  while (n < width) t[n++] = '0';
  while (n) kput(t[--n]);
}

/* %d %u %x %08x %s %c */
static void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  klen = 0;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      kput(*f);
      continue;
    }
    int width = 0;
    if (f[1] == '0') {
      f++;
      while (f[1] >= '0' && f[1] <= '9') width = width * 10 + (*++f - '0');
    }
    switch (*++f) {
      case 'd': {
        int32_t v = va_arg(ap, int32_t);
        if (v < 0) {
          kput('-');
          v = -v;
        }
        kputu((uint32_t)v, 10, width);
        break;
      }
      case 'u': kputu(va_arg(ap, uint32_t), 10, width); break;
      case 'x': kputu(va_arg(ap, uint32_t), 16, width); break;
      case 's': kputs(va_arg(ap, const char *)); break;
      case 'c': kput((char)va_arg(ap, int)); break;
      default: kput(*f); break;
    }
  }
  va_end(ap);
  tm_vcall2(TM_SYS_CONSOLE, (long)kbuf, (long)klen);
}

static void __attribute__((noreturn)) shutdown(int code) {
  tm_vcall1(TM_SYS_VM_SHUTDOWN, code);
  for (;;) {
  }
}


/* ---- memory ------------------------------------------------------------- */

static int refresh_info(void) {
  long n = tm_vcall1(TM_SYS_VM_INFO, (long)info);
  if (n < 0) return -1;
  vm_id = info[0];
  nseg = info[1];
  segs = &info[2];
  nprog = info[2 + 2 * nseg];
  progs = &info[3 + 2 * nseg];
  nstart = info[3 + 2 * nseg + 2 * nprog];
  vm_flags = info[4 + 2 * nseg + 2 * nprog];
  return 0;
}

static uint32_t mem_total(void) {
  uint32_t t = 0;
  for (uint32_t i = 0; i < nseg; i++) t += segs[2 * i + 1];
  return t;
}

/* First fit: a range of `size` inside one segment that overlaps neither the
 * kernel slot nor a live process (except `skip`). 0 when none. */
static uint32_t find_range(uint32_t size, const struct proc *skip) {
  for (uint32_t i = 0; i < nseg; i++) {
    const uint64_t sb = segs[2 * i], se = sb + segs[2 * i + 1];
    uint64_t cand = sb;
    int moved = 1;
    while (moved) {
      moved = 0;
      if (cand < (uint64_t)kslot + TM_KSLOT_SIZE && (uint64_t)kslot < cand + size) {
        cand = (uint64_t)kslot + TM_KSLOT_SIZE;
        moved = 1;
      }
      for (int p = 0; p < NPROC; p++) {
        const struct proc *q = &procs[p];
        if (q->state == P_FREE || q == skip || !q->size) continue;
        if (cand < (uint64_t)q->base + q->size && (uint64_t)q->base < cand + size) {
          cand = (uint64_t)q->base + q->size;
          moved = 1;
        }
      }
    }
    if (cand + size <= se) return (uint32_t)cand;
  }
  return 0;
}

/* A free range, growing the VM through the hypervisor when needed. */
static uint32_t alloc_range(uint32_t size, const struct proc *skip) {
  uint32_t r = find_range(size, skip);
  if (r) return r;
  long n = tm_vcall1(TM_SYS_VM_GROW, (long)size);
  if (n < 0) return 0;
  refresh_info();
  kprintf("vm_grow %u KiB: now %u KiB in %u segment%s\n", size >> 10, mem_total() >> 10, nseg, nseg == 1 ? "" : "s");
  return find_range(size, skip);
}

/* Gives memory grown beyond the VM's initial size back to V (vm_shrink)
 * when the top of its highest memory below the kernel slot is no longer used:
 * V takes shrunk memory from the VM's highest addresses below the slot
 * (memq_shrink_below), so that is the piece to look at. */
static uint32_t initial_total;
static void trim(void) {
  const uint32_t total = mem_total();
  if (total <= initial_total || nseg == 0) return;
  uint32_t hb = 0, hs = 0;
  for (uint32_t i = 0; i < nseg; i++) {
    const uint32_t base = segs[2 * i];
    if (base >= kslot || base < hb) continue;
    const uint64_t end = (uint64_t)base + segs[2 * i + 1];
    hb = base;
    hs = (uint32_t)((end < kslot ? end : kslot) - base);
  }
  if (hs == 0) return;
  uint64_t used_end = hb;
  for (int p = 0; p < NPROC; p++) {
    const struct proc *q = &procs[p];
    if (q->state != P_FREE && q->size && q->base >= hb && q->base < (uint64_t)hb + hs &&
        (uint64_t)q->base + q->size > used_end)
      used_end = (uint64_t)q->base + q->size;
  }
  uint32_t tail = (uint32_t)(((uint64_t)hb + hs - used_end) & ~(uint64_t)(PAGE - 1));
  if (tail > total - initial_total) tail = total - initial_total;
  if (tail && tm_vcall1(TM_SYS_VM_SHRINK, (long)tail) >= 0) {
    refresh_info();
    kprintf("vm_shrink %u KiB: now %u KiB in %u segment%s\n", tail >> 10, mem_total() >> 10, nseg, nseg == 1 ? "" : "s");
  }
}

/* ---- processes ---------------------------------------------------------- */

static struct proc *find_pid(uint32_t pid) {
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state != P_FREE && procs[i].pid == pid) return &procs[i];
  return 0;
}

static long spawn(uint32_t prog, uint32_t parent) {
  if (prog >= nprog) return -TM_EINVAL;
  struct proc *p = 0;
  for (int i = 0; i < NPROC && !p; i++)
    if (procs[i].state == P_FREE) p = &procs[i];
  if (!p) return -TM_ENOMEM;
  const void *file = (const void *)(uintptr_t)progs[2 * prog];
  struct elf32_info ei;
  int rc = elf32_parse(file, progs[2 * prog + 1], &ei);
  if (rc || ei.hi > 0x01000000u) {
    kprintf("program %u: %s\n", prog, rc ? elf32_error(rc) : "too large");
    return -TM_EINVAL;
  }
  const uint32_t top = (ei.hi + 15u) & ~15u;
  const uint32_t size = (top + USTACK + UHEAP0 + PAGE - 1) & ~(PAGE - 1);
  const uint32_t base = alloc_range(size, 0);
  if (!base) return -TM_ENOMEM;
  memset(p, 0, sizeof *p);
  wzero(base, size);
  elf32_copy(file, &ei, base);
  __asm__ volatile("fence.i" ::: "memory");
  p->state = P_READY;
  p->pid = next_pid++;
  p->parent = parent;
  p->base = base;
  p->size = size;
  p->brk = p->brk0 = top + USTACK;
  p->regs[2] = top + USTACK; /* sp */
  p->epc = ei.entry;
  p->prog = prog;
  return (long)p->pid;
}

static void proc_free(struct proc *p) {
  memset(p, 0, sizeof *p);
  trim();
}

static void proc_exit(struct proc *p, int32_t code) {
  tm_vcall1(TM_SYS_PROC_ENDED, (long)p->pid); /* V closes its descriptors */
  kprintf("pid %u exited, code %d\n", p->pid, code);
  if (code != 0) n_failed++;
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &procs[i];
    if (c->state == P_FREE || c->parent != p->pid) continue;
    c->parent = 0;
    if (c->state == P_ZOMBIE) proc_free(c);
  }
  struct proc *parent = p->parent ? find_pid(p->parent) : 0;
  if (!parent) {
    proc_free(p);
    return;
  }
  if (parent->state == P_WAIT && parent->wait_for == p->pid) {
    parent->regs[10] = (uint32_t)code;
    parent->state = P_READY;
    proc_free(p);
    return;
  }
  p->state = P_ZOMBIE;
  p->code = code;
  p->size = 0; /* its memory is free already */
  trim();
}

static void kill(struct proc *p, const char *why, uint32_t cause, uint32_t tval) {
  kprintf("pid %u killed: %s at 0x%08x tval 0x%08x\n", p->pid, why, p->epc, tval);
  proc_exit(p, (int32_t)(128 + cause));
}

static long sys_sbrk(struct proc *p, int32_t incr) {
  const uint32_t old = p->brk;
  const int64_t want = (int64_t)p->brk + incr;
  if (want < p->brk0) return -TM_EINVAL;
  if (want <= p->size) {
    p->brk = (uint32_t)want;
    return (long)old;
  }
  /* Move the process to a larger range: copy, then a new gbase. */
  uint64_t nsize = (uint64_t)p->size * 2;
  if (nsize < (uint64_t)want) nsize = (uint64_t)want;
  nsize = (nsize + PAGE - 1) & ~(uint64_t)(PAGE - 1);
  if (nsize > 0x01000000u) return -TM_ENOMEM;
  const uint32_t nbase = alloc_range((uint32_t)nsize, p);
  if (!nbase) return -TM_ENOMEM;
  wcopy((uint32_t *)(uintptr_t)nbase, (const uint32_t *)(uintptr_t)p->base, p->size / 4);
  wzero(nbase + p->size, (uint32_t)nsize - p->size);
  /* The process's code now lives at nbase: make the copy visible to fetch. */
  __asm__ volatile("fence.i" ::: "memory");
  p->base = nbase;
  p->size = (uint32_t)nsize;
  p->brk = (uint32_t)want;
  return (long)old;
}

/* A compromised kernel, on request (TM_KSYS_EVIL_G, open only when the
 * scenario sets test_hooks): each of these is caught by the hardware and
 * owned by V, which stops this VM (the last two by its CPU or wall budget). */
static void evil(uint32_t op) {
  /* V places the kernel regions side by side at the top of RAM, vm1's
   * highest: the one below this (vm1) or above it is a neighbour's when the
   * scenario has more than one VM. */
  const uint32_t other = vm_id == 1 ? kslot - TM_KSLOT_SIZE : kslot + TM_KSLOT_SIZE;
  kprintf("acting as a compromised kernel: op %u\n", op);
  switch (op) {
    case TM_EVIL_SEGTABLE:
      TM_CSR_WRITE(TM_CSR_VSEGSEL, (vm_id << TM_VSEGSEL_VM_SHIFT) | 0);
      TM_CSR_WRITE(TM_CSR_VSEGBASE, TM_RAM_BASE);
      TM_CSR_WRITE(TM_CSR_VSEGSIZE, TM_RAM_SIZE);
      break;
    case TM_EVIL_PEEK: kprintf("read 0x%08x\n", *(volatile uint32_t *)(uintptr_t)other); break;
    case TM_EVIL_JUMP_HV: ((void (*)(void))(uintptr_t)(TM_RAM_BASE + 0x100))(); break;
    case TM_EVIL_UART: *(volatile uint8_t *)(uintptr_t)TM_UART_BASE = '!'; break;
    case TM_EVIL_POKE: *(volatile uint32_t *)(uintptr_t)other = 0xdeadbeef; break;
    case TM_EVIL_SPIN:
      for (;;) __asm__ volatile("" ::: "memory");
    case TM_EVIL_IDLE:
      for (;;) {
        TM_CSR_WRITE(TM_CSR_GIP, 0);
        __asm__ volatile("wfi" ::: "memory");
      }
    default: break;
  }
  kprintf("still running after op %u: isolation FAILED\n", op);
}

static void syscall(struct proc *p) {
  const uint32_t a0 = p->regs[10];
  long r = 0;
  switch (p->regs[17]) {
    case TM_SYS_GETPID: r = (long)p->pid; break;
    case TM_SYS_YIELD: r = 0; break;
    case TM_SYS_EXIT: proc_exit(p, (int32_t)a0); return;
    case TM_SYS_SBRK: r = sys_sbrk(p, (int32_t)a0); break;
    case TM_SYS_SPAWN: r = spawn(a0, p->pid); break;
    case TM_SYS_CHECKPOINT: r = tm_vcall1(TM_SYS_VM_CHECKPOINT, (long)a0); break; /* returns after the resume */
    case TM_SYS_WAIT: {
      struct proc *c = find_pid(a0);
      if (!c || c->parent != p->pid) {
        r = -TM_EINVAL;
        break;
      }
      if (c->state == P_ZOMBIE) {
        r = c->code;
        proc_free(c);
        break;
      }
      p->state = P_WAIT;
      p->wait_for = a0;
      return;
    }
    case TM_KSYS_EVIL_G:
      if (!(vm_flags & TM_VM_FLAG_TEST_HOOKS)) {
        r = -TM_ENOSYS; /* the test hook is closed: an unknown call */
        break;
      }
      evil(a0);
      r = -TM_EPERM;
      break;
    default: r = -TM_ENOSYS; break;
  }
  p->regs[10] = (uint32_t)r;
}

static void load(struct proc *p, uint32_t *frame) {
  wcopy(frame, p->regs, 32);
  frame[0] = 0;
  TM_CSR_WRITE(TM_CSR_GEPC, p->epc);
  TM_CSR_WRITE(TM_CSR_GBASE, p->base);
  TM_CSR_WRITE(TM_CSR_GBOUND, p->size);
  TM_CSR_WRITE(TM_CSR_GPID, p->pid);
  TM_CSR_WRITE(TM_CSR_GSTATUS, (TM_MODE_U << TM_GSTATUS_PM_SHIFT) | TM_GSTATUS_PIE);
  cur = p;
}

/* The next READY process after `after` (round robin); 0 if none. */
static struct proc *next_ready(const struct proc *after) {
  const int start = after ? (int)(after - procs) + 1 : 0;
  for (int k = 0; k < NPROC; k++) {
    struct proc *p = &procs[(start + k) % NPROC];
    if (p->state == P_READY) return p;
  }
  return 0;
}

static void run_next(struct proc *prefer, uint32_t *frame) {
  struct proc *p = prefer && prefer->state == P_READY ? prefer : next_ready(cur);
  while (!p) {
    int alive = 0;
    for (int i = 0; i < NPROC; i++) alive |= procs[i].state == P_WAIT;
    if (!alive) {
      kprintf("all processes have ended, %u with a non-zero code: shutting down\n", n_failed);
      shutdown((int)n_failed);
    }
    /* Only waiting processes: nothing can wake them (a child would be READY). */
    kprintf("deadlock: every process waits\n");
    shutdown(3);
  }
  load(p, frame);
}

void k_trap(uint32_t *frame) {
  const uint32_t cause = TM_CSR_READ(TM_CSR_GCAUSE), tval = TM_CSR_READ(TM_CSR_GTVAL);
  struct proc *p = cur;
  wcopy(p->regs, frame, 32);
  p->epc = TM_CSR_READ(TM_CSR_GEPC);
  if (cause == TM_CAUSE_IRQ_VIRTUAL) {
    TM_CSR_WRITE(TM_CSR_GIP, 0);
    if (++p->slices > CPU_LIMIT_SLICES) {
      kprintf("pid %u killed: CPU limit (%u slices)\n", p->pid, CPU_LIMIT_SLICES);
      proc_exit(p, 137);
    }
    run_next(0, frame);
    return;
  }
  if (cause == TM_CAUSE_ECALL_U) {
    p->epc += 4;
    const uint32_t n = p->regs[17];
    syscall(p);
    run_next(n == TM_SYS_YIELD ? 0 : p, frame);
    return;
  }
  kill(p, tm_cause_name(cause), cause, tval);
  run_next(0, frame);
}

/* ---- resume after a checkpoint ---------------------------------------- */

static uint32_t moved[TM_MOVED_WORDS]; /* vm_moved's record (sys.h) */

/* Where old physical address a of this VM lies now. */
static uint32_t moved_to(uint32_t a) {
  for (uint32_t i = 0; i < moved[34] && i < TM_MOVED_MAX; i++) {
    const uint32_t *r = &moved[35 + 3 * i];
    if (a >= r[0] && a - r[0] < r[2]) return r[1] + (a - r[0]);
  }
  return a;
}

/* Entered by V after a resume (kstart.S, sys.h TM_KENTRY_RESUME): this VM's
 * memory may have moved. V rebased the text and read-only data; everything
 * the kernel holds as a physical address in writable memory is rebased
 * here: its pointers (cur; segs and progs come back from vm_info), its
 * processes' bases, gtvec and gscratch. Then the interrupted context goes
 * on: a process interrupted in U, or the process whose checkpoint call
 * (ecall checkpoint -> hcall vm_checkpoint) this kernel was making: it gets 0. */
void kresume(uint32_t id) {
  if (tm_vcall1(TM_SYS_VM_MOVED, (long)moved) < 0 || refresh_info() != 0 || vm_id != id) shutdown(1);
  kslot = moved_to(kslot);
  if (kslot != (uint32_t)(uintptr_t)_kstart || !cur) shutdown(1);
  cur = (struct proc *)(uintptr_t)moved_to((uint32_t)(uintptr_t)cur);
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state != P_FREE && procs[i].size) procs[i].base = moved_to(procs[i].base);
  TM_CSR_WRITE(TM_CSR_GTVEC, (uint32_t)(uintptr_t)k_vector);
  TM_CSR_WRITE(TM_CSR_GSCRATCH, (uint32_t)(uintptr_t)__ktrap_stack_top);
  if (moved[0] == TM_MODE_U) {
    wcopy(cur->regs, &moved[2], 32);
    cur->epc = moved[1];
  } else {
    cur->regs[10] = 0;
  }
  uint32_t *frame = (uint32_t *)((uintptr_t)__ktrap_stack_top - 128);
  load(cur, frame);
  k_enter(frame);
}

void kmain(uint32_t id) {
  kslot = (uint32_t)(uintptr_t)_kstart; /* PC-relative: where this copy runs */
  if (refresh_info() != 0 || vm_id != id) shutdown(1);
  /* the region's offset, not its address: where V placed the region depends on the scenario */
  kprintf("guest kernel of VM %u: %u KiB in %u segment%s, %u program%s, kernel ends at 0x%08x of its region\n", vm_id,
          mem_total() >> 10, nseg, nseg == 1 ? "" : "s", nprog, nprog == 1 ? "" : "s",
          (uint32_t)((uintptr_t)__kernel_end - kslot));
  initial_total = mem_total();
  TM_CSR_WRITE(TM_CSR_GTVEC, (uint32_t)(uintptr_t)k_vector);
  TM_CSR_WRITE(TM_CSR_GSCRATCH, (uint32_t)(uintptr_t)__ktrap_stack_top);
  for (uint32_t j = 0; j < nstart; j++) {
    long pid = spawn(j, 0);
    if (pid < 0) kprintf("program %u: not started (%d)\n", j, (int32_t)pid);
  }
  tm_vcall1(TM_SYS_VTIMER, VTIMER_TICKS);
  uint32_t *frame = (uint32_t *)((uintptr_t)__ktrap_stack_top - 128);
  cur = 0;
  run_next(0, frame);
  k_enter(frame);
}

/*
 * fuzz_hv: the hypervisor's trap dispatch (hv_trap) with hostile arguments,
 * built for the host: sw/hypervisor/{main,vm,ns,sched,io}.c, lib/, memq.c, elf32.c and
 * uart.c unchanged, with the fakes of hv_host/ (CSRs, MMIO, RAM at
 * TM_HOST_RAM_BASE) standing in for the hardware.
 *
 * Each input: boot the hypervisor from a fixed two-VM boot info (hv_main,
 * which ends by entering the first VM: hv_enter returns here by longjmp), then
 * a sequence of traps decoded from the input bytes: vcalls from U and G with
 * chosen call numbers and arguments (raw words, offsets inside or around the
 * caller's window, its physical memory), sensitive instructions (time CSR
 * reads in every form, wfi), timer interrupts, faults, pokes of bytes into
 * the caller's memory (paths, messages) and changes of the U process window.
 *
 * While a trap is handled, the images and every other runnable VM's memory
 * are read-only (a write there on the caller's behalf is a SEGV). Checked
 * after every trap, besides ASan/UBSan: the allocator's invariants
 * hold; every segment-table entry the hypervisor programmed (VSEGSEL/BASE/SIZE
 * writes) lies inside memory that VM owns; an ended VM has none; the running
 * VM is runnable and its id is in vmid. And the console (issue 14 item 1):
 * see "the console oracle" below. A violation aborts (a crash for libFuzzer),
 * with one line saying what. FUZZ_HV_CONSOLE=1 prints the console (UART and
 * hv_printf) of each input: `fuzz_hv corpus/hv/ports`.
 */
#define _GNU_SOURCE /* fopencookie */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_host_ram.h"
#include "io.h"
#include "scheduler.h"
#include "trimode/uart.h"

int hv_main(void);                        /* main.c's main, renamed by the build */
void hv_trap(uint32_t *frame);            /* main.c: called by trap.S's vector */
void hv_host_io_reset(void);              /* hv_io_peer.c */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- the hardware, faked ------------------------------------------------- */

static uint32_t csr[4096];
static struct { uint32_t base, size; } segtab[HV_MAX_VMS + 1][256]; /* as programmed */
static uint64_t mtime, mtimecmp;
static uint32_t clock_reads; /* since the last trap: the idle loop speeds time up */
static jmp_buf back; /* hv_enter / tm_finish return to the harness */
static uint32_t *live_frame;

static void fail(const char *what) {
  fprintf(stderr, "fuzz_hv: FAILURE: %s\n", what);
  abort();
}

uint32_t hv_host_csr_read(unsigned c) { return csr[c & 0xfff]; }

void hv_host_csr_write(unsigned c, uint32_t v) {
  c &= 0xfff;
  csr[c] = v;
  const uint32_t sel = csr[TM_CSR_VSEGSEL];
  const uint32_t vm = (sel & TM_VSEGSEL_VM) >> TM_VSEGSEL_VM_SHIFT, e = sel & TM_VSEGSEL_ENTRY;
  if (vm > HV_MAX_VMS) {
    if (c == TM_CSR_VSEGBASE || c == TM_CSR_VSEGSIZE) fail("segment table of a VM id out of range programmed");
    return;
  }
  if (c == TM_CSR_VSEGBASE) segtab[vm][e].base = v;
  if (c == TM_CSR_VSEGSIZE) segtab[vm][e].size = v;
}

/* wfi: the hart sleeps until the timer line rises */
void hv_host_insn(uint32_t insn) {
  if (insn == TM_INSN_WFI && mtime < mtimecmp) mtime = mtimecmp;
}

uint32_t hv_host_mmio_read(uintptr_t a, unsigned width) {
  (void)width;
  if (a == TM_UART_BASE + UART_LSR) return UART_LSR_THRE;
  if (a == TM_CLINT_BASE + 0xBFF8) {
    /* 1 tick a read; a hypervisor spinning until a far wake-up sees time
     * go ever faster, as a real idle machine would let it pass */
    clock_reads++;
    mtime += (uint64_t)1 << (clock_reads / 64 < 40 ? clock_reads / 64 : 40);
    return (uint32_t)mtime;
  }
  if (a == TM_CLINT_BASE + 0xBFFC) return (uint32_t)(mtime >> 32);
  return 0;
}

void hv_host_mmio_write(uintptr_t a, unsigned width, uint32_t v) {
  (void)width;
  if (a == TM_CLINT_BASE + 0x4000) mtimecmp = (mtimecmp & ~(uint64_t)0xffffffffu) | v;
  if (a == TM_CLINT_BASE + 0x4004) mtimecmp = (mtimecmp & 0xffffffffu) | (uint64_t)v << 32;
  if (a == TM_UART_BASE + UART_THR) putchar((char)v); /* stdout: the console oracle's stream */
}

/* trap.S and the finisher */
void hv_vector(void) {}
void hv_enter(uint32_t *frame) {
  live_frame = frame;
  longjmp(back, 1);
}
void tm_finish(int code) {
  (void)code;
  longjmp(back, 2);
}

/* ---- the boot info ------------------------------------------------------- */

#define RESERVED (1u << 20) /* images live in V's first MiB */
#define VM_MEM (TM_KSLOT_SIZE + (64u << 10))
#define U_WINDOW 0x10000u   /* the default process window: 64 KiB in the kernel slot */

static uint8_t *ram;
static uint32_t image_at;

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* A minimal RV32 ET_EXEC: one PT_LOAD of `memsz` bytes at vaddr, entry at it.
 * A kernel also gets section headers with an (empty) kept relocation section,
 * as the hypervisor's loader requires (sw/hypervisor/kload.h). */
static uint32_t add_image(const char *name, uint32_t vaddr, uint32_t memsz, int kernel) {
  struct tm_bootinfo *bi = &tm_bootinfo;
  uint8_t *f = ram + (image_at - TM_HOST_RAM_BASE);
  const uint32_t filesz = 52 + 32 + 16;
  memset(f, 0, filesz);
  f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 1, f[5] = 1, f[6] = 1;
  f[16] = 2, f[18] = 243, f[20] = 1;
  put32(f + 24, vaddr + 84);      /* entry: the code after the headers */
  put32(f + 28, 52);              /* phoff */
  f[40] = 52, f[42] = 32, f[44] = 1; /* ehsize, phentsize, phnum */
  uint8_t *ph = f + 52;
  put32(ph, 1);                   /* PT_LOAD */
  put32(ph + 8, vaddr);
  put32(ph + 12, vaddr);
  put32(ph + 16, filesz);
  put32(ph + 20, memsz);
  put32(ph + 24, 5);
  uint32_t size = filesz;
  if (kernel) { /* [0] null, [1] .text (alloc), [2] .rela.text (empty, symbols in [3]), [3] .symtab (empty) */
    uint8_t *sh = f + filesz;
    memset(sh, 0, 4 * 40);
    put32(sh + 40 + 4, 1), put32(sh + 40 + 8, 6), put32(sh + 40 + 16, 84);
    put32(sh + 80 + 4, 4), put32(sh + 80 + 24, 3), put32(sh + 80 + 28, 1), put32(sh + 80 + 36, 12);
    put32(sh + 120 + 4, 2), put32(sh + 120 + 36, 16);
    put32(f + 32, filesz);        /* shoff */
    f[46] = 40, f[48] = 4;        /* shentsize, shnum */
    size += 4 * 40;
  }
  const uint32_t index = bi->n_images++;
  bi->images[index].addr = image_at;
  bi->images[index].size = size;
  snprintf(bi->images[index].name, TM_NAME_LEN, "%s", name);
  image_at += 4096;
  return index;
}

static uint32_t add_file(uint32_t vm, const char *path, const char *content) {
  struct tm_bootinfo *bi = &tm_bootinfo;
  const uint32_t index = bi->n_images++;
  bi->images[index].addr = image_at;
  bi->images[index].size = (uint32_t)strlen(content);
  memcpy(ram + (image_at - TM_HOST_RAM_BASE), content, strlen(content));
  snprintf(bi->images[index].name, TM_NAME_LEN, "%s", path);
  image_at += 4096;
  struct tm_file *f = &bi->files[bi->n_files++];
  f->vm = vm;
  f->image = index;
  snprintf(f->path, TM_NAME_LEN, "%s", path);
  return index;
}

static void boot_info(void) {
  struct tm_bootinfo *bi = &tm_bootinfo;
  memset(bi, 0, sizeof *bi);
  bi->magic = TM_BOOTINFO_MAGIC;
  bi->version = TM_BOOTINFO_VERSION;
  bi->ram_base = TM_HOST_RAM_BASE;
  bi->ram_size = TM_HOST_RAM_SIZE;
  bi->timeslice_ticks = 1000;
  image_at = TM_HOST_RAM_BASE + 0x10000; /* above "the hypervisor image" */
  const uint32_t program = add_image("prog", 0x1000, 0x2000, 0);
  const uint32_t kernel = add_image("kernel", 0, 0x8000, 1);
  for (uint32_t id = 1; id <= 2; id++) {
    struct tm_vm *v = &bi->vms[bi->n_vms++];
    v->id = id;
    v->mem_bytes = VM_MEM;
    v->weight = id;
    v->kernel = kernel;
    v->n_programs = 1;
    v->programs[0] = program;
    v->n_start = 1;
    snprintf(v->name, TM_NAME_LEN, "vm%u", id);
  }
  add_file(1, "shared.txt", "hello\n");
  add_file(1, "/secret", "do not read\n");
  add_file(2, "notes", "vm2's\n");
  bi->filters[0] = (struct tm_filter){2, 1, TM_FILTER_READ, 0, "shared.txt"};
  bi->filters[1] = (struct tm_filter){1, 2, TM_FILTER_SEND, 7, ""};
  bi->filters[2] = (struct tm_filter){2, 1, TM_FILTER_SEND | TM_FILTER_WRITE, 8, "/shared.txt"};
  bi->n_filters = 3;
  bi->reserved_end = TM_HOST_RAM_BASE + RESERVED;
}

/* ---- reading the input --------------------------------------------------- */

struct input {
  const uint8_t *p;
  size_t left;
};

static uint32_t take(struct input *in, unsigned bytes) {
  uint32_t v = 0;
  for (unsigned i = 0; i < bytes && in->left; i++, in->left--) v |= (uint32_t)*in->p++ << (8 * i);
  return v;
}

/* An argument: mostly values that reach the checks' edges. */
static uint32_t arg(struct input *in) {
  const uint32_t gbound = csr[TM_CSR_GBOUND], kslot = hv_cur ? hv_cur->kslot : 0;
  switch (take(in, 1) % 10) {
    case 0: return take(in, 1);                          /* small: fds, ports, VM ids, flags */
    case 1: return take(in, 2);                          /* an offset in the window */
    case 2: return gbound - take(in, 1);                 /* just below the bound */
    case 3: return gbound + take(in, 1);                 /* just above it */
    case 4: return 0u - take(in, 1);                     /* wraps */
    case 5: return kslot + take(in, 3) % (TM_KSLOT_SIZE + 0x100); /* physical, for G */
    case 6: return TM_HOST_RAM_BASE + take(in, 3);       /* the hypervisor's own memory */
    case 7: return hv_vms[take(in, 1) % 2 + 1].kslot + take(in, 2); /* a VM's kernel region */
    default: return take(in, 4);
  }
}

static uint32_t call_number(struct input *in) {
  static const uint32_t calls[] = {TM_SYS_WRITE,   TM_SYS_OPEN,     TM_SYS_READ,      TM_SYS_CLOSE,
                                   TM_SYS_SEND,    TM_SYS_RECV,     TM_SYS_TIME,      TM_SYS_VM_INFO,
                                   TM_SYS_VM_GROW, TM_SYS_VM_SHRINK, TM_SYS_VM_SHUTDOWN, TM_SYS_VTIMER,
                                   TM_SYS_CONSOLE, TM_SYS_VM_CHECKPOINT, TM_SYS_VM_MOVED};
  const uint32_t pick = take(in, 1);
  return pick < 240 ? calls[pick % (sizeof calls / sizeof calls[0])] : take(in, 4);
}

/* A kind-1 candidate: CSR instructions on time/timeh in every form, wfi, others. */
static uint32_t sensitive_word(struct input *in) {
  const uint32_t csrs[] = {TM_CSR_TIME, TM_CSR_TIMEH, take(in, 2) & 0xfff};
  const uint32_t c = csrs[take(in, 1) % 3], f3 = take(in, 1) % 8, rs1 = take(in, 1) % 32, rd = take(in, 1) % 32;
  switch (take(in, 1) % 4) {
    case 0: return TM_INSN_WFI;
    case 1: return take(in, 4);
    default: return c << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x73;
  }
}

/* ---- the checks ---------------------------------------------------------- */

static int owned(uint32_t vm, uint32_t base, uint32_t size) {
  struct memq_seg segs[MEMQ_MAX_SEGS_PER_VM];
  const uint32_t n = memq_vm_segments(&hv_mem, vm, segs, MEMQ_MAX_SEGS_PER_VM);
  for (uint32_t i = 0; i < n && i < MEMQ_MAX_SEGS_PER_VM; i++)
    if (base >= segs[i].base && (uint64_t)base + size <= (uint64_t)segs[i].base + segs[i].size) return 1;
  return 0;
}

static void check(void) {
  if (memq_check(&hv_mem) != MEMQ_OK) fail("allocator invariants broken");
  for (uint32_t vm = 1; vm <= HV_MAX_VMS; vm++) {
    for (uint32_t e = 0; e < 256; e++) {
      if (!segtab[vm][e].size) continue;
      if (hv_vms[vm].status == VM_DONE) fail("an ended VM still has segment-table entries");
      if (!owned(vm, segtab[vm][e].base, segtab[vm][e].size)) fail("segment-table entry outside the VM's memory");
    }
  }
  if (hv_cur) {
    if (hv_cur->status != VM_READY) fail("the running VM is not runnable");
    if (csr[TM_CSR_VMID] != hv_cur->id) fail("vmid is not the running VM");
  }
}

/* ---- the console oracle -------------------------------------------------- */

/* Everything the hypervisor prints (its UART bytes and hv_printf, both on
 * stdout, which is a stream into `out`) is checked after every trap, line by
 * line:
 *  - each line starts with a label: "[hv] ", "[NAME] " or "[NAME kernel] "
 *    for a VM of the boot info; after it, printable ASCII only (guest control
 *    characters and escape sequences are escaped, in VM lines and in guest
 *    strings quoted by [hv] lines alike);
 *  - a VM line, unescaped (\\, \t, \r, \xNN; a final lone backslash marks a
 *    line the hypervisor cut), is exactly the next bytes that VM's processes
 *    (or its kernel) had written, its newline included unless cut: nothing
 *    lost, added, reordered, or shown under another VM's or the hv's label;
 *    at most HV_LINE_MAX bytes per line, all from one process;
 *  - between traps nothing is left mid-line (one VM's unfinished line cannot
 *    swallow the next line), a VM holds back at most HV_LINE_MAX bytes and no
 *    newline, and nothing once it has ended.
 * What a VM wrote is known from the calls: a U write to fd 1 or 2 and the
 * kernel's console hypercall, whose result says how many bytes were taken. */

struct bytes {
  char *b;
  size_t n, cap;
};

static void bytes_add(struct bytes *q, const char *p, size_t n) {
  if (q->n + n > q->cap) {
    q->cap = (q->n + n) * 2;
    q->b = realloc(q->b, q->cap);
    if (!q->b) fail("out of memory");
  }
  memcpy(q->b + q->n, p, n);
  q->n += n;
}

static void bytes_drop(struct bytes *q, size_t n) {
  if (!n) return;
  memmove(q->b, q->b + n, q->n - n);
  q->n -= n;
}

static struct bytes out;                        /* printed, not yet checked */
static struct bytes written[HV_MAX_VMS + 1][2]; /* [vm][kernel]: written, not yet printed */
static struct bytes writer[HV_MAX_VMS + 1][2];  /* the pid (low byte) that wrote each of those */
static FILE *shown;                             /* FUZZ_HV_CONSOLE: the real stdout */

static ssize_t console_write(void *cookie, const char *p, size_t n) {
  (void)cookie;
  bytes_add(&out, p, n);
  if (shown) fwrite(p, 1, n, shown);
  return (ssize_t)n;
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The text of a VM line after its label, against what the VM wrote (want)
 * and who wrote it (pids): one process's bytes per line. */
static void vm_line(struct bytes *want, struct bytes *pids, const char *s, size_t n) {
  char got[HV_LINE_MAX + 1];
  size_t m = 0;
  int cut = 0;
  for (size_t i = 0; i < n;) {
    char c = s[i];
    if (c < 0x20 || c > 0x7e) fail("console: an unescaped control byte in a VM line");
    if (m == HV_LINE_MAX && !(c == '\\' && i + 1 == n)) fail("console: a VM line longer than HV_LINE_MAX bytes");
    if (c != '\\') {
      got[m++] = c, i++;
      continue;
    }
    if (i + 1 == n) { /* the cut mark */
      cut = 1;
      break;
    }
    const char e = s[i + 1];
    if (e == '\\' || e == 't' || e == 'r') {
      got[m++] = e == '\\' ? '\\' : e == 't' ? '\t' : '\r';
      i += 2;
    } else if (e == 'x' && i + 3 < n && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
      got[m++] = (char)(hexval(s[i + 2]) << 4 | hexval(s[i + 3]));
      i += 4;
    } else {
      fail("console: a bad escape in a VM line");
    }
  }
  if (!cut) got[m++] = '\n';
  if (want->n < m || memcmp(want->b, got, m) != 0) fail("console: a VM line that is not what that VM wrote");
  for (size_t i = 1; i < m; i++)
    if (pids->b[i] != pids->b[0]) fail("console: one line holds the bytes of two processes");
  bytes_drop(want, m);
  bytes_drop(pids, m);
}

static void console_line(const char *s, size_t n) {
  if (n >= 5 && memcmp(s, "[hv] ", 5) == 0) {
    for (size_t i = 5; i < n; i++)
      if (s[i] < 0x20 || s[i] > 0x7e) fail("console: an unescaped control byte in an [hv] line");
    return;
  }
  for (uint32_t i = 0; i < tm_bootinfo.n_vms; i++) {
    const struct tm_vm *v = &tm_bootinfo.vms[i];
    for (int kernel = 0; kernel < 2; kernel++) {
      char label[TM_NAME_LEN + 16];
      const int len = snprintf(label, sizeof label, "[%s%s] ", v->name, kernel ? " kernel" : "");
      if (n >= (size_t)len && memcmp(s, label, (size_t)len) == 0) {
        vm_line(&written[v->id][kernel], &writer[v->id][kernel], s + len, n - (size_t)len);
        return;
      }
    }
  }
  fail("console: a line without a label");
}

/* After a trap: the complete lines, then what the VMs may still hold back. */
static void console_check(void) {
  fflush(stdout);
  size_t start = 0;
  for (size_t i = 0; i < out.n; i++) {
    if (out.b[i] != '\n') continue;
    console_line(out.b + start, i - start);
    start = i + 1;
  }
  bytes_drop(&out, start);
  if (out.n) fail("console: a line left unfinished after a trap");
  for (uint32_t vm = 1; vm <= HV_MAX_VMS; vm++) {
    for (int kernel = 0; kernel < 2; kernel++) {
      const struct bytes *q = &written[vm][kernel];
      if (q->n > HV_LINE_MAX) fail("console: a VM holds back more than HV_LINE_MAX bytes");
      if (q->n && memchr(q->b, '\n', q->n)) fail("console: a VM's finished line was not printed");
      if (q->n && hv_vms[vm].status == VM_DONE) fail("console: an ended VM's last line was not printed");
    }
  }
}

/* A console call from `caller` (kernel: its console hypercall, else a U
 * write) taking its bytes at phys, its result r: what the VM wrote. */
static void console_wrote(const struct vm *caller, int kernel, uint32_t phys, int32_t r) {
  if (r <= 0) return;
  if (phys < TM_HOST_RAM_BASE || (uint64_t)phys + (uint32_t)r > (uint64_t)TM_HOST_RAM_BASE + TM_HOST_RAM_SIZE)
    fail("console: bytes taken from outside RAM");
  bytes_add(&written[caller->id][kernel], (const char *)ram + (phys - TM_HOST_RAM_BASE), (size_t)r);
  const char pid = kernel ? 0 : (char)csr[TM_CSR_GPID];
  for (int32_t i = 0; i < r; i++) bytes_add(&writer[caller->id][kernel], &pid, 1);
}

/* ---- one input ----------------------------------------------------------- */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  ram = hv_host_ram_map("fuzz_hv");
  /* The hypervisor's console (the UART, and hv_printf's stdout) goes to the
   * console oracle, and to the real stdout with FUZZ_HV_CONSOLE set. (glibc's
   * stdout is a variable that may be assigned.) */
  if (getenv("FUZZ_HV_CONSOLE")) {
    shown = stdout;
    setvbuf(shown, NULL, _IONBF, 0);
  }
  stdout = fopencookie(NULL, "w", (cookie_io_functions_t){.write = console_write});
  if (!stdout) fail("cannot capture stdout");
  setvbuf(stdout, NULL, _IONBF, 0);
  return 0;
}

/* While a trap is handled, the images below reserved_end and the memory of
 * every other runnable VM are read-only: the hypervisor writing there on the
 * caller's behalf (a confused deputy) is a SEGV. (An idle VM may be ended,
 * and so scrubbed, by any switch; an ended VM's memory may be the caller's
 * by now: those stay writable.) */
static void guard(int on) {
  const int prot = on ? PROT_READ : PROT_READ | PROT_WRITE;
  if (mprotect(ram, RESERVED, prot) != 0) fail("mprotect");
  for (uint32_t vm = 1; vm <= HV_MAX_VMS; vm++) {
    if (&hv_vms[vm] == hv_cur || hv_vms[vm].status != VM_READY) continue;
    struct memq_seg segs[MEMQ_MAX_SEGS_PER_VM];
    const uint32_t n = memq_vm_segments(&hv_mem, vm, segs, MEMQ_MAX_SEGS_PER_VM);
    for (uint32_t i = 0; i < n && i < MEMQ_MAX_SEGS_PER_VM; i++)
      if (mprotect(ram + (segs[i].base - TM_HOST_RAM_BASE), segs[i].size, prot) != 0) fail("mprotect");
  }
}

/* One trap from the running VM, in mode pm. 0 when the run ended. */
static int trap(uint32_t cause, uint32_t tval, uint32_t pm) {
  csr[TM_CSR_VCAUSE] = cause;
  csr[TM_CSR_VTVAL] = tval;
  csr[TM_CSR_VSTATUS] = pm << TM_VSTATUS_PM_SHIFT;
  clock_reads = 0;
  mtime += 50;
  guard(1);
  if (setjmp(back)) {
    mprotect(ram, TM_HOST_RAM_SIZE, PROT_READ | PROT_WRITE);
    return 0;
  }
  hv_trap(live_frame);
  mprotect(ram, TM_HOST_RAM_SIZE, PROT_READ | PROT_WRITE);
  check();
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  memset(csr, 0, sizeof csr);
  memset(segtab, 0, sizeof segtab);
  memset(hv_vms, 0, sizeof hv_vms);
  memset(&hv_mem, 0, sizeof hv_mem);
  hv_cur = 0;
  hv_host_io_reset();
  mtime = mtimecmp = 0;
  out.n = 0;
  for (uint32_t vm = 0; vm <= HV_MAX_VMS; vm++)
    for (int kernel = 0; kernel < 2; kernel++) written[vm][kernel].n = writer[vm][kernel].n = 0;
  boot_info();
  live_frame = 0;
  const int how = setjmp(back);
  if (how == 0) {
    (void)hv_main();
    fail("the hypervisor returned from boot");
  }
  if (how != 1 || !live_frame) fail("the hypervisor did not enter a VM");
  uint32_t *const frame = live_frame;
  check();
  console_check();

  struct input in = {data, size};
  for (unsigned n = 0; n < 256 && in.left; n++) {
    if (!hv_cur) fail("no VM running");
    const uint32_t op = take(&in, 1), pm = op & 0x80 ? TM_MODE_G : TM_MODE_U;
    if (pm == TM_MODE_U && !csr[TM_CSR_GBOUND]) { /* a process of the kernel: 64 KiB of its slot */
      csr[TM_CSR_GBASE] = hv_cur->kslot + 0x20000;
      csr[TM_CSR_GBOUND] = U_WINDOW;
      csr[TM_CSR_GPID] = 1;
    }
    csr[TM_CSR_VEPC] = 0x100 + 4 * n;
    int alive = 1;
    switch (op & 7) {
      case 0:
      case 1: { /* vcall: from U an I/O call, from G a hypercall */
        frame[17] = call_number(&in);
        for (int r = 10; r <= 13; r++) frame[r] = arg(&in);
        struct vm *const caller = hv_cur;
        const int u_console = pm == TM_MODE_U && frame[17] == TM_SYS_WRITE && (frame[10] == 1 || frame[10] == 2);
        const int g_console = pm == TM_MODE_G && frame[17] == TM_SYS_CONSOLE;
        const uint32_t phys = g_console ? frame[10] : csr[TM_CSR_GBASE] + frame[11];
        alive = trap(pm == TM_MODE_U ? TM_CAUSE_VCALL_U : TM_CAUSE_VCALL_G, 0, pm);
        if (alive && hv_cur == caller && (u_console || g_console))
          console_wrote(caller, g_console, phys, (int32_t)frame[10]);
        break;
      }
      case 2: alive = trap(TM_CAUSE_SENSITIVE_INSN, sensitive_word(&in), pm); break;
      case 3: alive = trap(TM_CAUSE_IRQ_TIMER, 0, pm); break;
      case 4: {
        static const uint32_t faults[] = {TM_CAUSE_INSN_ACCESS_FAULT, TM_CAUSE_LOAD_ACCESS_FAULT,
                                          TM_CAUSE_STORE_ACCESS_FAULT, TM_CAUSE_ILLEGAL_INSN,
                                          TM_CAUSE_PRIV_INSN, TM_CAUSE_ECALL_U, TM_CAUSE_BREAKPOINT};
        alive = trap(faults[take(&in, 1) % 7], arg(&in), pm);
        break;
      }
      case 5: { /* the process writes bytes (a path, a message) into its window */
        const uint32_t at = take(&in, 2) % U_WINDOW, len = take(&in, 1) % 40;
        const uint32_t phys = csr[TM_CSR_GBASE] + at;
        if (owned(hv_cur->id, phys, len + 1) && len <= in.left) {
          memcpy(ram + (phys - TM_HOST_RAM_BASE), in.p, len);
          ram[phys - TM_HOST_RAM_BASE + len] = 0;
          in.p += len, in.left -= len;
        }
        break;
      }
      case 6: /* another process: another window, maybe a hostile one */
        csr[TM_CSR_GPID] = take(&in, 1);
        csr[TM_CSR_GBASE] = op & 0x40 ? arg(&in) : hv_cur->kslot + (take(&in, 1) << 10);
        csr[TM_CSR_GBOUND] = op & 0x20 ? arg(&in) : take(&in, 2);
        break;
      default:
        alive = trap(TM_CAUSE_SENSITIVE_INSN, TM_INSN_WFI, pm);
        break;
    }
    console_check();
    if (!alive) break;
  }
  return 0;
}

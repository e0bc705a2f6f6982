/*
 * main.c: the hypervisor's boot, trap dispatch and end of run.
 *
 * Boot (in V, from trimode): check tm_bootinfo, reserve everything below
 * reserved_end in the allocator, create each VM (vm.c), record the memory map
 * in the report and enter the first VM (sched.c). From then on the
 * hypervisor runs only in hv_trap(), on its own trap stack. When every VM has
 * ended it prints a summary, writes the report and exits through the finisher.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emulate.h"
#include "hv.h"
#include "trimode/finisher.h"

/* Filled by trimode before the hypervisor starts: it must not be in .bss
 * (which crt0 zeroes). ".data.tm_bootinfo" is an input section of .data in
 * trimode.ld; the link map (hypervisor.map) shows it there. */
struct tm_bootinfo tm_bootinfo __attribute__((section(".data.tm_bootinfo"), aligned(8))) = {.magic = 0};

struct memq hv_mem;
struct vm hv_vms[HV_MAX_VMS + 1];
struct vm *hv_cur;

extern char __image_end[];

void hv_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}


void hv_snapshot_map(uint32_t step) {
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

static void print_map(const char *title) {
  hv_printf("[hv] memory map (%s):\n", title);
  for (uint32_t i = 0; i < memq_global_count(&hv_mem); i++) {
    const struct memq_seg *s = memq_global_at(&hv_mem, i);
    if (s->owner == MEMQ_OWNER_V)
      hv_printf("[hv]   0x%08lx %6lu KiB  hypervisor\n", (unsigned long)s->base, (unsigned long)(s->size >> 10));
    else
      hv_printf("[hv]   0x%08lx %6lu KiB  %s\n", (unsigned long)s->base, (unsigned long)(s->size >> 10),
                hv_vms[s->owner].cfg ? hv_vms[s->owner].cfg->name : "?");
  }
}

/* Every VM has ended: summary, report, finisher. */
void hv_finish(void) __attribute__((noreturn));
void hv_finish(void) {
  TM_CSR_WRITE(TM_CSR_VTIMECTL, 0);
  if (tm_bootinfo.report.map_steps < 2) hv_snapshot_map(1);  /* no VM grew */
  uint64_t total = 0;
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) total += hv_vms[id].cpu_ticks;
  extern uint32_t hv_ticks, hv_ticks_early;
  hv_printf("[hv] all VMs have ended (%lu timer interrupts, %lu early)\n", (unsigned long)hv_ticks, (unsigned long)hv_ticks_early);
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    const struct vm *v = &hv_vms[id];
    if (!v->cfg) continue;
    const uint32_t state = tm_bootinfo.report.vm_state[id];
    const uint32_t permille = total ? (uint32_t)(v->cpu_ticks * 1000 / total) : 0;
    hv_printf("[hv] %s: %s code %ld, weight %lu, cpu %lu ticks (%lu.%lu%%), %lu hypercalls, %lu I/O calls\n",
              v->cfg->name, state == TM_VM_EXITED ? "exited" : state == TM_VM_STOPPED ? "stopped" : "never ran",
              (long)tm_bootinfo.report.vm_code[id], (unsigned long)v->weight, (unsigned long)v->cpu_ticks,
              (unsigned long)(permille / 10), (unsigned long)(permille % 10), (unsigned long)v->n_hcall,
              (unsigned long)v->n_vcall);
  }
  print_map("end");
  tm_finish(0);
}

/* A read of time / timeh from U or G (kind 1): V answers with the real time
 * (every read form: emulate.h). */
static int emulate_time(uint32_t *frame, uint32_t insn) {
  const uint32_t csr = hv_time_read(insn), rd = TM_INSN_RD(insn);
  if (!csr) return 0;
  const uint64_t now = hv_now();
  if (rd) frame[rd] = csr == TM_CSR_TIME ? (uint32_t)now : (uint32_t)(now >> 32);
  return 1;
}

/* An exception from U that V owns (a sensitive instruction, a U access
 * outside the VM's segments): handed to the guest kernel as if the hardware
 * had raised it to G, so the kernel ends the process and the VM goes on. */
static void reflect_to_g(uint32_t cause, uint32_t tval, uint32_t epc) {
  const uint32_t gs = TM_CSR_READ(TM_CSR_GSTATUS);
  const uint32_t ie = gs & TM_GSTATUS_IE;
  TM_CSR_WRITE(TM_CSR_GEPC, epc);
  TM_CSR_WRITE(TM_CSR_GCAUSE, cause);
  TM_CSR_WRITE(TM_CSR_GTVAL, tval);
  TM_CSR_WRITE(TM_CSR_GSTATUS, (TM_MODE_U << TM_GSTATUS_PM_SHIFT) | (ie ? TM_GSTATUS_PIE : 0));
  TM_CSR_WRITE(TM_CSR_VEPC, TM_CSR_READ(TM_CSR_GTVEC));
  TM_CSR_WRITE(TM_CSR_VSTATUS, TM_MODE_G << TM_VSTATUS_PM_SHIFT);
}

void hv_trap(uint32_t *frame) {
  const uint32_t cause = TM_CSR_READ(TM_CSR_VCAUSE), tval = TM_CSR_READ(TM_CSR_VTVAL);
  const uint32_t epc = TM_CSR_READ(TM_CSR_VEPC);
  const uint32_t pm = (TM_CSR_READ(TM_CSR_VSTATUS) & TM_VSTATUS_PM) >> TM_VSTATUS_PM_SHIFT;
  struct vm *v = hv_cur;
  if (pm == TM_MODE_V || !v) {
    hv_printf("[hv] PANIC: %s in the hypervisor at 0x%08lx tval 0x%08lx\n", tm_cause_name(cause),
              (unsigned long)epc, (unsigned long)tval);
    tm_finish(2);
  }
  switch (cause) {
    case TM_CAUSE_IRQ_TIMER:
      sched_tick(frame);
      return;
    case TM_CAUSE_VCALL_U:
      v->n_vcall++;
      TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
      frame[10] = (uint32_t)io_call(v, frame);
      return;
    case TM_CAUSE_VCALL_G:
      v->n_hcall++;
      TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
      vm_hcall(v, frame); /* writes a0 itself: it may switch VMs */
      return;
    case TM_CAUSE_SENSITIVE_INSN:
      if (tval == TM_INSN_WFI) {
        TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
        sched_idle(frame);
        return;
      }
      if (emulate_time(frame, tval)) {
        TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
        return;
      }
      break;
    default:
      break;
  }
  if (pm == TM_MODE_U) {
    reflect_to_g(cause, tval, epc);
    return;
  }
  hv_printf("[hv] VM %lu stopped: %s at 0x%08lx tval 0x%08lx\n", (unsigned long)v->id, tm_cause_name(cause),
            (unsigned long)epc, (unsigned long)tval);
  vm_end(v, TM_VM_STOPPED, cause);
  sched_switch(frame);
}

int main(void) {
  struct tm_bootinfo *bi = &tm_bootinfo;
  sched_init(); /* trap vector first: a fault while booting is reported */
  hv_printf("[hv] Trimode hypervisor\n");
  if (bi->magic != TM_BOOTINFO_MAGIC || bi->version != TM_BOOTINFO_VERSION) {
    hv_printf("[hv] no boot info (magic 0x%08lx version %lu): run with a scenario\n", (unsigned long)bi->magic,
              (unsigned long)bi->version);
    return 1;
  }
  if (bi->n_vms > TM_MAX_VMS || bi->n_images > TM_MAX_IMAGES || bi->n_filters > TM_MAX_FILTERS ||
      bi->n_files > TM_MAX_FILES) {
    hv_printf("[hv] boot info: counts out of range\n");
    return 1;
  }
  uint32_t reserved_end = bi->reserved_end;
  if (reserved_end < (uint32_t)__image_end) reserved_end = (uint32_t)__image_end;
  if (memq_init(&hv_mem, bi->ram_base, bi->ram_size, HV_GRANULE, HV_SEGS) != MEMQ_OK ||
      reserved_end <= bi->ram_base ||
      memq_reserve(&hv_mem, bi->ram_base, reserved_end - bi->ram_base) != MEMQ_OK) {
    hv_printf("[hv] boot info: bad RAM geometry\n");
    return 1;
  }
  uint32_t created = 0;
  for (uint32_t i = 0; i < bi->n_vms; i++) vm_reserve_slot(&bi->vms[i]);
  for (uint32_t i = 0; i < bi->n_vms; i++) {
    if (vm_create(&bi->vms[i]) == 0) created++;
  }
  io_init(); /* the initial files, within their VMs' quotas */
  hv_snapshot_map(0);
  print_map("VMs created");
  if (created == 0) {
    hv_printf("[hv] no VM could be created\n");
    hv_finish();
  }
  sched_start();
}

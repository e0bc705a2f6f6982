/*
 * main.c: the trap layer -- the hypervisor's boot, trap dispatch and end of
 * run. The top layer: uses the scheduler, I/O, VM and library layers, and
 * nothing uses it.
 *
 * Boot (in V, from trimode): check tm_bootinfo, reserve everything below
 * reserved_end in the allocator, create each VM (vm.c), record the memory map
 * in the report and enter the first VM (scheduler.c). From then on the
 * hypervisor runs only in hv_trap(), on its own trap stack. When every VM has
 * ended it prints a summary, writes the report and exits through the finisher.
 */
#include "ckpt.h"
#include "emulate.h"
#include "io.h"
#include "scheduler.h"
#include "trimode/finisher.h"

extern char __image_end[]; /* the linker's: the end of the hypervisor image */

/* Every VM has ended: summary, report, finisher. */
static void hv_finish(void) __attribute__((noreturn));
static void hv_finish(void) {
  TM_CSR_WRITE(TM_CSR_VTIMECTL, 0);
  if (tm_bootinfo.report.map_steps < 2) vm_snapshot_map(1);  /* no VM grew */
  uint32_t hv_ticks, hv_ticks_early;
  sched_counts(&hv_ticks, &hv_ticks_early);
  hv_printf("[hv] all VMs have ended (%lu timer interrupts, %lu early)\n", (unsigned long)hv_ticks, (unsigned long)hv_ticks_early);
  /* How each VM ended, its cpu share and the memory map are trimode's
   * summary (from the report); the log adds what only V counted. */
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    const struct vm *v = &hv_vms[id];
    if (!v->cfg || tm_vm_not_created(&tm_bootinfo.report, id)) continue;
    hv_printf("[hv] %s: %lu hypercalls, %lu I/O calls\n", v->cfg->name, (unsigned long)v->n_hcall,
              (unsigned long)v->n_vcall);
    vm_print_denied(v);
  }
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

/* A hypercall (vcall from G): the VM layer's own, or routed to the
 * scheduler (virtual timer) and the I/O layer (console, process ended). */
static enum sched_result hcall(struct vm *v, uint32_t *frame) {
  const uint32_t a0 = frame[10], a1 = frame[11];
  long r;
  switch (frame[17]) {
    case TM_SYS_VTIMER: sched_vtimer(v, a0); r = 0; break;
    case TM_SYS_PROC_ENDED: r = io_proc_ended(v, a0); break;
    case TM_SYS_CONSOLE:
      r = vm_phys_ok(v, a0, a1) ? io_console(v, (const char *)(uintptr_t)a0, a1 < HV_CONSOLE_CHUNK ? a1 : HV_CONSOLE_CHUNK, 1)
                                : -TM_EFAULT;
      break;
    default: {
      uint32_t code = 0;
      switch (vm_hcall(v, frame, &code)) {
        case HC_DONE: return SCHED_RUNNING;
        case HC_CHECKPOINT: return sched_checkpoint(frame, code);
        case HC_END_VM: break;
      }
      sched_end(v, TM_VM_EXITED, code); /* it shut down: another VM runs */
      return sched_switch(frame);
    }
  }
  frame[10] = (uint32_t)r;
  return SCHED_RUNNING;
}

/* The trap itself; what the scheduler says comes back. */
static enum sched_result dispatch(uint32_t *frame) {
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
      return sched_tick(frame);
    case TM_CAUSE_VCALL_U:
      v->n_vcall++;
      TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
      frame[10] = (uint32_t)io_call(v, frame);
      return SCHED_RUNNING;
    case TM_CAUSE_VCALL_G:
      v->n_hcall++;
      TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
      return hcall(v, frame); /* writes a0 itself: it may switch VMs */
    case TM_CAUSE_SENSITIVE_INSN:
      if (tval == TM_INSN_WFI) {
        TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
        return sched_idle(frame);
      }
      if (emulate_time(frame, tval)) {
        TM_CSR_WRITE(TM_CSR_VEPC, epc + 4);
        return SCHED_RUNNING;
      }
      break;
    default:
      break;
  }
  if (pm == TM_MODE_U) {
    reflect_to_g(cause, tval, epc);
    return SCHED_RUNNING;
  }
  hv_printf("[hv] %s stopped: %s at 0x%08lx tval 0x%08lx\n", v->cfg->name, tm_cause_name(cause),
            (unsigned long)epc, (unsigned long)tval);
  sched_end(v, TM_VM_STOPPED, cause);
  return sched_switch(frame);
}

/* Called by trap.S's vector with the trapped context's registers. */
void hv_trap(uint32_t *frame);
void hv_trap(uint32_t *frame) {
  if (dispatch(frame) == SCHED_ALL_ENDED) hv_finish();
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
  if (bi->n_segments > HV_SEGS) {
    hv_printf("[hv] boot info: %lu segment-table entries per VM, more than the hypervisor's %lu\n",
              (unsigned long)bi->n_segments, (unsigned long)HV_SEGS);
    return 1;
  }
  if (bi->n_segments) hv_segs = bi->n_segments; /* 0: a writer that predates the field */
  uint32_t reserved_end = bi->reserved_end;
  if (reserved_end < (uint32_t)__image_end) reserved_end = (uint32_t)__image_end;
  if (memq_init(&hv_mem, bi->ram_base, bi->ram_size, HV_GRANULE, hv_segs) != MEMQ_OK ||
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
  for (uint32_t i = 0; i < bi->n_vms; i++) /* VMs that start from a saved image: their files exist now */
    if (ckpt_start(&bi->vms[i], hv_now()) == 0) created++;
  vm_snapshot_map(0); /* (trimode's summary prints it) */
  if (created == 0) {
    hv_printf("[hv] no VM could be created\n");
    hv_finish();
  }
  sched_start();
}

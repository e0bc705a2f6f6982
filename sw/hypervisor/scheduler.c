/*
 * scheduler.c: the fair-share scheduler over VMs (stride scheduling) and the
 * per-VM virtual timers, both on the one CLINT timer that only V programs.
 *
 * Each VM has a pass value; running for d ticks adds d * STRIDE_ONE / weight.
 * At every switch the runnable VM with the lowest pass runs next for one
 * timeslice (bootinfo timeslice_ticks), so over time VM i gets a share of
 * the CPU proportional to weight_i (a slice with nothing else to run goes
 * on: no switch, see `alone`). cpu_ticks counts what each VM really ran
 * (the report's vm_cpu_ticks). mtimecmp is always the earlier of the end of
 * the slice and the running VM's next virtual-timer event; a VM's virtual
 * timer events that fall while it is not running are delivered (coalesced
 * into one) when it runs again.
 *
 * Budgets: a VM is stopped when it has run lim.cpu_ms of CPU time or when
 * lim.wall_ms of simulated time have passed since boot (a guest kernel that
 * never yields or never ends), checked at every switch, and at a tick for the
 * running VM's CPU budget and, from next_check on, for every VM.
 * With nothing to run, V sleeps in wfi until the next event.
 *
 * A VM that slept in wfi rejoins at the pass of the least-advanced runnable
 * VM (sched_wake): the time it slept earns it no credit, so it cannot take a
 * burst of slices in a row when it wakes.
 *
 * Checkpoints (ckpt.h): the scenario's (boot info: VM, at, resume) are taken
 * at the first switch at or after their time where the VM was interrupted in
 * U (not inside its kernel: the kernel must hold no live frame, sys.h
 * TM_KENTRY_RESUME; until then every tick is a switch), the guest's own
 * (hcall vm_checkpoint) at once; a suspended VM is resumed at the first
 * switch at or after its resume time, re-based like a VM waking from wfi.
 * V's time for a checkpoint and its resume is charged to the VM when the
 * guest asked for it (a VM cannot take the others' CPU share through its
 * own checkpoints), to none for the scenario's; never to a VM that happens
 * to run next.
 */
#include "scheduler.h"
#include "ckpt.h"
#include "io.h"

struct vm *hv_cur;

#define MIN_VTIMER_PERIOD 100u /* 10 us: no interrupt storms */
#define TRAP_STACK_BYTES 16384u
#define STOP_CPU_BUDGET 0x1001u  /* report code of a VM stopped by its CPU budget */
#define STOP_WALL_BUDGET 0x1002u /* ... by its wall budget */

static uint32_t trap_stack[TRAP_STACK_BYTES / 4] __attribute__((aligned(16)));
static uint64_t slice_start, slice_end;
static uint32_t timeslice;

static void arm(void) {
  uint64_t t = slice_end;
  if (hv_cur && hv_cur->status == VM_READY && hv_cur->vt_period && hv_cur->vt_next < t) t = hv_cur->vt_next;
  hv_set_timecmp(t);
}

extern void hv_vector(void);
extern void hv_enter(uint32_t *frame) __attribute__((noreturn));

void sched_init(void) {
  TM_CSR_WRITE(TM_CSR_VTVEC, (uint32_t)hv_vector);
  TM_CSR_WRITE(TM_CSR_VSCRATCH, (uint32_t)&trap_stack[TRAP_STACK_BYTES / 4]);
  timeslice = tm_bootinfo.timeslice_ticks;
  if (timeslice < 100) timeslice = 1000; /* default 100 us */
}

static void account(uint64_t now);

/* The running VM is charged up to its end, never for what V does after it:
 * scrubbing its memory (vm_end) takes V about 8 ms for a 1 MiB VM, and was
 * charged to it by the switch that followed (the default scenario's VMs
 * showed 101,708 and 99,574 ticks, 81,600 of each the scrub's). */
void sched_end(struct vm *v, uint32_t state, uint32_t code) {
  if (v == hv_cur) account(hv_now());
  vm_end(v, state, code);
  io_vm_ended(v);
}

/* Stops every VM past its CPU or wall budget; 1 when the running one was. */
static int budgets(uint64_t now) {
  int cur_stopped = 0;
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    struct vm *v = &hv_vms[id];
    if (v->status == VM_EMPTY || v->status == VM_DONE || v->status == VM_SAVED) continue;
    /* a suspended VM's wall budget runs on (simulated time passes for all) */
    const int cpu = v->status != VM_SUSPENDED && v->cpu_ticks >= v->cpu_max, wall = now >= v->wall_end;
    if (!cpu && !wall) continue;
    if (cpu)
      hv_printf("[hv] %s stopped: CPU budget of %lu ms used up\n", v->cfg->name, (unsigned long)v->lim.cpu_ms);
    else
      hv_printf("[hv] %s stopped: wall-time budget of %lu ms used up\n", v->cfg->name, (unsigned long)v->lim.wall_ms);
    if (v->status == VM_SUSPENDED) ckpt_drop(v->id);
    sched_end(v, TM_VM_STOPPED, cpu ? STOP_CPU_BUDGET : STOP_WALL_BUDGET);
    cur_stopped |= v == hv_cur;
  }
  return cur_stopped;
}

#define STOP_RESUME_FAILED 0x1003u /* report code of a VM whose resume failed */

static uint8_t ck_done[TM_MAX_CHECKPOINTS];


/* The scenario's checkpoint i, if it is due and not yet taken. */
static int ck_due(uint32_t i, uint64_t now) {
  const struct tm_checkpoint *c = &tm_bootinfo.checkpoints[i];
  return !ck_done[i] && now >= c->at_ticks;
}

/* `save`: checkpoint save + 1 of the boot info: kept for another run. */
static void suspend(struct vm *v, uint64_t now, uint64_t resume_at, uint32_t save) {
  const char *why = ckpt_suspend(v, now, save ? ~(uint64_t)0 : resume_at);
  if (why) {
    hv_printf("[hv] %s: checkpoint refused: %s\n", v->cfg->name, why);
    return;
  }
  if (save) {
    ckpt_save_for_host(v, save - 1);
    hv_printf("[hv] %s checkpointed: saved for another run (%lu bytes)\n", v->cfg->name,
              (unsigned long)tm_bootinfo.saved[save - 1].length);
    return;
  }
  if (resume_at <= now) { /* (a scenario's resume time already past, a guest's resume_ms 0) */
    hv_printf("[hv] %s checkpointed: suspended, resumes at the next switch\n", v->cfg->name);
    return;
  }
  hv_printf("[hv] %s checkpointed: suspended, resumes in %lu ms\n", v->cfg->name,
            (unsigned long)((resume_at - now + HV_TICKS_PER_MS - 1) / HV_TICKS_PER_MS));
}

/* "resumed", and where its memory went when it moved. */
static void report_resume(const struct vm *v) {
  uint32_t moved = 0;
  for (uint32_t i = 0; i < v->n_mv; i++) moved += v->mv_new[i] != v->mv_old[i];
  if (!moved) {
    hv_printf("[hv] %s resumed\n", v->cfg->name);
    return;
  }
  hv_printf("[hv] %s resumed into other memory (%lu of its %lu segments moved):\n", v->cfg->name, (unsigned long)moved,
            (unsigned long)v->n_mv);
  for (uint32_t i = 0; i < v->n_mv; i++)
    hv_printf("[hv]   0x%08lx -> 0x%08lx %6lu KiB\n", (unsigned long)v->mv_old[i], (unsigned long)v->mv_new[i],
              (unsigned long)(v->mv_size[i] >> 10));
  vm_print_map("after the resume");
}

/* Why a due scenario checkpoint of v (0: no such VM) cannot be taken. */
static const char *not_running(const struct vm *v) {
  if (!v || v->status == VM_EMPTY || tm_bootinfo.report.vm_code[v->id] == TM_VM_CODE_NOT_CREATED) return "it was not created";
  if (v->status == VM_SUSPENDED) return "it is suspended (an earlier checkpoint)";
  if (v->status == VM_SAVED) return "it is saved for another run";
  return "it has ended";
}

/* At a switch (every context saved): the scenario's checkpoints that are
 * due, and the resumes that are due. */
static void checkpoint_events(uint64_t now) {
  for (uint32_t i = 0; i < tm_bootinfo.n_checkpoints && i < TM_MAX_CHECKPOINTS; i++) {
    if (!ck_due(i, now)) continue;
    ck_done[i] = 1;
    const struct tm_checkpoint *c = &tm_bootinfo.checkpoints[i];
    struct vm *v = c->vm >= 1 && c->vm <= HV_MAX_VMS ? &hv_vms[c->vm] : 0;
    if (!v || (v->status != VM_READY && v->status != VM_IDLE)) {
      hv_printf("[hv] %s: checkpoint at %lu us skipped: %s\n", vm_name(c->vm), (unsigned long)(c->at_ticks / 10), not_running(v));
      continue;
    }
    if ((v->vstatus & TM_VSTATUS_PM) >> TM_VSTATUS_PM_SHIFT != TM_MODE_U) {
      ck_done[i] = 0; /* inside its kernel: at the next switch that finds it in U */
      continue;
    }
    v->ck_move = c->flags & TM_CK_MOVE;
    v->ck_guest = 0;
    suspend(v, now, c->resume_ticks, c->flags & TM_CK_SAVE ? i + 1 : 0);
  }
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    struct vm *v = &hv_vms[id];
    if (v->status != VM_SUSPENDED || now < v->ck_resume) continue;
    const uint64_t start = hv_now();
    const char *why = ckpt_resume(v, now, v->ck_move);
    if (!why && v->ck_guest) { /* its own: the resume, and the suspend again (the image's count lacks it; its pass has it) */
      v->cpu_ticks += v->ck_charged;
      sched_charge(v, hv_now() - start);
      tm_bootinfo.report.vm_cpu_ticks[id] = (uint32_t)v->cpu_ticks;
    }
    if (why) {
      hv_printf("[hv] %s: resume failed: %s\n", v->cfg->name, why);
      ckpt_drop(id);
      v->status = VM_IDLE; /* so that it can end */
      sched_end(v, TM_VM_STOPPED, STOP_RESUME_FAILED);
      continue;
    }
    report_resume(v);
    v->status = VM_IDLE;
    sched_wake(v);
  }
}

/* No budget or event can fall due before next_check, but the running VM's
 * CPU budget (only the running VM is charged between switches): a tick runs
 * budgets() and events_due(), loops over every VM, only from then on.
 * alone: no other VM is ready or waits for its virtual timer (only a switch
 * makes one ready), so a slice that ends before next_check goes on with no
 * switch (a save, a pick that finds the same VM, a load: ~2,200 cycles). */
static uint64_t next_check;
static int alone;

static void plan_checks(void) {
  uint64_t t = ~(uint64_t)0;
  alone = 1;
  for (uint32_t i = 0; i < tm_bootinfo.n_checkpoints && i < TM_MAX_CHECKPOINTS; i++)
    if (!ck_done[i] && tm_bootinfo.checkpoints[i].at_ticks < t) t = tm_bootinfo.checkpoints[i].at_ticks;
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    const struct vm *v = &hv_vms[id];
    if (v->status == VM_EMPTY || v->status == VM_DONE || v->status == VM_SAVED) continue;
    if (v->wall_end < t) t = v->wall_end;
    if (v != hv_cur && (v->status == VM_READY || (v->status == VM_IDLE && v->vt_period))) alone = 0;
    if (v->status == VM_SUSPENDED) {
      if (v->ck_resume < t) t = v->ck_resume;
    } else if (v != hv_cur && v->cpu_ticks >= v->cpu_max) {
      t = 0; /* (charged at a switch: stopped at the next tick, as before) */
    }
  }
  next_check = t;
}

static int events_due(uint64_t now) {
  for (uint32_t i = 0; i < tm_bootinfo.n_checkpoints && i < TM_MAX_CHECKPOINTS; i++)
    if (ck_due(i, now)) return 1;
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++)
    if (hv_vms[id].status == VM_SUSPENDED && now >= hv_vms[id].ck_resume) return 1;
  return 0;
}

/* ticks * SCHED_STRIDE_ONE / w, exactly: in 32-bit divisions (rv32's divu)
 * when ticks and w allow it, not __udivdi3's 64-bit one (about 55
 * instructions at every tick). */
_Static_assert(SCHED_STRIDE_ONE == 1u << 16, "stride_of shifts by 16");
static uint64_t stride_of(uint64_t ticks, uint32_t w) {
  if (ticks >> 32 || w >> 16) return ticks * SCHED_STRIDE_ONE / w;
  const uint32_t t = (uint32_t)ticks, r = t % w; /* t = q w + r: t 2^16 / w = q 2^16 + r 2^16 / w, r 2^16 < 2^32 */
  return ((uint64_t)(t / w) << 16) + (r << 16) / w;
}

void sched_charge(struct vm *v, uint64_t ticks) {
  v->cpu_ticks += ticks;
  v->pass += stride_of(ticks, v->weight);
}

static void account(uint64_t now) {
  if (!hv_cur || hv_cur->status == VM_DONE || now < slice_start) return; /* (an ended VM: charged at its end) */
  sched_charge(hv_cur, now - slice_start);
  tm_bootinfo.report.vm_cpu_ticks[hv_cur->id] = (uint32_t)hv_cur->cpu_ticks;
  slice_start = now;
}

/* The running VM's virtual timer: inject when due (gip.vi = vinject). */
static void vtimer_due(struct vm *v, uint64_t now) {
  if (!v->vt_period || now < v->vt_next) return;
  TM_CSR_WRITE(TM_CSR_VINJECT, TM_VINJECT_VI);
  v->vt_next += v->vt_period;
  if (v->vt_next <= now) v->vt_next = now + v->vt_period;
}

void sched_wake(struct vm *v) {
  int any = 0;
  uint64_t floor = 0;
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    const struct vm *o = &hv_vms[id];
    if (o == v || o->status != VM_READY) continue;
    if (!any || o->pass < floor) floor = o->pass;
    any = 1;
  }
  if (any && v->pass < floor) v->pass = floor;
  v->status = VM_READY;
}

struct vm *sched_pick(uint64_t now) {
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    struct vm *v = &hv_vms[id];
    if (v->status == VM_IDLE && v->vt_period && v->vt_next <= now) sched_wake(v);
  }
  struct vm *best = 0;
  for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
    struct vm *v = &hv_vms[id];
    if (v->status == VM_READY && (!best || v->pass < best->pass)) best = v;
  }
  return best;
}

static void run(struct vm *v, uint32_t *frame, uint64_t now) {
  hv_cur = v;
  vm_load(v, frame);
  slice_start = now;
  slice_end = now + timeslice;
  vtimer_due(v, now);
  arm();
}

enum sched_result sched_switch(uint32_t *frame) {
  uint64_t now = hv_now();
  account(now);
  budgets(now);
  if (hv_cur && (hv_cur->status == VM_READY || hv_cur->status == VM_IDLE)) vm_save(hv_cur, frame);
  for (;;) {
    checkpoint_events(now);
    now = hv_now(); /* (their time is no VM's slice: charged above, or to none) */
    struct vm *next = sched_pick(now);
    if (next) {
      run(next, frame, now);
      plan_checks();
      return SCHED_RUNNING;
    }
    /* Nothing runnable: wait for the earliest virtual-timer event of an idle
     * VM; an idle VM without a timer can never wake: stop it. */
    uint64_t wake = ~(uint64_t)0;
    int alive = 0;
    for (uint32_t i = 0; i < tm_bootinfo.n_checkpoints && i < TM_MAX_CHECKPOINTS; i++) /* (a deferred one waits for its VM) */
      if (!ck_done[i] && tm_bootinfo.checkpoints[i].at_ticks > now && tm_bootinfo.checkpoints[i].at_ticks < wake)
        wake = tm_bootinfo.checkpoints[i].at_ticks;
    for (uint32_t id = 1; id <= HV_MAX_VMS; id++) {
      struct vm *v = &hv_vms[id];
      if (v->status == VM_SUSPENDED) {
        alive = 1;
        if (v->ck_resume < wake) wake = v->ck_resume;
        if (v->wall_end < wake) wake = v->wall_end;
      }
      if (v->status != VM_IDLE) continue;
      if (!v->vt_period) {
        hv_printf("[hv] %s stopped: waits for an interrupt with no timer set\n", v->cfg->name);
        sched_end(v, TM_VM_STOPPED, TM_CAUSE_SENSITIVE_INSN);
        continue;
      }
      alive = 1;
      if (v->vt_next < wake) wake = v->vt_next;
      if (v->wall_end < wake) wake = v->wall_end;
    }
    hv_cur = 0;
    if (!alive) {
      for (uint32_t i = 0; i < tm_bootinfo.n_checkpoints && i < TM_MAX_CHECKPOINTS; i++)
        if (!ck_done[i])
          hv_printf("[hv] %s: checkpoint at %lu us not taken: the run ended first\n",
                    vm_name(tm_bootinfo.checkpoints[i].vm), (unsigned long)(tm_bootinfo.checkpoints[i].at_ticks / 10));
      return SCHED_ALL_ENDED;
    }
    /* Sleep until then: V takes no interrupts, but wfi wakes on the timer line. */
    hv_set_timecmp(wake);
    while ((now = hv_now()) < wake) TM_WFI();
    budgets(now);
  }
}

static uint32_t hv_ticks, hv_ticks_early;

void sched_counts(uint32_t *ticks, uint32_t *early) {
  *ticks = hv_ticks;
  *early = hv_ticks_early;
}

enum sched_result sched_tick(uint32_t *frame) {
  const uint64_t now = hv_now();
  hv_ticks++;
  if (now < slice_end && !(hv_cur->vt_period && now >= hv_cur->vt_next)) hv_ticks_early++;
  vtimer_due(hv_cur, now);
  account(now);
  const int cpu_over = hv_cur->cpu_ticks >= hv_cur->cpu_max; /* (its budget: budgets() stops it, and any other due) */
  if (now >= slice_end && alone && !cpu_over && now < next_check) slice_end = now + timeslice; /* (account: slice_start = now) */
  if (now >= slice_end || (cpu_over && budgets(now))) return sched_switch(frame);
  if (now >= next_check) { /* (every tick until 2026-12-06: two loops over all VMs, ~800 cycles a tick) */
    if (budgets(now) || events_due(now)) return sched_switch(frame);
    plan_checks();
  }
  arm();
  return SCHED_RUNNING;
}

enum sched_result sched_idle(uint32_t *frame) {
  if (TM_CSR_READ(TM_CSR_GIP) & TM_GIP_VI) return SCHED_RUNNING; /* an interrupt is already pending */
  hv_cur->status = VM_IDLE;
  return sched_switch(frame);
}

enum sched_result sched_checkpoint(uint32_t *frame, uint32_t resume_ms) {
  const uint64_t now = hv_now();
  struct vm *v = hv_cur;
  account(now);
  frame[10] = 0; /* what the VM sees when it resumes */
  vm_save(v, frame);
  v->ck_move = 0;
  v->ck_guest = 1;
  suspend(v, now, now + (uint64_t)resume_ms * HV_TICKS_PER_MS, 0);
  v->ck_charged = hv_now() - now; /* (sched_switch's account charges it now; the image's count lacks it) */
  if (v->status != VM_SUSPENDED) {
    frame[10] = (uint32_t)-TM_ENOMEM;
    arm();
    return SCHED_RUNNING;
  }
  return sched_switch(frame);
}

void sched_vtimer(struct vm *v, uint32_t period) {
  if (period && period < MIN_VTIMER_PERIOD) period = MIN_VTIMER_PERIOD;
  v->vt_period = period;
  v->vt_next = hv_now() + period;
  if (v == hv_cur) arm();
}

void sched_start(void) {
  uint32_t *frame = &trap_stack[TRAP_STACK_BYTES / 4] - 32; /* where the vector puts it */
  struct vm *first = sched_pick(0);
  run(first, frame, hv_now());
  plan_checks();
  TM_CSR_WRITE(TM_CSR_VTIMECTL, TM_VTIMECTL_TE);
  hv_enter(frame);
}

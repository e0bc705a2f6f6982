/*
 * scheduler.h: the scheduler layer -- the stride scheduler over VMs, their
 * virtual timers and budgets, on the one CLINT timer that only V programs,
 * and the end of a VM (memory and I/O). Uses the VM and I/O layers and the
 * library; never the trap layer: what the trap layer must do next comes back
 * as a result.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdint.h>

#include "vm.h"

#define SCHED_STRIDE_ONE (1u << 16) /* pass advance for one tick at weight 1 */

extern struct vm *hv_cur; /* the VM whose state is live in the CPU; 0 while V idles */

/* SCHED_ALL_ENDED: no VM is left (none loaded): the trap layer finishes. */
enum sched_result { SCHED_RUNNING = 0, SCHED_ALL_ENDED };

void sched_init(void);                                /* trap vector, stack, timeslice */
void sched_start(void) __attribute__((noreturn));     /* enters the first VM */
enum sched_result sched_tick(uint32_t *frame);        /* the V timer fired */
enum sched_result sched_switch(uint32_t *frame);      /* hv_cur stopped or yields: pick another */
enum sched_result sched_idle(uint32_t *frame);        /* hv_cur executed wfi */
void sched_vtimer(struct vm *v, uint32_t period);
/* hv_cur asked to be checkpointed (hcall vm_checkpoint) and resumed
 * resume_ms later: suspended, another VM runs; a0 = 0 when it resumes,
 * -TM_ENOMEM at once when it could not be saved. */
enum sched_result sched_checkpoint(uint32_t *frame, uint32_t resume_ms);
void sched_end(struct vm *v, uint32_t state, uint32_t code); /* vm_end + io_vm_ended */
void sched_counts(uint32_t *ticks, uint32_t *early);  /* timer interrupts, of them before the slice end */

/* The stride policy (no hardware: host-tested). */
void sched_charge(struct vm *v, uint64_t ticks);  /* v ran `ticks`: cpu_ticks, pass */
void sched_wake(struct vm *v);                    /* IDLE -> READY, pass re-based */
struct vm *sched_pick(uint64_t now);              /* the runnable VM with the lowest pass (wakes due ones) */

#endif /* HV_SCHED_H */

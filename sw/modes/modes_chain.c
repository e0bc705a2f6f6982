/*
 * modes_chain: the seed's example chain on the platform, with a monitor in V,
 * a kernel in G and a user program in U, all in one image.
 *
 *   U: ecall                -> G (kind 2, ecall_u)
 *   G: csrw vmid (kind 1)   -> V (sensitive_insn) ; V emulates it, exit -> G
 *   G: exit                 -> U
 *   U: csrw gscratch        -> G (priv_insn): never takes effect
 *   U: csrr time            -> V (sensitive_insn): V emulates it
 *   U: exit                 -> G (illegal_insn)
 *   U: vcall                -> V (vcall_u): V checks the whole log and finishes
 *
 * Every handler appends (mode, cause) to a log; V compares it with the
 * expected sequence and exits 0, or with the index of the first difference + 1.
 */
#include <stdint.h>
#include <stdio.h>

#include "trimode/finisher.h"
#include "trimode/spec.h"

extern char v_vector[], g_vector[];

#define STACK_WORDS 1024
static uint32_t v_stack[STACK_WORDS] __attribute__((aligned(16)));
static uint32_t g_stack[STACK_WORDS] __attribute__((aligned(16)));
static uint32_t u_stack[STACK_WORDS] __attribute__((aligned(16)));

struct event { uint32_t mode; uint32_t cause; };
static struct event log_[16];
static volatile unsigned n_log;
static volatile uint32_t emulated_vmid;   /* what V's emulation of "csrw vmid" stored */
static volatile uint32_t u_saw_time;      /* what U read from time, as emulated by V */

static void record(uint32_t mode, uint32_t cause) {
  if (n_log < sizeof log_ / sizeof log_[0]) log_[n_log++] = (struct event){mode, cause};
}

/* ---- U ------------------------------------------------------------------ */
static void u_main(void) {
  TM_ECALL();
  TM_CSR_WRITE(TM_CSR_GSCRATCH, 0xBAD);           /* kind 2: G refuses it */
  u_saw_time = TM_CSR_READ(TM_CSR_TIME);          /* kind 1: V emulates it */
  TM_EXIT();                                      /* illegal in U */
  TM_VCALL();                                     /* to V: the end */
  for (;;) {}
}

/* ---- G ------------------------------------------------------------------ */
void g_trap(uint32_t *frame) {
  const uint32_t cause = TM_CSR_READ(TM_CSR_GCAUSE);
  record(TM_MODE_G, cause);
  if (cause == TM_CAUSE_ECALL_U) {
    TM_CSR_WRITE(TM_CSR_VMID, 7);                 /* kind 1 in G: V emulates it */
  }
  (void)frame;
  TM_CSR_WRITE(TM_CSR_GEPC, TM_CSR_READ(TM_CSR_GEPC) + 4);
}

static void g_main(void) {
  TM_CSR_WRITE(TM_CSR_GTVEC, (uint32_t)g_vector);
  TM_CSR_WRITE(TM_CSR_GSCRATCH, (uint32_t)&g_stack[STACK_WORDS]);
  TM_CSR_WRITE(TM_CSR_GSTATUS, TM_MODE_U << TM_GSTATUS_PM_SHIFT);
  TM_CSR_WRITE(TM_CSR_GEPC, (uint32_t)u_main);
  __asm__ volatile("mv sp, %0" ::"r"(&u_stack[STACK_WORDS]));
  TM_EXIT();
}

/* ---- V ------------------------------------------------------------------ */
static const struct event expected[] = {
    {TM_MODE_G, TM_CAUSE_ECALL_U},       {TM_MODE_V, TM_CAUSE_SENSITIVE_INSN},
    {TM_MODE_G, TM_CAUSE_PRIV_INSN},     {TM_MODE_V, TM_CAUSE_SENSITIVE_INSN},
    {TM_MODE_G, TM_CAUSE_ILLEGAL_INSN},  {TM_MODE_V, TM_CAUSE_VCALL_U},
};

static int check_and_report(void) {
  const unsigned n = sizeof expected / sizeof expected[0];
  for (unsigned i = 0; i < n_log; ++i) printf("event %u: mode %lu cause 0x%lx\n", i,
                                              (unsigned long)log_[i].mode, (unsigned long)log_[i].cause);
  for (unsigned i = 0; i < n; ++i) {
    if (i >= n_log || log_[i].mode != expected[i].mode || log_[i].cause != expected[i].cause) return (int)i + 1;
  }
  if (n_log != n) return (int)n + 1;
  if (emulated_vmid != 7) return 20;
  if (TM_CSR_READ(TM_CSR_VMID) != 0) return 21;   /* the guest's write never took effect itself */
  if (TM_CSR_READ(TM_CSR_GSCRATCH) == 0xBAD) return 22;
  if (u_saw_time != 0x1234) return 23;
  printf("modes_chain: the seed's chain ran as expected\n");
  return 0;
}

/* Emulates the two kind-1 CSR accesses this program makes from below V. */
static void emulate(uint32_t *frame, uint32_t insn) {
  const uint32_t csr = TM_INSN_CSR(insn), rd = TM_INSN_RD(insn), rs1 = TM_INSN_RS1(insn);
  if (csr == TM_CSR_VMID) emulated_vmid = frame[rs1];
  if (csr == TM_CSR_TIME && rd) frame[rd] = 0x1234;
}

void v_trap(uint32_t *frame) {
  const uint32_t cause = TM_CSR_READ(TM_CSR_VCAUSE);
  record(TM_MODE_V, cause);
  if (cause == TM_CAUSE_SENSITIVE_INSN) {
    emulate(frame, TM_CSR_READ(TM_CSR_VTVAL));
  } else if (cause == TM_CAUSE_VCALL_U) {
    tm_finish(check_and_report());
  } else {
    printf("modes_chain: unexpected cause 0x%lx at 0x%lx\n", (unsigned long)cause,
           (unsigned long)TM_CSR_READ(TM_CSR_VEPC));
    tm_finish(99);
  }
  TM_CSR_WRITE(TM_CSR_VEPC, TM_CSR_READ(TM_CSR_VEPC) + 4);
}

int main(void) {
  TM_CSR_WRITE(TM_CSR_VTVEC, (uint32_t)v_vector);
  TM_CSR_WRITE(TM_CSR_VSCRATCH, (uint32_t)&v_stack[STACK_WORDS]);
  TM_CSR_WRITE(TM_CSR_VMID, 0);                   /* VM 0 may reach all of RAM */
  TM_CSR_WRITE(TM_CSR_VSEGSEL, 0);
  TM_CSR_WRITE(TM_CSR_VSEGBASE, TM_RAM_BASE);
  TM_CSR_WRITE(TM_CSR_VSEGSIZE, TM_RAM_SIZE);
  TM_CSR_WRITE(TM_CSR_GBASE, 0);                  /* U addresses are physical here */
  TM_CSR_WRITE(TM_CSR_GBOUND, 0xFFFFFFFFu);
  TM_CSR_WRITE(TM_CSR_VSTATUS, TM_MODE_G << TM_VSTATUS_PM_SHIFT);
  TM_CSR_WRITE(TM_CSR_VEPC, (uint32_t)g_main);
  TM_EXIT();                                      /* to G; never returns here */
  return 98;
}

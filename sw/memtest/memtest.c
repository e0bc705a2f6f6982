/*
 * memtest: hardware-checked segments on the platform.
 *
 * V programs two VMs' segment tables with scattered segments (a code segment
 * and two data segments each, interleaved in physical memory) and runs G code
 * in each VM (guest.S: g_touch) that writes, reads back and reads every byte of
 * its segments, then loads one byte outside: VM 1's outside byte is V's own
 * memory, VM 2's is a byte of VM 1's segment. Both must fault to V with the
 * address in vtval, and VM 1's memory must be unchanged by VM 2. Then a U
 * process in VM 1 (g_user, u_touch) loads the last byte below its bound and one
 * past it, which must fault to G with the U address in gtval.
 * Prints one line per step and exits 0, or a distinct code on the first failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "trimode/finisher.h"
#include "trimode/spec.h"

extern char v_vector[];
extern const char g_touch_start[], g_touch_end[], g_user_start[], g_user_end[], u_touch_start[], u_touch_end[];

#define KIB 1024u
/* Physical layout in RAM (the image itself lies below +1 MiB). */
#define AREA (TM_RAM_BASE + 0x00100000u)
struct vm { uint32_t code, data1, size1, data2, size2, outside; uint8_t pattern; };
static const struct vm vms[2] = {
    /* VM 1: code at +0, data at +16K (12K) and +40K (4K); outside = V's memory */
    {AREA + 0 * KIB, AREA + 16 * KIB, 12 * KIB, AREA + 40 * KIB, 4 * KIB, TM_RAM_BASE + 0x100, 0x5A},
    /* VM 2: code at +8K, data at +28K (8K) and +48K (16K); outside = VM 1's data */
    {AREA + 8 * KIB, AREA + 28 * KIB, 8 * KIB, AREA + 48 * KIB, 16 * KIB, AREA + 16 * KIB + 100, 0xC3},
};
#define CODE_SIZE (4 * KIB)
#define U_BOUND (2 * KIB)

static uint32_t v_stack[1024] __attribute__((aligned(16)));
static unsigned step;
static uint32_t vm1_sum;

void g_trap(uint32_t *frame) { (void)frame; tm_finish(90); }

static void set_segment(unsigned vm, unsigned entry, uint32_t base, uint32_t size) {
  TM_CSR_WRITE(TM_CSR_VSEGSEL, (vm << TM_VSEGSEL_VM_SHIFT) | entry);
  TM_CSR_WRITE(TM_CSR_VSEGBASE, base);
  TM_CSR_WRITE(TM_CSR_VSEGSIZE, size);
}

static uint32_t sum(uint32_t base, uint32_t size) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < size; ++i) s = s * 31 + ((volatile uint8_t *)base)[i];
  return s;
}

/* Sets the registers the guest starts with (frame = the saved x0..x31) and
 * makes V's exit enter G at `entry` in VM `vm`. */
static void enter_guest(uint32_t *frame, unsigned vm, uint32_t entry) {
  TM_CSR_WRITE(TM_CSR_VMID, vm);
  TM_CSR_WRITE(TM_CSR_VSTATUS, TM_MODE_G << TM_VSTATUS_PM_SHIFT);
  TM_CSR_WRITE(TM_CSR_VEPC, entry);
  (void)frame;
}

static void start_touch(uint32_t *frame, unsigned i) {
  const struct vm *v = &vms[i];
  memcpy((void *)v->code, g_touch_start, (size_t)(g_touch_end - g_touch_start));
  __asm__ volatile("fence.i");
  frame[10] = v->data1; frame[11] = v->size1; frame[12] = v->data2; frame[13] = v->size2;
  frame[14] = v->code;  frame[15] = CODE_SIZE; frame[16] = v->outside; frame[17] = v->pattern;
  enter_guest(frame, i + 1, v->code);
}

static void start_user(uint32_t *frame) {
  const struct vm *v = &vms[0];
  memcpy((void *)v->code, g_user_start, (size_t)(g_user_end - g_user_start));
  memcpy((void *)v->data2, u_touch_start, (size_t)(u_touch_end - u_touch_start));
  __asm__ volatile("fence.i");
  frame[10] = v->data2;  /* the U process lives in VM 1's second data segment */
  frame[11] = U_BOUND;
  enter_guest(frame, 1, v->code);
}

static void fail(int code, const char *what) {
  printf("memtest: FAILED step %u: %s (vcause 0x%lx vtval 0x%lx)\n", step, what,
         (unsigned long)TM_CSR_READ(TM_CSR_VCAUSE), (unsigned long)TM_CSR_READ(TM_CSR_VTVAL));
  tm_finish(code);
}

/* Each guest step ends in a trap to V; check it, then start the next step. */
void v_trap(uint32_t *frame) {
  const uint32_t cause = TM_CSR_READ(TM_CSR_VCAUSE), tval = TM_CSR_READ(TM_CSR_VTVAL);
  const uint32_t pm = (TM_CSR_READ(TM_CSR_VSTATUS) & TM_VSTATUS_PM) >> TM_VSTATUS_PM_SHIFT;
  if (step < 2) {
    const struct vm *v = &vms[step];
    if (cause != TM_CAUSE_LOAD_ACCESS_FAULT || pm != TM_MODE_G) fail(10 + step, "expected a load fault from G");
    if (tval != v->outside) fail(20 + step, "wrong faulting address");
    printf("VM %u: touched %lu + %lu bytes of data and %lu of code; byte 0x%08lx outside faulted to V\n", step + 1,
           (unsigned long)v->size1, (unsigned long)v->size2, (unsigned long)CODE_SIZE, (unsigned long)tval);
    if (step == 0) vm1_sum = sum(vms[0].data1, vms[0].size1) ^ sum(vms[0].data2, vms[0].size2);
    if (step == 1 && vm1_sum != (sum(vms[0].data1, vms[0].size1) ^ sum(vms[0].data2, vms[0].size2)))
      fail(30, "VM 2 changed VM 1's memory");
    ++step;
    if (step < 2) start_touch(frame, step); else start_user(frame);
    return;
  }
  /* The U step: G reports its own trap with vcall (a0 = gcause, a1 = gtval, a2 = 2). */
  if (cause != TM_CAUSE_VCALL_G || frame[12] != 2) fail(40, "expected G's report");
  if (frame[10] != TM_CAUSE_LOAD_ACCESS_FAULT || frame[11] != U_BOUND) fail(41, "expected a U fault at the bound");
  printf("U process: last byte below its bound read, byte at the bound (U 0x%lx) faulted to G\n",
         (unsigned long)frame[11]);
  printf("memtest: passed\n");
  tm_finish(0);
}

int main(void) {
  TM_CSR_WRITE(TM_CSR_VTVEC, (uint32_t)v_vector);
  TM_CSR_WRITE(TM_CSR_VSCRATCH, (uint32_t)&v_stack[1024]);
  for (unsigned i = 0; i < 2; ++i) {
    set_segment(i + 1, 0, vms[i].code, CODE_SIZE);
    set_segment(i + 1, 1, vms[i].data1, vms[i].size1);
    set_segment(i + 1, 2, vms[i].data2, vms[i].size2);
  }
  /* Enter the first guest through the same path the trap handler uses. */
  static uint32_t frame[32];
  start_touch(frame, 0);
  __asm__ volatile(
      "lw a0, 40(%0)\n lw a1, 44(%0)\n lw a2, 48(%0)\n lw a3, 52(%0)\n"
      "lw a4, 56(%0)\n lw a5, 60(%0)\n lw a6, 64(%0)\n lw a7, 68(%0)\n"
      ".insn i 0x73, 0, x0, x0, 0x302" ::"r"(frame) : "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "memory");
  return 99;
}

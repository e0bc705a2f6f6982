/* The fake hardware of hv_fake.h. */
#include "hv_fake.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv_host_ram.h"
#include "trimode/spec.h"
#include "trimode/uart.h"

int hv_main(void);             /* main.c's main, renamed by the build */
void hv_trap(uint32_t *frame); /* main.c: trap.S's vector calls it */
void hv_vector(void);
void hv_enter(uint32_t *frame) __attribute__((noreturn));
void tm_finish(int code) __attribute__((noreturn));

static uint32_t csr[4096];
static uint64_t mtime, mtimecmp;
static char uart[1 << 16];
static size_t uart_len;
static uint8_t *ram;
static jmp_buf back;
static uint32_t *entered;
static int finished = -1;

uint32_t hv_host_csr_read(unsigned c) { return csr[c & 0xfff]; }
void hv_host_csr_write(unsigned c, uint32_t v) { csr[c & 0xfff] = v; }
void hv_host_insn(uint32_t insn) { /* wfi: the hart sleeps until the timer line rises */
  if (insn == TM_INSN_WFI && mtime < mtimecmp) mtime = mtimecmp;
}

uint32_t hv_host_mmio_read(uintptr_t a, unsigned width) {
  (void)width;
  if (a == TM_UART_BASE + UART_LSR) return UART_LSR_THRE;
  if (a == TM_CLINT_BASE + TM_CLINT_MTIME_OFFSET) return (uint32_t)mtime;
  if (a == TM_CLINT_BASE + TM_CLINT_MTIME_OFFSET + 4) return (uint32_t)(mtime >> 32);
  return 0;
}

void hv_host_mmio_write(uintptr_t a, unsigned width, uint32_t v) {
  (void)width;
  if (a == TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET) mtimecmp = (mtimecmp & ~(uint64_t)0xffffffffu) | v;
  if (a == TM_CLINT_BASE + TM_CLINT_MTIMECMP_OFFSET + 4) mtimecmp = (mtimecmp & 0xffffffffu) | (uint64_t)v << 32;
  if (a == TM_UART_BASE + UART_THR && uart_len + 1 < sizeof uart) uart[uart_len++] = (char)v;
}

void hv_vector(void) {}
void hv_enter(uint32_t *frame) {
  entered = frame;
  longjmp(back, 1);
}
void tm_finish(int code) {
  finished = code;
  longjmp(back, 2);
}

void fake_reset(void) {
  if (!ram) ram = hv_host_ram_map("hv_fake");
  memset(ram, 0, TM_HOST_RAM_SIZE);
  memset(csr, 0, sizeof csr);
  mtime = mtimecmp = 0;
  uart_len = 0;
  uart[0] = 0;
  entered = 0;
  finished = -1;
}

uint32_t fake_csr(unsigned c) { return csr[c & 0xfff]; }
void fake_set_csr(unsigned c, uint32_t v) { csr[c & 0xfff] = v; }
void fake_set_time(uint64_t t) { mtime = t; }
uint64_t fake_timecmp(void) { return mtimecmp; }
const char *fake_uart(void) {
  uart[uart_len] = 0;
  return uart;
}
uint8_t *fake_ram(uint32_t phys) { return ram + (phys - TM_HOST_RAM_BASE); }
int fake_finished(void) { return finished; }

uint32_t *fake_boot(void) {
  if (setjmp(back)) return entered;
  (void)hv_main();
  return 0;
}

int fake_trap(uint32_t *frame, uint32_t cause, uint32_t tval, uint32_t pm) {
  csr[TM_CSR_VCAUSE] = cause;
  csr[TM_CSR_VTVAL] = tval;
  csr[TM_CSR_VSTATUS] = pm << TM_VSTATUS_PM_SHIFT;
  if (setjmp(back)) return 0;
  hv_trap(frame);
  return 1;
}

#include "trimode/uart.h"

#include "trimode/mmio.h"
#include "trimode/spec.h"

void uart_putc(char c) {
  while ((mmio_read8(TM_UART_BASE + UART_LSR) & UART_LSR_THRE) == 0) {
  }
  mmio_write8(TM_UART_BASE + UART_THR, (uint8_t)c);
}

void uart_puts(const char *s) {
  while (*s != '\0') uart_putc(*s++);
}

int uart_getc(void) {
  while ((mmio_read8(TM_UART_BASE + UART_LSR) & UART_LSR_DR) == 0) {
  }
  return mmio_read8(TM_UART_BASE + UART_RBR);
}

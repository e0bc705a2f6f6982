/*
 * uart.h: polled driver of the 16550 UART at TM_UART_BASE.
 *
 * Registers (byte wide, stride 1): THR/RBR at +0, LSR at +5 with
 * bit 0 DR (a received byte is waiting) and bit 5 THRE (THR is empty).
 * No interrupts, no FIFO set-up: both QEMU virt and trimode reset the UART
 * to a usable 8N1 state, and the baud rate means nothing to a model.
 */
#ifndef TRIMODE_UART_H
#define TRIMODE_UART_H

#define UART_THR 0u        /* transmit holding register (write) */
#define UART_RBR 0u        /* receive buffer register (read) */
#define UART_LSR 5u        /* line status register */
#define UART_LSR_DR 0x01u  /* data ready */
#define UART_LSR_THRE 0x20u /* transmit holding register empty */

/* Waits for THRE, then writes c. Bytes go out unchanged (no \n -> \r\n). */
void uart_putc(char c);

/* Writes a NUL-terminated string. */
void uart_puts(const char *s);

/* Waits for a received byte and returns it. */
int uart_getc(void);

#endif /* TRIMODE_UART_H */

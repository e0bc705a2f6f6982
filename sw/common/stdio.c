/*
 * stdio.c: picolibc's stdin/stdout/stderr on the UART. Unbuffered: every
 * character is written when printed, so output before a crash is not lost.
 */
#include <stdio.h>

#include "trimode/uart.h"

static int tm_stdio_put(char c, FILE *file) {
  (void)file;
  uart_putc(c);
  return (unsigned char)c;
}

static int tm_stdio_get(FILE *file) {
  (void)file;
  return uart_getc();
}

static FILE tm_stdio = FDEV_SETUP_STREAM(tm_stdio_put, tm_stdio_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &tm_stdio;
FILE *const stdout = &tm_stdio;
FILE *const stderr = &tm_stdio;

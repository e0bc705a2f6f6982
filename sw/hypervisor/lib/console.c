/* The hypervisor's console: its own [hv] lines (printf to the UART) and the
 * escaping that keeps guest bytes from passing for anything else. */
#include <stdarg.h>
#include <stdio.h>

#include "hvlib.h"
#include "trimode/uart.h"

void hv_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}

void hv_puts_raw(const char *s) {
  while (*s) uart_putc(*s++);
}

/* Guest bytes as the console shows them: printable ASCII as is, a backslash
 * doubled, anything else (control characters, escape sequences, bytes >= 0x7f)
 * as \xNN, \t or \r -- a guest can neither end a line early, nor move the
 * cursor, nor pass for "[hv]" or another VM. */
uint32_t hv_escape_char(char c, char *out) {
  const unsigned char u = (unsigned char)c;
  if (u >= 0x20 && u < 0x7f && u != '\\') {
    out[0] = c;
    return 1;
  }
  out[0] = '\\';
  if (u == '\\' || u == '\t' || u == '\r') {
    out[1] = u == '\\' ? '\\' : u == '\t' ? 't' : 'r';
    return 2;
  }
  out[1] = 'x';
  out[2] = "0123456789abcdef"[u >> 4];
  out[3] = "0123456789abcdef"[u & 15];
  return 4;
}

/* At most `max` bytes of the NUL-terminated s, escaped, in a static buffer. */
const char *hv_escaped(const char *s, uint32_t max) {
  static char out[4 * TM_NAME_LEN + 1];
  uint32_t n = 0;
  if (max > TM_NAME_LEN) max = TM_NAME_LEN;
  for (uint32_t i = 0; i < max && s[i]; i++) n += hv_escape_char(s[i], out + n);
  out[n] = 0;
  return out;
}

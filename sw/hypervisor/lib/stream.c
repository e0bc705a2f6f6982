/* The chunked byte stream of stream.h. */
#include "stream.h"

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

void hv_stream_init(struct hv_stream *s, const struct memq_seg *chunks, uint32_t n) {
  s->chunk = chunks;
  s->n_chunks = n;
  s->ci = s->off = s->pos = 0;
  s->hash = FNV_BASIS;
  s->overflow = 0;
}

static uint32_t room(const struct hv_stream *s) {
  uint32_t r = 0;
  for (uint32_t i = s->ci; i < s->n_chunks; i++) r += s->chunk[i].size - (i == s->ci ? s->off : 0);
  return r;
}

/* Each of n bytes: its address in the chunks, then the cursor moves on. */
static uint8_t *next_byte(struct hv_stream *s) {
  while (s->off == s->chunk[s->ci].size) s->ci++, s->off = 0;
  uint8_t *b = (uint8_t *)(uintptr_t)(s->chunk[s->ci].base + s->off);
  s->off++;
  s->pos++;
  return b;
}

void hv_stream_put(struct hv_stream *s, const void *p, uint32_t n) {
  if (s->overflow || n > room(s)) {
    s->overflow = 1;
    return;
  }
  const uint8_t *in = p;
  for (uint32_t i = 0; i < n; i++) {
    *next_byte(s) = in[i];
    s->hash = (s->hash ^ in[i]) * FNV_PRIME;
  }
}

void hv_stream_get(struct hv_stream *s, void *p, uint32_t n) {
  if (s->overflow || n > room(s)) {
    s->overflow = 1;
    return;
  }
  uint8_t *out = p;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t b = *next_byte(s);
    if (out) out[i] = b;
    s->hash = (s->hash ^ b) * FNV_PRIME;
  }
}

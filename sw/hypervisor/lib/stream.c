/* The chunked byte stream of stream.h. */
#include "stream.h"

#include "trimode/vmimage.h"

#define FNV_BASIS TM_VMIMAGE_FNV_BASIS
#define FNV_PRIME TM_VMIMAGE_FNV_PRIME

void hv_stream_init(struct hv_stream *s, const struct memq_seg *chunks, uint32_t n) {
  s->chunk = chunks;
  s->n_chunks = n;
  s->ci = s->off = s->pos = 0;
  s->overflow = 0;
  hv_stream_rehash(s);
}

void hv_stream_rehash(struct hv_stream *s) {
  s->hash = FNV_BASIS;
  s->part = 0;
}

uint32_t hv_stream_sum(const struct hv_stream *s) {
  return s->pos & 3u ? (s->hash ^ s->part) * FNV_PRIME : s->hash;
}

/* The byte just passed (at pos - 1) into the word it belongs to, the word
 * into the hash when it is whole. */
static void fold_byte(struct hv_stream *s, uint8_t b) {
  const uint32_t k = (s->pos - 1) & 3u;
  s->part |= (uint32_t)b << (8 * k);
  if (k == 3) {
    s->hash = (s->hash ^ s->part) * FNV_PRIME;
    s->part = 0;
  }
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

/* Whole words from here on (at most `words`, while the chunk lasts) when the
 * stream's position, the cursor and the caller's bytes at q are all
 * word-aligned, else 0: a VM's segments go a word at a time, its small
 * fields a byte at a time. */
static uint32_t *aligned_run(struct hv_stream *s, const void *q, uint32_t *words) {
  while (s->off == s->chunk[s->ci].size) s->ci++, s->off = 0;
  const uint32_t at = s->chunk[s->ci].base + s->off;
  if (((at | (uint32_t)(uintptr_t)q | s->pos) & 3u) != 0 || *words == 0) return 0;
  const uint32_t left = (s->chunk[s->ci].size - s->off) / 4;
  if (*words > left) *words = left;
  if (*words == 0) return 0;
  s->off += 4 * *words;
  s->pos += 4 * *words;
  return (uint32_t *)(uintptr_t)at;
}

void hv_stream_put(struct hv_stream *s, const void *p, uint32_t n) {
  if (s->overflow || n > room(s)) {
    s->overflow = 1;
    return;
  }
  const uint8_t *in = p;
  for (uint32_t i = 0; i < n;) {
    uint32_t words = (n - i) / 4;
    uint32_t *to = aligned_run(s, in + i, &words);
    if (to) {
      const uint32_t *from = (const uint32_t *)(const void *)(in + i);
      uint32_t h = s->hash;
      for (uint32_t k = 0; k < words; k++) {
        to[k] = from[k];
        h = (h ^ from[k]) * FNV_PRIME;
      }
      s->hash = h;
      i += 4 * words;
      continue;
    }
    *next_byte(s) = in[i];
    fold_byte(s, in[i]);
    i++;
  }
}

void hv_stream_get(struct hv_stream *s, void *p, uint32_t n) {
  if (s->overflow || n > room(s)) {
    s->overflow = 1;
    return;
  }
  uint8_t *out = p;
  static uint8_t none[4] __attribute__((aligned(4))); /* (no `out`: an aligned stand-in, never written) */
  for (uint32_t i = 0; i < n;) {
    uint32_t words = (n - i) / 4;
    const uint32_t *from = aligned_run(s, out ? out + i : none, &words);
    if (from) {
      uint32_t h = s->hash;
      for (uint32_t k = 0; k < words; k++) {
        const uint32_t w = from[k];
        if (out) ((uint32_t *)(void *)(out + i))[k] = w;
        h = (h ^ w) * FNV_PRIME;
      }
      s->hash = h;
      i += 4 * words;
      continue;
    }
    const uint8_t b = *next_byte(s);
    if (out) out[i] = b;
    fold_byte(s, b);
    i++;
  }
}

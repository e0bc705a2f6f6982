/*
 * stream.h: a byte stream over a list of physical memory chunks (the
 * scattered tuples the allocator gives), for the VM image (ckpt.c). What
 * passes is folded into an FNV-1a 32 hash a little-endian word at a time
 * (trimode/vmimage.h: the words at stream positions 4k, a last partial word
 * zero-padded); a write or read past the last chunk sets `overflow` and moves
 * nothing. The library layer.
 */
#ifndef HV_STREAM_H
#define HV_STREAM_H

#include <stdint.h>

#include "memq.h"

struct hv_stream {
  const struct memq_seg *chunk; /* where the bytes live: (base, size) each */
  uint32_t n_chunks;
  uint32_t ci, off;             /* cursor: chunk index, offset in it */
  uint32_t pos;                 /* bytes passed so far */
  uint32_t hash;                /* FNV-1a 32 of the whole words passed since the last rehash */
  uint32_t part;                /* the bytes passed of the word not yet whole */
  int overflow;
};

void hv_stream_init(struct hv_stream *s, const struct memq_seg *chunks, uint32_t n);
void hv_stream_put(struct hv_stream *s, const void *p, uint32_t n);
void hv_stream_get(struct hv_stream *s, void *p, uint32_t n);
/* The hash starts again here (a word boundary: the image's body). */
void hv_stream_rehash(struct hv_stream *s);
/* The hash of what passed since then, a partial last word zero-padded. */
uint32_t hv_stream_sum(const struct hv_stream *s);
static inline void hv_stream_put32(struct hv_stream *s, uint32_t v) { hv_stream_put(s, &v, 4); }
static inline uint32_t hv_stream_get32(struct hv_stream *s) {
  uint32_t v = 0;
  hv_stream_get(s, &v, 4);
  return v;
}

#endif /* HV_STREAM_H */

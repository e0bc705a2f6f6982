// A zlib stream (RFC 1950, deflate of RFC 1951) written for data that is
// mostly one short pattern repeated: the FST time table, whose varint time
// deltas are a clock period almost every step (fst_encoder.cpp). zlib's own
// deflate spends about 19 host instructions per byte on such a table (its
// hash chains and Huffman trees); this spends about one: a greedy match
// against the last few bytes' distances (1..8, the last one first), coded
// with deflate's fixed Huffman codes in one final block, then the Adler-32
// checksum, its sums taken a match at a time.
// Any input gives a valid stream (zlib's inflate reads it back: tested);
// input with no repeats gives a stream up to 1/8 longer than the input, which
// a caller compares with the input and stores raw instead.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trimode {

// The most bytes zlib_repeats writes for n bytes of input.
constexpr size_t zlib_repeats_bound(size_t n) { return n + n / 8 + 16; }

// Writes the zlib stream of in[0, n) at out (room: zlib_repeats_bound(n);
// n < 2^28); returns its length.
size_t zlib_repeats(const uint8_t* in, size_t n, uint8_t* out);

}  // namespace trimode

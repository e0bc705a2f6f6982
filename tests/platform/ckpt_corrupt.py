#!/usr/bin/env python3
"""ckpt_corrupt.py IN OUT HOW: writes a corrupted copy of a trimode checkpoint
(docs/checkpoint.md: magic 8 bytes, version u32, payload length u64, payload,
FNV-1a 64 of the payload; little endian). HOW:
  huge-length   the header's payload length all ones (the file left as it is)
  run-tag       the first section's tag ('RUN ') changed, the checksum made
                to match, so only the section reader can tell."""
import struct
import sys

HEADER = 8 + 4 + 8  # magic, version, payload length


def payload_length(d):
    """The payload length of checkpoint bytes d (its header's field)."""
    return struct.unpack_from("<Q", d, 12)[0]


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    src, dst, how = sys.argv[1:4]
    d = bytearray(open(src, "rb").read())
    if how == "huge-length":
        d[12:20] = b"\xff" * 8
    elif how == "run-tag":
        length = payload_length(d)
        payload = d[HEADER:HEADER + length]
        tag = payload.find(b"RUN ")
        if tag < 0:
            sys.exit("FAILURE: no 'RUN ' section in " + src)
        payload[tag:tag + 4] = b"NUR "
        d[HEADER:HEADER + length] = payload
        struct.pack_into("<Q", d, HEADER + length, fnv1a64(payload))
    else:
        sys.exit("FAILURE: unknown corruption " + how)
    open(dst, "wb").write(d)


if __name__ == "__main__":
    main()

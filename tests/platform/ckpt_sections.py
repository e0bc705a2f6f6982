#!/usr/bin/env python3
"""ckpt_sections.py CHECKPOINT MEMORY_MAP: the checkpoint's payload holds the
sections RUN, CORE, HART, MODE, MCTL and then one per region of
spec/memory_map.txt (Platform::attach: every device behind the router saves its
state), and nothing after them. Prints PASS, or FAILURE and the sections found.
docs/checkpoint.md, "File format"."""
import struct
import sys

from ckpt_corrupt import HEADER, payload_length  # (the file's frame, read once for both scripts)

FIXED = ["RUN ", "CORE", "HART", "MODE", "MCTL"]


def sections(path):
    d = open(path, "rb").read()
    if d[:8] != b"TRIMCKPT":
        sys.exit(f"FAILURE: {path} is not a checkpoint")
    payload, at, tags = d[HEADER:HEADER + payload_length(d)], 0, []
    while at < len(payload):
        tag = payload[at:at + 4].decode("ascii", "replace")
        (n,) = struct.unpack_from("<I", payload, at + 4)
        tags.append(tag)
        at += 8 + n
    return tags


def regions(path):
    return [line.split()[0] for line in open(path) if line.strip() and not line.startswith("#")]


def main():
    tags, want = sections(sys.argv[1]), regions(sys.argv[2])
    devices = tags[len(FIXED):]
    if tags[:len(FIXED)] != FIXED or len(devices) != len(want) or len(set(devices)) != len(devices):
        print(f"FAILURE: sections {tags}: expected {FIXED}, then one for each of the {len(want)} regions {want}")
        sys.exit(1)
    print(f"PASS: {' '.join(tags)} (devices of {' '.join(want)})")


if __name__ == "__main__":
    main()

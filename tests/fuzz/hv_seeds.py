#!/usr/bin/env python3
"""Writes the seed inputs of fuzz_hv (tests/fuzz/corpus/hv/) in its input format
(tests/fuzz/fuzz_hv.c): each seed is one meaningful guest session, so the fuzzer
starts from calls that pass the checks rather than from noise. The files named
crash_* there are reproducers the fuzzer found (docs/sanitizers.md), not written
here: crash_empty_send_at_0 sent an empty message from an address that translates
to 0 (memcpy given a null pointer; io.c, u_range).
Usage: tests/fuzz/hv_seeds.py tests/fuzz/corpus/hv"""
import os
import struct
import sys

CALLS = ["write", "open", "read", "close", "send", "recv", "time", "vm_info",
         "vm_grow", "vm_shrink", "vm_shutdown", "vtimer", "console"]
G = 0x80  # the trap comes from G (else U)


def small(v):     # arg selector 0: one byte
    return bytes([0, v])


def off(v):       # selector 1: an offset in the process window (two bytes)
    return bytes([1]) + struct.pack("<H", v)


def slot(v):      # selector 5: the caller's kernel slot + v (three bytes)
    return bytes([5]) + struct.pack("<I", v)[:3]


def word(v):      # selector 8: a raw word
    return bytes([8]) + struct.pack("<I", v)


def call(name, *args, mode=0):
    args = list(args) + [small(0)] * (4 - len(args))
    return bytes([0 | mode, CALLS.index(name)]) + b"".join(args)


def poke(at, text):  # the process writes text (NUL added) at window offset `at`
    return bytes([5]) + struct.pack("<H", at) + bytes([len(text)]) + text


def csr_insn(csr_index, f3, rs1, rd):  # time (0) / timeh (1), any CSR form
    return bytes([2, 0, 0, csr_index, f3, rs1, rd, 2])


def process(pid, window_kib, bound):  # another process of the kernel: window at its slot + window_kib KiB
    return bytes([6, pid, window_kib]) + struct.pack("<H", bound)


WFI = bytes([7])
TIMER = bytes([3])

SEEDS = {
    "files": poke(0x100, b"shared.txt") + call("open", off(0x100), small(1)) +
             call("read", small(3), off(0x200), small(64)) + call("write", small(1), off(0x200), small(6)) +
             call("close", small(3)) + poke(0x300, b"new.txt") + call("open", off(0x300), small(6)) +
             call("write", small(3), off(0x100), small(10)) + call("close", small(3)),
    "namespaces": poke(0x100, b"vm2:notes") + call("open", off(0x100), small(1)) +
                  poke(0x140, b"vm9:/x") + call("open", off(0x140), small(1)) +
                  poke(0x180, b"/secret") + call("open", off(0x180), small(3)),
    "ports": poke(0x100, b"hello vm2\n") + call("send", small(2), small(7), off(0x100), small(10)) +
             call("send", small(2), small(8), off(0x100), small(10)) + WFI +
             call("recv", small(7), off(0x200), small(64)) + call("write", small(1), off(0x200), small(10)),
    "hypercalls": call("vm_info", slot(0x30000), mode=G) + call("vm_grow", word(0x10000), mode=G) +
                  call("vm_shrink", word(0x10000), mode=G) + call("console", slot(0x100), small(20), mode=G) +
                  call("vtimer", off(0x1000), mode=G) + WFI + call("vm_shutdown", small(3), mode=G),
    "time_forms": b"".join(csr_insn(c, f3, rs1, rd) for c in (0, 1) for f3 in (1, 2, 3, 5, 6, 7)
                           for rs1, rd in ((0, 5), (3, 0))),
    "faults": TIMER * 30 + bytes([4, 2]) + word(0xdeadbeef) + bytes([4 | G, 0]) + word(0) + TIMER * 5,
    # forged lines, control characters, escape sequences, a partial line cut by
    # another process, an over-long line, the kernel's console, a VM ending
    # with a partial line (the console oracle: fuzz_hv.c)
    "console": poke(0x100, b"ok\r\x1b[2J\\\n[vm2] forged\n[hv] x\n") +
               call("write", small(1), off(0x100), small(26)) +
               poke(0x200, b"partial, then ") + call("write", small(2), off(0x200), small(14)) +
               process(2, 128, 0xffff) + call("write", small(1), off(0x100), small(26)) +
               call("write", small(1), off(0x0), small(200)) +
               call("console", slot(0x20100), small(17), mode=G) +
               call("console", slot(0x20200), small(14), mode=G) + TIMER * 3 +
               call("write", small(1), off(0x200), small(14)) +
               call("vm_shutdown", small(0), mode=G),
    # guest paths quoted by [hv] lines: control characters, a newline, a forged label
    "hostile_paths": poke(0x100, b"vm2:no\x1b[2J\r\n[vm2] x") + call("open", off(0x100), small(1)) +
                     poke(0x140, b"vm2:\x7f\\\t") + call("open", off(0x140), small(6)),
    "hostile_buffers": call("write", small(1), word(0xfffffff0), small(64)) +
                       call("read", small(3), bytes([2, 4]), small(64)) +
                       call("recv", small(7), bytes([3, 0]), word(0x10000)) +
                       call("console", bytes([7, 1, 0, 0]), small(64), mode=G) +
                       call("vm_info", bytes([6, 0, 0, 0]), mode=G),
}

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

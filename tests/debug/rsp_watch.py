#!/usr/bin/env python3
"""rsp_watch.py TRIMODE ELF: watchpoints stop before the access, over the wire.

ELF is modes_chain: its trap handlers (G's, V's) each read n_log and store
n_log + 1 (record()). Speaking the GDB remote protocol itself:
- a read watchpoint (Z3) stops with rwatch:ADDR at the lw that reads n_log,
  before it: a2 (set to a marker at the stop) still holds the marker, and
  one step (vCont;s:1) executes the load (a2 = n_log, pc + 4);
- a write watchpoint (Z2) stops with watch:ADDR at the sw that writes n_log
  (its base register + offset is n_log's address), before it: memory (`m`)
  still holds the old count; one step executes the store (memory written,
  pc + 4);
- with the watchpoint still inserted, continue goes on: the k-th stop is at
  a store with n_log still k - 1 (the store stopped before the last time ran
  once, and did not stop again);
- without the watchpoint, the run ends as without a debugger (W00, exit 0).
"""

from rsp_client import run, start, symbol, word_of


def field(insn, lo, n):
    return insn >> lo & ((1 << n) - 1)


def signed12(v):
    return v - 4096 if v & 0x800 else v


def main(tm, elf):
    n_log = symbol(elf, "n_log")
    proc, session = start(tm, elf)
    ask = session.ask

    def reg(n):
        return word_of(ask(b"p%x" % n))

    def mem(addr):
        return word_of(ask(b"m%x,4" % addr))

    def insn_at_pc():
        pc = reg(32)
        return pc, mem(pc)

    def accessed(insn, offset):  # the address a lw / sw accesses
        return (reg(field(insn, 15, 5)) + offset) & 0xFFFFFFFF

    assert ask(b"?").startswith(b"S05")
    assert ask(b"Z3,%x,4" % n_log) == b"OK"
    reply = ask(b"vCont;c")
    assert reply.startswith(b"T05rwatch:%x;" % n_log), f"read watch stop: {reply!r}"
    pc, insn = insn_at_pc()
    rd = field(insn, 7, 5)
    assert field(insn, 0, 7) == 0x03 and accessed(insn, signed12(field(insn, 20, 12))) == n_log, (
        f"read watch stop at {pc:#x} ({insn:#010x}): not the load of n_log")
    assert ask(b"P%x=efbeadde" % rd) == b"OK"
    assert reg(rd) == 0xDEADBEEF, "the load did not run: its rd keeps what the debugger wrote"
    assert ask(b"z3,%x,4" % n_log) == b"OK"
    assert ask(b"vCont;s:1").startswith(b"T05")
    assert (reg(32), reg(rd)) == (pc + 4, mem(n_log)), "one step executes the load"
    print(f"rwatch: stopped at the lw at {pc:#x} before it read; the step loaded x{rd} = {reg(rd)}")

    assert ask(b"Z2,%x,4" % n_log) == b"OK"
    stops = []
    for k in (1, 2, 3):
        reply = ask(b"vCont;c")
        assert reply.startswith(b"T05watch:%x;" % n_log), f"write watch stop {k}: {reply!r}"
        pc, insn = insn_at_pc()
        offset = signed12(field(insn, 25, 7) << 5 | field(insn, 7, 5))
        assert field(insn, 0, 7) == 0x23 and accessed(insn, offset) == n_log, (
            f"write watch stop {k} at {pc:#x} ({insn:#010x}): not the store to n_log")
        count = mem(n_log)
        assert count == k - 1, f"write watch stop {k} at {pc:#x}: n_log is {count}, want {k - 1} (not yet written)"
        stops.append(pc)
        if k == 1:  # the step executes the store
            assert ask(b"vCont;s:1").startswith(b"T05")
            assert (reg(32), mem(n_log)) == (pc + 4, 1), f"step over {pc:#x}: pc {reg(32):#x}, n_log {mem(n_log)}"
        # else: continue with the watchpoint inserted: the store runs once, the next stop is the next store
    print("watch stops (before each store): " + ", ".join(f"{p:#x}" for p in stops))
    assert ask(b"z2,%x,4" % n_log) == b"OK"
    assert ask(b"vCont;c") == b"W00", "without the watchpoint the run ends as usual"
    rc = proc.wait(timeout=60)
    assert rc == 0, f"exit code {rc}, want 0"
    print("PASS")


if __name__ == "__main__":
    run(main)

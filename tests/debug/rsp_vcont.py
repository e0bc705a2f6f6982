#!/usr/bin/env python3
"""rsp_vcont.py TRIMODE ELF: the vCont packets over the wire.

Starts `trimode run ELF --gdb 0 --gdb-wait` and speaks the GDB remote protocol
itself: qSupported offers vContSupported+, "vCont?" lists c, C, s and S, the
target description says bare metal (<osabi>none</osabi>), vCont;s:1 and s each
step one instruction with the same stop reply, packets vCont cannot take get
E01 (no action, t, a thread that is not ours) and an unknown v packet gets the
empty reply; vCont;c then runs the program to its end (W00, exit code 0).
"""

from rsp_client import run, start


def pc_of(reply):
    return int.from_bytes(bytes.fromhex(reply.decode()), "little")


def main(tm, elf):
    proc, session = start(tm, elf)
    ask = session.ask

    assert ask(b"?").startswith(b"S05")
    supported = ask(b"qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+")
    assert b"vContSupported+" in supported.split(b";"), supported
    assert ask(b"vCont?") == b"vCont;c;C;s;S", "vCont? answers the actions"
    xml = ask(b"qXfer:features:read:target.xml:0,fff")
    assert b"<osabi>none</osabi>" in xml, "the target description names no OS ABI"
    for bad in (b"vCont", b"vCont;t:1", b"vCont;s:2", b"vCont;x"):
        reply = ask(bad)
        assert reply == b"E01", f"{bad!r} -> {reply!r}, want E01"
    assert ask(b"vMustReplyEmpty") == b"", "an unknown v packet gets the empty reply"
    pc0 = pc_of(ask(b"p20"))
    by_vcont = ask(b"vCont;s:1")
    pc1 = pc_of(ask(b"p20"))
    by_s = ask(b"s")
    pc2 = pc_of(ask(b"p20"))
    assert by_vcont == by_s and by_s.startswith(b"T05"), f"vCont;s:1 -> {by_vcont!r}, s -> {by_s!r}"
    assert (pc1, pc2) == (pc0 + 4, pc0 + 8), f"pcs {pc0:#x} {pc1:#x} {pc2:#x}: one instruction per step"
    assert ask(b"vCont;C05") == b"W00", "vCont;C05 runs to the end"
    rc = proc.wait(timeout=60)
    assert rc == 0, f"exit code {rc}, want 0"
    print(f"stepped {pc0:#x} -> {pc1:#x} (vCont;s:1) -> {pc2:#x} (s), both {by_s.decode()}; continued: exit {rc}")
    print("PASS")


if __name__ == "__main__":
    run(main)

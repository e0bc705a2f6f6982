#!/usr/bin/env python3
"""rsp_monitor.py TRIMODE ELF: monitor commands over the wire.

`monitor help` prints the command list; an unknown command, a bad or missing
argument and an extra one each print an error line naming it before the list;
a mode list may have spaces; `monitor report` prints the report; `monitor mem
V` switches the address space. Then the run is killed ('k': exit 203).
"""

from rsp_client import run, start

# Commands refused with the error line that comes before the command list.
REFUSED = [
    ("foo", "unknown monitor command 'foo'"),
    ("mem bogus", "mem: want current, U, G or V, got 'bogus'"),
    ("stop-on-trap", "stop-on-trap: want a mode list (e.g. V, G,U) or 'off'"),
    ("stop-on-trap Q", "stop-on-trap: not a mode list: 'Q' (e.g. V, G,V, off)"),
    ("report extra", "report: takes no argument, got 'extra'"),
    ("help me", "help: takes no argument, got 'me'"),
    ("mem V U", "mem: want current, U, G or V, got 'V U'"),
]


def main(tm, elf):
    proc, session = start(tm, elf)
    assert session.ask(b"?").startswith(b"S05")
    out, reply = session.monitor("help")
    assert reply == b"OK" and out.startswith("trimode monitor commands:"), (out, reply)
    for command, error in REFUSED:
        out, _ = session.monitor(command)
        assert out.startswith(f"error: {error}\ntrimode monitor commands:"), (command, out)
    out, _ = session.monitor("stop-on-trap G, V")
    assert out == "stop on traps into: G, V\n", out
    out, _ = session.monitor("stop-on-trap v,,g")  # (as parsed, not as typed)
    assert out == "stop on traps into: G, V\n", out
    out, reply = session.monitor("mem g")  # (either case, as stop-on-trap)
    assert (out, reply) == ("memory accesses as: G\n", b"OK"), (out, reply)
    out, _ = session.monitor("report")
    assert out.startswith("  stopped at pc 0x"), out
    out, reply = session.monitor("mem V")
    assert (out, reply) == ("memory accesses as: V\n", b"OK"), (out, reply)
    session.send(b"k")
    rc = proc.wait(timeout=60)
    assert rc == 203, f"exit code {rc}, want 203"
    print("PASS")


if __name__ == "__main__":
    run(main)

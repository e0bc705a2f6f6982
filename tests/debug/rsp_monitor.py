#!/usr/bin/env python3
"""rsp_monitor.py TRIMODE ELF: monitor commands over the wire.

`monitor help` prints the command list; an unknown command and a bad argument
each print an error line naming it before the list; `monitor mem V` switches
the address space. Then the run is killed ('k': exit 203).
"""

from rsp_client import run, start


def main(tm, elf):
    proc, session = start(tm, elf)
    assert session.ask(b"?").startswith(b"S05")
    out, reply = session.monitor("help")
    assert reply == b"OK" and out.startswith("trimode monitor commands:"), (out, reply)
    out, reply = session.monitor("foo")
    assert out.startswith("error: unknown monitor command 'foo'\ntrimode monitor commands:"), out
    out, _ = session.monitor("mem bogus")
    assert out.startswith("error: mem: want current, U, G or V, got 'bogus'\n"), out
    out, _ = session.monitor("stop-on-trap")
    assert out.startswith("error: stop-on-trap: want a mode list"), out
    out, reply = session.monitor("mem V")
    assert (out, reply) == ("memory accesses as: V\n", b"OK"), (out, reply)
    session.send(b"k")
    rc = proc.wait(timeout=60)
    assert rc == 203, f"exit code {rc}, want 203"
    print("PASS")


if __name__ == "__main__":
    run(main)

#!/usr/bin/env python3
"""rsp_monitor.py TRIMODE ELF: monitor commands over the wire.

`monitor help` prints the command list; an unknown command, a bad or missing
argument and an extra one each print an error line naming it before the list;
a mode list may have spaces; `monitor report` prints the report; `monitor mem
V` switches the address space. Then the run is killed ('k': exit 203).
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
    out, _ = session.monitor("stop-on-trap Q")
    assert out.startswith("error: stop-on-trap: not a mode list: 'Q' (e.g. V, G,V, off)\n"
                          "trimode monitor commands:"), out
    out, _ = session.monitor("report extra")
    assert out.startswith("error: report: takes no argument, got 'extra'\ntrimode monitor commands:"), out
    out, _ = session.monitor("help me")
    assert out.startswith("error: help: takes no argument, got 'me'\ntrimode monitor commands:"), out
    out, _ = session.monitor("mem V U")
    assert out.startswith("error: mem: want current, U, G or V, got 'V U'\n"), out
    out, _ = session.monitor("stop-on-trap G, V")
    assert out == "stop on traps into: G, V\n", out
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

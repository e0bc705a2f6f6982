#!/usr/bin/env python3
"""rsp_interrupt.py TRIMODE ELF: Ctrl-C over the wire, then kill.

Starts `trimode run ELF --gdb 0 --gdb-wait`, speaks the GDB remote protocol
itself: continue, then the interrupt byte 0x03 while the guest runs; expects a
T02 (SIGINT) stop reply with the pc somewhere new, then kills the run ('k') and
expects trimode to end with exit code 203 ("the debugger ended the run").
"""
import time

from rsp_client import run, start


def main(tm, elf):
    proc, session = start(tm, elf)
    ask = session.ask

    stop = ask(b"?")
    assert stop.startswith(b"S05"), stop
    pc0 = ask(b"p20")
    session.send(b"c")
    time.sleep(0.5)
    session.send_raw(b"\x03")
    stop = session.reply()
    assert stop.startswith(b"T02"), f"want a SIGINT stop, got {stop!r}"
    pc1 = ask(b"p20")
    assert pc1 != pc0, f"the pc did not move: {pc1!r}"
    mode = ask(b"p21")
    session.send(b"k")
    rc = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    assert rc == 203, f"exit code {rc}, want 203; stderr: {err}"
    assert "the debugger ended the run" in err, err
    print(f"interrupted at pc {pc1.decode()} (mode {mode.decode()}), killed: exit {rc}")
    print("PASS")


if __name__ == "__main__":
    run(main)

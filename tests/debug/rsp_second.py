#!/usr/bin/env python3
"""rsp_second.py TRIMODE ELF: one debugger at a time.

A second debugger that connects while one is attached (the machine halted)
is closed at once, with a line on stderr saying so (it used to wait,
unanswered, until the first left); the first debugger goes on undisturbed
(a register read); its detach is logged and the run goes on to its exit.
"""
import socket

from rsp_client import run, start


def refused(port):
    """True when a new connection to port is closed by the server within 10 s."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    finally:
        s.close()


def main(tm, elf):
    proc, session = start(tm, elf)
    port = session.sock.getpeername()[1]
    assert session.ask(b"?").startswith(b"S05")
    assert refused(port), "a second debugger, while halted, was not refused"
    assert len(session.ask(b"g")) >= 8, "the first debugger's register read failed"
    assert session.ask(b"D") == b"OK"
    err = proc.stderr.read().decode()
    rc = proc.wait(timeout=60)
    assert rc == 0, f"exit code {rc} after the detach, want 0"
    assert err.count("a second debugger was refused: one is attached") == 1, err
    assert "debugger detached, running on" in err, err


if __name__ == "__main__":
    run(main)

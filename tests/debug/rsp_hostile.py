#!/usr/bin/env python3
"""rsp_hostile.py TRIMODE ELF: what a broken or hostile client sends, refused.

Malformed packets (missing or bad numbers, bad hex, registers and memory that
do not exist, unknown packets and v packets) are each answered with an error
or the empty reply; bytes outside packets are ignored; a wrong checksum and a
packet longer than the PacketSize qSupported announced are refused with '-'
(the long one with a line on stderr) and not acted on; a packet cut short by
a new '$' is given up for the new one. After all of it the same session still
reads a register, writes and reads memory back, and continues the program to
its exit (W00, exit code 0).
"""

import socket

from rsp_client import packet, run, start

# (packet, the reply wanted)
REFUSED = [
    (b"m", b"E01"),
    (b"mzz,4", b"E01"),
    (b"m80000000", b"E01"),
    (b"m1ffffffff,4", b"E01"),       # an address wider than 32 bits
    (b"mfffffffc,10", b"E14"),       # nothing there
    (b"M80100000,4:zz", b"E01"),
    (b"M80100000", b"E01"),
    (b"X80100000,4", b"E01"),        # no ':'
    (b"p", b"E01"),
    (b"p999", b"E01"),
    (b"pffffffffff", b"E01"),
    (b"P20=zz", b"E01"),
    (b"P=", b"E01"),
    (b"P21=00000000", b"E01"),       # register 33, `mode`: read-only
    (b"Z", b"E01"),
    (b"Z0,80000002,4", b"E01"),      # no pc is ever there
    (b"Z0,zz,4", b"E01"),
    (b"Z9,80000000,4", b""),         # no such kind
    (b"qXfer:features:read:other.xml:0,10", b"E00"),
    (b"qXfer:features:read:target.xml:zz", b"E00"),
    (b"qXfer:features:read:target.xml:ffffffff,10", b"l"),
    (b"qRcmd,zz", b"E01"),
    (b"qRcmd,6", b"E01"),            # odd length
    (b"vCont;x", b"E01"),
    (b"vCont;s:2", b"E01"),          # no such thread
    (b"vFoo", b""),
    (b"\x01\x7f", b""),
]

PACKET_SIZE = 0x4000  # qSupported's PacketSize (GdbServer::kPacketSize)


def ack_after(session, raw):
    """Sends raw bytes; returns the first '+' or '-' that comes back."""
    session.buf = b""
    session.send_raw(raw)
    while True:
        for i, c in enumerate(session.buf):
            if c in b"+-":
                session.buf = session.buf[i + 1:]
                return bytes([c])
        chunk = session.sock.recv(4096)
        if not chunk:
            raise RuntimeError("connection closed")
        session.buf += chunk


def assert_no_reply(session):
    session.sock.settimeout(0.5)
    try:
        chunk = session.sock.recv(4096)
    except socket.timeout:
        chunk = b""
    finally:
        session.sock.settimeout(60)
    assert b"$" not in session.buf + chunk, f"a reply to a refused packet: {session.buf + chunk!r}"


def main(tm, elf):
    proc, session = start(tm, elf)
    assert session.ask(b"qSupported").startswith(b"PacketSize=%x;" % PACKET_SIZE)
    for data, want in REFUSED:
        got = session.ask(data)
        assert got == want, f"{data!r}: got {got!r}, want {want!r}"
    big = session.ask(b"m80000000,ffffffff")  # answered short: what one reply holds
    assert len(big) == 2 * ((PACKET_SIZE - 4) // 2), len(big)
    assert session.ask(b"Z2,fffffff0,100") == b"OK"  # a watch past 4 GiB: kept, then removed
    assert session.ask(b"z2,fffffff0,100") == b"OK"

    session.send_raw(b"junk outside any packet \x03\x00\xff+-")
    assert ack_after(session, b"$g#00") == b"-", "a wrong checksum was accepted"
    assert_no_reply(session)
    too_long = b"M80100000,1:" + b"00" * PACKET_SIZE
    assert ack_after(session, packet(too_long)) == b"-", "a packet longer than PacketSize was accepted"
    assert_no_reply(session)
    # A packet cut short by a new '$': the new one is read.
    assert ack_after(session, b"$m80000000,4$" + packet(b"qAttached")[1:]) == b"+"
    assert session.reply() == b"1"

    assert len(session.ask(b"g")) >= 33 * 8
    assert session.ask(b"M80100000,4:78563412") == b"OK"
    assert session.ask(b"m80100000,4") == b"78563412"
    assert session.ask(b"c") == b"W00", "the session stopped serving"
    rc = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    assert rc == 0, f"exit code {rc}, want 0: {err}"
    assert f"a packet longer than {PACKET_SIZE} bytes was refused" in err, err
    print("PASS")


if __name__ == "__main__":
    run(main)

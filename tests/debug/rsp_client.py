"""rsp_client.py: the raw GDB remote protocol side of the rsp_*.py tests.

start(TRIMODE, ELF) runs `trimode run ELF --gdb 0 --gdb-wait`, connects to the
port it prints and returns (the process, a Session). Session.ask(PACKET) sends
one packet and returns the payload of the reply; reply() the next one (replies
that arrive together are kept for the next call); monitor(TEXT) runs a
`monitor TEXT` command and returns its output and the final reply.
run(main) calls main(TRIMODE, ELF) from the command line and turns a failed
check into a FAILURE line and exit 1. symbol(ELF, NAME) is a symbol's value
(from the ELF32 file's symbol table); pc_of / word_of decode a register's
or a memory word's little-endian hex.
"""
import re
import socket
import struct
import subprocess
import sys


def packet(data):
    return b"$" + data + b"#" + b"%02x" % (sum(data) & 0xFF)


class Session:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, data):
        self.sock.sendall(packet(data))

    def send_raw(self, raw):
        self.sock.sendall(raw)

    def reply(self):
        while True:
            m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m.group(1)
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("connection closed")
            self.buf += chunk

    def ask(self, data):
        self.send(data)
        return self.reply()

    def monitor(self, text):
        out = b""
        reply = self.ask(b"qRcmd," + text.encode().hex().encode())
        while reply.startswith(b"O") and reply != b"OK":
            out += bytes.fromhex(reply[1:].decode())
            reply = self.reply()
        return out.decode(), reply


def symbol(elf, name):
    with open(elf, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
    sections = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB; sh_link: its string table
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 16):
            st_name, st_value = struct.unpack_from("<II", data, off)
            start = strtab[4] + st_name
            if data[start:data.index(b"\0", start)] == name.encode():
                return st_value
    raise ValueError(f"no symbol {name} in {elf}")


def word_of(reply):
    return int.from_bytes(bytes.fromhex(reply.decode()), "little")


def start(tm, elf):
    proc = subprocess.Popen([tm, "run", elf, "--gdb", "0", "--gdb-wait"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    line = proc.stderr.readline().decode()
    port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
    return proc, Session(socket.create_connection(("127.0.0.1", port), timeout=60))


def run(main):
    try:
        main(sys.argv[1], sys.argv[2])
    except (AssertionError, RuntimeError, OSError, AttributeError, ValueError) as e:
        print(f"FAILURE: {e}")
        sys.exit(1)

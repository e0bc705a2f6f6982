"""rsp_client.py: the raw GDB remote protocol side of the rsp_*.py tests.

start(TRIMODE, ELF) runs `trimode run ELF --gdb 0 --gdb-wait`, connects to the
port it prints and returns (the process, a Session). Session.ask(PACKET) sends
one packet and returns the payload of the reply; reply() the next one (replies
that arrive together are kept for the next call); monitor(TEXT) runs a
`monitor TEXT` command and returns its output and the final reply.
run(main) calls main(TRIMODE, ELF) from the command line and turns a failed
check into a FAILURE line and exit 1.
"""
import re
import socket
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

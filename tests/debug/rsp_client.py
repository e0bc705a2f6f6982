"""rsp_client.py: the raw GDB remote protocol side of the rsp_*.py tests.

start(TRIMODE, ELF) runs `trimode run ELF --gdb 0 --gdb-wait`, connects to the
port it prints and returns (the process, the socket, ask): ask(PACKET) sends
one packet and returns the payload of the reply (read_reply: the next one).
"""
import re
import socket
import subprocess


def packet(data):
    return b"$" + data + b"#" + b"%02x" % (sum(data) & 0xFF)


def read_reply(sock):
    buf = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError("connection closed")
        buf += chunk
        m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", buf)
        if m:
            return m.group(1)


def start(tm, elf):
    proc = subprocess.Popen([tm, "run", elf, "--gdb", "0", "--gdb-wait"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    line = proc.stderr.readline().decode()
    port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)

    def ask(data):
        sock.sendall(packet(data))
        return read_reply(sock)

    return proc, sock, ask

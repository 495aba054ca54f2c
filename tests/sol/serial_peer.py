#!/usr/bin/env python3
"""The serial port behind ipmi_sim's SOL, for tests: a TCP server that
ipmi_sim connects to (lan.conf: sol "tcp:127.0.0.1:PORT" 115200).

    serial_peer.py --port-file F [--rx FILE] [--tx FILE] [--tick-ms N]
                   [--echo] [--for S]

--rx FILE   every byte received from the sim (what the SOL user typed,
            and the telnet BREAK ipmi_sim inserts for a break), appended
--tx FILE   every byte sent to the sim, appended: the "serial output"
            a SOL user must see, byte for byte
--tick-ms N send "tick K\\r\\n" every N ms (K counts from 1)
--echo      send back what arrives, as a terminal in echo mode would,
            and after a carriage return the line "got <line>\\r\\n"
--for S     exit after S seconds (default 600), or as soon as the
            process that started it is gone (a test killed hard)
--script DIR  send files on demand: a file DIR/send.N (N = 1, 2 ...,
            renamed into place whole) is sent, paced at --rate bytes a
            second, while connected; then DIR/sent.N is created
--rate B    pace of --script sends (default 8000 bytes a second)

It listens on 127.0.0.1, a free port written to --port-file once it
listens, and serves one connection at a time (a new one replaces the
old, as the sim reconnects after an error).  SIGTERM ends it.
"""
import argparse
import os
import select
import signal
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--rx")
    ap.add_argument("--tx")
    ap.add_argument("--tick-ms", type=int, default=0)
    ap.add_argument("--echo", action="store_true")
    ap.add_argument("--for", dest="life", type=float, default=600)
    ap.add_argument("--script")
    ap.add_argument("--rate", type=int, default=8000)
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, a.port_file)
    rx = open(a.rx, "ab", buffering=0) if a.rx else None
    tx = open(a.tx, "ab", buffering=0) if a.tx else None
    conn = None
    line = b""
    tick = 0
    nscript = 1
    accepts = 0
    sending = b""
    last_send = time.monotonic()
    next_tick = time.monotonic() + a.tick_ms / 1000.0
    end = time.monotonic() + a.life

    def send(data):
        if conn is None:
            return
        conn.sendall(data)
        if tx:
            tx.write(data)

    parent = os.getppid()
    while time.monotonic() < end and os.getppid() == parent:
        wait = 0.2
        if a.script:
            wait = 0.02
        if a.tick_ms and conn is not None:
            wait = max(0.0, min(wait, next_tick - time.monotonic()))
        socks = [srv] + ([conn] if conn is not None else [])
        r, _, _ = select.select(socks, [], [], wait)
        if srv in r:
            c, _ = srv.accept()
            if conn is not None:
                conn.close()
            conn = c
            next_tick = time.monotonic() + a.tick_ms / 1000.0
            accepts += 1
            if a.script:
                tmp = os.path.join(a.script, "accepts.tmp")
                with open(tmp, "w") as f:
                    f.write("%d\n" % accepts)
                os.rename(tmp, os.path.join(a.script, "accepts"))
        elif conn is not None and conn in r:
            try:
                d = conn.recv(4096)
            except OSError:
                d = b""
            if not d:
                conn.close()
                conn = None
                continue
            if rx:
                rx.write(d)
            if a.echo:
                out = b""
                for ch in d:
                    b = bytes([ch])
                    if b == b"\r":
                        out += b"\r\ngot " + line + b"\r\n"
                        line = b""
                    elif ch < 0x80 and b != b"\n":
                        out += b
                        line += b
                send(out)
        if a.script and conn is not None:
            now = time.monotonic()
            if not sending:
                path = os.path.join(a.script, "send.%d" % nscript)
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        sending = f.read()
                    last_send = now
            if sending:
                n = max(1, int((now - last_send) * a.rate))
                if n > 0:
                    send(sending[:n])
                    sending = sending[n:]
                    last_send = now
                if not sending:
                    open(os.path.join(a.script, "sent.%d" % nscript),
                         "w").close()
                    nscript += 1
        if a.tick_ms and conn is not None and \
                time.monotonic() >= next_tick:
            tick += 1
            send(b"tick %d\r\n" % tick)
            next_tick += a.tick_ms / 1000.0


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Capture messages of bmcwatchd's `watch` stream (ctl.h) into files:

    watch_capture.py SOCKET OUTDIR SECONDS

connects to the control socket, sends "watch", and writes the payload of
every frame received within SECONDS to OUTDIR/cap-NN (the fuzz corpus of
tests/fuzz/fuzz_wire.c, corpus/wire/cap-*, was made this way from a
daemon on the sim while a sensor crossed a threshold and the power went
off)."""
import os
import socket
import sys
import time

path, out, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.sendall(b"watch\n")
buf = b""
n = 0
end = time.time() + secs
while time.time() < end:
    s.settimeout(max(0.05, end - time.time()))
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    if not d:
        break
    buf += d
    while b"\n" in buf:
        hdr, rest = buf.split(b"\n", 1)
        w = hdr.split()
        if len(w) != 2 or w[0] != b"ok":
            sys.exit("not a watch frame: %r" % hdr[:40])
        ln = int(w[1])
        if len(rest) < ln:
            break
        with open(os.path.join(out, "cap-%02d" % n), "wb") as f:
            f.write(rest[:ln])
        n += 1
        buf = rest[ln:]
print(n)

#!/usr/bin/env python3
"""Send ipmi_sim console commands, one per stdin line, over ONE console
connection (sim_cmd opens one per command: too slow for hundreds of SEL
entries).  Prints each command's output.  With --every SECONDS, paces the
commands (a background source of SEL entries for the kill tests) and
prints "added ID" for every "Added record" answer, flushed at once.

    sel_console.py PORT [--every S] < commands
"""
import socket
import sys
import time


def until_prompt(s):
    buf = b""
    while True:
        if buf.endswith(b"> ") and (len(buf) == 2 or buf[-3:-2] in (b"\r", b"\n", b"\x01")):
            return buf
        d = s.recv(4096)
        if not d:
            return buf
        buf += d


def main():
    port = int(sys.argv[1])
    every = 0.0
    if len(sys.argv) > 3 and sys.argv[2] == "--every":
        every = float(sys.argv[3])
    deadline = time.monotonic() + 10
    s = None
    while s is None:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    s.settimeout(10)
    until_prompt(s)
    for line in sys.stdin:
        cmd = line.strip()
        if not cmd or cmd == "quit":
            continue
        s.sendall(cmd.encode() + b"\n")
        out = until_prompt(s).decode("latin-1").replace("\r", "")
        for l in out.split("\n"):
            l = l.strip()
            if l.startswith("Added record"):
                print("added", l.split()[2], flush=True)
            elif l.startswith("**"):
                print("error", l, flush=True)
        if every:
            time.sleep(every)
    s.close()


if __name__ == "__main__":
    main()

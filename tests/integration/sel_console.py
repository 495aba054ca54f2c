#!/usr/bin/env python3
"""Send ipmi_sim console commands, one per stdin line, over ONE console
connection (sim_cmd opens one per command: too slow for hundreds of SEL
entries).  Prints each command's output.  With --every SECONDS, paces the
commands (a background source of SEL entries for the kill tests) and
prints "added ID" for every "Added record" answer, flushed at once.

    sel_console.py PORT [--every S] < commands
"""
import signal
import socket
import sys
import time

# SIGTERM stops the adder between two commands, never in the middle of
# one: an entry the sim added is always reported as "added ID".
stopping = False


def on_term(signum, frame):
    global stopping
    stopping = True


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
    signal.signal(signal.SIGTERM, on_term)
    for line in sys.stdin:
        if stopping:
            break
        cmd = line.strip()
        if not cmd or cmd == "quit":
            continue
        s.sendall(cmd.encode() + b"\n")
        report(until_prompt(s))
        if every and not stopping:
            time.sleep(every)
    # the sim may print a command's "Added record" after its prompt:
    # one empty command collects what is still on its way
    s.sendall(b"\n")
    report(until_prompt(s))
    s.close()


def report(buf):
    out = buf.decode("latin-1").replace("\r", "")
    for l in out.split("\n"):
        l = l.strip()
        if l.startswith("Added record"):
            print("added", l.split()[2], flush=True)
        elif l.startswith("**"):
            print("error", l, flush=True)


if __name__ == "__main__":
    main()

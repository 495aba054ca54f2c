#!/usr/bin/env python3
"""Send ipmi_sim console commands, one per stdin line, over ONE console
connection (sim_cmd opens one per command: too slow for hundreds of SEL
entries).  Prints "added ID" for every "Added record" answer and "error
..." for every "**" answer, flushed at once.  With --every SECONDS, paces
the commands (a background source of SEL entries for the kill tests).

    sel_console.py PORT [--every S] < commands

An answer can follow the prompt after its command (tests/sim/console.py):
before exiting the script waits (bounded) until every sel_add it sent was
answered, so an entry the sim added is always reported.  SIGTERM stops it
between two commands, never in the middle of one.
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "sim"))
from console import Console  # noqa: E402

stopping = False
answers = 0


def on_term(signum, frame):
    global stopping
    stopping = True


def on_line(l):
    global answers
    if l.startswith("Added record"):
        print("added", l.split()[2], flush=True)
        answers += 1
    elif l.startswith("**"):
        print("error", l, flush=True)
        answers += 1


def main():
    port = int(sys.argv[1])
    every = 0.0
    if len(sys.argv) > 3 and sys.argv[2] == "--every":
        every = float(sys.argv[3])
    c = Console(port, on_line)
    c.prompt(30, "prompt")
    signal.signal(signal.SIGTERM, on_term)
    sent = 0
    for line in sys.stdin:
        if stopping:
            break
        cmd = line.strip()
        if not cmd or cmd == "quit":
            continue
        c.send(cmd)
        if cmd.startswith("sel_add"):
            sent += 1
        c.prompt(60, "prompt after " + cmd.split()[0])
        if every and not stopping:
            time.sleep(every)
    c.until(lambda: answers >= sent, 60, "answer to every sel_add")
    c.s.close()


if __name__ == "__main__":
    main()

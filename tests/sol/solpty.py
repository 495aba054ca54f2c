#!/usr/bin/env python3
"""Drive an interactive program (bmcwatch sol activate, ipmitool sol
activate) through a pseudo-terminal, as a person at a terminal would.

    solpty.py [--timeout S] [--out FILE] [--err FILE] [--name NAME] STEP...
              -- CMD ARG...

The program gets the pty's slave as its controlling terminal, standard
input and output (standard error too, unless --err FILE takes it, so
that the output holds nothing but what the program writes there).  The
slave starts in the usual cooked mode; its settings are read before the
program starts and again after it ended.

Steps, run in order, each bounded by --timeout seconds (default 30):
  expect:REGEX   the output since the last expect matches REGEX (Python
                 bytes regex, DOTALL); the match's end is where the next
                 expect starts looking
  send:TEXT      write TEXT to the terminal (backslash escapes: \\r \\x7e)
  raw            the terminal is in raw mode (no ICANON, no ECHO, no
                 ISIG, no OPOST): the program switched it
  cooked         it is back in the mode it started in
  signal:NAME    send signal NAME (TERM, HUP, INT) to the program
  exit:CODE      the program exits with CODE

Prints "ok - NAME: ..." / "not ok - NAME: ..." per step and, once the
program ended, whether the terminal settings are what they were before
it started ("terminal restored").  Exit status 0 when every check passed.  --out
gets every byte the program wrote to the terminal.
"""
import argparse
import codecs
import fcntl
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time


class Pty:
    def __init__(self, cmd, err):
        self.master, self.slave = pty.openpty()
        attrs = termios.tcgetattr(self.slave)
        self.before = [list(a) if isinstance(a, list) else a for a in attrs]
        self.buf = b""
        self.mark = 0
        errf = open(err, "wb") if err else None

        def child_setup():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            cmd, stdin=self.slave, stdout=self.slave,
            stderr=errf if errf else self.slave,
            preexec_fn=child_setup, close_fds=True)
        if errf:
            errf.close()
        self.rc = None

    def pump(self, wait):
        """Read what the program wrote, for at most wait seconds."""
        r, _, _ = select.select([self.master], [], [], wait)
        if r:
            try:
                d = os.read(self.master, 65536)
            except OSError:
                d = b""
            self.buf += d
        if self.rc is None:
            self.rc = self.proc.poll()

    def until(self, cond, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            self.pump(0.05)
        return cond()

    def attrs(self):
        return termios.tcgetattr(self.slave)


def is_raw(a):
    return (not (a[3] & (termios.ICANON | termios.ECHO | termios.ISIG)) and
            not (a[1] & termios.OPOST))


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        print("usage: solpty.py [options] STEP... -- CMD ...", file=sys.stderr)
        return 2
    k = argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--out")
    ap.add_argument("--err")
    ap.add_argument("--name", default="pty")
    ap.add_argument("steps", nargs="*")
    a = ap.parse_args(argv[:k])
    cmd = argv[k + 1:]
    p = Pty(cmd, a.err)
    failed = 0

    def result(ok, what):
        nonlocal failed
        print("%s - %s: %s" % ("ok" if ok else "not ok", a.name, what))
        if not ok:
            failed += 1
            tail = p.buf[-400:].decode("latin-1")
            print("#   output so far (tail): %r" % tail)
        sys.stdout.flush()

    for step in a.steps:
        kind, _, arg = step.partition(":")
        if kind == "expect":
            rx = re.compile(arg.encode("latin-1"), re.DOTALL)
            m = [None]

            def found():
                m[0] = rx.search(p.buf, p.mark)
                return m[0] is not None
            ok = p.until(found, a.timeout)
            if ok:
                p.mark = m[0].end()
            result(ok, "output shows /%s/" % arg)
        elif kind == "send":
            data = codecs.decode(arg, "unicode_escape").encode("latin-1")
            os.write(p.master, data)
            result(True, "typed %r" % data)
        elif kind == "raw":
            result(p.until(lambda: is_raw(p.attrs()), a.timeout),
                   "terminal in raw mode")
        elif kind == "cooked":
            result(p.until(lambda: p.attrs() == p.before, a.timeout),
                   "terminal back in its first mode")
        elif kind == "signal":
            p.proc.send_signal(getattr(signal, "SIG" + arg))
            result(True, "sent SIG%s" % arg)
        elif kind == "exit":
            ok = p.until(lambda: p.rc is not None, a.timeout)
            result(ok and str(p.rc) == arg,
                   "exit status %s (got %s)" % (arg, p.rc))
        else:
            result(False, "unknown step %s" % step)
    if p.rc is None and not p.until(lambda: p.rc is not None, a.timeout):
        p.proc.kill()
        p.proc.wait()
        result(False, "program still running at the end: killed")
    while True:
        r, _, _ = select.select([p.master], [], [], 0.2)
        if not r:
            break
        try:
            d = os.read(p.master, 65536)
        except OSError:
            break
        if not d:
            break
        p.buf += d
    after = p.attrs()
    same = after == p.before
    result(same, "terminal restored (settings as before the program)")
    if not same:
        for i, (x, y) in enumerate(zip(p.before, after)):
            if x != y:
                print("#   field %d: before %r after %r" % (i, x, y))
    if a.out:
        with open(a.out, "wb") as f:
            f.write(p.buf)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

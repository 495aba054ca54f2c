#!/usr/bin/env python3
"""Is a program's standard error only its own text, safe on a terminal?

    termtext.py check --peer PEER [--forbid WORD]... [--allow REGEX]... FILE
    termtext.py selftest

`check` passes when FILE (what bmcwatch wrote to standard error while a
hostile BMC talked to it) holds:
  - printable ASCII only, plus LF, CR and TAB: no ESC (so no CSI, OSC or
    other escape sequence), no other C0 control, no DEL, no C1 control
    and no byte past 7Fh at all (bmcwatch's messages are ASCII: such a
    byte can only have come from outside);
  - none of the WORDs (the words the BMC hid in every text it sent, and
    in the console's bytes, which belong on standard output only);
  - on every line (once a CR that starts or ends a raw-mode notice is
    dropped) that no --allow REGEX matches: at most 300 characters (no
    overlong text passed through), and a message naming the BMC,
    "bmcwatch: PEER: " or "[bmcwatch: PEER: ".
It prints "# " lines saying what is wrong (the bytes shown escaped, so
the test log is safe to read) and exits 1, or exits 0.

`selftest` is the positive control: the checker must refuse crafted
texts that break each rule (among them the very bytes hostile_bmc.py
sends, put into a message), and pass a clean one; exit 0 when it does.
"""
import argparse
import os
import re
import sys

LINE_MAX = 300


def problems(data, peer, forbid=(), allow=()):
    """What is wrong with data (bytes), as a list of strings."""
    out = []
    for i, b in enumerate(data):
        if b in (0x0a, 0x0d, 0x09) or 0x20 <= b < 0x7f:
            continue
        kind = ("ESC" if b == 0x1b else "DEL" if b == 0x7f else
                "C0" if b < 0x20 else "C1" if b < 0xa0 else "non-ASCII")
        out.append("byte %d is %02Xh (%s) in %r" %
                   (i, b, kind, data[max(0, i - 20):i + 20]))
        if len(out) >= 5:
            out.append("(and maybe more)")
            return out
    for w in forbid:
        k = data.find(w.encode())
        if k >= 0:
            out.append("the BMC's word %r at byte %d: %r" %
                       (w, k, data[max(0, k - 30):k + 30]))
    heads = (b"bmcwatch: " + peer.encode() + b": ",
             b"[bmcwatch: " + peer.encode() + b": ")
    allowed = [re.compile(a.encode()) for a in allow]
    for n, line in enumerate(data.split(b"\n"), 1):
        text = line.strip(b"\r")
        if any(a.search(text) for a in allowed):
            continue
        if len(line) > LINE_MAX:
            out.append("line %d is %d characters long: %r..." %
                       (n, len(line), line[:60]))
        if text and not text.startswith(heads):
            out.append("line %d does not name %s: %r" %
                       (n, peer, line[:120]))
    return out


def check(argv):
    ap = argparse.ArgumentParser(prog="termtext.py check")
    ap.add_argument("--peer", required=True)
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--allow", action="append", default=[])
    ap.add_argument("file")
    a = ap.parse_args(argv)
    with open(a.file, "rb") as f:
        data = f.read(1 << 20)
    p = problems(data, a.peer, a.forbid, a.allow)
    for x in p:
        print("#   %s" % x)
    return 1 if p else 0


def hostile_bytes():
    """The text hostile_bmc.py hides in what it sends (importing it
    needs python3-cryptography)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import hostile_bmc
    return hostile_bmc.HOSTILE


def selftest():
    peer = "127.0.0.1:623"
    h = "bmcwatch: %s: " % peer
    good = (h + "SOL payload instance active (~? for help, ~. to quit)\n"
            "\r\n[bmcwatch: %s: the BMC saw a break from the server]\r\n"
            % peer + h + "the BMC is deactivating SOL payload instance "
            "1\n").encode()
    ev = hostile_bytes()
    bad = [
        ("the hostile BMC's text in a message",
         (h + "Activate Payload: completion code 81h: ").encode() + ev +
         b"\n"),
        ("a CSI", (h + "x \x1b[2J y\n").encode()),
        ("an OSC (window title)", (h + "\x1b]0;owned\x07\n").encode()),
        ("8-bit CSI (C1 9Bh)", (h + "x ").encode() + b"\x9b31m\n"),
        ("C1 NEL (85h)", (h + "x ").encode() + b"\x85\n"),
        ("DEL", (h + "x \x7f\n").encode()),
        ("NUL", (h + "x \x00\n").encode()),
        ("BEL", (h + "x \x07\n").encode()),
        ("backspace", (h + "ok\x08\x08no\n").encode()),
        ("UTF-8 text", (h + "caf\u00e9\n").encode()),
        ("the word HOSTILE", (h + "HOSTILE\n").encode()),
        ("console bytes on stderr", (h + "CONSOLE line 7\n").encode()),
        ("a line not naming the BMC", b"bmcwatch: session closed\n"),
        ("another BMC named", b"bmcwatch: 10.0.0.1:623: closed\n"),
        ("an overlong line", (h + "x" * 400 + "\n").encode()),
    ]
    failed = 0
    forbid = ("HOSTILE", "CONSOLE")
    p = problems(good, peer, forbid)
    print("%s - termtext: a clean text passes%s" %
          ("ok" if not p else "not ok", "" if not p else ": %s" % p))
    failed += bool(p)
    for name, data in bad:
        p = problems(data, peer, forbid)
        print("%s - termtext: refuses %s%s" %
              ("ok" if p else "not ok", name,
               " (%s)" % p[0] if p else ""))
        failed += not p
    # an --allow pattern lets a line through, and only that line
    p = problems(b"bmcwatch: stats: requests=3\n", peer, forbid,
                 [r"^bmcwatch: stats: [a-z_]+=[0-9]+( [a-z_]+=[0-9]+)*$"])
    print("%s - termtext: --allow passes the line it names" %
          ("ok" if not p else "not ok"))
    failed += bool(p)
    return 1 if failed else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        return check(sys.argv[2:])
    if len(sys.argv) == 2 and sys.argv[1] == "selftest":
        return selftest()
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

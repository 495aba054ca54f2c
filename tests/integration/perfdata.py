#!/usr/bin/env python3
"""Strict check of a plugin's output against the Monitoring Plugins
development guidelines.  Usage: perfdata.py EXITCODE FILE [--ext]

  - the first line is "LABEL STATE - text", STATE the exit code's word;
  - perfdata after the first '|' of a line (first line, or a later line of
    the long output) is a space-separated list of
        'label'=value[UOM];[warn];[crit];[min];[max]
    label quoted ('' for a quote inside) or bare (no space, = or '),
    value a decimal number, UOM one the guidelines allow (with --ext also
    Icinga 2's C V A W), warn/crit ranges (10, 10:, ~:10, 10:20, @...),
    min/max decimal numbers; trailing empty fields may be left off;
  - no label twice.
Prints nothing and exits 0 when it all holds; else says what and exits 1.
"""
import re
import sys

STATES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}
NUM = r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
RANGE = re.compile(r"^@?(?:%s|%s:|~:%s|%s:%s|~:)$" % (NUM, NUM, NUM, NUM, NUM))
UOMS = {"", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c"}
EXT = {"C", "V", "A", "W"}


def fail(msg):
    print("perfdata: " + msg)
    sys.exit(1)


def items(s):
    """split perfdata into items, honouring quoted labels"""
    out, i, n = [], 0, len(s)
    while i < n:
        if s[i] == " ":
            i += 1
            continue
        j = i
        if s[i] == "'":
            j = i + 1
            while True:
                k = s.find("'", j)
                if k < 0:
                    fail("unterminated quoted label in %r" % s[i:])
                if k + 1 < n and s[k + 1] == "'":
                    j = k + 2
                    continue
                j = k + 1
                break
        k = s.find(" ", j)
        k = n if k < 0 else k
        out.append(s[i:k])
        i = k
    return out


def item(it, uoms, seen):
    m = re.match(r"^('(?:[^']|'')+'|[^'= ]+)=(.*)$", it)
    if not m:
        fail("bad label in %r" % it)
    label, rest = m.group(1), m.group(2)
    if label in seen:
        fail("label %s twice" % label)
    seen.add(label)
    f = rest.split(";")
    if len(f) > 5:
        fail("more than 5 fields in %r" % it)
    m = re.match(r"^(%s)([a-zA-Z%%]*)$" % NUM, f[0])
    if not m:
        fail("bad value in %r" % it)
    if m.group(2) not in uoms:
        fail("unit %r not allowed in %r" % (m.group(2), it))
    for k, v in enumerate(f[1:], 1):
        if v == "":
            continue
        if k <= 2 and not RANGE.match(v):
            fail("bad %s range %r in %r" % ("warn" if k == 1 else "crit", v, it))
        if k >= 3 and not re.match("^%s$" % NUM, v):
            fail("bad %s %r in %r" % ("min" if k == 3 else "max", v, it))


def main():
    rc = int(sys.argv[1])
    uoms = UOMS | (EXT if "--ext" in sys.argv[3:] else set())
    text = open(sys.argv[2], encoding="utf-8").read()
    if not text.endswith("\n"):
        fail("output does not end with a newline")
    lines = text.split("\n")[:-1]
    if not lines:
        fail("no output")
    if rc not in STATES:
        fail("exit code %d is not 0-3" % rc)
    m = re.match(r"^[A-Z][A-Z ]* (OK|WARNING|CRITICAL|UNKNOWN) - .", lines[0])
    if not m:
        fail("first line is not 'LABEL STATE - text': %r" % lines[0])
    if m.group(1) != STATES[rc]:
        fail("first line says %s, exit code %d" % (m.group(1), rc))
    seen = set()
    for ln in lines:
        if "|" in ln:
            for it in items(ln.split("|", 1)[1].strip()):
                item(it, uoms, seen)


main()

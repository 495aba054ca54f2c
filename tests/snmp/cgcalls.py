#!/usr/bin/env python3
"""Calls and inclusive instructions (Ir) of named functions in a
callgrind output file, for tests/bench-snmp.sh:

  cgcalls.py FILE FUNCTION...   prints "FUNCTION CALLS IR" per function

Sums every call site's "calls=" line and the cost line after it (the
inclusive cost of those calls), resolving callgrind's name compression
("cfn=(N) name" once, "cfn=(N)" after).
"""
import re
import sys


def main():
    path, want = sys.argv[1], sys.argv[2:]
    names = {}
    calls = {w: 0 for w in want}
    ir = {w: 0 for w in want}
    cfn = None
    pending = None
    name_re = re.compile(r"^c?fn=\((\d+)\)(?: (.*))?$")
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if pending is not None:
            parts = line.split()
            if len(parts) >= 2 and pending in calls:
                ir[pending] += int(parts[1])
            pending = None
            continue
        m = name_re.match(line)
        if m:
            if m.group(2) is not None:
                names[m.group(1)] = m.group(2)
            if line.startswith("cfn="):
                cfn = names.get(m.group(1))
            continue
        if line.startswith("calls="):
            n = int(line[6:].split()[0])
            if cfn in calls:
                calls[cfn] += n
            pending = cfn
    for w in want:
        print("%s %d %d" % (w, calls[w], ir[w]))


if __name__ == "__main__":
    main()

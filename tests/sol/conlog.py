#!/usr/bin/env python3
"""Read bmcwatchd console logs (archive-dir/console/TARGET.log, with
timestamps yes) back into what the console sent, checking the format.

    conlog.py [--data OUT] LOG...

The logs are read in order as one stream (a rotated log first).  Every
line must be "TIME | bytes" (console bytes, the line's newline
included) or "TIME # bmcwatch: text" (a marker), TIME being UTC with
milliseconds; a marker ending in " [newline added]" took the newline
before it from the log, not from the console.  The console bytes go to
OUT; every marker is printed as "OFFSET TEXT" (OFFSET: console bytes
before it).  Exit 1, saying where, on a line of another shape.
"""
import re
import sys

TS = rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
DATA = re.compile(TS + rb" \| ")
MARK = re.compile(TS + rb" # bmcwatch: (.*)\n\Z", re.S)


def main():
    args = sys.argv[1:]
    out = None
    if len(args) >= 2 and args[0] == "--data":
        out = args[1]
        args = args[2:]
    data = bytearray()
    for path in args:
        raw = open(path, "rb").read()
        lines = [x + b"\n" for x in raw.split(b"\n")]
        lines[-1] = lines[-1][:-1]
        if not lines[-1]:
            lines.pop()
        for n, line in enumerate(lines, 1):
            m = DATA.match(line)
            if m:
                data += line[m.end():]
                continue
            m = MARK.match(line)
            if not m:
                print("%s:%d: not a console log line: %r"
                      % (path, n, line[:80]))
                sys.exit(1)
            text = m.group(1).decode("utf-8", "replace")
            if text.endswith(" [newline added]"):
                if not data.endswith(b"\n"):
                    print("%s:%d: newline added, but none is there"
                          % (path, n))
                    sys.exit(1)
                del data[-1]
            print("%d %s" % (len(data), text))
    if out:
        open(out, "wb").write(bytes(data))


if __name__ == "__main__":
    main()

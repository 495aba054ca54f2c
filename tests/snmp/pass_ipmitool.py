#!/usr/bin/env python3
"""The do-it-yourself way to get IPMI sensors into SNMP, for
tests/bench-snmp.sh: an snmpd pass_persist script that runs `ipmitool
sdr list` and serves each sensor as a row under PASS_BASE:

    PASS_BASE.1.COL.ROW   COL 1 name, 2 reading, 3 unit, 4 status
                          (strings: pass_persist has no Counter64, and
                          readings are text in ipmitool's output)

The list is read again at the start of every walk (a GETNEXT of the
base itself) and when it is older than 10 s.  Settings come from the
file named by $BENCH_PASS_ENV (KEY=VALUE lines: PASS_BASE,
PASS_IPMITOOL, the ipmitool command line without `sdr list`).
"""
import os
import shlex
import subprocess
import sys
import time


def load_env(path):
    env = {}
    for line in open(path):
        line = line.rstrip("\n")
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    return env


def key(oid):
    return [int(x) for x in oid.strip(".").split(".") if x != ""]


def main():
    env = load_env(os.environ["BENCH_PASS_ENV"])
    base = key(env["PASS_BASE"])
    cmd = shlex.split(env["PASS_IPMITOOL"]) + ["sdr", "list"]
    rows, at = [], 0.0

    def refresh():
        nonlocal rows, at
        out = subprocess.run(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.decode(
                                 errors="replace")
        rows = []
        for line in out.splitlines():
            f = [x.strip() for x in line.split("|")]
            if len(f) < 3:
                continue
            parts = f[1].split(" ", 1)
            reading = parts[0]
            unit = parts[1] if len(parts) > 1 else ""
            rows.append((f[0], reading, unit, f[2]))
        at = time.monotonic()

    def table():
        t = []
        for col in range(1, 5):
            for i, r in enumerate(rows):
                t.append((base + [1, col, i + 1], r[col - 1]))
        return t

    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if line == "PING":
            out.write("PONG\n")
        elif line in ("get", "getnext"):
            oid = key(sys.stdin.readline().strip())
            if (line == "getnext" and oid == base) or \
                    time.monotonic() - at > 10:
                refresh()
            ans = None
            for o, v in table():
                if (line == "get" and o == oid) or \
                        (line == "getnext" and o > oid):
                    ans = (o, v)
                    break
            if ans is None:
                out.write("NONE\n")
            else:
                out.write(".%s\nstring\n%s\n" %
                          (".".join(map(str, ans[0])), ans[1]))
        elif line == "set":
            sys.stdin.readline()
            sys.stdin.readline()
            out.write("not-writable\n")
        elif line == "":
            break
        out.flush()


if __name__ == "__main__":
    main()

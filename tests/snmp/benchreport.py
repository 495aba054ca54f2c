#!/usr/bin/env python3
"""The report of tests/bench-snmp.sh's walks and GETs:

  benchreport.py WALKS SENSORS GETS DATAGRAMS LOAD0 LOAD1 LOAD2 LOAD3

WALKS: rawsnmp.py walks output (routes ours, a, b); GETS: rawsnmp.py
gets output (ours, then snmpd's sysUpTime.0); DATAGRAMS: BMC datagrams
during the walks; LOADn: /proc/loadavg before and after the walks and
the GETs.
"""
import statistics
import sys


def main():
    walks, nsens, gets, dgrams = sys.argv[1:5]
    load = sys.argv[5:9]
    rounds = {}
    pct = {}
    for line in open(walks):
        rnd, name, nv, ms, p10, p50 = line.split()
        rounds.setdefault(int(rnd), {})[name] = (int(nv), float(ms))
        pct.setdefault(name, []).append((float(p10), float(p50)))
    names = {"ours": "bmcwatch-snmp (ours)",
             "a": "pass_persist + ipmitool (a)",
             "b": "snmpd built-in tables (b)"}
    print("SNMP, simulated BMC with %s sensors, private snmpd on 127.0.0.1,"
          " GETNEXT walks from one process, %d interleaved rounds"
          % (nsens, len(rounds)))
    print("  wall clock, load average (1/5/15 min) before: %s, after: %s"
          % (load[0], load[1]))
    per = {}
    for k in ("ours", "a", "b"):
        rs = [r[k] for r in rounds.values()]
        us = [ms * 1000 / max(nv, 1) for nv, ms in rs]
        per[k] = us
        print("  %-28s %5d values  median %8.1f ms  %7.1f us/value "
              "(min %.1f, max %.1f)"
              % (names[k], statistics.median(nv for nv, _ in rs),
                 statistics.median(ms for _, ms in rs),
                 statistics.median(us), min(us), max(us)))
    print("  BMC datagrams during all the walks: %s (the pass_persist "
          "script's ipmitool; ours answers from the store)" % dgrams)
    raa = [o / a for o, a in zip(per["ours"], per["a"])]
    rab = [o / b for o, b in zip(per["ours"], per["b"])]
    print("  ratio per value, ours / pass_persist+ipmitool: median %.4f "
          "(%.0fx faster)" % (statistics.median(raa),
                              1 / statistics.median(raa)))
    m = statistics.median(rab)
    print("  ratio per value, ours / snmpd built-in (same number of "
          "values), per round: median %.2f, min %.2f, max %.2f "
          "(goal <= 1.5: %s)" % (m, min(rab), max(rab),
                                 "met" if m <= 1.5 else "NOT met"))
    # one GETNEXT's time: its low percentiles are the requests no
    # other process delayed, the nearest this machine comes to quiet
    for k in ("ours", "b"):
        print("  one GETNEXT, %-26s p10 %6.1f us, p50 %6.1f us (medians "
              "over the rounds)"
              % (names[k],
                 statistics.median(p[0] for p in pct[k]) * 1000,
                 statistics.median(p[1] for p in pct[k]) * 1000))
    r10 = [o[0] / b[0] for o, b in zip(pct["ours"], pct["b"])]
    r50 = [o[1] / b[1] for o, b in zip(pct["ours"], pct["b"])]
    print("  ratio one GETNEXT, ours / snmpd built-in, per round: p10 "
          "median %.2f (min %.2f, max %.2f), p50 median %.2f (min %.2f, "
          "max %.2f)" % (statistics.median(r10), min(r10), max(r10),
                         statistics.median(r50), min(r50), max(r50)))
    g = [line.split() for line in open(gets)]
    print("  GETs with the BMC frozen (SIGSTOP), load average before: %s, "
          "after: %s" % (load[2], load[3]))
    for (oid, n, bad, p50, p99, mx), what in zip(
            g, ("a sensor reading (ours)", "sysUpTime.0 (snmpd's own)")):
        print("    %-26s %s answered, %s errors, p50 %s ms, p99 %s ms, "
              "max %s ms" % (what, n, bad, p50, p99, mx))
    ok = float(g[0][4]) < 5 and g[0][2] == "0"
    print("    goal p99 < 5 ms for ours: %s" % ("met" if ok else "NOT met"))


if __name__ == "__main__":
    main()

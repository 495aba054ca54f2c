#!/usr/bin/env python3
"""The goals of issues 10 and 15, read off one `make bench` run.

tests/bench.sh gathers every bench-*.sh's output in one file and calls
this with it: one table row per goal, the figure the run measured and
whether it meets the goal.  A figure the run did not print (a bench
that failed or was skipped) is "not measured", never a pass.  Nothing
here measures: every number comes from the benches' own lines.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()


def grab(pattern, conv=float, within=None):
    """The groups of pattern's first match, converted, or None; within:
    only in the section whose output starts with that text."""
    t = text
    if within is not None:
        i = t.find(within)
        if i < 0:
            return None
        t = t[i:].split("```", 1)[0]
    m = re.search(pattern, t, re.M)
    if m is None:
        return None
    return tuple(conv(g) for g in m.groups())


rows = []


def goal(what, target, got, ok):
    """One row; ok is None when the figure was not measured."""
    verdict = "not measured" if ok is None else ("met" if ok else "NOT met")
    rows.append((what, target, got if ok is not None else "-", verdict))


# one request per sensor plus at most one repository check
g = grab(r"^bmcwatch warm sweep, held session\s+([\d.]+)")
n = grab(r"^warm sweep in a held session: (\d+) Get Sensor Reading")
if g and n:
    goal("warm sweep: requests", "<= sensors + 1",
         "%d for %d sensors" % (g[0], n[0]), g[0] <= n[0] + 1)
else:
    goal("warm sweep: requests", "<= sensors + 1", "", None)

g = grab(r"SEL requests of a poll .*: 0 new = (\d+)")
goal("SEL poll, nothing new", "1 request",
     "%d" % g[0] if g else "", (g[0] == 1) if g else None)

SLOW = "Slow BMC:"
g = grab(r"^bmcwatch held session, 8 in flight\s+[\d.]+\s+([\d.]+)",
         within=SLOW)
g16 = grab(r"^bmcwatch held session, 16 in flight\s+[\d.]+\s+([\d.]+)",
           within=SLOW)
it = grab(r"^ipmitool sensor list\s+[\d.]+\s+([\d.]+)\n(?:.*\n)*?"
          r"ipmi-sensors, warm cache\s+[\d.]+\s+([\d.]+)", within=SLOW)
extra = ""
if g16:
    extra += ", %.0f ms with 16" % g16[0]
if it:
    extra += "; ipmitool %.0f ms, ipmi-sensors %.0f ms" % it
goal("slow BMC (10 ms each way): warm sweep, default 8 in flight",
     "< 500 ms", ("%.0f ms" % g[0] + extra) if g else "",
     (g[0] < 500) if g else None)

g = grab(r"ratio check_ipmi_sensor / check_bmc_sensors \(socket\): ([\d.]+)x")
goal("check_bmc_sensors (socket) vs check_ipmi_sensor", ">= 100x faster",
     "%.0fx" % g[0] if g else "", (g[0] >= 100) if g else None)

g = grab(r"resident memory: ([\d.]+) MiB after the first sweeps, ([\d.]+) MiB after")
goal("daemon RSS, one target", "< 8 MiB",
     "%.1f MiB, %.1f MiB later" % g if g else "",
     (max(g) < 8) if g else None)

g = grab(r"resident memory: [\d.]+ MiB with 1 target; ([\d.]+) MiB with (\d+) at "
         r"the window's start, ([\d.]+) MiB at its end")
sa = grab(r"the SNMP subagent ([\d.]+) MiB resident with (\d+) targets")
if g:
    got = "daemon %.1f MiB at %d targets" % (max(g[0], g[2]), g[1])
    tot = max(g[0], g[2])
    if sa:
        got += " (+ SNMP subagent %.1f = %.1f)" % (sa[0], tot + sa[0])
    goal("daemon RSS, 100 targets", "< 64 MiB", got,
         tot < 64 and g[1] >= 100)
else:
    goal("daemon RSS, 100 targets", "< 64 MiB", "", None)

c = grab(r"daemon CPU over [\d.]+ s: ([\d.]+)% of one core")
f = grab(r"every target fresh: (yes|no)", str)
s = grab(r"^Scale: one bmcwatchd, (\d+) simulated BMCs over lanplus suite 3, "
         r"(\d+) sensors in all, sensors every (\d+) s")
if c and f and s:
    goal("%d BMCs x %d sensors every %d s" % (s[0], s[1] / s[0], s[2]),
         "<= 1 core, all fresh",
         "%.1f%% of a core, all fresh: %s" % (c[0], f[0]),
         c[0] <= 100 and f[0] == "yes" and s[0] >= 100)
else:
    goal("100 BMCs x ~120 sensors every 10 s", "<= 1 core, all fresh", "",
         None)

g = grab(r"ratio per value, ours / snmpd built-in .*per round: median ([\d.]+), "
         r"min ([\d.]+), max ([\d.]+)")
goal("SNMP walk per value vs snmpd's own tables", "<= 1.5x",
     "median %.2f (min %.2f, max %.2f)" % g if g else "",
     (g[0] <= 1.5) if g else None)

g = grab(r"a sensor reading \(ours\)\s+\d+ answered, \d+ errors, p50 [\d.]+ ms, "
         r"p99 ([\d.]+) ms")
goal("SNMP GET with the BMC frozen, p99", "< 5 ms",
     "%.2f ms" % g[0] if g else "", (g[0] < 5) if g else None)

head = ("goal", "target", "this run", "result")
w = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
print("Goals (issues 10 and 15), each read off this run's figures below:\n")
print("| %s |" % " | ".join(h.ljust(w[i]) for i, h in enumerate(head)))
print("|%s|" % "|".join("-" * (x + 2) for x in w))
for r in rows:
    print("| %s |" % " | ".join(r[i].ljust(w[i]) for i in range(4)))

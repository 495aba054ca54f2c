#!/usr/bin/env python3
"""Compare `bmcwatch watchdog get --json` with FreeIPMI's `bmc-watchdog
-g`, run at about the same instant on the same BMC, field by field.

    wdt_compare.py OURS.json BMC-WATCHDOG.txt [SPAN]

Exits 0 printing a summary of what agreed, or non-zero naming every
field that differs.  The present countdown may differ by 1.5 s plus
SPAN, the seconds from the start of the first read to the end of the
second when the caller measured them (the two reads are not
simultaneous, and a loaded guest can take seconds between them);
everything else must be equal.
"""
import json
import sys

d = json.load(open(sys.argv[1]))
f = {}
for line in open(sys.argv[2]):
    if ":" in line:
        k, v = line.split(":", 1)
        f[k.strip()] = v.strip()
bad = []


def eq(name, got, want):
    if got != want:
        bad.append("%s: bmcwatch %r, bmc-watchdog %r" % (name, got, want))


uses = {"BIOS FRB2": "bios-frb2", "BIOS POST": "bios-post",
        "OS LOAD": "os-load", "SMS/OS": "sms-os", "OEM": "oem"}
eq("timer use", d["timer_use"], uses.get(f["Timer Use"].upper()))
eq("running", d["running"], f["Timer"] == "Running")
eq("logging", d["logging"], f["Logging"] == "Enabled")
acts = {"None": "none", "No Action": "none", "Hard Reset": "reset",
        "Power Down": "power-off", "Power Cycle": "power-cycle"}
eq("action", d["action"], acts.get(f["Timeout Action"]))
pre = f["Pre-Timeout Interrupt"].split()[0].upper()
eq("pre-timeout interrupt", d["pretimeout_interrupt"],
   {"NONE": "none", "SMI": "smi", "NMI": "nmi", "MESSAGING": "msg"}.get(pre))
eq("pre-timeout interval", "%d seconds" % d["pretimeout_interval_s"],
   f["Pre-Timeout Interval"])
flags = {"FRB2": "bios-frb2", "POST": "bios-post", "OS Load": "os-load",
         "SMS/OS": "sms-os", "OEM": "oem"}
for k, v in flags.items():
    eq("%s flag" % k, v in d["expiration_flags"],
       f["Timer Use BIOS %s Flag" % k] == "Set")
eq("initial countdown", "%d seconds" % int(d["initial_countdown_s"]),
   f["Initial Countdown"])
cur = float(f["Current Countdown"].split()[0])
span = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
if d["present_countdown_s"] is None or \
        abs(d["present_countdown_s"] - cur) > 1.5 + span:
    bad.append("present countdown %r vs %r (reads %.1f s apart)" %
               (d["present_countdown_s"], cur, span))
if bad:
    sys.exit("; ".join(bad))
print("%s, %s, %s, %s" % (f["Timer Use"], f["Timeout Action"], f["Timer"],
                          f["Initial Countdown"]))

#!/usr/bin/env python3
"""Compare `bmcwatch sel list --json` with `ipmitool sel elist` (TZ=UTC)
and `ipmi-sel --comma-separated-output --output-event-state -v
--no-header-output` taken on the same sim.  Prints one ok / not ok line
per record and peer: record ID, timestamp, sensor name, direction, event
text (the peers' words must be found in ours, or ours in theirs, after
normalising case, " - " and spaces), threshold reading and threshold
values, OEM bytes.

    sel_compare.py OURS.json IPMITOOL.txt FREEIPMI.csv
"""
import json
import re
import sys
from datetime import datetime, timezone

results = []


def check(desc, cond, detail=""):
    results.append((bool(cond), desc, detail))


def norm(s):
    s = s.lower().replace(" - ", " ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


# where FreeIPMI words an offset differently from the spec / ipmitool
ALIASES = {
    "power supply ac lost": "power supply input lost ac dc",
}


def words_match(ours, theirs):
    a, b = norm(ours), norm(theirs)
    a2 = ALIASES.get(a, a)
    return a and b and (b in a or a in b or b in a2 or a2 in b)


def main():
    ours = json.load(open(sys.argv[1]))["entries"]
    by_id = {e["record_id"]: e for e in ours}

    # ipmitool sel elist
    it = {}
    for line in open(sys.argv[2]):
        f = [x.strip() for x in line.split("|")]
        if len(f) < 2:
            continue
        try:
            rid = int(f[0], 16)
        except ValueError:
            continue
        it[rid] = f
    # ipmi-sel CSV: id,date,time,name,type,state,direction,event
    fi = {}
    for line in open(sys.argv[3]):
        f = line.rstrip("\n").split(",", 7)
        if len(f) < 8 or not f[0].isdigit():
            continue
        fi[int(f[0])] = f

    check("same record IDs as ipmitool", sorted(it) == sorted(by_id),
          "%s vs %s" % (sorted(it), sorted(by_id)))
    check("same record IDs as ipmi-sel", sorted(fi) == sorted(by_id),
          "%s vs %s" % (sorted(fi), sorted(by_id)))

    for rid in sorted(by_id):
        e = by_id[rid]
        tag = "record %d (%s)" % (rid, e["event"][:40])
        t = it.get(rid)
        f = fi.get(rid)
        if t is None or f is None:
            check(tag + ": in both peers", False)
            continue
        if e["type"] == "oem" and t[1].startswith("Linux kernel panic: "):
            # ipmitool decodes F0h panic records too
            check(tag + ": panic text = ipmitool",
                  e["kernel_panic"] and t[1][20:] in e["event"],
                  "%r vs %r" % (t[1], e["event"]))
            check(tag + ": timestamp null", e["timestamp"] is None)
            continue
        if e["type"] == "oem":
            # ipmitool: "OEM record e0 | 0102..."
            check(tag + ": ipmitool OEM bytes", t[2].lower() == e["raw"][6:],
                  "%s vs %s" % (t[2], e["raw"][6:]))
            check(tag + ": ipmi-sel has no time", f[1] == "N/A")
            check(tag + ": timestamp null", e["timestamp"] is None)
            continue
        # timestamps: ipmitool mm/dd/yy HH:MM:SS UTC, ipmi-sel Mon-dd-yyyy
        ts = datetime.strptime(e["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        itts = datetime.strptime(t[1] + " " + t[2].replace(" UTC", ""),
                                 "%m/%d/%y %H:%M:%S")
        fits = datetime.strptime(f[1] + " " + f[2], "%b-%d-%Y %H:%M:%S")
        check(tag + ": timestamp = ipmitool", ts == itts, "%s vs %s" % (ts, itts))
        check(tag + ": timestamp = ipmi-sel", ts == fits, "%s vs %s" % (ts, fits))
        if e["type"] == "oem-timestamped":
            check(tag + ": ipmitool OEM bytes", t[5].lower() == e["raw"][20:],
                  "%s vs %s" % (t[5], e["raw"][20:]))
            man = int(t[4], 16)
            check(tag + ": manufacturer", man == e["manufacturer_id"])
            continue
        # sensor name: ipmi-sel's Name column; ipmitool "Type Name"
        if f[3] not in ("N/A",) and not f[3].startswith("Sensor #"):
            check(tag + ": sensor name = ipmi-sel", e["sensor"] == f[3],
                  "%r vs %r" % (e["sensor"], f[3]))
            check(tag + ": sensor name in ipmitool's", e["sensor"] is not None
                  and t[3].endswith(e["sensor"]), "%r vs %r" % (e["sensor"], t[3]))
        else:
            check(tag + ": no sensor name", e["sensor"] is None)
        # direction
        itdir = t[5].lower() if len(t) > 5 else ""
        check(tag + ": direction = ipmitool", itdir == e["direction"],
              "%r vs %r" % (itdir, e["direction"]))
        fidir = {"Assertion Event": "asserted",
                 "Deassertion Event": "deasserted"}.get(f[6])
        check(tag + ": direction = ipmi-sel", fidir == e["direction"],
              "%r vs %r" % (fidir, e["direction"]))
        # event words: the offset text is the part before the first ';'
        mine = e["event"].split(";")[0]
        check(tag + ": event = ipmitool", words_match(mine, t[4]),
              "%r vs %r" % (mine, t[4]))
        check(tag + ": event = ipmi-sel",
              words_match(mine, f[7].split(";")[0]),
              "%r vs %r" % (mine, f[7]))
        # threshold data: "Reading 96 > Threshold 85 degrees C"
        if e["event_type"] == 1 and len(t) > 6:
            m = re.search(r"Reading ([-0-9.]+) [<>] Threshold ([-0-9.]+)", t[6])
            if m:
                check(tag + ": reading = ipmitool",
                      abs(float(m.group(1)) - e.get("reading", 1e9)) < 0.01)
                check(tag + ": threshold = ipmitool",
                      abs(float(m.group(2)) - e.get("threshold", 1e9)) < 0.01)
            m = re.search(r"Sensor Reading = ([-0-9.]+).*Threshold = ([-0-9.]+)", f[7])
            if m:
                check(tag + ": reading = ipmi-sel",
                      abs(float(m.group(1)) - e.get("reading", 1e9)) < 0.01)
                check(tag + ": threshold = ipmi-sel",
                      abs(float(m.group(2)) - e.get("threshold", 1e9)) < 0.01)
        # watchdog 2 event data 2: ipmi-sel spells it out
        if e["sensor_type"] == 0x23 and "Timer use" in f[7]:
            m = re.search(r"Timer use at expiration = ([^;]+)", f[7])
            check(tag + ": watchdog timer use = ipmi-sel",
                  m and norm(m.group(1)) in norm(e["event"]),
                  "%r vs %r" % (f[7], e["event"]))
            m = re.search(r"Interrupt type = ([^;]+)", f[7])
            check(tag + ": watchdog interrupt = ipmi-sel",
                  m and norm(m.group(1)) in norm(e["event"]),
                  "%r vs %r" % (f[7], e["event"]))

    for good, desc, detail in results:
        print("%s - %s" % ("ok" if good else "not ok", desc))
        if not good and detail:
            print("#   " + detail)
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Compare the event words of every offset of IPMI v2.0 tables 42-2 and
42-3 between `bmcwatch sel list --json`, `ipmitool sel elist` and
`ipmi-sel --comma-separated-output -v`, taken from one sim whose SEL
holds one entry per (event/reading type, sensor type, offset): ED1 =
offset, ED2 = ED3 = FFh, the sensor number not in the SDRs.

    evtext_compare.py OURS.json IPMITOOL.txt FREEIPMI.csv

For each entry: the offset is defined (has words) for us exactly when
it is for each peer, and where ipmitool has words they are ours.  The
peers' own gaps and quirks, checked against the spec's table, are listed
below; each one is still checked to be what it is said to be, so a peer
that changes makes the test say so.  Prints ok / not ok lines.
"""
import json
import sys

# (event type, sensor type, offset) -> what ipmitool 1.8.19 prints
IPMITOOL_QUIRKS = {
    # spec: "LAN Leash Lost (system is unplugged from LAN)"
    (0x6f, 0x05, 4): "System unplugged from LAN",
    # ipmitool words these from event data 2, here FFh
    (0x6f, 0x0f, 0): "Unknown Error",
    (0x6f, 0x0f, 1): "Unknown Hang",
    (0x6f, 0x0f, 2): "Unknown Progress",
    # cut short: "FRU latch open", "FRU service request button"
    (0x6f, 0x14, 3): "FRU Latch",
    (0x6f, 0x14, 4): "FRU Service",
    # missing in ipmitool: Correctable Machine Check Error Logging
    # Disabled, Session Audit (2Ah), two Version Change offsets
    (0x6f, 0x10, 6): "",
    (0x6f, 0x2a, 0): "",
    (0x6f, 0x2a, 1): "",
    (0x6f, 0x2a, 2): "",
    (0x6f, 0x2a, 3): "",
    (0x6f, 0x2b, 1): "",
    (0x6f, 0x2b, 7): "",
}
# (event type, sensor type, offset) -> what ipmi-sel 1.6.10 prints
FREEIPMI_QUIRKS = {
    # not in table 42-3 (which has 0Ch Legacy OFF, then 0Eh Unknown)
    (0x6f, 0x22, 0x0d): "Unspecified",
    # table 42-3 (v2.0 errata) has Chip Set 01h Thermal Trip
    (0x6f, 0x19, 1): "Event Offset = 01h",
}


def main():
    ours = json.load(open(sys.argv[1]))["entries"]
    it = {}
    for line in open(sys.argv[2]):
        f = [x.strip() for x in line.split("|")]
        if len(f) >= 5:
            it[int(f[0], 16)] = f[4]
    fi = {}
    for line in open(sys.argv[3]):
        f = line.rstrip("\n").split(",", 7)
        if len(f) == 8 and f[0].isdigit():
            fi[int(f[0])] = f[7].split(" ; ")[0]
    bad = 0
    seen = set()

    def result(good, what, detail=""):
        nonlocal bad
        print("%s - %s" % ("ok" if good else "not ok", what))
        if not good:
            bad += 1
            if detail:
                print("#   " + detail)

    for e in ours:
        if e["type"] != "system":
            continue
        key = (e["event_type"], e["sensor_type"], e["offset"])
        seen.add(key)
        tag = "%02Xh/%02Xh/%02Xh" % key
        words = e["event"].split(";")[0]
        mine = "" if words.startswith("event type ") else words
        t = it.get(e["record_id"])
        f = fi.get(e["record_id"])
        if t is None or f is None:
            result(False, tag + ": listed by both peers")
            continue
        if t == "reserved":     # ipmitool's word for a reserved offset
            t = ""
        if key in IPMITOOL_QUIRKS:
            result(t == IPMITOOL_QUIRKS[key],
                   tag + ": ipmitool's known quirk", "%r" % t)
        else:
            result(t == mine, tag + ": words = ipmitool",
                   "%r vs %r" % (mine, t))
        fdef = not f.startswith("Event Offset =") and f != "reserved"
        if key in FREEIPMI_QUIRKS:
            result(f == FREEIPMI_QUIRKS[key],
                   tag + ": ipmi-sel's known quirk", "%r" % f)
        else:
            result(fdef == (mine != ""), tag + ": defined = ipmi-sel",
                   "%r vs %r" % (mine, f))
    want = {(0x6f, t, o) for t in range(0x2d) for o in range(15)}
    want |= {(e, 0x01, o) for e in range(0x01, 0x0d) for o in range(15)}
    result(want <= seen, "every offset of tables 42-2 and 42-3 listed",
           "missing %s" % sorted(want - seen)[:5])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

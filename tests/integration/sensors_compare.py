#!/usr/bin/env python3
"""Compare `bmcwatch sensors --json` with `ipmitool sensor list` and
`ipmi-sensors --output-sensor-state --comma-separated-output` taken
from the same sim.  Prints TAP-like "ok"/"not ok" lines (one per sensor
and peer) and exits non-zero on any difference.

    sensors_compare.py OURS.json IPMITOOL.txt FREEIPMI.csv [--only NAME]

Nothing is hard-coded from a previous run: the peers' own output is
parsed each time.  Tolerance for readings: half of bmcwatch's printed
resolution plus half of the peer's (ipmitool prints 3 decimals,
FreeIPMI 2).
"""
import json
import sys

FREEIPMI_UNITS = {
    "degrees C": "C", "degrees F": "F", "degrees K": "K", "Volts": "V",
    "Amps": "A", "Watts": "W", "RPM": "RPM", "CFM": "CFM",
}
FREEIPMI_THRESHOLD_STATE = {"ok": "Nominal", "warning": "Nominal",
                            "critical": "Critical",
                            "nonrecoverable": "Critical",
                            "unavailable": "N/A"}
IPMITOOL_STATE = {"ok": "ok", "nc": "warning", "cr": "critical",
                  "nr": "nonrecoverable", "ns": "unavailable",
                  "na": "unavailable"}
FREEIPMI_STATE = {"ok": "Nominal", "warning": "Warning",
                  "critical": "Critical", "nonrecoverable": "Critical",
                  "unavailable": "N/A"}


def decimals(text):
    return len(text.split(".", 1)[1]) if "." in text else 0


def load_ours(path):
    with open(path) as f:
        doc = json.load(f, parse_float=str, parse_int=str)
    out = {}
    for s in doc["sensors"]:
        out[s["name"]] = s
    return out


def load_ipmitool(path):
    out = {}
    with open(path) as f:
        for line in f:
            cols = [c.strip() for c in line.split("|")]
            if len(cols) < 4:
                continue
            out[cols[0]] = {"reading": cols[1], "unit": cols[2],
                            "status": cols[3]}
    return out


def load_freeipmi(path):
    out = {}
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split(",")
            if len(cols) < 6 or not cols[0].strip().isdigit():
                continue
            out[cols[1]] = {"type": cols[2], "state": cols[3],
                            "reading": cols[4], "unit": cols[5],
                            "event": ",".join(cols[6:])}
    return out


def main():
    args = sys.argv[1:]
    only = None
    if "--only" in args:
        i = args.index("--only")
        only = args[i + 1]
        del args[i:i + 2]
    ours = load_ours(args[0])
    ipt = load_ipmitool(args[1])
    fpm = load_freeipmi(args[2])
    bad = 0

    def result(ok, what, detail=""):
        nonlocal bad
        if ok:
            print("ok - %s" % what)
        else:
            bad += 1
            print("not ok - %s" % what)
            if detail:
                print("#   " + detail)

    names = sorted(ours) if only is None else [only]
    if only is None:
        result(set(ours) == set(ipt), "same sensors as ipmitool",
               "ours only %s, ipmitool only %s" % (
                   sorted(set(ours) - set(ipt)), sorted(set(ipt) - set(ours))))
        if fpm:     # an empty file: ipmi-sensors not run
          result(set(ours) == set(fpm), "same sensors as ipmi-sensors",
                 "ours only %s, freeipmi only %s" % (
                     sorted(set(ours) - set(fpm)),
                     sorted(set(fpm) - set(ours))))
    for name in names:
        o = ours.get(name)
        if o is not None:
            o = dict(o)
            for k in ("state_bits", "number"):
                if o.get(k) is not None:
                    o[k] = int(o[k])
        if o is None:
            result(False, "%s: listed by bmcwatch" % name)
            continue
        state = o["state"]
        reading = o["reading"]
        # ipmitool
        p = ipt.get(name)
        if p is not None:
            errs = []
            if reading is not None:
                tol = 0.5 * 10 ** -decimals(reading) + 0.0005 + 1e-9
                try:
                    pv = float(p["reading"])
                except ValueError:
                    pv = None
                if pv is None or abs(float(reading) - pv) > tol:
                    errs.append("reading %s vs %s" % (reading, p["reading"]))
                if o["unit"] != p["unit"]:
                    errs.append("unit %r vs %r" % (o["unit"], p["unit"]))
                if IPMITOOL_STATE.get(p["status"]) != state:
                    errs.append("state %s vs %s" % (state, p["status"]))
            elif o.get("reading_type") == "threshold":
                # a threshold sensor without an analog reading (compact
                # record): ipmitool prints the raw byte in hex, no unit,
                # and its status from the comparison bits
                if not p["reading"].startswith("0x") and \
                        p["reading"] != "na":
                    errs.append("ipmitool has a reading %s %s" %
                                (p["reading"], p["unit"]))
                if IPMITOOL_STATE.get(p["status"]) != state:
                    errs.append("state %s vs %s" % (state, p["status"]))
            else:
                # discrete: ipmitool prints state bytes 3 and 4 as hex
                if p["unit"] != "discrete":
                    errs.append("ipmitool has a reading %s %s" %
                                (p["reading"], p["unit"]))
                elif p["status"].startswith("0x"):
                    v = int(p["status"], 16)
                    bits = (v >> 8) | ((v & 0x7f) << 8)
                    if bits != o.get("state_bits", -1):
                        errs.append("state bits %#x vs ipmitool %s" %
                                    (o.get("state_bits", -1), p["status"]))
            result(not errs, "%s: agrees with ipmitool" % name,
                   "; ".join(errs))
        # FreeIPMI
        p = fpm.get(name)
        if p is not None:
            errs = []
            if o["type"] != p["type"]:
                errs.append("type %r vs %r" % (o["type"], p["type"]))
            if reading is not None:
                tol = 0.5 * 10 ** -decimals(reading) + 0.005 + 1e-9
                try:
                    pv = float(p["reading"])
                except ValueError:
                    pv = None
                if pv is None or abs(float(reading) - pv) > tol:
                    errs.append("reading %s vs %s" % (reading, p["reading"]))
                if FREEIPMI_UNITS.get(o["unit"], o["unit"]) != p["unit"]:
                    errs.append("unit %r vs %r" % (o["unit"], p["unit"]))
            # N/A: FreeIPMI has no interpretation for this sensor.
            # FreeIPMI's default interpret config calls a non-critical
            # threshold state Nominal and has no non-recoverable level.
            thr = reading is not None or \
                o.get("reading_type") == "threshold"
            want = (FREEIPMI_THRESHOLD_STATE if thr
                    else FREEIPMI_STATE)[state]
            if p["state"] != "N/A" and want != p["state"]:
                errs.append("state %s vs %s" % (state, p["state"]))
            result(not errs, "%s: agrees with ipmi-sensors" % name,
                   "; ".join(errs))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check SNMP walks (snmpwalk -On -Oe output) of bmcwatch-snmp against
what the direct CLI (bmcwatch) says about the same simulated BMC.

  snmp_compare.py order WALK
      OIDs strictly increase, and in every table of ours each column
      has the same rows as the first (no holes).
  snmp_compare.py sensors WALK CLI.json CLI.txt TIDX
      every sensor of `bmcwatch --json sensors` is in bmcwSensorTable
      with its name, reading (scaled integer + precision, the text
      reading exactly), unit and state; in entPhysicalTable (name
      exactly, class sensor, in the row of its SDR entity, itself in
      the target's chassis row); analog ones
      in entPhySensorTable with type, scale units, precision and value
      exact (the CLI's text reading), OperStatus ok or unavailable.
One line per failed check on stdout ("FAIL ..."), exit 1 if any.
"""
import json
import re
import sys

MIB = ".1.3.6.1.4.1.8072.9999.623"
SENSOR_ENTRY = MIB + ".1.3.1"
TARGET_ENTRY = MIB + ".1.2.1"
ENT_ENTRY = ".1.3.6.1.2.1.47.1.1.1.1"
ENTS_ENTRY = ".1.3.6.1.2.1.99.1.1.1"
STATES = {"ok": 1, "warning": 2, "critical": 3, "nonrecoverable": 4,
          "unavailable": 5}
ENTS_TYPES = {"degrees C": 8, "Volts": 4, "Amps": 5, "Watts": 6, "RPM": 10,
              "Hz": 7}

fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL " + msg)


def parse_walk(path):
    rows = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r'^(\.[0-9.]+) = (?:([A-Za-z0-9-]+): )?(.*)$', line)
        if not m:
            continue        # continuation of a multi-line string
        oid, typ, val = m.group(1), m.group(2) or "STRING", m.group(3)
        if val.startswith('"') and val.endswith('"') and len(val) >= 2:
            val = val[1:-1].replace('\\"', '"')
        rows.append((oid, typ, val))
    return rows


def oid_key(oid):
    return tuple(int(x) for x in oid.strip(".").split("."))


def check_order(walk):
    prev = None
    for oid, _, _ in walk:
        k = oid_key(oid)
        if prev is not None and k <= prev:
            fail("OID not increasing: %s after %s" %
                 (oid, ".".join(map(str, prev))))
        prev = k
    # columns of each table: same row set as its first column
    tables = {}
    for entry in (TARGET_ENTRY, SENSOR_ENTRY, MIB + ".1.4.1",
                  MIB + ".1.5.1", MIB + ".1.6.1", MIB + ".1.7.1",
                  MIB + ".1.8.1", ENT_ENTRY, ENTS_ENTRY):
        ek = oid_key(entry)
        for oid, _, _ in walk:
            k = oid_key(oid)
            if k[:len(ek)] == ek and len(k) > len(ek) + 1:
                col, idx = k[len(ek)], k[len(ek) + 1:]
                tables.setdefault(entry, {}).setdefault(col, set()).add(idx)
    for entry, cols in tables.items():
        first = min(cols)
        for col, idx in sorted(cols.items()):
            if idx != cols[first]:
                fail("%s: column %d has %d rows, column %d has %d" %
                     (entry, col, len(idx), first, len(cols[first])))
    if not tables:
        fail("no table of ours in the walk")


def val(walk_map, oid):
    return walk_map.get(oid, (None, None))


def check_sensors(walk, cli_json, cli_txt, tidx):
    wm = {oid: (typ, v) for oid, typ, v in walk}
    sensors = json.load(open(cli_json))["sensors"]
    text = {}
    for line in open(cli_txt):
        f = [x.strip() for x in line.split("|")]
        if len(f) >= 4:
            text[f[0]] = f
    chassis = tidx * 4194304 + 255
    t, v = val(wm, "%s.5.%d" % (ENT_ENTRY, chassis))
    if v != "3":
        fail("entPhysicalClass of the chassis row %d: %s" % (chassis, v))
    t, v = val(wm, "%s.7.%d" % (ENT_ENTRY, chassis))
    n_sensor_rows = sum(1 for oid, _, _ in walk
                        if oid.startswith(SENSOR_ENTRY + ".3."))
    if n_sensor_rows != len(sensors):
        fail("bmcwSensorTable has %d rows, the CLI %d sensors" %
             (n_sensor_rows, len(sensors)))
    for s in sensors:
        key = s["owner"] * 1024 + s["lun"] * 256 + s["number"]
        idx = "%d.%d" % (tidx, key)
        ent = tidx * 4194304 + key
        name = s["name"]

        def col(c, entry=SENSOR_ENTRY, index=idx):
            return val(wm, "%s.%d.%s" % (entry, c, index))[1]
        if col(3) != name:
            fail("%s: bmcwSensorName %r" % (name, col(3)))
        if col(19) != str(STATES[s["state"]]):
            fail("%s: bmcwSensorState %s, CLI %s" %
                 (name, col(19), s["state"]))
        unit = s["unit"] if s["unit"] is not None else ""
        if col(18) != unit:
            fail("%s: bmcwSensorUnits %r, CLI %r" % (name, col(18), unit))
        reading = text[name][1] if name in text else None
        analog = s["unit"] is not None
        if analog and s["reading"] is not None:
            dec = len(reading.split(".")[1]) if "." in reading else 0
            scaled = int(reading.replace(".", ""))
            if col(17) != reading:
                fail("%s: bmcwSensorValueText %r, CLI %r" %
                     (name, col(17), reading))
            if col(15) != str(scaled) or col(16) != str(dec):
                fail("%s: bmcwSensorValue %s precision %s, CLI %s" %
                     (name, col(15), col(16), reading))
        elif col(17) != "":
            fail("%s: bmcwSensorValueText %r without a reading" %
                 (name, col(17)))
        if col(35) != str(ent):
            fail("%s: bmcwSensorEntPhysIndex %s, expected %d" %
                 (name, col(35), ent))
        # ENTITY-MIB
        if col(7, ENT_ENTRY, ent) != name:
            fail("%s: entPhysicalName %r" % (name, col(7, ENT_ENTRY, ent)))
        if col(5, ENT_ENTRY, ent) != "8":
            fail("%s: entPhysicalClass %s" % (name, col(5, ENT_ENTRY, ent)))
        # in the row of its SDR entity (a container key: number FFh,
        # owner = entity ID, channel/LUN = instance), or in the chassis
        eid, einst = (int(x) for x in s["entity"].split("."))
        if eid in (0, 0x17) or einst > 63:
            parent = chassis
        else:
            parent = tidx * 4194304 + ((einst >> 2) * 262144 +
                                       eid * 1024 + (einst & 3) * 256 + 255)
            if col(4, ENT_ENTRY, parent) != str(chassis):
                fail("%s: its entity row %d is not in the chassis (%s)" %
                     (name, parent, col(4, ENT_ENTRY, parent)))
            if col(5, ENT_ENTRY, parent) in (None, "3", "8"):
                fail("%s: its entity row %d: class %s" %
                     (name, parent, col(5, ENT_ENTRY, parent)))
            if not (col(7, ENT_ENTRY, parent) or "").endswith(" %d" % einst):
                fail("%s: its entity row %d: name %r" %
                     (name, parent, col(7, ENT_ENTRY, parent)))
        if col(4, ENT_ENTRY, ent) != str(parent):
            fail("%s: entPhysicalContainedIn %s, expected %d" %
                 (name, col(4, ENT_ENTRY, ent), parent))
        # ENTITY-SENSOR-MIB: analog sensors only
        etype = col(1, ENTS_ENTRY, ent)
        if not analog:
            if etype is not None:
                fail("%s: discrete, but in entPhySensorTable" % name)
            continue
        want_type = ENTS_TYPES.get(unit, 1)
        if etype != str(want_type):
            fail("%s: entPhySensorType %s, expected %d (%s)" %
                 (name, etype, want_type, unit))
        if col(2, ENTS_ENTRY, ent) != "9":
            fail("%s: entPhySensorScale %s" % (name, col(2, ENTS_ENTRY, ent)))
        if col(6, ENTS_ENTRY, ent) != unit:
            fail("%s: entPhySensorUnitsDisplay %r" %
                 (name, col(6, ENTS_ENTRY, ent)))
        if s["reading"] is None:
            if col(5, ENTS_ENTRY, ent) != "2":
                fail("%s: no reading, entPhySensorOperStatus %s" %
                     (name, col(5, ENTS_ENTRY, ent)))
            continue
        dec = len(reading.split(".")[1]) if "." in reading else 0
        if col(3, ENTS_ENTRY, ent) != str(dec):
            fail("%s: entPhySensorPrecision %s, CLI %s" %
                 (name, col(3, ENTS_ENTRY, ent), reading))
        if col(4, ENTS_ENTRY, ent) != str(int(reading.replace(".", ""))):
            fail("%s: entPhySensorValue %s, CLI %s" %
                 (name, col(4, ENTS_ENTRY, ent), reading))
        if col(5, ENTS_ENTRY, ent) != "1":
            fail("%s: entPhySensorOperStatus %s" %
                 (name, col(5, ENTS_ENTRY, ent)))
    print("# %d sensors compared" % len(sensors))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "order":
        check_order(parse_walk(sys.argv[2]))
    elif len(sys.argv) == 6 and sys.argv[1] == "sensors":
        check_sensors(parse_walk(sys.argv[2]), sys.argv[3], sys.argv[4],
                      int(sys.argv[5]))
    else:
        print(__doc__)
        sys.exit(2)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()

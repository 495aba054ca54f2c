#!/usr/bin/env python3
"""snmptrapd traphandle for the PET test (tests/integration/311): reads
the trap snmptrapd hands over on stdin (host, address, then "OID VALUE"
lines, -On -Ox: numeric OIDs, strings in hex), and for an IPMI PET trap
(snmpTrapOID.0 = 1.3.6.1.4.1.3183.1.1.0.SPECIFIC) runs FreeIPMI's
ipmi-pet on its specific trap number and variable binding bytes, as a
PET receiver's handler does.  Appends to OUT one JSON line per trap:
the varbinds as received, and ipmi-pet's exit status, output and errors.

    pet_handler.py OUT ARGS-FILE

ARGS-FILE holds ipmi-pet's options, one a line (the test writes it once
the simulated BMC whose SDR ipmi-pet reads is up).
"""
import json
import re
import subprocess
import sys
import time

TRAP_OID = ".1.3.6.1.6.3.1.1.4.1.0"
PET = ".1.3.6.1.4.1.3183.1.1"


def value(v):
    """a value as snmptrapd prints it: (type, text)"""
    v = v.strip()
    m = re.match(r'^([A-Za-z0-9-]+): (.*)$', v)
    if m:
        return m.group(1), m.group(2).strip()
    return "", v


def hexbytes(text):
    text = text.strip('"').strip()
    if not re.fullmatch(r'([0-9A-Fa-f]{2}\s*)*', text):
        return None
    return bytes(int(x, 16) for x in text.split())


def main():
    out = sys.argv[1]
    with open(sys.argv[2]) as f:
        args = [a for a in f.read().splitlines() if a]
    lines = sys.stdin.read().splitlines()
    vbs = {}
    last = None
    for line in lines[2:]:
        parts = line.split(None, 1)
        if line.startswith(".") and len(parts) == 2:
            last = parts[0]
            vbs[last] = parts[1]
        elif last is not None:	# a long hex string goes on
            vbs[last] += " " + line
    rec = {"host": lines[0] if lines else "", "varbinds": vbs}
    _, trap = value(vbs.get(TRAP_OID, ""))
    if trap.startswith(PET + ".0."):
        spec = trap[len(PET) + 3:]
        _, raw = value(vbs.get(PET + ".1", ""))
        b = hexbytes(raw)
        rec["specific"] = spec
        rec["bytes"] = b.hex() if b is not None else None
        if b is not None:
            cmd = ["ipmi-pet"] + args + [spec] + ["0x%02x" % x for x in b]
            t0 = time.monotonic()
            p = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=60)
            rec["seconds"] = round(time.monotonic() - t0, 2)
            rec["rc"] = p.returncode
            rec["out"] = p.stdout
            rec["err"] = p.stderr
    with open(out, "a") as f:
        f.write(json.dumps(rec) + "\n")


main()

#!/bin/bash
# IPMI PET traps (snmp-pet-traps) through a real snmpd to a real
# snmptrapd, decoded by FreeIPMI's ipmi-pet as a PET receiver would:
#   - off by default: a new SEL entry gives bmcwSelEntryAdded and no PET
#     trap;
#   - with "snmp-pet-traps yes" (SIGHUP), each new system event record
#     (CPU1 Temp driven past its non-recoverable threshold and back)
#     gives one SNMPv1 trap from enterprise 1.3.6.1.4.1.3183.1.1 as
#     snmpd's trapsink sends it (RFC 3584: enterprise, specific trap);
#     snmptrapd's traphandle runs ipmi-pet on its specific trap number
#     and 47-byte variable binding (tests/snmp/pet_handler.py), and what
#     ipmi-pet decodes (time, sensor name and type, event, direction,
#     severity, state) agrees with `bmcwatch sel list` and `ipmitool sel
#     list` for the record of the same ID; the GUID, manufacturer and
#     product are the BMC's (ipmitool mc guid, mc info).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

command -v ipmi-pet >/dev/null || skip_all "ipmi-pet (freeipmi-tools) not installed"
export TZ=UTC
MIB=.1.3.6.1.4.1.8072.9999.623
PET=.1.3.6.1.4.1.3183.1.1
KEY=$((32 * 1024 + 2))		# CPU2 Temp: owner 20h, LUN 0, number 2
SNMPD_SINK=trapsink		# SNMPv1, as PET receivers take them
TRAPD_AUTH=log,execute
TRAPD_OPTS=-Ox
TRAPD_FORMAT="TRAP %V| %v| pdu %P enterprise %N generic %w specific %q\n"
TRAPD_EXTRA="traphandle default python3 $TESTS_DIR/snmp/pet_handler.py @DIR@/pet.json @DIR@/pet.args"
snmp_bed traps a
: >"$S/pet.json"
sim_use a
sim_freeipmi_args | tr ' ' '\n' >"$S/pet.args"
printf '%s\n' --quiet-cache --comma-separated-output \
    --output-event-severity --output-event-state -v >>"$S/pet.args"
d_target a "$SIMPORT_a" "sensor-interval 1  sel-interval 1
	chassis-interval 5  timeout 0.5  retries 1" >"$W/target.conf"
cat "$W/target.conf" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
state() { [ "$(sval "$MIB.1.3.1.19.1.$KEY" 2>/dev/null)" = "$1" ]; }
check "CPU2 Temp served, ok" wait_for 20 state 1

# the SNMPv1 traps snmptrapd received (snmpd's trapsink), by enterprise
# and specific trap number
v1() {
	grep -c "pdu TRAP, SNMP v1, community public enterprise $1 generic 6 specific \.$2\$" \
	    "$S/traps.log"
}
sel_added() { v1 "$MIB" 2; }
pets() { v1 "$PET" "[0-9]*"; }
# the entries the daemon has read (its socket: no traffic to the sim)
sel_count() {
	d_ask --json sel list 2>/dev/null |
	    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))'
}
# at least N notified / PET traps decoded (the sim logs two entries per
# crossing: upper non-critical and critical); which entries exactly is
# checked against the SEL lists below
at_least() { [ "$("$1")" -ge "$2" ]; }
decoded() {
	[ "$(pets)" -ge "$1" ] &&
	    [ "$(grep -c '"rc"' "$S/pet.json")" = "$(pets)" ]
}

# 1. off by default: every entry gives bmcwSelEntryAdded, none a PET trap
sim_use a
sim_set_value 0x02 97 1 >/dev/null	# past upper non-critical, critical
check "bmcwSelEntryAdded arrived (PET traps off)" wait_for 20 at_least sel_added 2
n0=$(sel_count)
check_eq "  one for each entry the daemon read" "$(sel_added)" "$n0"
check_eq "no PET trap without snmp-pet-traps" "$(pets)" 0
check_eq "  and the handler ran for none" "$(grep -c specific "$S/pet.json")" 0

# 2. on: SIGHUP restarts the subagent with -P (its watch stream asks for
# PET traps); wait until it serves again before the next SEL entries
snmp_dconf "snmp-pet-traps yes"
cat "$W/target.conf" >>"$W/d.conf"
kill -HUP "$DPID"
check "the subagent's stream asks for PET traps" \
    wait_for 20 grep -q "watch stream to pid [0-9]* (with PET traps)" "$W/d.log"
check "the subagent serves again" wait_for 20 state 3
# CPU1 Temp past upper non-critical, critical and non-recoverable (100)
sim_set_value 0x01 101 1 >/dev/null
check "SNMPv1 PET traps (enterprise $PET, generic 6) arrived,
#   each decoded by ipmi-pet in snmptrapd's traphandle" wait_for 30 decoded 3
sim_set_value 0x01 48 1 >/dev/null	# deassertions: severity OK
check "  and for the deassertions" wait_for 30 decoded 6
check "  with snmpTrapEnterprise.0 = $PET (RFC 3584)" \
    grep -q "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.3\.0 = OID: $PET| pdu TRAP, SNMP v1" "$S/traps.log"

# 3. what ipmi-pet decoded against bmcwatch's and ipmitool's SEL list,
# record by record (the PET sequence number is the record ID)
bw --json sel list >"$W/sel.json" || not_ok "bmcwatch sel list"
sim_ipmitool sel list >"$W/sel.ipmitool" || not_ok "ipmitool sel list"
sim_ipmitool raw 0x06 0x37 >"$W/guid.raw" || not_ok "ipmitool raw Get System GUID"
sim_ipmitool mc info >"$W/mc.info" || not_ok "ipmitool mc info"
python3 - "$S/pet.json" "$W/sel.json" "$W/sel.ipmitool" "$W/guid.raw" \
    "$W/mc.info" "$n0" <<'PY'
import csv, io, json, re, sys, time, calendar
pets = [json.loads(l) for l in open(sys.argv[1]) if '"rc"' in l]
sel = {e["record_id"]: e for e in json.load(open(sys.argv[2]))["entries"]}
ipt = {}
for line in open(sys.argv[3]):
    f = [x.strip() for x in line.split("|")]
    if len(f) >= 6:
        ipt[int(f[0], 16)] = f
guid = bytes(int(x, 16) for x in open(sys.argv[4]).read().split())
mc = open(sys.argv[5]).read()
mfg = int(re.search(r"Manufacturer ID\s*:\s*(\d+)", mc).group(1))
prod = int(re.search(r"Product ID\s*:\s*(\d+)", mc).group(1))
n0 = int(sys.argv[6])
fails = []
def want(what, got, exp):
    if got != exp:
        fails.append("%s: %r, expected %r" % (what, got, exp))
seen = []
sevs = set()
sev_words = {"info": "Information", "warning": "Non-critical condition",
             "critical": "Critical condition"}
state_words = {"info": "Nominal", "warning": "Warning", "critical": "Critical"}
for p in pets:
    b = bytes.fromhex(p["bytes"])
    spec = int(p["specific"])
    want("varbind length", len(b), 47)
    rid = b[16] << 8 | b[17]
    seen.append(rid)
    e, t = sel.get(rid), ipt.get(rid)
    tag = "record %d: " % rid
    if e is None or t is None or p["rc"] != 0:
        fails.append(tag + "not in both SEL lists, or ipmi-pet failed: %r"
                     % p.get("err"))
        continue
    rows = list(csv.DictReader(io.StringIO(p["out"])))
    if len(rows) != 1:
        fails.append(tag + "ipmi-pet said %r" % p["out"])
        continue
    r = rows[0]
    # the specific trap: sensor type, event type, direction, offset
    want(tag + "specific trap", spec, e["sensor_type"] << 16 |
         e["event_type"] << 8 | (0x80 if e["direction"] == "deasserted"
                                 else 0) | e["offset"])
    # time: PET's 1998 epoch, as ipmi-pet prints it, = both lists'
    ts = calendar.timegm(time.strptime(e["timestamp"], "%Y-%m-%dT%H:%M:%SZ"))
    want(tag + "PET timestamp", int.from_bytes(b[18:22], "big") + 883612800, ts)
    want(tag + "ipmi-pet date/time",
         calendar.timegm(time.strptime(r["Date"] + " " + r["Time"],
                                       "%b-%d-%Y %H:%M:%S")), ts)
    want(tag + "ipmitool date/time", calendar.timegm(time.strptime(
        t[1] + " " + t[2].replace(" UTC", ""), "%m/%d/%y %H:%M:%S")), ts)
    # the sensor: its number and type, and its name through the SDR
    want(tag + "sensor number", b[28], e["sensor_number"])
    want(tag + "ipmitool's sensor", t[3], "%s #0x%02x" %
         (e["sensor_type_name"], e["sensor_number"]))
    want(tag + "ipmi-pet sensor name", r["Name"], e["sensor"])
    want(tag + "ipmi-pet sensor type", r["Type"], e["sensor_type_name"])
    want(tag + "sensor device", b[27], e["generator_id"] & 0xff)
    # the event, its direction, its data
    ev = r["Event"].split(" | ")[0].replace(" - ", " ")
    want(tag + "ipmi-pet event", ev, t[4])
    want(tag + "bmcwatch event", e["event"].split(";")[0], t[4])
    if e.get("reading") is not None:
        want(tag + "ipmi-pet reading", "Sensor Reading = %.2f" % e["reading"]
             in r["Event"], True)
    want(tag + "event data", b[31:34].hex(), e["event_data"])
    want(tag + "ipmi-pet direction", r["Event Direction"],
         {"asserted": "Assertion Event",
          "deasserted": "Deassertion Event"}[e["direction"]])
    want(tag + "ipmitool direction", t[5], e["direction"].capitalize())
    # severity (PET byte 26) and ipmi-pet's own reading of the state
    sev = sev_words[e["severity"]]
    if e["direction"] == "deasserted":
        sev = "Ok"
    elif e["event_type"] == 1 and e["offset"] in (4, 5, 10, 11):
        sev = "Non-recoverable condition"
    want(tag + "ipmi-pet severity", r["Severity"], sev)
    sevs.add(sev)
    # ipmi-pet's own reading of the event (freeipmi_interpret_sel.conf):
    # it rates an assertion as bmcwatch does; a deassertion it may rate
    # otherwise (the end of "Upper Critical going high" is Warning there)
    if e["direction"] == "asserted":
        want(tag + "ipmi-pet state", r["State"], state_words[e["severity"]])
    # the system: GUID as Get System GUID answers, manufacturer, product
    want(tag + "GUID", b[0:16], guid)
    want(tag + "manufacturer", int.from_bytes(b[40:44], "big"), mfg)
    want(tag + "system ID", int.from_bytes(b[44:46], "big"), prod)
    want(tag + "OEM fields end", b[46], 0xc1)
    print("# record %d: %s,%s %s %s: %s %s %s/%s" % (rid, r["Date"],
          r["Time"], r["Name"], r["Type"], r["Event"], r["Event Direction"],
          r["Severity"], r["State"]))
want("severities seen", sorted(sevs), sorted(["Non-critical condition",
     "Critical condition", "Non-recoverable condition", "Ok"]))
want("PET traps for exactly the new entries", sorted(seen),
     [i for i in sorted(sel) if i > n0])
for f in fails:
    print("# " + f)
sys.exit(1 if fails else 0)
PY
check "ipmi-pet's decoding = bmcwatch sel list = ipmitool sel list, per record" \
    test $? = 0
d_stop
check "no sanitizer report" d_san_clean
finish

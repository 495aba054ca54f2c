#!/bin/bash
# Notifications of bmcwatch-snmp through a real snmpd's trap2sink to a
# real snmptrapd, the daemon on the simulated BMC:
#   - a sensor driven across its upper critical threshold at run time
#     (sensor_set_value on the sim) turns critical in bmcwSensorTable
#     and in entPhySensorValue, and bmcwSensorStateChange arrives with
#     the target's and the sensor's name, the new and the old state, the
#     reading and the change counter; back below: ok again, a second
#     notification;
#   - the SEL entry the sim logs for it delivers bmcwSelEntryAdded with
#     the entry's text;
#   - a power off (ipmitool, straight to the sim) delivers
#     bmcwChassisPowerChange, and bmcwChassisPowerChanges counts it;
#   - the counters readable afterwards agree (bmcwTargetStateChanges,
#     bmcwSensorStateChanges, bmcwNotificationsSent).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
KEY=$((32 * 1024 + 2))		# CPU2 Temp: owner 20h, LUN 0, number 2
ENT=$((4194304 + KEY))
snmp_bed traps a
d_target a "$SIMPORT_a" "sensor-interval 1  sel-interval 1
	chassis-interval 1  timeout 0.5  retries 1" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
state() { [ "$(sval "$MIB.1.3.1.19.1.$KEY" 2>/dev/null)" = "$1" ]; }
check "CPU2 Temp served, ok" wait_for 20 state 1
# a trap is in snmptrapd's log: NOTIFICATION and a pattern in its line
trapped() {
	grep "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MIB\.0\.$1[^0-9]" \
	    "$S/traps.log" | grep -c -- "$2" | grep -qx "${3:-1}"
}

sim_set_value 0x02 97 1 >/dev/null	# past upper critical (95)
check "CPU2 Temp critical in the walk" wait_for 15 state 3
check_eq "entPhySensorValue = 97" "$(sval ".1.3.6.1.2.1.99.1.1.1.4.$ENT")" 97
check "bmcwSensorStateChange arrived" wait_for 10 trapped 1 "CPU2 Temp"
grep "OID: $MIB\.0\.1[^0-9]" "$S/traps.log" >"$W/trap1"
check "  with bmcwTargetName a" grep -q "$MIB\.1\.2\.1\.2\.1 = STRING: \"a\"" "$W/trap1"
check "  with state critical(3), was ok(1)" \
    grep -q "$MIB\.1\.3\.1\.19\.1\.$KEY = INTEGER: 3.*$MIB\.1\.3\.1\.20\.1\.$KEY = INTEGER: 1" "$W/trap1"
check "  with the reading 97, precision 0, unit" \
    grep -q "$MIB\.1\.3\.1\.15\.1\.$KEY = INTEGER: 97.*$MIB\.1\.3\.1\.16\.1\.$KEY = INTEGER: 0.*STRING: \"degrees C\"" "$W/trap1"
check "  with bmcwSensorStateChanges 1" \
    grep -q "$MIB\.1\.3\.1\.32\.1\.$KEY = Counter32: 1" "$W/trap1"
check "bmcwSelEntryAdded arrived (Upper Critical going high)" \
    wait_for 10 trapped 2 "Upper Critical"
check "  with the sensor's name" \
    grep -q "$MIB\.1\.5\.1\.10\.1\.[0-9]* = STRING: \"CPU2 Temp\"" "$S/traps.log"
check "  with bmcwSelNotifySuppressed" \
    grep -q "$MIB\.1\.4\.1\.20\.1 = Counter32: 0" "$S/traps.log"

# bmcwSelEntryTable and bmcwSelProblemTable against the direct CLI's
# sel list (the same entries; open problems paired by the same rule)
sel_same() {
	bw --json sel list >"$W/sel.json" 2>/dev/null || return 1
	swalk "$MIB.1.5.1" >"$W/selwalk" 2>/dev/null
	swalk "$MIB.1.6.1" >>"$W/selwalk" 2>/dev/null
	python3 - "$W/sel.json" "$W/selwalk" "$MIB" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))["entries"]
mib = sys.argv[3]
col = {}
for line in open(sys.argv[2]):
    m = re.match(r'^(\S+) = (?:\S+: )?(.*)$', line.strip())
    if m:
        col[m.group(1)] = m.group(2).strip('"')
def column(tab, c):
    p = "%s.1.%d.1.%d.1." % (mib, tab, c)
    return [v for k, v in sorted(col.items(),
            key=lambda kv: [int(x) for x in kv[0].strip(".").split(".")])
            if k.startswith(p)]
ids = [str(e["record_id"]) for e in d]
texts = [e["event"] for e in d]
opens = [e["event"] for e in d if e.get("open")]
ok = (column(5, 2) == ids and column(5, 15) == texts and
      column(6, 6) == opens and len(ids) > 0)
if not ok:
    print("# sel list:", ids, opens)
    print("# walk:    ", column(5, 2), column(6, 6))
sys.exit(0 if ok else 1)
PY
}
check "bmcwSelEntryTable = bmcwatch sel list (IDs, texts, in order);" \
    wait_for 10 sel_same
check "  bmcwSelProblemTable = its open problems (one at least)" \
    grep -q "$MIB\.1\.6\.1\.6\.1\.[0-9]* = STRING: .*Upper Critical" "$W/selwalk"

sim_set_value 0x02 48 1 >/dev/null	# back
check "CPU2 Temp ok again" wait_for 15 state 1
check "a second bmcwSensorStateChange (ok, was critical)" \
    wait_for 10 trapped 1 "$MIB\.1\.3\.1\.19\.1\.$KEY = INTEGER: 1.*$MIB\.1\.3\.1\.20\.1\.$KEY = INTEGER: 3"
check_eq "bmcwSensorStateChanges = 2" "$(sval "$MIB.1.3.1.32.1.$KEY")" 2
check_eq "bmcwTargetStateChanges = 2" "$(sval "$MIB.1.2.1.28.1")" 2
check_eq "bmcwSensorPrevState: critical" "$(sval "$MIB.1.3.1.20.1.$KEY")" 3

sim_ipmitool chassis power off >/dev/null
check "bmcwChassisPowerChange arrived (power off)" \
    wait_for 10 trapped 6 "$MIB\.1\.7\.1\.1\.1 = INTEGER: 2"
check_eq "bmcwChassisPower.1 off" "$(sval "$MIB.1.7.1.1.1")" 2
check_eq "bmcwChassisPowerChanges.1 = 1" "$(sval "$MIB.1.7.1.22.1")" 1
n=$(grep -c "OID: $MIB\.0\." "$S/traps.log")
check_eq "bmcwNotificationsSent = the notifications received" \
    "$(sval "$MIB.1.1.7.0")" "$n"
d_stop
check "no sanitizer report" d_san_clean
finish

#!/bin/bash
# bmcwatch chassis against the sim: status fields equal `ipmitool chassis
# status` with power on and off, power control over lanplus changes the
# sim's power state (tests/sim/chassis.sh keeps it in chassis.power),
# control is refused below the operator privilege, identify, restart
# cause / POH (C1h: "not supported"), boot device and the JSON forms.
. "$(dirname "$0")/lib.sh"

sim_start || { echo "not ok - sim_start"; exit 1; }
trap sim_stop EXIT
T=$SIM_RUNDIR/t500
mkdir -p "$T"

# compare_status LABEL: every line ipmitool prints, bmcwatch prints alike;
# the JSON carries the same values
compare_status() {
	sim_ipmitool chassis status >"$T/ipmi.txt" 2>&1
	bw chassis status >"$T/bw.txt" 2>"$T/bw.err"
	check_eq "$1: chassis status exits 0" "$?" 0
	if diff "$T/ipmi.txt" "$T/bw.txt" >"$T/diff" 2>&1; then
		ok "$1: chassis status text equals ipmitool ($(wc -l <"$T/bw.txt") lines)"
	else
		not_ok "$1: chassis status text equals ipmitool"
		sed 's/^/#   /' "$T/diff"
	fi
	bw chassis status --json >"$T/bw.json" 2>"$T/bw.err"
	if msg=$(python3 - "$T/bw.json" "$T/ipmi.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ref = {}
for line in open(sys.argv[2]):
    if ":" in line:
        k, v = line.split(":", 1)
        ref[k.strip()] = v.strip()
def b(v):
    return {"true": True, "false": False, "active": True,
            "inactive": False}[v]
want = {
    "system_power": ref["System Power"],
    "power_overload": b(ref["Power Overload"]),
    "power_interlock": b(ref["Power Interlock"]),
    "main_power_fault": b(ref["Main Power Fault"]),
    "power_control_fault": b(ref["Power Control Fault"]),
    "power_restore_policy": ref["Power Restore Policy"],
    "last_power_event": ref["Last Power Event"].split(),
    "chassis_intrusion": b(ref["Chassis Intrusion"]),
    "front_panel_lockout": b(ref["Front-Panel Lockout"]),
    "drive_fault": b(ref["Drive Fault"]),
    "cooling_fan_fault": b(ref["Cooling/Fan Fault"]),
}
bad = ["%s: %r != ipmitool %r" % (k, d.get(k), v)
       for k, v in want.items() if d.get(k) != v]
if "Front Panel Control" in ref or "Sleep Button Disable" in ref:
    if d.get("front_panel") is None:
        bad.append("front_panel missing")
elif d.get("front_panel") is not None:
    bad.append("front_panel present but ipmitool shows none")
if bad:
    sys.exit("; ".join(bad))
print("%d fields" % len(want))
PY
	); then
		ok "$1: chassis status --json equals ipmitool ($msg)"
	else
		not_ok "$1: chassis status --json equals ipmitool: $msg"
	fi
}

# --- power on (the sim starts on) -----------------------------------
check_eq "sim starts powered on" "$(sim_chassis_power)" 1
compare_status "power on"
out=$(bw chassis power status)
check_eq "power status (on)" "$out" "Chassis Power is on"

# --- power off through bmcwatch --------------------------------------
out=$(bw chassis power off 2>&1)
check_eq "chassis power off exits 0" "$?" 0
check_eq "chassis power off output" "$out" "Chassis Power Control: Down/Off"
check_eq "sim power state after off" "$(sim_chassis_power)" 0
check_eq "ipmitool sees power off" \
    "$(sim_ipmitool chassis power status 2>&1)" "Chassis Power is off"
compare_status "power off"
check_eq "power status (off)" "$(bw chassis power status)" \
    "Chassis Power is off"

# --- power on, as the operator account --------------------------------
out=$(bw_as operator -L operator chassis power on 2>&1)
check_eq "operator: chassis power on exits 0" "$?" 0
check_eq "sim power state after on" "$(sim_chassis_power)" 1
compare_status "power on again"

# --- the other actions ------------------------------------------------
n0=$(wc -l <"$SIM_RUNDIR/chassis.log")
bw chassis power cycle >/dev/null 2>&1
check_eq "power cycle exits 0" "$?" 0
check "power cycle reached the sim's chassis program" \
    [ "$(wc -l <"$SIM_RUNDIR/chassis.log")" -gt "$n0" ]
bw chassis power on >/dev/null 2>&1
bw chassis power reset >/dev/null 2>&1
check_eq "power reset exits 0" "$?" 0
check_eq "sim counted one reset" "$(cat "$SIM_RUNDIR/chassis.resets" 2>/dev/null)" 1
bw chassis power soft >/dev/null 2>&1
check_eq "power soft exits 0" "$?" 0
check "soft shutdown reached the sim" grep -q '^set shutdown 1$' "$SIM_RUNDIR/chassis.log"
check_eq "sim power state after soft" "$(sim_chassis_power)" 0
bw chassis power on >/dev/null 2>&1
# the sim refuses the diagnostic interrupt with CCh: exit 1, named
out=$(bw chassis power diag 2>&1)
rc=$?
check_eq "power diag refused by the sim: exit 1" "$rc" 1
check "power diag error names the completion code" \
    grep -q 'completion code CCh: Invalid data field in request' <<<"$out"
bw chassis power bogus >/dev/null 2>&1
check_eq "unknown power action: exit 2" "$?" 2
bw chassis power on --json >"$T/p.json" 2>&1
check_eq "power on --json" "$(json_get "$T/p.json" 'd["chassis_power_control"]')" on

# --- privilege: a user-level session is refused before sending ---------
n0=$(wc -l <"$SIM_RUNDIR/chassis.log")
out=$(bw_as user -L user chassis power off 2>&1)
rc=$?
check_eq "user session: chassis power off exits 2" "$rc" 2
check "user session: message names the operator privilege" \
    grep -q 'needs the operator privilege.*user level' <<<"$out"
check_eq "user session: nothing reached the sim" \
    "$(wc -l <"$SIM_RUNDIR/chassis.log")" "$n0"
check_eq "user session: power unchanged" "$(sim_chassis_power)" 1
out=$(bw_as user -L user chassis identify 5 2>&1)
check_eq "user session: identify exits 2" "$?" 2
# the BMC agrees: it answers D4h to the same request at user level
out=$(bw_as user -L user raw 0 2 0 2>&1)
check "sim answers D4h to Chassis Control at user level" \
    grep -q 'completion code D4h' <<<"$out"
# reading status needs only user
bw_as user -L user chassis status >/dev/null 2>&1
check_eq "user session: chassis status allowed" "$?" 0

# --- identify -----------------------------------------------------------
bw chassis identify 7 >"$T/id.txt" 2>&1
check_eq "identify 7 exits 0" "$?" 0
check_eq "identify 7 output" "$(cat "$T/id.txt")" \
    "Chassis identify interval: 7 seconds"
check_eq "sim got identify 7" "$(tail -1 "$SIM_RUNDIR/chassis.log")" \
    "set identify 7 0"
bw chassis identify force >/dev/null 2>&1
check_eq "sim got forced identify" "$(tail -1 "$SIM_RUNDIR/chassis.log")" \
    "set identify 0 1"
bw chassis identify off >/dev/null 2>&1
check_eq "sim got identify off" "$(tail -1 "$SIM_RUNDIR/chassis.log")" \
    "set identify 0 0"
bw chassis identify 300 >/dev/null 2>&1
check_eq "identify 300: exit 2" "$?" 2

# --- optional commands: the sim answers C1h ----------------------------
sim_ipmitool chassis restart_cause >"$T/rc.txt" 2>&1
out=$(bw chassis restart-cause 2>&1)
rc=$?
if grep -q 'Invalid command' "$T/rc.txt"; then
	check_eq "restart-cause on a C1h BMC: exit 0" "$rc" 0
	check_eq "restart-cause: not supported" "$out" \
	    "System restart cause: not supported"
else
	check_eq "restart-cause equals ipmitool" "$out" "$(cat "$T/rc.txt")"
fi
out=$(bw chassis poh 2>&1)
check_eq "poh exits 0" "$?" 0
if sim_ipmitool chassis poh >"$T/poh.txt" 2>&1; then
	check_eq "poh equals ipmitool" "$out" "$(cat "$T/poh.txt")"
else
	check_eq "poh: not supported" "$out" "POH Counter: not supported"
fi
bw chassis poh --json >"$T/poh.json"
check_eq "poh --json supported flag" \
    "$(json_get "$T/poh.json" 'd["supported"]')" \
    "$(grep -q 'POH Counter  :' "$T/poh.txt" && echo True || echo False)"

# --- boot device --------------------------------------------------------
sim_ipmitool chassis bootparam get 5 >"$T/boot.txt" 2>&1
want=$(sed -n 's/.*Boot Device Selector : //p' "$T/boot.txt")
got=$(bw chassis bootdev | sed -n 's/^Boot Device Selector : //p')
check_eq "bootdev equals ipmitool bootparam get 5" "$got" "$want"
bw chassis bootdev --json >"$T/boot.json"
check_eq "bootdev --json valid flag" \
    "$(json_get "$T/boot.json" 'd["valid"]')" \
    "$(grep -q 'Boot Flag Invalid' "$T/boot.txt" && echo False || echo True)"

# --- the same over IPMI 1.5 LAN ------------------------------------------
bw15() {
	_u=$1
	shift
	"$BMCWATCH" -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U "$_u" \
	    -f "$(sim_pwfile "$_u")" "$@"
}
check_eq "IPMI 1.5: chassis status equals ipmitool" \
    "$(bw15 admin chassis status 2>&1)" "$(sim_ipmitool chassis status 2>&1)"
bw15 operator -L operator chassis power off >/dev/null 2>&1
check_eq "IPMI 1.5: operator powers off: exit 0" "$?" 0
check_eq "IPMI 1.5: sim power state after off" "$(sim_chassis_power)" 0
bw15 user -L user chassis power on >/dev/null 2>&1
check_eq "IPMI 1.5: user session refused: exit 2" "$?" 2
check_eq "IPMI 1.5: power still off" "$(sim_chassis_power)" 0

# the BMC enforces it too: the same Chassis Control sent raw from a
# user-level session comes back D4h, named, exit 1, and nothing happens
bw_as user -L user raw 0 2 1 >/dev/null 2>"$SIM_RUNDIR/d4.err"
check_eq "raw Chassis Control at user level: exit 1" "$?" 1
check "raw Chassis Control at user level: D4h named" \
    grep -q 'completion code D4h: Insufficient privilege level' "$SIM_RUNDIR/d4.err"
check_eq "raw Chassis Control at user level: power unchanged" \
    "$(sim_chassis_power)" 0

bw chassis frobnicate >/dev/null 2>&1
check_eq "unknown chassis subcommand: exit 2" "$?" 2
finish

#!/bin/bash
# bmcwatch sensors against ipmitool sensor list and ipmi-sensors on the
# same sim: for every sensor, name, reading (to the SDR's resolution),
# unit and state agree (issue 3).  The sim config covers a negative B
# (PCH Temp), 2's complement (CPU1 Margin), non-linear sqr(x) (Airflow),
# R exponents (FAN5, P12V, CPU1 Vcore: B exponent too), a threshold
# sensor in a compact record (Board Temp: state from the comparison
# status alone, issue 8) and several discrete types.  Then a few readings are moved across thresholds and
# discrete bits set, and everything is compared again.
. "$(dirname "$0")/lib.sh"
command -v ipmi-sensors >/dev/null || skip_all "ipmi-sensors not installed"
sim_start || exit 1
trap sim_stop EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
export BMCWATCH_CACHE_DIR=$W/cache

compare() {
	_tag=$1
	if ! bw sensors --json >"$W/ours.json" 2>"$W/ours.err"; then
		not_ok "$_tag: bmcwatch sensors --json"
		cat "$W/ours.err"
		return
	fi
	ok "$_tag: bmcwatch sensors --json"
	sim_ipmitool sensor list >"$W/ipmitool.txt" 2>/dev/null
	# shellcheck disable=SC2046
	ipmi-sensors $(sim_freeipmi_args) --output-sensor-state \
	    --comma-separated-output --no-header-output \
	    >"$W/freeipmi.csv" 2>/dev/null
	python3 "$TESTS_DIR/integration/sensors_compare.py" "$W/ours.json" \
	    "$W/ipmitool.txt" "$W/freeipmi.csv" >"$W/cmp.txt"
	sed "s/^\(\(not \)\{0,1\}ok - \)/\1$_tag: /" "$W/cmp.txt"
	_nok=$(grep -c '^not ok' "$W/cmp.txt")
	T_COUNT=$((T_COUNT + 1))
	[ "$_nok" -eq 0 ] || T_FAILED=$((T_FAILED + 1))
}

compare initial
n=$(json_get "$W/ours.json" 'len(d["sensors"])')
check "at least 30 sensors listed ($n)" test "$n" -ge 30
check_eq "PCH Temp (B = -40) reads 52" \
    "$(json_get "$W/ours.json" '[s["reading"] for s in d["sensors"] if s["name"] == "PCH Temp"][0]')" 52
check_eq "CPU1 Margin (2's complement) reads -35" \
    "$(json_get "$W/ours.json" '[s["reading"] for s in d["sensors"] if s["name"] == "CPU1 Margin"][0]')" -35
check_eq "PS1 Status event words" \
    "$(json_get "$W/ours.json" '[s["events"] for s in d["sensors"] if s["name"] == "PS1 Status"][0]')" \
    "['Presence detected']"
check_eq "JSON keys" \
    "$(json_get "$W/ours.json" 'sorted(k for k in d["sensors"][0] if k in ("name","number","owner","lun","record_id","type","entity","reading","unit","state","events","thresholds"))')" \
    "['entity', 'events', 'lun', 'name', 'number', 'owner', 'reading', 'record_id', 'state', 'thresholds', 'type', 'unit']"
check_eq "thresholds only when readable (DIMM A1 Temp)" \
    "$(json_get "$W/ours.json" 'sorted([s["thresholds"] for s in d["sensors"] if s["name"] == "DIMM A1 Temp"][0])')" \
    "['uc', 'unc']"
check_eq "Board Temp (compact threshold record): no reading, no unit" \
    "$(json_get "$W/ours.json" '[(s["reading"], s["unit"], s["reading_type"], s["state"], s["events"]) for s in d["sensors"] if s["name"] == "Board Temp"][0]')" \
    "(None, None, 'threshold', 'ok', [])"

# move things: warning, critical, nonrecoverable, low side, 2's
# complement near its upper thresholds, a voltage, a fan low, and
# discrete faults
sim_set_value 0x01 90 >/dev/null	# CPU1 Temp UNC
sim_set_value 0x02 97 >/dev/null	# CPU2 Temp UC
sim_set_value 0x03 55 >/dev/null	# Inlet Temp UNR
sim_set_value 0x06 40 >/dev/null	# PCH Temp raw 40 = 0 C: LC
sim_set_value 0x07 0xfc >/dev/null	# CPU1 Margin -4: UC
sim_set_value 0x08 6 >/dev/null		# FAN1 600 RPM: LC
sim_set_value 0x10 0xdd >/dev/null	# P12V 13.26: UC
sim_set_value 0x1b 0xa0 >/dev/null	# Airflow 256 CFM: UNC
sim_set_bit 0x30 0 1 >/dev/null		# General Chassis intrusion
sim_set_bit 0x33 3 1 >/dev/null		# PS1 AC lost
sim_set_bit 0x39 0 0 >/dev/null
sim_set_bit 0x39 2 1 >/dev/null		# redundancy degraded
sim_set_bit 0x37 1 1 >/dev/null		# Drive 0 fault
sim_set_value 0x3c 5 >/dev/null		# Board Temp at or below LC
compare moved
check_eq "Board Temp at or below LC: critical, lower going low" \
    "$(json_get "$W/ours.json" '[(s["state"], s["events"]) for s in d["sensors"] if s["name"] == "Board Temp"][0]')" \
    "('critical', ['Lower Non-critical going low', 'Lower Critical going low'])"
check_eq "Intrusion is critical" \
    "$(json_get "$W/ours.json" '[s["state"] for s in d["sensors"] if s["name"] == "Intrusion"][0]')" critical
check_eq "Intrusion event words" \
    "$(json_get "$W/ours.json" '[s["events"] for s in d["sensors"] if s["name"] == "Intrusion"][0]')" \
    "['General Chassis intrusion']"
check_eq "PS1 Status words" \
    "$(json_get "$W/ours.json" '[s["events"] for s in d["sensors"] if s["name"] == "PS1 Status"][0]')" \
    "['Presence detected', 'Power Supply AC lost']"
check_eq "Inlet Temp nonrecoverable" \
    "$(json_get "$W/ours.json" '[s["state"] for s in d["sensors"] if s["name"] == "Inlet Temp"][0]')" nonrecoverable

# the compact threshold sensor at Upper Non-critical: a warning (issue 8
# saw "critical" and "Lower Critical going high")
sim_set_value 0x3c 85 >/dev/null
compare compact-unc
check_eq "Board Temp at UNC: warning, upper non-critical going high" \
    "$(json_get "$W/ours.json" '[(s["state"], s["events"]) for s in d["sensors"] if s["name"] == "Board Temp"][0]')" \
    "('warning', ['Upper Non-critical going high'])"

# the benchmark's config (tests/sim/mkbig.py: 125 sensors) as well
sim_stop
B=$(mktemp -d "${TMPDIR:-/tmp}/bw-big.XXXXXX")
python3 "$SIM_DIR/mkbig.py" "$B" >/dev/null
sim_start "$B/big.emu" || exit 1
trap 'sim_stop; rm -rf "$B"' EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
export BMCWATCH_CACHE_DIR=$W/cache	# the first one went with that sim
compare big
check "big config: at least 120 sensors" \
    test "$(json_get "$W/ours.json" 'len(d["sensors"])')" -ge 120
finish

#!/bin/bash
# Threshold crossing through the sim console (issue 3): the state follows
# a reading across each threshold, warning at UNC, critical at UC,
# nonrecoverable at UNR, and back down with the hysteresis (2 counts for
# CPU1 Temp: UNC 85, UC 95, UNR 100); the same on the lower side.  Each
# step is also held against ipmitool and ipmi-sensors.
. "$(dirname "$0")/lib.sh"
sim_start || exit 1
trap sim_stop EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
export BMCWATCH_CACHE_DIR=$W/cache
HAVE_FREEIPMI=1
command -v ipmi-sensors >/dev/null || HAVE_FREEIPMI=0

state_of() {
	bw sensors -v --json --name "$1" >"$W/s.json" 2>"$W/s.err" || {
		cat "$W/s.err" >&2
		echo error
		return
	}
	json_get "$W/s.json" 'd["sensors"][0]["state"]'
}

peers_agree() {
	sim_ipmitool sensor list >"$W/ipmitool.txt" 2>/dev/null
	if [ "$HAVE_FREEIPMI" = 1 ]; then
		# shellcheck disable=SC2046
		ipmi-sensors $(sim_freeipmi_args) --output-sensor-state \
		    --comma-separated-output --no-header-output \
		    >"$W/freeipmi.csv" 2>/dev/null
	else
		: >"$W/freeipmi.csv"
	fi
	python3 "$TESTS_DIR/integration/sensors_compare.py" "$W/s.json" \
	    "$W/ipmitool.txt" "$W/freeipmi.csv" --only "$1" >"$W/cmp.txt"
	! grep -q '^not ok' "$W/cmp.txt" || { cat "$W/cmp.txt"; false; }
}

step() {	# SENSOR NUM RAW EXPECTED WHY
	sim_set_value "$2" "$3" >/dev/null
	check_eq "$1 raw $3: $5" "$(state_of "$1")" "$4"
	check "$1 raw $3: peers agree" peers_agree "$1"
	# the BMC's bits and our own comparison agree, hysteresis allowed
	check_eq "$1 raw $3: cross-check with thresholds" \
	    "$(json_get "$W/s.json" 'd["sensors"][0]["state_mismatch"]')" False
}

step "CPU1 Temp" 0x01 84 ok "below UNC"
step "CPU1 Temp" 0x01 85 warning "at UNC"
step "CPU1 Temp" 0x01 95 critical "at UC"
step "CPU1 Temp" 0x01 100 nonrecoverable "at UNR"
step "CPU1 Temp" 0x01 98 nonrecoverable "UNR - 2: inside the hysteresis"
step "CPU1 Temp" 0x01 97 critical "below UNR - hysteresis"
step "CPU1 Temp" 0x01 93 critical "UC - 2: inside the hysteresis"
step "CPU1 Temp" 0x01 92 warning "below UC - hysteresis"
step "CPU1 Temp" 0x01 83 warning "UNC - 2: inside the hysteresis"
step "CPU1 Temp" 0x01 82 ok "below UNC - hysteresis"
# lower side, FAN1: M = 100, LNC 1000, LC 700, LNR 500 RPM, hysteresis 1
step "FAN1" 0x08 11 ok "above LNC"
step "FAN1" 0x08 10 warning "at LNC"
step "FAN1" 0x08 7 critical "at LC"
step "FAN1" 0x08 5 nonrecoverable "at LNR"
step "FAN1" 0x08 6 nonrecoverable "LNR + 1: inside the hysteresis"
step "FAN1" 0x08 7 critical "LC: LNR deasserted"
step "FAN1" 0x08 9 warning "above LC + hysteresis"
step "FAN1" 0x08 12 ok "above LNC + hysteresis"
# 2's complement sensor (CPU1 Margin, UNC -10, UC -5, UNR -1)
step "CPU1 Margin" 0x07 0xf6 warning "-10: at UNC"
step "CPU1 Margin" 0x07 0xff nonrecoverable "-1: at UNR"
step "CPU1 Margin" 0x07 0xdd ok "-35"
finish

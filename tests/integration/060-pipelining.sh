#!/bin/bash
# Several requests in flight in one lanplus session (issue 15,
# --max-outstanding): through a relay that delays every datagram 5 ms
# each way, so that up to 8 Get Sensor Readings really are in flight at
# once, bmcwatch's sweep reads what ipmitool and ipmi-sensors read from
# the same sim, before and after readings move; the relay counts the same
# datagrams to the BMC as one request at a time, and the readings are
# identical to a sweep one at a time.  Then a relay that loses every 25th
# answer: the lost requests are sent again, the window falls to 1 and the
# readings still agree.
. "$(dirname "$0")/lib.sh"
command -v ipmi-sensors >/dev/null || skip_all "ipmi-sensors not installed"
command -v ipmitool >/dev/null || skip_all "ipmitool not installed"
sim_start || exit 1
trap 'relay_stop; sim_stop' EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
export BMCWATCH_CACHE_DIR=$W/cache
PW=$(sim_pwfile admin)

# bwr ARGS...: bmcwatch through the relay
bwr() {
	"$BMCWATCH" -I lanplus -H 127.0.0.1 -p "$RELAY_PORT" -U admin \
	    -f "$PW" -C 3 "$@"
}
stat_of() { sed -n "s/.*stats: .*[ ]$1=\([0-9]*\).*/\1/p" "$2"; }

compare() {
	_tag=$1
	shift
	if ! bwr --stats "$@" sensors --json >"$W/ours.json" \
	    2>"$W/ours.err"; then
		not_ok "$_tag: bmcwatch sensors --json $*"
		cat "$W/ours.err"
		return
	fi
	ok "$_tag: bmcwatch $* sensors --json"
	sim_ipmitool sensor list >"$W/ipmitool.txt" 2>/dev/null
	# shellcheck disable=SC2046
	ipmi-sensors $(sim_freeipmi_args) --output-sensor-state \
	    --comma-separated-output --no-header-output \
	    >"$W/freeipmi.csv" 2>/dev/null
	python3 "$TESTS_DIR/integration/sensors_compare.py" "$W/ours.json" \
	    "$W/ipmitool.txt" "$W/freeipmi.csv" >"$W/cmp.txt"
	_nok=$(grep -c '^not ok' "$W/cmp.txt")
	check_eq "$_tag: every sensor agrees with ipmitool and ipmi-sensors" \
	    "$_nok" 0
	[ "$_nok" -eq 0 ] || grep '^not ok' "$W/cmp.txt"
}

relay_start --delay-ms 5 || { not_ok "relay starts"; finish; exit; }
# the SDR cache and its identity check for this peer, outside the counts
bwr sensors >/dev/null 2>&1
n=$(bwr sensors --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sensors"]))')
check "at least 30 sensors ($n)" test "$n" -ge 30

a=$(relay_count to_bmc)
compare window-1 --max-outstanding 1
cp "$W/ours.json" "$W/one.json"
cp "$W/ours.err" "$W/one.err"
b=$(relay_count to_bmc)
compare window-8 --max-outstanding 8
c=$(relay_count to_bmc)
check_eq "readings identical one at a time and 8 at a time" \
    "$(cmp -s "$W/one.json" "$W/ours.json" && echo same)" same
check_eq "8 in flight at once (counter)" "$(stat_of inflight_max "$W/ours.err")" 8
check_eq "no retransmission, no reorder, no fallback" \
    "$(stat_of retransmits "$W/ours.err") $(stat_of reordered "$W/ours.err") $(stat_of window_fallbacks "$W/ours.err")" \
    "0 0 0"
check_eq "same requests as one at a time (bmcwatch's count)" \
    "$(stat_of requests "$W/ours.err")" "$(stat_of requests "$W/one.err")"
check_eq "same datagrams to the BMC as one at a time (relay's count)" \
    "$((c - b))" "$((b - a))"

# readings move (thresholds crossed, discrete bits): still the peers'
sim_set_value 0x01 90 >/dev/null	# CPU1 Temp UNC
sim_set_bit 0x33 3 1 >/dev/null		# PS1 AC lost
compare moved --max-outstanding 8
check_eq "CPU1 Temp warning" \
    "$(json_get "$W/ours.json" '[s["state"] for s in d["sensors"] if s["name"] == "CPU1 Temp"][0]')" warning

# lost answers: every 25th datagram from the BMC never arrives
relay_stop
relay_start --drop-every 25 --drop-dir from_bmc ||
    { not_ok "lossy relay starts"; finish; exit; }
compare lossy --max-outstanding 8 -t 2
check "lost answers were sent again" \
    test "$(stat_of retransmits "$W/ours.err")" -ge 1
check_eq "the window fell to 1 once" \
    "$(stat_of window_fallbacks "$W/ours.err")" 1
check_eq "still one session" "$(stat_of sessions "$W/ours.err")" 1
finish

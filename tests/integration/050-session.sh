#!/bin/bash
# 050-session: several requests share one session (info = 3 requests, one
# session, the packets the protocol needs and no more), sessions are closed
# (the sim's active session count stays at ipmitool's own), and through
# tests/tools/udprelay.py: retransmission over a lossy link (a dropped
# request, a dropped response, a dropped first datagram) and a slow BMC,
# the relay's datagram count equal to bmcwatch's packets_out.
. "$(dirname "$0")/lib.sh"
sim_start || { echo "not ok - sim_start"; exit 1; }
trap 'relay_stop; sim_stop' EXIT
W=$SIM_RUNDIR/t050
mkdir -p "$W"
PW=$(sim_pwfile admin)
REF=$(sim_ipmitool raw 6 1 | hexbytes)

# --- several requests, one session
bw --stats info >"$W/i+.out" 2>"$W/i+.err"
check_eq "lanplus info: exit 0" "$?" 0
check_eq "lanplus info: requests=3 (Get Device ID, Device GUID, System GUID)" \
    "$(stats_field "$W/i+.err" requests)" 3
check_eq "lanplus info: sessions=1" "$(stats_field "$W/i+.err" sessions)" 1
# 6 packets of session setup and teardown + 3 requests
check_eq "lanplus info: packets_out=9 (6 session + 3 requests)" \
    "$(stats_field "$W/i+.err" packets_out)" 9

"$BMCWATCH" -I lan -A md5 -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" \
    --stats info >"$W/i.out" 2>"$W/i.err"
check_eq "lan info: exit 0" "$?" 0
check_eq "lan info: requests=3" "$(stats_field "$W/i.err" requests)" 3
check_eq "lan info: sessions=1" "$(stats_field "$W/i.err" sessions)" 1
# auth caps, challenge, activate, set priv, 3 requests, close
check_eq "lan info: packets_out=8 (authcap, challenge, activate, set priv, 3 requests, close)" \
    "$(stats_field "$W/i.err" packets_out)" 8

# --- sessions are closed: after more runs than the per-user session limit
# (10 in lan.conf), the sim counts only ipmitool's own session
for k in 1 2 3 4 5 6; do
	bw raw 6 1 >/dev/null 2>&1
	"$BMCWATCH" -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" \
	    raw 6 1 >/dev/null 2>&1
done
bw raw 6 1 >"$W/after.out" 2>"$W/after.err"
check_eq "a 13th session still opens (none leaked)" "$(hexbytes <"$W/after.out")" "$REF"
active=$(sim_ipmitool session info active 2>/dev/null |
    sed -n 's/^active sessions *: *//p' | head -n 1)
check_eq "the sim's active session count is ipmitool's own after 15 bmcwatch runs" \
    "$active" 1

# --- through the relay
if [ ! -f "$TESTS_DIR/tools/udprelay.py" ]; then
	ok "lossy link and slow BMC # SKIP tests/tools/udprelay.py not found"
	finish
	exit $?
fi

# relay_case NAME RELAY-ARGS -- BMCWATCH-ARGS...: run raw 6 1 through a
# fresh relay; sets rc, el (ms), and the stats of both sides
relay_case() {
	_name=$1
	shift
	_ra=()
	while [ "$1" != -- ]; do _ra+=("$1"); shift; done
	shift
	if ! relay_start "${_ra[@]}"; then
		not_ok "$_name: relay starts"
		rc=-1
		return
	fi
	t0=$(now_ms)
	"$BMCWATCH" -I lanplus -C 3 -H 127.0.0.1 -p "$RELAY_PORT" -U admin \
	    -f "$PW" --stats "$@" raw 6 1 >"$W/r.out" 2>"$W/r.err"
	rc=$?
	el=$(($(now_ms) - t0))
	check_eq "$_name: exit 0" "$rc" 0
	[ "$rc" = 0 ] || show_file "$W/r.err"
	check_eq "$_name: bytes equal ipmitool raw 6 1" "$(hexbytes <"$W/r.out")" "$REF"
	check_eq "$_name: sessions=1" "$(stats_field "$W/r.err" sessions)" 1
	RETX=$(stats_field "$W/r.err" retransmits)
	DROP=$(stats_field "$W/r.err" dropped)
	POUT=$(stats_field "$W/r.err" packets_out)
	# the relay counts asynchronously: wait (bounded) until its count
	# reaches packets_out; it must not pass it
	_n=0
	while [ "$(relay_count to_bmc)" != "$POUT" ] && [ $_n -lt 200 ]; do
		_n=$((_n + 1))
		sleep 0.05
	done
	relay_stop
	check_eq "$_name: relay saw packets_out datagrams towards the BMC" \
	    "$(relay_count to_bmc)" "$POUT"
}

# The tries (-t divided by 1 + -R) are long where no retransmission
# may happen, so that a slow machine never causes one: 5 s where
# nothing is lost, 2 s where exactly one datagram is.
relay_case "relay, no loss" -- -t 20
check_eq "relay, no loss: retransmits=0" "$RETX" 0
check_eq "relay, no loss: packets_out=7" "$POUT" 7

relay_case "first datagram dropped" --drop-first 1 --drop-dir to_bmc -- -t 8 -R 3
check "first datagram dropped: retransmits>=1 ($RETX)" test "${RETX:-0}" -ge 1
check_eq "first datagram dropped: packets_out=8 (7 + 1 resent)" "$POUT" 8

# datagram 6 towards the BMC is the request (after authcap, open, RAKP1,
# RAKP3, set priv)
relay_case "request dropped" --drop-every 6 --drop-dir to_bmc -- -t 8 -R 3
check "request dropped: retransmits>=1 ($RETX)" test "${RETX:-0}" -ge 1
check_eq "request dropped: packets_out=8 (7 + 1 resent)" "$POUT" 8

relay_case "response dropped" --drop-every 6 --drop-dir from_bmc -- -t 8 -R 3
check "response dropped: retransmits>=1 ($RETX)" test "${RETX:-0}" -ge 1
check_eq "response dropped: packets_out=8 (7 + 1 resent)" "$POUT" 8

# slow BMC, answers well inside the per-try timeout: no retransmission
relay_case "slow BMC (100 ms each way)" --delay-ms 100 -- -t 8 -R 3
check_eq "slow BMC (100 ms each way): retransmits=0" "$RETX" 0
check_eq "slow BMC (100 ms each way): packets_out=7" "$POUT" 7

# slower than one try (-t 2.75 -R 10: 250 ms a try, at least 300 ms
# round trip, 2.75 s allowed per request): every step is resent, the
# late first answer is used, the later ones are dropped as duplicates
relay_case "slow BMC (150 ms each way, 250 ms tries)" --delay-ms 150 -- -t 2.75 -R 10
check "slow BMC (150 ms each way): retransmits>=1 ($RETX)" test "${RETX:-0}" -ge 1
check "slow BMC (150 ms each way): late duplicates dropped ($DROP)" \
    test "${DROP:-0}" -ge 1

finish

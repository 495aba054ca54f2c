#!/bin/bash
# bmcwatchd against a hostile BMC (tests/hostile/hostile_bmc.py: RMCP+
# sessions opened by the book, suite 3 here, then misbehaving on
# command) next to an honest simulated one (ipmi_sim); the daemon holds
# two sessions with it, one of suite 3 (HMAC-SHA1, AES) and one of
# suite 17 (HMAC-SHA256, AES), and every check below holds for both.  For every
# misbehaviour -- truncated and oversized packets, another session id,
# replayed and out-of-window sequence numbers, a wrong AuthCode, wrong
# integrity and AES pads, completion codes C0h/C3h/D5h/FFh on every
# command (and D5h on every Get Sensor Reading alone), answers after
# the timeout, answers to another request, an
# SDR repository that changes while it is read, SEL entries vanishing
# between reads, silence, a flood, and at session set-up a wrong RAKP 2
# code, a wrong RAKP 4 check value and a downgrade to no algorithms --
# the daemon keeps running, the sim target stays fresh, the hostile
# target's trouble is in the store (state unreachable, or last_error
# naming it), the log grows by a bounded number of lines, and once the
# responder behaves the target is up with fresh sensors again.  RSS and
# open fds of the daemon (from /proc/PID) are printed after each phase
# and may not grow past a generous bound (RSS only on the plain build:
# ASan's quarantine grows it by design; there leaks are checked at exit).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

python3 -c 'import cryptography' 2>/dev/null ||
    skip_all "python3-cryptography missing (tests/deps.sh)"
d_setup
D_SIMS="a"
HPID=
trap '[ -n "$HPID" ] && kill "$HPID" 2>/dev/null; d_cleanup' EXIT
HB=$TESTS_DIR/hostile/hostile_bmc.py

sim_as a || { not_ok "sim a"; exit 1; }
python3 "$HB" serve --port-file "$W/hport" \
    --password-file "$(sim_pwfile admin)" --sdr "$SIMRUN_a/sdr.bin" \
    --log "$W/h.log" >>"$W/h.log" 2>&1 &
HPID=$!
wait_for 10 test -s "$W/hport" || { not_ok "hostile BMC started"; exit 1; }
HP=$(cut -d' ' -f1 "$W/hport")
HC=$(cut -d' ' -f2 "$W/hport")
h() { python3 "$HB" ctl "$HC" "$@"; }
# the responder's sessions are right by bmcwatch's own checks, for the
# SHA-1 suite the daemon uses here and the SHA-256 one (ipmi_sim has no
# suite 17)
h_info() {
	"$BMCWATCH" -I lanplus -H 127.0.0.1 -p "$HP" -U admin \
	    -f "$(sim_pwfile admin)" -C "$1" info >/dev/null
}
for cs in 3 17; do
	check "hostile BMC: suite $cs session by the book (bmcwatch -C $cs info)" \
	    h_info $cs
done
hstat() {
	h stats | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

POLL='sensor-interval 1  sel-interval 2  chassis-interval 1
	timeout 1  retries 1  unreachable-after 3  backoff-max 2'
d_conf "$W/d.conf"
{ d_target sim "$SIMPORT_a" "$POLL"; d_target evil "$HP" "$POLL"
  d_target evil17 "$HP" "$POLL" | sed 's/cipher-suite 3 /cipher-suite 17 /'
} >>"$W/d.conf"
grep -q 'cipher-suite 17 ' "$W/d.conf" || { not_ok "a suite 17 target"; exit 1; }
EVILS="evil evil17"
d_start "$W/d.conf" || exit 1

check "sim up" wait_for 20 d_state sim up
for e in $EVILS; do
	check "$e up (a correct RMCP+ session with the hostile BMC)" \
	    wait_for 20 d_state $e up
	check "$e's sensors fresh" wait_for 20 d_fresh $e sensors
done
check "sim's sensors fresh" wait_for 20 d_fresh sim sensors

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$DPID/status"; }
fds() { ls "/proc/$DPID/fd" | wc -l; }
RSS0=$(rss)
FD0=$(fds)
RSSMAX=$RSS0
FDMAX=$FD0
echo "# start: RSS ${RSS0} kB, ${FD0} fds"

err_has() { d_health "$1" last_error | grep -q "$2"; }
mis_past() { [ "$(hstat misbehaved)" -ge "$1" ]; }
recovered() { d_state "$1" up && d_fresh "$1" sensors; }
loglines() { wc -l <"$W/d.log"; }

# phase MODE EXPECT [PATTERN]: EXPECT is
#   down     the target turns unreachable, last_error says "no response"
#   err      last_error matches PATTERN (the BMC answered, wrongly)
#   fresh    30 misbehaviours later its sensors are still fresh: the
#            forgeries were dropped, the right answers taken
#   any      the daemon survives (what the store shows is not fixed)
phase() {
	_m=$1 _e=$2 _p=${3:-}
	_l0=$(loglines)
	_t0=$(now_ms)
	_n0=$(hstat misbehaved)
	# shellcheck disable=SC2086
	h mode $_m >/dev/null || { not_ok "$_m: control"; return; }
	case $_e in
	fresh)
		check "$_m: 30 misbehaviours seen" wait_for 30 mis_past $((_n0 + 30)) ;;
	any)
		check "$_m: 20 misbehaviours seen" wait_for 40 mis_past $((_n0 + 20)) ;;
	esac
	for _ev in $EVILS; do
		case $_e in
		down)
			check "$_m: $_ev unreachable" wait_for 30 d_state $_ev unreachable
			check "$_m: $_ev: last_error names the failure" \
			    err_has $_ev "no response" ;;
		err)
			check "$_m: $_ev: last_error says '$_p'" \
			    wait_for 30 err_has $_ev "$_p" ;;
		fresh)
			check "$_m: $_ev's sensors still fresh" d_fresh $_ev sensors
			check "$_m: $_ev still up" d_state $_ev up ;;
		esac
	done
	check "$_m: daemon alive" d_alive
	check "$_m: sim's sensors fresh" d_fresh sim sensors
	check "$_m: sim up" d_state sim up
	h mode good >/dev/null
	for _ev in $EVILS; do
		check "$_m: $_ev recovers once the BMC behaves" \
		    wait_for 40 recovered $_ev
	done
	_l=$(( $(loglines) - _l0 ))
	echo "# $_m: $(( ($(now_ms) - _t0) / 1000 )) s, $_l log lines, last_error: $(d_health evil last_error) / $(d_health evil17 last_error)"
	check "$_m: the log does not flood ($_l lines <= 120 for 2 targets)" \
	    test "$_l" -le 120
	_r=$(rss) _f=$(fds)
	echo "# after $_m: RSS $_r kB, $_f fds"
	[ "$_r" -gt "$RSSMAX" ] && RSSMAX=$_r
	[ "$_f" -gt "$FDMAX" ] && FDMAX=$_f
}

phase truncate down
phase oversize down
phase wrongsid down
phase replay fresh
phase outwindow fresh
phase badicv down
phase badpad down
phase "cc c0" err "completion code C0h"
phase "cc c3" err "completion code C3h"
phase "cc d5" err "completion code D5h"
phase "cc ff" err "completion code FFh"
# every Get Sensor Reading refused: each sweep turns every sensor
# unavailable at once (and ok again after): the log says a few of them
# and counts the rest (70 lines a target before, one per sensor and
# change; the flake of a "cc d5" phase whose D5 came mid-sweep)
phase "cc d5 2d" any
phase "late 3" down
phase wrongreq down
phase sdrchange any
phase selvanish any
phase silence down
phase flood any
# set-up attacks need a new session: silence until unreachable first;
# then the session set-up is refused by the daemon: no request is ever
# sent in one of those sessions
for m in rakp2bad rakp4bad downgrade; do
	h mode silence >/dev/null
	for e in $EVILS; do
		wait_for 30 d_state $e unreachable ||
		    not_ok "$m: $e unreachable before the set-up attack"
	done
	case $m in
	rakp2bad) pat="RAKP2" ;;
	rakp4bad) pat="RAKP4" ;;
	downgrade) pat="Open Session" ;;
	esac
	q0=$(hstat reqs)
	h mode $m >/dev/null
	for e in $EVILS; do
		check "$m: $e: last_error says '$pat'" \
		    wait_for 30 err_has $e "$pat"
	done
	_n0=$(hstat misbehaved)
	check "$m: the next probe fails too" \
	    wait_for 30 mis_past $((_n0 + 2))
	check_eq "$m: no request in a session the daemon should refuse" \
	    "$(hstat reqs)" "$q0"
	for e in $EVILS; do
		check "$m: $e still unreachable" d_state $e unreachable
	done
	check "$m: sim's sensors fresh" d_fresh sim sensors
	h mode good >/dev/null
	for e in $EVILS; do
		check "$m: $e recovers once the BMC behaves" \
		    wait_for 40 recovered $e
	done
done

# no SEL entry of evil archived twice, vanishing entries or not
for e in $EVILS; do
	A=$W/archive/sel-$e.log
	check "$e's SEL archived" test -s "$A"
	check_eq "$e: no archive line twice" "$(sort "$A" | uniq -d | wc -l)" 0
	echo "# $e: $(wc -l <"$A") archive lines"
done

echo "# end: RSS ${RSS0} -> max ${RSSMAX} kB, fds ${FD0} -> max ${FDMAX}"
echo "# hostile BMC: $(h stats)"
case $BMCWATCHD in
*/san/*)
	# ASan keeps freed memory in its quarantine (256 MB by default):
	# RSS grows by design there; leaks are checked at exit instead
	echo "# ASan build: RSS not bounded here (quarantine), leaks checked at exit" ;;
*)
	check "RSS bounded (max $RSSMAX kB <= start $RSS0 kB + 8 MB)" \
	    test "$RSSMAX" -le $((RSS0 + 8192)) ;;
esac
check "fds bounded (max $FDMAX <= start $FD0 + 2)" \
    test "$FDMAX" -le $((FD0 + 2))
check "the daemon is still alive" d_alive
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
grep -E 'Sanitizer|runtime error' "$W/d.log" | head -5 | sed 's/^/#   /'
finish

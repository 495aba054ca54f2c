#!/bin/bash
# bmcwControlTable's lock, last action and counters count "since
# bmcwatchd started" (the MIB), so they survive a restart of the
# subagent, not of the daemon.  Through a real snmpd (SNMPv3 authPriv
# user testrw), the daemon on the simulated BMC with `allow power`:
#   - a refused SET (identify not allowed), a lock-only SET (0 -> 1) and
#     lock + powerOn (1 -> 2, accepted, result ok);
#   - the subagent SIGKILLed (the child of our daemon, by pid): the
#     daemon starts a new one, which serves the same lock, requests,
#     refused, failures, last action, its time and its result;
#   - the restored lock works: a SET with the old value is refused
#     (stale), one with the current value is accepted;
#   - the daemon restarted: everything back to its start values (lock 0,
#     counters 0, no last action).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
C=$MIB.1.9.1		# bmcwControlEntry
snmp_bed a
d_target a "$SIMPORT_a" "sensor-interval 2  sel-interval 2
	chassis-interval 1  timeout 0.5  retries 1  allow power" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
lock_is() { [ "$(sval "$C.1.1" 2>/dev/null)" = "$1" ]; }
check "bmcwControlLock.1 served, 0" wait_for 20 lock_is 0
# a SET is refused while the subagent's copy says the BMC is unreachable
check "bmcwTargetReachable.1 served, true" wait_for 20 sa_reachable 1

sset3 "$C.1.1" i 0 "$C.4.1" i 10 >"$W/set.out" 2>&1
check "identify (not allowed): notWritable" grep -q notWritable "$W/set.out"
sset3 "$C.1.1" i 0 >"$W/set.out" 2>&1
check "lock alone: accepted" test $? = 0
check_eq "lock 1" "$(sval "$C.1.1")" 1
sset3 "$C.1.1" i 1 "$C.3.1" i 3 >"$W/set.out" 2>&1
rc=$?
check "lock 1 + powerOn(3): accepted" test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/#   | /' "$W/set.out"
result_ok() { [ "$(sval "$C.9.1" 2>/dev/null)" = '"ok"' ]; }
check "bmcwControlLastResult ok" wait_for 10 result_ok
# columns 1 lock, 3 power, 7 last action, 8 its time, 9 result,
# 10 requests, 11 refused, 12 failures
cols() {
	for c in 1 3 7 8 9 10 11 12; do
		printf '%s=%s\n' "$c" "$(sval "$C.$c.1" 2>/dev/null)"
	done
}
cols >"$W/before"
check_eq "before: lock 2, power on, 1 request, 1 refused, 0 failures" \
    "$(grep -E '^(1|3|7|10|11|12)=' "$W/before" | tr '\n' ' ')" \
    '1=2 3=3 7="chassis power on" 10=1 11=1 12=0 '

# --- the subagent dies ----------------------------------------------------
subagent() { pgrep -P "$DPID" -f bmcwatch-snmp | head -n 1; }
p0=$(subagent)
check "the subagent is our daemon's child ($p0)" test -n "$p0"
kill -KILL "$p0"
respawned() { p=$(subagent); [ -n "$p" ] && [ "$p" != "$p0" ]; }
check "the daemon starts a new subagent" wait_for 10 respawned
check "  it serves bmcwControlLock again" wait_for 20 lock_is 2
cols >"$W/after"
check "  every column as before the kill" cmp -s "$W/before" "$W/after"
cmp -s "$W/before" "$W/after" ||
    diff "$W/before" "$W/after" | sed 's/^/#   | /'
check "  the daemon's log: taken back" \
    grep -q "a: snmp: bmcwControlTable: lock 2, 1 requests, 1 refused" \
    "$W/d.log"
check "  it serves bmcwTargetReachable.1 true again" \
    wait_for 20 sa_reachable 1
sset3 "$C.1.1" i 1 "$C.3.1" i 3 >"$W/set.out" 2>&1
check "a SET with the old lock (1): inconsistentValue" \
    grep -q inconsistentValue "$W/set.out"
sset3 "$C.1.1" i 2 "$C.3.1" i 3 >"$W/set.out" 2>&1
check "a SET with the restored lock (2): accepted" test $? = 0
check_eq "  lock 3, requests 2, refused 2" \
    "$(sval "$C.1.1") $(sval "$C.10.1") $(sval "$C.11.1")" "3 2 2"
check "  bmcwControlLastResult ok" wait_for 10 result_ok

# --- the daemon restarts: its counts start again ---------------------------
d_stop
check_eq "daemon exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
d_start "$W/d.conf" || exit 1
check "a new daemon's subagent serves lock 0" wait_for 30 lock_is 0
check_eq "  requests 0, refused 0, no last action" \
    "$(sval "$C.10.1") $(sval "$C.11.1") $(sval "$C.7.1")" '0 0 ""'
d_stop
check "no sanitizer report" d_san_clean
finish

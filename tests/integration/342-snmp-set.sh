#!/bin/bash
# SETs through bmcwControlTable (a real snmpd, its SNMPv3 user testrw at
# authPriv the only one it lets write; tests/snmp/snmpd.conf.in), the
# daemon on the simulated BMC with `allow power,sel-clear` (identify not
# allowed):
#   - v2c public cannot write at all (snmpd: noAccess);
#   - every refusal is named: power without the lock in the same SET
#     (inconsistentValue), with a stale lock (inconsistentValue),
#     noAction (wrongValue), 9 (wrongValue), a string (wrongType),
#     identify not allowed (notWritable), a read-only column
#     (notWritable); each counted in bmcwControlRefused and logged with
#     the target's name; none reached the BMC (the sim's chassis log);
#   - lock + powerOff: accepted, the lock advanced, the sim powered off
#     exactly once (ipmitool chassis power status, chassis.log),
#     bmcwControlLastAction "chassis power off", LastResult "ok",
#     bmcwChassisPower off; the same SET again (retransmitted: stale
#     lock) does nothing;
#   - lock + selClear: the entries ipmitool counted are archived and the
#     SEL is empty (ipmitool), bmcwSelLastClearCount says how many;
#   - the BMC away (relay stopped): resourceUnavailable.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
C=$MIB.1.9.1		# bmcwControlEntry
snmp_bed a
d_relay a "$SIMPORT_a" || { not_ok "relay a"; exit 1; }
# no retransmission: Chassis Control is not idempotent, and at load
# average 30 a retransmission after 0.5 s reached the sim twice; a
# request with its retries must end within the intervals (conf check)
d_target a "$RPORT_a" "sensor-interval 2  sel-interval 2
	chassis-interval 2  timeout 1  retries 0  unreachable-after 2
	sel-clear-at 0  allow power,sel-clear" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
served() { [ "$(sval "$C.1.1" 2>/dev/null)" = 0 ]; }
check "bmcwControlLock.1 served, 0" wait_for 20 served
# a SET is refused while the subagent's copy says the BMC is unreachable
check "bmcwTargetReachable.1 served, true" wait_for 20 sa_reachable 1
check_eq "bmcwControlAllowed: power and selClear (A0h)" \
    "$(snmpget -v2c -c public -Oqvx "udp:127.0.0.1:$SNMP_PORT" "$C.2.1" | tr -d ' "\n')" \
    A0
check_eq "bmcwControlPower reads noAction(1)" "$(sval "$C.3.1")" 1
n0=$(grep -c . "$SIMRUN_a/chassis.log" 2>/dev/null || echo 0)

# refusals
snmpset -v2c -c public -t 2 -r 0 "udp:127.0.0.1:$SNMP_PORT" "$C.3.1" i 2 \
    >"$W/v2c.out" 2>&1
check "v2c public: snmpd refuses (noAccess)" grep -q "noAccess" "$W/v2c.out"
refused() {		# refused DESCRIPTION ERROR ARGS...
	_d=$1 _e=$2
	shift 2
	sset3 "$@" >"$W/set.out" 2>&1
	if grep -q "$_e" "$W/set.out"; then
		ok "$_d: $_e"
	else
		not_ok "$_d: $_e"
		sed 's/^/#   | /' "$W/set.out"
	fi
}
refused "power without the lock" inconsistentValue "$C.3.1" i 2
refused "power with a stale lock" inconsistentValue "$C.1.1" i 5 \
    "$C.3.1" i 2
refused "noAction" wrongValue "$C.1.1" i 0 "$C.3.1" i 1
refused "power 9" wrongValue "$C.1.1" i 0 "$C.3.1" i 9
refused "power as a string" wrongType "$C.1.1" i 0 "$C.3.1" s off
refused "identify (not allowed)" notWritable "$C.1.1" i 0 "$C.4.1" i 10
refused "a read-only column" notWritable "$C.1.1" i 0 "$C.10.1" i 5
check_eq "bmcwControlRefused 7" "$(sval "$C.11.1")" 7
check_eq "bmcwControlLock still 0" "$(sval "$C.1.1")" 0
check "the refusals are logged with the target and the reason" \
    grep -q "a: snmp: SET bmcwControlIdentify refused (notWritable).*allow identify" \
    "$W/d.log"
check_eq "nothing reached the BMC" \
    "$(grep -c . "$SIMRUN_a/chassis.log" 2>/dev/null || echo 0)" "$n0"

# power off, with the lock
sset3 "$C.1.1" i 0 "$C.3.1" i 2 >"$W/set.out" 2>&1
rc=$?
check "lock 0 + powerOff(2): accepted" test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/#   | /' "$W/set.out"
check_eq "bmcwControlLock advanced to 1" "$(sval "$C.1.1")" 1
check_eq "bmcwControlLastAction" "$(sval "$C.7.1")" '"chassis power off"'
result_ok() { [ "$(sval "$C.9.1" 2>/dev/null)" = '"ok"' ]; }
check "bmcwControlLastResult ok" wait_for 10 result_ok
sim_ipmitool chassis power status >"$W/pw.txt" 2>&1
check "ipmitool: Chassis Power is off" grep -q "is off" "$W/pw.txt"
check_eq "the sim was told once (set power 0)" \
    "$(tail -n +"$((n0 + 1))" "$SIMRUN_a/chassis.log" | grep -c 'set power 0')" 1
check_eq "bmcwControlPower reads powerOff(2)" "$(sval "$C.3.1")" 2
off() { [ "$(sval "$MIB.1.7.1.1.1" 2>/dev/null)" = 2 ]; }
check "bmcwChassisPower off" wait_for 10 off
refused "the same SET again (retransmitted)" inconsistentValue \
    "$C.1.1" i 0 "$C.3.1" i 2
check_eq "  did nothing: still one set power 0" \
    "$(tail -n +"$((n0 + 1))" "$SIMRUN_a/chassis.log" | grep -c 'set power 0')" 1
check_eq "bmcwControlRequests 1" "$(sval "$C.10.1")" 1
check_eq "bmcwControlFailures 0" "$(sval "$C.12.1")" 0

# SEL clear, with the lock
for i in 1 2 3 4; do
	printf 'sel_add 0x20 0xe1 0x%02x 0x43 9 8 7 6 5 4 3 2 1 0 0\n' "$i"
done >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" <"$W/cmds" \
    >/dev/null
n=$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')
check "ipmitool: $n entries (4 at least)" test "$n" -ge 4
sset3 "$C.1.1" i 1 "$C.5.1" i 2 >"$W/set.out" 2>&1
rc=$?
check "lock 1 + selClear(2): accepted" test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/#   | /' "$W/set.out"
check "bmcwControlLastResult ok" wait_for 15 result_ok
check_eq "ipmitool: the SEL is empty" \
    "$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')" 0
check_eq "bmcwSelLastClearCount $n" "$(sval "$MIB.1.4.1.12.1")" "$n"
check_eq "bmcwControlLastAction" "$(sval "$C.7.1")" '"sel clear"'

# the BMC away
d_relay_stop a
down() { [ "$(sval "$MIB.1.2.1.12.1" 2>/dev/null)" = 2 ]; }
check "a unreachable" wait_for 30 down
refused "power while the BMC is unreachable" resourceUnavailable \
    "$C.1.1" i 2 "$C.3.1" i 3
d_stop
check "no sanitizer report" d_san_clean
finish

#!/bin/bash
# bmcwatch-snmp when snmpd goes away or hangs (net-snmp's AgentX calls
# block their caller then: that must be only the subagent, never
# bmcwatchd), with the daemon kicking a 10 s watchdog on the simulated
# BMC (tests/sim/wdt_plugin.c) every 2 s:
#   - snmpd restarted: the subagent (same pid) answers again within 5 s
#     of snmpd's return (AgentX ping interval 5 s);
#   - snmpd SIGSTOPped for 30 s, a sensor changed meanwhile (a
#     notification for the subagent to send into the hung snmpd): the
#     watchdog never expires (no Watchdog entry in the sim's SEL), the
#     heartbeat resets go on, sensors are still polled, the control
#     socket answers every request in under a second;
#   - snmpd continued: the subagent serves the change made meanwhile.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
KEY=$((32 * 1024 + 2))		# CPU2 Temp
snmp_wdt_bed
snmp_dconf
d_target a "$SIMPORT_a" "sensor-interval 1  sel-interval 2
	chassis-interval 2  timeout 0.5  retries 1
	watchdog { timeout 10  interval 2  action power-cycle }" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
armed() { [ "$(d_health a heartbeat.armed)" = True ]; }
check "heartbeat armed" wait_for 15 armed
served() { [ "$(sval "$MIB.1.3.1.3.1.$KEY" 2>/dev/null)" = '"CPU2 Temp"' ]; }
check "served" wait_for 20 served
subpid=$(pgrep -P "$DPID" -f bmcwatch-snmp | head -n 1)

# --- snmpd restarted ----------------------------------------------------
snmpd_stop
check "snmpd gone: nothing answers" eval "! served"
snmpd_start || { not_ok "snmpd again"; exit 1; }
t0=$(now_ms)
check "the subagent is back within 5 s of snmpd's return" wait_for 5 served
echo "# back after $(( $(now_ms) - t0 )) ms"
check_eq "the same subagent (reconnected, not restarted)" \
    "$(pgrep -P "$DPID" -f bmcwatch-snmp | head -n 1)" "$subpid"

# --- snmpd hung for 30 s ------------------------------------------------
k0=$(d_health a heartbeat.kicks)
s0=$(d_health a sweeps)
kill -STOP "$SNMPD_PID"
t0=$(now_ms)
end=$((t0 + 30000))
worst=0
changed=0
n=0
while [ "$(now_ms)" -lt "$end" ]; do
	a=$(now_ms)
	if ! d_ask targets >/dev/null 2>"$W/ask.err"; then
		echo "# the socket failed: $(cat "$W/ask.err")"
		worst=99999
	fi
	l=$(( $(now_ms) - a ))
	[ "$l" -gt "$worst" ] && worst=$l
	n=$((n + 1))
	if [ "$changed" = 0 ] && [ "$(( $(now_ms) - t0 ))" -gt 5000 ]; then
		sim_set_value 0x02 97 1 >/dev/null	# CPU2 past critical
		changed=1
	fi
	sleep 1		# the span of the stall, not a synchronisation
done
k1=$(d_health a heartbeat.kicks)
s1=$(d_health a sweeps)
echo "# 30 s stalled: $((k1 - k0)) resets, $((s1 - s0)) sweeps, $n socket requests, slowest ${worst} ms"
# a stall behind the hung snmpd would last its 30 s; 5 s leaves room for
# a bmcwatch process started under ASan on a loaded machine (1.05 s and
# 2.2 s were seen at load average 25-30)
check "the control socket answered every request in < 5 s" test "$worst" -lt 5000
check "the heartbeat went on ($((k1 - k0)) resets in 30 s)" test $((k1 - k0)) -ge 10
check "sensors still polled ($((s1 - s0)) sweeps)" test $((s1 - s0)) -ge 10
check_eq "no watchdog expiry in the sim's SEL" "$(wd_sel)" 0
check "the daemon saw CPU2 critical while snmpd hung" \
    sh -c "$BMCWATCH -S $W/ctl.sock sensors | grep -q '^CPU2 Temp .*critical'"
check "the subagent is still the same process" kill -0 "$subpid"
# net-snmp says so when its ping went unanswered: the subagent was
# blocked in it, the daemon was not
check "the subagent saw snmpd hang (AgentX ping unanswered)" \
    grep -q "bmcwatch-snmp: net-snmp: .*failed to respond to ping" "$W/d.log"
kill -CONT "$SNMPD_PID"
critical() { [ "$(sval "$MIB.1.3.1.19.1.$KEY" 2>/dev/null)" = 3 ]; }
check "snmpd continued: the change made meanwhile is served" \
    wait_for 20 critical
check_eq "still no watchdog expiry" "$(wd_sel)" 0
d_stop
check_eq "daemon exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

#!/bin/bash
# bmcwatch-snmp across configuration changes and its own death, two
# simulated BMCs:
#   - a target added on SIGHUP gets the next free bmcwTargetIndex and is
#     served; a removed one leaves every table (and ENTITY-MIB), the
#     other keeps its index; added back, it gets its old index again
#     (state-dir/snmp-index), so an NMS's history stays with it;
#   - the subagent SIGKILLed: the daemon logs it and starts a new one,
#     which serves the same rows under the same indexes; the daemon's
#     socket answered throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
KEY=$((32 * 1024 + 1))		# CPU1 Temp
snmp_bed a b
POLL="sensor-interval 2  timeout 1  retries 1"
conf() {
	snmp_dconf
	for _t in "$@"; do
		eval "_p=\$SIMPORT_$_t"
		d_target "$_t" "$_p" "$POLL" >>"$W/d.conf"
	done
}
# served IDX NAME: bmcwTargetName.IDX and a sensor of it are there
served() {
	[ "$(sval "$MIB.1.2.1.2.$1" 2>/dev/null)" = "\"$2\"" ] &&
	    [ "$(sval "$MIB.1.3.1.3.$1.$KEY" 2>/dev/null)" = '"CPU1 Temp"' ]
}
gone() {
	! swalk "$MIB.1.2.1.2" 2>/dev/null | grep -q "\.2\.$1 = " &&
	    ! swalk "$MIB.1.3.1.3.$1" 2>/dev/null | grep -q STRING &&
	    ! swalk .1.3.6.1.2.1.47.1.1.1.1.7 2>/dev/null |
	    grep -q "\.$(( $1 * 4194304 + 255 )) = "
}
subagent() { pgrep -P "$DPID" -f bmcwatch-snmp | head -n 1; }

conf a
d_start "$W/d.conf" || exit 1
check "a served as index 1" wait_for 20 served 1 a
conf a b
kill -HUP "$DPID"
check "b added on SIGHUP: served as index 2" wait_for 20 served 2 b
check_eq "bmcwTargetCount.0 = 2" "$(sval "$MIB.1.1.3.0")" 2
conf b
kill -HUP "$DPID"
check "a removed: gone from every table" wait_for 20 gone 1
check "b keeps index 2" served 2 b
conf b a
kill -HUP "$DPID"
check "a back (now listed second): its old index 1" wait_for 20 served 1 a
check "b still index 2" served 2 b
printf '1 a\n2 b\n' >"$W/want"
check "state-dir/snmp-index" cmp -s "$W/state/snmp-index" "$W/want"

# --- the subagent dies ----------------------------------------------------
p0=$(subagent)
kill -KILL "$p0"
t0=$(now_ms)
respawned() { p=$(subagent); [ -n "$p" ] && [ "$p" != "$p0" ]; }
check "the daemon starts a new subagent" wait_for 10 respawned
check "  a: 1" wait_for 20 served 1 a
check "  b: 2" wait_for 20 served 2 b
echo "# served again $(( $(now_ms) - t0 )) ms after the kill"
check "the daemon logged the death" \
    grep -q "snmp: subagent pid $p0 killed by signal 9" "$W/d.log"
asks() { d_ask targets >/dev/null; }
check "the daemon's socket answers" asks
d_stop
check_eq "daemon exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

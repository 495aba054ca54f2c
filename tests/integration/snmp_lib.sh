# Helpers for the SNMP integration tests (3xx), sourced after lib.sh and
# daemon_lib.sh (and after d_setup: everything lives in $W):
#
#   snmp_setup          $S (a short directory for the AgentX socket),
#                       SNMP_PORT, TRAP_PORT (free UDP ports), client
#                       environment that reads no system file
#   snmpd_start         the test snmpd (tests/snmp/snmpd.conf.in, plus the
#                       lines in $SNMPD_EXTRA if set), ready when its
#                       AgentX socket exists and a GET answers; SNMPD_PID;
#                       SNMPD_SINK=trapsink: its sink gets SNMPv1 traps
#                       (RFC 3584 translation) instead of v2c
#   snmpd_stop          SIGTERM, bounded wait, SIGKILL
#   snmptrapd_start     snmptrapd logging to $S/traps.log; TRAPD_PID;
#                       TRAPD_EXTRA: more snmptrapd.conf lines (a
#                       traphandle; @DIR@ is $S), TRAPD_AUTH: the community's rights
#                       (default log), TRAPD_OPTS: more options,
#                       TRAPD_FORMAT: the log's line (-F)
#   snmptrapd_stop
#   sget OID / swalk OID   snmpget / snmpwalk -v2c -On -Oe against it
#   sval OID            the value alone (snmpget -Oqv)
#   sset3 OID T V ...   snmpset as the SNMPv3 user testrw at authPriv
#                       (the only one snmpd lets write)
#   sa_reachable IDX    the subagent says target IDX's BMC is reachable
#                       (bmcwTargetReachable.IDX true): its copy of the
#                       target comes on the watch stream a moment after
#                       the daemon's own state, and SETs wait for it
#   snmp_cleanup        stop both (for the EXIT trap, with d_cleanup)
#   snmp_wdt_bed [traps]  the bed of 320, 340, 341: d_setup, snmp_setup,
#                       the EXIT trap, the sim's watchdog plugin (SIM_DIR
#                       in $W; skip_all without it), snmptrapd if asked,
#                       snmpd, and sim "a" (D_SIMS)
#   snmp_bed [traps] SIM...  the bed of the other 3xx: d_setup, snmp_setup,
#                       the EXIT trap, snmptrapd if asked, snmpd, the sims
#                       (D_SIMS; "a" if none named) and $W/d.conf with
#                       snmp_dconf (targets are the test's to append)
#   snmp_dconf [LINE...]  $W/d.conf anew: the daemon's config for these
#                       snmpd (snmp yes, its AgentX socket) and LINEs
# The config templates are tests/snmp/*.conf.in.
SNMPD_PID=
TRAPD_PID=

snmp_setup() {
	S=$(mktemp -d /tmp/snmpt.XXXXXX) || exit 1
	chmod 755 "$S"
	mkdir -p "$S/persist" "$S/tpersist" "$S/client"
	# shellcheck disable=SC2046
	set -- $(_sim_freeports udp udp)
	SNMP_PORT=$1
	TRAP_PORT=$2
	export SNMPCONFPATH=$S/client SNMP_PERSISTENT_DIR=$S/client MIBS=
	export MIBDIRS=/nonexistent
}

snmpd_start() {
	sed -e "s|@DIR@|$S|g" -e "s|@PORT@|$SNMP_PORT|g" \
	    -e "s|@TPORT@|$TRAP_PORT|g" "$TESTS_DIR/snmp/snmpd.conf.in" \
	    >"$S/snmpd.conf"
	[ -n "${SNMPD_EXTRA:-}" ] && printf '%s\n' "$SNMPD_EXTRA" >>"$S/snmpd.conf"
	[ "${SNMPD_SINK:-}" = trapsink ] &&
	    sed -i 's/^trap2sink /trapsink /' "$S/snmpd.conf"
	SNMP_PERSISTENT_DIR=$S/persist /usr/sbin/snmpd -f -Lf "$S/snmpd.log" \
	    -C -c "$S/snmpd.conf" -p "$S/snmpd.pid" -I -smux \
	    >>"$S/snmpd.out" 2>&1 &
	SNMPD_PID=$!
	if ! wait_for 20 _snmpd_ready; then
		echo "# snmpd did not come up:"
		sed 's/^/#   | /' "$S/snmpd.log" | tail -n 20
		return 1
	fi
}

_snmpd_ready() {
	kill -0 "$SNMPD_PID" 2>/dev/null && [ -S "$S/agentx.sock" ] &&
	    snmpget -v2c -c public -t 0.3 -r 0 -On "udp:127.0.0.1:$SNMP_PORT" \
	    .1.3.6.1.2.1.1.3.0 >/dev/null 2>&1
}

_pid_stop() {
	[ -n "$1" ] || return 0
	kill -CONT "$1" 2>/dev/null
	kill -TERM "$1" 2>/dev/null
	_ps=0
	while kill -0 "$1" 2>/dev/null && [ "$_ps" -lt 50 ]; do
		_ps=$((_ps + 1))
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

snmpd_stop() {
	_pid_stop "$SNMPD_PID"
	SNMPD_PID=
}

snmptrapd_start() {
	sed -e "s|@DIR@|$S|g" \
	    -e "s|^authCommunity log |authCommunity ${TRAPD_AUTH:-log} |" \
	    "$TESTS_DIR/snmp/snmptrapd.conf.in" >"$S/snmptrapd.conf"
	[ -n "${TRAPD_EXTRA:-}" ] && printf '%s\n' "$TRAPD_EXTRA" |
	    sed "s|@DIR@|$S|g" >>"$S/snmptrapd.conf"
	: >"$S/traps.log"
	# shellcheck disable=SC2086
	SNMP_PERSISTENT_DIR=$S/tpersist /usr/sbin/snmptrapd -f -C \
	    -c "$S/snmptrapd.conf" -Lf "$S/traps.log" -On -p "$S/trapd.pid" \
	    ${TRAPD_OPTS:-} \
	    -F "${TRAPD_FORMAT:-TRAP %V| %v\n}" "udp:127.0.0.1:$TRAP_PORT" \
	    >>"$S/trapd.out" 2>&1 &
	TRAPD_PID=$!
	wait_for 10 _trapd_ready
}

_trapd_ready() {
	kill -0 "$TRAPD_PID" 2>/dev/null &&
	    ss -lun 2>/dev/null | grep -q "127.0.0.1:$TRAP_PORT "
}

snmptrapd_stop() {
	_pid_stop "$TRAPD_PID"
	TRAPD_PID=
}

sget() {
	snmpget -v2c -c public -t 2 -r 1 -On -Oe "udp:127.0.0.1:$SNMP_PORT" "$@"
}

sval() {
	snmpget -v2c -c public -t 2 -r 1 -Oqv -Oe "udp:127.0.0.1:$SNMP_PORT" "$@"
}

sa_reachable() {
	[ "$(sval ".1.3.6.1.4.1.8072.9999.623.1.2.1.12.$1" 2>/dev/null)" = 1 ]
}

sset3() {
	snmpset -v3 -l authPriv -u testrw -a SHA-256 -A testauthpass \
	    -x AES -X testprivpass -t 10 -r 0 -On -Oe \
	    "udp:127.0.0.1:$SNMP_PORT" "$@"
}

swalk() {
	snmpwalk -v2c -c public -t 2 -r 1 -On -Oe "udp:127.0.0.1:$SNMP_PORT" "$@"
}

snmp_cleanup() {
	snmpd_stop
	snmptrapd_stop
	[ -n "${S:-}" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$S"
}

snmp_wdt_bed() {
	. "$SIM_DIR/wdt_plugin.sh"
	d_setup
	snmp_setup
	D_SIMS="a"
	trap 'd_cleanup; snmp_cleanup' EXIT
	wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
	    skip_all "cannot build the sim watchdog plugin: $(cat "$W/plugin.err")"
	SIM_DIR=$W/wsim
	if [ "${1:-}" = traps ]; then
		snmptrapd_start || { not_ok "snmptrapd"; exit 1; }
	fi
	snmpd_start || { not_ok "snmpd"; exit 1; }
	sim_as a || { not_ok "sim a with the watchdog plugin"; exit 1; }
}

snmp_dconf() {
	d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\"" "$@"
}

snmp_bed() {
	_sb_traps=
	if [ "${1:-}" = traps ]; then
		_sb_traps=1
		shift
	fi
	[ $# -gt 0 ] || set -- a
	d_setup
	snmp_setup
	D_SIMS="$*"
	trap 'd_cleanup; snmp_cleanup' EXIT
	if [ -n "$_sb_traps" ]; then
		snmptrapd_start || { not_ok "snmptrapd"; exit 1; }
	fi
	snmpd_start || { not_ok "snmpd"; exit 1; }
	for _sb in "$@"; do
		sim_as "$_sb" || { not_ok "sim $_sb"; exit 1; }
	done
	snmp_dconf
}

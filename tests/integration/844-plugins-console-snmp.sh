#!/bin/bash
# check_bmc_console in remote mode (-H, bmcwConsoleTable through a real
# snmpd fed by bmcwatch-snmp) against socket mode: the same exit code,
# text and perfdata, v2c and v3, in each state the console is driven
# through:
#   - target a: the sim's SOL goes to a serial peer of the test (tests/
#     sol/serial_peer.py): connected, OK; a "Kernel panic" line sent by
#     the peer: CRITICAL naming the pattern and the line; --max-age 1
#     once that event is older: OK again;
#   - target b: a sim without SOL: its console never connects, WARNING
#     saying the state in words (--disconnected-ok: OK);
#   - both targets at once, -v; a target without a sol block (c):
#     UNKNOWN "no console logged";
#   - every SNMP command line shipped in etc/nagios (v2c and v3) and
#     etc/nrpe.d (v3), macros substituted, run against this agent: OK,
#     output per the guidelines, no passphrase in any output;
#   - Icinga 2 running etc/icinga2's CheckCommands (SNMP v3 for each,
#     v2c and the socket for sensors): each command line it built, run
#     again, OK per the guidelines;
#   - the daemon stopped: UNKNOWN in both modes, each with its reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
PEER_PID=
I2_PID=
d_setup
snmp_setup
D_SIMS="a b c"
cleanup() {
	if [ -n "$I2_PID" ]; then
		kill -TERM "$I2_PID" 2>/dev/null
		wait "$I2_PID" 2>/dev/null
	fi
	if [ -n "$PEER_PID" ]; then
		kill -TERM "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
	fi
	d_cleanup
	snmp_cleanup
}
trap cleanup EXIT
p_snmp_creds
snmpd_start || { not_ok "snmpd"; exit 1; }
P=$W/peer
mkdir -p "$P"
python3 "$TESTS_DIR/sol/serial_peer.py" --port-file "$W/peer.port" \
    --script "$P" --for 3600 >"$W/peer.log" 2>&1 &
PEER_PID=$!
wait_for 10 test -s "$W/peer.port" || { not_ok "serial peer up"; exit 1; }
SIM_SOL="tcp:127.0.0.1:$(cat "$W/peer.port")"
sim_as a || { not_ok "sim a (SOL to the peer)"; exit 1; }
SIM_SOL=
sim_as b || { not_ok "sim b (no SOL)"; exit 1; }
sim_as c || { not_ok "sim c"; exit 1; }

d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
d_target a "$SIMPORT_a" 'sensor-interval 2  chassis-interval 1
	timeout 1  retries 1
	sol { log yes  pattern "Kernel panic - not syncing" }' >>"$W/d.conf"
d_target b "$SIMPORT_b" 'sensor-interval 2  chassis-interval 1
	timeout 1  retries 1
	sol { log yes }' >>"$W/d.conf"
d_target c "$SIMPORT_c" 'sensor-interval 2  chassis-interval 1
	timeout 1  retries 1' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
for t in a b c; do
	check "target $t up" wait_for 20 d_state $t up
done
console_up() { [ "$(d_health a console.connected)" = True ]; }
check "a's console connected" wait_for 30 console_up
# b's console tried and gave up for now: its state in words
b_tried() {
	_s=$(d_health b console.state)
	[ -n "$_s" ] && [ "$_s" != None ] && [ "$_s" != starting ] &&
	    [ "$_s" != activating ]
}
check "b's console not connected, a reason given" wait_for 30 b_tried
rows() { [ "$(swalk "$MIB.1.10.1.2" 2>/dev/null | grep -c .)" = 2 ]; }
check "bmcwConsoleTable: a row for a and b (not c)" wait_for 30 rows

p_same "a: connected" 0 check_bmc_console --target a
p_same "a: connected, -v" 0 check_bmc_console --target a -v
p_same "b: not connected" 1 check_bmc_console --target b
p_same "b: --disconnected-ok" 0 check_bmc_console --target b \
    --disconnected-ok
p_same "c: no sol block: UNKNOWN" 3 check_bmc_console --target c
p_same "all consoles: b not connected, -v" 1 check_bmc_console -v
p_state "socket: b not connected, in words" 1 \
    '^BMC CONSOLE WARNING - 2 consoles, 0 with a recent event: b: console not connected: [a-z]' \
    check_bmc_console

# every SNMP command line of etc/nagios and etc/nrpe.d (v2c and v3)
# against this agent, before any console event: OK, per the guidelines.
# Substituted: the plugin directory, $HOSTADDRESS$ (and the NRPE lines'
# host) by 127.0.0.1 with the test's port and --target a (three
# targets here), $ARG1$ and the NRPE lines' v3 file by the test's files
check "a's watchdog read" wait_for 10 d_fresh a "watchdog get"
check "a's SEL read" wait_for 10 d_fresh a "sel info"
p_cfg_lines snmp >"$W/cmds"
n2=0 n3=0
while IFS='	' read -r file name cmd; do
	here="127.0.0.1 -p $SNMP_PORT --target a"
	cmd=${cmd//\$HOSTADDRESS\$/$here}
	cmd=${cmd//db7.mgmt.example/$here}
	cmd=${cmd//\/etc\/nagios\/bmcwatch-snmpv3.conf/$W/v3}
	case $name in
	*_snmpv3) cmd=${cmd//\$ARG1\$/$W/v3} ;;
	*)	cmd=${cmd//\$ARG1\$/$W/community} ;;
	esac
	cmd=${cmd//\$ARG2\$/}
	case $cmd in
	*--v3-file*) n3=$((n3 + 1)) ;;
	*) n2=$((n2 + 1)) ;;
	esac
	p_run_line "$file $name" 0 "$cmd"
done <"$W/cmds"
check_eq "the SNMP command lines: 6 v2c (nagios)" "$n2" 6
check_eq "the SNMP command lines: 12 v3 (nagios, nrpe)" "$n3" 12
check "no passphrase in any output" \
    sh -c "! grep -rq 'v3authpass1\\|v3privpass1' $W/*.out $W/*.err"

# --- Icinga 2 runs the shipped CheckCommands --------------------------------
# icinga2 itself (as this user, its state in $W/i2) with PluginDir a
# directory of wrappers that log their argv and run the real plugin: one
# service per CheckCommand over SNMP v3, sensors over v2c and from the
# socket.  Each command line icinga2 built is then run again here: OK,
# per the guidelines.
if command -v icinga2 >/dev/null 2>&1; then
	I2=$W/i2
	mkdir -p "$I2/plug" "$I2/run/icinga2" "$I2/state" "$I2/cache" \
	    "$I2/spool" "$I2/log"
	for c in sensors sel chassis watchdog agent console; do
		printf '#!/bin/sh\nprintf "%%s\\n" "$0 $*" >>"%s/argv.%s"\nexec "%s/check_bmc_%s" "$@"\n' \
		    "$I2" "$c" "$PLUGDIR" "$c" >"$I2/plug/check_bmc_$c"
		chmod 755 "$I2/plug/check_bmc_$c"
	done
	{
		printf 'const PluginDir = "%s"\ninclude <itl>\n' "$I2/plug"
		printf 'include "%s"\n' "$TOP/etc/icinga2/bmcwatch-commands.conf"
		printf 'object CheckerComponent "checker" { }\n'
		printf 'object Host "h" { check_command = "dummy"; address = "127.0.0.1"; enable_active_checks = false }\n'
		printf 'template Service "t" { host_name = "h"; check_interval = 1s; retry_interval = 1s; vars.bmcwatch_target = "a" }\n'
		for c in sensors sel chassis watchdog agent console; do
			printf 'object Service "%s-v3" { import "t"; check_command = "bmcwatch-%s"\n' "$c" "$c"
			printf '\tvars.bmcwatch_address = "127.0.0.1"; vars.bmcwatch_snmp_port = %s\n' "$SNMP_PORT"
			printf '\tvars.bmcwatch_v3_file = "%s" }\n' "$W/v3"
		done
		printf 'object Service "sensors-v2c" { import "t"; check_command = "bmcwatch-sensors"\n'
		printf '\tvars.bmcwatch_address = "127.0.0.1"; vars.bmcwatch_snmp_port = %s\n' "$SNMP_PORT"
		printf '\tvars.bmcwatch_community_file = "%s" }\n' "$W/community"
		printf 'object Service "sensors-socket" { import "t"; check_command = "bmcwatch-sensors"\n'
		printf '\tvars.bmcwatch_socket = "%s" }\n' "$W/ctl.sock"
	} >"$I2/icinga2.conf"
	icinga2 daemon -c "$I2/icinga2.conf" -x notice \
	    -DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)" \
	    -DStateDir="$I2/state" -DCacheDir="$I2/cache" \
	    -DSpoolDir="$I2/spool" -DLogDir="$I2/log" \
	    -DInitRunDir="$I2/run" -DDataDir="$I2/state" \
	    >"$I2/out" 2>&1 &
	I2_PID=$!
	# every service checked at least once: 3 sensors lines, 1 of others
	i2_ran() {
		[ "$(sort -u "$I2/argv.sensors" 2>/dev/null | wc -l)" = 3 ] &&
		    for c in sel chassis watchdog agent console; do
			[ -s "$I2/argv.$c" ] || return 1
		    done
	}
	check "icinga2 ran all 8 services" wait_for 60 i2_ran ||
	    show_file "$I2/out"
	kill -TERM "$I2_PID" 2>/dev/null
	wait "$I2_PID" 2>/dev/null
	I2_PID=
	for c in sensors sel chassis watchdog agent console; do
		sort -u "$I2/argv.$c" 2>/dev/null
	done >"$I2/argv"
	# the sensors command has --extended-units on by default
	P_EXT=--ext
	while IFS= read -r line; do
		_l=${line//$W\//}
		p_run_line "icinga2: ${_l#i2/plug/}" 0 "$line"
	done <"$I2/argv"
	P_EXT=
else
	ok "icinga2 runs the CheckCommands # SKIP icinga2 not installed (Debian: icinga2-bin)"
fi

# a panic line from the peer: CRITICAL with the pattern and the line
printf 'booting\r\nKernel panic - not syncing: VFS: test 844\r\nafter\r\n' \
    >"$P/tmp"
mv "$P/tmp" "$P/send.1"
check "the peer sent the panic" wait_for 30 test -e "$P/sent.1"
# the line goes sim, SOL, daemon: wait for the daemon to have it
seen() { d_health a console.last_event_age_s 2>/dev/null | grep -q '^[0-9]'; }
check "a's console event in the daemon" wait_for 30 seen
p_state "socket: a's console event" 2 \
    '^BMC CONSOLE CRITICAL - 1 console, 1 with a recent event: a: console event [0-9]+ s ago, pattern "Kernel panic - not syncing": Kernel panic - not syncing: VFS: test 844 \|' \
    check_bmc_console --target a
p_same "a: console event" 2 check_bmc_console --target a
p_same "all: a's event, b not connected, -v" 2 check_bmc_console -v
# --max-age 1: the event stops counting once older (whole seconds in
# the MIB: both modes agree once it is at least 2 s old)
old() { [ "$(d_health a console.last_event_age_s | cut -d. -f1)" -ge 2 ]; }
check "a's event at least 2 s old" wait_for 30 old
p_same "a: --max-age 1, the event older" 0 check_bmc_console --target a \
    --max-age 1
p_same "a: --max-age 3600, the event younger" 2 check_bmc_console \
    --target a --max-age 3600

# the daemon gone: UNKNOWN in both modes, each naming what is missing
d_stop
plug check_bmc_console
check_eq "socket, no daemon: UNKNOWN" "$P_RC" 3
check "  naming the socket" grep -q "^BMC CONSOLE UNKNOWN - .*$W/ctl.sock" \
    "$W/p.out"
# shellcheck disable=SC2086
"$PLUGDIR/check_bmc_console" -t 4 $P_V2 >"$W/r.out" 2>&1
check_eq "-H, no daemon behind snmpd: UNKNOWN" "$?" 3
check "  saying no target is in the MIB" \
    grep -q '^BMC CONSOLE UNKNOWN - 127.0.0.1: no bmcwatch target in BMCWATCH-MIB' \
    "$W/r.out"
finish

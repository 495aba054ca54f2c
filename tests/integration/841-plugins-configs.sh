#!/bin/bash
# The shipped monitoring configuration:
#   - etc/icinga2/bmcwatch-commands.conf passes `icinga2 daemon -C`
#     (Debian's icinga2) with the ITL and one service per CheckCommand,
#     and a copy with a syntax error does not (the check can fail);
#   - every NRPE command of etc/nrpe.d/bmcwatch.cfg and every local
#     Nagios command of etc/nagios/bmcwatch.cfg, run against bmcwatchd
#     on the sim (socket path substituted), gives guideline-conforming
#     output, OK; their SNMP commands name plugins that exist;
#   - every plugin is covered by each file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
PLUGINS="check_bmc_sensors check_bmc_sel check_bmc_chassis check_bmc_watchdog check_bmc_agent"

# --- icinga2 -----------------------------------------------------------------
if command -v icinga2 >/dev/null 2>&1; then
	mkdir -p "$W/i2"
	# icinga2 validates as its own user (nagios): its cache dir is ours
	if id nagios >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		chown nagios "$W/i2"
	fi
	i2conf() {
		cat <<EOF2
const PluginDir = "$PLUGDIR"
include <itl>
include <plugins>
include "$1"
object Host "h" { check_command = "dummy"; address = "127.0.0.1" }
apply Service "sensors" { check_command = "bmcwatch-sensors"
	vars.bmcwatch_sensor_types = [ "Fan", "Voltage" ]
	vars.bmcwatch_sensor_warning = [ "FAN*=1000:", "P12V=11.5:12.5" ]
	assign where true }
apply Service "sel" { check_command = "bmcwatch-sel"; vars.bmcwatch_sel_max_age = 86400; assign where true }
apply Service "chassis" { check_command = "bmcwatch-chassis"; vars.bmcwatch_power = "on"; assign where true }
apply Service "watchdog" { check_command = "bmcwatch-watchdog"; vars.bmcwatch_target = "db7"; assign where true }
apply Service "agent" { check_command = "bmcwatch-agent"; vars.bmcwatch_stale_critical = true; assign where true }
EOF2
	}
	# a copy icinga2's user can read wherever the tree is (a clone in
	# /root is not open to nagios)
	cp "$TOP/etc/icinga2/bmcwatch-commands.conf" "$W/i2/commands.conf"
	i2conf "$W/i2/commands.conf" >"$W/i2/icinga2.conf"
	icinga2 daemon -C -c "$W/i2/icinga2.conf" -DCacheDir="$W/i2" \
	    >"$W/i2/out" 2>&1
	check_eq "icinga2 daemon -C: exit 0" "$?" 0
	check "5 services on the 5 CheckCommands" \
	    grep -q 'Instantiated 5 Services' "$W/i2/out"
	grep -q 'Finished validating' "$W/i2/out" || show_file "$W/i2/out"
	for c in sensors sel chassis watchdog agent; do
		check "CheckCommand bmcwatch-$c defined" \
		    grep -q "^object CheckCommand \"bmcwatch-$c\"" \
		    "$TOP/etc/icinga2/bmcwatch-commands.conf"
	done
	# a broken copy must fail: the validation is real
	sed '0,/^}/s/^}//' "$TOP/etc/icinga2/bmcwatch-commands.conf" \
	    >"$W/i2/broken.conf"
	i2conf "$W/i2/broken.conf" >"$W/i2/broken-main.conf"
	icinga2 daemon -C -c "$W/i2/broken-main.conf" -DCacheDir="$W/i2" \
	    >"$W/i2/out2" 2>&1
	check "a copy with a missing brace fails (exit $?)" \
	    grep -q 'critical/config' "$W/i2/out2"
else
	ok "icinga2 daemon -C # SKIP icinga2 not installed (Debian: icinga2-bin)"
fi

# --- NRPE and Nagios commands against the daemon ------------------------------
# a serial port behind the sim's SOL, so that the console the daemon
# logs is connected (check_bmc_console)
python3 "$TESTS_DIR/sol/serial_peer.py" --port-file "$W/peer.port" \
    --echo --for 900 >"$W/peer.log" 2>&1 &
PEER_PID=$!
trap 'kill "$PEER_PID" 2>/dev/null; d_cleanup' EXIT
wait_for 10 test -s "$W/peer.port" || { not_ok "serial peer up"; exit 1; }
SIM_SOL="tcp:127.0.0.1:$(cat "$W/peer.port")"
sim_as a || { not_ok "sim a"; exit 1; }
d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 1
	chassis-interval 1  timeout 1
	sol { log yes }' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
console_up() { [ "$(d_health a console.connected)" = True ]; }
check "A's console connected" wait_for 30 console_up
check "A's watchdog read" wait_for 10 d_fresh a "watchdog get"
check "A's SEL read" wait_for 10 d_fresh a "sel info"
# run_line DESC LINE: the command line with the socket given, OK and
# per the guidelines
run_line() {
	_rd=$1
	# shellcheck disable=SC2086
	set -- $2
	_p=$1
	shift
	"$_p" -S "$W/ctl.sock" "$@" >"$W/p.out" 2>"$W/p.err"
	P_RC=$?
	P_PERF=$(python3 "$TESTS_DIR/integration/perfdata.py" "$P_RC" "$W/p.out" 2>&1)
	if [ "$P_RC" = 0 ] && [ -z "$P_PERF" ]; then
		ok "$_rd: OK, per the guidelines: $(head -n 1 "$W/p.out" | cut -c1-70)"
	else
		not_ok "$_rd: exit $P_RC $P_PERF"
		show_file "$W/p.out"
		show_file "$W/p.err"
	fi
}
n=0
while IFS= read -r line; do
	case $line in
	command\[*\]=*) ;;
	*) continue ;;
	esac
	name=${line#command[}
	name=${name%%]*}
	cmd=${line#*=}
	cmd=${cmd//\/usr\/lib\/nagios\/plugins/$PLUGDIR}
	run_line "nrpe $name" "$cmd"
	n=$((n + 1))
done <"$TOP/etc/nrpe.d/bmcwatch.cfg"
check_eq "nrpe: one command per plugin" "$n" 6
for p in $PLUGINS; do
	check "nrpe: $p covered" grep -q "^command\[$p\]=/usr/lib/nagios/plugins/$p" \
	    "$TOP/etc/nrpe.d/bmcwatch.cfg"
done
python3 - "$TOP/etc/nagios/bmcwatch.cfg" >"$W/nagios.cmds" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
for m in re.finditer(r"define command \{(.*?)\}", t, re.S):
    kv = dict(re.findall(r"^\s*(\w+)\s+(.*?)\s*$", m.group(1), re.M))
    print("%s\t%s" % (kv["command_name"], kv["command_line"]))
PY
check_eq "nagios: 9 command definitions" "$(wc -l <"$W/nagios.cmds")" 9
while IFS='	' read -r name cmd; do
	cmd=${cmd//\$USER1\$/$PLUGDIR}
	case $name in
	*_snmp)
		p=${cmd%% *}
		check "nagios $name: $(basename "$p") exists and takes -H" \
		    test -x "$p" ;;
	*)	cmd=${cmd//\$ARG1\$/}
		run_line "nagios $name" "$cmd" ;;
	esac
done <"$W/nagios.cmds"
for p in $PLUGINS; do
	check "nagios: $p covered" grep -q "command_name	$p$" \
	    "$TOP/etc/nagios/bmcwatch.cfg"
done
d_stop
check "no sanitizer report" d_san_clean
finish

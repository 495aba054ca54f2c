#!/bin/bash
# The shipped monitoring configuration:
#   - etc/icinga2/bmcwatch-commands.conf passes `icinga2 daemon -C`
#     (Debian's icinga2) with the ITL and one service per CheckCommand
#     (and one over SNMP v3; 844 has icinga2 run them all),
#     and a copy with a syntax error does not (the check can fail);
#   - every local NRPE command of etc/nrpe.d/bmcwatch.cfg and every
#     local Nagios command of etc/nagios/bmcwatch.cfg, run against
#     bmcwatchd on the sim (socket path added), gives guideline-conforming
#     output, OK (844 runs the SNMP ones);
#   - every plugin is covered by each file;
#   - each plugin's -h and -V, its long options all in check_bmc.8, a
#     bad option and an operand UNKNOWN.
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
apply Service "console" { check_command = "bmcwatch-console"; vars.bmcwatch_console_max_age = 600; assign where true }
apply Service "sensors-v3" { check_command = "bmcwatch-sensors"; vars.bmcwatch_address = host.address
	vars.bmcwatch_v3_file = "/etc/icinga2/bmcwatch-snmpv3.conf"; assign where true }
EOF2
	}
	# a copy icinga2's user can read wherever the tree is (a clone in
	# /root is not open to nagios)
	cp "$TOP/etc/icinga2/bmcwatch-commands.conf" "$W/i2/commands.conf"
	i2conf "$W/i2/commands.conf" >"$W/i2/icinga2.conf"
	icinga2 daemon -C -c "$W/i2/icinga2.conf" -DCacheDir="$W/i2" \
	    >"$W/i2/out" 2>&1
	check_eq "icinga2 daemon -C: exit 0" "$?" 0
	check "7 services on the 6 CheckCommands (one over SNMP v3)" \
	    grep -q 'Instantiated 7 Services' "$W/i2/out"
	grep -q 'Finished validating' "$W/i2/out" || show_file "$W/i2/out"
	for c in sensors sel chassis watchdog agent console; do
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
    --echo --for 3600 >"$W/peer.log" 2>&1 &
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
# every local command line, with the test's socket added (-S; the lines
# use the default one): OK, per the guidelines; the SNMP ones (-H) are
# run by 844 against snmpd
p_cfg_lines local >"$W/cmds"
nn=0 ng=0
while IFS='	' read -r file name cmd; do
	cmd=${cmd//\$ARG1\$/}
	p=${cmd%% *}
	p_run_line "$file $name" 0 "$p -S $W/ctl.sock ${cmd#"$p"}"
	if [ "$file" = nrpe ]; then nn=$((nn + 1)); else ng=$((ng + 1)); fi
done <"$W/cmds"
check_eq "nrpe: one local command per plugin" "$nn" 6
check_eq "nagios: one local command per plugin" "$ng" 6
check_eq "nagios: 18 command definitions (local, v2c, v3)" \
    "$({ p_cfg_lines local; p_cfg_lines snmp; } | grep -c '^nagios')" 18
for p in $PLUGINS check_bmc_console; do
	check "nrpe: $p covered" grep -q "^command\[$p\]=/usr/lib/nagios/plugins/$p" \
	    "$TOP/etc/nrpe.d/bmcwatch.cfg"
	for s in "" _snmp _snmpv3; do
		check "nagios: $p$s covered" grep -q "command_name	$p$s$" \
		    "$TOP/etc/nagios/bmcwatch.cfg"
	done
done

# --- -h, -V, bad usage, and the man page ------------------------------------
# each plugin: -h and -V exit 0 naming it and the version; its help has
# the common options; every long option it lists is in check_bmc.8; a
# bad option or an operand is UNKNOWN (3) with one status line
for p in $PLUGINS check_bmc_console; do
	"$PLUGDIR/$p" -h >"$W/h.out" 2>&1
	check_eq "$p -h: exit 0" "$?" 0
	check "$p -h: names it and the version" \
	    grep -q "^$p (bmcwatch [0-9][0-9.]*)$" "$W/h.out"
	for o in --socket --hostname --community-file --v3-file --target \
	    --timeout --stale-critical --verbose --version; do
		grep -q -- "$o" "$W/h.out" || not_ok "$p -h: lists $o"
	done
	# the man page gives an option by its short form where it has one
	# ("  -w, --warning"), else by its long one ("      --max-age")
	miss=
	for o in $(sed -nE -e 's/^  -([A-Za-z]), --.*/\1/p' \
	    -e 's/^      (--[a-z0-9-]+).*/\1/p' "$W/h.out" | sort -u); do
		grep -qE -- "Fl ${o#-}([^a-z0-9-]|$)" \
		    "$TOP/plugins/check_bmc.8" || miss="$miss $o"
	done
	check_eq "$p -h: every option in check_bmc.8" "$miss" ""
	"$PLUGDIR/$p" -V >"$W/h.out" 2>&1
	check_eq "$p -V: exit 0, one line" "$?:$(wc -l <"$W/h.out")" 0:1
	"$PLUGDIR/$p" --no-such-option >"$W/h.out" 2>/dev/null
	check_eq "$p --no-such-option: UNKNOWN" "$?" 3
	check "  one status line: bad usage" grep -q \
	    "^BMC [A-Z]* UNKNOWN - bad usage; see $p --help$" "$W/h.out"
	"$PLUGDIR/$p" -S "$W/ctl.sock" stray >"$W/h.out" 2>&1
	check_eq "$p with an operand: UNKNOWN" "$?" 3
	check "  naming it" grep -q "^BMC [A-Z]* UNKNOWN - unexpected argument 'stray'$" \
	    "$W/h.out"
done
d_stop
check "no sanitizer report" d_san_clean
finish

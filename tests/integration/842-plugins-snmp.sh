#!/bin/bash
# The plugins' remote mode (-H): a real snmpd on 127.0.0.1 fed by
# bmcwatch-snmp, bmcwatchd on the simulated BMC.  Every check_bmc_*
# plugin gives the same exit code, text and perfdata over SNMP (v2c with
# a community file, v3 authPriv SHA-256/AES with a credentials file) as
# from the control socket, in OK, WARNING and CRITICAL states driven on
# the sim (a fan below its lower non-critical threshold, a CPU
# temperature past its upper critical one with the SEL problems that
# follow, power off), UNKNOWN on stale data (the sim frozen; CRITICAL
# with --stale-critical), and with --target, -v, -T, --extended-units.
# Ages (whole seconds in the MIB) and the watchdog's countdown (not
# re-published between changes) are masked.  Errors: a wrong community,
# a wrong v3 passphrase, a dead port answer UNKNOWN naming the host and
# the OID within the bounded time (-t 4: two tries of 1 s); no
# credentials file, an unreadable one, a malformed one: UNKNOWN naming
# it; no secret ever in argv.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
d_setup
snmp_setup
D_SIMS="a"
trap '[ -n "${SIMPID_a:-}" ] && kill -CONT "$SIMPID_a" 2>/dev/null; d_cleanup; snmp_cleanup' EXIT
p_snmp_creds
snmpd_start || { not_ok "snmpd"; exit 1; }
# the sim with its spec-conforming watchdog (tests/sim/wdt_plugin.c)
wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
    skip_all "cannot build the sim watchdog plugin: $(cat "$W/plugin.err")"
SIM_DIR=$W/wsim
sim_as a || { not_ok "sim a"; exit 1; }
umask 077
printf 'wrong\n' >"$W/badcommunity"
sed 's/^authpass=.*/authpass=notthepass/' "$W/v3" >"$W/badv3"
printf 'user=bmcv3\nauth=SHA-256\n' >"$W/halfv3"
umask 022
d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
d_target a "$SIMPORT_a" "sensor-interval 1  sel-interval 1
	chassis-interval 1  timeout 1  retries 1  unreachable-after 100
	watchdog { timeout 600  interval 2  action none }" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
ns=$(d_ask --json --target a sensors | python3 -c \
    'import json,sys; print(len(json.load(sys.stdin)["sensors"]))')
nrows() { [ "$(swalk "$MIB.1.3.1.3" 2>/dev/null | grep -c .)" = "$ns" ]; }
check "the subagent serves all $ns sensors" wait_for 30 nrows
hbrow() { [ "$(sval "$MIB.1.8.1.12.1" 2>/dev/null)" = 3 ]; }
check "the heartbeat runs (bmcwWatchdogHeartbeat running)" wait_for 30 hbrow

T="--target a"
p_same "sensors: all ok" 0 check_bmc_sensors
p_same "sensors -v" 0 check_bmc_sensors -v
P_EXT=--ext
p_same "sensors --extended-units" 0 check_bmc_sensors --extended-units
P_EXT=
p_same "sensors -T voltage, --target a" 0 check_bmc_sensors -T voltage $T
p_same "sel: no problems, -v" 0 check_bmc_sel -v -w 80 -c 90
p_same "chassis: power on, -v" 0 check_bmc_chassis -v
p_same "watchdog: our heartbeat, -v" 0 check_bmc_watchdog -v $T
p_same "agent -v" 0 check_bmc_agent -v
p_same "--target nosuch: UNKNOWN" 3 check_bmc_sensors --target nosuch

sim_set_value 0x0a 9 >/dev/null
p_state "socket: FAN3 900 RPM" 1 '^BMC SENSORS WARNING - 1 of' check_bmc_sensors
p_same "sensors: FAN3 warning" 1 check_bmc_sensors
p_same "sensors: -w override" 0 check_bmc_sensors -n 'FAN*' -w 'FAN3=500:'
sim_set_value 0x01 97 1 >/dev/null
p_state "socket: CPU1 Temp 97" 2 '^BMC SENSORS CRITICAL' check_bmc_sensors -n 'CPU1*'
p_state "socket: SEL problems" 2 '^BMC SEL CRITICAL - 3 open problems' check_bmc_sel
p_same "sensors: CPU1 critical, FAN3 warning" 2 check_bmc_sensors
p_same "sel: three open problems, -v" 2 check_bmc_sel -v
p_same "sel: --info-warning --max-age 3600" 2 check_bmc_sel --info-warning \
    --max-age 3600
sim_set_value 0x0a 85 >/dev/null
sim_set_value 0x01 45 1 >/dev/null
sim_ipmitool chassis power off >/dev/null 2>&1
p_state "socket: powered off" 2 '^BMC CHASSIS CRITICAL - system power off' \
    check_bmc_chassis
p_same "chassis: power off" 2 check_bmc_chassis
p_same "chassis: --power off" 0 check_bmc_chassis --power off
sim_ipmitool chassis power on >/dev/null 2>&1
p_state "socket: back to OK" 0 '^BMC SENSORS OK' check_bmc_sensors
p_same "sensors: OK again" 0 check_bmc_sensors

# the BMC frozen: stale data, UNKNOWN (CRITICAL with --stale-critical)
kill -STOP "$SIMPID_a"
p_state "socket: frozen BMC, stale" 3 '^BMC SENSORS UNKNOWN - a: data stale' \
    check_bmc_sensors
p_same "sensors: stale" 3 check_bmc_sensors
p_same "chassis: stale, --stale-critical" 2 check_bmc_chassis --stale-critical
kill -CONT "$SIMPID_a"
p_state "socket: thawed" 0 '^BMC SENSORS OK' check_bmc_sensors

# --- errors, bounded ------------------------------------------------------
# err_case DESC REGEX MAX_S ARGS...: UNKNOWN, first line matching, in time
err_case() {
	_d=$1 _re=$2 _max=$3
	shift 3
	_t0=$(now_ms)
	"$PLUGDIR/check_bmc_sensors" "$@" >"$W/e.out" 2>"$W/e.err"
	_rc=$?
	_ms=$(($(now_ms) - _t0))
	if [ "$_rc" = 3 ] && head -n 1 "$W/e.out" | grep -Eq "$_re" &&
	    [ "$_ms" -le $((_max * 1000)) ] && [ ! -s "$W/e.err" ]; then
		ok "$_d: UNKNOWN in $_ms ms: $(head -n 1 "$W/e.out" | cut -c1-120)"
	else
		not_ok "$_d: exit $_rc in $_ms ms (at most $_max s), /$_re/"
		show_file "$W/e.out"
		show_file "$W/e.err"
	fi
}
err_case "wrong community" \
    "^BMC SENSORS UNKNOWN - 127.0.0.1:$SNMP_PORT: no answer to GETNEXT \\.1\\.3\\.6\\.1\\.4\\.1\\.8072\\.9999\\.623\\.1\\.2\\.1\\.2 " \
    4 -t 4 -H 127.0.0.1 -p "$SNMP_PORT" -C "$W/badcommunity"
DEAD=$(free_udp_port)
err_case "nothing listening" \
    "^BMC SENSORS UNKNOWN - 127.0.0.1:$DEAD: no answer to GETNEXT \\.1\\.3\\.6" \
    4 -t 4 -H 127.0.0.1 -p "$DEAD" -C "$W/community"
err_case "v3: wrong auth passphrase" \
    "^BMC SENSORS UNKNOWN - 127.0.0.1:$SNMP_PORT: .*(uthentication|GETNEXT)" \
    4 -t 4 -H 127.0.0.1 -p "$SNMP_PORT" --v3-file "$W/badv3"
err_case "v3: nothing listening" \
    "^BMC SENSORS UNKNOWN - 127.0.0.1:$DEAD: no answer to GETNEXT \\.1\\.3\\.6" \
    4 -t 4 -H 127.0.0.1 -p "$DEAD" --v3-file "$W/v3"
err_case "no credentials" \
    "^BMC SENSORS UNKNOWN - -H 127.0.0.1: give -C COMMUNITY-FILE \\(v2c\\) or --v3-file FILE \\(v3\\)$" \
    2 -H 127.0.0.1 -p "$SNMP_PORT"
err_case "a missing community file" \
    "^BMC SENSORS UNKNOWN - -H 127.0.0.1: $W/nosuch: No such file or directory$" \
    2 -H 127.0.0.1 -p "$SNMP_PORT" -C "$W/nosuch"
err_case "a half v3 file" \
    "^BMC SENSORS UNKNOWN - -H 127.0.0.1: $W/halfv3: auth= and authpass= go together$" \
    2 -H 127.0.0.1 -p "$SNMP_PORT" --v3-file "$W/halfv3"
check "no passphrase in any output" \
    sh -c "! grep -rq 'v3authpass1\\|v3privpass1\\|notthepass' $W/*.out $W/*.err"

# the daemon gone: the subagent with it
d_stop
err_case "no daemon behind snmpd" \
    "^BMC SENSORS UNKNOWN - 127.0.0.1: no bmcwatch target in BMCWATCH-MIB" \
    4 -t 4 -H 127.0.0.1 -p "$SNMP_PORT" -C "$W/community"
finish

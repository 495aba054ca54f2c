#!/bin/bash
# check_bmc_sensors against bmcwatchd watching the simulated BMC, the sim
# changed at runtime:
#   - OK with every sensor; FAN3 below its lower non-critical threshold:
#     WARNING naming it, its value and the threshold; below lower
#     critical: CRITICAL; back: OK;
#   - filters (-T, -X, -n, -x) and -w/-c range overrides change the
#     verdict as they say;
#   - the daemon frozen: -t gives UNKNOWN in time; the BMC gone: stale
#     data UNKNOWN, CRITICAL with --stale-critical; no daemon: UNKNOWN;
#   - every output follows the guidelines (perfdata.py: first line,
#     exit code, perfdata grammar; --extended-units' C/V/A/W).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

d_setup
D_SIMS="a"
trap '[ -n "$DPID" ] && kill -CONT "$DPID" 2>/dev/null; d_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 5
	chassis-interval 2  timeout 1  retries 1  unreachable-after 3
	backoff-max 4' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up

p_state "all ok" 0 '^BMC SENSORS OK - 35 sensors ok \| ' check_bmc_sensors
check "perfdata for the 21 analog sensors" \
    test "$(head -n 1 "$W/p.out" | grep -o "'=" | wc -l)" = 21
check "FAN3's perfdata: warn/crit from lnc/lc" \
    grep -q "'FAN3'=8500;1000:;700:;;" "$W/p.out"
check "P12V's: both sides" grep -q "'P12V'=12;11.4:12.6;10.8:13.2;;" "$W/p.out"
check "no long output when all is ok" test "$(wc -l <"$W/p.out")" = 1
plug check_bmc_sensors -v
check_eq "-v: one line per sensor" "$(($(wc -l <"$W/p.out") - 1))" 35
P_EXT=--ext
p_state "--extended-units" 0 '^BMC SENSORS OK' check_bmc_sensors \
    --extended-units
P_EXT=
check "units C, RPM none, V" grep -q "'CPU1 Temp'=45C;.*'FAN1'=8400;.*'P12V'=12V;" \
    "$W/p.out"

# FAN3: raw 9 = 900 RPM, below lnc 1000
sim_set_value 0x0a 9 >/dev/null
p_state "FAN3 900 RPM" 1 \
    '^BMC SENSORS WARNING - 1 of 35 sensors warning: FAN3 900 RPM \(lnc 1000\) \|' \
    check_bmc_sensors
check_eq "long output: the one sensor" "$(sed -n 2p "$W/p.out")" \
    "WARNING: FAN3 900 RPM (lnc 1000)"
p_state "-x FAN3 leaves it out" 0 '^BMC SENSORS OK - 34 sensors ok' \
    check_bmc_sensors -x 'FAN3'
p_state "-T voltage: fans not asked" 0 '^BMC SENSORS OK - 5 sensors ok' \
    check_bmc_sensors -T voltage
p_state "-X fan" 0 '^BMC SENSORS OK - 29 sensors ok' check_bmc_sensors -X Fan
p_state "-n 'FAN*'" 1 '^BMC SENSORS WARNING - 1 of 5 sensors warning' \
    check_bmc_sensors -n 'FAN*'
p_state "-w 'FAN3=500:' overrides the BMC" 0 '^BMC SENSORS OK' \
    check_bmc_sensors -n 'FAN*' -w 'FAN3=500:'
check "the override is FAN3's perfdata warn" \
    grep -q "'FAN3'=900;500:;700:;;" "$W/p.out"

# raw 6 = 600 RPM, below lc 700
sim_set_value 0x0a 6 >/dev/null
p_state "FAN3 600 RPM" 2 \
    '^BMC SENSORS CRITICAL - 1 of 35 sensors critical: FAN3 600 RPM \(lc 700\)' \
    check_bmc_sensors
p_state "-c '~:10000' for all fans" 0 '^BMC SENSORS OK - 6 sensors ok' \
    check_bmc_sensors -T fan -w '@1:2' -c '~:10000'
# ranges on a temperature: CPU1 Temp 45
p_state "-w 40 (outside 0..40)" 1 \
    "^BMC SENSORS WARNING - 1 of 1 sensors warning: CPU1 Temp 45 C \(-w 40\)" \
    check_bmc_sensors -n 'CPU1 Temp' -w 40 -c 50
p_state "-c @40:50 (inside)" 2 "CPU1 Temp 45 C \(-c @40:50\)" \
    check_bmc_sensors -n 'CPU1 Temp' -w 40 -c @40:50
p_state "-w ~:44.5" 1 "\(-w ~:44.5\)" check_bmc_sensors -n 'CPU1 Temp' \
    -w '~:44.5'
p_state "-w 46: (below 46)" 1 "\(-w 46:\)" check_bmc_sensors -n 'CPU1 Temp' \
    -w '46:'
p_state "-w 40:50 (inside)" 0 "^BMC SENSORS OK - 1 sensors ok" \
    check_bmc_sensors -n 'CPU1 Temp' -w 40:50
p_state "a bad range: UNKNOWN naming it" 3 "^BMC SENSORS UNKNOWN - -w: '5:1': start is greater than end" \
    check_bmc_sensors -w 5:1
p_state "no sensor matches: UNKNOWN" 3 "^BMC SENSORS UNKNOWN - no sensor matches" \
    check_bmc_sensors -n 'nothing*'
p_state "an unknown target: UNKNOWN" 3 "^BMC SENSORS UNKNOWN - no target 'zz' \(a\)" \
    check_bmc_sensors --target zz
sim_set_value 0x0a 0x55 >/dev/null
p_state "FAN3 back" 0 '^BMC SENSORS OK - 35 sensors ok' check_bmc_sensors

# the daemon frozen: -t 1 answers in time (the default would wait 10 s;
# the bound is that, not a race with a loaded machine)
kill -STOP "$DPID"
t0=$(now_ms)
"$PLUGDIR/check_bmc_sensors" -S "$W/ctl.sock" -t 1 >"$W/p.out" 2>&1
rc=$?
el=$(( $(now_ms) - t0 ))
kill -CONT "$DPID"
check_eq "daemon frozen, -t 1: UNKNOWN" "$rc" 3
check "says no answer in time" grep -Eq '^BMC SENSORS UNKNOWN - .*(no answer from bmcwatchd in time|timed out after 1 s)' "$W/p.out"
check "before the default 10 s (${el} ms)" test "$el" -lt 9000

# the BMC gone: stale data
sim_stop_as a
p_state "BMC stopped: stale, UNKNOWN" 3 \
    '^BMC SENSORS UNKNOWN - a: data stale: read [0-9.]+ s ago' check_bmc_sensors
p_state "--stale-critical" 2 '^BMC SENSORS CRITICAL - a: data stale' \
    check_bmc_sensors --stale-critical
check "the daemon still runs" d_alive
d_stop
p_state "no daemon: UNKNOWN" 3 \
    "^BMC SENSORS UNKNOWN - $W/ctl.sock: .*\(is bmcwatchd running\?\)" \
    check_bmc_sensors
p_state "no daemon, --stale-critical" 2 "^BMC SENSORS CRITICAL - " \
    check_bmc_sensors --stale-critical
check "no sanitizer report" d_san_clean
finish

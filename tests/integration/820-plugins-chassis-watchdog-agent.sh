#!/bin/bash
# check_bmc_chassis, check_bmc_watchdog and check_bmc_agent against
# bmcwatchd on the simulated BMC (with its spec-conforming watchdog,
# tests/sim/wdt_plugin.c), changed at runtime:
#   chassis: power on OK; powered off: CRITICAL (WARNING with
#     --power-mismatch warning, OK with --power off); on again: OK;
#   watchdog: no watchdog block: a stopped timer OK, CRITICAL with
#     --expect armed; a timer set to expire: CRITICAL (expired since the
#     daemon started), still after a clear; a fresh daemon: OK; a flag
#     left from before the start: OK (named); the timer expiring again
#     with that flag still set: CRITICAL; another owner's heartbeat: the daemon
#     refuses it, WARNING; the daemon's own heartbeat armed: OK with the
#     heartbeat's age in perfdata; its health check failing (resets
#     withheld): CRITICAL naming it; passing again: OK;
#   agent: up OK; the BMC frozen with unreachable-after out of reach:
#     WARNING (last success older than --max-age); a dead target:
#     CRITICAL (unreachable); no daemon: UNKNOWN;
#   the sim stopped: stale UNKNOWN; every output per the guidelines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

d_setup
D_SIMS="a"
OTHER=
trap '[ -n "$OTHER" ] && kill "$OTHER" 2>/dev/null; [ -n "${SIMPID_a:-}" ] && kill -CONT "$SIMPID_a" 2>/dev/null; d_cleanup' EXIT
wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
    skip_all "cannot build the sim watchdog plugin: $(cat "$W/plugin.err")"
SIM_DIR=$W/wsim
sim_as a || { not_ok "sim a"; exit 1; }
DEAD=$(free_udp_port)
# a's sensor and chassis interval: its data is stale after twice it
# (store_stale), so it is 2 s, not 1 s, for a loaded machine; staleness
# itself is driven by freezing the sim, never by the clock
IV=2
conf() {
	d_conf "$W/d.conf"
	d_target a "$SIMPORT_a" "sensor-interval $IV  sel-interval 5
	chassis-interval $IV  timeout 0.5  retries 1  unreachable-after 100
	$1" >>"$W/d.conf"
	d_target dead "$DEAD" 'sensor-interval 1  timeout 0.5  retries 1
	unreachable-after 2  backoff-max 2' >>"$W/d.conf"
}
conf ""
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up

# --- chassis --------------------------------------------------------------
T="--target a"
p_state "chassis: power on" 0 '^BMC CHASSIS OK - system power on; no faults \| ' \
    check_bmc_chassis $T
check "perfdata" grep -q "| 'power'=1;;;0;1 'faults'=0;;;0;$" "$W/p.out"
sim_use a
sim_ipmitool chassis power off >/dev/null 2>&1
p_state "chassis: powered off" 2 \
    '^BMC CHASSIS CRITICAL - system power off \(expected on\); no faults' \
    check_bmc_chassis $T
p_state "--power-mismatch warning" 1 '^BMC CHASSIS WARNING - system power off' \
    check_bmc_chassis $T --power-mismatch warning
p_state "--power off" 0 '^BMC CHASSIS OK - system power off; no faults' \
    check_bmc_chassis $T --power off
p_state "--power any" 0 '^BMC CHASSIS OK' check_bmc_chassis $T --power any
p_state "--power bad: UNKNOWN" 3 "^BMC CHASSIS UNKNOWN - --power: 'sideways'" \
    check_bmc_chassis $T --power sideways
sim_ipmitool chassis power on >/dev/null 2>&1
p_state "chassis: on again" 0 '^BMC CHASSIS OK - system power on' check_bmc_chassis $T
p_state "several targets, none named: UNKNOWN" 3 \
    '^BMC CHASSIS UNKNOWN - chassis status: several targets: name one with --target \(a, dead\)' \
    check_bmc_chassis

# --- watchdog without a watchdog block -------------------------------------
p_state "watchdog: stopped, nothing expected" 0 \
    '^BMC WATCHDOG OK - timer stopped' check_bmc_watchdog $T
p_state "--expect armed" 2 '^BMC WATCHDOG CRITICAL - timer stopped' \
    check_bmc_watchdog $T --expect armed
bw watchdog set --timeout 1 --action none >/dev/null 2>&1 &&
    bw watchdog reset >/dev/null 2>&1 || not_ok "set the timer to expire"
p_state "the timer expired: CRITICAL" 2 \
    '^BMC WATCHDOG CRITICAL - timer stopped \(.*\); expired since the daemon started' \
    check_bmc_watchdog $T
# lo_has REGEX ARGS...: check_bmc_watchdog's output has a line matching
lo_has() {
	_lre=$1
	shift
	plug check_bmc_watchdog "$@"
	grep -Eq "$_lre" "$W/p.out"
}
if wait_for 20 lo_has \
    '^CRITICAL: the timer expired 1 time since the daemon started, last at [0-9T:-]+Z \(expiration flags: sms-os\)$' \
    $T; then
	ok "the long output: one expiry, when, the flag"
else
	not_ok "the long output: one expiry, when, the flag"
	show_file "$W/p.out"
fi
bw watchdog clear >/dev/null 2>&1
p_state "flags cleared: still CRITICAL (it expired since the start)" 2 \
    '^BMC WATCHDOG CRITICAL - timer stopped \(.*\); expired since' \
    check_bmc_watchdog $T
d_stop
d_start "$W/d.conf" || exit 1
p_state "a fresh daemon after the clear: OK" 0 \
    '^BMC WATCHDOG OK - timer stopped \(.*\) \|' check_bmc_watchdog $T
check "no expiration line" sh -c "! grep -q expir '$W/p.out'"
# expired, then a fresh daemon: the flag is from before it, OK
bw watchdog set --timeout 1 --action none >/dev/null 2>&1 &&
    bw watchdog reset >/dev/null 2>&1 || not_ok "set the timer to expire"
p_state "expired again" 2 '^BMC WATCHDOG CRITICAL - .*; expired since' \
    check_bmc_watchdog $T
d_stop
d_start "$W/d.conf" || exit 1
p_state "a fresh daemon, the flag left set: OK" 0 \
    '^BMC WATCHDOG OK - timer stopped' check_bmc_watchdog $T
check "the long output calls the flag old" wait_for 20 lo_has \
    '^OK: no expiry since the daemon started \(expiration flags from before: sms-os\)$' \
    $T
# the flag still set, the timer expires once more: no new flag, but
# the timer that ran stopped at zero: counted (only that rule can count
# it: no new flag appears)
bw watchdog set --timeout 6 --action none --no-clear >/dev/null 2>&1 &&
    bw watchdog reset >/dev/null 2>&1 || not_ok "set the timer, flags kept"
p_state "expired with its flag already set: CRITICAL" 2 \
    '^BMC WATCHDOG CRITICAL - timer stopped \(.*\); expired since the daemon started' \
    check_bmc_watchdog $T
bw watchdog clear >/dev/null 2>&1
d_stop
d_start "$W/d.conf" || exit 1
check "A up again" wait_for 20 d_state a up

# --- agent -------------------------------------------------------------------
p_state "agent: a up" 0 '^BMC AGENT OK - bmcwatchd: 1 of 1 target up \| ' \
    check_bmc_agent $T
p_state "agent: dead unreachable" 2 \
    '^BMC AGENT CRITICAL - bmcwatchd: 1 of 2 targets up: dead unreachable' \
    check_bmc_agent
kill -STOP "$SIMPID_a"
p_state "agent: A frozen, last success older than --max-age $IV" 1 \
    '^BMC AGENT WARNING - bmcwatchd: 0 of 1 target up: a up, last success [0-9.]+ s ago' \
    check_bmc_agent $T --max-age $IV
p_state "chassis: frozen BMC, stale data: UNKNOWN" 3 \
    '^BMC CHASSIS UNKNOWN - a: data stale: read [0-9.]+ s ago' check_bmc_chassis $T
p_state "watchdog: stale data, --stale-critical" 2 \
    '^BMC WATCHDOG CRITICAL - a: data stale' check_bmc_watchdog $T --stale-critical
# fresh again, below: a success within 4 intervals (a margin for a
# loaded machine), once the frozen one is older than that (so only a
# new success passes)
p_state "agent: frozen, older than --max-age $((4 * IV))" 1 \
    '^BMC AGENT WARNING - bmcwatchd: 0 of 1 target up: a up, last success' \
    check_bmc_agent $T --max-age $((4 * IV))
kill -CONT "$SIMPID_a"
p_state "agent: thawed" 0 '^BMC AGENT OK - bmcwatchd: 1 of 1 target up' \
    check_bmc_agent $T --max-age $((4 * IV))
d_stop

# --- heartbeat: another owner, then ours -------------------------------------
"$BMCWATCH" -v -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" -C 3 watchdog heartbeat --timeout 20 \
    --interval 0.5 --action none --for 120 >"$W/other.txt" 2>&1 &
OTHER=$!
check "another heartbeat arms the timer" wait_for 15 grep -q 'watchdog armed' \
    "$W/other.txt"
printf '#!/bin/sh\ntest -e "%s/ok"\n' "$W" >"$W/ok.sh"
chmod 755 "$W/ok.sh"
touch "$W/ok"
conf "watchdog { timeout 30  interval 2  action none
		check-command \"$W/ok.sh\" timeout 1 }"
: >"$W/d.log"
d_start "$W/d.conf" || exit 1
p_state "watchdog: another owner, refused: WARNING" 1 \
    '^BMC WATCHDOG WARNING - timer running \(.*\); heartbeat: refused: ' \
    check_bmc_watchdog $T
d_stop
kill -TERM "$OTHER" 2>/dev/null
wait "$OTHER" 2>/dev/null
OTHER=
bw watchdog clear >/dev/null 2>&1
bw watchdog off >/dev/null 2>&1
: >"$W/d.log"
d_start "$W/d.conf" || exit 1
p_state "watchdog: our heartbeat armed: OK" 0 \
    '^BMC WATCHDOG OK - timer running \(.*\); heartbeat: resetting every 2.0 s' \
    check_bmc_watchdog $T
check "perfdata: countdown and the heartbeat's age against 2 s / 4 s" \
    grep -Eq "'countdown'=[0-9.]+s;;;; 'heartbeat_age'=[0-9.]+s;2;4;0; 'kicks'=[0-9]+c;;;; 'failures'=0c;;;;" \
    "$W/p.out"
rm -f "$W/ok"
p_state "watchdog: a health check fails: CRITICAL" 2 \
    '^BMC WATCHDOG CRITICAL - timer running \(.*\); heartbeat: withholding resets' \
    check_bmc_watchdog $T
check "the long output names the failing check" \
    grep -q "^CRITICAL: withholding resets: .*; failing check: .*ok.sh" "$W/p.out"
touch "$W/ok"
p_state "watchdog: the check passes again: OK" 0 \
    '^BMC WATCHDOG OK - timer running \(.*\); heartbeat: resetting every 2.0 s' \
    check_bmc_watchdog $T
d_stop
p_state "watchdog: no daemon: UNKNOWN" 3 '^BMC WATCHDOG UNKNOWN - .*is bmcwatchd running' \
    check_bmc_watchdog $T
p_state "agent: no daemon: UNKNOWN" 3 '^BMC AGENT UNKNOWN - .*is bmcwatchd running' \
    check_bmc_agent
p_state "agent: no daemon, --stale-critical: CRITICAL" 2 '^BMC AGENT CRITICAL' \
    check_bmc_agent --stale-critical
check "no sanitizer report" d_san_clean
finish

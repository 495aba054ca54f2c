#!/bin/bash
# Slow tier (about 2 min): bmcwatchd's heartbeat over lanplus against the
# sim's spec-conforming watchdog (tests/sim/wdt_plugin.c), with the
# issue's numbers: `watchdog { timeout 10 interval 2 action hard-reset }`
#   - keeps the timer alive for 60 s: no Watchdog 2 entry in the SEL;
#   - the daemon frozen (SIGSTOP): the BMC acts (Watchdog 2 hard reset in
#     the SEL, the reset in chassis.sh's log), not at once but within a
#     generous bound; thawed, the daemon says the watchdog expired;
#   - SIGTERM disarms: the timer is stopped, nothing fires afterwards;
#   - another owner (a `bmcwatch watchdog heartbeat` resetting the
#     countdown) is detected: the daemon refuses loudly, never sets the
#     timer, and leaves it to its owner on exit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

d_setup
D_SIMS="a"
OTHER=
trap '[ -n "$OTHER" ] && kill "$OTHER" 2>/dev/null; d_cleanup' EXIT
wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
    skip_all "cannot build the sim watchdog plugin: $(cat "$W/plugin.err")"
SIM_DIR=$W/wsim
sim_as a || { not_ok "sim a with the watchdog plugin"; exit 1; }

d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 5  sel-interval 5
	chassis-interval 2  timeout 1
	watchdog { timeout 10  interval 2  action hard-reset }' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
armed() { [ "$(d_health a heartbeat.armed)" = True ]; }
check "armed" wait_for 20 armed
check "the arm is logged" grep -q 'a: watchdog: armed: 10.0 s, action Hard Reset, reset every 2.0 s' \
    "$W/d.log"
sim_use a
bw watchdog get --json >"$W/wd.json"
check_eq "the BMC's timer: running, hard reset, 10 s" \
    "$(jq_get "$W/wd.json" '(d["running"], d["action"], d["initial_countdown_s"])')" \
    "(True, 'reset', 10.0)"

# --- 60 s alive --------------------------------------------------------------------
k0=$(d_health a heartbeat.kicks)
t0=$(now_s)
while within "$(elapsed "$t0")" 0 60; do
	[ "$(wd_sel)" = 0 ] || break
	sleep 1
done
check_eq "60 s: no Watchdog entry in the SEL" "$(wd_sel)" 0
k1=$(d_health a heartbeat.kicks)
check "about 30 resets in 60 s ($((k1 - k0)))" test $((k1 - k0)) -ge 20
check_eq "no kick withheld" "$(d_health a heartbeat.withheld)" 0

# --- frozen daemon: the BMC acts ---------------------------------------------------
n0=$( (wc -l <"$SIMRUN_a/chassis.log") 2>/dev/null || echo 0)
kill -STOP "$DPID"
t0=$(now_s)
fired() { [ "$(wd_sel)" -ge 1 ]; }
check "frozen: the watchdog fires within 30 s" wait_for 30 fired
el=$(elapsed "$t0")
check "not at once: after ${el} s (the last reset left 8-10 s)" within "$el" 5 30
sim_ipmitool sel elist >"$W/sel.txt" 2>&1
check "SEL: Watchdog 2, hard reset, asserted" \
    grep -q 'Watchdog2.*Hard reset.*Asserted' "$W/sel.txt"
reset_done() {
	tail -n +"$((n0 + 1))" "$SIMRUN_a/chassis.log" 2>/dev/null | grep -q 'set reset 1'
}
check "the reset reached the chassis (chassis.sh)" wait_for 5 reset_done
kill -CONT "$DPID"
check "thawed, the daemon says the watchdog expired" wait_for 15 \
    grep -q 'a: watchdog: watchdog expired' "$W/d.log"

# --- SIGTERM disarms ---------------------------------------------------------------
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "the disarm is logged" grep -q 'a: watchdog: disarmed: the timer is stopped' \
    "$W/d.log"
sim_use a
bw watchdog get --json >"$W/wd.json"
check_eq "the timer is stopped" "$(jq_get "$W/wd.json" 'd["running"]')" False
c0=$(wd_sel)
sleep 12	# longer than the timeout: what must NOT happen
check_eq "nothing fires after the stop" "$(wd_sel)" "$c0"
check "no sanitizer report" d_san_clean

# --- another owner -----------------------------------------------------------------
"$BMCWATCH" -v -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" -C 3 watchdog heartbeat --timeout 20 \
    --interval 0.5 --action none --for 90 >"$W/other.txt" 2>&1 &
OTHER=$!
check "another heartbeat arms the timer" wait_for 15 grep -q 'watchdog armed' \
    "$W/other.txt"
d_start "$W/d.conf" || exit 1
refused() { [ "$(d_health a heartbeat.refused)" = True ]; }
check "the daemon finds the countdown reset by someone else: refuses" \
    wait_for 30 refused
check "loudly" grep -q 'a: watchdog: refusing to take the watchdog over: .*countdown is being reset by someone else' \
    "$W/d.log"
sim_use a
bw watchdog get --json >"$W/wd.json"
check_eq "the other owner's settings stay (no action, 20 s)" \
    "$(jq_get "$W/wd.json" '(d["action"], d["initial_countdown_s"])')" \
    "('none', 20.0)"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
bw watchdog get --json >"$W/wd.json"
check_eq "the daemon left the other's timer running" \
    "$(jq_get "$W/wd.json" '(d["running"], d["action"])')" "(True, 'none')"
kill -TERM "$OTHER" 2>/dev/null
wait "$OTHER" 2>/dev/null
OTHER=
check "no sanitizer report" d_san_clean
finish

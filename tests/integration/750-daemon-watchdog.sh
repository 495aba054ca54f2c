#!/bin/bash
# bmcwatchd's heartbeat, fast (about 40 s; 140-daemon-watchdog runs the
# issue's 10 s / 60 s numbers in the slow tier), so that it also runs
# under ASan+UBSan: over lanplus against the sim's spec-conforming
# watchdog (tests/sim/wdt_plugin.c), `timeout 4 interval 1`:
#   - 10 s without expiry, about one reset a second;
#   - the daemon frozen: the BMC fires (Watchdog 2 in the SEL, the
#     power cycle in chassis.sh's log) after more than 2 s, within 15;
#   - SIGTERM disarms, nothing fires after;
#   - another owner is refused, its timer left alone, also on exit;
#   - nowayout: a clean stop leaves the timer running (it fires).
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
armed() { [ "$(d_health a heartbeat.armed)" = True ]; }
fired() { [ "$(wd_sel)" -ge "$1" ]; }

conf() {
	d_conf "$W/d.conf"
	d_target a "$SIMPORT_a" "sensor-interval 5  sel-interval 5
	chassis-interval 2  timeout 0.5  retries 1
	watchdog { timeout 4  interval 1  action power-cycle $1 }" \
	    >>"$W/d.conf"
}
conf ""
d_start "$W/d.conf" || exit 1
check "armed" wait_for 15 armed
k0=$(d_health a heartbeat.kicks)
sleep 10	# the span the timer must survive, not a synchronisation
check_eq "10 s: no Watchdog entry in the SEL" "$(wd_sel)" 0
k1=$(d_health a heartbeat.kicks)
check "resets went on ($((k1 - k0)) in 10 s)" test $((k1 - k0)) -ge 6

n0=$( (wc -l <"$SIMRUN_a/chassis.log") 2>/dev/null || echo 0)
kill -STOP "$DPID"
t0=$(now_s)
check "frozen: it fires within 15 s" wait_for 15 fired 1
el=$(elapsed "$t0")
check "not at once (${el} s; the last reset left 3-4 s)" within "$el" 2 15
sim_use a
sim_ipmitool sel elist >"$W/sel.txt" 2>&1
check "SEL: Watchdog 2, power cycle, asserted" \
    grep -q 'Watchdog2.*Power cycle.*Asserted' "$W/sel.txt"
cycled() {
	tail -n +"$((n0 + 1))" "$SIMRUN_a/chassis.log" 2>/dev/null |
	    tr '\n' , | grep -q 'set power 0,set power 1,'
}
check "the power cycle reached the chassis" wait_for 5 cycled
kill -CONT "$DPID"
check "thawed: the expiry is logged" wait_for 10 \
    grep -q 'a: watchdog: watchdog expired' "$W/d.log"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "disarm logged" grep -q 'a: watchdog: disarmed' "$W/d.log"
sim_use a
bw watchdog get --json >"$W/wd.json"
check_eq "the timer is stopped" "$(jq_get "$W/wd.json" 'd["running"]')" False
c0=$(wd_sel)
sleep 5		# longer than the timeout: what must NOT happen
check_eq "nothing fires after the stop" "$(wd_sel)" "$c0"
check "no sanitizer report" d_san_clean

# --- another owner ------------------------------------------------------------------
"$BMCWATCH" -v -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" -C 3 watchdog heartbeat --timeout 20 \
    --interval 0.5 --action none --for 60 >"$W/other.txt" 2>&1 &
OTHER=$!
check "another heartbeat arms the timer" wait_for 15 grep -q 'watchdog armed' \
    "$W/other.txt"
: >"$W/d.log"
d_start "$W/d.conf" || exit 1
refused() { [ "$(d_health a heartbeat.refused)" = True ]; }
check "refused: someone else resets the countdown" wait_for 20 refused
check "loudly, once" test "$(grep -c 'refusing to take the watchdog over' "$W/d.log")" = 1
check "naming the reason" grep -q 'a: watchdog: refusing to take the watchdog over: .*countdown is being reset by someone else; not arming it' \
    "$W/d.log"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no stop sent to a timer not ours" test "$(grep -c 'disarm\|no answer to the stop' "$W/d.log")" = 0
sim_use a
bw watchdog get --json >"$W/wd.json"
check_eq "the other's timer runs on, its settings intact" \
    "$(jq_get "$W/wd.json" '(d["running"], d["action"], d["initial_countdown_s"])')" \
    "(True, 'none', 20.0)"
kill -TERM "$OTHER" 2>/dev/null
wait "$OTHER" 2>/dev/null
OTHER=
bw watchdog clear >/dev/null 2>&1

# --- nowayout ------------------------------------------------------------------------
conf "nowayout yes"
: >"$W/d.log"
d_start "$W/d.conf" || exit 1
check "nowayout: armed" wait_for 15 armed
c0=$(wd_sel)
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "said: left running" grep -q 'a: watchdog: left running (nowayout)' "$W/d.log"
check "and it fires" wait_for 10 fired $((c0 + 1))
check "no sanitizer report" d_san_clean
finish

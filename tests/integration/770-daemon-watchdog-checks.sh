#!/bin/bash
# The watchdog heartbeat gated on the host's health (bmcwatch.conf(5)
# check-file, check-pid, check-command, grace), against the sim's
# spec-conforming watchdog over lanplus, `timeout 8 interval 2 action
# none`:
#   - all checks pass: the timer is reset, nothing failing is shown;
#   - each check failing in turn (the command exits 1, the process dies,
#     the file stops changing): the failing check is named in
#     `targets` and the log, resets are withheld and the BMC's timer
#     expires (Watchdog 2 in the SEL); each recovery resumes the resets;
#   - grace: a check failing from the start is shown but holds nothing
#     back until grace has passed; then the timer expires.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

d_setup
D_SIMS="a"
TOUCHER=
APP=
stop_helpers() {
	[ -n "$TOUCHER" ] && kill "$TOUCHER" 2>/dev/null
	[ -n "$APP" ] && kill "$APP" 2>/dev/null
	TOUCHER= APP=
}
trap 'stop_helpers; d_cleanup' EXIT
wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
    skip_all "cannot build the sim watchdog plugin: $(cat "$W/plugin.err")"
SIM_DIR=$W/wsim
sim_as a || { not_ok "sim a with the watchdog plugin"; exit 1; }

hb() { d_health a "heartbeat.$1"; }
armed() { [ "$(hb armed)" = True ]; }
fired() { [ "$(wd_sel)" -ge "$1" ]; }
kicks_past() { [ "$(hb kicks)" -ge "$1" ]; }
withheld_past() { [ "$(hb withheld)" -gt "$1" ]; }
failing_is() { hb failing_check | grep -q -- "$1"; }
passing() { [ "$(hb failing_check)" = None ]; }
logged() { grep -q -- "$1" "$W/d.log"; }
count_log() { grep -c -- "$1" "$W/d.log"; }

# the host's parts: a file kept fresh, a process, a command's verdict
start_toucher() {
	(while :; do touch "$W/alive"; sleep 0.3; done) &
	TOUCHER=$!
}
start_app() {
	sleep 100000 &
	APP=$!
	echo "$APP" >"$W/app.pid.new"
	mv "$W/app.pid.new" "$W/app.pid"
}
printf '#!/bin/sh\ntest -e "%s/ok"\n' "$W" >"$W/ok.sh"
chmod 755 "$W/ok.sh"
touch "$W/ok"
start_toucher
start_app

conf() {
	d_conf "$W/d.conf"
	d_target a "$SIMPORT_a" "sensor-interval 5  sel-interval 5
	chassis-interval 2  timeout 0.5  retries 1
	watchdog { timeout 8  interval 2  action none  $1
		check-file \"$W/alive\" max-age 3
		check-pid \"$W/app.pid\"
		check-command \"$W/ok.sh\" timeout 1.5 }" >>"$W/d.conf"
}
conf ""
check "the configuration parses" "$BUILD/bmcwatchd" -n -f "$W/d.conf"
[ "$T_FAILED" = 0 ] || exit 1
d_start "$W/d.conf" || exit 1
check "armed" wait_for 15 armed
check "every check passes" wait_for 10 passing
k0=$(hb kicks)
check "resets go on while they pass" wait_for 20 kicks_past $((k0 + 5))
check_eq "none withheld" "$(hb withheld)" 0
check_eq "no Watchdog entry in the SEL" "$(wd_sel)" 0

# one failing check after another; each must stop the resets on its
# own, be named, and let the timer expire
n=0
fail_and_recover() {	# what, pattern of the failing check, break, mend
	local what=$1 pat=$2
	w0=$(hb withheld)
	eval "$3"
	check "$what: named in targets" wait_for 15 failing_is "$pat"
	check "$what: resets withheld" wait_for 15 withheld_past "$w0"
	check "$what: withholding logged, naming it" wait_for 10 logged \
	    "a: watchdog: withholding resets: $pat"
	n=$((n + 1))
	check "$what: the BMC's timer expires (Watchdog 2 no. $n)" \
	    wait_for 30 fired "$n"
	r0=$(count_log 'a: watchdog: resets resumed')
	eval "$4"
	check "$what: mended, nothing failing" wait_for 15 passing
	resumed() { [ "$(count_log 'a: watchdog: resets resumed')" -gt "$r0" ]; }
	check "$what: resets resumed" wait_for 15 resumed
	k0=$(hb kicks)
	check "$what: the timer is reset again" wait_for 15 kicks_past \
	    $((k0 + 2))
}
fail_and_recover "check-command" "check-command $W/ok.sh" \
    'rm -f "$W/ok"' 'touch "$W/ok"'
fail_and_recover "check-pid" "check-pid $W/app.pid" \
    'kill "$APP"; wait "$APP" 2>/dev/null; APP=' 'start_app'
fail_and_recover "check-file" "check-file $W/alive" \
    'kill "$TOUCHER"; wait "$TOUCHER" 2>/dev/null; TOUCHER=' 'start_toucher'
check "each failure logged once per episode" \
    test "$(count_log 'a: watchdog: withholding resets')" = 3
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean

# --- grace: failing from the start, resets go on until grace is over -----------------
rm -f "$W/ok"
conf "grace 20"
: >"$W/d.log"
c0=$(wd_sel)
# the daemon's grace runs from its start, and t0 is taken before: when
# the first reset is withheld, at least 20 s have passed since t0,
# however slow this machine (not the other way round: the test's own
# polls may lag)
t0=$(now_s)
d_start "$W/d.conf" || exit 1
check "grace: armed" wait_for 15 armed
check "grace: the failing check is shown" wait_for 15 failing_is \
    "check-command $W/ok.sh"
check "grace over: resets withheld" wait_for 60 withheld_past 0
el=$(elapsed "$t0")
check "grace: none withheld in the first 20 s (first after ${el} s)" \
    within "$el" 20 1000
check "grace: resets went on while it failed ($(hb kicks))" kicks_past 5
check "grace over: logged, naming it" grep -q \
    "a: watchdog: withholding resets: check-command $W/ok.sh" "$W/d.log"
check "grace over: the BMC's timer expires" wait_for 30 fired $((c0 + 1))
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
stop_helpers
finish

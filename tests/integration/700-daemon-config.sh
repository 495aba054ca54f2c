#!/bin/bash
# bmcwatchd's configuration: `bmcwatchd -n -f` on good and bad files
# (exit 0 "configuration OK"; exit 1 and FILE:LINE: message, for a bad
# value, an unknown keyword and an unsafe password file); SIGHUP with a
# broken file keeps the running configuration (the target is still
# polled and answered); SIGHUP adding a target starts it while the
# unchanged one keeps its session (no new Open Session through its
# relay); SIGHUP removing one stops it with Close Session; -D puts the
# daemon in the background with a pidfile, removed on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

d_setup
D_SIMS="a b"
trap 'd_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
sim_as b || { not_ok "sim b"; exit 1; }
d_relay a "$SIMPORT_a" || { not_ok "relay a"; exit 1; }
d_relay b "$SIMPORT_b" || { not_ok "relay b"; exit 1; }
POLL='sensor-interval 1  sel-interval 2  chassis-interval 1  timeout 1'

# --- -n ------------------------------------------------------------------------
d_conf "$W/good.conf"
d_target a "$RPORT_a" "$POLL" >>"$W/good.conf"
"$BMCWATCHD" -n -f "$W/good.conf" >"$W/n.out" 2>&1
check_eq "-n on a good file: exit 0" "$?" 0
check_eq "-n says so" "$(cat "$W/n.out")" "configuration OK"

cp "$W/good.conf" "$W/bad.conf"
# line 5 of the file is the target's "interface" line; the settings
# line (POLL) is line 8
sed -i 's/sensor-interval 1 /sensor-interval 0 /' "$W/bad.conf"
line=$(grep -n 'sensor-interval 0' "$W/bad.conf" | cut -d: -f1)
"$BMCWATCHD" -n -f "$W/bad.conf" >"$W/n.out" 2>&1
check_eq "-n on a bad value: exit 1" "$?" 1
check "the error is FILE:LINE: message naming the keyword" \
    grep -Eq "^$W/bad.conf:$line: .*sensor-interval" "$W/n.out"
show_file "$W/n.out"
printf 'frobnicate yes\n' >>"$W/bad2.conf"
cat "$W/good.conf" "$W/bad2.conf" >"$W/bad3.conf"
line=$(wc -l <"$W/bad3.conf")
"$BMCWATCHD" -n -f "$W/bad3.conf" >"$W/n.out" 2>&1
check_eq "-n on an unknown keyword: exit 1" "$?" 1
check "FILE:LINE names it" grep -Eq "^$W/bad3.conf:$line: .*frobnicate" \
    "$W/n.out"
chmod 644 "$W/pw.a"
"$BMCWATCHD" -n -f "$W/good.conf" >"$W/n.out" 2>&1
check_eq "-n with a password file others may read: exit 1" "$?" 1
check "the error names the password file" grep -q "$W/pw.a" "$W/n.out"
chmod 600 "$W/pw.a"
"$BMCWATCHD" -f "$W/bad.conf" -d >"$W/bad.out" 2>&1
check_eq "started on a bad file: exit 1" "$?" 1
check "saying FILE:LINE" grep -q "$W/bad.conf:" "$W/bad.out"
check "and no socket left" test ! -e "$W/ctl.sock"

# --- SIGHUP ----------------------------------------------------------------------
cp "$W/good.conf" "$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
check_eq "A: one session" "$(d_rcount a session_ok)" 1
os_a=$(d_rcount a open_session)

# broken: kept
cp "$W/d.conf" "$W/d.good"
printf 'target "c" { sensor-interval nope }\n' >>"$W/d.conf"
line=$(wc -l <"$W/d.conf")
kill -HUP "$DPID"
check "SIGHUP, broken file: FILE:LINE logged, old one kept" wait_for 10 \
    grep -q "conf: $W/d.conf:$line: .*keeping the running configuration" \
    "$W/d.log"
sw0=$(d_health a sweeps)
sweeps_past() { [ "$(d_health a sweeps)" -gt "$1" ]; }
check "A still polled" wait_for 10 sweeps_past "$sw0"
check "A still answered, fresh" wait_for 20 d_fresh a sensors
check "no target c" test "$(d_ask --json targets | grep -c '"name":"c"')" = 0

# a target added: started; A keeps its session
cp "$W/d.good" "$W/d.conf"
d_target b "$RPORT_b" "$POLL" >>"$W/d.conf"
kill -HUP "$DPID"
check "SIGHUP adding B: B up" wait_for 20 d_state b up
check "B answers" wait_for 10 d_fresh b sensors
check_eq "A: no new Open Session" "$(d_rcount a open_session)" "$os_a"
check_eq "A: still its one session" "$(d_rcount a session_ok)" 1
check "A still fresh" d_fresh a sensors
check "the reload is logged" grep -q "reloaded: 1 targets kept, 1 started, 0 stopped" \
    "$W/d.log"

# a target removed: stopped, Close Session
d_conf "$W/d.conf"
d_target b "$RPORT_b" "$POLL" >>"$W/d.conf"
check_eq "before: the sim holds A's session and ipmitool's" \
    "$(sim_sessions a)" 2
kill -HUP "$DPID"
a_gone() { ! d_ask --json targets | grep -q '"name":"a"'; }
check "SIGHUP removing A: gone from targets" wait_for 10 a_gone
a_closed() { [ "$(sim_sessions a)" = 1 ]; }
check "A's session closed" wait_for 10 a_closed
check "B untouched" d_fresh b sensors
check_eq "B: one session" "$(d_rcount b session_ok)" 1
d_ask --target a sensors >"$W/out" 2>&1
check_eq "asking for A now: exit 2" "$?" 2
check "no target 'a'" grep -q "no target 'a' (b)" "$W/out"

d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "socket removed" test ! -e "$W/ctl.sock"
check "no sanitizer report" d_san_clean

# --- -D: background, pidfile ----------------------------------------------------
d_conf "$W/bg.conf" "pidfile \"$W/d.pid\""
d_target b "$RPORT_b" "$POLL" >>"$W/bg.conf"
"$BMCWATCHD" -D -f "$W/bg.conf"
check_eq "-D: returns 0 once up" "$?" 0
check "pidfile written" test -s "$W/d.pid"
DPID=$(cat "$W/d.pid" 2>/dev/null)
check "the pid runs bmcwatchd" grep -q bmcwatchd "/proc/$DPID/comm"
answers() { d_ask --target b info >/dev/null; }
check "it answers" answers
kill -TERM "$DPID"
gone() { ! kill -0 "$DPID" 2>/dev/null; }
check "SIGTERM stops it" wait_for 30 gone
check "pidfile removed" test ! -e "$W/d.pid"
DPID=
finish

#!/bin/bash
# bmcwatchd with two simulated BMCs at once, each behind a counting UDP
# relay (tests/tools/udprelay.py: Open Session Requests and sessions the
# BMC established).  Both fresh; B frozen (SIGSTOP): its answers go
# stale, then it turns unreachable within the bound its settings give,
# while A stays fresh and keeps its one session; B killed: the probes
# back off (Open Session attempts bounded by the backoff); a new B on
# the same address: it recovers without a daemon restart, with exactly
# one new session; each transition is logged once.  Then a clean
# SIGTERM: Close Session on A and B (their session counts back to
# ipmitool's own), socket removed, exit 0, and (under ASan) no leak.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

d_setup
D_SIMS="a b"
trap 'd_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
sim_as b || { not_ok "sim b"; exit 1; }
d_relay a "$SIMPORT_a" || { not_ok "relay a"; exit 1; }
d_relay b "$SIMPORT_b" || { not_ok "relay b"; exit 1; }
# intervals of 1 s: stale after 2 s; 3 failed polls of 1 s each make
# it unreachable; probes every 2, 4, 4 ... s
POLL='sensor-interval 1  sel-interval 2  chassis-interval 1
	timeout 1  retries 1  unreachable-after 3  backoff-max 4'
d_conf "$W/d.conf"
{ d_target a "$RPORT_a" "$POLL"; d_target b "$RPORT_b" "$POLL"; } \
    >>"$W/d.conf"
d_start "$W/d.conf" || exit 1

check "A up" wait_for 20 d_state a up
check "B up" wait_for 20 d_state b up
check "A's sensors fresh" wait_for 10 d_fresh a sensors
check "B's sensors fresh" wait_for 10 d_fresh b sensors
check_eq "A: one session" "$(d_rcount a session_ok)" 1
check_eq "B: one session" "$(d_rcount b session_ok)" 1

# --- B frozen ------------------------------------------------------------------
kill -STOP "$SIMPID_b"
t0=$(now_ms)
check "B's sensors go stale (older than twice the interval)" \
    wait_for 15 d_stale b sensors
check "A's stay fresh meanwhile" d_fresh a sensors
check "B unreachable within 20 s" wait_for 20 d_state b unreachable
el=$(( $(now_ms) - t0 ))
echo "# B unreachable ${el} ms after the freeze"
check "A still up, fresh" d_fresh a sensors
check_eq "A: still one session" "$(d_rcount a session_ok)" 1
# answers keep coming from memory, marked stale
check "B's sensors still answered (from memory)" d_stale b sensors
d_health b last_error >"$W/b.err"
check "B's health says why" grep -q . "$W/b.err"

# --- B dead: probes back off ---------------------------------------------------
kill -KILL "$SIMPID_b"
wait "$SIMPID_b" 2>/dev/null
SIMPID_b=
o0=$(d_rcount b to_bmc)
p0=$(d_health b probes)
t1=$(now_ms)
probes_past() { [ "$(d_health b probes)" -ge "$1" ]; }
check "probes go on (3 more)" wait_for 30 probes_past $((p0 + 3))
el=$(( ($(now_ms) - t1) / 1000 + 1 ))
o1=$(d_rcount b to_bmc)
p1=$(d_health b probes)
# a probe every 2-4 s: its first datagram and one retry, nothing else
# (no subsystem polls an unreachable BMC)
check "datagrams to the dead BMC bounded by the probes: $((o1 - o0)) for $((p1 - p0)) probes in ${el} s" \
    test $((o1 - o0)) -le $((2 * (p1 - p0 + 1))) -a $((p1 - p0)) -le $((el / 2 + 1))
check_eq "no session set up with nobody there" "$(d_rcount b session_ok)" 1
check "A up all along" d_state a up
check_eq "A: one session all along" "$(d_rcount a session_ok)" 1

# --- a new B on the same address -----------------------------------------------
d_relay_stop b
sim_as b || { not_ok "sim b again"; exit 1; }
d_relay b "$SIMPORT_b" "$RPORT_b" || { not_ok "relay b again"; exit 1; }
check "B recovers without a restart" wait_for 30 d_state b up
check "B's sensors fresh again" wait_for 10 d_fresh b sensors
check_eq "B: one new session (no pile-up)" "$(d_rcount b session_ok)" 1
check_eq "B: sim sees the daemon's session and ipmitool's" \
    "$(sim_sessions b)" 2
check_eq "A: sim sees the daemon's session and ipmitool's" \
    "$(sim_sessions a)" 2
check_eq "unreachable logged once" \
    "$(grep -c 'b: target: unreachable after' "$W/d.log")" 1
check_eq "recovery logged once" \
    "$(grep -c 'b: target: reachable again after' "$W/d.log")" 1
check_eq "A never unreachable" "$(grep -c 'a: target: unreachable' "$W/d.log")" 0
check "the daemon is still alive" d_alive

# --- clean stop ----------------------------------------------------------------
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "socket removed" test ! -e "$W/ctl.sock"
check_eq "A: Close Session sent (only ipmitool's session left)" \
    "$(sim_sessions a)" 1
check_eq "B: Close Session sent" "$(sim_sessions b)" 1
check "no sanitizer report" d_san_clean
grep -E 'Sanitizer|runtime error' "$W/d.log" | head -5 | sed 's/^/#   /'
finish

#!/bin/bash
# bmcwatchd and another SOL user (ipmitool sol activate) on one ipmi_sim,
# whose serial port ticks ("tick K" every 200 ms, tests/sol/serial_peer.py):
# - ipmitool holds SOL, takeover no: the daemon waits (said once, state
#   "waiting"), ipmitool keeps its console; once ipmitool leaves, the
#   daemon activates by itself;
# - an operator deactivates the daemon's instance (ipmitool sol
#   deactivate) and activates their own: the daemon yields and leaves it
#   alone, then comes back after the operator leaves;
# - without `input yes' a client is attached read-only and told why;
# - takeover yes: a daemon started while ipmitool holds SOL takes it over
#   once (said in the log); when the operator takes it back, the daemon
#   yields and does not take it again (no fight), while ipmitool keeps
#   its console.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

SOL_DIR=$TESTS_DIR/sol
PEER_PID=
BG_PIDS=""
D_SIMS=""
cleanup() {
	exec 3>&- 2>/dev/null
	for p in $BG_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	sim_stop
	if [ -n "$PEER_PID" ]; then
		kill -TERM "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
	fi
	d_cleanup
}
trap cleanup EXIT
d_setup
LOG=$W/archive/console/t1.log

python3 "$SOL_DIR/serial_peer.py" --port-file "$W/peer.port" \
    --tick-ms 200 --for 900 &
PEER_PID=$!
wait_for 5 test -s "$W/peer.port" || { not_ok "serial peer up"; exit 1; }
SIM_SOL="tcp:127.0.0.1:$(cat "$W/peer.port")"
SIM_RUNDIR=$W/sim
mkdir -p "$SIM_RUNDIR"
sim_start || { not_ok "sim_start with SOL"; exit 1; }

# ipmitool sol activate N: in the background on a terminal (script),
# keystrokes from the fifo $W/itN.in (fd 3), output in $W/itN.out
IT=0
it_start() {
	IT=$((IT + 1))
	mkfifo "$W/it$IT.in"
	script -qfc "ipmitool -I lanplus -C 3 -H $SIM_HOST -p $SIM_PORT \
	    -U admin -f $(sim_pwfile admin) -L ADMINISTRATOR sol activate" \
	    /dev/null <"$W/it$IT.in" >"$W/it$IT.out" 2>&1 &
	ITPID=$!
	BG_PIDS="$BG_PIDS $ITPID"
	exec 3>"$W/it$IT.in"
	wait_for 15 grep -q "SOL Session operational" "$W/it$IT.out"
}
# ~. to ipmitool, then wait for it
it_quit() {
	printf '\r~.' >&3
	exec 3>&-
	wait_for 10 bash -c "! kill -0 $ITPID 2>/dev/null"
	kill "$ITPID" 2>/dev/null
	wait "$ITPID" 2>/dev/null
}
# the newest tick ipmitool printed
it_tick() {
	grep -ao 'tick [0-9]*' "$W/it$IT.out" | tail -n 1 | cut -d' ' -f2
}
# ipmitool's console goes on: a tick N later than now arrives
it_flows() {
	_t0=$(it_tick)
	wait_for "$1" bash -c "[ \"\$(grep -ao 'tick [0-9]*' '$W/it$IT.out' | tail -n 1 | cut -d' ' -f2)\" -ge $((${_t0:-0} + $2)) ]"
}
nconnected() {
	_nc=$(grep -c '# bmcwatch: connected' "$LOG" 2>/dev/null)
	echo "${_nc:-0}"
}
ttarget() {
	d_health t1 "$1"
}
conf() {
	d_conf "$W/d.conf"
	d_target t1 "$SIM_PORT" "backoff-max 2
	sol { log yes  takeover $1 }" >>"$W/d.conf"
}

# ---- ipmitool holds SOL; takeover no: the daemon waits ----
check "ipmitool sol activate holds SOL" it_start
conf no
d_start "$W/d.conf" || { not_ok "bmcwatchd up"; exit 1; }
check "the daemon does not take it: said once" wait_for 30 grep -q \
    'console: SOL payload instance 1 is active on another session (BMC session ID 0x[0-9a-f]*): not taking it over (takeover no)' \
    "$W/d.log"
check "state: waiting, not connected" \
    bash -c "[ \"\$(d_health t1 console.connected 2>/dev/null)\" != True ]"
check "ipmitool's console goes on for 3 s more (the daemon retrying meanwhile)" \
    it_flows 30 15
check_eq "the daemon never connected meanwhile" "$(nconnected)" 0
check_eq "the refusal is logged once, not per retry" \
    "$(grep -c 'not taking it over' "$W/d.log")" 1
it_quit
check "ipmitool gone: the daemon activates by itself" \
    wait_for 30 grep -q '# bmcwatch: connected' "$LOG"
check "said as a recovery" grep -q 'console: connected again after' \
    "$W/d.log"
# no `input yes': a root client is attached read-only, told why
"$BMCWATCH" -S "$W/ctl.sock" sol t1 </dev/null >"$W/ro.out" 2>"$W/ro.err" &
ropid=$!
BG_PIDS="$BG_PIDS $ropid"
check "without input yes keystrokes are off, said on attach" \
    wait_for 10 grep -q 'input off: input is off for t1 (input yes in its sol block)' \
    "$W/ro.err"
kill -TERM "$ropid"
wait "$ropid"

# ---- the operator takes it; the daemon yields, then comes back ----
sim_ipmitool sol deactivate >"$W/deact.out" 2>&1
check_eq "ipmitool sol deactivate ends the daemon's instance" "$?" 0
check "the daemon yields (its probe finds the instance gone)" \
    wait_for 30 grep -q 'left to the other user' "$W/d.log"
check "disconnected in the console log" \
    wait_for 10 grep -q '# bmcwatch: disconnected' "$LOG"
n0=$(nconnected)
check "the operator's ipmitool activates" it_start
check "ipmitool's console flows for 12 s (past the daemon's yield time)" \
    it_flows 60 60
check_eq "the daemon stayed off" "$(nconnected)" "$n0"
it_quit
check "the operator gone: the daemon is back" \
    wait_for 60 bash -c "[ \"\$(grep -c '# bmcwatch: connected' '$LOG')\" -gt $n0 ]"
d_stop

# ---- takeover yes: once, never a fight ----
check "ipmitool holds SOL again" it_start
conf yes
d_start "$W/d.conf" || { not_ok "bmcwatchd up (takeover yes)"; exit 1; }
check "takeover yes: the daemon takes the instance over, said" \
    wait_for 30 grep -q '# bmcwatch: connected: .*taken over from another session' \
    "$LOG"
it_quit
n0=$(nconnected)
y0=$(grep -c 'left to the other user' "$W/d.log")
t0=$(grep -c 'it was taken from us' "$W/d.log")
sim_ipmitool sol deactivate >"$W/deact2.out" 2>&1
check "the operator takes it back: the daemon yields" \
    wait_for 30 bash -c "[ \"\$(grep -c 'left to the other user' '$W/d.log')\" -gt $y0 ]"
check "the operator's ipmitool activates" it_start
check "ipmitool's console flows for 12 s: the daemon does not take it again" \
    it_flows 60 60
check_eq "no new connection of the daemon" "$(nconnected)" "$n0"
check "the daemon says why it does not" \
    wait_for 20 bash -c "[ \"\$(grep -c 'not taking it over (it was taken from us)' '$W/d.log')\" -gt $t0 ]"
it_quit
check "the operator gone: the daemon is back" \
    wait_for 60 bash -c "[ \"\$(grep -c '# bmcwatch: connected' '$LOG')\" -gt $n0 ]"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
grep -a '# bmcwatch:' "$LOG" | sed 's/^/# /'
finish

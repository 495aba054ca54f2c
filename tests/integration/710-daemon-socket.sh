#!/bin/bash
# The control socket of bmcwatchd against the direct CLI on the same
# simulated BMC (its values do not move):
#   - `bmcwatch -S SOCK --json X` equals `bmcwatch -H ... --json X` for
#     sensors (also -v), chassis status, info and watchdog get, once the
#     daemon's "target", "age_s" and "stale" are taken out; the text
#     output equals the CLI's line for line;
#   - with the BMC frozen (SIGSTOP) a request is still answered, from
#     memory;
#   - actions: refused (exit 1) unless the target allows them, and for a
#     client neither root nor in the socket's group even when allowed;
#     an allowed power off reaches the BMC (the sim's chassis.log);
#   - usage errors exit 2, a target never reached exits 3, with words.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
DEAD=$(free_udp_port)
# the socket is open to all (0666); actions only for root and group root
d_conf "$W/d.conf" 'socket-mode 0666' 'socket-group "root"'
d_target a "$SIMPORT_a" 'sensor-interval 2  sel-interval 5
	chassis-interval 2  timeout 1  allow power' >>"$W/d.conf"
d_target dead "$DEAD" 'sensor-interval 2  timeout 1  retries 1' \
    >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
check "A's watchdog timer read" wait_for 10 d_fresh a "watchdog get"

# same_json LABEL ARGS...: daemon and CLI agree on `ARGS --json`
same_json() {
	_l=$1
	shift
	bw --json "$@" >"$W/cli.json" 2>"$W/cli.err"
	d_ask --target a --json "$@" >"$W/d.json" 2>"$W/d.err"
	if python3 - "$W/cli.json" "$W/d.json" <<'PY'
import json, sys
cli = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
extra = {k: d.pop(k, None) for k in ("target", "age_s", "stale")}
assert extra["target"] == "a", extra
assert isinstance(extra["age_s"], (int, float)) and extra["age_s"] >= 0
assert extra["stale"] in (True, False)
# the watchdog's expiries since the daemon started: the daemon's alone
if "expiries" in d:
    assert isinstance(d.pop("expiries"), int)
    le = d.pop("last_expiry")
    assert le is None or isinstance(le, str), le
if cli != d:
    for k in sorted(set(cli) | set(d)):
        if cli.get(k) != d.get(k):
            print("#   %s: cli %r daemon %r" % (k, cli.get(k), d.get(k)))
    sys.exit(1)
PY
	then ok "$_l: the daemon's JSON is the CLI's (ages aside)"
	else
		not_ok "$_l: the daemon's JSON is the CLI's (ages aside)"
		show_file "$W/d.err"
	fi
}
same_json "sensors" sensors
same_json "sensors -v" sensors -v
same_json "chassis status" chassis status
same_json "info" info
same_json "watchdog get" watchdog get
check "the daemon's sensors are a real list" \
    test "$(jq_get "$W/d.json" 'len(d)')" -gt 0
d_ask --target a --json sensors >"$W/d.json"
check "35 sensors, as the sim has" test "$(jq_get "$W/d.json" 'len(d["sensors"])')" = 35

# text: line for line
bw sensors >"$W/cli.txt" 2>&1
d_ask --target a sensors >"$W/d.txt" 2>&1
check "sensors text equals the CLI's" cmp -s "$W/cli.txt" "$W/d.txt"
bw chassis status >"$W/cli.txt" 2>&1
d_ask --target a chassis status >"$W/d.txt" 2>&1
check "chassis status text equals the CLI's" cmp -s "$W/cli.txt" "$W/d.txt"

# --- a frozen BMC: answers from memory -----------------------------------------
kill -STOP "$SIMPID_a"
t0=$(now_ms)
d_ask -t 10 --target a --json sensors >"$W/frozen.json" 2>"$W/frozen.err"
rc=$?
el=$(( $(now_ms) - t0 ))
check_eq "BMC frozen: sensors still answered (exit 0, ${el} ms)" "$rc" 0
check "with every sensor" test "$(jq_get "$W/frozen.json" 'len(d["sensors"])')" = 35
check "stale once older than twice the interval" wait_for 15 d_stale a sensors
kill -CONT "$SIMPID_a"
check "fresh again after the thaw" wait_for 20 d_fresh a sensors

# --- actions -------------------------------------------------------------------
d_ask --target a chassis identify >"$W/out" 2>"$W/err"
check_eq "identify, not allowed: exit 1" "$?" 1
check "says why" grep -q "a: chassis identify: refused: not allowed for this target" "$W/err"
n0=$( (wc -l <"$SIMRUN_a/chassis.log") 2>/dev/null || echo 0)
# an ordinary user: reads yes, actions no
setpriv --reuid=4242 --regid=4242 --clear-groups "$BMCWATCH" \
    -S "$W/ctl.sock" --target a chassis status >"$W/out" 2>"$W/err"
check_eq "uid 4242 reads: exit 0" "$?" 0
setpriv --reuid=4242 --regid=4242 --clear-groups "$BMCWATCH" \
    -S "$W/ctl.sock" --target a chassis power off >"$W/out" 2>"$W/err"
check_eq "uid 4242 power off: exit 1" "$?" 1
check "refused: not root, not in the group" \
    grep -q "refused: uid 4242 is neither root nor in the socket's group" \
    "$W/err"
check_eq "nothing reached the BMC" \
    "$( (wc -l <"$SIMRUN_a/chassis.log") 2>/dev/null || echo 0)" "$n0"
# root, allowed
d_ask --target a chassis power off >"$W/out" 2>"$W/err"
check_eq "root power off: exit 0" "$?" 0
check_eq "the CLI's words" "$(cat "$W/out")" "Chassis Power Control: Down/Off"
check_eq "the BMC did it (chassis.sh)" \
    "$(tail -n +"$((n0 + 1))" "$SIMRUN_a/chassis.log" 2>/dev/null | tr '\n' ,)" \
    "set power 0,"
power_off() {
	d_ask --target a --json chassis status | grep -q '"system_power":"off"'
}
check "the next chassis poll shows it" wait_for 10 power_off
d_ask --target a --json chassis power on >"$W/out" 2>&1
check_eq "power on, --json" "$(cat "$W/out")" '{"chassis_power_control":"on"}'

# --- errors --------------------------------------------------------------------
d_ask frob >"$W/out" 2>"$W/err"
check_eq "unknown request: exit 2" "$?" 2
check "said" grep -q "unknown request 'frob'" "$W/err"
d_ask sensors >"$W/out" 2>"$W/err"
check_eq "two targets, none named: exit 2" "$?" 2
check "said, with the names" grep -q "several targets: name one with --target (a, dead)" "$W/err"
d_ask --target nope sensors >"$W/out" 2>"$W/err"
check_eq "no such target: exit 2" "$?" 2
d_ask --target dead sensors >"$W/out" 2>"$W/err"
check_eq "a target never reached: exit 3" "$?" 3
check "not read yet, and why" grep -q "dead: sensors not read yet" "$W/err"
check "the daemon is still alive" d_alive
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

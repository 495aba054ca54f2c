#!/bin/bash
# 040-cli-contract: exit codes (0 ok, 1 error completion code, 2 usage or
# configuration or standard output not written, 3 transport), --json output (python3 json parses it, the
# option before or after the command), password handling (file mode, -E,
# -P refused, never in ps, /proc/PID/environ or any output) and the
# --stats packet counts one request over RMCP+ needs.
. "$(dirname "$0")/lib.sh"
sim_start || { echo "not ok - sim_start"; exit 1; }
trap 'kill_hole; sim_stop' EXIT
W=$SIM_RUNDIR/t040
mkdir -p "$W"
N=0
# run ARGS...: bmcwatch as admin (lanplus, suite 3); stdout/stderr kept in
# $W/N.out and $W/N.err (all of them are searched for passwords at the end)
run() {
	N=$((N + 1))
	OUT=$W/$N.out ERR=$W/$N.err
	bw "$@" >"$OUT" 2>"$ERR"
	rc=$?
}
parses() {
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null
}
REF=$(sim_ipmitool raw 6 1 | hexbytes)

# --- usage errors: exit 2, the BMC is not needed to tell
for args in "raw 0x40 1" "raw zz 1" "raw 6" "raw 6 1 0x100" "raw 6 0x1ff" \
    "frobnicate" "info extra"; do
	run $args
	check_eq "'$args': exit 2" "$rc" 2
	check "'$args': a message on stderr" test -s "$ERR"
done
N=$((N + 1))
"$BMCWATCH" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$(sim_pwfile admin)" \
    >"$W/$N.out" 2>"$W/$N.err"
check_eq "no command: exit 2" "$?" 2
N=$((N + 1))
"$BMCWATCH" -I bogus -H "$SIM_HOST" raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
check_eq "-I bogus: exit 2" "$?" 2

# --- a command the sim rejects: exit 1, completion code named
sim_ipmitool raw 6 0xff >"$W/ff.peer" 2>&1
peer_rc=$?
peer_cc=$(sed -n 's/.*rsp=0x\([0-9a-fA-F]*\).*/\1/p' "$W/ff.peer" | head -n 1)
check "peer: ipmitool raw 6 0xff fails with a completion code" \
    test "$peer_rc" -ne 0 -a -n "$peer_cc"
run raw 6 0xff
check_eq "raw 6 0xff: exit 1" "$rc" 1
check "raw 6 0xff: stderr names 'Invalid command'" grep -q 'Invalid command' "$ERR"
# the one form of a completion code: the spec's "C1h" and its name
peer_cch=$(printf '%02X' "$((16#${peer_cc:-0}))")
check "raw 6 0xff: stderr gives the completion code ipmitool got (${peer_cch}h), named" \
    grep -q "raw NetFn 0x06 Cmd 0xff: completion code ${peer_cch}h: Invalid command$" "$ERR"
check "raw 6 0xff: nothing on stdout" test ! -s "$OUT"
for where in before after; do
	if [ $where = before ]; then run --json raw 6 0xff; else run raw 6 0xff --json; fi
	check_eq "raw 6 0xff --json ($where): exit 1" "$rc" 1
	if parses "$OUT"; then
		ok "raw 6 0xff --json ($where): output parses"
		check_eq "raw 6 0xff --json ($where): ccode is ipmitool's" \
		    "$(json_get "$OUT" 'd["ccode"]')" "$((16#${peer_cc:-0}))"
		check_eq "raw 6 0xff --json ($where): ccode_name" \
		    "$(json_get "$OUT" 'd["ccode_name"]')" "Invalid command"
		check_eq "raw 6 0xff --json ($where): netfn, cmd" \
		    "$(json_get "$OUT" '(d["netfn"], d["cmd"])')" "(6, 255)"
	else
		not_ok "raw 6 0xff --json ($where): output parses"
		show_file "$OUT"
	fi
done

# --- --json on success, before and after the command
for where in before after; do
	if [ $where = before ]; then run --json raw 6 1; else run raw 6 1 --json; fi
	check_eq "raw 6 1 --json ($where): exit 0" "$rc" 0
	if parses "$OUT"; then
		ok "raw 6 1 --json ($where): output parses"
		check_eq "raw 6 1 --json ($where): ccode 0" "$(json_get "$OUT" 'd["ccode"]')" 0
		check_eq "raw 6 1 --json ($where): data equals ipmitool raw 6 1" \
		    "$(json_get "$OUT" 'd["data"]')" "$REF"
	else
		not_ok "raw 6 1 --json ($where): output parses"
		show_file "$OUT"
	fi
	if [ $where = before ]; then run --json info; else run info --json; fi
	check_eq "info --json ($where): exit 0" "$rc" 0
	check "info --json ($where): output parses" parses "$OUT"
done

# --- password file readable by group or others: refused, says chmod 600
for mode in 640 604 644 660; do
	f=$W/pw.$mode
	cp "$(sim_pwfile admin)" "$f"
	chmod "$mode" "$f"
	N=$((N + 1))
	"$BMCWATCH" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$f" raw 6 1 \
	    >"$W/$N.out" 2>"$W/$N.err"
	check_eq "password file mode $mode: exit 2" "$?" 2
	check "password file mode $mode: message says chmod 600" \
	    grep -q 'chmod 600' "$W/$N.err"
done

# --- -E: IPMI_PASSWORD; without it an error; -P refused
PASS=$(sim_password admin)
N=$((N + 1))
IPMI_PASSWORD=$PASS "$BMCWATCH" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -E \
    raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
check_eq "-E with IPMI_PASSWORD: exit 0" "$?" 0
check_eq "-E with IPMI_PASSWORD: bytes equal ipmitool raw 6 1" \
    "$(hexbytes <"$W/$N.out")" "$REF"
N=$((N + 1))
env -u IPMI_PASSWORD "$BMCWATCH" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -E \
    raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
check_eq "-E without IPMI_PASSWORD: exit 2" "$?" 2
check "-E without IPMI_PASSWORD: says so" grep -q IPMI_PASSWORD "$W/$N.err"
N=$((N + 1))
"$BMCWATCH" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -P "$PASS" raw 6 1 \
    >"$W/$N.out" 2>"$W/$N.err"
check_eq "-P: exit 2" "$?" 2
check "-P: message points to -f or -E" grep -q -- '-f' "$W/$N.err"

# --- the password is not visible while bmcwatch runs: a UDP "black hole"
# (bound, never answers) keeps it waiting (-t 60: the inspection never
# races its timeout; it is ended by pid afterwards, and the exit status
# on a timeout is checked with a short -t, waiting for the exit)
HOLE_PID=
kill_hole() {
	if [ -n "${HOLE_PID:-}" ]; then
		kill "$HOLE_PID" 2>/dev/null
		wait "$HOLE_PID" 2>/dev/null
		HOLE_PID=
	fi
}
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    s.recvfrom(4096)
' "$W/hole.port" &
HOLE_PID=$!
i=0
while [ ! -s "$W/hole.port" ] && [ $i -lt 400 ]; do i=$((i + 1)); sleep 0.05; done
HOLE=$(cat "$W/hole.port" 2>/dev/null)
for how in E f; do
	N=$((N + 1))
	if [ $how = E ]; then
		IPMI_PASSWORD=$PASS "$BMCWATCH" -H 127.0.0.1 -p "$HOLE" -U admin \
		    -E -t 60 raw 6 1 >"$W/$N.out" 2>"$W/$N.err" &
	else
		"$BMCWATCH" -H 127.0.0.1 -p "$HOLE" -U admin \
		    -f "$(sim_pwfile admin)" -t 60 raw 6 1 >"$W/$N.out" 2>"$W/$N.err" &
	fi
	BPID=$!
	# wait (bounded) until it has its socket: options are parsed by then
	i=0 up=
	while [ $i -lt 500 ] && kill -0 "$BPID" 2>/dev/null; do
		if ls -l "/proc/$BPID/fd" 2>/dev/null | grep -q 'socket:'; then
			up=1
			break
		fi
		i=$((i + 1))
		sleep 0.02
	done
	if [ -n "$up" ]; then
		ps -eo pid,args >"$W/ps.$how" 2>&1
		tr '\0' '\n' <"/proc/$BPID/environ" >"$W/environ.$how" 2>/dev/null
		tr '\0' ' ' <"/proc/$BPID/cmdline" >"$W/cmdline.$how" 2>/dev/null
		check "-$how: bmcwatch listed in ps while it waits" \
		    grep -q "^ *$BPID .*bmcwatch" "$W/ps.$how"
		check "-$how: password not in ps output" \
		    test "$(grep -cF -- "$PASS" "$W/ps.$how")" = 0
		check "-$how: password not in /proc/PID/cmdline" \
		    test "$(grep -cF -- "$PASS" "$W/cmdline.$how")" = 0
		check "-$how: password not in /proc/PID/environ" \
		    test "$(grep -cF -- "$PASS" "$W/environ.$how")" = 0
	else
		not_ok "-$how: bmcwatch running with a socket (to inspect ps)"
	fi
	kill "$BPID" 2>/dev/null
	wait "$BPID" 2>/dev/null
	N=$((N + 1))
	if [ $how = E ]; then
		IPMI_PASSWORD=$PASS "$BMCWATCH" -H 127.0.0.1 -p "$HOLE" -U admin \
		    -E -t 1 raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
	else
		"$BMCWATCH" -H 127.0.0.1 -p "$HOLE" -U admin \
		    -f "$(sim_pwfile admin)" -t 1 raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
	fi
	check_eq "-$how: no answer within -t 1: exit 3" "$?" 3
done
kill_hole

# --- -v -v output, success and failure, for the password search below
run -v -v raw 6 1
check_eq "-v -v raw 6 1: exit 0" "$rc" 0
run -v -v info
check_eq "-v -v info: exit 0" "$rc" 0
N=$((N + 1))
printf '%s' "$PASS-x" >"$W/pw.near"
chmod 600 "$W/pw.near"
"$BMCWATCH" -v -v -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$W/pw.near" \
    raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
check_eq "-v -v with a wrong password: exit 3" "$?" 3
N=$((N + 1))
"$BMCWATCH" -v -v -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" -A password raw 6 1 >"$W/$N.out" 2>"$W/$N.err"
check_eq "-v -v -I lan -A password: exit 0" "$?" 0

# --- --stats: one raw 6 1 over RMCP+ suite 3
run --stats raw 6 1
check_eq "--stats raw 6 1: exit 0" "$rc" 0
check_eq "--stats: stdout still only the response bytes" "$(hexbytes <"$OUT")" "$REF"
check_eq "--stats: sessions=1" "$(stats_field "$ERR" sessions)" 1
check_eq "--stats: requests=1" "$(stats_field "$ERR" requests)" 1
# auth caps, Open Session, RAKP1, RAKP3, Set Session Priv, request, Close
check_eq "--stats: packets_out=7 (authcap, open, RAKP1, RAKP3, set priv, request, close)" \
    "$(stats_field "$ERR" packets_out)" 7
check_eq "--stats: packets_in=7 (one answer to each)" \
    "$(stats_field "$ERR" packets_in)" 7
check_eq "--stats: retransmits=0 on loopback" "$(stats_field "$ERR" retransmits)" 0
check_eq "--stats: dropped=0" "$(stats_field "$ERR" dropped)" 0

# --- standard output that cannot be written fails the command, with a
# word, whatever the command (issue 8): exit 2 unless it failed anyway
N=$((N + 1))
"$BMCWATCH" --help >/dev/full 2>"$W/$N.err"
check_eq "--help >/dev/full: exit 2" "$?" 2
check_eq "--help >/dev/full: says why" "$(cat "$W/$N.err")" \
    "bmcwatch: write error: No space left on device"
N=$((N + 1))
"$BMCWATCH" --help >"$W/$N.out" 2>"$W/$N.err"
check_eq "--help: exit 0" "$?" 0
check "--help: usage on stdout" grep -q '^usage: bmcwatch' "$W/$N.out"
for args in "raw 6 1" "--json info" "sensors" "sel list --json" \
    "chassis status"; do
	N=$((N + 1))
	# shellcheck disable=SC2086
	bw $args >/dev/full 2>"$W/$N.err"
	check_eq "'$args' >/dev/full: exit 2" "$?" 2
	check "'$args' >/dev/full: write error named" \
	    grep -qx 'bmcwatch: write error: No space left on device' "$W/$N.err"
done
# a command that writes nothing to stdout loses nothing: its own status
N=$((N + 1))
bw raw 6 0xff >/dev/full 2>"$W/$N.err"
check_eq "raw 6 0xff >/dev/full: exit 1 (its completion code)" "$?" 1
check "raw 6 0xff >/dev/full: no write error (nothing to write)" \
    test "$(grep -c 'write error' "$W/$N.err")" -eq 0

# --- the password never appears in anything bmcwatch printed
hits=$(grep -lF -- "$PASS" "$W"/*.out "$W"/*.err 2>/dev/null | grep -v '/pw\.' | tr '\n' ' ')
check_eq "admin password in no stdout/stderr of bmcwatch ($N runs)" "$hits" ""

finish

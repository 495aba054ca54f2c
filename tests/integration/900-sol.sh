#!/bin/bash
# Serial over LAN against ipmi_sim with a scripted serial port behind it
# (tests/sol/serial_peer.py: a tick line every 200 ms, echo of what is
# typed, every byte it sent and received kept), bmcwatch driven through
# a pseudo-terminal (tests/sol/solpty.py), ipmitool as the other SOL
# user on the same sim:
# - sol info, also while an instance is active (its owner's session);
# - sol activate, suites 3 (AES) and 2 (integrity only): the console
#   bytes are a contiguous run of what the serial port sent (nothing lost
#   or doubled), what is typed reaches it exactly once, the terminal is
#   raw while active and restored after ~., SIGTERM, SIGHUP, SIGINT and
#   the loss of the session; ~~ ~? ~B (ipmi_sim turns a break into the
#   telnet BREAK FF F3 on its TCP port, once);
# - ipmitool holds SOL: bmcwatch is refused (exit 1, the reason and the
#   holder's session ID said), --takeover takes it; bmcwatch holds SOL:
#   ipmitool is refused, ipmitool sol deactivate ends bmcwatch's (exit 1,
#   said); sol deactivate;
# - standard input not a terminal, standard output a file or /dev/full
#   (write error, exit 2), usage errors.
. "$(dirname "$0")/lib.sh"

SOL_DIR=$TESTS_DIR/sol
W=$(mktemp -d "${TMPDIR:-/tmp}/t900.XXXXXX")
PEER_PID=
BG_PIDS=""
cleanup() {
	for p in $BG_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -n "${SIM_PID:-}" ] && kill -CONT "$SIM_PID" 2>/dev/null
	sim_stop
	if [ -n "$PEER_PID" ]; then
		kill -TERM "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
	fi
	rm -rf "$W"
}
trap cleanup EXIT

# wait_until SECONDS CMD...: poll CMD every 0.1 s, bounded
wait_until() {
	_wu_n=$(($1 * 10))
	shift
	while [ "$_wu_n" -gt 0 ]; do
		"$@" && return 0
		_wu_n=$((_wu_n - 1))
		sleep 0.1
	done
	"$@"
}
file_has() {
	grep -q -- "$2" "$1" 2>/dev/null
}
fsize() {
	stat -c %s "$1" 2>/dev/null || echo 0
}
pty() {
	python3 "$SOL_DIR/solpty.py" "$@"
}
# bmcwatch over lanplus with suite $SUITE (default 3)
bws() {
	"$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
	    -f "$(sim_pwfile admin)" -C "${SUITE:-3}" "$@"
}
# contiguous OUT: OUT is one unbroken run of what the serial port sent
# (at least MIN bytes of it)
contiguous() {
	python3 - "$1" "$W/tx.bin" "$2" <<'PY'
import sys
out = open(sys.argv[1], "rb").read()
tx = open(sys.argv[2], "rb").read()
if len(out) < int(sys.argv[3]):
    print("# only %d bytes of console output" % len(out))
    sys.exit(1)
if tx.find(out) < 0:
    # say where it first departs from the serial port's bytes
    best = 0
    for i in range(len(tx)):
        n = 0
        while n < len(out) and i + n < len(tx) and tx[i + n] == out[n]:
            n += 1
        best = max(best, n)
    print("# console output (%d bytes) is not a run of the %d bytes sent;"
          " it agrees for its first %d" % (len(out), len(tx), best))
    sys.exit(1)
PY
}
# rx_since OFFSET: what the serial port received after OFFSET, escaped
rx_since() {
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read()[int(sys.argv[2]):]; print(repr(d))' \
	    "$W/rx.bin" "$1"
}

python3 "$SOL_DIR/serial_peer.py" --port-file "$W/peer.port" --tick-ms 200 \
    --echo --rx "$W/rx.bin" --tx "$W/tx.bin" --for 900 &
PEER_PID=$!
wait_until 5 test -s "$W/peer.port" || { not_ok "serial peer up"; exit 1; }
: >"$W/rx.bin"
SIM_SOL="tcp:127.0.0.1:$(cat "$W/peer.port")"
sim_start || { not_ok "sim_start with SOL"; exit 1; }
# the same as an argument list, for solpty (which runs a program)
BWA=("$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin
    -f "$(sim_pwfile admin)")

# ---- sol info ----
bws sol info >"$W/info.txt" 2>&1
check_eq "sol info exits 0" "$?" 0
check "sol info: enabled (ipmi_sim's parameter 1)" \
    grep -q '^Enabled *: yes$' "$W/info.txt"
check "sol info: SOL Retry not supported by ipmi_sim (80h), said" \
    grep -q '^Retry Count *: not supported$' "$W/info.txt"
check "sol info: no instance active" \
    bash -c "! grep -q '^Active Instance' '$W/info.txt'"
bws --json sol info >"$W/info.json" 2>&1
check_eq "sol info --json: enabled, 1 instance, none active" \
    "$(json_get "$W/info.json" '(d["enabled"], d["instances"], d["active"], d["retry_count"])')" \
    "(True, 1, [], None)"

# ---- interactive, suite 3 then 2 ----
for SUITE in 3 2; do
	export SUITE
	rx0=$(fsize "$W/rx.bin")
	pty --name "suite $SUITE" --timeout 20 --out "$W/out$SUITE.bin" \
	    --err "$W/err$SUITE.txt" 'expect:tick [0-9]+\r\n' raw \
	    "send:echo SOLTEST-$SUITE-$$\\r" "expect:got echo SOLTEST-$SUITE-$$" \
	    'expect:tick [0-9]+\r\n' 'send:\r~~x\r' 'expect:got ~x' \
	    'send:~?' 'send:~.' exit:0 -- "${BWA[@]}" -C "$SUITE" sol activate
	check_eq "suite $SUITE: the pty run passed" "$?" 0
	check "suite $SUITE: console bytes are one unbroken run of what the serial port sent" \
	    contiguous "$W/out$SUITE.bin" 30
	check_eq "suite $SUITE: the serial port received what was typed, once, ~~ as one ~, the escapes not at all" \
	    "$(rx_since "$rx0")" \
	    "b'echo SOLTEST-$SUITE-$$\\r\\r~x\\r'"
	check "suite $SUITE: ~? printed the escapes" \
	    grep -q 'B  send a break' "$W/err$SUITE.txt"
	check "suite $SUITE: the banner and the end said on stderr" \
	    grep -q 'SOL session closed' "$W/err$SUITE.txt"
done
unset SUITE

# ---- break: ipmi_sim writes telnet BREAK (FF F3) to its TCP port ----
rx0=$(fsize "$W/rx.bin")
pty --name break --timeout 20 --out "$W/outb.bin" --err "$W/errb.txt" \
    'expect:tick' raw 'send:~B' 'send:z\r' 'expect:got z' 'send:~.' exit:0 \
    -- "${BWA[@]}" -C 3 sol activate
check_eq "break: the pty run passed" "$?" 0
check_eq "break: one break, then the keystrokes" "$(rx_since "$rx0")" \
    "b'\\xff\\xf3z\\r'"

# ---- every way out restores the terminal ----
for sig in TERM HUP INT; do
	pty --name "SIG$sig" --timeout 20 --err "$W/err$sig.txt" 'expect:tick' \
	    raw "signal:$sig" exit:0 -- "${BWA[@]}" -C 3 sol activate
	check_eq "SIG$sig: ends the session, terminal restored" "$?" 0
done
# ---- ipmitool holds SOL ----
mkfifo "$W/it.in"
script -qfc "ipmitool -I lanplus -C 3 -H $SIM_HOST -p $SIM_PORT -U admin \
    -f $(sim_pwfile admin) -L ADMINISTRATOR sol activate" /dev/null \
    <"$W/it.in" >"$W/it.out" 2>&1 &
itpid=$!
BG_PIDS="$BG_PIDS $itpid"
exec 3>"$W/it.in"
check "ipmitool sol activate works against the sim" \
    wait_until 10 file_has "$W/it.out" "SOL Session operational"
bws sol activate </dev/null >"$W/busy.out" 2>"$W/busy.err"
check_eq "ipmitool holds SOL: bmcwatch refused, exit 1" "$?" 1
check "refusal names the reason and the holder" grep -Eq \
    "SOL payload instance 1 is active on another session \(BMC session ID 0x[0-9a-f]{8}\): refused \(--takeover deactivates it\)" \
    "$W/busy.err"
show_file "$W/busy.err"
bws sol info >"$W/info2.txt" 2>&1
check "sol info shows the active instance and its session" \
    grep -Eq '^Active Instance *: 1 \(BMC session ID 0x[0-9a-f]{8}\)$' \
    "$W/info2.txt"
pty --name takeover --timeout 20 --err "$W/errt.txt" \
    'expect:tick' raw 'send:~.' exit:0 -- "${BWA[@]}" -C 3 sol activate --takeover
check_eq "--takeover takes it from ipmitool" "$?" 0
check "takeover said" grep -q 'taken over from another session' \
    "$W/errt.txt"
exec 3>&-
kill "$itpid" 2>/dev/null
wait "$itpid" 2>/dev/null

# ---- bmcwatch holds SOL: ipmitool refused, its deactivate ends ours ----
pty --name "held" --timeout 30 --err "$W/errh.txt" 'expect:tick' raw \
    exit:1 -- "${BWA[@]}" -C 3 sol activate &
hpid=$!
BG_PIDS="$BG_PIDS $hpid"
wait_until 10 file_has "$W/errh.txt" "instance active"
script -qfc "ipmitool -I lanplus -C 3 -H $SIM_HOST -p $SIM_PORT -U admin \
    -f $(sim_pwfile admin) -L ADMINISTRATOR sol activate" /dev/null \
    </dev/null >"$W/it2.out" 2>&1
check "ipmitool refused while bmcwatch holds SOL" \
    grep -q "already active on another session" "$W/it2.out"
sim_ipmitool sol deactivate >"$W/itd.out" 2>&1
check_eq "ipmitool sol deactivate" "$?" 0
wait "$hpid"
check_eq "bmcwatch: deactivated by another session, exit 1, terminal restored" \
    "$?" 0
check "and says so" grep -q "no longer active: deactivated by the BMC or" \
    "$W/errh.txt"

# ---- sol deactivate ----
bws sol deactivate >"$W/d.out" 2>"$W/d.err"
check_eq "sol deactivate with nothing active: exit 1" "$?" 1
check_eq "... with the completion code named" "$(cat "$W/d.err")" \
    "bmcwatch: $SIM_HOST:$SIM_PORT: Deactivate Payload: completion code 80h: Payload already deactivated"

# ---- not a terminal ----
"${BWA[@]}" -C 3 sol activate </dev/null >"$W/file.out" 2>"$W/file.err" &
fpid=$!
BG_PIDS="$BG_PIDS $fpid"
check "stdin /dev/null, stdout a file: console bytes arrive" \
    wait_until 10 file_has "$W/file.out" "tick"
kill -TERM "$fpid"
wait "$fpid"
check_eq "... and SIGTERM ends it, exit 0" "$?" 0
check "... one unbroken run" contiguous "$W/file.out" 5
bws sol activate </dev/null >/dev/full 2>"$W/full.err"
check_eq "stdout /dev/full: exit 2" "$?" 2
check "... write error said" grep -q '^bmcwatch: write error: No space left on device$' \
    "$W/full.err"
bws sol info >"$W/info3.txt" 2>&1
check "... and the instance was given back" \
    bash -c "! grep -q '^Active Instance' '$W/info3.txt'"

# ---- the session lost: the sim stops answering, the probe finds it ----
pty --name "session lost" --timeout 40 --err "$W/errl.txt" raw exit:3 -- "${BWA[@]}" -C 3 -t 2 sol activate >"$W/lost.txt" 2>&1 &
lpid=$!
BG_PIDS="$BG_PIDS $lpid"
wait_until 20 file_has "$W/errl.txt" "instance active"
kill -STOP "$SIM_PID"
wait "$lpid"
check_eq "session lost: exit 3, terminal restored" "$?" 0
kill -CONT "$SIM_PID"
grep '^not ok\|^#' "$W/lost.txt"
check "session lost: said" grep -Eq 'session ended|no response' "$W/errl.txt"
show_file "$W/errl.txt"

# ---- usage ----
bws sol activate --escape-char . >/dev/null 2>"$W/u1.err"
check_eq "--escape-char . refused, exit 2" "$?" 2
"$BMCWATCH" -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" sol activate >/dev/null 2>"$W/u2.err"
check_eq "-I lan sol activate: exit 2" "$?" 2
check "... says why" grep -q 'needs an IPMI 2.0 RMCP+ session' "$W/u2.err"
bws sol frobnicate >/dev/null 2>&1
check_eq "unknown sol subcommand: exit 2" "$?" 2
finish

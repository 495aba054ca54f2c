#!/bin/bash
# `bmcwatch sol activate`, the direct SOL session (agent/cli/cli_sol.c on
# agent/bmc/solsess.c over lanplus, not the daemon's shared one: 785),
# against a hostile BMC (tests/hostile/hostile_bmc.py, suite 3: HMAC-SHA1,
# AES) that puts escape sequences, C1 controls, DEL, NUL, 0xff and the
# word HOSTILE in every text-like field it answers (completion-code
# data, Activate Payload and Get Payload Instance Info data, SOL
# configuration) and misbehaves on the SOL payload: status bits (break,
# overrun, unavailable, deactivating), packets past 255 characters and
# past any datagram, packets shorter than the header and characters
# under sequence number 0, a NACK storm, the instance taken by another
# session, silence, odd completion codes (80h-84h, C0h, D5h, FFh, 01h,
# 7Eh) on Activate Payload and Get SOL Configuration Parameters, a
# refusal naming a session ID made of escape bytes, another UDP port, a
# short answer.  Standard output and standard error are kept apart (and
# once, under a pseudo-terminal, tests/sol/solpty.py, the terminal in
# raw mode).  For every case:
#   - standard error is our own text (tests/hostile/termtext.py): printable
#     ASCII, LF, CR and TAB only (no ESC, other C0, DEL, C1 or byte past
#     7Fh), none of the BMC's words (HOSTILE, nor CONSOLE from the
#     console's bytes), no line past 300 characters, and every line a
#     message naming the target (bmcwatch: 127.0.0.1:PORT: ...), the
#     generic --stats counters line excepted;
#   - standard output holds the console's bytes exactly as the BMC sent
#     them (all 256 byte values, CSI, OSC, C1, DEL, NUL among them), or
#     nothing when no payload became active;
#   - the exit code and the one message that says why it ended are the
#     expected ones, within a bound (timeout(1) would say 124);
#   - the notices the BMC's status bits cause are at most 10 (in 10 s),
#     the rest counted in one line.
# First the positive control: the checker refuses crafted texts that
# break each rule, the responder's own hostile bytes among them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"	# wait_for

python3 -c 'import cryptography' 2>/dev/null ||
    skip_all "python3-cryptography missing (tests/deps.sh)"
W=$(mktemp -d "${TMPDIR:-/tmp}/t786.XXXXXX") || exit 1
HPID=
SPID=
cleanup() {
	for p in $SPID $HPID; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ "${KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT
HB=$TESTS_DIR/hostile/hostile_bmc.py
TT=$TESTS_DIR/hostile/termtext.py

# ---- the checker catches what it is for ----
python3 "$TT" selftest
check_eq "positive control: the checker refuses every crafted breach" \
    "$?" 0

# ---- the hostile BMC ----
printf 'sol-secret-786\n' >"$W/pw"
chmod 600 "$W/pw"
python3 "$HB" serve --port-file "$W/hport" --password-file "$W/pw" \
    --log "$W/h.log" >"$W/h.out" 2>&1 &
HPID=$!
check "the hostile BMC listens" wait_for 10 test -s "$W/hport"
HP=$(cut -d' ' -f1 "$W/hport")
HC=$(cut -d' ' -f2 "$W/hport")
PEER=127.0.0.1:$HP
h() { python3 "$HB" ctl "$HC" "$@" >/dev/null; }
# hstat KEY: one of the responder's counters (what it really did)
hstat() {
	python3 "$HB" ctl "$HC" stats |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
# more_than KEY N: the counter went past N
more_than() {
	[ "$(hstat "$1")" -gt "$2" ]
}

# the console's bytes: every byte value, colours, a window title, a
# terminal reset, 8-bit CSI/OSC/ST, DEL, NUL, and lines marked CONSOLE
python3 - "$W/data" <<'PY'
import random, sys
r = random.Random(786)
out = bytearray(range(256)) + b"\r\n"
while len(out) < 8000:
    k = r.randrange(5)
    if k == 0:
        out += bytes(r.randrange(256) for _ in range(r.randrange(1, 80)))
    elif k == 1:
        out += (b"\x1b[2J\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1bc "
                b"\x9b1m \x9d2;x\x9c \x7f\x00\xff CONSOLE\r\n")
    else:
        out += b"[%8.3f] CONSOLE line %d\r\n" % (r.random() * 100,
                                                 r.randrange(10**6))
out += b"END-OF-CONSOLE\r\n"
open(sys.argv[1], "wb").write(out)
PY
check "the console's bytes are loaded" h soldata "$W/data"
# keystrokes, for the NACK storm (stdin is a file: its end stops the
# keystrokes, not the session)
for i in $(seq 40); do printf 'typed %02d\r' "$i"; done >"$W/keys"

BW=("$BMCWATCH" -I lanplus -H 127.0.0.1 -p "$HP" -U admin -f "$W/pw" -C 3)
# the generic --stats counters (bmcwatch.c, shared by every command)
# name no target; counters only
STATS_RE='^bmcwatch: stats:( [a-z_]+=[0-9]+)+$'

# stderr_ok NAME: NAME's stderr is our own text, every line naming PEER
stderr_ok() {
	python3 "$TT" check --peer "$PEER" --forbid HOSTILE --forbid CONSOLE \
	    --allow "$STATS_RE" "$W/$1.err"
}
# show NAME: its stderr in the log, escaped (cat -v: never raw)
show() {
	cat -v "$W/$1.err" | sed 's/^/#   | /' | head -n 12
}
# console_exact NAME: its stdout is the console's bytes, exactly
console_exact() {
	cmp "$W/data" "$W/$1.out"
}
# has NAME LINE: stderr has LINE, whole (a raw-mode CR aside)
has() {
	tr -d '\r' <"$W/$1.err" | grep -qxF -- "$2"
}
# sol_case NAME RC STDIN [OPTION...]: `bmcwatch [$GOPT] sol activate
# [OPTION...]` (the responder's SOL mode set before) bounded by 60 s,
# stdin from STDIN, stdout and stderr to NAME.out and NAME.err; checks
# the exit code and stderr
GOPT=
sol_case() {
	_n=$1 _rc=$2 _in=$3
	shift 3
	_t0=$(now_s)
	# shellcheck disable=SC2086 # GOPT: no option or one word
	timeout -k 5 60 "${BW[@]}" $GOPT sol activate "$@" <"$_in" \
	    >"$W/$_n.out" 2>"$W/$_n.err"
	_got=$?
	echo "# $_n: exit $_got after $(elapsed "$_t0") s"
	show "$_n"
	check_eq "$_n: exit status $_rc, in time" "$_got" "$_rc"
	check "$_n: stderr is our own text, each line naming $PEER" \
	    stderr_ok "$_n"
}
ACTIVE="bmcwatch: $PEER: SOL payload instance active (~? for help, ~. to quit)"
DEACT="bmcwatch: $PEER: the BMC is deactivating SOL payload instance 1"

# ---- the payload flows, the BMC ends it ----
h sol good
GOPT=--stats sol_case good 1 /dev/null
check "good: the console's bytes on stdout, exactly" console_exact good
check "good: active, said" has good "$ACTIVE"
check "good: the end said" has good "$DEACT"
check "good: the SOL counters name the target" \
    grep -q "^bmcwatch: $PEER: sol stats: rx_packets=" "$W/good.err"

# completion codes with text on Get SOL Configuration Parameters: ours
h sol cfgcc c9
sol_case cfgcc 1 /dev/null
check "cfgcc: the console's bytes on stdout, exactly" console_exact cfgcc
check "cfgcc: the end said" has cfgcc "$DEACT"

# status bits on the data packets: break, overrun, unavailable
h sol status
sol_case status 1 /dev/null
check "status: the console's bytes on stdout, exactly" \
    console_exact status
for note in "the BMC saw a break from the server" \
    "the BMC lost console characters (transmit overrun, 1 so far)" \
    "character transfer unavailable (the serial port is in use by something else)" \
    "character transfer available again"; do
	check "status: notice '$note', naming the target" \
	    has status "[bmcwatch: $PEER: $note]"
done
check "status: the end said" has status "$DEACT"
# a status bit changing on every packet: 10 notices, the rest counted
check "status: the notices past 10 counted, not shown" grep -Eqx \
    "\[bmcwatch: $PEER: [0-9]+ more notices from the BMC not shown \(at most 10 in 10 s\)\]" \
    "$W/status.err"
check_eq "status: 13 lines on stderr (active, 10 notices, how many more, the end)" \
    "$(wc -l <"$W/status.err")" 13

# packets of 256-430 characters, and payloads too large for a datagram
h sol oversize
j0=$(hstat sol_junk_out)
p0=$(hstat sol_partial_in)
sol_case oversize 1 /dev/null
check "oversize: payloads past a datagram were sent" more_than sol_junk_out "$j0"
check "oversize: packets past 255 characters were acknowledged in part" \
    more_than sol_partial_in "$p0"
check "oversize: the console's bytes on stdout, exactly (the rest of each long packet sent again)" \
    console_exact oversize
check "oversize: the end said" has oversize "$DEACT"

# payloads shorter than the header, text under sequence number 0
h sol truncate
j0=$(hstat sol_junk_out)
sol_case truncate 1 /dev/null
check "truncate: short and unnumbered payloads were sent" \
    more_than sol_junk_out "$j0"
check "truncate: the console's bytes on stdout, exactly (nothing from the short or unnumbered packets)" \
    console_exact truncate
check "truncate: the end said" has truncate "$DEACT"

# a NACK storm against the keystrokes
h sol nak
n0=$(hstat sol_nacks_out)
sol_case nak 1 "$W/keys"
check "nak: a storm of NACKs was sent" more_than sol_nacks_out $((n0 + 300))
check "nak: the console's bytes on stdout, exactly" console_exact nak
check "nak: lost keystrokes said, naming the target" grep -Eq \
    "^\[bmcwatch: $PEER: keystrokes were not acknowledged by the BMC and are lost \([0-9]+ bytes so far\)\]$" \
    "$W/nak.err"
check "nak: the end said" has nak "$DEACT"

# the instance taken by a session whose ID is the bytes ESC [ 2 J
h sol taken
sol_case taken 1 /dev/null
check "taken: the console's bytes on stdout, exactly" console_exact taken
check "taken: said, the holder's ID as a number" has taken \
    "bmcwatch: $PEER: SOL payload instance 1 was taken over by another session (BMC session ID 0x4a325b1b)"

# the BMC falls silent once the data is out: the CLI ends on its own
h sol silence
sol_case silence 3 /dev/null
check "silence: the console's bytes on stdout, exactly" \
    console_exact silence
check "silence: the lost BMC said" has silence \
    "bmcwatch: $PEER: Get Payload Instance Info: request: no response after 4 tries"
h mode good

# the operator ends it (SIGTERM) while the instance stays active; the
# BMC answers Deactivate Payload with FFh and text
h sol stay
"${BW[@]}" sol activate </dev/null >"$W/stay.out" 2>"$W/stay.err" &
SPID=$!
out_full() { [ "$(stat -c %s "$W/stay.out")" = "$(stat -c %s "$W/data")" ]; }
check "stay: the console's bytes all arrive" wait_for 30 out_full
kill -TERM "$SPID"
wait "$SPID"
rc=$?
SPID=
show stay
check_eq "stay: SIGTERM ends it, exit 0" "$rc" 0
check "stay: stderr is our own text, each line naming $PEER" stderr_ok stay
check "stay: the console's bytes on stdout, exactly" console_exact stay
check "stay: closed, said" has stay "bmcwatch: $PEER: SOL session closed"

# ---- refused: nothing on stdout, the reason said ----
for cc in 81 82 83 84 c0 d5 ff 01 7e; do
	h sol cc "$cc"
	sol_case "cc$cc" 1 /dev/null
	CC=$(echo "$cc" | tr a-f A-F)
	check "cc $cc: said, naming the step and the code" grep -Eq \
	    "^bmcwatch: $PEER: Activate Payload: completion code ${CC}h: [A-Za-z]" \
	    "$W/cc$cc.err"
	check "cc $cc: nothing on stdout" test ! -s "$W/cc$cc.out"
done
h sol busy
sol_case busy 1 /dev/null
check "busy: refused, the holder's ID as a number" has busy \
    "bmcwatch: $PEER: SOL payload instance 1 is active on another session (BMC session ID 0x4a325b1b): refused (--takeover deactivates it)"
check "busy: nothing on stdout" test ! -s "$W/busy.out"
# --takeover: Deactivate Payload for the holder (80h: already gone), the
# activation refused again
sol_case takeover 1 /dev/null --takeover
check "takeover: refused again, said" has takeover \
    "bmcwatch: $PEER: SOL payload instance 1 is active on another session (BMC session ID 0x4a325b1b), again after taking it over: refused (--takeover deactivates it)"
check "takeover: nothing on stdout" test ! -s "$W/takeover.out"
h sol port
sol_case port 1 /dev/null
check "port: refused, both ports said" has port \
    "bmcwatch: $PEER: the BMC wants the SOL payload on UDP port $((HP + 1)), not on the session's port $HP: a second socket is not supported"
check "port: nothing on stdout" test ! -s "$W/port.out"
h sol short
sol_case short 3 /dev/null
check "short: said" has short \
    "bmcwatch: $PEER: Activate Payload: response too short (5 bytes, need 12)"
check "short: nothing on stdout" test ! -s "$W/short.out"

# ---- under a terminal: raw mode, a notice with CR LF, restored ----
h sol stay
python3 "$TESTS_DIR/sol/solpty.py" --name pty --timeout 30 \
    --out "$W/pty.out" --err "$W/pty.err" raw 'expect:END-OF-CONSOLE\r\n' \
    'send:~B' 'send:~.' exit:0 -- "${BW[@]}" sol activate
check_eq "pty: raw while active, ~B, ~., exit 0, terminal restored" "$?" 0
show pty
check "pty: stderr is our own text, each line naming $PEER" stderr_ok pty
check "pty: the console's bytes on the terminal, exactly" console_exact pty
check "pty: the break's notice in raw mode: CR LF around it, the target named" \
    grep -qF "$(printf '\r\n[bmcwatch: %s: break sent]\r' "$PEER")" \
    "$W/pty.err"
check "pty: closed, said" has pty "bmcwatch: $PEER: SOL session closed"

check "the hostile BMC is still running" kill -0 "$HPID"
finish

#!/bin/bash
# bmcwatchd logs a console unattended: ipmi_sim's SOL with a scripted
# serial port behind it (tests/sol/serial_peer.py --script: files sent on
# demand, every byte it sent kept in tx.bin), bmcwatchd with a sol block,
# its log read back by tests/sol/conlog.py (format checked):
# - the log's console bytes equal what the serial port sent, byte for
#   byte (binary, long lines, lines without CR), at every step below;
# - "Kernel panic" and "Oops" lines are console events in the store
#   (`targets --json`: count, rule, text), webhook documents (pattern
#   and line), CRITICAL in check_bmc_console
#   (its pattern and line) until older than --max-age; a burst of them
#   gives at most 10 events a minute, the rest counted as suppressed;
# - bmcwatch -S SOCKET sol TARGET: clients attach and detach (SIGTERM,
#   SIGKILL) while the console is sent: each sees an unbroken run of it,
#   the log loses and doubles nothing; --replay; keystrokes from root
#   reach the serial port once, an unprivileged peer's do not (said); on
#   a terminal (tests/sol/solpty.py): raw mode, a typed line echoed, ~?,
#   ~. detaches and the terminal is restored;
# - a client that never reads is dropped, the others and the log go on;
# - SIGHUP after a rename (logrotate): the new file takes the rest;
# - the sim stopped and started again: disconnected (a WARNING in
#   check_bmc_console), gap and connected in the log, the console logged
#   again afterwards;
# - SIGTERM: "logging stopped", no sanitizer report.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

SOL_DIR=$TESTS_DIR/sol
BG_PIDS=""
D_SIMS=""
cleanup() {
	for p in $BG_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	sim_stop
	sol_peer_stop
	d_cleanup
}
trap cleanup EXIT
d_setup
. "$(dirname "$0")/sol_lib.sh"
LOG=$W/archive/console/t1.log

marks() {
	conlog "$W/data.bin" "$@" >"$W/marks.txt" 2>/dev/null
	cut -d' ' -f2- "$W/marks.txt"
}
nmarks() {
	marks "$LOG" | grep -c "$1"
}
ttarget() {
	d_health t1 "$1"
}
clients_are() { [ "$(ttarget console.clients)" = "$1" ]; }

sol_peer_start || { not_ok "serial peer up"; exit 1; }
SIM_RUNDIR=$W/sim
mkdir -p "$SIM_RUNDIR"
sim_start || { not_ok "sim_start with SOL"; exit 1; }

# a webhook receiver for the console events: each document on a line
python3 "$TESTS_DIR/redfish/whrx.py" "$W/rx.port" "$W/rx.jsonl" >"$W/rx.err" 2>&1 &
BG_PIDS="$BG_PIDS $!"
wait_for 20 test -s "$W/rx.port" || { not_ok "webhook receiver up"; exit 1; }
: >>"$W/rx.jsonl"
# the console events' documents: "pattern | line" of each
rx_console() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["kind"] == "console":
        print("%s | %s | %s" % (d["target"], d["details"]["pattern"],
            d["details"]["line"]))' "$W/rx.jsonl"
}
rx_has() { [ "$(rx_console | wc -l)" -ge "$1" ]; }

d_conf "$W/d.conf" "socket-mode 0666" "webhook \"rx\" {
	url \"http://127.0.0.1:$(cat "$W/rx.port")/hook\"  allow-plaintext yes
	events console  min-severity info  timeout 2
}"
d_target t1 "$SIM_PORT" "backoff-max 4
	sol {
		log yes  input yes  timestamps yes
		pattern \"Kernel panic - not syncing\"
		pattern \"^Oops: \"
	}" >>"$W/d.conf"
"$BMCWATCHD" -n -f "$W/d.conf" 2>"$W/n.err"
check_eq "the configuration checks" "$?" 0
d_start "$W/d.conf" || { not_ok "bmcwatchd up"; exit 1; }

check "the daemon activates SOL: 'connected' in the console log" \
    wait_for 30 grep -q '# bmcwatch: connected' "$LOG"
check "the sim is connected to the serial port" wait_for 30 accepts_ge 1
check_eq "targets --json: console connected, logging, input on" \
    "$(ttarget console.connected) $(ttarget console.logging) $(ttarget console.input)" \
    "True True True"

# ---- the log equals what was sent ----
mkpayload "$W/p1" 1 48
printf 'Kernel panic - not syncing: Fatal exception in interrupt\r\n' >>"$W/p1"
printf 'a line\r\nOops: 0002 [#1] PREEMPT SMP NOPTI\r\nCall Trace:\r\n' \
    >>"$W/p1"
send_file "$W/p1" || not_ok "serial port sent payload 1"
check "payload 1 (48 KB: binary, long lines, lines without CR) logged byte for byte" \
    wait_for 30 log_is_tx "$LOG"
log_is_tx "$LOG" || log_vs_tx "$LOG"
check "every log line is 'TIME | bytes' or a marker (conlog.py)" \
    conlog "$W/data.bin" "$LOG" >/dev/null
check_eq "console events in the store: 2 (panic, Oops)" \
    "$(ttarget console.events)" 2
check_eq "the last one: its rule and line" \
    "$(ttarget console.last_event_rule) | $(ttarget console.last_event_text)" \
    "^Oops:  | Oops: 0002 [#1] PREEMPT SMP NOPTI"
check "both logged with their pattern" grep -q \
    'console: pattern "Kernel panic - not syncing": Kernel panic - not syncing: Fatal exception in interrupt' \
    "$W/d.log"
check "a webhook document for each console event" wait_for 30 rx_has 2
check_eq "the webhook documents name the target, pattern and line" \
    "$(rx_console | head -n 2)" \
    "t1 | Kernel panic - not syncing | Kernel panic - not syncing: Fatal exception in interrupt
t1 | ^Oops:  | Oops: 0002 [#1] PREEMPT SMP NOPTI"
check_eq "bytes counted in the store" "$(ttarget console.bytes)" \
    "$(stat -c %s "$W/tx.bin")"
p_state "check_bmc_console: the Oops is a recent console event" 2 \
    '^BMC CONSOLE CRITICAL - 1 console, 1 with a recent event: t1: console event [0-9]+ s ago, pattern "\^Oops: ": Oops: 0002 \[#1\]' \
    check_bmc_console
p_state "check_bmc_console --max-age 1: OK once it is older" 0 \
    '^BMC CONSOLE OK - 1 console, 0 with a recent event' \
    check_bmc_console --max-age 1
check "perfdata: the events and gaps counters" \
    grep -q "| 't1 events'=2c;;;0; 't1 gaps'=0c;;;0;" "$W/p.out"

# ---- the event rate: 10 a minute, the rest counted ----
python3 -c 'import sys
for i in range(15):
    sys.stdout.write("Oops: burst %d\r\n" % i)' >"$W/burst"
send_file "$W/burst" || not_ok "serial port sent the burst"
check "the burst logged byte for byte" wait_for 30 log_is_tx "$LOG"
ev=$(ttarget console.events)
sup=$(ttarget console.events_suppressed)
# 2 events came before within the minute, unless a slow machine took
# longer than that since the first: then the window started again
check_eq "15 matching lines: events + suppressed = 2 + 15, at least 5 suppressed" \
    "$((ev + sup)) $([ "$sup" -ge 5 ] && echo 5+)" "17 5+"
check_eq "one log line per event, none for the suppressed" \
    "$(grep -c 'pattern "^Oops: ": Oops: burst' "$W/d.log")" "$((ev - 2))"

# ---- clients attach and detach while the console is logged ----
# (exec: started with &, $! is the client itself)
bwcon() {
	exec "$BMCWATCH" -S "$W/ctl.sock" sol t1 "$@"
}
bwcon --read-only >"$W/a.out" 2>"$W/a.err" </dev/null &
apid=$!
BG_PIDS="$BG_PIDS $apid"
check "client A attached (read-only, said)" wait_for 10 grep -q \
    'input off: attached read-only' "$W/a.err"
mkpayload "$W/p2a" 2 40
mkpayload "$W/p2b" 3 300
cat "$W/p2a" "$W/p2b" >"$W/p2"
send_file "$W/p2a" || not_ok "serial port sent payload 2a"
check "A has exactly what was sent since it attached" \
    wait_for 20 cmp -s "$W/a.out" "$W/p2a"
bwcon --read-only >"$W/b.out" 2>"$W/b.err" </dev/null &
bpid=$!
BG_PIDS="$BG_PIDS $bpid"
wait_for 10 grep -q 'input off' "$W/b.err"
NSEND=$((NSEND + 1))
cp "$W/p2b" "$S/tmp"
mv "$S/tmp" "$S/send.$NSEND"
b_has() { [ "$(stat -c %s "$W/b.out")" -gt "$1" ]; }
wait_for 20 b_has 30000
kill -TERM "$apid"
wait "$apid"
check_eq "client A detaches on SIGTERM while the console flows, exit 0" \
    "$?" 0
bwcon --read-only --replay 100 >"$W/c.out" 2>"$W/c.err" </dev/null &
cpid=$!
BG_PIDS="$BG_PIDS $cpid"
wait_for 10 grep -q 'input off' "$W/c.err"
{ kill -KILL "$cpid"; wait "$cpid"; } 2>/dev/null
check "payload 2b sent" wait_for 120 test -e "$S/sent.$NSEND"
check "payload 2 (340 KB) logged byte for byte while clients came and went" \
    wait_for 30 log_is_tx "$LOG"
log_is_tx "$LOG" || log_vs_tx "$LOG"
check "A (SIGTERM mid-payload) had an unbroken run from where it attached" \
    python3 -c 'import sys; p=open(sys.argv[1],"rb").read(); a=open(sys.argv[2],"rb").read(); sys.exit(0 if len(a) > 40960 and p.startswith(a) else 1)' \
    "$W/p2" "$W/a.out"
check "B (attached between 2a and 2b) has an unbroken run to the end" \
    wait_for 20 python3 -c 'import sys; p=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); sys.exit(0 if len(b) >= 300 * 1024 and p.endswith(b) else 1)' \
    "$W/p2" "$W/b.out"
check "C (--replay 100, then SIGKILL) began with the 100 bytes before it" \
    python3 -c 'import sys; t=open(sys.argv[1],"rb").read(); c=open(sys.argv[2],"rb").read(); sys.exit(0 if len(c) >= 100 and t.find(c) >= 0 else 1)' \
    "$W/tx.bin" "$W/c.out"
check "B is the one client left (C's death seen)" \
    wait_for 10 clients_are 1
kill -TERM "$bpid"
wait "$bpid"
check "the daemon logged the attaches and detaches" \
    grep -q 'console: client pid .* detached' "$W/d.log"

# ---- keystrokes: root yes, an unprivileged peer no ----
rx0=$(stat -c %s "$W/rx.bin")
mkfifo "$W/k.in"
"$BMCWATCH" -S "$W/ctl.sock" sol t1 <"$W/k.in" >"$W/k.out" 2>"$W/k.err" &
kpid=$!
BG_PIDS="$BG_PIDS $kpid"
exec 4>"$W/k.in"
check "root attaches with input on" wait_for 10 grep -q 'input on' \
    "$W/k.err"
printf 'echo from-root-%s\r' "$$" >&4
check "root's keystrokes reached the serial port, its echo came back" \
    wait_for 20 grep -q "got echo from-root-$$" "$W/k.out"
exec 4>&-
kill -TERM "$kpid"
wait "$kpid"
touch "$W/u.out" "$W/u.err"
chmod 666 "$W/u.out" "$W/u.err"
mkfifo "$W/u.in"
chmod 666 "$W/u.in"
setpriv --reuid=4242 --regid=4242 --clear-groups "$BMCWATCH" \
    -S "$W/ctl.sock" sol t1 <"$W/u.in" >"$W/u.out" 2>"$W/u.err" &
upid=$!
BG_PIDS="$BG_PIDS $upid"
exec 4>"$W/u.in"
check "uid 4242 attaches read-only: not privileged, said" \
    wait_for 10 grep -q "input off: uid 4242 is neither root nor in the socket's group" \
    "$W/u.err"
printf 'echo from-4242\r' >&4
check "its keystrokes are refused, said once" \
    wait_for 10 grep -q "keystrokes are not passed on" "$W/u.err"
exec 4>&-
kill -TERM "$upid"
wait "$upid"
check_eq "the serial port got root's line once, nothing of uid 4242" \
    "$(python3 -c 'import sys; print(repr(open(sys.argv[1],"rb").read()[int(sys.argv[2]):]))' "$W/rx.bin" "$rx0")" \
    "b'echo from-root-$$\\r'"
check "the log still equals what was sent (echoes included)" \
    wait_for 20 log_is_tx "$LOG"
# the same on a terminal: raw mode, a line typed and its echo, ~. detaches
python3 "$SOL_DIR/solpty.py" --name "sol through the daemon" --timeout 30 \
    --out "$W/pty.out" --err "$W/pty.err" raw "send:echo via-pty-$$\\r" \
    "expect:got echo via-pty-$$" 'send:\r~?' 'send:~.' exit:0 -- \
    "$BMCWATCH" -S "$W/ctl.sock" sol t1
check_eq "a terminal through the daemon: raw, typed, echoed, ~. detaches, terminal restored" \
    "$?" 0
check "~? listed the escapes" grep -q 'B  send a break' "$W/pty.err"
check "the log still equals what was sent (terminal session included)" \
    wait_for 20 log_is_tx "$LOG"

# ---- a client that never reads is dropped; logging goes on ----
python3 - "$W/ctl.sock" "$W/slow.ready" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"sol replay 65536 target=t1\n")
open(sys.argv[2], "w").close()
time.sleep(600)
PY
spid=$!
BG_PIDS="$BG_PIDS $spid"
wait_for 10 test -e "$W/slow.ready"
"$BMCWATCH" -S "$W/ctl.sock" sol t1 --read-only >"$W/e.out" 2>"$W/e.err" </dev/null &
epid=$!
BG_PIDS="$BG_PIDS $epid"
wait_for 10 grep -q 'input off' "$W/e.err"
mkpayload "$W/p3" 4 640
send_file "$W/p3" || not_ok "serial port sent payload 3"
check "the client that never reads was dropped (logged)" \
    wait_for 20 grep -q 'client pid [0-9]* dropped: it did not read' \
    "$W/d.log"
check "payload 3 (640 KB) logged byte for byte meanwhile" \
    wait_for 30 log_is_tx "$LOG"
log_is_tx "$LOG" || log_vs_tx "$LOG"
check "the reading client got all of payload 3" \
    wait_for 20 python3 -c 'import sys; p=open(sys.argv[1],"rb").read(); e=open(sys.argv[2],"rb").read(); sys.exit(0 if e.endswith(p) else 1)' \
    "$W/p3" "$W/e.out"
kill -TERM "$epid"
wait "$epid"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null

# ---- SIGHUP after logrotate's rename ----
mv "$LOG" "$LOG.1"
kill -HUP "$DPID"
wait_for 10 grep -q 'reloaded' "$W/d.log"
mkpayload "$W/p4" 5 8
send_file "$W/p4" || not_ok "serial port sent payload 4"
check "after SIGHUP a new log takes the rest; together they equal what was sent" \
    wait_for 30 log_is_tx "$LOG.1" "$LOG"
check_eq "the new log holds just the rest" \
    "$(conlog "$W/p4.log" "$LOG" >/dev/null; cmp -s "$W/p4.log" "$W/p4" && echo same)" \
    same

# ---- the sim stops and comes back ----
acc0=$(accepts)
sim_stop
check "the BMC gone: 'disconnected' in the log" \
    wait_for 60 grep -q '# bmcwatch: disconnected' "$LOG"
check_eq "targets: console not connected" "$(ttarget console.connected)" \
    False
p_state "check_bmc_console: a console not connected is a WARNING" 1 \
    '^BMC CONSOLE WARNING - 1 console, 0 with a recent event: t1: console not connected: ' \
    check_bmc_console --max-age 1
p_state "check_bmc_console --disconnected-ok: OK" 0 '^BMC CONSOLE OK' \
    check_bmc_console --max-age 1 --disconnected-ok
check "the sim answers again on its port" sim_again
check "reconnected: a gap, then 'connected' again" \
    wait_for 60 bash -c "[ \"\$(grep -c '# bmcwatch: connected' '$LOG')\" -ge 1 ]"
check "the gap is said with its length" \
    grep -Eq '# bmcwatch: gap: [0-9.]+ s without the console' "$LOG"
check "the sim connected to the serial port again" \
    wait_for 30 accepts_ge $((acc0 + 1))
mkpayload "$W/p5" 6 16
send_file "$W/p5" || not_ok "serial port sent payload 5"
check "after the restart the console is logged byte for byte again" \
    wait_for 30 log_is_tx "$LOG.1" "$LOG"
log_is_tx "$LOG.1" "$LOG" || log_vs_tx "$LOG.1" "$LOG"

# ---- stop ----
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "'logging stopped' is the last line" \
    bash -c "tail -n 1 '$LOG' | grep -q '# bmcwatch: logging stopped'"
check "no sanitizer report" d_san_clean
show_file "$W/marks.txt"
finish

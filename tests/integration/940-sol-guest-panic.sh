#!/bin/bash
# bmcwatchd logs a real console through restarts and catches its panic:
# Debian's kernel booted in QEMU with its serial port as the TCP server
# behind ipmi_sim's `sol' (ipmi_lan(5)), QEMU's chardev logfile recording
# every byte the guest writes there (tests/inband/guest.sh).  The guest
# is held (-S) until the daemon's SOL session is active, then:
#  - it is reset (QMP system_reset) in the middle of its first boot: the
#    log goes on into the second boot with nothing lost or doubled (the
#    log's bytes so far = the first bytes QEMU recorded);
#  - the sim is killed and started again in the middle of the second
#    boot: the log says disconnected, the gap with its length, connected,
#    and resumes: what it holds after the gap is exactly the rest of what
#    the guest wrote from some point on (what went while no sim was there
#    is missing, nothing is doubled);
#  - the guest's script waits for a line on its console, typed through
#    the daemon (`input yes': bmcwatch -S SOCKET sol), then runs
#    `echo c > /proc/sysrq-trigger': the log holds "Kernel panic" and the
#    panic is a console event in the store (`targets --json': its pattern
#    and line), logged with its pattern.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$TESTS_DIR/inband/guest.sh"

SOL_DIR=$TESTS_DIR/sol
# shellcheck disable=SC2034 # read by d_cleanup
D_SIMS=""
KPID=
cleanup() {
	if [ -n "$KPID" ]; then
		kill -KILL "$KPID" 2>/dev/null
		wait "$KPID" 2>/dev/null
	fi
	solguest_stop
	sim_stop
	d_cleanup
}
trap cleanup EXIT
d_setup
LOG=$W/archive/console/g1.log

# the guest's script asks for a line every second until it gets one
cat >"$W/guest.sh" <<'GUEST'
# runs as /test.sh from the initramfs' /init, on /dev/console = ttyS0
while ! read -t 1 x; do
	echo "SOLGUEST-WAITING"
done
echo "SOLGUEST-GOT $x"
echo c >/proc/sysrq-trigger
echo "SOLGUEST-NOT-CRASHED"
GUEST
# panic=0: a panic halts the guest, a reset reboots it
solguest_start "$W" "$W/guest.sh" "panic=0" reboot 2>"$W/start.err"
case $? in
0)	;;
77)	skip_all "$(cat "$W/start.err")" ;;
*)	not_ok "the guest: $(cat "$W/start.err")"
	show_file "$W/mkinitrd.log"; finish; exit ;;
esac
check "QEMU (held) listens on the serial port" wait_for 20 solguest_listening
SIM_RUNDIR=$W/sim
mkdir -p "$SIM_RUNDIR"
sim_start || { not_ok "sim_start with SOL"; finish; exit; }
check "ipmi_sim is connected to the guest's serial port" \
    wait_for 30 solguest_connected

d_conf "$W/d.conf"
d_target g1 "$SIM_PORT" "backoff-max 2
	sol {
		log yes  timestamps yes  input yes
		pattern \"Kernel panic - not syncing\"
		pattern \"BUG: |Oops: \"
	}" >>"$W/d.conf"
d_start "$W/d.conf" || { not_ok "bmcwatchd up"; finish; exit; }
check "the daemon's SOL session is active" \
    wait_for 30 grep -q '# bmcwatch: connected' "$LOG"
solguest_qmp cont >/dev/null
check_eq "the guest runs" "$?" 0

# serial.log holds N "Linux version" lines and M bytes after the last
booted_past() {
	python3 - "$W/serial.log" "$1" "$2" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
n = b.count(b"Linux version")
sys.exit(0 if n >= int(sys.argv[2]) and
         len(b) - b.rfind(b"Linux version") >= int(sys.argv[3]) else 1)
PY
}
# ---- the guest reset mid-boot ----
check "the first boot is under way (8 KB after 'Linux version')" \
    wait_for 120 booted_past 1 8192
solguest_qmp system_reset >/dev/null
check_eq "QMP system_reset in the middle of the first boot" "$?" 0
check "the second boot is under way (8 KB after its 'Linux version')" \
    wait_for 120 booted_past 2 8192

# ---- the sim killed and started again mid-boot ----
sim_stop
check "the sim answers again on its port" sim_again
check "the sim connected to the serial port again" \
    wait_for 30 solguest_connected
check "the daemon reconnected: 'connected' twice in the log" \
    wait_for 60 bash -c "[ \"\$(grep -c '# bmcwatch: connected' '$LOG')\" -ge 2 ]"

# ---- a line typed through the daemon, then the panic ----
check "the guest's script waits for a line (seen in the log)" \
    wait_for 120 grep -q SOLGUEST-WAITING "$LOG"
mkfifo "$W/k.in"
"$BMCWATCH" -S "$W/ctl.sock" sol g1 <"$W/k.in" >"$W/k.out" 2>"$W/k.err" &
KPID=$!
exec 4>"$W/k.in"
check "attached to the daemon's console with input on" \
    wait_for 10 grep -q 'input on' "$W/k.err"
printf 'go\r' >&4
check "the guest got the line" wait_for 30 grep -q 'SOLGUEST-GOT go' "$LOG"
exec 4>&-
kill -TERM "$KPID"
wait "$KPID"
KPID=
check "the guest panics (sysrq c): the panic's end in QEMU's log" \
    wait_for 120 grep -aq 'end Kernel panic - not syncing' "$W/serial.log"

# the log's console bytes: A before the gap marker, B after; A is the
# start of what the guest wrote, B all of it from some point at or past
# the end of A
split_ok() {
	python3 "$SOL_DIR/conlog.py" --data "$W/data.bin" "$LOG" \
	    >"$W/marks.txt" || return 1
	python3 - "$W/data.bin" "$W/serial.log" "$W/marks.txt" \
	    >"$W/split.txt" <<'PY'
import re, sys
log = open(sys.argv[1], "rb").read()
ser = open(sys.argv[2], "rb").read()
gaps = [int(l.split()[0]) for l in open(sys.argv[3])
        if re.match(r"\d+ gap: [0-9.]+ s without the console", l)]
if len(gaps) != 1:
    print("# %d gap markers" % len(gaps))
    sys.exit(1)
a, b = log[:gaps[0]], log[gaps[0]:]
if ser[:len(a)] != a:
    n = min(len(a), len(ser))
    i = next((k for k in range(n) if a[k] != ser[k]), n)
    print("# before the gap the log parts from QEMU's at byte %d" % i)
    sys.exit(1)
if len(b) < 200:
    print("# %d bytes after the gap" % len(b))
    sys.exit(1)
k = ser.find(b[:200], len(a))
if k < 0 or ser[k:] != b:
    print("# after the gap: not the tail of QEMU's log (at %d)" % k)
    sys.exit(1)
print("# log: %d bytes before the gap (%d 'Linux version'), %d after;"
      " the guest wrote %d, %d of them while no sim was there"
      % (len(a), a.count(b"Linux version"), len(b), len(ser), k - len(a)))
sys.exit(0 if a.count(b"Linux version") == 2 else 1)
PY
}
check "the log = QEMU's capture: both boots whole up to the sim's restart, then all from a point after it (nothing doubled)" \
    wait_for 30 split_ok
cat "$W/split.txt"
check "the marks at the sim's restart: disconnected, gap, connected" \
    grep -Eq '^[0-9]+ disconnected: ' "$W/marks.txt"
check "boot messages in the log" grep -aq 'Linux version' "$W/data.bin"
check "the panic is in the log" \
    grep -aq 'Kernel panic - not syncing: sysrq triggered crash' "$W/data.bin"
# the panic line as the store's last console event
panic_event() {
	d_ask --json targets >"$W/targets.json" 2>/dev/null || return 1
	python3 - "$W/targets.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [t for t in d["targets"] if t["name"] == "g1"][0]["console"]
print("# console: %d events, last %r %r, %d gaps"
      % (c["events"], c["last_event_rule"], c["last_event_text"],
         c["gaps"]))
sys.exit(0 if c["events"] >= 1 and c["gaps"] == 1 and
         c["last_event_rule"] == "Kernel panic - not syncing" and
         "Kernel panic - not syncing: sysrq triggered crash" in
         c["last_event_text"] else 1)
PY
}
check "the panic is a console event in the store (pattern, line), one gap" \
    wait_for 10 panic_event
panic_event
check "and logged with its pattern" grep -q \
    'console: pattern "Kernel panic - not syncing": .*Kernel panic - not syncing: sysrq triggered crash' \
    "$W/d.log"
solguest_stop
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

#!/bin/bash
# bmcwatchd logs a real console and catches its panic: Debian's kernel
# booted in QEMU with its serial port as the TCP server behind ipmi_sim's
# `sol' (ipmi_lan(5)), QEMU's chardev logfile recording every byte the
# guest writes there.  The guest is held (-S) until the daemon's SOL
# session is active, then boots and runs `echo c > /proc/sysrq-trigger'.
# The console log read back (tests/sol/conlog.py) equals QEMU's log of
# the guest's serial output, byte for byte (none lost, doubled or
# reordered), holds the boot messages and "Kernel panic", and the panic
# is a console event in the store (`targets --json': its pattern and
# line).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

SOL_DIR=$TESTS_DIR/sol
KDIR=$TOP/build/inband/kernel
QEMU_PID=
D_SIMS=""
cleanup() {
	if [ -n "$QEMU_PID" ]; then
		python3 "$SOL_DIR/qmp.py" "$W/qmp.sock" quit >/dev/null 2>&1
		_n=0
		while [ "$_n" -lt 50 ] && kill -0 "$QEMU_PID" 2>/dev/null; do
			_n=$((_n + 1))
			sleep 0.1
		done
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	sim_stop
	d_cleanup
}
trap cleanup EXIT
d_setup
LOG=$W/archive/console/g1.log

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
# listening PORT: something listens on 127.0.0.1:PORT (read from
# /proc/net/tcp, without connecting: QEMU takes one client at a time)
listening() {
	python3 - "$1" <<'PY'
import sys
want = "0100007F:%04X" % int(sys.argv[1])
for line in open("/proc/net/tcp").readlines()[1:]:
    f = line.split()
    if f[1] == want and f[3] == "0A":
        sys.exit(0)
sys.exit(1)
PY
}
# the guest's serial chardev has a client (the sim)
serial_connected() {
	python3 "$SOL_DIR/qmp.py" "$W/qmp.sock" query-chardev 2>/dev/null |
	    python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(c["label"] == "ser0" and "<->" in c["filename"]
                  for c in d) else 1)'
}

command -v qemu-system-x86_64 >/dev/null 2>&1 ||
    skip_all "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
sh "$TOP/tests/inband/kernel.sh" "$KDIR" 2>"$W/kernel.err" ||
    skip_all "no guest kernel: $(cat "$W/kernel.err")"
cat >"$W/guest.sh" <<'GUEST'
# runs as /test.sh from the initramfs' /init, on /dev/console = ttyS0
echo "SOLGUEST-UP"
echo c >/proc/sysrq-trigger
echo "SOLGUEST-NOT-CRASHED"
GUEST
sh "$TOP/tests/inband/mkinitrd.sh" -k "$KDIR" -n -s "$W/guest.sh" \
    "$W/initrd.gz" >"$W/mkinitrd.log" 2>&1
case $? in
0)	;;
77)	skip_all "$(cat "$W/mkinitrd.log")" ;;
*)	not_ok "mkinitrd.sh -n"; show_file "$W/mkinitrd.log"; finish; exit ;;
esac

SERIAL=$(_sim_freeports tcp)
qemu-system-x86_64 -machine pc -accel tcg -cpu max -m 256 -smp 1 \
    -nodefaults -display none -no-reboot -S \
    -kernel "$KDIR/vmlinuz" -initrd "$W/initrd.gz" \
    -append "console=ttyS0 panic=-1" \
    -chardev "socket,id=ser0,host=127.0.0.1,port=$SERIAL,server=on,wait=off,logfile=$W/serial.log" \
    -serial chardev:ser0 -qmp "unix:$W/qmp.sock,server=on,wait=off" \
    >"$W/qemu.out" 2>&1 &
QEMU_PID=$!
check "QEMU (held) listens on the serial port" wait_until 20 listening "$SERIAL"
SIM_SOL="tcp:127.0.0.1:$SERIAL"
SIM_RUNDIR=$W/sim
mkdir -p "$SIM_RUNDIR"
sim_start || { not_ok "sim_start with SOL"; finish; exit; }
check "ipmi_sim is connected to the guest's serial port" \
    wait_until 30 serial_connected

d_conf "$W/d.conf"
d_target g1 "$SIM_PORT" "sol {
		log yes  timestamps yes
		pattern \"Kernel panic - not syncing\"
		pattern \"BUG: |Oops: \"
	}" >>"$W/d.conf"
d_start "$W/d.conf" || { not_ok "bmcwatchd up"; finish; exit; }
check "the daemon's SOL session is active" \
    wait_until 30 file_has "$LOG" "# bmcwatch: connected"
python3 "$SOL_DIR/qmp.py" "$W/qmp.sock" cont >/dev/null
check_eq "the guest runs" "$?" 0
check "the guest panics (sysrq c), QEMU exits (panic=-1, -no-reboot)" \
    wait_until 240 bash -c "! kill -0 $QEMU_PID 2>/dev/null"
wait "$QEMU_PID" 2>/dev/null
QEMU_PID=
same() {
	python3 "$SOL_DIR/conlog.py" --data "$W/data.bin" "$LOG" \
	    >"$W/marks.txt" && cmp -s "$W/data.bin" "$W/serial.log"
}
check "the console log's bytes = QEMU's log of the guest's serial output" \
    wait_until 30 same
python3 - "$W/data.bin" "$W/serial.log" <<'PY'
import sys
a = open(sys.argv[1], "rb").read()
b = open(sys.argv[2], "rb").read()
n = min(len(a), len(b))
i = next((k for k in range(n) if a[k] != b[k]), n)
print("# console log: %d bytes; the guest wrote %d; same for the first %d"
      % (len(a), len(b), i))
PY
check "boot messages in the log" grep -aq 'Linux version' "$W/data.bin"
check "the guest's script ran" grep -aq 'SOLGUEST-UP' "$W/data.bin"
check "the panic is in the log" \
    grep -aq 'Kernel panic - not syncing: sysrq triggered crash' "$W/data.bin"
# the panic line as the store's last console event
panic_event() {
	d_ask --json targets >"$W/targets.json" 2>/dev/null || return 1
	python3 - "$W/targets.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [t for t in d["targets"] if t["name"] == "g1"][0]["console"]
print("# console: %d events, last %r %r"
      % (c["events"], c["last_event_rule"], c["last_event_text"]))
sys.exit(0 if c["events"] >= 1 and
         c["last_event_rule"] == "Kernel panic - not syncing" and
         "Kernel panic - not syncing: sysrq triggered crash" in
         c["last_event_text"] else 1)
PY
}
check "the panic is a console event in the store (pattern, line)" \
    wait_until 10 panic_event
panic_event
check "and logged with its pattern" grep -q \
    'console: pattern "Kernel panic - not syncing": .*Kernel panic - not syncing: sysrq triggered crash' \
    "$W/d.log"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

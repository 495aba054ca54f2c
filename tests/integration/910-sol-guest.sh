#!/bin/bash
# Serial over LAN to a real console: Debian's kernel booted in QEMU with
# its serial port as a TCP server that ipmi_sim's `sol' line connects to
# (ipmi_lan(5)), QEMU's chardev logfile recording every byte the guest
# writes there.  The guest is held (-S) until `bmcwatch sol activate`,
# driven through a pseudo-terminal (tests/sol/solpty.py), is active:
# then the boot messages, the shell prompt of the initramfs (busybox sh
# on ttyS0), a typed command and its output all come through SOL, and
# after ~. the bytes bmcwatch wrote are exactly the first bytes the
# guest wrote (nothing lost, doubled or reordered), and the terminal is
# back as it was.
. "$(dirname "$0")/lib.sh"

SOL_DIR=$TESTS_DIR/sol
KDIR=$TOP/build/inband/kernel
W=$(mktemp -d "${TMPDIR:-/tmp}/t910.XXXXXX")
QEMU_PID=
BG_PIDS=""
cleanup() {
	for p in $BG_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
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
	rm -rf "$W"
}
trap cleanup EXIT

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
cat >"$W/guest.sh" <<'EOF'
# runs as /test.sh from the initramfs' /init, on /dev/console = ttyS0
echo "SOLGUEST-SHELL"
PS1='guest# '
export PS1
exec sh -i
EOF
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
sim_start || { not_ok "sim_start with SOL"; finish; exit; }
check "ipmi_sim is connected to the guest's serial port" \
    wait_until 30 serial_connected

TOKEN=SOLTEST-$RANDOM$RANDOM
python3 "$SOL_DIR/solpty.py" --name guest --timeout 180 --out "$W/out.bin" \
    --err "$W/err.txt" 'expect:Linux version' raw 'expect:guest# ' \
    "send:echo $TOKEN\\r" "expect:\\n$TOKEN\\r?\\n" 'expect:guest# ' \
    'send:~.' exit:0 -- "$BMCWATCH" -I lanplus -H "$SIM_HOST" \
    -p "$SIM_PORT" -U admin -f "$(sim_pwfile admin)" -C 3 --stats \
    sol activate >"$W/pty.txt" 2>&1 &
ptypid=$!
BG_PIDS="$BG_PIDS $ptypid"
check "bmcwatch sol activate is active" \
    wait_until 30 file_has "$W/err.txt" "instance active"
python3 "$SOL_DIR/qmp.py" "$W/qmp.sock" cont >/dev/null
check_eq "the guest runs" "$?" 0
wait "$ptypid"
check_eq "boot messages, prompt, command and output through SOL; ~. ends it, the terminal restored" \
    "$?" 0
cat "$W/pty.txt"
show_file "$W/err.txt"

if python3 - "$W/out.bin" "$W/serial.log" "$TOKEN" >"$W/cmp.txt" <<'PY'
import sys
out = open(sys.argv[1], "rb").read()
log = open(sys.argv[2], "rb").read()
tok = sys.argv[3].encode()
print("# bmcwatch wrote %d bytes; the guest wrote %d to its serial port"
      % (len(out), len(log)))
bad = 0
if log[:len(out)] != out:
    n = min(len(out), len(log))
    i = next((k for k in range(n) if out[k] != log[k]), n)
    print("# they part at byte %d: bmcwatch %r, guest %r"
          % (i, out[i:i + 40], log[i:i + 40]))
    bad = 1
if len(log) > len(out):
    print("# written after bmcwatch had what it showed: %r"
          % log[len(out):len(out) + 300])
if b"Linux version" not in out or b"\n" + tok not in out:
    print("# boot messages or the command's output missing")
    bad = 1
if len(out) < 4096:
    print("# too little console output for a boot")
    bad = 1
sys.exit(bad)
PY
then
	ok "bytes through SOL = the guest's first $(sed -n 's/# bmcwatch wrote \([0-9]*\).*/\1/p' "$W/cmp.txt") serial bytes (QEMU's chardev log): none lost, doubled or reordered"
else
	not_ok "bytes through SOL differ from the guest's serial output"
fi
cat "$W/cmp.txt"
finish

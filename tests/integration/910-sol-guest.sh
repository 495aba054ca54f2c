#!/bin/bash
# Serial over LAN to a real console: Debian's kernel booted in QEMU with
# its serial port as a TCP server that ipmi_sim's `sol' line connects to
# (ipmi_lan(5)), QEMU's chardev logfile recording every byte the guest
# writes there (tests/inband/guest.sh).  The guest is held (-S) until `bmcwatch sol activate`,
# driven through a pseudo-terminal (tests/sol/solpty.py), is active:
# then the boot messages, a login prompt (busybox getty on ttyS0), the
# user name typed and the shell's prompt, a typed command and its output all come through SOL, and
# after ~. the bytes bmcwatch wrote are exactly the first bytes the
# guest wrote (nothing lost, doubled or reordered), and the terminal is
# back as it was.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/inband/guest.sh"

SOL_DIR=$TESTS_DIR/sol
W=$(mktemp -d "${TMPDIR:-/tmp}/t910.XXXXXX")
BG_PIDS=""
cleanup() {
	for p in $BG_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	solguest_stop
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

cat >"$W/guest.sh" <<'EOF'
# runs as /test.sh from the initramfs' /init, on /dev/console = ttyS0
echo "SOLGUEST-SHELL"
PS1='guest# '
export PS1
# a login prompt, as on a server's console: busybox's getty on the
# serial port, whose login program is a shell
printf '#!/bin/sh\nexec sh -i\n' >/tmp/login
chmod 755 /tmp/login
exec busybox getty -i -l /tmp/login 115200 ttyS0
EOF
solguest_start "$W" "$W/guest.sh" 2>"$W/start.err"
case $? in
0)	;;
77)	skip_all "$(cat "$W/start.err")" ;;
*)	not_ok "the guest: $(cat "$W/start.err")"
	show_file "$W/mkinitrd.log"; finish; exit ;;
esac
check "QEMU (held) listens on the serial port" \
    wait_until 20 solguest_listening
sim_start || { not_ok "sim_start with SOL"; finish; exit; }
check "ipmi_sim is connected to the guest's serial port" \
    wait_until 30 solguest_connected

TOKEN=SOLTEST-$RANDOM$RANDOM
python3 "$SOL_DIR/solpty.py" --name guest --timeout 180 --out "$W/out.bin" \
    --err "$W/err.txt" 'expect:Linux version' raw 'expect:login: ' \
    'send:root\r' 'expect:guest# ' \
    "send:echo $TOKEN\\r" "expect:\\n$TOKEN\\r?\\n" 'expect:guest# ' \
    'send:~.' exit:0 -- "$BMCWATCH" -I lanplus -H "$SIM_HOST" \
    -p "$SIM_PORT" -U admin -f "$(sim_pwfile admin)" -C 3 --stats \
    sol activate >"$W/pty.txt" 2>&1 &
ptypid=$!
BG_PIDS="$BG_PIDS $ptypid"
check "bmcwatch sol activate is active" \
    wait_until 30 grep -qs "instance active" "$W/err.txt"
solguest_qmp cont >/dev/null
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

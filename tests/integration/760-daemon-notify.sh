#!/bin/bash
# bmcwatchd under a service manager, as systemd would run it: a datagram
# socket of the test's own as $NOTIFY_SOCKET receives READY=1 only once
# the target was polled, WATCHDOG=1 about every half of $WATCHDOG_USEC
# while the daemon makes progress, RELOADING=1 then READY=1 around a
# SIGHUP, STOPPING=1 on SIGTERM.  The pings stop when the daemon is
# frozen (SIGSTOP), as systemd's watchdog needs.  And `make install`
# puts the daemon, its man pages, the example configuration and the
# init files (paths filled in) under DESTDIR.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

d_setup
D_SIMS="a"
LPID=
trap '[ -n "$LPID" ] && kill "$LPID" 2>/dev/null; d_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
# the service manager's end: one line per datagram, with its time
python3 - "$W/notify.sock" "$W/notify.txt" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as f:
    while True:
        d = s.recv(4096).decode("utf-8", "replace").replace("\n", "|")
        f.write("%.3f %s\n" % (time.monotonic(), d))
PY
LPID=$!
wait_for 10 test -S "$W/notify.sock" || { not_ok "notify socket"; exit 1; }

d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 2
	chassis-interval 1  timeout 1' >>"$W/d.conf"
NOTIFY_SOCKET=$W/notify.sock WATCHDOG_USEC=2000000 d_start "$W/d.conf" ||
    exit 1
ready() { grep -q ' READY=1$' "$W/notify.txt"; }
check "READY=1 sent" wait_for 20 ready
check "only after the first poll: the target has swept by then" \
    test "$(d_health a sweeps)" -ge 1
check "ready logged with every target polled" \
    grep -q 'ready (first poll done for 1 of 1 targets)' "$W/d.log"
check "a STATUS= line" wait_for 15 grep -q ' STATUS=1 targets, 1 up' \
    "$W/notify.txt"
pings() { grep -c ' WATCHDOG=1$' "$W/notify.txt"; }
p0=$(pings)
sleep 4		# the span to count pings over, not a synchronisation
p1=$(pings)
check "WATCHDOG=1 about every second (half of 2 s): $((p1 - p0)) in 4 s" \
    test $((p1 - p0)) -ge 2 -a $((p1 - p0)) -le 6
kill -STOP "$DPID"
p0=$(pings)
sleep 3
p1=$(pings)
kill -CONT "$DPID"
check_eq "frozen: no ping" "$((p1 - p0))" 0
pinged_since() { [ "$(pings)" -gt "$1" ]; }
check "pings again once thawed" wait_for 10 pinged_since "$p1"
: >"$W/notify.mark"
n0=$(wc -l <"$W/notify.txt")
kill -HUP "$DPID"
reloaded() {
	tail -n +"$((n0 + 1))" "$W/notify.txt" | cut -d' ' -f2- |
	    grep -v 'WATCHDOG=1\|STATUS=' | tr '\n' , |
	    grep -q '^RELOADING=1,READY=1,'
}
check "SIGHUP: RELOADING=1 then READY=1" wait_for 10 reloaded
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "STOPPING=1 sent" grep -q ' STOPPING=1$' "$W/notify.txt"
check "no sanitizer report" d_san_clean

# --- make install ----------------------------------------------------------------
if [ "${BUILD:-build}" = build ]; then
	R=$W/root
	make -s -C "$TOP" install DESTDIR="$R" PREFIX=/usr SYSCONFDIR=/etc \
	    >"$W/install.log" 2>&1
	check_eq "make install DESTDIR: exit 0" "$?" 0
	for f in usr/bin/bmcwatch usr/sbin/bmcwatchd \
	    usr/share/man/man1/bmcwatch.1 usr/share/man/man5/bmcwatch.conf.5 \
	    usr/share/man/man8/bmcwatchd.8 etc/bmcwatch/bmcwatchd.conf \
	    usr/share/bmcwatch/bmcwatchd.conf etc/logrotate.d/bmcwatch \
	    usr/lib/systemd/system/bmcwatchd.service etc/init.d/bmcwatchd; do
		check "installed: /$f" test -s "$R/$f"
	done
	check "the daemon installed is executable" test -x "$R/usr/sbin/bmcwatchd"
	check "the unit runs the installed daemon" grep -q \
	    '^ExecStart=/usr/sbin/bmcwatchd -f /etc/bmcwatch/bmcwatchd.conf$' \
	    "$R/usr/lib/systemd/system/bmcwatchd.service"
	check "Type=notify with a watchdog" grep -q '^WatchdogSec=' \
	    "$R/usr/lib/systemd/system/bmcwatchd.service"
	check "no placeholder left" test "$(grep -rl '@SBINDIR@\|@SYSCONFDIR@' "$R" | wc -l)" = 0
	check "the sysv script parses" sh -n "$R/etc/init.d/bmcwatchd"
	check "with LSB headers" grep -q '^### BEGIN INIT INFO' "$R/etc/init.d/bmcwatchd"
	if command -v systemd-analyze >/dev/null; then
		# the daemon is under DESTDIR, not /usr/sbin: that one
		# complaint aside, every setting must be understood
		systemd-analyze verify \
		    "$R/usr/lib/systemd/system/bmcwatchd.service" \
		    >"$W/verify.txt" 2>&1
		check "systemd-analyze finds nothing wrong in the unit" \
		    test "$(grep -v 'man \|Documentation\|not executable\|Failed to prepare filename' "$W/verify.txt" | grep -c .)" = 0
		show_file "$W/verify.txt"
	fi
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$TOP/agent/daemon/bmcwatchd.8" >"$W/man.txt" 2>"$W/man.err"
		check "bmcwatchd.8 renders without a warning" test ! -s "$W/man.err"
	fi
fi
finish

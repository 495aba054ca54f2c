#!/bin/sh
# Inside the QEMU guest of tests/fresh/systemd.sh, run by systemd (PID 1)
# once the boot is done; its lines go to the second serial port, then it
# powers the guest off.  /dev/ipmi0 is ipmi_sim through QEMU's KCS.
# It checks, one "ok"/"not ok" line each:
#   - apt installs the three packages (no network: the dependencies come
#     from the cache); on this machine with a BMC the postinst enables
#     and starts bmcwatchd under systemd, and says nothing about it;
#   - systemctl status is healthy; the process is _bmcwatch:bmcwatch
#     with no capability; /dev/ipmi0 is _bmcwatch's (the udev rule);
#     systemd-analyze verify is silent; systemd-analyze security rates
#     the unit below 2.0;
#   - with the daemon running in that sandbox, its features work: the
#     socket answers with the sensors the installed CLI reads in-band;
#     a SEL entry added in-band reaches /var/log/bmcwatch; the BMC
#     watchdog is armed and kicked through /dev/ipmi0; systemd's watchdog
#     is fed; a reload (SIGHUP) applies; the SNMP subagent registers on
#     snmpd's AgentX socket and snmpwalk reads the target; the console of
#     a lanplus target (a second ipmi_sim here, SOL to a TCP port) is
#     logged; nothing in the journal says "Operation not permitted";
#   - remove stops and disables it, gives /dev/ipmi0 back to root and
#     keeps the configuration; purge and autoremove leave the file
#     system as before the installation.
exec >/dev/ttyS1 2>&1
set -u
W=/root/fresh/work
D=/root/fresh/debs
mkdir -p "$W"
. /root/fresh/lib.sh
SOCK=/run/bmcwatch/bmcwatch.sock
CONF=/etc/bmcwatch/bmcwatchd.conf
SOL_PID=
finish() {
	[ -n "$SOL_PID" ] && kill "$SOL_PID" 2>/dev/null
	[ -n "${SIM_PID:-}" ] && sim_stop
	echo "$PASS passed, $FAIL failed"
	sync
	systemctl poweroff --no-block
	exit
}
die() { nok "$*"; finish; }
t0=$(date +%s)
elapsed() { echo "# $1: $(($(date +%s) - t0)) s after the boot"; }

systemctl is-system-running --wait >"$W/running.out" 2>&1
echo "# booted: $(cat "$W/running.out"); $(uname -r)"
[ "$(cat /proc/1/comm)" = systemd ] && ok "PID 1 is systemd" ||
    nok "PID 1 is $(cat /proc/1/comm)"
systemctl --failed --no-legend | sed 's/^/# failed unit: /'
# the driver: udev loads ipmi_si for the KCS the ACPI tables describe;
# ipmi_devintf (which makes /dev/ipmi0) is the package's to load
echo "# before the installation: $(ls /dev/ipmi* 2>&1 | tr '\n' ' ')"

# ---- install -------------------------------------------------------------
snapshot() {
	find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run \
	    -o -path /tmp -o -path /var/tmp -o -path /root/fresh \
	    -o -path /var/lib/apt -o -path /var/lib/dpkg \
	    -o -path /var/cache/apt -o -path /var/cache/debconf \
	    -o -path /var/cache/man -o -path /var/log/apt \
	    -o -path /var/log/journal -o -path /var/lib/systemd/timers \
	    -o -path /var/lib/systemd/random-seed \
	    -o -path /var/log/dpkg.log -o -path /var/log/alternatives.log \
	    \) -prune -o -print 2>/dev/null | sort
}
snapshot >"$W/before.list"
cp /etc/passwd /etc/group "$W/"
# (no network here: apt finds the dependencies in its cache, where
# systemd.sh put them; Recommends such as ca-certificates are not there)
# (not --no-download: apt 2.6 then fails on local .debs, "Pathname to
# install is not absolute"; the cache holds all it would fetch)
apt_q --no-install-recommends install "$D"/bmcwatch_*.deb \
    "$D"/bmcwatch-snmp_*.deb "$D"/monitoring-plugins-bmcwatch_*.deb \
    >"$W/install.log" 2>&1
rc=$?
grep -v 'Get:\|Unpacking\|Selecting\|Preparing' "$W/install.log" |
    sed 's/^/#   /' | tail -n 12
[ "$rc" -eq 0 ] || die "apt-get install of the three packages (exit $rc)"
ok "apt-get install ./bmcwatch ./bmcwatch-snmp ./monitoring-plugins-bmcwatch"
elapsed "installed"
grep -q 'no IPMI device' "$W/install.log" &&
    nok "a BMC here, yet the postinst says there is none" ||
    ok "a BMC here: no 'no IPMI device' line"
[ -c /dev/ipmi0 ] && ok "/dev/ipmi0 exists after the installation" ||
    nok "no /dev/ipmi0 after the installation"
s=$(stat -c '%a %U:%G' /dev/ipmi0 2>/dev/null)
[ "$s" = "600 _bmcwatch:root" ] &&
    ok "/dev/ipmi0 600 _bmcwatch:root (60-bmcwatch.rules)" ||
    nok "/dev/ipmi0 is '$s', not '600 _bmcwatch:root'"
[ "$(systemctl is-enabled bmcwatchd 2>&1)" = enabled ] &&
    ok "the postinst enabled bmcwatchd.service" ||
    nok "bmcwatchd.service is '$(systemctl is-enabled bmcwatchd 2>&1)'"
[ "$(systemctl is-active bmcwatchd 2>&1)" = active ] &&
    ok "the postinst started it (active: READY=1 came)" ||
    nok "bmcwatchd.service is '$(systemctl is-active bmcwatchd 2>&1)'"
systemctl status --no-pager bmcwatchd >"$W/status.out" 2>&1
rc=$?
sed 's/^/#   /' "$W/status.out" | head -n 12
[ "$rc" -eq 0 ] && grep -q 'Active: active (running)' "$W/status.out" &&
    ok "systemctl status bmcwatchd: exit 0, active (running)" ||
    nok "systemctl status bmcwatchd (exit $rc)"
pid=$(systemctl show -P MainPID bmcwatchd)
uid=$(id -u _bmcwatch) gid=$(getent group bmcwatch | cut -d: -f3)
st=/proc/$pid/status
[ "$(awk '/^Uid:/ {print $2 $3 $4 $5}' "$st")" = "$uid$uid$uid$uid" ] &&
    [ "$(awk '/^Gid:/ {print $2 $3 $4 $5}' "$st")" = "$gid$gid$gid$gid" ] &&
    ok "bmcwatchd (pid $pid) runs as _bmcwatch:bmcwatch" ||
    nok "bmcwatchd pid $pid: $(grep -E '^(Uid|Gid):' "$st" | tr '\n\t' '  ')"
caps=$(awk '/^Cap(Inh|Prm|Eff|Bnd|Amb):/ {printf "%s", $2}' "$st")
[ "$caps" = "$(printf '0%.0s' $(seq 80))" ] &&
    ok "no capability (CapInh, CapPrm, CapEff, CapBnd, CapAmb all 0)" ||
    nok "capabilities: $(grep '^Cap' "$st" | tr '\n\t' '  ')"
grep -q '^Seccomp:[[:space:]]*2' "$st" && ok "seccomp filter on" ||
    nok "no seccomp filter: $(grep '^Seccomp:' "$st")"
grep -q '^NoNewPrivs:[[:space:]]*1' "$st" && ok "NoNewPrivs" ||
    nok "NoNewPrivs not set"

# ---- the unit, as systemd sees it -------------------------------------------
systemd-analyze verify bmcwatchd.service >"$W/verify.out" 2>&1
rc=$?
sed 's/^/#   /' "$W/verify.out"
[ "$rc" -eq 0 ] && [ ! -s "$W/verify.out" ] &&
    ok "systemd-analyze verify bmcwatchd.service: silent, exit 0" ||
    nok "systemd-analyze verify bmcwatchd.service (exit $rc)"
systemd-analyze security --no-pager bmcwatchd >"$W/security.out" 2>&1
grep '✗' "$W/security.out" | sed 's/  */ /g; s/^/#   /'
e=$(sed -n 's/.*Overall exposure level for bmcwatchd.service: \([0-9.]*\).*/\1/p' \
    "$W/security.out")
if [ -n "$e" ] && awk -v e="$e" 'BEGIN { exit !(e < 2.0) }'; then
	ok "systemd-analyze security bmcwatchd: exposure $e (below 2.0)"
else
	nok "systemd-analyze security bmcwatchd: exposure '$e', not below 2.0"
	tail -n 3 "$W/security.out" | sed 's/^/#   /'
fi

# ---- the features, in the sandbox --------------------------------------------
nsens() {
	python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sensors"]))'
}
n1=$(bmcwatch -I open --json sensors 2>"$W/cli.err" | nsens)
wait_for 60 bmcwatch -S "$SOCK" --target local --json sensors
n2=$(bmcwatch -S "$SOCK" --target local --json sensors 2>"$W/sock.err" | nsens)
[ -n "$n1" ] && [ "$n1" -gt 0 ] && [ "$n2" = "$n1" ] &&
    ok "socket: $n2 sensors, as bmcwatch -I open reads them as root" ||
    nok "socket: '$n2' sensors, the CLI in-band '$n1' ($(cat "$W/sock.err" "$W/cli.err"))"
s=$(stat -c '%a %U:%G' "$SOCK" 2>/dev/null)
[ "$s" = "660 _bmcwatch:bmcwatch" ] && ok "socket $s" ||
    nok "socket is '$s'"

# the administrator's configuration for the rest: quicker polls, the
# BMC watchdog, SNMP, and a lanplus target with SOL (a second ipmi_sim
# in this guest, its serial port a TCP peer here)
SIM_DIR=/root/fresh/tests/sim
. "$SIM_DIR/lib.sh"
SOLPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$SOLPORT" >"$W/solpeer.log" 2>&1 <<'EOF' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(4)
while True:
    c, _ = s.accept()
    try:
        n = 0
        while True:
            c.sendall(b"fresh-sol-console line %d\r\n" % n)
            n += 1
            time.sleep(0.5)
    except OSError:
        c.close()
EOF
SOL_PID=$!
SIM_SOL=tcp:127.0.0.1:$SOLPORT SIM_START_TIMEOUT=120 sim_start ||
    nok "the second ipmi_sim (SOL) did not start"
install -m 0600 -o _bmcwatch "$(sim_pwfile admin)" /etc/bmcwatch/sol.pw
cp "$CONF" "$W/conf.orig"
python3 - "$CONF" "$SIM_PORT" <<'EOF'
import re, sys
p, port = sys.argv[1], sys.argv[2]
s = open(p).read()
s = s.replace("sensor-interval 30", "sensor-interval 5")
s = s.replace("sel-interval 60", "sel-interval 5")
s = re.sub(r"\t#watchdog \{\n\t#\ttimeout 60  interval 10  action hard-reset\n\t#\}",
    "\twatchdog {\n\t\ttimeout 120  interval 10  action none\n\t}", s)
assert "timeout 120" in s
s = s.replace('log-facility daemon', 'log-facility daemon\nsnmp yes')
s += '''
target "sol" {
	interface lanplus  host "127.0.0.1"  port %s
	username "admin"  password-file "/etc/bmcwatch/sol.pw"
	privilege admin  cipher-suite 3  workaround no-cipher-suites
	sensor-interval 30  sel-interval 30  chassis-interval 30
	sol { log yes  timestamps yes }
}
''' % port
open(p, "w").write(s)
EOF
check "bmcwatchd -n on the changed configuration, as _bmcwatch" \
    setpriv --reuid=_bmcwatch --regid=bmcwatch --clear-groups \
    bmcwatchd -n -f "$CONF"
systemctl restart snmpd >"$W/snmpd.out" 2>&1
s=$(stat -c '%a %U:%G' /var/agentx/master 2>/dev/null)
[ "$s" = "660 Debian-snmp:bmcwatch" ] &&
    ok "snmpd's AgentX socket $s (bmcwatch-snmp's drop-in)" ||
    nok "/var/agentx/master is '$s'"
t=$(systemctl show -P ExecMainStartTimestampMonotonic bmcwatchd)
systemctl reload bmcwatchd >"$W/reload.out" 2>&1 &&
    ok "systemctl reload bmcwatchd" ||
    { nok "systemctl reload bmcwatchd"; sed 's/^/#   /' "$W/reload.out"; }
[ "$(systemctl show -P ExecMainStartTimestampMonotonic bmcwatchd)" = "$t" ] &&
    [ "$(systemctl show -P MainPID bmcwatchd)" = "$pid" ] &&
    ok "reloaded in place (same pid $pid)" || nok "the reload restarted it"
wait_for 120 bmcwatch -S "$SOCK" --target sol --json sensors &&
    ok "the lanplus target (AF_INET) answers after the reload" ||
    nok "no lanplus target after the reload"

# SEL: an entry added in-band reaches the archive
A=/var/log/bmcwatch/sel-local.log
n0=$(cat "$A" 2>/dev/null | wc -l)
ipmitool -I open raw 0x0a 0x44 0x00 0x00 0x02 0x00 0x00 0x00 0x00 0x41 \
    0x00 0x04 0x01 0x30 0x01 0x57 0x00 0x00 >"$W/seladd.out" 2>&1 ||
    nok "ipmitool -I open: Add SEL Entry: $(cat "$W/seladd.out")"
arch_has() { [ "$(cat "$A" 2>/dev/null | wc -l)" -gt "$n0" ]; }
wait_for 120 arch_has &&
    ok "the SEL entry is archived in $A ($(stat -c '%a %U' "$A"))" ||
    nok "no SEL entry in $A: $(ls -l /var/log/bmcwatch 2>&1 | tr '\n' ' ')"

# the BMC watchdog, armed and kicked through /dev/ipmi0 ("action none":
# with "hard-reset" this guest was reset about 2 minutes after the
# daemon armed the timer, though it reported its kicks without failure:
# the stock ipmi_sim's timer (tests/sim/README) or the daemon, not yet
# told apart; the sandbox question, /dev/ipmi0 usable, is the same)
hb() {
	bmcwatch -S "$SOCK" --target local --json targets 2>/dev/null |
	    python3 -c '
import json, sys
d = json.load(sys.stdin)
for t in d["targets"]:
    if t["name"] == "local":
        h = t["heartbeat"] or {}
        print(h.get("armed"), h.get("kicks"), h.get("failures"), h.get("refused"))'
}
kicked() {
	set -- $(hb)
	[ "${1:-}" = True ] && [ "${2:-0}" -ge 2 ] && [ "${3:-}" = 0 ] &&
	    [ "${4:-}" = False ]
}
if wait_for 120 kicked; then
	ok "BMC watchdog armed and kicked through /dev/ipmi0: $(hb)"
else
	nok "BMC watchdog (armed kicks failures refused): '$(hb)'"
fi

# systemd's watchdog: WATCHDOG=1 reaches it (the timestamp moves)
w1=$(systemctl show -P WatchdogTimestampMonotonic bmcwatchd)
wdmoved() { [ "$(systemctl show -P WatchdogTimestampMonotonic bmcwatchd)" != "$w1" ]; }
wait_for 60 wdmoved &&
    ok "systemd's watchdog fed (WatchdogSec=$(systemctl show -P WatchdogUSec bmcwatchd))" ||
    nok "systemd's watchdog timestamp did not move in 60 s"

# SNMP: the subagent (the daemon's child, in the same sandbox) on the
# AgentX socket; snmpwalk through snmpd
walk() {
	snmpwalk -v2c -c public -On -m '' 127.0.0.1 .1.3.6.1.4.1.8072.9999.623 \
	    2>&1
}
walk_local() { walk | grep -q 'STRING: "local"'; }
if wait_for 120 walk_local; then
	ok "snmpwalk BMCWATCH-MIB through snmpd: target local ($(walk | wc -l) values)"
else
	nok "snmpwalk: no target local"
	walk | head -n 5 | sed 's/^/#   /'
fi

# SOL: the lanplus target's console in the archive
C=/var/log/bmcwatch/console/sol.log
sol_logged() { grep -q 'fresh-sol-console line' "$C"; }
wait_for 120 sol_logged &&
    ok "SOL: the console is logged in $C" ||
    nok "SOL: nothing in $C: $(ls -l "$C" 2>&1)"

# nothing refused by the sandbox
journalctl -b -u bmcwatchd --no-pager -o cat >"$W/journal.out" 2>&1
if grep -qi 'not permitted\|permission denied\|read-only file system' \
    "$W/journal.out"; then
	nok "the journal has refusals:"
	grep -i 'not permitted\|permission denied\|read-only' "$W/journal.out" |
	    head -n 10 | sed 's/^/#   /'
else
	ok "no 'not permitted', 'permission denied' or 'read-only' in its journal"
fi
grep -q 'not started as root' "$W/journal.out" &&
    ok "the daemon says it started as _bmcwatch (nothing to drop)" ||
    nok "no 'not started as root' line in its journal"
[ "$(systemctl show -P NRestarts bmcwatchd)" = 0 ] &&
    ok "never restarted (NRestarts=0)" || nok "restarted"
elapsed "features checked"

cp "$W/conf.orig" "$CONF"
rm -f /etc/bmcwatch/sol.pw
sim_stop
kill "$SOL_PID" 2>/dev/null
SOL_PID=

# ---- remove, purge -------------------------------------------------------------
apt_q remove bmcwatch-snmp monitoring-plugins-bmcwatch bmcwatch \
    >"$W/remove.log" 2>&1 || nok "apt-get remove"
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' bmcwatch)" = "rc " ] &&
    ok "removed (rc)" || nok "bmcwatch not rc after remove"
[ "$(systemctl is-active bmcwatchd 2>&1)" != active ] &&
    ! kill -0 "$pid" 2>/dev/null &&
    ok "remove stopped bmcwatchd" || nok "bmcwatchd still runs after remove"
[ ! -e /etc/systemd/system/multi-user.target.wants/bmcwatchd.service ] &&
    ok "remove disabled it" || nok "still enabled after remove"
s=$(stat -c '%U' /dev/ipmi0 2>/dev/null)
[ "$s" = root ] && ok "remove gives /dev/ipmi0 back to root" ||
    nok "/dev/ipmi0 owned by '$s' after remove"
[ -f "$CONF" ] && ok "remove keeps $CONF" || nok "remove lost $CONF"
apt_q purge bmcwatch >"$W/purge.log" 2>&1 || nok "apt-get purge"
apt_q autoremove --purge >"$W/autoremove.log" 2>&1 ||
    nok "apt-get autoremove --purge"
dpkg-query -W bmcwatch >/dev/null 2>&1 && nok "dpkg knows bmcwatch after purge" ||
    ok "purged"
systemctl daemon-reload
systemctl cat bmcwatchd >/dev/null 2>&1 &&
    nok "systemd still knows bmcwatchd.service" ||
    ok "systemd knows no bmcwatchd.service"
snapshot >"$W/after.list"
if cmp -s "$W/before.list" "$W/after.list"; then
	ok "purge leaves the file system as before the installation"
else
	nok "purge leaves these behind (or took these away):"
	diff "$W/before.list" "$W/after.list" | grep '^[<>]' |
	    sed 's/^/#   /' | head -n 30
fi
for f in passwd group; do
	cmp -s "$W/$f" "/etc/$f" && ok "/etc/$f as before" ||
	    { nok "/etc/$f differs"; diff "$W/$f" "/etc/$f" | sed 's/^/#   /'; }
done
elapsed "purged"
finish

#!/bin/bash
# `make soak`: bmcwatchd for SOAK_SECONDS (default 3600) against 5
# simulated BMCs of 125 sensors each (tests/sim/mkbig.py, as
# bench-daemon.sh), every target's sensors and SEL polled every second,
# SEL entries added to every sim all the time (one console client per
# sim, one entry every 0.3 s) and archived and removed by the daemon
# past 2 % full (sel-delete-entries: with entries arriving all the time
# ipmi_sim's Clear SEL would lose the ones added in its last round trip,
# see 420), one target flapping (its sim SIGSTOPped for 6 s every
# 20 s), a socket reader asking for every target's state every second.
# Prints RSS, fds, CPU seconds and request errors (retransmissions and
# dropped datagrams, all targets) at start and end
# (after the first full sweep), and asserts zero SEL entries lost or
# archived twice, the daemon alive, RSS and fds bounded.  Not part of
# `make check`.
# Also: the SNMP subagent under a real snmpd on loopback, its sensor
# table walked (GETBULK) every second and the whole BMCWATCH-MIB every
# 30 s; a plugin run every second (check_bmc_sensors, _sel, _chassis,
# _watchdog, _agent in turn, on every target); s1's BMC watchdog
# driven by the daemon's heartbeat (timeout 10 s, interval 2 s, the
# sim's spec-conforming timer, tests/sim/wdt_plugin.c) and WATCHDOG=1
# to a notify socket of ours as systemd would (WatchdogSec=30s as the
# unit).  Asserted: every walk and plugin run answered (no plugin
# killed by a signal), the subagent never restarted and flat, the BMC
# timer never expired (no Watchdog entry archived, no expiration flag)
# and no WATCHDOG=1 gap longer than WatchdogSec; the largest gap is
# printed.
. "$(dirname "$0")/integration/lib.sh"
. "$(dirname "$0")/integration/daemon_lib.sh"
. "$(dirname "$0")/integration/snmp_lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

SECS=${SOAK_SECONDS:-3600}
N=5
MIB=.1.3.6.1.4.1.8072.9999.623
WD_USEC=30000000
d_setup
snmp_setup
D_SIMS="s1 s2 s3 s4 s5"
BG= LPID=
trap 'for p in $BG $LPID; do kill "$p" 2>/dev/null; done; d_cleanup; snmp_cleanup' EXIT
python3 "$TESTS_DIR/sim/mkbig.py" "$W/cfg" 90 >/dev/null ||
    { not_ok "mkbig"; exit 1; }
snmpd_start || { not_ok "snmpd"; exit 1; }
# the service manager's end of NOTIFY_SOCKET: one line per datagram
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
wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
    { not_ok "the sim watchdog plugin: $(cat "$W/plugin.err")"; exit 1; }
d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
for i in $(seq 1 $N); do
	if [ "$i" = 1 ]; then
		SIM_DIR0=$SIM_DIR SIM_DIR=$W/wsim
		sim_as "s$i" "$W/cfg/big.emu" || { not_ok "sim s$i"; exit 1; }
		SIM_DIR=$SIM_DIR0
		wd='chassis-interval 1
	watchdog { timeout 10  interval 2  action none }'
	else
		sim_as "s$i" "$W/cfg/big.emu" || { not_ok "sim s$i"; exit 1; }
		wd='chassis-interval 5'
	fi
	eval "p=\$SIMPORT_s$i"
	d_target "s$i" "$p" "sensor-interval 1  sel-interval 1
	timeout 1  retries 1  unreachable-after 3
	backoff-max 4  sel-clear-at 2  sel-delete-entries yes
	$wd" >>"$W/d.conf"
done
NOTIFY_SOCKET=$W/notify.sock WATCHDOG_USEC=$WD_USEC d_start "$W/d.conf" ||
    exit 1
for i in $(seq 1 $N); do
	check "s$i up" wait_for 60 d_state "s$i" up
done

# the SEL adders: serials tagged per sim, paced by the console client
for i in $(seq 1 $N); do
	eval "c=\$SIMCON_s$i"
	python3 - "$i" <<'PY' >"$W/cmds.$i"
import sys
i = int(sys.argv[1])
for n in range(1, 60001):
    print("sel_add 0x20 0xe2 0x%02x 0x%02x 0x%02x 1 2 3 4 5 6 7 8 9 10"
          % (i, n & 255, n >> 8))
PY
	python3 "$TESTS_DIR/integration/sel_console.py" "$c" --every 0.3 \
	    <"$W/cmds.$i" >"$W/added.$i" &
	BG="$BG $!"
done
# SNMP: the sensor values (GETBULK) every second, everything every 30 s
( n=0
while :; do
	n=$((n + 1))
	if [ $((n % 30)) = 0 ]; then
		col=$MIB
	else
		col=$MIB.1.3.1.15
	fi
	snmpbulkwalk -v2c -c public -t 5 -r 0 -On -Cr50 \
	    "udp:127.0.0.1:$SNMP_PORT" "$col" >"$W/walk.out" 2>"$W/walk.err"
	rc=$?
	echo "$rc $(grep -c . "$W/walk.out") $(grep -c . "$W/walk.err") $n"
	sleep 1		# the walker's pace
done ) >"$W/walks.txt" &
BG="$BG $!"
# a plugin every second, each kind in turn, on every target
( n=0
while :; do
	n=$((n + 1))
	t=s$(( (n / 5) % N + 1 ))
	case $((n % 5)) in
	0) set -- check_bmc_sensors --target "$t" ;;
	1) set -- check_bmc_sel --target "$t" ;;
	2) set -- check_bmc_chassis --target "$t" ;;
	3) set -- check_bmc_watchdog --target s1 ;;
	4) set -- check_bmc_agent ;;
	esac
	pn=$1
	shift
	"$(dirname "$BMCWATCH")/$pn" -S "$W/ctl.sock" "$@" >"$W/plug.out" 2>&1
	rc=$?
	echo "$rc $pn $(head -n 1 "$W/plug.out" | cut -c1-80)"
	sleep 1		# the runner's pace
done ) >"$W/plugins.txt" &
BG="$BG $!"
# the flapping target
( while :; do
	sleep 14
	eval "kill -STOP \$SIMPID_s$N"
	sleep 6
	eval "kill -CONT \$SIMPID_s$N"
done ) &
FLAP=$!
BG="$BG $FLAP"

stat_line() {
	_t=$(awk '{ print $14 + $15 }' "/proc/$DPID/stat")
	_hz=$(getconf CLK_TCK)
	_f=$(d_ask --json targets | python3 -c 'import json,sys
d = json.load(sys.stdin)["targets"]
c = [t["counters"] for t in d]
print(sum(x["retransmits"] + x["dropped"] for x in c),
      sum(x["requests"] for x in c))' 2>/dev/null)
	echo "$(awk '/^VmRSS:/ { print $2 }' "/proc/$DPID/status") $(ls "/proc/$DPID/fd" | wc -l) $((_t / _hz)) $_f"
}
swept() { [ "$(d_health s1 sweeps)" -ge 2 ]; }
check "first sweeps done" wait_for 60 swept
subagent() { pgrep -P "$DPID" -f bmcwatch-snmp | head -n 1; }
check "the SNMP subagent runs" wait_for 20 test -n "$(subagent)"
SUB=$(subagent)
sub_line() {
	echo "$(awk '/^VmRSS:/ { print $2 }' "/proc/$SUB/status") $(ls "/proc/$SUB/fd" | wc -l)"
}
armed() { [ "$(d_health s1 heartbeat.armed)" = True ]; }
check "s1's heartbeat armed the BMC watchdog" wait_for 30 armed
read -r RSS0 FD0 CPU0 ERR0 REQ0 <<<"$(stat_line)"
read -r SRSS0 SFD0 <<<"$(sub_line)"
echo "# start: RSS $RSS0 kB, $FD0 fds, CPU $CPU0 s, retransmits+dropped $ERR0 of $REQ0 requests"
echo "# start: subagent RSS $SRSS0 kB, $SFD0 fds"
end=$(( $(date +%s) + SECS ))
RSSMAX=$RSS0 FDMAX=$FD0 SRSSMAX=$SRSS0 SFDMAX=$SFD0 reads=0 bad=0
while [ "$(date +%s)" -lt "$end" ]; do
	d_alive || break
	if d_ask --json targets >/dev/null 2>&1; then
		reads=$((reads + 1))
	else
		bad=$((bad + 1))
	fi
	r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$DPID/status")
	f=$(ls "/proc/$DPID/fd" | wc -l)
	[ "$r" -gt "$RSSMAX" ] && RSSMAX=$r
	[ "$f" -gt "$FDMAX" ] && FDMAX=$f
	read -r r f <<<"$(sub_line 2>/dev/null)"
	[ -n "$r" ] && [ "$r" -gt "$SRSSMAX" ] && SRSSMAX=$r
	[ -n "$f" ] && [ "$f" -gt "$SFDMAX" ] && SFDMAX=$f
	sleep 1		# the reader's pace, not a synchronisation
done
check "the daemon alive all along" d_alive
read -r RSS1 FD1 CPU1 ERR1 REQ1 <<<"$(stat_line)"
echo "# end:   RSS $RSS1 kB (max $RSSMAX), $FD1 fds (max $FDMAX), CPU $CPU1 s, retransmits+dropped $ERR1 of $REQ1 requests"
read -r SRSS1 SFD1 <<<"$(sub_line)"
echo "# end:   subagent RSS $SRSS1 kB (max $SRSSMAX), $SFD1 fds (max $SFDMAX)"
echo "# socket reads: $reads answered, $bad failed"
check_eq "every socket read answered" "$bad" 0
check_eq "the subagent never restarted (pid $SUB)" "$(subagent)" "$SUB"
check "subagent RSS bounded (max $SRSSMAX kB <= $SRSS0 kB + 8 MB)" \
    test "$SRSSMAX" -le $((SRSS0 + 8192))
check "subagent fds bounded (max $SFDMAX <= $SFD0 + 2)" \
    test "$SFDMAX" -le $((SFD0 + 2))
# the walks: every one answered (exit 0, no error text, rows)
nw=$(grep -c . "$W/walks.txt")
badw=$(awk '$1 != 0 || $2 == 0 || $3 != 0' "$W/walks.txt" | grep -c .)
echo "# SNMP walks: $nw, $badw failed; sensor values per walk: $(awk '$4 % 30 { print $2 }' "$W/walks.txt" | sort -n | uniq -c | tr '\n' ' ')"
check "SNMP walks ran (about one a second: $nw)" test "$nw" -ge $((SECS / 4))
check_eq "every SNMP walk answered" "$badw" 0
awk '$1 != 0 || $2 == 0 || $3 != 0' "$W/walks.txt" | head -n 5 | sed 's/^/#   /'
# the plugins: an answer each time (0-3), never a signal
np=$(grep -c . "$W/plugins.txt")
echo "# plugin runs: $np; exit codes: $(awk '{ print $1 }' "$W/plugins.txt" | sort -n | uniq -c | tr '\n' ' ')"
check "plugin runs (about one a second: $np)" test "$np" -ge $((SECS / 4))
check_eq "no plugin exit above 3 (signal, usage)" \
    "$(awk '$1 > 3' "$W/plugins.txt" | grep -c .)" 0
awk '$1 > 3' "$W/plugins.txt" | head -n 5 | sed 's/^/#   /'
# the heartbeats: systemd's never late, the BMC's timer never expired
gap=$(awk '/ WATCHDOG=1$/ { if (p != "" && $1 - p > g) g = $1 - p; p = $1 }
    END { printf "%.1f", g }' "$W/notify.txt")
npings=$(grep -c ' WATCHDOG=1$' "$W/notify.txt")
echo "# WATCHDOG=1: $npings pings, largest gap $gap s (WatchdogSec $((WD_USEC / 1000000)) s)"
check "WATCHDOG=1 never late (largest gap $gap s <= $((WD_USEC / 1000000)) s)" \
    awk -v g="$gap" -v m=$((WD_USEC / 1000000)) 'BEGIN { exit !(g <= m) }'
check "WATCHDOG=1 all along ($npings pings)" \
    test "$npings" -ge $((SECS * 1000000 / WD_USEC))
d_health s1 heartbeat >"$W/hb.txt"
echo "# s1 heartbeat: $(cat "$W/hb.txt")"
check_eq "s1 heartbeat: no failed reset" "$(d_health s1 heartbeat.failures)" 0
d_ask --target s1 --json watchdog get >"$W/wdt.json"
check_eq "s1's BMC timer: no expiration flag" \
    "$(jq_get "$W/wdt.json" 'd.get("expiration_flags") or []')" "[]"

# stop adding; the flapping sim running; everything archived
kill "$FLAP" 2>/dev/null
wait "$FLAP" 2>/dev/null
eval "kill -CONT \$SIMPID_s$N"
for p in $BG; do
	[ "$p" = "$FLAP" ] || kill -TERM "$p" 2>/dev/null
done
for p in $BG; do wait "$p" 2>/dev/null; done
BG=
total=0
for i in $(seq 1 $N); do
	a=$(grep -c '^added' "$W/added.$i")
	total=$((total + a))
	all() { [ "$(wc -l <"$W/archive/sel-s$1.log" 2>/dev/null || echo 0)" -ge "$2" ]; }
	check "s$i: all $a added entries archived" wait_for 120 all "$i" "$a"
	if python3 - "$W/archive/sel-s$i.log" "$W/added.$i" <<'PY'; then
import sys
ids = []
wd = 0
for line in open(sys.argv[1]):
    raw = line.rstrip("\n").split("\t")[6]
    if raw[4:6] == "02" and raw[20:22] == "23":
        wd += 1		# a Watchdog 2 event: the timer expired
        continue
    ids.append(int(raw[0:2], 16) | int(raw[2:4], 16) << 8)
print("# Watchdog 2 entries (the BMC timer expired): %d" % wd)
added = [int(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("added")]
# record ids wrap at 0xffff in a long run: compare as multisets
from collections import Counter
miss = Counter(added) - Counter(ids)
extra = Counter(ids) - Counter(added)
print("# lost: %d, extra or twice: %d" % (sum(miss.values()), sum(extra.values())))
sys.exit(1 if miss or extra or wd else 0)
PY
		ok "s$i: no entry lost, none archived twice, no watchdog expiry"
	else
		not_ok "s$i: no entry lost, none archived twice, no watchdog expiry"
	fi
done
echo "# $total SEL entries added in $SECS s"
check "RSS bounded (max $RSSMAX kB <= $RSS0 kB + 16 MB)" \
    test "$RSSMAX" -le $((RSS0 + 16384))
check "fds bounded (max $FDMAX <= $FD0 + 4)" test "$FDMAX" -le $((FD0 + 4))
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

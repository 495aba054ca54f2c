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
# dropped datagrams, all targets) at start and end (after the first
# full sweep); samples the daemon's and the subagent's RSS, fds and CPU
# every 10 s and prints them at start, middle and end, and per third of
# the run after a warm-up; asserts zero SEL entries lost or archived
# twice, the daemon alive, RSS and fds flat after the warm-up (the last
# third's maximum against the first's).  Not part of `make check`.
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
T00=$(now_s)
# SNMP: the sensor values (GETBULK) every second, everything every 30 s
( n=0
while :; do
	n=$((n + 1))
	if [ $((n % 30)) = 0 ]; then
		col=$MIB
	else
		col=$MIB.1.3.1.15
	fi
	t0=$(now_s)
	snmpbulkwalk -v2c -c public -t 5 -r 0 -On -Cr50 \
	    "udp:127.0.0.1:$SNMP_PORT" "$col" >"$W/walk.out" 2>"$W/walk.err"
	rc=$?
	# exit, rows, error lines, number, seconds taken, when (since start)
	echo "$rc $(grep -c . "$W/walk.out") $(grep -c . "$W/walk.err") $n $(elapsed "$t0") $(elapsed "$T00")"
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
	t0=$(now_s)
	"$(dirname "$BMCWATCH")/$pn" -S "$W/ctl.sock" "$@" >"$W/plug.out" 2>&1
	rc=$?
	# exit, plugin, seconds taken, when, its first line
	echo "$rc $pn $(elapsed "$t0") $(elapsed "$T00") $(head -n 1 "$W/plug.out" | cut -c1-80)"
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
subagent_runs() { [ -n "$(subagent)" ]; }
check "the SNMP subagent runs" wait_for 20 subagent_runs
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
RSSMAX=$RSS0 FDMAX=$FD0 reads=0 bad=0 nexts=0
# one sample every 10 s (seconds since T00, then the daemon's RSS kB,
# fds, CPU ticks, the subagent's, the 1-minute load average): growth is
# judged on their trend after the warm-up, not on one start/end pair
sample() {
	_sr= _sf= _sc=
	if [ -r "/proc/$SUB/stat" ]; then
		_sr=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SUB/status")
		_sf=$(ls "/proc/$SUB/fd" | wc -l)
		_sc=$(awk '{ print $14 + $15 }' "/proc/$SUB/stat")
	fi
	echo "$(elapsed "$T00") $1 $2 $(awk '{ print $14 + $15 }' \
	    "/proc/$DPID/stat") ${_sr:-0} ${_sf:-0} ${_sc:-0} $(cut -d' ' -f1 /proc/loadavg)"
}
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
	if [ "$(date +%s)" -ge "$nexts" ]; then
		sample "$r" "$f" >>"$W/samples.txt"
		nexts=$(( $(date +%s) + 10 ))
	fi
	sleep 1		# the reader's pace, not a synchronisation
done
check "the daemon alive all along" d_alive
read -r RSS1 FD1 CPU1 ERR1 REQ1 <<<"$(stat_line)"
echo "# end:   RSS $RSS1 kB (max $RSSMAX), $FD1 fds (max $FDMAX), CPU $CPU1 s, retransmits+dropped $ERR1 of $REQ1 requests"
read -r SRSS1 SFD1 <<<"$(sub_line)"
echo "# end:   subagent RSS $SRSS1 kB, $SFD1 fds"
echo "# socket reads: $reads answered, $bad failed"
check_eq "every socket read answered" "$bad" 0
check_eq "the subagent never restarted (pid $SUB)" "$(subagent)" "$SUB"
# The trend: the first fifth of the run (at least 60 s) is warm-up;
# the rest is cut in thirds.  Per third: RSS and fds (max), CPU used
# (% of one core), the load average, the walks and plugin runs done and
# their median time.  Growth is the last third's max less the first's:
# a leak of 14 MB an hour shows as 2 MB in a 900 s run, 7 MB in 3600 s.
# The walks' and plugins' pace is judged against the machine's: their
# median time in the last third must stay within twice the first
# third's (+0.5 s), that allowance scaled by how much the load average
# rose between them (a machine twice as busy may take twice as long; a
# subagent getting slower on a steady machine fails), and at least one
# run every 30 s each (a machine at load 30 managed one every 9 s) --
# not a fixed one a second, which load decides.
python3 - "$W/samples.txt" "$W/walks.txt" "$W/plugins.txt" "$SECS" \
    "$(getconf CLK_TCK)" >"$W/trend.txt" <<'PY'
import statistics, sys
S = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
W = [l.split() for l in open(sys.argv[2]) if len(l.split()) >= 6]
P = [l.split() for l in open(sys.argv[3]) if len(l.split()) >= 4]
secs, hz = float(sys.argv[4]), float(sys.argv[5])
t0 = S[0][0]
warm = t0 + max(60.0, (S[-1][0] - t0) / 5)
post = [x for x in S if x[0] >= warm]
if len(post) < 6:
    post = S
t1, t2 = post[0][0], post[-1][0]
cut = [t1 + (t2 - t1) * k / 3 for k in range(4)]
thirds = [[x for x in post if cut[k] <= x[0] <= cut[k + 1]] for k in range(3)]
def at(x, what):
    print("# %-6s t=%5.0f s: daemon RSS %d kB, %d fds, CPU %.0f s; "
          "subagent RSS %d kB, %d fds, CPU %.0f s; load %.1f"
          % (what, x[0], x[1], x[2], x[3] / hz, x[4], x[5], x[6] / hz, x[7]))
at(S[0], "start")
at(S[len(S) // 2], "middle")
at(S[-1], "end")
def runs(rows, ti, di, lo, hi):
    r = [float(x[di]) for x in rows if lo <= float(x[ti]) <= hi]
    return len(r), (statistics.median(r) if r else 0.0)
out = {}
for k, th in enumerate(thirds):
    a, b = th[0], th[-1]
    cpu = (b[3] - a[3]) / hz / max(b[0] - a[0], 1) * 100
    scpu = (b[6] - a[6]) / hz / max(b[0] - a[0], 1) * 100
    nw, mw = runs(W, 5, 4, a[0], b[0])
    npl, mp = runs(P, 3, 2, a[0], b[0])
    print("# third %d (%4.0f-%4.0f s): daemon RSS max %d kB, fds max %d, "
          "CPU %.1f%%; subagent RSS max %d kB, fds max %d, CPU %.1f%%; "
          "load %.1f; walks %d (median %.2f s), plugin runs %d "
          "(median %.2f s)" % (k + 1, a[0], b[0], max(x[1] for x in th),
          max(x[2] for x in th), cpu, max(x[4] for x in th),
          max(x[5] for x in th), scpu,
          statistics.mean(x[7] for x in th), nw, mw, npl, mp))
    for n, v in (("DRSS", max(x[1] for x in th)), ("DFD", max(x[2] for x in th)),
                 ("SRSS", max(x[4] for x in th)), ("SFD", max(x[5] for x in th)),
                 ("WMED", mw), ("PMED", mp),
                 ("LOAD", statistics.mean(x[7] for x in th))):
        out["%s%d" % (n, k + 1)] = v
g = lambda n: out[n + "3"] - out[n + "1"]
print("# growth after warm-up (last third - first): daemon RSS %+d kB, "
      "fds %+d; subagent RSS %+d kB, fds %+d"
      % (g("DRSS"), g("DFD"), g("SRSS"), g("SFD")))
for n, v in sorted(out.items()):
    print("%s=%s" % (n, int(v) if n[0] in "DS" else "%.2f" % v))
PY
grep '^#' "$W/trend.txt"
eval "$(grep -E '^[A-Z0-9]+=[0-9.]+$' "$W/trend.txt")"
check "daemon RSS flat after warm-up (${DRSS1:-?} -> ${DRSS3:-?} kB, <= +2 MB)" \
    test "${DRSS3:-1}" -le $(( ${DRSS1:-0} + 2048 ))
check "daemon fds flat after warm-up (${DFD1:-?} -> ${DFD3:-?}, <= +2)" \
    test "${DFD3:-1}" -le $(( ${DFD1:-0} + 2 ))
check "subagent RSS flat after warm-up (${SRSS1:-?} -> ${SRSS3:-?} kB, <= +2 MB)" \
    test "${SRSS3:-1}" -le $(( ${SRSS1:-0} + 2048 ))
check "subagent fds flat after warm-up (${SFD1:-?} -> ${SFD3:-?}, <= +1)" \
    test "${SFD3:-1}" -le $(( ${SFD1:-0} + 1 ))
# the walks: every one answered (exit 0, no error text, rows)
nw=$(grep -c . "$W/walks.txt")
badw=$(awk '$1 != 0 || $2 == 0 || $3 != 0' "$W/walks.txt" | grep -c .)
echo "# SNMP walks: $nw, $badw failed; sensor values per walk: $(awk '$4 % 30 { print $2 }' "$W/walks.txt" | sort -n | uniq -c | tr '\n' ' ')"
check "SNMP walks ran (at least one every 30 s: $nw)" \
    test "$nw" -ge $((SECS / 30))
# slower (A -> B s) by no more than the load allows (L1 -> L3)
paced() {
	awk -v a="$1" -v b="$2" -v l1="$3" -v l3="$4" 'BEGIN {
		k = (l1 > 0 && l3 > l1) ? l3 / l1 : 1
		exit !(b <= (2 * a + 0.5) * k) }'
}
check "SNMP walks no slower at the end than the load explains (median ${WMED1:-?} -> ${WMED3:-?} s, load ${LOAD1:-?} -> ${LOAD3:-?})" \
    paced "${WMED1:-0}" "${WMED3:-99}" "${LOAD1:-0}" "${LOAD3:-0}"
check_eq "every SNMP walk answered" "$badw" 0
awk '$1 != 0 || $2 == 0 || $3 != 0' "$W/walks.txt" | head -n 5 | sed 's/^/#   /'
# the plugins: an answer each time (0-3), never a signal
np=$(grep -c . "$W/plugins.txt")
echo "# plugin runs: $np; exit codes: $(awk '{ print $1 }' "$W/plugins.txt" | sort -n | uniq -c | tr '\n' ' ')"
check "plugin runs (at least one every 30 s: $np)" \
    test "$np" -ge $((SECS / 30))
check "plugin runs no slower at the end than the load explains (median ${PMED1:-?} -> ${PMED3:-?} s, load ${LOAD1:-?} -> ${LOAD3:-?})" \
    paced "${PMED1:-0}" "${PMED3:-99}" "${LOAD1:-0}" "${LOAD3:-0}"
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
hbf=$(d_health s1 heartbeat.failures)
check_eq "s1 heartbeat: no failed reset" "$hbf" 0
# a failed reset is logged with its reason: show the last ones
[ "$hbf" = 0 ] ||
    grep -a 's1.*watchdog' "$W/d.log" | tail -n 10 | sed 's/^/#   | /'
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

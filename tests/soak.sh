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
# `make check`.  SNMP walks and plugin runs join once those exist.
. "$(dirname "$0")/integration/lib.sh"
. "$(dirname "$0")/integration/daemon_lib.sh"

SECS=${SOAK_SECONDS:-3600}
N=5
d_setup
D_SIMS="s1 s2 s3 s4 s5"
BG=
trap 'for p in $BG; do kill "$p" 2>/dev/null; done; d_cleanup' EXIT
python3 "$TESTS_DIR/sim/mkbig.py" "$W/cfg" 90 >/dev/null ||
    { not_ok "mkbig"; exit 1; }
d_conf "$W/d.conf"
for i in $(seq 1 $N); do
	sim_as "s$i" "$W/cfg/big.emu" || { not_ok "sim s$i"; exit 1; }
	eval "p=\$SIMPORT_s$i"
	d_target "s$i" "$p" 'sensor-interval 1  sel-interval 1
	chassis-interval 5  timeout 1  retries 1  unreachable-after 3
	backoff-max 4  sel-clear-at 2  sel-delete-entries yes' >>"$W/d.conf"
done
d_start "$W/d.conf" || exit 1
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
read -r RSS0 FD0 CPU0 ERR0 REQ0 <<<"$(stat_line)"
echo "# start: RSS $RSS0 kB, $FD0 fds, CPU $CPU0 s, retransmits+dropped $ERR0 of $REQ0 requests"
end=$(( $(date +%s) + SECS ))
RSSMAX=$RSS0 FDMAX=$FD0 reads=0 bad=0
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
	sleep 1		# the reader's pace, not a synchronisation
done
check "the daemon alive all along" d_alive
read -r RSS1 FD1 CPU1 ERR1 REQ1 <<<"$(stat_line)"
echo "# end:   RSS $RSS1 kB (max $RSSMAX), $FD1 fds (max $FDMAX), CPU $CPU1 s, retransmits+dropped $ERR1 of $REQ1 requests"
echo "# socket reads: $reads answered, $bad failed"
check_eq "every socket read answered" "$bad" 0

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
for line in open(sys.argv[1]):
    raw = line.rstrip("\n").split("\t")[6]
    ids.append(int(raw[0:2], 16) | int(raw[2:4], 16) << 8)
added = [int(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("added")]
# record ids wrap at 0xffff in a long run: compare as multisets
from collections import Counter
miss = Counter(added) - Counter(ids)
extra = Counter(ids) - Counter(added)
print("# lost: %d, extra or twice: %d" % (sum(miss.values()), sum(extra.values())))
sys.exit(1 if miss or extra else 0)
PY
		ok "s$i: no entry lost, none archived twice"
	else
		not_ok "s$i: no entry lost, none archived twice"
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

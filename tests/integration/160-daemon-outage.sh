#!/bin/bash
# A BMC gone for minutes, then back (issue 14's fault injection; 720 does
# seconds).  bmcwatchd polls two simulated BMCs; B is behind a UDP relay
# (tests/tools/udprelay.py --blackhole: while a file exists, every
# datagram towards B is dropped and its time written down), so B's
# network vanishes while the BMC itself lives on.  For at least
# OUTAGE_S (default 150) seconds, and until the probes have run at
# backoff-max three times:
#   - B turns unreachable; its probes back off, doubling from 2 s, up to
#     backoff-max (20 s here) and stay there: each probe a burst of at
#     most 4 datagrams, the gaps between probes never shrinking and
#     never shorter than the backoff schedule allows, the last three at
#     least backoff-max;
#   - one clear error: "unreachable after N failed polls" once, and no
#     line about B for each probe (at most 2 lines about B from the loss
#     of its network to its return, at -vvv);
#   - A stays up and fresh throughout (checked along the way), one
#     session;
#   - 6 SEL entries are added to B's SEL (its console) meanwhile.
# When the network is back: B is up within one probe interval (the
# probe due after at most backoff-max, plus its own exchange: bound
# backoff-max + 10 s), "reachable again" logged once, and every SEL
# entry added during the outage is in the archive, each exactly once.
# A slow test (1xx): run once, on the plain build.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

OUTAGE_S=${OUTAGE_S:-150}
BMAX=20
RBPID=
d_setup
D_SIMS="a b"
trap '[ -n "$RBPID" ] && kill "$RBPID" 2>/dev/null; d_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
sim_as b || { not_ok "sim b"; exit 1; }
BH=$W/b.gone
python3 "$TESTS_DIR/tools/udprelay.py" --target "127.0.0.1:$SIMPORT_b" \
    --blackhole "$BH" --port-file "$W/rb.port" >/dev/null 2>"$W/rb.err" &
RBPID=$!
rb_port() { test -s "$W/rb.port"; }
wait_for 10 rb_port || { not_ok "relay b"; show_file "$W/rb.err"; exit 1; }
RB=$(cat "$W/rb.port")

POLL="sensor-interval 2  sel-interval 2  chassis-interval 2
	timeout 1  retries 1  unreachable-after 3  backoff-max $BMAX"
d_conf "$W/d.conf"
{ d_target a "$SIMPORT_a" "$POLL"; d_target b "$RB" "$POLL"; } >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
check "B up" wait_for 20 d_state b up
check "B's sensors fresh" wait_for 20 d_fresh b sensors
A=$W/archive/sel-b.log
sel_pass() { [ "$(d_health b sel_passes)" -ge 1 ]; }
check "a SEL pass on B before the outage" wait_for 20 sel_pass

# --- B's network gone ---------------------------------------------------------------
l0=$(wc -l <"$W/d.log")
: >"$BH"
t0=$(now_s)
check "B unreachable" wait_for 30 d_state b unreachable
tu=$(now_s)
echo "# B unreachable $(delta "$t0" "$tu") s after its network went"
check_eq "unreachable logged once" \
    "$(grep -c 'b: target: unreachable after' "$W/d.log")" 1

# 6 SEL entries, marked 0x5a, while nobody can read them
for i in 1 2 3 4 5 6; do
	printf 'sel_add 0x20 0xe1 0x5a 0x%02x 9 8 7 6 5 4 3 2 1 0 0\n' "$i"
done >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_b" <"$W/cmds" \
    >"$W/added.txt"
check_eq "6 entries added to B's SEL during the outage" \
    "$(grep -c '^added' "$W/added.txt")" 6

# the probes: bursts of datagrams (a probe and its retries, 1 s apart)
# after B turned unreachable, split where the gap passes 2.5 s
probes() {
	awk -v t="$tu" '$1 >= t' "$BH.times" | awk '
	    NR == 1 || $1 - last > 2.5 { n++; start[n] = $1; cnt[n] = 0 }
	    { cnt[n]++; last = $1 }
	    END { for (i = 1; i <= n; i++) print start[i], cnt[i] }'
}
# three gaps at backoff-max or more, the last three
at_max() {
	probes >"$W/probes"
	[ "$(awk -v m="$BMAX" 'NR > 1 { g = $1 - p } { p = $1 }
	    NR > 1 && g >= m { k++ } NR > 1 && g < m { k = 0 }
	    END { print k + 0 }' "$W/probes")" -ge 3 ]
}
a_ok=0 a_checks=0
t_end=$(awk -v t="$tu" -v o="$OUTAGE_S" 'BEGIN { printf "%.3f", t + o }')
# wait on the clock, checking A on the way (every 10 s): the outage is
# the stimulus, not a synchronisation
while ! at_max || awk -v e="$t_end" -v n="$(now_s)" 'BEGIN { exit !(n < e) }'; do
	a_checks=$((a_checks + 1))
	d_fresh a sensors && d_state a up && a_ok=$((a_ok + 1))
	[ "$a_checks" -ge 40 ] && break	# 400 s: the probes never got there
	sleep 10
done
lr=$(wc -l <"$W/d.log")
tr=$(now_s)
echo "# outage: $(delta "$t0" "$tr") s; probes (start, datagrams):"
probes | sed 's/^/#   /'
probes >"$W/probes"
check_eq "A up and fresh at every look during the outage ($a_checks)" \
    "$a_ok" "$a_checks"
check "the probes reached backoff-max and stayed (3 gaps >= $BMAX s)" at_max
np=$(wc -l <"$W/probes")
check "B probed all along ($np probes)" test "$np" -ge 6
check "at most 4 datagrams a probe" \
    awk '$2 > 4 { exit 1 }' "$W/probes"
# the schedule: 2 s, then doubled, then BMAX: the k-th gap at least
# min(2^k, BMAX) (a probe starts once the previous failed, so gaps
# are longer, never shorter), and never shrinking by more than a
# probe's own length
check "gaps at least the backoff schedule, never shrinking" \
    awk -v m="$BMAX" 'NR > 1 { g = $1 - p; k++; b = 2 ^ k; if (b > m) b = m
	    if (g < b - 0.2 || (k > 1 && g < pg - 3)) { print "gap", k, g; exit 1 }
	    pg = g } { p = $1 }' "$W/probes"
# from the network's loss: the first failed poll, then the transition
# (its repeats summed up 10 minutes later at the earliest)
nb=$(sed -n "$((l0 + 1)),${lr}p" "$W/d.log" | grep -c '^bmcwatchd: b: ')
check "one clear error: $nb line(s) about B in the outage (<= 2, none a probe)" \
    test "$nb" -le 2 -a "$nb" -lt "$np"
sed -n "$((l0 + 1)),${lr}p" "$W/d.log" | grep '^bmcwatchd: b: ' | sed 's/^/#   /'
check "A never unreachable" test "$(grep -c 'a: target: unreachable' "$W/d.log")" = 0
check "the daemon is alive" d_alive

# --- back --------------------------------------------------------------------------
rm -f "$BH"
tb=$(now_s)
check "B up again within backoff-max + 10 s" wait_for $((BMAX + 10)) d_state b up
echo "# B up $(delta "$tb" "$(now_s)") s after its network came back"
check "B's sensors fresh again" wait_for 20 d_fresh b sensors
check_eq "recovery logged once" \
    "$(grep -c 'b: target: reachable again' "$W/d.log")" 1
marked() { [ "$(grep -ci 'e15a0[1-6]09080706050403020100' "$A")" -ge 6 ]; }
check "the 6 entries added during the outage reach the archive" \
    wait_for 30 marked
for i in 1 2 3 4 5 6; do
	printf 'e15a%02x09080706050403020100\n' "$i"
done >"$W/want"
dup=$(grep -oif "$W/want" "$A" | tr 'A-F' 'a-f' | sort | uniq -d)
n=$(grep -oif "$W/want" "$A" | tr 'A-F' 'a-f' | sort -u | wc -l)
check_eq "each exactly once" "$n:$dup" "6:"
check "A still fresh" d_fresh a sensors
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

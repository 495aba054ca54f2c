#!/bin/bash
# SNMP subagent memory benchmark (issue 15): bmcwatch-snmp fed the watch
# stream of a fleet by tests/snmp/memfeed.py (no daemon, no sims), each
# target a copy of tests/snmp/snapshot-big.txt (one target of 125
# sensors, 448 rows, 8,324 cells, captured from bmcwatchd on the
# tests/sim/mkbig.py sim), readings changed every round as sweeps do.
#
# 1. Memory: RSS with no target, 1 target, and BENCH_MEM_TARGETS (100),
#    the latter for BENCH_MEM_ROUNDS (10) snapshots of every target:
#    the first round against the last (no growth across snapshots), and
#    (RSS N - RSS 1) / (N - 1) per target.  Then the worst case, every
#    target's bmcwSelEntryTable full (256 entries; the snapshot has
#    none).  Snapshot contents, not
#    timing: the figures do not depend on the machine's load.
# 2. With valgrind: the heap at its peak with BENCH_MEM_MASSIF (20)
#    targets (massif: the largest allocation sites), and the
#    instructions per GETNEXT (callgrind Ir of handle_snmp_packet, one
#    per AgentX request) over an snmpwalk of every table of one target
#    through a private snmpd (tests/integration/snmp_lib.sh).
# BENCH_SUBAGENT names another subagent binary (e.g. an older build).
# Not a test: nothing fails, it prints numbers.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/integration/lib.sh
. tests/integration/daemon_lib.sh
. tests/integration/snmp_lib.sh
SUB=$(realpath "${BENCH_SUBAGENT:-build/bmcwatch-snmp}")
NT=${BENCH_MEM_TARGETS:-100}
NR=${BENCH_MEM_ROUNDS:-10}
NM=${BENCH_MEM_MASSIF:-20}
SNAP=tests/snmp/snapshot-big.txt
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench-snmpmem.XXXXXX") || exit 1
trap 'snmp_cleanup; rm -rf "$T"' EXIT
feed() {	# DIR ARGS...: memfeed.py's lines
	mkdir -p "$1"
	_d=$1
	shift
	python3 tests/snmp/memfeed.py "$@" 2>&1
}
field_all() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) printf "%s%s", sep, $(i + 1); sep = " " } END { print "" }'; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) v = $(i + 1) } END { print v }'; }

echo "SNMP subagent memory: $SUB fed $NT targets like $SNAP"
echo "  (125 sensors, 448 rows, 8,324 cells a target; tests/snmp/memfeed.py)"
r0=$(feed "$T/m0" "$SUB" "$SNAP" 0 1 "$T/m0" | tail -n 1)
r1=$(feed "$T/m1" "$SUB" "$SNAP" 1 3 "$T/m1" | tail -n 1)
feed "$T/mn" "$SUB" "$SNAP" "$NT" "$NR" "$T/mn" >"$T/mn.out"
first=$(head -n 1 "$T/mn.out")
last=$(tail -n 1 "$T/mn.out")
case $last in round*) ;; *) echo "  memfeed failed: $last"; exit 0 ;; esac
k0=$(echo "$r0" | field rss)
k1=$(echo "$r1" | field rss)
kf=$(echo "$first" | field rss)
kl=$(echo "$last" | field rss)
hwm=$(echo "$last" | field hwm)
an=$(echo "$last" | field anon)
python3 - <<PY
k0, k1, kf, kl, n, r = $k0, $k1, $kf, $kl, $NT, $NR
print("  RSS: %.1f MiB with no target, %.1f MiB with 1, %.1f MiB with %d"
      % (k0 / 1024, k1 / 1024, kl / 1024, n))
print("  per target: %.0f KiB ((RSS %d - RSS 1) / %d); anonymous "
      "(heap) %.1f MiB, peak RSS %.1f MiB" % ((kl - k1) / max(n - 1, 1),
      n, n - 1, $an / 1024, $hwm / 1024))
print("  across snapshots: %.1f MiB after the 1st of every target, "
      "%.1f MiB after round %d (%+d KiB)" % (kf / 1024, kl / 1024, r,
      kl - kf))
PY
echo "  RSS after each round (KiB): $(field_all rss <"$T/mn.out")"
# the worst case: every target's recent-SEL table full
feed "$T/ms1" --sel 256 "$SUB" "$SNAP" 1 3 "$T/ms1" >"$T/ms1.out"
feed "$T/msn" --sel 256 "$SUB" "$SNAP" "$NT" 3 "$T/msn" >"$T/msn.out"
s1=$(tail -n 1 "$T/ms1.out" | field rss)
sn=$(tail -n 1 "$T/msn.out" | field rss)
python3 - <<PY
print("  with a full bmcwSelEntryTable (256 entries a target, one new a "
      "round): %.1f MiB with 1 target, %.1f MiB with %d (%.0f KiB a target)"
      % ($s1 / 1024, $sn / 1024, $NT, ($sn - $s1) / max($NT - 1, 1)))
PY

if ! command -v valgrind >/dev/null; then
	echo "  (valgrind not installed: no heap profile, no instruction counts)"
	exit 0
fi
# 2a. where the heap goes (massif, the peak)
feed "$T/ms" "$SUB" "$SNAP" "$NM" 2 "$T/ms" valgrind --tool=massif \
    --massif-out-file="$T/ms/massif.out" --depth=4 >/dev/null
if [ -s "$T/ms/massif.out" ]; then
	echo "  heap at its peak with $NM targets (valgrind massif): bytes" \
	    "by allocation site (two levels, >= 1%):"
	python3 - "$T/ms/massif.out" <<'PY'
import re, sys
snaps, cur = [], None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    m = re.match(r"(mem_heap_B|mem_heap_extra_B|heap_tree)=(.*)", line)
    if line.startswith("snapshot="):
        cur = {"tree": []}
        snaps.append(cur)
    elif m:
        cur[m.group(1)] = m.group(2)
    elif cur is not None and re.match(r" *n\d+: ", line):
        cur["tree"].append(line)
peak = next(x for x in snaps if x.get("heap_tree") == "peak")
useful, extra = int(peak["mem_heap_B"]), int(peak["mem_heap_extra_B"])
print("    %d B in all: %d allocated, %d malloc overhead"
      % (useful + extra, useful, extra))
for line in peak["tree"]:
    depth = len(line) - len(line.lstrip(" "))
    m = re.match(r" *n\d+: (\d+) (?:0x[0-9A-F]+: )?(.*)", line)
    size, what = int(m.group(1)), re.sub(r" \(in /[^)]*\)", "", m.group(2))
    if 1 <= depth <= 2 and size * 100 >= useful and "below" not in what:
        print("    %s%10d  %s" % ("  " * (depth - 1), size, what))
PY
fi
# 2b. instructions per GETNEXT: one target through a private snmpd
snmp_setup
snmpd_start || { echo "  snmpd did not start: no instruction counts"; exit 0; }
MIB=.1.3.6.1.4.1.8072.9999.623
cat >"$T/walk.sh" <<EOF
end=\$((\$(date +%s) + 120))
until [ "\$(snmpget -v2c -c public -t 2 -r 0 -Oqv udp:127.0.0.1:$SNMP_PORT $MIB.1.3.1.3.1.32769 2>/dev/null)" = '"CPU1 Temp"' ]; do
	[ "\$(date +%s)" -lt "\$end" ] || exit 1
	sleep 0.5
done
for o in $MIB .1.3.6.1.2.1.47.1.1.1 .1.3.6.1.2.1.99.1.1; do
	snmpwalk -v2c -c public -t 10 -r 0 -On udp:127.0.0.1:$SNMP_PORT \$o
done >$T/walk.txt 2>$T/walk.err
EOF
mkdir -p "$T/cg"
feed "$T/cg" --agentx "$S/agentx.sock" --then "bash $T/walk.sh" "$SUB" \
    "$SNAP" 1 1 "$T/cg" valgrind --tool=callgrind \
    --callgrind-out-file="$T/cg/cg.out" >"$T/cg.feed"
if [ ! -s "$T/cg/cg.out" ] || [ ! -s "$T/walk.txt" ]; then
	echo "  callgrind run failed: $(tail -n 1 "$T/cg.feed")"
	exit 0
fi
nv=$(grep -c . "$T/walk.txt")
echo "  instructions (callgrind Ir) per call in the subagent, one target;" \
    "an snmpwalk of our MIB, entPhysicalTable and entPhySensorTable:" \
    "$nv values (GETNEXTs), handle_snmp_packet one per AgentX request:"
python3 tests/snmp/cgcalls.py "$T/cg/cg.out" handle_snmp_packet \
    sa_table_handler wire_parse |
    while read -r fn calls ir; do
	printf '    %-20s %12d (%d calls)\n' "$fn" \
	    "$((ir / (calls > 0 ? calls : 1)))" "$calls"
    done
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores, shared; the figures above do not depend on it)"

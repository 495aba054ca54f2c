#!/bin/bash
# make bench: throughput of Get Device ID over one held lanplus session,
# bmcwatch against ipmitool (a new process and session per request), on
# the same simulated BMC in the same run.  Printed as a ratio; request
# counts come from bmcwatch's own --stats.  Not a test: nothing fails.
# Then every tests/bench-*.sh; all the output is also written to
# bench/results.md, with the machine and its load.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
N=${BENCH_N:-1000}
NI=${BENCH_NI:-50}
mkdir -p bench
SECTIONS=$(mktemp "${TMPDIR:-/tmp}/bw-bench-out.XXXXXX") || exit 1
start=$(date -u '+%Y-%m-%d %H:%M UTC')
load0=$(cut -d' ' -f1-3 /proc/loadavg)
sim_start || exit 1
trap sim_stop EXIT
PW=$(sim_pwfile admin)
now() { date +%s%N; }

t0=$(now)
"$B" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" -C 3 --stats \
    raw --repeat "$N" 6 1 >/dev/null 2>"$SIM_RUNDIR/bw.stats" || exit 1
t1=$(now)
bw_ms=$(( (t1 - t0) / 1000000 ))
stats=$(grep stats: "$SIM_RUNDIR/bw.stats")

t0=$(now)
for _ in $(seq "$NI"); do
	sim_ipmitool raw 6 1 >/dev/null || exit 1
done
t1=$(now)
it_ms=$(( (t1 - t0) / 1000000 ))

{ echo "## bench.sh"; echo '```'; } >>"$SECTIONS"
python3 - "$N" "$bw_ms" "$NI" "$it_ms" "$stats" <<'PY' | tee -a "$SECTIONS"
import sys
n, bw_ms, ni, it_ms, stats = int(sys.argv[1]), int(sys.argv[2]), \
    int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
bw = n / max(bw_ms, 1) * 1000
it = ni / max(it_ms, 1) * 1000
kv = dict(x.split("=") for x in stats.split()[2:])
print("Get Device ID over lanplus (suite 3), simulated BMC")
print(f"  bmcwatch, one held session: {n} requests in {bw_ms} ms = {bw:.0f}/s")
print(f"    packets out {kv['packets_out']} for {kv['requests']} requests "
      f"({int(kv['packets_out']) - int(kv['requests'])} of session setup and close)")
print(f"  ipmitool raw 6 1 x {ni}: {it_ms} ms = {it:.0f}/s "
      f"(each run: 7 datagrams = new session + request + close)")
print(f"  ratio bmcwatch/ipmitool: {bw / it:.1f}x requests per second")
PY
echo '```' >>"$SECTIONS"

# the per-issue benchmarks (sensor sweeps, SEL reads, ...) start their
# own; each one's output becomes a section of bench/results.md
sim_stop
trap - EXIT
for b in tests/bench-*.sh; do
	[ -f "$b" ] || continue
	case $b in */bench-lib.sh) continue ;; esac
	echo
	echo "## ${b#tests/}" >>"$SECTIONS"
	echo '```' >>"$SECTIONS"
	bash "$b" 2>&1 | tee -a "$SECTIONS"
	echo '```' >>"$SECTIONS"
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
end=$(date -u '+%Y-%m-%d %H:%M UTC')
# the issues' goals against this run's figures, one table
GOALS=$(python3 tests/tools/bench_goals.py "$SECTIONS")
echo
echo "$GOALS"
{
	echo "# bmcwatch benchmark results"
	echo
	echo "Written by \`make bench\` (tests/bench.sh) from one run: every"
	echo "figure below comes from the same run, peers measured beside"
	echo "bmcwatch.  Reproduce with \`make bench\` (packages: tests/deps.sh;"
	echo "BENCH_RUNS, BENCH_SIMS, BENCH_WINDOW and BENCH_DELAY_MS change"
	echo "the runs per figure, the sims of the scale run, its measuring"
	echo "window and the slow BMC's delay)."
	echo
	echo "- run: $start to $end, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory"
	echo "- load average (1, 5, 15 min) at the start: $load0; at the end: $load1"
	echo "  (the machine is shared: a load above the core count slows every"
	echo "  figure; ratios within a section are measured side by side)"
	echo "- time: wall clock, median of the runs; requests: counted by a"
	echo "  relay or by the programs' own counters, never from timing"
	echo
	echo "$GOALS"
	echo
	echo "Measurements by hand in earlier sessions (before and after a"
	echo "change, on a quiet machine): [earlier.md](earlier.md)."
	echo
	cat "$SECTIONS"
} >bench/results.md
rm -f "$SECTIONS"
echo
echo "written: bench/results.md"

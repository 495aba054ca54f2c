#!/bin/bash
# make bench: throughput of Get Device ID over one held lanplus session,
# bmcwatch against ipmitool (a new process and session per request), on
# the same simulated BMC in the same run.  Printed as a ratio; request
# counts come from bmcwatch's own --stats.  Not a test: nothing fails.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
N=${BENCH_N:-1000}
NI=${BENCH_NI:-50}
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

python3 - "$N" "$bw_ms" "$NI" "$it_ms" "$stats" <<'PY'
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

# the per-issue benchmarks (sensor sweeps, SEL reads) start their own
sim_stop
trap - EXIT
for b in tests/bench-*.sh; do
	[ -f "$b" ] || continue
	echo
	bash "$b"
done

#!/bin/bash
# Sensor sweep benchmark (issue 3): on one simulated BMC with >= 120
# sensors (tests/sim/mkbig.py), in the same run, requests and wall time
# of a cold and a warm full sweep by bmcwatch against `ipmitool sdr list`,
# `ipmitool sensor list` and `ipmi-sensors` (cold and with its SDR
# cache).  Requests are datagrams towards the BMC counted by a UDP relay
# in between (tests/tools/udprelay.py), session setup included, so every
# tool is counted the same way; bmcwatch's own per-command counters are
# shown too.  Wall time: median of BENCH_RUNS (default 5).  Not a test:
# nothing fails, it prints a table and ratios.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
RUNS=${BENCH_RUNS:-5}
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench.XXXXXX")
python3 tests/sim/mkbig.py "$T/cfg" "${BENCH_EXTRA:-90}" || exit 1
sim_start "$T/cfg/big.emu" || exit 1
. tests/bench-lib.sh

fir() { ipmi-sensors -D LAN_2_0 -I 3 -W opensesspriv -h "127.0.0.1:$RP" \
    -u admin --config-file "$FICONF" -l ADMIN --sdr-cache-directory "$1" \
    --output-sensor-state; }

N=$("$B" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" -C 3 \
    sensors --no-sdr-cache | wc -l)

measure "bmcwatch sensors, cold cache" 'rm -rf "$T/bwc"' \
    bwr sensors --sdr-cache "$T/bwc"
measure "bmcwatch sensors, warm cache" ':' bwr sensors --sdr-cache "$T/bwc"
# in-session: 11 sweeps on one session; the last 10 are the daemon's path
measure "bmcwatch, 11 sweeps, one session" ':' \
    bwr sensors --sdr-cache "$T/bwc" --sweeps 11
measure "ipmitool sdr list" ':' itr sdr list
measure "ipmitool sensor list" ':' itr sensor list
measure "ipmi-sensors, cold cache" 'rm -rf "$T/fic"; mkdir -p "$T/fic"' \
    fir "$T/fic"
measure "ipmi-sensors, warm cache" ':' fir "$T/fic"
bwr --stats sensors --sdr-cache "$T/bwc" --sweeps 2 >/dev/null \
    2>"$T/bw-stats.txt"
rm -rf "$T/bwc2"
bwr --stats sensors --sdr-cache "$T/bwc2" >/dev/null 2>"$T/bw-cold-stats.txt"

python3 - "$RESULTS" "$N" "$T/bw-stats.txt" "$T/bw-cold-stats.txt" <<'PY'
import statistics, sys
res, n = sys.argv[1], int(sys.argv[2])
rows = []
for line in open(res):
    name, reqs, times = line.rstrip("\n").split("|")
    r = [int(x) for x in reqs.split()]
    t = [int(x) / 1000.0 for x in times.split()]
    rows.append((name, statistics.median(r), statistics.median(t)))
d = {r[0]: r for r in rows}
# per-sweep cost inside one session: (11 sweeps - 1 warm run) / 10
one = d["bmcwatch sensors, warm cache"]
many = d["bmcwatch, 11 sweeps, one session"]
sess = ("bmcwatch warm sweep, held session", (many[1] - one[1]) / 10.0,
        max(many[2] - one[2], 0) / 10.0)
rows.append(sess)
print("Sensor sweep, simulated BMC with %d sensors (lanplus suite 3)" % n)
print("requests = datagrams to the BMC (session setup included); "
      "time = median wall ms")
print("%-40s %9s %9s" % ("", "requests", "ms"))
for name, req, ms in rows:
    print("%-40s %9.1f %9.1f" % (name, req, ms))
def ratio(a, b):
    ra, rb = d[a] if a in d else sess, d[b] if b in d else sess
    return ("%-26s / %-34s requests %5.1fx  time %5.1fx" %
            (a, b, ra[1] / max(rb[1], 1e-9), ra[2] / max(rb[2], 1e-9)))
print("ratios (peer / bmcwatch):")
for peer in ("ipmitool sdr list", "ipmitool sensor list",
             "ipmi-sensors, cold cache"):
    print("  " + ratio(peer, "bmcwatch sensors, cold cache"))
for peer in ("ipmitool sensor list", "ipmi-sensors, warm cache"):
    print("  " + ratio(peer, "bmcwatch sensors, warm cache"))
    print("  " + ratio(peer, "bmcwatch warm sweep, held session"))
for f, what in ((sys.argv[4], "cold"), (sys.argv[3], "in-session")):
    for line in open(f):
        if "stats:" in line:
            print("bmcwatch %s: %s" % (what, line.split("bmcwatch: ")[1].strip()))
print("warm sweep in a held session: %d Get Sensor Reading + 1 repository "
      "check = %d requests expected" % (n, n + 1))
PY

#!/bin/bash
# Slow BMC benchmark (issue 15): a relay adds 10 ms to every datagram
# each way (tests/tools/udprelay.py --delay-ms 10), as a BMC that takes
# 20 ms a request would; on a simulated BMC with about 120 sensors
# (tests/sim/mkbig.py), in the same run: a warm sweep (SDR cache
# filled) by bmcwatch with 1, 4, 8 (the default) and 16 requests in
# flight, each a new process and session, and per sweep in a held
# session (the daemon's path: 11 sweeps in one session less one sweep,
# divided by 10); against `ipmitool sensor list` and `ipmi-sensors` with
# its SDR cache.  Then the cold read of the SDR repository: `bmcwatch sdr
# dump` with an empty cache, 1 and 8 Get SDRs in flight, against
# `ipmitool sdr dump`; and a cold `bmcwatch sensors` (repository,
# thresholds, readings) against `ipmi-sensors` with an empty SDR cache.
# Requests are datagrams to the BMC counted by the relay
# (session setup included).  Wall time: median of BENCH_RUNS (default
# 5).  The relay's own lateness (when it forwarded each datagram, past
# its arrival plus the delay: its --log-times) is printed too, since on
# a loaded machine a Python relay adds to every round trip.  Not a
# test: nothing fails, it prints a table and ratios.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
RUNS=${BENCH_RUNS:-5}
DELAY=${BENCH_DELAY_MS:-10}
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench-slow.XXXXXX")
python3 tests/sim/mkbig.py "$T/cfg" "${BENCH_EXTRA:-90}" || exit 1
sim_start "$T/cfg/big.emu" || exit 1
RELAY_ARGS="--delay-ms $DELAY --log-times $T/relay-times"
. tests/bench-lib.sh

fir() { ipmi-sensors -D LAN_2_0 -I 3 -W opensesspriv -h "127.0.0.1:$RP" \
    -u admin --config-file "$FICONF" -l ADMIN --sdr-cache-directory "$1" \
    --output-sensor-state; }

N=$("$B" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" -C 3 \
    sensors --no-sdr-cache | wc -l)
# fill both SDR caches (through the relay: the cache knows its peer)
bwr sensors --sdr-cache "$T/bwc" >/dev/null 2>&1
mkdir -p "$T/fic"
fir "$T/fic" >/dev/null 2>&1

for w in 1 4 8 16; do
	measure "bmcwatch warm, $w in flight" ':' \
	    bwr --max-outstanding "$w" sensors --sdr-cache "$T/bwc"
done
measure "bmcwatch 11 sweeps, 8 in flight" ':' \
    bwr --max-outstanding 8 sensors --sdr-cache "$T/bwc" --sweeps 11
measure "bmcwatch 11 sweeps, 16 in flight" ':' \
    bwr --max-outstanding 16 sensors --sdr-cache "$T/bwc" --sweeps 11
measure "ipmitool sensor list" ':' itr sensor list
measure "ipmi-sensors, warm cache" ':' fir "$T/fic"
# cold: a cache directory emptied before each run
bwcold() { BMCWATCH_CACHE_DIR=$T/cold bwr "$@"; }
for w in 1 8; do
	measure "SDR read: bmcwatch, $w in flight" 'rm -rf "$T/cold"' \
	    bwcold --max-outstanding "$w" sdr dump "$T/sdr-$w.bin"
done
measure "SDR read: ipmitool sdr dump" 'rm -f "$T/sdr-it.bin"' \
    itr sdr dump "$T/sdr-it.bin"
measure "cold sensors: bmcwatch, 8 in flight" 'rm -rf "$T/cold"' \
    bwcold --max-outstanding 8 sensors
measure "cold sensors: ipmi-sensors" 'rm -rf "$T/ficc"; mkdir -p "$T/ficc"' \
    fir "$T/ficc"
bwr --stats sensors --sdr-cache "$T/bwc" --sweeps 2 >/dev/null \
    2>"$T/bw-stats.txt"
rm -rf "$T/cold"
bwcold --stats --max-outstanding 8 sdr dump "$T/sdr-8.bin" >/dev/null \
    2>>"$T/bw-stats.txt"
cmp -s "$T/sdr-8.bin" "$T/sdr-it.bin" && same=yes || same=NO
cmp -s "$T/sdr-8.bin" "$T/sdr-1.bin" && same1=yes || same1=NO
echo "SDR image, 8 in flight, identical to ipmitool's sdr dump: $same; to 1 in flight: $same1" >"$T/same.txt"
relay_stop	# its timestamps are complete once it stopped

python3 - "$RESULTS" "$N" "$DELAY" "$T/bw-stats.txt" "$T/same.txt" \
    "$T/relay-times" <<'PY'
import statistics, sys
res, n, delay = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for line in open(res):
    name, reqs, times = line.rstrip("\n").split("|")
    r = [int(x) for x in reqs.split()]
    t = [int(x) / 1000.0 for x in times.split()]
    rows.append((name, statistics.median(r), statistics.median(t)))
d = {r[0]: r for r in rows}
for w in (8, 16):
    one = d["bmcwatch warm, %d in flight" % w]
    many = d["bmcwatch 11 sweeps, %d in flight" % w]
    rows.append(("bmcwatch held session, %d in flight" % w,
                 (many[1] - one[1]) / 10.0, max(many[2] - one[2], 0) / 10.0))
d = {r[0]: r for r in rows}
print("Slow BMC: %s ms added each way by a relay; simulated BMC with %d "
      "sensors, lanplus suite 3" % (delay, n))
print("requests = datagrams to the BMC (session setup included); "
      "time = median wall ms")
print("%-42s %9s %9s" % ("", "requests", "ms"))
for name, req, ms in rows:
    print("%-42s %9.1f %9.1f" % (name, req, ms))
print("ratios (peer time / bmcwatch time):")
for peer in ("ipmitool sensor list", "ipmi-sensors, warm cache"):
    for ours in ("bmcwatch warm, 8 in flight",
                 "bmcwatch held session, 8 in flight",
                 "bmcwatch held session, 16 in flight"):
        print("  %-26s / %-36s %6.1fx" % (peer, ours,
              d[peer][2] / max(d[ours][2], 1e-9)))
print("goal: warm sweep of ~120 sensors under 500 ms: %.0f ms in a new "
      "session, %.0f ms in a held one (8 in flight)"
      % (d["bmcwatch warm, 8 in flight"][2],
         d["bmcwatch held session, 8 in flight"][2]))
print("cold reads, ratios (time; requests):")
for peer, ours in (("SDR read: bmcwatch, 1 in flight",
                    "SDR read: bmcwatch, 8 in flight"),
                   ("SDR read: ipmitool sdr dump",
                    "SDR read: bmcwatch, 8 in flight"),
                   ("cold sensors: ipmi-sensors",
                    "cold sensors: bmcwatch, 8 in flight")):
    print("  %-34s / %-36s %6.1fx; %5.2fx" % (peer, ours,
          d[peer][2] / max(d[ours][2], 1e-9),
          d[peer][1] / max(d[ours][1], 1e-9)))
print(open(sys.argv[5]).read().strip())
late = []
for line in open(sys.argv[6]):
    f = line.split()
    if len(f) == 4 and f[2] != "dropped":
        late.append((float(f[2]) - float(f[1])) * 1000.0 - float(delay))
if late:
    late.sort()
    print("relay's own lateness past the %s ms delay, %d datagrams: "
          "median %.2f ms, mean %.2f, p90 %.2f, p99 %.2f"
          % (delay, len(late), statistics.median(late),
             statistics.mean(late), late[int(len(late) * 0.9)],
             late[int(len(late) * 0.99)]))
for line in open(sys.argv[4]):
    if "stats:" in line:
        print("bmcwatch --stats: %s" % line.split("bmcwatch: ")[1].strip())
PY

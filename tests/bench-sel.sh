#!/bin/bash
# SEL benchmark (issue 4): a simulated BMC holding 1000 SEL entries; in
# the same run, requests and wall time of bmcwatch's full read and its
# incremental poll with 0 and with 10 new entries (`sel archive` with a
# state file, the daemon's path), against `ipmi-sel` (warm SDR cache) and
# `ipmitool sel list` / `sel elist`, which have no incremental mode and
# read everything every time.  Requests are datagrams towards the BMC
# counted by a UDP relay (tests/tools/udprelay.py), session setup (6
# datagrams) included for every tool.  Time: median of BENCH_RUNS
# (default 5).  Not a test: nothing fails.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
RUNS=${BENCH_RUNS:-5}
N=${BENCH_SEL:-1000}
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench-sel.XXXXXX")
sed 's/^sel_enable 0x20 [0-9]* /sel_enable 0x20 2000 /' "$SIM_DIR/bmc.emu" \
    >"$T/sel.emu"
cp "$SIM_DIR/bmc.sdrs" "$T/sel.sdrs"
sim_start "$T/sel.emu" || exit 1
. tests/bench-lib.sh
export BMCWATCH_CACHE_DIR=$T/bwc

serial=0
add() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		serial=$((serial + 1))
		# alternate sensor events and OEM records
		if [ $((serial % 2)) -eq 0 ]; then
			echo "sel_add 0x20 0x02 0 0 0 0 0x20 0x00 0x04 0x01 0x01 0x01 0x57 $((serial & 255)) 0x55"
		else
			echo "sel_add 0x20 0xe0 $((serial & 255)) $((serial >> 8)) 1 2 3 4 5 6 7 8 9 10 11"
		fi
		_i=$((_i + 1))
	done | python3 tests/integration/sel_console.py "$SIM_CONSOLE" >/dev/null
}
fir() { ipmi-sel -D LAN_2_0 -I 3 -W opensesspriv -h "127.0.0.1:$RP" \
    -u admin --config-file "$FICONF" -l ADMIN --sdr-cache-directory "$T/fic"; }


add "$N"
# warm every SDR cache first, so only SEL work is measured
bwr sel info >/dev/null
bwr sel list >/dev/null
mkdir -p "$T/fic"
fir >/dev/null 2>&1
A=$T/sel.log
S=$T/sel.state

measure "bmcwatch sel list (full read)" ':' bwr sel list
measure "bmcwatch sel archive, no state (full)" 'rm -f "$A" "$S"' \
    bwr sel archive --archive "$A" --state "$S" --no-clear
measure "bmcwatch sel archive, 0 new" ':' \
    bwr sel archive --archive "$A" --state "$S" --no-clear
measure "bmcwatch sel archive, 10 new" 'add 10' \
    bwr sel archive --archive "$A" --state "$S" --no-clear
measure "ipmi-sel (warm SDR cache)" ':' fir
measure "ipmitool sel list" ':' itr sel list
measure "ipmitool sel elist" ':' itr sel elist

python3 - "$RESULTS" "$N" <<'PY'
import statistics, sys
rows = []
for line in open(sys.argv[1]):
    name, reqs, times = line.rstrip("\n").split("|")
    r = [int(x) for x in reqs.split()]
    t = [int(x) / 1000.0 for x in times.split()]
    rows.append((name, statistics.median(r), statistics.median(t)))
print("SEL of %s entries, simulated BMC (lanplus suite 3)" % sys.argv[2])
print("requests = datagrams to the BMC, session setup and close included "
      "(6 per run) and one SDR repository check for bmcwatch; "
      "time = median wall ms")
print("%-42s %9s %9s" % ("", "requests", "ms"))
for name, req, ms in rows:
    print("%-42s %9.0f %9.1f" % (name, req, ms))
d = {r[0]: r for r in rows}
inc0 = d["bmcwatch sel archive, 0 new"]
inc10 = d["bmcwatch sel archive, 10 new"]
full = d["bmcwatch sel list (full read)"]
print("SEL requests of a poll (session and SDR check taken off): "
      "0 new = %d (one Get SEL Info), 10 new = %d (Get SEL Info + 10 "
      "Get SEL Entry)" % (inc0[1] - 7, inc10[1] - 7))
for peer in ("ipmi-sel (warm SDR cache)", "ipmitool sel list",
             "ipmitool sel elist"):
    p = d[peer]
    print("  %-26s full read: %5.1fx the requests of bmcwatch's full read, "
          "%6.1fx those of its 10-new poll" %
          (peer, p[1] / max(full[1], 1), p[1] / max(inc10[1], 1)))
PY

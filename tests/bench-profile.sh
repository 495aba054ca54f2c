#!/bin/bash
# Instruction counts of the sweep (issue 15), by callgrind: bmcwatch
# reads a simulated BMC of about 120 sensors (tests/sim/mkbig.py) with a
# warm SDR cache, once with 1 sweep and once with 11 sweeps in the same
# session; (Ir(11) - Ir(1)) / 10 / sensors is the instructions per
# sensor per sweep on the daemon's path (lanplus suite 3: AES-CBC-128
# and HMAC-SHA1-96 on every packet), and the functions that cost most
# in those 10 sweeps are listed (inclusive).  Needs valgrind; skipped
# without it.  Not a test: nothing fails.
set -u
cd "$(dirname "$0")/.." || exit 1
if ! command -v valgrind >/dev/null ||
    ! command -v callgrind_annotate >/dev/null; then
	echo "bench-profile: valgrind not installed: skipped"
	exit 0
fi
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench-prof.XXXXXX")
trap 'sim_stop; rm -rf "$T"' EXIT
python3 tests/sim/mkbig.py "$T/cfg" "${BENCH_EXTRA:-90}" >/dev/null || exit 1
sim_start "$T/cfg/big.emu" || exit 1
PW=$(sim_pwfile admin)
bw() { "$B" -I lanplus -H 127.0.0.1 -p "$SIM_PORT" -U admin -f "$PW" -C 3 \
    -t 30 "$@"; }
N=$(bw sensors --sdr-cache "$T/c" | wc -l)
# BENCH_PROF_SWEEP=0: only the daemon's part below
if [ "${BENCH_PROF_SWEEP:-1}" != 0 ]; then
for n in 1 11; do
	valgrind --tool=callgrind --callgrind-out-file="$T/cg.$n" \
	    "$B" -I lanplus -H 127.0.0.1 -p "$SIM_PORT" -U admin -f "$PW" \
	    -C 3 -t 30 sensors --sdr-cache "$T/c" --sweeps "$n" \
	    >/dev/null 2>"$T/cg.$n.err"
done
ir() { sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$T/cg.$1.err"; }
i1=$(ir 1)
i11=$(ir 11)
echo "Instructions (callgrind Ir) of the warm sweep, $N sensors, lanplus" \
    "suite 3, one held session"
echo "  1 sweep: $i1 (session setup, SDR cache load, process start and exit)"
echo "  11 sweeps: $i11"
python3 -c "import sys; a, b, n = map(int, sys.argv[1:]); \
print('  per sweep: %d; per sensor per sweep: %d' % ((b - a) / 10, (b - a) / 10 / n))" \
    "$i1" "$i11" "$N"
echo "  most costly (inclusive, 11 sweeps), bmcwatch's own and libcrypto's:"
callgrind_annotate --inclusive=yes "$T/cg.11" 2>/dev/null |
    grep -E 'agent/(ipmi|bmc)/|\?\?\?:(EVP|RAND|HMAC|OPENSSL)' |
    sed -n 's/^ *[0-9,]* *(\([ 0-9.]*%\)) *\([^ ]*\).*/\1 \2/p' |
    sed 's|[^ ]*/||; s|???:||' | awk '!seen[$2]++' | head -18 |
    sed 's/^/    /'
fi

# The daemon's SEL poll with nothing new and its control socket, by
# callgrind on a running bmcwatchd (one target, the same sim), each run
# dumped when it exits (SIGTERM); it is ready when it sends READY=1 to
# NOTIFY_SOCKET (every target polled once) and has written its SEL
# state.  (callgrind_control is not used: its vgdb did not get through
# to an idle daemon here.)
#   SEL poll: sel-interval 3, sensors and chassis every hour, nothing
#     added to the SEL; two runs, BENCH_PROF_SEL_S (default 45) seconds
#     apart in length: the difference of all their instructions (the
#     loop waking, timers, each poll's request and answer) over the
#     difference of the polls begun (selmon_start's calls);
#   socket: sel-interval an hour too; BENCH_PROF_Q (default 200)
#     `sensors format=json` requests on one held connection, in another
#     run as many `targets format=json`, in a third check_bmc_sensors -S
#     10 times (a process each: a connection, a request, a close): the
#     instructions of the socket's handlers (ctl_accept and ctl_client_io,
#     inclusive: reading, parsing, answering from the store, writing)
#     over the requests handled (ctl_client_request's calls).
BD=$(dirname "$B")/bmcwatchd
P=$(dirname "$B")
BENCH_LIB_RELAY=0 . tests/bench-lib.sh
bench_daemon_dir "$T" "$PW"
NQ=${BENCH_PROF_Q:-200}
DPID=
trap '[ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null; sim_stop; rm -rf "$T"' EXIT
dconf() { bench_dconf "$T" 3 3600 "$1" 3600; }
# cg_start SEL_INTERVAL: the daemon under callgrind, until it is ready
cg_start() {
	dconf "$1" >"$T/d.conf"
	rm -rf "$T/state" "$T/archive" "$T/notify"
	python3 - "$T/notify" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.settimeout(600)
while b"READY=1" not in s.recv(4096):
    pass
PY
	_lp=$!
	_n=0
	while [ ! -S "$T/notify" ] && [ "$_n" -lt 100 ]; do
		_n=$((_n + 1))
		sleep 0.1
	done
	# callgrind creates its file before the daemon drops root, and
	# writes it after: a file the daemon's user may write, made first
	rm -f "$T/dcg.out"
	: >"$T/dcg.out"
	chmod 666 "$T/dcg.out"
	[ "$(id -u)" = 0 ] && chown "$DUSER" "$T/dcg.out"
	NOTIFY_SOCKET=$T/notify valgrind --tool=callgrind --vgdb=no \
	    --compress-strings=no --compress-pos=no \
	    --callgrind-out-file="$T/dcg.out" "$BD" -d -f "$T/d.conf" \
	    2>"$T/dcg.log" &
	DPID=$!
	wait "$_lp"
	_n=0
	while [ ! -s "$T/state/sel-big.state" ] && [ "$_n" -lt 600 ]; do
		_n=$((_n + 1))
		sleep 0.1
	done
	if ! kill -0 "$DPID" 2>/dev/null || [ ! -s "$T/state/sel-big.state" ]
	then
		echo "  the daemon under callgrind did not get ready"
		tail -5 "$T/dcg.log"
		return 1
	fi
}
# cg_stop: SIGTERM; CGF: the exit dump's file
cg_stop() {
	kill -TERM "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	CGF=$T/dcg.out
	DPID=
}
# cg_count FILE FN...: every instruction of the dump, then for each FN
# its calls and its inclusive instructions
cg_count() {
	_f=$1
	shift
	python3 - "$_f" "$@" <<'PY'
import re, subprocess, sys
f, fns = sys.argv[1], sys.argv[2:]
total, cur, calls = 0, None, dict((x, 0) for x in fns)
for line in open(f, errors="replace"):
    if line.startswith("summary:") or line.startswith("totals:"):
        total = max(total, int(line.split()[1]))
    elif line.startswith("cfn="):
        cur = re.sub(r"^\(\d+\) ", "", line[4:].strip())
    elif line.startswith("calls=") and cur is not None:
        if cur in calls:
            calls[cur] += int(line[6:].split()[0])
        cur = None
incl = dict((x, 0) for x in fns)
out = subprocess.run(["callgrind_annotate", "--inclusive=yes",
                      "--threshold=100", f], capture_output=True,
                     text=True).stdout
for line in out.splitlines():
    m = re.match(r"^\s*([\d,]+)\s+\([\s\d.]+%\)\s+\S*?:?(\w+)\s", line)
    if m and m.group(2) in incl and incl[m.group(2)] == 0:
        incl[m.group(2)] = int(m.group(1).replace(",", ""))
print(total, " ".join("%d %d" % (calls[x], incl[x]) for x in fns))
PY
}
# ask KIND N: N requests of KIND on one held connection; prints the ok
# answers
ask() {
	python3 - "$T/ctl.sock" "$2" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
buf, ok = b"", 0
for i in range(int(sys.argv[2])):
    s.sendall(sys.argv[3].encode() + b"\n")
    while True:
        nl = buf.find(b"\n")
        if nl >= 0:
            hdr = buf[:nl].split()
            need = nl + 1 + int(hdr[-1])
            if len(buf) >= need:
                ok += hdr[0] == b"ok"
                buf = buf[need:]
                break
        buf += s.recv(1 << 20)
print(ok)
PY
}
echo "Instructions (callgrind Ir) in the daemon, one target of $N sensors"
W=${BENCH_PROF_SEL_S:-45}
sel_run() {
	cg_start 3 || return 1
	sleep "$1"
	cg_stop
	cg_count "$CGF" selmon_start
}
if a=$(sel_run 5) && b=$(sel_run $((5 + W))); then
	python3 - $a $b <<'PY'
import sys
ia, pa, _, ib, pb, _ = map(int, sys.argv[1:])
print("  SEL poll, nothing new: %d instructions per poll (two runs: %d "
      "polls in %d, %d polls in %d instructions)"
      % ((ib - ia) // max(pb - pa, 1), pa, ia, pb, ib))
PY
fi
sock_run() {
	cg_start 3600 || return 1
	case $1 in
	plugin)
		_ok=0
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			"$P/check_bmc_sensors" -S "$T/ctl.sock" >/dev/null &&
			    _ok=$((_ok + 1))
		done
		# and the plugin's own instructions, one run
		valgrind --tool=callgrind --callgrind-out-file="$T/pcg" \
		    "$P/check_bmc_sensors" -S "$T/ctl.sock" >/dev/null \
		    2>"$T/pcg.err" && _ok=$((_ok + 1)) ;;
	*)	_ok=$(ask "$1 format=json" "$NQ") ;;
	esac
	cg_stop
	echo "$_ok $(cg_count "$CGF" ctl_client_request ctl_accept \
	    ctl_client_io)"
}
for k in sensors targets plugin; do
	if r=$(sock_run "$k"); then
		python3 - "$k" "$N" $r <<'PY'
import sys
k, n = sys.argv[1], int(sys.argv[2])
ok, _, nreq, _, _, acc, _, io = map(int, sys.argv[3:])
per = (acc + io) // max(nreq, 1)
what = {"sensors": "`sensors format=json` (%d sensors), one held "
                   "connection" % n,
        "targets": "`targets format=json`, one held connection",
        "plugin": "check_bmc_sensors -S, a process each (connect, "
                  "request, close)"}[k]
print("  socket, %s: %d per request (%d requests, %d answered ok)%s"
      % (what, per, nreq, ok, "; %d per sensor" % (per // max(n, 1))
         if k == "sensors" else ""))
PY
	fi
done
[ -s "$T/pcg.err" ] &&
    echo "  check_bmc_sensors -S itself (the plugin process, start to" \
    "exit): $(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$T/pcg.err")" \
    "instructions"

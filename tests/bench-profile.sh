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

# The daemon's SEL poll with nothing new and its control socket, by
# callgrind on a running bmcwatchd (one target, the same sim): counters
# zeroed once it has swept and archived the SEL (callgrind_control -z),
# then dumped after a phase (-d), so a figure holds only that phase.
#   SEL phase: sel-interval 1, sensors and chassis every hour, nothing
#     added to the SEL: every instruction of the daemon over the phase
#     (the loop waking, timers, the poll's request and answer, the state
#     file not rewritten) divided by the polls begun (selmon_start's
#     calls in the same dump);
#   socket phase: sel-interval an hour too; BENCH_PROF_Q `sensors
#     format=json` requests on one held connection, then as many
#     `targets` requests, then check_bmc_sensors -S 10 times (a process
#     each, which the daemon sees as a connection, a request and a
#     close): each divided by the requests the daemon handled
#     (ctl_client_request's calls).
BD=$(dirname "$B")/bmcwatchd
P=$(dirname "$B")
BENCH_LIB_RELAY=0 . tests/bench-lib.sh
bench_daemon_dir "$T" "$PW"
NQ=${BENCH_PROF_Q:-200}
DPID=
trap '[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null; [ -n "$DPID" ] && wait "$DPID" 2>/dev/null; sim_stop; rm -rf "$T"' EXIT
dconf() {
	cat <<EOC
socket "$T/ctl.sock"
state-dir "$T/state"
archive-dir "$T/archive"
user "$DUSER"
target "big" {
	interface lanplus  host "127.0.0.1"  port $SIM_PORT
	username "admin"  password-file "$T/pw"  privilege admin
	cipher-suite 3  workaround no-cipher-suites  timeout 5
	sensor-interval 3600  sel-interval $1  chassis-interval 3600
}
EOC
}
# tgt FIELD: the target's field in `targets --json`
tgt() {
	"$B" -S "$T/ctl.sock" --json targets 2>/dev/null | python3 -c \
	    'import json,sys; t=json.load(sys.stdin)["targets"][0]; print(t[sys.argv[1]])' \
	    "$1" 2>/dev/null
}
# cg_start SEL_INTERVAL: the daemon under callgrind, until it has swept
cg_start() {
	dconf "$1" >"$T/d.conf"
	rm -f "$T"/dcg.*
	valgrind --tool=callgrind --compress-strings=no --compress-pos=no \
	    --callgrind-out-file="$T/dcg.%p" "$BD" -d -f "$T/d.conf" \
	    2>"$T/dcg.log" &
	DPID=$!
	_end=$(( $(date +%s) + 300 ))
	until [ "$(tgt sweeps 2>/dev/null)" = 1 ] 2>/dev/null &&
	    [ "$(tgt state)" = up ]; do
		if ! kill -0 "$DPID" 2>/dev/null ||
		    [ "$(date +%s)" -gt "$_end" ]; then
			echo "  the daemon under callgrind did not sweep"
			tail -5 "$T/dcg.log"
			return 1
		fi
		sleep 0.5
	done
	# the first SEL poll (a full read) over as well
	sleep 3
}
cg_stop() {
	kill -TERM "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=
}
# cg_dump: zeroed before, dumped now: the newest dump file
cg_dump() {
	callgrind_control -d "$DPID" >/dev/null 2>&1
	ls -t "$T"/dcg."$DPID".* 2>/dev/null | head -n 1
}
# cg_count FILE FN: "Ir calls": every instruction of the dump, and the
# calls of the function FN in it
cg_count() {
	python3 - "$1" "$2" <<'PY'
import re, sys
total, calls, cur = 0, 0, None
for line in open(sys.argv[1], errors="replace"):
    if line.startswith("summary:") or line.startswith("totals:"):
        total = max(total, int(line.split()[1]))
    elif line.startswith("cfn="):
        cur = line[4:].strip()
    elif line.startswith("calls=") and cur is not None:
        if re.sub(r"^\(\d+\) ", "", cur) == sys.argv[2]:
            calls += int(line[6:].split()[0])
        cur = None
print(total, calls)
PY
}
echo "Instructions (callgrind Ir) in the daemon, one target of $N sensors"
if cg_start 1; then
	callgrind_control -z "$DPID" >/dev/null 2>&1
	sleep "${BENCH_PROF_SEL_S:-30}"
	f=$(cg_dump)
	read -r ir polls <<<"$(cg_count "$f" selmon_start)"
	cg_stop
	python3 -c "import sys; ir, p = map(int, sys.argv[1:]); \
print('  SEL poll, nothing new: %d instructions over %d polls = %d per poll' % (ir, p, ir // max(p, 1)))" \
	    "${ir:-0}" "${polls:-0}"
fi
if cg_start 3600; then
	callgrind_control -z "$DPID" >/dev/null 2>&1
	python3 - "$T/ctl.sock" "$NQ" "sensors format=json" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
buf = b""
for i in range(int(sys.argv[2])):
    s.sendall(sys.argv[3].encode() + b"\n")
    while True:
        nl = buf.find(b"\n")
        if nl >= 0:
            need = nl + 1 + int(buf[:nl].split()[-1])
            if len(buf) >= need:
                buf = buf[need:]
                break
        buf += s.recv(1 << 20)
PY
	f=$(cg_dump)
	read -r ir_s n_s <<<"$(cg_count "$f" ctl_client_request)"
	callgrind_control -z "$DPID" >/dev/null 2>&1
	python3 - "$T/ctl.sock" "$NQ" "targets format=json" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
buf = b""
for i in range(int(sys.argv[2])):
    s.sendall(sys.argv[3].encode() + b"\n")
    while True:
        nl = buf.find(b"\n")
        if nl >= 0:
            need = nl + 1 + int(buf[:nl].split()[-1])
            if len(buf) >= need:
                buf = buf[need:]
                break
        buf += s.recv(1 << 20)
PY
	f=$(cg_dump)
	read -r ir_t n_t <<<"$(cg_count "$f" ctl_client_request)"
	callgrind_control -z "$DPID" >/dev/null 2>&1
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		"$P/check_bmc_sensors" -S "$T/ctl.sock" >/dev/null
	done
	f=$(cg_dump)
	read -r ir_p n_p <<<"$(cg_count "$f" ctl_client_request)"
	cp "$f" "$T/plugin.cg"
	valgrind --tool=callgrind --callgrind-out-file="$T/pcg" \
	    "$P/check_bmc_sensors" -S "$T/ctl.sock" >/dev/null 2>"$T/pcg.err"
	ir_pp=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$T/pcg.err")
	cg_stop
	python3 - "$N" "${ir_s:-0}" "${n_s:-0}" "${ir_t:-0}" "${n_t:-0}" \
	    "${ir_p:-0}" "${n_p:-0}" "${ir_pp:-0}" <<'PY'
import sys
n, ir_s, n_s, ir_t, n_t, ir_p, n_p, ir_pp = map(int, sys.argv[1:])
d = lambda a, b: a // max(b, 1)
print("  socket, `sensors format=json` (%d sensors), one held connection: "
      "%d per request (%d requests); %d per sensor" % (n, d(ir_s, n_s), n_s,
                                                      d(ir_s, n_s) // max(n, 1)))
print("  socket, `targets format=json`, one held connection: %d per "
      "request (%d requests)" % (d(ir_t, n_t), n_t))
print("  check_bmc_sensors -S: the daemon %d per run (%d requests, "
      "connection and close included); the plugin process itself %d"
      % (d(ir_p, n_p), n_p, ir_pp))
PY
	echo "  most costly in the daemon for check_bmc_sensors (inclusive):"
	callgrind_annotate --inclusive=yes "$T/plugin.cg" 2>/dev/null |
	    grep -E 'agent/|plugins/|\?\?\?:' |
	    sed -n 's/^ *[0-9,]* *(\([ 0-9.]*%\)) *\([^ ]*\).*/\1 \2/p' |
	    sed 's|[^ ]*/||; s|???:||' | awk '!seen[$2]++' | head -14 |
	    sed 's/^/    /'
fi

#!/bin/bash
# make bench (tests/bench.sh runs it): bmcwatchd with one target of
# about 120 sensors (tests/sim/mkbig.py) on a simulated BMC, measured in
# one run:
#   - resident memory (VmRSS) after it has swept;
#   - CPU per sweep: utime + stime from /proc/PID/stat over N sweeps;
#   - the time to answer `sensors` from memory through the socket (a
#     client holding one connection; and a whole `bmcwatch -S` process),
#     against `ipmitool sensor list` reading the same sensors from the
#     BMC, as ratios; and the socket's answer time with the BMC frozen.
# Figures are reported, never asserted.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
BENCH_LIB_RELAY=0 . tests/bench-lib.sh
B=${BMCWATCH:-build/bmcwatch}
BD=$(dirname "$B")/bmcwatchd
SWEEPS=${BENCH_SWEEPS:-20}
NQ=${BENCH_QUERIES:-200}
NI=${BENCH_NI:-10}
T=$(mktemp -d "${TMPDIR:-/tmp}/benchd.XXXXXX") || exit 1
DPID=
cleanup() {
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null
	[ -n "$DPID" ] && wait "$DPID" 2>/dev/null
	[ -n "${SIM_PID:-}" ] && kill -CONT "$SIM_PID" 2>/dev/null
	sim_stop
	rm -rf "$T"
}
trap cleanup EXIT
bench_big_sim "$T" || exit 1
bench_daemon_dir "$T" "$(sim_pwfile admin)"
bench_dconf "$T" 1 1 60 60 >"$T/d.conf"
"$BD" -d -f "$T/d.conf" 2>"$T/d.log" &
DPID=$!
health() {
	"$B" -S "$T/ctl.sock" --json targets 2>/dev/null | python3 -c \
	    'import json,sys; t=json.load(sys.stdin)["targets"][0]; print(t[sys.argv[1]])' \
	    "$1" 2>/dev/null
}
end=$(( $(date +%s) + 60 ))
while [ "$(health sweeps)" = "" ] || [ "$(health sweeps)" -lt 2 ]; do
	if ! kill -0 "$DPID" 2>/dev/null || [ "$(date +%s)" -gt "$end" ]; then
		echo "bench-daemon: the daemon did not sweep"
		cat "$T/d.log"
		exit 1
	fi
	sleep 0.2
done
nsens=$("$B" -S "$T/ctl.sock" --json sensors |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sensors"]))')
rss=$(bench_rss "$DPID")
hz=$(getconf CLK_TCK)
cpu() { bench_cpu "$DPID"; }
s0=$(health sweeps)
c0=$(cpu)
r0=$(health counters | python3 -c 'import sys,ast; print(ast.literal_eval(sys.stdin.read())["requests"])')
while [ "$(health sweeps)" -lt $((s0 + SWEEPS)) ]; do
	sleep 0.2
done
s1=$(health sweeps)
c1=$(cpu)
r1=$(health counters | python3 -c 'import sys,ast; print(ast.literal_eval(sys.stdin.read())["requests"])')
sweep_ms=$(health sweep_ms)
rss2=$(bench_rss "$DPID")
# where the resident memory is: anonymous (heap, stacks, library data)
# or file pages of the program and its libraries, the share of libcurl
# and what only it pulls in (TLS, Kerberos, LDAP, ...), and PSS
bench_mem_split "$DPID" >"$T/memsplit"

# answers: one held connection (the plugin's way), then whole processes
asktime() {
	python3 - "$T/ctl.sock" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
n = int(sys.argv[2])
times = []
buf = b""
for i in range(n):
    t0 = time.perf_counter()
    s.sendall(b"sensors format=json\n")
    while True:
        nl = buf.find(b"\n")
        if nl >= 0:
            hdr = buf[:nl].split()
            need = nl + 1 + int(hdr[-1])
            if len(buf) >= need:
                buf = buf[need:]
                break
        buf += s.recv(1 << 20)
    times.append((time.perf_counter() - t0) * 1000)
    if i % 200 == 199:
        s.close()
        s = socket.socket(socket.AF_UNIX)
        s.connect(sys.argv[1])
times.sort()
print("%.3f %.3f" % (times[len(times) // 2], times[-1]))
PY
}
read -r q_med q_max <<<"$(asktime "$NQ")"
t0=$(date +%s%N)
for _ in $(seq 20); do
	"$B" -S "$T/ctl.sock" --json sensors >/dev/null
done
t1=$(date +%s%N)
cli_ms=$(( (t1 - t0) / 20000000 ))
t0=$(date +%s%N)
for _ in $(seq "$NI"); do
	sim_ipmitool sensor list >/dev/null 2>&1
done
t1=$(date +%s%N)
it_ms=$(( (t1 - t0) / NI / 1000000 ))
kill -STOP "$SIM_PID"
read -r f_med f_max <<<"$(asktime 50)"
kill -CONT "$SIM_PID"

python3 - "$nsens" "$rss" "$rss2" "$((c1 - c0))" "$hz" "$((s1 - s0))" \
    "$sweep_ms" "$((r1 - r0))" "$q_med" "$q_max" "$cli_ms" "$it_ms" \
    "$NI" "$f_med" "$f_max" "$NQ" "$T/memsplit" <<'PY'
import sys
(nsens, rss, rss2, ticks, hz, sweeps, sweep_ms, reqs, q_med, q_max, cli_ms,
 it_ms, ni, f_med, f_max, nq) = sys.argv[1:17]
nsens, rss, rss2, ticks, hz, sweeps = map(int, (nsens, rss, rss2, ticks, hz,
                                               sweeps))
cpu_ms = ticks * 1000.0 / hz / max(sweeps, 1)
print("bmcwatchd, one target of %d sensors (simulated BMC, lanplus suite 3)"
      % nsens)
print("  resident memory: %.1f MiB after the first sweeps, %.1f MiB after "
      "%d more (goal: under 8 MiB)" % (rss / 1024, rss2 / 1024, sweeps))
print("  " + open(sys.argv[-1]).read().strip())
print("  CPU per sweep: %.2f ms (utime+stime %d ticks at %s Hz over %d "
      "sweeps); %d requests per sweep; a sweep took %s ms"
      % (cpu_ms, ticks, hz, sweeps, int(reqs) // max(sweeps, 1), sweep_ms))
print("  sensors from the socket, one held connection: median %s ms, max "
      "%s ms over %s requests" % (q_med, q_max, nq))
print("  the same with the BMC frozen (SIGSTOP): median %s ms, max %s ms"
      % (f_med, f_max))
print("  `bmcwatch -S SOCK --json sensors` (a process each): %s ms" % cli_ms)
print("  `ipmitool sensor list` (a process and a session each, %s runs): "
      "%s ms" % (ni, it_ms))
print("  ratio ipmitool / socket answer: %.0fx (held connection), %.1fx "
      "(a bmcwatch process)" % (float(it_ms) / max(float(q_med), 0.001),
                                float(it_ms) / max(float(cli_ms), 1)))
PY

#!/bin/bash
# Scale benchmark (issue 15): one bmcwatchd polling BENCH_SIMS (default
# 100) simulated BMCs over lanplus, each an ipmi_sim of about 120 sensors
# (tests/sim/mkbig.py) on its own loopback port, sensors every
# BENCH_INTERVAL (default 10) seconds.  The bench starts and stops the
# sims.  Once every target has swept twice, over BENCH_WINDOW (default
# 60) seconds it measures the daemon's CPU (utime + stime from
# /proc/PID/stat over wall time: 100% = one core), its resident memory at
# the start and the end of the window (growth across sweeps), every
# target's freshness (state up, last success younger than two intervals)
# and requests per sweep from the daemon's counters, and the control
# socket's answer time with all targets (`targets`, one target's
# `sensors`, every target's sensors) and of the plugins
# check_bmc_sensors and check_bmc_agent through it, and the whole
# BMCWATCH-MIB walked with snmpbulkwalk through a private snmpd
# (tests/integration/snmp_lib.sh, as the SNMP tests and bench-snmp.sh
# set it up) to which the daemon's subagent is attached; the subagent's
# own CPU and memory beside the daemon's.  The memory per
# target is (RSS with N targets - RSS with one) / (N - 1), the one-target
# RSS measured first in the same run.
# Figures are reported, never asserted.  Needs about 25 MB of memory
# per sim.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/integration/lib.sh
. tests/integration/daemon_lib.sh
. tests/integration/snmp_lib.sh
BENCH_LIB_RELAY=0 . tests/bench-lib.sh
MIB=.1.3.6.1.4.1.8072.9999.623
B=${BMCWATCH:-build/bmcwatch}
BD=$(dirname "$B")/bmcwatchd
NS=${BENCH_SIMS:-100}
IV=${BENCH_INTERVAL:-10}
WIN=${BENCH_WINDOW:-60}
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench-scale.XXXXXX") || exit 1
DPID=
cleanup() {
	[ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null
	[ -n "$DPID" ] && wait "$DPID" 2>/dev/null
	snmp_cleanup
	for f in "$T"/sim*/info; do
		[ -f "$f" ] || continue
		read -r _ pid _ <"$f"
		kill -TERM "$pid" 2>/dev/null
	done
	for f in "$T"/sim*/info; do
		[ -f "$f" ] || continue
		read -r _ pid _ <"$f"
		_n=0
		while [ "$_n" -lt 30 ] && kill -0 "$pid" 2>/dev/null; do
			_n=$((_n + 1))
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
# the first sim the full way (tests/sim/lib.sh: its configuration
# compiled and validated); the others start from its files with their
# own ports and run directory, 8 at a time, each subshell leaving
# "PORT PID" behind
start_first() {
	SIM_RUNDIR=$T/sim000
	mkdir -p "$SIM_RUNDIR"
	bench_big_sim "$T" >"$SIM_RUNDIR/start.log" 2>&1 || exit 1
	echo "$SIM_PORT $SIM_PID $SIM_CONSOLE" >"$SIM_RUNDIR/info"
}
start_one() {
	d=$T/sim$1
	read -r port0 _ cons0 <"$T/sim000/info"
	mkdir -p "$d"
	for try in 1 2 3; do
		# shellcheck disable=SC2046
		set -- $(_sim_freeports udp tcp)
		sed "s|$T/sim000|$d|g" "$T/sim000/sim.emu" >"$d/sim.emu"
		cp "$T/sim000/sdr.emu" "$d/sdr.emu"
		sed "s|$T/sim000|$d|g; s|127.0.0.1 $port0\$|127.0.0.1 $1|;
		    s|127.0.0.1 $cons0\$|127.0.0.1 $2|" "$T/sim000/lan.conf" \
		    >"$d/lan.conf"
		(cd "$d" && exec ipmi_sim -c lan.conf -f sim.emu -p -n \
		    </dev/null >sim.log 2>&1) &
		pid=$!
		n=0
		while [ "$n" -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
			if ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$1" \
			    -U admin -f "$T/sim000/pw.admin" -L ADMINISTRATOR \
			    -N 1 -R 1 raw 6 1 >/dev/null 2>&1; then
				echo "$1 $pid $2" >"$d/info"
				return 0
			fi
			n=$((n + 1))
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		echo "try $try: ipmi_sim did not answer on $1" >>"$d/start.log"
	done
	return 1
}
t0=$(date +%s)
( start_first ) || { cat "$T/sim000/start.log"; exit 1; }
i=1
while [ "$i" -lt "$NS" ]; do
	j=0
	while [ "$j" -lt 8 ] && [ "$i" -lt "$NS" ]; do
		( start_one "$(printf %03d "$i")" ) &
		i=$((i + 1))
		j=$((j + 1))
	done
	wait
done
up=0
for f in "$T"/sim*/info; do [ -f "$f" ] && up=$((up + 1)); done
if [ "$up" -ne "$NS" ]; then
	echo "bench-scale: only $up of $NS sims started"
	cat "$T"/sim*/start.log 2>/dev/null | tail -20
	exit 1
fi
sims_s=$(( $(date +%s) - t0 ))
sim_rss=0
for f in "$T"/sim*/info; do
	read -r _ pid _ <"$f"
	r=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
	sim_rss=$((sim_rss + ${r:-0}))
done

bench_daemon_dir "$T" "$T/sim000/pw.admin"
snmp_setup
snmpd_start || { echo "bench-scale: snmpd did not start"; exit 1; }

# conf N: a daemon configuration with the first N sims as targets
conf() {
	echo "socket \"$T/ctl$1.sock\""
	echo "state-dir \"$T/state$1\""
	echo "archive-dir \"$T/archive$1\""
	echo "user \"$DUSER\""
	echo "snmp yes"
	echo "agentx-socket \"$S/agentx.sock\""
	k=0
	for f in "$T"/sim*/info; do
		[ "$k" -lt "$1" ] || break
		read -r port _ _ <"$f"
		cat <<EOC
target "bmc$k" {
	interface lanplus  host "127.0.0.1"  port $port
	username "admin"  password-file "$T/pw"  privilege admin
	cipher-suite 3  workaround no-cipher-suites  timeout 2
	sensor-interval $IV  sel-interval 60  chassis-interval 60
}
EOC
		k=$((k + 1))
	done
}
# targets_py EXPR: evaluate EXPR over t = the `targets` list
targets_py() {
	"$B" -S "$SOCK" --json targets 2>/dev/null | python3 -c "
import json, sys
t = json.load(sys.stdin)['targets']
print($1)" 2>/dev/null
}
rss() { bench_rss "$DPID"; }
cpu() { bench_cpu "$DPID"; }
# the daemon's SNMP subagent (its child bmcwatch-snmp)
sapid() {
	for _p in $(cat "/proc/$DPID/task/$DPID/children" 2>/dev/null); do
		[ "$(cat "/proc/$_p/comm" 2>/dev/null)" = bmcwatch-snmp ] &&
		    echo "$_p" && return 0
	done
	return 1
}
sa_cpu() { _sp=$(sapid) && bench_cpu "$_sp" || echo 0; }
sa_rss() { _sp=$(sapid) && bench_rss "$_sp" || echo 0; }
# run_daemon N: start it, wait until every target swept twice
run_daemon() {
	conf "$1" >"$T/d$1.conf"
	SOCK=$T/ctl$1.sock
	"$BD" -d -f "$T/d$1.conf" 2>"$T/d$1.log" &
	DPID=$!
	end=$(( $(date +%s) + 5 * IV + 120 ))
	while :; do
		m=$(targets_py 'min(x["sweeps"] for x in t)')
		[ -n "$m" ] && [ "$m" -ge 2 ] && break
		if ! kill -0 "$DPID" 2>/dev/null || [ "$(date +%s)" -gt "$end" ]
		then
			echo "bench-scale: the daemon with $1 targets did not" \
			    "sweep them all twice"
			tail -20 "$T/d$1.log"
			return 1
		fi
		sleep 1
	done
}
stop_daemon() {
	kill -TERM "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=
}

run_daemon 1 || exit 1
sleep "$IV"
rss1=$(rss)
stop_daemon

run_daemon "$NS" || exit 1
hz=$(getconf CLK_TCK)
r0=$(rss)
c0=$(cpu)
sc0=$(sa_cpu)
q0=$(targets_py 'sum(x["counters"]["requests"] for x in t)')
s0=$(targets_py 'sum(x["sweeps"] for x in t)')
w0=$(date +%s%N)
# look at freshness a few times during the window
stale_max=0
age_max=0
k=0
while [ $(( ($(date +%s%N) - w0) / 1000000000 )) -lt "$WIN" ]; do
	sleep 5
	a=$(targets_py 'max(x["last_success_age_s"] or 1e9 for x in t)')
	s=$(targets_py "sum(1 for x in t if x['state'] != 'up' or (x['last_success_age_s'] or 1e9) > 2 * $IV)")
	age_max=$(python3 -c "print(max($age_max, ${a:-1e9}))")
	[ "${s:-$NS}" -gt "$stale_max" ] && stale_max=${s:-$NS}
	k=$((k + 1))
done
w1=$(date +%s%N)
c1=$(cpu)
sc1=$(sa_cpu)
sr1=$(sa_rss)
r1=$(rss)
q1=$(targets_py 'sum(x["counters"]["requests"] for x in t)')
s1=$(targets_py 'sum(x["sweeps"] for x in t)')
nsens=$(targets_py 'sum(x["sensors"] for x in t)')
sweep_ms=$(targets_py 'sorted(x["sweep_ms"] for x in t)[len(t) // 2]')
fb=$(targets_py 'sum(x["counters"]["window_fallbacks"] for x in t)')
rt=$(targets_py 'sum(x["counters"]["retransmits"] for x in t)')
# the socket with every target: whole `bmcwatch -S` processes
tq0=$(date +%s%N)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$B" -S "$SOCK" --json targets >/dev/null
done
tq1=$(date +%s%N)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$B" -S "$SOCK" --target bmc0 --json sensors >/dev/null
done
tq2=$(date +%s%N)
# every target's sensors through the socket (the whole fleet's dump, a
# process per target since `sensors` answers for one), then the Nagios
# plugins through the socket: 10 processes each
: >"$T/dump.json"
for k in $(seq 0 $((NS - 1))); do
	"$B" -S "$SOCK" --target "bmc$k" --json sensors >>"$T/dump.json"
done
tq3=$(date +%s%N)
dump_n=$(grep -o '"name"' "$T/dump.json" | wc -l)
dump_b=$(wc -c <"$T/dump.json")
P=$(dirname "$B")
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$P/check_bmc_sensors" -S "$SOCK" --target bmc0 >"$T/cs.out"
done
tq4=$(date +%s%N)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	"$P/check_bmc_agent" -S "$SOCK" >"$T/ca.out"
done
tq5=$(date +%s%N)
cs_out=$(head -c 60 "$T/cs.out" | head -n 1)
ca_out=$(head -c 60 "$T/ca.out" | head -n 1)
# the whole BMCWATCH-MIB through snmpd, once the subagent has every
# target's sensors; 3 walks, the median
sbw() {
	snmpbulkwalk -v2c -c public -Cr50 -t 10 -r 1 -On -Oe \
	    "udp:127.0.0.1:$SNMP_PORT" "$@"
}
served() { [ "$(sbw "$MIB.1.3.1.3" 2>/dev/null | grep -c .)" -ge "$nsens" ]; }
wait_for 120 served || echo "bench-scale: the subagent did not serve all $nsens sensors in 120 s"
walks=""
for _ in 1 2 3; do
	tw0=$(date +%s%N)
	sbw "$MIB" >"$T/walk.txt" 2>"$T/walk.err"
	tw1=$(date +%s%N)
	walks="$walks $(( (tw1 - tw0) / 1000000 ))"
done
walk_n=$(grep -c . "$T/walk.txt")
walk_ms=$(printf '%s\n' $walks | sort -n | sed -n 2p)
walk_err=$(head -c 100 "$T/walk.err" | head -n 1)
load=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - <<PY
ns, iv, win = $NS, $IV, ($w1 - $w0) / 1e9
ticks, hz = $c1 - $c0, $hz
cpu = ticks / hz / win * 100
sweeps, reqs = $s1 - $s0, $q1 - $q0
print("Scale: one bmcwatchd, %d simulated BMCs over lanplus suite 3, "
      "%d sensors in all, sensors every %d s" % (ns, $nsens, iv))
print("  %d sims started in %d s (together %.0f MiB resident)"
      % (ns, $sims_s, $sim_rss / 1024))
print("  daemon CPU over %.0f s: %.1f%% of one core (%d ticks at %d Hz); "
      "its SNMP subagent %.1f%% (%d ticks)"
      % (win, cpu, ticks, hz, ($sc1 - $sc0) / hz / win * 100, $sc1 - $sc0))
print("  sweeps begun in the window: %d (%.2f per target, %.2f expected); "
      "%.1f requests per target and interval; median sweep %s ms"
      % (sweeps, sweeps / ns, win / iv, reqs / ns / (win / iv),
         "$sweep_ms"))
print("  every target fresh: %s (worst: %d not up or older than %d s at "
      "one look of %d; oldest last success %.1f s)"
      % ("yes" if $stale_max == 0 else "no", $stale_max, 2 * iv, $k,
         $age_max))
print("  retransmissions %d, window fallbacks %d" % ($rt, $fb))
print("  resident memory: %.1f MiB with 1 target; %.1f MiB with %d at "
      "the window's start, %.1f MiB at its end (growth %+d KiB)"
      % ($rss1 / 1024, $r0 / 1024, ns, $r1 / 1024, $r1 - $r0))
print("  memory per target: %.0f KiB ((RSS %d - RSS 1) / %d); the SNMP "
      "subagent %.1f MiB resident with %d targets"
      % (($r1 - $rss1) / max(ns - 1, 1), ns, ns - 1, $sr1 / 1024, ns))
print("  control socket, a bmcwatch process each: targets (all %d) "
      "%.1f ms, one target's sensors %.1f ms"
      % (ns, ($tq1 - $tq0) / 1e7, ($tq2 - $tq1) / 1e7))
print("  every target's sensors (a bmcwatch process per target): %.1f ms "
      "for all %d, %d sensors, %d bytes"
      % (($tq3 - $tq2) / 1e6, ns, $dump_n, $dump_b))
print("  check_bmc_sensors -S (one target): %.1f ms (%s)"
      % (($tq4 - $tq3) / 1e7, """$cs_out"""))
print("  check_bmc_agent -S (all %d targets): %.1f ms (%s)"
      % (ns, ($tq5 - $tq4) / 1e7, """$ca_out"""))
print("  (times: mean of 10 processes each, on this machine's load)")
print("  SNMP: snmpbulkwalk of the whole BMCWATCH-MIB through snmpd and the "
      "subagent: %d values in %d ms (median of 3: %s ms), %.0f us per value%s"
      % ($walk_n, $walk_ms, "$walks".strip(), $walk_ms * 1000.0 / max($walk_n, 1),
         "" if not """$walk_err""" else " (" + """$walk_err""" + ")"))
print("  load average at the end: $load (2 cores, shared)")
PY

#!/bin/bash
# SNMP benchmark (issue 10): one simulated BMC with >= 120 sensors
# (tests/sim/mkbig.py) behind a UDP relay that counts the datagrams sent
# to it, one private snmpd (tests/snmp/snmpd.conf.in) with bmcwatchd's
# subagent, all in the same run.  Requests come from one process
# (tests/snmp/rawsnmp.py: raw SNMPv2c, no process start, no MIB files).
#
# 1. Whole walk, GETNEXT, per value, BENCH_RUNS interleaved rounds (a
#    round walks every route in turn, so a load change hits all of a
#    round alike; figures are medians over the rounds):
#    (ours)  bmcwatch-snmp's tables (our MIB, entPhysicalTable,
#            entPhySensorTable), answered from the daemon's store;
#    (a)     the same sensors (name, reading, unit, state) served by
#            snmpd's pass_persist from a script calling ipmitool (`sdr
#            list` at the start of every walk, the usual do-it-yourself
#            setup; tests/snmp/pass_ipmitool.py);
#    (b)     snmpd's own built-in objects from mib-2 (.1.3.6.1.2.1) on,
#            ours and the pass_persist tree stepped over, exactly as
#            many values as (ours): the floor without the AgentX hop.
#    The ratio ours/(b) per value is taken per round (the two walks are
#    seconds apart), then its median, min and max over the rounds.
# 2. GETs while the BMC is frozen (SIGSTOP of the sim started here, by
#    pid): BENCH_GETS rounds of one GET of a sensor reading (ours) and
#    one of sysUpTime.0 (snmpd's own) in turn; p50/p99/max, goal p99 of
#    ours < 5 ms.  Wall-clock figures carry the load average.
# 2b. With strace: the syscalls the subagent makes over one walk of
#    ours (strace -c attached to it), per AgentX request (one recv
#    each): a figure load cannot change.
# 3. With valgrind: the subagent again, under callgrind (the daemon run
#    from a copy whose bmcwatch-snmp is a wrapper), sensor-interval 1 so
#    every sweep streams a snapshot, then GETs with the BMC frozen:
#    instructions per snapshot message (sa_message: wire_parse, then
#    sa_snapshot applying it) and per AgentX request answered
#    (handle_snmp_packet), and net-snmp's whole side of the loop per
#    AgentX request over a GETNEXT walk of entPhySensorTable (the
#    inclusive cost of snmp_select_info, select, snmp_read, snmp_timeout,
#    run_alarms and netsnmp_check_outstanding_agent_requests, divided by
#    the AgentX PDUs parsed: agentx_parse), figures load cannot change.
# BENCH_SUBAGENT names another subagent binary for all of it (e.g. an
# older build: the daemon runs from a copy with that one beside it).
# Not a test: nothing fails, it prints numbers.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/integration/lib.sh
. tests/integration/daemon_lib.sh
. tests/integration/snmp_lib.sh
RUNS=${BENCH_RUNS:-5}
NGET=${BENCH_GETS:-500}
MIB=.1.3.6.1.4.1.8072.9999.623
PASS=.1.3.6.1.4.1.8072.9999.9999.623	# the pass_persist script's tree
d_setup
snmp_setup
D_SIMS="a"
trap 'd_cleanup; snmp_cleanup' EXIT
SUB=$(realpath "${BENCH_SUBAGENT:-$(dirname "$BMCWATCHD")/bmcwatch-snmp}")
if [ -n "${BENCH_SUBAGENT:-}" ]; then
	mkdir -p "$W/sub" && cp "$BMCWATCHD" "$W/sub/bmcwatchd" &&
	    cp "$SUB" "$W/sub/bmcwatch-snmp" && chmod 755 "$W/sub" || exit 1
	BMCWATCHD=$W/sub/bmcwatchd
fi
python3 tests/sim/mkbig.py "$W/cfg" "${BENCH_EXTRA:-100}" >/dev/null || exit 1
sim_as a "$W/cfg/big.emu" || exit 1
d_relay a "$SIMPORT_a" || { echo "bench: relay" >&2; exit 1; }
# the pass_persist script talks to the BMC through the relay too
cat >"$W/pass.env" <<EOF
PASS_BASE=$PASS
PASS_IPMITOOL=ipmitool -I lanplus -C 3 -H 127.0.0.1 -p $RPORT_a -U admin -f $(sim_pwfile admin) -L ADMINISTRATOR
EOF
cp tests/snmp/snmpd.conf.in "$W/snmpd.conf.in"
echo "pass_persist $PASS /usr/bin/env BENCH_PASS_ENV=$W/pass.env python3 $PWD/tests/snmp/pass_ipmitool.py" \
    >>"$W/snmpd.conf.in"
TESTS_DIR_SAVE=$TESTS_DIR
mkdir -p "$W/t/snmp"
cp "$W/snmpd.conf.in" "$W/t/snmp/snmpd.conf.in"
TESTS_DIR=$W/t snmpd_start || { echo "bench: snmpd" >&2; exit 1; }
TESTS_DIR=$TESTS_DIR_SAVE
d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
# long intervals: the BMC datagrams counted during our walks are then
# the daemon's own polls only if one falls into a walk (none is caused
# by SNMP: the subagent answers from the store)
d_target a "$RPORT_a" 'sensor-interval 600  sel-interval 600
	chassis-interval 600  timeout 1' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
wait_for 60 d_fresh a sensors || { echo "bench: no sensors read" >&2; exit 1; }
N=$(d_ask --target a sensors | wc -l)
served() { [ "$(swalk "$MIB.1.3.1.3" 2>/dev/null | grep -c .)" = "$N" ]; }
wait_for 30 served || { echo "bench: the subagent serves no sensors" >&2; exit 1; }

N_SENS=$N
KEY=$(swalk "$MIB.1.3.1.3" | head -n 1 | sed 's/^[^ ]*\.\([0-9]*\) = .*/\1/')
sent() { d_rcount a to_bmc 2>/dev/null || echo 0; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
RAW="python3 $PWD/tests/snmp/rawsnmp.py"
# phases 2 and 3: the daemon polling the BMC every second
d_conf "$W/d2.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
d_target a "$RPORT_a" 'sensor-interval 1  sel-interval 600
	chassis-interval 600  timeout 1' >>"$W/d2.conf"
# a GET, not a walk: a GETNEXT past our (not yet registered) tree would
# reach the pass_persist script, whose ipmitool blocks snmpd for seconds
served_get() { sval "$MIB.1.3.1.15.1.$KEY" 2>/dev/null | grep -q '^-*[0-9]'; }
if [ "${BENCH_ONLY:-}" = cg ]; then
	d_stop
else
OURS_OIDS="$MIB.1.3,.1.3.6.1.2.1.47.1.1,.1.3.6.1.2.1.99.1.1"
NV=$($RAW walks "$SNMP_PORT" 1 "ours=$OURS_OIDS" | awk '{print $3}')
LOAD0=$(loadavg)
_a=$(sent)
SKIP=.1.3.6.1.2.1.47,.1.3.6.1.2.1.99,.1.3.6.1.4.1.8072.9999 \
    $RAW walks "$SNMP_PORT" "$RUNS" "ours=$OURS_OIDS" "a=$PASS" \
    "b=.1.3.6.1.2.1@$NV" >"$W/walks" || { echo "bench: walks" >&2; exit 1; }
_b=$(sent)
LOAD1=$(loadavg)

# 2b. syscalls per AgentX request over one more walk of ours
SYSC=
if command -v strace >/dev/null; then
	SUBPID=$(pgrep -P "$DPID" | head -n 1)
	strace -f -c -o "$W/strace.c" -p "$SUBPID" 2>"$W/strace.err" &
	STPID=$!
	attached() { grep -q attached "$W/strace.err"; }
	if wait_for 10 attached; then
		$RAW walks "$SNMP_PORT" 1 "ours=$OURS_OIDS" >/dev/null
		kill -INT "$STPID"
		wait "$STPID"
		SYSC=$(awk '$NF == "total" { t = $4 }
		    $NF == "recvfrom" || $NF == "recv" { r += $4 }
		    $NF ~ /select|poll/ { w += $4 }
		    END { if (r > 0) printf "%.2f syscalls (%.2f selects) per AgentX request, %d requests (recv)", t / r, w / r, r }' \
		    "$W/strace.c")
		SYSC="$SYSC; $(awk 'NR > 2 && $NF != "total" && $4 ~ /^[0-9]+$/ { printf "%s%s %s", s, $NF, $4; s = ", " }' "$W/strace.c")"
	else
		kill "$STPID" 2>/dev/null
	fi
fi

d_stop

# GETs while the BMC is frozen, the daemon polling it every second (its
# requests time out, its snapshots keep coming)
d_start "$W/d2.conf" || exit 1
wait_for 60 served_get || { echo "bench: the subagent serves no sensors" >&2; exit 1; }
kill -STOP "$SIMPID_a"
LOAD2=$(loadavg)
$RAW gets "$SNMP_PORT" "$NGET" "$MIB.1.3.1.15.1.$KEY" .1.3.6.1.2.1.1.3.0 \
    >"$W/gets"
LOAD3=$(loadavg)
kill -CONT "$SIMPID_a"

python3 tests/snmp/benchreport.py "$W/walks" "$N_SENS" "$W/gets" \
    "$((_b - _a))" "$LOAD0" "$LOAD1" "$LOAD2" "$LOAD3"
echo "  subagent $SUB, strace -c over one walk of ours: ${SYSC:-not measured (no strace, or it cannot attach)}"
d_stop
fi
# BENCH_ONLY=walk: phases 1 and 2 only
[ "${BENCH_ONLY:-}" = walk ] && exit 0

# 3. instruction counts of the subagent under callgrind
if ! command -v valgrind >/dev/null; then
	echo "  (valgrind not installed: no instruction counts)"
	exit 0
fi
CG=$(mktemp -d "${TMPDIR:-/tmp}/bw-cg.XXXXXX") || exit 1
chmod 777 "$CG"
trap 'd_cleanup; snmp_cleanup; rm -rf "$CG"' EXIT
mkdir "$CG/bin" || exit 1
cp "$BMCWATCHD" "$CG/bin/bmcwatchd" || exit 1
printf '#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s/cg.%%p %s "$@"\n' \
    "$CG" "$SUB" >"$CG/bin/bmcwatch-snmp"
chmod 755 "$CG/bin" "$CG/bin/bmcwatch-snmp"
BMCWATCHD=$CG/bin/bmcwatchd d_start "$W/d2.conf" || exit 1
wait_for 120 served_get || { echo "bench: callgrind subagent serves nothing" >&2; exit 1; }
sweeps() { d_health a sweeps; }
SW0=$(sweeps)
more_sweeps() { [ "$(sweeps)" -ge "$((SW0 + 20))" ]; }
wait_for 120 more_sweeps
kill -STOP "$SIMPID_a"
$RAW gets "$SNMP_PORT" "${BENCH_CG_GETS:-200}" "$MIB.1.3.1.15.1.$KEY" >/dev/null
kill -CONT "$SIMPID_a"
$RAW walks "$SNMP_PORT" 1 "ent=.1.3.6.1.2.1.99.1.1" >/dev/null
# callgrind writes its file when the subagent ends by a signal it does
# not catch: SIGTERM it (the daemon's child, by pid) before the daemon
# stops, which SIGKILLs what is left
kill -TERM "$(pgrep -P "$DPID" | head -n 1)"
cgdone() { grep -qs '^totals:' "$CG"/cg.*; }
wait_for 120 cgdone || { echo "bench: no callgrind output" >&2; exit 1; }
d_stop
f=$(grep -ls '^totals:' "$CG"/cg.* | head -n 1)
echo "  instructions (callgrind Ir) in the subagent $SUB, per call;" \
    "wire_parse: one per snapshot message, the tdata calls: rows added" \
    "and removed, handle_snmp_packet: one per AgentX request; all in all" \
    "(start-up included): $(sed -n 's/^totals: //p' "$f")"
python3 tests/snmp/cgcalls.py "$f" wire_parse netsnmp_tdata_add_row \
    netsnmp_tdata_remove_and_delete_row handle_snmp_packet sa_table_handler |
    while read -r fn calls ir; do
	printf '    %-20s %12d (%d calls)\n' "$fn" \
	    "$((ir / (calls > 0 ? calls : 1)))" "$calls"
    done
python3 tests/snmp/cgcalls.py "$f" agentx_parse snmp_select_info select \
    snmp_read snmp_timeout run_alarms netsnmp_check_outstanding_agent_requests |
    awk '$1 == "agentx_parse" { n = $2; next } { s += $3 }
	END { printf "    net-snmp side of the loop per AgentX request: %d (%d requests; the GETs and a GETNEXT walk of entPhySensorTable)\n", s / (n > 0 ? n : 1), n }'

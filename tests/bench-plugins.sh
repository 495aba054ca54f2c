#!/bin/bash
# Plugin benchmark (issue 11): on one simulated BMC with >= 120 sensors
# (tests/sim/mkbig.py), in the same run, the median wall time of
# check_bmc_sensors (socket mode: bmcwatchd already watches the BMC)
# against check_ipmi_sensor --nosel (Debian's monitoring-plugins-contrib:
# FreeIPMI's ipmi-sensors, a new session and SDR cache check per run),
# and the ratio; the goal is socket mode at least 100 times faster.
# SNMP mode (-H) is measured when the plugins are built with the SNMP
# source.  Not a test: nothing fails, it prints numbers.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/integration/lib.sh
. tests/integration/daemon_lib.sh
RUNS=${BENCH_RUNS:-21}
CRUNS=${BENCH_CIS_RUNS:-5}
CIS=${CHECK_IPMI_SENSOR:-/usr/lib/nagios/plugins/check_ipmi_sensor}
PLUG=$(dirname "$BMCWATCH")
d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
python3 tests/sim/mkbig.py "$W/cfg" "${BENCH_EXTRA:-90}" >/dev/null || exit 1
sim_as a "$W/cfg/big.emu" || exit 1
d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 10  sel-interval 60
	chassis-interval 30  timeout 1' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
wait_for 60 d_fresh a sensors || { echo "bench: no sensors read" >&2; exit 1; }
N=$(d_ask --target a sensors | wc -l)
# times NAME RUNS CMD...: "NAME|exit|first line|us us ..." to
# $W/results; timed in one python process (a `date` per run would cost
# more than the plugin)
times() {
	_n=$1 _r=$2
	shift 2
	python3 - "$_n" "$_r" "$@" >>"$W/results" <<'PY'
import subprocess, sys, time
name, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
ts = []
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    ts.append(int((time.perf_counter() - t0) * 1e6))
first = p.stdout.decode(errors="replace").split("\n")[0].split("|")[0][:50]
print("%s|%d|%s|%s" % (name, p.returncode, first, " ".join(map(str, ts))))
PY
}
: >"$W/results"
times "check_bmc_sensors (socket)" "$RUNS" "$PLUG/check_bmc_sensors" \
    -S "$W/ctl.sock"
times "/bin/true (process start)" "$RUNS" /bin/true
if [ -x "$CIS" ]; then
	sim_use a
	printf 'username admin\npassword %s\nprivilege-level ADMIN\n' \
	    "$(sim_password admin)" >"$W/fi.conf"
	chmod 600 "$W/fi.conf"
	mkdir -p "$W/fcache"
	times "check_ipmi_sensor --nosel" "$CRUNS" "$CIS" \
	    -H "127.0.0.1:$SIMPORT_a" -f "$W/fi.conf" --nosel --nosudo \
	    -O "-I 3 -W opensesspriv --sdr-cache-directory $W/fcache"
fi
python3 - "$W/results" "$N" <<'PY'
import statistics, sys
rows = []
for line in open(sys.argv[1]):
    name, rc, first, ts = line.rstrip("\n").split("|")
    t = [int(x) / 1000.0 for x in ts.split()]
    rows.append((name, rc, first, statistics.median(t), len(t)))
print("Nagios plugin, simulated BMC with %s sensors: median wall time" % sys.argv[2])
for name, rc, first, ms, n in rows:
    print("  %-30s %9.2f ms  (%d runs, exit %s: %s)" % (name, ms, n, rc, first))
if len(rows) == 3:
    r = rows[2][3] / max(rows[0][3], 1e-6)
    print("  ratio check_ipmi_sensor / check_bmc_sensors: %.0fx (goal >= 100x: %s)"
          % (r, "met" if r >= 100 else "NOT met"))
else:
    print("  check_ipmi_sensor not installed (monitoring-plugins-contrib): no ratio")
print("  check_bmc_sensors over SNMP (-H): not measured: the plugins are "
      "built without the SNMP source")
PY
d_stop

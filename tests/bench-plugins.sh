#!/bin/bash
# Plugin benchmark (issue 11): on one simulated BMC with >= 120 sensors
# (tests/sim/mkbig.py), in the same run, the median wall time of
# check_bmc_sensors (socket mode: bmcwatchd already watches the BMC)
# against check_ipmi_sensor --nosel (Debian's monitoring-plugins-contrib:
# FreeIPMI's ipmi-sensors, a new session and SDR cache check per run),
# and check_bmc_sensors in SNMP mode (-H: a private snmpd on 127.0.0.1
# fed by bmcwatch-snmp, v2c and v3 authPriv), and the ratios; the goal
# is socket mode at least 100 times faster.  Not a test: nothing fails,
# it prints numbers.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/integration/lib.sh
. tests/integration/daemon_lib.sh
. tests/integration/snmp_lib.sh
RUNS=${BENCH_RUNS:-21}
CRUNS=${BENCH_CIS_RUNS:-5}
CIS=${CHECK_IPMI_SENSOR:-/usr/lib/nagios/plugins/check_ipmi_sensor}
PLUG=$(dirname "$BMCWATCH")
d_setup
snmp_setup
D_SIMS="a"
trap 'd_cleanup; snmp_cleanup' EXIT
SNMPD_EXTRA="createUser bench SHA-256 benchauthpass AES benchprivpass
rouser bench priv"
snmpd_start || exit 1
printf 'public\n' >"$W/community"
printf 'user=bench\nauth=SHA-256\nauthpass=benchauthpass\npriv=AES\nprivpass=benchprivpass\n' \
    >"$W/v3"
chmod 600 "$W/community" "$W/v3"
python3 tests/sim/mkbig.py "$W/cfg" "${BENCH_EXTRA:-90}" >/dev/null || exit 1
sim_as a "$W/cfg/big.emu" || exit 1
d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
d_target a "$SIMPORT_a" 'sensor-interval 10  sel-interval 60
	chassis-interval 30  timeout 1' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
wait_for 60 d_fresh a sensors || { echo "bench: no sensors read" >&2; exit 1; }
N=$(d_ask --target a sensors | wc -l)
snmp_rows() {
	[ "$(swalk .1.3.6.1.4.1.8072.9999.623.1.3.1.3 2>/dev/null |
	    grep -c .)" -ge "$N" ]
}
wait_for 60 snmp_rows || { echo "bench: the subagent serves no sensors" >&2; exit 1; }
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
times "check_bmc_sensors (SNMP v2c)" "$RUNS" "$PLUG/check_bmc_sensors" \
    -H 127.0.0.1 -p "$SNMP_PORT" -C "$W/community"
times "check_bmc_sensors (SNMP v3)" "$RUNS" "$PLUG/check_bmc_sensors" \
    -H 127.0.0.1 -p "$SNMP_PORT" --v3-file "$W/v3"
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
ms = {r[0]: r[3] for r in rows}
cis = ms.get("check_ipmi_sensor --nosel")
if cis is None:
    print("  check_ipmi_sensor not installed (monitoring-plugins-contrib): no ratio")
else:
    for mode in ("socket", "SNMP v2c", "SNMP v3"):
        m = ms["check_bmc_sensors (%s)" % mode]
        r = cis / max(m, 1e-6)
        print("  ratio check_ipmi_sensor / check_bmc_sensors (%s): %.0fx%s"
              % (mode, r, (" (goal >= 100x: %s)" % ("met" if r >= 100 else
                 "NOT met")) if mode == "socket" else ""))
PY
d_stop

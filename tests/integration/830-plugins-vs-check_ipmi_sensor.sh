#!/bin/bash
# check_bmc_sensors against check_ipmi_sensor (Debian's
# monitoring-plugins-contrib, FreeIPMI's ipmi-sensors underneath) on the
# same simulated BMC, for the same states set at runtime: nominal, fans
# below lower non-critical and lower critical, a voltage above upper
# critical, temperatures above upper non-critical and critical, and
# those back: the same exit code each time, and the same state for every
# sensor check_ipmi_sensor rates (Nominal/Warning/Critical; -vv lines
# against check_bmc_sensors -v).
# FreeIPMI (1.6, Debian 12) rates a crossed non-critical threshold
# Nominal; the daemon's built-in table says warning, as the BMC's own
# threshold class does.  So: with the built-in table the verdicts are
# equal except for exactly the non-critical sensors (asserted as such);
# with a severity file that rates non-critical crossings ok (FreeIPMI's
# view) they are equal for every state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

CIS=${CHECK_IPMI_SENSOR:-/usr/lib/nagios/plugins/check_ipmi_sensor}
[ -x "$CIS" ] || skip_all "check_ipmi_sensor not installed (Debian: monitoring-plugins-contrib)"
command -v ipmi-sensors >/dev/null 2>&1 || skip_all "ipmi-sensors not installed (freeipmi-tools)"
d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
sim_as a || { not_ok "sim a"; exit 1; }
d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 5
	chassis-interval 5  timeout 1' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
sim_use a
printf 'username admin\npassword %s\nprivilege-level ADMIN\n' \
    "$(sim_password admin)" >"$W/fi.conf"
chmod 600 "$W/fi.conf"
mkdir -p "$W/fcache"
cis() {
	"$CIS" -H "127.0.0.1:$SIMPORT_a" -f "$W/fi.conf" --nosel --nosudo \
	    -O "-I 3 -W opensesspriv --sdr-cache-directory $W/fcache" "$@"
}

# same LABEL RC [CISRC SENSOR...]: wait until check_bmc_sensors exits RC
# (the daemon's next sweep), then compare with check_ipmi_sensor, sensor
# by sensor; CISRC and the SENSORs rated differently, when the built-in
# table and FreeIPMI disagree on non-critical thresholds
same() {
	_sl=$1 _src=$2 _scis=${3:-$2}
	shift 2
	[ $# -gt 0 ] && shift
	wait_for 30 plug_rc "$_src" check_bmc_sensors
	plug check_bmc_sensors -v
	cp "$W/p.out" "$W/ours.txt"
	cis -vv >"$W/cis.txt" 2>&1
	_crc=$?
	check_eq "$_sl: exit codes (ours $P_RC, check_ipmi_sensor $_crc)" "$P_RC:$_crc" "$_src:$_scis"
	if python3 - "$W/ours.txt" "$W/cis.txt" "$@" >"$W/cmp.txt" 2>&1 <<'PY'
import re, sys
ours = {}
for l in open(sys.argv[1]).read().split("\n")[1:]:
    m = re.match(r"^(OK|WARNING|CRITICAL|UNKNOWN): (.+?)(?: -?[0-9.]+ [A-Za-z% ]*(?: \(.*\))?| \(.*\)|: .*)?$", l)
    if m:
        ours[m.group(2)] = m.group(1)
word = {"Nominal": "OK", "Warning": "WARNING", "Critical": "CRITICAL"}
n, bad, differ = 0, [], set(sys.argv[3:])
for l in open(sys.argv[2]):
    m = re.match(r"^(.+?) = .* \(Status: (\w+)\)$", l.strip())
    if not m or m.group(2) not in word:
        continue
    n += 1
    got = ours.get(m.group(1))
    if m.group(1) in differ:
        # FreeIPMI: Nominal; ours: warning (non-critical crossed)
        if (got, m.group(2)) != ("WARNING", "Nominal"):
            bad.append("%s: ours %s, check_ipmi_sensor %s; expected WARNING/Nominal" % (m.group(1), got, m.group(2)))
        differ.discard(m.group(1))
    elif got != word[m.group(2)]:
        bad.append("%s: ours %s, check_ipmi_sensor %s" % (m.group(1), got, m.group(2)))
bad += ["%s: not rated by check_ipmi_sensor" % x for x in differ]
print("%d sensors compared%s" % (n, ", %d non-critical rated WARNING/Nominal" % len(sys.argv[3:]) if sys.argv[3:] else ""))
for b in bad:
    print(b)
sys.exit(1 if bad or n == 0 else 0)
PY
	then ok "$_sl: every sensor's state as check_ipmi_sensor rates it ($(head -n 1 "$W/cmp.txt"))"
	else
		not_ok "$_sl: sensor states differ from check_ipmi_sensor"
		show_file "$W/cmp.txt"
		show_file "$W/cis.txt"
	fi
}

scenarios() {
	_t=$1	# "builtin" or "freeipmi"
	same "$_t: nominal" 0
	sim_set_value 0x0a 9 >/dev/null		# FAN3 900 RPM < lnc 1000
	if [ "$_t" = builtin ]; then same "$_t: FAN3 below lnc" 1 0 FAN3
	else same "$_t: FAN3 below lnc" 0; fi
	sim_set_value 0x0b 6 >/dev/null		# FAN4 600 RPM < lc 700
	if [ "$_t" = builtin ]; then same "$_t: FAN4 below lc" 2 2 FAN3
	else same "$_t: FAN4 below lc" 2; fi
	sim_set_value 0x0a 0x55 >/dev/null
	sim_set_value 0x0b 0x52 >/dev/null
	same "$_t: fans back" 0
	sim_set_value 0x01 90 >/dev/null	# CPU1 Temp > unc 85
	if [ "$_t" = builtin ]; then same "$_t: CPU1 Temp above unc" 1 0 "CPU1 Temp"
	else same "$_t: CPU1 Temp above unc" 0; fi
	sim_set_value 0x02 97 >/dev/null	# CPU2 Temp > uc 95
	sim_set_value 0x10 0xdd >/dev/null	# P12V 13.26 > uc 13.2
	# the exit code is 2 already (CPU2 Temp): wait for the sweep that
	# read P12V's new value too
	p12v_crit() { plug check_bmc_sensors -v; grep -q '^CRITICAL: P12V ' "$W/p.out"; }
	wait_for 30 p12v_crit
	if [ "$_t" = builtin ]; then same "$_t: CPU2 Temp and P12V above uc" 2 2 "CPU1 Temp"
	else same "$_t: CPU2 Temp and P12V above uc" 2; fi
	sim_set_value 0x01 45 >/dev/null
	sim_set_value 0x02 48 >/dev/null
	sim_set_value 0x10 0xc8 >/dev/null
	same "$_t: all back" 0
}
scenarios builtin
# FreeIPMI's view of non-critical thresholds, as a severity file
d_stop
cat >"$W/sev.conf" <<'SEV'
sensor * event 0x01 offset 0 ok
sensor * event 0x01 offset 1 ok
sensor * event 0x01 offset 6 ok
sensor * event 0x01 offset 7 ok
SEV
[ "$(id -u)" = 0 ] && chown "$D_USER" "$W/sev.conf"
sed -i 's|^\(\s*chassis-interval 5  timeout 1\)|\1  severity-file "'"$W"'/sev.conf"|' "$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up with the severity file" wait_for 20 d_state a up
scenarios freeipmi
d_stop
check "no sanitizer report" d_san_clean
finish

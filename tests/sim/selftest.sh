#!/bin/sh
# Self-test of the simulated-BMC test bed (tests/sim): starts ipmi_sim on
# bmc.emu, checks it with ipmitool and FreeIPMI, stops it.  Prints TAP-like
# "ok - ..." / "not ok - ..." lines; exit status 1 if any check failed.
#	sh tests/sim/selftest.sh
# shellcheck disable=SC2015,SC2016,SC2181
set -u
SIM_DIR=$(cd "$(dirname "$0")" && pwd)
. "$SIM_DIR/lib.sh"

fails=0
n=0
out=
ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}
notok() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "not ok $n - $*"
	if [ -n "$out" ]; then
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 15
	fi
}
# check DESCRIPTION COMMAND...: ok if COMMAND succeeds
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else notok "$_d"; fi
}
ms() {
	_ns=$(date +%s%N)
	case $_ns in
	*N) echo $(($(date +%s) * 1000)) ;;
	*) echo $((_ns / 1000000)) ;;
	esac
}

t0=$(ms)
if ! sim_start; then
	notok "sim_start"
	exit 1
fi
trap sim_stop EXIT
t1=$(ms)
ok "sim_start in $((t1 - t0)) ms (udp $SIM_PORT, console $SIM_CONSOLE)"
[ $((t1 - t0)) -lt 2000 ] && ok "sim start < 2 s" || notok "sim start < 2 s"
pid=$SIM_PID
rundir=$SIM_RUNDIR

# mc info
out=$(sim_ipmitool mc info 2>&1)
check "mc info: manufacturer 32473, product 0x0b57, firmware 2.45" \
	sh -c 'printf "%s\n" "$1" | grep -q "Manufacturer ID *: 32473" &&
	printf "%s\n" "$1" | grep -q "Product ID *: 2903 (0x0b57)" &&
	printf "%s\n" "$1" | grep -q "Firmware Revision *: 2.45"' _ "$out"
out=$(sim_ipmitool mc guid 2>&1)
check "mc guid answers" sh -c 'printf "%s\n" "$1" | grep -q "System GUID"' _ "$out"

# SDR / sensors
out=$(sim_ipmitool sdr list 2>&1)
cnt=$(printf '%s\n' "$out" | grep -c '|')
[ "$cnt" -ge 22 ] && ok "sdr list: $cnt sensors (>= 22)" || notok "sdr list: $cnt sensors (>= 22)"
bad=$(printf '%s\n' "$out" | grep -v '| ok$' || true)
if [ -z "$bad" ]; then ok "sdr list: every sensor ok"; else out=$bad; notok "sdr list: every sensor ok"; fi
analog=$(printf '%s\n' "$out" | grep -cE '\| -?[0-9.]+ (degrees C|RPM|Volts|Watts|Amps|CFM)')
[ "$analog" -ge 21 ] && ok "sdr list: $analog analog readings, none 'na'" ||
	notok "sdr list: $analog analog readings, none 'na'"
for want in "CPU1 Margin *| -35 degrees C" "PCH Temp *| 52 degrees C" \
	"Airflow *| 64 CFM" "FAN5 *| 7900 RPM" "P12V *| 12 Volts" \
	"CPU1 Vcore *| 1.80 Volts" "PS1 Current *| 1.05 Amps" \
	"CPU1 Status *| 0x80" "PS Redundancy *| 0x01"; do
	if printf '%s\n' "$out" | grep -q "^$want"; then
		ok "sdr list: $want"
	else
		notok "sdr list: $want"
	fi
done
out=$(sim_ipmitool sdr elist all 2>&1)
check "sdr elist all: event-only, FRU and MC locator records" \
	sh -c 'printf "%s\n" "$1" | grep -q "^Session Audit .*Event-Only" &&
	printf "%s\n" "$1" | grep -q "^Mainboard FRU .*Logical FRU" &&
	printf "%s\n" "$1" | grep -q "^BMC .*MC @ 20h"' _ "$out"

out=$(sim_ipmitool sensor list 2>&1)
cnt=$(printf '%s\n' "$out" | grep -c '|')
[ "$cnt" -ge 22 ] && ok "sensor list: $cnt sensors" || notok "sensor list: $cnt sensors"
cnt=$(printf '%s\n' "$out" | grep -cE '^[^|]+\| -?[0-9]+\.[0-9]+ +\| [^|]+\| ok ')
[ "$cnt" -ge 21 ] && ok "sensor list: $cnt analog sensors with a reading, ok" ||
	notok "sensor list: $cnt analog sensors with a reading, ok"
check "sensor list: CPU1 Temp thresholds 1/3/5/85/95/100" sh -c \
	'printf "%s\n" "$1" | grep -qE "^CPU1 Temp +\| 45\.000 +\| degrees C +\| ok +\| 1\.000 +\| 3\.000 +\| 5\.000 +\| 85\.000 +\| 95\.000 +\| 100\.000"' _ "$out"
out=$(sim_ipmitool sensor get "Inlet Temp" 2>&1)
check "sensor get: hysteresis readable" sh -c \
	'printf "%s\n" "$1" | grep -q "Positive Hysteresis *: 1.000"' _ "$out"

if command -v ipmi-sensors >/dev/null 2>&1; then
	# shellcheck disable=SC2046
	out=$(ipmi-sensors $(sim_freeipmi_args admin) --quiet-cache --output-sensor-state 2>&1)
	cnt=$(printf '%s\n' "$out" | grep -c '| Nominal ')
	total=$(printf '%s\n' "$out" | awk 'NR > 1' | grep -c '|')
	[ "$cnt" -ge 22 ] && [ "$cnt" -eq "$total" ] &&
		ok "ipmi-sensors --output-sensor-state: $cnt/$total Nominal" ||
		notok "ipmi-sensors --output-sensor-state: $cnt/$total Nominal"
	check "ipmi-sensors: CPU1 Margin -35.00, Airflow 64.00" sh -c \
		'printf "%s\n" "$1" | grep -qE "CPU1 Margin .*\| -35\.00 " &&
		printf "%s\n" "$1" | grep -qE "Airflow .*\| 64\.00 "' _ "$out"
else
	ok "ipmi-sensors # SKIP freeipmi-tools not installed"
fi

# SEL
out=$(sim_ipmitool sel info 2>&1)
check "sel info: empty, 16000 bytes free" sh -c \
	'printf "%s\n" "$1" | grep -q "Entries *: 0" &&
	printf "%s\n" "$1" | grep -q "Free Space *: 16000"' _ "$out"
out=$(sim_ipmitool sel time get 2>&1)
check "sel time set to now ($out)" sh -c \
	'printf "%s\n" "$1" | grep -q "$(date -u +%m/%d/%y)"' _ "$out"
out=$(sim_cmd "sensor_set_value 0x20 0 0x01 90 1" 2>&1)
check "sim_cmd sensor_set_value" test $? -eq 0
out=$(sim_cmd "no_such_command" 2>&1)
[ $? -ne 0 ] && ok "sim_cmd reports console errors" || notok "sim_cmd reports console errors"
out=$(sim_ipmitool sel elist 2>&1)
check "threshold crossing logged: CPU1 Temp UNC going high" sh -c \
	'printf "%s\n" "$1" | grep -q "CPU1 Temp | Upper Non-critical going high | Asserted"' _ "$out"
out=$(sim_ipmitool sdr get "CPU1 Temp" 2>&1)
check "CPU1 Temp now Upper Non-Critical" sh -c \
	'printf "%s\n" "$1" | grep -q "Status *: Upper Non-Critical"' _ "$out"
sim_set_value 0x01 45 1 >/dev/null

# FRU
out=$(sim_ipmitool fru print 0 2>&1)
check "fru print 0: Product Name" sh -c \
	'printf "%s\n" "$1" | grep -q "Product Name *: Simulated Server"' _ "$out"

# chassis
out=$(sim_ipmitool chassis status 2>&1)
check "chassis status: power on" sh -c \
	'printf "%s\n" "$1" | grep -q "System Power *: on"' _ "$out"

# IPMI 1.5 sessions
out=$(sim_ipmitool_lan -A MD5 mc info 2>&1)
check "-I lan -A MD5" sh -c 'printf "%s\n" "$1" | grep -q "Manufacturer ID *: 32473"' _ "$out"
out=$(sim_ipmitool_lan -A PASSWORD mc info 2>&1)
check "-I lan -A PASSWORD" sh -c 'printf "%s\n" "$1" | grep -q "Manufacturer ID *: 32473"' _ "$out"
out=$(sim_ipmitool_lan -A MD5 -U operator -f "$(sim_pwfile operator)" -L OPERATOR chassis status 2>&1)
check "-I lan -A MD5 as operator" sh -c 'printf "%s\n" "$1" | grep -q "System Power"' _ "$out"

# privileges
out=$(sim_ipmitool_as user chassis power off 2>&1)
rc=$?
[ $rc -ne 0 ] && [ "$(sim_chassis_power)" = 1 ] &&
	ok "user cannot chassis power off" || notok "user cannot chassis power off"
out=$(sim_ipmitool_as user sdr list 2>&1)
check "user can read sensors" sh -c 'printf "%s\n" "$1" | grep -q "^CPU1 Temp"' _ "$out"
out=$(sim_ipmitool_as operator chassis power off 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$(sim_chassis_power)" = 0 ] &&
	ok "operator can chassis power off" || notok "operator can chassis power off"
out=$(sim_ipmitool chassis power status 2>&1)
check "chassis power status: off" sh -c 'printf "%s\n" "$1" | grep -q "is off"' _ "$out"
out=$(sim_ipmitool chassis power on 2>&1)
[ "$(sim_chassis_power)" = 1 ] && ok "admin chassis power on" || notok "admin chassis power on"
out=$(ipmitool -I lanplus -C 3 -H "$SIM_HOST" -p "$SIM_PORT" -U admin -P wrong-password -N 1 -R 1 mc info 2>&1)
[ $? -ne 0 ] && ok "wrong password refused" || notok "wrong password refused"
out=$(sim_ipmitool_as disabled mc info 2>&1)
[ $? -ne 0 ] && ok "disabled user refused" || notok "disabled user refused"
mode=$(stat -c %a "$(sim_pwfile admin)" 2>/dev/null)
[ "$mode" = 600 ] && ok "password files mode 0600" || notok "password files mode 0600 ($mode)"

# stop
t0=$(ms)
sim_stop
t1=$(ms)
trap - EXIT
out=
if kill -0 "$pid" 2>/dev/null; then
	notok "sim pid $pid gone after sim_stop"
else
	ok "sim pid $pid gone after sim_stop ($((t1 - t0)) ms)"
fi
[ ! -d "$rundir" ] && ok "run dir removed" || notok "run dir removed"

echo "# $n checks, $fails failed"
[ "$fails" -eq 0 ]

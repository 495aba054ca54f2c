#!/bin/bash
# check_bmc_chassis on every fault flag of Get Chassis Status, which
# ipmi_sim cannot set: the hostile BMC (tests/hostile/hostile_bmc.py, by
# the book here) answers the bytes the test gives it (`chassis XX XX XX
# XX`), bmcwatchd polls it over RMCP+, the plugin reads the daemon's
# socket and, through snmpd and bmcwatch-snmp, BMCWATCH-MIB (-H, v2c):
#   main power fault, power control fault, power overload: CRITICAL;
#   power interlock: WARNING; chassis intrusion: WARNING (CRITICAL with
#   --intrusion critical, OK with --intrusion ok); drive fault,
#   cooling/fan fault: CRITICAL; front panel lockout: OK, said in the
#   long output; all at once: CRITICAL naming each, 'faults'=7; clear
#   again: OK.  The same exit code and output in both modes each time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

python3 -c 'import cryptography' 2>/dev/null ||
    skip_all "python3-cryptography missing (tests/deps.sh)"
d_setup
snmp_setup
D_SIMS="a"
HPID=
trap '[ -n "$HPID" ] && kill "$HPID" 2>/dev/null; d_cleanup; snmp_cleanup' EXIT
HB=$TESTS_DIR/hostile/hostile_bmc.py
snmpd_start || { not_ok "snmpd"; exit 1; }
# the sim only lends its SDR and its admin password to the hostile BMC
sim_as a || { not_ok "sim a"; exit 1; }
python3 "$HB" serve --port-file "$W/hport" \
    --password-file "$(sim_pwfile admin)" --sdr "$SIMRUN_a/sdr.bin" \
    --log "$W/h.log" >>"$W/h.log" 2>&1 &
HPID=$!
wait_for 10 test -s "$W/hport" || { not_ok "hostile BMC started"; exit 1; }
HP=$(cut -d' ' -f1 "$W/hport")
HC=$(cut -d' ' -f2 "$W/hport")
h() { python3 "$HB" ctl "$HC" "$@"; }
printf 'public\n' >"$W/community"
d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
d_target evil "$HP" 'sensor-interval 5  sel-interval 30  chassis-interval 1
	timeout 1  retries 1  unreachable-after 100' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "evil up" wait_for 20 d_state evil up
V2="-H 127.0.0.1 -p $SNMP_PORT -C $W/community"

# case DESC BYTES RC REGEX [ARGS]: the BMC answers BYTES; both modes
# reach exit RC with the first line matching, then agree (SNMP mode is
# waited for until it agrees: the subagent's snapshot may lag a poll)
snmp_rc() {
	# shellcheck disable=SC2086
	"$PLUGDIR/check_bmc_chassis" $V2 "$@" >"$W/r.out" 2>&1
	[ $? = "$_crc" ] && cmp -s "$W/s.out" "$W/r.out"
}
case_() {
	_cd=$1 _cb=$2 _crc=$3 _cre=$4
	shift 4
	_r=$(h chassis $_cb)
	case $_r in ok*) ;; *) not_ok "$_cd: hostile BMC: $_r" ;; esac
	p_state "$_cd (socket)" "$_crc" "$_cre" check_bmc_chassis "$@"
	cp "$W/p.out" "$W/s.out"
	wait_for 20 snmp_rc "$@"
	snmp_rc "$@"
	if cmp -s "$W/s.out" "$W/r.out"; then
		ok "$_cd (SNMP): the same exit code and output"
	else
		not_ok "$_cd (SNMP): differs from the socket's"
		diff "$W/s.out" "$W/r.out" | sed 's/^/#   /'
	fi
}
case_ "no fault" "01 00 00 00" 0 \
    '^BMC CHASSIS OK - system power on; no faults \|'
case_ "main power fault" "09 08 00 00" 2 \
    '^BMC CHASSIS CRITICAL - system power on; main power fault \|'
case_ "power control fault" "11 00 00 00" 2 \
    '^BMC CHASSIS CRITICAL - system power on; power control fault \|'
case_ "power overload" "03 02 00 00" 2 \
    '^BMC CHASSIS CRITICAL - system power on; power overload \|'
case_ "power interlock" "05 04 00 00" 1 \
    '^BMC CHASSIS WARNING - system power on; power interlock active \|'
case_ "chassis intrusion" "01 00 01 00" 1 \
    '^BMC CHASSIS WARNING - system power on; chassis intrusion \|'
case_ "chassis intrusion, --intrusion critical" "01 00 01 00" 2 \
    '^BMC CHASSIS CRITICAL - system power on; chassis intrusion \|' \
    --intrusion critical
case_ "chassis intrusion, --intrusion ok" "01 00 01 00" 0 \
    '^BMC CHASSIS OK - system power on; chassis intrusion \|' --intrusion ok
case_ "drive fault" "01 00 04 00" 2 \
    '^BMC CHASSIS CRITICAL - system power on; drive fault \|'
case_ "cooling/fan fault" "01 00 08 00" 2 \
    '^BMC CHASSIS CRITICAL - system power on; cooling/fan fault \|'
case_ "front panel lockout" "01 00 02 00" 0 \
    '^BMC CHASSIS OK - system power on; no faults \|'
check "lockout: said in the long output" \
    grep -qx 'OK: front panel lockout active' "$W/p.out"
case_ "all at once, power off" "1e 0f 0f 00" 2 \
    '^BMC CHASSIS CRITICAL - system power off \(expected on\); main power fault, power control fault, power overload, cooling/fan fault, drive fault, power interlock active, chassis intrusion \|'
check "'faults'=7" grep -q "'power'=0;;;0;1 'faults'=7;;;0;$" "$W/p.out"
check_eq "one long line per fault, plus the power and the lockout" \
    "$(($(wc -l <"$W/p.out") - 1))" 9
case_ "cleared" "01 00 00 00" 0 \
    '^BMC CHASSIS OK - system power on; no faults \|'
d_stop
finish

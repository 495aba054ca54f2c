#!/bin/bash
# The notifications 310 does not cover, through a real snmpd's trap2sink
# to a real snmptrapd, two targets on one sim (its spec-conforming
# watchdog plugin): "a" as admin behind a UDP relay, "b" at user
# privilege (Clear SEL needs operator):
#   - a watchdog timer set with ipmitool-equivalent `bmcwatch watchdog
#     set` and left to expire delivers bmcwWatchdogExpired (use, action,
#     bmcwWatchdogExpiries 1);
#   - the SEL filled past sel-nearly-full (2 %) delivers bmcwSelNearlyFull
#     once with the fill level and the entry count ipmitool's sel info
#     says (percent rounded up, as sel_info_check);
#   - past b's sel-clear-at (3 %) b's clear is refused by the BMC:
#     bmcwSelClearFailed with the completion code in words;
#   - past a's sel-clear-at (5 %) a archives and clears:
#     bmcwSelArchivedAndCleared with bmcwSelLastClearCount = the entries
#     ipmitool counted, and ipmitool then sees an empty SEL;
#   - the relay stopped: bmcwBmcUnreachable; started again on the same
#     port: bmcwBmcRecovered, bmcwTargetUnreachableEvents 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
snmp_wdt_bed traps
d_relay a "$SIMPORT_a" || { not_ok "relay a"; exit 1; }
RPORT=$RPORT_a
d_pw user "$W/pw.user"
snmp_dconf
d_target a "$RPORT" "sensor-interval 2  sel-interval 1
	chassis-interval 1  timeout 0.5  retries 1  unreachable-after 2
	backoff-max 2  sel-nearly-full 2  sel-clear-at 5" >>"$W/d.conf"
cat >>"$W/d.conf" <<EOF
target "b" {
	interface lanplus  host "127.0.0.1"  port $SIMPORT_a
	username "user"  password-file "$W/pw.user"  privilege user
	cipher-suite 3  workaround no-cipher-suites
	sensor-interval 5  sel-interval 1  chassis-interval 5
	timeout 0.5  retries 1
	sel-nearly-full 0  sel-clear-at 3
}
EOF
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
check "target b up" wait_for 20 d_state b up
served() { [ "$(sval "$MIB.1.4.1.18.1" 2>/dev/null)" = 2 ]; }
check "served (bmcwSelNearlyFullAt.a = 2)" wait_for 20 served
# trapped NUM PATTERN [COUNT]: COUNT (1) traps NUM with PATTERN
trapped() {
	grep "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MIB\.0\.$1[^0-9]" \
	    "$S/traps.log" | grep -c -- "$2" | grep -qx "${3:-1}"
}
trapped_some() {
	grep "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MIB\.0\.$1[^0-9]" \
	    "$S/traps.log" | grep -q -- "$2"
}
TA="$MIB\.1\.2\.1\.2\.1 = STRING: \"a\""	# bmcwTargetName.a

# --- the watchdog expires ----------------------------------------------
sim_use a
bw watchdog set --timeout 2 --action none --use sms-os >"$W/wd.out" 2>&1
check "bmcwatch watchdog set (2 s, no action)" test $? = 0
bw watchdog reset >>"$W/wd.out" 2>&1
check "bmcwatch watchdog reset: started" test $? = 0
check "bmcwWatchdogExpired for a" wait_for 20 trapped_some 7 "$TA"
grep "OID: $MIB\.0\.7[^0-9]" "$S/traps.log" | grep -- "$TA" | head -n 1 \
    >"$W/t7"
check "  with use sms-os(4), action noAction(1), expiries 1" \
    grep -q "$MIB\.1\.8\.1\.1\.1 = INTEGER: 4.*$MIB\.1\.8\.1\.2\.1 = INTEGER: 1.*$MIB\.1\.8\.1\.10\.1 = Counter32: 1" "$W/t7"
bw watchdog get --json >"$W/wdget.json"
check_eq "  bmcwatch watchdog get: the SMS/OS expired flag" \
    "$(jq_get "$W/wdget.json" '"sms-os" in str(d).lower() or "sms_os" in str(d).lower()')" True

# --- the SEL fills ------------------------------------------------------
n0=$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')
addn() {
	for _i in $(seq 1 "$1"); do
		printf 'sel_add 0x20 0xe1 0x%02x 0x43 9 8 7 6 5 4 3 2 1 0 0\n' \
		    $((_i % 256))
	done >"$W/cmds"
	python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" \
	    <"$W/cmds" >/dev/null
}
addn $((15 - n0))
n1=$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')
check_eq "ipmitool: 15 entries (2 % of 1000, rounded up)" "$n1" 15
check "bmcwSelNearlyFull for a" wait_for 15 trapped 3 "$TA"
grep "OID: $MIB\.0\.3[^0-9]" "$S/traps.log" >"$W/t3"
check "  with bmcwSelUsedPercent 2, bmcwSelEntries 15, NearlyFullAt 2" \
    grep -q "$MIB\.1\.4\.1\.3\.1 = INTEGER: 2.*$MIB\.1\.4\.1\.1\.1 = Gauge32: 15.*$MIB\.1\.4\.1\.18\.1 = INTEGER: 2" "$W/t3"
check "  not for b (sel-nearly-full 0)" eval "! grep -q 'STRING: \"b\"' $W/t3"
check_eq "bmcwSelNearlyFullEvents.a 1" "$(sval "$MIB.1.4.1.19.1")" 1

addn 10
check "b's clear refused: bmcwSelClearFailed for b" wait_for 15 \
    trapped_some 5 "$MIB\.1\.2\.1\.2\.2 = STRING: \"b\""
grep "OID: $MIB\.0\.5[^0-9]" "$S/traps.log" | head -n 1 >"$W/t5"
check "  with bmcwSelClearFailures and the reason" \
    grep -q "$MIB\.1\.4\.1\.14\.2 = Counter32: [1-9].*$MIB\.1\.4\.1\.15\.2 = STRING: \".*[Pp]rivilege" "$W/t5"
check "  none for a" eval "! trapped_some 5 '$TA'"

n2=$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')
check_eq "ipmitool: 25 entries" "$n2" 25
addn 20
check "a clears at 5 %: bmcwSelArchivedAndCleared for a" wait_for 15 \
    trapped 4 "$TA"
grep "OID: $MIB\.0\.4[^0-9]" "$S/traps.log" >"$W/t4"
check "  with bmcwSelLastClearCount 45 and bmcwSelClears 1" \
    grep -q "$MIB\.1\.4\.1\.12\.1 = Gauge32: 45.*$MIB\.1\.4\.1\.13\.1 = Counter32: 1" "$W/t4"
check_eq "ipmitool: the SEL is empty" \
    "$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')" 0
check "the nearly-full notification came once" trapped 3 "$TA" 1

# --- the BMC away and back ----------------------------------------------
d_relay_stop a
check "bmcwBmcUnreachable for a" wait_for 20 trapped 9 "$TA"
check_eq "bmcwTargetReachable.a false" "$(sval "$MIB.1.2.1.12.1")" 2
d_relay a "$SIMPORT_a" "$RPORT" || not_ok "relay a again on $RPORT"
check "bmcwBmcRecovered for a" wait_for 20 trapped 10 "$TA"
check "  with bmcwTargetUnreachableEvents 1" \
    trapped 10 "$MIB\.1\.2\.1\.15\.1 = Counter32: 1"
check_eq "bmcwTargetReachable.a true" "$(sval "$MIB.1.2.1.12.1")" 1
d_stop
check "no sanitizer report" d_san_clean
finish

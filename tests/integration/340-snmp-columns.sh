#!/bin/bash
# Columns of BMCWATCH-MIB that say what the daemon counted or asked on
# the side, against ipmitool on the same sim (its watchdog plugin) and
# against what the test did to it, through a real snmpd:
#   - bmcwChassisBootDevice is the boot device ipmitool set (pxe), and
#     follows a change (disk) made with a power change (asked again at
#     once, not at the next minute);
#   - bmcwChassisRestartCause and bmcwChassisPowerOnMinutes are -1 (and
#     the text empty) where ipmitool gets "Invalid command" from the
#     sim for Get System Restart Cause and Get POH Counter; those two
#     completion codes are in bmcwTargetCcodeErrors, and are not asked
#     again (the count stays);
#   - bmcwTargetRequestErrors is 0 while the sim answers and grows while
#     it is frozen;
#   - bmcwTargetSdrLastChange is when the daemon first read the SDR (not
#     bumped by later sweeps);
#   - bmcwSelForeignClears counts an `ipmitool sel clear` (ipmitool's
#     Last Del Time moved), not the daemon's own clear, whose entry count
#     is bmcwSelLastClearCount; bmcwSelClearAt and bmcwSelNearlyFullAt
#     are the configured values;
#   - bmcwWatchdogHbInterval is the configured heartbeat interval (ms);
#   - SEL sequence numbers (bmcwSelLastSequence, the index of
#     bmcwSelEntryTable) go on after a daemon restart.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
snmp_wdt_bed
sim_ipmitool chassis bootdev pxe >/dev/null
sim_ipmitool chassis bootparam get 5 >"$W/boot.txt" 2>&1
check "ipmitool: boot flags say Force PXE" grep -q "Force PXE" "$W/boot.txt"
sim_ipmitool chassis restart_cause >"$W/rc.txt" 2>&1
check "ipmitool: Get System Restart Cause is an invalid command here" \
    grep -q "Invalid command" "$W/rc.txt"
sim_ipmitool chassis poh >"$W/poh.txt" 2>&1
check "ipmitool: Get POH Counter is an invalid command here" \
    grep -q "Invalid command" "$W/poh.txt"

t0=$(date +%s)
snmp_dconf
d_target a "$SIMPORT_a" "sensor-interval 1  sel-interval 1
	chassis-interval 1  timeout 0.5  retries 1
	sel-clear-at 0  sel-nearly-full 40  allow sel-clear
	watchdog { timeout 10  interval 2  action power-cycle }" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
bootdev() { [ "$(sval "$MIB.1.7.1.21.1" 2>/dev/null)" = "\"$1\"" ]; }
check "bmcwChassisBootDevice \"pxe\"" wait_for 20 bootdev pxe
check_eq "  as bmcwatch chassis bootdev --json names it" \
    "$(bw chassis bootdev --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["boot_device"])')" pxe
check_eq "bmcwChassisRestartCause -1 (unsupported)" \
    "$(sval "$MIB.1.7.1.18.1")" -1
check_eq "bmcwChassisRestartCauseText empty" "$(sval "$MIB.1.7.1.19.1")" '""'
check_eq "bmcwChassisPowerOnMinutes -1 (unsupported)" \
    "$(sval "$MIB.1.7.1.20.1")" -1
cc1=$(sval "$MIB.1.2.1.21.1")
check "bmcwTargetCcodeErrors counts the two C1h answers ($cc1)" \
    test "$cc1" -ge 2
check_eq "bmcwTargetRequestErrors 0 while the sim answers" \
    "$(sval "$MIB.1.2.1.19.1")" 0
check_eq "bmcwWatchdogHbInterval 2000 ms (interval 2)" \
    "$(sval "$MIB.1.8.1.13.1")" 2000
check_eq "bmcwSelClearAt 0 (sel-clear-at 0)" "$(sval "$MIB.1.4.1.10.1")" 0
check_eq "bmcwSelNearlyFullAt 40" "$(sval "$MIB.1.4.1.18.1")" 40
sdr1=$(sval "$MIB.1.2.1.30.1")
check "bmcwTargetSdrLastChange within the run ($sdr1, start $t0)" \
    within "$sdr1" "$t0" "$(date +%s)"

# power off and another boot device: asked again after the change
sw0=$(d_health a sweeps)
sim_ipmitool chassis bootdev disk >/dev/null
sim_ipmitool chassis power off >/dev/null
check "bmcwChassisBootDevice follows to \"disk\" after the power change" \
    wait_for 15 bootdev disk
swept() { [ "$(d_health a sweeps)" -ge "$1" ]; }
check "two more sweeps" wait_for 20 swept $((sw0 + 2))
check_eq "bmcwTargetSdrLastChange not bumped by later sweeps" \
    "$(sval "$MIB.1.2.1.30.1")" "$sdr1"
check_eq "bmcwTargetCcodeErrors: the unsupported ones not asked again" \
    "$(sval "$MIB.1.2.1.21.1")" "$cc1"

# foreign clear, then our own
check_eq "bmcwSelForeignClears 0" "$(sval "$MIB.1.4.1.16.1")" 0
for i in $(seq 1 5); do
	printf 'sel_add 0x20 0xe1 0x%02x 0x43 9 8 7 6 5 4 3 2 1 0 0\n' "$i"
done >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" <"$W/cmds" \
    >/dev/null
sim_ipmitool sel info >"$W/info0.txt"
sim_ipmitool sel clear >/dev/null
sim_ipmitool sel info >"$W/info1.txt"
del0=$(sed -n 's/^Last Del Time *: //p' "$W/info0.txt")
del1=$(sed -n 's/^Last Del Time *: //p' "$W/info1.txt")
check "ipmitool: Last Del Time moved ($del0 -> $del1)" test "$del0" != "$del1"
foreign() { [ "$(sval "$MIB.1.4.1.16.1" 2>/dev/null)" = "$1" ]; }
check "bmcwSelForeignClears 1" wait_for 15 foreign 1
printf 'sel_add 0x20 0xe1 0x%02x 0x43 9 8 7 6 5 4 3 2 1 0 0\n' 1 2 3 4 5 6 7 \
    >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" <"$W/cmds" \
    >/dev/null
n=$(sim_ipmitool sel info | sed -n 's/^Entries *: //p')
check_eq "ipmitool: 7 entries" "$n" 7
d_ask --target a sel clear >"$W/clear.out" 2>&1
check "the daemon cleared them" grep -q '^sel clear: cleared 7 entries$' \
    "$W/clear.out"
check_eq "bmcwSelLastClearCount 7" "$(sval "$MIB.1.4.1.12.1")" 7
clears() { [ "$(sval "$MIB.1.4.1.13.1" 2>/dev/null)" = 1 ]; }
check "bmcwSelClears 1" wait_for 10 clears
sp=$(d_health a sel_passes)
spassed() { [ "$(d_health a sel_passes)" -ge "$1" ]; }
check "a SEL pass after it" wait_for 15 spassed $((sp + 1))
check_eq "bmcwSelForeignClears still 1 (ours is not foreign)" \
    "$(sval "$MIB.1.4.1.16.1")" 1

# the sim frozen: requests fail
kill -STOP "$SIMPID_a"
rerr() { [ "$(sval "$MIB.1.2.1.19.1" 2>/dev/null)" -gt 0 ]; }
check "bmcwTargetRequestErrors grows while the sim is frozen" wait_for 15 rerr
kill -CONT "$SIMPID_a"
up() { [ "$(sval "$MIB.1.2.1.12.1" 2>/dev/null)" = 1 ]; }
check "reachable again" wait_for 20 up

# SEL sequence numbers go on after a restart (the state file's count)
seq1=$(sval "$MIB.1.4.1.8.1")
check "bmcwSelLastSequence counts the entries read ($seq1)" test "$seq1" -ge 7
d_stop
check_eq "stopped: exit 0" "$D_RC" 0
d_start "$W/d.conf" || exit 1
lastseq() { [ "$(sval "$MIB.1.4.1.8.1" 2>/dev/null)" = "$1" ]; }
check "restarted: bmcwSelLastSequence $seq1 again (not 0)" \
    wait_for 20 lastseq "$seq1"
printf 'sel_add 0x20 0xe1 0x%02x 0x43 9 8 7 6 5 4 3 2 1 0 0\n' 1 2 >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" <"$W/cmds" \
    >/dev/null
check "two new entries: bmcwSelLastSequence $((seq1 + 2))" \
    wait_for 15 lastseq $((seq1 + 2))
check_eq "their rows are $((seq1 + 1)) and $((seq1 + 2)), not 1 and 2" \
    "$(swalk "$MIB.1.5.1.2.1" | sed 's/^[^ ]*\.\([0-9]*\) = .*/\1/' | tr '\n' ' ')" \
    "$((seq1 + 1)) $((seq1 + 2)) "
d_stop
check "no sanitizer report" d_san_clean
finish

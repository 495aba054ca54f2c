#!/bin/bash
# In-band watchdog and chassis, fast (about 10 s): a static bmcwatch in a
# QEMU guest on QEMU's own ipmi-bmc-sim (spec-conforming watchdog with a
# present countdown), through /dev/ipmi0.  Every decoded watchdog field
# is compared with FreeIPMI's `bmc-watchdog -g` run in the same guest
# (when freeipmi-bmc-watchdog is installed); set with a pre-timeout
# interrupt, reset, clear and off; chassis status and control need no
# session privilege in-band (QEMU's BMC lacks Chassis Identify: C1h).  The expiry itself is in 150-*.
# Skips (77) without QEMU, a guest kernel (fetched by tests/inband/
# kernel.sh, cached in build/inband/kernel) or a static libcrypto.
. "$(dirname "$0")/lib.sh"

cd "$TOP" || exit 1
OUT=$TOP/build/inband/wdt530
mkdir -p "$OUT"
inband_setup "$OUT"

cat >"$OUT/guest.sh" <<'EOF'
run() {	# run NAME CMD...: a section with its exit status
	echo "@@ $1"
	shift
	"$@" 2>&1
	echo "@@ rc $?"
}
run get0 bmcwatch -I open watchdog get --json
run set bmcwatch -I open watchdog set --timeout 30 --pretimeout 5 \
    --pre-interrupt msg --action reset --use os-load
run up0 cut -d' ' -f1 /proc/uptime
run get1 bmcwatch -I open watchdog get --json
command -v bmc-watchdog >/dev/null && run fget1 bmc-watchdog -g -D OPENIPMI
run up0b cut -d' ' -f1 /proc/uptime
# let the countdown run down a little, so that a reset shows (3 s:
# more than a reset and a get take, however slow the guest)
sleep 3
run getmid bmcwatch -I open watchdog get --json
run up1 cut -d' ' -f1 /proc/uptime
run reset bmcwatch -I open watchdog reset
run get2 bmcwatch -I open --json watchdog get
run up2 cut -d' ' -f1 /proc/uptime
run bad bmcwatch -I open watchdog set --timeout 5 --pretimeout 5 \
    --pre-interrupt nmi
run off bmcwatch -I open watchdog off
run get3 bmcwatch -I open watchdog get --json
command -v bmc-watchdog >/dev/null && run fget3 bmc-watchdog -g -D OPENIPMI
run clear bmcwatch -I open watchdog clear
run chassis bmcwatch -I open chassis status --json
run identify bmcwatch -I open chassis identify 2
run pstatus bmcwatch -I open chassis power status
EOF
sh tests/inband/mkinitrd.sh -k build/inband/kernel -s "$OUT/guest.sh" \
    "$OUT/initrd.gz" "$BW" 2>"$OUT/mk.err" || {
	rc=$?
	[ $rc -eq 77 ] && skip_all "$(cat "$OUT/mk.err")"
	not_ok "initramfs: $(cat "$OUT/mk.err")"
	finish
	exit 1
}
# bmc-watchdog is dynamically linked: it goes in with its libraries
if [ -n "$FBW" ] && ! add_dyn "$OUT/initrd.gz" "$FBW"; then
	not_ok "initramfs: adding $FBW"
	finish
	exit 1
fi
SIM_VMPORT=qemu sh tests/inband/run.sh -k build/inband/kernel -t 90 \
    -o "$OUT/console.log" "$OUT/initrd.gz" >"$OUT/guest.out" 2>"$OUT/run.err"
rc=$?
[ $rc -eq 77 ] && skip_all "$(cat "$OUT/run.err")"
check_eq "guest ran the script (rc $rc)" "$rc" 0

jget() {	# jget SECTION EXPR
	section "$1" >"$OUT/$1.json"
	json_get "$OUT/$1.json" "$2" 2>/dev/null
}

check_eq "get: exit 0" "$(secrc get0)" 0
check_eq "QEMU's BMC answers all 8 bytes" "$(jget get0 'd["quirks"]')" "[]"
check_eq "set: exit 0" "$(secrc set)" 0
check_eq "set: use" "$(jget get1 'd["timer_use"]')" os-load
check_eq "set: action" "$(jget get1 'd["action"]')" reset
check_eq "set: pre-timeout interrupt" "$(jget get1 'd["pretimeout_interrupt"]')" msg
check_eq "set: pre-timeout interval" "$(jget get1 'd["pretimeout_interval_s"]')" 5
check_eq "set: initial countdown" "$(jget get1 'd["initial_countdown_s"]')" 30.0
check "set: counting down (present <= 30 s, > 0)" \
    python3 -c 'import sys; v=float(sys.argv[1]); sys.exit(0 if 0 < v <= 30 else 1)' \
    "$(jget get1 'd["present_countdown_s"]')"

section fget1 >"$OUT/fget1.txt"
section get1 >"$OUT/get1.json"
# the two reads' span by the guest's clock: a loaded guest takes seconds
compare_fbw "armed" "$OUT/get1.json" "$OUT/fget1.txt" \
    "$(delta "$(section up0)" "$(section up0b)")"
check_eq "reset: exit 0" "$(secrc reset)" 0
# 25 s less the time the reset and the get took, by the guest's clock
check "reset restarted the countdown (30 s less the pre-timeout, less the time it took)" \
    python3 -c 'import sys; v, u1, u2 = map(float, sys.argv[1:]); sys.exit(0 if 25 - (u2 - u1) - 0.2 <= v <= 25.1 else 1)' \
    "$(jget get2 'd["present_countdown_s"]')" "$(section up1)" "$(section up2)"
check "the countdown went up across the reset" \
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) > float(sys.argv[1]) else 1)' \
    "$(jget getmid 'd["present_countdown_s"]')" \
    "$(jget get2 'd["present_countdown_s"]')"
check_eq "pre-timeout = timeout refused in-band too: exit 2" "$(secrc bad)" 2
check_eq "off: exit 0" "$(secrc off)" 0
check_eq "off: no action" "$(jget get3 'd["action"]')" none
check_eq "off: countdown stopped" "$(jget get3 'd["present_countdown_s"]')" 0.0
check_eq "off: settings kept" "$(jget get3 '(d["timer_use"], d["initial_countdown_s"])')" \
    "('os-load', 30.0)"
section fget3 >"$OUT/fget3.txt"
section get3 >"$OUT/get3.json"
compare_fbw "stopped" "$OUT/get3.json" "$OUT/fget3.txt"
check_eq "clear: exit 0" "$(secrc clear)" 0
check_eq "chassis status: exit 0" "$(secrc chassis)" 0
check_eq "chassis status: QEMU's BMC reports power on" \
    "$(jget chassis 'd["system_power"]')" on
# QEMU 7.2's BMC has no Chassis Identify: C1h, named; in-band there is
# no session privilege to refuse on
check_eq "identify in-band: QEMU's BMC answers C1h, exit 1" "$(secrc identify)" 1
check "identify in-band: the completion code is named, no privilege refusal" \
    grep -q 'Chassis Identify: completion code C1h: Invalid command' \
    <(section identify)
check_eq "power status in-band" "$(section pstatus)" "Chassis Power is on"
finish

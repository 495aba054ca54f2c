#!/bin/bash
# Slow tier (about 2 min): the BMC watchdog really fires.  A QEMU guest
# is the sim's system-interface peer, so the action lands on a real
# machine.  The sim runs the spec-conforming watchdog of
# tests/sim/wdt_plugin.c: the stock ipmi_sim 2.0.33 performs actions only
# with such a peer, and its Reset never restarts a countdown already
# pending (a timer reset every 2 s still fires 10 s after it was first
# started, and a timer the ipmi_watchdog driver started and stopped
# fires at the driver's old deadline).  Three boots:
#   1. driven over lanplus from the host: reset every 2 s for 30 s, no
#      expiry; `off` stops it (13 s, nothing); set 10 s power-cycle and
#      never reset: the sim logs a Watchdog 2 SEL event no sooner than
#      10 s and at most 3 s late (by its SEL clock), and the guest is
#      powered off.
#   2. in-band inside the guest (/dev/ipmi0 wired to the sim): refused
#      while the ipmi_watchdog module is loaded and while /dev/watchdog is
#      held open; then armed 10 s hard reset: the guest is reset.
#   3. in-band on QEMU's own ipmi-bmc-sim (a spec-conforming watchdog
#      with a present countdown): a second heartbeat resetting the
#      countdown is detected and refused; then the guest is reset.
# Skips (77) without QEMU, a kernel or a static build.  No check races
# the clock: timers must not fire early (measured after the fact) nor
# late (by the sim's SEL clock, or the guest's uptime after it armed);
# a guest is alive if it ticks again within 15 s; 3 s of missed guest
# ticks are allowed before a reset.
. "$(dirname "$0")/lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

cd "$TOP" || exit 1
OUT=$TOP/build/inband/wdt
mkdir -p "$OUT"
inband_setup "$OUT"

wdt_sim_dir "$OUT/sim" 2>"$OUT/plugin.err" ||
    skip_all "cannot build the sim watchdog plugin: $(cat "$OUT/plugin.err")"
SIM_DIR=$OUT/sim

QPID=
cleanup() {
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null
	[ -n "$QPID" ] && wait "$QPID" 2>/dev/null
	sim_stop
}
trap cleanup EXIT

# boot NAME SCRIPT: boot a guest running SCRIPT in the background; its
# console is $OUT/NAME.log.  Waits (60 s max) for its first "@@ tick".
boot() {
	mk_initrd "$1" "$2" || {
		echo "# mkinitrd: $(cat "$OUT/$1.mk.err")"
		return 1
	}
	: >"$OUT/$1.log"
	sh tests/inband/run.sh -k build/inband/kernel -t 150 \
	    -o "$OUT/$1.log" "$OUT/$1.gz" >"$OUT/$1.out" 2>"$OUT/$1.err" &
	QPID=$!
	for _i in $(seq 1 600); do
		grep -q '^@@ tick' "$OUT/$1.log" 2>/dev/null && return 0
		kill -0 "$QPID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# guest $1 did not start ticking: $(cat "$OUT/$1.err")"
	tail -5 "$OUT/$1.log" | sed 's/^/# /'
	return 1
}
# last guest uptime printed by a "@@ tick" line of NAME's console
last_tick() {
	tr -d '\r' <"$OUT/$1.log" | sed -n 's/^@@ tick \([0-9.]*\).*/\1/p' |
	    tail -n 1
}
# alive NAME: the guest prints a newer tick (it ticks every second;
# waits up to 15 s, for a slow machine)
alive() {
	_a=$(last_tick "$1")
	for _i in $(seq 1 75); do
		[ "$(last_tick "$1")" != "$_a" ] && return 0
		kill -0 "$QPID" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}
# wait_exit: wait (max 30 s) for the guest's QEMU to end
wait_exit() {
	for _i in $(seq 1 300); do
		kill -0 "$QPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$QPID" 2>/dev/null; then
		kill "$QPID" 2>/dev/null
		wait "$QPID" 2>/dev/null
		QPID=
		return 1
	fi
	wait "$QPID" 2>/dev/null
	QPID=
	return 0
}
# seconds FROM TO (floats)
# read_span LOG: the guest's seconds from "@@ armed" (before its two
# reads of the timer) to "@@ readend" (after them); empty if either is
# missing
read_span() {
	_ra=$(tr -d '\r' <"$1" | sed -n 's/^@@ armed //p')
	_rb=$(tr -d '\r' <"$1" | sed -n 's/^@@ readend //p')
	[ -n "$_ra" ] && [ -n "$_rb" ] && delta "$_ra" "$_rb"
}

# mk_initrd NAME SCRIPT: the initramfs, with bmc-watchdog when installed
mk_initrd() {
	sh tests/inband/mkinitrd.sh -k build/inband/kernel -s "$2" \
	    "$OUT/$1.gz" "$BW" 2>"$OUT/$1.mk.err" || return 1
	[ -z "$FBW" ] || add_dyn "$OUT/$1.gz" "$FBW" 2>>"$OUT/$1.mk.err"
}
# guest_ticks N: guest lines that print "@@ tick UPTIME" every second,
# N times (the host reads them to tell whether the guest is alive)
guest_ticks() {
	cat <<EOF
i=0
while [ \$i -lt $1 ]; do
	echo "@@ tick \$(cut -d' ' -f1 /proc/uptime)"
	sleep 1
	i=\$((i + 1))
done
EOF
}
# guest_armed: the end of the in-band guests, once they armed the timer:
# the uptime then, the timer read back by bmcwatch (bwget) and by
# bmc-watchdog (fget), and ticks until the watchdog resets the guest
guest_armed() {
	cat <<'EOF'
echo "@@ armed $(cut -d' ' -f1 /proc/uptime)"
echo "@@ bwget"
bmcwatch -I open watchdog get --json
echo "@@ rc $?"
echo "@@ fget"
bmc-watchdog -g -D OPENIPMI
echo "@@ rc $?"
echo "@@ readend $(cut -d' ' -f1 /proc/uptime)"
EOF
	guest_ticks 40
}

# ---------------------------------------------------------------------
# 1. over lanplus, the guest as the sim's peer
guest_ticks 140 >"$OUT/tick.sh"
SIM_VMPORT=auto
sim_start || { not_ok "sim_start with a VM port"; finish; exit 1; }
if boot lan "$OUT/tick.sh"; then
	ok "guest up as the sim's system-interface peer"
	bw watchdog heartbeat --timeout 10 --interval 2 --for 30 --keep \
	    --action power-cycle --json >"$OUT/hb.json" 2>"$OUT/hb.err"
	hbrc=$?
	# off at once: the kept timer fires 10 s after the last reset
	out=$(bw watchdog off 2>&1)
	offrc=$?
	check_eq "heartbeat 10 s / every 2 s for 30 s: exit 0" "$hbrc" 0
	kicks=$(json_get "$OUT/hb.json" 'd["kicks"]' 2>/dev/null || echo 0)
	# at most one reset an interval; a slow machine makes fewer
	check "it reset the timer 1-16 times (got $kicks)" \
	    [ "$kicks" -ge 1 ] && [ "$kicks" -le 16 ]
	check_eq "no Watchdog SEL event while reset every 2 s" "$(wd_sel)" 0
	check "guest alive after 30 s of resets" alive lan
	check_eq "watchdog off: exit 0" "$offrc" 0
	sleep 13
	check_eq "13 s after off: no Watchdog SEL event" "$(wd_sel)" 0
	check "13 s after off: guest alive" alive lan

	u0=$(last_tick lan)
	t0=$(date +%s.%N)
	out=$(bw watchdog set --timeout 10 --action power-cycle 2>&1)
	check_eq "set 10 s power-cycle (a peer is there): exit 0" "$?" 0
	ts=$(date +%s.%N)
	while [ "$(wd_sel)" = 0 ]; do
		within "$(delta "$ts" "$(date +%s.%N)")" 0 40 || break
		sleep 0.2
	done
	el=$(delta "$t0" "$(date +%s.%N)")
	late=$(wd_late Watchdog "$ts")
	check "Watchdog 2 SEL event no sooner than 10 s (seen after ${el} s)" \
	    within "$el" 9.8 1000
	check "... and logged at most 3 s late (${late} s after set returned)" \
	    within "${late:-99}" -1000 13
	sim_ipmitool sel elist >"$OUT/sel1.txt" 2>&1
	check "SEL: Watchdog 2, power cycle, asserted" \
	    grep -q 'Watchdog2.*Power cycle.*Asserted' "$OUT/sel1.txt"
	check "the guest's QEMU ended (the action reached it)" wait_exit
	u1=$(last_tick lan)
	d=$(delta "$u0" "$u1")
	# u0 is the last tick before set was sent, set took ts - t0
	hi=$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]) + 14)' "$t0" "$ts")
	check "the guest stopped ticking 7-${hi} s after arming (${d} s)" \
	    within "$d" 7 "$hi"
	check "the guest never finished its script" \
	    bash -c "! grep -q '^INBAND-END' '$OUT/lan.log'"
	# the expiration flag, then cleared by the next set
	sim_ipmitool mc watchdog get >"$OUT/wd1.txt" 2>&1
	bw watchdog get --json >"$OUT/wd1.json" 2>&1
	want=$(sed -n 's/.*Timer Expiration Flags:.*(0x\(..\)).*/\1/p' "$OUT/wd1.txt")
	check_eq "expiration flags equal ipmitool's" \
	    "$(json_get "$OUT/wd1.json" '"%02x" % d["expiration_flags_raw"]')" \
	    "$want"
	bw watchdog set --timeout 30 --action none >/dev/null 2>&1
	check_eq "set clears the expiration flags" \
	    "$(bw watchdog get --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["expiration_flags_raw"])')" 0
else
	not_ok "guest up as the sim's system-interface peer"
fi
sim_stop

# ---------------------------------------------------------------------
# 2. in-band, inside the guest, against the sim
{
	cat <<'EOF'
echo "@@ chassis"
bmcwatch -I open chassis status
echo "@@ rc $?"
echo "@@ identify"
bmcwatch -I open chassis identify 3
echo "@@ rc $?"
echo "@@ get"
bmcwatch -I open watchdog get --json
echo "@@ rc $?"
insmod /lib/modules/ipmi_watchdog.ko
echo "@@ module"
bmcwatch -I open watchdog set --timeout 10 --action reset
echo "@@ rc $?"
# hold /dev/watchdog open (magic close: V stops it when closed) until
# the set below is done, however slow the guest
(printf V; while [ ! -e /tmp/devopen.done ]; do sleep 0.1; done) \
    >/dev/watchdog &
w=$!
i=0
while [ $i -lt 300 ] && ! ls -l /proc/$w/fd 2>/dev/null | grep -q /dev/watchdog
do
	sleep 0.1
	i=$((i + 1))
done
echo "@@ devopen"
bmcwatch -I open watchdog set --timeout 10 --action reset
echo "@@ rc $?"
: >/tmp/devopen.done
wait
busybox rmmod ipmi_watchdog
echo "@@ free"
bmcwatch -I open watchdog set --timeout 10 --action reset
echo "@@ rc $?"
EOF
	guest_armed
} >"$OUT/inband.sh"
SIM_VMPORT=auto
sim_start || { not_ok "sim_start with a VM port"; finish; exit 1; }
if boot inband "$OUT/inband.sh"; then
	ok "guest up (in-band, sim)"
	check "in-band: the guest is reset by the watchdog" wait_exit
	L=$OUT/inband.log
	check_eq "in-band chassis status: exit 0" "$(secrc chassis "$L")" 0
	check_eq "in-band chassis status equals ipmitool over lanplus" \
	    "$(section chassis "$L")" "$(sim_ipmitool chassis status 2>&1)"
	check_eq "in-band identify (no session privilege to check): exit 0" \
	    "$(secrc identify "$L")" 0
	check "in-band identify reached the sim's chassis program" \
	    grep -q '^set identify 3 0$' "$SIM_RUNDIR/chassis.log"
	check_eq "in-band get: exit 0" "$(secrc get "$L")" 0
	section get "$L" >"$OUT/inband-get.json"
	check "in-band get: a full answer (no quirk), stopped" \
	    grep -q '"running":false.*"quirks":\[\]' "$OUT/inband-get.json"
	check_eq "ipmi_watchdog loaded: set refused, exit 2" \
	    "$(secrc module "$L")" 2
	check "ipmi_watchdog loaded: says so" \
	    grep -q 'ipmi_watchdog kernel module is loaded.*--force' \
	    <(section module "$L")
	check_eq "/dev/watchdog held open: set refused, exit 2" \
	    "$(secrc devopen "$L")" 2
	check "/dev/watchdog held open: names the holder" \
	    grep -q '/dev/watchdog is held open by pid [0-9]* (\(sh\|sleep\))' \
	    <(section devopen "$L")
	check_eq "no other owner: set accepted, exit 0" "$(secrc free "$L")" 0
	section bwget "$L" >"$OUT/inband-bwget.json"
	section fget "$L" >"$OUT/inband-fget.txt"
	armed=$(tr -d '\r' <"$L" | sed -n 's/^@@ armed //p')
	compare_fbw "in-band, sim, armed" "$OUT/inband-bwget.json" \
	    "$OUT/inband-fget.txt" "$(read_span "$L")"
	u1=$(last_tick inband)
	if [ -n "$armed" ] && [ -n "$u1" ]; then
		d=$(delta "$armed" "$u1")
		check "in-band: the guest stopped 7-14 s after arming (${d} s)" \
		    within "$d" 7 14
	else
		not_ok "in-band: the guest armed the watchdog and ticked"
	fi
	sim_ipmitool sel elist >"$OUT/sel2.txt" 2>&1
	check "in-band: SEL Watchdog 2 hard reset asserted" \
	    grep -q 'Watchdog2.*Hard reset.*Asserted' "$OUT/sel2.txt"
else
	not_ok "guest up (in-band, sim)"
fi
sim_stop

# ---------------------------------------------------------------------
# 3. in-band on QEMU's ipmi-bmc-sim: countdown owner detection
{
	cat <<'EOF'
echo "@@ get"
bmcwatch -I open watchdog get --json
echo "@@ rc $?"
# (action reset: QEMU's BMC, like ipmi_sim, never runs a no-action timer)
bmcwatch -v -I open watchdog heartbeat --timeout 20 --interval 1 \
    --action reset >/tmp/hb.out 2>&1 &
hb=$!
i=0
while [ $i -lt 600 ] && ! grep -q 'watchdog armed' /tmp/hb.out; do
	sleep 0.1
	i=$((i + 1))
done
echo "@@ foreign"
bmcwatch -I open watchdog set --timeout 10 --action reset
echo "@@ rc $?"
kill $hb
wait $hb
echo "@@ hb"
cat /tmp/hb.out
echo "@@ rc 0"
echo "@@ set"
bmcwatch -I open watchdog set --timeout 10 --action reset
echo "@@ rc $?"
EOF
	guest_armed
} >"$OUT/qbmc.sh"
SIM_VMPORT=qemu
if boot qbmc "$OUT/qbmc.sh"; then
	ok "guest up (in-band, QEMU ipmi-bmc-sim)"
	check "qemu bmc: the guest is reset by the watchdog" wait_exit
	L=$OUT/qbmc.log
	check_eq "qemu bmc get: exit 0" "$(secrc get "$L")" 0
	section get "$L" >"$OUT/qbmc-get.json"
	check "qemu bmc: a full Get (no quirk)" \
	    grep -q '"quirks":\[\]' "$OUT/qbmc-get.json"
	check_eq "countdown reset by another heartbeat: set refused, exit 2" \
	    "$(secrc foreign "$L")" 2
	check "countdown reset by someone else: says so" \
	    grep -q 'countdown is being reset by someone else' \
	    <(section foreign "$L")
	check "the other heartbeat switched the timer off on SIGTERM" \
	    grep -q 'timer stopped' <(section hb "$L")
	check_eq "then set accepted: exit 0" "$(secrc set "$L")" 0
	section bwget "$L" >"$OUT/qbmc-get2.json"
	if python3 - "$OUT/qbmc-get2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
# QEMU 7.2 never sets the running bit: the countdown shows it runs
ok = (d["action"] == "reset" and
      d["initial_countdown_s"] == 10.0 and
      d["present_countdown_s"] is not None and
      0 < d["present_countdown_s"] <= 10.0)
sys.exit(0 if ok else 1)
PY
	then
		ok "qemu bmc: armed timer reads reset, 10 s, counting down"
	else
		not_ok "qemu bmc: armed timer reads reset, 10 s, counting down"
		sed 's/^/# /' "$OUT/qbmc-get2.json"
	fi
	section fget "$L" >"$OUT/qbmc-fget.txt"
	armed=$(tr -d '\r' <"$L" | sed -n 's/^@@ armed //p')
	compare_fbw "in-band, QEMU BMC, armed" "$OUT/qbmc-get2.json" \
	    "$OUT/qbmc-fget.txt" "$(read_span "$L")"
	u1=$(last_tick qbmc)
	if [ -n "$armed" ] && [ -n "$u1" ]; then
		d=$(delta "$armed" "$u1")
		check "qemu bmc: the guest stopped 7-14 s after arming (${d} s)" \
		    within "$d" 7 14
	else
		not_ok "qemu bmc: the guest armed the watchdog and ticked"
	fi
else
	not_ok "guest up (in-band, QEMU ipmi-bmc-sim)"
fi
finish

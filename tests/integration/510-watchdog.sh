#!/bin/bash
# bmcwatch watchdog against the stock sim (fast tier): every decoded field
# of `watchdog get` equals `ipmitool mc watchdog get`, before and after a
# Set; the sim's quirks (6-byte Get, junk after Set's completion code,
# CCh for actions without a system-interface peer) are handled; Reset on
# a never-set timer (80h) gets a clear message; validation refuses the
# pre-timeout >= timeout and 10 s / 10 s heartbeat traps, saying what is
# safe; off; a short heartbeat.  Expiry and the action are in the slow
# tier (150-watchdog-expiry.sh), where a guest is the sim's peer.
. "$(dirname "$0")/lib.sh"

sim_start || { echo "not ok - sim_start"; exit 1; }
trap sim_stop EXIT
T=$SIM_RUNDIR/t510
mkdir -p "$T"

# compare LABEL: bmcwatch watchdog get --json vs ipmitool mc watchdog get
compare() {
	sim_ipmitool mc watchdog get >"$T/ipmi.txt" 2>&1
	bw watchdog get --json >"$T/bw.json" 2>"$T/bw.err"
	check_eq "$1: watchdog get --json exits 0" "$?" 0
	bw watchdog get >"$T/bw.txt" 2>&1
	if msg=$(python3 - "$T/bw.json" "$T/ipmi.txt" "$T/bw.txt" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
ref = {}
flags = []
for line in open(sys.argv[2]):
    m = re.match(r"\s*\*\s*(.+?)\s*$", line)
    if m:
        flags.append(m.group(1))
        continue
    if ":" in line:
        k, v = line.split(":", 1)
        ref[k.strip()] = v.strip()
def name_code(v):
    m = re.match(r"(.*?)\s*\((0x[0-9a-fA-F]+)\)$", v)
    return m.group(1), int(m.group(2), 16)
bad = []
use, use_code = name_code(ref["Watchdog Timer Use"])
if d["timer_use_text"] != use:
    bad.append("use %r != %r" % (d["timer_use_text"], use))
raw = bytes.fromhex(d["raw"])
if raw[0] != use_code:
    bad.append("use byte %02x != %02x" % (raw[0], use_code))
if d["running"] != (ref["Watchdog Timer Is"] == "Started/Running"):
    bad.append("running %r vs %r" % (d["running"], ref["Watchdog Timer Is"]))
if d["logging"] != (ref["Watchdog Timer Logging"] == "On"):
    bad.append("logging")
act, act_code = name_code(ref["Watchdog Timer Action"])
if d["action_text"] != act or raw[1] != act_code:
    bad.append("action %r/%02x != %r/%02x" % (d["action_text"], raw[1],
                                             act, act_code))
if d["pretimeout_interrupt"] != {"None": "none", "SMI": "smi",
        "NMI/Diagnostic": "nmi", "Messaging": "msg"}.get(
        ref["Pre-timeout interrupt"]):
    bad.append("pre-timeout interrupt")
if "%d seconds" % d["pretimeout_interval_s"] != ref["Pre-timeout interval"]:
    bad.append("pre-timeout interval")
m = re.search(r"\((0x[0-9a-fA-F]+)\)", ref["Timer Expiration Flags"])
if int(m.group(1), 16) != d["expiration_flags_raw"]:
    bad.append("expiration flags")
if "%.1f sec" % d["initial_countdown_s"] != ref["Initial Countdown"]:
    bad.append("initial countdown %r != %r" % (d["initial_countdown_s"],
                                               ref["Initial Countdown"]))
# ipmitool prints whatever follows a short answer; compare only a real one
if d["present_countdown_s"] is not None:
    got = d["present_countdown_s"]
    want = float(ref["Present Countdown"].split()[0])
    if abs(got - want) > 1.0:
        bad.append("present countdown %r vs %r" % (got, want))
elif "short-get" not in d["quirks"]:
    bad.append("no present countdown, no quirk named")
# the text form prints ipmitool's lines for everything but the countdown
mine = [l.rstrip("\n") for l in open(sys.argv[3])]
theirs = [l.rstrip("\n") for l in open(sys.argv[2])]
for l in theirs:
    if l.startswith("Present Countdown") and d["present_countdown_s"] is None:
        continue
    if l not in mine:
        bad.append("text line missing: %r" % l)
if bad:
    sys.exit("; ".join(bad))
print("use %s, action %s, initial %.1f s" % (use, act, d["initial_countdown_s"]))
PY
	); then
		ok "$1: watchdog get equals ipmitool mc watchdog get ($msg)"
	else
		not_ok "$1: watchdog get vs ipmitool: $msg"
	fi
}

compare "fresh sim"
check_eq "the sim's short Get is named as a quirk" \
    "$(json_get "$T/bw.json" 'd["quirks"]')" "['short-get']"

# --- Reset before any Set: 80h, a clear message ---------------------------
out=$(bw watchdog reset 2>&1)
check_eq "reset of a never-set watchdog: exit 1" "$?" 1
check "reset 80h: message says to set it first" \
    grep -q 'never set since the BMC started.*watchdog set' <<<"$out"
# with the set options, reset handles 80h itself: Set, then Reset
out=$(bw watchdog reset --timeout 20 --action none 2>&1)
check_eq "reset --timeout 20 on a never-set watchdog: exit 0" "$?" 0
check_eq "reset --timeout: set first, then reset" "$out" \
    "Watchdog Timer reset (it was not initialised: set first, then reset)"
compare "after reset with set options"
check_eq "reset --timeout programmed 20 s" \
    "$(json_get "$T/bw.json" 'd["initial_countdown_s"]')" 20.0
out=$(bw watchdog reset 2>&1)
check_eq "plain reset now works: exit 0" "$?" 0

# --- validation, before anything is sent --------------------------------
out=$(bw watchdog set --timeout 10 --pretimeout 10 --pre-interrupt nmi 2>&1)
check_eq "pre-timeout = timeout refused: exit 2" "$?" 2
check "pre-timeout message says what is allowed" \
    grep -q 'must be shorter than the timeout.*at most 9 s' <<<"$out"
out=$(bw watchdog heartbeat --timeout 10 --interval 10 2>&1)
check_eq "10 s / 10 s heartbeat refused: exit 2" "$?" 2
check "10 s / 10 s message says what is safe" \
    grep -q 'at most 5.0 s, or a timeout of at least 20.0 s' <<<"$out"
bw watchdog set --timeout 0 >/dev/null 2>&1
check_eq "timeout 0 refused: exit 2" "$?" 2
bw watchdog set --timeout 6554 >/dev/null 2>&1
check_eq "timeout above 6553.5 s refused: exit 2" "$?" 2
bw watchdog set --timeout 10 --action explode >/dev/null 2>&1
check_eq "unknown action refused: exit 2" "$?" 2
bw watchdog set --action reset >/dev/null 2>&1
check_eq "set without --timeout: exit 2" "$?" 2

# --- set, every field, no action (the stock sim refuses actions) ---------
out=$(bw watchdog set --timeout 12.5 --pretimeout 3 --pre-interrupt msg \
    --action none --use os-load --no-log 2>&1)
check_eq "set --timeout 12.5 --pretimeout 3 --pre-interrupt msg --use os-load --no-log: exit 0" "$?" 0
compare "after set"
check_eq "timer use" "$(json_get "$T/bw.json" 'd["timer_use"]')" os-load
check_eq "logging off" "$(json_get "$T/bw.json" 'd["logging"]')" False
check_eq "pre-timeout interrupt" \
    "$(json_get "$T/bw.json" 'd["pretimeout_interrupt"]')" msg
check_eq "pre-timeout interval" \
    "$(json_get "$T/bw.json" 'd["pretimeout_interval_s"]')" 3
check_eq "initial countdown" \
    "$(json_get "$T/bw.json" 'd["initial_countdown_s"]')" 12.5
out=$(bw watchdog set --timeout 30 --action none --use sms-os 2>&1)
compare "after a second set"

# --- actions need a system-interface peer on the stock sim: CCh -----------
out=$(bw watchdog set --timeout 10 --action power-cycle 2>&1)
check_eq "power-cycle without a peer: the sim answers CCh, exit 1" "$?" 1
check "CCh is explained" grep -q 'cannot perform the action' <<<"$out"

# --- reset now works; off ---------------------------------------------------
bw watchdog reset >/dev/null 2>&1
check_eq "reset after set: exit 0" "$?" 0
out=$(bw watchdog off 2>&1)
check_eq "off: exit 0" "$?" 0
check_eq "off output" "$out" "Watchdog Timer stopped"
compare "after off"
check_eq "off keeps the timer use" "$(json_get "$T/bw.json" 'd["timer_use"]')" sms-os
check_eq "off: no action" "$(json_get "$T/bw.json" 'd["action"]')" none

# --- a short heartbeat: arms, resets, switches off ---------------------------
bw watchdog heartbeat --timeout 10 --interval 0.5 --action none --for 2.2 \
    --json >"$T/hb.json" 2>"$T/hb.err"
check_eq "heartbeat --for 2.2: exit 0" "$?" 0
kicks=$(json_get "$T/hb.json" 'd["kicks"]')
# at most one reset an interval (4.4 in 2.2 s); a slow machine makes
# fewer, never more
check "heartbeat reset the timer 1-5 times (got $kicks)" \
    [ "$kicks" -ge 1 ] && [ "$kicks" -le 5 ]
check_eq "heartbeat stopped the timer at the end" \
    "$(json_get "$T/hb.json" 'd["stopped"]')" True

check_eq "nothing expired: SEL empty" \
    "$(sim_ipmitool sel elist 2>&1 | grep -c Watchdog)" 0
bw watchdog frob >/dev/null 2>&1
check_eq "unknown watchdog subcommand: exit 2" "$?" 2
finish

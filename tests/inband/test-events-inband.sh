#!/bin/bash
# In-band event messages (issue 9): `bmcwatch -I open sel watch' in a QEMU
# guest asks the OpenIPMI driver for the BMC's event messages and reads no
# SEL at all.  From the host, a threshold crossing is set on the sim
# (sensor_set_value with gen_event): ipmi_sim adds the SEL entry and, since
# the guest's ipmi_si has enabled the Event Message Buffer (Set BMC Global
# Enables), copies it there and raises ATN; the driver reads it (Read Event
# Message Buffer) and hands it to the watcher.  The record must arrive well
# inside the bound and equal the SEL entry ipmitool reads over RMCP+, and
# the watcher must have sent no request (so no SEL poll found it).
# Reuses kernel.sh, mkinitrd.sh, run.sh and guest.sh; prints ok/not ok
# lines, exit 0, 1 or 77.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
OUT=build/inband/events
INB=tests/inband
mkdir -p "$OUT"
skip() { echo "# SKIP test-events-inband: $*"; exit 77; }
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }

# the guest's watcher waits this long for the event (TCG is slow, and a
# loaded machine slower): arrival at all proves the path, the time is
# reported
BOUND=30

command -v ipmitool >/dev/null 2>&1 || skip "ipmitool not found"
command -v ipmi_sim >/dev/null 2>&1 || skip "ipmi_sim not found"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
. "$INB/guest.sh"
inband_require "$OUT" skip notok

# shellcheck disable=SC2034 # read by inband_sim
SIM_DIR=$ROOT/tests/sim
inband_sim || { notok "ipmi_sim started"; exit 1; }
trap inband_cleanup EXIT
n=$(sim_ipmitool sel info 2>/dev/null | awk -F: '/^Entries/ {print $2+0}')
[ "$n" = 0 ] && ok "the sim's SEL starts empty" ||
    notok "the sim's SEL starts empty (entries: '$n')"

cat >"$OUT/guest.sh" <<GUEST
echo "@@ watch"
bmcwatch -I open --json --stats sel watch --for $BOUND --count 1 2>&1
echo "@@ rc \$?"
exit 0
GUEST
sh "$INB/mkinitrd.sh" -k build/inband/kernel -s "$OUT/guest.sh" \
    "$OUT/initrd.gz" "$BW" 2>"$OUT/mkinitrd.err" ||
    { notok "initramfs: $(cat "$OUT/mkinitrd.err")"; exit 1; }

inband_boot "$OUT/initrd.gz" 180
# wait (bounded) for the watcher to have asked the driver for events
inband_first 'waiting for event messages' 1500 "the guest's watcher started"
ok "the guest's watcher is waiting for event messages"

# CPU1 Temp to raw 90: upper non-critical (raw 85) crossed going high
# (offset 7), the sim generates the assertion event
t0=$(date +%s%N)
sim_set_value 0x01 90 >/dev/null ||
    { notok "sensor_set_value on the sim"; exit 1; }
if inband_waitfor '"record_id"' $((BOUND * 10)); then
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	ok "the event reached the guest ${ms} ms after the crossing (bound ${BOUND} s)"
else
	notok "the event reached the guest within ${BOUND} s"
fi
inband_end
[ "$(secrc watch)" = 0 ] && ok "sel watch exits 0" ||
    notok "sel watch exits 0 (rc '$(secrc watch)')"
section watch | grep '^{' >"$OUT/event.json"
section watch | grep 'stats:' >"$OUT/stats.txt"
# the watcher sent nothing: no Get SEL Entry can have found the record
if grep -q 'requests=0 packets_out=0 ' "$OUT/stats.txt"; then
	ok "the watcher sent no request ($(cat "$OUT/stats.txt"))"
else
	notok "the watcher sent no request: $(cat "$OUT/stats.txt")"
fi

# the same record as the SEL entry over RMCP+ (Get SEL Entry, raw), apart
# from the timestamp: ipmi_sim stamps the SEL copy, not the message
if [ -s "$OUT/event.json" ]; then
	id=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["record_id"])' \
	    "$OUT/event.json")
	lsb=$(printf '0x%02x' $((id & 255)))
	msb=$(printf '0x%02x' $((id >> 8)))
	sim_ipmitool raw 0x0a 0x43 0x00 0x00 "$lsb" "$msb" 0x00 0xff \
	    >"$OUT/lan-entry.txt" 2>&1 ||
	    notok "Get SEL Entry $id over lanplus: $(cat "$OUT/lan-entry.txt")"
	if msg=$(python3 - "$OUT/event.json" "$OUT/lan-entry.txt" <<'PY'
import json, sys
ev = json.loads(open(sys.argv[1]).readline())
raw = bytes.fromhex(ev["raw"])
lan = bytes(int(x, 16) for x in open(sys.argv[2]).read().split())[2:]
bad = []
if len(raw) != 16 or len(lan) != 16:
    sys.exit("lengths: event %d, SEL entry %d" % (len(raw), len(lan)))
# record id, type; then generator .. event data (bytes 7-15)
if raw[0:3] != lan[0:3] or raw[7:16] != lan[7:16]:
    bad.append("event %s != SEL entry %s" % (raw.hex(), lan.hex()))
for k, want in (("sensor_number", 1), ("sensor_type", 1),
                ("event_type", 1), ("direction", "asserted"),
                ("type", "system"), ("sensor_type_name", "Temperature"),
                ("offset", 7)):
    if ev.get(k) != want:
        bad.append("%s: %r, want %r" % (k, ev.get(k), want))
if bad:
    sys.exit("; ".join(bad))
print("record %d, %s: %s" % (ev["record_id"], ev["sensor_type_name"],
                             ev["event"]))
PY
); then
		ok "the event equals SEL entry $id over lanplus ($msg)"
	else
		notok "the event equals the SEL entry over lanplus: $msg"
		sed 's/^/# guest: /' "$OUT/event.json"
	fi
else
	notok "the watcher printed the event"
	section watch | sed 's/^/# guest: /'
fi
exit $failed

#!/bin/bash
# bmcwatchd in-band (issue 9): in a QEMU guest whose KCS interface is
# wired to ipmi_sim, the daemon watches the local BMC (`interface open`,
# `in-band-events yes`) with every poll interval at an hour, so only an
# event message can make it read the SEL.  From the host a threshold
# crossing is set on the sim; the guest polls the control socket until
# the entry is archived and in the store (sel_archived 1).  The arrival
# is asserted within a generous bound (TCG is slow, a loaded machine
# slower) and its time reported; the archived line must be the SEL
# entry ipmitool reads over RMCP+.  The daemon also drops root in the
# guest (to nobody) and stops cleanly.
# Reuses kernel.sh, mkinitrd.sh, run.sh and guest.sh; ok/not ok lines,
# exit 0, 1 or 77.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
OUT=build/inband/daemon
INB=tests/inband
mkdir -p "$OUT"
skip() { echo "# SKIP test-daemon-inband: $*"; exit 77; }
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }
BOUND=30

command -v ipmitool >/dev/null 2>&1 || skip "ipmitool not found"
command -v ipmi_sim >/dev/null 2>&1 || skip "ipmi_sim not found"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
. "$INB/guest.sh"
inband_require "$OUT" skip notok
BWD=${INBAND_BMCWATCHD:-build/static/bmcwatchd}
if [ -z "${INBAND_BMCWATCHD:-}" ]; then
	make -s BUILD=build/static LDFLAGS=-static NO_CURL=1 build/static/bmcwatchd \
	    >"$OUT/static-build.log" 2>&1 ||
	    { notok "static bmcwatchd (see $OUT/static-build.log)"; exit 1; }
fi

# shellcheck disable=SC2034 # read by inband_sim
SIM_DIR=$ROOT/tests/sim
inband_sim || { notok "ipmi_sim started"; exit 1; }
trap inband_cleanup EXIT

cat >"$OUT/guest.sh" <<GUEST
# the initramfs root comes as mktemp made it (0700): a user that is not
# root could not reach a single path
busybox chmod 755 /
# a user to drop to, as a real system has
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
D=/tmp/d
mkdir -p \$D
busybox chown 65534:65534 \$D
busybox chmod 755 \$D
cat >\$D/d.conf <<EOF
socket "\$D/ctl.sock"
state-dir "\$D/state"
archive-dir "\$D/archive"
user "nobody"
target "local" {
	interface open
	sensor-interval 3600  sel-interval 3600  chassis-interval 3600
	in-band-events yes
}
EOF
bmcwatchd -d -v -f \$D/d.conf 2>\$D/log &
DP=\$!
i=0
while [ \$i -lt 1200 ]; do
	bmcwatch -S \$D/ctl.sock --json targets >\$D/t.json 2>/dev/null &&
	    grep -q '"sel_passes":[1-9]' \$D/t.json && break
	sleep 0.1
	i=\$((i + 1))
done
echo "@@ ready"
cat \$D/t.json
i=0
while [ \$i -lt $((BOUND * 20)) ]; do
	if bmcwatch -S \$D/ctl.sock --json targets >\$D/t.json 2>/dev/null &&
	    grep -q '"sel_archived":1' \$D/t.json; then
		echo "@@ seen"
		break
	fi
	sleep 0.05
	i=\$((i + 1))
done
# the pass that archived it ends: its count and the transport's counters
# are stored then (archived before the end, it can be seen first)
i=0
while [ \$i -lt 400 ]; do
	bmcwatch -S \$D/ctl.sock --json targets >\$D/t.json 2>/dev/null &&
	    grep -q '"sel_passes":[2-9]' \$D/t.json && break
	sleep 0.05
	i=\$((i + 1))
done
echo "@@ targets"
cat \$D/t.json
echo "@@ archive"
cat \$D/archive/sel-local.log
echo "@@ status"
grep '^Uid\|^CapEff' /proc/\$DP/status
echo "@@ stop"
kill \$DP
wait \$DP
echo "@@ rc \$?"
echo "@@ log"
cat \$D/log
exit 0
GUEST
sh "$INB/mkinitrd.sh" -k build/inband/kernel -s "$OUT/guest.sh" \
    "$OUT/initrd.gz" "$BW" "$BWD" 2>"$OUT/mkinitrd.err" ||
    { notok "initramfs: $(cat "$OUT/mkinitrd.err")"; exit 1; }

inband_boot "$OUT/initrd.gz" 300
inband_first '^@@ ready' 2400 "the daemon came up in the guest"
ok "the daemon is up in the guest and has read the SEL once"
t0=$(date +%s%N)
sim_set_value 0x01 90 >/dev/null ||
    { notok "sensor_set_value on the sim"; exit 1; }
if inband_waitfor '^@@ seen' $((BOUND * 10)); then
	t1=$(date +%s%N)
	ok "the entry reached the daemon's store $(((t1 - t0) / 1000000)) ms after the crossing, with every poll an hour away (bound $BOUND s)"
else
	notok "the entry reached the daemon's store within $BOUND s"
fi
inband_end
section targets | grep -q '"sel_passes":[2-9]' &&
    ok "an event-triggered SEL pass ran" ||
    notok "an event-triggered SEL pass ran: $(section targets)"
section targets | grep -q '"events":[1-9]' &&
    ok "the transport counted the event message" ||
    notok "the transport counted the event message"
raw=$(section archive | head -n 1 | cut -f 7)
lan=$(sim_ipmitool raw 0x0a 0x43 0x00 0x00 0x01 0x00 0x00 0xff 2>/dev/null |
    tr -d ' \n' | cut -c 5-)
if [ -n "$raw" ] && [ "$raw" = "$lan" ]; then
	ok "the archived entry is SEL entry 1 as ipmitool reads it ($raw)"
else
	notok "the archived entry is SEL entry 1 as ipmitool reads it ('$raw' vs '$lan')"
fi
section status | grep -q '^Uid:[[:space:]]*65534' &&
    section status | grep -q '^CapEff:[[:space:]]*0000000000000000' &&
    ok "root dropped in the guest (nobody, no capability)" ||
    notok "root dropped in the guest: $(section status | tr '\n' ' ')"
[ "$(secrc stop)" = 0 ] && ok "SIGTERM: exit 0" ||
    notok "SIGTERM: exit 0 (rc '$(secrc stop)')"
section log | sed 's/^/# guest: /'
exit $failed

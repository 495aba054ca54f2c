#!/bin/bash
# The SDR repository read with several Get SDRs in flight (issue 15):
# through a relay that delays every datagram 5 ms each way, a cold read
# with --max-outstanding 8 writes byte for byte the image of a read one
# request at a time, and of ipmitool's own `sdr dump`; it sends no more
# Get SDRs than the serial read (bmcwatch's counter and the relay's count
# of datagrams to the BMC), none of them wasted, and really has several
# in flight.  The same for the sensor sweep's cache file.
. "$(dirname "$0")/lib.sh"
command -v ipmitool >/dev/null || skip_all "ipmitool not installed"
sim_start || exit 1
trap 'relay_stop; sim_stop' EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
PW=$(sim_pwfile admin)

bwr() {
	"$BMCWATCH" -I lanplus -H 127.0.0.1 -p "$RELAY_PORT" -U admin \
	    -f "$PW" -C 3 "$@"
}
stat_of() { sed -n "s/.*stats: .*[ ]$1=\([0-9]*\).*/\1/p" "$2" | tail -n 1; }

relay_start --delay-ms 5 || { not_ok "relay starts"; finish; exit; }

# cold_read TAG WINDOW: a read with an empty cache directory of its own
cold_read() {
	_before=$(relay_count to_bmc)
	if BMCWATCH_CACHE_DIR=$W/cache-$1 bwr --stats --max-outstanding "$2" \
	    sdr dump "$W/$1.bin" >/dev/null 2>"$W/$1.err"; then
		ok "$1: cold sdr dump, window $2"
	else
		not_ok "$1: cold sdr dump, window $2"
		cat "$W/$1.err"
	fi
	echo $(($(relay_count to_bmc) - _before)) >"$W/$1.relay"
}
cold_read one 1
cold_read eight 8

sim_ipmitool sdr dump "$W/ipmitool.bin" >/dev/null 2>&1
check "ipmitool dumped the repository" test -s "$W/ipmitool.bin"
check_eq "window 8: the image a read one at a time writes" \
    "$(cmp -s "$W/one.bin" "$W/eight.bin" && echo same)" same
check_eq "window 8: the image ipmitool's sdr dump writes" \
    "$(cmp -s "$W/ipmitool.bin" "$W/eight.bin" && echo same)" same
n1=$(stat_of get_sdr "$W/one.err")
n8=$(stat_of get_sdr "$W/eight.err")
check "about 2 Get SDR per record of the sim (serial: $n1)" test "$n1" -ge 60
check_eq "window 8: the same Get SDRs as one at a time" "$n8" "$n1"
check_eq "window 8: no Get SDR sent ahead in vain" \
    "$(stat_of sdr_unused "$W/eight.err")" 0
check_eq "window 8: the relay saw as many datagrams as one at a time" \
    "$(cat "$W/eight.relay")" "$(cat "$W/one.relay")"
check "window 8: several Get SDRs in flight at once ($(stat_of inflight_max "$W/eight.err"))" \
    test "$(stat_of inflight_max "$W/eight.err")" -ge 4
check_eq "window 1: one in flight" "$(stat_of inflight_max "$W/one.err")" 1
check_eq "window 8: no retransmission, no fallback" \
    "$(stat_of retransmits "$W/eight.err") $(stat_of window_fallbacks "$W/eight.err")" \
    "0 0"

# the sweep's own cache read: the cache files agree too
for w in 1 8; do
	BMCWATCH_CACHE_DIR=$W/sweep-$w bwr --stats --max-outstanding "$w" \
	    sensors --json >"$W/sweep-$w.json" 2>"$W/sweep-$w.err" ||
	    not_ok "sensors, window $w"
done
f1=$(find "$W/sweep-1" -type f -name 'sdr-*' | sort | head -n 1)
f8=$(find "$W/sweep-8" -type f -name 'sdr-*' | sort | head -n 1)
check "a cache file written ($f8)" test -s "$f8"
check_eq "the sweep's cache file, window 8 = window 1" \
    "$(cmp -s "$f1" "$f8" && echo same)" same
check_eq "the sweep's readings, window 8 = window 1" \
    "$(cmp -s "$W/sweep-1.json" "$W/sweep-8.json" && echo same)" same
finish

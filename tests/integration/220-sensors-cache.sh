#!/bin/bash
# The SDR cache (issue 3): a warm sweep issues no Get SDR at all (one
# repository check plus one Get Sensor Reading per sensor), also in a new
# process; a repository change in the sim is noticed and the cache
# rebuilt; a truncated or corrupted cache file is rebuilt with a warning;
# --sdr-file / sdr dump; sweeps on one session need no new session.
. "$(dirname "$0")/lib.sh"
sim_start || exit 1
# the cache outside the sim's directory: it must outlive the sim's
# restart at the end, where the file it left is found stale
C=$(mktemp -d "${TMPDIR:-/tmp}/bw-cache.XXXXXX") || exit 1
trap 'sim_stop; rm -rf "$C"' EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"

# stat NAME FILE: a counter from the --stats lines (last sweep line)
sstat() {
	grep "sweep .* stats:" "$2" | tail -1 | tr ' ' '\n' |
	    sed -n "s/^$1=//p"
}
tstat() {
	grep "bmcwatch: stats:" "$2" | tail -1 | tr ' ' '\n' |
	    sed -n "s/^$1=//p"
}

bw --stats sensors --sdr-cache "$C" >"$W/cold.out" 2>"$W/cold.err"
check "cold sweep succeeds" test -s "$W/cold.out"
n=$(wc -l <"$W/cold.out")
check "cold sweep walks the repository ($(sstat get_sdr "$W/cold.err") Get SDR)" \
    test "$(sstat get_sdr "$W/cold.err")" -gt 0
check_eq "cold sweep: one walk" "$(sstat walks "$W/cold.err")" 1
check "cache file written" test -f "$(echo "$C"/sdr-guid-*.cache)"
check "peer alias written" test -f "$(echo "$C"/peer-lanplus-*)"

bw --stats sensors --sdr-cache "$C" >"$W/warm.out" 2>"$W/warm.err"
check_eq "warm: same output" "$(cat "$W/warm.out")" "$(cat "$W/cold.out")"
check_eq "warm: no Get SDR" "$(sstat get_sdr "$W/warm.err")" 0
check_eq "warm: no Reserve" "$(sstat reserve_sdr "$W/warm.err")" 0
check_eq "warm: one repository check" "$(sstat sdr_info "$W/warm.err")" 1
check_eq "warm: no Get Sensor Thresholds" \
    "$(sstat get_sensor_thresholds "$W/warm.err")" 0
check_eq "warm: no identity requests" \
    "$(( $(sstat get_device_id "$W/warm.err") + $(sstat get_guid "$W/warm.err") ))" 0
check_eq "warm: one reading per sensor" \
    "$(sstat get_sensor_reading "$W/warm.err")" "$n"
check_eq "warm: transport requests = sensors + 1" \
    "$(tstat requests "$W/warm.err")" "$((n + 1))"

# several sweeps on one session: no session setup, same counts
bw --stats sensors --sdr-cache "$C" --sweeps 3 >/dev/null 2>"$W/sweeps.err"
check_eq "3 sweeps, one session" "$(tstat sessions "$W/sweeps.err")" 1
check_eq "3 sweeps: requests = 3 x (sensors + 1)" \
    "$(tstat requests "$W/sweeps.err")" "$((3 * (n + 1)))"

# a truncated cache file: detected, warned about, rebuilt
f=$(echo "$C"/sdr-guid-*.cache)
sz=$(stat -c %s "$f")
truncate -s $((sz / 2)) "$f"
bw --stats sensors --sdr-cache "$C" >"$W/trunc.out" 2>"$W/trunc.err"
check "truncated cache: warning" grep -q "SDR cache .*truncated.*rebuilding" "$W/trunc.err"
check_eq "truncated cache: rebuilt" "$(sstat walks "$W/trunc.err")" 1
check_eq "truncated cache: same output" "$(cat "$W/trunc.out")" "$(cat "$W/cold.out")"
check_eq "rebuilt file has the full size" "$(stat -c %s "$f")" "$sz"

# one flipped byte in the records: checksum
python3 - "$f" <<'PYEOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x5a
open(p, "wb").write(bytes(b))
PYEOF
bw --stats sensors --sdr-cache "$C" >"$W/flip.out" 2>"$W/flip.err"
check "corrupted cache: warning" grep -q "SDR cache .*checksum.*rebuilding" "$W/flip.err"
check_eq "corrupted cache: rebuilt" "$(sstat walks "$W/flip.err")" 1
check_eq "corrupted cache: same output" "$(cat "$W/flip.out")" "$(cat "$W/cold.out")"

# repository change: add a compact SDR for a third processor + sensor
sim_cmd "main_sdr_add 0x20 0x50 0x00 0x51 0x02 0x1f 0x20 0x00 0x50 0x07 0x03 0x67 0x40 0x07 0x6f 0xbf 0x05 0xbf 0x05 0xbf 0x05 0xc0 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0xc4 0x43 0x50 0x55 0x33" >/dev/null
sim_cmd "sensor_add 0x20 0 0x50 0x07 0x6f" >/dev/null
sim_cmd "sensor_set_bit 0x20 0 0x50 7 1 0" >/dev/null
bw --stats sensors --sdr-cache "$C" >"$W/added.out" 2>"$W/added.err"
check_eq "SDR added: rebuilt" "$(sstat walks "$W/added.err")" 1
check "SDR added: new sensor listed" grep -q "^CPU3 .*Presence detected" "$W/added.out"
bw --stats sensors --sdr-cache "$C" >/dev/null 2>"$W/added2.err"
check_eq "after the rebuild: warm again" "$(sstat get_sdr "$W/added2.err")" 0

# in one process: the daemon's path (sweeps on one session, the
# repository changes between them)
bw --stats sensors --sdr-cache "$C" --sweeps 2 >/dev/null 2>"$W/live.err"
check_eq "two sweeps, no change: no Get SDR" \
    "$(grep 'sweep 2 stats' "$W/live.err" | tr ' ' '\n' | sed -n 's/^get_sdr=//p')" 0

# sdr dump + --sdr-file: offline, no SDR requests at all
bw sensors --sdr-cache "$C" >"$W/ref.out" 2>/dev/null
bw sdr dump "$W/sdr.bin" --sdr-cache "$C" >/dev/null 2>&1
check "sdr dump wrote an image" test -s "$W/sdr.bin"
sim_ipmitool -S "$W/sdr.bin" sdr list 2>/dev/null | cut -d'|' -f1 |
    sed 's/ *$//' >"$W/it-names.txt"
cut -d'|' -f1 "$W/ref.out" | sed 's/ *$//' >"$W/bw-names.txt"
check_eq "ipmitool -S reads the dump (same sensors)" \
    "$(sort "$W/it-names.txt" | tr '\n' ,)" "$(sort "$W/bw-names.txt" | tr '\n' ,)"
bw --stats sensors --sdr-file "$W/sdr.bin" >"$W/file.out" 2>"$W/file.err"
check_eq "--sdr-file: same output" "$(cat "$W/file.out")" "$(cat "$W/ref.out")"
check_eq "--sdr-file: no repository check" "$(sstat sdr_info "$W/file.err")" 0
check_eq "--sdr-file: no Get SDR" "$(sstat get_sdr "$W/file.err")" 0
head -c 20 "$W/sdr.bin" >"$W/bad.bin"
bw sensors --sdr-file "$W/bad.bin" >/dev/null 2>"$W/bad.err"
check_eq "--sdr-file truncated: usage error" "$?" 2

# sim restart: new timestamps, the GUID-keyed file is found stale
check "before the restart: the cache file is there" \
    test -f "$(echo "$C"/sdr-guid-*.cache)"
sim_stop
sim_start || exit 1
W2=$SIM_RUNDIR/w
mkdir -p "$W2"
bw --stats sensors --sdr-cache "$C" >"$W2/restart.out" 2>"$W2/restart.err"
check_eq "sim restarted: rebuilt" "$(sstat walks "$W2/restart.err")" 1
check_eq "sim restarted: the old file found stale" \
    "$(sstat cache_rejects "$W2/restart.err")" 1
finish

#!/bin/bash
# In-band sensors (issue 3): a static bmcwatch in a QEMU guest reads the
# sim's sensors through /dev/ipmi0, including two sensors owned by a
# satellite controller (IPMB 0x30, LUN 0 and 1) that the OpenIPMI driver
# bridges; every reading, unit and state must equal what ipmitool reads
# over RMCP+ from the same sim (ipmitool bridges by itself), and a second
# sweep in the guest must be warm (no Get SDR).  Reuses kernel.sh,
# mkinitrd.sh and run.sh; prints ok/not ok lines, exit 0, 1 or 77.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
OUT=build/inband/sensors
INB=tests/inband
mkdir -p "$OUT"
skip() { echo "# SKIP test-sensors-inband: $*"; exit 77; }
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }

command -v ipmitool >/dev/null 2>&1 || skip "ipmitool not found"
command -v ipmi_sim >/dev/null 2>&1 || skip "ipmi_sim not found"
. "$INB/guest.sh"
inband_require "$OUT" skip notok

# the project's sim config plus a satellite controller
SIM_DIR=$ROOT/tests/sim
python3 "$SIM_DIR/mkbridged.py" "$OUT" ||
    { notok "sim config with a satellite controller (mkbridged.py)"; exit 1; }
. "$SIM_DIR/lib.sh" || skip "cannot source tests/sim/lib.sh"
SIM_VMPORT=auto
sim_start "$OUT/br.emu" || { notok "sim started"; exit 1; }
trap sim_stop EXIT
sim_ipmitool sensor list >"$OUT/ipmitool.txt" 2>&1 ||
    { notok "ipmitool sensor list over lanplus"; exit 1; }

cat >"$OUT/guest.sh" <<'GUEST'
mkdir -p /c
echo "@@ cold"
bmcwatch -I open --json sensors --sdr-cache /c 2>&1
echo "@@ rc $?"
echo "@@ warm"
bmcwatch -I open --stats sensors --sdr-cache /c 2>&1
echo "@@ rc $?"
exit 0
GUEST
sh "$INB/mkinitrd.sh" -k build/inband/kernel -s "$OUT/guest.sh" \
    "$OUT/initrd.gz" "$BW" 2>"$OUT/mkinitrd.err" ||
    { notok "initramfs: $(cat "$OUT/mkinitrd.err")"; exit 1; }
sh "$INB/run.sh" -k build/inband/kernel -t 180 -o "$OUT/console.log" \
    "$OUT/initrd.gz" >"$OUT/guest.out" 2>"$OUT/run.err"
rc=$?
[ $rc -eq 77 ] && skip "$(cat "$OUT/run.err")"
grep -q '^@@ ' "$OUT/guest.out" ||
    { notok "guest ran the test (rc $rc): $(cat "$OUT/run.err")"; exit 1; }
ok "guest booted and ran the sweeps"
[ "$(secrc cold)" = 0 ] && ok "in-band sweep exits 0" ||
    { notok "in-band sweep exits 0"; section cold | tail -5 | sed 's/^/# /'; }
section cold | grep '^{' >"$OUT/ours.json"
: >"$OUT/freeipmi.csv"
python3 "$ROOT/tests/integration/sensors_compare.py" "$OUT/ours.json" \
    "$OUT/ipmitool.txt" "$OUT/freeipmi.csv" >"$OUT/cmp.txt"
sed 's/^\(\(not \)\{0,1\}ok - \)/\1in-band: /' "$OUT/cmp.txt" |
    grep -v 'ipmi-sensors'
grep -q '^not ok' "$OUT/cmp.txt" && failed=1
w=$(section warm | grep 'sweep 1 stats' | tr ' ' '\n' | sed -n 's/^get_sdr=//p')
[ "$w" = 0 ] && ok "in-band warm sweep: no Get SDR" ||
    notok "in-band warm sweep: no Get SDR (got '$w')"
exit $failed

#!/bin/bash
# A BMC without an SDR repository that provides Device SDRs (Get Device
# ID: device support bit 1 clear, "provides Device SDRs" set): the cache
# is built with Reserve Device SDR Repository / Get Device SDR and
# checked with Get Device SDR Info (issue 3).  The sim serves the same
# records as tests/sim/bmc.sdrs through device_sdr_add.  ipmitool and
# ipmi-sensors cannot read such a BMC, so the records are held against
# the sdrcomp image itself.  (ipmi_sim initialises sensors from its main
# repository only, so here they report "scanning disabled"; that must
# show as unavailable, never as 0.)
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-devsdr.XXXXXX")
sed -e 's/^mc_add 0x20 0x01 no-device-sdrs 0x01 0x02 0x45 0xbf/mc_add 0x20 0x01 has-device-sdrs 0x01 0x02 0x45 0xbd/' \
    -e 's|include "@RUNDIR@/sdr.emu"|include "@RUNDIR@/devsdr.emu"|' \
    "$SIM_DIR/bmc.emu" >"$T/dev.emu"
check "the config has device SDRs" grep -q has-device-sdrs "$T/dev.emu"
cp "$SIM_DIR/bmc.sdrs" "$T/dev.sdrs"
sdrcomp -8 -r -o "$T/sdr.bin" "$T/dev.sdrs" >/dev/null 2>&1 || skip_all "sdrcomp failed"
SIM_RUNDIR=$T/run
export SIM_RUNDIR
mkdir -p "$SIM_RUNDIR"
python3 - "$T/sdr.bin" >"$SIM_RUNDIR/devsdr.emu" <<'PYEOF'
import sys
b = open(sys.argv[1], "rb").read()
p = 0
while p < len(b):
    n = 5 + b[p + 4]
    print("device_sdr_add 0x20 0 " + " ".join("0x%02x" % x for x in b[p:p + n]))
    p += n
PYEOF
sim_start "$T/dev.emu" || exit 1
trap 'sim_stop; rm -rf "$T"' EXIT
C=$T/cache
sstat() { grep "sweep .* stats:" "$2" | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }

bw --stats sensors --json --sdr-cache "$C" >"$T/cold.json" 2>"$T/cold.err"
check_eq "cold: exit 0" "$?" 0
check_eq "Device SDR commands used" "$(sstat device_sdrs "$T/cold.err")" 1
check_eq "cold: one walk" "$(sstat walks "$T/cold.err")" 1
bw sdr list --sdr-cache "$C" >"$T/dev.list"
bw sdr list --sdr-file "$T/sdr.bin" >"$T/ref.list" 2>/dev/null
check_eq "records as compiled" "$(cat "$T/dev.list")" "$(cat "$T/ref.list")"
check_eq "no sensor shows a reading without one" \
    "$(json_get "$T/cold.json" 'len([s for s in d["sensors"] if s["reading"] is not None and s["note"] is not None])')" 0
check_eq "unavailable sensors say why" \
    "$(json_get "$T/cold.json" 'len([s for s in d["sensors"] if s["state"] == "unavailable" and not s["note"]])')" 0
bw --stats sensors --sdr-cache "$C" >/dev/null 2>"$T/warm.err"
check_eq "warm: no Get Device SDR" "$(sstat get_sdr "$T/warm.err")" 0
check_eq "warm: one Get Device SDR Info" "$(sstat sdr_info "$T/warm.err")" 1
finish

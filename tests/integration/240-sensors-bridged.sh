#!/bin/bash
# Sensors owned by a satellite controller (IPMB 0x30, LUN 0 and LUN 1)
# are read bridged, with their owner's LUN (issue 3).  The sim config is
# tests/sim/bmc.* plus that controller (tests/sim/mkbridged.py).  lanplus
# and lan bridge with Send Message (response tracking): readings must agree with
# ipmitool, which bridges by itself; raw bridged requests (--target-chan/
# --target-addr) must answer as ipmitool -b/-t does, over both.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bridge.XXXXXX")
python3 "$SIM_DIR/mkbridged.py" "$T" || exit 1
sim_start "$T/br.emu" || exit 1
trap 'sim_stop; rm -rf "$T"' EXIT
export BMCWATCH_CACHE_DIR=$T/cache

# bw_lan ARGS...: bmcwatch as admin over IPMI 1.5 LAN
bw_lan() {
	"$BMCWATCH" -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
	    -f "$(sim_pwfile admin)" "$@"
}
bw sensors --json >"$T/s.json" 2>"$T/s.err"
check_eq "sweep finishes with bridged sensors present" "$?" 0
check_eq "the BMC's own sensors are read" \
    "$(json_get "$T/s.json" '[s["reading"] for s in d["sensors"] if s["name"] == "CPU1 Temp"][0]')" 45
check_eq "satellite sensors listed with their owner and LUN" \
    "$(json_get "$T/s.json" '[(s["owner"], s["lun"]) for s in d["sensors"] if s["name"].startswith("SAT")]')" \
    "[(48, 0), (48, 1)]"
note=$(json_get "$T/s.json" '[s["note"] for s in d["sensors"] if s["name"] == "SAT Temp"][0]')
check "lanplus bridges (satellite sensors not refused)" \
    test "$note" != "bridging not supported by the transport"
bw_lan sensors --json >"$T/l.json" 2>"$T/l.err"
check_eq "lan: sweep finishes with bridged sensors present" "$?" 0
sim_ipmitool sensor list >"$T/ipmitool.txt" 2>/dev/null
: >"$T/freeipmi.csv"
for j in s l; do
	for n in "SAT Temp" "SAT LUN1 Temp"; do
		python3 "$TESTS_DIR/integration/sensors_compare.py" "$T/$j.json" \
		    "$T/ipmitool.txt" "$T/freeipmi.csv" --only "$n" >"$T/cmp.txt"
		check "$([ $j = s ] && echo lanplus || echo lan): $n agrees with ipmitool" \
		    sh -c "grep -q '^ok' '$T/cmp.txt' && ! grep -q '^not ok' '$T/cmp.txt'"
	done
	check_eq "$([ $j = s ] && echo lanplus || echo lan): SAT LUN1 Temp at 90 C: warning (UNC 85)" \
	    "$(json_get "$T/$j.json" '[s["state"] for s in d["sensors"] if s["name"] == "SAT LUN1 Temp"][0]')" warning
done

# raw bridged requests, as ipmitool -b 0 -t 0x30
want=$(sim_ipmitool -b 0 -t 0x30 raw 4 0x2d 5 2>/dev/null | hexbytes)
check_eq "ipmitool reads the satellite sensor bridged" "$want" 33c00000
check_eq "lanplus: raw bridged Get Sensor Reading as ipmitool -b/-t" \
    "$(bw --target-chan 0 --target-addr 0x30 raw 4 0x2d 5 2>"$T/r.err" | hexbytes)" "$want"
check_eq "lan: raw bridged Get Sensor Reading as ipmitool -b/-t" \
    "$(bw_lan --target-chan 0 --target-addr 0x30 raw 4 0x2d 5 2>"$T/r.err" | hexbytes)" "$want"
check_eq "lanplus: raw bridged Get Device ID as ipmitool -b/-t" \
    "$(bw --target-chan 0 --target-addr 0x30 raw 6 1 2>"$T/r.err" | hexbytes)" \
    "$(sim_ipmitool -b 0 -t 0x30 raw 6 1 2>/dev/null | hexbytes)"
# the satellite's own completion code comes through (CCh: no sensor 99h)
bw --target-chan 0 --target-addr 0x30 raw 4 0x2d 0x99 >/dev/null 2>"$T/r.err"
check_eq "lanplus: the target's completion code (exit 1)" "$?" 1
check "lanplus: ... and it is CCh" \
    grep -q "completion code CCh: Invalid data field in request" "$T/r.err"
# nobody at 0x44: Send Message itself fails with 83h (NAK on write), as
# ipmitool reports
for t in bw bw_lan; do
	$t --target-chan 0 --target-addr 0x44 raw 6 1 >/dev/null 2>"$T/r.err"
	check_eq "$t: no controller at 0x44: completion code (exit 1)" "$?" 1
	check "$t: ... 83h (NAK on write)" \
	    grep -q "completion code 83h: NAK on write" "$T/r.err"
done
finish

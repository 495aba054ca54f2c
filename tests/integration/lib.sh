# Helpers for integration tests (bash).  Source after setting nothing:
#	. "$(dirname "$0")/lib.sh"
# Gives: BMCWATCH (the binary under test), ok/not_ok/check/skip_all,
# the simulator functions of tests/sim/lib.sh, bw (bmcwatch against the
# sim as admin over lanplus), finish (exit status from the results).
set -u
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOP=$(cd "$TESTS_DIR/.." && pwd)
BMCWATCH=${BMCWATCH:-$TOP/build/bmcwatch}
case $BMCWATCH in /*) ;; *) BMCWATCH=$TOP/$BMCWATCH ;; esac
SIM_DIR=$TESTS_DIR/sim
export SIM_DIR
# shellcheck source=../sim/lib.sh
. "$SIM_DIR/lib.sh"
T_FAILED=0
T_COUNT=0

ok() { T_COUNT=$((T_COUNT + 1)); echo "ok - $*"; }
not_ok() { T_COUNT=$((T_COUNT + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok - $*"; }
# check DESCRIPTION CMD...: ok if CMD succeeds
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}
# check_eq DESCRIPTION GOT EXPECTED
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   got:      $2"
		echo "#   expected: $3"
	fi
}
skip_all() { echo "# SKIP $*"; exit 77; }
finish() {
	[ "$T_COUNT" -gt 0 ] || { echo "not ok - no checks ran"; exit 1; }
	[ "$T_FAILED" -eq 0 ]
}
# bw ARGS...: bmcwatch as admin over lanplus suite 3 against the sim
bw() {
	"$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
	    -f "$(sim_pwfile admin)" -C 3 "$@"
}
# bw_as USER ARGS...
bw_as() {
	_u=$1
	shift
	"$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U "$_u" \
	    -f "$(sim_pwfile "$_u")" -C 3 "$@"
}
# json_get FILE EXPR: evaluate a python expression on the document "d"
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- helpers for the 0NN integration tests (added; nothing above changed) ---

# now_ms: wall clock in milliseconds (for elapsed-time bounds)
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
# now_s: wall clock in seconds, with decimals; elapsed T0: the seconds
# since now_s said T0 (two decimals)
now_s() {
	echo "${EPOCHREALTIME/,/.}"
}
elapsed() {
	awk -v a="$1" -v b="${EPOCHREALTIME/,/.}" \
	    'BEGIN { printf "%.2f\n", b - a }'
}
# delta A B: B - A, two decimals (times in seconds, decimals allowed)
delta() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'
}
# within X LO HI: true if LO <= X <= HI (decimals allowed)
within() {
	awk -v x="$1" -v lo="$2" -v hi="$3" \
	    'BEGIN { exit !(lo + 0 <= x + 0 && x + 0 <= hi + 0) }'
}
# hexbytes: "ipmitool raw" / "bmcwatch raw" output on stdin -> lower-case
# hex digits without spaces or newlines
hexbytes() {
	tr -d ' \t\r\n' | tr 'A-F' 'a-f'
}
# free_udp_port: a UDP port on 127.0.0.1 that nothing was bound to a moment ago
free_udp_port() {
	_sim_freeports udp
}
# stats_field FILE NAME: NAME's value in the last "bmcwatch: stats:" line
stats_field() {
	sed -n "s/^bmcwatch: stats:.* $2=\([0-9][0-9]*\).*/\1/p" "$1" | tail -n 1
}
# err_line_ok FILE PORT: FILE (stderr) is exactly one line
# "bmcwatch: 127.0.0.1:PORT: STEP: message"
err_line_ok() {
	[ "$(wc -l <"$1")" -eq 1 ] &&
	    grep -Eq "^bmcwatch: 127\.0\.0\.1:$2: [A-Za-z][A-Za-z0-9 ]*: .+" "$1"
}
# show_file FILE: print FILE as "#   " diagnostics (for failed checks)
show_file() {
	sed 's/^/#   | /' "$1" | head -n 20
}
# mc_info_compare JSON MCINFO: compare "bmcwatch info --json" output
# (file JSON) with "ipmitool mc info" output (file MCINFO); prints one line
# "field<TAB>got<TAB>expected" per field, for check_eq
mc_info_compare() {
	python3 - "$1" "$2" <<'PYEOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
kv = {}
support, aux, cur = [], [], None
for l in lines:
    m = re.match(r"^(\S[^:]*?)\s*:\s*(.*)$", l)
    if m:
        cur = m.group(1)
        kv[cur] = m.group(2).strip()
    elif l.startswith("    ") and cur == "Additional Device Support":
        support.append(l.strip())
    elif l.startswith("    ") and cur == "Aux Firmware Rev Info":
        aux.append(l.strip())
def num(s):
    return int(s.split()[0], 0)
def yn(s):
    return {"yes": True, "no": False}.get(s, s)
rows = [
    ("device_id", d.get("device_id"), num(kv.get("Device ID", "-1"))),
    ("device_revision", d.get("device_revision"), num(kv.get("Device Revision", "-1"))),
    ("firmware_revision", d.get("firmware_revision"), kv.get("Firmware Revision")),
    ("ipmi_version", d.get("ipmi_version"), kv.get("IPMI Version")),
    ("manufacturer_id", d.get("manufacturer_id"), num(kv.get("Manufacturer ID", "-1"))),
    ("product_id", d.get("product_id"), num(kv.get("Product ID", "-1"))),
    ("device_available", d.get("device_available"), yn(kv.get("Device Available"))),
    ("provides_device_sdrs", d.get("provides_device_sdrs"), yn(kv.get("Provides Device SDRs"))),
    ("additional_device_support", "|".join(d.get("additional_device_support") or []), "|".join(support)),
    ("aux_firmware_rev", d.get("aux_firmware_rev"),
     "".join("%02x" % int(a, 16) for a in aux) if aux else None),
]
for name, got, exp in rows:
    print("%s\t%s\t%s" % (name, got, exp))
PYEOF
}
# check_mc_info PREFIX JSON MCINFO: one check_eq per mc_info_compare field
check_mc_info() {
	_cm_rows=$(mc_info_compare "$2" "$3") || { not_ok "$1: compare with ipmitool mc info"; return; }
	while IFS='	' read -r _cm_f _cm_got _cm_exp; do
		check_eq "$1: $_cm_f equals ipmitool mc info" "$_cm_got" "$_cm_exp"
	done <<EOF2
$_cm_rows
EOF2
}
# compare_fbw LABEL JSON FBWTEXT [SPAN]: `bmcwatch watchdog get --json`
# (file JSON) against `bmc-watchdog -g` (file FBWTEXT), one check; SPAN:
# the seconds the two reads took together, when measured (wdt_compare.py)
compare_fbw() {
	if [ -z "$FBW" ]; then
		ok "$1: bmc-watchdog -g comparison # SKIP bmc-watchdog not installed"
		return
	fi
	if _cf=$(python3 "$TESTS_DIR/integration/wdt_compare.py" "$2" "$3" ${4:+"$4"} 2>&1)
	then
		ok "$1: every field equals bmc-watchdog -g ($_cf)"
	else
		not_ok "$1: bmcwatch vs bmc-watchdog -g: $_cf"
	fi
}
# inband_setup DIR: tests/inband/guest.sh's inband_prepare (sets BW and
# FBW) for a test of this tier: skip (77) or fail with its reason
inband_setup() {
	. "$TESTS_DIR/inband/guest.sh"
	inband_require "$1" skip_all not_ok
}
# ipmitool_system_guid FILE: the "System GUID" of "ipmitool mc guid" output
ipmitool_system_guid() {
	sed -n 's/^System GUID[[:space:]]*:[[:space:]]*//p' "$1" | tr 'A-F' 'a-f'
}

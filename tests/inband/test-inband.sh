#!/bin/bash
# In-band test of the `open' transport: a static bmcwatch runs inside a
# QEMU guest whose KCS interface is wired to ipmi_sim; its answers must
# equal what ipmitool reads from the same sim over RMCP+.
#
#	tests/inband/test-inband.sh		(from the repository root)
#
# Prints "ok - ..." / "not ok - ..." lines; exit 0 (all ok), 1 (a check
# failed) or 77 (cannot run here; the reason is printed).  About 10 s
# with a warm kernel cache (the first run downloads ~70 MB).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
OUT=build/inband
INB=tests/inband
mkdir -p "$OUT"

skip() {
	echo "# SKIP test-inband: $*"
	exit 77
}

failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=1; }
check() {	# check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}

# --- prerequisites ---------------------------------------------------
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
command -v ipmitool >/dev/null 2>&1 || skip "ipmitool not found"
command -v ipmi_sim >/dev/null 2>&1 || skip "ipmi_sim not found (apt-get install openipmi)"

# --- QEMU, the guest kernel and a static bmcwatch ---------------------
. "$INB/guest.sh"
inband_require "$OUT" skip notok
if ! why=$(sh "$INB/static.sh" "$BW" 2>&1); then
	notok "$BW is a static binary: $why"
	exit 1
fi
ok "static build of bmcwatch"

# --- the sim, with a system-interface port for the guest ------------
SIM_DIR=${SIM_DIR:-$ROOT/tests/sim}
. "$SIM_DIR/lib.sh" || skip "cannot source tests/sim/lib.sh"
# one retry: a sim that dies at start (port race) is not what we test
SIM_VMPORT=auto
if ! sim_start; then
	# shellcheck disable=SC2034 # read by sim_start
	SIM_VMPORT=auto
	sim_start || { notok "ipmi_sim started (tests/sim/lib.sh sim_start)"; exit 1; }
fi
trap sim_stop EXIT

# reference answers over LAN, taken before the guest boots
lan_raw=$(sim_ipmitool raw 6 1 2>&1) || {
	notok "ipmitool raw 6 1 over lanplus: $lan_raw"
	exit 1
}
lan_info=$(sim_ipmitool mc info 2>&1) || {
	notok "ipmitool mc info over lanplus: $lan_info"
	exit 1
}

# --- the guest ------------------------------------------------------
cat >"$OUT/guest.sh" <<'GUEST'
echo "@@ raw"
bmcwatch -I open raw 6 1 2>&1
echo "@@ rc $?"
echo "@@ info"
bmcwatch -I open --json info 2>&1
echo "@@ rc $?"
echo "@@ bridged"
bmcwatch -I open --target-chan 0 --target-addr 0x20 raw 6 1 2>&1
echo "@@ rc $?"
mv /dev/ipmi0 /tmp/ipmi0.moved
echo "@@ nodev"
bmcwatch -I open info 2>&1
echo "@@ rc $?"
mv /tmp/ipmi0.moved /dev/ipmi0
exit 0
GUEST
if ! sh "$INB/mkinitrd.sh" -k "$OUT/kernel" -s "$OUT/guest.sh" \
    "$OUT/initrd.gz" "$BW" 2>"$OUT/mkinitrd.err"; then
	notok "initramfs built: $(cat "$OUT/mkinitrd.err")"
	exit 1
fi

t0=$(date +%s.%N)
sh "$INB/run.sh" -k "$OUT/kernel" -t 120 -o "$OUT/console.log" \
    "$OUT/initrd.gz" >"$OUT/guest.out" 2>"$OUT/run.err"
rc=$?
t1=$(date +%s.%N)
if [ $rc -eq 77 ]; then
	skip "$(cat "$OUT/run.err")"
fi
if [ $rc -ne 0 ] || ! grep -q '^@@ ' "$OUT/guest.out"; then
	notok "guest ran the test (rc $rc): $(cat "$OUT/run.err")"
	exit 1
fi
ok "guest booted and ran the test ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"

hexbytes() {	# all the 2-digit hex tokens, lower case, one line
	tr 'A-F' 'a-f' | grep -oE '\b(0x)?[0-9a-f]{2}\b' | sed 's/^0x//' |
	    tr '\n' ' ' | sed 's/ $//'
}

# raw 6 1: the same Device ID bytes as over LAN
g_raw=$(section raw)
check "bmcwatch -I open raw 6 1 exits 0" [ "$(secrc raw)" = 0 ]
a=$(printf '%s\n' "$g_raw" | hexbytes)
b=$(printf '%s\n' "$lan_raw" | hexbytes)
if [ -n "$a" ] && [ "$a" = "$b" ]; then
	ok "raw 6 1 in-band equals ipmitool over lanplus ($a)"
else
	notok "raw 6 1 in-band [$a] != lanplus [$b]"
	printf '%s\n' "$g_raw" | sed 's/^/# guest: /'
fi

# the same through the driver's IPMB addressing (bridged to 0x20)
g_br=$(section bridged)
check "bmcwatch -I open --target-addr 0x20 raw 6 1 exits 0" [ "$(secrc bridged)" = 0 ]
a=$(printf '%s\n' "$g_br" | hexbytes)
if [ -n "$a" ] && [ "$a" = "$b" ]; then
	ok "bridged raw 6 1 in-band equals ipmitool over lanplus"
else
	notok "bridged raw 6 1 in-band [$a] != lanplus [$b]"
	printf '%s\n' "$g_br" | sed 's/^/# guest: /'
fi

# info --json: valid JSON whose device fields equal ipmitool mc info
check "bmcwatch -I open --json info exits 0" [ "$(secrc info)" = 0 ]
section info >"$OUT/info.json"
printf '%s\n' "$lan_info" >"$OUT/mcinfo.txt"
if msg=$(python3 - "$OUT/info.json" "$OUT/mcinfo.txt" <<'PY'
import json, re, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError as e:
    sys.exit("invalid JSON: %s" % e)
flat = {}
def walk(v, path):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, path + [k])
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, path + [str(i)])
    else:
        flat["_".join(path).lower()] = v
def num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            return None
    return None
walk(doc, [])
ref = {}
sref = {}
for line in open(sys.argv[2]):
    m = re.match(r"\s*(Device ID|Manufacturer ID|Product ID)\s*:\s*(\d+)", line)
    if m:
        ref[m.group(1)] = int(m.group(2))
    m = re.match(r"\s*(Firmware Revision|IPMI Version)\s*:\s*(\S+)", line)
    if m:
        sref[m.group(1)] = m.group(2)
pats = {"Device ID": r"(^|_)device_?id$",
        "Manufacturer ID": r"(^|_)(manufacturer|mfg|mfr)_?id$",
        "Product ID": r"(^|_)product_?id$"}
bad = []
for name, pat in pats.items():
    keys = [k for k in flat if re.search(pat, k)]
    vals = [num(flat[k]) for k in keys]
    if name not in ref:
        bad.append("ipmitool printed no %s" % name)
    elif not keys:
        bad.append("no %s key in the JSON" % name)
    elif ref[name] not in vals:
        bad.append("%s: json %s != ipmitool %d" % (name, vals, ref[name]))
spats = {"Firmware Revision": r"(^|_)firmware_rev(ision)?$",
         "IPMI Version": r"(^|_)ipmi_version$"}
for name, pat in spats.items():
    vals = [str(flat[k]) for k in flat if re.search(pat, k)]
    if name not in sref:
        bad.append("ipmitool printed no %s" % name)
    elif not vals:
        bad.append("no %s key in the JSON" % name)
    elif sref[name] not in vals:
        bad.append("%s: json %s != ipmitool %s" % (name, vals, sref[name]))
if bad:
    sys.exit("; ".join(bad))
print(", ".join(["%s %d" % (k, v) for k, v in sorted(ref.items())] +
                ["%s %s" % (k, v) for k, v in sorted(sref.items())]))
PY
); then
	ok "--json info in-band equals ipmitool mc info ($msg)"
else
	notok "--json info in-band vs ipmitool mc info: $msg"
	sed 's/^/# guest: /' "$OUT/info.json"
fi

# no device node: one clear message, exit 3
g_nodev=$(section nodev)
check "bmcwatch -I open without /dev/ipmi0 exits 3" [ "$(secrc nodev)" = 3 ]
if printf '%s\n' "$g_nodev" | grep -q '/dev/ipmi0: open: .*mknod /dev/ipmi0 c [0-9][0-9]* 0'; then
	ok "missing node: error names the mknod line"
else
	notok "missing node: error names the mknod line"
	printf '%s\n' "$g_nodev" | sed 's/^/# guest: /'
fi

exit $failed

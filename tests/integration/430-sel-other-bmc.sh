#!/bin/bash
# A SEL state must never stand for another SEL (issue 8).  Reproduces the
# report: sim A gets 10 events and `sel archive --bmc X --no-clear`; a
# fresh sim B (the same configuration, so the same GUID, and the same
# erase time 0: a BMC reset to factory defaults, or a clone) gets 15
# other events and `sel archive --bmc X --clear-at 1` with the same
# state: all 15 of B's entries must be archived before the clear.  The
# archive is checked against the raw entries ipmitool reads from B
# before the clear.  Then a BMC with another GUID under the same name
# (replaced): said once, archived as a new SEL.  Then the default state
# name, which carries the port, and `sel clear`, which exits 1 when it
# clears nothing.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/sel430.XXXXXX")
trap 'sim_stop; rm -rf "$W"' EXIT
export BMCWATCH_CACHE_DIR=$W/cache
A=$W/sel.log
S=$W/sel.state

# add TAG N: N distinct OEM records through one console session
add() {
	_i=0
	while [ "$_i" -lt "$2" ]; do
		_i=$((_i + 1))
		printf 'sel_add 0x20 0xe1 0x%02x 0x%02x 9 8 7 6 5 4 3 2 1 0 0\n' \
		    "$1" "$_i"
	done >"$W/cmds"
	python3 "$TESTS_DIR/integration/sel_console.py" "$SIM_CONSOLE" \
	    <"$W/cmds" >"$W/added.txt"
	[ "$(grep -c '^added' "$W/added.txt")" -eq "$2" ]
}
# raw_sel FILE: every entry of the running sim's SEL as ipmitool reads
# it (Get SEL Entry, following next-record IDs): 32 hex digits a line
raw_sel() {
	: >"$1"
	_id=0
	for _n in $(seq 1 1100); do
		_h=$(sim_ipmitool raw 0x0a 0x43 0 0 $((_id & 255)) $((_id >> 8)) \
		    0 0xff | hexbytes) || return 1
		[ ${#_h} -eq 36 ] || return 1
		echo "${_h:4}" >>"$1"
		_id=$((16#${_h:2:2}${_h:0:2}))
		[ "$_id" -eq 65535 ] && return 0
	done
	return 1
}
# in_archive RAWFILE TIMES: each raw of RAWFILE is on TIMES lines of the
# archive for BMC X
in_archive() {
	python3 - "$A" "$1" "$2" <<'PY'
import sys
count = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if len(f) in (7, 8) and f[1] == "X":
        count[f[6]] = count.get(f[6], 0) + 1
want = [l.strip() for l in open(sys.argv[2]) if l.strip()]
bad = [(r, count.get(r, 0)) for r in want if count.get(r, 0) != int(sys.argv[3])]
for r, n in bad[:5]:
    print("#   %s: %d times in the archive" % (r, n))
sys.exit(1 if bad or not want else 0)
PY
}
pass() { bw sel archive --bmc X --archive "$A" --state "$S" "$@"; }
sel_entries() {
	sim_ipmitool sel info | awk -F: '/^Entries/ {gsub(/ /, "", $2); print $2}'
}

# --- sim A: 10 events, archived, not cleared
sim_start || exit 1
check "A: 10 events added" add 0xa0 10
check "A: ipmitool reads A's SEL" raw_sel "$W/a.raw"
check_eq "A: 10 entries" "$(wc -l <"$W/a.raw")" 10
pass --no-clear >"$W/out" 2>"$W/err"
check "A: 10 new entries archived" grep -q '^sel archive: 10 new entries archived' "$W/out"
check "A: archived once each" in_archive "$W/a.raw" 1
check "A: the state names the BMC" grep -q '^identity guid-0b57c0de5eed4a1c9e3f00112233aabb$' "$S"
sim_stop

# --- sim B: fresh, same configuration, 15 other events, same --bmc/state
sim_start || exit 1
check "B: 15 other events added" add 0xb0 15
check "B: ipmitool reads B's SEL before the clear" raw_sel "$W/b.raw"
check_eq "B: ipmitool sel elist agrees on the count" \
    "$(sim_ipmitool sel elist | grep -c .)" "$(wc -l <"$W/b.raw")"
check_eq "B: 15 entries" "$(wc -l <"$W/b.raw")" 15
if pass --clear-at 1 >"$W/out" 2>"$W/err"; then
	ok "B: archive --clear-at 1 succeeds"
else
	not_ok "B: archive --clear-at 1 succeeds"
	show_file "$W/err"
fi
cat "$W/out"
check "B: all 15 entries archived" grep -q '^sel archive: 15 new entries archived, 0 already archived' "$W/out"
check "B: every one of B's entries is in the archive exactly once" \
    in_archive "$W/b.raw" 1
check "B: A's entries are still there once" in_archive "$W/a.raw" 1
check_eq "archive: A's 10 and B's 15 lines" "$(wc -l <"$A")" 25
check "B: cleared after archiving" grep -q 'cleared the SEL: 15 entries, every one archived' "$W/out"
check_eq "B: the SEL is empty (ipmitool)" "$(sel_entries)" 0
check "B: after the clear the state starts a new generation" \
    test "$(sed -n 's/^generation 0x//p' "$S")" != "$(tail -n 1 "$A" | cut -f 8)"
sim_stop

# --- sim C: another GUID under the same name (the BMC was replaced);
# the sim's System GUID is the "guid" of lan.conf
cp -r "$SIM_DIR" "$W/simc"
sed -i 's/^\([[:space:]]*guid\) .*/\1 0c0ffee05eed4a1c9e3f00112233ccdd/' \
    "$W/simc/lan.conf.in"
sed -i 's/^mc_set_guid 0x20 .*/mc_set_guid 0x20 0c0ffee05eed4a1c9e3f00112233ccdd/' \
    "$W/simc/bmc.emu"
SIM_DIR=$W/simc
sim_start || exit 1
check "C: 12 events added" add 0xc0 12
check "C: ipmitool reads C's SEL" raw_sel "$W/c.raw"
pass --clear-at 1 >"$W/out" 2>"$W/err"
cat "$W/out" "$W/err"
check "C: another BMC is said, naming both identities" grep -q \
    'another BMC answers (guid-0c0ffee05eed4a1c9e3f00112233ccdd; the state was written for guid-0b57c0de5eed4a1c9e3f00112233aabb)' "$W/err"
check "C: all 12 archived and cleared" grep -q '^sel archive: 12 new entries archived' "$W/out"
check "C: every one of C's entries is in the archive exactly once" \
    in_archive "$W/c.raw" 1
check "C: the state names C now" grep -q '^identity guid-0c0ffee05eed4a1c9e3f00112233ccdd$' "$S"
check "C: its lines carry a generation tag of their own" python3 - "$A" <<'PY'
import sys
tags = [l.rstrip("\n").split("\t")[7] for l in open(sys.argv[1])]
sys.exit(0 if len(tags) == 37 and len(set(tags[25:])) == 1
         and tags[25] not in tags[:25] else 1)
PY
check "C: 2 more" add 0xc1 2
pass --clear-at 0 >"$W/out" 2>"$W/err"
check "C: said once: not on the next pass" test ! -s "$W/err"
check "C: the next pass archives the 2 newcomers" grep -q '^sel archive: 2 new entries archived' "$W/out"

# --- the default state name carries the port
export BMCWATCH_STATE_DIR=$W/st
mkdir -p "$BMCWATCH_STATE_DIR"
bw sel archive --bmc X --archive "$W/d.log" --no-clear >/dev/null 2>&1
check "default state: sel-NAME-PORT.state" test -s "$W/st/sel-X-$SIM_PORT.state"
bw sel archive --archive "$W/d.log" --no-clear >/dev/null 2>&1
check "default state without --bmc: sel-HOST-PORT.state" \
    test -s "$W/st/sel-127.0.0.1-$SIM_PORT.state"
unset BMCWATCH_STATE_DIR

# --- sel clear clears nothing: exit 1 with the reason
# crafted: the state has learned that the BMC refuses Clear SEL, or that
# its SEL wraps (CRC-32 recomputed as the state file wants it)
learn() {
	python3 - "$S" "$1" "$2" <<'PY'
import sys, zlib
body = open(sys.argv[1]).read().split("crc32 ")[0]
body = "".join(l if not l.startswith(sys.argv[2] + " ") else
               "%s 1\n" % sys.argv[2] for l in body.splitlines(True))
open(sys.argv[3], "w").write(body + "crc32 0x%08x\n" % zlib.crc32(body.encode()))
PY
}
pass --clear-at 0 >/dev/null 2>&1
check_eq "before sel clear: 2 entries, archived" "$(sel_entries)" 2
for flag in no_clear wraps; do
	learn "$flag" "$W/$flag.state"
	if bw sel clear --state "$W/$flag.state" >"$W/out" 2>"$W/err"; then
		not_ok "sel clear, $flag learned: exit 1"
	else
		rc=$?
		check_eq "sel clear, $flag learned: exit 1" "$rc" 1
	fi
	check "sel clear, $flag learned: says why on stderr" \
	    grep -q "sel clear: not cleared: archive only" "$W/err"
	check_eq "sel clear, $flag learned: nothing cleared" "$(sel_entries)" 2
done
check "sel clear with the archive's state clears" bw sel clear --state "$S"
check_eq "cleared" "$(sel_entries)" 0
finish

#!/bin/bash
# bmcwatchd's SEL state file (state-dir/sel-NAME.state) damaged between
# two runs, with the SEL archived and cleared at 2 % (20 entries of the
# sim's 1000): for a state file flipped in one byte (checksum), cut in
# half, emptied, replaced by binary junk, and one written for another BMC
# (another GUID), the daemon
#   - says so once, naming the file and what is wrong with it (or both
#     identities), and keeps running;
#   - archives every entry of the SEL exactly once: the ones archived in
#     an earlier run are not archived again (the archive's own lines
#     tell), the new ones are not lost;
#   - clears the SEL only with every entry in it archived (checked
#     against the raw entries ipmitool read before the daemon started);
#   - writes a good state file again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

d_setup
D_SIMS="a c"
trap 'd_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
# c: another BMC (another System GUID), for the foreign state file
cp -r "$SIM_DIR" "$W/simc"
sed -i 's/^\([[:space:]]*guid\) .*/\1 0c0ffee05eed4a1c9e3f00112233ccdd/' \
    "$W/simc/lan.conf.in"
sed -i 's/^mc_set_guid 0x20 .*/mc_set_guid 0x20 0c0ffee05eed4a1c9e3f00112233ccdd/' \
    "$W/simc/bmc.emu"
SIM_DIR0=$SIM_DIR SIM_DIR=$W/simc
sim_as c || { not_ok "sim c"; exit 1; }
SIM_DIR=$SIM_DIR0

A=$W/archive/sel-a.log
ST=$W/state/sel-a.state
POLL='sensor-interval 5  sel-interval 1  chassis-interval 5  timeout 1
	sel-clear-at 2'
d_conf "$W/d.conf"
{ d_target a "$SIMPORT_a" "$POLL"; d_target c "$SIMPORT_c" "$POLL"; } \
    >>"$W/d.conf"

# add SIM TAG N: N distinct OEM records
n_added=0
add() {
	_i=0
	while [ "$_i" -lt "$3" ]; do
		_i=$((_i + 1))
		printf 'sel_add 0x20 0xe1 0x%02x 0x%02x 9 8 7 6 5 4 3 2 1 0 0\n' \
		    "$2" "$_i"
	done >"$W/cmds"
	eval "_c=\$SIMCON_$1"
	python3 "$TESTS_DIR/integration/sel_console.py" "$_c" <"$W/cmds" \
	    >"$W/added.txt"
	[ "$(grep -c '^added' "$W/added.txt")" -eq "$3" ]
}
# the raw entries of sim a's SEL now, as ipmitool reads them (`sel
# writeraw`: 16 bytes each), appended to $W/raw.all
raw_sel() {
	sim_use a
	rm -f "$W/sel.bin"
	sim_ipmitool sel writeraw "$W/sel.bin" >/dev/null 2>&1 || return 1
	od -An -v -tx1 "$W/sel.bin" | tr -d ' \n' | fold -w 32 >>"$W/raw.all"
	echo >>"$W/raw.all"
	test -s "$W/sel.bin"
}
lines() { [ "$(wc -l <"$A" 2>/dev/null || echo 0)" -ge "$1" ]; }
# every raw entry ipmitool saw is in the archive exactly once, and the
# archive holds nothing twice; "gen": once per generation tag (a SEL
# read as a new one is archived again under a new tag, by design)
once() {
	python3 - "$A" "$W/raw.all" "${1:-}" <<'PY'
import sys
from collections import Counter
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
key = (lambda f: (f[6], f[7])) if sys.argv[3] == "gen" else (lambda f: f[6])
arc = Counter(key(f) for f in lines)
raws = set(f[6] for f in lines)
seen = set(l.strip() for l in open(sys.argv[2]) if l.strip())
twice = [r for r, n in arc.items() if n > 1]
lost = [r for r in seen if r not in raws]
if twice or lost:
    print("# twice: %s, lost: %s" % (twice[:3], lost[:3]))
    sys.exit(1)
PY
}
state_good() {
	[ "$(head -n 1 "$ST" 2>/dev/null)" = "bmcwatch-sel-state 1" ] &&
	    grep -q '^crc32 ' "$ST"
}

# --- a first run: 6 entries archived, a good state -------------------------------
check "a: 6 entries added" add a 0x10 6
check "c: 3 entries added (its state names it)" add c 0x70 3
check "a: ipmitool reads the SEL" raw_sel
d_start "$W/d.conf" || exit 1
check "a: 6 archived" wait_for 20 lines 6
c_ident() {
	grep -q '^identity guid-0c0ffee05eed4a1c9e3f00112233ccdd$' \
	    "$W/state/sel-c.state" 2>/dev/null
}
check "c: its state written, naming it" wait_for 20 c_ident
check "a: the state written" wait_for 10 state_good
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "a: every entry archived once" once

# damage KIND TAG N WHY: the state file damaged as KIND while the daemon
# is down, N entries added, the daemon started: one clear message WHY
# naming the file, every entry archived exactly once
total=6
damage() {
	_k=$1 _tag=$2 _n=$3 _why=$4
	case $_k in
	flip)	python3 - "$ST" <<'PY' ;;
import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.index(b"archived ") + len("archived ")
b[i] = ord("7") if b[i] != ord("7") else ord("8")	# a count changed
open(sys.argv[1], "wb").write(bytes(b))
PY
	half)	_s=$(wc -c <"$ST")
		truncate -s $((_s / 2)) "$ST" ;;
	empty)	: >"$ST" ;;
	junk)	head -c 700 /dev/urandom >"$ST" ;;
	foreign) cp "$W/state/sel-c.state" "$ST" ;;
	esac
	check "$_k: $_n entries added" add a "$_tag" "$_n"
	total=$((total + _n))
	check "$_k: ipmitool reads the SEL" raw_sel
	_l0=$(wc -l <"$W/d.log")
	d_start "$W/d.conf" || return
	check "$_k: all $total entries archived" wait_for 20 lines "$total"
	check "$_k: said, naming the file: '$_why'" wait_for 10 \
	    grep -qF "$_why" "$W/d.log"
	tail -n +"$((_l0 + 1))" "$W/d.log" | grep -F "$_why" | head -n 1 |
	    sed 's/^/#   /'
	check_eq "$_k: said once" \
	    "$(tail -n +"$((_l0 + 1))" "$W/d.log" | grep -cF "$_why")" 1
	check "$_k: a good state written again" wait_for 10 state_good
	check "$_k: the other target's state untouched" c_ident
	check "$_k: the daemon alive" d_alive
	d_stop
	check_eq "$_k: SIGTERM: exit 0" "$D_RC" 0
	if [ "$_k" = foreign ]; then
		# the SEL is taken for a new one: what it still held is
		# archived again, under a new generation tag (selmon.c)
		check "$_k: every entry archived, once per generation" once gen
		check "$_k: the new generation tag on the last line" test \
		    "$(tail -n 1 "$A" | cut -f 8)" != "$(head -n 1 "$A" | cut -f 8)"
	else
		check "$_k: every entry archived exactly once" once
		check_eq "$_k: nothing more in the archive" "$(wc -l <"$A")" \
		    "$total"
	fi
}
damage flip 0x20 2 "a: sel: state: $ST: corrupt (checksum mismatch)"
damage half 0x30 2 "a: sel: state: $ST: corrupt (no checksum"
damage empty 0x40 2 "a: sel: state: $ST: corrupt (not a bmcwatch SEL state"
damage junk 0x50 2 "a: sel: state: $ST: corrupt ("
# another BMC's state, and the SEL past 2 %: 8 + 6 + 14 = 28 entries
damage foreign 0x60 14 \
    "a: sel: another BMC answers (guid-0b57c0de5eed4a1c9e3f00112233aabb; the state was written for guid-0c0ffee05eed4a1c9e3f00112233ccdd)"
sel_entries() {
	sim_use a
	sim_ipmitool sel info | awk -F: '/^Entries/ {gsub(/ /, "", $2); print $2}'
}
check_eq "foreign: the SEL was cleared past 2 %, every entry archived first" \
    "$(sel_entries)" 0
check "foreign: the clear logged" grep -q 'a: sel: cleared the SEL' "$W/d.log"
check "no sanitizer report" d_san_clean
finish

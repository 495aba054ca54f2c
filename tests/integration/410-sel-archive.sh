#!/bin/bash
# bmcwatch sel archive / sel clear on a sim with a 40-entry SEL (issue
# 4): archive-then-clear at a threshold leaves every entry in the archive
# exactly once and the SEL empty; entries that arrive later are archived
# by the next pass; nothing new costs one Get SEL Info; an unwritable
# archive stops the clear; a full SEL reports overflow; sel clear refuses
# to lose unarchived entries without --force.
. "$(dirname "$0")/lib.sh"
E=$(mktemp -d "${TMPDIR:-/tmp}/selemu.XXXXXX")
sed 's/^sel_enable 0x20 [0-9]* /sel_enable 0x20 40 /' "$SIM_DIR/bmc.emu" >"$E/small.emu"
cp "$SIM_DIR/bmc.sdrs" "$E/small.sdrs"
sim_start "$E/small.emu" || exit 1
trap 'sim_stop; rm -rf "$E"' EXIT
W=$SIM_RUNDIR/w
mkdir -p "$W"
export BMCWATCH_CACHE_DIR=$W/cache
A=$W/sel.log
S=$W/sel.state

# add N entries (distinct OEM records) through one console session
add() {
	_n=$1
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		SERIAL=$((${SERIAL:-0} + 1))
		printf 'sel_add 0x20 0xe1 0x%02x 0x%02x 1 2 3 4 5 6 7 8 9 10 11\n' \
		    $((SERIAL & 255)) $((SERIAL >> 8))
		_i=$((_i + 1))
	done >"$W/cmds"
	python3 "$TESTS_DIR/integration/sel_console.py" "$SIM_CONSOLE" \
	    <"$W/cmds" >>"$W/added.txt"
}
entries() { bw sel info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])'; }
# every raw line of the archive once, and as many as were added
unique_ok() {
	_lines=$(cat "$A.1" "$A" 2>/dev/null | wc -l)
	_uniq=$(cat "$A.1" "$A" 2>/dev/null | awk -F'\t' '{print $7}' | sort -u | wc -l)
	_added=$(grep -c '^added' "$W/added.txt")
	[ "$_lines" -eq "$_uniq" ] && [ "$_lines" -eq "$_added" ] || {
		echo "#   archive $_lines lines, $_uniq distinct, $_added added"
		return 1
	}
}
pass() { bw --stats sel archive --archive "$A" --state "$S" "$@"; }

add 20				# 50 %
check "pass below the threshold" pass --clear-at 75 --json-archive "$W/sel.jsonl"
check_eq "JSON-lines archive: one object per entry with the keys" \
    "$(python3 -c 'import json,sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(len(rows), sorted(rows[0]))' "$W/sel.jsonl")" \
    "20 ['bmc', 'event', 'generation', 'raw', 'record_id', 'sensor', \
'severity', 'timestamp', 'type']"
check_eq "not cleared below 75 %" "$(entries)" 20
check "archive holds 20 entries once" unique_ok
pass --clear-at 75 2>"$W/stats" >/dev/null
check_eq "nothing new costs one Get SEL Info (plus the SDR check)" \
    "$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$W/stats")" 2

add 11				# 31 of 40: 78 %
pass --clear-at 75 >"$W/out" || true
cat "$W/out"
check "cleared past 75 %" grep -q 'cleared the SEL: 31 entries' "$W/out"
check_eq "SEL empty after the clear" "$(entries)" 0
check "archive holds all 31 entries once" unique_ok
check_eq "ipmitool agrees: SEL empty" \
    "$(sim_ipmitool sel info | awk -F: '/^Entries/ {gsub(/ /, "", $2); print $2}')" 0

add 3
check "a pass with --syslog local0" pass --clear-at 75 --syslog local0
check_eq "newcomers stay in the SEL" "$(entries)" 3
check "newcomers archived next pass" unique_ok

# clear by free entries: 37 free, fewer than 38
pass --clear-at 0 --clear-free 38 >"$W/out"
check "--clear-free clears" grep -q 'cleared the SEL' "$W/out"
check "archive still exact" unique_ok

# an unwritable archive stops the clear
add 35
if bw sel archive --archive "$W/nodir/sel.log" --state "$W/other.state" \
    --clear-at 10 >"$W/out" 2>"$W/err"; then
	not_ok "unwritable archive: non-zero exit"
else
	ok "unwritable archive: non-zero exit ($?)"
fi
cat "$W/err"
check "unwritable archive: error says nothing cleared" \
    grep -q 'nothing cleared' "$W/err"
check_eq "unwritable archive: SEL not cleared" "$(entries)" 35

# a full disk: the archive may not grow (file size limit, EFBIG)
cp "$A" "$W/full.log"
if (ulimit -f "$(( $(stat -c %s "$W/full.log") / 1024 ))"
    bw sel archive --archive "$W/full.log" --state "$W/full.state" \
    --clear-at 10) >"$W/out" 2>"$W/err"; then
	not_ok "archive cannot grow: non-zero exit"
else
	ok "archive cannot grow: non-zero exit"
fi
cat "$W/err"
check "archive cannot grow: error says so, nothing cleared" \
    grep -q 'File too large: nothing cleared' "$W/err"
check_eq "archive cannot grow: SEL not cleared" "$(entries)" 35

# sel clear refuses to lose entries, unless the state covers them
if bw sel clear >"$W/out" 2>"$W/err"; then
	not_ok "sel clear without --force refuses"
else
	ok "sel clear without --force refuses"
fi
check_eq "nothing cleared" "$(entries)" 35
if bw sel clear --state "$S" >"$W/out" 2>"$W/err"; then
	not_ok "sel clear --state refuses entries it has not archived"
else
	ok "sel clear --state refuses entries it has not archived"
fi
pass --clear-at 0 >/dev/null
check "sel clear --state after archiving" bw sel clear --state "$S"
check_eq "cleared" "$(entries)" 0
check "archive exact after sel clear" unique_ok

# logrotate moves the archive between passes; a crash had left the
# state behind the archive: the rotated file is read back, no duplicate
cp "$S" "$W/old.state"
add 4
pass --clear-at 0 >/dev/null
cp "$W/old.state" "$S"
mv "$A" "$A.1"
add 2
pass --clear-at 0 >"$W/out"
check "rotation + stale state: only the 2 newcomers archived" \
    grep -q '2 new entries archived, 4 already archived' "$W/out"
check "new archive file created" test -s "$A"
check "archive exact across the rotation" unique_ok
pass --clear-at 1 >/dev/null

# a full SEL: the sim refuses Add SEL Entry and drops sensor events
add 42
check "the sim refused entries at capacity" grep -q '^error' "$W/added.txt"
check_eq "SEL at capacity" "$(entries)" 40
check_eq "sel info reports overflow" \
    "$(bw sel info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["overflow"])')" True
pass --clear-at 75 >"$W/out"
cat "$W/out"
check "sel archive reports the overflow" grep -q overflow "$W/out"
check "archive exact after overflow" unique_ok
check_eq "overflow reset by the clear" \
    "$(bw sel info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["overflow"])')" False
check "state file has a checksum" grep -q '^crc32 ' "$S"
add 3
check "sel clear --force clears unarchived entries" bw sel clear --force
check_eq "SEL empty after --force" "$(entries)" 0
finish

#!/bin/bash
# BMCWATCH-MIB: smilint -l 6 prints nothing, net-snmp loads it without a
# warning, it sits under netSnmpExperimental (not in the playpen), and
# agent/snmp/oids.h matches it name by name.  smilint exits 0 even on
# errors, so any output is a failure; a broken copy of the MIB must make
# both tools complain (so these checks can fail at all).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/mib/lib.sh"

for t in smilint smidump snmptranslate python3 cc; do
	command -v "$t" >/dev/null ||
	    skip_all "$t not installed (tests/deps.sh installs it)"
done
mib_setup || finish
W=$MIB_TMP/work
mkdir -p "$W"

# --- smilint ---
mib_smilint "$MIB_FILE" >"$W/smilint.out" 2>&1
if [ -s "$W/smilint.out" ]; then
	not_ok "smilint -l 6 prints nothing for BMCWATCH-MIB"
	show_file "$W/smilint.out"
else
	ok "smilint -l 6 prints nothing for BMCWATCH-MIB"
fi
# a second object on bmcwGeneral.7: both tools must notice
mkdir -p "$W/broken"
sed 's/::= { bmcwGeneral 8 }/::= { bmcwGeneral 7 }/' "$MIB_FILE" \
    >"$W/broken/BMCWATCH-MIB.txt"
if cmp -s "$MIB_FILE" "$W/broken/BMCWATCH-MIB.txt"; then
	not_ok "the broken copy differs from the MIB (edit the sed above)"
else
	SMIPATH=$MIB_BASE:/usr/share/snmp/mibs:$W/broken \
	    mib_smilint "$W/broken/BMCWATCH-MIB.txt" >"$W/broken.out" 2>&1
	check "smilint complains about a broken copy (duplicate OID)" \
	    grep -q 'bmcwGeneral\|bmcwNotificationsS' "$W/broken.out"
fi

# --- net-snmp ---
# Plain, stderr must stay empty.  -Pw adds warnings about symbol
# clashes: nothing but the notes that the base modules' MACRO definitions
# were skipped (our MIB defines none) may appear.  -PW also says "No known
# translation for type (XEntry)" for every table's SEQUENCE type
# (net-snmp says it of every MIB): anything else from -PW that names our
# file fails too.
snmptranslate -Tp -IR bmcwatchMIB >"$W/tp.out" 2>"$W/tp.err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$W/tp.err" ] &&
    grep -q 'bmcwSensorValue' "$W/tp.out"; then
	ok "net-snmp loads BMCWATCH-MIB (snmptranslate -Tp) without a warning"
else
	not_ok "net-snmp loads BMCWATCH-MIB (snmptranslate -Tp) without a" \
	    "warning (exit $rc)"
	show_file "$W/tp.err"
fi
snmptranslate -Pw -Tp -IR bmcwatchMIB 2>&1 >/dev/null |
    grep -v '^[A-Z-]* MACRO (lines [0-9.]* parsed and ignored)\.$' \
    >"$W/tpw.err"
if [ -s "$W/tpw.err" ]; then
	not_ok "snmptranslate -Pw warns about nothing"
	show_file "$W/tpw.err"
else
	ok "snmptranslate -Pw warns about nothing"
fi
snmptranslate -PW -Tp -IR bmcwatchMIB >/dev/null 2>"$W/tpw.err"
grep -F "$MIB_FILE" "$W/tpw.err" |
    grep -v 'No known translation for type (Bmcw[A-Za-z]*Entry)' \
    >"$W/tpw.ours"
if [ -s "$W/tpw.ours" ]; then
	not_ok "snmptranslate -PW says nothing about BMCWATCH-MIB but the" \
	    "SEQUENCE types"
	show_file "$W/tpw.ours"
else
	ok "snmptranslate -PW says nothing about BMCWATCH-MIB but the" \
	    "SEQUENCE types"
fi
MIBDIRS=$MIB_BASE:/usr/share/snmp/mibs:$W/broken \
    snmptranslate -Pw -Tp -IR bmcwatchMIB >/dev/null 2>"$W/tpb.err"
check "snmptranslate warns about a broken copy (duplicate OID)" \
    grep -q 'bmcwGeneral.7 is both' "$W/tpb.err"

# --- placement: netSnmpExperimental, not the playpen ---
root=$(snmptranslate -On BMCWATCH-MIB::bmcwatchMIB 2>&1)
parent=$(snmptranslate -On NET-SNMP-MIB::netSnmpExperimental 2>&1)
arc=${root#"$parent".}
if [ "$parent" = .1.3.6.1.4.1.8072.9999 ] && [ "$arc" != "$root" ] &&
    [ -n "$arc" ] && [ "${arc#*.}" = "$arc" ] && [ "$arc" != 9999 ]; then
	ok "the MIB's root $root is one arc ($arc) under netSnmpExperimental," \
	    "not the playpen"
else
	not_ok "the MIB's root is one arc under netSnmpExperimental, not the" \
	    "playpen (root $root, netSnmpExperimental $parent)"
fi
want="#define BMCWATCH_MIB_OID	$(echo "${root#.}" | sed 's/\./, /g')"
check "oids.h spells the root as the MIB does ($root)" \
    grep -qxF "$want" "$TOP/agent/snmp/oids.h"
# says_placement FILE: names netSnmpExperimental and the project's own
# enterprise number to come (words may be split across lines)
says_placement() {
	tr -s ' \n' '  ' <"$1" >"$W/flat"
	grep -q 'netSnmpExperimental' "$W/flat" &&
	    grep -qi 'own \(IANA \)\{0,1\}Private Enterprise Number' "$W/flat"
}
for f in "$MIB_FILE" "$TOP/mibs/README.md"; do
	d="${f#"$TOP"/} says: netSnmpExperimental until the project has"
	check "$d its own enterprise number" says_placement "$f"
done

# --- agent/snmp/oids.h ---
smidump -c /dev/null -f python "$MIB_FILE" >"$W/mib.py" 2>"$W/smidump.err"
snmptranslate -Tz >"$W/tz" 2>"$W/tz.err"
if [ -s "$W/smidump.err" ] || [ -s "$W/tz.err" ] || [ ! -s "$W/mib.py" ]; then
	not_ok "smidump -f python and snmptranslate -Tz dump the MIB"
	show_file "$W/smidump.err"
	show_file "$W/tz.err"
else
	python3 "$TESTS_DIR/mib/check_oids.py" "$W/mib.py" "$W/tz" \
	    "$TOP/agent/snmp/oids.h" || T_FAILED=$((T_FAILED + 1))
fi

# the formulas: numbers from the MIB's text, the macros from oids.h
nums=$(python3 - "$W/mib.py" <<'PYEOF'
import ast, re, sys
t = open(sys.argv[1]).read()
mib = ast.literal_eval(t[t.index('MIB = ') + 6:])
ty, nodes = mib['typedefs'], mib['nodes']
key = ' '.join(ty['BmcwIpmiSensorKey']['description'].split())
mod = ' '.join(mib['BMCWATCH-MIB']['description'].split())
m = re.search(r'key = channel \* (\d+) \+ owner \* (\d+) \+ lun \* (\d+) '
              r'\+ number', key)
e = re.search(r'entPhysicalIndex = bmcwTargetIndex \* (\d+) \+ key', mod)
c = re.search(r'key (\d+) \(channel 0, owner 0, LUN 0, number 255\) is '
              r"the target's chassis", key)
if not (m and e and c):
    sys.exit('formula text not found in the MIB')
ent = nodes['bmcwSensorEntPhysIndex']['syntax']['type']['range']['max']
print('-DMIB_CHANNEL_MUL=%su -DMIB_OWNER_MUL=%su -DMIB_LUN_MUL=%su '
      '-DMIB_ENT_MUL=%su -DMIB_CHASSIS_KEY=%su -DMIB_TARGET_MAX=%su '
      '-DMIB_KEY_MAX=%su -DMIB_ENT_MAX=%su' %
      (m.group(1), m.group(2), m.group(3), e.group(1), c.group(1),
       ty['BmcwTargetId']['range']['max'],
       ty['BmcwIpmiSensorKey']['range']['max'], ent))
PYEOF
)
if [ -z "$nums" ]; then
	not_ok "the MIB's text gives the key and entPhysicalIndex formulas"
else
	# shellcheck disable=SC2086
	if cc -std=c11 -Wall -Wextra -Werror -Wformat=2 -Wshadow \
	    -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual \
	    -I"$TOP/agent" $nums -o "$W/oids_check" \
	    "$TESTS_DIR/mib/oids_check.c" 2>"$W/cc.err"; then
		"$W/oids_check" || T_FAILED=$((T_FAILED + 1))
	else
		not_ok "tests/mib/oids_check.c compiles with oids.h"
		show_file "$W/cc.err"
	fi
fi
finish

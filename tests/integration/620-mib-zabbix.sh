#!/bin/bash
# etc/zabbix/bmcwatch_snmp.yaml: a Zabbix 6.0 template that parses, and
# whose OIDs, discovery rules, triggers and value maps agree with
# BMCWATCH-MIB (tests/mib/check_zabbix.py); a template with a wrong OID
# or a wrong state number must fail the same check.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/mib/lib.sh"

for t in smidump snmptranslate python3; do
	command -v "$t" >/dev/null ||
	    skip_all "$t not installed (tests/deps.sh installs it)"
done
python3 -c 'import yaml' 2>/dev/null ||
    skip_all "python3-yaml not installed (tests/deps.sh installs it)"
mib_setup || finish
W=$MIB_TMP/work
mkdir -p "$W"
TPL=$TOP/etc/zabbix/bmcwatch_snmp.yaml

smidump -c /dev/null -f python "$MIB_FILE" >"$W/mib.py" 2>"$W/smidump.err"
if [ -s "$W/smidump.err" ] || [ ! -s "$W/mib.py" ]; then
	not_ok "smidump -f python dumps the MIB"
	show_file "$W/smidump.err"
	finish
fi
check "the template parses as YAML" \
    python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$TPL"
python3 "$TESTS_DIR/mib/check_zabbix.py" "$TPL" "$W/mib.py" ||
    T_FAILED=$((T_FAILED + 1))

# the check can fail: a column that does not exist, and a trigger on
# a sensor state the MIB does not define
sed 's/\(623\.1\.3\.1\.\)19\.{#SNMPINDEX}/\199.{#SNMPINDEX}/' "$TPL" \
    >"$W/bad-oid.yaml"
sed 's/\(bmcwatch\.sensor\.state\[{#SNMPINDEX}\])=\)4/\19/' "$TPL" \
    >"$W/bad-state.yaml"
for b in bad-oid bad-state; do
	if cmp -s "$TPL" "$W/$b.yaml"; then
		not_ok "$b: the mutation changed nothing (fix the sed)"
	elif python3 "$TESTS_DIR/mib/check_zabbix.py" "$W/$b.yaml" \
	    "$W/mib.py" >"$W/$b.out" 2>&1; then
		not_ok "the check rejects a template with a $b"
	else
		ok "the check rejects a template with a $b"
	fi
done
finish

#!/bin/bash
# etc/snmp/snmpd.conf.d/bmcwatch.conf in a private snmpd whose own
# configuration has the access lines of Debian 12's /etc/snmp/snmpd.conf:
# snmpd takes it without a complaint, makes the AgentX socket as it
# says, and its view lets the default community read our subtree,
# ENTITY-MIB and ENTITY-SENSOR-MIB and nothing else that was hidden.
# Then the write lines of the drop-in (the ones mibs/README.md shows)
# uncommented: only the SNMPv3 user at authPriv may write, and only the
# control table.  A "pass" program stands in for bmcwatchd in each
# subtree (tests/mib/pass.sh: GET answers 42, SETs are logged).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/mib/lib.sh"

for t in /usr/sbin/snmpd snmpget snmpset; do
	command -v "$t" >/dev/null ||
	    skip_all "$t not installed (tests/deps.sh installs it)"
done
getent passwd Debian-snmp >/dev/null ||
    skip_all "no user Debian-snmp (the snmpd package creates it)"
mib_tmp || finish
W=$MIB_TMP/work
mkdir -p "$W"
DROPIN=$TOP/etc/snmp/snmpd.conf.d/bmcwatch.conf
README=$TOP/mibs/README.md
MIBOID=.1.3.6.1.4.1.8072.9999.623
PASSLOG=$W/sets.log
: >"$PASSLOG"
# a group that exists here, in place of bmcwatch (the daemon's group)
GROUP=nogroup
getent group "$GROUP" >/dev/null || GROUP=$(id -gn)
AUTH=testauthpass1
PRIV=testprivpass1

# the drop-in with its group replaced; exactly one agentXPerms line
# naming group bmcwatch
n=$(grep -c '^agentXPerms [0-7]* [0-7]* [A-Za-z-]* bmcwatch$' "$DROPIN")
check_eq "the drop-in has one agentXPerms line for group bmcwatch" "$n" 1
sed "s/^\(agentXPerms [0-7]* [0-7]* [A-Za-z-]*\) bmcwatch$/\1 $GROUP/" \
    "$DROPIN" >"$W/dropin.conf"

# the write lines: "#group", "#view", "#access" uncommented
sed -n 's/^#\(group\|view\|access\) /\1 /p' "$DROPIN" >"$W/write.lines"
check_eq "the drop-in has three commented write lines" \
    "$(wc -l <"$W/write.lines")" 3
{ cat "$W/dropin.conf"; cat "$W/write.lines"; } >"$W/dropin-write.conf"
while IFS= read -r line; do
	check "mibs/README.md shows the write line '$line'" \
	    grep -qxF "$line" "$README"
done <"$W/write.lines"

# body FILE: Debian 12's access lines, the pass stand-ins, a user, and
# the drop-in (last, as Debian's includeDir is last)
body() {
	cat <<EOF
sysLocation test
sysContact test@example.invalid
sysServices 72
master agentx
view systemonly included .1.3.6.1.2.1.1
view systemonly included .1.3.6.1.2.1.25.1
rocommunity public default -V systemonly
rouser authPrivUser authpriv -V systemonly
createUser bmcwatch-admin SHA-256 $AUTH AES $PRIV
pass $MIBOID /bin/sh $TESTS_DIR/mib/pass.sh $PASSLOG
pass .1.3.6.1.2.1.47 /bin/sh $TESTS_DIR/mib/pass.sh $PASSLOG
pass .1.3.6.1.2.1.99 /bin/sh $TESTS_DIR/mib/pass.sh $PASSLOG
pass .1.3.6.1.4.1.8072.9999.624 /bin/sh $TESTS_DIR/mib/pass.sh $PASSLOG
includeFile $1
EOF
}

# log_clean: snmpd's log holds nothing but its banner and notes
log_clean() {
	grep -v -e '^NET-SNMP version ' \
	    -e '^Turning on AgentX master support\.$' \
	    -e '^Created directory: ' \
	    -e '^Received TERM or STOP signal\.\.\.  shutting down\.\.\.$' \
	    "$MIB_SNMPD_DIR/snmpd.log" >"$W/log.rest"
	[ ! -s "$W/log.rest" ]
}

# get VERSION-ARGS... OID: the value, or the error text
v2() {
	mib_snmp "$1" -v2c -c public -t 2 -r 1 -On -Oqv \
	    "udp:127.0.0.1:$MIB_SNMPD_PORT" "${@:2}" 2>&1
}
v3() {
	_lvl=$1 _t=$2
	shift 2
	_priv=""
	[ "$_lvl" = authPriv ] && _priv="-x AES -X $PRIV"
	# shellcheck disable=SC2086
	mib_snmp "$_t" -v3 -l "$_lvl" -u bmcwatch-admin -a SHA-256 -A "$AUTH" \
	    $_priv -t 2 -r 1 -On -Oqv "udp:127.0.0.1:$MIB_SNMPD_PORT" "$@" 2>&1
}
sets() { wc -l <"$PASSLOG"; }

# --- the drop-in as shipped ---
body "$W/dropin.conf" >"$W/body.conf"
if ! mib_snmpd_start "$W/body.conf"; then
	not_ok "snmpd starts with the drop-in"
	show_file "$MIB_SNMPD_DIR/snmpd.log"
	finish
fi
ok "snmpd starts with the drop-in"
if log_clean; then
	ok "snmpd takes the drop-in without a warning"
else
	not_ok "snmpd takes the drop-in without a warning"
	show_file "$W/log.rest"
fi
sock=$MIB_SNMPD_DIR/agentx/master
check_eq "AgentX socket: mode 660, owner Debian-snmp, group $GROUP" \
    "$(stat -c '%F %a %U %G' "$sock" 2>&1)" "socket 660 Debian-snmp $GROUP"
check_eq "AgentX socket directory: mode 755 (others may reach the socket)" \
    "$(stat -c '%a' "${sock%/*}" 2>&1)" 755

check_eq "v2c public reads our subtree (bmcwDaemonVersion.0)" \
    "$(v2 snmpget "$MIBOID.1.1.1.0")" 42
check_eq "v2c public reads ENTITY-MIB (entPhysicalDescr.4194559)" \
    "$(v2 snmpget .1.3.6.1.2.1.47.1.1.1.1.2.4194559)" 42
check_eq "v2c public reads ENTITY-SENSOR-MIB (entPhySensorValue.4194304)" \
    "$(v2 snmpget .1.3.6.1.2.1.99.1.1.1.4.4194304)" 42
check_eq "the view still hides what it hid (a neighbour of our subtree)" \
    "$(v2 snmpget .1.3.6.1.4.1.8072.9999.624.1.0)" \
    "No Such Object available on this agent at this OID"
before=$(sets)
v2 snmpset "$MIBOID.1.9.1.3.1" i 4 >"$W/set.out"
check_eq "v2c public cannot write (nothing reached the subagent)" \
    "$(sets)" "$before"
v3 authPriv snmpset "$MIBOID.1.9.1.3.1" i 4 >"$W/set.out"
check_eq "writes are off: not even the SNMPv3 user at authPriv writes" \
    "$(sets)" "$before"
mib_snmpd_stop

# --- with the write lines of mibs/README.md ---
body "$W/dropin-write.conf" >"$W/body.conf"
if ! mib_snmpd_start "$W/body.conf"; then
	not_ok "snmpd starts with the write lines"
	show_file "$MIB_SNMPD_DIR/snmpd.log"
	finish
fi
if log_clean; then
	ok "snmpd takes the write lines without a warning"
else
	not_ok "snmpd takes the write lines without a warning"
	show_file "$W/log.rest"
fi
check_eq "the SNMPv3 user reads our subtree through view bmcwatch" \
    "$(v3 authPriv snmpget "$MIBOID.1.3.1.19.1.32769")" 42
before=$(sets)
out=$(v3 authPriv snmpset "$MIBOID.1.9.1.3.1" i 4)
check_eq "the SNMPv3 user at authPriv sets bmcwControlPower.1" \
    "$out|$(sets)|$(tail -n 1 "$PASSLOG")" \
    "4|$((before + 1))|-s $MIBOID.1.9.1.3.1 integer 4"
before=$(sets)
v3 authNoPriv snmpset "$MIBOID.1.9.1.3.1" i 4 >"$W/set.out"
check_eq "the same user at authNoPriv cannot write" "$(sets)" "$before"
v3 authPriv snmpset "$MIBOID.1.3.1.19.1.32769" i 1 >"$W/set.out"
check_eq "the SNMPv3 user cannot write outside the control table" \
    "$(sets)" "$before"
v2 snmpset "$MIBOID.1.9.1.3.1" i 4 >"$W/set.out"
check_eq "v2c public still cannot write" "$(sets)" "$before"
mib_snmpd_stop

# and log_clean can fail: a group that does not exist
sed "s/^\(agentXPerms .*\) $GROUP$/\1 no-such-group-bmcw/" "$W/dropin.conf" \
    >"$W/dropin-bad.conf"
body "$W/dropin-bad.conf" >"$W/body.conf"
if mib_snmpd_start "$W/body.conf" && ! log_clean &&
    grep -q 'no-such-group-bmcw' "$W/log.rest"; then
	ok "snmpd's log shows a drop-in with an unknown group"
else
	not_ok "snmpd's log shows a drop-in with an unknown group"
	show_file "$MIB_SNMPD_DIR/snmpd.log"
fi
mib_snmpd_stop
finish

# Helpers for the MIB tests (bash); source after tests/integration/lib.sh:
#	. "$TESTS_DIR/mib/lib.sh"
# Gives: MIB_FILE, MIB_BASE, mib_setup (base modules + tool environment,
# one ok/not ok line), mib_tmp (a private temp dir, removed on exit),
# mib_snmpd_start/mib_snmpd_stop (a private snmpd on 127.0.0.1) and
# mib_snmp (net-snmp client tools isolated from /etc/snmp and
# /var/lib/snmp).
MIB_FILE=$TOP/mibs/BMCWATCH-MIB.txt
MIB_BASE=${MIB_BASE:-$TOP/build/mib-base}
MIB_TMP=""
MIB_SNMPD_PID=""

_mib_cleanup() {
	mib_snmpd_stop
	[ -n "$MIB_TMP" ] && rm -rf "$MIB_TMP"
	MIB_TMP=""
}
trap _mib_cleanup EXIT

# mib_tmp: create the private temp dir (short path: it may hold a unix
# socket, whose path must fit in 107 bytes)
mib_tmp() {
	[ -n "$MIB_TMP" ] && return 0
	MIB_TMP=$(mktemp -d /tmp/bmcwmib.XXXXXX) || return 1
	# net-snmp tools write cert_indexes under SNMP_PERSISTENT_DIR and say
	# so on stderr unless it exists
	mkdir -p "$MIB_TMP/client/cert_indexes"
}

# mib_setup: fetch the SMIv2 base modules once (tests/mib/base-mibs.sh)
# and point smilint and net-snmp at them, at Net-SNMP's own MIBs (for
# NET-SNMP-MIB) and at mibs/, reading no system or user configuration.
# Prints one ok / not ok line; returns non-zero when it failed.
mib_setup() {
	mib_tmp || { not_ok "cannot create a temp dir"; return 1; }
	if ! sh "$TESTS_DIR/mib/base-mibs.sh" "$MIB_BASE" \
	    2>"$MIB_TMP/base.err"; then
		not_ok "SMIv2 base modules (SNMPv2-SMI/TC/CONF) from Debian's" \
		    "erlang-snmp package in $MIB_BASE"
		sed 's/^/#   /' "$MIB_TMP/base.err"
		return 1
	fi
	ok "SMIv2 base modules (SNMPv2-SMI/TC/CONF) in $MIB_BASE"
	export SMIPATH="$MIB_BASE:/usr/share/snmp/mibs:$TOP/mibs"
	export MIBDIRS="$MIB_BASE:/usr/share/snmp/mibs:$TOP/mibs"
	export MIBS=BMCWATCH-MIB
	export SNMPCONFPATH=$MIB_TMP/client
	export SNMP_PERSISTENT_DIR=$MIB_TMP/client
	return 0
}

# mib_smilint FILE...: smilint at level 6 with our path and no config file
mib_smilint() {
	smilint -c /dev/null -l 6 -s "$@"
}

# mib_snmpd_start BODY: start snmpd with the config header of the test
# (loopback UDP port, AgentX socket and state in the temp dir) followed
# by the file BODY.  Sets MIB_SNMPD_PORT, MIB_SNMPD_DIR; snmpd's
# warnings and errors (-LOw, as Debian's unit runs it) go to snmpd.log;
# returns non-zero if snmpd did not come up within 10 s.
mib_snmpd_start() {
	mib_tmp || return 1
	MIB_SNMPD_DIR=$MIB_TMP/snmpd
	mkdir -p "$MIB_SNMPD_DIR/persist"
	MIB_SNMPD_PORT=$(_sim_freeports udp)
	{
		echo "[snmp] persistentDir $MIB_SNMPD_DIR/persist"
		echo "[snmp] mibs :"
		echo "agentAddress udp:127.0.0.1:$MIB_SNMPD_PORT"
		echo "agentXSocket unix:$MIB_SNMPD_DIR/agentx/master"
		cat "$1"
	} >"$MIB_SNMPD_DIR/snmpd.conf"
	: >"$MIB_SNMPD_DIR/snmpd.log"
	SNMP_PERSISTENT_DIR=$MIB_SNMPD_DIR/persist MIBS= MIBDIRS=/nonexistent \
	    /usr/sbin/snmpd -f -LOw -C -c "$MIB_SNMPD_DIR/snmpd.conf" \
	    -p "$MIB_SNMPD_DIR/snmpd.pid" -I -smux \
	    >>"$MIB_SNMPD_DIR/snmpd.log" 2>&1 </dev/null &
	MIB_SNMPD_PID=$!
	# ready: a GET of sysUpTime.0 answers (bounded: 100 tries)
	_i=0
	while [ "$_i" -lt 100 ]; do
		kill -0 "$MIB_SNMPD_PID" 2>/dev/null || {
			wait "$MIB_SNMPD_PID" 2>/dev/null
			MIB_SNMPD_PID=""
			return 1
		}
		mib_snmp snmpget -v2c -c public -t 0.2 -r 0 \
		    "udp:127.0.0.1:$MIB_SNMPD_PORT" .1.3.6.1.2.1.1.3.0 \
		    >/dev/null 2>&1 && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# mib_snmpd_stop: SIGTERM, up to 5 s, then SIGKILL; only our own pid
mib_snmpd_stop() {
	[ -n "$MIB_SNMPD_PID" ] || return 0
	kill -TERM "$MIB_SNMPD_PID" 2>/dev/null
	_i=0
	while kill -0 "$MIB_SNMPD_PID" 2>/dev/null && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -KILL "$MIB_SNMPD_PID" 2>/dev/null
	wait "$MIB_SNMPD_PID" 2>/dev/null
	MIB_SNMPD_PID=""
}

# mib_snmp TOOL ARGS...: a net-snmp client tool that reads no
# configuration and writes no state outside the temp dir, and loads no
# MIB (numeric OIDs)
mib_snmp() {
	SNMPCONFPATH=$MIB_TMP/client SNMP_PERSISTENT_DIR=$MIB_TMP/client \
	    MIBS= MIBDIRS=/nonexistent "$@"
}

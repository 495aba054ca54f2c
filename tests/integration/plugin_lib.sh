# Helpers for the plugin tests (8[0-4]x), sourced after lib.sh and
# daemon_lib.sh:
#   PLUGDIR            the plugins next to $BMCWATCH (build/ or build/san/)
#   plug NAME ARGS...  run NAME against $W/ctl.sock; output in $W/p.out,
#                      exit code in P_RC; its perfdata checked strictly
#                      (perfdata.py) into P_PERF ("" when it holds)
#   plug_rc RC NAME ARGS...  plug, true if the exit code is RC
#   plug_is RC RE NAME ARGS...  plug_rc, and the first line matches RE
#   p_state DESC RC REGEX NAME ARGS...   wait (bounded, 30 s) for NAME to
#                      exit RC with its first line matching REGEX
#                      (grep -E), then check that run's output against
#                      the guidelines (the last run's, when it timed out)
PLUGDIR=$(dirname "$BMCWATCH")
P_RC=
P_PERF=
P_EXT=

plug() {
	_pn=$1
	shift
	"$PLUGDIR/$_pn" -S "$W/ctl.sock" "$@" >"$W/p.out" 2>"$W/p.err"
	P_RC=$?
	P_PERF=$(python3 "$TESTS_DIR/integration/perfdata.py" "$P_RC" \
	    "$W/p.out" $P_EXT 2>&1)
}

plug_rc() {
	_pr=$1
	shift
	plug "$@"
	[ "$P_RC" = "$_pr" ]
}

# plug_is RC REGEX ARGS...: the plugin exits RC with its first line
# matching REGEX (a state reached: the exit code alone may be the last
# state's, when two in a row share it)
plug_is() {
	_pr=$1 _pe=$2
	shift 2
	plug "$@"
	[ "$P_RC" = "$_pr" ] && head -n 1 "$W/p.out" | grep -Eq "$_pe"
}

p_state() {
	_pd=$1 _prc=$2 _pre=$3
	shift 3
	# the run that reached the state is the one checked (not a second
	# run, which a loaded machine may make late: stale, an old success)
	wait_for 30 plug_is "$_prc" "$_pre" "$@"
	if [ "$P_RC" = "$_prc" ] && head -n 1 "$W/p.out" | grep -Eq "$_pre"
	then
		ok "$_pd: exit $_prc, $(head -n 1 "$W/p.out" | cut -c1-110)"
	else
		not_ok "$_pd: exit $P_RC, expected $_prc matching /$_pre/"
		show_file "$W/p.out"
		show_file "$W/p.err"
	fi
	if [ -z "$P_PERF" ] && [ ! -s "$W/p.err" ]; then
		ok "$_pd: output and perfdata follow the guidelines"
	else
		not_ok "$_pd: output and perfdata follow the guidelines"
		echo "#   $P_PERF"
		show_file "$W/p.err"
	fi
}

# --- remote mode (-H) against the socket (842, 844) ---------------------------
# p_same DESC RC PLUGIN ARGS...: PLUGIN gives exit code RC with the same
# output from the socket ($W/ctl.sock) and over SNMP, both v2c ($P_V2:
# the -H, -p and -C arguments) and v3 ($P_V3), and strict perfdata;
# waits (bounded, 20 s) for the two to agree, as the subagent follows
# the daemon a moment later.  Ages (whole seconds in the MIB) and the
# watchdog's countdown (not re-published between changes) are masked.
P_V2=
P_V3=

# p_snmp_creds: after snmp_setup, before snmpd_start: the v2c community
# file $W/community ("public"), the v3 file $W/v3 (user bmcv3, SHA-256
# and AES; snmpd learns the user from SNMPD_EXTRA), P_V2 and P_V3
p_snmp_creds() {
	(umask 077
	printf 'public\n' >"$W/community"
	printf '# the test user\nuser=bmcv3\nauth=SHA-256\nauthpass=v3authpass1\npriv=AES\nprivpass=v3privpass1\n' \
	    >"$W/v3")
	SNMPD_EXTRA="createUser bmcv3 SHA-256 v3authpass1 AES v3privpass1
rouser bmcv3 priv"
	P_V2="-H 127.0.0.1 -p $SNMP_PORT -C $W/community"
	P_V3="-H 127.0.0.1 -p $SNMP_PORT --v3-file $W/v3"
}

p_norm() {
	sed -E -e 's/[0-9]+(\.[0-9]+)? s ago/N s ago/g' \
	    -e 's/no reset for [0-9.]+ s/no reset for N s/g' \
	    -e "s/'(heartbeat_age|countdown)'=[0-9.]+s/'\\1'=Ns/g" "$1"
}

# p_same_once MODE PLUGIN ARGS...: socket and MODE agree
p_same_once() {
	_m=$1 _p=$2
	shift 2
	"$PLUGDIR/$_p" -S "$W/ctl.sock" "$@" >"$W/s.out" 2>"$W/s.err"
	S_RC=$?
	# shellcheck disable=SC2086
	"$PLUGDIR/$_p" $_m "$@" >"$W/r.out" 2>"$W/r.err"
	R_RC=$?
	[ "$S_RC" = "$R_RC" ] &&
	    [ "$(p_norm "$W/s.out")" = "$(p_norm "$W/r.out")" ]
}

p_same() {
	_d=$1 _rc=$2
	shift 2
	for _mode in v2c v3; do
		if [ $_mode = v2c ]; then _args=$P_V2; else _args=$P_V3; fi
		# the files are the last try's: the agreeing one, or not
		wait_for 20 p_same_once "$_args" "$@"
		if [ "$S_RC" = "$_rc" ] && [ "$R_RC" = "$_rc" ] &&
		    [ "$(p_norm "$W/s.out")" = "$(p_norm "$W/r.out")" ] &&
		    [ ! -s "$W/r.err" ]; then
			ok "$_d ($_mode): exit $_rc, $(head -n 1 "$W/r.out" |
			    cut -c1-90)"
		else
			not_ok "$_d ($_mode): socket exit $S_RC, SNMP exit" \
			    "$R_RC, expected $_rc and the same output"
			diff "$W/s.out" "$W/r.out" | sed 's/^/#   /' | head -n 20
			show_file "$W/r.err"
		fi
		_pp=$(python3 "$TESTS_DIR/integration/perfdata.py" "$R_RC" \
		    "$W/r.out" $P_EXT 2>&1)
		[ -z "$_pp" ] || not_ok "$_d ($_mode): perfdata: $_pp"
	done
}

# --- the shipped command lines (841 runs the local ones, 844 the SNMP ones) ----
# p_cfg_lines local|snmp: "FILE<TAB>NAME<TAB>COMMAND LINE" for every NRPE
# command of etc/nrpe.d/bmcwatch.cfg (FILE nrpe) and every command
# definition of etc/nagios/bmcwatch.cfg (FILE nagios), the local ones
# (no -H) or the SNMP ones (-H), with the plugin directory (as written,
# or $USER1$) made the build's
p_cfg_lines() {
	python3 - "$1" "$PLUGDIR" "$TOP/etc/nrpe.d/bmcwatch.cfg" \
	    "$TOP/etc/nagios/bmcwatch.cfg" <<'PY'
import re, sys
mode, plugdir = sys.argv[1], sys.argv[2]
def out(f, name, cmd):
    if (" -H " in cmd) != (mode == "snmp"):
        return
    cmd = cmd.replace("/usr/lib/nagios/plugins", plugdir)
    print("%s\t%s\t%s" % (f, name, cmd.replace("$USER1$", plugdir)))
for line in open(sys.argv[3]):
    m = re.match(r"command\[([^]]+)\]=(.*)$", line.rstrip("\n"))
    if m:
        out("nrpe", *m.groups())
t = open(sys.argv[4]).read()
for m in re.finditer(r"define command \{(.*?)\}", t, re.S):
    kv = dict(re.findall(r"^\s*(\w+)\s+(.*?)\s*$", m.group(1), re.M))
    out("nagios", kv["command_name"], kv["command_line"])
PY
}

# p_run_line DESC RC LINE: the command line (split on blanks, as NRPE
# and Nagios do for these) exits RC with output per the guidelines
p_run_line() {
	_rd=$1 _rr=$2
	# shellcheck disable=SC2086
	set -- $3
	"$@" >"$W/p.out" 2>"$W/p.err"
	P_RC=$?
	P_PERF=$(python3 "$TESTS_DIR/integration/perfdata.py" "$P_RC" \
	    "$W/p.out" $P_EXT 2>&1)
	if [ "$P_RC" = "$_rr" ] && [ -z "$P_PERF" ] && [ ! -s "$W/p.err" ]; then
		ok "$_rd: exit $_rr, per the guidelines: $(head -n 1 "$W/p.out" |
		    cut -c1-70)"
	else
		not_ok "$_rd: exit $P_RC (expected $_rr) $P_PERF"
		show_file "$W/p.out"
		show_file "$W/p.err"
	fi
}

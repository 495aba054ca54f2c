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
#                      (grep -E), then check that and the output against
#                      the guidelines
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
	wait_for 30 plug_is "$_prc" "$_pre" "$@"
	plug "$@"
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

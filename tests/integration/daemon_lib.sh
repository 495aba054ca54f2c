# Helpers for the bmcwatchd integration tests (bash), sourced after
# lib.sh:
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/daemon_lib.sh"
#
#   BMCWATCHD            the daemon next to $BMCWATCH (build/ or build/san/)
#   d_setup              $W: a work directory the daemon's user can use
#   d_pw USER FILE       the sim's password of USER copied to FILE, 0600,
#                        owned by the daemon's user (SIGHUP re-reads it
#                        after the drop)
#   d_target NAME PORT [SETTINGS...]   a target block for the sim at PORT
#   d_conf FILE [GLOBALS...]           a config with $W's paths; target
#                        blocks appended by the caller
#   d_start CONF [ARGS]  start bmcwatchd -d -vvv on CONF in the background
#                        (log $W/d.log), wait until its socket answers;
#                        sets DPID
#   d_stop               SIGTERM, wait (bounded); sets D_RC
#   d_ask ARGS...        bmcwatch -S $W/ctl.sock ARGS...
#   wait_for SECS CMD... run CMD every 0.1 s until it succeeds; false
#                        after SECS
#   d_san_clean          the daemon's log has no sanitizer report
#   jq_get FILE EXPR     a field of a JSON file (python expression on d)
#
# Started as root (the tests are), the daemon drops to D_USER (nobody):
# $W and the password copies belong to it.
BMCWATCHD=${BMCWATCHD:-$(dirname "$BMCWATCH")/bmcwatchd}
D_USER=${D_USER:-nobody}
DPID=
D_RC=

d_setup() {
	W=$(mktemp -d "${TMPDIR:-/tmp}/bmcwd.XXXXXX") || exit 1
	chmod 755 "$W"
	if [ "$(id -u)" = 0 ]; then
		chown "$D_USER" "$W"
	fi
	# leaks and errors are reported at exit, to the daemon's log
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
}

d_pw() {
	cp "$(sim_pwfile "$1")" "$2"
	chmod 600 "$2"
	if [ "$(id -u)" = 0 ]; then
		chown "$D_USER" "$2"
	fi
}

# d_target NAME PORT [SETTINGS...]: lanplus to 127.0.0.1:PORT as admin;
# the password file is $W/pw.NAME (made here from the running sim)
d_target() {
	_dn=$1 _dp=$2
	shift 2
	d_pw admin "$W/pw.$_dn"
	cat <<EOF
target "$_dn" {
	interface lanplus  host "127.0.0.1"  port $_dp
	username "admin"  password-file "$W/pw.$_dn"  privilege admin
	cipher-suite 3  workaround no-cipher-suites
	$*
}
EOF
}

d_conf() {
	_df=$1
	shift
	{
		echo "socket \"$W/ctl.sock\""
		echo "state-dir \"$W/state\""
		echo "archive-dir \"$W/archive\""
		echo "user \"$D_USER\""
		for _dg in "$@"; do
			echo "$_dg"
		done
	} >"$_df"
}

wait_for() {
	_wt=$1
	shift
	_wn=0
	while [ "$_wn" -lt $((_wt * 10)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		_wn=$((_wn + 1))
		sleep 0.1
	done
	return 1
}

d_ask() {
	"$BMCWATCH" -S "$W/ctl.sock" "$@"
}

d_start() {
	_dc=$1
	shift
	"$BMCWATCHD" -d -vvv -f "$_dc" "$@" >>"$W/d.log" 2>&1 &
	DPID=$!
	if ! wait_for 20 d_ask targets; then
		echo "# bmcwatchd did not answer on $W/ctl.sock:"
		sed 's/^/#   | /' "$W/d.log" | tail -n 20
		return 1
	fi
}

d_alive() {
	[ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null
}

d_stop() {
	D_RC=
	[ -n "$DPID" ] || return 0
	kill -TERM "$DPID" 2>/dev/null
	_ds=0
	while d_alive && [ "$_ds" -lt 300 ]; do
		_ds=$((_ds + 1))
		sleep 0.1
	done
	if d_alive; then
		echo "# bmcwatchd still running 30 s after SIGTERM: killed"
		kill -KILL "$DPID" 2>/dev/null
	fi
	wait "$DPID" 2>/dev/null
	D_RC=$?
	DPID=
}

d_san_clean() {
	! grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)' \
	    "$W/d.log"
}

jq_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# the target NAME's field F in `targets --json`
d_health() {
	d_ask --json targets >"$W/targets.json" 2>/dev/null || return 1
	python3 - "$W/targets.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["targets"]:
    if t["name"] == sys.argv[2]:
        v = t
        for k in sys.argv[3].split("."):
            v = v[k]
        print(v)
        sys.exit(0)
sys.exit(1)
PY
}

# d_state NAME STATE: the target is in STATE (up, unreachable ...)
d_state() {
	[ "$(d_health "$1" state)" = "$2" ]
}

# d_stale NAME ITEM: ITEM's answer (sensors, chassis) says stale
d_stale() {
	# shellcheck disable=SC2086
	_sj=$(d_ask --target "$1" --json $2 2>/dev/null) || return 1
	[ "$(printf '%s' "$_sj" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stale"])')" = True ]
}

d_fresh() {
	# shellcheck disable=SC2086
	_sj=$(d_ask --target "$1" --json $2 2>/dev/null) || return 1
	[ "$(printf '%s' "$_sj" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stale"])')" = False ]
}

# ---- several sims and relays at once ----
# sim_as NAME [EMU]: start a sim in $W/sim.NAME and remember it as NAME
# (SIMPORT_NAME, SIMPID_NAME, SIMRUN_NAME, SIMCON_NAME); the SIM_*
# variables then name it too
sim_as() {
	SIM_PID= SIM_PORT= SIM_CONSOLE= SIM_VMPORT=
	SIM_RUNDIR=$W/sim.$1
	mkdir -p "$SIM_RUNDIR"
	sim_start ${2:+"$2"} || return 1
	eval "SIMPORT_$1=\$SIM_PORT SIMPID_$1=\$SIM_PID" \
	    "SIMRUN_$1=\$SIM_RUNDIR SIMCON_$1=\$SIM_CONSOLE"
}
# sim_use NAME: point the SIM_* variables (sim_ipmitool ...) at NAME
sim_use() {
	eval "SIM_PORT=\$SIMPORT_$1 SIM_PID=\$SIMPID_$1" \
	    "SIM_RUNDIR=\$SIMRUN_$1 SIM_CONSOLE=\$SIMCON_$1"
}
sim_stop_as() {
	sim_use "$1"
	sim_stop
	eval "SIMPID_$1="
}
# sim_sessions NAME: active sessions on sim NAME, ipmitool's own included
sim_sessions() {
	sim_use "$1"
	sim_ipmitool session info active 2>/dev/null |
	    sed -n 's/^active sessions *: *//p' | head -n 1
}
# d_relay NAME TARGETPORT [LISTENPORT]: tests/tools/udprelay.py in front
# of a sim; RPORT_NAME, RPID_NAME, RSTATS_NAME
d_relay() {
	_rn=$1
	_rd=$W/relay.$_rn.$$.$(date +%s%N)
	mkdir -p "$_rd"
	python3 "$TESTS_DIR/tools/udprelay.py" \
	    --listen "127.0.0.1:${3:-0}" --target "127.0.0.1:$2" \
	    --port-file "$_rd/port" --stats-file "$_rd/stats" &
	eval "RPID_$_rn=\$!"
	wait_for 10 test -s "$_rd/port" || return 1
	eval "RPORT_$_rn=\$(cat \"\$_rd/port\") RSTATS_$_rn=\$_rd/stats"
}
d_relay_stop() {
	eval "_rp=\${RPID_$1:-}"
	if [ -n "$_rp" ]; then
		kill -TERM "$_rp" 2>/dev/null
		wait "$_rp" 2>/dev/null
	fi
	eval "RPID_$1="
}
# d_rcount NAME KEY: a counter of relay NAME
d_rcount() {
	eval "_rs=\$RSTATS_$1"
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
	    "$_rs" "$2" 2>/dev/null
}

d_cleanup() {
	if [ -n "$DPID" ]; then
		kill -KILL "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	for _cn in ${D_SIMS:-}; do
		eval "_cp=\${SIMPID_$_cn:-}"
		if [ -n "$_cp" ]; then
			kill -CONT "$_cp" 2>/dev/null
			sim_stop_as "$_cn"
		fi
		d_relay_stop "$_cn"
	done
	[ -n "${W:-}" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$W"
}

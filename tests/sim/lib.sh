# bmcwatch simulated-BMC test bed: shell helpers around OpenIPMI's ipmi_sim.
#
# Source it from a test script (POSIX sh: works under dash and bash, and
# with set -u; it needs python3 for free ports and the console client):
#
#	#!/bin/sh
#	set -eu
#	SIM_DIR=$(cd "$(dirname "$0")/../sim" && pwd)	# optional, see below
#	. "$SIM_DIR/lib.sh"
#	sim_start || exit 1		# or: sim_start "$DIR/big.emu" (mkbig.py DIR)
#	trap sim_stop EXIT
#	sim_ipmitool sdr list
#	sim_cmd "sensor_set_value 0x20 0 0x01 90 1"
#
# Functions
#   sim_start [EMU]       start ipmi_sim on EMU (default $SIM_DIR/bmc.emu;
#                         EMU's SDR source is ${EMU%.emu}.sdrs if it exists)
#   sim_stop              SIGTERM the sim, SIGKILL after ~3 s, remove run dir
#   sim_again             after sim_stop, with a caller's SIM_RUNDIR (kept):
#                         the sim started again there, on the same ports;
#                         0 once it answers (bounded by SIM_START_TIMEOUT)
#   sim_cmd "CMD"         one ipmi_sim_cmd(5) console command; prints its
#                         output; non-zero if the sim answered with "**..."
#   sim_set_value NUM RAW [GEN_EVENT]      sensor_set_value on MC 0x20 LUN 0
#   sim_set_bit NUM BIT VALUE [GEN_EVENT]  sensor_set_bit on MC 0x20 LUN 0
#   sim_ipmitool ARGS...  ipmitool, RMCP+ (-I lanplus -C 3) as admin
#   sim_ipmitool_as USER ARGS...  same as USER (admin|operator|user), with
#                         the matching -L privilege
#   sim_ipmitool_lan ARGS...      ipmitool, IPMI 1.5 (-I lan) as admin; add
#                         e.g. -A MD5 / -A PASSWORD / -A NONE before the command
#   sim_freeipmi_args [USER]      prints FreeIPMI options for ipmi-sensors,
#                         ipmi-sel, ...:  ipmi-sensors $(sim_freeipmi_args)
#   sim_freeipmi_conf [USER]      prints the path of a FreeIPMI config file
#                         (mode 0600) holding USER's password, so that it
#                         is never in argv
#   sim_pwfile USER       prints the password file path of USER
#   sim_password USER     prints the password of USER
#   sim_chassis_power     prints the simulated chassis power state (0/1)
#   relay_start [ARGS...] tests/tools/udprelay.py (ARGS: its options) in
#                         front of the running sim, to count or disturb
#                         datagrams; sets RELAY_PORT, RELAY_PID, RELAY_STATS
#   relay_stop            stop it (its stats file stays)
#   relay_count KEY       a counter of the relay: to_bmc, from_bmc, dropped,
#                         open_session (RMCP+ Open Session Requests sent),
#                         session_ok (RMCP+ sessions the BMC established)
#
# Environment, in:
#   SIM_DIR        directory holding this file (found automatically under
#                  bash, or when the script lives in tests/sim or tests/*,
#                  or when run from the repository root)
#   SIM_RUNDIR     run directory to use (default: mktemp -d in ${TMPDIR:-/tmp})
#   SIM_VMPORT     "auto" or a port number: also open the system-interface
#                  ("VM" codec) serial port for a QEMU ipmi-bmc-extern guest
#   SIM_SOL        Serial over LAN: the serial device behind the BMC's SOL
#                  payload, "tcp:127.0.0.1:PORT" (a TCP server the sim
#                  connects to at start, e.g. a QEMU guest's
#                  -serial tcp:...,server=on) or "telnet:..."; empty: no
#                  SOL (ipmi_sim then answers C1h to Activate Payload)
#   SIM_SOL_OPTS   more words for the sol line (history=SIZE ...)
#   SIM_KEEP=1     sim_stop keeps the run directory (a SIM_RUNDIR that
#                  existed before sim_start is never removed)
#   SIM_START_TIMEOUT  seconds to wait for the sim to answer (default 30)
# Environment, out (exported by sim_start):
#   SIM_HOST=127.0.0.1  SIM_PORT (UDP, IPMI LAN)  SIM_CONSOLE (TCP console)
#   SIM_VMPORT (empty if none)  SIM_RUNDIR  SIM_PID
#
# Run directory: lan.conf, sim.emu (rendered), sdr.bin/sdr.emu (compiled
# SDRs), pw.<user>, sim.log, validate.log, chassis.{power,identify,boot,
# resets,log}, fcache/ (FreeIPMI SDR cache for sim_freeipmi_args).
#
# Users (from lan.conf.in): admin/admin-pw-2 (admin), operator/oper-pw-3
# (operator), user/user-pw-4 (user), disabled/disabled-pw-5 (disabled).

if [ -z "${SIM_DIR:-}" ]; then
	# shellcheck disable=SC3028,SC3054
	if [ -n "${BASH_SOURCE:-}" ]; then
		SIM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	else
		for _sim_d in "$(dirname "$0")" "$(dirname "$0")/../sim" \
			"$(pwd)/tests/sim" "$(pwd)"; do
			if [ -f "$_sim_d/lib.sh" ] && [ -f "$_sim_d/lan.conf.in" ]; then
				SIM_DIR=$(cd "$_sim_d" && pwd)
				break
			fi
		done
		unset _sim_d
	fi
fi
if [ -z "${SIM_DIR:-}" ] || [ ! -f "$SIM_DIR/lan.conf.in" ]; then
	echo "tests/sim/lib.sh: cannot find the sim directory; set SIM_DIR" >&2
	# shellcheck disable=SC2317
	return 1 2>/dev/null || exit 1
fi

# the relay, found while SIM_DIR is still this directory (tests may
# later point SIM_DIR at a modified copy of it)
SIM_RELAY=${SIM_RELAY:-$SIM_DIR/../tools/udprelay.py}
SIM_HOST=127.0.0.1
SIM_PID=${SIM_PID:-}
SIM_PORT=${SIM_PORT:-}
SIM_CONSOLE=${SIM_CONSOLE:-}
SIM_RUNDIR=${SIM_RUNDIR:-}
SIM_VMPORT=${SIM_VMPORT:-}
SIM_SOL=${SIM_SOL:-}
SIM_SOL_OPTS=${SIM_SOL_OPTS:-}

_sim_err() {
	echo "sim: $*" >&2
}

# _sim_freeports SPEC...: SPEC is "udp" or "tcp"; prints one free port per
# SPEC, all distinct, bound at the same time on 127.0.0.1 and then released.
_sim_freeports() {
	python3 - "$@" <<'PYEOF'
import socket, sys
socks = []
for kind in sys.argv[1:]:
    t = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM
    s = socket.socket(socket.AF_INET, t)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PYEOF
}

# _sim_console_up PORT: true if the console accepts a connection and shows
# its prompt.  Read the prompt before closing: ipmi_sim does not ignore
# SIGPIPE, and a client that hangs up before the greeting is written kills it.
_sim_console_up() {
	python3 - "$1" <<'PYEOF'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    buf = b""
    while not buf.endswith(b"> "):
        d = s.recv(4096)
        if not d:
            sys.exit(1)
        buf += d
    s.close()
except OSError:
    sys.exit(1)
PYEOF
}

# _sim_sdr_emu BIN: raw SDRs (sdrcomp -r) -> main_sdr_add lines
_sim_sdr_emu() {
	od -An -v -tx1 "$1" | awk '
	function hex(s,   i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		p = 0
		while (p + 5 <= n) {
			len = 5 + hex(b[p + 4])
			if (p + len > n) { print "** truncated SDR at byte " p; exit 1 }
			line = "main_sdr_add 0x20"
			for (i = 0; i < len; i++) line = line " 0x" b[p + i]
			print line
			p += len
		}
	}'
}

_sim_users() {
	# prints "name password" for every user line of the template
	awk '$1 == "user" && NF >= 5 {
		n = $4; p = $5; gsub(/"/, "", n); gsub(/"/, "", p)
		if (n != "") print n, p
	}' "$SIM_DIR/lan.conf.in"
}

_sim_fail() {
	_sim_err "$*"
	if [ -n "${SIM_RUNDIR:-}" ] && [ -f "$SIM_RUNDIR/sim.log" ]; then
		echo "sim: --- tail of $SIM_RUNDIR/sim.log ---" >&2
		tail -n 20 "$SIM_RUNDIR/sim.log" >&2
	fi
	sim_stop
	return 1
}

sim_start() {
	_sim_emu=${1:-$SIM_DIR/bmc.emu}
	if [ -n "${SIM_PID:-}" ] && kill -0 "$SIM_PID" 2>/dev/null; then
		_sim_err "already running (pid $SIM_PID); sim_stop first"
		return 1
	fi
	for _sim_t in ipmi_sim sdrcomp ipmitool python3 od awk; do
		command -v "$_sim_t" >/dev/null 2>&1 || {
			_sim_err "missing tool: $_sim_t"
			return 1
		}
	done
	[ -f "$_sim_emu" ] || { _sim_err "no such emu file: $_sim_emu"; return 1; }
	_sim_emu=$(cd "$(dirname "$_sim_emu")" && pwd)/$(basename "$_sim_emu")

	if [ -n "${SIM_RUNDIR:-}" ]; then
		[ -d "$SIM_RUNDIR" ] || _sim_own_rundir=1
		mkdir -p "$SIM_RUNDIR" || return 1
	else
		SIM_RUNDIR=$(mktemp -d "${TMPDIR:-/tmp}/bmcsim.XXXXXX") || return 1
		_sim_own_rundir=1
	fi
	SIM_RUNDIR=$(cd "$SIM_RUNDIR" && pwd)
	export SIM_RUNDIR
	mkdir -p "$SIM_RUNDIR/fcache"

	# password files, one per user, no trailing newline
	_sim_users | while read -r _sim_u _sim_p; do
		(umask 077 && printf '%s' "$_sim_p" >"$SIM_RUNDIR/pw.$_sim_u")
	done

	# SDRs: compile the source next to the emu file into main_sdr_add lines
	_sim_sdrs=${_sim_emu%.emu}.sdrs
	: >"$SIM_RUNDIR/sdr.emu"
	if [ -f "$_sim_sdrs" ]; then
		sdrcomp -8 -r -o "$SIM_RUNDIR/sdr.bin" "$_sim_sdrs" \
			>"$SIM_RUNDIR/sdrcomp.log" 2>&1 || {
			cat "$SIM_RUNDIR/sdrcomp.log" >&2
			_sim_fail "sdrcomp failed on $_sim_sdrs"
			return 1
		}
		_sim_sdr_emu "$SIM_RUNDIR/sdr.bin" >"$SIM_RUNDIR/sdr.emu" || {
			_sim_fail "cannot convert $SIM_RUNDIR/sdr.bin"
			return 1
		}
	fi
	sed "s|@RUNDIR@|$SIM_RUNDIR|g; s|@SIMDIR@|$SIM_DIR|g" "$_sim_emu" \
		>"$SIM_RUNDIR/sim.emu"

	# remember "auto" across restarts (SIM_VMPORT then holds the port)
	[ "$SIM_VMPORT" = auto ] && _sim_vmreq=auto
	_sim_vmask=${_sim_vmreq:-$SIM_VMPORT}
	_sim_try=0
	while :; do
		_sim_try=$((_sim_try + 1))
		if [ "$_sim_vmask" = auto ]; then
			# shellcheck disable=SC2046
			set -- $(_sim_freeports udp tcp tcp)
			SIM_PORT=$1 SIM_CONSOLE=$2 SIM_VMPORT=$3
		else
			# shellcheck disable=SC2046
			set -- $(_sim_freeports udp tcp)
			SIM_PORT=$1 SIM_CONSOLE=$2 SIM_VMPORT=$_sim_vmask
		fi
		if [ -n "$SIM_VMPORT" ]; then
			_sim_vmsed='s|^\([[:space:]]*\)#@VM@ |\1|'
		else
			_sim_vmsed='/#@VM@/d'
		fi
		# SOL (SIM_SOL): the #@SOL@ line, kept only when asked for
		if [ -n "$SIM_SOL" ]; then
			_sim_solsed='s|^\([[:space:]]*\)#@SOL@ |\1|'
		else
			_sim_solsed='/#@SOL@/d'
		fi
		sed -e "$_sim_vmsed" -e "$_sim_solsed" \
			-e "s|@SOLDEV@|$SIM_SOL|g" -e "s|@SOLOPTS@|$SIM_SOL_OPTS|g" \
			-e "s|@PORT@|$SIM_PORT|g" \
			-e "s|@CONSOLEPORT@|$SIM_CONSOLE|g" \
			-e "s|@VMPORT@|$SIM_VMPORT|g" -e "s|@RUNDIR@|$SIM_RUNDIR|g" \
			-e "s|@SIMDIR@|$SIM_DIR|g" \
			"$SIM_DIR/lan.conf.in" >"$SIM_RUNDIR/lan.conf"

		# Validate: an error in the command file silently truncates the
		# BMC under -n, so run it once with stdio and -x quit first.
		# (It then dies on an assertion after "quit": harmless, ignored.)
		# shellcheck disable=SC2015
		(cd "$SIM_RUNDIR" && timeout 10 ipmi_sim -c lan.conf -f sim.emu \
			-p -x quit </dev/null >validate.log 2>&1 || :; exit 0) 2>/dev/null
		# (Its console output lines start with a CR: strip CRs first.)
		if tr -d '\r' <"$SIM_RUNDIR/validate.log" | grep -q '^\*\*'; then
			tr -d '\r' <"$SIM_RUNDIR/validate.log" | grep -B1 '^\*\*' >&2
			_sim_fail "errors in $_sim_emu (SIM_KEEP=1 keeps $SIM_RUNDIR/validate.log)"
			return 1
		fi

		(cd "$SIM_RUNDIR" && exec ipmi_sim -c lan.conf -f sim.emu -p -n \
			</dev/null >sim.log 2>&1) &
		SIM_PID=$!
		echo "$SIM_PID" >"$SIM_RUNDIR/sim.pid"
		export SIM_HOST SIM_PORT SIM_CONSOLE SIM_VMPORT SIM_PID

		# wait (bounded) for the console, then for an IPMI answer
		_sim_n=0
		_sim_max=$((${SIM_START_TIMEOUT:-30} * 10))
		_sim_ok=
		while [ "$_sim_n" -lt "$_sim_max" ]; do
			kill -0 "$SIM_PID" 2>/dev/null || break
			if _sim_console_up "$SIM_CONSOLE" &&
				sim_ipmitool -N 1 -R 1 raw 6 1 >/dev/null 2>&1; then
				_sim_ok=1
				break
			fi
			_sim_n=$((_sim_n + 1))
			sleep 0.1
		done
		[ -n "$_sim_ok" ] && break
		if kill -0 "$SIM_PID" 2>/dev/null || [ "$_sim_try" -ge 3 ]; then
			_sim_fail "ipmi_sim did not come up on udp $SIM_PORT /" \
				"console $SIM_CONSOLE"
			return 1
		fi
		# it died (port taken between choosing and binding?): retry
		wait "$SIM_PID" 2>/dev/null || :
		SIM_PID=
	done

	# SEL time: until set it runs from the host's monotonic clock
	sim_ipmitool sel time set now >/dev/null 2>&1 ||
		{ _sim_fail "cannot set the SEL time"; return 1; }
	return 0
}

sim_stop() {
	if [ -n "${SIM_PID:-}" ]; then
		if kill -TERM "$SIM_PID" 2>/dev/null; then
			_sim_n=0
			while [ "$_sim_n" -lt 30 ] && kill -0 "$SIM_PID" 2>/dev/null; do
				_sim_n=$((_sim_n + 1))
				sleep 0.1
			done
			kill -KILL "$SIM_PID" 2>/dev/null || :
		fi
		wait "$SIM_PID" 2>/dev/null || :
		SIM_PID=
	fi
	# remove the run dir, unless SIM_KEEP=1 or it is a caller's SIM_RUNDIR
	# that existed before sim_start
	if [ -n "${SIM_RUNDIR:-}" ] && [ -n "${_sim_own_rundir:-}" ] &&
		[ -d "$SIM_RUNDIR" ] && [ "${SIM_KEEP:-0}" != 1 ]; then
		rm -rf "$SIM_RUNDIR"
		SIM_RUNDIR=
		_sim_own_rundir=
	fi
	return 0
}

sim_again() {
	(cd "$SIM_RUNDIR" && exec ipmi_sim -c lan.conf -f sim.emu -p -n \
		</dev/null >>sim.log 2>&1) &
	SIM_PID=$!
	echo "$SIM_PID" >"$SIM_RUNDIR/sim.pid"
	export SIM_PID
	_sim_n=0
	while [ "$_sim_n" -lt $((${SIM_START_TIMEOUT:-30} * 10)) ]; do
		kill -0 "$SIM_PID" 2>/dev/null || return 1
		sim_ipmitool -N 1 -R 1 raw 6 1 >/dev/null 2>&1 && return 0
		_sim_n=$((_sim_n + 1))
		sleep 0.1
	done
	return 1
}

sim_cmd() {
	[ -n "${SIM_CONSOLE:-}" ] || { _sim_err "sim not started"; return 1; }
	python3 "$SIM_DIR/console.py" "$SIM_CONSOLE" "$*"
}

sim_set_value() {
	sim_cmd "sensor_set_value 0x20 0 $1 $2 ${3:-1}"
}

sim_set_bit() {
	sim_cmd "sensor_set_bit 0x20 0 $1 $2 $3 ${4:-1}"
}

sim_pwfile() {
	echo "$SIM_RUNDIR/pw.${1:-admin}"
}

sim_password() {
	cat "$SIM_RUNDIR/pw.${1:-admin}"
}

_sim_priv() {
	case $1 in
	admin) echo ADMINISTRATOR ;;
	operator) echo OPERATOR ;;
	user) echo USER ;;
	*) echo ADMINISTRATOR ;;
	esac
}

sim_ipmitool_as() {
	_sim_user=$1
	shift
	ipmitool -I lanplus -C 3 -H "$SIM_HOST" -p "$SIM_PORT" -U "$_sim_user" \
		-f "$SIM_RUNDIR/pw.$_sim_user" -L "$(_sim_priv "$_sim_user")" "$@"
}

sim_ipmitool() {
	sim_ipmitool_as admin "$@"
}

sim_ipmitool_lan() {
	ipmitool -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
		-f "$SIM_RUNDIR/pw.admin" -L ADMINISTRATOR "$@"
}

sim_freeipmi_args() {
	_sim_user=${1:-admin}
	case $_sim_user in
	admin) _sim_l=ADMIN ;;
	operator) _sim_l=OPERATOR ;;
	*) _sim_l=USER ;;
	esac
	echo "-D LAN_2_0 -I 3 -W opensesspriv -h $SIM_HOST:$SIM_PORT" \
		"-u $_sim_user --config-file $(sim_freeipmi_conf "$_sim_user")" \
		"-l $_sim_l --sdr-cache-directory $SIM_RUNDIR/fcache"
}

sim_freeipmi_conf() {
	_sim_fc=$SIM_RUNDIR/freeipmi.${1:-admin}.conf
	[ -f "$_sim_fc" ] ||
	    (umask 077 && printf 'password %s\n' "$(sim_password "${1:-admin}")" \
	    >"$_sim_fc")
	echo "$_sim_fc"
}

sim_chassis_power() {
	if [ -f "$SIM_RUNDIR/chassis.power" ]; then
		cat "$SIM_RUNDIR/chassis.power"
	else
		echo 1
	fi
}

relay_start() {
	_rl_dir=$(mktemp -d "$SIM_RUNDIR/relay.XXXXXX") || return 1
	RELAY_STATS=$_rl_dir/stats
	python3 "$SIM_RELAY" --listen 127.0.0.1:0 \
	    --target "127.0.0.1:$SIM_PORT" --port-file "$_rl_dir/port" \
	    --stats-file "$RELAY_STATS" "$@" &
	RELAY_PID=$!
	_rl_n=0
	while [ ! -s "$_rl_dir/port" ] && [ "$_rl_n" -lt 400 ]; do
		kill -0 "$RELAY_PID" 2>/dev/null || break
		_rl_n=$((_rl_n + 1))
		sleep 0.05
	done
	[ -s "$_rl_dir/port" ] || { relay_stop; return 1; }
	RELAY_PORT=$(cat "$_rl_dir/port")
}

relay_stop() {
	if [ -n "${RELAY_PID:-}" ]; then
		kill -TERM "$RELAY_PID" 2>/dev/null
		wait "$RELAY_PID" 2>/dev/null
		RELAY_PID=
	fi
	return 0
}

relay_count() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
	    "$RELAY_STATS" "$1" 2>/dev/null
}

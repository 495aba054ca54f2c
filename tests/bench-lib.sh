# Helpers of the benchmarks (bash), sourced after tests/sim/lib.sh.
#
# For every benchmark that starts a simulated BMC or a daemon:
#   bench_big_sim DIR     a sim of about 120 sensors (tests/sim/mkbig.py,
#                         BENCH_EXTRA): its configuration in DIR/cfg,
#                         started by sim_start (SIM_PORT, SIM_PID, ...)
#   bench_daemon_dir DIR PWFILE   DIR made fit for a bmcwatchd that
#                         drops to DUSER (set here: nobody as root, else
#                         the caller), with PWFILE copied to DIR/pw
#   bench_rss PID / bench_cpu PID  VmRSS in kB / utime+stime in ticks
bench_big_sim() {
	python3 tests/sim/mkbig.py "$1/cfg" "${BENCH_EXTRA:-90}" >/dev/null &&
	    sim_start "$1/cfg/big.emu"
}
bench_daemon_dir() {
	chmod 755 "$1"
	DUSER=nobody
	[ "$(id -u)" = 0 ] || DUSER=$(id -un)
	[ "$(id -u)" = 0 ] && chown "$DUSER" "$1"
	cp "$2" "$1/pw"
	chmod 600 "$1/pw"
	[ "$(id -u)" = 0 ] && chown "$DUSER" "$1/pw"
	return 0
}
#   bench_dconf DIR TIMEOUT SENSOR_S SEL_S CHASSIS_S   the daemon's
#   config (bench_daemon_dir's DIR and user) with one lanplus target
#   "big", the sim at $SIM_PORT, polled at those intervals
bench_dconf() {
	cat <<EOC
socket "$1/ctl.sock"
state-dir "$1/state"
archive-dir "$1/archive"
user "$DUSER"
target "big" {
	interface lanplus  host "127.0.0.1"  port $SIM_PORT
	username "admin"  password-file "$1/pw"  privilege admin
	cipher-suite 3  workaround no-cipher-suites  timeout $2
	sensor-interval $3  sel-interval $4  chassis-interval $5
}
EOC
}
bench_rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }
bench_cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
#   bench_mem_split PID   one line: RSS split into anonymous and file
#                         pages, the file pages of libcurl and the
#                         libraries only it loads (0 when it has not
#                         loaded libcurl: agent/http/http.c loads it for
#                         the first Redfish target or webhook), and PSS
bench_mem_split() {
	_lc=$(awk '$6 ~ /\/libcurl/ { print $6; exit }' "/proc/$1/maps")
	{
		[ -n "$_lc" ] && readlink -f "$_lc"
		[ -n "$_lc" ] && ldd "$_lc" | awk '$3 ~ /^\// { print $3 }' |
		    xargs -r -n1 readlink -f
	} | sort -u >"$T/curl.libs"
	# what the program's other libraries load (ldd lists them all)
	ldd "/proc/$1/exe" | awk '$3 ~ /^\// && $1 !~ /curl/ { print $1, $3 }' |
	while read -r _so _path; do
		readelf -d "/proc/$1/exe" | grep -q "NEEDED.*\[$_so\]" ||
		    continue
		readlink -f "$_path"
		ldd "$_path" | awk '$3 ~ /^\// { print $3 }' |
		    xargs -r -n1 readlink -f
	done | sort -u >"$T/own.libs"
	# the libraries libcurl needs that the program needs anyway
	comm -12 "$T/curl.libs" "$T/own.libs" >"$T/shared.libs"
	awk -v C="$T/curl.libs" -v S="$T/shared.libs" '
	BEGIN { while ((getline l < C) > 0) c[l] = 1
		while ((getline l < S) > 0) delete c[l]
		c[""] = 0 }
	/^[0-9a-f]+-[0-9a-f]+ / { name = $6 }
	/^Rss:/ { if (name in c && c[name]) curl += $2 }
	/^Anonymous:/ { anon += $2 }
	/^Pss:/ { pss += $2 }
	/^Rss:/ { rss += $2 }
	END { printf "split: %.1f MiB anonymous, %.1f MiB file pages, of " \
	    "which libcurl and the libraries only it loads %.1f MiB; " \
	    "PSS %.1f MiB\n", anon / 1024, (rss - anon) / 1024,
	    curl / 1024, pss / 1024 }' "/proc/$1/smaps"
}

# The rest only for the sensor and SEL benchmarks, sourced once the sim
# runs (BENCH_LIB_RELAY=0 leaves it out), with B (bmcwatch), T (a scratch
# directory) and RUNS set.  Every tool talks to the sim through a UDP
# relay that counts the datagrams it sends to the BMC, session setup
# included, so all are counted the same way; RELAY_ARGS are the relay's
# options (e.g. --delay-ms 10 for a BMC far away).
#   bench_cleanup         stop the relay and the sim, remove T (EXIT trap)
#   RP, PW, FICONF        the relay's port, the admin password file, and
#                         a FreeIPMI config file holding the password
#   sent                  datagrams to the BMC so far
#   bwr/itr ARGS...       bmcwatch / ipmitool (lanplus suite 3, admin)
#                         through the relay
#   measure NAME SETUP CMD...   eval SETUP, then run CMD, RUNS times;
#                         appends "NAME|requests of each run|us of each
#                         run" to $RESULTS
[ "${BENCH_LIB_RELAY:-1}" = 0 ] && return 0
bench_cleanup() {
	relay_stop
	sim_stop
	rm -rf "$T"
}
trap bench_cleanup EXIT
# shellcheck disable=SC2086
relay_start ${RELAY_ARGS:-} ||
    { echo "bench: the UDP relay did not start" >&2; exit 1; }
RP=$RELAY_PORT
PW=$(sim_pwfile admin)
FICONF=$(sim_freeipmi_conf admin)
RESULTS=$T/results
: >"$RESULTS"

sent() { relay_count to_bmc || echo 0; }
now() { date +%s%N; }
bwr() { "$B" -I lanplus -H 127.0.0.1 -p "$RP" -U admin -f "$PW" -C 3 "$@"; }
itr() { ipmitool -I lanplus -C 3 -H 127.0.0.1 -p "$RP" -U admin -f "$PW" \
    -L ADMINISTRATOR "$@"; }

# (the 50 ms pauses let the relay count the last datagrams of a tool
# that does not wait for the answer to its Close Session)
measure() {
	_name=$1 _setup=$2
	shift 2
	_times="" _reqs=""
	for _ in $(seq "$RUNS"); do
		eval "$_setup"
		sleep 0.05
		_a=$(sent)
		_t0=$(now)
		"$@" >/dev/null 2>>"$T/err.log"
		_t1=$(now)
		sleep 0.05
		_b=$(sent)
		_times="$_times $(( (_t1 - _t0) / 1000 ))"
		_reqs="$_reqs $((_b - _a))"
	done
	echo "$_name|$_reqs|$_times" >>"$RESULTS"
}

# Helpers of the sensor and SEL benchmarks (bash), sourced once the sim
# runs (tests/sim/lib.sh) and with B (bmcwatch), T (a scratch directory)
# and RUNS set.  Every tool talks to the sim through a UDP relay that
# counts the datagrams it sends to the BMC, session setup included, so
# all are counted the same way; RELAY_ARGS are the relay's options
# (e.g. --delay-ms 10 for a BMC far away).
#   bench_cleanup         stop the relay and the sim, remove T (EXIT trap)
#   RP, PW, FICONF        the relay's port, the admin password file, and
#                         a FreeIPMI config file holding the password
#   sent                  datagrams to the BMC so far
#   bwr/itr ARGS...       bmcwatch / ipmitool (lanplus suite 3, admin)
#                         through the relay
#   measure NAME SETUP CMD...   eval SETUP, then run CMD, RUNS times;
#                         appends "NAME|requests of each run|us of each
#                         run" to $RESULTS
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

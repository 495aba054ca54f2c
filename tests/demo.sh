#!/bin/bash
# make demo: start a simulated BMC on loopback, show what bmcwatch sees
# of it; then bmcwatchd on two simulated BMCs, read through its control
# socket with bmcwatch -S; stop everything that was started, by pid.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
BD=$(dirname "$B")/bmcwatchd
DPID=
D=
SIM2_PID=
SIM2_RUNDIR=
cleanup() {
	if [ -n "$DPID" ]; then
		kill -TERM "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	if [ -n "$SIM2_PID" ]; then
		SIM_PID=$SIM2_PID SIM_RUNDIR=$SIM2_RUNDIR
		sim_stop
	fi
	SIM_PID=$SIM1_PID SIM_RUNDIR=$SIM1_RUNDIR
	sim_stop
	[ -n "$D" ] && rm -rf "$D"
}
sim_start || exit 1
SIM1_PID=$SIM_PID SIM1_RUNDIR=$SIM_RUNDIR
trap cleanup EXIT
PW=$(sim_pwfile admin)
run() {
	echo
	echo "\$ bmcwatch $*"
	"$B" -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" "$@"
}
echo "simulated BMC (OpenIPMI ipmi_sim) on $SIM_HOST:$SIM_PORT, pid $SIM_PID"
run info
run raw 0x06 0x01
run -C auto --stats info --json
run sensors
run chassis status
echo
echo "# CPU1 Temp (sensor 0x01, 1 degree C per count) driven past its upper"
echo "# non-critical (85) and critical (95) thresholds through the sim's"
echo "# console: the BMC logs threshold events"
sim_set_value 0x01 88 1 >/dev/null
sim_set_value 0x01 97 1 >/dev/null
run sensors -v --name 'CPU1 Temp'
run sel list --last 5
run sel info
echo

# ---- the daemon ------------------------------------------------------------
S1_PORT=$SIM_PORT
D=$(mktemp -d "${TMPDIR:-/tmp}/bmcwatchd-demo.XXXXXX") || exit 1
chmod 755 "$D"
DUSER=nobody
[ "$(id -u)" = 0 ] || DUSER=$(id -un)
[ "$(id -u)" = 0 ] && chown "$DUSER" "$D"
# a second simulated BMC, in a run directory of its own
SIM_PID= SIM_PORT= SIM_CONSOLE= SIM_RUNDIR=
sim_start || exit 1
SIM2_PID=$SIM_PID SIM2_RUNDIR=$SIM_RUNDIR S2_PORT=$SIM_PORT
for n in 1 2; do
	cp "$SIM1_RUNDIR/pw.admin" "$D/pw.sim$n"
	chmod 600 "$D/pw.sim$n"
	[ "$(id -u)" = 0 ] && chown "$DUSER" "$D/pw.sim$n"
done
cat >"$D/bmcwatchd.conf" <<EOF
socket "$D/bmcwatch.sock"
state-dir "$D/state"
archive-dir "$D/archive"
user "$DUSER"
target "sim1" {
	interface lanplus  host "127.0.0.1"  port $S1_PORT
	username "admin"  password-file "$D/pw.sim1"  privilege admin
	cipher-suite 3  workaround no-cipher-suites
	sensor-interval 2  sel-interval 2  chassis-interval 2  timeout 1
}
target "sim2" {
	interface lanplus  host "127.0.0.1"  port $S2_PORT
	username "admin"  password-file "$D/pw.sim2"  privilege admin
	cipher-suite 3  workaround no-cipher-suites
	sensor-interval 2  sel-interval 2  chassis-interval 2  timeout 1
	allow identify
}
EOF
echo
echo "# bmcwatchd on both simulated BMCs (ports $S1_PORT and $S2_PORT),"
echo "# configuration $D/bmcwatchd.conf"
echo "\$ bmcwatchd -n -f $D/bmcwatchd.conf"
"$BD" -n -f "$D/bmcwatchd.conf" || exit 1
"$BD" -d -v -f "$D/bmcwatchd.conf" 2>"$D/bmcwatchd.log" &
DPID=$!
ask() {
	echo
	echo "\$ bmcwatch -S $D/bmcwatch.sock $*"
	"$B" -S "$D/bmcwatch.sock" "$@"
}
up() {
	"$B" -S "$D/bmcwatch.sock" --json targets 2>/dev/null |
	    python3 -c 'import json,sys; t=json.load(sys.stdin)["targets"]; sys.exit(0 if len(t) == 2 and all(x["state"] == "up" and x["sweeps"] > 0 for x in t) else 1)' \
	    2>/dev/null
}
n=0
while ! up && [ "$n" -lt 200 ]; do
	n=$((n + 1))
	sleep 0.1
done
ask targets
ask --target sim1 sensors
ask --target sim2 --json chassis status
echo
echo "# CPU2 Temp of sim2 past its critical threshold: the daemon reads the"
echo "# new SEL entries at its next pass and archives them"
echo "# ($D/archive/sel-sim2.log)"
SIM_CONSOLE=$(sed -n 's/^console 127\.0\.0\.1 //p' "$SIM2_RUNDIR/lan.conf")
sim_cmd "sensor_set_value 0x20 0 0x02 97 1" >/dev/null
n=0
while [ "$(grep -c 'CPU2 Temp' "$D/archive/sel-sim2.log" 2>/dev/null)" != 2 ] &&
    [ "$n" -lt 100 ]; do
	n=$((n + 1))
	sleep 0.1
done
cut -f 1-6 "$D/archive/sel-sim2.log" 2>/dev/null
crit() {
	"$B" -S "$D/bmcwatch.sock" --target sim2 sensors |
	    grep -q 'CPU2 Temp.*critical'
}
n=0
while ! crit && [ "$n" -lt 100 ]; do
	n=$((n + 1))
	sleep 0.1
done
ask --target sim2 sensors | grep 'CPU2 Temp'
ask --target sim2 chassis identify 5
echo "# (allowed for sim2: allow identify)"
ask --target sim2 chassis power off
echo "# (refused: not in allow)"
echo
echo "# stopping bmcwatchd (pid $DPID): Close Session to both BMCs"
kill -TERM "$DPID"
wait "$DPID"
echo "# exit status $?; its log:"
DPID=
sed 's/^/  /' "$D/bmcwatchd.log"

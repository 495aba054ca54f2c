#!/bin/bash
# make demo: start a simulated BMC on loopback, show what bmcwatch sees
# of it, and stop what was started.
set -u
cd "$(dirname "$0")/.." || exit 1
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
sim_start || exit 1
trap sim_stop EXIT
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

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
for c in "sensors" "chassis status" "sel list --last 5"; do
	# shown once their commands exist
	# shellcheck disable=SC2086
	"$B" --help | grep -q "^    ${c%% *}" && run $c
done
echo

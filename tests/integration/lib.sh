# Helpers for integration tests (bash).  Source after setting nothing:
#	. "$(dirname "$0")/lib.sh"
# Gives: BMCWATCH (the binary under test), ok/not_ok/check/skip_all,
# the simulator functions of tests/sim/lib.sh, bw (bmcwatch against the
# sim as admin over lanplus), finish (exit status from the results).
set -u
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOP=$(cd "$TESTS_DIR/.." && pwd)
BMCWATCH=${BMCWATCH:-$TOP/build/bmcwatch}
case $BMCWATCH in /*) ;; *) BMCWATCH=$TOP/$BMCWATCH ;; esac
SIM_DIR=$TESTS_DIR/sim
export SIM_DIR
# shellcheck source=../sim/lib.sh
. "$SIM_DIR/lib.sh"
T_FAILED=0
T_COUNT=0

ok() { T_COUNT=$((T_COUNT + 1)); echo "ok - $*"; }
not_ok() { T_COUNT=$((T_COUNT + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok - $*"; }
# check DESCRIPTION CMD...: ok if CMD succeeds
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}
# check_eq DESCRIPTION GOT EXPECTED
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   got:      $2"
		echo "#   expected: $3"
	fi
}
skip_all() { echo "# SKIP $*"; exit 77; }
finish() {
	[ "$T_COUNT" -gt 0 ] || { echo "not ok - no checks ran"; exit 1; }
	[ "$T_FAILED" -eq 0 ]
}
# bw ARGS...: bmcwatch as admin over lanplus suite 3 against the sim
bw() {
	"$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
	    -f "$(sim_pwfile admin)" -C 3 "$@"
}
# bw_as USER ARGS...
bw_as() {
	_u=$1
	shift
	"$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U "$_u" \
	    -f "$(sim_pwfile "$_u")" -C 3 "$@"
}
# json_get FILE EXPR: evaluate a python expression on the document "d"
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

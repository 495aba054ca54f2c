#!/bin/sh
# bmcwatch simulated BMC: chassis_control program for ipmi_sim (lan.conf).
# ipmi_sim runs it as
#   chassis.sh RUNDIR get NAME...            -> prints NAME:VALUE per name
#   chassis.sh RUNDIR set NAME VALUE ...     -> stores the values
#   chassis.sh RUNDIR check NAME VALUE ...   -> exit 0 = acceptable
# NAMEs: power (0/1), reset (1), shutdown (1, soft off), identify
# ("INTERVAL FORCE"), boot (none/pxe/default/cdrom/bios).
# State lives in RUNDIR/chassis.NAME; every set is appended to
# RUNDIR/chassis.log as "set NAME VALUE".  Power starts on.
dir=${1:?run dir}
op=${2:-}
shift 2 2>/dev/null || exit 1

get() {
	if [ -f "$dir/chassis.$1" ]; then
		cat "$dir/chassis.$1"
	else
		case $1 in
		power) echo 1 ;;
		boot) echo default ;;
		identify) echo "0 0" ;;
		*) echo 0 ;;
		esac
	fi
}

case $op in
get)
	for name; do
		printf '%s:%s\n' "$name" "$(get "$name")"
	done
	;;
set)
	while [ $# -ge 2 ]; do
		name=$1 val=$2
		shift 2
		printf 'set %s %s\n' "$name" "$val" >>"$dir/chassis.log"
		case $name in
		power) echo "$val" >"$dir/chassis.power" ;;
		shutdown) [ "$val" = 1 ] && echo 0 >"$dir/chassis.power" ;;
		reset)
			n=$(cat "$dir/chassis.resets" 2>/dev/null || echo 0)
			echo $((n + 1)) >"$dir/chassis.resets"
			;;
		*) echo "$val" >"$dir/chassis.$name" ;;
		esac
	done
	;;
check)
	exit 0
	;;
*)
	echo "chassis.sh: unknown operation '$op'" >&2
	exit 1
	;;
esac
exit 0

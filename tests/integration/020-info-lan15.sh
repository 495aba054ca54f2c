#!/bin/bash
# 020-info-lan15: IPMI 1.5 sessions (-I lan) with -A md5, -A password and
# -A none (only with --allow-none): "raw 6 1" and "info --json" equal to
# what ipmitool -I lan -A MD5|PASSWORD|NONE reads from the same sim.
. "$(dirname "$0")/lib.sh"
sim_start || { echo "not ok - sim_start"; exit 1; }
trap sim_stop EXIT
W=$SIM_RUNDIR/t020
mkdir -p "$W"
PW=$(sim_pwfile admin)

bwl() {
	"$BMCWATCH" -I lan -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" "$@"
}

for a in md5 password none; do
	A=$(echo "$a" | tr a-z A-Z)
	extra=
	[ "$a" = none ] && extra=--allow-none
	if ! sim_ipmitool_lan -A "$A" raw 6 1 >"$W/ipt.$a" 2>&1 ||
	    ! sim_ipmitool_lan -A "$A" mc info >"$W/mcinfo.$a" 2>&1 ||
	    ! sim_ipmitool_lan -A "$A" mc guid >"$W/mcguid.$a" 2>&1; then
		ok "-A $a: bmcwatch equals ipmitool -I lan -A $A # SKIP peer ipmitool fails ($(head -n 1 "$W/ipt.$a"))"
		continue
	fi
	peer=$(hexbytes <"$W/ipt.$a")
	bwl -A "$a" $extra raw 6 1 >"$W/raw.$a" 2>"$W/raw.$a.err"
	rc=$?
	check_eq "lan -A $a${extra:+ $extra}: raw 6 1 exits 0" "$rc" 0
	[ "$rc" = 0 ] || show_file "$W/raw.$a.err"
	check_eq "lan -A $a: raw 6 1 bytes equal ipmitool -I lan -A $A raw 6 1" \
	    "$(hexbytes <"$W/raw.$a")" "$peer"

	bwl -A "$a" $extra info --json >"$W/info.$a.json" 2>"$W/info.$a.err"
	rc=$?
	check_eq "lan -A $a: info --json exits 0" "$rc" 0
	if [ "$rc" = 0 ] && json_get "$W/info.$a.json" 1 >/dev/null 2>&1; then
		check_eq "lan -A $a: device_id_raw equals ipmitool raw 6 1" \
		    "$(json_get "$W/info.$a.json" 'd["device_id_raw"]')" "$peer"
		check_eq "lan -A $a: system_guid equals ipmitool mc guid" \
		    "$(json_get "$W/info.$a.json" 'd["system_guid"]')" \
		    "$(ipmitool_system_guid "$W/mcguid.$a")"
		check_mc_info "lan -A $a: info --json" "$W/info.$a.json" \
		    "$W/mcinfo.$a"
	else
		not_ok "lan -A $a: info --json parses"
		show_file "$W/info.$a.err"
	fi
done

# -A none without --allow-none: refused, and says how to allow it
bwl -A none raw 6 1 >"$W/none.out" 2>"$W/none.err"
rc=$?
check "lan -A none without --allow-none is a configuration error (exit $rc, 2 wanted)" \
    test "$rc" = 2
check "lan -A none refusal mentions allow-none" grep -q 'allow-none' "$W/none.err"
check "lan -A none refusal prints nothing on stdout" test ! -s "$W/none.out"

# no -A: bmcwatch picks an authentication type the sim offers (not none)
bwl raw 6 1 >"$W/def.out" 2>"$W/def.err"
rc=$?
check_eq "lan without -A: raw 6 1 exits 0" "$rc" 0
[ "$rc" = 0 ] || show_file "$W/def.err"
check_eq "lan without -A: bytes equal ipmitool -I lan raw 6 1" \
    "$(hexbytes <"$W/def.out")" "$(sim_ipmitool_lan raw 6 1 | hexbytes)"

finish

#!/bin/bash
# 010-info-lanplus: "bmcwatch info --json" and "raw 6 1" over RMCP+ for
# every cipher suite the sim speaks, each cross-checked with ipmitool on
# the same sim (its output parsed, never copied values); suite 0 only with
# --allow-none; -C auto despite the sim never answering Get Channel Cipher
# Suites; suites 15-17 (not in ipmi_sim 2.0.33) fail cleanly at Open Session.
. "$(dirname "$0")/lib.sh"
sim_start || { echo "not ok - sim_start"; exit 1; }
trap sim_stop EXIT
W=$SIM_RUNDIR/t010
mkdir -p "$W"
PW=$(sim_pwfile admin)

# ipmitool over RMCP+ with a given suite; bounded (failing suites stall)
ipt() {
	timeout 10 ipmitool -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin \
	    -f "$PW" -L ADMINISTRATOR -N 1 -R 1 "$@"
}
bwc() {
	"$BMCWATCH" -I lanplus -H "$SIM_HOST" -p "$SIM_PORT" -U admin -f "$PW" "$@"
}

# the reference: what ipmitool sees over suite 3, and its mc info / guid
if sim_ipmitool raw 6 1 >"$W/ref.raw" 2>"$W/ref.err" &&
    sim_ipmitool mc info >"$W/mcinfo" 2>&1 &&
    sim_ipmitool mc guid >"$W/mcguid" 2>&1; then
	ok "peer: ipmitool -C 3 raw 6 1, mc info, mc guid on the sim"
else
	not_ok "peer: ipmitool -C 3 against the sim"
	show_file "$W/ref.err"
	finish
	exit 1
fi
REF=$(hexbytes <"$W/ref.raw")
SYSGUID=$(ipmitool_system_guid "$W/mcguid")
if sim_ipmitool raw 6 8 >"$W/devguid.raw" 2>/dev/null; then
	HAVE_DEVGUID=1
else
	HAVE_DEVGUID=0
fi

for c in 0 1 2 3 6 7 8 11 12; do
	extra=
	[ "$c" = 0 ] && extra=--allow-none
	if ipt -C "$c" raw 6 1 >"$W/ipt.$c" 2>&1; then
		peer=$(hexbytes <"$W/ipt.$c")
		bwc -C "$c" $extra raw 6 1 >"$W/raw.$c" 2>"$W/raw.$c.err"
		rc=$?
		check_eq "suite $c: bmcwatch raw 6 1 exits 0" "$rc" 0
		[ "$rc" = 0 ] || show_file "$W/raw.$c.err"
		check_eq "suite $c: raw 6 1 bytes equal ipmitool -C $c raw 6 1" \
		    "$(hexbytes <"$W/raw.$c")" "$peer"
		bwc -C "$c" $extra info --json >"$W/info.$c.json" \
		    2>"$W/info.$c.err"
		rc=$?
		check_eq "suite $c: bmcwatch info --json exits 0" "$rc" 0
		if [ "$rc" = 0 ] && json_get "$W/info.$c.json" 1 >/dev/null 2>&1; then
			check_eq "suite $c: info device_id_raw equals ipmitool -C $c raw 6 1" \
			    "$(json_get "$W/info.$c.json" 'd["device_id_raw"]')" "$peer"
		else
			not_ok "suite $c: info --json output parses"
			show_file "$W/info.$c.err"
		fi
	else
		why=$(grep -v '^$' "$W/ipt.$c" | head -n 1)
		ok "suite $c: bmcwatch equals ipmitool -C $c # SKIP peer ipmitool fails too ($why)"
		# bmcwatch alone must not hang: it either gets the bytes the peer
		# gets over suite 3, or fails with exit 3 and one line, in time
		t0=$(now_ms)
		bwc -C "$c" -t 1 raw 6 1 >"$W/raw.$c" 2>"$W/raw.$c.err"
		rc=$?
		el=$(($(now_ms) - t0))
		if [ "$rc" = 0 ]; then
			check_eq "suite $c: bmcwatch alone gets the bytes ipmitool -C 3 gets" \
			    "$(hexbytes <"$W/raw.$c")" "$REF"
		else
			check "suite $c: bmcwatch fails cleanly (exit $rc, 3 wanted; one line; ${el} ms < 3500)" \
			    test "$rc" = 3 -a "$el" -lt 3500 -a "$(wc -l <"$W/raw.$c.err")" = 1
		fi
	fi
done

# info --json against ipmitool mc info / mc guid (suite 3)
if bwc -C 3 info --json >"$W/info.json" 2>"$W/info.err" &&
    json_get "$W/info.json" 1 >/dev/null 2>&1; then
	ok "info --json (suite 3) exits 0 and parses"
	check_mc_info "info --json" "$W/info.json" "$W/mcinfo"
	check_eq "info --json: system_guid equals ipmitool mc guid System GUID" \
	    "$(json_get "$W/info.json" 'd["system_guid"]')" "$SYSGUID"
	check_eq "info --json: device_id_raw equals ipmitool raw 6 1" \
	    "$(json_get "$W/info.json" 'd["device_id_raw"]')" "$REF"
	if [ "$HAVE_DEVGUID" = 1 ]; then
		check "info --json: device_guid present (ipmitool raw 6 8 succeeds)" \
		    test "$(json_get "$W/info.json" 'd["device_guid"]')" != None
	else
		check_eq "info --json: device_guid null (ipmitool raw 6 8 fails too)" \
		    "$(json_get "$W/info.json" 'd["device_guid"]')" None
	fi
else
	not_ok "info --json (suite 3) exits 0 and parses"
	show_file "$W/info.err"
fi

# text info: the lines shared with ipmitool mc info are identical
if bwc -C 3 info >"$W/info.txt" 2>"$W/info.txt.err"; then
	for f in "Device ID" "Device Revision" "Firmware Revision" \
	    "IPMI Version" "Manufacturer ID" "Device Available" \
	    "Provides Device SDRs"; do
		check_eq "info text: '$f' line as ipmitool mc info" \
		    "$(grep "^$f  *:" "$W/info.txt")" "$(grep "^$f  *:" "$W/mcinfo")"
	done
	check_eq "info text: System GUID as ipmitool mc guid" \
	    "$(sed -n 's/^System GUID *: *//p' "$W/info.txt")" "$SYSGUID"
else
	not_ok "info (text, suite 3) exits 0"
	show_file "$W/info.txt.err"
fi

# suite 0 without --allow-none: refused before anything is sent
bwc -C 0 raw 6 1 >"$W/s0.out" 2>"$W/s0.err"
rc=$?
check "suite 0 without --allow-none is a configuration error (exit $rc, 2 wanted)" \
    test "$rc" = 2
check "suite 0 refusal message names suite 0 and how to allow it" \
    grep -qi 'suite 0.*allow' "$W/s0.err"
check "suite 0 refusal prints nothing on stdout" test ! -s "$W/s0.out"

# -C auto: the sim never answers Get Channel Cipher Suites; bounded wait
t0=$(now_ms)
bwc -C auto --stats raw 6 1 >"$W/auto.out" 2>"$W/auto.err"
rc=$?
el=$(($(now_ms) - t0))
check_eq "-C auto: raw 6 1 exits 0" "$rc" 0
[ "$rc" = 0 ] || show_file "$W/auto.err"
check_eq "-C auto: bytes equal ipmitool raw 6 1" "$(hexbytes <"$W/auto.out")" "$REF"
check "-C auto: completes under 5 s (${el} ms)" test "$el" -lt 5000
check_eq "-C auto: one session" "$(stats_field "$W/auto.err" sessions)" 1
check_eq "-C auto: one request" "$(stats_field "$W/auto.err" requests)" 1

# suites 15-17: if the peer cannot open them either, bmcwatch fails at
# Open Session with exit 3, quickly, and does not hang
for c in 15 16 17; do
	if ipt -C "$c" raw 6 1 >"$W/ipt.$c" 2>&1; then
		bwc -C "$c" raw 6 1 >"$W/raw.$c" 2>"$W/raw.$c.err"
		check_eq "suite $c: bytes equal ipmitool -C $c (the peer opens it)" \
		    "$(hexbytes <"$W/raw.$c")" "$(hexbytes <"$W/ipt.$c")"
		continue
	fi
	t0=$(now_ms)
	bwc -C "$c" raw 6 1 >"$W/raw.$c" 2>"$W/raw.$c.err"
	rc=$?
	el=$(($(now_ms) - t0))
	check_eq "suite $c (not in the sim; ipmitool fails too): exit 3" "$rc" 3
	check "suite $c: one-line message naming Open Session" \
	    err_line_ok "$W/raw.$c.err" "$SIM_PORT"
	check "suite $c: message is about Open Session" \
	    grep -q 'Open Session' "$W/raw.$c.err"
	check "suite $c: fails without hanging (${el} ms < 5000)" test "$el" -lt 5000
done

finish

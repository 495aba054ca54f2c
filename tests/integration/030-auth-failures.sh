#!/bin/bash
# 030-auth-failures: every way a session can fail to open gives exit 3 and
# exactly one stderr line "bmcwatch: 127.0.0.1:PORT: STEP: message", and
# ipmitool fails the same way against the same sim: wrong password, unknown
# user, privilege above the user's limit, a disabled user, and no BMC at
# all (within the -t asked).
. "$(dirname "$0")/lib.sh"
sim_start || { echo "not ok - sim_start"; exit 1; }
trap sim_stop EXIT
W=$SIM_RUNDIR/t030
mkdir -p "$W"
BAD=$W/pw.wrong
(umask 077 && printf '%s' "not-$(sim_password admin)" >"$BAD")

# bwx IFACE USER PWFILE ARGS...
bwx() {
	_i=$1 _u=$2 _f=$3
	shift 3
	"$BMCWATCH" -I "$_i" -H "$SIM_HOST" -p "$SIM_PORT" -U "$_u" -f "$_f" "$@"
}
# iptx IFACE USER PWFILE ARGS...: the peer, bounded
iptx() {
	_i=$1 _u=$2 _f=$3
	shift 3
	_c=
	[ "$_i" = lanplus ] && _c="-C 3"
	timeout 10 ipmitool -I "$_i" $_c -N 1 -R 1 -H "$SIM_HOST" -p "$SIM_PORT" \
	    -U "$_u" -f "$_f" "$@"
}
# expect_fail NAME FILE-PREFIX REGEX: exit 3 (in $rc), one line, REGEX
expect_fail() {
	check_eq "$1: exit 3" "$rc" 3
	if err_line_ok "$2.err" "$SIM_PORT"; then
		ok "$1: one line 'bmcwatch: 127.0.0.1:$SIM_PORT: STEP: message'"
	else
		not_ok "$1: one line 'bmcwatch: 127.0.0.1:$SIM_PORT: STEP: message'"
		show_file "$2.err"
	fi
	if grep -Eqi "$3" "$2.err"; then
		ok "$1: message matches /$3/"
	else
		not_ok "$1: message matches /$3/"
		show_file "$2.err"
	fi
	check "$1: nothing on stdout" test ! -s "$2.out"
}

# both_refuse IFACE USER PWFILE TAG WHAT REGEX: ipmitool and bmcwatch
# (raw 6 1; -t 1 over lan) both fail to open the session; bmcwatch's
# output in $W/TAG.{out,err}
both_refuse() {
	_t=
	[ "$1" = lan ] && _t="-t 1"
	iptx "$1" "$2" "$3" raw 6 1 >/dev/null 2>&1
	check "peer: ipmitool $1 refuses: $5" test $? -ne 0
	# shellcheck disable=SC2086
	bwx "$1" "$2" "$3" $_t raw 6 1 >"$W/$4.out" 2>"$W/$4.err"
	rc=$?
	expect_fail "$1 $5" "$W/$4" "$6"
}

both_refuse lanplus admin "$BAD" wp+ "wrong password" \
    '^bmcwatch: [^ ]+: RAKP2: .*wrong password'
both_refuse lan admin "$BAD" wp "wrong password" 'password'
both_refuse lanplus nosuchuser "$BAD" uu+ "unknown user" 'user|name'
both_refuse lan nosuchuser "$BAD" uu "unknown user" 'user|name'
# a disabled user: valid password, account disabled in lan.conf
DIS=$(sim_pwfile disabled)
both_refuse lanplus disabled "$DIS" du+ "disabled user" 'user|name'
both_refuse lan disabled "$DIS" du "disabled user" 'user|name'

# --- privilege: the "user" account (limit: user) asking for admin
UPW=$(sim_pwfile user)
REF=$(sim_ipmitool_as user raw 6 1 2>/dev/null | hexbytes)
for i in lan lanplus; do
	if iptx "$i" user "$UPW" -L ADMINISTRATOR raw 6 1 >"$W/pr.$i.peer" 2>&1; then
		ok "$i: user -L admin refused # SKIP peer ipmitool is granted admin too (the sim does not enforce the user limit here)"
		bwx "$i" user "$UPW" -L admin raw 6 1 >"$W/pr.$i.out" 2>"$W/pr.$i.err"
		check_eq "$i: user -L admin succeeds like the peer" "$?" 0
	else
		bwx "$i" user "$UPW" -L admin -t 1 raw 6 1 >"$W/pr.$i.out" 2>"$W/pr.$i.err"
		rc=$?
		expect_fail "$i user -L admin (ipmitool refused too)" "$W/pr.$i" 'privilege'
	fi
	bwx "$i" user "$UPW" -L user raw 6 1 >"$W/pu.$i.out" 2>"$W/pu.$i.err"
	rc=$?
	check_eq "$i: user -L user exits 0" "$rc" 0
	[ "$rc" = 0 ] || show_file "$W/pu.$i.err"
	check_eq "$i: user -L user bytes equal ipmitool as user" \
	    "$(hexbytes <"$W/pu.$i.out")" "$REF"
done

# --- nothing listening: exit 3 within the -t asked (and 2.5 s for a
# slow machine to start and end bmcwatch: -t 1 still ends well before
# the default -t 4 would)
FREE=$(free_udp_port)
for i in lanplus lan; do
	for t in 1 3; do
		bound=$((t * 1000 + 2500))
		t0=$(now_ms)
		"$BMCWATCH" -I "$i" -H 127.0.0.1 -p "$FREE" -U admin \
		    -f "$(sim_pwfile admin)" -t "$t" raw 6 1 \
		    >"$W/np.$i.$t.out" 2>"$W/np.$i.$t.err"
		rc=$?
		el=$(($(now_ms) - t0))
		check_eq "$i no BMC -t $t: exit 3" "$rc" 3
		check "$i no BMC -t $t: fails in ${el} ms < $bound" test "$el" -lt "$bound"
		if err_line_ok "$W/np.$i.$t.err" "$FREE"; then
			ok "$i no BMC -t $t: one line naming 127.0.0.1:$FREE and the step"
		else
			not_ok "$i no BMC -t $t: one line naming 127.0.0.1:$FREE and the step"
			show_file "$W/np.$i.$t.err"
		fi
	done
done

finish

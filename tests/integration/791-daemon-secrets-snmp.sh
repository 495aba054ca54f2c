#!/bin/bash
# No secret and no Redfish session token leaves bmcwatchd through SNMP,
# the socket, the log or its files (issue 14's security audit; 790 does
# the IPMI password in the process, its children and the socket).
# One daemon at -vvv under a real snmpd with the subagent, holding every
# kind of secret the configuration knows:
#   - "a": lanplus to the sim (its password);
#   - "k": lanplus to the same sim with a K_g the sim does not have (the
#     session fails: its error goes to the log, the store and SNMP);
#   - "rf": Redfish on tests/redfish/server.py (its password; the
#     server writes every X-Auth-Token it issues to a file, so the
#     test knows the tokens the daemon and the CLI hold);
#   - a webhook with a bearer token and an HMAC secret, delivering to
#     tests/redfish/whrx.py (its queue and sent files in state-dir).
# Then:
#   - snmpwalk of BMCWATCH-MIB, ENTITY-MIB and ENTITY-SENSOR-MIB, strings
#     as text (-Oa) and as hex (-Ox), holds no secret, neither as text
#     nor as hex (and no token);
#   - the socket's answers (targets, and for every target info, sensors,
#     sel list, chassis status), the log at -vvv and every file under
#     state-dir and archive-dir hold none either;
#   - the CLI (bmcwatch -vvv -I redfish sensors) does not print its
#     token.
# Each search is shown to be able to fail: the same search finds the
# secret in the file it was read from.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (the daemon drops to nobody)"
MIB=.1.3.6.1.4.1.8072.9999.623
RFPID= WHPID=
snmp_bed a
trap 'py_stop; d_cleanup; snmp_cleanup' EXIT
py_stop() {
	for _p in $RFPID $WHPID; do
		kill -TERM "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	RFPID= WHPID=
}

# secret FILE TEXT: a 0600 secret file the daemon's user owns
secret() {
	printf '%s\n' "$2" >"$1"
	chmod 600 "$1"
	chown "$D_USER" "$1"
}
rnd() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
# the hex of TEXT's bytes, lower case
hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

RFPW=rfpw-$(rnd 10)
KG=$(rnd 20)			# the key's bytes, as 40 hex digits
BEARER=bearer-$(rnd 12)
HMAC=hmac-$(rnd 16)
secret "$W/pw.rf" "$RFPW"
secret "$W/kg.k" "0x$KG"
secret "$W/bearer" "$BEARER"
secret "$W/hmac" "$HMAC"

python3 "$TESTS_DIR/redfish/server.py" \
    --mockup "$TESTS_DIR/redfish/mockup/public-rackmount1" \
    --port-file "$W/rf.port" --password-file "$W/pw.rf" \
    --log "$W/rf.req" --tokens "$W/rf.tokens" >/dev/null 2>"$W/rf.err" &
RFPID=$!
rf_port() { test -s "$W/rf.port"; }
wait_for 20 rf_port || { not_ok "the Redfish server starts"; show_file "$W/rf.err"; exit 1; }
RFPORT=$(cat "$W/rf.port")
python3 "$TESTS_DIR/redfish/whrx.py" "$W/wh.port" "$W/wh.jsonl" \
    >/dev/null 2>"$W/wh.err" &
WHPID=$!
wh_port() { test -s "$W/wh.port"; }
wait_for 20 wh_port || { not_ok "the webhook receiver starts"; show_file "$W/wh.err"; exit 1; }
WHPORT=$(cat "$W/wh.port")

d_target a "$SIMPORT_a" "sensor-interval 5  sel-interval 5
	chassis-interval 5  timeout 1  retries 1" >>"$W/d.conf"
d_target k "$SIMPORT_a" "kg-file \"$W/kg.k\"  sensor-interval 5
	timeout 1  retries 1  backoff-max 4" >>"$W/d.conf"
cat >>"$W/d.conf" <<EOF
target "rf" {
	interface redfish  host "http://127.0.0.1:$RFPORT"  allow-plaintext yes
	username "admin"  password-file "$W/pw.rf"
	sensor-interval 5  chassis-interval 5  sel-interval 5  timeout 3
}
webhook "hook" {
	url "http://127.0.0.1:$WHPORT/h"  allow-plaintext yes
	bearer-token-file "$W/bearer"  hmac-secret-file "$W/hmac"
	min-severity info  timeout 1
}
EOF
PW=$(cat "$W/pw.a")
d_start "$W/d.conf" || exit 1
check "a up" wait_for 30 d_state a up
check "rf up" wait_for 30 d_state rf up
k_failed() { [ "$(d_health k consecutive_errors)" -ge 1 ]; }
check "k (a K_g the BMC does not have) fails" wait_for 30 k_failed
d_health k last_error | sed 's/^/# k: /'
rf_swept() { d_fresh rf sensors; }
check "rf's sensors fresh" wait_for 30 rf_swept
wh_sent() {
	d_ask --json targets >"$W/t.json" 2>/dev/null &&
	    [ "$(jq_get "$W/t.json" 'd["webhooks"][0]["delivered"]')" -ge 1 ]
}
check "the webhook delivered an event" wait_for 30 wh_sent
tok_used() {
	test -s "$W/rf.tokens" && grep -q '"auth": "token"' "$W/rf.req"
}
check "the daemon logged in to Redfish and used its token" tok_used

# every secret, as text and as the hex of its bytes (K_g: its bytes are
# the hex digits' value; the file's text is 0x and those digits)
: >"$W/needles"
for s in "$PW" "$RFPW" "$BEARER" "$HMAC"; do
	printf '%s\n%s\n' "$s" "$(hexof "$s")" >>"$W/needles"
done
printf '%s\n%s\n' "$KG" "$(hexof "$KG")" >>"$W/needles"
sed -i '/^$/d' "$W/needles"	# an empty line would match anything
# found FILE...: a line of the needles (case-insensitive) in FILE, or in
# FILE with blanks and line ends removed (hex split over lines)
found() {
	_f=
	for _x in "$@"; do
		grep -aiFf "$W/needles" "$_x" && _f=1
		tr -d ' \t\r\n' <"$_x" | grep -aiqFf "$W/needles" && _f=1
	done
	[ -n "$_f" ]
}
finds() { found "$@" >/dev/null; }
none() {
	for _x in "$@"; do
		if found "$_x" >/dev/null; then
			echo "# a secret or token in $_x"
			return 1
		fi
	done
}
check "the search finds what it looks for (the password file)" \
    finds "$W/pw.a"
# K_g's bytes as snmpwalk -Ox shows an OCTET STRING, split over 2 lines
printf 'Hex-STRING: %s\n%s\n' "$(echo "${KG%????????????????}" |
    sed 's/../& /g')" "$(echo "${KG#????????????????????????}" |
    sed 's/../& /g')" >"$W/kgprobe"
check "... and K_g's bytes in snmpwalk's hex form, split" \
    finds "$W/kgprobe"

# --- SNMP -----------------------------------------------------------------------
rows() { [ "$(swalk "$MIB.1.2.1.2" 2>/dev/null | grep -c .)" = 3 ]; }
check "the subagent serves the 3 targets" wait_for 30 rows
: >"$W/walk.err"
for o in -Oa -Ox; do
	for oid in "$MIB" .1.3.6.1.2.1.47 .1.3.6.1.2.1.99; do
		swalk "$o" "$oid" >>"$W/walk$o" 2>>"$W/walk.err"
	done
done
check "snmpwalk: no error" test ! -s "$W/walk.err"
show_file "$W/walk.err"
nl=$(cat "$W/walk-Oa" | wc -l)
check "the walks are not empty ($nl values)" test "$nl" -gt 100
check "the walk has rf's and k's rows" \
    sh -c "grep -q '\"rf\"' '$W/walk-Oa' && grep -q '\"k\"' '$W/walk-Oa'"
check "no secret in the SNMP walks (text)" none "$W/walk-Oa"
check "no secret in the SNMP walks (hex)" none "$W/walk-Ox"

# --- the socket -------------------------------------------------------------------
: >"$W/answers"
d_ask --json targets >>"$W/answers" 2>&1
d_ask targets >>"$W/answers" 2>&1
for t in a k rf; do
	for q in info sensors "sel list" "chassis status"; do
		# shellcheck disable=SC2086
		d_ask --target "$t" --json $q >>"$W/answers" 2>&1
		# shellcheck disable=SC2086
		d_ask --target "$t" $q >>"$W/answers" 2>&1
	done
done
check "the answers name rf's sensors" grep -q '"sensors"' "$W/answers"
check "no secret in the socket's answers" none "$W/answers"

# --- the Redfish session token ------------------------------------------------------
# the CLI's own session: it prints nothing of its token, even with -vvv
# (the most it says: every sensor's detail)
"$BMCWATCH" -vvv -I redfish -H "http://127.0.0.1:$RFPORT" -U admin \
    -f "$W/pw.rf" sensors >"$W/cli.out" 2>"$W/cli.err"
check_eq "bmcwatch -vvv -I redfish sensors: exit 0" "$?" 0
check "the CLI printed the sensors" test -s "$W/cli.out"
ntok=$(wc -l <"$W/rf.tokens")
check "two tokens issued (the daemon's, the CLI's): $ntok" test "$ntok" -ge 2
cp "$W/rf.tokens" "$W/needles.tok"
cat "$W/needles.tok" >>"$W/needles"
while read -r tk; do hexof "$tk"; echo; done <"$W/needles.tok" >>"$W/needles"
sed -i '/^$/d' "$W/needles"
check "the search finds a token (the server's list)" finds "$W/rf.tokens"
check "no token in the CLI's output or its -vvv log" \
    none "$W/cli.out" "$W/cli.err"
check "no secret or token in the SNMP walks" none "$W/walk-Oa" "$W/walk-Ox"
check "no secret or token in the socket's answers" none "$W/answers"
d_ask --target rf --json sensors >"$W/answers2" 2>&1
check "no token in a later answer" none "$W/answers2"

# --- the daemon's files and log ---------------------------------------------------------
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
# the log, the state and the archive, after a clean stop (the Redfish
# session deleted, the cursor written)
find "$W/state" "$W/archive" -type f >"$W/files"
echo "# state and archive: $(wc -l <"$W/files") files"
check "the state directory has rf's files" grep -q 'rf' "$W/files"
check "... and the webhook's sent file" grep -q 'webhook-hook.sent' "$W/files"
hits=$(while read -r f; do found "$f" >/dev/null && echo "$f"; done <"$W/files")
check_eq "no secret or token in a state or archive file" "$hits" ""
check "the log at -vvv names rf's requests" grep -q 'rf' "$W/d.log"
check "no secret or token in the log at -vvv" none "$W/d.log"
check "no sanitizer report" d_san_clean
finish

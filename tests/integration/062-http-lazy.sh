#!/bin/bash
# libcurl is loaded only when something needs HTTP (issue 15: it and
# the libraries it pulls in are 4 MiB of an IPMI-only daemon's 11 MiB):
# - a daemon with IPMI targets only does not map it (/proc/PID/maps);
# - a SIGHUP that adds a Redfish target loads it, the IPMI target stays
#   up;
# - when libcurl.so.4 cannot be loaded (a file of that name that is not
#   a library, found first through LD_LIBRARY_PATH: dlopen fails as for
#   a missing one), the Redfish target's error names the target and the
#   library, once in the log and in `targets`; a webhook says the same
#   and keeps its events; the IPMI target beside them is polled and the
#   socket answers;
# - the CLI's -I redfish gives the same error and exits 3; a library of
#   that name without curl's functions is refused naming the first one
#   missing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
sim_start || exit 1
d_setup
trap 'd_stop; sim_stop; rm -rf "$W"' EXIT
IPORT=$SIM_PORT
RFPORT=$(_sim_freeports tcp)	# nothing listens there
WHPORT=$(_sim_freeports tcp)

curl_mapped() { grep -q '/libcurl' "/proc/$DPID/maps"; }
ipmi_up() { d_state ipmi up && [ "$(d_health ipmi sweeps)" -ge 1 ]; }
rf_block() {
	cat <<EOF
target "rf" {
	interface redfish  host "http://127.0.0.1:$RFPORT"  allow-plaintext yes
	username "admin"  password-file "$W/pw.ipmi"
	sensor-interval 60  timeout 2  backoff-max 60
}
EOF
}

d_conf "$W/d.conf"
d_target ipmi "$IPORT" "sensor-interval 5" >>"$W/d.conf"
d_start "$W/d.conf" || { not_ok "the daemon starts"; finish; exit; }
check "the IPMI target is swept" wait_for 30 ipmi_up
if curl_mapped; then
	not_ok "an IPMI-only daemon does not map libcurl"
	grep '/libcurl' "/proc/$DPID/maps" | head -n 3
else
	ok "an IPMI-only daemon does not map libcurl"
fi

rf_block >>"$W/d.conf"
kill -HUP "$DPID"
check "a SIGHUP that adds a Redfish target loads libcurl" \
    wait_for 30 curl_mapped
check "the Redfish target is there, unreachable (nothing listens)" \
    wait_for 30 d_state rf unreachable
check "the IPMI target is still up" ipmi_up
d_stop
check_eq "the daemon stops cleanly" "$D_RC" 0

# libcurl.so.4 that cannot be loaded
mkdir -p "$W/badlib"
echo "not a shared library" >"$W/badlib/libcurl.so.4"
d_conf "$W/d2.conf"
d_target ipmi "$IPORT" "sensor-interval 5" >>"$W/d2.conf"
rf_block >>"$W/d2.conf"
cat >>"$W/d2.conf" <<EOF
webhook "hook" {
	url "http://127.0.0.1:$WHPORT/h"  allow-plaintext yes
	min-severity info  timeout 2
}
EOF
: >"$W/d.log"
LD_LIBRARY_PATH=$W/badlib d_start "$W/d2.conf" ||
    { not_ok "the daemon starts without libcurl"; finish; exit; }
check "without libcurl the IPMI target is swept" wait_for 30 ipmi_up
rf_err() { d_health rf last_error | grep -q 'libcurl\.so\.4'; }
check "the Redfish target's error in targets names libcurl.so.4" \
    wait_for 30 rf_err
d_health rf last_error | sed 's/^/# rf: /'
check "the Redfish target is unreachable" d_state rf unreachable
# the error once (then summed up by the limiter), and the state change
# that quotes it; let a probe or two fail first (the probes back off
# from 2 s, doubling: the second comes about 4 s after the first; the
# bound is for a loaded machine)
probed_again() { [ "$(d_health rf consecutive_errors)" -ge 2 ]; }
check "the target was probed again" wait_for 150 probed_again
n=$(grep -c 'rf: target: cannot load libcurl\.so\.4' "$W/d.log")
check_eq "one error line names the target and the library" "$n" 1
grep 'cannot load libcurl' "$W/d.log" | sed 's/^/# log: /'
wh_tried() {
	d_ask --json targets >"$W/t.json" 2>/dev/null &&
	    [ "$(jq_get "$W/t.json" 'd["webhooks"][0]["failures"]')" -ge 1 ] &&
	    [ "$(jq_get "$W/t.json" 'd["webhooks"][0]["queued"]')" -ge 1 ]
}
check "a delivery was tried and failed, its event still queued" \
    wait_for 30 wh_tried
n=$(grep -c 'webhook: hook: cannot load libcurl\.so\.4' "$W/d.log")
check_eq "one log line names the webhook and the library" "$n" 1
check "... and says its events are kept" \
    grep -q 'webhook: hook: cannot load libcurl\.so\.4.*queued' "$W/d.log"
wh_err() {
	d_ask --json targets 2>/dev/null | grep -q 'cannot load libcurl\.so\.4'
}
check "the webhook's error in the socket names the library" wh_err
check "the socket answers the IPMI target's sensors" \
    d_ask --target ipmi sensors
check "the daemon runs" d_alive
d_stop
check_eq "the daemon stops cleanly" "$D_RC" 0
check "no sanitizer report" d_san_clean

# the CLI
rf_cli() {
	"$BMCWATCH" -I redfish -H "http://127.0.0.1:$RFPORT" -U admin \
	    -f "$W/pw.ipmi" sensors
}
LD_LIBRARY_PATH=$W/badlib rf_cli >/dev/null 2>"$W/cli.err"
check_eq "bmcwatch -I redfish without libcurl: exit 3 (transport)" "$?" 3
check "... with an error naming libcurl.so.4" \
    grep -q 'cannot load libcurl\.so\.4' "$W/cli.err"
sed 's/^/# cli: /' "$W/cli.err"
if command -v "${CC:-cc}" >/dev/null; then
	mkdir -p "$W/stublib"
	echo 'int curl_global_init(long f) { return (int)f; }' |
	    "${CC:-cc}" -shared -fPIC -x c -o "$W/stublib/libcurl.so.4" \
	    -Wl,-soname,libcurl.so.4 - 2>"$W/cc.err"
	LD_LIBRARY_PATH=$W/stublib rf_cli >/dev/null 2>"$W/cli2.err"
	check_eq "a libcurl.so.4 without curl's functions: exit 3" "$?" 3
	check "... naming the first function missing" \
	    grep -q 'libcurl\.so\.4.*has no curl_easy_cleanup' "$W/cli2.err"
	sed 's/^/# cli: /' "$W/cli2.err"
fi
finish

#!/bin/bash
# bmcwConsoleTable and bmcwWebhookTable through a real snmpd, against
# what the test's own peers saw:
#   - the sim's SOL goes to a serial peer of the test (tests/sol/
#     serial_peer.py); the daemon logs the console of target a (sol
#     block, a "Kernel panic" pattern): the row says logging and
#     connected, bmcwConsoleBytes is what the peer sent, and a panic
#     line sent by the peer delivers bmcwConsoleEvent to snmptrapd with
#     the rule and the line, and bmcwConsoleEvents 1;
#   - two webhooks, "rx" to a receiver of the test that answers 200 and
#     "down" to a port where nothing listens: after a power change (the
#     event both get), rx's bmcwWebhookDelivered is what the receiver
#     got, with a bmcwWebhookLastDelivery in the run; down's failures
#     count and its last error is said, its event still queued; each
#     webhook's index is in state-dir/snmp-index.webhooks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

MIB=.1.3.6.1.4.1.8072.9999.623
PEER_PID=
RX_PID=
d_setup
snmp_setup
D_SIMS=""
cleanup() {
	for p in $PEER_PID $RX_PID; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	sim_stop
	d_cleanup
	snmp_cleanup
}
trap cleanup EXIT
P=$W/peer
mkdir -p "$P"
python3 "$TESTS_DIR/sol/serial_peer.py" --port-file "$W/peer.port" \
    --tx "$W/tx.bin" --script "$P" --rate 60000 --for 3600 &
PEER_PID=$!
wait_for 5 test -s "$W/peer.port" || { not_ok "serial peer up"; exit 1; }
# the webhook receiver: counts the POSTs it answered 200
python3 - "$W/rx.port" "$W/rx.count" <<'PY' &
import http.server, sys
n = 0
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global n
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        n += 1
        with open(sys.argv[2] + ".tmp", "w") as f:
            f.write("%d\n" % n)
        import os
        os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write("%d\n" % s.server_address[1])
s.serve_forever()
PY
RX_PID=$!
wait_for 5 test -s "$W/rx.port" || { not_ok "webhook receiver up"; exit 1; }
DOWN=$(_sim_freeports tcp)
snmptrapd_start || { not_ok "snmptrapd"; exit 1; }
snmpd_start || { not_ok "snmpd"; exit 1; }
SIM_SOL="tcp:127.0.0.1:$(cat "$W/peer.port")"
SIM_RUNDIR=$W/sim
mkdir -p "$SIM_RUNDIR"
sim_start || { not_ok "sim with SOL"; exit 1; }

d_conf "$W/d.conf" "snmp yes" "agentx-socket \"$S/agentx.sock\""
cat >>"$W/d.conf" <<EOF
webhook "rx" {
	url "http://127.0.0.1:$(cat "$W/rx.port")/hook"  allow-plaintext yes
	min-severity info  timeout 2
}
webhook "down" {
	url "http://127.0.0.1:$DOWN/hook"  allow-plaintext yes
	min-severity info  timeout 2
}
EOF
d_target a "$SIM_PORT" "sensor-interval 2  chassis-interval 1
	timeout 0.5  retries 1
	sol { log yes  pattern \"Kernel panic - not syncing\" }" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "target a up" wait_for 20 d_state a up
conn() { [ "$(sval "$MIB.1.10.1.2.1" 2>/dev/null)" = 1 ]; }
check "bmcwConsoleConnected.1 true" wait_for 30 conn
check_eq "bmcwConsoleLogging.1 true" "$(sval "$MIB.1.10.1.1.1")" 1
check_eq "bmcwConsoleEvents.1 0" "$(sval "$MIB.1.10.1.5.1")" 0

printf 'booting\r\nKernel panic - not syncing: VFS: test\r\nafter\r\n' \
    >"$W/panic.txt"
cp "$W/panic.txt" "$P/tmp" && mv "$P/tmp" "$P/send.1"
check "the peer sent it" wait_for 30 test -e "$P/sent.1"
trapped() {
	grep -q "\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $MIB\.0\.11[^0-9].*Kernel panic - not syncing: VFS: test" \
	    "$S/traps.log"
}
check "bmcwConsoleEvent arrived with the line" wait_for 15 trapped
check "  with the rule and bmcwConsoleEvents 1" \
    grep -q "$MIB\.1\.10\.1\.7\.1 = STRING: \"Kernel panic - not syncing\".*$MIB\.1\.10\.1\.8\.1 = STRING: .*$MIB\.1\.10\.1\.5\.1 = Counter32: 1" \
    "$S/traps.log"
check_eq "bmcwConsoleEvents.1 1" "$(sval "$MIB.1.10.1.5.1")" 1
check_eq "bmcwConsoleLastEventText.1 the line" "$(sval "$MIB.1.10.1.8.1")" \
    '"Kernel panic - not syncing: VFS: test"'
sent=$(stat -c %s "$W/tx.bin")
bytes() { [ "$(sval "$MIB.1.10.1.4.1" 2>/dev/null)" = "$sent" ]; }
check "bmcwConsoleBytes.1 = the $sent bytes the peer sent" wait_for 15 bytes

# webhooks: a power change is an event for both
sim_ipmitool chassis power off >/dev/null
delivered() {
	[ -s "$W/rx.count" ] && [ "$(cat "$W/rx.count")" -ge 1 ] &&
	    [ "$(sval "$MIB.1.11.1.4.$RXI" 2>/dev/null)" = "$(cat "$W/rx.count")" ]
}
hooks() {
	RXI=$(sed -n 's/^\([0-9]*\) rx$/\1/p' "$W/state/snmp-index.webhooks" 2>/dev/null)
	DNI=$(sed -n 's/^\([0-9]*\) down$/\1/p' "$W/state/snmp-index.webhooks" 2>/dev/null)
	[ -n "$RXI" ] && [ -n "$DNI" ]
}
check "both webhooks have an index in snmp-index.webhooks" wait_for 10 hooks
check_eq "bmcwWebhookName.$RXI" "$(sval "$MIB.1.11.1.2.$RXI")" '"rx"'
check "rx: bmcwWebhookDelivered = what the receiver got" wait_for 20 delivered
t=$(sval "$MIB.1.11.1.7.$RXI")
check "  bmcwWebhookLastDelivery within the run ($t)" \
    within "$t" "$(( $(date +%s) - 120 ))" "$(date +%s)"
failed() { [ "$(sval "$MIB.1.11.1.5.$DNI" 2>/dev/null)" -ge 1 ]; }
check "down: bmcwWebhookFailed counts" wait_for 20 failed
check "  bmcwWebhookLastError says why" \
    sh -c "[ \"\$(snmpget -v2c -c public -Oqv udp:127.0.0.1:$SNMP_PORT $MIB.1.11.1.8.$DNI)\" != '\"\"' ]"
check "  its events still queued (bmcwWebhookQueueDepth >= 1)" \
    test "$(sval "$MIB.1.11.1.3.$DNI")" -ge 1
check_eq "  delivered none" "$(sval "$MIB.1.11.1.4.$DNI")" 0
d_stop
check "no sanitizer report" d_san_clean
finish

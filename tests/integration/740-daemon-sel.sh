#!/bin/bash
# bmcwatchd's SEL work on a simulated BMC: threshold events (CPU1 Temp
# driven past its thresholds and back) and OEM records reach the
# per-target archive once each, as ipmitool reads them from the SEL; the
# SEL is cleared at sel-clear-at after archiving; each new entry of at
# least sel-syslog-severity goes to syslog once, at its facility
# (local4) and level, and nothing below it; an assertion without its
# deassertion is an open problem, and acknowledging it (`sel ack ID`
# through the socket) takes it out and records it; `sel clear` through
# the socket archives and clears at once; SIGHUP reopens the archive
# (after a logrotate-style rename, new lines go to the new file).
# syslog is a datagram socket of the test's own, mounted on /dev/log in
# a private mount namespace for the daemon (needs root and unshare).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (a mount namespace for /dev/log)"
command -v unshare >/dev/null || skip_all "no unshare"
d_setup
D_SIMS="a"
LPID=
trap '[ -n "$LPID" ] && kill "$LPID" 2>/dev/null; d_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }

# a syslog of our own: one datagram per line in $W/syslog.txt
mkdir -p "$W/dev"
python3 - "$W/dev/log" "$W/syslog.txt" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as f:
    while True:
        d = s.recv(65536)
        f.write(d.decode("utf-8", "replace").replace("\n", " ") + "\n")
PY
LPID=$!
wait_for 10 test -S "$W/dev/log" || { not_ok "syslog socket"; exit 1; }

d_conf "$W/d.conf" 'sel-syslog yes' 'sel-syslog-facility local4' \
    'sel-syslog-severity warning'
d_target a "$SIMPORT_a" 'sensor-interval 2  sel-interval 1
	chassis-interval 5  timeout 1  sel-clear-at 2
	allow sel-ack,sel-clear' >>"$W/d.conf"
# 2 % of the sim's 1000 entries: cleared from 20 entries on

# the daemon in its own mount namespace, /dev/log ours
for n in null zero random urandom full tty; do
	: >"$W/dev/$n"
done
cat >"$W/ns.sh" <<EOF
for n in null zero random urandom full tty; do
	mount --bind /dev/\$n "$W/dev/\$n" || exit 1
done
ln -sf /proc/self/fd "$W/dev/fd"
mount --bind "$W/dev" /dev || exit 1
exec "$BMCWATCHD" -d -vvv -f "$W/d.conf"
EOF
unshare -m --propagation private sh "$W/ns.sh" >>"$W/d.log" 2>&1 &
DPID=$!
check "daemon up" wait_for 20 d_state a up
A=$W/archive/sel-a.log

# --- threshold events: warning, critical, then their deassertions ----------------
sim_use a
sim_set_value 0x01 90 1 >/dev/null	# past upper non-critical (85)
sim_set_value 0x01 97 1 >/dev/null	# past upper critical (95)
lines() { [ "$(wc -l <"$A" 2>/dev/null || echo 0)" -ge "$1" ]; }
check "2 entries archived within 10 s" wait_for 10 lines 2
d_health a sel_open >"$W/open"
check_eq "2 open problems (asserted, not deasserted)" "$(cat "$W/open")" 2
sim_ipmitool sel elist >"$W/elist.txt" 2>&1
d_ask --target a sel ack 1 >"$W/ack.out" 2>&1
check_eq "sel ack 1: exit 0" "$?" 0
check_eq "said" "$(cat "$W/ack.out")" "sel ack: record 0x0001 acknowledged"
check_eq "one open problem left" "$(d_health a sel_open)" 1
check_eq "the ack is recorded (the entry's raw bytes)" \
    "$(cat "$W/state/sel-a.acks" 2>/dev/null)" "$(head -n 1 "$A" | cut -f 7)"
d_ask --target a sel ack 999 >"$W/ack.out" 2>&1
check_eq "sel ack of an entry it never read: exit 1" "$?" 1
check "said" grep -q "no record 0x03e7" "$W/ack.out"
d_ask --target a --json sel list --open >"$W/open.json" 2>&1
check_eq "sel list --open through the socket: the one left, open" \
    "$(jq_get "$W/open.json" '[(e["record_id"], e["open"], e["acknowledged"]) for e in d["entries"]]')" \
    "[(2, True, False)]"
sim_set_value 0x01 45 1 >/dev/null	# back: both deasserted
check "4 entries archived" wait_for 10 lines 4
closed() { [ "$(d_health a sel_open)" = 0 ]; }
check "the deassertions close them" wait_for 10 closed
# sel list and sel info through the socket against ipmitool's reading
sim_ipmitool sel elist >"$W/elist.txt" 2>&1
d_ask --target a --json sel list >"$W/list.json" 2>&1
check_eq "sel list: ipmitool's record IDs, oldest first" \
    "$(jq_get "$W/list.json" '[e["record_id"] for e in d["entries"]]')" \
    "$(python3 -c 'import sys; print([int(l.split("|")[0], 16) for l in open(sys.argv[1]) if "|" in l])' "$W/elist.txt")"
check_eq "sel list: none open, record 1 acknowledged" \
    "$(jq_get "$W/list.json" '[(e["open"], e["acknowledged"]) for e in d["entries"]]')" \
    "[(False, True), (False, False), (False, False), (False, False)]"
check "sel list: the daemon's target, age and freshness" \
    test "$(jq_get "$W/list.json" '(d["target"], d["stale"])')" = "('a', False)"
d_ask --target a sel list >"$W/list.txt" 2>&1
check "sel list text: one line per entry" test "$(grep -c 'CPU1 Temp' "$W/list.txt")" = 4
d_ask --target a --json sel info >"$W/info.json" 2>&1
sim_ipmitool sel info >"$W/info.txt" 2>&1
check_eq "sel info: ipmitool's entry count" \
    "$(jq_get "$W/info.json" 'd["entries"]')" \
    "$(awk -F: '/^Entries/ {gsub(/ /, "", $2); print $2}' "$W/info.txt")"
check_eq "the archive names the target and sensor" \
    "$(cut -f 2,4 "$A" | sort -u | tr '\t\n' ' ')" "a CPU1 Temp "
check_eq "severities: warning, critical, info, info" \
    "$(cut -f 6 "$A" | tr '\n' ,)" "warning,critical,info,info,"
# what ipmitool read before the deassertions is in the archive
check "ipmitool's entries (UNC, UCR going high) archived" \
    grep -q 'Upper Critical going high' "$A"

# --- syslog: warning and critical only, once, local4 ------------------------------
have_syslog() { [ "$(grep -c 'sel: ' "$W/syslog.txt" 2>/dev/null)" -ge "$1" ]; }
check "2 syslog lines" wait_for 10 have_syslog 2
check_eq "exactly 2: none for the info entries" \
    "$(grep -c 'sel: ' "$W/syslog.txt")" 2
# <PRI>: local4 (20) * 8 + warning (4) = 164, + crit (2) = 162
check "the warning at local4.warning" grep -q '^<164>.*Upper Non-critical going high' \
    "$W/syslog.txt"
check "the critical at local4.crit" grep -q '^<162>.*Upper Critical going high' \
    "$W/syslog.txt"
# (the archive line less its SEL generation tag, which is the reader's)
check "each line is the archive line" grep -qF "$(sed -n 2p "$A" | cut -f 1-7)" \
    "$W/syslog.txt"

# --- archive then clear at 2 % ----------------------------------------------------
# 30 OEM records (informational): past 20, the SEL is archived and cleared
for i in $(seq 1 30); do
	printf 'sel_add 0x20 0xe1 0x%02x 0x42 9 8 7 6 5 4 3 2 1 0 0\n' "$i"
done >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" <"$W/cmds" \
    >"$W/added.txt"
check_eq "30 OEM records added" "$(grep -c '^added' "$W/added.txt")" 30
cleared() { [ "$(d_health a sel_clears)" -ge 1 ]; }
check "cleared at the threshold" wait_for 15 cleared
check "34 entries archived" wait_for 15 lines 34
check "every record once" python3 - "$A" <<'PY'
import sys
raws = [l.split("\t")[6] for l in open(sys.argv[1])]
sys.exit(0 if len(raws) == len(set(raws)) == 34 else 1)
PY
sel_count() {
	sim_use a
	sim_ipmitool sel info | awk -F: '/^Entries/ {gsub(/ /, "", $2); print $2}'
}
check "the SEL is smaller than before the clear" test "$(sel_count)" -lt 30
check "the clear is logged" grep -q 'a: sel: cleared the SEL: .* entries, every one archived' \
    "$W/d.log"
check_eq "no syslog line for informational OEM records" \
    "$(grep -c 'sel: ' "$W/syslog.txt")" 2

# --- sel clear through the socket: archived, then cleared --------------------------
n_before=$(wc -l <"$A")
for i in $(seq 1 3); do
	printf 'sel_add 0x20 0xe1 0x%02x 0x43 9 8 7 6 5 4 3 2 1 0 0\n' "$i"
done >"$W/cmds"
python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" <"$W/cmds" \
    >"$W/added.txt"
d_ask --target a sel clear >"$W/clear.out" 2>&1
check_eq "sel clear: exit 0" "$?" 0
check "said" grep -q '^sel clear: cleared [0-9]* entries$' "$W/clear.out"
check_eq "the SEL is empty" "$(sel_count)" 0
check_eq "and nothing was lost: the 3 archived first (by then or by it)" \
    "$(wc -l <"$A")" "$((n_before + 3))"

# --- SIGHUP reopens the archive ---------------------------------------------------
mv "$A" "$A.1"
kill -HUP "$DPID"
check "reload logged" wait_for 10 grep -q 'reloaded' "$W/d.log"
sim_use a
sim_set_value 0x02 97 1 >/dev/null	# CPU2 past its critical
check "new entries go to a new sel-a.log" wait_for 10 lines 1
check_eq "and not to the rotated one" "$(wc -l <"$A.1")" 37
check "the daemon is still alive" d_alive
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

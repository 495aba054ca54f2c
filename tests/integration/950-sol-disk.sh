#!/bin/bash
# The console log on a full disk: bmcwatchd's archive-dir on a small
# tmpfs (in a private mount namespace of the daemon's, as 781 does),
# ipmi_sim's SOL with a scripted serial port behind it (sol_lib.sh).
# Filled up while the console sends 100 KB:
#  - the disk's refusal is in the store (targets --json: log_failing,
#    log_error naming the file and "No space left on device", the bytes
#    waiting), logged, and a WARNING in check_bmc_console;
#  - every byte is still taken from the BMC (held in memory, under the
#    1 MiB bound), none written in part;
#  - once space returns the log is whole: its console bytes equal what
#    the serial port sent, byte for byte, followed by a "held:" marker
#    saying how long the disk refused it; no gap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (a mount namespace, tmpfs)"
command -v unshare >/dev/null || skip_all "no unshare"
command -v nsenter >/dev/null || skip_all "no nsenter"
# shellcheck disable=SC2034 # read by d_cleanup
D_SIMS=""
cleanup() {
	sim_stop
	sol_peer_stop
	d_cleanup
}
trap cleanup EXIT
d_setup
. "$(dirname "$0")/sol_lib.sh"
LOG=$W/archive/console/t1.log
# -r: the daemon's root too (entering a mount namespace resets it to
# the namespace's, which is not ours when the suite runs in a chroot)
in_ns() { nsenter -t "$DPID" -m -r "$@"; }
ttarget() { d_health t1 "$1"; }
# the log (seen only in the daemon's namespace) = what the port sent
ns_log_is_tx() {
	in_ns cat "$LOG" >"$W/log.copy" 2>/dev/null && log_is_tx "$W/log.copy"
}
failing() { [ "$(ttarget console.log_failing)" = True ]; }
all_taken() {
	[ "$(ttarget console.bytes)" = "$(stat -c %s "$W/tx.bin")" ]
}
nothing_waits() { [ "$(ttarget console.log_waiting)" = 0 ]; }

sol_peer_start || { not_ok "serial peer up"; exit 1; }
SIM_RUNDIR=$W/sim
mkdir -p "$SIM_RUNDIR"
sim_start || { not_ok "sim_start with SOL"; exit 1; }

d_conf "$W/d.conf"
d_target t1 "$SIM_PORT" "sol { log yes  timestamps yes }" >>"$W/d.conf"
mkdir -p "$W/archive"
chown "$D_USER" "$W/archive"
cat >"$W/ns.sh" <<EOF
mount -t tmpfs -o size=256k,mode=0755 tmpfs "$W/archive" || exit 1
chown "$D_USER" "$W/archive" || exit 1
exec "$BMCWATCHD" -d -vvv -f "$W/d.conf"
EOF
unshare -m --propagation private sh "$W/ns.sh" >>"$W/d.log" 2>&1 &
DPID=$!
check "the daemon activates SOL" \
    wait_for 30 in_ns grep -q '# bmcwatch: connected' "$LOG"
check "the console log is on the tmpfs" \
    in_ns sh -c "grep -q ' $W/archive tmpfs ' /proc/self/mounts"

mkpayload "$W/p1" 1 16
send_file "$W/p1" || not_ok "serial port sent payload 1"
check "payload 1 logged byte for byte" wait_for 30 ns_log_is_tx

# ---- the disk full ----
in_ns sh -c "cat /dev/zero >'$W/archive/fill'" 2>/dev/null
check "the tmpfs is full" \
    in_ns sh -c "! echo x >>'$W/archive/probe' 2>/dev/null"
size0=$(in_ns stat -c %s "$LOG")
mkpayload "$W/p2" 2 100
send_file "$W/p2" || not_ok "serial port sent payload 2"
check "targets: the disk refuses the log" wait_for 30 failing
err=$(ttarget console.log_error)
echo "# log_error: $err"
case $err in
"$LOG: write: No space left on device") ok "targets: log_error names the file and the reason" ;;
*)	not_ok "targets: log_error names the file and the reason ('$err')" ;;
esac
check "every byte sent was taken from the BMC (counted in the store)" \
    wait_for 30 all_taken
check "held: all of payload 2 waits in memory" \
    test "$(ttarget console.log_waiting)" -ge $((100 * 1024))
check_eq "nothing of it written in part" "$(in_ns stat -c %s "$LOG")" \
    "$size0"
check "logged, naming the file and the reason" grep -q \
    "t1: console: $LOG: write: No space left on device; holding the console output until the disk takes it" \
    "$W/d.log"
p_state "check_bmc_console: the refused log is a WARNING" 1 \
    '^BMC CONSOLE WARNING - 1 console, 0 with a recent event: t1: the console log is not written: .*No space left on device' \
    check_bmc_console

# ---- space again ----
in_ns rm -f "$W/archive/fill" "$W/archive/probe"
check "space back: the log equals what the serial port sent" \
    wait_for 30 ns_log_is_tx
ns_log_is_tx || log_vs_tx "$W/log.copy"
# the marker follows the bytes it speaks of: in a later write, perhaps
held_marked() {
	ns_log_is_tx && grep -Eq \
	    '^[0-9]+ held: the disk refused the log for [0-9.]+ s \(write: No space left on device\); the console output of that time was kept and is above$' \
	    "$W/marks.txt"
}
check "a 'held:' marker says how long the disk refused it" \
    wait_for 15 held_marked
check_eq "no gap" "$(grep -c ' gap: ' "$W/marks.txt")" 0
wait_for 10 nothing_waits
check_eq "targets: written again, nothing waiting, no gap" \
    "$(ttarget console.log_failing) $(ttarget console.log_waiting) $(ttarget console.gaps)" \
    "False 0 0"
check "the recovery logged" grep -q \
    't1: console: the console log is written again' "$W/d.log"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
show_file "$W/marks.txt"
finish

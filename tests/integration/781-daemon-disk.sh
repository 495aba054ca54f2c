#!/bin/bash
# bmcwatchd's SEL archive on a small tmpfs (mounted in a private mount
# namespace of the daemon's, as 740 does for /dev/log), made full, then
# read-only, while SEL entries keep arriving past sel-clear-at:
#  - the SEL is NOT cleared while the archive cannot take the entries;
#  - the failure is logged once per episode (not once per pass), naming
#    the archive and the reason, and shown in the store;
#  - the daemon goes on (sensors fresh);
#  - once space returns (or the mount is writable again) every entry the
#    sim got is in the archive exactly once, and the SEL is cleared.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (a mount namespace, tmpfs)"
command -v unshare >/dev/null || skip_all "no unshare"
command -v nsenter >/dev/null || skip_all "no nsenter"
d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
sim_as a || { not_ok "sim a"; exit 1; }
A=$W/archive/sel-a.log
: >"$W/added.txt"
serial=0
# add N entries through the sim's console (OEM records numbered by us)
add() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		serial=$((serial + 1))
		printf 'sel_add 0x20 0xe2 0x%02x 0x%02x 1 2 3 4 5 6 7 8 9 10 11\n' \
		    $((serial & 255)) $((serial >> 8))
		_i=$((_i + 1))
	done | python3 "$TESTS_DIR/integration/sel_console.py" "$SIMCON_a" \
	    >>"$W/added.txt"
}
added() { grep -c '^added' "$W/added.txt"; }
lines() { in_ns sh -c "wc -l <'$A'" 2>/dev/null || echo 0; }
lines_ge() { [ "$(lines)" -ge "$1" ]; }
sim_entries() {
	sim_use a
	sim_ipmitool sel info 2>/dev/null | sed -n 's/^Entries *: *//p'
}
clears() { d_health a sel_clears; }
clears_ge() { [ "$(clears)" -ge "$1" ]; }
passes_ge() { [ "$(d_health a sel_passes)" -ge "$1" ]; }
# -r: the daemon's root too (entering a mount namespace resets it to
# the namespace's, which is not ours when the suite runs in a chroot)
in_ns() { nsenter -t "$DPID" -m -r "$@"; }

d_conf "$W/d.conf"
# 2 % of the sim's 1000 entries: cleared from 20 entries on
d_target a "$SIMPORT_a" 'sensor-interval 2  sel-interval 1
	chassis-interval 5  timeout 1  sel-clear-at 2' >>"$W/d.conf"
mkdir -p "$W/archive"
chown "$D_USER" "$W/archive"
cat >"$W/ns.sh" <<EOF
mount -t tmpfs -o size=128k,mode=0755 tmpfs "$W/archive" || exit 1
chown "$D_USER" "$W/archive" || exit 1
exec "$BMCWATCHD" -d -vvv -f "$W/d.conf"
EOF
unshare -m --propagation private sh "$W/ns.sh" >>"$W/d.log" 2>&1 &
DPID=$!
check "daemon up" wait_for 20 d_state a up
check "the archive is on the tmpfs" \
    in_ns sh -c "grep -q ' $W/archive tmpfs ' /proc/self/mounts"

# --- normal: entries archived, then the SEL cleared -----------------------------
add 25
check "25 entries archived" wait_for 20 lines_ge 25
check "then the SEL cleared (past 2 %)" wait_for 20 clears_ge 1

# --- disk full ---------------------------------------------------------------------
c0=$(clears)
in_ns sh -c "cat /dev/zero >'$W/archive/fill'" 2>/dev/null
check "the tmpfs is full" \
    in_ns sh -c "! echo x >>'$W/archive/probe' 2>/dev/null"
l0=$(lines)
e0=$(grep -c 'No space left' "$W/d.log")
add 25
full_logged() { [ "$(grep -c 'No space left' "$W/d.log")" -gt "$e0" ]; }
check "disk full: logged, naming the reason" wait_for 20 full_logged
grep 'No space left' "$W/d.log" | tail -n 1 | sed 's/^/#   /'
# several SEL passes (one a second) while the disk stays full
check "disk full: the daemon keeps polling (sensors fresh)" \
    wait_for 10 d_fresh a sensors
s0=$(d_health a sel_passes)
check "disk full: 5 more SEL passes" wait_for 30 passes_ge $((s0 + 5))
check_eq "disk full: the SEL is not cleared" "$(clears)" "$c0"
check "disk full: the sim still holds the 25 new entries" \
    test "$(sim_entries)" -ge 25
check_eq "disk full: the error logged once for the episode" \
    "$(( $(grep -c 'No space left' "$W/d.log") - e0 ))" 1
d_health a last_error | sed 's/^/# last_error: /'
check "disk full: daemon alive" d_alive

# --- space returns ---------------------------------------------------------------
in_ns rm -f "$W/archive/fill" "$W/archive/probe"
check "space back: the 25 entries archived" wait_for 20 lines_ge $((l0 + 25))
check "space back: the SEL cleared" wait_for 20 clears_ge $((c0 + 1))

# --- read-only ---------------------------------------------------------------------
# a read-only mount stacked on the archive directory, then SIGHUP (as
# logrotate sends): the archive is reopened there and cannot be written
c1=$(clears)
l1=$(lines)
in_ns mount --bind "$W/archive" "$W/archive"
in_ns mount -o remount,bind,ro "$W/archive"
check "the archive directory is read-only" \
    in_ns sh -c "! touch '$W/archive/probe' 2>/dev/null"
e1=$(grep -c 'Read-only file system' "$W/d.log")
kill -HUP "$DPID"
add 25
ro_logged() { [ "$(grep -c 'Read-only file system' "$W/d.log")" -gt "$e1" ]; }
check "read-only: logged, naming the reason" wait_for 20 ro_logged
grep 'Read-only file system' "$W/d.log" | tail -n 1 | sed 's/^/#   /'
s0=$(d_health a sel_passes)
check "read-only: 5 more SEL passes" wait_for 30 passes_ge $((s0 + 5))
check_eq "read-only: the SEL is not cleared" "$(clears)" "$c1"
check "read-only: the sim still holds the 25 new entries" \
    test "$(sim_entries)" -ge 25
check_eq "read-only: the error logged once for the episode" \
    "$(( $(grep -c 'Read-only file system' "$W/d.log") - e1 ))" 1
check "read-only: sensors fresh" d_fresh a sensors
in_ns umount "$W/archive"
check "writable again: the 25 entries archived" \
    wait_for 20 lines_ge $((l1 + 25))
check "writable again: the SEL cleared" wait_for 20 clears_ge $((c1 + 1))

# --- nothing lost, nothing twice --------------------------------------------------
in_ns cat "$A" >"$W/archive.copy"
check_eq "archive lines = entries added ($(added))" \
    "$(wc -l <"$W/archive.copy")" "$(added)"
check_eq "no archive line twice" \
    "$(awk -F'\t' '{print $7}' "$W/archive.copy" | sort | uniq -d | wc -l)" 0
check "the daemon is still alive" d_alive
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "no sanitizer report" d_san_clean
finish

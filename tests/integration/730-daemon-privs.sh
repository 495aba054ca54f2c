#!/bin/bash
# bmcwatchd's privileges and secrets.  Started as root with user
# "nobody": every thread of the process runs as uid and gid 65534 with
# no capability at all (effective, permitted, bounding, ambient; seen
# in /proc/PID/task/*/status), no_new_privs set, root not regainable;
# the state and archive directories are nobody's; the sim's passwords
# appear in no log at -vvv, no state or archive file, no argv.
# Started as another user (no root to drop), it says so and runs as it
# is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (the drop itself is tested)"
d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT

sim_as a || { not_ok "sim a"; exit 1; }
d_conf "$W/d.conf"
d_target a "$SIMPORT_a" 'sensor-interval 1  sel-interval 1
	chassis-interval 1  timeout 1' >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "A up" wait_for 20 d_state a up
# some SEL entries, so the archive and the state are written as nobody
sim_use a
sim_set_value 0x01 97 1 >/dev/null
lines() { [ "$(wc -l <"$W/archive/sel-a.log" 2>/dev/null || echo 0)" -ge 2 ]; }
check "SEL entries archived as nobody" wait_for 10 lines

nt=0
bad=0
for s in /proc/"$DPID"/task/*/status; do
	nt=$((nt + 1))
	grep -q "^Uid:[[:space:]]*65534[[:space:]]*65534[[:space:]]*65534[[:space:]]*65534$" "$s" || bad=1
	grep -q "^Gid:[[:space:]]*65534[[:space:]]*65534[[:space:]]*65534[[:space:]]*65534$" "$s" || bad=1
	for c in CapEff CapPrm CapBnd CapAmb CapInh; do
		grep -q "^$c:[[:space:]]*0000000000000000$" "$s" || bad=1
	done
	grep -q "^NoNewPrivs:[[:space:]]*1$" "$s" || bad=1
done
check "the loop and the worker threads are there ($nt tasks)" test "$nt" -ge 3
check_eq "every task: uid/gid 65534, CapEff/CapPrm/CapBnd/CapAmb/CapInh 0, no_new_privs" \
    "$bad" 0
sed -n '/^Uid\|^Gid\|^Groups\|^Cap\|^NoNewPrivs/p' "/proc/$DPID/status" |
    sed 's/^/#   /'
check_eq "supplementary groups: the user's group only" \
    "$(sed -n 's/^Groups:[[:space:]]*//p' "/proc/$DPID/status" | tr -d ' ')" 65534
check_eq "state dir is nobody's" "$(stat -c %U "$W/state")" nobody
check_eq "archive dir is nobody's" "$(stat -c %U "$W/archive")" nobody
check_eq "the archive is nobody's" "$(stat -c %U "$W/archive/sel-a.log")" nobody
check_eq "the SDR cache is nobody's" \
    "$(stat -c %U "$W"/state/sdr/sdr-*.cache | sort -u)" nobody

# no secret anywhere we can see
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
leaks=0
for u in admin operator user; do
	pw=$(sim_password "$u")
	if grep -rqF "$pw" "$W/d.log" "$W/state" "$W/archive" "$W/d.conf"; then
		echo "#   the password of $u found"
		leaks=1
	fi
done
check_eq "no password in the -vvv log, state, archive or config" "$leaks" 0
check "the log is not empty (it was looked at)" test -s "$W/d.log"
check "no sanitizer report" d_san_clean

# --- not root: nothing to drop --------------------------------------------------
W2=$W/u
mkdir -p "$W2"
chown 4242:4242 "$W2"
cp "$(sim_pwfile admin)" "$W2/pw"
chown 4242 "$W2/pw"
chmod 600 "$W2/pw"
cat >"$W2/d.conf" <<EOF
socket "$W2/ctl.sock"
state-dir "$W2/state"
archive-dir "$W2/archive"
user "nobody"
target "a" {
	interface lanplus  host "127.0.0.1"  port $SIMPORT_a
	username "admin"  password-file "$W2/pw"  privilege admin
	cipher-suite 3  workaround no-cipher-suites  timeout 1
	sensor-interval 2
}
EOF
setpriv --reuid=4242 --regid=4242 --clear-groups "$BMCWATCHD" -d -v -f "$W2/d.conf" \
    >"$W2/d.log" 2>&1 &
DPID=$!
up2() { "$BMCWATCH" -S "$W2/ctl.sock" --target a info; }
check "started as uid 4242: it runs" wait_for 20 up2
check "and says there was nothing to drop" \
    grep -q "priv: not started as root: running as uid 4242, nothing to drop" \
    "$W2/d.log"
check "its status: uid 4242" \
    grep -q "^Uid:[[:space:]]*4242[[:space:]]*4242" "/proc/$DPID/status"
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
check "socket removed" test ! -e "$W2/ctl.sock"
finish

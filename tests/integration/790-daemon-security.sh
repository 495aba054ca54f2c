#!/bin/bash
# bmcwatchd's security, audited from the outside while it runs (as root,
# dropping to nobody; what 730 and 710 check -- uid, CapEff, the socket
# refusing other users' actions -- is not repeated):
#  - its open fds are the expected ones: no fd on the password file or
#    the configuration (read, then closed), every other one a socket,
#    pipe, event/signal fd, /dev/null, the log or its own state and
#    archive files; the count is printed;
#  - the password is nowhere: not in /proc/PID/cmdline or environ, not
#    in the cmdline or environ of the watchdog check-command it spawns,
#    not in the log at -vvv, not in any control-socket answer;
#  - the check-command inherits no socket and no fd on a secret;
#  - core dumps are off (Max core file size 0, soft and hard);
#  - a password file readable by its group or the world is refused at
#    start and on SIGHUP (the running configuration kept).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon_lib.sh"
. "$SIM_DIR/wdt_plugin.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (the daemon drops to nobody)"
d_setup
D_SIMS="a"
trap 'd_cleanup' EXIT
wdt_sim_dir "$W/wsim" 2>"$W/plugin.err" ||
    skip_all "cannot build the sim watchdog plugin: $(cat "$W/plugin.err")"
SIM_DIR=$W/wsim
sim_as a || { not_ok "sim a with the watchdog plugin"; exit 1; }
PW=$(sim_password admin)
[ -n "$PW" ] || { not_ok "the sim's admin password"; exit 1; }

# the check-command reports what it was given: its argv, environment
# and open fds (each run replaces the last report)
cat >"$W/spy.sh" <<EOF
#!/bin/sh
d=$W/spy
mkdir -p "\$d" 2>/dev/null
tr '\0' ' ' </proc/\$\$/cmdline >"\$d/cmdline.new"
tr '\0' '\n' </proc/\$\$/environ >"\$d/environ.new"
for f in /proc/\$\$/fd/*; do
	printf '%s %s\n' "\${f##*/}" "\$(readlink "\$f")"
done >"\$d/fds.new"
for x in cmdline environ fds; do mv "\$d/\$x.new" "\$d/\$x"; done
exit 0
EOF
chmod 755 "$W/spy.sh"
mkdir -p "$W/spy"
chown "$D_USER" "$W/spy"

d_conf "$W/d.conf"
d_target a "$SIMPORT_a" "sensor-interval 2  sel-interval 2
	chassis-interval 2  timeout 0.5  retries 1
	watchdog { timeout 20  interval 2  action none
		check-command \"$W/spy.sh\" timeout 1.5 }" >>"$W/d.conf"
d_start "$W/d.conf" || exit 1
check "a up" wait_for 20 d_state a up
check "the check-command ran" wait_for 20 test -s "$W/spy/fds"
check "sensors fresh" wait_for 20 d_fresh a sensors

# --- open fds -------------------------------------------------------------------
for f in /proc/"$DPID"/fd/*; do
	printf '%s %s\n' "${f##*/}" "$(readlink "$f")"
done >"$W/fds.txt"
echo "# bmcwatchd's open fds ($(wc -l <"$W/fds.txt")):"
sed 's/^/#   /' "$W/fds.txt"
check "no fd on a password file" \
    test "$(grep -c "$W/pw\." "$W/fds.txt")" = 0
check "no fd on the configuration" \
    test "$(grep -c "$W/d.conf" "$W/fds.txt")" = 0
unexpected() {
	awk -v w="$W" '{
		t = $2
		if (t == "")	# closed while listed (a pipe of a check)
			next
		if (t ~ /^(socket|pipe):\[/ || t ~ /^anon_inode:/ ||
		    t == "/dev/null" || t == w "/d.log" ||
		    index(t, w "/state/") == 1 || index(t, w "/archive/") == 1)
			next
		print
	}' "$W/fds.txt"
}
unexpected >"$W/fds.bad"
check "every fd expected (sockets, pipes, event fds, log, state, archive)" \
    test ! -s "$W/fds.bad"
sed 's/^/#   unexpected: /' "$W/fds.bad"
# the sockets: the control socket, one UDP socket for the BMC; nothing
# left over from the start (the check-command's pipes come and go)
ns=$(grep -c 'socket:' "$W/fds.txt")
check "sockets: control + BMC + at most 2 more (notify, syslog): $ns" \
    test "$ns" -ge 2 -a "$ns" -le 4

# --- no secret in the process, its children, the log, the answers ------------
no_pw() { ! grep -aqF -- "$PW" "$@"; }
check "password not in /proc/PID/cmdline" \
    sh -c "! tr '\0' ' ' </proc/$DPID/cmdline | grep -aqF -- '$PW'"
check "password not in /proc/PID/environ" \
    sh -c "! tr '\0' '\n' </proc/$DPID/environ | grep -aqF -- '$PW'"
check "password not in the check-command's argv" no_pw "$W/spy/cmdline"
check "password not in the check-command's environment" \
    no_pw "$W/spy/environ"
# (its own: 10 the script, 11 a saved stderr, 3 the pipe of the
# $(readlink) listing them)
echo "# check-command's fds:"
sed 's/^/#   /' "$W/spy/fds"
check "the check-command inherits no socket" \
    test "$(grep -c 'socket:' "$W/spy/fds")" = 0
check "the check-command inherits no fd on the password file" \
    test "$(grep -c "$W/pw\." "$W/spy/fds")" = 0
for q in "targets" "--target a info" "--target a sensors" \
    "--target a sel list" "--target a sel info" "--target a chassis status" \
    "--target a watchdog get"; do
	# shellcheck disable=SC2086
	d_ask --json $q >"$W/answer.json" 2>&1
	check "password not in the answer to '$q'" no_pw "$W/answer.json"
done
check "password not in the log at -vvv" no_pw "$W/d.log"

# --- no core dump ---------------------------------------------------------------
core=$(sed -n 's/^Max core file size *\([^ ]*\) *\([^ ]*\).*/\1 \2/p' \
    "/proc/$DPID/limits")
check_eq "core dumps off (soft and hard limit)" "$core" "0 0"

# --- a password file others may read: refused -----------------------------------
chmod 640 "$W/pw.a"
kill -HUP "$DPID"
refused() { grep -q "pw.a\": mode 0640" "$W/d.log"; }
check "SIGHUP with a group-readable password file: refused, named" \
    wait_for 10 refused
check "the running configuration kept: a still up" d_state a up
check "the daemon is alive" d_alive
d_stop
check_eq "SIGTERM: exit 0" "$D_RC" 0
: >"$W/d2.log"
"$BMCWATCHD" -n -f "$W/d.conf" >"$W/n.out" 2>&1
check_eq "-n with a group-readable password file: exit 1" "$?" 1
check "-n names the file and its mode" grep -q "pw.a\": mode 0640" "$W/n.out"
chmod 604 "$W/pw.a"
"$BMCWATCHD" -n -f "$W/d.conf" >"$W/n.out" 2>&1
check_eq "-n with a world-readable password file: exit 1" "$?" 1
check "no sanitizer report" d_san_clean
finish

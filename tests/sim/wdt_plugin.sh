# shellcheck shell=sh
# bmcwatch simulated BMC with a spec-conforming watchdog (wdt_plugin.c).
# Source after tests/sim/lib.sh (POSIX sh), then:
#
#	wdt_sim_dir DIR || skip "..."	# builds the plugin, makes DIR a copy
#	SIM_DIR=DIR				# of tests/sim whose lan.conf.in
#	sim_start				# loads it
#
# wdt_sim_dir returns 1 (message on stderr) when the plugin cannot be
# built: no C compiler or no OpenIPMI headers (apt-get install
# libopenipmi-dev).  The plugin performs expiry actions through
# chassis.sh (chassis.log in the run directory) and through a connected
# system-interface peer (a QEMU guest, SIM_VMPORT=auto).
#
#	wd_sel				# Watchdog events in the sim's SEL
#	wd_late EVENT T			# seconds from T (epoch, float) to the
#					# last SEL event matching EVENT, by
#					# the SEL's clock (sim_start sets it
#					# to ours; 1 s resolution: up to 1 s
#					# less), so however late we look
wdt_sim_dir() {
	_wd=$1
	_wsrc=$(cd "$(dirname "$SIM_DIR/lib.sh")" && pwd)
	[ -f /usr/include/OpenIPMI/mcserv.h ] || {
		echo "wdt_plugin: no OpenIPMI headers (apt-get install libopenipmi-dev)" >&2
		return 1
	}
	rm -rf "$_wd" && mkdir -p "$_wd" || return 1
	cp -R "$_wsrc/." "$_wd/" || return 1
	${CC:-cc} -std=gnu11 -O1 -Wall -Wextra -shared -fPIC \
	    -o "$_wd/wdt_plugin.so" "$_wsrc/wdt_plugin.c" \
	    >"$_wd/wdt_plugin.log" 2>&1 || {
		echo "wdt_plugin: build failed:" >&2
		cat "$_wd/wdt_plugin.log" >&2
		return 1
	}
	# a top-level line, before the console line
	sed '/^console /i\
loadlib "@SIMDIR@/wdt_plugin.so" "/bin/sh @SIMDIR@/chassis.sh @RUNDIR@"' \
	    "$_wsrc/lan.conf.in" >"$_wd/lan.conf.in" || return 1
	grep -q '^loadlib ' "$_wd/lan.conf.in"
}

wd_sel() {
	sim_ipmitool sel elist 2>/dev/null | grep -c 'Watchdog'
}

wd_late() {
	sim_ipmitool sel elist 2>/dev/null | grep "$1" | tail -n 1 |
	    python3 -c 'import calendar, sys, time
f = [x.strip() for x in sys.stdin.read().split("|")]
t = calendar.timegm(time.strptime(f[1] + " " + f[2].replace(" UTC", ""),
    "%m/%d/%y %H:%M:%S"))
print("%.2f" % (t - float(sys.argv[1])))' "$2"
}

#!/bin/sh
# The packaging test: run by tests/fresh/run.sh (make fresh-check, part
# "pkg") as root in a fresh minimal Debian 12 root, in the tree's top
# directory; never by make check (it installs packages and users).
#
#	FRESH_PARTS=pkg make fresh-check	(this part alone)
#
# What it proves, one "ok"/"not ok" line each, then "N passed, N failed":
#   - apt-get build-dep ./ installs all that the build needs (the build
#     then succeeds on nothing else): Build-Depends is complete;
#   - dpkg-buildpackage -us -uc -b builds the packages; lintian reports
#     no error and no warning on the .debs and the .changes;
#   - apt installs bmcwatch from the .deb, its dependencies from the
#     archive; on a machine without /dev/ipmi0 it says so in one line and
#     neither enables nor starts the service;
#   - files, conffiles, modes, the _bmcwatch user and bmcwatch group, the
#     directories' owners, the shipped configuration passes bmcwatchd -n,
#     systemd-analyze verify passes on the unit;
#   - the installed bmcwatch reads the simulated BMC (ipmi_sim) as
#     ipmitool does; the installed bmcwatchd, started by the System V
#     script, runs as _bmcwatch and answers on its socket;
#   - an upgrade to a newer version keeps the admin's configuration and
#     does not enable the service; remove keeps configuration, state and
#     user; purge (and autoremove of the dependencies apt brought)
#     leaves nothing: the file system (outside apt's and dpkg's own
#     records) is as it was before the installation.
# piuparts, Debian's own tester, is the part "piuparts"
# (tests/fresh/piuparts.sh: install-purge, and install-upgrade-purge
# from an earlier commit's packages); the upgrade with the service
# running under systemd is the part "systemd".
set -u

TOP=$(pwd)
W=/root/pkgtest
. "$TOP/tests/fresh/lib.sh"
. "$TOP/tests/fresh/pkgcheck.sh"
finish() {
	[ -n "${SIM_PID:-}" ] && sim_stop
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
}
die() { nok "$*"; finish; }
# a bmcwatchd process? (this PID namespace's /proc: the run's own; no
# procps in a minimal root)
running_bmcwatchd() {
	for _p in /proc/[0-9]*/comm; do
		[ "$(cat "$_p" 2>/dev/null)" = bmcwatchd ] && return 0
	done
	return 1
}

rm -rf "$W"
mkdir -p "$W"

# ---- build ---------------------------------------------------------------
apt_q update >"$W/apt-update.log" 2>&1 || {
	tail -n 20 "$W/apt-update.log"
	die "apt-get update"
}
# the build dependencies, and nothing else, then the build
mkdir -p "$W/src"
cp -a "$TOP" "$W/src/bmcwatch"
rm -rf "$W/src/bmcwatch/build"
if (cd "$W/src/bmcwatch" && apt_q --no-install-recommends build-dep ./) \
    >"$W/build-dep.log" 2>&1; then
	ok "apt-get build-dep ./ (Build-Depends resolved from the archive)"
else
	tail -n 20 "$W/build-dep.log" | sed 's/^/#   /'
	die "apt-get build-dep ./"
fi
if (cd "$W/src/bmcwatch" && dpkg-buildpackage -us -uc -b) \
    >"$W/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b with only the Build-Depends"
else
	grep -v '^cc ' "$W/build.log" | tail -n 30 | sed 's/^/#   /'
	die "dpkg-buildpackage -us -uc -b"
fi
V1=$(cd "$W/src/bmcwatch" && dpkg-parsechangelog -S Version)
ARCH=$(dpkg --print-architecture)
DEB1=$W/src/bmcwatch_${V1}_$ARCH.deb
[ -f "$DEB1" ] || die "no $DEB1 after the build"

# a newer version of the same tree, for the upgrade
V2=$V1+fresh1
cp -a "$W/src/bmcwatch" "$W/src2"
rm -rf "$W/src2/debian/tmp" "$W/src2/debian/bmcwatch" "$W/src2/build"
{
	printf 'bmcwatch (%s) unstable; urgency=medium\n\n' "$V2"
	printf '  * Upgrade test of tests/fresh/pkg.sh.\n\n'
	printf ' -- bmcwatch developers <dev@bmcwatch.invalid>  %s\n\n' \
	    "$(date -R)"
	cat "$W/src/bmcwatch/debian/changelog"
} >"$W/changelog.new"
mkdir -p "$W/v2"
mv "$W/src2" "$W/v2/bmcwatch"
mv "$W/changelog.new" "$W/v2/bmcwatch/debian/changelog"
if (cd "$W/v2/bmcwatch" && dpkg-buildpackage -us -uc -b) \
    >"$W/build2.log" 2>&1; then
	ok "dpkg-buildpackage of $V2 (for the upgrade)"
else
	grep -v '^cc ' "$W/build2.log" | tail -n 20 | sed 's/^/#   /'
	die "dpkg-buildpackage of $V2"
fi
DEB2=$W/v2/bmcwatch_${V2}_$ARCH.deb

# ---- lintian ---------------------------------------------------------------
apt_q --no-install-recommends install lintian >"$W/lintian-inst.log" 2>&1 ||
    die "apt-get install lintian"
for f in "$W/src/bmcwatch_${V1}_$ARCH.changes" "$W/src"/*.deb; do
	case $f in *-dbgsym_*) continue ;; esac
	lintian --fail-on error,warning "$f" >"$W/lintian.out" 2>&1
	rc=$?
	sed 's/^/#   /' "$W/lintian.out"
	if [ "$rc" -eq 0 ] && ! grep -q '^[EW]: ' "$W/lintian.out"; then
		ok "lintian: no error, no warning on ${f##*/}"
	else
		nok "lintian on ${f##*/} (exit $rc)"
	fi
done

# ---- what the tests below need, installed before the snapshot --------------
# (systemd for systemd-analyze, man-db for the unit's Documentation=,
# the simulator and its peers).  The package's own dependencies are not:
# apt brings them with it, and autoremove takes them away after the
# purge; autoremove now drops what the builds needed.
apt_q --no-install-recommends install systemd man-db openipmi ipmitool \
    python3 >"$W/deps.log" 2>&1 || {
	tail -n 20 "$W/deps.log" | sed 's/^/#   /'
	die "apt-get install systemd man-db openipmi ipmitool python3"
}
apt_q autoremove --purge >"$W/autoremove0.log" 2>&1 ||
    die "apt-get autoremove --purge (before)"

# the file system as it is (tests/fresh/pkgcheck.sh), but for this
# test's own directory and tree
PKG_SKIP="$W /root/bmcwatch"
pkg_before

# ---- install -----------------------------------------------------------------
apt_q install "$DEB1" >"$W/install.log" 2>&1
rc=$?
sed 's/^/#   /' "$W/install.log" | grep -v 'Get:\|Unpacking\|Selecting' |
    tail -n 15
[ "$rc" -eq 0 ] || die "apt-get install $DEB1 (exit $rc)"
ok "apt-get install ./${DEB1##*/}: dependencies from the archive"
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' bmcwatch)" = "ii " ] &&
    ok "bmcwatch installed (ii)" || nok "bmcwatch not ii after install"

if [ -e /dev/ipmi0 ] || [ -e /sys/class/ipmi/ipmi0 ]; then
	echo "# this machine has an IPMI device: the no-BMC checks skipped"
else
	n=$(grep -c '^bmcwatch: no IPMI device (/dev/ipmi0)' "$W/install.log")
	[ "$n" = 1 ] && ok "no BMC: one line says why the service is off" ||
	    nok "no BMC: the line saying why appears $n times"
	ls /etc/rc[2-5].d/S*bmcwatchd >/dev/null 2>&1 &&
	    nok "no BMC, yet enabled under System V" ||
	    ok "no BMC: not enabled under System V (no S links)"
	ls /etc/rc0.d/K*bmcwatchd >/dev/null 2>&1 &&
	    ok "the System V script is registered (K links)" ||
	    nok "no K links: update-rc.d defaults-disabled not run"
	[ -e /etc/systemd/system/multi-user.target.wants/bmcwatchd.service ] &&
	    nok "no BMC, yet enabled under systemd" ||
	    ok "no BMC: not enabled under systemd"
	running_bmcwatchd && nok "no BMC, yet bmcwatchd runs" ||
	    ok "no BMC: not started"
fi

# files and modes: "path mode owner:group" as the package must leave them
while read -r p m o; do
	s=$(stat -c '%a %U:%G' "$p" 2>/dev/null)
	[ "$s" = "$m $o" ] && ok "$p $m $o" || nok "$p is '$s', not '$m $o'"
done <<EOF
/usr/bin/bmcwatch 755 root:root
/usr/sbin/bmcwatchd 755 root:root
/etc/bmcwatch 755 root:root
/etc/bmcwatch/bmcwatchd.conf 644 root:root
/etc/init.d/bmcwatchd 755 root:root
/etc/logrotate.d/bmcwatch 644 root:root
/lib/systemd/system/bmcwatchd.service 644 root:root
/lib/udev/rules.d/60-bmcwatch.rules 644 root:root
/usr/lib/modules-load.d/bmcwatch.conf 644 root:root
/usr/share/bmcwatch/bmcwatchd.conf 644 root:root
/usr/share/bmcwatch/sensors-severity.conf 644 root:root
/usr/share/man/man1/bmcwatch.1.gz 644 root:root
/usr/share/man/man5/bmcwatch.conf.5.gz 644 root:root
/usr/share/man/man8/bmcwatchd.8.gz 644 root:root
/var/lib/bmcwatch 750 _bmcwatch:bmcwatch
/var/log/bmcwatch 750 _bmcwatch:bmcwatch
EOF
cf=$(dpkg-query -W -f='${Conffiles}\n' bmcwatch | awk 'NF {print $1}' |
    sort | tr '\n' ' ')
[ "$cf" = "/etc/bmcwatch/bmcwatchd.conf /etc/init.d/bmcwatchd /etc/logrotate.d/bmcwatch " ] &&
    ok "conffiles: $cf" || nok "conffiles are '$cf'"
check "modules-load.d names ipmi_si and ipmi_devintf" sh -c \
    'grep -qx ipmi_si /usr/lib/modules-load.d/bmcwatch.conf &&
     grep -qx ipmi_devintf /usr/lib/modules-load.d/bmcwatch.conf'

# the user and groups: system ids, no login, no home
pw=$(getent passwd _bmcwatch)
uid=$(echo "$pw" | cut -d: -f3)
if [ -n "$pw" ] && [ "$uid" -lt 1000 ] &&
    [ "$(echo "$pw" | cut -d: -f6,7)" = "/nonexistent:/usr/sbin/nologin" ]; then
	ok "user _bmcwatch: system uid $uid, no home, nologin"
else
	nok "user _bmcwatch: '$pw'"
fi
[ ! -e /nonexistent ] && ok "no home directory made" ||
    nok "/nonexistent exists"
g=$(getent group bmcwatch | cut -d: -f3)
[ -n "$g" ] && [ "$g" -lt 1000 ] && ok "group bmcwatch: system gid $g" ||
    nok "group bmcwatch: '$g'"
[ "$(id -gn _bmcwatch 2>/dev/null)" = bmcwatch ] &&
    ok "_bmcwatch's primary group is bmcwatch" ||
    nok "_bmcwatch's primary group is '$(id -gn _bmcwatch 2>&1)'"

# the shipped configuration, checked by the installed daemon (users,
# groups and included files resolved)
check "bmcwatchd -n -f /etc/bmcwatch/bmcwatchd.conf: configuration OK" \
    sh -c '/usr/sbin/bmcwatchd -n -f /etc/bmcwatch/bmcwatchd.conf 2>&1 |
    grep -qx "configuration OK"'

# the unit, as systemd reads it (its binaries and man pages installed)
systemd-analyze verify /lib/systemd/system/bmcwatchd.service \
    >"$W/verify.out" 2>&1
rc=$?
sed 's/^/#   /' "$W/verify.out"
[ "$rc" -eq 0 ] && [ ! -s "$W/verify.out" ] &&
    ok "systemd-analyze verify bmcwatchd.service: silent, exit 0" ||
    nok "systemd-analyze verify bmcwatchd.service (exit $rc)"
check "the unit runs the installed daemon on the installed configuration" \
    grep -qx 'ExecStart=/usr/sbin/bmcwatchd -f /etc/bmcwatch/bmcwatchd.conf' \
    /lib/systemd/system/bmcwatchd.service
check "man bmcwatchd finds the installed page" sh -c \
    'man -w bmcwatchd | grep -q /usr/share/man/man8/bmcwatchd.8.gz'

# ---- the installed programs against the simulated BMC ----------------------
SIM_DIR=$TOP/tests/sim
. "$SIM_DIR/lib.sh"
sim_start || die "ipmi_sim did not start"
/usr/bin/bmcwatch -H 127.0.0.1 -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" -C 3 info >"$W/info.out" 2>&1
rc=$?
sim_ipmitool mc info >"$W/ipmitool-info.out" 2>&1
m1=$(sed -n 's/^Manufacturer ID *: *//p' "$W/info.out")
m2=$(sed -n 's/^Manufacturer ID *: *//p' "$W/ipmitool-info.out")
f1=$(sed -n 's/^Firmware Revision *: *//p' "$W/info.out")
f2=$(sed -n 's/^Firmware Revision *: *//p' "$W/ipmitool-info.out")
if [ "$rc" -eq 0 ] && [ -n "$m1" ] && [ "$m1" = "$m2" ] &&
    [ -n "$f1" ] && [ "$f1" = "$f2" ]; then
	ok "installed bmcwatch info: manufacturer $m1, firmware $f1, as ipmitool"
else
	nok "installed bmcwatch info (exit $rc): '$m1' '$f1' vs ipmitool '$m2' '$f2'"
	sed 's/^/#   /' "$W/info.out" | head -n 20
fi
n1=$(/usr/bin/bmcwatch -H 127.0.0.1 -p "$SIM_PORT" -U admin \
    -f "$(sim_pwfile admin)" -C 3 --json sensors 2>"$W/sensors.err" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["sensors"]))' 2>>"$W/sensors.err")
[ -n "$n1" ] && [ "$n1" -gt 0 ] &&
    ok "installed bmcwatch --json sensors: $n1 sensors" ||
    { nok "installed bmcwatch --json sensors: '$n1'"; sed 's/^/#   /' "$W/sensors.err"; }

# the installed daemon under its System V script, on a configuration
# that names the simulator (the conffile's local target needs /dev/ipmi0)
install -d -m 0755 /etc/bmcwatch/targets.d
install -m 0600 -o _bmcwatch "$(sim_pwfile admin)" /etc/bmcwatch/sim.pw
cat >"$W/sim.conf" <<EOF
user "_bmcwatch"
socket-group "bmcwatch"
target "sim" {
	interface lanplus  host "127.0.0.1"  port $SIM_PORT
	username "admin"  password-file "/etc/bmcwatch/sim.pw"
	privilege admin  cipher-suite 3  workaround no-cipher-suites
	sensor-interval 5  sel-interval 5  chassis-interval 5
}
EOF
echo "CONF=$W/sim.conf" >/etc/default/bmcwatchd
check "bmcwatchd -n on the simulator's configuration" \
    /usr/sbin/bmcwatchd -n -f "$W/sim.conf"
/etc/init.d/bmcwatchd start >"$W/init-start.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok "/etc/init.d/bmcwatchd start" ||
    { nok "/etc/init.d/bmcwatchd start (exit $rc)"; sed 's/^/#   /' "$W/init-start.out"; }
pid=$(cat /run/bmcwatch/bmcwatchd.pid 2>/dev/null)
i=0
until /usr/bin/bmcwatch -S /run/bmcwatch/bmcwatch.sock --target sim --json \
    sensors >"$W/d-sensors.json" 2>"$W/d-sensors.err"; do
	i=$((i + 1))
	[ "$i" -ge 300 ] && break
	sleep 0.1
done
[ "$i" -lt 300 ] && ok "the daemon answers on /run/bmcwatch/bmcwatch.sock" ||
    { nok "no answer on the socket in 30 s"; sed 's/^/#   /' "$W/d-sensors.err"; }
n3=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["sensors"]))' "$W/d-sensors.json" 2>/dev/null)
[ -n "$n3" ] && [ "$n3" = "$n1" ] &&
    ok "the daemon's sensors: $n3, as the CLI read them" ||
    nok "the daemon's sensors: '$n3', the CLI's $n1"
u=$(awk '/^Uid:/ {print $2 ":" $3 ":" $4 ":" $5}' "/proc/$pid/status" 2>/dev/null)
gr=$(awk '/^Gid:/ {print $2 ":" $3 ":" $4 ":" $5}' "/proc/$pid/status" 2>/dev/null)
[ -n "$pid" ] && [ "$u" = "$uid:$uid:$uid:$uid" ] && [ "$gr" = "$g:$g:$g:$g" ] &&
    ok "bmcwatchd (pid $pid) runs as _bmcwatch:bmcwatch ($uid:$g)" ||
    nok "bmcwatchd pid '$pid' uids '$u' gids '$gr', not $uid, $g"
s=$(stat -c '%a %U:%G' /run/bmcwatch/bmcwatch.sock 2>/dev/null)
[ "$s" = "660 root:bmcwatch" ] || [ "$s" = "660 _bmcwatch:bmcwatch" ] &&
    ok "socket $s" || nok "socket is '$s'"
[ -d /var/lib/bmcwatch/sdr ] &&
    [ "$(stat -c %U /var/lib/bmcwatch/sdr)" = _bmcwatch ] &&
    ok "state in /var/lib/bmcwatch/sdr, the daemon's" ||
    nok "no /var/lib/bmcwatch/sdr of _bmcwatch"
/etc/init.d/bmcwatchd stop >"$W/init-stop.out" 2>&1
rc=$?
i=0
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$i" -lt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
[ "$rc" -eq 0 ] && ! kill -0 "$pid" 2>/dev/null &&
    [ ! -e /run/bmcwatch/bmcwatchd.pid ] && [ ! -e /run/bmcwatch/bmcwatch.sock ] &&
    ok "/etc/init.d/bmcwatchd stop: gone, pidfile and socket removed" ||
    { nok "/etc/init.d/bmcwatchd stop (exit $rc)"; sed 's/^/#   /' "$W/init-stop.out"; }
sim_stop
rm -f /etc/default/bmcwatchd /etc/bmcwatch/sim.pw
rmdir /etc/bmcwatch/targets.d

# ---- upgrade, remove, purge -----------------------------------------------
echo "# changed by the admin" >>/etc/bmcwatch/bmcwatchd.conf
apt_q install "$DEB2" >"$W/upgrade.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] && [ "$(dpkg-query -W -f='${Version}' bmcwatch)" = "$V2" ] &&
    ok "upgrade to $V2" ||
    { nok "upgrade to $V2 (exit $rc)"; tail -n 15 "$W/upgrade.log" | sed 's/^/#   /'; }
grep -qx '# changed by the admin' /etc/bmcwatch/bmcwatchd.conf &&
    ok "upgrade keeps the admin's configuration" ||
    nok "upgrade lost the admin's change"
[ "$(id -u _bmcwatch 2>/dev/null)" = "$uid" ] &&
    ok "upgrade keeps the user (uid $uid)" || nok "uid changed on upgrade"
if [ ! -e /dev/ipmi0 ]; then
	grep -q 'no IPMI device' "$W/upgrade.log" &&
	    nok "the no-BMC line again on upgrade" ||
	    ok "upgrade: quiet about the service"
	ls /etc/rc[2-5].d/S*bmcwatchd >/dev/null 2>&1 &&
	    nok "enabled by the upgrade" || ok "upgrade leaves it disabled"
fi

# remove keeps the admin's configuration, state and user; purge and
# autoremove leave nothing (tests/fresh/pkgcheck.sh)
cp /etc/bmcwatch/bmcwatchd.conf "$W/conf.admin"
pkg_remove /etc/bmcwatch/bmcwatchd.conf "$W/conf.admin" bmcwatch
pkg_purge bmcwatch

# ---- the plugins' package, when the tree has the plugins -------------------
for deb in "$W"/src/monitoring-plugins-bmcwatch_*.deb; do
	[ -f "$deb" ] || continue
	apt_q install "$deb" >"$W/plugins.log" 2>&1 &&
	    ok "apt-get install ./${deb##*/}" ||
	    nok "apt-get install ./${deb##*/}"
	n=$(dpkg -L monitoring-plugins-bmcwatch | grep -c '^/usr/lib/nagios/plugins/check_bmc_')
	[ "$n" -gt 0 ] && ok "$n check_bmc_* plugins in /usr/lib/nagios/plugins" ||
	    nok "no plugin in /usr/lib/nagios/plugins"
	apt_q purge monitoring-plugins-bmcwatch bmcwatch >"$W/plugins-purge.log" 2>&1 &&
	    ok "purge monitoring-plugins-bmcwatch" ||
	    nok "purge monitoring-plugins-bmcwatch"
done

# ---- the SNMP subagent's package, when the tree has the subagent -----------
for deb in "$W"/src/bmcwatch-snmp_*.deb; do
	[ -f "$deb" ] || continue
	apt_q install "$DEB1" "$deb" >"$W/snmp.log" 2>&1 &&
	    ok "apt-get install ./${DEB1##*/} ./${deb##*/}" ||
	    nok "apt-get install ./${deb##*/}"
	check "bmcwatch-snmp: the subagent, its MIB and the snmpd drop-in" \
	    test -x /usr/sbin/bmcwatch-snmp -a \
	    -f /usr/share/snmp/mibs/BMCWATCH-MIB.txt -a \
	    -f /etc/snmp/snmpd.conf.d/bmcwatch.conf
	apt_q purge bmcwatch-snmp bmcwatch >"$W/snmp-purge.log" 2>&1 &&
	    [ ! -e /etc/snmp/snmpd.conf.d/bmcwatch.conf ] &&
	    ok "purge bmcwatch-snmp and bmcwatch" ||
	    nok "purge bmcwatch-snmp"
done

finish

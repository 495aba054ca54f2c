#!/bin/bash
# debian/ as make check can test it, without root and without installing
# anything: dpkg-buildpackage -us -uc -b on a copy of the tree (the build
# fails if make install puts a file that no debian/*.install claims:
# dh_missing), the packages hold what they must with the right modes, the
# maintainer scripts parse, and lintian reports no error and no warning
# on the .debs and the .changes.  About 40 s on 2 idle cores (the build
# is a full -O2 build).  Installing, the user, the unit under systemd,
# upgrade, remove and purge are tests/fresh/pkg.sh's (make fresh-check).
. "$(dirname "$0")/lib.sh"

for t in dpkg-buildpackage dh lintian; do
	command -v "$t" >/dev/null ||
	    skip_all "$t not installed (tests/deps.sh installs it)"
done
T=$(mktemp -d "${TMPDIR:-/tmp}/debbuild.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/src/bmcwatch"
# the tree as it is, without builds and git's own files
(cd "$TOP" && tar --exclude=./build --exclude=./.git --exclude=./debian/tmp \
    -cf - .) | tar -xf - -C "$T/src/bmcwatch"

if (cd "$T/src/bmcwatch" && DEB_BUILD_OPTIONS=parallel=2 \
    dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	not_ok "dpkg-buildpackage -us -uc -b"
	grep -v '^cc ' "$T/build.log" | tail -n 30 | sed 's/^/#   /'
	finish
	exit
fi
V=$(cd "$T/src/bmcwatch" && dpkg-parsechangelog -S Version)
A=$(dpkg --print-architecture)
DEB=$T/src/bmcwatch_${V}_$A.deb
check "bmcwatch_${V}_$A.deb built" test -f "$DEB"

# contents: "mode path" of what must be there, as dpkg-deb lists it
dpkg-deb -c "$DEB" | awk '{print $1, $6}' >"$T/contents"
while read -r m p; do
	if grep -qx -- "$m ./$p" "$T/contents"; then
		ok "$p $m"
	else
		not_ok "$p: '$(grep " ./$p\$" "$T/contents")', not $m"
	fi
done <<'EOF'
-rwxr-xr-x usr/bin/bmcwatch
-rwxr-xr-x usr/sbin/bmcwatchd
-rw-r--r-- etc/bmcwatch/bmcwatchd.conf
-rwxr-xr-x etc/init.d/bmcwatchd
-rw-r--r-- etc/logrotate.d/bmcwatch
-rw-r--r-- lib/systemd/system/bmcwatchd.service
-rw-r--r-- lib/udev/rules.d/60-bmcwatch.rules
-rw-r--r-- usr/lib/modules-load.d/bmcwatch.conf
-rw-r--r-- usr/share/bmcwatch/bmcwatchd.conf
-rw-r--r-- usr/share/bmcwatch/sensors-severity.conf
-rw-r--r-- usr/share/man/man1/bmcwatch.1.gz
-rw-r--r-- usr/share/man/man5/bmcwatch.conf.5.gz
-rw-r--r-- usr/share/man/man8/bmcwatchd.8.gz
EOF
# the conffile is the local one, the unit and script have the paths
mkdir -p "$T/x"
dpkg-deb -x "$DEB" "$T/x"
check "the conffile is etc/bmcwatchd-local.conf" \
    cmp -s "$T/x/etc/bmcwatch/bmcwatchd.conf" "$TOP/etc/bmcwatchd-local.conf"
check "the conffile: one target, local, interface open; the watchdog off (only commented)" \
    sh -c 'C=$1/etc/bmcwatch/bmcwatchd.conf
    [ "$(grep -c "^target " "$C")" = 1 ] && grep -qx "target \"local\" {" "$C" &&
    grep -qx "	interface open" "$C" && ! grep -q "^[^#]*watchdog *{" "$C"' _ "$T/x"
check "the unit runs /usr/sbin/bmcwatchd on /etc/bmcwatch/bmcwatchd.conf" \
    grep -qx 'ExecStart=/usr/sbin/bmcwatchd -f /etc/bmcwatch/bmcwatchd.conf' \
    "$T/x/lib/systemd/system/bmcwatchd.service"
check "the System V script runs /usr/sbin/bmcwatchd" \
    grep -qx 'DAEMON=/usr/sbin/bmcwatchd' "$T/x/etc/init.d/bmcwatchd"
check "no @PLACEHOLDER@ left in the unit or the script" \
    bash -c '! grep -n "@[A-Z]*@" "$1" "$2"' _ \
    "$T/x/lib/systemd/system/bmcwatchd.service" "$T/x/etc/init.d/bmcwatchd"
# the unit's sandbox as systemd rates it, from the file (the running
# daemon's rating, and its features in that sandbox, are
# tests/fresh/systemd.sh's: make fresh-check)
U=$T/x/lib/systemd/system/bmcwatchd.service
if command -v systemd-analyze >/dev/null &&
    systemd-analyze security --offline=true "$U" >"$T/sec.out" 2>&1; then
	e=$(sed -n 's/.*Overall exposure level for bmcwatchd.service: \([0-9.]*\).*/\1/p' \
	    "$T/sec.out")
	if [ -n "$e" ] && awk -v e="$e" 'BEGIN { exit !(e < 2.0) }'; then
		ok "systemd-analyze security --offline: exposure $e (below 2.0)"
	else
		not_ok "systemd-analyze security --offline: exposure '$e'"
		grep '✗' "$T/sec.out" | sed 's/  */ /g; s/^/#   /'
	fi
else
	echo "# systemd-analyze security --offline not available: not rated"
fi
check "the unit runs it as _bmcwatch:bmcwatch, no capability" \
    sh -c 'grep -qx User=_bmcwatch "$1" && grep -qx Group=bmcwatch "$1" &&
    grep -qx CapabilityBoundingSet= "$1"' _ "$U"
dpkg-deb -e "$DEB" "$T/ctl"
for s in preinst postinst prerm postrm; do
	[ -f "$T/ctl/$s" ] || continue
	check "maintainer script $s parses (sh -n)" sh -n "$T/ctl/$s"
done
# an upgrade restarts a running daemon under systemd (debhelper's
# try-restart: dh_installsystemd --no-start alone leaves it out)
check "postinst: an upgrade try-restarts bmcwatchd.service" \
    grep -q "deb-systemd-invoke try-restart 'bmcwatchd.service'" "$T/ctl/postinst"
cf=$(tr '\n' ' ' <"$T/ctl/conffiles")
check_eq "conffiles" "$cf" \
    "/etc/bmcwatch/bmcwatchd.conf /etc/init.d/bmcwatchd /etc/logrotate.d/bmcwatch "

# lintian on each .deb (not the -dbgsym) and on the .changes
for f in "$T/src/bmcwatch_${V}_$A.changes" "$T"/src/*.deb; do
	case $f in *-dbgsym_*) continue ;; esac
	lintian --fail-on error,warning "$f" >"$T/lintian.out" 2>&1
	rc=$?
	grep -v 'running with root privileges' "$T/lintian.out" |
	    sed 's/^/#   /'
	if [ "$rc" -eq 0 ] && ! grep -q '^[EW]: ' "$T/lintian.out"; then
		ok "lintian: no error, no warning on ${f##*/}"
	else
		not_ok "lintian on ${f##*/} (exit $rc)"
	fi
done
finish

#!/bin/sh
# piuparts on the packages: run by tests/fresh/run.sh (make fresh-check,
# part "piuparts") as root in a fresh minimal Debian 12 root, in the
# tree's top directory; never by make check.
#
#	FRESH_PARTS=piuparts make fresh-check	(this part alone)
#
# piuparts (Debian's own installation tester) debootstraps a bookworm
# chroot of its own inside this root and, on the three packages
# together:
#   - install and purge: maintainer scripts succeed, nothing is left
#     behind (files, users' files, running processes), logrotate files;
#   - (not yet: install, upgrade, purge.  The repository of the built
#     version and its copy repacked as $V+fresh1 are made below, but the
#     piuparts call that uses them is not found yet: see the note at the
#     call.  pkg.sh's scripted cycle tests the upgrade.)
# The dependencies come from the Debian archive in both.  The upgrade
# with a changed conffile and the no-BMC line are pkg.sh's checks; the
# service under systemd is systemd.sh's.
set -u

TOP=$(pwd)
W=/root/piupartstest
. "$TOP/tests/fresh/lib.sh"
finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
}
t0=$(date +%s)
elapsed() { echo "# $1: $(($(date +%s) - t0)) s"; }

rm -rf "$W"
mkdir -p "$W"
fresh_build "$W/src" || finish
elapsed "packages built"

# V1 in a local repository, for apt in piuparts' chroot
mkdir -p "$W/repo" "$W/v2"
for f in "$W"/src/*.deb; do
	case $f in *-dbgsym_*) continue ;; esac
	cp "$f" "$W/repo/"
done
apt_q --no-install-recommends install piuparts dpkg-dev \
    >"$W/piuparts-inst.log" 2>&1 || {
	tail -n 20 "$W/piuparts-inst.log" | sed 's/^/#   /'
	nok "apt-get install piuparts"
	finish
}
(cd "$W/repo" && dpkg-scanpackages . >Packages 2>"$W/scan.log") ||
    { nok "dpkg-scanpackages"; finish; }

# V2: the same packages, version V+fresh1 (and the = dependency with it)
V2=$V+fresh1
for f in "$W"/repo/*.deb; do
	d=$W/v2/x
	rm -rf "$d"
	dpkg-deb -R "$f" "$d" || { nok "dpkg-deb -R ${f##*/}"; finish; }
	sed -i "s/^Version: $V\$/Version: $V2/; s/(= $V)/(= $V2)/g" \
	    "$d/DEBIAN/control"
	n=$(basename "$f" | sed "s/_${V}_/_${V2}_/")
	dpkg-deb -b "$d" "$W/v2/$n" >/dev/null ||
	    { nok "dpkg-deb -b $n"; finish; }
	rm -rf "$d"
done
[ "$(dpkg-deb -f "$W/v2/bmcwatch_${V2}_$ARCH.deb" Version)" = "$V2" ] &&
    ok "repacked as $V2 for the upgrade" || { nok "repacking as $V2"; finish; }

MIRROR=$(sed -n 's,^deb \(http[^ ]*\) bookworm main.*,\1,p' \
    /etc/apt/sources.list | head -n 1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# bounded: piuparts debootstraps, installs from the archive twice
# (a first run with --testdebs-repo holding $V and the $V2 files on the
# command line failed: piuparts installs the files' own versions from
# that repository, and skipped the upgrade test since "apt-cache does
# not know about any of the requested packages"; the repository must
# hold the tested version, the older one come from elsewhere: not done)
timeout 2400 piuparts -d bookworm -m "$MIRROR" --no-upgrade-test \
    -l "$W/piuparts.log" "$W"/repo/*.deb >/dev/null 2>&1
rc=$?
grep -E '^[0-9:]+ (FAIL|ERROR|WARN|PASS):|DEBUG: Command failed' \
    "$W/piuparts.log" | sed 's/^/#   /' | tail -n 40
if [ "$rc" -eq 0 ] && grep -q 'PASS: All tests' "$W/piuparts.log"; then
	ok "piuparts: PASS: All tests (install-purge of $V)"
else
	nok "piuparts (exit $rc; log $W/piuparts.log)"
	grep -B2 -A12 -E ' (FAIL|ERROR):' "$W/piuparts.log" | head -n 60 |
	    sed 's/^/#   /'
fi
elapsed "piuparts done"
finish

#!/bin/sh
# piuparts on the packages: run by tests/fresh/run.sh (make fresh-check,
# part "piuparts") as root in a fresh minimal Debian 12 root, in the
# tree's top directory; never by make check.
#
#	FRESH_PARTS=piuparts make fresh-check	(this part alone)
#
# piuparts (Debian's own installation tester) debootstraps a bookworm
# chroot of its own inside this root and, on the three packages
# together (their dependencies from the Debian archive):
#   - install and purge: maintainer scripts succeed, nothing is left
#     behind (files, users' files, running processes), logrotate files;
#   - install, upgrade, purge: an older version, built here from an
#     earlier commit of this repository (run.sh unpacks it in
#     /root/bmcwatch-old: FRESH_UPGRADE_FROM, by default the last one
#     before the sandboxed unit and the udev rule), installed by apt from
#     a local repository, then the tested .debs over it, then purged:
#     nothing left behind.
# What an upgrade keeps and restarts under systemd (configuration,
# state, the service) is systemd-guest.sh's; the upgrade with a changed
# conffile and the no-BMC line are pkg.sh's.
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

# the tested packages, and piuparts
mkdir -p "$W/repo"
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

# the older version: the earlier commit's tree as version V~fresh.old
# (lower than V), built here, in a repository piuparts' chroot reads
OLD=/root/bmcwatch-old
set -- --no-upgrade-test
if [ -f "$OLD/debian/changelog" ]; then
	VO=$V~fresh.old
	mkdir -p "$W/old" "$W/oldrepo"
	cp -a "$OLD" "$W/old/bmcwatch"
	{
		printf 'bmcwatch (%s) unstable; urgency=medium\n\n' "$VO"
		printf '  * The older version of tests/fresh/piuparts.sh (%s).\n\n' \
		    "$(cat "$OLD/.fresh-commit" 2>/dev/null)"
		printf ' -- bmcwatch developers <dev@bmcwatch.invalid>  %s\n\n' \
		    "$(date -R)"
		cat "$OLD/debian/changelog"
	} >"$W/old/bmcwatch/debian/changelog"
	if (cd "$W/old/bmcwatch" && DEB_BUILD_OPTIONS=parallel=2 \
	    dpkg-buildpackage -us -uc -b) >"$W/build-old.log" 2>&1; then
		for f in "$W"/old/*.deb; do
			case $f in *-dbgsym_*) continue ;; esac
			cp "$f" "$W/oldrepo/"
		done
		(cd "$W/oldrepo" && dpkg-scanpackages . >Packages \
		    2>"$W/scan.log") || { nok "dpkg-scanpackages"; finish; }
		ok "the older version $VO built from $(cat "$OLD/.fresh-commit" 2>/dev/null): $(cd "$W/oldrepo" && ls *.deb | tr '\n' ' ')"
		set -- "--bindmount=$W/oldrepo" \
		    "--extra-repo=deb [trusted=yes] file://$W/oldrepo ./"
	else
		grep -v '^cc ' "$W/build-old.log" | tail -n 20 | sed 's/^/#   /'
		nok "dpkg-buildpackage of the older version"
		finish
	fi
else
	nok "no older tree in $OLD (run.sh: FRESH_UPGRADE_FROM not in this clone?)"
fi
elapsed "older version built"

MIRROR=$(sed -n 's,^deb \(http[^ ]*\) bookworm main.*,\1,p' \
    /etc/apt/sources.list | head -n 1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# bounded: piuparts debootstraps, installs from the archive three times
timeout 3000 piuparts -d bookworm -m "$MIRROR" "$@" \
    -l "$W/piuparts.log" "$W"/repo/*.deb >/dev/null 2>&1
rc=$?
grep -E '^[0-9:]+ (FAIL|ERROR|WARN|PASS):|DEBUG: Command failed' \
    "$W/piuparts.log" | sed 's/^/#   /' | tail -n 40
if [ "$rc" -eq 0 ] && grep -q 'PASS: All tests' "$W/piuparts.log"; then
	ok "piuparts: PASS: All tests"
else
	nok "piuparts (exit $rc; log $W/piuparts.log)"
	grep -B2 -A12 -E ' (FAIL|ERROR):' "$W/piuparts.log" | head -n 60 |
	    sed 's/^/#   /'
fi
grep -q 'PASS: Installation and purging test' "$W/piuparts.log" &&
    ok "piuparts: PASS: Installation and purging test ($V)" ||
    nok "piuparts: no install-purge PASS"
if [ -n "${VO:-}" ]; then
	grep -q 'PASS: Installation, upgrade and purging tests' \
	    "$W/piuparts.log" &&
	    ok "piuparts: PASS: Installation, upgrade and purging tests ($VO to $V)" ||
	    nok "piuparts: no install-upgrade-purge PASS"
fi
elapsed "piuparts done"
finish

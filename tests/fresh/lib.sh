# Sourced by the fresh-check parts (tests/fresh/pkg.sh, systemd.sh, and
# the guest's systemd-guest.sh): one "ok"/"not ok" line per check, the
# counts for the part's "N passed, N failed" line.  W is the part's
# work directory (set before sourcing).
PASS=0 FAIL=0
export DEBIAN_FRONTEND=noninteractive

ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
nok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
# check DESCRIPTION CMD...: ok if CMD succeeds, else its last output
check() {
	_d=$1
	shift
	if "$@" >"$W/check.out" 2>&1; then
		ok "$_d"
	else
		nok "$_d"
		sed 's/^/#   /' "$W/check.out" | tail -n 20
	fi
}
apt_q() { apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }
# wait_for SECONDS CMD...: CMD until it succeeds, at most SECONDS by
# the clock (not SECONDS * 10 tries: in the TCG guest one try of a
# command can take seconds, and a count of tries made a 120 s bound an
# hour); one last try after the deadline
wait_for() {
	_end=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$_end" ]; then
			"$@" >/dev/null 2>&1
			return
		fi
		sleep 0.1
	done
}
# fresh_build DIR: the committed tree (TOP) copied to DIR/bmcwatch, its
# Build-Depends and nothing else installed from the archive (apt-get
# build-dep ./: proves the list complete), the packages built there
# (DIR/*.deb); sets V (the version) and ARCH.  Non-zero on failure,
# said in a "not ok" line with the log's end.
fresh_build() {
	mkdir -p "$1"
	apt_q update >"$1/apt-update.log" 2>&1 || {
		tail -n 20 "$1/apt-update.log" | sed 's/^/#   /'
		nok "apt-get update"
		return 1
	}
	cp -a "$TOP" "$1/bmcwatch"
	rm -rf "$1/bmcwatch/build"
	if ! (cd "$1/bmcwatch" && apt_q --no-install-recommends build-dep ./) \
	    >"$1/build-dep.log" 2>&1; then
		tail -n 20 "$1/build-dep.log" | sed 's/^/#   /'
		nok "apt-get build-dep ./"
		return 1
	fi
	if ! (cd "$1/bmcwatch" && DEB_BUILD_OPTIONS=parallel=2 \
	    dpkg-buildpackage -us -uc -b) >"$1/build.log" 2>&1; then
		grep -v '^cc ' "$1/build.log" | tail -n 30 | sed 's/^/#   /'
		nok "dpkg-buildpackage -us -uc -b"
		return 1
	fi
	V=$(cd "$1/bmcwatch" && dpkg-parsechangelog -S Version)
	ARCH=$(dpkg --print-architecture)
	ok "apt-get build-dep ./, dpkg-buildpackage -us -uc -b: $V"
}
# fresh_repack DIR V2: the built packages (DIR/*.deb, not the debug
# ones) repacked as version V2 (the = dependencies with it) into
# DIR/v2/: an upgrade of the same tree.  Needs V and ARCH
# (fresh_build's).  Non-zero on failure, said in a "not ok" line.
fresh_repack() {
	mkdir -p "$1/v2"
	for _f in "$1"/*.deb; do
		case $_f in *-dbgsym_*) continue ;; esac
		_d=$1/v2/x
		rm -rf "$_d"
		dpkg-deb -R "$_f" "$_d" || { nok "dpkg-deb -R ${_f##*/}"; return 1; }
		sed -i "s/^Version: $V\$/Version: $2/; s/(= $V)/(= $2)/g" \
		    "$_d/DEBIAN/control"
		_n=$(basename "$_f" | sed "s/_${V}_/_${2}_/")
		dpkg-deb -b "$_d" "$1/v2/$_n" >/dev/null ||
		    { nok "dpkg-deb -b $_n"; return 1; }
		rm -rf "$_d"
	done
	[ "$(dpkg-deb -f "$1/v2/bmcwatch_${2}_$ARCH.deb" Version)" = "$2" ] ||
	    { nok "repacking as $2"; return 1; }
	ok "the packages repacked as $2 (the upgrade)"
}

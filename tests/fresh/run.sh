#!/bin/sh
# make fresh-check: the README's quick start, run as a new user would, on
# a minimal Debian 12 root (debootstrap --variant=minbase bookworm).
#
#	tests/fresh/run.sh		(as root; `make fresh-check`)
#
# Not part of `make check`: it installs everything from nothing and so
# takes 10-25 minutes on 2 cores for "readme pkg" (measured under heavy load
# by deb2, 2026-12-04: systemd about 45 min, piuparts about 16 min; the
# .debs are kept).  Run it before resolving any issue that adds a
# dependency.  What it does:
#   1. the minimal root is built once with debootstrap (installed when
#      missing: it is this script's prerequisite, not the project's) and
#      kept in $FRESH_CACHE/base; every run works on an overlay of it (a
#      copy where overlayfs is missing), so runs never touch the base;
#   2. the committed tree (`git archive HEAD`, not the work directory) is
#      unpacked in the root as /root/bmcwatch;
#   3. in a chroot, as root, with a clean environment, it runs the steps
#      of each part, each part on a root of its own (a new overlay):
#        readme  the lines of README.md's quick start (each must appear
#                there verbatim, so the two cannot drift apart), ending
#                with `make check`;
#        pkg     tests/fresh/pkg.sh: the Debian packages built, linted,
#                installed, run, upgraded, removed and purged;
#        systemd tests/fresh/systemd.sh: the packages installed in a QEMU
#                guest booted with systemd whose /dev/ipmi0 is ipmi_sim:
#                started by the postinst, the unit's sandbox (exposure
#                below 2.0) with every feature working, purged;
#        piuparts tests/fresh/piuparts.sh: piuparts' install-purge test
#                on the packages, and its install-upgrade-purge test
#                from an earlier commit's packages;
#      each part's last step prints "N passed, N failed[, N skipped]";
#      the sum over the parts is the last line printed.
# It runs in its own mount and PID namespaces (unshare): whatever the
# tests leave running dies with the run, and every mount made for the
# chroot goes away on every exit path, even SIGKILL; a trap unmounts in
# order on ordinary exits.  Exit status 0 only if every step passed.
#
# Environment:
#   FRESH_PARTS   the parts to run, in order (default "readme pkg
#                 systemd piuparts"):
#                 FRESH_PARTS=pkg make fresh-check runs the packaging alone
#   FRESH_CACHE   where the base root and the downloaded .debs are kept
#                 (default /var/cache/bmcwatch-fresh; `rm -rf` it to start
#                 over, e.g. to pick up a new point release)
#   FRESH_MIRROR  the Debian mirror (default: the first one this
#                 machine's apt sources name, else deb.debian.org)
#   FRESH_RUNDIR  parent of the per-run directory (default /var/tmp)
#   FRESH_UPGRADE_FROM  the commit whose packages piuparts upgrades from
#                 (default 42a6894: the unit before its sandbox)
#   FRESH_KEEP=1  keep the per-run root afterwards (for a post-mortem;
#                 the test logs are in ROOT/root/bmcwatch/build/test-logs)
set -eu

# the quick start, in README.md's words; run in this order in the root
README_STEPS='apt-get update && apt-get install -y make
make demo
make check'
PARTS=${FRESH_PARTS:-readme pkg systemd piuparts}
# the older version of piuparts' upgrade test: the last commit before
# the sandboxed unit and the udev rule that has all three packages
UPGRADE_FROM=${FRESH_UPGRADE_FROM:-42a6894}
case ${FRESH_PART:-readme} in
readme)	STEPS=$README_STEPS ;;
pkg)	STEPS='sh tests/fresh/pkg.sh' ;;
systemd) STEPS='sh tests/fresh/systemd.sh' ;;
piuparts) STEPS='sh tests/fresh/piuparts.sh' ;;
*)	echo "fresh-check: no part '${FRESH_PART:-}' (readme, pkg, systemd," \
	    "piuparts)" >&2
	echo "0 passed, 1 failed"
	exit 1 ;;
esac

me=tests/fresh/run.sh
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${FRESH_CACHE:-/var/cache/bmcwatch-fresh}
SUITE=bookworm

say() { echo "fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

if [ "${FRESH_IN_NS:-}" != 1 ]; then
	# ---- outside the namespaces: prerequisites and the cached base ----
	[ "$(id -u)" -eq 0 ] || die "must run as root (chroot, mount)"
	cd "$TOP"
	git rev-parse --verify -q HEAD >/dev/null ||
	    die "$TOP is not a git checkout with a commit (git archive HEAD)"
	for l in $(echo "$README_STEPS" | tr ' ' '\001'); do
		l=$(echo "$l" | tr '\001' ' ')
		git show HEAD:README.md | grep -qxF "    $l" ||
		    die "README.md's quick start has no line '$l' ($me runs it)"
	done
	[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	    say "note: uncommitted changes are not tested (git archive HEAD)"
	for c in unshare chroot mount umount tar; do
		command -v "$c" >/dev/null 2>&1 ||
		    die "$c not found (apt-get install util-linux mount tar)"
	done
	if ! command -v debootstrap >/dev/null 2>&1; then
		say "installing debootstrap (the prerequisite of fresh-check)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    debootstrap >/dev/null ||
		    die "apt-get install debootstrap failed"
	fi
	if [ -z "${FRESH_MIRROR:-}" ]; then
		FRESH_MIRROR=$(cat /etc/apt/sources.list \
		    /etc/apt/sources.list.d/*.sources \
		    /etc/apt/sources.list.d/*.list 2>/dev/null |
		    sed -n 's,^\(URIs:\|deb\) *\(\[[^]]*\] *\)*\(https\?://[^ ]*/debian\)/* .*,\3,p;
			    s,^URIs: *\(https\?://[^ ]*/debian\)/*$,\1,p' |
		    head -n 1)
		FRESH_MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
	fi
	export FRESH_MIRROR
	mkdir -p "$CACHE"
	if [ ! -f "$CACHE/base.ok" ]; then
		say "building the minimal root in $CACHE/base" \
		    "(debootstrap --variant=minbase $SUITE $FRESH_MIRROR)"
		rm -rf --one-file-system "$CACHE/base.tmp" "$CACHE/base"
		debootstrap --variant=minbase "$SUITE" "$CACHE/base.tmp" \
		    "$FRESH_MIRROR" >"$CACHE/debootstrap.log" 2>&1 || {
			tail -n 20 "$CACHE/debootstrap.log" >&2
			die "debootstrap failed (log: $CACHE/debootstrap.log)"
		}
		# what a Debian 12 installer writes: updates and security too
		sec=${FRESH_MIRROR%/debian}/debian-security
		cat >"$CACHE/base.tmp/etc/apt/sources.list" <<-EOF
		deb $FRESH_MIRROR $SUITE main
		deb $FRESH_MIRROR $SUITE-updates main
		deb $sec $SUITE-security main
		EOF
		rm -rf "$CACHE/base.tmp/var/cache/apt/archives/"*.deb
		mv "$CACHE/base.tmp" "$CACHE/base"
		echo "$SUITE minbase from $FRESH_MIRROR, $(date -u +%F)" \
		    >"$CACHE/base.ok"
	fi
	say "base: $(cat "$CACHE/base.ok")"
	say "tree: $(git log -1 --format='%h %s' HEAD)"
	FRESH_IN_NS=1
	export FRESH_IN_NS
	P=0 F=0 S=0 RC=0
	OUT=$(mktemp "${TMPDIR:-/tmp}/fresh-out.XXXXXX")
	trap 'rm -f "$OUT"' EXIT
	for part in $PARTS; do
		say "part $part"
		FRESH_PART=$part
		export FRESH_PART
		# a new mount namespace (mounts private to the run) and PID
		# namespace (this script is its init: everything else dies
		# when it exits).  unshare keeps a signal to itself: one for
		# us goes to the init.
		unshare --mount --propagation private --pid --fork \
		    --kill-child --mount-proc sh "$TOP/$me" >"$OUT" 2>&1 &
		upid=$!
		tail -f --pid="$upid" -n +1 "$OUT" 2>/dev/null &
		tpid=$!
		trap 'stop=1
		for c in $(cat /proc/$upid/task/$upid/children 2>/dev/null); do
			kill -TERM "$c" 2>/dev/null
		done' INT TERM HUP
		while :; do
			rc=0
			wait "$upid" || rc=$?
			kill -0 "$upid" 2>/dev/null || break
		done
		wait "$tpid" 2>/dev/null || :
		[ "$rc" -eq 0 ] || RC=1
		# the part's summary: its last one
		sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT" | tail -n 1)
		# shellcheck disable=SC2046
		set -- $(echo "$sum" | sed -n \
		    's/^\([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p')
		if [ $# -ge 2 ]; then
			P=$((P + $1)) F=$((F + $2)) S=$((S + ${3:-0}))
		else
			F=$((F + 1)) RC=1
		fi
		[ "${stop:-0}" = 1 ] && break
	done
	say "parts: $PARTS"
	echo "$P passed, $F failed, $S skipped"
	[ "$RC" -eq 0 ] && [ "$F" -eq 0 ]
	exit
fi

# ---- inside the namespaces ----
cd "$TOP"
RUNDIR=$(mktemp -d "${FRESH_RUNDIR:-/var/tmp}/bmcwatch-fresh.XXXXXX")
R=$RUNDIR/root
MOUNTS=""
overlay=0

cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	# what the steps left running, by pid (this PID namespace's /proc
	# lists only the run's own processes), then the mounts, last first
	if [ $$ -eq 1 ]; then
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			[ "$p" -ne 1 ] && kill -KILL "$p" 2>/dev/null
		done
	fi
	for m in $MOUNTS; do
		umount -l "$m" 2>/dev/null || true
	done
	if [ "${FRESH_KEEP:-0}" = 1 ]; then
		say "kept $RUNDIR (overlay upper dir: $RUNDIR/upper)"
	elif ! grep -q " $RUNDIR" /proc/self/mounts; then
		rm -rf --one-file-system "$RUNDIR"
	else
		say "$RUNDIR still has mounts; not removed" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# mnt ARGS... TARGET: mount, remembering TARGET for the cleanup
mnt() {
	for _t; do :; done
	mount "$@" || die "mount $* failed"
	MOUNTS="$_t $MOUNTS"
}

mkdir -p "$RUNDIR/upper" "$RUNDIR/work" "$R"
if mount -t overlay overlay -o "lowerdir=$CACHE/base,upperdir=$RUNDIR/upper,workdir=$RUNDIR/work" "$R" 2>/dev/null; then
	MOUNTS="$R"
	overlay=1
else
	say "no overlayfs: copying the base"
	cp -a "$CACHE/base/." "$R/"
fi
mnt -t proc proc "$R/proc"
mnt -t sysfs sysfs "$R/sys"
mnt --rbind /dev "$R/dev"
mount --make-rslave "$R/dev"
# the .debs are kept between runs (a download cache: each run still
# installs everything with dpkg, from nothing)
mkdir -p "$CACHE/archives/partial"
mnt --bind "$CACHE/archives" "$R/var/cache/apt/archives"
cp -L /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
# what the Debian installer writes and debootstrap does not: without it
# "localhost" does not resolve
[ -s "$R/etc/hosts" ] || printf '%s\n' '127.0.0.1	localhost' \
    '::1		localhost ip6-localhost ip6-loopback' \
    'ff02::1		ip6-allnodes' 'ff02::2		ip6-allrouters' >"$R/etc/hosts"

mkdir -p "$R/root/bmcwatch"
git archive --format=tar HEAD | tar -x -C "$R/root/bmcwatch" ||
    die "git archive HEAD | tar failed"
# piuparts' upgrade test: an earlier commit's tree in /root/bmcwatch-old
if [ "$FRESH_PART" = piuparts ]; then
	if git rev-parse --verify -q "$UPGRADE_FROM^{commit}" >/dev/null; then
		mkdir -p "$R/root/bmcwatch-old"
		git archive --format=tar "$UPGRADE_FROM" |
		    tar -x -C "$R/root/bmcwatch-old" ||
		    die "git archive $UPGRADE_FROM | tar failed"
		git log -1 --format='%h (%ad)' --date=short "$UPGRADE_FROM" \
		    >"$R/root/bmcwatch-old/.fresh-commit"
		say "older version: $(cat "$R/root/bmcwatch-old/.fresh-commit")"
	else
		say "no commit $UPGRADE_FROM in this clone: no upgrade test"
	fi
fi
say "root: $R$([ $overlay = 1 ] && echo ' (overlay)')"

# the steps, as root in the chroot with what a root login has
T0=$(date +%s)
failed=""
while IFS= read -r step; do
	t=$(date +%s)
	say "# $step"
	rm -f "$RUNDIR/rc"
	{
		rc=0
		chroot "$R" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
		    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		    /bin/sh -c "cd /root/bmcwatch && $step" </dev/null || rc=$?
		echo "$rc" >"$RUNDIR/rc"
	} 2>&1 | tee "$RUNDIR/step.log" &
	# in the background: a signal's trap runs now, not when it is done
	wait $! || :
	[ -s "$RUNDIR/rc" ] || echo 1 >"$RUNDIR/rc"
	rc=$(cat "$RUNDIR/rc")
	say "'$step' exited $rc after $(($(date +%s) - t)) s"
	if [ "$rc" -ne 0 ]; then
		failed=$step
		break
	fi
done <<EOF
$STEPS
EOF
say "$(($(date +%s) - T0)) s in all"
# the last line: the last step's own summary (make check's, pkg.sh's),
# or one failure for the step that stopped the part before it
final=$(echo "$STEPS" | tail -n 1)
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RUNDIR/step.log" | tail -n 1)
if { [ -n "$failed" ] && [ "$failed" != "$final" ]; } || [ -z "$last" ]; then
	say "stopped at '${failed:-$final}'"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$last"
[ -z "$failed" ]

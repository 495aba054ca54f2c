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
# wait_for SECONDS CMD...: CMD until it succeeds, at most SECONDS
wait_for() {
	_n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

#!/bin/sh
# Install the Debian packages that building and testing bmcwatch need,
# and nothing when they are all present.  Run by `make check`,
# `make demo` and `make bench`.  The guest kernel for the in-band test
# is fetched separately (tests/inband/kernel.sh: apt-get download, never
# installed), and so are the SMIv2 base modules of the MIB tests
# (tests/mib/base-mibs.sh: erlang-snmp, downloaded, never installed).
#
# The list is complete for a minimal Debian 12 (debootstrap
# --variant=minbase: essential packages and apt, so no procps, iproute2,
# python3, file, xxd, bc or xz); `make fresh-check` proves it there.  Add
# the package of every new command a test runs, and run fresh-check.
# Some that the name does not explain: binutils (readelf, for
# tests/inband/static.sh), cpio and busybox-static (the in-band guest's
# initramfs), procps (ps, in 040-cli-contract), python3-cryptography
# (AES for tests/hostile/hostile_bmc.py, 780-daemon-hostile), prometheus
# (promtool, 840), icinga2-bin (icinga2 daemon -C, 841),
# monitoring-plugins-contrib and libipc-run-perl (check_ipmi_sensor, the
# peer of 830 and make bench, and the Perl module it loads, which the
# package only recommends: recommends are not installed here), openssl
# (the test CA and certificates of 850-redfish),
# libjansson-dev and libcurl4-openssl-dev (agent/http/, the Redfish
# client), bsdutils (script(1): the terminal ipmitool sol activate
# needs, in 900-sol), valgrind (callgrind: instructions per sensor per
# sweep in make bench, tests/bench-profile.sh).
set -eu
# build-essential dpkg-dev debhelper lintian: 690-deb-build (the Debian
# packages built and linted; dpkg-buildpackage checks for
# build-essential itself)
PKGS="gcc binutils make pkg-config libc6-dev libssl-dev libsnmp-dev
libcurl4-openssl-dev libjansson-dev openssl openipmi libopenipmi-dev
ipmitool freeipmi-tools
freeipmi-bmc-watchdog
build-essential dpkg-dev debhelper lintian
snmpd snmp qemu-system-x86 busybox-static cpio kmod clang
libfuzzer-14-dev libclang-rt-14-dev python3 iproute2 procps snmptrapd
clang-format cppcheck smitools python3-yaml python3-cryptography
prometheus icinga2-bin monitoring-plugins-contrib libipc-run-perl
bsdutils valgrind strace"

missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $s in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: apt-get install$missing" >&2
	exit 1
fi
# Installing snmpd must not start a system snmpd: the tests run their
# own on loopback.  policy-rc.d refuses service starts during the
# install (only if the machine has none of its own).
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	policy=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
fi
trap '[ -n "$policy" ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"

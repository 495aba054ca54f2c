#!/bin/sh
# The SMIv2 base modules (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF) as text, for
# smilint and snmptranslate.  Debian ships no IETF MIB text (non-free);
# Debian main's erlang-snmp package carries these three, so it is
# downloaded (never installed) and they are extracted into a cache
# directory that later runs reuse:
#
#	tests/mib/base-mibs.sh [DIR]		(default build/mib-base)
#
# DIR then holds SNMPv2-SMI.mib, SNMPv2-TC.mib, SNMPv2-CONF.mib and
# nothing else (so no other module of the package shadows one of ours).
# Exit 0 when they are there, 1 with the reason on stderr otherwise.
set -u

DIR=${1:-build/mib-base}
MODS="SNMPv2-SMI SNMPv2-TC SNMPv2-CONF"
PKG=erlang-snmp

fail() {
	echo "base-mibs.sh: $*" >&2
	exit 1
}

have_all() {
	for m in $MODS; do
		[ -s "$DIR/$m.mib" ] || return 1
	done
	return 0
}

have_all && exit 0

command -v apt-get >/dev/null 2>&1 || fail "apt-get not found (not Debian?)"
command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb not found"
mkdir -p "$DIR" || fail "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
DL=$DIR/dl
rm -rf "$DL"
mkdir -p "$DL" || fail "cannot create $DL"

# apt-get download writes into the current directory.
download() {
	(cd "$DL" && apt-get download "$PKG") >"$DIR/download.log" 2>&1
}
# A machine whose package lists were never fetched knows no erlang-snmp:
# as root, fetch them once and try again.
if ! download && ! { [ "$(id -u)" -eq 0 ] &&
    apt-get update -qq >>"$DIR/download.log" 2>&1 && download; }; then
	fail "apt-get download $PKG failed (is Debian's package mirror" \
	    "reachable, and were the package lists fetched with apt-get" \
	    "update?): $(tail -n 1 "$DIR/download.log")"
fi
DEB=$(ls "$DL"/*.deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || fail "apt-get download $PKG produced no .deb"
rm -rf "$DL/root"
dpkg-deb -x "$DEB" "$DL/root" || fail "dpkg-deb -x $DEB failed"
for m in $MODS; do
	f=$(find "$DL/root" -name "$m.mib" | head -n 1)
	[ -n "$f" ] || fail "$DEB has no $m.mib"
	cp "$f" "$DIR/$m.mib.tmp" && mv "$DIR/$m.mib.tmp" "$DIR/$m.mib" ||
	    fail "cannot copy $f to $DIR"
done
rm -rf "$DL"
have_all || fail "$DIR is incomplete after extracting $DEB"
exit 0

#!/bin/sh
# Fetch the Debian kernel image package (without installing it) and expose
# vmlinuz and the IPMI modules, uncompressed, in a cache directory:
#
#	tests/inband/kernel.sh [DIR]		(default build/inband/kernel)
#
# Output layout, reused when already present:
#	DIR/vmlinuz
#	DIR/modules/{ipmi_msghandler,ipmi_devintf,ipmi_si,ipmi_watchdog}.ko
#	DIR/version			(kernel release string)
# Exit 0 on success; 77 with the reason on stderr when it cannot be done
# (no apt, no network, package not found).
set -u

DIR=${1:-build/inband/kernel}
MODS="ipmi_msghandler ipmi_devintf ipmi_si ipmi_watchdog"

skip() {
	echo "kernel.sh: $*" >&2
	exit 77
}

cache_complete() {
	[ -s "$DIR/vmlinuz" ] || return 1
	for m in $MODS; do
		[ -s "$DIR/modules/$m.ko" ] || return 1
	done
	return 0
}

if cache_complete; then
	exit 0
fi

command -v apt-cache >/dev/null 2>&1 || skip "apt-cache not found (not Debian?)"
command -v apt-get >/dev/null 2>&1 || skip "apt-get not found"
command -v dpkg-deb >/dev/null 2>&1 || skip "dpkg-deb not found"

# linux-image-amd64 is a metapackage: download what it depends on.
PKG=${INBAND_KERNEL_PKG:-$(apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)}
[ -n "$PKG" ] || skip "cannot resolve linux-image-amd64 with apt-cache depends" \
    "(run apt-get update?)"

mkdir -p "$DIR" || skip "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
DL="$DIR/dl"
rm -rf "$DL" "$DIR/root"
mkdir -p "$DL" "$DIR/modules"

# apt-get download writes into the current directory; it must not run as
# the _apt sandbox user in a directory that user cannot write, so it is
# run in our own directory.
if ! (cd "$DL" && apt-get download "$PKG" >"$DIR/download.log" 2>&1); then
	skip "apt-get download $PKG failed: $(tail -n 1 "$DIR/download.log")"
fi
DEB=$(ls "$DL"/*.deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || skip "apt-get download $PKG produced no .deb"

dpkg-deb -x "$DEB" "$DIR/root" || skip "dpkg-deb -x $DEB failed"

VMLINUZ=$(ls "$DIR"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$VMLINUZ" ] || skip "$DEB contains no /boot/vmlinuz-*"
KVER=${VMLINUZ##*/vmlinuz-}

for m in $MODS; do
	f=$(find "$DIR/root/lib/modules/$KVER" -name "$m.ko*" | head -n 1)
	[ -n "$f" ] || skip "$DEB contains no module $m"
	case $f in
	*.ko)	cp "$f" "$DIR/modules/$m.ko" ;;
	*.ko.xz)
		command -v xz >/dev/null 2>&1 ||
		    skip "$f needs xz (apt-get install xz-utils)"
		xz -dc "$f" >"$DIR/modules/$m.ko" ||
		    skip "cannot decompress $f" ;;
	*.ko.zst)
		command -v zstd >/dev/null 2>&1 ||
		    skip "$f needs zstd (apt-get install zstd)"
		zstd -dc "$f" >"$DIR/modules/$m.ko" ||
		    skip "cannot decompress $f" ;;
	*.ko.gz)
		gzip -dc "$f" >"$DIR/modules/$m.ko" ||
		    skip "cannot decompress $f" ;;
	*)	skip "unexpected module file $f" ;;
	esac
done

# vmlinuz last: its presence marks a complete cache
cp "$VMLINUZ" "$DIR/vmlinuz.tmp" && mv "$DIR/vmlinuz.tmp" "$DIR/vmlinuz"
echo "$KVER" >"$DIR/version"
rm -rf "$DIR/root" "$DL"
cache_complete || skip "incomplete kernel cache in $DIR"
exit 0

#!/bin/sh
# Build a gzip'd newc initramfs that runs one test script against
# /dev/ipmi0 and powers the guest off:
#
#	tests/inband/mkinitrd.sh [-k KERNELDIR] [-n] -s SCRIPT OUT.cpio.gz [BINARY...]
#
# KERNELDIR is what kernel.sh made (default build/inband/kernel); its
# modules are loaded with insmod in dependency order.  Each BINARY (static,
# it runs with no libc in the guest) is copied to /bin.  SCRIPT is a sh
# script embedded as /test.sh; /init runs it with busybox sh and prints
#	INBAND-BEGIN
#	...whatever the script prints (stdout and stderr)...
#	INBAND-END rc=N
# on the console (ttyS0), then powers off.  If /dev/ipmi0 does not appear
# within about 30 s, it prints "INBAND-NODEV" and still runs the script.
# -n: a guest without IPMI (the Serial over LAN tests): no modules are
# loaded or needed, nothing waits for /dev/ipmi0.
set -eu

KDIR=build/inband/kernel
SCRIPT=
NOIPMI=
while getopts k:ns: opt; do
	case $opt in
	k)	KDIR=$OPTARG ;;
	n)	NOIPMI=1 ;;
	s)	SCRIPT=$OPTARG ;;
	*)	echo "usage: $0 [-k KERNELDIR] [-n] -s SCRIPT OUT.cpio.gz [BINARY...]" >&2
		exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ] || [ -z "$SCRIPT" ]; then
	echo "usage: $0 [-k KERNELDIR] [-n] -s SCRIPT OUT.cpio.gz [BINARY...]" >&2
	exit 2
fi
OUT=$1
shift

STATIC=$(dirname "$0")/static.sh
BUSYBOX=
why=""
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] || continue
	# static.sh says why not (dynamic: the busybox package, not -static)
	if why=$(sh "$STATIC" "$b" 2>&1); then
		BUSYBOX=$b
		break
	fi
done
if [ -z "$BUSYBOX" ]; then
	echo "mkinitrd.sh: no static busybox${why:+ ($why)}" \
	    "(apt-get install busybox-static)" >&2
	exit 77
fi
command -v cpio >/dev/null 2>&1 || {
	echo "mkinitrd.sh: cpio not found (apt-get install cpio)" >&2
	exit 77
}

MODS="ipmi_msghandler ipmi_devintf ipmi_si ipmi_watchdog"
[ -n "$NOIPMI" ] && MODS=
for m in $MODS; do
	[ -s "$KDIR/modules/$m.ko" ] || {
		echo "mkinitrd.sh: $KDIR/modules/$m.ko missing (run kernel.sh)" >&2
		exit 77
	}
done

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/inband-initrd.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT INT TERM

mkdir -p "$STAGE/bin" "$STAGE/lib/modules" "$STAGE/dev" "$STAGE/proc" \
    "$STAGE/sys" "$STAGE/tmp" "$STAGE/etc"
cp "$BUSYBOX" "$STAGE/bin/busybox"
for a in sh mount umount insmod mkdir cat echo sleep ls dmesg poweroff \
    sync grep sed head tail od hexdump xxd test [ printf timeout uname \
    cut tr wc; do
	ln -s busybox "$STAGE/bin/$a"
done
# ipmi_watchdog is copied but loaded by tests that want it
for m in $MODS; do
	cp "$KDIR/modules/$m.ko" "$STAGE/lib/modules/"
done
for b in "$@"; do
	if ! why=$(sh "$STATIC" "$b" 2>&1); then
		echo "mkinitrd.sh: not a static program: $why" >&2
		exit 1
	fi
	cp "$b" "$STAGE/bin/"
done
cp "$SCRIPT" "$STAGE/test.sh"
[ -n "$NOIPMI" ] && : >"$STAGE/noipmi"

cat >"$STAGE/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
echo "INBAND-BOOTED $(uname -r)"
[ -e /noipmi ] || for m in ipmi_msghandler ipmi_devintf ipmi_si; do
	insmod /lib/modules/$m.ko || echo "INBAND-INSMOD-FAILED $m"
done
i=0
[ -e /noipmi ] && i=300
while [ ! -c /dev/ipmi0 ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -c /dev/ipmi0 ] || [ -e /noipmi ] ||
    { echo "INBAND-NODEV"; dmesg | grep -i ipmi; }
echo "INBAND-BEGIN"
cd /tmp
sh /test.sh
rc=$?
echo "INBAND-END rc=$rc"
sync
poweroff -f
echo o >/proc/sysrq-trigger
INIT
chmod 755 "$STAGE/init" "$STAGE/test.sh"

mkdir -p "$(dirname "$OUT")"
(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    gzip -9 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"

#!/bin/sh
# The packages under a real systemd, on a machine with a BMC: run by
# tests/fresh/run.sh (make fresh-check, part "systemd") as root in a
# fresh minimal Debian 12 root, in the tree's top directory; never by
# make check.
#
#	FRESH_PARTS=systemd make fresh-check	(this part alone)
#
# Why a QEMU guest: systemd must be PID 1 with its own cgroups (the
# unit's sandbox is what is tested), and the postinst's "a BMC here:
# enable and start" path needs /dev/ipmi0 from the real ipmi_si driver.
# This machine has neither (no /dev/kvm either: TCG).  So:
#   1. here: the packages built after apt-get build-dep ./ (as pkg.sh);
#   2. a second minimal Debian 12 (debootstrap, the run's .deb cache)
#      with systemd, udev, the Debian kernel, snmpd, ipmitool, openipmi
#      and the packages' dependencies downloaded (the guest has no
#      network: apt installs from its cache), as an ext4 image;
#   3. ipmi_sim here (tests/sim/lib.sh) with its system-interface port,
#      QEMU's ipmi-bmc-extern + isa-ipmi-kcs wired to it: the guest's
#      ipmi_si finds the KCS, /dev/ipmi0 is the simulator;
#   4. the guest boots systemd, which runs tests/fresh/systemd-guest.sh
#      (its checks: see there) and powers off; its lines come back on
#      the second serial port and are this part's own.
# Logs: /root/systemdtest (console.log: the guest's console).
set -u

TOP=$(pwd)
W=/root/systemdtest
G=$W/guest
. "$TOP/tests/fresh/lib.sh"
GMOUNTS=""
QEMU_PID=
finish() {
	[ -n "$QEMU_PID" ] && kill -KILL "$QEMU_PID" 2>/dev/null
	[ -n "${SIM_PID:-}" ] && sim_stop
	gumount
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
}
die() { nok "$*"; finish; }
# the guest root's kernel file systems and cache, for its chroot
gmount() {
	for _m in proc sys dev; do
		mkdir -p "$G/$_m"
	done
	mount -t proc proc "$G/proc" && GMOUNTS="$G/proc $GMOUNTS"
	mount -t sysfs sysfs "$G/sys" && GMOUNTS="$G/sys $GMOUNTS"
	mount --rbind /dev "$G/dev" && mount --make-rslave "$G/dev" &&
	    GMOUNTS="$G/dev $GMOUNTS"
	mount --bind /var/cache/apt/archives "$G/var/cache/apt/archives" &&
	    GMOUNTS="$G/var/cache/apt/archives $GMOUNTS"
}
gumount() {
	for _m in $GMOUNTS; do
		umount -l "$_m" 2>/dev/null
	done
	GMOUNTS=""
}
gchroot() {
	chroot "$G" /usr/bin/env -i HOME=/root DEBIAN_FRONTEND=noninteractive \
	    PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
t0=$(date +%s)
elapsed() { echo "# $1: $(($(date +%s) - t0)) s"; }

rm -rf "$W"
mkdir -p "$W"

# ---- the packages ----------------------------------------------------------
fresh_build "$W/src" || finish
fresh_repack "$W/src" "$V+fresh1" || finish
elapsed "packages built"

# ---- the tools of this side --------------------------------------------------
# (libopenipmi-dev: tests/sim/wdt_plugin.c, the sim's spec-conforming
# watchdog, built with the compiler build-dep brought)
apt_q --no-install-recommends install qemu-system-x86 openipmi ipmitool \
    libopenipmi-dev python3 debootstrap e2fsprogs >"$W/tools.log" 2>&1 || {
	tail -n 20 "$W/tools.log" | sed 's/^/#   /'
	die "apt-get install qemu-system-x86 openipmi libopenipmi-dev ipmitool python3 debootstrap"
}

# ---- the guest's root ----------------------------------------------------------
MIRROR=$(sed -n 's,^deb \(http[^ ]*\) bookworm main.*,\1,p' \
    /etc/apt/sources.list | head -n 1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
debootstrap --variant=minbase --cache-dir=/var/cache/apt/archives \
    bookworm "$G" "$MIRROR" >"$W/debootstrap.log" 2>&1 || {
	tail -n 20 "$W/debootstrap.log" | sed 's/^/#   /'
	die "debootstrap of the guest"
}
cp /etc/apt/sources.list "$G/etc/apt/sources.list"
# no daemon started in this chroot (snmpd's postinst would)
printf '#!/bin/sh\nexit 101\n' >"$G/usr/sbin/policy-rc.d"
chmod 755 "$G/usr/sbin/policy-rc.d"
gmount
# a small initramfs: the root's disk and file system (listed below, once
# initramfs-tools is there), nothing guessed (MODULES=most packs every
# driver: minutes of gzip on a loaded machine)
mkdir -p "$G/etc/initramfs-tools/conf.d"
echo MODULES=list >"$G/etc/initramfs-tools/conf.d/fresh-check.conf"
# what a small server with a BMC has, and the peers the checks use
# (ipmitool in-band, ipmi_sim for the SOL target, snmpd and snmpwalk,
# man-db for systemd-analyze verify's Documentation= check)
{ gchroot apt-get -y -q update &&
  gchroot apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends install \
    systemd-sysv udev kmod linux-image-amd64 initramfs-tools e2fsprogs \
    ipmitool openipmi snmpd snmp python3 procps man-db; } >"$W/guest-apt.log" 2>&1 || {
	tail -n 20 "$W/guest-apt.log" | sed 's/^/#   /'
	die "the guest's packages"
}
printf '%s\n' virtio_pci virtio_blk ext4 >>"$G/etc/initramfs-tools/modules"
gchroot update-initramfs -u >>"$W/guest-apt.log" 2>&1 ||
    die "update-initramfs in the guest"
# the packages' own dependencies: in the guest's cache, not installed
umount "$G/var/cache/apt/archives" &&
    GMOUNTS=$(echo "$GMOUNTS" | sed "s,$G/var/cache/apt/archives,,")
mkdir -p "$G/root/fresh/debs"
cp "$W"/src/*.deb "$G/root/fresh/debs/"
rm -f "$G"/root/fresh/debs/*-dbgsym_*
mkdir -p "$G/root/fresh/debs/v2"
cp "$W"/src/v2/*.deb "$G/root/fresh/debs/v2/"
gchroot sh -c 'cd /root/fresh/debs && apt-get -y -q --no-install-recommends \
    install --download-only ./*.deb' >"$W/guest-dl.log" 2>&1 || {
	tail -n 20 "$W/guest-dl.log" | sed 's/^/#   /'
	die "downloading the packages' dependencies for the guest"
}
gumount
rm -f "$G/usr/sbin/policy-rc.d"

# the machine: its name, its root, no login prompt, no timers, and
# the checks run once the boot is done (a Type=simple service: the boot
# completes while it runs, and it waits for that)
echo bmcwatch-guest >"$G/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tbmcwatch-guest\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
    >"$G/etc/hosts"
echo '/dev/vda / ext4 errors=remount-ro 0 1' >"$G/etc/fstab"
for u in serial-getty@ttyS0.service getty@tty1.service apt-daily.timer \
    apt-daily-upgrade.timer man-db.timer e2scrub_all.timer fstrim.timer \
    e2scrub_reap.service; do
	ln -sf /dev/null "$G/etc/systemd/system/$u"
done
cp "$TOP/tests/fresh/systemd-guest.sh" "$TOP/tests/fresh/systemd-guest-end.sh" \
    "$TOP/tests/fresh/lib.sh" "$TOP/tests/fresh/pkgcheck.sh" "$G/root/fresh/"
mkdir -p "$G/root/fresh/tests"
cp -a "$TOP/tests/sim" "$G/root/fresh/tests/"
cat >"$G/etc/systemd/system/bmcwatch-fresh.service" <<'EOF'
[Unit]
Description=bmcwatch fresh-check, part systemd (tests/fresh/systemd-guest.sh)

[Service]
Type=simple
ExecStart=/bin/sh /root/fresh/systemd-guest.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/bmcwatch-fresh.service \
    "$G/etc/systemd/system/multi-user.target.wants/bmcwatch-fresh.service"
KERNEL=$(ls "$G"/boot/vmlinuz-* | head -n 1)
INITRD=$(ls "$G"/boot/initrd.img-* | head -n 1)
[ -f "$KERNEL" ] && [ -f "$INITRD" ] || die "no kernel or initrd in the guest"
cp "$KERNEL" "$W/vmlinuz"
cp "$INITRD" "$W/initrd.img"
mkfs.ext4 -q -F -L root -d "$G" "$W/guest.img" 4G >"$W/mkfs.log" 2>&1 || {
	sed 's/^/#   /' "$W/mkfs.log"
	die "mkfs.ext4 -d of the guest's root"
}
ok "the guest: Debian 12 with systemd, udev, ${KERNEL##*/}"
rm -rf "$G"
elapsed "guest image made"

# ---- the BMC and the machine -------------------------------------------------
# the sim with a spec-conforming watchdog (tests/sim/wdt_plugin.c): the
# stock one fires one timeout after its first arming, however often it
# is reset (see systemd-guest.sh); its actions reach QEMU, the
# system-interface peer, and chassis.sh (chassis.log)
SIM_DIR=$TOP/tests/sim
. "$SIM_DIR/lib.sh"
. "$SIM_DIR/wdt_plugin.sh"
wdt_sim_dir "$W/sim" 2>"$W/plugin.err" ||
    die "the sim's watchdog plugin: $(cat "$W/plugin.err")"
SIM_DIR=$W/sim
SIM_VMPORT=auto
sim_start || die "ipmi_sim did not start"
: >"$W/guest.out"
# no -no-reboot: the watchdog's hard reset boots the guest again, and
# the guest's checks go on in that boot (systemd-guest.sh); a panic
# reboots it too (panic=-1), and a second boot not after the reset is a
# failure it reports.  no_timer_check: on a starved host the kernel's
# early IO-APIC timer check fails and panics ("IO-APIC + timer doesn't
# work!", met here by a TCG guest under load 31); the timer itself works.
# Not niced: the BMC's 20 s countdown runs on this host's clock, and a
# nice 19 QEMU gets about 1.5 % of a core beside one busy nice 0 process
# (CFS weights 15 vs 1024), so a healthy guest could miss its kicks and
# be reset; the guest's kernel starved that way is what panicked before
qemu-system-x86_64 -machine pc -accel tcg -cpu max -m 1024 \
    -smp 2 -nodefaults -display none -nic none \
    -kernel "$W/vmlinuz" -initrd "$W/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 quiet panic=-1 no_timer_check net.ifnames=0 systemd.show_status=false" \
    -drive "file=$W/guest.img,format=raw,if=virtio" \
    -serial "file:$W/console.log" -serial "file:$W/guest.out" \
    -chardev "socket,id=ipmi0,host=127.0.0.1,port=$SIM_VMPORT,reconnect=10" \
    -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 \
    -device isa-ipmi-kcs,bmc=bmc0,irq=5 >"$W/qemu.log" 2>&1 &
QEMU_PID=$!
# the guest ends with its summary line, then powers off (bounded: TCG
# on a loaded machine is slow, two boots and three apt runs: 45 minutes
# is a hang)
i=0
while kill -0 "$QEMU_PID" 2>/dev/null && [ "$i" -lt 2700 ]; do
	grep -qE '^[0-9]+ passed, [0-9]+ failed' "$W/guest.out" && break
	i=$((i + 1))
	sleep 1
done
tr -d '\r' <"$W/guest.out" >"$W/guest.txt"
# the guest's lines are this part's
while IFS= read -r l; do
	case $l in
	"ok - "*)	ok "guest: ${l#ok - }" ;;
	"not ok - "*)	nok "guest: ${l#not ok - }" ;;
	[0-9]*" passed, "*) ;;
	*)		echo "$l" ;;
	esac
done <"$W/guest.txt"
grep -qE '^[0-9]+ passed, [0-9]+ failed' "$W/guest.txt" ||
    { nok "the guest never finished (see $W/console.log)"
      tail -n 30 "$W/console.log" | tr -d '\r' | sed 's/^/#   /'; }
# it powers itself off; bounded
i=0
while kill -0 "$QEMU_PID" 2>/dev/null && [ "$i" -lt 120 ]; do
	i=$((i + 1))
	sleep 1
done
kill -0 "$QEMU_PID" 2>/dev/null && nok "the guest did not power off"
# the hard reset, as the sim performed it (the plugin: chassis.sh)
n=$(grep -c '^set reset 1$' "$SIM_RUNDIR/chassis.log" 2>/dev/null)
[ "${n:-0}" = 1 ] &&
    ok "the sim's watchdog performed one hard reset (chassis.log: set reset 1)" ||
    nok "the sim's chassis.log has ${n:-0} hard resets, not 1"
elapsed "guest done"
finish

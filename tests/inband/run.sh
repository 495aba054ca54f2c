#!/bin/sh
# Boot an initramfs made by mkinitrd.sh in QEMU, with an emulated KCS
# interface wired to a running ipmi_sim's system-interface port:
#
#	SIM_VMPORT=PORT tests/inband/run.sh [-k KERNELDIR] [-t SECONDS] \
#	    [-o CONSOLE.LOG] INITRD
#
# SIM_VMPORT is the port of the sim's `serial 15 127.0.0.1 PORT codec VM`
# line (tests/sim/lib.sh exports it); SIM_VMPORT=qemu uses QEMU's built-in
# ipmi-bmc-sim instead.  The whole console goes to CONSOLE.LOG (default
# build/inband/console.log); the guest's output between INBAND-BEGIN and
# INBAND-END is printed on stdout.
#
# Exit status: the test script's rc from "INBAND-END rc=N"; 1 if the guest
# never got there (boot failure, timeout: the reason is on stderr); 77 if
# it cannot run here (no QEMU, no kernel), with the reason on stderr.
# INBAND_ACCEL=kvm tries KVM; the default is TCG, because /dev/kvm on the
# CI machines is a paravirtual KVM that does not boot a stock kernel.
set -u

KDIR=build/inband/kernel
TMO=120
LOG=build/inband/console.log
while getopts k:t:o: opt; do
	case $opt in
	k)	KDIR=$OPTARG ;;
	t)	TMO=$OPTARG ;;
	o)	LOG=$OPTARG ;;
	*)	echo "usage: $0 [-k KERNELDIR] [-t SECONDS] [-o LOG] INITRD" >&2
		exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || {
	echo "usage: $0 [-k KERNELDIR] [-t SECONDS] [-o LOG] INITRD" >&2
	exit 2
}
INITRD=$1

skip() {
	echo "run.sh: skipped: $*" >&2
	exit 77
}

QEMU=${QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null 2>&1 ||
    skip "$QEMU not found (apt-get install qemu-system-x86)"
command -v timeout >/dev/null 2>&1 || skip "timeout(1) not found"
[ -s "$KDIR/vmlinuz" ] || skip "no kernel in $KDIR (tests/inband/kernel.sh failed?)"
[ -s "$INITRD" ] || { echo "run.sh: $INITRD missing" >&2; exit 1; }

case ${SIM_VMPORT:-} in
"")	skip "SIM_VMPORT not set (start ipmi_sim with a VM serial port)" ;;
qemu)	BMC="-device ipmi-bmc-sim,id=bmc0" ;;
*[!0-9]*) echo "run.sh: bad SIM_VMPORT '$SIM_VMPORT'" >&2; exit 2 ;;
*)	BMC="-chardev socket,id=ipmi0,host=127.0.0.1,port=$SIM_VMPORT,reconnect=10
	    -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0" ;;
esac

case ${INBAND_ACCEL:-tcg} in
kvm)	ACCEL="-accel kvm -cpu host" ;;
*)	ACCEL="-accel tcg -cpu max" ;;
esac

mkdir -p "$(dirname "$LOG")"
: >"$LOG"
# shellcheck disable=SC2086
timeout -k 5 "$TMO" "$QEMU" -machine pc $ACCEL -m 256 -smp 1 \
    -nodefaults -display none -serial stdio -no-reboot \
    -kernel "$KDIR/vmlinuz" -initrd "$INITRD" \
    -append "console=ttyS0 no_timer_check panic=-1 quiet" \
    $BMC -device isa-ipmi-kcs,bmc=bmc0,irq=5 \
    </dev/null >"$LOG" 2>&1
qrc=$?

# the console has CRLF line ends
tr -d '\r' <"$LOG" >"$LOG.txt"
mv "$LOG.txt" "$LOG"

sed -n '/^INBAND-BEGIN$/,/^INBAND-END rc=/{
	/^INBAND-BEGIN$/d
	/^INBAND-END rc=/d
	p
}' "$LOG"

if grep -q '^INBAND-NODEV' "$LOG"; then
	echo "run.sh: /dev/ipmi0 did not appear in the guest (see $LOG)" >&2
	if grep -q 'Unable to connect character device' "$LOG"; then
		echo "run.sh: QEMU could not connect to the sim on" \
		    "127.0.0.1:$SIM_VMPORT (is ipmi_sim running with a" \
		    "'serial 15 ... codec VM' line?)" >&2
	fi
fi
rc=$(sed -n 's/^INBAND-END rc=\([0-9]*\).*/\1/p' "$LOG" | tail -n 1)
if [ -n "$rc" ]; then
	exit "$rc"
fi
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "run.sh: guest timed out after ${TMO}s (see $LOG)" >&2
elif grep -q '^INBAND-BOOTED' "$LOG"; then
	echo "run.sh: guest test did not finish, qemu rc=$qrc (see $LOG)" >&2
else
	echo "run.sh: guest did not reach /init, qemu rc=$qrc:" >&2
	tail -n 5 "$LOG" >&2
fi
exit 1

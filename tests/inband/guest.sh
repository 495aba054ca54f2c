# Sourced by every test that boots a QEMU guest: tests/inband/test-*.sh
# (from the repository root) and tests/integration/150-*, 530-*, 910-*,
# 940-* (after lib.sh).
#
#   inband_prepare DIR    QEMU, the guest kernel (kernel.sh, cached in
#                         build/inband/kernel) and a static bmcwatch, or
#                         INBAND_BMCWATCH=FILE; sets BW.  Returns 0; 77 if
#                         a guest cannot run here; 1 if the static build
#                         failed.  The reason is on stderr; logs in DIR.
#   inband_require DIR SKIP FAIL   inband_prepare, or the test's own SKIP
#                         (exits 77) or FAIL function with the reason,
#                         then exit 1
#   section NAME [FILE]   the guest's lines after "@@ NAME", up to the
#                         next "@@ " line (FILE: default $OUT/guest.out)
#   secrc NAME [FILE]     the status of section NAME ("@@ rc N")
#   add_dyn INITRD BIN... add dynamically linked programs and the shared
#                         libraries they need (ldd) to an initramfs
#                         (absolute paths)
#   FBW                   FreeIPMI's bmc-watchdog, if installed
#                         (freeipmi-bmc-watchdog): in-band only, so the
#                         tests take it into their guests
#
# The in-band tests (tests/inband/test-*.sh: OUT their directory, ok,
# notok and skip their own):
#   inband_sim            ipmi_sim with a VM serial port for the guest's
#                         KCS (SIM_VMPORT=auto; tried twice: a port
#                         taken meanwhile); sim_stop on exit (trap)
#   inband_boot INITRD SECONDS   run.sh in the background (RUNPID), the
#                         console in $OUT/console.log (LOG)
#   inband_waitfor PATTERN TENTHS   0 once PATTERN is in the console;
#                         1 at the bound or when the guest is gone
#   inband_first PATTERN TENTHS WHAT   inband_waitfor, or the guest's
#                         end: skip (run.sh's 77) or notok with its reason
#                         and the console's tail, then exit 1
#   inband_end            wait for the guest; notok unless it ended well
#
# A guest on ipmi_sim's SOL (tests/integration/9xx, after lib.sh; the
# guest has no IPMI):
#   solguest_start DIR SCRIPT [KARGS [reboot]]   QEMU booting the guest
#                         kernel with an initramfs that runs SCRIPT
#                         (mkinitrd.sh -n) on ttyS0, held (-S): its
#                         serial port a TCP server on a free port
#                         (SERIAL, SIM_SOL for sim_start) logging every
#                         byte the guest writes to DIR/serial.log (QEMU's
#                         own capture), QMP on DIR/qmp.sock; sets
#                         QEMU_PID.  KARGS end the kernel command line
#                         (default "panic=-1": a panic ends QEMU, with
#                         -no-reboot unless "reboot" is given).  Returns
#                         0; 77 with the reason on stderr; 1 (see
#                         DIR/mkinitrd.log)
#   solguest_qmp CMD [ARGS]   a QMP command (tests/sol/qmp.py)
#   solguest_listening    QEMU listens on SERIAL (read from /proc/net/tcp,
#                         not by connecting: it takes one client)
#   solguest_connected    the guest's serial port has a client (the sim)
#   solguest_gone         QEMU has exited (reaped)
#   solguest_stop         QMP quit, SIGKILL after 5 s; nothing if gone

inband_prepare() {
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		echo "qemu-system-x86_64 not found (apt-get install" \
		    "qemu-system-x86)" >&2
		return 77
	fi
	if ! sh tests/inband/kernel.sh build/inband/kernel \
	    2>"$1/kernel.err"; then
		echo "no guest kernel: $(cat "$1/kernel.err")" >&2
		return 77
	fi
	BW=${INBAND_BMCWATCH:-build/static/bmcwatch}
	[ -n "${INBAND_BMCWATCH:-}" ] && return 0
	case $(${CC:-cc} -print-file-name=libcrypto.a) in
	/*)	;;
	*)	echo "no static libcrypto.a for a static bmcwatch" \
		    "(apt-get install libssl-dev)" >&2
		return 77 ;;
	esac
	make -s BUILD=build/static LDFLAGS=-static NO_CURL=1 build/static/bmcwatch \
	    >"$1/static-build.log" 2>&1 && return 0
	echo "static build (make BUILD=build/static LDFLAGS=-static NO_CURL=1):" \
	    "see $1/static-build.log" >&2
	grep -v 'statically linked applications requires' \
	    "$1/static-build.log" | tail -n 20 | sed 's/^/# /' >&2
	return 1
}

inband_require() {
	inband_prepare "$1" 2>"$1/prepare.err"
	case $? in
	0)	return 0 ;;
	77)	"$2" "$(cat "$1/prepare.err")" ;;
	*)	"$3" "$(head -n 1 "$1/prepare.err")"
		tail -n +2 "$1/prepare.err"
		exit 1 ;;
	esac
}

section() {
	tr -d '\r' <"${2:-$OUT/guest.out}" | awk -v n="$1" '
	    $0 == "@@ " n { on = 1; next }
	    /^@@ / { if (on) exit }
	    on { print }'
}

secrc() {
	tr -d '\r' <"${2:-$OUT/guest.out}" | awk -v n="$1" '
	    $0 == "@@ " n { on = 1; next }
	    /^@@ rc / { if (on) { print $3; exit } }'
}

add_dyn() {
	_in=$1
	shift
	_st=$(mktemp -d "${TMPDIR:-/tmp}/initrd.XXXXXX") || return 1
	(
		set -e
		cd "$_st"
		gzip -dc "$_in" | cpio -id --quiet
		for _b; do
			cp "$_b" bin/
			for _l in $(ldd "$_b" |
			    awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
				mkdir -p ".$(dirname "$_l")"
				cp -L "$_l" ".$_l"
			done
		done
		find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet |
		    gzip -1 >"$_in.tmp"
	) && mv "$_in.tmp" "$_in"
	_rc=$?
	rm -rf "$_st" "$_in.tmp"
	return $_rc
}

FBW=$(command -v bmc-watchdog || ls /usr/sbin/bmc-watchdog 2>/dev/null)

# ---- the in-band tests ---------------------------------------------------

inband_sim() {
	. "${SIM_DIR:-tests/sim}/lib.sh" || return 1
	SIM_VMPORT=auto
	sim_start && return 0
	# shellcheck disable=SC2034 # read by sim_start
	SIM_VMPORT=auto
	sim_start
}

RUNPID=
inband_cleanup() {
	# run.sh's own timeout ends the guest: wait for it, bounded by -t
	[ -n "$RUNPID" ] && wait "$RUNPID" 2>/dev/null
	sim_stop
}

inband_boot() {
	LOG=$OUT/console.log
	: >"$LOG"
	sh tests/inband/run.sh -k build/inband/kernel -t "$2" -o "$LOG" \
	    "$1" >"$OUT/guest.out" 2>"$OUT/run.err" &
	RUNPID=$!
}

inband_waitfor() {
	_iw=0
	while [ "$_iw" -lt "$2" ]; do
		tr -d '\r' <"$LOG" 2>/dev/null | grep -q "$1" && return 0
		kill -0 "$RUNPID" 2>/dev/null || return 1
		_iw=$((_iw + 1))
		sleep 0.1
	done
	return 1
}

inband_first() {
	inband_waitfor "$1" "$2" && return 0
	wait "$RUNPID"
	_ir=$?
	RUNPID=
	[ $_ir -eq 77 ] && skip "$(cat "$OUT/run.err")"
	notok "$3 (rc $_ir): $(cat "$OUT/run.err")"
	tr -d '\r' <"$LOG" | tail -n 20 | sed 's/^/# /'
	exit 1
}

inband_end() {
	wait "$RUNPID"
	_ir=$?
	RUNPID=
	[ $_ir -eq 0 ] || notok "guest finished (rc $_ir): $(cat "$OUT/run.err")"
}

# ---- a guest on ipmi_sim's SOL ------------------------------------------

QEMU_PID=
SOLG_DIR=

solguest_start() {
	SOLG_DIR=$1
	_sg_top=${TOP:-.}
	command -v qemu-system-x86_64 >/dev/null 2>&1 || {
		echo "qemu-system-x86_64 not found (apt-get install" \
		    "qemu-system-x86)" >&2
		return 77
	}
	sh "$_sg_top/tests/inband/kernel.sh" "$_sg_top/build/inband/kernel" \
	    2>"$1/kernel.err" || {
		echo "no guest kernel: $(cat "$1/kernel.err")" >&2
		return 77
	}
	sh "$_sg_top/tests/inband/mkinitrd.sh" -k "$_sg_top/build/inband/kernel" \
	    -n -s "$2" "$1/initrd.gz" >"$1/mkinitrd.log" 2>&1
	case $? in
	0)	;;
	77)	cat "$1/mkinitrd.log" >&2; return 77 ;;
	*)	echo "mkinitrd.sh -n failed: see $1/mkinitrd.log" >&2
		return 1 ;;
	esac
	_sg_nr=-no-reboot
	[ "${4:-}" = reboot ] && _sg_nr=
	SERIAL=$(_sim_freeports tcp)
	# shellcheck disable=SC2034 # read by sim_start
	SIM_SOL="tcp:127.0.0.1:$SERIAL"
	# no_timer_check: under TCG on a loaded host the kernel's check of
	# the IO-APIC timer can fail and panic the boot (seen at load 28)
	# shellcheck disable=SC2086 # _sg_nr: nothing or one word
	qemu-system-x86_64 -machine pc -accel tcg -cpu max -m 256 -smp 1 \
	    -nodefaults -display none $_sg_nr -S \
	    -kernel "$_sg_top/build/inband/kernel/vmlinuz" \
	    -initrd "$1/initrd.gz" -append "console=ttyS0 no_timer_check ${3:-panic=-1}" \
	    -chardev "socket,id=ser0,host=127.0.0.1,port=$SERIAL,server=on,wait=off,logfile=$1/serial.log" \
	    -serial chardev:ser0 -qmp "unix:$1/qmp.sock,server=on,wait=off" \
	    >"$1/qemu.out" 2>&1 &
	QEMU_PID=$!
	return 0
}

solguest_qmp() {
	python3 "${TOP:-.}/tests/sol/qmp.py" "$SOLG_DIR/qmp.sock" "$@"
}

solguest_listening() {
	python3 - "$SERIAL" <<'PY'
import sys
want = "0100007F:%04X" % int(sys.argv[1])
for line in open("/proc/net/tcp").readlines()[1:]:
    f = line.split()
    if f[1] == want and f[3] == "0A":
        sys.exit(0)
sys.exit(1)
PY
}

solguest_connected() {
	solguest_qmp query-chardev 2>/dev/null | python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(c["label"] == "ser0" and "<->" in c["filename"]
                  for c in d) else 1)'
}

solguest_gone() {
	[ -z "$QEMU_PID" ] && return 0
	kill -0 "$QEMU_PID" 2>/dev/null && return 1
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
	return 0
}

solguest_stop() {
	[ -n "$QEMU_PID" ] || return 0
	solguest_qmp quit >/dev/null 2>&1
	_sg_n=0
	while [ "$_sg_n" -lt 50 ] && kill -0 "$QEMU_PID" 2>/dev/null; do
		_sg_n=$((_sg_n + 1))
		sleep 0.1
	done
	kill -KILL "$QEMU_PID" 2>/dev/null
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
}

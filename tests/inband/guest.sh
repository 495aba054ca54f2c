# Sourced (from the repository root) by every test that boots a QEMU
# guest: tests/inband/test-*.sh and tests/integration/150-*, 530-*.
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

#!/bin/bash
# Instruction counts of the sweep (issue 15), by callgrind: bmcwatch
# reads a simulated BMC of about 120 sensors (tests/sim/mkbig.py) with a
# warm SDR cache, once with 1 sweep and once with 11 sweeps in the same
# session; (Ir(11) - Ir(1)) / 10 / sensors is the instructions per
# sensor per sweep on the daemon's path (lanplus suite 3: AES-CBC-128
# and HMAC-SHA1-96 on every packet), and the functions that cost most
# in those 10 sweeps are listed (inclusive).  Needs valgrind; skipped
# without it.  Not a test: nothing fails.
set -u
cd "$(dirname "$0")/.." || exit 1
if ! command -v valgrind >/dev/null ||
    ! command -v callgrind_annotate >/dev/null; then
	echo "bench-profile: valgrind not installed: skipped"
	exit 0
fi
SIM_DIR=$PWD/tests/sim
export SIM_DIR
. tests/sim/lib.sh
B=${BMCWATCH:-build/bmcwatch}
T=$(mktemp -d "${TMPDIR:-/tmp}/bw-bench-prof.XXXXXX")
trap 'sim_stop; rm -rf "$T"' EXIT
python3 tests/sim/mkbig.py "$T/cfg" "${BENCH_EXTRA:-90}" >/dev/null || exit 1
sim_start "$T/cfg/big.emu" || exit 1
PW=$(sim_pwfile admin)
bw() { "$B" -I lanplus -H 127.0.0.1 -p "$SIM_PORT" -U admin -f "$PW" -C 3 \
    -t 30 "$@"; }
N=$(bw sensors --sdr-cache "$T/c" | wc -l)
for n in 1 11; do
	valgrind --tool=callgrind --callgrind-out-file="$T/cg.$n" \
	    "$B" -I lanplus -H 127.0.0.1 -p "$SIM_PORT" -U admin -f "$PW" \
	    -C 3 -t 30 sensors --sdr-cache "$T/c" --sweeps "$n" \
	    >/dev/null 2>"$T/cg.$n.err"
done
ir() { sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$T/cg.$1.err"; }
i1=$(ir 1)
i11=$(ir 11)
echo "Instructions (callgrind Ir) of the warm sweep, $N sensors, lanplus" \
    "suite 3, one held session"
echo "  1 sweep: $i1 (session setup, SDR cache load, process start and exit)"
echo "  11 sweeps: $i11"
python3 -c "import sys; a, b, n = map(int, sys.argv[1:]); \
print('  per sweep: %d; per sensor per sweep: %d' % ((b - a) / 10, (b - a) / 10 / n))" \
    "$i1" "$i11" "$N"
echo "  most costly (inclusive, 11 sweeps), bmcwatch's own and libcrypto's:"
callgrind_annotate --inclusive=yes "$T/cg.11" 2>/dev/null |
    grep -E 'agent/(ipmi|bmc)/|\?\?\?:(EVP|RAND|HMAC|OPENSSL)' |
    sed -n 's/^ *[0-9,]* *(\([ 0-9.]*%\)) *\([^ ]*\).*/\1 \2/p' |
    sed 's|[^ ]*/||; s|???:||' | awk '!seen[$2]++' | head -18 |
    sed 's/^/    /'

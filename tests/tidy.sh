#!/bin/sh
# `make tidy`: clang-tidy (the checks in .clang-tidy, and why) over the
# C files given, or over every C file of the tree (agent/, plugins/,
# tests/: unit, fuzz, redfish, sim, sol, mib);
# TIDY_JOBS files at a time (default 2).  Prints every finding, then the
# count per directory.  Exit 1 if a directory of TIDY_ZERO (default
# agent/ipmi agent/util tests/unit: kept at zero) has a finding, or
# clang-tidy is missing; TIDY_ZERO=all: any finding fails.  make lint
# runs it on those directories (--zero-files lists their files).
set -u
cd "$(dirname "$0")/.." || exit 2
TIDY=${CLANG_TIDY:-clang-tidy}
ZERO=${TIDY_ZERO:-agent/ipmi agent/util tests/unit}
# --zero-files: the C files of the ZERO directories (what make lint runs)
if [ "${1:-}" = --zero-files ]; then
	for d in $ZERO; do
		[ "$d" = all ] || find "$d" -maxdepth 1 -name '*.c'
	done | sort
	exit 0
fi
command -v "$TIDY" >/dev/null 2>&1 || {
	echo "tidy: $TIDY not found (apt-get install clang-tidy)" >&2
	exit 2
}
if [ $# = 0 ]; then
	set -- $(find agent plugins tests -name '*.c' | sort)
fi
# the Makefile's flags less the warnings (clang-tidy's own checks run)
# (net-snmp's only for agent/snmp/, the one place that includes it)
FLAGS="-std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -pthread -Iagent
-Iagent/util -Iagent/ipmi -Iagent/bmc -Iagent/daemon -Iagent/http -Iplugins
-Itests/unit -Itests/fuzz $(pkg-config --cflags libcurl jansson 2>/dev/null)"
SNMPFLAGS=$(net-snmp-config --base-cflags 2>/dev/null | tr ' ' '\n' |
    grep -E '^-[ID]' | grep -v FORTIFY | tr '\n' ' ')
out=$(mktemp "${TMPDIR:-/tmp}/tidy.XXXXXX") || exit 2
trap 'rm -f "$out" "$out.f"' EXIT
# oids_check.c takes the MIB's formulas as -D (600 derives them from the
# MIB with smidump); for the analysis the header's own values do
MIBFLAGS="-DMIB_CHANNEL_MUL=262144u -DMIB_OWNER_MUL=1024u -DMIB_LUN_MUL=256u
-DMIB_ENT_MUL=4194304u -DMIB_CHASSIS_KEY=255u -DMIB_TARGET_MAX=511u
-DMIB_KEY_MAX=4194303u -DMIB_ENT_MAX=2147483647u"
export TIDY FLAGS SNMPFLAGS MIBFLAGS
# shellcheck disable=SC2016
printf '%s\n' "$@" | xargs -P "${TIDY_JOBS:-2}" -n 1 sh -c '
	x=
	case $0 in
	agent/snmp/*) x=$SNMPFLAGS ;;
	tests/mib/oids_check.c) x=$MIBFLAGS ;;
	# an ipmi_sim plugin (gnu11, as wdt_plugin.sh builds it), OpenIPMI
	tests/sim/wdt_plugin.c)
		[ -f /usr/include/OpenIPMI/mcserv.h ] || {
			echo "tidy: $0: skipped, no OpenIPMI headers" >&2
			exit 0
		}
		x=-std=gnu11 ;;
	esac
	# shellcheck disable=SC2086
	"$TIDY" --quiet "$0" -- $FLAGS $x 2>/dev/null' >"$out"
# one finding per "file:line:col: warning|error: ... [check]" line,
# counted once (a header's finding is reported by every includer)
grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$out" |
    sed "s|^$(pwd)/||" | sort -u >"$out.f"
cat "$out.f"
n=$(grep -c . "$out.f")
echo "tidy: $n findings in $# files"
if [ "$n" -gt 0 ]; then
	sed 's|^\([^:]*\)/[^/:]*:.*|\1|' "$out.f" | sort | uniq -c |
	    sed 's/^/tidy:   /'
	sed -n 's/.*\[\([^]]*\)\]$/\1/p' "$out.f" | sort | uniq -c |
	    sort -rn | sed 's/^/tidy:   /'
fi
rc=0
for d in $ZERO; do
	if [ "$d" = all ]; then
		[ "$n" -gt 0 ] && rc=1
	elif grep -q "^$d/" "$out.f"; then
		echo "tidy: $d must have no finding"
		rc=1
	fi
done
rm -f "$out.f"
exit $rc

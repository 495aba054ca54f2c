#!/bin/sh
# clang-tidy (the checks in .clang-tidy, and why) over every C file of
# the tree (agent/, plugins/, tests/: unit, fuzz, redfish, sim, sol,
# mib), kept at zero findings.  Prints every finding, then the count per
# directory and per check; exit 1 on any finding, 2 if clang-tidy is
# missing.
#
#   sh tests/tidy.sh            `make tidy`: analyse what tests/tidy.sum
#                               does not vouch for, then rewrite it
#                               (TIDY_FULL=1: analyse every file)
#   sh tests/tidy.sh --check    `make lint`: the same, tests/tidy.sum is
#                               only read; TIDY_AUDIT (default 2) files
#                               it vouches for are analysed anyway
#   sh tests/tidy.sh FILE...    only these files (no tests/tidy.sum)
#   sh tests/tidy.sh --keys     each file's key, as tests/tidy.sum has it
#
# Why a manifest (measured 2026-12-04, clang-tidy 14, this machine):
# the whole tree costs 353 s of CPU (8.5 min at load 2-6 with 2 jobs),
# 97% of it the analyzer (clang-analyzer-*), led by agent/http/redfish.c
# (28 s), daemon/conf.c (16 s), unit/test_lanplus.c (14 s); the header
# filter costs nothing measurable (ctl.c, webhook.c and test_conf.c:
# 24.5 s with it, 24.9 s without; 0.5 s without the analyzer).  Cheaper analyzer settings lose real
# findings: on the 41 files as they were before the analyzer fixes of
# 7b6708b, 192c888 and 8080fe6 (70 analyzer findings), max-nodes=50000
# took a third of the time and missed 6 (conf.c's garbage '&' operands,
# test_lan15's uninitialised argument), -analyzer-max-loop 2 saved 25%
# and missed 2, mode=shallow missed three of seven planted bugs (each
# reached through a helper); max-nodes=100000 took 55% and missed none
# of the 70, but only those 70 vouch for it.  So every file gets the
# default, full analysis once per distinct input, and tests/tidy.sum
# records the inputs that were analysed clean: one line per C file, the sha256 of
# everything its result depends on:
#   - clang-tidy's --version and the sha256 of its binary and of the
#     libclang-cpp/libLLVM it loads, and of .clang-tidy (passed with
#     --config-file: no other configuration is read),
#   - the file's path and its whole command line (checks' flags),
#   - the preprocessed translation unit (clang of the same LLVM, same
#     flags: which headers, macros, __has_include answers), and the
#     path and sha256 of every file it reads (the .c, our headers and
#     the system's, comments and NOLINTs included).
# A file whose key is not in tests/tidy.sum is analysed, whatever
# changed (its text, a header, a flag, the compiler, the checks), so
# nothing changed passes unanalysed; if no matching clang is found to
# key with, every file is analysed.  The audit re-analyses TIDY_AUDIT
# vouched-for files at random each run: a finding there fails and
# says that tests/tidy.sum is wrong.  Where the system headers or the
# LLVM build differ (another distribution), the keys differ and the
# whole tree is analysed (the 353 s).
set -u
cd "$(dirname "$0")/.." || exit 2
TIDY=${CLANG_TIDY:-clang-tidy}
SUM=tests/tidy.sum
MODE="write"
case ${1:-} in
--check) MODE=check; shift ;;
--keys) MODE=keys; shift ;;
--*)	echo "tidy: unknown option $1 (--check, --keys, or C files)" >&2
	exit 2 ;;
esac
[ $# -gt 0 ] && [ "$MODE" != keys ] && MODE=files
command -v "$TIDY" >/dev/null 2>&1 || {
	echo "tidy: $TIDY not found (apt-get install clang-tidy)" >&2
	exit 2
}
# shellcheck disable=SC2046
[ $# = 0 ] && set -- $(find agent plugins tests -name '*.c' | sort)
# the Makefile's flags less the warnings (clang-tidy's own checks run)
# (net-snmp's only for agent/snmp/, the one place that includes it)
FLAGS="-std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -pthread -Iagent
-Iagent/util -Iagent/ipmi -Iagent/bmc -Iagent/daemon -Iagent/http -Iplugins
-Itests/unit -Itests/fuzz $(pkg-config --cflags libcurl jansson 2>/dev/null)"
SNMPFLAGS=$(net-snmp-config --base-cflags 2>/dev/null | tr ' ' '\n' |
    grep -E '^-[ID]' | grep -v FORTIFY | tr '\n' ' ')
# oids_check.c takes the MIB's formulas as -D (600 derives them from the
# MIB with smidump); for the analysis the header's own values do
MIBFLAGS="-DMIB_CHANNEL_MUL=262144u -DMIB_OWNER_MUL=1024u -DMIB_LUN_MUL=256u
-DMIB_ENT_MUL=4194304u -DMIB_CHASSIS_KEY=255u -DMIB_TARGET_MAX=511u
-DMIB_KEY_MAX=4194303u -DMIB_ENT_MAX=2147483647u"
TARGS="--config-file=.clang-tidy --quiet"
W=$(mktemp -d "${TMPDIR:-/tmp}/tidy.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
mkdir "$W/d" "$W/o"
# the analyser's identity, once: the key of each file starts with it
BIN=$(readlink -f "$(command -v "$TIDY")")
CLANG=${TIDY_CLANG:-$(dirname "$BIN")/clang}
{
	echo "tidy.sh key 1"
	"$TIDY" --version | grep -i version	# not its "Host CPU"
	# shellcheck disable=SC2046
	sha256sum "$BIN" $(ldd "$BIN" 2>/dev/null |
	    awk '$3 ~ /lib(clang|LLVM)/ { print $3 }') .clang-tidy
} >"$W/env" 2>&1
export TIDY FLAGS SNMPFLAGS MIBFLAGS TARGS CLANG W
i=0
for f; do
	i=$((i + 1))
	echo "$i $f"
done >"$W/list"
NFILES=$i

# key: "sha256 path" of each file on stdin ("n path"), to $W/keys; a file
# that does not preprocess gets no key (it is analysed, and its error
# reported there)
# shellcheck disable=SC2016
keys() {
	xargs -r -P "${TIDY_JOBS:-2}" -n 2 sh -c '
	n=$0 f=$1 x=
	case $f in
	agent/snmp/*) x=$SNMPFLAGS ;;
	tests/mib/oids_check.c) x=$MIBFLAGS ;;
	tests/sim/wdt_plugin.c) x=-std=gnu11 ;;
	esac
	# shellcheck disable=SC2086
	"$CLANG" -E $FLAGS $x -MD -MF "$W/d/$n.d" -MT x "$f" \
	    -o "$W/d/$n.i" 2>/dev/null || exit 0
	# shellcheck disable=SC2046
	{
		cat "$W/env"
		echo "$f"
		echo "$TARGS $f -- $FLAGS $x"
		sha256sum <"$W/d/$n.i"
		sha256sum $(sed "s/^x://; s/\\\\$//" "$W/d/$n.d")
	} | sha256sum | sed "s|-\$|$f|" >"$W/d/$n.k"
	rm -f "$W/d/$n.i"' <"$W/list"
	cat "$W"/d/*.k 2>/dev/null | sort -k 2 >"$W/keys"
}

# analyse: clang-tidy on each "n path" of stdin, the biggest files first
# (the analyzer's time grows with them: two jobs end together), each
# file's findings in $W/o/n
# shellcheck disable=SC2016
analyse() {
	while read -r n f; do
		echo "$(wc -c <"$f") $n $f"
	done | sort -rn | cut -d' ' -f2- |
	xargs -r -P "${TIDY_JOBS:-2}" -n 2 sh -c '
	n=$0 f=$1 x=
	case $f in
	agent/snmp/*) x=$SNMPFLAGS ;;
	tests/mib/oids_check.c) x=$MIBFLAGS ;;
	# an ipmi_sim plugin (gnu11, as wdt_plugin.sh builds it), OpenIPMI
	tests/sim/wdt_plugin.c)
		[ -f /usr/include/OpenIPMI/mcserv.h ] || {
			echo "tidy: $f: skipped, no OpenIPMI headers" >&2
			exit 0
		}
		x=-std=gnu11 ;;
	esac
	# shellcheck disable=SC2086
	"$TIDY" $TARGS "$f" -- $FLAGS $x >"$W/o/$n.raw" 2>/dev/null
	r=$?
	# one finding per "file:line:col: warning|error: ... [check]" line
	grep -E "^[^ ]+:[0-9]+:[0-9]+: (warning|error): " "$W/o/$n.raw" |
	    sed "s|^$(pwd)/||" >"$W/o/$n"
	rm -f "$W/o/$n.raw"
	# a clang-tidy that failed (crashed, a bad flag) with no finding to
	# show has proven nothing
	[ "$r" = 0 ] || [ -s "$W/o/$n" ] || : >"$W/o/$n.bad"'
}

if [ "$MODE" = keys ]; then
	keys
	cat "$W/keys"
	exit 0
fi
TODO=$W/list
: >"$W/matched"
: >"$W/audit"
if [ "$MODE" != files ] && [ "${TIDY_FULL:-0}" != 1 ]; then
	if [ -x "$CLANG" ]; then
		keys
	else
		echo "tidy: no $CLANG to key files with: every file analysed"
		: >"$W/keys"
	fi
	# vouched for: the file's key line is in tests/tidy.sum
	grep -v '^#' "$SUM" 2>/dev/null >"$W/sum0"
	grep -Fxf "$W/sum0" "$W/keys" | awk '{ print $2 }' >"$W/matched"
	awk -v m="$W/matched" 'BEGIN { while ((getline f <m) > 0) v[f] = 1 }
	    !($2 in v)' "$W/list" >"$W/todo"
	TODO=$W/todo
	if [ "$MODE" = check ] && [ -s "$W/matched" ]; then
		shuf -n "${TIDY_AUDIT:-2}" "$W/matched" >"$W/audit"
		awk -v a="$W/audit" 'BEGIN { while ((getline f <a) > 0)
		    v[f] = 1 } $2 in v' "$W/list" >>"$W/todo"
	fi
fi
NDONE=$(grep -c . "$TODO")
NM=$(grep -c . "$W/matched")
NA=$(grep -c . "$W/audit")
AUDIT=$(tr '\n' ' ' <"$W/audit" | sed 's/ $//')
analyse <"$TODO"
# each finding once (a header's finding is reported by every includer)
cat "$W"/o/* 2>/dev/null | sort -u >"$W/found"
cat "$W/found"
n=$(grep -c . "$W/found")
echo "tidy: $n findings in $NFILES files ($NDONE analysed)"
if [ "$n" -gt 0 ]; then
	sed 's|^\([^:]*\)/[^/:]*:.*|\1|' "$W/found" | sort | uniq -c |
	    sed 's/^/tidy:   /'
	sed -n 's/.*\[\([^]]*\)\]$/\1/p' "$W/found" | sort | uniq -c |
	    sort -rn | sed 's/^/tidy:   /'
fi
rc=0
[ "$n" -gt 0 ] && rc=1
# num PATH: the file's number in $W/list
num() {
	awk -v f="$1" '$2 == f { print $1 }' "$W/list"
}
while read -r _n f; do
	[ -e "$W/o/$_n.bad" ] || continue
	echo "tidy: clang-tidy failed on $f (no finding to show)"
	rc=1
done <"$TODO"
[ "$MODE" = files ] && exit $rc
if [ "${TIDY_FULL:-0}" != 1 ]; then
	echo "tidy: $NFILES files: $NM vouched for by $SUM (analysed clean" \
	    "with this same input), $((NDONE - NA)) analysed${AUDIT:+; $NA}" \
	    "${AUDIT:+of the vouched-for analysed again (audit): $AUDIT}"
	while read -r f; do
		_n=$(num "$f")
		if [ -s "$W/o/$_n" ] || [ -e "$W/o/$_n.bad" ]; then
			echo "tidy: $f is vouched for by $SUM but does not" \
			    "pass: the manifest is wrong (make tidy TIDY_FULL=1" \
			    "rewrites it)"
			rc=1
		fi
	done <"$W/audit"
fi
# the clean files, to record: the vouched-for ones, and each analysed
# file with no finding in its output (which has its headers' findings)
clean() {
	while read -r k f; do
		_n=$(num "$f")
		grep -qx "$f" "$W/matched" ||
		    { [ -e "$W/o/$_n" ] && [ ! -s "$W/o/$_n" ] &&
		    [ ! -e "$W/o/$_n.bad" ]; } || continue
		echo "$k  $f"
	done <"$W/keys"
}
if [ "$MODE" = write ]; then
	[ "${TIDY_FULL:-0}" = 1 ] && [ -x "$CLANG" ] && keys
	{
		echo "# tests/tidy.sum: the C files clang-tidy analysed clean, each by"
		echo "# the sha256 of all of its analysis's input (tests/tidy.sh says"
		echo "# what); written by make tidy, read by make lint: do not edit"
		clean
	} >"$W/sum"
	if ! cmp -s "$W/sum" "$SUM"; then
		cp "$W/sum" "$SUM"
		echo "tidy: $SUM rewritten: $(grep -vc '^#' "$SUM") files"
	fi
elif [ $((NDONE - NA)) -gt 0 ]; then
	echo "tidy: $((NDONE - NA)) files were analysed as $SUM does not" \
	    "vouch for them: make tidy records the clean ones"
fi
exit $rc

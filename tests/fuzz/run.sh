#!/bin/sh
# `make fuzz`: every libFuzzer target (build/fuzz/fuzz_NAME, or only the
# NAMEs given) in turn, each for FUZZTIME seconds or FUZZRUNS executions
# (0: no limit), whichever first, starting from tests/fuzz/corpus/NAME;
# new inputs go to build/fuzz/corpus/NAME (minimise them into the seed
# corpus with libFuzzer's -merge=1: README.md), the log to
# build/fuzz/log/NAME.
# One line per target: executions, edges covered (cov), features (ft),
# corpus size, seconds, executions per second, peak RSS, result; the
# lines are appended to build/fuzz/results.txt too.  Each line ends
# with when the target started (UTC) and the load average then: the
# executions a second are the machine's as much as the target's.  A
# crash, leak, timeout (-timeout=10 s per input) or out-of-memory stops
# here, exit 1, with the input in build/fuzz/artifacts/.
# A target's own libFuzzer flags, if any, are on a line " * run.sh
# flags: ..." of its comment (fuzz_wire.c: -max_len).
# ASan's quarantine is cut from 256 to 16 MB: every input starts from
# nothing, and a transport's 10-20 kB allocated per input otherwise
# lands on fresh pages each time (page faults were a third of
# lanplus_session's time); 16 MB still holds thousands of inputs'
# frees, so a use after free within one input is still caught.
FUZZTIME=${FUZZTIME:-60}
FUZZRUNS=${FUZZRUNS:-0}
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
export ASAN_OPTIONS
cd "$(dirname "$0")/../.." || exit 1
if [ $# = 0 ]; then
	set -- $(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
fi
mkdir -p build/fuzz/log build/fuzz/artifacts
fmt='%-16s %11s %6s %7s %6s %7s %8s %7s  %s\n'
printf "$fmt" target execs cov ft corpus seconds exec/s rss_mb result
for n in "$@"; do
	b=build/fuzz/fuzz_$n
	[ -x "$b" ] || { echo "$b: not built (make build/fuzz/fuzz_$n)" >&2; exit 1; }
	mkdir -p "build/fuzz/corpus/$n"
	runs=
	[ "$FUZZRUNS" -gt 0 ] && runs=-runs=$FUZZRUNS
	flags=$(sed -n 's/^ \* run\.sh flags: //p' "tests/fuzz/fuzz_$n.c")
	t0=$(date +%s)
	when="(start $(date -u +%H:%M) UTC, load $(cut -d' ' -f1 /proc/loadavg))"
	# shellcheck disable=SC2086
	"$b" -max_total_time="$FUZZTIME" $runs $flags -timeout=10 \
	    -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$n-" \
	    "build/fuzz/corpus/$n" "tests/fuzz/corpus/$n" \
	    >"build/fuzz/log/$n" 2>&1
	rc=$?
	t1=$(date +%s)
	res=ok
	if [ "$rc" != 0 ]; then
		res="FAILED (exit $rc): $(grep -m1 -E 'ERROR: |runtime error|Timeout|out-of-memory' "build/fuzz/log/$n" | cut -c1-80)"
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/log/$n")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "build/fuzz/log/$n")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "build/fuzz/log/$n")
	last=$(grep -E '^#[0-9]+' "build/fuzz/log/$n" | grep ' cov: ' | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
	line=$(printf "$fmt" "$n" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
	    "${corp:-?}" $((t1 - t0)) "${eps:-?}" "${rss:-?}" "$res  $when")
	echo "$line"
	echo "$(date -u +%Y-%m-%dT%H:%MZ) $line" >>build/fuzz/results.txt
	if [ "$rc" != 0 ]; then
		tail -n 30 "build/fuzz/log/$n" >&2
		exit 1
	fi
done

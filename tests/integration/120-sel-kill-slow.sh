#!/bin/bash
# Slow tier (run once, on the plain build, by tests/run; SLOW=0
# skips it): the SEL fault injection with more
# iterations: 100 SIGKILLs of `bmcwatch sel archive` against the sim
# (420-sel-kill.sh), then 1000 of the model-SEL crash loop of
# tests/unit/test_selmon.c (4 epochs of 250, every planned crash point
# about 140 times in each of its two modes).
set -u
D=$(dirname "$0")
SEL_KILL_ITER=${SEL_KILL_ITER:-100} bash "$D/420-sel-kill.sh" || rc=1
T=${BUILD:-build}/tests/test_selmon
# test_selmon runs its loops both ways (io inline and on a worker) by
# itself: once is enough
if [ -x "$T" ] && [ "${BMCWATCH_SEL_IO:-}" != worker ]; then
	SELMON_CRASH_ITER=${SELMON_CRASH_ITER:-1000} "$T" || rc=1
fi
exit "${rc:-0}"

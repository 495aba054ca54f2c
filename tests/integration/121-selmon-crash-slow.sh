#!/bin/bash
# Slow tier (run once, on the plain build, by tests/run; SLOW=0
# skips it): 1000 iterations of the model-SEL crash loop of
# tests/unit/test_selmon.c (4 epochs of 250, every planned crash point
# about 140 times in each of its two modes: io inline and on a worker,
# which test_selmon runs by itself).
set -u
T=${BUILD:-build}/tests/test_selmon
if [ ! -x "$T" ]; then
	echo "not ok - $T is built (make tests)"
	exit 1
fi
SELMON_CRASH_ITER=${SELMON_CRASH_ITER:-1000} exec "$T"

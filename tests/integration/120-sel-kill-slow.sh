#!/bin/bash
# Slow tier (run once, on the plain build, by tests/run; SLOW=0
# skips it): the SEL fault injection with more iterations: 100
# SIGKILLs of `bmcwatch sel archive` against the sim (420-sel-kill.sh).
# The model-SEL crash loop's 1000 iterations are 121-selmon-crash-slow,
# a test of their own so that the two run side by side.
set -u
SEL_KILL_ITER=${SEL_KILL_ITER:-100} exec bash "$(dirname "$0")/420-sel-kill.sh"

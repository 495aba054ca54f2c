/*
 * Fuzz the parsers of what the watchdog's health checks read
 * (agent/daemon/health.c): a pidfile and /proc/PID/stat.  An accepted
 * pidfile names a process ID from 1 to INT_MAX; an accepted stat line
 * has a state letter.  Seeds: real /proc/PID/stat lines (a command name
 * with spaces and parentheses), pidfiles with blanks, overflows.
 */
#include <sys/types.h>

#include <limits.h>
#include <stdlib.h>

#include "fuzz.h"
#include "health.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	pid_t pid = 0;
	char state = 0;
	uint64_t start = 0;

	if (health_parse_pidfile(p, len, &pid) == 0)
		fuzz_must(pid >= 1 && pid <= INT_MAX);
	if (health_parse_stat(p, len, &state, &start) == 0)
		fuzz_must(state >= 'A' && state <= 'z');
	return 0;
}

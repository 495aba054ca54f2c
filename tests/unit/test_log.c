/*
 * The logging path: target naming, verbosity, and the limiter of
 * repeated failures (first logged, repeats summarised once per
 * LOG_LIMIT_MS, recovery logged once with the count).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "log.h"
#include "logcap.h"

static const char *out;

static void
test_target_named(void)
{
	log_init("bmcwatchd", 1, 0);
	logcap_begin();
	log_target(LOG_WARNING, "db7", "sel", "archive: %s", "disk full");
	log_target(LOG_INFO, "db7", "sel", "not shown without -v");
	log_warnx("ctl", "no target here");
	out = logcap_end();
	CHECK_STR(out, "bmcwatchd: db7: sel: archive: disk full\n"
	    "bmcwatchd: ctl: no target here\n");
}

static void
test_limit(void)
{
	struct log_limit l;
	uint64_t now = 1000;
	int i, logged = 0;

	memset(&l, 0, sizeof(l));
	log_init("bmcwatchd", 1, 0);
	logcap_begin();
	for (i = 0; i < 100; i++, now += 1000)	/* one a second */
		logged += log_fail(&l, now, LOG_WARNING, "db7", "poll",
		    "no answer");
	/* 100 s: the first only */
	CHECK_EQ(logged, 1);
	now += (uint64_t)LOG_LIMIT_MS;
	logged += log_fail(&l, now, LOG_WARNING, "db7", "poll", "no answer");
	CHECK_EQ(logged, 2);
	log_recover(&l, "db7", "poll", "answering again");
	log_recover(&l, "db7", "poll", "answering again");	/* once */
	out = logcap_end();
	CHECK_EQ(logcap_count(out, "\n"), 3);
	CHECK(strstr(out, "bmcwatchd: db7: poll: no answer\n") == out);
	CHECK(strstr(out, "no answer (99 more failures not logged, 101 in a "
	    "row)\n") != NULL);
	CHECK(strstr(out, "db7: poll: answering again after 101 failures\n")
	    != NULL);
	CHECK_EQ(l.fails, 0);
}

static void
test_facility(void)
{
	int f = -1;

	CHECK_EQ(log_facility_parse("local3", &f), 0);
	CHECK_EQ(f, LOG_LOCAL3);
	CHECK_EQ(log_facility_parse("DAEMON", &f), 0);
	CHECK_EQ(f, LOG_DAEMON);
	CHECK_EQ(log_facility_parse("kern", &f), -1);
	CHECK_STR(log_facility_name(LOG_LOCAL7), "local7");
}

int
main(void)
{
	RUN(test_target_named);
	RUN(test_limit);
	RUN(test_facility);
	return harness_end();
}

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static const char *log_prog = "bmcwatch";
static int log_stderr = 1;
static int log_verbose;
static int log_fac = LOG_DAEMON;

static const struct {
	const char	*name;
	int		 fac;
} log_facs[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

void
log_init(const char *progname, int to_stderr, int verbosity)
{
	log_prog = progname;
	log_stderr = to_stderr;
	log_verbose = verbosity;
	if (!to_stderr)
		openlog(progname, LOG_PID | LOG_NDELAY, log_fac);
}

void
log_set_facility(int facility)
{
	log_fac = facility;
	if (!log_stderr) {
		closelog();
		openlog(log_prog, LOG_PID | LOG_NDELAY, log_fac);
	}
}

int
log_verbosity(void)
{
	return log_verbose;
}

int
log_to_stderr(void)
{
	return log_stderr;
}

int
log_facility_parse(const char *name, int *facility)
{
	size_t i;

	for (i = 0; i < sizeof(log_facs) / sizeof(log_facs[0]); i++)
		if (strcasecmp(name, log_facs[i].name) == 0) {
			*facility = log_facs[i].fac;
			return 0;
		}
	return -1;
}

const char *
log_facility_name(int facility)
{
	size_t i;

	for (i = 0; i < sizeof(log_facs) / sizeof(log_facs[0]); i++)
		if (log_facs[i].fac == facility)
			return log_facs[i].name;
	return "?";
}

/* verbosity gate: warnings and worse always, info at -v, debug at -vv;
 * syslog gets info without -v (the daemon's normal record) */
static int
log_wanted(int pri)
{
	if (pri <= LOG_NOTICE)
		return 1;
	if (pri == LOG_INFO)
		return !log_stderr || log_verbose >= 1;
	return log_verbose >= 2;
}

static void
log_out(int fac, int pri, const char *target, const char *sub,
    const char *msg, const char *err, int to_syslog)
{
	const char *t = target != NULL ? target : "";
	const char *ts = target != NULL ? ": " : "";

	if (log_stderr && !to_syslog) {
		fprintf(stderr, "%s: %s%s%s: %s%s%s\n", log_prog, t, ts, sub,
		    msg, err ? ": " : "", err ? err : "");
		return;
	}
	syslog(fac | pri, "%s%s%s: %s%s%s", t, ts, sub, msg, err ? ": " : "",
	    err ? err : "");
}

static void
vlog(int pri, const char *target, const char *sub, const char *err,
    const char *fmt, va_list ap)
{
	char msg[1024];

	if (!log_wanted(pri))
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	log_out(log_fac, pri, target, sub, msg, err, 0);
}

void
log_warn(const char *sub, const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, sub, e, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, sub, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, NULL, sub, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, NULL, sub, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *sub, const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vlog(LOG_CRIT, NULL, sub, e, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, NULL, sub, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_vtarget(int pri, const char *target, const char *sub, const char *fmt,
    va_list ap)
{
	vlog(pri, target, sub, NULL, fmt, ap);
}

void
log_target(int pri, const char *target, const char *sub, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(pri, target, sub, NULL, fmt, ap);
	va_end(ap);
}

void
log_record(int facility, int pri, const char *target, const char *sub,
    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_out(facility, pri, target, sub, msg, NULL, 1);
}

int
log_fail(struct log_limit *l, uint64_t now, int pri, const char *target,
    const char *sub, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (l->fails++ > 0 && now < l->next_ms) {
		l->quiet++;
		return 0;
	}
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->quiet > 0) {
		size_t n = strlen(msg);

		(void)snprintf(msg + n, sizeof(msg) - n, " (%llu more "
		    "failures not logged, %llu in a row)",
		    (unsigned long long)l->quiet,
		    (unsigned long long)l->fails);
	}
	l->quiet = 0;
	l->next_ms = now + LOG_LIMIT_MS;
	if (log_wanted(pri))
		log_out(log_fac, pri, target, sub, msg, NULL, 0);
	return 1;
}

void
log_recover(struct log_limit *l, const char *target, const char *sub,
    const char *what)
{
	if (l->fails == 0)
		return;
	log_target(LOG_NOTICE, target, sub, "%s after %llu failure%s", what,
	    (unsigned long long)l->fails, l->fails == 1 ? "" : "s");
	l->fails = 0;
	l->quiet = 0;
	l->next_ms = 0;
}

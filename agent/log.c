#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *log_prog = "bmcwatch";
static int log_stderr = 1;
static int log_verbose;

void
log_init(const char *progname, int to_stderr, int verbosity)
{
	log_prog = progname;
	log_stderr = to_stderr;
	log_verbose = verbosity;
	if (!to_stderr)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void
vlog(int pri, const char *sub, const char *err, const char *fmt, va_list ap)
{
	char msg[1024];

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_stderr)
		fprintf(stderr, "%s: %s: %s%s%s\n", log_prog, sub, msg,
		    err ? ": " : "", err ? err : "");
	else
		syslog(pri, "%s: %s%s%s", sub, msg, err ? ": " : "",
		    err ? err : "");
}

void
log_warn(const char *sub, const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vlog(LOG_WARNING, sub, e, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, sub, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *sub, const char *fmt, ...)
{
	va_list ap;

	if (log_stderr && log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, sub, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *sub, const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 2)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, sub, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *sub, const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vlog(LOG_CRIT, sub, e, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, sub, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

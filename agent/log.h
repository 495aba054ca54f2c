/*
 * Logging: the one path every message takes, to stderr (the CLI, the
 * daemon with -d) or to syslog.  Every line carries a subsystem token,
 * and a line about one BMC names its target first:
 *
 *	bmcwatchd: db7: sel: archive: /var/log/...: No space left on device
 *
 * log_warn appends strerror(errno); the others do not.  fatal/fatalx
 * only at startup or for broken invariants.  Secrets are never passed
 * here.
 *
 * Repeated failures go through a struct log_limit: the first is logged,
 * the repeats are counted and summarised at most once per
 * LOG_LIMIT_MS, and the recovery is logged once with the count
 * (ipmiseld's habit), so a dead BMC costs a few lines an hour, not one
 * per poll.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <syslog.h>

void	log_init(const char *progname, int to_stderr, int verbosity);
/* syslog facility of the daemon's own messages (LOG_DAEMON default) */
void	log_set_facility(int facility);
int	log_verbosity(void);
/* 1 when messages go to standard error (log_init's to_stderr) */
int	log_to_stderr(void);
/* "daemon", "user", "local0".."local7" -> LOG_*; 0 or -1 */
int	log_facility_parse(const char *name, int *facility);
const char *log_facility_name(int facility);

void	log_warn(const char *sub, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_warnx(const char *sub, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_info(const char *sub, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_debug(const char *sub, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	fatal(const char *sub, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatalx(const char *sub, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/*
 * A message about a target at syslog priority pri (LOG_ERR ...
 * LOG_DEBUG; info and debug obey the verbosity).  target may be NULL.
 */
void	log_target(int pri, const char *target, const char *sub,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
void	log_vtarget(int pri, const char *target, const char *sub,
	    const char *, va_list) __attribute__((format(printf, 4, 0)));
/*
 * A record for another facility (the SEL archive's copy of each entry,
 * LOG_LOCAL0 ...): always syslog at facility|pri, whatever the mode, as
 * `bmcwatch sel archive --syslog` from cron asks.
 */
void	log_record(int facility, int pri, const char *target,
	    const char *sub, const char *, ...)
	    __attribute__((format(printf, 5, 6)));

#define LOG_LIMIT_MS	(10u * 60 * 1000)	/* summary of repeats */

struct log_limit {
	uint64_t	 fails;		/* in a row */
	uint64_t	 next_ms;	/* next summary due (monotonic) */
	uint64_t	 quiet;		/* repeats not logged since */
};
/* A failure; now is CLOCK_MONOTONIC ms.  Returns 1 if it was logged. */
int	log_fail(struct log_limit *, uint64_t now, int pri,
	    const char *target, const char *sub, const char *, ...)
	    __attribute__((format(printf, 6, 7)));
/* A success: after failures logs "TARGET: SUB: WHAT after N failures"
 * once and resets the limiter; otherwise nothing. */
void	log_recover(struct log_limit *, const char *target, const char *sub,
	    const char *what);

#endif

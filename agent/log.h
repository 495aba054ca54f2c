/*
 * Logging: stderr (CLI, daemon with -d) or syslog.  log_warn appends
 * strerror(errno); the others do not.  Every line carries a subsystem
 * token.  fatal/fatalx only at startup or for broken invariants.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

void	log_init(const char *progname, int to_stderr, int verbosity);
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

#endif

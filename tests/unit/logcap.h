/*
 * Capture what the code under test logs (agent/log.c writes to stderr
 * in the foreground): the unit tests' one copy.
 *
 *	logcap_begin();
 *	log_target(...);
 *	log = logcap_end();	  (NUL-terminated, up to LOGCAP_MAX - 1
 *				   bytes; valid until the next logcap_end)
 *	CHECK_EQ(logcap_count(log, "no answer"), 1);
 *
 * stderr goes to a temporary file in between; the harness's own lines
 * go to stdout, so CHECKs inside the capture still show.
 */
#ifndef LOGCAP_H
#define LOGCAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGCAP_MAX	16384

static FILE *logcap_file;
static int logcap_saved = -1;
static char logcap_buf[LOGCAP_MAX];

static void
logcap_begin(void)
{
	fflush(stderr);
	if ((logcap_file = tmpfile()) == NULL ||
	    (logcap_saved = dup(2)) < 0 ||
	    dup2(fileno(logcap_file), 2) < 0) {
		perror("logcap: cannot redirect stderr");
		exit(2);
	}
}

static const char *
logcap_end(void)
{
	size_t n;

	fflush(stderr);
	(void)dup2(logcap_saved, 2);
	(void)close(logcap_saved);
	logcap_saved = -1;
	rewind(logcap_file);
	n = fread(logcap_buf, 1, sizeof(logcap_buf) - 1, logcap_file);
	logcap_buf[n] = '\0';
	(void)fclose(logcap_file);
	logcap_file = NULL;
	return logcap_buf;
}

/* occurrences of needle in s (overlapping ones too) */
static int
logcap_count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

#endif

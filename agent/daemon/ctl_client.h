/*
 * The client side of the control socket (ctl.h): one request line, one
 * framed answer, within a deadline.  Used by `bmcwatch -S' and by the
 * check plugins (plugins/).  Never blocks past the deadline: the socket
 * is non-blocking and every wait is a bounded poll.
 */
#ifndef CTL_CLIENT_H
#define CTL_CLIENT_H

#include <stddef.h>

/* why an exchange failed (no answer at all) */
enum ctl_client_err {
	CTL_CLIENT_OK = 0,
	CTL_CLIENT_CONNECT,	/* no daemon on the socket */
	CTL_CLIENT_TIMEOUT,	/* no (full) answer before the deadline */
	CTL_CLIENT_IO,		/* send/read failed */
	CTL_CLIENT_PROTO,	/* not a bmcwatchd answer, or cut short */
	CTL_CLIENT_USAGE	/* path or request too long */
};

/*
 * Send req (one line, no newline, at most CTL_LINE_MAX bytes) to the
 * daemon at path and read its answer within timeout_ms.  CTL_CLIENT_OK
 * with *code (0, or the answer's error code) and the payload in *out
 * (malloc'ed, NUL-terminated, *len bytes; the caller frees it); else the
 * failure with a message in err ("PATH: reason") and *out NULL.  An
 * answer longer than CTL_OUT_MAX is a protocol error.
 */
enum ctl_client_err ctl_client_ask(const char *path, const char *req,
		    unsigned timeout_ms, int *code, char **out, size_t *len,
		    char *err, size_t errlen);

#endif

/*
 * A transport on the event loop: watches its fd, arms a timer at its
 * deadline, and re-syncs both after every event.  The CLI and the
 * daemon's per-BMC poller use the same glue.
 */
#ifndef CONN_H
#define CONN_H

#include "ev.h"
#include "transport.h"

struct conn;

/* what came back to conn_submit's callers */
struct conn_stats {
	uint64_t	failed;		/* no valid answer: timeout after the
					 * retries, transport or session
					 * failure, malformed answer */
	uint64_t	ccode;		/* answers with a completion code
					 * other than 00h */
};

/* takes ownership of tr */
struct conn	*conn_new(struct ev *, struct ipmi_tr *);
void		 conn_free(struct conn *);
struct ipmi_tr	*conn_tr(struct conn *);
int		 conn_submit(struct conn *, const struct ipmi_req *,
		    ipmi_done_fn *, void *);
/* ipmi_tr_set_event_cb(), then watch the fd it may have opened */
enum ipmi_err	 conn_set_event_cb(struct conn *, ipmi_event_fn *, void *);
/* begin Close Session; conn_idle() turns true when done */
void		 conn_close(struct conn *);
int		 conn_idle(const struct conn *);

/*
 * Convenience for sequential callers (the CLI): submit one request and
 * run the loop until it completes.  Returns the transport error; rsp is
 * filled on IPMI_OK.
 */
enum ipmi_err	 conn_call(struct conn *, const struct ipmi_req *,
		    struct ipmi_rsp *);
/* run the loop until the transport is idle (e.g. after conn_close) */
void		 conn_drain(struct conn *);
/* Re-arm the fd watch and the timer from the transport's fd and
 * deadline: after calling the transport directly (ipmi_tr_submit,
 * ipmi_tr_send_payload), as a payload protocol on it does. */
void		 conn_sync(struct conn *);
const struct conn_stats *conn_stats(const struct conn *);

#endif

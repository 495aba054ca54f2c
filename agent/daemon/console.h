/*
 * The serial console of one lanplus target in bmcwatchd (issue 13): a
 * Serial over LAN session (bmc/solsess.c) held in the target's RMCP+
 * session, logged unattended, scanned for patterns, kept as a ring in
 * the store, and shared with `bmcwatch -S SOCKET sol TARGET' clients.
 *
 * Session: started once the target has a transport; after it ends it is
 * started again with backoff (1 s doubling to the target's backoff-max).
 * The BMC allows one SOL session, so another user's is respected:
 *  - held by another session at start (80h): not taken unless `takeover
 *    yes'; activation is tried again with backoff, so the console comes
 *    back once the other user leaves;
 *  - held by the session this daemon had before (its transport re-opened
 *    a session while the BMC still keeps the old one's instance): taken
 *    back at once, whatever `takeover' says: it is ours;
 *  - taken from us, or deactivated by someone else: yielded; the next
 *    activation waits CONSOLE_YIELD_MS and never takes over, until one
 *    succeeds on a free instance.  So a takeover happens at most once
 *    per loss: never a fight in a loop.
 *
 * Log: archive-dir/console/TARGET.log, bytes as received; with
 * `timestamps yes' every line starts with "TIME | " (UTC, ms).  Lines of
 * its own, never console bytes, say what happened:
 *	TIME # bmcwatch: connected: ...
 *	TIME # bmcwatch: disconnected: ...
 *	TIME # bmcwatch: gap: ...
 * (a marker that cuts a console line short adds a newline and says so:
 * " [newline added]").  Written and fsynced by jobs on the "io" worker,
 * one at a time, every CONSOLE_FLUSH_MS or once CONSOLE_FLUSH_BYTES
 * wait; the file is opened there too (and console/ made), reopened after
 * console_reopen (SIGHUP, logrotate).  Bytes waiting (buffered and in
 * the write in flight) are bounded by CONSOLE_BUF_MAX: past it the BMC's
 * characters are left unacknowledged (it keeps them and sends them
 * again), never dropped by us.  A write the disk refuses (full, read
 * only, gone) is cut back to where the file was and held: tried again
 * every CONSOLE_FLUSH_MS, the failure logged once per episode and shown
 * in the store, and once the disk takes it a marker says how long it
 * was held and whether the BMC was kept waiting meanwhile:
 *	TIME # bmcwatch: held: ...
 * Only a write that cannot be cut back is lost, said by a gap marker.
 *
 * Patterns: each console line (at most CONSOLE_LINE_MAX bytes, control
 * characters as '.') is matched against the sol block's patterns; a
 * match is a console event in the store (STORE_EV_CONSOLE), at most
 * CONSOLE_EV_BURST a minute (the rest counted as suppressed).
 *
 * Clients (ctl streams): each gets the console's bytes as they come, in
 * order, from the moment it attached (after a replay from the store's
 * ring), and notes when the console connects or drops.  Keystrokes and
 * breaks from a client are passed on only with `input yes' and a
 * privileged peer.  A client that does not read is dropped by ctl.c.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ctl.h"
#include "ev.h"

#define CONSOLE_BUF_MAX		(1024u * 1024)	/* bytes waiting for disk */
#define CONSOLE_FLUSH_MS	1000
#define CONSOLE_FLUSH_BYTES	(64u * 1024)
#define CONSOLE_LINE_MAX	512
#define CONSOLE_RETRY_MIN_MS	1000
#define CONSOLE_YIELD_MS	10000
#define CONSOLE_EV_BURST	10	/* events a minute */
#define CONSOLE_PROBE_MS	5000	/* is our instance still ours */

struct conn;
struct store;
struct store_target;
struct work;

struct console_env {
	struct ev	*ev;
	struct work	*io;
	struct store	*store;
	struct store_target *st;	/* cleared by console_stop */
	const char	*name;		/* the target's, copied */
	const char	*archive_dir;	/* copied */
	unsigned	 backoff_max_s;
	/* the clock of the event rate limit: NULL is ev_now (a unit
	 * test sets its own to cross the minute without waiting it) */
	uint64_t	(*clock)(void);
};

struct console;

/* sol is copied (patterns compiled: they were checked at load) */
struct console	*console_new(const struct console_env *,
		    const struct conf_sol *);
/* the target's transport (NULL: it goes away; the session with it) */
void		 console_set_conn(struct console *, struct conn *);
/* the target answers again: try at once if waiting */
void		 console_kick(struct console *);
/* SIGHUP: reopen the log before the next write */
void		 console_reopen(struct console *);
/* the target stops: clients told, marker written, the session left to
 * Close Session; the store target is not touched any more */
void		 console_stop(struct console *);
/* NULL is a no-op; a log write in flight finishes on its own */
void		 console_free(struct console *);
/* a `sol' stream for this target (ctl_stream_fn's contract) */
int		 console_attach(struct console *, struct ctl_stream *,
		    char *err, size_t errlen);

#endif

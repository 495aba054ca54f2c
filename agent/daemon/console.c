/*
 * The serial console of a target in bmcwatchd (see console.h).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "console.h"
#include "fileio.h"
#include "log.h"
#include "solsess.h"
#include "store/store.h"
#include "work.h"
#include "xmem.h"

#define CONSOLE_TS_LEN		24	/* 2026-12-04T03:24:19.123Z */
#define CONSOLE_MARK_MAX	600	/* one marker line */
#define CONSOLE_MARK_ROOM	(16u * 1024)	/* kept free for markers */

/* The log file: shared by the console and its write jobs.  refs, owner
 * and path are the loop's; fd is touched only by jobs (they run one at
 * a time, in order: the "io" worker has one thread). */
struct console_file {
	struct console	*owner;		/* NULL once the console is gone */
	unsigned	 refs;
	char		*path;
	char		*dir;
	int		 fd;
};

struct console_job {
	struct console_file *f;
	int		 reopen;	/* close and open before writing */
	uint8_t		*p;
	size_t		 len;
	int		 rc;
	int		 err_no;
	const char	*what;		/* "open", "write", "fsync" */
	int		 kept;		/* failed, and nothing of it is in
					 * the file: it can be written again */
};

struct console_client {
	struct console_client *next;
	struct ctl_stream *s;
	long		 pid;		/* the peer's (for the log) */
	int		 input;		/* keystrokes passed on */
	int		 told;		/* "input is off" said once */
	char		 why[160];	/* why input is off */
};

struct console {
	struct console_env env;
	char		 name[CONF_NAME_MAX + 1];
	int		 log;
	int		 input;
	int		 timestamps;
	int		 takeover;
	regex_t		*re;
	char		**pat;
	size_t		 nre;

	/* the session */
	struct conn	*conn;
	struct solsess	*s;
	struct ev_timer	*retry;
	struct ev_timer	*reap;
	int		 active;
	int		 stopped;
	int		 yielded;	/* given up to another user */
	int		 force_takeover; /* our own stale instance */
	int		 retook;
	uint32_t	 last_sid;	/* the session we were active in */
	uint64_t	 backoff_ms;
	int64_t		 down_wall_ms;	/* disconnected at, 0: never up */
	uint64_t	 down_mono_ms;
	struct log_limit lim;

	/* the log */
	struct console_file *f;
	uint8_t		*buf;
	size_t		 blen;
	uint8_t		*spare;
	unsigned	 jobs;		/* in flight */
	size_t		 inflight;	/* their bytes (blen + inflight is
					 * bounded by CONSOLE_BUF_MAX) */
	int		 disk_bad;	/* the last write was refused */
	uint64_t	 held_since;	/* since then (monotonic ms), 0 */
	int		 stalled;	/* the BMC's bytes left unacked */
	uint64_t	 stall_since;
	char		 stall_why[200];
	struct ev_timer	*flush;
	int		 flush_armed;
	int		 bol;		/* the log is at a line start */
	struct log_limit disk_lim;
	int		 reopen_next;	/* the next job reopens */
	uint64_t	 lost;		/* bytes the disk refused */
	char		 lost_why[200];

	/* patterns */
	char		 line[CONSOLE_LINE_MAX + 1];
	size_t		 llen;
	int		 lfull;		/* matched already at the cap */
	uint64_t	 ev_window;
	unsigned	 ev_count;

	struct console_client *clients;
};

static void	console_flush_maybe(struct console *, int now);
static void	console_mark(struct console *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	console_note(struct console *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	console_gap(struct console *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* ---- the log file (the "io" worker) ------------------------------------ */

static void
console_file_release(struct console_file *f)
{
	if (--f->refs > 0)
		return;
	if (f->fd >= 0)
		(void)close(f->fd);
	free(f->path);
	free(f->dir);
	free(f);
}

static void
console_job_run(void *arg)
{
	struct console_job *j = arg;
	struct console_file *f = j->f;
	struct stat sb;
	off_t at = -1;

	if (j->reopen && f->fd >= 0) {
		(void)close(f->fd);
		f->fd = -1;
	}
	if (f->fd < 0) {
		if (mkdir(f->dir, 0750) != 0 && errno != EEXIST) {
			j->rc = -1;
			j->err_no = errno;
			j->what = "mkdir";
			j->kept = 1;
			return;
		}
		f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0640);
		if (f->fd < 0) {
			j->rc = -1;
			j->err_no = errno;
			j->what = "open";
			j->kept = 1;
			return;
		}
	}
	if (fstat(f->fd, &sb) == 0)
		at = sb.st_size;
	if (fileio_write_all(f->fd, j->p, j->len) != 0) {
		j->rc = -1;
		j->err_no = errno;
		j->what = "write";
		/* what got there is cut off again: the whole job can be
		 * written later, never a byte twice */
		j->kept = at >= 0 && ftruncate(f->fd, at) == 0;
		/* open it again next time: it may have been fixed */
		(void)close(f->fd);
		f->fd = -1;
		return;
	}
	if (fsync(f->fd) != 0) {
		j->rc = -1;
		j->err_no = errno;
		j->what = "fsync";
	}
}

/* a job failed: held in front of what came since, or lost */
static void
console_refused(struct console *c, struct console_job *j)
{
	char why[STORE_TEXT_MAX];

	(void)snprintf(why, sizeof(why), "%s: %s: %s", j->f->path, j->what,
	    strerror(j->err_no));
	(void)log_fail(&c->disk_lim, ev_now(), LOG_ERR, c->name, "console",
	    "%s%s", why, j->kept && !c->stopped && c->jobs == 0 ?
	    "; holding the console output until the disk takes it" : "");
	if (strcmp(j->what, "fsync") == 0)
		return;		/* written; whether it lasts is the disk's */
	(void)snprintf(c->lost_why, sizeof(c->lost_why), "%s: %s", j->what,
	    strerror(j->err_no));
	if (!j->kept || c->stopped || c->jobs > 0) {
		/* part of it may be there, or later bytes went ahead */
		c->lost += j->len;
		return;
	}
	/* blen + inflight stays within CONSOLE_BUF_MAX: it fits */
	memmove(c->buf + j->len, c->buf, c->blen);
	memcpy(c->buf, j->p, j->len);
	c->blen += j->len;
	c->disk_bad = 1;
	if (c->held_since == 0)
		c->held_since = ev_now();
	if (c->env.st != NULL)
		store_console_log(c->env.st, c->blen + c->inflight, why);
}

static void
console_job_done(void *arg)
{
	struct console_job *j = arg;
	struct console *c = j->f->owner;

	if (c != NULL) {
		c->jobs--;
		c->inflight -= j->len;
		if (j->rc != 0)
			console_refused(c, j);
		else {
			log_recover(&c->disk_lim, c->name, "console",
			    "the console log is written again");
			c->disk_bad = 0;
			if (c->held_since != 0) {
				console_mark(c, "held: the disk refused the log "
				    "for %.1f s (%s); the console output of "
				    "that time was kept and is above",
				    (ev_now() - c->held_since) / 1000.0,
				    c->lost_why);
				c->held_since = 0;
			}
			if (c->lost > 0) {
				console_gap(c, "gap: %llu bytes of console "
				    "output could not be written (%s)",
				    (unsigned long long)c->lost, c->lost_why);
				c->lost = 0;
			}
			if (c->env.st != NULL)
				store_console_log(c->env.st, c->blen +
				    c->inflight, NULL);
		}
		if (c->spare == NULL) {
			c->spare = j->p;
			j->p = NULL;
		}
		console_flush_maybe(c, 0);
	}
	console_file_release(j->f);
	free(j->p);
	free(j);
}

/* hand what waits to the worker */
static void
console_submit(struct console *c)
{
	struct console_job *j;

	if (c->blen == 0)
		return;
	j = xcalloc(1, sizeof(*j));
	j->f = c->f;
	j->p = c->buf;
	j->len = c->blen;
	j->reopen = c->reopen_next;
	if (work_submit(c->env.io, console_job_run, console_job_done,
	    j) != 0) {
		free(j);	/* the queue is full: keep it, later */
		ev_timer_set(c->env.ev, c->flush, CONSOLE_FLUSH_MS);
		c->flush_armed = 1;
		return;
	}
	c->f->refs++;
	c->jobs++;
	c->inflight += c->blen;
	c->reopen_next = 0;
	c->buf = c->spare != NULL ? c->spare : xmalloc(CONSOLE_BUF_MAX);
	c->spare = NULL;
	c->blen = 0;
}

static int64_t
console_on_flush(void *arg)
{
	struct console *c = arg;

	c->flush_armed = 0;
	if (c->jobs == 0)
		console_submit(c);
	return EV_STOP;
}

/* one write at a time: now, when enough waits, else on the timer (a
 * disk that refused the last one is tried again only on the timer) */
static void
console_flush_maybe(struct console *c, int now)
{
	if (c->blen == 0 || c->jobs > 0)
		return;
	if (!c->disk_bad && (now || c->blen >= CONSOLE_FLUSH_BYTES)) {
		console_submit(c);
		return;
	}
	if (!c->flush_armed) {
		c->flush_armed = 1;
		ev_timer_set(c->env.ev, c->flush, CONSOLE_FLUSH_MS);
	}
}

/* ---- log lines ---------------------------------------------------------- */

static void
console_ts(char *out, size_t len)
{
	struct store_when w;
	struct tm tm;
	time_t t;

	store_now(&w);
	t = (time_t)(w.wall_ms / 1000);
	if (gmtime_r(&t, &tm) == NULL || strftime(out, len,
	    "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		(void)snprintf(out, len, "%lld", (long long)(w.wall_ms / 1000));
		return;
	}
	(void)snprintf(out + strlen(out), len - strlen(out), ".%03dZ",
	    (int)(w.wall_ms % 1000));
}

static void
console_put(struct console *c, const void *p, size_t n)
{
	memcpy(c->buf + c->blen, p, n);
	c->blen += n;
}

/* a marker line of our own in the log */
static void
console_mark(struct console *c, const char *fmt, ...)
{
	char text[CONSOLE_MARK_MAX - 80], ts[40], line[CONSOLE_MARK_MAX];
	va_list ap;
	int n, cut = !c->bol;

	if (!c->log || c->buf == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	console_ts(ts, sizeof(ts));
	n = snprintf(line, sizeof(line), "%s%s # bmcwatch: %s%s\n",
	    cut ? "\n" : "", ts, text, cut ? " [newline added]" : "");
	if (n < 0 || (size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	if (c->inflight + c->blen + (size_t)n > CONSOLE_BUF_MAX)
		return;		/* the disk is far behind: said by it */
	console_put(c, line, (size_t)n);
	c->bol = 1;
	console_flush_maybe(c, 0);
}

/* a gap marker: console output is missing here (counted in the store) */
static void
console_gap(struct console *c, const char *fmt, ...)
{
	char text[CONSOLE_MARK_MAX - 80];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (c->env.st != NULL)
		c->env.st->console.gaps++;
	console_mark(c, "%s", text);
}

/* ---- patterns ------------------------------------------------------------ */

static void
console_match(struct console *c)
{
	struct store_when w;
	uint64_t now = c->env.clock != NULL ? c->env.clock() : ev_now();
	size_t i;

	c->line[c->llen] = '\0';
	for (i = 0; i < c->nre; i++) {
		if (regexec(&c->re[i], c->line, 0, NULL, 0) != 0)
			continue;
		if (now - c->ev_window >= 60000 || c->ev_window == 0) {
			c->ev_window = now;
			c->ev_count = 0;
		}
		if (c->ev_count >= CONSOLE_EV_BURST) {
			if (c->env.st != NULL)
				c->env.st->console.events_suppressed++;
			return;
		}
		c->ev_count++;
		log_target(LOG_WARNING, c->name, "console", "pattern \"%s\": "
		    "%s", c->pat[i], c->line);
		if (c->env.st != NULL) {
			store_now(&w);
			store_console_event(c->env.store, c->env.st, c->pat[i],
			    c->line, &w);
		}
		return;		/* one event a line */
	}
}

static void
console_scan(struct console *c, const uint8_t *p, size_t n)
{
	size_t i;

	if (c->nre == 0)
		return;
	for (i = 0; i < n; i++) {
		uint8_t b = p[i];

		if (b == '\n') {
			if (!c->lfull)
				console_match(c);
			c->llen = 0;
			c->lfull = 0;
			continue;
		}
		if (b == '\r' || c->lfull)
			continue;
		c->line[c->llen++] = b == '\t' ? ' ' : b >= 0x20 && b < 0x7f ?
		    (char)b : '.';
		if (c->llen == CONSOLE_LINE_MAX) {
			/* a line this long is matched on what it has */
			console_match(c);
			c->lfull = 1;
		}
	}
}

/* ---- clients ------------------------------------------------------------- */

static void
console_client_del(struct console *c, struct console_client *k)
{
	struct console_client **pp;

	for (pp = &c->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == k) {
			*pp = k->next;
			break;
		}
	if (c->env.st != NULL && c->env.st->console.clients > 0)
		c->env.st->console.clients--;
	free(k);
}

static void
console_send_all(struct console *c, enum ctl_sframe type, const void *p,
    size_t n)
{
	struct console_client *k, *next;

	for (k = c->clients; k != NULL; k = next) {
		next = k->next;
		if (ctl_stream_send(k->s, type, p, n) != 0) {
			log_target(LOG_NOTICE, c->name, "console", "client pid "
			    "%ld dropped: it did not read its console fast "
			    "enough", k->pid);
			console_client_del(c, k);
		}
	}
}

static void
console_note(struct console *c, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	if (c->clients == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	console_send_all(c, CTL_SF_NOTE, text, strlen(text));
}

static void
console_client_input(void *arg, struct ctl_stream *s, enum ctl_sframe type,
    const uint8_t *p, size_t n)
{
	struct console *c = arg;
	struct console_client *k;
	char msg[300];
	size_t took;

	for (k = c->clients; k != NULL && k->s != s; k = k->next)
		;
	if (k == NULL)
		return;
	if (!k->input) {
		if (!k->told) {
			k->told = 1;
			(void)snprintf(msg, sizeof(msg), "keystrokes are not "
			    "passed on: %s", k->why);
			if (ctl_stream_send(s, CTL_SF_NOTE, msg,
			    strlen(msg)) != 0)
				console_client_del(c, k);
		}
		return;
	}
	if (c->s == NULL || !c->active) {
		(void)snprintf(msg, sizeof(msg), "the console is not "
		    "connected: %zu keystroke bytes dropped", n);
		if (ctl_stream_send(s, CTL_SF_NOTE, msg, strlen(msg)) != 0)
			console_client_del(c, k);
		return;
	}
	if (type == CTL_SF_BREAK) {
		solsess_send_break(c->s, ev_now());
		log_target(LOG_NOTICE, c->name, "console", "break sent for "
		    "uid %ld (pid %ld)", ctl_stream_uid(s), ctl_stream_pid(s));
		return;
	}
	took = solsess_write(c->s, p, n, ev_now());
	if (took < n) {
		(void)snprintf(msg, sizeof(msg), "the BMC takes keystrokes "
		    "slower than they come: %zu bytes dropped", n - took);
		if (ctl_stream_send(s, CTL_SF_NOTE, msg, strlen(msg)) != 0)
			console_client_del(c, k);
	}
}

static void
console_client_gone(void *arg, struct ctl_stream *s)
{
	struct console *c = arg;
	struct console_client *k;

	for (k = c->clients; k != NULL && k->s != s; k = k->next)
		;
	if (k == NULL)
		return;
	log_target(LOG_INFO, c->name, "console", "client pid %ld detached",
	    ctl_stream_pid(s));
	console_client_del(c, k);
}

static const struct ctl_stream_ops console_ops = {
	console_client_input,
	console_client_gone
};

int
console_attach(struct console *c, struct ctl_stream *s, char *err,
    size_t errlen)
{
	const struct ctl_req *r = ctl_stream_req(s);
	struct console_client *k;
	const struct store_target *st = c->env.st;
	uint8_t chunk[4096];
	char text[600];
	uint64_t off, want;
	long got;

	if (c->stopped || st == NULL) {
		(void)snprintf(err, errlen, "%s: sol: the console is stopping",
		    c->name);
		return CTL_EUNAVAIL;
	}
	k = xcalloc(1, sizeof(*k));
	k->s = s;
	k->pid = ctl_stream_pid(s);
	if (!r->sol_input)
		(void)snprintf(k->why, sizeof(k->why), "attached read-only");
	else if (!c->input)
		(void)snprintf(k->why, sizeof(k->why), "input is off for %s "
		    "(input yes in its sol block)", c->name);
	else if (!ctl_stream_privileged(s))
		(void)snprintf(k->why, sizeof(k->why), "uid %ld is neither "
		    "root nor in the socket's group", ctl_stream_uid(s));
	else
		k->input = 1;
	(void)snprintf(text, sizeof(text), "%s: console %s; input %s%s%s\n",
	    c->name, st->console.state[0] ? st->console.state : "starting",
	    k->input ? "on" : "off", k->input ? "" : ": ",
	    k->input ? "" : k->why);
	ctl_stream_accept(s, &console_ops, c, text);
	log_target(LOG_NOTICE, c->name, "console", "client uid %ld pid %ld "
	    "attached, input %s", ctl_stream_uid(s), ctl_stream_pid(s),
	    k->input ? "on" : "off");
	/* what the ring still has of the last replay bytes */
	want = r->sol_replay < st->console.bytes ? r->sol_replay :
	    st->console.bytes;
	if (want > STORE_CONSOLE_RING)
		want = STORE_CONSOLE_RING;
	off = st->console.bytes - want;
	while (off < st->console.bytes) {
		got = store_console_read(st, off, chunk, sizeof(chunk));
		if (got <= 0)
			break;
		if (ctl_stream_send(s, CTL_SF_DATA, chunk, (size_t)got) != 0) {
			free(k);
			return 0;	/* dropped already */
		}
		off += (uint64_t)got;
	}
	k->next = c->clients;
	c->clients = k;
	c->env.st->console.clients++;
	return 0;
}

/* ---- the session --------------------------------------------------------- */

static void
console_state(struct console *c, int connected, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
console_state(struct console *c, int connected, const char *fmt, ...)
{
	char text[STORE_TEXT_MAX];
	struct store_when w;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (c->env.st == NULL)
		return;
	store_now(&w);
	store_console_state(c->env.st, connected, text, &w);
}

static size_t
console_out(void *arg, const uint8_t *p, size_t n)
{
	struct console *c = arg;
	char ts[40], pre[48];
	size_t i = 0, pl = 0;

	if (c->log) {
		if (c->timestamps) {
			console_ts(ts, sizeof(ts));
			pl = (size_t)snprintf(pre, sizeof(pre), "%s | ", ts);
		}
		if (c->stalled && c->inflight + c->blen + 1 + pl +
		    CONSOLE_MARK_ROOM <= CONSOLE_BUF_MAX) {
			c->stalled = 0;
			console_mark(c, "held: the BMC was kept waiting %.1f s "
			    "with console output (the log's buffer was full: "
			    "%s); what it could not keep meanwhile is missing "
			    "here", (ev_now() - c->stall_since) / 1000.0,
			    c->stall_why);
		}
		for (i = 0; i < n; i++) {
			size_t need = 1 + (c->bol ? pl : 0);

			/* room kept for the markers that may follow */
			if (c->inflight + c->blen + need + CONSOLE_MARK_ROOM >
			    CONSOLE_BUF_MAX)
				break;
			if (c->bol && pl > 0)
				console_put(c, pre, pl);
			c->buf[c->blen++] = p[i];
			c->bol = p[i] == '\n';
		}
		if (i < n && !c->stalled) {
			c->stalled = 1;
			c->stall_since = ev_now();
			(void)snprintf(c->stall_why, sizeof(c->stall_why),
			    "%s", c->disk_bad ? c->lost_why : "the disk is "
			    "behind");
		}
		n = i;	/* the rest is left unacknowledged: sent again */
		console_flush_maybe(c, 0);
		if (c->env.st != NULL)
			c->env.st->console.log_waiting = c->blen + c->inflight;
	}
	if (n == 0)
		return 0;
	if (c->env.st != NULL)
		store_console_data(c->env.st, p, n);
	console_scan(c, p, n);
	for (i = 0; i < n; i += CTL_SFRAME_MAX)
		console_send_all(c, CTL_SF_DATA, p + i, n - i < CTL_SFRAME_MAX ?
		    n - i : CTL_SFRAME_MAX);
	return n;
}

static void
console_on_active(struct console *c)
{
	struct ipmi_tr *tr = conn_tr(c->conn);
	char took[80];

	c->active = 1;
	c->retook = 0;
	c->yielded = 0;
	c->backoff_ms = CONSOLE_RETRY_MIN_MS;
	c->last_sid = ipmi_tr_session_id(tr);
	took[0] = '\0';
	if (solsess_took_over(c->s))
		(void)snprintf(took, sizeof(took), ", taken over from another "
		    "session");
	if (c->down_wall_ms != 0)
		console_gap(c, "gap: %.1f s without the console (what the "
		    "server wrote meanwhile is lost)", (ev_now() -
		    c->down_mono_ms) / 1000.0);
	console_mark(c, "connected: SOL payload instance 1, BMC session "
	    "0x%08x%s", c->last_sid, took);
	log_recover(&c->lim, c->name, "console", "connected again");
	log_target(LOG_NOTICE, c->name, "console", "connected (SOL payload "
	    "instance 1, BMC session 0x%08x%s)", c->last_sid, took);
	console_state(c, 1, "connected (session 0x%08x)", c->last_sid);
	console_note(c, "console connected%s", took);
}

static void
console_on_event(void *arg, enum solsess_ev e)
{
	struct console *c = arg;

	switch (e) {
	case SOLSESS_EV_ACTIVE:
		console_on_active(c);
		break;
	case SOLSESS_EV_ENDED:
		/* freed from the loop, not from inside solsess */
		ev_timer_set(c->env.ev, c->reap, 0);
		break;
	case SOLSESS_EV_OVERRUN:
		console_gap(c, "gap: the BMC lost console characters "
		    "(transmit overrun)");
		console_note(c, "the BMC lost console characters (transmit "
		    "overrun)");
		break;
	case SOLSESS_EV_BREAK:
		console_note(c, "the BMC saw a break from the server");
		break;
	case SOLSESS_EV_UNAVAILABLE:
		console_note(c, "character transfer %s", solsess_unavailable(
		    c->s) ? "unavailable" : "available again");
		break;
	case SOLSESS_EV_INPUT_DROPPED:
		console_note(c, "keystrokes were not acknowledged by the BMC "
		    "and are lost");
		break;
	}
}

static int64_t
console_on_retry(void *arg)
{
	struct console *c = arg;
	struct solsess_cfg cfg;

	if (c->conn == NULL || c->stopped || c->s != NULL)
		return EV_STOP;
	solsess_cfg_init(&cfg);
	cfg.takeover = (c->takeover && !c->yielded) || c->force_takeover;
	cfg.probe_ms = CONSOLE_PROBE_MS;
	c->force_takeover = 0;
	c->s = solsess_new(conn_tr(c->conn), &cfg, console_out,
	    console_on_event, c);
	solsess_attach(c->s, c->env.ev, c->conn);
	if (!c->active && c->env.st != NULL &&
	    c->env.st->console.state[0] == '\0')
		console_state(c, 0, "activating");
	if (solsess_start(c->s, ev_now()) != 0)
		ev_timer_set(c->env.ev, c->reap, 0);
	return EV_STOP;
}

static void
console_retry_in(struct console *c, uint64_t ms)
{
	ev_timer_set(c->env.ev, c->retry, (int64_t)ms);
}

static uint64_t
console_backoff(struct console *c)
{
	uint64_t d = c->backoff_ms, max = c->env.backoff_max_s * 1000ull;

	c->backoff_ms = d * 2 > max ? max : d * 2;
	return d;
}

/* the session ended: say it, then when to try again */
static void
console_ended(struct console *c)
{
	enum solsess_end end = solsess_end(c->s);
	uint32_t holder = solsess_holder(c->s);
	char why[300];
	int was = c->active;
	uint64_t now = ev_now(), d;

	(void)snprintf(why, sizeof(why), "%s", solsess_errtext(c->s));
	if (why[0] == '\0')
		(void)snprintf(why, sizeof(why), "closed");
	solsess_free(c->s);
	c->s = NULL;
	c->active = 0;
	if (was) {
		c->down_wall_ms = 1;
		c->down_mono_ms = now;
		console_mark(c, "disconnected: %s", why);
		console_note(c, "console disconnected: %s", why);
		log_target(LOG_WARNING, c->name, "console", "disconnected: %s",
		    why);
	}
	if (c->stopped || c->conn == NULL)
		return;
	switch (end) {
	case SOLSESS_END_CLOSED:
		return;
	case SOLSESS_END_BUSY:
		if (holder != 0 && holder == c->last_sid && !c->retook) {
			/* the instance of our own earlier session */
			c->retook = 1;
			c->force_takeover = 1;
			log_target(LOG_NOTICE, c->name, "console", "%s: that "
			    "was this daemon's earlier session: taking it "
			    "back", why);
			console_state(c, 0, "taking back our earlier "
			    "session's instance");
			console_retry_in(c, 0);
			return;
		}
		d = console_backoff(c);
		(void)log_fail(&c->lim, now, LOG_WARNING, c->name, "console",
		    "%s: not taking it over (%s); trying again, backing off "
		    "to %u s", why, c->yielded ? "it was taken from us" :
		    "takeover no", c->env.backoff_max_s);
		console_state(c, 0, "waiting: %s", why);
		console_retry_in(c, d);
		return;
	case SOLSESS_END_TAKEN:
	case SOLSESS_END_DEACTIVATED:
		c->yielded = 1;
		c->backoff_ms = CONSOLE_YIELD_MS;
		d = console_backoff(c);
		log_target(LOG_NOTICE, c->name, "console", "%s: left to the "
		    "other user; activating again in %.0f s once the instance "
		    "is free, never taking it over", why, d / 1000.0);
		console_state(c, 0, "yielded: %s", why);
		console_retry_in(c, d);
		return;
	case SOLSESS_END_REFUSED:
	case SOLSESS_END_PORT:
	case SOLSESS_END_UNSUPPORTED:
		(void)log_fail(&c->lim, now, LOG_ERR, c->name, "console",
		    "%s; trying again every %u s", why, c->env.backoff_max_s);
		console_state(c, 0, "refused: %s", why);
		console_retry_in(c, c->env.backoff_max_s * 1000ull);
		return;
	default:
		d = console_backoff(c);
		(void)log_fail(&c->lim, now, LOG_WARNING, c->name, "console",
		    "%s; trying again, backing off to %u s", why,
		    c->env.backoff_max_s);
		console_state(c, 0, "waiting: %s", why);
		console_retry_in(c, d);
		return;
	}
}

static int64_t
console_on_reap(void *arg)
{
	struct console *c = arg;

	if (c->s != NULL && solsess_state(c->s) == SOLSESS_ENDED)
		console_ended(c);
	return EV_STOP;
}

/* ---- life ---------------------------------------------------------------- */

struct console *
console_new(const struct console_env *env, const struct conf_sol *sol)
{
	struct console *c = xcalloc(1, sizeof(*c));
	size_t i, len;

	c->env = *env;
	(void)snprintf(c->name, sizeof(c->name), "%s", env->name);
	c->env.name = c->name;
	c->env.archive_dir = NULL;
	c->log = sol->log;
	c->input = sol->input;
	c->timestamps = sol->timestamps;
	c->takeover = sol->takeover;
	c->backoff_ms = CONSOLE_RETRY_MIN_MS;
	c->bol = 1;
	if (sol->npatterns > 0) {
		c->re = xcalloc(sol->npatterns, sizeof(*c->re));
		c->pat = xcalloc(sol->npatterns, sizeof(*c->pat));
	}
	for (i = 0; i < sol->npatterns; i++) {
		/* checked by conf.c: a failure here is a broken invariant */
		if (regcomp(&c->re[c->nre], sol->patterns[i], REG_EXTENDED |
		    REG_NOSUB) != 0)
			fatalx("console", "%s: pattern \"%s\" does not compile",
			    c->name, sol->patterns[i]);
		c->pat[c->nre++] = xstrdup(sol->patterns[i]);
	}
	c->retry = ev_timer_add(env->ev, -1, console_on_retry, c);
	c->reap = ev_timer_add(env->ev, -1, console_on_reap, c);
	c->flush = ev_timer_add(env->ev, -1, console_on_flush, c);
	if (c->log) {
		c->f = xcalloc(1, sizeof(*c->f));
		c->f->owner = c;
		c->f->refs = 1;
		c->f->fd = -1;
		len = strlen(env->archive_dir) + 9;
		c->f->dir = xmalloc(len);
		(void)snprintf(c->f->dir, len, "%s/console", env->archive_dir);
		len += strlen(c->name) + 5;
		c->f->path = xmalloc(len);
		(void)snprintf(c->f->path, len, "%s/%s.log", c->f->dir,
		    c->name);
		c->buf = xmalloc(CONSOLE_BUF_MAX);
		console_mark(c, "logging started");
	}
	if (c->env.st != NULL) {
		store_console_config(c->env.st, 1, c->log, c->input);
		console_state(c, 0, "starting");
	}
	return c;
}

void
console_set_conn(struct console *c, struct conn *conn)
{
	if (c == NULL)
		return;
	if (c->s != NULL) {
		if (c->active) {
			c->down_wall_ms = 1;
			c->down_mono_ms = ev_now();
			console_mark(c, "disconnected: the target's transport "
			    "is set up again");
			console_note(c, "console disconnected: the target's "
			    "transport is set up again");
			console_state(c, 0, "reconnecting");
		}
		solsess_free(c->s);
		c->s = NULL;
		c->active = 0;
	}
	ev_timer_set(c->env.ev, c->reap, -1);
	c->conn = conn;
	if (conn != NULL && !c->stopped)
		console_retry_in(c, 0);
	else
		ev_timer_set(c->env.ev, c->retry, -1);
}

void
console_kick(struct console *c)
{
	if (c == NULL || c->stopped || c->conn == NULL || c->s != NULL ||
	    c->yielded)
		return;
	c->backoff_ms = CONSOLE_RETRY_MIN_MS;
	console_retry_in(c, 0);
}

/*
 * What waits goes to the file as it is (renamed by logrotate, say),
 * ending on a marker; the next job opens the path again, and the new
 * file starts with a marker: each file is whole lines.
 */
void
console_reopen(struct console *c)
{
	if (c == NULL || c->f == NULL || c->stopped)
		return;
	console_mark(c, "reopening the log (SIGHUP)");
	console_submit(c);
	c->reopen_next = 1;
	console_mark(c, "log reopened (SIGHUP)");
}

void
console_stop(struct console *c)
{
	struct console_client *k;

	if (c == NULL || c->stopped)
		return;
	c->stopped = 1;
	ev_timer_set(c->env.ev, c->retry, -1);
	ev_timer_set(c->env.ev, c->reap, -1);
	if (c->s != NULL) {
		/* Close Session deactivates the instance (section 15.5) */
		if (c->active) {
			console_mark(c, "disconnected: bmcwatchd stops "
			    "watching this target");
			log_target(LOG_INFO, c->name, "console",
			    "disconnected: stopping");
		}
		solsess_free(c->s);
		c->s = NULL;
		c->active = 0;
	}
	while ((k = c->clients) != NULL) {
		char msg[200];

		(void)snprintf(msg, sizeof(msg), "%s: the console is stopping "
		    "(bmcwatchd stops or reloads this target)", c->name);
		c->clients = k->next;
		ctl_stream_end(k->s, CTL_EUNAVAIL, msg);
		free(k);
	}
	console_mark(c, "logging stopped");
	if (c->log && c->blen > 0) {
		/* the rest goes even behind a write in flight (FIFO) */
		console_submit(c);
	}
	c->env.st = NULL;
}

void
console_free(struct console *c)
{
	size_t i;

	if (c == NULL)
		return;
	console_stop(c);
	ev_timer_del(c->env.ev, c->retry);
	ev_timer_del(c->env.ev, c->reap);
	ev_timer_del(c->env.ev, c->flush);
	for (i = 0; i < c->nre; i++) {
		regfree(&c->re[i]);
		free(c->pat[i]);
	}
	free(c->re);
	free(c->pat);
	if (c->f != NULL) {
		c->f->owner = NULL;
		console_file_release(c->f);
	}
	free(c->buf);
	free(c->spare);
	free(c);
}

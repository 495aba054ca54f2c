/*
 * Event webhooks: the queue, its file and the sender (see webhook.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "http.h"
#include "jsonw.h"
#include "lan_crypto.h"
#include "log.h"
#include "store/store.h"
#include "webhook.h"
#include "work.h"
#include "xmem.h"

#define WH_FILE_MAX	(64u * 1024 * 1024)	/* a queue file read back */
#define WH_BACKOFF_MIN_MS 1000u
#define WH_BACKOFF_MAX_MS 60000u
#define WH_BODY_MAX	(64u * 1024)		/* the receiver's answer */
#define WH_PATH_MAX	4096

struct wh_item {
	uint64_t	 seq;		/* 0: not numbered yet (before the
					 * queue file was read back) */
	char		*doc;		/* the JSON document, no newline */
	size_t		 len;
	char		 kind[24];
	int		 durable;	/* in the queue file, fsynced */
};

enum wh_job_kind {
	WH_LOAD,
	WH_APPEND,
	WH_ACK,		/* the sent file; and the queue file emptied */
	WH_REWRITE	/* the queue file as the queue is (after a drop) */
};

struct wh;

struct wh_job {
	struct wh	*w;		/* NULL: the endpoint went away */
	enum wh_job_kind kind;
	char		*qpath;
	char		*spath;
	char		*data;		/* APPEND, REWRITE: lines */
	size_t		 len;
	uint64_t	 seq;		/* APPEND, ACK */
	int		 empty;		/* ACK: empty the queue file */
	int		 rc;
	char		 err[300];
	/* LOAD results */
	uint64_t	 sent;
	uint64_t	 maxseq;
	struct wh_item	*items;
	size_t		 nitems;
	size_t		 skipped;	/* malformed or cut lines */
	char		 serr[300];	/* the sent file is unreadable */
};

struct wh {
	struct webhook_set *set;
	const struct conf_webhook *c;
	char		 name[CONF_NAME_MAX + 1];
	struct http	*http;
	char		*qpath;
	char		*spath;
	/* the queue: q[0] is the oldest */
	struct wh_item	*q;
	size_t		 n;
	size_t		 cap;
	int		 loaded;
	uint64_t	 next_seq;
	struct http_xfer *x;		/* q[0] in flight */
	struct ev_timer	*retry;
	int		 waiting;	/* retry armed */
	unsigned	 attempt;
	unsigned	 jobs;		/* io jobs out */
	struct store_webhook st;
	struct log_limit lim;
	struct log_limit drop_lim;
	struct wh	*next;
};

struct webhook_set {
	struct ev	*ev;
	struct work	*io;
	struct store	*store;
	const struct conf *conf;
	struct wh	*list;
	char		 instance[17];	/* random, per daemon start */
	uint64_t	 nevents;
};

static void	wh_kick(struct wh *);
static void	wh_job_submit(struct wh *, struct wh_job *);
static int	wh_http(struct wh *, char *, size_t);

/* ---- the disk (io worker) ---------------------------------------------- */

static void
wh_job_free(struct wh_job *j)
{
	size_t i;

	for (i = 0; i < j->nitems; i++)
		free(j->items[i].doc);
	free(j->items);
	free(j->qpath);
	free(j->spath);
	free(j->data);
	free(j);
}

/* a decimal uint64 up to the cursor's end; -1 if not one */
static int
wh_parse_seq(struct rbuf *rb, uint64_t *v)
{
	uint64_t n = 0;
	int c, any = 0;

	while ((c = rd_peek(rb)) >= '0' && c <= '9') {
		(void)rd_u8(rb);
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(c - '0');
		any = 1;
	}
	*v = n;
	return any ? 0 : -1;
}

int
webhook_sent_parse(const void *buf, size_t len, uint64_t *seq)
{
	struct rbuf rb;
	uint64_t v;

	rb_init(&rb, buf, len);
	if (wh_parse_seq(&rb, &v) != 0 || rd_u8(&rb) != '\n' || rb.err ||
	    rd_left(&rb) != 0)
		return -1;
	*seq = v;
	return 0;
}

size_t
webhook_queue_parse(const void *buf, size_t len, uint64_t sent,
    uint64_t *maxseq, webhook_line_fn *fn, void *arg)
{
	struct rbuf rb, probe, line;
	const uint8_t *doc;
	uint64_t seq, last = 0;
	size_t n, skipped = 0;
	int nl;

	*maxseq = sent;
	rb_init(&rb, buf, len);
	while (rd_left(&rb) > 0) {
		/* the line's length: up to its newline */
		probe = rb;
		n = 0;
		nl = 0;
		while (rd_left(&probe) > 0) {
			if (rd_u8(&probe) == '\n') {
				nl = 1;
				break;
			}
			n++;
		}
		if (!nl) {
			skipped++;	/* cut by a crash mid-append */
			break;
		}
		rd_sub(&rb, n, &line);
		rd_skip(&rb, 1);
		if (wh_parse_seq(&line, &seq) != 0 || rd_u8(&line) != ' ' ||
		    rd_peek(&line) != '{' || line.err || seq <= last) {
			skipped++;
			continue;
		}
		last = seq;
		if (seq > *maxseq)
			*maxseq = seq;
		if (seq <= sent)
			continue;
		n = rd_left(&line);
		if ((doc = rd_ptr(&line, n)) != NULL && fn != NULL)
			fn(arg, seq, (const char *)doc, n);
	}
	return skipped;
}

static void
wh_load_line(void *arg, uint64_t seq, const char *doc, size_t len)
{
	struct wh_job *j = arg;
	struct wh_item *it;

	j->items = xreallocarray(j->items, j->nitems + 1, sizeof(*j->items));
	it = &j->items[j->nitems++];
	memset(it, 0, sizeof(*it));
	it->seq = seq;
	it->len = len;
	it->doc = xmalloc(len + 1);
	memcpy(it->doc, doc, len);
	it->doc[len] = '\0';
	it->durable = 1;
}

/* read a whole small file (at most max bytes); NULL if absent (rc 1) */
static char *
wh_read(const char *path, size_t max, size_t *len, int *rc, char *err,
    size_t errlen)
{
	struct stat sb;
	char *buf;
	ssize_t n;
	int fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*rc = errno == ENOENT ? 1 : -1;
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || (size_t)sb.st_size > max) {
		(void)snprintf(err, errlen, "%s: over %zu bytes", path, max);
		(void)close(fd);
		*rc = -1;
		return NULL;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	n = fileio_read_all(fd, buf, (size_t)sb.st_size);
	(void)close(fd);
	if (n < 0) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		*rc = -1;
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	*rc = 0;
	return buf;
}

/* the sent file, then the queue file (webhook_queue_parse) */
static void
wh_load_run(struct wh_job *j)
{
	char *buf;
	size_t len;
	int rc;

	buf = wh_read(j->spath, 64, &len, &rc, j->serr, sizeof(j->serr));
	j->sent = 0;
	if (buf != NULL) {
		if (webhook_sent_parse(buf, len, &j->sent) != 0) {
			j->sent = 0;
			(void)snprintf(j->serr, sizeof(j->serr), "%s: not a "
			    "sequence number and a newline", j->spath);
		} else
			j->serr[0] = '\0';
		free(buf);
	} else if (rc > 0)
		j->serr[0] = '\0';	/* none yet */
	j->maxseq = j->sent;
	if ((buf = wh_read(j->qpath, WH_FILE_MAX, &len, &rc, j->err,
	    sizeof(j->err))) == NULL) {
		j->rc = rc < 0 ? -1 : 0;
		return;
	}
	j->skipped = webhook_queue_parse(buf, len, j->sent, &j->maxseq,
	    wh_load_line, j);
	free(buf);
	j->rc = 0;
}

static void
wh_job_run(void *arg)
{
	struct wh_job *j = arg;
	char tmp[WH_PATH_MAX], line[32];
	struct stat sb;
	int fd, n;

	j->rc = 0;
	memset(&sb, 0, sizeof(sb));
	switch (j->kind) {
	case WH_LOAD:
		wh_load_run(j);
		break;
	case WH_APPEND:
		/* a line cut by a failed write (ENOSPC, EFBIG) is cut off
		 * again: glued to the next one it would read back as a
		 * well-formed line holding a broken document */
		if ((fd = open(j->qpath, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC, 0600)) < 0 || fstat(fd, &sb) != 0 ||
		    fileio_write_all(fd, j->data, j->len) != 0 ||
		    fsync(fd) != 0) {
			(void)snprintf(j->err, sizeof(j->err), "%s: %s (the "
			    "event is sent all the same, but would not be "
			    "again after a restart)", j->qpath,
			    strerror(errno));
			j->rc = -1;
			if (fd >= 0 && S_ISREG(sb.st_mode) &&
			    ftruncate(fd, sb.st_size) != 0) {
				size_t k = strlen(j->err);

				(void)snprintf(j->err + k, sizeof(j->err) - k,
				    "; not cut back: %s", strerror(errno));
			}
		}
		if (fd >= 0)
			(void)close(fd);
		break;
	case WH_ACK:
		n = snprintf(line, sizeof(line), "%llu\n",
		    (unsigned long long)j->seq);
		(void)snprintf(tmp, sizeof(tmp), "%s.tmp", j->spath);
		j->rc = fileio_replace(j->spath, tmp, line, (size_t)n, 0600,
		    j->err, sizeof(j->err));
		if (j->rc == 0 && j->empty) {
			(void)snprintf(tmp, sizeof(tmp), "%s.tmp", j->qpath);
			j->rc = fileio_replace(j->qpath, tmp, "", 0, 0600,
			    j->err, sizeof(j->err));
		}
		break;
	case WH_REWRITE:
		(void)snprintf(tmp, sizeof(tmp), "%s.tmp", j->qpath);
		j->rc = fileio_replace(j->qpath, tmp, j->data != NULL ?
		    j->data : "", j->len, 0600, j->err, sizeof(j->err));
		break;
	}
}

/* ---- the queue --------------------------------------------------------- */

static void
wh_publish(struct wh *w)
{
	w->st.queued = w->n;
	w->st.queue_max = w->c->queue_max;
	w->st.attempt = w->attempt;
	store_set_webhook(w->set->store, &w->st);
}

static void
wh_free_if_gone(struct wh *w)
{
	if (w->set != NULL || w->jobs > 0)
		return;
	free(w);
}

/* "SEQ DOC\n" of items [from, n) of the queue */
static char *
wh_lines(struct wh *w, size_t from, size_t *len)
{
	size_t i, cap = 1, off = 0;
	char *buf;
	int k;

	for (i = from; i < w->n; i++)
		cap += w->q[i].len + 24;
	buf = xmalloc(cap);
	for (i = from; i < w->n; i++) {
		if (w->q[i].seq == 0)
			continue;
		k = snprintf(buf + off, cap - off, "%llu %s\n",
		    (unsigned long long)w->q[i].seq, w->q[i].doc);
		if (k < 0 || (size_t)k >= cap - off)
			break;
		off += (size_t)k;
	}
	buf[off] = '\0';
	*len = off;
	return buf;
}

static struct wh_job *
wh_job_new(struct wh *w, enum wh_job_kind kind)
{
	struct wh_job *j = xcalloc(1, sizeof(*j));

	j->w = w;
	j->kind = kind;
	j->qpath = xstrdup(w->qpath);
	j->spath = xstrdup(w->spath);
	return j;
}

static void
wh_append(struct wh *w, struct wh_item *it)
{
	struct wh_job *j = wh_job_new(w, WH_APPEND);
	size_t cap = it->len + 24;
	int k;

	j->seq = it->seq;
	j->data = xmalloc(cap);
	k = snprintf(j->data, cap, "%llu %s\n", (unsigned long long)it->seq,
	    it->doc);
	j->len = k > 0 && (size_t)k < cap ? (size_t)k : 0;
	wh_job_submit(w, j);
}

static void
wh_drop(struct wh *w, size_t i, const char *why)
{
	struct wh_job *j;

	w->st.dropped++;
	(void)log_fail(&w->drop_lim, ev_now(), LOG_WARNING, NULL, "webhook",
	    "%s: queue full (%u events): %s (%llu dropped so far)", w->name,
	    w->c->queue_max, why, (unsigned long long)w->st.dropped);
	free(w->q[i].doc);
	memmove(&w->q[i], &w->q[i + 1], (w->n - i - 1) * sizeof(w->q[0]));
	w->n--;
	/* the file must not bring it back at the next start */
	if (w->loaded) {
		j = wh_job_new(w, WH_REWRITE);
		j->data = wh_lines(w, 0, &j->len);
		wh_job_submit(w, j);
	}
}

/* room for one more; 0, or -1 when the new one is to be dropped */
static int
wh_room(struct wh *w)
{
	if (w->n < w->c->queue_max)
		return 0;
	if (w->c->overflow == CONF_OVERFLOW_DROP_NEWEST) {
		w->st.dropped++;
		(void)log_fail(&w->drop_lim, ev_now(), LOG_WARNING, NULL,
		    "webhook", "%s: queue full (%u events): the newest event "
		    "dropped (drop-newest; %llu dropped so far)", w->name,
		    w->c->queue_max, (unsigned long long)w->st.dropped);
		return -1;
	}
	/* drop-oldest: never the one in flight */
	wh_drop(w, w->x != NULL && w->n > 1 ? 1 : 0, "the oldest event "
	    "dropped (drop-oldest)");
	return 0;
}

static void
wh_enqueue(struct wh *w, const char *doc, size_t len, const char *kind)
{
	struct wh_item *it;

	if (wh_room(w) != 0)
		return;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->q = xreallocarray(w->q, w->cap, sizeof(*w->q));
	}
	it = &w->q[w->n++];
	memset(it, 0, sizeof(*it));
	it->doc = xmalloc(len + 1);
	memcpy(it->doc, doc, len);
	it->doc[len] = '\0';
	it->len = len;
	(void)snprintf(it->kind, sizeof(it->kind), "%s", kind);
	if (w->loaded) {
		it->seq = w->next_seq++;
		wh_append(w, it);
	}
	wh_publish(w);
}

static void
wh_job_done(void *arg)
{
	struct wh_job *j = arg;
	struct wh *w = j->w;
	size_t i, k;

	if (w == NULL) {
		wh_job_free(j);
		return;
	}
	w->jobs--;
	if (w->set == NULL) {
		wh_job_free(j);
		wh_free_if_gone(w);
		return;
	}
	if (j->rc != 0)
		log_warnx("webhook", "%s: %s", w->name, j->err);
	switch (j->kind) {
	case WH_LOAD: {
		/* read back first, then what came meanwhile */
		struct wh_item *old = w->q;
		size_t nold = w->n;

		if (j->serr[0] != '\0')
			log_warnx("webhook", "%s: %s: every queued event is "
			    "sent again", w->name, j->serr);
		if (j->skipped > 0)
			log_warnx("webhook", "%s: %s: %zu line(s) cut or "
			    "malformed: skipped", w->name, w->qpath,
			    j->skipped);
		if (j->nitems > 0)
			log_info("webhook", "%s: %zu event(s) not delivered "
			    "before the restart: sending them first", w->name,
			    j->nitems);
		w->cap = j->nitems + nold + 16;
		w->q = xcalloc(w->cap, sizeof(*w->q));
		w->n = 0;
		for (i = 0; i < j->nitems; i++) {
			w->q[w->n] = j->items[i];
			(void)snprintf(w->q[w->n].kind,
			    sizeof(w->q[w->n].kind), "queued");
			w->n++;
		}
		free(j->items);
		j->items = NULL;
		j->nitems = 0;
		w->next_seq = j->maxseq + 1;
		w->loaded = 1;
		/* over the bound after a restart with a smaller one */
		while (w->n > w->c->queue_max && w->n > 0)
			wh_drop(w, 0, "read back over queue-size");
		for (k = 0; k < nold; k++) {
			if (wh_room(w) != 0) {
				free(old[k].doc);
				continue;
			}
			w->q[w->n] = old[k];
			w->q[w->n].seq = w->next_seq++;
			w->n++;
			wh_append(w, &w->q[w->n - 1]);
		}
		free(old);
		break;
	}
	case WH_APPEND:
		/* sent all the same if the disk failed: better than not */
		for (i = 0; i < w->n; i++)
			if (w->q[i].seq == j->seq)
				w->q[i].durable = 1;
		break;
	default:
		break;
	}
	wh_job_free(j);
	wh_publish(w);
	wh_kick(w);
}

static void
wh_job_submit(struct wh *w, struct wh_job *j)
{
	if (work_submit(w->set->io, wh_job_run, wh_job_done, j) != 0) {
		/* the io queue is full: the disk is far behind */
		log_warnx("webhook", "%s: io queue full: %s not written",
		    w->name, j->kind == WH_APPEND ? "an event" : "the queue "
		    "state");
		if (j->kind == WH_APPEND) {
			size_t i;

			for (i = 0; i < w->n; i++)
				if (w->q[i].seq == j->seq)
					w->q[i].durable = 1;
		}
		wh_job_free(j);
		return;
	}
	w->jobs++;
}

/* ---- the sender -------------------------------------------------------- */

static int64_t
wh_on_retry(void *arg)
{
	struct wh *w = arg;

	w->waiting = 0;
	wh_kick(w);
	return EV_STOP;
}

static void
wh_failed(struct wh *w, const char *why)
{
	uint64_t d;
	uint8_t r[4];
	uint32_t rnd;

	w->st.failures++;
	w->attempt++;
	(void)snprintf(w->st.last_error, sizeof(w->st.last_error), "%s", why);
	(void)log_fail(&w->lim, ev_now(), LOG_WARNING, NULL, "webhook",
	    "%s: %s (event kept, retried with backoff)", w->name, why);
	d = (uint64_t)WH_BACKOFF_MIN_MS << (w->attempt > 7 ? 6 :
	    w->attempt - 1);
	if (d > WH_BACKOFF_MAX_MS)
		d = WH_BACKOFF_MAX_MS;
	/* jitter: d/2 .. d, so endpoints recovering together spread */
	if (lcr_random(r, sizeof(r)) != 0)
		memset(r, 0x55, sizeof(r));
	rnd = (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 |
	    (uint32_t)r[3] << 24;
	d = d / 2 + rnd % (d / 2 + 1);
	w->waiting = 1;
	ev_timer_set(w->set->ev, w->retry, (int64_t)d);
	wh_publish(w);
}

static void
wh_sent(void *arg, const struct http_rsp *rsp)
{
	struct wh *w = arg;
	struct wh_job *j;
	char why[HTTP_ERR_MAX + 64];

	w->x = NULL;
	if (rsp->err != HTTP_OK) {
		wh_failed(w, rsp->error);
		return;
	}
	if (rsp->status < 200 || rsp->status > 299) {
		(void)snprintf(why, sizeof(why), "%s: HTTP %ld", rsp->url,
		    rsp->status);
		wh_failed(w, why);
		return;
	}
	if (w->attempt > 0)
		log_recover(&w->lim, NULL, "webhook", w->name);
	w->attempt = 0;
	w->st.delivered++;
	w->st.last_error[0] = '\0';
	j = wh_job_new(w, WH_ACK);
	j->seq = w->q[0].seq;
	free(w->q[0].doc);
	memmove(&w->q[0], &w->q[1], (w->n - 1) * sizeof(w->q[0]));
	w->n--;
	j->empty = w->n == 0;
	wh_job_submit(w, j);
	wh_publish(w);
	wh_kick(w);
}

static void
wh_hex(const uint8_t *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* the idempotency key of a document: its first member, as written */
static void
wh_key(const char *doc, char *out, size_t len)
{
	const char *p = strstr(doc, "\"idempotency_key\":\"");
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen("\"idempotency_key\":\"");
	n = strcspn(p, "\"");
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void
wh_kick(struct wh *w)
{
	const struct conf_webhook *c = w->c;
	struct http_req req;
	struct wh_item *it;
	const char *hdr[5];
	char key[96], hkey[128], hkind[64], auth[CONF_SECRET_FILE_MAX + 32];
	char sig[128], user[256], err[HTTP_ERR_MAX];
	uint8_t mac[64];
	size_t maclen = 0, nh = 0, n;
	const char *colon;

	if (w->set == NULL || !w->loaded || w->x != NULL || w->n == 0 ||
	    w->waiting)
		return;
	it = &w->q[0];
	if (!it->durable)
		return;		/* its fsync first */
	if (wh_http(w, err, sizeof(err)) != 0) {
		wh_failed(w, err);
		return;
	}
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = c->url;
	req.body = it->doc;
	req.body_len = it->len;
	wh_key(it->doc, key, sizeof(key));
	(void)snprintf(hkey, sizeof(hkey), "Idempotency-Key: %s", key);
	hdr[nh++] = hkey;
	(void)snprintf(hkind, sizeof(hkind), "X-Bmcwatch-Event: %s",
	    it->kind);
	hdr[nh++] = hkind;
	if (c->bearer_token.p != NULL) {
		(void)snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    (const char *)c->bearer_token.p);
		hdr[nh++] = auth;
	} else if (c->basic_auth.p != NULL &&
	    (colon = strchr((const char *)c->basic_auth.p, ':')) != NULL) {
		size_t ul = (size_t)(colon - (const char *)c->basic_auth.p);

		if (ul >= sizeof(user))
			ul = sizeof(user) - 1;
		memcpy(user, c->basic_auth.p, ul);
		user[ul] = '\0';
		req.user = user;
		req.password = colon + 1;
	}
	if (c->hmac_secret.p != NULL) {
		if (lcr_hmac(LCR_AUTH_HMAC_SHA256, c->hmac_secret.p,
		    c->hmac_secret.len, (const uint8_t *)it->doc, it->len, mac,
		    &maclen) != 0 || maclen != 32) {
			wh_failed(w, "HMAC-SHA256 failed");
			return;
		}
		n = (size_t)snprintf(sig, sizeof(sig), "X-Bmcwatch-Signature: "
		    "sha256=");
		wh_hex(mac, maclen, sig + n);
		hdr[nh++] = sig;
	}
	req.headers = hdr;
	req.nheaders = nh;
	w->x = http_submit(w->http, &req, wh_sent, w, err, sizeof(err));
	explicit_bzero(auth, sizeof(auth));
	explicit_bzero(user, sizeof(user));
	if (w->x == NULL)
		wh_failed(w, err);
}

/* ---- events ------------------------------------------------------------ */

static unsigned
wh_bit(enum store_ev_kind k)
{
	static const unsigned bits[] = {
		[STORE_EV_SENSOR] = CONF_EV_SENSOR,
		[STORE_EV_SEL] = CONF_EV_SEL,
		[STORE_EV_SEL_CLEARED] = CONF_EV_SEL_CLEARED,
		[STORE_EV_SEL_CLEAR_FAILED] = CONF_EV_SEL_CLEAR_FAILED,
		[STORE_EV_POWER] = CONF_EV_POWER,
		[STORE_EV_WATCHDOG] = CONF_EV_WATCHDOG,
		[STORE_EV_HEARTBEAT] = CONF_EV_HEARTBEAT,
		[STORE_EV_UNREACHABLE] = CONF_EV_UNREACHABLE,
		[STORE_EV_RECOVERED] = CONF_EV_RECOVERED,
		[STORE_EV_CONSOLE] = CONF_EV_CONSOLE,
	};

	return (size_t)k < sizeof(bits) / sizeof(bits[0]) ? bits[k] : 0;
}

static const char *
wh_level(int level)
{
	return level >= 2 ? "critical" : level == 1 ? "warning" : "info";
}

/* the document; *len its bytes (no newline); free it */
static char *
wh_doc(struct webhook_set *ws, const struct store_event *e, size_t *len)
{
	struct jsonw j;
	struct timespec ts;
	struct tm tm;
	char *buf = NULL, key[64], tstr[80];
	size_t blen = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &blen)) == NULL)
		fatal("webhook", "open_memstream");
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	(void)gmtime_r(&ts.tv_sec, &tm);
	(void)snprintf(tstr, sizeof(tstr), "%04d-%02d-%02dT%02d:%02d:%02d."
	    "%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	(void)snprintf(key, sizeof(key), "bmcwatch-%s-%llu", ws->instance,
	    (unsigned long long)++ws->nevents);
	jsonw_init(&j, f);
	jsonw_obj_begin(&j, NULL);
	jsonw_str(&j, "idempotency_key", key);
	jsonw_str(&j, "target", e->t != NULL ? e->t->name : NULL);
	jsonw_str(&j, "time", tstr);
	jsonw_str(&j, "kind", store_ev_name(e->kind));
	jsonw_str(&j, "severity", wh_level(e->level));
	jsonw_str(&j, "text", e->text);
	jsonw_obj_begin(&j, "details");
	if (e->sensor != NULL) {
		const struct sensors_item *it = &e->sensor->it;

		jsonw_str(&j, "sensor", it->name);
		jsonw_str(&j, "state", sensor_sev_name(it->sev));
		jsonw_str(&j, "was", sensor_sev_name(e->was));
		if (it->have_value)
			jsonw_num(&j, "reading", it->value, it->decimals);
		else
			jsonw_null(&j, "reading");
	}
	if (e->sel != NULL) {
		jsonw_int(&j, "record_id", e->sel->rec.id);
		jsonw_str(&j, "sensor", e->sel->desc.sensor[0] ?
		    e->sel->desc.sensor : NULL);
		jsonw_str(&j, "sensor_type", e->sel->desc.type_name);
		jsonw_str(&j, "event", e->sel->desc.event);
		jsonw_str(&j, "direction", e->sel->desc.direction);
		jsonw_str(&j, "sel_severity", sel_sev_name(e->sel->desc.sev));
		jsonw_hex(&j, "raw", e->sel->rec.raw, SEL_RECORD_LEN);
	}
	if (e->kind == STORE_EV_CONSOLE) {
		/* text is the console line; which pattern matched it */
		jsonw_str(&j, "pattern", e->rule);
		jsonw_str(&j, "line", e->text);
	}
	jsonw_obj_end(&j);
	jsonw_obj_end(&j);
	if (fclose(f) != 0)
		fatal("webhook", "document");
	*len = blen;
	return buf;
}

static void
wh_on_event(const struct store_event *e, void *arg)
{
	struct webhook_set *ws = arg;
	struct wh *w;
	char *doc = NULL;
	size_t len = 0;

	for (w = ws->list; w != NULL; w = w->next) {
		if (!(w->c->events & wh_bit(e->kind)) ||
		    e->level < (int)w->c->min_severity)
			continue;
		if (doc == NULL)
			doc = wh_doc(ws, e, &len);
		wh_enqueue(w, doc, len, store_ev_name(e->kind));
	}
	free(doc);
}

/* ---- endpoints --------------------------------------------------------- */

static char *
wh_path(const char *dir, const char *name, const char *suf)
{
	size_t len = strlen(dir) + strlen(name) + strlen(suf) + 16;
	char *p = xmalloc(len);

	(void)snprintf(p, len, "%s/webhook-%s%s", dir, name, suf);
	return p;
}

/*
 * The webhook's HTTP client.  -1 (err set) if it cannot be made, as when
 * libcurl cannot be loaded (agent/http/http.c loads it for the first
 * client): then each delivery fails like an unreachable endpoint, its
 * event kept and retried with backoff, and the rest of the daemon runs.
 */
static int
wh_http(struct wh *w, char *err, size_t errlen)
{
	const struct conf_webhook *c = w->c;
	struct http_cfg hc;

	if (w->http != NULL)
		return 0;
	memset(&hc, 0, sizeof(hc));
	hc.ca_file = c->ca_file;
	hc.insecure = c->insecure;
	hc.timeout_ms = c->timeout_ms;
	hc.body_max = WH_BODY_MAX;
	hc.max_conns = 1;
	w->http = http_new(w->set->ev, &hc, err, errlen);
	return w->http != NULL ? 0 : -1;
}

static struct wh *
wh_new(struct webhook_set *ws, const struct conf_webhook *c)
{
	struct wh *w = xcalloc(1, sizeof(*w));
	char err[HTTP_ERR_MAX];

	w->set = ws;
	w->c = c;
	(void)snprintf(w->name, sizeof(w->name), "%s", c->name);
	(void)snprintf(w->st.name, sizeof(w->st.name), "%s", c->name);
	if (wh_http(w, err, sizeof(err)) != 0) {
		/* once: the same limiter as the deliveries that will fail */
		(void)log_fail(&w->lim, ev_now(), LOG_ERR, NULL, "webhook",
		    "%s: %s: its events are queued and their delivery "
		    "retried", c->name, err);
		/* the socket shows it before any event comes (cut to fit) */
		(void)snprintf(w->st.last_error, sizeof(w->st.last_error),
		    "%.*s", (int)sizeof(w->st.last_error) - 1, err);
	}
	if (c->insecure && c->https)
		log_warnx("webhook", "%s: %s: TLS certificate verification is "
		    "off (insecure yes)", c->name, c->url);
	w->qpath = wh_path(ws->conf->state_dir, c->name, ".queue");
	w->spath = wh_path(ws->conf->state_dir, c->name, ".sent");
	w->retry = ev_timer_add(ws->ev, -1, wh_on_retry, w);
	wh_publish(w);
	wh_job_submit(w, wh_job_new(w, WH_LOAD));
	if (w->jobs == 0)
		w->loaded = 1;	/* could not read it back: go on */
	return w;
}

static void
wh_del(struct wh *w)
{
	size_t i;

	store_del_webhook(w->set->store, w->name);
	/* cancels the transfer in flight: no callback any more */
	http_free(w->http);
	w->http = NULL;
	w->x = NULL;
	ev_timer_del(w->set->ev, w->retry);
	for (i = 0; i < w->n; i++)
		free(w->q[i].doc);
	free(w->q);
	free(w->qpath);
	free(w->spath);
	w->set = NULL;
	wh_free_if_gone(w);
}

struct webhook_set *
webhook_new(struct ev *ev, struct work *io, struct store *store,
    const struct conf *c)
{
	struct webhook_set *ws = xcalloc(1, sizeof(*ws));
	struct wh **tail = &ws->list;
	uint8_t r[8];
	size_t i;

	ws->ev = ev;
	ws->io = io;
	ws->store = store;
	ws->conf = c;
	if (lcr_random(r, sizeof(r)) != 0)
		fatalx("webhook", "no random bytes for the idempotency keys");
	wh_hex(r, sizeof(r), ws->instance);
	for (i = 0; i < c->nwebhooks; i++) {
		*tail = wh_new(ws, &c->webhooks[i]);
		tail = &(*tail)->next;
	}
	if (store_subscribe(store, wh_on_event, ws) != 0)
		fatalx("webhook", "store: too many subscribers");
	return ws;
}

static int
wh_conf_has(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nwebhooks; i++)
		if (strcmp(c->webhooks[i].name, name) == 0)
			return 1;
	return 0;
}

void
webhook_reload(struct webhook_set *ws, const struct conf *c)
{
	struct wh *w, **pw, *list = NULL, **tail = &list;
	size_t i;

	for (i = 0; i < c->nwebhooks; i++) {
		const struct conf_webhook *nc = &c->webhooks[i];

		for (pw = &ws->list; *pw != NULL; pw = &(*pw)->next)
			if (strcmp((*pw)->name, nc->name) == 0)
				break;
		if (*pw != NULL && conf_webhook_equal((*pw)->c, nc)) {
			w = *pw;
			*pw = w->next;
			w->c = nc;
		} else
			w = NULL;
		*tail = w;
		if (w == NULL)
			continue;
		w->next = NULL;
		tail = &w->next;
	}
	/* what is left in ws->list was removed or changed */
	while ((w = ws->list) != NULL) {
		ws->list = w->next;
		log_info("webhook", "%s: %s", w->name, wh_conf_has(c,
		    w->name) ? "changed: restarting" : "removed");
		wh_del(w);
	}
	ws->list = list;
	ws->conf = c;
	for (i = 0; i < c->nwebhooks; i++) {
		for (w = ws->list; w != NULL; w = w->next)
			if (strcmp(w->name, c->webhooks[i].name) == 0)
				break;
		if (w == NULL) {
			w = wh_new(ws, &c->webhooks[i]);
			w->next = ws->list;
			ws->list = w;
		}
	}
}

void
webhook_free(struct webhook_set *ws)
{
	struct wh *w;

	if (ws == NULL)
		return;
	store_unsubscribe(ws->store, wh_on_event, ws);
	while ((w = ws->list) != NULL) {
		ws->list = w->next;
		wh_del(w);
	}
	free(ws);
}

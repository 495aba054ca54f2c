#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "xmem.h"

static void	conn_on_fd(int, unsigned, void *);

/* a request in flight: the caller's callback, counted on the way back
 * (a fixed pool: no allocation per request, nothing left behind when
 * the transport is freed with requests pending) */
#define CONN_SLOTS	(2 * IPMI_TR_QUEUE)
struct conn_slot {
	struct conn	*c;
	ipmi_done_fn	*done;
	void		*arg;
	int		 used;
};

struct conn {
	struct ev	*ev;
	struct ipmi_tr	*tr;
	struct ev_fd	*fdw;
	int		 fd;
	struct ev_timer	*timer;
	struct conn_stats stats;
	struct conn_slot slots[CONN_SLOTS];
};

void
conn_sync(struct conn *c)
{
	uint64_t dl = ipmi_tr_deadline(c->tr), now;
	int fd = ipmi_tr_fd(c->tr);

	if (fd != c->fd) {
		ev_fd_del(c->ev, c->fdw);
		c->fdw = NULL;
		c->fd = fd;
		if (fd >= 0)
			c->fdw = ev_fd_add(c->ev, fd, EV_READ, conn_on_fd,
			    c);
	}
	if (dl == 0) {
		ev_timer_set(c->ev, c->timer, -1);
		return;
	}
	now = ev_now();
	ev_timer_set(c->ev, c->timer, dl > now ? (int64_t)(dl - now) : 0);
}

static void
conn_on_fd(int fd, unsigned events, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)events;
	ipmi_tr_readable(c->tr, ev_now());
	conn_sync(c);
}

static int64_t
conn_on_timer(void *arg)
{
	struct conn *c = arg;

	ipmi_tr_timeout(c->tr, ev_now());
	conn_sync(c);
	return EV_STOP;
}

struct conn *
conn_new(struct ev *ev, struct ipmi_tr *tr)
{
	struct conn *c = xcalloc(1, sizeof(*c));

	c->ev = ev;
	c->tr = tr;
	c->fd = -1;
	c->timer = ev_timer_add(ev, -1, conn_on_timer, c);
	conn_sync(c);
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	ev_fd_del(c->ev, c->fdw);
	ev_timer_del(c->ev, c->timer);
	ipmi_tr_free(c->tr);
	free(c);
}

struct ipmi_tr *
conn_tr(struct conn *c)
{
	return c->tr;
}

static void
conn_counted(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct conn_slot *sl = arg;
	struct conn *c = sl->c;
	ipmi_done_fn *done = sl->done;
	void *darg = sl->arg;

	sl->used = 0;
	if (err != IPMI_OK)
		c->stats.failed++;
	else if (rsp != NULL && rsp->ccode != 0)
		c->stats.ccode++;
	done(darg, err, rsp);
}

int
conn_submit(struct conn *c, const struct ipmi_req *req, ipmi_done_fn *done,
    void *arg)
{
	struct conn_slot *sl = NULL;
	size_t i;
	int r;

	for (i = 0; i < CONN_SLOTS; i++)
		if (!c->slots[i].used) {
			sl = &c->slots[i];
			break;
		}
	if (sl == NULL)		/* more than the queue holds: uncounted */
		r = ipmi_tr_submit(c->tr, req, done, arg, ev_now());
	else {
		sl->c = c;
		sl->done = done;
		sl->arg = arg;
		sl->used = 1;
		if ((r = ipmi_tr_submit(c->tr, req, conn_counted, sl,
		    ev_now())) != 0)
			sl->used = 0;
	}
	conn_sync(c);
	return r;
}

const struct conn_stats *
conn_stats(const struct conn *c)
{
	return &c->stats;
}

enum ipmi_err
conn_set_event_cb(struct conn *c, ipmi_event_fn *fn, void *arg)
{
	enum ipmi_err e = ipmi_tr_set_event_cb(c->tr, fn, arg);

	conn_sync(c);
	return e;
}

void
conn_close(struct conn *c)
{
	ipmi_tr_close(c->tr, ev_now());
	conn_sync(c);
}

int
conn_idle(const struct conn *c)
{
	return ipmi_tr_idle(c->tr);
}

struct conn_wait {
	volatile int	 done;
	enum ipmi_err	 err;
	struct ipmi_rsp	*rsp;
};

static void
conn_call_done(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct conn_wait *w = arg;

	w->err = err;
	if (err == IPMI_OK)
		*w->rsp = *rsp;
	w->done = 1;
}

enum ipmi_err
conn_call(struct conn *c, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct conn_wait w;

	memset(&w, 0, sizeof(w));
	w.rsp = rsp;
	if (conn_submit(c, req, conn_call_done, &w) != 0)
		return IPMI_E_BUSY;
	while (!w.done)
		if (ev_run_once(c->ev, -1) != 0)
			return IPMI_E_IO;
	return w.err;
}

void
conn_drain(struct conn *c)
{
	while (!conn_idle(c))
		if (ev_run_once(c->ev, -1) != 0)
			return;
}

/*
 * The part every transport shares: the request queue, completion,
 * error text and statistics.  Each transport implements struct
 * ipmi_tr_ops; this file decides when ops->start runs so that a done
 * callback never runs from inside ipmi_tr_submit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "transport.h"
#include "lan_crypto.h"

/*
 * A request queued while the transport is idle must start on the next
 * loop turn, not inside submit (its start may fail and call done): then
 * ipmi_tr_deadline() answers 1, a monotonic time long past, so that the
 * owner calls ipmi_tr_timeout() at once, which starts it.
 */
static int
can_start(const struct ipmi_tr *tr)
{
	return !tr->busy && tr->count > 0 && !tr->closing && !tr->closed &&
	    (tr->ops->ready == NULL || tr->ops->ready(tr));
}

static uint64_t
kick_deadline(const struct ipmi_tr *tr)
{
	return can_start(tr) ? 1 : 0;
}

void
ipmi_tr_cfg_init(struct ipmi_tr_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fd = -1;
}

struct ipmi_tr *
ipmi_tr_new(const struct ipmi_tr_cfg *cfg, char *err, size_t errlen)
{
	switch (cfg->iface) {
	case IPMI_IFACE_OPEN:
		return kcs_open_new(cfg, err, errlen);
	case IPMI_IFACE_LAN:
		return lan15_new(cfg, err, errlen);
	case IPMI_IFACE_LANPLUS:
		return lanplus_new(cfg, err, errlen);
	}
	snprintf(err, errlen, "unknown interface");
	return NULL;
}

void
ipmi_tr_free(struct ipmi_tr *tr)
{
	if (tr == NULL)
		return;
	tr->ops->free(tr);
}

void
ipmi_tr_base_init(struct ipmi_tr *tr, const struct ipmi_tr_ops *ops,
    const struct ipmi_tr_cfg *cfg)
{
	memset(tr, 0, sizeof(*tr));
	tr->ops = ops;
	tr->cfg = *cfg;
	tr->fd = -1;
	tr->cipher = -1;
	if (tr->cfg.timeout_ms == 0)
		tr->cfg.timeout_ms = 1000;
	if (tr->cfg.priv == 0)
		tr->cfg.priv = IPMI_PRIV_ADMIN;
	if (tr->cfg.iface != IPMI_IFACE_OPEN && tr->cfg.port == 0)
		tr->cfg.port = 623;
	if (tr->cfg.iface == IPMI_IFACE_OPEN)
		snprintf(tr->peer, sizeof(tr->peer), "%s",
		    cfg->device[0] ? cfg->device : "/dev/ipmi0");
	else if (strchr(tr->cfg.host, ':') != NULL)
		snprintf(tr->peer, sizeof(tr->peer), "[%s]:%u", tr->cfg.host,
		    tr->cfg.port);
	else
		snprintf(tr->peer, sizeof(tr->peer), "%s:%u", tr->cfg.host,
		    tr->cfg.port);
}

void
ipmi_tr_base_fini(struct ipmi_tr *tr)
{
	lcr_cleanse(tr->cfg.password, sizeof(tr->cfg.password));
	lcr_cleanse(tr->cfg.kg, sizeof(tr->cfg.kg));
	tr->cfg.pwlen = tr->cfg.kglen = 0;
}

int
ipmi_tr_submit(struct ipmi_tr *tr, const struct ipmi_req *req,
    ipmi_done_fn *done, void *arg, uint64_t now)
{
	struct ipmi_tr_pending *p;

	(void)now;
	if (tr->closing || tr->closed || tr->count >= IPMI_TR_QUEUE)
		return -1;
	p = &tr->q[(tr->head + tr->count) % IPMI_TR_QUEUE];
	p->req = *req;
	p->done = done;
	p->arg = arg;
	tr->count++;
	return 0;
}

int
ipmi_tr_fd(const struct ipmi_tr *tr)
{
	return tr->fd;
}

uint64_t
ipmi_tr_deadline(const struct ipmi_tr *tr)
{
	uint64_t k = kick_deadline(tr);

	if (k != 0 && (tr->deadline == 0 || k < tr->deadline))
		return k;
	return tr->deadline;
}

static void
start_next(struct ipmi_tr *tr, uint64_t now)
{
	enum ipmi_err e;

	while (can_start(tr)) {
		tr->busy = 1;
		if (tr->stats.inflight_max == 0)
			tr->stats.inflight_max = 1;
		e = tr->ops->start(tr, now);
		if (e == IPMI_OK && tr->busy)
			break;
		/* taken into a slot of the transport's own: the next */
		if (e != IPMI_OK)
			ipmi_tr_complete(tr, e, now);
	}
}

void
ipmi_tr_readable(struct ipmi_tr *tr, uint64_t now)
{
	tr->ops->readable(tr, now);
	start_next(tr, now);
}

void
ipmi_tr_timeout(struct ipmi_tr *tr, uint64_t now)
{
	if (tr->deadline != 0 && now >= tr->deadline)
		tr->ops->timeout(tr, now);
	start_next(tr, now);
}

int
ipmi_tr_input(struct ipmi_tr *tr, const uint8_t *p, size_t len, uint64_t now)
{
	if (tr->ops->input == NULL)
		return -1;
	tr->stats.packets_in++;
	tr->ops->input(tr, p, len, now);
	start_next(tr, now);
	return 0;
}

const struct ipmi_req *
ipmi_tr_cur(const struct ipmi_tr *tr)
{
	return tr->busy && tr->count > 0 ? &tr->q[tr->head].req : NULL;
}

void
ipmi_tr_complete(struct ipmi_tr *tr, enum ipmi_err e, uint64_t now)
{
	struct ipmi_tr_pending p;

	(void)now;
	if (!tr->busy || tr->count == 0)
		return;
	p = tr->q[tr->head];
	tr->head = (tr->head + 1) % IPMI_TR_QUEUE;
	tr->count--;
	tr->busy = 0;
	if (e == IPMI_OK)
		tr->stats.requests++;
	p.done(p.arg, e, e == IPMI_OK ? &tr->rsp : NULL);
}

void
ipmi_tr_take(struct ipmi_tr *tr, struct ipmi_tr_pending *p)
{
	*p = tr->q[tr->head];
	tr->head = (tr->head + 1) % IPMI_TR_QUEUE;
	tr->count--;
	tr->busy = 0;
	tr->inflight++;
	if (tr->inflight > tr->stats.inflight_max)
		tr->stats.inflight_max = tr->inflight;
}

void
ipmi_tr_finish(struct ipmi_tr *tr, struct ipmi_tr_pending *p,
    enum ipmi_err e, const struct ipmi_rsp *rsp)
{
	struct ipmi_tr_pending c = *p;

	if (tr->inflight > 0)
		tr->inflight--;
	if (e == IPMI_OK)
		tr->stats.requests++;
	c.done(c.arg, e, e == IPMI_OK ? rsp : NULL);
}

void
ipmi_tr_fail_all(struct ipmi_tr *tr, enum ipmi_err e)
{
	unsigned n = tr->count;

	/* only those queued now: a callback may queue new ones */
	while (n-- > 0 && tr->count > 0) {
		tr->busy = 1;
		ipmi_tr_complete(tr, e, 0);
	}
}

void
ipmi_tr_close(struct ipmi_tr *tr, uint64_t now)
{
	if (tr->closing || tr->closed)
		return;
	/* fail what is queued but not in flight, then the one in flight */
	while (tr->count > (unsigned)tr->busy) {
		struct ipmi_tr_pending p;
		unsigned last = (tr->head + tr->count - 1) % IPMI_TR_QUEUE;

		p = tr->q[last];
		tr->count--;
		p.done(p.arg, IPMI_E_CLOSED, NULL);
	}
	if (tr->busy)
		ipmi_tr_complete(tr, IPMI_E_CLOSED, now);
	tr->closing = 1;
	tr->ops->close(tr, now);
}

void
ipmi_tr_closed(struct ipmi_tr *tr)
{
	tr->closing = 0;
	tr->closed = 1;
	tr->deadline = 0;
}

enum ipmi_err
ipmi_tr_set_event_cb(struct ipmi_tr *tr, ipmi_event_fn *fn, void *arg)
{
	enum ipmi_err e;

	if (tr->ops->events == NULL)
		return IPMI_E_UNSUPPORTED;
	if ((e = tr->ops->events(tr, fn != NULL)) != IPMI_OK)
		return e;
	tr->event_fn = fn;
	tr->event_arg = arg;
	return IPMI_OK;
}

void
ipmi_tr_event(struct ipmi_tr *tr, const uint8_t *rec, size_t len)
{
	if (tr->event_fn == NULL) {
		tr->stats.dropped++;
		return;
	}
	tr->stats.events++;
	tr->event_fn(tr->event_arg, rec, len);
}

enum ipmi_err
ipmi_tr_set_payload_cb(struct ipmi_tr *tr, uint8_t ptype, ipmi_payload_fn *fn,
    void *arg)
{
	if (tr->ops->payload_send == NULL)
		return IPMI_E_UNSUPPORTED;
	tr->payload_fn = fn;
	tr->payload_arg = fn != NULL ? arg : NULL;
	tr->payload_type = ptype;
	return IPMI_OK;
}

enum ipmi_err
ipmi_tr_send_payload(struct ipmi_tr *tr, uint8_t ptype, const uint8_t *p,
    size_t len, uint64_t now)
{
	enum ipmi_err e;

	if (tr->ops->payload_send == NULL)
		return IPMI_E_UNSUPPORTED;
	if (len > IPMI_TR_PAYLOAD_MAX)
		return IPMI_E_LENGTH;
	if (tr->closing || tr->closed)
		return IPMI_E_CLOSED;
	if ((e = tr->ops->payload_send(tr, ptype, p, len, now)) == IPMI_OK)
		tr->stats.payloads_out++;
	return e;
}

int
ipmi_tr_payload(struct ipmi_tr *tr, uint8_t ptype, const uint8_t *p,
    size_t len)
{
	if (tr->payload_fn == NULL || ptype != tr->payload_type)
		return -1;
	tr->stats.payloads_in++;
	tr->payload_fn(tr->payload_arg, ptype, p, len);
	return 0;
}

void
ipmi_tr_payload_ended(struct ipmi_tr *tr)
{
	if (tr->payload_fn != NULL)
		tr->payload_fn(tr->payload_arg, tr->payload_type, NULL, 0);
}

uint32_t
ipmi_tr_session_id(const struct ipmi_tr *tr)
{
	return tr->sid;
}

uint16_t
ipmi_tr_port(const struct ipmi_tr *tr)
{
	return tr->cfg.port;
}

int
ipmi_tr_idle(const struct ipmi_tr *tr)
{
	return tr->count == 0 && !tr->busy && tr->inflight == 0 &&
	    !tr->closing;
}

unsigned
ipmi_tr_window(const struct ipmi_tr *tr)
{
	return tr->ops->window != NULL ? tr->ops->window(tr) : 1;
}

void
ipmi_tr_seterr(struct ipmi_tr *tr, const char *step, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(tr->err, sizeof(tr->err), "%s: ", step);
	if (n < 0 || (size_t)n >= sizeof(tr->err))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(tr->err + n, sizeof(tr->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

const char *
ipmi_tr_error(const struct ipmi_tr *tr)
{
	return tr->err[0] ? tr->err : "no error";
}

const char *
ipmi_tr_peer(const struct ipmi_tr *tr)
{
	return tr->peer;
}

const struct ipmi_tr_stats *
ipmi_tr_stats(const struct ipmi_tr *tr)
{
	return &tr->stats;
}

int
ipmi_tr_cipher(const struct ipmi_tr *tr)
{
	return tr->cipher;
}

uint8_t
ipmi_tr_authtype(const struct ipmi_tr *tr)
{
	return tr->authtype;
}

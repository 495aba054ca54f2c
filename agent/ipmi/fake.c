/* The scripted transport (see fake.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"

#define FAKE_LOG	1024
#define FAKE_REQS	64	/* requests kept whole */

struct fake_pl {
	uint8_t			 p[IPMI_TR_PAYLOAD_MAX];
	size_t			 len;
};

struct fake {
	struct ipmi_tr		 tr;
	struct fake_rule	*rules;
	size_t			 n;
	enum ipmi_err		 pending;
	int			 have;
	unsigned		 nlog;
	unsigned		 total;
	struct fake_pl		*pl;		/* grown to FAKE_PAYLOADS */
	unsigned		 npl;
	unsigned		 plcap;		/* entries pl holds */
	/* from here on read only below nlog and total: not zeroed */
	uint16_t		 log[FAKE_LOG];	/* netfn << 8 | cmd */
	struct ipmi_req		 reqs[FAKE_REQS];
};

static const struct fake_rule *
fake_match(struct fake *f, const struct ipmi_req *q)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct fake_rule *r = &f->rules[i];

		if (r->netfn != FAKE_ANY && r->netfn != q->netfn)
			continue;
		if (r->cmd != FAKE_ANY && r->cmd != q->cmd)
			continue;
		if (r->match != NULL && (q->len < r->match_len ||
		    memcmp(q->data, r->match, r->match_len) != 0))
			continue;
		if (r->times == 1)
			r->times = (unsigned)-1;	/* used up */
		else if (r->times == (unsigned)-1)
			continue;
		else if (r->times > 1)
			r->times--;
		return r;
	}
	return NULL;
}

static enum ipmi_err
fake_start(struct ipmi_tr *tr, uint64_t now)
{
	struct fake *f = (struct fake *)tr;
	const struct ipmi_req *q = ipmi_tr_cur(tr);
	const struct fake_rule *r = fake_match(f, q);

	if (f->total < FAKE_REQS)
		f->reqs[f->total] = *q;
	f->total++;
	if (f->nlog < FAKE_LOG)
		f->log[f->nlog++] = (uint16_t)(q->netfn << 8 | q->cmd);
	tr->stats.packets_out++;
	memset(&tr->rsp, 0, sizeof(tr->rsp));
	tr->rsp.netfn = q->netfn | 1;
	tr->rsp.cmd = q->cmd;
	f->pending = IPMI_OK;
	if (r == NULL)
		tr->rsp.ccode = IPMI_CC_INVALID_COMMAND;
	else if (r->err != IPMI_OK)
		f->pending = r->err;
	else {
		tr->rsp.ccode = r->ccode;
		tr->rsp.len = (uint16_t)(r->len > IPMI_MAX_DATA ?
		    IPMI_MAX_DATA : r->len);
		if (tr->rsp.len > 0)
			memcpy(tr->rsp.data, r->data, tr->rsp.len);
	}
	f->have = 1;
	tr->deadline = now ? now : 1;
	return IPMI_OK;
}

static void
fake_timeout(struct ipmi_tr *tr, uint64_t now)
{
	struct fake *f = (struct fake *)tr;

	tr->deadline = 0;
	if (!f->have)
		return;
	f->have = 0;
	if (f->pending == IPMI_OK)
		tr->stats.packets_in++;
	ipmi_tr_complete(tr, f->pending, now);
}

static void
fake_readable(struct ipmi_tr *tr, uint64_t now)
{
	(void)tr;
	(void)now;
}

static void
fake_close(struct ipmi_tr *tr, uint64_t now)
{
	(void)now;
	ipmi_tr_closed(tr);
}

static enum ipmi_err
fake_payload_send(struct ipmi_tr *tr, uint8_t ptype, const uint8_t *p,
    size_t len, uint64_t now)
{
	struct fake *f = (struct fake *)tr;

	(void)ptype;
	(void)now;
	if (tr->sid == 0)
		return IPMI_E_SESSION;
	tr->stats.packets_out++;
	/*
	 * grown as payloads come (a fuzz input sends a few: 150 kB
	 * zeroed up front cost most of its time); until it is full,
	 * entry npl is at index npl, so growing moves nothing
	 */
	if (f->npl >= f->plcap && f->plcap < FAKE_PAYLOADS) {
		unsigned cap = f->plcap ? f->plcap * 2 : 8;
		struct fake_pl *np;

		if (cap > FAKE_PAYLOADS)
			cap = FAKE_PAYLOADS;
		if ((np = realloc(f->pl, cap * sizeof(*np))) == NULL)
			return IPMI_E_IO;
		f->pl = np;
		f->plcap = cap;
	}
	if (len > sizeof(f->pl[0].p))
		return IPMI_E_LENGTH;
	/* the newest FAKE_PAYLOADS are kept */
	memcpy(f->pl[f->npl % FAKE_PAYLOADS].p, p, len);
	f->pl[f->npl % FAKE_PAYLOADS].len = len;
	f->npl++;
	return IPMI_OK;
}

static void
fake_free(struct ipmi_tr *tr)
{
	struct fake *f = (struct fake *)tr;

	free(f->pl);
	ipmi_tr_base_fini(tr);
	free(tr);
}

static const struct ipmi_tr_ops fake_ops = {
	.name = "fake",
	.start = fake_start,
	.readable = fake_readable,
	.timeout = fake_timeout,
	.close = fake_close,
	.free = fake_free,
	.input = NULL,
	.payload_send = fake_payload_send,
};

struct ipmi_tr *
fake_new(struct fake_rule *rules, size_t n)
{
	struct ipmi_tr_cfg cfg;
	struct fake *f;

	/*
	 * 20 kB of log a fuzz input mostly does not use: not zeroed; nor
	 * is tr (10 kB), which ipmi_tr_base_init zeroes
	 */
	if ((f = malloc(sizeof(*f))) == NULL)
		return NULL;
	memset(&f->rules, 0, offsetof(struct fake, log) -
	    offsetof(struct fake, rules));
	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_OPEN;
	(void)snprintf(cfg.device, sizeof(cfg.device), "fake");
	ipmi_tr_base_init(&f->tr, &fake_ops, &cfg);
	f->rules = rules;
	f->n = n;
	return &f->tr;
}

unsigned
fake_count(const struct ipmi_tr *tr, unsigned netfn, unsigned cmd)
{
	const struct fake *f = (const struct fake *)tr;
	unsigned i, c = 0;

	if (netfn == FAKE_ANY && cmd == FAKE_ANY)
		return f->total;
	for (i = 0; i < f->nlog; i++)
		if ((netfn == FAKE_ANY || (f->log[i] >> 8) == netfn) &&
		    (cmd == FAKE_ANY || (f->log[i] & 0xff) == cmd))
			c++;
	return c;
}

const struct ipmi_req *
fake_req(const struct ipmi_tr *tr, unsigned n)
{
	const struct fake *f = (const struct fake *)tr;

	return n < f->total && n < FAKE_REQS ? &f->reqs[n] : NULL;
}

void
fake_set_session(struct ipmi_tr *tr, uint32_t sid, uint16_t port, int cipher)
{
	tr->sid = sid;
	tr->cfg.port = port;
	tr->cipher = cipher;
}

unsigned
fake_payloads(const struct ipmi_tr *tr)
{
	return ((const struct fake *)tr)->npl;
}

const uint8_t *
fake_payload(const struct ipmi_tr *tr, unsigned n, size_t *len)
{
	const struct fake *f = (const struct fake *)tr;

	if (n >= f->npl || f->npl - n > FAKE_PAYLOADS || f->pl == NULL)
		return NULL;
	*len = f->pl[n % FAKE_PAYLOADS].len;
	return f->pl[n % FAKE_PAYLOADS].p;
}

int
fake_payload_in(struct ipmi_tr *tr, uint8_t ptype, const uint8_t *p,
    size_t len)
{
	tr->stats.packets_in++;
	return ipmi_tr_payload(tr, ptype, p, len);
}

void
fake_session_end(struct ipmi_tr *tr)
{
	if (tr->sid == 0)
		return;
	tr->sid = 0;
	ipmi_tr_payload_ended(tr);
}

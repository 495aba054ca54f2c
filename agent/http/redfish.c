/*
 * The Redfish client (see redfish.h): a connection state machine
 * (service root, session, the Systems/Chassis/Managers collections) and
 * one operation slot per kind, each a fan-out of GETs over http.c, at
 * most RF_INFLIGHT requests handed to libcurl at once (libcurl counts a
 * request's timeout from when it is handed over, so a long queue must
 * stay ours).  Documents are mapped by rfmap.c as they arrive.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "jsonw.h"
#include "redfish.h"
#include "rfjson.h"
#include "rfmap.h"
#include "severity.h"
#include "xmem.h"

#define RF_INFLIGHT	4
#define RF_QUERY_MAX	32
#define RF_BASE_MAX	288	/* scheme, host (253 at most), port */

enum rf_kind {
	RF_SENSORS,
	RF_CHASSIS,
	RF_WATCHDOG,
	RF_INFO,
	RF_LOGS,
	RF_ACTION,
	RF_NKIND
};
static const char *const rf_kind_names[RF_NKIND] = {
	"sensors", "chassis", "watchdog", "info", "logs", "action"
};

enum rf_cstate {
	RC_NONE,		/* nothing known, or failed */
	RC_ROOT,		/* reading the service root */
	RC_LOGIN,		/* creating the session */
	RC_DISCOVER,		/* reading Systems, Chassis, Managers */
	RC_READY
};

enum rf_auth {
	RF_AUTH_NONE,		/* not decided yet */
	RF_AUTH_SESSION,
	RF_AUTH_BASIC
};

struct redfish;
struct rf_call;
struct rf_op;

struct rf_res {
	enum redfish_err	 err;
	long			 status;
	const struct rfjson_v	*doc;	/* a 2xx JSON body */
	const struct http_rsp	*rsp;	/* NULL without an answer */
	const char		*text;	/* what went wrong, naming the URL */
};

typedef void	rf_cb_fn(struct redfish *, struct rf_call *,
		    const struct rf_res *);

struct rf_call {
	struct rf_call	*next, *prev;
	struct redfish	*rf;
	struct rf_op	*op;		/* NULL: the connection's own */
	unsigned	 gen;		/* connection generation */
	struct http_xfer *x;		/* submitted, or NULL */
	rf_cb_fn	*cb;
	char		 method[8];
	char		 path[REDFISH_PATH_MAX + RF_QUERY_MAX];
	char		*body;		/* owned, wiped */
	size_t		 body_len;
	int		 auth;		/* send our credentials */
	int		 json;		/* parse a JSON body */
	int		 retried;	/* after a re-login */
	int		 login;		/* the session POST itself */
	unsigned	 tok_gen;	/* the token it was sent with */
	size_t		 a, b;		/* for cb */
};

enum rf_action {
	RF_ACT_CLEAR,
	RF_ACT_RESET,
	RF_ACT_IDENTIFY
};

struct rf_op {
	enum rf_kind	 kind;
	int		 active;
	int		 waiting;	/* for the connection */
	redfish_done_fn	*done;
	void		*arg;
	enum redfish_err err;
	char		 detail[REDFISH_ERR_MAX];
	unsigned	 calls;		/* alive (queued, sent, waiting) */
	struct ev_timer	*kick;
	struct redfish	*rf;
	/* inputs */
	enum rf_action	 action;
	char		 path[REDFISH_PATH_MAX];
	char		 type[32];
	int		 identify_on;
	int		 has_since;
	struct redfish_cursor since;
	/* progress */
	int		 found;		/* sensors: a source was seen */
};

struct redfish {
	struct ev	*ev;
	struct http	*http;
	char		 base[RF_BASE_MAX];
	char		*user;
	char		*password;
	struct redfish_cfg cfg;
	char		*system_id;

	/* connection */
	enum rf_cstate	 cstate;
	enum rf_auth	 auth;
	char		 token[HTTP_HEADER_MAX];
	char		 session[REDFISH_PATH_MAX];	/* to DELETE */
	struct rfmap_root root;
	char		 (*systems)[REDFISH_PATH_MAX];
	char		 (*chassis)[REDFISH_PATH_MAX];
	char		 (*managers)[REDFISH_PATH_MAX];
	size_t		 nsystems, nchassis, nmanagers;
	unsigned	 discover_left;
	unsigned	 gen;		/* bumped at each connection start */
	int		 login_sent;	/* the session POST is out */
	enum redfish_err conn_err;
	char		 conn_detail[REDFISH_ERR_MAX];
	int		 relogin;	/* a re-login is running */
	unsigned	 tok_gen;	/* bumped at each new token */

	/* calls: sent (at most RF_INFLIGHT), queued, waiting for re-login */
	struct rf_call	*sent, *queue, *queue_tail, *relogin_wait;
	unsigned	 nsent;

	/* operations and their results */
	struct rf_op	 op[RF_NKIND];
	/* grown on demand, up to REDFISH_SENSORS_MAX and REDFISH_LOG_MAX:
	 * an idle target costs little */
	struct sensors_item *sensors;
	uint64_t	*skeys;
	char		 (*spaths)[REDFISH_PATH_MAX];
	size_t		 nsensors, scap;
	struct chassis_snapshot chassis_snap;
	struct wdt_timer wdt;
	struct redfish_info info;
	struct redfish_log_service *svcs;
	uint32_t	*svc_keys;
	size_t		 nsvcs;
	struct redfish_log_entry *entries;
	size_t		 nentries, ecap;

	/* close */
	struct ev_timer	*close_timer;
	redfish_done_fn	*close_done;
	void		*close_arg;
	int		 closing;

	struct redfish_stats stats;
};

static void	rf_pump(struct redfish *);
static void	rf_call_free(struct redfish *, struct rf_call *);
static void	rf_connect_fail(struct redfish *, enum redfish_err,
		    const char *);
static void	rf_login(struct redfish *);
static void	rf_op_go(struct redfish *, struct rf_op *);
static void	rf_root_cb(struct redfish *, struct rf_call *,
		    const struct rf_res *);
static void	rf_close_cb(struct redfish *, struct rf_call *,
		    const struct rf_res *);

const char *
redfish_strerror(enum redfish_err e)
{
	switch (e) {
	case REDFISH_OK:
		return "ok";
	case REDFISH_E_AUTH:
		return "auth";
	case REDFISH_E_HTTP:
		return "http";
	case REDFISH_E_STATUS:
		return "status";
	case REDFISH_E_BODY:
		return "body";
	case REDFISH_E_UNSUPPORTED:
		return "unsupported";
	case REDFISH_E_REFUSED:
		return "refused";
	case REDFISH_E_BUSY:
		break;
	}
	return "busy";
}

const char *
redfish_reset_type(uint8_t ctl)
{
	switch (ctl) {
	case CHASSIS_CTL_POWER_DOWN:
		return "ForceOff";
	case CHASSIS_CTL_POWER_UP:
		return "On";
	case CHASSIS_CTL_POWER_CYCLE:
		return "PowerCycle";
	case CHASSIS_CTL_HARD_RESET:
		return "ForceRestart";
	case CHASSIS_CTL_DIAG_INTERRUPT:
		return "Nmi";
	case CHASSIS_CTL_SOFT_SHUTDOWN:
		return "GracefulShutdown";
	default:
		return NULL;
	}
}

/* ---- URLs ---- */

int
redfish_url_base(const char *in, char *out, size_t outlen, char *err,
    size_t errlen)
{
	const char *scheme = "https://", *p = in, *host;
	size_t n, i;
	int port = 0, colon = 0;

	if (strncmp(in, "https://", 8) == 0)
		p = in + 8;
	else if (strncmp(in, "http://", 7) == 0) {
		scheme = "http://";
		p = in + 7;
	} else if (strstr(in, "://") != NULL) {
		(void)snprintf(err, errlen, "%s: only http:// and https:// "
		    "services", in);
		return -1;
	}
	host = p;
	n = strlen(host);
	if (n > 0 && host[n - 1] == '/')
		n--;
	if (n == 0) {
		(void)snprintf(err, errlen, "%s: no host", in);
		return -1;
	}
	i = 0;
	if (host[0] == '[') {
		while (i < n && host[i] != ']')
			i++;
		if (i == n || i == 1) {
			(void)snprintf(err, errlen, "%s: unterminated [address]",
			    in);
			return -1;
		}
		i++;
	} else
		while (i < n && (isalnum((unsigned char)host[i]) ||
		    host[i] == '.' || host[i] == '-' || host[i] == '_'))
			i++;
	if (i < n && host[i] == ':') {
		colon = 1;
		for (i++; i < n && isdigit((unsigned char)host[i]); i++) {
			port = port * 10 + (host[i] - '0');
			if (port > 65535)
				break;
		}
	}
	if (i != n || (colon && (port < 1 || port > 65535)) ||
	    (host[0] != '[' && !isalnum((unsigned char)host[0]))) {
		(void)snprintf(err, errlen, "%s: not host[:port] or "
		    "http(s)://host[:port]", in);
		return -1;
	}
	if ((size_t)snprintf(out, outlen, "%s%.*s", scheme, (int)n, host) >=
	    outlen) {
		(void)snprintf(err, errlen, "%s: too long", in);
		return -1;
	}
	return 0;
}

const char *
redfish_url(const struct redfish *rf)
{
	return rf->base;
}

/* ---- calls ---- */

static struct rf_call *
rf_call_new(struct redfish *rf, struct rf_op *op, const char *method,
    const char *path, rf_cb_fn *cb)
{
	struct rf_call *c = xcalloc(1, sizeof(*c));

	c->rf = rf;
	c->gen = rf->gen;
	c->op = op;
	c->cb = cb;
	c->auth = 1;
	c->json = 1;
	(void)snprintf(c->method, sizeof(c->method), "%s", method);
	(void)snprintf(c->path, sizeof(c->path), "%s", path);
	if (op != NULL)
		op->calls++;
	return c;
}

static void
rf_list_add(struct rf_call **head, struct rf_call *c)
{
	c->prev = NULL;
	c->next = *head;
	if (*head != NULL)
		(*head)->prev = c;
	*head = c;
}

static void
rf_list_del(struct rf_call **head, struct rf_call *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else if (*head == c)
		*head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
}

/* queue at the tail: requests go out in the order they were made */
static void
rf_enqueue(struct redfish *rf, struct rf_call *c)
{
	c->next = NULL;
	c->prev = rf->queue_tail;
	if (rf->queue_tail != NULL)
		rf->queue_tail->next = c;
	else
		rf->queue = c;
	rf->queue_tail = c;
}

static struct rf_call *
rf_dequeue(struct redfish *rf)
{
	struct rf_call *c = rf->queue;

	if (c == NULL)
		return NULL;
	rf->queue = c->next;
	if (rf->queue != NULL)
		rf->queue->prev = NULL;
	else
		rf->queue_tail = NULL;
	c->next = c->prev = NULL;
	return c;
}

static void
rf_send(struct redfish *rf, struct rf_call *c)
{
	rf_enqueue(rf, c);
	rf_pump(rf);
}

static void	rf_on_http(void *, const struct http_rsp *);

/* a request that could not even start: its cb sees why, at once (we
 * are on the loop: in a kick timer or in another request's answer) */
static void
rf_fail_now(struct redfish *rf, struct rf_call *c, const char *why)
{
	struct rf_res res;

	memset(&res, 0, sizeof(res));
	res.err = REDFISH_E_HTTP;
	res.text = why;
	rf->stats.failed++;
	c->cb(rf, c, &res);
	rf_call_free(rf, c);
}

static void
rf_submit(struct redfish *rf, struct rf_call *c)
{
	struct http_req r;
	char url[HTTP_URL_MAX], err[HTTP_ERR_MAX];

	memset(&r, 0, sizeof(r));
	if ((size_t)snprintf(url, sizeof(url), "%s%s", rf->base, c->path) >=
	    sizeof(url)) {
		(void)snprintf(err, sizeof(err), "%s%.200s...: URL too long",
		    rf->base, c->path);
		rf_fail_now(rf, c, err);
		return;
	}
	r.method = c->method;
	r.url = url;
	r.body = c->body;
	r.body_len = c->body_len;
	if (c->auth && rf->auth == RF_AUTH_SESSION && rf->token[0] != '\0')
		r.auth_token = rf->token;
	else if (c->auth && rf->auth == RF_AUTH_BASIC) {
		r.user = rf->user;
		r.password = rf->password;
	}
	c->tok_gen = rf->tok_gen;
	c->x = http_submit(rf->http, &r, rf_on_http, c, err, sizeof(err));
	if (c->x == NULL) {
		rf_fail_now(rf, c, err);
		return;
	}
	rf_list_add(&rf->sent, c);
	rf->nsent++;
}

static void
rf_pump(struct redfish *rf)
{
	struct rf_call *c;

	while (rf->nsent < RF_INFLIGHT && (c = rf_dequeue(rf)) != NULL) {
		if (c->op != NULL && c->op->err != REDFISH_OK) {
			/* its operation failed already: not worth asking */
			rf_call_free(rf, c);
			continue;
		}
		if (rf->relogin && c->auth && !c->login) {
			/* would go out without a session */
			rf_list_add(&rf->relogin_wait, c);
			continue;
		}
		if (c->login)
			rf->login_sent = 1;
		rf_submit(rf, c);
	}
}

static void
rf_op_finish(struct redfish *, struct rf_op *);

static void
rf_call_free(struct redfish *rf, struct rf_call *c)
{
	struct rf_op *op = c->op;

	if (c->login)
		rf->login_sent = 0;
	if (c->body != NULL)
		freezero(c->body, c->body_len + 1);
	free(c);
	if (op != NULL && --op->calls == 0 && op->active && !op->waiting)
		rf_op_finish(op->rf, op);
}

/* the first error of an operation is the one it reports */
static void
rf_op_fail(struct rf_op *op, enum redfish_err e, const char *text)
{
	if (op->err != REDFISH_OK)
		return;
	op->err = e;
	(void)snprintf(op->detail, sizeof(op->detail), "%s", text);
}

/* something skipped: said in the detail of an operation that succeeds */
static void
rf_op_note(struct rf_op *op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
rf_op_note(struct rf_op *op, const char *fmt, ...)
{
	va_list ap;

	if (op->err != REDFISH_OK || op->detail[0] != '\0')
		return;
	va_start(ap, fmt);
	(void)vsnprintf(op->detail, sizeof(op->detail), fmt, ap);
	va_end(ap);
}

static void
rf_status_text(const struct redfish *rf, const struct rf_call *c,
    const struct http_rsp *rsp, char *out, size_t len)
{
	struct rfjson *d = NULL;
	char msg[256], e[64];
	const char *reason;

	msg[0] = '\0';
	if (rsp->body_len > 0 &&
	    rfjson_parse(rsp->body, rsp->body_len, &d, e, sizeof(e)) == 0)
		rfmap_error_text(rfjson_root(d), msg, sizeof(msg));
	rfjson_free(d);
	switch (rsp->status) {
	case 401:
		reason = " Unauthorized: wrong user name or password";
		break;
	case 403:
		reason = " Forbidden: the account may not do this";
		break;
	case 404:
		reason = " Not Found";
		break;
	case 405:
		reason = " Method Not Allowed";
		break;
	default:
		reason = "";
		break;
	}
	if (rsp->status >= 300 && rsp->status < 400)
		(void)snprintf(out, len, "%s%s: HTTP %ld redirect to %.300s "
		    "not followed", rf->base, c->path, rsp->status,
		    rsp->location != NULL ? rsp->location : "(no Location)");
	else
		(void)snprintf(out, len, "%s%s: HTTP %ld%s%s%s", rf->base,
		    c->path, rsp->status, reason, msg[0] ? ": " : "", msg);
}

static void
rf_relogin_start(struct redfish *);

static void
rf_on_http(void *arg, const struct http_rsp *rsp)
{
	struct rf_call *c = arg;
	struct redfish *rf = c->rf;
	const struct http_stats *hs;
	struct rf_res res;
	struct rfjson *doc = NULL;
	char text[REDFISH_ERR_MAX], e[512];

	c->x = NULL;
	rf_list_del(&rf->sent, c);
	rf->nsent--;
	hs = http_stats(rf->http);
	rf->stats.requests++;
	rf->stats.connects = hs->connects;
	rf->stats.bytes_in = hs->bytes_in;
	if (strcmp(c->method, "GET") == 0)
		rf->stats.gets++;
	else if (strcmp(c->method, "POST") == 0)
		rf->stats.posts++;
	else if (strcmp(c->method, "DELETE") == 0)
		rf->stats.deletes++;
	memset(&res, 0, sizeof(res));
	res.rsp = rsp;
	res.status = rsp->status;
	text[0] = '\0';
	if (rsp->err != HTTP_OK) {
		rf->stats.failed++;
		res.err = REDFISH_E_HTTP;
		(void)snprintf(text, sizeof(text), "%s", rsp->error);
	} else if (rsp->status == 401 && c->auth && !c->login &&
	    !c->retried && rf->auth == RF_AUTH_SESSION) {
		/* the session timed out or was deleted on the BMC: make a
		 * new one and ask again, once; sent with a token replaced
		 * since, only ask again */
		c->retried = 1;
		if (c->tok_gen != rf->tok_gen && !rf->relogin)
			rf_enqueue(rf, c);
		else {
			rf_list_add(&rf->relogin_wait, c);
			rf_relogin_start(rf);
		}
		rf_pump(rf);
		return;
	} else if (rsp->status == 401 || rsp->status == 403) {
		res.err = REDFISH_E_AUTH;
		rf_status_text(rf, c, rsp, text, sizeof(text));
	} else if (rsp->status < 200 || rsp->status > 299) {
		res.err = REDFISH_E_STATUS;
		rf_status_text(rf, c, rsp, text, sizeof(text));
	} else if (c->json) {
		if (rfjson_parse(rsp->body, rsp->body_len, &doc, e,
		    sizeof(e)) != 0) {
			res.err = REDFISH_E_BODY;
			(void)snprintf(text, sizeof(text), "%s: %s", rsp->url,
			    e);
		} else
			res.doc = rfjson_root(doc);
	}
	res.text = text;
	/* an answer for a connection given up since is nobody's */
	if (c->op != NULL || c->gen == rf->gen || c->cb == rf_close_cb ||
	    c->login)
		c->cb(rf, c, &res);
	rfjson_free(doc);
	rf_call_free(rf, c);
	rf_pump(rf);
}

/* ---- operations ---- */

static int64_t
rf_op_kick(void *arg)
{
	struct rf_op *op = arg;
	struct redfish *rf = op->rf;

	if (!op->active)
		return EV_STOP;
	if (rf->cstate == RC_READY) {
		rf_op_go(rf, op);
		return EV_STOP;
	}
	op->waiting = 1;
	if (rf->cstate == RC_NONE) {
		struct rf_call *c;

		rf->gen++;
		rf->cstate = RC_ROOT;
		rf->conn_detail[0] = '\0';
		c = rf_call_new(rf, NULL, "GET", "/redfish/v1/", rf_root_cb);
		c->auth = 0;
		rf_send(rf, c);
	}
	return EV_STOP;
}

static int
rf_op_start(struct redfish *rf, enum rf_kind k, redfish_done_fn *done,
    void *arg)
{
	struct rf_op *op = &rf->op[k];

	if (op->active || rf->closing)
		return -1;
	op->active = 1;
	op->waiting = 0;
	op->done = done;
	op->arg = arg;
	op->err = REDFISH_OK;
	op->detail[0] = '\0';
	op->found = 0;
	ev_timer_set(rf->ev, op->kick, 0);
	return 0;
}

static void	rf_sensors_end(struct redfish *, struct rf_op *);
static void	rf_logs_end(struct redfish *, struct rf_op *);
static void	rf_chassis_end(struct redfish *, struct rf_op *);

static void
rf_op_finish(struct redfish *rf, struct rf_op *op)
{
	redfish_done_fn *done = op->done;
	void *arg = op->arg;

	if (op->kind == RF_SENSORS)
		rf_sensors_end(rf, op);
	else if (op->kind == RF_LOGS)
		rf_logs_end(rf, op);
	else if (op->kind == RF_CHASSIS)
		rf_chassis_end(rf, op);
	op->active = 0;
	op->waiting = 0;
	if (done != NULL)
		done(arg, op->err);
}

/* an operation that issued nothing (or whose calls all ended) */
static void
rf_op_check(struct redfish *rf, struct rf_op *op)
{
	if (op->active && op->calls == 0)
		rf_op_finish(rf, op);
}

/* a GET of an operation */
static void
rf_get(struct redfish *rf, struct rf_op *op, const char *path, rf_cb_fn *cb,
    size_t a, size_t b)
{
	struct rf_call *c;

	if (op->err != REDFISH_OK)
		return;
	c = rf_call_new(rf, op, "GET", path, cb);
	c->a = a;
	c->b = b;
	rf_send(rf, c);
}

/* path with the $expand query the service allows, if any */
static void
rf_expand(const struct redfish *rf, const char *path, char *out,
    size_t len)
{
	const char *q;

	if (rf->cfg.no_expand || rf->root.expand == RFMAP_EXPAND_NONE) {
		(void)snprintf(out, len, "%s", path);
		return;
	}
	q = rf->root.expand == RFMAP_EXPAND_DOT ?
	    (rf->root.expand_levels ? "$expand=.($levels=1)" : "$expand=.") :
	    (rf->root.expand_levels ? "$expand=*($levels=1)" : "$expand=*");
	(void)snprintf(out, len, "%s%c%s", path, strchr(path, '?') ? '&' :
	    '?', q);
}

/* a failed call: an op error unless tolerated */
static int
rf_res_bad(struct rf_op *op, const struct rf_res *res)
{
	if (res->err == REDFISH_OK)
		return 0;
	rf_op_fail(op, res->err, res->text);
	return 1;
}

static const char *
rf_system_path(const struct redfish *rf)
{
	return rf->nsystems > 0 ? rf->systems[0] : NULL;
}

/* ---- connection ---- */

static void
rf_conn_ready(struct redfish *rf)
{
	int k;

	rf->cstate = RC_READY;
	for (k = 0; k < RF_NKIND; k++) {
		struct rf_op *op = &rf->op[k];

		if (op->active && op->waiting) {
			op->waiting = 0;
			rf_op_go(rf, op);
		}
	}
}

static void
rf_connect_fail(struct redfish *rf, enum redfish_err e, const char *text)
{
	int k;

	rf->cstate = RC_NONE;
	rf->conn_err = e;
	(void)snprintf(rf->conn_detail, sizeof(rf->conn_detail), "%s", text);
	for (k = 0; k < RF_NKIND; k++) {
		struct rf_op *op = &rf->op[k];

		if (op->active && op->waiting) {
			op->waiting = 0;
			rf_op_fail(op, e, text);
			rf_op_check(rf, op);
		}
	}
}

/* a call of the connection itself (no operation) */
static struct rf_call *
rf_ccall(struct redfish *rf, const char *method, const char *path,
    rf_cb_fn *cb)
{
	return rf_call_new(rf, NULL, method, path, cb);
}

static void
rf_members_cb(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	char (*dst)[REDFISH_PATH_MAX];
	size_t *n, total, i;
	char err[512], text[REDFISH_ERR_MAX];

	dst = c->b == 0 ? rf->systems : c->b == 1 ? rf->chassis :
	    rf->managers;
	n = c->b == 0 ? &rf->nsystems : c->b == 1 ? &rf->nchassis :
	    &rf->nmanagers;
	*n = 0;
	if (rf->cstate != RC_DISCOVER)
		return;
	if (res->err == REDFISH_E_STATUS && res->status == 404) {
		/* a service without managers (or chassis): fine */
	} else if (res->err != REDFISH_OK) {
		rf_connect_fail(rf, res->err, res->text);
		return;
	} else if (rfmap_members(res->doc, dst, NULL, REDFISH_MEMBERS_MAX, n,
	    &total, err, sizeof(err)) != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_connect_fail(rf, REDFISH_E_BODY, text);
		return;
	}
	/* the configured system first */
	if (c->b == 0 && rf->system_id != NULL) {
		for (i = 0; i < *n; i++) {
			const char *tail = strrchr(dst[i], '/');

			if (tail != NULL && strcmp(tail + 1, rf->system_id) ==
			    0)
				break;
		}
		if (i == *n) {
			(void)snprintf(text, sizeof(text), "%s%s: no system "
			    "%s among the members", rf->base, c->path,
			    rf->system_id);
			rf_connect_fail(rf, REDFISH_E_UNSUPPORTED, text);
			return;
		}
		if (i != 0) {
			char tmp[REDFISH_PATH_MAX];

			memcpy(tmp, dst[0], sizeof(tmp));
			memcpy(dst[0], dst[i], sizeof(tmp));
			memcpy(dst[i], tmp, sizeof(tmp));
		}
	}
	if (--rf->discover_left == 0)
		rf_conn_ready(rf);
}

static void
rf_discover(struct redfish *rf)
{
	const char *paths[3] = {
		rf->root.systems, rf->root.chassis, rf->root.managers
	};
	struct rf_call *c;
	size_t i;

	rf->cstate = RC_DISCOVER;
	rf->discover_left = 3;
	for (i = 0; i < 3; i++) {
		c = rf_ccall(rf, "GET", paths[i], rf_members_cb);
		c->b = i;
		rf_send(rf, c);
	}
}

/* {"UserName": user, "Password": password} into buf, unbuffered (no
 * copy of the password left in a stdio buffer) */
static int
rf_login_body(const struct redfish *rf, char *buf, size_t cap, size_t *len)
{
	struct jsonw j;
	FILE *f;
	long n;
	int bad;

	if ((f = fmemopen(buf, cap, "w")) == NULL)
		return -1;
	(void)setvbuf(f, NULL, _IONBF, 0);
	jsonw_init(&j, f);
	jsonw_obj_begin(&j, NULL);
	jsonw_str(&j, "UserName", rf->user);
	jsonw_str(&j, "Password", rf->password);
	jsonw_obj_end(&j);
	n = ftell(f);
	bad = ferror(f) || n < 0 || (size_t)n + 1 >= cap;
	(void)fclose(f);
	if (bad)
		return -1;
	*len = (size_t)n;
	return 0;
}

/* Location (or the body's @odata.id) as the session's path on us */
static void
rf_session_path(struct redfish *rf, const struct rf_res *res)
{
	const char *loc = res->rsp->location, *id;
	size_t n = strlen(rf->base);

	rf->session[0] = '\0';
	if (loc != NULL && strncmp(loc, rf->base, n) == 0)
		loc += n;
	if (loc != NULL && rfmap_path(loc, rf->session,
	    sizeof(rf->session)) == 0)
		return;
	rf->session[0] = '\0';
	if (res->doc != NULL && (id = rfjson_str(rfjson_get(res->doc,
	    "@odata.id"))) != NULL)
		(void)rfmap_path(id, rf->session, sizeof(rf->session));
}

static void
rf_login_cb(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	char text[REDFISH_ERR_MAX];
	struct rf_res nt;
	struct rf_call *w;
	int ok = 0;

	(void)c;
	if (res->err == REDFISH_OK || (res->err == REDFISH_E_BODY &&
	    res->rsp != NULL)) {
		if (res->rsp->auth_token == NULL) {
			(void)snprintf(text, sizeof(text), "%s%s: session "
			    "created without an X-Auth-Token", rf->base,
			    rf->root.sessions);
			nt = *res;
			nt.err = REDFISH_E_BODY;
			nt.text = text;
			res = &nt;
		} else {
			(void)snprintf(rf->token, sizeof(rf->token), "%s",
			    res->rsp->auth_token);
			rf->tok_gen++;
			rf->auth = RF_AUTH_SESSION;
			rf_session_path(rf, res);
			rf->stats.sessions++;
			ok = 1;
		}
	} else if (res->err == REDFISH_E_STATUS && (res->status == 404 ||
	    res->status == 405 || res->status == 501) && !rf->relogin) {
		/* no sessions here: Basic on every request */
		rf->auth = RF_AUTH_BASIC;
		ok = 1;
	}
	if (rf->closing) {
		/* closed while the session was being made: delete it now
		 * rather than leave it to lock the BMC's session table */
		if (ok && rf->auth == RF_AUTH_SESSION && rf->session[0]) {
			w = rf_ccall(rf, "DELETE", rf->session, rf_close_cb);
			w->json = 0;
			rf_send(rf, w);
		} else
			ev_timer_set(rf->ev, rf->close_timer, 0);
		explicit_bzero(rf->token, sizeof(rf->token));
		rf->session[0] = '\0';
		rf->auth = RF_AUTH_NONE;
		return;
	}
	if (rf->relogin) {
		rf->relogin = 0;
		while ((w = rf->relogin_wait) != NULL) {
			rf_list_del(&rf->relogin_wait, w);
			if (ok)
				rf_send(rf, w);
			else {
				w->cb(rf, w, res);
				rf_call_free(rf, w);
			}
		}
		if (!ok)
			rf_connect_fail(rf, res->err, res->text);
		return;
	}
	if (!ok) {
		rf_connect_fail(rf, res->err, res->text);
		return;
	}
	rf_discover(rf);
}

static void
rf_login(struct redfish *rf)
{
	struct rf_call *c;
	char buf[1024];
	size_t len;

	if (rf->cfg.no_session) {
		rf->auth = RF_AUTH_BASIC;
		rf_discover(rf);
		return;
	}
	rf->cstate = rf->relogin ? rf->cstate : RC_LOGIN;
	c = rf_ccall(rf, "POST", rf->root.sessions, rf_login_cb);
	c->auth = 0;
	c->login = 1;
	if (rf_login_body(rf, buf, sizeof(buf), &len) != 0) {
		explicit_bzero(buf, sizeof(buf));
		rf_fail_now(rf, c, "user name or password too long for the "
		    "session request");
		return;
	}
	c->body = xmalloc(len + 1);
	memcpy(c->body, buf, len + 1);
	c->body_len = len;
	explicit_bzero(buf, sizeof(buf));
	rf_send(rf, c);
}

static void
rf_relogin_start(struct redfish *rf)
{
	if (rf->relogin)
		return;
	rf->relogin = 1;
	rf->stats.relogins++;
	explicit_bzero(rf->token, sizeof(rf->token));
	rf->session[0] = '\0';
	rf_login(rf);
}

static void
rf_root_cb(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	char err[512], text[REDFISH_ERR_MAX];

	(void)c;
	if (res->err == REDFISH_E_AUTH) {
		/* a root that wants credentials: the well-known paths */
		rfmap_root_default(&rf->root);
	} else if (res->err != REDFISH_OK) {
		rf_connect_fail(rf, res->err, res->text);
		return;
	} else if (rfmap_root(res->doc, &rf->root, err, sizeof(err)) != 0) {
		(void)snprintf(text, sizeof(text), "%s/redfish/v1/: %s",
		    rf->base, err);
		rf_connect_fail(rf, REDFISH_E_BODY, text);
		return;
	}
	rf_login(rf);
}

/* ---- sensors ---- */

#define RF_SRC_SENSORS	0
#define RF_SRC_THERMAL	1
#define RF_SRC_POWER	2

static uint64_t
rf_skey(size_t chassis, unsigned src, size_t idx)
{
	return (uint64_t)chassis << 40 | (uint64_t)src << 32 | idx;
}

/* a new sensor slot; NULL when full or a duplicate (path already read
 * through another chassis) */
static struct sensors_item *
rf_slot(struct redfish *rf, struct rf_op *op, uint64_t key, const char *path,
    size_t *idx)
{
	size_t i;

	if (path != NULL)
		for (i = 0; i < rf->nsensors; i++)
			if (strcmp(rf->spaths[i], path) == 0)
				return NULL;
	if (rf->nsensors >= REDFISH_SENSORS_MAX) {
		rf_op_note(op, "%s: more than %d sensors, the rest skipped",
		    rf->base, REDFISH_SENSORS_MAX);
		return NULL;
	}
	if (rf->nsensors == rf->scap) {
		rf->scap = rf->scap ? rf->scap * 2 : 64;
		if (rf->scap > REDFISH_SENSORS_MAX)
			rf->scap = REDFISH_SENSORS_MAX;
		rf->sensors = xreallocarray(rf->sensors, rf->scap,
		    sizeof(*rf->sensors));
		rf->skeys = xreallocarray(rf->skeys, rf->scap,
		    sizeof(*rf->skeys));
		rf->spaths = xreallocarray(rf->spaths, rf->scap,
		    sizeof(*rf->spaths));
	}
	i = rf->nsensors++;
	rf->skeys[i] = key;
	(void)snprintf(rf->spaths[i], sizeof(rf->spaths[i]), "%s",
	    path != NULL ? path : "");
	memset(&rf->sensors[i], 0, sizeof(rf->sensors[i]));
	*idx = i;
	return &rf->sensors[i];
}

static void
rf_s_map(struct redfish *rf, struct rf_op *op, size_t idx,
    const struct rfjson_v *doc, const char *path)
{
	char err[512];

	if (rfmap_sensor(doc, &rf->sensors[idx], err, sizeof(err)) != 0)
		rf_op_note(op, "%s%s: %s", rf->base, path, err);
	if (rf->sensors[idx].name[0] == '\0') {
		const char *tail = strrchr(path, '/');

		(void)snprintf(rf->sensors[idx].name,
		    sizeof(rf->sensors[idx].name), "%s",
		    tail != NULL ? tail + 1 : path);
	}
}

static void
rf_s_member(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	struct sensors_item *it = &rf->sensors[c->a];

	if (res->err == REDFISH_E_STATUS || res->err == REDFISH_E_BODY) {
		/* this sensor only */
		it->note = res->err == REDFISH_E_BODY ?
		    SENSORS_NOTE_MALFORMED : SENSORS_NOTE_UNAVAILABLE;
		it->sev = SENSOR_SEV_UNAVAILABLE;
		rf_op_note(op, "%s", res->text);
		return;
	}
	if (rf_res_bad(op, res))
		return;
	rf_s_map(rf, op, c->a, res->doc, rf->spaths[c->a]);
}

static void
rf_s_coll(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char (*paths)[REDFISH_PATH_MAX];
	const struct rfjson_v **mem;
	char err[512], next[REDFISH_PATH_MAX];
	size_t n, total, i, idx;
	struct sensors_item *it;
	int nl;

	if (rf_res_bad(op, res) || op->err != REDFISH_OK)
		return;
	if (strstr(c->path, "$expand") != NULL)
		rf->stats.expanded++;
	paths = xcalloc(REDFISH_SENSORS_MAX, sizeof(*paths));
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	mem = xcalloc(REDFISH_SENSORS_MAX, sizeof(*mem));
	if (rfmap_members(res->doc, paths, mem, REDFISH_SENSORS_MAX, &n,
	    &total, err, sizeof(err)) != 0) {
		char text[REDFISH_ERR_MAX];

		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
		goto done;
	}
	for (i = 0; i < n; i++) {
		it = rf_slot(rf, op, rf_skey(c->a, RF_SRC_SENSORS, c->b + i),
		    paths[i], &idx);
		if (it == NULL)
			continue;
		(void)snprintf(it->name, sizeof(it->name), "%s",
		    strrchr(paths[i], '/') + 1);
		it->note = SENSORS_NOTE_NOT_READ;
		it->sev = SENSOR_SEV_UNAVAILABLE;
		if (rfmap_expanded(mem[i]))
			rf_s_map(rf, op, idx, mem[i], paths[i]);
		else
			rf_get(rf, op, paths[i], rf_s_member, idx, 0);
	}
	if ((nl = rfmap_next_link(res->doc, next, sizeof(next), err,
	    sizeof(err))) < 0)
		rf_op_note(op, "%s%s: %s", rf->base, c->path, err);
	else if (nl > 0 && total > 0 && c->b + total < REDFISH_SENSORS_MAX)
		rf_get(rf, op, next, rf_s_coll, c->a, c->b + total);
done:
	free(paths);
	free(mem);
}

static void
rf_s_legacy(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	struct sensors_item *tmp, *it;
	char err[512], key[REDFISH_PATH_MAX + 64];
	size_t n, i, idx;

	if (res->err == REDFISH_E_STATUS || res->err == REDFISH_E_BODY) {
		rf_op_note(op, "%s", res->text);
		return;
	}
	if (rf_res_bad(op, res))
		return;
	op->found = 1;
	tmp = xcalloc(REDFISH_SENSORS_MAX, sizeof(*tmp));
	n = (c->b == RF_SRC_THERMAL ? rfmap_thermal : rfmap_power)(res->doc,
	    tmp, REDFISH_SENSORS_MAX, err, sizeof(err));
	if (err[0] != '\0')
		rf_op_note(op, "%s%s: %s", rf->base, c->path, err);
	for (i = 0; i < n; i++) {
		(void)snprintf(key, sizeof(key), "%s#%zu", c->path, i);
		it = rf_slot(rf, op, rf_skey(c->a, (unsigned)c->b, i), key,
		    &idx);
		if (it != NULL)
			*it = tmp[i];
	}
	free(tmp);
}

static void
rf_s_chassis(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char path[REDFISH_PATH_MAX], q[REDFISH_PATH_MAX + RF_QUERY_MAX],
	    err[512];

	if (rf_res_bad(op, res) || op->err != REDFISH_OK)
		return;
	if (rfjson_get(res->doc, "Sensors") != NULL) {
		if (rfmap_link(res->doc, "Sensors", path, sizeof(path), err,
		    sizeof(err)) != 0) {
			char text[REDFISH_ERR_MAX];

			(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
			    c->path, err);
			rf_op_fail(op, REDFISH_E_BODY, text);
			return;
		}
		op->found = 1;
		rf_expand(rf, path, q, sizeof(q));
		rf_get(rf, op, q, rf_s_coll, c->a, 0);
		return;
	}
	/* older services: Thermal and Power */
	if (rfjson_get(res->doc, "Thermal") != NULL &&
	    rfmap_link(res->doc, "Thermal", path, sizeof(path), err,
	    sizeof(err)) == 0)
		rf_get(rf, op, path, rf_s_legacy, c->a, RF_SRC_THERMAL);
	if (rfjson_get(res->doc, "Power") != NULL &&
	    rfmap_link(res->doc, "Power", path, sizeof(path), err,
	    sizeof(err)) == 0)
		rf_get(rf, op, path, rf_s_legacy, c->a, RF_SRC_POWER);
}

static void
rf_sensors_go(struct redfish *rf, struct rf_op *op)
{
	size_t i;

	rf->nsensors = 0;
	for (i = 0; i < rf->nchassis; i++)
		rf_get(rf, op, rf->chassis[i], rf_s_chassis, i, 0);
}

struct rf_sort {
	uint64_t	 key;
	size_t		 idx;
};

static int
rf_sort_cmp(const void *a, const void *b)
{
	const struct rf_sort *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void
rf_sensors_end(struct redfish *rf, struct rf_op *op)
{
	struct rf_sort *ord;
	struct sensors_item *out;
	size_t i, o;

	if (op->err == REDFISH_OK && rf->nchassis == 0)
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, "no Chassis members");
	else if (op->err == REDFISH_OK && !op->found) {
		char text[REDFISH_ERR_MAX];

		(void)snprintf(text, sizeof(text), "%s%s: no Sensors, "
		    "Thermal or Power under any chassis", rf->base,
		    rf->root.chassis);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
	}
	if (op->err != REDFISH_OK) {
		rf->nsensors = 0;
		return;
	}
	/* answers arrive in any order: back to the order of the
	 * collections, less what the severity file excludes */
	ord = xcalloc(rf->nsensors, sizeof(*ord));
	out = xcalloc(rf->nsensors, sizeof(*out));
	for (i = 0; i < rf->nsensors; i++) {
		ord[i].key = rf->skeys[i];
		ord[i].idx = i;
	}
	qsort(ord, rf->nsensors, sizeof(*ord), rf_sort_cmp);
	for (i = o = 0; i < rf->nsensors; i++) {
		const struct sensors_item *it = &rf->sensors[ord[i].idx];

		if (rf->cfg.sev != NULL && severity_excluded(rf->cfg.sev,
		    it->name, (it->missing & SENSORS_NA_NUMBER) ? 0xff :
		    it->number))
			continue;
		out[o++] = *it;
	}
	memcpy(rf->sensors, out, o * sizeof(*out));
	rf->nsensors = o;
	free(ord);
	free(out);
}

/* ---- chassis, watchdog, info ---- */

static void
rf_c_chassis(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char err[512], text[REDFISH_ERR_MAX];

	if (rf_res_bad(op, res))
		return;
	if (rfmap_chassis_doc(res->doc, &rf->chassis_snap, err,
	    sizeof(err)) != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
	}
}

static void
rf_c_system(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char err[512], text[REDFISH_ERR_MAX], path[REDFISH_PATH_MAX];

	if (rf_res_bad(op, res))
		return;
	if (rfmap_system_chassis(res->doc, &rf->chassis_snap, err,
	    sizeof(err)) != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
		return;
	}
	if (rfmap_system_chassis_link(res->doc, path, sizeof(path)))
		rf_get(rf, op, path, rf_c_chassis, 0, 0);
	else if (rf->nchassis > 0)
		rf_get(rf, op, rf->chassis[0], rf_c_chassis, 0, 0);
}

static void
rf_chassis_go(struct redfish *rf, struct rf_op *op)
{
	(void)rfmap_system_chassis(NULL, &rf->chassis_snap, NULL, 0);
	if (rf_system_path(rf) != NULL)
		rf_get(rf, op, rf_system_path(rf), rf_c_system, 0, 0);
	else if (rf->nchassis > 0)
		rf_get(rf, op, rf->chassis[0], rf_c_chassis, 0, 0);
}

static void
rf_chassis_end(struct redfish *rf, struct rf_op *op)
{
	char text[REDFISH_ERR_MAX];

	if (op->err == REDFISH_OK &&
	    rf->chassis_snap.status_state != CHASSIS_ITEM_OK) {
		(void)snprintf(text, sizeof(text), "%s: no PowerState in the "
		    "system nor its chassis", rf->base);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
	}
}

static void
rf_w_system(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char err[512], text[REDFISH_ERR_MAX];
	int r;

	if (rf_res_bad(op, res))
		return;
	r = rfmap_watchdog(res->doc, &rf->wdt, err, sizeof(err));
	if (r == 1) {
		(void)snprintf(text, sizeof(text), "%s%s: no HostWatchdogTimer",
		    rf->base, c->path);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
	} else if (r != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
	}
}

static void
rf_i_doc(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;

	if (rf_res_bad(op, res))
		return;
	if (c->b == 0)
		rfmap_info(res->doc, NULL, &rf->info);
	else
		rfmap_info(NULL, res->doc, &rf->info);
}

/* ---- logs ---- */

static void	rf_l_service_doc(struct redfish *, struct rf_op *, size_t,
		    const struct rfjson_v *, const char *);

static void
rf_l_entry_doc(struct redfish *rf, struct rf_op *op, size_t svc,
    const struct rfjson_v *doc, const char *where)
{
	struct redfish_log_entry *e;
	char err[512];

	if (rf->nentries >= REDFISH_LOG_MAX) {
		rf->svcs[svc].truncated = 1;
		return;
	}
	if (rf->nentries == rf->ecap) {
		rf->ecap = rf->ecap ? rf->ecap * 2 : 32;
		if (rf->ecap > REDFISH_LOG_MAX)
			rf->ecap = REDFISH_LOG_MAX;
		rf->entries = xreallocarray(rf->entries, rf->ecap,
		    sizeof(*rf->entries));
	}
	e = &rf->entries[rf->nentries];
	if (rfmap_log_entry(doc, e, err, sizeof(err)) != 0) {
		rf_op_note(op, "%s%s: %s", rf->base, where, err);
		return;
	}
	e->service = (unsigned)svc;
	rf->nentries++;
	rf->svcs[svc].entries_read++;
	if (e->has_created && (!rf->svcs[svc].has_newest ||
	    e->created_s > rf->svcs[svc].newest_s)) {
		rf->svcs[svc].has_newest = 1;
		rf->svcs[svc].newest_s = e->created_s;
		rf->svcs[svc].newest_ts = e->rec.ts;
	}
}

static void
rf_l_entry(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;

	if (res->err == REDFISH_E_STATUS || res->err == REDFISH_E_BODY) {
		rf_op_note(op, "%s", res->text);
		return;
	}
	if (rf_res_bad(op, res))
		return;
	rf_l_entry_doc(rf, op, c->a, res->doc, c->path);
}

/* an Entries page: c->a the service, c->b the page number */
static void
rf_l_entries(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	const struct rfjson_v *arr, *m;
	const char *id;
	char err[512], next[REDFISH_PATH_MAX], path[REDFISH_PATH_MAX],
	    where[REDFISH_PATH_MAX + 64];
	size_t i, n;
	int nl;

	if (rf_res_bad(op, res) || op->err != REDFISH_OK)
		return;
	arr = rfjson_get(res->doc, "Members");
	if (rfjson_type(arr) != RFJSON_ARRAY) {
		char text[REDFISH_ERR_MAX];

		(void)snprintf(text, sizeof(text), "%s%s: Members: expected "
		    "an array, got %s", rf->base, c->path,
		    rfjson_type_name(rfjson_type(arr)));
		rf_op_fail(op, REDFISH_E_BODY, text);
		return;
	}
	n = rfjson_len(arr);
	for (i = 0; i < n; i++) {
		m = rfjson_at(arr, i);
		(void)snprintf(where, sizeof(where), "%s Members[%zu]",
		    c->path, i);
		id = rfjson_str(rfjson_get(m, "@odata.id"));
		if (rfmap_expanded(m))
			rf_l_entry_doc(rf, op, c->a, m, where);
		else if (id != NULL && rfmap_path(id, path, sizeof(path)) ==
		    0) {
			if (rf->nentries + op->calls < REDFISH_LOG_MAX)
				rf_get(rf, op, path, rf_l_entry, c->a, 0);
			else
				rf->svcs[c->a].truncated = 1;
		} else
			rf_op_note(op, "%s%s: no @odata.id", rf->base, where);
	}
	if ((nl = rfmap_next_link(res->doc, next, sizeof(next), err,
	    sizeof(err))) < 0)
		rf_op_note(op, "%s%s: %s", rf->base, c->path, err);
	else if (nl > 0 && n > 0) {
		if (c->b + 1 >= REDFISH_PAGES_MAX ||
		    rf->nentries >= REDFISH_LOG_MAX)
			rf->svcs[c->a].truncated = 1;
		else
			rf_get(rf, op, next, rf_l_entries, c->a, c->b + 1);
	}
}

static void
rf_l_service(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;

	if (res->err == REDFISH_E_STATUS || res->err == REDFISH_E_BODY) {
		rf_op_note(op, "%s", res->text);
		return;
	}
	if (rf_res_bad(op, res))
		return;
	rf_l_service_doc(rf, op, c->a, res->doc, c->path);
}

static void
rf_l_service_doc(struct redfish *rf, struct rf_op *op, size_t key,
    const struct rfjson_v *doc, const char *where)
{
	struct redfish_log_service *s;
	char err[512], q[REDFISH_PATH_MAX + RF_QUERY_MAX];
	size_t i;

	if (rf->nsvcs >= REDFISH_LOG_SERVICES) {
		rf_op_note(op, "%s: more than %d log services, the rest "
		    "skipped", rf->base, REDFISH_LOG_SERVICES);
		return;
	}
	s = &rf->svcs[rf->nsvcs];
	if (rfmap_log_service(doc, s, err, sizeof(err)) != 0) {
		rf_op_note(op, "%s%s: %s", rf->base, where, err);
		return;
	}
	for (i = 0; i < rf->nsvcs; i++)
		if (strcmp(rf->svcs[i].path, s->path) == 0)
			return;
	s->owner = (key >> 16) ? REDFISH_LOG_MANAGER : REDFISH_LOG_SYSTEM;
	rf->svc_keys[rf->nsvcs] = (uint32_t)key;
	i = rf->nsvcs++;
	if (s->entries[0] == '\0')
		return;
	rf_expand(rf, s->entries, q, sizeof(q));
	rf_get(rf, op, q, rf_l_entries, i, 0);
}

/* a LogServices collection: c->a its owner key (manager index + 1 <<
 * 16, 0 for the system) */
static void
rf_l_coll(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char (*paths)[REDFISH_PATH_MAX];
	const struct rfjson_v *mem[REDFISH_LOG_SERVICES];
	char err[512], text[REDFISH_ERR_MAX];
	size_t n, total, i;

	if (res->err == REDFISH_E_STATUS && res->status == 404) {
		rf_op_note(op, "%s", res->text);
		return;
	}
	if (rf_res_bad(op, res) || op->err != REDFISH_OK)
		return;
	if (strstr(c->path, "$expand") != NULL)
		rf->stats.expanded++;
	paths = xcalloc(REDFISH_LOG_SERVICES, sizeof(*paths));
	if (rfmap_members(res->doc, paths, mem, REDFISH_LOG_SERVICES, &n,
	    &total, err, sizeof(err)) != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
		free(paths);
		return;
	}
	for (i = 0; i < n; i++) {
		if (rfmap_expanded(mem[i]))
			rf_l_service_doc(rf, op, c->a | i, mem[i], paths[i]);
		else
			rf_get(rf, op, paths[i], rf_l_service, c->a | i, 0);
	}
	free(paths);
}

/* a system or manager: follow its LogServices */
static void
rf_l_owner(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char path[REDFISH_PATH_MAX], q[REDFISH_PATH_MAX + RF_QUERY_MAX],
	    err[512];

	if (rf_res_bad(op, res) || op->err != REDFISH_OK)
		return;
	if (rfjson_get(res->doc, "LogServices") == NULL)
		return;
	if (rfmap_link(res->doc, "LogServices", path, sizeof(path), err,
	    sizeof(err)) != 0) {
		rf_op_note(op, "%s%s: %s", rf->base, c->path, err);
		return;
	}
	rf_expand(rf, path, q, sizeof(q));
	rf_get(rf, op, q, rf_l_coll, c->a, 0);
}

static void
rf_logs_go(struct redfish *rf, struct rf_op *op)
{
	size_t i;

	rf->nsvcs = 0;
	rf->nentries = 0;
	if (rf_system_path(rf) != NULL)
		rf_get(rf, op, rf_system_path(rf), rf_l_owner, 0, 0);
	for (i = 0; i < rf->nmanagers && i < 255; i++)
		rf_get(rf, op, rf->managers[i], rf_l_owner, (i + 1) << 16, 0);
}

static const struct redfish_cursor_svc *
rf_cursor_find(const struct redfish_cursor *cur, const char *path)
{
	uint32_t i;

	if (cur == NULL || cur->version != REDFISH_CURSOR_VERSION)
		return NULL;
	for (i = 0; i < cur->n && i < REDFISH_CURSOR_SERVICES; i++)
		if (strncmp(cur->svc[i].path, path, sizeof(cur->svc[i].path))
		    == 0)
			return &cur->svc[i];
	return NULL;
}

static int
rf_entry_cmp(const void *a, const void *b)
{
	const struct redfish_log_entry *x = a, *y = b;

	if (x->service != y->service)
		return x->service < y->service ? -1 : 1;
	return rfmap_entry_cmp(x->has_created, x->created_s, x->id,
	    y->has_created, y->created_s, y->id);
}

static void
rf_logs_end(struct redfish *rf, struct rf_op *op)
{
	unsigned map[REDFISH_LOG_SERVICES];
	struct redfish_log_service tmp;
	const struct redfish_cursor_svc *cs;
	size_t i, j, o;
	uint32_t k;

	if (op->err != REDFISH_OK) {
		rf->nentries = 0;
		return;
	}
	/* services in discovery order: system, then managers */
	for (i = 0; i < rf->nsvcs; i++)
		map[i] = (unsigned)i;
	for (i = 1; i < rf->nsvcs; i++)
		for (j = i; j > 0 && rf->svc_keys[j - 1] > rf->svc_keys[j];
		    j--) {
			unsigned m;

			tmp = rf->svcs[j];
			rf->svcs[j] = rf->svcs[j - 1];
			rf->svcs[j - 1] = tmp;
			k = rf->svc_keys[j];
			rf->svc_keys[j] = rf->svc_keys[j - 1];
			rf->svc_keys[j - 1] = k;
			m = map[j];
			map[j] = map[j - 1];
			map[j - 1] = m;
		}
	/* map[new] = old: entries point at the old index */
	for (i = 0; i < rf->nentries; i++)
		for (j = 0; j < rf->nsvcs; j++)
			if (map[j] == rf->entries[i].service) {
				rf->entries[i].service = (unsigned)j;
				break;
			}
	qsort(rf->entries, rf->nentries, sizeof(*rf->entries), rf_entry_cmp);
	if (!op->has_since)
		return;
	for (i = o = 0; i < rf->nentries; i++) {
		struct redfish_log_entry *e = &rf->entries[i];

		cs = rf_cursor_find(&op->since, rf->svcs[e->service].path);
		if (cs != NULL && rfmap_entry_cmp(e->has_created, e->created_s,
		    e->id, cs->has_created, cs->created_s, cs->id) <= 0)
			continue;
		if (o != i)
			rf->entries[o] = *e;
		o++;
	}
	rf->nentries = o;
}

/* ---- actions ---- */

static void
rf_a_posted(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	(void)rf;
	(void)rf_res_bad(c->op, res);
}

static void
rf_a_send(struct redfish *rf, struct rf_op *op, const char *method,
    const char *target, const char *body)
{
	struct rf_call *c = rf_call_new(rf, op, method, target, rf_a_posted);

	c->json = 0;
	c->body_len = strlen(body);
	c->body = xstrdup(body);
	rf_send(rf, c);
}

static void
rf_a_service(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	struct redfish_log_service s;
	char err[512], text[REDFISH_ERR_MAX];

	if (rf_res_bad(op, res))
		return;
	if (rfmap_log_service(res->doc, &s, err, sizeof(err)) != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
	} else if (s.wraps) {
		(void)snprintf(text, sizeof(text), "%s%s: not cleared: its "
		    "OverWritePolicy is WrapsWhenFull (it never fills; "
		    "clearing would only lose entries)", rf->base, c->path);
		rf_op_fail(op, REDFISH_E_REFUSED, text);
	} else if (s.clear_target[0] == '\0') {
		(void)snprintf(text, sizeof(text), "%s%s: no "
		    "LogService.ClearLog action", rf->base, c->path);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
	} else
		rf_a_send(rf, op, "POST", s.clear_target, "{}");
}

static void
rf_a_system(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char target[REDFISH_PATH_MAX], allowed[512], err[512],
	    text[REDFISH_ERR_MAX], body[96];
	int r;

	if (rf_res_bad(op, res))
		return;
	r = rfmap_reset_action(res->doc, target, sizeof(target), allowed,
	    sizeof(allowed), err, sizeof(err));
	if (r == 1) {
		(void)snprintf(text, sizeof(text), "%s%s: no "
		    "ComputerSystem.Reset action", rf->base, c->path);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
	} else if (r != 0) {
		(void)snprintf(text, sizeof(text), "%s%s: %s", rf->base,
		    c->path, err);
		rf_op_fail(op, REDFISH_E_BODY, text);
	} else if (!rfmap_reset_allowed(allowed, op->type)) {
		(void)snprintf(text, sizeof(text), "%s%s: ResetType %s not "
		    "offered (allowed: %s)", rf->base, c->path, op->type,
		    allowed);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
	} else {
		/* op->type is letters only (redfish_reset) */
		(void)snprintf(body, sizeof(body), "{\"ResetType\": \"%s\"}",
		    op->type);
		rf_a_send(rf, op, "POST", target, body);
	}
}

/*
 * The identify LED of the system: LocationIndicatorActive (Redfish
 * 2020.3 on) when the system has it, else IndicatorLED (Lit or Off),
 * PATCHed on the system.
 */
static void
rf_a_identify(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	struct rf_op *op = c->op;
	char text[REDFISH_ERR_MAX];
	const char *body;
	int b;

	if (rf_res_bad(op, res))
		return;
	if (rfjson_bool(rfjson_get(res->doc, "LocationIndicatorActive"), &b)
	    == 0)
		body = op->identify_on ? "{\"LocationIndicatorActive\": true}" :
		    "{\"LocationIndicatorActive\": false}";
	else if (rfjson_str(rfjson_get(res->doc, "IndicatorLED")) != NULL)
		body = op->identify_on ? "{\"IndicatorLED\": \"Lit\"}" :
		    "{\"IndicatorLED\": \"Off\"}";
	else {
		(void)snprintf(text, sizeof(text), "%s%s: neither "
		    "LocationIndicatorActive nor IndicatorLED", rf->base,
		    c->path);
		rf_op_fail(op, REDFISH_E_UNSUPPORTED, text);
		return;
	}
	rf_a_send(rf, op, "PATCH", c->path, body);
}

static void
rf_op_go(struct redfish *rf, struct rf_op *op)
{
	/* held while calls are made: one failing at once must not end
	 * the operation before the others are made */
	op->calls++;
	switch (op->kind) {
	case RF_SENSORS:
		rf_sensors_go(rf, op);
		break;
	case RF_CHASSIS:
		rf_chassis_go(rf, op);
		break;
	case RF_WATCHDOG:
		if (rf_system_path(rf) != NULL)
			rf_get(rf, op, rf_system_path(rf), rf_w_system, 0, 0);
		else
			rf_op_fail(op, REDFISH_E_UNSUPPORTED,
			    "no Systems members");
		break;
	case RF_INFO:
		memset(&rf->info, 0, sizeof(rf->info));
		(void)snprintf(rf->info.redfish_version,
		    sizeof(rf->info.redfish_version), "%s", rf->root.version);
		(void)snprintf(rf->info.service_uuid,
		    sizeof(rf->info.service_uuid), "%s", rf->root.uuid);
		if (rf->nmanagers > 0)
			rf_get(rf, op, rf->managers[0], rf_i_doc, 0, 0);
		if (rf_system_path(rf) != NULL)
			rf_get(rf, op, rf_system_path(rf), rf_i_doc, 0, 1);
		break;
	case RF_LOGS:
		rf_logs_go(rf, op);
		break;
	case RF_ACTION:
		if (op->action == RF_ACT_CLEAR)
			rf_get(rf, op, op->path, rf_a_service, 0, 0);
		else if (rf_system_path(rf) != NULL)
			rf_get(rf, op, rf_system_path(rf),
			    op->action == RF_ACT_IDENTIFY ? rf_a_identify :
			    rf_a_system, 0, 0);
		else
			rf_op_fail(op, REDFISH_E_UNSUPPORTED,
			    "no Systems members");
		break;
	case RF_NKIND:
		break;
	}
	op->calls--;
	rf_op_check(rf, op);
}

/* ---- public ---- */

struct redfish *
redfish_new(struct ev *ev, const struct redfish_cfg *cfg, char *err,
    size_t errlen)
{
	struct redfish *rf;
	struct http_cfg hc;
	int k;

	rf = xcalloc(1, sizeof(*rf));
	if (cfg->url == NULL || redfish_url_base(cfg->url, rf->base,
	    sizeof(rf->base), err, errlen) != 0) {
		if (cfg->url == NULL)
			(void)snprintf(err, errlen, "no URL");
		free(rf);
		return NULL;
	}
	memset(&hc, 0, sizeof(hc));
	hc.ca_file = cfg->ca_file;
	hc.insecure = cfg->insecure;
	hc.timeout_ms = cfg->timeout_ms;
	hc.body_max = cfg->body_max;
	if ((rf->http = http_new(ev, &hc, err, errlen)) == NULL) {
		free(rf);
		return NULL;
	}
	rf->ev = ev;
	rf->cfg = *cfg;
	rf->cfg.url = NULL;
	rf->cfg.ca_file = NULL;
	rf->cfg.user = rf->cfg.password = NULL;
	rf->user = xstrdup(cfg->user != NULL ? cfg->user : "");
	rf->password = xstrdup(cfg->password != NULL ? cfg->password : "");
	if (cfg->system != NULL)
		rf->system_id = xstrdup(cfg->system);
	rf->cfg.system = NULL;
	rfmap_root_default(&rf->root);
	rf->systems = xcalloc(REDFISH_MEMBERS_MAX, sizeof(*rf->systems));
	rf->chassis = xcalloc(REDFISH_MEMBERS_MAX, sizeof(*rf->chassis));
	rf->managers = xcalloc(REDFISH_MEMBERS_MAX, sizeof(*rf->managers));
	rf->svcs = xcalloc(REDFISH_LOG_SERVICES, sizeof(*rf->svcs));
	rf->svc_keys = xcalloc(REDFISH_LOG_SERVICES, sizeof(*rf->svc_keys));
	for (k = 0; k < RF_NKIND; k++) {
		rf->op[k].kind = (enum rf_kind)k;
		rf->op[k].rf = rf;
		rf->op[k].kick = ev_timer_add(ev, -1, rf_op_kick, &rf->op[k]);
	}
	return rf;
}

static void
rf_drop_calls(struct redfish *rf)
{
	struct rf_call *c, *next;
	int k;

	/* operations first: freeing their calls must not finish them */
	for (k = 0; k < RF_NKIND; k++) {
		rf->op[k].active = 0;
		rf->op[k].waiting = 0;
		ev_timer_set(rf->ev, rf->op[k].kick, -1);
	}
	for (c = rf->sent; c != NULL; c = next) {
		next = c->next;
		if (c->login && rf->closing)
			continue;	/* its session is to be deleted */
		rf_list_del(&rf->sent, c);
		http_cancel(rf->http, c->x);
		rf_call_free(rf, c);
		rf->nsent--;
	}
	while ((c = rf_dequeue(rf)) != NULL)
		rf_call_free(rf, c);
	while ((c = rf->relogin_wait) != NULL) {
		rf_list_del(&rf->relogin_wait, c);
		rf_call_free(rf, c);
	}
	for (k = 0; k < RF_NKIND; k++)
		rf->op[k].calls = 0;
	rf->relogin = 0;
}

void
redfish_free(struct redfish *rf)
{
	int k;

	if (rf == NULL)
		return;
	rf->closing = 0;	/* drop a login in flight too */
	rf_drop_calls(rf);
	http_free(rf->http);
	for (k = 0; k < RF_NKIND; k++)
		ev_timer_del(rf->ev, rf->op[k].kick);
	ev_timer_del(rf->ev, rf->close_timer);
	freezero(rf->password, strlen(rf->password) + 1);
	free(rf->user);
	free(rf->system_id);
	explicit_bzero(rf->token, sizeof(rf->token));
	free(rf->systems);
	free(rf->chassis);
	free(rf->managers);
	free(rf->sensors);
	free(rf->skeys);
	free(rf->spaths);
	free(rf->svcs);
	free(rf->svc_keys);
	free(rf->entries);
	free(rf);
}

static int64_t
rf_close_fire(void *arg)
{
	struct redfish *rf = arg;
	redfish_done_fn *done = rf->close_done;

	rf->closing = 0;
	rf->close_done = NULL;
	if (done != NULL)
		done(rf->close_arg, rf->conn_err);
	return EV_STOP;
}

static void
rf_close_cb(struct redfish *rf, struct rf_call *c, const struct rf_res *res)
{
	(void)c;
	if (res->err == REDFISH_OK)
		rf->stats.sessions_deleted++;
	else {
		rf->conn_err = res->err;
		(void)snprintf(rf->conn_detail, sizeof(rf->conn_detail),
		    "session not deleted: %s", res->text);
	}
	ev_timer_set(rf->ev, rf->close_timer, 0);
}

void
redfish_close(struct redfish *rf, redfish_done_fn *done, void *arg)
{
	struct rf_call *c;

	rf->closing = 1;
	rf_drop_calls(rf);
	rf->cstate = RC_NONE;
	rf->gen++;
	rf->conn_err = REDFISH_OK;
	rf->conn_detail[0] = '\0';
	rf->close_done = done;
	rf->close_arg = arg;
	if (rf->close_timer == NULL)
		rf->close_timer = ev_timer_add(rf->ev, -1, rf_close_fire, rf);
	if (rf->login_sent) {
		/* rf_login_cb deletes the session it gets */
	} else if (rf->auth == RF_AUTH_SESSION && rf->token[0] != '\0' &&
	    rf->session[0] != '\0') {
		c = rf_ccall(rf, "DELETE", rf->session, rf_close_cb);
		c->json = 0;
		rf_send(rf, c);
	} else
		ev_timer_set(rf->ev, rf->close_timer, 0);
	if (rf->login_sent)
		return;
	/* the token goes out with the DELETE (copied by then): forget it */
	explicit_bzero(rf->token, sizeof(rf->token));
	rf->session[0] = '\0';
	rf->auth = RF_AUTH_NONE;
}

int
redfish_busy(const struct redfish *rf)
{
	return rf->sent != NULL || rf->queue != NULL || rf->closing;
}

int
redfish_sensors(struct redfish *rf, redfish_done_fn *done, void *arg)
{
	return rf_op_start(rf, RF_SENSORS, done, arg);
}

size_t
redfish_sensors_count(const struct redfish *rf)
{
	return rf->op[RF_SENSORS].active ? 0 : rf->nsensors;
}

const struct sensors_item *
redfish_sensor(const struct redfish *rf, size_t i)
{
	return i < rf->nsensors ? &rf->sensors[i] : NULL;
}

/* src cut to fit (a UUID is 36 characters) */
static void
rf_copy_cut(char *dst, size_t len, const char *src)
{
	size_t l = strnlen(src, len - 1);

	memcpy(dst, src, l);
	dst[l] = '\0';
}

void
redfish_info_shape(const struct redfish_info *in, struct shape_info *si)
{
	memset(si, 0, sizeof(*si));
	si->redfish = 1;
	rf_copy_cut(si->rf_version, sizeof(si->rf_version),
	    in->redfish_version);
	rf_copy_cut(si->rf_service_uuid, sizeof(si->rf_service_uuid),
	    in->service_uuid);
	rf_copy_cut(si->rf_firmware, sizeof(si->rf_firmware),
	    in->manager_firmware);
	rf_copy_cut(si->rf_manager_model, sizeof(si->rf_manager_model),
	    in->manager_model);
	rf_copy_cut(si->rf_manufacturer, sizeof(si->rf_manufacturer),
	    in->system_manufacturer);
	rf_copy_cut(si->rf_model, sizeof(si->rf_model), in->system_model);
	rf_copy_cut(si->rf_serial, sizeof(si->rf_serial), in->system_serial);
	rf_copy_cut(si->rf_bios, sizeof(si->rf_bios), in->bios_version);
	if (in->manager_uuid[0] != '\0') {
		si->have_devguid = 1;
		rf_copy_cut(si->devguid, sizeof(si->devguid),
		    in->manager_uuid);
	}
	if (in->system_uuid[0] != '\0') {
		si->have_sysguid = 1;
		rf_copy_cut(si->sysguid, sizeof(si->sysguid), in->system_uuid);
	}
}

int
redfish_chassis(struct redfish *rf, redfish_done_fn *done, void *arg)
{
	return rf_op_start(rf, RF_CHASSIS, done, arg);
}

const struct chassis_snapshot *
redfish_chassis_snapshot(const struct redfish *rf)
{
	return &rf->chassis_snap;
}

int
redfish_watchdog(struct redfish *rf, redfish_done_fn *done, void *arg)
{
	return rf_op_start(rf, RF_WATCHDOG, done, arg);
}

const struct wdt_timer *
redfish_watchdog_timer(const struct redfish *rf)
{
	return &rf->wdt;
}

int
redfish_info(struct redfish *rf, redfish_done_fn *done, void *arg)
{
	return rf_op_start(rf, RF_INFO, done, arg);
}

const struct redfish_info *
redfish_info_get(const struct redfish *rf)
{
	return &rf->info;
}

int
redfish_logs(struct redfish *rf, const struct redfish_cursor *since,
    redfish_done_fn *done, void *arg)
{
	struct rf_op *op = &rf->op[RF_LOGS];

	if (op->active || rf->closing)
		return -1;
	op->has_since = since != NULL;
	if (since != NULL)
		op->since = *since;
	return rf_op_start(rf, RF_LOGS, done, arg);
}

size_t
redfish_log_count(const struct redfish *rf)
{
	return rf->op[RF_LOGS].active ? 0 : rf->nentries;
}

const struct redfish_log_entry *
redfish_log_entry(const struct redfish *rf, size_t i)
{
	return i < rf->nentries ? &rf->entries[i] : NULL;
}

size_t
redfish_log_service_count(const struct redfish *rf)
{
	return rf->op[RF_LOGS].active ? 0 : rf->nsvcs;
}

const struct redfish_log_service *
redfish_log_service(const struct redfish *rf, size_t i)
{
	return i < rf->nsvcs ? &rf->svcs[i] : NULL;
}

void
redfish_logs_cursor(const struct redfish *rf,
    const struct redfish_cursor *since, struct redfish_cursor *out)
{
	struct redfish_cursor cur;
	struct redfish_cursor_svc *cs;
	size_t i;
	uint32_t j;

	memset(&cur, 0, sizeof(cur));
	if (since != NULL && since->version == REDFISH_CURSOR_VERSION)
		cur = *since;
	cur.version = REDFISH_CURSOR_VERSION;
	if (cur.n > REDFISH_CURSOR_SERVICES)
		cur.n = REDFISH_CURSOR_SERVICES;
	for (i = 0; i < rf->nentries; i++) {
		const struct redfish_log_entry *e = &rf->entries[i];
		const char *path = rf->svcs[e->service].path;

		cs = NULL;
		for (j = 0; j < cur.n; j++)
			if (strcmp(cur.svc[j].path, path) == 0)
				cs = &cur.svc[j];
		if (cs == NULL) {
			if (cur.n >= REDFISH_CURSOR_SERVICES)
				continue;
			cs = &cur.svc[cur.n++];
			memset(cs, 0, sizeof(*cs));
			(void)snprintf(cs->path, sizeof(cs->path), "%s", path);
		} else if (rfmap_entry_cmp(e->has_created, e->created_s, e->id,
		    cs->has_created, cs->created_s, cs->id) <= 0)
			continue;
		cs->has_created = e->has_created;
		cs->created_s = e->created_s;
		(void)snprintf(cs->id, sizeof(cs->id), "%s", e->id);
	}
	*out = cur;
}

int
redfish_cursor_load(const void *buf, size_t len, struct redfish_cursor *out)
{
	struct redfish_cursor c;
	uint32_t i;

	if (len != sizeof(c))
		return -1;
	memcpy(&c, buf, sizeof(c));
	if (c.version != REDFISH_CURSOR_VERSION ||
	    c.n > REDFISH_CURSOR_SERVICES)
		return -1;
	for (i = 0; i < c.n; i++)
		if (memchr(c.svc[i].path, '\0', sizeof(c.svc[i].path)) ==
		    NULL || memchr(c.svc[i].id, '\0', sizeof(c.svc[i].id)) ==
		    NULL || (c.svc[i].has_created != 0 &&
		    c.svc[i].has_created != 1))
			return -1;
	memset(&c.svc[c.n], 0, (REDFISH_CURSOR_SERVICES - c.n) *
	    sizeof(c.svc[0]));
	*out = c;
	return 0;
}

_Static_assert(SHAPE_RF_LOG_SERVICES == REDFISH_LOG_SERVICES &&
    SHAPE_RF_PATH_MAX == REDFISH_PATH_MAX, "shape_rf_sel");

void
redfish_sel_shape(const struct redfish *rf, struct shape_rf_sel *out)
{
	size_t i, n = redfish_log_service_count(rf);
	int64_t newest = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n && i < SHAPE_RF_LOG_SERVICES; i++) {
		const struct redfish_log_service *s = &rf->svcs[i];
		struct shape_rf_log_svc *o = &out->svc[i];

		(void)snprintf(o->path, sizeof(o->path), "%s", s->path);
		o->manager = s->owner == REDFISH_LOG_MANAGER;
		o->entries = s->entries_read;
		o->max_records = s->max_records;
		(void)snprintf(o->overwrite, sizeof(o->overwrite), "%s",
		    s->overwrite);
		o->clear_supported = s->clear_target[0] != '\0' && !s->wraps;
		o->truncated = s->truncated;
		if (s->has_newest && (!out->has_last_add ||
		    s->newest_s > newest)) {
			out->has_last_add = 1;
			newest = s->newest_s;
			out->last_add = s->newest_ts;
		}
		out->nsvcs++;
	}
}

int
redfish_clear_due(const struct redfish_log_service *s, int now,
    unsigned clear_at, unsigned clear_free, const char **why)
{
	int due, pct;

	*why = NULL;
	if (s->entries_read == 0)
		return 0;
	pct = s->max_records > 0 ? (int)((uint64_t)s->entries_read * 100 /
	    (uint64_t)s->max_records) : -1;
	if (now)
		due = 1;
	else if (s->max_records <= 0)
		due = 0;
	else
		due = (clear_at > 0 && pct >= (int)clear_at) ||
		    (clear_free > 0 && (uint64_t)s->max_records -
		    s->entries_read < clear_free);
	if (!due)
		return 0;
	if (s->wraps)
		*why = "OverWritePolicy WrapsWhenFull (it never fills; "
		    "clearing it would only lose entries): never cleared";
	else if (s->clear_target[0] == '\0')
		*why = "no LogService.ClearLog action: archived only";
	else if (s->truncated)
		*why = "more entries than one listing reads: not cleared "
		    "(some are not archived)";
	return *why == NULL;
}

int
redfish_clear_log(struct redfish *rf, const char *path,
    redfish_done_fn *done, void *arg)
{
	struct rf_op *op = &rf->op[RF_ACTION];

	if (op->active || rf->closing ||
	    rfmap_path(path, op->path, sizeof(op->path)) != 0)
		return -1;
	op->action = RF_ACT_CLEAR;
	return rf_op_start(rf, RF_ACTION, done, arg);
}

int
redfish_reset(struct redfish *rf, const char *type, redfish_done_fn *done,
    void *arg)
{
	struct rf_op *op = &rf->op[RF_ACTION];
	size_t i;

	if (op->active || rf->closing || type == NULL || type[0] == '\0' ||
	    strlen(type) >= sizeof(op->type))
		return -1;
	for (i = 0; type[i] != '\0'; i++)
		if (!isalpha((unsigned char)type[i]))
			return -1;
	(void)snprintf(op->type, sizeof(op->type), "%s", type);
	op->action = RF_ACT_RESET;
	return rf_op_start(rf, RF_ACTION, done, arg);
}

int
redfish_identify(struct redfish *rf, int on, redfish_done_fn *done,
    void *arg)
{
	struct rf_op *op = &rf->op[RF_ACTION];

	if (op->active || rf->closing)
		return -1;
	op->identify_on = on != 0;
	op->action = RF_ACT_IDENTIFY;
	return rf_op_start(rf, RF_ACTION, done, arg);
}

const char *
redfish_detail(const struct redfish *rf, const char *which)
{
	int k;

	if (which == NULL)
		return rf->conn_detail;
	for (k = 0; k < RF_NKIND; k++)
		if (strcmp(which, rf_kind_names[k]) == 0)
			return rf->op[k].detail;
	return "";
}

const struct redfish_stats *
redfish_stats(const struct redfish *rf)
{
	return &rf->stats;
}

const char *
redfish_auth_mode(const struct redfish *rf)
{
	switch (rf->auth) {
	case RF_AUTH_SESSION:
		return "session";
	case RF_AUTH_BASIC:
		return "basic";
	default:
		return "";
	}
}

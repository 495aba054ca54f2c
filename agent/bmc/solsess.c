/*
 * A Serial over LAN session (see solsess.h for the contract).
 *
 * References: IPMI v2.0 sections 15.9 (payload format), 15.10-15.14
 * (packet handling: one packet outstanding each way, ACK/NACK with the
 * accepted character count, retransmission with the same sequence
 * number, partial acceptance), 24.1-24.5 (payload commands) and 26.3
 * (SOL Retry).
 *
 * What peers do, and what follows from it here:
 * - ipmi_sim 2.0.33 (lanserv/sol.c) sends a retransmission with every
 *   byte it holds by then, so a repeated sequence number can bring more
 *   than the first copy: only bytes past those taken from the first are
 *   new.  It answers a partial acceptance by sending the rest under the
 *   next sequence number; it takes nothing from a packet whose sequence
 *   number repeats the last one it took (only acknowledges it again), so
 *   what it left over goes out again under a new number, never under
 *   the old one.  It acknowledges no packet without characters, and a
 *   console NACK stops its output for good: this side never NACKs (it
 *   acknowledges what it took, possibly nothing yet, and lets the BMC
 *   send the rest again), and a break with no characters pending goes
 *   in a status packet (sequence number 0) that needs no answer.  It
 *   sets NACK on its acknowledgement when its 32-byte buffer is full
 *   after taking what fitted, and sends nothing when the buffer drains:
 *   a NACK that took characters is followed at once by the rest, one
 *   that took none by a pause of one retry interval.  It ends a
 *   session's SOL silently when another session deactivates it: the
 *   ownership probe finds that.  Get SOL Configuration Parameters knows
 *   only parameters 0, 1, 5 and 6 (80h for SOL Retry).
 * - OpenBMC (phosphor-net-ipmid) sends the whole packet again under the
 *   same number after a partial acceptance: the repeated-number rule
 *   above delivers only the rest.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_sol.h"
#include "lan_crypto.h"
#include "solsess.h"
#include "xmem.h"

/* retry intervals taken from the BMC are kept within these */
#define SOLSESS_MIN_RETRY_MS	100
#define SOLSESS_MAX_RETRY_MS	5000

enum step {
	STEP_NONE,
	STEP_RETRY,		/* Get SOL Configuration Parameters: Retry */
	STEP_ACTIVATE,
	STEP_WHO,		/* Get Payload Instance Info after 80h */
	STEP_DEACT_OTHER,	/* takeover: Deactivate Payload */
	STEP_DEACT,		/* ours: close, or give it back */
	STEP_PROBE,		/* Get Payload Instance Info */
	STEP_PROBE_STATUS	/* Get Payload Activation Status */
};

/* how the ownership probe asks */
enum probe {
	PROBE_FIRST,		/* instance info, not yet compared */
	PROBE_INSTANCE,		/* instance info, session ids agree */
	PROBE_STATUS,		/* activation status (the BMC numbers
				 * sessions otherwise, or lacks 4Bh) */
	PROBE_NONE		/* the BMC answers neither */
};

/* A request in flight holds one: solsess_free() leaves it to the
 * transport, cut loose (s NULL). */
struct ticket {
	struct solsess	*s;
};

struct solsess {
	struct ipmi_tr	*tr;
	struct solsess_cfg cfg;
	solsess_out_fn	*out;
	solsess_ev_fn	*evfn;
	void		*arg;
	/* on the event loop */
	struct ev	*ev;
	struct conn	*conn;
	struct ev_timer	*timer;
	uint64_t	 now;		/* latest now seen (driven mode) */

	enum solsess_state st;
	enum solsess_end end;
	enum solsess_end end_after;	/* after the give-back Deactivate */
	char		 err[256];
	char		 err_after[256];
	uint8_t		 ccode;
	enum ipmi_err	 ierr;
	uint32_t	 holder;
	struct ticket	*inflight;
	enum step	 step;
	int		 close_req;
	int		 took_over;
	int		 port_swapped;
	int		 was_active;	/* console bytes may flow */

	/* what activation gave */
	size_t		 chars_in;
	uint16_t	 outbound;
	int		 bogus;
	unsigned	 retries;
	unsigned	 retry_ms;

	uint64_t	 probe_at;	/* 0: none due */
	enum probe	 probe;

	/* keystrokes: in[0, tx_len) is the packet outstanding */
	uint8_t		*in;
	size_t		 in_len;
	size_t		 in_cap;
	uint8_t		 tx_seq;	/* outstanding, 0: none */
	uint8_t		 last_seq;
	size_t		 tx_len;
	unsigned	 tx_tries;
	uint64_t	 tx_at;
	uint64_t	 hold_until;
	unsigned	 nack_streak;
	uint8_t		 op_keep;	/* CTS pause */
	uint8_t		 op_once;	/* break */
	int		 op_dirty;

	/* console bytes */
	uint8_t		 rx_seq;
	size_t		 rx_count;	/* characters taken from rx_seq */
	int		 ack_due;
	int		 unavailable;

	struct solsess_stats stats;
};

static void	sess_on_payload(void *, uint8_t, const uint8_t *, size_t);
static void	sess_pump(struct solsess *, uint64_t);

static const char *const state_names[] = {
	[SOLSESS_IDLE] = "idle",
	[SOLSESS_STARTING] = "starting",
	[SOLSESS_TAKEOVER] = "taking over",
	[SOLSESS_ACTIVE] = "active",
	[SOLSESS_CLOSING] = "closing",
	[SOLSESS_ENDED] = "ended",
};

const char *
solsess_state_name(enum solsess_state st)
{
	return (unsigned)st < sizeof(state_names) / sizeof(state_names[0]) ?
	    state_names[st] : "unknown";
}

void
solsess_cfg_init(struct solsess_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->instance = 1;
}

static uint64_t
sess_now(const struct solsess *s)
{
	return s->ev != NULL ? ev_now() : s->now;
}

/* ---- the event loop glue ---- */

static int64_t
sess_on_timer(void *arg)
{
	struct solsess *s = arg;

	solsess_timeout(s, ev_now());
	return EV_STOP;		/* solsess_timeout re-armed it */
}

/* After every step: the transport may have a new deadline (a request
 * queued), and so may we. */
static void
sess_sync(struct solsess *s)
{
	uint64_t d, now;

	if (s->conn != NULL)
		conn_sync(s->conn);
	if (s->ev == NULL)
		return;
	if ((d = solsess_deadline(s)) == 0) {
		ev_timer_set(s->ev, s->timer, -1);
		return;
	}
	now = ev_now();
	ev_timer_set(s->ev, s->timer, d > now ? (int64_t)(d - now) : 0);
}

void
solsess_attach(struct solsess *s, struct ev *ev, struct conn *conn)
{
	s->ev = ev;
	s->conn = conn;
	s->timer = ev_timer_add(ev, -1, sess_on_timer, s);
}

/* ---- ending ---- */

static void
sess_event(struct solsess *s, enum solsess_ev e)
{
	if (s->evfn != NULL)
		s->evfn(s->arg, e);
}

static void
sess_end(struct solsess *s, enum solsess_end why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sess_end(struct solsess *s, enum solsess_end why, const char *fmt, ...)
{
	va_list ap;

	if (s->st == SOLSESS_ENDED)
		return;
	s->st = SOLSESS_ENDED;
	s->end = why;
	s->err[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(s->err, sizeof(s->err), fmt, ap);
		va_end(ap);
	}
	s->tx_seq = 0;
	s->probe_at = 0;
	s->hold_until = 0;
	(void)ipmi_tr_set_payload_cb(s->tr, SOL_PAYLOAD_TYPE, NULL, NULL);
	sess_event(s, SOLSESS_EV_ENDED);
}

/* the transport's reason for a failed request */
static void
sess_end_transport(struct solsess *s, const char *step, enum ipmi_err e)
{
	const char *why = ipmi_tr_error(s->tr);

	s->ierr = e;
	if (strcmp(why, "no error") == 0)
		why = ipmi_strerror(e);
	sess_end(s, e == IPMI_E_SESSION ? SOLSESS_END_SESSION :
	    SOLSESS_END_TRANSPORT, "%s: %s", step, why);
}

static void
sess_end_ccode(struct solsess *s, enum solsess_end why, const char *step,
    const struct ipmi_rsp *rsp)
{
	char cc[IPMI_CCODE_TEXT_MAX];

	s->ccode = rsp->ccode;
	sess_end(s, why, "%s: %s", step, ipmi_ccode_fmt(cc, sizeof(cc),
	    rsp->netfn, rsp->cmd, rsp->ccode));
}

/* ---- requests ---- */

static void	sess_done(void *, enum ipmi_err, const struct ipmi_rsp *);

static int
sess_submit(struct solsess *s, const struct ipmi_req *req, enum step step,
    uint64_t now)
{
	struct ticket *t = xcalloc(1, sizeof(*t));

	t->s = s;
	if (ipmi_tr_submit(s->tr, req, sess_done, t, now) != 0) {
		free(t);
		return -1;
	}
	s->inflight = t;
	s->step = step;
	return 0;
}

static void
sess_activate(struct solsess *s, uint64_t now)
{
	struct ipmi_req req;
	struct lcr_suite alg;
	uint8_t aux = SOL_ACT_ALERTS_DEFER | SOL_ACT_HANDSHAKE;

	/* the payload as protected as the session's suite protects
	 * IPMI messages: lanplus wraps both the same way */
	if (lcr_suite(ipmi_tr_cipher(s->tr), &alg) == 0) {
		if (alg.conf != LCR_CONF_NONE)
			aux |= SOL_ACT_ENCRYPT;
		if (alg.integ != LCR_INTEG_NONE)
			aux |= SOL_ACT_AUTH;
	}
	s->st = SOLSESS_STARTING;
	sol_activate_req(&req, s->cfg.instance, aux);
	if (sess_submit(s, &req, STEP_ACTIVATE, now) != 0)
		sess_end(s, SOLSESS_END_TRANSPORT, "Activate Payload: %s",
		    ipmi_strerror(IPMI_E_BUSY));
}

static void
sess_deactivate(struct solsess *s, enum step step, uint64_t now)
{
	struct ipmi_req req;

	sol_deactivate_req(&req, s->cfg.instance);
	if (sess_submit(s, &req, step, now) != 0)
		sess_end(s, s->end_after, "%s", s->err_after);
}

/* Give back an instance we activated but cannot use, then end with
 * why: the reason is kept for when Deactivate Payload is answered. */
static void
sess_give_back(struct solsess *s, enum solsess_end why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sess_give_back(struct solsess *s, enum solsess_end why, const char *fmt, ...)
{
	va_list ap;

	s->end_after = why;
	s->err_after[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(s->err_after, sizeof(s->err_after), fmt, ap);
		va_end(ap);
	}
	s->st = SOLSESS_CLOSING;
	sess_deactivate(s, STEP_DEACT, sess_now(s));
}

static void
sess_probe(struct solsess *s, uint64_t now)
{
	struct ipmi_req req;
	int r;

	s->probe_at = 0;
	if (s->probe == PROBE_NONE || s->inflight != NULL)
		return;
	s->stats.probes++;
	if (s->probe == PROBE_STATUS) {
		sol_status_req(&req);
		r = sess_submit(s, &req, STEP_PROBE_STATUS, now);
	} else {
		sol_instance_req(&req, s->cfg.instance);
		r = sess_submit(s, &req, STEP_PROBE, now);
	}
	if (r != 0)	/* queue full: next time */
		s->probe_at = now + (s->cfg.probe_ms != SOLSESS_PROBE_NEVER ?
		    s->cfg.probe_ms : SOLSESS_DEF_PROBE_MS);
}

static void
sess_next_probe(struct solsess *s, uint64_t now)
{
	if (s->st == SOLSESS_ACTIVE && s->cfg.probe_ms != SOLSESS_PROBE_NEVER &&
	    s->probe != PROBE_NONE)
		s->probe_at = now + s->cfg.probe_ms;
}

static void
sess_on_retry(struct solsess *s, enum ipmi_err e, const struct ipmi_rsp *rsp,
    uint64_t now)
{
	struct sol_config c;

	if (e != IPMI_OK) {
		sess_end_transport(s, "Get SOL Configuration Parameters", e);
		return;
	}
	memset(&c, 0, sizeof(c));
	/* 80h (no such parameter, ipmi_sim) or anything else: our own */
	if (rsp->ccode == IPMI_CC_OK && sol_config_decode(SOL_PARAM_RETRY,
	    rsp->data, rsp->len, &c) == IPMI_OK) {
		if (s->cfg.retry_count == 0 && c.retry_count != 0)
			s->retries = c.retry_count;
		if (s->cfg.retry_ms == 0 && c.retry_ms != 0) {
			s->retry_ms = c.retry_ms;
			if (s->retry_ms < SOLSESS_MIN_RETRY_MS)
				s->retry_ms = SOLSESS_MIN_RETRY_MS;
			if (s->retry_ms > SOLSESS_MAX_RETRY_MS)
				s->retry_ms = SOLSESS_MAX_RETRY_MS;
		}
	}
	if (s->close_req) {
		sess_end(s, SOLSESS_END_CLOSED, NULL);
		return;
	}
	sess_activate(s, now);
}

static void
sess_on_activate(struct solsess *s, enum ipmi_err e,
    const struct ipmi_rsp *rsp, uint64_t now)
{
	struct sol_activate a;
	struct ipmi_req req;
	uint16_t port = ipmi_tr_port(s->tr), sw;
	char buf[64];

	if (e != IPMI_OK) {
		sess_end_transport(s, "Activate Payload", e);
		return;
	}
	if (rsp->ccode == SOL_CC_ACTIVE_ELSEWHERE) {
		if (s->close_req) {
			sess_end(s, SOLSESS_END_CLOSED, NULL);
			return;
		}
		s->ccode = rsp->ccode;
		/* who holds it: for the message, and to take it over */
		sol_instance_req(&req, s->cfg.instance);
		if (sess_submit(s, &req, STEP_WHO, now) != 0)
			sess_end(s, SOLSESS_END_BUSY, "SOL payload instance "
			    "%u is active on another session",
			    s->cfg.instance);
		return;
	}
	if (rsp->ccode != IPMI_CC_OK) {
		sess_end_ccode(s, s->close_req ? SOLSESS_END_CLOSED :
		    SOLSESS_END_REFUSED, "Activate Payload", rsp);
		if (s->close_req)
			s->err[0] = '\0';
		return;
	}
	/* it is ours now, whatever follows: give it back if unusable */
	if (sol_activate_decode(rsp->data, rsp->len, &a) != IPMI_OK) {
		sess_give_back(s, SOLSESS_END_PROTO, "Activate Payload: %s",
		    ipmi_short_fmt(buf, sizeof(buf), rsp->len,
		    SOL_ACTIVATE_RSP_LEN));
		return;
	}
	if (s->close_req) {
		sess_give_back(s, SOLSESS_END_CLOSED, NULL);
		return;
	}
	sw = (uint16_t)(a.port << 8 | a.port >> 8);
	if (a.port != port) {
		/* ipmitool accepts the port byte-swapped too: firmware
		 * that writes it big-endian */
		if (sw == port && port != 0)
			s->port_swapped = 1;
		else {
			sess_give_back(s, SOLSESS_END_PORT, "the BMC wants "
			    "the SOL payload on UDP port %u, not on the "
			    "session's port %u: a second socket is not "
			    "supported", a.port, port);
			return;
		}
	}
	s->chars_in = sol_inbound_chars(a.inbound, &s->bogus);
	s->outbound = a.outbound;
	s->st = SOLSESS_ACTIVE;
	s->was_active = 1;
	/* tell the BMC the state of our lines at once (CTS not paused):
	 * with the startup handshake it waits for that */
	s->op_dirty = 1;
	s->probe = PROBE_FIRST;
	if (s->cfg.probe_ms != SOLSESS_PROBE_NEVER)
		s->probe_at = now;	/* learn how it names us */
	sess_event(s, SOLSESS_EV_ACTIVE);
	if (s->st == SOLSESS_ACTIVE)
		sess_pump(s, now);
}

static void
sess_on_who(struct solsess *s, enum ipmi_err e, const struct ipmi_rsp *rsp,
    uint64_t now)
{
	struct sol_instance in;
	struct ipmi_req req;
	char who[48] = "";

	if (e == IPMI_OK && rsp->ccode == IPMI_CC_OK &&
	    sol_instance_decode(rsp->data, rsp->len, &in) == IPMI_OK) {
		s->holder = in.sid;
		if (in.sid != 0)
			(void)snprintf(who, sizeof(who), " (BMC session ID "
			    "0x%08x)", in.sid);
	}
	if (!s->cfg.takeover || s->took_over || s->close_req) {
		if (s->close_req) {
			sess_end(s, SOLSESS_END_CLOSED, NULL);
			return;
		}
		sess_end(s, SOLSESS_END_BUSY, "SOL payload instance %u is "
		    "active on another session%s%s", s->cfg.instance, who,
		    s->took_over ? ", again after taking it over" : "");
		return;
	}
	s->st = SOLSESS_TAKEOVER;
	sol_deactivate_req(&req, s->cfg.instance);
	if (sess_submit(s, &req, STEP_DEACT_OTHER, now) != 0)
		sess_end(s, SOLSESS_END_BUSY, "SOL payload instance %u is "
		    "active on another session%s", s->cfg.instance, who);
}

static void
sess_on_deact_other(struct solsess *s, enum ipmi_err e,
    const struct ipmi_rsp *rsp, uint64_t now)
{
	if (e != IPMI_OK) {
		sess_end_transport(s, "Deactivate Payload", e);
		return;
	}
	/* 80h: it went away by itself meanwhile: as good */
	if (rsp->ccode != IPMI_CC_OK &&
	    rsp->ccode != SOL_CC_ALREADY_INACTIVE) {
		sess_end_ccode(s, SOLSESS_END_REFUSED, "Deactivate Payload "
		    "(taking over)", rsp);
		return;
	}
	if (s->close_req) {
		sess_end(s, SOLSESS_END_CLOSED, NULL);
		return;
	}
	s->took_over = 1;
	sess_activate(s, now);
}

static void
sess_on_probe(struct solsess *s, enum step step, enum ipmi_err e,
    const struct ipmi_rsp *rsp, uint64_t now)
{
	struct sol_instance in;
	struct sol_status st;
	uint32_t mine = ipmi_tr_session_id(s->tr);

	if (e != IPMI_OK) {
		sess_end_transport(s, step == STEP_PROBE ?
		    "Get Payload Instance Info" :
		    "Get Payload Activation Status", e);
		return;
	}
	if (step == STEP_PROBE_STATUS) {
		if (rsp->ccode != IPMI_CC_OK ||
		    sol_status_decode(rsp->data, rsp->len, &st) != IPMI_OK) {
			s->probe = PROBE_NONE;	/* keepalive does the rest */
			return;
		}
		if (!(st.active & (1u << (s->cfg.instance - 1)))) {
			sess_end(s, SOLSESS_END_DEACTIVATED, "SOL payload "
			    "instance %u is no longer active: deactivated "
			    "by the BMC or another session",
			    s->cfg.instance);
			return;
		}
		sess_next_probe(s, now);
		return;
	}
	if (rsp->ccode != IPMI_CC_OK ||
	    sol_instance_decode(rsp->data, rsp->len, &in) != IPMI_OK) {
		/* no Get Payload Instance Info: the status will do */
		s->probe = PROBE_STATUS;
		s->probe_at = now;
		return;
	}
	if (in.sid == 0) {
		sess_end(s, SOLSESS_END_DEACTIVATED, "SOL payload instance %u "
		    "is no longer active: deactivated by the BMC or another "
		    "session", s->cfg.instance);
		return;
	}
	if (in.sid != mine || mine == 0) {
		if (s->probe == PROBE_FIRST) {
			/* right after our activation it can only be ours:
			 * this BMC names sessions otherwise */
			s->probe = PROBE_STATUS;
			sess_next_probe(s, now);
			return;
		}
		s->holder = in.sid;
		sess_end(s, SOLSESS_END_TAKEN, "SOL payload instance %u was "
		    "taken over by another session (BMC session ID 0x%08x)",
		    s->cfg.instance, in.sid);
		return;
	}
	s->probe = PROBE_INSTANCE;
	sess_next_probe(s, now);
}

static void
sess_done(void *arg, enum ipmi_err e, const struct ipmi_rsp *rsp)
{
	struct ticket *t = arg;
	struct solsess *s = t->s;
	enum step step;
	uint64_t now;

	free(t);
	if (s == NULL)
		return;		/* freed meanwhile */
	s->inflight = NULL;
	step = s->step;
	s->step = STEP_NONE;
	if (s->st == SOLSESS_ENDED)
		return;
	now = sess_now(s);
	switch (step) {
	case STEP_RETRY:
		sess_on_retry(s, e, rsp, now);
		break;
	case STEP_ACTIVATE:
		sess_on_activate(s, e, rsp, now);
		break;
	case STEP_WHO:
		sess_on_who(s, e, rsp, now);
		break;
	case STEP_DEACT_OTHER:
		sess_on_deact_other(s, e, rsp, now);
		break;
	case STEP_DEACT:
		/* whatever it answered: ours is gone, or goes with the
		 * session */
		sess_end(s, s->end_after, s->err_after[0] ? "%s" : NULL,
		    s->err_after);
		break;
	case STEP_PROBE:
	case STEP_PROBE_STATUS:
		if (s->st == SOLSESS_CLOSING) {
			sess_deactivate(s, STEP_DEACT, now);
			break;
		}
		sess_on_probe(s, step, e, rsp, now);
		break;
	case STEP_NONE:
		break;
	}
	if (s->st == SOLSESS_ACTIVE && s->inflight == NULL &&
	    s->probe_at != 0 && s->probe_at <= now)
		sess_probe(s, now);
	sess_sync(s);
}

/* ---- packets ---- */

/* Send one SOL payload.  A datagram lost on the way is the protocol's
 * business; only a session that is gone ends us. */
static void
sess_send(struct solsess *s, const struct sol_pkt *k, uint64_t now)
{
	uint8_t buf[SOL_PKT_MAX];
	int n = sol_pkt_encode(buf, sizeof(buf), k);
	enum ipmi_err e;

	if (n < 0)
		return;
	e = ipmi_tr_send_payload(s->tr, SOL_PAYLOAD_TYPE, buf, (size_t)n, now);
	s->stats.tx_packets++;
	if (e == IPMI_E_SESSION || e == IPMI_E_CLOSED ||
	    e == IPMI_E_UNSUPPORTED)
		sess_end(s, SOLSESS_END_SESSION, "sending SOL data: %s",
		    ipmi_strerror(e));
}

/* Drop n keystrokes from the front of the buffer. */
static void
sess_consume(struct solsess *s, size_t n)
{
	if (n > s->in_len)
		n = s->in_len;
	memmove(s->in, s->in + n, s->in_len - n);
	s->in_len -= n;
}

/* Give up the packet outstanding (or, after NACKs, what it would hold):
 * then look whether the instance is still ours. */
static void
sess_drop_input(struct solsess *s, size_t n, uint64_t now)
{
	sess_consume(s, n);
	s->stats.tx_dropped += n;
	s->tx_seq = 0;
	s->tx_len = 0;
	s->tx_tries = 0;
	s->nack_streak = 0;
	s->hold_until = 0;
	if (s->probe != PROBE_NONE && s->cfg.probe_ms != SOLSESS_PROBE_NEVER)
		s->probe_at = now;
	sess_event(s, SOLSESS_EV_INPUT_DROPPED);
}

/* Send what is due: keystrokes in a new packet (with the pending
 * acknowledgement and line state), else an acknowledgement or a status
 * packet on its own. */
static void
sess_pump(struct solsess *s, uint64_t now)
{
	struct sol_pkt k;

	if (s->st != SOLSESS_ACTIVE && s->st != SOLSESS_CLOSING)
		return;
	memset(&k, 0, sizeof(k));
	k.op = s->op_keep | s->op_once;
	if (s->ack_due) {
		k.ack_seq = s->rx_seq;
		k.accepted = (uint8_t)s->rx_count;
	}
	if (s->st == SOLSESS_ACTIVE && s->tx_seq == 0 && s->in_len > 0 &&
	    now >= s->hold_until) {
		s->hold_until = 0;
		k.seq = sol_seq_next(s->last_seq);
		k.len = s->in_len < s->chars_in ? s->in_len : s->chars_in;
		k.data = s->in;
		s->tx_seq = s->last_seq = k.seq;
		s->tx_len = k.len;
		s->tx_tries = 1;
		s->tx_at = now + s->retry_ms;
	} else if (!s->ack_due && !s->op_once && !s->op_dirty)
		return;
	s->ack_due = 0;
	s->op_once = 0;
	s->op_dirty = 0;
	sess_send(s, &k, now);
}

/* The BMC acknowledged (or NACKed) our packet outstanding. */
static void
sess_acked(struct solsess *s, const struct sol_pkt *k, uint64_t now)
{
	size_t n = k->accepted;

	if (n > s->tx_len)
		n = s->tx_len;
	sess_consume(s, n);
	s->stats.tx_bytes += n;
	if (n < s->tx_len)
		s->stats.tx_partial++;
	s->tx_seq = 0;
	s->tx_len = 0;
	s->tx_tries = 0;
	if (!(k->op & SOL_ST_NACK)) {
		s->nack_streak = 0;
		s->hold_until = 0;
		return;
	}
	s->stats.tx_nacks++;
	if (n > 0) {		/* it took some: the rest at once */
		s->nack_streak = 0;
		return;
	}
	/* busy: wait a retry interval; after as many NACKs as retries,
	 * give up what the next packet would carry */
	if (++s->nack_streak > s->retries) {
		sess_drop_input(s, s->in_len < s->chars_in ? s->in_len :
		    s->chars_in, now);
		return;
	}
	s->hold_until = now + s->retry_ms;
}

/* Character data from the BMC: deliver what is new, once. */
static void
sess_take(struct solsess *s, const struct sol_pkt *k, int dup)
{
	size_t n = k->len, from = 0, want, took = 0;

	if (n > SOL_DATA_MAX)
		n = SOL_DATA_MAX;	/* no count can acknowledge more */
	if (dup) {
		s->stats.rx_dups++;
		from = s->rx_count < n ? s->rx_count : n;
		s->stats.rx_dup_bytes += from;
	} else {
		s->rx_seq = k->seq;
		s->rx_count = 0;
	}
	want = n - from;
	if (want > 0) {
		took = s->out(s->arg, k->data + from, want);
		if (took > want)
			took = want;
		s->stats.rx_bytes += took;
	}
	s->rx_count = from + took;
	/* acknowledge unless nothing at all was taken: then the BMC
	 * sends it again after its retry interval */
	if (s->rx_count > 0 || want == 0)
		s->ack_due = 1;
}

static void
sess_rx(struct solsess *s, const uint8_t *p, size_t len, uint64_t now)
{
	struct sol_pkt k;
	int dup, unav;

	if (sol_pkt_decode(p, len, &k) != IPMI_OK) {
		s->stats.rx_bad++;
		return;
	}
	s->stats.rx_packets++;
	dup = k.seq != 0 && k.seq == s->rx_seq;
	if (k.op & SOL_ST_DEACTIVATING) {
		sess_end(s, SOLSESS_END_DEACTIVATED, "the BMC is deactivating "
		    "SOL payload instance %u", s->cfg.instance);
		return;
	}
	unav = (k.op & SOL_ST_UNAVAILABLE) != 0;
	if (unav != s->unavailable) {
		s->unavailable = unav;
		sess_event(s, SOLSESS_EV_UNAVAILABLE);
	}
	if (!dup && (k.op & SOL_ST_OVERRUN)) {
		s->stats.overruns++;
		sess_event(s, SOLSESS_EV_OVERRUN);
	}
	if (!dup && (k.op & SOL_ST_BREAK)) {
		s->stats.breaks++;
		sess_event(s, SOLSESS_EV_BREAK);
	}
	if (s->st == SOLSESS_ENDED)
		return;
	if (k.ack_seq != 0 && k.ack_seq == s->tx_seq)
		sess_acked(s, &k, now);
	if (s->st != SOLSESS_ENDED && sol_pkt_data_ok(&k))
		sess_take(s, &k, dup);
}

static void
sess_on_payload(void *arg, uint8_t ptype, const uint8_t *p, size_t len)
{
	struct solsess *s = arg;
	uint64_t now = sess_now(s);

	(void)ptype;
	if (p == NULL) {
		/* the instance died with the session */
		if (s->st == SOLSESS_CLOSING && s->end_after ==
		    SOLSESS_END_CLOSED)
			sess_end(s, SOLSESS_END_CLOSED, NULL);
		else
			sess_end(s, SOLSESS_END_SESSION, "the RMCP+ session "
			    "ended: %s", ipmi_tr_error(s->tr));
		sess_sync(s);
		return;
	}
	/* closing: what comes until the BMC takes the Deactivate is still
	 * the console's; an instance given back never was ours to show */
	if (!s->was_active || (s->st != SOLSESS_ACTIVE &&
	    s->st != SOLSESS_CLOSING)) {
		s->stats.rx_bad++;
		return;
	}
	sess_rx(s, p, len, now);
	sess_pump(s, now);
	sess_sync(s);
}

/* ---- the API ---- */

struct solsess *
solsess_new(struct ipmi_tr *tr, const struct solsess_cfg *cfg,
    solsess_out_fn *out, solsess_ev_fn *evfn, void *arg)
{
	struct solsess *s = xcalloc(1, sizeof(*s));

	s->tr = tr;
	s->cfg = *cfg;
	if (s->cfg.instance == 0 || s->cfg.instance > SOL_INSTANCE_MAX)
		s->cfg.instance = 1;
	if (s->cfg.probe_ms == 0)
		s->cfg.probe_ms = SOLSESS_DEF_PROBE_MS;
	s->in_cap = s->cfg.input_max ? s->cfg.input_max : SOLSESS_DEF_INPUT;
	if (s->in_cap < SOL_DATA_MAX)
		s->in_cap = SOL_DATA_MAX;
	if (s->in_cap > SOLSESS_MAX_INPUT)
		s->in_cap = SOLSESS_MAX_INPUT;
	s->in = xmalloc(s->in_cap);
	s->out = out;
	s->evfn = evfn;
	s->arg = arg;
	s->retries = s->cfg.retry_count == SOLSESS_RETRIES_NONE ? 0 :
	    s->cfg.retry_count ? s->cfg.retry_count : SOLSESS_DEF_RETRIES;
	s->retry_ms = s->cfg.retry_ms ? s->cfg.retry_ms : SOLSESS_DEF_RETRY_MS;
	s->chars_in = SOL_DATA_MAX;
	s->st = SOLSESS_IDLE;
	return s;
}

void
solsess_free(struct solsess *s)
{
	if (s == NULL)
		return;
	if (s->inflight != NULL)
		s->inflight->s = NULL;
	if (s->st != SOLSESS_ENDED)
		(void)ipmi_tr_set_payload_cb(s->tr, SOL_PAYLOAD_TYPE, NULL,
		    NULL);
	if (s->ev != NULL)
		ev_timer_del(s->ev, s->timer);
	free(s->in);
	free(s);
}

int
solsess_start(struct solsess *s, uint64_t now)
{
	struct ipmi_req req;

	s->now = now;
	if (s->st != SOLSESS_IDLE)
		return -1;
	if (ipmi_tr_set_payload_cb(s->tr, SOL_PAYLOAD_TYPE, sess_on_payload,
	    s) != IPMI_OK) {
		sess_end(s, SOLSESS_END_UNSUPPORTED, "Serial over LAN needs "
		    "an IPMI 2.0 RMCP+ session (-I lanplus)");
		return -1;
	}
	s->st = SOLSESS_STARTING;
	/* first SOL Retry: it also sets the session up, so that the
	 * activation knows the cipher suite */
	sol_config_get_req(&req, SOL_CHANNEL_CURRENT, SOL_PARAM_RETRY);
	if (sess_submit(s, &req, STEP_RETRY, now) != 0) {
		sess_end(s, SOLSESS_END_TRANSPORT, "Get SOL Configuration "
		    "Parameters: %s", ipmi_strerror(IPMI_E_BUSY));
		return -1;
	}
	sess_sync(s);
	return 0;
}

uint64_t
solsess_deadline(const struct solsess *s)
{
	uint64_t d = 0;

	if (s->st != SOLSESS_ACTIVE && s->st != SOLSESS_CLOSING)
		return 0;
	if (s->tx_seq != 0)
		d = s->tx_at;
	else if (s->in_len > 0 && s->hold_until != 0 &&
	    s->st == SOLSESS_ACTIVE)
		d = s->hold_until;
	if (s->st == SOLSESS_ACTIVE && s->probe_at != 0 &&
	    s->inflight == NULL && (d == 0 || s->probe_at < d))
		d = s->probe_at;
	return d;
}

void
solsess_timeout(struct solsess *s, uint64_t now)
{
	struct sol_pkt k;

	s->now = now;
	if (s->st != SOLSESS_ACTIVE && s->st != SOLSESS_CLOSING) {
		sess_sync(s);
		return;
	}
	if (s->tx_seq != 0 && now >= s->tx_at) {
		if (s->tx_tries <= s->retries) {
			/* the same packet again; acknowledgements go on
			 * their own */
			memset(&k, 0, sizeof(k));
			k.seq = s->tx_seq;
			k.op = s->op_keep;
			k.data = s->in;
			k.len = s->tx_len;
			s->tx_tries++;
			s->tx_at = now + s->retry_ms;
			s->stats.tx_retransmits++;
			sess_send(s, &k, now);
		} else
			sess_drop_input(s, s->tx_len, now);
	}
	if (s->st == SOLSESS_ACTIVE && s->probe_at != 0 &&
	    now >= s->probe_at && s->inflight == NULL)
		sess_probe(s, now);
	sess_pump(s, now);
	sess_sync(s);
}

size_t
solsess_write(struct solsess *s, const uint8_t *p, size_t n, uint64_t now)
{
	s->now = now;
	if (s->st == SOLSESS_ENDED || s->st == SOLSESS_CLOSING)
		return 0;
	if (n > s->in_cap - s->in_len)
		n = s->in_cap - s->in_len;
	if (n == 0)
		return 0;
	memcpy(s->in + s->in_len, p, n);
	s->in_len += n;
	sess_pump(s, now);
	sess_sync(s);
	return n;
}

size_t
solsess_write_room(const struct solsess *s)
{
	if (s->st == SOLSESS_ENDED || s->st == SOLSESS_CLOSING)
		return 0;
	return s->in_cap - s->in_len;
}

void
solsess_send_break(struct solsess *s, uint64_t now)
{
	s->now = now;
	if (s->st == SOLSESS_ENDED || s->st == SOLSESS_CLOSING)
		return;
	s->op_once |= SOL_OP_BREAK;
	sess_pump(s, now);
	sess_sync(s);
}

void
solsess_pause(struct solsess *s, int on, uint64_t now)
{
	uint8_t keep = on ? SOL_OP_CTS_PAUSE : 0;

	s->now = now;
	if (keep == s->op_keep)
		return;
	s->op_keep = keep;
	s->op_dirty = 1;
	sess_pump(s, now);
	sess_sync(s);
}

void
solsess_close(struct solsess *s, uint64_t now)
{
	s->now = now;
	switch (s->st) {
	case SOLSESS_IDLE:
		sess_end(s, SOLSESS_END_CLOSED, NULL);
		break;
	case SOLSESS_STARTING:
	case SOLSESS_TAKEOVER:
		/* what is in flight decides: see the step handlers */
		s->close_req = 1;
		break;
	case SOLSESS_ACTIVE:
		s->close_req = 1;
		s->st = SOLSESS_CLOSING;
		s->end_after = SOLSESS_END_CLOSED;
		s->err_after[0] = '\0';
		s->tx_seq = 0;
		s->probe_at = 0;
		/* a probe in flight first, then ours */
		if (s->inflight == NULL)
			sess_deactivate(s, STEP_DEACT, now);
		break;
	case SOLSESS_CLOSING:
	case SOLSESS_ENDED:
		break;
	}
	sess_sync(s);
}

enum solsess_state
solsess_state(const struct solsess *s)
{
	return s->st;
}

enum solsess_end
solsess_end(const struct solsess *s)
{
	return s->end;
}

const char *
solsess_errtext(const struct solsess *s)
{
	return s->st == SOLSESS_ENDED ? s->err : "";
}

uint8_t
solsess_ccode(const struct solsess *s)
{
	return s->ccode;
}

enum ipmi_err
solsess_ierr(const struct solsess *s)
{
	return s->ierr;
}

uint32_t
solsess_holder(const struct solsess *s)
{
	return s->holder;
}

int
solsess_unavailable(const struct solsess *s)
{
	return s->unavailable;
}

size_t
solsess_chars_in(const struct solsess *s)
{
	return s->chars_in;
}

uint16_t
solsess_outbound(const struct solsess *s)
{
	return s->outbound;
}

int
solsess_size_bogus(const struct solsess *s)
{
	return s->bogus;
}

unsigned
solsess_retries(const struct solsess *s)
{
	return s->retries;
}

unsigned
solsess_retry_ms(const struct solsess *s)
{
	return s->retry_ms;
}

size_t
solsess_pending(const struct solsess *s)
{
	return s->in_len;
}

int
solsess_took_over(const struct solsess *s)
{
	return s->took_over;
}

const struct solsess_stats *
solsess_stats(const struct solsess *s)
{
	return &s->stats;
}

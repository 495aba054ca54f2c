/*
 * IPMI 2.0 RMCP+ ("lanplus") session transport: a non-blocking state
 * machine driven by ipmi_tr_readable / ipmi_tr_timeout.
 *
 *   CLOSED -> [SUITES] -> AUTHCAP -> OPEN_SESSION -> RAKP1 -> RAKP3
 *          -> [SETPRIV] -> OPEN -> CLOSING -> CLOSED
 *
 * References: IPMI v2.0 sections 13.14-13.31 (RMCP+ session setup,
 * RAKP, keys, integrity, confidentiality), 22.13 (auth capabilities),
 * 22.15 (cipher suites), 6.12.13 (sequence number window), 6.12.3 and
 * 22.7 (bridged requests: Send Message with response tracking).
 *
 * A bridged request (req->bridged) goes out as Send Message to
 * target_chan with the IPMB request inside (ipmi_bridge_req: rqSA 20h,
 * inner rqSeq = the outer one).  Its answer comes in one of two shapes,
 * both accepted (ipmi_bridge_rsp): Send Message completes 00h without
 * data and the BMC sends the target's response as a separate message
 * later (ipmi_sim 2.0.33: rqSA 20h, rsSA = target, the outer rqSeq, the
 * target's netFn/cmd), or the target's response is embedded in the Send
 * Message response data.  A non-zero Send Message completion code (83h
 * NAK on write: nobody at that address) completes the request with that
 * code.  The acceptance restarts the attempt's timer; a timeout resends
 * the whole Send Message (same rqSeq, so a late answer still matches),
 * as ipmitool does; once the BMC accepted, a timeout means the target is
 * silent, not that the session is lost.
 *
 * Several requests in flight (cfg.max_outstanding > 1): in the open
 * session a request that is not bridged leaves the queue for a slot of
 * its own (ipmi_tr_take), with its own rqSeq (none in use twice), tries
 * and timer; up to the window are sent back to back.  An answer is
 * matched to the slot with its rqSeq, netFn and command, in whatever
 * order it comes; a second answer to the same request (the BMC
 * answering a retransmission too) finds no slot and is dropped, a
 * replayed packet fails the session sequence window (16, section
 * 6.12.13) first.  Slots and the single in-flight message (setup,
 * keepalive, bridged requests) never overlap: a bridged request waits
 * until the slots are empty.  A slot out of tries means the session is
 * lost: every slot fails and the next request opens a new session.  The
 * window falls to 1 the first time the BMC leaves an answer out (a
 * retransmission) or answers out of order while more than one request
 * was in flight: some BMCs serve one request at a time and drop what
 * arrives meanwhile.  After LP_WIN_RESTORE requests in a row answered at
 * the first try, the full window is tried again (a lost datagram or a
 * busy spell must not cost the window for good; a BMC that cannot
 * pipeline costs one retransmission per LP_WIN_RESTORE requests).
 *
 * Payloads (section 13.27; Serial over LAN is payload type 01h) travel
 * in the open session beside the requests: lp_send_payload wraps one as
 * lp_xmit wraps a request, with the session's integrity and
 * confidentiality, but without touching the request in flight, its
 * retransmission copy or its deadline; a received one of the type the
 * owner asked for is authenticated, checked against the same sequence
 * window, decrypted and handed over whatever is in flight.  While the
 * owner listens for them the idle session is kept alive, and a session
 * that ends (lost, closed) is reported to it once, after its state is
 * reset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd_app.h"
#include "lan_crypto.h"
#include "lan_rmcp.h"
#include "lan_udp.h"
#include "transport.h"

enum lp_state {
	LP_CLOSED,
	LP_SUITES,
	LP_AUTHCAP,
	LP_OPEN_SESSION,
	LP_RAKP1,
	LP_RAKP3,
	LP_SETPRIV,
	LP_OPEN,
	LP_CLOSING
};

static const char *const lp_step[] = {
	[LP_CLOSED] = "session",
	[LP_SUITES] = "Get Channel Cipher Suites",
	[LP_AUTHCAP] = "Get Channel Authentication Capabilities",
	[LP_OPEN_SESSION] = "Open Session",
	[LP_RAKP1] = "RAKP2",
	[LP_RAKP3] = "RAKP4",
	[LP_SETPRIV] = "Set Session Privilege Level",
	[LP_OPEN] = "request",
	[LP_CLOSING] = "Close Session",
};

/* what occupies the single in-flight slot */
enum lp_flight {
	LPF_NONE,
	LPF_SETUP,	/* handshake step of the current state */
	LPF_USER,	/* ipmi_tr_cur() */
	LPF_KEEPALIVE
};

/* cipher suites we do, best first: -C auto tries them in this order
 * among those the BMC lists, or 17 then 3 when it lists none */
static const int lp_pref[] = { 17, 3, 16, 2, 15, 1, 8, 12, 7, 11, 6 };
static const int lp_fallback[] = { 17, 3 };

#define LP_SEQ_WINDOW	16
#define LP_SUITES_MAX	64
#define LP_WIN_RESTORE	512

/* a request in flight beside others (the window) */
struct lp_slot {
	struct ipmi_tr_pending p;
	uint64_t	 deadline;
	uint32_t	 order;		/* sent as the order-th */
	unsigned	 tries;
	uint8_t		 seq;		/* its rqSeq */
	uint8_t		 used;
};

struct lanplus {
	struct ipmi_tr	 tr;
	enum lp_state	 st;
	enum lp_flight	 flight;
	int		 auto_suite;
	int		 cand[8];	/* candidate suites to try */
	int		 ncand, icand;
	struct lcr_suite alg;
	uint32_t	 console_sid;
	uint32_t	 bmc_sid;
	uint32_t	 out_seq;
	struct lan_seqwin win;
	uint8_t		 rm[16], rc[16], guid[16];
	uint8_t		 kuid[IPMI_PASSWORD_MAX];
	uint8_t		 sik[LCR_MAX_MAC], k1[LCR_MAX_MAC], k2[LCR_MAX_MAC];
	size_t		 klen;
	uint8_t		 role;
	uint8_t		 tag;
	uint8_t		 rq_seq;
	/* the message in flight, kept to re-send it */
	uint8_t		 ptype;
	uint8_t		 msg[LAN_PKT_MAX];
	size_t		 mlen;
	uint8_t		 exp_netfn, exp_cmd, exp_seq;
	int		 bridge;	/* the user request is bridged */
	int		 br_acked;	/* its Send Message was accepted */
	int		 in_session;	/* wrap with session id/keys */
	unsigned	 tries;
	unsigned	 max_tries;
	unsigned	 attempt_ms;	/* per try */
	int		 internal_close; /* closing a refused session */
	uint8_t		 suites[LP_SUITES_MAX * 16];
	size_t		 suites_len;
	uint8_t		 suites_idx;
	/* the window: requests in flight beside each other */
	struct lp_slot	 slot[IPMI_TR_WINDOW_MAX];
	unsigned	 nslot;		/* slots in use */
	unsigned	 win_cur;	/* window now: win_max, or 1 */
	unsigned	 win_max;	/* cfg.max_outstanding */
	unsigned	 clean;		/* answered at the first try in a
					 * row since the window fell */
	uint32_t	 order;
};

static void	lp_setup_next(struct lanplus *, uint64_t);
static void	lp_send_user(struct lanplus *, uint64_t);
static void	lp_dispatch(struct lanplus *, uint64_t);
static void	lp_win_fail_all(struct lanplus *, enum ipmi_err);

static void
lp_wipe_keys(struct lanplus *lp)
{
	lcr_cleanse(lp->sik, sizeof(lp->sik));
	lcr_cleanse(lp->k1, sizeof(lp->k1));
	lcr_cleanse(lp->k2, sizeof(lp->k2));
	lcr_cleanse(lp->rm, sizeof(lp->rm));
	lcr_cleanse(lp->rc, sizeof(lp->rc));
}

/* Forget the session (lost, failed or closed) without talking to the
 * BMC: the next request sets up a new one. */
static void
lp_reset(struct lanplus *lp)
{
	int was_open = lp->tr.sid != 0;

	lp_wipe_keys(lp);
	lp->st = LP_CLOSED;
	lp->flight = LPF_NONE;
	lp->bmc_sid = 0;
	lp->tr.sid = 0;
	lp->out_seq = 0;
	memset(&lp->win, 0, sizeof(lp->win));
	lp->tr.deadline = 0;
	lp->tr.cipher = -1;
	/* the owner may queue requests from these callbacks */
	lp_win_fail_all(lp, IPMI_E_SESSION);
	if (was_open)
		ipmi_tr_payload_ended(&lp->tr);
}

/* Idle keepalive period: the configured one, or a default one while
 * the owner listens for payloads (an activated SOL payload dies with
 * the session). */
static unsigned
lp_keepalive_ms(const struct lanplus *lp)
{
	if (lp->tr.cfg.keepalive_ms != 0)
		return lp->tr.cfg.keepalive_ms;
	return lp->tr.payload_fn != NULL ? IPMI_TR_PAYLOAD_KEEPALIVE_MS : 0;
}

/* Nothing in flight: only the keepalive of an open session is due. */
static void
lp_idle(struct lanplus *lp, uint64_t now)
{
	unsigned ka = lp_keepalive_ms(lp);

	lp->flight = LPF_NONE;
	lp->tr.deadline = lp->st == LP_OPEN && ka ? now + ka : 0;
}

/* ---- output ---- */

/*
 * Wrap a payload of type ptype into a packet and send it.  In a session
 * with integrity the auth code trailer is added; with confidentiality
 * the payload is AES-CBC-128 encrypted under K2 with a fresh IV and the
 * pad of section 13.29.  Outside a session (setup) it goes as it is.
 */
static enum ipmi_err
lp_wrap_send(struct lanplus *lp, uint8_t ptype, const uint8_t *msg,
    size_t mlen)
{
	uint8_t pkt[LAN_PKT_MAX], body[LAN_PKT_MAX];
	const uint8_t *payload = msg;
	size_t plen = mlen, icv_len = 0, icv_off = 0;
	uint32_t sid = 0, seq = 0;
	int n;

	if (lp->in_session) {
		sid = lp->bmc_sid;
		seq = ++lp->out_seq;
		if (lp->out_seq == 0)
			seq = lp->out_seq = 1;
		if (lp->alg.conf == LCR_CONF_AES_CBC_128) {
			size_t pad = (16 - (plen + 1) % 16) % 16, i;

			if (16 + plen + pad + 1 > sizeof(body))
				return IPMI_E_LENGTH;
			if (lcr_random(body, 16) != 0)
				return IPMI_E_IO;
			memcpy(body + 16, msg, plen);
			for (i = 0; i < pad; i++)
				body[16 + plen + i] = (uint8_t)(i + 1);
			body[16 + plen + pad] = (uint8_t)pad;
			if (lcr_aes_cbc_encrypt(lp->k2, body, body + 16,
			    plen + pad + 1, body + 16) != 0)
				return IPMI_E_IO;
			payload = body;
			plen = 16 + plen + pad + 1;
			ptype |= RMCPP_ENCRYPTED;
		}
		if (lp->alg.integ != LCR_INTEG_NONE) {
			icv_len = lcr_integ_len(lp->alg.integ);
			ptype |= RMCPP_AUTHENTICATED;
		}
	}
	if (lp->st == LP_AUTHCAP)
		/* sent in an IPMI 1.5 packet: the BMC may speak only 1.5 */
		n = lan15_encode(pkt, sizeof(pkt), IPMI_AUTH_NONE, 0, 0, NULL,
		    payload, plen);
	else
		n = lan20_encode(pkt, sizeof(pkt), ptype, sid, seq, payload,
		    plen, icv_len, &icv_off);
	if (n < 0)
		return IPMI_E_LENGTH;
	if (icv_len > 0) {
		const uint8_t *key = lp->k1;
		size_t klen = lp->klen;

		if (lp->alg.integ == LCR_INTEG_MD5_128) {
			key = lp->kuid;
			klen = sizeof(lp->kuid);
		}
		if (lcr_integ(lp->alg.integ, key, klen, pkt + 4,
		    icv_off - 4, pkt + icv_off) != 0)
			return IPMI_E_IO;
	}
	lp->tr.stats.packets_out++;
	if (lan_udp_send(lp->tr.fd, pkt, (size_t)n) != 0 &&
	    errno != ECONNREFUSED && errno != EAGAIN) {
		ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "send: %s",
		    strerror(errno));
		return IPMI_E_IO;
	}
	return IPMI_OK;
}

/* Send lp->msg (payload type lp->ptype), the message in flight, and
 * give it an attempt's time. */
static enum ipmi_err
lp_xmit(struct lanplus *lp, uint64_t now)
{
	lp->tr.deadline = now + lp->attempt_ms;
	return lp_wrap_send(lp, lp->ptype, lp->msg, lp->mlen);
}

/* Start sending a new message (first try). */
static enum ipmi_err
lp_send_new(struct lanplus *lp, enum lp_flight f, unsigned retries,
    uint64_t now)
{
	lp->flight = f;
	lp->tries = 1;
	lp->max_tries = retries + 1;
	lp->attempt_ms = lp->tr.cfg.timeout_ms;
	return lp_xmit(lp, now);
}

/* Frame an IPMI request into lp->msg with a fresh rqSeq. */
static int
lp_frame(struct lanplus *lp, const struct ipmi_req *req)
{
	struct ipmi_req outer;
	int n;

	lp->rq_seq = (lp->rq_seq + 1) & 0x3f;
	lp->bridge = req->bridged;
	lp->br_acked = 0;
	if (req->bridged) {
		if (ipmi_bridge_req(&outer, lp->rq_seq, req) != 0)
			return -1;
		req = &outer;
	}
	n = ipmi_msg_encode(lp->msg, sizeof(lp->msg), IPMI_BMC_SLAVE_ADDR,
	    IPMI_REMOTE_SWID, lp->rq_seq, req);
	if (n < 0)
		return -1;
	lp->mlen = (size_t)n;
	lp->ptype = RMCPP_PT_IPMI;
	lp->exp_netfn = req->netfn | 1;
	lp->exp_cmd = req->cmd;
	lp->exp_seq = lp->rq_seq;
	return 0;
}

/* ---- session setup ---- */

static void
lp_setup_fail(struct lanplus *lp, enum ipmi_err e)
{
	lp_reset(lp);
	ipmi_tr_fail_all(&lp->tr, e);
}

static void
lp_setup_send(struct lanplus *lp, const struct ipmi_req *req,
    unsigned retries, uint64_t now)
{
	enum ipmi_err e;

	if (lp_frame(lp, req) != 0) {
		ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "request too long");
		lp_setup_fail(lp, IPMI_E_LENGTH);
		return;
	}
	if ((e = lp_send_new(lp, LPF_SETUP, retries, now)) != IPMI_OK)
		lp_setup_fail(lp, e);
}

static void
lp_setup_payload(struct lanplus *lp, uint8_t ptype, int n, uint64_t now)
{
	enum ipmi_err e;

	if (n < 0) {
		ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "cannot encode");
		lp_setup_fail(lp, IPMI_E_LENGTH);
		return;
	}
	lp->ptype = ptype;
	lp->mlen = (size_t)n;
	if ((e = lp_send_new(lp, LPF_SETUP, lp->tr.cfg.retries, now)) !=
	    IPMI_OK)
		lp_setup_fail(lp, e);
}

/* Choose the next suite to try; -1 when none is left. */
static int
lp_next_suite(struct lanplus *lp)
{
	while (lp->icand < lp->ncand) {
		int id = lp->cand[lp->icand++];

		if (lcr_suite(id, &lp->alg) != 0)
			continue;
		if (id == 0 && !lp->tr.cfg.allow_none)
			continue;
		return id;
	}
	return -1;
}

static void
lp_send_open(struct lanplus *lp, uint64_t now)
{
	struct rmcpp_open_req q;

	lp->st = LP_OPEN_SESSION;
	lp->tag++;
	do {
		if (lcr_random((uint8_t *)&lp->console_sid,
		    sizeof(lp->console_sid)) != 0) {
			ipmi_tr_seterr(&lp->tr, "Open Session",
			    "no random bytes");
			lp_setup_fail(lp, IPMI_E_IO);
			return;
		}
	} while (lp->console_sid == 0);
	memset(&q, 0, sizeof(q));
	q.tag = lp->tag;
	q.priv = 0;	/* highest the proposed algorithms allow */
	q.console_sid = lp->console_sid;
	q.auth = lp->alg.auth;
	q.integ = lp->alg.integ;
	q.conf = lp->alg.conf;
	lp_setup_payload(lp, RMCPP_PT_OPEN_REQ,
	    rmcpp_open_req_encode(lp->msg, sizeof(lp->msg), &q), now);
}

/* Move to the next step after 'st' finished successfully. */
static void
lp_setup_next(struct lanplus *lp, uint64_t now)
{
	struct ipmi_req req;
	int id;

	switch (lp->st) {
	case LP_CLOSED:
		lp->tr.err[0] = '\0';
		lp->ncand = lp->icand = 0;
		if (lp->auto_suite &&
		    !(lp->tr.cfg.workarounds & IPMI_WA_NO_CIPHER_SUITES)) {
			lp->st = LP_SUITES;
			lp->suites_len = 0;
			lp->suites_idx = 0;
			app_suites_req(&req, 0x0e, 0);
			/* at most 1 s, no retransmit: many BMCs (and
			 * ipmi_sim) never answer this outside a session */
			lp_setup_send(lp, &req, 0, now);
			if (lp->attempt_ms > 1000) {
				lp->attempt_ms = 1000;
				lp->tr.deadline = now + 1000;
			}
			return;
		}
		/* FALLTHROUGH */
	case LP_SUITES:
		if (lp->ncand == 0) {
			size_t i;

			if (lp->auto_suite)
				for (i = 0; i < sizeof(lp_fallback) /
				    sizeof(lp_fallback[0]); i++)
					lp->cand[lp->ncand++] = lp_fallback[i];
			else
				lp->cand[lp->ncand++] = lp->tr.cfg.cipher;
		}
		lp->st = LP_AUTHCAP;
		app_authcap_req(&req, lp->tr.cfg.priv, 1);
		lp_setup_send(lp, &req, lp->tr.cfg.retries, now);
		return;
	case LP_AUTHCAP:
	case LP_OPEN_SESSION:	/* refused: next candidate suite */
		if ((id = lp_next_suite(lp)) < 0) {
			if (lp->st == LP_AUTHCAP)
				ipmi_tr_seterr(&lp->tr, "Open Session",
				    "cipher suite %d %s", lp->tr.cfg.cipher,
				    lp->tr.cfg.cipher == 0 ? "(no "
				    "authentication) refused: allow it "
				    "explicitly" : "not supported");
			lp_setup_fail(lp, IPMI_E_UNSUPPORTED);
			return;
		}
		lp->tr.cipher = id;
		lp_send_open(lp, now);
		return;
	case LP_RAKP1:
		lp->st = LP_RAKP3;
		return;		/* RAKP3 sent by the RAKP2 handler */
	case LP_RAKP3:
		lp->in_session = 1;
		lp->out_seq = 0;
		if (lp->tr.cfg.priv > IPMI_PRIV_USER) {
			lp->st = LP_SETPRIV;
			app_setpriv_req(&req, lp->tr.cfg.priv);
			lp_setup_send(lp, &req, lp->tr.cfg.retries, now);
			return;
		}
		/* FALLTHROUGH */
	case LP_SETPRIV:
		lp->st = LP_OPEN;
		lp->tr.sid = lp->bmc_sid;
		lp_idle(lp, now);
		lp->tr.err[0] = '\0';
		lp->tr.stats.sessions++;
		lp_dispatch(lp, now);
		return;
	case LP_OPEN:
	case LP_CLOSING:
		return;
	}
}

static void
lp_on_suites(struct lanplus *lp, const struct ipmi_rsp *rsp, uint64_t now)
{
	struct ipmi_req req;
	uint8_t ids[LP_SUITES_MAX];
	int n, i;
	size_t j;

	if (rsp->ccode == IPMI_CC_OK && rsp->len >= 1) {
		size_t chunk = rsp->len - 1;

		if (chunk > 16)
			chunk = 16;
		if (lp->suites_len + chunk <= sizeof(lp->suites)) {
			memcpy(lp->suites + lp->suites_len, rsp->data + 1,
			    chunk);
			lp->suites_len += chunk;
		}
		if (chunk == 16 && lp->suites_idx < LP_SUITES_MAX - 1) {
			app_suites_req(&req, 0x0e, ++lp->suites_idx);
			lp_setup_send(lp, &req, 0, now);
			return;
		}
	}
	n = app_suites_parse(lp->suites, lp->suites_len, ids, LP_SUITES_MAX);
	lp->ncand = 0;
	for (j = 0; j < sizeof(lp_pref) / sizeof(lp_pref[0]); j++)
		for (i = 0; i < n; i++)
			if (ids[i] == lp_pref[j] && lp->ncand < 8)
				lp->cand[lp->ncand++] = lp_pref[j];
	lp_setup_next(lp, now);
}

static void
lp_on_authcap(struct lanplus *lp, const struct ipmi_rsp *rsp, uint64_t now)
{
	struct app_authcap a;
	char cc[IPMI_CCODE_TEXT_MAX];

	if (rsp->ccode != IPMI_CC_OK) {
		ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "%s",
		    ipmi_ccode_fmt(cc, sizeof(cc), rsp->netfn, rsp->cmd,
		    rsp->ccode));
		lp_setup_fail(lp, IPMI_E_AUTH);
		return;
	}
	if (app_authcap_decode(rsp->data, rsp->len, &a) != IPMI_OK) {
		ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "short response");
		lp_setup_fail(lp, IPMI_E_LENGTH);
		return;
	}
	if (!a.v20 || !a.ipmi20) {
		ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "the BMC does not "
		    "speak IPMI 2.0 (RMCP+): use -I lan");
		lp_setup_fail(lp, IPMI_E_UNSUPPORTED);
		return;
	}
	lp_setup_next(lp, now);
}

static void
lp_on_open(struct lanplus *lp, const uint8_t *p, size_t len, uint64_t now)
{
	struct rmcpp_open_rsp o;
	uint8_t user_len;

	if (rmcpp_open_rsp_decode(p, len, &o) != IPMI_OK ||
	    o.tag != lp->tag) {
		lp->tr.stats.dropped++;
		return;
	}
	if (o.status != 0) {
		ipmi_tr_seterr(&lp->tr, "Open Session", "cipher suite %d: %s "
		    "(status 0x%02x)", lp->tr.cipher,
		    rmcpp_status_name(o.status), o.status);
		/* try the next suite if the BMC refused this one */
		if ((o.status >= 0x04 && o.status <= 0x07) ||
		    o.status == 0x10 || o.status == 0x11) {
			lp->flight = LPF_NONE;
			lp_setup_next(lp, now);
			return;
		}
		lp_setup_fail(lp, IPMI_E_AUTH);
		return;
	}
	if (o.console_sid != lp->console_sid || o.bmc_sid == 0 ||
	    o.auth != lp->alg.auth || o.integ != lp->alg.integ ||
	    o.conf != lp->alg.conf) {
		ipmi_tr_seterr(&lp->tr, "Open Session", "BMC answered with "
		    "other session parameters");
		lp_setup_fail(lp, IPMI_E_PROTO);
		return;
	}
	lp->bmc_sid = o.bmc_sid;
	lp->st = LP_RAKP1;
	lp->tag++;
	if (lcr_random(lp->rm, sizeof(lp->rm)) != 0) {
		ipmi_tr_seterr(&lp->tr, "RAKP1", "no random bytes");
		lp_setup_fail(lp, IPMI_E_IO);
		return;
	}
	/* requested role: privilege, name-only lookup (bit 4) */
	lp->role = (uint8_t)(lp->tr.cfg.priv | 0x10);
	user_len = (uint8_t)strnlen(lp->tr.cfg.user, 16);
	lp_setup_payload(lp, RMCPP_PT_RAKP1, rmcpp_rakp1_encode(lp->msg,
	    sizeof(lp->msg), lp->tag, lp->bmc_sid, lp->rm, lp->role,
	    lp->tr.cfg.user, user_len), now);
}

/* bytes that follow in the RAKP HMACs: RoleM, ULengthM, UNameM */
static void
wr_role_user(struct wbuf *w, const struct lanplus *lp)
{
	size_t ulen = strnlen(lp->tr.cfg.user, 16);

	wr_u8(w, lp->role);
	wr_u8(w, (uint8_t)ulen);
	wr_bytes(w, lp->tr.cfg.user, ulen);
}

static void
lp_on_rakp2(struct lanplus *lp, const uint8_t *p, size_t len, uint64_t now)
{
	struct rmcpp_rakp2 k;
	uint8_t buf[128], mac[LCR_MAX_MAC];
	size_t maclen = 0, ulen;
	const uint8_t *kg;
	size_t kglen;
	struct wbuf w;
	int n;

	if (rmcpp_rakp2_decode(p, len, &k) != IPMI_OK || k.tag != lp->tag) {
		lp->tr.stats.dropped++;
		return;
	}
	if (k.status != 0) {
		ipmi_tr_seterr(&lp->tr, "RAKP2", "%s (status 0x%02x)%s",
		    rmcpp_status_name(k.status), k.status,
		    k.status == 0x0d ? ": unknown user?" :
		    k.status == 0x09 || k.status == 0x0a ?
		    ": privilege level too high for this user?" : "");
		lp_setup_fail(lp, IPMI_E_AUTH);
		return;
	}
	if (k.console_sid != lp->console_sid) {
		lp->tr.stats.dropped++;
		return;
	}
	memcpy(lp->rc, k.rc, 16);
	memcpy(lp->guid, k.guid, 16);
	ulen = strnlen(lp->tr.cfg.user, 16);

	/* RAKP2 code: HMAC_KUID(SIDm, SIDc, Rm, Rc, GUIDc, RoleM,
	 * ULengthM, UNameM), section 13.31 */
	if (lp->alg.auth != LCR_AUTH_NONE) {
		wb_init(&w, buf, sizeof(buf));
		wr_le32(&w, lp->console_sid);
		wr_le32(&w, lp->bmc_sid);
		wr_bytes(&w, lp->rm, 16);
		wr_bytes(&w, lp->rc, 16);
		wr_bytes(&w, lp->guid, 16);
		wr_role_user(&w, lp);
		if (w.err || lcr_hmac(lp->alg.auth, lp->kuid,
		    sizeof(lp->kuid), buf, w.len, mac, &maclen) != 0) {
			lp_setup_fail(lp, IPMI_E_IO);
			return;
		}
	}
	if (k.authcode_len != maclen ||
	    (maclen > 0 && lcr_memcmp(k.authcode, mac, maclen) != 0)) {
		ipmi_tr_seterr(&lp->tr, "RAKP2", "BMC authentication code "
		    "mismatch (wrong password or K_g?)");
		lp_setup_fail(lp, IPMI_E_AUTH);
		return;
	}

	/* session keys: SIK with K_g (or the password), K1, K2 */
	kg = lp->tr.cfg.kglen ? lp->tr.cfg.kg : lp->kuid;
	kglen = lp->tr.cfg.kglen ? sizeof(lp->tr.cfg.kg) : sizeof(lp->kuid);
	lp->klen = lcr_auth_len(lp->alg.auth);
	if (lp->alg.auth != LCR_AUTH_NONE &&
	    (lcr_sik(lp->alg.auth, kg, kglen, lp->rm, lp->rc, lp->role,
	    lp->tr.cfg.user, ulen, lp->sik) != 0 ||
	    lcr_kn(lp->alg.auth, lp->sik, 1, lp->k1) != 0 ||
	    lcr_kn(lp->alg.auth, lp->sik, 2, lp->k2) != 0)) {
		lp_setup_fail(lp, IPMI_E_IO);
		return;
	}

	/* RAKP3 code: HMAC_KUID(Rc, SIDm, RoleM, ULengthM, UNameM) */
	maclen = 0;
	if (lp->alg.auth != LCR_AUTH_NONE) {
		wb_init(&w, buf, sizeof(buf));
		wr_bytes(&w, lp->rc, 16);
		wr_le32(&w, lp->console_sid);
		wr_role_user(&w, lp);
		if (w.err || lcr_hmac(lp->alg.auth, lp->kuid,
		    sizeof(lp->kuid), buf, w.len, mac, &maclen) != 0) {
			lp_setup_fail(lp, IPMI_E_IO);
			return;
		}
	}
	lcr_cleanse(buf, sizeof(buf));
	lp->st = LP_RAKP3;
	n = rmcpp_rakp3_encode(lp->msg, sizeof(lp->msg), lp->tag, 0,
	    lp->bmc_sid, mac, maclen);
	lcr_cleanse(mac, sizeof(mac));
	lp_setup_payload(lp, RMCPP_PT_RAKP3, n, now);
}

static void
lp_on_rakp4(struct lanplus *lp, const uint8_t *p, size_t len, uint64_t now)
{
	struct rmcpp_rakp4 k;
	uint8_t buf[64], mac[LCR_MAX_MAC];
	size_t maclen = 0, icvlen;
	struct wbuf w;

	if (rmcpp_rakp4_decode(p, len, &k) != IPMI_OK || k.tag != lp->tag) {
		lp->tr.stats.dropped++;
		return;
	}
	if (k.status != 0) {
		ipmi_tr_seterr(&lp->tr, "RAKP4", "%s (status 0x%02x)",
		    rmcpp_status_name(k.status), k.status);
		lp_setup_fail(lp, IPMI_E_AUTH);
		return;
	}
	if (k.console_sid != lp->console_sid) {
		lp->tr.stats.dropped++;
		return;
	}
	/* ICV: HMAC_SIK(Rm, SIDc, GUIDc), truncated to the integrity
	 * length of the authentication algorithm (section 13.28) */
	icvlen = 0;
	if (lp->alg.auth != LCR_AUTH_NONE) {
		wb_init(&w, buf, sizeof(buf));
		wr_bytes(&w, lp->rm, 16);
		wr_le32(&w, lp->bmc_sid);
		wr_bytes(&w, lp->guid, 16);
		if (w.err || lcr_hmac(lp->alg.auth, lp->sik, lp->klen, buf,
		    w.len, mac, &maclen) != 0) {
			lp_setup_fail(lp, IPMI_E_IO);
			return;
		}
		icvlen = lp->alg.auth == LCR_AUTH_HMAC_SHA1 ? 12 : 16;
	}
	if (k.icv_len != icvlen ||
	    (icvlen > 0 && lcr_memcmp(k.icv, mac, icvlen) != 0)) {
		ipmi_tr_seterr(&lp->tr, "RAKP4", "BMC integrity check value "
		    "mismatch (wrong K_g?)");
		lp_setup_fail(lp, IPMI_E_AUTH);
		return;
	}
	lp->flight = LPF_NONE;
	lp_setup_next(lp, now);
}

/* ---- requests in the session ---- */

static void
lp_send_user(struct lanplus *lp, uint64_t now)
{
	const struct ipmi_req *req = ipmi_tr_cur(&lp->tr);
	enum ipmi_err e;

	if (req == NULL || lp->flight != LPF_NONE)
		return;
	if (lp_frame(lp, req) != 0) {
		ipmi_tr_seterr(&lp->tr, "request", "request too long%s",
		    req->bridged ? " to bridge" : "");
		ipmi_tr_complete(&lp->tr, IPMI_E_LENGTH, now);
		return;
	}
	if ((e = lp_send_new(lp, LPF_USER, lp->tr.cfg.retries, now)) !=
	    IPMI_OK) {
		lp->flight = LPF_NONE;
		ipmi_tr_complete(&lp->tr, e, now);
	}
}

/* ---- the window: several requests in flight ---- */

/* the slots' earliest deadline, or the idle one when they are empty */
static void
lp_win_arm(struct lanplus *lp, uint64_t now)
{
	uint64_t dl = 0;
	unsigned i;

	if (lp->flight != LPF_NONE)
		return;
	if (lp->nslot == 0) {
		lp_idle(lp, now);
		return;
	}
	for (i = 0; i < IPMI_TR_WINDOW_MAX; i++)
		if (lp->slot[i].used && (dl == 0 || lp->slot[i].deadline < dl))
			dl = lp->slot[i].deadline;
	lp->tr.deadline = dl;
}

/* Empty slot i and hand its request back to the owner. */
static void
lp_win_finish(struct lanplus *lp, unsigned i, enum ipmi_err e)
{
	struct ipmi_tr_pending p = lp->slot[i].p;

	lp->slot[i].used = 0;
	lp->nslot--;
	ipmi_tr_finish(&lp->tr, &p, e, &lp->tr.rsp);
}

/* Fail every request in a slot (the session is gone or closing); a
 * callback may submit (queued) or close (finds the rest failed). */
static void
lp_win_fail_all(struct lanplus *lp, enum ipmi_err e)
{
	unsigned i;

	for (i = 0; i < IPMI_TR_WINDOW_MAX && lp->nslot > 0; i++)
		if (lp->slot[i].used)
			lp_win_finish(lp, i, e);
}

static enum ipmi_err
lp_win_xmit(struct lanplus *lp, struct lp_slot *sl, uint64_t now)
{
	uint8_t msg[LAN_PKT_MAX];
	int n;

	n = ipmi_msg_encode(msg, sizeof(msg), IPMI_BMC_SLAVE_ADDR,
	    IPMI_REMOTE_SWID, sl->seq, &sl->p.req);
	if (n < 0) {
		ipmi_tr_seterr(&lp->tr, "request", "request too long");
		return IPMI_E_LENGTH;
	}
	sl->deadline = now + lp->tr.cfg.timeout_ms;
	return lp_wrap_send(lp, RMCPP_PT_IPMI, msg, (size_t)n);
}

/* an rqSeq no slot holds (at most IPMI_TR_WINDOW_MAX of 64 are) */
static uint8_t
lp_win_seq(struct lanplus *lp)
{
	unsigned i;
	int busy;

	do {
		lp->rq_seq = (lp->rq_seq + 1) & 0x3f;
		busy = 0;
		for (i = 0; i < IPMI_TR_WINDOW_MAX; i++)
			if (lp->slot[i].used && lp->slot[i].seq == lp->rq_seq)
				busy = 1;
	} while (busy);
	return lp->rq_seq;
}

/* Move q[head] (busy) into a free slot and send it. */
static void
lp_win_send(struct lanplus *lp, uint64_t now)
{
	struct lp_slot *sl = NULL;
	enum ipmi_err e;
	unsigned i;

	for (i = 0; i < IPMI_TR_WINDOW_MAX && sl == NULL; i++)
		if (!lp->slot[i].used)
			sl = &lp->slot[i];
	if (sl == NULL) {	/* lp_ready said there was room */
		ipmi_tr_complete(&lp->tr, IPMI_E_BUSY, now);
		return;
	}
	ipmi_tr_take(&lp->tr, &sl->p);
	sl->used = 1;
	lp->nslot++;
	sl->seq = lp_win_seq(lp);
	sl->tries = 1;
	sl->order = ++lp->order;
	if ((e = lp_win_xmit(lp, sl, now)) != IPMI_OK) {
		lp_win_finish(lp, (unsigned)(sl - lp->slot), e);
		lp_win_arm(lp, now);
		return;
	}
	lp_win_arm(lp, now);
}

static void
lp_win_fallback(struct lanplus *lp)
{
	if (lp->win_cur > 1) {
		lp->win_cur = 1;
		lp->clean = 0;
		lp->tr.stats.window_fallbacks++;
	}
}

/* An IPMI message in the session while slots are in flight: the slot
 * it answers completes; -1 to drop it. */
static int
lp_win_input(struct lanplus *lp, const uint8_t *p, size_t len, uint64_t now)
{
	struct ipmi_msg_hdr h;
	struct lp_slot *sl;
	unsigned i, k;

	if (lp->nslot == 0 ||
	    ipmi_msg_decode_rsp(p, len, &h, &lp->tr.rsp) != IPMI_OK)
		return -1;
	for (i = 0; i < IPMI_TR_WINDOW_MAX; i++) {
		sl = &lp->slot[i];
		if (sl->used && sl->seq == h.rq_seq &&
		    h.netfn == (sl->p.req.netfn | 1) && h.cmd == sl->p.req.cmd)
			break;
	}
	if (i == IPMI_TR_WINDOW_MAX)
		return -1;
	for (k = 0; k < IPMI_TR_WINDOW_MAX; k++)
		if (lp->slot[k].used && lp->slot[k].order < sl->order) {
			/* an older request is still unanswered */
			lp->tr.stats.reordered++;
			lp_win_fallback(lp);
			break;
		}
	lp_win_finish(lp, i, IPMI_OK);
	lp_win_arm(lp, now);
	return 0;
}

/* A slot's timer ran out: resend it, or give the session up. */
static void
lp_win_timeout(struct lanplus *lp, uint64_t now)
{
	struct lp_slot *sl;
	enum ipmi_err e;
	unsigned i;

	for (i = 0; i < IPMI_TR_WINDOW_MAX; i++) {
		sl = &lp->slot[i];
		if (!sl->used || sl->deadline > now)
			continue;
		if (sl->tries < lp->tr.cfg.retries + 1) {
			sl->tries++;
			lp->tr.stats.retransmits++;
			lp_win_fallback(lp);
			if ((e = lp_win_xmit(lp, sl, now)) == IPMI_OK)
				continue;
		} else {
			e = IPMI_E_TIMEOUT;
			if (strstr(lp->tr.err, "refused") == NULL)
				ipmi_tr_seterr(&lp->tr, lp_step[lp->st],
				    "no response after %u tries", sl->tries);
		}
		/* a session that stops answering is presumed lost: every
		 * slot fails, the next request sets up a new session */
		lp_win_fail_all(lp, e);
		lp_reset(lp);
		return;
	}
	lp_win_arm(lp, now);
}

/* q[head] (busy) goes now: into a slot, or alone as before */
static void
lp_dispatch(struct lanplus *lp, uint64_t now)
{
	const struct ipmi_req *req = ipmi_tr_cur(&lp->tr);

	if (req == NULL || lp->flight != LPF_NONE)
		return;
	if (lp->win_cur > 1 && !req->bridged)
		lp_win_send(lp, now);
	else
		lp_send_user(lp, now);
}

static int
lp_ready(const struct ipmi_tr *tr)
{
	const struct lanplus *lp = (const struct lanplus *)tr;

	if (lp->nslot == 0)
		return 1;
	/* a bridged request goes alone, once the slots are empty */
	return lp->flight == LPF_NONE && lp->nslot < lp->win_cur &&
	    !tr->q[tr->head].req.bridged;
}

static unsigned
lp_window(const struct ipmi_tr *tr)
{
	return ((const struct lanplus *)tr)->win_cur;
}

/* Close Session answered or timed out. */
static void
lp_closed(struct lanplus *lp)
{
	int internal = lp->internal_close;

	lp->internal_close = 0;
	lp_reset(lp);
	if (!internal)
		ipmi_tr_closed(&lp->tr);
}

/* Send Close Session in the open session; internal: we close a session
 * we refuse to use, not because the owner asked. */
static void
lp_send_close(struct lanplus *lp, int internal, uint64_t now)
{
	struct ipmi_req req;

	lp->st = LP_CLOSING;
	lp->internal_close = internal;
	app_close_req(&req, lp->bmc_sid);
	lp_setup_send(lp, &req, 0, now);
	if (lp->st != LP_CLOSING && !internal)
		ipmi_tr_closed(&lp->tr);
}

/* The response to a request of ours arrived (user, setup, keepalive). */
static void
lp_on_rsp(struct lanplus *lp, uint64_t now)
{
	enum lp_flight f = lp->flight;
	struct ipmi_rsp *rsp = &lp->tr.rsp;
	char cc[IPMI_CCODE_TEXT_MAX];

	lp_idle(lp, now);
	switch (f) {
	case LPF_USER:
		if (lp->win_cur < lp->win_max) {
			lp->clean = lp->tries == 1 ? lp->clean + 1 : 0;
			if (lp->clean >= LP_WIN_RESTORE) {
				lp->win_cur = lp->win_max;
				lp->clean = 0;
				lp->tr.stats.window_restores++;
			}
		}
		ipmi_tr_complete(&lp->tr, IPMI_OK, now);
		return;
	case LPF_KEEPALIVE:
		lp_dispatch(lp, now);
		return;
	case LPF_NONE:
		return;
	case LPF_SETUP:
		break;
	}
	switch (lp->st) {
	case LP_SUITES:
		lp_on_suites(lp, rsp, now);
		return;
	case LP_AUTHCAP:
		lp_on_authcap(lp, rsp, now);
		return;
	case LP_SETPRIV:
		if (rsp->ccode != IPMI_CC_OK) {
			ipmi_tr_seterr(&lp->tr, lp_step[lp->st], "%s: %s",
			    ipmi_priv_name(lp->tr.cfg.priv),
			    ipmi_ccode_fmt(cc, sizeof(cc), rsp->netfn,
			    rsp->cmd, rsp->ccode));
			/* the session is live on the BMC: give its slot
			 * back before failing */
			ipmi_tr_fail_all(&lp->tr, IPMI_E_AUTH);
			lp_send_close(lp, 1, now);
			return;
		}
		lp_setup_next(lp, now);
		return;
	case LP_CLOSING:
		lp_closed(lp);
		return;
	default:
		return;
	}
}

/*
 * A message for a bridged request in flight: 0 when it completes the
 * request (lp->tr.rsp filled), 1 when it was handled here (accepted,
 * or the request failed), -1 to drop it.
 */
static int
lp_take_bridged(struct lanplus *lp, const uint8_t *p, size_t len,
    uint64_t now)
{
	const struct ipmi_req *req = ipmi_tr_cur(&lp->tr);
	struct ipmi_msg_hdr h;
	struct ipmi_rsp rsp;
	enum ipmi_err e;

	if (req == NULL || ipmi_msg_decode_rsp(p, len, &h, &rsp) != IPMI_OK)
		return -1;
	switch (ipmi_bridge_rsp(&h, &rsp, req, lp->exp_seq, &lp->tr.rsp,
	    &e)) {
	case IPMI_BRIDGE_OTHER:
		return -1;
	case IPMI_BRIDGE_ACCEPTED:
		/* the target's answer gets a full attempt of its own; a
		 * resend accepted again changes nothing */
		if (!lp->br_acked) {
			lp->br_acked = 1;
					lp->tr.deadline = now + lp->attempt_ms;
		}
		return 1;
	case IPMI_BRIDGE_DONE:
		return 0;
	case IPMI_BRIDGE_BAD:
		break;
	}
	ipmi_tr_seterr(&lp->tr, "request", "bridged response from 0x%02x "
	    "(channel %u): %s", req->target_addr, req->target_chan,
	    ipmi_strerror(e));
	lp_idle(lp, now);
	ipmi_tr_complete(&lp->tr, e, now);
	return 1;
}

/* Check an IPMI message payload against the request in flight: 0 to
 * take it (lp_on_rsp), 1 when already handled, -1 to drop it. */
static int
lp_take_msg(struct lanplus *lp, const uint8_t *p, size_t len, uint64_t now)
{
	struct ipmi_msg_hdr h;

	if (lp->flight == LPF_NONE || lp->ptype != RMCPP_PT_IPMI)
		return -1;
	if (lp->flight == LPF_USER && lp->bridge)
		return lp_take_bridged(lp, p, len, now);
	if (ipmi_msg_decode_rsp(p, len, &h, &lp->tr.rsp) != IPMI_OK)
		return -1;
	if (h.rq_seq != lp->exp_seq || h.cmd != lp->exp_cmd ||
	    h.netfn != lp->exp_netfn)
		return -1;
	return 0;
}

/* Authenticate and decrypt an in-session packet; returns the plain
 * payload in out, or -1 to drop it. */
static int
lp_unwrap(struct lanplus *lp, const uint8_t *pkt, const struct lan_pkt *pk,
    uint8_t *out, size_t *outlen)
{
	uint8_t mac[LCR_MAX_MAC];
	const uint8_t *key = lp->k1;
	size_t klen = lp->klen, n;

	if (pk->sid != lp->console_sid)
		return -1;
	if (lp->alg.integ != LCR_INTEG_NONE) {
		if (!pk->authenticated || pk->trailer == NULL)
			return -1;
		if (lp->alg.integ == LCR_INTEG_MD5_128) {
			key = lp->kuid;
			klen = sizeof(lp->kuid);
		}
		if (lcr_integ(lp->alg.integ, key, klen, pkt + pk->integ_off,
		    pk->integ_len, mac) != 0 ||
		    lcr_memcmp(mac, pk->trailer, pk->trailer_len) != 0)
			return -1;
	}
	if (lan_seqwin_check(&lp->win, pk->seq, LP_SEQ_WINDOW) != 0)
		return -1;
	if (lp->alg.conf == LCR_CONF_AES_CBC_128) {
		uint8_t pad;
		size_t i;

		if (!pk->encrypted || pk->plen < 32 || pk->plen % 16 != 0 ||
		    pk->plen - 16 > LAN_PKT_MAX)
			return -1;
		n = pk->plen - 16;
		if (lcr_aes_cbc_decrypt(lp->k2, pk->payload, pk->payload + 16,
		    n, out) != 0)
			return -1;
		pad = out[n - 1];
		if ((size_t)pad + 1 > n || pad > 15)
			return -1;
		for (i = 0; i < pad; i++)
			if (out[n - 1 - pad + i] != i + 1)
				return -1;
		*outlen = n - 1 - pad;
		return 0;
	}
	if (pk->encrypted || pk->plen > LAN_PKT_MAX)
		return -1;
	memcpy(out, pk->payload, pk->plen);
	*outlen = pk->plen;
	return 0;
}

static void
lp_input(struct lanplus *lp, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct lan_pkt pk;
	uint8_t plain[LAN_PKT_MAX];
	size_t plen;
	size_t icv = lp->in_session ? lcr_integ_len(lp->alg.integ) : 0;

	if (lan_decode(pkt, len, icv, &pk) != IPMI_OK ||
	    pk.rmcp_class != RMCP_CLASS_IPMI)
		goto drop;
	if (lp->in_session && pk.sid != 0 && pk.ptype != RMCPP_PT_IPMI) {
		/* a payload (SOL): whatever request is in flight */
		if (lp->st != LP_OPEN || lp->tr.payload_fn == NULL ||
		    pk.ptype != lp->tr.payload_type ||
		    lp_unwrap(lp, pkt, &pk, plain, &plen) != 0 ||
		    ipmi_tr_payload(&lp->tr, pk.ptype, plain, plen) != 0)
			goto drop;
		return;
	}
	if (lp->flight == LPF_NONE && lp->nslot == 0)
		goto drop;
	if (lp->in_session && pk.sid != 0) {
		int t;

		if (lp_unwrap(lp, pkt, &pk, plain, &plen) != 0)
			goto drop;
		if (lp->flight == LPF_NONE) {
			if (lp_win_input(lp, plain, plen, now) != 0)
				goto drop;
			return;
		}
		if ((t = lp_take_msg(lp, plain, plen, now)) < 0)
			goto drop;
		if (t == 0)
			lp_on_rsp(lp, now);
		return;
	}
	/* outside a session: 1.5 (auth caps) or RMCP+ with sid 0 */
	if (pk.authtype != IPMI_AUTH_RMCPP) {
		if (lp->st != LP_AUTHCAP || pk.authtype != IPMI_AUTH_NONE ||
		    lp_take_msg(lp, pk.payload, pk.plen, now) != 0)
			goto drop;
		lp_on_rsp(lp, now);
		return;
	}
	if (pk.encrypted || pk.authenticated)
		goto drop;
	switch (pk.ptype) {
	case RMCPP_PT_IPMI:
		if (lp->st != LP_SUITES || lp_take_msg(lp, pk.payload,
		    pk.plen, now) != 0)
			goto drop;
		lp_on_rsp(lp, now);
		return;
	case RMCPP_PT_OPEN_RSP:
		if (lp->st != LP_OPEN_SESSION)
			goto drop;
		lp_on_open(lp, pk.payload, pk.plen, now);
		return;
	case RMCPP_PT_RAKP2:
		if (lp->st != LP_RAKP1)
			goto drop;
		lp_on_rakp2(lp, pk.payload, pk.plen, now);
		return;
	case RMCPP_PT_RAKP4:
		if (lp->st != LP_RAKP3)
			goto drop;
		lp_on_rakp4(lp, pk.payload, pk.plen, now);
		return;
	default:
		goto drop;
	}
drop:
	lp->tr.stats.dropped++;
}

/* ---- ops ---- */

static void
lp_input_op(struct ipmi_tr *tr, const uint8_t *p, size_t len, uint64_t now)
{
	lp_input((struct lanplus *)tr, p, len, now);
}

static enum ipmi_err
lp_start(struct ipmi_tr *tr, uint64_t now)
{
	struct lanplus *lp = (struct lanplus *)tr;

	if (lp->st == LP_CLOSED) {
		lp->in_session = 0;
		lp_setup_next(lp, now);
		return IPMI_OK;
	}
	if (lp->st == LP_OPEN)
		lp_dispatch(lp, now);
	return IPMI_OK;
}

static void
lp_readable(struct ipmi_tr *tr, uint64_t now)
{
	struct lanplus *lp = (struct lanplus *)tr;
	uint8_t pkt[LAN_PKT_MAX];
	ssize_t n;
	int budget = 64;	/* bounded work per wakeup */

	while (budget-- > 0 && tr->fd >= 0) {
		n = lan_udp_recv(tr->fd, pkt, sizeof(pkt));
		if (n == 0)
			return;
		if (n < 0) {
			if (errno == ECONNREFUSED) {
				/* ICMP port unreachable: say so on timeout */
				ipmi_tr_seterr(tr, lp_step[lp->st],
				    "connection refused (no BMC listening?)");
				continue;
			}
			return;
		}
		tr->stats.packets_in++;
		if ((size_t)n > sizeof(pkt)) {
			tr->stats.dropped++;
			continue;
		}
		lp_input(lp, pkt, (size_t)n, now);
	}
}

static void
lp_timeout(struct ipmi_tr *tr, uint64_t now)
{
	struct lanplus *lp = (struct lanplus *)tr;
	enum ipmi_err e;

	if (lp->flight == LPF_NONE && lp->nslot > 0) {
		lp_win_timeout(lp, now);
		return;
	}
	if (lp->flight == LPF_NONE) {
		/* idle in an open session: keepalive */
		if (lp->st == LP_OPEN && lp_keepalive_ms(lp)) {
			struct ipmi_req req;

			app_devid_req(&req);
			if (lp_frame(lp, &req) == 0 &&
			    lp_send_new(lp, LPF_KEEPALIVE, tr->cfg.retries,
			    now) == IPMI_OK)
				return;
			lp_reset(lp);
		}
		tr->deadline = 0;
		return;
	}
	if (lp->tries < lp->max_tries) {
		lp->tries++;
		tr->stats.retransmits++;
		if ((e = lp_xmit(lp, now)) == IPMI_OK)
			return;
	} else
		e = IPMI_E_TIMEOUT;
	if (e == IPMI_E_TIMEOUT && lp->flight == LPF_USER && lp->bridge &&
	    lp->br_acked) {
		/* the BMC accepted Send Message: the session is alive,
		 * the target does not answer */
		const struct ipmi_req *req = ipmi_tr_cur(tr);

		ipmi_tr_seterr(tr, lp_step[lp->st], "no response from "
		    "0x%02x (channel %u) through the BMC after %u tries",
		    req ? req->target_addr : 0, req ? req->target_chan : 0,
		    lp->tries);
		lp_idle(lp, now);
		ipmi_tr_complete(tr, e, now);
		return;
	}
	if (e == IPMI_E_TIMEOUT && strstr(tr->err, "refused") == NULL)
		ipmi_tr_seterr(tr, lp_step[lp->st], "no response after %u "
		    "tries", lp->tries);
	switch (lp->flight) {
	case LPF_USER:
		/* a session that stops answering is presumed lost: the
		 * next request sets up a new one */
		lp_reset(lp);
		ipmi_tr_complete(tr, e, now);
		return;
	case LPF_KEEPALIVE:
		lp_reset(lp);
		return;
	case LPF_SETUP:
		if (lp->st == LP_SUITES) {
			/* not answered: fall back to 17, then 3 */
			tr->err[0] = '\0';
			lp->flight = LPF_NONE;
			lp->ncand = 0;
			lp_setup_next(lp, now);
			return;
		}
		if (lp->st == LP_CLOSING) {
			lp_closed(lp);
			return;
		}
		lp_setup_fail(lp, e);
		return;
	case LPF_NONE:
		return;
	}
}

static void
lp_close(struct ipmi_tr *tr, uint64_t now)
{
	struct lanplus *lp = (struct lanplus *)tr;

	lp_win_fail_all(lp, IPMI_E_CLOSED);
	if (lp->st != LP_OPEN) {
		lp_reset(lp);
		ipmi_tr_closed(tr);
		return;
	}
	/* a request or keepalive may be in flight: ipmi_tr_close failed
	 * the request already; its late answer will not match */
	lp->flight = LPF_NONE;
	lp_send_close(lp, 0, now);
}

static enum ipmi_err
lp_send_payload(struct ipmi_tr *tr, uint8_t ptype, const uint8_t *p,
    size_t len, uint64_t now)
{
	struct lanplus *lp = (struct lanplus *)tr;

	(void)now;
	if (lp->st != LP_OPEN || !lp->in_session)
		return IPMI_E_SESSION;
	if (ptype == RMCPP_PT_IPMI || ptype > 0x3f)
		return IPMI_E_UNSUPPORTED;
	return lp_wrap_send(lp, ptype, p, len);
}

static void
lp_free(struct ipmi_tr *tr)
{
	struct lanplus *lp = (struct lanplus *)tr;

	if (tr->fd >= 0)
		(void)close(tr->fd);
	lp_wipe_keys(lp);
	lcr_cleanse(lp->kuid, sizeof(lp->kuid));
	ipmi_tr_base_fini(tr);
	free(lp);
}

static const struct ipmi_tr_ops lanplus_ops = {
	.name = "lanplus",
	.start = lp_start,
	.readable = lp_readable,
	.timeout = lp_timeout,
	.close = lp_close,
	.free = lp_free,
	.input = lp_input_op,
	.payload_send = lp_send_payload,
	.ready = lp_ready,
	.window = lp_window,
};

struct ipmi_tr *
lanplus_new(const struct ipmi_tr_cfg *cfg, char *err, size_t errlen)
{
	struct lanplus *lp;
	struct lcr_suite s;

	if (cfg->cipher != IPMI_CIPHER_AUTO && lcr_suite(cfg->cipher, &s) != 0) {
		(void)snprintf(err, errlen, "cipher suite %d is not supported "
		    "(use 0-3, 6-8, 11, 12, 15-17)", cfg->cipher);
		return NULL;
	}
	if (cfg->cipher == 0 && !cfg->allow_none) {
		(void)snprintf(err, errlen, "cipher suite 0 (no "
		    "authentication) refused unless explicitly allowed");
		return NULL;
	}
	if ((lp = calloc(1, sizeof(*lp))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ipmi_tr_base_init(&lp->tr, &lanplus_ops, cfg);
	lp->auto_suite = cfg->cipher == IPMI_CIPHER_AUTO;
	lp->win_cur = cfg->max_outstanding == 0 ? 1 : cfg->max_outstanding;
	if (lp->win_cur > IPMI_TR_WINDOW_MAX)
		lp->win_cur = IPMI_TR_WINDOW_MAX;
	lp->win_max = lp->win_cur;
	memcpy(lp->kuid, cfg->password, cfg->pwlen);
	if (lcr_random(&lp->rq_seq, 1) != 0)
		lp->rq_seq = 0;
	lp->tr.fd = lan_udp_open(cfg->host, lp->tr.cfg.port, &cfg->addr,
	    cfg->addrlen, err, errlen);
	if (lp->tr.fd < 0) {
		lp_free(&lp->tr);
		return NULL;
	}
	lp_reset(lp);
	return &lp->tr;
}

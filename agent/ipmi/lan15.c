/*
 * IPMI 1.5 LAN session transport ("lan"): a non-blocking state machine
 * driven by ipmi_tr_readable / ipmi_tr_timeout.
 *
 *   CLOSED -> AUTHCAP -> CHALLENGE -> ACTIVATE -> [SETPRIV] -> OPEN
 *          -> CLOSING -> CLOSED
 *
 * References: IPMI v2.0 sections 13.6 (IPMI 1.5 session header), 13.14
 * (session activation), 22.13 (Get Channel Authentication Capabilities),
 * 22.16-22.19 (Get Session Challenge, Activate Session, Set Session
 * Privilege Level, Close Session), 22.17.1 (MD5 auth code), 6.12.12-13
 * (session sequence numbers and their window).
 *
 * Choices:
 * - Auth type: a forced cfg.authtype must be offered by the BMC; else
 *   the best offered of MD5, then straight password.  NONE only with
 *   cfg.allow_none; MD2 and OEM are refused.
 * - Per-message authentication: the Activate Session response names the
 *   "authentication type for the remainder of the session" (table
 *   22-21); that is what we use afterwards.  A BMC with per-message
 *   authentication disabled may name NONE there: unauthenticated
 *   packets could then be forged by anyone on the path, so we accept it
 *   only with cfg.allow_none.  ipmi_sim always keeps the negotiated
 *   type (and checks it on every packet), as ipmitool does.
 * - Inbound packets are checked for session id, auth type, auth code
 *   (constant-time), sequence window (8, section 6.12.13), message
 *   checksums and rqSeq/netfn/cmd; failures are counted in
 *   stats.dropped and ignored, so a forged packet cannot end a request
 *   early: it still times out or gets the real answer.
 * - Bridged requests (req->bridged) go out as Send Message with response
 *   tracking (sections 6.12.3, 22.7), both answer shapes accepted, as
 *   in lanplus.c (see there and ipmi_bridge_rsp in ipmi.h): the inner
 *   IPMB request has rqSA 20h and the outer rqSeq; Send Message's
 *   acceptance (00h, no data) restarts the attempt's timer for the
 *   target's separate answer; a non-zero Send Message completion code
 *   completes the request; a timeout resends the whole Send Message;
 *   a timeout after the BMC accepted does not drop the session.
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

enum l15_state {
	L15_CLOSED,
	L15_AUTHCAP,
	L15_CHALLENGE,
	L15_ACTIVATE,
	L15_SETPRIV,
	L15_OPEN,
	L15_CLOSING
};

static const char *const l15_step[] = {
	[L15_CLOSED] = "session",
	[L15_AUTHCAP] = "Get Channel Authentication Capabilities",
	[L15_CHALLENGE] = "Get Session Challenge",
	[L15_ACTIVATE] = "Activate Session",
	[L15_SETPRIV] = "Set Session Privilege Level",
	[L15_OPEN] = "request",
	[L15_CLOSING] = "Close Session",
};

/* what occupies the single in-flight slot */
enum l15_flight {
	L15F_NONE,
	L15F_SETUP,	/* handshake step of the current state */
	L15F_USER,	/* ipmi_tr_cur() */
	L15F_KEEPALIVE
};

/* how the packet in flight is wrapped, section 13.6 */
enum l15_hdr {
	L15H_NOSESS,	/* auth NONE, seq 0, sid 0 */
	L15H_ACTIVATE,	/* chosen auth, seq 0, temporary sid */
	L15H_SESSION	/* session auth, session seq, session id */
};

#define L15_PW_LEN	16	/* IPMI 1.5 passwords, section 22.17 */
#define L15_SEQ_WINDOW	8	/* section 6.12.13 */
/* a LAN message is 7 bytes of framing + data, length in one byte */
#define L15_MAX_REQ	(255 - 7)

struct lan15 {
	struct ipmi_tr	 tr;
	enum l15_state	 st;
	enum l15_flight	 flight;
	uint8_t		 pw[L15_PW_LEN];	/* zero padded */
	uint8_t		 chosen;	/* auth type for Challenge/Activate */
	uint8_t		 sauth;		/* auth type for the session */
	uint32_t	 temp_sid;
	uint32_t	 sid;
	uint32_t	 out_seq;	/* next session seq we send */
	uint8_t		 challenge[16];
	struct lan_seqwin win;
	uint8_t		 rq_seq;	/* 6 bits */
	/* the request in flight, kept to re-send it */
	struct ipmi_req	 req;
	unsigned	 tries;		/* transmissions so far */
	unsigned	 max_tries;
	uint64_t	 sent_at;
	int		 last_errno;	/* last socket error, for the text */
	int		 br_acked;	/* bridged: Send Message accepted */
};

static void	l15_send_user(struct lan15 *, uint64_t);

/* ---- pure helpers (unit-tested) ---- */

/*
 * Choose the auth type from the Get Channel Authentication Capabilities
 * bit mask.  Returns the type, or -1 with a message in err.
 */
static int
l15_pick_auth(uint8_t offered, int forced, unsigned allow_none, char *err,
    size_t errlen)
{
	char list[64];
	size_t n = 0;
	static const struct {
		uint8_t		 type;
		const char	*name;
	} names[] = {
		{ IPMI_AUTH_NONE, "NONE" }, { IPMI_AUTH_MD2, "MD2" },
		{ IPMI_AUTH_MD5, "MD5" }, { IPMI_AUTH_STRAIGHT, "PASSWORD" },
		{ IPMI_AUTH_OEM, "OEM" },
	};
	size_t i;

	list[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int k;

		if (!(offered & (1u << names[i].type)))
			continue;
		k = snprintf(list + n, sizeof(list) - n, "%s%s",
		    n ? " " : "", names[i].name);
		if (k > 0 && (size_t)k < sizeof(list) - n)
			n += (size_t)k;
	}
	if (n == 0)
		(void)snprintf(list, sizeof(list), "none at all");

	if (forced >= 0) {
		switch (forced) {
		case IPMI_AUTH_MD2:
			(void)snprintf(err, errlen, "auth type MD2 is not "
			    "supported; use MD5 or PASSWORD");
			return -1;
		case IPMI_AUTH_OEM:
			(void)snprintf(err, errlen, "OEM auth type is not "
			    "supported");
			return -1;
		case IPMI_AUTH_NONE:
			if (!allow_none) {
				(void)snprintf(err, errlen, "auth type NONE "
				    "sends no password check and no per-"
				    "packet authentication; pass the "
				    "allow-none option to use it");
				return -1;
			}
			break;
		case IPMI_AUTH_MD5:
		case IPMI_AUTH_STRAIGHT:
			break;
		default:
			(void)snprintf(err, errlen, "invalid auth type %d",
			    forced);
			return -1;
		}
		if (!(offered & (1u << forced))) {
			(void)snprintf(err, errlen, "the BMC does not offer "
			    "auth type %s (it offers: %s)",
			    forced == IPMI_AUTH_MD5 ? "MD5" :
			    forced == IPMI_AUTH_STRAIGHT ? "PASSWORD" : "NONE",
			    list);
			return -1;
		}
		return forced;
	}
	if (offered & (1u << IPMI_AUTH_MD5))
		return IPMI_AUTH_MD5;
	if (offered & (1u << IPMI_AUTH_STRAIGHT))
		return IPMI_AUTH_STRAIGHT;
	if (offered & (1u << IPMI_AUTH_NONE)) {
		if (allow_none)
			return IPMI_AUTH_NONE;
		(void)snprintf(err, errlen, "the BMC offers no usable "
		    "authentication (it offers: %s); pass the allow-none "
		    "option to accept unauthenticated sessions", list);
		return -1;
	}
	(void)snprintf(err, errlen, "no supported auth type offered (it "
	    "offers: %s; MD2 and OEM are not supported)", list);
	return -1;
}

/*
 * The 16-byte auth code of an IPMI 1.5 packet, section 22.17.1: MD5
 * over password, session id, message, session seq, password; or the
 * padded password itself for "straight password".  msg is the whole
 * LAN message (rsSA .. checksum 2).  0 or -1 (NONE has no auth code).
 */
static int
l15_authcode(uint8_t type, const uint8_t pw[L15_PW_LEN], uint32_t sid,
    uint32_t seq, const uint8_t *msg, size_t mlen, uint8_t out[16])
{
	switch (type) {
	case IPMI_AUTH_MD5:
		return lcr_md5_authcode(pw, sid, msg, mlen, seq, out);
	case IPMI_AUTH_STRAIGHT:
		memcpy(out, pw, L15_PW_LEN);
		return 0;
	default:
		return -1;
	}
}

/* 0 if the packet's auth code is right for the auth type */
static int
l15_authcode_ok(uint8_t type, const uint8_t pw[L15_PW_LEN],
    const struct lan_pkt *pk)
{
	uint8_t code[16];
	int bad;

	if (type == IPMI_AUTH_NONE)
		return pk->authcode15 == NULL ? 0 : -1;
	if (pk->authcode15 == NULL)
		return -1;
	if (l15_authcode(type, pw, pk->sid, pk->seq, pk->payload, pk->plen,
	    code) != 0)
		return -1;
	bad = lcr_memcmp(code, pk->authcode15, sizeof(code));
	lcr_cleanse(code, sizeof(code));
	return bad ? -1 : 0;
}

static enum l15_hdr
l15_hdr(const struct lan15 *l)
{
	switch (l->st) {
	case L15_AUTHCAP:
	case L15_CHALLENGE:
		return L15H_NOSESS;
	case L15_ACTIVATE:
		return L15H_ACTIVATE;
	default:
		return L15H_SESSION;
	}
}

/*
 * Build the packet for l->req with the header of the current state.
 * Session packets take the next session seq (retransmits too, section
 * 6.12.12: every packet gets a new number).  Returns length or -1.
 */
static int
l15_frame(struct lan15 *l, uint8_t *out, size_t cap)
{
	uint8_t msg[LAN_PKT_MAX], code[16];
	uint8_t type = IPMI_AUTH_NONE;
	uint32_t sid = 0, seq = 0;
	struct ipmi_req outer;
	const struct ipmi_req *req = &l->req;
	int mlen, n;

	if (req->bridged) {
		if (ipmi_bridge_req(&outer, l->rq_seq, req) != 0)
			return -1;
		req = &outer;
	}
	mlen = ipmi_msg_encode(msg, sizeof(msg), IPMI_BMC_SLAVE_ADDR,
	    IPMI_REMOTE_SWID, l->rq_seq, req);
	if (mlen < 0 || mlen > 255)
		return -1;
	switch (l15_hdr(l)) {
	case L15H_NOSESS:
		break;
	case L15H_ACTIVATE:
		type = l->chosen;
		sid = l->temp_sid;
		break;
	case L15H_SESSION:
		type = l->sauth;
		sid = l->sid;
		seq = l->out_seq++;
		if (l->out_seq == 0)	/* 0 is never used in a session */
			l->out_seq = 1;
		break;
	}
	if (type != IPMI_AUTH_NONE && l15_authcode(type, l->pw, sid, seq,
	    msg, (size_t)mlen, code) != 0)
		return -1;
	n = lan15_encode(out, cap, type, seq, sid,
	    type != IPMI_AUTH_NONE ? code : NULL, msg, (size_t)mlen);
	lcr_cleanse(code, sizeof(code));
	return n;
}

/*
 * Check a received packet against what is in flight and decode its
 * message into rsp.  IPMI_OK or the protocol error it was dropped for.
 * Sequence numbers are recorded only once the packet is authentic.
 * For a bridged request *br says what the message is (ipmi_bridge_rsp;
 * IPMI_BRIDGE_BAD with the error in *brerr), else it stays DONE.
 */
static enum ipmi_err
l15_check(struct lan15 *l, const uint8_t *p, size_t len,
    struct ipmi_rsp *rsp, enum ipmi_bridge_st *br, enum ipmi_err *brerr)
{
	struct lan_pkt pk;
	struct ipmi_msg_hdr h;
	enum ipmi_err e;
	enum l15_hdr hdr = l15_hdr(l);

	if ((e = lan_decode(p, len, 0, &pk)) != IPMI_OK)
		return e;
	if (pk.rmcp_class != RMCP_CLASS_IPMI || pk.authtype == IPMI_AUTH_RMCPP)
		return IPMI_E_PROTO;
	switch (hdr) {
	case L15H_NOSESS:
		if (pk.authtype != IPMI_AUTH_NONE || pk.sid != 0)
			return IPMI_E_PROTO;
		break;
	case L15H_ACTIVATE:
		/* sid is checked below: temporary or the new one */
		if (pk.authtype != l->chosen)
			return IPMI_E_PROTO;
		if (l15_authcode_ok(l->chosen, l->pw, &pk) != 0)
			return IPMI_E_AUTHCODE;
		break;
	case L15H_SESSION:
		if (pk.authtype != l->sauth || pk.sid != l->sid)
			return IPMI_E_PROTO;
		if (l15_authcode_ok(l->sauth, l->pw, &pk) != 0)
			return IPMI_E_AUTHCODE;
		if (lan_seqwin_check(&l->win, pk.seq, L15_SEQ_WINDOW) != 0)
			return IPMI_E_SEQUENCE;
		break;
	}
	*br = IPMI_BRIDGE_DONE;
	*brerr = IPMI_OK;
	if (hdr == L15H_SESSION && l->flight == L15F_USER && l->req.bridged) {
		struct ipmi_rsp outer;

		/* the separate answer comes from the target (rsSA) to the
		 * BMC (rqSA 20h on ipmi_sim): ipmi_bridge_rsp checks */
		if ((e = ipmi_msg_decode_rsp(pk.payload, pk.plen, &h,
		    &outer)) != IPMI_OK)
			return e;
		*br = ipmi_bridge_rsp(&h, &outer, &l->req, l->rq_seq, rsp,
		    brerr);
		if (*br == IPMI_BRIDGE_OTHER)
			return IPMI_E_PROTO;
		return IPMI_OK;
	}
	if ((e = ipmi_msg_decode_rsp(pk.payload, pk.plen, &h, rsp)) !=
	    IPMI_OK)
		return e;
	if (h.rq_sa != IPMI_REMOTE_SWID || h.rs_sa != IPMI_BMC_SLAVE_ADDR ||
	    h.rq_seq != l->rq_seq || h.netfn != (l->req.netfn | 1) ||
	    h.cmd != l->req.cmd)
		return IPMI_E_PROTO;
	if (hdr == L15H_ACTIVATE && pk.sid != l->temp_sid) {
		/* some BMCs answer with the new session id */
		struct app_activate a;

		if (rsp->ccode != IPMI_CC_OK ||
		    app_activate_decode(rsp->data, rsp->len, &a) != IPMI_OK ||
		    a.sid != pk.sid)
			return IPMI_E_PROTO;
	}
	return IPMI_OK;
}

/* ---- sending ---- */

static void
l15_set_deadline(struct lan15 *l, uint64_t now)
{
	if (l->flight != L15F_NONE)
		l->tr.deadline = l->sent_at + l->tr.cfg.timeout_ms;
	else if (l->st == L15_OPEN && l->tr.cfg.keepalive_ms > 0)
		l->tr.deadline = now + l->tr.cfg.keepalive_ms;
	else
		l->tr.deadline = 0;
}

/* (Re)transmit l->req. */
static enum ipmi_err
l15_xmit(struct lan15 *l, uint64_t now)
{
	uint8_t pkt[LAN_PKT_MAX];
	int n;

	if ((n = l15_frame(l, pkt, sizeof(pkt))) < 0) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "cannot encode "
		    "request");
		return IPMI_E_LENGTH;
	}
	l->tries++;
	l->sent_at = now;
	l->tr.deadline = now + l->tr.cfg.timeout_ms;
	if (lan_udp_send(l->tr.fd, pkt, (size_t)n) != 0) {
		/* ICMP errors (nobody listening, unreachable) surface
		 * here or on recv: keep the retry budget running and
		 * report them when it is spent */
		l->last_errno = errno;
		if (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
		    errno != ENETUNREACH && errno != EAGAIN &&
		    errno != ENOBUFS) {
			ipmi_tr_seterr(&l->tr, l15_step[l->st], "send: %s",
			    strerror(errno));
			return IPMI_E_IO;
		}
		return IPMI_OK;
	}
	l->tr.stats.packets_out++;
	return IPMI_OK;
}

/* Put a new request on the wire. */
static enum ipmi_err
l15_send_new(struct lan15 *l, enum l15_flight f, const struct ipmi_req *req,
    uint64_t now)
{
	l->req = *req;
	l->rq_seq = (l->rq_seq + 1) & 0x3f;
	l->br_acked = 0;
	l->flight = f;
	l->tries = 0;
	l->max_tries = l->tr.cfg.retries + 1;
	return l15_xmit(l, now);
}

/* Forget the session without telling the BMC. */
static void
l15_reset(struct lan15 *l)
{
	lcr_cleanse(l->challenge, sizeof(l->challenge));
	l->st = L15_CLOSED;
	l->flight = L15F_NONE;
	l->temp_sid = l->sid = 0;
	l->out_seq = 0;
	memset(&l->win, 0, sizeof(l->win));
	l->tr.deadline = 0;
}

/* Session setup failed: every queued request fails with e. */
static void
l15_setup_fail(struct lan15 *l, enum ipmi_err e)
{
	l15_reset(l);
	ipmi_tr_fail_all(&l->tr, e);
}

/* Send the handshake request of state st; on failure fail the setup. */
static void
l15_setup_send(struct lan15 *l, enum l15_state st, const struct ipmi_req *req,
    uint64_t now)
{
	enum ipmi_err e;

	l->st = st;
	if ((e = l15_send_new(l, L15F_SETUP, req, now)) != IPMI_OK)
		l15_setup_fail(l, e);
}

/* Tell the BMC the session is over, without waiting for the answer:
 * used when setup fails after activation, to free the BMC's slot.
 * Callers set their error text afterwards (a send error lands here). */
static void
l15_close_quietly(struct lan15 *l, uint64_t now)
{
	struct ipmi_req req;
	enum l15_state st = l->st;

	app_close_req(&req, l->sid);
	l->st = L15_OPEN;	/* session header */
	l->req = req;
	l->br_acked = 0;
	l->rq_seq = (l->rq_seq + 1) & 0x3f;
	(void)l15_xmit(l, now);
	l->st = st;
}

static void
l15_begin(struct lan15 *l, uint64_t now)
{
	struct ipmi_req req;

	l15_reset(l);
	l->last_errno = 0;
	app_authcap_req(&req, l->tr.cfg.priv, 0);
	l15_setup_send(l, L15_AUTHCAP, &req, now);
}

/* ---- handshake responses ---- */

static int
l15_ccode_fail(struct lan15 *l, const struct ipmi_rsp *rsp)
{
	char cc[IPMI_CCODE_TEXT_MAX];

	if (rsp->ccode == IPMI_CC_OK)
		return 0;
	ipmi_tr_seterr(&l->tr, l15_step[l->st], "%s", ipmi_ccode_fmt(cc,
	    sizeof(cc), rsp->netfn, rsp->cmd, rsp->ccode));
	return -1;
}

static void
l15_on_authcap(struct lan15 *l, const struct ipmi_rsp *rsp, uint64_t now)
{
	struct app_authcap a;
	struct ipmi_req req;
	char msg[200], cc[IPMI_CCODE_TEXT_MAX];
	int t;

	if (rsp->ccode == IPMI_CC_INVALID_DATA_FIELD) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "%s: privilege %s "
		    "above the channel limit?", ipmi_ccode_fmt(cc, sizeof(cc),
		    rsp->netfn, rsp->cmd, rsp->ccode),
		    ipmi_priv_name(l->tr.cfg.priv));
		l15_setup_fail(l, IPMI_E_AUTH);
		return;
	}
	if (l15_ccode_fail(l, rsp) != 0) {
		l15_setup_fail(l, IPMI_E_AUTH);
		return;
	}
	if (app_authcap_decode(rsp->data, rsp->len, &a) != IPMI_OK) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "short response");
		l15_setup_fail(l, IPMI_E_LENGTH);
		return;
	}
	if ((t = l15_pick_auth(a.authtypes, l->tr.cfg.authtype,
	    l->tr.cfg.allow_none, msg, sizeof(msg))) < 0) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "%s", msg);
		l15_setup_fail(l, IPMI_E_UNSUPPORTED);
		return;
	}
	l->chosen = (uint8_t)t;
	app_challenge_req(&req, l->chosen, l->tr.cfg.user);
	l15_setup_send(l, L15_CHALLENGE, &req, now);
}

static void
l15_on_challenge(struct lan15 *l, const struct ipmi_rsp *rsp, uint64_t now)
{
	struct app_challenge c;
	struct ipmi_req req;
	uint32_t bmc_seq = 0;

	if (l15_ccode_fail(l, rsp) != 0) {
		l15_setup_fail(l, IPMI_E_AUTH);
		return;
	}
	if (app_challenge_decode(rsp->data, rsp->len, &c) != IPMI_OK) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "short response");
		l15_setup_fail(l, IPMI_E_LENGTH);
		return;
	}
	if (c.temp_sid == 0) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "BMC gave temporary "
		    "session id 0");
		l15_setup_fail(l, IPMI_E_PROTO);
		return;
	}
	l->temp_sid = c.temp_sid;
	memcpy(l->challenge, c.challenge, sizeof(l->challenge));
	lcr_cleanse(&c, sizeof(c));
	/* initial outbound seq: the BMC numbers its packets from here;
	 * random and non-zero (section 22.17) */
	while (bmc_seq == 0)
		if (lcr_random((uint8_t *)&bmc_seq, sizeof(bmc_seq)) != 0) {
			ipmi_tr_seterr(&l->tr, "Activate Session",
			    "no random bytes");
			l15_setup_fail(l, IPMI_E_IO);
			return;
		}
	app_activate_req(&req, l->chosen, l->tr.cfg.priv, l->challenge,
	    bmc_seq);
	l15_setup_send(l, L15_ACTIVATE, &req, now);
}

static void
l15_opened(struct lan15 *l, uint64_t now)
{
	l->st = L15_OPEN;
	l->flight = L15F_NONE;
	l->tr.authtype = l->sauth;
	l->tr.stats.sessions++;
	l15_send_user(l, now);
}

static void
l15_on_activate(struct lan15 *l, const struct ipmi_rsp *rsp, uint64_t now)
{
	struct app_activate a;
	struct ipmi_req req;
	char cc[IPMI_CCODE_TEXT_MAX];

	if (rsp->ccode == 0x86) {
		/* privilege above the user's or channel's limit */
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "%s: asked for %s",
		    ipmi_ccode_fmt(cc, sizeof(cc), rsp->netfn, rsp->cmd,
		    rsp->ccode), ipmi_priv_name(l->tr.cfg.priv));
		l15_setup_fail(l, IPMI_E_AUTH);
		return;
	}
	if (l15_ccode_fail(l, rsp) != 0) {
		l15_setup_fail(l, IPMI_E_AUTH);
		return;
	}
	if (app_activate_decode(rsp->data, rsp->len, &a) != IPMI_OK) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "short response");
		l15_setup_fail(l, IPMI_E_LENGTH);
		return;
	}
	lcr_cleanse(l->challenge, sizeof(l->challenge));
	if (a.sid == 0) {
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "BMC gave session "
		    "id 0");
		l15_setup_fail(l, IPMI_E_PROTO);
		return;
	}
	l->sid = a.sid;
	/* "authentication type for remainder of session", table 22-21 */
	if (a.authtype != l->chosen) {
		if (a.authtype != IPMI_AUTH_NONE) {
			ipmi_tr_seterr(&l->tr, l15_step[l->st], "BMC chose "
			    "auth type %u for the session, not %u",
			    a.authtype, l->chosen);
			l15_setup_fail(l, IPMI_E_PROTO);
			return;
		}
		if (!l->tr.cfg.allow_none) {
			l->sauth = l->chosen;
			l->out_seq = a.initial_inbound_seq ?
			    a.initial_inbound_seq : 1;
			l15_close_quietly(l, now);
			ipmi_tr_seterr(&l->tr, l15_step[l->st], "the BMC has "
			    "per-message authentication disabled (session "
			    "packets unauthenticated); pass the allow-none "
			    "option to accept that");
			l15_setup_fail(l, IPMI_E_AUTH);
			return;
		}
	}
	l->sauth = a.authtype;
	l->out_seq = a.initial_inbound_seq ? a.initial_inbound_seq : 1;
	/* the session's packets start a new sequence space */
	memset(&l->win, 0, sizeof(l->win));
	if (l->tr.cfg.priv > IPMI_PRIV_USER) {
		/* sessions start at user level (section 22.18) */
		app_setpriv_req(&req, l->tr.cfg.priv);
		l15_setup_send(l, L15_SETPRIV, &req, now);
		return;
	}
	l15_opened(l, now);
}

static void
l15_on_setpriv(struct lan15 *l, const struct ipmi_rsp *rsp, uint64_t now)
{
	char cc[IPMI_CCODE_TEXT_MAX];

	if (rsp->ccode != IPMI_CC_OK) {
		l15_close_quietly(l, now);
		ipmi_tr_seterr(&l->tr, l15_step[l->st], "%s: %s",
		    ipmi_priv_name(l->tr.cfg.priv), ipmi_ccode_fmt(cc,
		    sizeof(cc), rsp->netfn, rsp->cmd, rsp->ccode));
		l15_setup_fail(l, IPMI_E_AUTH);
		return;
	}
	l15_opened(l, now);
}

/* ---- requests in the session ---- */

static void
l15_send_user(struct lan15 *l, uint64_t now)
{
	const struct ipmi_req *req = ipmi_tr_cur(&l->tr);
	enum ipmi_err e;

	if (req == NULL || l->flight != L15F_NONE || l->st != L15_OPEN)
		return;
	if ((e = l15_send_new(l, L15F_USER, req, now)) != IPMI_OK) {
		l->flight = L15F_NONE;
		ipmi_tr_complete(&l->tr, e, now);
	}
}

/* A valid response to what is in flight arrived. */
static void
l15_on_rsp(struct lan15 *l, const struct ipmi_rsp *rsp, uint64_t now)
{
	enum l15_flight f = l->flight;

	l->flight = L15F_NONE;
	l->last_errno = 0;
	switch (f) {
	case L15F_USER:
		l->tr.rsp = *rsp;
		ipmi_tr_complete(&l->tr, IPMI_OK, now);
		return;
	case L15F_KEEPALIVE:
		l15_send_user(l, now);
		return;
	case L15F_NONE:
		return;
	case L15F_SETUP:
		break;
	}
	switch (l->st) {
	case L15_AUTHCAP:
		l15_on_authcap(l, rsp, now);
		return;
	case L15_CHALLENGE:
		l15_on_challenge(l, rsp, now);
		return;
	case L15_ACTIVATE:
		l15_on_activate(l, rsp, now);
		return;
	case L15_SETPRIV:
		l15_on_setpriv(l, rsp, now);
		return;
	case L15_CLOSING:
		l15_reset(l);
		ipmi_tr_closed(&l->tr);
		return;
	default:
		return;
	}
}

/* ---- ops ---- */

static enum ipmi_err
l15_start(struct ipmi_tr *tr, uint64_t now)
{
	struct lan15 *l = (struct lan15 *)tr;
	const struct ipmi_req *req = ipmi_tr_cur(tr);

	if (req == NULL)
		return IPMI_OK;
	/* bridged: channel byte and 7 bytes of IPMB framing more */
	if (req->len > L15_MAX_REQ - (req->bridged ? 8 : 0)) {
		ipmi_tr_seterr(tr, "request", "request data too long for "
		    "IPMI 1.5 LAN (%u bytes, max %u%s)", req->len,
		    (unsigned)L15_MAX_REQ - (req->bridged ? 8 : 0),
		    req->bridged ? " bridged" : "");
		return IPMI_E_LENGTH;
	}
	switch (l->st) {
	case L15_CLOSED:
		l15_begin(l, now);
		break;
	case L15_OPEN:
		/* behind a keepalive: sent when it is answered */
		l15_send_user(l, now);
		break;
	default:
		break;
	}
	if (l->flight == L15F_NONE && l->st == L15_OPEN)
		l15_set_deadline(l, now);
	return IPMI_OK;
}

static void
l15_input(struct lan15 *l, const uint8_t *p, size_t len, uint64_t now)
{
	struct ipmi_rsp rsp;
	enum ipmi_bridge_st br;
	enum ipmi_err brerr;

	if (l->flight == L15F_NONE ||
	    l15_check(l, p, len, &rsp, &br, &brerr) != IPMI_OK) {
		l->tr.stats.dropped++;
		return;
	}
	switch (br) {
	case IPMI_BRIDGE_ACCEPTED:
		/* the target's answer gets a full attempt of its own; a
		 * resend accepted again changes nothing */
		if (!l->br_acked) {
			l->br_acked = 1;
			l->last_errno = 0;
			l->sent_at = now;
			l15_set_deadline(l, now);
		}
		return;
	case IPMI_BRIDGE_BAD:
		ipmi_tr_seterr(&l->tr, "request", "bridged response from "
		    "0x%02x (channel %u): %s", l->req.target_addr,
		    l->req.target_chan, ipmi_strerror(brerr));
		l->flight = L15F_NONE;
		l15_set_deadline(l, now);
		ipmi_tr_complete(&l->tr, brerr, now);
		return;
	case IPMI_BRIDGE_OTHER:
	case IPMI_BRIDGE_DONE:
		break;
	}
	l15_on_rsp(l, &rsp, now);
	if (l->flight == L15F_NONE)
		l15_set_deadline(l, now);
}

static void
l15_input_op(struct ipmi_tr *tr, const uint8_t *p, size_t len, uint64_t now)
{
	l15_input((struct lan15 *)tr, p, len, now);
}

static void
l15_readable(struct ipmi_tr *tr, uint64_t now)
{
	struct lan15 *l = (struct lan15 *)tr;
	uint8_t pkt[LAN_PKT_MAX];
	ssize_t n;
	int budget = 64;	/* bounded work per wakeup */

	while (budget-- > 0 && tr->fd >= 0) {
		n = lan_udp_recv(tr->fd, pkt, sizeof(pkt));
		if (n == 0)
			return;
		if (n < 0) {
			/* ICMP port unreachable etc.: the timer decides */
			l->last_errno = errno;
			if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
			    errno == ENETUNREACH)
				continue;
			return;
		}
		tr->stats.packets_in++;
		if ((size_t)n > sizeof(pkt)) {
			tr->stats.dropped++;
			continue;
		}
		l15_input(l, pkt, (size_t)n, now);
	}
}

static void
l15_timeout(struct ipmi_tr *tr, uint64_t now)
{
	struct lan15 *l = (struct lan15 *)tr;
	struct ipmi_req req;
	enum ipmi_err e = IPMI_E_TIMEOUT;
	enum l15_flight f;
	char step[64];

	if (l->flight == L15F_NONE) {
		/* idle in an open session: keepalive (BMC session
		 * timeouts are typically 30-60 s); a queued request
		 * about to start keeps the session alive itself */
		if (l->st == L15_OPEN && tr->cfg.keepalive_ms > 0 &&
		    tr->count > 0) {
			tr->deadline = now + tr->cfg.keepalive_ms;
			return;
		}
		if (l->st == L15_OPEN && tr->cfg.keepalive_ms > 0) {
			app_devid_req(&req);
			if (l15_send_new(l, L15F_KEEPALIVE, &req, now) ==
			    IPMI_OK)
				return;
			l15_reset(l);
		}
		tr->deadline = 0;
		return;
	}
	if (now < l->sent_at + tr->cfg.timeout_ms) {
		tr->deadline = l->sent_at + tr->cfg.timeout_ms;
		return;
	}
	if (l->tries < l->max_tries) {
		tr->stats.retransmits++;
		if ((e = l15_xmit(l, now)) == IPMI_OK)
			return;
	}
	/* the step is the command that went unanswered */
	if (l->flight == L15F_SETUP)
		(void)snprintf(step, sizeof(step), "%s", l15_step[l->st]);
	else if (l->flight == L15F_KEEPALIVE)
		(void)snprintf(step, sizeof(step), "Get Device ID "
		    "(keepalive)");
	else if (l->req.netfn == IPMI_NETFN_APP &&
	    l->req.cmd == IPMI_CMD_GET_DEVICE_ID)
		(void)snprintf(step, sizeof(step), "Get Device ID");
	else
		(void)snprintf(step, sizeof(step), "NetFn 0x%02x Cmd 0x%02x",
		    l->req.netfn, l->req.cmd);
	if (e == IPMI_E_TIMEOUT) {
		if (l->last_errno != 0)
			ipmi_tr_seterr(tr, step, "no response after %u tries "
			    "(%s: %s)", l->tries, tr->peer,
			    strerror(l->last_errno));
		else if (l->flight == L15F_SETUP && l->st == L15_ACTIVATE &&
		    l->chosen != IPMI_AUTH_NONE) {
			/* a BMC drops an Activate Session whose auth code
			 * it cannot verify (ipmi_sim does, silently) */
			ipmi_tr_seterr(tr, step, "no response after %u tries "
			    "(%s); wrong password?", l->tries, tr->peer);
			e = IPMI_E_AUTH;
		} else
			ipmi_tr_seterr(tr, step, "no response after %u tries "
			    "(%s)", l->tries, tr->peer);
	}
	f = l->flight;
	if (f == L15F_USER && e == IPMI_E_TIMEOUT && l->req.bridged &&
	    l->br_acked) {
		/* the BMC accepted Send Message: the session is alive,
		 * the target does not answer */
		ipmi_tr_seterr(tr, step, "no response from 0x%02x (channel "
		    "%u) through the BMC after %u tries", l->req.target_addr,
		    l->req.target_chan, l->tries);
		l->flight = L15F_NONE;
		l15_set_deadline(l, now);
		ipmi_tr_complete(tr, e, now);
		return;
	}
	switch (f) {
	case L15F_USER:
		/* a session that stops answering is presumed lost: the
		 * next request sets up a new one */
		l15_reset(l);
		ipmi_tr_complete(tr, e, now);
		return;
	case L15F_KEEPALIVE:
		l15_reset(l);
		/* a request waiting behind the keepalive opens a new
		 * session now: start_next will not call start for it */
		if (ipmi_tr_cur(tr) != NULL)
			l15_begin(l, now);
		return;
	case L15F_SETUP:
		if (l->st == L15_CLOSING) {
			l15_reset(l);
			ipmi_tr_closed(tr);
			return;
		}
		l15_setup_fail(l, e);
		return;
	case L15F_NONE:
		return;
	}
}

static void
l15_close(struct ipmi_tr *tr, uint64_t now)
{
	struct lan15 *l = (struct lan15 *)tr;
	struct ipmi_req req;
	enum l15_state st = l->st;

	/* a session exists on the BMC once Activate Session answered */
	if ((st != L15_OPEN && st != L15_SETPRIV) || l->sid == 0) {
		l15_reset(l);
		ipmi_tr_closed(tr);
		return;
	}
	l->flight = L15F_NONE;	/* a keepalive in flight is abandoned */
	app_close_req(&req, l->sid);
	l->st = L15_CLOSING;
	if (l15_send_new(l, L15F_SETUP, &req, now) != IPMI_OK) {
		l15_reset(l);
		ipmi_tr_closed(tr);
	}
}

static void
l15_free(struct ipmi_tr *tr)
{
	struct lan15 *l = (struct lan15 *)tr;

	if (tr->fd >= 0)
		(void)close(tr->fd);
	tr->fd = -1;
	ipmi_tr_base_fini(tr);
	lcr_cleanse(l, sizeof(*l));
	free(l);
}

static const struct ipmi_tr_ops l15_ops = {
	.name = "lan",
	.start = l15_start,
	.readable = l15_readable,
	.timeout = l15_timeout,
	.close = l15_close,
	.free = l15_free,
	.input = l15_input_op,
};

struct ipmi_tr *
lan15_new(const struct ipmi_tr_cfg *cfg, char *err, size_t errlen)
{
	struct lan15 *l;
	char msg[200];

	if (cfg->host[0] == '\0') {
		(void)snprintf(err, errlen, "lan: no host given");
		return NULL;
	}
	if (cfg->pwlen > L15_PW_LEN) {
		(void)snprintf(err, errlen, "lan: password is %u bytes; IPMI "
		    "1.5 allows 16 at most (use lanplus for 20)",
		    (unsigned)cfg->pwlen);
		return NULL;
	}
	if (strnlen(cfg->user, sizeof(cfg->user)) > 16) {
		(void)snprintf(err, errlen, "lan: user name longer than 16 "
		    "characters");
		return NULL;
	}
	/* a forced auth type we can never use is a configuration error:
	 * say so now rather than at every session setup */
	if (cfg->authtype >= 0 && l15_pick_auth(0x3f, cfg->authtype,
	    cfg->allow_none, msg, sizeof(msg)) < 0) {
		(void)snprintf(err, errlen, "lan: %s", msg);
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		(void)snprintf(err, errlen, "lan: out of memory");
		return NULL;
	}
	ipmi_tr_base_init(&l->tr, &l15_ops, cfg);
	memcpy(l->pw, cfg->password, cfg->pwlen);
	l->st = L15_CLOSED;
	l->tr.fd = lan_udp_open(l->tr.cfg.host, l->tr.cfg.port, &cfg->addr,
	    cfg->addrlen, err, errlen);
	if (l->tr.fd < 0) {
		l15_free(&l->tr);
		return NULL;
	}
	return &l->tr;
}

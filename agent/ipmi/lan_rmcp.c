/*
 * RMCP / IPMI 1.5 / RMCP+ framing and session-setup payloads (see
 * lan_rmcp.h).  Pure: everything outside goes through struct rbuf.
 */
#include <string.h>

#include "buf.h"
#include "lan_rmcp.h"

static void
wr_rmcp_hdr(struct wbuf *w)
{
	wr_u8(w, RMCP_VERSION_1);
	wr_u8(w, 0);
	wr_u8(w, RMCP_SEQ_NOACK);
	wr_u8(w, RMCP_CLASS_IPMI);
}

enum ipmi_err
lan_decode(const uint8_t *p, size_t len, size_t icv_len, struct lan_pkt *pk)
{
	struct rbuf r;
	uint8_t b;
	size_t plen;

	memset(pk, 0, sizeof(*pk));
	rb_init(&r, p, len);
	if (rd_u8(&r) != RMCP_VERSION_1)
		return r.err ? IPMI_E_LENGTH : IPMI_E_PROTO;
	rd_skip(&r, 2);
	pk->rmcp_class = rd_u8(&r) & 0x1f;	/* bit 7: ACK */
	if (r.err)
		return IPMI_E_LENGTH;
	if (pk->rmcp_class != RMCP_CLASS_IPMI) {
		pk->payload = rd_ptr(&r, rd_left(&r));
		pk->plen = len - 4;
		return IPMI_OK;
	}
	pk->authtype = rd_u8(&r) & 0x0f;
	if (pk->authtype != 6) {
		/* IPMI 1.5 session header, section 13.6 */
		pk->seq = rd_le32(&r);
		pk->sid = rd_le32(&r);
		if (pk->authtype != 0)
			pk->authcode15 = rd_ptr(&r, LAN15_AUTHCODE_LEN);
		plen = rd_u8(&r);
		pk->payload = rd_ptr(&r, plen);
		pk->plen = plen;
		/* a legacy pad byte may follow; anything longer is junk */
		if (r.err || rd_left(&r) > 1)
			return IPMI_E_LENGTH;
		return IPMI_OK;
	}
	/* RMCP+ session header, section 13.8 */
	pk->integ_off = r.off - 1;
	b = rd_u8(&r);
	pk->ptype = b & 0x3f;
	pk->encrypted = (b & RMCPP_ENCRYPTED) != 0;
	pk->authenticated = (b & RMCPP_AUTHENTICATED) != 0;
	if (pk->ptype == RMCPP_PT_OEM)
		rd_skip(&r, 6);		/* IANA + OEM payload id */
	pk->sid = rd_le32(&r);
	pk->seq = rd_le32(&r);
	plen = rd_le16(&r);
	pk->payload = rd_ptr(&r, plen);
	pk->plen = plen;
	if (r.err)
		return IPMI_E_LENGTH;
	if (!pk->authenticated || pk->sid == 0) {
		if (rd_left(&r) != 0)
			return IPMI_E_LENGTH;
		return IPMI_OK;
	}
	/* integrity pad (FFh) so that authtype..next header is a multiple
	 * of four, pad length, next header, auth code (section 13.28) */
	if (rd_left(&r) < 2 + icv_len)
		return IPMI_E_LENGTH;
	{
		size_t padlen = rd_left(&r) - 2 - icv_len;
		const uint8_t *pad = rd_ptr(&r, padlen);
		size_t i;

		if (padlen > 3 || rd_u8(&r) != padlen)
			return IPMI_E_PROTO;
		for (i = 0; i < padlen; i++)
			if (pad[i] != 0xff)
				return IPMI_E_PROTO;
	}
	if (rd_u8(&r) != RMCPP_NEXT_HEADER)
		return IPMI_E_PROTO;
	pk->integ_len = r.off - pk->integ_off;
	pk->trailer = rd_ptr(&r, icv_len);
	pk->trailer_len = icv_len;
	if (r.err || (pk->integ_len & 3) != 0)
		return IPMI_E_LENGTH;
	return IPMI_OK;
}

int
lan15_encode(uint8_t *out, size_t cap, uint8_t authtype, uint32_t seq,
    uint32_t sid, const uint8_t *authcode, const uint8_t *msg, size_t mlen)
{
	struct wbuf w;

	if (mlen > 255)
		return -1;
	wb_init(&w, out, cap);
	wr_rmcp_hdr(&w);
	wr_u8(&w, authtype);
	wr_le32(&w, seq);
	wr_le32(&w, sid);
	if (authtype != 0) {
		if (authcode == NULL)
			return -1;
		wr_bytes(&w, authcode, LAN15_AUTHCODE_LEN);
	}
	wr_u8(&w, (uint8_t)mlen);
	wr_bytes(&w, msg, mlen);
	return w.err ? -1 : (int)w.len;
}

int
lan20_encode(uint8_t *out, size_t cap, uint8_t ptype, uint32_t sid,
    uint32_t seq, const uint8_t *payload, size_t plen, size_t icv_len,
    size_t *icv_off)
{
	struct wbuf w;

	if (plen > 0xffff)
		return -1;
	wb_init(&w, out, cap);
	wr_rmcp_hdr(&w);
	wr_u8(&w, 6);
	wr_u8(&w, ptype);
	wr_le32(&w, sid);
	wr_le32(&w, seq);
	wr_le16(&w, (uint16_t)plen);
	wr_bytes(&w, payload, plen);
	if (icv_len > 0) {
		/* authtype..next header, i.e. from offset 4, with the two
		 * trailer bytes, must be a multiple of 4 */
		size_t pad = (4 - ((w.len - 4 + 2) & 3)) & 3;

		wr_fill(&w, 0xff, pad);
		wr_u8(&w, (uint8_t)pad);
		wr_u8(&w, RMCPP_NEXT_HEADER);
		if (icv_off != NULL)
			*icv_off = w.len;
		wr_fill(&w, 0, icv_len);
	}
	return w.err ? -1 : (int)w.len;
}

int
rmcpp_open_req_encode(uint8_t *out, size_t cap,
    const struct rmcpp_open_req *q)
{
	struct wbuf w;
	uint8_t i, alg[3];

	alg[0] = q->auth;
	alg[1] = q->integ;
	alg[2] = q->conf;
	wb_init(&w, out, cap);
	wr_u8(&w, q->tag);
	wr_u8(&w, q->priv);
	wr_le16(&w, 0);
	wr_le32(&w, q->console_sid);
	for (i = 0; i < 3; i++) {
		/* payload type, reserved, length 8, algorithm, reserved */
		wr_u8(&w, i);
		wr_le16(&w, 0);
		wr_u8(&w, 8);
		wr_u8(&w, alg[i]);
		wr_fill(&w, 0, 3);
	}
	return w.err ? -1 : (int)w.len;
}

enum ipmi_err
rmcpp_open_rsp_decode(const uint8_t *p, size_t len, struct rmcpp_open_rsp *o)
{
	struct rbuf r;
	uint8_t i, alg[3];

	memset(o, 0, sizeof(*o));
	rb_init(&r, p, len);
	o->tag = rd_u8(&r);
	o->status = rd_u8(&r);
	if (r.err)
		return IPMI_E_LENGTH;
	if (o->status != 0)
		return IPMI_OK;		/* the rest may be absent */
	o->priv = rd_u8(&r) & 0x0f;
	rd_skip(&r, 1);
	o->console_sid = rd_le32(&r);
	o->bmc_sid = rd_le32(&r);
	for (i = 0; i < 3; i++) {
		if (rd_u8(&r) != i)
			return r.err ? IPMI_E_LENGTH : IPMI_E_PROTO;
		rd_skip(&r, 2);
		if (rd_u8(&r) != 8)
			return r.err ? IPMI_E_LENGTH : IPMI_E_PROTO;
		alg[i] = rd_u8(&r) & 0x3f;
		rd_skip(&r, 3);
	}
	if (r.err)
		return IPMI_E_LENGTH;
	o->auth = alg[0];
	o->integ = alg[1];
	o->conf = alg[2];
	return IPMI_OK;
}

int
rmcpp_rakp1_encode(uint8_t *out, size_t cap, uint8_t tag, uint32_t bmc_sid,
    const uint8_t rm[16], uint8_t role, const char *user, size_t ulen)
{
	struct wbuf w;

	if (ulen > 16)
		return -1;
	wb_init(&w, out, cap);
	wr_u8(&w, tag);
	wr_fill(&w, 0, 3);
	wr_le32(&w, bmc_sid);
	wr_bytes(&w, rm, 16);
	wr_u8(&w, role);
	wr_le16(&w, 0);
	wr_u8(&w, (uint8_t)ulen);
	wr_bytes(&w, user, ulen);
	return w.err ? -1 : (int)w.len;
}

/*
 * RAKP 2 and 4 begin alike: tag, status, reserved, console session id.
 * Returns 1 when the rest of the message follows (status 0), 0 when the
 * BMC refused (the rest may be absent), -1 when too short.
 */
static int
rakp_head(struct rbuf *r, const uint8_t *p, size_t len, uint8_t *tag,
    uint8_t *status, uint32_t *sid)
{
	rb_init(r, p, len);
	*tag = rd_u8(r);
	*status = rd_u8(r);
	if (r->err)
		return -1;
	if (*status != 0)
		return 0;
	rd_skip(r, 2);
	*sid = rd_le32(r);
	return r->err ? -1 : 1;
}

enum ipmi_err
rmcpp_rakp2_decode(const uint8_t *p, size_t len, struct rmcpp_rakp2 *k)
{
	struct rbuf r;
	int more;

	memset(k, 0, sizeof(*k));
	if ((more = rakp_head(&r, p, len, &k->tag, &k->status,
	    &k->console_sid)) <= 0)
		return more < 0 ? IPMI_E_LENGTH : IPMI_OK;
	rd_bytes(&r, k->rc, 16);
	rd_bytes(&r, k->guid, 16);
	k->authcode_len = rd_left(&r);
	k->authcode = rd_ptr(&r, k->authcode_len);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

int
rmcpp_rakp3_encode(uint8_t *out, size_t cap, uint8_t tag, uint8_t status,
    uint32_t bmc_sid, const uint8_t *authcode, size_t alen)
{
	struct wbuf w;

	wb_init(&w, out, cap);
	wr_u8(&w, tag);
	wr_u8(&w, status);
	wr_le16(&w, 0);
	wr_le32(&w, bmc_sid);
	wr_bytes(&w, authcode, alen);
	return w.err ? -1 : (int)w.len;
}

enum ipmi_err
rmcpp_rakp4_decode(const uint8_t *p, size_t len, struct rmcpp_rakp4 *k)
{
	struct rbuf r;
	int more;

	memset(k, 0, sizeof(*k));
	if ((more = rakp_head(&r, p, len, &k->tag, &k->status,
	    &k->console_sid)) <= 0)
		return more < 0 ? IPMI_E_LENGTH : IPMI_OK;
	k->icv_len = rd_left(&r);
	k->icv = rd_ptr(&r, k->icv_len);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

const char *
rmcpp_status_name(uint8_t st)
{
	static const char *const names[] = {
		"no errors",
		"insufficient resources to create a session",
		"invalid session ID",
		"invalid payload type",
		"invalid authentication algorithm",
		"invalid integrity algorithm",
		"no matching authentication payload",
		"no matching integrity payload",
		"inactive session ID",
		"invalid role",
		"unauthorized role or privilege level requested",
		"insufficient resources to create a session at the "
		    "requested role",
		"invalid name length",
		"unauthorized name",
		"unauthorized GUID",
		"invalid integrity check value",
		"invalid confidentiality algorithm",
		"no cipher suite match with proposed security algorithms",
		"illegal or unrecognized parameter",
	};

	if (st < sizeof(names) / sizeof(names[0]))
		return names[st];
	return "unknown RMCP+ status code";
}

int
lan_seqwin_check(struct lan_seqwin *sw, uint32_t seq, uint32_t window)
{
	uint32_t d;

	if (window > 32)
		window = 32;
	if (!sw->init) {
		sw->init = 1;
		sw->high = seq;
		sw->seen = 1;
		return 0;
	}
	d = seq - sw->high;
	if (d != 0 && d < 0x80000000u) {
		/* ahead: slide */
		sw->seen = d >= 32 ? 0 : sw->seen << d;
		sw->seen |= 1;
		sw->high = seq;
		return 0;
	}
	d = sw->high - seq;
	if (d >= window || (sw->seen & (1u << d)))
		return -1;
	sw->seen |= 1u << d;
	return 0;
}

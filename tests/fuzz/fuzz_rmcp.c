/*
 * Fuzz the RMCP / IPMI 1.5 / RMCP+ packet codecs (lan_rmcp.c): every
 * input is decoded as a datagram with the integrity trailer lengths the
 * session code uses (none, HMAC-SHA1-96, the 128-bit ones), its payload
 * as each RMCP+ session-setup message, and as a run of sequence numbers
 * for the inbound window.  Round trips through the encoders must give
 * back what went in.  Seeds: datagrams from ipmi_sim (mkcorpus.sh).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lan_rmcp.h"
#include "fuzz.h"

static const size_t icv_lens[] = { 0, 12, 16 };

/* the setup payload decoders, run whatever the payload type says */
static void
fz_payload(const uint8_t *p, size_t len)
{
	struct rmcpp_open_rsp o;
	struct rmcpp_rakp2 k2;
	struct rmcpp_rakp4 k4;

	(void)rmcpp_open_rsp_decode(p, len, &o);
	(void)rmcpp_status_name(o.status);
	if (rmcpp_rakp2_decode(p, len, &k2) == IPMI_OK && k2.authcode_len > 0 &&
	    (k2.authcode < p || k2.authcode + k2.authcode_len > p + len))
		abort();
	if (rmcpp_rakp4_decode(p, len, &k4) == IPMI_OK && k4.icv_len > 0 &&
	    (k4.icv < p || k4.icv + k4.icv_len > p + len))
		abort();
}

/* a decoded packet's pointers stay inside the datagram */
static void
fz_check_pkt(const uint8_t *p, size_t len, const struct lan_pkt *pk)
{
	if (pk->plen > 0 && (pk->payload == NULL || pk->payload < p ||
	    pk->payload + pk->plen > p + len))
		abort();
	if (pk->trailer != NULL && pk->trailer + pk->trailer_len > p + len)
		abort();
	if (pk->integ_len > 0 && pk->integ_off + pk->integ_len > len)
		abort();
	if (pk->authcode15 != NULL &&
	    pk->authcode15 + LAN15_AUTHCODE_LEN > p + len)
		abort();
}

/* lan20_encode then lan_decode gives back payload, sid and seq */
static void
fz_roundtrip20(const uint8_t *data, size_t size)
{
	uint8_t pkt[LAN_PKT_MAX];
	struct lan_pkt pk;
	struct rbuf r;
	uint8_t ptype;
	uint32_t sid, seq;
	size_t icv, icv_off = 0;
	int n;

	rb_init(&r, data, size);
	ptype = rd_u8(&r) & 0x3f;
	icv = icv_lens[rd_u8(&r) % 3];
	sid = rd_le32(&r);
	seq = rd_le32(&r);
	if (r.err || ptype == RMCPP_PT_OEM)
		return;
	if (icv > 0) {
		if (sid == 0)
			return;		/* trailers only in a session */
		ptype |= RMCPP_AUTHENTICATED;
	}
	n = lan20_encode(pkt, sizeof(pkt), ptype, sid, seq, r.p + r.off,
	    rd_left(&r), icv, &icv_off);
	if (n < 0)
		return;
	if (lan_decode(pkt, (size_t)n, icv, &pk) != IPMI_OK ||
	    pk.authtype != 6 || pk.sid != sid || pk.seq != seq ||
	    pk.ptype != (ptype & 0x3f) || pk.plen != rd_left(&r) ||
	    (pk.plen > 0 && memcmp(pk.payload, r.p + r.off, pk.plen) != 0))
		abort();
	if (icv > 0 && (pk.trailer != pkt + icv_off ||
	    pk.trailer_len != icv || pk.integ_off != 4 ||
	    pk.integ_off + pk.integ_len != icv_off))
		abort();
}

/* lan15_encode then lan_decode */
static void
fz_roundtrip15(const uint8_t *data, size_t size)
{
	static const uint8_t types[] = { 0, 1, 2, 4, 5 };
	uint8_t pkt[LAN_PKT_MAX], code[LAN15_AUTHCODE_LEN];
	struct lan_pkt pk;
	struct rbuf r;
	uint8_t type;
	uint32_t sid, seq;
	int n;

	rb_init(&r, data, size);
	type = types[rd_u8(&r) % sizeof(types)];
	sid = rd_le32(&r);
	seq = rd_le32(&r);
	rd_bytes(&r, code, sizeof(code));
	if (r.err)
		return;
	n = lan15_encode(pkt, sizeof(pkt), type, seq, sid, code,
	    r.p + r.off, rd_left(&r));
	if (n < 0)
		return;
	if (lan_decode(pkt, (size_t)n, 0, &pk) != IPMI_OK ||
	    pk.authtype != type || pk.sid != sid || pk.seq != seq ||
	    pk.plen != rd_left(&r) ||
	    (pk.plen > 0 && memcmp(pk.payload, r.p + r.off, pk.plen) != 0) ||
	    (type != 0 && (pk.authcode15 == NULL ||
	    memcmp(pk.authcode15, code, sizeof(code)) != 0)))
		abort();
}

/*
 * Sequence numbers: byte 0 picks the window (0..33, above 32 is
 * clamped), then little-endian 32-bit numbers.  A number accepted once
 * must be refused as a replay right after.
 */
static void
fz_seqwin(const uint8_t *data, size_t size)
{
	struct lan_seqwin w;
	struct rbuf r;
	uint32_t window, seq;

	memset(&w, 0, sizeof(w));
	rb_init(&r, data, size);
	window = rd_u8(&r) % 34;
	for (;;) {
		seq = rd_le32(&r);
		if (r.err)
			break;
		/* taken once, the same number is a replay the second time */
		if (lan_seqwin_check(&w, seq, window) != 0)
			continue;
		if (lan_seqwin_check(&w, seq, window) == 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lan_pkt pk;
	size_t i;

	for (i = 0; i < sizeof(icv_lens) / sizeof(icv_lens[0]); i++) {
		if (lan_decode(data, size, icv_lens[i], &pk) != IPMI_OK)
			continue;
		fz_check_pkt(data, size, &pk);
		if (pk.plen > 0)
			fz_payload(pk.payload, pk.plen);
	}
	/* the bare payload decoders see the whole input too */
	fz_payload(data, size);
	fz_roundtrip20(data, size);
	fz_roundtrip15(data, size);
	fz_seqwin(data, size);
	return 0;
}

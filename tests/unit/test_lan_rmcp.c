/* Unit tests for RMCP / IPMI 1.5 / RMCP+ framing (agent/ipmi/lan_rmcp.c). */
#include <stdint.h>

#include "harness.h"
#include "lan_rmcp.h"

static void
test_lan15_roundtrip(void)
{
	static const uint8_t msg[] = { 0x20, 0x18, 0xc8, 0x81, 0x04, 0x38,
	    0x8e, 0x04, 0xb5 };
	static const uint8_t ac[16] = "0123456789abcdef";
	uint8_t pkt[128];
	struct lan_pkt pk;
	int n;

	/* auth NONE, as sent for Get Channel Auth Caps */
	n = lan15_encode(pkt, sizeof(pkt), 0, 0, 0, NULL, msg, sizeof(msg));
	CHECK_EQ(n, 4 + 10 + sizeof(msg));
	CHECK_MEM(pkt, "\x06\x00\xff\x07\x00", 5);
	CHECK_EQ(lan_decode(pkt, (size_t)n, 0, &pk), IPMI_OK);
	CHECK_EQ(pk.authtype, 0);
	CHECK(pk.authcode15 == NULL);
	CHECK_EQ(pk.plen, sizeof(msg));
	CHECK_MEM(pk.payload, msg, sizeof(msg));
	/* with an auth code, seq and session id little-endian */
	n = lan15_encode(pkt, sizeof(pkt), 2, 0x01020304, 0xa0b0c0d0, ac,
	    msg, sizeof(msg));
	CHECK_EQ(n, 4 + 26 + sizeof(msg));
	CHECK_MEM(pkt + 5, "\x04\x03\x02\x01\xd0\xc0\xb0\xa0", 8);
	CHECK_EQ(lan_decode(pkt, (size_t)n, 0, &pk), IPMI_OK);
	CHECK_EQ(pk.seq, 0x01020304);
	CHECK_EQ(pk.sid, 0xa0b0c0d0);
	CHECK_MEM(pk.authcode15, ac, 16);
	/* legacy pad byte accepted, two extra bytes are not */
	pkt[n] = 0;
	CHECK_EQ(lan_decode(pkt, (size_t)n + 1, 0, &pk), IPMI_OK);
	pkt[n + 1] = 0;
	CHECK_EQ(lan_decode(pkt, (size_t)n + 2, 0, &pk), IPMI_E_LENGTH);
	/* every truncation is refused */
	for (; n > 0; n--)
		CHECK(lan_decode(pkt, (size_t)n - 1, 0, &pk) != IPMI_OK);
	CHECK_EQ(lan15_encode(pkt, sizeof(pkt), 2, 0, 0, NULL, msg, 9), -1);
}

static void
test_lan20_integrity_pad(void)
{
	uint8_t pkt[128], payload[32];
	struct lan_pkt pk;
	size_t plen, off;
	int n;

	for (plen = 0; plen < 20; plen++) {
		memset(payload, 0x5a, sizeof(payload));
		n = lan20_encode(pkt, sizeof(pkt), 0xc0, 0x11223344,
		    7, payload, plen, 12, &off);
		CHECK(n > 0);
		/* authtype..next header is a multiple of 4 (13.28) */
		CHECK_EQ((off - 4) % 4, 0);
		CHECK_EQ(pkt[off - 1], 0x07);
		CHECK_EQ((size_t)n, off + 12);
		CHECK_EQ(lan_decode(pkt, (size_t)n, 12, &pk), IPMI_OK);
		CHECK_EQ(pk.authtype, 6);
		CHECK(pk.encrypted && pk.authenticated);
		CHECK_EQ(pk.ptype, 0);
		CHECK_EQ(pk.sid, 0x11223344);
		CHECK_EQ(pk.seq, 7);
		CHECK_EQ(pk.plen, plen);
		CHECK_EQ(pk.integ_off, 4);
		CHECK_EQ(pk.integ_len, off - 4);
		CHECK(pk.trailer == pkt + off);
		/* a trailer of the wrong size is refused */
		CHECK(lan_decode(pkt, (size_t)n, 16, &pk) != IPMI_OK);
		CHECK(lan_decode(pkt, (size_t)n - 1, 12, &pk) != IPMI_OK);
	}
	/* pad bytes must be FFh */
	n = lan20_encode(pkt, sizeof(pkt), 0x40, 1, 1, payload, 1, 12, &off);
	CHECK(pkt[off - 2] > 0);
	pkt[off - 3] = 0;
	CHECK_EQ(lan_decode(pkt, (size_t)n, 12, &pk), IPMI_E_PROTO);
}

static void
test_open_session(void)
{
	struct rmcpp_open_req q = { 0x42, 0, 0xa1a2a3a4, 1, 1, 1 };
	struct rmcpp_open_rsp o;
	uint8_t b[64];
	int n;

	n = rmcpp_open_req_encode(b, sizeof(b), &q);
	CHECK_EQ(n, 32);
	CHECK_MEM(b, "\x42\x00\x00\x00\xa4\xa3\xa2\xa1"
	    "\x00\x00\x00\x08\x01\x00\x00\x00"
	    "\x01\x00\x00\x08\x01\x00\x00\x00"
	    "\x02\x00\x00\x08\x01\x00\x00\x00", 32);
	/* a response: tag, status 0, priv 4, rsvd, console sid, bmc sid */
	n = harness_hex("42 00 04 00 a4a3a2a1 78563412"
	    "00000008 01000000 01000008 01000000 02000008 01000000",
	    b, sizeof(b));
	CHECK_EQ(rmcpp_open_rsp_decode(b, (size_t)n, &o), IPMI_OK);
	CHECK_EQ(o.console_sid, 0xa1a2a3a4);
	CHECK_EQ(o.bmc_sid, 0x12345678);
	CHECK_EQ(o.priv, 4);
	CHECK_EQ(o.conf, 1);
	CHECK_EQ(rmcpp_open_rsp_decode(b, (size_t)n - 1, &o), IPMI_E_LENGTH);
	b[12] = 5;	/* wrong payload type in the auth record */
	CHECK_EQ(rmcpp_open_rsp_decode(b, (size_t)n, &o), IPMI_E_PROTO);
	/* an error status may come without the rest */
	CHECK_EQ(rmcpp_open_rsp_decode((const uint8_t *)"\x42\x11", 2, &o),
	    IPMI_OK);
	CHECK_EQ(o.status, 0x11);
	CHECK_STR(rmcpp_status_name(0x11), "no cipher suite match with "
	    "proposed security algorithms");
}

static void
test_rakp(void)
{
	static const uint8_t rm[16] = "RRRRRRRRRRRRRRRR";
	struct rmcpp_rakp2 k2;
	struct rmcpp_rakp4 k4;
	uint8_t b[128];
	int n;

	n = rmcpp_rakp1_encode(b, sizeof(b), 7, 0x01020304, rm, 0x14,
	    "admin", 5);
	CHECK_EQ(n, 28 + 5);
	CHECK_MEM(b, "\x07\x00\x00\x00\x04\x03\x02\x01", 8);
	CHECK_EQ(b[24], 0x14);
	CHECK_EQ(b[27], 5);
	CHECK_MEM(b + 28, "admin", 5);
	CHECK_EQ(rmcpp_rakp1_encode(b, sizeof(b), 7, 1, rm, 4,
	    "seventeen-chars!!", 17), -1);
	/* RAKP2 with a 20-byte HMAC-SHA1 code */
	memset(b, 0xee, sizeof(b));
	b[0] = 7;
	b[1] = 0;
	n = 40 + 20;
	CHECK_EQ(rmcpp_rakp2_decode(b, (size_t)n, &k2), IPMI_OK);
	CHECK_EQ(k2.authcode_len, 20);
	CHECK_EQ(rmcpp_rakp2_decode(b, 39, &k2), IPMI_E_LENGTH);
	n = rmcpp_rakp3_encode(b, sizeof(b), 7, 0, 0x01020304, rm, 16);
	CHECK_EQ(n, 24);
	b[1] = 0;
	CHECK_EQ(rmcpp_rakp4_decode(b, 8 + 12, &k4), IPMI_OK);
	CHECK_EQ(k4.icv_len, 12);
	CHECK_EQ(rmcpp_rakp4_decode(b, 7, &k4), IPMI_E_LENGTH);
}

static void
test_seqwin(void)
{
	struct lan_seqwin w = { 0, 0, 0 };

	CHECK_EQ(lan_seqwin_check(&w, 100, 16), 0);
	CHECK_EQ(lan_seqwin_check(&w, 100, 16), -1);	/* replay */
	CHECK_EQ(lan_seqwin_check(&w, 102, 16), 0);
	CHECK_EQ(lan_seqwin_check(&w, 101, 16), 0);	/* late, in window */
	CHECK_EQ(lan_seqwin_check(&w, 101, 16), -1);
	CHECK_EQ(lan_seqwin_check(&w, 86, 16), -1);	/* too old */
	CHECK_EQ(lan_seqwin_check(&w, 87, 16), 0);
	CHECK_EQ(lan_seqwin_check(&w, 200, 16), 0);	/* jump ahead */
	CHECK_EQ(lan_seqwin_check(&w, 102, 16), -1);
	/* wrap-around */
	w.init = 0;
	CHECK_EQ(lan_seqwin_check(&w, 0xfffffffe, 16), 0);
	CHECK_EQ(lan_seqwin_check(&w, 1, 16), 0);
	CHECK_EQ(lan_seqwin_check(&w, 0xffffffff, 16), 0);
	CHECK_EQ(lan_seqwin_check(&w, 0xfffffffe, 16), -1);
}

int
main(void)
{
	RUN(test_lan15_roundtrip);
	RUN(test_lan20_integrity_pad);
	RUN(test_open_session);
	RUN(test_rakp);
	RUN(test_seqwin);
	return harness_end();
}

/*
 * Unit tests for agent/ipmi/lan15.c (IPMI 1.5 LAN sessions).  The .c is
 * included for its static helpers (style rule 35).  The MD5 vectors were
 * computed independently with Python 3 hashlib; the one-liner is next to
 * each.  The last tests run the whole state machine against a scripted
 * BMC on a loopback UDP socket, with a fake clock.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
/* the source itself: its static functions are what is tested
 * (bugprone-suspicious-include: on purpose) */
#include "lan15.c" /* NOLINT(bugprone-suspicious-include) */

static const uint8_t pw16[16] = "secret";	/* zero padded */

/* l15_check for a request that is not bridged */
static enum ipmi_err
check4(struct lan15 *l, const uint8_t *p, size_t len, struct ipmi_rsp *rsp)
{
	enum ipmi_bridge_st br;
	enum ipmi_err brerr;
	enum ipmi_err e = l15_check(l, p, len, rsp, &br, &brerr);

	if (e == IPMI_OK)
		CHECK_EQ(br, IPMI_BRIDGE_DONE);
	return e;
}

/* Get Device ID request, rqSeq 1: 20 18 c8 81 04 01 7a */
static const uint8_t devid_msg[] = { 0x20, 0x18, 0xc8, 0x81, 0x04, 0x01,
    0x7a };

static void
test_pick_auth(void)
{
	char err[200];

	CHECK_EQ(l15_pick_auth(0x16, -1, 0, err, sizeof(err)), IPMI_AUTH_MD5);
	CHECK_EQ(l15_pick_auth(0x17, -1, 1, err, sizeof(err)), IPMI_AUTH_MD5);
	CHECK_EQ(l15_pick_auth(0x12, -1, 0, err, sizeof(err)),
	    IPMI_AUTH_STRAIGHT);
	CHECK_EQ(l15_pick_auth(0x01, -1, 1, err, sizeof(err)), IPMI_AUTH_NONE);
	CHECK_EQ(l15_pick_auth(0x01, -1, 0, err, sizeof(err)), -1);
	CHECK(strstr(err, "allow-none") != NULL);
	CHECK_EQ(l15_pick_auth(0x02, -1, 1, err, sizeof(err)), -1);
	CHECK(strstr(err, "MD2") != NULL);
	CHECK_EQ(l15_pick_auth(0x20, -1, 1, err, sizeof(err)), -1);
	/* forced */
	CHECK_EQ(l15_pick_auth(0x16, IPMI_AUTH_STRAIGHT, 0, err, sizeof(err)),
	    IPMI_AUTH_STRAIGHT);
	CHECK_EQ(l15_pick_auth(0x04, IPMI_AUTH_STRAIGHT, 0, err, sizeof(err)),
	    -1);
	CHECK_STR(err, "the BMC does not offer auth type PASSWORD (it "
	    "offers: MD5)");
	CHECK_EQ(l15_pick_auth(0x17, IPMI_AUTH_MD2, 0, err, sizeof(err)), -1);
	CHECK(strstr(err, "MD2 is not supported") != NULL);
	CHECK_EQ(l15_pick_auth(0x3f, IPMI_AUTH_OEM, 0, err, sizeof(err)), -1);
	CHECK_EQ(l15_pick_auth(0x3f, IPMI_AUTH_NONE, 0, err, sizeof(err)), -1);
	CHECK(strstr(err, "allow-none") != NULL);
	CHECK_EQ(l15_pick_auth(0x3f, IPMI_AUTH_NONE, 1, err, sizeof(err)),
	    IPMI_AUTH_NONE);
	CHECK_EQ(l15_pick_auth(0x3f, 3, 1, err, sizeof(err)), -1);
}

static void
test_authcode(void)
{
	uint8_t out[16], exp[16];

	/*
	 * python3 -c "import hashlib,struct; pw=b'secret'.ljust(16,b'\0');
	 * m=bytes([0x20,0x18,0xc8,0x81,0x04,0x01,0x7a]);
	 * print(hashlib.md5(pw+struct.pack('<I',0x0a0b0c0d)+m+
	 * struct.pack('<I',0x100)+pw).hexdigest())"
	 */
	CHECK_EQ(harness_hex("27a372a05b5bf8e48646bf8ef46b773a", exp,
	    sizeof(exp)), 16);
	CHECK_EQ(l15_authcode(IPMI_AUTH_MD5, pw16, 0x0a0b0c0d, 0x100,
	    devid_msg, sizeof(devid_msg), out), 0);
	CHECK_MEM(out, exp, 16);
	CHECK_EQ(l15_authcode(IPMI_AUTH_STRAIGHT, pw16, 1, 2, devid_msg,
	    sizeof(devid_msg), out), 0);
	CHECK_MEM(out, pw16, 16);
	CHECK_EQ(l15_authcode(IPMI_AUTH_NONE, pw16, 1, 2, devid_msg,
	    sizeof(devid_msg), out), -1);
	CHECK_EQ(l15_authcode(IPMI_AUTH_MD2, pw16, 1, 2, devid_msg,
	    sizeof(devid_msg), out), -1);
}

static void
init_l15(struct lan15 *l, enum l15_state st, uint8_t auth)
{
	memset(l, 0, sizeof(*l));
	l->tr.fd = -1;
	memcpy(l->pw, pw16, 16);
	l->st = st;
	l->chosen = l->sauth = auth;
	l->temp_sid = 0x11223345;
	l->sid = 0x0a0b0c0d;
	l->out_seq = 0x100;
	l->rq_seq = 1;
	app_devid_req(&l->req);
}

static void
test_frame(void)
{
	struct lan15 l;
	uint8_t pkt[LAN_PKT_MAX] = { 0 }, exp[64] = { 0 };
	int n, m;

	/* outside a session: auth NONE, seq 0, sid 0, no auth code */
	init_l15(&l, L15_AUTHCAP, IPMI_AUTH_MD5);
	n = l15_frame(&l, pkt, sizeof(pkt));
	m = harness_hex("06 00 ff 07 00 00000000 00000000 07"
	    "20 18 c8 81 04 01 7a", exp, sizeof(exp));
	CHECK_EQ(n, m);
	CHECK_MEM(pkt, exp, (size_t)m);
	CHECK_EQ(l.out_seq, 0x100);

	/* in the session: MD5 over sid 0a0b0c0d, seq 100h */
	init_l15(&l, L15_OPEN, IPMI_AUTH_MD5);
	n = l15_frame(&l, pkt, sizeof(pkt));
	m = harness_hex("06 00 ff 07 02 00010000 0d0c0b0a"
	    "27a372a05b5bf8e48646bf8ef46b773a 07"
	    "20 18 c8 81 04 01 7a", exp, sizeof(exp));
	CHECK_EQ(n, m);
	CHECK_MEM(pkt, exp, (size_t)m);
	CHECK_EQ(l.out_seq, 0x101);
	/* a retransmission takes the next session seq */
	n = l15_frame(&l, pkt, sizeof(pkt));
	CHECK_EQ(n, m);
	CHECK_EQ(pkt[5], 0x01);
	CHECK_EQ(pkt[6], 0x01);
	CHECK_EQ(l.out_seq, 0x102);
	/* seq 0 is skipped on wrap */
	l.out_seq = 0xffffffffu;
	(void)l15_frame(&l, pkt, sizeof(pkt));
	CHECK_EQ(l.out_seq, 1);

	/* Activate Session: chosen type, temporary sid, seq 0 */
	init_l15(&l, L15_ACTIVATE, IPMI_AUTH_STRAIGHT);
	n = l15_frame(&l, pkt, sizeof(pkt));
	CHECK_EQ(n, 4 + 1 + 8 + 16 + 1 + 7);
	CHECK_EQ(pkt[4], IPMI_AUTH_STRAIGHT);
	CHECK_EQ(pkt[5] | pkt[6] | pkt[7] | pkt[8], 0);
	CHECK_EQ(pkt[9], 0x45);
	CHECK_MEM(pkt + 13, pw16, 16);
	CHECK_EQ(l.out_seq, 0x100);
}

/* a response message: rqSA netFn/LUN chk1 rsSA rqSeq/LUN cmd cc data chk2 */
static size_t
mk_msg(uint8_t *m, uint8_t netfn, uint8_t cmd, uint8_t rq_seq, uint8_t cc,
    const uint8_t *data, size_t dlen)
{
	size_t n = 0;

	m[n++] = IPMI_REMOTE_SWID;
	m[n++] = (uint8_t)(netfn << 2);
	m[n] = ipmi_csum(m, 2);
	n++;
	m[n++] = IPMI_BMC_SLAVE_ADDR;
	m[n++] = (uint8_t)(rq_seq << 2);
	m[n++] = cmd;
	m[n++] = cc;
	if (dlen > 0)
		memcpy(m + n, data, dlen);
	n += dlen;
	m[n] = ipmi_csum(m + 3, n - 3);
	return n + 1;
}

/* a whole response packet with the auth code of type over (sid, seq) */
static int
mk_pkt(uint8_t *out, size_t cap, uint8_t type, uint32_t sid, uint32_t seq,
    const uint8_t *msg, size_t mlen)
{
	uint8_t code[16];

	if (type != IPMI_AUTH_NONE && l15_authcode(type, pw16, sid, seq, msg,
	    mlen, code) != 0)
		return -1;
	return lan15_encode(out, cap, type, seq, sid,
	    type != IPMI_AUTH_NONE ? code : NULL, msg, mlen);
}

static void
test_check(void)
{
	struct lan15 l;
	struct ipmi_rsp rsp;
	uint8_t msg[64], pkt[LAN_PKT_MAX];
	static const uint8_t dev[] = { 0x20, 0x01, 0x02, 0x51 };
	size_t ml;
	int n;

	init_l15(&l, L15_OPEN, IPMI_AUTH_MD5);
	memset(&rsp, 0, sizeof(rsp));
	ml = mk_msg(msg, 0x07, 0x01, 1, 0, dev, sizeof(dev));

	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 500, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_OK);
	CHECK_EQ(rsp.netfn, 0x07);
	CHECK_EQ(rsp.ccode, 0);
	CHECK_EQ(rsp.len, sizeof(dev));
	CHECK_MEM(rsp.data, dev, sizeof(dev));
	/* replayed: same seq again */
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_SEQUENCE);
	/* wrong session id (auth code computed over it: still refused) */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid + 2, 501, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	/* forged: one bit of the auth code flipped */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 502, msg, ml);
	pkt[13] ^= 0x01;
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_AUTHCODE);
	/* forged: message altered after the auth code was computed */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 502, msg, ml);
	pkt[n - 2] ^= 0x01;
	pkt[n - 1] = (uint8_t)(pkt[n - 1] - 0x01);	/* keep chk2 right */
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_AUTHCODE);
	/* the forgeries did not move the window: 502 is still fresh */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 502, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_OK);
	/* unauthenticated packet in an MD5 session */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_NONE, l.sid, 503, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	/* straight password offered in an MD5 session */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_STRAIGHT, l.sid, 503, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	/* too old: 8 or more behind the highest seen (502) */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 494, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_SEQUENCE);
	/* within the window and not seen yet: fine */
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 497, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_OK);
	/* a stale rqSeq (answer to an earlier request) */
	ml = mk_msg(msg, 0x07, 0x01, 2, 0, dev, sizeof(dev));
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 510, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	/* another command */
	ml = mk_msg(msg, 0x07, 0x02, 1, 0, dev, sizeof(dev));
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 511, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	/* another netfn */
	ml = mk_msg(msg, 0x0b, 0x01, 1, 0, dev, sizeof(dev));
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 512, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	/* bad message checksum, correctly authenticated */
	ml = mk_msg(msg, 0x07, 0x01, 1, 0, dev, sizeof(dev));
	msg[ml - 1] ^= 0xff;
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 513, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_CHECKSUM);
	/* truncated packets, every length */
	ml = mk_msg(msg, 0x07, 0x01, 1, 0, dev, sizeof(dev));
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.sid, 514, msg, ml);
	{
		int k, bad = 0;

		for (k = 0; k < n; k++)
			if (check4(&l, pkt, (size_t)k, &rsp) == IPMI_OK)
				bad++;
		CHECK_EQ(bad, 0);
	}
	/* not an IPMI class packet (ASF ping answer) */
	{
		static const uint8_t asf[] = { 0x06, 0x00, 0xff, 0x06, 0, 0,
		    0x11, 0xbe, 0x40, 0, 0, 0 };

		CHECK(check4(&l, asf, sizeof(asf), &rsp) != IPMI_OK);
	}

	/* outside a session: must be auth NONE with sid 0 */
	init_l15(&l, L15_CHALLENGE, IPMI_AUTH_MD5);
	l.req.cmd = IPMI_CMD_GET_SESSION_CHALLENGE;
	ml = mk_msg(msg, 0x07, IPMI_CMD_GET_SESSION_CHALLENGE, 1, 0x81, NULL,
	    0);
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_NONE, 0, 0, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_OK);
	CHECK_EQ(rsp.ccode, 0x81);
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_NONE, 5, 0, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
	n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, 0, 0, msg, ml);
	CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);

	/* Activate Session: temporary sid, or the new one it announces */
	{
		uint8_t d[10] = { IPMI_AUTH_MD5, 0x0d, 0x0c, 0x0b, 0x0a,
		    0x00, 0x01, 0x00, 0x00, 0x04 };

		init_l15(&l, L15_ACTIVATE, IPMI_AUTH_MD5);
		l.req.cmd = IPMI_CMD_ACTIVATE_SESSION;
		ml = mk_msg(msg, 0x07, IPMI_CMD_ACTIVATE_SESSION, 1, 0, d,
		    sizeof(d));
		n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.temp_sid, 77,
		    msg, ml);
		CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_OK);
		n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, 0x0a0b0c0d, 77,
		    msg, ml);
		CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_OK);
		n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, 0x0a0b0c0f, 77,
		    msg, ml);
		CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_PROTO);
		/* wrong password on the BMC side */
		n = mk_pkt(pkt, sizeof(pkt), IPMI_AUTH_MD5, l.temp_sid, 77,
		    msg, ml);
		l.pw[0] ^= 1;
		CHECK_EQ(check4(&l, pkt, (size_t)n, &rsp), IPMI_E_AUTHCODE);
	}
}

/* ---- the state machine against a scripted BMC on loopback ---- */

struct fbmc {
	int		 fd;
	uint32_t	 sid;		/* session id handed out */
	uint32_t	 out_seq;	/* BMC -> console */
	uint32_t	 expect_seq;	/* console -> BMC, next expected */
	uint8_t		 authtypes;	/* offered */
	uint8_t		 sess_auth;	/* answered in Activate Session */
	uint8_t		 pw[16];
	int		 silent;	/* answer nothing */
	uint8_t		 setpriv_cc;	/* Set Session Privilege answer */
	int		 forge;		/* send a forged answer first */
	int		 bad_req;	/* requests that failed our checks */
	int		 activates;
	int		 closes;
	/* Send Message (22.7) to a satellite at 30h on IPMB 0: answered
	 * 00h, then the target's answer on its own (0, as ipmi_sim), or
	 * 00h with the answer embedded (1), or 00h only (2); other
	 * addresses 83h */
	int		 bridge;
	int		 sendmsgs;
	uint8_t		 sm_chan, sm_rssa, sm_lun, sm_rqsa, sm_seq, sm_outer;
};

static int
fbmc_open(struct fbmc *b, uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((b->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) < 0 ||
	    bind(b->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(b->fd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return 0;
}

/* Answer every pending request; returns how many were read. */
static int
fbmc_serve(struct fbmc *b)
{
	uint8_t in[LAN_PKT_MAX], out[LAN_PKT_MAX], m[300], d[32];
	struct sockaddr_in from;
	socklen_t fl;
	struct lan_pkt pk;
	const uint8_t *q;
	ssize_t n;
	size_t ml, dl, xl;
	uint8_t type, code[16], cc, x[32];
	uint32_t sid;
	int count = 0, k;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(b->fd, in, sizeof(in), 0,
		    (struct sockaddr *)&from, &fl);
		if (n <= 0)
			return count;
		count++;
		if (b->silent || lan_decode(in, (size_t)n, 0, &pk) != IPMI_OK ||
		    pk.plen < 7) {
			b->bad_req++;
			continue;
		}
		q = pk.payload;		/* rsSA netfn chk rqSA seq cmd .. */
		type = pk.authtype;
		sid = pk.sid;
		cc = 0;
		dl = 0;
		xl = 0;
		/* check the console's auth code like a BMC would */
		if (type != IPMI_AUTH_NONE) {
			if (l15_authcode(type, b->pw, pk.sid, pk.seq,
			    pk.payload, pk.plen, code) != 0 ||
			    memcmp(code, pk.authcode15, 16) != 0) {
				b->bad_req++;
				continue;
			}
		}
		if (pk.sid == b->sid) {
			if (pk.seq != b->expect_seq)
				b->bad_req++;
			b->expect_seq = pk.seq + 1;
		}
		switch (q[5]) {
		case IPMI_CMD_GET_CHANNEL_AUTH_CAPABILITIES:
			memset(d, 0, 8);
			d[0] = 1;
			d[1] = b->authtypes;
			d[2] = 0x04;
			dl = 8;
			break;
		case IPMI_CMD_GET_SESSION_CHALLENGE:
			d[0] = 0x45; d[1] = 0x33; d[2] = 0x22; d[3] = 0x11;
			memset(d + 4, 0xa5, 16);
			dl = 20;
			break;
		case IPMI_CMD_ACTIVATE_SESSION:
			b->activates++;
			if (pk.sid != 0x11223345 || pk.seq != 0) {
				b->bad_req++;
				continue;
			}
			/* request data: auth priv challenge[16] seq[4] */
			b->out_seq = (uint32_t)q[6 + 18] | (uint32_t)q[6 + 19]
			    << 8 | (uint32_t)q[6 + 20] << 16 |
			    (uint32_t)q[6 + 21] << 24;
			d[0] = b->sess_auth;
			d[1] = (uint8_t)b->sid; d[2] = (uint8_t)(b->sid >> 8);
			d[3] = (uint8_t)(b->sid >> 16);
			d[4] = (uint8_t)(b->sid >> 24);
			d[5] = 0x00; d[6] = 0x10; d[7] = 0; d[8] = 0;
			d[9] = 4;
			dl = 10;
			b->expect_seq = 0x1000;
			break;
		case IPMI_CMD_SET_SESSION_PRIVILEGE_LEVEL:
			d[0] = q[6];
			dl = 1;
			if ((cc = b->setpriv_cc) != 0)
				dl = 0;
			break;
		case IPMI_CMD_CLOSE_SESSION:
			b->closes++;
			break;
		case IPMI_CMD_GET_DEVICE_ID:
			memset(d, 0, 11);
			d[0] = 0x20;
			d[4] = 0x51;
			dl = 11;
			break;
		case IPMI_CMD_SEND_MESSAGE:
			b->sendmsgs++;
			/* chan, then rsSA netFn/LUN chk rqSA seq cmd d chk */
			if (pk.plen != 16 || ipmi_csum(q + 7, 2) != q[9] ||
			    ipmi_csum(q + 10, 4) != q[14]) {
				b->bad_req++;
				continue;
			}
			b->sm_chan = q[6];
			b->sm_rssa = q[7];
			b->sm_lun = q[8] & 3;
			b->sm_rqsa = q[10];
			b->sm_seq = q[11] >> 2;
			b->sm_outer = q[4] >> 2;
			if (q[7] != 0x30) {
				cc = 0x83;
				break;
			}
			if (b->bridge == 2)
				break;
			x[xl++] = 0x20;
			x[xl++] = (uint8_t)(((q[8] >> 2) | 1) << 2);
			x[xl] = ipmi_csum(x, 2);
			xl++;
			x[xl++] = q[7];
			/* ipmi_sim: the outer rqSeq; embedded: the inner */
			x[xl++] = (uint8_t)((b->bridge == 1 ? q[11] : q[4]) &
			    0xfc) | b->sm_lun;
			x[xl++] = q[12];
			x[xl++] = 0;
			x[xl++] = 0x33;
			x[xl++] = 0xc0;
			x[xl++] = q[13];
			x[xl++] = b->sm_lun;
			x[xl] = ipmi_csum(x + 3, xl - 3);
			xl++;
			if (b->bridge == 1) {
				memcpy(d, x, xl);
				dl = xl;
				xl = 0;
			}
			break;
		default:
			cc = IPMI_CC_INVALID_COMMAND;
			break;
		}
		ml = 0;
		m[ml++] = q[3];
		m[ml++] = (uint8_t)(((q[1] >> 2) | 1) << 2);
		m[ml] = ipmi_csum(m, 2);
		ml++;
		m[ml++] = q[0];
		m[ml++] = q[4];
		m[ml++] = q[5];
		m[ml++] = cc;
		memcpy(m + ml, d, dl);
		ml += dl;
		m[ml] = ipmi_csum(m + 3, ml - 3);
		ml++;
		for (k = b->forge ? 0 : 1; k < 2; k++) {
			uint8_t t = sid == b->sid ? b->sess_auth : type;
			uint32_t seq;

			if (k == 0 && t == IPMI_AUTH_NONE)
				continue;	/* nothing to forge */
			seq = sid == 0 ? 0 : b->out_seq++;

			if (t != IPMI_AUTH_NONE) {
				(void)l15_authcode(t, b->pw, sid, seq, m, ml,
				    code);
				if (k == 0)
					code[0] ^= 0x80;	/* forged */
			}
			n = lan15_encode(out, sizeof(out), t, seq, sid,
			    t != IPMI_AUTH_NONE ? code : NULL, m, ml);
			(void)sendto(b->fd, out, (size_t)n, 0,
			    (struct sockaddr *)&from, fl);
		}
		if (xl > 0) {
			/* the bridged answer, later, in the session */
			uint32_t seq = b->out_seq++;

			(void)l15_authcode(b->sess_auth, b->pw, sid, seq, x,
			    xl, code);
			n = lan15_encode(out, sizeof(out), b->sess_auth, seq,
			    sid, code, x, xl);
			(void)sendto(b->fd, out, (size_t)n, 0,
			    (struct sockaddr *)&from, fl);
		}
	}
}

static int cb_calls, cb_ok;
static enum ipmi_err cb_err;
static struct ipmi_rsp cb_rsp;	/* the last response */

static void
cb(void *arg, enum ipmi_err e, const struct ipmi_rsp *rsp)
{
	(void)arg;
	cb_calls++;
	cb_err = e;
	memset(&cb_rsp, 0, sizeof(cb_rsp));
	if (rsp != NULL)
		cb_rsp = *rsp;
	if (e == IPMI_OK && rsp != NULL && rsp->ccode == 0 && rsp->len == 11)
		cb_ok++;
}

/* Run the loop with a fake clock until nothing is pending or the clock
 * reaches limit.  Loopback delivery is not instantaneous, so wait (in
 * real time, briefly) for either socket before moving the clock on to
 * the transport's deadline. */
static uint64_t
pump(struct ipmi_tr *tr, struct fbmc *b, uint64_t now, uint64_t limit)
{
	struct pollfd pfd[2];
	uint64_t dl;
	int guard = 10000;

	while (guard-- > 0 && now < limit) {
		pfd[0].fd = b->fd;
		pfd[1].fd = ipmi_tr_fd(tr);
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		dl = ipmi_tr_deadline(tr);
		if (poll(pfd, 2, dl != 0 && dl <= now ? 0 : 20) > 0) {
			if (pfd[0].revents & POLLIN)
				(void)fbmc_serve(b);
			if (pfd[1].revents & (POLLIN | POLLERR))
				ipmi_tr_readable(tr, now);
			continue;
		}
		dl = ipmi_tr_deadline(tr);
		if (dl == 0)
			break;
		if (dl > now)
			now = dl;
		ipmi_tr_timeout(tr, now);
	}
	return now;
}

static struct ipmi_tr *
mk_tr(struct fbmc *b, uint16_t port, int authtype)
{
	struct ipmi_tr_cfg cfg;
	char err[256];
	struct ipmi_tr *tr;

	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_LAN;
	(void)snprintf(cfg.host, sizeof(cfg.host), "127.0.0.1");
	cfg.port = port;
	(void)snprintf(cfg.user, sizeof(cfg.user), "admin");
	memcpy(cfg.password, "secret", 6);
	cfg.pwlen = 6;
	cfg.authtype = authtype;
	cfg.priv = IPMI_PRIV_ADMIN;
	cfg.timeout_ms = 100;
	cfg.retries = 2;
	tr = lan15_new(&cfg, err, sizeof(err));
	if (tr == NULL)
		printf("# lan15_new: %s\n", err);
	(void)b;
	return tr;
}

static void
fbmc_init(struct fbmc *b, uint16_t *port)
{
	memset(b, 0, sizeof(*b));
	b->sid = 0x0a0b0c0e;
	b->authtypes = 0x16;
	b->sess_auth = IPMI_AUTH_MD5;
	memcpy(b->pw, pw16, 16);
	CHECK_EQ(fbmc_open(b, port), 0);
}

static void
test_session_md5(void)
{
	struct fbmc b;
	struct ipmi_tr *tr;
	struct ipmi_req req;
	uint16_t port = 0;
	uint64_t now = 1000;

	fbmc_init(&b, &port);
	b.forge = 1;	/* every answer is preceded by a forged copy */
	tr = mk_tr(&b, port, -1);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = cb_ok = 0;
	app_devid_req(&req);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 2);
	CHECK_EQ(cb_ok, 2);
	CHECK_EQ(b.bad_req, 0);
	CHECK_EQ(b.activates, 1);
	CHECK_EQ(ipmi_tr_authtype(tr), IPMI_AUTH_MD5);
	CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
	CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
	/* forged copies of activate, setpriv and two requests dropped */
	CHECK_EQ(ipmi_tr_stats(tr)->dropped, 4);
	ipmi_tr_close(tr, now);
	now = pump(tr, &b, now, now + 10000);
	CHECK(ipmi_tr_idle(tr));
	CHECK_EQ(b.closes, 1);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), -1);
	ipmi_tr_free(tr);
	(void)close(b.fd);
}

static void
test_session_lost(void)
{
	struct fbmc b;
	struct ipmi_tr *tr;
	struct ipmi_req req;
	uint16_t port = 0;
	uint64_t now = 1000, t0;

	fbmc_init(&b, &port);
	b.sess_auth = IPMI_AUTH_STRAIGHT;
	tr = mk_tr(&b, port, IPMI_AUTH_STRAIGHT);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = cb_ok = 0;
	app_devid_req(&req);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_ok, 1);
	CHECK_EQ(ipmi_tr_authtype(tr), IPMI_AUTH_STRAIGHT);
	/* the BMC goes quiet: 3 tries of 100 ms, then a timeout */
	b.silent = 1;
	t0 = now;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 2);
	CHECK_EQ(cb_err, IPMI_E_TIMEOUT);
	CHECK_EQ(now - t0, 300);
	CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 2);
	CHECK(strstr(ipmi_tr_error(tr), "Get Device ID: no response after "
	    "3 tries (127.0.0.1:") != NULL);
	/* back again: the next request opens a new session */
	b.silent = 0;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 3);
	CHECK_EQ(cb_ok, 2);
	CHECK_EQ(b.activates, 2);
	CHECK_EQ(ipmi_tr_stats(tr)->sessions, 2);
	ipmi_tr_close(tr, now);
	(void)pump(tr, &b, now, now + 10000);
	CHECK(ipmi_tr_idle(tr));
	ipmi_tr_free(tr);
	(void)close(b.fd);
}

static void
test_setup_refused(void)
{
	struct fbmc b;
	struct ipmi_tr *tr;
	struct ipmi_req req;
	uint16_t port = 0;
	uint64_t now = 1000;

	/* only NONE offered, allow-none not given */
	fbmc_init(&b, &port);
	b.authtypes = 0x01;
	tr = mk_tr(&b, port, -1);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = 0;
	app_devid_req(&req);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 2);
	CHECK_EQ(cb_err, IPMI_E_UNSUPPORTED);
	CHECK(strstr(ipmi_tr_error(tr), "Get Channel Authentication "
	    "Capabilities: the BMC offers no usable") != NULL);
	ipmi_tr_free(tr);

	/* per-message authentication disabled: session auth NONE */
	b.authtypes = 0x16;
	b.sess_auth = IPMI_AUTH_NONE;
	tr = mk_tr(&b, port, -1);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = 0;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 1);
	CHECK_EQ(cb_err, IPMI_E_AUTH);
	CHECK(strstr(ipmi_tr_error(tr), "per-message authentication "
	    "disabled") != NULL);
	CHECK_EQ(b.closes, 1);	/* the half-open session was closed */
	b.closes = 0;
	ipmi_tr_free(tr);

	/* Set Session Privilege Level refused: the session is closed */
	b.sess_auth = IPMI_AUTH_MD5;
	b.setpriv_cc = 0x81;
	tr = mk_tr(&b, port, -1);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = 0;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 1);
	CHECK_EQ(cb_err, IPMI_E_AUTH);
	CHECK_STR(ipmi_tr_error(tr), "Set Session Privilege Level: admin: "
	    "completion code 81h: Requested level exceeds channel and/or "
	    "user privilege limit");
	CHECK_EQ(b.closes, 1);
	CHECK_EQ(b.bad_req, 0);
	ipmi_tr_free(tr);
	(void)close(b.fd);

	/* nobody listening: fails within the retry budget */
	fbmc_init(&b, &port);
	(void)close(b.fd);
	tr = mk_tr(&b, port, -1);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = 0;
	b.fd = -1;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	{
		uint64_t t0 = now, dl;
		int guard = 100;

		while (guard-- > 0 && (dl = ipmi_tr_deadline(tr)) != 0) {
			ipmi_tr_readable(tr, now);
			if (dl > now)
				now = dl;
			ipmi_tr_timeout(tr, now);
		}
		CHECK_EQ(now - t0, 300);
	}
	CHECK_EQ(cb_calls, 1);
	CHECK_EQ(cb_err, IPMI_E_TIMEOUT);
	CHECK(strstr(ipmi_tr_error(tr), "Get Channel Authentication "
	    "Capabilities: no response after 3 tries") != NULL);
	ipmi_tr_free(tr);
}

static void
test_new_refuses(void)
{
	struct ipmi_tr_cfg cfg;
	char err[256];

	ipmi_tr_cfg_init(&cfg);
	cfg.iface = IPMI_IFACE_LAN;
	(void)snprintf(cfg.host, sizeof(cfg.host), "127.0.0.1");
	cfg.authtype = -1;
	cfg.pwlen = 17;
	CHECK(lan15_new(&cfg, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "16 at most") != NULL);
	cfg.pwlen = 16;
	cfg.authtype = IPMI_AUTH_MD2;
	CHECK(lan15_new(&cfg, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "MD2") != NULL);
	cfg.authtype = IPMI_AUTH_NONE;
	CHECK(lan15_new(&cfg, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "allow-none") != NULL);
}

/* bridged Get Sensor Reading through Send Message, both answer shapes */
static void
test_bridged(void)
{
	struct fbmc b;
	struct ipmi_tr *tr;
	struct ipmi_req req;
	uint16_t port = 0;
	uint64_t now = 1000, t0;
	uint8_t num = 0x06;
	int shape;

	for (shape = 0; shape < 2; shape++) {
		fbmc_init(&b, &port);
		b.bridge = shape;
		tr = mk_tr(&b, port, IPMI_AUTH_MD5);
		CHECK(tr != NULL);
		if (tr == NULL)
			return;
		cb_calls = 0;
		ipmi_req_init(&req, IPMI_NETFN_SENSOR_EVENT,
		    IPMI_CMD_GET_SENSOR_READING, &num, 1);
		req.bridged = 1;
		req.lun = 1;
		req.target_addr = 0x30;
		CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
		now = pump(tr, &b, now, now + 10000);
		CHECK_EQ(cb_calls, 1);
		CHECK_EQ(cb_err, IPMI_OK);
		CHECK_EQ(cb_rsp.netfn, 0x05);
		CHECK_EQ(cb_rsp.cmd, 0x2d);
		CHECK_EQ(cb_rsp.ccode, 0);
		CHECK_EQ(cb_rsp.len, 4);
		CHECK_EQ(cb_rsp.data[2], 0x06);
		CHECK_EQ(cb_rsp.data[3], 1);
		CHECK_EQ(b.sendmsgs, 1);
		CHECK_EQ(b.sm_chan, 0x40);
		CHECK_EQ(b.sm_rssa, 0x30);
		CHECK_EQ(b.sm_lun, 1);
		CHECK_EQ(b.sm_rqsa, 0x20);
		CHECK_EQ(b.sm_seq, b.sm_outer);
		/* nobody at 44h: Send Message's own completion code */
		req.target_addr = 0x44;
		CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
		now = pump(tr, &b, now, now + 10000);
		CHECK_EQ(cb_calls, 2);
		CHECK_EQ(cb_err, IPMI_OK);
		CHECK_EQ(cb_rsp.ccode, 0x83);
		CHECK_EQ(cb_rsp.cmd, 0x34);
		CHECK_EQ(b.bad_req, 0);
		CHECK_EQ(ipmi_tr_stats(tr)->dropped, 0);
		ipmi_tr_close(tr, now);
		now = pump(tr, &b, now, now + 10000);
		CHECK(ipmi_tr_idle(tr));
		ipmi_tr_free(tr);
		(void)close(b.fd);
	}
	/* a silent target: resent whole, a timeout, the session stays */
	fbmc_init(&b, &port);
	b.bridge = 2;
	tr = mk_tr(&b, port, IPMI_AUTH_MD5);
	CHECK(tr != NULL);
	if (tr == NULL)
		return;
	cb_calls = 0;
	req.target_addr = 0x30;
	t0 = now;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 1);
	CHECK_EQ(cb_err, IPMI_E_TIMEOUT);
	CHECK_EQ(b.sendmsgs, 3);
	CHECK_EQ(now - t0, 300);
	CHECK(strstr(ipmi_tr_error(tr), "no response from 0x30") != NULL);
	b.bridge = 0;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, NULL, now), 0);
	now = pump(tr, &b, now, now + 10000);
	CHECK_EQ(cb_calls, 2);
	CHECK_EQ(cb_err, IPMI_OK);
	CHECK_EQ(cb_rsp.ccode, 0);
	CHECK_EQ(b.activates, 1);
	CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
	CHECK_EQ(b.bad_req, 0);
	ipmi_tr_close(tr, now);
	(void)pump(tr, &b, now, now + 10000);
	CHECK(ipmi_tr_idle(tr));
	ipmi_tr_free(tr);
	(void)close(b.fd);
}

int
main(void)
{
	RUN(test_pick_auth);
	RUN(test_authcode);
	RUN(test_frame);
	RUN(test_check);
	RUN(test_session_md5);
	RUN(test_session_lost);
	RUN(test_setup_refused);
	RUN(test_new_refuses);
	RUN(test_bridged);
	return harness_end();
}

/*
 * A fake IPMI 2.0 BMC for the RMCP+ client tests (test_lanplus.c),
 * written from the IPMI v2.0 specification, not from lanplus.c:
 *
 *   13.8   RMCP+ session header, 13.28 integrity pad / next header /
 *          AuthCode trailer over authtype .. next header
 *   13.17  Open Session Request, 13.18 Open Session Response
 *   13.20  RAKP 1, 13.21 RAKP 2, 13.22 RAKP 3, 13.23 RAKP 4
 *   13.29  AES-CBC-128: 16-byte IV, pad 01 02 .. n, pad length
 *   13.31  SIK = HMAC_KG(Rm | Rc | RoleM | ULengthM | UNameM),
 *          K1/K2 = HMAC_SIK(20 x 01h / 20 x 02h), RAKP 2/3/4 codes
 *   22.13  Get Channel Authentication Capabilities, 22.15 Get Channel
 *          Cipher Suites, 22.18 Set Session Privilege, 22.19 Close
 *   6.12.3, 22.7  Send Message with response tracking to a satellite
 *          controller on IPMB channel 0 (answer shapes: FBB_*)
 *   13.27  payload type 01h (SOL) in the session, wrapped like IPMI
 *          messages: kept as received, answered if asked
 *   table 22-20 cipher suite ids
 *
 * Every field is assembled here by hand; from bmcwatch only the
 * hash/HMAC/AES primitives of lan_crypto.h are used (verified against
 * RFC/NIST vectors by test_lan_crypto).  Single-threaded test code.
 */
#ifndef FAKEBMC_H
#define FAKEBMC_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <string.h>

#include "lan_crypto.h"

/* table 22-20, the fake's own copy */
struct fb_suite {
	uint8_t id, auth, integ, conf;
};
static const struct fb_suite fb_suites[] = {
	{ 0, 0, 0, 0 }, { 1, 1, 0, 0 }, { 2, 1, 1, 0 }, { 3, 1, 1, 1 },
	{ 6, 2, 0, 0 }, { 7, 2, 2, 0 }, { 8, 2, 2, 1 }, { 11, 2, 3, 0 },
	{ 12, 2, 3, 1 }, { 15, 3, 0, 0 }, { 16, 3, 4, 0 }, { 17, 3, 4, 1 },
};
#define FB_NSUITES	(sizeof(fb_suites) / sizeof(fb_suites[0]))

static const struct fb_suite *
fb_suite_by_id(int id)
{
	size_t i;

	for (i = 0; i < FB_NSUITES; i++)
		if (fb_suites[i].id == id)
			return &fb_suites[i];
	return NULL;
}

static int
fb_suite_by_alg(uint8_t auth, uint8_t integ, uint8_t conf)
{
	size_t i;

	for (i = 0; i < FB_NSUITES; i++)
		if (fb_suites[i].auth == auth && fb_suites[i].integ == integ &&
		    fb_suites[i].conf == conf)
			return fb_suites[i].id;
	return -1;
}

/* digest length of a RAKP authentication algorithm */
static size_t
fb_hlen(uint8_t auth)
{
	return auth == 1 ? 20 : auth == 2 ? 16 : auth == 3 ? 32 : 0;
}

/* length of the AuthCode trailer of an integrity algorithm */
static size_t
fb_icvlen(uint8_t integ)
{
	return integ == 1 ? 12 : integ >= 2 && integ <= 4 ? 16 : 0;
}

static void
fb_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
fb_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint8_t
fb_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s = (uint8_t)(s + *p++);
	return s;
}

/* ---- keys and RAKP codes, section 13.31 ---- */

struct fb_sess {
	int		 state;		/* FBS_* */
	uint8_t		 auth, integ, conf;
	uint32_t	 msid;		/* SIDm: the console's */
	uint32_t	 csid;		/* SIDc: ours */
	uint8_t		 tag;
	uint8_t		 rm[16], rc[16];
	uint8_t		 role, ulen;
	uint8_t		 user[16];
	uint8_t		 sik[32], k1[32], k2[32];
	uint32_t	 in_seq;	/* last accepted from the console */
	uint32_t	 out_seq;	/* last sent */
	uint8_t		 last_iv[16];
};
enum { FBS_NONE, FBS_OPENED, FBS_RAKP2, FBS_ACTIVE };

static int
fb_hmac(uint8_t auth, const uint8_t *key, size_t klen, const uint8_t *d,
    size_t n, uint8_t *out)
{
	size_t ol = 0;

	if (lcr_hmac(auth, key, klen, d, n, out, &ol) != 0 ||
	    ol != fb_hlen(auth))
		return -1;
	return 0;
}

/* RoleM | ULengthM | UNameM */
static size_t
fb_role_user(const struct fb_sess *s, uint8_t *p)
{
	p[0] = s->role;
	p[1] = s->ulen;
	memcpy(p + 2, s->user, s->ulen);
	return 2u + s->ulen;
}

/* SIK with kg (20 bytes: K_g, or the password when there is none) */
static int
fb_keys(struct fb_sess *s, const uint8_t kg[20])
{
	uint8_t d[64], c[20];
	size_t n = 0, hl = fb_hlen(s->auth);

	memcpy(d, s->rm, 16);
	memcpy(d + 16, s->rc, 16);
	n = 32 + fb_role_user(s, d + 32);
	if (fb_hmac(s->auth, kg, 20, d, n, s->sik) != 0)
		return -1;
	memset(c, 0x01, sizeof(c));
	if (fb_hmac(s->auth, s->sik, hl, c, sizeof(c), s->k1) != 0)
		return -1;
	memset(c, 0x02, sizeof(c));
	return fb_hmac(s->auth, s->sik, hl, c, sizeof(c), s->k2);
}

/* RAKP2: HMAC_KUID(SIDm | SIDc | Rm | Rc | GUIDc | RoleM | ULengthM |
 * UNameM) */
static int
fb_rakp2_code(const struct fb_sess *s, const uint8_t kuid[20],
    const uint8_t guid[16], uint8_t *out)
{
	uint8_t d[128];
	size_t n;

	fb_le32(d, s->msid);
	fb_le32(d + 4, s->csid);
	memcpy(d + 8, s->rm, 16);
	memcpy(d + 24, s->rc, 16);
	memcpy(d + 40, guid, 16);
	n = 56 + fb_role_user(s, d + 56);
	return fb_hmac(s->auth, kuid, 20, d, n, out);
}

/* RAKP3: HMAC_KUID(Rc | SIDm | RoleM | ULengthM | UNameM) */
static int
fb_rakp3_code(const struct fb_sess *s, const uint8_t kuid[20], uint8_t *out)
{
	uint8_t d[64];
	size_t n;

	memcpy(d, s->rc, 16);
	fb_le32(d + 16, s->msid);
	n = 20 + fb_role_user(s, d + 20);
	return fb_hmac(s->auth, kuid, 20, d, n, out);
}

/* RAKP4 ICV: HMAC_SIK(Rm | SIDc | GUIDc), truncated; returns length */
static size_t
fb_rakp4_icv(const struct fb_sess *s, const uint8_t guid[16], uint8_t *out)
{
	uint8_t d[36];

	memcpy(d, s->rm, 16);
	fb_le32(d + 16, s->csid);
	memcpy(d + 20, guid, 16);
	if (fb_hmac(s->auth, s->sik, fb_hlen(s->auth), d, sizeof(d), out) !=
	    0)
		return 0;
	return s->auth == 1 ? 12 : 16;
}

/* AuthCode trailer of section 13.28 over data; returns its length */
static size_t
fb_trailer(const struct fb_sess *s, const uint8_t pw20[20],
    const uint8_t *d, size_t n, uint8_t *out)
{
	uint8_t mac[32];

	switch (s->integ) {
	case 1:		/* HMAC-SHA1-96 */
		if (fb_hmac(1, s->k1, 20, d, n, mac) != 0)
			return 0;
		memcpy(out, mac, 12);
		return 12;
	case 2:		/* HMAC-MD5-128 */
		if (fb_hmac(2, s->k1, 16, d, n, mac) != 0)
			return 0;
		memcpy(out, mac, 16);
		return 16;
	case 3:		/* MD5-128: MD5(password | data | password) */
		if (lcr_integ(LCR_INTEG_MD5_128, pw20, 20, d, n, out) != 0)
			return 0;
		return 16;
	case 4:		/* HMAC-SHA256-128 */
		if (fb_hmac(3, s->k1, 32, d, n, mac) != 0)
			return 0;
		memcpy(out, mac, 16);
		return 16;
	default:
		return 0;
	}
}

/* flavours of a wrapped payload */
#define FBW_BADPAD	0x01	/* confidentiality pad bytes wrong */
#define FBW_BADICV	0x02	/* last AuthCode byte flipped */
#define FBW_BADLEN	0x04	/* pad of 16 + n bytes, well formed */
#define FBW_NOFLAG	0x08	/* encrypted, but the flag bit clear */

/*
 * An RMCP+ packet: RMCP header, session header, payload (encrypted with
 * iv when the session has confidentiality and sid != 0), integrity pad,
 * pad length, next header 07h, AuthCode.  Returns the length.
 */
static size_t
fb_wrap(const struct fb_sess *s, const uint8_t pw20[20], uint8_t ptype,
    uint32_t sid, uint32_t seq, const uint8_t *msg, size_t mlen,
    const uint8_t iv[16], int flags, uint8_t *out)
{
	size_t n = 16, plen, pad, i;
	int insess = sid != 0 && s != NULL;

	out[0] = 0x06;
	out[1] = 0x00;
	out[2] = 0xff;
	out[3] = 0x07;
	out[4] = 0x06;
	out[5] = ptype;
	fb_le32(out + 6, sid);
	fb_le32(out + 10, seq);
	if (insess && s->conf == 1) {
		uint8_t plain[512];

		out[5] |= 0x80;
		memcpy(plain, msg, mlen);
		pad = (16 - (mlen + 1) % 16) % 16;
		if (flags & FBW_BADLEN)
			pad += 16;
		for (i = 0; i < pad; i++)
			plain[mlen + i] = (uint8_t)(i + 1);
		plain[mlen + pad] = (uint8_t)pad;
		if (flags & FBW_BADPAD)
			plain[mlen] ^= 0x40;	/* pad[0] must be 01h */
		memcpy(out + 16, iv, 16);
		plen = mlen + pad + 1;
		(void)lcr_aes_cbc_encrypt(s->k2, iv, plain, plen, out + 32);
		plen += 16;
		if (flags & FBW_NOFLAG)
			out[5] &= 0x7f;
	} else {
		memcpy(out + 16, msg, mlen);
		plen = mlen;
	}
	out[14] = (uint8_t)plen;
	out[15] = (uint8_t)(plen >> 8);
	n += plen;
	if (insess && s->integ != 0) {
		out[5] |= 0x40;
		/* authtype .. next header a multiple of 4 bytes */
		pad = 0;
		while ((n - 4 + pad + 2) % 4 != 0)
			pad++;
		memset(out + n, 0xff, pad);
		n += pad;
		out[n++] = (uint8_t)pad;
		out[n++] = 0x07;
		n += fb_trailer(s, pw20, out + 4, n - 4, out + n);
		if (flags & FBW_BADICV)
			out[n - 1] ^= 0x01;
	}
	return n;
}

/* an IPMI response message: rqSA netFn/LUN chk1 rsSA rqSeq/LUN cmd cc
 * data chk2 */
static size_t
fb_rspmsg(uint8_t *m, uint8_t netfn, uint8_t cmd, uint8_t rqseq, uint8_t cc,
    const uint8_t *d, size_t dl)
{
	size_t n = 0;

	m[n++] = 0x81;
	m[n++] = (uint8_t)((netfn | 1) << 2);
	m[n] = (uint8_t)-fb_sum(m, 2);
	n++;
	m[n++] = 0x20;
	m[n++] = (uint8_t)(rqseq << 2);
	m[n++] = cmd;
	m[n++] = cc;
	if (dl > 0)
		memcpy(m + n, d, dl);
	n += dl;
	m[n] = (uint8_t)-fb_sum(m + 3, n - 3);
	return n + 1;
}

/* an IPMB response message with every field given (bridged answers) */
static size_t
fb_ipmbrsp(uint8_t *m, uint8_t rqsa, uint8_t netfn, uint8_t rssa,
    uint8_t rqseq, uint8_t rslun, uint8_t cmd, uint8_t cc, const uint8_t *d,
    size_t dl)
{
	size_t n = 0;

	m[n++] = rqsa;
	m[n++] = (uint8_t)((netfn | 1) << 2);
	m[n] = (uint8_t)-fb_sum(m, 2);
	n++;
	m[n++] = rssa;
	m[n++] = (uint8_t)(rqseq << 2 | (rslun & 3));
	m[n++] = cmd;
	m[n++] = cc;
	if (dl > 0)
		memcpy(m + n, d, dl);
	n += dl;
	m[n] = (uint8_t)-fb_sum(m + 3, n - 3);
	return n + 1;
}

/* a parsed IPMI request message */
struct fb_req {
	uint8_t		 netfn, cmd, seq;
	const uint8_t	*d;
	size_t		 dl;
};

static int
fb_reqmsg(const uint8_t *m, size_t n, struct fb_req *q)
{
	if (n < 7 || m[0] != 0x20 || fb_sum(m, 3) != 0 || m[3] != 0x81 ||
	    fb_sum(m + 3, n - 3) != 0)
		return -1;
	q->netfn = m[1] >> 2;
	q->seq = m[4] >> 2;
	q->cmd = m[5];
	q->d = m + 6;
	q->dl = n - 7;
	return 0;
}

/* ---- the BMC ---- */

/* how Send Message is answered */
#define FBB_SEPARATE	0	/* 00h, then the target's answer on its own
				 * (ipmi_sim 2.0.33: rqSA 20h, rsSA target,
				 * the outer rqSeq) */
#define FBB_EMBED	1	/* 00h with the target's answer in the data */
#define FBB_SILENT	2	/* 00h, the target never answers */
#define FBB_EMBED_BAD	3	/* embedded answer with a wrong checksum 2 */
#define FBB_SEP_FORGED	4	/* FBB_SEPARATE, preceded by a separate
				 * answer with a wrong rqSeq and one with a
				 * wrong checksum (both must be dropped) */
#define FB_SAT_ADDR	0x30	/* the satellite controller on IPMB 0 */

#define FB_LOG		16
/* forged copies sent before a Get Device ID answer */
#define FBF_BADICV	0x01	/* AuthCode wrong */
#define FBF_BADPAD	0x02	/* AES pad wrong, AuthCode right */
#define FBF_REPLAY	0x04	/* a session seq already used */
#define FBF_WRONGSID	0x08	/* another session id, AuthCode right */
#define FBF_BADLEN	0x10	/* AES pad longer than 15, AuthCode right */
#define FBF_PLAIN	0x20	/* no AuthCode, not encrypted */
#define FBF_NOENC	0x40	/* AuthCode right, encrypted payload not
				 * flagged as such */

static const uint8_t fb_devid[15] = { 0x20, 0x81, 0x02, 0x45, 0x02, 0xbf,
    0x57, 0x01, 0x00, 0x34, 0x12, 0x11, 0x22, 0x33, 0x44 };

struct fbmc {
	int		 fd;
	struct sockaddr_in peer;
	socklen_t	 peerlen;
	const uint64_t	*clock;		/* the test's fake clock */
	/* configuration */
	char		 user[17];
	uint8_t		 pw[20];
	uint8_t		 kg[20];
	int		 kglen;
	uint32_t	 accept;	/* bit n: suite n accepted */
	int		 suites_answer;	/* answer Get Channel Cipher Suites */
	uint8_t		 list[128];	/* its records */
	size_t		 listlen;
	uint8_t		 guid[16];
	uint32_t	 next_sid;
	int		 silent;	/* read everything, answer nothing */
	int		 mute_ptype;	/* ignore this payload type, -1: none */
	int		 rakp4_bad;
	uint8_t		 setpriv_cc;
	int		 drop_devid;	/* leave this many unanswered */
	int		 forge;		/* FBF_* */
	int		 bridge;	/* FBB_* */
	int		 drop_sendmsg;	/* leave this many unanswered */
	/* state */
	struct fb_sess	 s;
	uint8_t		 rc_ctr;
	/* what it saw */
	int		 pkts, bad, authcaps, suites_reqs, opens, refused;
	int		 rakp1s, rakp3s, established, setprivs, devids, closes;
	int		 in_sess, auth_ok, enc_ok, forged;
	uint8_t		 setpriv_level, open_priv, rakp1_role;
	int		 proposed[FB_LOG], nproposed;
	uint64_t	 t_open;	/* clock at the first Open Session */
	uint32_t	 devid_seq[FB_LOG];
	uint8_t		 devid_rqseq[FB_LOG];
	int		 ndevid;
	char		 why[128];	/* first failed check */
	/* SOL payloads (type 01h) received in the session, decrypted */
	uint8_t		 sol_in[FB_LOG][64];
	size_t		 sol_in_len[FB_LOG];
	int		 nsol_in;
	int		 sol_echo;	/* answer each with 'E' + its bytes */
	int		 sol_forge;	/* FBF_* copies before the echo */
	int		 sol_first;	/* a SOL payload "PRE" before the next
					 * Get Device ID answer */
	/* Send Message seen: count, last channel byte, inner fields */
	int		 sendmsgs;
	uint8_t		 sm_chan, sm_rssa, sm_netfn, sm_lun, sm_rqsa, sm_seq;
	uint8_t		 sm_outer_seq, sm_cmd;
	/*
	 * Several requests in flight (the model of a pipelining BMC): with
	 * hold set, every datagram the fake would send is kept in held[]
	 * instead; the test sends them with fb_release in the order it
	 * likes, twice, late or never.  echos counts Master Write-Read
	 * requests, which this fake answers with the write data as the
	 * read data, so each answer names its request.
	 */
	int		 hold;
	uint8_t		 held[FB_LOG][600];
	size_t		 held_len[FB_LOG];
	int		 nheld;
	int		 echos;
};

static void
fb_bad(struct fbmc *b, const char *why)
{
	if (b->bad++ == 0)
		(void)snprintf(b->why, sizeof(b->why), "%s", why);
}

static int
fb_open(struct fbmc *b, uint16_t *port)
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

static void
fb_set_list(struct fbmc *b, const int *ids, size_t n)
{
	size_t i;

	b->listlen = 0;
	for (i = 0; i < n; i++) {
		const struct fb_suite *s = fb_suite_by_id(ids[i]);

		if (s == NULL || b->listlen + 5 > sizeof(b->list))
			continue;
		b->list[b->listlen++] = 0xc0;
		b->list[b->listlen++] = s->id;
		b->list[b->listlen++] = (uint8_t)(0x00 | s->auth);
		b->list[b->listlen++] = (uint8_t)(0x40 | s->integ);
		b->list[b->listlen++] = (uint8_t)(0x80 | s->conf);
	}
}

static void
fb_send(struct fbmc *b, const uint8_t *p, size_t n)
{
	if (b->hold) {
		if (b->nheld < FB_LOG && n <= sizeof(b->held[0])) {
			memcpy(b->held[b->nheld], p, n);
			b->held_len[b->nheld++] = n;
		} else
			fb_bad(b, "too many answers held");
		return;
	}
	(void)sendto(b->fd, p, n, 0, (const struct sockaddr *)&b->peer,
	    b->peerlen);
}

/* send held answer i now (again, if it went before) */
static void
fb_release(struct fbmc *b, int i)
{
	if (i < 0 || i >= b->nheld) {
		fb_bad(b, "no such held answer");
		return;
	}
	(void)sendto(b->fd, b->held[i], b->held_len[i], 0,
	    (const struct sockaddr *)&b->peer, b->peerlen);
}

/* a message outside a session, in an RMCP+ packet with session id 0 */
static void
fb_send_plain(struct fbmc *b, uint8_t ptype, const uint8_t *p, size_t n)
{
	uint8_t out[600];

	fb_send(b, out, fb_wrap(NULL, b->pw, ptype, 0, 0, p, n, NULL, 0,
	    out));
}

/* a payload of type ptype in the session; forged copies first if
 * asked */
static void
fb_send_sess_pt(struct fbmc *b, uint8_t ptype, const uint8_t *m, size_t ml,
    int forge, const uint8_t *fm, size_t fml)
{
	struct fb_sess *s = &b->s;
	uint8_t out[600], iv[16];

	(void)lcr_random(iv, sizeof(iv));
	/* forged copies carry fm, an altered answer: taking one shows */
	if ((forge & FBF_BADICV) && s->integ != 0) {
		fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid, s->out_seq + 1,
		    fm, fml, iv, FBW_BADICV, out));
		b->forged++;
	}
	if ((forge & FBF_BADPAD) && s->conf != 0) {
		fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid, ++s->out_seq,
		    fm, fml, iv, FBW_BADPAD, out));
		b->forged++;
	}
	if ((forge & FBF_BADLEN) && s->conf != 0) {
		fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid, ++s->out_seq,
		    fm, fml, iv, FBW_BADLEN, out));
		b->forged++;
	}
	if ((forge & FBF_REPLAY) && s->out_seq > 0) {
		/* the right answer's bytes altered, under a used seq */
		fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid, s->out_seq, fm,
		    fml, iv, 0, out));
		b->forged++;
	}
	if ((forge & FBF_PLAIN) && (s->integ != 0 || s->conf != 0)) {
		struct fb_sess p = *s;

		p.integ = p.conf = 0;
		fb_send(b, out, fb_wrap(&p, b->pw, ptype, s->msid, ++s->out_seq,
		    fm, fml, iv, 0, out));
		b->forged++;
	}
	if ((forge & FBF_NOENC) && s->conf != 0) {
		fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid, ++s->out_seq,
		    fm, fml, iv, FBW_NOFLAG, out));
		b->forged++;
	}
	if (forge & FBF_WRONGSID) {
		fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid ^ 0x00010000u,
		    ++s->out_seq, fm, fml, iv, 0, out));
		b->forged++;
	}
	(void)lcr_random(iv, sizeof(iv));
	fb_send(b, out, fb_wrap(s, b->pw, ptype, s->msid, ++s->out_seq, m, ml, iv,
	    0, out));
}

/* an answer in the session; forged copies first if asked */
static void
fb_send_sess(struct fbmc *b, const uint8_t *m, size_t ml, int forge,
    const uint8_t *fm, size_t fml)
{
	fb_send_sess_pt(b, 0, m, ml, forge, fm, fml);
}

static void
fb_authcap(struct fbmc *b, const uint8_t *in, size_t n)
{
	struct fb_req q;
	uint8_t m[64], d[8], out[128];
	size_t ml;

	/* IPMI 1.5 header, auth NONE: authtype seq(4) sid(4) len msg */
	if (n < 14 || fb_rd32(in + 5) != 0 || fb_rd32(in + 9) != 0 ||
	    n != 14u + in[13] || fb_reqmsg(in + 14, in[13], &q) != 0 ||
	    q.netfn != 0x06 || q.cmd != 0x38 || q.dl != 2 ||
	    (q.d[0] & 0x8f) != 0x8e) {
		fb_bad(b, "authcap request");
		return;
	}
	b->authcaps++;
	d[0] = 0x01;			/* channel */
	d[1] = 0x80 | 0x16;		/* IPMI 2.0 data, MD5 MD2 password */
	d[2] = (uint8_t)(0x04 | (b->kglen ? 0x20 : 0));
	d[3] = 0x03;			/* IPMI 1.5 and 2.0 */
	d[4] = d[5] = d[6] = d[7] = 0;
	ml = fb_rspmsg(m, q.netfn, q.cmd, q.seq, 0, d, sizeof(d));
	memcpy(out, in, 4);
	memset(out + 4, 0, 9);
	out[13] = (uint8_t)ml;
	memcpy(out + 14, m, ml);
	fb_send(b, out, 14 + ml);
}

static void
fb_cipher_suites(struct fbmc *b, const uint8_t *msg, size_t n)
{
	struct fb_req q;
	uint8_t m[64], d[17];
	size_t off, chunk;

	if (fb_reqmsg(msg, n, &q) != 0 || q.netfn != 0x06 || q.cmd != 0x54 ||
	    q.dl != 3 || (q.d[2] & 0x80) == 0) {
		fb_bad(b, "request outside a session");
		return;
	}
	b->suites_reqs++;
	if (!b->suites_answer)
		return;
	off = (size_t)(q.d[2] & 0x3f) * 16;
	chunk = off < b->listlen ? b->listlen - off : 0;
	if (chunk > 16)
		chunk = 16;
	d[0] = 0x01;
	if (chunk > 0)
		memcpy(d + 1, b->list + off, chunk);
	fb_send_plain(b, 0x00, m, fb_rspmsg(m, q.netfn, q.cmd, q.seq, 0, d,
	    1 + chunk));
}

static void
fb_open_session(struct fbmc *b, const uint8_t *p, size_t n)
{
	uint8_t r[36];
	int i, id;

	if (n != 32 || p[2] != 0 || p[3] != 0) {
		fb_bad(b, "open session request layout");
		return;
	}
	for (i = 0; i < 3; i++) {
		const uint8_t *a = p + 8 + 8 * (size_t)i;

		if (a[0] != i || a[1] != 0 || a[2] != 0 || a[3] != 8 ||
		    a[5] != 0 || a[6] != 0 || a[7] != 0) {
			fb_bad(b, "open session algorithm payload");
			return;
		}
	}
	if (b->opens++ == 0 && b->clock != NULL)
		b->t_open = *b->clock;
	b->open_priv = p[1];
	id = fb_suite_by_alg(p[12], p[20], p[28]);
	if (b->nproposed < FB_LOG)
		b->proposed[b->nproposed++] = id;
	memset(r, 0, sizeof(r));
	r[0] = p[0];
	memcpy(r + 4, p + 4, 4);
	if (id < 0 || !(b->accept & (1u << id))) {
		b->refused++;
		r[1] = 0x11;	/* no cipher suite match */
		fb_send_plain(b, 0x11, r, 8);
		return;
	}
	memset(&b->s, 0, sizeof(b->s));
	b->s.state = FBS_OPENED;
	b->s.auth = p[12];
	b->s.integ = p[20];
	b->s.conf = p[28];
	b->s.msid = fb_rd32(p + 4);
	b->s.csid = b->next_sid++;
	r[2] = 0x04;		/* maximum privilege: administrator */
	fb_le32(r + 8, b->s.csid);
	for (i = 0; i < 3; i++) {
		r[12 + 8 * i] = (uint8_t)i;
		r[15 + 8 * i] = 8;
		r[16 + 8 * i] = p[12 + 8 * i];
	}
	fb_send_plain(b, 0x11, r, sizeof(r));
}

static void
fb_rakp1(struct fbmc *b, const uint8_t *p, size_t n)
{
	struct fb_sess *s = &b->s;
	uint8_t r[128], kuid[20], kg[20];
	size_t ulen, i;

	if (n < 28 || p[27] > 16 || n != 28u + p[27] || p[1] || p[2] ||
	    p[3] || s->state != FBS_OPENED || fb_rd32(p + 4) != s->csid ||
	    p[25] || p[26]) {
		fb_bad(b, "RAKP1");
		return;
	}
	b->rakp1s++;
	s->tag = p[0];
	memcpy(s->rm, p + 8, 16);
	s->role = b->rakp1_role = p[24];
	s->ulen = p[27];
	memcpy(s->user, p + 28, s->ulen);
	ulen = strlen(b->user);
	memset(r, 0, sizeof(r));
	r[0] = s->tag;
	fb_le32(r + 4, s->msid);
	if (s->ulen != ulen || memcmp(s->user, b->user, ulen) != 0) {
		r[1] = 0x0d;	/* unauthorized name */
		fb_send_plain(b, 0x13, r, 8);
		return;
	}
	for (i = 0; i < 16; i++)
		s->rc[i] = (uint8_t)(0xc0 + i + b->rc_ctr);
	b->rc_ctr++;
	memcpy(kuid, b->pw, 20);
	memset(kg, 0, sizeof(kg));
	memcpy(kg, b->kglen ? b->kg : b->pw, 20);
	if (fb_keys(s, kg) != 0 || fb_rakp2_code(s, kuid, b->guid,
	    r + 40) != 0) {
		fb_bad(b, "RAKP2 crypto");
		return;
	}
	memcpy(r + 8, s->rc, 16);
	memcpy(r + 24, b->guid, 16);
	s->state = FBS_RAKP2;
	fb_send_plain(b, 0x13, r, 40 + fb_hlen(s->auth));
}

static void
fb_rakp3(struct fbmc *b, const uint8_t *p, size_t n)
{
	struct fb_sess *s = &b->s;
	uint8_t r[64], code[32];
	size_t hl = fb_hlen(s->auth), il;

	if (n < 8 || s->state != FBS_RAKP2 || p[0] != s->tag || p[1] != 0 ||
	    fb_rd32(p + 4) != s->csid) {
		fb_bad(b, "RAKP3");
		return;
	}
	b->rakp3s++;
	memset(r, 0, sizeof(r));
	r[0] = s->tag;
	fb_le32(r + 4, s->msid);
	if (fb_rakp3_code(s, b->pw, code) != 0 || n != 8 + hl ||
	    memcmp(code, p + 8, hl) != 0) {
		fb_bad(b, "RAKP3 code");
		r[1] = 0x0f;	/* invalid integrity check value */
		fb_send_plain(b, 0x15, r, 8);
		s->state = FBS_NONE;
		return;
	}
	il = fb_rakp4_icv(s, b->guid, r + 8);
	if (b->rakp4_bad)
		r[8 + il - 1] ^= 0x20;
	s->state = FBS_ACTIVE;
	s->in_seq = s->out_seq = 0;
	b->established++;
	fb_send_plain(b, 0x15, r, 8 + il);
}

/*
 * Send Message (22.7): byte 1 channel/tracking, then an IPMB request
 * rsSA netFn/rsLUN chk1 rqSA rqSeq/rqLUN cmd data chk2.  The satellite
 * at FB_SAT_ADDR answers Get Sensor Reading (04h/2Dh) with 33 C0 <sensor
 * number> <LUN> and everything else with C1h; other addresses NAK (83h).
 */
static void
fb_sendmsg(struct fbmc *b, const struct fb_req *q)
{
	const uint8_t *in = q->d + 1;
	size_t il = q->dl > 0 ? q->dl - 1 : 0;
	uint8_t m[64], e[64], f[64], d[8], cc = 0;
	size_t ml, el, fl, dl = 0;

	b->sendmsgs++;
	if (b->drop_sendmsg > 0) {
		b->drop_sendmsg--;
		return;
	}
	if (q->dl < 1 || il < 7 || fb_sum(in, 3) != 0 ||
	    fb_sum(in + 3, il - 3) != 0) {
		fb_bad(b, "Send Message request");
		ml = fb_rspmsg(m, q->netfn, q->cmd, q->seq, 0xcc, NULL, 0);
		fb_send_sess(b, m, ml, 0, m, ml);
		return;
	}
	b->sm_chan = q->d[0];
	b->sm_rssa = in[0];
	b->sm_netfn = in[1] >> 2;
	b->sm_lun = in[1] & 3;
	b->sm_rqsa = in[3];
	b->sm_seq = in[4] >> 2;
	b->sm_cmd = in[5];
	b->sm_outer_seq = q->seq;
	if ((b->sm_chan & 0x0f) != 0 || b->sm_rssa != FB_SAT_ADDR) {
		ml = fb_rspmsg(m, q->netfn, q->cmd, q->seq, 0x83, NULL, 0);
		fb_send_sess(b, m, ml, 0, m, ml);
		return;
	}
	if (b->sm_netfn == 0x04 && b->sm_cmd == 0x2d && il == 8) {
		d[0] = 0x33;
		d[1] = 0xc0;
		d[2] = in[6];
		d[3] = b->sm_lun;
		dl = 4;
	} else
		cc = 0xc1;
	switch (b->bridge) {
	case FBB_EMBED:
	case FBB_EMBED_BAD:
		el = fb_ipmbrsp(e, b->sm_rqsa, b->sm_netfn, b->sm_rssa,
		    b->sm_seq, b->sm_lun, b->sm_cmd, cc, d, dl);
		if (b->bridge == FBB_EMBED_BAD)
			e[el - 1] ^= 0x01;
		ml = fb_rspmsg(m, q->netfn, q->cmd, q->seq, 0, e, el);
		fb_send_sess(b, m, ml, 0, m, ml);
		return;
	default:
		break;
	}
	ml = fb_rspmsg(m, q->netfn, q->cmd, q->seq, 0, NULL, 0);
	fb_send_sess(b, m, ml, 0, m, ml);
	if (b->bridge == FBB_SILENT)
		return;
	el = fb_ipmbrsp(e, 0x20, b->sm_netfn, b->sm_rssa, q->seq, b->sm_lun,
	    b->sm_cmd, cc, d, dl);
	if (b->bridge == FBB_SEP_FORGED) {
		fl = fb_ipmbrsp(f, 0x20, b->sm_netfn, b->sm_rssa,
		    (uint8_t)((q->seq + 1) & 0x3f), b->sm_lun, b->sm_cmd, cc,
		    d, dl);
		f[fl - 2] ^= 0x40;	/* the data differ too */
		f[fl - 1] = (uint8_t)-fb_sum(f + 3, fl - 4);
		fb_send_sess(b, f, fl, 0, f, fl);
		memcpy(f, e, el);
		f[el - 2] ^= 0x40;	/* checksum 2 now wrong */
		fb_send_sess(b, f, el, 0, f, el);
		b->forged += 2;
	}
	fb_send_sess(b, e, el, 0, e, el);
}

/* a packet in the session: check, decrypt, answer */
static void
fb_session(struct fbmc *b, const uint8_t *in, size_t n)
{
	struct fb_sess *s = &b->s;
	struct fb_req q;
	uint8_t plain[512], m[64], fm[64], d[16], mac[32];
	size_t plen, ml, dl = 0, fml, il = fb_icvlen(s->integ), end;
	const uint8_t *pl;
	uint32_t seq;
	uint8_t cc = 0, ptype = in[5] & 0x3f;
	int forge = 0;

	plen = (size_t)in[14] | (size_t)in[15] << 8;
	pl = in + 16;
	seq = fb_rd32(in + 10);
	end = 16 + plen;
	if (s->state != FBS_ACTIVE || end > n || (ptype != 0 && ptype != 1)) {
		fb_bad(b, "no such session or payload type");
		return;
	}
	if (s->integ != 0) {
		size_t pad = 0;

		while ((end - 4 + pad + 2) % 4 != 0)
			pad++;
		if (!(in[5] & 0x40) || n != end + pad + 2 + il) {
			fb_bad(b, "integrity trailer layout");
			return;
		}
		for (ml = 0; ml < pad; ml++)
			if (in[end + ml] != 0xff)
				fb_bad(b, "integrity pad");
		if (in[end + pad] != pad || in[end + pad + 1] != 0x07) {
			fb_bad(b, "pad length / next header");
			return;
		}
		if (fb_trailer(s, b->pw, in + 4, end + pad + 2 - 4, mac) != il
		    || memcmp(mac, in + end + pad + 2, il) != 0) {
			fb_bad(b, "AuthCode");
			return;
		}
		b->auth_ok++;
	} else if ((in[5] & 0x40) || n != end) {
		fb_bad(b, "unexpected trailer");
		return;
	}
	if (seq != s->in_seq + 1) {
		fb_bad(b, "session sequence number");
		return;
	}
	s->in_seq = seq;
	if (s->conf == 1) {
		size_t k, pad;

		if (!(in[5] & 0x80) || plen < 32 || plen % 16 != 0) {
			fb_bad(b, "not encrypted");
			return;
		}
		if (memcmp(pl, s->last_iv, 16) == 0)
			fb_bad(b, "IV reused");
		memcpy(s->last_iv, pl, 16);
		(void)lcr_aes_cbc_decrypt(s->k2, pl, pl + 16, plen - 16,
		    plain);
		plen -= 16;
		pad = plain[plen - 1];
		if (pad > 15 || pad + 1 > plen) {
			fb_bad(b, "confidentiality pad length");
			return;
		}
		for (k = 0; k < pad; k++)
			if (plain[plen - 1 - pad + k] != k + 1) {
				fb_bad(b, "confidentiality pad");
				return;
			}
		plen -= pad + 1;
		if (pad != (16 - (plen + 1) % 16) % 16)
			fb_bad(b, "confidentiality pad not minimal");
		b->enc_ok++;
	} else {
		if (in[5] & 0x80) {
			fb_bad(b, "encrypted without confidentiality");
			return;
		}
		memcpy(plain, pl, plen);
	}
	if (ptype == 1) {
		uint8_t e[80], fe[80];

		if (b->nsol_in < FB_LOG && plen <= sizeof(b->sol_in[0])) {
			memcpy(b->sol_in[b->nsol_in], plain, plen);
			b->sol_in_len[b->nsol_in++] = plen;
		}
		if (b->sol_echo && plen < sizeof(e)) {
			e[0] = 'E';
			memcpy(e + 1, plain, plen);
			memcpy(fe, e, plen + 1);
			fe[0] = 'F';	/* what a forger would say */
			fb_send_sess_pt(b, 1, e, plen + 1, b->sol_forge, fe,
			    plen + 1);
		}
		return;
	}
	if (fb_reqmsg(plain, plen, &q) != 0 || q.netfn != 0x06) {
		fb_bad(b, "in-session IPMI message");
		return;
	}
	b->in_sess++;
	switch (q.cmd) {
	case 0x3b:	/* Set Session Privilege Level */
		b->setprivs++;
		b->setpriv_level = q.dl == 1 ? q.d[0] : 0xff;
		if ((cc = b->setpriv_cc) == 0) {
			d[0] = b->setpriv_level;
			dl = 1;
		}
		break;
	case 0x01:	/* Get Device ID */
		if (b->ndevid < FB_LOG) {
			b->devid_seq[b->ndevid] = seq;
			b->devid_rqseq[b->ndevid] = q.seq;
			b->ndevid++;
		}
		b->devids++;
		if (b->drop_devid > 0) {
			b->drop_devid--;
			return;
		}
		memcpy(d, fb_devid, sizeof(fb_devid));
		dl = sizeof(fb_devid);
		forge = b->forge;
		if (b->sol_first) {
			b->sol_first = 0;
			fb_send_sess_pt(b, 1, (const uint8_t *)"PRE", 3, 0,
			    NULL, 0);
		}
		break;
	case 0x3c:	/* Close Session */
		b->closes++;
		if (q.dl != 4 || fb_rd32(q.d) != s->csid)
			fb_bad(b, "Close Session id");
		break;
	case 0x34:	/* Send Message */
		fb_sendmsg(b, &q);
		return;
	case 0x52:	/* Master Write-Read: the write data read back */
		b->echos++;
		dl = q.dl < sizeof(d) ? q.dl : sizeof(d);
		memcpy(d, q.d, dl);
		break;
	default:
		cc = 0xc1;
		break;
	}
	ml = fb_rspmsg(m, q.netfn, q.cmd, q.seq, cc, d, dl);
	d[0] ^= 0x66;	/* what a forger would like the console to see */
	fml = fb_rspmsg(fm, q.netfn, q.cmd, q.seq, cc, d, dl);
	fb_send_sess(b, m, ml, forge, fm, fml);
	if (q.cmd == 0x3c)
		s->state = FBS_NONE;
}

static void
fb_input(struct fbmc *b, const uint8_t *in, size_t n)
{
	uint8_t ptype;
	size_t plen;

	b->pkts++;
	if (b->silent)
		return;
	if (n < 5 || in[0] != 0x06 || in[1] != 0x00 || in[2] != 0xff ||
	    in[3] != 0x07) {
		fb_bad(b, "RMCP header");
		return;
	}
	if (in[4] == 0x00) {
		fb_authcap(b, in, n);
		return;
	}
	if (in[4] != 0x06 || n < 16) {
		fb_bad(b, "session header");
		return;
	}
	if (fb_rd32(in + 6) != 0) {
		fb_session(b, in, n);
		return;
	}
	ptype = in[5];
	plen = (size_t)in[14] | (size_t)in[15] << 8;
	if (ptype == b->mute_ptype)
		return;
	if (fb_rd32(in + 10) != 0 || n != 16 + plen) {
		fb_bad(b, "packet outside a session");
		return;
	}
	switch (ptype) {
	case 0x00:
		fb_cipher_suites(b, in + 16, plen);
		return;
	case 0x10:
		fb_open_session(b, in + 16, plen);
		return;
	case 0x12:
		fb_rakp1(b, in + 16, plen);
		return;
	case 0x14:
		fb_rakp3(b, in + 16, plen);
		return;
	default:
		fb_bad(b, "payload type outside a session");
		return;
	}
}

/* Read and answer every datagram waiting. */
static void
fb_serve(struct fbmc *b)
{
	uint8_t in[1024];
	ssize_t n;

	for (;;) {
		b->peerlen = sizeof(b->peer);
		n = recvfrom(b->fd, in, sizeof(in), 0,
		    (struct sockaddr *)&b->peer, &b->peerlen);
		if (n <= 0)
			return;
		fb_input(b, in, (size_t)n);
	}
}

static void
fb_init(struct fbmc *b, uint16_t *port, const uint64_t *clock)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->mute_ptype = -1;
	b->clock = clock;
	(void)snprintf(b->user, sizeof(b->user), "admin");
	memcpy(b->pw, "secret", 6);
	b->accept = 0xffffffffu;
	b->next_sid = 0x5a000001u;
	for (i = 0; i < 16; i++)
		b->guid[i] = (uint8_t)(0x30 + i);
	if (fb_open(b, port) != 0)
		b->fd = -1;
}

#endif

/*
 * End-to-end tests of the RMCP+ session state machine (agent/ipmi/
 * lanplus.c) through the public transport API, against the fake BMC of
 * fakebmc.h on a loopback UDP socket with a fake clock.  Covers the
 * cipher suites the OpenIPMI simulator cannot test (15-17, and the MD5
 * ones 6-8, 11, 12) besides 1-3.
 *
 * The fake's key schedule, RAKP codes and packet wrapping are pinned to
 * values computed independently with Python 3 (hmac, hashlib and the
 * 'cryptography' package for AES) in test_pin_*; the script:
 *
 *   import hmac, hashlib, struct
 *   from cryptography.hazmat.primitives.ciphers import (Cipher,
 *       algorithms, modes)
 *   pw = b'secret'.ljust(20, b'\0'); user = b'admin'; role = 0x14
 *   rm = bytes(range(0, 16)); rc = bytes(range(16, 32))
 *   guid = bytes(range(32, 48))
 *   sidm = struct.pack('<I', 0x11223344)	# console's session id
 *   sidc = struct.pack('<I', 0x55667788)	# BMC's session id
 *   ru = bytes([role, len(user)]) + user
 *   for h in (hashlib.sha256, hashlib.sha1, hashlib.md5):
 *     for kg in (pw, b'kgkey'.ljust(20, b'\0')):
 *       sik = hmac.new(kg, rm + rc + ru, h).digest()
 *       k1 = hmac.new(sik, b'\x01' * 20, h).digest()
 *       k2 = hmac.new(sik, b'\x02' * 20, h).digest()
 *       icv4 = hmac.new(sik, rm + sidc + guid, h).digest()  # [:12]
 *                                   # for SHA1, [:16] SHA256 and MD5
 *     rakp2 = hmac.new(pw, sidm + sidc + rm + rc + guid + ru, h).digest()
 *     rakp3 = hmac.new(pw, rc + sidm + ru, h).digest()
 *   # in-session packet (BMC -> console, seq 1): Get Device ID answer,
 *   # AES-CBC-128 under k2[:16] with IV a0..af and pad 01..n n, then
 *   # 06 00 ff 07 | 06 ptype sidm seq len payload ff.. padlen 07 | ICV
 *   # where ICV = hmac(k1, pkt[4:], sha256)[:16] (suite 17),
 *   # md5(pw + pkt[4:] + pw) (11), hmac-md5 K1 (7), hmac-sha1 K1 [:12] (2)
 *
 * Checks marked BUG(lanplus.c) fail against the current lanplus.c on
 * purpose: they show a defect, described next to them.
 */
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "cmd_app.h"
#include "transport.h"
#include "fakebmc.h"

static uint64_t g_now;

/* ---- pinned vectors ---- */

static void
pin_sess(struct fb_sess *s, uint8_t auth)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->auth = auth;
	for (i = 0; i < 16; i++) {
		s->rm[i] = (uint8_t)i;
		s->rc[i] = (uint8_t)(16 + i);
	}
	s->msid = 0x11223344;
	s->csid = 0x55667788;
	s->role = 0x14;
	s->ulen = 5;
	memcpy(s->user, "admin", 5);
}

static const uint8_t pin_pw[20] = "secret";
static const uint8_t pin_kg[20] = "kgkey";

static void
pin_guid(uint8_t g[16])
{
	size_t i;

	for (i = 0; i < 16; i++)
		g[i] = (uint8_t)(32 + i);
}

struct pin_auth {
	uint8_t		 auth;
	const char	*sik, *k1, *k2, *icv4;		/* K_g = password */
	const char	*sik_kg, *k1_kg, *k2_kg, *icv4_kg; /* K_g "kgkey" */
	const char	*rakp2, *rakp3;
};

static const struct pin_auth pins[] = {
	{ LCR_AUTH_HMAC_SHA256,
	  "0c4b7464110cf18fd94ec46aa0242c66ab06157709c02ea7db1653aac04b1023",
	  "b56faef1c37759ee6f92dccb3dfb8a7610c83e064883aa735d3e84c1cb0c5728",
	  "45d88aac4a3d9b6ac2cdf022f1f31a5a82ac0aecfe8d8559b4060eb4a13b4334",
	  "9ec8accfd5669b5355d235d37e31f969",
	  "3bad8f9be14c0ac15ab2cdc37e75fcb50617b4f12c455fb2bbe6aba40bb67079",
	  "d47e29e15480212d66f9ad31192b7b14d2b7d5f1b7b4cb723eb0876a20da698e",
	  "8e78526a80fc325e293183467740334d9d42b62c938a28313894fbd0bf06c05c",
	  "b5dfbed4ad4e0518c227fdbd9fdd7e42",
	  "fcca6bf2d339ec8e1b7f247da5701edaec2039b3a59abcdd349b2035928a6c08",
	  "527c55f92c665789ad8987dd83cdc2d91ad4abb48e5e02dbe843905147533f93" },
	{ LCR_AUTH_HMAC_SHA1,
	  "a39ae2b160a1e5efe017ffd6ec1a4ff8eeac6f54",
	  "58dbc1afa00eb3f9487c9eaef0dc7892cc43e496",
	  "8bd9b8ce0674b5d745ced91e728ac1a51464fcaf",
	  "97b1319ba3566ab52fc1cf11",
	  "84c9f7e905910962732437047616cb80c2467039",
	  "57055ba5281a4963f01adcbeda9210a575cbd0a6",
	  "bc36ff4aa5fa5b3bbab2e74cb32c69ff8bf0346a",
	  "c88cc9d61e521260fa8683ac",
	  "c307e86508810439e58295aecb362738d0ba7e15",
	  "2e873fbfcd9caa8c56a77cc6897b3b5b724abfd1" },
	{ LCR_AUTH_HMAC_MD5,
	  "4c3d49d8eda56585fc428f2d478028e3",
	  "9c7da384756484c798cd772e86038d98",
	  "61323fd5c3dab121a241ea16f712fd94",
	  "896005c58f962abef6be2a735f6fb7f0",
	  "c65df57a24dd455493e1d3f218db4cd0",
	  "21bc9b08f1424b72f9a9d34b340c40d8",
	  "1906de2c2fc58e856dbd9c775b934d86",
	  "c3ffbd1de9819e23a32b32a104c7999f",
	  "cf34589984889fab2a4150a1d58a49d1",
	  "3152b07c9bb1762e11a05f48badb9108" },
};

static void
check_hex(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t exp[64];
	int m = harness_hex(hex, exp, sizeof(exp));

	CHECK_EQ(m, (int)n);
	if (m == (int)n)
		CHECK_MEM(got, exp, n);
}

static void
test_pin_keys(void)
{
	size_t i;

	for (i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
		const struct pin_auth *p = &pins[i];
		struct fb_sess s;
		uint8_t g[16], out[32], sik[32], k[32];
		size_t hl = fb_hlen(p->auth), il;

		pin_sess(&s, p->auth);
		pin_guid(g);
		CHECK_EQ(fb_keys(&s, pin_pw), 0);
		check_hex(s.sik, hl, p->sik);
		check_hex(s.k1, hl, p->k1);
		check_hex(s.k2, hl, p->k2);
		il = fb_rakp4_icv(&s, g, out);
		CHECK_EQ(il, p->auth == LCR_AUTH_HMAC_SHA1 ? 12 : 16);
		check_hex(out, il, p->icv4);
		CHECK_EQ(fb_rakp2_code(&s, pin_pw, g, out), 0);
		check_hex(out, hl, p->rakp2);
		CHECK_EQ(fb_rakp3_code(&s, pin_pw, out), 0);
		check_hex(out, hl, p->rakp3);

		/* and lan_crypto's SIK / K_n agree */
		CHECK_EQ(lcr_sik(p->auth, pin_pw, 20, s.rm, s.rc, s.role,
		    "admin", 5, sik), 0);
		CHECK_MEM(sik, s.sik, hl);
		CHECK_EQ(lcr_kn(p->auth, sik, 2, k), 0);
		CHECK_MEM(k, s.k2, hl);

		CHECK_EQ(fb_keys(&s, pin_kg), 0);
		check_hex(s.sik, hl, p->sik_kg);
		check_hex(s.k1, hl, p->k1_kg);
		check_hex(s.k2, hl, p->k2_kg);
		il = fb_rakp4_icv(&s, g, out);
		check_hex(out, il, p->icv4_kg);
	}
}

static void
test_pin_packets(void)
{
	static const struct {
		int		 suite;
		const char	*pkt;
	} v[] = {
		{ 17, "0600ff0706c044332211010000003000"
		    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
		    "a241d45718220f2b4f46a4f685184d18"
		    "71a04478842017b4e67a86f3c03521d1"
		    "ffff0207be69ab0ae28f56a94a477cea6ea52edb" },
		{ 11, "0600ff07064044332211010000001700"
		    "811c63201401002081024502bf570100341211223344da"
		    "ffffff0307c7906364cb84c328f7a0b044a2ecb9aa" },
		{ 7, "0600ff07064044332211010000001700"
		    "811c63201401002081024502bf570100341211223344da"
		    "ffffff030763ed8e5bb4c68ec60f27987b0cc71522" },
		{ 2, "0600ff07064044332211010000001700"
		    "811c63201401002081024502bf570100341211223344da"
		    "ffffff03072ee8001e87ffe725ecc413ee" },
	};
	static const char msg_hex[] =
	    "811c63201401002081024502bf570100341211223344da";
	uint8_t msg[64], iv[16], out[600], exp[600];
	size_t i, ml, n;
	int m;

	ml = fb_rspmsg(msg, 0x06, 0x01, 5, 0, fb_devid, sizeof(fb_devid));
	check_hex(msg, ml, msg_hex);
	for (i = 0; i < 16; i++)
		iv[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct fb_suite *su = fb_suite_by_id(v[i].suite);
		struct fb_sess s;

		pin_sess(&s, su->auth);
		s.integ = su->integ;
		s.conf = su->conf;
		CHECK_EQ(fb_keys(&s, pin_pw), 0);
		n = fb_wrap(&s, pin_pw, 0, s.msid, 1, msg, ml, iv, 0, out);
		m = harness_hex(v[i].pkt, exp, sizeof(exp));
		CHECK_EQ((int)n, m);
		if ((int)n == m)
			CHECK_MEM(out, exp, n);
	}
}

/* ---- driving the transport ---- */

struct res {
	int		calls;
	enum ipmi_err	err;
	struct ipmi_rsp	rsp;
};

static void
cb(void *arg, enum ipmi_err e, const struct ipmi_rsp *rsp)
{
	struct res *r = arg;

	r->calls++;
	r->err = e;
	if (rsp != NULL)
		r->rsp = *rsp;
	else
		memset(&r->rsp, 0, sizeof(r->rsp));
}

static int
res_devid_ok(const struct res *r)
{
	return r->err == IPMI_OK && r->rsp.netfn == 0x07 &&
	    r->rsp.cmd == 0x01 && r->rsp.ccode == 0 &&
	    r->rsp.len == sizeof(fb_devid) &&
	    memcmp(r->rsp.data, fb_devid, sizeof(fb_devid)) == 0;
}

/*
 * Run the loop with the fake clock g_now until nothing is pending, the
 * clock reaches limit or *stop turns non-zero.  Loopback delivery is
 * immediate on Linux, but wait briefly (real time, bounded poll) for
 * either socket before moving the clock on to the transport's deadline.
 */
static void
pump(struct ipmi_tr *tr, struct fbmc *b, uint64_t limit, const int *stop)
{
	struct pollfd pfd[2];
	uint64_t dl;
	int guard = 20000, n;

	while (guard-- > 0 && g_now < limit && (stop == NULL || !*stop)) {
		pfd[0].fd = b->fd;
		pfd[1].fd = ipmi_tr_fd(tr);
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		dl = ipmi_tr_deadline(tr);
		n = poll(pfd, 2, 0);
		if (n == 0 && dl > g_now)
			/* a grace period before the clock moves on */
			n = poll(pfd, 2, 20);
		if (n > 0) {
			if (pfd[0].revents & POLLIN)
				fb_serve(b);
			if (pfd[1].revents & (POLLIN | POLLERR))
				ipmi_tr_readable(tr, g_now);
			continue;
		}
		dl = ipmi_tr_deadline(tr);
		if (dl == 0)
			break;
		if (dl > limit) {
			g_now = limit;
			break;
		}
		if (dl > g_now)
			g_now = dl;
		ipmi_tr_timeout(tr, g_now);
	}
	CHECK(guard > 0);
}

static void
base_cfg(struct ipmi_tr_cfg *cfg, uint16_t port, int cipher)
{
	ipmi_tr_cfg_init(cfg);
	cfg->iface = IPMI_IFACE_LANPLUS;
	(void)snprintf(cfg->host, sizeof(cfg->host), "127.0.0.1");
	cfg->port = port;
	(void)snprintf(cfg->user, sizeof(cfg->user), "admin");
	memcpy(cfg->password, "secret", 6);
	cfg->pwlen = 6;
	cfg->cipher = cipher;
	cfg->priv = IPMI_PRIV_ADMIN;
	cfg->timeout_ms = 100;
	cfg->retries = 2;
}

static struct ipmi_tr *
mk_tr(const struct ipmi_tr_cfg *cfg)
{
	char err[256];
	struct ipmi_tr *tr = ipmi_tr_new(cfg, err, sizeof(err));

	if (tr == NULL)
		printf("# ipmi_tr_new: %s\n", err);
	return tr;
}

/* one Get Device ID, run to completion */
static void
devid(struct ipmi_tr *tr, struct fbmc *b, struct res *r)
{
	struct ipmi_req req;

	memset(r, 0, sizeof(*r));
	app_devid_req(&req);
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, r, g_now), 0);
	pump(tr, b, g_now + 10000, &r->calls);
	CHECK_EQ(r->calls, 1);
}

static void
close_tr(struct ipmi_tr *tr, struct fbmc *b)
{
	ipmi_tr_close(tr, g_now);
	pump(tr, b, g_now + 10000, NULL);
	CHECK(ipmi_tr_idle(tr));
}

static int
fb_start(struct fbmc *b, uint16_t *port)
{
	g_now = 1000;
	fb_init(b, port, &g_now);
	CHECK(b->fd >= 0);
	return b->fd >= 0 ? 0 : -1;
}

static void
fb_report(const struct fbmc *b)
{
	if (b->bad)
		printf("# fake BMC: %d bad packets, first: %s\n", b->bad,
		    b->why);
}

/*
 * The end of a session with the fake BMC: closed until idle, no bad
 * packet seen, the transport freed; closes, when not -1, is the number
 * of Close Session requests the BMC must have received.
 */
static void
fb_finish(struct ipmi_tr *tr, struct fbmc *b, int closes)
{
	close_tr(tr, b);
	if (closes != -1)
		CHECK_EQ(b->closes, closes);
	CHECK_EQ(b->bad, 0);
	fb_report(b);
	ipmi_tr_free(tr);
}

/* ---- full sessions, one per cipher suite ---- */

static void
run_suite(int id)
{
	const struct fb_suite *su = fb_suite_by_id(id);
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	int forged;

	if (fb_start(&b, &port) != 0 || su == NULL)
		return;
	b.accept = 1u << id;
	base_cfg(&cfg, port, id);
	if ((tr = mk_tr(&cfg)) == NULL)
		goto out;
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));
	CHECK_EQ(ipmi_tr_cipher(tr), id);
	CHECK_EQ(b.authcaps, 1);
	CHECK_EQ(b.suites_reqs, 0);
	CHECK_EQ(b.opens, 1);
	CHECK_EQ(b.nproposed, 1);
	CHECK_EQ(b.proposed[0], id);
	CHECK_EQ(b.rakp1s, 1);
	CHECK_EQ(b.rakp1_role, 0x14);	/* admin, name-only lookup */
	CHECK_EQ(b.rakp3s, 1);
	CHECK_EQ(b.established, 1);
	CHECK_EQ(b.setprivs, 1);
	CHECK_EQ(b.setpriv_level, IPMI_PRIV_ADMIN);
	CHECK_EQ(b.devids, 1);
	/* Set Session Privilege Level and Get Device ID, both checked */
	CHECK_EQ(b.in_sess, 2);
	CHECK_EQ(b.auth_ok, su->integ ? 2 : 0);
	CHECK_EQ(b.enc_ok, su->conf ? 2 : 0);
	CHECK_EQ(ipmi_tr_stats(tr)->dropped, 0);

	/* forged and corrupted answers first: all dropped, the real one
	 * taken */
	b.forge = FBF_BADICV | FBF_BADPAD | FBF_BADLEN | FBF_REPLAY |
	    FBF_WRONGSID | FBF_PLAIN | FBF_NOENC;
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));
	forged = 2 + (su->integ ? 2 : 0) + (su->conf ? 3 : 0);
	CHECK_EQ(b.forged, forged);
	CHECK_EQ((int)ipmi_tr_stats(tr)->dropped, forged);
	b.forge = 0;
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));

	close_tr(tr, &b);
	CHECK_EQ(b.closes, 1);
	CHECK_EQ(b.s.state, FBS_NONE);
	CHECK_EQ(b.bad, 0);
	CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
	CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
	CHECK_EQ(ipmi_tr_stats(tr)->requests, 3);
	CHECK_EQ(ipmi_tr_submit(tr, &(struct ipmi_req){ .netfn = 6,
	    .cmd = 1 }, cb, &r, g_now), -1);
	fb_report(&b);
	ipmi_tr_free(tr);
out:
	(void)close(b.fd);
}

/*
 * The daemon's way: an address resolved beforehand (off the loop) and
 * handed in; host only names the peer.  Were it resolved, "127.0.0.2"
 * would send where no BMC listens (the fake is bound to 127.0.0.1).
 */
static void
test_preresolved_addr(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct sockaddr_in *sin;
	struct fbmc b;
	struct res r;
	uint16_t port;
	char peer[64];

	if (fb_start(&b, &port) != 0)
		return;
	b.accept = 1u << 3;
	base_cfg(&cfg, port, 3);
	(void)snprintf(cfg.host, sizeof(cfg.host), "127.0.0.2");
	sin = (struct sockaddr_in *)&cfg.addr;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cfg.addrlen = sizeof(*sin);
	if ((tr = mk_tr(&cfg)) == NULL)
		goto out;
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));
	CHECK_EQ(b.established, 1);
	(void)snprintf(peer, sizeof(peer), "127.0.0.2:%u", port);
	CHECK_STR(ipmi_tr_peer(tr), peer);
	/* event messages are the open transport's alone */
	CHECK_EQ(ipmi_tr_set_event_cb(tr, NULL, NULL), IPMI_E_UNSUPPORTED);
	close_tr(tr, &b);
	fb_report(&b);
	ipmi_tr_free(tr);
out:
	(void)close(b.fd);
}

/* an address that is not one */
static void
test_bad_addr(void)
{
	struct ipmi_tr_cfg cfg;
	char err[128] = "";

	base_cfg(&cfg, 623, 3);
	cfg.addr.ss_family = AF_UNIX;
	cfg.addrlen = sizeof(cfg.addr);
	CHECK(ipmi_tr_new(&cfg, err, sizeof(err)) == NULL);
	CHECK_STR(err, "socket: not an IPv4 or IPv6 address");
}

#define SUITE_TEST(n) static void test_suite_##n(void) { run_suite(n); }
SUITE_TEST(1)
SUITE_TEST(2)
SUITE_TEST(3)
SUITE_TEST(6)
SUITE_TEST(7)
SUITE_TEST(8)
SUITE_TEST(11)
SUITE_TEST(12)
SUITE_TEST(15)
SUITE_TEST(16)
SUITE_TEST(17)

/* user privilege: no Set Session Privilege Level step */
static void
test_priv_user(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	cfg.priv = IPMI_PRIV_USER;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(b.rakp1_role, 0x12);
		CHECK_EQ(b.setprivs, 0);
		fb_finish(tr, &b, 1);
	}
	(void)close(b.fd);
}

/* ---- -C auto ---- */

static void
run_auto(const int *list, size_t n, int answer, uint32_t accept,
    uint32_t workarounds, int expect, int suites_reqs)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	fb_set_list(&b, list, n);
	b.suites_answer = answer;
	b.accept = accept;
	base_cfg(&cfg, port, IPMI_CIPHER_AUTO);
	cfg.timeout_ms = 2000;	/* the suites query is cut to 1 s */
	cfg.workarounds = workarounds;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(ipmi_tr_cipher(tr), expect);
		CHECK_EQ(b.suites_reqs, suites_reqs);
		CHECK_EQ(b.s.auth, fb_suite_by_id(expect)->auth);
		CHECK_EQ(b.s.integ, fb_suite_by_id(expect)->integ);
		CHECK_EQ(b.s.conf, fb_suite_by_id(expect)->conf);
		if (!answer && suites_reqs > 0)
			/* the unanswered query costs at most 1 s */
			CHECK(b.t_open - 1000 <= 1000);
		else
			CHECK_EQ(b.t_open, 1000);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

static void
test_auto_3_17(void)
{
	static const int l[] = { 3, 17 };

	run_auto(l, 2, 1, 0xffffffffu, 0, 17, 1);
}

static void
test_auto_only_3(void)
{
	static const int l[] = { 3 };

	run_auto(l, 1, 1, 0xffffffffu, 0, 3, 1);
}

static void
test_auto_long_list(void)
{
	/* 11 records of 5 bytes: 4 chunks of up to 16 bytes, 17 last */
	static const int l[] = { 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17 };

	run_auto(l, sizeof(l) / sizeof(l[0]), 1, 0xffffffffu, 0, 17, 4);
}

static void
test_auto_md5_only(void)
{
	/* The BMC lists and accepts only MD5 suites: -C auto takes the
	 * best of them (8: HMAC-MD5, HMAC-MD5-128, AES) and asks for
	 * nothing it did not list. */
	static const int l[] = { 7, 8, 12 };
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	fb_set_list(&b, l, 3);
	b.suites_answer = 1;
	b.accept = 1u << 7 | 1u << 8 | 1u << 12;
	base_cfg(&cfg, port, IPMI_CIPHER_AUTO);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_OK);
		CHECK_EQ(b.nproposed, 1);
		CHECK_EQ(b.proposed[0], 8);
		CHECK_EQ(ipmi_tr_cipher(tr), 8);
		CHECK_EQ(b.bad, 0);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

static void
test_auto_silent(void)
{
	struct fbmc b;
	uint16_t port;

	/* no answer to Get Channel Cipher Suites, 17 refused (status
	 * 11h): 17 is tried, then 3 */
	run_auto(NULL, 0, 0, 1u << 3, 0, 3, 1);
	/* the same seen by the fake */
	if (fb_start(&b, &port) == 0) {
		struct ipmi_tr_cfg cfg;
		struct ipmi_tr *tr;
		struct res r;

		b.accept = 1u << 3;
		base_cfg(&cfg, port, IPMI_CIPHER_AUTO);
		cfg.timeout_ms = 2000;
		if ((tr = mk_tr(&cfg)) != NULL) {
			devid(tr, &b, &r);
			CHECK(res_devid_ok(&r));
			CHECK_EQ(b.nproposed, 2);
			CHECK_EQ(b.proposed[0], 17);
			CHECK_EQ(b.proposed[1], 3);
			CHECK_EQ(b.refused, 1);
			CHECK_EQ(ipmi_tr_cipher(tr), 3);
			/* 1 s for the query, no more */
			CHECK_EQ(b.t_open, 2000);
			CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
			ipmi_tr_free(tr);
		}
		(void)close(b.fd);
	}
	/* 17 accepted straight away */
	run_auto(NULL, 0, 0, 0xffffffffu, 0, 17, 1);
	/* the workaround: no query at all */
	run_auto(NULL, 0, 0, 0xffffffffu, IPMI_WA_NO_CIPHER_SUITES, 17, 0);
}

/* ---- authentication failures ---- */

static void
test_kg(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	memcpy(b.kg, "kgkey", 5);
	b.kglen = 5;
	base_cfg(&cfg, port, 17);
	memcpy(cfg.kg, "kgkey", 5);
	cfg.kglen = 5;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		fb_finish(tr, &b, -1);
	}
	/* no K_g: RAKP2 (password) passes, the SIK differs: RAKP4 fails */
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_AUTH);
		CHECK_STR(ipmi_tr_error(tr), "RAKP4: BMC integrity check "
		    "value mismatch (wrong K_g?)");
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 0);
		ipmi_tr_free(tr);
	}
	/* a wrong K_g, suite 3 */
	base_cfg(&cfg, port, 3);
	memcpy(cfg.kg, "kgkez", 5);
	cfg.kglen = 5;
	b.in_sess = 0;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_AUTH);
		CHECK(strstr(ipmi_tr_error(tr), "wrong K_g?") != NULL);
		CHECK_EQ(b.in_sess, 0);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

static void
test_wrong_password(void)
{
	static const int ids[] = { 17, 3, 12 };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct ipmi_tr_cfg cfg;
		struct ipmi_tr *tr;
		struct fbmc b;
		struct res r;
		uint16_t port;

		if (fb_start(&b, &port) != 0)
			return;
		base_cfg(&cfg, port, ids[i]);
		memcpy(cfg.password, "secreT", 6);
		if ((tr = mk_tr(&cfg)) != NULL) {
			devid(tr, &b, &r);
			CHECK_EQ(r.err, IPMI_E_AUTH);
			CHECK_STR(ipmi_tr_error(tr), "RAKP2: BMC "
			    "authentication code mismatch (wrong password "
			    "or K_g?)");
			CHECK_EQ(b.rakp1s, 1);
			CHECK_EQ(b.rakp3s, 0);
			ipmi_tr_free(tr);
		}
		(void)close(b.fd);
	}
}

static void
test_unknown_user(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	(void)snprintf(cfg.user, sizeof(cfg.user), "root");
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_AUTH);
		CHECK(strstr(ipmi_tr_error(tr), "RAKP2: unauthorized name "
		    "(status 0x0d): unknown user?") != NULL);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

static void
test_bad_rakp4(void)
{
	static const int ids[] = { 17, 3, 8 };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct ipmi_tr_cfg cfg;
		struct ipmi_tr *tr;
		struct fbmc b;
		struct res r;
		uint16_t port;

		if (fb_start(&b, &port) != 0)
			return;
		b.rakp4_bad = 1;
		base_cfg(&cfg, port, ids[i]);
		if ((tr = mk_tr(&cfg)) != NULL) {
			devid(tr, &b, &r);
			CHECK_EQ(r.err, IPMI_E_AUTH);
			CHECK(strncmp(ipmi_tr_error(tr), "RAKP4: ", 7) == 0);
			CHECK_EQ(b.rakp3s, 1);
			CHECK_EQ(b.in_sess, 0);	/* nothing sent in it */
			CHECK_EQ(ipmi_tr_stats(tr)->sessions, 0);
			CHECK_EQ(b.bad, 0);
			ipmi_tr_free(tr);
		}
		(void)close(b.fd);
	}
}

static void
test_setpriv_refused(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r, r2;
	struct ipmi_req req;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	b.setpriv_cc = 0x81;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		memset(&r2, 0, sizeof(r2));
		app_devid_req(&req);
		CHECK_EQ(ipmi_tr_submit(tr, &req, cb, &r2, g_now), 0);
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_AUTH);
		CHECK_EQ(r2.calls, 1);
		CHECK_EQ(r2.err, IPMI_E_AUTH);
		CHECK(strncmp(ipmi_tr_error(tr), "Set Session Privilege "
		    "Level: admin", 33) == 0);
		CHECK(strstr(ipmi_tr_error(tr), "completion code 81h: "
		    "Requested level exceeds channel and/or user privilege "
		    "limit") != NULL);
		CHECK_EQ(b.setprivs, 1);
		CHECK_EQ(b.devids, 0);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 0);
		CHECK_EQ(b.bad, 0);
		/*
		 * The session is active on the BMC (RAKP4 done): after the
		 * refusal it must be closed, or it holds one of the BMC's
		 * few session slots until its inactivity timeout.  The
		 * requests fail at once; the Close Session follows.
		 */
		pump(tr, &b, g_now + 2000, NULL);
		CHECK_EQ(b.closes, 1);
		fb_report(&b);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

/* ---- in-session robustness ---- */

static void
test_forged_each(void)
{
	static const int kinds[] = { FBF_BADICV, FBF_BADPAD, FBF_BADLEN,
	    FBF_REPLAY, FBF_WRONGSID, FBF_PLAIN, FBF_NOENC };
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	size_t i;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			uint64_t d0 = ipmi_tr_stats(tr)->dropped;

			b.forge = kinds[i];
			devid(tr, &b, &r);
			CHECK(res_devid_ok(&r));
			CHECK_EQ(ipmi_tr_stats(tr)->dropped, d0 + 1);
		}
		CHECK_EQ(b.forged, 7);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

static void
test_retransmit(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	uint64_t t0;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		b.drop_devid = 1;
		t0 = g_now;
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(g_now - t0, 100);
		CHECK_EQ(b.ndevid, 3);
		/* same rqSeq, the next session sequence number */
		CHECK_EQ(b.devid_rqseq[2], b.devid_rqseq[1]);
		CHECK(b.devid_rqseq[1] != b.devid_rqseq[0]);
		CHECK_EQ(b.devid_seq[2], b.devid_seq[1] + 1);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

static void
test_session_lost(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	uint64_t t0;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		b.silent = 1;
		t0 = g_now;
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_TIMEOUT);
		CHECK_EQ(g_now - t0, 300);	/* 3 tries of 100 ms */
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 2);
		CHECK_STR(ipmi_tr_error(tr), "request: no response after 3 "
		    "tries");
		/* the BMC forgot the session too */
		b.silent = 0;
		b.s.state = FBS_NONE;
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 2);
		CHECK_EQ(b.established, 2);
		CHECK_EQ(b.authcaps, 2);
		CHECK_EQ(ipmi_tr_cipher(tr), 17);
		fb_finish(tr, &b, 1);
	}
	(void)close(b.fd);
}

static void
test_keepalive(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	uint64_t t0;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	cfg.keepalive_ms = 500;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		t0 = g_now;
		b.devids = 0;
		pump(tr, &b, t0 + 1750, NULL);
		CHECK_EQ(b.devids, 3);	/* every 500 ms while idle */
		CHECK_EQ(ipmi_tr_stats(tr)->requests, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		/* a keepalive that is not answered loses the session */
		b.silent = 1;
		pump(tr, &b, g_now + 1000, NULL);
		CHECK(ipmi_tr_deadline(tr) == 0);
		b.silent = 0;
		b.s.state = FBS_NONE;
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 2);
		fb_finish(tr, &b, 1);
	}
	(void)close(b.fd);
}

/* a user request submitted while a keepalive is unanswered waits for it */
static void
test_keepalive_busy(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	struct ipmi_req req;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	cfg.keepalive_ms = 500;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		b.devids = 0;
		b.drop_devid = 1;	/* the first keepalive */
		pump(tr, &b, g_now + 10000, &b.devids);
		CHECK_EQ(b.devids, 1);
		memset(&r, 0, sizeof(r));
		app_devid_req(&req);
		CHECK_EQ(ipmi_tr_submit(tr, &req, cb, &r, g_now), 0);
		pump(tr, &b, g_now + 10000, &r.calls);
		CHECK(res_devid_ok(&r));
		/* keepalive, its retransmission, the user request */
		CHECK_EQ(b.devids, 3);
		CHECK_EQ(b.devid_rqseq[b.ndevid - 2],
		    b.devid_rqseq[b.ndevid - 3]);
		CHECK(b.devid_rqseq[b.ndevid - 1] !=
		    b.devid_rqseq[b.ndevid - 2]);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		fb_finish(tr, &b, 1);
	}
	(void)close(b.fd);
}

/* ipmi_tr_close while a request is unanswered */
static void
test_close_in_flight(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	struct ipmi_req req;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		b.devids = 0;
		b.drop_devid = 1;
		memset(&r, 0, sizeof(r));
		app_devid_req(&req);
		CHECK_EQ(ipmi_tr_submit(tr, &req, cb, &r, g_now), 0);
		pump(tr, &b, g_now + 10000, &b.devids);
		CHECK_EQ(b.devids, 1);
		CHECK_EQ(r.calls, 0);
		ipmi_tr_close(tr, g_now);
		CHECK_EQ(r.calls, 1);
		CHECK_EQ(r.err, IPMI_E_CLOSED);
		pump(tr, &b, g_now + 10000, NULL);
		CHECK(ipmi_tr_idle(tr));
		/*
		 * BUG(lanplus.c, lp_close): ipmi_tr_close() completes the
		 * request in flight but leaves lp->flight == LPF_USER, so
		 * lp_close() takes the "not open or busy" branch and
		 * forgets the session without sending Close Session: the
		 * BMC keeps it until its inactivity timeout.
		 */
		CHECK_EQ(b.closes, 1);
		CHECK_EQ(b.bad, 0);
		fb_report(&b);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

/* an explicit suite the BMC refuses; a BMC that stops answering during
 * the handshake */
static void
test_setup_failures(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	uint64_t t0;

	if (fb_start(&b, &port) != 0)
		return;
	b.accept = 1u << 3;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_UNSUPPORTED);
		CHECK_STR(ipmi_tr_error(tr), "Open Session: cipher suite 17: "
		    "no cipher suite match with proposed security algorithms "
		    "(status 0x11)");
		CHECK_EQ(b.nproposed, 1);
		ipmi_tr_free(tr);
	}
	b.accept = 0xffffffffu;
	b.mute_ptype = 0x12;	/* RAKP1 unanswered */
	if ((tr = mk_tr(&cfg)) != NULL) {
		t0 = g_now;
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_TIMEOUT);
		CHECK_EQ(g_now - t0, 300);
		CHECK_STR(ipmi_tr_error(tr), "RAKP2: no response after 3 "
		    "tries");
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 2);
		ipmi_tr_free(tr);
	}
	b.mute_ptype = 0x14;	/* RAKP3 unanswered */
	b.rakp1s = b.rakp3s = 0;
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK_EQ(r.err, IPMI_E_TIMEOUT);
		CHECK_STR(ipmi_tr_error(tr), "RAKP4: no response after 3 "
		    "tries");
		CHECK_EQ(b.rakp1s, 1);
		ipmi_tr_free(tr);
	}
	CHECK_EQ(b.bad, 0);
	fb_report(&b);
	(void)close(b.fd);
}

/* requests queued together go one at a time through one session */
static void
test_queue(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[5];
	struct ipmi_req req;
	uint16_t port;
	int i, done = 0;

	if (fb_start(&b, &port) != 0)
		return;
	b.forge = FBF_BADICV | FBF_REPLAY | FBF_BADPAD;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		memset(r, 0, sizeof(r));
		app_devid_req(&req);
		for (i = 0; i < 5; i++)
			CHECK_EQ(ipmi_tr_submit(tr, &req, cb, &r[i], g_now),
			    0);
		pump(tr, &b, g_now + 10000, &r[4].calls);
		for (i = 0; i < 5; i++) {
			CHECK_EQ(r[i].calls, 1);
			done += res_devid_ok(&r[i]);
		}
		CHECK_EQ(done, 5);
		CHECK_EQ(b.devids, 5);
		CHECK_EQ((int)ipmi_tr_stats(tr)->dropped, b.forged);
		CHECK_EQ(b.forged, 15);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->requests, 5);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

/* ---- bridged requests: Send Message, sections 6.12.3 and 22.7 ---- */

/* Get Sensor Reading of sensor num, LUN lun, on addr via IPMB 0 */
static void
bridged(struct ipmi_tr *tr, struct fbmc *b, uint8_t addr, uint8_t lun,
    uint8_t num, struct res *r)
{
	struct ipmi_req req;

	memset(r, 0, sizeof(*r));
	ipmi_req_init(&req, IPMI_NETFN_SENSOR_EVENT,
	    IPMI_CMD_GET_SENSOR_READING, &num, 1);
	req.lun = lun;
	req.bridged = 1;
	req.target_chan = 0;
	req.target_addr = addr;
	CHECK_EQ(ipmi_tr_submit(tr, &req, cb, r, g_now), 0);
	pump(tr, b, g_now + 10000, &r->calls);
	CHECK_EQ(r->calls, 1);
}

static int
res_reading_ok(const struct res *r, uint8_t num, uint8_t lun)
{
	static const uint8_t pre[2] = { 0x33, 0xc0 };

	return r->err == IPMI_OK && r->rsp.netfn == 0x05 &&
	    r->rsp.cmd == 0x2d && r->rsp.ccode == 0 && r->rsp.len == 4 &&
	    memcmp(r->rsp.data, pre, 2) == 0 && r->rsp.data[2] == num &&
	    r->rsp.data[3] == lun;
}

/* both answer shapes, with and without confidentiality */
static void
test_bridge_shapes(void)
{
	static const int shapes[] = { FBB_SEPARATE, FBB_EMBED,
	    FBB_SEP_FORGED };
	static const int suites[] = { 3, 17, 1 };
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	uint16_t port;
	size_t i, j;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		for (j = 0; j < sizeof(suites) / sizeof(suites[0]); j++) {
			if (fb_start(&b, &port) != 0)
				return;
			b.bridge = shapes[i];
			base_cfg(&cfg, port, suites[j]);
			if ((tr = mk_tr(&cfg)) != NULL) {
				bridged(tr, &b, FB_SAT_ADDR, 1, 0x06, &r);
				CHECK(res_reading_ok(&r, 0x06, 1));
				CHECK_EQ(b.sendmsgs, 1);
				/* track request, channel 0; the IPMB
				 * request from the BMC to 30h LUN 1 */
				CHECK_EQ(b.sm_chan, 0x40);
				CHECK_EQ(b.sm_rssa, FB_SAT_ADDR);
				CHECK_EQ(b.sm_netfn, 0x04);
				CHECK_EQ(b.sm_lun, 1);
				CHECK_EQ(b.sm_rqsa, 0x20);
				CHECK_EQ(b.sm_cmd, 0x2d);
				CHECK_EQ(b.sm_seq, b.sm_outer_seq);
				CHECK_EQ((int)ipmi_tr_stats(tr)->dropped,
				    b.forged);
				CHECK_EQ(b.forged, shapes[i] ==
				    FBB_SEP_FORGED ? 2 : 0);
				/* the session goes on as before */
				bridged(tr, &b, FB_SAT_ADDR, 0, 0x05, &r);
				CHECK(res_reading_ok(&r, 0x05, 0));
				devid(tr, &b, &r);
				CHECK(res_devid_ok(&r));
				CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
				CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
				fb_finish(tr, &b, -1);
			}
			(void)close(b.fd);
		}
}

/* Send Message's own completion code, the target's, a garbled embedded
 * answer, a silent target, a lost Send Message */
static void
test_bridge_failures(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	struct ipmi_req req;
	uint16_t port;
	uint64_t t0, dropped;

	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		/* nobody at 44h: Send Message answers 83h (NAK on write) */
		bridged(tr, &b, 0x44, 0, 0x05, &r);
		CHECK_EQ(r.err, IPMI_OK);
		CHECK_EQ(r.rsp.ccode, 0x83);
		CHECK_EQ(r.rsp.netfn, 0x07);
		CHECK_EQ(r.rsp.cmd, 0x34);
		CHECK_STR(ipmi_ccode_name(r.rsp.netfn, r.rsp.cmd,
		    r.rsp.ccode), "NAK on write");
		/* the target's completion code comes through */
		memset(&r, 0, sizeof(r));
		ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID,
		    NULL, 0);
		req.bridged = 1;
		req.target_addr = FB_SAT_ADDR;
		CHECK_EQ(ipmi_tr_submit(tr, &req, cb, &r, g_now), 0);
		pump(tr, &b, g_now + 10000, &r.calls);
		CHECK_EQ(r.err, IPMI_OK);
		CHECK_EQ(r.rsp.ccode, 0xc1);
		CHECK_EQ(r.rsp.netfn, 0x07);
		CHECK_EQ(r.rsp.cmd, 0x01);
		/* garbled embedded answer: a protocol error, at once */
		b.bridge = FBB_EMBED_BAD;
		t0 = g_now;
		bridged(tr, &b, FB_SAT_ADDR, 0, 0x05, &r);
		CHECK_EQ(r.err, IPMI_E_CHECKSUM);
		CHECK_EQ(g_now, t0);
		/* silent target: the whole Send Message is resent, then a
		 * timeout; the session stays (the BMC answered) */
		b.bridge = FBB_SILENT;
		b.sendmsgs = 0;
		t0 = g_now;
		dropped = ipmi_tr_stats(tr)->dropped;
		bridged(tr, &b, FB_SAT_ADDR, 0, 0x05, &r);
		CHECK_EQ(r.err, IPMI_E_TIMEOUT);
		CHECK_EQ(b.sendmsgs, 3);
		CHECK_EQ(ipmi_tr_stats(tr)->dropped, dropped);
		CHECK(g_now - t0 >= 300 && g_now - t0 <= 400);
		CHECK(strstr(ipmi_tr_error(tr), "0x30") != NULL);
		b.bridge = FBB_SEPARATE;
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		/* the first Send Message lost: resent, same rqSeq */
		b.drop_sendmsg = 1;
		b.sendmsgs = 0;
		bridged(tr, &b, FB_SAT_ADDR, 0, 0x07, &r);
		CHECK(res_reading_ok(&r, 0x07, 0));
		CHECK_EQ(b.sendmsgs, 2);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
	/* a silent BMC (no acceptance): the session is presumed lost */
	if (fb_start(&b, &port) != 0)
		return;
	base_cfg(&cfg, port, 17);
	if ((tr = mk_tr(&cfg)) != NULL) {
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		b.drop_sendmsg = 3;
		bridged(tr, &b, FB_SAT_ADDR, 0, 0x05, &r);
		CHECK_EQ(r.err, IPMI_E_TIMEOUT);
		devid(tr, &b, &r);
		CHECK(res_devid_ok(&r));
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 2);
		close_tr(tr, &b);
		fb_report(&b);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

/* ---- payloads (SOL, type 01h) beside the requests ---- */

struct plrec {
	int		 calls;		/* payloads delivered */
	int		 ended;		/* session-ended calls */
	uint8_t		 ptype;
	uint8_t		 last[64];
	size_t		 len;
};

static void
pl_cb(void *arg, uint8_t ptype, const uint8_t *p, size_t n)
{
	struct plrec *pr = arg;

	if (p == NULL) {
		pr->ended++;
		return;
	}
	pr->calls++;
	pr->ptype = ptype;
	pr->len = n < sizeof(pr->last) ? n : sizeof(pr->last);
	memcpy(pr->last, p, pr->len);
}

static void
run_payload_suite(int id)
{
	const struct fb_suite *su = fb_suite_by_id(id);
	static const uint8_t sol[] = { 0x01, 0x00, 0x00, 0x00, 'h', 'i' };
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	struct plrec pr;
	uint16_t port;
	int auth0, enc0;

	if (fb_start(&b, &port) != 0 || su == NULL)
		return;
	memset(&pr, 0, sizeof(pr));
	b.accept = 1u << id;
	base_cfg(&cfg, port, id);
	if ((tr = mk_tr(&cfg)) == NULL)
		goto out;
	/* no session yet: nothing to send it in */
	CHECK_EQ(ipmi_tr_send_payload(tr, 1, sol, sizeof(sol), g_now),
	    IPMI_E_SESSION);
	CHECK_EQ(ipmi_tr_set_payload_cb(tr, 1, pl_cb, &pr), IPMI_OK);
	CHECK_EQ(ipmi_tr_session_id(tr), 0);
	CHECK_EQ(ipmi_tr_port(tr), port);
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));
	CHECK_EQ(ipmi_tr_session_id(tr), b.s.csid);
	/* ours arrives decrypted and checked as the suite demands */
	auth0 = b.auth_ok;
	enc0 = b.enc_ok;
	b.sol_echo = 1;
	CHECK_EQ(ipmi_tr_send_payload(tr, 1, sol, sizeof(sol), g_now),
	    IPMI_OK);
	pump(tr, &b, g_now + 1000, &pr.calls);
	CHECK_EQ(b.nsol_in, 1);
	CHECK_EQ(b.sol_in_len[0], sizeof(sol));
	CHECK_MEM(b.sol_in[0], sol, sizeof(sol));
	CHECK_EQ(b.auth_ok - auth0, su->integ ? 1 : 0);
	CHECK_EQ(b.enc_ok - enc0, su->conf ? 1 : 0);
	/* and its answer reaches us the same way */
	CHECK_EQ(pr.calls, 1);
	CHECK_EQ(pr.ptype, 1);
	CHECK_EQ(pr.len, sizeof(sol) + 1);
	CHECK_EQ(pr.last[0], 'E');
	CHECK_MEM(pr.last + 1, sol, sizeof(sol));
	CHECK_EQ(ipmi_tr_stats(tr)->payloads_out, 1);
	CHECK_EQ(ipmi_tr_stats(tr)->payloads_in, 1);
	/* a payload before the answer to the request in flight: both
	 * taken, the request matched as ever */
	b.sol_first = 1;
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));
	CHECK_EQ(pr.calls, 2);
	CHECK_EQ(pr.len, 3);
	CHECK_MEM(pr.last, "PRE", 3);
	/* forged copies of a payload are dropped, the real one taken */
	b.sol_forge = FBF_BADICV | FBF_WRONGSID | FBF_REPLAY | FBF_PLAIN |
	    FBF_BADPAD | FBF_NOENC;
	b.forged = 0;
	CHECK_EQ(ipmi_tr_send_payload(tr, 1, sol, sizeof(sol), g_now),
	    IPMI_OK);
	pump(tr, &b, g_now + 1000, NULL);
	CHECK_EQ(pr.calls, 3);
	CHECK_EQ(pr.last[0], 'E');
	CHECK(b.forged >= 2);
	CHECK_EQ((int)ipmi_tr_stats(tr)->dropped, b.forged);
	/* a payload of a type nobody listens for is dropped */
	b.sol_forge = 0;
	CHECK_EQ(ipmi_tr_set_payload_cb(tr, 2, pl_cb, &pr), IPMI_OK);
	CHECK_EQ(ipmi_tr_send_payload(tr, 1, sol, sizeof(sol), g_now),
	    IPMI_OK);
	pump(tr, &b, g_now + 200, NULL);
	CHECK_EQ(pr.calls, 3);
	CHECK_EQ(ipmi_tr_set_payload_cb(tr, 1, pl_cb, &pr), IPMI_OK);
	/* IPMI messages are not payloads to send this way */
	CHECK_EQ(ipmi_tr_send_payload(tr, 0, sol, sizeof(sol), g_now),
	    IPMI_E_UNSUPPORTED);
	/* the close ends the session: said once */
	CHECK_EQ(pr.ended, 0);
	close_tr(tr, &b);
	CHECK_EQ(pr.ended, 1);
	CHECK_EQ(b.bad, 0);
	fb_report(&b);
	ipmi_tr_free(tr);
out:
	(void)close(b.fd);
}

static void
test_payload_suites(void)
{
	static const int ids[] = { 1, 2, 3, 8, 11, 17 };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		run_payload_suite(ids[i]);
}

/* While someone listens for payloads the idle session is kept alive,
 * and a session that stops answering is reported lost once. */
static void
test_payload_keepalive(void)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r;
	struct plrec pr;
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	memset(&pr, 0, sizeof(pr));
	base_cfg(&cfg, port, 3);
	cfg.keepalive_ms = 0;
	if ((tr = mk_tr(&cfg)) == NULL)
		goto out;
	devid(tr, &b, &r);
	CHECK_EQ(ipmi_tr_deadline(tr), 0);	/* nobody listens: none */
	CHECK_EQ(ipmi_tr_set_payload_cb(tr, 1, pl_cb, &pr), IPMI_OK);
	devid(tr, &b, &r);
	CHECK_EQ(ipmi_tr_deadline(tr), g_now + IPMI_TR_PAYLOAD_KEEPALIVE_MS);
	b.devids = 0;
	pump(tr, &b, g_now + 2 * (uint64_t)IPMI_TR_PAYLOAD_KEEPALIVE_MS + 100,
	    NULL);
	CHECK_EQ(b.devids, 2);
	CHECK_EQ(pr.ended, 0);
	/* unanswered keepalive: the session is gone, said once */
	b.silent = 1;
	pump(tr, &b, g_now + IPMI_TR_PAYLOAD_KEEPALIVE_MS + 1000, NULL);
	CHECK_EQ(pr.ended, 1);
	CHECK_EQ(ipmi_tr_session_id(tr), 0);
	CHECK_EQ(ipmi_tr_send_payload(tr, 1, (const uint8_t *)"x", 1, g_now),
	    IPMI_E_SESSION);
	/* no longer listening: no keepalive after the next session */
	CHECK_EQ(ipmi_tr_set_payload_cb(tr, 1, NULL, NULL), IPMI_OK);
	b.silent = 0;
	b.s.state = FBS_NONE;
	devid(tr, &b, &r);
	CHECK(res_devid_ok(&r));
	CHECK_EQ(ipmi_tr_deadline(tr), 0);
	close_tr(tr, &b);
	CHECK_EQ(pr.ended, 1);
	ipmi_tr_free(tr);
out:
	(void)close(b.fd);
}

/* ---- several requests in flight (max_outstanding) ---- */

/* Master Write-Read that the fake answers with its own data: request i
 * carries 0xa0 + i, 0x10 + i */
static void
echo_req(struct ipmi_req *q, int i)
{
	memset(q, 0, sizeof(*q));
	q->netfn = 0x06;
	q->cmd = 0x52;
	q->len = 2;
	q->data[0] = (uint8_t)(0xa0 + i);
	q->data[1] = (uint8_t)(0x10 + i);
}

static int
res_echo_ok(const struct res *r, int i)
{
	return r->calls == 1 && r->err == IPMI_OK && r->rsp.netfn == 0x07 &&
	    r->rsp.cmd == 0x52 && r->rsp.ccode == 0 && r->rsp.len == 2 &&
	    r->rsp.data[0] == 0xa0 + i && r->rsp.data[1] == 0x10 + i;
}

/* a session opened with one Get Device ID, window w */
static struct ipmi_tr *
win_open(struct fbmc *b, uint16_t port, unsigned w)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	struct res r;

	base_cfg(&cfg, port, 3);
	cfg.max_outstanding = w;
	if ((tr = mk_tr(&cfg)) == NULL)
		return NULL;
	devid(tr, b, &r);
	CHECK(res_devid_ok(&r));
	CHECK_EQ(ipmi_tr_window(tr), w);
	return tr;
}

static void
win_submit(struct ipmi_tr *tr, struct res *r, int from, int to)
{
	struct ipmi_req q;
	int i;

	for (i = from; i < to; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		echo_req(&q, i);
		CHECK_EQ(ipmi_tr_submit(tr, &q, cb, &r[i], g_now), 0);
	}
}

/* The window bounds what is sent before an answer; answers released in
 * reverse order each complete their own request; the reorder makes the
 * window fall to 1, and the rest go one by one. */
static void
test_window_reorder(void)
{
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[10];
	uint16_t port;
	int i;

	if (fb_start(&b, &port) != 0)
		return;
	if ((tr = win_open(&b, port, 4)) != NULL) {
		b.hold = 1;
		win_submit(tr, r, 0, 10);
		pump(tr, &b, g_now + 50, NULL);
		CHECK_EQ(b.echos, 4);		/* the window, no more */
		CHECK_EQ(b.nheld, 4);
		CHECK_EQ(ipmi_tr_stats(tr)->inflight_max, 4);
		for (i = 3; i >= 0; i--)
			fb_release(&b, i);
		b.hold = 0;
		pump(tr, &b, g_now + 10000, &r[9].calls);
		for (i = 0; i < 10; i++)
			CHECK(res_echo_ok(&r[i], i));
		/* three answers overtook an older request */
		CHECK_EQ(ipmi_tr_stats(tr)->reordered, 3);
		CHECK_EQ(ipmi_tr_stats(tr)->window_fallbacks, 1);
		CHECK_EQ(ipmi_tr_window(tr), 1);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
		CHECK_EQ(ipmi_tr_stats(tr)->requests, 11);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		CHECK_EQ(b.echos, 10);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

/* In order and without loss the window stays; every rqSeq in flight is
 * distinct and a duplicated answer (the same datagram twice: a replay)
 * is dropped. */
static void
test_window_inorder_dup(void)
{
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[12];
	uint16_t port;
	int i;

	if (fb_start(&b, &port) != 0)
		return;
	if ((tr = win_open(&b, port, 8)) != NULL) {
		b.hold = 1;
		win_submit(tr, r, 0, 8);
		pump(tr, &b, g_now + 50, NULL);
		CHECK_EQ(b.nheld, 8);
		for (i = 0; i < 8; i++) {
			fb_release(&b, i);
			fb_release(&b, i);	/* duplicated on the way */
		}
		pump(tr, &b, g_now + 50, NULL);
		for (i = 0; i < 8; i++)
			CHECK(res_echo_ok(&r[i], i));
		CHECK_EQ(ipmi_tr_stats(tr)->dropped, 8);
		CHECK_EQ(ipmi_tr_stats(tr)->reordered, 0);
		CHECK_EQ(ipmi_tr_window(tr), 8);
		b.hold = 0;
		win_submit(tr, r, 8, 12);
		pump(tr, &b, g_now + 10000, &r[11].calls);
		for (i = 8; i < 12; i++)
			CHECK(res_echo_ok(&r[i], i));
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
		CHECK_EQ(ipmi_tr_stats(tr)->window_fallbacks, 0);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

/* A lost answer: that request alone is sent again (same rqSeq), its
 * answer completes it, and the window falls to 1; 512 requests in a row
 * answered at the first try open it again. */
static void
test_window_lost(void)
{
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[4];
	uint16_t port;
	uint64_t t0;
	int i;

	if (fb_start(&b, &port) != 0)
		return;
	if ((tr = win_open(&b, port, 4)) != NULL) {
		b.hold = 1;
		t0 = g_now;
		win_submit(tr, r, 0, 4);
		pump(tr, &b, g_now + 50, NULL);
		CHECK_EQ(b.nheld, 4);
		for (i = 0; i < 3; i++)		/* the last one is lost */
			fb_release(&b, i);
		b.hold = 0;
		pump(tr, &b, g_now + 10000, &r[3].calls);
		for (i = 0; i < 4; i++)
			CHECK(res_echo_ok(&r[i], i));
		CHECK_EQ(g_now - t0, 100);	/* one attempt's time */
		CHECK_EQ(b.echos, 5);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->reordered, 0);
		CHECK_EQ(ipmi_tr_stats(tr)->window_fallbacks, 1);
		CHECK_EQ(ipmi_tr_window(tr), 1);
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 1);
		/* 511 clean answers keep it at 1, the 512th opens it again */
		for (i = 0; i < 511; i++) {
			devid(tr, &b, &r[0]);
			CHECK(res_devid_ok(&r[0]));
		}
		CHECK_EQ(ipmi_tr_window(tr), 1);
		devid(tr, &b, &r[0]);
		CHECK_EQ(ipmi_tr_window(tr), 4);
		CHECK_EQ(ipmi_tr_stats(tr)->window_restores, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 1);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

/* Late answers: both requests time out and are sent again; the first
 * answers (late) complete them, the answers to the retransmissions find
 * nothing to complete and are dropped. */
static void
test_window_late(void)
{
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[2];
	uint16_t port;

	if (fb_start(&b, &port) != 0)
		return;
	if ((tr = win_open(&b, port, 2)) != NULL) {
		b.hold = 1;
		win_submit(tr, r, 0, 2);
		pump(tr, &b, g_now + 150, NULL);	/* one retransmission */
		CHECK_EQ(b.echos, 4);
		CHECK_EQ(b.nheld, 4);
		CHECK_EQ(r[0].calls + r[1].calls, 0);
		fb_release(&b, 1);
		fb_release(&b, 0);
		pump(tr, &b, g_now + 50, NULL);
		CHECK(res_echo_ok(&r[0], 0));
		CHECK(res_echo_ok(&r[1], 1));
		fb_release(&b, 2);
		fb_release(&b, 3);
		pump(tr, &b, g_now + 50, NULL);
		CHECK_EQ(r[0].calls, 1);
		CHECK_EQ(r[1].calls, 1);
		CHECK_EQ(ipmi_tr_stats(tr)->dropped, 2);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 2);
		CHECK_EQ(ipmi_tr_stats(tr)->requests, 3);
		b.hold = 0;
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

/* A BMC that stops answering with requests in flight: all of them fail
 * once one is out of tries, and the next request opens a new session;
 * closing with requests in flight or queued fails them with
 * IPMI_E_CLOSED. */
static void
test_window_lost_session_close(void)
{
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[3], d;
	uint16_t port;
	uint64_t t0;
	int i;

	if (fb_start(&b, &port) != 0)
		return;
	if ((tr = win_open(&b, port, 4)) != NULL) {
		b.silent = 1;
		t0 = g_now;
		win_submit(tr, r, 0, 3);
		pump(tr, &b, g_now + 10000, &r[2].calls);
		for (i = 0; i < 3; i++) {
			CHECK_EQ(r[i].calls, 1);
			CHECK_EQ(r[i].err, IPMI_E_TIMEOUT);
		}
		CHECK_EQ(g_now - t0, 300);	/* 3 tries of 100 ms */
		CHECK_STR(ipmi_tr_error(tr), "request: no response after 3 "
		    "tries");
		CHECK(ipmi_tr_idle(tr));
		b.silent = 0;
		b.s.state = FBS_NONE;
		devid(tr, &b, &d);
		CHECK(res_devid_ok(&d));
		CHECK_EQ(ipmi_tr_stats(tr)->sessions, 2);
		/* the retransmissions made the window fall to 1, for good */
		CHECK_EQ(ipmi_tr_window(tr), 1);

		/* one in flight, two queued: all fail on close */
		b.hold = 1;
		win_submit(tr, r, 0, 3);
		pump(tr, &b, g_now + 50, NULL);
		CHECK_EQ(b.nheld, 1);
		CHECK(!ipmi_tr_idle(tr));
		ipmi_tr_close(tr, g_now);
		for (i = 0; i < 3; i++) {
			CHECK_EQ(r[i].calls, 1);
			CHECK_EQ(r[i].err, IPMI_E_CLOSED);
		}
		b.hold = 0;
		pump(tr, &b, g_now + 10000, NULL);
		CHECK(ipmi_tr_idle(tr));
		CHECK_EQ(b.closes, 1);
		CHECK_EQ(b.bad, 0);
		fb_report(&b);
		ipmi_tr_free(tr);
	}
	(void)close(b.fd);
}

/* A bridged request goes alone: after the slots ahead of it are
 * answered, and the window goes on after it. */
static void
test_window_bridged(void)
{
	struct ipmi_tr *tr;
	struct fbmc b;
	struct res r[6], br;
	struct ipmi_req q;
	uint16_t port;
	int i;

	if (fb_start(&b, &port) != 0)
		return;
	b.bridge = FBB_EMBED;
	if ((tr = win_open(&b, port, 4)) != NULL) {
		win_submit(tr, r, 0, 3);
		memset(&br, 0, sizeof(br));
		memset(&q, 0, sizeof(q));
		q.netfn = 0x04;
		q.cmd = 0x2d;
		q.len = 1;
		q.data[0] = 0x05;
		q.bridged = 1;
		q.target_chan = 0;
		q.target_addr = FB_SAT_ADDR;
		CHECK_EQ(ipmi_tr_submit(tr, &q, cb, &br, g_now), 0);
		win_submit(tr, r, 3, 6);
		pump(tr, &b, g_now + 10000, &r[5].calls);
		for (i = 0; i < 6; i++)
			CHECK(res_echo_ok(&r[i], i));
		CHECK_EQ(br.calls, 1);
		CHECK_EQ(br.err, IPMI_OK);
		CHECK_EQ(b.sendmsgs, 1);
		CHECK_EQ(ipmi_tr_window(tr), 4);
		CHECK_EQ(ipmi_tr_stats(tr)->retransmits, 0);
		fb_finish(tr, &b, -1);
	}
	(void)close(b.fd);
}

int
main(void)
{
	RUN(test_pin_keys);
	RUN(test_pin_packets);
	RUN(test_preresolved_addr);
	RUN(test_bad_addr);
	RUN(test_suite_1);
	RUN(test_suite_2);
	RUN(test_suite_3);
	RUN(test_suite_6);
	RUN(test_suite_7);
	RUN(test_suite_8);
	RUN(test_suite_11);
	RUN(test_suite_12);
	RUN(test_suite_15);
	RUN(test_suite_16);
	RUN(test_suite_17);
	RUN(test_priv_user);
	RUN(test_auto_3_17);
	RUN(test_auto_only_3);
	RUN(test_auto_long_list);
	RUN(test_auto_md5_only);
	RUN(test_auto_silent);
	RUN(test_kg);
	RUN(test_wrong_password);
	RUN(test_unknown_user);
	RUN(test_bad_rakp4);
	RUN(test_setpriv_refused);
	RUN(test_setup_failures);
	RUN(test_forged_each);
	RUN(test_queue);
	RUN(test_retransmit);
	RUN(test_session_lost);
	RUN(test_keepalive);
	RUN(test_keepalive_busy);
	RUN(test_close_in_flight);
	RUN(test_bridge_shapes);
	RUN(test_bridge_failures);
	RUN(test_payload_suites);
	RUN(test_payload_keepalive);
	RUN(test_window_reorder);
	RUN(test_window_inorder_dup);
	RUN(test_window_lost);
	RUN(test_window_late);
	RUN(test_window_lost_session_close);
	RUN(test_window_bridged);
	return harness_end();
}

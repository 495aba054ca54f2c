/*
 * Shared by the session fuzzers (fuzz_lanplus_session.c,
 * fuzz_lan15_session.c) and the seed capture tool (capture.c): a LAN
 * transport driven by datagrams from the input and a fake clock.
 *
 * Input format:
 *	byte 0		selector: bits 0-3 the cipher suite / auth type
 *			(an index into the tables below, modulo their
 *			size), bit 4 a 300 ms keepalive, bit 5 privilege
 *			USER instead of ADMIN (no Set Session Privilege)
 *	then records	2-byte little-endian header, datagram:
 *			bits 0-13  datagram length (cut to what is left
 *				   and to FZ_PKT_MAX)
 *			bit 14	   ipmi_tr_close() before this datagram
 *			bit 15	   the clock jumps to the deadline and
 *				   ipmi_tr_timeout() runs before it
 *
 * A lanplus transport listens for SOL payloads (type 01h): one that
 * passes the session's checks is decoded as a SOL packet.
 *
 * The transport is opened with three requests queued (Get Device ID,
 * Get Chassis Status, a bridged Get Device ID that must be refused);
 * Get Device ID starts at once.  Each datagram is fed with
 * ipmi_tr_input() 1 ms after the previous one; the timer runs whenever
 * the clock passes the deadline.  At the end the remaining deadlines
 * are run down, the transport closed and freed.
 *
 * Randomness.  The transports draw session ids, RAKP random numbers,
 * rqSeq and IVs from OpenSSL's RAND_bytes() (lan_crypto.c lcr_random).
 * This file defines RAND_bytes() itself: the executable's definition
 * takes precedence over libcrypto's, so in these programs every
 * "random" byte comes from a counter-based generator reset at the start
 * of each input.  A handshake captured by capture.c with the same
 * generator therefore replays exactly: the console session id matches,
 * RAKP2's HMAC (over our Rm, the BMC's Rc and the session ids) and
 * RAKP4's ICV verify, the session keys come out the same, and in-session
 * responses pass their integrity check and decrypt.  A seed of suite 3
 * or 17 reaches the open session just as one of suite 0 or auth type
 * NONE does; the fuzzer then mutates from deep states.  (Handshakes
 * captured with the real generator, e.g. from build/bmcwatch through
 * tests/tools/udprelay.py, do not verify: they only cover the parsing
 * paths, except with suite 0 and auth NONE which carry no codes.)
 * Never link this file into anything but a test program.
 */
#ifndef FUZZ_SESSION_H
#define FUZZ_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "cmd_sol.h"
#include "ipmi.h"
#include "lan_rmcp.h"
#include "transport.h"

/* a bit past what the transports accept */
#define FZ_PKT_MAX	(LAN_PKT_MAX + 64)
#define FZ_REC_CLOSE	0x4000
#define FZ_REC_LATE	0x8000
#define FZ_REC_LEN	0x3fff
#define FZ_MAX_RECS	64
#define FZ_USER		"admin"
#define FZ_PASSWORD	"admin-pw-2"	/* tests/sim/lan.conf.in */
#define FZ_TIMEOUT_MS	100
#define FZ_T0		1000
#define FZ_NREQ		3	/* requests fz_open queues */

static const int fz_suites[] = { 0, 1, 2, 3, 6, 11, 15, 16, 17 };
static const int fz_authtypes[] = { -1, IPMI_AUTH_NONE, IPMI_AUTH_MD5,
    IPMI_AUTH_STRAIGHT };

/* ---- deterministic RAND_bytes ---- */

static uint64_t fz_rand_state;

static void
fz_rand_reset(void)
{
	fz_rand_state = 0x6a09e667f3bcc908ULL;
}

/* splitmix64 */
int
RAND_bytes(unsigned char *buf, int num)
{
	uint64_t z = 0;
	int i;

	for (i = 0; i < num; i++) {
		if (i % 8 == 0) {
			z = (fz_rand_state += 0x9e3779b97f4a7c15ULL);
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
			z ^= z >> 31;
		}
		buf[i] = (unsigned char)(z >> (8 * (i % 8)));
	}
	return 1;
}

/* ---- the session driver ---- */

struct fz_sess {
	struct ipmi_tr	*tr;
	uint64_t	 now;
	unsigned	 done;		/* done callbacks run */
	unsigned	 ok;		/* ... with a response */
	unsigned	 payloads;	/* SOL payloads taken, session ends */
};

static void
fz_payload(void *arg, uint8_t ptype, const uint8_t *p, size_t len)
{
	struct fz_sess *s = arg;
	struct sol_pkt k;

	s->payloads++;
	if (p != NULL && ptype == SOL_PAYLOAD_TYPE && len <= LAN_PKT_MAX)
		(void)sol_pkt_decode(p, len, &k);
}

static void
fz_done(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct fz_sess *s = arg;

	s->done++;
	if (err == IPMI_OK && rsp != NULL)
		s->ok++;
}

/* Run the timer if the clock has reached the deadline. */
static void
fz_tick(struct fz_sess *s)
{
	uint64_t d = ipmi_tr_deadline(s->tr);

	if (d != 0 && s->now >= d)
		ipmi_tr_timeout(s->tr, s->now);
}

/*
 * Open a transport of iface (IPMI_IFACE_LANPLUS or IPMI_IFACE_LAN) to
 * 127.0.0.1:port as selector sel says, queue the requests and start.
 * 0, or -1 if the transport could not be created.
 */
static int
fz_open(struct fz_sess *s, enum ipmi_iface iface, uint8_t sel, uint16_t port,
    char *err, size_t errlen)
{
	struct ipmi_tr_cfg cfg;
	struct ipmi_req req;
	unsigned i = sel & 0x0f;

	fz_rand_reset();
	memset(s, 0, sizeof(*s));
	s->now = FZ_T0;
	ipmi_tr_cfg_init(&cfg);
	cfg.iface = iface;
	(void)snprintf(cfg.host, sizeof(cfg.host), "127.0.0.1");
	cfg.port = port;
	(void)snprintf(cfg.user, sizeof(cfg.user), "%s", FZ_USER);
	cfg.pwlen = (uint8_t)strlen(FZ_PASSWORD);
	memcpy(cfg.password, FZ_PASSWORD, cfg.pwlen);
	cfg.allow_none = 1;
	cfg.timeout_ms = FZ_TIMEOUT_MS;
	cfg.retries = 1;
	cfg.keepalive_ms = (sel & 0x10) ? 300 : 0;
	cfg.priv = (sel & 0x20) ? IPMI_PRIV_USER : IPMI_PRIV_ADMIN;
	if (iface == IPMI_IFACE_LANPLUS) {
		cfg.cipher = fz_suites[i % (sizeof(fz_suites) /
		    sizeof(fz_suites[0]))];
		cfg.authtype = -1;
	} else {
		cfg.cipher = IPMI_CIPHER_AUTO;
		cfg.authtype = fz_authtypes[i % (sizeof(fz_authtypes) /
		    sizeof(fz_authtypes[0]))];
	}
	if ((s->tr = ipmi_tr_new(&cfg, err, errlen)) == NULL)
		return -1;
	if (iface == IPMI_IFACE_LANPLUS)
		(void)ipmi_tr_set_payload_cb(s->tr, SOL_PAYLOAD_TYPE,
		    fz_payload, s);
	ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	(void)ipmi_tr_submit(s->tr, &req, fz_done, s, s->now);
	ipmi_req_init(&req, IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS,
	    NULL, 0);
	(void)ipmi_tr_submit(s->tr, &req, fz_done, s, s->now);
	ipmi_req_init(&req, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	req.bridged = 1;
	req.target_chan = 7;
	req.target_addr = 0x72;
	(void)ipmi_tr_submit(s->tr, &req, fz_done, s, s->now);
	fz_tick(s);
	return 0;
}

/* One record: hdr flags, then the datagram. */
static void
fz_feed(struct fz_sess *s, uint16_t hdr, const uint8_t *p, size_t len)
{
	uint64_t d;

	if (hdr & FZ_REC_CLOSE)
		ipmi_tr_close(s->tr, s->now);
	if (hdr & FZ_REC_LATE) {
		d = ipmi_tr_deadline(s->tr);
		s->now = d > s->now ? d : s->now + 1000;
		ipmi_tr_timeout(s->tr, s->now);
	}
	s->now++;
	(void)ipmi_tr_input(s->tr, p, len, s->now);
	fz_tick(s);
}

/* Run the remaining timers down, close and free. */
static void
fz_finish(struct fz_sess *s)
{
	uint64_t d;
	int i;

	for (i = 0; i < 8 && (d = ipmi_tr_deadline(s->tr)) != 0; i++) {
		s->now = d > s->now ? d : s->now + 1;
		ipmi_tr_timeout(s->tr, s->now);
	}
	ipmi_tr_close(s->tr, s->now);
	for (i = 0; i < 4 && (d = ipmi_tr_deadline(s->tr)) != 0; i++) {
		s->now = d > s->now ? d : s->now + 1;
		ipmi_tr_timeout(s->tr, s->now);
	}
	ipmi_tr_free(s->tr);
	s->tr = NULL;
}

/* The whole fuzz input: selector byte, records.  Returns the number of
 * requests answered, or -1 if no transport was made. */
static int
fz_run(enum ipmi_iface iface, const uint8_t *data, size_t size)
{
	struct fz_sess s;
	char err[256];
	size_t off = 1, len;
	uint16_t hdr;
	int n;

	if (size < 1 || fz_open(&s, iface, data[0], 9, err,
	    sizeof(err)) != 0)
		return -1;
	for (n = 0; n < FZ_MAX_RECS && size - off >= 2; n++) {
		hdr = (uint16_t)(data[off] | data[off + 1] << 8);
		off += 2;
		len = hdr & FZ_REC_LEN;
		if (len > size - off)
			len = size - off;
		if (len > FZ_PKT_MAX)
			len = FZ_PKT_MAX;
		fz_feed(&s, hdr, data + off, len);
		off += len;
	}
	fz_finish(&s);
	return (int)s.ok;
}

#endif

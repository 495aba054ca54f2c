/*
 * Errors that say what was wrong (issue 8): one form for a completion
 * code, "completion code C1h: Invalid command" (agent/ipmi/msg.c), and
 * an answer that fails to decode called what it is -- "response too
 * short (0 bytes, need 2)" -- never "completion code 00h", in the SEL
 * monitor and the SDR cache, driven here through the scripted transport
 * of fake.h.
 */
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "ev.h"
#include "fake.h"
#include "harness.h"
#include "ipmi.h"
#include "sdr_cache.h"
#include "selmon.h"

static void
test_ccode_fmt(void)
{
	char b[IPMI_CCODE_TEXT_MAX];

	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_APP, 0x01, 0xc1),
	    "completion code C1h: Invalid command");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_CHASSIS, 0x02,
	    0xd4), "completion code D4h: Insufficient privilege level");
	/* command-specific, by request or response netfn */
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_APP,
	    IPMI_CMD_RESET_WATCHDOG_TIMER, 0x80), "completion code 80h: "
	    "Attempt to start un-initialized watchdog");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_STORAGE | 1,
	    IPMI_CMD_DELETE_SEL_ENTRY, 0x81), "completion code 81h: Cannot "
	    "execute command, SEL erase in progress");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_STORAGE,
	    IPMI_CMD_GET_SEL_INFO, 0x81), "completion code 81h: Cannot "
	    "execute command, SEL erase in progress");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_APP, 0x01, 0x80),
	    "completion code 80h: Command-specific completion code");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_APP, 0x01, 0x05),
	    "completion code 05h: Device specific (OEM) completion code");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_APP, 0x01, 0xff),
	    "completion code FFh: Unspecified error");
	CHECK_STR(ipmi_ccode_fmt(b, sizeof(b), IPMI_NETFN_APP, 0x01, 0xe0),
	    "completion code E0h: Unknown completion code");
	/* cut to the buffer, never past it */
	CHECK_STR(ipmi_ccode_fmt(b, 20, IPMI_NETFN_APP, 0x01, 0xc1),
	    "completion code C1h");
}

static void
test_short_fmt(void)
{
	struct ipmi_rsp r;
	char b[IPMI_CCODE_TEXT_MAX];

	CHECK_STR(ipmi_short_fmt(b, sizeof(b), 3, 14),
	    "response too short (3 bytes, need 14)");
	CHECK_STR(ipmi_short_fmt(b, sizeof(b), 1, 2),
	    "response too short (1 byte, need 2)");
	CHECK_STR(ipmi_short_fmt(b, sizeof(b), 0, 0),
	    "response too short (0 bytes)");
	memset(&r, 0, sizeof(r));
	r.netfn = IPMI_NETFN_STORAGE | 1;
	r.cmd = IPMI_CMD_RESERVE_SEL;
	CHECK_STR(ipmi_rsp_errfmt(b, sizeof(b), &r, 2),
	    "response too short (0 bytes, need 2)");
	r.ccode = 0xc5;
	CHECK_STR(ipmi_rsp_errfmt(b, sizeof(b), &r, 2), "completion code "
	    "C5h: Reservation canceled or invalid reservation ID");
	r.ccode = 0;
	r.len = 2;
	CHECK_STR(ipmi_rsp_errfmt(b, sizeof(b), &r, 2),
	    "malformed response (2 bytes)");
}

/* SEL monitor, SELMON_CLEAR_FORCE without an archive, one entry in the
 * SEL: Get SEL Info, Get SEL Entry, Reserve SEL, Get SEL Info, Get SEL
 * Entry (the last), Clear SEL ... */
static const uint8_t sel_info[] = { 0x51, 0x01, 0x00, 0xf0, 0x3d, 0x00,
    0x30, 0x05, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t sel_entry[] = { 0xff, 0xff, 0x01, 0x00, 0x02, 0x00,
    0x30, 0x05, 0x6b, 0x20, 0x00, 0x04, 0x01, 0x01, 0x01, 0x57, 0x00,
    0x00 };

static void
run_selmon(struct fake_rule *rules, size_t n, struct selmon_result *r)
{
	struct selmon_cfg cfg;
	struct selmon *mon;
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, n);
	struct conn *c = conn_new(ev, tr);

	memset(&cfg, 0, sizeof(cfg));
	mon = selmon_new(ev, c, &cfg);
	selmon_run(mon, SELMON_CLEAR_FORCE, r);
	selmon_free(mon);
	conn_free(c);
	ev_free(ev);
}

static void
test_selmon_words(void)
{
	static const uint8_t resv[] = { 0x01, 0x00 };
	struct fake_rule rules[] = {
		{ 0x0a, 0x40, NULL, 0, IPMI_OK, 0, sel_info,
		    sizeof(sel_info), 0 },
		{ 0x0a, 0x43, NULL, 0, IPMI_OK, 0, sel_entry,
		    sizeof(sel_entry), 0 },
		/* Reserve SEL: ccode 00h and nothing after it */
		{ 0x0a, 0x42, NULL, 0, IPMI_OK, 0, NULL, 0, 0 },
	};
	struct selmon_result r;

	run_selmon(rules, 3, &r);
	printf("# %s: %s\n", selmon_strerror(r.err), r.msg);
	CHECK_EQ(r.err, SELMON_E_PROTO);
	CHECK_STR(r.msg, "Reserve SEL: response too short (0 bytes, need 2)");
	CHECK(strstr(r.msg, "completion code") == NULL);

	/* a real completion code is called one */
	rules[2].ccode = 0xc0;
	run_selmon(rules, 3, &r);
	printf("# %s: %s\n", selmon_strerror(r.err), r.msg);
	CHECK_EQ(r.err, SELMON_E_CCODE);
	CHECK_STR(r.msg, "Reserve SEL: completion code C0h: Node busy");

	/* Get SEL Info one byte short */
	rules[0].len = sizeof(sel_info) - 1;
	run_selmon(rules, 3, &r);
	printf("# %s: %s\n", selmon_strerror(r.err), r.msg);
	CHECK_EQ(r.err, SELMON_E_PROTO);
	CHECK_STR(r.msg, "Get SEL Info: response too short (13 bytes, need "
	    "14)");
	rules[0].len = sizeof(sel_info);

	/* Clear SEL: ccode 00h, no erase progress byte */
	rules[2].ccode = 0;
	rules[2].data = resv;
	rules[2].len = sizeof(resv);
	{
		struct fake_rule more[5];

		memcpy(more, rules, sizeof(rules));
		memset(&more[3], 0, sizeof(more[3]));
		more[3].netfn = 0x0a;
		more[3].cmd = 0x47;	/* Clear SEL */
		run_selmon(more, 4, &r);
		printf("# %s: %s\n", selmon_strerror(r.err), r.msg);
		/* after the verify steps the clear itself: its empty
		 * answer is called that */
		CHECK_EQ(r.err, SELMON_E_PROTO);
		CHECK_STR(r.msg, "Clear SEL: response too short (0 bytes, "
		    "need 1)");
	}
}

/* SDR cache: the repository's info, who the BMC is (Get Device ID,
 * GUIDs), a reservation, the records */
static void
sdr_done(void *arg, enum sdr_cache_err e)
{
	int *w = arg;

	w[0] = 1;
	w[1] = (int)e;
}

static int
run_sdr(struct fake_rule *rules, size_t n, char *detail, size_t len)
{
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, n);
	struct conn *c = conn_new(ev, tr);
	struct sdr_cache *sc = sdr_cache_new(ev, c, NULL, NULL, NULL);
	int w[2] = { 0, -1 }, turns = 0;

	if (sdr_cache_refresh(sc, sdr_done, w) != 0)
		w[1] = -100;
	while (!w[0] && turns++ < 100000)
		(void)ev_run_once(ev, 10);
	(void)snprintf(detail, len, "%s", sdr_cache_detail(sc));
	printf("# %d: %s\n", w[1], detail);
	sdr_cache_free(sc);
	conn_free(c);
	ev_free(ev);
	return w[1];
}

static void
test_sdr_words(void)
{
	static const uint8_t info[] = { 0x51, 0x01, 0x00, 0xff, 0xff, 0x00,
	    0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 };
	static const uint8_t devid[] = { 0x01, 0x01, 0x02, 0x45, 0x02, 0xbf,
	    0xd9, 0x7e, 0x00, 0x57, 0x0b };
	static const uint8_t resv[] = { 0x01, 0x00 };
	static const uint8_t next[] = { 0xff, 0xff };
	struct fake_rule rules[] = {
		{ 0x0a, 0x20, NULL, 0, IPMI_OK, 0, info, sizeof(info), 0 },
		{ 0x06, 0x01, NULL, 0, IPMI_OK, 0, devid, 3, 0 },
		{ 0x0a, 0x22, NULL, 0, IPMI_OK, 0, resv, sizeof(resv), 0 },
		{ 0x0a, 0x23, NULL, 0, IPMI_OK, 0, next, sizeof(next), 0 },
	};
	char d[320];

	/* Get Device ID answered with 3 bytes and 00h */
	CHECK_EQ(run_sdr(rules, 4, d, sizeof(d)), SDR_CACHE_E_PROTO);
	CHECK_STR(d, "Get Device ID: response too short (3 bytes, need 11)");
	rules[1].ccode = 0xc0;
	CHECK_EQ(run_sdr(rules, 4, d, sizeof(d)), SDR_CACHE_E_CCODE);
	CHECK_STR(d, "Get Device ID: completion code C0h: Node busy");
	rules[1].ccode = 0;
	rules[1].len = sizeof(devid);

	/* the repository's info 5 bytes long */
	rules[0].len = 5;
	CHECK_EQ(run_sdr(rules, 4, d, sizeof(d)), SDR_CACHE_E_PROTO);
	CHECK_STR(d, "Get SDR Repository Info: response too short (5 "
	    "bytes, need 14)");
	rules[0].len = sizeof(info);

	/* a reservation of one byte */
	rules[2].len = 1;
	CHECK_EQ(run_sdr(rules, 4, d, sizeof(d)), SDR_CACHE_E_PROTO);
	CHECK_STR(d, "Reserve SDR Repository: response too short (1 byte, "
	    "need 2)");
	rules[2].len = sizeof(resv);

	/* Get SDR: the next record ID and not a byte of the record */
	CHECK_EQ(run_sdr(rules, 4, d, sizeof(d)), SDR_CACHE_E_PROTO);
	CHECK_STR(d, "Get SDR 0x0000: response too short (2 bytes, need 3)");
	rules[3].ccode = 0xcb;
	CHECK_EQ(run_sdr(rules, 4, d, sizeof(d)), SDR_CACHE_E_CCODE);
	CHECK_STR(d, "Get SDR 0x0000: completion code CBh: Requested "
	    "sensor, data, or record not present");
}

int
main(void)
{
	RUN(test_ccode_fmt);
	RUN(test_short_fmt);
	RUN(test_selmon_words);
	RUN(test_sdr_words);
	return harness_end();
}

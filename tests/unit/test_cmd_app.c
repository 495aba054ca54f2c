/* Unit tests for the App NetFn codecs (agent/ipmi/cmd_app.c). */
#include <stdint.h>

#include "harness.h"
#include "cmd_app.h"

static void
test_devid(void)
{
	/* ipmi_sim answer (after the completion code) */
	uint8_t b[32];
	struct app_devid d;
	int n = harness_hex("01 81 02 45 02 bf d9 7e 00 57 0b 01 02 03 04",
	    b, sizeof(b));

	CHECK_EQ(app_devid_decode(b, (size_t)n, &d), IPMI_OK);
	CHECK_EQ(d.device_id, 1);
	CHECK_EQ(d.device_rev, 1);
	CHECK_EQ(d.provides_sdrs, 1);
	CHECK_EQ(d.fw_major, 2);
	CHECK_EQ(d.fw_minor, 0x45);
	CHECK_EQ(d.ipmi_version, 0x02);
	CHECK_EQ(d.support, 0xbf);
	CHECK_EQ(d.manufacturer, 32473);
	CHECK_EQ(d.product, 0x0b57);
	CHECK_EQ(d.has_aux, 1);
	CHECK_MEM(d.aux, "\x01\x02\x03\x04", 4);
	/* without the optional aux bytes */
	CHECK_EQ(app_devid_decode(b, 11, &d), IPMI_OK);
	CHECK_EQ(d.has_aux, 0);
	CHECK_EQ(app_devid_decode(b, 10, &d), IPMI_E_LENGTH);
	CHECK_STR(app_devid_support_name(7), "Chassis Device");
}

static void
test_guid(void)
{
	uint8_t b[16];
	char s[37];

	harness_hex("0b57c0de5eed4a1c9e3f00112233aabb", b, sizeof(b));
	app_guid_format(b, s);
	/* what `ipmitool mc guid` prints for these wire bytes */
	CHECK_STR(s, "dec0570b-ed5e-1c4a-9e3f-00112233aabb");
	CHECK_EQ(app_guid_decode(b, 15, b), IPMI_E_LENGTH);
}

static void
test_authcap(void)
{
	uint8_t b[16];
	struct app_authcap a;
	int n = harness_hex("01 97 04 03 000000 00", b, sizeof(b));

	CHECK_EQ(app_authcap_decode(b, (size_t)n, &a), IPMI_OK);
	CHECK_EQ(a.channel, 1);
	CHECK(a.v20);
	CHECK_EQ(a.authtypes, 0x17);
	CHECK(a.non_null_users);
	CHECK(a.ipmi15 && a.ipmi20);
	CHECK_EQ(app_authcap_decode(b, (size_t)n - 1, &a), IPMI_E_LENGTH);
}

static void
test_session_msgs(void)
{
	static const uint8_t ch[16] = "challenge-bytes!";
	struct ipmi_req q;
	struct app_activate act;
	struct app_challenge c;
	uint8_t b[32];
	int n;

	app_challenge_req(&q, 2, "admin");
	CHECK_EQ(q.len, 17);
	CHECK_EQ(q.data[0], 2);
	CHECK_MEM(q.data + 1, "admin\0\0\0", 8);
	n = harness_hex("78563412 000102030405060708090a0b0c0d0e0f", b,
	    sizeof(b));
	CHECK_EQ(app_challenge_decode(b, (size_t)n, &c), IPMI_OK);
	CHECK_EQ(c.temp_sid, 0x12345678);
	CHECK_EQ(c.challenge[15], 0x0f);
	CHECK_EQ(app_challenge_decode(b, 19, &c), IPMI_E_LENGTH);
	app_activate_req(&q, 2, 4, ch, 0x01020304);
	CHECK_EQ(q.len, 22);
	CHECK_MEM(q.data + 18, "\x04\x03\x02\x01", 4);
	n = harness_hex("02 44332211 05000000 04", b, sizeof(b));
	CHECK_EQ(app_activate_decode(b, (size_t)n, &act), IPMI_OK);
	CHECK_EQ(act.sid, 0x11223344);
	CHECK_EQ(act.initial_inbound_seq, 5);
	CHECK_EQ(act.max_priv, 4);
	app_close_req(&q, 0xa1b2c3d4);
	CHECK_MEM(q.data, "\xd4\xc3\xb2\xa1", 4);
}

static void
test_suites(void)
{
	/* records: suite 3 (SHA1, SHA1-96, AES), suite 17, an OEM one */
	uint8_t b[64], ids[8];
	int n = harness_hex("c0 03 01 41 81  c0 11 03 44 81"
	    "  c1 80 aabbcc 01 41  c0 00 00 40 80", b, sizeof(b));

	CHECK_EQ(app_suites_parse(b, (size_t)n, ids, 8), 3);
	CHECK_EQ(ids[0], 3);
	CHECK_EQ(ids[1], 17);
	CHECK_EQ(ids[2], 0);
	CHECK_EQ(app_suites_parse(b, (size_t)n, ids, 1), 1);
	CHECK_EQ(app_suites_parse(b, 1, ids, 8), 0);
}

int
main(void)
{
	RUN(test_devid);
	RUN(test_guid);
	RUN(test_authcap);
	RUN(test_session_msgs);
	RUN(test_suites);
	return harness_end();
}

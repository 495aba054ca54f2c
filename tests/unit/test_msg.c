/* Unit tests for IPMI message framing and names (agent/ipmi/msg.c). */
#include <stdint.h>

#include "harness.h"
#include "ipmi.h"

static void
test_csum(void)
{
	/* 20h 18h (netfn 6 << 2): 0x20 + 0x18 + 0xc8 == 0x100 */
	static const uint8_t h[] = { 0x20, 0x18 };

	CHECK_EQ(ipmi_csum(h, 2), 0xc8);
	CHECK_EQ(ipmi_csum(h, 0), 0);
}

static void
test_encode_get_device_id(void)
{
	struct ipmi_req q;
	uint8_t out[64];
	int n;

	/* rsSA 20, netFn 06 LUN 0, chk, rqSA 81, rqSeq 5, cmd 01, chk:
	 * 0x81 + 0x14 + 0x01 = 0x96 -> 0x6a */
	ipmi_req_init(&q, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
	n = ipmi_msg_encode(out, sizeof(out), 0x20, 0x81, 5, &q);
	CHECK_EQ(n, 7);
	CHECK_MEM(out, "\x20\x18\xc8\x81\x14\x01\x6a", 7);
	CHECK_EQ(ipmi_msg_encode(out, 6, 0x20, 0x81, 5, &q), -1);
}

static void
test_decode_rsp(void)
{
	/* response to the above, from ipmi_sim: cc 00 + 15 data bytes */
	uint8_t m[64];
	struct ipmi_msg_hdr h;
	struct ipmi_rsp rsp;
	int n = harness_hex("81 1c 63 20 14 01 00 01 01 02 45 02 bf d9 7e 00"
	    " 57 0b 00 00 00 00", m, sizeof(m));

	CHECK(n > 0);
	m[n] = ipmi_csum(m + 3, (size_t)n - 3);
	CHECK_EQ(ipmi_msg_decode_rsp(m, (size_t)n + 1, &h, &rsp), IPMI_OK);
	CHECK_EQ(h.netfn, 7);
	CHECK_EQ(h.rq_seq, 5);
	CHECK_EQ(h.cmd, 1);
	CHECK_EQ(rsp.ccode, 0);
	CHECK_EQ(rsp.len, 15);
	CHECK_EQ(rsp.data[0], 1);
	/* bad checksums */
	m[n] ^= 1;
	CHECK_EQ(ipmi_msg_decode_rsp(m, (size_t)n + 1, &h, &rsp),
	    IPMI_E_CHECKSUM);
	m[n] ^= 1;
	m[2] ^= 1;
	CHECK_EQ(ipmi_msg_decode_rsp(m, (size_t)n + 1, &h, &rsp),
	    IPMI_E_CHECKSUM);
	/* too short to hold a completion code */
	CHECK_EQ(ipmi_msg_decode_rsp(m, 7, &h, &rsp), IPMI_E_LENGTH);
	CHECK_EQ(ipmi_msg_decode_rsp(m, 0, &h, &rsp), IPMI_E_LENGTH);
}

static void
test_names(void)
{
	CHECK_STR(ipmi_ccode_name(6, 1, 0xc1), "Invalid command");
	CHECK_STR(ipmi_ccode_name(7, 0x22, 0x80),
	    "Attempt to start un-initialized watchdog");
	CHECK_STR(ipmi_ccode_name(0x0a, 0x40, 0x80),
	    "Command-specific completion code");
	CHECK_STR(ipmi_ccode_name(0, 0, 0x42),
	    "Device specific (OEM) completion code");
	CHECK_EQ(ipmi_err_class(IPMI_E_TIMEOUT), IPMI_CLASS_TRANSPORT);
	CHECK_EQ(ipmi_err_class(IPMI_E_AUTH), IPMI_CLASS_TRANSPORT);
	CHECK_EQ(ipmi_err_class(IPMI_E_CHECKSUM), IPMI_CLASS_PROTOCOL);
	CHECK_EQ(ipmi_err_class(IPMI_E_AUTHCODE), IPMI_CLASS_PROTOCOL);
	CHECK_EQ(ipmi_err_class(IPMI_OK), IPMI_CLASS_NONE);
	CHECK_STR(ipmi_strerror(IPMI_E__MAX), "unknown error");
}

static void
test_priv(void)
{
	uint8_t p = 0;

	CHECK_EQ(ipmi_priv_parse("ADMIN", &p), 0);
	CHECK_EQ(p, IPMI_PRIV_ADMIN);
	CHECK_EQ(ipmi_priv_parse("administrator", &p), 0);
	CHECK_EQ(ipmi_priv_parse("operator", &p), 0);
	CHECK_EQ(p, IPMI_PRIV_OPERATOR);
	CHECK_EQ(ipmi_priv_parse("root", &p), -1);
	CHECK_STR(ipmi_priv_name(IPMI_PRIV_USER), "user");
}

int
main(void)
{
	RUN(test_csum);
	RUN(test_encode_get_device_id);
	RUN(test_decode_rsp);
	RUN(test_names);
	RUN(test_priv);
	return harness_end();
}

/* SDR record decoding: byte fixtures compiled by OpenIPMI's sdrcomp from
 * tests/sim/bmc.sdrs (8-bit and 6-bit packed ID strings), plus
 * hand-built records for sharing, BCD plus and truncation. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "sdr.h"

static unsigned char buf[512];

static int
rec(const char *hex, struct sdr_rec *s)
{
	int n = harness_hex(hex, buf, sizeof(buf));

	memset(s, 0, sizeof(*s));
	if (n < 0)
		return -1;
	return sdr_decode(buf, (size_t)n, s) == IPMI_OK ? 0 : -1;
}

/* CPU1 Temp: full record, all six thresholds, unsigned, M=1 */
static void
test_full(void)
{
	struct sdr_rec s;

	CHECK(rec("010051013420000103017f580101957a957a3f3f000100000101000000"
	    "00012d0000ff00645f550103050202000000c9435055312054656d70",
	    &s) == 0);
	CHECK_EQ(s.id, 1);
	CHECK_EQ(s.version, 0x51);
	CHECK_EQ(s.type, SDR_TYPE_FULL);
	CHECK_EQ(s.owner_id, 0x20);
	CHECK_EQ(s.owner_lun, 0);
	CHECK_EQ(s.number, 1);
	CHECK_EQ(s.entity_id, 3);
	CHECK_EQ(s.entity_instance, 1);
	CHECK_EQ(s.sensor_type, 1);
	CHECK_EQ(s.event_type, 1);
	CHECK_EQ(s.format, SDR_FMT_UNSIGNED);
	CHECK_EQ(s.unit_base, 1);
	CHECK_EQ(s.linearization, 0);
	CHECK_EQ(s.f.m, 1);
	CHECK_EQ(s.f.b, 0);
	CHECK_EQ(s.f.k1, 0);
	CHECK_EQ(s.f.k2, 0);
	CHECK_EQ(s.f.tolerance, 1);
	CHECK_EQ(SDR_THR_READABLE(&s), 0x3f);
	CHECK_EQ(SDR_THR_SETTABLE(&s), 0x3f);
	CHECK_EQ(SDR_THR_ACCESS(&s), SDR_THRACC_SETTABLE);
	CHECK_EQ(s.nominal, 0x2d);
	CHECK_EQ(s.thr[SDR_THR_UNR], 100);
	CHECK_EQ(s.thr[SDR_THR_UC], 95);
	CHECK_EQ(s.thr[SDR_THR_UNC], 85);
	CHECK_EQ(s.thr[SDR_THR_LNR], 1);
	CHECK_EQ(s.thr[SDR_THR_LC], 3);
	CHECK_EQ(s.thr[SDR_THR_LNC], 5);
	CHECK_EQ(s.hyst_pos, 2);
	CHECK_EQ(s.hyst_neg, 2);
	CHECK_STR(s.name, "CPU1 Temp");
	CHECK(sdr_is_sensor(&s));
}

/* PCH Temp: B = -40 (10-bit signed) */
static void
test_full_negative_b(void)
{
	struct sdr_rec s;

	CHECK(rec("060051013320000607037f580101957a957a3f3f000100000101d8c000"
	    "00015c0000ff0087827d23282d0202000000c85043482054656d70", &s) == 0);
	CHECK_EQ(s.f.m, 1);
	CHECK_EQ(s.f.b, -40);
	CHECK_STR(s.name, "PCH Temp");
}

/* CPU1 Margin: 2's complement format */
static void
test_full_2s(void)
{
	struct sdr_rec s;

	CHECK(rec("070051013620000703017f580101957a957a3f3f800100000101000000"
	    "0001dd00007f80fffbf69ca6b00101000000cb43505531204d617267696e",
	    &s) == 0);
	CHECK_EQ(s.format, SDR_FMT_2S);
	CHECK_EQ(s.thr[SDR_THR_UNR], 0xff);
	CHECK_EQ(s.thr[SDR_THR_LNC], 0xb0);
	CHECK_STR(s.name, "CPU1 Margin");
}

/* FAN5 R exponent +2; CPU1 Vcore M=5 B=10 K1=2 K2=-3; Airflow sqr */
static void
test_full_exponents(void)
{
	struct sdr_rec s;

	CHECK(rec("0c0051012f20000c1d057f580401957a957a3f3f001200000101000000"
	    "20014f0000ff00fadcc805070a0101000000c446414e35", &s) == 0);
	CHECK_EQ(s.f.k2, 2);
	CHECK_EQ(s.f.k1, 0);
	CHECK_EQ(s.unit_base, 18);
	CHECK(rec("110051013520001403017f580201957a957a3f3f0004000005010a0000"
	    "d201a00000ff00dcc8b464788c0202000000ca435055312056636f7265",
	    &s) == 0);
	CHECK_EQ(s.f.m, 5);
	CHECK_EQ(s.f.b, 10);
	CHECK_EQ(s.f.k1, 2);
	CHECK_EQ(s.f.k2, -3);
	CHECK(rec("150051013220001b17017f580b01853285321b1b001100080101000000"
	    "f001500000ff0000aa96001e280202000000c7416972666c6f77", &s) == 0);
	CHECK_EQ(s.linearization, SDR_LIN_SQR);
	CHECK_EQ(s.f.k2, -1);
	CHECK_EQ(s.unit_base, 17);
}

/* 10-bit M and B with the top bits set; accuracy fields */
static void
test_full_signed_fields(void)
{
	struct sdr_rec s;

	/* M = 0x3ff (-1), B = 0x200 (-512), K2 = -8 (0x8), K1 = 7 */
	CHECK(rec("0100 51 01 2c"
	    "20 00 01 03 01 01 01 01 01 0000 0000 0000 00 01 00 00"
	    "ff c0 00 bf 5d 87"
	    "000000000000 000000000000 0000 0000 00 c1 41", &s) == 0);
	CHECK_EQ(s.f.m, -1);
	CHECK_EQ(s.f.tolerance, 0);
	CHECK_EQ(s.f.b, -512);
	CHECK_EQ(s.f.accuracy, 0x3f | 5 << 6);
	CHECK_EQ(s.f.accuracy_exp, 3);
	CHECK_EQ(s.f.direction, 1);
	CHECK_EQ(s.f.k2, -8);
	CHECK_EQ(s.f.k1, 7);
	CHECK_STR(s.name, "A");
}

/* 6-bit packed ASCII ID strings (sdrcomp without -8) */
static void
test_id_6bit(void)
{
	struct sdr_rec s;

	CHECK(rec("080051012e2000081d017f5804011570150007070012000064010000"
	    "000001540000ff0000000005070a01010000008466e846", &s) == 0);
	CHECK_STR(s.name, "FAN1");
	CHECK(rec("0e0051012e20001107027f580201957a957a3f3f0004000003010000"
	    "00e001a70000ff00c0b7af8e969e020200000083706503", &s) == 0);
	CHECK_STR(s.name, "P5V");
}

static void
test_id_bcd(void)
{
	uint8_t b[] = { 0x12, 0xab, 0xcd, 0xef };
	char out[16];

	CHECK_EQ(sdr_id_decode(0x40 | 8, b, 4, out, sizeof(out)), 8);
	CHECK_STR(out, "12 -.:,_");
	/* odd count: the last low nibble is padding */
	CHECK_EQ(sdr_id_decode(0x40 | 3, b, 4, out, sizeof(out)), 3);
	CHECK_STR(out, "12 ");
	/* output bound */
	CHECK_EQ(sdr_id_decode(0xc0 | 4, (const uint8_t *)"abcd", 4, out, 3),
	    2);
	CHECK_STR(out, "ab");
	/* control characters are made printable */
	CHECK_EQ(sdr_id_decode(0xc0 | 3, (const uint8_t *)"a\tb", 3, out,
	    sizeof(out)), 3);
	CHECK_STR(out, "a.b");
}

/* compact record: PS1 Status, sensor-specific 08h */
static void
test_compact(void)
{
	struct sdr_rec s;

	CHECK(rec("1a005102252000330a016740086f7f007f007f00c00000000000000000"
	    "0000ca50533120537461747573", &s) == 0);
	CHECK_EQ(s.type, SDR_TYPE_COMPACT);
	CHECK_EQ(s.number, 0x33);
	CHECK_EQ(s.entity_id, 0x0a);
	CHECK_EQ(s.sensor_type, 0x08);
	CHECK_EQ(s.event_type, 0x6f);
	CHECK_EQ(s.assert_mask, 0x7f);
	CHECK_EQ(s.format, SDR_FMT_NONE);
	CHECK_EQ(s.share_count, 1);
	CHECK_STR(s.name, "PS1 Status");
}

/* compact record shared by 4 sensors 0x40..0x43, numeric modifier
 * starting at 1, entity instance incrementing; and an alpha one */
static void
test_compact_sharing(void)
{
	struct sdr_rec s;
	char name[SDR_NAME_MAX];

	CHECK(rec("2a0051021f 20 01 40 1d 05 67 40 0d 6f 0100 0100 0100 c0 00 00"
	    "04 81 00 00 000000 00 c4 44494d4d", &s) == 0);
	CHECK_EQ(s.channel, 0);
	CHECK_EQ(s.owner_lun, 1);
	CHECK_EQ(s.share_count, 4);
	CHECK_EQ(s.share_alpha, 0);
	CHECK_EQ(s.share_offset, 1);
	CHECK_EQ(s.share_entity_inc, 1);
	sdr_share_name(&s, 0, name, sizeof(name));
	CHECK_STR(name, "DIMM1");
	sdr_share_name(&s, 3, name, sizeof(name));
	CHECK_STR(name, "DIMM4");
	CHECK_EQ(sdr_share_number(&s, 3), 0x43);
	CHECK_EQ(sdr_share_instance(&s, 3), 8);
	/* alpha, offset 0, same entity instance */
	CHECK(rec("2a0051021f 20 01 40 1d 05 67 40 0d 6f 0100 0100 0100 c0 00 00"
	    "1f 00 00 00 000000 00 c4 44494d4d", &s) == 0);
	CHECK_EQ(s.share_count, 15);
	sdr_share_name(&s, 0, name, sizeof(name));
	CHECK_STR(name, "DIMMA");
	sdr_share_name(&s, 14, name, sizeof(name));
	CHECK_STR(name, "DIMMO");
	CHECK_EQ(sdr_share_instance(&s, 14), 5);
	s.share_offset = 26;
	sdr_share_name(&s, 0, name, sizeof(name));
	CHECK_STR(name, "DIMMBA");
}

static void
test_event_only(void)
{
	struct sdr_rec s;

	CHECK(rec("230051031920004006012a6f00000000cd53657373696f6e204175646974",
	    &s) == 0);
	CHECK_EQ(s.type, SDR_TYPE_EVENT_ONLY);
	CHECK_EQ(s.number, 0x40);
	CHECK_EQ(s.entity_id, 6);
	CHECK_EQ(s.sensor_type, 0x2a);
	CHECK_EQ(s.event_type, 0x6f);
	CHECK_EQ(s.format, SDR_FMT_NONE);
	CHECK_STR(s.name, "Session Audit");
}

static void
test_locators(void)
{
	struct sdr_rec s;

	CHECK(rec("240051111820008000001000070100cd4d61696e626f61726420465255",
	    &s) == 0);
	CHECK_EQ(s.type, SDR_TYPE_FRU_LOCATOR);
	CHECK_EQ(s.dev_addr, 0x20);
	CHECK_EQ(s.fru_id, 0);
	CHECK_EQ(s.logical, 1);
	CHECK_EQ(s.dev_type, 0x10);
	CHECK_EQ(s.entity_id, 7);
	CHECK_EQ(s.entity_instance, 1);
	CHECK_STR(s.name, "Mainboard FRU");
	CHECK(!sdr_is_sensor(&s));
	CHECK(rec("250051120e2000009f000000060100c3424d43", &s) == 0);
	CHECK_EQ(s.type, SDR_TYPE_MC_LOCATOR);
	CHECK_EQ(s.dev_addr, 0x20);
	CHECK_EQ(s.dev_caps, 0x9f);
	CHECK_EQ(s.entity_id, 6);
	CHECK_STR(s.name, "BMC");
}

/* OEM records are kept raw: header only */
static void
test_oem(void)
{
	struct sdr_rec s;

	CHECK(rec("3000 51 c0 05 5701000102", &s) == 0);
	CHECK_EQ(s.type, SDR_TYPE_OEM);
	CHECK_EQ(s.len, 5);
	CHECK(!sdr_is_sensor(&s));
}

static void
test_truncated(void)
{
	struct sdr_rec s;

	/* header short */
	CHECK(rec("0100 51 01", &s) != 0);
	/* declared length beyond the bytes */
	CHECK(rec("0100 51 02 30 2000", &s) != 0);
	/* compact record whose body stops before the fixed fields end */
	CHECK(rec("0100 51 02 05 2000010101", &s) != 0);
	/* name length beyond the record is clamped */
	CHECK(rec("23005103 0e 20004006012a6f00000000cd5365", &s) == 0);
	CHECK_STR(s.name, "Se");
	/* no ID string byte at all */
	CHECK(rec("23005103 0b 20004006012a6f00000000", &s) == 0);
	CHECK_STR(s.name, "");
}

static void
test_next(void)
{
	struct rbuf r;
	const uint8_t *p;
	size_t n;
	int len;

	len = harness_hex("250051120e2000009f000000060100c3424d43"
	    "3000 51 c0 02 5701", buf, sizeof(buf));
	rb_init(&r, buf, (size_t)len);
	CHECK_EQ(sdr_next(&r, &p, &n), 1);
	CHECK_EQ(n, 19);
	CHECK_EQ(p[0], 0x25);
	CHECK_EQ(sdr_next(&r, &p, &n), 1);
	CHECK_EQ(n, 7);
	CHECK_EQ(sdr_next(&r, &p, &n), 0);
	rb_init(&r, buf, (size_t)len - 1);
	CHECK_EQ(sdr_next(&r, &p, &n), 1);
	CHECK_EQ(sdr_next(&r, &p, &n), -1);
	rb_init(&r, buf, 3);
	CHECK_EQ(sdr_next(&r, &p, &n), -1);
}

static void
test_repo_cmds(void)
{
	struct ipmi_req q;
	struct sdr_repo_info i;
	struct sdr_dev_info d;
	uint16_t next, res;
	const uint8_t *data;
	size_t dlen;
	int n;

	sdr_info_req(&q);
	CHECK_EQ(q.netfn, IPMI_NETFN_STORAGE);
	CHECK_EQ(q.cmd, 0x20);
	CHECK_EQ(q.len, 0);
	n = harness_hex("51 2600 ffff 78563412 00000000 2f", buf, sizeof(buf));
	CHECK(sdr_info_decode(buf, (size_t)n, &i) == IPMI_OK);
	CHECK_EQ(i.version, 0x51);
	CHECK_EQ(i.count, 38);
	CHECK_EQ(i.free, 0xffff);
	CHECK_EQ(i.add_ts, 0x12345678);
	CHECK_EQ(i.erase_ts, 0);
	CHECK_EQ(i.ops, 0x2f);
	CHECK(sdr_info_decode(buf, (size_t)n - 1, &i) == IPMI_E_LENGTH);

	sdr_reserve_req(&q, 0);
	CHECK_EQ(q.cmd, 0x22);
	CHECK_EQ(q.netfn, IPMI_NETFN_STORAGE);
	sdr_reserve_req(&q, 1);
	CHECK_EQ(q.netfn, IPMI_NETFN_SENSOR_EVENT);
	CHECK(sdr_reserve_decode((const uint8_t *)"\x34\x12", 2, &res) ==
	    IPMI_OK);
	CHECK_EQ(res, 0x1234);
	CHECK(sdr_reserve_decode((const uint8_t *)"\x34", 1, &res) ==
	    IPMI_E_LENGTH);

	sdr_get_req(&q, 0, 0x1234, 0x0506, 5, 33);
	CHECK_EQ(q.cmd, 0x23);
	CHECK_EQ(q.len, 6);
	CHECK_MEM(q.data, "\x34\x12\x06\x05\x05\x21", 6);
	sdr_get_req(&q, 1, 0, 0, 0, 5);
	CHECK_EQ(q.netfn, IPMI_NETFN_SENSOR_EVENT);
	CHECK_EQ(q.cmd, 0x21);
	CHECK(sdr_get_decode((const uint8_t *)"\x02\x00\xaa\xbb", 4, &next,
	    &data, &dlen) == IPMI_OK);
	CHECK_EQ(next, 2);
	CHECK_EQ(dlen, 2);
	CHECK_EQ(data[1], 0xbb);
	CHECK(sdr_get_decode((const uint8_t *)"\x02", 1, &next, &data,
	    &dlen) == IPMI_E_LENGTH);

	sdr_dev_info_req(&q, 1);
	CHECK_EQ(q.data[0], 1);
	CHECK(sdr_dev_info_decode((const uint8_t *)"\x05\x81\x01\x00\x00\x00",
	    6, &d) == IPMI_OK);
	CHECK_EQ(d.count, 5);
	CHECK_EQ(d.flags, 0x81);
	CHECK_EQ(d.has_change, 1);
	CHECK_EQ(d.change, 1);
	CHECK(sdr_dev_info_decode((const uint8_t *)"\x05\x01", 2, &d) ==
	    IPMI_OK);
	CHECK_EQ(d.has_change, 0);
}

int
main(void)
{
	RUN(test_full);
	RUN(test_full_negative_b);
	RUN(test_full_2s);
	RUN(test_full_exponents);
	RUN(test_full_signed_fields);
	RUN(test_id_6bit);
	RUN(test_id_bcd);
	RUN(test_compact);
	RUN(test_compact_sharing);
	RUN(test_event_only);
	RUN(test_locators);
	RUN(test_oem);
	RUN(test_truncated);
	RUN(test_next);
	RUN(test_repo_cmds);
	return harness_end();
}

/* Unit tests for the SEL codecs and record decoding (agent/ipmi/sel.c).
 * Record fixtures are the bytes ipmi_sim 2.0.33 returned for events
 * raised through its console (ipmi-sel --hex-dump on the same sim). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "evtext.h"
#include "harness.h"
#include "sel.h"

/* A tiny stand-in for the sensor model: just enough texts for the
 * fixtures, so the tests see sel.c's own formatting. */
static const char *
t_type_name(uint8_t st)
{
	switch (st) {
	case 0x01: return "Temperature";
	case 0x04: return "Fan";
	case 0x23: return "Watchdog 2";
	case 0x20: return "OS Critical Stop";
	}
	return NULL;
}

static const char *
t_offset_text(uint8_t et, uint8_t st, uint8_t off)
{
	if (et == 0x01 && off == 7)
		return "Upper Non-critical going high";
	if (et == 0x01 && off == 9)
		return "Upper Critical going high";
	if (et == 0x6f && st == 0x23 && off == 1)
		return "Hard reset";
	if (et == 0x6f && st == 0x20 && off == 1)
		return "Run-time critical stop";
	return NULL;
}

static const char *
t_sensor_name(void *arg, uint16_t gen, uint8_t num)
{
	(void)arg;
	if (gen == 0x20 && num == 1)
		return "CPU1 Temp";
	return NULL;
}

static int
t_reading(void *arg, uint16_t gen, uint8_t num, uint8_t raw, double *v,
    const char **unit)
{
	(void)arg;
	if (gen != 0x20 || num != 1)
		return -1;
	*v = raw;
	*unit = "degrees C";
	return 0;
}

static const struct sel_names names = {
	t_type_name, t_offset_text, NULL, t_sensor_name, t_reading, NULL
};

static struct sel_rec
rec(const char *hex)
{
	uint8_t b[32];
	struct sel_rec s;
	int n = harness_hex(hex, b, sizeof(b));

	CHECK_EQ(n, 16);
	CHECK_EQ(sel_rec_decode(b, (size_t)n, &s), IPMI_OK);
	return s;
}

static void
test_requests(void)
{
	struct ipmi_req q;
	static const uint8_t get[] = { 0x34, 0x12, 0x02, 0x01, 0x00, 0xff };
	static const uint8_t clr[] = { 0x34, 0x12, 'C', 'L', 'R', 0xaa };
	static const uint8_t st[] = { 0x01, 0x00, 'C', 'L', 'R', 0x00 };
	static const uint8_t tm[] = { 0x78, 0x56, 0x34, 0x12 };

	sel_info_req(&q);
	CHECK_EQ(q.netfn, 0x0a);
	CHECK_EQ(q.cmd, 0x40);
	CHECK_EQ(q.len, 0);
	sel_alloc_req(&q);
	CHECK_EQ(q.cmd, 0x41);
	sel_reserve_req(&q);
	CHECK_EQ(q.cmd, 0x42);
	sel_get_req(&q, 0x1234, 0x0102);
	CHECK_EQ(q.cmd, 0x43);
	CHECK_EQ(q.len, 6);
	CHECK_MEM(q.data, get, 6);
	sel_clear_req(&q, 0x1234, SEL_CLEAR_INITIATE);
	CHECK_EQ(q.cmd, 0x47);
	CHECK_MEM(q.data, clr, 6);
	sel_clear_req(&q, 1, SEL_CLEAR_GET_STATUS);
	CHECK_MEM(q.data, st, 6);
	sel_delete_req(&q, 0x1234, 0x0102);
	CHECK_EQ(q.cmd, 0x46);
	CHECK_EQ(q.len, 4);
	CHECK_MEM(q.data, get, 4);
	sel_time_get_req(&q);
	CHECK_EQ(q.cmd, 0x48);
	sel_time_set_req(&q, 0x12345678);
	CHECK_EQ(q.cmd, 0x49);
	CHECK_MEM(q.data, tm, 4);
}

static void
test_info(void)
{
	/* ipmi_sim: version 51h, 13 entries, 15792 free, added
	 * 6B052BE2h, never erased, reserve + delete supported */
	uint8_t b[32];
	struct sel_info s;
	int n = harness_hex("51 0d 00 b0 3d e2 2b 05 6b 00 00 00 00 0a", b,
	    sizeof(b)), pct;

	CHECK_EQ(sel_info_decode(b, (size_t)n, &s), IPMI_OK);
	CHECK_EQ(s.version, 0x51);
	CHECK_EQ(s.entries, 13);
	CHECK_EQ(s.free_bytes, 15792);
	CHECK_EQ(s.last_add, 0x6b052be2);
	CHECK_EQ(s.last_erase, 0);
	CHECK_EQ(s.ops, SEL_OP_RESERVE | SEL_OP_DELETE);
	CHECK_EQ(sel_info_check(&s, &pct), SEL_SANE_OK);
	CHECK_EQ(pct, 2);	/* 208 of 16000 bytes, rounded up */
	CHECK_EQ(sel_info_decode(b, 13, &s), IPMI_E_LENGTH);
	CHECK_EQ(sel_info_decode(b, (size_t)n, &s), IPMI_OK);

	/* full: 1000 entries, no free space, overflow */
	s.entries = 1000;
	s.free_bytes = 0;
	s.ops |= SEL_OP_OVERFLOW;
	CHECK_EQ(sel_info_check(&s, &pct), SEL_SANE_OK);
	CHECK_EQ(pct, 100);
	/* "always 100 % full" */
	s.entries = 3;
	s.ops = SEL_OP_RESERVE;
	CHECK_EQ(sel_info_check(&s, &pct), SEL_SANE_ALWAYS_FULL);
	CHECK_EQ(pct, -1);
	/* the 16-bit free space field wrapped */
	s.entries = 5000;
	s.free_bytes = 0x8000;
	CHECK(sel_info_check(&s, &pct) & SEL_SANE_OVER_16BIT);
	CHECK_EQ(pct, -1);
	/* unknown version, no reserve */
	s.version = 0x10;
	s.entries = 1;
	s.free_bytes = 100;
	s.ops = 0;
	CHECK_EQ(sel_info_check(&s, &pct),
	    SEL_SANE_BAD_VERSION | SEL_SANE_NO_RESERVE);
}

static void
test_small_decoders(void)
{
	uint8_t b[32], rec16[16], prog;
	uint16_t v, next;
	uint32_t t;
	struct sel_alloc a;
	int n;

	n = harness_hex("e8 03 10 00 e0 03 e0 03 01", b, sizeof(b));
	CHECK_EQ(sel_alloc_decode(b, (size_t)n, &a), IPMI_OK);
	CHECK_EQ(a.units, 1000);
	CHECK_EQ(a.unit_size, 16);
	CHECK_EQ(a.free_units, 992);
	CHECK_EQ(a.max_record_units, 1);
	CHECK_EQ(sel_alloc_decode(b, 8, &a), IPMI_E_LENGTH);
	{
		struct sel_info i;

		memset(&i, 0, sizeof(i));
		i.free_bytes = 992 * 16;
		CHECK_EQ(sel_alloc_check(&i, &a), SEL_SANE_OK);
		i.free_bytes = 100;
		CHECK_EQ(sel_alloc_check(&i, &a), SEL_SANE_ALLOC);
	}
	n = harness_hex("34 12", b, sizeof(b));
	CHECK_EQ(sel_reserve_decode(b, (size_t)n, &v), IPMI_OK);
	CHECK_EQ(v, 0x1234);
	CHECK_EQ(sel_reserve_decode(b, 1, &v), IPMI_E_LENGTH);
	n = harness_hex("02 00 01 00 02 e1 2b 05 6b 20 00 04 01 01 01 57 60"
	    " 55", b, sizeof(b));
	CHECK_EQ(sel_get_decode(b, (size_t)n, &next, rec16), IPMI_OK);
	CHECK_EQ(next, 2);
	CHECK_EQ(rec16[0], 1);
	CHECK_EQ(rec16[15], 0x55);
	CHECK_EQ(sel_get_decode(b, 17, &next, rec16), IPMI_E_LENGTH);
	n = harness_hex("07 00", b, sizeof(b));
	CHECK_EQ(sel_delete_decode(b, (size_t)n, &v), IPMI_OK);
	CHECK_EQ(v, 7);
	CHECK_EQ(sel_delete_decode(b, 1, &v), IPMI_E_LENGTH);
	b[0] = 0x01;
	CHECK_EQ(sel_clear_decode(b, 1, &prog), IPMI_OK);
	CHECK_EQ(prog, SEL_ERASE_COMPLETED);
	CHECK_EQ(sel_clear_decode(b, 0, &prog), IPMI_E_LENGTH);
	n = harness_hex("78 56 34 12", b, sizeof(b));
	CHECK_EQ(sel_time_get_decode(b, (size_t)n, &t), IPMI_OK);
	CHECK_EQ(t, 0x12345678);
	CHECK_EQ(sel_time_get_decode(b, 3, &t), IPMI_E_LENGTH);
}

static void
test_threshold(void)
{
	struct sel_rec s = rec("01 00 02 e1 2b 05 6b 20 00 04 01 01 01 57 60 55");
	struct sel_desc d;
	char tbuf[40];

	CHECK_EQ(s.id, 1);
	CHECK_EQ(s.kind, SEL_KIND_SYSTEM);
	CHECK_EQ(s.ts, 0x6b052be1);
	CHECK_EQ(s.preinit, 0);
	CHECK_EQ(s.gen_id, 0x20);
	CHECK_EQ(s.evm_rev, 4);
	CHECK_EQ(s.sensor_type, 1);
	CHECK_EQ(s.sensor_num, 1);
	CHECK_EQ(s.deassert, 0);
	CHECK_EQ(s.event_type, 1);
	CHECK_EQ(s.offset, 7);
	CHECK_EQ(s.ed2_use, SEL_ED_TRIGGER);
	CHECK_EQ(s.ed3_use, SEL_ED_TRIGGER);
	sel_time_format(&s, tbuf, sizeof(tbuf));
	CHECK_STR(tbuf, "2026-11-24T06:17:05Z");
	sel_describe(&s, &names, &d);
	CHECK_STR(d.sensor, "CPU1 Temp");
	CHECK_STR(d.type_name, "Temperature");
	CHECK_STR(d.direction, "asserted");
	CHECK_STR(d.event, "Upper Non-critical going high; reading 96.00 "
	    "degrees C; threshold 85.00 degrees C");
	CHECK(d.has_reading && fabs(d.reading - 96) < 1e-9);
	CHECK(d.has_threshold && fabs(d.threshold - 85) < 1e-9);
	CHECK_EQ(d.sev, SEL_SEV_WARNING);

	/* upper critical asserted: critical */
	s = rec("02 00 02 e1 2b 05 6b 20 00 04 01 01 01 59 60 5f");
	sel_describe(&s, &names, &d);
	CHECK_EQ(d.sev, SEL_SEV_CRITICAL);
	CHECK_EQ((int)d.threshold, 95);

	/* deassertion: informational */
	s = rec("03 00 02 e1 2b 05 6b 20 00 04 01 01 81 57 2d 55");
	CHECK_EQ(s.deassert, 1);
	sel_describe(&s, &names, &d);
	CHECK_STR(d.direction, "deasserted");
	CHECK_EQ(d.sev, SEL_SEV_INFO);
	CHECK_EQ((int)d.reading, 45);

	/* no sensor model: numbers, raw event data */
	s = rec("05 00 02 e1 2b 05 6b 20 00 04 04 08 01 50 02 0a");
	sel_describe(&s, NULL, &d);
	CHECK_STR(d.sensor, "");
	CHECK_STR(d.type_name, "sensor type 0x04");
	CHECK_STR(d.event, "event type 0x01 offset 0x0; reading raw 0x02; "
	    "threshold raw 0x0a");
	CHECK_EQ(d.sev, SEL_SEV_WARNING);
}

static void
test_watchdog2(void)
{
	struct sel_rec s;
	struct sel_desc d;

	/* as ipmi_sim's console wrote it: ED2 FFh */
	s = rec("0a 00 02 e2 2b 05 6b 20 00 04 23 00 6f c1 ff ff");
	CHECK_EQ(s.sensor_type, 0x23);
	CHECK_EQ(s.offset, 1);
	CHECK_EQ(s.ed2_use, SEL_ED_SPECIFIC);
	sel_describe(&s, &names, &d);
	CHECK_STR(d.event, "Hard reset; timer use unspecified, interrupt "
	    "unspecified");
	CHECK_EQ(d.sev, SEL_SEV_CRITICAL);
	/* a real expiry: SMS/OS timer, NMI pre-timeout, power cycle */
	s = rec("0e 00 02 e2 2b 05 6b 20 00 04 23 00 6f c3 24 ff");
	sel_describe(&s, &names, &d);
	CHECK_STR(d.event, "event type 0x6f offset 0x3; timer use SMS/OS, "
	    "interrupt NMI");
	CHECK_STR(sel_wdt2_use_name(1), "BIOS FRB2");
	CHECK_STR(sel_wdt2_intr_name(3), "messaging interrupt");
	CHECK_STR(sel_wdt2_use_name(7), "reserved");
}

static void
test_oem(void)
{
	struct sel_rec s;
	struct sel_desc d;
	char tbuf[40];

	s = rec("0b 00 c1 e2 2b 05 6b 57 01 00 11 22 33 44 55 66");
	CHECK_EQ(s.kind, SEL_KIND_OEM_TS);
	CHECK_EQ(s.has_ts, 1);
	CHECK_EQ(s.manufacturer, 0x157);
	CHECK_EQ(s.oem_len, 6);
	CHECK_EQ(s.oem[5], 0x66);
	sel_describe(&s, &names, &d);
	CHECK_STR(d.event, "OEM record c1, manufacturer 343, data "
	    "112233445566");
	CHECK(d.direction == NULL);
	CHECK_EQ(d.sev, SEL_SEV_INFO);
	CHECK_STR(sel_kind_name(s.kind), "oem-timestamped");

	s = rec("0c 00 e0 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d");
	CHECK_EQ(s.kind, SEL_KIND_OEM);
	CHECK_EQ(s.has_ts, 0);
	CHECK_EQ(s.oem_len, 13);
	CHECK_EQ(s.oem[12], 0x0d);
	sel_describe(&s, &names, &d);
	CHECK_STR(d.event, "OEM record e0, data 0102030405060708090a0b0c0d");
	sel_time_format(&s, tbuf, sizeof(tbuf));
	CHECK_STR(tbuf, "none");
	CHECK_STR(sel_kind_name(s.kind), "oem");
	CHECK_STR(sel_kind_name(SEL_KIND_SYSTEM), "system");
}

static void
test_preinit(void)
{
	struct sel_rec s;
	char tbuf[40];

	s = rec("10 00 02 34 12 00 00 20 00 04 01 01 01 57 60 55");
	CHECK_EQ(s.preinit, 1);
	sel_time_format(&s, tbuf, sizeof(tbuf));
	CHECK_STR(tbuf, "pre-init +4660s");
	/* the boundary itself is pre-init, one more is not */
	s = rec("10 00 02 00 00 00 20 20 00 04 01 01 01 57 60 55");
	CHECK_EQ(s.preinit, 1);
	s = rec("10 00 02 01 00 00 20 20 00 04 01 01 01 57 60 55");
	CHECK_EQ(s.preinit, 0);
	s = rec("10 00 02 ff ff ff ff 20 00 04 01 01 01 57 60 55");
	sel_time_format(&s, tbuf, sizeof(tbuf));
	CHECK_STR(tbuf, "unspecified");
}

static void
test_panic(void)
{
	struct sel_rec s;
	struct sel_desc d;

	/* ipmi_msghandler: generator 41h, EvM 03h, OS Critical Stop,
	 * sensor number 'K', 6Fh, A1h, 'e', 'r' */
	s = rec("20 00 02 00 30 05 6b 41 00 03 20 4b 6f a1 65 72");
	sel_describe(&s, &names, &d);
	CHECK_EQ(d.panic, 1);
	CHECK_STR(d.event, "Run-time critical stop; kernel panic \"Ker...\"");
	CHECK_EQ(d.sev, SEL_SEV_CRITICAL);
	/* the panic string in F0h OEM records: address, sequence, text */
	s = rec("21 00 f0 20 00 4b 65 72 6e 65 6c 20 70 61 6e 69");
	sel_describe(&s, &names, &d);
	CHECK_EQ(d.panic, 1);
	CHECK_STR(d.event, "kernel panic string part 0: \"Kernel pani\"");
	CHECK_EQ(d.sev, SEL_SEV_CRITICAL);
	s = rec("22 00 f0 20 01 63 3a 20 4e 6f 74 00 00 00 00 00");
	sel_describe(&s, &names, &d);
	CHECK_STR(d.event, "kernel panic string part 1: \"c: Not\"");
	/* an F0h record that carries no text stays hex */
	s = rec("23 00 f0 20 01 00 00 00 00 00 00 00 00 00 00 00");
	sel_describe(&s, &names, &d);
	CHECK_EQ(d.panic, 0);
}

static void
test_discrete_and_short(void)
{
	struct sel_rec s;
	struct sel_desc d;
	uint8_t b[16];

	/* generic discrete with previous state and severity in ED2 (no
	 * words without a model) */
	s = rec("30 00 02 e2 2b 05 6b 20 00 04 08 33 0b 51 00 ff");
	sel_describe(&s, NULL, &d);
	CHECK_STR(d.event, "event type 0x0b offset 0x1; previous state: "
	    "offset 0x0; severity: offset 0x0");
	/* OEM event type */
	s = rec("31 00 02 e2 2b 05 6b 20 00 04 08 33 72 a1 12 34");
	sel_describe(&s, NULL, &d);
	CHECK_STR(d.event, "OEM event type 0x72 offset 0x1; data2 0x12; "
	    "data3 0x34");
	memset(b, 0, sizeof(b));
	CHECK_EQ(sel_rec_decode(b, 15, &s), IPMI_E_LENGTH);
	CHECK_STR(sel_sev_name(SEL_SEV_CRITICAL), "critical");
}

/* the real tables (evtext.c) and a severity hook that can be off */
static int t_sev_on;

static const char *
t_ev_type(uint8_t st)
{
	return evtext_sensor_type(st);
}

static int
t_ev_sev(void *arg, uint16_t gen, uint8_t num, uint8_t et, uint8_t st,
    uint8_t off)
{
	(void)arg;
	(void)gen;
	(void)num;
	(void)et;
	(void)st;
	(void)off;
	return t_sev_on ? SEL_SEV_INFO : -1;
}

/*
 * Event data 2 with ED1 [7:6] = 01b on a discrete event (table 29-6):
 * [7:4] severity (generic type 07h offsets), [3:0] previous state (the
 * event's own type); Fh in either half is "unspecified" and not
 * printed (issue 8: "previous state offset 0xf", severity ignored).
 * Power Supply (08h) "Failure detected" (offset 1), sensor 51h.
 */
static void
test_ed2_previous_severity(void)
{
	static const struct {
		const char	*ed2;
		const char	*text;
		int		 sev;	/* without a model's severity */
	} cases[] = {
		{ "ff", "Failure detected", SEL_SEV_WARNING },
		{ "f0", "Failure detected; previous state: Presence detected",
		    SEL_SEV_WARNING },
		{ "1f", "Failure detected; severity: Transition to "
		    "Non-critical from OK", SEL_SEV_WARNING },
		{ "20", "Failure detected; previous state: Presence "
		    "detected; severity: Transition to Critical from less "
		    "severe", SEL_SEV_CRITICAL },
		{ "0f", "Failure detected; severity: Transition to OK",
		    SEL_SEV_INFO },
		{ "6f", "Failure detected; severity: Transition to "
		    "Non-recoverable", SEL_SEV_CRITICAL },
		{ "8f", "Failure detected; severity: Informational",
		    SEL_SEV_INFO },
		/* reserved severity 9, previous state not in the table */
		{ "9e", "Failure detected; previous state: offset 0xe; "
		    "severity: offset 0x9", SEL_SEV_WARNING },
	};
	struct sel_names nm = { t_ev_type, evtext_offset, t_ev_sev, NULL,
	    NULL, NULL };
	struct sel_rec s;
	struct sel_desc d;
	char hex[80];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(hex, sizeof(hex), "40 00 02 e2 2b 05 6b 20 00 "
		    "04 08 51 6f 41 %s ff", cases[i].ed2);
		s = rec(hex);
		t_sev_on = 0;
		sel_describe(&s, &nm, &d);
		CHECK_STR(d.event, cases[i].text);
		CHECK_EQ(d.sev, cases[i].sev);
		/* the sensor model's severity stands */
		t_sev_on = 1;
		sel_describe(&s, &nm, &d);
		CHECK_EQ(d.sev, SEL_SEV_INFO);
	}
	t_sev_on = 0;
	/* a deassertion ends it, whatever the severity said */
	s = rec("41 00 02 e2 2b 05 6b 20 00 04 08 51 ef 41 2f ff");
	sel_describe(&s, &nm, &d);
	CHECK_STR(d.event, "Failure detected; severity: Transition to "
	    "Critical from less severe");
	CHECK_EQ(d.sev, SEL_SEV_INFO);
	/* a generic type: the previous state in that type's words */
	s = rec("42 00 02 e2 2b 05 6b 20 00 04 08 39 0b 42 10 ff");
	sel_describe(&s, &nm, &d);
	CHECK_STR(d.event, "Redundancy Degraded; previous state: Fully "
	    "Redundant; severity: Transition to Non-critical from OK");
	/* ED1 [7:6] = 00b: ED2 unused, whatever it holds */
	s = rec("43 00 02 e2 2b 05 6b 20 00 04 08 51 6f 01 20 ff");
	sel_describe(&s, &nm, &d);
	CHECK_STR(d.event, "Failure detected");
}

int
main(void)
{
	RUN(test_requests);
	RUN(test_info);
	RUN(test_small_decoders);
	RUN(test_threshold);
	RUN(test_watchdog2);
	RUN(test_oem);
	RUN(test_preinit);
	RUN(test_panic);
	RUN(test_discrete_and_short);
	RUN(test_ed2_previous_severity);
	return harness_end();
}

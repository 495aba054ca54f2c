/*
 * Fuzz the SEL codecs and record decoder (agent/ipmi/sel.c): every input
 * is decoded as the response data of each SEL command, and each 16-byte
 * window as a SEL record, described with and without a sensor model;
 * texts must stay NUL-terminated inside their buffers, decoded fields in
 * range, and the raw bytes kept as they came.  Input shorter than a
 * record is padded, so short seeds still reach the record decoder.
 * Seeds: records ipmi_sim 2.0.33 returned (sim-*), a Linux panic pair
 * and hand-made edge cases (edge-*; edge-ed2-prev-sev: event data 2 with
 * a previous state and a severity).
 */
#include <stdlib.h>
#include <string.h>

#include "sel.h"
#include "fuzz.h"

static const char *
fz_type(uint8_t t)
{
	return t == 1 ? "Temperature" : NULL;
}

static const char *
fz_offset(uint8_t et, uint8_t st, uint8_t off)
{
	(void)st;
	if (et == 1 && off < 12)
		return "Threshold words";
	/* discrete words, for event data 2's previous state and severity
	 * (a long one: the event text must stay bounded) */
	if ((et == 7 || et == 0x6f) && off < 9)
		return "Discrete words long enough to press on the bounds of "
		    "the event text when the previous state and the severity "
		    "are both spelled out in full after the offset's own";
	return NULL;
}

static const char *
fz_name(void *arg, uint16_t gen, uint8_t num)
{
	(void)arg;
	return (gen & 1) == 0 && num & 1 ? "A sensor name that is rather "
	    "long, longer than most, to test the bounds of the name" : NULL;
}

static int
fz_reading(void *arg, uint16_t gen, uint8_t num, uint8_t raw, double *v,
    const char **unit)
{
	(void)arg;
	(void)gen;
	if (num & 2)
		return -1;
	*v = raw * 1e300;	/* huge values must not overflow the text */
	*unit = "degrees C";
	return 0;
}

static int
fz_sev(void *arg, uint16_t gen, uint8_t num, uint8_t et, uint8_t st,
    uint8_t off)
{
	(void)arg;
	(void)gen;
	(void)et;
	(void)st;
	return (num + off) % 5 - 1;	/* -1 .. 3: out of range too */
}

static const struct sel_names fz_names = {
	fz_type, fz_offset, fz_sev, fz_name, fz_reading, NULL
};

static void
fz_desc(const struct sel_desc *d)
{
	fuzz_must(memchr(d->sensor, '\0', sizeof(d->sensor)) != NULL);
	fuzz_must(memchr(d->type_name, '\0', sizeof(d->type_name)) != NULL);
	fuzz_must(memchr(d->event, '\0', sizeof(d->event)) != NULL);
	fuzz_must(d->sev <= SEL_SEV_CRITICAL);
	fuzz_must(sel_sev_name(d->sev) != NULL);
}

static void
fz_record(const uint8_t *p)
{
	struct sel_rec r;
	struct sel_desc d;
	char tm[40];

	fuzz_must(sel_rec_decode(p, SEL_RECORD_LEN, &r) == IPMI_OK);
	fuzz_must(memcmp(r.raw, p, SEL_RECORD_LEN) == 0);
	fuzz_must(r.id == (uint16_t)(p[0] | p[1] << 8) && r.type == p[2]);
	fuzz_must(r.oem_len <= sizeof(r.oem));
	fuzz_must(r.offset <= 15 && r.ed2_use <= 3 && r.ed3_use <= 3);
	fuzz_must(r.event_type <= 0x7f && r.deassert <= 1);
	fuzz_must(r.kind == (p[2] >= 0xe0 ? SEL_KIND_OEM : p[2] >= 0xc0 ?
	    SEL_KIND_OEM_TS : SEL_KIND_SYSTEM));
	fuzz_must(r.has_ts == (r.kind != SEL_KIND_OEM));
	fuzz_must(sel_kind_name(r.kind) != NULL);
	sel_time_format(&r, tm, sizeof(tm));
	fuzz_must(memchr(tm, '\0', sizeof(tm)) != NULL);
	sel_time_format(&r, tm, 5);	/* truncation */
	fuzz_must(memchr(tm, '\0', 5) != NULL);
	sel_describe(&r, NULL, &d);
	fz_desc(&d);
	sel_describe(&r, &fz_names, &d);
	fz_desc(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sel_info i;
	struct sel_alloc a;
	struct sel_rec r;
	uint8_t rec[SEL_RECORD_LEN], prog;
	uint16_t v, next;
	uint32_t t;
	size_t off;
	int pct;

	if (sel_info_decode(data, size, &i) == IPMI_OK) {
		fuzz_must(size >= 14);
		(void)sel_info_check(&i, &pct);
		fuzz_must(pct >= -1 && pct <= 100);
	} else
		fuzz_must(size < 14);
	if (sel_alloc_decode(data, size, &a) != IPMI_OK)
		fuzz_must(size < 9);
	else if (size >= 14 && sel_info_decode(data, size, &i) == IPMI_OK)
		fuzz_must((sel_alloc_check(&i, &a) & ~SEL_SANE_ALLOC) == 0);
	if (sel_reserve_decode(data, size, &v) != IPMI_OK)
		fuzz_must(size < 2);
	if (sel_get_decode(data, size, &next, rec) == IPMI_OK) {
		fuzz_must(size >= 18);
		fuzz_must(memcmp(rec, data + 2, SEL_RECORD_LEN) == 0);
	} else
		fuzz_must(size < 18);
	if (sel_clear_decode(data, size, &prog) == IPMI_OK)
		fuzz_must(prog <= 15);
	if (sel_time_get_decode(data, size, &t) != IPMI_OK)
		fuzz_must(size < 4);
	fuzz_must(sel_rec_decode(data, size < SEL_RECORD_LEN ? size : 15, &r) ==
	    IPMI_E_LENGTH);
	if (size < SEL_RECORD_LEN) {
		memset(rec, 0, sizeof(rec));
		if (size > 0)
			memcpy(rec, data, size);
		fz_record(rec);
		return 0;
	}
	/* each record-aligned window, and the last 16 bytes */
	for (off = 0; off + SEL_RECORD_LEN <= size && off < 4096;
	    off += SEL_RECORD_LEN)
		fz_record(data + off);
	fz_record(data + size - SEL_RECORD_LEN);
	return 0;
}

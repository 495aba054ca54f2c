/*
 * Unit tests for the IPMI PET encoding (agent/ipmi/pet.c).  The vector is
 * the example trap of FreeIPMI's ipmi-pet(8) manual (a Dell BMC's PET:
 * specific trap 356224 and its 47 variable binding bytes): the record
 * that trap describes, encoded here, gives those bytes exactly.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "pet.h"
#include "sel.h"

/* specific trap 356224 = 05h (physical security) 6Fh (sensor-specific)
 * deassertion, offset 0 */
static const uint8_t man_vb[PET_VARBIND_LEN] = {
	0x44, 0x45, 0x4c, 0x4c, 0x50, 0x00, 0x10, 0x59, 0x80, 0x43, 0xb2,
	0xc0, 0x4f, 0x33, 0x33, 0x58,		/* GUID */
	0x00, 0x02,				/* sequence: record 2 */
	0x19, 0xe8, 0x7e, 0x26,			/* local timestamp */
	0xff, 0xff,				/* UTC offset unspecified */
	0x20, 0x20,				/* trap, event source: IPMI */
	0x04,					/* severity OK */
	0x20, 0x73,				/* sensor device, number */
	0x18, 0x00,				/* entity, instance */
	0x80, 0x01, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00,	/* event data */
	0x19,					/* English */
	0x00, 0x00, 0x02, 0xa2,			/* manufacturer 674 */
	0x01, 0x00,				/* system ID */
	0xc1					/* no OEM fields */
};

/* the SEL record behind it: ID 2, system event, logged at the PET
 * time + 883612800 (4E935AA6h), generator 20h, EvM 04h, sensor type
 * 05h, sensor 73h, deassertion of sensor-specific 6Fh, ED 80 01 FF */
static const uint8_t man_rec[SEL_RECORD_LEN] = {
	0x02, 0x00, 0x02, 0xa6, 0x5a, 0x93, 0x4e, 0x20, 0x00, 0x04, 0x05,
	0x73, 0xef, 0x80, 0x01, 0xff
};

static void
man_source(struct pet_source *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->guid, man_vb, 16);
	s->manufacturer = 674;
	s->product = 0x0100;
	s->entity_id = 0x18;
	s->entity_instance = 0;
	s->sev = SEL_SEV_INFO;
}

static void
test_manual_example(void)
{
	struct sel_rec r;
	struct pet_source s;
	uint8_t out[PET_VARBIND_LEN];

	CHECK_EQ(sel_rec_decode(man_rec, sizeof(man_rec), &r), IPMI_OK);
	man_source(&s);
	CHECK_EQ(pet_specific(&r), 356224);
	CHECK_EQ(pet_encode(&r, &s, out), 0);
	CHECK_MEM(out, man_vb, sizeof(man_vb));
}

static void
test_severity(void)
{
	struct sel_rec r;

	memset(&r, 0, sizeof(r));
	r.kind = SEL_KIND_SYSTEM;
	r.event_type = SEL_EVT_THRESHOLD;
	r.offset = 0x09;		/* upper critical going high */
	CHECK_EQ(pet_severity(&r, SEL_SEV_CRITICAL), PET_SEV_CRITICAL);
	CHECK_EQ(pet_severity(&r, SEL_SEV_WARNING), PET_SEV_NON_CRITICAL);
	CHECK_EQ(pet_severity(&r, SEL_SEV_INFO), PET_SEV_INFORMATION);
	r.offset = 0x0b;		/* upper non-recoverable going high */
	CHECK_EQ(pet_severity(&r, SEL_SEV_CRITICAL), PET_SEV_NON_RECOVERABLE);
	r.deassert = 1;
	CHECK_EQ(pet_severity(&r, SEL_SEV_INFO), PET_SEV_OK);
	r.deassert = 0;
	r.event_type = SEL_EVT_SENSOR_SPECIFIC;	/* offset 0Bh: no threshold */
	CHECK_EQ(pet_severity(&r, SEL_SEV_CRITICAL), PET_SEV_CRITICAL);
}

static void
test_no_trap(void)
{
	/* OEM records: no PET form */
	static const uint8_t oem_ts[SEL_RECORD_LEN] = { 0x03, 0x00, 0xc1,
	    0xa6, 0x5a, 0x93, 0x4e, 0x57, 0x01, 0x00, 1, 2, 3, 4, 5, 6 };
	static const uint8_t oem[SEL_RECORD_LEN] = { 0x04, 0x00, 0xe0,
	    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 };
	struct sel_rec r;
	struct pet_source s;
	uint8_t out[PET_VARBIND_LEN];

	man_source(&s);
	CHECK_EQ(sel_rec_decode(oem_ts, sizeof(oem_ts), &r), IPMI_OK);
	CHECK_EQ(pet_encode(&r, &s, out), -1);
	CHECK_EQ(sel_rec_decode(oem, sizeof(oem), &r), IPMI_OK);
	CHECK_EQ(pet_encode(&r, &s, out), -1);
}

static void
test_timestamp(void)
{
	struct sel_rec r;
	struct pet_source s;
	uint8_t out[PET_VARBIND_LEN];

	man_source(&s);
	CHECK_EQ(sel_rec_decode(man_rec, sizeof(man_rec), &r), IPMI_OK);
	r.ts = 0x1000;			/* since the BMC's start: no date */
	r.preinit = 1;
	CHECK_EQ(pet_encode(&r, &s, out), 0);
	CHECK_EQ(out[18] | out[19] | out[20] | out[21], 0);
	r.preinit = 0;
	r.ts = PET_EPOCH;		/* 1998-01-01 itself: PET's 0 */
	CHECK_EQ(pet_encode(&r, &s, out), 0);
	CHECK_EQ(out[18] | out[19] | out[20] | out[21], 0);
	r.ts = SEL_TS_UNSPECIFIED;
	CHECK_EQ(pet_encode(&r, &s, out), 0);
	CHECK_EQ(out[18] | out[19] | out[20] | out[21], 0);
	r.ts = PET_EPOCH + 0x01020304u;
	CHECK_EQ(pet_encode(&r, &s, out), 0);
	CHECK_MEM(out + 18, "\x01\x02\x03\x04", 4);
}

int
main(void)
{
	RUN(test_manual_example);
	RUN(test_severity);
	RUN(test_no_trap);
	RUN(test_timestamp);
	return harness_end();
}

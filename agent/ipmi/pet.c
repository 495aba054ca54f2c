/*
 * IPMI Platform Event Trap encoding (pet.h).
 */
#include <string.h>

#include "buf.h"
#include "pet.h"

uint32_t
pet_specific(const struct sel_rec *r)
{
	return (uint32_t)r->sensor_type << 16 |
	    (uint32_t)(r->event_type & 0x7f) << 8 |
	    (r->deassert ? 0x80u : 0) | (r->offset & 0x0fu);
}

/*
 * The record's severity in PET's words: a deassertion is the condition
 * gone (OK); a threshold crossing of a non-recoverable threshold
 * (table 42-2 offsets 04h, 05h, 0Ah, 0Bh) is non-recoverable; the rest
 * as bmcwatch rates the entry: critical, non-critical (warning),
 * information.
 */
uint8_t
pet_severity(const struct sel_rec *r, enum sel_sev sev)
{
	uint8_t o = r->offset & 0x0f;

	if (r->deassert)
		return PET_SEV_OK;
	if ((r->event_type & 0x7f) == SEL_EVT_THRESHOLD &&
	    (o == 0x04 || o == 0x05 || o == 0x0a || o == 0x0b))
		return PET_SEV_NON_RECOVERABLE;
	switch (sev) {
	case SEL_SEV_CRITICAL:
		return PET_SEV_CRITICAL;
	case SEL_SEV_WARNING:
		return PET_SEV_NON_CRITICAL;
	default:
		return PET_SEV_INFORMATION;
	}
}

int
pet_encode(const struct sel_rec *r, const struct pet_source *s,
    uint8_t out[PET_VARBIND_LEN])
{
	struct wbuf w;
	uint32_t ts = 0;

	if (r->kind != SEL_KIND_SYSTEM)
		return -1;
	/* a time before 1998 (or since the BMC's start) is no date */
	if (r->has_ts && !r->preinit && r->ts != SEL_TS_UNSPECIFIED &&
	    r->ts > PET_EPOCH)
		ts = r->ts - PET_EPOCH;
	wb_init(&w, out, PET_VARBIND_LEN);
	wr_bytes(&w, s->guid, sizeof(s->guid));
	wr_be16(&w, r->id);
	wr_be32(&w, ts);
	wr_be16(&w, PET_UTC_UNSPECIFIED);
	wr_u8(&w, PET_SOURCE_IPMI);
	wr_u8(&w, PET_SOURCE_IPMI);
	wr_u8(&w, pet_severity(r, s->sev));
	wr_u8(&w, r->gen_id & 0xff);
	wr_u8(&w, r->sensor_num);
	wr_u8(&w, s->entity_id);
	wr_u8(&w, s->entity_instance);
	wr_bytes(&w, r->ed, sizeof(r->ed));
	wr_fill(&w, 0x00, 8 - sizeof(r->ed));
	wr_u8(&w, PET_LANG_ENGLISH);
	wr_be32(&w, s->manufacturer);
	wr_be16(&w, s->product);
	wr_u8(&w, PET_OEM_END);
	return 0;
}

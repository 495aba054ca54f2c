/*
 * Sensor Data Record decoding, IPMI v2.0 chapter 43, and the SDR
 * Repository / Device SDR command codecs (sections 33.9-33.12, 35.2-35.4).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "sdr.h"

/* sign-extend a field of n bits */
static int
sdr_sext(unsigned v, unsigned bits)
{
	unsigned m = 1u << (bits - 1);

	v &= (1u << bits) - 1;
	return (int)(v ^ m) - (int)m;
}

/* Section 43.1 bytes 25-30 and Get Sensor Reading Factors bytes 2-7. */
static void
sdr_factors_rd(struct rbuf *r, struct sdr_factors *f)
{
	uint8_t m_ls, m_ms, b_ls, b_ms, acc, exps;

	m_ls = rd_u8(r);
	m_ms = rd_u8(r);
	b_ls = rd_u8(r);
	b_ms = rd_u8(r);
	acc = rd_u8(r);
	exps = rd_u8(r);
	f->m = (int16_t)sdr_sext((unsigned)(m_ms >> 6) << 8 | m_ls, 10);
	f->tolerance = m_ms & 0x3f;
	f->b = (int16_t)sdr_sext((unsigned)(b_ms >> 6) << 8 | b_ls, 10);
	f->accuracy = (uint16_t)((b_ms & 0x3f) | (acc >> 4) << 6);
	f->accuracy_exp = (acc >> 2) & 0x03;
	f->direction = acc & 0x03;
	f->k2 = (int8_t)sdr_sext(exps >> 4, 4);
	f->k1 = (int8_t)sdr_sext(exps & 0x0f, 4);
}

void
sdr_factors_decode(struct rbuf *r, struct sdr_factors *f)
{
	sdr_factors_rd(r, f);
}

static char
sdr_printable(uint8_t c)
{
	return c < 0x20 || c == 0x7f ? '.' : (char)c;
}

/* bytes holding n characters of ID string type code >> 6 */
static size_t
sdr_id_bytes(uint8_t code)
{
	size_t n = code & 0x1f;

	switch (code >> 6) {
	case 1:
		return (n + 1) / 2;
	case 2:
		return (n * 6 + 7) / 8;
	default:
		return n;
	}
}

size_t
sdr_id_decode(uint8_t code, const uint8_t *p, size_t n, char *out,
    size_t outlen)
{
	static const char bcd[] = "0123456789 -.:,_";
	size_t o = 0, i, chars = code & 0x1f;

	if (outlen == 0)
		return 0;
#define PUT(c) do { if (o + 1 < outlen) out[o++] = (c); } while (0)
	switch (code >> 6) {
	case 1:		/* BCD plus: two characters per byte, high first */
		for (i = 0; i < chars && i / 2 < n; i++)
			PUT(bcd[i % 2 == 0 ? p[i / 2] >> 4 : p[i / 2] & 0x0f]);
		break;
	case 2:		/* 6-bit packed ASCII: 4 characters in 3 bytes */
		for (i = 0; i < chars && i * 6 + 6 <= n * 8; i++) {
			size_t bit = i * 6, byte = bit / 8;
			unsigned v = p[byte];

			if (byte + 1 < n)
				v |= (unsigned)p[byte + 1] << 8;
			v = (v >> (bit % 8)) & 0x3f;
			PUT((char)(v + 0x20));
		}
		break;
	default:	/* 8-bit ASCII + Latin-1; Unicode treated alike */
		for (i = 0; i < chars && i < n && p[i] != '\0'; i++)
			PUT(sdr_printable(p[i]));
		break;
	}
#undef PUT
	out[o] = '\0';
	return o;
}

static void
sdr_id_rd(struct rbuf *r, struct sdr_rec *s)
{
	size_t n, left;
	const uint8_t *p;

	if (rd_left(r) == 0) {
		s->name[0] = '\0';
		return;
	}
	s->id_code = rd_u8(r);
	/* the length counts characters (section 43.15) */
	n = sdr_id_bytes(s->id_code);
	left = rd_left(r);
	/* a length running past the record is clamped, as the peers do */
	if (n > left)
		n = left;
	p = rd_ptr(r, n);
	sdr_id_decode(s->id_code, p, n, s->name, sizeof(s->name));
}

/* every record type decoded here ends with an OEM byte and the ID string */
static int
sdr_oem_id_rd(struct rbuf *r, struct sdr_rec *s)
{
	s->oem = rd_u8(r);
	if (r->err)
		return -1;
	sdr_id_rd(r, s);
	return 0;
}

/* sensor owner, number and entity: bytes 6-10 of types 01h, 02h, 03h */
static void
sdr_key_rd(struct rbuf *r, struct sdr_rec *s)
{
	uint8_t b;

	s->owner_id = rd_u8(r);
	b = rd_u8(r);
	s->owner_lun = b & 0x03;
	s->channel = b >> 4;
	s->number = rd_u8(r);
	s->entity_id = rd_u8(r);
	s->entity_instance = rd_u8(r);
}

static void
sdr_sensor_common(struct rbuf *r, struct sdr_rec *s)
{
	uint8_t b;

	sdr_key_rd(r, s);
	s->init = rd_u8(r);
	s->caps = rd_u8(r);
	s->sensor_type = rd_u8(r);
	s->event_type = rd_u8(r);
	s->assert_mask = rd_le16(r);
	s->deassert_mask = rd_le16(r);
	s->reading_mask = rd_le16(r);
	b = rd_u8(r);
	s->format = b >> 6;
	s->rate = (b >> 3) & 0x07;
	s->mod_use = (b >> 1) & 0x03;
	s->percentage = b & 0x01;
	s->unit_base = rd_u8(r);
	s->unit_mod = rd_u8(r);
}

static void
sdr_share_rd(struct rbuf *r, struct sdr_rec *s)
{
	uint8_t b;

	b = rd_u8(r);
	s->share_alpha = (b >> 4) & 0x03;
	s->share_count = b & 0x0f;
	if (s->share_count == 0)
		s->share_count = 1;
	b = rd_u8(r);
	s->share_entity_inc = b >> 7;
	s->share_offset = b & 0x7f;
}

enum ipmi_err
sdr_decode(const uint8_t *p, size_t len, struct sdr_rec *s)
{
	struct rbuf rec, r;
	uint8_t b;

	memset(s, 0, sizeof(*s));
	s->share_count = 1;
	rb_init(&rec, p, len);
	s->id = rd_le16(&rec);
	s->version = rd_u8(&rec);
	s->type = rd_u8(&rec);
	s->len = rd_u8(&rec);
	if (rec.err)
		return IPMI_E_LENGTH;
	if (rd_left(&rec) < s->len)
		return IPMI_E_LENGTH;
	/* decode only the declared body; trailing bytes are ignored */
	rd_sub(&rec, s->len, &r);

	switch (s->type) {
	case SDR_TYPE_FULL:
		sdr_sensor_common(&r, s);
		s->linearization = rd_u8(&r) & 0x7f;
		sdr_factors_rd(&r, &s->f);
		s->analog_flags = rd_u8(&r);
		s->nominal = rd_u8(&r);
		s->normal_max = rd_u8(&r);
		s->normal_min = rd_u8(&r);
		s->sensor_max = rd_u8(&r);
		s->sensor_min = rd_u8(&r);
		s->thr[SDR_THR_UNR] = rd_u8(&r);
		s->thr[SDR_THR_UC] = rd_u8(&r);
		s->thr[SDR_THR_UNC] = rd_u8(&r);
		s->thr[SDR_THR_LNR] = rd_u8(&r);
		s->thr[SDR_THR_LC] = rd_u8(&r);
		s->thr[SDR_THR_LNC] = rd_u8(&r);
		s->hyst_pos = rd_u8(&r);
		s->hyst_neg = rd_u8(&r);
		rd_skip(&r, 2);
		if (sdr_oem_id_rd(&r, s) != 0)
			return IPMI_E_LENGTH;
		break;
	case SDR_TYPE_COMPACT:
		sdr_sensor_common(&r, s);
		sdr_share_rd(&r, s);
		s->hyst_pos = rd_u8(&r);
		s->hyst_neg = rd_u8(&r);
		rd_skip(&r, 3);
		if (sdr_oem_id_rd(&r, s) != 0)
			return IPMI_E_LENGTH;
		s->format = SDR_FMT_NONE;
		break;
	case SDR_TYPE_EVENT_ONLY:
		sdr_key_rd(&r, s);
		s->sensor_type = rd_u8(&r);
		s->event_type = rd_u8(&r);
		sdr_share_rd(&r, s);
		rd_skip(&r, 1);
		if (sdr_oem_id_rd(&r, s) != 0)
			return IPMI_E_LENGTH;
		s->format = SDR_FMT_NONE;
		break;
	case SDR_TYPE_FRU_LOCATOR:
		s->dev_addr = rd_u8(&r);
		s->fru_id = rd_u8(&r);
		b = rd_u8(&r);
		s->logical = b >> 7;
		s->access_lun = (b >> 3) & 0x03;
		s->bus = b & 0x07;
		s->channel = rd_u8(&r) >> 4;
		rd_skip(&r, 1);
		s->dev_type = rd_u8(&r);
		s->dev_type_mod = rd_u8(&r);
		s->entity_id = rd_u8(&r);
		s->entity_instance = rd_u8(&r);
		if (sdr_oem_id_rd(&r, s) != 0)
			return IPMI_E_LENGTH;
		break;
	case SDR_TYPE_MC_LOCATOR:
		s->dev_addr = rd_u8(&r);
		s->channel = rd_u8(&r) & 0x0f;
		s->power_flags = rd_u8(&r);
		s->dev_caps = rd_u8(&r);
		rd_skip(&r, 3);
		s->entity_id = rd_u8(&r);
		s->entity_instance = rd_u8(&r);
		if (sdr_oem_id_rd(&r, s) != 0)
			return IPMI_E_LENGTH;
		break;
	default:
		break;
	}
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

int
sdr_is_sensor(const struct sdr_rec *s)
{
	return s->type == SDR_TYPE_FULL || s->type == SDR_TYPE_COMPACT ||
	    s->type == SDR_TYPE_EVENT_ONLY;
}

int
sdr_next(struct rbuf *r, const uint8_t **rec, size_t *len)
{
	struct rbuf h;
	const uint8_t *p;
	size_t n;

	if (r->err)
		return -1;
	if (rd_left(r) == 0)
		return 0;
	if (rd_left(r) < SDR_HDR_LEN)
		return -1;
	/* peek at the length byte through a copy of the cursor */
	h = *r;
	rd_skip(&h, 4);
	n = SDR_HDR_LEN + rd_u8(&h);
	if ((p = rd_ptr(r, n)) == NULL)
		return -1;
	*rec = p;
	*len = n;
	return 1;
}

uint8_t
sdr_share_number(const struct sdr_rec *s, unsigned idx)
{
	return (uint8_t)(s->number + idx);
}

uint8_t
sdr_share_instance(const struct sdr_rec *s, unsigned idx)
{
	if (!s->share_entity_inc)
		return s->entity_instance;
	/* the instance number is [6:0]; keep the logical bit */
	return (uint8_t)((s->entity_instance & 0x80) |
	    ((s->entity_instance + idx) & 0x7f));
}

void
sdr_share_name(const struct sdr_rec *s, unsigned idx, char *out,
    size_t outlen)
{
	char mod[16];
	unsigned v, n;
	size_t i;

	if (outlen == 0)
		return;
	if (s->share_count <= 1 || s->type == SDR_TYPE_FULL) {
		(void)snprintf(out, outlen, "%s", s->name);
		return;
	}
	v = s->share_offset + idx;
	if (s->share_alpha == 1) {
		/* base 26: 0 = A, 25 = Z, 26 = BA (section 43.2) */
		char tmp[8];

		n = 0;
		do {
			tmp[n++] = (char)('A' + v % 26);
			v /= 26;
		} while (v > 0 && n < sizeof(tmp));
		for (i = 0; i < n; i++)
			mod[i] = tmp[n - 1 - i];
		mod[n] = '\0';
	} else
		(void)snprintf(mod, sizeof(mod), "%u", v);
	(void)snprintf(out, outlen, "%s%s", s->name, mod);
}

/* ---- repository commands ---- */

void
sdr_info_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR_REPOSITORY_INFO,
	    NULL, 0);
}

enum ipmi_err
sdr_info_decode(const uint8_t *p, size_t len, struct sdr_repo_info *i)
{
	struct rbuf r;

	memset(i, 0, sizeof(*i));
	rb_init(&r, p, len);
	i->version = rd_u8(&r);
	i->count = rd_le16(&r);
	i->free = rd_le16(&r);
	i->add_ts = rd_le32(&r);
	i->erase_ts = rd_le32(&r);
	i->ops = rd_u8(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sdr_reserve_req(struct ipmi_req *q, int device)
{
	if (device)
		ipmi_req_init(q, IPMI_NETFN_SENSOR_EVENT,
		    IPMI_CMD_RESERVE_DEVICE_SDR_REPOSITORY, NULL, 0);
	else
		ipmi_req_init(q, IPMI_NETFN_STORAGE,
		    IPMI_CMD_RESERVE_SDR_REPOSITORY, NULL, 0);
}

enum ipmi_err
sdr_reserve_decode(const uint8_t *p, size_t len, uint16_t *res)
{
	struct rbuf r;

	rb_init(&r, p, len);
	*res = rd_le16(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sdr_get_req(struct ipmi_req *q, int device, uint16_t res, uint16_t id,
    uint8_t offset, uint8_t count)
{
	if (device)
		ipmi_rec_get_req(q, IPMI_NETFN_SENSOR_EVENT,
		    IPMI_CMD_GET_DEVICE_SDR, res, id, offset, count);
	else
		ipmi_rec_get_req(q, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR, res,
		    id, offset, count);
}

enum ipmi_err
sdr_get_decode(const uint8_t *p, size_t len, uint16_t *next,
    const uint8_t **data, size_t *dlen)
{
	struct rbuf r;

	rb_init(&r, p, len);
	*next = rd_le16(&r);
	if (r.err)
		return IPMI_E_LENGTH;
	*dlen = rd_left(&r);
	*data = rd_ptr(&r, *dlen);
	return IPMI_OK;
}

void
sdr_dev_info_req(struct ipmi_req *q, int records)
{
	uint8_t d = records ? 1 : 0;

	ipmi_req_init(q, IPMI_NETFN_SENSOR_EVENT, IPMI_CMD_GET_DEVICE_SDR_INFO,
	    &d, 1);
}

enum ipmi_err
sdr_dev_info_decode(const uint8_t *p, size_t len, struct sdr_dev_info *i)
{
	struct rbuf r;

	memset(i, 0, sizeof(*i));
	rb_init(&r, p, len);
	i->count = rd_u8(&r);
	i->flags = rd_u8(&r);
	if (r.err)
		return IPMI_E_LENGTH;
	if (rd_left(&r) >= 4) {
		i->change = rd_le32(&r);
		i->has_change = 1;
	}
	return IPMI_OK;
}

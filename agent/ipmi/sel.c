/*
 * SEL command codecs (IPMI v2.0 chapter 31) and record decoding
 * (chapter 32, event data per section 29.7 and table 42-3).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "sel.h"

static void	sel_cat(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

void
sel_info_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_INFO, NULL, 0);
}

enum ipmi_err
sel_info_decode(const uint8_t *p, size_t len, struct sel_info *s)
{
	struct rbuf r;

	memset(s, 0, sizeof(*s));
	rb_init(&r, p, len);
	s->version = rd_u8(&r);
	s->entries = rd_le16(&r);
	s->free_bytes = rd_le16(&r);
	s->last_add = rd_le32(&r);
	s->last_erase = rd_le32(&r);
	s->ops = rd_u8(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

unsigned
sel_info_check(const struct sel_info *s, int *used_pct)
{
	unsigned f = SEL_SANE_OK;
	unsigned long used = (unsigned long)s->entries * SEL_RECORD_LEN;
	unsigned long total = used + s->free_bytes;

	*used_pct = -1;
	if (s->version != 0x51 && s->version != 0x02)
		f |= SEL_SANE_BAD_VERSION;
	if (!(s->ops & SEL_OP_RESERVE))
		f |= SEL_SANE_NO_RESERVE;
	/*
	 * "Always 100 % full": free 0 while holding fewer entries than any
	 * real SEL (a few hundred bytes); seen on BMCs that report the log
	 * area as pre-allocated.  Such a number cannot drive a clear.
	 */
	if (s->free_bytes == 0 && s->entries < 32 &&
	    !(s->ops & SEL_OP_OVERFLOW)) {
		f |= SEL_SANE_ALWAYS_FULL;
		return f;
	}
	/* the free-space field is 16 bits: larger SELs wrap it (ipmi_sim
	 * with more than 4095 entries) */
	if (total > 0xffff) {
		f |= SEL_SANE_OVER_16BIT;
		return f;
	}
	if (s->free_bytes == 0xffff || total == 0)
		return f;
	*used_pct = (int)((used * 100 + total - 1) / total);
	if (*used_pct > 100)
		*used_pct = 100;
	return f;
}

void
sel_alloc_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_ALLOCATION_INFO,
	    NULL, 0);
}

enum ipmi_err
sel_alloc_decode(const uint8_t *p, size_t len, struct sel_alloc *a)
{
	struct rbuf r;

	memset(a, 0, sizeof(*a));
	rb_init(&r, p, len);
	a->units = rd_le16(&r);
	a->unit_size = rd_le16(&r);
	a->free_units = rd_le16(&r);
	a->largest_free = rd_le16(&r);
	a->max_record_units = rd_u8(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

unsigned
sel_alloc_check(const struct sel_info *i, const struct sel_alloc *a)
{
	unsigned long fb = (unsigned long)a->free_units * a->unit_size;
	unsigned long d;

	if (i->free_bytes == 0xffff && fb >= 0xffff)
		return SEL_SANE_OK;
	d = fb > i->free_bytes ? fb - i->free_bytes : i->free_bytes - fb;
	return d > a->unit_size ? SEL_SANE_ALLOC : SEL_SANE_OK;
}

void
sel_reserve_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_RESERVE_SEL, NULL, 0);
}

enum ipmi_err
sel_reserve_decode(const uint8_t *p, size_t len, uint16_t *resid)
{
	struct rbuf r;

	rb_init(&r, p, len);
	*resid = rd_le16(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sel_get_req(struct ipmi_req *q, uint16_t resid, uint16_t id)
{
	/* offset 0, FFh: read the entire record */
	ipmi_rec_get_req(q, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_ENTRY, resid,
	    id, 0, 0xff);
}

enum ipmi_err
sel_get_decode(const uint8_t *p, size_t len, uint16_t *next,
    uint8_t rec[SEL_RECORD_LEN])
{
	struct rbuf r;

	rb_init(&r, p, len);
	*next = rd_le16(&r);
	rd_bytes(&r, rec, SEL_RECORD_LEN);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sel_delete_req(struct ipmi_req *q, uint16_t resid, uint16_t id)
{
	uint8_t d[4];

	d[0] = resid & 0xff;
	d[1] = resid >> 8;
	d[2] = id & 0xff;
	d[3] = id >> 8;
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_DELETE_SEL_ENTRY, d,
	    sizeof(d));
}

enum ipmi_err
sel_delete_decode(const uint8_t *p, size_t len, uint16_t *id)
{
	struct rbuf r;

	rb_init(&r, p, len);
	*id = rd_le16(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sel_clear_req(struct ipmi_req *q, uint16_t resid, uint8_t op)
{
	uint8_t d[6];

	d[0] = resid & 0xff;
	d[1] = resid >> 8;
	d[2] = 'C';
	d[3] = 'L';
	d[4] = 'R';
	d[5] = op;
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_CLEAR_SEL, d, sizeof(d));
}

enum ipmi_err
sel_clear_decode(const uint8_t *p, size_t len, uint8_t *progress)
{
	struct rbuf r;

	rb_init(&r, p, len);
	*progress = rd_u8(&r) & 0x0f;
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sel_time_get_req(struct ipmi_req *q)
{
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_TIME, NULL, 0);
}

enum ipmi_err
sel_time_get_decode(const uint8_t *p, size_t len, uint32_t *t)
{
	struct rbuf r;

	rb_init(&r, p, len);
	*t = rd_le32(&r);
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

void
sel_time_set_req(struct ipmi_req *q, uint32_t t)
{
	uint8_t d[4];

	d[0] = t & 0xff;
	d[1] = (t >> 8) & 0xff;
	d[2] = (t >> 16) & 0xff;
	d[3] = t >> 24;
	ipmi_req_init(q, IPMI_NETFN_STORAGE, IPMI_CMD_SET_SEL_TIME, d,
	    sizeof(d));
}

enum ipmi_err
sel_rec_decode(const uint8_t *p, size_t len, struct sel_rec *s)
{
	struct rbuf r;
	uint8_t b;

	memset(s, 0, sizeof(*s));
	if (len < SEL_RECORD_LEN)
		return IPMI_E_LENGTH;
	rb_init(&r, p, SEL_RECORD_LEN);
	rd_bytes(&r, s->raw, SEL_RECORD_LEN);
	rb_init(&r, s->raw, SEL_RECORD_LEN);
	s->id = rd_le16(&r);
	s->type = rd_u8(&r);
	if (s->type >= SEL_TYPE_OEM_MIN) {
		/* section 32.3: 13 OEM bytes, no timestamp */
		s->kind = SEL_KIND_OEM;
		s->oem_len = 13;
		rd_bytes(&r, s->oem, 13);
		return IPMI_OK;
	}
	s->has_ts = 1;
	s->ts = rd_le32(&r);
	s->preinit = s->ts <= SEL_TS_PREINIT_MAX;
	if (s->type >= SEL_TYPE_OEM_TS_MIN) {
		/* section 32.2: manufacturer ID (3 bytes) + 6 OEM bytes */
		s->kind = SEL_KIND_OEM_TS;
		s->manufacturer = rd_le24(&r);
		s->oem_len = 6;
		rd_bytes(&r, s->oem, 6);
		return IPMI_OK;
	}
	/*
	 * Section 32.1.  Types other than 02h below C0h are "reserved";
	 * like ipmitool and FreeIPMI we read them with the 02h layout.
	 */
	s->kind = SEL_KIND_SYSTEM;
	s->gen_id = rd_le16(&r);
	s->evm_rev = rd_u8(&r);
	s->sensor_type = rd_u8(&r);
	s->sensor_num = rd_u8(&r);
	b = rd_u8(&r);
	s->deassert = b >> 7;
	s->event_type = b & 0x7f;
	rd_bytes(&r, s->ed, 3);
	s->offset = s->ed[0] & 0x0f;
	s->ed2_use = (s->ed[0] >> 6) & 3;
	s->ed3_use = (s->ed[0] >> 4) & 3;
	return r.err ? IPMI_E_LENGTH : IPMI_OK;
}

const char *
sel_kind_name(enum sel_kind k)
{
	switch (k) {
	case SEL_KIND_SYSTEM:
		return "system";
	case SEL_KIND_OEM_TS:
		return "oem-timestamped";
	case SEL_KIND_OEM:
		return "oem";
	}
	return "unknown";
}

const char *
sel_sev_name(enum sel_sev s)
{
	switch (s) {
	case SEL_SEV_INFO:
		return "info";
	case SEL_SEV_WARNING:
		return "warning";
	case SEL_SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}

/* Watchdog 2 event data 2 [7:4], table 42-3 sensor type 23h */
const char *
sel_wdt2_intr_name(uint8_t v)
{
	static const char *const n[] = { "none", "SMI", "NMI",
	    "messaging interrupt" };

	if (v < 4)
		return n[v];
	return v == 0x0f ? "unspecified" : "reserved";
}

/* Watchdog 2 event data 2 [3:0]: timer use at expiration */
const char *
sel_wdt2_use_name(uint8_t v)
{
	static const char *const n[] = { "reserved", "BIOS FRB2",
	    "BIOS/POST", "OS Load", "SMS/OS", "OEM" };

	if (v < 6)
		return n[v];
	return v == 0x0f ? "unspecified" : "reserved";
}

void
sel_time_format(const struct sel_rec *s, char *out, size_t len)
{
	struct tm tm;
	time_t t;

	if (!s->has_ts) {
		(void)snprintf(out, len, "none");
		return;
	}
	if (s->ts == SEL_TS_UNSPECIFIED) {
		(void)snprintf(out, len, "unspecified");
		return;
	}
	if (s->preinit) {
		(void)snprintf(out, len, "pre-init +%lus",
		    (unsigned long)s->ts);
		return;
	}
	t = (time_t)s->ts;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, len, "%lu", (unsigned long)s->ts);
}

/* append printf-style to a bounded text buffer; truncates silently */
static void
sel_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strnlen(buf, len);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/*
 * Default severity when the sensor model gives none.  Thresholds by
 * their offset (table 42-2: even offsets are "going low", pairs of
 * non-critical / critical / non-recoverable); discrete events are
 * warnings unless they are known to be serious.
 */
static enum sel_sev
sel_default_sev(const struct sel_rec *s)
{
	if (s->event_type == SEL_EVT_THRESHOLD) {
		switch (s->offset) {
		case 0: case 1: case 6: case 7:
			return SEL_SEV_WARNING;
		case 2: case 3: case 4: case 5: case 8: case 9: case 10:
		case 11:
			return SEL_SEV_CRITICAL;
		default:
			return SEL_SEV_WARNING;
		}
	}
	if (s->event_type == SEL_EVT_SENSOR_SPECIFIC) {
		switch (s->sensor_type) {
		case SEL_ST_EVENT_LOG:		/* log cleared etc. */
			return SEL_SEV_INFO;
		case SEL_ST_OS_STOP:
		case SEL_ST_WATCHDOG2:
			return SEL_SEV_CRITICAL;
		default:
			return SEL_SEV_WARNING;
		}
	}
	return SEL_SEV_WARNING;
}

/* threshold event data 2/3: trigger reading and threshold */
static void
sel_describe_threshold(const struct sel_rec *s, const struct sel_names *n,
    struct sel_desc *d)
{
	const char *unit = NULL, *unit2 = NULL;
	double v;

	if (s->ed2_use == SEL_ED_TRIGGER && n != NULL && n->reading != NULL &&
	    n->reading(n->arg, s->gen_id, s->sensor_num, s->ed[1], &v,
	    &unit) == 0) {
		d->has_reading = 1;
		d->reading = v;
	}
	if (s->ed3_use == SEL_ED_TRIGGER && n != NULL && n->reading != NULL &&
	    n->reading(n->arg, s->gen_id, s->sensor_num, s->ed[2], &v,
	    &unit2) == 0) {
		d->has_threshold = 1;
		d->threshold = v;
	}
	if (d->has_reading)
		sel_cat(d->event, sizeof(d->event), "; reading %.2f%s%s",
		    d->reading, unit ? " " : "", unit ? unit : "");
	else if (s->ed2_use == SEL_ED_TRIGGER)
		sel_cat(d->event, sizeof(d->event), "; reading raw 0x%02x",
		    s->ed[1]);
	if (d->has_threshold)
		sel_cat(d->event, sizeof(d->event), "; threshold %.2f%s%s",
		    d->threshold, unit2 ? " " : "", unit2 ? unit2 : "");
	else if (s->ed3_use == SEL_ED_TRIGGER)
		sel_cat(d->event, sizeof(d->event), "; threshold raw 0x%02x",
		    s->ed[2]);
	if (s->ed2_use == SEL_ED_OEM)
		sel_cat(d->event, sizeof(d->event), "; OEM data2 0x%02x",
		    s->ed[1]);
	if (s->ed3_use == SEL_ED_OEM)
		sel_cat(d->event, sizeof(d->event), "; OEM data3 0x%02x",
		    s->ed[2]);
}

/* a printable rendering of up to n bytes, stopping at NUL */
static void
sel_printable(const uint8_t *p, size_t n, char *out, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < len; i++) {
		if (p[i] == 0)
			break;
		out[o++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	}
	out[o] = '\0';
}

/* Event data 2 severity nibble: an offset of the generic severity type
 * 07h (table 42-2), as a SEL severity; -1 for none (Fh) or reserved */
static int
sel_ed2_sev(uint8_t off)
{
	switch (off) {
	case 0x0:	/* transition to OK */
	case 0x7:	/* Monitor */
	case 0x8:	/* Informational */
		return SEL_SEV_INFO;
	case 0x1:	/* to Non-critical from OK */
	case 0x4:	/* to Non-critical from more severe */
		return SEL_SEV_WARNING;
	case 0x2:	/* to Critical from less severe */
	case 0x3:	/* to Non-recoverable from less severe */
	case 0x5:	/* to Critical from Non-recoverable */
	case 0x6:	/* to Non-recoverable */
		return SEL_SEV_CRITICAL;
	default:
		return -1;
	}
}

/*
 * Event data 2 of a discrete event with ED1 [7:6] = 01b (table 29-6):
 * [7:4] the severity, an offset of generic type 07h, and [3:0] the
 * previous state, an offset of the event's own type; Fh = unspecified
 * (not printed).  In words where the tables have them.
 */
static void
sel_describe_prev(const struct sel_rec *s, const struct sel_names *n,
    struct sel_desc *d)
{
	uint8_t prev = s->ed[1] & 0x0f, sev = s->ed[1] >> 4;
	const char *t;

	if (prev != 0x0f) {
		t = n != NULL && n->offset_text != NULL ?
		    n->offset_text(s->event_type, s->sensor_type, prev) : NULL;
		if (t != NULL)
			sel_cat(d->event, sizeof(d->event),
			    "; previous state: %s", t);
		else
			sel_cat(d->event, sizeof(d->event),
			    "; previous state: offset 0x%x", prev);
	}
	if (sev != 0x0f) {
		t = n != NULL && n->offset_text != NULL ?
		    n->offset_text(SEL_EVT_SEVERITY, 0, sev) : NULL;
		if (t != NULL)
			sel_cat(d->event, sizeof(d->event), "; severity: %s",
			    t);
		else
			sel_cat(d->event, sizeof(d->event),
			    "; severity: offset 0x%x", sev);
	}
}

static void
sel_describe_discrete(const struct sel_rec *s, const struct sel_names *n,
    struct sel_desc *d)
{
	char txt[8];
	uint8_t b[3];

	if (s->sensor_type == SEL_ST_WATCHDOG2 &&
	    s->event_type == SEL_EVT_SENSOR_SPECIFIC &&
	    s->ed2_use == SEL_ED_SPECIFIC) {
		sel_cat(d->event, sizeof(d->event),
		    "; timer use %s, interrupt %s",
		    sel_wdt2_use_name(s->ed[1] & 0x0f),
		    sel_wdt2_intr_name(s->ed[1] >> 4));
		return;
	}
	/*
	 * Linux ipmi_msghandler's panic event: OS Critical Stop,
	 * run-time stop, OEM data 2/3, generator 41h (software ID 20h,
	 * the kernel) and the first three characters of the panic
	 * string in sensor number, ED2 and ED3.
	 */
	if (s->sensor_type == SEL_ST_OS_STOP &&
	    s->event_type == SEL_EVT_SENSOR_SPECIFIC && s->offset == 1 &&
	    s->ed2_use == SEL_ED_OEM && s->ed3_use == SEL_ED_OEM) {
		d->panic = 1;
		b[0] = s->sensor_num;
		b[1] = s->ed[1];
		b[2] = s->ed[2];
		sel_printable(b, 3, txt, sizeof(txt));
		sel_cat(d->event, sizeof(d->event), "; kernel panic%s%s%s",
		    txt[0] ? " \"" : "", txt, txt[0] ? "...\"" : "");
		return;
	}
	if (s->ed2_use == SEL_ED_TRIGGER)
		sel_describe_prev(s, n, d);
	if (s->ed2_use == SEL_ED_OEM || s->ed2_use == SEL_ED_SPECIFIC)
		sel_cat(d->event, sizeof(d->event), "; data2 0x%02x",
		    s->ed[1]);
	if (s->ed3_use == SEL_ED_OEM || s->ed3_use == SEL_ED_SPECIFIC)
		sel_cat(d->event, sizeof(d->event), "; data3 0x%02x",
		    s->ed[2]);
}

static void
sel_hex(const uint8_t *p, size_t n, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		sel_cat(out, len, "%02x", p[i]);
}

void
sel_describe(const struct sel_rec *s, const struct sel_names *n,
    struct sel_desc *d)
{
	const char *t;
	char hex[40], txt[16];
	int sev;

	memset(d, 0, sizeof(*d));
	d->sev = SEL_SEV_INFO;
	if (s->kind == SEL_KIND_OEM_TS) {
		sel_hex(s->oem, s->oem_len, hex, sizeof(hex));
		(void)snprintf(d->event, sizeof(d->event),
		    "OEM record %02x, manufacturer %lu, data %s", s->type,
		    (unsigned long)s->manufacturer, hex);
		return;
	}
	if (s->kind == SEL_KIND_OEM) {
		sel_hex(s->oem, s->oem_len, hex, sizeof(hex));
		if (s->type == SEL_TYPE_LINUX_PANIC) {
			/* oem[0]: BMC address, oem[1]: sequence, then
			 * 11 bytes of the panic string */
			sel_printable(s->oem + 2, 11, txt, sizeof(txt));
			if (txt[0] != '\0') {
				d->panic = 1;
				d->sev = SEL_SEV_CRITICAL;
				(void)snprintf(d->event, sizeof(d->event),
				    "kernel panic string part %u: \"%s\"",
				    s->oem[1], txt);
				return;
			}
		}
		(void)snprintf(d->event, sizeof(d->event),
		    "OEM record %02x, data %s", s->type, hex);
		return;
	}
	d->direction = s->deassert ? "deasserted" : "asserted";
	t = n != NULL && n->type_name != NULL ?
	    n->type_name(s->sensor_type) : NULL;
	if (t != NULL)
		(void)snprintf(d->type_name, sizeof(d->type_name), "%s", t);
	else
		(void)snprintf(d->type_name, sizeof(d->type_name),
		    "sensor type 0x%02x", s->sensor_type);
	t = n != NULL && n->sensor_name != NULL ?
	    n->sensor_name(n->arg, s->gen_id, s->sensor_num) : NULL;
	if (t != NULL)
		(void)snprintf(d->sensor, sizeof(d->sensor), "%s", t);
	t = n != NULL && n->offset_text != NULL ?
	    n->offset_text(s->event_type, s->sensor_type, s->offset) : NULL;
	if (t != NULL)
		(void)snprintf(d->event, sizeof(d->event), "%s", t);
	else if (s->event_type >= 0x70)
		(void)snprintf(d->event, sizeof(d->event),
		    "OEM event type 0x%02x offset 0x%x", s->event_type,
		    s->offset);
	else
		(void)snprintf(d->event, sizeof(d->event),
		    "event type 0x%02x offset 0x%x", s->event_type,
		    s->offset);
	if (s->event_type == SEL_EVT_THRESHOLD)
		sel_describe_threshold(s, n, d);
	else
		sel_describe_discrete(s, n, d);
	sev = n != NULL && n->severity != NULL ?
	    n->severity(n->arg, s->gen_id, s->sensor_num, s->event_type,
	    s->sensor_type, s->offset) : -1;
	/* without a model's severity, the BMC's own word (event data 2
	 * severity) beats a guess */
	if (sev < 0 && s->event_type != SEL_EVT_THRESHOLD &&
	    s->ed2_use == SEL_ED_TRIGGER)
		sev = sel_ed2_sev(s->ed[1] >> 4);
	d->sev = sev >= 0 && sev <= SEL_SEV_CRITICAL ? (enum sel_sev)sev :
	    sel_default_sev(s);
	/* a deassertion ends the condition: informational; so is "Log
	 * area reset/cleared" (table 42-3, 10h offset 2): our own clears */
	if (s->deassert || (s->event_type == SEL_EVT_SENSOR_SPECIFIC &&
	    s->sensor_type == SEL_ST_EVENT_LOG && s->offset == 2))
		d->sev = SEL_SEV_INFO;
	if (d->panic)
		d->sev = SEL_SEV_CRITICAL;
}

/*
 * The sensor sweep (see sensors.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "evtext.h"
#include "log.h"
#include "sensors.h"
#include "xmem.h"

enum sensors_state {
	SS_IDLE,
	SS_SDR,
	SS_THRESH,
	SS_READING,
	SS_FACTORS,
	SS_THR_FACTORS
};

/*
 * The readings go several at a time: as many as the transport keeps in
 * flight (ipmi_tr_window(), 1 unless the session pipelines), each with
 * the item it reads.  Thresholds (once per repository change) go one by
 * one as before.
 *
 * A warm sweep (the sensor list built from the image the cache still
 * holds, no threshold left to ask, a window of 2 or more) does not wait
 * for the repository check: the first window - 1 readings leave right
 * behind it (the lead), so the check costs no round trip of its own.
 * What they answer before the check is held (the answer copied, the
 * item untouched); once the check says the repository is the same, the
 * held answers are taken as if they had just come and the window fills
 * up.  If it changed (or the check failed), the held answers are
 * dropped, those still out are dropped when they come, and once none
 * is out the sweep goes on as a cold one would (rebuild, thresholds,
 * every sensor read): no reading of the old list is ever used, and an
 * unchanged warm sweep still asks one check plus one reading a sensor.
 */
#define SENSORS_PIPE_MAX	IPMI_TR_WINDOW_MAX

struct sensors_rq {
	struct sensors		*s;
	size_t			 idx;		/* the item */
	enum sensors_state	 st;		/* SS_READING, SS_FACTORS */
	int			 used;
	int			 held;		/* answered before the check */
	int			 drop;		/* asked ahead of a check that
						 * did not confirm the list:
						 * ignore the answer */
	enum ipmi_err		 err;		/* held: the answer */
	struct ipmi_rsp		 rsp;
};

struct sensors {
	struct ev		*ev;
	struct conn		*conn;
	struct sdr_cache	*cache;
	const struct severity	*sev;
	struct ev_timer		*timer;
	enum sensors_state	 st;
	int			 running;
	sensors_done_fn		*done;
	void			*arg;
	enum sensors_err	 result;

	struct sensors_item	*items;
	size_t			 n;
	uint32_t		 gen;
	int			 have_gen;
	size_t			 cur;		/* item being worked on
						 * (thresholds) */
	size_t			 next;		/* next item to read */
	unsigned		 inflight;	/* readings asked, not back */
	int			 aborted;	/* the BMC is gone: ask no
						 * more this sweep */
	int			 lead;		/* readings went ahead of the
						 * repository check */
	int			 lead_wait;	/* the check is in, not
						 * confirming: wait for the
						 * dropped ones */
	enum sdr_cache_err	 lead_e;	/* that check's result */
	struct sensors_rq	 rq[SENSORS_PIPE_MAX];
	int			 thr_dirty;	/* thresholds read: save */
	int			 thr_idx;	/* SS_THR_FACTORS: threshold */

	struct sensors_stats	 stats;
	char			 detail[256];
};

static void	sensors_on_rsp(void *, enum ipmi_err, const struct ipmi_rsp *);
static void	sensors_thresh_next(struct sensors *);
static void	sensors_read_next(struct sensors *);
static void	sensors_on_read_rsp(void *, enum ipmi_err,
		    const struct ipmi_rsp *);

const char *
sensors_note_name(enum sensors_note n)
{
	switch (n) {
	case SENSORS_NOTE_NONE:
		return "";
	case SENSORS_NOTE_UNAVAILABLE:
		return "reading unavailable";
	case SENSORS_NOTE_SCAN_DISABLED:
		return "scanning disabled";
	case SENSORS_NOTE_NO_ANSWER:
		return "no answer";
	case SENSORS_NOTE_CCODE:
		return "error completion code";
	case SENSORS_NOTE_BAD_ANSWER:
		return "malformed answer";
	case SENSORS_NOTE_SLOW:
		return "not asked this sweep (failing)";
	case SENSORS_NOTE_NOT_READABLE:
		return "not readable";
	case SENSORS_NOTE_NOT_READ:
		return "not read";
	case SENSORS_NOTE_NO_BRIDGE:
		return "bridging not supported by the transport";
	case SENSORS_NOTE_NO_STATUS:
		return "no threshold status in the reading";
	case SENSORS_NOTE_ABSENT:
		return "absent";
	case SENSORS_NOTE_DISABLED:
		return "disabled";
	case SENSORS_NOTE_MALFORMED:
		return "malformed resource";
	}
	return "";
}

void
sensors_note_text(const struct sensors_item *it, char *out, size_t len)
{
	char why[IPMI_CCODE_TEXT_MAX];

	switch (it->note) {
	case SENSORS_NOTE_CCODE:
		(void)snprintf(out, len, "Get Sensor Reading: %s",
		    ipmi_ccode_fmt(why, sizeof(why), IPMI_NETFN_SENSOR_EVENT,
		    IPMI_CMD_GET_SENSOR_READING, it->ccode));
		break;
	case SENSORS_NOTE_BAD_ANSWER:
		(void)snprintf(out, len, "Get Sensor Reading: %s",
		    ipmi_short_fmt(why, sizeof(why), it->rsp_len,
		    SENSOR_READING_RSP_MIN));
		break;
	default:
		(void)snprintf(out, len, "%s", sensors_note_name(it->note));
		break;
	}
}

static void
sensors_setdetail(struct sensors *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sensors_setdetail(struct sensors *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
}

static void
sensors_finish(struct sensors *s, enum sensors_err e)
{
	s->st = SS_IDLE;
	s->running = 0;
	if (s->done != NULL)
		s->done(s->arg, e);
}

static int64_t
sensors_on_timer(void *arg)
{
	struct sensors *s = arg;

	sensors_finish(s, s->result);
	return EV_STOP;
}

static void
sensors_fail_later(struct sensors *s, enum sensors_err e)
{
	s->result = e;
	ev_timer_set(s->ev, s->timer, 0);
}

/* the request, addressed to the sensor's owner */
static void
sensors_address(const struct sensors_item *it, struct ipmi_req *q)
{
	q->lun = it->lun;
	/* owner ID [7:1] is an IPMB slave address unless [0] says software
	 * ID; only controllers other than the BMC need bridging */
	if (it->owner != IPMI_BMC_SLAVE_ADDR) {
		q->bridged = 1;
		q->target_chan = it->channel;
		q->target_addr = it->owner;
	}
}

static int
sensors_submit(struct sensors *s, struct ipmi_req *q, enum sensors_state st)
{
	s->st = st;
	if (conn_submit(s->conn, q, sensors_on_rsp, s) != 0) {
		sensors_setdetail(s, "request queue full");
		sensors_fail_later(s, SENSORS_E_TRANSPORT);
		return -1;
	}
	return 0;
}

/* ---- building the sensor list from the SDR image ---- */

/* thresholds to read and readings to convert: a threshold sensor with
 * an analog full record */
static int
sensors_analog_thr(const struct sensors_item *it)
{
	return it->threshold && it->analog;
}

/*
 * Raw thresholds (thr_readable, thr_raw) to values (thr_mask, thr).  A
 * non-linear sensor's factors depend on the raw value, so each of its
 * thresholds converts with the factors asked for its own raw value
 * (thr_f); one without them yet is not shown or compared.
 */
static void
sensors_thr_convert(struct sensors_item *it)
{
	const struct sdr_factors *f;
	int i, nl = sensor_is_nonlinear(it->rec);

	it->thr_mask = 0;
	for (i = 0; i < SDR_THR_N; i++) {
		if (!(it->thr_readable & (1u << i)))
			continue;
		f = NULL;
		if (nl) {
			if (!(it->thr_f_ok & (1u << i)))
				continue;
			f = &it->thr_f[i];
		}
		if (sensor_convert(it->rec, f, it->thr_raw[i], &it->thr[i]) == 0)
			it->thr_mask |= (uint8_t)(1u << i);
	}
}

/* new raw thresholds: factors asked for the old ones no longer apply */
static void
sensors_thr_set(struct sensors_item *it, uint8_t readable,
    const uint8_t raw[SDR_THR_N])
{
	it->thr_readable = (uint8_t)(readable & 0x3f);
	memcpy(it->thr_raw, raw, sizeof(it->thr_raw));
	it->thr_f_asked = 0;
	it->thr_f_ok = 0;
	sensors_thr_convert(it);
}

static void
sensors_thr_from_sdr(struct sensors_item *it)
{
	const struct sdr_rec *r = it->rec;

	it->thr_mask = 0;
	if (!sensors_analog_thr(it))
		return;
	it->hyst_pos = r->hyst_pos;
	it->hyst_neg = r->hyst_neg;
	sensors_thr_set(it, SDR_THR_READABLE(r), r->thr);
}

static void
sensors_rebuild(struct sensors *s)
{
	const struct sdr_image *im = sdr_cache_image(s->cache);
	size_t i, n = 0;
	unsigned k;

	free(s->items);
	s->items = NULL;
	s->n = 0;
	for (i = 0; i < im->n; i++) {
		const struct sdr_rec *r = &im->recs[i];

		if (r->type == SDR_TYPE_FULL || r->type == SDR_TYPE_COMPACT)
			n += r->share_count;
	}
	if (n > SENSORS_MAX)
		n = SENSORS_MAX;
	s->items = xcalloc(n ? n : 1, sizeof(*s->items));
	for (i = 0; i < im->n && s->n < n; i++) {
		const struct sdr_rec *r = &im->recs[i];

		if (r->type != SDR_TYPE_FULL && r->type != SDR_TYPE_COMPACT)
			continue;
		for (k = 0; k < r->share_count && s->n < n; k++) {
			struct sensors_item *it = &s->items[s->n];

			sdr_share_name(r, k, it->name, sizeof(it->name));
			it->number = sdr_share_number(r, k);
			if (severity_excluded(s->sev, it->name, it->number))
				continue;
			it->rec = r;
			it->unit_base = r->unit_base;
			it->unit_mod = r->unit_mod;
			it->unit_mod_use = r->mod_use;
			it->unit_rate = r->rate;
			it->unit_pct = r->percentage;
			it->record_id = r->id;
			it->owner = r->owner_id;
			it->lun = r->owner_lun;
			it->channel = r->channel;
			it->entity_id = r->entity_id;
			it->entity_instance = sdr_share_instance(r, k);
			it->sensor_type = r->sensor_type;
			it->event_type = r->event_type;
			/* threshold-based in any record (section 35.14:
			 * byte 4 is the comparison status whenever the
			 * event/reading type is 01h); a value only from
			 * an analog full record */
			it->threshold = r->event_type == SDR_EVT_THRESHOLD;
			it->analog = r->type == SDR_TYPE_FULL &&
			    r->format != SDR_FMT_NONE;
			it->decimals = sensor_decimals(r, NULL);
			it->sev = SENSOR_SEV_UNAVAILABLE;
			it->note = SENSORS_NOTE_NOT_READ;
			sensors_thr_from_sdr(it);
			s->n++;
		}
	}
}

/* ---- thresholds, once per SDR generation ---- */

/*
 * Thresholds read from the BMC are kept beside the SDR cache (tied to
 * the repository timestamps), so a new process with a valid cache needs
 * no Get Sensor Thresholds either.  Entry: record id (le16), number,
 * flags (1: values from the BMC; 0: it refused, the SDR's stand; 2: the
 * mask is the readable mask as the BMC gave it -- older files kept the
 * converted one, empty for non-linear sensors), readable mask, six raw
 * values.
 *
 * The factors of non-linear sensors' thresholds go in "thrf".  Entry:
 * record id (le16), number, threshold index, its raw value, flags (1:
 * factors valid; 0: the BMC refused them, not asked again), M (le16),
 * B (le16), K1, K2, tolerance, accuracy (le16), accuracy exponent,
 * direction.
 */
#define SENSORS_THR_ENTRY	11
#define SENSORS_THRF_ENTRY	17

static void
sensors_thrf_save(struct sensors *s)
{
	struct wbuf w;
	uint8_t *buf;
	size_t i, cap = s->n * SDR_THR_N * SENSORS_THRF_ENTRY + 1;
	int k;

	buf = xmalloc(cap);
	wb_init(&w, buf, cap);
	for (i = 0; i < s->n; i++) {
		const struct sensors_item *it = &s->items[i];

		if (!sensors_analog_thr(it) || !sensor_is_nonlinear(it->rec))
			continue;
		for (k = 0; k < SDR_THR_N; k++) {
			const struct sdr_factors *f = &it->thr_f[k];

			if (!(it->thr_f_asked & (1u << k)))
				continue;
			wr_le16(&w, it->record_id);
			wr_u8(&w, it->number);
			wr_u8(&w, (uint8_t)k);
			wr_u8(&w, it->thr_raw[k]);
			wr_u8(&w, (uint8_t)(it->thr_f_ok & (1u << k) ? 1 : 0));
			wr_le16(&w, (uint16_t)f->m);
			wr_le16(&w, (uint16_t)f->b);
			wr_u8(&w, (uint8_t)f->k1);
			wr_u8(&w, (uint8_t)f->k2);
			wr_u8(&w, f->tolerance);
			wr_le16(&w, f->accuracy);
			wr_u8(&w, f->accuracy_exp);
			wr_u8(&w, f->direction);
		}
	}
	if (!w.err)
		(void)sdr_cache_aux_save(s->cache, "thrf", buf, w.len);
	free(buf);
}

static void
sensors_thrf_load(struct sensors *s)
{
	struct rbuf r;
	struct sdr_factors f;
	uint8_t *buf, number, k, raw, flags;
	uint16_t id;
	size_t len, i;

	if ((buf = sdr_cache_aux_load(s->cache, "thrf", &len)) == NULL)
		return;
	rb_init(&r, buf, len);
	while (rd_left(&r) >= SENSORS_THRF_ENTRY) {
		id = rd_le16(&r);
		number = rd_u8(&r);
		k = rd_u8(&r);
		raw = rd_u8(&r);
		flags = rd_u8(&r);
		memset(&f, 0, sizeof(f));
		f.m = (int16_t)rd_le16(&r);
		f.b = (int16_t)rd_le16(&r);
		f.k1 = (int8_t)rd_u8(&r);
		f.k2 = (int8_t)rd_u8(&r);
		f.tolerance = rd_u8(&r);
		f.accuracy = rd_le16(&r);
		f.accuracy_exp = rd_u8(&r);
		f.direction = rd_u8(&r);
		if (k >= SDR_THR_N)
			continue;
		for (i = 0; i < s->n; i++) {
			struct sensors_item *it = &s->items[i];

			/* only for the raw value it was asked for */
			if (it->record_id != id || it->number != number ||
			    !sensors_analog_thr(it) ||
			    !sensor_is_nonlinear(it->rec) ||
			    !(it->thr_readable & (1u << k)) ||
			    it->thr_raw[k] != raw)
				continue;
			it->thr_f_asked |= (uint8_t)(1u << k);
			if (flags & 1) {
				it->thr_f[k] = f;
				it->thr_f_ok |= (uint8_t)(1u << k);
			}
			sensors_thr_convert(it);
		}
	}
	free(buf);
}

static void
sensors_thr_save(struct sensors *s)
{
	struct wbuf w;
	uint8_t *buf;
	size_t i, cap = s->n * SENSORS_THR_ENTRY + 1;

	buf = xmalloc(cap);
	wb_init(&w, buf, cap);
	for (i = 0; i < s->n; i++) {
		const struct sensors_item *it = &s->items[i];

		if (!it->thr_asked)
			continue;
		wr_le16(&w, it->record_id);
		wr_u8(&w, it->number);
		wr_u8(&w, (uint8_t)(it->thr_from_bmc ? 3 : 2));
		wr_u8(&w, it->thr_readable);
		wr_bytes(&w, it->thr_raw, SDR_THR_N);
	}
	if (!w.err)
		(void)sdr_cache_aux_save(s->cache, "thr", buf, w.len);
	free(buf);
	sensors_thrf_save(s);
}

static void
sensors_thr_load(struct sensors *s)
{
	struct rbuf r;
	uint8_t *buf, raw[SDR_THR_N], mask, number, flags;
	uint16_t id;
	size_t len, i;

	if ((buf = sdr_cache_aux_load(s->cache, "thr", &len)) == NULL)
		return;
	rb_init(&r, buf, len);
	while (rd_left(&r) >= SENSORS_THR_ENTRY) {
		id = rd_le16(&r);
		number = rd_u8(&r);
		flags = rd_u8(&r);
		mask = rd_u8(&r) & 0x3f;
		rd_bytes(&r, raw, SDR_THR_N);
		for (i = 0; i < s->n; i++) {
			struct sensors_item *it = &s->items[i];

			if (it->record_id != id || it->number != number ||
			    !sensors_analog_thr(it))
				continue;
			/* an older file kept no thresholds of non-linear
			 * sensors: ask again */
			if ((flags & 3) == 1 && sensor_is_nonlinear(it->rec))
				continue;
			it->thr_done = 1;
			it->thr_asked = 1;
			if (!(flags & 1))
				continue;	/* the SDR's values stand */
			sensors_thr_set(it, mask, raw);
			it->thr_from_bmc = 1;
		}
	}
	free(buf);
	sensors_thrf_load(s);
}

static int
sensors_wants_thresh(const struct sensors_item *it)
{
	int acc;

	if (!sensors_analog_thr(it) || it->thr_done || (it->owner & 1))
		return 0;
	acc = SDR_THR_ACCESS(it->rec);
	return acc == SDR_THRACC_READABLE || acc == SDR_THRACC_SETTABLE;
}

/*
 * A non-linear sensor's thresholds, once known: Get Sensor Reading
 * Factors with each readable threshold's raw value as the reading byte
 * (section 35.5), the first not asked yet.  0 when there is none.
 */
static int
sensors_thr_factors_next(struct sensors *s, struct sensors_item *it)
{
	struct ipmi_req q;
	uint8_t want;
	int k;

	if (!sensors_analog_thr(it) || !sensor_is_nonlinear(it->rec) ||
	    (it->owner & 1))
		return 0;
	want = (uint8_t)(it->thr_readable & ~it->thr_f_asked);
	for (k = 0; k < SDR_THR_N; k++) {
		if (!(want & (1u << k)))
			continue;
		it->thr_f_asked |= (uint8_t)(1u << k);
		s->thr_idx = k;
		s->thr_dirty = 1;
		sensor_factors_req(&q, it->number, it->thr_raw[k]);
		sensors_address(it, &q);
		s->stats.factors++;
		(void)sensors_submit(s, &q, SS_THR_FACTORS);
		return 1;
	}
	return 0;
}

static void
sensors_thresh_next(struct sensors *s)
{
	struct ipmi_req q;

	for (; s->cur < s->n; s->cur++) {
		struct sensors_item *it = &s->items[s->cur];

		if (!it->thr_done) {
			if (sensors_wants_thresh(it)) {
				sensor_thresholds_req(&q, it->number);
				sensors_address(it, &q);
				s->stats.thresholds++;
				(void)sensors_submit(s, &q, SS_THRESH);
				return;
			}
			it->thr_done = 1;
		}
		if (sensors_thr_factors_next(s, it))
			return;
	}
	s->cur = 0;
	if (s->thr_dirty) {
		sensors_thr_save(s);
		s->thr_dirty = 0;
	}
	s->next = 0;
	s->inflight = 0;
	s->aborted = 0;
	sensors_read_next(s);
}

/* Hysteresis comes from the SDR (bytes 43-44): Get Sensor Hysteresis
 * would cost a request per sensor for what only -v shows. */
static void
sensors_thresh_item_done(struct sensors *s, struct sensors_item *it)
{
	it->thr_done = 1;
	/* the same item again: its thresholds' factors, if non-linear */
	sensors_thresh_next(s);
}

static void
sensors_on_thresh(struct sensors *s, const struct ipmi_rsp *rsp)
{
	struct sensors_item *it = &s->items[s->cur];
	struct sensor_thresholds t;

	it->thr_asked = 1;
	if (rsp != NULL && rsp->ccode == IPMI_CC_OK &&
	    sensor_thresholds_decode(rsp->data, rsp->len, &t) == IPMI_OK) {
		sensors_thr_set(it, t.readable, t.raw);
		it->thr_from_bmc = 1;
	}
	/* else keep the SDR's thresholds */
	s->thr_dirty = 1;
	sensors_thresh_item_done(s, it);
}

/*
 * The factors for threshold thr_idx's raw value (NULL: the bridged
 * request failed).  They hold from that raw value up to the next one
 * the BMC gives, so they serve every other threshold in that range as
 * well.  A refusal is not asked again before the SDR changes; a
 * controller that does not answer is not asked for the rest.
 */
static void
sensors_on_thr_factors(struct sensors *s, const struct ipmi_rsp *rsp)
{
	struct sensors_item *it = &s->items[s->cur];
	struct sdr_factors f;
	uint8_t next, lo, hi;
	int k;

	if (rsp == NULL) {
		it->thr_f_asked = it->thr_readable;
	} else if (rsp->ccode == IPMI_CC_OK && sensor_factors_decode(rsp->data,
	    rsp->len, &next, &f) == IPMI_OK) {
		lo = it->thr_raw[s->thr_idx];
		hi = next > lo ? next : (uint8_t)(lo + 1);
		if (lo == 0xff)
			hi = 0xff;
		for (k = 0; k < SDR_THR_N; k++) {
			if (!(it->thr_readable & (1u << k)) ||
			    (it->thr_f_ok & (1u << k)))
				continue;
			if (k != s->thr_idx && (it->thr_f_asked & (1u << k)))
				continue;
			if (k != s->thr_idx && !(it->thr_raw[k] >= lo &&
			    it->thr_raw[k] < hi))
				continue;
			it->thr_f[k] = f;
			it->thr_f_asked |= (uint8_t)(1u << k);
			it->thr_f_ok |= (uint8_t)(1u << k);
		}
		sensors_thr_convert(it);
	}
	/* else refused: that threshold stays unconverted */
	s->thr_dirty = 1;
	sensors_thresh_next(s);
}

/* ---- readings ---- */

static void
sensors_discrete_sev(struct sensors *s, struct sensors_item *it)
{
	enum sensor_sev worst = SENSOR_SEV_OK, v;
	uint8_t o;

	for (o = 0; o < 15; o++) {
		if (!(it->states & (1u << o)))
			continue;
		v = severity_offset(s->sev, it->name, it->number,
		    it->sensor_type, it->event_type, o);
		if (v > worst)
			worst = v;
	}
	it->sev = worst;
}

/*
 * The BMC's comparison bits are authoritative: they carry hysteresis (an
 * upper state stays asserted until the reading is back below the
 * threshold by the negative-going hysteresis, a lower one until it is
 * above by the positive-going one).  A difference that hysteresis does
 * not explain is flagged: a BMC that stopped updating its status, or
 * thresholds changed behind our back.
 */
static int
sensors_cross_check(const struct sensors_item *it, uint8_t bits,
    const struct sdr_factors *f)
{
	uint8_t only_bmc = (uint8_t)(bits & ~it->cmp_bits & it->thr_mask);
	uint8_t only_ours = (uint8_t)(it->cmp_bits & ~bits);
	double h;
	int i;

	if (only_ours)
		return 1;
	for (i = 0; i < SDR_THR_N; i++) {
		if (!(only_bmc & (1u << i)))
			continue;
		/* a non-linear sensor's counts near the threshold are worth
		 * what that threshold's factors say */
		if (sensor_is_nonlinear(it->rec))
			f = &it->thr_f[i];
		if (i <= SDR_THR_LNR) {
			h = sensor_hyst_value(it->rec, f, it->hyst_pos);
			if (it->value > it->thr[i] + h + 1e-9)
				return 1;
		} else {
			h = sensor_hyst_value(it->rec, f, it->hyst_neg);
			if (it->value < it->thr[i] - h - 1e-9)
				return 1;
		}
	}
	return 0;
}

static void
sensors_no_reading(struct sensors_item *it, enum sensors_note note)
{
	it->note = note;
	it->have_value = 0;
	it->sev = SENSOR_SEV_UNAVAILABLE;
}

/* a reading is in: value, state, severity */
static void
sensors_evaluate(struct sensors *s, struct sensors_item *it,
    const struct sdr_factors *f)
{
	uint8_t bits;

	it->note = SENSORS_NOTE_NONE;
	it->have_value = 0;
	it->mismatch = 0;
	if (!it->threshold) {
		sensors_discrete_sev(s, it);
		return;
	}
	if (!it->analog) {
		/* no value, no thresholds: the comparison status alone */
		if (it->nstates == 0) {
			sensors_no_reading(it, SENSORS_NOTE_NO_STATUS);
			return;
		}
		it->sev = severity_threshold(s->sev, it->name, it->number,
		    it->sensor_type, (uint8_t)(it->states & 0x3f));
		return;
	}
	if (sensor_convert(it->rec, f, it->raw, &it->value) != 0) {
		it->note = SENSORS_NOTE_NOT_READABLE;
		it->sev = SENSOR_SEV_UNAVAILABLE;
		return;
	}
	it->have_value = 1;
	if (f != NULL)
		it->decimals = sensor_decimals(it->rec, f);
	it->cmp_bits = sensor_thr_compare(it->value, it->thr, it->thr_mask);
	bits = (uint8_t)(it->states & 0x3f);
	if (it->nstates == 0) {
		/* the BMC gave no comparison status: ours stands in */
		bits = it->cmp_bits;
	} else if (bits != it->cmp_bits)
		it->mismatch = sensors_cross_check(it, bits, f);
	it->sev = severity_threshold(s->sev, it->name, it->number,
	    it->sensor_type, bits);
}

static void
sensors_failed(struct sensors_item *it, enum sensors_note note)
{
	unsigned k;

	sensors_no_reading(it, note);
	it->fails++;
	if (it->fails >= SENSORS_FAIL_SLOW) {
		k = it->fails - SENSORS_FAIL_SLOW;
		it->skip = k >= 5 ? SENSORS_SLOW_MAX - 1 : (1u << (k + 1)) - 1;
		if (it->skip > SENSORS_SLOW_MAX - 1)
			it->skip = SENSORS_SLOW_MAX - 1;
	}
}

/* requests of the reading phase kept in flight at once */
static unsigned
sensors_depth(const struct sensors *s)
{
	unsigned w = ipmi_tr_window(conn_tr(s->conn));

	return w < 1 ? 1 : w > SENSORS_PIPE_MAX ? SENSORS_PIPE_MAX : w;
}

/* The BMC is gone (a direct request failed) or the queue is full: what
 * was not asked yet is not read this sweep; what is in flight comes
 * back (answer or error) before the sweep ends. */
static void
sensors_read_abort(struct sensors *s, enum ipmi_err err)
{
	if (!s->aborted) {
		sensors_setdetail(s, "%s", ipmi_tr_error(conn_tr(s->conn)));
		if (strcmp(s->detail, "no error") == 0)
			sensors_setdetail(s, "%s", ipmi_strerror(err));
	}
	s->aborted = 1;
	for (; s->next < s->n; s->next++)
		sensors_no_reading(&s->items[s->next], SENSORS_NOTE_NOT_READ);
}

/* Ask for item idx in a free request slot; -1 (nothing asked) when the
 * transport's queue is full. */
static int
sensors_rq_submit(struct sensors *s, size_t idx, struct ipmi_req *q,
    enum sensors_state st)
{
	struct sensors_rq *rq = NULL;
	unsigned i;

	for (i = 0; i < SENSORS_PIPE_MAX && rq == NULL; i++)
		if (!s->rq[i].used)
			rq = &s->rq[i];
	if (rq == NULL || conn_submit(s->conn, q, sensors_on_read_rsp, rq) !=
	    0) {
		sensors_no_reading(&s->items[idx], SENSORS_NOTE_NOT_READ);
		sensors_setdetail(s, "request queue full");
		s->aborted = 1;
		sensors_read_abort(s, IPMI_E_BUSY);
		return -1;
	}
	rq->s = s;
	rq->idx = idx;
	rq->st = st;
	rq->used = 1;
	s->inflight++;
	return 0;
}

/* Keep the pipe full; the sweep ends when nothing is left to ask and
 * everything asked came back. */
static void
sensors_read_next(struct sensors *s)
{
	struct ipmi_req q;
	unsigned depth = sensors_depth(s);

	if (s->lead)
		depth--;	/* the check holds a place in the window */
	while (!s->aborted && s->inflight < depth && s->next < s->n) {
		size_t idx = s->next++;
		struct sensors_item *it = &s->items[idx];

		if (it->owner & 1) {
			/* a software ID owns it: nothing to ask */
			sensors_no_reading(it, SENSORS_NOTE_NOT_READABLE);
			continue;
		}
		if (it->skip > 0) {
			it->skip--;
			sensors_no_reading(it, SENSORS_NOTE_SLOW);
			continue;
		}
		sensor_reading_req(&q, it->number);
		sensors_address(it, &q);
		s->stats.reading++;
		(void)sensors_rq_submit(s, idx, &q, SS_READING);
	}
	if (!s->lead && s->inflight == 0 && (s->aborted || s->next >= s->n))
		sensors_finish(s, s->aborted ? SENSORS_E_TRANSPORT :
		    SENSORS_OK);
}

static void
sensors_on_reading(struct sensors *s, size_t idx, const struct ipmi_rsp *rsp)
{
	struct sensors_item *it = &s->items[idx];
	struct sensor_reading r;
	struct ipmi_req q;

	if (rsp->ccode != IPMI_CC_OK ||
	    sensor_reading_decode(rsp->data, rsp->len, &r) != IPMI_OK) {
		/* a refusal is not "no answer", a short answer not a
		 * completion code: each is named for what it is */
		it->ccode = rsp->ccode;
		it->rsp_len = rsp->len;
		sensors_failed(it, rsp->ccode != IPMI_CC_OK ?
		    SENSORS_NOTE_CCODE : SENSORS_NOTE_BAD_ANSWER);
		return;
	}
	it->ccode = 0;
	it->fails = 0;
	it->raw = r.raw;
	it->states = r.states;
	it->nstates = r.nstates;
	it->events_disabled = !r.events_enabled;
	if (!r.scanning_enabled) {
		sensors_no_reading(it, SENSORS_NOTE_SCAN_DISABLED);
		return;
	}
	if (r.unavailable) {
		sensors_no_reading(it, SENSORS_NOTE_UNAVAILABLE);
		return;
	}
	if (sensors_analog_thr(it) && sensor_is_nonlinear(it->rec) &&
	    !(it->nl_valid &&
	    r.raw >= it->nl_lo && r.raw < it->nl_hi)) {
		sensor_factors_req(&q, it->number, r.raw);
		sensors_address(it, &q);
		s->stats.factors++;
		(void)sensors_rq_submit(s, idx, &q, SS_FACTORS);
		return;
	}
	sensors_evaluate(s, it, it->nl_valid && sensor_is_nonlinear(it->rec) ?
	    &it->nl_f : NULL);
}

static void
sensors_on_factors(struct sensors *s, size_t idx, const struct ipmi_rsp *rsp)
{
	struct sensors_item *it = &s->items[idx];
	uint8_t next;

	if (rsp->ccode != IPMI_CC_OK || sensor_factors_decode(rsp->data,
	    rsp->len, &next, &it->nl_f) != IPMI_OK) {
		it->nl_valid = 0;
		it->ccode = rsp->ccode;
		sensors_no_reading(it, SENSORS_NOTE_NOT_READABLE);
	} else {
		/* valid from this reading up to the next one given */
		it->nl_valid = 1;
		it->nl_lo = it->raw;
		it->nl_hi = next > it->raw ? next : (uint8_t)(it->raw + 1);
		if (it->raw == 0xff)
			it->nl_hi = 0xff;
		sensors_evaluate(s, it, &it->nl_f);
	}
}

static void
sensors_abort(struct sensors *s, enum ipmi_err err)
{
	size_t i;

	sensors_setdetail(s, "%s", ipmi_tr_error(conn_tr(s->conn)));
	if (strcmp(s->detail, "no error") == 0)
		sensors_setdetail(s, "%s", ipmi_strerror(err));
	/* a threshold's factors that got no answer are asked next sweep */
	if (s->st == SS_THR_FACTORS && s->cur < s->n)
		s->items[s->cur].thr_f_asked &= (uint8_t)~(1u << s->thr_idx);
	for (i = s->cur; i < s->n; i++)
		sensors_no_reading(&s->items[i], SENSORS_NOTE_NOT_READ);
	sensors_finish(s, SENSORS_E_TRANSPORT);
}

/* failures of a bridged request that concern only that controller:
 * it does not answer, the answer is garbled, or the transport cannot
 * bridge at all */
static int
sensors_bridge_err(enum ipmi_err err)
{
	switch (err) {
	case IPMI_E_TIMEOUT:
	case IPMI_E_UNSUPPORTED:
	case IPMI_E_LENGTH:
	case IPMI_E_CHECKSUM:
	case IPMI_E_PROTO:
		return 1;
	default:
		return 0;
	}
}

/* A reading (or its factors) is in: free its slot and use it (the
 * caller fills the window again). */
static void
sensors_take(struct sensors_rq *rq, enum ipmi_err err,
    const struct ipmi_rsp *rsp)
{
	struct sensors *s = rq->s;
	struct sensors_item *it = &s->items[rq->idx];

	rq->used = 0;
	rq->held = 0;
	s->inflight--;
	if (err != IPMI_OK) {
		/* a bridged request may fail alone; a direct one means the
		 * BMC is gone and the rest would only wait for timeouts */
		if (it->owner == IPMI_BMC_SLAVE_ADDR ||
		    !sensors_bridge_err(err)) {
			sensors_no_reading(it, SENSORS_NOTE_NOT_READ);
			sensors_read_abort(s, err);
		} else {
			sensors_failed(it, SENSORS_NOTE_NO_ANSWER);
			if (err == IPMI_E_UNSUPPORTED)
				it->note = SENSORS_NOTE_NO_BRIDGE;
		}
	} else if (rq->st == SS_READING)
		sensors_on_reading(s, rq->idx, rsp);
	else
		sensors_on_factors(s, rq->idx, rsp);
}

static void	sensors_sdr_ready(struct sensors *, enum sdr_cache_err);

/* A reading (or its factors) came back, in any order. */
static void
sensors_on_read_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct sensors_rq *rq = arg;
	struct sensors *s = rq->s;

	if (rq->drop) {
		/* asked ahead of a check that did not confirm the list */
		rq->drop = 0;
		rq->used = 0;
		s->inflight--;
		if (s->inflight == 0 && s->lead_wait) {
			s->lead_wait = 0;
			sensors_sdr_ready(s, s->lead_e);
		}
		return;
	}
	if (s->lead) {
		/* before the check: keep the answer, touch nothing */
		rq->held = 1;
		rq->err = err;
		if (err == IPMI_OK)
			rq->rsp = *rsp;
		return;
	}
	sensors_take(rq, err, rsp);
	sensors_read_next(s);
}

static void
sensors_on_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct sensors *s = arg;
	struct sensors_item *it = s->cur < s->n ? &s->items[s->cur] : NULL;

	if (err != IPMI_OK) {
		/* a bridged request may fail alone; a direct one means the
		 * BMC is gone and the rest would only wait for timeouts */
		if (it == NULL || it->owner == IPMI_BMC_SLAVE_ADDR ||
		    !sensors_bridge_err(err)) {
			sensors_abort(s, err);
			return;
		}
		if (s->st == SS_THR_FACTORS)
			sensors_on_thr_factors(s, NULL);
		else
			sensors_on_thresh(s, NULL);
		return;
	}
	switch (s->st) {
	case SS_THRESH:
		sensors_on_thresh(s, rsp);
		break;
	case SS_THR_FACTORS:
		sensors_on_thr_factors(s, rsp);
		break;
	default:
		break;
	}
}

/* the repository is checked (and re-read if it changed): go on with
 * the list it gives */
static void
sensors_sdr_ready(struct sensors *s, enum sdr_cache_err e)
{
	uint32_t gen;

	if (e != SDR_CACHE_OK) {
		sensors_setdetail(s, "SDR: %s", sdr_cache_detail(s->cache));
		sensors_finish(s, e == SDR_CACHE_E_TRANSPORT ?
		    SENSORS_E_TRANSPORT : SENSORS_E_SDR);
		return;
	}
	gen = sdr_cache_generation(s->cache);
	if (!s->have_gen || gen != s->gen) {
		sensors_rebuild(s);
		sensors_thr_load(s);
		s->gen = gen;
		s->have_gen = 1;
	}
	s->cur = 0;
	sensors_thresh_next(s);
}

/*
 * The sweep may lead with readings when the list it would read is the
 * one it has (built from the image the cache holds now) and no
 * threshold is left to ask, so that an unchanged repository sends it
 * straight to the readings.
 */
static int
sensors_can_lead(const struct sensors *s)
{
	size_t i;

	if (!s->have_gen || s->n == 0 || sensors_depth(s) < 2 ||
	    s->gen != sdr_cache_generation(s->cache))
		return 0;
	for (i = 0; i < s->n; i++) {
		const struct sensors_item *it = &s->items[i];

		if (!it->thr_done && sensors_wants_thresh(it))
			return 0;
		if (sensors_analog_thr(it) && sensor_is_nonlinear(it->rec) &&
		    !(it->owner & 1) &&
		    (it->thr_readable & ~it->thr_f_asked) != 0)
			return 0;
	}
	return 1;
}

static void
sensors_on_sdr(void *arg, enum sdr_cache_err e)
{
	struct sensors *s = arg;
	unsigned i;

	if (!s->lead) {
		sensors_sdr_ready(s, e);
		return;
	}
	s->lead = 0;
	if (e == SDR_CACHE_OK && sdr_cache_generation(s->cache) == s->gen) {
		/* the same list: what came meanwhile counts, the window
		 * fills up */
		for (i = 0; i < SENSORS_PIPE_MAX; i++)
			if (s->rq[i].used && s->rq[i].held)
				sensors_take(&s->rq[i], s->rq[i].err,
				    &s->rq[i].rsp);
		sensors_read_next(s);
		return;
	}
	/* changed or failed: nothing read ahead is used */
	for (i = 0; i < SENSORS_PIPE_MAX; i++) {
		struct sensors_rq *rq = &s->rq[i];

		if (!rq->used)
			continue;
		if (rq->held) {
			rq->held = 0;
			rq->used = 0;
			s->inflight--;
		} else
			rq->drop = 1;
	}
	if (s->inflight > 0) {
		s->lead_wait = 1;
		s->lead_e = e;
		return;
	}
	sensors_sdr_ready(s, e);
}

/* ---- public ---- */

struct sensors *
sensors_new(struct ev *ev, struct conn *conn, struct sdr_cache *cache,
    const struct severity *sev)
{
	struct sensors *s = xcalloc(1, sizeof(*s));

	s->ev = ev;
	s->conn = conn;
	s->cache = cache;
	s->sev = sev;
	s->timer = ev_timer_add(ev, -1, sensors_on_timer, s);
	(void)snprintf(s->detail, sizeof(s->detail), "no error");
	return s;
}

void
sensors_free(struct sensors *s)
{
	if (s == NULL)
		return;
	ev_timer_del(s->ev, s->timer);
	free(s->items);
	free(s);
}

void
sensors_set_severity(struct sensors *s, const struct severity *sev)
{
	s->sev = sev;
}

int
sensors_busy(const struct sensors *s)
{
	return s->running;
}

int
sensors_sweep(struct sensors *s, sensors_done_fn *done, void *arg)
{
	if (s->running)
		return -1;
	s->running = 1;
	s->done = done;
	s->arg = arg;
	s->stats.sweeps++;
	s->st = SS_SDR;
	if (sdr_cache_refresh(s->cache, sensors_on_sdr, s) != 0) {
		sensors_setdetail(s, "SDR refresh already running");
		sensors_fail_later(s, SENSORS_E_BUSY);
		return 0;
	}
	if (sensors_can_lead(s)) {
		/* behind the check, the first readings (see above) */
		s->lead = 1;
		s->next = 0;
		s->aborted = 0;
		sensors_read_next(s);
	}
	return 0;
}

size_t
sensors_count(const struct sensors *s)
{
	return s->n;
}

const struct sensors_item *
sensors_get(const struct sensors *s, size_t i)
{
	return i < s->n ? &s->items[i] : NULL;
}

const struct sensors_stats *
sensors_stats(const struct sensors *s)
{
	return &s->stats;
}

const char *
sensors_detail(const struct sensors *s)
{
	return s->detail;
}

size_t
sensors_events(const struct sensors_item *it, const char **words,
    char (*tmp)[16], size_t max)
{
	/* threshold comparison bit -> offset word (the "going" one) */
	static const uint8_t thr_off[SDR_THR_N] = { 0, 2, 4, 7, 9, 11 };
	size_t n = 0;
	unsigned o;

	if (it->note != SENSORS_NOTE_NONE)
		return 0;
	if (it->threshold) {
		uint8_t bits = it->nstates ? (uint8_t)(it->states & 0x3f) :
		    it->cmp_bits;

		for (o = 0; o < SDR_THR_N && n < max; o++)
			if (bits & (1u << o))
				words[n++] = evtext_offset(SDR_EVT_THRESHOLD, 0,
				    thr_off[o]);
		return n;
	}
	for (o = 0; o < 15 && n < max; o++) {
		const char *w;

		if (!(it->states & (1u << o)))
			continue;
		w = evtext_offset(it->event_type, it->sensor_type, (uint8_t)o);
		if (w == NULL) {
			(void)snprintf(tmp[n], sizeof(tmp[n]), "State %u", o);
			w = tmp[n];
		}
		words[n++] = w;
	}
	return n;
}

void
sensors_unit(const struct sensors_item *it, char *out, size_t len)
{
	const char *base, *mod, *rate, *pct;

	if (len == 0)
		return;
	out[0] = '\0';
	if (!sensors_analog_thr(it))
		return;
	base = evtext_unit(it->unit_base);
	mod = evtext_unit(it->unit_mod);
	rate = evtext_rate(it->unit_rate);
	pct = it->unit_pct ? "% " : "";
	if (base == NULL)
		base = "unknown";
	if (it->unit_mod_use == 1 && mod != NULL)
		(void)snprintf(out, len, "%s%s/%s", pct, base, mod);
	else if (it->unit_mod_use == 2 && mod != NULL)
		(void)snprintf(out, len, "%s%s*%s", pct, base, mod);
	else
		(void)snprintf(out, len, "%s%s", pct, base);
	if (rate != NULL && rate[0] != '\0') {
		size_t l = strlen(out);

		(void)snprintf(out + l, len - l, " %s", rate);
	}
}

/*
 * The plugins' SNMP source (-H HOST): BMCWATCH-MIB read with the client
 * in agent/snmp/snmpget.c and turned into the socket's shapes (psrc.h),
 * so every check reads the same tree in both modes.  Names and words
 * come from the same tables the daemon uses (sensor_sev_name,
 * sensors_note_name, wdt_use_name ...).  What the MIB does not carry:
 *	- times are whole seconds (BmcwUnixTime): ages are whole seconds;
 *	- a target is "up" when bmcwTargetReachable is true, else
 *	  "unreachable" once it was reached or lost, else "starting";
 *	- a sensor's note is the words of its BmcwReadingNote (the socket
 *	  may add a completion code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_wdt.h"
#include "evtext.h"
#include "sensor.h"
#include "sensors.h"
#include "snmp/oids.h"
#include "snmp/snmpget.h"
#include "psrc.h"
#include "xmem.h"

#define PS_COLS		40
#define PS_IDX		8
#define PS_STR_MAX	4096

struct ps_cell {
	int		 have;
	enum snmpget_type type;
	int64_t		 i;
	uint64_t	 u;
	char		*s;
	size_t		 len;
};

struct ps_row {
	uint32_t	 idx[PS_IDX];
	size_t		 idxlen;
	struct ps_cell	 c[PS_COLS];
};

struct ps_tab {
	struct ps_row	*rows;
	size_t		 n, cap;
	size_t		 pos[PS_COLS];	/* lockstep guess per column */
};

struct ps {
	struct snmpget	*g;
	struct psrc_cred cred;
	int		 have_target;
	uint32_t	 tidx;
	char		 tname[128];
	int		 reachable;
	char		 tstate[32];
	char		 terr[256];
	uint64_t	 sweep_s;
	uint64_t	 tlast;		/* bmcwTargetLastSuccess */
};

static const uint32_t ps_target_entry[] = { BMCW_TARGET_ENTRY_OID };
static const uint32_t ps_sensor_entry[] = { BMCW_SENSOR_ENTRY_OID };
static const uint32_t ps_selinfo_entry[] = { BMCW_SEL_INFO_ENTRY_OID };
static const uint32_t ps_problem_entry[] = { BMCW_SEL_PROBLEM_ENTRY_OID };
static const uint32_t ps_chassis_entry[] = { BMCW_CHASSIS_ENTRY_OID };
static const uint32_t ps_wdt_entry[] = { BMCW_WATCHDOG_ENTRY_OID };
static const uint32_t ps_console_entry[] = { BMCW_CONSOLE_ENTRY_OID };
#define PS_N(a)	(sizeof(a) / sizeof((a)[0]))

static int
ps_cell(void *arg, unsigned col, const uint32_t *idx, size_t idxlen,
    const struct snmpget_val *v)
{
	struct ps_tab *t = arg;
	struct ps_row *r = NULL;
	struct ps_cell *c;
	size_t i;

	if (col >= PS_COLS || idxlen == 0 || idxlen > PS_IDX)
		return -1;
	i = t->pos[col];
	if (i < t->n && t->rows[i].idxlen == idxlen &&
	    memcmp(t->rows[i].idx, idx, idxlen * sizeof(*idx)) == 0)
		r = &t->rows[i];
	for (i = 0; r == NULL && i < t->n; i++)
		if (t->rows[i].idxlen == idxlen &&
		    memcmp(t->rows[i].idx, idx, idxlen * sizeof(*idx)) == 0)
			r = &t->rows[i];
	if (r == NULL) {
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 32;
			t->rows = xreallocarray(t->rows, t->cap,
			    sizeof(*t->rows));
		}
		r = &t->rows[t->n++];
		memset(r, 0, sizeof(*r));
		memcpy(r->idx, idx, idxlen * sizeof(*idx));
		r->idxlen = idxlen;
	}
	t->pos[col] = (size_t)(r - t->rows) + 1;
	c = &r->c[col];
	if (c->have || v->len > PS_STR_MAX)
		return -1;
	c->have = 1;
	c->type = v->type;
	c->i = v->i;
	c->u = v->u;
	if (v->type == SNMPGET_STR) {
		c->s = xmalloc(v->len + 1);
		memcpy(c->s, v->s, v->len);
		c->s[v->len] = '\0';
		c->len = v->len;
	}
	return 0;
}

static void
ps_tab_free(struct ps_tab *t)
{
	size_t i, k;

	for (i = 0; i < t->n; i++)
		for (k = 0; k < PS_COLS; k++)
			free(t->rows[i].c[k].s);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* typed cells: def when absent or of another type */
static int64_t
ps_int(const struct ps_row *r, unsigned col, int64_t def)
{
	const struct ps_cell *c = &r->c[col];

	if (!c->have)
		return def;
	if (c->type == SNMPGET_INT)
		return c->i;
	if (c->type == SNMPGET_UNSIGNED)
		return (int64_t)c->u;
	return def;
}

static const char *
ps_str(const struct ps_row *r, unsigned col)
{
	const struct ps_cell *c = &r->c[col];

	return c->have && c->type == SNMPGET_STR ? c->s : "";
}

/* bit n of a BITS column (first octet's top bit is 0) */
static int
ps_bit(const struct ps_row *r, unsigned col, unsigned n)
{
	const struct ps_cell *c = &r->c[col];

	if (!c->have || c->type != SNMPGET_STR || n / 8 >= c->len)
		return 0;
	return ((unsigned char)c->s[n / 8] & (0x80u >> (n % 8))) != 0;
}

static int
ps_walk(struct psrc *s, struct ps_tab *t, const uint32_t *entry,
    size_t elen, const unsigned *cols, size_t ncols, int prefixed,
    char *err, size_t errlen)
{
	struct ps *p = s->priv;

	memset(t, 0, sizeof(*t));
	if (snmpget_walk(p->g, entry, elen, cols, ncols, prefixed ?
	    &p->tidx : NULL, prefixed ? 1 : 0, ps_cell, t, err,
	    errlen) != 0) {
		ps_tab_free(t);
		return -1;
	}
	return 0;
}

/* the row of our target in a table indexed by the target alone (walked
 * whole: the prefix would be the full index) */
static const struct ps_row *
ps_row_of(const struct psrc *s, const struct ps_tab *t)
{
	const struct ps *p = s->priv;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->rows[i].idxlen == 1 && t->rows[i].idx[0] == p->tidx)
			return &t->rows[i];
	return NULL;
}

static void
ps_iso(uint64_t secs, char *out, size_t len)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, len, "%llu", (unsigned long long)secs);
}

/* the socket's verb of an item, for the same messages */
static const char *
ps_verb(enum psrc_item it)
{
	static const char *const v[] = {
		[PSRC_SENSORS] = "sensors",
		[PSRC_SEL_INFO] = "sel info",
		[PSRC_SEL_OPEN] = "sel list",
		[PSRC_CHASSIS] = "chassis status",
		[PSRC_WATCHDOG] = "watchdog get",
		[PSRC_TARGETS] = "targets"
	};

	return (unsigned)it < PS_N(v) ? v[it] : "?";
}

static enum psrc_err
ps_session(struct psrc *s, char *err, size_t errlen)
{
	struct ps *p = s->priv;
	struct snmpget_cfg c;
	unsigned ms;

	if (p->g != NULL)
		return PSRC_OK;
	memset(&c, 0, sizeof(c));
	c.host = s->o.host;
	c.port = s->o.port;
	c.version = p->cred.version;
	c.community = p->cred.community;
	c.user = p->cred.user;
	c.auth = p->cred.auth;
	c.authpass = p->cred.authpass;
	c.priv = p->cred.priv;
	c.privpass = p->cred.privpass;
	/* two tries of a quarter of -t each (0.2 .. 2 s): a dead host or a
	 * wrong community is UNKNOWN well inside -t */
	ms = s->o.timeout_s * 250;
	c.timeout_ms = ms < 200 ? 200 : ms > 2000 ? 2000 : ms;
	c.retries = 1;
	p->g = snmpget_open(&c, err, errlen);
	return p->g != NULL ? PSRC_OK : PSRC_ENODAEMON;
}

/* an empty bmcwTargetTable: no daemon behind the agent */
static enum psrc_err
ps_no_target(const struct psrc *s, char *err, size_t errlen)
{
	(void)snprintf(err, errlen, "%s: no bmcwatch target in BMCWATCH-MIB "
	    "(is bmcwatch-snmp connected?)", s->o.host);
	return PSRC_EUNAVAIL;
}

/* the target: --target by name, or the only one */
static const unsigned ps_target_cols[] = { BMCW_TARGET_NAME,
    BMCW_TARGET_REACHABLE, BMCW_TARGET_LAST_SUCCESS,
    BMCW_TARGET_LAST_REACH_CHANGE, BMCW_TARGET_UNREACHABLE_EVENTS,
    BMCW_TARGET_LAST_ERROR, BMCW_TARGET_SWEEP_INTERVAL };

/* a target's state in the socket's words, from what the MIB has */
static const char *
ps_tstate(const struct ps_row *r)
{
	if (ps_int(r, BMCW_TARGET_REACHABLE, 2) == 1)
		return "up";
	if (ps_int(r, BMCW_TARGET_LAST_REACH_CHANGE, 0) != 0 ||
	    ps_int(r, BMCW_TARGET_UNREACHABLE_EVENTS, 0) != 0)
		return "unreachable";
	return "starting";
}

static enum psrc_err
ps_target(struct psrc *s, enum psrc_item it, char *err, size_t errlen)
{
	struct ps *p = s->priv;
	struct ps_tab t;
	const struct ps_row *r = NULL;
	char names[512] = "";
	size_t i, off;

	if (p->have_target)
		return PSRC_OK;
	if (ps_walk(s, &t, ps_target_entry, PS_N(ps_target_entry),
	    ps_target_cols, PS_N(ps_target_cols), 0, err, errlen) != 0)
		return PSRC_ENODAEMON;
	if (t.n == 0) {
		ps_tab_free(&t);
		return ps_no_target(s, err, errlen);
	}
	for (i = 0; i < t.n; i++) {
		off = strlen(names);
		(void)snprintf(names + off, sizeof(names) - off, "%s%s",
		    i ? ", " : "", ps_str(&t.rows[i], BMCW_TARGET_NAME));
		if (s->o.target != NULL && strcmp(s->o.target,
		    ps_str(&t.rows[i], BMCW_TARGET_NAME)) == 0)
			r = &t.rows[i];
	}
	if (s->o.target == NULL && t.n == 1)
		r = &t.rows[0];
	if (r == NULL) {
		if (s->o.target != NULL)
			(void)snprintf(err, errlen, "no target '%s' (%s)",
			    s->o.target, names);
		else
			(void)snprintf(err, errlen, "%s: several targets: "
			    "name one with --target (%s)", ps_verb(it), names);
		ps_tab_free(&t);
		return PSRC_EUSAGE;
	}
	p->tidx = r->idx[0];
	(void)snprintf(p->tname, sizeof(p->tname), "%s",
	    ps_str(r, BMCW_TARGET_NAME));
	p->reachable = ps_int(r, BMCW_TARGET_REACHABLE, 2) == 1;
	(void)snprintf(p->tstate, sizeof(p->tstate), "%s", ps_tstate(r));
	(void)snprintf(p->terr, sizeof(p->terr), "%s",
	    ps_str(r, BMCW_TARGET_LAST_ERROR));
	p->sweep_s = (uint64_t)ps_int(r, BMCW_TARGET_SWEEP_INTERVAL, 1);
	p->tlast = (uint64_t)ps_int(r, BMCW_TARGET_LAST_SUCCESS, 0);
	p->have_target = 1;
	ps_tab_free(&t);
	return PSRC_OK;
}

static enum psrc_err
ps_not_read(struct psrc *s, const char *what, char *err, size_t errlen)
{
	struct ps *p = s->priv;

	(void)snprintf(err, errlen, "%s: %s not read yet (%s%s%s)", p->tname,
	    what, p->tstate, p->terr[0] ? ": " : "", p->terr);
	return PSRC_EUNAVAIL;
}

/* the members every item ends with: target, age_s, stale: the BMC
 * unreachable, or no success with it for twice the sensor interval (the
 * MIB has no chassis or SEL interval), or for sensors no sweep for
 * twice it */
static void
ps_tail(struct psrc *s, struct pjson *doc, uint64_t stamp, uint64_t every)
{
	struct ps *p = s->priv;
	uint64_t now = (uint64_t)time(NULL);
	double age = stamp != 0 && now >= stamp ? (double)(now - stamp) : 0;
	int stale = stamp == 0 || !p->reachable;

	if (every > 0 && stamp != 0 && age > 2.0 * (double)every)
		stale = 1;
	if (p->tlast != 0 && now > p->tlast &&
	    (double)(now - p->tlast) > 2.0 * (double)p->sweep_s)
		stale = 1;
	pjson_add(doc, "target", pjson_new_str(p->tname));
	pjson_add(doc, "age_s", pjson_new_num(age));
	pjson_add(doc, "stale", pjson_new_bool(stale));
}

static struct pjson *
ps_str_or_null(const char *v)
{
	return v != NULL && v[0] != '\0' ? pjson_new_str(v) :
	    pjson_new(PJSON_NULL);
}

static double
ps_scaled(int64_t v, int64_t prec)
{
	double x = (double)v;

	for (; prec > 0; prec--)
		x /= 10;
	for (; prec < 0; prec++)
		x *= 10;
	return x;
}

static int
ps_by_record(const void *a, const void *b)
{
	const struct ps_row *x = a, *y = b;
	int64_t rx = ps_int(x, BMCW_SENSOR_RECORD_ID, 0);
	int64_t ry = ps_int(y, BMCW_SENSOR_RECORD_ID, 0);
	size_t i;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	for (i = 0; i < x->idxlen && i < y->idxlen; i++)
		if (x->idx[i] != y->idx[i])
			return x->idx[i] < y->idx[i] ? -1 : 1;
	return 0;
}

static enum psrc_err
ps_sensors(struct psrc *s, struct pjson **doc, char *err, size_t errlen)
{
	static const unsigned cols[] = { BMCW_SENSOR_NAME,
	    BMCW_SENSOR_TYPE_TEXT, BMCW_SENSOR_PRECISION,
	    BMCW_SENSOR_VALUE_TEXT, BMCW_SENSOR_UNITS, BMCW_SENSOR_STATE,
	    BMCW_SENSOR_NOTE, BMCW_SENSOR_THR_VALID, BMCW_SENSOR_THR_LNR,
	    BMCW_SENSOR_THR_LC, BMCW_SENSOR_THR_LNC, BMCW_SENSOR_THR_UNC,
	    BMCW_SENSOR_THR_UC, BMCW_SENSOR_THR_UNR,
	    BMCW_SENSOR_STATES_TEXT, BMCW_SENSOR_LAST_READ,
	    BMCW_SENSOR_RECORD_ID };
	/* BmcwThresholdSet bit -> the socket's key and our column */
	static const struct {
		const char *key;
		unsigned col;
	} thr[] = {
		{ "lnc", BMCW_SENSOR_THR_LNC }, { "lc", BMCW_SENSOR_THR_LC },
		{ "lnr", BMCW_SENSOR_THR_LNR }, { "unc", BMCW_SENSOR_THR_UNC },
		{ "uc", BMCW_SENSOR_THR_UC }, { "unr", BMCW_SENSOR_THR_UNR },
	};
	/* BmcwReadingNote -> sensors_note */
	static const enum sensors_note note[] = {
		[BMCW_READING_NOTE_READING_UNAVAILABLE] =
		    SENSORS_NOTE_UNAVAILABLE,
		[BMCW_READING_NOTE_SCANNING_DISABLED] =
		    SENSORS_NOTE_SCAN_DISABLED,
		[BMCW_READING_NOTE_NO_ANSWER] = SENSORS_NOTE_NO_ANSWER,
		[BMCW_READING_NOTE_SKIPPED_FAILING] = SENSORS_NOTE_SLOW,
		[BMCW_READING_NOTE_NOT_READABLE] = SENSORS_NOTE_NOT_READABLE,
		[BMCW_READING_NOTE_NOT_READ] = SENSORS_NOTE_NOT_READ,
		[BMCW_READING_NOTE_NO_BRIDGE] = SENSORS_NOTE_NO_BRIDGE,
	};
	struct ps_tab t;
	struct pjson *list, *o, *ev, *th;
	uint64_t last = 0;
	size_t i, k;

	if (ps_walk(s, &t, ps_sensor_entry, PS_N(ps_sensor_entry), cols,
	    PS_N(cols), 1, err, errlen) != 0)
		return PSRC_ENODAEMON;
	if (t.n == 0) {
		ps_tab_free(&t);
		return ps_not_read(s, "sensors", err, errlen);
	}
	/* the daemon's order: the SDR's (record IDs), not the index's */
	qsort(t.rows, t.n, sizeof(*t.rows), ps_by_record);
	*doc = pjson_new(PJSON_OBJ);
	list = pjson_add(*doc, "sensors", pjson_new(PJSON_ARR));
	for (i = 0; i < t.n; i++) {
		const struct ps_row *r = &t.rows[i];
		const char *val = ps_str(r, BMCW_SENSOR_VALUE_TEXT);
		const char *states = ps_str(r, BMCW_SENSOR_STATES_TEXT);
		int64_t st = ps_int(r, BMCW_SENSOR_STATE, 5);
		int64_t nt = ps_int(r, BMCW_SENSOR_NOTE, 1);
		int64_t prec = ps_int(r, BMCW_SENSOR_PRECISION, 0);
		uint64_t rd = (uint64_t)ps_int(r, BMCW_SENSOR_LAST_READ, 0);
		char *end;
		double v;

		if (rd > last)
			last = rd;
		o = pjson_add(list, NULL, pjson_new(PJSON_OBJ));
		pjson_add(o, "name", pjson_new_str(ps_str(r,
		    BMCW_SENSOR_NAME)));
		pjson_add(o, "type", pjson_new_str(ps_str(r,
		    BMCW_SENSOR_TYPE_TEXT)));
		v = strtod(val, &end);
		pjson_add(o, "reading", val[0] != '\0' && *end == '\0' ?
		    pjson_new_num(v) : pjson_new(PJSON_NULL));
		pjson_add(o, "unit", ps_str_or_null(ps_str(r,
		    BMCW_SENSOR_UNITS)));
		pjson_add(o, "state", pjson_new_str(sensor_sev_name(
		    st >= 1 && st <= 5 ? (enum sensor_sev)(st - 1) :
		    SENSOR_SEV_UNAVAILABLE)));
		ev = pjson_add(o, "events", pjson_new(PJSON_ARR));
		while (states[0] != '\0') {
			const char *sep = strstr(states, ", ");
			size_t n = sep != NULL ? (size_t)(sep - states) :
			    strlen(states);
			char w[128];

			(void)snprintf(w, sizeof(w), "%.*s", (int)n, states);
			pjson_add(ev, NULL, pjson_new_str(w));
			states += n + (sep != NULL ? 2 : 0);
		}
		th = pjson_add(o, "thresholds", pjson_new(PJSON_OBJ));
		for (k = 0; k < PS_N(thr); k++)
			if (ps_bit(r, BMCW_SENSOR_THR_VALID, (unsigned)k))
				pjson_add(th, thr[k].key, pjson_new_num(
				    ps_scaled(ps_int(r, thr[k].col, 0),
				    prec)));
		pjson_add(o, "note", nt > 1 && (size_t)nt < PS_N(note) ?
		    pjson_new_str(sensors_note_name(note[nt])) :
		    pjson_new(PJSON_NULL));
	}
	ps_tab_free(&t);
	ps_tail(s, *doc, last, ((struct ps *)s->priv)->sweep_s);
	return PSRC_OK;
}

static enum psrc_err
ps_sel_info(struct psrc *s, struct pjson **doc, char *err, size_t errlen)
{
	static const unsigned cols[] = { BMCW_SEL_ENTRIES,
	    BMCW_SEL_FREE_BYTES, BMCW_SEL_USED_PERCENT, BMCW_SEL_OVERFLOW,
	    BMCW_SEL_LAST_ADD_TIME, BMCW_SEL_LAST_READ };
	struct ps_tab t;
	const struct ps_row *r;
	char tm[40];
	int64_t pct, add;

	if (ps_walk(s, &t, ps_selinfo_entry, PS_N(ps_selinfo_entry), cols,
	    PS_N(cols), 0, err, errlen) != 0)
		return PSRC_ENODAEMON;
	if ((r = ps_row_of(s, &t)) == NULL ||
	    ps_int(r, BMCW_SEL_LAST_READ, 0) == 0) {
		ps_tab_free(&t);
		return ps_not_read(s, "SEL", err, errlen);
	}
	*doc = pjson_new(PJSON_OBJ);
	pjson_add(*doc, "entries", pjson_new_num((double)ps_int(r,
	    BMCW_SEL_ENTRIES, 0)));
	pjson_add(*doc, "free_bytes", pjson_new_num((double)ps_int(r,
	    BMCW_SEL_FREE_BYTES, 0)));
	pct = ps_int(r, BMCW_SEL_USED_PERCENT, -1);
	pjson_add(*doc, "percent_used", pct >= 0 ?
	    pjson_new_num((double)pct) : pjson_new(PJSON_NULL));
	add = ps_int(r, BMCW_SEL_LAST_ADD_TIME, 0);
	ps_iso((uint64_t)add, tm, sizeof(tm));
	pjson_add(*doc, "last_add", add > 0 ? pjson_new_str(tm) :
	    pjson_new(PJSON_NULL));
	pjson_add(*doc, "overflow", pjson_new_bool(ps_int(r,
	    BMCW_SEL_OVERFLOW, 2) == 1));
	ps_tail(s, *doc, (uint64_t)ps_int(r, BMCW_SEL_LAST_READ, 0), 0);
	ps_tab_free(&t);
	return PSRC_OK;
}

static enum psrc_err
ps_sel_open(struct psrc *s, struct pjson **doc, char *err, size_t errlen)
{
	static const unsigned cols[] = { BMCW_SEL_PROBLEM_TIMESTAMP,
	    BMCW_SEL_PROBLEM_SENSOR_NAME, BMCW_SEL_PROBLEM_SEVERITY,
	    BMCW_SEL_PROBLEM_TEXT, BMCW_SEL_PROBLEM_ACKED,
	    BMCW_SEL_PROBLEM_RAW };
	static const char *const sev[] = { "info", "info", "warning",
	    "critical" };
	struct ps_tab t;
	struct pjson *list, *o;
	size_t i;
	char tm[40];

	if (ps_walk(s, &t, ps_problem_entry, PS_N(ps_problem_entry), cols,
	    PS_N(cols), 1, err, errlen) != 0)
		return PSRC_ENODAEMON;
	*doc = pjson_new(PJSON_OBJ);
	list = pjson_add(*doc, "entries", pjson_new(PJSON_ARR));
	for (i = 0; i < t.n; i++) {
		const struct ps_row *r = &t.rows[i];
		const struct ps_cell *raw = &r->c[BMCW_SEL_PROBLEM_RAW];
		int64_t ts = ps_int(r, BMCW_SEL_PROBLEM_TIMESTAMP, 0);
		int64_t sv = ps_int(r, BMCW_SEL_PROBLEM_SEVERITY, 1);

		o = pjson_add(list, NULL, pjson_new(PJSON_OBJ));
		pjson_add(o, "record_id", pjson_new_num(raw->have &&
		    raw->len >= 2 ? (double)((unsigned char)raw->s[0] |
		    (unsigned char)raw->s[1] << 8) : 0));
		ps_iso((uint64_t)ts, tm, sizeof(tm));
		pjson_add(o, "timestamp", ts > 0 ? pjson_new_str(tm) :
		    pjson_new(PJSON_NULL));
		pjson_add(o, "sensor", ps_str_or_null(ps_str(r,
		    BMCW_SEL_PROBLEM_SENSOR_NAME)));
		pjson_add(o, "event", pjson_new_str(ps_str(r,
		    BMCW_SEL_PROBLEM_TEXT)));
		pjson_add(o, "severity", pjson_new_str(sev[sv >= 1 &&
		    sv <= 3 ? sv : 1]));
		pjson_add(o, "acknowledged", pjson_new_bool(ps_int(r,
		    BMCW_SEL_PROBLEM_ACKED, 2) == 1));
	}
	ps_tab_free(&t);
	return PSRC_OK;
}

static enum psrc_err
ps_chassis(struct psrc *s, struct pjson **doc, char *err, size_t errlen)
{
	static const unsigned cols[] = { BMCW_CHASSIS_POWER,
	    BMCW_CHASSIS_POWER_OVERLOAD, BMCW_CHASSIS_POWER_INTERLOCK,
	    BMCW_CHASSIS_MAIN_POWER_FAULT, BMCW_CHASSIS_POWER_CTL_FAULT,
	    BMCW_CHASSIS_INTRUSION, BMCW_CHASSIS_PANEL_LOCKOUT,
	    BMCW_CHASSIS_DRIVE_FAULT, BMCW_CHASSIS_FAN_FAULT,
	    BMCW_CHASSIS_LAST_UPDATE };
	static const struct {
		const char *key;
		unsigned col;
	} flag[] = {
		{ "power_overload", BMCW_CHASSIS_POWER_OVERLOAD },
		{ "power_interlock", BMCW_CHASSIS_POWER_INTERLOCK },
		{ "main_power_fault", BMCW_CHASSIS_MAIN_POWER_FAULT },
		{ "power_control_fault", BMCW_CHASSIS_POWER_CTL_FAULT },
		{ "chassis_intrusion", BMCW_CHASSIS_INTRUSION },
		{ "front_panel_lockout", BMCW_CHASSIS_PANEL_LOCKOUT },
		{ "drive_fault", BMCW_CHASSIS_DRIVE_FAULT },
		{ "cooling_fan_fault", BMCW_CHASSIS_FAN_FAULT },
	};
	struct ps_tab t;
	const struct ps_row *r;
	size_t k;

	if (ps_walk(s, &t, ps_chassis_entry, PS_N(ps_chassis_entry), cols,
	    PS_N(cols), 0, err, errlen) != 0)
		return PSRC_ENODAEMON;
	if ((r = ps_row_of(s, &t)) == NULL ||
	    ps_int(r, BMCW_CHASSIS_LAST_UPDATE, 0) == 0) {
		ps_tab_free(&t);
		return ps_not_read(s, "chassis status", err, errlen);
	}
	*doc = pjson_new(PJSON_OBJ);
	pjson_add(*doc, "system_power", pjson_new_str(ps_int(r,
	    BMCW_CHASSIS_POWER, 0) == BMCW_CHASSIS_POWER_ON ? "on" : "off"));
	for (k = 0; k < PS_N(flag); k++)
		pjson_add(*doc, flag[k].key, pjson_new_bool(ps_int(r,
		    flag[k].col, 2) == 1));
	ps_tail(s, *doc, (uint64_t)ps_int(r, BMCW_CHASSIS_LAST_UPDATE, 0), 0);
	ps_tab_free(&t);
	return PSRC_OK;
}

static const unsigned ps_wdt_cols[] = { BMCW_WATCHDOG_USE,
    BMCW_WATCHDOG_ACTION, BMCW_WATCHDOG_PRESENT_COUNT,
    BMCW_WATCHDOG_RUNNING, BMCW_WATCHDOG_EXPIRED_FLAGS,
    BMCW_WATCHDOG_EXPIRIES, BMCW_WATCHDOG_LAST_EXPIRY,
    BMCW_WATCHDOG_HEARTBEAT, BMCW_WATCHDOG_HB_INTERVAL,
    BMCW_WATCHDOG_LAST_RESET, BMCW_WATCHDOG_RESETS,
    BMCW_WATCHDOG_RESET_FAILURES, BMCW_WATCHDOG_FAILING_CHECK,
    BMCW_WATCHDOG_LAST_ERROR, BMCW_WATCHDOG_LAST_UPDATE };

static enum psrc_err
ps_watchdog(struct psrc *s, struct pjson **doc, char *err, size_t errlen)
{
	struct ps_tab t;
	const struct ps_row *r;
	struct pjson *fl;
	int64_t use, act, cnt, n, last;
	char tm[40];
	unsigned i;

	if (ps_walk(s, &t, ps_wdt_entry, PS_N(ps_wdt_entry), ps_wdt_cols,
	    PS_N(ps_wdt_cols), 0, err, errlen) != 0)
		return PSRC_ENODAEMON;
	if ((r = ps_row_of(s, &t)) == NULL ||
	    ps_int(r, BMCW_WATCHDOG_LAST_UPDATE, 0) == 0) {
		ps_tab_free(&t);
		return ps_not_read(s, "watchdog", err, errlen);
	}
	*doc = pjson_new(PJSON_OBJ);
	use = ps_int(r, BMCW_WATCHDOG_USE, BMCW_WATCHDOG_USE_RESERVED);
	act = ps_int(r, BMCW_WATCHDOG_ACTION, BMCW_WATCHDOG_ACTION_RESERVED);
	pjson_add(*doc, "running", pjson_new_bool(ps_int(r,
	    BMCW_WATCHDOG_RUNNING, 2) == 1));
	pjson_add(*doc, "timer_use_text", pjson_new_str(wdt_use_name(
	    use >= 1 && use <= 5 ? (uint8_t)use : 0)));
	pjson_add(*doc, "action_text", pjson_new_str(wdt_action_name(
	    act >= 1 && act <= 4 ? (uint8_t)(act - 1) : 7)));
	fl = pjson_add(*doc, "expiration_flags", pjson_new(PJSON_ARR));
	for (i = 1; i < 6; i++)
		if (ps_bit(r, BMCW_WATCHDOG_EXPIRED_FLAGS, i))
			pjson_add(fl, NULL, pjson_new_str(wdt_use_key(
			    (uint8_t)i)));
	cnt = ps_int(r, BMCW_WATCHDOG_PRESENT_COUNT, -1);
	pjson_add(*doc, "present_countdown_s", cnt >= 0 ?
	    pjson_new_num((double)cnt / 1000.0) : pjson_new(PJSON_NULL));
	n = ps_int(r, BMCW_WATCHDOG_EXPIRIES, 0);
	last = ps_int(r, BMCW_WATCHDOG_LAST_EXPIRY, 0);
	pjson_add(*doc, "expiries", pjson_new_num((double)n));
	ps_iso((uint64_t)last, tm, sizeof(tm));
	pjson_add(*doc, "last_expiry", n > 0 && last > 0 ?
	    pjson_new_str(tm) : pjson_new(PJSON_NULL));
	ps_tail(s, *doc, (uint64_t)ps_int(r, BMCW_WATCHDOG_LAST_UPDATE, 0), 0);
	ps_tab_free(&t);
	return PSRC_OK;
}

/* the heartbeat object of a target from its watchdog row (NULL: none) */
static void
ps_heartbeat(struct pjson *o, const struct ps_row *r)
{
	uint64_t now = (uint64_t)time(NULL), reset;
	struct pjson *hb;
	int64_t st;

	st = r != NULL ? ps_int(r, BMCW_WATCHDOG_HEARTBEAT,
	    BMCW_WATCHDOG_HEARTBEAT_DISABLED) : BMCW_WATCHDOG_HEARTBEAT_DISABLED;
	if (st == BMCW_WATCHDOG_HEARTBEAT_DISABLED) {
		pjson_add(o, "heartbeat", pjson_new(PJSON_NULL));
		return;
	}
	hb = pjson_add(o, "heartbeat", pjson_new(PJSON_OBJ));
	pjson_add(hb, "armed", pjson_new_bool(st ==
	    BMCW_WATCHDOG_HEARTBEAT_RUNNING ||
	    st == BMCW_WATCHDOG_HEARTBEAT_FAILING));
	pjson_add(hb, "refused", pjson_new_bool(st ==
	    BMCW_WATCHDOG_HEARTBEAT_CONFLICT));
	pjson_add(hb, "kicks", pjson_new_num((double)ps_int(r,
	    BMCW_WATCHDOG_RESETS, 0)));
	pjson_add(hb, "failures", pjson_new_num((double)ps_int(r,
	    BMCW_WATCHDOG_RESET_FAILURES, 0)));
	pjson_add(hb, "state", pjson_new_str(ps_str(r,
	    BMCW_WATCHDOG_LAST_ERROR)));
	pjson_add(hb, "failing_check", ps_str_or_null(ps_str(r,
	    BMCW_WATCHDOG_FAILING_CHECK)));
	pjson_add(hb, "interval_s", pjson_new_num((double)ps_int(r,
	    BMCW_WATCHDOG_HB_INTERVAL, 0) / 1000.0));
	reset = (uint64_t)ps_int(r, BMCW_WATCHDOG_LAST_RESET, 0);
	if (reset != 0)
		pjson_add(hb, "age_s", pjson_new_num(now >= reset ?
		    (double)(now - reset) : 0));
}

static const unsigned ps_console_cols[] = { BMCW_CONSOLE_LOGGING,
    BMCW_CONSOLE_CONNECTED, BMCW_CONSOLE_EVENTS,
    BMCW_CONSOLE_LAST_EVENT_TIME, BMCW_CONSOLE_LAST_EVENT_RULE,
    BMCW_CONSOLE_LAST_EVENT_TEXT, BMCW_CONSOLE_STATE, BMCW_CONSOLE_GAPS,
    BMCW_CONSOLE_LOG_FAILING, BMCW_CONSOLE_LOG_ERROR };

/* the console object of a target from its bmcwConsoleTable row, in the
 * socket's words (ctl.c's ctl_console_json); null without a row (no sol
 * block).  The event's age is in whole seconds. */
static void
ps_console(struct pjson *o, const struct ps_row *r)
{
	uint64_t now = (uint64_t)time(NULL), ev;
	struct pjson *c;

	if (r == NULL) {
		pjson_add(o, "console", pjson_new(PJSON_NULL));
		return;
	}
	c = pjson_add(o, "console", pjson_new(PJSON_OBJ));
	pjson_add(c, "logging", pjson_new_bool(ps_int(r,
	    BMCW_CONSOLE_LOGGING, 2) == 1));
	pjson_add(c, "connected", pjson_new_bool(ps_int(r,
	    BMCW_CONSOLE_CONNECTED, 2) == 1));
	pjson_add(c, "state", pjson_new_str(ps_str(r, BMCW_CONSOLE_STATE)));
	pjson_add(c, "events", pjson_new_num((double)ps_int(r,
	    BMCW_CONSOLE_EVENTS, 0)));
	ev = (uint64_t)ps_int(r, BMCW_CONSOLE_LAST_EVENT_TIME, 0);
	if (ev != 0) {
		pjson_add(c, "last_event_age_s", pjson_new_num(now >= ev ?
		    (double)(now - ev) : 0));
		pjson_add(c, "last_event_rule", pjson_new_str(ps_str(r,
		    BMCW_CONSOLE_LAST_EVENT_RULE)));
		pjson_add(c, "last_event_text", pjson_new_str(ps_str(r,
		    BMCW_CONSOLE_LAST_EVENT_TEXT)));
	} else {
		pjson_add(c, "last_event_age_s", pjson_new(PJSON_NULL));
		pjson_add(c, "last_event_rule", pjson_new(PJSON_NULL));
		pjson_add(c, "last_event_text", pjson_new(PJSON_NULL));
	}
	pjson_add(c, "gaps", pjson_new_num((double)ps_int(r,
	    BMCW_CONSOLE_GAPS, 0)));
	pjson_add(c, "log_failing", pjson_new_bool(ps_int(r,
	    BMCW_CONSOLE_LOG_FAILING, 2) == 1));
	pjson_add(c, "log_error", ps_str_or_null(ps_str(r,
	    BMCW_CONSOLE_LOG_ERROR)));
}

/* the row of a target's index in a table indexed by the target */
static const struct ps_row *
ps_row_at(const struct ps_tab *t, const struct ps_row *target)
{
	size_t k;

	for (k = 0; k < t->n; k++)
		if (t->rows[k].idxlen == 1 && target->idxlen == 1 &&
		    t->rows[k].idx[0] == target->idx[0])
			return &t->rows[k];
	return NULL;
}

/* every target (or --target's), with its heartbeat and console */
static enum psrc_err
ps_targets(struct psrc *s, struct pjson **doc, char *err, size_t errlen)
{
	struct ps_tab t, w, c;
	struct pjson *list, *o;
	uint64_t now = (uint64_t)time(NULL), last;
	size_t i;

	if (ps_walk(s, &t, ps_target_entry, PS_N(ps_target_entry),
	    ps_target_cols, PS_N(ps_target_cols), 0, err, errlen) != 0)
		return PSRC_ENODAEMON;
	if (t.n == 0) {
		/* a daemon has at least one target: none is no daemon */
		ps_tab_free(&t);
		return ps_no_target(s, err, errlen);
	}
	if (ps_walk(s, &w, ps_wdt_entry, PS_N(ps_wdt_entry), ps_wdt_cols,
	    PS_N(ps_wdt_cols), 0, err, errlen) != 0) {
		ps_tab_free(&t);
		return PSRC_ENODAEMON;
	}
	if (ps_walk(s, &c, ps_console_entry, PS_N(ps_console_entry),
	    ps_console_cols, PS_N(ps_console_cols), 0, err, errlen) != 0) {
		ps_tab_free(&t);
		ps_tab_free(&w);
		return PSRC_ENODAEMON;
	}
	*doc = pjson_new(PJSON_OBJ);
	list = pjson_add(*doc, "targets", pjson_new(PJSON_ARR));
	for (i = 0; i < t.n; i++) {
		const struct ps_row *r = &t.rows[i];
		const char *name = ps_str(r, BMCW_TARGET_NAME);

		if (s->o.target != NULL && strcmp(s->o.target, name) != 0)
			continue;
		o = pjson_add(list, NULL, pjson_new(PJSON_OBJ));
		pjson_add(o, "name", pjson_new_str(name));
		pjson_add(o, "state", pjson_new_str(ps_tstate(r)));
		last = (uint64_t)ps_int(r, BMCW_TARGET_LAST_SUCCESS, 0);
		pjson_add(o, "last_success_age_s", last != 0 ?
		    pjson_new_num(now >= last ? (double)(now - last) : 0) :
		    pjson_new(PJSON_NULL));
		pjson_add(o, "last_error", ps_str_or_null(ps_str(r,
		    BMCW_TARGET_LAST_ERROR)));
		ps_heartbeat(o, ps_row_at(&w, r));
		ps_console(o, ps_row_at(&c, r));
	}
	ps_tab_free(&t);
	ps_tab_free(&w);
	ps_tab_free(&c);
	return PSRC_OK;
}

static enum psrc_err
ps_get(struct psrc *s, enum psrc_item it, struct pjson **doc, char *err,
    size_t errlen)
{
	enum psrc_err e;

	*doc = NULL;
	if ((e = ps_session(s, err, errlen)) != PSRC_OK)
		return e;
	/* the list of targets is every one of them, as from the socket */
	if (it == PSRC_TARGETS && s->o.target == NULL)
		return ps_targets(s, doc, err, errlen);
	if ((e = ps_target(s, it, err, errlen)) != PSRC_OK)
		return e;
	switch (it) {
	case PSRC_SENSORS:
		return ps_sensors(s, doc, err, errlen);
	case PSRC_SEL_INFO:
		return ps_sel_info(s, doc, err, errlen);
	case PSRC_SEL_OPEN:
		return ps_sel_open(s, doc, err, errlen);
	case PSRC_CHASSIS:
		return ps_chassis(s, doc, err, errlen);
	case PSRC_WATCHDOG:
		return ps_watchdog(s, doc, err, errlen);
	case PSRC_TARGETS:
		return ps_targets(s, doc, err, errlen);
	}
	(void)snprintf(err, errlen, "unknown item");
	return PSRC_EUSAGE;
}

static void
ps_close(struct psrc *s)
{
	struct ps *p = s->priv;

	if (p == NULL)
		return;
	snmpget_close(p->g);
	explicit_bzero(&p->cred, sizeof(p->cred));
	free(p);
	s->priv = NULL;
}

const struct psrc_ops psrc_snmp_ops = { "snmp", ps_get, ps_close };

/* psrc_open's part: the credentials, read now (before -t runs out) */
int
psrc_snmp_init(struct psrc *s, char *err, size_t errlen)
{
	struct ps *p = xcalloc(1, sizeof(*p));

	s->priv = p;
	if (psrc_cred_read(s->o.v3_file != NULL ? s->o.v3_file :
	    s->o.community_file, s->o.v3_file != NULL, &p->cred, err,
	    errlen) != 0)
		return -1;
	return 0;
}

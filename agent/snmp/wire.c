/*
 * The daemon -> subagent message format (wire.h): writers, and the
 * subagent's bounded parser (every byte through struct rbuf).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmem.h"
#include "snmp/wire.h"

int
wire_tab_ok(unsigned t)
{
	switch (t) {
	case WIRE_TAB_TARGET:
	case WIRE_TAB_SENSOR:
	case WIRE_TAB_SEL_INFO:
	case WIRE_TAB_SEL_ENTRY:
	case WIRE_TAB_SEL_PROBLEM:
	case WIRE_TAB_CHASSIS:
	case WIRE_TAB_CONTROL:
	case WIRE_TAB_CONSOLE:
	case WIRE_TAB_WEBHOOK:
	case WIRE_TAB_WATCHDOG:
	case WIRE_TAB_ENT:
	case WIRE_TAB_ENT_SENSOR:
		return 1;
	default:
		return 0;
	}
}

/* ---- writers ------------------------------------------------------------ */

void
wire_put_bytes(FILE *f, const char *pfx, unsigned col, const uint8_t *p,
    size_t len)
{
	size_t i;

	if (len > WIRE_STR_MAX)
		len = WIRE_STR_MAX;
	fprintf(f, "%s %u s ", pfx, col);
	if (len == 0)
		fputc('-', f);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

void
wire_put_str(FILE *f, const char *pfx, unsigned col, const char *s)
{
	wire_put_bytes(f, pfx, col, (const uint8_t *)s, strlen(s));
}

void
wire_put_num(FILE *f, const char *pfx, unsigned col, char type, int64_t v)
{
	fprintf(f, "%s %u %c %" PRId64 "\n", pfx, col, type, v);
}

void
wire_put_u64(FILE *f, const char *pfx, unsigned col, char type, uint64_t v)
{
	fprintf(f, "%s %u %c %" PRIu64 "\n", pfx, col, type, v);
}

/* ---- parser ------------------------------------------------------------- */

struct wp {
	struct rbuf	 r;		/* the current line */
	unsigned	 line;
	char		*err;
	size_t		 errlen;
};

static int
wp_fail(struct wp *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
wp_fail(struct wp *w, const char *fmt, ...)
{
	char m[200];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	(void)snprintf(w->err, w->errlen, "line %u: %s", w->line, m);
	return -1;
}

/* the next field: up to a space or the end of the line; the separator
 * is consumed.  NULL at the end of the line. */
static const uint8_t *
wp_field(struct wp *w, size_t *len)
{
	const uint8_t *p;
	size_t n;

	if (rd_left(&w->r) == 0)
		return NULL;
	n = rd_span(&w->r, ' ');
	p = rd_ptr(&w->r, n);
	if (rd_peek(&w->r) == ' ')
		(void)rd_u8(&w->r);
	*len = n;
	return p;
}

static int
wp_u64(struct wp *w, const char *what, uint64_t max, uint64_t *out)
{
	const uint8_t *p;
	size_t len, i;
	uint64_t v = 0;

	*out = 0;	/* defined on failure too */
	if ((p = wp_field(w, &len)) == NULL || len == 0 || len > 20)
		return wp_fail(w, "%s: missing or too long", what);
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return wp_fail(w, "%s: not a number", what);
		if (v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return wp_fail(w, "%s: too large", what);
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > max)
		return wp_fail(w, "%s: above %" PRIu64, what, max);
	*out = v;
	return 0;
}

static int
wp_i64(struct wp *w, const char *what, int64_t min, int64_t max,
    int64_t *out)
{
	const uint8_t *p;
	size_t len, i;
	uint64_t v = 0;
	int neg = 0;

	if ((p = wp_field(w, &len)) == NULL || len == 0 || len > 20)
		return wp_fail(w, "%s: missing or too long", what);
	i = 0;
	if (p[0] == '-') {
		neg = 1;
		i = 1;
		if (len == 1)
			return wp_fail(w, "%s: not a number", what);
	}
	for (; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return wp_fail(w, "%s: not a number", what);
		v = v * 10 + (uint64_t)(p[i] - '0');
		if (v > (uint64_t)INT64_MAX)
			return wp_fail(w, "%s: out of range", what);
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	if (*out < min || *out > max)
		return wp_fail(w, "%s: out of range", what);
	return 0;
}

static int
wp_name(struct wp *w, char *out)
{
	const uint8_t *p;
	size_t len, i;

	if ((p = wp_field(w, &len)) == NULL || len == 0 ||
	    len > WIRE_NAME_MAX)
		return wp_fail(w, "target name: missing or too long");
	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '.' ||
		    p[i] == '_' || p[i] == '-'))
			return wp_fail(w, "target name: bad character");
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int
wp_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "COL TYPE VALUE" to the end of the line (wp_val) */
static int
wp_val_in(struct wp *w, struct wire_val *v)
{
	const uint8_t *p;
	size_t len, i;
	uint64_t u;
	int hi, lo;

	memset(v, 0, sizeof(*v));
	if (wp_u64(w, "column", 255, &u) != 0)
		return -1;
	v->col = (uint8_t)u;
	if ((p = wp_field(w, &len)) == NULL || len != 1)
		return wp_fail(w, "type: missing");
	v->type = (char)p[0];
	switch (v->type) {
	case WIRE_INT:
		if (wp_i64(w, "value", INT32_MIN, INT32_MAX, &v->i) != 0)
			return -1;
		break;
	case WIRE_ENT:
		if (wp_i64(w, "value", 0, 4194303, &v->i) != 0)
			return -1;
		break;
	case WIRE_WALL:
		if (wp_i64(w, "value", 0, INT64_MAX, &v->i) != 0)
			return -1;
		break;
	case WIRE_UNSIGNED:
	case WIRE_GAUGE:
	case WIRE_COUNTER:
		if (wp_u64(w, "value", UINT32_MAX, &v->u) != 0)
			return -1;
		break;
	case WIRE_COUNTER64:
		if (wp_u64(w, "value", UINT64_MAX, &v->u) != 0)
			return -1;
		break;
	case WIRE_STRING:
		if ((p = wp_field(w, &len)) == NULL || len == 0)
			return wp_fail(w, "string: missing");
		if (len == 1 && p[0] == '-')
			break;
		if (len % 2 != 0 || len / 2 > WIRE_STR_MAX)
			return wp_fail(w, "string: odd length or too long");
		v->s = xmalloc(len / 2 + 1);
		for (i = 0; i < len / 2; i++) {
			if ((hi = wp_hex(p[2 * i])) < 0 ||
			    (lo = wp_hex(p[2 * i + 1])) < 0) {
				free(v->s);
				v->s = NULL;
				return wp_fail(w, "string: not hex");
			}
			v->s[i] = (uint8_t)(hi << 4 | lo);
		}
		v->s[len / 2] = '\0';
		v->slen = len / 2;
		break;
	case WIRE_OID:
		if ((p = wp_field(w, &len)) == NULL || len == 0)
			return wp_fail(w, "oid: missing");
		u = 0;
		hi = 0;		/* digits in this sub-identifier */
		for (i = 0; i <= len; i++) {
			if (i == len || p[i] == '.') {
				if (hi == 0 || v->oidlen >= WIRE_OID_MAX)
					return wp_fail(w, "oid: bad");
				if (v->oid == NULL)
					v->oid = xcalloc(WIRE_OID_MAX,
					    sizeof(*v->oid));
				v->oid[v->oidlen++] = (uint32_t)u;
				u = 0;
				hi = 0;
			} else if (p[i] >= '0' && p[i] <= '9' && hi < 10) {
				u = u * 10 + (uint64_t)(p[i] - '0');
				if (u > UINT32_MAX)
					return wp_fail(w, "oid: too large");
				hi++;
			} else
				return wp_fail(w, "oid: bad");
		}
		if (v->oidlen < 2)
			return wp_fail(w, "oid: too short");
		break;
	default:
		return wp_fail(w, "unknown type '%c'", v->type);
	}
	if (rd_left(&w->r) != 0) {
		wire_val_free(v);
		return wp_fail(w, "junk after the value");
	}
	return 0;
}

void
wire_val_free(struct wire_val *v)
{
	free(v->s);
	v->s = NULL;
	free(v->oid);
	v->oid = NULL;
	v->oidlen = 0;
}

/* a cell; on failure it holds nothing */
static int
wp_val(struct wp *w, struct wire_val *v)
{
	if (wp_val_in(w, v) != 0) {
		wire_val_free(v);
		return -1;
	}
	return 0;
}

void
wire_msg_free(struct wire_msg *m)
{
	size_t i, k;

	for (i = 0; i < m->nrows; i++) {
		for (k = 0; k < m->rows[i].nv; k++)
			wire_val_free(&m->rows[i].v[k]);
		free(m->rows[i].v);
	}
	free(m->rows);
	for (i = 0; i < m->nvbs; i++)
		wire_val_free(&m->vbs[i].v);
	free(m->vbs);
	for (i = 0; i < m->ngen; i++)
		wire_val_free(&m->gen[i]);
	free(m->gen);
	memset(m, 0, sizeof(*m));
}

const struct wire_val *
wire_row_col(const struct wire_row *r, unsigned col)
{
	size_t i;

	for (i = 0; i < r->nv; i++)
		if (r->v[i].col == col)
			return &r->v[i];
	return NULL;
}

/* a cell into the row, kept sorted by column, no duplicates */
static int
wp_cell(struct wp *w, struct wire_row *r, struct wire_val *v)
{
	size_t i;

	if (r->nv >= WIRE_COLS_MAX)
		return wp_fail(w, "more than %d cells in a row",
		    WIRE_COLS_MAX);
	for (i = r->nv; i > 0 && r->v[i - 1].col > v->col; i--)
		;
	if (i > 0 && r->v[i - 1].col == v->col)
		return wp_fail(w, "column %u twice", v->col);
	/*
	 * grown 8, 16, 32, WIRE_COLS_MAX as cells come (a row of 48
	 * 170-byte cells up front was most of a snapshot's parse)
	 */
	if (r->nv == 0 || r->nv == 8 || r->nv == 16 || r->nv == 32)
		r->v = xreallocarray(r->v, r->nv == 0 ? 8 : r->nv == 32 ?
		    WIRE_COLS_MAX : r->nv * 2, sizeof(*r->v));
	memmove(&r->v[i + 1], &r->v[i], (r->nv - i) * sizeof(*r->v));
	r->v[i] = *v;
	r->nv++;
	return 0;
}

/* one line (without its newline) */
static int
wp_line(struct wp *w, struct wire_msg *m, int *have_kind, size_t *caprows,
    size_t *capvbs, size_t *capgen)
{
	const uint8_t *p;
	size_t len;
	uint64_t u;
	struct wire_val v;
	char k;

	if ((p = wp_field(w, &len)) == NULL || len != 1)
		return wp_fail(w, "no line kind");
	k = (char)p[0];
	switch (k) {
	case 'T':
	case 'X':
	case 'N':
	case 'W':
	case 'Y':
		if (*have_kind)
			return wp_fail(w, "a second '%c' line", k);
		*have_kind = 1;
		m->kind = k == 'T' ? WIRE_SNAPSHOT : k == 'X' ? WIRE_GONE :
		    k == 'W' ? WIRE_WEBHOOK : k == 'Y' ? WIRE_WEBHOOK_GONE :
		    WIRE_NOTIFY;
		if (k == 'N') {
			if (wp_u64(w, "notification", 255, &u) != 0)
				return -1;
			m->notify = (unsigned)u;
		}
		if (wp_name(w, m->name) != 0)
			return -1;
		if (rd_left(&w->r) != 0)
			return wp_fail(w, "junk after the name");
		return 0;
	case 'R':
		if ((m->kind != WIRE_SNAPSHOT && m->kind != WIRE_WEBHOOK) ||
		    !*have_kind)
			return wp_fail(w, "a row outside a snapshot");
		if (m->nrows >= WIRE_ROWS_MAX)
			return wp_fail(w, "more than %d rows", WIRE_ROWS_MAX);
		if (wp_u64(w, "table", 255, &u) != 0)
			return -1;
		if (!wire_tab_ok((unsigned)u))
			return wp_fail(w, "unknown table %u", (unsigned)u);
		if (m->nrows == *caprows) {
			*caprows = *caprows ? *caprows * 2 : 16;
			m->rows = xreallocarray(m->rows, *caprows,
			    sizeof(*m->rows));
		}
		memset(&m->rows[m->nrows], 0, sizeof(*m->rows));
		m->rows[m->nrows].tab = (unsigned)u;
		m->nrows++;
		if (wp_u64(w, "index", UINT32_MAX, &u) != 0)
			return -1;
		m->rows[m->nrows - 1].sub = (uint32_t)u;
		if (rd_left(&w->r) != 0)
			return wp_fail(w, "junk after the index");
		return 0;
	case 'c':
		if (m->nrows == 0)
			return wp_fail(w, "a cell before any row");
		if (wp_val(w, &v) != 0)
			return -1;
		if (wp_cell(w, &m->rows[m->nrows - 1], &v) != 0) {
			wire_val_free(&v);
			return -1;
		}
		return 0;
	case 'v':
		if (m->kind != WIRE_NOTIFY || !*have_kind)
			return wp_fail(w, "a varbind outside a notification");
		if (m->nvbs >= WIRE_COLS_MAX)
			return wp_fail(w, "more than %d varbinds",
			    WIRE_COLS_MAX);
		if (m->nvbs == *capvbs) {
			*capvbs = *capvbs ? *capvbs * 2 : 8;
			m->vbs = xreallocarray(m->vbs, *capvbs,
			    sizeof(*m->vbs));
		}
		memset(&m->vbs[m->nvbs], 0, sizeof(*m->vbs));
		if (wp_u64(w, "table", 255, &u) != 0)
			return -1;
		if (!wire_tab_ok((unsigned)u))
			return wp_fail(w, "unknown table %u", (unsigned)u);
		m->vbs[m->nvbs].tab = (unsigned)u;
		if (wp_u64(w, "index", UINT32_MAX, &u) != 0)
			return -1;
		m->vbs[m->nvbs].sub = (uint32_t)u;
		if (wp_val(w, &m->vbs[m->nvbs].v) != 0)
			return -1;
		m->nvbs++;
		return 0;
	case 'G':
		if (m->ngen >= WIRE_COLS_MAX)
			return wp_fail(w, "more than %d scalars",
			    WIRE_COLS_MAX);
		if (wp_val(w, &v) != 0)
			return -1;
		if (m->ngen == *capgen) {
			*capgen = *capgen ? *capgen * 2 : 8;
			m->gen = xreallocarray(m->gen, *capgen,
			    sizeof(*m->gen));
		}
		m->gen[m->ngen++] = v;
		return 0;
	default:
		return wp_fail(w, "unknown line kind '%c'", k);
	}
}

int
wire_parse(const char *p, size_t len, struct wire_msg *m, char *err,
    size_t errlen)
{
	struct rbuf all;
	struct wp w;
	size_t caprows = 0, capvbs = 0, capgen = 0, n;
	int have_kind = 0;

	memset(m, 0, sizeof(*m));
	m->kind = WIRE_GENERAL;
	memset(&w, 0, sizeof(w));
	w.err = err;
	w.errlen = errlen;
	if (len > WIRE_MSG_MAX)
		return wp_fail(&w, "message of %zu bytes", len);
	rb_init(&all, p, len);
	while (rd_left(&all) > 0) {
		w.line++;
		n = rd_span(&all, '\n');
		if (n == rd_left(&all)) {
			(void)wp_fail(&w, "no newline at the end");
			goto fail;
		}
		rd_sub(&all, n, &w.r);
		(void)rd_u8(&all);
		if (wp_line(&w, m, &have_kind, &caprows, &capvbs,
		    &capgen) != 0)
			goto fail;
	}
	if (!have_kind && m->ngen == 0) {
		(void)snprintf(err, errlen, "an empty message");
		goto fail;
	}
	return 0;
fail:
	wire_msg_free(m);
	return -1;
}

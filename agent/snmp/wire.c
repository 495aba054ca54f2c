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

/* the columns and types of a row's cells (wire.h), counted: the rows
 * of a message with the same share one */
struct wire_shape {
	unsigned	 refs;
	uint8_t		 n;
	uint8_t		 b[];		/* n columns, then n types */
};

/* a row's one allocation: a value per cell (the value itself, or the
 * offset from here of a Counter64, a wall time, an OID as a count and
 * its sub-identifiers, or a string as a 16-bit length, its bytes and a
 * NUL; 0: the empty string), then those */
struct wire_cells {
	struct wire_shape *shape;
	uint32_t	 val[];
};

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
	/*
	 * The strings and OIDs of the values being read, at the offset
	 * in their u: the cells of the current row (cur, sorted by
	 * column) until the row ends and they become its one allocation
	 * (wp_row_end), a varbind's or a scalar's until it gets its own
	 * (wp_own).
	 */
	uint8_t		*data;		/* stack, or heap past its size */
	size_t		 datalen, datacap;
	uint8_t		 stack[4096];	/* a row's rarely needs more */
	struct wire_row	*row;		/* the row being read, or NULL */
	struct wire_val	 cur[WIRE_COLS_MAX];
	size_t		 ncur;
	/* the shapes of this message's rows so far (the rows hold the
	 * references; past the first 32, a new one is not shared) */
	struct wire_shape *shapes[32];
	size_t		 nshapes;
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

/* room for n more bytes of data, at an offset aligned to align (1, 4);
 * that offset */
static size_t
wp_data(struct wp *w, size_t n, size_t align)
{
	size_t off = (w->datalen + align - 1) & ~(align - 1);

	if (off + n > w->datacap) {
		while (off + n > w->datacap)
			w->datacap *= 2;
		if (w->data == w->stack) {
			w->data = xmalloc(w->datacap);
			memcpy(w->data, w->stack, w->datalen);
		} else
			w->data = xreallocarray(w->data, w->datacap, 1);
	}
	w->datalen = off + n;
	return off;
}

/* "COL TYPE VALUE" to the end of the line (wp_val); a string or an OID
 * goes to w's data, at the offset in v->u */
static int
wp_val_in(struct wp *w, struct wire_val *v)
{
	const uint8_t *p;
	uint32_t oid[WIRE_OID_MAX];
	uint8_t *d;
	size_t len, i, off;
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
		off = wp_data(w, len / 2 + 1, 1);
		d = w->data + off;
		for (i = 0; i < len / 2; i++) {
			if ((hi = wp_hex(p[2 * i])) < 0 ||
			    (lo = wp_hex(p[2 * i + 1])) < 0) {
				w->datalen = off;
				return wp_fail(w, "string: not hex");
			}
			d[i] = (uint8_t)(hi << 4 | lo);
		}
		d[len / 2] = '\0';
		v->slen = len / 2;
		v->u = off;
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
				oid[v->oidlen++] = (uint32_t)u;
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
		off = wp_data(w, v->oidlen * sizeof(oid[0]), sizeof(oid[0]));
		memcpy(w->data + off, oid, v->oidlen * sizeof(oid[0]));
		v->u = off;
		break;
	default:
		return wp_fail(w, "unknown type '%c'", v->type);
	}
	if (rd_left(&w->r) != 0)
		return wp_fail(w, "junk after the value");
	return 0;
}

void
wire_val_free(struct wire_val *v)
{
	/* what wp_own allocated */
	free((void *)(uintptr_t)v->s);
	v->s = NULL;
	free((void *)(uintptr_t)v->oid);
	v->oid = NULL;
	v->oidlen = 0;
}

/* a value; on failure w's data is as it was */
static int
wp_val(struct wp *w, struct wire_val *v)
{
	size_t mark = w->datalen;

	if (wp_val_in(w, v) != 0) {
		w->datalen = mark;
		return -1;
	}
	return 0;
}

/* a varbind or a scalar: its string or OID moved from w's data to an
 * allocation of its own (wire_val_free) */
static void
wp_own(struct wp *w, struct wire_val *v, size_t mark)
{
	void *p;

	if (v->type == WIRE_STRING && v->slen > 0) {
		p = xmalloc(v->slen + 1);
		memcpy(p, w->data + v->u, v->slen + 1);
		v->s = p;
	} else if (v->type == WIRE_OID) {
		p = xreallocarray(NULL, v->oidlen, sizeof(*v->oid));
		memcpy(p, w->data + v->u, v->oidlen * sizeof(*v->oid));
		v->oid = p;
	}
	if (v->type == WIRE_STRING || v->type == WIRE_OID)
		v->u = 0;
	w->datalen = mark;
}

/* the shape of the row being read: one of this message's, or a new
 * one */
static struct wire_shape *
wp_shape(struct wp *w)
{
	struct wire_shape *sh;
	uint8_t key[2 * WIRE_COLS_MAX] = { 0 };
	size_t k, i;

	for (k = 0; k < w->ncur; k++) {
		key[k] = w->cur[k].col;
		key[w->ncur + k] = (uint8_t)w->cur[k].type;
	}
	for (i = w->nshapes; i > 0; i--) {	/* a table's rows come
						 * together */
		sh = w->shapes[i - 1];
		if (sh->n == w->ncur && memcmp(sh->b, key, 2 * w->ncur) == 0) {
			sh->refs++;
			return sh;
		}
	}
	sh = xmalloc(sizeof(*sh) + 2 * w->ncur);
	sh->refs = 1;
	sh->n = (uint8_t)w->ncur;
	memcpy(sh->b, key, 2 * w->ncur);
	if (w->nshapes < sizeof(w->shapes) / sizeof(w->shapes[0]))
		w->shapes[w->nshapes++] = sh;
	return sh;
}

/*
 * The row being read is complete: its cells (w->cur) and what they
 * point at into one allocation of the size they need (struct
 * wire_cells): the values, the 8-byte values, the OIDs, the strings.
 */
static void
wp_row_end(struct wp *w)
{
	struct wire_row *r = w->row;
	const struct wire_val *v;
	struct wire_cells *c;
	uint8_t *b;
	uint32_t n32;
	uint16_t n16;
	size_t k, size, off;

	if (r == NULL)
		return;
	w->row = NULL;
	r->nv = w->ncur;
	if (r->nv == 0) {
		w->datalen = 0;
		return;
	}
	size = sizeof(*c) + r->nv * sizeof(c->val[0]);
	size = (size + 7) & ~(size_t)7;
	for (k = 0; k < r->nv; k++) {
		v = &w->cur[k];
		if (v->type == WIRE_COUNTER64 || v->type == WIRE_WALL)
			size += 8;
		else if (v->type == WIRE_OID)
			size += 4 + v->oidlen * sizeof(uint32_t);
		else if (v->type == WIRE_STRING && v->slen > 0)
			size += 2 + v->slen + 1;
	}
	b = xmalloc(size);
	c = (struct wire_cells *)(void *)b;
	c->shape = wp_shape(w);
	r->v = c;
	off = sizeof(*c) + r->nv * sizeof(c->val[0]);
	off = (off + 7) & ~(size_t)7;
	for (k = 0; k < r->nv; k++) {	/* 8-byte values first: aligned */
		v = &w->cur[k];
		switch (v->type) {
		case WIRE_INT:
			c->val[k] = (uint32_t)(int32_t)v->i;
			break;
		case WIRE_ENT:
			c->val[k] = (uint32_t)v->i;
			break;
		case WIRE_UNSIGNED:
		case WIRE_GAUGE:
		case WIRE_COUNTER:
			c->val[k] = (uint32_t)v->u;
			break;
		case WIRE_COUNTER64:
		case WIRE_WALL:
			c->val[k] = (uint32_t)off;
			if (v->type == WIRE_WALL)
				memcpy(b + off, &v->i, 8);
			else
				memcpy(b + off, &v->u, 8);
			off += 8;
			break;
		default:
			c->val[k] = 0;
			break;
		}
	}
	for (k = 0; k < r->nv; k++) {	/* then OIDs: 4-aligned */
		v = &w->cur[k];
		if (v->type != WIRE_OID)
			continue;
		c->val[k] = (uint32_t)off;
		n32 = (uint32_t)v->oidlen;
		memcpy(b + off, &n32, 4);
		memcpy(b + off + 4, w->data + v->u, v->oidlen * sizeof(n32));
		off += 4 + v->oidlen * sizeof(n32);
	}
	for (k = 0; k < r->nv; k++) {	/* then strings */
		v = &w->cur[k];
		if (v->type != WIRE_STRING || v->slen == 0)
			continue;
		c->val[k] = (uint32_t)off;
		n16 = (uint16_t)v->slen;
		memcpy(b + off, &n16, 2);
		memcpy(b + off + 2, w->data + v->u, v->slen + 1);
		off += 2 + v->slen + 1;
	}
	w->ncur = 0;
	w->datalen = 0;
}

void
wire_row_free(struct wire_row *r)
{
	if (r->v != NULL && --r->v->shape->refs == 0)
		free(r->v->shape);
	free(r->v);
	r->v = NULL;
	r->nv = 0;
}

void
wire_msg_free(struct wire_msg *m)
{
	size_t i;

	for (i = 0; i < m->nrows; i++)
		wire_row_free(&m->rows[i]);
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
wire_row_val(const struct wire_row *r, size_t k, struct wire_val *out)
{
	const struct wire_cells *c = r->v;
	const uint8_t *b = (const uint8_t *)c;
	uint32_t x = c->val[k], n32;
	uint16_t n16;

	out->col = c->shape->b[k];
	out->type = (char)c->shape->b[c->shape->n + k];
	out->i = 0;
	out->u = 0;
	out->s = NULL;
	out->slen = 0;
	out->oid = NULL;
	out->oidlen = 0;
	switch (out->type) {
	case WIRE_INT:
		out->i = (int32_t)x;
		break;
	case WIRE_ENT:
		out->i = x;
		break;
	case WIRE_WALL:
		memcpy(&out->i, b + x, 8);
		break;
	case WIRE_COUNTER64:
		memcpy(&out->u, b + x, 8);
		break;
	case WIRE_STRING:
		if (x != 0) {
			memcpy(&n16, b + x, 2);
			out->s = b + x + 2;
			out->slen = n16;
		}
		break;
	case WIRE_OID:
		memcpy(&n32, b + x, 4);
		out->oid = (const uint32_t *)(const void *)(b + x + 4);
		out->oidlen = n32;
		break;
	default:
		out->u = x;
		break;
	}
	return out;
}

const struct wire_val *
wire_row_col(const struct wire_row *r, unsigned col, struct wire_val *out)
{
	const uint8_t *cols;
	size_t lo = 0, hi = r->nv, mid;

	if (r->v == NULL)
		return NULL;
	cols = r->v->shape->b;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cols[mid] == col)
			return wire_row_val(r, mid, out);
		if (cols[mid] < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* a cell into the row being read, kept sorted by column, no
 * duplicates */
static int
wp_cell(struct wp *w, struct wire_val *v)
{
	size_t i;

	if (w->ncur >= WIRE_COLS_MAX)
		return wp_fail(w, "more than %d cells in a row",
		    WIRE_COLS_MAX);
	for (i = w->ncur; i > 0 && w->cur[i - 1].col > v->col; i--)
		;
	if (i > 0 && w->cur[i - 1].col == v->col)
		return wp_fail(w, "column %u twice", v->col);
	memmove(&w->cur[i + 1], &w->cur[i], (w->ncur - i) * sizeof(*w->cur));
	w->cur[i] = *v;
	w->ncur++;
	return 0;
}

/* one line (without its newline) */
static int
wp_line(struct wp *w, struct wire_msg *m, int *have_kind, size_t *caprows,
    size_t *capvbs, size_t *capgen)
{
	const uint8_t *p;
	size_t len, mark;
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
		wp_row_end(w);
		if (m->nrows == *caprows) {
			*caprows = *caprows ? *caprows * 2 : 16;
			m->rows = xreallocarray(m->rows, *caprows,
			    sizeof(*m->rows));
		}
		memset(&m->rows[m->nrows], 0, sizeof(*m->rows));
		m->rows[m->nrows].tab = (unsigned)u;
		w->row = &m->rows[m->nrows];
		m->nrows++;
		if (wp_u64(w, "index", UINT32_MAX, &u) != 0)
			return -1;
		m->rows[m->nrows - 1].sub = (uint32_t)u;
		if (rd_left(&w->r) != 0)
			return wp_fail(w, "junk after the index");
		return 0;
	case 'c':
		if (w->row == NULL)
			return wp_fail(w, "a cell before any row");
		if (wp_val(w, &v) != 0)
			return -1;
		return wp_cell(w, &v);
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
		mark = w->datalen;
		if (wp_val(w, &m->vbs[m->nvbs].v) != 0)
			return -1;
		wp_own(w, &m->vbs[m->nvbs].v, mark);
		m->nvbs++;
		return 0;
	case 'G':
		if (m->ngen >= WIRE_COLS_MAX)
			return wp_fail(w, "more than %d scalars",
			    WIRE_COLS_MAX);
		mark = w->datalen;
		if (wp_val(w, &v) != 0)
			return -1;
		wp_own(w, &v, mark);
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
	w.data = w.stack;
	w.datacap = sizeof(w.stack);
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
	wp_row_end(&w);
	if (!have_kind && m->ngen == 0) {
		(void)snprintf(err, errlen, "an empty message");
		goto fail;
	}
	if (w.data != w.stack)
		free(w.data);
	return 0;
fail:
	if (w.data != w.stack)
		free(w.data);
	wire_msg_free(m);
	return -1;
}

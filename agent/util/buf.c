/* Bounded cursors: the only place in bmcwatch that does pointer arithmetic
 * on outside input. */
#include <string.h>

#include "buf.h"

void
rb_init(struct rbuf *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p == NULL ? 0 : len;
	r->off = 0;
	r->err = 0;
}

size_t
rd_left(const struct rbuf *r)
{
	return r->err ? 0 : r->len - r->off;
}

const uint8_t *
rd_ptr(struct rbuf *r, size_t n)
{
	const uint8_t *q;

	if (r->err || n > r->len - r->off) {
		r->err = 1;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

uint8_t
rd_u8(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 1);

	return q ? q[0] : 0;
}

int
rd_peek(const struct rbuf *r)
{
	return r->err || r->off >= r->len ? -1 : r->p[r->off];
}

size_t
rd_span(const struct rbuf *r, uint8_t c)
{
	const uint8_t *q;
	size_t left = rd_left(r);

	if (left == 0)
		return 0;
	q = memchr(r->p + r->off, c, left);
	return q != NULL ? (size_t)(q - (r->p + r->off)) : left;
}

uint16_t
rd_le16(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 2);

	return q ? (uint16_t)(q[0] | q[1] << 8) : 0;
}

uint32_t
rd_le24(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 3);

	return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 |
	    (uint32_t)q[2] << 16 : 0;
}

uint32_t
rd_le32(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 4);

	return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 |
	    (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24 : 0;
}

uint16_t
rd_be16(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 2);

	return q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}

uint32_t
rd_be32(struct rbuf *r)
{
	const uint8_t *q = rd_ptr(r, 4);

	return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | (uint32_t)q[3] : 0;
}

void
rd_bytes(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *q = rd_ptr(r, n);

	if (q == NULL)
		memset(dst, 0, n);
	else if (n > 0)
		memcpy(dst, q, n);
}

void
rd_skip(struct rbuf *r, size_t n)
{
	(void)rd_ptr(r, n);
}

void
rd_sub(struct rbuf *r, size_t n, struct rbuf *sub)
{
	const uint8_t *q = rd_ptr(r, n);

	rb_init(sub, q, q ? n : 0);
	sub->err = q == NULL;
}

void
wb_init(struct wbuf *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = p == NULL ? 0 : cap;
	w->len = 0;
	w->err = 0;
}

static uint8_t *
wb_reserve(struct wbuf *w, size_t n)
{
	uint8_t *q;

	if (w->err || n > w->cap - w->len) {
		w->err = 1;
		return NULL;
	}
	q = w->p + w->len;
	w->len += n;
	return q;
}

void
wr_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *q = wb_reserve(w, 1);

	if (q)
		q[0] = v;
}

void
wr_le16(struct wbuf *w, uint16_t v)
{
	uint8_t *q = wb_reserve(w, 2);

	if (q) {
		q[0] = v & 0xff;
		q[1] = v >> 8;
	}
}

void
wr_le32(struct wbuf *w, uint32_t v)
{
	uint8_t *q = wb_reserve(w, 4);

	if (q) {
		q[0] = v & 0xff;
		q[1] = (v >> 8) & 0xff;
		q[2] = (v >> 16) & 0xff;
		q[3] = v >> 24;
	}
}

void
wr_be16(struct wbuf *w, uint16_t v)
{
	uint8_t *q = wb_reserve(w, 2);

	if (q) {
		q[0] = v >> 8;
		q[1] = v & 0xff;
	}
}

void
wr_be32(struct wbuf *w, uint32_t v)
{
	uint8_t *q = wb_reserve(w, 4);

	if (q) {
		q[0] = v >> 24;
		q[1] = (v >> 16) & 0xff;
		q[2] = (v >> 8) & 0xff;
		q[3] = v & 0xff;
	}
}

void
wr_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *q = wb_reserve(w, n);

	if (q && n > 0)
		memcpy(q, src, n);
}

void
wr_fill(struct wbuf *w, uint8_t v, size_t n)
{
	uint8_t *q = wb_reserve(w, n);

	if (q && n > 0)
		memset(q, v, n);
}

uint8_t *
wb_at(struct wbuf *w, size_t off)
{
	return off < w->len ? w->p + off : NULL;
}

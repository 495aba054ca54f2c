/* Unit tests for the bounded cursors (agent/util/buf.c). */
#include <stdint.h>

#include "harness.h"
#include "buf.h"

static void
test_read_le_be(void)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    13, 14, 15 };
	struct rbuf r;

	rb_init(&r, b, sizeof(b));
	CHECK_EQ(rd_u8(&r), 1);
	CHECK_EQ(rd_le16(&r), 0x0302);
	CHECK_EQ(rd_le24(&r), 0x060504);
	CHECK_EQ(rd_le32(&r), 0x0a090807);
	CHECK_EQ(rd_be16(&r), 0x0b0c);
	CHECK_EQ(rd_peek(&r), 13);
	CHECK_EQ(rd_left(&r), 3);
	CHECK(!r.err);
}

static void
test_sticky_error(void)
{
	static const uint8_t b[] = { 0xaa, 0xbb, 0xcc };
	uint8_t out[4] = { 1, 1, 1, 1 };
	struct rbuf r;

	rb_init(&r, b, sizeof(b));
	CHECK_EQ(rd_le32(&r), 0);	/* too short: 0, error set */
	CHECK(r.err);
	CHECK_EQ(rd_u8(&r), 0);		/* sticky: nothing more is read */
	CHECK_EQ(rd_left(&r), 0);
	CHECK(rd_ptr(&r, 0) == NULL);
	rd_bytes(&r, out, 4);
	CHECK_EQ(out[0] | out[1] | out[2] | out[3], 0);
	CHECK_EQ(rd_peek(&r), -1);
}

static void
test_exact_end(void)
{
	static const uint8_t b[] = { 1, 2 };
	struct rbuf r, sub;

	rb_init(&r, b, sizeof(b));
	CHECK_EQ(rd_le16(&r), 0x0201);
	CHECK(!r.err);
	CHECK_EQ(rd_left(&r), 0);
	rb_init(&r, b, sizeof(b));
	rd_sub(&r, 1, &sub);
	CHECK_EQ(rd_u8(&sub), 1);
	CHECK_EQ(rd_u8(&sub), 0);
	CHECK(sub.err);
	CHECK(!r.err);
	CHECK_EQ(rd_u8(&r), 2);
	rd_sub(&r, 5, &sub);
	CHECK(r.err && sub.err);
	/* huge lengths cannot wrap around */
	rb_init(&r, b, sizeof(b));
	rd_skip(&r, SIZE_MAX);
	CHECK(r.err);
	rb_init(&r, NULL, 100);
	CHECK_EQ(rd_left(&r), 0);
	(void)rd_u8(&r);
	CHECK(r.err);
}

static void
test_span(void)
{
	static const uint8_t b[] = { 'a', 'b', ' ', 'c', '\n' };
	struct rbuf r;

	rb_init(&r, b, sizeof(b));
	CHECK_EQ(rd_span(&r, ' '), 2);
	CHECK_EQ(rd_span(&r, '\n'), 4);
	CHECK_EQ(rd_span(&r, 'z'), 5);	/* none: all that is left */
	CHECK_EQ(rd_left(&r), 5);	/* nothing consumed */
	rd_skip(&r, 3);
	CHECK_EQ(rd_span(&r, ' '), 2);
	CHECK_EQ(rd_span(&r, 'c'), 0);
	rd_skip(&r, 2);
	CHECK_EQ(rd_span(&r, ' '), 0);	/* at the end */
	(void)rd_u8(&r);		/* past it: sticky error */
	CHECK(r.err);
	CHECK_EQ(rd_span(&r, ' '), 0);
}

static void
test_write(void)
{
	uint8_t b[8];
	struct wbuf w;

	wb_init(&w, b, sizeof(b));
	wr_u8(&w, 0x11);
	wr_le16(&w, 0x3322);
	wr_be16(&w, 0x4455);
	wr_fill(&w, 0xff, 2);
	CHECK(!w.err);
	CHECK_EQ(w.len, 7);
	CHECK_MEM(b, "\x11\x22\x33\x44\x55\xff\xff", 7);
	wr_le16(&w, 0x1234);		/* one byte of room: refused */
	CHECK(w.err);
	CHECK_EQ(w.len, 7);
	wr_u8(&w, 1);			/* sticky */
	CHECK_EQ(w.len, 7);
	CHECK(wb_at(&w, 6) == b + 6);
	CHECK(wb_at(&w, 7) == NULL);
	wb_init(&w, b, sizeof(b));
	wr_le32(&w, 0x04030201);
	wr_be32(&w, 0x05060708);
	CHECK_MEM(b, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	wr_bytes(&w, "x", 1);
	CHECK(w.err);
}

int
main(void)
{
	RUN(test_read_le_be);
	RUN(test_sticky_error);
	RUN(test_exact_end);
	RUN(test_span);
	RUN(test_write);
	return harness_end();
}

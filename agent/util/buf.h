/*
 * Bounded byte cursors.  Every byte of outside input is read through
 * struct rbuf; every packet we build is written through struct wbuf.
 * Both carry a sticky error flag: once a read runs past the end (or a
 * write past the capacity) every later call is a no-op returning 0, and
 * the caller checks ->err once at the end.  IPMI is little-endian; the
 * few big-endian fields (RMCP/ASF, IANA in ASF) say so in the name.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>
#include <stdint.h>

struct rbuf {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 err;
};

struct wbuf {
	uint8_t		*p;
	size_t		 cap;
	size_t		 len;
	int		 err;
};

void		 rb_init(struct rbuf *, const void *, size_t);
size_t		 rd_left(const struct rbuf *);
uint8_t		 rd_u8(struct rbuf *);
/* next byte without consuming it, -1 at the end */
int		 rd_peek(const struct rbuf *);
/* how many bytes come before the next byte c (all that are left if none
 * is c), without consuming any: a scan at memchr's speed */
size_t		 rd_span(const struct rbuf *, uint8_t c);
uint16_t	 rd_le16(struct rbuf *);
uint32_t	 rd_le24(struct rbuf *);
uint32_t	 rd_le32(struct rbuf *);
uint16_t	 rd_be16(struct rbuf *);
uint32_t	 rd_be32(struct rbuf *);
/* copy n bytes out; on short input dst is zeroed and err set */
void		 rd_bytes(struct rbuf *, void *, size_t);
/* borrow n bytes in place; NULL (and err set) if fewer remain */
const uint8_t	*rd_ptr(struct rbuf *, size_t);
void		 rd_skip(struct rbuf *, size_t);
/* a sub-cursor over the next n bytes, advancing the parent past them */
void		 rd_sub(struct rbuf *, size_t, struct rbuf *);

void		 wb_init(struct wbuf *, void *, size_t);
void		 wr_u8(struct wbuf *, uint8_t);
void		 wr_le16(struct wbuf *, uint16_t);
void		 wr_le32(struct wbuf *, uint32_t);
void		 wr_be16(struct wbuf *, uint16_t);
void		 wr_be32(struct wbuf *, uint32_t);
void		 wr_bytes(struct wbuf *, const void *, size_t);
void		 wr_fill(struct wbuf *, uint8_t, size_t);
/* pointer to byte at offset off already written, NULL if out of range */
uint8_t		*wb_at(struct wbuf *, size_t off);

#endif

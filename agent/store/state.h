/*
 * Persistent SEL reader state, one small text file per BMC, written
 * tmp + fsync + rename + fsync(dir) so it is always either the old or
 * the new version.  A CRC-32 line at the end detects a corrupt file.
 *
 * The state is a hint for speed, never the only record of what was
 * archived: it is written only after the archive lines it covers are
 * fsynced (see the design comment in bmc/selmon.c).
 */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>
#include <stdint.h>

#include "sel.h"

/* the BMC's identity as the caller names it: printable, no spaces */
#define STATE_IDENTITY_MAX	200

/* what the state was about to do to the SEL when it was saved */
#define STATE_PENDING_NONE	0
#define STATE_PENDING_CLEAR	1	/* Clear SEL may have been sent */
#define STATE_PENDING_DELETE	2	/* Delete SEL Entry may have been
					 * sent */

struct state_sel {
	/* whose SEL: "" unknown (a state written before identities) */
	char		identity[STATE_IDENTITY_MAX + 1];
	/* the SEL generation's tag, carried by its archive lines; 0: the
	 * lines written before generations (no tag) */
	uint32_t	gen;
	uint8_t		pending;	/* STATE_PENDING_* */
	/* the SEL as last seen (Get SEL Info) */
	uint32_t	last_add;
	uint32_t	last_erase;
	uint16_t	entries;
	/* last archived entry: record ID and raw bytes (its identity) */
	uint8_t		has_cursor;
	uint16_t	cursor_id;
	uint8_t		cursor_raw[SEL_RECORD_LEN];
	/* learnt about this BMC */
	uint8_t		seq_ids;	/* next ID was always ID + 1 */
	uint8_t		no_clear;	/* Clear SEL refused: archive only */
	uint8_t		wraps;		/* the SEL overwrites old entries */
	uint64_t	archived;	/* entries archived, in total */
	uint64_t	clears;		/* clears done by us */
};

/*
 * Load.  Returns 0, 1 if the file does not exist (st zeroed), -1 if it
 * cannot be read or is corrupt (st zeroed, reason in err).
 */
/* two states equal, field by field (a memcmp would read padding) */
int	state_sel_same(const struct state_sel *, const struct state_sel *);
int	state_load(const char *path, struct state_sel *, char *err,
	    size_t errlen);
/* Pure halves of load and save (tests, fuzzers): parse n bytes (0, or
 * -1 with the reason), format into buf (STATE_FILE_MAX is enough; the
 * length is returned). */
#define STATE_FILE_MAX	4096
int	state_parse(const char *, size_t n, struct state_sel *, char *err,
	    size_t errlen);
size_t	state_format(const struct state_sel *, char *buf, size_t len);
/* Save atomically.  0, or -1 with the reason in err. */
int	state_save(const char *path, const struct state_sel *, char *err,
	    size_t errlen);
/*
 * Acknowledged SEL entries: one identity (32 hex digits of the raw
 * record) per line, appended and fsynced.  At most STATE_ACKS_MAX are
 * loaded (the newest).
 */
#define STATE_ACKS_MAX	65536
/* 0 (an absent file is empty) or -1; *raws is malloc'ed, n entries */
int	state_acks_load(const char *path, uint8_t (**raws)[SEL_RECORD_LEN],
	    size_t *n, char *err, size_t errlen);
int	state_ack_append(const char *path, const uint8_t raw[SEL_RECORD_LEN],
	    char *err, size_t errlen);

/* An identity as the file keeps it, from s (NULL or "": unknown, ""):
 * characters that cannot stand in the file become '_', a longer name is
 * cut. */
void	state_identity_copy(char dst[STATE_IDENTITY_MAX + 1],
	    const char *s);
/* A fresh generation tag: random, never 0 nor old. */
uint32_t state_gen_new(uint32_t old);

/* CRC-32 (IEEE 802.3, as zlib) */
uint32_t state_crc32(const void *, size_t);

#endif

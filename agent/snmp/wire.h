/*
 * What bmcwatchd streams to its SNMP subagent (bmcwatch-snmp) after the
 * `watch` request on the control protocol: each streamed frame ("ok
 * LEN\n" + payload, ctl.h) carries one message in this line format.
 * The daemon maps its store onto MIB rows and columns (mibrows.h); the
 * subagent only files the rows under its tables and answers from them,
 * so it knows no IPMI and the daemon no net-snmp.
 *
 * A payload is lines ending in '\n', fields separated by one space:
 *
 *	T NAME			snapshot of target NAME: its rows below
 *				replace all it had
 *	R TAB SUB		a row of table TAB (WIRE_TAB_*), SUB: the
 *				row's index within its target (sensor key,
 *				SEL sequence, 0 for per-target tables)
 *	c COL TYPE VALUE	a cell of the row above
 *	X NAME			target NAME is gone
 *	W NAME			webhook NAME: its row (table 11, index 0)
 *				below replaces what it had
 *	Y NAME			webhook NAME is gone
 *	N NUM NAME		notification NUM (bmcwNotifications.NUM)
 *				about target NAME, varbinds below
 *	v TAB SUB COL TYPE VALUE  a varbind of it: column COL of row SUB
 *	N 0 NAME		an IPMI PET trap (snmp-pet-traps, asked for
 *				with "watch pet"): "v 5 SEQ 1 u NUM", its
 *				specific trap number, and "v 5 SEQ 2 s HEX",
 *				its variable binding (agent/ipmi/pet.h)
 *	G COL TYPE VALUE	a scalar of bmcwGeneral
 *
 * TYPE: i Integer32, u Unsigned32, g Gauge32, n Counter32, C Counter64
 * (decimal VALUE), s OCTET STRING (VALUE hex, "-" when empty), o OBJECT
 * IDENTIFIER (dotted, "0.0"), e Integer32 entPhysicalIndex of the key
 * VALUE under this target (the subagent knows the target's index), w
 * TimeStamp of the wall-clock time VALUE (ms since 1970; the subagent
 * converts to its own sysUpTime).  NAME is a target name as the
 * configuration allows ([A-Za-z0-9._-], 1..64).
 *
 * wire_parse() is the subagent's parser of this outside input: pure,
 * bounded (WIRE_*_MAX), fuzzed (tests/fuzz/fuzz_wire.c).
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WIRE_NAME_MAX	64
#define WIRE_STR_MAX	1024	/* bytes of one string value */
#define WIRE_OID_MAX	32	/* sub-identifiers of an OID value */
#define WIRE_COLS_MAX	48	/* cells of one row, varbinds of one
				 * notification */
#define WIRE_ROWS_MAX	65536	/* rows of one snapshot */
#define WIRE_MSG_MAX	(8u * 1024 * 1024)	/* bytes of one payload */

/* the tables (numbered as their arc under the objects or the MIB) */
#define WIRE_TAB_TARGET		2u	/* bmcwTargetTable */
#define WIRE_TAB_SENSOR		3u	/* bmcwSensorTable */
#define WIRE_TAB_SEL_INFO	4u	/* bmcwSelInfoTable */
#define WIRE_TAB_SEL_ENTRY	5u	/* bmcwSelEntryTable */
#define WIRE_TAB_SEL_PROBLEM	6u	/* bmcwSelProblemTable */
#define WIRE_TAB_CHASSIS	7u	/* bmcwChassisTable */
#define WIRE_TAB_WATCHDOG	8u	/* bmcwWatchdogTable */
#define WIRE_TAB_CONTROL	9u	/* bmcwControlTable: the daemon sends
					 * bmcwControlAllowed, the subagent
					 * keeps the rest */
#define WIRE_TAB_CONSOLE	10u	/* bmcwConsoleTable */
#define WIRE_TAB_WEBHOOK	11u	/* bmcwWebhookTable (in a W
					 * message) */
#define WIRE_TAB_ENT		47u	/* ENTITY-MIB entPhysicalTable */
#define WIRE_TAB_ENT_SENSOR	99u	/* entPhySensorTable */
/* the N 0 message: a PET trap of SEL entry SEQ (wire.h's header) */
#define WIRE_NOTIFY_PET		0u
#define WIRE_PET_SPECIFIC	1u	/* its columns */
#define WIRE_PET_VARBIND	2u
/* 1 if t is one of the above */
int		 wire_tab_ok(unsigned t);

enum wire_type {
	WIRE_INT = 'i',
	WIRE_UNSIGNED = 'u',
	WIRE_GAUGE = 'g',
	WIRE_COUNTER = 'n',
	WIRE_COUNTER64 = 'C',
	WIRE_STRING = 's',
	WIRE_OID = 'o',
	WIRE_ENT = 'e',
	WIRE_WALL = 'w'
};

/* a value as the parser hands it out: a varbind, a scalar, or a cell
 * of a row read with wire_row_col / wire_row_val */
struct wire_val {
	uint8_t		 col;
	char		 type;		/* enum wire_type */
	int64_t		 i;		/* i e w (e: the key) */
	uint64_t	 u;		/* u g n C */
	const uint8_t	*s;		/* s (NULL: empty; NUL-terminated) */
	size_t		 slen;
	const uint32_t	*oid;		/* o */
	size_t		 oidlen;
};

/*
 * A row keeps its cells in one allocation (struct wire_cells, wire.c):
 * the columns and types, shared with the other rows of the message that
 * have the same (struct wire_shape: a sensor row's 37 columns are
 * written once a snapshot), then a 32-bit value per cell, then what the
 * wider values point at (Counter64, wall-clock times, OIDs, strings with
 * their length and NUL).  A subagent at 100 targets keeps ~830,000
 * cells: the 56-byte struct wire_val each, and a malloc per string and
 * per OID, were most of its 144 MiB.
 */
struct wire_cells;

struct wire_row {
	unsigned	 tab;
	uint32_t	 sub;
	/* nv cells sorted by column, no duplicates: the row's one
	 * allocation (wire_row_free), NULL when nv is 0 */
	struct wire_cells *v;
	size_t		 nv;
};

enum wire_kind {
	WIRE_SNAPSHOT,	/* T */
	WIRE_GONE,	/* X */
	WIRE_NOTIFY,	/* N */
	WIRE_GENERAL,	/* G only */
	WIRE_WEBHOOK,	/* W */
	WIRE_WEBHOOK_GONE	/* Y */
};

/* a notification varbind: a column of a row */
struct wire_vb {
	unsigned	 tab;
	uint32_t	 sub;
	struct wire_val	 v;
};

struct wire_msg {
	enum wire_kind	 kind;
	char		 name[WIRE_NAME_MAX + 1];
	unsigned	 notify;	/* N */
	struct wire_row	*rows;		/* T */
	size_t		 nrows;
	struct wire_vb	*vbs;		/* N */
	size_t		 nvbs;
	struct wire_val	*gen;		/* G lines (any message) */
	size_t		 ngen;
};

/*
 * Parse one payload (len bytes, not NUL-terminated) into m (owned by
 * the caller; wire_msg_free).  0, or -1 with "line N: what" in err (m is
 * then empty).
 */
int		 wire_parse(const char *p, size_t len, struct wire_msg *m,
		    char *err, size_t errlen);
void		 wire_msg_free(struct wire_msg *);
/* what a parsed varbind or scalar holds (its string, its OID); the
 * value stays */
void		 wire_val_free(struct wire_val *);
/* what a row holds (its cells); the row stays, empty */
void		 wire_row_free(struct wire_row *);
/* the value of column col in row r in *out (pointing into r: valid
 * while r is), returning out; NULL if r has no such column (binary
 * search) */
const struct wire_val *wire_row_col(const struct wire_row *, unsigned col,
		    struct wire_val *out);
/* the value of r's cell k (k < r->nv) in *out, as wire_row_col */
const struct wire_val *wire_row_val(const struct wire_row *, size_t k,
		    struct wire_val *out);

/*
 * Writers (the daemon side): one line "PFX COL TYPE VALUE", PFX being
 * "c" (a cell), "G" (a scalar) or "v TAB SUB" (a varbind).
 */
void		 wire_put_str(FILE *, const char *pfx, unsigned col,
		    const char *);
void		 wire_put_bytes(FILE *, const char *pfx, unsigned col,
		    const uint8_t *, size_t);
void		 wire_put_num(FILE *, const char *pfx, unsigned col, char type,
		    int64_t);
void		 wire_put_u64(FILE *, const char *pfx, unsigned col, char type,
		    uint64_t);

#endif

/*
 * A small SNMP client (GETNEXT over table columns) for the check
 * plugins' remote mode (plugins/psrc_snmp.c): the only Net-SNMP client
 * code, and the only net-snmp include besides the subagent's, lives in
 * snmpget.c; this header has no net-snmp type.  v2c with a community,
 * or v3 USM with auth (and priv); every request bounded by a per-try
 * timeout and a retry count, every walk by a row cap.  Errors name the
 * host and the OID.
 */
#ifndef SNMPGET_H
#define SNMPGET_H

#include <stddef.h>
#include <stdint.h>

#define SNMPGET_OID_MAX		64
#define SNMPGET_ROWS_MAX	100000

enum snmpget_auth {
	SNMPGET_AUTH_NONE,
	SNMPGET_AUTH_MD5,
	SNMPGET_AUTH_SHA,
	SNMPGET_AUTH_SHA256,
	SNMPGET_AUTH_SHA512
};

enum snmpget_priv {
	SNMPGET_PRIV_NONE,
	SNMPGET_PRIV_DES,
	SNMPGET_PRIV_AES
};

struct snmpget_cfg {
	const char	*host;
	unsigned	 port;		/* 0: 161 */
	int		 version;	/* 2 (v2c) or 3 */
	const char	*community;	/* v2c */
	const char	*user;		/* v3 */
	enum snmpget_auth auth;
	const char	*authpass;
	enum snmpget_priv priv;
	const char	*privpass;
	unsigned	 timeout_ms;	/* per try */
	unsigned	 retries;
};

enum snmpget_type {
	SNMPGET_INT,		/* INTEGER, Integer32: i */
	SNMPGET_UNSIGNED,	/* Counter32, Gauge32, TimeTicks, Counter64: u */
	SNMPGET_STR,		/* OCTET STRING (also BITS): s, len */
	SNMPGET_OTHER		/* anything else: nothing */
};

struct snmpget_val {
	enum snmpget_type	 type;
	int64_t			 i;
	uint64_t		 u;
	const unsigned char	*s;
	size_t			 len;
};

/* one cell of a walk: column col of the row whose index (after the
 * prefix asked for) is idx[0..idxlen); 0 to go on, -1 to stop */
typedef int (*snmpget_cell_fn)(void *arg, unsigned col, const uint32_t *idx,
    size_t idxlen, const struct snmpget_val *);

struct snmpget;

/* a session (nothing sent yet for v2c; v3 discovers the engine ID):
 * NULL with the reason in err */
struct snmpget	*snmpget_open(const struct snmpget_cfg *, char *err,
		    size_t errlen);
/*
 * Walk the columns cols[0..ncols) of the table entry (entry OID
 * entry[0..entrylen)), only rows whose index starts with
 * prefix[0..prefixlen), all columns in one GETNEXT per row.  0 when
 * every column ran out, -1 with the reason in err ("HOST: no answer
 * to GETNEXT OID ...", an error status, a non-increasing OID, too many
 * rows, the callback's stop).
 */
int		 snmpget_walk(struct snmpget *, const uint32_t *entry,
		    size_t entrylen, const unsigned *cols, size_t ncols,
		    const uint32_t *prefix, size_t prefixlen,
		    snmpget_cell_fn, void *arg, char *err, size_t errlen);
/* free the session, wipe the keys; NULL is fine */
void		 snmpget_close(struct snmpget *);

#endif

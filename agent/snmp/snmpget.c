/*
 * The check plugins' SNMP client (snmpget.h): Net-SNMP's single-session
 * API, no configuration or persistent files read or written, no MIB
 * loaded, nothing logged (every failure comes back as text naming the
 * host and the OID).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "snmpget.h"

struct snmpget {
	void		*sess;		/* snmp_sess_open's handle */
	char		 peer[300];	/* "host:port" for messages */
};

static int snmpget_inited;
static int snmpget_open_count;	/* the library is shut down with the last */

static void
snmpget_init(void)
{
	if (snmpget_inited)
		return;
	snmpget_inited = 1;
	/* a plugin must not read /etc/snmp, ~/.snmp or /var/lib/snmp, nor
	 * write there, nor load MIB files, nor print anything */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	(void)setenv("MIBS", "", 1);
	(void)setenv("MIBDIRS", "/nonexistent", 1);
	snmp_disable_log();
	init_snmp("check_bmc");
}

static void
snmpget_shutdown(void)
{
	if (!snmpget_inited)
		return;
	snmp_shutdown("check_bmc");
	snmpget_inited = 0;
}

static void
snmpget_oidstr(const oid *o, size_t n, char *out, size_t len)
{
	size_t i, off = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < n && off < len; i++) {
		w = snprintf(out + off, len - off, ".%lu", (unsigned long)o[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* the session's last error in words */
static const char *
snmpget_sesserr(void *sess, char *buf, size_t len)
{
	char *msg = NULL;
	int cerr = 0, serr = 0;

	snmp_sess_error(sess, &cerr, &serr, &msg);
	(void)snprintf(buf, len, "%s", msg != NULL ? msg : "unknown error");
	free(msg);
	return buf;
}

static int
snmpget_timedout(void *sess)
{
	char *msg = NULL;
	int cerr = 0, serr = 0;

	snmp_sess_error(sess, &cerr, &serr, &msg);
	free(msg);
	return serr == SNMPERR_TIMEOUT;
}

static int
snmpget_key(const oid *proto, size_t plen, const char *pass, u_char *key,
    size_t *keylen, const char *what, char *err, size_t errlen)
{
	if (pass == NULL || strlen(pass) < 8) {
		(void)snprintf(err, errlen, "SNMPv3 %s passphrase: at least "
		    "8 characters needed", what);
		return -1;
	}
	if (generate_Ku(proto, (u_int)plen, (const u_char *)pass,
	    strlen(pass), key, keylen) != SNMPERR_SUCCESS) {
		(void)snprintf(err, errlen, "SNMPv3 %s key: cannot derive it "
		    "from the passphrase", what);
		return -1;
	}
	return 0;
}

struct snmpget *
snmpget_open(const struct snmpget_cfg *c, char *err, size_t errlen)
{
	netsnmp_session s;
	struct snmpget *g;
	char peer[300], why[256];
	const oid *ap = NULL, *pp = NULL;
	size_t apl = 0, ppl = 0;

	snmpget_init();
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return NULL;
	}
	(void)snprintf(g->peer, sizeof(g->peer), "%s:%u", c->host,
	    c->port ? c->port : 161);
	if (snprintf(peer, sizeof(peer), "udp:%s:%u", c->host, c->port ?
	    c->port : 161) >= (int)sizeof(peer)) {
		(void)snprintf(err, errlen, "%s: host name too long", c->host);
		free(g);
		return NULL;
	}
	snmp_sess_init(&s);
	s.peername = peer;
	s.timeout = (long)c->timeout_ms * 1000;
	s.retries = (int)c->retries;
	if (c->version == 2) {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)(uintptr_t)c->community;
		s.community_len = strlen(c->community);
	} else {
		s.version = SNMP_VERSION_3;
		s.securityName = (char *)(uintptr_t)c->user;
		s.securityNameLen = strlen(c->user);
		switch (c->auth) {
		case SNMPGET_AUTH_MD5:
			ap = usmHMACMD5AuthProtocol;
			apl = OID_LENGTH(usmHMACMD5AuthProtocol);
			break;
		case SNMPGET_AUTH_SHA:
			ap = usmHMACSHA1AuthProtocol;
			apl = OID_LENGTH(usmHMACSHA1AuthProtocol);
			break;
		case SNMPGET_AUTH_SHA256:
			ap = usmHMAC192SHA256AuthProtocol;
			apl = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
			break;
		case SNMPGET_AUTH_SHA512:
			ap = usmHMAC384SHA512AuthProtocol;
			apl = OID_LENGTH(usmHMAC384SHA512AuthProtocol);
			break;
		default:
			break;
		}
		switch (c->priv) {
		case SNMPGET_PRIV_DES:
			pp = usmDESPrivProtocol;
			ppl = OID_LENGTH(usmDESPrivProtocol);
			break;
		case SNMPGET_PRIV_AES:
			pp = usmAESPrivProtocol;
			ppl = OID_LENGTH(usmAESPrivProtocol);
			break;
		default:
			break;
		}
		s.securityLevel = ap == NULL ? SNMP_SEC_LEVEL_NOAUTH :
		    pp == NULL ? SNMP_SEC_LEVEL_AUTHNOPRIV :
		    SNMP_SEC_LEVEL_AUTHPRIV;
		if (ap != NULL) {
			s.securityAuthProto = snmp_duplicate_objid(ap, apl);
			s.securityAuthProtoLen = apl;
			s.securityAuthKeyLen = USM_AUTH_KU_LEN;
			if (snmpget_key(ap, apl, c->authpass,
			    s.securityAuthKey, &s.securityAuthKeyLen, "auth",
			    err, errlen) != 0)
				goto fail;
		}
		if (pp != NULL) {
			s.securityPrivProto = snmp_duplicate_objid(pp, ppl);
			s.securityPrivProtoLen = ppl;
			s.securityPrivKeyLen = USM_PRIV_KU_LEN;
			if (snmpget_key(ap, apl, c->privpass,
			    s.securityPrivKey, &s.securityPrivKeyLen, "priv",
			    err, errlen) != 0)
				goto fail;
		}
	}
	g->sess = snmp_sess_open(&s);
	if (g->sess == NULL) {
		snmp_error(&s, NULL, NULL, NULL);
		(void)snprintf(why, sizeof(why), "%s", snmp_api_errstring(
		    s.s_snmp_errno));
		(void)snprintf(err, errlen, "%s: SNMP session: %s%s", g->peer,
		    why, c->version == 3 ? " (SNMPv3 engine discovery: no "
		    "answer, or the user is unknown)" : "");
		goto fail;
	}
	free(s.securityAuthProto);
	free(s.securityPrivProto);
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	snmpget_open_count++;
	return g;
fail:
	free(s.securityAuthProto);
	free(s.securityPrivProto);
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	free(g);
	if (snmpget_open_count == 0)
		snmpget_shutdown();
	return NULL;
}

static void
snmpget_val(const netsnmp_variable_list *v, struct snmpget_val *out)
{
	memset(out, 0, sizeof(*out));
	switch (v->type) {
	case ASN_INTEGER:
		out->type = SNMPGET_INT;
		out->i = *v->val.integer;
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		out->type = SNMPGET_UNSIGNED;
		out->u = (uint32_t)*v->val.integer;
		break;
	case ASN_COUNTER64:
		out->type = SNMPGET_UNSIGNED;
		out->u = ((uint64_t)(uint32_t)v->val.counter64->high << 32) |
		    (uint32_t)v->val.counter64->low;
		break;
	case ASN_OCTET_STR:
	case ASN_BIT_STR:
	case ASN_IPADDRESS:
	case ASN_OPAQUE:
		out->type = SNMPGET_STR;
		out->s = v->val.string;
		out->len = v->val_len;
		break;
	default:
		out->type = SNMPGET_OTHER;
		break;
	}
}

/* one GETNEXT for the columns still live (cur, curlen): the answer, or
 * NULL with the reason in err; os names the first OID asked for */
static netsnmp_pdu *
snmpget_getnext(struct snmpget *g, oid cur[][SNMPGET_OID_MAX],
    const size_t *curlen, const int *live, size_t ncols, char *os,
    size_t oslen, char *err, size_t errlen)
{
	netsnmp_pdu *pdu, *rsp = NULL;
	size_t i, first = 0;
	char why[256];
	int st;

	pdu = snmp_pdu_create(SNMP_MSG_GETNEXT);
	for (i = 0; i < ncols; i++)
		if (live[i]) {
			if (first == 0)
				first = i + 1;
			snmp_add_null_var(pdu, cur[i], curlen[i]);
		}
	snmpget_oidstr(cur[first - 1], curlen[first - 1], os, oslen);
	st = snmp_sess_synch_response(g->sess, pdu, &rsp);
	/* v3 reports a silent peer as an error "Timeout" */
	if (st == STAT_ERROR && snmpget_timedout(g->sess))
		st = STAT_TIMEOUT;
	if (st == STAT_TIMEOUT)
		(void)snprintf(err, errlen, "%s: no answer to GETNEXT %s (wrong "
		    "community or credentials, or no SNMP agent there)",
		    g->peer, os);
	else if (st != STAT_SUCCESS || rsp == NULL)
		(void)snprintf(err, errlen, "%s: GETNEXT %s: %s", g->peer, os,
		    snmpget_sesserr(g->sess, why, sizeof(why)));
	else if (rsp->errstat != SNMP_ERR_NOERROR)
		(void)snprintf(err, errlen, "%s: GETNEXT %s: the agent answered "
		    "%s", g->peer, os, snmp_errstring((int)rsp->errstat));
	else
		return rsp;
	if (rsp != NULL)
		snmp_free_pdu(rsp);
	return NULL;
}

/* one column's step: v, the answer to its GETNEXT from cur (curlen);
 * the first plen sub-identifiers of cur are the column and the prefix
 * walked.  1: out of them (the column is done); 0: cur moved to v and
 * the cell given to fn; -1: an error in err */
static int
snmpget_step(const struct snmpget *g, oid *cur, size_t *curlen,
    size_t plen, const netsnmp_variable_list *v, unsigned col,
    snmpget_cell_fn fn, void *arg, char *err, size_t errlen)
{
	struct snmpget_val val;
	uint32_t idx[SNMPGET_OID_MAX];
	char os[SNMPGET_OID_MAX * 11];
	size_t k;

	if (v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
	    v->type == SNMP_NOSUCHINSTANCE || v->name_length <= plen ||
	    v->name_length > SNMPGET_OID_MAX ||
	    snmp_oidtree_compare(cur, plen, v->name, v->name_length) != 0)
		return 1;
	snmpget_oidstr(v->name, v->name_length, os, sizeof(os));
	if (snmp_oid_compare(v->name, v->name_length, cur, *curlen) <= 0) {
		(void)snprintf(err, errlen, "%s: GETNEXT answered %s, not "
		    "after the OID asked for", g->peer, os);
		return -1;
	}
	memcpy(cur, v->name, v->name_length * sizeof(oid));
	*curlen = v->name_length;
	for (k = plen; k < *curlen; k++)
		idx[k - plen] = (uint32_t)cur[k];
	snmpget_val(v, &val);
	if (fn(arg, col, idx, *curlen - plen, &val) != 0) {
		(void)snprintf(err, errlen, "%s: %s: a value out of the MIB's "
		    "range", g->peer, os);
		return -1;
	}
	return 0;
}

int
snmpget_walk(struct snmpget *g, const uint32_t *entry, size_t entrylen,
    const unsigned *cols, size_t ncols, const uint32_t *prefix,
    size_t prefixlen, snmpget_cell_fn fn, void *arg, char *err,
    size_t errlen)
{
	oid cur[SNMPGET_OID_MAX][SNMPGET_OID_MAX];
	size_t curlen[SNMPGET_OID_MAX], base = entrylen + 1, i, k, rows = 0;
	int live[SNMPGET_OID_MAX], nlive = (int)ncols, st;
	char os[SNMPGET_OID_MAX * 11];

	if (ncols == 0 || ncols > SNMPGET_OID_MAX ||
	    base + prefixlen > SNMPGET_OID_MAX) {
		(void)snprintf(err, errlen, "%s: walk: bad request", g->peer);
		return -1;
	}
	for (i = 0; i < ncols; i++) {
		for (k = 0; k < entrylen; k++)
			cur[i][k] = entry[k];
		cur[i][entrylen] = cols[i];
		for (k = 0; k < prefixlen; k++)
			cur[i][base + k] = prefix[k];
		curlen[i] = base + prefixlen;
		live[i] = 1;
	}
	while (nlive > 0) {
		netsnmp_pdu *rsp;
		netsnmp_variable_list *v;

		if (++rows > SNMPGET_ROWS_MAX) {
			(void)snprintf(err, errlen, "%s: more than %d rows "
			    "under column %u", g->peer, SNMPGET_ROWS_MAX,
			    cols[0]);
			return -1;
		}
		rsp = snmpget_getnext(g, cur, curlen, live, ncols, os,
		    sizeof(os), err, errlen);
		if (rsp == NULL)
			return -1;
		v = rsp->variables;
		for (i = 0; i < ncols; i++) {
			if (!live[i])
				continue;
			if (v == NULL) {
				(void)snprintf(err, errlen, "%s: GETNEXT %s: "
				    "fewer values than asked for", g->peer, os);
				snmp_free_pdu(rsp);
				return -1;
			}
			st = snmpget_step(g, cur[i], &curlen[i],
			    base + prefixlen, v, cols[i], fn, arg, err,
			    errlen);
			if (st < 0) {
				snmp_free_pdu(rsp);
				return -1;
			}
			if (st > 0) {
				live[i] = 0;
				nlive--;
			}
			v = v->next_variable;
		}
		snmp_free_pdu(rsp);
	}
	return 0;
}

void
snmpget_close(struct snmpget *g)
{
	if (g == NULL)
		return;
	if (g->sess != NULL)
		(void)snmp_sess_close(g->sess);
	free(g);
	if (--snmpget_open_count == 0)
		snmpget_shutdown();
}

/*
 * Fuzz the subagent's SET path for bmcwControlTable
 * (agent/snmp/subagent.c: sa_control_set and what it calls:
 * sa_set_check, sa_set_allowed, sa_set_prepare, sa_set_commit,
 * sa_set_release, sa_refuse) with varbinds of any type, value, column
 * and target index, against a target whose control state (allowed
 * actions, reachability, lock) the input also chooses.  The phases run
 * as net-snmp's agent runs them: RESERVE1, RESERVE2, ACTION, COMMIT, or
 * FREE / UNDO after the first error.  Values are made by net-snmp's own
 * snmp_set_var_typed_value, so they have the shapes its decoder gives
 * (an INTEGER holds a long).  The control socket is a path nobody
 * listens on: an accepted action fails to connect, as with a daemon
 * gone.  What must hold: no crash or leak, an accepted value is within
 * its column's range, an error comes with a reason, the lock only moves
 * by one on a committed SET, nothing is left pending.
 *
 * Input: byte 0 flags (1: a control row, 2: a target row, 4: reachable,
 * 8: a control socket path, 16: that path too long), byte 1 the allowed
 * bits (bmcwControlAllowed's first octet), bytes 2-5 the current lock
 * (little-endian), then up to 8 varbinds: column, target index, ASN
 * type, length, that many value bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* the subagent's program, included on purpose (the NOLINT), its main
 * renamed and its log kept quiet */
#define main		fuzz_snmpset_prog_main
#define log_target	fuzz_log_target
#define log_warnx	fuzz_log_warnx
int	fuzz_snmpset_prog_main(int, char **);
void	fuzz_log_target(int, const char *, const char *, const char *, ...);
void	fuzz_log_warnx(const char *, const char *, ...);
#include "../../agent/snmp/subagent.c" /* NOLINT(bugprone-suspicious-include) */
#undef main

#define FZ_VBS_MAX	8

static char fz_msg[1024];	/* the last message, formatted */

void
fuzz_log_target(int pri, const char *target, const char *sub,
    const char *fmt, ...)
{
	va_list ap;

	(void)pri;
	(void)target;
	(void)sub;
	va_start(ap, fmt);
	(void)vsnprintf(fz_msg, sizeof(fz_msg), fmt, ap);
	va_end(ap);
}

void
fuzz_log_warnx(const char *sub, const char *fmt, ...)
{
	va_list ap;

	(void)sub;
	va_start(ap, fmt);
	(void)vsnprintf(fz_msg, sizeof(fz_msg), fmt, ap);
	va_end(ap);
}

struct fz_vb {
	netsnmp_request_info		 req;
	netsnmp_variable_list		*vb;
	netsnmp_table_request_info	 ti;
	netsnmp_variable_list		 index;
	long				 tidx;
	netsnmp_data_list		 dl;
};

/* a one-cell row of t (no tdata row: the SET path reads only cells),
 * made as the subagent's rows are: parsed */
static struct sa_row *
fz_row(struct sa_target *t, unsigned tab, unsigned col, char type,
    uint8_t byte, int64_t i)
{
	struct sa_row *r = xcalloc(1, sizeof(*r));
	struct wire_msg m;
	char msg[128], err[128];
	int n;

	if (type == WIRE_STRING)
		n = snprintf(msg, sizeof(msg), "T a\nR %u 0\nc %u s %02x\n",
		    tab, col, byte);
	else
		n = snprintf(msg, sizeof(msg), "T a\nR %u 0\nc %u %c %lld\n",
		    tab, col, type, (long long)i);
	fuzz_must(n > 0 && (size_t)n < sizeof(msg));
	fuzz_must(wire_parse(msg, (size_t)n, &m, err, sizeof(err)) == 0);
	fuzz_must(m.nrows == 1);
	r->tgt = t;
	r->tab = tab;
	r->w = m.rows[0];	/* the cells move */
	m.rows[0].v = NULL;
	m.rows[0].nv = 0;
	wire_msg_free(&m);
	return r;
}

/* one phase over every request; 1 if any of them failed */
static int
fz_phase(netsnmp_agent_request_info *ri, netsnmp_request_info *reqs,
    int mode)
{
	netsnmp_request_info *q;
	int failed = 0;

	ri->mode = mode;
	(void)sa_control_set(ri, reqs);
	for (q = reqs; q != NULL; q = q->next)
		if (q->status != SNMP_ERR_NOERROR) {
			failed = 1;
			fuzz_must(fz_msg[0] != '\0');
		}
	return failed;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char longpath[200];
	static int fz_init;
	struct sa_target t;
	struct fz_vb v[FZ_VBS_MAX];
	netsnmp_agent_request_info ri;
	netsnmp_request_info *reqs = NULL, **tail = &reqs;
	oid name[MAX_OID_LEN];
	size_t n = 0, pos = 6, i, len;
	uint8_t flags, type;
	long lock0, val;
	int failed, ok;

	/*
	 * net-snmp's own log: to nowhere (it names every type it cannot
	 * make).  With every handler disabled it writes to stderr after
	 * all (1.3 messages, 45 bytes, 2.3 write calls an input: 450 MB
	 * of log a 10 M run); a handler of type NONE takes them.
	 */
	if (!fz_init) {
		snmp_disable_log();
		(void)netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE,
		    LOG_DEBUG);
		fz_init = 1;
	}
	if (size < pos)
		return 0;
	flags = data[0];
	memset(&t, 0, sizeof(t));
	(void)snprintf(t.name, sizeof(t.name), "a");
	t.tidx = 1;
	t.ctl.fd = -1;
	t.ctl.pend_fd = -1;
	t.ctl.lock = (long)((uint32_t)data[2] | (uint32_t)data[3] << 8 |
	    (uint32_t)data[4] << 16 | (uint32_t)(data[5] & 0x7f) << 24);
	lock0 = t.ctl.lock;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	t.rows = xcalloc(2, sizeof(*t.rows));
	if (flags & 2)		/* sorted by table: target (2), control (9) */
		t.rows[t.nrows++] = fz_row(&t, WIRE_TAB_TARGET,
		    BMCW_TARGET_REACHABLE, WIRE_INT, 0, (flags & 4) ? 1 : 2);
	if (flags & 1)
		t.rows[t.nrows++] = fz_row(&t, WIRE_TAB_CONTROL,
		    BMCW_CONTROL_ALLOWED, WIRE_STRING, data[1], 0);
	sa.targets = &t;
	if (longpath[0] == '\0')
		memset(longpath, 'x', sizeof(longpath) - 1);
	sa.ctl_path = !(flags & 8) ? NULL : (flags & 16) ? longpath :
	    "/nonexistent/bmcwatch-fuzz.sock";

	memset(v, 0, sizeof(v));
	while (n < FZ_VBS_MAX && size - pos >= 4) {
		struct fz_vb *f = &v[n];
		static const oid base[] = { BMCW_CONTROL_TABLE_OID, 1 };

		type = data[pos + 2];
		len = data[pos + 3];
		if (len > size - pos - 4)
			len = size - pos - 4;
		memcpy(name, base, sizeof(base));
		name[OID_LENGTH(base)] = data[pos];
		name[OID_LENGTH(base) + 1] = data[pos + 1];
		f->vb = SNMP_MALLOC_TYPEDEF(netsnmp_variable_list);
		(void)snmp_set_var_objid(f->vb, name, OID_LENGTH(base) + 2);
		/* what net-snmp cannot make is no input */
		if (snmp_set_var_typed_value(f->vb, type, data + pos + 4,
		    len) != 0) {
			snmp_free_var(f->vb);
			f->vb = NULL;
			pos += 4 + len;
			continue;
		}
		f->tidx = data[pos + 1];
		f->index.type = ASN_UNSIGNED;
		f->index.val.integer = &f->tidx;
		f->index.val_len = sizeof(f->tidx);
		f->ti.colnum = data[pos];
		f->ti.number_indexes = 1;
		f->ti.indexes = &f->index;
		f->dl.name = (char *)(uintptr_t)TABLE_HANDLER_NAME;
		f->dl.data = &f->ti;
		f->req.requestvb = f->vb;
		f->req.parent_data = &f->dl;
		*tail = &f->req;
		tail = &f->req.next;
		n++;
		pos += 4 + len;
	}

	memset(&ri, 0, sizeof(ri));
	fz_msg[0] = '\0';
	failed = fz_phase(&ri, reqs, MODE_SET_RESERVE1);
	if (!failed)
		failed = fz_phase(&ri, reqs, MODE_SET_RESERVE2);
	if (failed)
		(void)fz_phase(&ri, reqs, MODE_SET_FREE);
	else if (fz_phase(&ri, reqs, MODE_SET_ACTION)) {
		failed = 1;
		(void)fz_phase(&ri, reqs, MODE_SET_UNDO);
	} else
		(void)fz_phase(&ri, reqs, MODE_SET_COMMIT);

	/* what was accepted is a value its column takes */
	ok = !failed && reqs != NULL;
	for (i = 0; ok && i < n; i++) {
		if (v[i].vb == NULL)
			continue;
		fuzz_must(v[i].vb->type == ASN_INTEGER);
		val = *v[i].vb->val.integer;
		switch (v[i].ti.colnum) {
		case BMCW_CONTROL_LOCK:
			fuzz_must(val == lock0);
			break;
		case BMCW_CONTROL_POWER:
			fuzz_must(val >= BMCW_POWER_ACTION_POWER_OFF &&
			    val <= BMCW_POWER_ACTION_SOFT_OFF);
			break;
		case BMCW_CONTROL_IDENTIFY:
			fuzz_must(val >= -1 && val <= 255);
			break;
		case BMCW_CONTROL_SEL_CLEAR:
			fuzz_must(val == BMCW_CONTROL_SEL_CLEAR_CLEAR);
			break;
		default:
			abort();
		}
	}
	fuzz_must(t.ctl.lock == lock0 || (ok && t.ctl.lock ==
	    (lock0 >= SA_LOCK_MAX ? 0 : lock0 + 1)));
	fuzz_must(t.ctl.pend_fd == -1 && t.ctl.fd == -1);

	for (i = 0; i < n; i++)
		snmp_free_var(v[i].vb);
	sa_rows_clear(&t);
	sa.targets = NULL;
	sa.ctl_path = NULL;
	return 0;
}

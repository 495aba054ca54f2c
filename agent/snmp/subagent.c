/*
 * bmcwatch-snmp: bmcwatchd's AgentX subagent (bmcwatch-snmp.8).  The
 * only program in the tree that includes net-snmp.
 *
 * bmcwatchd starts it with one end of a socketpair (-s FD) and
 * supervises it.  It asks for the `watch` stream (ctl.h) and files what
 * comes (wire.h: MIB rows per target, notifications) under net-snmp
 * tdata tables; handlers answer from those rows only, never from a BMC,
 * and notifications go out through snmpd's trap sinks.
 *
 * Why a process of its own: net-snmp's AgentX ping and reconnect are
 * synchronous and block for seconds while snmpd hangs (snmp-notes.md
 * 3.7).  Here that blocks only this process; the daemon keeps polling,
 * kicking the watchdog and answering its socket, and coalesces what it
 * streams to us meanwhile (only the newest snapshot of each target).
 *
 * Target indexes (bmcwTargetIndex) are allocated per target name and
 * kept in a file (-i FILE, mibs/README.md "Indexes"), so a name keeps
 * its index across restarts, reloads and reordering.
 */
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_sysORTable.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "ctl.h"
#include "fileio.h"
#include "log.h"
#include "xmem.h"
#include "snmp/oids.h"
#include "snmp/wire.h"

#define SA_NAME		"bmcwatch-snmp"
/* AgentX ping: back within 5 s of snmpd's return (measured 1.4 s) */
#define SA_PING_S	2
#define SA_IN_MAX	(WIRE_MSG_MAX + 64)
#define SA_INDEX_MAX	(64u * 1024)	/* bytes of the index file */
#define SA_SEL_WINDOW_S	60
#define SA_LOCK_MAX	2147483647L	/* bmcwControlLock, TestAndIncr */
/* IPMI PET v1.0's enterprise (agent/ipmi/pet.h): wired for management */
#define SA_PET_ENTERPRISE_OID	1, 3, 6, 1, 4, 1, 3183, 1, 1

#ifndef BMCWATCH_VERSION
#define BMCWATCH_VERSION "0.1"
#endif

struct sa_target;

/*
 * bmcwControlTable's state of a target, kept here (the daemon sends only
 * bmcwControlAllowed): the TestAndIncr lock, the actions accepted and
 * their outcome.  An accepted action is a request on a connection of its
 * own to the daemon's control socket (-S), as `bmcwatch -S` sends it;
 * the answer, when it comes, is the result.  Nothing here waits for it.
 */
#define SA_ACT_IN_MAX	4096
struct sa_ctl {
	long		 lock;		/* 0..2147483647 */
	long		 power;		/* the last accepted, BmcwPowerAction */
	long		 identify;	/* the last accepted */
	char		 action[65];
	uint32_t	 action_time;
	char		 result[256];
	uint32_t	 requests, refused, failures;
	int		 fd;		/* the action's connection, -1 */
	char		 in[SA_ACT_IN_MAX];
	size_t		 inlen;
	/* a SET between its phases: the connection ACTION opened and
	 * what COMMIT sends on it */
	int		 pend_fd;
	char		 pend_line[192];
	char		 pend_action[65];
	long		 pend_power, pend_identify;
};

/*
 * One row: the daemon's cells, filed under a tdata table.  The tdata row
 * and its index OID live here, not in allocations of their own (a
 * subagent at 100 targets has ~45,000 rows): filed with
 * netsnmp_tdata_add_row, taken out with netsnmp_tdata_remove_row, never
 * freed by net-snmp.
 */
struct sa_row {
	struct sa_target *tgt;
	unsigned	 tab;
	netsnmp_tdata_row row;		/* row.data: this, when filed */
	oid		 idx[2];	/* row.oid_index */
	struct wire_row	 w;
};

struct sa_target {
	struct sa_target *next;
	char		 name[WIRE_NAME_MAX + 1];
	unsigned	 tidx;		/* 0: no index left: not served */
	/* its rows, sorted by table and sub (sa_row_cmp), each filed
	 * under its tdata table once: a snapshot moves the cells of the
	 * rows it keeps and adds or removes only the others */
	struct sa_row	**rows;
	size_t		 nrows;
	/* selEntryAdded rate limit */
	time_t		 sel_window;
	unsigned	 sel_sent;
	uint64_t	 sel_suppressed;
	struct sa_ctl	 ctl;
};

struct sa_tab {
	unsigned	 tab;
	const char	*name;
	oid		 base[MAX_OID_LEN];	/* the table's OID */
	size_t		 baselen;
	int		 two_index;	/* target index + sub */
	int		 ent;		/* entPhysicalIndex */
	unsigned	 min_col, max_col;
	netsnmp_tdata	*td;
};

#define TAB(t, n, two, ent, lo, hi, ...)	\
	{ t, n, { __VA_ARGS__ }, 0, two, ent, lo, hi, NULL }
static struct sa_tab sa_tabs[] = {
	TAB(WIRE_TAB_TARGET, "bmcwTargetTable", 0, 0,
	    BMCW_TARGET_TABLE_MIN_COL, BMCW_TARGET_TABLE_MAX_COL,
	    BMCW_TARGET_TABLE_OID),
	TAB(WIRE_TAB_SENSOR, "bmcwSensorTable", 1, 0,
	    BMCW_SENSOR_TABLE_MIN_COL, BMCW_SENSOR_TABLE_MAX_COL,
	    BMCW_SENSOR_TABLE_OID),
	TAB(WIRE_TAB_SEL_INFO, "bmcwSelInfoTable", 0, 0,
	    BMCW_SEL_INFO_TABLE_MIN_COL, BMCW_SEL_INFO_TABLE_MAX_COL,
	    BMCW_SEL_INFO_TABLE_OID),
	TAB(WIRE_TAB_SEL_ENTRY, "bmcwSelEntryTable", 1, 0,
	    BMCW_SEL_ENTRY_TABLE_MIN_COL, BMCW_SEL_ENTRY_TABLE_MAX_COL,
	    BMCW_SEL_ENTRY_TABLE_OID),
	TAB(WIRE_TAB_SEL_PROBLEM, "bmcwSelProblemTable", 1, 0,
	    BMCW_SEL_PROBLEM_TABLE_MIN_COL, BMCW_SEL_PROBLEM_TABLE_MAX_COL,
	    BMCW_SEL_PROBLEM_TABLE_OID),
	TAB(WIRE_TAB_CHASSIS, "bmcwChassisTable", 0, 0,
	    BMCW_CHASSIS_TABLE_MIN_COL, BMCW_CHASSIS_TABLE_MAX_COL,
	    BMCW_CHASSIS_TABLE_OID),
	TAB(WIRE_TAB_WATCHDOG, "bmcwWatchdogTable", 0, 0,
	    BMCW_WATCHDOG_TABLE_MIN_COL, BMCW_WATCHDOG_TABLE_MAX_COL,
	    BMCW_WATCHDOG_TABLE_OID),
	TAB(WIRE_TAB_CONTROL, "bmcwControlTable", 0, 0,
	    BMCW_CONTROL_TABLE_MIN_COL, BMCW_CONTROL_TABLE_MAX_COL,
	    BMCW_CONTROL_TABLE_OID),
	TAB(WIRE_TAB_CONSOLE, "bmcwConsoleTable", 0, 0,
	    BMCW_CONSOLE_TABLE_MIN_COL, BMCW_CONSOLE_TABLE_MAX_COL,
	    BMCW_CONSOLE_TABLE_OID),
	/* indexed by bmcwWebhookIndex, not by target */
	TAB(WIRE_TAB_WEBHOOK, "bmcwWebhookTable", 0, 0,
	    BMCW_WEBHOOK_TABLE_MIN_COL, BMCW_WEBHOOK_TABLE_MAX_COL,
	    BMCW_WEBHOOK_TABLE_OID),
	/* ENTITY-MIB entPhysicalTable, ENTITY-SENSOR-MIB entPhySensorTable */
	TAB(WIRE_TAB_ENT, "entPhysicalTable", 0, 1, 2, 16,
	    1, 3, 6, 1, 2, 1, 47, 1, 1, 1),
	TAB(WIRE_TAB_ENT_SENSOR, "entPhySensorTable", 0, 1, 1, 8,
	    1, 3, 6, 1, 2, 1, 99, 1, 1),
};
#define SA_NTABS	(sizeof(sa_tabs) / sizeof(sa_tabs[0]))

/* a webhook's row (bmcwWebhookTable) */
struct sa_hook {
	struct sa_hook	*next;
	char		 name[WIRE_NAME_MAX + 1];
	unsigned	 idx;		/* 0: no index left: not served */
	struct sa_row	*row;
};
#define SA_HOOK_MAX	255	/* bmcwWebhookIndex 1..255 */

static struct {
	int		 fd;		/* to bmcwatchd */
	char		*in;
	size_t		 inlen;
	const char	*index_file;
	char		*hook_index_file;	/* index_file.webhooks */
	char		*ctl_file;	/* index_file.control */
	struct wire_msg	 ctl_saved;	/* its rows, when it was ours */
	int		 ctl_dirty;	/* a control state changed */
	struct sa_hook	*hooks;
	const char	*ctl_path;	/* the daemon's control socket, or
					 * NULL: no actions */
	struct sa_target *targets;
	unsigned	 sel_burst;	/* selEntryAdded per window */
	unsigned	 sel_window_s;
	uint32_t	 start_time;	/* the daemon's, Unix seconds */
	uint32_t	 sel_recent_max;
	uint64_t	 sent, suppressed;
	u_long		 ent_last_change;	/* our sysUpTime, cs */
	int		 pet;		/* -P: IPMI PET traps too */
	uint64_t	 pet_sent;
} sa;

/* ---- small helpers ------------------------------------------------------ */

static struct sa_tab *
sa_tab(unsigned tab)
{
	size_t i;

	for (i = 0; i < SA_NTABS; i++)
		if (sa_tabs[i].tab == tab)
			return &sa_tabs[i];
	return NULL;
}

static int64_t
sa_wall_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a TimeStamp (our sysUpTime, centiseconds) of a wall-clock time */
static u_long
sa_timestamp(int64_t wall_ms)
{
	u_long up = netsnmp_get_agent_uptime();
	int64_t ago;

	if (wall_ms <= 0)
		return 0;
	ago = (sa_wall_ms() - wall_ms) / 10;
	if (ago < 0)
		ago = 0;
	return (int64_t)up > ago ? up - (u_long)ago : 0;
}

/* ---- target indexes ----------------------------------------------------- */

/* "INDEX NAME" lines of file; 0, or -1 (logged) */
static int
sa_index_load(const char *file, unsigned *used,
    char (*names)[WIRE_NAME_MAX + 1], size_t max)
{
	char *buf, *line, *nl, *sp;
	ssize_t n;
	unsigned long v;
	char *end;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		log_warn("snmp", "%s", file);
		return -1;
	}
	buf = xmalloc(SA_INDEX_MAX + 1);
	n = fileio_read_all(fd, buf, SA_INDEX_MAX + 1);
	(void)close(fd);
	if (n < 0 || (size_t)n > SA_INDEX_MAX) {
		log_warnx("snmp", "%s: unreadable or larger than %u bytes",
		    file, SA_INDEX_MAX);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	for (line = buf; *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		else
			nl = line + strlen(line);
		if (*line == '\0')
			continue;
		errno = 0;
		v = strtoul(line, &end, 10);
		if (errno != 0 || end == line || *end != ' ' || v < 1 ||
		    v > BMCW_TARGET_ID_MAX || v > max ||
		    strlen(end + 1) > WIRE_NAME_MAX) {
			log_warnx("snmp", "%s: bad line '%.40s' ignored",
			    file, line);
			continue;
		}
		sp = end + 1;
		used[v - 1] = 1;
		(void)snprintf(names[v - 1], WIRE_NAME_MAX + 1, "%s", sp);
	}
	free(buf);
	return 0;
}

/* the index of name in file (1..max): from the file, or the lowest
 * free one (saved); what is a target or a webhook */
static unsigned
sa_index_of(const char *file, const char *what, const char *name,
    unsigned max)
{
	static unsigned used[BMCW_TARGET_ID_MAX];
	static char names[BMCW_TARGET_ID_MAX][WIRE_NAME_MAX + 1];
	char err[512], tmp[PATH_MAX];
	char *out;
	size_t len = 0, cap = BMCW_TARGET_ID_MAX * (WIRE_NAME_MAX + 8);
	unsigned i, free_i = 0;

	memset(used, 0, sizeof(used));
	(void)sa_index_load(file, used, names, max);
	for (i = 0; i < max; i++) {
		if (used[i] && strcmp(names[i], name) == 0)
			return i + 1;
		if (!used[i] && free_i == 0)
			free_i = i + 1;
	}
	if (free_i == 0) {
		log_warnx("snmp", "%s %s: all %u SNMP indexes taken: not "
		    "served (free one in %s)", what, name, max, file);
		return 0;
	}
	used[free_i - 1] = 1;
	(void)snprintf(names[free_i - 1], WIRE_NAME_MAX + 1, "%s", name);
	out = xmalloc(cap);
	for (i = 0; i < BMCW_TARGET_ID_MAX; i++)
		if (used[i])
			len += (size_t)snprintf(out + len, cap - len, "%u %s\n",
			    i + 1, names[i]);
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	if (fileio_replace(file, tmp, out, len, 0644, err,
	    sizeof(err)) != 0)
		log_warnx("snmp", "%s %s: index %u not saved: %s", what, name,
		    free_i, err);
	else
		log_info("snmp", "%s %s: SNMP index %u", what, name, free_i);
	free(out);
	return free_i;
}

/* ---- bmcwControlTable's state across subagent restarts ------------------ */

/*
 * The lock, the last actions and the counters of bmcwControlTable live
 * here, but their DESCRIPTIONs count "since bmcwatchd started", not since
 * this process did: bmcwatchd restarts us (crash, exit) with its own
 * start time (-T).  So every change is written to index_file.control
 * (a header "START PPID", then one wire.h payload: a bmcwControlTable
 * row per target index with the columns kept here), and a subagent of
 * the same daemon (same start time, same parent pid) takes them back
 * when the target's first snapshot comes.  Another daemon's file is
 * ignored (and replaced at the first change).
 */
#define SA_CTL_FILE_MAX	(256u * 1024)

static void
sa_ctl_load(void)
{
	char *buf, *end;
	unsigned long start, ppid;
	ssize_t n;
	char err[256];
	int fd;

	if ((fd = open(sa.ctl_file, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	buf = xmalloc(SA_CTL_FILE_MAX + 1);
	n = fileio_read_all(fd, buf, SA_CTL_FILE_MAX + 1);
	(void)close(fd);
	if (n < 0 || (size_t)n > SA_CTL_FILE_MAX) {
		log_warnx("snmp", "%s: unreadable or larger than %u bytes: "
		    "ignored", sa.ctl_file, SA_CTL_FILE_MAX);
		goto done;
	}
	buf[n] = '\0';
	errno = 0;
	start = strtoul(buf, &end, 10);
	if (errno != 0 || end == buf || *end != ' ')
		goto bad;
	ppid = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\n')
		goto bad;
	if (start != sa.start_time || ppid != (unsigned long)getppid()) {
		log_debug("snmp", "%s: another bmcwatchd's: ignored",
		    sa.ctl_file);
		goto done;
	}
	end++;
	if (wire_parse(end, (size_t)(buf + n - end), &sa.ctl_saved, err,
	    sizeof(err)) != 0) {
		log_warnx("snmp", "%s: %s: ignored", sa.ctl_file, err);
		goto done;
	}
	log_info("snmp", "%s: bmcwControlTable state of %zu targets taken "
	    "back", sa.ctl_file, sa.ctl_saved.nrows);
	goto done;
bad:
	log_warnx("snmp", "%s: no 'START PPID' header: ignored", sa.ctl_file);
done:
	free(buf);
}

/* a saved string cell into dst (size bytes): cut to fit, never past
 * the cell's own length */
static void
sa_str_restore(char *dst, size_t size, const struct wire_val *v)
{
	size_t n = v->s != NULL ? v->slen : 0;

	if (n > size - 1)
		n = size - 1;
	(void)snprintf(dst, size, "%.*s", (int)n,
	    v->s != NULL ? (const char *)v->s : "");
}

static void
sa_ctl_restore(struct sa_target *t)
{
	struct sa_ctl *c = &t->ctl;
	const struct wire_row *w = NULL;
	const struct wire_val *v;
	struct wire_val cell;
	size_t i;

	for (i = 0; i < sa.ctl_saved.nrows && t->tidx != 0; i++)
		if (sa.ctl_saved.rows[i].tab == WIRE_TAB_CONTROL &&
		    sa.ctl_saved.rows[i].sub == t->tidx)
			w = &sa.ctl_saved.rows[i];
	if (w == NULL)
		return;
	for (i = 0; i < w->nv; i++) {
		v = wire_row_val(w, i, &cell);
		switch (v->col) {
		case BMCW_CONTROL_LOCK:
			if (v->i >= 0 && v->i <= SA_LOCK_MAX)
				c->lock = (long)v->i;
			break;
		case BMCW_CONTROL_POWER:
			c->power = (long)v->i;
			break;
		case BMCW_CONTROL_IDENTIFY:
			c->identify = (long)v->i;
			break;
		case BMCW_CONTROL_LAST_ACTION:
			sa_str_restore(c->action, sizeof(c->action), v);
			break;
		case BMCW_CONTROL_LAST_TIME:
			c->action_time = (uint32_t)v->u;
			break;
		case BMCW_CONTROL_LAST_RESULT:
			sa_str_restore(c->result, sizeof(c->result), v);
			break;
		case BMCW_CONTROL_REQUESTS:
			c->requests = (uint32_t)v->u;
			break;
		case BMCW_CONTROL_REFUSED:
			c->refused = (uint32_t)v->u;
			break;
		case BMCW_CONTROL_FAILURES:
			c->failures = (uint32_t)v->u;
			break;
		default:
			break;
		}
	}
	/* its answer went to the connection of the subagent that died */
	if (strcmp(c->result, "in progress") == 0)
		(void)snprintf(c->result, sizeof(c->result), "unknown: "
		    "bmcwatch-snmp restarted before the answer");
	log_target(LOG_INFO, t->name, "snmp", "bmcwControlTable: lock %ld, "
	    "%u requests, %u refused, %u failures taken back", c->lock,
	    c->requests, c->refused, c->failures);
}

static void
sa_ctl_save(void)
{
	const struct sa_target *t;
	const struct sa_ctl *c;
	char *buf = NULL, err[512], tmp[PATH_MAX];
	size_t len = 0;
	FILE *f;

	sa.ctl_dirty = 0;
	if ((f = open_memstream(&buf, &len)) == NULL) {
		log_warn("snmp", "%s", sa.ctl_file);
		return;
	}
	fprintf(f, "%lu %lu\n", (unsigned long)sa.start_time,
	    (unsigned long)getppid());
	fprintf(f, "T control\n");
	for (t = sa.targets; t != NULL; t = t->next) {
		if (t->tidx == 0)
			continue;
		c = &t->ctl;
		fprintf(f, "R %u %u\n", WIRE_TAB_CONTROL, t->tidx);
		wire_put_num(f, "c", BMCW_CONTROL_LOCK, WIRE_INT, c->lock);
		wire_put_num(f, "c", BMCW_CONTROL_POWER, WIRE_INT, c->power);
		wire_put_num(f, "c", BMCW_CONTROL_IDENTIFY, WIRE_INT,
		    c->identify);
		wire_put_str(f, "c", BMCW_CONTROL_LAST_ACTION, c->action);
		wire_put_u64(f, "c", BMCW_CONTROL_LAST_TIME, WIRE_UNSIGNED,
		    c->action_time);
		wire_put_str(f, "c", BMCW_CONTROL_LAST_RESULT, c->result);
		wire_put_u64(f, "c", BMCW_CONTROL_REQUESTS, WIRE_COUNTER,
		    c->requests);
		wire_put_u64(f, "c", BMCW_CONTROL_REFUSED, WIRE_COUNTER,
		    c->refused);
		wire_put_u64(f, "c", BMCW_CONTROL_FAILURES, WIRE_COUNTER,
		    c->failures);
	}
	if (fclose(f) != 0) {
		log_warn("snmp", "%s", sa.ctl_file);
		free(buf);
		return;
	}
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", sa.ctl_file);
	if (fileio_replace(sa.ctl_file, tmp, buf, len, 0600, err,
	    sizeof(err)) != 0)
		log_warnx("snmp", "bmcwControlTable state not saved: %s", err);
	free(buf);
}

/* ---- rows --------------------------------------------------------------- */

static struct sa_target *
sa_target(const char *name, int create)
{
	struct sa_target *t;

	for (t = sa.targets; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	if (!create)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	(void)snprintf(t->name, sizeof(t->name), "%s", name);
	t->ctl.fd = -1;
	t->ctl.pend_fd = -1;
	t->ctl.power = BMCW_POWER_ACTION_NO_ACTION;
	t->tidx = sa_index_of(sa.index_file, "target", name,
	    BMCW_TARGET_ID_MAX);
	t->next = sa.targets;
	sa.targets = t;
	sa_ctl_restore(t);
	return t;
}

static void
sa_row_free(struct sa_row *r)
{
	struct sa_tab *tb = sa_tab(r->tab);

	if (r->row.data != NULL && tb != NULL && tb->td != NULL)
		(void)netsnmp_tdata_remove_row(tb->td, &r->row);
	wire_row_free(&r->w);
	free(r);
}

static void
sa_rows_clear(struct sa_target *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		sa_row_free(t->rows[i]);
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

/* the order of a target's rows: table, then sub */
static int
sa_key_cmp(unsigned tab1, uint32_t sub1, unsigned tab2, uint32_t sub2)
{
	if (tab1 != tab2)
		return tab1 < tab2 ? -1 : 1;
	if (sub1 != sub2)
		return sub1 < sub2 ? -1 : 1;
	return 0;
}

/* qsort of a snapshot's rows (pointers into one array): by key, then
 * in the order the daemon sent them (the first of a duplicate wins) */
static int
sa_wrow_cmp(const void *a, const void *b)
{
	const struct wire_row *x = *(const struct wire_row *const *)a;
	const struct wire_row *y = *(const struct wire_row *const *)b;
	int c = sa_key_cmp(x->tab, x->sub, y->tab, y->sub);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* t's row of tab and sub (binary search), or NULL */
static struct sa_row *
sa_row_find(const struct sa_target *t, unsigned tab, uint32_t sub)
{
	size_t lo = 0, hi = t->nrows, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = sa_key_cmp(t->rows[mid]->tab, t->rows[mid]->w.sub, tab,
		    sub);
		if (c == 0)
			return t->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* r filed under tb's table with index idx[0..n); -1 if refused (a
 * duplicate) */
static int
sa_row_file(struct sa_row *r, struct sa_tab *tb, const oid *idx, size_t n)
{
	memcpy(r->idx, idx, n * sizeof(*idx));
	r->row.oid_index.oids = r->idx;
	r->row.oid_index.len = n;
	r->row.data = r;
	if (netsnmp_tdata_add_row(tb->td, &r->row) != SNMPERR_SUCCESS) {
		r->row.data = NULL;
		return -1;
	}
	return 0;
}

/* ---- webhooks ----------------------------------------------------------- */

static void
sa_webhook(struct wire_msg *m)
{
	struct sa_tab *tb = sa_tab(WIRE_TAB_WEBHOOK);
	struct sa_hook *h;
	struct sa_row *r;
	oid ix;

	for (h = sa.hooks; h != NULL; h = h->next)
		if (strcmp(h->name, m->name) == 0)
			break;
	if (h == NULL) {
		h = xcalloc(1, sizeof(*h));
		(void)snprintf(h->name, sizeof(h->name), "%s", m->name);
		h->idx = sa_index_of(sa.hook_index_file, "webhook", m->name,
		    SA_HOOK_MAX);
		h->next = sa.hooks;
		sa.hooks = h;
	}
	if (h->row != NULL)
		sa_row_free(h->row);
	h->row = NULL;
	if (h->idx == 0 || m->nrows != 1 || m->rows[0].tab !=
	    WIRE_TAB_WEBHOOK || tb == NULL || tb->td == NULL)
		return;
	r = xcalloc(1, sizeof(*r));
	r->tab = WIRE_TAB_WEBHOOK;
	r->w = m->rows[0];
	m->rows[0].v = NULL;
	m->rows[0].nv = 0;
	ix = h->idx;
	(void)sa_row_file(r, tb, &ix, 1);
	h->row = r;
}

static void
sa_webhook_gone(const char *name)
{
	struct sa_hook **pp, *h;

	for (pp = &sa.hooks; (h = *pp) != NULL; pp = &h->next)
		if (strcmp(h->name, name) == 0) {
			*pp = h->next;
			if (h->row != NULL)
				sa_row_free(h->row);
			free(h);
			return;
		}
}

static void
sa_target_gone(const char *name)
{
	struct sa_target **pp, *t;

	for (pp = &sa.targets; (t = *pp) != NULL; pp = &t->next)
		if (strcmp(t->name, name) == 0) {
			*pp = t->next;
			sa_rows_clear(t);
			if (t->ctl.fd >= 0)
				(void)close(t->ctl.fd);
			if (t->ctl.pend_fd >= 0)
				(void)close(t->ctl.pend_fd);
			free(t);
			sa.ent_last_change = netsnmp_get_agent_uptime();
			return;
		}
}

/* a new row of t, its cells moved from w, filed under tb's table; NULL
 * if the table refuses it */
static struct sa_row *
sa_row_new(struct sa_target *t, struct sa_tab *tb, struct wire_row *w)
{
	struct sa_row *r;
	oid ix[2];
	size_t n = 0;

	r = xcalloc(1, sizeof(*r));
	r->tgt = t;
	r->tab = tb->tab;
	r->w = *w;			/* the cells move here */
	w->v = NULL;
	w->nv = 0;
	/* the index as the table helper parses it: one sub-identifier
	 * per INTEGER or Unsigned32 */
	if (tb->ent)
		ix[n++] = (oid)BMCW_ENT_INDEX(t->tidx, r->w.sub);
	else {
		ix[n++] = t->tidx;
		if (tb->two_index)
			ix[n++] = r->w.sub;
	}
	if (sa_row_file(r, tb, ix, n) != 0) {
		log_debug("snmp", "target %s: %s row %u refused", t->name,
		    tb->name, (unsigned)r->w.sub);
		sa_row_free(r);
		return NULL;
	}
	return r;
}

/* the cells of w replace r's; r stays where it is filed */
static void
sa_row_update(struct sa_row *r, struct wire_row *w)
{
	wire_row_free(&r->w);
	r->w.v = w->v;
	r->w.nv = w->nv;
	w->v = NULL;
	w->nv = 0;
}

/*
 * A target's snapshot replaces what it had.  Both lists sorted by key,
 * one merge: a row in both keeps its tdata row and takes the new cells
 * (no container operation), a row only in the old list is removed, one
 * only in the new list is added (O(log n) each).  A steady target
 * (every sweep changes readings, not rows) costs the parse, one sort
 * and moving pointers.
 */
static void
sa_snapshot(struct wire_msg *m)
{
	struct sa_target *t = sa_target(m->name, 1);
	struct wire_row **in;
	struct sa_row **out, *r;
	struct sa_tab *tb;
	size_t i = 0, j = 0, n = 0, nin = 0, k;
	int c, ent_changed = 0;

	if (t->tidx == 0) {
		sa_rows_clear(t);
		return;
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	in = xcalloc(m->nrows + 1, sizeof(*in));
	for (k = 0; k < m->nrows; k++)
		if ((tb = sa_tab(m->rows[k].tab)) != NULL && tb->td != NULL)
			in[nin++] = &m->rows[k];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	qsort(in, nin, sizeof(*in), sa_wrow_cmp);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) pointers */
	out = xcalloc(nin + 1, sizeof(*out));
	while (i < t->nrows || j < nin) {
		if (j > 0 && j < nin && sa_key_cmp(in[j]->tab, in[j]->sub,
		    in[j - 1]->tab, in[j - 1]->sub) == 0) {
			/* a duplicate index (two SDR records with one
			 * key): the first stays */
			log_debug("snmp", "target %s: table %u row %u twice: "
			    "dropped", t->name, in[j]->tab,
			    (unsigned)in[j]->sub);
			j++;
			continue;
		}
		if (i == t->nrows)
			c = 1;
		else if (j == nin)
			c = -1;
		else
			c = sa_key_cmp(t->rows[i]->tab, t->rows[i]->w.sub,
			    in[j]->tab, in[j]->sub);
		if (c == 0) {
			sa_row_update(t->rows[i], in[j]);
			out[n++] = t->rows[i];
			i++;
			j++;
		} else if (c < 0) {
			ent_changed |= t->rows[i]->tab == WIRE_TAB_ENT;
			sa_row_free(t->rows[i]);
			i++;
		} else {
			r = sa_row_new(t, sa_tab(in[j]->tab), in[j]);
			if (r != NULL) {
				ent_changed |= r->tab == WIRE_TAB_ENT;
				out[n++] = r;
			}
			j++;
		}
	}
	free(in);
	free(t->rows);
	t->rows = out;
	t->nrows = n;
	if (ent_changed)
		sa.ent_last_change = netsnmp_get_agent_uptime();
}

/* ---- bmcwControlTable --------------------------------------------------- */

static struct sa_target *
sa_target_by_index(unsigned long tidx)
{
	struct sa_target *t;

	for (t = sa.targets; t != NULL; t = t->next)
		if (t->tidx != 0 && t->tidx == tidx)
			return t;
	return NULL;
}

/* the target index of a request (from its table info, never from the
 * row: a snapshot may replace the rows between the phases of a SET) */
static unsigned long
sa_req_tidx(netsnmp_request_info *req)
{
	netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);

	if (ti == NULL || ti->indexes == NULL ||
	    ti->indexes->val.integer == NULL)
		return 0;
	return (unsigned long)*ti->indexes->val.integer;
}

static unsigned
sa_req_col(netsnmp_request_info *req)
{
	netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);

	return ti != NULL ? ti->colnum : 0;
}

/* the cells the daemon sent for a per-target table, or NULL */
static const struct wire_row *
sa_target_row(const struct sa_target *t, unsigned tab)
{
	const struct sa_row *r = sa_row_find(t, tab, 0);

	return r != NULL ? &r->w : NULL;
}

static int
sa_is_action(unsigned col)
{
	return col == BMCW_CONTROL_POWER || col == BMCW_CONTROL_IDENTIFY ||
	    col == BMCW_CONTROL_SEL_CLEAR;
}

static const char *
sa_col_name(unsigned col)
{
	switch (col) {
	case BMCW_CONTROL_LOCK:
		return "bmcwControlLock";
	case BMCW_CONTROL_POWER:
		return "bmcwControlPower";
	case BMCW_CONTROL_IDENTIFY:
		return "bmcwControlIdentify";
	case BMCW_CONTROL_SEL_CLEAR:
		return "bmcwControlSelClear";
	default:
		return "a read-only column of bmcwControlTable";
	}
}

/* the error-status as RFC 3416 names it */
static const char *
sa_errname(int err)
{
	switch (err) {
	case SNMP_ERR_WRONGTYPE:
		return "wrongType";
	case SNMP_ERR_WRONGVALUE:
		return "wrongValue";
	case SNMP_ERR_NOCREATION:
		return "noCreation";
	case SNMP_ERR_INCONSISTENTVALUE:
		return "inconsistentValue";
	case SNMP_ERR_RESOURCEUNAVAILABLE:
		return "resourceUnavailable";
	case SNMP_ERR_NOTWRITABLE:
		return "notWritable";
	default:
		return "genErr";
	}
}

/* a SET refused: named in the log, counted, the error set */
static void
sa_refuse(netsnmp_agent_request_info *ri, netsnmp_request_info *req,
    struct sa_target *t, int err, const char *why)
{
	unsigned col = sa_req_col(req);

	if (t != NULL) {
		t->ctl.refused++;
		sa.ctl_dirty = 1;
		log_target(LOG_NOTICE, t->name, "snmp", "SET %s refused "
		    "(%s): %s", sa_col_name(col), sa_errname(err), why);
	} else
		log_warnx("snmp", "SET %s.%lu refused (%s): %s",
		    sa_col_name(col), sa_req_tidx(req), sa_errname(err), why);
	netsnmp_set_request_error(ri, req, err);
}

static long
sa_req_long(netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;

	return vb->val.integer != NULL ? *vb->val.integer : 0;
}

/* RESERVE1: the type and the value of one varbind */
static int
sa_set_check(netsnmp_request_info *req, const char **why)
{
	netsnmp_variable_list *vb = req->requestvb;
	unsigned col = sa_req_col(req);
	long v, lo, hi;

	switch (col) {
	case BMCW_CONTROL_LOCK:
		lo = 0;
		hi = SA_LOCK_MAX;
		break;
	case BMCW_CONTROL_POWER:
		lo = BMCW_POWER_ACTION_POWER_OFF;
		hi = BMCW_POWER_ACTION_SOFT_OFF;
		break;
	case BMCW_CONTROL_IDENTIFY:
		lo = -1;
		hi = 255;
		break;
	case BMCW_CONTROL_SEL_CLEAR:
		lo = BMCW_CONTROL_SEL_CLEAR_CLEAR;
		hi = BMCW_CONTROL_SEL_CLEAR_CLEAR;
		break;
	default:
		*why = "not writable";
		return SNMP_ERR_NOTWRITABLE;
	}
	if (vb->type != ASN_INTEGER || vb->val.integer == NULL) {
		*why = "not an INTEGER";
		return SNMP_ERR_WRONGTYPE;
	}
	v = *vb->val.integer;
	if (v < lo || v > hi) {
		*why = col == BMCW_CONTROL_POWER ||
		    col == BMCW_CONTROL_SEL_CLEAR ? (v == 1 ?
		    "noAction(1) is no action" : "not an action") :
		    "out of range";
		return SNMP_ERR_WRONGVALUE;
	}
	return SNMP_ERR_NOERROR;
}

/* RESERVE2: allowed, locked, not busy, reachable */
static int
sa_set_allowed(struct sa_target *t, netsnmp_request_info *req,
    netsnmp_request_info *reqs, char *why, size_t len)
{
	static const unsigned bit[] = {
		[BMCW_CONTROL_POWER] = BMCW_CONTROL_ALLOWED_POWER,
		[BMCW_CONTROL_IDENTIFY] = BMCW_CONTROL_ALLOWED_IDENTIFY,
		[BMCW_CONTROL_SEL_CLEAR] = BMCW_CONTROL_ALLOWED_SEL_CLEAR,
	};
	static const char *const allow[] = {
		[BMCW_CONTROL_POWER] = "power",
		[BMCW_CONTROL_IDENTIFY] = "identify",
		[BMCW_CONTROL_SEL_CLEAR] = "sel-clear",
	};
	const struct wire_row *w;
	const struct wire_val *v;
	struct wire_val cell;
	netsnmp_request_info *o;
	unsigned col = sa_req_col(req), ocol;
	int locked = 0;

	if (col == BMCW_CONTROL_LOCK) {
		/* TestAndIncr: one step per SET, so the lock once */
		for (o = reqs; o != NULL; o = o->next)
			if (o != req && sa_req_tidx(o) == t->tidx &&
			    sa_req_col(o) == BMCW_CONTROL_LOCK) {
				(void)snprintf(why, len, "bmcwControlLock "
				    "twice in one SET");
				return SNMP_ERR_INCONSISTENTVALUE;
			}
		if (sa_req_long(req) != t->ctl.lock) {
			(void)snprintf(why, len, "lock %ld is not the current "
			    "%ld", sa_req_long(req), t->ctl.lock);
			return SNMP_ERR_INCONSISTENTVALUE;
		}
		return SNMP_ERR_NOERROR;
	}
	w = sa_target_row(t, WIRE_TAB_CONTROL);
	v = w != NULL ? wire_row_col(w, BMCW_CONTROL_ALLOWED, &cell) :
	    NULL;
	if (v == NULL || v->slen < 1 || v->s == NULL ||
	    !(v->s[0] & (0x80u >> bit[col]))) {
		(void)snprintf(why, len, "not allowed for this target "
		    "(allow %s in bmcwatchd.conf)", allow[col]);
		return SNMP_ERR_NOTWRITABLE;
	}
	if (sa.ctl_path == NULL) {
		(void)snprintf(why, len, "no control socket (-S)");
		return SNMP_ERR_NOTWRITABLE;
	}
	for (o = reqs; o != NULL; o = o->next) {
		if (o == req || sa_req_tidx(o) != t->tidx)
			continue;
		ocol = sa_req_col(o);
		if (ocol == BMCW_CONTROL_LOCK)
			locked = 1;
		else if (sa_is_action(ocol)) {
			(void)snprintf(why, len, "one action per SET");
			return SNMP_ERR_INCONSISTENTVALUE;
		}
	}
	if (!locked) {
		(void)snprintf(why, len, "bmcwControlLock not in the same "
		    "SET");
		return SNMP_ERR_INCONSISTENTVALUE;
	}
	if (t->ctl.fd >= 0) {
		(void)snprintf(why, len, "%s still in progress",
		    t->ctl.action);
		return SNMP_ERR_INCONSISTENTVALUE;
	}
	w = sa_target_row(t, WIRE_TAB_TARGET);
	v = w != NULL ? wire_row_col(w, BMCW_TARGET_REACHABLE, &cell) :
	    NULL;
	if (v == NULL || v->i != 1) {
		(void)snprintf(why, len, "the BMC is unreachable");
		return SNMP_ERR_RESOURCEUNAVAILABLE;
	}
	return SNMP_ERR_NOERROR;
}

/* ACTION: the request line, and a connection to send it on */
static int
sa_set_prepare(struct sa_target *t, netsnmp_request_info *req, char *why,
    size_t len)
{
	static const char *const power[] = {
		[BMCW_POWER_ACTION_POWER_OFF] = "off",
		[BMCW_POWER_ACTION_POWER_ON] = "on",
		[BMCW_POWER_ACTION_POWER_CYCLE] = "cycle",
		[BMCW_POWER_ACTION_HARD_RESET] = "reset",
		[BMCW_POWER_ACTION_DIAG_INTERRUPT] = "diag",
		[BMCW_POWER_ACTION_SOFT_OFF] = "soft",
	};
	struct sockaddr_un sun;
	struct sa_ctl *c = &t->ctl;
	long v = sa_req_long(req);
	int fd;

	switch (sa_req_col(req)) {
	case BMCW_CONTROL_POWER:
		(void)snprintf(c->pend_action, sizeof(c->pend_action),
		    "chassis power %s", power[v]);
		c->pend_power = v;
		break;
	case BMCW_CONTROL_IDENTIFY:
		if (v < 0)
			(void)snprintf(c->pend_action, sizeof(c->pend_action),
			    "chassis identify force");
		else if (v == 0)
			(void)snprintf(c->pend_action, sizeof(c->pend_action),
			    "chassis identify off");
		else
			(void)snprintf(c->pend_action, sizeof(c->pend_action),
			    "chassis identify %ld", v);
		c->pend_identify = v;
		break;
	default:
		(void)snprintf(c->pend_action, sizeof(c->pend_action),
		    "sel clear");
		break;
	}
	(void)snprintf(c->pend_line, sizeof(c->pend_line), "%s target=%s\n",
	    c->pend_action, t->name);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(sa.ctl_path) >= sizeof(sun.sun_path)) {
		(void)snprintf(why, len, "%s: path too long", sa.ctl_path);
		return SNMP_ERR_RESOURCEUNAVAILABLE;
	}
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s",
	    sa.ctl_path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0 || connect(fd, (struct sockaddr *)&sun,
	    sizeof(sun)) != 0) {
		(void)snprintf(why, len, "%s: %s", sa.ctl_path,
		    strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return SNMP_ERR_RESOURCEUNAVAILABLE;
	}
	c->pend_fd = fd;
	return SNMP_ERR_NOERROR;
}

/* COMMIT: send it (the answer is read by the loop: sa_ctl_input) */
static void
sa_set_commit(struct sa_target *t, netsnmp_request_info *req)
{
	struct sa_ctl *c = &t->ctl;
	size_t n = strlen(c->pend_line);
	unsigned col = sa_req_col(req);

	sa.ctl_dirty = 1;
	if (col == BMCW_CONTROL_LOCK) {
		c->lock = c->lock >= SA_LOCK_MAX ? 0 : c->lock + 1;
		return;
	}
	if (c->pend_fd < 0)
		return;
	(void)snprintf(c->action, sizeof(c->action), "%s", c->pend_action);
	c->action_time = (uint32_t)time(NULL);
	c->requests++;
	if (col == BMCW_CONTROL_POWER)
		c->power = c->pend_power;
	else if (col == BMCW_CONTROL_IDENTIFY)
		c->identify = c->pend_identify;
	if (write(c->pend_fd, c->pend_line, n) != (ssize_t)n) {
		(void)snprintf(c->result, sizeof(c->result), "not sent to "
		    "bmcwatchd: %s", strerror(errno));
		c->failures++;
		(void)close(c->pend_fd);
	} else {
		(void)snprintf(c->result, sizeof(c->result), "in progress");
		c->fd = c->pend_fd;
		c->inlen = 0;
	}
	c->pend_fd = -1;
	log_target(LOG_NOTICE, t->name, "snmp", "SET accepted: %s",
	    c->action);
}

static void
sa_set_release(struct sa_target *t)
{
	if (t->ctl.pend_fd >= 0)
		(void)close(t->ctl.pend_fd);
	t->ctl.pend_fd = -1;
}

static int
sa_control_set(netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	netsnmp_request_info *req;
	struct sa_target *t;
	const char *cwhy;
	char why[300];
	int err;

	for (req = reqs; req != NULL; req = req->next) {
		if (req->processed)
			continue;
		t = sa_target_by_index(sa_req_tidx(req));
		switch (ri->mode) {
		case MODE_SET_RESERVE1:
			cwhy = "no such target";
			if (t == NULL)
				sa_refuse(ri, req, NULL, SNMP_ERR_NOCREATION,
				    cwhy);
			else if ((err = sa_set_check(req, &cwhy)) !=
			    SNMP_ERR_NOERROR)
				sa_refuse(ri, req, t, err, cwhy);
			break;
		case MODE_SET_RESERVE2:
			if (t == NULL)
				sa_refuse(ri, req, NULL,
				    SNMP_ERR_RESOURCEUNAVAILABLE,
				    "the target is gone");
			else if ((err = sa_set_allowed(t, req, reqs, why,
			    sizeof(why))) != SNMP_ERR_NOERROR)
				sa_refuse(ri, req, t, err, why);
			break;
		case MODE_SET_ACTION:
			if (t == NULL)
				sa_refuse(ri, req, NULL,
				    SNMP_ERR_RESOURCEUNAVAILABLE,
				    "the target is gone");
			else if (sa_is_action(sa_req_col(req)) &&
			    (err = sa_set_prepare(t, req, why,
			    sizeof(why))) != SNMP_ERR_NOERROR)
				sa_refuse(ri, req, t, err, why);
			break;
		case MODE_SET_COMMIT:
			if (t != NULL)
				sa_set_commit(t, req);
			break;
		default:	/* FREE, UNDO */
			if (t != NULL)
				sa_set_release(t);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/* a column of bmcwControlTable that the subagent keeps */
static int
sa_control_val(const struct sa_target *t, unsigned col, struct wire_val *v)
{
	const struct sa_ctl *c = &t->ctl;

	memset(v, 0, sizeof(*v));
	v->col = (uint8_t)col;
	v->type = WIRE_INT;
	switch (col) {
	case BMCW_CONTROL_LOCK:
		v->i = c->lock;
		break;
	case BMCW_CONTROL_POWER:
		v->i = c->power;
		break;
	case BMCW_CONTROL_IDENTIFY:
		v->i = c->identify;
		break;
	case BMCW_CONTROL_SEL_CLEAR:
		v->i = BMCW_CONTROL_SEL_CLEAR_NO_ACTION;
		break;
	case BMCW_CONTROL_IN_PROGRESS:
		v->i = c->fd >= 0 ? 1 : 2;
		break;
	case BMCW_CONTROL_LAST_ACTION:
	case BMCW_CONTROL_LAST_RESULT:
		v->type = WIRE_STRING;
		v->s = (uint8_t *)(uintptr_t)(col == BMCW_CONTROL_LAST_ACTION ?
		    c->action : c->result);
		v->slen = strlen((const char *)v->s);
		break;
	case BMCW_CONTROL_LAST_TIME:
		v->type = WIRE_UNSIGNED;
		v->u = c->action_time;
		break;
	case BMCW_CONTROL_REQUESTS:
	case BMCW_CONTROL_REFUSED:
	case BMCW_CONTROL_FAILURES:
		v->type = WIRE_COUNTER;
		v->u = col == BMCW_CONTROL_REQUESTS ? c->requests :
		    col == BMCW_CONTROL_REFUSED ? c->refused : c->failures;
		break;
	default:
		return -1;
	}
	return 0;
}

/* the daemon's answer to an action: its result */
static void
sa_ctl_input(struct sa_target *t)
{
	struct sa_ctl *c = &t->ctl;
	size_t plen, hlen, k;
	ssize_t n;
	int code, h;

	n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0) {
		c->inlen += (size_t)n;
		h = ctl_frame_header(c->in, c->inlen, &code, &plen, &hlen);
		if (h == 0 || (h > 0 && c->inlen - hlen < plen &&
		    c->inlen < sizeof(c->in)))
			return;		/* more to come */
		if (h < 0) {
			(void)snprintf(c->result, sizeof(c->result), "not an "
			    "answer from bmcwatchd");
			c->failures++;
		} else if (code == 0)
			(void)snprintf(c->result, sizeof(c->result), "ok");
		else {
			if (plen > c->inlen - hlen)
				plen = c->inlen - hlen;
			for (k = plen; k > 0 && (c->in[hlen + k - 1] == '\n' ||
			    c->in[hlen + k - 1] == ' '); k--)
				;
			(void)snprintf(c->result, sizeof(c->result), "%.*s",
			    (int)k, c->in + hlen);
			for (k = 0; c->result[k] != '\0'; k++)
				if ((unsigned char)c->result[k] < 0x20)
					c->result[k] = ' ';
			c->failures++;
		}
	} else {
		(void)snprintf(c->result, sizeof(c->result), "no answer: "
		    "bmcwatchd closed the connection");
		c->failures++;
	}
	log_target(LOG_INFO, t->name, "snmp", "%s: %s", c->action,
	    c->result);
	(void)close(c->fd);
	c->fd = -1;
	sa.ctl_dirty = 1;
}

/* ---- handlers ----------------------------------------------------------- */

static void
sa_set(netsnmp_request_info *req, const struct sa_row *r,
    const struct wire_val *v)
{
	netsnmp_variable_list *vb = req->requestvb;
	struct counter64 c64;
	oid o[WIRE_OID_MAX];
	size_t k;
	long l;
	u_long u;

	switch (v->type) {
	case WIRE_INT:
		l = (long)v->i;
		snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
		break;
	case WIRE_ENT:
		l = v->i == 0 && r->tab == WIRE_TAB_ENT ? 0 :
		    BMCW_ENT_INDEX(r->tgt->tidx, v->i);
		snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
		break;
	case WIRE_WALL:
		u = sa_timestamp(v->i);
		snmp_set_var_typed_value(vb, ASN_TIMETICKS, &u, sizeof(u));
		break;
	case WIRE_UNSIGNED:
	case WIRE_GAUGE:
		u = (u_long)v->u;
		snmp_set_var_typed_value(vb, ASN_GAUGE, &u, sizeof(u));
		break;
	case WIRE_COUNTER:
		u = (u_long)v->u;
		snmp_set_var_typed_value(vb, ASN_COUNTER, &u, sizeof(u));
		break;
	case WIRE_COUNTER64:
		c64.high = (u_long)(v->u >> 32);
		c64.low = (u_long)(v->u & 0xffffffffu);
		snmp_set_var_typed_value(vb, ASN_COUNTER64, &c64, sizeof(c64));
		break;
	case WIRE_STRING:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR,
		    v->s != NULL ? v->s : (const u_char *)"", v->slen);
		break;
	case WIRE_OID:
		for (k = 0; k < v->oidlen; k++)
			o[k] = v->oid[k];
		snmp_set_var_typed_value(vb, ASN_OBJECT_ID, o,
		    v->oidlen * sizeof(oid));
		break;
	default:
		netsnmp_set_request_error(NULL, req, SNMP_ERR_GENERR);
	}
}

static int
sa_table_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	netsnmp_request_info *req;
	netsnmp_table_request_info *ti;
	const struct sa_row *r;
	const struct wire_val *v;
	struct wire_val sup;

	(void)h;
	(void)reg;
	if (ri->mode != MODE_GET && ri->mode != MODE_GETNEXT &&
	    ri->mode != MODE_GETBULK)
		return sa_control_set(ri, reqs);
	for (req = reqs; req != NULL; req = req->next) {
		if (req->processed || ri->mode != MODE_GET)
			continue;
		r = netsnmp_tdata_extract_entry(req);
		ti = netsnmp_extract_table_info(req);
		if (r == NULL || ti == NULL) {
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		if (r->tab == WIRE_TAB_CONTROL &&
		    ti->colnum != BMCW_CONTROL_ALLOWED) {
			if (sa_control_val(r->tgt, ti->colnum, &sup) != 0) {
				netsnmp_set_request_error(ri, req,
				    SNMP_NOSUCHINSTANCE);
				continue;
			}
			v = &sup;
		} else if (r->tab == WIRE_TAB_SEL_INFO &&
		    ti->colnum == BMCW_SEL_NOTIFY_SUPPRESSED) {
			memset(&sup, 0, sizeof(sup));
			sup.type = WIRE_COUNTER;
			sup.u = r->tgt->sel_suppressed & 0xffffffffu;
			v = &sup;
		} else
			v = wire_row_col(&r->w, ti->colnum, &sup);
		if (v == NULL) {
			netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		sa_set(req, r, v);
	}
	return SNMP_ERR_NOERROR;
}

static size_t
sa_ntargets(void)
{
	const struct sa_target *t;
	size_t n = 0;

	for (t = sa.targets; t != NULL; t = t->next)
		n += t->tidx != 0;
	return n;
}

/* bmcwGeneral and entLastChangeTime */
static int
sa_scalar_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *ri, netsnmp_request_info *reqs)
{
	netsnmp_request_info *req;
	u_long u;
	int which = (int)(intptr_t)h->myvoid;

	(void)reg;
	for (req = reqs; req != NULL; req = req->next) {
		if (ri->mode != MODE_GET)
			continue;
		switch (which) {
		case 1:
			snmp_set_var_typed_value(req->requestvb, ASN_OCTET_STR,
			    BMCWATCH_VERSION, strlen(BMCWATCH_VERSION));
			continue;
		case 2:
			u = sa.start_time;
			break;
		case 3:
			u = sa_ntargets();
			snmp_set_var_typed_value(req->requestvb, ASN_GAUGE, &u,
			    sizeof(u));
			continue;
		case 4:
			u = sa.sel_recent_max;
			break;
		case 5:
			u = sa.sel_burst;
			break;
		case 6:
			u = sa.sel_window_s;
			break;
		case 7:
		case 8:
			u = (u_long)((which == 7 ? sa.sent : sa.suppressed) &
			    0xffffffffu);
			snmp_set_var_typed_value(req->requestvb, ASN_COUNTER,
			    &u, sizeof(u));
			continue;
		default:	/* entLastChangeTime */
			u = sa.ent_last_change;
			snmp_set_var_typed_value(req->requestvb, ASN_TIMETICKS,
			    &u, sizeof(u));
			continue;
		}
		snmp_set_var_typed_value(req->requestvb, ASN_UNSIGNED, &u,
		    sizeof(u));
	}
	return SNMP_ERR_NOERROR;
}

/* the scalars: bmcwGeneral.N (sa_scalar_handler's which = N) and
 * entLastChangeTime (which 9); the object's OID, the scalar helper adds
 * the .0 */
#define SA_OID_MAX	16
static const struct sa_scalar {
	const char	*name;
	oid		 o[SA_OID_MAX];
	int		 which;
} sa_scalars[] = {
	{ "bmcwDaemonVersion", { BMCW_DAEMON_VERSION_OID }, 1 },
	{ "bmcwDaemonStartTime", { BMCW_DAEMON_START_TIME_OID }, 2 },
	{ "bmcwTargetCount", { BMCW_TARGET_COUNT_OID }, 3 },
	{ "bmcwSelRecentMax", { BMCW_SEL_RECENT_MAX_OID }, 4 },
	{ "bmcwNotifySelEntryBurst", { BMCW_NOTIFY_SEL_ENTRY_BURST_OID }, 5 },
	{ "bmcwNotifySelEntryWindow", { BMCW_NOTIFY_SEL_ENTRY_WINDOW_OID },
	    6 },
	{ "bmcwNotificationsSent", { BMCW_NOTIFICATIONS_SENT_OID }, 7 },
	{ "bmcwNotificationsSuppressed", { BMCW_NOTIFICATIONS_SUPPRESSED_OID },
	    8 },
	{ "entLastChangeTime", { 1, 3, 6, 1, 2, 1, 47, 1, 4, 1 }, 9 },
};

/* the MIB modules in sysORTable */
static const struct sa_sysor {
	oid		 o[SA_OID_MAX];
	const char	*descr;
} sa_sysors[] = {
	{ { BMCWATCH_MIB_OID }, "BMCWATCH-MIB: bmcwatchd's BMC health (IPMI)" },
	{ { 1, 3, 6, 1, 2, 1, 47 }, "ENTITY-MIB: one chassis per BMC target, "
	    "one sensor row per IPMI sensor" },
	{ { 1, 3, 6, 1, 2, 1, 99 }, "ENTITY-SENSOR-MIB: the analog IPMI "
	    "sensors" },
};

/* the length of an OID written as a zero-terminated array (no OID of
 * ours has a 0 arc) */
static size_t
sa_oidlen(const oid *o, size_t max)
{
	size_t n;

	for (n = 0; n < max && o[n] != 0; n++)
		;
	return n;
}

static void
sa_register(void)
{
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	struct sa_tab *tb;
	size_t i;

	for (i = 0; i < SA_NTABS; i++) {
		tb = &sa_tabs[i];
		tb->baselen = sa_oidlen(tb->base, MAX_OID_LEN);
		tb->td = netsnmp_tdata_create_table(tb->name, 0);
		reg = netsnmp_create_handler_registration(tb->name,
		    sa_table_handler, tb->base, tb->baselen,
		    tb->tab == WIRE_TAB_CONTROL ? HANDLER_CAN_RWRITE :
		    HANDLER_CAN_RONLY);
		ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
		if (tb->ent)
			netsnmp_table_helper_add_indexes(ti, ASN_INTEGER, 0);
		else if (tb->two_index)
			netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED,
			    ASN_UNSIGNED, 0);
		else
			netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED, 0);
		ti->min_column = tb->min_col;
		ti->max_column = tb->max_col;
		if (netsnmp_tdata_register(reg, tb->td, ti) !=
		    MIB_REGISTERED_OK)
			fatalx("snmp", "%s: cannot register", tb->name);
	}
	for (i = 0; i < sizeof(sa_scalars) / sizeof(sa_scalars[0]); i++) {
		const struct sa_scalar *sc = &sa_scalars[i];

		reg = netsnmp_create_handler_registration(sc->name,
		    sa_scalar_handler, sc->o, sa_oidlen(sc->o, SA_OID_MAX),
		    HANDLER_CAN_RONLY);
		reg->handler->myvoid = (void *)(intptr_t)sc->which;
		if (netsnmp_register_read_only_scalar(reg) != MIB_REGISTERED_OK)
			fatalx("snmp", "%s: cannot register", sc->name);
	}
	for (i = 0; i < sizeof(sa_sysors) / sizeof(sa_sysors[0]); i++) {
		oid o[SA_OID_MAX];

		memcpy(o, sa_sysors[i].o, sizeof(o));
		(void)register_sysORTable(o, sa_oidlen(o, SA_OID_MAX),
		    sa_sysors[i].descr);
	}
}

/* ---- notifications ------------------------------------------------------ */

static int
sa_sel_allowed(struct sa_target *t)
{
	time_t now = time(NULL);

	if (now - t->sel_window >= (time_t)sa.sel_window_s) {
		t->sel_window = now;
		t->sel_sent = 0;
	}
	if (t->sel_sent >= sa.sel_burst) {
		t->sel_suppressed++;
		sa.suppressed++;
		return 0;
	}
	t->sel_sent++;
	return 1;
}

static void
sa_vb_add(netsnmp_variable_list **vbl, const struct sa_target *t,
    unsigned tab, uint32_t sub, const struct wire_val *v)
{
	struct sa_tab *tb = sa_tab(tab);
	netsnmp_variable_list *vb;
	struct sa_row r;
	netsnmp_request_info req;
	oid o[MAX_OID_LEN];
	size_t len;

	if (tb == NULL || tb->baselen + 4 > MAX_OID_LEN)
		return;
	memcpy(o, tb->base, tb->baselen * sizeof(oid));
	len = tb->baselen;
	o[len++] = 1;		/* the entry */
	o[len++] = v->col;
	if (tb->ent)
		o[len++] = (oid)BMCW_ENT_INDEX(t->tidx, sub);
	else {
		o[len++] = t->tidx;
		if (tb->two_index)
			o[len++] = sub;
	}
	vb = snmp_varlist_add_variable(vbl, o, len, ASN_NULL, NULL, 0);
	if (vb == NULL)
		return;
	/* the value as a handler would give it */
	memset(&r, 0, sizeof(r));
	r.tgt = (struct sa_target *)(uintptr_t)t;
	r.tab = tab;
	memset(&req, 0, sizeof(req));
	req.requestvb = vb;
	sa_set(&req, &r, v);
}

static void
sa_notify(const struct wire_msg *m)
{
	static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	oid notif[] = { BMCW_NOTIFICATIONS_OID, 0 };
	netsnmp_variable_list *vbl = NULL;
	struct sa_target *t;
	struct wire_val sup;
	size_t i;

	if ((t = sa_target(m->name, 1)) == NULL || t->tidx == 0)
		return;
	if (m->notify == 2 && !sa_sel_allowed(t)) {
		log_debug("snmp", "target %s: selEntryAdded suppressed "
		    "(rate limit)", t->name);
		return;
	}
	notif[OID_LENGTH(notif) - 1] = m->notify;
	snmp_varlist_add_variable(&vbl, trap_oid, OID_LENGTH(trap_oid),
	    ASN_OBJECT_ID, (const u_char *)notif, sizeof(notif));
	for (i = 0; i < m->nvbs; i++)
		sa_vb_add(&vbl, t, m->vbs[i].tab, m->vbs[i].sub, &m->vbs[i].v);
	if (m->notify == 2) {
		memset(&sup, 0, sizeof(sup));
		sup.col = BMCW_SEL_NOTIFY_SUPPRESSED;
		sup.type = WIRE_COUNTER;
		sup.u = t->sel_suppressed & 0xffffffffu;
		sa_vb_add(&vbl, t, WIRE_TAB_SEL_INFO, 0, &sup);
	}
	send_v2trap(vbl);
	snmp_free_varbind(vbl);
	sa.sent++;
	log_debug("snmp", "target %s: notification %u sent", t->name,
	    m->notify);
}

/*
 * An IPMI PET trap (wire.h: N 0): as a BMC sends it, SNMPv1
 * enterpriseSpecific from enterprise PET (agent/ipmi/pet.h) with the
 * specific trap number.  A subagent sends SNMPv2 notifications; snmpd
 * turns this one into that v1 trap for its trapsinks (RFC 3584 section
 * 3.2: snmpTrapOID.0 = enterprise.0.specific, snmpTrapEnterprise.0 =
 * enterprise) and sends it as it is to its trap2sinks.  Not rate-limited
 * (one per system event record, the record ID in its sequence number)
 * and not counted in bmcwNotificationsSent: not the MIB's.
 */
static void
sa_pet(const struct wire_msg *m)
{
	static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	static const oid ent_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0 };
	static const oid pet[] = { SA_PET_ENTERPRISE_OID };
	static const oid pet_vb[] = { SA_PET_ENTERPRISE_OID, 1 };
	oid notif[] = { SA_PET_ENTERPRISE_OID, 0, 0 };
	netsnmp_variable_list *vbl = NULL;
	const struct wire_val *spec = NULL, *bytes = NULL;
	size_t i;

	for (i = 0; i < m->nvbs; i++) {
		if (m->vbs[i].v.col == WIRE_PET_SPECIFIC &&
		    m->vbs[i].v.type == WIRE_UNSIGNED)
			spec = &m->vbs[i].v;
		if (m->vbs[i].v.col == WIRE_PET_VARBIND &&
		    m->vbs[i].v.type == WIRE_STRING)
			bytes = &m->vbs[i].v;
	}
	if (!sa.pet || spec == NULL || bytes == NULL || bytes->s == NULL) {
		log_debug("snmp", "target %s: PET trap without its fields: "
		    "not sent", m->name);
		return;
	}
	notif[OID_LENGTH(notif) - 1] = (oid)spec->u;
	snmp_varlist_add_variable(&vbl, trap_oid, OID_LENGTH(trap_oid),
	    ASN_OBJECT_ID, (const u_char *)notif, sizeof(notif));
	snmp_varlist_add_variable(&vbl, pet_vb, OID_LENGTH(pet_vb),
	    ASN_OCTET_STR, bytes->s, bytes->slen);
	snmp_varlist_add_variable(&vbl, ent_oid, OID_LENGTH(ent_oid),
	    ASN_OBJECT_ID, (const u_char *)pet, sizeof(pet));
	send_v2trap(vbl);
	snmp_free_varbind(vbl);
	sa.pet_sent++;
	log_debug("snmp", "target %s: PET trap %lu sent", m->name,
	    (unsigned long)spec->u);
}

/* ---- the daemon's stream ------------------------------------------------ */

static void
sa_message(const char *p, size_t len)
{
	struct wire_msg m;
	char err[256];
	size_t i;

	if (wire_parse(p, len, &m, err, sizeof(err)) != 0) {
		log_warnx("snmp", "bmcwatchd sent a bad message: %s", err);
		return;
	}
	for (i = 0; i < m.ngen; i++)
		if (m.gen[i].col == 4)
			sa.sel_recent_max = (uint32_t)m.gen[i].u;
	switch (m.kind) {
	case WIRE_SNAPSHOT:
		sa_snapshot(&m);
		break;
	case WIRE_GONE:
		sa_target_gone(m.name);
		break;
	case WIRE_NOTIFY:
		if (m.notify == WIRE_NOTIFY_PET)
			sa_pet(&m);
		else
			sa_notify(&m);
		break;
	case WIRE_WEBHOOK:
		sa_webhook(&m);
		break;
	case WIRE_WEBHOOK_GONE:
		sa_webhook_gone(m.name);
		break;
	default:
		break;
	}
	wire_msg_free(&m);
}

/* read what is there; -1 when the daemon is gone (or spoke garbage) */
static int
sa_input(void)
{
	ssize_t n;
	size_t plen, hlen;
	int code, h;

	if (sa.inlen == SA_IN_MAX) {
		log_warnx("snmp", "bmcwatchd: a frame larger than %u bytes",
		    (unsigned)SA_IN_MAX);
		return -1;
	}
	n = read(sa.fd, sa.in + sa.inlen, SA_IN_MAX - sa.inlen);
	if (n == 0) {
		log_info("snmp", "bmcwatchd closed the connection");
		return -1;
	}
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	sa.inlen += (size_t)n;
	for (;;) {
		h = ctl_frame_header(sa.in, sa.inlen, &code, &plen, &hlen);
		if (h < 0) {
			log_warnx("snmp", "bmcwatchd: not a frame header");
			return -1;
		}
		if (h == 0 || sa.inlen - hlen < plen)
			break;
		if (plen > WIRE_MSG_MAX) {
			log_warnx("snmp", "bmcwatchd: frame of %zu bytes",
			    plen);
			return -1;
		}
		if (code != 0) {
			log_warnx("snmp", "bmcwatchd refused watch: %.*s",
			    (int)plen, sa.in + hlen);
			return -1;
		}
		sa_message(sa.in + hlen, plen);
		memmove(sa.in, sa.in + hlen + plen, sa.inlen - hlen - plen);
		sa.inlen -= hlen + plen;
	}
	return 0;
}

/* ---- AgentX requests without net-snmp's callback hop -------------------- */

/*
 * net-snmp 5.9's subagent (agentx/subagent.c) hands every request from
 * the master to its own agent through a pair of "callback" sessions: a
 * byte written on a pipe, our loop woken, the byte read, the request
 * answered, then the same again for the answer.  Beside the AgentX recv
 * and send that is 7 syscalls and two more turns of the loop per
 * request (strace: 10 syscalls a GETNEXT; bench/results.md).
 *
 * So GET, GETNEXT and GETBULK (what a walk sends) go straight to the
 * agent (handle_snmp_packet) on a session of ours, sa_ax.direct, whose
 * build hook (sa_ax_build) takes the agent's answer and sends it to the
 * master at once, as net-snmp's handle_subagent_response does with it.
 * Everything else (the SET phases, the session's disconnect) goes to
 * the library's handler as before.  The AgentX session is patched when
 * it opens (SNMPD_CALLBACK_INDEX_START, after every reconnect too).
 */

/* AgentX PDU types (RFC 2741 6.1): net-snmp keeps them in pdu->command */
#define SA_AX_GET		5
#define SA_AX_GETNEXT		6
#define SA_AX_GETBULK		7
#define SA_AX_RESPONSE		18
/* requests the agent has not answered yet: normally none (our handlers
 * answer at once); a bound for any it drops without an answer */
#define SA_AX_WAIT_MAX		32

/* a request between the master and the agent's answer */
struct sa_axreq {
	struct sa_axreq	*next;
	netsnmp_session	*ax;		/* the AgentX session it came on */
	long		 reqid, transid, sessid;
	int		 cmd;		/* SA_AX_GET... */
	/* GETNEXT: its search ranges, the request's own while the agent
	 * answers at once, a copy (owned) if it has not answered by the
	 * time the request is freed */
	netsnmp_variable_list *ovars;
	int		 ovars_owned;
};

static struct {
	netsnmp_session	*direct;	/* ours, to the agent */
	snmp_callback	 orig;		/* the library's AgentX handler */
	struct sa_axreq	*wait;		/* newest first */
	unsigned	 nwait;
} sa_ax;

static const oid sa_null_oid[] = { 0, 0 };	/* an unbounded range */

static void
sa_axreq_free(struct sa_axreq *r)
{
	if (r->ovars_owned)
		snmp_free_varbind(r->ovars);
	free(r);
}

/* forget the requests of AgentX session ax (NULL: all) */
static void
sa_ax_forget(const netsnmp_session *ax)
{
	struct sa_axreq **pp = &sa_ax.wait, *r;

	while ((r = *pp) != NULL)
		if (ax == NULL || r->ax == ax) {
			*pp = r->next;
			sa_axreq_free(r);
			sa_ax.nwait--;
		} else
			pp = &r->next;
}

/*
 * The direct session's build hook: the agent's answer to a request of
 * sa_ax_packet, sent to the master as an AgentX Response (what
 * handle_subagent_response does, GETNEXT's range check included).
 * Nothing goes out on the direct session itself.
 */
static int
sa_ax_build(netsnmp_session *sp, netsnmp_pdu *pdu, u_char *pkt, size_t *len)
{
	struct sa_axreq **pp, *r;
	netsnmp_variable_list *u, *v;
	netsnmp_pdu *resp;

	(void)sp;
	pkt[0] = 0;
	*len = 1;
	for (pp = &sa_ax.wait; (r = *pp) != NULL; pp = &r->next)
		if (r->reqid == pdu->reqid && r->transid == pdu->transid &&
		    r->sessid == pdu->sessid)
			break;
	if (r == NULL || pdu->command != SNMP_MSG_RESPONSE) {
		log_warnx("snmp", "an answer (PDU type %d) to no AgentX "
		    "request (packet %ld): dropped", pdu->command,
		    pdu->reqid);
		return 0;
	}
	*pp = r->next;
	sa_ax.nwait--;
	if (snmp_sess_pointer(r->ax) == NULL) {
		/* the master went away meanwhile */
		sa_axreq_free(r);
		return 0;
	}
	/* the answer's varbinds move to the Response; the PDU is freed
	 * by our caller once this returns */
	v = pdu->variables;
	pdu->variables = NULL;
	resp = snmp_clone_pdu(pdu);
	if (resp == NULL) {
		pdu->variables = v;
		sa_axreq_free(r);
		return 0;
	}
	resp->variables = v;
	if (r->cmd == SA_AX_GETNEXT)
		for (u = r->ovars, v = resp->variables; u != NULL && v != NULL;
		    u = u->next_variable, v = v->next_variable) {
			if (snmp_oid_compare(u->val.objid,
			    u->val_len / sizeof(oid), sa_null_oid,
			    OID_LENGTH(sa_null_oid)) == 0)
				continue;
			/* past the range's end: endOfMibView at its
			 * start (RFC 2741 7.2.3.2) */
			if (snmp_oid_compare(v->name, v->name_length,
			    u->val.objid, u->val_len / sizeof(oid)) >= 0) {
				(void)snmp_set_var_objid(v, u->name,
				    u->name_length);
				(void)snmp_set_var_typed_value(v,
				    SNMP_ENDOFMIBVIEW, NULL, 0);
			}
		}
	resp->command = SA_AX_RESPONSE;
	resp->version = r->ax->version;
	if (snmp_send(r->ax, resp) == 0)
		snmp_free_pdu(resp);
	sa_axreq_free(r);
	return 0;
}

/* the AgentX session's handler, in place of the library's */
static int
sa_ax_packet(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct sa_axreq *r, **pp;
	int cmd;

	if (op == NETSNMP_CALLBACK_OP_DISCONNECT)
		sa_ax_forget(s);
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL ||
	    sa_ax.direct == NULL)
		return sa_ax.orig(op, s, reqid, pdu, magic);
	switch (pdu->command) {
	case SA_AX_GET:
		cmd = SNMP_MSG_GET;
		break;
	case SA_AX_GETNEXT:
		cmd = SNMP_MSG_GETNEXT;
		break;
	case SA_AX_GETBULK:
		cmd = SNMP_MSG_GETBULK;
		break;
	default:
		return sa_ax.orig(op, s, reqid, pdu, magic);
	}
	/* as the library's handler: the master is alive, so no ping is
	 * due (net-snmp keeps the ping alarm in securityModel) */
	if (s->securityModel != SNMP_DEFAULT_SECMODEL)
		(void)snmp_alarm_reset((unsigned)s->securityModel);

	if (sa_ax.nwait >= SA_AX_WAIT_MAX) {
		/* the oldest, unanswered all this while: forgotten */
		for (pp = &sa_ax.wait; (*pp)->next != NULL;
		    pp = &(*pp)->next)
			;
		log_warnx("snmp", "AgentX packet %ld never answered: "
		    "forgotten", (*pp)->reqid);
		sa_axreq_free(*pp);
		*pp = NULL;
		sa_ax.nwait--;
	}
	r = xcalloc(1, sizeof(*r));
	r->ax = s;
	r->reqid = pdu->reqid;
	r->transid = pdu->transid;
	r->sessid = pdu->sessid;
	r->cmd = pdu->command;
	if (r->cmd == SA_AX_GETNEXT)
		r->ovars = pdu->variables;
	r->next = sa_ax.wait;
	sa_ax.wait = r;
	sa_ax.nwait++;

	/* the request as the agent takes it, changed in place (the
	 * library frees it when this returns; the agent works on copies):
	 * the AgentX context travels as the community */
	pdu->version = s->version;
	pdu->flags |= UCD_MSG_FLAG_ALWAYS_IN_VIEW;
	pdu->flags &= ~(UCD_MSG_FLAG_EXPECT_RESPONSE |
	    UCD_MSG_FLAG_RESPONSE_PDU);
	free(pdu->contextName);
	pdu->contextName = (char *)pdu->community;
	pdu->contextNameLen = pdu->community_len;
	pdu->community = NULL;
	pdu->community_len = 0;
	pdu->command = cmd;
	/* answered (sa_ax_build) before it returns, unless a handler
	 * delegates: then from netsnmp_check_outstanding_agent_requests,
	 * and its ranges must outlive the request */
	(void)handle_snmp_packet(NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE,
	    sa_ax.direct, pdu->reqid, pdu, NULL);
	for (r = sa_ax.wait; r != NULL; r = r->next)
		if (r->ovars != NULL && r->ovars == pdu->variables &&
		    !r->ovars_owned) {
			r->ovars = snmp_clone_varbind(pdu->variables);
			r->ovars_owned = 1;
		}
	return 1;
}

/* the direct session's transport: sends nothing, receives nothing */
static int
sa_ax_tsend(netsnmp_transport *t, const void *buf, int size, void **opaque,
    int *olength)
{
	(void)t;
	(void)buf;
	(void)opaque;
	(void)olength;
	return size;
}

static int
sa_ax_trecv(netsnmp_transport *t, void *buf, int size, void **opaque,
    int *olength)
{
	(void)t;
	(void)buf;
	(void)size;
	*opaque = NULL;
	*olength = 0;
	errno = EAGAIN;
	return -1;
}

static int
sa_ax_tclose(netsnmp_transport *t)
{
	int rc = 0;

	if (t->sock >= 0)
		rc = close(t->sock);
	t->sock = -1;
	return rc;
}

static char *
sa_ax_tfmtaddr(netsnmp_transport *t, const void *data, int len)
{
	(void)t;
	(void)data;
	(void)len;
	return strdup("bmcwatch-snmp: direct");
}

/*
 * The session the agent answers on.  It must be one of net-snmp's
 * sessions with a descriptor of its own: an unbound datagram socket,
 * never readable, so the library's select and read pass it by.
 */
static netsnmp_session *
sa_ax_direct_open(void)
{
	netsnmp_transport *t;
	netsnmp_session s, *ss;
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("snmp", "AgentX direct session: socket");
		return NULL;
	}
	t = SNMP_MALLOC_TYPEDEF(netsnmp_transport);
	if (t == NULL) {
		(void)close(fd);
		return NULL;
	}
	t->sock = fd;
	t->flags = NETSNMP_TRANSPORT_FLAG_OPENED;
	t->msgMaxSize = SNMP_MAX_PACKET_LEN;
	t->f_recv = sa_ax_trecv;
	t->f_send = sa_ax_tsend;
	t->f_close = sa_ax_tclose;
	t->f_fmtaddr = sa_ax_tfmtaddr;
	snmp_sess_init(&s);
	s.version = SNMP_DEFAULT_VERSION;
	s.retries = 0;
	s.isAuthoritative = SNMP_SESS_AUTHORITATIVE;
	ss = snmp_add_full(&s, t, NULL, NULL, NULL, sa_ax_build, NULL, NULL,
	    NULL);
	if (ss == NULL)
		log_warnx("snmp", "AgentX direct session: %s",
		    snmp_api_errstring(s.s_snmp_errno));
	return ss;
}

/*
 * The AgentX socket's read, in place of net-snmp's Unix-domain one,
 * which asks getsockname for our own address before every read and
 * hands it on with the PDU, where nothing in a subagent looks at it:
 * one syscall a request less.
 */
static int
sa_ax_unix_recv(netsnmp_transport *t, void *buf, int size, void **opaque,
    int *olength)
{
	ssize_t n;

	*opaque = NULL;
	*olength = 0;
	do
		n = recv(t->sock, buf, (size_t)size, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return (int)n;
}

/* transportDomainLocal (RFC 3419): net-snmp's "unix:" transports */
static const oid sa_local_domain[] = { 1, 3, 6, 1, 2, 1, 100, 1, 13 };

/* SNMPD_CALLBACK_INDEX_START: an AgentX session to the master opened */
static int
sa_ax_opened(int major, int minor, void *server, void *client)
{
	netsnmp_session *s = server;
	netsnmp_transport *t;

	(void)major;
	(void)minor;
	(void)client;
	if (s == NULL || s->callback == sa_ax_packet)
		return 0;
	if (sa_ax.direct == NULL)
		sa_ax.direct = sa_ax_direct_open();
	sa_ax.orig = s->callback;
	s->callback = sa_ax_packet;
	t = snmp_sess_transport(snmp_sess_pointer(s));
	if (t != NULL && (t->flags & NETSNMP_TRANSPORT_FLAG_STREAM) &&
	    netsnmp_oid_equals(t->domain, t->domain_length, sa_local_domain,
	    OID_LENGTH(sa_local_domain)) == 0)
		t->f_recv = sa_ax_unix_recv;
	return 0;
}

/* ---- net-snmp set-up and the loop --------------------------------------- */

static int
sa_nslog(int major, int minor, void *server, void *client)
{
	struct snmp_log_message *m = server;
	char buf[512];
	size_t n;

	(void)major;
	(void)minor;
	(void)client;
	if (m == NULL || m->msg == NULL)
		return 0;
	(void)snprintf(buf, sizeof(buf), "%s", m->msg);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (m->priority <= LOG_WARNING)
		log_warnx("net-snmp", "%s", buf);
	else
		log_debug("net-snmp", "%s", buf);
	return 0;
}

static void
sa_usage(void)
{
	fprintf(stderr, "usage: %s -s FD -x AGENTX-SOCKET -i INDEX-FILE "
	    "[-S CONTROL-SOCKET] [-r SEL-TRAPS-PER-MINUTE] [-T START] [-P] "
	    "[-e FD] [-d] [-v]\n",
	    SA_NAME);
	exit(2);
}

static unsigned long
sa_num(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > max)
		sa_usage();
	return v;
}

int
main(int argc, char **argv)
{
	const char *agentx = NULL;
	struct sa_target *t;
	fd_set r;
	struct timeval tv;
	int ch, debug = 0, verbose = 0, errfd = -1, n, block, k;
	unsigned rate = 10;

	sa.fd = -1;
	sa.sel_recent_max = 256;
	while ((ch = getopt(argc, argv, "de:i:Pr:S:s:T:vx:")) != -1) {
		switch (ch) {
		case 'P':
			sa.pet = 1;
			break;
		case 'd':
			debug = 1;
			break;
		case 'e':
			errfd = (int)sa_num(optarg, 1024);
			break;
		case 'i':
			sa.index_file = optarg;
			break;
		case 'r':
			rate = (unsigned)sa_num(optarg, 6000);
			break;
		case 's':
			sa.fd = (int)sa_num(optarg, 1024);
			break;
		case 'S':
			sa.ctl_path = optarg;
			break;
		case 'T':
			sa.start_time = (uint32_t)sa_num(optarg, UINT32_MAX);
			break;
		case 'v':
			verbose++;
			break;
		case 'x':
			agentx = optarg;
			break;
		default:
			sa_usage();
		}
	}
	if (sa.fd < 3 || agentx == NULL || sa.index_file == NULL ||
	    optind != argc)
		sa_usage();
	{
		size_t len = strlen(sa.index_file) + sizeof(".webhooks");

		sa.hook_index_file = xmalloc(len);
		(void)snprintf(sa.hook_index_file, len, "%s.webhooks",
		    sa.index_file);
		len = strlen(sa.index_file) + sizeof(".control");
		sa.ctl_file = xmalloc(len);
		(void)snprintf(sa.ctl_file, len, "%s.control", sa.index_file);
	}
	/* a burst per window, as bmcwNotifySelEntryBurst (0..1000) says */
	sa.sel_window_s = SA_SEL_WINDOW_S;
	sa.sel_burst = rate;
	if (rate > 1000) {
		sa.sel_window_s = SA_SEL_WINDOW_S / 10;
		sa.sel_burst = rate / 10;
	}
	if (errfd >= 3) {
		(void)dup2(errfd, 2);
		(void)close(errfd);
	}
	log_init(SA_NAME, debug, verbose);
	(void)signal(SIGPIPE, SIG_IGN);
	if (fcntl(sa.fd, F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(sa.fd, F_SETFL, O_NONBLOCK) != 0)
		fatal("snmp", "fd %d", sa.fd);
	sa.in = xmalloc(SA_IN_MAX);
	sa_ctl_load();

	/* net-snmp: an AgentX subagent reading no files of its own */
	(void)setenv("MIBS", "", 1);
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    sa_nslog, NULL);
	snmp_enable_calllog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_X_SOCKET, agentx);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	if (init_agent(SA_NAME) != 0)
		fatalx("snmp", "init_agent failed");
	/* after init_agent, which sets the default of 15 s */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, SA_PING_S);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, !debug);
	sa_register();
	/* GET, GETNEXT, GETBULK without the callback hop (sa_ax_packet) */
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_INDEX_START, sa_ax_opened, NULL);
	init_snmp(SA_NAME);
	log_info("snmp", "AgentX subagent on %s", agentx);

	{
		const char *req = sa.pet ? "watch pet\n" : "watch\n";

		if (fileio_write_all(sa.fd, req, strlen(req)) != 0)
			fatal("snmp", "watch request");
	}
	for (;;) {
		FD_ZERO(&r);
		n = 0;
		block = 0;
		tv.tv_sec = 1;
		tv.tv_usec = 0;
		snmp_select_info(&n, &r, &tv, &block);
		FD_SET(sa.fd, &r);
		if (sa.fd >= n)
			n = sa.fd + 1;
		for (t = sa.targets; t != NULL; t = t->next)
			if (t->ctl.fd >= 0 && t->ctl.fd < FD_SETSIZE) {
				FD_SET(t->ctl.fd, &r);
				if (t->ctl.fd >= n)
					n = t->ctl.fd + 1;
			}
		k = select(n, &r, NULL, NULL, block ? NULL : &tv);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			fatal("snmp", "select");
		}
		if (k > 0) {
			if (FD_ISSET(sa.fd, &r)) {
				FD_CLR(sa.fd, &r);
				if (sa_input() != 0)
					break;
			}
			for (t = sa.targets; t != NULL; t = t->next)
				if (t->ctl.fd >= 0 && t->ctl.fd < FD_SETSIZE &&
				    FD_ISSET(t->ctl.fd, &r)) {
					FD_CLR(t->ctl.fd, &r);
					sa_ctl_input(t);
				}
			snmp_read(&r);
		} else
			snmp_timeout();
		run_alarms();
		netsnmp_check_outstanding_agent_requests();
		if (sa.ctl_dirty)
			sa_ctl_save();
	}
	snmp_shutdown(SA_NAME);
	wire_msg_free(&sa.ctl_saved);
	return 0;
}

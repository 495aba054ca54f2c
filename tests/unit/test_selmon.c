/*
 * Unit tests for the SEL monitor (agent/bmc/selmon.c), the archive and
 * the state file, against a model SEL behind a test transport: record
 * IDs that keep counting after a clear (as ipmi_sim), a capacity with
 * overflow, reservations, an erase that takes a few status polls, and
 * knobs for out-of-band clears, cancelled reservations, BMCs without
 * Clear SEL and entries that arrive while we work.  The model can live
 * in shared memory, so a child process killed with SIGKILL at a random
 * instant leaves it consistent for the next one (the crash loop).
 *
 * Every test runs twice: with the disk touched inline (cfg.io NULL, as
 * the CLI does) and through a work instance with one thread (as the
 * daemon does), where every state save and archive append happens off
 * the loop while the pass waits.  test_blocked_disk shows the point of
 * the second: a disk that does not answer holds the pass, not the loop.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "conn.h"
#include "ev.h"
#include "fake.h"
#include "sel.h"
#include "selmon.h"
#include "store/archive.h"
#include "store/state.h"
#include "work.h"

#define MODEL_LOG	30000

struct model {
	uint32_t	now;
	unsigned	cap;
	volatile unsigned nlog;		/* entries ever accepted */
	volatile unsigned start;	/* the SEL is log[start .. nlog) */
	uint32_t	last_add, last_erase;
	uint16_t	resid;
	int		overflow;
	unsigned	add_permille;	/* chance of an arrival per request */
	unsigned	max_log;	/* stop arrivals here */
	unsigned	erase_polls;	/* "in progress" answers per erase */
	unsigned	pending;
	int		no_clear;
	int		cancel_on_add;	/* additions cancel the reservation */
	int		wraps;		/* full: overwrite the oldest */
	unsigned	per_second;	/* additions per SEL clock second
					 * (default 3) */
	int		delete_keeps_erase; /* Delete SEL Entry leaves the
					 * erase time alone (ipmi_sim) */
	unsigned	c5_clears;	/* answer C5h to this many clears */
	unsigned	add_after_reserve;	/* arrivals right after one */
	unsigned	add_before_clear;	/* arrivals just before the
						 * erase (the residual window) */
	int		restart_ids;	/* after a clear, record IDs and
					 * contents start over (a new
					 * generation can repeat the old
					 * one byte for byte) */
	unsigned	id_base;	/* log index of the generation */
	int		no_erase_stamp;	/* Clear SEL keeps the erase
					 * time */
	uint32_t	rng;
	unsigned	requests, clears, gets, deletes;
	unsigned	fail_at;	/* request number that times out */
	uint8_t		del[MODEL_LOG];	/* deleted (Delete SEL Entry) */
	uint8_t		log[MODEL_LOG][SEL_RECORD_LEN];
};

static unsigned
model_rand(struct model *m)
{
	m->rng = m->rng * 1103515245u + 12345u;
	return (m->rng >> 8) & 0xffff;
}

static uint16_t
model_id(unsigned i)
{
	return (uint16_t)(i + 1);
}

/* the record ID stored in entry i */
static uint16_t
model_rid(const struct model *m, unsigned i)
{
	return (uint16_t)(m->log[i][0] | m->log[i][1] << 8);
}

/* entries present: [start, nlog) less the deleted ones */
static unsigned
model_count(const struct model *m, unsigned n)
{
	unsigned i, c = 0;

	for (i = m->start; i < n; i++)
		c += !m->del[i];
	return c;
}

/* first present index at or after i, n if none */
static unsigned
model_next(const struct model *m, unsigned i, unsigned n)
{
	while (i < n && m->del[i])
		i++;
	return i;
}

static int
model_add(struct model *m)
{
	unsigned n = m->nlog;
	unsigned pos = m->restart_ids ? n - m->id_base : n;
	uint8_t *r;

	if (model_count(m, n) >= m->cap && m->wraps)
		__atomic_store_n(&m->start, m->start + 1, __ATOMIC_RELEASE);
	else if (model_count(m, n) >= m->cap) {
		m->overflow = 1;
		return -1;
	}
	if (n >= m->max_log || n >= MODEL_LOG)
		return -1;
	r = m->log[n];
	r[0] = model_id(pos) & 0xff;
	r[1] = model_id(pos) >> 8;
	r[2] = 0x02;
	r[3] = m->now & 0xff;
	r[4] = (m->now >> 8) & 0xff;
	r[5] = (m->now >> 16) & 0xff;
	r[6] = m->now >> 24;
	r[7] = 0x20;
	r[8] = 0x00;
	r[9] = 0x04;
	r[10] = 0x01;		/* temperature */
	r[11] = (uint8_t)(1 + pos % 4);
	r[12] = 0x01;
	r[13] = 0x57;
	r[14] = (uint8_t)(pos & 0xff);
	r[15] = (uint8_t)(pos >> 8);
	m->last_add = m->now;
	if (n % (m->per_second ? m->per_second : 3) ==
	    (m->per_second ? m->per_second : 3) - 1)
		m->now++;	/* several entries in one second */
	if (m->cancel_on_add)
		m->resid++;
	__atomic_store_n(&m->nlog, n + 1, __ATOMIC_RELEASE);
	return 0;
}

static void
model_init(struct model *m, unsigned cap, unsigned n)
{
	memset(m, 0, offsetof(struct model, del));
	memset(m->del, 0, sizeof(m->del));
	m->now = 0x6b000000;
	m->cap = cap;
	m->max_log = MODEL_LOG;
	m->rng = 1;
	while (n-- > 0)
		(void)model_add(m);
}

static void
model_clear(struct model *m)
{
	if (!m->no_erase_stamp)
		m->last_erase = m->now;
	if (m->restart_ids)
		m->id_base = m->nlog;
	m->overflow = 0;
	__atomic_store_n(&m->start, m->nlog, __ATOMIC_RELEASE);
}

/* answer one request into rsp */
static void
model_answer(struct model *m, const struct ipmi_req *q, struct ipmi_rsp *rsp)
{
	unsigned entries, i, n;
	uint16_t id, resid;
	uint8_t *d = rsp->data;

	m->requests++;
	if (m->add_permille && model_rand(m) % 1000 < m->add_permille)
		(void)model_add(m);
	n = m->nlog;
	entries = model_count(m, n);
	rsp->ccode = 0;
	rsp->len = 0;
	if (q->netfn != IPMI_NETFN_STORAGE) {
		rsp->ccode = IPMI_CC_INVALID_COMMAND;
		return;
	}
	switch (q->cmd) {
	case IPMI_CMD_GET_SEL_INFO:
		d[0] = 0x51;
		d[1] = entries & 0xff;
		d[2] = entries >> 8;
		d[3] = ((m->cap - entries) * 16) & 0xff;
		d[4] = ((m->cap - entries) * 16) >> 8;
		memcpy(d + 5, &m->last_add, 4);
		memcpy(d + 9, &m->last_erase, 4);
		d[13] = 0x0a | (m->overflow ? 0x80 : 0);
		rsp->len = 14;
		return;
	case IPMI_CMD_RESERVE_SEL:
		m->resid++;
		if (m->resid == 0)
			m->resid = 1;
		d[0] = m->resid & 0xff;
		d[1] = m->resid >> 8;
		rsp->len = 2;
		while (m->add_after_reserve > 0) {
			m->add_after_reserve--;
			(void)model_add(m);
		}
		return;
	case IPMI_CMD_GET_SEL_ENTRY:
		m->gets++;
		if (q->len < 6) {
			rsp->ccode = IPMI_CC_REQUEST_DATA_LENGTH_INVALID;
			return;
		}
		id = (uint16_t)(q->data[2] | q->data[3] << 8);
		if (entries == 0) {
			rsp->ccode = IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
			return;
		}
		if (id == 0)
			i = model_next(m, m->start, n);
		else if (id == 0xffff)
			for (i = n - 1; m->del[i]; i--)
				;
		else {
			for (i = m->start; i < n; i++)
				if (model_rid(m, i) == id && !m->del[i])
					break;
			if (i == n) {
				rsp->ccode = IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
				return;
			}
		}
		id = model_next(m, i + 1, n) < n ?
		    model_rid(m, model_next(m, i + 1, n)) : 0xffff;
		d[0] = id & 0xff;
		d[1] = id >> 8;
		memcpy(d + 2, m->log[i], SEL_RECORD_LEN);
		rsp->len = 18;
		return;
	case IPMI_CMD_DELETE_SEL_ENTRY:
		if (q->len < 4) {
			rsp->ccode = IPMI_CC_REQUEST_DATA_LENGTH_INVALID;
			return;
		}
		resid = (uint16_t)(q->data[0] | q->data[1] << 8);
		id = (uint16_t)(q->data[2] | q->data[3] << 8);
		if (resid != m->resid) {
			rsp->ccode = IPMI_CC_RESERVATION_CANCELLED;
			return;
		}
		for (i = m->start; i < n; i++)
			if (!m->del[i] && (model_rid(m, i) == id || (id == 0 &&
			    i == model_next(m, m->start, n))))
				break;
		if (i == n) {
			rsp->ccode = IPMI_CC_REQUESTED_DATA_NOT_PRESENT;
			return;
		}
		m->deletes++;
		if (!m->delete_keeps_erase)
			m->last_erase = m->now;
		__atomic_store_n(&m->del[i], 1, __ATOMIC_RELEASE);
		d[0] = model_rid(m, i) & 0xff;
		d[1] = model_rid(m, i) >> 8;
		rsp->len = 2;
		return;
	case IPMI_CMD_CLEAR_SEL:
		if (m->no_clear) {
			rsp->ccode = IPMI_CC_INVALID_COMMAND;
			return;
		}
		resid = (uint16_t)(q->data[0] | q->data[1] << 8);
		if (q->len < 6 || q->data[2] != 'C' || q->data[3] != 'L' ||
		    q->data[4] != 'R') {
			rsp->ccode = IPMI_CC_INVALID_DATA_FIELD;
			return;
		}
		if (resid != m->resid || (q->data[5] == 0xaa &&
		    m->c5_clears > 0)) {
			if (m->c5_clears > 0)
				m->c5_clears--;
			rsp->ccode = IPMI_CC_RESERVATION_CANCELLED;
			return;
		}
		if (q->data[5] == 0xaa) {
			while (m->add_before_clear > 0) {
				m->add_before_clear--;
				m->now++;
				(void)model_add(m);
			}
			m->clears++;
			model_clear(m);
			m->pending = m->erase_polls;
		} else if (m->pending > 0)
			m->pending--;
		d[0] = m->pending > 0 ? 0 : 1;
		rsp->len = 1;
		return;
	default:
		rsp->ccode = IPMI_CC_INVALID_COMMAND;
	}
}

/* the transport: answers on the next timeout call, as fake.c does */
struct mtr {
	struct ipmi_tr	 tr;
	struct model	*m;
	int		 have;
	int		 fail;
};

static enum ipmi_err
mtr_start(struct ipmi_tr *tr, uint64_t now)
{
	struct mtr *t = (struct mtr *)tr;
	const struct ipmi_req *q = ipmi_tr_cur(tr);

	memset(&tr->rsp, 0, sizeof(tr->rsp));
	tr->rsp.netfn = q->netfn | 1;
	tr->rsp.cmd = q->cmd;
	model_answer(t->m, q, &tr->rsp);
	t->fail = t->m->fail_at != 0 && t->m->requests == t->m->fail_at;
	t->have = 1;
	tr->deadline = now ? now : 1;
	return IPMI_OK;
}

static void
mtr_timeout(struct ipmi_tr *tr, uint64_t now)
{
	struct mtr *t = (struct mtr *)tr;

	tr->deadline = 0;
	if (!t->have)
		return;
	t->have = 0;
	ipmi_tr_complete(tr, t->fail ? IPMI_E_TIMEOUT : IPMI_OK, now);
}

static void
mtr_readable(struct ipmi_tr *tr, uint64_t now)
{
	(void)tr;
	(void)now;
}

static void
mtr_close(struct ipmi_tr *tr, uint64_t now)
{
	(void)now;
	ipmi_tr_closed(tr);
}

static void
mtr_free(struct ipmi_tr *tr)
{
	ipmi_tr_base_fini(tr);
	free(tr);
}

static const struct ipmi_tr_ops mtr_ops = {
	"model", mtr_start, mtr_readable, mtr_timeout, mtr_close, mtr_free,
	NULL, NULL, NULL, NULL, NULL
};

static struct ipmi_tr *
mtr_new(struct model *m)
{
	struct ipmi_tr_cfg cfg;
	struct mtr *t = calloc(1, sizeof(*t));

	ipmi_tr_cfg_init(&cfg);
	ipmi_tr_base_init(&t->tr, &mtr_ops, &cfg);
	t->m = m;
	return &t->tr;
}

/* ---- a test bed: model + loop + archive + state in a temp dir ---- */

static char tdir[256];
/* 0: cfg.io NULL (inline); 1: a work instance with a thread */
static int bed_threads;

struct bed {
	struct model		*m;
	struct ev		*ev;
	struct conn		*conn;
	struct work		*io;
	struct archive		*arch;
	struct archive_cfg	 acfg;
	struct selmon_cfg	 cfg;
	struct selmon		*mon;
	char			 apath[300];
	char			 spath[300];
};

static struct model *
model_new_shared(void)
{
	void *p = mmap(NULL, sizeof(struct model), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static void
bed_open(struct bed *b, struct model *m, const char *name)
{
	memset(b, 0, sizeof(*b));
	b->m = m;
	(void)snprintf(b->apath, sizeof(b->apath), "%s/%s.log", tdir, name);
	(void)snprintf(b->spath, sizeof(b->spath), "%s/%s.state", tdir,
	    name);
	b->ev = ev_new();
	b->conn = conn_new(b->ev, mtr_new(m));
	if (bed_threads && (b->io = work_new(b->ev, 1)) == NULL) {
		perror("work_new");
		exit(2);
	}
	b->cfg.io = b->io;
	b->acfg.path = b->apath;
	b->arch = archive_new(&b->acfg);
	b->cfg.bmc = "bmc1";
	b->cfg.state_path = b->spath;
	b->cfg.archive = b->arch;
	b->cfg.archive_path = b->apath;
	b->cfg.clear_at = 75;
	b->cfg.erase_poll_ms = 1;
	b->mon = selmon_new(b->ev, b->conn, &b->cfg);
}

/* a new selmon on the same files: as after a restart */
static void
bed_restart(struct bed *b)
{
	selmon_free(b->mon);
	archive_free(b->arch);
	b->arch = archive_new(&b->acfg);
	b->cfg.archive = b->arch;
	b->mon = selmon_new(b->ev, b->conn, &b->cfg);
}

static void
bed_close(struct bed *b)
{
	selmon_free(b->mon);
	archive_free(b->arch);
	work_free(b->io);
	conn_free(b->conn);
	ev_free(b->ev);
}

static unsigned
bed_run(struct bed *b, int mode, struct selmon_result *r)
{
	unsigned before = b->m->requests;

	selmon_run(b->mon, mode, r);
	if (r->err != SELMON_OK)
		printf("# selmon: %s: %s\n", selmon_strerror(r->err), r->msg);
	CHECK_EQ(r->requests, b->m->requests - before);
	return b->m->requests - before;
}

/* the RAW field (the 7th) of an archive line */
static int
line_raw(const char *line, uint8_t raw[SEL_RECORD_LEN])
{
	const size_t hl = (size_t)SEL_RECORD_LEN * 2;	/* hex digits */
	char f[2 * SEL_RECORD_LEN + 1];
	const char *p = line;
	int i;

	for (i = 0; i < 6 && p != NULL; i++)
		if ((p = strchr(p, '\t')) != NULL)
			p++;
	if (p == NULL || strlen(p) < hl)
		return -1;
	memcpy(f, p, hl);
	f[hl] = '\0';
	if (p[hl] != '\t' && p[hl] != '\n' && p[hl] != '\0')
		return -1;
	return harness_hex(f, raw, SEL_RECORD_LEN) == SEL_RECORD_LEN ? 0 : -1;
}

/* how many lines of the archive hold raw */
static int
archive_count(const char *path, const uint8_t *raw)
{
	char line[2048];
	uint8_t b[SEL_RECORD_LEN];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (line_raw(line, b) == 0 && memcmp(b, raw, 16) == 0)
			n++;
	(void)fclose(f);
	return n;
}

/* lines in a file */
static int
file_lines(const char *path)
{
	char line[2048];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		n++;
	(void)fclose(f);
	return n;
}

/* every entry of the model's present SEL is in the archive exactly
 * `times` times */
static void
check_present(const char *path, const struct model *m, int times)
{
	unsigned i, bad = 0;

	for (i = m->start; i < m->nlog; i++)
		if (!m->del[i] && archive_count(path, m->log[i]) != times) {
			if (bad++ < 5)
				printf("# entry 0x%04x is %d times in the "
				    "archive, expected %d\n", model_rid(m, i),
				    archive_count(path, m->log[i]), times);
		}
	CHECK_EQ(bad, 0);
}

/*
 * Check the archive against the model: every entry ever accepted is in
 * it exactly once, and nothing else is.  Returns the number of lines.
 */
static int
check_archive(const char *path, const struct model *m)
{
	static unsigned char count[MODEL_LOG];
	char line[2048];
	FILE *f = fopen(path, "r");
	unsigned i, lines = 0, bad = 0, dup = 0, missing = 0;

	memset(count, 0, sizeof(count));
	if (f == NULL)
		return m->nlog == 0 ? 0 : -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		uint8_t b[SEL_RECORD_LEN];
		unsigned idx;

		lines++;
		if (line_raw(line, b) != 0) {
			bad++;
			continue;
		}
		idx = (unsigned)(b[0] | b[1] << 8) - 1;
		if (idx >= m->nlog || memcmp(m->log[idx], b, 16) != 0) {
			bad++;
			continue;
		}
		if (count[idx]++ > 0)
			dup++;
	}
	(void)fclose(f);
	for (i = 0; i < m->nlog; i++)
		if (count[i] == 0)
			missing++;
	if (bad || dup || missing)
		printf("# archive %s: %u lines, %u entries: %u bad, %u "
		    "duplicated, %u missing\n", path, lines, m->nlog, bad, dup,
		    missing);
	CHECK_EQ(bad, 0);
	CHECK_EQ(dup, 0);
	CHECK_EQ(missing, 0);
	return (int)lines;
}

/* ---- tests ---- */

static void
test_incremental_counts(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned n;

	model_init(m, 2000, 1000);
	/* a BMC that names itself and whose clock dated its last clear:
	 * the state is proven its own, so the entry after the cursor is
	 * asked for directly (test_incremental_counts_unproven: without) */
	m->last_erase = m->now - 86400;
	bed_open(&b, m, "incr");
	b.cfg.identity = "guid-0b57c0de5eed4a1c9e3f00112233aabb";
	bed_restart(&b);
	/* first sweep: info + 1000 reads */
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 1000);
	CHECK_EQ(n, 1001);
	/* nothing new: exactly one request */
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(n, 1);
	CHECK_EQ(r.new_entries, 0);
	/* 5 new: one SEL info plus 5 reads */
	for (n = 0; n < 5; n++)
		(void)model_add(m);
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 5);
	CHECK_EQ(n, 6);
	CHECK_EQ(m->gets, 1005);
	/* the same after a restart, from the state file */
	bed_restart(&b);
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(n, 1);
	for (n = 0; n < 10; n++)
		(void)model_add(m);
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	CHECK_EQ(n, 11);
	CHECK_EQ(check_archive(b.apath, m), 1015);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * The same without a proof that the state is this SEL's (no identity,
 * an erase time that is no date): every pass with new entries reads the
 * cursor back first, one request more; "nothing new" stays one request
 * (the last-addition time is a date).
 */
static void
test_incremental_counts_unproven(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned n;

	model_init(m, 2000, 1000);
	bed_open(&b, m, "incru");
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(n, 1001);
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 1);
	for (n = 0; n < 5; n++)
		(void)model_add(m);
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 5);
	CHECK_EQ(n, 7);		/* info, the cursor, 5 entries */
	bed_restart(&b);
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 1);
	for (n = 0; n < 10; n++)
		(void)model_add(m);
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	CHECK_EQ(n, 12);
	/* an identity alone is no proof while the erase time is 0 */
	b.cfg.identity = "guid-0b57c0de5eed4a1c9e3f00112233aabb";
	bed_restart(&b);
	(void)model_add(m);
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 3);
	bed_restart(&b);
	(void)model_add(m);
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 3);
	CHECK_EQ(check_archive(b.apath, m), 1017);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* the same "nothing new" sweep with the scripted transport of fake.h:
 * the state file says what the SEL looked like, one Get SEL Info */
static void
test_nothing_new_fake(void)
{
	static const uint8_t info[] = { 0x51, 0xe8, 0x03, 0x00, 0x00,
	    0x00, 0x30, 0x05, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x8a };
	struct fake_rule rules[] = {
		{ 0x0a, 0x40, NULL, 0, IPMI_OK, 0, info, sizeof(info), 0 },
	};
	struct state_sel st;
	struct selmon_cfg cfg;
	struct selmon_result r;
	struct selmon *mon;
	struct ev *ev = ev_new();
	struct ipmi_tr *tr = fake_new(rules, 1);
	struct conn *c = conn_new(ev, tr);
	char path[300], err[256];

	(void)snprintf(path, sizeof(path), "%s/fake.state", tdir);
	memset(&st, 0, sizeof(st));
	st.last_add = 0x6b053000;
	st.entries = 1000;
	st.has_cursor = 1;
	st.cursor_id = 1000;
	CHECK_EQ(state_save(path, &st, err, sizeof(err)), 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.state_path = path;
	cfg.io = bed_threads ? work_new(ev, 1) : NULL;
	mon = selmon_new(ev, c, &cfg);
	selmon_run(mon, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.requests, 1);
	CHECK_EQ(fake_count(tr, FAKE_ANY, FAKE_ANY), 1);
	CHECK_EQ(r.info.entries, 1000);
	CHECK_EQ(r.overflow, 1);
	CHECK_EQ(r.used_pct, 100);
	selmon_free(mon);
	work_free(cfg.io);
	conn_free(c);
	ev_free(ev);
}

static void
test_archive_then_clear(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 128, 90);		/* 70 % */
	m->erase_polls = 3;
	bed_open(&b, m, "clear");
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.cleared, 0);		/* below 75 % */
	CHECK_EQ(m->clears, 0);
	while (m->nlog < 100)
		(void)model_add(m);	/* 78 % */
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 10);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(r.cleared_entries, 100);
	CHECK_EQ(m->clears, 1);
	CHECK_EQ(m->nlog - m->start, 0);
	CHECK_EQ(r.info.entries, 0);
	CHECK_EQ(check_archive(b.apath, m), 100);
	/* newcomers after the clear: archived on the next pass, from
	 * record IDs that kept counting */
	(void)model_add(m);
	(void)model_add(m);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.new_entries, 2);
	CHECK_EQ(r.oob_clear, 0);
	CHECK_EQ(check_archive(b.apath, m), 102);
	/* clear_free: 126 free entries, fewer than 127 */
	b.cfg.clear_at = 0;
	b.cfg.clear_free = 127;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(check_archive(b.apath, m), 102);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_out_of_band_clear(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 500, 10);
	bed_open(&b, m, "oob");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	/* someone clears the SEL; three entries arrive */
	m->now += 5;
	model_clear(m);
	(void)model_add(m);
	(void)model_add(m);
	(void)model_add(m);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.oob_clear, 1);
	CHECK_EQ(r.new_entries, 3);
	CHECK_EQ(r.skipped, 0);
	CHECK_EQ(check_archive(b.apath, m), 13);
	/* the cursor entry disappears without an erase time change (a
	 * BMC that does not stamp erasures): re-read, nothing repeated */
	m->start = m->nlog - 1;
	(void)model_add(m);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(check_archive(b.apath, m), 14);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_c5_and_newcomers_during_clear(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 100, 80);
	bed_open(&b, m, "c5");
	m->c5_clears = 1;		/* the first clear: C5h */
	m->add_after_reserve = 2;	/* arrivals after the archive step */
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(r.new_entries, 82);
	CHECK_EQ(m->clears, 1);
	CHECK_EQ(check_archive(b.apath, m), 82);
	/* entries that keep arriving: bounded rounds, nothing cleared */
	while (m->nlog - m->start < 90)
		(void)model_add(m);
	m->c5_clears = 100;
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_E_RACE);
	CHECK_EQ(m->clears, 1);
	CHECK_EQ(check_archive(b.apath, m), 90 + 82);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* the residual window: an entry the BMC takes between our last check
 * and the erase, on a BMC that keeps reservations across additions, is
 * lost; the pass says so */
static void
test_residual_window_reported(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 100, 80);
	bed_open(&b, m, "window");
	m->add_before_clear = 1;
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(r.maybe_lost, 1);
	CHECK(strstr(r.msg, "may be lost") != NULL);
	/* the delete method has no such window */
	model_init(m, 100, 80);
	b.cfg.delete_entries = 1;
	b.acfg.path = b.apath;
	(void)snprintf(b.apath, sizeof(b.apath), "%s/window2.log", tdir);
	(void)snprintf(b.spath, sizeof(b.spath), "%s/window2.state", tdir);
	bed_restart(&b);
	m->add_after_reserve = 1;
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(r.maybe_lost, 0);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(check_archive(b.apath, m), 81);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_unwritable_archive(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	char dir[300];

	model_init(m, 100, 90);
	bed_open(&b, m, "ro");
	/* an archive in a directory that does not exist */
	(void)snprintf(dir, sizeof(dir), "%s/nodir/sel.log", tdir);
	b.acfg.path = dir;
	b.cfg.archive_path = dir;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_E_ARCHIVE);
	CHECK(strstr(r.msg, "nothing cleared") != NULL);
	CHECK_EQ(m->clears, 0);
	CHECK_EQ(m->nlog - m->start, 90);
	/* /dev/full: the write fails with ENOSPC */
	b.acfg.path = "/dev/full";
	b.cfg.archive_path = NULL;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK(r.err == SELMON_E_ARCHIVE);
	CHECK_EQ(m->clears, 0);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_no_clear_support(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 100, 90);
	m->no_clear = 1;
	bed_open(&b, m, "noclear");
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.archive_only, 1);
	CHECK_EQ(r.archive_only_new, 1);
	CHECK_EQ(r.new_entries, 90);
	(void)model_add(m);
	bed_restart(&b);	/* remembered in the state */
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.archive_only, 1);
	CHECK_EQ(r.archive_only_new, 0);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(m->clears, 0);
	CHECK_EQ(check_archive(b.apath, m), 91);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_state_file(void)
{
	struct state_sel st, st2;
	char path[300], err[256];
	int fd;

	(void)snprintf(path, sizeof(path), "%s/st.state", tdir);
	CHECK_EQ(state_load(path, &st, err, sizeof(err)), 1);
	memset(&st, 0, sizeof(st));
	st.last_add = 0x6b052be2;
	st.last_erase = 7;
	st.entries = 13;
	st.has_cursor = 1;
	st.cursor_id = 0x0d;
	st.cursor_raw[0] = 0x0d;
	st.cursor_raw[15] = 0xff;
	st.seq_ids = 1;
	st.archived = 1234567890123ull;
	CHECK_EQ(state_save(path, &st, err, sizeof(err)), 0);
	CHECK_EQ(state_load(path, &st2, err, sizeof(err)), 0);
	CHECK(state_sel_same(&st, &st2));
	/* identity, generation, what is pending */
	state_identity_copy(st.identity, "dev-01-07ed9-0b57@bmc 1:623\t");
	CHECK_STR(st.identity, "dev-01-07ed9-0b57@bmc_1:623_");
	st.gen = 0xfeedf00d;
	st.pending = STATE_PENDING_DELETE;
	CHECK_EQ(state_save(path, &st, err, sizeof(err)), 0);
	CHECK_EQ(state_load(path, &st2, err, sizeof(err)), 0);
	CHECK(state_sel_same(&st, &st2));
	state_identity_copy(st.identity, NULL);
	CHECK_EQ(st.identity[0], '\0');
	CHECK(state_gen_new(0) != 0);
	CHECK(state_gen_new(7) != 7);
	/* one flipped byte: corrupt */
	fd = open(path, O_WRONLY);
	CHECK(pwrite(fd, "9", 1, 40) == 1);
	(void)close(fd);
	CHECK_EQ(state_load(path, &st2, err, sizeof(err)), -1);
	CHECK(strstr(err, "corrupt") != NULL);
	/* truncated */
	CHECK(truncate(path, 30) == 0);
	CHECK_EQ(state_load(path, &st2, err, sizeof(err)), -1);
	CHECK_EQ(state_crc32("123456789", 9), 0xcbf43926);
}

/* a corrupt state file: the whole SEL is read again and the archive
 * read-back keeps it from being archived twice; a torn line is cut */
static void
test_corrupt_state_and_torn_line(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	FILE *f;

	model_init(m, 500, 20);
	bed_open(&b, m, "corrupt");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 20);
	f = fopen(b.spath, "w");
	fputs("garbage\n", f);
	fclose(f);
	/* a torn line, as a kill during the write leaves it */
	f = fopen(b.apath, "a");
	fputs("2026-11-24T06:17:05Z\tbmc1\t0x0015\tCPU", f);
	fclose(f);
	(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK(strstr(r.msg, "corrupt") != NULL);
	/* said in the note too: what the daemon logs */
	CHECK(strstr(r.note, b.spath) != NULL);
	CHECK(strstr(r.note, "corrupt") != NULL);
	CHECK_EQ(r.skipped, 20);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(check_archive(b.apath, m), 21);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_overflow_reported(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 50, 60);		/* 10 dropped */
	CHECK_EQ(m->nlog, 50);
	bed_open(&b, m, "overflow");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.overflow, 1);
	CHECK_EQ(r.used_pct, 100);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(r.overflow, 1);	/* seen this pass ... */
	CHECK_EQ(r.info.ops & SEL_OP_OVERFLOW, 0);	/* ... reset by the clear */
	CHECK_EQ(check_archive(b.apath, m), 50);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Fault injection: a child runs archive-then-clear passes over and
 * over while entries keep arriving, and is SIGKILLed; the next child
 * starts from the files it left.  After all iterations one clean pass,
 * then every entry ever accepted must be in the archive exactly once.
 * The model cancels reservations on additions (see the residual window
 * in selmon.c).
 *
 * Where a kill lands is counted in the child's progress, never in
 * time, so the test exercises the same code on a fast machine and on a
 * slow one (ASan, a busy core).  The child counts its steps: every
 * request the model answers, and every write(2), fsync(2) and rename(2)
 * of the archive and state files, seen through the wrappers below
 * (they replace libc's for this binary and pass straight through
 * outside a crash child).  At the planned step it writes what it must
 * (a torn archive write stops after a prefix of its bytes), stops
 * itself, and the parent SIGKILLs it.  Iteration i plans one kind of
 * crash point, in turn (crash_kinds[]), at an occurrence k spread
 * evenly over the kind's range with a random offset, so every point is
 * hit in every run:
 *   - after request k (any request: mid-read, mid-verify, while the
 *     erase runs ...), k spread over a whole fill-archive-clear cycle;
 *   - in the middle of the k-th archive write (a torn line);
 *   - after the k-th archive fsync, before the state is written;
 *   - after the k-th state fsync, before its rename;
 *   - after the k-th state rename, before the directory fsync and the
 *     clear;
 *   - right after the k-th Clear SEL (or Delete SEL Entry) the model
 *     accepted, before its answer is read;
 *   - k requests after the first accepted clear or delete.
 * The minimums checked at the end hold by construction: each of the
 * last two kinds of child makes at least one clear (or delete) happen
 * (70 in 250 iterations), and a clear needs the SEL half full (16 of
 * 32 entries); arrivals are at least one in five requests (the model's
 * random ones, topped up), and the "after request k" children alone
 * answer sum(k) >= 1400 requests.  A child that never reaches its
 * point within CRASH_STEP_CAP steps is a livelock, and a failure.
 */
enum crash_kind {
	CK_REQUEST,	/* counts every request */
	CK_TORN,	/* archive write(2) */
	CK_ARCH_SYNC,	/* archive fsync(2) */
	CK_STATE_SYNC,	/* state tmp fsync(2) */
	CK_RENAME,	/* state rename(2) */
	CK_CLEAR,	/* accepted Clear SEL (erase) or Delete SEL Entry */
	CK_AFTER_CLEAR,	/* any request after the first CK_CLEAR */
	CK_N
};

static const struct {
	const char	*name;
	unsigned	 range;		/* k in 1..range (delete mode: drange) */
	unsigned	 drange;
} crash_kinds[CK_N] = {
	{ "after request k", 80, 80 },
	{ "mid-archive write", 3, 3 },
	{ "after the archive fsync", 3, 3 },
	{ "after the state fsync, before rename", 3, 3 },
	{ "after the state rename, before the clear", 3, 3 },
	{ "right after Clear SEL / Delete SEL Entry", 2, 20 },
	{ "k requests after a clear / delete", 40, 40 },
};

#define CRASH_STEP_CAP	200000u
#define CRASH_DRY_MAX	4	/* requests without an arrival, at most */

/* shared between the parent and its children (MAP_SHARED) */
struct crash_ctl {
	/* the plan for the child about to run */
	int		 kind;
	unsigned	 target;
	unsigned	 torn;		/* a torn write keeps torn % n bytes */
	/* the child's progress */
	unsigned	 seen;		/* occurrences of kind so far */
	unsigned	 steps;
	int		 cleared;	/* for CK_AFTER_CLEAR */
	int		 stopped;	/* kind + 1 at its point; -1: cap */
	/* across children */
	unsigned	 dry;		/* requests since the last arrival */
	unsigned	 arrivals_added;
	char		 archive[64];	/* "/NAME.log", to know the fd */
};

static struct crash_ctl *crash;		/* set in a crash child only */
static const struct ipmi_tr_ops *crash_mtr_ops;
static volatile pid_t crash_pid;

/* one step of the child; 1 if it is the planned one (stop there) */
static int
crash_step(int kind)
{
	struct crash_ctl *c = crash;

	if (c == NULL)
		return 0;
	if (++c->steps >= CRASH_STEP_CAP) {
		c->stopped = -1;
		return 1;
	}
	if (kind == CK_CLEAR)
		c->cleared = 1;
	if (c->kind == CK_AFTER_CLEAR)
		return kind == CK_REQUEST && c->cleared &&
		    ++c->seen >= c->target;
	if (kind == c->kind)
		return ++c->seen >= c->target;
	return 0;
}

static void
crash_stop(void)
{
	if (crash->stopped == 0)
		crash->stopped = crash->kind + 1;
	(void)raise(SIGSTOP);	/* the parent SIGKILLs us now */
	for (;;)
		(void)pause();
}

/* is fd the archive (else the state's tmp file or the directory)? */
static int
crash_fd_kind(int fd)
{
	char p[64], link[512];
	ssize_t n;
	size_t al = strlen(crash->archive);
	struct stat sb;

	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode))
		return -1;
	(void)snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	return (size_t)n >= al && strcmp(link + n - al, crash->archive) == 0;
}

/* the wrappers: this binary's write, fsync and rename */
ssize_t
write(int fd, const void *p, size_t n)
{
	if (crash != NULL && crash_fd_kind(fd) == 1 && crash_step(CK_TORN)) {
		if (n > 0)
			(void)syscall(SYS_write, fd, p, crash->torn % n);
		crash_stop();
	}
	return (ssize_t)syscall(SYS_write, fd, p, n);
}

/* a SIGKILL loses nothing write(2) stored: a crash child skips the
 * flush to disk, which only a power cut would need */
int
fsync(int fd)
{
	int k;

	if (crash == NULL)
		return (int)syscall(SYS_fsync, fd);
	k = crash_fd_kind(fd);
	if (crash_step(k == 1 ? CK_ARCH_SYNC : k == 0 ? CK_STATE_SYNC : CK_N))
		crash_stop();
	return 0;
}

int
rename(const char *from, const char *to)
{
	int r = (int)syscall(SYS_renameat, AT_FDCWD, from, AT_FDCWD, to);

	if (crash_step(CK_RENAME))
		crash_stop();
	return r;
}

/* the model transport, with arrivals topped up and a step per request */
static enum ipmi_err
crash_mtr_start(struct ipmi_tr *tr, uint64_t now)
{
	struct model *m = ((struct mtr *)tr)->m;
	const struct ipmi_req *q = ipmi_tr_cur(tr);
	unsigned before = m->nlog;
	enum ipmi_err e;
	int clear;

	if (crash->dry >= CRASH_DRY_MAX && model_add(m) == 0)
		crash->arrivals_added++;
	e = crash_mtr_ops->start(tr, now);
	crash->dry = m->nlog != before ? 0 : crash->dry + 1;
	clear = q->netfn == IPMI_NETFN_STORAGE && tr->rsp.ccode == 0 &&
	    ((q->cmd == IPMI_CMD_CLEAR_SEL && q->len >= 6 &&
	    q->data[5] == 0xaa) || q->cmd == IPMI_CMD_DELETE_SEL_ENTRY);
	/* a clear is a request too: two steps */
	if ((clear && crash_step(CK_CLEAR)) || crash_step(CK_REQUEST))
		crash_stop();
	return e;
}

static void
crash_child(struct model *m, struct crash_ctl *c, int del, const char *name)
{
	static struct ipmi_tr_ops ops;
	struct selmon_result r;
	struct ipmi_tr *tr;
	struct bed b;

	bed_open(&b, m, name);
	b.cfg.clear_at = 50;
	b.cfg.delete_entries = del;
	bed_restart(&b);
	tr = conn_tr(b.conn);
	crash_mtr_ops = tr->ops;
	ops = *tr->ops;
	ops.start = crash_mtr_start;
	tr->ops = &ops;
	crash = c;
	for (;;)
		selmon_run(b.mon, SELMON_CLEAR, &r);
}

static void
crash_alarm(int sig)
{
	static const char msg[] = "# crash loop: no progress in 600 s\n";

	(void)sig;
	if (crash_pid > 0)
		(void)kill(crash_pid, SIGKILL);
	/* this binary wraps write() (the crash steps above), so the
	 * plain write(2), async-signal-safe, is reached by its syscall */
	/* NOLINTNEXTLINE(bugprone-signal-handler,cert-sig30-c) */
	(void)syscall(SYS_write, 1, msg, sizeof(msg) - 1);
	_exit(1);
}

/* one model SEL, archive and state through iter children, then checked */
static void
crash_epoch(int del, const char *name, unsigned iter, uint32_t seed)
{
	struct model *m = model_new_shared();
	struct crash_ctl *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct selmon_result r;
	struct bed b;
	unsigned planned[CK_N], reached[CK_N], capped = 0, odd = 0, clears;
	unsigned range, n, t, i, k;
	pid_t pid;
	int st;

	if (c == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(c, 0, sizeof(*c));
	(void)snprintf(c->archive, sizeof(c->archive), "/%s.log", name);
	memset(planned, 0, sizeof(planned));
	memset(reached, 0, sizeof(reached));
	model_init(m, 32, 10);
	m->add_permille = 300;
	/* Clear SEL needs a BMC that cancels reservations on additions;
	 * the delete method does not */
	m->cancel_on_add = !del;
	m->delete_keeps_erase = del;	/* as ipmi_sim: the harder case */
	m->per_second = del ? 40 : 3;
	m->erase_polls = 1;
	m->max_log = MODEL_LOG - 100;
	m->rng = seed;
	printf("# crash loop (%s): %u iterations, seed %u\n", name, iter,
	    seed);
	fflush(stdout);
	(void)signal(SIGALRM, crash_alarm);
	for (i = 0; i < iter; i++) {
		/* the t-th of n children of this kind: k spread evenly
		 * over 1..range, plus a random offset within its share */
		c->kind = (int)(i % CK_N);
		range = del ? crash_kinds[c->kind].drange :
		    crash_kinds[c->kind].range;
		n = (iter - (unsigned)c->kind + CK_N - 1) / CK_N;
		t = i / CK_N;
		k = 1 + t * range / n;
		k += model_rand(m) % (range / n > 1 ? range / n : 1);
		c->target = k <= range ? k : range;
		c->torn = model_rand(m);
		c->seen = c->steps = 0;
		c->cleared = c->stopped = 0;
		planned[c->kind]++;
		(void)alarm(600);
		if ((pid = fork()) == 0) {
			crash_child(m, c, del, name);
			_exit(0);
		}
		crash_pid = pid;
		(void)waitpid(pid, &st, WUNTRACED);
		if (!WIFSTOPPED(st)) {
			printf("# crash child %u (%s, k=%u) %s %d\n", i,
			    crash_kinds[c->kind].name, c->target,
			    WIFEXITED(st) ? "exited" : "died of signal",
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			odd++;
		}
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, &st, 0);
		crash_pid = 0;
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		if (c->stopped == -1) {
			printf("# crash child %u (%s, k=%u): no progress in "
			    "%u steps\n", i, crash_kinds[c->kind].name,
			    c->target, CRASH_STEP_CAP);
			capped++;
		} else if (c->stopped == c->kind + 1)
			reached[c->kind]++;
	}
	(void)alarm(0);
	(void)signal(SIGALRM, SIG_DFL);
	clears = del ? m->deletes : m->clears;
	m->add_permille = 0;
	bed_open(&b, m, name);
	b.cfg.delete_entries = del;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_OK);
	for (k = 0; k < CK_N; k++) {
		printf("# %3u/%3u kills %s\n", reached[k], planned[k],
		    crash_kinds[k].name);
		CHECK_EQ(reached[k], planned[k]);
	}
	printf("# %u requests, %u entries (%u topped up), %u %s\n",
	    m->requests, m->nlog, c->arrivals_added, clears,
	    del ? "deletes" : "clears");
	CHECK_EQ(capped, 0);
	CHECK_EQ(odd, 0);
	/* each of these children made at least one happen */
	CHECK(clears >= planned[CK_CLEAR] + planned[CK_AFTER_CLEAR]);
	if (iter >= 250) {
		CHECK(clears > 2);
		CHECK(m->nlog > 100);
	}
	CHECK(check_archive(b.apath, m) == (int)m->nlog);
	bed_close(&b);
	(void)munmap(c, sizeof(*c));
	(void)munmap(m, sizeof(*m));
}

/*
 * SELMON_CRASH_ITER children (default 250), in epochs of at most
 * CRASH_EPOCH on a fresh model SEL and files each (the model holds
 * MODEL_LOG entries), SELMON_CRASH_SEED + epoch seeding each.
 */
#define CRASH_EPOCH	250u

static void
crash_loop(int del, const char *name)
{
	const char *s = getenv("SELMON_CRASH_ITER");
	unsigned iter = s ? (unsigned)strtoul(s, NULL, 10) : CRASH_EPOCH;
	unsigned e, n;
	uint32_t seed;
	char ename[64];

	s = getenv("SELMON_CRASH_SEED");
	seed = s ? (uint32_t)strtoul(s, NULL, 10) : (uint32_t)time(NULL);
	printf("# crash loop (%s): %u iterations, seed %u (SELMON_CRASH_ITER, "
	    "SELMON_CRASH_SEED)\n", name, iter, seed);
	for (e = 0; iter > 0; e++, iter -= n) {
		n = iter < CRASH_EPOCH ? iter : CRASH_EPOCH;
		(void)snprintf(ename, sizeof(ename), "%s.%u", name, e);
		crash_epoch(del, ename, n, seed + e);
	}
}

static void
test_crash_loop(void)
{
	crash_loop(0, "crash");
}

static void
test_crash_loop_delete(void)
{
	crash_loop(1, "crashdel");
}

static void
test_archive_format(void)
{
	struct sel_rec rec;
	struct sel_desc d;
	struct archive_entry e;
	uint8_t raw[16];
	char line[ARCHIVE_LINE_MAX];

	CHECK_EQ(harness_hex("01 00 02 e1 2b 05 6b 20 00 04 01 01 01 57 60 55",
	    raw, sizeof(raw)), 16);
	CHECK_EQ(sel_rec_decode(raw, 16, &rec), IPMI_OK);
	memset(&d, 0, sizeof(d));
	(void)snprintf(d.sensor, sizeof(d.sensor), "CPU1\tTemp");
	(void)snprintf(d.event, sizeof(d.event), "Upper Non-critical "
	    "going high");
	d.sev = SEL_SEV_WARNING;
	e.bmc = "bmc1";
	e.rec = &rec;
	e.desc = &d;
	e.gen = 0;	/* a state written before generations */
	archive_format(&e, line, sizeof(line));
	CHECK_STR(line, "2026-11-24T06:17:05Z\tbmc1\t0x0001\tCPU1 Temp\t"
	    "Upper Non-critical going high\twarning\t"
	    "010002e12b056b200004010101576055");
	e.gen = 0x5be1f00d;
	archive_format(&e, line, sizeof(line));
	CHECK_STR(line, "2026-11-24T06:17:05Z\tbmc1\t0x0001\tCPU1 Temp\t"
	    "Upper Non-critical going high\twarning\t"
	    "010002e12b056b200004010101576055\t5be1f00d");
}

/* a SEL that overwrites its oldest entries: archive only, never clear */
static void
test_wrapping_sel(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 40, 40);
	m->wraps = 1;
	bed_open(&b, m, "wrap");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 40);
	/* full: nothing new costs Get SEL Info + the last entry */
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 2);
	(void)model_add(m);
	(void)model_add(m);
	(void)model_add(m);
	CHECK_EQ(m->nlog - m->start, 40);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 3);
	CHECK_EQ(r.archive_only, 1);
	CHECK_EQ(r.archive_only_new, 1);
	CHECK(strstr(r.msg, "wraps") != NULL);
	CHECK_EQ(m->clears, 0);
	(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(r.archive_only_new, 0);	/* said once */
	CHECK_EQ(m->clears, 0);
	CHECK_EQ(check_archive(b.apath, m), 44);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* the delete method: a BMC whose reservations survive additions (as
 * ipmi_sim), entries arriving right after the reservation: none lost */
static void
test_delete_method(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned n;

	model_init(m, 100, 80);
	bed_open(&b, m, "delete");
	b.cfg.delete_entries = 1;
	bed_restart(&b);
	m->add_after_reserve = 3;
	n = bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(r.cleared_entries, 80);
	CHECK_EQ(m->deletes, 80);
	CHECK_EQ(m->clears, 0);
	/* info + 80 reads, reserve, 80 x (get first + delete, the last
	 * one the cursor), info */
	CHECK_EQ(n, 1 + 80 + 1 + 160 + 1);
	CHECK_EQ(model_count(m, m->nlog), 3);	/* the newcomers stay */
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.new_entries, 3);
	CHECK_EQ(check_archive(b.apath, m), 83);
	n = bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(n, 1);		/* nothing new: one request again */
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* more entries than one pass reads and than one generation of the seen
 * set holds: two passes; after a lost state the read-back still knows
 * every one */
/* a crash just before Clear SEL on a full SEL leaves an "unsure" state:
 * the restart must not take the full SEL for one that wraps */
static void
test_unsure_full_not_wrapping(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct state_sel st;
	struct bed b;
	char err[256];

	model_init(m, 40, 40);		/* full, nothing dropped yet */
	bed_open(&b, m, "unsure");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 40);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	st.last_add = SEL_TS_UNSPECIFIED;
	CHECK_EQ(state_save(b.spath, &st, err, sizeof(err)), 0);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.archive_only, 0);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(check_archive(b.apath, m), 40);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_big_sel(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	FILE *f;

	model_init(m, 20000, 12000);
	bed_open(&b, m, "big");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, SELMON_MAX_READS);
	CHECK(strstr(r.msg, "cap") != NULL);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 12000 - SELMON_MAX_READS);
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 1);
	f = fopen(b.spath, "w");
	fclose(f);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 0);
	CHECK_EQ(check_archive(b.apath, m), 12000);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* a timeout in the middle of a read keeps what was read, archived and
 * under the cursor; the next pass goes on from there */
static void
test_timeout_mid_read(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 100, 50);
	bed_open(&b, m, "timeout");
	m->fail_at = m->requests + 21;	/* info + 19 reads, then this */
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_E_TRANSPORT);
	CHECK_EQ(r.new_entries, 19);
	CHECK_EQ(m->clears, 0);
	m->fail_at = 0;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 31);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(check_archive(b.apath, m), 50);
	/* a timeout of the Clear SEL answer: the erase happened; the next
	 * pass sees the erase time moved and reads the newcomers */
	while (model_count(m, m->nlog) < 10)
		(void)model_add(m);
	m->erase_polls = 0;
	m->fail_at = m->requests + 1 + 10 + 4;	/* info, reads, reserve,
						 * info, last, clear */
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_E_TRANSPORT);
	CHECK_EQ(m->clears, 2);
	m->fail_at = 0;
	(void)model_add(m);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 1);
	/* the state said a Clear SEL of ours was under way */
	CHECK_EQ(r.oob_clear, 0);
	CHECK_EQ(r.new_generation, 1);
	CHECK_EQ(check_archive(b.apath, m), 61);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* ---- issue 8: a state of another SEL, generations, force ---- */

/*
 * Issue 8, item 1: a state file written for one SEL, used with another
 * (a BMC replaced or reset under the same name, a port ignored in the
 * state name).  Both were never cleared (erase time 0) and number their
 * entries from 1; the state learned consecutive IDs.  The cursor is
 * entry 10 of A: B's entry 11 must not be taken as its successor.
 */
static void
test_other_sel_same_state(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 100, 10);		/* A */
	bed_open(&b, m, "othersel");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	/* B: 15 other entries (another clock), same erase time 0 */
	model_init(m, 100, 0);
	m->now = 0x6c000000;
	while (m->nlog < 15)
		(void)model_add(m);
	b.cfg.clear_at = 1;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 15);
	/* all 15 of B archived once, and only then cleared */
	check_present(b.apath, m, 1);
	CHECK_EQ(file_lines(b.apath), 25);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(m->clears, 1);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Another BMC under the same name and state (replaced): a new SEL from
 * its first entry, even where its entries equal the old BMC's byte for
 * byte; what was learned about the old one (no Clear SEL) is forgotten;
 * said once.
 */
static void
test_other_bmc_identity(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct state_sel st;
	struct bed b;
	char err[256];
	unsigned i;

	model_init(m, 100, 10);
	m->no_clear = 1;
	bed_open(&b, m, "otherbmc");
	b.cfg.identity = "guid-aaaa";
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.new_entries, 10);
	CHECK_EQ(r.archive_only, 1);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	CHECK_STR(st.identity, "guid-aaaa");
	CHECK_EQ(st.no_clear, 1);
	/* B: the same 10 entries (same IDs, times, events), and 2 more */
	m->no_clear = 0;
	(void)model_add(m);
	(void)model_add(m);
	b.cfg.identity = "guid-bbbb";
	b.cfg.clear_at = 1;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_bmc, 1);
	CHECK_EQ(r.new_generation, 1);
	CHECK(strstr(r.note, "guid-bbbb") != NULL);
	CHECK(strstr(r.note, "guid-aaaa") != NULL);
	CHECK_EQ(r.new_entries, 12);
	CHECK_EQ(r.skipped, 0);
	CHECK_EQ(r.cleared, 1);	/* no_clear was the other BMC's */
	for (i = 0; i < 10; i++)
		CHECK_EQ(archive_count(b.apath, m->log[i]), 2);
	CHECK_EQ(file_lines(b.apath), 22);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	CHECK_STR(st.identity, "guid-bbbb");
	CHECK_EQ(st.no_clear, 0);
	/* said once */
	(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_bmc, 0);
	CHECK_EQ(r.note[0], '\0');
	CHECK_EQ(r.new_entries, 1);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * The daemon learns the identity after selmon_new (from the SDR cache):
 * selmon_set_identity before a pass.  The state then names the BMC, and
 * another BMC set the same way later is told apart.  (bmcwatchd wrote
 * "identity -" on every state before: 783-daemon-sel-state found it.)
 */
static void
test_identity_set_late(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct state_sel st;
	struct bed b;
	char err[256];

	model_init(m, 100, 5);
	bed_open(&b, m, "lateid");	/* cfg.identity NULL, as the daemon */
	CHECK_EQ(selmon_set_identity(b.mon, "guid-aaaa"), 0);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 5);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	CHECK_STR(st.identity, "guid-aaaa");
	/* the same BMC, a pass later: nothing new, nothing said */
	(void)model_add(m);
	CHECK_EQ(selmon_set_identity(b.mon, "guid-aaaa"), 0);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_bmc, 0);
	CHECK_EQ(r.new_entries, 1);
	/* restarted, then another BMC answers under the name */
	bed_restart(&b);
	CHECK_EQ(selmon_set_identity(b.mon, "guid-bbbb"), 0);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_bmc, 1);
	CHECK(strstr(r.note, "guid-bbbb") != NULL);
	CHECK(strstr(r.note, "guid-aaaa") != NULL);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	CHECK_STR(st.identity, "guid-bbbb");
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* rewrite a state file without the lines newer versions add, as a
 * version before identities and generations wrote it */
static void
state_make_v1(const char *path)
{
	char buf[STATE_FILE_MAX], out[STATE_FILE_MAX], *p, *nl;
	size_t n = 0, o = 0;
	FILE *f = fopen(path, "r");

	if (f != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		(void)fclose(f);
	}
	buf[n] = '\0';
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (strncmp(p, "identity ", 9) == 0 ||
		    strncmp(p, "generation ", 11) == 0 ||
		    strncmp(p, "pending ", 8) == 0 ||
		    strncmp(p, "crc32 ", 6) == 0)
			continue;
		memcpy(out + o, p, (size_t)(nl - p) + 1);
		o += (size_t)(nl - p) + 1;
	}
	o += (size_t)snprintf(out + o, sizeof(out) - o, "crc32 0x%08lx\n",
	    (unsigned long)state_crc32(out, o));
	f = fopen(path, "w");
	if (f != NULL) {
		(void)fwrite(out, 1, o, f);
		(void)fclose(f);
	}
}

/* cut the generation tag off every archive line (7 fields, as before) */
static void
archive_make_v1(const char *path)
{
	char line[2048], tmp[400];
	FILE *f = fopen(path, "r"), *g;

	(void)snprintf(tmp, sizeof(tmp), "%s.v1", path);
	g = fopen(tmp, "w");
	while (f != NULL && g != NULL && fgets(line, sizeof(line), f)) {
		char *t = strrchr(line, '\t');

		if (t != NULL && strlen(t) == 10)	/* \tXXXXXXXX\n */
			memcpy(t, "\n", 2);
		fputs(line, g);
	}
	if (f != NULL)
		(void)fclose(f);
	if (g != NULL)
		(void)fclose(g);
	CHECK_EQ(rename(tmp, path), 0);
}

/*
 * Files of a version before identities and generations: read as they
 * are.  The state's identity is unknown, so the cursor is read back
 * (one request more) before it is trusted, and then the identity is
 * recorded; the old untagged lines are the generation the state stands
 * for, so a full re-read (state lost) archives nothing twice.
 */
static void
test_v1_files(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct state_sel st;
	struct bed b;
	char err[256];
	FILE *f;

	model_init(m, 100, 10);
	m->last_erase = m->now - 86400;		/* a dated erase */
	bed_open(&b, m, "v1");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	state_make_v1(b.spath);
	archive_make_v1(b.apath);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	CHECK_EQ(st.gen, 0);
	CHECK_EQ(st.identity[0], '\0');
	(void)model_add(m);
	(void)model_add(m);
	b.cfg.identity = "guid-0b57c0de5eed4a1c9e3f00112233aabb";
	bed_restart(&b);
	/* info, the cursor read back, 2 entries */
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 4);
	CHECK_EQ(r.new_entries, 2);
	CHECK_EQ(check_archive(b.apath, m), 12);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	CHECK_STR(st.identity, "guid-0b57c0de5eed4a1c9e3f00112233aabb");
	CHECK_EQ(st.gen, 0);	/* still the old lines' generation */
	/* now proven: the next entries are asked for directly */
	(void)model_add(m);
	bed_restart(&b);
	CHECK_EQ(bed_run(&b, SELMON_READ, &r), 2);
	/* the state lost: the last generation is the untagged one */
	f = fopen(b.spath, "w");
	fclose(f);
	(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.skipped, 13);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(check_archive(b.apath, m), 14);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * A clone of A (the same identity, never cleared: a BMC reset to its
 * factory state) whose first entries repeat A's byte for byte: its
 * cursor entry is not there, so it is another generation, and the
 * repeats are archived too before the clear.
 */
static void
test_clone_repeats_old_entries(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned i;

	model_init(m, 100, 10);
	bed_open(&b, m, "clone");
	b.cfg.identity = "guid-0b57c0de5eed4a1c9e3f00112233aabb";
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	model_init(m, 100, 8);
	for (i = 3; i < 8; i++)
		m->log[i][13] = 0x59;
	bed_restart(&b);
	b.cfg.clear_at = 1;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_bmc, 0);
	CHECK_EQ(r.new_generation, 1);
	CHECK_EQ(r.new_entries, 8);
	CHECK_EQ(r.cleared, 1);
	for (i = 0; i < 3; i++)
		CHECK_EQ(archive_count(b.apath, m->log[i]), 2);
	for (i = 3; i < 8; i++)
		CHECK_EQ(archive_count(b.apath, m->log[i]), 1);
	CHECK_EQ(file_lines(b.apath), 18);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * The same without entry counts to tell: B holds as many entries as A,
 * with the same last-addition time, on a BMC whose clock is not set
 * (pre-init timestamps).  "Nothing new" must not be concluded from Get
 * SEL Info alone there.
 */
static void
test_other_sel_nothing_new_preinit(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned i;

	model_init(m, 100, 0);
	m->now = 0x00000400;		/* pre-init */
	while (m->nlog < 10)
		(void)model_add(m);
	bed_open(&b, m, "othernn");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	/* B: the same IDs and times, other events */
	for (i = 0; i < 10; i++)
		m->log[i][13] = 0x59;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 10);
	check_present(b.apath, m, 1);
	/* and then nothing new again */
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 0);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * A clear is due, Get SEL Info says nothing new, but the last entry is
 * not the cursor: the state is not this SEL's.  It must be read, not
 * retried until "entries keep arriving".
 */
static void
test_other_sel_verify_last(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned i;

	model_init(m, 100, 10);
	bed_open(&b, m, "otherlast");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	for (i = 0; i < 10; i++)
		m->log[i][13] = 0x59;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 10);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(file_lines(b.apath), 20);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Issue 8, item 2: IDs start over after a clear and the clock is not
 * set, so the new generation repeats the old one byte for byte.  The
 * repeats are new events: archived again, never skipped and cleared.
 */
static void
test_repeat_after_clear(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned i;

	model_init(m, 100, 0);
	m->restart_ids = 1;
	m->now = 0x00000400;		/* pre-init, and it stands still */
	m->per_second = 1000000;
	while (m->nlog < 5)
		(void)model_add(m);
	bed_open(&b, m, "repeat");
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.new_entries, 5);
	CHECK_EQ(r.cleared, 1);
	/* the next generation: its first 3 entries equal the old ones */
	for (i = 0; i < 3; i++)
		(void)model_add(m);
	CHECK_MEM(m->log[5], m->log[0], 16);
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 3);
	CHECK_EQ(r.skipped, 0);
	CHECK_EQ(r.cleared, 1);
	CHECK_EQ(file_lines(b.apath), 8);
	for (i = 0; i < 3; i++)
		CHECK_EQ(archive_count(b.apath, m->log[i]), 2);
	/* the same after a restart: the archive read back holds the old
	 * generations, which must not hide the present one */
	for (i = 0; i < 2; i++)
		(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 2);
	CHECK_EQ(r.skipped, 0);
	CHECK_EQ(archive_count(b.apath, m->log[0]), 3);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* the same when someone else clears (the erase time moves) */
static void
test_repeat_after_oob_clear(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned i;

	model_init(m, 100, 0);
	m->restart_ids = 1;
	m->now = 0x00000400;
	m->per_second = 1000000;
	while (m->nlog < 5)
		(void)model_add(m);
	bed_open(&b, m, "repeatoob");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 5);
	/* cleared later in the BMC's life, then rebooted: its pre-init
	 * clock counts from the same start again */
	m->now++;
	model_clear(m);
	m->now--;
	for (i = 0; i < 3; i++)
		(void)model_add(m);
	CHECK_MEM(m->log[5], m->log[0], 16);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.oob_clear, 1);
	CHECK_EQ(r.new_entries, 3);
	CHECK_EQ(r.skipped, 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(archive_count(b.apath, m->log[i]), 2);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Our Clear SEL on a BMC that does not stamp erasures, and the answer
 * lost (the erase happened): the next pass finds the cursor gone with
 * the same erase time.  A clear was under way: a new generation.  (Were
 * the cursor repeated byte for byte at its record ID, nothing could
 * tell this from a clear that did not happen: see selmon.c.)
 */
static void
test_repeat_after_lost_clear_answer(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	unsigned i;

	model_init(m, 100, 0);
	m->restart_ids = 1;
	m->no_erase_stamp = 1;
	m->now = 0x00000400;
	m->per_second = 1000000;
	while (m->nlog < 5)
		(void)model_add(m);
	bed_open(&b, m, "repeatlost");
	/* info, 5 reads, reserve, info, last, clear: its answer lost */
	m->fail_at = m->requests + 10;
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_E_TRANSPORT);
	CHECK_EQ(m->clears, 1);
	m->fail_at = 0;
	for (i = 0; i < 4; i++)
		(void)model_add(m);
	CHECK_MEM(m->log[5], m->log[0], 16);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 4);
	CHECK_EQ(r.skipped, 0);
	CHECK_EQ(r.oob_clear, 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(archive_count(b.apath, m->log[i]), 2);
	CHECK_EQ(file_lines(b.apath), 9);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Within one generation the read-back still works: a crash between the
 * archive write and the state save (simulated by putting the older
 * state back) archives nothing twice, also in a later generation.
 */
static void
test_crash_inside_generation(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;
	char old[320];
	unsigned i;

	model_init(m, 100, 0);
	m->restart_ids = 1;
	m->now = 0x00000400;
	m->per_second = 1000000;
	while (m->nlog < 5)
		(void)model_add(m);
	bed_open(&b, m, "crashgen");
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.cleared, 1);
	(void)snprintf(old, sizeof(old), "%s.old", b.spath);
	CHECK_EQ(harness_copy(b.spath, old), 0);
	for (i = 0; i < 3; i++)
		(void)model_add(m);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 3);
	/* the state as it was before these 3 were archived */
	CHECK_EQ(harness_copy(old, b.spath), 0);
	(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(r.skipped, 3);
	CHECK_EQ(file_lines(b.apath), 9);
	check_present(b.apath, m, 2);	/* 1-4 repeat the first clear's */
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Our own deletions move the erase time (section 31.2); a pass killed
 * in the middle of them must not take the rest for a new generation
 * and archive it again.
 */
static void
test_delete_interrupted_erase_moves(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct bed b;

	model_init(m, 100, 20);
	bed_open(&b, m, "delint");
	b.cfg.delete_entries = 1;
	bed_restart(&b);
	/* info, 20 reads, reserve, then 5 x (get first, delete), stop */
	m->fail_at = m->requests + 1 + 20 + 1 + 10 + 1;
	(void)bed_run(&b, SELMON_CLEAR_NOW, &r);
	CHECK_EQ(r.err, SELMON_E_TRANSPORT);
	CHECK_EQ(m->deletes, 5);
	m->fail_at = 0;
	(void)model_add(m);
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 1);
	CHECK_EQ(check_archive(b.apath, m), 21);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * Issue 8, item 3: `sel clear --force --state FILE` without an archive
 * reads entries it does not archive.  When the clear then fails, the
 * state must be as if they had never been read: the next archive pass
 * archives them, and no later clear may take them for archived.
 */
static void
test_force_without_archive_moves_nothing(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct state_sel st, st2;
	struct bed b;
	char err[256];
	unsigned i;

	model_init(m, 100, 10);
	bed_open(&b, m, "force");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 10);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	for (i = 0; i < 10; i++)
		(void)model_add(m);
	/* sel clear --force --state FILE: no archive; Clear SEL refused,
	 * then lost on the wire */
	b.cfg.archive = NULL;
	b.cfg.archive_path = NULL;
	selmon_free(b.mon);
	b.mon = selmon_new(b.ev, b.conn, &b.cfg);
	m->no_clear = 1;
	i = m->gets;
	(void)bed_run(&b, SELMON_CLEAR_FORCE, &r);
	CHECK_EQ(r.cleared, 0);
	CHECK_EQ(r.archive_only, 1);
	CHECK_EQ(m->gets, i);		/* nothing read: nothing to keep */
	CHECK_EQ(state_load(b.spath, &st2, err, sizeof(err)), 0);
	CHECK_EQ(st2.has_cursor, 1);
	CHECK_EQ(st2.cursor_id, st.cursor_id);
	CHECK_MEM(st2.cursor_raw, st.cursor_raw, 16);
	CHECK_EQ(st2.archived, 10);
	m->no_clear = 0;
	selmon_free(b.mon);
	b.mon = selmon_new(b.ev, b.conn, &b.cfg);
	m->fail_at = m->requests + 3;	/* info, reserve, info | clear */
	(void)bed_run(&b, SELMON_CLEAR_FORCE, &r);
	CHECK_EQ(r.err, SELMON_E_TRANSPORT);
	m->fail_at = 0;
	CHECK_EQ(state_load(b.spath, &st2, err, sizeof(err)), 0);
	CHECK_EQ(st2.cursor_id, st.cursor_id);
	CHECK_EQ(st2.archived, 10);
	/* the clear did not happen (lost request? the model erased: then
	 * the 10 are gone, nothing to archive); here it was refused */
	if (m->clears == 0) {
		b.cfg.archive = b.arch;
		b.cfg.archive_path = b.apath;
		bed_restart(&b);
		(void)bed_run(&b, SELMON_CLEAR, &r);
		CHECK_EQ(r.new_entries, 10);
		CHECK_EQ(check_archive(b.apath, m), 20);
	}
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/*
 * The same for a read-only pass without an archive (a monitor that
 * keeps no archive, sharing the state): what it read is not archived,
 * so neither the cursor nor "nothing new" may cover it afterwards.
 */
static void
test_read_without_archive_moves_nothing(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct state_sel st, st2;
	struct bed b;
	char err[256];
	unsigned i;

	model_init(m, 100, 10);
	bed_open(&b, m, "readnoarch");
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(state_load(b.spath, &st, err, sizeof(err)), 0);
	for (i = 0; i < 5; i++)
		(void)model_add(m);
	b.cfg.archive = NULL;
	b.cfg.archive_path = NULL;
	selmon_free(b.mon);
	b.mon = selmon_new(b.ev, b.conn, &b.cfg);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(r.new_entries, 0);
	CHECK_EQ(state_load(b.spath, &st2, err, sizeof(err)), 0);
	CHECK(state_sel_same(&st2, &st));
	/* the archive pass after it finds the 5 */
	b.cfg.archive = b.arch;
	b.cfg.archive_path = b.apath;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 5);
	CHECK_EQ(check_archive(b.apath, m), 15);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

static void
test_open_problems(void)
{
	static const char *hex[] = {
		/* CPU1 Temp UNC asserted, UC asserted, UNC deasserted */
		"01 00 02 e1 2b 05 6b 20 00 04 01 01 01 57 60 55",
		"02 00 02 e1 2b 05 6b 20 00 04 01 01 01 59 60 5f",
		"03 00 02 e1 2b 05 6b 20 00 04 01 01 81 57 2d 55",
		/* intrusion asserted twice: only the latest is open */
		"04 00 02 e2 2b 05 6b 20 00 04 05 30 6f 00 ff ff",
		"05 00 02 e2 2b 05 6b 20 00 04 05 30 6f 00 ff ff",
		/* log area cleared: informational, never open */
		"06 00 02 e2 2b 05 6b 20 00 04 10 35 6f 02 ff ff",
		/* an OEM record */
		"07 00 e0 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d",
	};
	struct sel_rec r[7];
	struct sel_desc d[7];
	uint8_t raw[16], open[7];
	size_t i;

	for (i = 0; i < 7; i++) {
		CHECK_EQ(harness_hex(hex[i], raw, sizeof(raw)), 16);
		CHECK_EQ(sel_rec_decode(raw, 16, &r[i]), IPMI_OK);
		sel_describe(&r[i], NULL, &d[i]);
	}
	CHECK_EQ(d[5].sev, SEL_SEV_INFO);
	CHECK_EQ(selmon_open_problems(r, d, 7, open), 2);
	CHECK_EQ(open[0], 0);
	CHECK_EQ(open[1], 1);
	CHECK_EQ(open[2], 0);
	CHECK_EQ(open[3], 0);
	CHECK_EQ(open[4], 1);
	CHECK_EQ(open[5], 0);
	CHECK_EQ(open[6], 0);
	CHECK_EQ(selmon_open_problems(r, d, 0, open), 0);
}

static void
test_acks(void)
{
	uint8_t a[16], b[16], (*v)[16] = NULL;
	char path[300], err[256];
	size_t n = 0;
	FILE *f;

	memset(a, 0x11, sizeof(a));
	memset(b, 0x22, sizeof(b));
	(void)snprintf(path, sizeof(path), "%s/acks", tdir);
	CHECK_EQ(state_acks_load(path, &v, &n, err, sizeof(err)), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(state_ack_append(path, a, err, sizeof(err)), 0);
	/* a torn line, as a crash leaves it */
	f = fopen(path, "a");
	fputs("2222", f);
	fclose(f);
	CHECK_EQ(state_ack_append(path, b, err, sizeof(err)), 0);
	CHECK_EQ(state_acks_load(path, &v, &n, err, sizeof(err)), 0);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_MEM(v[0], a, 16);
		CHECK_MEM(v[1], b, 16);
	}
	free(v);
}

/* ---- issue 9: the one SEL walker (sel list, sel ack) ---- */

struct listed {
	unsigned	 n;
	uint8_t		 raw[200][SEL_RECORD_LEN];
	char		 event[200][SEL_TEXT_MAX];
};

static void
on_list_cb(void *arg, const struct sel_rec *r, const struct sel_desc *d)
{
	struct listed *l = arg;

	if (l->n < 200) {
		memcpy(l->raw[l->n], r->raw, SEL_RECORD_LEN);
		(void)snprintf(l->event[l->n], SEL_TEXT_MAX, "%s", d->event);
	}
	l->n++;
}

/* the bytes of a file, "" if absent */
static char *
file_bytes(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len), *f = fopen(path, "r");
	int ch;

	while (f != NULL && (ch = fgetc(f)) != EOF)
		(void)fputc(ch, o);
	if (f != NULL)
		(void)fclose(f);
	(void)fclose(o);
	return buf;
}

/*
 * SELMON_LIST hands every entry over, oldest first, in Get SEL Info +
 * one Get SEL Entry each, and keeps nothing: with a state and an archive
 * configured, neither file changes, and the next archive pass behaves
 * as if no listing had happened.
 */
static void
test_list_keeps_nothing(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct listed *l = calloc(1, sizeof(*l));
	struct selmon_names sn;
	struct bed b;
	char *st0, *ar0, *st1, *ar1;
	unsigned i, n;

	model_init(m, 100, 30);
	bed_open(&b, m, "list");
	selmon_names_init(&sn, NULL, NULL);
	b.cfg.names = &sn.names;
	b.cfg.on_list = on_list_cb;
	b.cfg.arg = l;
	bed_restart(&b);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 30);
	for (i = 0; i < 12; i++)
		(void)model_add(m);
	st0 = file_bytes(b.spath);
	ar0 = file_bytes(b.apath);
	n = bed_run(&b, SELMON_LIST, &r);
	CHECK_EQ(r.err, SELMON_OK);
	CHECK_EQ(n, 1 + 42);
	CHECK_EQ(l->n, 42);
	CHECK_EQ(r.new_entries, 0);
	CHECK_EQ(r.info.entries, 42);
	for (i = 0; i < 42 && i < l->n; i++)
		CHECK_MEM(l->raw[i], m->log[i], SEL_RECORD_LEN);
	/* described with cfg.names */
	CHECK(strncmp(l->event[0], "Upper Non-critical going high", 29) == 0);
	st1 = file_bytes(b.spath);
	ar1 = file_bytes(b.apath);
	CHECK_STR(st1, st0);
	CHECK_STR(ar1, ar0);
	free(st0);
	free(ar0);
	free(st1);
	free(ar1);
	/* nothing moved: the archive pass finds the 12 as if unlisted */
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 12);
	CHECK_EQ(r.skipped, 0);
	CHECK_EQ(check_archive(b.apath, m), 42);
	/* an empty SEL: one request */
	l->n = 0;
	m->start = m->nlog;
	CHECK_EQ(bed_run(&b, SELMON_LIST, &r), 1);
	CHECK_EQ(l->n, 0);
	CHECK_EQ(r.err, SELMON_OK);
	/* a lost answer mid-walk: the transport's error, the entries
	 * before it handed over, still nothing written */
	for (i = 0; i < 10; i++)
		(void)model_add(m);
	l->n = 0;
	st0 = file_bytes(b.spath);
	ar0 = file_bytes(b.apath);
	m->fail_at = m->requests + 5;	/* info + 3 entries, then this */
	(void)bed_run(&b, SELMON_LIST, &r);
	m->fail_at = 0;
	CHECK_EQ(r.err, SELMON_E_TRANSPORT);
	CHECK_EQ(l->n, 3);
	st1 = file_bytes(b.spath);
	ar1 = file_bytes(b.apath);
	CHECK_STR(st1, st0);
	CHECK_STR(ar1, ar0);
	free(st0);
	free(ar0);
	free(st1);
	free(ar1);
	bed_close(&b);
	free(l);
	(void)munmap(m, sizeof(*m));
}

/* ---- issue 9: the disk off the loop ---- */

#define BOUND_MS	20000	/* a condition not met by then fails */

/* a job on the io worker that blocks until a byte comes down a pipe:
 * a disk that does not answer */
static void
block_run(void *arg)
{
	int *fd = arg;
	char c;

	(void)read(*fd, &c, 1);
}

struct pass_wait {
	int			 done;
	struct selmon_result	 r;
};

static void
pass_done(void *arg, const struct selmon_result *r)
{
	struct pass_wait *w = arg;

	w->r = *r;
	w->done = 1;
}

static int64_t
tick_cb(void *arg)
{
	(*(unsigned *)arg)++;
	return 5;
}

/* run the loop until *ticks reaches n (bounded) */
static void
run_ticks(struct ev *ev, const unsigned *ticks, unsigned n)
{
	uint64_t end = ev_now() + BOUND_MS;

	while (*ticks < n && ev_now() < end)
		(void)ev_run_once(ev, 100);
	CHECK(*ticks >= n);
}

/* an archive's lines without their generation tag (random per state) */
static char *
archive_untagged(const char *path)
{
	char line[2048], *out = NULL, *t;
	size_t len = 0;
	FILE *f = fopen(path, "r"), *o = open_memstream(&out, &len);

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if ((t = strrchr(line, '\t')) != NULL)
			*t = '\0';
		fprintf(o, "%s\n", line);
	}
	if (f != NULL)
		(void)fclose(f);
	(void)fclose(o);
	return out;
}

/*
 * A disk that does not answer holds the pass, never the loop: with the
 * io worker blocked (a job reading an empty pipe ahead of ours), a loop
 * timer keeps firing, the pass reads the new entries and then waits for
 * its archive job: no request is sent meanwhile (nothing is cleared, I1)
 * and the archive is untouched.  Released, the pass ends as a pass on a
 * quick disk does: the same archive lines as a reference run inline on
 * an identical SEL.
 */
static void
test_blocked_disk(void)
{
	struct model *m = model_new_shared(), *ref = model_new_shared();
	struct selmon_result r;
	struct pass_wait w;
	struct ev_timer *t;
	struct bed b, rb;
	unsigned ticks = 0, req, i;
	uint64_t end;
	int p[2], threads = bed_threads;
	char *a1, *a2;

	model_init(m, 100, 40);
	model_init(ref, 100, 40);
	/* the reference: the same SEL, the disk inline */
	bed_threads = 0;
	bed_open(&rb, ref, "blockref");
	bed_threads = 1;
	bed_open(&b, m, "blocked");
	bed_threads = threads;
	CHECK(b.io != NULL);
	(void)bed_run(&rb, SELMON_READ, &r);
	(void)bed_run(&b, SELMON_READ, &r);
	CHECK_EQ(r.new_entries, 40);
	for (i = 0; i < 50; i++) {
		(void)model_add(m);
		(void)model_add(ref);
	}
	(void)bed_run(&rb, SELMON_CLEAR, &r);
	CHECK_EQ(r.cleared, 1);
	/* the disk stops answering */
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(work_submit(b.io, block_run, NULL, &p[0]), 0);
	t = ev_timer_add(b.ev, 5, tick_cb, &ticks);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(selmon_start(b.mon, SELMON_CLEAR, pass_done, &w), 0);
	run_ticks(b.ev, &ticks, 40);
	req = m->requests;
	/* the read is done (the info, maybe the cursor, the 50 entries)
	 * and the pass waits for the disk */
	CHECK(m->gets >= 40 + 50);
	run_ticks(b.ev, &ticks, 80);
	CHECK_EQ(w.done, 0);
	CHECK_EQ(m->requests, req);
	CHECK_EQ(m->clears, 0);
	CHECK_EQ(file_lines(b.apath), 40);
	/* the disk answers again */
	CHECK_EQ(write(p[1], "x", 1), 1);
	end = ev_now() + BOUND_MS;
	while (!w.done && ev_now() < end)
		(void)ev_run_once(b.ev, 100);
	CHECK_EQ(w.done, 1);
	CHECK_EQ(w.r.err, SELMON_OK);
	CHECK_EQ(w.r.new_entries, 50);
	CHECK_EQ(w.r.cleared, 1);
	CHECK_EQ(m->clears, 1);
	CHECK_EQ(check_archive(b.apath, m), 90);
	a1 = archive_untagged(b.apath);
	a2 = archive_untagged(rb.apath);
	CHECK(a1 != NULL && a2 != NULL && strcmp(a1, a2) == 0);
	free(a1);
	free(a2);
	ev_timer_del(b.ev, t);
	(void)close(p[0]);
	(void)close(p[1]);
	bed_close(&b);
	bed_close(&rb);
	(void)munmap(m, sizeof(*m));
	(void)munmap(ref, sizeof(*ref));
}

/*
 * A selmon freed while its disk job is in flight: the job is detached,
 * ends on its own (its copies and its hold on the archive), and what it
 * wrote is complete.
 */
static void
test_free_while_writing(void)
{
	struct model *m = model_new_shared();
	struct selmon_result r;
	struct pass_wait w;
	struct bed b;
	unsigned i;
	uint64_t end;
	int p[2], threads = bed_threads;

	model_init(m, 100, 10);
	bed_threads = 1;
	bed_open(&b, m, "freejob");
	bed_threads = threads;
	(void)bed_run(&b, SELMON_READ, &r);
	for (i = 0; i < 20; i++)
		(void)model_add(m);
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(work_submit(b.io, block_run, NULL, &p[0]), 0);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(selmon_start(b.mon, SELMON_READ, pass_done, &w), 0);
	/* until the 20 are read and the pass waits on its archive job */
	end = ev_now() + BOUND_MS;
	while (work_pending(b.io) < 2 && ev_now() < end)
		(void)ev_run_once(b.ev, 100);
	CHECK_EQ(work_pending(b.io), 2);
	/* gone: selmon, then the archive (the job holds it) */
	selmon_free(b.mon);
	b.mon = NULL;
	archive_free(b.arch);
	b.arch = NULL;
	CHECK_EQ(write(p[1], "x", 1), 1);
	end = ev_now() + BOUND_MS;
	while (work_pending(b.io) > 0 && ev_now() < end)
		(void)ev_run_once(b.ev, 100);
	CHECK_EQ(work_pending(b.io), 0);
	CHECK_EQ(w.done, 0);		/* a freed selmon reports nothing */
	CHECK_EQ(check_archive(b.apath, m), 30);
	(void)close(p[0]);
	(void)close(p[1]);
	bed_close(&b);
	(void)munmap(m, sizeof(*m));
}

/* every test, in tdir */
static void
run_all(void)
{
	RUN(test_archive_format);
	RUN(test_state_file);
	RUN(test_incremental_counts);
	RUN(test_incremental_counts_unproven);
	RUN(test_nothing_new_fake);
	RUN(test_archive_then_clear);
	RUN(test_out_of_band_clear);
	RUN(test_c5_and_newcomers_during_clear);
	RUN(test_residual_window_reported);
	RUN(test_unwritable_archive);
	RUN(test_no_clear_support);
	RUN(test_corrupt_state_and_torn_line);
	RUN(test_identity_set_late);
	RUN(test_overflow_reported);
	RUN(test_wrapping_sel);
	RUN(test_unsure_full_not_wrapping);
	RUN(test_big_sel);
	RUN(test_timeout_mid_read);
	RUN(test_delete_method);
	RUN(test_open_problems);
	RUN(test_acks);
	RUN(test_other_sel_same_state);
	RUN(test_clone_repeats_old_entries);
	RUN(test_other_bmc_identity);
	RUN(test_v1_files);
	RUN(test_other_sel_nothing_new_preinit);
	RUN(test_other_sel_verify_last);
	RUN(test_repeat_after_clear);
	RUN(test_repeat_after_oob_clear);
	RUN(test_repeat_after_lost_clear_answer);
	RUN(test_crash_inside_generation);
	RUN(test_delete_interrupted_erase_moves);
	RUN(test_force_without_archive_moves_nothing);
	RUN(test_read_without_archive_moves_nothing);
	RUN(test_list_keeps_nothing);
	RUN(test_crash_loop);
	RUN(test_crash_loop_delete);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char base[200];

	(void)snprintf(base, sizeof(base), "%s/test_selmon.XXXXXX",
	    t ? t : "/tmp");
	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	/* the same tests with the disk inline, then through a worker */
	for (bed_threads = 0; bed_threads < 2; bed_threads++) {
		(void)snprintf(tdir, sizeof(tdir), "%s/io%d", base,
		    bed_threads);
		if (mkdir(tdir, 0700) != 0) {
			perror(tdir);
			return 1;
		}
		printf("# cfg.io: %s\n", bed_threads ? "a work thread" :
		    "NULL (inline)");
		run_all();
	}
	/* a work thread in any case */
	RUN(test_blocked_disk);
	RUN(test_free_while_writing);
	if (harness_failed == 0) {
		harness_rmtree(base);
	}
	return harness_end();
}

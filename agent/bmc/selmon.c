/*
 * SEL monitor: incremental reads and archive-then-clear.
 *
 * WHY NO ENTRY IS LOST OR DUPLICATED (crash safety, SIGKILL at any point)
 *
 * Nothing new.  A pass whose Get SEL Info shows the erase time, the
 * last-addition time and the entry count of the state reads nothing:
 * one request.  Full SELs that may wrap keep their count, and additions
 * within the same second keep the time, so there the last entry is
 * compared with the cursor too (a second request); so it is when the
 * last-addition time is no real date (pre-init, unset) and the SEL is
 * not proven to be the state's (below): two SELs then easily agree.
 *
 * Identity of an entry.  An entry is identified by its 16 raw bytes:
 * record ID, timestamp and content, within one generation (below).  Two
 * different events with equal bytes in one generation cannot be told
 * apart by anyone, so this is the finest identity there is.
 *
 * Which SEL.  The state names the BMC it was written for (cfg.identity:
 * its GUID, else Device ID, manufacturer and product with the address)
 * and the SEL's erase time.  Two SELs are the same when the BMC's
 * identity is the same, the erase time has not moved and the cursor
 * entry is still in place.  Another
 * identity is another SEL: it is read from its first entry as a new
 * generation, with the BMC's learned flags forgotten, and said once
 * (res.new_bmc, res.note).  An unknown identity (a state written before
 * identities, or a caller that has none) is never taken as proof.  Even
 * for the same identity the cursor entry is read back and compared byte
 * for byte before anything after it is accepted (RD_CURSOR), unless the
 * proof is complete: the same known identity and an erase time that is
 * a real date (section 31.2: any deletion or clear moves it).  Only
 * then does a BMC with consecutive record IDs get the cheaper probe of
 * cursor ID + 1 (RD_PROBE).  A clone answering with the same identity
 * (two ipmi_sim from one config, a BMC reset to factory defaults whose
 * erase time reads 0) thus fails the byte check and is read from its
 * first entry, as a new generation.
 *
 * Generations.  A generation is the life of one SEL between erasures:
 * it starts when the erase time moves (except by our own deletions,
 * state "pending delete"), when our Clear SEL completes, when the
 * cursor entry is gone while the erase time stands (a SEL that wrapped
 * over it; a clear, ours in doubt, state "pending clear", or anyone's,
 * on a BMC that does not stamp erasures; a clone of the BMC), and when
 * another BMC answers.  Each has a random tag, kept in the state and
 * written on every archive line it yields.  The seen set (below) holds
 * only lines of the current tag: record IDs that start over and a clock
 * that is not set (or entries without a timestamp) make a new
 * generation repeat the old one byte for byte, and those repeats are
 * new events.  The new tag is saved (with no cursor) before any line
 * carries it.  Out-of-band deletions move the erase time too (or take
 * the cursor): what remains is archived again under the new tag, a
 * duplicate across generations, never a loss.  What nothing can tell
 * apart: after a Clear SEL whose answer was lost, on a BMC that stamps
 * neither erasures nor entries, a new generation that repeats the
 * cursor byte for byte at its record ID looks like a clear that did
 * not happen.
 *
 * Invariants.
 *  I1  An entry is cleared only after its archive line has been written
 *      and fsynced (archive_write returns 0 only after fsync).
 *  I2  The state file (cursor = identity of the last archived entry) is
 *      written tmp + fsync + rename, and only after the archive lines it
 *      covers are fsynced.  So the state never claims more than the
 *      archive holds; it may claim less (crash between the two).
 *      Without an archive nothing moves the cursor, the count of
 *      archived entries or the seen set: only entries written and
 *      fsynced ever do (`sel clear --force --state FILE` reads nothing
 *      and leaves the state as it was unless the clear is done).
 *  I3  Clear SEL is sent only when, under a fresh reservation, Get SEL
 *      Info shows the same last-addition time, erase time and entry
 *      count as the read that archived everything, and the SEL's last
 *      entry (Get SEL Entry FFFFh) is the cursor.  A cancelled
 *      reservation (C5h) or any difference sends us back to read and
 *      archive the newcomers first (bounded rounds); a last entry that
 *      is not the cursor while nothing else changed means the state is
 *      not this SEL's: the cursor is read back before anything else.
 *  I4  An entry is skipped as already archived only if its bytes are on
 *      an archive line of the current generation.
 *
 * The disk, off the loop.  Every touch of the disk is a job (struct
 * selmon_job) run through cfg.io: on the daemon's io worker thread, so a
 * slow or hung disk never delays the loop (the heartbeat, other BMCs),
 * or inline when cfg.io is NULL (the CLI).  Three kinds of job, each
 * with private copies of what it reads or writes:
 *  - load: the state file and the archive's tail (first pass, and again
 *    after a failed save);
 *  - write: the batch appended to the archive and fsynced, then, only if
 *    that returned 0, the state saved (tmp + fsync + rename): I1 and I2
 *    hold inside the one job, on the one thread;
 *  - save: the state alone (a new generation, "pending", a clear done).
 * A pass that submits a job does nothing else until the job's done runs
 * on the loop: no request is sent meanwhile, and the next step (a read,
 * the Clear SEL, Delete SEL Entry, the end of the pass) is the job's
 * continuation, called only if the job succeeded.  So the order on the
 * wire and on the disk is the order of the synchronous code: nothing is
 * cleared before the lines are fsynced (I1), the state follows the
 * archive (I2), the verify of I3 comes after the state that covers it,
 * and "pending clear"/"pending delete" and a new generation's tag are
 * on disk before the request they announce is sent or the first line
 * carrying the tag is written.  What the job wrote reaches memory (the
 * seen set, the count, the cursor, res) only in its done, after it
 * succeeded; a failed save makes the next pass load the files again.
 * A selmon freed while a job is in flight detaches it: the job ends on
 * its own, holding its copies and a hold on the archive
 * (archive_hold), and nothing of the selmon is touched after.
 *
 * Restart.  On start-up the identities of the tail of the archive (this
 * BMC's lines of the state's generation, PATH.1 then PATH, at most 4 MiB
 * each) are loaded into the "seen" set, and every entry read is skipped
 * if it is in the set.  Without a state (lost, corrupt, first run) the
 * generation of this BMC's last lines is taken, or a new one if there
 * are none.  A torn last line (killed mid-write) is cut off before the
 * next append (under the archive's flock), and its entries are read
 * again since no state covered them.
 * Cases, by where the kill lands:
 *  - before or during the archive write: the entries are not in the
 *    state; they are read again; those whose lines made it are in the
 *    seen set and skipped, the rest are appended: once each.
 *  - after the fsync, before the state rename: the old state makes us
 *    read them again; all are in the seen set: nothing is appended.
 *  - after the state, before Clear SEL: nothing new; the next pass
 *    simply clears.
 *  - after Clear SEL was sent (erase running or done): the erase time
 *    moved (or, on a BMC that does not stamp erasures, the cursor is
 *    gone), so a new generation starts: everything present arrived
 *    after the clear (the verify of I3 held when it was sent) and is
 *    archived as new.  Had the clear not happened, the cursor is found
 *    in its place: the same generation goes on.
 *  - when a new generation starts: its tag is saved before its first
 *    line is written; killed after that, the restart finds the tag in
 *    the state and its lines in the archive, as in the first two cases.
 *  - while entries are being deleted (or just before Clear SEL): the
 *    state was saved with last-addition "never" and what was pending,
 *    so the next pass reads from the cursor instead of trusting an entry
 *    count that deletions and same-second newcomers could have brought
 *    back to its old value, and an erase time moved by our deletions
 *    does not start a new generation.
 * A corrupt or missing state file only costs a full re-read, which the
 * seen set makes idempotent (within the generation last archived).
 *
 * The residual window.  IPMI has no atomic "clear if unchanged": an
 * entry the BMC adds between our verify and its erase is lost (ipmi_sim
 * does not cancel reservations on additions; BMCs that do are fully
 * covered by the C5h check).  The window is one request round trip; we
 * cannot close it with Clear SEL, only report it (res.maybe_lost: the
 * last-addition time moved across the erase while the SEL came out
 * empty).  cfg.delete_entries closes it: the
 * archived entries are deleted one by one (Delete SEL Entry, oldest
 * first, each one checked against the cursor and the seen set before it
 * is deleted), so an entry that was not archived is never removed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtext.h"
#include "selmon.h"
#include "sensor.h"
#include "store/state.h"
#include "xmem.h"

#define SELMON_CC_ERASE_IN_PROGRESS	0x81	/* Get SEL Info / Entry */

enum selmon_step {
	ST_IDLE,
	ST_INFO,
	ST_GET,
	ST_RESERVE,
	ST_VERIFY_INFO,
	ST_VERIFY_LAST,
	ST_CLEAR,
	ST_STATUS,
	ST_AFTER,
	ST_DEL_GET,	/* delete method: the first entry ... */
	ST_DEL,		/* ... deleted if archived */
	ST_DEL_AFTER
};

/* what a Get SEL Entry is for */
enum selmon_read {
	RD_PROBE,	/* cursor + 1, on a BMC with consecutive IDs */
	RD_CURSOR,	/* the cursor itself, for its next ID */
	RD_FIRST,	/* the first entry */
	RD_CHAIN,	/* following next-record IDs */
	RD_LAST		/* the last entry: is it still the cursor? */
};

/* identities in two halves (not SEL generations) of an open-addressing
 * table: when the newer half is full the older one is dropped */
struct selmon_seen {
	uint8_t		(*slot)[SEL_RECORD_LEN];
	uint8_t		*used;
	unsigned	 n;
};
#define SEEN_SLOTS	(2 * SELMON_SEEN_GEN)

struct selmon {
	struct ev		*ev;
	struct conn		*conn;
	struct selmon_cfg	 cfg;
	char			 ident[STATE_IDENTITY_MAX + 1]; /* cfg's */
	struct state_sel	 st;
	int			 st_valid;
	int			 st_loaded;
	int			 seen_loaded;
	/* the state's identity is known and cfg's */
	int			 same_bmc;
	/* read the cursor back before trusting the state */
	int			 must_verify;
	/* st changed, not saved yet */
	int			 dirty;
	struct selmon_seen	 seen[2];
	int			 cur;
	/* archive tail without a state: the last run's generation */
	int			 adopt;
	int			 tail_any;
	uint32_t		 tail_gen;
	struct ev_timer		*timer;		/* erase poll */
	struct ev_timer		*fin;		/* report from the loop */

	int			 running;
	int			 mode;
	selmon_done_fn		*done;
	void			*done_arg;
	struct selmon_result	 res;
	enum selmon_step	 step;
	struct sel_info		 snap;		/* the info a read covers */
	enum selmon_read	 rd;
	uint16_t		 want;		/* ID requested */
	unsigned		 reads;
	unsigned		 restarts;
	unsigned		 rounds;
	unsigned		 polls;
	int			 pass_seq;	/* -1 unknown, 0 no, 1 yes */
	int			 have_last;
	struct sel_rec		 last;		/* last entry processed */
	uint16_t		 resid;
	unsigned		 deleted;
	int			 del_last;	/* deleting the cursor entry */
	/* read, with no archive to keep them */
	unsigned		 unarchived;
	uint16_t		 next_id;	/* the entry after last */
	/* how the pass ends once the batch is written */
	enum selmon_err		 pend_err;
	char			 pend_msg[320];
	uint8_t			 cc;		/* Clear SEL refused with */
	struct sel_info		 after;		/* Get SEL Info after erasing */
	struct selmon_job	*job;		/* disk job in flight */
	unsigned		 nbatch;
	struct sel_rec		 batch[SELMON_BATCH];
	struct sel_desc		 bdesc[SELMON_BATCH];
};

struct selmon_job;

/* the step a pass takes once its disk job is done */
typedef void	selmon_cont_fn(struct selmon *);

static void	selmon_rsp(void *, enum ipmi_err, const struct ipmi_rsp *);
static void	selmon_info(struct selmon *);
static void	selmon_del_next(struct selmon *);
static void	selmon_on_delete(struct selmon *, const struct ipmi_rsp *);
static void	selmon_no_clear(struct selmon *, uint8_t);
static int64_t	selmon_poll_cb(void *);
static void	selmon_finish(struct selmon *, enum selmon_err, const char *,
		    ...) __attribute__((format(printf, 3, 4)));

const char *
selmon_strerror(enum selmon_err e)
{
	switch (e) {
	case SELMON_OK:
		return "ok";
	case SELMON_E_TRANSPORT:
		return "transport failure";
	case SELMON_E_CCODE:
		return "error completion code";
	case SELMON_E_PROTO:
		return "malformed answer";
	case SELMON_E_ARCHIVE:
		return "archive not written";
	case SELMON_E_STATE:
		return "state not written";
	case SELMON_E_BUSY:
		return "busy";
	case SELMON_E_ERASE_TIMEOUT:
		return "erase did not complete";
	case SELMON_E_RACE:
		return "entries kept arriving";
	case SELMON_E_UNARCHIVED:
		return "entries not archived";
	}
	return "unknown";
}

/* ---- the seen set ---- */

static uint32_t
seen_hash(const uint8_t *raw)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < SEL_RECORD_LEN; i++)
		h = (h ^ raw[i]) * 16777619u;
	return h;
}

static int
seen_in(const struct selmon_seen *g, const uint8_t *raw)
{
	uint32_t i = seen_hash(raw) % SEEN_SLOTS;

	if (g->slot == NULL)
		return 0;
	while (g->used[i]) {
		if (memcmp(g->slot[i], raw, SEL_RECORD_LEN) == 0)
			return 1;
		i = (i + 1) % SEEN_SLOTS;
	}
	return 0;
}

static int
selmon_seen(const struct selmon *m, const uint8_t *raw)
{
	return seen_in(&m->seen[0], raw) || seen_in(&m->seen[1], raw);
}

static void
selmon_seen_add(void *arg, const uint8_t *raw)
{
	struct selmon *m = arg;
	struct selmon_seen *g = &m->seen[m->cur];
	uint32_t i;

	if (selmon_seen(m, raw))
		return;
	/* the current half is full: it becomes the older one */
	if (g->n >= SELMON_SEEN_GEN) {
		m->cur ^= 1;
		g = &m->seen[m->cur];
		if (g->used != NULL)
			memset(g->used, 0, SEEN_SLOTS);
		g->n = 0;
	}
	if (g->slot == NULL) {
		g->slot = xcalloc(SEEN_SLOTS, SEL_RECORD_LEN);
		g->used = xcalloc(SEEN_SLOTS, 1);
	}
	i = seen_hash(raw) % SEEN_SLOTS;
	while (g->used[i])
		i = (i + 1) % SEEN_SLOTS;
	memcpy(g->slot[i], raw, SEL_RECORD_LEN);
	g->used[i] = 1;
	g->n++;
}

/* a new generation: nothing of the old one may hide its entries */
static void
selmon_seen_reset(struct selmon *m)
{
	int k;

	for (k = 0; k < 2; k++) {
		if (m->seen[k].used != NULL)
			memset(m->seen[k].used, 0, SEEN_SLOTS);
		m->seen[k].n = 0;
	}
}

/* archive_tail: this BMC's lines, oldest first */
static void
selmon_tail_cb(void *arg, const uint8_t *raw, uint32_t gen)
{
	struct selmon *m = arg;

	if (m->adopt) {
		/* no state: the generation of the last lines */
		if (!m->tail_any || gen != m->tail_gen)
			selmon_seen_reset(m);
		m->tail_any = 1;
		m->tail_gen = gen;
	} else if (gen != m->st.gen)
		return;
	selmon_seen_add(m, raw);
}

/* ---- plumbing ---- */

static int64_t
selmon_fin_cb(void *arg)
{
	struct selmon *m = arg;
	selmon_done_fn *done = m->done;

	m->running = 0;
	m->step = ST_IDLE;
	if (done != NULL)
		done(m->done_arg, &m->res);
	return EV_STOP;
}

/* end the pass; the callback runs from the loop */
static void
selmon_finish(struct selmon *m, enum selmon_err e, const char *fmt, ...)
{
	va_list ap;

	m->res.err = e;
	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(m->res.msg, sizeof(m->res.msg), fmt, ap);
		va_end(ap);
	}
	m->step = ST_IDLE;
	ev_timer_set(m->ev, m->fin, 0);
}

static void
selmon_send(struct selmon *m, struct ipmi_req *q, enum selmon_step s)
{
	if (m->cfg.bridged) {
		q->bridged = 1;
		q->target_chan = m->cfg.target_chan;
		q->target_addr = m->cfg.target_addr;
	}
	m->step = s;
	m->res.requests++;
	if (conn_submit(m->conn, q, selmon_rsp, m) != 0)
		selmon_finish(m, SELMON_E_TRANSPORT, "request queue full");
}

static void
selmon_finish_ok(struct selmon *m)
{
	selmon_finish(m, SELMON_OK, NULL);
}

/* the end the pass was heading for before its batch was written */
static void
selmon_finish_pending(struct selmon *m)
{
	selmon_finish(m, m->pend_err, "%s", m->pend_msg);
}

/* ---- the disk: state, archive read-back, append + fsync ---- */

enum selmon_job_kind {
	JOB_LOAD,	/* state_load + archive_tail */
	JOB_WRITE	/* archive append + fsync, then state save */
};

/* one archive line read back */
struct selmon_line {
	uint8_t		 raw[SEL_RECORD_LEN];
	uint32_t	 gen;
};

/*
 * What a disk job reads or writes, in private copies: it runs on the
 * io worker while the loop goes on, and it may outlive its selmon
 * (selmon_free detaches it: m NULL), so it points at nothing of the
 * selmon's but m, which only the loop side touches.
 */
struct selmon_job {
	struct selmon		*m;
	enum selmon_job_kind	 kind;
	selmon_cont_fn		*cont;		/* the pass goes on there */
	int			 refused;	/* the io queue was full */
	char			*bmc;
	char			*state_path;	/* NULL: no state file */
	struct state_sel	 st;		/* loaded, or to save */
	int			 st_rc;
	char			 st_err[256];
	/* JOB_LOAD */
	int			 load_state;
	char			*tail_path;	/* NULL: not read back */
	struct selmon_line	*lines;
	size_t			 nlines;
	size_t			 cap;
	int			 tail_rc;
	/* JOB_WRITE: n entries to append (arch held), then st saved */
	struct archive		*arch;
	struct sel_rec		*rec;
	struct sel_desc		*desc;
	size_t			 n;
	int			 arc_rc;
	char			 err[256];
	int			 save;
};

static struct selmon_job *
selmon_job_new(struct selmon *m, enum selmon_job_kind kind,
    selmon_cont_fn *cont)
{
	struct selmon_job *j = xcalloc(1, sizeof(*j));

	j->m = m;
	j->kind = kind;
	j->cont = cont;
	j->bmc = xstrdup(m->cfg.bmc);
	j->state_path = m->cfg.state_path != NULL ?
	    xstrdup(m->cfg.state_path) : NULL;
	return j;
}

static void
selmon_job_free(struct selmon_job *j)
{
	free(j->bmc);
	free(j->state_path);
	free(j->tail_path);
	free(j->lines);
	free(j->rec);
	free(j->desc);
	archive_free(j->arch);		/* our hold */
	free(j);
}

/* the job's records as archive entries (they point into the job) */
static struct archive_entry *
selmon_job_entries(const struct selmon_job *j)
{
	struct archive_entry *e = xreallocarray(NULL, j->n, sizeof(*e));
	size_t i;

	for (i = 0; i < j->n; i++) {
		e[i].bmc = j->bmc;
		e[i].rec = &j->rec[i];
		e[i].desc = &j->desc[i];
		e[i].gen = j->st.gen;
	}
	return e;
}

/* archive_tail, on the worker: the lines, kept for the loop */
static void
selmon_job_line(void *arg, const uint8_t *raw, uint32_t gen)
{
	struct selmon_job *j = arg;

	if (j->nlines == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 1024;
		j->lines = xreallocarray(j->lines, j->cap, sizeof(*j->lines));
	}
	memcpy(j->lines[j->nlines].raw, raw, SEL_RECORD_LEN);
	j->lines[j->nlines].gen = gen;
	j->nlines++;
}

/*
 * On the io worker (or inline without one): touches the job and the
 * files only.  I1/I2: the state is written only after the archive
 * append (and its fsync) returned 0, in this one job.
 */
static void
selmon_job_run(void *arg)
{
	struct selmon_job *j = arg;
	struct archive_entry *e;

	if (j->kind == JOB_LOAD) {
		if (j->load_state)
			j->st_rc = state_load(j->state_path, &j->st, j->st_err,
			    sizeof(j->st_err));
		if (j->tail_path != NULL)
			j->tail_rc = archive_tail(j->tail_path, j->bmc,
			    selmon_job_line, j);
		return;
	}
	if (j->n > 0) {
		e = selmon_job_entries(j);
		j->arc_rc = archive_write(j->arch, e, j->n, j->err,
		    sizeof(j->err));
		free(e);
		if (j->arc_rc != 0)
			return;
	}
	if (j->save && j->state_path != NULL)
		j->st_rc = state_save(j->state_path, &j->st, j->st_err,
		    sizeof(j->st_err));
}

/* a load done: the state and the seen set from the files; 0 if the
 * pass ended */
static int
selmon_loaded(struct selmon *m, struct selmon_job *j)
{
	size_t i;

	if (j->refused) {
		selmon_finish(m, SELMON_E_STATE, "state: not read: %u disk "
		    "jobs already waiting", WORK_QUEUE_MAX);
		return 0;
	}
	if (j->load_state) {
		m->st_loaded = 1;
		m->st = j->st;		/* zeroed when absent or corrupt */
		m->st_valid = j->st_rc == 0;
		if (j->st_rc < 0) {	/* a full re-read; the seen set dedups */
			(void)snprintf(m->res.msg, sizeof(m->res.msg),
			    "state: %s: reading the whole SEL", j->st_err);
			/* msg may be replaced by the pass's end (a clear):
			 * the note stays, for the daemon's log */
			(void)snprintf(m->res.note, sizeof(m->res.note), "%s",
			    m->res.msg);
		}
		m->same_bmc = m->st_valid && m->ident[0] != '\0' &&
		    strcmp(m->st.identity, m->ident) == 0;
	}
	if (j->tail_path != NULL) {
		selmon_seen_reset(m);
		m->tail_any = 0;
		if (j->tail_rc < 0) {
			/* read back next pass: no pass without the set */
			selmon_finish(m, SELMON_E_ARCHIVE, "archive: cannot "
			    "read %s back", j->tail_path);
			return 0;
		}
		m->seen_loaded = 1;
		/* no state: the generation of this BMC's last lines */
		m->adopt = !m->st_valid;
		for (i = 0; i < j->nlines; i++)
			selmon_tail_cb(m, j->lines[i].raw, j->lines[i].gen);
		if (m->adopt && m->tail_any)
			m->st.gen = m->tail_gen;
		m->adopt = 0;
	}
	return 1;
}

/* a write done: what it archived counts, the cursor moves; 0 if the
 * pass ended */
static int
selmon_written(struct selmon *m, struct selmon_job *j)
{
	struct archive_entry *e;
	size_t i;

	if (j->refused && j->n > 0) {
		selmon_finish(m, SELMON_E_ARCHIVE, "archive: %u disk jobs "
		    "already waiting: nothing cleared", WORK_QUEUE_MAX);
		return 0;
	}
	if (j->refused) {
		/* the state in memory is ahead of the disk: the next
		 * pass starts again from the files */
		m->st_loaded = 0;
		m->seen_loaded = 0;
		selmon_finish(m, SELMON_E_STATE, "state: not written: %u "
		    "disk jobs already waiting", WORK_QUEUE_MAX);
		return 0;
	}
	if (j->n > 0) {
		if (j->arc_rc != 0) {
			selmon_finish(m, SELMON_E_ARCHIVE, "archive: %s: "
			    "nothing cleared", j->err);
			return 0;
		}
		e = selmon_job_entries(j);
		archive_log(j->arch, e, j->n);
		free(e);
		for (i = 0; i < j->n; i++) {
			selmon_seen_add(m, j->rec[i].raw);
			if (m->cfg.on_entry != NULL)
				m->cfg.on_entry(m->cfg.arg, &j->rec[i],
				    &j->desc[i]);
		}
		m->res.new_entries += (unsigned)j->n;
	}
	/* the count and the cursor the job wrote (nothing else touched
	 * m->st while it ran: the pass was waiting) */
	m->st = j->st;
	if (j->save && j->state_path != NULL && j->st_rc != 0) {
		/* memory must not run ahead of the disk: the next pass
		 * starts again from the files */
		m->st_loaded = 0;
		m->seen_loaded = 0;
		selmon_finish(m, SELMON_E_STATE, "state: %s", j->st_err);
		return 0;
	}
	return 1;
}

/* on the loop: the job's outcome, then the pass's next step */
static void
selmon_job_done(void *arg)
{
	struct selmon_job *j = arg;
	struct selmon *m = j->m;
	selmon_cont_fn *cont = j->cont;
	int go;

	if (m == NULL) {		/* its selmon is gone */
		selmon_job_free(j);
		return;
	}
	m->job = NULL;
	go = j->kind == JOB_LOAD ? selmon_loaded(m, j) : selmon_written(m, j);
	selmon_job_free(j);
	if (go)
		cont(m);
}

/* run j off the loop (cfg.io), or inline; the pass waits for it */
static void
selmon_io(struct selmon *m, struct selmon_job *j)
{
	m->job = j;
	if (m->cfg.io == NULL) {
		selmon_job_run(j);
		selmon_job_done(j);
		return;
	}
	if (work_submit(m->cfg.io, selmon_job_run, selmon_job_done, j) == 0)
		return;
	j->refused = 1;
	selmon_job_done(j);
}

/* save the state (tmp + fsync + rename), then cont */
static void
selmon_save(struct selmon *m, selmon_cont_fn *cont)
{
	struct selmon_job *j;

	m->dirty = 0;
	if (m->cfg.state_path == NULL) {
		cont(m);
		return;
	}
	j = selmon_job_new(m, JOB_WRITE, cont);
	j->st = m->st;
	j->save = 1;
	selmon_io(m, j);
}

struct selmon *
selmon_new(struct ev *ev, struct conn *conn, const struct selmon_cfg *cfg)
{
	struct selmon *m = xcalloc(1, sizeof(*m));

	m->ev = ev;
	m->conn = conn;
	m->cfg = *cfg;
	if (m->cfg.bmc == NULL)
		m->cfg.bmc = "localhost";
	state_identity_copy(m->ident, cfg->identity);
	if (m->cfg.erase_poll_ms == 0)
		m->cfg.erase_poll_ms = 100;
	if (m->cfg.erase_poll_max == 0)
		m->cfg.erase_poll_max = 50;
	if (m->cfg.max_rounds == 0)
		m->cfg.max_rounds = 5;
	m->timer = ev_timer_add(ev, -1, selmon_poll_cb, m);
	m->fin = ev_timer_add(ev, -1, selmon_fin_cb, m);
	return m;
}

int
selmon_set_identity(struct selmon *m, const char *identity)
{
	if (m->running)
		return -1;
	state_identity_copy(m->ident, identity);
	/* a state already loaded: is it (still) this BMC's? */
	m->same_bmc = m->st_loaded && m->st_valid && m->ident[0] != '\0' &&
	    strcmp(m->st.identity, m->ident) == 0;
	return 0;
}

void
selmon_free(struct selmon *m)
{
	int i;

	if (m == NULL)
		return;
	/* a disk job in flight finishes on its own (it holds copies) */
	if (m->job != NULL)
		m->job->m = NULL;
	ev_timer_del(m->ev, m->timer);
	ev_timer_del(m->ev, m->fin);
	for (i = 0; i < 2; i++) {
		free(m->seen[i].slot);
		free(m->seen[i].used);
	}
	free(m);
}

/* ---- reading ---- */

static void
selmon_get(struct selmon *m, uint16_t id, enum selmon_read rd)
{
	struct ipmi_req q;

	m->rd = rd;
	m->want = id;
	/* whole-record reads need no reservation (section 31.5) */
	sel_get_req(&q, 0, id);
	selmon_send(m, &q, ST_GET);
}

/*
 * Archive the batch and move the cursor over it, then cont: a job that
 * appends + fsyncs, then saves the state (I1, I2).  The pass ends
 * instead if that fails.
 */
static void
selmon_flush(struct selmon *m, selmon_cont_fn *cont)
{
	struct selmon_job *j;
	unsigned n = m->nbatch;
	int moved;

	if (n > 0 && m->cfg.archive == NULL && m->mode != SELMON_READ &&
	    m->mode != SELMON_CLEAR_FORCE) {
		selmon_finish(m, SELMON_E_UNARCHIVED, "%u SEL entries are not "
		    "archived", n);
		return;
	}
	if (m->cfg.archive == NULL) {
		/* I2: nothing unarchived may move the cursor, the count or
		 * the seen set; the pass will not record this read either */
		m->unarchived += n;
		m->nbatch = 0;
		cont(m);
		return;
	}
	/* every entry up to m->last is archived once this is written (or
	 * found in the archive): the cursor may move there */
	moved = m->have_last && (!m->st.has_cursor ||
	    m->st.cursor_id != m->last.id ||
	    memcmp(m->st.cursor_raw, m->last.raw, SEL_RECORD_LEN) != 0);
	if (n == 0 && (!moved || m->cfg.state_path == NULL)) {
		if (moved) {
			m->st.has_cursor = 1;
			m->st.cursor_id = m->last.id;
			memcpy(m->st.cursor_raw, m->last.raw, SEL_RECORD_LEN);
			m->dirty = 0;
		}
		cont(m);
		return;
	}
	j = selmon_job_new(m, JOB_WRITE, cont);
	j->st = m->st;
	if (n > 0) {
		j->arch = archive_hold(m->cfg.archive);
		j->rec = xreallocarray(NULL, n, sizeof(*j->rec));
		j->desc = xreallocarray(NULL, n, sizeof(*j->desc));
		memcpy(j->rec, m->batch, n * sizeof(*j->rec));
		memcpy(j->desc, m->bdesc, n * sizeof(*j->desc));
		j->n = n;
		j->st.archived += n;
	}
	if (moved) {
		j->st.has_cursor = 1;
		j->st.cursor_id = m->last.id;
		memcpy(j->st.cursor_raw, m->last.raw, SEL_RECORD_LEN);
	}
	j->save = 1;
	m->nbatch = 0;
	m->dirty = 0;
	selmon_io(m, j);
}

/* flush, then end the pass this way */
static void
selmon_flush_finish(struct selmon *m, enum selmon_err e, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
selmon_flush_finish(struct selmon *m, enum selmon_err e, const char *fmt,
    ...)
{
	va_list ap;

	m->pend_err = e;
	va_start(ap, fmt);
	(void)vsnprintf(m->pend_msg, sizeof(m->pend_msg), fmt, ap);
	va_end(ap);
	selmon_flush(m, selmon_finish_pending);
}

static void	selmon_decide(struct selmon *);
static void	selmon_read_first(struct selmon *);

/* the state from here on describes the SEL of the BMC that answers */
static void
selmon_own(struct selmon *m)
{
	if (m->ident[0] == '\0')
		return;
	if (strcmp(m->st.identity, m->ident) != 0)
		m->dirty = 1;
	memcpy(m->st.identity, m->ident, sizeof(m->st.identity));
	m->same_bmc = 1;
}

/*
 * A new generation (see the design comment): no cursor, an empty seen
 * set, a new tag, saved before any line carries it.  The count and the
 * last-addition time are "never", so a state left here by a crash still
 * makes the next pass read.  The read starts from the first entry once
 * the state is saved.
 */
static void
selmon_new_gen(struct selmon *m, uint32_t erase)
{
	m->st.gen = state_gen_new(m->st.gen);
	m->st.has_cursor = 0;
	m->st.entries = 0;
	m->st.last_add = SEL_TS_UNSPECIFIED;
	m->st.last_erase = erase;
	m->st.pending = STATE_PENDING_NONE;
	m->st_valid = 1;
	m->must_verify = 0;
	selmon_own(m);
	selmon_seen_reset(m);
	m->res.new_generation = 1;
	selmon_save(m, selmon_read_first);
}

/* the read reached the end of the SEL, and all it read is archived */
static void
selmon_read_covered(struct selmon *m)
{
	int dirty;

	if (m->unarchived > 0) {
		/* read without an archive: the state must not say that
		 * the SEL is covered */
		selmon_decide(m);
		return;
	}
	dirty = m->dirty || !m->st_valid ||
	    m->st.last_add != m->snap.last_add ||
	    m->st.last_erase != m->snap.last_erase ||
	    m->st.entries != m->snap.entries;
	m->st.last_add = m->snap.last_add;
	m->st.last_erase = m->snap.last_erase;
	m->st.entries = m->snap.entries;
	if (m->pass_seq >= 0 && m->st.seq_ids != m->pass_seq) {
		m->st.seq_ids = (uint8_t)m->pass_seq;
		dirty = 1;
	}
	m->st_valid = 1;
	if (dirty)
		selmon_save(m, selmon_decide);
	else
		selmon_decide(m);
}

/* the read reached the end of the SEL */
static void
selmon_read_done(struct selmon *m)
{
	selmon_flush(m, selmon_read_covered);
}

static void
selmon_read_first(struct selmon *m)
{
	m->st.has_cursor = 0;
	m->must_verify = 0;
	selmon_own(m);
	if (m->snap.entries == 0) {
		selmon_read_done(m);
		return;
	}
	selmon_get(m, SEL_ID_FIRST, RD_FIRST);
}

/* a timestamp that is a date: not pre-init, not "unspecified" */
static int
selmon_dated(uint32_t ts)
{
	return ts > SEL_TS_PREINIT_MAX && ts != SEL_TS_UNSPECIFIED;
}

/*
 * The state is this SEL's without reading anything: the same known
 * identity, and an erase time that is a date and has not moved (any
 * clear or deletion moves it), with nothing of ours pending.
 */
static int
selmon_proven(const struct selmon *m)
{
	return m->same_bmc && !m->must_verify &&
	    m->st.pending == STATE_PENDING_NONE &&
	    selmon_dated(m->st.last_erase) &&
	    m->st.last_erase == m->snap.last_erase;
}

/* after Get SEL Info: where to read from */
static void
selmon_from_cursor(struct selmon *m)
{
	const struct state_sel *st = &m->st;

	/* the probe skips the cursor: only when the SEL is proven ours */
	if (st->seq_ids && st->cursor_id < 0xfffe && selmon_proven(m))
		selmon_get(m, (uint16_t)(st->cursor_id + 1), RD_PROBE);
	else
		selmon_get(m, st->cursor_id, RD_CURSOR);
}

/* another BMC answers: its SEL is a new one (said once) */
static void
selmon_new_bmc(struct selmon *m)
{
	struct state_sel *st = &m->st;

	m->res.new_bmc = 1;
	(void)snprintf(m->res.note, sizeof(m->res.note), "another BMC "
	    "answers (%s; the state was written for %s): its SEL is read as "
	    "a new one", m->ident, st->identity);
	/* what was learned belongs to the other BMC */
	st->seq_ids = 0;
	st->no_clear = 0;
	st->wraps = 0;
	selmon_new_gen(m, m->snap.last_erase);
}

static void
selmon_begin_read(struct selmon *m)
{
	const struct sel_info *i = &m->snap;
	struct state_sel *st = &m->st;
	int sure;

	m->reads = 0;
	m->pass_seq = -1;
	m->have_last = 0;
	m->nbatch = 0;
	m->unarchived = 0;
	if (m->mode == SELMON_LIST) {
		/* from the first entry; the state is not looked at */
		if (i->entries == 0)
			selmon_finish(m, SELMON_OK, NULL);
		else
			selmon_get(m, SEL_ID_FIRST, RD_FIRST);
		return;
	}
	/* forced, without an archive: nothing to read (I2) */
	if (m->mode == SELMON_CLEAR_FORCE && m->cfg.archive == NULL) {
		selmon_decide(m);
		return;
	}
	if (m->st_valid && m->ident[0] != '\0' && st->identity[0] != '\0' &&
	    strcmp(st->identity, m->ident) != 0) {
		selmon_new_bmc(m);
		return;
	}
	if (!m->st_valid) {
		st->last_erase = i->last_erase;
		selmon_read_first(m);
		return;
	}
	if (i->last_erase != st->last_erase) {
		if (st->pending == STATE_PENDING_DELETE) {
			/* our own deletions moved it: the same generation */
			st->last_erase = i->last_erase;
			st->pending = STATE_PENDING_NONE;
			selmon_read_first(m);
			return;
		}
		if ((st->has_cursor || st->entries > 0) &&
		    st->pending != STATE_PENDING_CLEAR)
			m->res.oob_clear = 1;
		selmon_new_gen(m, i->last_erase);
		return;
	}
	/* our Clear SEL may have emptied a BMC that does not stamp it */
	if (st->pending == STATE_PENDING_CLEAR &&
	    (!st->has_cursor || i->entries == 0)) {
		selmon_new_gen(m, i->last_erase);
		return;
	}
	if (i->last_add == st->last_add && i->entries == st->entries &&
	    !m->must_verify) {
		/*
		 * Nothing new: this Get SEL Info was the whole sweep.  But a
		 * full SEL that may wrap keeps its count, and the timestamp
		 * has a 1 s resolution: there, ask for the last entry too.
		 * (A full SEL with the overflow flag refuses additions.)  So
		 * when the time is no date and the SEL is not proven the
		 * state's: another SEL could agree on all three.
		 */
		sure = selmon_dated(i->last_add) || selmon_proven(m);
		if ((st->wraps || (i->free_bytes < SEL_RECORD_LEN &&
		    !(i->ops & SEL_OP_OVERFLOW)) || !sure) &&
		    st->has_cursor && i->entries > 0)
			selmon_get(m, SEL_ID_LAST, RD_LAST);
		else
			selmon_decide(m);
		return;
	}
	/* full, no overflow flag, as many entries as before and yet new
	 * ones: the SEL overwrote its oldest entries (it wraps) */
	if (i->entries == st->entries && i->entries > 0 &&
	    i->free_bytes < SEL_RECORD_LEN && !(i->ops & SEL_OP_OVERFLOW) &&
	    st->last_add != SEL_TS_UNSPECIFIED &&
	    i->last_add != st->last_add && !st->wraps) {
		st->wraps = 1;
		m->res.archive_only_new = 1;
	}
	if (i->entries == 0 || !st->has_cursor) {
		selmon_read_first(m);
		return;
	}
	selmon_from_cursor(m);
}

/*
 * The cursor is gone although the erase time did not move: a SEL that
 * wrapped over it, our Clear SEL or deletions on a BMC that does not
 * stamp them, a clone or a factory-fresh BMC answering with the same
 * identity.  In none of these can an entry we archived still be there
 * (deletions go oldest first, ours stop before the cursor), short of
 * someone else deleting just the cursor: a new generation, so that no
 * repeat of an archived entry is taken for it.
 */
static void
selmon_cursor_gone(struct selmon *m)
{
	/* full and no overflow flag while entries come and go: it wraps */
	if (m->snap.free_bytes < SEL_RECORD_LEN &&
	    !(m->snap.ops & SEL_OP_OVERFLOW) && !m->st.wraps) {
		m->st.wraps = 1;
		m->res.archive_only_new = 1;
	}
	if (++m->restarts > 3) {
		selmon_finish(m, SELMON_E_PROTO, "SEL keeps changing under "
		    "the reader");
		return;
	}
	selmon_new_gen(m, m->snap.last_erase);
}

/* after entry m->last: the next one, or the end */
static void
selmon_entry_next(struct selmon *m)
{
	uint16_t next = m->next_id;

	if (next == SEL_ID_LAST || next == m->last.id) {
		selmon_read_done(m);
		return;
	}
	if (++m->reads >= SELMON_MAX_READS) {
		/* the rest on the next pass, from the cursor: the state is
		 * valid (erase time and cursor), its count and last
		 * addition stay old so the next Get SEL Info differs */
		(void)snprintf(m->res.msg, sizeof(m->res.msg), "read cap of "
		    "%u entries reached", SELMON_MAX_READS);
		m->st_valid = 1;
		selmon_flush(m, selmon_finish_ok);
		return;
	}
	selmon_get(m, next, RD_CHAIN);
}

static void
selmon_entry(struct selmon *m, const struct sel_rec *r, uint16_t next)
{
	if (next != SEL_ID_LAST)
		m->pass_seq = (m->pass_seq != 0 &&
		    next == (uint16_t)(r->id + 1)) ? 1 : 0;
	if (selmon_seen(m, r->raw))
		m->res.skipped++;
	else {
		m->batch[m->nbatch] = *r;
		sel_describe(r, m->cfg.names, &m->bdesc[m->nbatch]);
		m->nbatch++;
	}
	m->last = *r;
	m->have_last = 1;
	m->next_id = next;
	if (m->nbatch == SELMON_BATCH) {
		selmon_flush(m, selmon_entry_next);
		return;
	}
	selmon_entry_next(m);
}

/* a completion code in words, named for the command that answered
 * (Send Message's own, for a bridged request that did not arrive) */
static const char *
selmon_ccode(char *buf, size_t len, const struct ipmi_rsp *rsp,
    uint8_t cmd)
{
	if (rsp->netfn & 1)
		return ipmi_ccode_fmt(buf, len, rsp->netfn, rsp->cmd,
		    rsp->ccode);
	return ipmi_ccode_fmt(buf, len, IPMI_NETFN_STORAGE, cmd, rsp->ccode);
}

/* SELMON_LIST: the walk from the first entry, nothing kept */
static void
selmon_on_list(struct selmon *m, const struct ipmi_rsp *rsp)
{
	struct sel_rec r;
	struct sel_desc d;
	uint8_t raw[SEL_RECORD_LEN];
	uint16_t next;
	char why[IPMI_CCODE_TEXT_MAX];

	if (rsp->ccode == IPMI_CC_REQUESTED_DATA_NOT_PRESENT &&
	    m->rd == RD_FIRST) {
		selmon_finish(m, SELMON_OK, NULL);	/* emptied meanwhile */
		return;
	}
	if (rsp->ccode != IPMI_CC_OK) {
		selmon_finish(m, SELMON_E_CCODE, "Get SEL Entry 0x%04x: %s",
		    m->want, selmon_ccode(why, sizeof(why), rsp,
		    IPMI_CMD_GET_SEL_ENTRY));
		return;
	}
	if (sel_get_decode(rsp->data, rsp->len, &next, raw) != IPMI_OK ||
	    sel_rec_decode(raw, sizeof(raw), &r) != IPMI_OK) {
		selmon_finish(m, SELMON_E_PROTO, "Get SEL Entry 0x%04x: %s",
		    m->want, ipmi_short_fmt(why, sizeof(why), rsp->len,
		    SEL_GET_RSP_LEN));
		return;
	}
	sel_describe(&r, m->cfg.names, &d);
	if (m->cfg.on_list != NULL)
		m->cfg.on_list(m->cfg.arg, &r, &d);
	/* the next ID equal to the one asked for would loop */
	if (next == SEL_ID_LAST || next == m->want ||
	    ++m->reads >= SELMON_LIST_MAX) {
		selmon_finish(m, SELMON_OK, NULL);
		return;
	}
	selmon_get(m, next, RD_CHAIN);
}

/*
 * The next entry vanished under us (the batch read so far is archived
 * now): go on from the cursor, just moved to the last one read, which
 * still stands unless the SEL changed more.
 */
static void
selmon_chain_gone(struct selmon *m)
{
	if (++m->restarts > 3) {
		selmon_finish(m, SELMON_E_PROTO, "SEL keeps changing under "
		    "the reader");
		return;
	}
	if (m->st.has_cursor)
		selmon_get(m, m->st.cursor_id, RD_CURSOR);
	else
		selmon_cursor_gone(m);
}

static void
selmon_on_get(struct selmon *m, const struct ipmi_rsp *rsp)
{
	struct sel_rec r;
	uint8_t raw[SEL_RECORD_LEN];
	uint16_t next;
	char why[IPMI_CCODE_TEXT_MAX];

	if (m->mode == SELMON_LIST) {
		selmon_on_list(m, rsp);
		return;
	}
	if (rsp->ccode == IPMI_CC_REQUESTED_DATA_NOT_PRESENT) {
		switch (m->rd) {
		case RD_PROBE:
			selmon_get(m, m->st.cursor_id, RD_CURSOR);
			return;
		case RD_CURSOR:
			selmon_cursor_gone(m);
			return;
		case RD_FIRST:
			selmon_read_done(m);	/* empty after all */
			return;
		case RD_CHAIN:
			selmon_flush(m, selmon_chain_gone);
			return;
		case RD_LAST:
			selmon_from_cursor(m);
			return;
		}
	}
	/* on an error the batch read so far is good: it is kept */
	if (rsp->ccode == SELMON_CC_ERASE_IN_PROGRESS) {
		selmon_flush_finish(m, SELMON_E_BUSY, "SEL erase in progress");
		return;
	}
	if (rsp->ccode != IPMI_CC_OK) {
		selmon_flush_finish(m, SELMON_E_CCODE, "Get SEL Entry 0x%04x: "
		    "%s", m->want, ipmi_ccode_fmt(why, sizeof(why),
		    IPMI_NETFN_STORAGE, IPMI_CMD_GET_SEL_ENTRY, rsp->ccode));
		return;
	}
	if (sel_get_decode(rsp->data, rsp->len, &next, raw) != IPMI_OK ||
	    sel_rec_decode(raw, sizeof(raw), &r) != IPMI_OK) {
		selmon_flush_finish(m, SELMON_E_PROTO, "Get SEL Entry 0x%04x: "
		    "%s", m->want, ipmi_short_fmt(why, sizeof(why), rsp->len,
		    SEL_GET_RSP_LEN));
		return;
	}
	switch (m->rd) {
	case RD_PROBE:
		if (r.id != m->want) {
			selmon_get(m, m->st.cursor_id, RD_CURSOR);
			return;
		}
		m->pass_seq = 1;
		selmon_entry(m, &r, next);
		return;
	case RD_CURSOR:
		if (memcmp(r.raw, m->st.cursor_raw, SEL_RECORD_LEN) != 0) {
			selmon_cursor_gone(m);
			return;
		}
		/* the cursor is there: the state is this SEL's, and a
		 * pending Clear SEL did not happen */
		if (m->st.pending != STATE_PENDING_NONE)
			m->dirty = 1;
		m->st.pending = STATE_PENDING_NONE;
		m->must_verify = 0;
		selmon_own(m);
		m->last = r;
		m->have_last = 1;
		if (next == SEL_ID_LAST || next == r.id)
			selmon_read_done(m);
		else
			selmon_get(m, next, RD_CHAIN);
		return;
	case RD_LAST:
		if (memcmp(r.raw, m->st.cursor_raw, SEL_RECORD_LEN) == 0) {
			selmon_own(m);
			selmon_decide(m);	/* nothing new indeed */
		} else {
			/* same count, same second, new entries: wrapped */
			if (m->snap.free_bytes < SEL_RECORD_LEN &&
			    !(m->snap.ops & SEL_OP_OVERFLOW) && !m->st.wraps) {
				m->st.wraps = 1;
				m->res.archive_only_new = 1;
			}
			selmon_from_cursor(m);
		}
		return;
	case RD_FIRST:
	case RD_CHAIN:
		selmon_entry(m, &r, next);
		return;
	}
}

/* ---- clearing ---- */

static void
selmon_again(struct selmon *m, const char *why)
{
	if (++m->rounds > m->cfg.max_rounds) {
		selmon_finish(m, SELMON_E_RACE, "not cleared: %s %u times; "
		    "entries keep arriving", why, m->cfg.max_rounds);
		return;
	}
	selmon_info(m);
}

static void
selmon_decide(struct selmon *m)
{
	struct ipmi_req q;
	int due;

	if (m->mode == SELMON_READ || m->snap.entries == 0) {
		selmon_finish(m, SELMON_OK, NULL);
		return;
	}
	due = m->mode >= SELMON_CLEAR_NOW;
	if (m->cfg.clear_at > 0 && m->res.used_pct >= m->cfg.clear_at)
		due = 1;
	if (m->cfg.clear_free > 0 && m->res.used_pct >= 0 &&
	    m->snap.free_bytes / SEL_RECORD_LEN < m->cfg.clear_free)
		due = 1;
	if (!due) {
		selmon_finish(m, SELMON_OK, NULL);
		return;
	}
	if ((m->st.no_clear || m->st.wraps) && m->mode != SELMON_CLEAR_FORCE) {
		m->res.archive_only = 1;
		selmon_finish(m, SELMON_OK, "archive only: %s",
		    m->st.no_clear ? "the BMC does not support Clear SEL" :
		    "the SEL wraps (overwrites its oldest entries)");
		return;
	}
	/* without an archive only a state whose cursor covers the SEL
	 * (checked again under the reservation) allows a clear */
	if (m->cfg.archive == NULL && m->mode != SELMON_CLEAR_FORCE &&
	    !(m->st_valid && m->st.has_cursor)) {
		selmon_finish(m, SELMON_E_UNARCHIVED, "no archive: not "
		    "clearing");
		return;
	}
	sel_reserve_req(&q);
	selmon_send(m, &q, ST_RESERVE);
}

/*
 * Before entries disappear: the count and last-addition time in the
 * state stop meaning "nothing new" (a deletion lowers the count, and a
 * newcomer in the same second could bring it back), so a state left by
 * a crash from here on must make the next pass read.  FFFFFFFFh ("never
 * added") never equals the time of a SEL that holds entries.  What is
 * pending tells the next pass who moved the erase time (see the
 * generations in the design comment).
 */
static void
selmon_unsure(struct selmon *m, uint8_t pending, selmon_cont_fn *cont)
{
	if (m->st.last_add == SEL_TS_UNSPECIFIED && m->st.pending == pending) {
		cont(m);
		return;
	}
	m->st.last_add = SEL_TS_UNSPECIFIED;
	m->st.pending = pending;
	selmon_save(m, cont);
}

static void
selmon_clear_send(struct selmon *m)
{
	struct ipmi_req q;

	sel_clear_req(&q, m->resid, SEL_CLEAR_INITIATE);
	selmon_send(m, &q, ST_CLEAR);
}

static void
selmon_clear(struct selmon *m)
{
	selmon_unsure(m, STATE_PENDING_CLEAR, selmon_clear_send);
}

static void
selmon_after(struct selmon *m)
{
	struct ipmi_req q;

	sel_info_req(&q);
	selmon_send(m, &q, ST_AFTER);
}

static int64_t
selmon_poll_cb(void *arg)
{
	struct selmon *m = arg;
	struct ipmi_req q;

	sel_clear_req(&q, m->resid, SEL_CLEAR_GET_STATUS);
	selmon_send(m, &q, ST_STATUS);
	return EV_STOP;
}

static void
selmon_wait_erase(struct selmon *m)
{
	if (++m->polls > m->cfg.erase_poll_max) {
		selmon_finish(m, SELMON_E_ERASE_TIMEOUT, "SEL erase not "
		    "completed after %u polls", m->cfg.erase_poll_max);
		return;
	}
	ev_timer_set(m->ev, m->timer, m->cfg.erase_poll_ms);
}

static void
selmon_no_clear_said(struct selmon *m)
{
	char why[IPMI_CCODE_TEXT_MAX];

	m->res.archive_only = 1;
	selmon_finish(m, SELMON_OK, "archive only: Clear SEL refused (%s)",
	    ipmi_ccode_fmt(why, sizeof(why), IPMI_NETFN_STORAGE,
	    IPMI_CMD_CLEAR_SEL, m->cc));
}

/* Clear SEL refused as a command: archive only from now on */
static void
selmon_no_clear(struct selmon *m, uint8_t cc)
{
	m->cc = cc;
	if (!m->st.no_clear || m->st.pending != STATE_PENDING_NONE) {
		if (!m->st.no_clear)
			m->res.archive_only_new = 1;
		m->st.no_clear = 1;
		m->st.pending = STATE_PENDING_NONE;	/* refused */
		selmon_save(m, selmon_no_clear_said);
		return;
	}
	selmon_no_clear_said(m);
}

/* the cleared SEL's new generation is saved */
static void
selmon_after_saved(struct selmon *m)
{
	const struct sel_info *i = &m->after;
	unsigned n = m->snap.entries;

	m->res.cleared = 1;
	m->res.cleared_entries = n;
	m->res.info = *i;
	/* res.overflow stays: the SEL did overflow before this clear */
	m->res.sane = sel_info_check(i, &m->res.used_pct);
	/* snap is what the verify under the reservation saw: a later
	 * addition time with an empty SEL means an entry came in the one
	 * round trip before the erase (the residual window) */
	if (i->last_add != m->snap.last_add &&
	    i->last_add != SEL_TS_UNSPECIFIED && i->entries == 0) {
		m->res.maybe_lost = 1;
		(void)snprintf(m->res.msg, sizeof(m->res.msg), "cleared the "
		    "SEL: %u entries, every one archived; an entry added "
		    "during the clear may be lost (this BMC keeps "
		    "reservations across additions: consider deleting "
		    "entries one by one)", n);
	} else
		(void)snprintf(m->res.msg, sizeof(m->res.msg), "cleared the "
		    "SEL: %u entries, every one archived", n);
	selmon_finish(m, SELMON_OK, NULL);
}

static void
selmon_on_after(struct selmon *m, const struct sel_info *i)
{
	unsigned n = m->snap.entries;

	if (i->last_erase == m->snap.last_erase && i->entries >= n) {
		selmon_finish(m, SELMON_E_PROTO, "Clear SEL reported success "
		    "but the SEL still holds %u entries", i->entries);
		return;
	}
	/* a new generation: nothing archived before may hide its entries */
	m->st.has_cursor = 0;
	m->st.gen = state_gen_new(m->st.gen);
	m->st.pending = STATE_PENDING_NONE;
	m->st.last_erase = i->last_erase;
	m->st.last_add = i->last_add;
	/* 0, so entries that arrived after the erase are read next pass */
	m->st.entries = 0;
	m->st.clears++;
	m->st_valid = 1;
	selmon_seen_reset(m);
	m->res.new_generation = 1;
	m->after = *i;
	selmon_save(m, selmon_after_saved);
}

/* ---- the delete method ---- */

static void
selmon_del_next(struct selmon *m)
{
	struct ipmi_req q;

	if (m->del_last || m->deleted >= SELMON_MAX_READS) {
		sel_info_req(&q);
		selmon_send(m, &q, ST_DEL_AFTER);
		return;
	}
	sel_get_req(&q, 0, SEL_ID_FIRST);
	selmon_send(m, &q, ST_DEL_GET);
}

static void
selmon_del_send(struct selmon *m)
{
	struct ipmi_req q;

	sel_delete_req(&q, m->resid, m->want);
	selmon_send(m, &q, ST_DEL);
}

/* the deletions are saved */
static void
selmon_del_saved(struct selmon *m)
{
	m->res.cleared = 1;
	m->res.cleared_entries = m->deleted;
	m->res.info = m->after;
	m->res.sane = sel_info_check(&m->after, &m->res.used_pct);
	(void)snprintf(m->res.msg, sizeof(m->res.msg), "deleted %u archived "
	    "entries from the SEL", m->deleted);
	selmon_finish(m, SELMON_OK, NULL);
}

static void
selmon_on_delete(struct selmon *m, const struct ipmi_rsp *rsp)
{
	struct sel_info i;
	struct sel_rec r;
	uint8_t raw[SEL_RECORD_LEN];
	uint16_t next;
	char why[IPMI_CCODE_TEXT_MAX];

	switch (m->step) {
	case ST_DEL_GET:
		if (rsp->ccode == IPMI_CC_REQUESTED_DATA_NOT_PRESENT) {
			m->del_last = 1;	/* empty */
			selmon_del_next(m);
			return;
		}
		if (rsp->ccode != IPMI_CC_OK ||
		    sel_get_decode(rsp->data, rsp->len, &next, raw) !=
		    IPMI_OK || sel_rec_decode(raw, sizeof(raw), &r) !=
		    IPMI_OK) {
			selmon_finish(m, rsp->ccode != IPMI_CC_OK ?
			    SELMON_E_CCODE : SELMON_E_PROTO, "Get SEL Entry: "
			    "%s", ipmi_rsp_errfmt(why, sizeof(why), rsp,
			    SEL_GET_RSP_LEN));
			return;
		}
		/* the oldest entry: archived if it is the cursor or in
		 * the archive; anything else stops the deleting */
		if (m->st.has_cursor && memcmp(r.raw, m->st.cursor_raw,
		    SEL_RECORD_LEN) == 0)
			m->del_last = 1;
		else if (!selmon_seen(m, r.raw)) {
			m->del_last = 1;
			selmon_del_next(m);
			return;
		}
		m->want = r.id;
		selmon_unsure(m, STATE_PENDING_DELETE, selmon_del_send);
		return;
	case ST_DEL:
		if (rsp->ccode == IPMI_CC_RESERVATION_CANCELLED) {
			struct ipmi_req rq;

			if (++m->rounds > m->cfg.max_rounds * 4) {
				selmon_finish(m, SELMON_E_RACE, "deleted %u "
				    "entries; reservation cancelled %u times",
				    m->deleted, m->rounds);
				return;
			}
			m->del_last = 0;
			sel_reserve_req(&rq);
			selmon_send(m, &rq, ST_RESERVE);
			return;
		}
		if (rsp->ccode == IPMI_CC_INVALID_COMMAND && m->deleted == 0) {
			selmon_no_clear(m, rsp->ccode);
			return;
		}
		if (rsp->ccode != IPMI_CC_OK &&
		    rsp->ccode != IPMI_CC_REQUESTED_DATA_NOT_PRESENT) {
			selmon_finish(m, SELMON_E_CCODE, "Delete SEL Entry "
			    "0x%04x: %s", m->want, ipmi_ccode_fmt(why,
			    sizeof(why), IPMI_NETFN_STORAGE,
			    IPMI_CMD_DELETE_SEL_ENTRY, rsp->ccode));
			return;
		}
		if (rsp->ccode == IPMI_CC_OK)
			m->deleted++;
		selmon_del_next(m);
		return;
	default:		/* ST_DEL_AFTER */
		if (rsp->ccode != IPMI_CC_OK ||
		    sel_info_decode(rsp->data, rsp->len, &i) != IPMI_OK) {
			selmon_finish(m, rsp->ccode != IPMI_CC_OK ?
			    SELMON_E_CCODE : SELMON_E_PROTO, "Get SEL Info: "
			    "%s", ipmi_rsp_errfmt(why, sizeof(why), rsp,
			    SEL_INFO_RSP_LEN));
			return;
		}
		/*
		 * The cursor stays (deleted, the next read finds what
		 * follows it).  The count is what remains of the entries
		 * we read; anything that arrived meanwhile makes the next
		 * Get SEL Info differ and is read then.
		 */
		m->st.entries = (uint16_t)(m->snap.entries > m->deleted ?
		    m->snap.entries - m->deleted : 0);
		m->st.last_add = m->snap.last_add;
		/* deletions move the erase time (section 31.2) */
		m->st.last_erase = i.last_erase;
		m->st.pending = STATE_PENDING_NONE;
		m->st.clears++;
		m->after = i;
		selmon_save(m, selmon_del_saved);
		return;
	}
}

/* ---- responses ---- */

static void
selmon_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct selmon *m = arg;
	struct sel_info i;
	struct sel_rec r;
	uint8_t raw[SEL_RECORD_LEN], prog;
	uint16_t next;
	char why[IPMI_CCODE_TEXT_MAX];

	if (err != IPMI_OK) {
		/* the batch read so far is good: keep it */
		if (m->step == ST_GET && m->mode != SELMON_LIST)
			selmon_flush_finish(m, SELMON_E_TRANSPORT, "%s: %s",
			    ipmi_tr_peer(conn_tr(m->conn)), ipmi_strerror(err));
		else
			selmon_finish(m, SELMON_E_TRANSPORT, "%s: %s",
			    ipmi_tr_peer(conn_tr(m->conn)), ipmi_strerror(err));
		return;
	}
	switch (m->step) {
	case ST_INFO:
	case ST_VERIFY_INFO:
	case ST_AFTER:
		if (rsp->ccode == SELMON_CC_ERASE_IN_PROGRESS &&
		    m->mode != SELMON_LIST) {
			if (m->step == ST_AFTER)
				selmon_wait_erase(m);
			else
				selmon_finish(m, SELMON_E_BUSY, "SEL erase in "
				    "progress");
			return;
		}
		if (rsp->ccode != IPMI_CC_OK) {
			selmon_finish(m, SELMON_E_CCODE, "Get SEL Info: %s",
			    selmon_ccode(why, sizeof(why), rsp,
			    IPMI_CMD_GET_SEL_INFO));
			return;
		}
		if (sel_info_decode(rsp->data, rsp->len, &i) != IPMI_OK) {
			selmon_finish(m, SELMON_E_PROTO, "Get SEL Info: %s",
			    ipmi_short_fmt(why, sizeof(why), rsp->len,
			    SEL_INFO_RSP_LEN));
			return;
		}
		if (m->step == ST_AFTER) {
			selmon_on_after(m, &i);
			return;
		}
		if (m->step == ST_VERIFY_INFO) {
			if (i.last_add != m->snap.last_add ||
			    i.last_erase != m->snap.last_erase ||
			    i.entries != m->snap.entries) {
				selmon_again(m, "new entries after the "
				    "archive step");
				return;
			}
			if (m->mode == SELMON_CLEAR_FORCE &&
			    m->cfg.archive == NULL) {
				selmon_clear(m);
				return;
			}
			{
				struct ipmi_req q;

				sel_get_req(&q, 0, SEL_ID_LAST);
				selmon_send(m, &q, ST_VERIFY_LAST);
			}
			return;
		}
		m->snap = i;
		m->res.info = i;
		m->res.sane = sel_info_check(&i, &m->res.used_pct);
		m->res.overflow = (i.ops & SEL_OP_OVERFLOW) != 0;
		selmon_begin_read(m);
		return;
	case ST_GET:
		selmon_on_get(m, rsp);
		return;
	case ST_RESERVE:
		if (rsp->ccode == IPMI_CC_INVALID_COMMAND)
			m->resid = 0;	/* no reservations: clear with 0 */
		else if (rsp->ccode != IPMI_CC_OK ||
		    sel_reserve_decode(rsp->data, rsp->len, &m->resid) !=
		    IPMI_OK) {
			selmon_finish(m, rsp->ccode != IPMI_CC_OK ?
			    SELMON_E_CCODE : SELMON_E_PROTO, "Reserve SEL: %s",
			    ipmi_rsp_errfmt(why, sizeof(why), rsp,
			    SEL_RESERVE_RSP_LEN));
			return;
		}
		if (m->cfg.delete_entries && m->mode != SELMON_CLEAR_FORCE) {
			selmon_del_next(m);
			return;
		}
		{
			struct ipmi_req q;

			sel_info_req(&q);
			selmon_send(m, &q, ST_VERIFY_INFO);
		}
		return;
	case ST_DEL_GET:
	case ST_DEL:
	case ST_DEL_AFTER:
		selmon_on_delete(m, rsp);
		return;
	case ST_VERIFY_LAST:
		if (rsp->ccode != IPMI_CC_OK ||
		    sel_get_decode(rsp->data, rsp->len, &next, raw) !=
		    IPMI_OK || sel_rec_decode(raw, sizeof(raw), &r) !=
		    IPMI_OK || !m->st.has_cursor ||
		    memcmp(r.raw, m->st.cursor_raw, SEL_RECORD_LEN) != 0) {
			/* nothing changed since the read, yet the last entry
			 * is not the cursor: the state may not be this SEL's
			 * (I3); the next round reads the cursor back */
			m->must_verify = 1;
			selmon_again(m, "the last entry is not the last one "
			    "archived");
			return;
		}
		selmon_clear(m);
		return;
	case ST_CLEAR:
		if (rsp->ccode != IPMI_CC_OK) {
			/* refused: no erase started */
			m->st.pending = STATE_PENDING_NONE;
			m->dirty = 1;
		}
		if (rsp->ccode == IPMI_CC_RESERVATION_CANCELLED) {
			selmon_again(m, "reservation cancelled");
			return;
		}
		if (rsp->ccode == IPMI_CC_INVALID_COMMAND ||
		    rsp->ccode == IPMI_CC_NOT_SUPPORTED_IN_PRESENT_STATE ||
		    rsp->ccode == IPMI_CC_SUBFUNCTION_DISABLED) {
			selmon_no_clear(m, rsp->ccode);
			return;
		}
		/* FALLTHROUGH */
	case ST_STATUS:
		if (m->step == ST_STATUS &&
		    rsp->ccode == IPMI_CC_RESERVATION_CANCELLED) {
			/* some BMCs drop the reservation with the erase */
			selmon_after(m);
			return;
		}
		if (rsp->ccode != IPMI_CC_OK ||
		    sel_clear_decode(rsp->data, rsp->len, &prog) != IPMI_OK) {
			selmon_finish(m, rsp->ccode != IPMI_CC_OK ?
			    SELMON_E_CCODE : SELMON_E_PROTO, "Clear SEL: %s",
			    ipmi_rsp_errfmt(why, sizeof(why), rsp,
			    SEL_CLEAR_RSP_LEN));
			return;
		}
		if (prog == SEL_ERASE_COMPLETED)
			selmon_after(m);
		else
			selmon_wait_erase(m);
		return;
	case ST_IDLE:
		return;
	}
}

static void
selmon_info(struct selmon *m)
{
	struct ipmi_req q;

	sel_info_req(&q);
	selmon_send(m, &q, ST_INFO);
}

/* the files are read (if they had to be): a pass starts with Get SEL
 * Info */
static void
selmon_begin(struct selmon *m)
{
	/* a state of our own from now on needs a generation */
	if (!m->st_valid && !m->tail_any && m->st.gen == 0)
		m->st.gen = state_gen_new(0);
	selmon_info(m);
}

int
selmon_start(struct selmon *m, int mode, selmon_done_fn *done, void *arg)
{
	struct selmon_job *j;
	int load_state, load_tail;

	if (m->running)
		return -1;
	memset(&m->res, 0, sizeof(m->res));
	m->res.used_pct = -1;
	m->running = 1;
	m->mode = mode;
	m->done = done;
	m->done_arg = arg;
	m->rounds = 0;
	m->polls = 0;
	m->restarts = 0;
	m->deleted = 0;
	m->del_last = 0;
	if (mode == SELMON_LIST) {	/* no file, no state */
		selmon_info(m);
		return 0;
	}
	/* the state and the archive's tail, once (again after a failed
	 * save: memory may have run ahead of the disk) */
	load_state = !m->st_loaded && m->cfg.state_path != NULL;
	load_tail = !m->seen_loaded && m->cfg.archive_path != NULL;
	if (!load_state && !load_tail) {
		selmon_begin(m);
		return 0;
	}
	j = selmon_job_new(m, JOB_LOAD, selmon_begin);
	j->load_state = load_state;
	j->tail_path = load_tail ? xstrdup(m->cfg.archive_path) : NULL;
	selmon_io(m, j);
	return 0;
}

static void
selmon_run_done(void *arg, const struct selmon_result *r)
{
	struct selmon_result *out = arg;

	*out = *r;
}

void
selmon_run(struct selmon *m, int mode, struct selmon_result *out)
{
	memset(out, 0, sizeof(*out));
	if (selmon_start(m, mode, selmon_run_done, out) != 0) {
		out->err = SELMON_E_BUSY;
		return;
	}
	while (m->running)
		if (ev_run_once(m->ev, -1) != 0)
			break;
}

/* ---- the sensor model ---- */

/* the SDR record of a sensor, and the instance index for shared ones */
static const struct sdr_rec *
selmon_sdr_find(const struct selmon_names *sn, uint16_t gen, uint8_t num,
    unsigned *idx)
{
	const struct sdr_rec *r;
	size_t i;
	unsigned k;

	if (sn->sdr == NULL)
		return NULL;
	for (i = 0; i < sn->sdr->n; i++) {
		r = &sn->sdr->recs[i];
		/* generator ID byte 1 is the owner ID byte of the SDR,
		 * byte 2 bits 1:0 the LUN (table 32-1, section 43.1) */
		if (!sdr_is_sensor(r) || r->owner_id != (gen & 0xff) ||
		    r->owner_lun != ((gen >> 8) & 0x03))
			continue;
		for (k = 0; k < r->share_count && k < 128; k++)
			if (sdr_share_number(r, k) == num) {
				*idx = k;
				return r;
			}
	}
	return NULL;
}

static const char *
selmon_nm_type(uint8_t t)
{
	return evtext_sensor_type(t);
}

static const char *
selmon_nm_offset(uint8_t et, uint8_t st, uint8_t off)
{
	return evtext_offset(et, st, off);
}

static const char *
selmon_nm_sensor(void *arg, uint16_t gen, uint8_t num)
{
	struct selmon_names *sn = arg;
	const struct sdr_rec *r;
	unsigned idx = 0;

	if ((r = selmon_sdr_find(sn, gen, num, &idx)) == NULL)
		return NULL;
	sdr_share_name(r, idx, sn->name, sizeof(sn->name));
	return sn->name;
}

static int
selmon_nm_reading(void *arg, uint16_t gen, uint8_t num, uint8_t raw,
    double *v, const char **unit)
{
	struct selmon_names *sn = arg;
	const struct sdr_rec *r;
	unsigned idx = 0;

	if ((r = selmon_sdr_find(sn, gen, num, &idx)) == NULL ||
	    r->type != SDR_TYPE_FULL || r->format == SDR_FMT_NONE ||
	    sensor_convert(r, NULL, raw, v) != 0)
		return -1;
	*unit = evtext_unit(r->unit_base);
	return 0;
}

static int
selmon_nm_severity(void *arg, uint16_t gen, uint8_t num, uint8_t et,
    uint8_t st, uint8_t off)
{
	struct selmon_names *sn = arg;
	const struct sdr_rec *r;
	enum sensor_sev v;
	unsigned idx = 0;
	const char *name = "";

	if (sn->sev == NULL)
		return -1;
	if ((r = selmon_sdr_find(sn, gen, num, &idx)) != NULL) {
		sdr_share_name(r, idx, sn->name, sizeof(sn->name));
		name = sn->name;
	}
	v = severity_offset(sn->sev, name, num, st, et, off);
	switch (v) {
	case SENSOR_SEV_OK:
		return SEL_SEV_INFO;
	case SENSOR_SEV_WARNING:
		return SEL_SEV_WARNING;
	case SENSOR_SEV_CRITICAL:
	case SENSOR_SEV_NONRECOVERABLE:
		return SEL_SEV_CRITICAL;
	default:
		return -1;
	}
}

void
selmon_names_init(struct selmon_names *sn, const struct sdr_image *sdr,
    const struct severity *sev)
{
	memset(sn, 0, sizeof(*sn));
	sn->sdr = sdr;
	sn->sev = sev;
	sn->names.type_name = selmon_nm_type;
	sn->names.offset_text = selmon_nm_offset;
	sn->names.severity = selmon_nm_severity;
	sn->names.sensor_name = selmon_nm_sensor;
	sn->names.reading = selmon_nm_reading;
	sn->names.arg = sn;
}

/* ---- pairing ---- */

static uint64_t
selmon_pair_key(const struct sel_rec *r)
{
	return (uint64_t)r->gen_id << 24 | (uint64_t)r->sensor_num << 16 |
	    (uint64_t)r->event_type << 8 | r->offset;
}

size_t
selmon_open_problems(const struct sel_rec *r, const struct sel_desc *d,
    size_t n, uint8_t *open)
{
	uint64_t *tab, k;
	uint8_t *used;
	size_t i, cap, h, count = 0;

	memset(open, 0, n);
	if (n == 0)
		return 0;
	/* newest first: a key seen later (either way) closes older ones */
	cap = 2 * n + 1;
	tab = xcalloc(cap, sizeof(*tab));
	used = xcalloc(cap, 1);
	for (i = n; i-- > 0;) {
		if (r[i].kind != SEL_KIND_SYSTEM)
			continue;
		k = selmon_pair_key(&r[i]);
		for (h = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 32) % cap;
		    used[h] && tab[h] != k; h = (h + 1) % cap)
			;
		if (used[h])
			continue;
		used[h] = 1;
		tab[h] = k;
		if (!r[i].deassert && d[i].sev > SEL_SEV_INFO) {
			open[i] = 1;
			count++;
		}
	}
	free(tab);
	free(used);
	return count;
}

uint64_t
selmon_archived(const struct selmon *m)
{
	return m->st.archived;
}

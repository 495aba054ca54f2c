/*
 * The watchdog heartbeat's health checks (see health.h).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "health.h"
#include "log.h"
#include "xmem.h"

/* a process started this long after its pidfile was written is
 * suspected of having taken a dead process's ID (logged only) */
#define HEALTH_PID_SLACK_S	60
#define HEALTH_DEFAULT_MS	10000	/* no heartbeat interval given */

enum health_state {
	CK_UNKNOWN,	/* no result yet: passing while the first run is
			 * within its limit, failing since the start after */
	CK_OK,
	CK_FAIL
};

struct health_check;

/*
 * A check-file or check-pid run, on the fs worker: the results of
 * stat(), open() + read() and kill(pid, 0), in the job (see work.h: the
 * run touches nothing else).  c is NULL once the health was freed.
 */
struct health_job {
	struct health_check	*c;
	enum conf_check_kind	 kind;
	char			*path;
	int			 err;		/* stat/open/read errno */
	struct stat		 st;		/* of path */
	struct timespec		 wall;		/* CLOCK_REALTIME then */
	struct timespec		 boot;		/* REALTIME - BOOTTIME */
	/* check-pid */
	int			 parsed;	/* a process ID in the file */
	pid_t			 pid;
	int			 kill_err;	/* kill(pid, 0) errno, or 0 */
	int			 stat_err;	/* /proc/PID/stat errno, or 0 */
	char			 pstate;
	uint64_t		 pstart;	/* clock ticks since boot */
};

struct health_check {
	struct health		*h;
	enum conf_check_kind	 kind;
	char			*path;
	unsigned		 max_age_s;
	unsigned		 timeout_ms;
	enum health_state	 state;
	uint64_t		 fail_since;	/* ms, while not CK_OK */
	char			 why[HEALTH_TEXT_MAX];	/* while failing */
	char			 late[HEALTH_TEXT_MAX];	/* if no answer */
	struct log_limit	 lim;
	/* a run in flight: its job, or its command */
	int			 busy;
	uint64_t		 started;
	struct health_job	*job;
	pid_t			 pid;
	uint64_t		 last_ms;	/* the last result */
	/* check-file: the file as last seen, and when it changed */
	int			 fseen;
	struct timespec		 fmtime;
	dev_t			 fdev;
	ino_t			 fino;
	off_t			 fsize;
	uint64_t		 fchanged;
	/* check-pid: the process the pidfile's version named */
	int			 plearned;
	dev_t			 pdev;
	ino_t			 pino;
	struct timespec		 pmtime;
	pid_t			 ppid;
	uint64_t		 pstart;
};

struct health {
	struct ev		*ev;
	struct spawn		*sp;
	struct work		*fs;
	char			*target;
	unsigned		 interval_ms;
	uint64_t		 grace_ms;
	struct health_check	*checks;
	size_t			 n;
	struct ev_timer		*timer;
	int			 was_ok;	/* as last logged */
};

static const char *
health_kind(enum conf_check_kind k)
{
	switch (k) {
	case CONF_CHECK_FILE:
		return "check-file";
	case CONF_CHECK_PID:
		return "check-pid";
	case CONF_CHECK_COMMAND:
		return "check-command";
	}
	return "check";
}

/* ---- parsers (pure) ---- */

static int
health_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int
health_parse_pidfile(const uint8_t *p, size_t n, pid_t *pid)
{
	struct rbuf rb;
	uint64_t v = 0;
	size_t digits = 0;

	rb_init(&rb, p, n);
	while (rd_peek(&rb) >= 0 && health_blank(rd_peek(&rb)))
		(void)rd_u8(&rb);
	while (rd_peek(&rb) >= '0' && rd_peek(&rb) <= '9') {
		v = v * 10 + (uint64_t)(rd_u8(&rb) - '0');
		if (v > INT_MAX)
			return -1;
		digits++;
	}
	while (rd_peek(&rb) >= 0 && health_blank(rd_peek(&rb)))
		(void)rd_u8(&rb);
	if (digits == 0 || v == 0 || rd_left(&rb) != 0 || rb.err)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

int
health_parse_stat(const uint8_t *p, size_t n, char *state, uint64_t *start)
{
	struct rbuf rb;
	size_t i, close = 0, field;
	int found = 0, ch;
	uint64_t v;

	/* the command name (field 2) is "(...)" and may hold anything:
	 * the fields go on after the last ')' */
	rb_init(&rb, p, n);
	for (i = 0; rd_left(&rb) > 0; i++)
		if (rd_u8(&rb) == ')') {
			close = i;
			found = 1;
		}
	if (!found)
		return -1;
	rb_init(&rb, p, n);
	rd_skip(&rb, close + 1);
	/* field 3 (state) is the 1st after it, field 22 (starttime) the
	 * 20th */
	for (field = 3; field <= 22; field++) {
		if (rd_u8(&rb) != ' ' || rb.err)
			return -1;
		if (field == 3) {
			ch = rd_peek(&rb);
			if (ch < 'A' || ch > 'z')
				return -1;
			*state = (char)rd_u8(&rb);
			continue;
		}
		/* a number, maybe negative (priority, nice) */
		if (rd_peek(&rb) == '-')
			(void)rd_u8(&rb);
		v = 0;
		i = 0;
		while (rd_peek(&rb) >= '0' && rd_peek(&rb) <= '9') {
			if (v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(rd_u8(&rb) - '0');
			i++;
		}
		if (i == 0)
			return -1;
		if (field == 22)
			*start = v;
	}
	return rb.err ? -1 : 0;
}

/* ---- results ---- */

static int	health_check_failing(const struct health_check *, uint64_t,
		    uint64_t *, const char **);

/* log the change of health_ok() once */
static void
health_transition(struct health *h)
{
	const struct health_check *c;
	const char *why = NULL;
	uint64_t now = ev_now(), since = 0;
	size_t i;
	int ok = health_ok(h);

	if (ok == h->was_ok)
		return;
	h->was_ok = ok;
	if (ok) {
		log_target(LOG_NOTICE, h->target, "watchdog", "every check "
		    "passes or is within its grace: the timer is reset again");
		return;
	}
	for (i = 0; i < h->n; i++) {
		c = &h->checks[i];
		if (health_check_failing(c, now, &since, &why) &&
		    now - since >= h->grace_ms)
			break;
	}
	log_target(LOG_ERR, h->target, "watchdog", "%s: failing for %llu s, "
	    "past the grace of %llu s: the timer is no longer reset",
	    why != NULL ? why : "a check", (unsigned long long)((now -
	    since) / 1000), (unsigned long long)(h->grace_ms / 1000));
}

static void
health_pass(struct health_check *c, uint64_t now)
{
	char what[HEALTH_TEXT_MAX + 32];

	c->last_ms = now;
	if (c->state == CK_FAIL) {
		(void)snprintf(what, sizeof(what), "%s %s: passes",
		    health_kind(c->kind), c->path);
		log_recover(&c->lim, c->h->target, "watchdog", what);
	}
	c->state = CK_OK;
	c->fail_since = 0;
	c->why[0] = '\0';
}

/* a failure seen now, failing since `since' unless it already was */
static void
health_fail(struct health_check *c, uint64_t now, uint64_t since,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
health_fail(struct health_check *c, uint64_t now, uint64_t since,
    const char *fmt, ...)
{
	va_list ap;
	size_t n;

	c->last_ms = now;
	n = (size_t)snprintf(c->why, sizeof(c->why), "%s %s: ",
	    health_kind(c->kind), c->path);
	if (n < sizeof(c->why)) {
		va_start(ap, fmt);
		(void)vsnprintf(c->why + n, sizeof(c->why) - n, fmt, ap);
		va_end(ap);
	}
	/* unknown counts from the start, failing from its first failure */
	if (c->state == CK_OK)
		c->fail_since = since;
	c->state = CK_FAIL;
	(void)log_fail(&c->lim, now, LOG_WARNING, c->h->target, "watchdog",
	    "%s", c->why);
}

/* ms between two CLOCK_REALTIME times, a - b, 0 if negative */
static uint64_t
health_ts_ms(const struct timespec *a, const struct timespec *b)
{
	int64_t ms = ((int64_t)a->tv_sec - (int64_t)b->tv_sec) * 1000 +
	    ((int64_t)a->tv_nsec - (int64_t)b->tv_nsec) / 1000000;

	return ms > 0 ? (uint64_t)ms : 0;
}

static int
health_ts_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static void
health_file_result(struct health_check *c, const struct health_job *j,
    uint64_t now)
{
	uint64_t age, window;
	int changed;

	if (j->err != 0) {
		c->fseen = 0;	/* when it is back: seen anew */
		if (j->err == ENOENT)
			health_fail(c, now, now, "missing");
		else
			health_fail(c, now, now, "%s", strerror(j->err));
		return;
	}
	if (c->max_age_s == 0) {
		health_pass(c, now);
		return;
	}
	/*
	 * Freshness on the monotonic clock.  The file's own time (wall
	 * clock) gives its age when first seen; after that a change of its
	 * time, inode or size counts from when we saw it, at most one look
	 * back, so a wall clock stepped forward cannot age a live file.
	 */
	age = health_ts_ms(&j->wall, &j->st.st_mtim);
	changed = !c->fseen || !health_ts_eq(&c->fmtime, &j->st.st_mtim) ||
	    c->fdev != j->st.st_dev || c->fino != j->st.st_ino ||
	    c->fsize != j->st.st_size;
	if (!c->fseen)
		c->fchanged = now > age ? now - age : 0;
	else if (changed) {
		window = now - c->last_ms;
		c->fchanged = now - (age < window ? age : window);
	}
	c->fseen = 1;
	c->fmtime = j->st.st_mtim;
	c->fdev = j->st.st_dev;
	c->fino = j->st.st_ino;
	c->fsize = j->st.st_size;
	age = now - c->fchanged;
	if (age <= (uint64_t)c->max_age_s * 1000)
		health_pass(c, now);
	else
		health_fail(c, now, now, "not modified for %llu s (max-age "
		    "%u s)", (unsigned long long)(age / 1000), c->max_age_s);
}

static void
health_pid_result(struct health_check *c, const struct health_job *j,
    uint64_t now)
{
	struct timespec start;
	long hz;
	int same;

	if (j->err != 0) {
		if (j->err == ENOENT)
			health_fail(c, now, now, "missing");
		else
			health_fail(c, now, now, "%s", strerror(j->err));
		return;
	}
	if (!j->parsed) {
		health_fail(c, now, now, "no process ID in it");
		return;
	}
	if (j->kill_err == ESRCH || j->stat_err == ENOENT) {
		health_fail(c, now, now, "process %ld is not running",
		    (long)j->pid);
		return;
	}
	if (j->kill_err != 0 && j->kill_err != EPERM) {
		health_fail(c, now, now, "process %ld: %s", (long)j->pid,
		    strerror(j->kill_err));
		return;
	}
	if (j->stat_err != 0) {
		/* no /proc to tell a reused ID: alive is all we know */
		health_pass(c, now);
		return;
	}
	if (j->pstate == 'Z' || j->pstate == 'X' || j->pstate == 'x') {
		health_fail(c, now, now, "process %ld has exited (not reaped "
		    "yet)", (long)j->pid);
		return;
	}
	same = c->plearned && c->pdev == j->st.st_dev &&
	    c->pino == j->st.st_ino && health_ts_eq(&c->pmtime,
	    &j->st.st_mtim) && c->ppid == j->pid;
	if (same && c->pstart != j->pstart) {
		/* the pidfile has not changed, the process has */
		health_fail(c, now, now, "process %ld is not the one the "
		    "pidfile named: that one ended and its ID was reused",
		    (long)j->pid);
		return;
	}
	if (!same) {
		c->plearned = 1;
		c->pdev = j->st.st_dev;
		c->pino = j->st.st_ino;
		c->pmtime = j->st.st_mtim;
		c->ppid = j->pid;
		c->pstart = j->pstart;
		/* its start by the wall clock, against the file's time */
		hz = sysconf(_SC_CLK_TCK);
		if (hz > 0) {
			start = j->boot;
			start.tv_sec += (time_t)(j->pstart / (uint64_t)hz);
			if (start.tv_sec > j->st.st_mtim.tv_sec +
			    HEALTH_PID_SLACK_S)
				log_target(LOG_WARNING, c->h->target,
				    "watchdog", "%s %s: process %ld started "
				    "%llu s after the pidfile was written: "
				    "the pidfile may be stale (not failed on "
				    "the wall clock's word)",
				    health_kind(c->kind), c->path,
				    (long)j->pid, (unsigned long long)
				    (start.tv_sec - j->st.st_mtim.tv_sec));
		}
	}
	health_pass(c, now);
}

/* ---- file and pid checks, on the fs worker ---- */

/* /proc/PID/stat: state and start time */
static void
health_job_proc(struct health_job *j)
{
	char path[64];
	uint8_t buf[HEALTH_STAT_MAX];
	ssize_t n;
	int fd;

	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)j->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		j->stat_err = errno;
		return;
	}
	n = fileio_read_all(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n < 0)
		j->stat_err = errno;
	else if (health_parse_stat(buf, (size_t)n, &j->pstate,
	    &j->pstart) != 0)
		j->stat_err = EINVAL;
}

static void
health_job_run(void *arg)
{
	struct health_job *j = arg;
	struct timespec bt;
	uint8_t buf[HEALTH_PIDFILE_MAX + 1];
	ssize_t n;
	int fd;

	(void)clock_gettime(CLOCK_REALTIME, &j->wall);
	(void)clock_gettime(CLOCK_BOOTTIME, &bt);
	j->boot.tv_sec = j->wall.tv_sec - bt.tv_sec;
	if (j->kind == CONF_CHECK_FILE) {
		if (stat(j->path, &j->st) != 0)
			j->err = errno;
		return;
	}
	/* check-pid: this open is what a FIFO or a hung mount blocks */
	if ((fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		j->err = errno;
		return;
	}
	if (fstat(fd, &j->st) != 0 ||
	    (n = fileio_read_all(fd, buf, sizeof(buf))) < 0) {
		j->err = errno;
		(void)close(fd);
		return;
	}
	(void)close(fd);
	/* longer than a pidfile is: not one */
	j->parsed = (size_t)n <= HEALTH_PIDFILE_MAX &&
	    health_parse_pidfile(buf, (size_t)n, &j->pid) == 0;
	if (!j->parsed)
		return;
	if (kill(j->pid, 0) != 0)
		j->kill_err = errno;
	if (j->kill_err == 0 || j->kill_err == EPERM)
		health_job_proc(j);
}

static void
health_job_free(struct health_job *j)
{
	free(j->path);
	free(j);
}

static void
health_job_done(void *arg)
{
	struct health_job *j = arg;
	struct health_check *c = j->c;
	uint64_t now = ev_now();

	if (c == NULL) {		/* its health is gone */
		health_job_free(j);
		return;
	}
	c->job = NULL;
	c->busy = 0;
	if (j->kind == CONF_CHECK_FILE)
		health_file_result(c, j, now);
	else
		health_pid_result(c, j, now);
	health_job_free(j);
	health_transition(c->h);
}

/* ---- check-command ---- */

static void
health_cmd_exit(void *arg, const struct spawn_exit *ex)
{
	struct health_check *c = arg;
	uint64_t now = ev_now();
	char out[120];
	size_t i;

	c->busy = 0;
	c->pid = 0;
	/* its first line of output, for the log */
	for (i = 0; i < ex->outlen && i + 1 < sizeof(out) &&
	    ex->out[i] != '\n'; i++)
		out[i] = (unsigned char)ex->out[i] < 0x20 ? ' ' : ex->out[i];
	out[i] = '\0';
	if (ex->exec_errno != 0)
		health_fail(c, now, now, "cannot run: %s",
		    strerror(ex->exec_errno));
	else if (ex->timed_out)
		health_fail(c, now, now, "still running after its timeout "
		    "of %u ms: killed", c->timeout_ms);
	else if (ex->status == -1)
		health_fail(c, now, now, "its exit status was lost");
	else if (WIFSIGNALED(ex->status))
		health_fail(c, now, now, "killed by signal %d%s%s",
		    WTERMSIG(ex->status), out[0] ? ": " : "", out);
	else if (WIFEXITED(ex->status) && WEXITSTATUS(ex->status) != 0)
		health_fail(c, now, now, "exit status %d%s%s",
		    WEXITSTATUS(ex->status), out[0] ? ": " : "", out);
	else
		health_pass(c, now);
	health_transition(c->h);
}

/* ---- running the checks ---- */

/* how long a run may take before it counts as no answer */
static uint64_t
health_limit(const struct health_check *c)
{
	if (c->kind == CONF_CHECK_COMMAND)
		return (uint64_t)c->timeout_ms + c->h->interval_ms;
	return c->h->interval_ms;
}

/*
 * Is c failing at now, and since when, and why?  A run that has not
 * answered within its limit is failing since it started.
 */
static int
health_check_failing(const struct health_check *c, uint64_t now,
    uint64_t *since, const char **why)
{
	if (c->busy && now - c->started > health_limit(c)) {
		if (c->state != CK_OK && c->fail_since < c->started) {
			*since = c->fail_since;
			*why = c->why[0] ? c->why : c->late;
		} else {
			*since = c->started;
			*why = c->late;
		}
		return 1;
	}
	/* the first run, within its limit: not failing yet */
	if (c->state == CK_OK || c->state == CK_UNKNOWN)
		return 0;
	*since = c->fail_since;
	*why = c->why[0] ? c->why : c->late;
	return 1;
}

static void
health_start(struct health_check *c, uint64_t now)
{
	struct health *h = c->h;
	struct health_job *j;
	struct spawn_opts o;
	char *argv[2], err[256];
	pid_t pid;

	c->started = now;
	if (c->kind == CONF_CHECK_COMMAND) {
		(void)snprintf(c->late, sizeof(c->late), "%s %s: still "
		    "running, not reaped after its timeout", health_kind(
		    c->kind), c->path);
		memset(&o, 0, sizeof(o));
		o.capture = 1;
		o.timeout_ms = c->timeout_ms;
		argv[0] = c->path;
		argv[1] = NULL;
		pid = spawn_start(h->sp, argv, &o, health_cmd_exit, c, err,
		    sizeof(err));
		if (pid < 0) {
			health_fail(c, now, now, "%s", err);
			return;
		}
		c->pid = pid;
		c->busy = 1;
		return;
	}
	(void)snprintf(c->late, sizeof(c->late), "%s %s: no answer from the "
	    "file system", health_kind(c->kind), c->path);
	j = xcalloc(1, sizeof(*j));
	j->c = c;
	j->kind = c->kind;
	j->path = xstrdup(c->path);
	c->job = j;
	c->busy = 1;
	if (h->fs == NULL) {
		health_job_run(j);
		health_job_done(j);
		return;
	}
	if (work_submit(h->fs, health_job_run, health_job_done, j) != 0) {
		c->job = NULL;
		c->busy = 0;
		health_job_free(j);
		health_fail(c, now, now, "not checked: %u file checks already "
		    "waiting", WORK_QUEUE_MAX);
	}
}

static int64_t
health_tick(void *arg)
{
	struct health *h = arg;
	struct health_check *c;
	uint64_t now = ev_now(), since;
	const char *why;
	size_t i;

	for (i = 0; i < h->n; i++) {
		c = &h->checks[i];
		if (!c->busy) {
			health_start(c, now);
			continue;
		}
		/* still running: no second run; past its limit it fails */
		if (health_check_failing(c, now, &since, &why) &&
		    c->state != CK_FAIL) {
			(void)snprintf(c->why, sizeof(c->why), "%s", c->late);
			c->fail_since = since;
			c->state = CK_FAIL;
			(void)log_fail(&c->lim, now, LOG_WARNING, h->target,
			    "watchdog", "%s", c->why);
		}
	}
	health_transition(h);
	return h->interval_ms;
}

struct health *
health_new(struct ev *ev, struct spawn *sp, struct work *fs,
    const struct conf_watchdog *w, const char *target)
{
	struct health *h = xcalloc(1, sizeof(*h));
	struct health_check *c;
	uint64_t now = ev_now();
	size_t i;

	h->ev = ev;
	h->sp = sp;
	h->fs = fs;
	h->target = xstrdup(target != NULL ? target : "local");
	h->interval_ms = w->cfg.interval_ms > 0 ? w->cfg.interval_ms :
	    HEALTH_DEFAULT_MS;
	h->grace_ms = (uint64_t)w->grace_s * 1000;
	h->was_ok = 1;
	h->n = w->nchecks;
	h->checks = xcalloc(h->n ? h->n : 1, sizeof(*h->checks));
	for (i = 0; i < h->n; i++) {
		c = &h->checks[i];
		c->h = h;
		c->kind = w->checks[i].kind;
		c->path = xstrdup(w->checks[i].path);
		c->max_age_s = w->checks[i].max_age_s;
		c->timeout_ms = w->checks[i].timeout_ms > 0 ?
		    w->checks[i].timeout_ms : 5000;
		c->state = CK_UNKNOWN;
		c->fail_since = now;
		(void)snprintf(c->late, sizeof(c->late), "%s %s: no result "
		    "yet", health_kind(c->kind), c->path);
	}
	if (h->n > 0)
		h->timer = ev_timer_add(ev, 0, health_tick, h);
	return h;
}

void
health_free(struct health *h)
{
	struct health_check *c;
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++) {
		c = &h->checks[i];
		if (c->job != NULL)
			c->job->c = NULL;	/* ends on its own */
		if (c->pid > 0)
			spawn_forget(h->sp, c->pid, 1);
		free(c->path);
	}
	ev_timer_del(h->ev, h->timer);
	free(h->checks);
	free(h->target);
	free(h);
}

int
health_ok(const struct health *h)
{
	uint64_t now = ev_now(), since;
	const char *why;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (health_check_failing(&h->checks[i], now, &since, &why) &&
		    now - since >= h->grace_ms)
			return 0;
	return 1;
}

const char *
health_failing(const struct health *h)
{
	uint64_t now = ev_now(), since;
	const char *why;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (health_check_failing(&h->checks[i], now, &since, &why))
			return why;
	return NULL;
}

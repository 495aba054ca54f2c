/*
 * The watchdog's health checks (agent/daemon/health.c): each kind passes
 * and fails, the grace, a hanging command killed at its timeout while
 * the loop's timers go on, a check on a path whose open() blocks (a
 * FIFO) that holds its worker but not the loop, a dead pid, a zombie, a
 * pid reused by another process, failures logged once, no zombie left.
 * Every wait is for a condition, bounded by BOUND_MS.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "ev.h"
#include "harness.h"
#include "logcap.h"
#include "health.h"
#include "log.h"
#include "spawn.h"
#include "work.h"

#define BOUND_MS	20000
/* long enough that a file check's job answers within it on a loaded
 * machine under ASan (else it fails as "no answer from the file
 * system", rightly, and the test reads that reason) */
#define INTERVAL_MS	200

static char tdir[256];

/* ---- a bed: loop, reaper, fs worker, one watchdog block ---- */

struct bed {
	struct ev		*ev;
	struct spawn		*sp;
	struct work		*fs;
	struct conf_watchdog	 w;
	struct conf_check	 ck[4];
	struct health		*h;
	unsigned		 ticks;
	struct ev_timer		*tick;
};

static int64_t
tick_cb(void *arg)
{
	(*(unsigned *)arg)++;
	return 5;
}

static void
bed_open(struct bed *b)
{
	memset(b, 0, sizeof(*b));
	b->ev = ev_new();
	b->sp = spawn_new(b->ev);
	b->fs = work_new(b->ev, 1);
	if (b->sp == NULL || b->fs == NULL) {
		perror("bed");
		exit(2);
	}
	b->w.enabled = 1;
	b->w.cfg.interval_ms = INTERVAL_MS;
	b->w.checks = b->ck;
	b->tick = ev_timer_add(b->ev, 5, tick_cb, &b->ticks);
}

static void
bed_check(struct bed *b, enum conf_check_kind k, const char *path,
    unsigned max_age_s, unsigned timeout_ms)
{
	struct conf_check *c = &b->ck[b->w.nchecks++];

	c->kind = k;
	c->path = (char *)(uintptr_t)path;
	c->max_age_s = max_age_s;
	c->timeout_ms = timeout_ms;
}

static void
bed_start(struct bed *b)
{
	b->h = health_new(b->ev, b->sp, b->fs, &b->w, "tgt1");
}

/* run the loop until cond(b) or BOUND_MS; 1 if it came */
static int
bed_until(struct bed *b, int (*cond)(struct bed *))
{
	uint64_t end = ev_now() + BOUND_MS;

	while (!cond(b) && ev_now() < end)
		(void)ev_run_once(b->ev, 20);
	return cond(b);
}

/* run the loop for n of its own 5 ms ticks */
static void
bed_ticks(struct bed *b, unsigned n)
{
	unsigned until = b->ticks + n;
	uint64_t end = ev_now() + BOUND_MS;

	while (b->ticks < until && ev_now() < end)
		(void)ev_run_once(b->ev, 20);
}

static void
bed_close(struct bed *b)
{
	health_free(b->h);
	b->h = NULL;
	/* a killed command is reaped later, a detached file check ends
	 * later: wait for them */
	{
		uint64_t end = ev_now() + BOUND_MS;

		while ((spawn_count(b->sp) > 0 || work_pending(b->fs) > 0) &&
		    ev_now() < end)
			(void)ev_run_once(b->ev, 20);
	}
	CHECK_EQ(spawn_count(b->sp), 0);
	CHECK_EQ(work_pending(b->fs), 0);
	ev_timer_del(b->ev, b->tick);
	work_free(b->fs);
	spawn_free(b->sp);
	ev_free(b->ev);
}

static int
is_failing(struct bed *b)
{
	return health_failing(b->h) != NULL;
}

static int
is_passing(struct bed *b)
{
	return health_failing(b->h) == NULL;
}

/* failing, and for the reason that has want in its words */
static const char *fail_want;

static int
is_failing_want(struct bed *b)
{
	const char *f = health_failing(b->h);

	return f != NULL && strstr(f, fail_want) != NULL;
}

static int
bed_until_failing(struct bed *b, const char *why)
{
	fail_want = why;
	return bed_until(b, is_failing_want);
}

static int
is_not_ok(struct bed *b)
{
	return !health_ok(b->h);
}

static void
check_no_zombie(void)
{
	int st;

	errno = 0;
	CHECK_EQ(waitpid(-1, &st, WNOHANG), -1);
	CHECK_EQ(errno, ECHILD);
}

static void
mkpath(char *buf, size_t len, const char *name)
{
	(void)snprintf(buf, len, "%s/%s", tdir, name);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	(void)fclose(f);
}

static void
script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fprintf(f, "#!/bin/sh\n%s\n", body);
	(void)fclose(f);
	(void)chmod(path, 0755);
}

/* set path's modification time ago_s seconds back */
static void
age_file(const char *path, time_t ago_s)
{
	struct timespec t[2];

	(void)clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= ago_s;
	t[1] = t[0];
	CHECK_EQ(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* ---- tests ---- */

static void
test_parsers(void)
{
	static const char stat1[] = "1234 (my (odd) name) S 1 1234 1234 0 -1 "
	    "4194560 100 0 0 0 3 1 0 0 20 0 1 0 987654 123456 78 "
	    "18446744073709551615\n";
	pid_t p = 0;
	char st = 0;
	uint64_t start = 0;

	CHECK_EQ(health_parse_pidfile((const uint8_t *)"4242\n", 5, &p), 0);
	CHECK_EQ(p, 4242);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"  17 \n", 6, &p), 0);
	CHECK_EQ(p, 17);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"", 0, &p), -1);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"0\n", 2, &p), -1);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"-5\n", 3, &p), -1);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"12 34", 5, &p), -1);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"12x", 3, &p), -1);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"2147483648", 10, &p),
	    -1);
	CHECK_EQ(health_parse_pidfile((const uint8_t *)"2147483647", 10, &p),
	    0);
	CHECK_EQ(health_parse_stat((const uint8_t *)stat1, sizeof(stat1) - 1,
	    &st, &start), 0);
	CHECK_EQ(st, 'S');
	CHECK_EQ(start, 987654);
	CHECK_EQ(health_parse_stat((const uint8_t *)"1 (x) Z 1", 9, &st,
	    &start), -1);
	CHECK_EQ(health_parse_stat((const uint8_t *)"no paren", 8, &st,
	    &start), -1);
}

/* check-file: missing, then there; max-age: stale, then touched */
static void
test_file(void)
{
	struct bed b;
	char path[300], path2[300];
	const char *log;

	mkpath(path, sizeof(path), "alive");
	mkpath(path2, sizeof(path2), "fresh");
	(void)unlink(path);
	bed_open(&b);
	bed_check(&b, CONF_CHECK_FILE, path, 0, 0);
	logcap_begin();
	bed_start(&b);
	CHECK(bed_until_failing(&b, "missing"));
	CHECK_EQ(health_ok(b.h), 0);		/* grace 0 */
	/* several intervals of the same failure: logged once */
	bed_ticks(&b, 6 * INTERVAL_MS / 5);
	write_file(path, "x");
	CHECK(bed_until(&b, is_passing));
	CHECK_EQ(health_ok(b.h), 1);
	log = logcap_end();
	/* the failure, the grace passed (0 s), the recovery */
	CHECK_EQ(logcap_count(log, "tgt1: watchdog: check-file "), 3);
	CHECK_EQ(logcap_count(log, "missing\n"), 1);
	CHECK(strstr(log, "passes after ") != NULL);
	CHECK_EQ(logcap_count(log, "no longer reset"), 1);
	CHECK_EQ(logcap_count(log, "reset again"), 1);
	health_free(b.h);
	/* max-age: a file last written 100 s ago is stale; touched, fresh */
	b.w.nchecks = 0;
	bed_check(&b, CONF_CHECK_FILE, path2, 30, 0);
	write_file(path2, "x");
	age_file(path2, 100);
	bed_start(&b);
	CHECK(bed_until_failing(&b, "not modified for 100 s (max-age 30 s)"));
	write_file(path2, "xy");
	CHECK(bed_until(&b, is_passing));
	bed_close(&b);
}

/*
 * max-age on the monotonic clock: an unchanged file ages by it and
 * fails once max-age has passed; a file whose time jumps back (restored,
 * or written before the wall clock was stepped forward) has changed: it
 * counts as written when that was seen, not as old as its time says.
 */
static void
test_file_monotonic(void)
{
	struct bed b;
	char path[300];
	uint64_t t0;

	mkpath(path, sizeof(path), "stepped");
	t0 = ev_now();
	write_file(path, "x");
	bed_open(&b);
	bed_check(&b, CONF_CHECK_FILE, path, 1, 0);
	bed_start(&b);
	CHECK(bed_until(&b, is_passing));
	/* stale once a second has passed since it was written: never
	 * before (file times are coarse: a few ms of margin) */
	CHECK(bed_until_failing(&b, "(max-age 1 s)"));
	CHECK(ev_now() - t0 >= 990);
	age_file(path, 86400);
	CHECK(bed_until(&b, is_passing));
	bed_close(&b);
}

/* check-pid: alive (ourselves), missing file, garbage, dead, zombie */
static void
test_pid(void)
{
	struct bed b;
	char path[300], buf[32];
	pid_t child;
	int st;

	mkpath(path, sizeof(path), "app.pid");
	(void)snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	write_file(path, buf);
	bed_open(&b);
	bed_check(&b, CONF_CHECK_PID, path, 0, 0);
	bed_start(&b);
	CHECK(bed_until(&b, is_passing));
	CHECK_EQ(health_ok(b.h), 1);
	/* garbage */
	write_file(path, "not a pid\n");
	CHECK(bed_until_failing(&b, "no process ID in it"));
	/* a dead process */
	if ((child = fork()) == 0)
		_exit(0);
	CHECK_EQ(waitpid(child, &st, 0), child);
	(void)snprintf(buf, sizeof(buf), "%ld\n", (long)child);
	write_file(path, buf);
	CHECK(bed_until(&b, is_failing));
	CHECK(bed_until_failing(&b, "is not running"));
	/* a zombie: exited, not reaped by its parent (us) */
	if ((child = fork()) == 0)
		_exit(0);
	(void)snprintf(buf, sizeof(buf), "%ld\n", (long)child);
	write_file(path, buf);
	CHECK(bed_until_failing(&b, "has exited"));
	CHECK_EQ(waitpid(child, &st, 0), child);
	/* missing */
	(void)unlink(path);
	CHECK(bed_until_failing(&b, "missing"));
	bed_close(&b);
	check_no_zombie();
}

/* the pidfile unchanged, its process ID now another process's */
static int
arrange_pid(pid_t want, pid_t *got)
{
	char buf[32];
	int fd, tries;
	pid_t p;

	for (tries = 0; tries < 50; tries++) {
		if ((fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY)) < 0)
			return -1;
		(void)snprintf(buf, sizeof(buf), "%ld", (long)want - 1);
		if (write(fd, buf, strlen(buf)) < 0) {
			(void)close(fd);
			return -1;
		}
		(void)close(fd);
		if ((p = fork()) == 0) {
			(void)pause();
			_exit(0);
		}
		if (p == want) {
			*got = p;
			return 0;
		}
		(void)kill(p, SIGKILL);
		(void)waitpid(p, NULL, 0);
	}
	return -1;
}

static void
test_pid_reused(void)
{
	struct bed b;
	char path[300], buf[32];
	pid_t a, again = -1;
	const char *log;

	mkpath(path, sizeof(path), "reuse.pid");
	if ((a = fork()) == 0) {
		(void)pause();
		_exit(0);
	}
	(void)snprintf(buf, sizeof(buf), "%ld\n", (long)a);
	write_file(path, buf);
	bed_open(&b);
	bed_check(&b, CONF_CHECK_PID, path, 0, 0);
	bed_start(&b);
	CHECK(bed_until(&b, is_passing));
	bed_ticks(&b, 2 * INTERVAL_MS / 5);
	(void)kill(a, SIGKILL);
	(void)waitpid(a, NULL, 0);
	/* another process with a's ID (root: /proc/sys/kernel/ns_last_pid,
	 * as CRIU restores processes) */
	if (arrange_pid(a, &again) != 0) {
		printf("# pid reuse could not be arranged here: the dead "
		    "process part only\n");
		CHECK(bed_until_failing(&b, "is not running"));
	} else {
		CHECK(bed_until_failing(&b, "its ID was reused"));
		(void)kill(again, SIGKILL);
		(void)waitpid(again, NULL, 0);
	}
	bed_close(&b);
	/* a pidfile already older than its process: logged, not failed */
	(void)snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	write_file(path, buf);
	age_file(path, (time_t)3600 * 24 * 365);
	bed_open(&b);
	bed_check(&b, CONF_CHECK_PID, path, 0, 0);
	logcap_begin();
	bed_start(&b);
	(void)bed_until(&b, is_passing);
	bed_ticks(&b, 3 * INTERVAL_MS / 5);
	log = logcap_end();
	CHECK(health_failing(b.h) == NULL);
	CHECK_EQ(logcap_count(log, "the pidfile may be stale"), 1);
	bed_close(&b);
	check_no_zombie();
}

/* check-command: 0 passes, 1 fails with its output, a hang is killed
 * at the timeout while the loop runs on */
static void
test_command(void)
{
	struct bed b;
	char ok[300], bad[300], hang[300];
	unsigned t0;
	uint64_t start;

	mkpath(ok, sizeof(ok), "ok.sh");
	mkpath(bad, sizeof(bad), "bad.sh");
	mkpath(hang, sizeof(hang), "hang.sh");
	script(ok, "exit 0");
	script(bad, "echo 'db down'; exit 1");
	script(hang, "exec sleep 1000");
	bed_open(&b);
	bed_check(&b, CONF_CHECK_COMMAND, ok, 0, 2000);
	bed_start(&b);
	CHECK(bed_until(&b, is_passing));
	bed_ticks(&b, 2 * INTERVAL_MS / 5);
	CHECK(health_failing(b.h) == NULL);
	health_free(b.h);
	b.w.nchecks = 0;
	bed_check(&b, CONF_CHECK_COMMAND, bad, 0, 2000);
	bed_start(&b);
	CHECK(bed_until_failing(&b, "exit status 1: db down"));
	health_free(b.h);
	/* a hang: killed at 400 ms; meanwhile the loop's 5 ms timer runs */
	b.w.nchecks = 0;
	bed_check(&b, CONF_CHECK_COMMAND, hang, 0, 400);
	start = ev_now();
	t0 = b.ticks;
	bed_start(&b);
	CHECK(bed_until_failing(&b, "after its timeout of 400 ms: killed"));
	CHECK(ev_now() - start >= 400);
	CHECK(b.ticks - t0 >= 20);
	/* once killed, the next run starts: still failing, never two */
	CHECK(spawn_count(b.sp) <= 1);
	bed_close(&b);
	check_no_zombie();
}

/* the grace: a failing check stops the resets only after grace_s */
static void
test_grace(void)
{
	struct bed b;
	char path[300];
	uint64_t t0, failed;

	mkpath(path, sizeof(path), "never");
	(void)unlink(path);
	bed_open(&b);
	bed_check(&b, CONF_CHECK_FILE, path, 0, 0);
	b.w.grace_s = 1;
	t0 = ev_now();
	bed_start(&b);
	CHECK(bed_until(&b, is_failing));
	CHECK_EQ(health_ok(b.h), 1);		/* within the grace */
	CHECK(bed_until(&b, is_not_ok));
	failed = ev_now();
	CHECK(failed - t0 >= 1000);
	/* it passes again: at once ok */
	write_file(path, "x");
	CHECK(bed_until(&b, is_passing));
	CHECK_EQ(health_ok(b.h), 1);
	/* and a new failure gets a new grace */
	(void)unlink(path);
	CHECK(bed_until(&b, is_failing));
	CHECK_EQ(health_ok(b.h), 1);
	bed_close(&b);
	/* no result yet: ok for the first run's limit (an interval) */
	bed_open(&b);
	write_file(path, "x");
	bed_check(&b, CONF_CHECK_FILE, path, 0, 0);
	bed_start(&b);
	CHECK_EQ(health_ok(b.h), 1);
	CHECK(health_failing(b.h) == NULL);
	bed_ticks(&b, 4);
	CHECK_EQ(health_ok(b.h), 1);
	bed_close(&b);
	/* no check at all: always ok */
	bed_open(&b);
	bed_start(&b);
	CHECK_EQ(health_ok(b.h), 1);
	CHECK(health_failing(b.h) == NULL);
	bed_close(&b);
}

static int
is_pending(struct bed *b)
{
	return work_pending(b->fs) > 0;
}

/* writers until no check is left blocked in the FIFO's open */
static void
fifo_release(struct bed *b, const char *path, const char *buf)
{
	uint64_t end = ev_now() + BOUND_MS;
	int fd;

	while (work_pending(b->fs) > 0 && ev_now() < end) {
		if ((fd = open(path, O_RDWR | O_NONBLOCK)) < 0)
			break;
		(void)write(fd, buf, strlen(buf));
		(void)close(fd);
		(void)ev_run_once(b->ev, 20);
	}
}

/*
 * A pidfile whose open() blocks (a FIFO with no writer: what a hung NFS
 * mount does): its worker waits, the loop does not: timers fire, the
 * check counts as failing after an interval, and passes once the open
 * returns.  Freed while blocked, the job ends on its own.
 */
static void
test_blocked_path(void)
{
	struct bed b;
	char path[300], buf[32];
	int fd;

	mkpath(path, sizeof(path), "fifo.pid");
	(void)unlink(path);
	CHECK_EQ(mkfifo(path, 0600), 0);
	bed_open(&b);
	bed_check(&b, CONF_CHECK_PID, path, 0, 0);
	bed_start(&b);
	bed_ticks(&b, 40);
	CHECK(b.ticks >= 40);
	CHECK(bed_until_failing(&b, "no answer from the file system"));
	CHECK_EQ(health_ok(b.h), 0);
	CHECK_EQ(work_pending(b.fs), 1);	/* never a second run */
	/* a writer comes: the open returns, the pid is read */
	(void)snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	fd = open(path, O_RDWR);
	CHECK(write(fd, buf, strlen(buf)) > 0);
	(void)close(fd);		/* its end of file */
	CHECK(bed_until(&b, is_passing));
	CHECK_EQ(health_ok(b.h), 1);
	health_free(b.h);
	b.h = NULL;
	fifo_release(&b, path, buf);
	/* blocked again, and the health freed meanwhile: the job, detached,
	 * ends on its own once the open returns */
	bed_start(&b);
	CHECK(bed_until(&b, is_pending));
	bed_ticks(&b, 10);
	CHECK_EQ(work_pending(b.fs), 1);
	health_free(b.h);
	b.h = NULL;
	fifo_release(&b, path, buf);
	CHECK_EQ(work_pending(b.fs), 0);
	bed_close(&b);
}

/* freed while a command runs: killed, reaped, nothing reported */
static void
test_free_while_running(void)
{
	struct bed b;
	char hang[300];

	mkpath(hang, sizeof(hang), "hang2.sh");
	script(hang, "exec sleep 1000");
	bed_open(&b);
	bed_check(&b, CONF_CHECK_COMMAND, hang, 0, 5000);
	bed_start(&b);
	{
		uint64_t end = ev_now() + BOUND_MS;

		while (spawn_count(b.sp) == 0 && ev_now() < end)
			(void)ev_run_once(b.ev, 20);
	}
	CHECK_EQ(spawn_count(b.sp), 1);
	bed_close(&b);		/* waits for the reaping, bounded */
	check_no_zombie();
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	(void)snprintf(tdir, sizeof(tdir), "%s/test_health.XXXXXX",
	    t ? t : "/tmp");
	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	log_init("bmcwatchd", 1, 0);
	RUN(test_parsers);
	RUN(test_file);
	RUN(test_file_monotonic);
	RUN(test_pid);
	RUN(test_pid_reused);
	RUN(test_command);
	RUN(test_grace);
	RUN(test_blocked_path);
	RUN(test_free_while_running);
	if (harness_failed == 0) {
		harness_rmtree(tdir);
	}
	return harness_end();
}

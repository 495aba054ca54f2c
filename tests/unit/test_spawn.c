/*
 * Child processes (agent/daemon/spawn.c): exit codes, a path that cannot
 * be executed, bounded capture, the timeout killing the whole process
 * group, what the child inherits (signals, fds, stdin), kept fds,
 * forgetting, watching a foreign child, and no zombie left behind.
 * Every wait is for a condition, bounded by BOUND_MS.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "harness.h"
#include "spawn.h"

#define BOUND_MS	20000

static char tdir[256];

struct got {
	int		 n;		/* reports */
	struct spawn_exit ex;
	char		 out[SPAWN_CAPTURE_MAX + 1];
};

static void
on_exit_cb(void *arg, const struct spawn_exit *ex)
{
	struct got *g = arg;

	g->n++;
	g->ex = *ex;
	memcpy(g->out, ex->out, ex->outlen + 1);
	g->ex.out = g->out;
}

/* a script in the temp dir; its path in path */
static void
script(const char *name, const char *body, char *path, size_t len)
{
	FILE *f;

	(void)snprintf(path, len, "%s/%s", tdir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fprintf(f, "#!/bin/sh\n%s\n", body);
	(void)fclose(f);
	(void)chmod(path, 0755);
}

/* run the loop until g has a report or BOUND_MS pass */
static void
wait_report(struct ev *ev, struct got *g)
{
	uint64_t end = ev_now() + BOUND_MS;

	while (g->n == 0 && ev_now() < end)
		(void)ev_run_once(ev, 100);
}

/* start path, wait for its exit */
static pid_t
run1(struct ev *ev, struct spawn *sp, const char *path,
    const struct spawn_opts *o, struct got *g)
{
	char *argv[2];
	char err[256];
	pid_t pid;

	memset(g, 0, sizeof(*g));
	argv[0] = (char *)(uintptr_t)path;
	argv[1] = NULL;
	pid = spawn_start(sp, argv, o, on_exit_cb, g, err, sizeof(err));
	CHECK(pid > 0);
	if (pid <= 0) {
		printf("# %s\n", err);
		return pid;
	}
	CHECK_EQ(g->n, 0);	/* never from inside spawn_start */
	wait_report(ev, g);
	CHECK_EQ(g->n, 1);
	CHECK_EQ(g->ex.pid, pid);
	return pid;
}

/* no child of ours left, reaped or not */
static void
check_no_zombie(void)
{
	int st;

	errno = 0;
	CHECK_EQ(waitpid(-1, &st, WNOHANG), -1);
	CHECK_EQ(errno, ECHILD);
}

static void
test_exit_codes(void)
{
	struct ev *ev = ev_new();
	struct spawn *sp = spawn_new(ev);
	struct got g;
	char p0[300], p1[300];

	script("ok", "exit 0", p0, sizeof(p0));
	script("one", "exit 1", p1, sizeof(p1));
	(void)run1(ev, sp, p0, NULL, &g);
	CHECK(WIFEXITED(g.ex.status) && WEXITSTATUS(g.ex.status) == 0);
	CHECK_EQ(g.ex.exec_errno, 0);
	CHECK_EQ(g.ex.timed_out, 0);
	(void)run1(ev, sp, p1, NULL, &g);
	CHECK(WIFEXITED(g.ex.status) && WEXITSTATUS(g.ex.status) == 1);
	CHECK_EQ(g.ex.exec_errno, 0);
	CHECK_EQ(spawn_count(sp), 0);
	spawn_free(sp);
	ev_free(ev);
	check_no_zombie();
}

static void
test_exec_failure(void)
{
	struct ev *ev = ev_new();
	struct spawn *sp = spawn_new(ev);
	struct got g;
	char path[300], err[256];
	char *argv[] = { (char *)(uintptr_t)"relative", NULL };

	(void)snprintf(path, sizeof(path), "%s/missing", tdir);
	(void)run1(ev, sp, path, NULL, &g);
	CHECK_EQ(g.ex.exec_errno, ENOENT);
	CHECK(WIFEXITED(g.ex.status) && WEXITSTATUS(g.ex.status) == 127);
	/* not executable */
	script("noexec", "exit 0", path, sizeof(path));
	(void)chmod(path, 0644);
	(void)run1(ev, sp, path, NULL, &g);
	CHECK_EQ(g.ex.exec_errno, EACCES);
	/* no PATH search, no shell: a relative name is refused */
	CHECK_EQ(spawn_start(sp, argv, NULL, on_exit_cb, &g, err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "relative") != NULL);
	spawn_free(sp);
	ev_free(ev);
	check_no_zombie();
}

static void
test_capture_bounded(void)
{
	struct ev *ev = ev_new();
	struct spawn *sp = spawn_new(ev);
	struct spawn_opts o;
	struct got g;
	char path[300];
	size_t i;

	memset(&o, 0, sizeof(o));
	o.capture = 1;
	/* 4000 bytes on stdout, then a line on stderr */
	script("talk", "i=0; while [ $i -lt 100 ]; do "
	    "echo 0123456789012345678901234567890123456789; i=$((i+1)); "
	    "done; echo oops >&2; exit 3", path, sizeof(path));
	(void)run1(ev, sp, path, &o, &g);
	CHECK(WIFEXITED(g.ex.status) && WEXITSTATUS(g.ex.status) == 3);
	CHECK_EQ(g.ex.outlen, SPAWN_CAPTURE_MAX);
	CHECK_EQ(strlen(g.out), SPAWN_CAPTURE_MAX);
	CHECK(strncmp(g.out, "0123456789", 10) == 0);
	for (i = 0; i < g.ex.outlen; i++)
		if (g.out[i] != '\n' && (g.out[i] < '0' || g.out[i] > '9'))
			break;
	CHECK_EQ(i, g.ex.outlen);
	/* stderr goes to the same pipe */
	script("err", "echo 'not ready' >&2; exit 1", path, sizeof(path));
	(void)run1(ev, sp, path, &o, &g);
	CHECK_STR(g.out, "not ready\n");
	/* without capture: nothing */
	o.capture = 0;
	(void)run1(ev, sp, path, &o, &g);
	CHECK_STR(g.out, "");
	spawn_free(sp);
	ev_free(ev);
	check_no_zombie();
}

/* the timeout kills the child and what it started (its process group);
 * the loop's timers go on meanwhile */
static int64_t
tick(void *arg)
{
	(*(int *)arg)++;
	return 10;
}

static void
test_timeout_kills_group(void)
{
	struct ev *ev = ev_new();
	struct spawn *sp = spawn_new(ev);
	struct spawn_opts o;
	struct ev_timer *t;
	struct got g;
	char path[300], body[1200], pidf[300], buf[32];
	uint64_t end;
	pid_t gpid = -1, p;
	int ticks = 0, st = 0, fd;
	ssize_t n;

	/* grandchildren are reparented to us, to see them die */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	(void)snprintf(pidf, sizeof(pidf), "%s/grandchild.pid", tdir);
	(void)snprintf(body, sizeof(body), "sleep 1000 & echo $! >%s.tmp; "
	    "mv %s.tmp %s; exec sleep 1000", pidf, pidf, pidf);
	script("hang", body, path, sizeof(path));
	memset(&o, 0, sizeof(o));
	o.timeout_ms = 1000;
	t = ev_timer_add(ev, 10, tick, &ticks);
	(void)run1(ev, sp, path, &o, &g);
	CHECK_EQ(g.ex.timed_out, 1);
	CHECK(WIFSIGNALED(g.ex.status) && WTERMSIG(g.ex.status) == SIGKILL);
	CHECK(g.ex.ms >= 1000);
	/* the timer kept firing while the child ran */
	CHECK(ticks >= 5);
	ev_timer_del(ev, t);
	/* the grandchild, killed with its group */
	if ((fd = open(pidf, O_RDONLY)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		(void)close(fd);
		if (n > 0) {
			buf[n] = '\0';
			gpid = (pid_t)strtol(buf, NULL, 10);
		}
	}
	CHECK(gpid > 0);
	if (gpid > 0) {
		end = ev_now() + BOUND_MS;
		while ((p = waitpid(gpid, &st, WNOHANG)) == 0 &&
		    ev_now() < end)
			(void)ev_run_once(ev, 10);
		CHECK_EQ(p, gpid);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	(void)prctl(PR_SET_CHILD_SUBREAPER, 0);
	spawn_free(sp);
	ev_free(ev);
	check_no_zombie();
}

static void
nop_signal(int signo, void *arg)
{
	(void)signo;
	(void)arg;
}

/* what the child starts with: no blocked signal, stdin /dev/null, no
 * fd of ours unless kept */
static void
test_child_environment(void)
{
	struct ev *ev = ev_new();
	struct spawn *sp = spawn_new(ev);
	struct spawn_opts o;
	struct got g;
	char path[300], body[400], buf[16];
	int leak, kp[2];
	ssize_t n;

	/* the loop's signals are blocked in the parent */
	CHECK_EQ(ev_signal(ev, SIGTERM, nop_signal, NULL), 0);
	memset(&o, 0, sizeof(o));
	o.capture = 1;
	/* exec: the shell's own status would race with its waiting for
	 * grep (dash blocks signals while it waits) */
	script("sig", "exec grep -E '^Sig(Blk|Ign)' /proc/self/status", path,
	    sizeof(path));
	(void)run1(ev, sp, path, &o, &g);
	/* signals 32 and 33 are glibc's own (SIGCANCEL, SIGSETXID):
	 * sigaction refuses them, so an ignore inherited from our parent
	 * (GNU make's children have it) stays, and glibc sets its own
	 * handlers in the exec'ed program anyway */
	CHECK(strstr(g.out, "SigBlk:\t0000000000000000\n") != NULL);
	CHECK(strstr(g.out, "SigIgn:\t0000000000000000\n") != NULL ||
	    strstr(g.out, "SigIgn:\t0000000180000000\n") != NULL ||
	    strstr(g.out, "SigIgn:\t0000000080000000\n") != NULL ||
	    strstr(g.out, "SigIgn:\t0000000100000000\n") != NULL);
	if (strstr(g.out, "SigBlk:\t0000000000000000\n") == NULL)
		printf("# the child's /proc status (exit %d, %zu bytes): "
		    "%s\n", g.ex.status, g.ex.outlen, g.out);
	script("stdin", "readlink /proc/$$/fd/0", path, sizeof(path));
	(void)run1(ev, sp, path, &o, &g);
	CHECK_STR(g.out, "/dev/null\n");
	/* an fd without close-on-exec is not inherited */
	leak = open("/dev/null", O_RDONLY);
	CHECK(dup2(leak, 7) == 7);
	(void)snprintf(body, sizeof(body), "[ -e /proc/$$/fd/7 ] && exit 1; "
	    "echo 'x' >&%d", 8);
	/* ... unless kept (a pipe at 8) */
	CHECK_EQ(pipe(kp), 0);
	CHECK(dup2(kp[1], 8) == 8);
	(void)close(kp[1]);
	script("fds", body, path, sizeof(path));
	o.keep_fds[0] = 8;
	o.nkeep = 1;
	(void)run1(ev, sp, path, &o, &g);
	CHECK(WIFEXITED(g.ex.status) && WEXITSTATUS(g.ex.status) == 0);
	if (g.ex.status != 0)
		printf("# fds: status %d: %s\n", g.ex.status, g.out);
	(void)close(8);
	n = read(kp[0], buf, sizeof(buf));
	CHECK_EQ(n, 2);
	(void)close(kp[0]);
	(void)close(7);
	(void)close(leak);
	/* 0-2 cannot be kept */
	o.keep_fds[0] = 1;
	{
		char *argv[] = { path, NULL };
		char err[256];

		CHECK_EQ(spawn_start(sp, argv, &o, on_exit_cb, &g, err,
		    sizeof(err)), -1);
	}
	spawn_free(sp);
	ev_free(ev);
	check_no_zombie();
}

/* a forgotten child is reaped silently; spawn_kill reaches the group;
 * a child forked elsewhere is reported once watched */
static void
test_forget_kill_watch(void)
{
	struct ev *ev = ev_new();
	struct spawn *sp = spawn_new(ev);
	struct got g, g2;
	char path[300], err[256];
	char *argv[] = { path, NULL };
	uint64_t end;
	pid_t pid;

	script("long", "exec sleep 1000", path, sizeof(path));
	memset(&g, 0, sizeof(g));
	pid = spawn_start(sp, argv, NULL, on_exit_cb, &g, err, sizeof(err));
	CHECK(pid > 0);
	CHECK_EQ(spawn_count(sp), 1);
	spawn_forget(sp, pid, 1);
	end = ev_now() + BOUND_MS;
	while (spawn_count(sp) > 0 && ev_now() < end)
		(void)ev_run_once(ev, 100);
	CHECK_EQ(spawn_count(sp), 0);
	CHECK_EQ(g.n, 0);
	/* spawn_kill with SIGTERM */
	pid = spawn_start(sp, argv, NULL, on_exit_cb, &g, err, sizeof(err));
	CHECK_EQ(spawn_kill(sp, pid, SIGTERM), 0);
	wait_report(ev, &g);
	CHECK_EQ(g.n, 1);
	CHECK(WIFSIGNALED(g.ex.status) && WTERMSIG(g.ex.status) == SIGTERM);
	CHECK_EQ(spawn_kill(sp, pid, SIGTERM), -1);	/* reaped: unknown */
	CHECK_EQ(errno, ESRCH);
	/* a child forked by someone else, already gone when watched */
	if ((pid = fork()) == 0)
		_exit(5);
	memset(&g2, 0, sizeof(g2));
	CHECK_EQ(spawn_watch(sp, pid, on_exit_cb, &g2), 0);
	CHECK_EQ(spawn_watch(sp, pid, on_exit_cb, &g2), -1);
	wait_report(ev, &g2);
	CHECK_EQ(g2.n, 1);
	CHECK(WIFEXITED(g2.ex.status) && WEXITSTATUS(g2.ex.status) == 5);
	/* spawn_free kills what is left, without waiting for owners */
	memset(&g, 0, sizeof(g));
	pid = spawn_start(sp, argv, NULL, on_exit_cb, &g, err, sizeof(err));
	CHECK(pid > 0);
	spawn_free(sp);
	CHECK_EQ(g.n, 0);
	ev_free(ev);
	/* killed by spawn_free; reap it here (spawn is gone) */
	{
		int st;
		pid_t p;

		end = ev_now() + BOUND_MS;
		while ((p = waitpid(pid, &st, WNOHANG)) == 0 &&
		    ev_now() < end)
			(void)poll(NULL, 0, 10);
		CHECK_EQ(p, pid);
	}
	check_no_zombie();
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	(void)snprintf(tdir, sizeof(tdir), "%s/test_spawn.XXXXXX",
	    t ? t : "/tmp");
	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_exit_codes);
	RUN(test_exec_failure);
	RUN(test_capture_bounded);
	RUN(test_timeout_kills_group);
	RUN(test_child_environment);
	RUN(test_forget_kill_watch);
	if (harness_failed == 0) {
		harness_rmtree(tdir);
	}
	return harness_end();
}

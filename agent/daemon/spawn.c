/*
 * Child processes: fork + exec, reaped on SIGCHLD through the loop (see
 * spawn.h).
 */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "xmem.h"

/* the highest fd closed one by one when close_range(2) is missing */
#define SPAWN_FD_SCAN_MAX	65536

struct spawn_child {
	struct spawn_child	*next;
	struct spawn		*sp;
	pid_t			 pid;
	int			 group;		/* leads its process group */
	spawn_exit_fn		*fn;		/* NULL: forgotten */
	void			*arg;
	int			 errfd;		/* exec errno pipe, or -1 */
	int			 outfd;		/* capture pipe, or -1 */
	struct ev_fd		*outw;
	struct ev_timer		*timer;		/* opts.timeout_ms */
	uint64_t		 t0;
	int			 reaped;
	int			 status;
	int			 timed_out;
	size_t			 outlen;
	char			 out[SPAWN_CAPTURE_MAX + 1];
};

struct spawn {
	struct ev		*ev;
	struct spawn_child	*kids;
	size_t			 n;
};

static void
spawn_on_sigchld(int signo, void *arg)
{
	struct spawn *sp = arg;
	struct spawn_child *k, **kp;
	struct spawn_exit ex;
	ssize_t r;
	int st, e;
	pid_t p;

	(void)signo;
	/* SIGCHLDs coalesce: ask every child not reaped yet */
	for (k = sp->kids; k != NULL; k = k->next) {
		if (k->reaped)
			continue;
		do
			p = waitpid(k->pid, &st, WNOHANG);
		while (p < 0 && errno == EINTR);
		if (p == k->pid) {
			k->reaped = 1;
			k->status = st;
		} else if (p < 0 && errno == ECHILD) {
			/* reaped by someone else: its status is lost */
			k->reaped = 1;
			k->status = -1;
		}
	}
	/*
	 * Report one at a time, from the head again after each: an owner
	 * may start, kill or forget children (its own, being freed) from
	 * its callback; a forgotten child found reaped here is dropped.
	 */
	for (;;) {
		for (kp = &sp->kids; *kp != NULL && !(*kp)->reaped;
		    kp = &(*kp)->next)
			;
		if ((k = *kp) == NULL)
			return;
		*kp = k->next;
		sp->n--;
		memset(&ex, 0, sizeof(ex));
		ex.pid = k->pid;
		ex.status = k->status;
		ex.timed_out = k->timed_out;
		ex.ms = (unsigned)(ev_now() - k->t0);
		if (k->errfd >= 0) {
			/* the child is gone: its end is closed, no wait */
			r = read(k->errfd, &e, sizeof(e));
			if (r == (ssize_t)sizeof(e))
				ex.exec_errno = e;
			(void)close(k->errfd);
		}
		if (k->outfd >= 0) {
			/* what it wrote last and was not read yet */
			char junk[256];

			for (;;) {
				if (k->outlen < SPAWN_CAPTURE_MAX)
					r = read(k->outfd, k->out + k->outlen,
					    SPAWN_CAPTURE_MAX - k->outlen);
				else
					r = read(k->outfd, junk, sizeof(junk));
				if (r <= 0)
					break;
				if (k->outlen < SPAWN_CAPTURE_MAX)
					k->outlen += (size_t)r;
			}
			ev_fd_del(sp->ev, k->outw);
			(void)close(k->outfd);
		}
		k->out[k->outlen] = '\0';
		ex.out = k->out;
		ex.outlen = k->outlen;
		ev_timer_del(sp->ev, k->timer);
		if (k->fn != NULL)
			k->fn(k->arg, &ex);
		free(k);
	}
}

/* the capture pipe: keep the first bytes, drain the rest */
static void
spawn_on_output(int fd, unsigned events, void *arg)
{
	struct spawn_child *k = arg;
	char junk[256];
	ssize_t r;

	(void)events;
	if (k->outlen < SPAWN_CAPTURE_MAX)
		r = read(fd, k->out + k->outlen, SPAWN_CAPTURE_MAX - k->outlen);
	else
		r = read(fd, junk, sizeof(junk));
	if (r > 0) {
		if (k->outlen < SPAWN_CAPTURE_MAX)
			k->outlen += (size_t)r;
		return;
	}
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* end of file (every writer closed it), or an error: stop
	 * watching; the fd is closed when the child is reaped */
	ev_fd_del(k->sp->ev, k->outw);
	k->outw = NULL;
}

static int64_t
spawn_on_timeout(void *arg)
{
	struct spawn_child *k = arg;

	if (!k->reaped) {
		k->timed_out = 1;
		(void)kill(k->group ? -k->pid : k->pid, SIGKILL);
	}
	return EV_STOP;
}

struct spawn *
spawn_new(struct ev *ev)
{
	struct spawn *sp = xcalloc(1, sizeof(*sp));

	sp->ev = ev;
	if (ev_signal(ev, SIGCHLD, spawn_on_sigchld, sp) != 0) {
		free(sp);
		return NULL;
	}
	return sp;
}

static void
spawn_child_drop(struct spawn *sp, struct spawn_child *k)
{
	if (k->errfd >= 0)
		(void)close(k->errfd);
	if (k->outfd >= 0) {
		ev_fd_del(sp->ev, k->outw);
		(void)close(k->outfd);
	}
	ev_timer_del(sp->ev, k->timer);
	free(k);
}

void
spawn_free(struct spawn *sp)
{
	struct spawn_child *k;
	int st;

	if (sp == NULL)
		return;
	(void)ev_signal(sp->ev, SIGCHLD, NULL, NULL);
	while ((k = sp->kids) != NULL) {
		sp->kids = k->next;
		if (!k->reaped) {
			(void)kill(k->group ? -k->pid : k->pid, SIGKILL);
			(void)waitpid(k->pid, &st, WNOHANG);
		}
		spawn_child_drop(sp, k);
	}
	free(sp);
}

/* fd moved to 3 or above, close-on-exec (0-2 are the child's stdio) */
static int
spawn_high(int fd)
{
	int h;

	if (fd < 0 || fd > 2)
		return fd;
	h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	(void)close(fd);
	return h;
}

/*
 * In the child: close every fd from 3 up but the ones in keep (sorted,
 * each >= 3).  Async-signal-safe: close_range(2), else close(2) up to
 * max.
 */
static void
spawn_close_from3(const int *keep, size_t nkeep, int max)
{
	unsigned lo = 3;
	size_t i;
	int fd;

#ifdef SYS_close_range
	for (i = 0; i <= nkeep; i++) {
		unsigned hi = i < nkeep ? (unsigned)keep[i] : ~0u;

		if (hi > lo && syscall(SYS_close_range, lo, hi - 1, 0) != 0)
			goto slow;
		if (i < nkeep)
			lo = (unsigned)keep[i] + 1;
	}
	return;
slow:
#endif
	for (fd = 3; fd <= max; fd++) {
		for (i = 0; i < nkeep && keep[i] != fd; i++)
			;
		if (i == nkeep)
			(void)close(fd);
	}
}

pid_t
spawn_start(struct spawn *sp, char *const argv[],
    const struct spawn_opts *opts, spawn_exit_fn *fn, void *arg, char *err,
    size_t errlen)
{
	static const struct spawn_opts none;
	struct spawn_child *k;
	struct rlimit rl;
	char *const *envp;
	int ep[2] = { -1, -1 }, op[2] = { -1, -1 }, nul = -1;
	int keep[SPAWN_KEEP_MAX + 1], nk = 0, max, e, t, i, j;
	pid_t pid;

	if (opts == NULL)
		opts = &none;
	if (argv == NULL || argv[0] == NULL || argv[0][0] != '/' ||
	    opts->nkeep > SPAWN_KEEP_MAX) {
		(void)snprintf(err, errlen, "spawn: %s: not an absolute path",
		    argv != NULL && argv[0] != NULL ? argv[0] : "(none)");
		return -1;
	}
	for (i = 0; i < (int)opts->nkeep; i++)
		if (opts->keep_fds[i] < 3) {
			(void)snprintf(err, errlen, "spawn: %s: fd %d cannot "
			    "be passed on (0-2 are the child's stdio)",
			    argv[0], opts->keep_fds[i]);
			return -1;
		}
	envp = opts->envp != NULL ? opts->envp : environ;
	if (pipe2(ep, O_CLOEXEC) != 0 ||
	    (opts->capture && pipe2(op, O_CLOEXEC) != 0) ||
	    (nul = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		e = errno;
		(void)snprintf(err, errlen, "spawn: %s: %s", argv[0],
		    strerror(e));
		goto fail;
	}
	ep[0] = spawn_high(ep[0]);
	ep[1] = spawn_high(ep[1]);
	op[0] = spawn_high(op[0]);
	op[1] = spawn_high(op[1]);
	nul = spawn_high(nul);
	if (ep[0] < 0 || ep[1] < 0 || nul < 0 ||
	    (opts->capture && (op[0] < 0 || op[1] < 0))) {
		e = errno;
		(void)snprintf(err, errlen, "spawn: %s: %s", argv[0],
		    strerror(e));
		goto fail;
	}
	/* what the child keeps, sorted: the exec errno pipe and keep_fds */
	keep[nk++] = ep[1];
	for (i = 0; i < (int)opts->nkeep; i++)
		keep[nk++] = opts->keep_fds[i];
	for (i = 1; i < nk; i++)
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	max = SPAWN_FD_SCAN_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)max)
		max = (int)rl.rlim_cur;
	if ((pid = fork()) < 0) {
		e = errno;
		(void)snprintf(err, errlen, "spawn: %s: fork: %s", argv[0],
		    strerror(e));
		goto fail;
	}
	if (pid == 0) {
		/* the child: async-signal-safe calls only, up to exec */
		ev_child_reset();
		(void)setpgid(0, 0);
		if (dup2(nul, 0) < 0 ||
		    dup2(opts->capture ? op[1] : nul, 1) < 0 ||
		    dup2(opts->capture ? op[1] : nul, 2) < 0)
			_exit(127);
		for (i = 0; i < (int)opts->nkeep; i++)
			(void)fcntl(opts->keep_fds[i], F_SETFD, 0);
		spawn_close_from3(keep, (size_t)nk, max);
		(void)execve(argv[0], argv, envp);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	/* also here: whichever runs first, the group exists before any
	 * kill of it (EACCES once the child has exec'ed: then it did) */
	(void)setpgid(pid, pid);
	(void)close(ep[1]);
	(void)close(nul);
	k = xcalloc(1, sizeof(*k));
	k->sp = sp;
	k->pid = pid;
	k->group = 1;
	k->fn = fn;
	k->arg = arg;
	k->errfd = ep[0];
	(void)fcntl(ep[0], F_SETFL, O_NONBLOCK);
	k->outfd = -1;
	if (opts->capture) {
		(void)close(op[1]);
		k->outfd = op[0];
		(void)fcntl(op[0], F_SETFL, O_NONBLOCK);
		k->outw = ev_fd_add(sp->ev, op[0], EV_READ, spawn_on_output,
		    k);
	}
	k->t0 = ev_now();
	if (opts->timeout_ms > 0)
		k->timer = ev_timer_add(sp->ev, opts->timeout_ms,
		    spawn_on_timeout, k);
	k->next = sp->kids;
	sp->kids = k;
	sp->n++;
	return pid;
fail:
	for (i = 0; i < 2; i++) {
		if (ep[i] >= 0)
			(void)close(ep[i]);
		if (op[i] >= 0)
			(void)close(op[i]);
	}
	if (nul >= 0)
		(void)close(nul);
	return -1;
}

static struct spawn_child *
spawn_find(const struct spawn *sp, pid_t pid)
{
	struct spawn_child *k;

	for (k = sp->kids; k != NULL; k = k->next)
		if (k->pid == pid)
			return k;
	return NULL;
}

int
spawn_watch(struct spawn *sp, pid_t pid, spawn_exit_fn *fn, void *arg)
{
	struct spawn_child *k;

	if (pid <= 0 || spawn_find(sp, pid) != NULL)
		return -1;
	k = xcalloc(1, sizeof(*k));
	k->sp = sp;
	k->pid = pid;
	k->fn = fn;
	k->arg = arg;
	k->errfd = -1;
	k->outfd = -1;
	k->t0 = ev_now();
	k->next = sp->kids;
	sp->kids = k;
	sp->n++;
	/* it may have ended before we knew it: ask on the next turn (its
	 * SIGCHLD may have been read before) */
	(void)kill(getpid(), SIGCHLD);
	return 0;
}

int
spawn_kill(struct spawn *sp, pid_t pid, int signo)
{
	struct spawn_child *k = spawn_find(sp, pid);

	if (k == NULL || k->reaped) {
		errno = ESRCH;
		return -1;
	}
	return kill(k->group ? -k->pid : k->pid, signo);
}

void
spawn_forget(struct spawn *sp, pid_t pid, int kill_it)
{
	struct spawn_child *k = spawn_find(sp, pid);

	if (k == NULL)
		return;
	if (kill_it && !k->reaped)
		(void)kill(k->group ? -k->pid : k->pid, SIGKILL);
	k->fn = NULL;
	k->arg = NULL;
}

size_t
spawn_count(const struct spawn *sp)
{
	return sp->n;
}

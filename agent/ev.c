/*
 * poll(2) event loop with monotonic timers and a signalfd (see ev.h).
 * Small tables, linear scans: fds and timers number in the hundreds at
 * most.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"
#include "xmem.h"

struct ev_fd {
	struct ev_fd	*next;
	int		 fd;
	int		 dead;
	unsigned	 events;
	ev_fd_fn	*fn;
	void		*arg;
};

struct ev_timer {
	struct ev_timer	*next;
	uint64_t	 when;		/* 0: not armed */
	int		 dead;
	ev_timer_fn	*fn;
	void		*arg;
};

struct ev {
	struct ev_fd	*fds;
	struct ev_timer	*timers;
	int		 nfds;
	struct pollfd	*pfd;
	struct ev_fd	**pmap;
	int		 pcap;
	/* signals */
	int		 sigfd;
	struct ev_fd	*sigw;
	sigset_t	 sigs;
	ev_signal_fn	*sigfn[NSIG];
	void		*sigarg[NSIG];
};

uint64_t
ev_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct ev *
ev_new(void)
{
	struct ev *ev = xcalloc(1, sizeof(struct ev));

	ev->sigfd = -1;
	(void)sigemptyset(&ev->sigs);
	return ev;
}

static void
ev_reap(struct ev *ev)
{
	struct ev_fd **fp = &ev->fds, *f;
	struct ev_timer **tp = &ev->timers, *t;

	while ((f = *fp) != NULL) {
		if (f->dead) {
			*fp = f->next;
			free(f);
			ev->nfds--;
		} else
			fp = &f->next;
	}
	while ((t = *tp) != NULL) {
		if (t->dead) {
			*tp = t->next;
			free(t);
		} else
			tp = &t->next;
	}
}

void
ev_free(struct ev *ev)
{
	struct ev_fd *f;
	struct ev_timer *t;

	if (ev == NULL)
		return;
	for (f = ev->fds; f != NULL; f = f->next)
		f->dead = 1;
	for (t = ev->timers; t != NULL; t = t->next)
		t->dead = 1;
	ev_reap(ev);
	if (ev->sigfd >= 0) {
		(void)close(ev->sigfd);
		/* the signals stay blocked: a default action arriving now
		 * could kill a process that is shutting down cleanly */
	}
	free(ev->pfd);
	free(ev->pmap);
	free(ev);
}

struct ev_fd *
ev_fd_add(struct ev *ev, int fd, unsigned events, ev_fd_fn *fn, void *arg)
{
	struct ev_fd *f = xcalloc(1, sizeof(*f));

	f->fd = fd;
	f->events = events & (EV_READ | EV_WRITE);
	f->fn = fn;
	f->arg = arg;
	f->next = ev->fds;
	ev->fds = f;
	ev->nfds++;
	return f;
}

void
ev_fd_events(struct ev *ev, struct ev_fd *f, unsigned events)
{
	(void)ev;
	if (f != NULL)
		f->events = events & (EV_READ | EV_WRITE);
}

void
ev_fd_del(struct ev *ev, struct ev_fd *f)
{
	(void)ev;
	if (f != NULL)
		f->dead = 1;
}

struct ev_timer *
ev_timer_add(struct ev *ev, int64_t delay, ev_timer_fn *fn, void *arg)
{
	struct ev_timer *t = xcalloc(1, sizeof(*t));

	t->fn = fn;
	t->arg = arg;
	t->next = ev->timers;
	ev->timers = t;
	ev_timer_set(ev, t, delay);
	return t;
}

void
ev_timer_set(struct ev *ev, struct ev_timer *t, int64_t delay)
{
	(void)ev;
	if (delay < 0)
		t->when = 0;
	else
		t->when = ev_now() + (uint64_t)delay;
	if (t->when == 0 && delay >= 0)
		t->when = 1;
}

void
ev_timer_del(struct ev *ev, struct ev_timer *t)
{
	(void)ev;
	if (t != NULL) {
		t->dead = 1;
		t->when = 0;
	}
}

int
ev_run_once(struct ev *ev, int64_t max_ms)
{
	struct ev_fd *f;
	struct ev_timer *t;
	uint64_t now, next = 0;
	int64_t wait;
	int n, i;

	ev_reap(ev);
	for (t = ev->timers; t != NULL; t = t->next)
		if (t->when != 0 && (next == 0 || t->when < next))
			next = t->when;
	now = ev_now();
	wait = max_ms;
	if (next != 0) {
		int64_t d = next > now ? (int64_t)(next - now) : 0;

		if (wait < 0 || d < wait)
			wait = d;
	}
	if (ev->nfds > ev->pcap) {
		ev->pcap = ev->nfds * 2;
		ev->pfd = xreallocarray(ev->pfd, (size_t)ev->pcap,
		    sizeof(*ev->pfd));
		ev->pmap = xreallocarray(ev->pmap, (size_t)ev->pcap,
		    sizeof(*ev->pmap)); /* NOLINT(bugprone-sizeof-expression) */
	}
	n = 0;
	for (f = ev->fds; f != NULL; f = f->next) {
		ev->pfd[n].fd = f->fd;
		ev->pfd[n].events = (short)(((f->events & EV_READ) ? POLLIN : 0) |
		    ((f->events & EV_WRITE) ? POLLOUT : 0));
		ev->pfd[n].revents = 0;
		ev->pmap[n++] = f;
	}
	/* no timer and no bound (wait < 0): block on the fds, waking at
	 * least once a minute; with no fd either there is nothing to wait
	 * for */
	if (wait < 0)
		wait = n == 0 ? 0 : 60000;
	else if (wait > 60000)
		wait = 60000;
	if (poll(ev->pfd, (nfds_t)n, (int)wait) < 0) {
		if (errno == EINTR)
			return 0;
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct ev_fd *g = ev->pmap[i];
		short re = ev->pfd[i].revents;
		unsigned got = 0;

		if (re == 0 || g->dead)
			continue;
		if (re & (POLLIN | POLLPRI))
			got |= EV_READ;
		if (re & POLLOUT)
			got |= EV_WRITE;
		/* errors and hangups: let the owner's read or write see
		 * them; an fd polled for nothing gets its error later */
		if (re & (POLLERR | POLLHUP | POLLNVAL))
			got |= g->events;
		got &= g->events;
		if (got != 0)
			g->fn(g->fd, got, g->arg);
	}
	now = ev_now();
	for (t = ev->timers; t != NULL; t = t->next) {
		int64_t d;

		if (t->dead || t->when == 0 || t->when > now)
			continue;
		t->when = 0;
		d = t->fn(t->arg);
		if (!t->dead && d >= 0 && t->when == 0)
			ev_timer_set(ev, t, d);
	}
	return 0;
}

/* ---- signals ---- */

static void
ev_on_signalfd(int fd, unsigned events, void *arg)
{
	struct ev *ev = arg;
	struct signalfd_siginfo si;
	ssize_t r;
	int k;

	(void)events;
	/* a bounded drain: signals that keep coming wait for the next turn
	 * instead of starving the loop */
	for (k = 0; k < 64; k++) {
		r = read(fd, &si, sizeof(si));
		if (r != (ssize_t)sizeof(si))
			return;
		if (si.ssi_signo > 0 && si.ssi_signo < NSIG &&
		    ev->sigfn[si.ssi_signo] != NULL)
			ev->sigfn[si.ssi_signo]((int)si.ssi_signo,
			    ev->sigarg[si.ssi_signo]);
	}
}

int
ev_signal(struct ev *ev, int signo, ev_signal_fn *fn, void *arg)
{
	sigset_t one;
	int fd;

	if (signo <= 0 || signo >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (fn == NULL) {
		/* no handler: the signal stays blocked and is read and
		 * dropped (a default action now could kill the process) */
		ev->sigfn[signo] = NULL;
		ev->sigarg[signo] = NULL;
		return 0;
	}
	(void)sigemptyset(&one);
	(void)sigaddset(&one, signo);
	if (sigprocmask(SIG_BLOCK, &one, NULL) != 0)
		return -1;
	(void)sigaddset(&ev->sigs, signo);
	fd = signalfd(ev->sigfd, &ev->sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ev->sigfd < 0) {
		ev->sigfd = fd;
		ev->sigw = ev_fd_add(ev, fd, EV_READ, ev_on_signalfd, ev);
	}
	ev->sigfn[signo] = fn;
	ev->sigarg[signo] = arg;
	return 0;
}

void
ev_child_reset(void)
{
	struct sigaction sa;
	sigset_t all;
	int s;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (s = 1; s < NSIG; s++)
		(void)sigaction(s, &sa, NULL);	/* KILL, STOP: EINVAL */
	(void)sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
}

int
ev_run(struct ev *ev, volatile int *done)
{
	struct ev_timer *t;
	int armed;

	while (!*done) {
		armed = ev->nfds > 0;
		for (t = ev->timers; t != NULL && !armed; t = t->next)
			if (!t->dead && t->when != 0)
				armed = 1;
		if (!armed)
			return 0;
		if (ev_run_once(ev, -1) != 0)
			return -1;
	}
	return 0;
}

/*
 * The event loop: write interest, read interest changes, hangups,
 * signals delivered from the loop (never in signal context), and the
 * child reset before exec.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ev.h"
#include "harness.h"

struct seen {
	unsigned	 events;
	int		 calls;
};

static void
on_fd(int fd, unsigned events, void *arg)
{
	struct seen *s = arg;

	(void)fd;
	s->events |= events;
	s->calls++;
}

/* a pipe's write end is writable at once; its read end only after a
 * write; interest 0 silences an fd without deleting it */
static void
test_read_write_interest(void)
{
	struct ev *ev = ev_new();
	struct seen r = { 0, 0 }, w = { 0, 0 };
	struct ev_fd *rf, *wf;
	int p[2];

	CHECK_EQ(pipe(p), 0);
	rf = ev_fd_add(ev, p[0], EV_READ, on_fd, &r);
	wf = ev_fd_add(ev, p[1], EV_WRITE, on_fd, &w);
	CHECK_EQ(ev_run_once(ev, 1000), 0);
	CHECK_EQ(w.calls, 1);
	CHECK_EQ(w.events, EV_WRITE);
	CHECK_EQ(r.calls, 0);		/* nothing to read yet */
	ev_fd_events(ev, wf, 0);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(ev_run_once(ev, 1000), 0);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.events, EV_READ);
	CHECK_EQ(w.calls, 1);		/* no write interest any more */
	/* read interest dropped: the unread byte does not wake us */
	ev_fd_events(ev, rf, 0);
	CHECK_EQ(ev_run_once(ev, 0), 0);
	CHECK_EQ(r.calls, 1);
	ev_fd_del(ev, rf);
	ev_fd_del(ev, wf);
	(void)close(p[0]);
	(void)close(p[1]);
	ev_free(ev);
}

/* a hangup is reported as readable, so the owner's read sees EOF */
static void
test_hangup(void)
{
	struct ev *ev = ev_new();
	struct seen r = { 0, 0 };
	int p[2];

	CHECK_EQ(pipe(p), 0);
	(void)ev_fd_add(ev, p[0], EV_READ | EV_WRITE, on_fd, &r);
	(void)close(p[1]);
	CHECK_EQ(ev_run_once(ev, 1000), 0);
	CHECK_EQ(r.calls, 1);
	CHECK(r.events & EV_READ);
	(void)close(p[0]);
	ev_free(ev);
}

static volatile sig_atomic_t in_handler_context;

static void
on_sig(int signo, void *arg)
{
	int *got = arg;

	/* runs from the loop: the flag set around raise() is clear */
	CHECK(!in_handler_context);
	*got = signo;
}

static void
test_signal_from_loop(void)
{
	struct ev *ev = ev_new();
	int got = 0;

	CHECK_EQ(ev_signal(ev, SIGUSR1, on_sig, &got), 0);
	CHECK_EQ(ev_signal(ev, SIGUSR2, on_sig, &got), 0);
	in_handler_context = 1;
	CHECK_EQ(raise(SIGUSR1), 0);	/* blocked: stays pending */
	in_handler_context = 0;
	CHECK_EQ(got, 0);
	CHECK_EQ(ev_run_once(ev, 1000), 0);
	CHECK_EQ(got, SIGUSR1);
	got = 0;
	CHECK_EQ(kill(getpid(), SIGUSR2), 0);
	CHECK_EQ(ev_run_once(ev, 1000), 0);
	CHECK_EQ(got, SIGUSR2);
	CHECK_EQ(ev_signal(ev, 0, on_sig, &got), -1);
	ev_free(ev);
}

/* a child gets an empty signal mask back before it execs */
static void
test_child_reset(void)
{
	struct ev *ev = ev_new();
	int got = 0, st = 0;
	pid_t pid;

	CHECK_EQ(ev_signal(ev, SIGUSR1, on_sig, &got), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sigset_t cur;

		ev_child_reset();
		(void)sigprocmask(SIG_SETMASK, NULL, &cur);
		_exit(sigismember(&cur, SIGUSR1) ? 1 : 0);
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	ev_free(ev);
}

int
main(void)
{
	RUN(test_read_write_interest);
	RUN(test_hangup);
	RUN(test_signal_from_loop);
	RUN(test_child_reset);
	return harness_end();
}

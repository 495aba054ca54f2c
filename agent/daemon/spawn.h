/*
 * Child processes of the daemon (watchdog check commands, the SNMP
 * subagent): started with fork + exec, never through a shell, and
 * reaped on the loop.
 *
 * One struct spawn per process and loop: it owns SIGCHLD (ev_signal;
 * nothing else may register it) and, when the signal comes, reaps each
 * child it knows with waitpid(pid, WNOHANG) and reports the exit to the
 * child's owner.  It reaps only the pids it knows, so it never steals a
 * child that someone waits for by pid; every child of the daemon must
 * therefore be started here or announced with spawn_watch(), or it
 * stays a zombie.
 *
 * A child started by spawn_start():
 * - runs argv[0] (a path: no PATH search, no shell) with argv and the
 *   environment given (NULL: the daemon's);
 * - is the leader of its own process group, so a timeout or
 *   spawn_kill() reaches what it started too;
 * - has every signal unblocked and at its default (ev_child_reset), no
 *   fd but 0, 1, 2 (and the ones in opts->keep_fds, e.g. a socketpair
 *   end for the subagent), stdin from /dev/null and stdout + stderr to
 *   /dev/null, or to a pipe read on the loop into a bounded buffer
 *   (SPAWN_CAPTURE_MAX bytes kept, the rest read and dropped);
 * - is killed (SIGKILL, its whole process group) once timeout_ms have
 *   passed, if given.
 * Between fork and exec the child calls only async-signal-safe
 * functions (the daemon has threads: agent/util/work.c).  A failed exec
 * is reported in the exit (exec_errno), found through a close-on-exec
 * pipe read when the child is reaped, so spawn_start never waits for
 * the child.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>

#include <stddef.h>

#include "ev.h"

#define SPAWN_CAPTURE_MAX	512	/* bytes of output kept */
#define SPAWN_KEEP_MAX		4	/* opts.keep_fds */

struct spawn;

struct spawn_opts {
	char *const	*envp;		/* NULL: the daemon's environment */
	unsigned	 timeout_ms;	/* 0: none */
	int		 capture;	/* keep stdout + stderr (bounded) */
	/* fds passed on at the same numbers (close-on-exec cleared in
	 * the child only), the first nkeep of keep_fds */
	int		 keep_fds[SPAWN_KEEP_MAX];
	size_t		 nkeep;
};

/* how a child ended, as its owner is told */
struct spawn_exit {
	pid_t		 pid;
	int		 status;	/* as waitpid(2): WIFEXITED ... */
	int		 exec_errno;	/* exec failed (status: exit 127) */
	int		 timed_out;	/* killed at opts.timeout_ms */
	unsigned	 ms;		/* from start to reaping */
	const char	*out;		/* captured output, NUL-terminated
					 * ("" without capture); borrowed
					 * for the call */
	size_t		 outlen;
};

/* Called once per child, from the loop, after it was reaped.  It may
 * start, kill and forget children, but not spawn_free. */
typedef void	spawn_exit_fn(void *arg, const struct spawn_exit *);

/*
 * Install the SIGCHLD handler on ev (before any thread is started: see
 * ev.h).  NULL with errno set if ev_signal failed.
 */
struct spawn	*spawn_new(struct ev *);
/*
 * SIGKILL every child still known (its process group), reap the ones
 * already gone, and forget the rest without waiting: a child stuck in
 * the kernel would hold the daemon's exit otherwise (init adopts it).
 * No owner is called.  NULL is a no-op.
 */
void		 spawn_free(struct spawn *);

/*
 * Start a child (see above).  Its pid, or -1 with the reason in err
 * ("fork: Resource temporarily unavailable") when nothing was started:
 * then fn is never called.  A path that cannot be executed is no error
 * here: the exit says exec_errno (ENOENT, EACCES, ...).  argv[0] is the
 * path; argv ends with NULL.  fn is called exactly once otherwise,
 * never from inside spawn_start.
 */
pid_t		 spawn_start(struct spawn *, char *const argv[],
		    const struct spawn_opts *, spawn_exit_fn *fn, void *arg,
		    char *err, size_t errlen);
/* Reap and report a child started elsewhere (no capture, no timeout),
 * as spawn_start's.  0, or -1 if pid is already known. */
int		 spawn_watch(struct spawn *, pid_t, spawn_exit_fn *, void *);
/*
 * Send signo to the child's process group (spawn_start's children) or
 * to the child (spawn_watch's).  0, or -1 with errno (ESRCH: not a
 * child known here, or already reaped).  Safe from pid reuse: a known
 * pid is not reaped yet, so it cannot have been reused.
 */
int		 spawn_kill(struct spawn *, pid_t, int signo);
/*
 * The owner no longer wants the report (it is being freed): the child
 * is still reaped when it ends, silently.  kill_it: SIGKILL its process
 * group first.  Unknown pids are ignored.
 */
void		 spawn_forget(struct spawn *, pid_t, int kill_it);
/* children started or watched, not reaped yet */
size_t		 spawn_count(const struct spawn *);

#endif

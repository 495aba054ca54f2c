/*
 * The event loop: one thread, poll(2), fd handlers, monotonic timers and
 * signals.  A timer callback returns its next delay in ms, or EV_STOP.
 * Handlers may add and delete fds, timers and signals (including
 * themselves) freely.
 *
 * Signals arrive through a signalfd: ev_signal() blocks the signal in
 * the calling thread's mask and the loop runs the handler like any fd
 * handler, so nothing happens in signal context.  Register signals
 * before starting threads (threads inherit the mask); a child process
 * calls ev_child_reset() before exec, or it inherits blocked signals.
 */
#ifndef EV_H
#define EV_H

#include <stdint.h>

#define EV_STOP		(-1)

/* fd interest and readiness */
#define EV_READ		0x01
#define EV_WRITE	0x02

struct ev;
struct ev_fd;
struct ev_timer;

/* events: what is ready (EV_READ and/or EV_WRITE); an error or hangup
 * on the fd is reported as ready for whatever was asked, so the next
 * read or write returns it */
typedef void	ev_fd_fn(int fd, unsigned events, void *arg);
typedef int64_t	ev_timer_fn(void *arg);
typedef void	ev_signal_fn(int signo, void *arg);

struct ev	*ev_new(void);
void		 ev_free(struct ev *);
uint64_t	 ev_now(void);	/* CLOCK_MONOTONIC, ms */

/* watch fd for events (EV_READ, EV_WRITE, both, or 0 for none yet) */
struct ev_fd	*ev_fd_add(struct ev *, int fd, unsigned events, ev_fd_fn *,
		    void *);
/* change what fd is watched for */
void		 ev_fd_events(struct ev *, struct ev_fd *, unsigned events);
void		 ev_fd_del(struct ev *, struct ev_fd *);
/* fire after delay ms (0: on the next turn; < 0: disarmed) */
struct ev_timer	*ev_timer_add(struct ev *, int64_t delay, ev_timer_fn *,
		    void *);
void		 ev_timer_set(struct ev *, struct ev_timer *, int64_t delay);
void		 ev_timer_del(struct ev *, struct ev_timer *);

/*
 * Run fn from the loop whenever signo arrives (one handler per signal;
 * a second call replaces it).  fn NULL removes the handler: the signal
 * stays blocked and is dropped when it comes.  0, or -1 with errno set.
 */
int		 ev_signal(struct ev *, int signo, ev_signal_fn *, void *);
/* In a freshly forked child, before exec: unblock every signal and set
 * the default dispositions back. */
void		 ev_child_reset(void);

/* Run one turn: wait at most max_ms (or until the nearest timer), run
 * what is due.  Returns -1 on a poll error other than EINTR. */
int		 ev_run_once(struct ev *, int64_t max_ms);
/* Run until *done becomes non-zero or no fd and no timer is left. */
int		 ev_run(struct ev *, volatile int *done);

#endif

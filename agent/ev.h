/*
 * The event loop: one thread, poll(2), fd handlers and monotonic timers.
 * A timer callback returns its next delay in ms, or EV_STOP.  Handlers
 * may add and delete fds and timers (including themselves) freely.
 * Signals only set flags (ev_signal), handled from the loop.
 */
#ifndef EV_H
#define EV_H

#include <stdint.h>

#define EV_STOP		(-1)

struct ev;
struct ev_fd;
struct ev_timer;

typedef void	ev_fd_fn(int fd, void *arg);
typedef int64_t	ev_timer_fn(void *arg);

struct ev	*ev_new(void);
void		 ev_free(struct ev *);
uint64_t	 ev_now(void);	/* CLOCK_MONOTONIC, ms */

struct ev_fd	*ev_fd_add(struct ev *, int fd, ev_fd_fn *, void *);
void		 ev_fd_del(struct ev *, struct ev_fd *);
/* fire after delay ms (0: on the next turn) */
struct ev_timer	*ev_timer_add(struct ev *, int64_t delay, ev_timer_fn *,
		    void *);
void		 ev_timer_set(struct ev *, struct ev_timer *, int64_t delay);
void		 ev_timer_del(struct ev *, struct ev_timer *);

/* Run one turn: wait at most max_ms (or until the nearest timer), run
 * what is due.  Returns -1 on a poll error other than EINTR. */
int		 ev_run_once(struct ev *, int64_t max_ms);
/* Run until *done becomes non-zero or no fd and no timer is left. */
int		 ev_run(struct ev *, volatile int *done);

#endif

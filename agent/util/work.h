/*
 * Work that blocks by nature (fsync, getaddrinfo), done off the event
 * loop so that it never stalls the heartbeat.
 *
 * A struct work is a FIFO of jobs.  run(arg) runs on the instance's
 * worker thread; done(arg) then runs on the loop, from an fd handler of
 * the struct ev given to work_new (completion through an eventfd).  The
 * daemon keeps separate instances ("io" for disk writes, "dns" for name
 * resolution), so a dead DNS server never queues behind a slow disk.
 *
 * With threads == 0 there is no thread: a job runs on the loop on the
 * turn after its submission, followed at once by its done.  The CLI and
 * unit tests use that: deterministic, and still never inside
 * work_submit.
 *
 * Contract:
 * - For every work_submit that returned 0, run is called exactly once
 *   and then done exactly once, on the loop thread (the thread that
 *   runs the ev, or the one calling work_free).  Jobs start in
 *   submission order; with one thread (or none) they also finish and
 *   report in that order.
 * - run must touch nothing but its arg: no loop state, no log_* (the
 *   logging path is the loop's), no ev_*.  It may block.  done owns arg
 *   again: it is the place to log the outcome and free the job.
 * - The eventfd is watched only while jobs are pending, so ev_run()
 *   returns once every job has reported and nothing else is armed.
 * - The worker thread is created with every signal blocked: signals
 *   are the loop's (ev_signal).
 */
#ifndef WORK_H
#define WORK_H

#include "ev.h"

/*
 * At most this many jobs pending per instance (submitted, done not yet
 * called): past it work_submit refuses, and the caller keeps its data
 * and tries again later (a full queue means the disk or resolver is
 * far behind; an unbounded queue would only hide it until memory runs
 * out).
 */
#define WORK_QUEUE_MAX	256

struct work;

typedef void	work_fn(void *arg);

/*
 * threads: 0 (run on the loop, see above) or 1.  More would buy
 * nothing for the daemon's kinds of work that a second instance does
 * not give, so they are refused.  ev is borrowed and must outlive the
 * instance.  NULL with errno set (EINVAL, or what eventfd/pthread_create
 * said).
 */
struct work	*work_new(struct ev *, unsigned threads);

/*
 * Queue a job.  run may be NULL (done only, on the next turn); done may
 * be NULL.  Never runs either from inside the call.  0, or -1 when
 * WORK_QUEUE_MAX jobs are pending or the instance is being freed (then
 * nothing was queued and arg is still the caller's).
 */
int		 work_submit(struct work *, work_fn *run, work_fn *done,
		    void *arg);

/* jobs submitted whose done has not run yet */
unsigned	 work_pending(const struct work *);

/*
 * Drain and free, from the loop thread, before ev_free: waits for the
 * job in progress, runs every queued job (their data is usually what
 * must reach the disk before the daemon exits), then calls every
 * pending done, in order, before returning.  A done called from here
 * cannot submit again (work_submit returns -1).  NULL is a no-op.
 */
void		 work_free(struct work *);

#endif

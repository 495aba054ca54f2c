/*
 * Jobs off the loop: order, where run and done execute, the inline
 * mode, the queue cap, draining on free, and the point of it all: a job
 * blocked on I/O does not hold up the loop's timers.  Every wait is for
 * a condition, bounded by a generous number of loop turns and seconds.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "harness.h"
#include "work.h"

#define NJOBS		50
#define BOUND_MS	20000	/* a condition not met by then is a failure */

static pthread_t loop_thread;

struct rec {
	int		 runs[NJOBS + 8];
	int		 nruns;
	int		 dones[NJOBS + 8];
	int		 ndones;
	int		 run_on_loop;	/* runs that executed on the loop */
	int		 done_off_loop;	/* dones that did not */
	pthread_mutex_t	 mu;		/* runs happen on the worker */
};

struct job {
	struct rec	*r;
	int		 id;
	int		 fd;		/* >= 0: block reading one byte */
	int		 started_fd;	/* >= 0: write a byte when started */
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	(void)pthread_mutex_init(&r->mu, NULL);
}

static void
job_run(void *arg)
{
	struct job *j = arg;
	char ch;

	if (j->started_fd >= 0)
		(void)write(j->started_fd, "s", 1);
	if (j->fd >= 0)
		(void)read(j->fd, &ch, 1);
	(void)pthread_mutex_lock(&j->r->mu);
	j->r->runs[j->r->nruns++] = j->id;
	if (pthread_equal(pthread_self(), loop_thread))
		j->r->run_on_loop++;
	(void)pthread_mutex_unlock(&j->r->mu);
}

static void
job_done(void *arg)
{
	struct job *j = arg;

	j->r->dones[j->r->ndones++] = j->id;
	if (!pthread_equal(pthread_self(), loop_thread))
		j->r->done_off_loop++;
}

static void
job_set(struct job *j, struct rec *r, int id)
{
	j->r = r;
	j->id = id;
	j->fd = -1;
	j->started_fd = -1;
}

/* run the loop until *cond reaches want; bounded */
static void
run_until(struct ev *ev, const int *cond, int want)
{
	uint64_t end = ev_now() + BOUND_MS;

	while (*cond < want && ev_now() < end)
		(void)ev_run_once(ev, 100);
}

/* jobs run and report in submission order; run on the worker, done on
 * the loop */
static void
test_order_threads(void)
{
	struct ev *ev = ev_new();
	struct work *w = work_new(ev, 1);
	struct job jobs[NJOBS];
	struct rec r;
	int i;

	rec_init(&r);
	CHECK(w != NULL);
	if (w == NULL)
		return;
	for (i = 0; i < NJOBS; i++) {
		job_set(&jobs[i], &r, i);
		CHECK_EQ(work_submit(w, job_run, job_done, &jobs[i]), 0);
	}
	CHECK_EQ(work_pending(w), NJOBS);
	CHECK_EQ(r.ndones, 0);		/* never from inside submit */
	run_until(ev, &r.ndones, NJOBS);
	CHECK_EQ(r.nruns, NJOBS);
	CHECK_EQ(r.ndones, NJOBS);
	for (i = 0; i < NJOBS; i++) {
		CHECK_EQ(r.runs[i], i);
		CHECK_EQ(r.dones[i], i);
	}
	CHECK_EQ(r.run_on_loop, 0);
	CHECK_EQ(r.done_off_loop, 0);
	CHECK_EQ(work_pending(w), 0);
	work_free(w);
	ev_free(ev);
}

/* threads == 0: nothing at submit time; the next loop turn runs each
 * job on the loop and reports it at once */
static void
test_inline(void)
{
	struct ev *ev = ev_new();
	struct work *w = work_new(ev, 0);
	struct job jobs[3];
	struct rec r;
	int i;

	rec_init(&r);
	for (i = 0; i < 3; i++) {
		job_set(&jobs[i], &r, i);
		CHECK_EQ(work_submit(w, job_run, job_done, &jobs[i]), 0);
	}
	CHECK_EQ(r.nruns, 0);
	CHECK_EQ(r.ndones, 0);
	/* one turn, and it does not wait: the job is due now */
	CHECK_EQ(ev_run_once(ev, 10000), 0);
	CHECK_EQ(r.nruns, 3);
	CHECK_EQ(r.ndones, 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(r.runs[i], i);
		CHECK_EQ(r.dones[i], i);
	}
	CHECK_EQ(r.run_on_loop, 3);
	CHECK_EQ(r.done_off_loop, 0);
	work_free(w);
	ev_free(ev);
}

/* a done that submits again: served on the following turn, not in a
 * loop inside the first */
struct chain {
	struct work	*w;
	int		 left;
	int		 dones;
};

static void
chain_done(void *arg)
{
	struct chain *c = arg;

	c->dones++;
	if (c->left-- > 0)
		CHECK_EQ(work_submit(c->w, NULL, chain_done, c), 0);
}

static void
test_resubmit_from_done(void)
{
	struct ev *ev = ev_new();
	struct chain c = { NULL, 2, 0 };
	volatile int never = 0;

	c.w = work_new(ev, 0);
	CHECK_EQ(work_submit(c.w, NULL, chain_done, &c), 0);
	CHECK_EQ(ev_run_once(ev, 0), 0);
	CHECK_EQ(c.dones, 1);
	CHECK_EQ(ev_run_once(ev, 0), 0);
	CHECK_EQ(c.dones, 2);
	/* the eventfd is watched only while jobs are pending: ev_run ends
	 * once the chain has ended and nothing else is armed */
	CHECK_EQ(ev_run(ev, &never), 0);
	CHECK_EQ(c.dones, 3);
	CHECK_EQ(work_pending(c.w), 0);
	work_free(c.w);
	ev_free(ev);
}

/* the cap: WORK_QUEUE_MAX pending, the next is refused, and the queue
 * takes jobs again once they have reported */
static void
test_queue_full(void)
{
	struct ev *ev = ev_new();
	struct work *w = work_new(ev, 0);
	struct job *jobs = calloc(WORK_QUEUE_MAX + 1, sizeof(*jobs));
	struct rec *r = calloc(1, sizeof(*r));
	struct job extra;
	int i, ndone = 0;

	if (jobs == NULL || r == NULL)
		abort();
	rec_init(r);
	for (i = 0; i < WORK_QUEUE_MAX; i++) {
		job_set(&jobs[i], r, 0);
		CHECK_EQ(work_submit(w, NULL, NULL, &jobs[i]), 0);
	}
	job_set(&extra, r, 1);
	CHECK_EQ(work_submit(w, job_run, job_done, &extra), -1);
	CHECK_EQ(work_pending(w), WORK_QUEUE_MAX);
	CHECK_EQ(ev_run_once(ev, 0), 0);
	CHECK_EQ(work_pending(w), 0);
	CHECK_EQ(r->ndones, 0);		/* the refused one never ran */
	CHECK_EQ(work_submit(w, job_run, job_done, &extra), 0);
	CHECK_EQ(ev_run_once(ev, 0), 0);
	ndone = r->ndones;
	CHECK_EQ(ndone, 1);
	work_free(w);
	ev_free(ev);
	free(jobs);
	free(r);
}

/*
 * work_free with one job blocked in progress and more queued: it waits
 * for the blocked one, runs the rest, and calls every done before it
 * returns, in order, on the calling thread.
 */
static void
test_free_drains(void)
{
	struct ev *ev = ev_new();
	struct work *w = work_new(ev, 1);
	struct job jobs[5];
	struct rec r;
	int blk[2], started[2], i;
	char ch;

	rec_init(&r);
	CHECK_EQ(pipe(blk), 0);
	CHECK_EQ(pipe(started), 0);
	for (i = 0; i < 5; i++)
		job_set(&jobs[i], &r, i);
	jobs[0].fd = blk[0];
	jobs[0].started_fd = started[1];
	for (i = 0; i < 5; i++)
		CHECK_EQ(work_submit(w, job_run, job_done, &jobs[i]), 0);
	/* the first job is running (and blocked): the others are queued */
	CHECK_EQ(read(started[0], &ch, 1), 1);
	CHECK_EQ(r.nruns, 0);
	/* released: it finishes inside work_free or just before, but in
	 * no case are the dones delivered before work_free runs them */
	CHECK_EQ(write(blk[1], "x", 1), 1);
	work_free(w);
	CHECK_EQ(r.nruns, 5);
	CHECK_EQ(r.ndones, 5);
	for (i = 0; i < 5; i++) {
		CHECK_EQ(r.runs[i], i);
		CHECK_EQ(r.dones[i], i);
	}
	CHECK_EQ(r.done_off_loop, 0);
	CHECK_EQ(r.run_on_loop, 0);
	ev_free(ev);
	(void)close(blk[0]);
	(void)close(blk[1]);
	(void)close(started[0]);
	(void)close(started[1]);
}

/* a done called from work_free cannot queue more */
static void
refuse_done(void *arg)
{
	struct work **w = arg;

	CHECK_EQ(work_submit(*w, NULL, NULL, NULL), -1);
}

static void
test_free_refuses_submit(void)
{
	struct ev *ev = ev_new();
	struct work *w = work_new(ev, 1);

	CHECK_EQ(work_submit(w, NULL, refuse_done, &w), 0);
	work_free(w);
	work_free(NULL);
	ev_free(ev);
}

/*
 * The heartbeat case: a job blocked on a read (a dead disk, a resolver
 * that never answers) while a loop timer keeps firing.  The timer
 * releases the job only after its 5th firing, so the loop provably ran
 * it 5 times while the job was blocked.
 */
struct beat {
	int	 fires;
	int	 release_fd;
	int	 done_at;	/* fires when done was called; -1 before */
	int	 done;
};

static int64_t
beat_timer(void *arg)
{
	struct beat *b = arg;

	if (++b->fires == 5)
		CHECK_EQ(write(b->release_fd, "x", 1), 1);
	return b->done ? EV_STOP : 1;
}

struct beat_job {
	int		 fd;
	struct beat	*b;
};

static void
beat_run(void *arg)
{
	struct beat_job *bj = arg;
	char ch;

	(void)read(bj->fd, &ch, 1);
}

static void
beat_done(void *arg)
{
	struct beat_job *bj = arg;

	bj->b->done = 1;
	bj->b->done_at = bj->b->fires;
}

static void
test_blocked_job_keeps_timers(void)
{
	struct ev *ev = ev_new();
	struct work *w = work_new(ev, 1);
	struct beat b;
	struct beat_job bj;
	struct ev_timer *t;
	int p[2];

	CHECK_EQ(pipe(p), 0);
	memset(&b, 0, sizeof(b));
	b.release_fd = p[1];
	b.done_at = -1;
	bj.fd = p[0];
	bj.b = &b;
	CHECK_EQ(work_submit(w, beat_run, beat_done, &bj), 0);
	t = ev_timer_add(ev, 1, beat_timer, &b);
	run_until(ev, &b.done, 1);
	CHECK_EQ(b.done, 1);
	/* done could only follow the release at the 5th firing */
	CHECK(b.done_at >= 5);
	CHECK(b.fires >= 5);
	ev_timer_del(ev, t);
	work_free(w);
	ev_free(ev);
	(void)close(p[0]);
	(void)close(p[1]);
}

/* the worker has every signal blocked; the loop's mask is unchanged */
static void
mask_run(void *arg)
{
	sigset_t *s = arg;

	(void)pthread_sigmask(SIG_SETMASK, NULL, s);
}

static void
test_worker_signals_blocked(void)
{
	struct ev *ev = ev_new();
	struct work *w;
	sigset_t before, after, worker;

	(void)sigemptyset(&worker);
	(void)pthread_sigmask(SIG_SETMASK, NULL, &before);
	w = work_new(ev, 1);
	(void)pthread_sigmask(SIG_SETMASK, NULL, &after);
	CHECK_EQ(work_submit(w, mask_run, NULL, &worker), 0);
	work_free(w);		/* drains: mask_run has run */
	CHECK(sigismember(&worker, SIGTERM) == 1);
	CHECK(sigismember(&worker, SIGHUP) == 1);
	CHECK(sigismember(&worker, SIGCHLD) == 1);
	CHECK(sigismember(&worker, SIGINT) == 1);
	CHECK_EQ(sigismember(&after, SIGTERM), sigismember(&before, SIGTERM));
	CHECK_EQ(sigismember(&after, SIGHUP), sigismember(&before, SIGHUP));
	ev_free(ev);
}

static void
test_bad_threads(void)
{
	struct ev *ev = ev_new();

	CHECK(work_new(ev, 2) == NULL);
	ev_free(ev);
}

int
main(void)
{
	loop_thread = pthread_self();
	RUN(test_order_threads);
	RUN(test_inline);
	RUN(test_resubmit_from_done);
	RUN(test_queue_full);
	RUN(test_free_drains);
	RUN(test_free_refuses_submit);
	RUN(test_blocked_job_keeps_timers);
	RUN(test_worker_signals_blocked);
	RUN(test_bad_threads);
	return harness_end();
}

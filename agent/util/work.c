/*
 * Jobs off the loop (see work.h): a mutex-protected FIFO, one worker
 * thread, and an eventfd that wakes the loop when jobs have finished.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "work.h"
#include "xmem.h"

struct work_job {
	struct work_job	*next;
	work_fn		*run;
	work_fn		*done;
	void		*arg;
};

/* a singly linked FIFO */
struct work_list {
	struct work_job	*head;
	struct work_job	**tail;
};

struct work {
	struct ev	*ev;
	unsigned	 threads;
	int		 efd;		/* eventfd: "jobs finished" */
	struct ev_fd	*efw;		/* watched while pending > 0 */
	unsigned	 pending;	/* loop thread only */
	int		 closing;	/* loop thread only */
	pthread_t	 tid;
	pthread_mutex_t	 mu;		/* guards what follows */
	pthread_cond_t	 cv;		/* todo non-empty, or stop */
	struct work_list todo;		/* not started */
	struct work_list fin;		/* ran, done not yet called */
	int		 stop;
};

static void	work_on_event(int, unsigned, void *);

static void
work_list_init(struct work_list *l)
{
	l->head = NULL;
	l->tail = &l->head;
}

static void
work_list_add(struct work_list *l, struct work_job *j)
{
	j->next = NULL;
	*l->tail = j;
	l->tail = &j->next;
}

static struct work_job *
work_list_pop(struct work_list *l)
{
	struct work_job *j = l->head;

	if (j != NULL) {
		l->head = j->next;
		if (l->head == NULL)
			l->tail = &l->head;
	}
	return j;
}

/* wake the loop: the eventfd counter only grows until the loop reads
 * it, so a write cannot block or fail short of a broken fd */
static void
work_kick(struct work *w)
{
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(w->efd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
}

static void *
work_main(void *arg)
{
	struct work *w = arg;
	struct work_job *j;

	for (;;) {
		(void)pthread_mutex_lock(&w->mu);
		while (w->todo.head == NULL && !w->stop)
			(void)pthread_cond_wait(&w->cv, &w->mu);
		/* stop only once the queue is empty: queued jobs still run */
		j = work_list_pop(&w->todo);
		(void)pthread_mutex_unlock(&w->mu);
		if (j == NULL)
			break;
		if (j->run != NULL)
			j->run(j->arg);
		(void)pthread_mutex_lock(&w->mu);
		work_list_add(&w->fin, j);
		(void)pthread_mutex_unlock(&w->mu);
		work_kick(w);
	}
	return NULL;
}

struct work *
work_new(struct ev *ev, unsigned threads)
{
	struct work *w;
	sigset_t all, old;
	int e;

	if (threads > 1) {
		errno = EINVAL;
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->ev = ev;
	w->threads = threads;
	work_list_init(&w->todo);
	work_list_init(&w->fin);
	if ((w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		free(w);
		return NULL;
	}
	(void)pthread_mutex_init(&w->mu, NULL);
	(void)pthread_cond_init(&w->cv, NULL);
	if (threads == 0)
		return w;
	/* the worker inherits this mask: signals stay the loop's */
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&w->tid, NULL, work_main, w);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		(void)pthread_cond_destroy(&w->cv);
		(void)pthread_mutex_destroy(&w->mu);
		(void)close(w->efd);
		free(w);
		errno = e;
		return NULL;
	}
	return w;
}

int
work_submit(struct work *w, work_fn *run, work_fn *done, void *arg)
{
	struct work_job *j;

	if (w->closing || w->pending >= WORK_QUEUE_MAX)
		return -1;
	j = xcalloc(1, sizeof(*j));
	j->run = run;
	j->done = done;
	j->arg = arg;
	w->pending++;
	if (w->efw == NULL)
		w->efw = ev_fd_add(w->ev, w->efd, EV_READ, work_on_event, w);
	(void)pthread_mutex_lock(&w->mu);
	work_list_add(&w->todo, j);
	(void)pthread_cond_signal(&w->cv);
	(void)pthread_mutex_unlock(&w->mu);
	/* no thread: the loop runs it on its next turn */
	if (w->threads == 0)
		work_kick(w);
	return 0;
}

unsigned
work_pending(const struct work *w)
{
	return w->pending;
}

static void
work_report(struct work *w, struct work_job *j)
{
	w->pending--;
	if (j->done != NULL)
		j->done(j->arg);
	free(j);
}

static void
work_on_event(int fd, unsigned events, void *arg)
{
	struct work *w = arg;
	struct work_list batch;
	struct work_job *j;
	uint64_t v;
	ssize_t n;

	(void)events;
	/* read first: a job finishing after this read kicks again (a
	 * failed read is a spurious wake-up: the batch is empty) */
	n = read(fd, &v, sizeof(v));
	(void)n;
	(void)pthread_mutex_lock(&w->mu);
	if (w->threads == 0) {
		/* what was queued before this turn; a done that submits
		 * again is served on the next one */
		batch = w->todo;
		work_list_init(&w->todo);
	} else {
		batch = w->fin;
		work_list_init(&w->fin);
	}
	(void)pthread_mutex_unlock(&w->mu);
	while ((j = work_list_pop(&batch)) != NULL) {
		if (w->threads == 0 && j->run != NULL)
			j->run(j->arg);
		work_report(w, j);
	}
	if (w->pending == 0 && w->efw != NULL) {
		ev_fd_del(w->ev, w->efw);
		w->efw = NULL;
	}
}

void
work_free(struct work *w)
{
	struct work_job *j;

	if (w == NULL)
		return;
	w->closing = 1;
	if (w->threads > 0) {
		(void)pthread_mutex_lock(&w->mu);
		w->stop = 1;
		(void)pthread_cond_signal(&w->cv);
		(void)pthread_mutex_unlock(&w->mu);
		/* the worker empties todo, then exits */
		(void)pthread_join(w->tid, NULL);
	}
	/* no thread left: no lock needed */
	while ((j = work_list_pop(&w->fin)) != NULL)
		work_report(w, j);
	while ((j = work_list_pop(&w->todo)) != NULL) {
		if (j->run != NULL)
			j->run(j->arg);
		work_report(w, j);
	}
	ev_fd_del(w->ev, w->efw);
	(void)close(w->efd);
	(void)pthread_cond_destroy(&w->cv);
	(void)pthread_mutex_destroy(&w->mu);
	free(w);
}

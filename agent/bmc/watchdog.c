/*
 * BMC watchdog policy: validation, owner detection and the operation
 * state machines (see watchdog.h).  IPMI v2.0 sections 27.5-27.7.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watchdog.h"

static const char *const watchdog_errs[WATCHDOG_E__MAX] = {
	"success",
	"configuration refused",
	"transport failure",
	"error completion code",
	"response too short",
	"the watchdog is driven by someone else",
	"request queue full",
	"the timer did not start",
};

const char *
watchdog_strerror(enum watchdog_err e)
{
	return (unsigned)e < WATCHDOG_E__MAX ? watchdog_errs[e] :
	    "unknown error";
}

void
watchdog_cfg_default(struct watchdog_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->use = WDT_USE_SMS_OS;
	c->action = WDT_ACTION_RESET;
	c->pre_int = WDT_PRE_NONE;
	c->clear = WDT_EXP_ALL;
}

/* time from a kick to the first thing the BMC does on its own */
static unsigned
watchdog_budget_ms(const struct watchdog_cfg *c)
{
	unsigned pre = c->pre_int != WDT_PRE_NONE ? c->pretimeout_s * 1000 :
	    0;

	return c->timeout_ms > pre ? c->timeout_ms - pre : 0;
}

unsigned
watchdog_max_interval(const struct watchdog_cfg *c)
{
	unsigned b = watchdog_budget_ms(c), half = b / 2;

	if (b <= WATCHDOG_MARGIN_MS)
		return 0;
	return half < b - WATCHDOG_MARGIN_MS ? half : b - WATCHDOG_MARGIN_MS;
}

int
watchdog_validate(const struct watchdog_cfg *c, char *err, size_t errlen)
{
	unsigned max, need;

	if (c->timeout_ms < 100 || c->timeout_ms > WDT_COUNTDOWN_MAX * 100u) {
		(void)snprintf(err, errlen, "timeout %.1f s is out of range: "
		    "the BMC counts 0.1 to 6553.5 s", c->timeout_ms / 1000.0);
		return -1;
	}
	if (c->use < WDT_USE_FRB2 || c->use > WDT_USE_OEM ||
	    c->action > WDT_ACTION_POWER_CYCLE || c->pre_int > WDT_PRE_MSG) {
		(void)snprintf(err, errlen, "timer use, action or pre-timeout "
		    "interrupt out of range");
		return -1;
	}
	if (c->pretimeout_s > 255) {
		(void)snprintf(err, errlen, "pre-timeout %u s is out of range "
		    "(0-255 s)", c->pretimeout_s);
		return -1;
	}
	if (c->pretimeout_s > 0 && c->pretimeout_s * 1000u >= c->timeout_ms) {
		(void)snprintf(err, errlen, "pre-timeout %u s must be shorter "
		    "than the timeout %.1f s: use a pre-timeout of at most "
		    "%u s, or a timeout above %u s", c->pretimeout_s,
		    c->timeout_ms / 1000.0,
		    c->timeout_ms > 1000 ? (c->timeout_ms - 1) / 1000 : 0,
		    c->pretimeout_s);
		return -1;
	}
	if (c->interval_ms == 0)
		return 0;
	max = watchdog_max_interval(c);
	if (c->interval_ms <= max)
		return 0;
	/* the smallest timeout for which this interval is safe */
	need = c->interval_ms * 2;
	if (need < c->interval_ms + WATCHDOG_MARGIN_MS)
		need = c->interval_ms + WATCHDOG_MARGIN_MS;
	if (c->pre_int != WDT_PRE_NONE)
		need += c->pretimeout_s * 1000;
	if (max == 0)
		(void)snprintf(err, errlen, "heartbeat interval %.1f s is not "
		    "safe with a %.1f s timeout%s: no interval is; use a "
		    "timeout of at least %.1f s", c->interval_ms / 1000.0,
		    c->timeout_ms / 1000.0, c->pre_int != WDT_PRE_NONE ?
		    " and its pre-timeout" : "", need / 1000.0);
	else
		(void)snprintf(err, errlen, "heartbeat interval %.1f s is not "
		    "comfortably inside the %.1f s timeout%s: a late or "
		    "retried reset would let it expire; use an interval of "
		    "at most %.1f s, or a timeout of at least %.1f s",
		    c->interval_ms / 1000.0, c->timeout_ms / 1000.0,
		    c->pre_int != WDT_PRE_NONE ? " (less the pre-timeout)" :
		    "", max / 1000.0, need / 1000.0);
	return -1;
}

void
watchdog_cfg_to_set(const struct watchdog_cfg *c, struct wdt_set *s)
{
	memset(s, 0, sizeof(*s));
	s->use = c->use;
	s->dont_log = c->dont_log;
	s->dont_stop = 0;
	s->action = c->action;
	s->pre_int = c->pre_int;
	s->pretimeout = (uint8_t)c->pretimeout_s;
	s->clear = c->clear;
	s->initial = (uint16_t)((c->timeout_ms + 50) / 100);
}

/* ---- owner detection ---------------------------------------------- */

static void
watchdog_path(char *out, size_t len, const char *root, const char *p)
{
	(void)snprintf(out, len, "%s%s", root != NULL ? root : "", p);
}

static int
watchdog_module_loaded(const char *root)
{
	char path[512], line[256];
	struct stat st;
	FILE *f;
	int found = 0;

	watchdog_path(path, sizeof(path), root, "/sys/module/ipmi_watchdog");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	watchdog_path(path, sizeof(path), root, "/proc/modules");
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "ipmi_watchdog ", 14) == 0)
			found = 1;
	(void)fclose(f);
	return found;
}

static int
watchdog_is_dev(const char *target)
{
	const char *p;

	if (strncmp(target, "/dev/watchdog", 13) != 0)
		return 0;
	for (p = target + 13; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* scan /proc/PID/fd for a link to /dev/watchdog or /dev/watchdogN */
static int
watchdog_dev_holder(const char *root, struct watchdog_owner *o)
{
	char path[512], fdpath[1024], target[256];
	struct dirent *de, *fe;
	DIR *d, *fd;
	ssize_t n;
	pid_t self = getpid();
	int found = 0;

	watchdog_path(path, sizeof(path), root, "/proc");
	if ((d = opendir(path)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		char *end;
		long pid;

		errno = 0;
		pid = strtol(de->d_name, &end, 10);
		if (errno != 0 || *end != '\0' || pid <= 0)
			continue;
		if ((root == NULL || *root == '\0') && pid == (long)self)
			continue;
		(void)snprintf(fdpath, sizeof(fdpath), "%s/%ld/fd", path, pid);
		if ((fd = opendir(fdpath)) == NULL)
			continue;	/* gone, or not ours to read */
		while ((fe = readdir(fd)) != NULL) {
			char lpath[1400];

			if (fe->d_name[0] == '.')
				continue;
			(void)snprintf(lpath, sizeof(lpath), "%s/%s", fdpath,
			    fe->d_name);
			n = readlink(lpath, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (!watchdog_is_dev(target))
				continue;
			found = 1;
			o->pid = (pid_t)pid;
			(void)snprintf(o->dev, sizeof(o->dev), "%.63s", target);
			break;
		}
		(void)closedir(fd);
	}
	(void)closedir(d);
	if (found) {
		FILE *f;

		(void)snprintf(fdpath, sizeof(fdpath), "%s/%ld/comm", path,
		    (long)o->pid);
		if ((f = fopen(fdpath, "re")) != NULL) {
			if (fgets(o->comm, sizeof(o->comm), f) != NULL)
				o->comm[strcspn(o->comm, "\n")] = '\0';
			(void)fclose(f);
		}
	}
	return found;
}

int
watchdog_owner_local(const char *root, struct watchdog_owner *o)
{
	memset(o, 0, sizeof(*o));
	o->resets = -1;
	o->module = watchdog_module_loaded(root);
	o->dev_open = watchdog_dev_holder(root, o);
	return o->module || o->dev_open;
}

/*
 * QEMU's ipmi-bmc-sim (7.2) never sets the "running" bit of Get Watchdog
 * Timer; its present countdown is 0 when stopped.  So a non-zero present
 * countdown counts as a sign of life too, and a frozen one as stopped.
 */
static int
watchdog_counting(const struct wdt_timer *t)
{
	return t->running || (t->has_present && t->present > 0);
}

int
watchdog_owner_countdown(const struct wdt_timer *a, const struct wdt_timer *b,
    unsigned elapsed_ms)
{
	unsigned expect;

	if (!a->has_present || !b->has_present) {
		if (!b->running)
			return 0;
		return a->running ? -1 : 1;
	}
	if (!watchdog_counting(b))
		return 0;	/* stopped (or expired) */
	if (!watchdog_counting(a))
		return 1;	/* started by someone in between */
	if (!a->running && !b->running && a->present == b->present)
		return 0;	/* stopped, the countdown frozen */
	/*
	 * Undisturbed, b = a - elapsed.  Allow 300 ms of slack for the
	 * request round trips and the BMC's own tick granularity; a
	 * countdown that went up, or fell less than it should, was reset.
	 */
	expect = elapsed_ms / 100;
	if (b->present > a->present)
		return 1;
	if ((unsigned)(a->present - b->present) + 3 < expect)
		return 1;
	return 0;
}

void
watchdog_owner_text(const struct watchdog_owner *o, char *out, size_t len)
{
	char dev[160] = "", mod[80] = "", rst[64] = "";

	if (o->dev_open)
		(void)snprintf(dev, sizeof(dev), "%s is held open by pid %ld "
		    "(%s)", o->dev, (long)o->pid, o->comm[0] ? o->comm : "?");
	if (o->module)
		(void)snprintf(mod, sizeof(mod), "the ipmi_watchdog kernel "
		    "module is loaded (it owns the BMC watchdog)");
	if (o->resets == 1)
		(void)snprintf(rst, sizeof(rst), "the countdown is being "
		    "reset by someone else");
	if (!dev[0] && !mod[0] && !rst[0]) {
		(void)snprintf(out, len, "no other owner found");
		return;
	}
	/* everything found, most specific first */
	(void)snprintf(out, len, "%s%s%s%s%s", dev,
	    dev[0] && mod[0] ? "; " : "", mod,
	    (dev[0] || mod[0]) && rst[0] ? "; " : "", rst);
}

/* ---- operations ----------------------------------------------------- */

enum {
	S_IDLE,
	S_GET1,		/* ARM: first Get; GET, STOP: the Get */
	S_WAIT,		/* ARM: between the two Gets */
	S_GET2,
	S_SET,
	S_RESET,
	S_GET3,		/* ARM: confirm running */
	S_KRESET,	/* KICK: first Reset */
	S_KSET,		/* KICK: Set after 80h */
	S_KRESET2,
	S_SSET		/* STOP: the Set */
};

static void	watchdog_rsp(void *, enum ipmi_err, const struct ipmi_rsp *);

static void
watchdog_finish(struct watchdog_op *op, enum watchdog_err e)
{
	op->err = e;
	op->state = S_IDLE;
	op->active = 0;
	if (op->done != NULL)
		op->done(op, op->arg);
}

static void
watchdog_send(struct watchdog_op *op, int state, const char *step)
{
	op->state = state;
	op->step = step;
	if (conn_submit(op->conn, &op->req, watchdog_rsp, op) != 0)
		watchdog_finish(op, WATCHDOG_E_BUSY);
}

static void
watchdog_send_get(struct watchdog_op *op, int state)
{
	wdt_get_req(&op->req);
	watchdog_send(op, state, "Get Watchdog Timer");
}

static void
watchdog_send_set(struct watchdog_op *op, int state)
{
	struct wdt_set s;

	watchdog_cfg_to_set(&op->cfg, &s);
	wdt_set_req(&op->req, &s);
	watchdog_send(op, state, "Set Watchdog Timer");
}

static void
watchdog_send_reset(struct watchdog_op *op, int state)
{
	wdt_reset_req(&op->req);
	watchdog_send(op, state, "Reset Watchdog Timer");
}

static int64_t
watchdog_wait_done(void *arg)
{
	struct watchdog_op *op = arg;

	if (op->active && op->state == S_WAIT)
		watchdog_send_get(op, S_GET2);
	return EV_STOP;
}

static int
watchdog_owned(const struct watchdog_owner *o)
{
	return o->module || o->dev_open || o->resets == 1;
}

static void
watchdog_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct watchdog_op *op = arg;
	int state = op->state;

	if (!op->active)
		return;		/* cancelled */
	if (err != IPMI_OK) {
		op->ierr = err;
		watchdog_finish(op, WATCHDOG_E_TRANSPORT);
		return;
	}
	op->ccode = rsp->ccode;
	if (rsp->ccode != IPMI_CC_OK &&
	    !(state == S_KRESET && rsp->ccode == WDT_CC_NOT_INITIALISED)) {
		watchdog_finish(op, WATCHDOG_E_CCODE);
		return;
	}
	switch (state) {
	case S_GET1:
	case S_GET2:
	case S_GET3:
		if (wdt_get_decode(rsp->data, rsp->len, &op->timer) !=
		    IPMI_OK) {
			watchdog_finish(op, WATCHDOG_E_LENGTH);
			return;
		}
		op->quirks |= op->timer.quirks;
		break;
	case S_SET:
	case S_KSET:
	case S_SSET:
		(void)wdt_set_decode(rsp->data, rsp->len, &op->quirks);
		break;
	default:
		break;
	}
	switch (state) {
	case S_GET1:
		if (op->kind != WATCHDOG_OP_ARM) {
			if (op->kind == WATCHDOG_OP_STOP) {
				struct wdt_set s;

				/* same use, log and countdown; no action,
				 * no pre-timeout, and stop it */
				wdt_set_from_timer(&s, &op->timer);
				s.dont_stop = 0;
				s.action = WDT_ACTION_NONE;
				s.pre_int = WDT_PRE_NONE;
				s.pretimeout = 0;
				if (s.use < WDT_USE_FRB2 || s.use > WDT_USE_OEM)
					s.use = WDT_USE_SMS_OS;
				wdt_set_req(&op->req, &s);
				watchdog_send(op, S_SSET,
				    "Set Watchdog Timer");
				return;
			}
			watchdog_finish(op, WATCHDOG_OK);
			return;
		}
		op->before = op->timer;
		if (op->owner_wait_ms > 0 && watchdog_counting(&op->before)) {
			op->state = S_WAIT;
			op->t0 = ev_now();
			if (op->timer_ev == NULL)
				op->timer_ev = ev_timer_add(op->ev,
				    op->owner_wait_ms, watchdog_wait_done, op);
			else
				ev_timer_set(op->ev, op->timer_ev,
				    op->owner_wait_ms);
			return;
		}
		/* a stopped timer has no one resetting it */
		op->owner.resets = watchdog_counting(&op->before) ? -1 : 0;
		goto check_owner;
	case S_GET2:
		op->owner.resets = watchdog_owner_countdown(&op->before,
		    &op->timer, (unsigned)(ev_now() - op->t0));
	check_owner:
		if (watchdog_owned(&op->owner) && !op->force) {
			watchdog_finish(op, WATCHDOG_E_OWNER);
			return;
		}
		watchdog_send_set(op, S_SET);
		return;
	case S_SET:
		watchdog_send_reset(op, S_RESET);
		return;
	case S_RESET:
		watchdog_send_get(op, S_GET3);
		return;
	case S_GET3:
		/* the stock ipmi_sim never reports running (short answer);
		 * QEMU's BMC never sets the bit but counts down */
		if (op->timer.has_present && !op->timer.running &&
		    op->timer.present > 0)
			op->quirks |= WDT_QUIRK_NO_RUNNING_BIT;
		if (op->timer.has_present && !watchdog_counting(&op->timer) &&
		    op->cfg.action != WDT_ACTION_NONE) {
			watchdog_finish(op, WATCHDOG_E_NOT_RUNNING);
			return;
		}
		watchdog_finish(op, WATCHDOG_OK);
		return;
	case S_KRESET:
		if (rsp->ccode == WDT_CC_NOT_INITIALISED) {
			/* 27.5: never set since BMC start: Set, then Reset */
			op->reinit = 1;
			watchdog_send_set(op, S_KSET);
			return;
		}
		watchdog_finish(op, WATCHDOG_OK);
		return;
	case S_KSET:
		watchdog_send_reset(op, S_KRESET2);
		return;
	case S_KRESET2:
	case S_SSET:
		watchdog_finish(op, WATCHDOG_OK);
		return;
	default:
		return;
	}
}

int
watchdog_op_start(struct watchdog_op *op, struct ev *ev, struct conn *conn,
    watchdog_done_fn *done, void *arg)
{
	op->ev = ev;
	op->conn = conn;
	op->done = done;
	op->arg = arg;
	op->err = WATCHDOG_OK;
	op->ierr = IPMI_OK;
	op->ccode = 0;
	op->step = NULL;
	op->reinit = 0;
	op->quirks = 0;
	op->active = 1;
	memset(&op->timer, 0, sizeof(op->timer));
	if (op->kind == WATCHDOG_OP_ARM) {
		if (op->local != NULL)
			op->owner = *op->local;
		else {
			memset(&op->owner, 0, sizeof(op->owner));
			op->owner.resets = -1;
		}
	}
	switch (op->kind) {
	case WATCHDOG_OP_KICK:
		wdt_reset_req(&op->req);
		op->state = S_KRESET;
		op->step = "Reset Watchdog Timer";
		break;
	default:
		wdt_get_req(&op->req);
		op->state = S_GET1;
		op->step = "Get Watchdog Timer";
		break;
	}
	if (conn_submit(conn, &op->req, watchdog_rsp, op) != 0) {
		op->active = 0;
		op->state = S_IDLE;
		return -1;
	}
	return 0;
}

void
watchdog_op_cancel(struct watchdog_op *op)
{
	op->active = 0;
	op->state = S_IDLE;
	if (op->timer_ev != NULL) {
		ev_timer_del(op->ev, op->timer_ev);
		op->timer_ev = NULL;
	}
}

void
watchdog_op_errtext(const struct watchdog_op *op, char *out, size_t len)
{
	char own[160], cc[IPMI_CCODE_TEXT_MAX];

	switch (op->err) {
	case WATCHDOG_OK:
		(void)snprintf(out, len, "success");
		break;
	case WATCHDOG_E_CCODE:
		(void)snprintf(out, len, "%s: %s", op->step ? op->step : "?",
		    ipmi_ccode_fmt(cc, sizeof(cc), op->req.netfn, op->req.cmd,
		    op->ccode));
		break;
	case WATCHDOG_E_TRANSPORT:
		(void)snprintf(out, len, "%s: %s", op->step ? op->step : "?",
		    ipmi_strerror(op->ierr));
		break;
	case WATCHDOG_E_OWNER:
		watchdog_owner_text(&op->owner, own, sizeof(own));
		(void)snprintf(out, len, "%s; not taking the watchdog over "
		    "(use --force to do it anyway)", own);
		break;
	default:
		(void)snprintf(out, len, "%s: %s", op->step ? op->step : "?",
		    watchdog_strerror(op->err));
		break;
	}
}

/* ---- heartbeat ------------------------------------------------------ */

static void	watchdog_hb_done(struct watchdog_op *, void *);
static void	watchdog_hb_switch_off(struct watchdog_hb *);

static int64_t
watchdog_hb_tick(void *arg)
{
	struct watchdog_hb *hb = arg;

	if (hb->stopping)
		return EV_STOP;
	/* the previous operation is slow (retries): kick as soon as it is
	 * done rather than a whole interval later */
	if (hb->op.active)
		return 100;
	memset(&hb->op.req, 0, sizeof(hb->op.req));
	hb->op.cfg = hb->cfg;
	if (!hb->armed) {
		/* arm failed before: retry the whole arm */
		hb->op.kind = WATCHDOG_OP_ARM;
		hb->op.force = hb->force;
		hb->op.owner_wait_ms = hb->owner_wait_ms;
		hb->op.local = hb->local;
	} else if (hb->gate != NULL && !hb->gate(hb, hb->gate_arg)) {
		hb->withheld++;
		return (int64_t)hb->cfg.interval_ms;
	} else
		hb->op.kind = WATCHDOG_OP_KICK;
	if (watchdog_op_start(&hb->op, hb->ev, hb->conn, watchdog_hb_done,
	    hb) != 0)
		hb->failures++;
	return (int64_t)hb->cfg.interval_ms;
}

static void
watchdog_hb_done(struct watchdog_op *op, void *arg)
{
	struct watchdog_hb *hb = arg;

	if (op->kind == WATCHDOG_OP_ARM && op->err == WATCHDOG_OK)
		hb->armed = 1;
	else if (op->kind == WATCHDOG_OP_KICK && op->err == WATCHDOG_OK)
		hb->kicks++;
	else if (op->err != WATCHDOG_OK)
		hb->failures++;
	if (hb->event != NULL)
		hb->event(hb, op, hb->arg);
	if (hb->stopping && op->kind != WATCHDOG_OP_STOP)
		watchdog_hb_switch_off(hb);
}

int
watchdog_hb_start(struct watchdog_hb *hb, struct ev *ev, struct conn *conn,
    watchdog_hb_fn *event, void *arg, char *err, size_t errlen)
{
	if (watchdog_validate(&hb->cfg, err, errlen) != 0)
		return -1;
	if (hb->cfg.interval_ms == 0) {
		(void)snprintf(err, errlen, "a heartbeat needs an interval");
		return -1;
	}
	hb->ev = ev;
	hb->conn = conn;
	hb->event = event;
	hb->arg = arg;
	hb->armed = 0;
	hb->stopping = 0;
	hb->kicks = hb->failures = hb->withheld = 0;
	memset(&hb->op, 0, sizeof(hb->op));
	/* the first turn arms at once; later turns kick */
	hb->tick = ev_timer_add(ev, 0, watchdog_hb_tick, hb);
	return 0;
}

static void
watchdog_hb_switch_off(struct watchdog_hb *hb)
{
	watchdog_op_cancel(&hb->op);	/* idle here: drops its timer */
	memset(&hb->op, 0, sizeof(hb->op));
	hb->op.kind = WATCHDOG_OP_STOP;
	if (watchdog_op_start(&hb->op, hb->ev, hb->conn, watchdog_hb_done,
	    hb) != 0) {
		hb->op.err = WATCHDOG_E_BUSY;
		if (hb->event != NULL)
			hb->event(hb, &hb->op, hb->arg);
	}
}

void
watchdog_hb_stop(struct watchdog_hb *hb)
{
	if (hb->stopping)
		return;
	hb->stopping = 1;
	if (hb->tick != NULL)
		ev_timer_set(hb->ev, hb->tick, -1);
	/* an operation in flight finishes first (its response must not
	 * be taken for the Stop's); watchdog_hb_done then switches off */
	if (!hb->op.active)
		watchdog_hb_switch_off(hb);
}

void
watchdog_hb_pause(struct watchdog_hb *hb)
{
	if (hb->tick != NULL)
		ev_timer_set(hb->ev, hb->tick, -1);
}

void
watchdog_hb_free(struct watchdog_hb *hb)
{
	if (hb->tick != NULL)
		ev_timer_del(hb->ev, hb->tick);
	hb->tick = NULL;
	watchdog_op_cancel(&hb->op);
}

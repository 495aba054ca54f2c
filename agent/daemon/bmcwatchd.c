/*
 * bmcwatchd: watches the local BMC and many remote ones from one event
 * loop, archives their SELs, drives a health-gated watchdog heartbeat,
 * and answers every reader from memory (bmcwatchd(8), DESIGN.md).
 *
 * Start-up order: options; config (secrets read as root); -n ends here;
 * logging; state and archive directories (made the user's); device nodes
 * opened; control socket bound; -D forks; signals; root dropped for
 * good; only then worker threads ("io", "dns"), so that they start
 * without privileges; targets; the loop.  SIGHUP swaps a valid new
 * config in (unchanged targets keep their sessions); SIGTERM and SIGINT
 * stop cleanly: the socket goes first, then every target closes its
 * session and disarms its watchdog, bounded by its timeout.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "ev.h"
#include "fileio.h"
#include "log.h"
#include "notify.h"
#include "priv.h"
#include "prom.h"
#include "snmpchild.h"
#include "spawn.h"
#include "store/store.h"
#include "target.h"
#include "webhook.h"
#include "work.h"
#include "xmem.h"

/* READY=1 at the latest this long after start, whatever the BMCs do */
#define D_READY_MAX_MS		30000
#define D_PROGRESS_MS		1000

struct d_target {
	struct d_target	*next;
	struct target	*t;
	int		 stopping;
	int		 stopped;
};

struct daemon {
	struct webhook_set *wh;
	const char	*conf_path;
	struct conf	*conf;
	struct conf	**retired;	/* confs stopping targets still use */
	size_t		 nretired;
	struct ev	*ev;
	struct work	*io;
	struct work	*dns;
	struct work	*checks;	/* the watchdog's file checks */
	struct spawn	*spawn;		/* SIGCHLD: check commands, SNMP */
	struct store	*store;
	struct ctl	*ctl;
	struct prom	*prom;		/* prometheus-textfile, or NULL */
	struct notify	 notify;
	struct target_env env;
	struct d_target	*targets;
	size_t		 nready;
	size_t		 nstart;	/* targets at start */
	int		 ready_sent;
	int		 stop;		/* SIGTERM seen */
	int		 hup;
	int		 progress_ok;
	char		 progress_why[256];
	uint64_t	 wd_next;
	char		*pidfile;	/* written: removed at exit */
	int		 ready_fd;	/* -D: tells the parent we are up */
	struct ev_timer	*progress;
	struct ev_timer	*ready_timer;
	/* the SNMP subagent child */
	struct snmpchild *snmp;
	char		*snmp_prog;	/* located before the drop */
	long		 start_time;
};

static void
usage(void)
{
	fprintf(stderr, "usage: bmcwatchd [-dDnv] [-f file]\n"
	    "    -d       stay in the foreground, log to standard error\n"
	    "    -D       put itself in the background, with a pidfile\n"
	    "    -f file  configuration (default %s)\n"
	    "    -n       check the configuration and exit\n"
	    "    -v       more messages (again: more still)\n",
	    CONF_DEFAULT_FILE);
	exit(2);
}

/* ---- events ------------------------------------------------------------- */

/* sensor changes of one sweep logged one by one, up to this many */
#define D_SENSOR_LINES	5

/*
 * The store's events in the log.  Unreachable, recovered, heartbeat and
 * SEL clears are logged where they happen (target.c), new SEL entries
 * go to the archive and its syslog copy: the rest is said here.  A sweep
 * that changes more than D_SENSOR_LINES sensors at once (a BMC refusing
 * every reading in the middle of a sweep makes them all unavailable, and
 * all ok again after) gives that many lines and one that counts the
 * rest: the events themselves all go to the socket, SNMP and webhooks.
 */
static void
d_on_event(const struct store_event *e, void *arg)
{
	(void)arg;
	switch (e->kind) {
	case STORE_EV_SENSOR:
		if (e->burst_n > D_SENSOR_LINES &&
		    e->burst_i >= D_SENSOR_LINES - 1) {
			if (e->burst_i == D_SENSOR_LINES - 1)
				log_target(LOG_WARNING, e->t->name, "sensor",
				    "%zu sensors changed state in one sweep: "
				    "%zu more not logged (bmcwatch sensors "
				    "lists them)", e->burst_n,
				    e->burst_n - (D_SENSOR_LINES - 1));
			break;
		}
		/* FALLTHROUGH */
	case STORE_EV_POWER:
	case STORE_EV_WATCHDOG:
		log_target(e->level >= 2 ? LOG_WARNING : LOG_NOTICE,
		    e->t->name, store_ev_name(e->kind), "%s", e->text);
		break;
	default:
		break;
	}
}

/* ---- targets ------------------------------------------------------------ */

/* every interface is polled (redfish through agent/http/) */
static int
d_ipmi(const struct conf_target *ct)
{
	(void)ct;
	return 1;
}

static void
d_status(struct daemon *d)
{
	char msg[128];
	size_t n = 0, up = 0, i;

	for (i = 0; i < store_ntargets(d->store); i++) {
		n++;
		if (store_target_at(d->store, i)->health.state == STORE_T_UP)
			up++;
	}
	(void)snprintf(msg, sizeof(msg), "STATUS=%zu targets, %zu up", n, up);
	(void)notify_send(&d->notify, msg);
}

static void
d_send_ready(struct daemon *d)
{
	char msg[64];

	if (d->ready_sent)
		return;
	d->ready_sent = 1;
	(void)notify_send(&d->notify, "READY=1");
	d_status(d);
	if (d->ready_fd >= 0) {
		/* -D: the waiting parent exits 0 on this byte, 1 on EOF */
		ssize_t n = write(d->ready_fd, "r", 1);

		(void)n;
		(void)close(d->ready_fd);
		d->ready_fd = -1;
	}
	(void)snprintf(msg, sizeof(msg), "%zu of %zu", d->nready, d->nstart);
	log_info("bmcwatchd", "ready (first poll done for %s targets)", msg);
}

static void
d_on_ready(void *arg, struct target *t)
{
	struct daemon *d = arg;

	(void)t;
	d->nready++;
	if (d->nready >= d->nstart)
		d_send_ready(d);
}

static int64_t
d_ready_bound(void *arg)
{
	struct daemon *d = arg;

	d->ready_timer = NULL;
	if (!d->ready_sent)
		log_info("bmcwatchd", "not every target answered within %d s: "
		    "ready anyway", D_READY_MAX_MS / 1000);
	d_send_ready(d);
	return EV_STOP;
}

static int
d_progress_ok(void *arg, char *why, size_t len)
{
	struct daemon *d = arg;

	if (!d->progress_ok)
		(void)snprintf(why, len, "%s", d->progress_why);
	return d->progress_ok;
}

/* every second: is every target making progress; the systemd ping */
static int64_t
d_on_progress(void *arg)
{
	struct daemon *d = arg;
	struct d_target *x;
	uint64_t now = ev_now();
	char why[256];
	int ok = 1;

	for (x = d->targets; x != NULL; x = x->next) {
		if (x->stopping)
			continue;
		if (target_stuck(x->t, now, why, sizeof(why)) && ok) {
			ok = 0;
			(void)snprintf(d->progress_why,
			    sizeof(d->progress_why), "%s", why);
		}
	}
	d->progress_ok = ok;
	if (notify_watchdog_ms(&d->notify) > 0 && now >= d->wd_next && ok) {
		(void)notify_send(&d->notify, "WATCHDOG=1");
		d->wd_next = now + notify_watchdog_ms(&d->notify);
	}
	if (d->ready_sent && now / 1000 % 10 == 0)
		d_status(d);
	return notify_watchdog_ms(&d->notify) > 0 &&
	    notify_watchdog_ms(&d->notify) < D_PROGRESS_MS ?
	    (int64_t)notify_watchdog_ms(&d->notify) : D_PROGRESS_MS;
}

static void
d_start_target(struct daemon *d, const struct conf_target *ct)
{
	struct d_target *x;

	if (!d_ipmi(ct)) {
		log_target(LOG_WARNING, ct->name, "target", "interface %s is "
		    "not polled by this build: skipped",
		    conf_iface_name(ct->iface));
		return;
	}
	x = xcalloc(1, sizeof(*x));
	x->next = d->targets;
	d->targets = x;
	x->t = target_new(&d->env, ct);
}

static struct d_target *
d_find(struct daemon *d, const char *name)
{
	struct d_target *x;

	for (x = d->targets; x != NULL; x = x->next)
		if (!x->stopping && strcmp(target_name(x->t), name) == 0)
			return x;
	return NULL;
}

static void
d_stopped(struct target *t, void *arg)
{
	struct d_target *x = arg;

	(void)t;
	x->stopped = 1;
}

static void
d_stop_target(struct d_target *x)
{
	if (x->stopping)
		return;
	x->stopping = 1;
	target_stop(x->t, d_stopped, x);
}

/* free the targets whose stop is done; the retired confs once none is
 * left stopping */
static void
d_reap(struct daemon *d)
{
	struct d_target **pp = &d->targets, *x;
	int left = 0;
	size_t i;

	while ((x = *pp) != NULL) {
		if (x->stopping && x->stopped) {
			*pp = x->next;
			target_free(x->t);
			free(x);
			continue;
		}
		if (x->stopping)
			left = 1;
		pp = &x->next;
	}
	if (!left && d->nretired > 0) {
		for (i = 0; i < d->nretired; i++)
			conf_free(d->retired[i]);
		free(d->retired);
		d->retired = NULL;
		d->nretired = 0;
	}
}

static int
d_action(void *arg, const char *name, struct ctl_action *a, char *err,
    size_t errlen)
{
	struct daemon *d = arg;
	struct d_target *x = d_find(d, name);

	if (x == NULL) {
		(void)snprintf(err, errlen, "no target '%s'", name);
		return CTL_EUSAGE;
	}
	return target_action(x->t, a, err, errlen);
}

static int
d_stream(void *arg, const char *name, struct ctl_stream *s, char *err,
    size_t errlen)
{
	struct daemon *d = arg;
	struct d_target *x = d_find(d, name);

	if (x == NULL) {
		(void)snprintf(err, errlen, "no target '%s'", name);
		return CTL_EUSAGE;
	}
	return target_console(x->t, s, err, errlen);
}

/* ---- reload ------------------------------------------------------------- */

static void
d_reload(struct daemon *d)
{
	struct conf *nc, *old = d->conf;
	struct d_target *x;
	char err[CONF_ERR_MAX];
	size_t i, kept = 0, started = 0, stopped = 0;

	(void)notify_send(&d->notify, "RELOADING=1");
	if (conf_load(d->conf_path, &nc, err, sizeof(err)) != 0) {
		log_warnx("conf", "%s: keeping the running configuration", err);
		(void)notify_send(&d->notify, "READY=1");
		return;
	}
	/* targets gone or changed stop (changed ones start again below) */
	for (x = d->targets; x != NULL; x = x->next) {
		const struct conf_target *nt;

		if (x->stopping)
			continue;
		nt = conf_target_find(nc, target_name(x->t));
		if (nt != NULL && d_ipmi(nt) && conf_target_equal(
		    conf_target_find(old, target_name(x->t)), nt)) {
			target_rebind(x->t, nt);
			kept++;
			continue;
		}
		log_target(LOG_NOTICE, target_name(x->t), "conf", "%s",
		    nt != NULL ? "changed: restarting" : "removed: stopping");
		d_stop_target(x);
		stopped++;
	}
	d->retired = xreallocarray(d->retired, d->nretired + 1,
	    sizeof(*d->retired)); /* NOLINT(bugprone-sizeof-expression) */
	d->retired[d->nretired++] = old;
	d->conf = nc;
	d->env.conf = nc;
	webhook_reload(d->wh, nc);
	for (i = 0; i < nc->ntargets; i++)
		if (d_find(d, nc->targets[i].name) == NULL &&
		    d_ipmi(&nc->targets[i])) {
			d_start_target(d, &nc->targets[i]);
			started++;
		}
	log_set_facility(nc->log_facility);
	for (x = d->targets; x != NULL; x = x->next)
		if (!x->stopping)
			target_reopen(x->t);
	if (d->ctl != NULL)
		ctl_set_max_clients(d->ctl, nc->max_clients);
	d->prom = prom_reconf(d->prom, d->ev, d->store, d->io,
	    nc->prometheus_textfile);
	if (d->snmp != NULL)
		snmpchild_conf(d->snmp, nc);
	if (strcmp(old->socket, nc->socket) != 0)
		log_warnx("conf", "socket %s: a new path takes a restart; "
		    "still at %s", nc->socket, old->socket);
	log_info("conf", "%s reloaded: %zu targets kept, %zu started, %zu "
	    "stopped", d->conf_path, kept, started, stopped);
	d_reap(d);
	(void)notify_send(&d->notify, "READY=1");
}

/* ---- signals ------------------------------------------------------------ */

static void
d_on_signal(int signo, void *arg)
{
	struct daemon *d = arg;

	if (signo == SIGHUP)
		d->hup = 1;
	else
		d->stop = 1;
}

/* ---- process ------------------------------------------------------------ */

static int
d_check(const char *path)
{
	struct conf *c;
	char err[CONF_ERR_MAX];

	if (conf_load(path, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	conf_free(c);
	fprintf(stderr, "configuration OK\n");
	return 0;
}

/* -D: the parent waits until the child says it is up (or died) */
static int
d_daemonize(void)
{
	int p[2], fd;
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC) != 0)
		fatal("bmcwatchd", "pipe");
	if ((pid = fork()) < 0)
		fatal("bmcwatchd", "fork");
	if (pid > 0) {
		(void)close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	(void)close(p[0]);
	if (setsid() < 0)
		fatal("bmcwatchd", "setsid");
	if (chdir("/") != 0)
		fatal("bmcwatchd", "chdir /");
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			(void)close(fd);
	}
	return p[1];
}

static void
d_pidfile(const char *path)
{
	char buf[32], tmp[4096];
	char err[512];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (fileio_replace(path, tmp, buf, (size_t)n, 0644, err,
	    sizeof(err)) != 0)
		fatalx("bmcwatchd", "pidfile %s", err);
}

static void
d_dirs(const struct conf *c)
{
	char err[512], *sdr;
	size_t len;

	if (priv_mkdir(c->state_dir, c->uid, c->gid, err, sizeof(err)) != 0)
		fatalx("bmcwatchd", "state-dir %s", err);
	if (priv_mkdir(c->archive_dir, c->uid, c->gid, err, sizeof(err)) != 0)
		fatalx("bmcwatchd", "archive-dir %s", err);
	len = strlen(c->state_dir) + 5;
	sdr = xmalloc(len);
	(void)snprintf(sdr, len, "%s/sdr", c->state_dir);
	if (priv_mkdir(sdr, c->uid, c->gid, err, sizeof(err)) != 0)
		fatalx("bmcwatchd", "state-dir %s", err);
	free(sdr);
}

/* before the drop: the device nodes of open targets, kept for good */
static void
d_devices(const struct conf *c)
{
	char err[512];
	size_t i;
	int fd;

	for (i = 0; i < c->ntargets; i++) {
		if (c->targets[i].iface != CONF_IFACE_OPEN)
			continue;
		if ((fd = priv_device(c->targets[i].device, err,
		    sizeof(err))) < 0)
			log_target(LOG_ERR, c->targets[i].name, "target", "%s",
			    err);
		else
			(void)close(fd);	/* the kept one stays */
	}
}

/* after the drop: threads, the store, the socket's server, targets */
static void
d_run_setup(struct daemon *d, int fd)
{
	struct ctl_cfg cc;
	size_t i;

	/* threads now: they start without privileges, signals blocked */
	if ((d->io = work_new(d->ev, 1)) == NULL ||
	    (d->dns = work_new(d->ev, 1)) == NULL ||
	    (d->checks = work_new(d->ev, 1)) == NULL)
		fatal("bmcwatchd", "worker threads");
	d->store = store_new();
	(void)store_subscribe(d->store, d_on_event, d);
	d->wh = webhook_new(d->ev, d->io, d->store, d->conf);
	d->env.ev = d->ev;
	d->env.io = d->io;
	d->env.dns = d->dns;
	d->env.checks = d->checks;
	d->env.spawn = d->spawn;
	d->env.store = d->store;
	d->env.conf = d->conf;
	d->env.ready = d_on_ready;
	d->env.progress = d_progress_ok;
	d->env.arg = d;
	d->progress_ok = 1;
	memset(&cc, 0, sizeof(cc));
	cc.path = d->conf->socket;
	cc.group = d->conf->socket_gid;
	cc.max_clients = d->conf->max_clients;
	cc.action = d_action;
	cc.stream = d_stream;
	cc.arg = d;
	d->ctl = ctl_new(d->ev, d->store, fd, &cc);
	d->prom = prom_new(d->ev, d->store, d->io,
	    d->conf->prometheus_textfile);
	if (d->snmp_prog != NULL) {
		d->snmp = snmpchild_new(d->ev, d->spawn, d->ctl, d->snmp_prog,
		    d->start_time);
		snmpchild_conf(d->snmp, d->conf);
	}
	for (i = 0; i < d->conf->ntargets; i++)
		if (d_ipmi(&d->conf->targets[i]))
			d->nstart++;
	/* in file order in the store */
	for (i = 0; i < d->conf->ntargets; i++)
		d_start_target(d, &d->conf->targets[i]);
	log_info("bmcwatchd", "started: %zu targets, socket %s",
	    d->nstart, d->conf->socket);
	d->progress = ev_timer_add(d->ev, D_PROGRESS_MS, d_on_progress, d);
	if (d->nstart == 0)
		d_send_ready(d);
	else
		d->ready_timer = ev_timer_add(d->ev, D_READY_MAX_MS,
		    d_ready_bound, d);
}

/* the clean stop: readers first, then every target, then the rest */
static void
d_shutdown(struct daemon *d)
{
	struct d_target *x;
	uint64_t deadline;
	size_t i;

	log_info("bmcwatchd", "stopping");
	(void)notify_send(&d->notify, "STOPPING=1");
	snmpchild_free(d->snmp);
	d->snmp = NULL;
	ctl_free(d->ctl);
	d->ctl = NULL;
	for (x = d->targets; x != NULL; x = x->next)
		d_stop_target(x);
	/* each target bounds its own stop; this is a backstop */
	deadline = ev_now() + 60000;
	while (d->targets != NULL && ev_now() < deadline) {
		for (x = d->targets; x != NULL; x = x->next)
			if (!x->stopped)
				break;
		if (x == NULL)
			break;
		if (ev_run_once(d->ev, 100) != 0)
			break;
	}
	while ((x = d->targets) != NULL) {
		d->targets = x->next;
		target_free(x->t);
		free(x);
	}
	ev_timer_del(d->ev, d->progress);
	ev_timer_del(d->ev, d->ready_timer);
	prom_free(d->prom);
	/* the webhooks' sends stop; their queue files stay for the next
	 * start */
	webhook_free(d->wh);
	/* what is queued for the disk gets there */
	work_free(d->io);
	work_free(d->dns);
	/* a check blocked on a hung mount never ends: left to exit */
	if (work_pending(d->checks) == 0)
		work_free(d->checks);
	spawn_free(d->spawn);
	store_free(d->store);
	for (i = 0; i < d->nretired; i++)
		conf_free(d->retired[i]);
	free(d->retired);
	if (d->pidfile != NULL && unlink(d->pidfile) != 0)
		log_warn("bmcwatchd", "%s: cannot remove", d->pidfile);
	free(d->pidfile);
	conf_free(d->conf);
	notify_close(&d->notify);
	priv_devices_close();
	free(d->snmp_prog);
	ev_free(d->ev);
	log_info("bmcwatchd", "stopped");
}

int
main(int argc, char **argv)
{
	struct daemon d;
	char err[CONF_ERR_MAX];
	int ch, debug = 0, bg = 0, check = 0, verbose = 0, fd, rc;

	memset(&d, 0, sizeof(d));
	d.conf_path = CONF_DEFAULT_FILE;
	d.ready_fd = -1;
	while ((ch = getopt(argc, argv, "dDf:nvh")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'D':
			bg = 1;
			break;
		case 'f':
			d.conf_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (check)
		return d_check(d.conf_path);
	if (bg && debug) {
		fprintf(stderr, "bmcwatchd: -D and -d: pick one\n");
		return 2;
	}
	log_init("bmcwatchd", debug, verbose);
	/* before any secret is read: no core file can ever hold one */
	if (priv_nocore(err, sizeof(err)) != 0)
		fatalx("priv", "%s", err);
	if (conf_load(d.conf_path, &d.conf, err, sizeof(err)) != 0)
		fatalx("conf", "%s", err);
	log_set_facility(d.conf->log_facility);
	if (notify_init(&d.notify, err, sizeof(err)) != 0)
		log_warnx("notify", "%s", err);
	(void)signal(SIGPIPE, SIG_IGN);
	/* a file size limit fails a write (EFBIG) rather than kill us */
	(void)signal(SIGXFSZ, SIG_IGN);
	d_dirs(d.conf);
	d_devices(d.conf);
	if ((fd = ctl_listen(d.conf->socket, d.conf->socket_mode,
	    priv_root() ? d.conf->socket_gid : (gid_t)-1, err,
	    sizeof(err))) < 0)
		fatalx("ctl", "%s", err);
	if (bg) {
		d.ready_fd = d_daemonize();
		d_pidfile(d.conf->pidfile);
		d.pidfile = xstrdup(d.conf->pidfile);
	}
	d.ev = ev_new();
	if (ev_signal(d.ev, SIGTERM, d_on_signal, &d) != 0 ||
	    ev_signal(d.ev, SIGINT, d_on_signal, &d) != 0 ||
	    ev_signal(d.ev, SIGHUP, d_on_signal, &d) != 0 ||
	    (d.spawn = spawn_new(d.ev)) == NULL)
		fatal("bmcwatchd", "signals");
	/* /proc/self/exe may be unreadable once we are not dumpable */
	d.start_time = (long)time(NULL);
	if ((d.snmp_prog = snmpchild_locate(err, sizeof(err))) == NULL)
		log_warnx("snmp", "the subagent cannot be found: %s", err);
	rc = priv_drop(d.conf->uid, d.conf->gid, err, sizeof(err));
	if (rc < 0)
		fatalx("priv", "cannot drop root: %s: not going on as root",
		    err);
	if (rc > 0)
		log_info("priv", "not started as root: running as uid %ld, "
		    "nothing to drop", (long)getuid());
	else
		log_info("priv", "running as uid %ld gid %ld, no capabilities",
		    (long)d.conf->uid, (long)d.conf->gid);
	d_run_setup(&d, fd);
	while (!d.stop) {
		if (ev_run_once(d.ev, -1) != 0)
			fatal("bmcwatchd", "poll");
		if (d.hup) {
			d.hup = 0;
			d_reload(&d);
		}
		d_reap(&d);
	}
	d_shutdown(&d);
	return 0;
}

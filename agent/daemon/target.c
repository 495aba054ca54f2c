/*
 * One monitored BMC (see target.h for the runs, health, backoff and
 * progress rules this file implements).
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chassis.h"
#include "cmd_app.h"
#include "cmd_chassis.h"
#include "conn.h"
#include "console.h"
#include "fileio.h"
#include "lan_crypto.h"
#include "lan_udp.h"
#include "health.h"
#include "jsonw.h"
#include "log.h"
#include "priv.h"
#include "redfish.h"
#include "sdr_cache.h"
#include "selmon.h"
#include "sensors.h"
#include "severity.h"
#include "store/archive.h"
#include "store/state.h"
#include "store/store.h"
#include "target.h"
#include "watchdog.h"
#include "work.h"
#include "xmem.h"

#define TARGET_BACKOFF_MIN_MS	2000
#define TARGET_OWNER_WAIT_MS	1500	/* as bmcwatch watchdog set */
#define TARGET_STUCK_EXTRA_MS	5000
#define TARGET_STOP_POLL_MS	50
/* restart cause, POH counter, boot flags: asked once a minute (the POH
 * counter counts minutes) */
#define TARGET_CHASSIS_X_MS	60000
#define PATH_MAX_TARGET		4096

enum target_run {
	RUN_IDENT,
	RUN_SEL,
	RUN_SENSORS,
	RUN_CHASSIS,
	RUN_WDT,
	RUN__N
};
#define RUN_BIT(r)	(1u << (r))
#define RUN_POLLS	(RUN_BIT(RUN_SEL) | RUN_BIT(RUN_SENSORS) | \
			    RUN_BIT(RUN_CHASSIS))

static const char *const target_run_name[RUN__N] = {
	[RUN_IDENT] = "identity",
	[RUN_SEL] = "sel",
	[RUN_SENSORS] = "sensors",
	[RUN_CHASSIS] = "chassis",
	[RUN_WDT] = "watchdog",
};

enum target_state {
	TS_RESOLVING,		/* first address not known yet */
	TS_POLLING,
	TS_UNREACHABLE,
	TS_STOPPING
};

enum target_outcome {
	OUT_OK,			/* answered */
	OUT_REFUSED,		/* answered, with an error */
	OUT_NOANSWER		/* transport failure */
};

struct target_dns {
	struct target	*t;	/* NULL: the target went away */
	char		 host[256];
	unsigned	 port;
	struct sockaddr_storage addr;
	socklen_t	 addrlen;
	int		 rc;
	char		 err[256];
};

struct target_ack {
	struct target	*t;	/* NULL: the target went away */
	char		*path;
	uint8_t		 raw[SEL_RECORD_LEN];
	uint16_t	 id;
	int		 rc;
	char		 err[256];
};

struct target {
	struct target_env *env;
	const struct conf_target *ct;
	char		 name[CONF_NAME_MAX + 1];
	struct store_target *st;
	enum target_state state;
	unsigned	 polled;	/* RUN_BIT: ran once */
	int		 ready;

	/* address */
	struct target_dns *dns;
	int		 probe_due;	/* probe once the name resolves */
	int		 reconnect;	/* the address changed under a run */
	struct sockaddr_storage addr;
	socklen_t	 addrlen;

	/* transport and subsystems (NULL while there is none) */
	struct conn	*conn;
	struct severity	*builtin;
	struct sdr_cache *sdr;
	struct sensors	*sens;
	struct archive	*arch;
	struct archive_cfg acfg;
	struct selmon	*sel;
	struct selmon_cfg selcfg;
	struct selmon_names names;
	char		 sel_ident[STATE_IDENTITY_MAX + 1];
	char		 peer[300];
	char		*sdr_dir;
	char		*state_path;
	char		*acks_path;
	char		*archive_path;

	/* runs */
	struct ev_timer	*tick[RUN__N];
	struct ev_timer	*probe;
	unsigned	 pending;
	int		 running;	/* enum target_run, -1 none */
	uint64_t	 run_t0;
	int		 sel_mode_next;	/* -1: the configured one */
	int		 sel_mode;	/* of the pass running */
	struct log_limit run_lim[RUN__N];

	/* identity */
	int		 ident_step;
	struct ipmi_req	 ident_req;
	struct shape_info ident;
	/* chassis status and watchdog timer */
	struct chassis_query cq;
	/* restart cause, POH counter, boot flags: asked with the status
	 * every TARGET_CHASSIS_X_MS and after a power change; what the BMC
	 * does not support (C1h...) not again on this connection */
	uint64_t	 cx_due_ms;
	unsigned	 cx_unsup;	/* CHASSIS_Q_* */
	int		 cx_power;	/* -1 unknown */
	struct watchdog_op wget;

	/* heartbeat */
	int		 hb_on;
	struct watchdog_hb hb;
	struct watchdog_owner owner;
	int		 hb_withholding;
	struct health	*health;	/* the block's checks, or NULL */
	int		 hb_refused;
	int		 hb_stopped;
	int		 hb_stop_sent;
	char		 hb_state[STORE_TEXT_MAX];
	char		 hb_failing[STORE_TEXT_MAX];
	int		 hb_gating;	/* this reset is withheld: counted
					 * by watchdog.c after the gate */
	struct log_limit hb_lim;

	/* health */
	unsigned	 fails;
	struct log_limit lim;
	uint64_t	 backoff_ms;
	uint64_t	 prog_sum;
	uint64_t	 prog_ms;
	int		 stuck;

	/* the serial console (sol block), NULL without one */
	struct console	*con;

	/* control socket action */
	struct ctl_action *act;
	struct ipmi_req	 act_req;
	int		 act_sel;	/* waiting for a clear pass */
	struct target_ack *ack;

	/* interface redfish (see "interface redfish" below): the client
	 * instead of conn, and the log cursor persisted in rf_cur_path */
	struct redfish	*rf;
	char		*rf_cur_path;
	struct redfish_cursor rf_cur;
	int		 rf_cur_state;	/* 0 loading, 1 loaded */
	struct target_rfio *rf_io;	/* a cursor job in flight */
	struct target_rfarch *rf_arch;	/* an archive write in flight */
	int		 rf_no_wdt;	/* no HostWatchdogTimer: not asked */
	int		 rf_closed;	/* the session is deleted */
	uint64_t	 rf_prog;
	/* the log pass (RUN_SEL) over Redfish: list, archive, list
	 * again until nothing is new, then ClearLog where the policy
	 * says (see "the log pass" below) */
	int		 rf_sel_mode;	/* SELMON_READ, _CLEAR, _CLEAR_NOW */
	unsigned	 rf_round;	/* listings of this pass */
	size_t		 rf_clear_i;	/* next service to look at */
	char		 rf_clear_path[REDFISH_PATH_MAX]; /* the ClearLog
					 * in flight */
	unsigned	 rf_clear_n;	/* ... its entries */
	unsigned	 rf_new;	/* entries archived this pass */
	unsigned	 rf_cleared;	/* services cleared this pass */
	unsigned	 rf_cleared_entries;
	int		 rf_sel_failed;	/* archive or ClearLog failed */
	char		 rf_sel_msg[600];	/* why not cleared / what
					 * failed, for the answer */
	uint32_t	 rf_noted;	/* services whose "never cleared"
					 * was logged, by index */

	/* stop */
	void		(*stop_done)(struct target *, void *);
	void		*stop_arg;
	struct ev_timer	*stop_timer;
	int		 stop_phase;
	uint64_t	 stop_deadline;
};

static void	target_dispatch(struct target *);
static int	target_rf_connect(struct target *, char *, size_t);
static int	target_rf_start(struct target *, enum target_run);
static int	target_rf_action(struct target *, struct ctl_action *,
		    char *, size_t);
static void	target_rf_free(struct target *);
static void	target_rf_close(struct target *);
static void	target_result(struct target *, enum target_run,
		    enum target_outcome, const char *);
static void	target_resolve(struct target *);
static void	target_console_new(struct target *);
static int	target_connect(struct target *, char *, size_t);

static void
target_now(struct store_when *w)
{
	store_now(w);
}

const char *
target_name(const struct target *t)
{
	return t->name;
}

int
target_ready(const struct target *t)
{
	return t->ready;
}

static void
target_set_ready(struct target *t)
{
	if (t->ready)
		return;
	t->ready = 1;
	if (t->env->ready != NULL)
		t->env->ready(t->env->arg, t);
}

static char *
target_path(const char *dir, const char *pre, const char *name,
    const char *suf)
{
	size_t len = strlen(dir) + strlen(pre) + strlen(name) + strlen(suf) +
	    2;
	char *p = xmalloc(len);

	(void)snprintf(p, len, "%s/%s%s%s", dir, pre, name, suf);
	return p;
}

static int
target_is_lan(const struct target *t)
{
	return t->ct->iface == CONF_IFACE_LAN ||
	    t->ct->iface == CONF_IFACE_LANPLUS;
}

static const struct severity *
target_severity(const struct target *t)
{
	return t->ct->severity != NULL ? t->ct->severity : t->builtin;
}

/* ---- the store ---------------------------------------------------------- */

static void
target_store_stats(struct target *t)
{
	if (t->st == NULL)
		return;
	if (t->conn != NULL) {
		t->st->health.tr = *ipmi_tr_stats(conn_tr(t->conn));
		t->st->health.req_errors = conn_stats(t->conn)->failed;
		t->st->health.ccode_errors = conn_stats(t->conn)->ccode;
	}
	if (t->rf != NULL) {
		t->st->health.tr.requests = redfish_stats(t->rf)->requests;
		t->st->health.tr.sessions = redfish_stats(t->rf)->sessions;
	}
	(void)snprintf(t->st->health.peer, sizeof(t->st->health.peer), "%s",
	    t->peer);
}

static void
target_store_hb(struct target *t)
{
	struct store_hb h;
	struct store_when w;

	if (t->st == NULL || !t->hb_on)
		return;
	memset(&h, 0, sizeof(h));
	h.enabled = 1;
	h.armed = t->hb.armed;
	h.refused = t->hb_refused;
	h.kicks = t->hb.kicks;
	h.failures = t->hb.failures;
	h.withheld = t->hb.withheld + (unsigned)t->hb_gating;
	h.interval_ms = t->hb.cfg.interval_ms;
	(void)snprintf(h.state, sizeof(h.state), "%s", t->hb_state);
	(void)snprintf(h.failing, sizeof(h.failing), "%s", t->hb_failing);
	target_now(&w);
	store_set_hb(t->env->store, t->st, &h, &w);
}

/* ---- the checks of a watchdog block ------------------------------------ */

/*
 * check-file, check-pid and check-command run in health.c, started with
 * the target (so grace counts from the daemon's start) and asked before
 * every reset.  The first failing check goes to the store (the MIB's
 * bmcwWatchdogFailingCheck) also while grace still lets resets through.
 */
static int
target_checks_ok(struct target *t, const char **failing)
{
	const char *f;

	*failing = NULL;
	if (t->health == NULL)
		return 1;
	f = health_failing(t->health);
	if (strcmp(f != NULL ? f : "", t->hb_failing) != 0) {
		(void)snprintf(t->hb_failing, sizeof(t->hb_failing), "%s",
		    f != NULL ? f : "");
		target_store_hb(t);
	}
	*failing = f;
	return health_ok(t->health);
}

/* ---- heartbeat ---------------------------------------------------------- */

static int
target_hb_gate(struct watchdog_hb *hb, void *arg)
{
	struct target *t = arg;
	const char *failing = NULL;
	char why[256];
	int ok = 1;

	(void)hb;
	why[0] = '\0';
	if (t->env->progress != NULL && !t->env->progress(t->env->arg, why,
	    sizeof(why)))
		ok = 0;
	else if (!target_checks_ok(t, &failing)) {
		(void)snprintf(why, sizeof(why), "%s", failing ? failing :
		    "a check fails");
		ok = 0;
	}
	if (!ok && !t->hb_withholding) {
		t->hb_withholding = 1;
		log_target(LOG_CRIT, t->name, "watchdog", "withholding resets: "
		    "%s: the BMC will %s in %.1f s unless this clears", why,
		    wdt_action_name(t->hb.cfg.action),
		    t->hb.cfg.timeout_ms / 1000.0);
		(void)snprintf(t->hb_state, sizeof(t->hb_state), "withholding "
		    "resets: %s", why);
		target_store_hb(t);
	} else if (ok && t->hb_withholding) {
		t->hb_withholding = 0;
		log_target(LOG_NOTICE, t->name, "watchdog", "resets resumed "
		    "(%llu withheld)", (unsigned long long)t->hb.withheld);
		(void)snprintf(t->hb_state, sizeof(t->hb_state), "resetting "
		    "every %.1f s", t->hb.cfg.interval_ms / 1000.0);
		target_store_hb(t);
	}
	if (!ok) {
		/* the store counts this reset withheld now, not at the
		 * next event (there is none while resets are withheld) */
		t->hb_gating = 1;
		target_store_hb(t);
		t->hb_gating = 0;
	}
	return ok;
}

static void
target_hb_event(struct watchdog_hb *hb, const struct watchdog_op *op,
    void *arg)
{
	struct target *t = arg;
	char msg[400];
	uint64_t now = ev_now();

	watchdog_op_errtext(op, msg, sizeof(msg));
	switch (op->kind) {
	case WATCHDOG_OP_ARM:
		if (op->err == WATCHDOG_OK) {
			t->hb_refused = 0;
			log_recover(&t->hb_lim, t->name, "watchdog", "armed");
			log_target(LOG_NOTICE, t->name, "watchdog", "armed: "
			    "%.1f s, action %s, reset every %.1f s",
			    hb->cfg.timeout_ms / 1000.0,
			    wdt_action_name(hb->cfg.action),
			    hb->cfg.interval_ms / 1000.0);
			(void)snprintf(t->hb_state, sizeof(t->hb_state),
			    "resetting every %.1f s",
			    hb->cfg.interval_ms / 1000.0);
		} else if (op->err == WATCHDOG_E_OWNER) {
			char own[200];

			watchdog_owner_text(&op->owner, own, sizeof(own));
			t->hb_refused = 1;
			(void)log_fail(&t->hb_lim, now, LOG_CRIT, t->name,
			    "watchdog", "refusing to take the watchdog over: "
			    "%s; not arming it (force yes in the watchdog "
			    "block overrides)", own);
			(void)snprintf(t->hb_state, sizeof(t->hb_state),
			    "refused: %.300s", own);
		} else {
			(void)log_fail(&t->hb_lim, now, LOG_ERR, t->name,
			    "watchdog", "cannot arm: %s", msg);
			(void)snprintf(t->hb_state, sizeof(t->hb_state),
			    "not armed: %.300s", msg);
		}
		break;
	case WATCHDOG_OP_KICK:
		if (op->err == WATCHDOG_OK) {
			log_recover(&t->hb_lim, t->name, "watchdog",
			    "resets work again");
			if (op->reinit)
				log_target(LOG_WARNING, t->name, "watchdog",
				    "the timer was not initialised (the BMC "
				    "restarted?): set it again");
		} else
			(void)log_fail(&t->hb_lim, now, LOG_ERR, t->name,
			    "watchdog", "reset failed: %s", msg);
		break;
	case WATCHDOG_OP_STOP:
		t->hb_stopped = 1;
		if (op->err == WATCHDOG_OK) {
			log_target(LOG_NOTICE, t->name, "watchdog",
			    "disarmed: the timer is stopped");
			(void)snprintf(t->hb_state, sizeof(t->hb_state),
			    "stopped");
		} else
			log_target(LOG_ERR, t->name, "watchdog", "could not "
			    "disarm: %s: the BMC will %s when it runs out",
			    msg, wdt_action_name(hb->cfg.action));
		break;
	default:
		break;
	}
	target_store_hb(t);
}

static void
target_hb_start(struct target *t)
{
	char err[400];

	if (!t->ct->watchdog.enabled || t->conn == NULL)
		return;
	memset(&t->hb, 0, sizeof(t->hb));
	t->hb.cfg = t->ct->watchdog.cfg;
	t->hb.force = t->ct->watchdog.force;
	t->hb.owner_wait_ms = TARGET_OWNER_WAIT_MS;
	if (t->ct->iface == CONF_IFACE_OPEN) {
		/* the ipmi_watchdog driver or a /dev/watchdog holder */
		memset(&t->owner, 0, sizeof(t->owner));
		(void)watchdog_owner_local(NULL, &t->owner);
		t->hb.local = &t->owner;
	}
	t->hb.gate = target_hb_gate;
	t->hb.gate_arg = t;
	if (watchdog_hb_start(&t->hb, t->env->ev, t->conn, target_hb_event, t,
	    err, sizeof(err)) != 0) {
		log_target(LOG_ERR, t->name, "watchdog", "%s", err);
		return;
	}
	t->hb_on = 1;
	t->hb_stopped = 0;
	(void)snprintf(t->hb_state, sizeof(t->hb_state), "arming");
	target_store_hb(t);
}

/* ---- transport ---------------------------------------------------------- */

static void
target_on_event(void *arg, const uint8_t *rec, size_t len)
{
	struct target *t = arg;

	(void)rec;
	(void)len;
	/* the entry is in the SEL already: read it now */
	log_target(LOG_DEBUG, t->name, "sel", "event message: SEL pass now");
	if (t->state != TS_POLLING)
		return;
	t->pending |= RUN_BIT(RUN_SEL);
	target_dispatch(t);
}

static void
target_disconnect(struct target *t)
{
	if (t->hb_on) {
		watchdog_hb_free(&t->hb);
		t->hb_on = 0;
	}
	watchdog_op_cancel(&t->wget);
	console_set_conn(t->con, NULL);
	/* no callback runs from here on: the transport goes first */
	conn_free(t->conn);
	t->conn = NULL;
	target_rf_free(t);
	selmon_free(t->sel);
	t->sel = NULL;
	sensors_free(t->sens);
	t->sens = NULL;
	sdr_cache_free(t->sdr);
	t->sdr = NULL;
	archive_free(t->arch);
	t->arch = NULL;
	memset(&t->cq, 0, sizeof(t->cq));
	if (t->running >= 0)
		t->running = -1;
}

static int
target_connect(struct target *t, char *err, size_t errlen)
{
	const struct conf_target *ct = t->ct;
	struct ipmi_tr_cfg cfg;
	struct ipmi_tr *tr;
	char peer[300];

	if (ct->iface == CONF_IFACE_REDFISH)
		return target_rf_connect(t, err, errlen);
	if (conf_target_trcfg(ct, &cfg) != 0) {
		(void)snprintf(err, errlen, "interface %s is not IPMI",
		    conf_iface_name(ct->iface));
		return -1;
	}
	/* conf_target_trcfg zeroes: no fd, no address yet */
	cfg.fd = -1;
	cfg.addrlen = 0;
	if (ct->iface == CONF_IFACE_OPEN) {
		if ((cfg.fd = priv_device(ct->device, err, errlen)) < 0) {
			lcr_cleanse(&cfg, sizeof(cfg));
			return -1;
		}
	} else {
		memcpy(&cfg.addr, &t->addr, sizeof(cfg.addr));
		cfg.addrlen = t->addrlen;
	}
	tr = ipmi_tr_new(&cfg, err, errlen);
	lcr_cleanse(&cfg, sizeof(cfg));
	if (tr == NULL)
		return -1;
	t->conn = conn_new(t->env->ev, tr);
	t->cx_due_ms = 0;
	t->cx_unsup = 0;
	(void)snprintf(t->peer, sizeof(t->peer), "%s", ipmi_tr_peer(tr));
	if (ct->iface == CONF_IFACE_OPEN)
		(void)snprintf(peer, sizeof(peer), "open-%s", ct->device ?
		    ct->device : "default");
	else
		(void)snprintf(peer, sizeof(peer), "%s-%s-%u",
		    ct->iface == CONF_IFACE_LAN ? "lan" : "lanplus",
		    ct->hostname ? ct->hostname : "", ct->port);
	t->sdr = sdr_cache_new(t->env->ev, t->conn, t->env->io, t->sdr_dir,
	    peer);
	sdr_cache_set_target(t->sdr, t->name);
	t->sens = sensors_new(t->env->ev, t->conn, t->sdr,
	    target_severity(t));
	t->arch = archive_new(&t->acfg);
	t->selcfg.archive = t->arch;
	t->sel = selmon_new(t->env->ev, t->conn, &t->selcfg);
	if (ct->iface == CONF_IFACE_OPEN && ct->in_band_events) {
		if (conn_set_event_cb(t->conn, target_on_event, t) !=
		    IPMI_OK)
			log_target(LOG_WARNING, t->name, "sel", "no in-band "
			    "events (%s): the SEL is read every %u s only",
			    ipmi_tr_error(tr), ct->sel_interval_s);
	}
	target_hb_start(t);
	console_set_conn(t->con, t->conn);
	target_store_stats(t);
	return 0;
}

/* ---- identity run ------------------------------------------------------- */

static void
target_ident_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct target *t = arg;
	uint8_t g[16];
	char msg[300], cc[IPMI_CCODE_TEXT_MAX];

	if (t->running != RUN_IDENT)
		return;
	if (t->ident_step == 0) {
		if (err != IPMI_OK) {
			(void)snprintf(msg, sizeof(msg), "Get Device ID: %s",
			    ipmi_tr_error(conn_tr(t->conn)));
			target_result(t, RUN_IDENT, OUT_NOANSWER, msg);
			return;
		}
		if (rsp->ccode != IPMI_CC_OK || app_devid_decode(rsp->data,
		    rsp->len, &t->ident.d) != IPMI_OK) {
			if (rsp->ccode != IPMI_CC_OK)
				(void)snprintf(msg, sizeof(msg), "Get Device "
				    "ID: %s", ipmi_ccode_fmt(cc, sizeof(cc),
				    IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID,
				    rsp->ccode));
			else
				(void)snprintf(msg, sizeof(msg), "Get Device "
				    "ID: answer too short (%u bytes)",
				    (unsigned)rsp->len);
			target_result(t, RUN_IDENT, OUT_REFUSED, msg);
			return;
		}
		t->ident.rawlen = rsp->len < sizeof(t->ident.raw) ? rsp->len :
		    sizeof(t->ident.raw);
		memcpy(t->ident.raw, rsp->data, t->ident.rawlen);
	} else if (err == IPMI_OK && rsp->ccode == IPMI_CC_OK &&
	    app_guid_decode(rsp->data, rsp->len, g) == IPMI_OK) {
		if (t->ident_step == 1) {
			t->ident.have_devguid = 1;
			app_guid_format(g, t->ident.devguid);
		} else {
			t->ident.have_sysguid = 1;
			app_guid_format(g, t->ident.sysguid);
		}
	}
	if (++t->ident_step <= 2) {
		app_guid_req(&t->ident_req, t->ident_step == 2);
		if (conn_submit(t->conn, &t->ident_req, target_ident_rsp,
		    t) == 0)
			return;
	}
	if (t->st != NULL) {
		struct store_when w;

		target_now(&w);
		store_set_ident(t->env->store, t->st, &t->ident, &w);
	}
	target_result(t, RUN_IDENT, OUT_OK, NULL);
}

static int
target_ident_start(struct target *t)
{
	memset(&t->ident, 0, sizeof(t->ident));
	t->ident_step = 0;
	app_devid_req(&t->ident_req);
	return conn_submit(t->conn, &t->ident_req, target_ident_rsp, t);
}

/* ---- sensors run ------------------------------------------------------- */

static void
target_sensors_done(void *arg, enum sensors_err e)
{
	struct target *t = arg;
	struct store_when w;

	if (t->running != RUN_SENSORS)
		return;
	target_now(&w);
	if (t->st != NULL)
		t->st->health.sweep_ms = w.mono_ms - t->run_t0;
	switch (e) {
	case SENSORS_OK:
		if (t->st != NULL) {
			store_set_sensors(t->env->store, t->st, t->sens, &w);
			store_set_sdr_gen(t->st, sdr_cache_generation(t->sdr),
			    &w);
			t->st->health.sweeps++;
		}
		target_result(t, RUN_SENSORS, OUT_OK, NULL);
		break;
	case SENSORS_E_TRANSPORT:
		target_result(t, RUN_SENSORS, OUT_NOANSWER,
		    sensors_detail(t->sens));
		break;
	default:
		target_result(t, RUN_SENSORS, OUT_REFUSED,
		    sensors_detail(t->sens));
		break;
	}
}

/* ---- SEL run ------------------------------------------------------------ */

static void
target_sel_entry(void *arg, const struct sel_rec *rec,
    const struct sel_desc *desc)
{
	struct target *t = arg;
	const struct conf *c = t->env->conf;
	struct store_when w;

	target_now(&w);
	if (t->st != NULL) {
		/* SEL sequence numbers (the MIB's index) go on from the
		 * count the state file kept: not 1 again after a restart
		 * (a Redfish target has no selmon) */
		uint64_t base = t->sel != NULL ? selmon_archived(t->sel) : 0;

		if (base <= UINT32_MAX - 1 && t->st->sel_seq < base)
			t->st->sel_seq = (uint32_t)base;
		store_sel_add(t->env->store, t->st, rec, desc, &w);
	}
	/* one syslog line per new entry, at its facility, from its level */
	if (c->sel_syslog && (int)desc->sev >= (int)c->sel_syslog_severity) {
		struct archive_entry e;
		char line[ARCHIVE_LINE_MAX + 1];

		memset(&e, 0, sizeof(e));
		e.bmc = t->name;
		e.rec = rec;
		e.desc = desc;
		archive_format(&e, line, sizeof(line));
		log_record(c->sel_syslog_facility, desc->sev ==
		    SEL_SEV_CRITICAL ? LOG_CRIT : desc->sev == SEL_SEV_WARNING ?
		    LOG_WARNING : LOG_INFO, NULL, "sel", "%s", line);
	}
}

static int
target_sel_clearing(int mode)
{
	return mode != SELMON_READ;
}

static void
target_sel_answer(struct target *t, const struct selmon_result *r)
{
	struct ctl_action *a = t->act;
	char msg[1024];
	int code = 0;

	t->act = NULL;
	t->act_sel = 0;
	if (r->err == SELMON_E_TRANSPORT) {
		code = CTL_EUNAVAIL;
		(void)snprintf(msg, sizeof(msg), "%s: sel clear: %s", t->peer,
		    r->msg);
	} else if (r->err != SELMON_OK) {
		code = CTL_EREFUSED;
		(void)snprintf(msg, sizeof(msg), "%s: sel clear: %s: %s",
		    t->peer, selmon_strerror(r->err), r->msg);
	} else if (r->archive_only) {
		code = CTL_EREFUSED;
		(void)snprintf(msg, sizeof(msg), "%s: sel clear: not cleared: "
		    "%s", t->peer, r->msg);
	} else if (ctl_action_req(a)->json)
		(void)snprintf(msg, sizeof(msg), "{\"cleared\":%s,"
		    "\"cleared_entries\":%u,\"new_entries\":%u}\n",
		    r->cleared ? "true" : "false", r->cleared_entries,
		    r->new_entries);
	else if (r->cleared)
		(void)snprintf(msg, sizeof(msg), "sel clear: cleared %u "
		    "entries\n", r->cleared_entries);
	else
		(void)snprintf(msg, sizeof(msg), "sel clear: the SEL is "
		    "empty\n");
	ctl_action_done(a, code, msg);
}

static void
target_sel_done(void *arg, const struct selmon_result *r)
{
	struct target *t = arg;
	struct store_when w;
	enum target_outcome o;

	if (t->running != RUN_SEL)
		return;
	target_now(&w);
	if (t->st != NULL) {
		t->st->health.sel_passes++;
		if (selmon_archived(t->sel) <= UINT32_MAX &&
		    t->st->sel_seq < selmon_archived(t->sel)) {
			t->st->sel_seq = (uint32_t)selmon_archived(t->sel);
			t->st->sel_t.gen++;	/* a new snapshot */
		}
		if (r->cleared)
			store_sel_clear_ours(t->st);
		if (r->err != SELMON_E_TRANSPORT && r->info.version != 0)
			store_set_sel_info(t->env->store, t->st, &r->info,
			    r->used_pct, &w);
		if (r->cleared)
			store_sel_cleared(t->env->store, t->st,
			    r->cleared_entries, &w);
		else if (target_sel_clearing(t->sel_mode) && r->err !=
		    SELMON_OK && r->err != SELMON_E_TRANSPORT &&
		    r->err != SELMON_E_ARCHIVE && r->err != SELMON_E_STATE)
			store_sel_clear_failed(t->env->store, t->st, r->msg,
			    &w);
	}
	if (r->cleared)
		log_target(LOG_NOTICE, t->name, "sel", "%s", r->msg);
	if (r->note[0] != '\0')
		log_target(LOG_WARNING, t->name, "sel", "%s", r->note);
	if (r->err == SELMON_OK && r->archive_only_new)
		log_target(LOG_NOTICE, t->name, "sel", "%s", r->msg);
	if (r->maybe_lost)
		log_target(LOG_WARNING, t->name, "sel", "an entry may have "
		    "been lost to the clear: %s", r->msg);
	o = r->err == SELMON_E_TRANSPORT ? OUT_NOANSWER : r->err == SELMON_OK ?
	    OUT_OK : OUT_REFUSED;
	if (t->act != NULL && t->act_sel && target_sel_clearing(t->sel_mode) &&
	    t->sel_mode == SELMON_CLEAR_NOW)
		target_sel_answer(t, r);
	{
		char msg[400];

		(void)snprintf(msg, sizeof(msg), "%s%s%s",
		    r->err != SELMON_OK ? selmon_strerror(r->err) : "",
		    r->err != SELMON_OK && r->msg[0] ? ": " : "",
		    r->err != SELMON_OK ? r->msg : "");
		target_result(t, RUN_SEL, o, msg);
	}
}

static int
target_sel_start(struct target *t)
{
	const char *key = sdr_cache_key(t->sdr);
	const struct sdr_image *im = sdr_cache_image(t->sdr);

	/* who answers: as `bmcwatch sel archive' names it */
	if (key[0] == '\0')
		t->selcfg.identity = NULL;
	else {
		if (strncmp(key, "guid-", 5) == 0)
			(void)snprintf(t->sel_ident, sizeof(t->sel_ident),
			    "%s", key);
		else
			(void)snprintf(t->sel_ident, sizeof(t->sel_ident),
			    "%.100s@%.90s", key, t->peer);
		t->selcfg.identity = t->sel_ident;
	}
	/* the selmon keeps a copy, made when it was created (before the
	 * SDR cache knew the BMC) */
	if (t->sel != NULL)
		(void)selmon_set_identity(t->sel, t->selcfg.identity);
	/* names from the SDR as it is now (no refresh runs meanwhile) */
	selmon_names_init(&t->names, im != NULL && im->n > 0 ? im : NULL,
	    target_severity(t));
	t->sel_mode = t->sel_mode_next >= 0 ? t->sel_mode_next :
	    (t->ct->sel_clear_at > 0 || t->ct->sel_clear_free > 0) ?
	    SELMON_CLEAR : SELMON_READ;
	t->sel_mode_next = -1;
	return selmon_start(t->sel, t->sel_mode, target_sel_done, t);
}

/* ---- chassis and watchdog timer runs ------------------------------------ */

static void
target_chassis_done(struct chassis_query *q, void *arg)
{
	struct target *t = arg;
	struct store_when w;
	char msg[300], cc[IPMI_CCODE_TEXT_MAX];

	if (t->running != RUN_CHASSIS)
		return;
	if (q->err != IPMI_OK) {
		(void)snprintf(msg, sizeof(msg), "Get Chassis Status: %s",
		    ipmi_tr_error(conn_tr(t->conn)));
		target_result(t, RUN_CHASSIS, OUT_NOANSWER, msg);
		return;
	}
	if (q->snap.status_state != CHASSIS_ITEM_OK) {
		(void)snprintf(msg, sizeof(msg), "Get Chassis Status: %s",
		    q->snap.status_state == CHASSIS_ITEM_BAD ? "answer too "
		    "short" : ipmi_ccode_fmt(cc, sizeof(cc),
		    IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS,
		    q->snap.status_ccode));
		target_result(t, RUN_CHASSIS, OUT_REFUSED, msg);
		return;
	}
	target_now(&w);
	if (q->what != 0) {
		t->cx_due_ms = ev_now() + TARGET_CHASSIS_X_MS;
		if (q->snap.restart_state == CHASSIS_ITEM_UNSUPPORTED)
			t->cx_unsup |= CHASSIS_Q_RESTART;
		if (q->snap.poh_state == CHASSIS_ITEM_UNSUPPORTED)
			t->cx_unsup |= CHASSIS_Q_POH;
		if (q->snap.boot_state == CHASSIS_ITEM_UNSUPPORTED)
			t->cx_unsup |= CHASSIS_Q_BOOTDEV;
		if (t->st != NULL)
			store_set_chassis_extra(t->st, &q->snap, &w);
	}
	/* a power change: the restart cause (and the rest) asked again */
	if (t->cx_power >= 0 && t->cx_power != q->snap.status.power_on)
		t->cx_due_ms = 0;
	t->cx_power = q->snap.status.power_on;
	if (t->st != NULL) {
		store_set_chassis(t->env->store, t->st, &q->snap.status, &w);
		t->st->health.chassis_polls++;
	}
	target_result(t, RUN_CHASSIS, OUT_OK, NULL);
}

static void
target_wdt_done(struct watchdog_op *op, void *arg)
{
	struct target *t = arg;
	struct store_when w;
	char msg[400];

	if (t->running != RUN_WDT)
		return;
	if (op->err == WATCHDOG_OK) {
		target_now(&w);
		if (t->st != NULL)
			store_set_wdt(t->env->store, t->st, &op->timer, &w);
		target_result(t, RUN_WDT, OUT_OK, NULL);
		return;
	}
	watchdog_op_errtext(op, msg, sizeof(msg));
	target_result(t, RUN_WDT, op->err == WATCHDOG_E_TRANSPORT ?
	    OUT_NOANSWER : OUT_REFUSED, msg);
}

/* ---- runs, health, backoff ---------------------------------------------- */

static int
target_run_start(struct target *t, enum target_run r)
{
	if (t->rf != NULL)
		return target_rf_start(t, r);
	switch (r) {
	case RUN_IDENT:
		return target_ident_start(t);
	case RUN_SEL:
		return target_sel_start(t);
	case RUN_SENSORS:
		return sensors_sweep(t->sens, target_sensors_done, t);
	case RUN_CHASSIS:
		memset(&t->cq, 0, sizeof(t->cq));
		t->cq.what = ev_now() >= t->cx_due_ms ? CHASSIS_Q_ALL &
		    ~t->cx_unsup : 0;
		return chassis_query_start(&t->cq, t->conn,
		    target_chassis_done, t);
	case RUN_WDT:
		watchdog_op_cancel(&t->wget);
		memset(&t->wget, 0, sizeof(t->wget));
		t->wget.kind = WATCHDOG_OP_GET;
		return watchdog_op_start(&t->wget, t->env->ev, t->conn,
		    target_wdt_done, t);
	default:
		return -1;
	}
}

static void
target_dispatch(struct target *t)
{
	static const enum target_run order[] = { RUN_IDENT, RUN_SEL,
	    RUN_SENSORS, RUN_CHASSIS, RUN_WDT };
	size_t i;

	while (t->running < 0 && (t->conn != NULL || t->rf != NULL) &&
	    t->pending != 0) {
		enum target_run r = RUN__N;

		if (t->state == TS_UNREACHABLE)
			t->pending &= RUN_BIT(RUN_IDENT);
		else if (t->state != TS_POLLING)
			t->pending = 0;
		for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
			if (!(t->pending & RUN_BIT(order[i])))
				continue;
			/* the first SEL pass knows who answers: after the
			 * first sweep found the SDR cache key */
			if (order[i] == RUN_SEL && !(t->polled &
			    RUN_BIT(RUN_SENSORS)) && (t->pending &
			    RUN_BIT(RUN_SENSORS)))
				continue;
			r = order[i];
			break;
		}
		if (r == RUN__N)
			return;
		t->pending &= ~RUN_BIT(r);
		t->running = (int)r;
		t->run_t0 = ev_now();
		t->prog_ms = t->run_t0;
		if (target_run_start(t, r) != 0) {
			t->running = -1;
			log_target(LOG_DEBUG, t->name, target_run_name[r],
			    "could not start (busy)");
			if (t->st != NULL)
				t->st->health.skipped++;
		}
	}
}

static int64_t
target_on_tick(struct target *t, enum target_run r)
{
	unsigned iv = r == RUN_SENSORS ? t->ct->sensor_interval_s :
	    r == RUN_SEL ? t->ct->sel_interval_s : t->ct->chassis_interval_s;

	if (t->state != TS_POLLING)
		return EV_STOP;
	if ((t->pending & RUN_BIT(r)) || t->running == (int)r) {
		if (t->st != NULL)
			t->st->health.skipped++;
	} else
		t->pending |= RUN_BIT(r);
	target_dispatch(t);
	return (int64_t)iv * 1000;
}

static int64_t
target_tick_sensors(void *arg)
{
	return target_on_tick(arg, RUN_SENSORS);
}

static int64_t
target_tick_sel(void *arg)
{
	return target_on_tick(arg, RUN_SEL);
}

static int64_t
target_tick_chassis(void *arg)
{
	return target_on_tick(arg, RUN_CHASSIS);
}

static int64_t
target_tick_wdt(void *arg)
{
	return target_on_tick(arg, RUN_WDT);
}

/* every subsystem now, then at its interval */
static void
target_ticks_arm(struct target *t, int64_t delay)
{
	int r;

	for (r = RUN_SEL; r < RUN__N; r++)
		ev_timer_set(t->env->ev, t->tick[r], delay);
}

static void
target_ticks_disarm(struct target *t)
{
	int r;

	for (r = RUN_SEL; r < RUN__N; r++)
		ev_timer_set(t->env->ev, t->tick[r], -1);
}

static void
target_probe_arm(struct target *t)
{
	ev_timer_set(t->env->ev, t->probe, (int64_t)t->backoff_ms);
}

/*
 * The backoff policy, one for every failed probe (no answer, a name
 * that does not resolve, a transport that cannot be opened): from
 * TARGET_BACKOFF_MIN_MS (set when the target becomes unreachable or
 * answers again), doubled at each failure up to backoff-max.  Returns
 * the delay to the next probe.
 */
static uint64_t
target_backoff_next(struct target *t)
{
	t->backoff_ms *= 2;
	if (t->backoff_ms > t->ct->backoff_max_s * 1000ull)
		t->backoff_ms = t->ct->backoff_max_s * 1000ull;
	return t->backoff_ms;
}

static void
target_unreachable(struct target *t, const char *why)
{
	struct store_when w;

	t->state = TS_UNREACHABLE;
	t->pending = 0;
	target_ticks_disarm(t);
	target_now(&w);
	if (t->st != NULL)
		store_set_state(t->env->store, t->st, STORE_T_UNREACHABLE, why,
		    &w);
	log_target(LOG_WARNING, t->name, "target", "unreachable after %u "
	    "failed polls (%s); probing every %.0f s, backing off to %u s",
	    t->fails, why, TARGET_BACKOFF_MIN_MS / 1000.0,
	    t->ct->backoff_max_s);
	if (t->act != NULL) {
		struct ctl_action *a = t->act;

		t->act = NULL;
		t->act_sel = 0;
		ctl_action_done(a, CTL_EUNAVAIL, "the BMC became unreachable");
	}
	t->backoff_ms = TARGET_BACKOFF_MIN_MS;
	target_set_ready(t);
	/* the BMC may have moved */
	if (target_is_lan(t))
		target_resolve(t);
	target_probe_arm(t);
}

/*
 * The target cannot be opened (no device node, no libcurl for Redfish
 * ...): the reason in the socket's last_error, and logged once, the
 * repeats summed up by the limiter (not once per probe).
 */
static void
target_connect_failed(struct target *t, const char *err)
{
	struct store_when w;

	target_now(&w);
	if (t->st != NULL)
		store_run_failed(t->st, err, &w);
	(void)log_fail(&t->lim, ev_now(), LOG_ERR, t->name, "target", "%s",
	    err);
}

static void
target_recovered(struct target *t)
{
	struct store_when w;

	t->state = TS_POLLING;
	t->backoff_ms = TARGET_BACKOFF_MIN_MS;
	ev_timer_set(t->env->ev, t->probe, -1);
	target_now(&w);
	if (t->st != NULL)
		store_set_state(t->env->store, t->st, STORE_T_UP,
		    "reachable again", &w);
	target_ticks_arm(t, 0);
	console_kick(t->con);
}

static void
target_result(struct target *t, enum target_run r, enum target_outcome o,
    const char *msg)
{
	struct store_when w;
	uint64_t now = ev_now();

	if (t->running == (int)r)
		t->running = -1;
	t->polled |= RUN_BIT(r);
	target_now(&w);
	target_store_stats(t);
	if (t->state == TS_STOPPING)
		return;
	if (o == OUT_NOANSWER) {
		t->fails++;
		if (t->st != NULL)
			store_run_failed(t->st, msg ? msg : "no answer", &w);
		(void)log_fail(&t->lim, now, LOG_WARNING, t->name,
		    target_run_name[r], "%s", msg ? msg : "no answer");
		if (t->state == TS_POLLING &&
		    t->fails >= t->ct->unreachable_after)
			target_unreachable(t, msg ? msg : "no answer");
		else if (t->state == TS_UNREACHABLE && r == RUN_IDENT) {
			(void)target_backoff_next(t);
			if (target_is_lan(t))
				target_resolve(t);
			target_probe_arm(t);
		}
	} else {
		int was = t->state;

		log_recover(&t->lim, t->name, "target", was == TS_UNREACHABLE ?
		    "reachable again" : "answering again");
		t->fails = 0;
		if (t->st != NULL) {
			store_run_ok(t->st, &w);
			if (o == OUT_REFUSED)
				store_run_refused(t->st, msg ? msg :
				    "refused", &w);
			if (was == TS_POLLING)
				store_set_state(t->env->store, t->st,
				    STORE_T_UP, "", &w);
		}
		if (o == OUT_REFUSED)
			(void)log_fail(&t->run_lim[r], now, LOG_WARNING,
			    t->name, target_run_name[r], "%s", msg ? msg :
			    "refused");
		else
			log_recover(&t->run_lim[r], t->name,
			    target_run_name[r], "works again");
		if (was == TS_UNREACHABLE)
			target_recovered(t);
	}
	if ((t->polled & RUN_POLLS) == RUN_POLLS)
		target_set_ready(t);
	target_dispatch(t);
}

/* ---- name resolution ---------------------------------------------------- */

static void
target_dns_run(void *arg)
{
	struct target_dns *d = arg;

	d->rc = lan_udp_resolve(d->host, d->port, &d->addr, &d->addrlen,
	    d->err, sizeof(d->err));
}

static void
target_start_polling(struct target *t)
{
	struct store_when w;

	target_now(&w);
	if (t->st != NULL)
		store_set_state(t->env->store, t->st, STORE_T_STARTING, "",
		    &w);
	t->state = TS_POLLING;
	t->pending |= RUN_BIT(RUN_IDENT);
	target_ticks_arm(t, 0);
	target_dispatch(t);
}

static void
target_dns_done(void *arg)
{
	struct target_dns *d = arg;
	struct target *t = d->t;
	char err[300];

	if (t == NULL) {
		free(d);
		return;
	}
	t->dns = NULL;
	if (d->rc != 0) {
		if (t->state == TS_RESOLVING) {
			/* as a failed poll: unreachable after N, then
			 * probes, each resolving again */
			t->fails++;
			(void)log_fail(&t->lim, ev_now(), LOG_WARNING, t->name,
			    "target", "%s", d->err);
			if (t->fails >= t->ct->unreachable_after) {
				target_unreachable(t, d->err);
				t->probe_due = 0;
			} else {
				t->backoff_ms = TARGET_BACKOFF_MIN_MS;
				t->probe_due = 1;
				target_probe_arm(t);
			}
		} else if (t->probe_due) {
			t->probe_due = 0;
			t->fails++;
			(void)log_fail(&t->lim, ev_now(), LOG_WARNING, t->name,
			    "target", "%s", d->err);
			if (t->st != NULL) {
				struct store_when w;

				target_now(&w);
				store_run_failed(t->st, d->err, &w);
			}
			(void)target_backoff_next(t);
			target_probe_arm(t);
		}
		free(d);
		return;
	}
	if (t->addrlen == d->addrlen && memcmp(&t->addr, &d->addr,
	    d->addrlen) == 0 && t->conn != NULL) {
		free(d);
		if (t->probe_due) {
			t->probe_due = 0;
			t->pending |= RUN_BIT(RUN_IDENT);
			target_dispatch(t);
		}
		return;
	}
	/* a first address, or the BMC moved: a new transport */
	if (t->conn != NULL)
		log_target(LOG_NOTICE, t->name, "target", "%s resolves to a new "
		    "address: reconnecting", d->host);
	memcpy(&t->addr, &d->addr, sizeof(t->addr));
	t->addrlen = d->addrlen;
	free(d);
	if (t->conn != NULL && t->running >= 0) {
		/* after the run in flight: the next probe reconnects */
		t->reconnect = 1;
		if (t->probe_due) {
			t->probe_due = 0;
			target_probe_arm(t);
		}
		return;
	}
	t->reconnect = 0;
	target_disconnect(t);
	if (target_connect(t, err, sizeof(err)) != 0) {
		/* a failed probe, as in target_on_probe */
		t->fails++;
		target_connect_failed(t, err);
		(void)target_backoff_next(t);
		target_probe_arm(t);
		return;
	}
	if (t->state == TS_RESOLVING) {
		target_start_polling(t);
		return;
	}
	if (t->probe_due) {
		t->probe_due = 0;
		t->pending |= RUN_BIT(RUN_IDENT);
		target_dispatch(t);
	}
}

static void
target_resolve(struct target *t)
{
	struct target_dns *d;

	if (t->dns != NULL)
		return;		/* one at a time */
	d = xcalloc(1, sizeof(*d));
	d->t = t;
	(void)snprintf(d->host, sizeof(d->host), "%s", t->ct->hostname ?
	    t->ct->hostname : "");
	d->port = t->ct->port;
	if (work_submit(t->env->dns, target_dns_run, target_dns_done,
	    d) != 0) {
		free(d);
		log_target(LOG_WARNING, t->name, "target", "resolver queue "
		    "full: trying again later");
		return;
	}
	t->dns = d;
}

static int64_t
target_on_probe(void *arg)
{
	struct target *t = arg;
	char err[300];

	if (t->state == TS_STOPPING)
		return EV_STOP;
	if (t->dns != NULL) {
		t->probe_due = 1;	/* when the name is resolved */
		return EV_STOP;
	}
	if (t->state == TS_RESOLVING) {
		t->probe_due = 0;
		target_resolve(t);
		return EV_STOP;
	}
	if (t->reconnect && t->running < 0) {
		t->reconnect = 0;
		target_disconnect(t);
	}
	/* a Redfish client is kept across the outage: one session */
	if (t->conn == NULL && t->rf == NULL &&
	    target_connect(t, err, sizeof(err)) != 0) {
		t->fails++;
		target_connect_failed(t, err);
		return (int64_t)target_backoff_next(t);
	}
	if (t->st != NULL)
		t->st->health.probes++;
	t->pending |= RUN_BIT(RUN_IDENT);
	target_dispatch(t);
	return EV_STOP;
}

/* ---- the serial console (console.c) ----------------------------------- */

static void
target_console_new(struct target *t)
{
	struct console_env ce;

	if (!t->ct->sol.enabled || t->ct->iface != CONF_IFACE_LANPLUS)
		return;
	memset(&ce, 0, sizeof(ce));
	ce.ev = t->env->ev;
	ce.io = t->env->io;
	ce.store = t->env->store;
	ce.st = t->st;
	ce.name = t->name;
	ce.archive_dir = t->env->conf->archive_dir;
	ce.backoff_max_s = t->ct->backoff_max_s;
	t->con = console_new(&ce, &t->ct->sol);
}

int
target_console(struct target *t, struct ctl_stream *s, char *err,
    size_t errlen)
{
	if (t->con == NULL) {
		(void)snprintf(err, errlen, "%s: sol: no console: the target "
		    "has no sol block", t->name);
		return CTL_EUSAGE;
	}
	return console_attach(t->con, s, err, errlen);
}

/* ---- life --------------------------------------------------------------- */

struct target *
target_new(struct target_env *env, const struct conf_target *ct)
{
	const struct conf *c = env->conf;
	struct target *t = xcalloc(1, sizeof(*t));
	struct store_when w;
	char err[300];

	t->env = env;
	t->ct = ct;
	t->running = -1;
	t->sel_mode_next = -1;
	(void)snprintf(t->name, sizeof(t->name), "%s", ct->name);
	t->builtin = severity_new();
	t->sdr_dir = target_path(c->state_dir, "sdr", "", "");
	t->state_path = target_path(c->state_dir, "sel-", t->name, ".state");
	t->acks_path = target_path(c->state_dir, "sel-", t->name, ".acks");
	t->archive_path = target_path(c->archive_dir, "sel-", t->name,
	    ".log");
	t->rf_cur_path = target_path(c->state_dir, "rf-", t->name,
	    ".cursor");
	t->acfg.path = t->archive_path;
	t->acfg.reopen_each = 0;
	t->selcfg.bmc = t->name;
	t->selcfg.state_path = t->state_path;
	t->selcfg.archive_path = t->archive_path;
	t->selcfg.clear_at = (int)ct->sel_clear_at;
	t->selcfg.clear_free = ct->sel_clear_free;
	t->selcfg.delete_entries = ct->sel_delete_entries;
	t->selcfg.names = &t->names.names;
	t->selcfg.on_entry = target_sel_entry;
	t->selcfg.arg = t;
	t->selcfg.io = env->io;
	if (ct->watchdog.enabled && ct->watchdog.nchecks > 0 &&
	    (t->health = health_new(env->ev, env->spawn, env->checks,
	    &ct->watchdog, t->name)) == NULL)
		fatalx("target", "%s: the watchdog's checks", t->name);
	t->tick[RUN_SEL] = ev_timer_add(env->ev, -1, target_tick_sel, t);
	t->tick[RUN_SENSORS] = ev_timer_add(env->ev, -1, target_tick_sensors,
	    t);
	t->tick[RUN_CHASSIS] = ev_timer_add(env->ev, -1, target_tick_chassis,
	    t);
	t->tick[RUN_WDT] = ev_timer_add(env->ev, -1, target_tick_wdt, t);
	t->probe = ev_timer_add(env->ev, -1, target_on_probe, t);
	t->backoff_ms = TARGET_BACKOFF_MIN_MS;
	if ((t->st = store_target_add(env->store, t->name)) == NULL)
		fatalx("target", "%s: twice in the store", t->name);
	store_target_config(t->st, ct->sensor_interval_s, ct->sel_interval_s,
	    ct->chassis_interval_s, ct->allow, conf_iface_name(ct->iface));
	store_target_sel_config(t->st, ct->sel_clear_at, ct->sel_nearly_full);
	t->cx_power = -1;
	target_console_new(t);
	target_now(&w);
	log_target(LOG_INFO, t->name, "target", "starting: %s %s%s",
	    conf_iface_name(ct->iface), ct->iface == CONF_IFACE_OPEN ?
	    (ct->device ? ct->device : "(probe /dev/ipmi0 ...)") :
	    ct->hostname ? ct->hostname : "", "");
	if (target_is_lan(t)) {
		t->state = TS_RESOLVING;
		store_set_state(env->store, t->st, STORE_T_RESOLVING, "", &w);
		target_resolve(t);
		return t;
	}
	if (target_connect(t, err, sizeof(err)) != 0) {
		/* the node may come (modprobe): as an unreachable BMC */
		target_connect_failed(t, err);
		t->state = TS_POLLING;
		t->fails = ct->unreachable_after;
		target_unreachable(t, err);
		return t;
	}
	target_start_polling(t);
	return t;
}

void
target_rebind(struct target *t, const struct conf_target *ct)
{
	t->ct = ct;
	if (t->sens != NULL)
		sensors_set_severity(t->sens, target_severity(t));
	if (t->st != NULL) {
		store_target_config(t->st, ct->sensor_interval_s,
		    ct->sel_interval_s, ct->chassis_interval_s, ct->allow,
		    conf_iface_name(ct->iface));
		store_target_sel_config(t->st, ct->sel_clear_at,
		    ct->sel_nearly_full);
	}
}

void
target_reopen(struct target *t)
{
	if (t->arch != NULL)
		archive_reopen(t->arch);
	console_reopen(t->con);
}

int
target_stuck(struct target *t, uint64_t now, char *why, size_t len)
{
	const struct ipmi_tr_stats *s;
	uint64_t sum, bound;

	target_store_stats(t);
	if (t->running < 0 || (t->conn == NULL && t->rf == NULL)) {
		t->stuck = 0;
		goto done;
	}
	if (t->rf != NULL)
		sum = t->rf_prog + redfish_stats(t->rf)->requests +
		    redfish_stats(t->rf)->bytes_in;
	else {
		/* SOL payloads flowing are no progress of the run */
		s = ipmi_tr_stats(conn_tr(t->conn));
		sum = s->packets_out + s->packets_in + s->requests +
		    s->retransmits - s->payloads_out - s->payloads_in;
	}
	bound = 2ull * t->ct->timeout_ms + TARGET_STUCK_EXTRA_MS;
	if (sum != t->prog_sum) {
		t->prog_sum = sum;
		t->prog_ms = now;
	}
	if (now - t->prog_ms > bound) {
		if (!t->stuck)
			log_target(LOG_CRIT, t->name, "target", "%s run in "
			    "flight for %.1f s without any progress: the "
			    "daemon is not making progress (a bug)",
			    target_run_name[t->running],
			    (now - t->run_t0) / 1000.0);
		t->stuck = 1;
		(void)snprintf(why, len, "%s: %s run stuck for %.1f s",
		    t->name, target_run_name[t->running],
		    (now - t->prog_ms) / 1000.0);
	} else
		t->stuck = 0;
done:
	if (t->st != NULL)
		t->st->health.stuck = t->stuck;
	return t->stuck;
}

/* ---- control socket actions --------------------------------------------- */

static const char *
target_power_word(uint8_t c)
{
	static const char *const w[] = { "off", "on", "cycle", "reset",
	    "diag", "soft" };

	return c < sizeof(w) / sizeof(w[0]) ? w[c] : "?";
}

static void
target_act_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct target *t = arg;
	struct ctl_action *a = t->act;
	const struct ctl_req *r;
	const char *what;
	char msg[400], cc[IPMI_CCODE_TEXT_MAX];

	if (a == NULL)
		return;
	t->act = NULL;
	r = ctl_action_req(a);
	what = r->verb == CTL_CHASSIS_POWER ? "Chassis Control" :
	    "Chassis Identify";
	if (err != IPMI_OK) {
		(void)snprintf(msg, sizeof(msg), "%s: %s: %s", t->peer, what,
		    ipmi_tr_error(conn_tr(t->conn)));
		ctl_action_done(a, CTL_EUNAVAIL, msg);
		return;
	}
	if (rsp->ccode != IPMI_CC_OK) {
		(void)snprintf(msg, sizeof(msg), "%s: %s: %s", t->peer, what,
		    ipmi_ccode_fmt(cc, sizeof(cc), t->act_req.netfn,
		    t->act_req.cmd, rsp->ccode));
		ctl_action_done(a, CTL_EREFUSED, msg);
		return;
	}
	if (r->verb == CTL_CHASSIS_POWER) {
		log_target(LOG_NOTICE, t->name, "chassis", "power %s (control "
		    "socket)", target_power_word(r->power));
		if (r->json)
			(void)snprintf(msg, sizeof(msg), "{\"chassis_power_"
			    "control\":\"%s\"}\n", target_power_word(r->power));
		else
			(void)snprintf(msg, sizeof(msg), "Chassis Power "
			    "Control: %s\n", chassis_control_name(r->power));
	} else if (r->json) {
		if (r->identify_force)
			(void)snprintf(msg, sizeof(msg), "{\"identify\":"
			    "\"indefinite\"}\n");
		else
			(void)snprintf(msg, sizeof(msg), "{\"identify_"
			    "seconds\":%d}\n", r->identify_s < 0 ? 15 :
			    r->identify_s);
	} else if (r->identify_force)
		(void)snprintf(msg, sizeof(msg), "Chassis identify interval: "
		    "indefinite\n");
	else if (r->identify_s < 0)
		(void)snprintf(msg, sizeof(msg), "Chassis identify interval: "
		    "default (15 seconds)\n");
	else if (r->identify_s == 0)
		(void)snprintf(msg, sizeof(msg), "Chassis identify interval: "
		    "off\n");
	else
		(void)snprintf(msg, sizeof(msg), "Chassis identify interval: "
		    "%d seconds\n", r->identify_s);
	ctl_action_done(a, 0, msg);
}

static void
target_ack_run(void *arg)
{
	struct target_ack *k = arg;

	k->rc = state_ack_append(k->path, k->raw, k->err, sizeof(k->err));
}

static void
target_ack_done(void *arg)
{
	struct target_ack *k = arg;
	struct target *t = k->t;
	struct ctl_action *a;
	char msg[400];

	if (t != NULL) {
		t->ack = NULL;
		a = t->act;
		t->act = NULL;
		if (k->rc != 0) {
			log_target(LOG_ERR, t->name, "sel", "ack: %s", k->err);
			(void)snprintf(msg, sizeof(msg), "%s: sel ack: %s",
			    t->name, k->err);
			if (a != NULL)
				ctl_action_done(a, CTL_EREFUSED, msg);
		} else {
			if (t->st != NULL)
				(void)store_sel_ack(t->env->store, t->st,
				    k->raw);
			log_target(LOG_NOTICE, t->name, "sel", "entry 0x%04x "
			    "acknowledged (control socket)", k->id);
			(void)snprintf(msg, sizeof(msg), "sel ack: record "
			    "0x%04x acknowledged\n", k->id);
			if (a != NULL)
				ctl_action_done(a, 0, msg);
		}
	}
	free(k->path);
	free(k);
}

static int
target_act_ack(struct target *t, struct ctl_action *a, char *err,
    size_t errlen)
{
	const struct ctl_req *r = ctl_action_req(a);
	const struct store_sel_entry *e = NULL;
	struct target_ack *k;
	size_t i;

	for (i = t->st != NULL ? t->st->nrecent : 0; i > 0; i--) {
		const struct store_sel_entry *x = store_sel_recent(t->st,
		    i - 1);

		if (x->rec.id == r->sel_id) {
			e = x;
			break;
		}
	}
	if (e == NULL) {
		(void)snprintf(err, errlen, "%s: sel ack: no record 0x%04x "
		    "among the %zu newest entries the daemon read", t->name,
		    r->sel_id, t->st != NULL ? t->st->nrecent : 0);
		return CTL_EREFUSED;
	}
	k = xcalloc(1, sizeof(*k));
	k->t = t;
	k->path = xstrdup(t->acks_path);
	k->id = r->sel_id;
	memcpy(k->raw, e->rec.raw, SEL_RECORD_LEN);
	if (work_submit(t->env->io, target_ack_run, target_ack_done, k) != 0) {
		free(k->path);
		free(k);
		(void)snprintf(err, errlen, "%s: sel ack: the disk queue is "
		    "full; try again", t->name);
		return CTL_EUNAVAIL;
	}
	t->ack = k;
	t->act = a;
	return 0;
}

int
target_action(struct target *t, struct ctl_action *a, char *err,
    size_t errlen)
{
	const struct ctl_req *r = ctl_action_req(a);

	if (t->state != TS_POLLING || (t->conn == NULL && t->rf == NULL)) {
		(void)snprintf(err, errlen, "%s: %s: %s", t->name,
		    ctl_verb_name(r->verb), t->state == TS_STOPPING ?
		    "stopping" : "unreachable");
		return CTL_EUNAVAIL;
	}
	if (t->act != NULL) {
		(void)snprintf(err, errlen, "%s: %s: busy: another action is "
		    "in flight", t->name, ctl_verb_name(r->verb));
		return CTL_EREFUSED;
	}
	if (t->rf != NULL)
		return target_rf_action(t, a, err, errlen);
	switch (r->verb) {
	case CTL_CHASSIS_POWER:
	case CTL_CHASSIS_IDENTIFY:
		if (t->ct->iface != CONF_IFACE_OPEN &&
		    chassis_priv_ok((uint8_t)t->ct->priv) != 0) {
			(void)snprintf(err, errlen, "%s: %s: refused: needs "
			    "the operator privilege, but the target's session "
			    "is at %s level (privilege in bmcwatchd.conf)",
			    t->name, ctl_verb_name(r->verb),
			    ipmi_priv_name((uint8_t)t->ct->priv));
			return CTL_EUSAGE;
		}
		if (r->verb == CTL_CHASSIS_POWER)
			chassis_control_req(&t->act_req, r->power);
		else
			chassis_identify_req(&t->act_req, r->identify_s,
			    r->identify_force);
		if (conn_submit(t->conn, &t->act_req, target_act_rsp, t) != 0) {
			(void)snprintf(err, errlen, "%s: %s: request queue "
			    "full", t->name, ctl_verb_name(r->verb));
			return CTL_EUNAVAIL;
		}
		t->act = a;
		return 0;
	case CTL_SEL_CLEAR:
		t->act = a;
		t->act_sel = 1;
		t->sel_mode_next = SELMON_CLEAR_NOW;
		/* a pass in flight runs with its own mode: the clear is the
		 * next one */
		t->pending |= RUN_BIT(RUN_SEL);
		target_dispatch(t);
		return 0;
	case CTL_SEL_ACK:
		return target_act_ack(t, a, err, errlen);
	default:
		(void)snprintf(err, errlen, "%s: not an action",
		    ctl_verb_name(r->verb));
		return CTL_EUSAGE;
	}
}

/* ---- interface redfish -------------------------------------------------- */

/*
 * A Redfish target runs the same runs, health and backoff as an IPMI one,
 * with agent/http/redfish.c on the same loop instead of conn: identity
 * (also the probe while unreachable) from the service root, manager and
 * system; sensors; the system's power and health as the chassis; the
 * HostWatchdogTimer (read-only; not asked again once the service says it
 * has none); the log services as the SEL, incremental by the cursor
 * kept in STATE_DIR/rf-NAME.cursor (loaded and saved on the io worker).
 * An HTTP failure (connect, TLS, timeout, truncated) is a poll without
 * an answer; an error status or a body not as the schema says is an
 * answer.  One session, deleted on stop and on SIGHUP removal.
 */

struct target_rfio {
	struct target	*t;	/* NULL: the target went away */
	char		*path;
	int		 load;	/* 1 load, 0 save */
	struct redfish_cursor cur;
	int		 rc;	/* 0, 1 no file, -1 error */
	char		 err[300];
	int		 again;	/* save once more when done */
};

static void
target_rf_io_run(void *arg)
{
	struct target_rfio *io = arg;
	char tmp[PATH_MAX_TARGET];
	unsigned char raw[sizeof(io->cur) + 1];	/* a longer file too */
	ssize_t n;
	int fd;

	if (!io->load) {
		(void)snprintf(tmp, sizeof(tmp), "%s.tmp", io->path);
		io->rc = fileio_replace(io->path, tmp, &io->cur,
		    sizeof(io->cur), 0600, io->err, sizeof(io->err));
		return;
	}
	if ((fd = open(io->path, O_RDONLY | O_CLOEXEC)) < 0) {
		io->rc = errno == ENOENT ? 1 : -1;
		(void)snprintf(io->err, sizeof(io->err), "%s: %s", io->path,
		    strerror(errno));
		return;
	}
	n = fileio_read_all(fd, raw, sizeof(raw));
	(void)close(fd);
	io->rc = n >= 0 && redfish_cursor_load(raw, (size_t)n, &io->cur) == 0 ?
	    0 : -1;
	if (io->rc != 0)
		(void)snprintf(io->err, sizeof(io->err), "%s: not a log "
		    "cursor of this version (%zd bytes)", io->path, n);
}

static void	target_rf_save(struct target *);

/*
 * The entries of a log pass appended to the target's SEL archive (and
 * fsynced) on the io worker.  Only once they are there do they reach
 * the store (events, webhooks) and does the cursor move (saved next):
 * a crash or a failed write in between reads them again (at least
 * once), and nothing is cleared that is not on the disk.
 */
struct target_rfarch {
	struct target	*t;	/* NULL: the target went away */
	struct archive	*arch;	/* held */
	char		*bmc;
	struct sel_rec	*rec;
	struct sel_desc	*desc;
	size_t		 n;
	struct redfish_cursor next;	/* past these entries */
	int		 rc;
	char		 err[300];
};

static void
target_rf_arch_run(void *arg)
{
	struct target_rfarch *a = arg;
	struct archive_entry *e;
	size_t i;

	if (a->n == 0 || a->arch == NULL) {
		a->rc = 0;
		return;
	}
	e = xcalloc(a->n, sizeof(*e));
	for (i = 0; i < a->n; i++) {
		e[i].bmc = a->bmc;
		e[i].rec = &a->rec[i];
		e[i].desc = &a->desc[i];
	}
	a->rc = archive_write(a->arch, e, a->n, a->err, sizeof(a->err));
	free(e);
}

static void	target_rf_sel_archived(struct target *, int ok,
		    const char *err);

static void
target_rf_arch_done(void *arg)
{
	struct target_rfarch *a = arg;
	struct target *t = a->t;
	struct store_when w;
	size_t i;

	if (t != NULL) {
		t->rf_arch = NULL;
		t->rf_prog++;
		if (a->rc != 0)
			log_target(LOG_ERR, t->name, "sel", "archive: %s (the "
			    "log cursor is not moved: read again next pass)",
			    a->err);
		else {
			t->rf_cur = a->next;
			target_now(&w);
			for (i = 0; i < a->n; i++)
				target_sel_entry(t, &a->rec[i], &a->desc[i]);
			target_rf_save(t);
		}
		target_rf_sel_archived(t, a->rc == 0, a->err);
	}
	archive_free(a->arch);
	free(a->bmc);
	free(a->rec);
	free(a->desc);
	free(a);
}

/* the entries listed appended to the archive; -1 if it cannot start */
static int
target_rf_archive(struct target *t, const struct redfish_cursor *next)
{
	struct target_rfarch *a;
	size_t i, n = redfish_log_count(t->rf);

	a = xcalloc(1, sizeof(*a));
	a->t = t;
	a->arch = t->arch != NULL ? archive_hold(t->arch) : NULL;
	a->bmc = xstrdup(t->name);
	a->n = n;
	a->next = *next;
	a->rec = xcalloc(n + 1, sizeof(*a->rec));
	a->desc = xcalloc(n + 1, sizeof(*a->desc));
	for (i = 0; i < a->n; i++) {
		a->rec[i] = redfish_log_entry(t->rf, i)->rec;
		a->desc[i] = redfish_log_entry(t->rf, i)->desc;
	}
	if (work_submit(t->env->io, target_rf_arch_run, target_rf_arch_done,
	    a) != 0) {
		log_target(LOG_ERR, t->name, "sel", "io queue full: %zu log "
		    "entries not archived (read again next pass)", n);
		a->t = NULL;
		target_rf_arch_done(a);
		return -1;
	}
	t->rf_arch = a;
	return 0;
}

static void
target_rf_io_done(void *arg)
{
	struct target_rfio *io = arg;
	struct target *t = io->t;

	if (t == NULL) {
		free(io->path);
		free(io);
		return;
	}
	t->rf_io = NULL;
	if (io->load) {
		if (io->rc == 0)
			t->rf_cur = io->cur;
		else {
			memset(&t->rf_cur, 0, sizeof(t->rf_cur));
			t->rf_cur.version = REDFISH_CURSOR_VERSION;
			if (io->rc < 0)
				log_target(LOG_WARNING, t->name, "sel", "%s: "
				    "every log entry is read as new", io->err);
		}
		t->rf_cur_state = 1;
		if (t->state == TS_POLLING) {
			t->pending |= RUN_BIT(RUN_SEL);
			target_dispatch(t);
		}
	} else if (io->rc != 0)
		log_target(LOG_ERR, t->name, "sel", "log cursor not saved: %s",
		    io->err);
	free(io->path);
	if (io->again && t->state != TS_STOPPING) {
		free(io);
		target_rf_save(t);
		return;
	}
	free(io);
}

static void
target_rf_io(struct target *t, int load)
{
	struct target_rfio *io;

	if (t->rf_io != NULL) {
		if (!load)
			t->rf_io->again = 1;
		return;
	}
	io = xcalloc(1, sizeof(*io));
	io->t = t;
	io->load = load;
	io->path = xstrdup(t->rf_cur_path);
	io->cur = t->rf_cur;
	if (work_submit(t->env->io, target_rf_io_run, target_rf_io_done,
	    io) != 0) {
		log_target(LOG_ERR, t->name, "sel", "io queue full: log cursor "
		    "not %s", load ? "loaded" : "saved");
		free(io->path);
		free(io);
		if (load)
			t->rf_cur_state = 1;
		return;
	}
	t->rf_io = io;
}

static void
target_rf_save(struct target *t)
{
	target_rf_io(t, 0);
}

static int
target_rf_connect(struct target *t, char *err, size_t errlen)
{
	const struct conf_target *ct = t->ct;
	struct redfish_cfg cfg;
	char url[300];

	/* an IPv6 literal in brackets */
	(void)snprintf(url, sizeof(url), "%s://%s%s%s:%u", ct->https ?
	    "https" : "http", strchr(ct->hostname, ':') ? "[" : "",
	    ct->hostname, strchr(ct->hostname, ':') ? "]" : "", ct->port);
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = url;
	cfg.user = ct->username;
	cfg.password = (const char *)ct->password.p;
	cfg.ca_file = ct->ca_file;
	cfg.insecure = ct->insecure;
	cfg.timeout_ms = ct->timeout_ms;
	cfg.sev = ct->severity;
	if ((t->rf = redfish_new(t->env->ev, &cfg, err, errlen)) == NULL)
		return -1;
	t->rf_closed = 0;
	if (t->arch == NULL)
		t->arch = archive_new(&t->acfg);
	(void)snprintf(t->peer, sizeof(t->peer), "%s", redfish_url(t->rf));
	/* said at every start, as the configuration asks for it */
	if (ct->insecure && ct->https)
		log_target(LOG_WARNING, t->name, "target", "%s: TLS "
		    "certificate verification is off (insecure yes)", url);
	if (ct->watchdog.enabled)
		log_target(LOG_WARNING, t->name, "watchdog", "no heartbeat "
		    "over Redfish (its HostWatchdogTimer is read only here): "
		    "the watchdog block is not used");
	if (t->rf_cur_state == 0 && t->rf_io == NULL)
		target_rf_io(t, 1);
	target_store_stats(t);
	return 0;
}

static void
target_rf_free(struct target *t)
{
	redfish_free(t->rf);
	t->rf = NULL;
}

static void
target_rf_closed(void *arg, enum redfish_err e)
{
	struct target *t = arg;

	(void)e;
	t->rf_closed = 1;
}

static void
target_rf_close(struct target *t)
{
	if (t->rf == NULL)
		return;
	if (t->running >= 0)
		t->running = -1;
	redfish_close(t->rf, target_rf_closed, t);
}

static enum target_outcome
target_rf_outcome(enum redfish_err e)
{
	return e == REDFISH_OK ? OUT_OK : e == REDFISH_E_HTTP ? OUT_NOANSWER :
	    OUT_REFUSED;
}

/*
 * The log pass.  A listing after the cursor; what it found is archived
 * (target_rf_archive), and when the policy may clear, listed again:
 * ClearLog is posted only right after a listing that found nothing new,
 * and only on a service whose every entry is then in the archive (read
 * whole: not truncated), that has the action and does not wrap
 * (WrapsWhenFull never fills: clearing it only loses entries).  The
 * policy is the IPMI side's: sel-clear-at PCT of MaxNumberOfRecords
 * used, or fewer than sel-clear-free records left; `sel clear' on the
 * socket clears every such service that has entries.  Redfish has no
 * reservation: an entry written between that last listing and the
 * ClearLog (one GET of the service apart) is lost with it.  After a
 * clear the service leaves the cursor: what it logs next is new even if
 * its Ids start over.
 */
#define TARGET_RF_ROUNDS	5	/* listings before giving up on a
					 * clear (entries keep arriving) */

static void
target_rf_sel_why(struct target *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
target_rf_sel_why(struct target *t, const char *fmt, ...)
{
	size_t n = strlen(t->rf_sel_msg);
	va_list ap;

	if (n > 0 && n + 2 < sizeof(t->rf_sel_msg)) {
		memcpy(t->rf_sel_msg + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	(void)vsnprintf(t->rf_sel_msg + n, sizeof(t->rf_sel_msg) - n, fmt,
	    ap);
	va_end(ap);
}

/*
 * Whether service i is to be cleared now: 1 yes, 0 no.  Unless look,
 * why not, when it would otherwise be (past the threshold, or asked),
 * goes to rf_sel_msg, and to the log once per service.
 */
static int
target_rf_due(struct target *t, size_t i, int look)
{
	const struct redfish_log_service *s = redfish_log_service(t->rf, i);
	const char *no = NULL;
	int due;

	if (s == NULL || t->rf_sel_mode == SELMON_READ)
		return 0;
	due = redfish_clear_due(s, t->rf_sel_mode == SELMON_CLEAR_NOW,
	    t->ct->sel_clear_at, t->ct->sel_clear_free, &no);
	if (due && t->arch == NULL)
		no = "no archive: not cleared";
	else if (no == NULL)
		return due;
	if (look)
		return 0;
	target_rf_sel_why(t, "%s: %s", s->path, no);
	if (i < 32 && !(t->rf_noted & (1u << i))) {
		t->rf_noted |= 1u << i;
		log_target(LOG_NOTICE, t->name, "sel", "%s (%u of %ld "
		    "records): %s", s->path, s->entries_read, s->max_records,
		    no);
	}
	return 0;
}

static int
target_rf_any_due(struct target *t)
{
	size_t i, n = redfish_log_service_count(t->rf);
	int any = 0;

	/* a look only: why not is said when it is decided */
	for (i = 0; i < n; i++)
		any |= target_rf_due(t, i, 1);
	return any;
}

/* the end of a log pass: the socket's `sel clear' answered, the run's
 * result */
static void
target_rf_sel_finish(struct target *t, enum target_outcome o,
    const char *err)
{
	struct ctl_action *a = t->act;
	char msg[1024];
	int code = 0;

	if (t->st != NULL)
		t->st->health.sel_passes++;
	if (a != NULL && t->act_sel && t->rf_sel_mode == SELMON_CLEAR_NOW) {
		t->act = NULL;
		t->act_sel = 0;
		if (o == OUT_NOANSWER) {
			code = CTL_EUNAVAIL;
			(void)snprintf(msg, sizeof(msg), "%s: sel clear: %s",
			    t->peer, err);
		} else if (t->rf_sel_failed || (t->rf_cleared == 0 &&
		    t->rf_sel_msg[0] != '\0')) {
			code = CTL_EREFUSED;
			(void)snprintf(msg, sizeof(msg), "%s: sel clear: %s%s",
			    t->peer, t->rf_cleared > 0 ? "partly cleared: " :
			    "not cleared: ", err != NULL && err[0] != '\0' ?
			    err : t->rf_sel_msg);
		} else if (ctl_action_req(a)->json) {
			struct jsonw j;
			char *buf = NULL;
			size_t blen = 0;
			FILE *f = open_memstream(&buf, &blen);

			if (f == NULL)
				fatal("target", "open_memstream");
			jsonw_init(&j, f);
			jsonw_obj_begin(&j, NULL);
			jsonw_bool(&j, "cleared", t->rf_cleared > 0);
			jsonw_int(&j, "cleared_entries", t->rf_cleared_entries);
			jsonw_int(&j, "new_entries", t->rf_new);
			jsonw_int(&j, "log_services_cleared", t->rf_cleared);
			jsonw_str(&j, "kept", t->rf_sel_msg[0] ?
			    t->rf_sel_msg : NULL);
			jsonw_obj_end(&j);
			jsonw_end(&j);
			(void)fclose(f);
			(void)snprintf(msg, sizeof(msg), "%s", buf);
			free(buf);
		} else if (t->rf_cleared > 0)
			(void)snprintf(msg, sizeof(msg), "sel clear: cleared "
			    "%u entries (%u log service%s)%s%s\n",
			    t->rf_cleared_entries, t->rf_cleared,
			    t->rf_cleared == 1 ? "" : "s", t->rf_sel_msg[0] ?
			    "; kept: " : "", t->rf_sel_msg);
		else
			(void)snprintf(msg, sizeof(msg), "sel clear: the SEL "
			    "is empty\n");
		ctl_action_done(a, code, msg);
	}
	target_result(t, RUN_SEL, o, o == OUT_OK ? NULL : err);
}

static void	target_rf_clear_next(struct target *);
static void	target_rf_done(void *, enum redfish_err);

static void
target_rf_clear_done(void *arg, enum redfish_err e)
{
	struct target *t = arg;
	struct store_when w;
	struct redfish_cursor *c = &t->rf_cur;
	uint32_t i;

	if (t->running != RUN_SEL)
		return;
	target_now(&w);
	if (e == REDFISH_OK) {
		t->rf_cleared++;
		t->rf_cleared_entries += t->rf_clear_n;
		for (i = 0; i < c->n && i < REDFISH_CURSOR_SERVICES; i++)
			if (strcmp(c->svc[i].path, t->rf_clear_path) == 0) {
				memmove(&c->svc[i], &c->svc[i + 1],
				    (c->n - i - 1) * sizeof(c->svc[0]));
				c->n--;
				break;
			}
		target_rf_save(t);
		log_target(LOG_NOTICE, t->name, "sel", "%s: %u entries "
		    "archived, then cleared (LogService.ClearLog)",
		    t->rf_clear_path, t->rf_clear_n);
		if (t->st != NULL)
			store_sel_cleared(t->env->store, t->st, t->rf_clear_n,
			    &w);
	} else {
		t->rf_sel_failed = 1;
		target_rf_sel_why(t, "%s", redfish_detail(t->rf, "action"));
		log_target(LOG_WARNING, t->name, "sel", "ClearLog: %s",
		    redfish_detail(t->rf, "action"));
		if (t->st != NULL)
			store_sel_clear_failed(t->env->store, t->st,
			    redfish_detail(t->rf, "action"), &w);
	}
	target_rf_clear_next(t);
}

/* ClearLog on the next service due, or the end of the pass */
static void
target_rf_clear_next(struct target *t)
{
	size_t n = redfish_log_service_count(t->rf);

	while (t->rf_clear_i < n) {
		size_t i = t->rf_clear_i++;
		const struct redfish_log_service *s;

		if (!target_rf_due(t, i, 0))
			continue;
		s = redfish_log_service(t->rf, i);
		(void)snprintf(t->rf_clear_path, sizeof(t->rf_clear_path),
		    "%s", s->path);
		t->rf_clear_n = s->entries_read;
		if (redfish_clear_log(t->rf, t->rf_clear_path,
		    target_rf_clear_done, t) == 0)
			return;
		/* the action slot is a Reset's: next pass */
		target_rf_sel_why(t, "%s: busy (a chassis power action in "
		    "flight): next pass", s->path);
	}
	target_rf_sel_finish(t, OUT_OK, t->rf_sel_failed ? t->rf_sel_msg :
	    NULL);
}

/* two log cursors by value (memcmp would compare padding and the bytes
 * after each string's NUL too) */
static int
target_rf_cur_same(const struct redfish_cursor *a,
    const struct redfish_cursor *b)
{
	uint32_t i;

	if (a->version != b->version || a->n != b->n)
		return 0;
	for (i = 0; i < a->n && i < REDFISH_CURSOR_SERVICES; i++) {
		const struct redfish_cursor_svc *x = &a->svc[i], *y = &b->svc[i];

		if (strcmp(x->path, y->path) != 0 ||
		    x->created_s != y->created_s ||
		    x->has_created != y->has_created ||
		    strcmp(x->id, y->id) != 0)
			return 0;
	}
	return 1;
}

/* a listing of the pass came back */
static void
target_rf_sel_listed(struct target *t)
{
	struct redfish_cursor next;
	struct shape_rf_sel shp;
	struct store_when w;
	size_t n = redfish_log_count(t->rf);

	target_now(&w);
	redfish_sel_shape(t->rf, &shp);
	store_set_rf_sel(t->env->store, t->st, &shp, &w);
	if (redfish_detail(t->rf, "logs")[0] != '\0')
		(void)log_fail(&t->run_lim[RUN_SEL], ev_now(), LOG_NOTICE,
		    t->name, "sel", "%s", redfish_detail(t->rf, "logs"));
	redfish_logs_cursor(t->rf, &t->rf_cur, &next);
	next.version = REDFISH_CURSOR_VERSION;
	if (n > 0 || !target_rf_cur_same(&next, &t->rf_cur)) {
		t->rf_new += (unsigned)n;
		if (target_rf_archive(t, &next) != 0)
			target_rf_sel_archived(t, 0, "io queue full");
		return;
	}
	/* nothing new since the last listing: clear what is due */
	target_rf_clear_next(t);
}

/* the archive write of a listing is over */
static void
target_rf_sel_archived(struct target *t, int ok, const char *err)
{
	char msg[400];

	if (t->running != RUN_SEL || t->rf == NULL)
		return;
	if (!ok) {
		(void)snprintf(msg, sizeof(msg), "archive: %s (nothing "
		    "cleared)", err);
		t->rf_sel_failed = 1;
		target_rf_sel_finish(t, OUT_REFUSED, msg);
		return;
	}
	if (!target_rf_any_due(t)) {
		size_t i, ns = redfish_log_service_count(t->rf);

		/* why not, for the answer and the log */
		for (i = 0; i < ns; i++)
			(void)target_rf_due(t, i, 0);
		target_rf_sel_finish(t, OUT_OK, NULL);
		return;
	}
	if (t->rf_round >= TARGET_RF_ROUNDS) {
		target_rf_sel_why(t, "entries kept arriving over %u listings: "
		    "not cleared this pass", t->rf_round);
		log_target(LOG_WARNING, t->name, "sel", "%s", t->rf_sel_msg);
		target_rf_sel_finish(t, OUT_OK, NULL);
		return;
	}
	/* list again: clear only once a listing finds nothing new */
	t->rf_round++;
	if (redfish_logs(t->rf, &t->rf_cur, target_rf_done, t) != 0)
		target_rf_sel_finish(t, OUT_OK, NULL);
}

static void
target_rf_done(void *arg, enum redfish_err e)
{
	struct target *t = arg;
	static const char *const which[RUN__N] = {
		[RUN_IDENT] = "info", [RUN_SEL] = "logs",
		[RUN_SENSORS] = "sensors", [RUN_CHASSIS] = "chassis",
		[RUN_WDT] = "watchdog"
	};
	struct store_when w;
	enum target_run r;
	char msg[REDFISH_ERR_MAX + 32];

	if (t->running < 0)
		return;
	r = (enum target_run)t->running;
	t->rf_prog++;
	target_now(&w);
	if (e != REDFISH_OK) {
		if (r == RUN_WDT && e == REDFISH_E_UNSUPPORTED) {
			/* nothing to read there: not asked again (until a
			 * recovery re-arms every tick) */
			ev_timer_set(t->env->ev, t->tick[RUN_WDT], -1);
			log_target(LOG_INFO, t->name, "watchdog", "%s: not "
			    "read", redfish_detail(t->rf, "watchdog"));
			target_result(t, r, OUT_OK, NULL);
			return;
		}
		(void)snprintf(msg, sizeof(msg), "%s: %s", redfish_strerror(e),
		    redfish_detail(t->rf, which[r]));
		if (r == RUN_SEL) {
			t->rf_sel_failed = 1;
			target_rf_sel_finish(t, target_rf_outcome(e), msg);
		} else
			target_result(t, r, target_rf_outcome(e), msg);
		return;
	}
	if (t->st == NULL) {
		target_result(t, r, OUT_OK, NULL);
		return;
	}
	switch (r) {
	case RUN_IDENT:
		redfish_info_shape(redfish_info_get(t->rf), &t->ident);
		store_set_ident(t->env->store, t->st, &t->ident, &w);
		break;
	case RUN_SENSORS:
		t->st->health.sweep_ms = w.mono_ms - t->run_t0;
		store_set_sensor_items(t->env->store, t->st,
		    redfish_sensor(t->rf, 0), redfish_sensors_count(t->rf),
		    &w);
		t->st->health.sweeps++;
		break;
	case RUN_CHASSIS:
		store_set_chassis_snap(t->env->store, t->st,
		    redfish_chassis_snapshot(t->rf), &w);
		t->st->health.chassis_polls++;
		break;
	case RUN_WDT:
		store_set_wdt(t->env->store, t->st,
		    redfish_watchdog_timer(t->rf), &w);
		break;
	case RUN_SEL:
		target_rf_sel_listed(t);
		return;
	default:
		break;
	}
	if (redfish_detail(t->rf, which[r])[0] != '\0')
		(void)log_fail(&t->run_lim[r], ev_now(), LOG_NOTICE, t->name,
		    target_run_name[r], "%s", redfish_detail(t->rf, which[r]));
	target_result(t, r, OUT_OK, NULL);
}

static int
target_rf_start(struct target *t, enum target_run r)
{
	switch (r) {
	case RUN_IDENT:
		return redfish_info(t->rf, target_rf_done, t);
	case RUN_SEL:
		/* the cursor's load runs it; one archive write at a time */
		if (t->rf_cur_state == 0 || t->rf_arch != NULL)
			return -1;
		t->rf_sel_mode = t->sel_mode_next >= 0 ? t->sel_mode_next :
		    (t->ct->sel_clear_at > 0 || t->ct->sel_clear_free > 0) ?
		    SELMON_CLEAR : SELMON_READ;
		t->sel_mode_next = -1;
		t->rf_round = 1;
		t->rf_clear_i = 0;
		t->rf_new = t->rf_cleared = t->rf_cleared_entries = 0;
		t->rf_sel_failed = 0;
		t->rf_sel_msg[0] = '\0';
		return redfish_logs(t->rf, &t->rf_cur, target_rf_done, t);
	case RUN_SENSORS:
		return redfish_sensors(t->rf, target_rf_done, t);
	case RUN_CHASSIS:
		return redfish_chassis(t->rf, target_rf_done, t);
	case RUN_WDT:
		return redfish_watchdog(t->rf, target_rf_done, t);
	default:
		return -1;
	}
}

static void
target_rf_act_done(void *arg, enum redfish_err e)
{
	struct target *t = arg;
	struct ctl_action *a = t->act;
	const struct ctl_req *r;
	char msg[REDFISH_ERR_MAX + 64];

	if (a == NULL)
		return;
	t->act = NULL;
	r = ctl_action_req(a);
	if (e != REDFISH_OK) {
		(void)snprintf(msg, sizeof(msg), "%s: %s: %s", t->peer,
		    ctl_verb_name(r->verb), redfish_detail(t->rf, "action"));
		ctl_action_done(a, e == REDFISH_E_HTTP ? CTL_EUNAVAIL :
		    CTL_EREFUSED, msg);
		return;
	}
	if (r->verb == CTL_CHASSIS_IDENTIFY) {
		log_target(LOG_NOTICE, t->name, "chassis", "identify %s "
		    "(control socket)", r->identify_force ? "on" : "off");
		/* the IPMI side's shapes */
		if (r->json)
			(void)snprintf(msg, sizeof(msg), "%s\n",
			    r->identify_force ?
			    "{\"identify\":\"indefinite\"}" :
			    "{\"identify_seconds\":0}");
		else
			(void)snprintf(msg, sizeof(msg), "Chassis identify "
			    "interval: %s\n", r->identify_force ? "indefinite" :
			    "off");
		ctl_action_done(a, 0, msg);
		return;
	}
	log_target(LOG_NOTICE, t->name, "chassis", "power %s (control socket, "
	    "ResetType %s)", target_power_word(r->power),
	    redfish_reset_type(r->power));
	if (r->json)
		(void)snprintf(msg, sizeof(msg), "{\"chassis_power_control\":"
		    "\"%s\",\"reset_type\":\"%s\"}\n",
		    target_power_word(r->power), redfish_reset_type(r->power));
	else
		(void)snprintf(msg, sizeof(msg), "Chassis Power Control: %s "
		    "(ResetType %s)\n", chassis_control_name(r->power),
		    redfish_reset_type(r->power));
	ctl_action_done(a, 0, msg);
}

static int
target_rf_action(struct target *t, struct ctl_action *a, char *err,
    size_t errlen)
{
	const struct ctl_req *r = ctl_action_req(a);
	const char *type;

	switch (r->verb) {
	case CTL_CHASSIS_POWER:
		break;
	case CTL_SEL_CLEAR:
		/* the next log pass clears (see "the log pass") */
		t->act = a;
		t->act_sel = 1;
		t->sel_mode_next = SELMON_CLEAR_NOW;
		t->pending |= RUN_BIT(RUN_SEL);
		target_dispatch(t);
		return 0;
	case CTL_SEL_ACK:
		return target_act_ack(t, a, err, errlen);
	case CTL_CHASSIS_IDENTIFY:
		/* a switch in Redfish: on (force) or off, no interval */
		if (!r->identify_force && r->identify_s != 0) {
			(void)snprintf(err, errlen, "%s: chassis identify: a "
			    "timed identify (%d s) has no Redfish equivalent "
			    "(LocationIndicatorActive and IndicatorLED are on "
			    "or off): use force (on) or off", t->name,
			    r->identify_s < 0 ? 15 : r->identify_s);
			return CTL_EUSAGE;
		}
		if (redfish_identify(t->rf, r->identify_force,
		    target_rf_act_done, t) != 0) {
			(void)snprintf(err, errlen, "%s: chassis identify: "
			    "busy", t->name);
			return CTL_EREFUSED;
		}
		t->act = a;
		return 0;
	default:
		(void)snprintf(err, errlen, "%s: %s: not an action",
		    t->name, ctl_verb_name(r->verb));
		return CTL_EUSAGE;
	}
	if ((type = redfish_reset_type(r->power)) == NULL) {
		(void)snprintf(err, errlen, "%s: chassis power: no ResetType "
		    "for it", t->name);
		return CTL_EUSAGE;
	}
	if (redfish_reset(t->rf, type, target_rf_act_done, t) != 0) {
		(void)snprintf(err, errlen, "%s: chassis power: busy", t->name);
		return CTL_EREFUSED;
	}
	t->act = a;
	return 0;
}

/* ---- stop --------------------------------------------------------------- */

/*
 * The heartbeat on a stop: an operation in flight (an arm, a reset)
 * finishes first; then a timer we armed is switched off, unless
 * nowayout.  One we never armed (refused: another owner) is not ours to
 * touch.
 */
static int64_t
target_stop_poll(void *arg)
{
	struct target *t = arg;
	uint64_t now = ev_now();

	if (t->stop_phase == 1) {
		if (t->hb.op.active && !t->hb_stop_sent &&
		    now < t->stop_deadline)
			return TARGET_STOP_POLL_MS;
		if (t->hb.armed && !t->hb_stop_sent && !t->hb.op.active) {
			t->hb_stop_sent = 1;
			watchdog_hb_stop(&t->hb);
		}
		if (t->hb_stop_sent && !t->hb_stopped &&
		    now < t->stop_deadline)
			return TARGET_STOP_POLL_MS;
		if (t->hb.armed && !t->hb_stopped)
			log_target(LOG_WARNING, t->name, "watchdog", "no answer "
			    "to the stop: the BMC will %s when the timer runs "
			    "out", wdt_action_name(t->hb.cfg.action));
		t->stop_phase = 2;
		t->stop_deadline = now + t->ct->timeout_ms + 1000;
		if (t->conn != NULL)
			conn_close(t->conn);
	}
	if (t->stop_phase == 2) {
		if (t->conn != NULL && !conn_idle(t->conn) &&
		    now < t->stop_deadline)
			return TARGET_STOP_POLL_MS;
		/* the Redfish session's DELETE (or the io job of the log
		 * cursor) still out */
		if (((t->rf != NULL && !t->rf_closed) || t->rf_io != NULL ||
		    t->rf_arch != NULL) && now < t->stop_deadline)
			return TARGET_STOP_POLL_MS;
		if (t->rf != NULL && !t->rf_closed)
			log_target(LOG_WARNING, t->name, "target", "the Redfish "
			    "session's DELETE was not answered: %s",
			    redfish_detail(t->rf, NULL));
		if (t->conn != NULL && !conn_idle(t->conn))
			log_target(LOG_WARNING, t->name, "target", "Close "
			    "Session not answered");
		t->stop_phase = 3;
		t->stop_timer = NULL;
		if (t->stop_done != NULL)
			t->stop_done(t, t->stop_arg);
		return EV_STOP;
	}
	return EV_STOP;
}

void
target_stop(struct target *t, void (*done)(struct target *, void *),
    void *arg)
{
	struct store_when w;
	int r;

	t->stop_done = done;
	t->stop_arg = arg;
	t->state = TS_STOPPING;
	t->pending = 0;
	for (r = RUN_SEL; r < RUN__N; r++)
		ev_timer_set(t->env->ev, t->tick[r], -1);
	ev_timer_set(t->env->ev, t->probe, -1);
	target_now(&w);
	if (t->act != NULL) {
		struct ctl_action *a = t->act;

		t->act = NULL;
		ctl_action_done(a, CTL_EUNAVAIL, "the target is stopping");
	}
	if (t->ack != NULL) {
		t->ack->t = NULL;
		t->ack = NULL;
	}
	if (t->dns != NULL) {
		t->dns->t = NULL;
		t->dns = NULL;
	}
	/* before the store entry goes: Close Session ends its payload */
	console_stop(t->con);
	/* out of the store now: a restarted namesake takes its place */
	if (t->st != NULL) {
		store_target_del(t->env->store, t->st);
		t->st = NULL;
	}
	target_set_ready(t);
	t->stop_phase = 2;
	if (t->hb_on) {
		/* no more kicks or arms from here on */
		watchdog_hb_pause(&t->hb);
		if (t->ct->watchdog.nowayout) {
			if (t->hb.armed)
				log_target(LOG_NOTICE, t->name, "watchdog",
				    "left running (nowayout): the BMC will %s "
				    "in %.1f s unless reset",
				    wdt_action_name(t->hb.cfg.action),
				    t->hb.cfg.timeout_ms / 1000.0);
		} else if (t->hb.armed || t->hb.op.active) {
			/* target_stop_poll: the op first, then the stop */
			t->stop_phase = 1;
			t->stop_deadline = ev_now() + 3ull *
			    t->ct->timeout_ms + TARGET_OWNER_WAIT_MS + 1000;
		}
	}
	if (t->stop_phase == 2) {
		t->stop_deadline = ev_now() + t->ct->timeout_ms + 1000;
		if (t->conn != NULL)
			conn_close(t->conn);
	}
	target_rf_close(t);
	t->stop_timer = ev_timer_add(t->env->ev, 0, target_stop_poll, t);
}

void
target_free(struct target *t)
{
	int r;

	if (t == NULL)
		return;
	if (t->dns != NULL)
		t->dns->t = NULL;
	if (t->ack != NULL)
		t->ack->t = NULL;
	if (t->rf_io != NULL)
		t->rf_io->t = NULL;
	if (t->rf_arch != NULL)
		t->rf_arch->t = NULL;
	if (t->act != NULL)
		ctl_action_done(t->act, CTL_EUNAVAIL, "the target is gone");
	for (r = RUN_SEL; r < RUN__N; r++)
		ev_timer_del(t->env->ev, t->tick[r]);
	ev_timer_del(t->env->ev, t->probe);
	ev_timer_del(t->env->ev, t->stop_timer);
	t->running = -1;
	console_stop(t->con);
	target_disconnect(t);
	console_free(t->con);
	health_free(t->health);
	if (t->st != NULL)
		store_target_del(t->env->store, t->st);
	severity_free(t->builtin);
	free(t->sdr_dir);
	free(t->state_path);
	free(t->acks_path);
	free(t->archive_path);
	free(t->rf_cur_path);
	free(t);
}
